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
fn a_stale_entry_with_a_valid_mac_is_rebuilt() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    smallweb(&env);
    let file = entries(&env).remove(0);
    // A well-formed entry whose payload wasmtime will not accept, as after
    // an upgrade that changed the format.
    let payload = b"\x7fELF this is not code this engine produced".to_vec();
    std::fs::write(&file, entry(&user_key(&env), &file, &payload)).unwrap();
    let run = smallweb(&env);
    assert_contains(&run.stderr, "plugin news: stale cache entry discarded");
    assert_contains(&run.stderr, "plugin news: compiling");
}

#[test]
fn a_forged_cache_entry_without_the_users_key_is_rebuilt_not_loaded() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    smallweb(&env);
    let file = entries(&env).remove(0);
    let genuine = std::fs::read(&file).unwrap();
    let payload = &genuine[HEADER_LEN..];
    // Real compiled code under the old format's checksum (which anyone can
    // compute), and under a MAC with a key other than the user's.
    let mut old_format = b"KAGIBIN2".to_vec();
    old_format.extend_from_slice(&xxhash_rust::xxh3::xxh3_128(payload).to_le_bytes());
    old_format.extend_from_slice(payload);
    for forged in [old_format, entry(&[7; 32], &file, payload)] {
        std::fs::write(&file, forged).unwrap();
        let run = smallweb(&env);
        assert_contains(&run.stderr, "plugin news: corrupt cache entry discarded");
        assert_contains(&run.stderr, "plugin news: compiling");
        assert!(
            !run.stderr.contains("loaded compiled code"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_valid_entry_moved_under_another_components_name_is_rebuilt() {
    let env = crate::support::session_env()
        .private_cache()
        .var("KAGI_LOG", "debug");
    smallweb(&env);
    let news = entries(&env).remove(0);
    let run = env.run(&["search", "rust"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let search = entries(&env).into_iter().find(|f| *f != news).unwrap();
    // The news plugin's code, with its MAC, where the search plugin's goes.
    std::fs::copy(&news, &search).unwrap();
    let run = env.run(&["search", "rust"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stderr, "plugin search: corrupt cache entry discarded");
    assert_contains(&run.stderr, "plugin search: compiling");
}

#[cfg(unix)]
#[test]
fn a_cache_entry_others_can_write_is_ignored_and_rebuilt() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    smallweb(&env);
    let file = entries(&env).remove(0);
    for mode in [0o620, 0o602] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let run = smallweb(&env);
        assert_contains(
            &run.stderr,
            "plugin news: cache entry discarded: it is not the user's, or others can write it",
        );
        assert_contains(&run.stderr, "plugin news: compiling");
        assert_eq!(mode_of(&file), 0o600);
    }
}

#[cfg(unix)]
#[test]
fn a_cache_key_others_can_read_is_replaced_and_the_entries_rebuilt() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    smallweb(&env);
    let key_file = env.cache_dir.join("mac.key");
    let old_key = user_key(&env);
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = smallweb(&env);
    assert_contains(&run.stderr, "replacing the compiled-code cache key");
    assert_contains(&run.stderr, "plugin news: corrupt cache entry discarded");
    assert_ne!(user_key(&env), old_key);
    assert_eq!(mode_of(&key_file), 0o600);
    let run = smallweb(&env);
    assert_contains(&run.stderr, "loaded compiled code from the cache");
}

#[cfg(unix)]
#[test]
fn the_cache_and_storage_are_readable_only_by_the_user() {
    let env = crate::support::session_env().private_cache();
    let run = env.run(&["search", "rust"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cache = &env.cache_dir;
    let storage = env.state_dir().join("storage");
    for dir in [
        cache.clone(),
        cache.join("compiled"),
        storage.clone(),
        storage.join("search"),
    ] {
        assert_eq!(mode_of(&dir), 0o700, "{}", dir.display());
    }
    let mut files = entries(&env);
    files.push(cache.join("mac.key"));
    files.push(storage.join("search/history.jsonl"));
    for file in files {
        assert_eq!(mode_of(&file), 0o600, "{}", file.display());
    }
}

#[cfg(unix)]
fn mode_of(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The entry format, as host/src/runtime/cache.rs writes it: magic, a keyed
/// BLAKE3 MAC of the file name (length-prefixed) and payload, the payload.
const HEADER_LEN: usize = 8 + 32;

fn entry(key: &[u8; 32], file: &std::path::Path, payload: &[u8]) -> Vec<u8> {
    let name = file.file_name().unwrap().as_encoded_bytes();
    let mac = blake3::Hasher::new_keyed(key)
        .update(&(name.len() as u64).to_le_bytes())
        .update(name)
        .update(payload)
        .finalize();
    [b"KAGIBIN3".as_slice(), mac.as_bytes(), payload].concat()
}

fn user_key(env: &Env) -> [u8; 32] {
    std::fs::read(env.cache_dir.join("mac.key"))
        .unwrap()
        .try_into()
        .unwrap()
}
