//! The Assistant prompt route (wire protocol §6.13), `POST /assistant/prompt`,
//! and the threads it makes (the thread routes are in `assistant_threads`).
//!
//! A prompt arrives as JSON, or as multipart with a `state` JSON part and one
//! `file` part per attachment (each named in the reply). The answer is a paced
//! stream: `hi`, `thread.json`, three `tokens.json` frames of the growing
//! reply HTML [`PACE`] apart, then `new_message.json`. Prompt keywords choose
//! failures: `state-error`, `limit-notice`, `unauthorized-frame`,
//! `cut-stream` (no `new_message.json`), `no-thread-frame`,
//! `malformed-frame`, `html-page` (a web page at 200), `server-error` (a
//! 502 page); `slow-stream` paces frames [`SLOW_PACE`] apart;
//! `hold-after-first-token` sends the first `tokens.json` frame and keeps the
//! rest back until [`crate::MockServer::release_assistant`].
//! Every frame sent is timed ([`crate::MockServer::assistant_frames`]).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::kagi_stream::{self, SignedIn, Step};
use crate::{AppState, json_ok, pages};

/// Time between the frames of an answer.
const PACE: Duration = Duration::from_millis(50);
/// Time between the frames with `slow-stream`.
const SLOW_PACE: Duration = Duration::from_millis(400);
/// Kagi's branch id for a thread's main line.
pub(crate) const BRANCH: &str = "00000000-0000-4000-0000-000000000000";

/// What this module remembers between requests: every thread a prompt made
/// (or a test seeded), in creation order.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) threads: Vec<Thread>,
    /// Counter for new thread and message ids.
    pub(crate) next_id: u64,
    /// Lets a `hold-after-first-token` answer go on.
    pub(crate) release: Arc<tokio::sync::Notify>,
    /// Every answer frame sent: its tag and when (microseconds since the Unix epoch).
    pub(crate) frames_sent: Vec<(String, u128)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Thread {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) created_at: String,
    pub(crate) saved: bool,
    pub(crate) shared: bool,
    pub(crate) tag_ids: Vec<String>,
    pub(crate) messages: Vec<Message>,
}

#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub(crate) id: String,
    pub(crate) prompt: String,
    /// The answer as markdown; `reply` is its HTML.
    pub(crate) md: String,
    pub(crate) reply: String,
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/assistant/prompt", post(prompt))
        .route("/_mock/assistant/frames", get(frames_sent))
}

/// One part of a multipart/form-data body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// The parts of a multipart/form-data `body` whose Content-Type header is
/// `content_type`; none when it is not multipart or has no boundary.
pub fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<FormPart> {
    let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| {
            rest.split(';')
                .find_map(|p| p.trim().strip_prefix("boundary="))
        })
    else {
        return Vec::new();
    };
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in split(body, delimiter.as_bytes()).into_iter().skip(1) {
        if chunk.starts_with(b"--") {
            break;
        }
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        let Some(split_at) = chunk.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&chunk[..split_at]);
        let mut part = FormPart {
            name: String::new(),
            filename: None,
            content_type: None,
            data: chunk[split_at + 4..].to_vec(),
        };
        for line in head.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for item in value.split(';').map(str::trim) {
                        if let Some(v) = item.strip_prefix("name=") {
                            part.name = v.trim_matches('"').to_string();
                        } else if let Some(v) = item.strip_prefix("filename=") {
                            part.filename = Some(v.trim_matches('"').to_string());
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_string()),
                _ => {}
            }
        }
        parts.push(part);
    }
    parts
}

fn split<'a>(body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.windows(delimiter.len()).position(|w| w == delimiter) {
        pieces.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    pieces.push(rest);
    pieces
}

/// What the client sent: the `state` object and the attachments.
fn read_prompt(headers: &HeaderMap, body: &[u8]) -> Result<(Value, Vec<FormPart>), String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") {
        let state = serde_json::from_slice(body).map_err(|e| format!("bad JSON body: {e}"))?;
        return Ok((state, Vec::new()));
    }
    let parts = multipart_parts(content_type, body);
    if parts.is_empty() {
        return Err(format!("unexpected content-type {content_type:?}"));
    }
    let state = parts
        .iter()
        .find(|p| p.name == "state" && p.content_type.as_deref() == Some("application/json"))
        .ok_or("the multipart body has no application/json `state` part")?;
    let state = serde_json::from_slice(&state.data).map_err(|e| format!("bad state part: {e}"))?;
    let files = parts.into_iter().filter(|p| p.name == "file").collect();
    Ok((state, files))
}

fn now_micros() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros()
}

async fn prompt(
    Extract(state): Extract<AppState>,
    _: SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (prompt_state, files) = match read_prompt(&headers, &body) {
        Ok(read) => read,
        Err(e) => return pages::error_page(StatusCode::BAD_REQUEST, &e),
    };
    let text = prompt_state["focus"]["prompt"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let has = |keyword: &str| text.contains(keyword);
    if has("html-page") {
        return pages::html(
            StatusCode::OK,
            pages::frame("Kagi Assistant", "<p>Sign in to continue</p>"),
        );
    }
    if has("server-error") {
        return pages::error_page(StatusCode::BAD_GATEWAY, "The assistant is overloaded");
    }

    let mut answer = format!(
        "<p>Hello from the <strong>mock</strong> assistant.</p><p>You asked: {}</p>",
        pages::escape(&text)
    );
    let mut md = format!("Hello from the **mock** assistant.\n\nYou asked: {text}");
    if !files.is_empty() {
        let named: Vec<String> = files
            .iter()
            .map(|f| {
                format!(
                    "{} ({}, {} bytes)",
                    f.filename.as_deref().unwrap_or("?"),
                    f.content_type.as_deref().unwrap_or("?"),
                    f.data.len()
                )
            })
            .collect();
        answer.push_str(&format!(
            "<p>Attachments: {}</p>",
            pages::escape(&named.join(", "))
        ));
        md.push_str(&format!("\n\nAttachments: {}", named.join(", ")));
    }

    let (thread, message) = {
        let mut assistant = state.assistant.lock().unwrap();
        assistant.next_id += 1;
        let n = assistant.next_id;
        let message = Message {
            id: format!("msg-{n}"),
            prompt: text.clone(),
            md: md.clone(),
            reply: answer.clone(),
        };
        let thread = match prompt_state["focus"]["thread_id"].as_str() {
            Some(id) => match assistant.threads.iter_mut().find(|t| t.id == id) {
                Some(t) => {
                    t.messages.push(message.clone());
                    t.clone()
                }
                None => {
                    return pages::error_page(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Thread not found",
                    );
                }
            },
            None => {
                let t = Thread {
                    id: format!("thread-{n}"),
                    title: text.chars().take(40).collect(),
                    created_at: format!("2026-03-16T06:{:02}:07Z", n % 60),
                    saved: false,
                    shared: false,
                    tag_ids: Vec::new(),
                    messages: vec![message.clone()],
                };
                assistant.threads.push(t.clone());
                t
            }
        };
        (thread, message)
    };

    let pace = if has("slow-stream") { SLOW_PACE } else { PACE };
    let mut steps = vec![Step::new(
        "hi",
        r#"{"v":"202603160619.stage.mock","trace":"trace-prompt"}"#,
    )];
    if !has("no-thread-frame") {
        steps.push(Step::new("thread.json", thread_json(&thread).to_string()));
    }
    // The reply grows: its first words, its first paragraph, all of it.
    let first_paragraph = answer.find("</p>").map_or(answer.len(), |i| i + 4);
    for end in [
        answer.find(" the").unwrap_or(first_paragraph),
        first_paragraph,
        answer.len(),
    ] {
        let tokens = json!({ "text": &answer[..end] }).to_string();
        steps.push(Step::new("tokens.json", tokens).after(pace));
    }
    let last = if has("limit-notice") {
        Some(Step::new("limit_notice.html", "<p>Daily limit reached</p>"))
    } else if has("unauthorized-frame") {
        Some(Step::new("unauthorized", ""))
    } else if has("cut-stream") {
        None
    } else if has("malformed-frame") {
        Some(Step::new(
            "new_message.json",
            r#"{"id":"msg-broken","thread_id":"#,
        ))
    } else if has("state-error") {
        let mut m = answer_json(&thread, &message);
        m["state"] = json!("error");
        m["md"] = json!("The assistant could not answer this prompt.");
        Some(Step::new("new_message.json", m.to_string()))
    } else {
        let m = answer_json(&thread, &message);
        Some(Step::new("new_message.json", m.to_string()))
    };
    steps.extend(last.map(|s| s.after(pace)));
    if has("hold-after-first-token")
        && let Some(first) = steps.iter().position(|s| s.tag == "tokens.json")
        && let Some(next) = steps.get_mut(first + 1)
    {
        next.held = true;
    }
    let release = state.assistant.lock().unwrap().release.clone();
    // Every frame is timed as it leaves.
    kagi_stream::paced(steps, release, move |tag| {
        let sent = (tag.to_string(), now_micros());
        state.assistant.lock().unwrap().frames_sent.push(sent);
    })
}

/// `GET /_mock/assistant/frames`: `[{"tag","sent_us"}]`, every answer frame
/// sent so far (for the benchmark, which runs the mock as its own process).
async fn frames_sent(Extract(state): Extract<AppState>) -> Response {
    let sent: Vec<Value> = state
        .assistant
        .lock()
        .unwrap()
        .frames_sent
        .iter()
        .map(|(tag, at)| json!({"tag": tag, "sent_us": at.to_string()}))
        .collect();
    json_ok(Value::Array(sent))
}

/// A thread as the stream carries it.
pub(crate) fn thread_json(t: &Thread) -> Value {
    json!({
        "id": t.id,
        "title": t.title,
        "ack": t.created_at,
        "created_at": t.created_at,
        "expires_at": "2026-04-16T06:19:07Z",
        "saved": t.saved,
        "shared": t.shared,
        "branch_id": BRANCH,
        "tag_ids": t.tag_ids,
    })
}

/// A message as the thread routes carry it.
pub(crate) fn message_json(thread: &Thread, m: &Message) -> Value {
    json!({
        "id": m.id,
        "thread_id": thread.id,
        "created_at": thread.created_at,
        "branch_list": [BRANCH],
        "state": "done",
        "prompt": m.prompt,
        "reply": m.reply,
        "md": m.md,
        "documents": [],
    })
}

/// A message as a prompt's answer carries it: with its references, metadata,
/// profile and trace.
fn answer_json(thread: &Thread, m: &Message) -> Value {
    let mut value = message_json(thread, m);
    let extra = json!({
        "references_html": "<ol><li><a href=\"https://mock.example/source\">Mock source</a></li></ol>",
        "references_md": "1. [Mock source](https://mock.example/source)",
        "metadata": "<li>mock model</li>",
        "profile": {"model": "mock-model"},
        "trace_id": "trace-message-mock",
    });
    if let (Some(value), Value::Object(extra)) = (value.as_object_mut(), extra) {
        value.extend(extra);
    }
    value
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn multipart_parts_are_read_with_names_files_and_types() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"state\"\r\nContent-Type: application/json\r\n\r\n{}\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nline\r\n\r\n--B--\r\n";
        let parts = multipart_parts("multipart/form-data; boundary=B", body);
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].data.as_slice()),
            ("state", &b"{}"[..])
        );
        assert_eq!(parts[1].filename.as_deref(), Some("a.txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[1].data, b"line\r\n");
    }
}
