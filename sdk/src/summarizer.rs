//! The subscriber summarizer's answer (`GET /mother/summary_labs`, wire
//! protocol §6.7) in the shape kagi prints it (cli-surface §5.2): `meta` from
//! the stream's `hi` frame, `data` from its final `new_message.json`. One
//! definition for every plugin that calls the summarizer (`summarize
//! --subscriber`, `search --follow`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"meta":{"version"?,"trace"?},"data":{...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub meta: SummaryMeta,
    pub data: SummaryData,
}

/// What the stream's `hi` frame says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryMeta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
}

impl SummaryMeta {
    /// From the payload of a `hi` frame; none when it is not JSON.
    pub fn from_hi(payload: &str) -> Option<SummaryMeta> {
        let v = serde_json::from_str::<Value>(payload).ok()?;
        let field = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_string);
        Some(SummaryMeta {
            version: field("v"),
            trace: field("trace"),
        })
    }
}

/// The final message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryData {
    pub id: String,
    pub thread_id: String,
    pub created_at: String,
    pub state: String,
    pub prompt: String,
    pub output: String,
    pub markdown: String,
    pub metadata_html: String,
    pub documents: Vec<Value>,
}
