//! The compiled-code cache: compile once, load afterwards, rebuild what is
//! corrupt or stale.

use crate::support::{Env, assert_contains};
use std::path::PathBuf;

fn entries(env: &Env) -> Vec<PathBuf> {
    let dir = env.cache_dir.join("compiled");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn smallweb(env: &Env) -> crate::support::Run {
    let run = env.run(&["smallweb", "--limit", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "\"xml\"");
    run
}

#[test]
fn the_second_run_loads_compiled_code_instead_of_compiling() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    let first = smallweb(&env);
    assert_contains(&first.stderr, "kagi[debug]: plugin news: compiling");
    let files = entries(&env);
    assert_eq!(files.len(), 1, "one cache entry: {files:?}");
    let modified = std::fs::metadata(&files[0]).unwrap().modified().unwrap();

    let second = smallweb(&env);
    assert!(
        second
            .stderr
            .contains("kagi[debug]: plugin news: loaded compiled code from the cache"),
        "{}",
        second.stderr
    );
    assert!(!second.stderr.contains("compiling"), "{}", second.stderr);
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().modified().unwrap(),
        modified
    );
}

#[test]
fn a_corrupt_cache_entry_is_discarded_and_rebuilt() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    smallweb(&env);
    let file = entries(&env).remove(0);
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();

    let run = smallweb(&env);
    assert_contains(&run.stderr, "plugin news: corrupt cache entry discarded");
    assert_contains(&run.stderr, "plugin news: compiling");
    let run = smallweb(&env);
    assert_contains(&run.stderr, "loaded compiled code from the cache");

    // Garbage and an empty file are handled the same way.
    for junk in [b"not a cache entry".to_vec(), Vec::new()] {
        std::fs::write(&file, junk).unwrap();
        let run = smallweb(&env);
        assert_contains(&run.stderr, "corrupt cache entry discarded");
    }
}

#[test]
fn a_stale_entry_with_a_valid_checksum_is_rebuilt() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    smallweb(&env);
    let file = entries(&env).remove(0);
    // A well-formed entry whose payload wasmtime will not accept, as after
    // an upgrade that changed the format.
    let payload = b"\x7fELF this is not code this engine produced".to_vec();
    let mut entry = b"KAGIBIN2".to_vec();
    entry.extend_from_slice(&checksum(&payload));
    entry.extend_from_slice(&payload);
    std::fs::write(&file, entry).unwrap();
    let run = smallweb(&env);
    assert_contains(&run.stderr, "plugin news: stale cache entry discarded");
    assert_contains(&run.stderr, "plugin news: compiling");
}

/// The entry format's checksum (XXH3-128, little-endian), as host/src/runtime/cache.rs writes it.
fn checksum(payload: &[u8]) -> [u8; 16] {
    xxhash_rust::xxh3::xxh3_128(payload).to_le_bytes()
}
