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

/// The version of the WIT package `kagi:plugin` this crate describes: the one
/// the SDK stamps into the plugins it builds.
pub const API_VERSION: &str = "0.2.0";

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
    /// Settings the user may give the plugin (`[plugins.NAME]` in the config
    /// file, or an environment variable): the only ones the host answers.
    #[serde(default)]
    pub settings: Vec<SettingSpec>,
    /// Argument groups commands share (`groups = ["output"]`), expanded into
    /// each command's `args` at parse time; see [`Manifest::expand_arg_groups`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arg_groups: Vec<ArgGroup>,
}

/// One `[[settings]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SettingSpec {
    /// The key under `[plugins.NAME]` and the name the plugin asks for.
    pub name: String,
    /// An environment variable that overrides the config file: `KAGI_…`,
    /// never one of kagi's own (see [`is_reserved_env`]).
    #[serde(default)]
    pub env: Option<String>,
    #[serde(rename = "type")]
    pub value_type: SettingType,
    #[serde(default)]
    pub help: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingType {
    /// Handed to the plugin as `true` or `false`.
    Bool,
    /// A whole number, handed over in decimal.
    Int,
    String,
}

impl SettingType {
    pub fn as_str(self) -> &'static str {
        match self {
            SettingType::Bool => "bool",
            SettingType::Int => "int",
            SettingType::String => "string",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Capabilities {
    /// Kagi services the plugin talks to, by name (`kagi`, `news`,
    /// `translate`). The host checks the names against its table of services
    /// when it loads the plugin, so a new service changes no type here.
    #[serde(default)]
    pub services: Vec<String>,
    /// Other hosts the plugin may reach by absolute URL (never with credentials).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Credentials the host may attach to the plugin's requests.
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// Credentialed requests to the account pages (Session Link, API token,
    /// billing, sign-out): full control of the user's Kagi account.
    #[serde(default)]
    pub account: bool,
    /// Credentialed requests to the settings pages it names (lenses, bangs,
    /// redirects…); never the account pages. See [`settings_area`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_settings: Option<AccountSettings>,
    /// A private key-value store.
    #[serde(default)]
    pub storage: bool,
    /// Reading standard input.
    #[serde(default)]
    pub stdin: bool,
}

/// `[capabilities.account-settings]`: the settings pages a plugin reads and
/// changes with the user's session, and plain words for them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AccountSettings {
    /// What they are, for the review: "read and change <about>".
    pub about: String,
    /// Path prefixes on the `kagi` service, matched on whole segments.
    pub paths: Vec<String>,
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
    /// CPU budget in seconds of CPU time (the plugin's thread, host calls
    /// made on it included); each second it sleeps gives one back. Read
    /// under its 0.1/0.2 name `cpu-gigainstructions` too, the number then
    /// taken as seconds.
    #[serde(default, alias = "cpu-gigainstructions")]
    pub cpu_seconds: Option<u64>,
}

/// The host's limits for a command that asks for nothing else; asking for
/// more needs the `limits` capability.
pub const DEFAULT_MEMORY_MB: u64 = 256;
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;
pub const DEFAULT_CPU_SECONDS: u64 = 50;

impl Limits {
    /// These limits, with the host's defaults where none is declared.
    fn or_defaults(&self) -> Limits {
        Limits {
            memory_mb: Some(self.memory_mb.unwrap_or(DEFAULT_MEMORY_MB)),
            timeout_secs: Some(self.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS)),
            cpu_seconds: Some(self.cpu_seconds.unwrap_or(DEFAULT_CPU_SECONDS)),
        }
    }

    /// What a command declaring `own` gets inside these limits: its own
    /// values, else these. No wall-clock limit (`0`) is an allowance, not
    /// inherited: a command gets it only by asking itself, unless
    /// `keep_unlimited` (0.1 manifests, which had no per-command limits).
    fn inherited_by(&self, own: Option<&Limits>, keep_unlimited: bool) -> Limits {
        let own = own.cloned().unwrap_or_default();
        let timeout = match self.timeout_secs {
            Some(0) if !keep_unlimited => None,
            t => t,
        };
        Limits {
            memory_mb: own.memory_mb.or(self.memory_mb),
            timeout_secs: own.timeout_secs.or(timeout),
            cpu_seconds: own.cpu_seconds.or(self.cpu_seconds),
        }
    }

    /// Each of `own`'s values, else this one's.
    fn overlaid_with(&self, own: &Limits) -> Limits {
        Limits {
            memory_mb: own.memory_mb.or(self.memory_mb),
            timeout_secs: own.timeout_secs.or(self.timeout_secs),
            cpu_seconds: own.cpu_seconds.or(self.cpu_seconds),
        }
    }
}

impl Capabilities {
    /// Each capability by the name users grant it with: `service:kagi`,
    /// `host:example.com`, `host:http://example.com`, `credential:api`,
    /// `account`, `account-settings`, `storage`, `stdin`.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .services
            .iter()
            .map(|s| format!("service:{s}"))
            .collect();
        names.extend(
            self.hosts
                .iter()
                .map(|h| format!("host:{}", h.strip_prefix("https://").unwrap_or(h))),
        );
        names.extend(
            self.credentials
                .iter()
                .map(|c| format!("credential:{}", c.as_str())),
        );
        for (declared, name) in [
            (self.account, "account"),
            (self.account_settings.is_some(), "account-settings"),
            (self.storage, "storage"),
            (self.stdin, "stdin"),
        ] {
            if declared {
                names.push(name.to_string());
            }
        }
        names
    }
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
    /// What this command may do, a subset of what its plugin (or the command
    /// it belongs to) declares; none: the same as that.
    #[serde(default)]
    pub capabilities: Option<Capabilities>,
    /// Limits narrower than its plugin's (or its parent command's).
    #[serde(default)]
    pub limits: Option<Limits>,
    /// It reads standard input (needs the `stdin` capability).
    #[serde(default)]
    pub reads_stdin: bool,
    /// It asks the user questions on the terminal.
    #[serde(default)]
    pub interactive: bool,
    /// It runs until stopped (e.g. `watch`); only such a command may ask for
    /// no wall-clock limit.
    #[serde(default)]
    pub long_running: bool,
    /// It deletes or overwrites something of the user's: an MCP client asks
    /// before calling it.
    #[serde(default)]
    pub destructive: bool,
    /// It only reads: it changes nothing of the user's, at Kagi or locally
    /// beyond its own cache and history, so an MCP client may call it
    /// freely. Never together with `destructive`.
    #[serde(default)]
    pub read_only: bool,
    /// Exposed as an MCP tool; default: unless interactive, long-running or
    /// a group that needs a subcommand. See [`CommandSpec::is_tool`].
    #[serde(default)]
    pub tool: Option<bool>,
    /// Names of `[[arg-groups]]` whose arguments this command takes, after
    /// its own (emptied once expanded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
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
    /// A path to a file the host reads before the plugin runs (bounded in
    /// size); the plugin gets its name, type and content, never the path.
    File,
    /// An absolute http or https URL (checked by the host's parser).
    Url,
    /// A path the plugin may write (e.g. `--export PATH`): the host checks it
    /// before the plugin runs and writes it through `files.write`; the
    /// plugin never sees the path. Only a regular file is ever replaced.
    OutputFile,
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
    /// A `url` argument naming where the command sends its result (a
    /// webhook, say): the host lets the plugin reach exactly that scheme,
    /// host and port for this run, never with a credential.
    #[serde(default)]
    pub destination: bool,
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

/// A named set of arguments several commands share (`[[arg-groups]]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ArgGroup {
    pub name: String,
    #[serde(default)]
    pub args: Vec<ArgSpec>,
}

/// One entry of [`Manifest::declared_args`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredCommand {
    pub path: Vec<String>,
    /// Each argument's name and default.
    pub args: Vec<(String, Option<String>)>,
}

impl Manifest {
    /// Appends each command's `groups` to its `args`, in the order named, and
    /// empties `groups`, so the host and the SDK see plain argument tables
    /// (and parsing the result again changes nothing). An unknown group, or a
    /// group declared twice, is refused.
    pub fn expand_arg_groups(&mut self) -> Result<(), ManifestError> {
        let mut names = HashSet::new();
        for group in &self.arg_groups {
            check_name(&format!("argument group `{}`", group.name), &group.name)?;
            if !names.insert(group.name.as_str()) {
                return Err(ManifestError(format!(
                    "argument group `{}` is declared twice",
                    group.name
                )));
            }
        }
        fn expand(
            command: &mut CommandSpec,
            path: &str,
            groups: &[ArgGroup],
        ) -> Result<(), ManifestError> {
            for name in std::mem::take(&mut command.groups) {
                let group = groups.iter().find(|g| g.name == name).ok_or_else(|| {
                    ManifestError(format!(
                        "command `{path}` uses the argument group `{name}`, which the manifest does not declare in [[arg-groups]]"
                    ))
                })?;
                command.args.extend(group.args.iter().cloned());
            }
            for sub in &mut command.subcommands {
                expand(sub, &format!("{path} {}", sub.name), groups)?;
            }
            Ok(())
        }
        for command in &mut self.commands {
            let path = command.name.clone();
            expand(command, &path, &self.arg_groups)?;
        }
        Ok(())
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

pub mod settings_area;
mod stamp;
mod validate;
mod versions;

pub use stamp::{SDK_ARG_GROUPS, stamped};
use validate::check_name;
pub use validate::{MAX_NAME_LEN, RESERVED_ENV, is_reserved_env, is_terminal_control};
pub use versions::{api_binding, api_compatible};

#[cfg(test)]
mod tests;
