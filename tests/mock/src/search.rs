//! Web search: the Search API (`/api/v0/search`, API token, §6.1) and the subscriber HTML
//! search page (`/html/search`, session cookie, §6.2).
//!
//! Results come from templates in fixtures/search.json filled with the query, so tests can
//! predict exact titles. The two paths use different first results ("{q} - Wikipedia" for
//! the API, "{q} — Official Site" for HTML) so a test can tell which path a client used.

use std::fmt::Write as _;
use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use crate::faults::Faults;
use crate::pages::{self, escape};
use crate::{AppState, api_error, json_ok, param};

static FIXTURE: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../fixtures/search.json")).expect("fixtures/search.json")
});

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v0/search", get(api_search))
        .route("/html/search", get(html_search))
}

type Params = Query<Vec<(String, String)>>;

/// Lower-case, dash-separated, URL-safe form of the query.
fn slug(q: &str) -> String {
    let words: Vec<String> = q
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "query".to_string()
    } else {
        words.join("-")
    }
}

/// Fills `{q}` and `{slug}` in every string of a template.
fn fill(template: &Value, q: &str) -> Value {
    match template {
        Value::String(s) => Value::String(s.replace("{q}", q).replace("{slug}", &slug(q))),
        Value::Array(a) => Value::Array(a.iter().map(|v| fill(v, q)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), fill(v, q))).collect()),
        other => other.clone(),
    }
}

/// A query mentioning `servererror` gets a 500 on either path, so one query of a batch can
/// fail while the others succeed.
fn server_error(q: &str, path: &str) -> Option<Response> {
    q.to_ascii_lowercase().contains("servererror").then(|| {
        crate::error_response(
            path,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal server error. Please try again later.",
        )
    })
}

/// No results for queries mentioning `noresults`, or under the `empty` fault.
fn wants_nothing(q: &str, f: &Faults) -> bool {
    f.empty || q.to_ascii_lowercase().contains("noresults")
}

/// A stable request id derived from the query (FNV-1a), like Kagi's opaque meta ids.
fn request_id(q: &str) -> String {
    let hash = q.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{hash:016x}")
}

async fn api_search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Params,
    Extension(f): Extension<Faults>,
) -> Response {
    if !state.has_api_token(&headers) {
        let msg = if headers.contains_key("authorization") {
            "Invalid token"
        } else {
            "Missing or malformed Authorization header"
        };
        return api_error(StatusCode::UNAUTHORIZED, msg);
    }
    let q = param(&params, "q").unwrap_or("").trim().to_string();
    if q.is_empty() {
        return api_error(StatusCode::BAD_REQUEST, "Missing required parameter: q");
    }
    if let Some(resp) = server_error(&q, "/api/v0/search") {
        return resp;
    }
    let mut data = Vec::new();
    if !wants_nothing(&q, &f) {
        data = if crate::escapes::wanted(&q) {
            crate::escapes::api_results()
        } else {
            fill(&FIXTURE["api"], &q)
                .as_array()
                .cloned()
                .unwrap_or_default()
        };
        // Real Kagi appends related searches as a t:1 item without url/title.
        data.push(json!({"t": 1, "list": fill(&FIXTURE["api_related"], &q)}));
    }
    json_ok(json!({
        "meta": {"id": request_id(&q), "node": "us-east4", "ms": 187, "api_balance": 9.875},
        "data": data,
    }))
}

async fn html_search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Params,
    Extension(f): Extension<Faults>,
) -> Response {
    // Kagi answers a bad session with its marketing page and a 200, not with a 401.
    if !state.has_session(&headers) {
        return pages::logged_out();
    }
    let q = param(&params, "q").unwrap_or("").trim().to_string();
    if let Some(resp) = server_error(&q, "/html/search") {
        return resp;
    }
    let title = format!("{} - Kagi Search", escape(&q));
    let mut main = String::new();
    let _ = write!(
        main,
        r#"<div class="search-box"><form action="/search" method="get"><input type="search" name="q" value="{}"></form></div>"#,
        escape(&q)
    );
    main.push_str(&filter_bar(&params));
    if q.is_empty() || wants_nothing(&q, &f) {
        let _ = write!(
            main,
            r#"<main id="main" class="results-box"><div class="no-results"><p>No results found for <b>{}</b>.</p><p>Try different keywords or remove search filters.</p></div></main>"#,
            escape(&q)
        );
        return pages::html(StatusCode::OK, pages::frame(&title, &main));
    }
    main.push_str(r#"<main id="main" class="results-box">"#);
    main.push_str(&infobox(&q));
    let results = fill(&FIXTURE["html"], &q);
    let results: Vec<&Value> = results.as_array().into_iter().flatten().collect();
    // A query mentioning `longpage` gets eight pages' worth of results in one page, the
    // size of a long real results page (for benchmarks); each copy has its own URLs.
    let copies = if q.to_ascii_lowercase().contains("longpage") {
        8
    } else {
        1
    };
    for i in 0..results.len() * copies {
        let (copy, r) = (i / results.len(), results[i % results.len()]);
        let mut url = r["url"].as_str().unwrap_or("").to_string();
        if copy > 0 {
            url = format!("{url}#p{}", copy + 1);
        }
        let mut title = r["title"].as_str().unwrap_or("").to_string();
        let mut snippet = r["snippet"].as_str().unwrap_or("").to_string();
        if i == 0 {
            // Let tests see that the lens and filters reached the server.
            if let Some(lens) = param(&params, "l") {
                title = format!("Lens {lens}: {title}");
            }
            let filters = active_filters(&params);
            if !filters.is_empty() {
                snippet = format!("{snippet} Filters: {}.", filters.join(", "));
            }
        }
        main.push_str(&result_block(i, &url, &title, &snippet));
        if i % 10 == 2 {
            main.push_str(&group_block(&q));
        }
    }
    main.push_str(&related_block(&q));
    main.push_str("</main>");
    pages::html(StatusCode::OK, pages::frame(&title, &main))
}

/// `name=value` for every filter parameter the client sent, in wire order.
fn active_filters(params: &[(String, String)]) -> Vec<String> {
    const FILTERS: [&str; 7] = [
        "r",
        "dr",
        "from_date",
        "to_date",
        "order",
        "verbatim",
        "personalized",
    ];
    params
        .iter()
        .filter(|(k, _)| FILTERS.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// The filter toolbar (noise: it has links but no result classes).
fn filter_bar(params: &[(String, String)]) -> String {
    let region = param(params, "r").unwrap_or("All regions");
    format!(
        r#"<div class="filters-bar"><a class="region" href="/search?r=us">{}</a> <a href="/search?dr=1">Past day</a> <a href="/search?dr=2">Past week</a> <a href="/search?order=2">Recent</a></div>"#,
        escape(region)
    )
}

fn result_block(i: usize, url: &str, title: &str, snippet: &str) -> String {
    let host = url.split('/').nth(2).unwrap_or("");
    // The snippet bolds the first word, as Kagi highlights matched terms.
    let snippet_html = match snippet.split_once(' ') {
        Some((first, rest)) => format!("<b>{}</b> {}", escape(first), escape(rest)),
        None => escape(snippet),
    };
    format!(
        r#"
<div class="search-result _0_SRI" data-position="{pos}">
  <div class="__sri-title"><h3 class="__sri-title-box"><a class="__sri_title_link _0_sri_title_link _0_URL" href="{url}" rel="noopener noreferrer">{title}</a></h3></div>
  <div class="__sri-url-box"><img class="__sri-favicon" src="/proxy/favicons?c={host}" alt="" width="16" height="16" loading="lazy"><a class="__sri-url" href="{url}"><span class="host">{host}</span></a>
    <div class="__sri-more"><button class="sri-menu" aria-label="More">⋯</button>
      <ul class="__sri-more-menu" hidden>{menu}</ul></div></div>
  <div class="__sri-body"><div class="__sri-desc">{snippet_html}</div></div>
</div>"#,
        pos = i + 1,
        url = escape(url),
        title = escape(title),
        host = escape(host),
        menu = site_menu(host),
    )
}

/// Kagi's per-result menu: site-preference links and an icon for each. Links inside a
/// result that are not its title link; a parser must not take them for results.
fn site_menu(host: &str) -> String {
    let mut out = String::new();
    for (mode, label, path) in [
        ("pin", "Pin", "M2 2h6v6H2z"),
        ("higher", "Raise", "M5 1l4 8H1z"),
        ("normal", "Normal", "M1 5h8"),
        ("lower", "Lower", "M5 9L1 1h8z"),
        ("block", "Block", "M1 1l8 8M9 1L1 9"),
    ] {
        let _ = write!(
            out,
            r#"<li><a class="__sri-pref" href="/settings/domain_pref?d={host}&amp;mode={mode}"><svg class="icon" viewBox="0 0 10 10" aria-hidden="true"><path d="{path}"/></svg>{label} {host}</a></li>"#,
            host = escape(host),
        );
    }
    let _ = write!(
        out,
        r#"<li><a class="__sri-cache" href="/cache?url={}">Cached page</a></li>"#,
        escape(host)
    );
    out
}

fn group_block(q: &str) -> String {
    let mut out = format!(
        r#"
<div class="sr-group" data-group="discussions"><div class="sr-group-title">{}</div>"#,
        escape(
            FIXTURE["html_group_title"]
                .as_str()
                .unwrap_or("More results")
        )
    );
    for r in fill(&FIXTURE["html_group"], q)
        .as_array()
        .into_iter()
        .flatten()
    {
        let _ = write!(
            out,
            r#"
  <div class="__srgi"><div class="__srgi-title"><a href="{}">{}</a></div><div class="__sri-desc">{}</div></div>"#,
            escape(r["url"].as_str().unwrap_or("")),
            escape(r["title"].as_str().unwrap_or("")),
            escape(r["snippet"].as_str().unwrap_or("")),
        );
    }
    out.push_str("\n</div>");
    out
}

/// A knowledge panel: links and text, but none of the result classes.
fn infobox(q: &str) -> String {
    format!(
        r#"
<aside class="wikipedia-box infobox"><h2 class="infobox-title">{q}</h2>
  <p class="infobox-desc">{q} — overview from Wikipedia. <a href="https://en.wikipedia.org/wiki/{slug}">Read more</a></p>
  <table class="infobox-facts"><tr><th>Type</th><td>Topic</td></tr></table></aside>"#,
        q = escape(q),
        slug = slug(q),
    )
}

fn related_block(q: &str) -> String {
    let mut out = String::from(
        r#"
<div class="related-searches"><h3>Related searches</h3><ul>"#,
    );
    for s in fill(&FIXTURE["html_related"], q)
        .as_array()
        .into_iter()
        .flatten()
    {
        let s = s.as_str().unwrap_or("");
        let _ = write!(
            out,
            r#"<li><a href="/search?q={}">{}</a></li>"#,
            escape(&s.replace(' ', "+")),
            escape(s)
        );
    }
    out.push_str("</ul></div>");
    out
}
