//! Files the user names: the values of `file` arguments, read by the host
//! before the plugin runs, within a size limit per file and in total. The
//! plugin gets each file's name (never its path: it sees no directories), a
//! MIME type guessed from the name, and the content on request.

use crate::error::{Error, Result};
use crate::invocation::{Named, file_name};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// The largest file a plugin may be handed.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// All the files of one run together.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

/// One file, read.
#[derive(Debug, Clone)]
pub struct NamedFile {
    /// The argument's manifest name.
    pub arg: String,
    /// The file's name without directories.
    pub name: String,
    pub content_type: String,
    pub data: Arc<[u8]>,
}

/// Reads every file the user named, refusing one that is missing,
/// unreadable or over a limit, with the file and the limit in the message.
pub fn read_all(named: &[Named]) -> Result<Vec<NamedFile>> {
    read_all_within(named, MAX_FILE_BYTES, MAX_TOTAL_BYTES)
}

fn read_all_within(named: &[Named], per_file: u64, total: u64) -> Result<Vec<NamedFile>> {
    let mut files = Vec::with_capacity(named.len());
    let mut used: u64 = 0;
    for n in named {
        let left = total - used;
        let file = read_one(n, per_file, left, total)?;
        used += file.data.len() as u64;
        files.push(file);
    }
    Ok(files)
}

fn read_one(n: &Named, per_file: u64, left: u64, total: u64) -> Result<NamedFile> {
    let path = Path::new(&n.value);
    let cannot = |why: String| {
        Error::Usage(format!(
            "cannot read `{}` given with {}: {why}",
            n.value, n.flag
        ))
    };
    let name = file_name(&n.value).ok_or_else(|| cannot("it names no file".into()))?;
    let mut file = std::fs::File::open(path).map_err(|e| cannot(io_reason(&e)))?;
    let meta = file.metadata().map_err(|e| cannot(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(cannot("it is a directory".into()));
    }
    let too_large = |size: Option<u64>| {
        let is = size.map_or("is".to_string(), |s| format!("is {s} bytes,"));
        if per_file <= left {
            Error::Usage(format!(
                "`{}` given with {} {is} over the {} limit for one file; pass a smaller file",
                n.value,
                n.flag,
                mib(per_file)
            ))
        } else {
            Error::Usage(format!(
                "the files given are over the {} limit for one command together (at `{}` given with {}); pass fewer or smaller files",
                mib(total),
                n.value,
                n.flag
            ))
        }
    };
    let limit = per_file.min(left);
    // The size on disk first, so a huge file is refused without reading it;
    // then reading is bounded too (a pipe or a growing file has no size).
    if meta.is_file() && meta.len() > limit {
        return Err(too_large(Some(meta.len())));
    }
    let mut data = Vec::with_capacity(meta.len().min(limit) as usize);
    (&mut file)
        .take(limit + 1)
        .read_to_end(&mut data)
        .map_err(|e| cannot(io_reason(&e)))?;
    if data.len() as u64 > limit {
        return Err(too_large(None));
    }
    Ok(NamedFile {
        arg: n.arg.clone(),
        content_type: mime_type(&name),
        name,
        data: data.into(),
    })
}

/// The MIME type of a file called `name`, from its extension.
pub fn mime_type(name: &str) -> String {
    mime_guess::from_path(name)
        .first_raw()
        .unwrap_or("application/octet-stream")
        .to_string()
}

fn mib(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes < MIB {
        format!("{bytes} bytes")
    } else if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// The OS error without its `(os error N)` suffix, lower-case first.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(path: &Path) -> Named {
        Named {
            arg: "attach".into(),
            flag: "--attach".into(),
            value: path.display().to_string(),
        }
    }

    #[test]
    fn reads_names_and_types_without_directories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.md");
        std::fs::write(&path, "# hi").unwrap();
        let pdf = dir.path().join("paper.PDF");
        std::fs::write(&pdf, "%PDF").unwrap();
        let odd = dir.path().join("blob.unknownext");
        std::fs::write(&odd, [0u8, 1]).unwrap();
        let files = read_all(&[named(&path), named(&pdf), named(&odd)]).unwrap();
        assert_eq!(files[0].name, "notes.md");
        assert_eq!(files[0].content_type, "text/markdown");
        assert_eq!(&*files[0].data, b"# hi");
        assert_eq!(files[1].content_type, "application/pdf");
        assert_eq!(files[2].content_type, "application/octet-stream");
        assert_eq!(files[0].arg, "attach");
    }

    #[test]
    fn refuses_missing_files_directories_and_files_over_a_limit() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone.txt");
        let e = read_all(&[named(&missing)]).unwrap_err();
        assert_eq!(
            e,
            Error::Usage(format!(
                "cannot read `{}` given with --attach: no such file",
                missing.display()
            ))
        );
        let e = read_all(&[named(dir.path())]).unwrap_err();
        assert!(e.to_string().ends_with("it is a directory"), "{e}");

        let big = dir.path().join("big.bin");
        std::fs::write(&big, vec![0u8; 11]).unwrap();
        let e = read_all_within(&[named(&big)], 10, 100).unwrap_err();
        assert_eq!(
            e,
            Error::Usage(format!(
                "`{}` given with --attach is 11 bytes, over the 10 bytes limit for one file; pass a smaller file",
                big.display()
            ))
        );
        let ten = dir.path().join("ten.bin");
        std::fs::write(&ten, vec![0u8; 10]).unwrap();
        let e = read_all_within(&[named(&ten), named(&ten), named(&ten)], 10, 25).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "error: the files given are over the 25 bytes limit for one command together (at `"
            ),
            "{e}"
        );
        assert_eq!(
            read_all_within(&[named(&ten), named(&ten)], 10, 25)
                .unwrap()
                .len(),
            2
        );
    }
}
