//! `kagi auth status`: the reference CLI's seven lines on stdout, exactly, so
//! scripts that read them keep working. Which file, block, profile or keychain
//! each value comes from goes to the `--verbose` log.

use super::print_warnings;
use crate::auth::{Kind, Source};
use crate::config::{self, ConfigFile, Resolved, Slot};
use crate::error::{Result, exit};
use crate::log;

pub fn run(profile: Option<&str>) -> Result<i32> {
    let resolved = config::resolve(profile)?;
    print_warnings(&resolved);
    warn_unreadable(&resolved);
    log_details(&resolved);
    print!("{}", status_text(&resolved));
    Ok(exit::OK)
}

/// The kind base search uses first: the preferred one if configured, else the other.
pub fn selected(r: &Resolved) -> Option<(Kind, &Source)> {
    [r.preferred, r.preferred.other()]
        .into_iter()
        .find_map(|k| match r.slot(k) {
            Slot::Set(_, source) | Slot::Broken(source, _) => Some((k, source)),
            Slot::NotSet => None,
        })
}

/// The seven lines of the reference CLI (cli-surface §4.2). Its precedence
/// line is true here: a profile's block falls back to `[auth]` key by key.
pub fn status_text(r: &Resolved) -> String {
    let selected = match selected(r) {
        Some((kind, source)) => format!("{} ({})", kind.label(), source.origin()),
        None => "none".to_string(),
    };
    let slot = |slot: &Slot| match slot {
        Slot::NotSet => "not configured".to_string(),
        Slot::Set(_, source) | Slot::Broken(source, _) => {
            format!("configured via {}", source.origin())
        }
    };
    let config_path = match &r.file {
        Some(f) if !f.local => f.display.clone(),
        _ => ".kagi.toml".to_string(),
    };
    format!(
        "selected: {selected}\n\
         profile: {}\n\
         preferred auth for base search: {}\n\
         api token: {}\n\
         session token: {}\n\
         config path: {config_path}\n\
         precedence: env > selected profile config > default config; base search defaults to session unless preferred_auth = \"api\"; lens search requires session token\n",
        r.profile.as_deref().unwrap_or("default"),
        r.preferred.preference_name(),
        slot(&r.api),
        slot(&r.session),
    )
}

/// A configured value that cannot be read (a locked keychain) still counts as
/// configured above; the reason and the fix go to stderr.
fn warn_unreadable(r: &Resolved) {
    for slot in [&r.api, &r.session] {
        if let Slot::Broken(_, why) = slot {
            eprintln!("warning: {why}");
        }
    }
}

/// A value with where it comes from and a masked form, for the log and the setup.
pub fn slot_detail(slot: &Slot) -> String {
    match slot {
        Slot::NotSet => "not configured".to_string(),
        Slot::Set(secret, source) => format!("configured via {source} ({})", secret.masked()),
        Slot::Broken(source, why) => format!("configured via {source}, but unreadable: {why}"),
    }
}

/// What `--verbose` adds: the file and block (or keychain) of every value,
/// masked, where the preference comes from, and the precedence with block names.
fn log_details(r: &Resolved) {
    if !log::enabled() {
        return;
    }
    let line = |text: String| log::debug(&format!("auth status: {text}"));
    if let Some((kind, source)) = selected(r) {
        line(format!("selected: {} from {source}", kind.label()));
    }
    line(format!("api token: {}", slot_detail(&r.api)));
    line(format!("session token: {}", slot_detail(&r.session)));
    line(format!(
        "preferred auth for base search: {} ({})",
        r.preferred.preference_name(),
        match &r.preferred_source {
            Source::Default => "default".to_string(),
            other => other.to_string(),
        }
    ));
    line(format!("config file: {}", config_file_detail(r)));
    line(format!(
        "precedence: {}, key by key",
        match &r.profile {
            Some(p) => format!("env > [profiles.{p}.auth] > [auth]"),
            None => "env > [auth]".to_string(),
        }
    ));
}

fn config_file_detail(r: &Resolved) -> String {
    match &r.file {
        Some(f) if f.local => f.display.clone(),
        Some(f) => format!("{} (there is no ./.kagi.toml here)", f.display),
        None => match ConfigFile::user() {
            Some(u) => format!("none (neither ./.kagi.toml nor {} exists)", u.display),
            None => "none (there is no ./.kagi.toml here)".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Secret;

    fn file_source(block: &str) -> Source {
        Source::File {
            file: "./.kagi.toml".into(),
            block: block.into(),
            profile: None,
        }
    }

    #[test]
    fn the_seven_lines_say_env_or_config_and_never_which_file() {
        let r = Resolved {
            file: Some(ConfigFile::local()),
            profile: Some("work".into()),
            session: Slot::Set(
                Secret::new("session-0000000000001"),
                Source::Env("KAGI_SESSION_TOKEN"),
            ),
            api: Slot::Set(
                Secret::new("api-00000000000000002"),
                Source::Keyring {
                    file: "./.kagi.toml".into(),
                    block: "[profiles.work.auth]".into(),
                    profile: Some("work".into()),
                },
            ),
            preferred: Kind::Api,
            preferred_source: file_source("[auth]"),
            warnings: Vec::new(),
        };
        assert_eq!(
            status_text(&r),
            "selected: api-token (config)\n\
             profile: work\n\
             preferred auth for base search: api\n\
             api token: configured via config\n\
             session token: configured via env\n\
             config path: .kagi.toml\n\
             precedence: env > selected profile config > default config; base search defaults to session unless preferred_auth = \"api\"; lens search requires session token\n"
        );
    }

    #[test]
    fn an_unreadable_token_is_still_configured_and_the_user_file_is_named() {
        let user = ConfigFile {
            path: "/home/u/.config/kagi/config.toml".into(),
            display: "/home/u/.config/kagi/config.toml".into(),
            local: false,
        };
        let r = Resolved {
            file: Some(user),
            profile: None,
            session: Slot::Broken(file_source("[auth]"), "locked".into()),
            api: Slot::NotSet,
            preferred: Kind::Api,
            preferred_source: Source::Default,
            warnings: Vec::new(),
        };
        let text = status_text(&r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7);
        assert_eq!(lines[0], "selected: session-token (config)");
        assert_eq!(lines[3], "api token: not configured");
        assert_eq!(lines[4], "session token: configured via config");
        assert_eq!(lines[5], "config path: /home/u/.config/kagi/config.toml");
    }
}
