//! An HTML form read the way Kagi's settings forms must be read (wire
//! protocol §7 quirk 12) and re-submitted the way a browser would, so a
//! field this version does not know survives an update.

use scraper::{ElementRef, Html, Selector};

/// The controls of one form, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    action: Option<String>,
    controls: Vec<Control>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Control {
    Input {
        name: String,
        /// Lowercase; empty when the attribute is absent.
        kind: String,
        value: Option<String>,
        checked: bool,
        disabled: bool,
    },
    Textarea {
        name: String,
        text: String,
        disabled: bool,
    },
    Select {
        name: String,
        /// What a browser submits: the selected options, else the first.
        submitted: Vec<String>,
        disabled: bool,
    },
}

impl Control {
    fn name(&self) -> &str {
        match self {
            Control::Input { name, .. }
            | Control::Textarea { name, .. }
            | Control::Select { name, .. } => name,
        }
    }

    /// The pairs a browser submits for this control.
    fn successful(&self) -> Vec<(String, String)> {
        match self {
            Control::Input {
                name,
                kind,
                value,
                checked,
                disabled: false,
            } => match kind.as_str() {
                "submit" | "button" | "reset" | "image" | "file" => vec![],
                "checkbox" | "radio" if !checked => vec![],
                "checkbox" | "radio" => {
                    vec![(name.clone(), value.clone().unwrap_or_else(|| "on".into()))]
                }
                _ => vec![(name.clone(), value.clone().unwrap_or_default())],
            },
            Control::Textarea {
                name,
                text,
                disabled: false,
            } => vec![(name.clone(), text.clone())],
            Control::Select {
                name,
                submitted,
                disabled: false,
            } => submitted
                .iter()
                .map(|v| (name.clone(), v.clone()))
                .collect(),
            _ => vec![],
        }
    }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("the SDK's own selectors are valid")
}

impl Form {
    /// The first element matching the CSS `selector` (e.g.
    /// `form[action="/lenses/update"]`, or `form` for the first form), read
    /// as a form; none when nothing matches or the selector is invalid.
    pub fn parse(html: &Html, selector: &str) -> Option<Form> {
        let wanted = Selector::parse(selector).ok()?;
        html.select(&wanted).next().map(Form::from_element)
    }

    /// The first form of the document for which `wanted` holds (e.g. the
    /// one posting to `/bangs/modify` that has a `name` field).
    pub fn find(html: &Html, wanted: impl Fn(&Form) -> bool) -> Option<Form> {
        html.select(&selector("form"))
            .map(Form::from_element)
            .find(|form| wanted(form))
    }

    /// Reads the form controls inside `element`.
    pub fn from_element(element: ElementRef<'_>) -> Form {
        let controls_selector = selector("input[name], textarea[name], select[name]");
        let option_selector = selector("option");
        let controls = element
            .select(&controls_selector)
            .map(|control| {
                let attr = |a: &str| control.value().attr(a);
                let name = attr("name").unwrap_or_default().to_string();
                let disabled = attr("disabled").is_some();
                match control.value().name() {
                    "textarea" => Control::Textarea {
                        name,
                        text: control.text().collect(),
                        disabled,
                    },
                    "select" => {
                        let options: Vec<(String, bool)> = control
                            .select(&option_selector)
                            .map(|o| {
                                let value =
                                    o.value().attr("value").map(str::to_string).unwrap_or_else(
                                        || o.text().collect::<String>().trim().into(),
                                    );
                                (value, o.value().attr("selected").is_some())
                            })
                            .collect();
                        let mut submitted: Vec<String> = options
                            .iter()
                            .filter(|(_, selected)| *selected)
                            .map(|(v, _)| v.clone())
                            .collect();
                        if submitted.is_empty() && attr("multiple").is_none() {
                            submitted.extend(options.first().map(|(v, _)| v.clone()));
                        }
                        Control::Select {
                            name,
                            submitted,
                            disabled,
                        }
                    }
                    _ => Control::Input {
                        name,
                        kind: attr("type").unwrap_or_default().to_ascii_lowercase(),
                        value: attr("value").map(str::to_string),
                        checked: attr("checked").is_some(),
                        disabled,
                    },
                }
            })
            .collect();
        Form {
            action: element.value().attr("action").map(str::to_string),
            controls,
        }
    }

    /// The form's `action` attribute.
    pub fn action(&self) -> Option<&str> {
        self.action.as_deref()
    }

    /// Whether any input, textarea or select is called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.controls.iter().any(|c| c.name() == name)
    }

    /// The `value` attribute of the first `input[name=…]`, whatever its type
    /// (empty when it has none); none without such an input.
    pub fn text(&self, name: &str) -> Option<String> {
        self.controls.iter().find_map(|c| match c {
            Control::Input { name: n, value, .. } if n == name => {
                Some(value.clone().unwrap_or_default())
            }
            _ => None,
        })
    }

    /// Whether an `input type="checkbox"` called `name` carries `checked`
    /// (whatever its value); the hidden `value="false"` twins do not count.
    pub fn checkbox(&self, name: &str) -> bool {
        self.controls.iter().any(|c| {
            matches!(c, Control::Input { name: n, kind, checked: true, .. }
                if n == name && kind == "checkbox")
        })
    }

    /// The value of the checked `input type="radio"` called `name` (`on`
    /// when it has no value).
    pub fn radio(&self, name: &str) -> Option<String> {
        self.controls.iter().find_map(|c| match c {
            Control::Input {
                name: n,
                kind,
                value,
                checked: true,
                ..
            } if n == name && kind == "radio" => Some(value.clone().unwrap_or_else(|| "on".into())),
            _ => None,
        })
    }

    /// The text of `textarea[name=…]`.
    pub fn textarea(&self, name: &str) -> Option<String> {
        self.controls.iter().find_map(|c| match c {
            Control::Textarea { name: n, text, .. } if n == name => Some(text.clone()),
            _ => None,
        })
    }

    /// The value a browser would submit for `select[name=…]`.
    pub fn select(&self, name: &str) -> Option<String> {
        self.controls.iter().find_map(|c| match c {
            Control::Select {
                name: n, submitted, ..
            } if n == name => submitted.first().cloned(),
            _ => None,
        })
    }

    /// The fields to POST: the `known` pairs in their order, then every
    /// other control a browser would submit (text-like inputs with their
    /// value, checked checkboxes and radios, textareas, selected options; no
    /// buttons), in document order. Controls named like a known pair are left
    /// out, the hidden `false` twins of known checkboxes included; so a field
    /// Kagi adds tomorrow is sent back as it was.
    pub fn submission(&self, known: &[(String, String)]) -> Vec<(String, String)> {
        let mut fields = known.to_vec();
        for control in &self.controls {
            if known.iter().any(|(k, _)| k == control.name()) {
                continue;
            }
            fields.extend(control.successful());
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LENS_FORM: &str = r#"<html><body>
<form class="search"><input name="q" value="ignored"></form>
<form class="s-form" action="/lenses/update" method="POST">
  <input type="hidden" name="id" value="22524"><input type="text" name="name" value="Reddit">
  <input type="text" name="included_sites" value="reddit.com">
  <input type="radio" name="search_region" value="no_region"><input type="radio" name="search_region" value="de" checked>
  <input type="date" name="before_time" value="none"><input name="after_time">
  <input type="checkbox" name="autocomplete_keywords" value="true" checked="false"><input type="hidden" name="autocomplete_keywords" value="false">
  <input type="checkbox" name="share_with_team" value="true"><input type="hidden" name="share_with_team" value="false">
  <input name="template" value="x"><input type="RADIO" name="template" value="1" checked>
  <input type="hidden" name="lens_color" value="teal">
  <textarea name="notes">Keep me</textarea>
  <select name="order"><option value="a">A</option><option value="b" selected>B</option></select>
  <input type="checkbox" name="extra_flag" checked><input type="checkbox" name="off_flag">
  <input type="text" name="locked" value="no" disabled>
  <button type="submit" name="save" value="1">Save</button><input type="submit" name="go" value="Go">
</form></body></html>"#;

    fn form() -> Form {
        Form::parse(&Html::parse_document(LENS_FORM), "form.s-form").expect("form")
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn text_is_the_value_of_the_first_input_whatever_its_type() {
        let f = form();
        assert_eq!(f.action(), Some("/lenses/update"));
        assert_eq!(f.text("id").as_deref(), Some("22524"));
        assert_eq!(f.text("before_time").as_deref(), Some("none"));
        // No value attribute: empty, but present.
        assert_eq!(f.text("after_time").as_deref(), Some(""));
        // The first `template` input is an untyped text input.
        assert_eq!(f.text("template").as_deref(), Some("x"));
        assert_eq!(f.text("missing"), None);
        assert!(f.has("notes") && f.has("order") && !f.has("missing"));
    }

    #[test]
    fn checkboxes_need_an_explicit_type_and_a_checked_attribute_whatever_its_value() {
        let f = form();
        assert!(
            f.checkbox("autocomplete_keywords"),
            "checked=\"false\" is checked"
        );
        assert!(!f.checkbox("share_with_team"));
        assert!(f.checkbox("extra_flag"));
        assert!(!f.checkbox("name"));
    }

    #[test]
    fn radios_need_an_explicit_type_and_are_matched_case_insensitively() {
        let f = form();
        assert_eq!(f.radio("search_region").as_deref(), Some("de"));
        assert_eq!(f.radio("template").as_deref(), Some("1"));
        assert_eq!(f.radio("name"), None);
    }

    #[test]
    fn textareas_and_selects_read_as_a_browser_would() {
        let f = form();
        assert_eq!(f.textarea("notes").as_deref(), Some("Keep me"));
        assert_eq!(f.select("order").as_deref(), Some("b"));
    }

    #[test]
    fn a_submission_keeps_unknown_fields_and_drops_the_twins_of_known_checkboxes() {
        let known = pairs(&[
            ("name", "Reddit2"),
            ("autocomplete_keywords", "false"),
            ("share_with_team", "true"),
            ("template", "0"),
        ]);
        assert_eq!(
            form().submission(&known),
            pairs(&[
                ("name", "Reddit2"),
                ("autocomplete_keywords", "false"),
                ("share_with_team", "true"),
                ("template", "0"),
                ("id", "22524"),
                ("included_sites", "reddit.com"),
                ("search_region", "de"),
                ("before_time", "none"),
                ("after_time", ""),
                ("lens_color", "teal"),
                ("notes", "Keep me"),
                ("order", "b"),
                ("extra_flag", "on"),
            ])
        );
    }

    #[test]
    fn an_unknown_twin_is_sent_as_a_browser_would() {
        // Not known: the checked box and its hidden twin both go back.
        let f = Form::parse(
            &Html::parse_document(
                r#"<form><input type="checkbox" name="new" value="true" checked><input type="hidden" name="new" value="false"></form>"#,
            ),
            "form",
        )
        .unwrap();
        assert_eq!(
            f.submission(&[]),
            pairs(&[("new", "true"), ("new", "false")])
        );
    }

    #[test]
    fn a_missing_form_or_a_bad_selector_is_none() {
        let html = Html::parse_document(LENS_FORM);
        assert!(Form::parse(&html, "form[action=\"/lenses/create\"]").is_none());
        assert!(Form::parse(&html, "form[").is_none());
    }
}
