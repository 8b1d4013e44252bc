//! Quick Answer, `POST /mother/context` (wire protocol §6.5).

use axum::Router;

use crate::AppState;

/// What this module remembers between requests.
#[derive(Debug, Default)]
pub(crate) struct State {}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
