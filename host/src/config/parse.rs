//! Parsing a config file's auth blocks: `[auth]` and `[profiles.NAME.auth]`.

use super::file::ConfigFile;
use super::profile::block_name;
use crate::auth::{Kind, Secret};
use crate::error::{Error, Result};
use toml_edit::{DocumentMut, TableLike};

/// How a token appears in one auth block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TokenEntry {
    Value(Secret),
    Keyring,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Block {
    session: Option<TokenEntry>,
    api: Option<TokenEntry>,
    pub(super) preferred: Option<Kind>,
}

impl Block {
    pub(super) fn token(&self, kind: Kind) -> Option<&TokenEntry> {
        match kind {
            Kind::Session => self.session.as_ref(),
            Kind::Api => self.api.as_ref(),
        }
    }

    pub(super) fn has_plain_token(&self) -> bool {
        matches!(self.session, Some(TokenEntry::Value(_)))
            || matches!(self.api, Some(TokenEntry::Value(_)))
    }
}

/// A parsed config file.
#[derive(Debug, Clone, Default)]
pub(super) struct Parsed {
    pub(super) default: Block,
    pub(super) profiles: Vec<(String, Block)>,
}

impl Parsed {
    pub(super) fn profile(&self, name: &str) -> Option<&Block> {
        self.profiles
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b)
    }
}

/// Parses TOML text into a document, or a one-line error naming the file.
pub(super) fn parse_document(file: &ConfigFile, text: &str) -> Result<DocumentMut> {
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

pub(super) fn parse(file: &ConfigFile, text: &str) -> Result<Parsed> {
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
