//! The lens list page, `GET /html/settings/lenses` (wire protocol §6.20).

use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::settings_html::scraper::{ElementRef, Html};
use kagi_plugin_sdk::settings_html::{SettingsSite, resolve, selector};
use serde::Serialize;

pub const LIST_PATH: &str = "/html/settings/lenses";

/// One lens as the list shows it (`lens list` prints these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub enabled: bool,
    /// Its place among the enabled lenses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<u64>,
    pub edit_url: String,
    /// What `/lenses/subscribe` needs to flip it: `active_index=<n>` for an
    /// enabled lens, `next_index=<n>` for a disabled one.
    #[serde(skip)]
    pub toggle: (String, String),
}

/// Reads the list page.
pub fn fetch(site: &SettingsSite) -> Result<Vec<Listed>, Error> {
    parse(&site.get(LIST_PATH)?.html)
}

/// The lens `target` names: its id, or its name ignoring case.
pub fn find<'a>(lenses: &'a [Listed], target: &str) -> Result<&'a Listed, Error> {
    resolve(
        lenses,
        target,
        |l, t| l.id == t,
        |l| &l.name,
        || Error::config(format!("no lens matched '{target}'")),
    )
}

fn drifted(what: String) -> Error {
    kagi_plugin_sdk::settings_html::drifted("lens list", &what)
}

pub fn parse(html: &str) -> Result<Vec<Listed>, Error> {
    let doc = Html::parse_document(html);
    let items: Vec<ElementRef> = doc.select(&selector("form.__lens_item")).collect();
    if items.is_empty() {
        // An account without lenses shows no items, but its page still
        // offers to create one. A page with neither is not the lens page
        // this plugin knows: say so rather than report an empty list.
        let create_link = selector("a[href*=\"/settings/create_lens\"]");
        if doc.select(&create_link).next().is_some() {
            return Ok(Vec::new());
        }
        return Err(drifted("no lens items found".into()));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| parse_item(item, i + 1))
        .collect()
}

fn parse_item(item: ElementRef, n: usize) -> Result<Listed, Error> {
    let input = |name: &str| {
        item.select(&selector(&format!("input[name=\"{name}\"]")))
            .next()
            .map(|e| e.value().attr("value").unwrap_or_default().to_string())
    };
    let id = input("lens_id").ok_or_else(|| drifted(format!("lens item {n} has no lens_id")))?;
    let (enabled, toggle) = match (input("active_index"), input("next_index")) {
        (Some(active), _) => (true, ("active_index".to_string(), active)),
        (None, Some(next)) => (false, ("next_index".to_string(), next)),
        (None, None) => {
            return Err(drifted(format!(
                "lens item {n} has neither active_index nor next_index"
            )));
        }
    };
    let text = |css: &str| {
        item.select(&selector(css))
            .next()
            .map(|e| e.text().collect::<String>().trim().to_string())
    };
    let name = text(".lens_title div")
        .filter(|name| !name.is_empty())
        .ok_or_else(|| drifted(format!("lens item {n} has no name")))?;
    let edit_url = item
        .select(&selector(".lens_edit_lens a[aria-label=\"Edit lens\"]"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string)
        .ok_or_else(|| drifted(format!("lens '{name}' has no edit link")))?;
    Ok(Listed {
        position: enabled.then(|| toggle.1.parse().ok()).flatten(),
        id,
        name,
        description: text(".lens_desc").filter(|d| !d.is_empty()),
        enabled,
        edit_url,
        toggle,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><body><a href="/settings/create_lens">New lens</a>
<form class="__lens_item" action="/lenses/move" method="POST"><input type="hidden" name="lens_id" value="22524"><input type="hidden" name="active_index" value="0">
 <a class="lens_title" href="/settings/update_lens?id=22524"><div>Reddit</div></a><p class="lens_desc"> Forums </p><span class="new-badge">new</span>
 <div class="lens_edit_lens"><a aria-label="Edit lens" href="/settings/update_lens?id=22524">Edit</a></div></form>
<form class="__lens_item" action="/lenses/move" method="POST"><input type="hidden" name="lens_id" value="1"><input type="hidden" name="next_index" value="7">
 <a class="lens_title"><div>News</div></a>
 <div class="lens_edit_lens"><a aria-label="Edit lens" href="/settings/update_lens?id=1">Edit</a></div></form>
</body></html>"#;

    #[test]
    fn items_give_id_name_state_position_and_edit_link() {
        let lenses = parse(PAGE).unwrap();
        assert_eq!(
            serde_json::to_value(&lenses).unwrap(),
            serde_json::json!([
                {"id":"22524","name":"Reddit","description":"Forums","enabled":true,"position":0,"edit_url":"/settings/update_lens?id=22524"},
                {"id":"1","name":"News","enabled":false,"edit_url":"/settings/update_lens?id=1"}
            ])
        );
        assert_eq!(lenses[1].toggle, ("next_index".into(), "7".into()));
    }

    #[test]
    fn an_account_without_lenses_is_an_empty_list() {
        let page = r#"<html><body><h1>Lenses</h1><a href="/settings/create_lens">New lens</a></body></html>"#;
        assert_eq!(parse(page).unwrap(), vec![]);
    }

    #[test]
    fn a_page_without_items_or_the_create_link_has_drifted() {
        let e = parse("<html><body><ul class=\"lenses-v2\"><li>Reddit</li></ul></body></html>")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "parse error: lens list: no lens items found; Kagi's settings page may have changed"
        );
    }

    #[test]
    fn an_item_missing_a_required_part_is_named() {
        let without_index = PAGE.replace(r#"name="next_index""#, r#"name="other""#);
        assert_eq!(
            parse(&without_index).unwrap_err().message,
            "lens list: lens item 2 has neither active_index nor next_index; Kagi's settings page may have changed"
        );
        let without_edit = PAGE.replace(
            r#"aria-label="Edit lens" href="/settings/update_lens?id=1""#,
            "",
        );
        assert_eq!(
            parse(&without_edit).unwrap_err().message,
            "lens list: lens 'News' has no edit link; Kagi's settings page may have changed"
        );
    }

    #[test]
    fn targets_are_ids_or_names_ignoring_case() {
        let lenses = parse(PAGE).unwrap();
        assert_eq!(find(&lenses, "1").unwrap().name, "News");
        assert_eq!(find(&lenses, "reddit").unwrap().id, "22524");
        assert_eq!(
            find(&lenses, "gone").unwrap_err().to_string(),
            "configuration error: no lens matched 'gone'"
        );
    }
}
