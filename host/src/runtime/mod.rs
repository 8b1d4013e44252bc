//! The plugin runtime: one engine, the compiled-code cache, the linker with
//! exactly the granted interfaces, and the limits around a call.
//!
//! Limits: memory (a resource limiter: the sum of all linear memories and
//! tables, and how many instances, memories and tables there are), CPU time
//! (`cpu_budget`), a wall-clock deadline, the output limit, HTTP requests in
//! flight, and resource handles held. CPU and deadline are kept around the
//! call, not inside the plugin's code: the plugin runs on its own thread while
//! the host waits for it, looking at the thread's CPU clock, and every
//! blocking host call is bounded by the same deadline. So there is no fuel or
//! epoch instrumentation slowing the plugin down. Any limit ends the plugin
//! with a one-line reason naming it; the host stays in control.

mod cache;
mod code_image;
mod cpu_budget;
mod engine_config;
mod host;
mod interrupt;
mod limits;
mod linking;
mod named_files;
mod outcome;
mod output_files;
mod v0_1;
mod wasi;

pub use cache::Outcome;

use crate::api_versions::api_binding;
use cpu_budget::{CpuBudget, ThreadClock, Waited};
use limits::{Limiter, deadline_after};
use outcome::{command_error, cpu_limit, print_result, time_limit, trap_error};

use crate::capabilities::{self, Grants};
use crate::error::{Error, Result};
use crate::invocation::Parsed;
use crate::log;
use crate::output::{Output, OutputError, Terminal};
use crate::registry::PluginEntry;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

/// The newest plugin API (`wit/plugin.wit`), implemented in `host.rs`.
pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        world: "plugin",
        path: "../wit",
        imports: { default: trappable },
        with: {
            "kagi:plugin/http.response": crate::runtime::host::ResponseHandle,
            "kagi:plugin/http.pending": crate::runtime::host::PendingHandle,
            "kagi:plugin/terminal.progress": crate::runtime::host::ProgressHandle,
            "kagi:plugin/storage.lock": crate::runtime::host::LockHandle,
        },
    });
}

/// API 0.1.0 (`wit/since_v0.1.0`), delegating to the newest in `v0_1.rs`;
/// its resources are the same handles.
pub(crate) mod bindings_v0_1 {
    wasmtime::component::bindgen!({
        world: "plugin",
        path: "../wit/since_v0.1.0",
        imports: { default: trappable },
        with: {
            "kagi:plugin/http.response": crate::runtime::host::ResponseHandle,
            "kagi:plugin/http.pending": crate::runtime::host::PendingHandle,
            "kagi:plugin/terminal.progress": crate::runtime::host::ProgressHandle,
            "kagi:plugin/storage.lock": crate::runtime::host::LockHandle,
        },
    });
}

use bindings::exports::kagi::plugin::command as command_api;

/// What a command returned, in the newest API's terms.
type CommandResult = std::result::Result<Option<String>, command_api::Error>;

/// The binding a plugin runs with, picked by its stamped API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    V0_1,
    Newest,
}

impl Api {
    fn for_manifest(manifest: &kagi_manifest::Manifest) -> Api {
        match api_binding(&manifest.api) {
            Some("0.1.0") => Api::V0_1,
            _ => Api::Newest,
        }
    }

    fn version(self) -> &'static str {
        match self {
            Api::V0_1 => "0.1.0",
            Api::Newest => kagi_manifest::API_VERSION,
        }
    }

    /// Adds the allowed WASI and this version's interfaces to `linker`: the
    /// granted ones, and stand-ins that deny for the others the component imports.
    fn link(
        self,
        linker: &mut Linker<HostState>,
        engine: &Engine,
        component: &wasmtime::component::Component,
        grants: &Grants,
    ) -> wasmtime::Result<()> {
        wasi::add_to_linker(linker)?;
        linking::link_granted(linker, self == Api::Newest, grants)?;
        linking::link_denied(linker, engine, component, grants)
    }

    /// Instantiates the plugin and runs one command.
    fn run(
        self,
        store: &mut Store<HostState>,
        component: &wasmtime::component::Component,
        linker: &Linker<HostState>,
        invocation: &command_api::Invocation,
        instantiated: &mut Duration,
    ) -> wasmtime::Result<CommandResult> {
        let started = Instant::now();
        match self {
            Api::V0_1 => {
                let plugin = bindings_v0_1::Plugin::instantiate(&mut *store, component, linker)?;
                *instantiated = started.elapsed();
                let result = plugin
                    .kagi_plugin_command()
                    .call_run(store, &v0_1::invocation(invocation))?;
                Ok(result.map(|()| None).map_err(v0_1::command_error))
            }
            Api::Newest => {
                let plugin = bindings::Plugin::instantiate(&mut *store, component, linker)?;
                *instantiated = started.elapsed();
                plugin.kagi_plugin_command().call_run(store, invocation)
            }
        }
    }
}

/// Why the host stopped a plugin from inside a host call.
#[derive(Debug)]
pub enum Stop {
    /// A denial or a host-side error the user must see as it is.
    Host(Error),
    /// The wall-clock limit passed while the plugin waited in the host.
    TimedOut,
    OutputLimit(u64),
    /// stdout was closed by its reader; not an error.
    OutputClosed,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Host(e) => write!(f, "{e}"),
            Stop::TimedOut => f.write_str("wall-clock limit reached"),
            Stop::OutputLimit(n) => write!(f, "output limit of {n} bytes reached"),
            Stop::OutputClosed => f.write_str("stdout was closed"),
        }
    }
}

impl std::error::Error for Stop {}

impl From<OutputError> for Stop {
    fn from(e: OutputError) -> Stop {
        match e {
            OutputError::LimitExceeded(n) => Stop::OutputLimit(n),
            OutputError::Closed => Stop::OutputClosed,
            OutputError::Failed(e) => {
                Stop::Host(Error::Output(format!("cannot write to stdout: {e}")))
            }
        }
    }
}

/// What the host offers every plugin run: the async runtime for I/O,
/// credentials (loaded only if a plugin asks), where storage lives.
pub struct HostContext {
    pub rt: tokio::runtime::Runtime,
    pub data_dir: PathBuf,
    pub terminal: Terminal,
    net: OnceLock<Result<Arc<crate::net::Net>>>,
    credentials: OnceLock<Result<crate::auth::Credentials>>,
    /// Time spent waiting in the host for I/O (network, sleep, stdin), for the timing log.
    waited_ns: std::sync::atomic::AtomicU64,
    load_credentials: Box<dyn Fn() -> Result<crate::auth::Credentials> + Send + Sync>,
}

impl HostContext {
    pub fn new(
        data_dir: PathBuf,
        load_credentials: Box<dyn Fn() -> Result<crate::auth::Credentials> + Send + Sync>,
    ) -> Result<HostContext> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the I/O runtime: {e}")))?;
        Ok(HostContext {
            rt,
            data_dir,
            terminal: Terminal::detect(),
            net: OnceLock::new(),
            credentials: OnceLock::new(),
            waited_ns: std::sync::atomic::AtomicU64::new(0),
            load_credentials,
        })
    }

    /// The HTTP client, created on first use (a plugin that never makes a
    /// request never reads the base-URL variables).
    pub fn net(&self) -> Result<Arc<crate::net::Net>> {
        self.net
            .get_or_init(|| {
                let _guard = self.rt.enter();
                crate::net::Net::new(crate::net::Bases::from_env()?).map(Arc::new)
            })
            .clone()
    }

    /// The credentials, loaded on first use.
    pub fn credentials(&self) -> Result<crate::auth::Credentials> {
        self.credentials
            .get_or_init(|| (self.load_credentials)())
            .clone()
    }
}

/// Per-run state of one plugin instance.
pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    limiter: Limiter,
    pub(crate) grants: Grants,
    pub(crate) ctx: Arc<HostContext>,
    pub(crate) output: Output,
    pub(crate) deadline: Option<Instant>,
    /// The run's CPU budget, which a sleep gives back to.
    pub(crate) cpu: Arc<CpuBudget>,
    pub(crate) store: crate::storage::Store,
    pub(crate) pending_done: Arc<tokio::sync::Notify>,
    /// Progress bars the plugin holds (bounded by `host::terminal::MAX_PROGRESS_BARS`).
    pub(crate) progress_bars: usize,
    /// The files the user named, read before the plugin ran.
    pub(crate) files: Arc<[named_files::NamedFile]>,
    /// The files the user named for the plugin to write, checked.
    pub(crate) outputs: Arc<[output_files::OutputFile]>,
    /// The configured secrets, once a host call needed them.
    pub(crate) secrets: Option<Arc<crate::secrets::Secrets>>,
    /// The translate session, minted on the run's first request that asks for it.
    pub(crate) translate_session: Arc<crate::net::translate_session::TranslateSession>,
    /// Time spent redacting response bodies, for the timing log.
    pub(crate) redaction: Duration,
    /// One permit per HTTP request in flight (see `MAX_IN_FLIGHT_REQUESTS`).
    pub(crate) http_slots: Arc<tokio::sync::Semaphore>,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl HostState {
    pub(crate) fn table(&mut self) -> &mut ResourceTable {
        &mut self.table
    }
}

pub struct Runtime {
    engine: Engine,
    cache: cache::CodeCache,
}

impl Runtime {
    pub fn new(cache_dir: &Path) -> Result<Runtime> {
        let engine = engine_config::engine_config(crate::registry::TARGET)
            .and_then(|config| Engine::new(&config))
            .map_err(|e| Error::Config(format!("cannot start the WebAssembly engine: {e}")))?;
        Ok(Runtime {
            engine,
            cache: cache::CodeCache::new(cache_dir),
        })
    }

    /// Compiles or loads a plugin's component. Exposed for tests and benchmarks.
    ///
    /// A built-in plugin comes with the code build.rs compiled for it: that
    /// is used as it is, and the plugin is compiled (and cached) only if this
    /// engine rejects it.
    pub fn load(&self, entry: &PluginEntry) -> Result<(wasmtime::component::Component, Outcome)> {
        let name = entry.name().to_string();
        if let crate::registry::Source::Builtin(builtin) = &entry.source
            && let Some(component) = self.load_precompiled(&name, builtin)
        {
            return Ok((component, Outcome::Precompiled));
        }
        let wasm = entry.wasm()?;
        self.cache
            .load(&self.engine, &name, &wasm)
            .map_err(|e| Error::PluginDenied {
                plugin: name,
                reason: format!("is not a valid component: {e}"),
            })
    }

    /// A built-in's ahead-of-time compiled code, if it has some and this
    /// engine accepts it.
    fn load_precompiled(
        &self,
        name: &str,
        builtin: &crate::registry::Builtin,
    ) -> Option<wasmtime::component::Component> {
        let started = Instant::now();
        let loaded = |component: wasmtime::component::Component,
                      size: usize,
                      unpacked: Duration| {
            log::debug(&format!(
                "plugin {name}: loaded the code compiled when kagi was built ({} KiB: unpack {:.1} ms, deserialize {:.1} ms)",
                size / 1024,
                unpacked.as_secs_f64() * 1000.0,
                (started.elapsed() - unpacked).as_secs_f64() * 1000.0
            ));
            component
        };
        // SAFETY (both deserialize calls): the code was produced by
        // `Engine::precompile_component` when this binary was built and is
        // part of it (read-only data), so it is as trusted as the binary;
        // wasmtime still checks version and configuration and errors on a
        // mismatch. The memory file is ours alone and never written again.
        #[cfg(target_os = "linux")]
        if let Ok(file) = code_image::unpack_to_memory_file(builtin.precompiled_packed()?) {
            let (unpacked, size) = (started.elapsed(), file.metadata().map_or(0, |m| m.len()));
            let path = code_image::path_of(&file);
            match unsafe { wasmtime::component::Component::deserialize_file(&self.engine, path) } {
                Ok(component) => return Some(loaded(component, size as usize, unpacked)),
                // Without /proc, say; the buffer below tells a rejection.
                Err(e) => log::debug(&format!(
                    "plugin {name}: could not map the code from memory ({e}); unpacking it into a buffer"
                )),
            }
        }
        let code = builtin.precompiled()?;
        let unpacked = started.elapsed();
        match unsafe { wasmtime::component::Component::deserialize(&self.engine, &code) } {
            Ok(component) => Some(loaded(component, code.len(), unpacked)),
            Err(e) => {
                log::debug(&format!(
                    "plugin {name}: the engine rejects the code compiled when kagi was built ({e}); compiling it"
                ));
                None
            }
        }
    }

    /// Runs one command of a plugin.
    pub fn run(
        &self,
        entry: &PluginEntry,
        mut grants: Grants,
        parsed: &Parsed,
        ctx: Arc<HostContext>,
    ) -> Result<()> {
        let name = entry.name().to_string();
        capabilities::check_api(&entry.manifest)?;
        // What the user named on the command line, before any plugin code runs.
        for d in &parsed.destinations {
            grants.grant_destination(&d.flag, &d.value)?;
        }
        let files: Arc<[named_files::NamedFile]> = named_files::read_all(&parsed.files)?.into();
        let outputs: Arc<[output_files::OutputFile]> =
            output_files::check_all(&parsed.outputs)?.into();
        let started = Instant::now();
        let (component, _) = self.load(entry)?;
        let loaded = started.elapsed();
        let imports: Vec<String> = component
            .component_type()
            .imports(&self.engine)
            .map(|(import, _)| import.to_string())
            .collect();
        capabilities::check_imports(&name, imports.iter().map(String::as_str))?;

        let api = Api::for_manifest(&entry.manifest);
        log::debug(&format!("plugin {name}: plugin API {}", api.version()));
        let mut linker: Linker<HostState> = Linker::new(&self.engine);
        api.link(&mut linker, &self.engine, &component, &grants)
            .map_err(|e| Error::PluginFailed {
                plugin: name.clone(),
                reason: format!("could not be linked: {e}"),
                stderr_tail: String::new(),
            })?;

        let limits = grants.limits.clone();
        let output = Output::new(capabilities::MAX_OUTPUT_BYTES, &ctx.terminal);
        let deadline = deadline_after(limits.timeout);
        let cpu = Arc::new(CpuBudget::new(limits.cpu));
        let mut table = ResourceTable::new();
        table.set_max_capacity(capabilities::MAX_HANDLES);
        let io = Arc::clone(&ctx);
        let state = HostState {
            wasi: wasi::context(&output),
            table,
            limiter: Limiter::new(limits.memory_bytes),
            store: crate::storage::Store::new(&ctx.data_dir, &name),
            grants,
            ctx,
            output: output.clone(),
            deadline,
            cpu: Arc::clone(&cpu),
            pending_done: Arc::new(tokio::sync::Notify::new()),
            progress_bars: 0,
            secrets: None,
            files: files.clone(),
            outputs,
            translate_session: Arc::default(),
            redaction: Duration::ZERO,
            http_slots: Arc::new(tokio::sync::Semaphore::new(
                capabilities::MAX_IN_FLIGHT_REQUESTS,
            )),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limiter);

        log::debug(&format!("plugin {name}: instantiating"));
        let invocation = command_api::Invocation {
            command: parsed.path.clone(),
            args: parsed
                .args
                .iter()
                .map(|(n, v)| command_api::Arg {
                    name: n.clone(),
                    values: v.clone(),
                })
                .collect(),
            files: files
                .iter()
                .map(|f| command_api::NamedFile {
                    arg: f.arg.clone(),
                    name: f.name.clone(),
                    content_type: f.content_type.clone(),
                    size: f.data.len() as u64,
                })
                .collect(),
        };
        // The plugin runs on its own thread; this one keeps the deadline.
        let (done, finished) = std::sync::mpsc::channel();
        let thread_name = name.clone();
        // The format a structured result is rendered in (see `print_result`).
        let format: Option<String> = parsed
            .args
            .iter()
            .find(|(n, _)| n == "format")
            .and_then(|(_, v)| v.first().cloned());
        let (thread_limits, thread_output) = (limits.clone(), output.clone());
        let call = move || {
            let (name, limits, output) = (thread_name, thread_limits, thread_output);
            let before_instantiate = Instant::now();
            let mut instantiated = Duration::ZERO;
            let result = api.run(
                &mut store,
                &component,
                &linker,
                &invocation,
                &mut instantiated,
            );
            let ran = before_instantiate.elapsed().saturating_sub(instantiated);
            let waited = Duration::from_nanos(
                store
                    .data()
                    .ctx
                    .waited_ns
                    .load(std::sync::atomic::Ordering::Relaxed),
            );
            log::debug(&format!(
                "plugin {name}: took {:.1} ms: load {:.1} ms, link {:.1} ms, instantiate {:.1} ms, run {:.1} ms (waiting on I/O {:.1} ms)",
                ms(started.elapsed()),
                ms(loaded),
                ms(before_instantiate
                    .duration_since(started)
                    .saturating_sub(loaded)),
                ms(instantiated),
                ms(ran),
                ms(waited)
            ));
            log::debug(&format!(
                "plugin {name}: redacting secrets took {:.3} ms",
                ms(store.data().redaction)
            ));
            let memory_hit = store.data().limiter.hit;
            if let Some(used) = ThreadClock::current().read() {
                log::debug(&format!("plugin {name}: used {:.1} ms of CPU", ms(used)));
            }
            let outcome = match result {
                Ok(Ok(None)) => Ok(()),
                Ok(Ok(Some(value))) => print_result(&name, &value, format.as_deref(), &output),
                Ok(Err(e)) => Err(command_error(&name, e, &output)),
                Err(e) => trap_error(&name, e, &limits, memory_hit, &output),
            };
            // A command that fails after Ctrl-C was interrupted, whatever it
            // made of the interrupted call.
            let outcome = match outcome {
                Err(e) if interrupt::pending() && !matches!(e, Error::PluginDenied { .. }) => {
                    Err(Error::Interrupted)
                }
                outcome => outcome,
            };
            let _ = done.send(outcome);
        };
        // Ctrl-C interrupts the plugin's waits from now on (see `interrupt`).
        let _catching_ctrl_c = interrupt::catch_while_running(&io.rt);
        let spawned = std::thread::Builder::new()
            .name(format!("plugin {name}"))
            // Room for the plugin's wasm stack (1 MiB) plus the host's frames.
            .stack_size(16 << 20)
            .spawn(call);
        let thread = match spawned {
            Ok(thread) => thread,
            Err(e) => {
                return Err(Error::PluginFailed {
                    plugin: name,
                    reason: format!("could not be started: {e}"),
                    stderr_tail: String::new(),
                });
            }
        };
        let clock = ThreadClock::of(&thread);
        match cpu_budget::wait_for(&finished, deadline, &cpu, clock.as_ref()) {
            Waited::Done(outcome) => outcome,
            // The plugin is still computing: report it and let the process
            // end (and the plugin's thread with it), with the terminal as
            // it was if the line editor was reading.
            stopped @ (Waited::PastDeadline | Waited::OutOfCpu) => {
                interrupt::restore_terminal();
                let reason = match stopped {
                    Waited::PastDeadline => time_limit(&limits),
                    _ => cpu_limit(&limits),
                };
                Err(Error::PluginFailed {
                    plugin: name,
                    reason,
                    stderr_tail: output.stderr_tail(),
                })
            }
            Waited::Vanished => Err(Error::PluginFailed {
                plugin: name,
                reason: "stopped without a result (an internal error in kagi; please report it)"
                    .into(),
                stderr_tail: output.stderr_tail(),
            }),
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Waits for `fut` in the host's runtime, bounded by the plugin's deadline,
/// and counts the time as I/O.
pub(crate) fn block_on_deadline<F: std::future::Future>(
    ctx: &HostContext,
    deadline: Option<Instant>,
    fut: F,
) -> Result<F::Output, Stop> {
    let started = Instant::now();
    let result = wait(ctx, deadline, fut);
    let waited = started.elapsed().as_nanos() as u64;
    ctx.waited_ns
        .fetch_add(waited, std::sync::atomic::Ordering::Relaxed);
    result
}

fn wait<F: std::future::Future>(
    ctx: &HostContext,
    deadline: Option<Instant>,
    fut: F,
) -> Result<F::Output, Stop> {
    match deadline {
        None => Ok(ctx.rt.block_on(fut)),
        Some(at) => {
            let remaining = at.saturating_duration_since(Instant::now());
            if remaining == Duration::ZERO {
                return Err(Stop::TimedOut);
            }
            ctx.rt
                .block_on(async { tokio::time::timeout(remaining, fut).await })
                .map_err(|_| Stop::TimedOut)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{BUILTINS, PluginEntry};

    fn builtin_entry(builtin: &'static crate::registry::Builtin) -> PluginEntry {
        PluginEntry::builtin(builtin).unwrap()
    }

    #[test]
    fn built_in_plugins_load_the_code_compiled_at_build_time() {
        let cache = tempfile::tempdir().unwrap();
        let runtime = Runtime::new(cache.path()).unwrap();
        for builtin in BUILTINS {
            let (_, outcome) = runtime.load(&builtin_entry(builtin)).unwrap();
            assert_eq!(outcome, Outcome::Precompiled, "{}", builtin.sha256);
        }
        assert!(
            !cache.path().join("compiled").exists(),
            "nothing was cached"
        );
    }

    #[test]
    fn precompiled_code_the_engine_rejects_is_compiled_and_cached_instead() {
        let cache = tempfile::tempdir().unwrap();
        let runtime = Runtime::new(cache.path()).unwrap();
        // Well-formed LZ4, but not code this engine produced.
        let junk = lz4::block::compress(b"\x7fELF not wasmtime's", None, true).unwrap();
        let builtin: &'static _ = Box::leak(Box::new(
            BUILTINS[0].with_precompiled(Some(Box::leak(junk.into_boxed_slice()))),
        ));
        let entry = builtin_entry(builtin);
        assert_eq!(runtime.load(&entry).unwrap().1, Outcome::Compiled);
        assert_eq!(runtime.load(&entry).unwrap().1, Outcome::Hit);
        // Without embedded code (a target build.rs could not compile for).
        let bare: &'static _ = Box::leak(Box::new(BUILTINS[1].with_precompiled(None)));
        assert_eq!(
            runtime.load(&builtin_entry(bare)).unwrap().1,
            Outcome::Compiled
        );
    }
}
