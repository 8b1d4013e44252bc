//! The compiled-code cache: compile once, load afterwards, rebuild what is
//! corrupt or stale. Built-in plugins never use it (their code was compiled
//! when kagi was built); third-party components do, so these tests run the
//! test plugin `fake-news` straight from its file.

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

fn fake_news(env: &Env) -> crate::support::Run {
    let run = env.run_plugin_test("fake-news", &[], &["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "fake news");
    run
}

#[test]
fn built_in_plugins_run_their_code_compiled_at_build_time_even_the_first_time() {
    let env = crate::support::session_env()
        .private_cache()
        .var("KAGI_LOG", "debug");
    for (plugin, args) in [
        ("news", &["smallweb", "--limit", "1"][..]),
        ("search", &["search", "rust"][..]),
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_contains(
            &run.stderr,
            &format!("kagi[debug]: plugin {plugin}: loaded the code compiled when kagi was built"),
        );
        assert!(!run.stderr.contains("compiling"), "{}", run.stderr);
    }
    assert_eq!(entries(&env), Vec::<PathBuf>::new(), "nothing was cached");
}

#[test]
fn a_valid_cache_entry_planted_under_a_built_in_plugins_name_is_never_loaded() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    // The attacker holds the user's key and plants real compiled code, the
    // fake-news plugin's, with a valid MAC, exactly where the built-in news
    // plugin's entry would go.
    fake_news(&env);
    let fake = entries(&env).remove(0);
    let name = fake.file_name().unwrap().to_str().unwrap();
    let (_, engine_tag) = name.split_once('-').unwrap();
    let info = env.run(&["plugin", "info", "news"]);
    let news_sha = info
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("sha256: "))
        .unwrap_or_else(|| panic!("no sha256 in {}", info.stdout));
    let planted = fake.with_file_name(format!("{news_sha}-{engine_tag}"));
    let payload = std::fs::read(&fake).unwrap()[HEADER_LEN..].to_vec();
    std::fs::write(&planted, entry(&user_key(&env), &planted, &payload)).unwrap();

    let run = env.run(&["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("fake news"), "{}", run.stdout);
    assert_contains(
        &run.stderr,
        "plugin news: loaded the code compiled when kagi was built",
    );
}

#[test]
fn an_installed_plugin_is_compiled_at_install_so_its_first_run_loads_it() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    let path = crate::support::test_plugin("fake-news");
    let install = env.run(&[
        "plugin",
        "install",
        path.to_str().unwrap(),
        "--yes",
        "--replace",
    ]);
    assert_eq!(install.code, 0, "{}", install.stderr);
    assert_contains(&install.stderr, "kagi[debug]: plugin fake-news: compiling");
    assert_eq!(entries(&env).len(), 1);
    let run = env.run(&["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "fake news\n");
    assert_contains(
        &run.stderr,
        "kagi[debug]: plugin fake-news: loaded compiled code from the cache",
    );
    assert!(!run.stderr.contains("compiling"), "{}", run.stderr);
}

#[test]
fn the_second_run_loads_compiled_code_instead_of_compiling() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    let first = fake_news(&env);
    assert_contains(&first.stderr, "kagi[debug]: plugin fake-news: compiling");
    let files = entries(&env);
    assert_eq!(files.len(), 1, "one cache entry: {files:?}");
    let modified = std::fs::metadata(&files[0]).unwrap().modified().unwrap();

    let second = fake_news(&env);
    assert!(
        second
            .stderr
            .contains("kagi[debug]: plugin fake-news: loaded compiled code from the cache"),
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
    fake_news(&env);
    let file = entries(&env).remove(0);
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();

    let run = fake_news(&env);
    assert_contains(
        &run.stderr,
        "plugin fake-news: corrupt cache entry discarded",
    );
    assert_contains(&run.stderr, "plugin fake-news: compiling");
    let run = fake_news(&env);
    assert_contains(&run.stderr, "loaded compiled code from the cache");

    // Garbage and an empty file are handled the same way.
    for junk in [b"not a cache entry".to_vec(), Vec::new()] {
        std::fs::write(&file, junk).unwrap();
        let run = fake_news(&env);
        assert_contains(&run.stderr, "corrupt cache entry discarded");
    }
}

#[test]
fn a_stale_entry_with_a_valid_mac_is_rebuilt() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    fake_news(&env);
    let file = entries(&env).remove(0);
    // A well-formed entry whose payload wasmtime will not accept, as after
    // an upgrade that changed the format.
    let payload = b"\x7fELF this is not code this engine produced".to_vec();
    std::fs::write(&file, entry(&user_key(&env), &file, &payload)).unwrap();
    let run = fake_news(&env);
    assert_contains(&run.stderr, "plugin fake-news: stale cache entry discarded");
    assert_contains(&run.stderr, "plugin fake-news: compiling");
}

#[test]
fn a_forged_cache_entry_without_the_users_key_is_rebuilt_not_loaded() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    fake_news(&env);
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
        let run = fake_news(&env);
        assert_contains(
            &run.stderr,
            "plugin fake-news: corrupt cache entry discarded",
        );
        assert_contains(&run.stderr, "plugin fake-news: compiling");
        assert!(
            !run.stderr.contains("loaded compiled code"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_valid_entry_moved_under_another_components_name_is_rebuilt() {
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    fake_news(&env);
    let news = entries(&env).remove(0);
    let escaper = || env.run_plugin_test("escaper", &[], &["escaper", "print"]);
    let first = escaper();
    assert_eq!(first.code, 0, "{}", first.stderr);
    let other = entries(&env).into_iter().find(|f| *f != news).unwrap();
    // The fake-news plugin's code, with its MAC, where the escaper's goes.
    std::fs::copy(&news, &other).unwrap();
    let run = escaper();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stderr, "plugin escaper: corrupt cache entry discarded");
    assert_contains(&run.stderr, "plugin escaper: compiling");
}

#[cfg(unix)]
#[test]
fn a_cache_entry_others_can_write_is_ignored_and_rebuilt() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    fake_news(&env);
    let file = entries(&env).remove(0);
    for mode in [0o620, 0o602] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let run = fake_news(&env);
        assert_contains(
            &run.stderr,
            "plugin fake-news: cache entry discarded: it is not the user's, or others can write it",
        );
        assert_contains(&run.stderr, "plugin fake-news: compiling");
        assert_eq!(mode_of(&file), 0o600);
    }
}

#[cfg(unix)]
#[test]
fn a_cache_key_others_can_read_is_replaced_and_the_entries_rebuilt() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new().private_cache().var("KAGI_LOG", "debug");
    fake_news(&env);
    let key_file = env.cache_dir.join("mac.key");
    let old_key = user_key(&env);
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = fake_news(&env);
    assert_contains(&run.stderr, "replacing the compiled-code cache key");
    assert_contains(
        &run.stderr,
        "plugin fake-news: corrupt cache entry discarded",
    );
    assert_ne!(user_key(&env), old_key);
    assert_eq!(mode_of(&key_file), 0o600);
    let run = fake_news(&env);
    assert_contains(&run.stderr, "loaded compiled code from the cache");
}

#[cfg(unix)]
#[test]
fn the_cache_and_storage_are_readable_only_by_the_user() {
    let env = crate::support::session_env().private_cache();
    let run = env.run(&["search", "rust"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    fake_news(&env);
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
