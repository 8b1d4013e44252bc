//! `kagi plugin`: list, inspect, install, remove, grant, revoke, and run a
//! plugin under development.

use crate::capabilities::{self, Capability, Grants, Policy, Withheld};
use crate::cli;
use crate::error::{Error, Result, exit};
use crate::registry::{InstallRecord, PluginEntry, Registry, sha256_hex};
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

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
            .help("service:kagi|news|translate, host:NAME, credential:session|api, storage, stdin or limits")
    };
    Command::new("plugin")
        .about("Manage and develop plugins")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(Command::new("list").about("List built-in and installed plugins and what they may do"))
        .subcommand(Command::new("info").about("Show a plugin's manifest, capabilities and grants").arg(name()))
        .subcommand(
            Command::new("install")
                .about("Install a plugin from a .wasm file, after reviewing what it asks for")
                .arg(Arg::new("path").required(true).value_name("PLUGIN.wasm"))
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
                        .conflicts_with("grant")
                        .help("Grant everything it asks for"),
                )
                .arg(
                    Arg::new("replace")
                        .long("replace")
                        .action(ArgAction::SetTrue)
                        .help("Let it replace built-in commands of the same name"),
                )
                .arg(
                    Arg::new("yes")
                        .long("yes")
                        .short('y')
                        .action(ArgAction::SetTrue)
                        .help("Do not ask; grant only what --grant/--grant-all say"),
                ),
        )
        .subcommand(Command::new("remove").about("Remove an installed plugin and its commands").arg(name()))
        .subcommand(Command::new("grant").about("Grant an installed plugin a capability it asks for").arg(name()).arg(capability()))
        .subcommand(Command::new("revoke").about("Take a capability back from an installed plugin").arg(name()).arg(capability()))
        .subcommand(
            Command::new("test")
                .about("Run a plugin file exactly as an installed plugin runs, for development")
                .long_about(
                    "Run a plugin file exactly as an installed plugin runs, for development. The file gets the \
                     capabilities its manifest declares (narrowed by any policy) for this run only; nothing is recorded.",
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
        )
}

/// What `run` needs from main: running a plugin command.
pub trait Runner {
    fn run_plugin(
        &self,
        entry: &PluginEntry,
        grants: Grants,
        name: &str,
        matches: &ArgMatches,
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
        "test" => {
            let path = PathBuf::from(m.get_one::<String>("path").expect("required"));
            let entry = PluginEntry::from_file(&path)?;
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
            let grants = Grants::new(&entry.manifest, None, policy);
            runner.run_plugin(&entry, grants, command, sub)
        }
        _ => unreachable!("clap knows the subcommands"),
    }
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
        .map(|c| format!("{c} (granted)"))
        .collect();
    lines.extend(grants.withheld.iter().map(|(c, why)| {
        let why = match why {
            Withheld::NotGranted => "not granted",
            Withheld::Policy => "forbidden by policy",
        };
        format!("{c} ({why})")
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
            entry.name(),
            entry.manifest.display_version(),
            entry.manifest.api,
            commands.join(", ")
        ));
        if !replaces.is_empty() {
            text.push_str(&format!("  replaces built-in: {}\n", replaces.join(", ")));
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
        text.push_str(&format!(
            "{name} (installed, unusable: {reason}; remove it with `kagi plugin remove {name}`)\n"
        ));
    }
    let summary = policy.summary();
    if !summary.is_empty() {
        let source = policy
            .source
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
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
        m.name,
        m.display_version(),
        m.api,
        match &entry.source {
            crate::registry::Source::Builtin(_) => "built into kagi".to_string(),
            crate::registry::Source::File(p) => p.display().to_string(),
            crate::registry::Source::Installed { dir, record } =>
                format!("{} (installed from {})", dir.display(), record.source),
        },
        entry.sha256
    );
    if !m.description.is_empty() {
        text.push_str(&format!("description: {}\n", m.description));
    }
    let commands = m.command_names();
    text.push_str(&format!(
        "commands: {}\ncapabilities:\n",
        commands.join(", ")
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
    if policy.allow_third_party == Some(false) {
        return Err(Error::Config(
            "the administrator's policy does not allow third-party plugins".into(),
        ));
    }
    let path = PathBuf::from(m.get_one::<String>("path").expect("required"));
    let entry = PluginEntry::from_file(&path)?;
    let name = entry.name().to_string();
    capabilities::check_api(&entry.manifest)?;
    let bytes = std::fs::read(&path)
        .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
    let imports =
        crate::wasm_manifest::component_imports(&bytes).map_err(|e| Error::PluginDenied {
            plugin: name.clone(),
            reason: e,
        })?;
    capabilities::check_imports(&name, imports.iter().map(String::as_str))?;
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

    let requested = capabilities::requested(&entry.manifest);
    let mut review = format!(
        "plugin `{name}` {} asks to:\n",
        entry.manifest.display_version()
    );
    if requested.is_empty() {
        review.push_str("  (nothing: it can only compute and print)\n");
    }
    for cap in &requested {
        review.push_str(&format!("  {cap}: {}\n", cap.describe()));
    }
    for c in &replaces {
        review.push_str(&format!("  replace the built-in `kagi {c}`\n"));
    }
    eprint!("{review}");

    let granted: Vec<Capability> = if m.get_flag("grant-all") {
        requested.iter().cloned().collect()
    } else if let Some(list) = m.get_many::<String>("grant") {
        let mut granted = Vec::new();
        for text in list {
            let cap = Capability::parse(text).map_err(Error::Usage)?;
            if !requested.contains(&cap) {
                return Err(Error::Usage(format!(
                    "`{name}` does not ask for {cap}; it asks for: {}",
                    join(&requested)
                )));
            }
            granted.push(cap);
        }
        granted
    } else if !m.get_flag("yes")
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
    {
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(format!("Install `{name}` and grant all of the above?"))
            .default(false)
            .interact()
            .map_err(|e| Error::Config(format!("could not ask for confirmation: {e}")))?;
        if !confirmed {
            eprintln!("Not installed. Nothing was changed.");
            return Ok(exit::OK);
        }
        requested.iter().cloned().collect()
    } else if requested.is_empty() || m.get_flag("yes") {
        Vec::new()
    } else {
        return Err(Error::Config(format!(
            "installing off a terminal needs explicit grants: pass --grant-all, or --grant CAPABILITY for each of: {}",
            join(&requested)
        )));
    };

    let record = InstallRecord {
        sha256: sha256_hex(&bytes),
        source: std::fs::canonicalize(&path)
            .unwrap_or(path.clone())
            .display()
            .to_string(),
        replaces,
        granted: granted.iter().map(|c| c.to_string()).collect(),
    };
    let dir = registry.install(&entry, &bytes, &record)?;
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
