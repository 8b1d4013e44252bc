//! `kagi`: the host binary. It owns the command line, configuration,
//! credentials and the network; every feature is a sandboxed plugin.

mod api_versions;
mod atomic_file;
mod auth;
mod capabilities;
mod child_command;
mod cli;
mod commands;
mod config;
mod error;
mod invocation;
mod io_runtime;
mod keyring;
mod log;
mod manifest_cli;
mod multipart;
mod net;
mod output;
mod paths;
mod registry;
mod runtime;
mod sanitize;
mod secrets;
mod storage;
mod wasm_manifest;

use error::{Error, exit};
use std::path::PathBuf;
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
    let data_dir = paths::data_dir()?;
    let policy = capabilities::Policy::load()?;
    let registry = registry::Registry::load(&data_dir, policy.allow_third_party != Some(false))?;
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

    let host = Host {
        data_dir,
        profile: matches.get_one::<String>("profile").cloned(),
    };
    match name {
        "plugin" => commands::plugin::run(sub_matches, &registry, &policy, &host),
        "auth" => commands::auth::run(sub_matches, host.profile.as_deref()),
        "mcp" => commands::mcp::run(sub_matches, host.profile.clone(), &policy),
        "notify" => commands::notify::run(
            sub_matches,
            &registry,
            &policy,
            host.profile.as_deref(),
            &paths::state_dir(&host.data_dir),
        ),
        _ => {
            let entry = registry
                .find_command(name)
                .ok_or_else(|| Error::Usage(format!("unknown command `{name}`")))?;
            let grants = commands::plugin::grants_for(entry, &policy);
            let state_dir = paths::state_dir(&host.data_dir);
            commands::plugin::Runner::run_plugin(
                &host,
                entry,
                grants,
                name,
                sub_matches,
                &state_dir,
            )
        }
    }
}

/// What every command shares: where data lives and the selected profile.
struct Host {
    data_dir: PathBuf,
    profile: Option<String>,
}

impl Host {
    /// The host services a plugin run needs, with its storage under
    /// `data_dir`; credentials load only when asked for.
    fn context_with_storage_in(
        &self,
        data_dir: &std::path::Path,
    ) -> Result<runtime::HostContext, Error> {
        let profile = self.profile.clone();
        runtime::HostContext::new(
            data_dir.to_path_buf(),
            Box::new(move || config::load_credentials(profile.as_deref())),
        )
    }
}

impl commands::plugin::Runner for Host {
    fn run_plugin(
        &self,
        entry: &registry::PluginEntry,
        grants: capabilities::Grants,
        name: &str,
        matches: &clap::ArgMatches,
        data_dir: &std::path::Path,
    ) -> Result<i32, Error> {
        let spec = entry
            .manifest
            .commands
            .iter()
            .find(|c| c.name == name)
            .expect("the command was matched from this manifest");
        let parsed = invocation::collect(spec, matches);
        // The command runs with its own capabilities and limits, within the plugin's.
        let grants = grants.for_command(&entry.manifest, &parsed.path);
        log::debug(&format!(
            "plugin {}: command `{}` runs with limits: {}",
            entry.name(),
            parsed.path.join(" "),
            grants.limits
        ));
        let runtime = runtime::Runtime::new(&paths::cache_dir()?)?;
        let context = self.context_with_storage_in(data_dir)?;
        runtime.run(entry, grants, &parsed, Arc::new(context))?;
        Ok(exit::OK)
    }
}
