//! The local search history (cli-surface §6.2): one JSON line per search in
//! the plugin's storage. On by default; `KAGI_HISTORY=off` turns it off. A
//! failure to record is a warning, never a failed search.

use kagi_plugin_sdk::{Error, out, settings, storage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const KEY: &str = "history.jsonl";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub timestamp: u64,
    pub command: String,
    pub query: String,
    pub result_count: usize,
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn enabled() -> bool {
    settings::enabled("history", true)
}

/// Appends an entry (one write, safe with concurrent runs).
pub fn record(command: &str, query: &str, result_count: usize) {
    if !enabled() {
        return;
    }
    let entry = Entry {
        timestamp: now(),
        command: command.to_string(),
        query: query.to_string(),
        result_count,
    };
    let mut line = serde_json::to_string(&entry).expect("entries serialise");
    line.push('\n');
    if let Err(e) = storage::append(KEY, line.as_bytes()) {
        out::eprintln(&format!(
            "warning: search history not recorded: {}",
            e.message
        ));
    }
}

/// Entries of a history file, with the number of unreadable lines skipped.
pub fn parse(text: &str) -> (Vec<Entry>, usize) {
    let mut entries = Vec::new();
    let mut bad = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<Entry>(line) {
            Ok(e) => entries.push(e),
            Err(_) => bad += 1,
        }
    }
    (entries, bad)
}

/// Newest first (ties: the later line first), at most `limit` (0: all).
pub fn newest_first(mut entries: Vec<Entry>, limit: usize) -> Vec<Entry> {
    entries.reverse();
    entries.sort_by_key(|e| std::cmp::Reverse(e.timestamp));
    if limit > 0 {
        entries.truncate(limit);
    }
    entries
}

#[derive(Debug, Serialize)]
pub struct Stats {
    pub by_command: BTreeMap<String, usize>,
    pub by_query: BTreeMap<String, usize>,
    pub total: usize,
}

pub fn stats(entries: &[Entry]) -> Stats {
    let mut s = Stats {
        by_command: BTreeMap::new(),
        by_query: BTreeMap::new(),
        total: entries.len(),
    };
    for e in entries {
        *s.by_command.entry(e.command.clone()).or_default() += 1;
        if !e.query.trim().is_empty() {
            *s.by_query.entry(e.query.clone()).or_default() += 1;
        }
    }
    s
}

/// Every readable entry; unreadable lines are reported on stderr.
pub fn load() -> Result<Vec<Entry>, Error> {
    let bytes = storage::get(KEY)?.unwrap_or_default();
    let (entries, bad) = parse(&String::from_utf8_lossy(&bytes));
    if bad > 0 {
        out::eprintln(&format!(
            "warning: skipped {bad} unreadable line{} of the search history",
            if bad == 1 { "" } else { "s" }
        ));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(ts: u64, command: &str, query: &str) -> Entry {
        Entry {
            timestamp: ts,
            command: command.into(),
            query: query.into(),
            result_count: 1,
        }
    }

    #[test]
    fn parse_skips_torn_lines() {
        let text = "{\"timestamp\":1,\"command\":\"search\",\"query\":\"a\",\"result_count\":2}\n{\"timest\n\n{\"timestamp\":2,\"command\":\"watch\",\"query\":\"b\",\"result_count\":0}\n";
        let (entries, bad) = parse(text);
        assert_eq!(bad, 1);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].command, "watch");
        assert_eq!(
            serde_json::to_string(&entries[0]).unwrap(),
            r#"{"timestamp":1,"command":"search","query":"a","result_count":2}"#
        );
    }

    #[test]
    fn ordering_and_limit() {
        let list = newest_first(
            vec![
                e(1, "search", "a"),
                e(3, "search", "b"),
                e(3, "watch", "c"),
                e(2, "search", "d"),
            ],
            0,
        );
        let q: Vec<&str> = list.iter().map(|e| e.query.as_str()).collect();
        assert_eq!(q, ["c", "b", "d", "a"]);
        assert_eq!(newest_first(list, 2).len(), 2);
    }

    #[test]
    fn stats_count_commands_and_queries() {
        let s = stats(&[e(1, "search", "a"), e(2, "search", "a"), e(3, "watch", " ")]);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"by_command":{"search":2,"watch":1},"by_query":{"a":2},"total":3}"#
        );
    }
}
