//! One lens in full detail: read from its edit form, changed by a command
//! line or an import file, and posted back with every other field as it was.

use crate::args::Changes;
use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::settings_html::{Form, Page, drifted};
use serde::{Deserialize, Serialize};

/// `lens get` prints this; `lens export` adds `enabled`. Import reads it
/// back: only `name` is required there, the rest takes the blank form's
/// defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lens {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub included_sites: String,
    #[serde(default)]
    pub included_keywords: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "no_region")]
    pub search_region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_time: Option<String>,
    #[serde(default)]
    pub excluded_sites: String,
    #[serde(default)]
    pub excluded_keywords: String,
    #[serde(default)]
    pub shortcut_keyword: String,
    #[serde(default)]
    pub autocomplete_keywords: bool,
    /// The form value: `0` (default) or `1` (news).
    #[serde(default = "default_template")]
    pub template: String,
    #[serde(default)]
    pub file_type: String,
    #[serde(default)]
    pub share_with_team: bool,
    #[serde(default)]
    pub share_copy_code: bool,
    /// In exports only: whether the lens is switched on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

fn no_region() -> String {
    "no_region".to_string()
}

fn default_template() -> String {
    "0".to_string()
}

/// `none` (any case) or nothing means no date.
fn date(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty() && !value.eq_ignore_ascii_case("none")).then(|| value.to_string())
}

fn form_missing(what: &str) -> Error {
    drifted("lens form", what)
}

/// The lens form of a page: the first form with a `name` input.
pub fn read_form(page: &Page) -> Result<Form, Error> {
    Form::find(&page.document(), |form| form.text("name").is_some())
        .ok_or_else(|| form_missing("no form with a name field found"))
}

impl Lens {
    /// Reads the form (wire protocol §6.20 and §7 quirks 12–13: a missing
    /// field reads as its default).
    pub fn from_form(form: &Form) -> Result<Lens, Error> {
        let text = |name: &str| form.text(name).unwrap_or_default();
        Ok(Lens {
            id: form.text("id").filter(|id| !id.is_empty()),
            name: form
                .text("name")
                .ok_or_else(|| form_missing("no name field found"))?,
            included_sites: text("included_sites"),
            included_keywords: text("included_keywords"),
            description: text("description"),
            search_region: form.radio("search_region").unwrap_or_else(no_region),
            before_time: date(&text("before_time")),
            after_time: date(&text("after_time")),
            excluded_sites: text("excluded_sites"),
            excluded_keywords: text("excluded_keywords"),
            shortcut_keyword: text("shortcut_keyword"),
            autocomplete_keywords: form.checkbox("autocomplete_keywords"),
            template: form.radio("template").unwrap_or_else(default_template),
            file_type: text("file_type"),
            share_with_team: form.checkbox("share_with_team"),
            share_copy_code: form.checkbox("share_copy_code"),
            enabled: None,
        })
    }

    /// Sets what the command line names, nothing else.
    pub fn apply(&mut self, changes: &Changes) {
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(value) = value {
                field.clone_from(value);
            }
        };
        set(&mut self.included_sites, &changes.included_sites);
        set(&mut self.included_keywords, &changes.included_keywords);
        set(&mut self.description, &changes.description);
        set(&mut self.search_region, &changes.region);
        if let Some(before) = &changes.before_date {
            self.before_time = date(before);
        }
        if let Some(after) = &changes.after_date {
            self.after_time = date(after);
        }
        set(&mut self.excluded_sites, &changes.excluded_sites);
        set(&mut self.excluded_keywords, &changes.excluded_keywords);
        set(&mut self.shortcut_keyword, &changes.shortcut);
        set(&mut self.template, &changes.template);
        set(&mut self.file_type, &changes.file_type);
        let switch = |field: &mut bool, value: Option<bool>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        switch(
            &mut self.autocomplete_keywords,
            changes.autocomplete_keywords,
        );
        switch(&mut self.share_with_team, changes.share_with_team);
        switch(&mut self.share_copy_code, changes.share_copy_code);
    }

    /// The same lens settings, whatever its id and enabled state.
    pub fn same_settings(&self, other: &Lens) -> bool {
        let bare = |l: &Lens| Lens {
            id: None,
            enabled: None,
            ..l.clone()
        };
        bare(self) == bare(other)
    }

    /// The form body Kagi expects (wire protocol §6.20): the known fields in
    /// their order, `date_range=0`, booleans as `true`/`false`, `id` last
    /// when the form has one; then every other field of `form` as it was.
    pub fn submission(&self, form: &Form) -> Vec<(String, String)> {
        let bool_text = |b: bool| if b { "true" } else { "false" }.to_string();
        let mut known: Vec<(&str, String)> = vec![
            ("name", self.name.clone()),
            ("included_sites", self.included_sites.clone()),
            ("included_keywords", self.included_keywords.clone()),
            ("description", self.description.clone()),
            ("search_region", self.search_region.clone()),
            ("date_range", "0".to_string()),
            ("before_time", self.before_time.clone().unwrap_or_default()),
            ("after_time", self.after_time.clone().unwrap_or_default()),
            ("excluded_sites", self.excluded_sites.clone()),
            ("excluded_keywords", self.excluded_keywords.clone()),
            ("shortcut_keyword", self.shortcut_keyword.clone()),
            (
                "autocomplete_keywords",
                bool_text(self.autocomplete_keywords),
            ),
            ("template", self.template.clone()),
            ("file_type", self.file_type.clone()),
            ("share_with_team", bool_text(self.share_with_team)),
            ("share_copy_code", bool_text(self.share_copy_code)),
        ];
        if let Some(id) = form.text("id") {
            known.push(("id", id));
        }
        let known: Vec<(String, String)> =
            known.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        form.submission(&known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::settings_html::scraper::Html;

    /// The edit form of wire protocol §6.20, plus a field Kagi may add.
    const EDIT_FORM: &str = r#"<form class="s-form" action="/lenses/update" method="POST">
  <input type="hidden" name="id" value="22524"><input type="text" name="name" value="Reddit">
  <input type="text" name="included_sites" value="reddit.com"><input type="text" name="included_keywords" value="">
  <input type="text" name="description" value=""><input type="radio" name="search_region" value="no_region" checked>
  <input type="date" name="before_time" value="none"><input type="date" name="after_time" value="">
  <input type="text" name="excluded_sites" value=""><input type="text" name="excluded_keywords" value="">
  <input type="text" name="shortcut_keyword" value="reddit">
  <input type="checkbox" name="autocomplete_keywords" value="true" checked><input type="radio" name="template" value="0" checked>
  <input type="text" name="file_type" value="pdf">
  <input type="checkbox" name="share_with_team" value="true"><input type="checkbox" name="share_copy_code" value="true" checked>
  <input type="hidden" name="lens_color" value="teal"></form>"#;

    fn form(html: &str) -> Form {
        Form::parse(&Html::parse_document(html), "form").unwrap()
    }

    fn body(pairs: &[(String, String)]) -> String {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn the_edit_form_reads_as_the_get_shape() {
        let lens = Lens::from_form(&form(EDIT_FORM)).unwrap();
        assert_eq!(
            serde_json::to_value(&lens).unwrap(),
            serde_json::json!({"id":"22524","name":"Reddit","included_sites":"reddit.com","included_keywords":"",
                "description":"","search_region":"no_region","excluded_sites":"","excluded_keywords":"",
                "shortcut_keyword":"reddit","autocomplete_keywords":true,"template":"0","file_type":"pdf",
                "share_with_team":false,"share_copy_code":true})
        );
    }

    #[test]
    fn an_update_changes_what_is_named_and_sends_the_rest_back_with_id_last_then_unknown_fields() {
        let form = form(EDIT_FORM);
        let mut lens = Lens::from_form(&form).unwrap();
        lens.apply(&Changes {
            description: Some("d".into()),
            file_type: Some(String::new()),
            ..Changes::default()
        });
        assert_eq!(
            body(&lens.submission(&form)),
            "name=Reddit&included_sites=reddit.com&included_keywords=&description=d&search_region=no_region&date_range=0&before_time=&after_time=&excluded_sites=&excluded_keywords=&shortcut_keyword=reddit&autocomplete_keywords=true&template=0&file_type=&share_with_team=false&share_copy_code=true&id=22524&lens_color=teal"
        );
    }

    #[test]
    fn dates_given_as_none_clear_and_others_are_kept_as_given() {
        let mut lens = Lens::from_form(&form(EDIT_FORM)).unwrap();
        lens.apply(&Changes {
            after_date: Some("2024-01-31".into()),
            ..Changes::default()
        });
        assert_eq!(lens.after_time.as_deref(), Some("2024-01-31"));
        lens.apply(&Changes {
            after_date: Some("NONE".into()),
            ..Changes::default()
        });
        assert_eq!(lens.after_time, None);
    }

    #[test]
    fn a_form_without_id_sends_none_and_missing_fields_take_their_defaults() {
        let blank = form(
            r#"<form action="/lenses/create"><input type="text" name="name" value=""></form>"#,
        );
        let mut lens = Lens::from_form(&blank).unwrap();
        lens.name = "Docs".into();
        assert_eq!(
            body(&lens.submission(&blank)),
            "name=Docs&included_sites=&included_keywords=&description=&search_region=no_region&date_range=0&before_time=&after_time=&excluded_sites=&excluded_keywords=&shortcut_keyword=&autocomplete_keywords=false&template=0&file_type=&share_with_team=false&share_copy_code=false"
        );
    }

    #[test]
    fn a_page_without_the_lens_form_names_what_is_missing() {
        let page = Page {
            url: "http://x/settings/create_lens".into(),
            html: "<form><input name=\"q\"></form>".into(),
        };
        assert_eq!(
            read_form(&page).unwrap_err().to_string(),
            "parse error: lens form: no form with a name field found; Kagi's settings page may have changed"
        );
    }
}
