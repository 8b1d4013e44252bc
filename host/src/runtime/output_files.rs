//! Files the user names for a plugin to write: the values of `output-file`
//! arguments (`assistant repl --export PATH`). The host checks each path
//! before the plugin runs and writes it when the plugin asks (`files.write`),
//! replacing only a regular file: never following a symbolic link, never
//! writing to a directory, a device or a pipe. The plugin never sees the path.

use crate::error::{Error, Result};
use crate::invocation::{Named, file_name};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most one write may put in a file.
pub const MAX_OUTPUT_BYTES: usize = 32 * 1024 * 1024;

/// A path the plugin may write, checked.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// The argument's manifest name, which the plugin writes it by.
    pub arg: String,
    path: PathBuf,
}

/// Checks every output path the user named: refused, naming it, when it is
/// not a regular file or its directory does not exist.
pub fn check_all(named: &[Named]) -> Result<Vec<OutputFile>> {
    named.iter().map(check_one).collect()
}

fn check_one(n: &Named) -> Result<OutputFile> {
    let cannot = |why: &str| {
        Error::Usage(format!(
            "cannot write `{}` given with {}: {why}",
            n.value, n.flag
        ))
    };
    let path = PathBuf::from(&n.value);
    if file_name(&n.value).is_none() || n.value.ends_with('/') {
        return Err(cannot("it names no file"));
    }
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(cannot("it is a symbolic link; name the file itself"));
        }
        Ok(meta) if meta.is_dir() => return Err(cannot("it is a directory")),
        Ok(meta) if !meta.is_file() => return Err(cannot("it is not a regular file")),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            if !dir.is_dir() {
                return Err(cannot("its directory does not exist"));
            }
        }
        Err(e) => return Err(cannot(&e.to_string())),
    }
    Ok(OutputFile {
        arg: n.arg.clone(),
        path,
    })
}

impl OutputFile {
    /// Replaces the file's content with `content`, re-checking at the moment
    /// of writing that the path is a regular file (it may have changed).
    pub fn write(&self, content: &[u8]) -> std::result::Result<(), String> {
        if content.len() > MAX_OUTPUT_BYTES {
            return Err(format!(
                "{} bytes is over the {} MiB limit for an output file",
                content.len(),
                MAX_OUTPUT_BYTES / (1024 * 1024)
            ));
        }
        let shown = self.path.display();
        let mut file =
            open_regular(&self.path).map_err(|e| format!("cannot write `{shown}`: {e}"))?;
        let written = file
            .set_len(0)
            .and_then(|()| file.write_all(content))
            .and_then(|()| file.flush());
        written.map_err(|e| format!("cannot write `{shown}`: {e}"))
    }
}

/// Opens `path` for writing without following a symbolic link or blocking on
/// a pipe, and only if what it opened is a regular file (not truncated yet).
fn open_regular(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(path: &Path) -> Named {
        Named {
            arg: "export".into(),
            flag: "--export".into(),
            value: path.display().to_string(),
        }
    }

    #[test]
    fn a_new_or_regular_file_is_written_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chat.json");
        let files = check_all(&[named(&path)]).unwrap();
        assert!(
            !path.exists(),
            "nothing is created before the plugin writes"
        );
        files[0].write(b"a longer first version").unwrap();
        files[0].write(b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(files[0].arg, "export");
    }

    #[cfg(unix)]
    #[test]
    fn links_directories_pipes_and_missing_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let refusal = |p: &Path| check_all(&[named(p)]).unwrap_err().to_string();
        assert!(refusal(&link).ends_with("it is a symbolic link; name the file itself"));
        assert!(refusal(dir.path()).ends_with("it is a directory"));
        assert!(
            refusal(&dir.path().join("no/such/file")).ends_with("its directory does not exist")
        );
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(refusal(&fifo).ends_with("it is not a regular file"));

        // A path swapped for a link after the check is still not followed.
        let path = dir.path().join("later");
        let files = check_all(&[named(&path)]).unwrap();
        std::os::unix::fs::symlink(&target, &path).unwrap();
        assert!(files[0].write(b"overwritten").is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
    }

    #[test]
    fn content_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let files = check_all(&[named(&dir.path().join("big"))]).unwrap();
        let e = files[0].write(&vec![0; MAX_OUTPUT_BYTES + 1]).unwrap_err();
        assert!(
            e.ends_with("over the 32 MiB limit for an output file"),
            "{e}"
        );
    }
}
