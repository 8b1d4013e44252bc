//! Routes that exist only to test clients, not Kagi: `GET /_mock/redirect?to=URL`
//! answers `302 Found` with `Location: URL` (use it to check that credentials
//! never follow a redirect to another origin), and `/_mock/echo` returns the
//! request's headers as JSON. `GET /_mock/stall` sends one line (`first
//! chunk`) and then nothing for an hour: a slow stream to interrupt.

use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::{AppState, param};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/_mock/redirect", get(redirect))
        // The same, from inside a settings page, for the settings-page checks.
        .route("/html/settings/lenses/_mock/redirect", get(redirect))
        .route("/_mock/echo", get(echo))
        .route("/_mock/stall", get(stall))
}

async fn stall() -> Response {
    use futures_util::StreamExt;
    let first = futures_util::stream::iter([Ok::<_, std::io::Error>(axum::body::Bytes::from(
        "first chunk\n",
    ))]);
    let never = futures_util::stream::once(async {
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        Ok(axum::body::Bytes::new())
    });
    (
        [(header::CONTENT_TYPE, "text/plain")],
        axum::body::Body::from_stream(first.chain(never)),
    )
        .into_response()
}

async fn redirect(Query(q): Query<Vec<(String, String)>>) -> Response {
    match param(&q, "to") {
        Some(to) => (StatusCode::FOUND, [(header::LOCATION, to.to_string())], "").into_response(),
        None => (StatusCode::BAD_REQUEST, "missing ?to=").into_response(),
    }
}

async fn echo(headers: HeaderMap) -> Response {
    let map: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into(),
            )
        })
        .collect();
    (
        [
            (
                header::SET_COOKIE,
                "kagi_session=minted-by-mock; Path=/; HttpOnly",
            ),
            (header::CONTENT_TYPE, "application/json"),
        ],
        serde_json::Value::Object(map).to_string(),
    )
        .into_response()
}
