//! Reading Kagi's custom assistant pages (wire protocol §6.19): the list of
//! assistants and the edit form. A layout that drifted is a parse error
//! naming what is missing, never a wrong result.

use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::settings_html::scraper::{ElementRef, Html};
use kagi_plugin_sdk::settings_html::{Form, Page, query_param, selector, text_of, toggle_on};
use serde::Serialize;

/// Where the edit form posts: create and update alike.
pub const UPDATE: &str = "/settings/ast/profiles/update";
pub const DELETE: &str = "/settings/ast/profiles/delete";

/// One assistant of the list (`assistant custom list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub id: String,
    pub name: String,
    pub invoke_profile: String,
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bang_trigger: Option<String>,
    pub internet_access: bool,
    pub built_in: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit_url: Option<String>,
}

/// One custom assistant in full (`get`, `create`, `update`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Details {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bang_trigger: Option<String>,
    pub internet_access: bool,
    pub selected_lens: String,
    pub personalizations: bool,
    pub base_model: String,
    pub custom_instructions: String,
    pub delete_supported: bool,
}

impl Details {
    /// The 8 fields Kagi's form posts, in its order (booleans `on` or
    /// `false`), then every other field of `form` as it was.
    pub fn submission(&self, form: &Form) -> Vec<(String, String)> {
        let flag = |on: bool| if on { "on" } else { "false" }.to_string();
        let known = [
            ("profile_id", self.profile_id.clone().unwrap_or_default()),
            ("name", self.name.clone()),
            (
                "bang_trigger",
                self.bang_trigger.clone().unwrap_or_default(),
            ),
            ("internet_access", flag(self.internet_access)),
            ("selected_lens", self.selected_lens.clone()),
            ("personalizations", flag(self.personalizations)),
            ("base_model", self.base_model.clone()),
            ("custom_instructions", self.custom_instructions.clone()),
        ]
        .map(|(k, v)| (k.to_string(), v));
        form.submission(&known)
    }
}

/// `custom assistant list: <what>; Kagi's settings page may have changed`.
fn drifted(what: &str) -> Error {
    kagi_plugin_sdk::settings_html::drifted("custom assistant list", what)
}

/// Every `#custom_mode_table #items_p .item`. A page without the table is a
/// redesign (an account always has the built-in assistants).
pub fn parse_list(html: &str) -> Result<Vec<Listed>, Error> {
    let doc = Html::parse_document(html);
    if doc.select(&selector("#custom_mode_table")).next().is_none() {
        return Err(drifted("no assistant table (#custom_mode_table) found"));
    }
    doc.select(&selector("#custom_mode_table #items_p .item"))
        .map(parse_item)
        .collect()
}

fn parse_item(item: ElementRef<'_>) -> Result<Listed, Error> {
    let id = item
        .value()
        .attr("id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| drifted("an assistant item has no id"))?
        .to_string();
    let link = item
        .select(&selector(".item-name a"))
        .next()
        .ok_or_else(|| drifted(&format!("assistant {id} has no name link (.item-name a)")))?;
    let name = text_of(link);
    let href = link
        .value()
        .attr("href")
        .ok_or_else(|| drifted(&format!("the name link of assistant {id} has no href")))?;
    let invoke_profile = query_param(href, "profile")
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| id.clone());
    let blocks: Vec<ElementRef> = item.select(&selector(".item-details > div")).collect();
    let dd = selector("dd");
    let dd_of = |block: Option<&ElementRef>| block.and_then(|b| b.select(&dd).next()).map(text_of);
    let model = dd_of(blocks.first())
        .filter(|m| !m.is_empty())
        .ok_or_else(|| {
            drifted(&format!(
                "assistant '{name}' has no model (.item-details dd)"
            ))
        })?;
    // Model, [bang trigger], internet access: a trigger only between the two.
    let bang_trigger = match blocks.as_slice() {
        [_, trigger, _, ..] => Some(text_of(*trigger)).filter(|t| !t.is_empty()),
        _ => None,
    };
    let internet = match blocks.as_slice() {
        [_, .., last] => dd_of(Some(last)),
        _ => None,
    };
    let internet = internet.ok_or_else(|| {
        drifted(&format!(
            "assistant '{name}' has no internet access entry (.item-details dd)"
        ))
    })?;
    let edit_url = item
        .select(&selector(".edit a[href]"))
        .find_map(|a| a.value().attr("href"))
        .map(str::to_string);
    Ok(Listed {
        id,
        name,
        invoke_profile,
        model,
        bang_trigger,
        internet_access: toggle_on(&internet),
        built_in: edit_url.is_none(),
        edit_url,
    })
}

/// The assistant form of an edit page and the assistant it shows.
pub fn parse_form(page: &Page) -> Result<(Form, Details), Error> {
    let doc = page.document();
    let form = Form::find(&doc, |f| f.action() == Some(UPDATE) && f.has("name"))
        .ok_or_else(|| Error::parse("assistant form missing name"))?;
    let name = form
        .text("name")
        .ok_or_else(|| Error::parse("assistant form missing name"))?;
    let selected_lens = form
        .radio("selected_lens")
        .ok_or_else(|| Error::parse("assistant form missing selected lens"))?;
    let details = Details {
        profile_id: form.text("profile_id").filter(|id| !id.is_empty()),
        name,
        bang_trigger: form.text("bang_trigger").filter(|t| !t.is_empty()),
        internet_access: form.checkbox("internet_access"),
        selected_lens,
        personalizations: form.checkbox("personalizations"),
        base_model: form.radio("base_model").unwrap_or_default(),
        custom_instructions: form.textarea("custom_instructions").unwrap_or_default(),
        delete_supported: doc
            .select(&selector(&format!("form[action=\"{DELETE}\"]")))
            .next()
            .is_some(),
    };
    Ok((form, details))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"<div id="custom_mode_table"><ul id="items_p">
 <li class="item" id="code"><div class="item-name"><a href="/assistant?profile=code">Code</a></div>
  <dl class="item-details"><div><dt>Model:</dt><dd>Claude</dd></div><div><dt>Internet Access:</dt><dd>Yes</dd></div></dl></li>
 <li class="item" id="profile-2"><div class="item-name"><a href="/assistant?profile=writer">Writer</a></div>
  <dl class="item-details"><div><dt>Model:</dt><dd>GPT 5 Mini</dd></div><div>!write</div><div><dt>Internet Access:</dt><dd>Off</dd></div></dl>
  <div class="edit"><a href="/settings/custom_assistant?id=profile-2">Edit</a></div></li></ul></div>"#;

    #[test]
    fn the_list_reads_built_in_and_custom_assistants() {
        let items = parse_list(LIST).unwrap();
        assert_eq!(
            serde_json::to_value(&items).unwrap(),
            serde_json::json!([
                {"id": "code", "name": "Code", "invoke_profile": "code", "model": "Claude",
                 "internet_access": true, "built_in": true},
                {"id": "profile-2", "name": "Writer", "invoke_profile": "writer",
                 "model": "GPT 5 Mini", "bang_trigger": "!write", "internet_access": false,
                 "built_in": false, "edit_url": "/settings/custom_assistant?id=profile-2"},
            ])
        );
    }

    #[test]
    fn an_item_without_a_model_is_a_parse_error_not_a_blank_model() {
        let html = LIST.replace("<dd>GPT 5 Mini</dd>", "");
        assert_eq!(
            parse_list(&html).unwrap_err().to_string(),
            "parse error: custom assistant list: assistant 'Writer' has no model (.item-details dd); Kagi's settings page may have changed"
        );
    }

    #[test]
    fn a_page_without_the_table_is_a_parse_error_not_an_empty_list() {
        assert!(
            parse_list("<p>new design</p>")
                .unwrap_err()
                .to_string()
                .contains("no assistant table (#custom_mode_table) found")
        );
    }

    const FORM: &str = r#"<form class="s-form" action="/settings/ast/profiles/update" method="POST">
  <input type="hidden" name="profile_id" value="profile-2"><input type="text" name="name" value="Writer">
  <input type="text" name="bang_trigger" value="write">
  <input type="checkbox" name="internet_access" checked value="on"><input type="hidden" name="internet_access" value="false">
  <input type="radio" name="selected_lens" value="0"><input type="radio" name="selected_lens" value="15" checked>
  <input type="checkbox" name="personalizations" value="on"><input type="hidden" name="personalizations" value="false">
  <input type="radio" name="base_model" value="gpt-5-mini" checked>
  <input type="hidden" name="temperature" value="0.7">
  <textarea name="custom_instructions">Write clearly.</textarea></form>
<form action="/settings/ast/profiles/delete" method="POST"></form>"#;

    fn page(html: &str) -> Page {
        Page {
            url: "http://127.0.0.1/settings/custom_assistant?id=profile-2".into(),
            html: html.into(),
        }
    }

    #[test]
    fn the_form_reads_as_the_wire_protocol_says_and_posts_its_8_fields_first() {
        let (form, details) = parse_form(&page(FORM)).unwrap();
        assert_eq!(
            serde_json::to_value(&details).unwrap(),
            serde_json::json!({"profile_id": "profile-2", "name": "Writer", "bang_trigger": "write",
                "internet_access": true, "selected_lens": "15", "personalizations": false,
                "base_model": "gpt-5-mini", "custom_instructions": "Write clearly.",
                "delete_supported": true})
        );
        let body: Vec<String> = details
            .submission(&form)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            body.join("&"),
            "profile_id=profile-2&name=Writer&bang_trigger=write&internet_access=on&selected_lens=15&personalizations=false&base_model=gpt-5-mini&custom_instructions=Write clearly.&temperature=0.7"
        );
    }

    #[test]
    fn a_form_without_a_checked_lens_or_a_name_is_a_parse_error() {
        let no_lens = FORM.replace(" value=\"15\" checked", " value=\"15\"");
        assert_eq!(
            parse_form(&page(&no_lens)).unwrap_err().to_string(),
            "parse error: assistant form missing selected lens"
        );
        let no_name = FORM.replace("name=\"name\"", "name=\"title\"");
        assert_eq!(
            parse_form(&page(&no_name)).unwrap_err().to_string(),
            "parse error: assistant form missing name"
        );
    }
}
