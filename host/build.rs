//! Builds the first-party plugins (every crate under `plugins/`) for
//! wasm32-wasip2 and embeds them in the `kagi` binary together with their
//! manifests and content hashes, so that startup reads neither files nor
//! wasm. The test plugins and the SDK's example are built only for the tests,
//! by `tests/plugin-build`.

use sha2::{Digest, Sha256};
use std::env;
use std::fs;
use std::path::PathBuf;

#[path = "build_wasm.rs"]
mod build_wasm;

#[allow(dead_code)] // only part of it is needed here
#[path = "src/wasm_manifest.rs"]
mod wasm_manifest;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    // The SDK's example is not embedded: editing it leaves the host alone.
    let sdk_parts = fs::read_dir(root.join("sdk"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.ends_with("example"));
    build_wasm::rerun_if_changed(
        ["plugins", "wit", "Cargo.lock"]
            .iter()
            .map(|p| root.join(p))
            .chain(sdk_parts),
    );

    let first_party = build_wasm::crate_dirs(&root.join("plugins"));
    let out_wasm = build_wasm::build_plugins(&root, &first_party);

    let mut generated = String::from(
        "/// First-party plugins, built by build.rs.\npub static BUILTINS: &[Builtin] = &[\n",
    );
    for dir in &first_party {
        let file = out_wasm.join(build_wasm::wasm_file_name(dir));
        let bytes = fs::read(&file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let manifest = wasm_manifest::manifest_text(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let hash = hex::encode(Sha256::digest(&bytes));
        generated.push_str(&format!(
            "    Builtin {{ wasm: include_bytes!({file:?}), sha256: {hash:?}, manifest: {manifest:?} }},\n",
            file = file.display().to_string()
        ));
    }
    generated.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("builtins.rs");
    fs::write(out, generated).unwrap();
}
