//! The four auxiliary calls made after the translation (wire protocol
//! §6.12), concurrently; each can be skipped, and a failing one becomes a
//! warning rather than failing the command.

use crate::args::{Options, Skip};
use crate::wire;
use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::http::{self, Request, TRANSLATE_SESSION_PLACEHOLDER};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the auxiliary calls work on.
pub struct Translated<'a> {
    pub text: &'a str,
    pub translation: &'a str,
    pub source: &'a str,
    pub target: &'a str,
    pub options: &'a Options,
}

/// One auxiliary call: its route and its section of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Alternatives,
    TextAlignments,
    TranslationSuggestions,
    WordInsights,
}

impl Section {
    const ALL: [Section; 4] = [
        Section::Alternatives,
        Section::TextAlignments,
        Section::TranslationSuggestions,
        Section::WordInsights,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Alternatives => "alternatives",
            Section::TextAlignments => "text_alignments",
            Section::TranslationSuggestions => "translation_suggestions",
            Section::WordInsights => "word_insights",
        }
    }

    fn skipped(self, skip: Skip) -> bool {
        match self {
            Section::Alternatives => skip.alternatives,
            Section::TextAlignments => skip.alignments,
            Section::TranslationSuggestions => skip.suggestions,
            Section::WordInsights => skip.word_insights,
        }
    }

    /// The request, its body cased as this route expects.
    fn request(self, t: &Translated) -> Result<Request, Error> {
        let session = TRANSLATE_SESSION_PLACEHOLDER;
        let options = translation_options(t.options);
        match self {
            Section::Alternatives => wire::post(
                "/api/alternative-translations",
                &AlternativesBody {
                    original_text: t.text,
                    existing_translation: t.translation,
                    source_lang: t.source,
                    target_lang: t.target,
                    session_token: session,
                    quality: t.options.quality.as_deref().map(auxiliary_quality),
                    translation_options: options,
                },
            ),
            Section::TextAlignments => wire::post(
                "/api/text-alignments",
                &serde_json::json!({
                    "source_text": t.text,
                    "target_text": t.translation,
                    "session_token": session,
                }),
            ),
            Section::TranslationSuggestions => wire::post(
                "/api/translation-suggestions",
                &SuggestionsBody {
                    original_text: t.text,
                    translated_text: t.translation,
                    source_language: t.source,
                    target_language: t.target,
                    language: t.target,
                    session_token: session,
                    translation_options: options,
                },
            ),
            Section::WordInsights => wire::post(
                "/api/word-insights",
                &InsightsBody {
                    original_text: t.text,
                    translated_text: t.translation,
                    target_explanation_language: t.target,
                    session_token: session,
                    translation_options: options,
                },
            ),
        }
    }

    /// The answer, in the shape the output keeps.
    fn decode(self, status: u16, body: &[u8]) -> Result<Value, Error> {
        fn typed<T: serde::de::DeserializeOwned + Serialize>(
            status: u16,
            body: &[u8],
        ) -> Result<Value, Error> {
            let answer: T = wire::decode(status, body)?;
            serde_json::to_value(answer).map_err(|e| Error::parse(e.to_string()))
        }
        match self {
            Section::Alternatives => typed::<Alternatives>(status, body),
            Section::TextAlignments => typed::<Alignments>(status, body),
            Section::TranslationSuggestions => typed::<Suggestions>(status, body),
            Section::WordInsights => typed::<Insights>(status, body),
        }
    }
}

/// A failed auxiliary call, as shown under `warnings`.
#[derive(Debug, Serialize, PartialEq)]
pub struct Warning {
    pub section: &'static str,
    pub message: String,
}

/// Runs the calls not skipped, all at once: each section's answer, and a
/// warning for each that failed.
pub fn fetch(t: &Translated, skip: Skip) -> (Vec<(Section, Value)>, Vec<Warning>) {
    let mut sections = Vec::new();
    let mut requests = Vec::new();
    let mut warnings = Vec::new();
    for section in Section::ALL.into_iter().filter(|s| !s.skipped(skip)) {
        match section.request(t) {
            Ok(request) => {
                sections.push(section);
                requests.push(request);
            }
            Err(e) => warnings.push(warning(section, &e)),
        }
    }
    let mut answers = Vec::new();
    for (section, fetched) in sections.into_iter().zip(http::send_all(&requests, 4)) {
        match fetched.and_then(|(response, body)| section.decode(response.status(), &body)) {
            Ok(answer) => answers.push((section, answer)),
            Err(e) => warnings.push(warning(section, &e)),
        }
    }
    (answers, warnings)
}

fn warning(section: Section, error: &Error) -> Warning {
    Warning {
        section: section.name(),
        message: error.to_string(),
    }
}

/// `best` and `deep_*` ask for the best auxiliary answers; anything else
/// for standard ones.
fn auxiliary_quality(quality: &str) -> &'static str {
    if quality == "best" || quality.starts_with("deep_") {
        "best"
    } else {
        "standard"
    }
}

/// The tone options, `style` from `--translation-style`; none set: omitted.
#[derive(Debug, Serialize, PartialEq)]
struct TranslationOptions<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    formality: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker_gender: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    addressee_gender: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language_complexity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    style: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
}

fn translation_options(o: &Options) -> Option<TranslationOptions<'_>> {
    let options = TranslationOptions {
        formality: o.formality.as_deref(),
        speaker_gender: o.speaker_gender.as_deref(),
        addressee_gender: o.addressee_gender.as_deref(),
        language_complexity: o.language_complexity.as_deref(),
        style: o.translation_style.as_deref(),
        context: o.context.as_deref(),
    };
    let none = TranslationOptions {
        formality: None,
        speaker_gender: None,
        addressee_gender: None,
        language_complexity: None,
        style: None,
        context: None,
    };
    (options != none).then_some(options)
}

#[derive(Serialize)]
struct AlternativesBody<'a> {
    original_text: &'a str,
    existing_translation: &'a str,
    source_lang: &'a str,
    target_lang: &'a str,
    session_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    quality: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation_options: Option<TranslationOptions<'a>>,
}

/// The one camelCase body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuggestionsBody<'a> {
    original_text: &'a str,
    translated_text: &'a str,
    source_language: &'a str,
    target_language: &'a str,
    language: &'a str,
    #[serde(rename = "session_token")]
    session_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation_options: Option<TranslationOptions<'a>>,
}

#[derive(Serialize)]
struct InsightsBody<'a> {
    original_text: &'a str,
    translated_text: &'a str,
    target_explanation_language: &'a str,
    session_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation_options: Option<TranslationOptions<'a>>,
}

#[derive(Serialize, Deserialize)]
struct Alternatives {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    original_description: Option<String>,
    #[serde(default)]
    elements: Vec<Element>,
}

#[derive(Serialize, Deserialize)]
struct Element {
    translation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    explanation: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Alignments {
    #[serde(default)]
    source_blocks: Vec<Value>,
    #[serde(default)]
    target_blocks: Vec<Value>,
    #[serde(default)]
    source_roles: Vec<Value>,
    #[serde(default)]
    target_roles: Vec<Value>,
    #[serde(default)]
    alignments: Vec<Value>,
}

#[derive(Serialize, Deserialize)]
struct Suggestions {
    #[serde(default)]
    suggestions: Vec<Suggestion>,
}

#[derive(Serialize, Deserialize)]
struct Suggestion {
    id: Value,
    label: String,
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    icon: Option<Value>,
    #[serde(default)]
    steps: Vec<Value>,
    #[serde(rename = "exclusiveWith", default)]
    exclusive_with: Vec<Value>,
}

#[derive(Serialize, Deserialize)]
struct Insights {
    #[serde(default)]
    insights: Vec<Insight>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    marked_translation: Option<Value>,
}

#[derive(Serialize, Deserialize)]
struct Insight {
    id: Value,
    original_text: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    variations: Vec<Variation>,
}

#[derive(Serialize, Deserialize)]
struct Variation {
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    explanation: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(r: &Request) -> Value {
        serde_json::from_slice(r.body_bytes().unwrap()).unwrap()
    }

    fn translated(options: &Options) -> Translated<'_> {
        Translated {
            text: "Bonjour",
            translation: "Hello",
            source: "fr",
            target: "en",
            options,
        }
    }

    #[test]
    fn each_route_gets_its_own_casing_and_the_session_placeholder() {
        let options = Options::default();
        let t = translated(&options);
        let p = TRANSLATE_SESSION_PLACEHOLDER;
        let r = Section::Alternatives.request(&t).unwrap();
        assert_eq!(r.path(), "/api/alternative-translations");
        assert_eq!(
            body(&r),
            json!({"original_text":"Bonjour","existing_translation":"Hello","source_lang":"fr","target_lang":"en","session_token":p})
        );
        let r = Section::TranslationSuggestions.request(&t).unwrap();
        assert_eq!(
            body(&r),
            json!({"originalText":"Bonjour","translatedText":"Hello","sourceLanguage":"fr","targetLanguage":"en","language":"en","session_token":p})
        );
        let r = Section::WordInsights.request(&t).unwrap();
        assert_eq!(
            body(&r),
            json!({"original_text":"Bonjour","translated_text":"Hello","target_explanation_language":"en","session_token":p})
        );
        let r = Section::TextAlignments.request(&t).unwrap();
        assert_eq!(
            body(&r),
            json!({"source_text":"Bonjour","target_text":"Hello","session_token":p})
        );
        assert_eq!(
            r.credential_used(),
            Some(kagi_plugin_sdk::Credential::Translate)
        );
    }

    #[test]
    fn quality_is_normalised_and_style_becomes_translation_options_style() {
        let options = Options {
            quality: Some("deep_v2".into()),
            translation_style: Some("poetic".into()),
            formality: Some("formal".into()),
            ..Options::default()
        };
        let t = translated(&options);
        let b = body(&Section::Alternatives.request(&t).unwrap());
        assert_eq!(b["quality"], "best");
        assert_eq!(
            b["translation_options"],
            json!({"formality":"formal","style":"poetic"})
        );
        let b = body(&Section::TranslationSuggestions.request(&t).unwrap());
        assert_eq!(
            b["translationOptions"],
            json!({"formality":"formal","style":"poetic"})
        );
        assert_eq!(auxiliary_quality("best"), "best");
        assert_eq!(auxiliary_quality("fast"), "standard");
    }
}
