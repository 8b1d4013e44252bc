//! The `bang` plugin: `kagi bang custom list|get|create|update|delete|
//! export|import`, the user's custom bangs on Kagi's settings pages
//! (cli-surface §1.20, wire protocol §6.21). It needs the session and, of
//! the settings pages, only the custom bangs'.

mod args;
mod bangs;
mod page;

use args::Changes;
use bangs::Bangs;
use kagi_plugin_sdk::settings_html::args::{Import, Plain, Target};
use kagi_plugin_sdk::settings_html::sync::import;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation, Output, Plugin, Router, export_plugin};
use serde::Serialize;

/// `create NAME --trigger T [fields]`.
struct Create {
    command: String,
    changes: Changes,
}

impl FromInvocation for Create {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let mut changes = Changes::from_invocation(inv)?;
        changes.name = Some(inv.get("name")?);
        Ok(Create {
            command: inv.command().join(" "),
            changes,
        })
    }
}

/// `update ID_OR_NAME [--name N] [--trigger T] [fields]`.
struct Update {
    target: Target,
    changes: Changes,
}

impl FromInvocation for Update {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Update {
            target: Target::from_invocation(inv)?,
            changes: Changes::from_invocation(inv)?,
        })
    }
}

#[derive(Serialize)]
struct Deleted {
    id: String,
}

fn print<T: Serialize + ?Sized>(value: &T) -> Result<(), Error> {
    Output::json().print(value, None)
}

/// A create or update is only `None` in a dry run, which they do not have.
fn done<T>(value: Option<T>) -> Result<T, Error> {
    value.ok_or_else(|| Error::internal("a custom bang change was not sent"))
}

struct Bang;

impl Plugin for Bang {
    fn router() -> Router {
        Router::new()
            .command(&["bang", "custom", "list"], |a: Plain| {
                print(&Bangs::new(&a.command).list()?)
            })
            .command(&["bang", "custom", "get"], |t: Target| {
                print(&Bangs::new(&t.command).get(&t.target)?)
            })
            .command(&["bang", "custom", "create"], |c: Create| {
                print(&done(Bangs::new(&c.command).create(&c.changes)?)?)
            })
            .command(&["bang", "custom", "update"], |u: Update| {
                let bangs = Bangs::new(&u.target.command);
                print(&done(bangs.update(&u.target.target, &u.changes)?)?)
            })
            .command(&["bang", "custom", "delete"], |t: Target| {
                let id = Bangs::new(&t.command).delete(&t.target)?;
                print(&Deleted { id })
            })
            .command(&["bang", "custom", "export"], |a: Plain| {
                use kagi_plugin_sdk::settings_html::sync::Collection;
                print(&Bangs::new(&a.command).export()?)
            })
            .command(&["bang", "custom", "import"], |i: Import| {
                let items = i.items()?;
                let bangs = Bangs::new(&i.command).dry_run(i.dry_run);
                print(&import(&bangs, &items)?)
            })
    }
}

export_plugin!(Bang, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::manifest::{Credential, Manifest};

    #[test]
    fn the_session_and_only_the_custom_bang_pages() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert_eq!(m.capabilities.credentials, [Credential::Session]);
        assert_eq!(m.capabilities.services, ["kagi"]);
        let settings = m.capabilities.account_settings.expect("account-settings");
        assert_eq!(settings.about, "your custom bangs");
        assert_eq!(
            settings.paths,
            [
                "/settings/custom_bangs",
                "/settings/custom_bangs_form",
                "/bangs"
            ]
        );
        assert!(!m.capabilities.account && !m.capabilities.storage);
    }

    #[test]
    fn update_reads_only_what_the_command_line_names() {
        let inv = crate::test_invocation(
            &["bang", "custom", "update"],
            &[
                ("target", &["!g"]),
                ("name", &["Google2"]),
                ("no-plus-for-space", &[]),
            ],
        );
        let u = Update::from_invocation(&inv).unwrap();
        assert_eq!(u.target.command, "bang custom update");
        assert_eq!(
            u.changes,
            Changes {
                name: Some("Google2".into()),
                flags: [None, None, None, None, Some(false)],
                ..Changes::default()
            }
        );
    }

    #[test]
    fn a_trigger_loses_its_bang_and_may_not_be_empty() {
        let inv = crate::test_invocation(
            &["bang", "custom", "create"],
            &[("name", &["Docs"]), ("trigger", &["!docs"])],
        );
        let c = Create::from_invocation(&inv).unwrap();
        assert_eq!(c.changes.trigger.as_deref(), Some("docs"));
        let inv = crate::test_invocation(
            &["bang", "custom", "create"],
            &[("name", &["Docs"]), ("trigger", &["!"])],
        );
        let e = Create::from_invocation(&inv).err().unwrap();
        assert_eq!(
            e.to_string(),
            "configuration error: custom bang trigger cannot be empty"
        );
    }
}
