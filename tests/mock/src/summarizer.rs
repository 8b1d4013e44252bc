//! The subscriber summarizer (`/mother/summary_labs`, session cookie, wire-protocol §6.7):
//! a Kagi stream of `hi` and `new_message.json` frames, the last message final. A URL
//! containing `summary-error` gets a final message in state `error`.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::pages;
use crate::{AppState, param};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/mother/summary_labs", get(summary))
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
