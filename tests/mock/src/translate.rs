//! Kagi Translate's session (the translate host, wire-protocol §6.12): the
//! bootstrap `GET /` mints a `translate_session` cookie for a valid session,
//! and `POST /api/echo` (a test route) checks the cookie and the body's
//! `session_token` the way every translate `/api/*` route does, then answers
//! with the body it received. A value the mock minted coming back in that
//! echo is what a client must keep from the code that asked.
//!
//! The real routes (`/api/detect`, `/api/translate` and the four auxiliary
//! calls) check the same, except that detect's body carries no
//! `session_token`, and answer as in §6.12: detect always finds French, and
//! the translation names its languages and text, so tests see what was sent.
//!
//! Faults (see `faults.rs`): `no-translate-cookie` answers the bootstrap 200
//! without the cookie; `bootstrap-fail=N` answers 503 to the first N
//! bootstrap requests through that spec, then mints; `translate-fail=ROUTE`
//! answers 503 to `/api/ROUTE` alone (e.g. `translate-fail=word-insights`),
//! `ROUTE:STATUS` another status, `ROUTE:html` a signed-out page.

use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::faults::Faults;
use crate::{AppState, api_error, json_ok, pages};
use serde_json::{Value, json};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(bootstrap))
        .route("/api/echo", post(echo))
        .route("/api/detect", post(detect))
        .route("/api/translate", post(translate))
        .route("/api/alternative-translations", post(alternatives))
        .route("/api/text-alignments", post(alignments))
        .route("/api/translation-suggestions", post(suggestions))
        .route("/api/word-insights", post(insights))
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
    match checked(&state, &headers, &body, true) {
        Ok(_) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(refused) => refused,
    }
}

/// The checks every translate `/api/*` route makes: the session, a minted
/// `translate_session` cookie, a JSON body and (unless `detect`) its
/// `session_token` equal to the cookie. The body on success, the refusal
/// otherwise (a test server: the large error is fine).
#[allow(clippy::result_large_err)]
fn checked(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    needs_token: bool,
) -> Result<Value, Response> {
    if !state.has_session(headers) {
        return Err(api_error(StatusCode::UNAUTHORIZED, "Invalid session"));
    }
    let Some(cookie) = cookie(headers, "translate_session") else {
        return Err(api_error(
            StatusCode::UNAUTHORIZED,
            "No translate_session cookie",
        ));
    };
    if !state.translate_sessions().contains(&cookie) {
        return Err(api_error(
            StatusCode::UNAUTHORIZED,
            "Unknown translate_session cookie",
        ));
    }
    let json: Value = serde_json::from_slice(body)
        .map_err(|e| api_error(StatusCode::BAD_REQUEST, &format!("Invalid JSON: {e}")))?;
    if needs_token && json["session_token"].as_str() != Some(cookie.as_str()) {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "session_token in the body does not match the translate_session cookie",
        ));
    }
    Ok(json)
}

/// Runs the checks, the `translate-fail` fault for `route`, then `answer`.
fn route(
    state: &AppState,
    faults: &Faults,
    headers: &HeaderMap,
    body: &[u8],
    route: &str,
    answer: impl FnOnce(&Value) -> Value,
) -> Response {
    let json = match checked(state, headers, body, route != "detect") {
        Ok(json) => json,
        Err(refused) => return refused,
    };
    // `translate-fail=ROUTE` is a 503; `ROUTE:401` (any status) or
    // `ROUTE:html` (a signed-out web page with 200) fails it another way.
    if let Some(fail) = faults.translate_fail.as_deref() {
        let (failing, how) = fail.split_once(':').unwrap_or((fail, "503"));
        if failing == route {
            if how == "html" {
                return crate::pages::logged_out();
            }
            let status = how
                .parse()
                .ok()
                .and_then(|n| StatusCode::from_u16(n).ok())
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            return api_error(status, &format!("{route} is unavailable"));
        }
    }
    json_ok(answer(&json))
}

fn text(json: &Value, key: &str) -> String {
    json[key].as_str().unwrap_or_default().to_string()
}

async fn detect(
    State(state): State<AppState>,
    Extension(faults): Extension<Faults>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    route(&state, &faults, &headers, &body, "detect", |_| {
        json!([{"iso": "fr", "label": "French", "isUncertain": false, "isMixed": false,
                "alternatives": [{"iso": "ca", "label": "Catalan"}]}])
    })
}

async fn translate(
    State(state): State<AppState>,
    Extension(faults): Extension<Faults>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    route(&state, &faults, &headers, &body, "translate", |json| {
        let (from, to) = (text(json, "from"), text(json, "to"));
        json!({
            "translation": format!("[{from}->{to}] {}", text(json, "text")),
            "source_language": from,
            "target_language": to,
        })
    })
}

async fn alternatives(
    State(state): State<AppState>,
    Extension(faults): Extension<Faults>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let name = "alternative-translations";
    route(&state, &faults, &headers, &body, name, |_| {
        json!({"original_description": "Greeting",
               "elements": [{"translation": "Hi everyone", "explanation": "More casual"}]})
    })
}

async fn alignments(
    State(state): State<AppState>,
    Extension(faults): Extension<Faults>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    route(&state, &faults, &headers, &body, "text-alignments", |_| {
        json!({"source_blocks": [], "target_blocks": [], "source_roles": [],
               "target_roles": [], "alignments": []})
    })
}

async fn suggestions(
    State(state): State<AppState>,
    Extension(faults): Extension<Faults>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let name = "translation-suggestions";
    route(&state, &faults, &headers, &body, name, |_| {
        json!({"suggestions": [{"id": "s1", "label": "More formal",
               "description": "Use a formal register", "steps": [], "exclusiveWith": []}]})
    })
}

async fn insights(
    State(state): State<AppState>,
    Extension(faults): Extension<Faults>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    route(&state, &faults, &headers, &body, "word-insights", |_| {
        json!({"insights": [{"id": "w1", "original_text": "Bonjour", "type": "greeting",
               "variations": [{"text": "Hello"}]}], "marked_translation": "Hello"})
    })
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
