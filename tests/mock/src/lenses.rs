//! Lens settings pages (wire protocol §6.20), kept per server.

use axum::Router;

use crate::AppState;

/// What this module remembers between requests.
#[derive(Debug, Default)]
pub(crate) struct State {}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
