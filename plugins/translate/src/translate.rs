//! The flow of `kagi translate`: the session, the text, detection, the
//! translation, then the auxiliary calls (wire protocol §6.12).

use crate::args::{Args, Options, resolve_text};
use crate::aux::{self, Warning};
use crate::wire::{self, DetectBody, Language, Translated};
use kagi_plugin_sdk::http::{TRANSLATE_SESSION_PLACEHOLDER, missing_credential};
use kagi_plugin_sdk::{Credential, Error, credentials, stdin};
use serde::Serialize;
use serde_json::{Map, Value};

/// The output (cli-surface §5.2), fields in this order.
#[derive(Debug, Serialize)]
pub struct Output {
    pub bootstrap: Bootstrap,
    pub detected_language: Language,
    pub translation: Translation,
    /// The auxiliary sections that answered, by name.
    #[serde(flatten)]
    pub sections: Map<String, Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// How the translate session was obtained: by the host, from Kagi's
/// `Set-Cookie` (the field keeps the reference client's value for scripts).
#[derive(Debug, Serialize)]
pub struct Bootstrap {
    pub method: &'static str,
    pub authenticated: bool,
}

#[derive(Debug, Serialize)]
pub struct Translation {
    pub translation: String,
    pub source_language: String,
    pub target_language: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detected_language: Option<Language>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<Value>,
}

/// The `/api/translate` body: the options flattened in under their names.
#[derive(Serialize)]
struct TranslateBody<'a> {
    text: &'a str,
    from: &'a str,
    to: &'a str,
    stream: bool,
    session_token: &'a str,
    #[serde(flatten)]
    options: &'a Options,
}

pub fn run(args: Args) -> Result<Output, Error> {
    // The session first: without one, stdin is never read.
    if !credentials::configured().session {
        return Err(missing_credential(Credential::Session));
    }
    let text = resolve_text(args.text, stdin::read_to_string)?;
    let detected = wire::detected(wire::fetch(&wire::post(
        "/api/detect",
        &DetectBody {
            include_alternatives: true,
            text: &text,
        },
    )?)?)?;
    let from = source_language(&args.from, &detected);
    let translated: Translated = wire::fetch(&wire::post(
        "/api/translate",
        &TranslateBody {
            text: &text,
            from,
            to: &args.to,
            stream: false,
            session_token: TRANSLATE_SESSION_PLACEHOLDER,
            options: &args.options,
        },
    )?)?;
    let translation = Translation {
        source_language: known(translated.source_language).unwrap_or_else(|| from.to_string()),
        target_language: known(translated.target_language).unwrap_or_else(|| args.to.clone()),
        translation: translated.translation,
        detected_language: translated.detected_language,
        definition: translated.definition,
    };
    let (answers, warnings) = aux::fetch(
        &aux::Translated {
            text: &text,
            translation: &translation.translation,
            source: &translation.source_language,
            target: &translation.target_language,
            options: &args.options,
        },
        args.skip,
    );
    Ok(Output {
        bootstrap: Bootstrap {
            method: "reqwest(set-cookie bootstrap)",
            authenticated: true,
        },
        detected_language: detected,
        translation,
        sections: answers
            .into_iter()
            .map(|(section, answer)| (section.name().to_string(), answer))
            .collect(),
        warnings,
    })
}

/// `--from`, or the detected language when it is `auto` and detection found one.
fn source_language<'a>(from: &'a str, detected: &'a Language) -> &'a str {
    if from == "auto" && !detected.iso.trim().is_empty() {
        &detected.iso
    } else {
        from
    }
}

fn known(language: Option<String>) -> Option<String> {
    language.filter(|l| !l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(iso: &str) -> Language {
        Language {
            iso: iso.into(),
            label: "L".into(),
            is_uncertain: false,
            is_mixed: false,
            alternatives: None,
        }
    }

    #[test]
    fn auto_uses_the_detected_language_unless_detection_found_none() {
        assert_eq!(source_language("auto", &language("fr")), "fr");
        assert_eq!(source_language("auto", &language("")), "auto");
        assert_eq!(source_language("de", &language("fr")), "de");
    }

    #[test]
    fn the_translate_body_flattens_the_options_and_carries_the_placeholder() {
        let options = Options {
            translation_style: Some("poetic".into()),
            preserve_formatting: Some(false),
            ..Options::default()
        };
        let body = TranslateBody {
            text: "Bonjour",
            from: "fr",
            to: "en",
            stream: false,
            session_token: TRANSLATE_SESSION_PLACEHOLDER,
            options: &options,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"text":"Bonjour","from":"fr","to":"en","stream":false,
                "session_token":TRANSLATE_SESSION_PLACEHOLDER,
                "translation_style":"poetic","preserve_formatting":false})
        );
    }
}
