//! The subscriber summarizer (`/mother/summary_labs`, session cookie, wire-protocol §6.7):
//! a Kagi stream of `hi` and `new_message.json` frames, the last message final. A URL
//! containing `summary-error` gets a final message in state `error`. The paid Summarizer
//! API (`POST /api/v0/summarize`, `Authorization: Bot`, wire-protocol §6.6) answers JSON
//! whose output echoes what it was given; its failures come from the fault prefix.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::pages;
use crate::{AppState, api_error, json_ok, param};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/mother/summary_labs", get(summary))
        .route("/api/v0/summarize", post(api_summary))
}

/// The Summarizer API: exactly one of `url`/`text`, the options echoed in the output.
async fn api_summary(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if !state.has_api_token(&headers) {
        return api_error(StatusCode::UNAUTHORIZED, "Invalid token");
    }
    let body = serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
    let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
    let input = match (field("url"), field("text")) {
        (Some(url), None) => url,
        (None, Some(text)) => text,
        _ => {
            return api_error(
                StatusCode::BAD_REQUEST,
                "Exactly one of url or text is required",
            );
        }
    };
    let summary_type = field("summary_type").unwrap_or_else(|| "summary".to_string());
    json_ok(json!({
        "meta": {"id": "mock-summarize", "node": "us-east4", "ms": 1234, "api_balance": 4.25},
        "data": {
            "output": format!("API summary ({summary_type}) of {input}: the text makes one point."),
            "tokens": 512,
        },
    }))
}

/// One frame: `tag:payload` and NUL + LF.
fn frame(tag: &str, payload: &str) -> String {
    format!("{tag}:{payload}\0\n")
}

async fn summary(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    if !state.has_session(&headers) {
        return pages::logged_out();
    }
    let input = param(&params, "url").or_else(|| param(&params, "text"));
    let Some(input) = input.filter(|v| !v.trim().is_empty()) else {
        return pages::error_page(StatusCode::BAD_REQUEST, "url or text is required");
    };
    let summary_type = param(&params, "summary_type").unwrap_or("article");
    let failed = input.contains("summary-error");
    let reply = if failed {
        "This page could not be summarized.".to_string()
    } else {
        format!("Summary ({summary_type}) of {input}: the page explains its topic in three parts.")
    };
    let message = |state: &str, reply: &str| {
        json!({
            "id": "msg-summary-1",
            "thread_id": "thread-summary-1",
            "created_at": "2026-04-06T07:00:00Z",
            "state": state,
            "prompt": input,
            "reply": reply,
            "md": reply,
            "metadata": "<li>mock summarizer</li>",
            "documents": [{"url": input}],
        })
        .to_string()
    };
    let body = [
        frame(
            "hi",
            r#"{"v":"202604060700.stage.mock","trace":"trace-summary"}"#,
        ),
        frame("new_message.json", &message("streaming", "")),
        frame("update", "ignored by clients"),
        frame(
            "new_message.json",
            &message(if failed { "error" } else { "done" }, &reply),
        ),
    ]
    .concat();
    (
        [(header::CONTENT_TYPE, "application/vnd.kagi.stream")],
        body,
    )
        .into_response()
}
