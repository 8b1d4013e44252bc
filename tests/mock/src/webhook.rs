//! A webhook receiver for `kagi notify` (wire protocol §6.23).

use axum::Router;

use crate::AppState;

/// What this module remembers between requests.
#[derive(Debug, Default)]
pub(crate) struct State {}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
