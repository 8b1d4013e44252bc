//! Assistant threads (wire protocol §6.15–§6.18): `thread_open`,
//! `thread_list` (cursor pagination), `thread_delete` and the markdown
//! download, over the threads in `state.assistant` (made by prompts, or by a
//! test through `POST /_mock/assistant/seed`).
//!
//! Pages hold [`PAGE_SIZE`] threads, newest first, whatever `limit` asks, so
//! a handful of threads spans several pages. The first page's cursor is an
//! object, later ones a string, each echoed back verbatim by the client; the
//! `html` member is a string on even pages and `{"html":…}` on odd ones;
//! `total_counts` is `null` on the last page. Failures ride on thread
//! titles: `no-data-code` (its list item lacks `data-code`), `no-ok-frame`
//! (deleting it answers without `ok`), `html-export` (its download is a web
//! page). An unknown id is a 500 page on open and a 404 on download.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::assistant::{BRANCH, Message, Thread, message_json, thread_json};
use crate::kagi_stream::{SignedIn, frame, whole as stream};
use crate::{AppState, json_ok, pages};

/// Threads per `thread_list` page.
const PAGE_SIZE: usize = 2;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/assistant/thread_open", post(thread_open))
        .route("/assistant/thread_list", post(thread_list))
        .route("/assistant/thread_delete", post(thread_delete))
        .route("/assistant/{id}/download", get(download))
        .route("/_mock/assistant/seed", post(seed_route))
}

/// Adds a thread with one exchange (none when `prompt` is empty) and returns its id.
pub(crate) fn seed(state: &AppState, title: &str, prompt: &str, md: &str) -> String {
    let mut assistant = state.assistant.lock().unwrap();
    assistant.next_id += 1;
    let n = assistant.next_id;
    let id = format!("thread-seed-{n}");
    let messages = if prompt.is_empty() {
        Vec::new()
    } else {
        vec![Message {
            id: format!("msg-seed-{n}"),
            prompt: prompt.to_string(),
            md: md.to_string(),
            reply: format!("<p>{}</p>", pages::escape(md)),
        }]
    };
    assistant.threads.push(Thread {
        id: id.clone(),
        title: title.to_string(),
        created_at: format!("2026-03-16T06:{:02}:07Z", n % 60),
        saved: n.is_multiple_of(2),
        shared: n.is_multiple_of(3),
        tag_ids: if n.is_multiple_of(2) {
            vec![format!("tag-{n}")]
        } else {
            Vec::new()
        },
        messages,
    });
    id
}

/// `POST /_mock/assistant/seed` `{"threads":[{"title","prompt"?,"md"?}]}` →
/// `{"ids":[...]}` in the order given.
async fn seed_route(State(state): State<AppState>, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "seed body must be JSON").into_response();
    };
    let text = |t: &Value, k: &str| t.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let ids: Vec<String> = body["threads"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            seed(
                &state,
                &text(t, "title"),
                &text(t, "prompt"),
                &text(t, "md"),
            )
        })
        .collect();
    json_ok(json!({ "ids": ids }))
}

fn hi() -> String {
    frame(
        "hi",
        r#"{"v":"202603160619.stage.mock","trace":"trace-threads"}"#,
    )
}

/// The thread a body's `focus.thread_id` names, checking the request shape;
/// else the status and reason of the error page to answer.
fn focused(state: &AppState, body: &[u8]) -> Result<Thread, (StatusCode, &'static str)> {
    let body: Value =
        serde_json::from_slice(body).map_err(|_| (StatusCode::BAD_REQUEST, "body must be JSON"))?;
    if body["focus"]["branch_id"] != BRANCH {
        return Err((
            StatusCode::BAD_REQUEST,
            "focus.branch_id must be the zero branch",
        ));
    }
    let id = body["focus"]["thread_id"].as_str().unwrap_or("");
    let assistant = state.assistant.lock().unwrap();
    assistant
        .threads
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .ok_or((
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong loading this thread.",
        ))
}

async fn thread_open(State(state): State<AppState>, _: SignedIn, body: Bytes) -> Response {
    let thread = match focused(&state, &body) {
        Ok(t) => t,
        Err((status, reason)) => return pages::error_page(status, reason),
    };
    let messages: Vec<Value> = thread
        .messages
        .iter()
        .map(|m| message_json(&thread, m))
        .collect();
    stream(vec![
        hi(),
        frame("tags.json", r#"[{"id":"tag-2","name":"Work"}]"#),
        frame("thread.json", &thread_json(&thread).to_string()),
        frame("messages.json", &Value::from(messages).to_string()),
    ])
}

/// The offset a cursor stands for: `{"id":"cursor-N",…}` or `"cursor-N"`.
fn offset_of(cursor: &Value) -> Option<usize> {
    let id = cursor.get("id").unwrap_or(cursor).as_str()?;
    id.strip_prefix("cursor-")?.parse().ok()
}

fn cursor_at(offset: usize) -> Value {
    if offset == PAGE_SIZE {
        json!({"ack": "2026-02-11T16:22:13Z", "created_at": "2026-02-11T16:22:13Z", "id": format!("cursor-{offset}")})
    } else {
        json!(format!("cursor-{offset}"))
    }
}

fn list_item(t: &Thread) -> String {
    let code = if t.title.contains("no-data-code") {
        String::new()
    } else {
        format!(" data-code=\"{}\"", pages::escape(&t.id))
    };
    let excerpt = t
        .messages
        .first()
        .map(|m| format!("<div class=\"excerpt\">{}</div>", pages::escape(&m.md)))
        .unwrap_or_default();
    format!(
        "<li class=\"thread\"{code} data-saved=\"{}\" data-public=\"{}\" data-tags='{}' data-snippet=\"{}\"><a href=\"/assistant/{}\"><div class=\"title\">{}</div>{excerpt}</a></li>",
        t.saved,
        t.shared,
        serde_json::to_string(&t.tag_ids).unwrap(),
        pages::escape(&format!("Snippet of {}", t.title)),
        pages::escape(&t.id),
        pages::escape(&t.title),
    )
}

async fn thread_list(State(state): State<AppState>, _: SignedIn, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return pages::error_page(StatusCode::BAD_REQUEST, "body must be JSON");
    };
    if body["limit"] != 100 {
        return pages::error_page(StatusCode::BAD_REQUEST, "limit must be 100");
    }
    let offset = match body.get("cursor") {
        None => 0,
        Some(cursor) => match offset_of(cursor) {
            Some(o) => o,
            None => return pages::error_page(StatusCode::BAD_REQUEST, "unknown cursor"),
        },
    };
    let assistant = state.assistant.lock().unwrap();
    let newest_first: Vec<&Thread> = assistant.threads.iter().rev().collect();
    let page: Vec<&Thread> = newest_first
        .iter()
        .skip(offset)
        .take(PAGE_SIZE)
        .copied()
        .collect();
    let end = offset + page.len();
    let has_more = end < newest_first.len();
    let html = format!(
        "<ul class=\"thread-list\">{}</ul>",
        page.iter().map(|t| list_item(t)).collect::<String>()
    );
    let odd_page = (offset / PAGE_SIZE) % 2 == 1;
    let saved = newest_first.iter().filter(|t| t.saved).count();
    let payload = json!({
        "html": if odd_page { json!({ "html": html }) } else { json!(html) },
        "next_cursor": if has_more { cursor_at(end) } else { Value::Null },
        "has_more": has_more,
        "count": page.len(),
        "total_counts": if has_more { json!({"all": newest_first.len(), "saved": saved}) } else { Value::Null },
    });
    stream(vec![
        hi(),
        frame("tags.json", r#"[{"id":"tag-2","name":"Work"}]"#),
        frame("thread_list.html", &payload.to_string()),
    ])
}

async fn thread_delete(State(state): State<AppState>, _: SignedIn, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return pages::error_page(StatusCode::BAD_REQUEST, "body must be JSON");
    };
    let ids: Vec<String> = body["threads"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["id"].as_str().map(str::to_string))
        .collect();
    let mut assistant = state.assistant.lock().unwrap();
    let refuses = assistant
        .threads
        .iter()
        .any(|t| ids.contains(&t.id) && t.title.contains("no-ok-frame"));
    if refuses {
        return stream(vec![hi()]);
    }
    assistant.threads.retain(|t| !ids.contains(&t.id));
    stream(vec![hi(), frame("ok", "null")])
}

/// `%XX` for every byte outside RFC 5987's attr-char set.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn download(State(state): State<AppState>, _: SignedIn, Path(id): Path<String>) -> Response {
    let thread = state
        .assistant
        .lock()
        .unwrap()
        .threads
        .iter()
        .find(|t| t.id == id)
        .cloned();
    let Some(thread) = thread else {
        return pages::error_page(StatusCode::NOT_FOUND, "No such thread.");
    };
    if thread.title.contains("html-export") {
        return pages::html(
            StatusCode::OK,
            pages::frame("Kagi Assistant", "<p>Sign in</p>"),
        );
    }
    let mut markdown = format!("# {}\n", thread.title);
    for m in &thread.messages {
        markdown.push_str(&format!(
            "\n## User\n\n{}\n\n## Assistant\n\n{}\n",
            m.prompt, m.md
        ));
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename*=utf-8''{}.md",
                    percent_encode(&thread.title)
                ),
            ),
        ],
        markdown,
    )
        .into_response()
}
