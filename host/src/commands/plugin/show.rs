//! `kagi plugin list` and `kagi plugin info`.

use super::{grants_for, print};
use crate::capabilities::{Grants, Policy, Withheld};
use crate::error::{Result, exit};
use crate::registry::{PluginEntry, Registry, Source};
use kagi_manifest::CommandSpec;
// Everything printed from a manifest goes through this: never a raw control character.
use crate::sanitize::escape_for_display as shown;

fn capability_lines(entry: &PluginEntry, policy: &Policy) -> Vec<String> {
    granted_lines(&grants_for(entry, policy))
}

/// Each declared capability, and whether it is in force.
fn granted_lines(grants: &Grants) -> Vec<String> {
    let mut lines: Vec<String> = grants
        .allowed
        .iter()
        .map(|c| format!("{} (granted)", shown(&c.to_string())))
        .collect();
    lines.extend(grants.withheld.iter().filter_map(|(c, why)| {
        let why = match why {
            Withheld::NotGranted => "not granted",
            Withheld::Policy => "forbidden by policy",
            // Not the command's: nothing to grant.
            Withheld::NotDeclaredByCommand(_) => return None,
        };
        Some(format!("{} ({why})", shown(&c.to_string())))
    }));
    lines
}

/// Every command a user can run (not the groups that need a subcommand),
/// with its path, depth first.
fn runnable<'a>(
    prefix: &[String],
    commands: &'a [CommandSpec],
    out: &mut Vec<(Vec<String>, &'a CommandSpec)>,
) {
    for command in commands {
        let mut path = prefix.to_vec();
        path.push(command.name.clone());
        if !command.subcommand_required || command.subcommands.is_empty() {
            out.push((path.clone(), command));
        }
        runnable(&path, &command.subcommands, out);
    }
}

/// What each command may do and how a tool client should treat it.
fn command_sections(entry: &PluginEntry, grants: &Grants) -> String {
    let mut commands = Vec::new();
    runnable(&[], &entry.manifest.commands, &mut commands);
    let mut text = String::new();
    for (path, command) in commands {
        let grants = grants.for_command(&entry.manifest, &path);
        let caps = granted_lines(&grants)
            .into_iter()
            .filter(|line| !line.starts_with("limits "))
            .collect::<Vec<_>>();
        let flags: Vec<&str> = [
            (command.reads_stdin, "reads-stdin"),
            (command.interactive, "interactive"),
            (command.long_running, "long-running"),
            (command.destructive, "destructive"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect();
        text.push_str(&format!(
            "command `{}`:\n  capabilities: {}\n  limits: {}\n  flags: {}\n  tool: {}\n",
            shown(&path.join(" ")),
            if caps.is_empty() {
                "none".to_string()
            } else {
                caps.join(", ")
            },
            grants.limits,
            if flags.is_empty() {
                "none".to_string()
            } else {
                flags.join(", ")
            },
            if command.is_tool() { "yes" } else { "no" }
        ));
    }
    text
}

pub(super) fn list(registry: &Registry, policy: &Policy) -> Result<i32> {
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

pub(super) fn info(entry: &PluginEntry, policy: &Policy) -> Result<i32> {
    let m = &entry.manifest;
    let grants = grants_for(entry, policy);
    let mut text = format!(
        "name: {}\nversion: {}\nplugin API: {}\nsource: {}\nsha256: {}\n",
        shown(&m.name),
        shown(m.display_version()),
        shown(&m.api),
        match &entry.source {
            Source::Builtin(_) => "built into kagi".to_string(),
            Source::File { path, .. } => path.display().to_string(),
            Source::Installed { dir, record } =>
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
    // The pages it would use with your session, in its own words.
    if let Some(settings) = &m.capabilities.account_settings {
        text.push_str(&format!(
            "  account-settings: {}\n",
            shown(&settings.describe())
        ));
    }
    text.push_str(&format!(
        "limits: {} (the most any command gets; each command's are below)\n",
        grants.limits
    ));
    if !m.settings.is_empty() {
        text.push_str("settings:\n");
        for s in &m.settings {
            let env = s
                .env
                .as_deref()
                .map(|v| format!(", {v}"))
                .unwrap_or_default();
            text.push_str(&format!(
                "  {} ({}{}){}\n",
                shown(&s.name),
                s.value_type.as_str(),
                shown(&env),
                if s.help.is_empty() {
                    String::new()
                } else {
                    format!(": {}", shown(&s.help))
                }
            ));
        }
    }
    text.push_str(&command_sections(entry, &grants));
    print(&text);
    Ok(exit::OK)
}
