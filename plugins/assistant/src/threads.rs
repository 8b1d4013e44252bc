//! `kagi assistant thread list|get|delete|export` (cli-surface §1.7, wire
//! protocol §6.15–§6.18): Kagi streams for opening, listing and deleting a
//! thread, and the markdown download for exporting one.

mod list;

use crate::model::{Message, Meta, Thread, WireMessage};
use kagi_plugin_sdk::http::{Family, Request, Service, TimeoutClass, check_status, path_segment};
use kagi_plugin_sdk::stream::{self, Frame};
use kagi_plugin_sdk::{Credential, Error, ErrorClass, FromInvocation, Invocation, Output, out};
use serde::Serialize;
use serde_json::{Value, json};

pub use list::run as list;

const OPEN_SURFACE: &str = "assistant thread";
const DELETE_SURFACE: &str = "assistant thread delete";
const EXPORT_SURFACE: &str = "assistant thread export";
/// Kagi's branch id for a thread's main line.
const MAIN_BRANCH: &str = "00000000-0000-4000-0000-000000000000";

/// The `THREAD_ID` of `get`, `delete` and `export`.
pub struct ThreadId(String);

impl FromInvocation for ThreadId {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let id = inv.get::<String>("thread-id")?.trim().to_string();
        if id.is_empty() {
            return Err(Error::config("assistant thread id cannot be empty"));
        }
        Ok(ThreadId(id))
    }
}

/// `thread export`'s arguments.
pub struct ExportArgs {
    id: ThreadId,
    json: bool,
}

impl FromInvocation for ExportArgs {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(ExportArgs {
            id: ThreadId::from_invocation(inv)?,
            json: inv.get::<String>("format")? == "json",
        })
    }
}

/// A thread with its messages: `{"meta","tags","thread","messages"}`.
#[derive(Debug, Serialize)]
pub struct Opened {
    pub meta: Meta,
    pub tags: Value,
    pub thread: Thread,
    pub messages: Vec<Message>,
}

/// A request to one of the thread stream endpoints.
fn stream_request(path: &str, body: &Value) -> Result<Request, Error> {
    Ok(Request::post(Service::Kagi, path)
        .header("accept", "application/vnd.kagi.stream")
        .json(body)?
        .credential(Credential::Session)
        .timeout(TimeoutClass::Standard))
}

/// A server error on a thread surface most likely means the id: say so
/// instead of echoing Kagi's error page.
fn blame_the_id(surface: &str) -> impl Fn(Error) -> Error {
    let prefix = format!("Kagi {surface} server error: HTTP ");
    move |e| match e.message.split_once("; ") {
        Some((status, _)) if e.class == ErrorClass::Network && status.starts_with(&prefix) => {
            Error::network(format!(
                "{status}; the thread id may be invalid or no longer available"
            ))
        }
        None if e.class == ErrorClass::Network && e.message.starts_with(&prefix) => {
            Error::network(format!(
                "{}; the thread id may be invalid or no longer available",
                e.message
            ))
        }
        _ => e,
    }
}

fn frame_json<T: serde::de::DeserializeOwned>(surface: &str, frame: &Frame) -> Result<T, Error> {
    serde_json::from_str(&frame.payload).map_err(|e| {
        Error::parse(format!(
            "failed to parse {surface} {} frame: {e}",
            frame.tag
        ))
    })
}

fn missing(surface: &str, tag: &str) -> Error {
    let article = if tag.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    Error::parse(format!(
        "{surface} response did not include {article} {tag} frame"
    ))
}

/// `POST /assistant/thread_open`: the thread and its messages.
pub fn open(id: &str) -> Result<Opened, Error> {
    let body = json!({"focus": {"branch_id": MAIN_BRANCH, "thread_id": id}});
    let request = stream_request("/assistant/thread_open", &body)?;
    let blame = blame_the_id(OPEN_SURFACE);
    let mut frames = stream::open(&request, Family::Session, OPEN_SURFACE).map_err(&blame)?;
    let (mut meta, mut tags, mut thread, mut messages) = (Meta::default(), json!([]), None, None);
    while let Some(frame) = frames.next().map_err(&blame)? {
        match frame.tag.as_str() {
            "hi" => meta = Meta::from_hi(&frame.payload).unwrap_or(meta),
            "tags.json" => tags = frame_json(OPEN_SURFACE, &frame)?,
            "thread.json" => thread = Some(frame_json::<Thread>(OPEN_SURFACE, &frame)?),
            "messages.json" => {
                messages = Some(frame_json::<Vec<WireMessage>>(OPEN_SURFACE, &frame)?)
            }
            _ => {}
        }
    }
    Ok(Opened {
        meta,
        tags,
        thread: thread.ok_or_else(|| missing(OPEN_SURFACE, "thread.json"))?,
        messages: messages
            .ok_or_else(|| missing(OPEN_SURFACE, "messages.json"))?
            .into_iter()
            .map(Message::from)
            .collect(),
    })
}

pub fn get(id: ThreadId) -> Result<(), Error> {
    Output::json().print(&open(&id.0)?, None)
}

/// Opens the thread (Kagi's delete wants its metadata), then deletes it.
pub fn delete(id: ThreadId) -> Result<(), Error> {
    let thread = open(&id.0)?.thread;
    let body = json!({"threads": [{
        "id": thread.id,
        "saved": thread.saved,
        "shared": thread.shared,
        "tag_ids": thread.tag_ids,
        "title": thread.title,
    }]});
    let request = stream_request("/assistant/thread_delete", &body)?;
    let blame = blame_the_id(DELETE_SURFACE);
    let mut frames = stream::open(&request, Family::Session, DELETE_SURFACE).map_err(&blame)?;
    let mut ok = false;
    while let Some(frame) = frames.next().map_err(&blame)? {
        if frame.tag == "ok" {
            // Only `ok:null` confirms; another JSON value is not a confirmation.
            ok |= frame_json::<Value>(DELETE_SURFACE, &frame)?.is_null();
        }
    }
    if !ok {
        return Err(missing(DELETE_SURFACE, "ok"));
    }
    Output::json().print(&json!({"deleted_thread_ids": [thread.id]}), None)
}

/// Markdown from the download endpoint, or the `get` object as JSON.
pub fn export(args: ExportArgs) -> Result<(), Error> {
    if args.json {
        return get(args.id);
    }
    let path = format!("/assistant/{}/download", path_segment(&args.id.0));
    let mut response = Request::get(Service::Kagi, &path)
        .credential(Credential::Session)
        .timeout(TimeoutClass::Standard)
        .send()?;
    let status = response.status();
    let body = response.bytes()?;
    check_status(Family::Session, EXPORT_SURFACE, status, &body)?;
    let markdown = String::from_utf8_lossy(&body);
    out::print(&format!("{}\n", markdown.trim_end_matches('\n')));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_error_on_a_thread_surface_blames_the_id_not_the_page() {
        let blame = blame_the_id(OPEN_SURFACE);
        let e = blame(Error::network(
            "Kagi assistant thread server error: HTTP 500 Internal Server Error; Internal Server Error Oops",
        ));
        assert_eq!(
            e.message,
            "Kagi assistant thread server error: HTTP 500 Internal Server Error; the thread id may be invalid or no longer available"
        );
        let other = Error::network("request to http://x failed: reset");
        assert_eq!(blame(other.clone()), other);
    }
}
