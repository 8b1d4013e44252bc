//! The plugin's private key-value store, kept by the host (for plugins whose
//! manifest declares `storage = true`).

use crate::Error;
use crate::bindings::kagi::plugin::storage as wit;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn storage_error(e: String) -> Error {
    Error::config(format!("local storage: {e}"))
}

pub fn get(key: &str) -> Result<Option<Vec<u8>>, Error> {
    wit::get(key).map_err(storage_error)
}

/// Atomically replaces the value.
pub fn set(key: &str, value: &[u8]) -> Result<(), Error> {
    wit::set(key, value).map_err(storage_error)
}

/// Appends in one write (safe with concurrent runs).
pub fn append(key: &str, value: &[u8]) -> Result<(), Error> {
    wit::append(key, value).map_err(storage_error)
}

pub fn delete(key: &str) -> Result<bool, Error> {
    wit::delete(key).map_err(storage_error)
}

pub fn list(prefix: &str) -> Result<Vec<String>, Error> {
    wit::keys(prefix).map_err(storage_error)
}

/// The value as JSON, `None` when absent.
pub fn get_json<T: DeserializeOwned>(key: &str) -> Result<Option<T>, Error> {
    match get(key)? {
        None => Ok(None),
        Some(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::config(format!(
                "local storage `{key}` is corrupt ({e}); delete it to start over"
            ))
        }),
    }
}

pub fn set_json<T: Serialize>(key: &str, value: &T) -> Result<(), Error> {
    set(key, &serde_json::to_vec_pretty(value)?)
}

/// Holds an exclusive cross-process lock until dropped.
pub struct Lock {
    _inner: wit::Lock,
}

/// Waits for the lock `name`: use it around read-modify-write of a key.
pub fn lock(name: &str) -> Result<Lock, Error> {
    wit::acquire_lock(name)
        .map(|l| Lock { _inner: l })
        .map_err(storage_error)
}
