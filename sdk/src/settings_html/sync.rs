//! Export and import of a settings collection (lenses, custom bangs,
//! redirects): one import loop for every settings plugin. Import matches
//! the file's items with the account's by key, creates the missing ones,
//! updates the ones that differ and leaves the rest alone; in a dry run it
//! sends no POST and reports the requests it would have sent.

use super::{PlannedRequest, SettingsSite};
use crate::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A kind of settings item a plugin can export and import.
pub trait Collection {
    /// One item in full detail, as `export` prints it and `import` reads it.
    type Item: Serialize + DeserializeOwned;

    /// The site the collection posts through; its dry-run setting applies.
    fn site(&self) -> &SettingsSite;

    /// What an item is known by in an import's report (a lens's name, a
    /// bang's trigger, a redirect's rule).
    fn key(item: &Self::Item) -> String;

    /// Whether `existing` (from the account) is the item `wanted` (from the
    /// file) describes: by default, equal keys.
    fn same(existing: &Self::Item, wanted: &Self::Item) -> bool {
        Self::key(existing) == Self::key(wanted)
    }

    /// Every item of the account, in full detail.
    fn export(&self) -> Result<Vec<Self::Item>, Error>;

    /// Creates `item` (and brings it to the item's enabled state, if any).
    fn create(&self, item: &Self::Item) -> Result<(), Error>;

    /// Brings `existing` to `wanted`; false when they already agree, in
    /// which case nothing is sent.
    fn update(&self, existing: &Self::Item, wanted: &Self::Item) -> Result<bool, Error>;
}

/// What an import did (`{"created":[…],"updated":[…],"unchanged":[…]}`, by
/// key) or, in a dry run, would send (`{"dry_run":true,"requests":[…]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ImportReport {
    Applied {
        created: Vec<String>,
        updated: Vec<String>,
        unchanged: Vec<String>,
    },
    DryRun {
        dry_run: bool,
        requests: Vec<PlannedRequest>,
    },
}

/// Reads an export: a JSON array of items; `what` names the file in errors
/// (e.g. `lens import file 'lenses.json'`).
pub fn read_items<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<Vec<T>, Error> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = if path == "." || path.is_empty() {
            String::new()
        } else {
            format!("at `{path}`: ")
        };
        Error::config(format!(
            "{what} is not an export of this command: {at}{inner}"
        ))
    })
}

/// Creates or updates each of `items` in the account, matched by key.
/// Items are handled in the file's order; a file naming one key twice is
/// refused before anything is sent.
pub fn import<C: Collection>(collection: &C, items: &[C::Item]) -> Result<ImportReport, Error> {
    for (i, item) in items.iter().enumerate() {
        if items[..i].iter().any(|earlier| C::same(earlier, item)) {
            return Err(Error::config(format!(
                "the import file lists '{}' twice; keep one of them",
                C::key(item)
            )));
        }
    }
    let existing = collection.export()?;
    let (mut created, mut updated, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
    for wanted in items {
        match existing.iter().find(|e| C::same(e, wanted)) {
            Some(current) => {
                if collection.update(current, wanted)? {
                    updated.push(C::key(wanted));
                } else {
                    unchanged.push(C::key(wanted));
                }
            }
            None => {
                collection.create(wanted)?;
                created.push(C::key(wanted));
            }
        }
    }
    let site = collection.site();
    Ok(if site.is_dry_run() {
        ImportReport::DryRun {
            dry_run: true,
            requests: site.planned(),
        }
    } else {
        ImportReport::Applied {
            created,
            updated,
            unchanged,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Lens {
        name: String,
        sites: String,
    }

    struct Lenses {
        site: SettingsSite,
        account: Vec<Lens>,
    }

    impl Collection for Lenses {
        type Item = Lens;
        fn site(&self) -> &SettingsSite {
            &self.site
        }
        fn key(item: &Lens) -> String {
            item.name.clone()
        }
        fn same(existing: &Lens, wanted: &Lens) -> bool {
            existing.name.eq_ignore_ascii_case(&wanted.name)
        }
        fn export(&self) -> Result<Vec<Lens>, Error> {
            Ok(self.account.clone())
        }
        fn create(&self, item: &Lens) -> Result<(), Error> {
            let form = vec![
                ("name".to_string(), item.name.clone()),
                ("sites".to_string(), item.sites.clone()),
            ];
            self.site.post("/lenses/create", &form).map(|_| ())
        }
        fn update(&self, existing: &Lens, wanted: &Lens) -> Result<bool, Error> {
            if existing.sites == wanted.sites {
                return Ok(false);
            }
            let form = vec![("sites".to_string(), wanted.sites.clone())];
            self.site.post("/lenses/update", &form).map(|_| true)
        }
    }

    fn lens(name: &str, sites: &str) -> Lens {
        Lens {
            name: name.into(),
            sites: sites.into(),
        }
    }

    fn account(dry_run: bool) -> Lenses {
        Lenses {
            site: SettingsSite::new("lens settings page").dry_run(dry_run),
            account: vec![lens("Reddit", "reddit.com"), lens("News", "bbc.com")],
        }
    }

    #[test]
    fn a_dry_run_plans_only_the_creates_and_the_updates_that_change_something() {
        let file = [
            lens("reddit", "reddit.com"),
            lens("News", "apnews.com"),
            lens("Docs", "docs.rs"),
        ];
        let report = import(&account(true), &file).unwrap();
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            serde_json::json!({"dry_run": true, "requests": [
                {"method": "POST", "path": "/lenses/update", "form": [["sites", "apnews.com"]]},
                {"method": "POST", "path": "/lenses/create", "form": [["name", "Docs"], ["sites", "docs.rs"]]},
            ]})
        );
    }

    #[test]
    fn the_report_names_what_was_created_updated_and_left_alone() {
        // Not a dry run, but every item agrees: nothing is sent.
        let report = import(&account(false), &[lens("REDDIT", "reddit.com")]).unwrap();
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            r#"{"created":[],"updated":[],"unchanged":["REDDIT"]}"#
        );
    }

    #[test]
    fn a_file_naming_an_item_twice_is_refused_before_anything_is_sent() {
        let collection = account(true);
        let e = import(&collection, &[lens("Docs", "a"), lens("docs", "b")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error: the import file lists 'docs' twice; keep one of them"
        );
        assert!(collection.site.planned().is_empty());
    }

    #[test]
    fn an_import_file_must_be_a_json_array_of_items() {
        let e = read_items::<Lens>(br#"[{"name":"x"}]"#, "lens import file 'l.json'").unwrap_err();
        assert_eq!(e.class, crate::ErrorClass::Config);
        assert!(
            e.message
                .starts_with("lens import file 'l.json' is not an export of this command: at `[0]`: missing field `sites`"),
            "{}",
            e.message
        );
    }
}
