//! The arguments of `kagi translate` (cli-surface §1.10).

use kagi_plugin_sdk::{Error, FromInvocation, Invocation};
use serde::Serialize;
use serde_json::Value;

/// The options passed through to `/api/translate` under snake_case names;
/// each is trimmed and left out when empty.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Options {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prediction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicted_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addressee_gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_complexity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation_style: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dictionary_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_definition_context: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_language_features: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preserve_formatting: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_memory: Option<Value>,
}

/// Which auxiliary calls `--no-*` skips.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Skip {
    pub alternatives: bool,
    pub word_insights: bool,
    pub suggestions: bool,
    pub alignments: bool,
}

#[derive(Debug)]
pub struct Args {
    /// TEXT, or `None` to read stdin (after the session is checked).
    pub text: Option<String>,
    /// `--from`; `auto` means the detected language.
    pub from: String,
    pub to: String,
    pub options: Options,
    pub skip: Skip,
}

impl FromInvocation for Args {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let to: String = inv.get("to")?;
        if to.trim() == "auto" {
            return Err(Error::config(
                "translate --to cannot be 'auto'; pass an explicit target language code",
            ));
        }
        let text = |name: &str| -> Result<Option<String>, Error> {
            let value: Option<String> = inv.get_opt(name)?;
            Ok(value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()))
        };
        let options = Options {
            quality: text("quality")?,
            model: text("model")?,
            prediction: text("prediction")?,
            predicted_language: text("predicted-language")?,
            formality: text("formality")?,
            speaker_gender: text("speaker-gender")?,
            addressee_gender: text("addressee-gender")?,
            language_complexity: text("language-complexity")?,
            translation_style: text("translation-style")?,
            context: text("context")?,
            dictionary_language: text("dictionary-language")?,
            time_format: text("time-format")?,
            use_definition_context: inv.get_opt("use-definition-context")?,
            enable_language_features: inv.get_opt("enable-language-features")?,
            preserve_formatting: inv.get_opt("preserve-formatting")?,
            context_memory: context_memory(inv.get_opt("context-memory-json")?)?,
        };
        Ok(Args {
            text: inv.get_opt("text")?,
            from: inv.get::<String>("from")?.trim().to_string(),
            to: to.trim().to_string(),
            options,
            skip: Skip {
                alternatives: inv.get_flag("no-alternatives")?,
                word_insights: inv.get_flag("no-word-insights")?,
                suggestions: inv.get_flag("no-suggestions")?,
                alignments: inv.get_flag("no-alignments")?,
            },
        })
    }
}

/// `--context-memory-json`: a JSON array, sent as `context_memory`.
fn context_memory(raw: Option<String>) -> Result<Option<Value>, Error> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(None);
    };
    let value: Value = serde_json::from_str(&raw).map_err(|e| {
        Error::config(format!(
            "--context-memory-json must be valid JSON; parse failed: {e}"
        ))
    })?;
    if !value.is_array() {
        return Err(Error::config("--context-memory-json must be a JSON array"));
    }
    Ok(Some(value))
}

/// The text to translate: TEXT, or stdin read whole and trimmed.
pub fn resolve_text(
    text: Option<String>,
    stdin: impl FnOnce() -> Result<String, Error>,
) -> Result<String, Error> {
    let text = match text {
        Some(text) => text,
        None => stdin()?.trim().to_string(),
    };
    if text.trim().is_empty() {
        return Err(Error::config("translate requires TEXT or non-empty stdin"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[(&str, &[&str])]) -> Result<Args, Error> {
        Args::from_invocation(&crate::test_invocation(&["translate"], args))
    }

    #[test]
    fn defaults_are_auto_to_english_with_nothing_optional() {
        let a = parsed(&[("text", &["Bonjour"])]).unwrap();
        assert_eq!((a.from.as_str(), a.to.as_str()), ("auto", "en"));
        assert_eq!(a.options, Options::default());
        assert_eq!(a.skip, Skip::default());
    }

    #[test]
    fn string_options_are_trimmed_and_empty_means_unset() {
        let a = parsed(&[("formality", &["  formal "]), ("model", &["  "])]).unwrap();
        assert_eq!(a.options.formality.as_deref(), Some("formal"));
        assert_eq!(a.options.model, None);
    }

    #[test]
    fn auto_is_refused_as_the_target() {
        let e = parsed(&[("to", &["auto"])]).unwrap_err();
        assert_eq!(
            e.message,
            "translate --to cannot be 'auto'; pass an explicit target language code"
        );
    }

    #[test]
    fn context_memory_must_be_a_json_array() {
        let e = parsed(&[("context-memory-json", &["{\"a\":1}"])]).unwrap_err();
        assert_eq!(e.message, "--context-memory-json must be a JSON array");
        let e = parsed(&[("context-memory-json", &["[1,"])]).unwrap_err();
        assert!(
            e.message
                .starts_with("--context-memory-json must be valid JSON; parse failed: "),
            "{}",
            e.message
        );
        let a = parsed(&[("context-memory-json", &["[{\"a\":1}]"])]).unwrap();
        assert_eq!(
            a.options.context_memory,
            Some(serde_json::json!([{"a": 1}]))
        );
    }

    #[test]
    fn stdin_is_trimmed_and_must_not_be_blank() {
        assert_eq!(resolve_text(None, || Ok(" hi \n".into())).unwrap(), "hi");
        let e = resolve_text(None, || Ok(" \n".into())).unwrap_err();
        assert_eq!(e.message, "translate requires TEXT or non-empty stdin");
        let read = resolve_text(Some("given".into()), || panic!("stdin read")).unwrap();
        assert_eq!(read, "given");
    }
}
