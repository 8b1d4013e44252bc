//! The compiled-code cache: a component is compiled once after install or
//! upgrade and loaded from `<cache dir>/compiled/` afterwards.
//!
//! An entry is keyed by the component's SHA-256 and the engine's compatibility
//! hash (wasmtime version and every setting that affects code), and carries a
//! checksum of its own payload (XXH3-128: it guards against corruption, and is
//! ten times faster than SHA-256 on the warm path; anyone able to write the
//! cache could as well replace the binary). A corrupt entry (bad checksum) or
//! a stale one (wasmtime refuses it) is deleted and rebuilt; bytes that fail
//! the checksum are never handed to wasmtime.

use crate::log;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

const MAGIC: &[u8; 8] = b"KAGIBIN2";
const HEADER_LEN: usize = MAGIC.len() + 16;

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
        let started = std::time::Instant::now();
        if let Ok(bytes) = fs::read(&path) {
            let read = started.elapsed();
            let verified = verified_payload(&bytes);
            let checked = started.elapsed();
            match verified {
                Some(payload) => {
                    // SAFETY: the payload is exactly what this host serialised
                    // (checked by its checksum); wasmtime checks version and
                    // configuration itself and errors on a mismatch.
                    match unsafe { Component::deserialize(engine, payload) } {
                        Ok(component) => {
                            log::debug(&format!(
                                "plugin {plugin}: loaded compiled code from the cache ({} KiB: read {:.1} ms, checksum {:.1} ms, deserialize {:.1} ms)",
                                bytes.len() / 1024,
                                read.as_secs_f64() * 1000.0,
                                (checked - read).as_secs_f64() * 1000.0,
                                (started.elapsed() - checked).as_secs_f64() * 1000.0
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
        crate::atomic_file::write(path, &[MAGIC, &checksum(&payload), &payload])?;
        Ok(())
    }
}

fn verified_payload(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return None;
    }
    let (sum, payload) = bytes[MAGIC.len()..].split_at(16);
    (checksum(payload) == sum).then_some(payload)
}

/// The checksum stored in front of an entry's payload.
fn checksum(payload: &[u8]) -> [u8; 16] {
    xxhash_rust::xxh3::xxh3_128(payload).to_le_bytes()
}
