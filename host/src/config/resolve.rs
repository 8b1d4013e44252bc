//! Resolving the credentials in force from the environment, the file in use
//! and the keychain, and remembering where each came from.

use super::file::{ConfigFile, LOCAL_DISPLAY, file_in_use, read_text, readable_by_others};
use super::parse::{Parsed, TokenEntry, parse};
use super::profile::{block_name, normalize_profile, profile_flag};
use crate::auth::{Credentials, Kind, Secret, Source};
use crate::error::{Error, Result};
use crate::keyring::{self, Keyring};
use crate::log;

/// One token kind after resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    NotSet,
    Set(Secret, Source),
    /// Configured, but it could not be read (a keychain failure).
    Broken(Source, String),
}

impl Slot {
    pub fn secret(&self) -> Option<&Secret> {
        match self {
            Slot::Set(s, _) => Some(s),
            _ => None,
        }
    }
}

/// Everything resolved for one run: which file, which profile, each value
/// and where it came from.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The file in use, if any.
    pub file: Option<ConfigFile>,
    pub profile: Option<String>,
    pub session: Slot,
    pub api: Slot,
    pub preferred: Kind,
    pub preferred_source: Source,
    /// Things the user should fix, printed as `warning: ...`.
    pub warnings: Vec<String>,
}

impl Resolved {
    pub fn slot(&self, kind: Kind) -> &Slot {
        match kind {
            Kind::Session => &self.session,
            Kind::Api => &self.api,
        }
    }

    /// The credentials, or the first reason one cannot be read.
    pub fn credentials(&self) -> Result<Credentials> {
        for slot in [&self.session, &self.api] {
            if let Slot::Broken(_, why) = slot {
                return Err(Error::Config(why.clone()));
            }
        }
        Ok(Credentials {
            session: self.session.secret().cloned(),
            api: self.api.secret().cloned(),
            preferred: self.preferred,
        })
    }
}

/// Reads the environment, the file in use and the keychain (if the file
/// says a token is there).
pub fn resolve(profile: Option<&str>) -> Result<Resolved> {
    let keyring = Keyring::open().map_err(Error::Config)?;
    resolve_with(
        profile,
        file_in_use(),
        &|var| std::env::var(var).ok(),
        &keyring,
    )
}

/// Like [`resolve`], but a profile that does not exist yet counts as empty
/// (the guided setup is how a user creates one).
pub fn resolve_for_setup(profile: Option<&str>) -> Result<Resolved> {
    let keyring = Keyring::open().map_err(Error::Config)?;
    let file = file_in_use();
    let exists = match (profile, &file) {
        (Some(p), Some(f)) => match read_text(f)? {
            Some(text) => parse(f, &text)?.profile(p.trim()).is_some(),
            None => false,
        },
        (Some(_), None) => false,
        (None, _) => true,
    };
    let mut resolved = resolve_with(
        if exists { profile } else { None },
        file,
        &|var| std::env::var(var).ok(),
        &keyring,
    )?;
    if !exists {
        // A new profile falls back to [auth] key by key, so [auth]'s values
        // are what it has so far.
        resolved.profile = normalize_profile(profile)?;
    }
    Ok(resolved)
}

fn resolve_with(
    profile: Option<&str>,
    file: Option<ConfigFile>,
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &Keyring,
) -> Result<Resolved> {
    let profile = normalize_profile(profile)?;
    let mut warnings = Vec::new();
    let parsed = match &file {
        None => Parsed::default(),
        Some(f) => match read_text(f)? {
            None => Parsed::default(),
            Some(text) => parse(f, &text)?,
        },
    };
    if let Some(f) = &file {
        log::debug(&format!("config: using {}", f.display));
    }
    let profile_block = match &profile {
        None => None,
        Some(name) => Some(parsed.profile(name).ok_or_else(|| {
            let known: Vec<&str> = parsed.profiles.iter().map(|(n, _)| n.as_str()).collect();
            let place = match &file {
                Some(f) => format!("in {}", f.display),
                None => {
                    let user = ConfigFile::user()
                        .map(|u| format!(" or {}", u.display))
                        .unwrap_or_default();
                    format!("(there is no config file: neither {LOCAL_DISPLAY}{user} exists)")
                }
            };
            let have = if known.is_empty() {
                String::new()
            } else {
                format!("; profiles there: {}", known.join(", "))
            };
            Error::Config(format!(
                "profile `{name}` was not found {place}{have}; add a {} section or run `kagi --profile {name} auth set ...`",
                block_name(Some(name))
            ))
        })?),
    };

    let file_display = file.as_ref().map(|f| f.display.clone()).unwrap_or_default();
    let mut slots = Vec::new();
    for kind in [Kind::Session, Kind::Api] {
        let from_env = env(kind.env_var())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let slot = if let Some(raw) = from_env {
            let secret = kind.parse_input(&raw).map_err(|why| {
                Error::Config(format!(
                    "{} is set but not usable: {why}; fix or unset it",
                    kind.env_var()
                ))
            })?;
            Slot::Set(secret, Source::Env(kind.env_var()))
        } else {
            let found = profile_block
                .and_then(|b| b.token(kind).map(|t| (t, profile.as_deref())))
                .or_else(|| parsed.default.token(kind).map(|t| (t, None)));
            match found {
                None => Slot::NotSet,
                Some((TokenEntry::Value(secret), block_profile)) => Slot::Set(
                    secret.clone(),
                    Source::File {
                        file: file_display.clone(),
                        block: block_name(block_profile),
                        profile: block_profile.map(str::to_string),
                    },
                ),
                Some((TokenEntry::Keyring, block_profile)) => {
                    let source = Source::Keyring {
                        file: file_display.clone(),
                        block: block_name(block_profile),
                        profile: block_profile.map(str::to_string),
                    };
                    let acct = keyring::account(kind, block_profile);
                    match keyring.get(&acct) {
                        Ok(Some(secret)) => Slot::Set(secret, source),
                        Ok(None) => Slot::Broken(
                            source,
                            format!(
                                "{file_display} {} says the {} is in {}, but it has no entry `{}` for service `{}`; run `kagi{} auth set --keyring {} ...` again, or remove the {} line",
                                block_name(block_profile),
                                kind.noun(),
                                keyring.describe(),
                                acct,
                                keyring::SERVICE,
                                profile_flag(block_profile),
                                kind.set_flag(),
                                kind.keyring_key()
                            ),
                        ),
                        Err(why) => Slot::Broken(
                            source,
                            format!(
                                "cannot read the {} from {} (noted in {file_display} {}): {why}; unlock the keychain, set {} instead, or store the token in the file with `kagi{} auth set {} ...`",
                                kind.noun(),
                                keyring.describe(),
                                block_name(block_profile),
                                kind.env_var(),
                                profile_flag(block_profile),
                                kind.set_flag()
                            ),
                        ),
                    }
                }
            }
        };
        slots.push(slot);
    }
    let api = slots.pop().expect("two slots");
    let session = slots.pop().expect("two slots");

    let (preferred, preferred_source) = match (
        profile_block.and_then(|b| b.preferred),
        parsed.default.preferred,
    ) {
        (Some(k), _) => (
            k,
            Source::File {
                file: file_display.clone(),
                block: block_name(profile.as_deref()),
                profile: profile.clone(),
            },
        ),
        (None, Some(k)) => (
            k,
            Source::File {
                file: file_display.clone(),
                block: block_name(None),
                profile: None,
            },
        ),
        (None, None) => (Kind::Session, Source::Default),
    };

    if let Some(f) = &file {
        let has_plain = parsed.default.has_plain_token()
            || parsed.profiles.iter().any(|(_, b)| b.has_plain_token());
        if has_plain && let Some(mode) = readable_by_others(&f.path) {
            warnings.push(format!(
                "{} holds a token and is readable by other users (mode {mode:03o}); run `chmod 600 {}`",
                f.display, f.display
            ));
        }
    }

    Ok(Resolved {
        file,
        profile,
        session,
        api,
        preferred,
        preferred_source,
        warnings,
    })
}

/// What one block of a file holds for a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Nothing,
    InFile,
    InKeyring,
}

/// What `file`'s `[auth]` block (or the profile's) holds for `kind`, without
/// reading the keychain.
pub fn saved(file: &ConfigFile, profile: Option<&str>, kind: Kind) -> Result<Saved> {
    let Some(text) = read_text(file)? else {
        return Ok(Saved::Nothing);
    };
    let parsed = parse(file, &text)?;
    let block = match profile {
        None => Some(&parsed.default),
        Some(p) => parsed.profile(p),
    };
    Ok(match block.and_then(|b| b.token(kind)) {
        None => Saved::Nothing,
        Some(TokenEntry::Value(_)) => Saved::InFile,
        Some(TokenEntry::Keyring) => Saved::InKeyring,
    })
}

/// The credentials for this run (`profile` from `--profile`). Called lazily,
/// only when a command needs credentials; warnings go to stderr once.
pub fn load_credentials(profile: Option<&str>) -> Result<Credentials> {
    let resolved = resolve(profile)?;
    for w in &resolved.warnings {
        eprintln!("warning: {w}");
    }
    let creds = resolved.credentials()?;
    log::debug(&format!(
        "credentials: session {}, api {}, preferred {}",
        describe_slot(&resolved.session),
        describe_slot(&resolved.api),
        resolved.preferred.preference_name()
    ));
    Ok(creds)
}

fn describe_slot(slot: &Slot) -> String {
    match slot {
        Slot::NotSet => "not configured".into(),
        Slot::Set(_, source) => format!("from {source}"),
        Slot::Broken(source, _) => format!("from {source} (unreadable)"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::file_with;
    use super::*;
    use std::collections::HashMap;

    fn mock_keyring() -> Keyring {
        Keyring::with_store(keyring_core::mock::Store::new().unwrap())
    }

    fn resolve_text(text: &str, profile: Option<&str>, env: &[(&str, &str)]) -> Result<Resolved> {
        let dir = tempfile::tempdir().unwrap();
        let file = file_with(dir.path(), text);
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        resolve_with(
            profile,
            Some(file),
            &|k| env.get(k).cloned(),
            &mock_keyring(),
        )
    }

    fn source(slot: &Slot) -> String {
        match slot {
            Slot::Set(_, s) => s.to_string(),
            Slot::NotSet => "not set".into(),
            Slot::Broken(s, _) => format!("broken {s}"),
        }
    }

    const BOTH: &str = r#"
[auth]
session_token = "https://kagi.com/search?token=default.sess"
api_token = "default-api"

[profiles.work.auth]
api_token = "work-api"
preferred_auth = "API"

[profiles.empty.auth]
"#;

    #[test]
    fn env_beats_profile_beats_auth_key_by_key() {
        let r = resolve_text(BOTH, Some("work"), &[]).unwrap();
        assert_eq!(r.session.secret().unwrap().expose(), "default.sess");
        assert_eq!(source(&r.session), "cfg [auth]");
        assert_eq!(r.api.secret().unwrap().expose(), "work-api");
        assert_eq!(source(&r.api), "cfg [profiles.work.auth]");
        assert_eq!(r.preferred, Kind::Api);
        assert_eq!(r.preferred_source.to_string(), "cfg [profiles.work.auth]");

        let r = resolve_text(BOTH, Some("work"), &[("KAGI_API_TOKEN", " env-api ")]).unwrap();
        assert_eq!(r.api.secret().unwrap().expose(), "env-api");
        assert_eq!(source(&r.api), "env KAGI_API_TOKEN");

        let r = resolve_text(BOTH, Some("empty"), &[("KAGI_API_TOKEN", "  ")]).unwrap();
        assert_eq!(source(&r.api), "cfg [auth]");
        assert_eq!(r.preferred, Kind::Session);
        assert_eq!(r.preferred_source, Source::Default);

        let r = resolve_text(BOTH, None, &[]).unwrap();
        assert_eq!(r.api.secret().unwrap().expose(), "default-api");
    }

    #[test]
    fn preferred_auth_falls_back_from_profile_to_auth() {
        let text = "[auth]\npreferred_auth = \"api\"\n[profiles.p.auth]\n";
        let r = resolve_text(text, Some("p"), &[]).unwrap();
        assert_eq!(r.preferred, Kind::Api);
        assert_eq!(r.preferred_source.to_string(), "cfg [auth]");
    }

    #[test]
    fn bad_values_are_one_line_errors_naming_file_and_block() {
        let e = resolve_text("[auth]\npreferred_auth = \"both\"\n", None, &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error: preferred_auth in cfg [auth] is `both`; expected \"session\" or \"api\""
        );
        let e = resolve_text("[auth]\napi_token = 5\n", None, &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error: api_token in cfg [auth] must be a string"
        );
        let e = resolve_text("[auth\n", None, &[]).unwrap_err().to_string();
        assert!(
            e.starts_with("configuration error: cfg is not valid TOML (line 1, column 6: "),
            "{e}"
        );
        assert_eq!(e.lines().count(), 1, "{e}");
        let e = resolve_text(
            "[profiles.w.auth]\nsession_token = \"https://kagi.com/?x=1\"\n",
            Some("w"),
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("configuration error: session_token in cfg [profiles.w.auth] is not usable: the Session Link has no token= parameter"),
            "{e}"
        );
        let e = resolve_text(BOTH, Some("home"), &[])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "configuration error: profile `home` was not found in cfg; profiles there: work, empty; add a [profiles.home.auth] section or run `kagi --profile home auth set ...`"
        );
        let e = resolve_text(
            "[auth]\nsession_token = \"x\"\nsession_token_in_keyring = true\n",
            None,
            &[],
        )
        .unwrap_err();
        assert!(e.to_string().contains("keep one of the two lines"), "{e}");
        let e = resolve_text("", None, &[("KAGI_SESSION_TOKEN", "https://kagi.com/")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error: KAGI_SESSION_TOKEN is set but not usable: the Session Link has no token= parameter; copy the whole link from https://kagi.com/settings/user_details; fix or unset it"
        );
    }

    #[test]
    fn profile_names_are_checked() {
        assert_eq!(normalize_profile(Some("  ")).unwrap(), None);
        assert_eq!(normalize_profile(Some(" w ")).unwrap(), Some("w".into()));
        assert!(normalize_profile(Some("a b")).is_err());
    }

    #[test]
    fn keychain_tokens_are_read_through_the_keyring() {
        let keyring = mock_keyring();
        keyring
            .set(
                &keyring::account(Kind::Session, Some("w")),
                &Secret::new("from-keychain"),
            )
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = file_with(
            dir.path(),
            "[auth]\napi_token_in_keyring = true\n[profiles.w.auth]\nsession_token_in_keyring = true\n",
        );
        let r = resolve_with(Some("w"), Some(file), &|_| None, &keyring).unwrap();
        assert_eq!(r.session.secret().unwrap().expose(), "from-keychain");
        assert_eq!(
            source(&r.session),
            "keychain, noted in cfg [profiles.w.auth]"
        );
        // The API token is noted but missing from the keychain.
        match &r.api {
            Slot::Broken(_, why) => assert!(
                why.contains("has no entry `api_token` for service `kagi`"),
                "{why}"
            ),
            other => panic!("{other:?}"),
        }
        assert!(r.credentials().is_err());
    }
}
