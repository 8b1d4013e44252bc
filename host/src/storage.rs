//! Plugin-scoped storage on disk: `<data dir>/storage/<plugin>/<key>`.
//! Keys cannot escape the plugin's folder; writes are atomic; appends are one
//! write with O_APPEND, so concurrent runs do not interleave or corrupt.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Store {
    root: PathBuf,
}

/// A held lock; released on drop.
pub struct StoreLock {
    _file: File,
}

impl Store {
    pub fn new(data_dir: &Path, plugin: &str) -> Store {
        Store {
            root: data_dir.join("storage").join(plugin),
        }
    }

    fn path(&self, key: &str) -> Result<PathBuf, String> {
        let valid = !key.is_empty()
            && key.len() <= 200
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
            && key
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
            && !key.starts_with(".lock");
        if valid {
            Ok(self.root.join(key))
        } else {
            Err(format!("invalid storage key `{key}`"))
        }
    }

    pub fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        match fs::read(self.path(key)?) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read `{key}`: {e}")),
        }
    }

    pub fn set(&self, key: &str, value: &[u8]) -> Result<(), String> {
        crate::atomic_file::write(&self.path(key)?, &[value])
            .map_err(|e| format!("cannot write `{key}`: {e}"))
    }

    pub fn append(&self, key: &str, value: &[u8]) -> Result<(), String> {
        let path = self.path(key)?;
        let dir = path.parent().expect("keys live under the root");
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| format!("cannot append to `{key}`: {e}"))?;
        file.write_all(value)
            .map_err(|e| format!("cannot append to `{key}`: {e}"))
    }

    pub fn delete(&self, key: &str) -> Result<bool, String> {
        match fs::remove_file(self.path(key)?) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(format!("cannot delete `{key}`: {e}")),
        }
    }

    pub fn keys(&self, prefix: &str) -> Result<Vec<String>, String> {
        let mut keys = Vec::new();
        collect_keys(&self.root, &self.root, &mut keys)
            .map_err(|e| format!("cannot list storage: {e}"))?;
        keys.retain(|k| k.starts_with(prefix));
        keys.sort();
        Ok(keys)
    }

    pub fn lock(&self, name: &str) -> Result<StoreLock, String> {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        {
            return Err(format!("invalid lock name `{name}`"));
        }
        let dir = self.root.join(".locks");
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(name))
            .map_err(|e| format!("cannot open lock `{name}`: {e}"))?;
        fs4::fs_std::FileExt::lock_exclusive(&file)
            .map_err(|e| format!("cannot take lock `{name}`: {e}"))?;
        Ok(StoreLock { _file: file })
    }
}

fn collect_keys(root: &Path, dir: &Path, keys: &mut Vec<String>) -> std::io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(".") {
            continue;
        }
        if path.is_dir() {
            collect_keys(root, &path, keys)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            keys.push(rel.to_string_lossy().replace('\\', "/"));
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
        let store = Store::new(dir.path(), "demo");
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
}
