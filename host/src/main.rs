//! `kagi`: the host binary. It owns the command line, configuration,
//! credentials and the network; every feature is a sandboxed plugin.

mod auth;
mod auth_cmd;
mod capabilities;
mod cli;
mod config;
mod error;
mod keyring;
mod log;
mod net;
mod output;
mod paths;
mod registry;
mod runtime;
mod storage;
mod wasm_manifest;

use error::{Error, exit};
use std::sync::Arc;

fn main() {
    std::process::exit(run());
}

fn run() -> i32 {
    match dispatch() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}

fn dispatch() -> Result<i32, Error> {
    let data_dir = paths::data_dir();
    let registry = registry::Registry::load(&data_dir)?;
    let matches = match cli::build(&registry).try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return Ok(code);
        }
    };

    if matches.get_flag("verbose") {
        log::set_verbose();
    }

    if let Some(shell) = matches.get_one::<String>("generate-completion") {
        if matches.subcommand().is_some() {
            return Err(Error::Config(
                "--generate-completion cannot be used with a command".into(),
            ));
        }
        cli::completion(&registry, shell, &mut std::io::stdout());
        return Ok(exit::OK);
    }

    let Some((name, sub_matches)) = matches.subcommand() else {
        // Only global options were given: show the help, as with no arguments.
        let _ = cli::build(&registry).write_help(&mut std::io::stderr());
        return Ok(exit::USAGE);
    };

    let profile = matches.get_one::<String>("profile").cloned();
    match name {
        "plugin" => return plugin_command(sub_matches, data_dir, profile),
        "auth" => {
            let ctx = host_context(data_dir, profile.clone())?;
            return auth_cmd::run(sub_matches, profile.as_deref(), &ctx);
        }
        _ => {}
    }
    let entry = registry
        .find_command(name)
        .ok_or_else(|| Error::Usage(format!("unknown command `{name}`")))?;
    run_plugin(entry, &entry.manifest, name, sub_matches, data_dir, profile)
}

/// The host services a command needs; credentials load only when asked for.
fn host_context(
    data_dir: std::path::PathBuf,
    profile: Option<String>,
) -> Result<runtime::HostContext, Error> {
    runtime::HostContext::new(
        data_dir,
        Box::new(move || config::load_credentials(profile.as_deref())),
    )
}

/// Runs the plugin command `name` with its parsed arguments.
fn run_plugin(
    entry: &registry::PluginEntry,
    manifest: &kagi_manifest::Manifest,
    name: &str,
    matches: &clap::ArgMatches,
    data_dir: std::path::PathBuf,
    profile: Option<String>,
) -> Result<i32, Error> {
    let spec = manifest
        .commands
        .iter()
        .find(|c| c.name == name)
        .expect("the command was matched from this manifest");
    let parsed = cli::collect(spec, matches);
    let policy = capabilities::Policy::load()?;
    let grants = capabilities::Grants::from_manifest(manifest, &policy);
    let runtime = runtime::Runtime::new(&paths::cache_dir())?;
    let ctx = Arc::new(host_context(data_dir, profile)?);
    runtime.run(entry, grants, &parsed, ctx)?;
    Ok(exit::OK)
}

fn plugin_command(
    matches: &clap::ArgMatches,
    data_dir: std::path::PathBuf,
    profile: Option<String>,
) -> Result<i32, Error> {
    match matches.subcommand() {
        Some(("test", m)) => {
            let path = std::path::PathBuf::from(m.get_one::<String>("path").expect("required"));
            let entry = registry::PluginEntry::from_file(&path)?;
            let args: Vec<String> = m
                .get_many::<String>("args")
                .map(|v| v.cloned().collect())
                .unwrap_or_default();
            let argv = std::iter::once("kagi".to_string()).chain(args);
            let matches = match cli::build_for_plugin(&entry.manifest).try_get_matches_from(argv) {
                Ok(m) => m,
                Err(e) => {
                    let code = e.exit_code();
                    let _ = e.print();
                    return Ok(code);
                }
            };
            let (name, sub) = matches.subcommand().expect("subcommand_required");
            run_plugin(&entry, &entry.manifest, name, sub, data_dir, profile)
        }
        _ => unreachable!("clap requires a plugin subcommand"),
    }
}
