//! The paid API tools (`Authorization: Bot <API token>`, else 401): FastGPT
//! (`POST /api/v0/fastgpt`, wire-protocol §6.8), whose answer echoes the query,
//! and Enrich (`GET /api/v0/enrich/web|news?q=`, §6.9), whose results include a
//! `t:1` related-searches item as the Search API's do. Out of credit, rate
//! limits and the rest come from the fault prefix (`status=402` is Kagi's
//! code-101 "Insufficient credit" body).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::{AppState, api_error, json_ok, param};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v0/fastgpt", post(fastgpt))
        .route("/api/v0/enrich/{index}", get(enrich))
}

/// The 401 Kagi gives a request without the right API token.
fn unauthorized(headers: &HeaderMap) -> Response {
    let msg = if headers.contains_key("authorization") {
        "Invalid token"
    } else {
        "Missing or malformed Authorization header"
    };
    api_error(StatusCode::UNAUTHORIZED, msg)
}

fn meta(node: &str, ms: u64) -> Value {
    json!({"id": "mock-paid-api", "node": node, "ms": ms, "api_balance": 4.25})
}

async fn fastgpt(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if !state.has_api_token(&headers) {
        return unauthorized(&headers);
    }
    let query = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|b| b.get("query")?.as_str().map(str::to_string))
        .filter(|q| !q.trim().is_empty());
    let Some(query) = query else {
        return api_error(StatusCode::BAD_REQUEST, "Missing required field: query");
    };
    json_ok(json!({
        "meta": meta("us-east4", 912),
        "data": {
            "output": format!("FastGPT answer to: {query} [1]"),
            "tokens": 321,
            "references": [
                {"title": "Reference for the answer", "snippet": "Where the <b>answer</b> comes from.", "url": "https://docs.example/answer"},
                {"title": "Second reference", "snippet": "", "url": "https://second.example/"},
            ],
        },
    }))
}

async fn enrich(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(index): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    if index != "web" && index != "news" {
        return api_error(StatusCode::NOT_FOUND, "Not found");
    }
    if !state.has_api_token(&headers) {
        return unauthorized(&headers);
    }
    let Some(q) = param(&params, "q").filter(|q| !q.trim().is_empty()) else {
        return api_error(StatusCode::BAD_REQUEST, "Missing required parameter: q");
    };
    json_ok(json!({
        "meta": meta("test", 12),
        "data": [
            {"t": 0, "rank": 1, "url": format!("https://{index}.example/first"), "title": format!("{index}: {q}"), "snippet": "The first enrich result.", "published": "2024-01-01T00:00:00Z"},
            {"t": 1, "list": [format!("{q} related"), format!("more {q}")]},
            {"t": 0, "rank": 2, "url": format!("https://{index}.example/second"), "title": "Second result"},
        ],
    }))
}
