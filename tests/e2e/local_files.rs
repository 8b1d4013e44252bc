//! Local config files: kagi never writes a token through a symbolic link,
//! and never uses a config file that other users could change.

#![cfg(unix)]

use crate::support::{Env, write_private};
use kagi_mock::SESSION_TOKEN;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn auth_set_never_writes_a_token_through_a_symlinked_local_config() {
    let env = Env::new();
    let target = env.dir.path().join("shared/notes.toml");
    let original = "# someone else's file\n[auth]\npreferred_auth = \"api\"\n";
    write_private(&target, original);
    let link = env.work_dir().join(".kagi.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let refusal = "configuration error: ./.kagi.toml is a symbolic link; kagi will not write a token through it into the file it points to; replace it with a regular file and run the command again";
    env.run(&["auth", "set", "--session-token", SESSION_TOKEN])
        .fails_with(1, refusal);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), original);
    // With --keyring, it is refused before the keychain is touched.
    let keychain = env.dir.path().join("keychain");
    let mut cmd = env.command(&["auth", "set", "--keyring", "--session-token", SESSION_TOKEN]);
    cmd.env("KAGI_TEST_KEYRING_FILE", &keychain);
    crate::support::Run::from(cmd.output().unwrap()).fails_with(1, refusal);
    assert!(!keychain.exists(), "nothing was stored in the keychain");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), original);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is left as it was"
    );
    let names: Vec<String> = std::fs::read_dir(env.work_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec![".kagi.toml".to_string()],
        "no temporary file left"
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_local_config_other_users_can_change_is_refused() {
    let env = Env::new();
    let path = env.work_dir().join(".kagi.toml");
    write_private(
        &path,
        &format!("[auth]\nsession_token = \"{SESSION_TOKEN}\"\n"),
    );
    set_mode(&path, 0o664);
    env.run(&["search", "rust"]).fails_with(
        1,
        "configuration error: ./.kagi.toml can be changed by other users (mode 664), so kagi will not use it; check its contents and run `chmod 600 ./.kagi.toml`",
    );
    assert!(env.mock.requests().is_empty(), "no request with its token");
    // Nor is it rewritten.
    env.run(&["auth", "set", "--api-token", "user-api-000000000000002"])
        .fails_starting(
            1,
            "configuration error: ./.kagi.toml can be changed by other users (mode 664)",
        );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("[auth]\nsession_token = \"{SESSION_TOKEN}\"\n")
    );
    // As the message says, chmod 600 makes it usable.
    set_mode(&path, 0o600);
    assert_eq!(env.run(&["search", "rust"]).code, 0);
}

#[test]
fn a_user_config_others_can_write_is_refused() {
    let env = Env::new();
    let path = env.dir.path().join("config/kagi/config.toml");
    write_private(
        &path,
        &format!("[auth]\nsession_token = \"{SESSION_TOKEN}\"\n"),
    );
    set_mode(&path, 0o602);
    let shown = path.display();
    env.run(&["search", "rust"]).fails_with(
        1,
        &format!(
            "configuration error: {shown} can be changed by other users (mode 602), so kagi will not use it; check its contents and run `chmod 600 {shown}`"
        ),
    );
    assert!(env.mock.requests().is_empty());
}
