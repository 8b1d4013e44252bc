//! The command lines of `bang custom …`, read from the manifest's arguments.

use crate::page::Bang;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation};

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

/// The `--x`/`--no-x` flag pairs, in the order of [`crate::page::CHECKBOXES`].
const SWITCHES: [&str; 5] = [
    "shortcut-menu",
    "open-snap-domain",
    "open-base-path",
    "encode-placeholder",
    "plus-for-space",
];

impl FromInvocation for Changes {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let mut flags = [None; 5];
        for (flag, name) in flags.iter_mut().zip(SWITCHES) {
            *flag = inv.get_switch(name)?;
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
