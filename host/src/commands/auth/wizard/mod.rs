//! `kagi auth` on a terminal: the guided setup. It shows what is configured,
//! asks for a Session Link or an API token, validates it with one search,
//! and saves it to the config file or the system keychain.

mod prompt;
#[cfg(test)]
mod tests;

use super::print_warnings;
use super::set::write_notes;
use super::status::slot_detail;
use super::validate::{Failure, validate};
use crate::auth::{Kind, Secret, Source};
use crate::config::{self, Change, ConfigFile, Resolved, Saved, Slot};
use crate::error::{Error, Result, exit};
use crate::io_runtime::IoRuntime;
use crate::keyring::{self, Keyring};
pub use prompt::Prompt;
use prompt::Terminal;
use std::io::IsTerminal;

/// What the setup works with; the pieces tests replace.
pub struct Setup<'a> {
    pub profile: Option<&'a str>,
    pub target: ConfigFile,
    pub resolved: Resolved,
    pub keyring: &'a dyn Fn() -> std::result::Result<Keyring, String>,
    pub validate: &'a dyn Fn(Kind, &Secret) -> std::result::Result<(), Failure>,
}

pub fn run(profile: Option<&str>) -> Result<i32> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::Config(
            "kagi auth is interactive and needs a terminal; in scripts use `kagi auth set --session-token '<Session Link>'` or `kagi auth set --api-token <token>`, then `kagi auth status` and `kagi auth check`".into(),
        ));
    }
    let resolved = config::resolve_for_setup(profile)?;
    print_warnings(&resolved);
    let io = IoRuntime::new()?;
    let setup = Setup {
        profile,
        target: config::write_target(false)?,
        resolved,
        keyring: &Keyring::open,
        validate: &|kind, secret| validate(&io, kind, secret),
    };
    run_setup(&mut Terminal::new(), &setup)
}

fn canceled(p: &mut dyn Prompt) -> Result<i32> {
    p.say("Canceled. Nothing more was changed.");
    Ok(exit::OK)
}

fn io_error(e: std::io::Error) -> Error {
    Error::Config(format!("the terminal prompt failed: {e}"))
}

/// Runs the guided setup. Returns the exit code.
pub fn run_setup(p: &mut dyn Prompt, s: &Setup) -> Result<i32> {
    let block = match s.profile {
        Some(name) => format!("[profiles.{name}.auth]"),
        None => "[auth]".to_string(),
    };
    let target = &s.target;
    p.say("kagi auth: connect kagi to your Kagi account.");
    p.say(&format!(
        "  session token: {}\n  API token:     {}\n  config file:   {}{}",
        slot_detail(&s.resolved.session),
        slot_detail(&s.resolved.api),
        target.display,
        if target.exists() {
            String::new()
        } else {
            " (will be created)".to_string()
        }
    ));
    p.say("Environment variables (KAGI_SESSION_TOKEN, KAGI_API_TOKEN) override the config file.");

    let items = vec![
        "Session Link: search, quick answers, assistant, translate, lenses (your Kagi subscription)".to_string(),
        "API token: FastGPT, enrich, the Summarizer API, API-first search (billed per request)".to_string(),
    ];
    let mut kind = match p
        .select("What do you want to set up?", &items, 0)
        .map_err(io_error)?
    {
        None => return canceled(p),
        Some(0) => Kind::Session,
        Some(_) => Kind::Api,
    };
    let mut configured: Vec<Kind> = [Kind::Session, Kind::Api]
        .into_iter()
        .filter(|k| !matches!(s.resolved.slot(*k), Slot::NotSet))
        .collect();
    let mut preferred = s.resolved.preferred;

    loop {
        match kind {
            Kind::Session => p.say(&format!(
                "Open {} while signed in and copy your Session Link. It signs in as you: keep it private.",
                Kind::Session.settings_url()
            )),
            Kind::Api => p.say(&format!(
                "Open {} and generate an API token (API use is billed to your account).",
                Kind::Api.settings_url()
            )),
        }
        let prompt = match kind {
            Kind::Session => "Paste your Session Link (or the bare token); input is hidden",
            Kind::Api => "Paste your API token; input is hidden",
        };
        let validate_input = move |input: &str| kind.parse_input(input).map(|_| ());
        let Some(raw) = p.secret(prompt, &validate_input).map_err(io_error)? else {
            return canceled(p);
        };
        let secret = kind.parse_input(&raw).map_err(Error::Config)?;

        let storage = vec![
            format!("{} {block} (a file only you can read)", target.display),
            format!(
                "the system keychain ({} {block} only notes that it is there)",
                target.display
            ),
        ];
        let in_keyring = match p
            .select(
                &format!("Where should kagi keep the {}?", kind.noun()),
                &storage,
                0,
            )
            .map_err(io_error)?
        {
            None => return canceled(p),
            Some(i) => i == 1,
        };

        let saved = config::saved(target, s.profile, kind)?;
        let mut save = true;
        if saved != Saved::Nothing {
            match p
                .confirm(
                    &format!(
                        "Replace the {} already saved for {} {block}?",
                        kind.noun(),
                        target.display
                    ),
                    false,
                )
                .map_err(io_error)?
            {
                None => return canceled(p),
                Some(false) => {
                    p.say(&format!("Kept the saved {}.", kind.noun()));
                    save = false;
                }
                Some(true) => {}
            }
        }

        if save {
            p.say(&format!("Checking the {} with Kagi…", kind.noun()));
            match (s.validate)(kind, &secret) {
                Ok(()) => p.say(&format!("Kagi accepted the {}.", kind.noun())),
                Err(failure) => {
                    let default = failure.token_may_be_fine();
                    let source = Source::File {
                        file: target.display.clone(),
                        block: block.clone(),
                        profile: s.profile.map(str::to_string),
                    };
                    p.say(&format!(
                        "Could not validate it: {}",
                        failure.into_error(kind, &source)
                    ));
                    match p.confirm("Save it anyway?", default).map_err(io_error)? {
                        None => return canceled(p),
                        Some(yes) => save = yes,
                    }
                    if !save {
                        p.say(&format!("The {} was not saved.", kind.noun()));
                    }
                }
            }
        }

        if save {
            let change = if in_keyring {
                let keyring = (s.keyring)().map_err(Error::Config)?;
                keyring
                    .set(&keyring::account(kind, s.profile), &secret)
                    .map_err(|why| {
                        Error::Config(format!(
                            "cannot store the {} in {}: {why}; run `kagi auth` again and keep it in {} instead",
                            kind.noun(),
                            keyring.describe(),
                            target.display
                        ))
                    })?;
                Change::InKeyring(kind)
            } else {
                Change::Token(kind, secret.clone())
            };
            let written = config::write(target, s.profile, &[change])?;
            if saved == Saved::InKeyring
                && !in_keyring
                && let Ok(keyring) = (s.keyring)()
            {
                let _ = keyring.delete(&keyring::account(kind, s.profile));
            }
            if in_keyring {
                p.say(&format!(
                    "Saved the {} in the system keychain (noted in {} {}).",
                    kind.noun(),
                    written.file.display,
                    written.block
                ));
            } else {
                p.say(&format!(
                    "Saved the {} to {} {} (mode 600).",
                    kind.noun(),
                    written.file.display,
                    written.block
                ));
            }
            for note in write_notes(&written, &[kind]) {
                p.say(&format!("Note: {note}."));
            }
            if !configured.contains(&kind) {
                configured.push(kind);
            }
            if kind == Kind::Api && configured.contains(&Kind::Session) && preferred != Kind::Api {
                match p
                    .confirm(
                        "Search with the API token first? (preferred_auth = \"api\"; the session token is used when the API rejects a search)",
                        false,
                    )
                    .map_err(io_error)?
                {
                    None => return canceled(p),
                    Some(true) => {
                        config::write(target, s.profile, &[Change::Preferred(Kind::Api)])?;
                        preferred = Kind::Api;
                        p.say("Base search now tries the API token first.");
                    }
                    Some(false) => {}
                }
            }
        }

        let other = kind.other();
        if configured.contains(&other) {
            break;
        }
        match p
            .confirm(&format!("Also set up the {}?", other.noun()), false)
            .map_err(io_error)?
        {
            Some(true) => kind = other,
            Some(false) => break,
            None => return canceled(p),
        }
    }
    p.say("Done. `kagi auth status` shows what is configured; `kagi auth check` tests it.");
    Ok(exit::OK)
}
