//! The Assistant stream routes (wire protocol §6.13–§6.18): prompt, thread_open, thread_list,
//! thread_delete and the markdown download, with threads kept per server.

use axum::Router;

use crate::AppState;

/// What this module remembers between requests: every thread a prompt made
/// (or a test seeded), in creation order.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) threads: Vec<Thread>,
    /// Counter for new thread and message ids.
    pub(crate) next_id: u64,
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
}
