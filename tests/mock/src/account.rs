//! Kagi's account pages, which show the credentials themselves: the account
//! page carries the Session Link (session token inside) and the API settings
//! page shows the API token. Signed out, both give the logged-out page.
//!
//! Also a test-only route that streams the request back in tiny chunks, so a
//! secret it echoes straddles chunk boundaries:
//! `GET /_test/echo-chunked?size=N` (default 3 bytes per chunk). And
//! `GET /_test/leaky-redirect`, a redirect whose target URL and response
//! headers carry the session token.

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::{AppState, pages, param};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/user_details", get(user_details))
        .route("/settings/api", get(api_settings))
        .route("/_test/echo-chunked", get(echo_chunked))
        .route("/_test/leaky-redirect", get(leaky_redirect))
        .route("/_test/leaky-headers", get(leaky_headers))
}

async fn user_details(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.has_session(&headers) {
        return pages::logged_out();
    }
    let link = format!("https://kagi.com/search?token={}", state.session_token);
    let main = format!(
        r#"<h1>Account</h1>
<section id="session-link"><h2>Session Link</h2>
<input type="text" readonly value="{link}">
<a href="{link}">Session Link</a>
<script>window.SESSION_LINK = {json};</script></section>"#,
        link = pages::escape(&link),
        // Escaped slashes, as PHP's json_encode writes them.
        json = serde_json::to_string(&link).unwrap().replace('/', "\\/"),
    );
    pages::html(StatusCode::OK, pages::frame("Account - Kagi", &main))
}

async fn api_settings(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.has_session(&headers) {
        return pages::logged_out();
    }
    let main = format!(
        r#"<h1>API</h1><section id="api-token"><h2>API token</h2>
<input type="text" readonly value="{token}">
<form action="/settings/api/regenerate" method="POST"><button>Generate new token</button></form></section>"#,
        token = pages::escape(&state.api_token)
    );
    pages::html(StatusCode::OK, pages::frame("API - Kagi", &main))
}

async fn echo_chunked(Query(q): Query<Vec<(String, String)>>, headers: HeaderMap) -> Response {
    let size: usize = param(&q, "size")
        .and_then(|s| s.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(3);
    let mut text = String::from("{");
    for (k, v) in &headers {
        text.push_str(&format!(
            "{}:{},",
            serde_json::to_string(k.as_str()).unwrap(),
            serde_json::to_string(&String::from_utf8_lossy(v.as_bytes())).unwrap()
        ));
    }
    text.push_str("\"end\":true}");
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = text
        .into_bytes()
        .chunks(size)
        .map(|c| Ok(c.to_vec()))
        .collect();
    (
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(futures_util::stream::iter(chunks)),
    )
        .into_response()
}

async fn leaky_redirect(State(state): State<AppState>) -> Response {
    let to = format!("/_test/leaky-headers?session={}", state.session_token);
    (StatusCode::FOUND, [(header::LOCATION, to)], "").into_response()
}

async fn leaky_headers(State(state): State<AppState>) -> Response {
    let token = &state.session_token;
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("x-leak", token.clone()),
        (
            "link",
            format!("<https://kagi.com/search?token={token}>; rel=session"),
        ),
    ] {
        if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    (headers, "ok").into_response()
}
