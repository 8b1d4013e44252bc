//! Rewriting an auth block without losing anything else the user wrote in
//! the file, atomically and privately.

use super::file::{ConfigFile, io_reason, read_text, readable_by_others, refuse_symlink};
use super::parse::{parse, parse_document};
use super::profile::block_name;
use crate::auth::{Kind, Secret};
use crate::error::{Error, Result};
use crate::log;
use std::io::Write;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// A change to one auth block.
#[derive(Debug, Clone)]
pub enum Change {
    /// Store the token in the file (and forget any keychain note).
    Token(Kind, Secret),
    /// Note that the token is in the keychain (and drop any token in the file).
    InKeyring(Kind),
    Preferred(Kind),
}

/// What a write did.
#[derive(Debug, Clone)]
pub struct Written {
    pub file: ConfigFile,
    pub block: String,
    /// The file was readable by others before (it is 0600 now).
    pub was_open_mode: Option<u32>,
}

/// Applies `changes` to the `[auth]` block (or the profile's), keeping every
/// other key, section and comment, and writes the file atomically with mode
/// 0600. A file that does not parse is never overwritten.
pub fn write(file: &ConfigFile, profile: Option<&str>, changes: &[Change]) -> Result<Written> {
    refuse_symlink(file)?;
    let existing = read_text(file)?;
    let created = existing.is_none();
    let text = existing.unwrap_or_default();
    let mut doc = parse_document(file, &text).map_err(|e| match e {
        Error::Config(m) => Error::Config(format!("{m}; kagi will not overwrite it")),
        other => other,
    })?;
    let block = block_name(profile);
    let table = auth_table(&mut doc, profile).map_err(|what| {
        Error::Config(format!(
            "{what} in {} is not a table, so kagi cannot add {block}; fix the file first",
            file.display
        ))
    })?;
    for change in changes {
        match change {
            Change::Token(kind, secret) => {
                set_value(table, kind.config_key(), Value::from(secret.expose()));
                table.remove(kind.keyring_key());
            }
            Change::InKeyring(kind) => {
                set_value(table, kind.keyring_key(), Value::from(true));
                table.remove(kind.config_key());
            }
            Change::Preferred(kind) => {
                set_value(table, "preferred_auth", Value::from(kind.preference_name()));
            }
        }
    }
    let out = doc.to_string();
    // What we write must read back.
    parse(file, &out)?;
    let was_open_mode = if created {
        None
    } else {
        readable_by_others(&file.path)
    };
    write_atomic(&file.path, &out)
        .map_err(|e| Error::Config(format!("cannot write {}: {}", file.display, io_reason(&e))))?;
    log::debug(&format!("config: wrote {} {block}", file.display));
    Ok(Written {
        file: file.clone(),
        block,
        was_open_mode,
    })
}

/// The auth block's table, created if needed; `Err` names what is in the way.
fn auth_table<'a>(
    doc: &'a mut DocumentMut,
    profile: Option<&str>,
) -> std::result::Result<&'a mut dyn TableLike, String> {
    let root = doc.as_item_mut();
    let item = match profile {
        None => descend(root, "auth", true).map_err(|_| "`auth`".to_string())?,
        Some(p) => {
            let profiles =
                descend(root, "profiles", false).map_err(|_| "`profiles`".to_string())?;
            let named = descend(profiles, p, false).map_err(|_| format!("`profiles.{p}`"))?;
            descend(named, "auth", true).map_err(|_| format!("`profiles.{p}.auth`"))?
        }
    };
    let what = match profile {
        None => "`auth`".to_string(),
        Some(p) => format!("`profiles.{p}.auth`"),
    };
    item.as_table_like_mut().ok_or(what)
}

/// The child table `key` of a table item, created if absent.
fn descend<'a>(item: &'a mut Item, key: &str, leaf: bool) -> std::result::Result<&'a mut Item, ()> {
    let inline = matches!(item, Item::Value(Value::InlineTable(_)));
    let table = item.as_table_like_mut().ok_or(())?;
    if table.get(key).is_none() {
        let new = if inline {
            Item::Value(Value::InlineTable(InlineTable::new()))
        } else {
            let mut t = Table::new();
            t.set_implicit(!leaf);
            Item::Table(t)
        };
        table.insert(key, new);
    }
    let child = table.get_mut(key).ok_or(())?;
    if child.is_table_like() {
        Ok(child)
    } else {
        Err(())
    }
}

/// Sets `key`, keeping the comment that followed an old value.
fn set_value(table: &mut dyn TableLike, key: &str, value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Writes through a temporary file in the same directory and a rename, so a
/// crash leaves either the old file or the new one. The result is 0600. A
/// symbolic link is never written through: `write` refuses one, and the
/// rename would replace a link, not its target.
fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        create_private_dir(&dir)?;
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".kagi-config-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    set_private(tmp.path())?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
pub(super) fn set_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
pub(super) fn set_private(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::super::file::file_with;
    use super::*;

    #[test]
    fn writes_keep_comments_other_keys_and_sections() {
        let dir = tempfile::tempdir().unwrap();
        let original = "# my kagi settings\n[auth]\n# the old one\nsession_token = \"old\" # keep this comment\npreferred_auth = \"session\"\n\n[other]\nkey = 1 # unrelated\n";
        let file = file_with(dir.path(), original);
        write(
            &file,
            None,
            &[Change::Token(Kind::Session, Secret::new("new.token"))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert_eq!(text, original.replace("\"old\"", "\"new.token\""), "{text}");
        write(
            &file,
            Some("work"),
            &[Change::InKeyring(Kind::Api), Change::Preferred(Kind::Api)],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert!(
            text.starts_with(&original.replace("\"old\"", "\"new.token\"")),
            "{text}"
        );
        assert!(
            text.ends_with(
                "[profiles.work.auth]\napi_token_in_keyring = true\npreferred_auth = \"api\"\n"
            ),
            "{text}"
        );
        write(
            &file,
            Some("work"),
            &[Change::Token(Kind::Api, Secret::new("a1"))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert!(
            text.contains("[profiles.work.auth]\npreferred_auth = \"api\"\napi_token = \"a1\"\n"),
            "{text}"
        );
        assert!(!text.contains("in_keyring"));
    }

    #[test]
    fn writes_into_inline_and_dotted_tables() {
        let dir = tempfile::tempdir().unwrap();
        let file = file_with(
            dir.path(),
            "profiles = { ci = { auth = { api_token = \"x\" } } }\n",
        );
        write(
            &file,
            Some("ci"),
            &[Change::Token(Kind::Session, Secret::new("s"))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert!(text.contains("session_token = \"s\""), "{text}");
        assert!(text.contains("api_token = \"x\""), "{text}");

        let file = file_with(dir.path(), "auth.api_token = \"x\"\n");
        write(
            &file,
            None,
            &[Change::Token(Kind::Session, Secret::new("s"))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert_eq!(text, "auth.api_token = \"x\"\nauth.session_token = \"s\"\n");
    }

    #[test]
    fn refuses_to_overwrite_a_broken_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = file_with(dir.path(), "[auth\nsession_token = \"x\"\n");
        let e = write(&file, None, &[Change::Preferred(Kind::Api)]).unwrap_err();
        assert!(e.to_string().ends_with("kagi will not overwrite it"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&file.path).unwrap(),
            "[auth\nsession_token = \"x\"\n"
        );
        let file = file_with(dir.path(), "auth = \"oops\"\n");
        let e = write(&file, None, &[Change::Preferred(Kind::Api)]).unwrap_err();
        assert!(
            e.to_string().contains("`auth` in cfg is not a table"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn writes_are_private_and_report_an_open_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = file_with(dir.path(), "[auth]\n");
        std::fs::set_permissions(&file.path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let w = write(&file, None, &[Change::Preferred(Kind::Api)]).unwrap();
        assert_eq!(w.was_open_mode, Some(0o644));
        let mode = std::fs::metadata(&file.path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
