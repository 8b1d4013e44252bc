//! The parsed command line a plugin receives. The host has already checked it
//! against the manifest (types, allowed values, conflicts, required arguments).

use crate::Error;
use crate::bindings::exports::kagi::plugin::command::Invocation as WitInvocation;
use crate::files::NamedFile;
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    command: Vec<String>,
    args: BTreeMap<String, Vec<String>>,
    files: Vec<NamedFile>,
}

impl Invocation {
    pub(crate) fn from_wit(inv: WitInvocation) -> Self {
        Invocation {
            command: inv.command,
            args: inv.args.into_iter().map(|a| (a.name, a.values)).collect(),
            files: inv
                .files
                .into_iter()
                .enumerate()
                .map(|(i, f)| NamedFile::from_wit(i, f))
                .collect(),
        }
    }

    /// Builds an invocation by hand, for unit tests of a plugin.
    pub fn new(command: &[&str], args: &[(&str, &[&str])]) -> Self {
        Invocation {
            command: command.iter().map(|s| s.to_string()).collect(),
            args: args
                .iter()
                .map(|(n, v)| (n.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
            files: Vec::new(),
        }
    }

    /// Adds a file the user named, for unit tests (see [`NamedFile::for_test`]).
    pub fn with_file(mut self, file: NamedFile) -> Self {
        self.files.push(file);
        self
    }

    /// The files the user named with the `file` argument `name`, in order.
    pub fn files(&self, name: &str) -> Vec<&NamedFile> {
        self.files.iter().filter(|f| f.arg == name).collect()
    }

    /// The command path, e.g. `["assistant", "thread", "list"]`.
    pub fn command(&self) -> &[String] {
        &self.command
    }

    /// Whether the command path is exactly `path`.
    pub fn is(&self, path: &[&str]) -> bool {
        self.command.len() == path.len() && self.command.iter().zip(path).all(|(a, b)| a == b)
    }

    /// Whether the argument is present (a flag given, or an option with a value or default).
    pub fn flag(&self, name: &str) -> bool {
        self.args.contains_key(name)
    }

    /// The (first) value of an option or positional.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.args
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// Every value of a repeatable option or positional.
    pub fn values(&self, name: &str) -> &[String] {
        self.args.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The value parsed as `T`; a bad value is a usage error.
    pub fn parse<T: FromStr>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| Error::usage(format!("invalid value '{v}' for --{name}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_and_flags() {
        let inv = Invocation::new(
            &["news"],
            &[("limit", &["3"]), ("chaos", &[]), ("k", &["a", "b"])],
        );
        assert!(inv.is(&["news"]));
        assert!(inv.flag("chaos"));
        assert!(!inv.flag("list-categories"));
        assert_eq!(inv.parse::<u32>("limit").unwrap(), Some(3));
        assert_eq!(inv.values("k"), ["a", "b"]);
        assert_eq!(inv.values("none"), [] as [String; 0]);
        assert_eq!(inv.parse::<u32>("none").unwrap(), None);
        let bad = Invocation::new(&["x"], &[("limit", &["many"])]);
        assert_eq!(
            bad.parse::<u32>("limit").unwrap_err().class,
            crate::ErrorClass::Usage
        );
    }
}
