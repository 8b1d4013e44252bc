//! `kagi plugin list` and `kagi plugin info`.

use super::{grants_for, print};
use crate::capabilities::{Policy, Withheld};
use crate::error::{Result, exit};
use crate::registry::{PluginEntry, Registry, Source};
// Everything printed from a manifest goes through this: never a raw control character.
use crate::sanitize::escape_for_display as shown;

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
