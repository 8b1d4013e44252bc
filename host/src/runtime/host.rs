//! The `kagi:plugin` interfaces as the host implements them. Every call that
//! reaches outside the sandbox asks `capabilities::Grants` first; a denial
//! stops the plugin (it does not get to probe).

use super::bindings::kagi::plugin::{credentials, http, settings, stdin, storage, terminal, types};
use super::{HostState, Stop, block_on_deadline};
use crate::auth::Kind;
use crate::log;
use crate::net::{self, Incoming, NetError, Outgoing};
use crate::output::Channel;
use crate::secrets::{Secrets, StreamRedactor};
use std::io::{BufRead, Read};
use std::sync::Arc;
use std::time::Instant;
use wasmtime::component::Resource;

type WResult<T> = wasmtime::Result<T>;

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

pub struct ProgressHandle {
    bar: indicatif::ProgressBar,
}

pub struct LockHandle {
    _lock: crate::storage::StoreLock,
}

fn service(s: http::Service) -> net::Service {
    match s {
        http::Service::Kagi => net::Service::Kagi,
        http::Service::News => net::Service::News,
        http::Service::Translate => net::Service::Translate,
    }
}

fn kind(c: types::Credential) -> Kind {
    match c {
        types::Credential::Session => Kind::Session,
        types::Credential::Api => Kind::Api,
    }
}

fn wit_credential(k: Kind) -> types::Credential {
    match k {
        Kind::Session => types::Credential::Session,
        Kind::Api => types::Credential::Api,
    }
}

impl HostState {
    /// The configured secrets, loaded when first needed. Only a plugin
    /// granted a credential can have a request answered by someone who knows
    /// a secret, so for any other plugin nothing is loaded or scanned.
    fn secrets(&mut self) -> WResult<Arc<Secrets>> {
        if let Some(secrets) = &self.secrets {
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
                Secrets::new(session.into_iter().chain(api))
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
        if let Some(body) = &request.body {
            places.push(("body", body.as_slice()));
        }
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
    /// Turns a plugin's request into one the network layer can send, or
    /// stops the plugin if it asks for something it was not granted.
    fn prepare(&mut self, request: http::Request) -> WResult<Result<Outgoing, http::Error>> {
        let net = self.ctx.net().map_err(Stop::Host)?;
        let method = match request.method {
            http::Method::Get => reqwest::Method::GET,
            http::Method::Post => reqwest::Method::POST,
            http::Method::Put => reqwest::Method::PUT,
            http::Method::Patch => reqwest::Method::PATCH,
            http::Method::Delete => reqwest::Method::DELETE,
            http::Method::Head => reqwest::Method::HEAD,
        };
        let url = match &request.target {
            http::Target::Service(s) => {
                let service = service(*s);
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
        let credential = match request.credential {
            None => None,
            Some(c) => {
                let k = kind(c);
                self.grants.check_credential(k).map_err(Stop::Host)?;
                if let http::Target::Service(s) = &request.target {
                    let base = net.bases.get(service(*s));
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
        let timeout = match request.timeout {
            http::TimeoutClass::Search => net::TimeoutClass::Search,
            http::TimeoutClass::Standard => net::TimeoutClass::Standard,
            http::TimeoutClass::Streaming => net::TimeoutClass::Streaming,
        };
        log::debug(&format!(
            "plugin {}: {method} {url}{}",
            self.grants.plugin,
            credential
                .as_ref()
                .map(|(k, _)| format!(" (with the {k:?} credential)"))
                .unwrap_or_default()
        ));
        Ok(Ok(Outgoing {
            method,
            url,
            headers: request.headers,
            body: request.body,
            credential,
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

impl types::Host for HostState {}

impl credentials::Host for HostState {
    fn get(&mut self) -> WResult<credentials::Configured> {
        let declared_session = self.grants.has_credential(Kind::Session);
        let declared_api = self.grants.has_credential(Kind::Api);
        if !declared_session && !declared_api {
            return Ok(credentials::Configured {
                session: false,
                api: false,
                preferred: types::Credential::Session,
            });
        }
        let creds = self.ctx.credentials().map_err(Stop::Host)?;
        Ok(credentials::Configured {
            session: declared_session && creds.session.is_some(),
            api: declared_api && creds.api.is_some(),
            preferred: wit_credential(creds.preferred),
        })
    }
}

impl settings::Host for HostState {
    fn get(&mut self, name: String) -> WResult<Option<String>> {
        let value =
            crate::config::plugin_setting(&self.grants.plugin, &name).map_err(Stop::Host)?;
        let secrets = self.secrets()?;
        Ok(value.map(|v| secrets.redact_str(&v)))
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
        match block_on_deadline(&self.ctx, self.deadline, sent)? {
            Ok(incoming) => Ok(Ok(self.response_resource(incoming)?)),
            Err(e) => Ok(Err(self.net_error(e)?)),
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

    fn wait_any(&mut self, requests: Vec<Resource<PendingHandle>>) -> WResult<u32> {
        if requests.is_empty() {
            return Err(Stop::Host(crate::error::Error::PluginFailed {
                plugin: self.grants.plugin.clone(),
                reason: "called wait-any with no requests".into(),
                stderr_tail: String::new(),
            })
            .into());
        }
        let done = self.pending_done.clone();
        loop {
            let notified = done.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            for (i, r) in requests.iter().enumerate() {
                if self.table().get(r)?.is_ready() {
                    return Ok(i as u32);
                }
            }
            block_on_deadline(&self.ctx, self.deadline, notified)?;
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
            let chunk = match block_on_deadline(&ctx, deadline, handle.body.next_chunk())? {
                Ok(chunk) => chunk,
                Err(e) => return Ok(Err(self.net_error(e)?)),
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
        let bytes = match block_on_deadline(&ctx, deadline, handle.body.read_all())? {
            Ok(bytes) => bytes,
            Err(e) => return Ok(Err(self.net_error(e)?)),
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
        let task = match std::mem::replace(self.table().get_mut(&r)?, PendingHandle::Taken) {
            PendingHandle::Running(task, _) => task,
            PendingHandle::Failed(e) => return Ok(Err(e)),
            PendingHandle::Taken => {
                return Ok(Err(http::Error::Transport(
                    "this request was already waited for".into(),
                )));
            }
        };
        let joined = block_on_deadline(&ctx, deadline, task)?;
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

impl terminal::Host for HostState {
    fn info(&mut self) -> WResult<terminal::TerminalInfo> {
        let t = self.ctx.terminal;
        Ok(terminal::TerminalInfo {
            stdout_is_tty: t.stdout_tty,
            stderr_is_tty: t.stderr_tty,
            stdin_is_tty: t.stdin_tty,
            color: t.color,
            width: t.width,
        })
    }

    fn write(&mut self, to: terminal::Channel, bytes: Vec<u8>) -> WResult<()> {
        let channel = match to {
            terminal::Channel::Stdout => Channel::Stdout,
            terminal::Channel::Stderr => Channel::Stderr,
        };
        self.output.write(channel, &bytes).map_err(Stop::from)?;
        Ok(())
    }

    fn sleep_ms(&mut self, ms: u64) -> WResult<()> {
        let duration = std::time::Duration::from_millis(ms);
        // The timer must be created inside the runtime, hence the async block.
        block_on_deadline(&self.ctx, self.deadline, async move {
            tokio::time::sleep(duration).await
        })?;
        Ok(())
    }
}

/// Progress bars a plugin may hold at once: each one draws on the terminal.
pub const MAX_PROGRESS_BARS: usize = 8;
/// The longest progress message shown, in characters.
pub const MAX_PROGRESS_MESSAGE_CHARS: usize = 200;

/// A progress message as the host draws it: control characters escaped,
/// length capped.
fn progress_message(message: &str) -> String {
    crate::sanitize::escape_and_cap(message, MAX_PROGRESS_MESSAGE_CHARS)
}

impl terminal::HostProgress for HostState {
    fn new(&mut self, message: String, total: Option<u64>) -> WResult<Resource<ProgressHandle>> {
        if self.progress_bars >= MAX_PROGRESS_BARS {
            return Err(Stop::Host(crate::error::Error::PluginFailed {
                plugin: self.grants.plugin.clone(),
                reason: format!(
                    "opened more than {MAX_PROGRESS_BARS} progress bars at once (finish one before starting another)"
                ),
                stderr_tail: self.output.stderr_tail(),
            })
            .into());
        }
        let bar = if self.ctx.terminal.stderr_tty {
            let bar = match total {
                Some(n) => indicatif::ProgressBar::new(n),
                None => indicatif::ProgressBar::new_spinner(),
            };
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_message(progress_message(&message));
        let handle = self.table().push(ProgressHandle { bar })?;
        self.progress_bars += 1;
        Ok(handle)
    }

    fn set_message(&mut self, r: Resource<ProgressHandle>, message: String) -> WResult<()> {
        self.table()
            .get(&r)?
            .bar
            .set_message(progress_message(&message));
        Ok(())
    }

    fn inc(&mut self, r: Resource<ProgressHandle>, delta: u64) -> WResult<()> {
        self.table().get(&r)?.bar.inc(delta);
        Ok(())
    }

    fn finish(&mut self, r: Resource<ProgressHandle>) -> WResult<()> {
        self.table().get(&r)?.bar.finish_and_clear();
        Ok(())
    }

    fn drop(&mut self, r: Resource<ProgressHandle>) -> WResult<()> {
        self.table().delete(r)?.bar.finish_and_clear();
        self.progress_bars = self.progress_bars.saturating_sub(1);
        Ok(())
    }
}

impl stdin::Host for HostState {
    fn read_all(&mut self) -> WResult<Result<Vec<u8>, String>> {
        self.grants.check_stdin().map_err(Stop::Host)?;
        let read = self.ctx.rt.spawn_blocking(|| {
            read_all_bounded(
                std::io::stdin().lock(),
                crate::capabilities::MAX_STDIN_BYTES,
            )
        });
        let ctx = Arc::clone(&self.ctx);
        Ok(block_on_deadline(&ctx, self.deadline, read)?.unwrap_or_else(|e| Err(e.to_string())))
    }

    fn read_line(&mut self) -> WResult<Result<Option<String>, String>> {
        self.grants.check_stdin().map_err(Stop::Host)?;
        let read = self.ctx.rt.spawn_blocking(|| {
            read_line_bounded(
                std::io::stdin().lock(),
                crate::capabilities::MAX_STDIN_LINE_BYTES,
            )
        });
        let ctx = Arc::clone(&self.ctx);
        Ok(block_on_deadline(&ctx, self.deadline, read)?.unwrap_or_else(|e| Err(e.to_string())))
    }
}

const MIB: u64 = 1024 * 1024;

fn size_text(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// All of `input`, unless it is longer than `max` bytes.
fn read_all_bounded(input: impl Read, max: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    input
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "stdin is larger than the {} a plugin may read; pass a smaller input",
            size_text(max)
        ));
    }
    Ok(bytes)
}

/// The next line of `input` without its line ending (`None` at the end),
/// unless it is longer than `max` bytes.
fn read_line_bounded(input: impl BufRead, max: u64) -> Result<Option<String>, String> {
    let mut line = Vec::new();
    // Room for the longest allowed line and its `\r\n`.
    let read = input
        .take(max.saturating_add(2))
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if read == 0 {
        return Ok(None);
    }
    for ending in [b'\n', b'\r'] {
        if line.last() == Some(&ending) {
            line.pop();
        }
    }
    if line.len() as u64 > max {
        return Err(format!(
            "a line of stdin is longer than the {} a plugin may read at once",
            size_text(max)
        ));
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| "a line of stdin is not valid UTF-8".to_string())
}

impl storage::Host for HostState {
    fn get(&mut self, key: String) -> WResult<Result<Option<Vec<u8>>, String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.get(&key))
    }

    fn set(&mut self, key: String, value: Vec<u8>) -> WResult<Result<(), String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.set(&key, &value))
    }

    fn append(&mut self, key: String, value: Vec<u8>) -> WResult<Result<(), String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.append(&key, &value))
    }

    fn delete(&mut self, key: String) -> WResult<Result<bool, String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.delete(&key))
    }

    fn keys(&mut self, prefix: String) -> WResult<Result<Vec<String>, String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.keys(&prefix))
    }

    fn acquire_lock(&mut self, name: String) -> WResult<Result<Resource<LockHandle>, String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        match self.store.lock(&name) {
            Ok(lock) => Ok(Ok(self.table().push(LockHandle { _lock: lock })?)),
            Err(e) => Ok(Err(e)),
        }
    }
}

impl storage::HostLock for HostState {
    fn drop(&mut self, r: Resource<LockHandle>) -> WResult<()> {
        self.table().delete(r)?;
        Ok(())
    }
}

#[cfg(test)]
mod stdin_tests {
    use super::*;

    #[test]
    fn stdin_is_read_up_to_its_limit() {
        assert_eq!(read_all_bounded(&b"12345"[..], 5).unwrap(), b"12345");
        assert_eq!(
            read_all_bounded(&[0u8; 2 * MIB as usize + 1][..], 2 * MIB).unwrap_err(),
            "stdin is larger than the 2 MiB a plugin may read; pass a smaller input"
        );
    }

    #[test]
    fn a_line_of_stdin_is_read_up_to_its_limit() {
        let mut input = &b"12345\r\n1234\n123456\nlast"[..];
        assert_eq!(read_line_bounded(&mut input, 5).unwrap().unwrap(), "12345");
        assert_eq!(read_line_bounded(&mut input, 5).unwrap().unwrap(), "1234");
        assert_eq!(
            read_line_bounded(&mut input, 5).unwrap_err(),
            "a line of stdin is longer than the 5 bytes a plugin may read at once"
        );
        assert_eq!(read_line_bounded(&mut input, 5).unwrap().unwrap(), "last");
        assert_eq!(read_line_bounded(&mut input, 5).unwrap(), None);
    }
}
