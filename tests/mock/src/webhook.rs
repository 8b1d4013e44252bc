//! A webhook receiver for `kagi notify`: `POST /_webhook/{status}` answers
//! with that status (200 to accept, 500 to refuse, ...). The request log keeps
//! every body and header that arrived, which is what the tests check.

use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/_webhook/{status}", post(receive))
}

async fn receive(Path(status): Path<u16>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, crate::json_headers(), r#"{"received":true}"#).into_response()
}
