//! Checking a manifest: names, versions, hosts, text without terminal
//! controls, settings, and that each command only narrows its plugin.

use super::*;
use crate::versions::parse_version;
use std::collections::HashSet;

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
        self.capabilities
            .validate_account_settings(&format!("plugin `{}`", self.name))?;
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

    /// Every command, subcommands included (depth first), as its path with
    /// its arguments' names and defaults: what a plugin's accessors check the
    /// names they read against (the SDK compiles it into each plugin).
    pub fn declared_args(&self) -> Vec<DeclaredCommand> {
        fn walk(command: &CommandSpec, prefix: &mut Vec<String>, out: &mut Vec<DeclaredCommand>) {
            prefix.push(command.name.clone());
            out.push(DeclaredCommand {
                path: prefix.clone(),
                args: command
                    .args
                    .iter()
                    .map(|a| (a.name.clone(), a.default.clone()))
                    .collect(),
            });
            for sub in &command.subcommands {
                walk(sub, prefix, out);
            }
            prefix.pop();
        }
        let mut out = Vec::new();
        for command in &self.commands {
            walk(command, &mut Vec::new(), &mut out);
        }
        out
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

impl Capabilities {
    /// `account-settings`, if declared: well formed, and with what it needs
    /// to be of any use (the session, on the `kagi` service).
    fn validate_account_settings(&self, owner: &str) -> Result<(), ManifestError> {
        let Some(settings) = &self.account_settings else {
            return Ok(());
        };
        settings.validate(owner)?;
        if !self.credentials.contains(&Credential::Session) {
            return Err(ManifestError(format!(
                "{owner}: capabilities.account-settings needs the session: add \"session\" to capabilities.credentials"
            )));
        }
        if !self.services.iter().any(|s| s == "kagi") {
            return Err(ManifestError(format!(
                "{owner}: capabilities.account-settings is about pages on the `kagi` service: add \"kagi\" to capabilities.services"
            )));
        }
        Ok(())
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
                own.validate_account_settings(&format!("command `{path}`"))?;
                if let (Some(own), Some(outer)) =
                    (&own.account_settings, &within.capabilities.account_settings)
                    && let Some(wider) = own.paths.iter().find(|p| !outer.covers(p))
                {
                    return refuse(format!(
                        "lists the settings page `{wider}` under capabilities.account-settings, which {} does not cover; a command's capabilities can only narrow",
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
                ("cpu-seconds", own.cpu_seconds, most.cpu_seconds),
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
        if self.read_only && self.destructive {
            return refuse(
                "is both `read-only = true` and `destructive = true`; a command that only reads destroys nothing: keep one"
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
            let user_named = matches!(arg.value_type, ValueType::File | ValueType::OutputFile);
            if (arg.destination || user_named)
                && (arg.default.is_some() || !arg.possible_values.is_empty())
            {
                return Err(ManifestError(format!(
                    "argument `{}` of `{path}` is a file or a destination, which only the user names: it cannot have a default or possible values",
                    arg.name
                )));
            }
            // The plugin writes an output file by its argument's name: one path.
            if arg.value_type == ValueType::OutputFile
                && (arg.multiple || arg.kind != ArgKind::Option)
            {
                return Err(ManifestError(format!(
                    "argument `{}` of `{path}` is an output file: it must be an option taking one path",
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
pub(crate) fn check_name(what: &str, name: &str) -> Result<(), ManifestError> {
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
