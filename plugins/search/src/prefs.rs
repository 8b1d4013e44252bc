//! Site preferences (cli-surface §6.4): pin, raise, lower or block a site in
//! results. A preference for `example.com` also covers `www.example.com` and
//! other subdomains; the most specific preference wins.

use crate::model::SearchResult;
use kagi_plugin_sdk::{Error, out, storage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const KEY: &str = "site-preferences.json";
const LOCK: &str = "site-preferences";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Block,
    Lower,
    Normal,
    /// Also accepted as `raise`.
    #[serde(alias = "raise")]
    Higher,
    Pin,
}

impl Mode {
    pub fn parse(v: &str) -> Option<Mode> {
        Some(match v.trim().to_ascii_lowercase().as_str() {
            "block" => Mode::Block,
            "lower" => Mode::Lower,
            "normal" => Mode::Normal,
            "higher" | "raise" => Mode::Higher,
            "pin" => Mode::Pin,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Block => "block",
            Mode::Lower => "lower",
            Mode::Normal => "normal",
            Mode::Higher => "higher",
            Mode::Pin => "pin",
        }
    }

    /// Sort position: pinned first, lowered last.
    fn rank(self) -> u8 {
        match self {
            Mode::Pin => 0,
            Mode::Higher => 1,
            Mode::Normal | Mode::Block => 2,
            Mode::Lower => 3,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    #[serde(default)]
    pub domains: BTreeMap<String, Mode>,
}

/// `https://Example.com/path` → `example.com`; ports and `www.` are kept.
pub fn normalize_domain(input: &str) -> Result<String, Error> {
    let s = input.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let s = s.trim_matches('/');
    let host = s.split('/').next().unwrap_or("").to_ascii_lowercase();
    if host.is_empty() || host.chars().any(char::is_whitespace) {
        return Err(Error::config(format!(
            "invalid domain `{}`: give a host name such as example.com",
            input.trim()
        )));
    }
    Ok(host)
}

/// The host of a result URL, lower-cased, without scheme, path or port.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    authority.to_ascii_lowercase()
}

impl Prefs {
    /// The preference for `host` or its closest parent domain.
    pub fn mode_for(&self, url: &str) -> Mode {
        if self.domains.is_empty() {
            return Mode::Normal;
        }
        let host = host_of(url);
        if let Some(m) = self.domains.get(&host) {
            return *m;
        }
        let bare = host.split(':').next().unwrap_or("");
        let mut candidate = bare;
        loop {
            if let Some(m) = self.domains.get(candidate) {
                return *m;
            }
            match candidate.split_once('.') {
                Some((_, parent)) if parent.contains('.') => candidate = parent,
                _ => return Mode::Normal,
            }
        }
    }

    /// Drops blocked results and stably moves pinned/raised up and lowered down.
    pub fn apply(&self, results: Vec<SearchResult>) -> Vec<SearchResult> {
        if self.domains.is_empty() {
            return results;
        }
        let mut ranked: Vec<(u8, SearchResult)> = results
            .into_iter()
            .filter_map(|r| {
                let mode = self.mode_for(&r.url);
                (mode != Mode::Block).then(|| (mode.rank(), r))
            })
            .collect();
        ranked.sort_by_key(|(rank, _)| *rank);
        ranked.into_iter().map(|(_, r)| r).collect()
    }
}

/// The saved preferences; an unreadable file is reported and ignored, so it
/// never breaks a search.
pub fn load_for_results() -> Prefs {
    match storage::get_json::<Prefs>(KEY) {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => {
            out::eprintln(&format!("warning: site preferences ignored: {}", e.message));
            Prefs::default()
        }
    }
}

pub fn list() -> Result<Prefs, Error> {
    Ok(storage::get_json::<Prefs>(KEY)?.unwrap_or_default())
}

/// Read-modify-write under a lock, so concurrent runs never lose an update.
fn update(change: impl FnOnce(&mut Prefs) -> bool) -> Result<bool, Error> {
    let _lock = storage::lock(LOCK)?;
    let mut prefs = list()?;
    let changed = change(&mut prefs);
    if changed {
        storage::set_json(KEY, &prefs)?;
    }
    Ok(changed)
}

pub fn set(domain: &str, mode: Mode) -> Result<(), Error> {
    update(|p| p.domains.insert(domain.to_string(), mode) != Some(mode))?;
    Ok(())
}

/// Whether the domain had a preference.
pub fn remove(domain: &str) -> Result<bool, Error> {
    update(|p| p.domains.remove(domain).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(url: &str) -> SearchResult {
        SearchResult::web(url.into(), url.into(), String::new())
    }

    #[test]
    fn domains_are_normalised() {
        assert_eq!(
            normalize_domain(" https://Example.COM/path/x ").unwrap(),
            "example.com"
        );
        assert_eq!(
            normalize_domain("http://www.a.example:8080/").unwrap(),
            "www.a.example:8080"
        );
        assert_eq!(normalize_domain("a.example").unwrap(), "a.example");
        assert!(normalize_domain("  ").is_err());
        assert!(normalize_domain("https:///").is_err());
        assert_eq!(
            normalize_domain("a b").unwrap_err().message,
            "invalid domain `a b`: give a host name such as example.com"
        );
    }

    #[test]
    fn modes_parse_both_spellings() {
        assert_eq!(Mode::parse("raise"), Some(Mode::Higher));
        assert_eq!(Mode::parse("HIGHER"), Some(Mode::Higher));
        assert_eq!(Mode::parse("pin"), Some(Mode::Pin));
        assert_eq!(Mode::parse("up"), None);
        let p: Prefs = serde_json::from_str(r#"{"domains":{"a.example":"raise"}}"#).unwrap();
        assert_eq!(p.domains["a.example"], Mode::Higher);
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"domains":{"a.example":"higher"}}"#
        );
    }

    #[test]
    fn applying_blocks_and_reorders_stably() {
        let mut p = Prefs::default();
        p.domains.insert("reddit.com".into(), Mode::Block);
        p.domains.insert("pinned.example".into(), Mode::Pin);
        p.domains.insert("up.example".into(), Mode::Higher);
        p.domains.insert("down.example".into(), Mode::Lower);
        p.domains.insert("news.down.example".into(), Mode::Normal);
        let out = p.apply(vec![
            r("https://down.example/1"),
            r("https://a.example/"),
            r("https://www.reddit.com/r/rust/"),
            r("https://up.example/"),
            r("https://news.down.example/x"),
            r("http://PINNED.example:443/p?q#f"),
            r("https://b.example/"),
        ]);
        let urls: Vec<&str> = out.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "http://PINNED.example:443/p?q#f",
                "https://up.example/",
                "https://a.example/",
                "https://news.down.example/x",
                "https://b.example/",
                "https://down.example/1",
            ]
        );
        // A bare TLD never matches.
        p.domains.insert("com".into(), Mode::Block);
        assert_eq!(p.mode_for("https://x.com/"), Mode::Normal);
        assert_eq!(Prefs::default().apply(vec![r("https://x/")]).len(), 1);
    }
}
