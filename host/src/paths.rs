//! Where kagi keeps things on disk. Every location can be moved with an
//! environment variable, which is also how the tests isolate themselves.

use std::env;
use std::path::PathBuf;

fn from_env(var: &str) -> Option<PathBuf> {
    env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
}

/// Compiled plugin code: `KAGI_CACHE_DIR`, else the platform cache dir + `kagi`.
pub fn cache_dir() -> PathBuf {
    from_env("KAGI_CACHE_DIR")
        .or_else(|| dirs::cache_dir().map(|d| d.join("kagi")))
        .unwrap_or_else(|| PathBuf::from(".cache/kagi"))
}

/// Installed plugins, their grants and their storage: `KAGI_DATA_DIR`, else
/// the platform data dir + `kagi`.
pub fn data_dir() -> PathBuf {
    from_env("KAGI_DATA_DIR")
        .or_else(|| dirs::data_dir().map(|d| d.join("kagi")))
        .unwrap_or_else(|| PathBuf::from(".local/share/kagi"))
}

/// The user's configuration: `KAGI_CONFIG_DIR`, else the platform config dir
/// + `kagi` (`$XDG_CONFIG_HOME/kagi` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    from_env("KAGI_CONFIG_DIR").or_else(|| dirs::config_dir().map(|d| d.join("kagi")))
}
