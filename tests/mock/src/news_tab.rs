//! The news tab of the web search (`/news`, session cookie, wire-protocol §6.3): clusters of
//! stories (`.newsResultGroup`) and lone stories (`.newsResultItem._0_SRI`), filled with the
//! query. The first story's snippet echoes the filters the client sent.

use std::fmt::Write as _;

use axum::Router;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;

use crate::faults::Faults;
use crate::pages::{self, escape};
use crate::{AppState, param};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/news", get(news_tab))
}

struct Story {
    source: Option<&'static str>,
    time: Option<&'static str>,
    url: String,
    title: String,
    snippet: Option<String>,
    paywall: bool,
    image: bool,
}

/// The stories for `q`, as (group?, stories) in page order.
fn layout(q: &str) -> Vec<(bool, Vec<Story>)> {
    let slug: String = q
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let story = |source: Option<&'static str>,
                 time,
                 path: &str,
                 title: String,
                 snippet: Option<String>,
                 paywall,
                 image| Story {
        source,
        time,
        url: format!("https://{}/{path}/{slug}", source.unwrap_or("wire.example")),
        title,
        snippet,
        paywall,
        image,
    };
    vec![
        (
            false,
            vec![story(
                Some("www.cnn.com"),
                Some("2 hours ago"),
                "world",
                format!("Talks on {q} resume as deadline nears"),
                Some(format!("Negotiators met again on {q} on Monday.")),
                true,
                true,
            )],
        ),
        (
            true,
            vec![
                story(
                    Some("bbc.com"),
                    Some("3 hours ago"),
                    "news",
                    format!("What we know about {q}"),
                    Some(format!("A guide to {q}.")),
                    false,
                    true,
                ),
                story(
                    Some("reuters.com"),
                    Some("4 hours ago"),
                    "world",
                    format!("{q}: markets react"),
                    None,
                    false,
                    false,
                ),
                story(
                    Some("apnews.com"),
                    None,
                    "article",
                    format!("Analysis: the week in {q}"),
                    Some("Our correspondents weigh in.".to_string()),
                    true,
                    false,
                ),
            ],
        ),
        (
            false,
            vec![story(
                None,
                None,
                "brief",
                format!("{q} in brief"),
                None,
                false,
                false,
            )],
        ),
        (
            true,
            vec![
                story(
                    Some("theguardian.com"),
                    Some("1 day ago"),
                    "world",
                    format!("Opinion: {q} needs a rethink"),
                    None,
                    false,
                    false,
                ),
                story(
                    Some("dw.com"),
                    Some("1 day ago"),
                    "en",
                    format!("{q} explained"),
                    Some(format!("Background on {q}.")),
                    false,
                    true,
                ),
            ],
        ),
    ]
}

fn story_html(s: &Story) -> String {
    let mut out = String::from(r#"<div class="newsResultItem _0_SRI">"#);
    if let Some(t) = s.time {
        let _ = write!(out, r#"<span class="newsResultTime">{}</span>"#, escape(t));
    }
    let domain = s
        .source
        .map(|d| format!(r#" data-domain="{}""#, escape(d)))
        .unwrap_or_default();
    let _ = write!(
        out,
        r#"<h3 class="newsResultTitle"><a class="_0_URL _0_TITLE" href="{}"{domain}>{}</a></h3>"#,
        escape(&s.url),
        escape(&s.title)
    );
    if s.paywall {
        out.push_str(r#"<div class="trigger paywall-icon" title="Paywall"></div>"#);
    }
    if let Some(snippet) = &s.snippet {
        let _ = write!(
            out,
            r#"<div class="newsResultContent">{}</div>"#,
            escape(snippet)
        );
    }
    if s.image {
        let _ = write!(
            out,
            r#"<div class="newsResultImage"><img src="https://kagiproxy.com/img/{}.jpg" alt=""></div>"#,
            s.url.len()
        );
    }
    out.push_str(r#"<a class="newsResultMore" href="/news?q=more">More like this</a></div>"#);
    out
}

async fn news_tab(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
    Extension(f): Extension<Faults>,
) -> Response {
    if !state.has_session(&headers) {
        return pages::logged_out();
    }
    let q = param(&params, "q").unwrap_or("").trim().to_string();
    let title = format!("{} - Kagi News", escape(&q));
    if q.is_empty() || f.empty || q.to_ascii_lowercase().contains("noresults") {
        let main = format!(
            r#"<main id="main" class="news-results"><div class="no-results"><p>No news found for <b>{}</b>.</p></div></main>"#,
            escape(&q)
        );
        return pages::html(StatusCode::OK, pages::frame(&title, &main));
    }
    let mut groups = layout(&q);
    let filters: Vec<String> = params
        .iter()
        .filter(|(k, _)| ["r", "freshness", "order"].contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !filters.is_empty() {
        let first = &mut groups[0].1[0];
        let snippet = first.snippet.take().unwrap_or_default();
        first.snippet = Some(format!("{snippet} Filters: {}.", filters.join(", ")));
    }
    let mut main = String::from(
        r#"<main id="main" class="news-results"><div class="news-sort"><a href="/news?order=2">Recent</a> <a href="/news?freshness=day">Past day</a></div>"#,
    );
    for (grouped, stories) in &groups {
        if *grouped {
            main.push_str(r#"<div class="newsResultGroup">"#);
        }
        for s in stories {
            main.push_str(&story_html(s));
        }
        if *grouped {
            main.push_str("</div>");
        }
    }
    main.push_str("</main>");
    pages::html(StatusCode::OK, pages::frame(&title, &main))
}
