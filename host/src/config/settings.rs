//! Plugin settings: only those a plugin declares in its manifest
//! (`[[settings]]`), from the environment variable it names, else from
//! `[plugins.NAME]` in the config file in use, checked against their type.

use super::file::{file_in_use, read_text};
use super::parse::parse_document;
use crate::error::{Error, Result};
use kagi_manifest::{SettingSpec, SettingType};
use toml_edit::{DocumentMut, Value};

/// Setting `name` of `plugin`, if the plugin declares it (in `declared`) and
/// the user set it: its environment variable first, then
/// `[plugins.NAME] name = …` in the config file in use. A plugin reads only
/// its own table, never `[auth]` or another plugin's settings, and never an
/// environment variable of kagi's own. `declared` is none for a plugin built
/// for API 0.1, which could not declare settings: it reads any key of its
/// own table, as text, as it did then.
pub fn plugin_setting(
    plugin: &str,
    declared: Option<&[SettingSpec]>,
    name: &str,
) -> Result<Option<String>> {
    let undeclared;
    let spec = match declared {
        Some(declared) => match declared.iter().find(|s| s.name == name) {
            Some(spec) => spec,
            None => return Ok(None),
        },
        None => {
            undeclared = SettingSpec {
                name: name.to_string(),
                env: None,
                value_type: SettingType::String,
                help: String::new(),
            };
            &undeclared
        }
    };
    if let Some(value) = from_env(plugin, spec)? {
        return Ok(Some(value));
    }
    let Some(file) = file_in_use() else {
        return Ok(None);
    };
    let Some(text) = read_text(&file)? else {
        return Ok(None);
    };
    let doc = parse_document(&file, &text)?;
    let Some(value) = setting_in(&doc, plugin, name) else {
        return Ok(None);
    };
    typed_toml(spec.value_type, value).map(Some).ok_or_else(|| {
        Error::Config(format!(
            "{}: `[plugins.{plugin}] {name}` must be {}; fix it in the file",
            file.display,
            expected(spec.value_type)
        ))
    })
}

fn from_env(plugin: &str, spec: &SettingSpec) -> Result<Option<String>> {
    // The manifest was checked at load; this keeps a credential out of reach
    // even if it were not.
    let Some(var) = spec
        .env
        .as_deref()
        .filter(|v| !kagi_manifest::is_reserved_env(v))
    else {
        return Ok(None);
    };
    let Some(raw) = std::env::var_os(var) else {
        return Ok(None);
    };
    let value = raw.to_str().and_then(|raw| {
        let raw = raw.trim();
        if raw.is_empty() {
            Some(None)
        } else {
            typed_text(spec.value_type, raw).map(Some)
        }
    });
    value.ok_or_else(|| {
        Error::Config(format!(
            "the environment variable {var} must be {} (it is the `{}` setting of plugin `{plugin}`); fix or unset it",
            expected(spec.value_type),
            spec.name
        ))
    })
}

fn expected(t: SettingType) -> &'static str {
    match t {
        SettingType::Bool => "true or false (or on/off, yes/no, 1/0)",
        SettingType::Int => "a whole number",
        SettingType::String => "text",
    }
}

/// A value typed as text (an environment variable, or a quoted value in the
/// file), as the plugin receives it: booleans as `true` or `false`.
fn typed_text(t: SettingType, text: &str) -> Option<String> {
    match t {
        SettingType::Bool => match text.to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" | "1" | "enabled" => Some("true".into()),
            "false" | "off" | "no" | "0" | "disabled" => Some("false".into()),
            _ => None,
        },
        SettingType::Int => text.parse::<i64>().ok().map(|n| n.to_string()),
        SettingType::String => Some(text.to_string()),
    }
}

fn typed_toml(t: SettingType, value: &Value) -> Option<String> {
    match (t, value) {
        (_, Value::String(s)) => typed_text(t, s.value().trim()),
        (SettingType::Bool | SettingType::String, Value::Boolean(b)) => Some(b.value().to_string()),
        (SettingType::Int | SettingType::String, Value::Integer(i)) => Some(i.value().to_string()),
        (SettingType::String, Value::Float(f)) => Some(f.value().to_string()),
        _ => None,
    }
}

fn setting_in<'a>(doc: &'a DocumentMut, plugin: &str, name: &str) -> Option<&'a Value> {
    doc.get("plugins")?.get(plugin)?.get(name)?.as_value()
}

#[cfg(test)]
mod setting_tests {
    use super::*;

    fn text(v: Option<&Value>) -> Option<String> {
        v.map(|v| v.to_string().trim().to_string())
    }

    #[test]
    fn a_plugin_reads_only_its_own_table() {
        let doc: DocumentMut =
            "[auth]\napi_token = \"secret\"\n[plugins.search]\nhistory = false\n[plugins.other]\nx = 1\n"
                .parse()
                .unwrap();
        assert_eq!(
            text(setting_in(&doc, "search", "history")).as_deref(),
            Some("false")
        );
        assert!(setting_in(&doc, "search", "x").is_none());
        assert!(setting_in(&doc, "search", "api_token").is_none());
        // `[auth]` is not a plugin table, whatever a plugin calls itself.
        assert!(setting_in(&doc, "auth", "api_token").is_none());
    }

    #[test]
    fn values_are_checked_against_the_declared_type() {
        let doc: DocumentMut =
            "b1 = true\nb2 = \"off\"\nb3 = 2\ni1 = 42\ni2 = \"-7\"\ni3 = \"many\"\ns1 = \"x\"\ns2 = 3\n"
                .parse()
                .unwrap();
        let get = |t, key: &str| typed_toml(t, doc.get(key).unwrap().as_value().unwrap());
        assert_eq!(get(SettingType::Bool, "b1").as_deref(), Some("true"));
        assert_eq!(get(SettingType::Bool, "b2").as_deref(), Some("false"));
        assert_eq!(get(SettingType::Bool, "b3"), None);
        assert_eq!(get(SettingType::Int, "i1").as_deref(), Some("42"));
        assert_eq!(get(SettingType::Int, "i2").as_deref(), Some("-7"));
        assert_eq!(get(SettingType::Int, "i3"), None);
        assert_eq!(get(SettingType::String, "s1").as_deref(), Some("x"));
        assert_eq!(get(SettingType::String, "s2").as_deref(), Some("3"));
        assert_eq!(
            typed_text(SettingType::Bool, "OFF").as_deref(),
            Some("false")
        );
        assert_eq!(typed_text(SettingType::Bool, "maybe"), None);
    }

    /// Every `KAGI_…` variable the host itself reads is one no plugin setting
    /// may name: a new one must be added to `kagi_manifest::RESERVED_ENV`.
    #[test]
    fn no_plugin_setting_can_name_a_variable_kagi_reads() {
        let mut vars = std::collections::BTreeSet::new();
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap_or_default();
                // What the host reads, not what its unit tests make up.
                let source = source.split("#[cfg(test)]").next().unwrap_or_default();
                for (at, _) in source.match_indices("\"KAGI_") {
                    let name: String = source[at + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if name.len() > "KAGI_".len() {
                        vars.insert(name);
                    }
                }
            }
        }
        assert!(vars.contains("KAGI_SESSION_TOKEN"), "{vars:?}");
        let open: Vec<&String> = vars
            .iter()
            .filter(|v| !kagi_manifest::is_reserved_env(v))
            .collect();
        assert!(
            open.is_empty(),
            "host variables a plugin could read: {open:?}"
        );
    }
}
