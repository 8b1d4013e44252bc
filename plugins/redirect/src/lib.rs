//! The `redirect` plugin: `kagi redirect list|get|create|update|delete|
//! enable|disable|export|import`, the user's redirect rules on Kagi's
//! settings pages (cli-surface §1.21, wire protocol §6.22). It needs the
//! session and, of the settings pages, only the redirect rules'.

mod page;
mod rules;

use kagi_plugin_sdk::settings_html::args::{Import, Plain, Target};
use kagi_plugin_sdk::settings_html::sync::{Collection, import};
use kagi_plugin_sdk::{Error, FromInvocation, Invocation, Output, Plugin, Router, export_plugin};
use page::{Redirect, check_rule};
use rules::Rules;
use serde::Serialize;

/// `create RULE`.
struct Create {
    command: String,
    rule: String,
}

impl FromInvocation for Create {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Create {
            command: inv.command().join(" "),
            rule: inv.get("rule")?,
        })
    }
}

/// `update ID_OR_RULE RULE`.
struct Update {
    target: Target,
    rule: String,
}

impl FromInvocation for Update {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Update {
            target: Target::from_invocation(inv)?,
            rule: inv.get("rule")?,
        })
    }
}

#[derive(Serialize)]
struct Deleted {
    id: String,
}

#[derive(Serialize)]
struct Toggled {
    id: String,
    enabled: bool,
}

fn print<T: Serialize + ?Sized>(value: &T) -> Result<(), Error> {
    Output::json().print(value, None)
}

/// A create or update is only `None` in a dry run, which they do not have.
fn done<T>(value: Option<T>) -> Result<T, Error> {
    value.ok_or_else(|| Error::internal("a redirect change was not sent"))
}

fn toggle(t: Target, enabled: bool) -> Result<(), Error> {
    let (id, enabled) = Rules::new(&t.command).set_enabled(&t.target, enabled)?;
    print(&Toggled { id, enabled })
}

/// Reads an export and checks every rule before anything is sent.
fn import_file(i: &Import) -> Result<Vec<Redirect>, Error> {
    let items: Vec<Redirect> = i.items()?;
    for item in &items {
        check_rule(&item.rule)
            .map_err(|e| Error::config(format!("{}: '{}': {}", i.what(), item.rule, e.message)))?;
    }
    Ok(items)
}

struct Redirects;

impl Plugin for Redirects {
    fn router() -> Router {
        Router::new()
            .command(&["redirect", "list"], |a: Plain| {
                print(&Rules::new(&a.command).list()?)
            })
            .command(&["redirect", "get"], |t: Target| {
                print(&Rules::new(&t.command).get(&t.target)?)
            })
            .command(&["redirect", "create"], |c: Create| {
                print(&done(Rules::new(&c.command).create(&c.rule)?)?)
            })
            .command(&["redirect", "update"], |u: Update| {
                let rules = Rules::new(&u.target.command);
                print(&done(rules.update(&u.target.target, &u.rule)?)?)
            })
            .command(&["redirect", "delete"], |t: Target| {
                let id = Rules::new(&t.command).delete(&t.target)?;
                print(&Deleted { id })
            })
            .command(&["redirect", "enable"], |t: Target| toggle(t, true))
            .command(&["redirect", "disable"], |t: Target| toggle(t, false))
            .command(&["redirect", "export"], |a: Plain| {
                print(&Rules::new(&a.command).export()?)
            })
            .command(&["redirect", "import"], |i: Import| {
                let items = import_file(&i)?;
                let rules = Rules::new(&i.command).dry_run(i.dry_run);
                print(&import(&rules, &items)?)
            })
    }
}

export_plugin!(Redirects, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::{Credential, Manifest};

    #[test]
    fn the_session_and_only_the_redirect_pages() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert_eq!(m.capabilities.credentials, [Credential::Session]);
        assert_eq!(m.capabilities.services, ["kagi"]);
        let settings = m.capabilities.account_settings.expect("account-settings");
        assert_eq!(settings.about, "your redirect rules");
        assert_eq!(
            settings.paths,
            [
                "/settings/redirects",
                "/settings/redirects_form",
                "/rewrite_rules"
            ]
        );
        assert!(!m.capabilities.account && !m.capabilities.storage);
    }
}
