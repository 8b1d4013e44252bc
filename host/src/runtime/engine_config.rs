//! The one wasmtime configuration: the runtime's engine and build.rs's
//! ahead-of-time compiler (which includes this file with `#[path]`) both use
//! it, so code compiled when kagi is built loads at run time without a check
//! failing. The target is named explicitly, which keeps cranelift to the
//! architecture's baseline instead of the building machine's CPU features:
//! the binary, with its precompiled plugins, runs on any machine of its
//! architecture.

use wasmtime::Config;

/// The engine configuration for `target` (a target triple: the one kagi is
/// built for).
pub fn engine_config(target: &str) -> wasmtime::Result<Config> {
    let mut config = Config::new();
    config
        .target(target)?
        .max_wasm_stack(1 << 20)
        .cranelift_opt_level(wasmtime::OptLevel::Speed)
        .parallel_compilation(true);
    Ok(config)
}

/// A short name for the engine's code-affecting settings (from wasmtime's
/// compatibility hash), part of the file name of any compiled code, so code
/// from another configuration is never even opened.
pub fn compatibility_tag(engine: &wasmtime::Engine) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}
