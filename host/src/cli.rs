//! The command line: the host's commands (`auth`, `plugin`) first, then every
//! plugin command, built from the plugins' manifests.

use crate::manifest_cli::command_from_spec;
use crate::registry::Registry;
use clap::{Arg, ArgAction, Command};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The whole command tree.
pub fn build(registry: &Registry) -> Command {
    let mut root = Command::new("kagi")
        .version(VERSION)
        .about("Kagi search, answers, assistant and more, from the terminal")
        .after_help(
            "Credentials: KAGI_SESSION_TOKEN (subscriber features) and KAGI_API_TOKEN (paid API), \
             from the environment, ./.kagi.toml or the user config file. Run `kagi auth` to set them up.",
        )
        .arg_required_else_help(true)
        .disable_help_subcommand(true)
        .propagate_version(true)
        .arg(
            Arg::new("profile")
                .long("profile")
                .global(true)
                .value_name("NAME")
                .help("Use [profiles.NAME.auth] in the config file (falling back to [auth] key by key)"),
        )
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Log what kagi does to stderr: config file, requests and which kind of credential is attached (never its value)"),
        )
        .arg(
            Arg::new("generate-completion")
                .long("generate-completion")
                .value_name("SHELL")
                .value_parser(["bash", "zsh", "fish", "powershell"])
                .help("Print a shell completion script covering every command"),
        );
    // Host commands come first: a plugin cannot take their names.
    root = root.subcommands(host_commands());
    for plugin in &registry.plugins {
        for command in &plugin.manifest.commands {
            if root.find_subcommand(&command.name).is_some() {
                continue;
            }
            // The spec of whichever plugin will actually serve the command.
            let serving = registry.find_command(&command.name).unwrap_or(plugin);
            if let Some(spec) = serving
                .manifest
                .commands
                .iter()
                .find(|c| c.name == command.name)
            {
                root = root.subcommand(command_from_spec(spec));
            }
        }
    }
    root
}

/// The host's own commands.
fn host_commands() -> Vec<Command> {
    vec![
        crate::commands::auth::command(),
        crate::commands::plugin::command(),
        crate::commands::notify::command(),
        crate::commands::mcp::command(),
    ]
}

/// Whether `name` is one of the host's own commands, which no plugin serves.
pub fn is_host_command(name: &str) -> bool {
    host_commands().iter().any(|c| c.get_name() == name)
}

/// Writes a completion script for `shell` covering every command.
pub fn completion(registry: &Registry, shell: &str, out: &mut dyn std::io::Write) {
    use clap_complete::Shell;
    let shell = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        _ => Shell::PowerShell,
    };
    let mut cmd = build(registry);
    clap_complete::generate(shell, &mut cmd, "kagi", out);
}
