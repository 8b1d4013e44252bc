//! `assistant thread list`: `POST /assistant/thread_list` page after page
//! (wire protocol §6.16), each page's threads scraped from the HTML its
//! `thread_list.html` frame embeds, merged into one object.

use super::{frame_json, missing, stream_request};
use crate::model::Meta;
use kagi_plugin_sdk::http::Family;
use kagi_plugin_sdk::stream;
use kagi_plugin_sdk::{Error, Output};
use scraper::{ElementRef, Html, Selector};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

const SURFACE: &str = "assistant thread list";
/// Threads asked for per page.
const PAGE_LIMIT: u32 = 100;

/// `{"meta","tags","threads","pagination"}` (cli-surface §5.2).
#[derive(Debug, Serialize)]
struct Listing {
    meta: Meta,
    tags: Value,
    threads: Vec<Item>,
    pagination: Pagination,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct Item {
    id: String,
    title: String,
    url: String,
    snippet: String,
    saved: bool,
    shared: bool,
    tag_ids: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Pagination {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<Value>,
    has_more: bool,
    /// The number of threads returned, over all pages.
    count: usize,
    total_counts: Map<String, Value>,
}

/// The `thread_list.html` frame's payload.
#[derive(Debug, Deserialize)]
struct Page {
    html: PageHtml,
    #[serde(default)]
    next_cursor: Value,
    has_more: bool,
    #[serde(default)]
    total_counts: Option<Map<String, Value>>,
}

/// `html` is a string or `{"html": string}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PageHtml {
    Text(String),
    Wrapped { html: String },
}

impl PageHtml {
    fn text(&self) -> &str {
        match self {
            PageHtml::Text(t) | PageHtml::Wrapped { html: t } => t,
        }
    }
}

pub fn run() -> Result<(), Error> {
    Output::json().print(&fetch_all()?, None)
}

/// Every page, following `next_cursor` while `has_more`.
fn fetch_all() -> Result<Listing, Error> {
    let mut listing = Listing {
        meta: Meta::default(),
        tags: json!([]),
        threads: Vec::new(),
        pagination: Pagination {
            next_cursor: None,
            has_more: false,
            count: 0,
            total_counts: Map::new(),
        },
    };
    let mut cursor: Option<Value> = None;
    loop {
        let body = match &cursor {
            None => json!({"limit": PAGE_LIMIT}),
            Some(c) => json!({"cursor": c, "limit": PAGE_LIMIT}),
        };
        let (meta, tags, page) = fetch_page(&body)?;
        listing.meta = meta;
        listing.tags = tags;
        listing.threads.extend(scrape(page.html.text())?);
        // The last page's counts win; earlier pages fill the gaps.
        if let Some(counts) = page.total_counts {
            listing.pagination.total_counts.extend(counts);
        }
        listing.pagination.has_more = page.has_more;
        let next = Some(page.next_cursor).filter(|c| !c.is_null());
        listing.pagination.next_cursor = next.clone();
        match next {
            Some(next) if page.has_more => {
                if cursor.as_ref() == Some(&next) {
                    return Err(Error::parse(format!(
                        "{SURFACE} returned the same cursor twice; stopping instead of asking forever"
                    )));
                }
                cursor = Some(next);
            }
            _ => break,
        }
    }
    listing.pagination.count = listing.threads.len();
    Ok(listing)
}

fn fetch_page(body: &Value) -> Result<(Meta, Value, Page), Error> {
    let request = stream_request("/assistant/thread_list", body)?;
    let mut frames = stream::open(&request, Family::Session, SURFACE)?;
    let (mut meta, mut tags, mut page) = (Meta::default(), json!([]), None);
    while let Some(frame) = frames.next()? {
        match frame.tag.as_str() {
            "hi" => meta = Meta::from_hi(&frame.payload).unwrap_or(meta),
            "tags.json" => tags = frame_json(SURFACE, &frame)?,
            "thread_list.html" => page = Some(frame_json::<Page>(SURFACE, &frame)?),
            _ => {}
        }
    }
    let page = page.ok_or_else(|| missing(SURFACE, "thread_list.html"))?;
    Ok((meta, tags, page))
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

/// The `.thread-list .thread` items of a page.
fn scrape(html: &str) -> Result<Vec<Item>, Error> {
    let doc = Html::parse_fragment(html);
    doc.select(&selector(".thread-list .thread"))
        .map(item)
        .collect()
}

fn text_of(el: ElementRef) -> String {
    el.text().collect::<String>().trim().to_string()
}

fn item(el: ElementRef) -> Result<Item, Error> {
    let attr = |name: &str| el.value().attr(name);
    let refuse = |what: &str| Error::parse(format!("{SURFACE} item is missing {what}"));
    let id = attr("data-code").ok_or_else(|| refuse("its data-code (the thread id)"))?;
    let url = el
        .select(&selector("a[href]"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .ok_or_else(|| refuse("its link"))?;
    let title = el
        .select(&selector(".title"))
        .next()
        .map(text_of)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| refuse("its title"))?;
    let tag_ids = match attr("data-tags") {
        None => Vec::new(),
        Some(tags) => serde_json::from_str(tags)
            .map_err(|e| Error::parse(format!("{SURFACE} item {id} has invalid data-tags: {e}")))?,
    };
    let snippet = el
        .select(&selector(".excerpt"))
        .next()
        .map(text_of)
        .or_else(|| attr("data-snippet").map(str::to_string))
        .unwrap_or_default();
    Ok(Item {
        id: id.to_string(),
        title,
        url: url.to_string(),
        snippet,
        saved: attr("data-saved") == Some("true"),
        shared: attr("data-public") == Some("true"),
        tag_ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<ul class="thread-list"><li class="thread" data-code="thread-1" data-saved="true" data-public="false" data-tags='["t1"]' data-snippet="First snippet"><a href="/assistant/thread-1"><div class="title"> First Thread </div></a></li><li class="thread" data-code="thread-2"><a href="/assistant/thread-2"><div class="title">Second</div><div class="excerpt">From the excerpt</div></a></li></ul>"#;

    #[test]
    fn scrapes_every_field_with_the_excerpt_before_data_snippet() {
        let items = scrape(PAGE).unwrap();
        assert_eq!(
            items[0],
            Item {
                id: "thread-1".into(),
                title: "First Thread".into(),
                url: "/assistant/thread-1".into(),
                snippet: "First snippet".into(),
                saved: true,
                shared: false,
                tag_ids: vec!["t1".into()],
            }
        );
        assert_eq!(items[1].snippet, "From the excerpt");
        assert!(items[1].tag_ids.is_empty() && !items[1].saved);
    }

    #[test]
    fn an_item_without_id_link_title_or_valid_tags_is_a_parse_error() {
        let li = |attrs: &str, inner: &str| {
            scrape(&format!(
                r#"<ul class="thread-list"><li class="thread" {attrs}>{inner}</li></ul>"#
            ))
            .unwrap_err()
            .message
        };
        let link = r#"<a href="/x"><div class="title">T</div></a>"#;
        assert_eq!(
            li("", link),
            "assistant thread list item is missing its data-code (the thread id)"
        );
        assert_eq!(
            li(r#"data-code="a""#, r#"<div class="title">T</div>"#),
            "assistant thread list item is missing its link"
        );
        assert_eq!(
            li(
                r#"data-code="a""#,
                r#"<a href="/x"><div class="title"> </div></a>"#
            ),
            "assistant thread list item is missing its title"
        );
        assert!(
            li(r#"data-code="a" data-tags="nope""#, link)
                .starts_with("assistant thread list item a has invalid data-tags")
        );
    }

    #[test]
    fn html_comes_as_a_string_or_wrapped() {
        let p: Page = serde_json::from_str(r#"{"html":{"html":"x"},"next_cursor":null,"has_more":false,"count":0,"total_counts":null}"#).unwrap();
        assert_eq!(p.html.text(), "x");
        let p: Page = serde_json::from_str(
            r#"{"html":"y","next_cursor":"c","has_more":true,"count":1,"total_counts":{"all":2}}"#,
        )
        .unwrap();
        assert_eq!(p.html.text(), "y");
    }
}
