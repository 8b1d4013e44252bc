//! Parsers for what Kagi sends back: the results page (an HTML5 parser and CSS
//! selectors, so scripts, comments and markup changes around the results do
//! not matter), the news tab, the Search API's JSON (items that are not web
//! results are skipped, not fatal) and the subscriber summarizer's stream.
//!
//! These are plain functions so that unit tests and the native benchmark call
//! exactly what the plugin runs inside wasm.

use crate::model::{NewsCluster, NewsItem, NewsResponse, SearchResult};
use kagi_plugin_sdk::Error;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

/// The element's text as a browser shows it: fragments joined, runs of
/// whitespace collapsed to one space.
fn text_of(el: ElementRef<'_>) -> String {
    let joined: String = el.text().collect();
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Web results of a subscriber search page, in page order: the main results
/// (`.search-result`) and grouped ones (`.sr-group .__srgi`). Items without a
/// title or a link are skipped.
pub fn results_page(html: &str) -> Vec<SearchResult> {
    let doc = Html::parse_document(html);
    let items = selector(".search-result, .sr-group .__srgi");
    let main_link = selector(".__sri_title_link");
    let group_link = selector(".__srgi-title a");
    let desc = selector(".__sri-desc");
    let mut out = Vec::new();
    for item in doc.select(&items) {
        let primary = item.value().classes().any(|c| c == "search-result");
        let link = if primary {
            item.select(&main_link).next()
        } else {
            item.select(&group_link).next()
        };
        let Some(link) = link else { continue };
        let url = link.value().attr("href").unwrap_or("").trim().to_string();
        let title = text_of(link);
        if url.is_empty() || title.is_empty() {
            continue;
        }
        let snippet = item.select(&desc).next().map(text_of).unwrap_or_default();
        out.push(SearchResult::web(url, title, snippet));
    }
    out
}

/// The news tab: items inside a `.newsResultGroup` form one cluster; items
/// outside any group are clusters of one; page order is kept.
pub fn news_page(html: &str, query: &str) -> NewsResponse {
    let doc = Html::parse_document(html);
    let nodes = selector(".newsResultGroup, .newsResultItem._0_SRI");
    let item_sel = selector(".newsResultItem._0_SRI");
    let mut clusters = Vec::new();
    for el in doc.select(&nodes) {
        let is_group = el.value().classes().any(|c| c == "newsResultGroup");
        if is_group {
            // Nested groups are flattened into the outermost one.
            if has_ancestor_class(el, "newsResultGroup") {
                continue;
            }
            let items: Vec<NewsItem> = el.select(&item_sel).filter_map(news_item).collect();
            if !items.is_empty() {
                clusters.push(NewsCluster { items });
            }
        } else if !has_ancestor_class(el, "newsResultGroup")
            && let Some(item) = news_item(el)
        {
            clusters.push(NewsCluster { items: vec![item] });
        }
    }
    NewsResponse {
        query: query.to_string(),
        clusters,
    }
}

fn has_ancestor_class(el: ElementRef<'_>, class: &str) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().classes().any(|c| c == class))
}

fn news_item(el: ElementRef<'_>) -> Option<NewsItem> {
    let title_sel = selector("a._0_TITLE");
    let link = el.select(&title_sel).next()?;
    let url = link.value().attr("href")?.trim().to_string();
    let title = text_of(link);
    if url.is_empty() || title.is_empty() {
        return None;
    }
    let first_text = |css: &str| {
        el.select(&selector(css))
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty())
    };
    let source = link
        .value()
        .attr("data-domain")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let image_url = el
        .select(&selector(".newsResultImage img[src]"))
        .next()
        .and_then(|img| img.value().attr("src"))
        .map(str::to_string)
        .filter(|s| !s.is_empty());
    Some(NewsItem {
        title,
        url,
        source,
        time_relative: first_text(".newsResultTime"),
        snippet: first_text(".newsResultContent"),
        paywall: el.select(&selector(".paywall-icon")).next().is_some(),
        image_url,
    })
}

/// The Search API's `data`: web results (`t: 0` with a url and a title).
/// Related searches (`t: 1`), infoboxes and other item kinds are skipped, so
/// a new kind of item never breaks a search.
pub fn api_results(body: &[u8]) -> Result<Vec<SearchResult>, Error> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::parse(format!("failed to parse Kagi Search API response: {e}")))?;
    let data = match value.get("data") {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => {
            if let Some(msg) = value.pointer("/error/0/msg").and_then(Value::as_str) {
                return Err(Error::network(format!(
                    "Kagi Search API returned an error: {msg}"
                )));
            }
            return Err(Error::parse(
                "failed to parse Kagi Search API response: it has no `data` array",
            ));
        }
        Some(other) => {
            return Err(Error::parse(format!(
                "failed to parse Kagi Search API response: `data` is {}, not an array",
                kind_of(other)
            )));
        }
    };
    Ok(data.iter().filter_map(api_item).collect())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn api_item(item: &Value) -> Option<SearchResult> {
    let t = item.get("t").and_then(Value::as_u64).unwrap_or(0);
    if t != 0 {
        return None;
    }
    let url = item.get("url")?.as_str()?.to_string();
    let title = item.get("title")?.as_str()?.to_string();
    Some(SearchResult {
        t: 0,
        rank: item
            .get("rank")
            .and_then(Value::as_u64)
            .and_then(|r| u32::try_from(r).ok()),
        url,
        title,
        snippet: item
            .get("snippet")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        published: item
            .get("published")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// The subscriber summarizer's answer, as `search --follow` prints it.
pub use kagi_plugin_sdk::summarizer::{Summary, SummaryData, SummaryMeta};

pub const SUMMARIZER: &str = "subscriber summarizer";

/// Frames `hi` and `new_message.json` (the last one wins) of a summarizer stream.
pub fn summary_stream(body: &[u8]) -> Result<Summary, Error> {
    let text = String::from_utf8_lossy(body);
    if kagi_plugin_sdk::http::is_html_answer(&text) {
        return Err(Error::auth(
            "invalid or expired Kagi session token: the subscriber summarizer answered with a web page; copy a fresh Session Link and run `kagi auth`",
        ));
    }
    let mut meta = SummaryMeta::default();
    let mut message: Option<Value> = None;
    for frame in kagi_plugin_sdk::stream::frames(body) {
        match frame.tag.as_str() {
            "hi" => meta = SummaryMeta::from_hi(&frame.payload).unwrap_or(meta),
            "new_message.json" => {
                let v = serde_json::from_str::<Value>(&frame.payload).map_err(|e| {
                    Error::parse(format!("failed to parse {SUMMARIZER} message: {e}"))
                })?;
                message = Some(v);
            }
            _ => {}
        }
    }
    let m = message.ok_or_else(|| {
        Error::parse(format!(
            "{SUMMARIZER} response did not include a new_message.json frame"
        ))
    })?;
    let field = |name: &str| m.get(name).and_then(Value::as_str).map(str::to_string);
    let required = |name: &str| {
        field(name).ok_or_else(|| {
            Error::parse(format!(
                "failed to parse {SUMMARIZER} message: missing field `{name}`"
            ))
        })
    };
    let state = required("state")?;
    let reply = field("reply").unwrap_or_default();
    if state == "error" {
        return Err(Error::network(format!(
            "Kagi {SUMMARIZER} failed: {}",
            if reply.is_empty() {
                "no reason given"
            } else {
                &reply
            }
        )));
    }
    Ok(Summary {
        meta,
        data: SummaryData {
            id: required("id")?,
            thread_id: field("thread_id").unwrap_or_default(),
            created_at: field("created_at").unwrap_or_default(),
            state,
            prompt: field("prompt").unwrap_or_default(),
            output: reply,
            markdown: field("md").unwrap_or_default(),
            metadata_html: field("metadata").unwrap_or_default(),
            documents: m
                .get("documents")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = include_str!("../fixtures/results-page.html");

    #[test]
    fn minimal_page_from_the_protocol() {
        let html = r#"<html><body>
    <div class="search-result"><a class="__sri_title_link" href="https://example.com/one">One Result</a><div class="__sri-desc">First snippet</div></div>
    <div class="sr-group"><div class="__srgi"><div class="__srgi-title"><a href="https://example.com/two">Grouped Result</a></div><div class="__sri-desc">Second snippet</div></div></div>
  </body></html>"#;
        let r = results_page(html);
        assert_eq!(r.len(), 2);
        assert_eq!(
            r[0],
            SearchResult::web(
                "https://example.com/one".into(),
                "One Result".into(),
                "First snippet".into()
            )
        );
        assert_eq!(r[1].title, "Grouped Result");
        assert_eq!(r[1].snippet, "Second snippet");
    }

    #[test]
    fn realistic_page_ignores_scripts_infobox_and_related() {
        let r = results_page(PAGE);
        let titles: Vec<&str> = r.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(r.len(), 8, "{titles:?}");
        assert_eq!(titles[0], "rust lang — Official Site");
        // Grouped results sit where the page shows them, after the third result.
        assert_eq!(titles[3], "r/rust-lang: community discussion");
        assert!(!titles.contains(&"Template"), "script text is not markup");
        assert!(r.iter().all(|r| !r.url.contains("template.invalid")));
        assert!(r.iter().all(|r| r.t == 0 && r.rank.is_none()));
        // Bold highlights are part of the snippet text.
        assert!(
            r[0].snippet.starts_with("The official home of rust lang."),
            "{}",
            r[0].snippet
        );
        assert_eq!(r[2].title, "Tips & tricks for rust lang");
    }

    #[test]
    fn items_without_link_or_title_are_skipped() {
        let html = r#"<div class="search-result"><a class="__sri_title_link" href="">No link</a></div>
<div class="search-result"><a class="__sri_title_link" href="https://a.example/">   </a></div>
<div class="search-result"><span>no anchor</span></div>
<div class="search-result"><a class="__sri_title_link" href=" https://b.example/ "> B
  title </a></div>"#;
        let r = results_page(html);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].url, "https://b.example/");
        assert_eq!(r[0].title, "B title");
        assert_eq!(r[0].snippet, "");
    }

    #[test]
    fn junk_is_not_html() {
        // The shared check (200 characters, no `<body`) still knows a real page.
        use kagi_plugin_sdk::protocol::looks_like_html;
        assert!(!looks_like_html("\u{fffd}\u{fffd}garbage<<<>>>{{not html"));
        assert!(looks_like_html(PAGE));
        assert!(results_page("\u{fffd}garbage<<<>>>").is_empty());
    }

    #[test]
    fn news_clusters_follow_the_page() {
        let html = r#"<div class="newsResultItem _0_SRI"><span class="newsResultTime">2 hours ago</span>
    <h3><a class="_0_URL _0_TITLE" data-domain="cnn.com" href="https://www.cnn.com/lead">Lead Story</a></h3>
    <div class="trigger paywall-icon"></div><div class="newsResultContent">Lead snippet.</div>
    <div class="newsResultImage"><img src="https://img.example/lead.jpg"></div></div>
  <div class="newsResultGroup">
    <div class="newsResultItem _0_SRI"><a class="_0_TITLE" data-domain="bbc.com" href="https://bbc.com/b">Follower</a></div>
    <div class="newsResultItem _0_SRI"><a class="_0_TITLE" href="https://c.example/c">Second</a></div>
    <div class="newsResultItem _0_SRI"><a class="_0_TITLE">No href</a></div>
  </div>
  <div class="newsResultItem"><a class="_0_TITLE" href="https://d.example/">Not an SRI item</a></div>"#;
        let n = news_page(html, "iran");
        assert_eq!(n.query, "iran");
        assert_eq!(n.clusters.len(), 2);
        let lead = &n.clusters[0].items[0];
        assert_eq!(lead.source.as_deref(), Some("cnn.com"));
        assert_eq!(lead.time_relative.as_deref(), Some("2 hours ago"));
        assert_eq!(lead.snippet.as_deref(), Some("Lead snippet."));
        assert!(lead.paywall);
        assert_eq!(
            lead.image_url.as_deref(),
            Some("https://img.example/lead.jpg")
        );
        assert_eq!(n.clusters[1].items.len(), 2);
        assert!(!n.clusters[1].items[0].paywall);
        assert_eq!(n.clusters[1].items[1].source, None);
    }

    #[test]
    fn api_items_that_are_not_results_are_skipped() {
        let body = br#"{"meta":{"id":"x"},"data":[
            {"t":0,"rank":1,"url":"https://a.example","title":"A","snippet":"s","thumbnail":{"url":"x"}},
            {"t":0,"url":"https://b.example","title":"B","published":"2026-01-01T00:00:00Z"},
            {"t":1,"list":["related one","related two"]},
            {"t":2,"infobox":{"title":"Box"}},
            {"t":0,"title":"no url"}
        ]}"#;
        let r = api_results(body).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].rank, Some(1));
        assert_eq!(r[0].snippet, "s");
        assert_eq!(r[1].rank, None);
        assert_eq!(r[1].snippet, "");
        assert_eq!(r[1].published.as_deref(), Some("2026-01-01T00:00:00Z"));
    }

    #[test]
    fn api_errors() {
        let e = api_results(br#"{"data":[{"t":0,"url":"https://exa"#).unwrap_err();
        assert!(
            e.message
                .starts_with("failed to parse Kagi Search API response:"),
            "{}",
            e.message
        );
        let e = api_results(br#"{"data":null,"error":[{"code":1,"msg":"boom"}]}"#).unwrap_err();
        assert_eq!(e.message, "Kagi Search API returned an error: boom");
        assert!(api_results(br#"{"data":{}}"#).is_err());
        assert!(api_results(br#"{"data":[]}"#).unwrap().is_empty());
    }

    #[test]
    fn summarizer_stream() {
        let body = b"hi:{\"v\":\"202603091651.stage\",\"trace\":\"abc123\"}\0\nnew_message.json:{\"id\":\"m0\",\"state\":\"streaming\"}\0\nnew_message.json:{\"id\":\"msg-1\",\"thread_id\":\"thread-1\",\"created_at\":\"2026-03-16T05:17:57Z\",\"state\":\"done\",\"prompt\":\"hello\",\"reply\":\"summary output\",\"md\":\"summary *output*\",\"metadata\":\"<li>meta</li>\",\"documents\":[{\"url\":\"https://example.com\"}]}\0\n";
        let s = summary_stream(body).unwrap();
        assert_eq!(s.meta.version.as_deref(), Some("202603091651.stage"));
        assert_eq!(s.data.id, "msg-1");
        assert_eq!(s.data.output, "summary output");
        assert_eq!(s.data.markdown, "summary *output*");
        assert_eq!(s.data.documents.len(), 1);
        let e = summary_stream(b"hi:{}\0\n").unwrap_err();
        assert!(
            e.message
                .contains("did not include a new_message.json frame")
        );
        let e = summary_stream(
            b"new_message.json:{\"id\":\"m\",\"state\":\"error\",\"reply\":\"too long\"}\0\n",
        )
        .unwrap_err();
        assert_eq!(e.message, "Kagi subscriber summarizer failed: too long");
        let e = summary_stream(b"<!DOCTYPE html><html></html>").unwrap_err();
        assert_eq!(e.class, kagi_plugin_sdk::ErrorClass::Auth);
    }
}
