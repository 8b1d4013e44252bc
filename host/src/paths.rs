//! Where kagi keeps things on disk. Every location can be moved with an
//! environment variable, which is also how the tests isolate themselves.
//! There is no fallback to a folder relative to the current directory: a
//! cache or data folder there could be planted by whoever owns that directory.
//!
//! `KAGI_CACHE_DIR` is, as in the reference CLI, the root of kagi's local
//! state: when it is set, plugin storage (search history, site preferences,
//! the response cache) lives under it, so a script that sets it keeps its
//! state apart. Installed plugins stay in the data dir either way.

use crate::error::{Error, Result};
use std::env;
use std::path::{Path, PathBuf};

/// A folder from the environment: trimmed, and empty means unset (as the
/// reference CLI reads `KAGI_CACHE_DIR`).
fn from_env(var: &str) -> Option<PathBuf> {
    let value = env::var_os(var)?;
    let path = match value.to_str() {
        Some(text) => PathBuf::from(text.trim()),
        None => PathBuf::from(value),
    };
    (!path.as_os_str().is_empty()).then_some(path)
}

/// Compiled plugin code: `KAGI_CODE_CACHE_DIR`, else `KAGI_CACHE_DIR`, else
/// the platform cache dir + `kagi`. Compiled code is keyed by the plugin's
/// hash, so separate state roots can share one code cache.
pub fn cache_dir() -> Result<PathBuf> {
    from_env("KAGI_CODE_CACHE_DIR")
        .or_else(|| from_env("KAGI_CACHE_DIR"))
        .or_else(|| dirs::cache_dir().map(|d| d.join("kagi")))
        .ok_or_else(|| no_home("cache", "KAGI_CACHE_DIR"))
}

/// Installed plugins and their grants: `KAGI_DATA_DIR`, else the platform
/// data dir + `kagi`.
pub fn data_dir() -> Result<PathBuf> {
    from_env("KAGI_DATA_DIR")
        .or_else(|| dirs::data_dir().map(|d| d.join("kagi")))
        .ok_or_else(|| no_home("data", "KAGI_DATA_DIR"))
}

/// The folder that holds plugin storage (`storage/<plugin>/`): `KAGI_CACHE_DIR`
/// when set, else `data_dir`. History and site preferences are the user's
/// data, so by default they do not live in a cache folder that may be wiped.
pub fn state_dir(data_dir: &Path) -> PathBuf {
    from_env("KAGI_CACHE_DIR").unwrap_or_else(|| data_dir.to_path_buf())
}

fn no_home(what: &str, var: &str) -> Error {
    Error::Config(format!(
        "cannot find a home folder for kagi's {what}: set HOME, or {var} to the folder to use"
    ))
}

/// The user's configuration: `KAGI_CONFIG_DIR`, else the platform config dir
/// + `kagi` (`$XDG_CONFIG_HOME/kagi` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    from_env("KAGI_CONFIG_DIR").or_else(|| dirs::config_dir().map(|d| d.join("kagi")))
}
