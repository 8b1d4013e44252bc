//! The command lines the settings plugins share: a command without
//! arguments, one naming an item, and `import FILE [--dry-run]` (the SDK's
//! `settings-import` argument group). Each keeps the command path as users
//! type it (`bang custom get`), which parse errors and file errors name.

use super::sync::read_items;
use crate::files::NamedFile;
use crate::{Error, FromInvocation, Invocation};
use serde::de::DeserializeOwned;

fn command_of(inv: &Invocation) -> String {
    inv.command().join(" ")
}

/// A command without arguments (list, export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    pub command: String,
}

impl FromInvocation for Plain {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Plain {
            command: command_of(inv),
        })
    }
}

/// A command naming one item by its positional `target` (get, delete…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub command: String,
    pub target: String,
}

impl FromInvocation for Target {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Target {
            command: command_of(inv),
            target: inv.get("target")?,
        })
    }
}

/// `import FILE [--dry-run]`: a command with `groups = ["settings-import"]`.
#[derive(Debug, Clone)]
pub struct Import {
    pub command: String,
    pub file: NamedFile,
    pub dry_run: bool,
}

impl FromInvocation for Import {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let dry_run = inv.get_flag("dry-run")?;
        let file = inv.files("file").first().map(|f| (*f).clone());
        let command = command_of(inv);
        Ok(Import {
            file: file.ok_or_else(|| {
                Error::config(format!("{command} needs the FILE written by export"))
            })?,
            command,
            dry_run,
        })
    }
}

impl Import {
    /// How errors name the file: `lens import file 'lenses.json'`.
    pub fn what(&self) -> String {
        format!("{} file '{}'", self.command, self.file.name)
    }

    /// The file's items: an export of this command (see [`read_items`]).
    pub fn items<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        read_items(&self.file.read()?, &self.what())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_names_its_file_after_the_command_and_reads_its_items() {
        let file = NamedFile::for_test("file", "b.json", "application/json", br#"["a","b"]"#);
        let inv =
            Invocation::new(&["bang", "custom", "import"], &[("dry-run", &[])]).with_file(file);
        let import = Import::from_invocation(&inv).unwrap();
        assert!(import.dry_run);
        assert_eq!(import.what(), "bang custom import file 'b.json'");
        assert_eq!(import.items::<String>().unwrap(), ["a", "b"]);
    }

    #[test]
    fn a_target_keeps_its_command_for_messages() {
        let inv = Invocation::new(&["redirect", "get"], &[("target", &["16641"])]);
        assert_eq!(
            Target::from_invocation(&inv).unwrap(),
            Target {
                command: "redirect get".into(),
                target: "16641".into()
            }
        );
    }
}
