//! Plugin settings: `[plugins.NAME]` in the config file in use, or a
//! documented environment variable.

use super::file::{file_in_use, read_text};
use super::parse::parse_document;
use crate::error::Result;
use toml_edit::{DocumentMut, Value};

/// Environment variables that override a plugin setting: (plugin, setting, variable).
const SETTING_VARS: &[(&str, &str, &str)] = &[("search", "history", "KAGI_HISTORY")];

/// A setting the user chose for `plugin`: its documented environment variable
/// (only `KAGI_HISTORY` for `search` today), else `[plugins.NAME] setting = …`
/// in the config file in use. A plugin reads only its own table, never
/// `[auth]` or another plugin's settings.
pub fn plugin_setting(plugin: &str, name: &str) -> Result<Option<String>> {
    let from_env = SETTING_VARS
        .iter()
        .find(|(p, n, _)| *p == plugin && *n == name)
        .and_then(|(_, _, var)| std::env::var(var).ok())
        .filter(|v| !v.trim().is_empty());
    if from_env.is_some() {
        return Ok(from_env);
    }
    let Some(file) = file_in_use() else {
        return Ok(None);
    };
    let Some(text) = read_text(&file)? else {
        return Ok(None);
    };
    Ok(setting_in(&parse_document(&file, &text)?, plugin, name))
}

fn setting_in(doc: &DocumentMut, plugin: &str, name: &str) -> Option<String> {
    let value = doc.get("plugins")?.get(plugin)?.get(name)?.as_value()?;
    match value {
        Value::String(s) => Some(s.value().clone()),
        Value::Boolean(b) => Some(b.value().to_string()),
        Value::Integer(i) => Some(i.value().to_string()),
        Value::Float(f) => Some(f.value().to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod setting_tests {
    use super::*;

    #[test]
    fn a_plugin_reads_only_its_own_table() {
        let doc: DocumentMut =
            "[auth]\napi_token = \"secret\"\n[plugins.search]\nhistory = false\n[plugins.other]\nx = 1\n"
                .parse()
                .unwrap();
        assert_eq!(
            setting_in(&doc, "search", "history").as_deref(),
            Some("false")
        );
        assert_eq!(setting_in(&doc, "search", "x"), None);
        assert_eq!(setting_in(&doc, "search", "api_token"), None);
        // `[auth]` is not a plugin table, whatever a plugin calls itself.
        assert_eq!(setting_in(&doc, "auth", "api_token"), None);
    }
}
