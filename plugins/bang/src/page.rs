//! Reading Kagi's custom bang pages (wire protocol §6.21): the list table
//! and the edit form. A layout that drifted is a parse error naming what is
//! missing, never a wrong result; an account without bangs still has the
//! table, so an empty list is told apart from a redesign by the container.

use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::settings_html::scraper::Html;
use kagi_plugin_sdk::settings_html::{
    Form, Page, drifted, query_param, selector, text_of, toggle_on,
};
use serde::{Deserialize, Serialize};

/// One row of the list (`bang custom list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListItem {
    pub id: String,
    pub name: String,
    /// Without the `!` the page shows.
    pub trigger: String,
    pub shortcut_menu: bool,
    pub edit_url: String,
}

/// One bang in full, as `get`, `create`, `update` and `export` print it and
/// `import` reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bang {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bang_id: Option<String>,
    pub name: String,
    pub trigger: String,
    pub template: String,
    pub snap_domain: String,
    pub regex_pattern: String,
    pub shortcut_menu: bool,
    pub fmt_open_snap_domain: bool,
    pub fmt_open_base_path: bool,
    pub fmt_url_encode_placeholder: bool,
    pub fmt_url_encode_space_to_plus: bool,
}

/// The form's checkboxes, in the order they are posted.
pub const CHECKBOXES: [&str; 5] = [
    "shortcut_menu",
    "fmt_open_snap_domain",
    "fmt_open_base_path",
    "fmt_url_encode_placeholder",
    "fmt_url_encode_space_to_plus",
];

/// Where the form posts: create, update and delete alike.
pub const MODIFY: &str = "/bangs/modify";

/// The rows of `table.custom_bangs_table`; rows with fewer than three cells
/// (hints, headers) are skipped.
pub fn parse_list(html: &str, command: &str) -> Result<Vec<ListItem>, Error> {
    let doc = Html::parse_document(html);
    let Some(table) = doc.select(&selector("table.custom_bangs_table")).next() else {
        return Err(drifted(command, "no custom bang table found"));
    };
    let cell = selector("td");
    let edit = selector("a.s-edit-btn");
    let mut items = Vec::new();
    for row in table.select(&selector("tbody tr")) {
        let cells: Vec<_> = row.select(&cell).collect();
        if cells.len() < 3 {
            continue;
        }
        let name = text_of(cells[0]);
        let href = row
            .select(&edit)
            .find_map(|a| a.value().attr("href"))
            .ok_or_else(|| {
                drifted(
                    command,
                    &format!("the custom bang row '{name}' has no edit link (a.s-edit-btn)"),
                )
            })?;
        let id = query_param(href, "bang_id").filter(|id| !id.is_empty());
        let id = id.ok_or_else(|| {
            drifted(
                command,
                &format!("the edit link of custom bang '{name}' has no bang_id"),
            )
        })?;
        items.push(ListItem {
            id,
            name,
            trigger: text_of(cells[1]).trim_start_matches('!').to_string(),
            shortcut_menu: toggle_on(&text_of(cells[2])),
            edit_url: href.to_string(),
        });
    }
    Ok(items)
}

/// The bang form of a page (the form posting to `/bangs/modify` that has
/// the bang's fields, not the delete button's form) and the bang it shows.
pub fn parse_form(page: &Page, command: &str) -> Result<(Form, Bang), Error> {
    let form = Form::find(&page.document(), |f| {
        f.action() == Some(MODIFY) && (f.has("name") || f.has("trigger"))
    })
    .ok_or_else(|| drifted(command, "no custom bang form found"))?;
    let required = |field: &str| {
        form.text(field).ok_or_else(|| {
            drifted(
                command,
                &format!("the custom bang form has no {field} field"),
            )
        })
    };
    let bang = Bang {
        bang_id: form.text("bang_id").filter(|id| !id.is_empty()),
        name: required("name")?,
        trigger: required("trigger")?.trim_start_matches('!').to_string(),
        template: form.text("template").unwrap_or_default(),
        snap_domain: form.text("snap_domain").unwrap_or_default(),
        regex_pattern: form.text("regex_pattern").unwrap_or_default(),
        shortcut_menu: form.checkbox(CHECKBOXES[0]),
        fmt_open_snap_domain: form.checkbox(CHECKBOXES[1]),
        fmt_open_base_path: form.checkbox(CHECKBOXES[2]),
        fmt_url_encode_placeholder: form.checkbox(CHECKBOXES[3]),
        fmt_url_encode_space_to_plus: form.checkbox(CHECKBOXES[4]),
    };
    Ok((form, bang))
}

impl Bang {
    /// The fields this version knows, in the order Kagi's form posts them
    /// (the captured update body of §6.21): `bang_id` first when given,
    /// booleans as `true`/`false`.
    pub fn known_fields(&self, bang_id: Option<&str>) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = Vec::new();
        if let Some(id) = bang_id {
            fields.push(("bang_id".into(), id.into()));
        }
        for (name, value) in [
            ("name", &self.name),
            ("trigger", &self.trigger),
            ("template", &self.template),
            ("snap_domain", &self.snap_domain),
            ("regex_pattern", &self.regex_pattern),
        ] {
            fields.push((name.into(), value.clone()));
        }
        for (name, on) in CHECKBOXES.iter().zip(self.flags()) {
            fields.push((name.to_string(), on.to_string()));
        }
        fields
    }

    pub fn flags(&self) -> [bool; 5] {
        [
            self.shortcut_menu,
            self.fmt_open_snap_domain,
            self.fmt_open_base_path,
            self.fmt_url_encode_placeholder,
            self.fmt_url_encode_space_to_plus,
        ]
    }

    pub fn flags_mut(&mut self) -> [&mut bool; 5] {
        [
            &mut self.shortcut_menu,
            &mut self.fmt_open_snap_domain,
            &mut self.fmt_open_base_path,
            &mut self.fmt_url_encode_placeholder,
            &mut self.fmt_url_encode_space_to_plus,
        ]
    }

    /// Equal apart from the id (which differs between accounts).
    pub fn same_settings(&self, other: &Bang) -> bool {
        Bang {
            bang_id: None,
            ..self.clone()
        } == Bang {
            bang_id: None,
            ..other.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"<html><body><table class="custom_bangs_table">
<thead><tr><th>Name</th><th>Trigger</th><th>Shortcut</th><th></th></tr></thead>
<tbody><tr><td>Google</td><td>!g</td><td>Yes</td>
 <td><a class="s-edit-btn" href="/settings/custom_bangs_form?bang_id=1">Edit</a></td></tr>
<tr><td colspan="4">Tip</td></tr></tbody></table></body></html>"#;

    #[test]
    fn rows_become_items_and_short_rows_are_skipped() {
        assert_eq!(
            parse_list(LIST, "bang custom list").unwrap(),
            vec![ListItem {
                id: "1".into(),
                name: "Google".into(),
                trigger: "g".into(),
                shortcut_menu: true,
                edit_url: "/settings/custom_bangs_form?bang_id=1".into(),
            }]
        );
    }

    #[test]
    fn an_empty_table_is_an_empty_list_but_no_table_is_drift() {
        let empty = r#"<table class="custom_bangs_table"><tbody></tbody></table>"#;
        assert_eq!(parse_list(empty, "bang custom list").unwrap(), vec![]);
        let e = parse_list("<div class=cards></div>", "bang custom list").unwrap_err();
        assert_eq!(
            e.to_string(),
            "parse error: bang custom list: no custom bang table found; Kagi's settings page may have changed"
        );
    }

    #[test]
    fn a_row_without_its_edit_link_is_drift() {
        let html = LIST.replace("s-edit-btn", "edit");
        let e = parse_list(&html, "bang custom get").unwrap_err();
        assert_eq!(
            e.message,
            "bang custom get: the custom bang row 'Google' has no edit link (a.s-edit-btn); Kagi's settings page may have changed"
        );
    }

    fn page(html: &str) -> Page {
        Page {
            url: "http://127.0.0.1/settings/custom_bangs_form?bang_id=1".into(),
            html: html.into(),
        }
    }

    const FORM: &str = r#"<form class="s-form" action="/bangs/modify" method="POST">
  <input type="hidden" name="bang_id" value="1"><input type="text" name="name" value="Google">
  <input type="text" name="trigger" value="g"><input type="text" name="template" value="https://google.com/search?q=%s">
  <input type="text" name="snap_domain" value="google.com"><input type="text" name="regex_pattern" value="">
  <input type="checkbox" name="shortcut_menu" checked value="true"><input type="checkbox" name="fmt_open_snap_domain" value="true">
  <input type="checkbox" name="fmt_open_base_path" checked value="true"><input type="checkbox" name="fmt_url_encode_placeholder" value="true">
  <input type="checkbox" name="fmt_url_encode_space_to_plus" checked value="true"><input type="text" name="category" value="search"></form>"#;

    #[test]
    fn the_form_reads_every_field_and_posts_them_in_kagis_order_then_unknown_ones() {
        let delete = r#"<form action="/bangs/modify" method="POST"><input type="hidden" name="bang_id" value="1"><input type="hidden" name="delete" value="1"></form>"#;
        let (form, mut bang) = parse_form(&page(&format!("{delete}{FORM}")), "x").unwrap();
        assert_eq!(bang.bang_id.as_deref(), Some("1"));
        assert_eq!(bang.flags(), [true, false, true, false, true]);
        bang.name = "Google2".into();
        bang.fmt_url_encode_space_to_plus = false;
        let body = form.submission(&bang.known_fields(Some("1")));
        let encoded: Vec<String> = body.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            encoded.join("&"),
            "bang_id=1&name=Google2&trigger=g&template=https://google.com/search?q=%s&snap_domain=google.com&regex_pattern=&shortcut_menu=true&fmt_open_snap_domain=false&fmt_open_base_path=true&fmt_url_encode_placeholder=false&fmt_url_encode_space_to_plus=false&category=search"
        );
    }

    #[test]
    fn a_form_without_its_trigger_is_drift() {
        let e = parse_form(
            &page(&FORM.replace("\"trigger\"", "\"shortcut\"")),
            "bang custom get",
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "bang custom get: the custom bang form has no trigger field; Kagi's settings page may have changed"
        );
    }
}
