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
    /// A private key-value store.
    #[serde(default)]
    pub storage: bool,
    /// Reading standard input.
    #[serde(default)]
    pub stdin: bool,
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

/// The host's limits for a command that asks for nothing else; asking for
/// more needs the `limits` capability.
pub const DEFAULT_MEMORY_MB: u64 = 256;
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;
pub const DEFAULT_CPU_GIGA: u64 = 50;

impl Limits {
    /// These limits, with the host's defaults where none is declared.
    fn or_defaults(&self) -> Limits {
        Limits {
            memory_mb: Some(self.memory_mb.unwrap_or(DEFAULT_MEMORY_MB)),
            timeout_secs: Some(self.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS)),
            cpu_gigainstructions: Some(self.cpu_gigainstructions.unwrap_or(DEFAULT_CPU_GIGA)),
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
            cpu_gigainstructions: own.cpu_gigainstructions.or(self.cpu_gigainstructions),
        }
    }

    /// Each of `own`'s values, else this one's.
    fn overlaid_with(&self, own: &Limits) -> Limits {
        Limits {
            memory_mb: own.memory_mb.or(self.memory_mb),
            timeout_secs: own.timeout_secs.or(self.timeout_secs),
            cpu_gigainstructions: own.cpu_gigainstructions.or(self.cpu_gigainstructions),
        }
    }
}

impl Capabilities {
    /// Each capability by the name users grant it with: `service:kagi`,
    /// `host:example.com`, `host:http://example.com`, `credential:api`,
    /// `account`, `storage`, `stdin`.
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

impl Manifest {
    /// Parses and validates a manifest section.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let mut manifest: Manifest = toml::from_str(text)
            .map_err(|e| ManifestError(format!("invalid manifest: {}", e.message())))?;
        manifest.expand_arg_groups()?;
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
        // First, so that the messages below can quote plugin text safely.
        self.check_text()?;
        check_name(&format!("plugin name `{}`", self.name), &self.name)?;
        check_version("api", &self.api)?;
        if let Some(v) = &self.package_version {
            check_version("package-version", v)?;
        }
        if let Some(v) = &self.version {
            check_version("version", v)?;
        }
        if self.commands.is_empty() {
            return Err(ManifestError(format!(
                "plugin `{}` declares no commands",
                self.name
            )));
        }
        for host in &self.capabilities.hosts {
            check_host(host)?;
        }
        for service in &self.capabilities.services {
            check_name(&format!("service `{service}`"), service)?;
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
            command.validate_narrowing(&command.name, &self.scope())?;
        }
        self.validate_settings()
    }

    /// What a top-level command narrows: the plugin's capabilities and limits.
    fn scope(&self) -> Scope<'_> {
        Scope {
            owner: "its plugin".to_string(),
            capabilities: &self.capabilities,
            ceiling: self.limits.or_defaults(),
            inherited: self.limits.clone(),
            keep_unlimited: self.predates_0_2(),
        }
    }

    fn validate_settings(&self) -> Result<(), ManifestError> {
        let mut names = HashSet::new();
        let mut vars = HashSet::new();
        for setting in &self.settings {
            check_setting_name(&setting.name)?;
            if !names.insert(setting.name.as_str()) {
                return Err(ManifestError(format!(
                    "setting `{}` is declared twice",
                    setting.name
                )));
            }
            if let Some(var) = &setting.env {
                check_setting_env(&setting.name, var)?;
                if !vars.insert(var.as_str()) {
                    return Err(ManifestError(format!(
                        "the environment variable `{var}` is declared for two settings"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Built for API 0.1, whose manifests had no per-command capabilities,
    /// limits or `[[settings]]`: the host keeps treating it as 0.1 did.
    pub fn predates_0_2(&self) -> bool {
        parse_version(&self.api).is_some_and(|v| v.0 == 0 && v.1 < 2)
    }

    /// A declared setting, by name.
    pub fn setting(&self, name: &str) -> Option<&SettingSpec> {
        self.settings.iter().find(|s| s.name == name)
    }

    /// The commands along `path`, outermost first.
    pub fn command_chain(&self, path: &[String]) -> Option<Vec<&CommandSpec>> {
        let (first, rest) = path.split_first()?;
        let mut command = self.commands.iter().find(|c| &c.name == first)?;
        let mut chain = vec![command];
        for name in rest {
            command = command.subcommands.iter().find(|c| &c.name == name)?;
            chain.push(command);
        }
        Some(chain)
    }

    /// What command `path` may do: the capabilities declared nearest to it
    /// (itself, a command it belongs to, or the plugin).
    pub fn command_capabilities(&self, path: &[String]) -> Option<&Capabilities> {
        let chain = self.command_chain(path)?;
        Some(
            chain
                .iter()
                .rev()
                .find_map(|c| c.capabilities.as_ref())
                .unwrap_or(&self.capabilities),
        )
    }

    /// The limits command `path` asks for: its own, else those of the command
    /// it belongs to, else the plugin's; `timeout-secs = 0` only where the
    /// command itself asks for it (or in a 0.1 manifest).
    pub fn command_limits(&self, path: &[String]) -> Option<Limits> {
        let scope = self.scope();
        let chain = self.command_chain(path)?;
        Some(chain.iter().fold(scope.inherited, |limits, command| {
            limits.inherited_by(command.limits.as_ref(), scope.keep_unlimited)
        }))
    }

    /// Refuses terminal controls in every string of the manifest, whatever the
    /// field: the host prints this text, and a control character in it could
    /// rewrite the screen, the clipboard or the window title.
    fn check_text(&self) -> Result<(), ManifestError> {
        let value = toml::Value::try_from(self)
            .map_err(|e| ManifestError(format!("invalid manifest: {e}")))?;
        check_strings(&value, "")
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

/// What a command narrows: the capabilities and limits of its plugin or of
/// the command it belongs to.
struct Scope<'a> {
    /// `its plugin` or `the command \`search history\``, for errors.
    owner: String,
    capabilities: &'a Capabilities,
    /// The most each limit may be; a timeout of 0 allows no wall-clock limit.
    ceiling: Limits,
    /// What a command declaring no limits gets.
    inherited: Limits,
    keep_unlimited: bool,
}

impl CommandSpec {
    /// Exposed as an MCP tool: as declared, else unless it is interactive,
    /// long-running or only a group of subcommands.
    pub fn is_tool(&self) -> bool {
        self.tool
            .unwrap_or(!self.interactive && !self.long_running && !self.subcommand_required)
    }

    /// Its capabilities and limits stay within `within`'s, and its tool
    /// metadata is coherent; then the same for its subcommands.
    fn validate_narrowing(&self, path: &str, within: &Scope) -> Result<(), ManifestError> {
        let refuse = |why: String| Err(ManifestError(format!("command `{path}` {why}")));
        let capabilities = match &self.capabilities {
            Some(own) => {
                let allowed = within.capabilities.names();
                if let Some(extra) = own.names().into_iter().find(|n| !allowed.contains(n)) {
                    return refuse(format!(
                        "asks for the capability `{extra}`, which {} does not declare; a command's capabilities can only narrow",
                        within.owner
                    ));
                }
                own
            }
            None => within.capabilities,
        };
        if let Some(own) = &self.limits {
            let most = &within.ceiling;
            for (field, asked, most) in [
                ("memory-mb", own.memory_mb, most.memory_mb),
                (
                    "cpu-gigainstructions",
                    own.cpu_gigainstructions,
                    most.cpu_gigainstructions,
                ),
                ("timeout-secs", own.timeout_secs, most.timeout_secs),
            ] {
                let unlimited_allowed = field == "timeout-secs" && most == Some(0);
                match (asked, most) {
                    (Some(0), _) if field == "timeout-secs" && !unlimited_allowed => {
                        return refuse(format!(
                            "asks for no wall-clock limit (`timeout-secs = 0`), which {} does not allow (its limits need `timeout-secs = 0` too)",
                            within.owner
                        ));
                    }
                    (Some(asked), Some(most)) if !unlimited_allowed && asked > most => {
                        return refuse(format!(
                            "asks for `{field} = {asked}`, more than the {most} of {}; a command's limits can only narrow",
                            within.owner
                        ));
                    }
                    _ => {}
                }
            }
            if own.timeout_secs == Some(0) && !self.long_running {
                return refuse(
                    "asks for no wall-clock limit (`timeout-secs = 0`) but is not `long-running = true`"
                        .into(),
                );
            }
        }
        let limits = within
            .inherited
            .inherited_by(self.limits.as_ref(), within.keep_unlimited);
        if self.reads_stdin && !capabilities.stdin {
            return refuse(
                "reads stdin (`reads-stdin = true`) but does not have the `stdin` capability; declare it"
                    .into(),
            );
        }
        if self.tool == Some(true) {
            let why = if self.interactive {
                Some("is interactive: a tool has no terminal to ask on")
            } else if limits.timeout_secs == Some(0) {
                Some("has no wall-clock limit: a tool must finish, its caller waits for the result")
            } else if self.subcommand_required {
                Some("needs a subcommand: its subcommands are the tools")
            } else {
                None
            };
            if let Some(why) = why {
                return refuse(format!("cannot be a tool (`tool = true`): it {why}"));
            }
        }
        let scope = Scope {
            owner: format!("the command `{path}`"),
            capabilities,
            ceiling: self.limits.as_ref().map_or_else(
                || within.ceiling.clone(),
                |own| within.ceiling.overlaid_with(own),
            ),
            inherited: limits,
            keep_unlimited: within.keep_unlimited,
        };
        for sub in &self.subcommands {
            sub.validate_narrowing(&format!("{path} {}", sub.name), &scope)?;
        }
        Ok(())
    }

    fn validate(&self, path: &str) -> Result<(), ManifestError> {
        check_name(&format!("command name `{path}`"), &self.name)?;
        let mut names = HashSet::new();
        let mut longs = HashSet::new();
        let mut shorts = HashSet::new();
        for arg in &self.args {
            check_name(&format!("argument `{}` of `{path}`", arg.name), &arg.name)?;
            if let Some(long) = &arg.long {
                check_name(&format!("flag `--{long}` of `{path}`"), long)?;
            }
            if let Some(short) = arg.short
                && !short.is_ascii_alphanumeric()
            {
                return Err(ManifestError(format!(
                    "short flag `-{short}` of `{path}` must be an ASCII letter or digit"
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
            if arg.destination && arg.value_type != ValueType::Url {
                return Err(ManifestError(format!(
                    "argument `{}` of `{path}` is a destination, so its type must be `url`",
                    arg.name
                )));
            }
            // The host reads a file and grants a destination because the
            // user named it; a default would be the plugin naming it.
            if (arg.destination || arg.value_type == ValueType::File)
                && (arg.default.is_some() || !arg.possible_values.is_empty())
            {
                return Err(ManifestError(format!(
                    "argument `{}` of `{path}` is a file or a destination, which only the user names: it cannot have a default or possible values",
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

/// The longest plugin, command or argument name.
pub const MAX_NAME_LEN: usize = 64;

/// Fields whose text may span lines (help and descriptions); every other
/// string is one line.
const PROSE_FIELDS: &[&str] = &[
    "description",
    "about",
    "long-about",
    "after-help",
    "help",
    "long-help",
];

/// Characters no plugin-provided text may carry: C0 and C1 controls, DEL, and
/// the bidirectional controls that make text display in another order than
/// it reads (`Trojan Source`).
pub fn is_terminal_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Walks every string (and key) of the manifest. `path` names the field for
/// the error, with array items named by their `name` where they have one.
fn check_strings(value: &toml::Value, path: &str) -> Result<(), ManifestError> {
    match value {
        toml::Value::String(text) => {
            let field = path.rsplit('.').next().unwrap_or(path);
            let multi_line = PROSE_FIELDS.contains(&field);
            match text
                .chars()
                .find(|&c| is_terminal_control(c) && !(multi_line && matches!(c, '\n' | '\t')))
            {
                Some(c) => Err(ManifestError(format!(
                    "manifest field `{path}` contains the control character U+{:04X}; plugin text may not carry terminal controls",
                    c as u32
                ))),
                None => Ok(()),
            }
        }
        toml::Value::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| {
            let label = item
                .get("name")
                .and_then(toml::Value::as_str)
                .filter(|n| !n.chars().any(is_terminal_control))
                .map_or_else(|| i.to_string(), str::to_string);
            check_strings(item, &format!("{path}[{label}]"))
        }),
        toml::Value::Table(table) => table.iter().try_for_each(|(key, item)| {
            let path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if key.chars().any(is_terminal_control) {
                return Err(ManifestError(format!(
                    "a manifest key under `{path}` contains a control character"
                )));
            }
            check_strings(item, &path)
        }),
        _ => Ok(()),
    }
}

/// Plugin, command, argument and flag names: a lower-case letter, then
/// lower-case letters, digits and `-`. `what` names it for the error.
fn check_name(what: &str, name: &str) -> Result<(), ManifestError> {
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.len() <= MAX_NAME_LEN;
    if plain {
        Ok(())
    } else {
        Err(ManifestError(format!(
            "{what} must start with a lower-case letter and have only lower-case letters, digits and `-` (at most {MAX_NAME_LEN})"
        )))
    }
}

/// Setting names: like other names, but `_` is allowed too (TOML keys).
fn check_setting_name(name: &str) -> Result<(), ManifestError> {
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= MAX_NAME_LEN;
    if plain {
        Ok(())
    } else {
        Err(ManifestError(format!(
            "setting name `{name}` must start with a lower-case letter and have only lower-case letters, digits, `-` and `_` (at most {MAX_NAME_LEN})"
        )))
    }
}

/// kagi's own environment variables, which no plugin setting may read: the
/// credentials, where kagi keeps its files, the policy and the logs.
pub const RESERVED_ENV: &[&str] = &[
    "KAGI_SESSION_TOKEN",
    "KAGI_API_TOKEN",
    "KAGI_BASE_URL",
    "KAGI_CACHE_DIR",
    "KAGI_DATA_DIR",
    "KAGI_CONFIG_DIR",
    "KAGI_CODE_CACHE_DIR",
    "KAGI_POLICY",
    "KAGI_LOG",
    "KAGI_PROFILE",
    "KAGI_CONFIG",
];

/// Words that mark a variable as a credential or kagi's configuration,
/// whatever else its name says (`KAGI_NEWS_BASE_URL`, `KAGI_MY_TOKEN`).
const RESERVED_ENV_PARTS: &[&str] = &[
    "TOKEN",
    "SESSION",
    "SECRET",
    "PASSWORD",
    "COOKIE",
    "CREDENTIAL",
    "KEYRING",
    "BASE_URL",
];

/// Whether a plugin setting may not read environment variable `var`.
pub fn is_reserved_env(var: &str) -> bool {
    RESERVED_ENV.contains(&var) || RESERVED_ENV_PARTS.iter().any(|part| var.contains(part))
}

/// A setting's variable is `KAGI_` and upper-case letters, digits and `_`,
/// and never one of kagi's own: a plugin must not read a credential through
/// a setting.
fn check_setting_env(setting: &str, var: &str) -> Result<(), ManifestError> {
    let plain = var.strip_prefix("KAGI_").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    }) && var.len() <= MAX_NAME_LEN;
    if !plain {
        return Err(ManifestError(format!(
            "setting `{setting}` reads the environment variable `{var}`, which must start with `KAGI_` and have only upper-case letters, digits and `_`"
        )));
    }
    if is_reserved_env(var) {
        return Err(ManifestError(format!(
            "setting `{setting}` reads the environment variable `{var}`, which is kagi's own (credentials, paths, policy); a plugin may not read it: choose another name"
        )));
    }
    Ok(())
}

/// `api`, `version` and `package-version` are semantic versions (`1.2.3`).
fn check_version(field: &str, version: &str) -> Result<(), ManifestError> {
    semver::Version::parse(version).map(|_| ()).map_err(|e| {
        ManifestError(format!(
            "manifest field `{field}` is `{version}`, not a semantic version such as `1.2.3`: {e}"
        ))
    })
}

/// A host the plugin may reach: a DNS name or an IP literal (IPv6 in
/// brackets), optionally after `https://` or `http://`; no port, path or
/// wildcard.
fn check_host(entry: &str) -> Result<(), ManifestError> {
    let host = entry
        .strip_prefix("https://")
        .or_else(|| entry.strip_prefix("http://"))
        .unwrap_or(entry);
    if is_dns_name(host) || is_ip_literal(host) {
        Ok(())
    } else {
        Err(ManifestError(format!(
            "capability host `{entry}` must be a lower-case DNS name or an IP address such as `example.com`, `192.0.2.1` or `[2001:db8::1]`, optionally after `https://` or `http://`, with no port or path"
        )))
    }
}

fn is_ip_literal(host: &str) -> bool {
    host.parse::<std::net::Ipv4Addr>().is_ok()
        || host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok())
}

/// Lower-case labels of letters, digits and inner `-`, as URLs normalise
/// host names; a name whose last label is a number would be read as an IPv4
/// address, so it is not a name.
fn is_dns_name(host: &str) -> bool {
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    host.len() <= 253
        && host.split('.').all(label_ok)
        && !host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.chars().all(|c| c.is_ascii_digit()))
}

/// Whether a plugin built for API `plugin` can be loaded by a binding of
/// version `binding`: the same major version, or for 0.x the same minor; and
/// not newer than the binding.
pub fn api_compatible(plugin: &str, binding: &str) -> bool {
    match (parse_version(plugin), parse_version(binding)) {
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

/// The rule of a host: it speaks every API version it carries a binding for
/// (`carried`, e.g. `["0.1.0", "0.2.0"]`). Returns the carried version that
/// loads a plugin built for `plugin`, the newest compatible one, or none: the
/// host refuses the plugin.
pub fn api_binding<'a>(plugin: &str, carried: &[&'a str]) -> Option<&'a str> {
    carried
        .iter()
        .rev()
        .find(|binding| api_compatible(plugin, binding))
        .copied()
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
    fn arg_groups_expand_into_each_command_that_names_them() {
        let text = r#"
api = "0.2.0"
name = "demo"
[[arg-groups]]
name = "output"
[[arg-groups.args]]
name = "format"
default = "json"
possible-values = ["json", "csv"]
[[commands]]
name = "a"
groups = ["output"]
[[commands.args]]
name = "query"
kind = "positional"
[[commands]]
name = "b"
[[commands.subcommands]]
name = "c"
groups = ["output"]
"#;
        let m = Manifest::parse(text).unwrap();
        let names = |path: &[&str]| -> Vec<String> {
            let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            let command = m.find_command(&path).unwrap();
            assert!(command.groups.is_empty());
            command.args.iter().map(|a| a.name.clone()).collect()
        };
        assert_eq!(names(&["a"]), ["query", "format"]);
        assert_eq!(names(&["b", "c"]), ["format"]);
        assert!(names(&["b"]).is_empty());
        // Expanded once: the result parses again to the same manifest.
        let again = Manifest::parse(&toml::to_string(&m).unwrap()).unwrap();
        assert_eq!(again, m);

        let unknown = text.replace(
            "groups = [\"output\"]\n[[commands.args]]",
            "groups = [\"outptu\"]\n[[commands.args]]",
        );
        assert_eq!(
            Manifest::parse(&unknown).unwrap_err().0,
            "command `a` uses the argument group `outptu`, which the manifest does not declare in [[arg-groups]]"
        );
        let clash = text.replace("name = \"query\"", "name = \"format\"");
        assert!(
            Manifest::parse(&clash)
                .unwrap_err()
                .0
                .contains("`format` of `a` is declared twice")
        );
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
    fn a_host_speaks_every_version_it_carries() {
        let carried = ["0.1.0", "0.2.0"];
        assert_eq!(api_binding("0.1.0", &carried), Some("0.1.0"));
        assert_eq!(api_binding("0.2.0", &carried), Some("0.2.0"));
        assert_eq!(api_binding("0.3.0", &carried), None);
        assert_eq!(api_binding("0.2.1", &carried), None);
        assert_eq!(api_binding("1.0.0", &carried), None);
    }

    #[test]
    fn api_version_matches_the_wit_package() {
        let wit = include_str!("../../../wit/plugin.wit");
        assert!(wit.contains(&format!("package kagi:plugin@{API_VERSION};")));
    }

    fn refusal(text: &str) -> String {
        Manifest::parse(text).unwrap_err().0
    }

    #[test]
    fn refuses_control_characters_in_any_string_naming_the_field() {
        let about = minimal().replace(
            "name = \"demo\"\n[[commands]]\nname = \"demo\"\n",
            "name = \"demo\"\n[[commands]]\nname = \"demo\"\nabout = \"hi \\u001b]52;c;aGk=\\u0007\"\n",
        );
        assert_eq!(
            refusal(&about),
            "manifest field `commands[demo].about` contains the control character U+001B; plugin text may not carry terminal controls"
        );
        let cases = [
            ("description = \"a\\u009bb\"\n", "`description`", "U+009B"),
            (
                "description = \"right\\u202Eleft\"\n",
                "`description`",
                "U+202E",
            ),
            (
                "description = \"isolate\\u2066x\"\n",
                "`description`",
                "U+2066",
            ),
            ("description = \"del\\u007f\"\n", "`description`", "U+007F"),
            ("description = \"cr\\rback\"\n", "`description`", "U+000D"),
            ("version = \"1.0.0\\n\"\n", "`version`", "U+000A"),
        ];
        for (line, field, char) in cases {
            let err = refusal(&format!("{line}{}", minimal()));
            assert!(err.contains(field) && err.contains(char), "{line}: {err}");
        }
        let arg = |body: &str| {
            format!(
                "{}[[commands.args]]\nname = \"format\"\n{body}\n",
                minimal()
            )
        };
        for (body, field) in [
            ("help = \"x\\u001b[2J\"", "commands[demo].args[format].help"),
            ("default = \"x\\n\"", "commands[demo].args[format].default"),
            (
                "possible-values = [\"a\", \"b\\u0007\"]",
                "commands[demo].args[format].possible-values[1]",
            ),
            (
                "value-name = \"V\\t\"",
                "commands[demo].args[format].value-name",
            ),
        ] {
            let err = refusal(&arg(body));
            assert!(err.contains(&format!("`{field}`")), "{body}: {err}");
        }
        let sub = format!(
            "{}[[commands.subcommands]]\nname = \"s\\u001bx\"\n",
            minimal()
        );
        assert!(refusal(&sub).contains("`commands[demo].subcommands[0].name`"));
    }

    #[test]
    fn help_and_descriptions_may_span_lines() {
        let text = format!(
            "description = \"one\\ntwo\"\n{}long-about = \"a\\n\\tb\"\n[[commands.args]]\nname = \"x\"\nhelp = \"line\\nline\"\n",
            minimal()
        );
        Manifest::parse(&text).unwrap();
    }

    #[test]
    fn names_are_lower_case_words_starting_with_a_letter() {
        for bad in ["Demo", "1demo", "-demo", "de mo", "de_mo", "démo", ""] {
            let text = minimal().replacen("name = \"demo\"", &format!("name = \"{bad}\""), 1);
            assert!(refusal(&text).contains("plugin name"), "{bad}");
        }
        let long = "a".repeat(MAX_NAME_LEN + 1);
        let text = minimal().replacen("name = \"demo\"", &format!("name = \"{long}\""), 1);
        assert!(refusal(&text).contains("at most 64"));
        let text = minimal().replace(
            "[[commands]]\nname = \"demo\"",
            "[[commands]]\nname = \"Demo\"",
        );
        assert!(refusal(&text).starts_with("command name `Demo` must start"));
        let arg = format!("{}[[commands.args]]\nname = \"9lives\"\n", minimal());
        assert!(refusal(&arg).starts_with("argument `9lives` of `demo` must start"));
        let long = format!(
            "{}[[commands.args]]\nname = \"a\"\nlong = \"A\"\n",
            minimal()
        );
        assert!(refusal(&long).starts_with("flag `--A` of `demo` must start"));
        let short = format!(
            "{}[[commands.args]]\nname = \"a\"\nshort = \"-\"\n",
            minimal()
        );
        assert!(refusal(&short).contains("ASCII letter or digit"));
    }

    #[test]
    fn versions_are_semantic_versions() {
        for bad in ["1.0", "v1.0.0", "1.0.0 ", "latest", "01.0.0"] {
            let text = format!("version = \"{bad}\"\n{}", minimal());
            assert!(
                refusal(&text).starts_with("manifest field `version`"),
                "{bad}"
            );
            let text = format!("package-version = \"{bad}\"\n{}", minimal());
            assert!(
                refusal(&text).starts_with("manifest field `package-version`"),
                "{bad}"
            );
        }
        let text = minimal().replace("api = \"0.1.0\"", "api = \"0.1\"");
        assert!(refusal(&text).starts_with("manifest field `api`"));
        let text = format!("version = \"1.2.3-beta.1+build.5\"\n{}", minimal());
        Manifest::parse(&text).unwrap();
    }

    #[test]
    fn hosts_are_dns_names_or_ip_literals() {
        let with_host = |host: &str| format!("{}[capabilities]\nhosts = [\"{host}\"]\n", minimal());
        for good in [
            "example.com",
            "localhost",
            "a-b.c0.example",
            "192.0.2.1",
            "[2001:db8::1]",
            "https://example.com",
            "http://127.0.0.1",
            "http://[::1]",
        ] {
            Manifest::parse(&with_host(good)).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
        for bad in [
            "",
            "Example.com",
            "example.com:443",
            "https://example.com:443",
            "https://example.com/",
            "ftp://example.com",
            "HTTPS://example.com",
            "https://",
            "*.example.com",
            "-example.com",
            "example-.com",
            "exa_mple.com",
            "example..com",
            "example.com.",
            "1.2.3",
            "256.1.1.1",
            "2001:db8::1",
            "[fe80::1%eth0]",
            "bücher.example",
            "user@example.com",
        ] {
            let err = refusal(&with_host(bad));
            assert!(
                err.starts_with(&format!("capability host `{bad}` must be")),
                "{bad}: {err}"
            );
        }
        let label = "a".repeat(64);
        assert!(refusal(&with_host(&format!("{label}.com"))).starts_with("capability host"));
    }

    #[test]
    fn files_and_destination_urls_are_argument_types() {
        let text = format!(
            "{}[[commands.args]]\nname = \"attach\"\ntype = \"file\"\nmultiple = true\n[[commands.args]]\nname = \"to\"\ntype = \"url\"\ndestination = true\n",
            minimal()
        );
        let m = Manifest::parse(&text).unwrap();
        let args = &m.commands[0].args;
        assert_eq!(args[0].value_type, ValueType::File);
        assert_eq!(args[1].value_type, ValueType::Url);
        assert!(args[1].destination && !args[0].destination);
        let text = format!(
            "{}[[commands.args]]\nname = \"to\"\ndestination = true\n",
            minimal()
        );
        assert_eq!(
            refusal(&text),
            "argument `to` of `demo` is a destination, so its type must be `url`"
        );
        for (spec, name) in [
            (
                "name = \"key\"\ntype = \"file\"\ndefault = \"/home/u/.ssh/id_ed25519\"",
                "key",
            ),
            (
                "name = \"to\"\ntype = \"url\"\ndestination = true\ndefault = \"https://evil.example\"",
                "to",
            ),
            (
                "name = \"to\"\ntype = \"url\"\ndestination = true\npossible-values = [\"https://evil.example\"]",
                "to",
            ),
        ] {
            let text = format!("{}[[commands.args]]\n{spec}\n", minimal());
            assert_eq!(
                refusal(&text),
                format!(
                    "argument `{name}` of `demo` is a file or a destination, which only the user names: it cannot have a default or possible values"
                )
            );
        }
    }

    /// A plugin with `[capabilities]` and `[limits]` `plugin`, and commands
    /// `commands` (TOML for `[[commands]]` tables).
    fn plugin_with(api: &str, plugin: &str, commands: &str) -> Result<Manifest, ManifestError> {
        Manifest::parse(&format!(
            "api = \"{api}\"\nname = \"demo\"\n{plugin}\n{commands}"
        ))
    }

    const CAPS: &str = "[capabilities]\nservices = [\"kagi\"]\ncredentials = [\"api\"]\nhosts = [\"https://example.com\"]\nstorage = true\nstdin = true\n[limits]\ntimeout-secs = 0\nmemory-mb = 512\n";

    fn path(p: &str) -> Vec<String> {
        p.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn a_command_narrows_its_plugins_capabilities_or_inherits_them() {
        let m = plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"search\"\n[[commands]]\nname = \"history\"\n[commands.capabilities]\nstorage = true\n[[commands.subcommands]]\nname = \"list\"\n",
        )
        .unwrap();
        assert_eq!(
            m.command_capabilities(&path("search")).unwrap().names(),
            [
                "service:kagi",
                "host:example.com",
                "credential:api",
                "storage",
                "stdin"
            ]
        );
        assert_eq!(
            m.command_capabilities(&path("history list"))
                .unwrap()
                .names(),
            ["storage"]
        );
        assert!(m.command_capabilities(&path("nope")).is_none());
    }

    #[test]
    fn a_command_asking_for_a_capability_its_plugin_lacks_is_refused() {
        let err = plugin_with(
            "0.2.0",
            "[capabilities]\nstorage = true\n",
            "[[commands]]\nname = \"fetch\"\n[commands.capabilities]\nservices = [\"kagi\"]\n",
        )
        .unwrap_err();
        assert_eq!(
            err.0,
            "command `fetch` asks for the capability `service:kagi`, which its plugin does not declare; a command's capabilities can only narrow"
        );
        let err = plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"history\"\n[commands.capabilities]\nstorage = true\n[[commands.subcommands]]\nname = \"list\"\n[commands.subcommands.capabilities]\nstdin = true\n",
        )
        .unwrap_err();
        assert_eq!(
            err.0,
            "command `history list` asks for the capability `stdin`, which the command `history` does not declare; a command's capabilities can only narrow"
        );
    }

    #[test]
    fn only_a_long_running_command_gets_no_wall_clock_limit() {
        let m = plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"search\"\n[[commands]]\nname = \"watch\"\nlong-running = true\n[commands.limits]\ntimeout-secs = 0\n",
        )
        .unwrap();
        let search = m.command_limits(&path("search")).unwrap();
        assert_eq!(search.timeout_secs, None, "the default wall-clock limit");
        assert_eq!(search.memory_mb, Some(512), "other limits are inherited");
        assert_eq!(
            m.command_limits(&path("watch")).unwrap().timeout_secs,
            Some(0)
        );
        // A 0.1 manifest had no per-command limits: its plugin's apply as before.
        let old = plugin_with("0.1.0", CAPS, "[[commands]]\nname = \"search\"\n").unwrap();
        assert_eq!(
            old.command_limits(&path("search")).unwrap().timeout_secs,
            Some(0)
        );

        let unlimited = "[[commands]]\nname = \"watch\"\nlong-running = true\n[commands.limits]\ntimeout-secs = 0\n";
        assert_eq!(
            plugin_with("0.2.0", "", unlimited).unwrap_err().0,
            "command `watch` asks for no wall-clock limit (`timeout-secs = 0`), which its plugin does not allow (its limits need `timeout-secs = 0` too)"
        );
        assert_eq!(
            plugin_with(
                "0.2.0",
                CAPS,
                &unlimited.replace("long-running = true\n", "")
            )
            .unwrap_err()
            .0,
            "command `watch` asks for no wall-clock limit (`timeout-secs = 0`) but is not `long-running = true`"
        );
    }

    #[test]
    fn a_commands_limits_can_only_narrow() {
        let with = |plugin: &str, limits: &str| {
            plugin_with(
                "0.2.0",
                plugin,
                &format!("[[commands]]\nname = \"run\"\n[commands.limits]\n{limits}\n"),
            )
        };
        assert_eq!(
            with("[limits]\nmemory-mb = 512\n", "memory-mb = 1024")
                .unwrap_err()
                .0,
            "command `run` asks for `memory-mb = 1024`, more than the 512 of its plugin; a command's limits can only narrow"
        );
        // Where the plugin declares nothing, the host's defaults are the most.
        assert!(
            with("", "cpu-gigainstructions = 51")
                .unwrap_err()
                .0
                .contains("more than the 50 of its plugin")
        );
        assert!(
            with("", "timeout-secs = 601")
                .unwrap_err()
                .0
                .contains("more than the 600")
        );
        let m = with(
            "[limits]\nmemory-mb = 512\ntimeout-secs = 30\n",
            "memory-mb = 64",
        )
        .unwrap();
        let run = m.command_limits(&path("run")).unwrap();
        assert_eq!((run.memory_mb, run.timeout_secs), (Some(64), Some(30)));
        // Under a plugin that allows no wall-clock limit, any limit narrows.
        assert!(with(CAPS, "timeout-secs = 3600").is_ok());
    }

    #[test]
    fn tool_metadata_is_coherent() {
        let m = plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"a\"\n[[commands]]\nname = \"b\"\ninteractive = true\n[[commands]]\nname = \"c\"\nlong-running = true\n[[commands]]\nname = \"d\"\nsubcommand-required = true\n[[commands.subcommands]]\nname = \"e\"\ndestructive = true\nreads-stdin = true\n",
        )
        .unwrap();
        let tools: Vec<bool> = ["a", "b", "c", "d", "d e"]
            .iter()
            .map(|p| m.find_command(&path(p)).unwrap().is_tool())
            .collect();
        assert_eq!(tools, [true, false, false, false, true]);
        let refused = |command: &str| plugin_with("0.2.0", CAPS, command).unwrap_err().0;
        assert_eq!(
            refused("[[commands]]\nname = \"ask\"\ninteractive = true\ntool = true\n"),
            "command `ask` cannot be a tool (`tool = true`): it is interactive: a tool has no terminal to ask on"
        );
        assert!(refused("[[commands]]\nname = \"w\"\nlong-running = true\ntool = true\n[commands.limits]\ntimeout-secs = 0\n").contains("has no wall-clock limit"));
        assert!(refused("[[commands]]\nname = \"g\"\nsubcommand-required = true\ntool = true\n[[commands.subcommands]]\nname = \"x\"\n").contains("needs a subcommand"));
        assert_eq!(
            plugin_with(
                "0.2.0",
                "",
                "[[commands]]\nname = \"cat\"\nreads-stdin = true\n"
            )
            .unwrap_err()
            .0,
            "command `cat` reads stdin (`reads-stdin = true`) but does not have the `stdin` capability; declare it"
        );
    }

    #[test]
    fn settings_are_declared_with_a_type_and_an_own_variable() {
        let with = |settings: &str| {
            plugin_with(
                "0.2.0",
                &format!("{settings}\n"),
                "[[commands]]\nname = \"x\"\n",
            )
        };
        let m = with("[[settings]]\nname = \"history\"\nenv = \"KAGI_HISTORY\"\ntype = \"bool\"\nhelp = \"Record searches\"\n[[settings]]\nname = \"page_size\"\ntype = \"int\"").unwrap();
        let history = m.setting("history").unwrap();
        assert_eq!(
            (history.env.as_deref(), history.value_type),
            (Some("KAGI_HISTORY"), SettingType::Bool)
        );
        assert_eq!(m.setting("page_size").unwrap().env, None);
        assert!(m.setting("other").is_none());
        for var in [
            "KAGI_SESSION_TOKEN",
            "KAGI_API_TOKEN",
            "KAGI_BASE_URL",
            "KAGI_NEWS_BASE_URL",
            "KAGI_CACHE_DIR",
            "KAGI_DATA_DIR",
            "KAGI_CONFIG_DIR",
            "KAGI_CODE_CACHE_DIR",
            "KAGI_POLICY",
            "KAGI_LOG",
            "KAGI_PROFILE",
            "KAGI_MY_SECRET_TOKEN",
        ] {
            let err = with(&format!(
                "[[settings]]\nname = \"s\"\nenv = \"{var}\"\ntype = \"string\""
            ))
            .unwrap_err()
            .0;
            assert_eq!(
                err,
                format!(
                    "setting `s` reads the environment variable `{var}`, which is kagi's own (credentials, paths, policy); a plugin may not read it: choose another name"
                )
            );
        }
        for var in [
            "HOME",
            "AWS_SECRET_ACCESS_KEY",
            "KAGI_",
            "kagi_history",
            "KAGI_A-B",
        ] {
            let err = with(&format!(
                "[[settings]]\nname = \"s\"\nenv = \"{var}\"\ntype = \"string\""
            ))
            .unwrap_err()
            .0;
            assert!(err.contains("must start with `KAGI_`"), "{var}: {err}");
        }
        assert!(
            with("[[settings]]\nname = \"s\"\ntype = \"float\"")
                .unwrap_err()
                .0
                .contains("invalid manifest")
        );
        assert!(
            with("[[settings]]\nname = \"s\"")
                .unwrap_err()
                .0
                .contains("invalid manifest")
        );
        assert_eq!(with("[[settings]]\nname = \"s\"\ntype = \"int\"\n[[settings]]\nname = \"s\"\ntype = \"int\"").unwrap_err().0, "setting `s` is declared twice");
        assert_eq!(
            with("[[settings]]\nname = \"a\"\nenv = \"KAGI_X\"\ntype = \"int\"\n[[settings]]\nname = \"b\"\nenv = \"KAGI_X\"\ntype = \"int\"").unwrap_err().0,
            "the environment variable `KAGI_X` is declared for two settings"
        );
        assert!(
            with("[[settings]]\nname = \"Bad\"\ntype = \"int\"")
                .unwrap_err()
                .0
                .starts_with("setting name `Bad`")
        );
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
