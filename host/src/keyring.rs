//! The system keychain (macOS Keychain, Windows Credential Manager, the
//! Secret Service on Linux and BSD), through the `keyring` crate family.
//! A token stored here is recorded in `.kagi.toml` only as
//! `session_token_in_keyring = true`; the value lives in the keychain under
//! the service `kagi` and an account named after the config block.
//!
//! Backends:
//! - the platform store (`keyring`'s default), always in release builds;
//! - in debug builds only, `KAGI_TEST_KEYRING_FILE=<path>` selects
//!   keyring-core's sample store backed by that file, so the end-to-end
//!   tests can store a token in one `kagi` process and read it in the next
//!   without touching (or needing) a real keychain;
//! - unit tests use keyring-core's in-memory mock store, which can also be
//!   told to fail.

use crate::auth::{Kind, Secret};
use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use std::sync::Arc;

pub const SERVICE: &str = "kagi";

/// The test-only switch to a file-backed store (ignored in release builds).
pub const TEST_FILE_VAR: &str = "KAGI_TEST_KEYRING_FILE";

#[derive(Clone)]
enum Backend {
    Platform,
    /// keyring-core's sample store, saved to its file after every change.
    SampleFile(Arc<keyring_core::sample::Store>),
    /// Any other store (the mock, in unit tests).
    #[cfg_attr(not(test), allow(dead_code))]
    Store(Arc<CredentialStore>),
}

#[derive(Clone)]
pub struct Keyring {
    backend: Backend,
}

/// The keychain account for a token kind in a config block
/// (`session_token` for `[auth]`, `profiles.work.session_token` for a profile).
pub fn account(kind: Kind, profile: Option<&str>) -> String {
    match profile {
        None => kind.config_key().to_string(),
        Some(p) => format!("profiles.{p}.{}", kind.config_key()),
    }
}

impl Keyring {
    /// The keychain this process uses.
    pub fn open() -> Result<Keyring, String> {
        if cfg!(debug_assertions)
            && let Some(path) = std::env::var_os(TEST_FILE_VAR).filter(|p| !p.is_empty())
        {
            let path = path
                .into_string()
                .map_err(|_| format!("{TEST_FILE_VAR} is not valid UTF-8"))?;
            let store = keyring_core::sample::Store::new_with_backing(&path)
                .map_err(|e| format!("the test keychain file cannot be read: {e}"))?;
            return Ok(Keyring {
                backend: Backend::SampleFile(store),
            });
        }
        Ok(Keyring {
            backend: Backend::Platform,
        })
    }

    /// A keychain backed by `store` (unit tests).
    #[cfg(test)]
    pub fn with_store(store: Arc<CredentialStore>) -> Keyring {
        Keyring {
            backend: Backend::Store(store),
        }
    }

    /// A description of the backend for messages.
    pub fn describe(&self) -> &'static str {
        match self.backend {
            Backend::Platform => "the system keychain",
            Backend::SampleFile(_) => "the test keychain file",
            Backend::Store(_) => "the keychain",
        }
    }

    fn entry(&self, account: &str) -> Result<Entry, String> {
        let result = match &self.backend {
            Backend::Platform => match keyring::Entry::new(SERVICE, account) {
                Ok(entry) => Ok(entry.inner),
                Err(KeyringError::NoDefaultStore) => {
                    // Say why the platform store could not be opened.
                    return Err(match keyring::Entry::store_status() {
                        Err(e) => describe_error(e),
                        Ok(()) => describe_error(&KeyringError::NoDefaultStore),
                    });
                }
                Err(e) => Err(e),
            },
            Backend::SampleFile(store) => {
                let store: Arc<CredentialStore> = store.clone();
                Entry::new_in_store(&store, SERVICE, account)
            }
            Backend::Store(store) => Entry::new_in_store(store, SERVICE, account),
        };
        result.map_err(|e| describe_error(&e))
    }

    fn saved(&self) -> Result<(), String> {
        if let Backend::SampleFile(store) = &self.backend {
            store.save().map_err(|e| describe_error(&e))?;
        }
        Ok(())
    }

    /// The token stored for `account`, or `None` if there is none.
    pub fn get(&self, account: &str) -> Result<Option<Secret>, String> {
        let entry = self.entry(account)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(describe_error(&e)),
        }
    }

    pub fn set(&self, account: &str, secret: &Secret) -> Result<(), String> {
        let entry = self.entry(account)?;
        entry
            .set_password(secret.expose())
            .map_err(|e| describe_error(&e))?;
        self.saved()
    }

    /// Removes the token for `account`; a missing one is not an error.
    pub fn delete(&self, account: &str) -> Result<(), String> {
        let entry = self.entry(account)?;
        match entry.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => self.saved(),
            Err(e) => Err(describe_error(&e)),
        }
    }
}

/// A keychain error in words, without any data it might carry (a
/// `BadEncoding` error holds the stored bytes, which could be a token).
fn describe_error(e: &KeyringError) -> String {
    match e {
        KeyringError::PlatformFailure(inner) => format!("the keychain failed: {inner}"),
        KeyringError::NoStorageAccess(inner) => {
            format!("the keychain cannot be reached or is locked: {inner}")
        }
        KeyringError::NoEntry => "no such entry in the keychain".into(),
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            "the keychain entry does not hold a readable token".into()
        }
        KeyringError::BadStoreFormat(reason) => {
            format!("the keychain's data is malformed: {reason}")
        }
        KeyringError::TooLong(name, len) => {
            format!("the keychain does not accept a {name} longer than {len} characters")
        }
        KeyringError::Invalid(attr, reason) => format!("the keychain rejected {attr}: {reason}"),
        KeyringError::Ambiguous(items) => format!(
            "the keychain has {} entries for this account; remove the extra ones",
            items.len()
        ),
        KeyringError::NoDefaultStore => "no keychain is available on this system".into(),
        KeyringError::NotSupportedByStore(what) => {
            format!("the keychain does not support this: {what}")
        }
        other => format!("the keychain failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock() -> Keyring {
        Keyring::with_store(keyring_core::mock::Store::new().unwrap())
    }

    #[test]
    fn stores_reads_and_deletes_through_the_mock_store() {
        let k = mock();
        let acct = account(Kind::Session, Some("work"));
        assert_eq!(acct, "profiles.work.session_token");
        assert_eq!(k.get(&acct).unwrap(), None);
        k.set(&acct, &Secret::new("sess-abc")).unwrap();
        assert_eq!(k.get(&acct).unwrap(), Some(Secret::new("sess-abc")));
        // Another account is separate.
        assert_eq!(k.get(&account(Kind::Api, None)).unwrap(), None);
        k.delete(&acct).unwrap();
        assert_eq!(k.get(&acct).unwrap(), None);
        k.delete(&acct).unwrap();
    }

    #[test]
    fn a_failing_keychain_is_an_error_message_not_a_panic() {
        let store = keyring_core::mock::Store::new().unwrap();
        let k = Keyring::with_store(store.clone());
        let entry = Entry::new_in_store(
            &(store.clone() as Arc<CredentialStore>),
            SERVICE,
            "api_token",
        )
        .unwrap();
        let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(KeyringError::NoStorageAccess(Box::new(
            std::io::Error::other("locked"),
        )));
        let err = k.get("api_token").unwrap_err();
        assert_eq!(err, "the keychain cannot be reached or is locked: locked");
        cred.set_error(KeyringError::BadEncoding(b"secret-bytes".to_vec()));
        let err = k.get("api_token").unwrap_err();
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn the_sample_file_store_persists_between_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.ron");
        let open = || Keyring {
            backend: Backend::SampleFile(
                keyring_core::sample::Store::new_with_backing(path.to_str().unwrap()).unwrap(),
            ),
        };
        open().set("api_token", &Secret::new("api-xyz")).unwrap();
        assert_eq!(
            open().get("api_token").unwrap(),
            Some(Secret::new("api-xyz"))
        );
        open().delete("api_token").unwrap();
        assert_eq!(open().get("api_token").unwrap(), None);
    }
}
