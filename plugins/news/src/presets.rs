//! The built-in filter presets (`--filter-preset`, `--list-filter-presets`).

#[rustfmt::skip] // keyword tables read better packed than one word per line
mod data;

use serde::Serialize;

/// Preset ids in listing order; every language table follows this order.
pub const PRESET_IDS: [&str; 11] = [
    "politics",
    "conflicts",
    "health",
    "violence",
    "tabloid",
    "crypto",
    "celebrities",
    "sports",
    "ai",
    "climate",
    "sexual-misconduct",
];

/// Languages with their own keyword tables. Kagi News' `default` edition is
/// English, so it shares the English table.
const LANGUAGES: [(&str, &data::Table); 15] = [
    ("de", &data::DE),
    ("default", &data::EN),
    ("en", &data::EN),
    ("es", &data::ES),
    ("et", &data::ET),
    ("fr", &data::FR),
    ("hi", &data::HI),
    ("it", &data::IT),
    ("ja", &data::JA),
    ("nl", &data::NL),
    ("pt", &data::PT),
    ("ru", &data::RU),
    ("uk", &data::UK),
    ("zh-Hans", &data::ZH_HANS),
    ("zh-Hant", &data::ZH_HANT),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preset {
    pub id: &'static str,
    pub label: &'static str,
    pub keywords: &'static [&'static str],
}

/// `--list-filter-presets` output.
#[derive(Debug, Serialize)]
pub struct PresetList {
    pub language: &'static str,
    pub presets: Vec<Preset>,
}

/// The preset language for a `--lang` value: that language if it has a table
/// (case-insensitive), else `default`, else `en`.
pub fn resolve_language(requested: &str) -> &'static str {
    let find = |code: &str| {
        LANGUAGES
            .iter()
            .find(|(lang, _)| lang.eq_ignore_ascii_case(code.trim()))
            .map(|(lang, _)| *lang)
    };
    find(requested)
        .or_else(|| find("default"))
        .or_else(|| find("en"))
        .unwrap_or("en")
}

/// Every preset in `language` (a value returned by [`resolve_language`]).
pub fn presets(language: &str) -> Vec<Preset> {
    let table = LANGUAGES
        .iter()
        .find(|(lang, _)| *lang == language)
        .map(|(_, table)| *table)
        .unwrap_or(&data::EN);
    PRESET_IDS
        .iter()
        .zip(table.iter())
        .map(|(id, (label, keywords))| Preset {
            id,
            label,
            keywords,
        })
        .collect()
}

/// The listing for `--list-filter-presets --lang <lang>`.
pub fn list(lang: &str) -> PresetList {
    let language = resolve_language(lang);
    PresetList {
        language,
        presets: presets(language),
    }
}

/// Looks a preset up by id, case-insensitively.
pub fn find(id: &str, language: &str) -> Option<Preset> {
    let id = id.trim();
    presets(language)
        .into_iter()
        .find(|p| p.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_language_has_every_preset_with_clean_keywords() {
        for (lang, _) in LANGUAGES {
            let presets = presets(lang);
            assert_eq!(presets.len(), PRESET_IDS.len(), "{lang}");
            for preset in presets {
                assert!(!preset.label.trim().is_empty(), "{lang}/{}", preset.id);
                assert!(
                    preset.keywords.len() >= 5,
                    "{lang}/{} has too few keywords",
                    preset.id
                );
                let mut seen = HashSet::new();
                for keyword in preset.keywords {
                    // Filtering lower-cases the text, so an upper-case keyword could never match.
                    assert_eq!(
                        *keyword,
                        keyword.trim().to_lowercase(),
                        "{lang}/{}: {keyword:?}",
                        preset.id
                    );
                    assert!(!keyword.is_empty(), "{lang}/{}", preset.id);
                    assert!(
                        seen.insert(*keyword),
                        "{lang}/{}: duplicate {keyword:?}",
                        preset.id
                    );
                }
            }
        }
    }

    #[test]
    fn languages_resolve_with_fallbacks() {
        assert_eq!(resolve_language("de"), "de");
        assert_eq!(resolve_language("zh-hans"), "zh-Hans");
        assert_eq!(resolve_language("ZH-HANT"), "zh-Hant");
        assert_eq!(resolve_language("default"), "default");
        assert_eq!(resolve_language("sv"), "default");
        assert_eq!(resolve_language(""), "default");
    }

    #[test]
    fn presets_follow_the_language() {
        assert_eq!(find("politics", "de").unwrap().label, "Politik");
        assert!(
            find("politics", "de")
                .unwrap()
                .keywords
                .contains(&"bundestag")
        );
        assert!(find("sports", "en").unwrap().keywords.contains(&"football"));
        assert_eq!(
            find("  Sexual-Misconduct ", "en").unwrap().id,
            "sexual-misconduct"
        );
        assert_eq!(find("weather", "en"), None);
        assert_eq!(presets("default"), presets("en"));
        assert_ne!(presets("fr"), presets("en"));
    }

    #[test]
    fn listing_shape() {
        let text = serde_json::to_string(&list("xx")).unwrap();
        assert!(
            text.starts_with(r#"{"language":"default","presets":[{"id":"politics","label":"Politics","keywords":["politics","#),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let ids: Vec<&str> = json["presets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, PRESET_IDS);
    }
}
