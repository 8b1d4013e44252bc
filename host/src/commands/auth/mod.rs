//! `kagi auth`: the guided setup (on a terminal), `auth set` for scripts,
//! `auth status` (what is configured, in the reference CLI's seven lines) and
//! `auth check` (validates the primary credential with one search, never
//! falls back).

mod check;
mod set;
mod status;
mod validate;
mod wizard;

use crate::config::{self, Resolved};
use crate::error::Result;
use crate::io_runtime::IoRuntime;
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};

pub fn command() -> Command {
    Command::new("auth")
        .about("Set up and check your Kagi credentials")
        .long_about(
            "Set up and check your Kagi credentials.\n\n\
             Without a subcommand, on a terminal, `kagi auth` walks you through adding a \
             Session Link or an API token. In scripts use `kagi auth set`.",
        )
        .subcommand(Command::new("status").about(
            "Show which credentials are configured and where each comes from (no network; \
             --verbose names the file, block and keychain)",
        ))
        .subcommand(Command::new("check").about(
            "Test the credential base search uses first, with one search; never falls back",
        ))
        .subcommand(
            Command::new("set")
                .about("Save credentials to the config file or the system keychain (no network)")
                .arg(
                    Arg::new("session-token")
                        .long("session-token")
                        .value_name("LINK_OR_TOKEN")
                        .help("Your Session Link (or the bare token); `-` reads it from stdin"),
                )
                .arg(
                    Arg::new("api-token")
                        .long("api-token")
                        .value_name("TOKEN")
                        .help("Your Kagi API token; `-` reads it from stdin"),
                )
                .arg(
                    Arg::new("preferred-auth")
                        .long("preferred-auth")
                        .value_name("KIND")
                        .value_parser(["session", "api"])
                        .help("Which credential base search tries first"),
                )
                .arg(
                    Arg::new("keyring")
                        .long("keyring")
                        .action(ArgAction::SetTrue)
                        .help("Store the tokens in the system keychain; the config file only notes that they are there"),
                )
                .arg(
                    Arg::new("global")
                        .long("global")
                        .action(ArgAction::SetTrue)
                        .help("Write the user config file instead of ./.kagi.toml"),
                )
                .group(
                    ArgGroup::new("what")
                        .args(["session-token", "api-token", "preferred-auth"])
                        .multiple(true)
                        .required(true),
                ),
        )
}

/// Runs `kagi auth ...`. Only the commands that talk to Kagi start the I/O runtime.
pub fn run(matches: &ArgMatches, profile: Option<&str>) -> Result<i32> {
    let profile = config::normalize_profile(profile)?;
    let profile = profile.as_deref();
    match matches.subcommand() {
        Some(("status", _)) => status::run(profile),
        Some(("check", _)) => check::run(profile, &IoRuntime::new()?),
        Some(("set", m)) => set::run(m, profile),
        _ => wizard::run(profile),
    }
}

fn print_warnings(resolved: &Resolved) {
    for w in &resolved.warnings {
        eprintln!("warning: {w}");
    }
}
