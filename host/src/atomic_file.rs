//! Private files, replaced atomically: write a temporary file beside the
//! target, then rename it over the target, so readers see the old or the new
//! contents, never a mix, and a crash leaves no half-written file. Folders are
//! created readable only by the user (0700) and files likewise (0600).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Writes `parts`, in order, as the new contents of `path` (creating its folder).
/// The file is readable only by the user.
pub fn write(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let dir = path.parent().expect("files live in a folder");
    create_private_dir(dir)?;
    // tempfile creates its files 0600 on Unix, and the rename keeps that.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    for part in parts {
        tmp.write_all(part)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Like `write`, but leaves an existing `path` alone: `Ok(false)` when one
/// was already there (several processes may race to create the same file).
pub fn write_new(path: &Path, parts: &[&[u8]]) -> io::Result<bool> {
    let dir = path.parent().expect("files live in a folder");
    create_private_dir(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    for part in parts {
        tmp.write_all(part)?;
    }
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.error),
    }
}

/// Creates `dir` and any missing parents, each readable only by the user.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates `dir` like `create_private_dir`, and takes away other users'
/// access if it already existed with more (as older versions created it).
/// Fails if the folder (or, for a symbolic link, its target) belongs to
/// someone else.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    create_private_dir(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = fs::metadata(dir)?;
        if !meta.is_dir() || meta.uid() != current_uid() {
            return Err(io::Error::other(format!(
                "{} is not a folder of the current user",
                dir.display()
            )));
        }
        if meta.mode() & 0o077 != 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Opens `path` for reading without following a symbolic link in its last
/// component (a link is an error).
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    no_follow(OpenOptions::new().read(true)).open(path)
}

/// `options` set to refuse a symbolic link as the last component, and to
/// create files readable only by the user.
pub fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW).mode(0o600);
    }
    options
}

/// Whether a file or folder is the current user's and nobody else may change
/// it (not writable by group or others). Always true off Unix.
pub fn is_private(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.uid() == current_uid() && meta.mode() & 0o022 == 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// Whether a file is the current user's and nobody else may read or change
/// it (0600 or stricter). Always true off Unix.
pub fn is_secret(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.uid() == current_uid() && meta.mode() & 0o077 == 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

#[cfg(unix)]
fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn written_files_and_their_folders_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/file");
        write(&file, &[b"x"]).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&dir.path().join("a/b")), 0o700);
        assert!(!write_new(&file, &[b"y"]).unwrap());
        assert_eq!(fs::read(&file).unwrap(), b"x");
    }

    #[test]
    fn an_open_folder_is_made_private() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
        ensure_private_dir(&open).unwrap();
        assert_eq!(mode(&open), 0o700);
    }

    #[test]
    fn a_symlink_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, b"secret").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(open_no_follow(&link).is_err());
        assert!(open_no_follow(&target).is_ok());
    }
}
