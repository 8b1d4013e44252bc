//! `kagi:plugin/http`: requests through the host. Every request is checked
//! (service, host, credential, account pages), refused if it spells a secret,
//! and sent by `net`; every byte of the response is redacted before the plugin
//! sees it.

use super::super::bindings::kagi::plugin::http;
use super::super::interrupt::{Interrupted, or_interrupted};
use super::super::{HostState, Stop, block_on_deadline};
use super::WResult;
use super::credentials::kind;
use crate::auth::Kind;
use crate::log;
use crate::net::{self, Incoming, NetError, Outgoing};
use crate::secrets::{Secrets, StreamRedactor};
use std::sync::Arc;
use std::time::Instant;
use wasmtime::component::Resource;

/// A response whose body the plugin is pulling. Its head is redacted when it
/// arrives, its body as it streams.
pub struct ResponseHandle {
    status: u16,
    headers: Vec<(String, String)>,
    url: String,
    body: net::BodyReader,
    redactor: StreamRedactor,
    /// The body's end was reached and the held-back bytes handed over.
    ended: bool,
}

/// A request running in the host's I/O runtime, or one that failed before it
/// could start (reported when the plugin waits, like any other failure).
pub enum PendingHandle {
    /// The task, and a flag it sets before it wakes `wait-any`: the task itself
    /// may not count as finished yet when the waiter looks, and a waiter that
    /// missed the only wake-up would sleep forever.
    Running(
        tokio::task::JoinHandle<Result<Incoming, NetError>>,
        Arc<std::sync::atomic::AtomicBool>,
    ),
    Failed(http::Error),
    Taken,
}

impl PendingHandle {
    fn is_ready(&self) -> bool {
        match self {
            PendingHandle::Running(task, done) => {
                done.load(std::sync::atomic::Ordering::SeqCst) || task.is_finished()
            }
            _ => true,
        }
    }
}

/// The timeout rule a request names, or why it names none.
fn timeout(t: &http::Timeout) -> Result<net::TimeoutClass, String> {
    let ms = |ms: u64| std::time::Duration::from_millis(ms);
    match t {
        http::Timeout::Class(name) => net::TimeoutClass::named(name).ok_or_else(|| {
            format!(
                "unknown timeout class `{}`; use search, standard or streaming, or explicit limits",
                crate::sanitize::escape_for_display(name)
            )
        }),
        http::Timeout::Limits(l) => Ok(net::TimeoutClass::Explicit {
            total: l.total_ms.map(ms),
            idle: l.idle_ms.map(ms),
        }),
    }
}

impl HostState {
    /// The configured secrets, loaded when first needed, and the translate
    /// session once minted (then they are built again: redactors already
    /// handed out keep the set they were made with). Only a plugin granted a
    /// credential can have a request answered by someone who knows a secret,
    /// so for any other plugin nothing is loaded or scanned.
    pub(super) fn secrets(&mut self) -> WResult<Arc<Secrets>> {
        let minted = self.translate_session.minted().cloned();
        if let Some(secrets) = &self.secrets
            && minted
                .as_ref()
                .is_none_or(|m| secrets.find(m.expose().as_bytes()).is_some())
        {
            return Ok(secrets.clone());
        }
        let secrets =
            if self.grants.has_credential(Kind::Session) || self.grants.has_credential(Kind::Api) {
                let creds = self.ctx.credentials().map_err(Stop::Host)?;
                let session = creds
                    .session
                    .as_ref()
                    .map(|s| ("your session token", s.expose()));
                let api = creds.api.as_ref().map(|s| ("your API token", s.expose()));
                let translate = minted
                    .as_ref()
                    .map(|s| ("your translate session", s.expose()));
                Secrets::new(session.into_iter().chain(api).chain(translate))
            } else {
                Secrets::default()
            };
        let secrets = Arc::new(secrets);
        self.secrets = Some(secrets.clone());
        Ok(secrets)
    }

    /// Stops the plugin if anything it wants sent spells a secret: the host
    /// attaches credentials, a plugin never sends one itself.
    fn refuse_secrets(&mut self, request: &http::Request, url: &url::Url) -> WResult<()> {
        let secrets = self.secrets()?;
        if secrets.is_empty() {
            return Ok(());
        }
        // The parts as the plugin wrote them first (the most precise name
        // for the denial), then the URL they make.
        let mut places: Vec<(&str, &[u8])> = vec![("path", request.path.as_bytes())];
        for (k, v) in &request.query {
            places.push(("query", k.as_bytes()));
            places.push(("query", v.as_bytes()));
        }
        for (k, v) in &request.headers {
            places.push(("headers", k.as_bytes()));
            places.push(("headers", v.as_bytes()));
        }
        let files = self.files.clone();
        places.extend(super::body::body_places(request.body.as_ref(), &files));
        if let http::Target::Url(raw) = &request.target {
            places.push(("URL", raw.as_bytes()));
        }
        places.push(("URL", url.as_str().as_bytes()));
        for (place, bytes) in places {
            if let Some(what) = secrets.find(bytes) {
                return Err(Stop::Host(crate::error::Error::PluginDenied {
                    plugin: self.grants.plugin.clone(),
                    reason: format!(
                        "tried to send {what} in its request's {place}, which is never allowed (rule: no secrets in requests; kagi attaches credentials itself)"
                    ),
                })
                .into());
            }
        }
        Ok(())
    }

    /// A network failure as the plugin gets it: redacted, or the plugin is
    /// stopped when a redirect led somewhere it may not go.
    fn net_error(&mut self, e: NetError) -> WResult<http::Error> {
        let secrets = self.secrets()?;
        let clean = |m: String| secrets.redact_str(&m);
        Ok(match e {
            NetError::Timeout(m) => http::Error::Timeout(clean(m)),
            NetError::Connect(m) => http::Error::Connect(clean(m)),
            NetError::Transport(m) => http::Error::Transport(clean(m)),
            NetError::TooLarge(m) => http::Error::TooLarge(clean(m)),
            NetError::Auth(m) => http::Error::Auth(clean(m)),
            NetError::Denied(reason) => {
                return Err(Stop::Host(crate::error::Error::PluginDenied {
                    plugin: self.grants.plugin.clone(),
                    reason,
                })
                .into());
            }
        })
    }
}

impl HostState {
    /// The service a plugin names, or a denial naming it.
    fn service(&self, name: &str) -> WResult<net::Service> {
        net::Service::named(name).ok_or_else(|| {
            Stop::Host(crate::error::Error::PluginDenied {
                plugin: self.grants.plugin.clone(),
                reason: format!(
                    "tried to reach the service `{}`, which kagi does not know (it knows {})",
                    crate::sanitize::escape_for_display(name),
                    net::Service::known_names()
                ),
            })
            .into()
        })
    }

    /// The translate session is minted by the translate service and goes
    /// nowhere else.
    fn check_translate_target(&self, service: Option<net::Service>) -> WResult<()> {
        match service {
            Some(s) if s.name() == "translate" => Ok(()),
            other => Err(Stop::Host(crate::error::Error::PluginDenied {
                plugin: self.grants.plugin.clone(),
                reason: format!(
                    "asked for the `translate` credential on a request to {}; it is only ever sent to the `translate` service",
                    other.map_or("an absolute URL".to_string(), |s| format!("the `{}` service", s.name()))
                ),
            })
            .into()),
        }
    }

    /// Turns a plugin's request into one the network layer can send, or
    /// stops the plugin if it asks for something it was not granted.
    fn prepare(&mut self, mut request: http::Request) -> WResult<Result<Outgoing, http::Error>> {
        let net = self.ctx.net().map_err(Stop::Host)?;
        let method = match request.method {
            http::Method::Get => reqwest::Method::GET,
            http::Method::Post => reqwest::Method::POST,
            http::Method::Put => reqwest::Method::PUT,
            http::Method::Patch => reqwest::Method::PATCH,
            http::Method::Delete => reqwest::Method::DELETE,
            http::Method::Head => reqwest::Method::HEAD,
        };
        let service = match &request.target {
            http::Target::Service(name) => Some(self.service(name)?),
            http::Target::Url(_) => None,
        };
        let url = match &request.target {
            http::Target::Service(_) => {
                let service = service.expect("a service target names a service");
                self.grants.check_service(service).map_err(Stop::Host)?;
                match net.bases.resolve(service, &request.path, &request.query) {
                    Ok(url) => url,
                    Err(m) => return Ok(Err(http::Error::Transport(m))),
                }
            }
            http::Target::Url(raw) => {
                let mut url = match url::Url::parse(raw) {
                    Ok(url) => url,
                    Err(e) => {
                        return Ok(Err(http::Error::Transport(format!(
                            "invalid URL `{raw}`: {e}"
                        ))));
                    }
                };
                self.grants
                    .check_url(&url, request.credential.is_some())
                    .map_err(Stop::Host)?;
                net::append_query(&mut url, &request.query);
                url
            }
        };
        let translate = matches!(request.credential, Some(http::Credential::Translate));
        if translate {
            self.check_translate_target(service)?;
        }
        let credential = match request.credential {
            None => None,
            Some(c) => {
                let k = kind(c);
                self.grants.check_credential(k).map_err(Stop::Host)?;
                if let Some(service) = service {
                    let base = net.bases.get(service);
                    self.grants.check_account(&url, base).map_err(Stop::Host)?;
                }
                let credentials = self.ctx.credentials().map_err(Stop::Host)?;
                match credentials.get(k) {
                    Some(secret) => Some((k, secret.clone())),
                    None => return Ok(Err(http::Error::MissingCredential(c))),
                }
            }
        };
        self.refuse_secrets(&request, &url)?;
        let body = match self.outgoing_body(&mut request) {
            Ok(body) => body,
            Err(e) => return Ok(Err(e)),
        };
        let timeout = match timeout(&request.timeout) {
            Ok(t) => t,
            Err(m) => return Ok(Err(http::Error::Transport(m))),
        };
        log::debug(&format!(
            "plugin {}: {method} {url}{}",
            self.grants.plugin,
            match (&credential, translate) {
                (Some((k, _)), false) => format!(" (with the {} attached)", k.noun()),
                (Some((k, _)), true) => format!(
                    " (with the {} and the translate session attached)",
                    k.noun()
                ),
                (None, _) => String::new(),
            }
        ));
        Ok(Ok(Outgoing {
            method,
            url,
            headers: request.headers,
            body,
            credential,
            translate: translate.then(|| self.translate_session.clone()),
            timeout,
            follow_redirects: request.follow_redirects,
            hop_check: self.grants.hop_check(&net.bases),
        }))
    }

    fn response_resource(&mut self, incoming: Incoming) -> WResult<Resource<ResponseHandle>> {
        log::debug(&format!(
            "plugin {}: HTTP {} from {}",
            self.grants.plugin, incoming.status, incoming.url
        ));
        let secrets = self.secrets()?;
        let headers = incoming
            .headers
            .into_iter()
            .map(|(k, v)| (k, secrets.redact_str(&v)))
            .collect();
        Ok(self.table().push(ResponseHandle {
            status: incoming.status,
            headers,
            url: secrets.redact_str(incoming.url.as_str()),
            body: incoming.body,
            redactor: StreamRedactor::new(secrets),
            ended: false,
        })?)
    }

    /// Waits (within the deadline) until fewer than `MAX_IN_FLIGHT_REQUESTS`
    /// requests are in flight. The slot is free again when it is dropped.
    fn http_slot(&mut self) -> WResult<tokio::sync::OwnedSemaphorePermit> {
        let slots = self.http_slots.clone();
        let slot = block_on_deadline(&self.ctx, self.deadline, slots.acquire_owned())?;
        Ok(slot.expect("the request slots are never closed"))
    }

    /// Sends a request in the background. It holds `slot` until its response
    /// head arrives or it fails (or the plugin drops it, which aborts it).
    fn spawn(
        &mut self,
        outgoing: Outgoing,
        slot: tokio::sync::OwnedSemaphorePermit,
    ) -> WResult<PendingHandle> {
        let net = self.ctx.net().map_err(Stop::Host)?;
        let notify = self.pending_done.clone();
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        let task = self.ctx.rt.spawn(async move {
            let result = net.send(outgoing).await;
            drop(slot);
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            notify.notify_waiters();
            result
        });
        Ok(PendingHandle::Running(task, done))
    }
}

impl http::Host for HostState {
    fn send(
        &mut self,
        request: http::Request,
    ) -> WResult<Result<Resource<ResponseHandle>, http::Error>> {
        let outgoing = match self.prepare(request)? {
            Ok(o) => o,
            Err(e) => return Ok(Err(e)),
        };
        let net = self.ctx.net().map_err(Stop::Host)?;
        let slot = self.http_slot()?;
        let sent = async move {
            let incoming = net.send(outgoing).await;
            drop(slot);
            incoming
        };
        match block_on_deadline(&self.ctx, self.deadline, or_interrupted(sent))? {
            Ok(Ok(incoming)) => Ok(Ok(self.response_resource(incoming)?)),
            Ok(Err(e)) => Ok(Err(self.net_error(e)?)),
            Err(Interrupted) => Ok(Err(http::Error::Interrupted)),
        }
    }

    fn start(&mut self, request: http::Request) -> WResult<Resource<PendingHandle>> {
        let handle = match self.prepare(request)? {
            Ok(outgoing) => {
                let slot = self.http_slot()?;
                self.spawn(outgoing, slot)?
            }
            Err(e) => PendingHandle::Failed(e),
        };
        Ok(self.table().push(handle)?)
    }

    fn wait_any(
        &mut self,
        requests: Vec<Resource<PendingHandle>>,
        within_ms: Option<u64>,
    ) -> WResult<Option<u32>> {
        if requests.is_empty() && within_ms.is_none() {
            return Err(Stop::Host(crate::error::Error::PluginFailed {
                plugin: self.grants.plugin.clone(),
                reason: "called wait-any with no requests and no time limit".into(),
                stderr_tail: String::new(),
            })
            .into());
        }
        // The plugin's own limit ends the wait; its wall-clock limit still
        // stops the plugin when it comes first.
        let until =
            within_ms.map(|ms| tokio::time::Instant::now() + std::time::Duration::from_millis(ms));
        let done = self.pending_done.clone();
        let mut expired = false;
        loop {
            let notified = done.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            for (i, r) in requests.iter().enumerate() {
                if self.table().get(r)?.is_ready() {
                    return Ok(Some(i as u32));
                }
            }
            if expired {
                return Ok(None);
            }
            let woken = block_on_deadline(&self.ctx, self.deadline, async {
                or_interrupted(async {
                    match until {
                        Some(at) => tokio::time::timeout_at(at, notified).await.is_ok(),
                        None => {
                            notified.await;
                            true
                        }
                    }
                })
                .await
            })?;
            // Ctrl-C: none ready; `wait` on any of them says `interrupted`.
            let Ok(woken) = woken else {
                return Ok(None);
            };
            // One last look before answering none: a request may have
            // finished just as the time ran out.
            expired = !woken;
        }
    }
}

impl http::HostResponse for HostState {
    fn status(&mut self, r: Resource<ResponseHandle>) -> WResult<u16> {
        Ok(self.table().get(&r)?.status)
    }

    fn headers(&mut self, r: Resource<ResponseHandle>) -> WResult<Vec<(String, String)>> {
        Ok(self.table().get(&r)?.headers.clone())
    }

    fn url(&mut self, r: Resource<ResponseHandle>) -> WResult<String> {
        Ok(self.table().get(&r)?.url.clone())
    }

    fn next_chunk(
        &mut self,
        r: Resource<ResponseHandle>,
    ) -> WResult<Result<Option<Vec<u8>>, http::Error>> {
        let ctx = self.ctx.clone();
        let deadline = self.deadline;
        loop {
            let handle = self.table().get_mut(&r)?;
            let chunk = match block_on_deadline(
                &ctx,
                deadline,
                or_interrupted(handle.body.next_chunk()),
            )? {
                Ok(Ok(chunk)) => chunk,
                Ok(Err(e)) => return Ok(Err(self.net_error(e)?)),
                Err(Interrupted) => return Ok(Err(http::Error::Interrupted)),
            };
            let started = Instant::now();
            let handle = self.table().get_mut(&r)?;
            let out = match chunk {
                // Held-back bytes may be all a chunk yields: read on.
                Some(bytes) => match handle.redactor.push(&bytes) {
                    out if out.is_empty() => None,
                    out => Some(Some(out)),
                },
                None if handle.ended => Some(None),
                None => {
                    handle.ended = true;
                    let rest = handle.redactor.finish();
                    Some((!rest.is_empty()).then_some(rest))
                }
            };
            self.redaction += started.elapsed();
            if let Some(out) = out {
                return Ok(Ok(out));
            }
        }
    }

    fn read_all(&mut self, r: Resource<ResponseHandle>) -> WResult<Result<Vec<u8>, http::Error>> {
        let ctx = self.ctx.clone();
        let deadline = self.deadline;
        let handle = self.table().get_mut(&r)?;
        let bytes = match block_on_deadline(&ctx, deadline, or_interrupted(handle.body.read_all()))?
        {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) => return Ok(Err(self.net_error(e)?)),
            Err(Interrupted) => return Ok(Err(http::Error::Interrupted)),
        };
        let started = Instant::now();
        let handle = self.table().get_mut(&r)?;
        let mut out = handle.redactor.push(&bytes);
        out.extend(handle.redactor.finish());
        handle.ended = true;
        self.redaction += started.elapsed();
        Ok(Ok(out))
    }

    fn drop(&mut self, r: Resource<ResponseHandle>) -> WResult<()> {
        self.table().delete(r)?;
        Ok(())
    }
}

impl http::HostPending for HostState {
    fn ready(&mut self, r: Resource<PendingHandle>) -> WResult<bool> {
        Ok(self.table().get(&r)?.is_ready())
    }

    fn wait(
        &mut self,
        r: Resource<PendingHandle>,
    ) -> WResult<Result<Resource<ResponseHandle>, http::Error>> {
        let ctx = self.ctx.clone();
        let deadline = self.deadline;
        let (mut task, done) =
            match std::mem::replace(self.table().get_mut(&r)?, PendingHandle::Taken) {
                PendingHandle::Running(task, done) => (task, done),
                PendingHandle::Failed(e) => return Ok(Err(e)),
                PendingHandle::Taken => {
                    return Ok(Err(http::Error::Transport(
                        "this request was already waited for".into(),
                    )));
                }
            };
        let joined = match block_on_deadline(&ctx, deadline, or_interrupted(&mut task))? {
            Ok(joined) => joined,
            Err(Interrupted) => {
                // Still running: a later `wait` picks it up.
                *self.table().get_mut(&r)? = PendingHandle::Running(task, done);
                return Ok(Err(http::Error::Interrupted));
            }
        };
        match joined {
            Ok(Ok(incoming)) => Ok(Ok(self.response_resource(incoming)?)),
            Ok(Err(e)) => Ok(Err(self.net_error(e)?)),
            Err(e) => Ok(Err(http::Error::Transport(format!(
                "request task failed: {e}"
            )))),
        }
    }

    fn drop(&mut self, r: Resource<PendingHandle>) -> WResult<()> {
        if let PendingHandle::Running(task, _) = self.table().delete(r)? {
            task.abort();
        }
        Ok(())
    }
}
