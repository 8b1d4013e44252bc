//! Builds the first-party plugins (every crate under `plugins/`) and the test
//! plugins (under `tests/plugins/`) for wasm32-wasip2, and embeds the
//! first-party ones in the `kagi` binary together with their manifests and
//! content hashes, so that startup reads neither files nor wasm.

use sha2::{Digest, Sha256};
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)] // only part of it is needed here
#[path = "src/wasm_manifest.rs"]
mod wasm_manifest;

const WASM_TARGET: &str = "wasm32-wasip2";
const PROFILE: &str = "plugin";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    for dir in ["plugins", "sdk", "wit", "tests/plugins"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.lock").display()
    );

    let first_party = crate_dirs(&root.join("plugins"));
    // Built too, but not embedded: the test plugins and the SDK's example.
    let mut test_plugins = crate_dirs(&root.join("tests/plugins"));
    test_plugins.push(root.join("sdk/example"));
    let target_dir = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| if d.is_absolute() { d } else { root.join(d) })
        .unwrap_or_else(|| root.join("target"))
        .join("plugins-wasm");

    ensure_wasm_target();
    let mut cmd = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&root)
        .args([
            "build",
            "--target",
            WASM_TARGET,
            "--profile",
            PROFILE,
            "--target-dir",
        ])
        .arg(&target_dir);
    for dir in first_party.iter().chain(&test_plugins) {
        cmd.arg("-p").arg(package_name(dir));
    }
    if env::var_os("CARGO_NET_OFFLINE").is_some() {
        cmd.arg("--offline");
    }
    // The outer build's flags, wrappers and target must not leak into the wasm build.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_RUSTFLAGS",
        "CLIPPY_ARGS",
        "CARGO_PRIMARY_PACKAGE",
        "TARGET",
        "HOST",
        "PROFILE",
        "OPT_LEVEL",
        "DEBUG",
        "OUT_DIR",
        "CARGO_MANIFEST_DIR",
        "CARGO_PKG_NAME",
        "RUSTDOCFLAGS",
    ] {
        cmd.env_remove(var);
    }
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy().to_string();
        if key.starts_with("CARGO_CFG_")
            || key.starts_with("CARGO_FEATURE_")
            || key.starts_with("DEP_")
        {
            cmd.env_remove(&key);
        }
    }
    let status = cmd.status().expect("failed to run cargo for the plugins");
    if !status.success() {
        panic!(
            "building the plugins for {WASM_TARGET} failed; is the target installed? (run ../shared/toolchain/ensure-wasm-target or `rustup target add {WASM_TARGET}`)"
        );
    }

    let out_wasm = target_dir.join(WASM_TARGET).join(PROFILE);
    let mut generated = String::from(
        "/// First-party plugins, built by build.rs.\npub static BUILTINS: &[Builtin] = &[\n",
    );
    for dir in &first_party {
        let file = out_wasm.join(format!("{}.wasm", package_name(dir).replace('-', "_")));
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
    // Tests find the test plugins here.
    println!(
        "cargo:rustc-env=KAGI_TEST_PLUGIN_DIR={}",
        out_wasm.display()
    );
}

/// Installs the wasm target with rustup when it is missing, so that a plain
/// `cargo build` works on a fresh machine.
fn ensure_wasm_target() {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let installed =
        sysroot.is_some_and(|s| Path::new(&s).join("lib/rustlib").join(WASM_TARGET).is_dir());
    if installed {
        return;
    }
    println!(
        "cargo:warning=installing the {WASM_TARGET} target with rustup (the plugins are built for it)"
    );
    let _ = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .status();
}

/// Crate directories directly below `dir`.
fn crate_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("Cargo.toml").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// The `name` of a crate's `[package]`.
fn package_name(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    text.lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("name = ")
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| panic!("{} has no package name", dir.display()))
}
