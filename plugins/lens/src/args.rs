//! The commands' arguments, as the manifest declares them.

use kagi_plugin_sdk::{Error, FromInvocation, Invocation};

/// The lens fields a command line may set; none means "as it is" (update)
/// or "the blank form's value" (create).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub included_sites: Option<String>,
    pub included_keywords: Option<String>,
    pub description: Option<String>,
    pub region: Option<String>,
    /// As given; `none` (any case) clears the date.
    pub before_date: Option<String>,
    pub after_date: Option<String>,
    pub excluded_sites: Option<String>,
    pub excluded_keywords: Option<String>,
    pub shortcut: Option<String>,
    pub autocomplete_keywords: Option<bool>,
    /// The form value: `0` (default) or `1` (news).
    pub template: Option<String>,
    pub file_type: Option<String>,
    pub share_with_team: Option<bool>,
    pub share_copy_code: Option<bool>,
}

impl FromInvocation for Changes {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let template = match inv.get_opt::<String>("template")?.as_deref() {
            None => None,
            Some("default") => Some("0".to_string()),
            Some("news") => Some("1".to_string()),
            Some(other) => {
                return Err(Error::usage(format!(
                    "invalid value '{other}' for --template (default or news)"
                )));
            }
        };
        Ok(Changes {
            included_sites: inv.get_opt("included-sites")?,
            included_keywords: inv.get_opt("included-keywords")?,
            description: inv.get_opt("description")?,
            region: inv.get_opt("region")?,
            before_date: inv.get_opt("before-date")?,
            after_date: inv.get_opt("after-date")?,
            excluded_sites: inv.get_opt("excluded-sites")?,
            excluded_keywords: inv.get_opt("excluded-keywords")?,
            shortcut: inv.get_opt("shortcut")?,
            autocomplete_keywords: inv.get_switch("autocomplete-keywords")?,
            template,
            file_type: inv.get_opt("file-type")?,
            share_with_team: inv.get_switch("share-with-team")?,
            share_copy_code: inv.get_switch("share-copy-code")?,
        })
    }
}

/// `lens create NAME [fields]`.
pub struct Create {
    pub name: String,
    pub changes: Changes,
}

impl FromInvocation for Create {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Create {
            name: inv.get("name")?,
            changes: Changes::from_invocation(inv)?,
        })
    }
}

/// `lens update ID_OR_NAME [--name NAME] [fields]`.
pub struct Update {
    pub target: String,
    pub name: Option<String>,
    pub changes: Changes,
}

impl FromInvocation for Update {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Update {
            target: inv.get("target")?,
            name: inv.get_opt("name")?,
            changes: Changes::from_invocation(inv)?,
        })
    }
}
