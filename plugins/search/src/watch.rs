//! `kagi watch` (cli-surface §6.5): reruns a plain search every `--interval`
//! seconds and reports which result URLs appeared and disappeared.

use crate::args::WatchArgs;
use crate::model::SearchResult;
use crate::request::{self, Filters, WebQuery};
use crate::{history, prefs};
use kagi_plugin_sdk::render::{
    Format, Style, csv_row, json_compact, json_pretty, markdown_link, sorted, strip_controls,
};
use kagi_plugin_sdk::{Error, out};
use serde::Serialize;
use std::collections::BTreeSet;
use std::time::Duration;

/// One poll's report (printed with sorted keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub added: Vec<String>,
    pub changed: bool,
    pub iteration: u64,
    pub query: String,
    pub removed: Vec<String>,
    pub result_count: usize,
}

/// Compares this poll's URLs with the previous poll's (none before the first).
pub fn diff(
    iteration: u64,
    query: &str,
    previous: Option<&BTreeSet<String>>,
    results: &[SearchResult],
) -> (Event, BTreeSet<String>) {
    let now: BTreeSet<String> = results.iter().map(|r| r.url.clone()).collect();
    let empty = BTreeSet::new();
    let before = previous.unwrap_or(&empty);
    let added: Vec<String> = now.difference(before).cloned().collect();
    let removed: Vec<String> = before.difference(&now).cloned().collect();
    let event = Event {
        changed: previous.is_none() || !added.is_empty() || !removed.is_empty(),
        added,
        removed,
        iteration,
        query: query.to_string(),
        result_count: results.len(),
    };
    (event, now)
}

/// The event in the chosen format. CSV prints its header before the first event.
/// URLs from a page, without control characters, for the human formats.
fn printable(urls: &[String]) -> Vec<String> {
    urls.iter().map(|u| strip_controls(u)).collect()
}

pub fn render(event: &Event, format: Format, style: Style) -> Result<String, Error> {
    let summary = format!(
        "watch #{}: {} added, {} removed",
        event.iteration,
        event.added.len(),
        event.removed.len()
    );
    Ok(match format {
        Format::Json => json_pretty(&sorted(event)?)?,
        Format::Compact => json_compact(&sorted(event)?)?,
        Format::Pretty => {
            let mut text = format!("{}\n", style.heading(&summary));
            for url in printable(&event.added) {
                text.push_str(&format!("  + {}\n", style.link(&url)));
            }
            for url in printable(&event.removed) {
                text.push_str(&format!("  - {}\n", style.dim(&url)));
            }
            text
        }
        Format::Markdown => {
            let mut text = format!("## {summary}\n\n");
            for url in printable(&event.added) {
                text.push_str(&format!("- added: {}\n", markdown_link(&url, &url)));
            }
            for url in printable(&event.removed) {
                text.push_str(&format!("- removed: {}\n", markdown_link(&url, &url)));
            }
            if event.added.is_empty() && event.removed.is_empty() {
                text.push_str("No changes.\n");
            }
            text.push('\n');
            text
        }
        Format::Csv => {
            let mut text = if event.iteration == 1 {
                csv_row(&["iteration", "change", "url"])
            } else {
                String::new()
            };
            let n = event.iteration.to_string();
            for url in printable(&event.added) {
                text.push_str(&csv_row(&[n.as_str(), "added", &url]));
            }
            for url in printable(&event.removed) {
                text.push_str(&csv_row(&[n.as_str(), "removed", &url]));
            }
            text
        }
    })
}

pub fn run(args: WatchArgs) -> Result<(), Error> {
    let WatchArgs {
        query,
        interval,
        count,
        format,
        no_color,
    } = args;
    if interval == 0 {
        return Err(Error::config("watch --interval must be at least 1 second"));
    }
    let filters = Filters::default();
    let q = WebQuery {
        query: filters.query(&query)?,
        filters,
    };
    let style = Style::detect(no_color);
    let mut previous: Option<BTreeSet<String>> = None;
    let mut iteration = 0u64;
    loop {
        iteration += 1;
        // Credentials are looked at again on every poll.
        let plan = request::plan(request::Available::from_host(), None)?;
        let response = request::search(&q, plan)?;
        let results = prefs::load_for_results().apply(response.data);
        let (event, now) = diff(iteration, &q.query, previous.as_ref(), &results);
        out::print(&render(&event, format, style)?);
        history::record("watch", &q.query, results.len());
        previous = Some(now);
        if count != 0 && iteration >= count {
            return Ok(());
        }
        out::sleep(Duration::from_secs(interval));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(urls: &[&str]) -> Vec<SearchResult> {
        urls.iter()
            .map(|u| SearchResult::web(u.to_string(), "t".into(), String::new()))
            .collect()
    }

    #[test]
    fn first_poll_adds_everything_then_diffs() {
        let (e1, seen) = diff(1, "q", None, &results(&["https://b/", "https://a/"]));
        assert_eq!(e1.added, ["https://a/", "https://b/"]);
        assert!(e1.changed);
        let (e2, seen) = diff(2, "q", Some(&seen), &results(&["https://a/", "https://c/"]));
        assert_eq!(e2.added, ["https://c/"]);
        assert_eq!(e2.removed, ["https://b/"]);
        let (e3, _) = diff(3, "q", Some(&seen), &results(&["https://c/", "https://a/"]));
        assert!(!e3.changed && e3.added.is_empty() && e3.removed.is_empty());
        // Even an empty first poll counts as a change.
        assert!(diff(1, "q", None, &[]).0.changed);
        assert_eq!(
            json_compact(&sorted(&e2).unwrap()).unwrap(),
            "{\"added\":[\"https://c/\"],\"changed\":true,\"iteration\":2,\"query\":\"q\",\"removed\":[\"https://b/\"],\"result_count\":2}\n"
        );
    }

    #[test]
    fn human_formats() {
        let (e, _) = diff(1, "q", None, &results(&["https://a/"]));
        let plain = Style { color: false };
        assert_eq!(
            render(&e, Format::Pretty, plain).unwrap(),
            "watch #1: 1 added, 0 removed\n  + https://a/\n"
        );
        assert_eq!(
            render(&e, Format::Markdown, plain).unwrap(),
            "## watch #1: 1 added, 0 removed\n\n- added: [https://a/](https://a/)\n\n"
        );
        assert_eq!(
            render(&e, Format::Csv, plain).unwrap(),
            "iteration,change,url\n1,added,https://a/\n"
        );
        let (e2, _) = diff(2, "q", Some(&BTreeSet::new()), &[]);
        assert_eq!(render(&e2, Format::Csv, plain).unwrap(), "");
        assert!(
            render(&e2, Format::Markdown, plain)
                .unwrap()
                .contains("No changes.")
        );
    }
}
