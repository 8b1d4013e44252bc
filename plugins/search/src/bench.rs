//! `kagi search --bench-parse N QUERY < page.html` (hidden): parses the page
//! on stdin N times inside the plugin and reports the time, so the wasm parse
//! can be compared with the same function compiled natively
//! (`cargo bench -p kagi-plugin-search`). See scripts/bench-search.

use crate::parse;
use kagi_plugin_sdk::render::json_pretty;
use kagi_plugin_sdk::{Error, out};
use serde::Serialize;
use std::time::Instant;

#[derive(Serialize)]
pub struct Report {
    pub iterations: u64,
    pub page_bytes: usize,
    pub results: usize,
    pub total_ms: f64,
    pub per_parse_us: f64,
}

/// Times `iterations` parses of `page` (one untimed warm-up parse first).
pub fn measure(page: &str, iterations: u64) -> Report {
    let results = parse::results_page(page).len();
    let start = Instant::now();
    let mut found = 0;
    for _ in 0..iterations {
        found += parse::results_page(std::hint::black_box(page)).len();
    }
    let elapsed = start.elapsed();
    assert_eq!(found as u64, results as u64 * iterations);
    Report {
        iterations,
        page_bytes: page.len(),
        results,
        total_ms: elapsed.as_secs_f64() * 1e3,
        per_parse_us: elapsed.as_secs_f64() * 1e6 / iterations.max(1) as f64,
    }
}

pub fn run(iterations: u64) -> Result<(), Error> {
    let page = kagi_plugin_sdk::stdin::read_to_string()?;
    out::print(&json_pretty(&measure(&page, iterations.max(1)))?);
    Ok(())
}
