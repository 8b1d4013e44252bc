//! The plugin runtime: one engine, the compiled-code cache, the linker with
//! exactly the granted interfaces, and the limits around a call.
//!
//! Limits: memory (a resource limiter: the sum of all linear memories and
//! tables, and how many instances, memories and tables there are), CPU (fuel,
//! which does not count time the host spends on I/O), a wall-clock deadline,
//! the output limit, HTTP requests in flight, and resource handles held.
//! The deadline is kept around the call, not inside the plugin's code: the
//! plugin runs on its own thread while the host waits for it with a timeout,
//! and every blocking host call is bounded by the same deadline. So there is
//! no epoch instrumentation slowing the plugin down. Any limit ends the plugin
//! with a one-line reason naming it; the host stays in control.

mod cache;
mod host;
mod wasi;

pub use cache::Outcome;

use crate::capabilities::{self, Grants};
use crate::cli::Parsed;
use crate::error::{Error, Result};
use crate::log;
use crate::output::{Output, OutputError, Terminal};
use crate::registry::PluginEntry;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Config, Engine, ResourceLimiter, Store, Trap};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

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
    pub(crate) store: crate::storage::Store,
    pub(crate) pending_done: Arc<tokio::sync::Notify>,
    /// Progress bars the plugin holds (bounded by `host::MAX_PROGRESS_BARS`).
    pub(crate) progress_bars: usize,
    /// The configured secrets, once a host call needed them.
    pub(crate) secrets: Option<Arc<crate::secrets::Secrets>>,
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

/// What a table element costs: wasmtime stores each as one pointer (see the
/// documentation of `ResourceLimiter::table_growing`).
const TABLE_ELEMENT_BYTES: usize = std::mem::size_of::<usize>();

/// Holds the sum of a plugin's linear memories and tables to the memory limit
/// (a component has several core instances, each may have its own), and caps
/// how many instances, memories and tables it may create.
struct Limiter {
    max_bytes: usize,
    used_bytes: usize,
    /// The last growth allowed, taken back if wasmtime then fails it.
    last_growth: usize,
    hit: bool,
}

impl Limiter {
    fn new(max_bytes: u64) -> Limiter {
        Limiter {
            max_bytes: usize::try_from(max_bytes).unwrap_or(usize::MAX),
            used_bytes: 0,
            last_growth: 0,
            hit: false,
        }
    }

    fn grow(&mut self, extra: usize) -> wasmtime::Result<bool> {
        let total = self.used_bytes.saturating_add(extra);
        if total > self.max_bytes {
            self.hit = true;
            return Err(wasmtime::Error::msg("memory limit reached"));
        }
        self.used_bytes = total;
        self.last_growth = extra;
        Ok(true)
    }

    fn growth_failed(&mut self) {
        self.used_bytes -= std::mem::take(&mut self.last_growth);
    }
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.grow(desired.saturating_sub(current))
    }

    fn memory_grow_failed(&mut self, _error: wasmtime::Error) -> wasmtime::Result<()> {
        self.growth_failed();
        Ok(())
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.grow(
            desired
                .saturating_sub(current)
                .saturating_mul(TABLE_ELEMENT_BYTES),
        )
    }

    fn table_grow_failed(&mut self, _error: wasmtime::Error) -> wasmtime::Result<()> {
        self.growth_failed();
        Ok(())
    }

    fn instances(&self) -> usize {
        capabilities::MAX_INSTANCES
    }

    fn memories(&self) -> usize {
        capabilities::MAX_MEMORIES
    }

    fn tables(&self) -> usize {
        capabilities::MAX_TABLES
    }
}

pub struct Runtime {
    engine: Engine,
    cache: cache::CodeCache,
}

impl Runtime {
    pub fn new(cache_dir: &Path) -> Result<Runtime> {
        let mut config = Config::new();
        config
            .consume_fuel(true)
            .max_wasm_stack(1 << 20)
            .cranelift_opt_level(wasmtime::OptLevel::Speed)
            .parallel_compilation(true);
        let engine = Engine::new(&config)
            .map_err(|e| Error::Config(format!("cannot start the WebAssembly engine: {e}")))?;
        Ok(Runtime {
            engine,
            cache: cache::CodeCache::new(cache_dir),
        })
    }

    /// Compiles or loads a plugin's component. Exposed for tests and benchmarks.
    pub fn load(&self, entry: &PluginEntry) -> Result<(wasmtime::component::Component, Outcome)> {
        let name = entry.name().to_string();
        let wasm = entry.wasm()?;
        self.cache
            .load(&self.engine, &name, &wasm)
            .map_err(|e| Error::PluginDenied {
                plugin: name,
                reason: format!("is not a valid component: {e}"),
            })
    }

    /// Runs one command of a plugin.
    pub fn run(
        &self,
        entry: &PluginEntry,
        grants: Grants,
        parsed: &Parsed,
        ctx: Arc<HostContext>,
    ) -> Result<()> {
        let name = entry.name().to_string();
        capabilities::check_api(&entry.manifest)?;
        let started = Instant::now();
        let (component, _) = self.load(entry)?;
        let loaded = started.elapsed();
        let imports: Vec<String> = component
            .component_type()
            .imports(&self.engine)
            .map(|(import, _)| import.to_string())
            .collect();
        capabilities::check_imports(&name, imports.iter().map(String::as_str))?;

        let mut linker: Linker<HostState> = Linker::new(&self.engine);
        let link = |linker: &mut Linker<HostState>| -> wasmtime::Result<()> {
            wasi::add_to_linker(linker)?;
            bindings::Plugin::add_to_linker::<HostState, wasmtime::component::HasSelf<HostState>>(
                linker,
                |s| s,
            )?;
            refill_fuel_after_sleep(linker)
        };
        link(&mut linker).map_err(|e| Error::PluginFailed {
            plugin: name.clone(),
            reason: format!("could not be linked: {e}"),
            stderr_tail: String::new(),
        })?;

        let limits = grants.limits.clone();
        let output = Output::new(capabilities::MAX_OUTPUT_BYTES, &ctx.terminal);
        let deadline = deadline_after(limits.timeout);
        let mut table = ResourceTable::new();
        table.set_max_capacity(capabilities::MAX_HANDLES);
        let state = HostState {
            wasi: wasi::context(&output),
            table,
            limiter: Limiter::new(limits.memory_bytes),
            store: crate::storage::Store::new(&ctx.data_dir, &name),
            grants,
            ctx,
            output: output.clone(),
            deadline,
            pending_done: Arc::new(tokio::sync::Notify::new()),
            progress_bars: 0,
            secrets: None,
            redaction: Duration::ZERO,
            http_slots: Arc::new(tokio::sync::Semaphore::new(
                capabilities::MAX_IN_FLIGHT_REQUESTS,
            )),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limiter);
        store.set_fuel(limits.fuel).expect("fuel is enabled");

        log::debug(&format!("plugin {name}: instantiating"));
        let invocation = bindings::exports::kagi::plugin::command::Invocation {
            command: parsed.path.clone(),
            args: parsed
                .args
                .iter()
                .map(|(n, v)| bindings::exports::kagi::plugin::command::Arg {
                    name: n.clone(),
                    values: v.clone(),
                })
                .collect(),
        };
        // The plugin runs on its own thread; this one keeps the deadline.
        let (done, finished) = std::sync::mpsc::channel();
        let thread_name = name.clone();
        let (thread_limits, thread_output) = (limits.clone(), output.clone());
        let call = move || {
            let (name, limits, output) = (thread_name, thread_limits, thread_output);
            let before_instantiate = Instant::now();
            let mut instantiated = Duration::ZERO;
            let result =
                bindings::Plugin::instantiate(&mut store, &component, &linker).and_then(|plugin| {
                    instantiated = before_instantiate.elapsed();
                    plugin
                        .kagi_plugin_command()
                        .call_run(&mut store, &invocation)
                });
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
            let fuel_left = store.get_fuel().unwrap_or(0);
            log::debug(&format!(
                "plugin {name}: used {} instructions of fuel (since it last slept)",
                limits.fuel.saturating_sub(fuel_left)
            ));
            let outcome = match result {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(command_error(&name, e, &output)),
                Err(e) => trap_error(&name, e, &limits, memory_hit, &output),
            };
            let _ = done.send(outcome);
        };
        let spawned = std::thread::Builder::new()
            .name(format!("plugin {name}"))
            // Room for the plugin's wasm stack (1 MiB) plus the host's frames.
            .stack_size(16 << 20)
            .spawn(call);
        if let Err(e) = spawned {
            return Err(Error::PluginFailed {
                plugin: name,
                reason: format!("could not be started: {e}"),
                stderr_tail: String::new(),
            });
        }
        let received = match deadline {
            Some(at) => finished.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => finished
                .recv()
                .map_err(|_| std::sync::mpsc::RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(outcome) => outcome,
            // The plugin is still computing: report it and let the process
            // end (and the plugin's thread with it).
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(Error::PluginFailed {
                plugin: name,
                reason: time_limit(&limits),
                stderr_tail: output.stderr_tail(),
            }),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(Error::PluginFailed {
                plugin: name,
                reason: "stopped without a result (an internal error in kagi; please report it)"
                    .into(),
                stderr_tail: output.stderr_tail(),
            }),
        }
    }
}

/// The wall-clock deadline of a run that starts now; `None` without a time
/// limit, or when the limit is too far away to represent (it cannot be reached).
fn deadline_after(timeout: Option<Duration>) -> Option<Instant> {
    timeout.and_then(|t| Instant::now().checked_add(t))
}

/// Replaces `terminal.sleep-ms` with a version that also gives back CPU
/// budget, in proportion to the time actually slept (capped at the budget): a
/// long-running command (`watch`) is not stopped by the sum of its polls,
/// while a loop that never rests, or rests for no time (`sleep-ms(0)`), still
/// is. (It needs the store, which the generated host traits do not get.)
fn refill_fuel_after_sleep(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    use bindings::kagi::plugin::terminal::Host as _;
    linker.allow_shadowing(true);
    let interface = format!("kagi:plugin/terminal@{}", kagi_manifest::API_VERSION);
    linker.instance(&interface)?.func_wrap(
        "sleep-ms",
        |mut store: wasmtime::StoreContextMut<'_, HostState>, (ms,): (u64,)| {
            let started = Instant::now();
            store.data_mut().sleep_ms(ms)?;
            let budget = store.data().grants.limits.fuel;
            let left = store.get_fuel()?;
            store.set_fuel(
                left.saturating_add(fuel_earned(started.elapsed()))
                    .min(budget),
            )?;
            Ok(())
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

/// The CPU budget a sleep of `slept` gives back.
fn fuel_earned(slept: Duration) -> u64 {
    let fuel = slept.as_nanos() * u128::from(capabilities::FUEL_PER_SECOND_SLEPT) / 1_000_000_000;
    u64::try_from(fuel).unwrap_or(u64::MAX)
}

fn command_error(
    plugin: &str,
    e: bindings::exports::kagi::plugin::command::Error,
    output: &Output,
) -> Error {
    use crate::sanitize::escape_for_display as shown;
    use bindings::exports::kagi::plugin::command::Error as E;
    // The plugin wrote the message: its control characters are shown escaped.
    match e {
        E::Usage(m) => Error::Usage(shown(&m)),
        E::Config(m) => Error::Config(shown(&m)),
        E::Auth(m) => Error::Auth(shown(&m)),
        E::Network(m) => Error::Network(shown(&m)),
        E::Parse(m) => Error::Parse(shown(&m)),
        E::Batch(m) => Error::Batch(shown(&m)),
        E::Internal(m) => Error::PluginFailed {
            plugin: plugin.to_string(),
            reason: format!("reported an internal error: {}", shown(&m)),
            stderr_tail: output.stderr_tail(),
        },
    }
}

fn trap_error(
    plugin: &str,
    e: wasmtime::Error,
    limits: &capabilities::Limits,
    memory_hit: bool,
    output: &Output,
) -> Result<()> {
    let failed = |reason: String| Error::PluginFailed {
        plugin: plugin.to_string(),
        reason,
        stderr_tail: output.stderr_tail(),
    };
    if let Some(stop) = e.downcast_ref::<Stop>() {
        return match stop {
            Stop::Host(error) => Err(error.clone()),
            Stop::OutputClosed => Ok(()),
            Stop::TimedOut => Err(failed(time_limit(limits))),
            Stop::OutputLimit(n) => Err(failed(format!(
                "exceeded the output limit of {} MiB",
                n / (1024 * 1024)
            ))),
        };
    }
    if let Some(exit) = e.downcast_ref::<wasmtime_wasi::I32Exit>() {
        // WASI 0.2 only carries success or failure, not the plugin's number.
        return if exit.0 == 0 {
            Ok(())
        } else {
            Err(failed("exited with a failure status".to_string()))
        };
    }
    if let Some(wasmtime::component::ResourceTableError::Full) = e.downcast_ref() {
        return Err(failed(format!(
            "held more than {} handles (responses, requests, locks) at once; it must drop the ones it is done with",
            capabilities::MAX_HANDLES
        )));
    }
    if memory_hit {
        return Err(failed(format!(
            "exceeded its memory limit of {} MiB",
            limits.memory_bytes / (1024 * 1024)
        )));
    }
    let reason = match e.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => format!(
            "used up its CPU budget of {} billion instructions",
            limits.fuel / 1_000_000_000
        ),
        Some(Trap::StackOverflow) => "overflowed its stack (runaway recursion)".to_string(),
        Some(Trap::UnreachableCodeReached) if output.stderr_tail().contains("panicked") => {
            "panicked".to_string()
        }
        Some(trap) => format!("crashed: {trap}"),
        None => format!("failed: {e}"),
    };
    Err(failed(reason))
}

fn time_limit(limits: &capabilities::Limits) -> String {
    match limits.timeout {
        Some(t) => format!("ran past its time limit of {} s", t.as_secs()),
        None => "ran past its time limit".to_string(),
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

    const MIB: usize = 1024 * 1024;

    /// Instantiates a core module under a limiter of `max_bytes`.
    fn instantiate(max_bytes: usize, wat: &str) -> (wasmtime::Result<wasmtime::Instance>, bool) {
        let engine = Engine::default();
        let module = wasmtime::Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
        let mut store = Store::new(&engine, Limiter::new(max_bytes as u64));
        store.limiter(|l| l);
        let instance = wasmtime::Instance::new(&mut store, &module, &[]);
        (instance, store.data().hit)
    }

    #[test]
    fn the_memory_limit_covers_the_sum_of_all_memories() {
        // Two memories of 2 MiB each: each fits under 3 MiB, both do not.
        let two = "(module (memory 32) (memory 32))";
        let (one_alone, _) = instantiate(3 * MIB, "(module (memory 32))");
        assert!(one_alone.is_ok());
        let (both, hit) = instantiate(3 * MIB, two);
        assert!(both.is_err() && hit, "two memories passed the limit");
        let (both, hit) = instantiate(4 * MIB, two);
        assert!(both.is_ok() && !hit);
    }

    #[test]
    fn tables_count_against_the_memory_limit() {
        // 1 MiB of memory and 300,000 table slots of 8 bytes (2.3 MiB).
        let wat = "(module (memory 16) (table 300000 funcref))";
        let (result, hit) = instantiate(3 * MIB, wat);
        assert!(result.is_err() && hit, "the table was not counted");
        let (result, _) = instantiate(4 * MIB, wat);
        assert!(result.is_ok());
    }

    #[test]
    fn memories_and_tables_are_counted() {
        let memories = "(memory 0) ".repeat(capabilities::MAX_MEMORIES + 1);
        let (result, _) = instantiate(64 * MIB, &format!("(module {memories})"));
        assert_contains(result, "memory count too high");
        let tables = "(table 0 funcref) ".repeat(capabilities::MAX_TABLES + 1);
        let (result, _) = instantiate(64 * MIB, &format!("(module {tables})"));
        assert_contains(result, "table count too high");
    }

    fn assert_contains(result: wasmtime::Result<wasmtime::Instance>, text: &str) {
        let error = result.expect_err("instantiation fails").to_string();
        assert!(error.contains(text), "{error}");
    }

    #[test]
    fn a_failed_growth_is_not_counted() {
        let mut limiter = Limiter::new(10 * MIB as u64);
        assert!(limiter.memory_growing(0, 6 * MIB, None).unwrap());
        limiter
            .memory_grow_failed(wasmtime::Error::msg("no room"))
            .unwrap();
        assert!(limiter.memory_growing(0, 6 * MIB, None).unwrap());
        assert!(limiter.memory_growing(0, 6 * MIB, None).is_err());
    }

    #[test]
    fn a_sleep_earns_cpu_budget_in_proportion_to_its_length() {
        assert_eq!(fuel_earned(Duration::ZERO), 0);
        assert_eq!(fuel_earned(Duration::from_micros(50)), 50_000);
        assert_eq!(fuel_earned(Duration::from_secs(2)), 2_000_000_000);
        assert_eq!(fuel_earned(Duration::MAX), u64::MAX);
    }

    #[test]
    fn a_time_limit_too_far_away_does_not_overflow() {
        assert_eq!(deadline_after(Some(Duration::MAX)), None);
        assert_eq!(
            deadline_after(Some(Duration::from_secs(i64::MAX as u64))),
            None
        );
        assert_eq!(deadline_after(None), None);
        let soon = deadline_after(Some(Duration::from_secs(5))).unwrap();
        assert!(soon > Instant::now());
    }
}
