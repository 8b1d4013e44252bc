//! The local response cache (cli-surface §6.3), in the plugin's storage under
//! `responses/<16 hex>.json`. The key is a stable FNV-1a hash of the
//! namespace and the request (which includes the route, so API and session
//! answers are not mixed), and the request is stored beside the value and
//! compared on read. Freshness uses the TTL of the run reading the entry.

use kagi_plugin_sdk::{out, storage};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const DEFAULT_TTL: u64 = 900;

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    created_at: u64,
    ttl_seconds: u64,
    request: Value,
    value: Value,
}

/// FNV-1a, 64 bits: stable across builds and platforms.
fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// `responses/<16 lower-hex digits>.json` for a namespace and request.
pub fn key(namespace: &str, request: &Value) -> String {
    let mut h = fnv1a(namespace.as_bytes(), 0xcbf2_9ce4_8422_2325);
    h = fnv1a(&[0xff], h);
    h = fnv1a(request.to_string().as_bytes(), h);
    format!("responses/{h:016x}.json")
}

/// A fresh cached value, if any. Stale or unreadable entries are deleted.
pub fn get<T: DeserializeOwned>(namespace: &str, request: &Value, ttl: u64, now: u64) -> Option<T> {
    let key = key(namespace, request);
    let bytes = storage::get(&key).ok()??;
    let fresh = serde_json::from_slice::<Envelope>(&bytes)
        .ok()
        .filter(|env| &env.request == request && now.saturating_sub(env.created_at) <= ttl)
        .and_then(|env| serde_json::from_value::<T>(env.value).ok());
    if fresh.is_none() {
        let _ = storage::delete(&key);
    }
    fresh
}

/// Stores a value; a failure is a warning.
pub fn put<T: Serialize>(namespace: &str, request: &Value, ttl: u64, now: u64, value: &T) {
    let envelope = Envelope {
        created_at: now,
        ttl_seconds: ttl,
        request: request.clone(),
        value: serde_json::to_value(value).expect("responses serialise"),
    };
    let key = key(namespace, request);
    if let Err(e) = storage::set_json(&key, &envelope) {
        out::eprintln(&format!("warning: response not cached: {}", e.message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_stable_and_distinct() {
        let a = key("search", &json!({"query": "rust", "route": "api"}));
        assert_eq!(a, key("search", &json!({"query": "rust", "route": "api"})));
        assert_eq!(a.len(), "responses/".len() + 16 + ".json".len());
        assert_ne!(
            a,
            key("search", &json!({"query": "rust", "route": "session"}))
        );
        assert_ne!(
            a,
            key("news-search", &json!({"query": "rust", "route": "api"}))
        );
        // Pinned so that a change of hash (which would orphan users' caches) is deliberate.
        assert_eq!(key("", &json!(null)), "responses/138c4c50f0c2ca2f.json");
    }
}
