//! The command lines of `bang custom …`, read from the manifest's arguments.

use crate::page::Bang;
use kagi_plugin_sdk::files::NamedFile;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation};

/// The command path as users type it (`bang custom update`), for messages.
pub fn command_of(inv: &Invocation) -> String {
    inv.command().join(" ")
}

/// `ID_OR_NAME` of get, update and delete.
pub struct Target {
    pub command: String,
    pub target: String,
}

impl FromInvocation for Target {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Target {
            command: command_of(inv),
            target: inv.get("target")?,
        })
    }
}

/// A command without arguments (list, export): only its name, for messages.
pub struct Plain {
    pub command: String,
}

impl FromInvocation for Plain {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Plain {
            command: command_of(inv),
        })
    }
}

/// The `bang-fields` group plus `--name`/`--trigger`: what the command line
/// names; everything else stays as the form has it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub name: Option<String>,
    pub trigger: Option<String>,
    pub template: Option<String>,
    pub snap_domain: Option<String>,
    pub regex_pattern: Option<String>,
    /// In the order of [`crate::page::CHECKBOXES`].
    pub flags: [Option<bool>; 5],
}

/// The flag pairs, in the order of [`crate::page::CHECKBOXES`].
const FLAG_PAIRS: [(&str, &str); 5] = [
    ("shortcut-menu", "no-shortcut-menu"),
    ("open-snap-domain", "no-open-snap-domain"),
    ("open-base-path", "no-open-base-path"),
    ("encode-placeholder", "no-encode-placeholder"),
    ("plus-for-space", "no-plus-for-space"),
];

impl FromInvocation for Changes {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let mut flags = [None; 5];
        for (flag, (on, off)) in flags.iter_mut().zip(FLAG_PAIRS) {
            *flag = match (inv.get_flag(on)?, inv.get_flag(off)?) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
        }
        let trigger = inv
            .get_opt::<String>("trigger")?
            .map(|t| t.trim_start_matches('!').to_string());
        if trigger.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(Error::config("custom bang trigger cannot be empty"));
        }
        Ok(Changes {
            name: inv.get_opt("name")?,
            trigger,
            template: inv.get_opt("template")?,
            snap_domain: inv.get_opt("snap-domain")?,
            regex_pattern: inv.get_opt("regex-pattern")?,
            flags,
        })
    }
}

impl Changes {
    /// Sets the fields the command line names.
    pub fn apply(&self, bang: &mut Bang) {
        for (field, value) in [
            (&mut bang.name, &self.name),
            (&mut bang.trigger, &self.trigger),
            (&mut bang.template, &self.template),
            (&mut bang.snap_domain, &self.snap_domain),
            (&mut bang.regex_pattern, &self.regex_pattern),
        ] {
            if let Some(value) = value {
                *field = value.clone();
            }
        }
        for (field, value) in bang.flags_mut().into_iter().zip(self.flags) {
            if let Some(value) = value {
                *field = value;
            }
        }
    }
}

/// `import FILE [--dry-run]`.
pub struct Import {
    pub command: String,
    pub file: NamedFile,
    pub dry_run: bool,
}

impl FromInvocation for Import {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let dry_run = inv.get_flag("dry-run")?;
        let file = inv
            .files("file")
            .first()
            .map(|f| (*f).clone())
            .ok_or_else(|| Error::config("import needs the FILE written by export"))?;
        Ok(Import {
            command: command_of(inv),
            file,
            dry_run,
        })
    }
}
