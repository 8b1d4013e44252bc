//! Quick Answer, `POST /mother/context?q=&l=` (wire protocol §6.5): a paced
//! Kagi stream of `hi`, growing `tokens.json` frames and a final
//! `new_message.json`.
//!
//! The query picks a failure (§8 row 4): `quick-limit` (a `limit_notice.html`
//! frame), `quick-unauthorized` (an `unauthorized` frame), `quick-cut` (no
//! final message), `quick-error` / `quick-reply-error` (`state:"error"` with
//! the reason in `md` / only in `reply`), `quick-malformed` (a final frame
//! that is not JSON), `quick-html-only` (no `md`: the answer is HTML only).
//! `quick-gated` holds the final frame until `POST /_mock/quick/release`, so
//! a test can prove the first token was shown before the stream ended.
//! Without the session cookie the answer is the signed-out web page.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State as Ctx};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;
use tokio::sync::Notify;

use crate::kagi_stream::{self, SignedIn, Step};
use crate::{AppState, pages, param};

/// What this module remembers between requests: the gate `quick-gated`
/// streams wait on.
#[derive(Debug, Default)]
pub(crate) struct State {
    gate: Arc<Notify>,
}

/// Time between frames: slow enough that a buffering client is caught.
const PACE: Duration = Duration::from_millis(40);

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/mother/context", post(context))
        .route("/_mock/quick/release", post(release))
}

async fn release(Ctx(state): Ctx<AppState>) -> Response {
    state.quick.lock().unwrap().gate.notify_one();
    StatusCode::NO_CONTENT.into_response()
}

async fn context(
    Ctx(state): Ctx<AppState>,
    _: SignedIn,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let Some(query) = param(&params, "q").filter(|q| !q.trim().is_empty()) else {
        return pages::error_page(StatusCode::BAD_REQUEST, "q is required");
    };
    let gate = state.quick.lock().unwrap().gate.clone();
    kagi_stream::paced(script(query), gate, |_| {})
}

/// The frames for `query`, in order, with the pauses between them.
fn script(query: &str) -> Vec<Step> {
    let mut steps = vec![Step::new(
        "hi",
        r#"{"v":"202603171911.stage.mock","trace":"trace-quick"}"#,
    )];
    if query.contains("quick-limit") {
        steps.push(Step::new(
            "limit_notice.html",
            "<div class=\"notice\"><p>You have used all of your <b>Quick Answers</b> for today.</p></div>",
        ));
        return steps;
    }
    if query.contains("quick-unauthorized") {
        steps.push(Step::new("unauthorized", ""));
        return steps;
    }
    for (i, html) in [
        "<p>Rust is</p>",
        "<p>Rust is a systems</p>",
        "<p>Rust is a systems programming language.</p>",
    ]
    .into_iter()
    .enumerate()
    {
        let tokens = Step::new("tokens.json", json!({ "text": html }).to_string());
        steps.push(if i == 0 { tokens } else { tokens.after(PACE) });
    }
    if query.contains("quick-cut") {
        return steps;
    }
    let mut update = Step::new("update", "ignored by clients").after(PACE);
    update.held = query.contains("quick-gated");
    steps.push(update);
    steps.push(if query.contains("quick-malformed") {
        Step::new("new_message.json", r#"{"id":"msg-quick-1","thread_id":"#)
    } else {
        Step::new("new_message.json", message(query).to_string())
    });
    steps
}

/// The final message: an answer with footnote markers, emphasis and code for
/// the pretty renderer to strip, and two references.
fn message(query: &str) -> serde_json::Value {
    let (state, md, reply) = if query.contains("quick-reply-error") {
        (
            "error",
            "",
            "<p>Quick Answer <b>failed</b> for this query.</p>",
        )
    } else if query.contains("quick-error") {
        ("error", "Quick Answer could not answer this query.", "")
    } else if query.contains("quick-html-only") {
        (
            "done",
            "",
            "<p>Rust is a <b>systems</b> programming language.</p>",
        )
    } else {
        (
            "done",
            "**Rust** is a systems programming language [^1] focused on `safety` , speed and __concurrency__ [^2].\n\n\n\nIt has no garbage collector.",
            "<p><b>Rust</b> is a systems programming language.</p>",
        )
    };
    json!({
        "id": "msg-quick-1",
        "thread_id": "thread-quick-1",
        "created_at": "2026-03-19T00:00:00Z",
        "state": state,
        "prompt": query,
        "reply": reply,
        "md": md,
        "references_md": "[^1]: [The Rust Programming Language](https://www.rust-lang.org/learn) (26%)\n[^2]: [Rust (programming language) - Wikipedia](https://en.wikipedia.org/wiki/Rust_(programming_language)) (7%)\n[^3]: [No percentage](https://example.com/no-pct)",
        "followup_questions": ["Why is Rust memory-safe?", "Who maintains Rust?"],
    })
}
