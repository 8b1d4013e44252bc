//! Builds the first-party plugins (every crate under `plugins/`) for
//! wasm32-wasip2, compiles each ahead of time with the runtime's own engine
//! configuration, and embeds both (compressed) in the `kagi` binary with
//! their manifests and content hashes: startup reads no plugin file, and even
//! the first run after install compiles nothing. The test plugins and the
//! SDK's example are built only for the tests, by `tests/plugin-build`.

use sha2::{Digest, Sha256};
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "build_wasm.rs"]
mod build_wasm;

#[allow(dead_code)] // only part of it is needed here
#[path = "src/wasm_manifest.rs"]
mod wasm_manifest;

#[path = "src/runtime/engine_config.rs"]
mod engine_config;

/// Components are unpacked only when the embedded code is rejected: zstd at
/// its best packs them small. Compiled code is unpacked on every run: LZ4
/// (high-compression mode, which unpacks as fast as any) did it in 1.7 ms
/// where zstd took 3.6 ms (news, 2.8 MiB), for a third more bytes.
const WASM_ZSTD_LEVEL: i32 = 19;
const CODE_LZ4_LEVEL: i32 = 9;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let target = env::var("TARGET").unwrap();
    // The SDK's example is not embedded: editing it leaves the host alone.
    let sdk_parts = fs::read_dir(root.join("sdk"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.ends_with("example"));
    build_wasm::rerun_if_changed(
        ["plugins", "wit", "Cargo.lock", "Cargo.toml"]
            .iter()
            .map(|p| root.join(p))
            .chain(sdk_parts),
    );

    let first_party = build_wasm::crate_dirs(&root.join("plugins"));
    let out_wasm = build_wasm::build_plugins(&root, &first_party);
    let compiler = Compiler::new(&target, &out_dir);

    let mut generated = format!(
        "/// The target triple kagi was built for (the engine compiles for it).\npub const TARGET: &str = {target:?};\n\n/// First-party plugins, built by build.rs.\npub static BUILTINS: &[Builtin] = &[\n"
    );
    // The packed components and code go into a section of their own (on
    // ELF), so that `.rodata` keeps the manifests, which every start reads,
    // together: placed between the large blobs, each manifest read pulled
    // the kernel's fault-around (64 KiB) of its neighbours into memory.
    let mut blobs = String::new();
    let mut blob = |name: String, path: &Path| -> String {
        let len = fs::metadata(path).unwrap().len();
        blobs.push_str(&format!(
            "#[cfg_attr(target_os = \"linux\", unsafe(link_section = \".kagi_plugins\"))]\nstatic {name}: [u8; {len}] = *include_bytes!({:?});\n",
            path.display().to_string()
        ));
        format!("&{name}")
    };
    for (i, dir) in first_party.iter().enumerate() {
        let file = out_wasm.join(build_wasm::wasm_file_name(dir));
        let bytes = fs::read(&file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let manifest = wasm_manifest::manifest_text(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let manifest_json = checked_manifest(&manifest, &file);
        let hash = hex::encode(Sha256::digest(&bytes));
        let wasm_zst = packed(&out_dir, &format!("{hash}.wasm.zst"), || {
            zstd::bulk::compress(&bytes, WASM_ZSTD_LEVEL).expect("zstd packs")
        });
        let precompiled = compiler.as_ref().map(|c| c.compile(&hash, &bytes, &file));
        generated.push_str(&format!(
            "    Builtin {{ wasm_zst: {wasm_zst}, sha256: {hash:?}, manifest_json: {manifest_json:?}, precompiled_lz4: {precompiled} }},\n",
            wasm_zst = blob(format!("WASM_ZST_{i}"), &wasm_zst),
            precompiled = match precompiled {
                Some(path) => format!("Some({})", blob(format!("PRECOMPILED_LZ4_{i}"), &path)),
                None => "None".to_string(),
            }
        ));
    }
    generated.push_str("];\n\n");
    generated.push_str(&blobs);
    fs::write(out_dir.join("builtins.rs"), generated).unwrap();
}

/// The manifest, parsed and validated now (a broken one fails the build), as
/// JSON: kagi reads every built-in manifest on every start, and JSON reads
/// several times faster than TOML. Checked to read back as the same manifest.
fn checked_manifest(toml_text: &str, file: &Path) -> String {
    let manifest = kagi_manifest::Manifest::parse(toml_text)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let json = serde_json::to_string(&manifest).expect("a manifest serialises");
    let back: kagi_manifest::Manifest = serde_json::from_str(&json).unwrap_or_else(|e| {
        panic!(
            "{}: the manifest does not read back from JSON: {e}",
            file.display()
        )
    });
    assert!(
        back == manifest,
        "{}: the manifest reads back from JSON differently",
        file.display()
    );
    json
}

/// The ahead-of-time compiler: the runtime's engine configuration for the
/// target being built.
struct Compiler {
    engine: wasmtime::Engine,
    /// Names the engine's code-affecting settings, so a changed configuration
    /// never reuses code packed by an earlier build.
    compatibility: String,
    out_dir: PathBuf,
}

impl Compiler {
    /// `None` (with a warning) when this wasmtime cannot compile for the
    /// target: kagi then compiles each plugin on its first run, as it does
    /// for installed ones.
    fn new(target: &str, out_dir: &Path) -> Option<Compiler> {
        let engine = engine_config::engine_config(target).and_then(|c| wasmtime::Engine::new(&c));
        match engine {
            Ok(engine) => Some(Compiler {
                compatibility: engine_config::compatibility_tag(&engine),
                engine,
                out_dir: out_dir.to_path_buf(),
            }),
            Err(e) => {
                println!(
                    "cargo:warning=cannot compile plugins ahead of time for {target} ({e}); they will be compiled on first use"
                );
                None
            }
        }
    }

    fn compile(&self, hash: &str, wasm: &[u8], file: &Path) -> PathBuf {
        let name = format!("{hash}-{}.cwasm.lz4", self.compatibility);
        packed(&self.out_dir, &name, || {
            let code = self
                .engine
                .precompile_component(wasm)
                .unwrap_or_else(|e| panic!("compiling {}: {e}", file.display()));
            let mode = lz4::block::CompressionMode::HIGHCOMPRESSION(CODE_LZ4_LEVEL);
            lz4::block::compress(&code, Some(mode), true).expect("lz4 packs")
        })
    }
}

/// `OUT_DIR/name`, written with `pack()` unless an earlier run of this script
/// already wrote it (names carry content hashes).
fn packed(out_dir: &Path, name: &str, pack: impl FnOnce() -> Vec<u8>) -> PathBuf {
    let path = out_dir.join(name);
    if !path.exists() {
        let packed = pack();
        let partial = out_dir.join(format!("{name}.partial"));
        fs::write(&partial, packed).unwrap();
        fs::rename(&partial, &path).unwrap();
    }
    path
}
