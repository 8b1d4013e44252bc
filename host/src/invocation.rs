//! A plugin invocation as the runtime sees it: the command path the user
//! typed and the arguments the manifest declares, taken from clap's matches.

use clap::ArgMatches;
use kagi_manifest::{ArgKind, CommandSpec};

/// A parsed plugin command: its path and its arguments by manifest name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub path: Vec<String>,
    pub args: Vec<(String, Vec<String>)>,
}

/// Walks the matched subcommands of a plugin command and collects the
/// arguments the manifest declares at every level.
pub fn collect(top: &CommandSpec, matches: &ArgMatches) -> Parsed {
    let mut path = vec![top.name.clone()];
    let mut args = Vec::new();
    let mut spec = top;
    let mut current = matches;
    loop {
        for arg in &spec.args {
            match arg.kind {
                ArgKind::Flag => {
                    if current.get_flag(&arg.name) {
                        args.push((arg.name.clone(), Vec::new()));
                    }
                }
                _ => {
                    if let Some(raw) = current.get_raw(&arg.name) {
                        let values: Vec<String> =
                            raw.map(|v| v.to_string_lossy().into_owned()).collect();
                        args.push((arg.name.clone(), values));
                    }
                }
            }
        }
        match current.subcommand() {
            Some((name, sub_matches)) => match spec.subcommands.iter().find(|s| s.name == name) {
                Some(sub) => {
                    path.push(name.to_string());
                    spec = sub;
                    current = sub_matches;
                }
                None => break,
            },
            None => break,
        }
    }
    Parsed { path, args }
}
