//! `kagi auth`: the guided setup, `auth set`, `auth status` and `auth check`.

use crate::error::{Error, Result};
use crate::runtime::HostContext;
use clap::{ArgMatches, Command};

pub fn command() -> Command {
    Command::new("auth").about("Set up and check your Kagi credentials")
}

pub fn run(matches: &ArgMatches, profile: Option<&str>, ctx: &HostContext) -> Result<i32> {
    let _ = (matches, profile, ctx);
    Err(Error::Config("kagi auth is not available yet".into()))
}
