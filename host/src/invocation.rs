//! A plugin invocation as the runtime sees it: the command path the user
//! typed and the arguments the manifest declares, taken from clap's matches.

use clap::ArgMatches;
use kagi_manifest::{ArgKind, CommandSpec, ValueType};

/// A parsed plugin command: its path and its arguments by manifest name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub path: Vec<String>,
    pub args: Vec<(String, Vec<String>)>,
    /// Values of `file` arguments, which the host reads for the plugin.
    pub files: Vec<Named>,
    /// Values of destination `url` arguments, granted for this run.
    pub destinations: Vec<Named>,
    /// Values of `output-file` arguments, which the host writes for the plugin.
    pub outputs: Vec<Named>,
}

/// A value the user gave an argument that the host acts on itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The argument's manifest name.
    pub arg: String,
    /// How the user wrote it: `--attach` or `<file>`, for messages.
    pub flag: String,
    pub value: String,
}

/// Walks the matched subcommands of a plugin command and collects the
/// arguments the manifest declares at every level.
pub fn collect(top: &CommandSpec, matches: &ArgMatches) -> Parsed {
    let mut path = vec![top.name.clone()];
    let mut args = Vec::new();
    let (mut files, mut destinations, mut outputs) = (Vec::new(), Vec::new(), Vec::new());
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
                        let acted_on = match arg.value_type {
                            ValueType::File => Some(&mut files),
                            ValueType::Url if arg.destination => Some(&mut destinations),
                            ValueType::OutputFile => Some(&mut outputs),
                            _ => None,
                        };
                        if let Some(list) = acted_on {
                            let flag = match arg.long_name() {
                                Some(long) => format!("--{long}"),
                                None => format!("<{}>", arg.name),
                            };
                            list.extend(values.iter().map(|value| Named {
                                arg: arg.name.clone(),
                                flag: flag.clone(),
                                value: value.clone(),
                            }));
                        }
                        // The plugin sees a file's name, never where it is.
                        let values = match arg.value_type {
                            ValueType::File | ValueType::OutputFile => values
                                .iter()
                                .map(|v| file_name(v).unwrap_or_default())
                                .collect(),
                            _ => values,
                        };
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
    Parsed {
        path,
        args,
        files,
        destinations,
        outputs,
    }
}

/// A path's last component, the name a plugin sees; none for `..` or `/`.
pub fn file_name(path: &str) -> Option<String> {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
}
