//! `kagi plugin`: list, inspect, install, remove, grant, revoke, and run a
//! plugin under development.

use crate::capabilities::{self, Capability, Grants, Policy, Withheld};
use crate::cli;
use crate::error::{Error, Result, exit};
// Everything printed from a manifest goes through this: never a raw control character.
use crate::registry::{Approval, InstallRecord, PluginEntry, Registry};
use crate::sanitize::escape_for_display as shown;
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub fn command() -> Command {
    let name = || {
        Arg::new("name")
            .required(true)
            .value_name("NAME")
            .help("The plugin's name")
    };
    let capability = || {
        Arg::new("capability")
            .required(true)
            .value_name("CAPABILITY")
            .help("service:kagi|news|translate, host:NAME (https) or host:http://NAME, credential:session|api, account, storage, stdin or limits")
    };
    // How a plugin file gets its capabilities: the same for install and test.
    let with_grant_flags = |command: Command| {
        command
            .arg(
                Arg::new("grant")
                    .long("grant")
                    .action(ArgAction::Append)
                    .value_name("CAPABILITY")
                    .help("Grant one capability it asks for (repeatable); needed off a terminal"),
            )
            .arg(
                Arg::new("grant-all")
                    .long("grant-all")
                    .action(ArgAction::SetTrue)
                    .help("Grant everything it asks for, except `account`, which only --grant account grants"),
            )
            .arg(
                Arg::new("yes")
                    .long("yes")
                    .short('y')
                    .action(ArgAction::SetTrue)
                    .help("Do not ask; grant only what --grant/--grant-all say"),
            )
    };
    Command::new("plugin")
        .about("Manage and develop plugins")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(Command::new("list").about("List built-in and installed plugins and what they may do"))
        .subcommand(Command::new("info").about("Show a plugin's manifest, capabilities and grants").arg(name()))
        .subcommand(
            with_grant_flags(
                Command::new("install")
                    .about("Install a plugin from a .wasm file, after reviewing what it asks for")
                    .arg(Arg::new("path").required(true).value_name("PLUGIN.wasm")),
            )
            .arg(
                Arg::new("replace")
                    .long("replace")
                    .action(ArgAction::SetTrue)
                    .help("Let it replace built-in commands of the same name"),
            ),
        )
        .subcommand(Command::new("remove").about("Remove an installed plugin and its commands").arg(name()))
        .subcommand(Command::new("grant").about("Grant an installed plugin a capability it asks for").arg(name()).arg(capability()))
        .subcommand(Command::new("revoke").about("Take a capability back from an installed plugin").arg(name()).arg(capability()))
        .subcommand(with_grant_flags(
            Command::new("test")
                .about("Run a plugin file exactly as an installed plugin runs, for development")
                .long_about(
                    "Run a plugin file exactly as an installed plugin runs, for development. It gets what you \
                     grant it (as `plugin install` asks; narrowed by any policy) for this run only, and storage \
                     that is discarded after the run; nothing is recorded.",
                )
                .arg(Arg::new("path").required(true).value_name("PLUGIN.wasm").help("The component to run"))
                .arg(
                    Arg::new("args")
                        .num_args(0..)
                        .last(true)
                        .allow_hyphen_values(true)
                        .value_name("ARGS")
                        .help("The command line for the plugin, after --"),
                ),
        ))
}

/// What `run` needs from main: running a plugin command.
pub trait Runner {
    /// Runs command `name` of `entry`, with its storage under `data_dir`.
    fn run_plugin(
        &self,
        entry: &PluginEntry,
        grants: Grants,
        name: &str,
        matches: &ArgMatches,
        data_dir: &Path,
    ) -> Result<i32>;
}

pub fn run(
    matches: &ArgMatches,
    registry: &Registry,
    policy: &Policy,
    runner: &dyn Runner,
) -> Result<i32> {
    let (sub, m) = matches.subcommand().expect("clap requires a subcommand");
    let name = || m.get_one::<String>("name").expect("required").as_str();
    match sub {
        "list" => list(registry, policy),
        "info" => info(find(registry, name())?, policy),
        "install" => install(m, registry, policy),
        "remove" => remove(registry, name()),
        "grant" | "revoke" => {
            let cap = Capability::parse(m.get_one::<String>("capability").expect("required"))
                .map_err(Error::Usage)?;
            change_grant(registry, name(), cap, sub == "grant")
        }
        "test" => test(m, policy, runner),
        _ => unreachable!("clap knows the subcommands"),
    }
}

/// `kagi plugin test`: runs a plugin file with what the user grants it now
/// and scratch storage, so that a file calling itself `search` never sees the
/// built-in's history or site preferences.
fn test(m: &ArgMatches, policy: &Policy, runner: &dyn Runner) -> Result<i32> {
    third_party_allowed(policy)?;
    let entry = read_plugin_file(m)?;
    let args: Vec<String> = m
        .get_many::<String>("args")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    let argv = std::iter::once("kagi".to_string()).chain(args);
    let matches = match cli::build_for_plugin(&entry.manifest).try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return Ok(code);
        }
    };
    let (command, sub) = matches.subcommand().expect("subcommand_required");
    let Some(granted) = review_and_grant(m, &entry, &[], Purpose::Test)? else {
        return Ok(exit::OK);
    };
    let grants = Grants::new(&entry.manifest, Some(&granted), policy).for_test_run();
    let scratch = tempfile::Builder::new()
        .prefix("kagi-plugin-test-")
        .tempdir()
        .map_err(|e| {
            Error::Config(format!(
                "cannot create scratch storage for the test run: {e}"
            ))
        })?;
    runner.run_plugin(&entry, grants, command, sub, scratch.path())
}

fn third_party_allowed(policy: &Policy) -> Result<()> {
    if policy.allow_third_party == Some(false) {
        return Err(Error::Config(
            "the administrator's policy does not allow third-party plugins".into(),
        ));
    }
    Ok(())
}

/// Reads the plugin file named on the command line, once, and checks what can
/// be checked without running it: its API version and its imports.
fn read_plugin_file(m: &ArgMatches) -> Result<PluginEntry> {
    let path = PathBuf::from(m.get_one::<String>("path").expect("required"));
    let entry = PluginEntry::from_file(&path)?;
    capabilities::check_api(&entry.manifest)?;
    let imports = crate::wasm_manifest::component_imports(entry.wasm()?.bytes()).map_err(|e| {
        Error::PluginDenied {
            plugin: entry.name().to_string(),
            reason: e,
        }
    })?;
    capabilities::check_imports(entry.name(), imports.iter().map(String::as_str))?;
    Ok(entry)
}

/// Why a plugin file's capabilities are being decided.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Install,
    Test,
}

impl Purpose {
    fn question(self, name: &str) -> String {
        match self {
            Purpose::Install => format!("Install `{name}` and grant all of the above?"),
            Purpose::Test => {
                format!("Run `{name}` with all of the above granted, for this run only?")
            }
        }
    }

    fn declined(self) -> &'static str {
        match self {
            Purpose::Install => "Not installed. Nothing was changed.",
            Purpose::Test => "Not run.",
        }
    }

    fn off_a_terminal(self) -> &'static str {
        match self {
            Purpose::Install => "installing",
            Purpose::Test => "testing a plugin",
        }
    }
}

/// Shows what a plugin file asks for and decides what it gets: what
/// `--grant`/`--grant-all` say; else, on a terminal, everything if the user
/// says yes; else nothing if it asks for nothing or `--yes` was given; else an
/// error naming the flags. `None`: the user said no. An install always shows
/// the review; a test run shows it only when it asks or refuses.
fn review_and_grant(
    m: &ArgMatches,
    entry: &PluginEntry,
    replaces: &[String],
    purpose: Purpose,
) -> Result<Option<BTreeSet<Capability>>> {
    let name = entry.name();
    let requested = capabilities::requested(&entry.manifest);
    let flagged = granted_by_flags(m, name, &requested)?;
    let yes = m.get_flag("yes");
    let ask = flagged.is_none()
        && !yes
        && (purpose == Purpose::Install || !requested.is_empty())
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal();
    let refuse = flagged.is_none() && !ask && !yes && !requested.is_empty();
    if purpose == Purpose::Install || ask || refuse {
        eprint!("{}", review(entry, &requested, replaces));
    }
    if let Some(granted) = flagged {
        return Ok(Some(granted));
    }
    if ask {
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(purpose.question(name))
            .default(false)
            .interact()
            .map_err(|e| Error::Config(format!("could not ask for confirmation: {e}")))?;
        if !confirmed {
            eprintln!("{}", purpose.declined());
            return Ok(None);
        }
        let mut granted = requested;
        // Asked again, on its own, defaulting to no.
        if granted.contains(&Capability::Account) {
            let account = dialoguer::Confirm::new()
                .with_prompt(format!(
                    "Also grant `account`, full control of your Kagi account, to `{}`?",
                    shown(name)
                ))
                .default(false)
                .interact()
                .map_err(|e| Error::Config(format!("could not ask for confirmation: {e}")))?;
            if !account {
                granted.remove(&Capability::Account);
            }
        }
        return Ok(Some(granted));
    }
    if refuse {
        return Err(Error::Config(format!(
            "{} off a terminal needs explicit grants: pass --grant-all, or --grant CAPABILITY for each of: {}",
            purpose.off_a_terminal(),
            join(&requested)
        )));
    }
    Ok(Some(BTreeSet::new()))
}

/// What `--grant-all` or `--grant CAP…` grant; `None` if neither was given.
fn granted_by_flags(
    m: &ArgMatches,
    name: &str,
    requested: &BTreeSet<Capability>,
) -> Result<Option<BTreeSet<Capability>>> {
    let all = m.get_flag("grant-all");
    let list = m.get_many::<String>("grant");
    if !all && list.is_none() {
        return Ok(None);
    }
    // Full control of the account is never granted wholesale: only by name.
    let mut granted: BTreeSet<Capability> = if all {
        requested
            .iter()
            .filter(|c| **c != Capability::Account)
            .cloned()
            .collect()
    } else {
        BTreeSet::new()
    };
    for text in list.into_iter().flatten() {
        let cap = Capability::parse(text).map_err(Error::Usage)?;
        if !requested.contains(&cap) {
            return Err(Error::Usage(format!(
                "`{name}` does not ask for {cap}; it asks for: {}",
                join(requested)
            )));
        }
        granted.insert(cap);
    }
    Ok(Some(granted))
}

/// The install review: what a plugin asks for, in plain words.
fn review(entry: &PluginEntry, requested: &BTreeSet<Capability>, replaces: &[String]) -> String {
    let mut review = format!(
        "plugin `{}` {} asks to:\n",
        shown(entry.name()),
        shown(entry.manifest.display_version())
    );
    if requested.is_empty() {
        review.push_str("  (nothing: it can only compute and print)\n");
    }
    for cap in requested {
        review.push_str(&format!(
            "  {}: {}\n",
            shown(&cap.to_string()),
            shown(&cap.describe())
        ));
    }
    for c in replaces {
        review.push_str(&format!("  replace the built-in `kagi {}`\n", shown(c)));
    }
    review
}

/// The grants an entry runs with.
pub fn grants_for(entry: &PluginEntry, policy: &Policy) -> Grants {
    let approved = entry.record().map(InstallRecord::granted);
    Grants::new(&entry.manifest, approved.as_ref(), policy)
}

fn find<'a>(registry: &'a Registry, name: &str) -> Result<&'a PluginEntry> {
    registry
        .find(name)
        .ok_or_else(|| Error::Config(format!("no plugin named `{name}`; see `kagi plugin list`")))
}

fn installed<'a>(registry: &'a Registry, name: &str) -> Result<&'a PluginEntry> {
    let entry = find(registry, name)?;
    if entry.is_builtin() {
        return Err(Error::Config(format!(
            "`{name}` is built in: it gets what its manifest declares, and only an administrator's policy can narrow that"
        )));
    }
    Ok(entry)
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
}

fn capability_lines(entry: &PluginEntry, policy: &Policy) -> Vec<String> {
    let grants = grants_for(entry, policy);
    let mut lines: Vec<String> = grants
        .allowed
        .iter()
        .map(|c| format!("{} (granted)", shown(&c.to_string())))
        .collect();
    lines.extend(grants.withheld.iter().map(|(c, why)| {
        let why = match why {
            Withheld::NotGranted => "not granted",
            Withheld::Policy => "forbidden by policy",
        };
        format!("{} ({why})", shown(&c.to_string()))
    }));
    lines
}

fn list(registry: &Registry, policy: &Policy) -> Result<i32> {
    let mut text = String::new();
    for entry in &registry.plugins {
        let source = if entry.is_builtin() {
            "built-in"
        } else {
            "installed"
        };
        let commands: Vec<&str> = entry.manifest.command_names();
        let replaces = entry
            .record()
            .map(|r| r.replaces.clone())
            .unwrap_or_default();
        text.push_str(&format!(
            "{} {} ({source}, plugin API {})\n  commands: {}\n",
            shown(entry.name()),
            shown(entry.manifest.display_version()),
            shown(&entry.manifest.api),
            shown(&commands.join(", "))
        ));
        if !replaces.is_empty() {
            text.push_str(&format!(
                "  replaces built-in: {}\n",
                shown(&replaces.join(", "))
            ));
        }
        let caps = capability_lines(entry, policy);
        text.push_str(&format!(
            "  capabilities: {}\n",
            if caps.is_empty() {
                "none".to_string()
            } else {
                caps.join(", ")
            }
        ));
    }
    for (name, reason) in &registry.broken {
        let (name, reason) = (shown(name), shown(reason));
        text.push_str(&format!(
            "{name} (installed, unusable: {reason}; remove it with `kagi plugin remove {name}`)\n"
        ));
    }
    let summary = policy.summary();
    if !summary.is_empty() {
        let source = policy
            .sources
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" narrowed by ");
        text.push_str(&format!("policy ({source}):\n"));
        for line in summary {
            text.push_str(&format!("  {line}\n"));
        }
    }
    print(&text);
    Ok(exit::OK)
}

fn info(entry: &PluginEntry, policy: &Policy) -> Result<i32> {
    let m = &entry.manifest;
    let grants = grants_for(entry, policy);
    let mut text = format!(
        "name: {}\nversion: {}\nplugin API: {}\nsource: {}\nsha256: {}\n",
        shown(&m.name),
        shown(m.display_version()),
        shown(&m.api),
        match &entry.source {
            crate::registry::Source::Builtin(_) => "built into kagi".to_string(),
            crate::registry::Source::File { path, .. } => path.display().to_string(),
            crate::registry::Source::Installed { dir, record } =>
                format!("{} (installed from {})", dir.display(), record.source),
        },
        entry.sha256
    );
    if !m.description.is_empty() {
        text.push_str(&format!("description: {}\n", shown(&m.description)));
    }
    let commands = m.command_names();
    text.push_str(&format!(
        "commands: {}\ncapabilities:\n",
        shown(&commands.join(", "))
    ));
    for line in capability_lines(entry, policy) {
        text.push_str(&format!("  {line}\n"));
    }
    let l = &grants.limits;
    text.push_str(&format!(
        "limits: memory {} MiB, time {}, CPU {} billion instructions\n",
        l.memory_bytes / (1024 * 1024),
        l.timeout
            .map(|t| format!("{} s", t.as_secs()))
            .unwrap_or_else(|| "unlimited".into()),
        l.fuel / 1_000_000_000
    ));
    print(&text);
    Ok(exit::OK)
}

fn install(m: &ArgMatches, registry: &Registry, policy: &Policy) -> Result<i32> {
    third_party_allowed(policy)?;
    let entry = read_plugin_file(m)?;
    let name = entry.name().to_string();
    if registry.find(&name).is_some_and(PluginEntry::is_builtin) {
        return Err(Error::Config(format!(
            "a built-in plugin is already called `{name}`; rename the plugin in its manifest (to replace built-in commands, use another name and --replace)"
        )));
    }

    // Which commands it would take.
    let replace = m.get_flag("replace");
    let mut replaces = Vec::new();
    for command in &entry.manifest.commands {
        let c = command.name.as_str();
        if matches!(c, "auth" | "plugin") {
            return Err(Error::Config(format!(
                "`{c}` is one of kagi's own commands; no plugin can take it"
            )));
        }
        match registry.find_command(c) {
            Some(other) if other.is_builtin() => {
                if !replace {
                    return Err(Error::Config(format!(
                        "`kagi {c}` is built in (plugin `{}`); pass --replace to let `{name}` replace it",
                        other.name()
                    )));
                }
                replaces.push(c.to_string());
            }
            Some(other) if other.name() != name => {
                return Err(Error::Config(format!(
                    "`kagi {c}` is already served by the installed plugin `{}`; remove it first",
                    other.name()
                )));
            }
            _ => {}
        }
    }

    let Some(granted) = review_and_grant(m, &entry, &replaces, Purpose::Install)? else {
        return Ok(exit::OK);
    };
    let path = PathBuf::from(m.get_one::<String>("path").expect("required"));
    let approval = Approval {
        source: std::fs::canonicalize(&path)
            .unwrap_or(path)
            .display()
            .to_string(),
        replaces,
        granted: granted.iter().map(|c| c.to_string()).collect(),
    };
    let dir = registry.install(&entry, approval)?;
    let commands: Vec<&str> = entry.manifest.command_names();
    eprintln!(
        "installed `{name}` into {}: commands {}; granted: {}",
        dir.display(),
        commands.join(", "),
        if granted.is_empty() {
            "nothing".to_string()
        } else {
            granted
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    Ok(exit::OK)
}

fn join(caps: &std::collections::BTreeSet<Capability>) -> String {
    caps.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn remove(registry: &Registry, name: &str) -> Result<i32> {
    if registry.broken.iter().any(|(n, _)| n == name) {
        registry.remove(name)?;
        eprintln!("removed `{name}`");
        return Ok(exit::OK);
    }
    let entry = installed(registry, name)?;
    registry.remove(entry.name())?;
    let commands: Vec<&str> = entry.manifest.command_names();
    eprintln!("removed `{name}` and its commands: {}", commands.join(", "));
    Ok(exit::OK)
}

fn change_grant(registry: &Registry, name: &str, cap: Capability, grant: bool) -> Result<i32> {
    let entry = installed(registry, name)?;
    let requested = capabilities::requested(&entry.manifest);
    if grant && !requested.contains(&cap) {
        return Err(Error::Usage(format!(
            "`{name}` does not ask for {cap}; it asks for: {}",
            join(&requested)
        )));
    }
    let mut record = entry
        .record()
        .expect("installed plugins have a record")
        .clone();
    let text = cap.to_string();
    record.granted.retain(|g| *g != text);
    if grant {
        record.granted.push(text);
        record.granted.sort();
    }
    registry.save_record(name, &record)?;
    eprintln!(
        "{} {cap} {} `{name}`",
        if grant { "granted" } else { "revoked" },
        if grant { "to" } else { "from" }
    );
    Ok(exit::OK)
}
