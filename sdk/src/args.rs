//! The parsed command line a plugin receives. The host has already checked it
//! against the manifest (types, allowed values, conflicts, required arguments)
//! and filled in the manifest's defaults.
//!
//! The manifest is the one source of truth for names and defaults: the typed
//! accessors ([`Invocation::get`] and friends) refuse a name the command does
//! not declare, and [`Invocation::for_test`] builds an invocation the way the
//! host does (defaults from the manifest), so a unit test cannot drift from it.

use crate::Error;
use crate::bindings::exports::kagi::plugin::command::Invocation as WitInvocation;
use crate::files::NamedFile;
use kagi_manifest::{ArgKind, Manifest, ValueType};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    command: Vec<String>,
    args: BTreeMap<String, Vec<String>>,
    files: Vec<NamedFile>,
    /// The command's manifest entry, when known (always at run time).
    spec: Option<Declared>,
}

/// What the accessors need of a command's manifest entry: each argument's
/// name and default. At run time it comes from the table `export_plugin!`
/// builds when the plugin is compiled; in tests, from a parsed manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Declared(Vec<DeclaredArg>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct DeclaredArg {
    name: Cow<'static, str>,
    default: Option<Cow<'static, str>>,
}

impl Declared {
    fn arg(&self, name: &str) -> Option<&DeclaredArg> {
        self.0.iter().find(|a| a.name == name)
    }
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
            spec: None,
        }
    }

    /// Attaches the command's entry of the table `export_plugin!` builds
    /// (the run glue does this).
    pub(crate) fn declared_in(mut self, table: crate::DeclaredTable) -> Self {
        self.spec = table
            .iter()
            .find(|(path, _)| self.is(path))
            .map(|(_, args)| {
                Declared(
                    args.iter()
                        .map(|&(name, default)| DeclaredArg {
                            name: Cow::Borrowed(name),
                            default: default.map(Cow::Borrowed),
                        })
                        .collect(),
                )
            });
        self
    }

    /// Attaches the command's manifest entry, from a parsed manifest (tests):
    /// the same entry `export_plugin!` compiles in (`Manifest::declared_args`).
    fn declared_by(mut self, manifest: &Manifest) -> Self {
        self.spec = manifest
            .declared_args()
            .into_iter()
            .find(|c| c.path == self.command)
            .map(|c| {
                Declared(
                    c.args
                        .into_iter()
                        .map(|(name, default)| DeclaredArg {
                            name: Cow::Owned(name),
                            default: default.map(Cow::Owned),
                        })
                        .collect(),
                )
            });
        self
    }

    /// Builds an invocation as the host would from the manifest `manifest`
    /// (its text, e.g. the `__kagi_manifest_text()` that [`crate::export_plugin!`]
    /// generates for tests): `args` as given, every other argument with a
    /// default gets it. Panics when the command or an argument is not declared,
    /// so a test cannot use a name the manifest lacks.
    pub fn for_test(manifest: &str, command: &[&str], args: &[(&str, &[&str])]) -> Self {
        let manifest = Manifest::parse(manifest).unwrap_or_else(|e| panic!("{e}"));
        let inv = Invocation::new(command, args).declared_by(&manifest);
        let spec = inv
            .spec
            .clone()
            .unwrap_or_else(|| panic!("the manifest declares no command {command:?}"));
        for (name, _) in args {
            if spec.arg(name).is_none() {
                panic!("`{}` declares no argument `{name}`", command.join(" "));
            }
        }
        inv.with_defaults()
    }

    /// An invocation of `path` with every default, and a sample value for
    /// each required argument without one: what the router's generated test
    /// hands each command's argument parser.
    pub(crate) fn sample(manifest: &Manifest, path: &[String]) -> Self {
        let mut inv = Invocation {
            command: path.to_vec(),
            ..Invocation::default()
        }
        .declared_by(manifest)
        .with_defaults();
        let args = manifest.find_command(path).map(|c| c.args.as_slice());
        for arg in args.unwrap_or_default() {
            if arg.required && !inv.args.contains_key(&arg.name) && arg.kind != ArgKind::Flag {
                let sample = match (arg.possible_values.first(), arg.value_type) {
                    (Some(value), _) => value.clone(),
                    (None, ValueType::Int) => "1".to_string(),
                    (None, ValueType::Bool) => "true".to_string(),
                    (None, ValueType::Url) => "https://example.com/".to_string(),
                    (None, _) => "sample".to_string(),
                };
                inv.args.insert(arg.name.clone(), vec![sample]);
            }
        }
        inv
    }

    fn with_defaults(mut self) -> Self {
        let spec = self.spec.clone();
        for arg in spec.iter().flat_map(|s| s.0.iter()) {
            if let Some(default) = &arg.default {
                self.args
                    .entry(arg.name.to_string())
                    .or_insert_with(|| vec![default.to_string()]);
            }
        }
        self
    }

    /// Refuses a name the command's manifest entry does not declare (when
    /// the entry is known): the code and the manifest drifted apart.
    fn declared(&self, name: &str) -> Result<(), Error> {
        match &self.spec {
            Some(spec) if spec.arg(name).is_none() => Err(Error::internal(format!(
                "`{}` reads the argument `{name}`, which its manifest does not declare",
                self.command.join(" ")
            ))),
            _ => Ok(()),
        }
    }

    /// The value of a declared argument (given, or the manifest's default)
    /// parsed as `T`. A bad value is a usage error; no value at all means the
    /// manifest gives it neither `required` nor a `default`: use
    /// [`get_opt`](Self::get_opt) for that.
    pub fn get<T: FromStr>(&self, name: &str) -> Result<T, Error> {
        self.get_opt(name)?.ok_or_else(|| {
            Error::internal(format!(
                "`{}` needs a value for `{name}`, but its manifest neither requires it nor gives a default",
                self.command.join(" ")
            ))
        })
    }

    /// The value of a declared argument parsed as `T`, if given.
    pub fn get_opt<T: FromStr>(&self, name: &str) -> Result<Option<T>, Error> {
        self.declared(name)?;
        self.parse(name)
    }

    /// Every value of a declared repeatable argument, each parsed as `T`.
    pub fn get_all<T: FromStr>(&self, name: &str) -> Result<Vec<T>, Error> {
        self.declared(name)?;
        self.values(name)
            .iter()
            .map(|v| {
                v.parse()
                    .map_err(|_| Error::usage(format!("invalid value '{v}' for --{name}")))
            })
            .collect()
    }

    /// The manifest's default for a declared argument.
    pub fn default_of(&self, name: &str) -> Result<Option<&str>, Error> {
        self.declared(name)?;
        Ok(self
            .spec
            .as_ref()
            .and_then(|s| s.arg(name))
            .and_then(|a| a.default.as_deref()))
    }

    /// Whether a declared argument holds its manifest default (or nothing,
    /// when it has none). The host fills defaults in, so an explicit value
    /// equal to the default cannot be told apart from none.
    pub fn is_default(&self, name: &str) -> Result<bool, Error> {
        Ok(self.value(name) == self.default_of(name)?)
    }

    /// Replaces an argument's values (the router's check tries each
    /// possible value).
    pub(crate) fn with_value(mut self, name: &str, value: &str) -> Self {
        self.args.insert(name.to_string(), vec![value.to_string()]);
        self
    }

    /// Whether a declared flag was given.
    pub fn get_flag(&self, name: &str) -> Result<bool, Error> {
        self.declared(name)?;
        Ok(self.flag(name))
    }

    /// A declared flag pair `--name`/`--no-name` (the manifest makes them
    /// conflict): true, false, or none when neither was given.
    pub fn get_switch(&self, name: &str) -> Result<Option<bool>, Error> {
        Ok(if self.get_flag(name)? {
            Some(true)
        } else if self.get_flag(&format!("no-{name}"))? {
            Some(false)
        } else {
            None
        })
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
            spec: None,
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

/// The table `export_plugin!` builds for `manifest` when the plugin is
/// compiled, built again from the parsed manifest (its generated test
/// compares the two). Leaks its strings to match the static table's shape:
/// for tests only.
#[doc(hidden)]
pub fn declared_table(manifest: &Manifest) -> Vec<crate::DeclaredEntry> {
    fn leak(s: &str) -> &'static str {
        Box::leak(s.into())
    }
    manifest
        .declared_args()
        .iter()
        .map(|command| {
            let path: Vec<&'static str> = command.path.iter().map(|p| leak(p)).collect();
            let args: Vec<(&'static str, Option<&'static str>)> = command
                .args
                .iter()
                .map(|(name, default)| (leak(name), default.as_deref().map(leak)))
                .collect();
            (
                &*Box::leak(path.into_boxed_slice()),
                &*Box::leak(args.into_boxed_slice()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_run_time_names_and_defaults_come_from_the_compiled_table() {
        const TABLE: crate::DeclaredTable = &[
            (&["news"], &[("limit", Some("12")), ("chaos", None)]),
            (&["news", "categories"], &[("lang", None)]),
        ];
        let inv = Invocation::new(&["news"], &[("limit", &["3"])]).declared_in(TABLE);
        assert_eq!(inv.get::<u32>("limit").unwrap(), 3);
        assert_eq!(inv.default_of("limit").unwrap(), Some("12"));
        assert!(!inv.is_default("limit").unwrap());
        assert!(!inv.get_flag("chaos").unwrap());
        let undeclared = inv.get_opt::<String>("lang").unwrap_err();
        assert_eq!(undeclared.class, crate::ErrorClass::Internal);
        assert!(
            undeclared
                .message
                .contains("`news` reads the argument `lang`")
        );
        // A subcommand has its own entry; a path not in the table checks nothing.
        let sub = Invocation::new(&["news", "categories"], &[]).declared_in(TABLE);
        assert!(sub.get_opt::<String>("limit").is_err());
        let unknown = Invocation::new(&["other"], &[]).declared_in(TABLE);
        assert_eq!(unknown.get_opt::<String>("anything").unwrap(), None);
    }

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
        assert_eq!(inv.get_switch("chaos").unwrap(), Some(true));
        assert_eq!(
            Invocation::new(&["x"], &[("no-chaos", &[])])
                .get_switch("chaos")
                .unwrap(),
            Some(false)
        );
        assert_eq!(inv.get_switch("limit-categories").unwrap(), None);
        let bad = Invocation::new(&["x"], &[("limit", &["many"])]);
        assert_eq!(
            bad.parse::<u32>("limit").unwrap_err().class,
            crate::ErrorClass::Usage
        );
    }
}
