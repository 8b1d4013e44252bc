//! What a plugin is linked with. The interfaces it was granted get the host's
//! implementation; any other `kagi:plugin` interface it imports gets stand-ins
//! that stop it with the denial naming the capability. So no host code behind
//! an interface a plugin was not granted can be reached at all, whatever a bug
//! in a per-call check might allow.

use super::{HostState, Stop, bindings, bindings_v0_1};
use crate::capabilities::Grants;
use crate::error::Error;
use wasmtime::Engine;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, HasSelf, Linker, ResourceType};

/// The denial for an interface that needs a capability the plugin lacks;
/// `None` for an interface every plugin gets (or one it was granted).
fn denial(grants: &Grants, interface: &str) -> Option<Error> {
    match interface {
        "http" => grants.check_network().err(),
        "storage" => grants.check_storage().err(),
        "stdin" => grants.check_stdin().err(),
        _ => None,
    }
}

/// `kagi:plugin/storage@0.2.0` → `storage`.
fn interface_name(import: &str) -> Option<&str> {
    let rest = import.strip_prefix("kagi:plugin/")?;
    Some(rest.split('@').next().unwrap_or(rest))
}

macro_rules! link_granted {
    ($api:ident, $linker:expr, $grants:expr) => {{
        use $api::kagi::plugin as p;
        let linker = $linker;
        p::types::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
        p::credentials::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
        p::settings::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
        p::terminal::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
        if denial($grants, "http").is_none() {
            p::http::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
        }
        if denial($grants, "storage").is_none() {
            p::storage::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
        }
        if denial($grants, "stdin").is_none() {
            p::stdin::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
        }
    }};
}

/// The granted interfaces of API `0.1.0` (`newest` false) or the newest.
pub(super) fn link_granted(
    linker: &mut Linker<HostState>,
    newest: bool,
    grants: &Grants,
) -> wasmtime::Result<()> {
    if newest {
        link_granted!(bindings, &mut *linker, grants);
        // The files the user named: any plugin may read what it was handed.
        bindings::kagi::plugin::files::add_to_linker::<HostState, HasSelf<HostState>>(
            linker,
            |s| s,
        )?;
    } else {
        link_granted!(bindings_v0_1, linker, grants);
    }
    Ok(())
}

/// A resource type that only stand-ins mention: nothing ever creates one.
struct Denied;

/// Stand-ins for every `kagi:plugin` interface `component` imports that the
/// plugin was not granted: each function stops the plugin with the denial.
pub(super) fn link_denied(
    linker: &mut Linker<HostState>,
    engine: &Engine,
    component: &Component,
    grants: &Grants,
) -> wasmtime::Result<()> {
    for (import, item) in component.component_type().imports(engine) {
        let Some(denied) = interface_name(import).and_then(|i| denial(grants, i)) else {
            continue;
        };
        let ComponentItem::ComponentInstance(instance) = item.ty else {
            continue;
        };
        let mut stand_in = linker.instance(import)?;
        for (name, export) in instance.exports(engine) {
            match export.ty {
                ComponentItem::ComponentFunc(_) => {
                    let denied = denied.clone();
                    stand_in.func_new(name, move |_, _, _, _| {
                        Err(Stop::Host(denied.clone()).into())
                    })?;
                }
                ComponentItem::Resource(_) => {
                    stand_in.resource(name, ResourceType::host::<Denied>(), |_, _| Ok(()))?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_named_by_their_interface() {
        assert_eq!(interface_name("kagi:plugin/storage@0.2.0"), Some("storage"));
        assert_eq!(interface_name("kagi:plugin/http@0.1.0"), Some("http"));
        assert_eq!(interface_name("wasi:io/streams@0.2.6"), None);
    }
}
