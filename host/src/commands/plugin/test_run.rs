//! `kagi plugin test`: runs a plugin file as an installed plugin runs.

use super::Runner;
use super::review::{Purpose, read_plugin_file, review_and_grant, third_party_allowed};
use crate::capabilities::{Grants, Policy};
use crate::error::{Error, Result, exit};
use crate::manifest_cli;
use clap::ArgMatches;

/// `kagi plugin test`: runs a plugin file with what the user grants it now
/// and scratch storage, so that a file calling itself `search` never sees the
/// built-in's history or site preferences.
pub(super) fn test(m: &ArgMatches, policy: &Policy, runner: &dyn Runner) -> Result<i32> {
    third_party_allowed(policy)?;
    let entry = read_plugin_file(m)?;
    let args: Vec<String> = m
        .get_many::<String>("args")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    let argv = std::iter::once("kagi".to_string()).chain(args);
    let matches = match manifest_cli::build_for_plugin(&entry.manifest).try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return Ok(code);
        }
    };
    let (command, sub) = matches.subcommand().expect("subcommand_required");
    let Some(granted) = review_and_grant(m, &entry, &[], Purpose::Test)? else {
        return Ok(exit::OK);
    };
    let grants = Grants::new(&entry.manifest, Some(&granted), policy).for_test_run();
    let scratch = tempfile::Builder::new()
        .prefix("kagi-plugin-test-")
        .tempdir()
        .map_err(|e| {
            Error::Config(format!(
                "cannot create scratch storage for the test run: {e}"
            ))
        })?;
    runner.run_plugin(&entry, grants, command, sub, scratch.path())
}
