//! Kagi Translate's session (the translate host, wire-protocol §6.12): the
//! bootstrap `GET /` mints a `translate_session` cookie for a valid session,
//! and `POST /api/echo` (a test route) checks the cookie and the body's
//! `session_token` the way every translate `/api/*` route does, then answers
//! with the body it received. A value the mock minted coming back in that
//! echo is what a client must keep from the code that asked.
//!
//! Faults for the bootstrap (see `faults.rs`): `no-translate-cookie` answers
//! 200 without the cookie; `bootstrap-fail=N` answers 503 to the first N
//! bootstrap requests through that spec, then mints.

use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::faults::Faults;
use crate::{AppState, api_error, pages};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(bootstrap))
        .route("/api/echo", post(echo))
}

async fn bootstrap(
    State(state): State<AppState>,
    Extension(faults): Extension<Faults>,
    headers: HeaderMap,
) -> Response {
    if !state.has_session(&headers) {
        return pages::error_page(StatusCode::UNAUTHORIZED, "Invalid session");
    }
    if faults.bootstrap_fail > 0 {
        let failed = state.bootstrap_failures.fetch_add(1, Ordering::SeqCst);
        if failed < faults.bootstrap_fail {
            return pages::error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Translate is warming up. Please try again.",
            );
        }
    }
    let page =
        "<!DOCTYPE html><html><head><title>Kagi Translate</title></head><body></body></html>";
    let language = (
        header::SET_COOKIE,
        "translate_language=en; Path=/".to_string(),
    );
    if faults.no_translate_cookie {
        return ([language], axum::response::Html(page)).into_response();
    }
    let value = state.mint_translate_session();
    let session = (
        header::SET_COOKIE,
        format!("translate_session={value}; Path=/; HttpOnly; Secure; SameSite=Lax"),
    );
    ([language, session], axum::response::Html(page)).into_response()
}

async fn echo(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if !state.has_session(&headers) {
        return api_error(StatusCode::UNAUTHORIZED, "Invalid session");
    }
    let Some(cookie) = cookie(&headers, "translate_session") else {
        return api_error(StatusCode::UNAUTHORIZED, "No translate_session cookie");
    };
    if !state.translate_sessions().contains(&cookie) {
        return api_error(StatusCode::UNAUTHORIZED, "Unknown translate_session cookie");
    }
    let json: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(json) => json,
        Err(e) => return api_error(StatusCode::BAD_REQUEST, &format!("Invalid JSON: {e}")),
    };
    if json["session_token"].as_str() != Some(cookie.as_str()) {
        return api_error(
            StatusCode::BAD_REQUEST,
            "session_token in the body does not match the translate_session cookie",
        );
    }
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}
