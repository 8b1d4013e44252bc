//! Picking the settings item a command line names.

use crate::Error;

/// The item `target` names: the first for which `exact` holds (an id, a
/// trigger…), else the only one whose `name` equals `target` ignoring case.
/// No match → `not_found()`; several names alike → a configuration error
/// that says to use the id.
pub fn resolve<'a, T>(
    items: &'a [T],
    target: &str,
    exact: impl Fn(&T, &str) -> bool,
    name: impl Fn(&T) -> &str,
    not_found: impl FnOnce() -> Error,
) -> Result<&'a T, Error> {
    if let Some(item) = items.iter().find(|item| exact(item, target)) {
        return Ok(item);
    }
    let wanted = target.to_lowercase();
    let named: Vec<&T> = items
        .iter()
        .filter(|item| name(item).to_lowercase() == wanted)
        .collect();
    match named.as_slice() {
        [] => Err(not_found()),
        [one] => Ok(one),
        many => Err(Error::config(format!(
            "{} items are named '{target}' (ignoring case); use the id to pick one",
            many.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        id: &'static str,
        name: &'static str,
    }

    const ITEMS: &[Item] = &[
        Item {
            id: "1",
            name: "Reddit",
        },
        Item {
            id: "2",
            name: "News",
        },
        Item {
            id: "3",
            name: "news",
        },
        Item { id: "4", name: "2" },
    ];

    fn pick(target: &str) -> Result<&'static str, Error> {
        resolve(
            ITEMS,
            target,
            |i, t| i.id == t,
            |i| i.name,
            || Error::config(format!("no lens matched '{target}'")),
        )
        .map(|i| i.id)
    }

    #[test]
    fn an_exact_id_wins_over_a_name() {
        assert_eq!(pick("2").unwrap(), "2");
        assert_eq!(pick("4").unwrap(), "4");
    }

    #[test]
    fn a_unique_name_matches_ignoring_case() {
        assert_eq!(pick("REDDIT").unwrap(), "1");
    }

    #[test]
    fn no_match_is_the_callers_error() {
        assert_eq!(pick("gone").unwrap_err().message, "no lens matched 'gone'");
    }

    #[test]
    fn an_ambiguous_name_asks_for_the_id() {
        let e = pick("NEWS").unwrap_err();
        assert_eq!(e.class, crate::ErrorClass::Config);
        assert_eq!(
            e.message,
            "2 items are named 'NEWS' (ignoring case); use the id to pick one"
        );
    }
}
