//! The compiled-code cache: a component is compiled once after install or
//! upgrade and loaded from `<cache dir>/compiled/` afterwards.
//!
//! An entry is keyed by the component's SHA-256 and the engine's compatibility
//! hash (wasmtime version and every setting that affects code), and carries a
//! SHA-256 of its own payload. A corrupt entry (bad checksum) or a stale one
//! (wasmtime refuses it) is deleted and rebuilt; bytes that fail the checksum
//! are never handed to wasmtime.

use crate::log;
use sha2::{Digest, Sha256};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

const MAGIC: &[u8; 8] = b"KAGIBIN1";
const HEADER_LEN: usize = MAGIC.len() + 32;

/// How a component was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Loaded from the cache.
    Hit,
    /// Compiled: there was no entry.
    Compiled,
    /// Compiled: the entry was corrupt or stale and was replaced.
    Rebuilt,
}

pub struct CodeCache {
    dir: PathBuf,
}

impl CodeCache {
    pub fn new(cache_dir: &Path) -> CodeCache {
        CodeCache {
            dir: cache_dir.join("compiled"),
        }
    }

    /// The file for a component under this engine.
    pub fn entry_path(&self, engine: &Engine, component_sha256: &str) -> PathBuf {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        self.dir
            .join(format!("{component_sha256}-{:016x}.bin", hasher.finish()))
    }

    pub fn load(
        &self,
        engine: &Engine,
        plugin: &str,
        wasm: &[u8],
        sha256: &str,
    ) -> wasmtime::Result<(Component, Outcome)> {
        let path = self.entry_path(engine, sha256);
        let mut outcome = Outcome::Compiled;
        if let Ok(bytes) = fs::read(&path) {
            match verified_payload(&bytes) {
                Some(payload) => {
                    // SAFETY: the payload is exactly what this host serialised
                    // (checked by its SHA-256); wasmtime checks version and
                    // configuration itself and errors on a mismatch.
                    match unsafe { Component::deserialize(engine, payload) } {
                        Ok(component) => {
                            log::debug(&format!(
                                "plugin {plugin}: loaded compiled code from the cache"
                            ));
                            return Ok((component, Outcome::Hit));
                        }
                        Err(e) => log::debug(&format!(
                            "plugin {plugin}: stale cache entry discarded ({e})"
                        )),
                    }
                }
                None => log::debug(&format!("plugin {plugin}: corrupt cache entry discarded")),
            }
            let _ = fs::remove_file(&path);
            outcome = Outcome::Rebuilt;
        }
        log::debug(&format!("plugin {plugin}: compiling"));
        let component = Component::new(engine, wasm)?;
        if let Err(e) = self.store(&path, &component) {
            // A read-only cache costs speed, not correctness.
            log::debug(&format!(
                "plugin {plugin}: could not write the cache entry: {e}"
            ));
        }
        Ok((component, outcome))
    }

    fn store(&self, path: &Path, component: &Component) -> wasmtime::Result<()> {
        let payload = component.serialize()?;
        fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        tmp.write_all(MAGIC)?;
        tmp.write_all(&Sha256::digest(&payload))?;
        tmp.write_all(&payload)?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

fn verified_payload(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return None;
    }
    let (sum, payload) = bytes[MAGIC.len()..].split_at(32);
    (Sha256::digest(payload).as_slice() == sum).then_some(payload)
}
