//! `kagi auth`: the guided setup (on a terminal), `auth set` for scripts,
//! `auth status` (where each value comes from, masked) and `auth check`
//! (validates the primary credential with one search, never falls back).

use crate::auth::{Kind, Secret, Source};
use crate::config::{self, Change, ConfigFile, Resolved, Saved, Slot};
use crate::error::{Error, Result, exit};
use crate::keyring::{self, Keyring};
use crate::log;
use crate::net::{self, Outgoing, Service, TimeoutClass};
use crate::runtime::HostContext;
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use std::io::{BufRead, IsTerminal};
use std::sync::Arc;

/// The query `auth check` and the setup use to test a credential.
pub const CHECK_QUERY: &str = "rust lang";

pub fn command() -> Command {
    Command::new("auth")
        .about("Set up and check your Kagi credentials")
        .long_about(
            "Set up and check your Kagi credentials.\n\n\
             Without a subcommand, on a terminal, `kagi auth` walks you through adding a \
             Session Link or an API token. In scripts use `kagi auth set`.",
        )
        .subcommand(
            Command::new("status")
                .about("Show which credentials are configured and where each comes from (no network)"),
        )
        .subcommand(Command::new("check").about(
            "Test the credential base search uses first, with one search; never falls back",
        ))
        .subcommand(
            Command::new("set")
                .about("Save credentials to the config file or the system keychain (no network)")
                .arg(
                    Arg::new("session-token")
                        .long("session-token")
                        .value_name("LINK_OR_TOKEN")
                        .help("Your Session Link (or the bare token); `-` reads it from stdin"),
                )
                .arg(
                    Arg::new("api-token")
                        .long("api-token")
                        .value_name("TOKEN")
                        .help("Your Kagi API token; `-` reads it from stdin"),
                )
                .arg(
                    Arg::new("preferred-auth")
                        .long("preferred-auth")
                        .value_name("KIND")
                        .value_parser(["session", "api"])
                        .help("Which credential base search tries first"),
                )
                .arg(
                    Arg::new("keyring")
                        .long("keyring")
                        .action(ArgAction::SetTrue)
                        .help("Store the tokens in the system keychain; the config file only notes that they are there"),
                )
                .arg(
                    Arg::new("global")
                        .long("global")
                        .action(ArgAction::SetTrue)
                        .help("Write the user config file instead of ./.kagi.toml"),
                )
                .group(
                    ArgGroup::new("what")
                        .args(["session-token", "api-token", "preferred-auth"])
                        .multiple(true)
                        .required(true),
                ),
        )
}

pub fn run(matches: &ArgMatches, profile: Option<&str>, ctx: &HostContext) -> Result<i32> {
    let profile = config::normalize_profile(profile)?;
    let profile = profile.as_deref();
    match matches.subcommand() {
        Some(("status", _)) => status(profile),
        Some(("check", _)) => check(profile, ctx),
        Some(("set", m)) => set(m, profile),
        _ => wizard(profile, ctx),
    }
}

fn print_warnings(resolved: &Resolved) {
    for w in &resolved.warnings {
        eprintln!("warning: {w}");
    }
}

// ---------------------------------------------------------------- status

fn status(profile: Option<&str>) -> Result<i32> {
    let resolved = config::resolve(profile)?;
    print_warnings(&resolved);
    print!("{}", status_text(&resolved));
    Ok(exit::OK)
}

fn slot_line(slot: &Slot) -> String {
    match slot {
        Slot::NotSet => "not configured".to_string(),
        Slot::Set(secret, source) => format!("configured via {source} ({})", secret.masked()),
        Slot::Broken(source, why) => format!("configured via {source}, but unreadable: {why}"),
    }
}

/// The status block: seven lines.
pub fn status_text(r: &Resolved) -> String {
    let selected = [r.preferred, r.preferred.other()]
        .into_iter()
        .find_map(|k| match r.slot(k) {
            Slot::Set(_, source) | Slot::Broken(source, _) => {
                Some(format!("{} ({source})", k.label()))
            }
            Slot::NotSet => None,
        })
        .unwrap_or_else(|| "none".to_string());
    let preferred_from = match &r.preferred_source {
        Source::Default => "default".to_string(),
        other => other.to_string(),
    };
    let user = ConfigFile::user();
    let config_path = match &r.file {
        Some(f) if f.local => f.display.clone(),
        Some(f) => format!("{} (there is no ./.kagi.toml here)", f.display),
        None => match &user {
            Some(u) => format!("none (neither ./.kagi.toml nor {} exists)", u.display),
            None => "none (there is no ./.kagi.toml here)".to_string(),
        },
    };
    let chain = match &r.profile {
        Some(p) => format!("env > [profiles.{p}.auth] > [auth], key by key"),
        None => "env > [auth], key by key".to_string(),
    };
    format!(
        "selected: {selected}\n\
         profile: {}\n\
         preferred auth for base search: {} ({preferred_from})\n\
         api token: {}\n\
         session token: {}\n\
         config path: {config_path}\n\
         precedence: {chain}; base search uses the session token unless preferred_auth = \"api\", which tries the API token first and falls back to the session token when the API rejects the request; lens and filtered searches need the session token\n",
        r.profile.as_deref().unwrap_or("default"),
        r.preferred.preference_name(),
        slot_line(&r.api),
        slot_line(&r.session),
    )
}

// ---------------------------------------------------------------- check

/// Why a credential did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The session page was Kagi's sign-in page.
    SignedOut,
    /// 401/403, or another 4xx from the Search API.
    Rejected {
        status: u16,
        detail: String,
    },
    /// The API account has no credit left.
    OutOfCredit {
        status: u16,
        detail: String,
    },
    /// Another unexpected answer.
    Unexpected {
        status: u16,
        detail: String,
    },
    Server {
        status: u16,
    },
    Network(String),
    Parse(String),
}

impl Failure {
    /// Whether "save it anyway?" should default to yes: the token itself
    /// may well be fine.
    fn token_may_be_fine(&self) -> bool {
        matches!(
            self,
            Failure::OutOfCredit { .. } | Failure::Server { .. } | Failure::Network(_)
        )
    }

    /// The error, naming the credential and its source and saying how to fix it.
    pub fn into_error(self, kind: Kind, source: &Source) -> Error {
        let who = format!("{} ({source})", kind.label());
        let with = |status: u16, detail: &str| {
            let line = status_line(status);
            if detail.is_empty() {
                format!("HTTP {line}")
            } else {
                format!("HTTP {line}; {detail}")
            }
        };
        match self {
            Failure::SignedOut => Error::Auth(format!(
                "your Kagi session has expired or was signed out: the auth check of {who} got Kagi's sign-in page; copy a fresh Session Link from {} and {}",
                Kind::Session.settings_url(),
                source.fix(Kind::Session)
            )),
            Failure::OutOfCredit { status, detail } => Error::Auth(format!(
                "auth check failed for {who}: the Kagi API account is out of credit ({}); add API credit at https://kagi.com/settings/billing_api, then run `kagi auth check` again",
                with(status, &detail)
            )),
            Failure::Rejected { status, detail } => {
                let (what, fix) = match kind {
                    Kind::Session => (
                        "Kagi rejected the session token",
                        format!(
                            "copy a fresh Session Link from {} and {}",
                            Kind::Session.settings_url(),
                            source.fix(kind)
                        ),
                    ),
                    Kind::Api if status == 429 => (
                        "Kagi is limiting requests from this API token",
                        "wait a minute, then run `kagi auth check` again".to_string(),
                    ),
                    Kind::Api if status == 403 => (
                        "Kagi refused the API token",
                        format!(
                            "check that the Search API is enabled for your account at {}",
                            Kind::Api.settings_url()
                        ),
                    ),
                    Kind::Api => (
                        "Kagi rejected the API token",
                        format!(
                            "create a new token at {} and {}",
                            Kind::Api.settings_url(),
                            source.fix(kind)
                        ),
                    ),
                };
                Error::Auth(format!(
                    "auth check failed for {who}: {what} ({}); {fix}",
                    with(status, &detail)
                ))
            }
            Failure::Unexpected { status, detail } => Error::Network(format!(
                "auth check of {who} got an unexpected answer from Kagi ({}); try again later",
                with(status, &detail)
            )),
            Failure::Server { status } => Error::Network(format!(
                "auth check of {who} could not finish: Kagi server error (HTTP {}); try again later",
                status_line(status)
            )),
            Failure::Network(m) => {
                Error::Network(format!("auth check of {who} could not reach Kagi: {m}"))
            }
            Failure::Parse(m) => Error::Parse(format!(
                "auth check of {who} got an answer it cannot read: {m}"
            )),
        }
    }
}

fn status_line(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(r) => format!("{status} {r}"),
        None => status.to_string(),
    }
}

/// Kagi's marketing page, served with 200 to a missing or expired session.
fn is_signed_out_page(body: &str) -> bool {
    body.contains("<title>Kagi Search - A Premium Search Engine</title>")
        && body.contains("Welcome to Kagi")
        && body.contains("paid search engine that gives power back to the user")
}

/// Kagi's `error[0].msg` from an API error body, briefly.
fn api_error_detail(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let detail = match serde_json::from_str::<serde_json::Value>(text.trim()) {
        Ok(v) => v
            .pointer("/error/0/msg")
            .and_then(|m| m.as_str())
            .map(str::to_string)
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let detail = detail.split_whitespace().collect::<Vec<_>>().join(" ");
    match detail.char_indices().nth(200) {
        Some((i, _)) => format!("{}...", &detail[..i]),
        None => detail,
    }
}

fn is_out_of_credit(status: u16, body: &[u8]) -> bool {
    if status == 402 {
        return true;
    }
    let text = String::from_utf8_lossy(body);
    let code_101 = serde_json::from_str::<serde_json::Value>(text.trim())
        .ok()
        .and_then(|v| v.pointer("/error/0/code").and_then(|c| c.as_i64()))
        == Some(101);
    code_101 || text.to_ascii_lowercase().contains("insufficient credit")
}

/// Tests one credential with a search for `rust lang`. Only the host's
/// network layer attaches the token; the messages never contain it.
pub fn validate(
    ctx: &HostContext,
    kind: Kind,
    secret: &Secret,
) -> std::result::Result<(), Failure> {
    let net = ctx.net().map_err(|e| Failure::Network(e.to_string()))?;
    let path = match kind {
        Kind::Api => "/api/v0/search",
        Kind::Session => "/html/search",
    };
    let url = net
        .bases
        .resolve(
            Service::Kagi,
            path,
            &[("q".to_string(), CHECK_QUERY.to_string())],
        )
        .map_err(Failure::Network)?;
    let origin = url.origin();
    let headers = match kind {
        Kind::Api => vec![("accept".to_string(), "application/json".to_string())],
        Kind::Session => vec![("accept".to_string(), "text/html".to_string())],
    };
    log::debug(&format!(
        "auth check: GET {url} (with the {} attached)",
        kind.noun()
    ));
    let outgoing = Outgoing {
        method: reqwest::Method::GET,
        url,
        headers,
        body: None,
        credential: Some((kind, secret.clone())),
        timeout: TimeoutClass::Search,
        follow_redirects: true,
        hop_check: Arc::new(move |u: &url::Url, _| {
            if u.origin() == origin {
                Ok(())
            } else {
                Err(net::NetError::Transport(format!(
                    "redirected to {}, which auth check does not follow",
                    u.origin().ascii_serialization()
                )))
            }
        }),
    };
    let (status, final_url, body) = ctx
        .rt
        .block_on(async {
            let mut incoming = net.send(outgoing).await?;
            let body = incoming.body.read_all().await?;
            Ok::<_, net::NetError>((incoming.status, incoming.url, body))
        })
        .map_err(|e| {
            Failure::Network(match e {
                net::NetError::Timeout(m)
                | net::NetError::Connect(m)
                | net::NetError::Transport(m)
                | net::NetError::TooLarge(m)
                | net::NetError::Denied(m) => m,
            })
        })?;
    log::debug(&format!("auth check: HTTP {status} from {final_url}"));
    let redact = |s: String| crate::auth::redact(&s, &[secret]);
    match kind {
        Kind::Api => match status {
            200 => serde_json::from_slice::<serde_json::Value>(&body)
                .map(|_| ())
                .map_err(|e| Failure::Parse(format!("the Search API answer is not JSON ({e})"))),
            400..=499 if is_out_of_credit(status, &body) => Err(Failure::OutOfCredit {
                status,
                detail: redact(api_error_detail(&body)),
            }),
            400..=499 => Err(Failure::Rejected {
                status,
                detail: redact(api_error_detail(&body)),
            }),
            500..=599 => Err(Failure::Server { status }),
            _ => Err(Failure::Unexpected {
                status,
                detail: String::new(),
            }),
        },
        Kind::Session => match status {
            200 if is_signed_out_page(&String::from_utf8_lossy(&body)) => Err(Failure::SignedOut),
            200 => Ok(()),
            401 | 403 => Err(Failure::Rejected {
                status,
                detail: String::new(),
            }),
            500..=599 => Err(Failure::Server { status }),
            _ => Err(Failure::Unexpected {
                status,
                detail: String::new(),
            }),
        },
    }
}

fn missing_credentials(r: &Resolved) -> Error {
    let checked = match &r.file {
        Some(f) => format!(
            "KAGI_SESSION_TOKEN, KAGI_API_TOKEN and {} {}",
            f.display,
            match &r.profile {
                Some(p) => format!("[profiles.{p}.auth] and [auth]"),
                None => "[auth]".to_string(),
            }
        ),
        None => "KAGI_SESSION_TOKEN, KAGI_API_TOKEN; there is no config file".to_string(),
    };
    Error::Config(format!(
        "missing credentials: no session token or API token is configured (checked {checked}); run `kagi auth` to set one up, or `kagi{} auth set --session-token '<Session Link>'`",
        config::profile_flag(r.profile.as_deref())
    ))
}

fn check(profile: Option<&str>, ctx: &HostContext) -> Result<i32> {
    let resolved = config::resolve(profile)?;
    print_warnings(&resolved);
    // The primary: the preferred kind if configured, else the other one.
    let pick = [resolved.preferred, resolved.preferred.other()]
        .into_iter()
        .find(|k| !matches!(resolved.slot(*k), Slot::NotSet));
    let Some(kind) = pick else {
        return Err(missing_credentials(&resolved));
    };
    let (secret, source) = match resolved.slot(kind) {
        Slot::Set(secret, source) => (secret, source),
        Slot::Broken(_, why) => return Err(Error::Config(why.clone())),
        Slot::NotSet => unreachable!("picked a configured kind"),
    };
    log::debug(&format!(
        "auth check: checking the {} from {source} (preferred_auth = {})",
        kind.noun(),
        resolved.preferred.preference_name()
    ));
    validate(ctx, kind, secret).map_err(|f| f.into_error(kind, source))?;
    println!("auth check passed: {} ({source})", kind.label());
    Ok(exit::OK)
}

// ---------------------------------------------------------------- set

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

fn set(m: &ArgMatches, profile: Option<&str>) -> Result<i32> {
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

fn write_notes(written: &config::Written, kinds: &[Kind]) -> Vec<String> {
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

// ---------------------------------------------------------------- wizard

/// The prompts the setup needs. `Ok(None)` means the user canceled.
pub trait Prompt {
    fn say(&mut self, text: &str);
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> std::io::Result<Option<usize>>;
    fn secret(
        &mut self,
        prompt: &str,
        validate: &dyn Fn(&str) -> std::result::Result<(), String>,
    ) -> std::io::Result<Option<String>>;
    fn confirm(&mut self, prompt: &str, default: bool) -> std::io::Result<Option<bool>>;
}

/// The terminal, through dialoguer.
struct Terminal {
    theme: dialoguer::theme::ColorfulTheme,
}

impl Prompt for Terminal {
    fn say(&mut self, text: &str) {
        eprintln!("{text}");
    }

    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> std::io::Result<Option<usize>> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_opt()
            .map_err(dialoguer_io)
    }

    fn secret(
        &mut self,
        prompt: &str,
        validate: &dyn Fn(&str) -> std::result::Result<(), String>,
    ) -> std::io::Result<Option<String>> {
        dialoguer::Password::with_theme(&self.theme)
            .with_prompt(prompt)
            .validate_with(|input: &String| validate(input))
            .interact()
            .map(Some)
            .map_err(dialoguer_io)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> std::io::Result<Option<bool>> {
        dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_opt()
            .map_err(dialoguer_io)
    }
}

fn dialoguer_io(e: dialoguer::Error) -> std::io::Error {
    match e {
        dialoguer::Error::IO(e) => e,
    }
}

/// What the setup works with; the pieces tests replace.
pub struct Setup<'a> {
    pub profile: Option<&'a str>,
    pub target: ConfigFile,
    pub resolved: Resolved,
    pub keyring: &'a dyn Fn() -> std::result::Result<Keyring, String>,
    pub validate: &'a dyn Fn(Kind, &Secret) -> std::result::Result<(), Failure>,
}

fn wizard(profile: Option<&str>, ctx: &HostContext) -> Result<i32> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::Config(
            "kagi auth is interactive and needs a terminal; in scripts use `kagi auth set --session-token '<Session Link>'` or `kagi auth set --api-token <token>`, then `kagi auth status` and `kagi auth check`".into(),
        ));
    }
    let resolved = config::resolve_for_setup(profile)?;
    print_warnings(&resolved);
    let setup = Setup {
        profile,
        target: config::write_target(false)?,
        resolved,
        keyring: &Keyring::open,
        validate: &|kind, secret| validate(ctx, kind, secret),
    };
    let mut terminal = Terminal {
        theme: dialoguer::theme::ColorfulTheme::default(),
    };
    run_setup(&mut terminal, &setup)
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
        slot_line(&s.resolved.session),
        slot_line(&s.resolved.api),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// Scripted answers; records what was said.
    #[derive(Default)]
    struct Script {
        answers: VecDeque<Answer>,
        said: Vec<String>,
        asked: Vec<String>,
    }

    #[derive(Debug)]
    enum Answer {
        Pick(usize),
        Text(&'static str),
        Yes,
        No,
        Cancel,
    }

    impl Prompt for Script {
        fn say(&mut self, text: &str) {
            self.said.push(text.to_string());
        }
        fn select(
            &mut self,
            prompt: &str,
            items: &[String],
            _default: usize,
        ) -> std::io::Result<Option<usize>> {
            self.asked.push(prompt.to_string());
            match self.answers.pop_front() {
                Some(Answer::Pick(i)) => {
                    assert!(i < items.len());
                    Ok(Some(i))
                }
                Some(Answer::Cancel) => Ok(None),
                other => panic!("select {prompt:?} got {other:?}"),
            }
        }
        fn secret(
            &mut self,
            prompt: &str,
            validate: &dyn Fn(&str) -> std::result::Result<(), String>,
        ) -> std::io::Result<Option<String>> {
            self.asked.push(prompt.to_string());
            loop {
                match self.answers.pop_front() {
                    Some(Answer::Text(t)) => match validate(t) {
                        Ok(()) => return Ok(Some(t.to_string())),
                        Err(e) => self.said.push(format!("invalid: {e}")),
                    },
                    Some(Answer::Cancel) => return Ok(None),
                    other => panic!("secret {prompt:?} got {other:?}"),
                }
            }
        }
        fn confirm(&mut self, prompt: &str, default: bool) -> std::io::Result<Option<bool>> {
            self.asked.push(format!("{prompt} [{default}]"));
            match self.answers.pop_front() {
                Some(Answer::Yes) => Ok(Some(true)),
                Some(Answer::No) => Ok(Some(false)),
                Some(Answer::Cancel) => Ok(None),
                other => panic!("confirm {prompt:?} got {other:?}"),
            }
        }
    }

    fn resolved_empty(target: &ConfigFile) -> Resolved {
        Resolved {
            file: Some(target.clone()),
            profile: None,
            session: Slot::NotSet,
            api: Slot::NotSet,
            preferred: Kind::Session,
            preferred_source: Source::Default,
            warnings: Vec::new(),
        }
    }

    fn target(dir: &std::path::Path) -> ConfigFile {
        ConfigFile {
            path: dir.join("kagi.toml"),
            display: "cfg".into(),
            local: true,
        }
    }

    fn run(answers: Vec<Answer>, setup: &Setup) -> (Script, i32) {
        let mut script = Script {
            answers: answers.into(),
            ..Script::default()
        };
        let code = run_setup(&mut script, setup).unwrap();
        assert!(
            script.answers.is_empty(),
            "unused answers: {:?}",
            script.answers
        );
        (script, code)
    }

    #[test]
    fn sets_up_a_session_link_then_the_api_token() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        let keyring = Keyring::with_store(keyring_core::mock::Store::new().unwrap());
        let open = {
            let keyring = keyring.clone();
            move || Ok(keyring.clone())
        };
        let checked = std::cell::RefCell::new(Vec::new());
        let validate = |kind: Kind, s: &Secret| {
            checked.borrow_mut().push((kind, s.expose().to_string()));
            Ok(())
        };
        let setup = Setup {
            profile: None,
            target: t.clone(),
            resolved: resolved_empty(&t),
            keyring: &open,
            validate: &validate,
        };
        let (script, code) = run(
            vec![
                Answer::Pick(0),
                Answer::Text("https://kagi.com/search?q=x"),
                Answer::Text("https://kagi.com/search?token=sess.tok"),
                Answer::Pick(0),
                Answer::Yes,
                Answer::Text("api-tok"),
                Answer::Pick(1),
                Answer::Yes,
            ],
            &setup,
        );
        assert_eq!(code, 0);
        assert!(
            script
                .said
                .iter()
                .any(|s| s.contains("no token= parameter")),
            "{:?}",
            script.said
        );
        assert_eq!(
            *checked.borrow(),
            vec![
                (Kind::Session, "sess.tok".to_string()),
                (Kind::Api, "api-tok".to_string())
            ]
        );
        let text = std::fs::read_to_string(&t.path).unwrap();
        assert_eq!(
            text,
            "[auth]\nsession_token = \"sess.tok\"\napi_token_in_keyring = true\npreferred_auth = \"api\"\n"
        );
        assert_eq!(
            keyring.get("api_token").unwrap(),
            Some(Secret::new("api-tok"))
        );
        assert!(
            script
                .asked
                .contains(&"Also set up the API token? [false]".to_string())
        );
    }

    #[test]
    fn a_rejected_token_is_not_saved_unless_the_user_insists() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        let open = || Err("no keychain here".to_string());
        let validate = |_: Kind, _: &Secret| Err(Failure::SignedOut);
        let setup = Setup {
            profile: Some("work"),
            target: t.clone(),
            resolved: resolved_empty(&t),
            keyring: &open,
            validate: &validate,
        };
        let (script, _) = run(
            vec![
                Answer::Pick(0),
                Answer::Text("raw.session"),
                Answer::Pick(0),
                Answer::No,
                Answer::No,
            ],
            &setup,
        );
        assert!(!t.path.exists());
        assert!(
            script
                .said
                .iter()
                .any(|s| s.contains("your Kagi session has expired or was signed out")),
            "{:?}",
            script.said
        );
        assert!(
            script
                .asked
                .contains(&"Save it anyway? [false]".to_string())
        );

        // Out of credit: the default is to save, into the profile's block.
        let validate = |_: Kind, _: &Secret| {
            Err(Failure::OutOfCredit {
                status: 402,
                detail: String::new(),
            })
        };
        let setup = Setup {
            validate: &validate,
            ..setup
        };
        let (script, _) = run(
            vec![
                Answer::Pick(1),
                Answer::Text("api-1"),
                Answer::Pick(0),
                Answer::Yes,
                Answer::No,
            ],
            &setup,
        );
        assert!(script.asked.contains(&"Save it anyway? [true]".to_string()));
        assert_eq!(
            std::fs::read_to_string(&t.path).unwrap(),
            "[profiles.work.auth]\napi_token = \"api-1\"\n"
        );
    }

    #[test]
    fn keeps_an_existing_token_when_told_and_cancels_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        std::fs::write(&t.path, "[auth]\nsession_token = \"old\"\n").unwrap();
        let open = || Err("unused".to_string());
        let validate = |_: Kind, _: &Secret| panic!("not validated when kept");
        let mut resolved = resolved_empty(&t);
        resolved.session = Slot::Set(
            Secret::new("old"),
            Source::File {
                file: "cfg".into(),
                block: "[auth]".into(),
                profile: None,
            },
        );
        let setup = Setup {
            profile: None,
            target: t.clone(),
            resolved,
            keyring: &open,
            validate: &validate,
        };
        let (script, _) = run(
            vec![
                Answer::Pick(0),
                Answer::Text("new"),
                Answer::Pick(0),
                Answer::No,
                Answer::Cancel,
            ],
            &setup,
        );
        assert_eq!(
            script.said.last().unwrap(),
            "Canceled. Nothing more was changed."
        );
        assert_eq!(
            std::fs::read_to_string(&t.path).unwrap(),
            "[auth]\nsession_token = \"old\"\n"
        );
        let (_, code) = run(vec![Answer::Cancel], &setup);
        assert_eq!(code, 0);
    }

    #[test]
    fn failures_name_the_credential_its_source_and_the_fix() {
        let env = Source::Env("KAGI_API_TOKEN");
        let e = Failure::Rejected {
            status: 401,
            detail: "Invalid token".into(),
        }
        .into_error(Kind::Api, &env);
        assert_eq!(
            e.to_string(),
            "authentication error: auth check failed for api-token (env KAGI_API_TOKEN): Kagi rejected the API token (HTTP 401 Unauthorized; Invalid token); create a new token at https://kagi.com/settings/api and put the new value in KAGI_API_TOKEN"
        );
        let file = Source::File {
            file: "./.kagi.toml".into(),
            block: "[profiles.w.auth]".into(),
            profile: Some("w".into()),
        };
        let e = Failure::SignedOut.into_error(Kind::Session, &file);
        assert_eq!(
            e.to_string(),
            "authentication error: your Kagi session has expired or was signed out: the auth check of session-token (./.kagi.toml [profiles.w.auth]) got Kagi's sign-in page; copy a fresh Session Link from https://kagi.com/settings/user_details and run `kagi --profile w auth set --session-token '<Session Link>'`"
        );
        assert!(is_out_of_credit(
            400,
            br#"{"error":[{"code":101,"msg":"Insufficient credit to perform this request."}]}"#
        ));
        assert!(!is_out_of_credit(
            401,
            br#"{"error":[{"code":401,"msg":"Invalid token"}]}"#
        ));
    }
}
