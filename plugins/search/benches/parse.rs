//! Native side of the parse benchmark: the same `bench::measure` the plugin
//! runs inside wasm for `kagi search --bench-parse N`, on the fixture pages.
//! Run through scripts/bench-search, or alone:
//! `cargo bench -p kagi-plugin-search --bench parse -- [ITERATIONS]`.

use kagi_plugin_search::bench::measure;

fn main() {
    let iterations: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    for page in ["results-page.html", "results-page-long.html"] {
        let html = std::fs::read_to_string(format!("{dir}/{page}")).expect("fixture page");
        let report = measure(&html, iterations);
        println!(
            "{{\"page\":\"{page}\",\"target\":\"native\",\"report\":{}}}",
            serde_json::to_string(&report).unwrap()
        );
    }
}
