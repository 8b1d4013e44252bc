//! `kagi auth set`: saves tokens (or the preference) to the config file or
//! the system keychain, without the network, then prints the status block.

use super::status::status_text;
use crate::auth::{Kind, Secret};
use crate::config::{self, Change, ConfigFile, Saved};
use crate::error::{Error, Result, exit};
use crate::keyring::{self, Keyring};
use clap::ArgMatches;
use std::io::BufRead;

fn read_value(flag: &str, value: &str, stdin_used: &mut bool) -> Result<String> {
    if value != "-" {
        return Ok(value.to_string());
    }
    if *stdin_used {
        return Err(Error::Usage(
            "only one of --session-token and --api-token can read from stdin (`-`)".into(),
        ));
    }
    *stdin_used = true;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::Config(format!("cannot read {flag} from stdin: {e}")))?;
    Ok(line)
}

pub fn run(m: &ArgMatches, profile: Option<&str>) -> Result<i32> {
    let mut stdin_used = false;
    let mut tokens: Vec<(Kind, Secret)> = Vec::new();
    for kind in [Kind::Session, Kind::Api] {
        let flag = kind.set_flag();
        if let Some(raw) = m.get_one::<String>(&flag[2..]) {
            let raw = read_value(flag, raw, &mut stdin_used)?;
            let secret = kind
                .parse_input(&raw)
                .map_err(|why| Error::Config(format!("{flag}: {why}")))?;
            tokens.push((kind, secret));
        }
    }
    let preferred = m
        .get_one::<String>("preferred-auth")
        .map(|p| if p == "api" { Kind::Api } else { Kind::Session });
    let use_keyring = m.get_flag("keyring");
    if use_keyring && tokens.is_empty() {
        return Err(Error::Usage(
            "--keyring needs --session-token or --api-token".into(),
        ));
    }
    let target = config::write_target(m.get_flag("global"))?;
    // Refuse a broken file before touching the keychain.
    let before: Vec<(Kind, Saved)> = [Kind::Session, Kind::Api]
        .into_iter()
        .map(|k| config::saved(&target, profile, k).map(|s| (k, s)))
        .collect::<Result<_>>()
        .map_err(|e| match e {
            Error::Config(m) => Error::Config(format!("{m}; kagi will not overwrite it")),
            other => other,
        })?;

    let keyring = if use_keyring || before.iter().any(|(_, s)| *s == Saved::InKeyring) {
        Some(Keyring::open().map_err(Error::Config)?)
    } else {
        None
    };
    let mut changes = Vec::new();
    for (kind, secret) in &tokens {
        if use_keyring {
            let keyring = keyring.as_ref().expect("opened above");
            keyring
                .set(&keyring::account(*kind, profile), secret)
                .map_err(|why| {
                    Error::Config(format!(
                        "cannot store the {} in {}: {why}; nothing was changed. Save it in {} instead (without --keyring), or set {}",
                        kind.noun(),
                        keyring.describe(),
                        target.display,
                        kind.env_var()
                    ))
                })?;
            changes.push(Change::InKeyring(*kind));
        } else {
            changes.push(Change::Token(*kind, secret.clone()));
        }
    }
    if let Some(p) = preferred {
        changes.push(Change::Preferred(p));
    }
    let written = config::write(&target, profile, &changes)?;

    // A token now in the file no longer needs its keychain entry.
    if !use_keyring {
        for (kind, _) in &tokens {
            let was = before.iter().find(|(k, _)| k == kind).map(|(_, s)| *s);
            if was == Some(Saved::InKeyring)
                && let Some(keyring) = &keyring
                && let Err(why) = keyring.delete(&keyring::account(*kind, profile))
            {
                eprintln!(
                    "warning: the old {} is still in {}: {why}",
                    kind.noun(),
                    keyring.describe()
                );
            }
        }
    }

    let what: Vec<&str> = tokens.iter().map(|(k, _)| k.noun()).collect();
    let mut saved = what.join(" and ");
    if let Some(p) = preferred {
        if !saved.is_empty() {
            saved.push_str(" and ");
        }
        saved.push_str(&format!("preferred_auth = \"{}\"", p.preference_name()));
    }
    if use_keyring {
        println!(
            "saved {} to {} (noted in {} {})",
            what.join(" and "),
            keyring
                .as_ref()
                .map(Keyring::describe)
                .unwrap_or("the keychain"),
            written.file.display,
            written.block
        );
        if let Some(p) = preferred {
            println!(
                "saved preferred_auth = \"{}\" to {} {}",
                p.preference_name(),
                written.file.display,
                written.block
            );
        }
    } else {
        println!(
            "saved {saved} to {} {}",
            written.file.display, written.block
        );
    }
    after_write_notes(
        &written,
        &tokens.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
    );
    let resolved = config::resolve(profile)?;
    print!("{}", status_text(&resolved));
    Ok(exit::OK)
}

/// Things to tell the user after writing: an open mode that was fixed, an
/// environment variable that will hide the saved value, a shadowing file.
fn after_write_notes(written: &config::Written, kinds: &[Kind]) {
    for line in write_notes(written, kinds) {
        eprintln!("note: {line}");
    }
}

pub fn write_notes(written: &config::Written, kinds: &[Kind]) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(mode) = written.was_open_mode {
        notes.push(format!(
            "{} was readable by other users (mode {mode:03o}); it is now 600 (only you)",
            written.file.display
        ));
    }
    for kind in kinds {
        if std::env::var(kind.env_var()).is_ok_and(|v| !v.trim().is_empty()) {
            notes.push(format!(
                "{} is set in the environment and overrides the saved {} until you unset it",
                kind.env_var(),
                kind.noun()
            ));
        }
    }
    if !written.file.local && ConfigFile::local().exists() {
        notes.push(format!(
            "./.kagi.toml in this directory is used instead of {} here",
            written.file.display
        ));
    }
    notes
}
