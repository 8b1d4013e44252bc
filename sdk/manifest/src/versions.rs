//! Which plugin API versions a host carrying some bindings can load.

/// Whether a plugin built for API `plugin` can be loaded by a binding of
/// version `binding`: the same major version, or for 0.x the same minor; and
/// not newer than the binding.
pub fn api_compatible(plugin: &str, binding: &str) -> bool {
    match (parse_version(plugin), parse_version(binding)) {
        (Some(p), Some(h)) => {
            if p.0 != h.0 {
                false
            } else if p.0 == 0 {
                p.1 == h.1 && p.2 <= h.2
            } else {
                p.1 <= h.1
            }
        }
        _ => false,
    }
}

/// The rule of a host: it speaks every API version it carries a binding for
/// (`carried`, e.g. `["0.1.0", "0.2.0"]`). Returns the carried version that
/// loads a plugin built for `plugin`, the newest compatible one, or none: the
/// host refuses the plugin.
pub fn api_binding<'a>(plugin: &str, carried: &[&'a str]) -> Option<&'a str> {
    carried
        .iter()
        .rev()
        .find(|binding| api_compatible(plugin, binding))
        .copied()
}

pub(crate) fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.trim().splitn(3, '.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch = parts.next()?.split(['-', '+']).next()?.parse().ok()?;
    Some((major, minor, patch))
}
