//! The command line: the clap tree is built from the plugins' manifests, so
//! help, usage errors and completions look the same for built-in and
//! third-party commands, and none of them runs a plugin.

use crate::registry::Registry;
use crate::sanitize::{escape_for_display, escape_keeping_lines};
use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use kagi_manifest::{ArgKind, ArgSpec, CommandSpec, ValueType};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A tree with only `entry`'s commands, to parse `kagi plugin test` arguments.
pub fn build_for_plugin(manifest: &kagi_manifest::Manifest) -> Command {
    let mut root = Command::new("kagi")
        .no_binary_name(false)
        .disable_help_subcommand(true)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for command in &manifest.commands {
        root = root.subcommand(command_from_spec(command));
    }
    root
}

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
    root = root
        .subcommand(crate::auth_cmd::command())
        .subcommand(crate::plugin_cmd::command());
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

/// Help text from a manifest: the manifest may not carry control characters,
/// and whatever slipped through would be shown escaped, not obeyed.
fn help_text(text: &str) -> String {
    escape_keeping_lines(text)
}

fn command_from_spec(spec: &CommandSpec) -> Command {
    let mut cmd = Command::new(spec.name.clone()).about(help_text(&spec.about));
    if let Some(long) = &spec.long_about {
        cmd = cmd.long_about(help_text(long));
    }
    if let Some(after) = &spec.after_help {
        cmd = cmd.after_help(help_text(after));
    }
    if spec.subcommand_required {
        cmd = cmd.subcommand_required(true);
    }
    if spec.args_conflict_with_subcommands {
        cmd = cmd.args_conflicts_with_subcommands(true);
    }
    if spec.arg_required_else_help {
        cmd = cmd.arg_required_else_help(true);
    }
    for arg in &spec.args {
        cmd = cmd.arg(arg_from_spec(arg));
    }
    for sub in &spec.subcommands {
        cmd = cmd.subcommand(command_from_spec(sub));
    }
    cmd
}

fn arg_from_spec(spec: &ArgSpec) -> Arg {
    let mut arg = Arg::new(spec.name.clone())
        .help(help_text(&spec.help))
        .hide(spec.hide);
    if let Some(long_help) = &spec.long_help {
        arg = arg.long_help(help_text(long_help));
    }
    if let Some(long) = spec.long_name() {
        arg = arg.long(long.to_string());
    }
    if let Some(short) = spec.short {
        arg = arg.short(short);
    }
    arg = match spec.kind {
        ArgKind::Flag => arg.action(ArgAction::SetTrue),
        ArgKind::Option | ArgKind::Positional => {
            let action = if spec.multiple && spec.kind == ArgKind::Option {
                ArgAction::Append
            } else {
                ArgAction::Set
            };
            let mut arg = arg.action(action).required(spec.required);
            if spec.kind == ArgKind::Positional && spec.multiple {
                arg = arg.num_args(1..);
            }
            if let Some(name) = &spec.value_name {
                arg = arg.value_name(escape_for_display(name));
            }
            if let Some(default) = &spec.default {
                arg = arg.default_value(default.clone());
            }
            if !spec.possible_values.is_empty() {
                arg = arg.value_parser(PossibleValuesParser::new(spec.possible_values.clone()));
            } else {
                arg = match spec.value_type {
                    ValueType::String => arg,
                    ValueType::Int => arg.value_parser(clap::value_parser!(u64)),
                    ValueType::Bool => {
                        arg.value_parser(PossibleValuesParser::new(["true", "false"]))
                    }
                };
            }
            arg
        }
    };
    if !spec.conflicts_with.is_empty() {
        arg = arg.conflicts_with_all(spec.conflicts_with.clone());
    }
    if !spec.requires.is_empty() {
        for other in &spec.requires {
            arg = arg.requires(other.clone());
        }
    }
    arg
}

/// A parsed plugin command: its path and its arguments by manifest name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub path: Vec<String>,
    pub args: Vec<(String, Vec<String>)>,
}

/// Walks the matched subcommands of a plugin command and collects the
/// arguments the manifest declares at every level.
pub fn collect(top: &CommandSpec, matches: &ArgMatches) -> Parsed {
    let mut path = vec![top.name.clone()];
    let mut args = Vec::new();
    let mut spec = top;
    let mut current = matches;
    loop {
        for arg in &spec.args {
            match arg.kind {
                ArgKind::Flag => {
                    if current.get_flag(&arg.name) {
                        args.push((arg.name.clone(), Vec::new()));
                    }
                }
                _ => {
                    if let Some(raw) = current.get_raw(&arg.name) {
                        let values: Vec<String> =
                            raw.map(|v| v.to_string_lossy().into_owned()).collect();
                        args.push((arg.name.clone(), values));
                    }
                }
            }
        }
        match current.subcommand() {
            Some((name, sub_matches)) => match spec.subcommands.iter().find(|s| s.name == name) {
                Some(sub) => {
                    path.push(name.to_string());
                    spec = sub;
                    current = sub_matches;
                }
                None => break,
            },
            None => break,
        }
    }
    Parsed { path, args }
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
