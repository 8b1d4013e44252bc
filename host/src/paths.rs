//! Where kagi keeps things on disk. Every location can be moved with an
//! environment variable, which is also how the tests isolate themselves.
//! There is no fallback to a folder relative to the current directory: a
//! cache or data folder there could be planted by whoever owns that directory.

use crate::error::{Error, Result};
use std::env;
use std::path::PathBuf;

fn from_env(var: &str) -> Option<PathBuf> {
    env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
}

/// Compiled plugin code: `KAGI_CACHE_DIR`, else the platform cache dir + `kagi`.
pub fn cache_dir() -> Result<PathBuf> {
    from_env("KAGI_CACHE_DIR")
        .or_else(|| dirs::cache_dir().map(|d| d.join("kagi")))
        .ok_or_else(|| no_home("cache", "KAGI_CACHE_DIR"))
}

/// Installed plugins, their grants and their storage: `KAGI_DATA_DIR`, else
/// the platform data dir + `kagi`.
pub fn data_dir() -> Result<PathBuf> {
    from_env("KAGI_DATA_DIR")
        .or_else(|| dirs::data_dir().map(|d| d.join("kagi")))
        .ok_or_else(|| no_home("data", "KAGI_DATA_DIR"))
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
