//! A response cache over the plugin's storage (needs `storage = true`): a
//! value is stored under a key derived from the request that produced it,
//! and read back only while younger than the TTL of the run reading it.
//!
//! ```ignore
//! let cache = Cache::new("answers", Duration::from_secs(900));
//! let request = Request::get(Service::Kagi, "/api/x").query("q", q);
//! if let Some(hit) = cache.get::<Answer>(&request) { return Ok(hit); }
//! let answer: Answer = request.send()?.checked_json(Family::FreeJson, "x")?;
//! cache.put(&request, &answer);
//! ```
//!
//! The key is `cache/<namespace>/<16 hex>.json`, a stable FNV-1a hash of the
//! request as JSON (method, target, path, query, headers, body and
//! credential: answers for different credentials never mix); the request is
//! stored beside the value and compared on read, so a hash collision is a
//! miss. Stale or unreadable entries are deleted when read.

use crate::{Error, out, storage};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A namespace of cached values with one time to live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    namespace: String,
    ttl: Duration,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    created_at: u64,
    request: Value,
    value: Value,
}

impl Entry {
    fn fresh_for(&self, request: &Value, ttl: Duration, now: u64) -> bool {
        &self.request == request && now.saturating_sub(self.created_at) <= ttl.as_secs()
    }
}

/// FNV-1a, 64 bits: stable across builds and platforms.
fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    pub fn new(namespace: &str, ttl: Duration) -> Self {
        Cache {
            namespace: namespace.to_string(),
            ttl,
        }
    }

    /// The storage key for `request`.
    pub fn key<K: Serialize + ?Sized>(&self, request: &K) -> Result<String, Error> {
        Ok(self.key_of(&serde_json::to_value(request)?))
    }

    fn key_of(&self, request: &Value) -> String {
        let hash = fnv1a(request.to_string().as_bytes(), 0xcbf2_9ce4_8422_2325);
        format!("cache/{}/{hash:016x}.json", self.namespace)
    }

    /// The cached value for `request`, when fresh. A TTL of zero never hits.
    pub fn get<T: DeserializeOwned, K: Serialize + ?Sized>(&self, request: &K) -> Option<T> {
        if self.ttl.is_zero() {
            return None;
        }
        let request = serde_json::to_value(request).ok()?;
        let key = self.key_of(&request);
        let bytes = storage::get(&key).ok()??;
        let fresh = serde_json::from_slice::<Entry>(&bytes)
            .ok()
            .filter(|entry| entry.fresh_for(&request, self.ttl, now()))
            .and_then(|entry| serde_json::from_value(entry.value).ok());
        if fresh.is_none() {
            let _ = storage::delete(&key);
        }
        fresh
    }

    /// Stores `value` for `request`. A cache that cannot be written is a
    /// warning on stderr, never a failed command.
    pub fn put<T: Serialize + ?Sized, K: Serialize + ?Sized>(&self, request: &K, value: &T) {
        if self.ttl.is_zero() {
            return;
        }
        let stored = (|| -> Result<(), Error> {
            let request = serde_json::to_value(request)?;
            let entry = Entry {
                created_at: now(),
                value: serde_json::to_value(value)?,
                request,
            };
            storage::set(&self.key_of(&entry.request), &serde_json::to_vec(&entry)?)
        })();
        if let Err(e) = stored {
            out::eprintln(&format!("warning: response not cached: {}", e.message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_stable_and_per_namespace_and_request() {
        let cache = Cache::new("answers", Duration::from_secs(60));
        let key = cache.key(&json!({"q": "rust"})).unwrap();
        assert_eq!(key, cache.key(&json!({"q": "rust"})).unwrap());
        assert!(
            key.starts_with("cache/answers/") && key.ends_with(".json"),
            "{key}"
        );
        assert_eq!(key.len(), "cache/answers/".len() + 16 + ".json".len());
        assert_ne!(key, cache.key(&json!({"q": "go"})).unwrap());
        let other = Cache::new("news", Duration::from_secs(60));
        assert_ne!(
            key.trim_start_matches("cache/answers/"),
            other
                .key(&json!({"q": "go"}))
                .unwrap()
                .trim_start_matches("cache/news/")
        );
    }

    #[test]
    fn entries_are_fresh_within_the_ttl_for_the_same_request_only() {
        let request = json!({"q": "rust"});
        let entry = Entry {
            created_at: 1_000,
            request: request.clone(),
            value: json!(1),
        };
        let ttl = Duration::from_secs(60);
        assert!(entry.fresh_for(&request, ttl, 1_060));
        assert!(!entry.fresh_for(&request, ttl, 1_061));
        assert!(!entry.fresh_for(&json!({"q": "go"}), ttl, 1_000));
    }
}
