//! The limits around a plugin run that wasmtime enforces for the host: memory
//! (the sum of all linear memories and tables, and how many there are), the
//! wall-clock deadline. (The CPU budget is kept by `cpu_budget`.)

use crate::capabilities;
use std::time::{Duration, Instant};
use wasmtime::ResourceLimiter;

/// What a table element costs: wasmtime stores each as one pointer (see the
/// documentation of `ResourceLimiter::table_growing`).
const TABLE_ELEMENT_BYTES: usize = std::mem::size_of::<usize>();

/// Holds the sum of a plugin's linear memories and tables to the memory limit
/// (a component has several core instances, each may have its own), and caps
/// how many instances, memories and tables it may create.
pub(super) struct Limiter {
    max_bytes: usize,
    used_bytes: usize,
    /// The last growth allowed, taken back if wasmtime then fails it.
    last_growth: usize,
    pub(super) hit: bool,
}

impl Limiter {
    pub(super) fn new(max_bytes: u64) -> Limiter {
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

/// The wall-clock deadline of a run that starts now; `None` without a time
/// limit, or when the limit is too far away to represent (it cannot be reached).
pub(super) fn deadline_after(timeout: Option<Duration>) -> Option<Instant> {
    timeout.and_then(|t| Instant::now().checked_add(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::{Engine, Store};

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
