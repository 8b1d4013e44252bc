//! API 0.1.0, frozen in `wit/since_v0.1.0/`: its host traits convert the old
//! types and call the newest implementation (`host.rs`). Both versions' resources
//! are the same Rust handles, so a handle needs no conversion.

use super::HostState;
use super::bindings::exports::kagi::plugin::command as new_command;
use super::bindings::kagi::plugin as new;
use super::bindings_v0_1::exports::kagi::plugin::command as old_command;
use super::bindings_v0_1::kagi::plugin::{
    credentials, http, settings, stdin, storage, terminal, types,
};
use super::host::{LockHandle, PendingHandle, ProgressHandle, ResponseHandle};
use wasmtime::component::Resource;

type WResult<T> = wasmtime::Result<T>;

fn credential(c: types::Credential) -> new::types::Credential {
    match c {
        types::Credential::Session => new::types::Credential::Session,
        types::Credential::Api => new::types::Credential::Api,
    }
}

fn old_credential(c: new::types::Credential) -> types::Credential {
    match c {
        new::types::Credential::Session => types::Credential::Session,
        new::types::Credential::Api => types::Credential::Api,
        // 0.1 plugins cannot ask for it; it stands on the session anyway.
        new::types::Credential::Translate => types::Credential::Session,
    }
}

fn request(r: http::Request) -> new::http::Request {
    let method = match r.method {
        http::Method::Get => new::http::Method::Get,
        http::Method::Post => new::http::Method::Post,
        http::Method::Put => new::http::Method::Put,
        http::Method::Patch => new::http::Method::Patch,
        http::Method::Delete => new::http::Method::Delete,
        http::Method::Head => new::http::Method::Head,
    };
    let target = match r.target {
        http::Target::Service(s) => new::http::Target::Service(
            match s {
                http::Service::Kagi => "kagi",
                http::Service::News => "news",
                http::Service::Translate => "translate",
            }
            .to_string(),
        ),
        http::Target::Url(url) => new::http::Target::Url(url),
    };
    let class = match r.timeout {
        http::TimeoutClass::Search => "search",
        http::TimeoutClass::Standard => "standard",
        http::TimeoutClass::Streaming => "streaming",
    };
    new::http::Request {
        method,
        target,
        path: r.path,
        query: r.query,
        headers: r.headers,
        // 0.1 bodies are raw bytes; multipart came with 0.2.
        body: r.body.map(new::http::Body::Bytes),
        credential: r.credential.map(credential),
        timeout: new::http::Timeout::Class(class.to_string()),
        follow_redirects: r.follow_redirects,
    }
}

fn http_error(e: new::http::Error) -> http::Error {
    match e {
        new::http::Error::MissingCredential(c) => http::Error::MissingCredential(old_credential(c)),
        new::http::Error::Timeout(m) => http::Error::Timeout(m),
        new::http::Error::Connect(m) => http::Error::Connect(m),
        new::http::Error::Transport(m) => http::Error::Transport(m),
        new::http::Error::TooLarge(m) => http::Error::TooLarge(m),
        // Only the translate credential, which 0.1 plugins cannot ask for, fails so.
        new::http::Error::Auth(m) => http::Error::Transport(m),
        // 0.1 has no such case: an interrupted call failed on the wire.
        new::http::Error::Interrupted => http::Error::Transport("interrupted".into()),
    }
}

/// The invocation as 0.1.0 plugins take it (the same fields).
pub fn invocation(i: &new_command::Invocation) -> old_command::Invocation {
    old_command::Invocation {
        command: i.command.clone(),
        args: i
            .args
            .iter()
            .map(|a| old_command::Arg {
                name: a.name.clone(),
                values: a.values.clone(),
            })
            .collect(),
    }
}

/// A 0.1.0 command error as the newest version says it: `batch` became a
/// failure of class `batch`, exiting 1 as before.
pub fn command_error(e: old_command::Error) -> new_command::Error {
    use new_command::Error as E;
    match e {
        old_command::Error::Usage(m) => E::Usage(m),
        old_command::Error::Config(m) => E::Config(m),
        old_command::Error::Auth(m) => E::Auth(m),
        old_command::Error::Network(m) => E::Network(m),
        old_command::Error::Parse(m) => E::Parse(m),
        old_command::Error::Batch(m) => E::Other(new_command::Failure {
            class: "batch".into(),
            message: m,
            exit_code: 1,
        }),
        old_command::Error::Internal(m) => E::Internal(m),
    }
}

impl types::Host for HostState {}

impl credentials::Host for HostState {
    fn get(&mut self) -> WResult<credentials::Configured> {
        let c = <Self as new::credentials::Host>::get(self)?;
        Ok(credentials::Configured {
            session: c.session,
            api: c.api,
            preferred: old_credential(c.preferred),
        })
    }
}

impl settings::Host for HostState {
    fn get(&mut self, name: String) -> WResult<Option<String>> {
        <Self as new::settings::Host>::get(self, name)
    }
}

impl http::Host for HostState {
    fn send(&mut self, r: http::Request) -> WResult<Result<Resource<ResponseHandle>, http::Error>> {
        Ok(<Self as new::http::Host>::send(self, request(r))?.map_err(http_error))
    }

    fn start(&mut self, r: http::Request) -> WResult<Resource<PendingHandle>> {
        <Self as new::http::Host>::start(self, request(r))
    }

    fn wait_any(&mut self, requests: Vec<Resource<PendingHandle>>) -> WResult<u32> {
        // Without a time limit of its own the wait ends with a ready request
        // (or stops the plugin).
        <Self as new::http::Host>::wait_any(self, requests, None)?
            .ok_or_else(|| wasmtime::Error::msg("wait-any returned with no request ready"))
    }
}

impl http::HostResponse for HostState {
    fn status(&mut self, r: Resource<ResponseHandle>) -> WResult<u16> {
        <Self as new::http::HostResponse>::status(self, r)
    }

    fn headers(&mut self, r: Resource<ResponseHandle>) -> WResult<Vec<(String, String)>> {
        <Self as new::http::HostResponse>::headers(self, r)
    }

    fn url(&mut self, r: Resource<ResponseHandle>) -> WResult<String> {
        <Self as new::http::HostResponse>::url(self, r)
    }

    fn next_chunk(
        &mut self,
        r: Resource<ResponseHandle>,
    ) -> WResult<Result<Option<Vec<u8>>, http::Error>> {
        Ok(<Self as new::http::HostResponse>::next_chunk(self, r)?.map_err(http_error))
    }

    fn read_all(&mut self, r: Resource<ResponseHandle>) -> WResult<Result<Vec<u8>, http::Error>> {
        Ok(<Self as new::http::HostResponse>::read_all(self, r)?.map_err(http_error))
    }

    fn drop(&mut self, r: Resource<ResponseHandle>) -> WResult<()> {
        <Self as new::http::HostResponse>::drop(self, r)
    }
}

impl http::HostPending for HostState {
    fn ready(&mut self, r: Resource<PendingHandle>) -> WResult<bool> {
        <Self as new::http::HostPending>::ready(self, r)
    }

    fn wait(
        &mut self,
        r: Resource<PendingHandle>,
    ) -> WResult<Result<Resource<ResponseHandle>, http::Error>> {
        Ok(<Self as new::http::HostPending>::wait(self, r)?.map_err(http_error))
    }

    fn drop(&mut self, r: Resource<PendingHandle>) -> WResult<()> {
        <Self as new::http::HostPending>::drop(self, r)
    }
}

impl terminal::Host for HostState {
    fn info(&mut self) -> WResult<terminal::TerminalInfo> {
        let t = <Self as new::terminal::Host>::info(self)?;
        Ok(terminal::TerminalInfo {
            stdout_is_tty: t.stdout_is_tty,
            stderr_is_tty: t.stderr_is_tty,
            stdin_is_tty: t.stdin_is_tty,
            color: t.color,
            width: t.width,
        })
    }

    fn write(&mut self, to: terminal::Channel, bytes: Vec<u8>) -> WResult<()> {
        let to = match to {
            terminal::Channel::Stdout => new::terminal::Channel::Stdout,
            terminal::Channel::Stderr => new::terminal::Channel::Stderr,
        };
        <Self as new::terminal::Host>::write(self, to, bytes)
    }

    fn sleep_ms(&mut self, ms: u64) -> WResult<()> {
        <Self as new::terminal::Host>::sleep_ms(self, ms)
    }
}

impl terminal::HostProgress for HostState {
    fn new(&mut self, message: String, total: Option<u64>) -> WResult<Resource<ProgressHandle>> {
        <Self as new::terminal::HostProgress>::new(self, message, total)
    }

    fn set_message(&mut self, r: Resource<ProgressHandle>, message: String) -> WResult<()> {
        <Self as new::terminal::HostProgress>::set_message(self, r, message)
    }

    fn inc(&mut self, r: Resource<ProgressHandle>, delta: u64) -> WResult<()> {
        <Self as new::terminal::HostProgress>::inc(self, r, delta)
    }

    fn finish(&mut self, r: Resource<ProgressHandle>) -> WResult<()> {
        <Self as new::terminal::HostProgress>::finish(self, r)
    }

    fn drop(&mut self, r: Resource<ProgressHandle>) -> WResult<()> {
        <Self as new::terminal::HostProgress>::drop(self, r)
    }
}

impl stdin::Host for HostState {
    fn read_all(&mut self) -> WResult<Result<Vec<u8>, String>> {
        <Self as new::stdin::Host>::read_all(self)
    }

    fn read_line(&mut self) -> WResult<Result<Option<String>, String>> {
        <Self as new::stdin::Host>::read_line(self)
    }
}

impl storage::Host for HostState {
    fn get(&mut self, key: String) -> WResult<Result<Option<Vec<u8>>, String>> {
        <Self as new::storage::Host>::get(self, key)
    }

    fn set(&mut self, key: String, value: Vec<u8>) -> WResult<Result<(), String>> {
        <Self as new::storage::Host>::set(self, key, value)
    }

    fn append(&mut self, key: String, value: Vec<u8>) -> WResult<Result<(), String>> {
        <Self as new::storage::Host>::append(self, key, value)
    }

    fn delete(&mut self, key: String) -> WResult<Result<bool, String>> {
        <Self as new::storage::Host>::delete(self, key)
    }

    fn keys(&mut self, prefix: String) -> WResult<Result<Vec<String>, String>> {
        <Self as new::storage::Host>::keys(self, prefix)
    }

    fn acquire_lock(&mut self, name: String) -> WResult<Result<Resource<LockHandle>, String>> {
        <Self as new::storage::Host>::acquire_lock(self, name)
    }
}

impl storage::HostLock for HostState {
    fn drop(&mut self, r: Resource<LockHandle>) -> WResult<()> {
        <Self as new::storage::HostLock>::drop(self, r)
    }
}
