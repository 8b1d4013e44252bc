//! Builds the test plugins (every crate under `tests/plugins/`) and the SDK's
//! example for wasm32-wasip2. The host dev-depends on this crate, so they are
//! built for its tests and never for a release build of `kagi`.

use std::env;
use std::path::PathBuf;

#[path = "../../host/build_wasm.rs"]
mod build_wasm;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.ancestors().nth(2).unwrap().to_path_buf();
    build_wasm::rerun_if_changed(
        ["tests/plugins", "sdk", "wit", "Cargo.lock", "Cargo.toml"]
            .iter()
            .map(|p| root.join(p)),
    );

    let mut crates = build_wasm::crate_dirs(&root.join("tests/plugins"));
    crates.push(root.join("sdk/example"));
    // The first-party plugins are named too, though host/build.rs builds them:
    // cargo unifies dependency features over the packages named, and with
    // the same set as the host's build the SDK and its dependencies resolve
    // alike, so they are compiled once and the first-party plugins are fresh.
    let first_party = build_wasm::crate_dirs(&root.join("plugins"));
    let out_wasm = build_wasm::build_plugins(&root, &[first_party, crates.clone()].concat());
    for dir in &crates {
        let file = out_wasm.join(build_wasm::wasm_file_name(dir));
        assert!(file.is_file(), "cargo did not write {}", file.display());
    }
    println!(
        "cargo:rustc-env=KAGI_TEST_PLUGIN_DIR={}",
        out_wasm.display()
    );
}
