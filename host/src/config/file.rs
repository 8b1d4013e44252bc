//! Which config file is in use, and reading it only when no other user can
//! change it.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The per-directory file, relative to the current directory.
pub const LOCAL_FILE: &str = ".kagi.toml";
/// How the per-directory file is shown.
pub const LOCAL_DISPLAY: &str = "./.kagi.toml";

/// A config file kagi reads or writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub path: PathBuf,
    /// `./.kagi.toml`, or the full path of the user's file.
    pub display: String,
    pub local: bool,
}

impl ConfigFile {
    pub fn local() -> ConfigFile {
        ConfigFile {
            path: PathBuf::from(LOCAL_FILE),
            display: LOCAL_DISPLAY.to_string(),
            local: true,
        }
    }

    /// The user's file, if there is a config directory at all.
    pub fn user() -> Option<ConfigFile> {
        let path = crate::paths::config_dir()?.join("config.toml");
        Some(ConfigFile {
            display: path.display().to_string(),
            path,
            local: false,
        })
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }
}

/// The file in use: `./.kagi.toml` if it exists, else the user's file if it
/// exists, else none.
pub fn file_in_use() -> Option<ConfigFile> {
    let local = ConfigFile::local();
    if local.exists() {
        return Some(local);
    }
    ConfigFile::user().filter(ConfigFile::exists)
}

/// Where `auth set` and the wizard write: the file in use, or a new
/// `./.kagi.toml`; with `global`, the user's file. A symbolic link is refused
/// here, before anything is asked, typed or stored in the keychain.
pub fn write_target(global: bool) -> Result<ConfigFile> {
    let target = if global {
        ConfigFile::user().ok_or_else(|| {
            Error::Config(
                "this system has no user config directory; set KAGI_CONFIG_DIR or save to ./.kagi.toml (without --global)".into(),
            )
        })?
    } else {
        file_in_use().unwrap_or_else(ConfigFile::local)
    };
    refuse_symlink(&target)?;
    Ok(target)
}

/// Reads the file's text; `None` if it does not exist. A file another user
/// could change is refused: whoever writes it chooses the tokens in force.
pub(super) fn read_text(file: &ConfigFile) -> Result<Option<String>> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| {
        Error::Config(format!(
            "cannot read {}: {}; check the file's permissions",
            file.display,
            io_reason(&e)
        ))
    };
    let mut opened = match std::fs::File::open(&file.path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_read(e)),
    };
    // The permissions of what was opened, so the file cannot change in between.
    check_only_owner_can_change(file, &opened.metadata().map_err(cannot_read)?)?;
    let mut text = String::new();
    opened.read_to_string(&mut text).map_err(cannot_read)?;
    Ok(Some(text))
}

/// Refuses a config file that is not the user's own or that group or others
/// may write.
fn check_only_owner_can_change(file: &ConfigFile, meta: &std::fs::Metadata) -> Result<()> {
    if crate::atomic_file::is_private(meta) {
        return Ok(());
    }
    let shown = &file.display;
    match writable_by_others(meta) {
        Some(mode) => Err(Error::Config(format!(
            "{shown} can be changed by other users (mode {mode:03o}), so kagi will not use it; check its contents and run `chmod 600 {shown}`"
        ))),
        None => Err(Error::Config(format!(
            "{shown} belongs to another user, who could change it, so kagi will not use it; replace it with a file of your own (`chmod 600 {shown}`)"
        ))),
    }
}

/// The permission bits if group or others may write the file.
#[cfg(unix)]
fn writable_by_others(meta: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o022 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn writable_by_others(_meta: &std::fs::Metadata) -> Option<u32> {
    None
}

/// kagi never writes a token through a symbolic link: its target could be
/// anywhere (another user's file, a synced or shared folder).
pub(super) fn refuse_symlink(file: &ConfigFile) -> Result<()> {
    match std::fs::symlink_metadata(&file.path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(Error::Config(format!(
            "{} is a symbolic link; kagi will not write a token through it into the file it points to; replace it with a regular file and run the command again",
            file.display
        ))),
        _ => Ok(()),
    }
}

pub(super) fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    // "Permission denied (os error 13)" -> "permission denied"
    let text = match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// The file's permission bits if group or others may read or write it.
#[cfg(unix)]
pub(super) fn readable_by_others(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
pub(super) fn readable_by_others(_path: &Path) -> Option<u32> {
    None
}

/// A private config file holding `text`, shown as `cfg`.
#[cfg(test)]
pub(super) fn file_with(dir: &Path, text: &str) -> ConfigFile {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    super::write::set_private(&path).unwrap();
    ConfigFile {
        display: "cfg".into(),
        path,
        local: false,
    }
}
