//! Kagi Small Web feed (wire-protocol §6.10): an Atom feed, no auth.

use axum::Router;
use axum::extract::{Extension, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::faults::Faults;
use crate::{AppState, api_error, param};

const FEED: &str = include_str!("../fixtures/smallweb.xml");

pub(crate) fn routes() -> Router<AppState> {
    // Kagi's route has a trailing slash; the bare form is not served, as on Kagi.
    Router::new().route("/api/v1/smallweb/feed/", get(feed))
}

async fn feed(Query(q): Query<Vec<(String, String)>>, Extension(f): Extension<Faults>) -> Response {
    let limit = match param(&q, "limit") {
        None => usize::MAX,
        Some(v) => match v.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return api_error(StatusCode::BAD_REQUEST, &format!("Invalid limit '{v}'")),
        },
    };
    let limit = if f.empty { 0 } else { limit };
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        first_entries(FEED, limit),
    )
        .into_response()
}

/// The feed with only its first `n` `<entry>` elements.
fn first_entries(feed: &str, n: usize) -> String {
    let head_end = feed.find("  <entry>").unwrap_or(feed.len());
    let (head, mut rest) = feed.split_at(head_end);
    let mut out = head.to_string();
    for _ in 0..n {
        let Some(end) = rest.find("</entry>\n") else {
            break;
        };
        let end = end + "</entry>\n".len();
        out.push_str(&rest[..end]);
        rest = &rest[end..];
    }
    out.push_str("</feed>\n");
    out
}

/// How many entries the full fixture feed has.
#[cfg(test)]
pub(crate) fn entry_count() -> usize {
    FEED.matches("<entry>").count()
}
