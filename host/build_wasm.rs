//! Building workspace crates for wasm32-wasip2 from a build script, with a
//! nested `cargo build`. Shared by `host/build.rs` (the first-party plugins it
//! embeds) and `tests/plugin-build/build.rs` (the test plugins and the SDK's
//! example), which include this file with `#[path]`.
//!
//! Both build into the same target directory with the same profile, and the
//! tests' build names the first-party plugins too (so dependency features
//! unify alike): the SDK and its dependencies are compiled once for both.
//! When the two build scripts run at the same time, cargo's lock on that
//! directory makes the second wait for the first; neither waits on the
//! outer build, whose lock is on another directory.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const WASM_TARGET: &str = "wasm32-wasip2";
/// The workspace's `[profile.plugin]`: small components.
pub const PROFILE: &str = "plugin";

/// Builds `packages` (crate directories of the workspace at `root`) and
/// returns the directory holding their `.wasm` files.
pub fn build_plugins(root: &Path, packages: &[PathBuf]) -> PathBuf {
    let target_dir = wasm_target_dir(root);
    ensure_wasm_target();
    let mut cmd = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root)
        .args(["build", "--target", WASM_TARGET, "--profile", PROFILE])
        .arg("--target-dir")
        .arg(&target_dir);
    for dir in packages {
        cmd.arg("-p").arg(package_name(dir));
    }
    if env::var_os("CARGO_NET_OFFLINE").is_some() {
        cmd.arg("--offline");
    }
    clear_outer_build_env(&mut cmd);
    let status = cmd.status().expect("failed to run cargo for the plugins");
    if !status.success() {
        panic!(
            "building the plugins for {WASM_TARGET} failed; is the target installed? (run ../shared/toolchain/ensure-wasm-target or `rustup target add {WASM_TARGET}`)"
        );
    }
    target_dir.join(WASM_TARGET).join(PROFILE)
}

/// `target/plugins-wasm` (or under `$CARGO_TARGET_DIR`): apart from the host's
/// own target directory, whose lock the outer cargo holds.
fn wasm_target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| if d.is_absolute() { d } else { root.join(d) })
        .unwrap_or_else(|| root.join("target"))
        .join("plugins-wasm")
}

/// The outer build's flags, wrappers and target must not leak into the wasm
/// build (clippy's wrapper, say, or a host `--target`). The jobserver is kept,
/// so the nested build shares the outer build's CPU budget.
fn clear_outer_build_env(cmd: &mut Command) {
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

/// Reruns the build script when anything under these paths changes.
pub fn rerun_if_changed(paths: impl IntoIterator<Item = PathBuf>) {
    for path in paths {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// Crate directories directly below `dir`.
pub fn crate_dirs(dir: &Path) -> Vec<PathBuf> {
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
pub fn package_name(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    text.lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("name = ")
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| panic!("{} has no package name", dir.display()))
}

/// The `.wasm` file cargo writes for the crate in `dir`.
pub fn wasm_file_name(dir: &Path) -> String {
    format!("{}.wasm", package_name(dir).replace('-', "_"))
}
