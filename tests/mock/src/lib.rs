//! A local mock of Kagi's HTTP services (main, news and translate hosts on one port).
//!
//! Each [`MockServer`] runs on its own thread and tokio runtime, so parallel tests each get an
//! isolated server. Every request is recorded. Faults are chosen per request by a path prefix,
//! `/_fault/<spec>/<real path>`, so a client pointed at `fault_url("status=503")` sees errors
//! while other clients of the same server see normal answers. Routes live in one module per
//! service; add a module and merge its `routes()` in [`router`] to cover more of Kagi.

mod account;
mod assistant;
mod assistant_threads;
mod bangs;
mod custom_assistants;
mod echo;
pub mod escapes;
mod kagi_stream;
mod lenses;
mod quick;
mod redirects;
mod settings_pages;
pub use assistant::{FormPart, multipart_parts};
mod faults;
mod news;
mod news_tab;
mod pages;
mod paid_api;
mod search;
mod smallweb;
mod summarizer;
mod testing;
mod translate;
mod webhook;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The session token the mock accepts unless the builder says otherwise.
pub const SESSION_TOKEN: &str = "test-session-token";
/// The API token the mock accepts unless the builder says otherwise.
pub const API_TOKEN: &str = "test-api-token";

/// One request as the mock received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// The path without the `/_fault/<spec>` prefix and without the query string.
    pub path: String,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Header names are lower-case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When it arrived, counted from the server's start.
    pub arrived: std::time::Duration,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        param(&self.query, name)
    }
}

/// State shared by the handlers and the [`MockServer`] handle.
pub(crate) struct Shared {
    pub(crate) session_token: String,
    pub(crate) api_token: String,
    log: Mutex<Vec<Recorded>>,
    started: std::time::Instant,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// The value every translate bootstrap mints, if the builder fixed one.
    translate_session: Option<String>,
    /// Every `translate_session` value minted so far.
    translate_minted: Mutex<Vec<String>>,
    /// Bootstrap requests answered 503 by the `bootstrap-fail=N` fault.
    pub(crate) bootstrap_failures: AtomicUsize,
    /// Per-feature state, each owned by its module.
    pub(crate) assistant: Mutex<assistant::State>,
    pub(crate) quick: Mutex<quick::State>,
    pub(crate) custom_assistants: Mutex<custom_assistants::State>,
    pub(crate) lenses: Mutex<lenses::State>,
    pub(crate) bangs: Mutex<bangs::State>,
    pub(crate) redirects: Mutex<redirects::State>,
}

impl Shared {
    /// Counts a request as in flight until the returned guard drops.
    fn enter(self: &Arc<Self>) -> InFlight {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(self.clone())
    }

    /// True when a `Cookie` header carries `kagi_session=<our session token>`.
    pub(crate) fn has_session(&self, headers: &axum::http::HeaderMap) -> bool {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(k, v)| k == "kagi_session" && v == self.session_token)
    }

    /// A new `translate_session` value (or the one the builder fixed).
    pub(crate) fn mint_translate_session(&self) -> String {
        let mut minted = self.translate_minted.lock().unwrap();
        let value = self
            .translate_session
            .clone()
            .unwrap_or_else(|| format!("minted-translate-session.{}.kagi-mock", minted.len() + 1));
        minted.push(value.clone());
        value
    }

    pub(crate) fn translate_sessions(&self) -> Vec<String> {
        self.translate_minted.lock().unwrap().clone()
    }

    /// True when `Authorization` is exactly `Bot <our API token>`.
    pub(crate) fn has_api_token(&self, headers: &axum::http::HeaderMap) -> bool {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bot "))
            .is_some_and(|t| t == self.api_token)
    }
}

struct InFlight(Arc<Shared>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

pub(crate) type AppState = Arc<Shared>;

/// Configures a [`MockServer`] before starting it.
#[derive(Debug, Clone)]
pub struct MockBuilder {
    session_token: String,
    api_token: String,
    port: u16,
    translate_session: Option<String>,
}

impl MockBuilder {
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = token.into();
        self
    }

    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.api_token = token.into();
        self
    }

    /// The `translate_session` value every bootstrap mints (by default each
    /// mints a new one).
    pub fn translate_session(mut self, value: impl Into<String>) -> Self {
        self.translate_session = Some(value.into());
        self
    }

    /// Port to bind on 127.0.0.1; 0 (the default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds and starts serving; panics if the port cannot be bound.
    pub fn start(self) -> MockServer {
        // Bind synchronously so the server is accepting connections once this returns.
        let listener = std::net::TcpListener::bind(("127.0.0.1", self.port))
            .unwrap_or_else(|e| panic!("kagi-mock: cannot bind 127.0.0.1:{}: {e}", self.port));
        listener.set_nonblocking(true).expect("set_nonblocking");
        let addr = listener.local_addr().expect("local_addr");
        let shared = Arc::new(Shared {
            session_token: self.session_token,
            api_token: self.api_token,
            log: Mutex::new(Vec::new()),
            started: std::time::Instant::now(),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            translate_session: self.translate_session,
            translate_minted: Mutex::new(Vec::new()),
            bootstrap_failures: AtomicUsize::new(0),
            assistant: Mutex::default(),
            quick: Mutex::default(),
            custom_assistants: Mutex::default(),
            lenses: Mutex::default(),
            bangs: Mutex::default(),
            redirects: Mutex::default(),
        });
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("kagi-mock-{}", addr.port()))
            .spawn(move || serve(listener, state, stop_rx))
            .expect("spawn kagi-mock thread");
        MockServer {
            addr,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }
}

fn serve(
    listener: std::net::TcpListener,
    state: AppState,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    // One small runtime per server keeps parallel tests independent of each other.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        let front = axum::middleware::from_fn_with_state(state.clone(), faults::front);
        let app = tower_layer::Layer::layer(&front, router(state));
        let server = axum::serve(listener, axum::ServiceExt::into_make_service(app));
        // Not graceful on purpose: a test that drops the server mid-delay must not hang.
        tokio::select! {
            res = std::future::IntoFuture::into_future(server) => {
                if let Err(e) = res { eprintln!("kagi-mock: server error: {e}"); }
            }
            _ = stop => {}
        }
    });
    // Dropping the runtime here cancels any connection tasks still running.
}

/// Every route the mock serves, before the recording/fault layer wraps it.
fn router(state: AppState) -> Router {
    Router::new()
        .merge(news::routes())
        .merge(smallweb::routes())
        .merge(search::routes())
        .merge(testing::routes())
        .merge(echo::routes())
        .merge(account::routes())
        .merge(news_tab::routes())
        .merge(summarizer::routes())
        .merge(paid_api::routes())
        .merge(translate::routes())
        .merge(assistant::routes())
        .merge(assistant_threads::routes())
        .merge(custom_assistants::routes())
        .merge(lenses::routes())
        .merge(bangs::routes())
        .merge(redirects::routes())
        .merge(settings_pages::routes())
        .merge(quick::routes())
        .merge(webhook::routes())
        .fallback(not_found)
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> Response {
    let path = uri.path().to_string();
    error_response(
        &path,
        StatusCode::NOT_FOUND,
        &format!("No route for {path} in kagi-mock"),
    )
}

/// A running mock. Dropping it stops the server.
pub struct MockServer {
    addr: SocketAddr,
    shared: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server with the default tokens on a free port.
    pub fn start() -> MockServer {
        Self::builder().start()
    }

    pub fn builder() -> MockBuilder {
        MockBuilder {
            session_token: SESSION_TOKEN.to_string(),
            api_token: API_TOKEN.to_string(),
            port: 0,
            translate_session: None,
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A base URL whose requests get the faults in `spec`, e.g. `"status=503"`,
    /// `"delay=300,truncate"`.
    pub fn fault_url(&self, spec: &str) -> String {
        format!("{}/_fault/{spec}", self.url())
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.log.lock().unwrap().clone()
    }

    /// Every `translate_session` value the translate bootstrap minted, in
    /// order: secrets a client must never show the code that asked.
    pub fn translate_sessions(&self) -> Vec<String> {
        self.shared.translate_sessions()
    }

    /// Lets the Assistant answer held by a `hold-after-first-token` prompt go
    /// on (a release given before the answer waits is kept for it).
    pub fn release_assistant(&self) {
        self.shared.assistant.lock().unwrap().release.notify_one();
    }

    /// Every Assistant answer frame sent so far: its tag and when it left
    /// (microseconds since the Unix epoch).
    pub fn assistant_frames(&self) -> Vec<(String, u128)> {
        self.shared.assistant.lock().unwrap().frames_sent.clone()
    }

    /// The highest number of requests that were being handled at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The first value of `name` among decoded query pairs.
pub(crate) fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Kagi's API error JSON for `/api/` paths, an HTML error page elsewhere.
pub(crate) fn error_response(path: &str, status: StatusCode, msg: &str) -> Response {
    if path.starts_with("/api/") {
        api_error(status, msg)
    } else {
        pages::error_page(status, msg)
    }
}

/// `{"meta":{...},"data":null,"error":[{"code":..,"msg":..,"ref":null}]}` as Kagi sends it.
pub(crate) fn api_error(status: StatusCode, msg: &str) -> Response {
    // Kagi reports running out of API credit as code 101; other codes mirror the status.
    let code = if status == StatusCode::PAYMENT_REQUIRED {
        101
    } else {
        status.as_u16()
    };
    let body = serde_json::json!({
        "meta": {"id": "mock-error", "node": "mock", "ms": 0, "api_balance": 0.0},
        "data": null,
        "error": [{"code": code, "msg": msg, "ref": null}],
    });
    let mut response = (status, json_headers(), body.to_string()).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        // As Kagi does: how long to wait, in seconds.
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("30"));
    }
    response
}

pub(crate) fn json_headers() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "application/json")]
}

/// A 200 JSON response.
pub(crate) fn json_ok(value: serde_json::Value) -> Response {
    (json_headers(), value.to_string()).into_response()
}

#[cfg(test)]
mod tests;
