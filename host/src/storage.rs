//! Plugin-scoped storage on disk: `<data dir>/storage/<plugin>/<key>`.
//! Keys cannot escape the plugin's folder (no `..`, no symbolic links on the
//! way, no Windows device names); writes are atomic; appends are one write
//! with O_APPEND, so concurrent runs do not interleave or corrupt. Folders are
//! 0700 and files 0600. A plugin's storage has a quota of bytes and keys.

use crate::atomic_file;
use crate::capabilities::{STORAGE_QUOTA_BYTES, STORAGE_QUOTA_KEYS};
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub struct Store {
    root: PathBuf,
    /// What the plugin uses: counted on the first write of a run, then kept
    /// up to date by each write (not recounted).
    usage: Option<Usage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Usage {
    bytes: u64,
    keys: u64,
}

/// A held lock; released on drop.
pub struct StoreLock {
    _file: File,
}

/// Names Windows reserves for devices, with or without an extension.
const DEVICE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "conin$", "conout$", "com0", "com1", "com2", "com3", "com4",
    "com5", "com6", "com7", "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6",
    "lpt7", "lpt8", "lpt9",
];

fn is_device_name(part: &str) -> bool {
    let stem = part.split('.').next().unwrap_or(part);
    DEVICE_NAMES.iter().any(|d| stem.eq_ignore_ascii_case(d))
}

const MIB: u64 = 1024 * 1024;

impl Store {
    pub fn new(data_dir: &Path, plugin: &str) -> Store {
        Store {
            root: data_dir.join("storage").join(plugin),
            usage: None,
        }
    }

    /// The file of `key`, after checking that the key is well-formed and that
    /// nothing from the storage folder down to it is a symbolic link.
    fn path(&self, key: &str) -> Result<PathBuf, String> {
        let valid = !key.is_empty()
            && key.len() <= 200
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
            && key.split('/').all(|part| {
                !part.is_empty() && part != "." && part != ".." && !is_device_name(part)
            })
            && !key.starts_with(".lock");
        if !valid {
            return Err(format!("invalid storage key `{key}`"));
        }
        self.without_symlinks(key)
    }

    /// `<root>/<rel>`, after checking that nothing from the storage folder
    /// down to it is a symbolic link (which could lead outside it).
    fn without_symlinks(&self, rel: &str) -> Result<PathBuf, String> {
        let storage = self.root.parent().expect("the root is storage/<plugin>");
        let mut at = self.root.clone();
        let mut checks = vec![storage.to_path_buf(), at.clone()];
        for part in rel.split('/') {
            at.push(part);
            checks.push(at.clone());
        }
        for path in checks {
            match fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(format!(
                        "storage refuses `{rel}`: {} is a symbolic link; remove it",
                        path.display()
                    ));
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(e) => return Err(format!("cannot check `{rel}`: {e}")),
            }
        }
        Ok(at)
    }

    /// The size of the file at `path`, if there is one.
    fn size(path: &Path) -> Option<u64> {
        fs::symlink_metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }

    /// Makes the storage folders private (once per run) and counts usage.
    fn usage(&mut self) -> Result<Usage, String> {
        if let Some(usage) = self.usage {
            return Ok(usage);
        }
        // Folders made by older versions may be open to other users.
        let storage = self.root.parent().expect("the root is storage/<plugin>");
        for dir in [storage, &self.root] {
            atomic_file::ensure_private_dir(dir)
                .map_err(|e| format!("cannot prepare {}: {e}", dir.display()))?;
        }
        let mut usage = Usage { bytes: 0, keys: 0 };
        walk(&self.root, &self.root, &mut |_, size| {
            usage.bytes += size;
            usage.keys += 1;
        })
        .map_err(|e| format!("cannot measure storage: {e}"))?;
        self.usage = Some(usage);
        Ok(usage)
    }

    /// The usage after `key` (now `old` bytes, or absent) becomes `new` bytes,
    /// or an error if that is over the quota.
    fn after_write(&mut self, key: &str, old: Option<u64>, new: u64) -> Result<Usage, String> {
        let usage = self.usage()?;
        let after = Usage {
            bytes: usage.bytes - old.unwrap_or(0).min(usage.bytes) + new,
            keys: usage.keys + u64::from(old.is_none()),
        };
        if after.keys > STORAGE_QUOTA_KEYS {
            return Err(format!(
                "storage is full: `{key}` would be one key more than the quota of {STORAGE_QUOTA_KEYS} keys; delete keys that are no longer needed"
            ));
        }
        if after.bytes > STORAGE_QUOTA_BYTES && after.bytes > usage.bytes {
            return Err(format!(
                "storage is full: writing `{key}` would use more than the quota of {} MiB; delete keys that are no longer needed",
                STORAGE_QUOTA_BYTES / MIB
            ));
        }
        Ok(after)
    }

    pub fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        let mut file = match atomic_file::open_no_follow(&self.path(key)?) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read `{key}`: {e}")),
        };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read `{key}`: {e}"))?;
        Ok(Some(bytes))
    }

    pub fn set(&mut self, key: &str, value: &[u8]) -> Result<(), String> {
        let path = self.path(key)?;
        let after = self.after_write(key, Store::size(&path), value.len() as u64)?;
        atomic_file::write(&path, &[value]).map_err(|e| format!("cannot write `{key}`: {e}"))?;
        self.usage = Some(after);
        Ok(())
    }

    pub fn append(&mut self, key: &str, value: &[u8]) -> Result<(), String> {
        let path = self.path(key)?;
        let old = Store::size(&path);
        let after = self.after_write(key, old, old.unwrap_or(0) + value.len() as u64)?;
        let dir = path.parent().expect("keys live under the root");
        atomic_file::create_private_dir(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut file = atomic_file::no_follow(OpenOptions::new().create(true).append(true))
            .open(&path)
            .map_err(|e| format!("cannot append to `{key}`: {e}"))?;
        file.write_all(value)
            .map_err(|e| format!("cannot append to `{key}`: {e}"))?;
        self.usage = Some(after);
        Ok(())
    }

    pub fn delete(&mut self, key: &str) -> Result<bool, String> {
        let path = self.path(key)?;
        let old = Store::size(&path);
        match fs::remove_file(&path) {
            Ok(()) => {
                if let (Some(usage), Some(size)) = (&mut self.usage, old) {
                    usage.bytes = usage.bytes.saturating_sub(size);
                    usage.keys = usage.keys.saturating_sub(1);
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(format!("cannot delete `{key}`: {e}")),
        }
    }

    pub fn keys(&self, prefix: &str) -> Result<Vec<String>, String> {
        let mut keys = Vec::new();
        walk(&self.root, &self.root, &mut |key, _| {
            if key.starts_with(prefix) {
                keys.push(key);
            }
        })
        .map_err(|e| format!("cannot list storage: {e}"))?;
        keys.sort();
        Ok(keys)
    }

    pub fn lock(&self, name: &str) -> Result<StoreLock, String> {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            || is_device_name(name)
        {
            return Err(format!("invalid lock name `{name}`"));
        }
        let path = self.without_symlinks(&format!(".locks/{name}"))?;
        let dir = path.parent().expect("locks live in .locks");
        atomic_file::create_private_dir(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let file =
            atomic_file::no_follow(OpenOptions::new().create(true).truncate(false).write(true))
                .open(&path)
                .map_err(|e| format!("cannot open lock `{name}`: {e}"))?;
        fs4::fs_std::FileExt::lock_exclusive(&file)
            .map_err(|e| format!("cannot take lock `{name}`: {e}"))?;
        Ok(StoreLock { _file: file })
    }
}

/// Calls `found(key, size)` for every key under `dir`. Hidden entries (locks,
/// temporary files) and symbolic links are not keys.
fn walk(root: &Path, dir: &Path, found: &mut dyn FnMut(String, u64)) -> std::io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(root, &path, found)?;
        } else if kind.is_file()
            && let Ok(rel) = path.strip_prefix(root)
        {
            let size = entry.metadata()?.len();
            found(rel.to_string_lossy().replace('\\', "/"), size);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_inside_the_plugin_folder() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::new(dir.path(), "demo");
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "",
            "a//b",
            ".locks/x",
            "a b",
        ] {
            assert!(store.set(bad, b"x").is_err(), "{bad}");
        }
        store.set("cache/a.json", b"1").unwrap();
        store.append("history.jsonl", b"a\n").unwrap();
        store.append("history.jsonl", b"b\n").unwrap();
        assert_eq!(store.get("history.jsonl").unwrap().unwrap(), b"a\nb\n");
        assert_eq!(
            store.keys("").unwrap(),
            vec!["cache/a.json", "history.jsonl"]
        );
        assert_eq!(store.keys("cache/").unwrap(), vec!["cache/a.json"]);
        assert!(store.delete("cache/a.json").unwrap());
        assert!(!store.delete("cache/a.json").unwrap());
        assert_eq!(store.get("missing").unwrap(), None);
        let _lock = store.lock("history").unwrap();
    }

    #[test]
    fn windows_device_names_are_refused_as_key_parts() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::new(dir.path(), "demo");
        for bad in [
            "CON",
            "nul",
            "Nul.txt",
            "a/com1",
            "lpt9.tar.gz/x",
            "aux",
            "prn.json",
        ] {
            let err = store.set(bad, b"x").unwrap_err();
            assert_eq!(err, format!("invalid storage key `{bad}`"));
        }
        assert!(store.lock("con").is_err());
        for fine in ["console", "com10", "nully.txt", "a/conf"] {
            store.set(fine, b"x").unwrap();
        }
    }

    #[test]
    fn the_quota_bounds_bytes_and_keys() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::new(dir.path(), "demo");
        let mib = vec![0u8; MIB as usize];
        for i in 0..64 {
            store.set(&format!("big/{i}"), &mib).unwrap();
        }
        let err = store.set("one-more", b"x").unwrap_err();
        assert_eq!(
            err,
            "storage is full: writing `one-more` would use more than the quota of 64 MiB; delete keys that are no longer needed"
        );
        assert!(store.append("big/0", b"x").is_err());
        // Replacing a value with one no larger is fine; deleting makes room.
        store.set("big/0", b"small").unwrap();
        store.append("big/0", b"er").unwrap();
        assert!(store.delete("big/1").unwrap());
        store.set("one-more", b"x").unwrap();

        // A fresh run counts what is on disk.
        let mut again = Store::new(dir.path(), "demo");
        assert!(
            again
                .set("another", &[mib.as_slice(), &mib].concat())
                .is_err()
        );
        again.set("another", b"fits").unwrap();
    }

    #[test]
    fn the_quota_bounds_the_number_of_keys() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::new(dir.path(), "demo");
        for i in 0..STORAGE_QUOTA_KEYS {
            store.set(&format!("k/{i}"), b"").unwrap();
        }
        assert_eq!(
            store.append("k/new", b"x").unwrap_err(),
            "storage is full: `k/new` would be one key more than the quota of 10000 keys; delete keys that are no longer needed"
        );
        store.set("k/0", b"replacing is fine").unwrap();
        store.delete("k/1").unwrap();
        store.set("k/new", b"x").unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn storage_an_older_version_left_open_is_made_private_on_the_first_write() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("storage/demo");
        fs::create_dir_all(&root).unwrap();
        for d in [dir.path().join("storage"), root.clone()] {
            fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
        }
        Store::new(dir.path(), "demo").set("k", b"v").unwrap();
        for d in [dir.path().join("storage"), root] {
            assert_eq!(
                fs::metadata(&d).unwrap().permissions().mode() & 0o777,
                0o700
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_in_the_storage_folder_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::create_dir(&outside).unwrap();
        fs::write(outside.join("secret"), b"secret").unwrap();
        let mut store = Store::new(dir.path(), "demo");
        store.set("real", b"1").unwrap();
        let root = dir.path().join("storage/demo");
        assert_eq!(
            fs::metadata(&root).unwrap().permissions().mode() & 0o777,
            0o700
        );
        assert_eq!(
            fs::metadata(root.join("real"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );

        std::os::unix::fs::symlink(outside.join("secret"), root.join("file")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("dir")).unwrap();
        for key in ["file", "dir/secret", "dir/new"] {
            let refused = format!("storage refuses `{key}`: ");
            assert!(store.get(key).unwrap_err().starts_with(&refused), "{key}");
            assert!(
                store.set(key, b"x").unwrap_err().starts_with(&refused),
                "{key}"
            );
            assert!(
                store.append(key, b"x").unwrap_err().starts_with(&refused),
                "{key}"
            );
        }
        assert_eq!(fs::read(outside.join("secret")).unwrap(), b"secret");
        assert!(!outside.join("new").exists());
        assert_eq!(store.keys("").unwrap(), vec!["real"]);
    }
}
