//! Configuration: `./.kagi.toml`, the user's config file, the environment and
//! profiles, resolved into the credentials in force; and rewriting the file
//! without losing anything the user wrote in it.
//!
//! Which file: `./.kagi.toml` in the current directory if it exists, else the
//! user's `config.toml` (`$KAGI_CONFIG_DIR`, else the platform config dir +
//! `kagi`, which honours `$XDG_CONFIG_HOME`). Only one file is read.
//!
//! Precedence, for each of `session_token`, `api_token` and `preferred_auth`
//! on its own: the environment (tokens only) > `[profiles.NAME.auth]` (with
//! `--profile NAME`) > `[auth]` > nothing (`preferred_auth` defaults to
//! `session`).

use crate::auth::{Credentials, Kind, Secret, Source};
use crate::error::{Error, Result};
use crate::keyring::{self, Keyring};
use crate::log;
use std::io::Write;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// The per-directory file, relative to the current directory.
pub const LOCAL_FILE: &str = ".kagi.toml";
/// How the per-directory file is shown.
pub const LOCAL_DISPLAY: &str = "./.kagi.toml";

/// A config file kagi reads or writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub path: PathBuf,
    /// `./.kagi.toml`, or the full path of the user's file.
    pub display: String,
    pub local: bool,
}

impl ConfigFile {
    pub fn local() -> ConfigFile {
        ConfigFile {
            path: PathBuf::from(LOCAL_FILE),
            display: LOCAL_DISPLAY.to_string(),
            local: true,
        }
    }

    /// The user's file, if there is a config directory at all.
    pub fn user() -> Option<ConfigFile> {
        let path = crate::paths::config_dir()?.join("config.toml");
        Some(ConfigFile {
            display: path.display().to_string(),
            path,
            local: false,
        })
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }
}

/// The file in use: `./.kagi.toml` if it exists, else the user's file if it
/// exists, else none.
pub fn file_in_use() -> Option<ConfigFile> {
    let local = ConfigFile::local();
    if local.exists() {
        return Some(local);
    }
    ConfigFile::user().filter(ConfigFile::exists)
}

/// Where `auth set` and the wizard write: the file in use, or a new
/// `./.kagi.toml`; with `global`, the user's file. A symbolic link is refused
/// here, before anything is asked, typed or stored in the keychain.
pub fn write_target(global: bool) -> Result<ConfigFile> {
    let target = if global {
        ConfigFile::user().ok_or_else(|| {
            Error::Config(
                "this system has no user config directory; set KAGI_CONFIG_DIR or save to ./.kagi.toml (without --global)".into(),
            )
        })?
    } else {
        file_in_use().unwrap_or_else(ConfigFile::local)
    };
    refuse_symlink(&target)?;
    Ok(target)
}

/// Checks a `--profile` value: trimmed, empty means the default block.
pub fn normalize_profile(profile: Option<&str>) -> Result<Option<String>> {
    let Some(name) = profile.map(str::trim) else {
        return Ok(None);
    };
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Config(format!(
            "profile name `{name}` cannot contain spaces or control characters"
        )));
    }
    Ok(Some(name.to_string()))
}

/// How a token appears in one auth block.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TokenEntry {
    Value(Secret),
    Keyring,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Block {
    session: Option<TokenEntry>,
    api: Option<TokenEntry>,
    preferred: Option<Kind>,
}

impl Block {
    fn token(&self, kind: Kind) -> Option<&TokenEntry> {
        match kind {
            Kind::Session => self.session.as_ref(),
            Kind::Api => self.api.as_ref(),
        }
    }

    fn has_plain_token(&self) -> bool {
        matches!(self.session, Some(TokenEntry::Value(_)))
            || matches!(self.api, Some(TokenEntry::Value(_)))
    }
}

/// A parsed config file.
#[derive(Debug, Clone, Default)]
struct Parsed {
    default: Block,
    profiles: Vec<(String, Block)>,
}

impl Parsed {
    fn profile(&self, name: &str) -> Option<&Block> {
        self.profiles
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b)
    }
}

fn block_name(profile: Option<&str>) -> String {
    match profile {
        None => "[auth]".to_string(),
        Some(p) if is_bare_key(p) => format!("[profiles.{p}.auth]"),
        Some(p) => format!("[profiles.\"{}\".auth]", p.replace('"', "\\\"")),
    }
}

fn is_bare_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads the file's text; `None` if it does not exist. A file another user
/// could change is refused: whoever writes it chooses the tokens in force.
fn read_text(file: &ConfigFile) -> Result<Option<String>> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| {
        Error::Config(format!(
            "cannot read {}: {}; check the file's permissions",
            file.display,
            io_reason(&e)
        ))
    };
    let mut opened = match std::fs::File::open(&file.path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_read(e)),
    };
    // The permissions of what was opened, so the file cannot change in between.
    check_only_owner_can_change(file, &opened.metadata().map_err(cannot_read)?)?;
    let mut text = String::new();
    opened.read_to_string(&mut text).map_err(cannot_read)?;
    Ok(Some(text))
}

/// Refuses a config file that is not the user's own or that group or others
/// may write.
fn check_only_owner_can_change(file: &ConfigFile, meta: &std::fs::Metadata) -> Result<()> {
    if crate::atomic_file::is_private(meta) {
        return Ok(());
    }
    let shown = &file.display;
    match writable_by_others(meta) {
        Some(mode) => Err(Error::Config(format!(
            "{shown} can be changed by other users (mode {mode:03o}), so kagi will not use it; check its contents and run `chmod 600 {shown}`"
        ))),
        None => Err(Error::Config(format!(
            "{shown} belongs to another user, who could change it, so kagi will not use it; replace it with a file of your own (`chmod 600 {shown}`)"
        ))),
    }
}

/// The permission bits if group or others may write the file.
#[cfg(unix)]
fn writable_by_others(meta: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o022 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn writable_by_others(_meta: &std::fs::Metadata) -> Option<u32> {
    None
}

/// kagi never writes a token through a symbolic link: its target could be
/// anywhere (another user's file, a synced or shared folder).
fn refuse_symlink(file: &ConfigFile) -> Result<()> {
    match std::fs::symlink_metadata(&file.path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(Error::Config(format!(
            "{} is a symbolic link; kagi will not write a token through it into the file it points to; replace it with a regular file and run the command again",
            file.display
        ))),
        _ => Ok(()),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    // "Permission denied (os error 13)" -> "permission denied"
    let text = match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// Parses TOML text into a document, or a one-line error naming the file.
fn parse_document(file: &ConfigFile, text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>().map_err(|e| {
        let position = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
                format!("line {line}, column {column}: ")
            })
            .unwrap_or_default();
        let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
        Error::Config(format!(
            "{} is not valid TOML ({position}{message}); fix that line or move the file away",
            file.display
        ))
    })
}

fn parse_block(file: &ConfigFile, name: &str, table: &dyn TableLike) -> Result<Block> {
    let bad =
        |key: &str, why: String| Error::Config(format!("{key} in {} {name} {why}", file.display));
    let string = |key: &str| -> Result<Option<String>> {
        match table.get(key) {
            None => Ok(None),
            Some(item) => match item.as_str() {
                Some(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
                None => Err(bad(key, "must be a string".into())),
            },
        }
    };
    let flag = |key: &str| -> Result<bool> {
        match table.get(key) {
            None => Ok(false),
            Some(item) => item
                .as_bool()
                .ok_or_else(|| bad(key, "must be true or false".into())),
        }
    };
    let mut block = Block::default();
    for kind in [Kind::Session, Kind::Api] {
        let value = string(kind.config_key())?;
        let in_keyring = flag(kind.keyring_key())?;
        let entry = match (value, in_keyring) {
            (Some(_), true) => {
                return Err(Error::Config(format!(
                    "{} {name} has both {} and {} = true; keep one of the two lines",
                    file.display,
                    kind.config_key(),
                    kind.keyring_key()
                )));
            }
            (Some(raw), false) => Some(TokenEntry::Value(
                kind.parse_input(&raw)
                    .map_err(|why| bad(kind.config_key(), format!("is not usable: {why}")))?,
            )),
            (None, true) => Some(TokenEntry::Keyring),
            (None, false) => None,
        };
        match kind {
            Kind::Session => block.session = entry,
            Kind::Api => block.api = entry,
        }
    }
    if let Some(raw) = string("preferred_auth")? {
        block.preferred = Some(match raw.to_ascii_lowercase().as_str() {
            "session" => Kind::Session,
            "api" => Kind::Api,
            other => {
                return Err(bad(
                    "preferred_auth",
                    format!("is `{other}`; expected \"session\" or \"api\""),
                ));
            }
        });
    }
    Ok(block)
}

fn parse(file: &ConfigFile, text: &str) -> Result<Parsed> {
    let doc = parse_document(file, text)?;
    let mut parsed = Parsed::default();
    if let Some(item) = doc.get("auth") {
        let table = item.as_table_like().ok_or_else(|| {
            Error::Config(format!(
                "`auth` in {} must be a table ([auth])",
                file.display
            ))
        })?;
        parsed.default = parse_block(file, "[auth]", table)?;
    }
    if let Some(item) = doc.get("profiles") {
        let profiles = item.as_table_like().ok_or_else(|| {
            Error::Config(format!(
                "`profiles` in {} must be a table ([profiles.NAME.auth])",
                file.display
            ))
        })?;
        for (name, item) in profiles.iter() {
            let name_block = block_name(Some(name));
            let Some(profile) = item.as_table_like() else {
                return Err(Error::Config(format!(
                    "profile `{name}` in {} must be a table ({name_block})",
                    file.display
                )));
            };
            let block = match profile.get("auth") {
                None => Block::default(),
                Some(auth) => {
                    let table = auth.as_table_like().ok_or_else(|| {
                        Error::Config(format!(
                            "`auth` of profile `{name}` in {} must be a table ({name_block})",
                            file.display
                        ))
                    })?;
                    parse_block(file, &name_block, table)?
                }
            };
            parsed.profiles.push((name.to_string(), block));
        }
    }
    Ok(parsed)
}

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

/// ` --profile NAME` for a command a user should run, or nothing.
pub fn profile_flag(profile: Option<&str>) -> String {
    match profile {
        Some(p) => format!(" --profile {p}"),
        None => String::new(),
    }
}

/// The file's permission bits if group or others may read or write it.
#[cfg(unix)]
fn readable_by_others(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> Option<u32> {
    None
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

/// A change to one auth block.
#[derive(Debug, Clone)]
pub enum Change {
    /// Store the token in the file (and forget any keychain note).
    Token(Kind, Secret),
    /// Note that the token is in the keychain (and drop any token in the file).
    InKeyring(Kind),
    Preferred(Kind),
}

/// What a write did.
#[derive(Debug, Clone)]
pub struct Written {
    pub file: ConfigFile,
    pub block: String,
    /// The file was readable by others before (it is 0600 now).
    pub was_open_mode: Option<u32>,
}

/// Applies `changes` to the `[auth]` block (or the profile's), keeping every
/// other key, section and comment, and writes the file atomically with mode
/// 0600. A file that does not parse is never overwritten.
pub fn write(file: &ConfigFile, profile: Option<&str>, changes: &[Change]) -> Result<Written> {
    refuse_symlink(file)?;
    let existing = read_text(file)?;
    let created = existing.is_none();
    let text = existing.unwrap_or_default();
    let mut doc = parse_document(file, &text).map_err(|e| match e {
        Error::Config(m) => Error::Config(format!("{m}; kagi will not overwrite it")),
        other => other,
    })?;
    let block = block_name(profile);
    let table = auth_table(&mut doc, profile).map_err(|what| {
        Error::Config(format!(
            "{what} in {} is not a table, so kagi cannot add {block}; fix the file first",
            file.display
        ))
    })?;
    for change in changes {
        match change {
            Change::Token(kind, secret) => {
                set_value(table, kind.config_key(), Value::from(secret.expose()));
                table.remove(kind.keyring_key());
            }
            Change::InKeyring(kind) => {
                set_value(table, kind.keyring_key(), Value::from(true));
                table.remove(kind.config_key());
            }
            Change::Preferred(kind) => {
                set_value(table, "preferred_auth", Value::from(kind.preference_name()));
            }
        }
    }
    let out = doc.to_string();
    // What we write must read back.
    parse(file, &out)?;
    let was_open_mode = if created {
        None
    } else {
        readable_by_others(&file.path)
    };
    write_atomic(&file.path, &out)
        .map_err(|e| Error::Config(format!("cannot write {}: {}", file.display, io_reason(&e))))?;
    log::debug(&format!("config: wrote {} {block}", file.display));
    Ok(Written {
        file: file.clone(),
        block,
        was_open_mode,
    })
}

/// The auth block's table, created if needed; `Err` names what is in the way.
fn auth_table<'a>(
    doc: &'a mut DocumentMut,
    profile: Option<&str>,
) -> std::result::Result<&'a mut dyn TableLike, String> {
    let root = doc.as_item_mut();
    let item = match profile {
        None => descend(root, "auth", true).map_err(|_| "`auth`".to_string())?,
        Some(p) => {
            let profiles =
                descend(root, "profiles", false).map_err(|_| "`profiles`".to_string())?;
            let named = descend(profiles, p, false).map_err(|_| format!("`profiles.{p}`"))?;
            descend(named, "auth", true).map_err(|_| format!("`profiles.{p}.auth`"))?
        }
    };
    let what = match profile {
        None => "`auth`".to_string(),
        Some(p) => format!("`profiles.{p}.auth`"),
    };
    item.as_table_like_mut().ok_or(what)
}

/// The child table `key` of a table item, created if absent.
fn descend<'a>(item: &'a mut Item, key: &str, leaf: bool) -> std::result::Result<&'a mut Item, ()> {
    let inline = matches!(item, Item::Value(Value::InlineTable(_)));
    let table = item.as_table_like_mut().ok_or(())?;
    if table.get(key).is_none() {
        let new = if inline {
            Item::Value(Value::InlineTable(InlineTable::new()))
        } else {
            let mut t = Table::new();
            t.set_implicit(!leaf);
            Item::Table(t)
        };
        table.insert(key, new);
    }
    let child = table.get_mut(key).ok_or(())?;
    if child.is_table_like() {
        Ok(child)
    } else {
        Err(())
    }
}

/// Sets `key`, keeping the comment that followed an old value.
fn set_value(table: &mut dyn TableLike, key: &str, value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Writes through a temporary file in the same directory and a rename, so a
/// crash leaves either the old file or the new one. The result is 0600. A
/// symbolic link is never written through: `write` refuses one, and the
/// rename would replace a link, not its target.
fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        create_private_dir(&dir)?;
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".kagi-config-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    set_private(tmp.path())?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn set_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn file_with(dir: &Path, text: &str) -> ConfigFile {
        let path = dir.join("config.toml");
        std::fs::write(&path, text).unwrap();
        set_private(&path).unwrap();
        ConfigFile {
            display: "cfg".into(),
            path,
            local: false,
        }
    }

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

    #[test]
    fn writes_keep_comments_other_keys_and_sections() {
        let dir = tempfile::tempdir().unwrap();
        let original = "# my kagi settings\n[auth]\n# the old one\nsession_token = \"old\" # keep this comment\npreferred_auth = \"session\"\n\n[other]\nkey = 1 # unrelated\n";
        let file = file_with(dir.path(), original);
        write(
            &file,
            None,
            &[Change::Token(Kind::Session, Secret::new("new.token"))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert_eq!(text, original.replace("\"old\"", "\"new.token\""), "{text}");
        write(
            &file,
            Some("work"),
            &[Change::InKeyring(Kind::Api), Change::Preferred(Kind::Api)],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert!(
            text.starts_with(&original.replace("\"old\"", "\"new.token\"")),
            "{text}"
        );
        assert!(
            text.ends_with(
                "[profiles.work.auth]\napi_token_in_keyring = true\npreferred_auth = \"api\"\n"
            ),
            "{text}"
        );
        write(
            &file,
            Some("work"),
            &[Change::Token(Kind::Api, Secret::new("a1"))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert!(
            text.contains("[profiles.work.auth]\npreferred_auth = \"api\"\napi_token = \"a1\"\n"),
            "{text}"
        );
        assert!(!text.contains("in_keyring"));
    }

    #[test]
    fn writes_into_inline_and_dotted_tables() {
        let dir = tempfile::tempdir().unwrap();
        let file = file_with(
            dir.path(),
            "profiles = { ci = { auth = { api_token = \"x\" } } }\n",
        );
        write(
            &file,
            Some("ci"),
            &[Change::Token(Kind::Session, Secret::new("s"))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert!(text.contains("session_token = \"s\""), "{text}");
        assert!(text.contains("api_token = \"x\""), "{text}");

        let file = file_with(dir.path(), "auth.api_token = \"x\"\n");
        write(
            &file,
            None,
            &[Change::Token(Kind::Session, Secret::new("s"))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file.path).unwrap();
        assert_eq!(text, "auth.api_token = \"x\"\nauth.session_token = \"s\"\n");
    }

    #[test]
    fn refuses_to_overwrite_a_broken_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = file_with(dir.path(), "[auth\nsession_token = \"x\"\n");
        let e = write(&file, None, &[Change::Preferred(Kind::Api)]).unwrap_err();
        assert!(e.to_string().ends_with("kagi will not overwrite it"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&file.path).unwrap(),
            "[auth\nsession_token = \"x\"\n"
        );
        let file = file_with(dir.path(), "auth = \"oops\"\n");
        let e = write(&file, None, &[Change::Preferred(Kind::Api)]).unwrap_err();
        assert!(
            e.to_string().contains("`auth` in cfg is not a table"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn writes_are_private_and_report_an_open_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = file_with(dir.path(), "[auth]\n");
        std::fs::set_permissions(&file.path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let w = write(&file, None, &[Change::Preferred(Kind::Api)]).unwrap();
        assert_eq!(w.was_open_mode, Some(0o644));
        let mode = std::fs::metadata(&file.path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}

/// Environment variables that override a plugin setting: (plugin, setting, variable).
const SETTING_VARS: &[(&str, &str, &str)] = &[("search", "history", "KAGI_HISTORY")];

/// A setting the user chose for `plugin`: its documented environment variable
/// (only `KAGI_HISTORY` for `search` today), else `[plugins.NAME] setting = …`
/// in the config file in use. A plugin reads only its own table, never
/// `[auth]` or another plugin's settings.
pub fn plugin_setting(plugin: &str, name: &str) -> Result<Option<String>> {
    let from_env = SETTING_VARS
        .iter()
        .find(|(p, n, _)| *p == plugin && *n == name)
        .and_then(|(_, _, var)| std::env::var(var).ok())
        .filter(|v| !v.trim().is_empty());
    if from_env.is_some() {
        return Ok(from_env);
    }
    let Some(file) = file_in_use() else {
        return Ok(None);
    };
    let Some(text) = read_text(&file)? else {
        return Ok(None);
    };
    Ok(setting_in(&parse_document(&file, &text)?, plugin, name))
}

fn setting_in(doc: &DocumentMut, plugin: &str, name: &str) -> Option<String> {
    let value = doc.get("plugins")?.get(plugin)?.get(name)?.as_value()?;
    match value {
        Value::String(s) => Some(s.value().clone()),
        Value::Boolean(b) => Some(b.value().to_string()),
        Value::Integer(i) => Some(i.value().to_string()),
        Value::Float(f) => Some(f.value().to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod setting_tests {
    use super::*;

    #[test]
    fn a_plugin_reads_only_its_own_table() {
        let doc: DocumentMut =
            "[auth]\napi_token = \"secret\"\n[plugins.search]\nhistory = false\n[plugins.other]\nx = 1\n"
                .parse()
                .unwrap();
        assert_eq!(
            setting_in(&doc, "search", "history").as_deref(),
            Some("false")
        );
        assert_eq!(setting_in(&doc, "search", "x"), None);
        assert_eq!(setting_in(&doc, "search", "api_token"), None);
        // `[auth]` is not a plugin table, whatever a plugin calls itself.
        assert_eq!(setting_in(&doc, "auth", "api_token"), None);
    }
}
