//! `kagi auth check`: validates the credential base search would use first
//! (cli-surface §2.2) and prints `auth check passed: <kind> (<env|config>)`.
//! `--verbose` names the file, block or keychain it came from.

use super::print_warnings;
use super::status::selected;
use super::validate::validate;
use crate::config::{self, Resolved, Slot};
use crate::error::{Error, Result, exit};
use crate::io_runtime::IoRuntime;
use crate::log;

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

pub fn run(profile: Option<&str>, io: &IoRuntime) -> Result<i32> {
    let resolved = config::resolve(profile)?;
    print_warnings(&resolved);
    let Some((kind, _)) = selected(&resolved) else {
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
    validate(io, kind, secret).map_err(|f| f.into_error(kind, source))?;
    println!("auth check passed: {} ({})", kind.label(), source.origin());
    Ok(exit::OK)
}
