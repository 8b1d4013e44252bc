//! Reading Kagi's redirect rule pages (wire protocol §6.22): the list and
//! the edit form. A layout that drifted is a parse error naming what is
//! missing, never a wrong result; an account without rules still has the
//! table, so an empty list is told apart from a redesign by the container.

use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::settings_html::scraper::{ElementRef, Html};
use kagi_plugin_sdk::settings_html::{Form, Page, drifted, query_param, selector};
use serde::{Deserialize, Serialize};

/// One row of the list (`redirect list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListItem {
    pub id: String,
    pub rule: String,
    pub enabled: bool,
    pub edit_url: String,
}

/// One rule, as `get`, `create`, `update` and `export` print it and
/// `import` reads it (`enabled` absent: leave the state alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redirect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

pub const SAVE: &str = "/rewrite_rules";
pub const DELETE: &str = "/rewrite_rules/delete";
pub const TOGGLE: &str = "/rewrite_rules/toggle";

/// A rule the client accepts: non-empty, with `|`.
pub fn check_rule(rule: &str) -> Result<(), Error> {
    if rule.trim().is_empty() || !rule.contains('|') {
        return Err(Error::config(
            "redirect rule must use the form regex|replacement",
        ));
    }
    Ok(())
}

fn text_of(element: ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

/// The rule rows of the page's table: each has an edit link, a toggle form
/// and a delete form. Rows without a rule (templates, hints) are skipped; a
/// rule whose row lost one of its parts is drift.
pub fn parse_list(html: &str, command: &str) -> Result<Vec<ListItem>, Error> {
    let doc = Html::parse_document(html);
    if doc.select(&selector("table")).next().is_none() {
        return Err(drifted(command, "no redirect table found"));
    }
    let first_cell = selector("td");
    let edit = selector(r#"a[href*="/settings/redirects_form?rule_id="]"#);
    let toggle = selector(r#"form[action="/rewrite_rules/toggle"]"#);
    let delete = selector(r#"form[action="/rewrite_rules/delete"]"#);
    let rule_id = selector(r#"input[name="rule_id"]"#);
    let button = selector("button");
    let mut items = Vec::new();
    for row in doc.select(&selector("table tbody tr")) {
        let rule = row
            .select(&first_cell)
            .next()
            .map(text_of)
            .unwrap_or_default();
        let edit = row.select(&edit).find_map(|a| a.value().attr("href"));
        let toggle = row.select(&toggle).next();
        let has_delete = row.select(&delete).next().is_some();
        let (Some(edit), Some(toggle), true) = (edit, toggle, has_delete) else {
            if rule.contains('|') {
                let missing = match (edit, toggle) {
                    (None, _) => "edit link",
                    (_, None) => "toggle form (/rewrite_rules/toggle)",
                    _ => "delete form (/rewrite_rules/delete)",
                };
                return Err(drifted(
                    command,
                    &format!("the redirect row '{rule}' has no {missing}"),
                ));
            }
            continue;
        };
        let id = query_param(edit, "rule_id")
            .filter(|id| !id.is_empty())
            .or_else(|| {
                toggle
                    .select(&rule_id)
                    .find_map(|i| i.value().attr("value"))
                    .map(str::to_string)
            })
            .filter(|id| !id.is_empty())
            .ok_or_else(|| drifted(command, &format!("the redirect row '{rule}' has no id")))?;
        if rule.is_empty() {
            return Err(drifted(
                command,
                &format!("the redirect row {id} shows no rule"),
            ));
        }
        let enabled = toggle
            .select(&button)
            .next()
            .and_then(|b| b.value().attr("class"))
            .is_some_and(|class| class.contains("--enabled"));
        items.push(ListItem {
            id,
            rule,
            enabled,
            edit_url: edit.to_string(),
        });
    }
    Ok(items)
}

/// The rule form of a page and the rule text it holds.
pub fn parse_form(page: &Page, command: &str) -> Result<(Form, String), Error> {
    let form = Form::parse(&page.document(), r#"form[action="/rewrite_rules"]"#)
        .ok_or_else(|| drifted(command, "no redirect form found"))?;
    let regex = form
        .text("regex")
        .ok_or_else(|| drifted(command, "the redirect form has no regex field"))?;
    Ok((form, regex))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = r#"<tr><td>^https://www.reddit.com|https://old.reddit.com</td>
 <td><a href="/settings/redirects_form?rule_id=16641">Edit</a></td>
 <td><form action="/rewrite_rules/delete" method="POST"><input type="hidden" name="rule_id" value="16641"></form></td>
 <td><form action="/rewrite_rules/toggle" method="POST"><input type="hidden" name="rule_id" value="16641"><button type="submit" class="k_ui_toggle_switch --enabled"></button></form></td>
</tr>"#;

    fn table(rows: &str) -> String {
        format!(
            "<table><tbody>{rows}<tr hidden><td></td><td><a href=\"/settings/redirects_form?rule_id=\">Edit</a></td></tr></tbody></table>"
        )
    }

    #[test]
    fn complete_rows_become_items_and_the_rest_are_skipped() {
        let off = ROW
            .replace("16641", "7")
            .replace(" --enabled", "")
            .replace("www.reddit", "x");
        assert_eq!(
            parse_list(&table(&format!("{ROW}{off}")), "redirect list").unwrap(),
            vec![
                ListItem {
                    id: "16641".into(),
                    rule: "^https://www.reddit.com|https://old.reddit.com".into(),
                    enabled: true,
                    edit_url: "/settings/redirects_form?rule_id=16641".into(),
                },
                ListItem {
                    id: "7".into(),
                    rule: "^https://x.com|https://old.reddit.com".into(),
                    enabled: false,
                    edit_url: "/settings/redirects_form?rule_id=7".into(),
                },
            ]
        );
    }

    #[test]
    fn an_empty_table_is_no_rules_but_no_table_is_drift() {
        assert_eq!(parse_list(&table(""), "redirect list").unwrap(), vec![]);
        assert_eq!(
            parse_list("<ul></ul>", "redirect list")
                .unwrap_err()
                .to_string(),
            "parse error: redirect list: no redirect table found; Kagi's settings page may have changed"
        );
    }

    #[test]
    fn a_rule_whose_toggle_moved_is_drift() {
        let html = table(&ROW.replace("/rewrite_rules/toggle", "/rewrite_rules/switch"));
        assert_eq!(
            parse_list(&html, "redirect enable").unwrap_err().message,
            "redirect enable: the redirect row '^https://www.reddit.com|https://old.reddit.com' has no toggle form (/rewrite_rules/toggle); Kagi's settings page may have changed"
        );
    }

    #[test]
    fn the_form_needs_its_regex() {
        let page = |html: &str| Page {
            url: "http://x/settings/redirects_form?rule_id=1".into(),
            html: html.into(),
        };
        let form = r#"<form action="/rewrite_rules" method="POST"><input type="hidden" name="rule_id" value="1"><input name="regex" value="a|b"></form>"#;
        assert_eq!(parse_form(&page(form), "x").unwrap().1, "a|b");
        let e = parse_form(&page(&form.replace("regex", "pattern")), "redirect get").unwrap_err();
        assert_eq!(
            e.message,
            "redirect get: the redirect form has no regex field; Kagi's settings page may have changed"
        );
    }

    #[test]
    fn a_rule_needs_a_bar() {
        assert!(check_rule("a|b").is_ok());
        assert_eq!(
            check_rule("ab").unwrap_err().to_string(),
            "configuration error: redirect rule must use the form regex|replacement"
        );
    }
}
