//! The clap commands a plugin manifest describes. Built-in and third-party
//! commands get the same help, usage errors and completions, and none of it
//! runs a plugin.

use crate::sanitize::{escape_for_display, escape_keeping_lines};
use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, Command};
use kagi_manifest::{ArgKind, ArgSpec, CommandSpec, ValueType};

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

/// Help text from a manifest: the manifest may not carry control characters,
/// and whatever slipped through would be shown escaped, not obeyed.
fn help_text(text: &str) -> String {
    escape_keeping_lines(text)
}

pub fn command_from_spec(spec: &CommandSpec) -> Command {
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
                    ValueType::File | ValueType::OutputFile => {
                        arg.value_hint(clap::ValueHint::FilePath)
                    }
                    ValueType::Url => arg
                        .value_hint(clap::ValueHint::Url)
                        .value_parser(parse_http_url),
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

/// A `url` argument: an absolute http or https URL with a host. A bad one is
/// a usage error naming the argument (clap adds which).
fn parse_http_url(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("only http and https URLs with a host are allowed".into());
    }
    Ok(raw.to_string())
}
