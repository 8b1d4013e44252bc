//! The plugin manifest: what a plugin is, which commands it serves and which
//! capabilities it asks for.
//!
//! A plugin carries its manifest inside its `.wasm` file, in the custom
//! section [`SECTION`], as TOML. The SDK writes that section at compile time
//! (see `kagi_plugin_sdk::export_plugin!`); the host reads it without running
//! the plugin, to build `kagi --help`, parse arguments and check capabilities.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

/// The version of the WIT package `kagi:plugin` this crate describes.
pub const API_VERSION: &str = "0.1.0";

/// The name of the wasm custom section that holds the manifest.
pub const SECTION: &str = "kagi:manifest";

/// Argument names the host reserves for itself.
pub const RESERVED_ARGS: &[&str] = &[
    "help",
    "version",
    "profile",
    "verbose",
    "generate-completion",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Manifest {
    /// The `kagi:plugin` API version the plugin was built against (stamped by the SDK).
    pub api: String,
    /// The plugin crate's version (stamped by the SDK).
    #[serde(default)]
    pub package_version: Option<String>,
    pub name: String,
    /// Overrides `package-version` when set.
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub capabilities: Capabilities,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub commands: Vec<CommandSpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Capabilities {
    /// Kagi services the plugin talks to.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Other hosts the plugin may reach by absolute URL (never with credentials).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Credentials the host may attach to the plugin's requests.
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// A private key-value store.
    #[serde(default)]
    pub storage: bool,
    /// Reading standard input.
    #[serde(default)]
    pub stdin: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    Kagi,
    News,
    Translate,
}

impl Service {
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Kagi => "kagi",
            Service::News => "news",
            Service::Translate => "translate",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credential {
    Session,
    Api,
}

impl Credential {
    pub fn as_str(self) -> &'static str {
        match self {
            Credential::Session => "session",
            Credential::Api => "api",
        }
    }
}

/// Limits a plugin asks for beyond the host's defaults. The host (and an
/// administrator's policy) may grant less.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Limits {
    /// Linear memory, in MiB.
    #[serde(default)]
    pub memory_mb: Option<u64>,
    /// Wall-clock seconds for one command; 0 asks for no limit (long-running
    /// commands such as `watch`).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// CPU budget in billions of wasm instructions (fuel).
    #[serde(default)]
    pub cpu_gigainstructions: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CommandSpec {
    pub name: String,
    #[serde(default)]
    pub about: String,
    #[serde(default)]
    pub long_about: Option<String>,
    #[serde(default)]
    pub after_help: Option<String>,
    #[serde(default)]
    pub args: Vec<ArgSpec>,
    #[serde(default)]
    pub subcommands: Vec<CommandSpec>,
    /// A subcommand must be given.
    #[serde(default)]
    pub subcommand_required: bool,
    /// Arguments of this command cannot be combined with a subcommand.
    #[serde(default)]
    pub args_conflict_with_subcommands: bool,
    /// Shows help (exit 2) when run with no arguments.
    #[serde(default)]
    pub arg_required_else_help: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArgKind {
    /// `--name`, present or not.
    Flag,
    /// `--name VALUE`.
    #[default]
    Option,
    /// A positional value.
    Positional,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueType {
    #[default]
    String,
    /// A non-negative integer (checked by the host's parser: a bad value is a usage error).
    Int,
    /// `true` or `false`.
    Bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ArgSpec {
    pub name: String,
    #[serde(default)]
    pub kind: ArgKind,
    /// The long flag without dashes; defaults to `name` for flags and options.
    #[serde(default)]
    pub long: Option<String>,
    #[serde(default)]
    pub short: Option<char>,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub long_help: Option<String>,
    #[serde(default)]
    pub value_name: Option<String>,
    #[serde(default, rename = "type")]
    pub value_type: ValueType,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub possible_values: Vec<String>,
    /// Repeatable option, or a positional taking several values.
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub conflicts_with: Vec<String>,
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub hide: bool,
}

impl ArgSpec {
    /// The long flag, for flags and options.
    pub fn long_name(&self) -> Option<&str> {
        match self.kind {
            ArgKind::Positional => None,
            _ => Some(self.long.as_deref().unwrap_or(&self.name)),
        }
    }
}

/// Why a manifest was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestError(pub String);

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ManifestError {}

impl Manifest {
    /// Parses and validates a manifest section.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let manifest: Manifest = toml::from_str(text)
            .map_err(|e| ManifestError(format!("invalid manifest: {}", e.message())))?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// The version to show: the manifest's own, else the crate's.
    pub fn display_version(&self) -> &str {
        self.version
            .as_deref()
            .or(self.package_version.as_deref())
            .unwrap_or("unknown")
    }

    /// Checks the rules the host relies on.
    pub fn validate(&self) -> Result<(), ManifestError> {
        if !is_plain_name(&self.name) {
            return Err(ManifestError(format!(
                "plugin name `{}` must be lower-case letters, digits and `-`",
                self.name
            )));
        }
        if self.commands.is_empty() {
            return Err(ManifestError(format!(
                "plugin `{}` declares no commands",
                self.name
            )));
        }
        for host in &self.capabilities.hosts {
            if host.is_empty() || host.contains(['/', ':', ' ']) {
                return Err(ManifestError(format!(
                    "capability host `{host}` must be a bare host name such as `example.com`"
                )));
            }
        }
        let mut names = HashSet::new();
        for command in &self.commands {
            if !names.insert(command.name.as_str()) {
                return Err(ManifestError(format!(
                    "command `{}` is declared twice",
                    command.name
                )));
            }
            command.validate(&command.name)?;
        }
        Ok(())
    }

    /// The names of its top-level commands.
    pub fn command_names(&self) -> Vec<&str> {
        self.commands.iter().map(|c| c.name.as_str()).collect()
    }

    /// Finds a command by its path (`["assistant", "thread", "list"]`).
    pub fn find_command(&self, path: &[String]) -> Option<&CommandSpec> {
        let (first, rest) = path.split_first()?;
        let mut command = self.commands.iter().find(|c| &c.name == first)?;
        for name in rest {
            command = command.subcommands.iter().find(|c| &c.name == name)?;
        }
        Some(command)
    }
}

impl CommandSpec {
    fn validate(&self, path: &str) -> Result<(), ManifestError> {
        if !is_plain_name(&self.name) {
            return Err(ManifestError(format!(
                "command name `{path}` must be lower-case letters, digits and `-`"
            )));
        }
        let mut names = HashSet::new();
        let mut longs = HashSet::new();
        let mut shorts = HashSet::new();
        for arg in &self.args {
            if !is_plain_name(&arg.name) {
                return Err(ManifestError(format!(
                    "argument `{}` of `{path}` must be lower-case letters, digits and `-`",
                    arg.name
                )));
            }
            if !names.insert(arg.name.as_str()) {
                return Err(ManifestError(format!(
                    "argument `{}` of `{path}` is declared twice",
                    arg.name
                )));
            }
            if let Some(long) = arg.long_name()
                && (RESERVED_ARGS.contains(&long) || !longs.insert(long))
            {
                return Err(ManifestError(format!(
                    "flag `--{long}` of `{path}` is reserved or declared twice"
                )));
            }
            if let Some(short) = arg.short
                && (matches!(short, 'h' | 'V') || !shorts.insert(short))
            {
                return Err(ManifestError(format!(
                    "short flag `-{short}` of `{path}` is reserved or declared twice"
                )));
            }
            if arg.kind == ArgKind::Flag
                && (arg.default.is_some()
                    || !arg.possible_values.is_empty()
                    || arg.value_type != ValueType::String)
            {
                return Err(ManifestError(format!(
                    "flag `{}` of `{path}` cannot have a default, values or a type",
                    arg.name
                )));
            }
        }
        for arg in &self.args {
            for other in arg.conflicts_with.iter().chain(&arg.requires) {
                if !names.contains(other.as_str()) {
                    return Err(ManifestError(format!(
                        "argument `{}` of `{path}` refers to unknown argument `{other}`",
                        arg.name
                    )));
                }
            }
        }
        let mut subs = HashSet::new();
        for sub in &self.subcommands {
            if !subs.insert(sub.name.as_str()) {
                return Err(ManifestError(format!(
                    "subcommand `{path} {}` is declared twice",
                    sub.name
                )));
            }
            sub.validate(&format!("{path} {}", sub.name))?;
        }
        Ok(())
    }
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether a plugin built for API `plugin` can be loaded by a host that
/// speaks `host`: the same major version, or for 0.x the same minor; and
/// not newer than the host.
pub fn api_compatible(plugin: &str, host: &str) -> bool {
    match (parse_version(plugin), parse_version(host)) {
        (Some(p), Some(h)) => {
            if p.0 != h.0 {
                false
            } else if p.0 == 0 {
                p.1 == h.1 && p.2 <= h.2
            } else {
                p.1 <= h.1
            }
        }
        _ => false,
    }
}

fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.trim().splitn(3, '.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch = parts.next()?.split(['-', '+']).next()?.parse().ok()?;
    Some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> String {
        "api = \"0.1.0\"\nname = \"demo\"\n[[commands]]\nname = \"demo\"\n".to_string()
    }

    #[test]
    fn parses_a_minimal_manifest() {
        let m = Manifest::parse(&minimal()).unwrap();
        assert_eq!(m.name, "demo");
        assert_eq!(m.display_version(), "unknown");
        assert!(m.capabilities.credentials.is_empty());
    }

    #[test]
    fn rejects_unknown_keys_and_bad_references() {
        let err = Manifest::parse(&format!("color = true\n{}", minimal())).unwrap_err();
        assert!(err.0.contains("invalid manifest"), "{err}");
        let text = format!(
            "{}[[commands.args]]\nname = \"a\"\nconflicts-with = [\"b\"]\n",
            minimal()
        );
        let err = Manifest::parse(&text).unwrap_err();
        assert!(err.0.contains("unknown argument `b`"), "{err}");
    }

    #[test]
    fn rejects_reserved_flags() {
        let text = format!("{}[[commands.args]]\nname = \"profile\"\n", minimal());
        let err = Manifest::parse(&text).unwrap_err();
        assert!(err.0.contains("--profile"), "{err}");
    }

    #[test]
    fn api_versions() {
        assert!(api_compatible("0.1.0", "0.1.0"));
        assert!(api_compatible("0.1.0", "0.1.3"));
        assert!(!api_compatible("0.1.4", "0.1.3"));
        assert!(!api_compatible("0.2.0", "0.1.0"));
        assert!(!api_compatible("1.0.0", "0.1.0"));
        assert!(api_compatible("1.1.0", "1.2.0"));
        assert!(!api_compatible("1.3.0", "1.2.0"));
        assert!(!api_compatible("nonsense", "0.1.0"));
    }

    #[test]
    fn api_version_matches_the_wit_package() {
        let wit = include_str!("../../../wit/plugin.wit");
        assert!(wit.contains(&format!("package kagi:plugin@{API_VERSION};")));
    }

    #[test]
    fn finds_nested_commands() {
        let text = format!("{}[[commands.subcommands]]\nname = \"sub\"\n", minimal());
        let m = Manifest::parse(&text).unwrap();
        let path = vec!["demo".to_string(), "sub".to_string()];
        assert_eq!(m.find_command(&path).unwrap().name, "sub");
        assert!(m.find_command(&["nope".to_string()]).is_none());
    }
}
