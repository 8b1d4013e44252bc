//! Client-side keyword filtering of news stories (`--filter-*`).

use crate::presets::{self, PRESET_IDS};
use kagi_plugin_sdk::Error;
use serde::Serialize;
use serde_json::{Map, Value};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Drop matching stories.
    Hide,
    /// Keep matching stories and mark them with `_content_filter`.
    Blur,
}

impl FromStr for Mode {
    type Err = ();
    fn from_str(value: &str) -> Result<Mode, ()> {
        match value {
            "hide" => Ok(Mode::Hide),
            "blur" => Ok(Mode::Blur),
            _ => Err(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// `title` and `category`.
    Title,
    /// `short_summary`.
    Summary,
    /// Both of the above plus perspectives, sources, domains and articles.
    All,
}

impl FromStr for Scope {
    type Err = ();
    fn from_str(value: &str) -> Result<Scope, ()> {
        match value {
            "title" => Ok(Scope::Title),
            "summary" => Ok(Scope::Summary),
            "all" => Ok(Scope::All),
            _ => Err(()),
        }
    }
}

/// An active filter: the resolved keyword set and how to apply it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFilter {
    pub mode: Mode,
    pub scope: Scope,
    /// Preset ids as given (lower-cased, de-duplicated, in order).
    pub active_presets: Vec<String>,
    /// `--filter-keyword` values, trimmed, lower-cased, de-duplicated.
    pub custom_keywords: Vec<String>,
    /// Preset keywords then custom keywords, de-duplicated.
    pub active_keywords: Vec<String>,
}

/// The `content_filter` object of the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterSummary {
    pub mode: Mode,
    pub scope: Scope,
    pub active_presets: Vec<String>,
    pub custom_keywords: Vec<String>,
    pub active_keywords: Vec<String>,
    pub filtered_count: usize,
}

impl ContentFilter {
    /// Resolves preset ids (keywords in the preset language of `lang`) and
    /// custom keywords. An unknown preset id is a configuration error.
    pub fn new(
        preset_ids: &[String],
        keywords: &[String],
        mode: Mode,
        scope: Scope,
        lang: &str,
    ) -> Result<ContentFilter, Error> {
        let language = presets::resolve_language(lang);
        let mut active_presets = Vec::new();
        let mut active_keywords = Vec::new();
        for id in preset_ids {
            let preset = presets::find(id, language).ok_or_else(|| unknown_preset(id))?;
            push_unique(&mut active_presets, preset.id.to_string());
            for keyword in preset.keywords {
                push_keyword(&mut active_keywords, keyword);
            }
        }
        let mut custom_keywords = Vec::new();
        for keyword in keywords {
            push_keyword(&mut custom_keywords, keyword);
            push_keyword(&mut active_keywords, keyword);
        }
        Ok(ContentFilter {
            mode,
            scope,
            active_presets,
            custom_keywords,
            active_keywords,
        })
    }

    /// The active keywords found in the story's scoped fields, in keyword order.
    pub fn matched_keywords(&self, story: &Value) -> Vec<String> {
        let texts: Vec<String> = scoped_texts(story, self.scope)
            .into_iter()
            .map(str::to_lowercase)
            .collect();
        self.active_keywords
            .iter()
            .filter(|keyword| texts.iter().any(|text| contains_word(text, keyword)))
            .cloned()
            .collect()
    }

    /// Hides or marks matching stories; returns the stories left and the summary.
    pub fn apply(&self, stories: Vec<Value>) -> (Vec<Value>, FilterSummary) {
        let mut filtered_count = 0;
        let mut kept = Vec::with_capacity(stories.len());
        for mut story in stories {
            let matched = self.matched_keywords(&story);
            if matched.is_empty() {
                kept.push(story);
                continue;
            }
            filtered_count += 1;
            if self.mode == Mode::Blur {
                if let Value::Object(fields) = &mut story {
                    let mut marker = Map::new();
                    marker.insert("matched_keywords".into(), matched.into());
                    marker.insert("mode".into(), "blur".into());
                    fields.insert("_content_filter".into(), Value::Object(marker));
                }
                kept.push(story);
            }
        }
        let summary = FilterSummary {
            mode: self.mode,
            scope: self.scope,
            active_presets: self.active_presets.clone(),
            custom_keywords: self.custom_keywords.clone(),
            active_keywords: self.active_keywords.clone(),
            filtered_count,
        };
        (kept, summary)
    }
}

fn unknown_preset(id: &str) -> Error {
    Error::config(format!(
        "unknown news filter preset '{}'. Run `kagi news --list-filter-presets` to see the presets and their keywords. Valid preset ids: {}",
        id.trim(),
        PRESET_IDS.join(", ")
    ))
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Adds a keyword trimmed and lower-cased; blank ones are dropped.
fn push_keyword(list: &mut Vec<String>, keyword: &str) {
    let keyword = keyword.trim().to_lowercase();
    if !keyword.is_empty() {
        push_unique(list, keyword);
    }
}

/// The string fields of a story that `scope` covers. Missing or non-string
/// fields are skipped: stories are opaque upstream JSON.
fn scoped_texts(story: &Value, scope: Scope) -> Vec<&str> {
    let mut fields: Vec<&Value> = Vec::new();
    if matches!(scope, Scope::Title | Scope::All) {
        fields.extend([&story["title"], &story["category"]]);
    }
    if matches!(scope, Scope::Summary | Scope::All) {
        fields.push(&story["short_summary"]);
    }
    if scope == Scope::All {
        for perspective in items(story, "perspectives") {
            fields.push(&perspective["text"]);
            fields.extend(
                items(perspective, "sources")
                    .iter()
                    .map(|source| &source["name"]),
            );
        }
        fields.extend(items(story, "domains").iter().map(|domain| &domain["name"]));
        for article in items(story, "articles") {
            fields.extend([&article["link"], &article["domain"]]);
        }
    }
    fields.into_iter().filter_map(Value::as_str).collect()
}

fn items<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// Whether `keyword` occurs in `text` with no word character (ASCII letter,
/// digit or `_`) directly before or after it. Both are already lower case.
/// Non-ASCII characters never count as word characters, so keywords in other
/// scripts match anywhere.
pub fn contains_word(text: &str, keyword: &str) -> bool {
    if keyword.is_empty() {
        return false;
    }
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut from = 0;
    while let Some(offset) = text[from..].find(keyword) {
        let start = from + offset;
        let end = start + keyword.len();
        let clear_before = start == 0 || !is_word(bytes[start - 1]);
        let clear_after = end == bytes.len() || !is_word(bytes[end]);
        if clear_before && clear_after {
            return true;
        }
        // Retry one character further: a later occurrence may stand alone.
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn filter(presets: &[&str], keywords: &[&str], mode: Mode, scope: Scope) -> ContentFilter {
        ContentFilter::new(&strings(presets), &strings(keywords), mode, scope, "en").unwrap()
    }

    fn story() -> Value {
        json!({
            "cluster_number": 3,
            "title": "Parliament passes the budget",
            "category": "Economy",
            "short_summary": "Lawmakers approved spending after a long night.",
            "perspectives": [
                {"text": "Unions warn of cuts", "sources": [{"name": "Daily Ledger", "url": "https://ledger.example/a"}]}
            ],
            "domains": [{"name": "ledger.example", "favicon": "https://ledger.example/favicon.ico"}],
            "articles": [{"title": "Budget", "link": "https://news.example/2026/budget-vote", "domain": "news.example"}]
        })
    }

    #[test]
    fn whole_words_only() {
        assert!(contains_word("the ai boom", "ai"));
        assert!(contains_word("ai", "ai"));
        assert!(contains_word("(ai)", "ai"));
        assert!(!contains_word("said the chair", "ai"));
        assert!(!contains_word("ai_lab", "ai"));
        assert!(!contains_word("ai2", "ai"));
        // The first occurrence is inside a word, the second stands alone.
        assert!(contains_word("he said ai will", "ai"));
        assert!(contains_word("climate change now", "climate change"));
        assert!(!contains_word("climate changes", "climate change"));
        // Non-ASCII letters are not word characters.
        assert!(contains_word("日本の政治家", "政治"));
        assert!(contains_word("éwar", "war"));
        assert!(contains_word("https://news.example/budget-vote", "budget"));
        assert!(!contains_word("anything", ""));
    }

    #[test]
    fn keywords_are_normalised_and_merged() {
        let f = filter(
            &["Crypto", "crypto"],
            &["  Budget ", "BITCOIN", "", "budget"],
            Mode::Hide,
            Scope::All,
        );
        assert_eq!(f.active_presets, ["crypto"]);
        assert_eq!(f.custom_keywords, ["budget", "bitcoin"]);
        assert_eq!(
            f.active_keywords.first().map(String::as_str),
            Some("crypto")
        );
        assert_eq!(f.active_keywords.last().map(String::as_str), Some("budget"));
        assert_eq!(
            f.active_keywords.iter().filter(|k| *k == "bitcoin").count(),
            1
        );
    }

    #[test]
    fn unknown_preset_names_the_valid_ids() {
        let err = ContentFilter::new(&strings(&["weather"]), &[], Mode::Hide, Scope::All, "en")
            .unwrap_err();
        assert_eq!(err.class, kagi_plugin_sdk::ErrorClass::Config);
        assert!(err.message.starts_with(
            "unknown news filter preset 'weather'. Run `kagi news --list-filter-presets`"
        ));
        assert!(err.message.ends_with(
            "Valid preset ids: politics, conflicts, health, violence, tabloid, crypto, celebrities, sports, ai, climate, sexual-misconduct"
        ));
    }

    #[test]
    fn presets_use_the_requested_language() {
        let de =
            ContentFilter::new(&strings(&["politics"]), &[], Mode::Hide, Scope::All, "de").unwrap();
        assert!(de.active_keywords.contains(&"bundestag".to_string()));
        let fallback =
            ContentFilter::new(&strings(&["politics"]), &[], Mode::Hide, Scope::All, "sv").unwrap();
        assert!(fallback.active_keywords.contains(&"parliament".to_string()));
    }

    #[test]
    fn scopes_cover_their_fields() {
        let s = story();
        let cases = [
            ("parliament", [true, false, true]),
            ("economy", [true, false, true]),
            ("lawmakers", [false, true, true]),
            ("unions", [false, false, true]),
            ("ledger", [false, false, true]),
            ("budget", [true, false, true]),
            ("vote", [false, false, true]),
            ("favicon", [false, false, false]),
            ("https", [false, false, true]),
        ];
        for (keyword, expected) in cases {
            for (scope, want) in [Scope::Title, Scope::Summary, Scope::All]
                .into_iter()
                .zip(expected)
            {
                let got = !filter(&[], &[keyword], Mode::Hide, scope)
                    .matched_keywords(&s)
                    .is_empty();
                assert_eq!(got, want, "{keyword} in {scope:?}");
            }
        }
    }

    #[test]
    fn hide_drops_matches_and_counts_them() {
        let stories = vec![
            story(),
            json!({"title": "Bitcoin hits a record"}),
            json!({"title": "Quiet day"}),
        ];
        let (kept, summary) =
            filter(&["crypto"], &["parliament"], Mode::Hide, Scope::Title).apply(stories);
        assert_eq!(kept, vec![json!({"title": "Quiet day"})]);
        assert_eq!(summary.filtered_count, 2);
        assert_eq!(summary.active_presets, ["crypto"]);
        assert_eq!(summary.custom_keywords, ["parliament"]);
    }

    #[test]
    fn blur_marks_matches_in_keyword_order() {
        let stories = vec![
            json!({"title": "Bitcoin and crypto rally", "n": 1}),
            json!({"title": "Quiet day"}),
        ];
        let (kept, summary) = filter(&["crypto"], &[], Mode::Blur, Scope::Title).apply(stories);
        assert_eq!(summary.filtered_count, 1);
        assert_eq!(kept.len(), 2);
        assert_eq!(
            kept[0]["_content_filter"],
            json!({"mode": "blur", "matched_keywords": ["crypto", "bitcoin"]})
        );
        assert_eq!(kept[0]["n"], 1);
        assert!(kept[1].get("_content_filter").is_none());
        let text = serde_json::to_string(&kept[0]).unwrap();
        assert!(text.starts_with(r#"{"_content_filter":{"matched_keywords":["crypto","bitcoin"],"mode":"blur"},"n":1,"#), "{text}");
    }

    #[test]
    fn non_string_fields_are_ignored() {
        let odd = json!({"title": 5, "perspectives": "none", "articles": [{"link": null}], "domains": [7]});
        assert!(
            filter(&[], &["5"], Mode::Hide, Scope::All)
                .matched_keywords(&odd)
                .is_empty()
        );
        assert!(
            filter(&[], &["x"], Mode::Hide, Scope::All)
                .matched_keywords(&json!([1, 2]))
                .is_empty()
        );
    }

    #[test]
    fn summary_shape() {
        let (_, summary) = filter(&["ai"], &["robots"], Mode::Blur, Scope::Summary).apply(vec![]);
        let text = serde_json::to_string(&summary).unwrap();
        assert!(text.starts_with(r#"{"mode":"blur","scope":"summary","active_presets":["ai"],"custom_keywords":["robots"],"active_keywords":["ai","#), "{text}");
        assert!(text.ends_with(r#""robots"],"filtered_count":0}"#), "{text}");
    }
}
