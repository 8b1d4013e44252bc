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
        }
        Ok(())
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

impl CommandSpec {
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
    fn finds_nested_commands() {
        let text = format!("{}[[commands.subcommands]]\nname = \"sub\"\n", minimal());
        let m = Manifest::parse(&text).unwrap();
        let path = vec!["demo".to_string(), "sub".to_string()];
        assert_eq!(m.find_command(&path).unwrap().name, "sub");
        assert!(m.find_command(&["nope".to_string()]).is_none());
    }
}
