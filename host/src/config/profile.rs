//! Profile names, and the auth block each one selects.

use crate::error::{Error, Result};

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

/// ` --profile NAME` for a command a user should run, or nothing.
pub fn profile_flag(profile: Option<&str>) -> String {
    match profile {
        Some(p) => format!(" --profile {p}"),
        None => String::new(),
    }
}

pub(super) fn block_name(profile: Option<&str>) -> String {
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
