//! Finds plugins: the first-party ones embedded in the binary, and those the
//! user installed under `<data dir>/plugins/<name>/`. Reading the registry
//! parses manifests only; no wasm is read, compiled or run.
//!
//! An installed plugin is a folder holding `plugin.wasm` (a copy of the file
//! the user installed), `manifest.toml` (its manifest, so that help needs no
//! wasm) and `installed.toml` (its SHA-256, the commands it may replace and
//! the capabilities the user granted). Grants belong to that hash: a changed
//! file is refused until it is installed, and reviewed, again.

use crate::capabilities::Capability;
use crate::error::{Error, Result};
use kagi_manifest::Manifest;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// A first-party plugin embedded by build.rs.
pub struct Builtin {
    pub wasm: &'static [u8],
    pub sha256: &'static str,
    pub manifest: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// What `kagi plugin install` recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InstallRecord {
    pub sha256: String,
    /// Where the file was installed from.
    pub source: String,
    /// Built-in commands the user allowed this plugin to replace.
    #[serde(default)]
    pub replaces: Vec<String>,
    /// Capabilities the user granted, as `kagi plugin grant` names them.
    #[serde(default)]
    pub granted: Vec<String>,
}

impl InstallRecord {
    pub fn granted(&self) -> BTreeSet<Capability> {
        self.granted
            .iter()
            .filter_map(|g| Capability::parse(g).ok())
            .collect()
    }
}

/// Where a plugin's component comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Builtin(&'static [u8]),
    /// A file being developed (`kagi plugin test`).
    File(PathBuf),
    Installed {
        dir: PathBuf,
        record: InstallRecord,
    },
}

#[derive(Debug, Clone)]
pub struct PluginEntry {
    pub manifest: Manifest,
    pub sha256: String,
    pub source: Source,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

impl PluginEntry {
    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    pub fn is_builtin(&self) -> bool {
        matches!(self.source, Source::Builtin(_))
    }

    pub fn record(&self) -> Option<&InstallRecord> {
        match &self.source {
            Source::Installed { record, .. } => Some(record),
            _ => None,
        }
    }

    /// The component's bytes. An installed file must still be the one whose
    /// capabilities the user granted.
    pub fn wasm(&self) -> Result<std::borrow::Cow<'static, [u8]>> {
        let read = |path: &Path| {
            fs::read(path).map_err(|e| {
                Error::Config(format!(
                    "cannot read plugin `{}` at {}: {e}; reinstall it with `kagi plugin install`",
                    self.manifest.name,
                    path.display()
                ))
            })
        };
        match &self.source {
            Source::Builtin(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            Source::File(path) => Ok(std::borrow::Cow::Owned(read(path)?)),
            Source::Installed { dir, record } => {
                let bytes = read(&dir.join("plugin.wasm"))?;
                if sha256_hex(&bytes) != record.sha256 {
                    return Err(Error::PluginDenied {
                        plugin: self.manifest.name.clone(),
                        reason: "has changed since you granted its capabilities; review and install it again with `kagi plugin install PATH.wasm`".into(),
                    });
                }
                Ok(std::borrow::Cow::Owned(bytes))
            }
        }
    }

    /// A plugin straight from a `.wasm` file (for `kagi plugin test` and installs).
    pub fn from_file(path: &Path) -> Result<PluginEntry> {
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
            sha256: sha256_hex(&bytes),
            source: Source::File(path.to_path_buf()),
        })
    }
}

pub struct Registry {
    pub plugins: Vec<PluginEntry>,
    /// Installed plugins that could not be read, with the reason.
    pub broken: Vec<(String, String)>,
    pub dir: PathBuf,
}

impl Registry {
    /// The built-in plugins, plus those installed under `data_dir` unless
    /// `third_party` is false (an administrator's policy).
    pub fn load(data_dir: &Path, third_party: bool) -> Result<Registry> {
        let mut registry = Registry {
            plugins: Vec::new(),
            broken: Vec::new(),
            dir: data_dir.join("plugins"),
        };
        for builtin in BUILTINS {
            let manifest = Manifest::parse(builtin.manifest)
                .map_err(|e| Error::Config(format!("built-in plugin manifest is broken: {e}")))?;
            registry.plugins.push(PluginEntry {
                manifest,
                sha256: builtin.sha256.to_string(),
                source: Source::Builtin(builtin.wasm),
            });
        }
        if third_party {
            registry.load_installed();
        }
        Ok(registry)
    }

    fn load_installed(&mut self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match read_installed(&dir) {
                Ok(entry) => self.plugins.push(entry),
                Err(reason) => self.broken.push((name, reason)),
            }
        }
    }

    pub fn find(&self, name: &str) -> Option<&PluginEntry> {
        self.plugins.iter().find(|p| p.name() == name)
    }

    /// The plugin serving top-level command `name`: an installed plugin the
    /// user allowed to replace it, else the built-in, else an installed one.
    pub fn find_command(&self, name: &str) -> Option<&PluginEntry> {
        let serves = |p: &&PluginEntry| p.manifest.commands.iter().any(|c| c.name == name);
        self.plugins
            .iter()
            .filter(serves)
            .find(|p| {
                p.record()
                    .is_some_and(|r| r.replaces.iter().any(|c| c == name))
            })
            .or_else(|| self.plugins.iter().filter(serves).find(|p| p.is_builtin()))
            .or_else(|| self.plugins.iter().find(serves))
    }

    /// Copies the plugin file in and records its grants.
    pub fn install(
        &self,
        entry: &PluginEntry,
        bytes: &[u8],
        record: &InstallRecord,
    ) -> Result<PathBuf> {
        let dir = self.dir.join(entry.name());
        let fail = |e: std::io::Error| {
            Error::Config(format!("cannot install into {}: {e}", dir.display()))
        };
        fs::create_dir_all(&dir).map_err(fail)?;
        crate::atomic_file::write(&dir.join("plugin.wasm"), &[bytes]).map_err(fail)?;
        // The manifest exactly as the plugin carries it, so help needs no wasm.
        let manifest =
            crate::wasm_manifest::manifest_text(bytes).map_err(|e| Error::PluginDenied {
                plugin: entry.name().to_string(),
                reason: e,
            })?;
        crate::atomic_file::write(&dir.join("manifest.toml"), &[manifest.as_bytes()])
            .map_err(fail)?;
        self.save_record(entry.name(), record)?;
        Ok(dir)
    }

    pub fn save_record(&self, name: &str, record: &InstallRecord) -> Result<()> {
        let dir = self.dir.join(name);
        let text = toml::to_string(record).expect("records serialise");
        crate::atomic_file::write(&dir.join("installed.toml"), &[text.as_bytes()])
            .map_err(|e| Error::Config(format!("cannot write {}: {e}", dir.display())))
    }

    pub fn remove(&self, name: &str) -> Result<()> {
        let dir = self.dir.join(name);
        fs::remove_dir_all(&dir)
            .map_err(|e| Error::Config(format!("cannot remove {}: {e}", dir.display())))
    }
}

fn read_installed(dir: &Path) -> std::result::Result<PluginEntry, String> {
    let read = |file: &str| {
        fs::read_to_string(dir.join(file)).map_err(|e| format!("cannot read {file}: {e}"))
    };
    let record: InstallRecord = toml::from_str(&read("installed.toml")?)
        .map_err(|e| format!("installed.toml is invalid: {}", e.message()))?;
    let manifest = Manifest::parse(&read("manifest.toml")?).map_err(|e| e.0)?;
    Ok(PluginEntry {
        manifest,
        sha256: record.sha256.clone(),
        source: Source::Installed {
            dir: dir.to_path_buf(),
            record,
        },
    })
}
