//! The compiled-code cache: a component is compiled once after install or
//! upgrade and loaded from `<cache dir>/compiled/` afterwards.
//!
//! An entry is keyed by the component's SHA-256 and the engine's compatibility
//! hash (wasmtime version and every setting that affects code). Compiled code
//! runs unchecked, so the cache is private and every entry is authenticated:
//! the folders are 0700 and the files 0600; an entry that is not the user's,
//! or that others could write, is ignored and rebuilt; and each entry carries
//! a MAC (keyed BLAKE3 over its file name and payload) keyed by a random
//! per-user secret in `<cache dir>/mac.key` (0600). A plain checksum would
//! stop corruption but not someone who can write the cache; without the key
//! nobody can make an entry this host accepts. An entry that fails its MAC
//! (corrupt or forged) or a stale one (wasmtime refuses it) is deleted and
//! rebuilt; bytes that fail the MAC are never handed to wasmtime.

use crate::atomic_file;
use crate::log;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

const MAGIC: &[u8; 8] = b"KAGIBIN3";
const MAC_LEN: usize = blake3::OUT_LEN;
const HEADER_LEN: usize = MAGIC.len() + MAC_LEN;
const KEY_FILE: &str = "mac.key";

type Key = [u8; blake3::KEY_LEN];

/// How a component was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A built-in's code, compiled when kagi was built.
    Precompiled,
    /// Loaded from the cache.
    Hit,
    /// Compiled: there was no entry.
    Compiled,
    /// Compiled: the entry was corrupt or stale and was replaced.
    Rebuilt,
}

pub struct CodeCache {
    dir: PathBuf,
    key_file: PathBuf,
}

impl CodeCache {
    pub fn new(cache_dir: &Path) -> CodeCache {
        CodeCache {
            dir: cache_dir.join("compiled"),
            key_file: cache_dir.join(KEY_FILE),
        }
    }

    /// The file for a component under this engine.
    pub fn entry_path(&self, engine: &Engine, component_sha256: &str) -> PathBuf {
        let tag = super::engine_config::compatibility_tag(engine);
        self.dir.join(format!("{component_sha256}-{tag}.bin"))
    }

    pub fn load(
        &self,
        engine: &Engine,
        plugin: &str,
        wasm: &crate::registry::Wasm<'_>,
    ) -> wasmtime::Result<(Component, Outcome)> {
        // The key is the hash of exactly the bytes compiled below.
        let path = self.entry_path(engine, wasm.sha256());
        let mut outcome = Outcome::Compiled;
        // Without a private folder and key the cache is not used at all.
        let key = match self.key() {
            Ok(key) => Some(key),
            Err(e) => {
                log::debug(&format!(
                    "plugin {plugin}: not using the compiled-code cache: {e}"
                ));
                None
            }
        };
        if let Some(key) = &key
            && let Some(entry) = read_entry(&path)
        {
            match entry {
                Entry::NotPrivate => log::debug(&format!(
                    "plugin {plugin}: cache entry discarded: it is not the user's, or others can write it"
                )),
                Entry::Bytes { bytes, read } => {
                    let started = std::time::Instant::now();
                    let verified = verified_payload(key, &path, &bytes);
                    let checked = started.elapsed();
                    match verified {
                        Some(payload) => {
                            // SAFETY: the payload is exactly what this host
                            // serialised (its MAC proves it, and only this user
                            // has the key); wasmtime checks version and
                            // configuration itself and errors on a mismatch.
                            match unsafe { Component::deserialize(engine, payload) } {
                                Ok(component) => {
                                    log::debug(&format!(
                                        "plugin {plugin}: loaded compiled code from the cache ({} KiB: read {:.1} ms, MAC {:.1} ms, deserialize {:.1} ms)",
                                        bytes.len() / 1024,
                                        read.as_secs_f64() * 1000.0,
                                        checked.as_secs_f64() * 1000.0,
                                        (started.elapsed() - checked).as_secs_f64() * 1000.0
                                    ));
                                    return Ok((component, Outcome::Hit));
                                }
                                Err(e) => log::debug(&format!(
                                    "plugin {plugin}: stale cache entry discarded ({e})"
                                )),
                            }
                        }
                        None => log::debug(&format!(
                            "plugin {plugin}: corrupt cache entry discarded (its MAC does not match)"
                        )),
                    }
                }
            }
            let _ = fs::remove_file(&path);
            outcome = Outcome::Rebuilt;
        }
        log::debug(&format!("plugin {plugin}: compiling"));
        let component = Component::new(engine, wasm.bytes())?;
        if let Some(key) = &key
            && let Err(e) = self.store(key, &path, &component)
        {
            // A read-only cache costs speed, not correctness.
            log::debug(&format!(
                "plugin {plugin}: could not write the cache entry: {e}"
            ));
        }
        Ok((component, outcome))
    }

    fn store(&self, key: &Key, path: &Path, component: &Component) -> wasmtime::Result<()> {
        let payload = component.serialize()?;
        atomic_file::write(
            path,
            &[MAGIC, mac(key, path, &payload).as_bytes(), &payload],
        )?;
        Ok(())
    }

    /// The user's cache key, created on first use. A key file that is not
    /// the user's, that others can read or write, or that is malformed is
    /// replaced (which invalidates every entry made with the old key).
    fn key(&self) -> std::io::Result<Key> {
        let cache_dir = self
            .key_file
            .parent()
            .expect("the key lives in the cache folder");
        atomic_file::ensure_private_dir(cache_dir)?;
        atomic_file::ensure_private_dir(&self.dir)?;
        for _ in 0..2 {
            match read_key(&self.key_file) {
                Ok(key) => return Ok(key),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let key = new_key()?;
                    // Another kagi may create the key at the same moment: the
                    // first one wins and the other reads it.
                    if atomic_file::write_new(&self.key_file, &[&key])? {
                        return Ok(key);
                    }
                }
                Err(e) => {
                    log::debug(&format!(
                        "replacing the compiled-code cache key {}: {e}",
                        self.key_file.display()
                    ));
                    let key = new_key()?;
                    atomic_file::write(&self.key_file, &[&key])?;
                    return Ok(key);
                }
            }
        }
        Err(std::io::Error::other("the cache key keeps disappearing"))
    }
}

/// A cache entry as found on disk.
enum Entry {
    /// Owned by someone else or writable by others: never read.
    NotPrivate,
    Bytes {
        bytes: Vec<u8>,
        read: std::time::Duration,
    },
}

/// The entry at `path`, if there is one (a symbolic link is not followed).
fn read_entry(path: &Path) -> Option<Entry> {
    let started = std::time::Instant::now();
    let mut file = match atomic_file::open_no_follow(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        // A link or an unreadable file: replace it.
        Err(_) => return Some(Entry::NotPrivate),
    };
    let private = file
        .metadata()
        .is_ok_and(|m| m.is_file() && atomic_file::is_private(&m));
    if !private {
        return Some(Entry::NotPrivate);
    }
    let mut bytes = Vec::new();
    if file.read_to_end(&mut bytes).is_err() {
        bytes.clear();
    }
    Some(Entry::Bytes {
        bytes,
        read: started.elapsed(),
    })
}

fn read_key(path: &Path) -> std::io::Result<Key> {
    let mut file = atomic_file::open_no_follow(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || !atomic_file::is_secret(&meta) {
        return Err(std::io::Error::other(
            "it is not the user's, or others can read or write it",
        ));
    }
    let mut key = Key::default();
    let mut rest = Vec::new();
    file.read_exact(&mut key)?;
    file.read_to_end(&mut rest)?;
    if !rest.is_empty() {
        return Err(std::io::Error::other("it is longer than a key"));
    }
    Ok(key)
}

fn new_key() -> std::io::Result<Key> {
    let mut key = Key::default();
    getrandom::fill(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(key)
}

fn verified_payload<'a>(key: &Key, path: &Path, bytes: &'a [u8]) -> Option<&'a [u8]> {
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return None;
    }
    let (sum, payload) = bytes[MAGIC.len()..].split_at(MAC_LEN);
    // blake3::Hash compares in constant time.
    (mac(key, path, payload) == *<&[u8; MAC_LEN]>::try_from(sum).ok()?).then_some(payload)
}

/// The MAC stored in front of an entry's payload. It covers the file name
/// too, so a valid entry cannot pass for another component's.
fn mac(key: &Key, path: &Path, payload: &[u8]) -> blake3::Hash {
    let name = path
        .file_name()
        .map(|n| n.as_encoded_bytes())
        .unwrap_or_default();
    blake3::Hasher::new_keyed(key)
        .update(&(name.len() as u64).to_le_bytes())
        .update(name)
        .update(payload)
        .finalize()
}
