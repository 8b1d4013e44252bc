//! The `kagi:plugin` interfaces as the host implements them. Every call that
//! reaches outside the sandbox asks `capabilities::Grants` first; a denial
//! stops the plugin (it does not get to probe).

use super::bindings::kagi::plugin::{credentials, http, settings, stdin, storage, terminal, types};
use super::{HostState, Stop, block_on_deadline};
use crate::auth::Kind;
use crate::log;
use crate::net::{self, Incoming, NetError, Outgoing};
use crate::output::Channel;
use std::io::{BufRead, Read};
use std::sync::Arc;
use wasmtime::component::Resource;

type WResult<T> = wasmtime::Result<T>;

/// A response whose body the plugin is pulling.
pub struct ResponseHandle {
    status: u16,
    headers: Vec<(String, String)>,
    url: String,
    body: net::BodyReader,
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

fn net_error(e: NetError) -> http::Error {
    match e {
        NetError::Timeout(m) => http::Error::Timeout(m),
        NetError::Connect(m) => http::Error::Connect(m),
        NetError::Transport(m) => http::Error::Transport(m),
        NetError::TooLarge(m) => http::Error::TooLarge(m),
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
                let service = match s {
                    http::Service::Kagi => net::Service::Kagi,
                    http::Service::News => net::Service::News,
                    http::Service::Translate => net::Service::Translate,
                };
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
                let credentials = self.ctx.credentials().map_err(Stop::Host)?;
                match credentials.get(k) {
                    Some(secret) => Some((k, secret.clone())),
                    None => return Ok(Err(http::Error::MissingCredential(c))),
                }
            }
        };
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
            allowed: self.grants.host_check(&net.bases),
        }))
    }

    fn response_resource(&mut self, incoming: Incoming) -> WResult<Resource<ResponseHandle>> {
        log::debug(&format!(
            "plugin {}: HTTP {} from {}",
            self.grants.plugin, incoming.status, incoming.url
        ));
        Ok(self.table().push(ResponseHandle {
            status: incoming.status,
            headers: incoming.headers,
            url: incoming.url.to_string(),
            body: incoming.body,
        })?)
    }

    fn spawn(&mut self, outgoing: Outgoing) -> WResult<PendingHandle> {
        let net = self.ctx.net().map_err(Stop::Host)?;
        let notify = self.pending_done.clone();
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        let task = self.ctx.rt.spawn(async move {
            let result = net.send(outgoing).await;
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
        Ok(crate::config::plugin_setting(&self.grants.plugin, &name).map_err(Stop::Host)?)
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
        match block_on_deadline(&self.ctx, self.deadline, net.send(outgoing))? {
            Ok(incoming) => Ok(Ok(self.response_resource(incoming)?)),
            Err(e) => Ok(Err(net_error(e))),
        }
    }

    fn start(&mut self, request: http::Request) -> WResult<Resource<PendingHandle>> {
        let handle = match self.prepare(request)? {
            Ok(outgoing) => self.spawn(outgoing)?,
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
        let handle = self.table().get_mut(&r)?;
        Ok(block_on_deadline(&ctx, deadline, handle.body.next_chunk())?.map_err(net_error))
    }

    fn read_all(&mut self, r: Resource<ResponseHandle>) -> WResult<Result<Vec<u8>, http::Error>> {
        let ctx = self.ctx.clone();
        let deadline = self.deadline;
        let handle = self.table().get_mut(&r)?;
        Ok(block_on_deadline(&ctx, deadline, handle.body.read_all())?.map_err(net_error))
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
            Ok(Err(e)) => Ok(Err(net_error(e))),
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

impl terminal::HostProgress for HostState {
    fn new(&mut self, message: String, total: Option<u64>) -> WResult<Resource<ProgressHandle>> {
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
        bar.set_message(message);
        Ok(self.table().push(ProgressHandle { bar })?)
    }

    fn set_message(&mut self, r: Resource<ProgressHandle>, message: String) -> WResult<()> {
        self.table().get(&r)?.bar.set_message(message);
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
        Ok(())
    }
}

impl stdin::Host for HostState {
    fn read_all(&mut self) -> WResult<Result<Vec<u8>, String>> {
        self.grants.check_stdin().map_err(Stop::Host)?;
        let read = self.ctx.rt.spawn_blocking(|| {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map(|_| bytes)
        });
        let ctx = Arc::clone(&self.ctx);
        Ok(match block_on_deadline(&ctx, self.deadline, read)? {
            Ok(Ok(bytes)) => Ok(bytes),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(e.to_string()),
        })
    }

    fn read_line(&mut self) -> WResult<Result<Option<String>, String>> {
        self.grants.check_stdin().map_err(Stop::Host)?;
        let read = self.ctx.rt.spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map(|n| (n, line))
        });
        let ctx = Arc::clone(&self.ctx);
        Ok(match block_on_deadline(&ctx, self.deadline, read)? {
            Ok(Ok((0, _))) => Ok(None),
            Ok(Ok((_, line))) => Ok(Some(line.trim_end_matches(['\n', '\r']).to_string())),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(e.to_string()),
        })
    }
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
