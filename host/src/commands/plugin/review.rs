//! What a plugin file asks for, and deciding what it gets: the review shown
//! before `kagi plugin install` and `kagi plugin test`, the `--grant` flags
//! and the question on a terminal.

use super::join;
use crate::capabilities::{self, Capability, Policy};
use crate::error::{Error, Result};
use crate::registry::PluginEntry;
// Everything printed from a manifest goes through this: never a raw control character.
use crate::sanitize::escape_for_display as shown;
use clap::ArgMatches;
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Refuses when the administrator's policy forbids third-party plugins.
pub(super) fn third_party_allowed(policy: &Policy) -> Result<()> {
    if policy.allow_third_party == Some(false) {
        return Err(Error::Config(
            "the administrator's policy does not allow third-party plugins".into(),
        ));
    }
    Ok(())
}

/// Reads the plugin file named on the command line, once, and checks what can
/// be checked without running it: its API version and its imports.
pub(super) fn read_plugin_file(m: &ArgMatches) -> Result<PluginEntry> {
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
pub(super) enum Purpose {
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
pub(super) fn review_and_grant(
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
            shown(&cap.describe_in(&entry.manifest))
        ));
    }
    for c in replaces {
        review.push_str(&format!("  replace the built-in `kagi {}`\n", shown(c)));
    }
    review
}
