//! `kagi plugin`: list, inspect, install, remove, grant, revoke, and run a
//! plugin under development.

mod manage;
mod review;
mod show;
mod test_run;

use crate::capabilities::{Capability, Grants, Policy};
use crate::error::{Error, Result};
use crate::registry::{InstallRecord, PluginEntry, Registry};
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

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
        "list" => show::list(registry, policy),
        "info" => show::info(find(registry, name())?, policy),
        "install" => manage::install(m, registry, policy),
        "remove" => manage::remove(registry, name()),
        "grant" | "revoke" => {
            let cap = Capability::parse(m.get_one::<String>("capability").expect("required"))
                .map_err(Error::Usage)?;
            manage::change_grant(registry, name(), cap, sub == "grant")
        }
        "test" => test_run::test(m, policy, runner),
        _ => unreachable!("clap knows the subcommands"),
    }
}

/// The grants an entry runs with.
pub fn grants_for(entry: &PluginEntry, policy: &Policy) -> Grants {
    let approved = entry.record().map(InstallRecord::granted);
    Grants::new(&entry.manifest, approved.as_ref(), policy)
}

pub(super) fn find<'a>(registry: &'a Registry, name: &str) -> Result<&'a PluginEntry> {
    registry
        .find(name)
        .ok_or_else(|| Error::Config(format!("no plugin named `{name}`; see `kagi plugin list`")))
}

pub(super) fn installed<'a>(registry: &'a Registry, name: &str) -> Result<&'a PluginEntry> {
    let entry = find(registry, name)?;
    if entry.is_builtin() {
        return Err(Error::Config(format!(
            "`{name}` is built in: it gets what its manifest declares, and only an administrator's policy can narrow that"
        )));
    }
    Ok(entry)
}

pub(super) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
}

pub(super) fn join(caps: &BTreeSet<Capability>) -> String {
    caps.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
