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

mod file;
mod parse;
mod profile;
mod resolve;
mod settings;
mod write;

pub use file::{ConfigFile, write_target};
pub use profile::{normalize_profile, profile_flag};
pub use resolve::{Resolved, Saved, Slot, load_credentials, resolve, resolve_for_setup, saved};
pub use settings::plugin_setting;
pub use write::{Change, Written, write};
