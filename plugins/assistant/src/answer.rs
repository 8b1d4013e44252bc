//! One Assistant prompt sent and its stream read (wire protocol §6.13):
//! `hi`, `thread.json`, `tokens.json` frames as the answer grows, then
//! `new_message.json`. What is shown while it streams depends on the view.

use crate::model::{Message, Meta, Thread, WireMessage};
use kagi_plugin_sdk::answer_view::AnswerView;
use kagi_plugin_sdk::files::NamedFile;
use kagi_plugin_sdk::http::{Family, Request, Service, TimeoutClass, decode_json};
use kagi_plugin_sdk::multipart::Part;
use kagi_plugin_sdk::stream::{self, Frame};
use kagi_plugin_sdk::{Credential, Error};
use serde::Serialize;
use serde_json::{Map, Value, json};

pub const SURFACE: &str = "assistant prompt";

/// Kagi's branch id for a thread's main line: always this.
const MAIN_BRANCH: &str = "00000000-0000-4000-0000-000000000000";

/// What one prompt asks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prompt {
    pub text: String,
    pub thread_id: Option<String>,
    /// Only the options given (`id`, `internet_access`, `lens_id`, `model`, `personalizations`).
    pub profile: Map<String, Value>,
    pub attachments: Vec<NamedFile>,
}

impl Prompt {
    /// The `state` object: `focus` and `profile`, keys sorted as Kagi's web app sends them.
    pub fn state(&self) -> Value {
        json!({
            "focus": {
                "branch_id": MAIN_BRANCH,
                "message_id": null,
                "prompt": self.text,
                "thread_id": self.thread_id,
            },
            "profile": self.profile,
        })
    }

    /// JSON without attachments; with them, a multipart body of the `state`
    /// part and one `file` part per attachment.
    pub fn request(&self) -> Result<Request, Error> {
        let request = Request::post(Service::Kagi, "/assistant/prompt")
            .header("accept", "application/vnd.kagi.stream")
            .credential(Credential::Session)
            .timeout(TimeoutClass::Streaming);
        if self.attachments.is_empty() {
            return request.json(&self.state());
        }
        let state = serde_json::to_vec(&self.state())?;
        let mut parts = vec![Part::typed("state", "application/json", state)];
        parts.extend(self.attachments.iter().map(|f| Part::file("file", f)));
        Ok(request.multipart(parts))
    }
}

/// The answer: `{meta, thread, message}` (cli-surface §5.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub meta: Meta,
    pub thread: Thread,
    pub message: Message,
}

/// Sends `prompt` and reads its stream, showing it through `view` as it
/// arrives. On an error, what was shown stays and its line is ended.
pub fn ask(prompt: &Prompt, view: &mut AnswerView) -> Result<Answer, Error> {
    let result = read(prompt, view);
    if result.is_err() {
        view.abandon();
    }
    result
}

fn read(prompt: &Prompt, view: &mut AnswerView) -> Result<Answer, Error> {
    let mut frames = stream::open(&prompt.request()?, Family::Session, SURFACE)?;
    let mut meta = Meta::default();
    let mut thread = None;
    let mut message = None;
    while let Some(Frame { tag, payload }) = frames.next()? {
        match tag.as_str() {
            "hi" => meta = Meta::from_hi(&payload).unwrap_or_default(),
            "thread.json" => {
                let t: Thread = decode_frame(&tag, &payload)?;
                crate::view::thread(view, &t);
                thread = Some(t);
            }
            "tokens.json" => {
                let tokens: Value = decode_frame(&tag, &payload)?;
                if let Some(text) = tokens.get("text").and_then(Value::as_str) {
                    view.tokens(text);
                }
            }
            "new_message.json" => {
                let value: Value = decode_frame(&tag, &payload)?;
                stream::message_failed(&value)?;
                let m: WireMessage = decode_frame(&tag, &payload)?;
                message = Some(Message::from(m));
            }
            _ => {}
        }
    }
    let missing = |frame: &str| {
        Error::parse(format!(
            "{SURFACE} response did not include a {frame} frame"
        ))
    };
    Ok(Answer {
        meta,
        thread: thread.ok_or_else(|| missing("thread.json"))?,
        message: message.ok_or_else(|| missing("new_message.json"))?,
    })
}

fn decode_frame<T: serde::de::DeserializeOwned>(tag: &str, payload: &str) -> Result<T, Error> {
    decode_json(payload.as_bytes(), &format!("{SURFACE} {tag}"))
}
