//! `kagi plugin install`, `remove`, `grant` and `revoke`.

use super::review::{Purpose, read_plugin_file, review_and_grant, third_party_allowed};
use super::{installed, join};
use crate::capabilities::{self, Capability, Policy};
use crate::error::{Error, Result, exit};
use crate::registry::{Approval, PluginEntry, Registry};
use clap::ArgMatches;
use std::path::PathBuf;

pub(super) fn install(m: &ArgMatches, registry: &Registry, policy: &Policy) -> Result<i32> {
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
    // Compiled now, into the compiled-code cache, so its first run does not
    // wait for the compiler; a component wasmtime rejects is not installed.
    crate::runtime::Runtime::new(&crate::paths::cache_dir()?)?.load(&entry)?;
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

pub(super) fn remove(registry: &Registry, name: &str) -> Result<i32> {
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

pub(super) fn change_grant(
    registry: &Registry,
    name: &str,
    cap: Capability,
    grant: bool,
) -> Result<i32> {
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
