//! Settings the user chose for this plugin (config file or environment), as the
//! host reports them. Unknown names are simply unset.

use crate::bindings::kagi::plugin::settings as wit;

/// The raw value of setting `name`, if set.
pub fn get(name: &str) -> Option<String> {
    wit::get(name)
}

/// A yes/no setting: `off`, `false`, `no`, `0` and `disabled` (any case) are
/// false; other non-empty values are true; unset gives `default`.
pub fn enabled(name: &str, default: bool) -> bool {
    parse_switch(get(name).as_deref(), default)
}

/// The rule behind [`enabled`].
pub fn parse_switch(value: Option<&str>, default: bool) -> bool {
    match value.map(str::trim) {
        None | Some("") => default,
        Some(v) => !matches!(
            v.to_ascii_lowercase().as_str(),
            "off" | "false" | "no" | "0" | "disabled"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_switch;

    #[test]
    fn switches() {
        assert!(parse_switch(None, true));
        assert!(!parse_switch(None, false));
        assert!(!parse_switch(Some("OFF"), true));
        assert!(!parse_switch(Some(" 0 "), true));
        assert!(parse_switch(Some("on"), false));
        assert!(parse_switch(Some(""), true));
    }
}
