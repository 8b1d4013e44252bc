//! Kagi Assistant's thread and message objects: as the stream carries them
//! (wire protocol §6.13) and as commands print them (cli-surface §5.2).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"version"?,"trace"?}`, from the stream's `hi` frame (the same meta as
/// every Kagi stream's).
pub use kagi_plugin_sdk::summarizer::SummaryMeta as Meta;

/// A thread: the same fields on the wire and in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub id: String,
    pub title: String,
    pub ack: String,
    pub created_at: String,
    #[serde(default)]
    pub expires_at: Option<String>,
    pub saved: bool,
    pub shared: bool,
    pub branch_id: String,
    #[serde(default)]
    pub tag_ids: Vec<Value>,
}

/// A message as the stream carries it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WireMessage {
    pub id: String,
    pub thread_id: String,
    pub created_at: String,
    pub state: String,
    pub prompt: String,
    #[serde(default)]
    pub branch_list: Vec<Value>,
    #[serde(default)]
    pub reply: Option<String>,
    #[serde(default)]
    pub md: Option<String>,
    #[serde(default)]
    pub references_html: Option<String>,
    #[serde(default)]
    pub references_md: Option<String>,
    #[serde(default)]
    pub metadata: Option<String>,
    #[serde(default)]
    pub documents: Vec<Value>,
    #[serde(default)]
    pub profile: Option<Value>,
    #[serde(default)]
    pub trace_id: Option<String>,
}

/// A message as commands print it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub id: String,
    pub thread_id: String,
    pub created_at: String,
    pub branch_list: Vec<Value>,
    pub state: String,
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references_markdown: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_html: Option<String>,
    pub documents: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

impl From<WireMessage> for Message {
    fn from(m: WireMessage) -> Self {
        Message {
            id: m.id,
            thread_id: m.thread_id,
            created_at: m.created_at,
            branch_list: m.branch_list,
            state: m.state,
            prompt: m.prompt,
            reply_html: m.reply,
            markdown: m.md,
            references_html: m.references_html,
            references_markdown: m.references_md,
            metadata_html: m.metadata,
            documents: m.documents,
            profile: m.profile,
            trace_id: m.trace_id,
        }
    }
}

impl Message {
    /// The reply as a reader sees it: the markdown, else the HTML; trimmed.
    pub fn reply_text(&self) -> &str {
        let md = self.markdown.as_deref().unwrap_or("").trim();
        if md.is_empty() {
            self.reply_html.as_deref().unwrap_or("").trim()
        } else {
            md
        }
    }

    /// The references as markdown, when there are any.
    pub fn references(&self) -> Option<&str> {
        self.references_markdown
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_output_names_and_absent_options_are_omitted() {
        let wire: WireMessage = serde_json::from_str(
            r#"{"id":"m","thread_id":"t","created_at":"c","state":"done","prompt":"p","reply":"<p>Hi</p>","md":"Hi","references_md":"1. x","metadata":"<li>m</li>","reply_html":"ignored"}"#,
        )
        .unwrap();
        let out = serde_json::to_string(&Message::from(wire)).unwrap();
        assert_eq!(
            out,
            r#"{"id":"m","thread_id":"t","created_at":"c","branch_list":[],"state":"done","prompt":"p","reply_html":"<p>Hi</p>","markdown":"Hi","references_markdown":"1. x","metadata_html":"<li>m</li>","documents":[]}"#
        );
    }
}
