//! The command lines of `assistant custom …`, as the manifest declares them.

use super::page::Details;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation};

/// The `custom-assistant-fields` group plus `--name`: what the command line
/// names; every other field stays as the form has it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub name: Option<String>,
    pub bang_trigger: Option<String>,
    pub internet_access: Option<bool>,
    pub selected_lens: Option<String>,
    pub personalizations: Option<bool>,
    pub base_model: Option<String>,
    pub custom_instructions: Option<String>,
}

impl FromInvocation for Changes {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let name: Option<String> = inv.get_opt("name")?;
        if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(Error::config("custom assistant name cannot be empty"));
        }
        Ok(Changes {
            name,
            bang_trigger: inv.get_opt("bang-trigger")?,
            internet_access: inv.get_switch("web-access")?,
            selected_lens: inv.get_opt("lens")?,
            personalizations: inv.get_switch("personalized")?,
            base_model: inv.get_opt("model")?,
            custom_instructions: inv.get_opt("instructions")?,
        })
    }
}

impl Changes {
    /// Sets the fields named on the command line; the rest stay.
    pub fn apply(&self, details: &mut Details) {
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(v) = value {
                field.clone_from(v);
            }
        };
        set(&mut details.name, &self.name);
        set(&mut details.selected_lens, &self.selected_lens);
        set(&mut details.base_model, &self.base_model);
        set(&mut details.custom_instructions, &self.custom_instructions);
        if let Some(trigger) = &self.bang_trigger {
            details.bang_trigger = Some(trigger.clone()).filter(|t| !t.is_empty());
        }
        if let Some(on) = self.internet_access {
            details.internet_access = on;
        }
        if let Some(on) = self.personalizations {
            details.personalizations = on;
        }
    }
}

/// `create NAME [fields]`: the positional name is required.
pub struct Create {
    pub changes: Changes,
}

impl FromInvocation for Create {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Create {
            changes: Changes::from_invocation(inv)?,
        })
    }
}

/// `update ID_OR_NAME [--name N] [fields]`.
pub struct Update {
    pub target: String,
    pub changes: Changes,
}

impl FromInvocation for Update {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Update {
            target: inv.get("target")?,
            changes: Changes::from_invocation(inv)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_reads_only_what_the_command_line_names() {
        let inv = crate::test_invocation(
            &["assistant", "custom", "update"],
            &[
                ("target", &["writer"]),
                ("lens", &["7"]),
                ("no-web-access", &[]),
            ],
        );
        let u = Update::from_invocation(&inv).unwrap();
        assert_eq!(u.target, "writer");
        assert_eq!(
            u.changes,
            Changes {
                selected_lens: Some("7".into()),
                internet_access: Some(false),
                ..Changes::default()
            }
        );
    }

    #[test]
    fn a_blank_name_is_refused() {
        let inv = crate::test_invocation(&["assistant", "custom", "create"], &[("name", &[" "])]);
        assert_eq!(
            Create::from_invocation(&inv).err().unwrap().to_string(),
            "configuration error: custom assistant name cannot be empty"
        );
    }
}
