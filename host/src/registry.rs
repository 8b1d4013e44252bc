//! Finds plugins: the first-party ones embedded in the binary, and those the
//! user installed under `<data dir>/plugins/<name>/`. Reading the registry
//! parses manifests only; no wasm is read, compiled or run.
//!
//! An installed plugin is a folder holding `plugin.wasm` (a copy of the file
//! the user installed), `manifest.toml` (its manifest, so that help needs no
//! wasm) and `installed.toml` (the SHA-256 of both, the commands it may
//! replace and the capabilities the user granted). Grants belong to those
//! hashes: a changed file is refused until it is installed, and reviewed, again.
//!
//! A plugin file is read once: the one buffer is validated, hashed, reviewed,
//! compiled and stored, so nothing can swap the file in between.

use crate::capabilities::Capability;
use crate::error::{Error, Result};
use kagi_manifest::Manifest;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A first-party plugin embedded by build.rs: its component (zstd, unpacked
/// only if the compiled code is rejected) and the code compiled from it when
/// kagi was built (LZ4: unpacked on every run of the plugin, in about 1.7 ms
/// for the 2.8 MiB of the news plugin).
/// Unpacked, they would make the binary twice as large.
#[derive(Debug)]
pub struct Builtin {
    /// The component, compressed.
    wasm_zst: &'static [u8],
    /// The SHA-256 of the component (uncompressed).
    pub sha256: &'static str,
    /// The manifest, validated by build.rs and stored as JSON (quicker to read
    /// than TOML on every start).
    manifest_json: &'static str,
    /// Code compiled by `engine_config` for this target, compressed; `None`
    /// when build.rs could not compile for the target.
    precompiled_lz4: Option<&'static [u8]>,
}

impl Builtin {
    /// The component's bytes.
    pub fn wasm(&self) -> Vec<u8> {
        unpack_zstd(self.wasm_zst).expect("a built-in component is embedded by build.rs")
    }

    /// The manifest (validated when kagi was built).
    pub fn manifest(&self) -> Result<Manifest> {
        serde_json::from_str(self.manifest_json)
            .map_err(|e| Error::Config(format!("built-in plugin manifest is broken: {e}")))
    }

    /// The code compiled when kagi was built, if there is some, as packed
    /// (LZ4, its size prepended).
    pub fn precompiled_packed(&self) -> Option<&'static [u8]> {
        self.precompiled_lz4
    }

    /// The code compiled when kagi was built, if there is some.
    pub fn precompiled(&self) -> Option<Vec<u8>> {
        self.precompiled_lz4
            .and_then(|packed| lz4::block::decompress(packed, None).ok())
    }

    /// This plugin with other (LZ4-packed) precompiled code, for tests.
    #[cfg(test)]
    pub fn with_precompiled(&self, precompiled_lz4: Option<&'static [u8]>) -> Builtin {
        Builtin {
            precompiled_lz4,
            ..*self
        }
    }
}

/// Unpacks one zstd frame into a buffer of exactly its recorded size.
fn unpack_zstd(packed: &[u8]) -> Option<Vec<u8>> {
    let size = zstd::zstd_safe::get_frame_content_size(packed).ok()??;
    zstd::bulk::decompress(packed, usize::try_from(size).ok()?).ok()
}

// `TARGET` (the target triple kagi was built for) and `BUILTINS`.
include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// What `kagi plugin install` recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InstallRecord {
    pub sha256: String,
    /// The SHA-256 of `manifest.toml`, so that the manifest is as verified as
    /// the code. Missing in records written before kagi recorded it.
    #[serde(default)]
    pub manifest_sha256: Option<String>,
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
    Builtin(&'static Builtin),
    /// A file being installed or developed (`kagi plugin test`), with the
    /// bytes it was read as: the file is never read again.
    File {
        path: PathBuf,
        bytes: Arc<[u8]>,
    },
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

/// A component's bytes with the SHA-256 of exactly those bytes (for a
/// built-in, build.rs hashed the embedded bytes). The compiled-code cache keys
/// on this hash, so compiled code always belongs to the bytes it came from.
/// Only this module makes one.
pub struct Wasm<'a> {
    bytes: Cow<'a, [u8]>,
    sha256: Cow<'a, str>,
}

impl Wasm<'_> {
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

/// What the user decided when installing a plugin file.
pub struct Approval {
    /// Where the file was installed from.
    pub source: String,
    pub replaces: Vec<String>,
    pub granted: Vec<String>,
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

    /// The component's bytes and their hash. An installed file must still be
    /// the one whose capabilities the user granted.
    pub fn wasm(&self) -> Result<Wasm<'_>> {
        match &self.source {
            Source::Builtin(builtin) => Ok(Wasm {
                bytes: Cow::Owned(builtin.wasm()),
                sha256: Cow::Borrowed(&self.sha256),
            }),
            Source::File { bytes, .. } => Ok(Wasm {
                bytes: Cow::Borrowed(bytes),
                sha256: Cow::Owned(sha256_hex(bytes)),
            }),
            Source::Installed { dir, record } => {
                let path = dir.join("plugin.wasm");
                let bytes = fs::read(&path).map_err(|e| {
                    Error::Config(format!(
                        "cannot read plugin `{}` at {}: {e}; reinstall it with `kagi plugin install`",
                        self.manifest.name,
                        path.display()
                    ))
                })?;
                let sha256 = sha256_hex(&bytes);
                if sha256 != record.sha256 {
                    return Err(Error::PluginDenied {
                        plugin: self.manifest.name.clone(),
                        reason: "has changed since you granted its capabilities; review and install it again with `kagi plugin install PATH.wasm`".into(),
                    });
                }
                Ok(Wasm {
                    bytes: Cow::Owned(bytes),
                    sha256: Cow::Owned(sha256),
                })
            }
        }
    }

    /// A first-party plugin embedded in the binary.
    pub fn builtin(builtin: &'static Builtin) -> Result<PluginEntry> {
        Ok(PluginEntry {
            manifest: builtin.manifest()?,
            sha256: builtin.sha256.to_string(),
            source: Source::Builtin(builtin),
        })
    }

    /// A plugin straight from a `.wasm` file (for `kagi plugin test` and
    /// installs). The file is read here, once; the entry keeps the bytes.
    pub fn from_file(path: &Path) -> Result<PluginEntry> {
        let display = path.display().to_string();
        let bytes: Arc<[u8]> = fs::read(path)
            .map_err(|e| Error::Config(format!("cannot read plugin file {display}: {e}")))?
            .into();
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
            source: Source::File {
                path: path.to_path_buf(),
                bytes,
            },
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
            registry.plugins.push(PluginEntry::builtin(builtin)?);
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

    /// Stores a plugin file's bytes (as read once by [`PluginEntry::from_file`])
    /// and its manifest, and records both hashes with what the user approved.
    pub fn install(&self, entry: &PluginEntry, approval: Approval) -> Result<PathBuf> {
        if !matches!(entry.source, Source::File { .. }) {
            return Err(Error::Config(format!(
                "`{}` is not a plugin file; only a .wasm file can be installed",
                entry.name()
            )));
        }
        let wasm = entry.wasm()?;
        // The manifest exactly as the plugin carries it, so help needs no wasm.
        let manifest =
            crate::wasm_manifest::manifest_text(wasm.bytes()).map_err(|e| Error::PluginDenied {
                plugin: entry.name().to_string(),
                reason: e,
            })?;
        let record = InstallRecord {
            sha256: wasm.sha256().to_string(),
            manifest_sha256: Some(sha256_hex(manifest.as_bytes())),
            source: approval.source,
            replaces: approval.replaces,
            granted: approval.granted,
        };
        let dir = self.dir.join(entry.name());
        let fail = |e: std::io::Error| {
            Error::Config(format!("cannot install into {}: {e}", dir.display()))
        };
        fs::create_dir_all(&dir).map_err(fail)?;
        crate::atomic_file::write(&dir.join("plugin.wasm"), &[wasm.bytes()]).map_err(fail)?;
        crate::atomic_file::write(&dir.join("manifest.toml"), &[manifest.as_bytes()])
            .map_err(fail)?;
        self.save_record(entry.name(), &record)?;
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
    let text = read("manifest.toml")?;
    match &record.manifest_sha256 {
        None => {
            return Err(
                "it was installed by an older kagi that did not record its manifest's hash; install it again"
                    .into(),
            );
        }
        Some(hash) if *hash != sha256_hex(text.as_bytes()) => {
            return Err(
                "manifest.toml has changed since it was installed; review and install the plugin again"
                    .into(),
            );
        }
        Some(_) => {}
    }
    let manifest = Manifest::parse(&text).map_err(|e| e.0)?;
    Ok(PluginEntry {
        manifest,
        sha256: record.sha256.clone(),
        source: Source::Installed {
            dir: dir.to_path_buf(),
            record,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real component (the first built-in) as a file under `dir`.
    fn plugin_file(dir: &Path) -> PathBuf {
        let path = dir.join("plugin-under-review.wasm");
        fs::write(&path, BUILTINS[0].wasm()).unwrap();
        path
    }

    fn approval() -> Approval {
        Approval {
            source: "test".into(),
            replaces: Vec::new(),
            granted: Vec::new(),
        }
    }

    #[test]
    fn a_plugin_file_is_read_once_and_hashed_as_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = plugin_file(dir.path());
        let entry = PluginEntry::from_file(&path).unwrap();
        // The file changes after it was read: the entry keeps what was read.
        fs::write(&path, b"swapped").unwrap();
        let wasm = entry.wasm().unwrap();
        assert_eq!(wasm.bytes(), BUILTINS[0].wasm());
        assert_eq!(wasm.sha256(), sha256_hex(&BUILTINS[0].wasm()));
        assert_eq!(entry.sha256, wasm.sha256());
    }

    #[test]
    fn the_install_record_covers_the_code_and_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let entry = PluginEntry::from_file(&plugin_file(dir.path())).unwrap();
        let registry = Registry {
            plugins: Vec::new(),
            broken: Vec::new(),
            dir: dir.path().join("plugins"),
        };
        let installed = registry.install(&entry, approval()).unwrap();
        let loaded = read_installed(&installed).unwrap();
        let record = loaded.record().unwrap().clone();
        assert_eq!(record.sha256, sha256_hex(&BUILTINS[0].wasm()));
        assert_eq!(
            fs::read(installed.join("plugin.wasm")).unwrap(),
            BUILTINS[0].wasm()
        );
        assert_eq!(loaded.wasm().unwrap().bytes(), BUILTINS[0].wasm());

        let manifest = installed.join("manifest.toml");
        let text = fs::read_to_string(&manifest).unwrap();
        fs::write(&manifest, format!("{text}\n# swapped\n")).unwrap();
        assert_eq!(
            read_installed(&installed).unwrap_err(),
            "manifest.toml has changed since it was installed; review and install the plugin again"
        );

        // A record without the manifest's hash does not vouch for it.
        fs::write(&manifest, &text).unwrap();
        let old = InstallRecord {
            manifest_sha256: None,
            ..record
        };
        registry.save_record(entry.name(), &old).unwrap();
        assert!(
            read_installed(&installed)
                .unwrap_err()
                .starts_with("it was installed by an older kagi")
        );
    }
}
