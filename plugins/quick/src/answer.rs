//! Quick Answer, `POST {main}/mother/context?q=&l=` (wire protocol §6.5,
//! Quick family): a Kagi stream of `hi`, growing `tokens.json` frames (the
//! answer's HTML so far) and a final `new_message.json`.

use crate::references::{self, Reference};
use kagi_plugin_sdk::answer_view::AnswerView;
use kagi_plugin_sdk::http::{Family, Request, Service, TimeoutClass};
use kagi_plugin_sdk::stream::{self, Frame};
use kagi_plugin_sdk::summarizer::SummaryMeta;
use kagi_plugin_sdk::{Credential, Error};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const SURFACE: &str = "Quick Answer";
const LIMIT_NOTICE: &str = "Kagi Quick Answer is currently unavailable: ";

/// `{"meta","query","lens"?,"message","references","followup_questions"}`
/// (cli-surface §5.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quick {
    pub meta: SummaryMeta,
    pub query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lens: Option<String>,
    pub message: Message,
    pub references: References,
    pub followup_questions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub thread_id: String,
    pub created_at: String,
    pub state: String,
    pub prompt: String,
    pub html: String,
    pub markdown: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct References {
    pub markdown: String,
    pub items: Vec<Reference>,
}

/// The final message as Kagi sends it: the first five fields required.
#[derive(Deserialize)]
struct Wire {
    id: String,
    thread_id: String,
    created_at: String,
    state: String,
    prompt: String,
    #[serde(default)]
    reply: Option<String>,
    #[serde(default)]
    md: Option<String>,
    #[serde(default)]
    references_md: Option<String>,
    #[serde(default)]
    followup_questions: Option<Vec<String>>,
}

/// The request: `q` (trimmed query) and `l` (lens index) when given, an
/// empty body.
pub fn request(query: &str, lens: Option<u32>) -> Request {
    Request::post(Service::Kagi, "/mother/context")
        .query("q", query)
        .query_opt("l", lens.map(|l| l.to_string()))
        .header("accept", "application/vnd.kagi.stream")
        .header("cache-control", "no-store")
        .body(Vec::new())
        .credential(Credential::Session)
        .timeout(TimeoutClass::Streaming)
}

/// Sends `request` and reads its stream, showing it through `view` as it
/// grows (on an error, what was shown stays). `query` and `lens` are echoed
/// in the result.
pub fn fetch(
    request: &Request,
    query: &str,
    lens: Option<&str>,
    view: &mut AnswerView,
) -> Result<Quick, Error> {
    let result = read(request, view).and_then(|(meta, tokens, message)| {
        let message = message.ok_or_else(|| {
            Error::parse(format!(
                "{SURFACE} response did not include a new_message.json frame"
            ))
        })?;
        stream::message_failed(&message)?;
        let wire: Wire = serde_json::from_value(message)
            .map_err(|e| Error::parse(format!("failed to parse {SURFACE} message: {e}")))?;
        Ok(assemble(meta, query, lens, wire, tokens))
    });
    if result.is_err() {
        view.abandon();
    }
    result
}

/// The frames: the `hi` meta, the last `tokens.json` HTML, the last message.
fn read(
    request: &Request,
    view: &mut AnswerView,
) -> Result<(SummaryMeta, String, Option<Value>), Error> {
    let mut frames =
        stream::open(request, Family::Session, SURFACE)?.limit_notice_prefix(LIMIT_NOTICE);
    let mut meta = SummaryMeta::default();
    let mut tokens = String::new();
    let mut message = None;
    while let Some(Frame { tag, payload }) = frames.next()? {
        match tag.as_str() {
            "hi" => meta = SummaryMeta::from_hi(&payload).unwrap_or(meta),
            "tokens.json" => {
                let text = serde_json::from_str::<Value>(&payload)
                    .ok()
                    .and_then(|v| v.get("text")?.as_str().map(str::to_string))
                    .ok_or_else(|| {
                        Error::parse(format!("failed to parse {SURFACE} tokens.json frame"))
                    })?;
                view.tokens(&text);
                tokens = text;
            }
            "new_message.json" => {
                message = Some(serde_json::from_str::<Value>(&payload).map_err(|e| {
                    Error::parse(format!("failed to parse {SURFACE} message: {e}"))
                })?);
            }
            _ => {}
        }
    }
    Ok((meta, tokens, message))
}

fn assemble(
    meta: SummaryMeta,
    query: &str,
    lens: Option<&str>,
    wire: Wire,
    tokens: String,
) -> Quick {
    let html = wire.reply.filter(|r| !r.is_empty()).unwrap_or(tokens);
    let references_md = wire.references_md.unwrap_or_default();
    Quick {
        meta,
        query: query.to_string(),
        lens: lens.map(str::to_string),
        message: Message {
            id: wire.id,
            thread_id: wire.thread_id,
            created_at: wire.created_at,
            state: wire.state,
            prompt: wire.prompt,
            html,
            markdown: wire.md.unwrap_or_default(),
        },
        references: References {
            items: references::parse(&references_md),
            markdown: references_md,
        },
        followup_questions: wire.followup_questions.unwrap_or_default(),
    }
}
