//! What Kagi's settings pages (custom assistants, lenses, bangs, redirects)
//! have in common: the sign-in page a signed-out request lands on, 302s after
//! a POST, form bodies, the 400 naming a missing field, error pages, and the
//! drifted layouts served under `/_drift/<variant>/…`.
//!
//! A handler takes [`SignedIn`] (a page) or [`Posted`] (a form POST) first,
//! so a signed-out request never reaches it, and answers [`Answer`]: `?` on
//! [`required`] or a [`Refusal`] ends a request the way Kagi would.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};

use crate::pages::{frame, html};
use crate::{AppState, param};

/// A settings handler's answer; the error side ends the request early.
pub(crate) type Answer = Result<Response, Refusal>;

/// A response that ends a request early: the sign-in redirect or an error
/// page (boxed, so that `Result`s carrying it stay small).
pub(crate) struct Refusal(Box<Response>);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// One account's items on a settings page, and the id its next new item
/// gets.
#[derive(Debug)]
pub(crate) struct Account<T> {
    pub(crate) items: Vec<T>,
    next_id: u64,
}

impl<T> Account<T> {
    pub(crate) fn new(items: Vec<T>, next_id: u64) -> Self {
        Account { items, next_id }
    }

    /// The id of a new item (never one given before).
    pub(crate) fn mint_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }
}

/// The drifted layout a request asked for (`/_drift/<variant>/…`), if any:
/// what a handler served by [`with_drift`] extracts.
pub(crate) type Drift = Option<Path<String>>;

/// The variant of a drifted request; empty for the normal layout.
pub(crate) fn variant(drift: Drift) -> String {
    drift.map(|Path(v)| v).unwrap_or_default()
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/signin", get(sign_in_page))
}

/// Serves `path` and its drifted twin `/_drift/{variant}<path>` with the
/// same handler, which tells them apart by its [`Drift`].
pub(crate) fn with_drift(
    router: Router<AppState>,
    path: &str,
    handler: MethodRouter<AppState>,
) -> Router<AppState> {
    router
        .route(path, handler.clone())
        .route(&format!("/_drift/{{variant}}{path}"), handler)
}

/// Kagi's sign-in page, where a signed-out settings request lands.
async fn sign_in_page() -> Response {
    page(
        "Sign in",
        r#"<h1>Sign in</h1><form action="/signin" method="POST"><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form>"#,
    )
}

/// A request that carries the session; a signed-out one is answered with a
/// 302 to the sign-in page, as Kagi answers a signed-out settings request.
pub(crate) struct SignedIn;

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        if state.has_session(&parts.headers) {
            return Ok(SignedIn);
        }
        let next: String = form_urlencoded::byte_serialize(parts.uri.path().as_bytes()).collect();
        Err(Refusal(Box::new(see_other(&format!(
            "/signin?next={next}"
        )))))
    }
}

/// The decoded fields of a signed-in form POST, in order.
pub(crate) struct Posted(pub(crate) Vec<(String, String)>);

impl FromRequest<AppState> for Posted {
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Refusal> {
        let (mut parts, body) = request.into_parts();
        SignedIn::from_request_parts(&mut parts, state).await?;
        let body = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| Refusal(Box::new(e.into_response())))?;
        Ok(Posted(form_urlencoded::parse(&body).into_owned().collect()))
    }
}

/// A field the POST must carry; a 400 naming it when absent.
pub(crate) fn required<'a>(fields: &'a [(String, String)], name: &str) -> Result<&'a str, Refusal> {
    param(fields, name).ok_or_else(|| missing(name))
}

/// A 302, as Kagi answers settings POSTs.
pub(crate) fn see_other(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
        "",
    )
        .into_response()
}

/// A 400 naming the missing form field.
pub(crate) fn missing(field: &str) -> Refusal {
    error(
        StatusCode::BAD_REQUEST,
        &format!("Missing form field {field}"),
    )
}

/// A 404 for an id the account does not have (`No lens 7`).
pub(crate) fn no_such(what: &str, id: &str) -> Refusal {
    error(StatusCode::NOT_FOUND, &format!("No {what} {id}"))
}

/// Kagi's error page with `status`.
pub(crate) fn error(status: StatusCode, msg: &str) -> Refusal {
    Refusal(Box::new(crate::pages::error_page(status, msg)))
}

/// A 200 settings page titled `<title> - Kagi`.
pub(crate) fn page(title: &str, main: &str) -> Response {
    html(StatusCode::OK, frame(&format!("{title} - Kagi"), main))
}

/// The answer of a `/_mock/…/clear` route.
pub(crate) fn cleared() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
