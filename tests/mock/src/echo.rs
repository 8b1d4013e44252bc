//! A test-only route that hands credentials back in response headers, as a
//! hostile or careless server could: `Set-Cookie` with the session token and
//! an echo of the request's `Authorization`. A client must never let a plugin
//! see these headers; `kagi`'s tests use this route to prove it.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/_test/echo-credentials", get(echo))
}

async fn echo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let mut out = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "kagi_session={}; Path=/; HttpOnly",
        state.session_token
    )) {
        out.insert(header::SET_COOKIE, v);
    }
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        out.insert(header::AUTHORIZATION, auth.clone());
    }
    out.insert("x-mock-echo", HeaderValue::from_static("credentials"));
    (out, crate::json_headers(), r#"{"ok":true}"#).into_response()
}
