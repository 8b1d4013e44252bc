//! `kagi-plugin-sdk`: everything a kagi plugin author depends on.
//!
//! A plugin is a crate built for `wasm32-wasip2` with `crate-type = ["cdylib", "rlib"]`.
//! It implements [`Plugin`] and invokes [`export_plugin!`] once with the path of its
//! manifest (a TOML file next to its `Cargo.toml`):
//!
//! ```ignore
//! use kagi_plugin_sdk::{export_plugin, out, Error, Invocation, Plugin};
//!
//! struct Hello;
//!
//! impl Plugin for Hello {
//!     fn run(inv: Invocation) -> Result<(), Error> {
//!         let name = inv.value("name").unwrap_or("world");
//!         out::println(&format!("hello, {name}"));
//!         Ok(())
//!     }
//! }
//!
//! export_plugin!(Hello, "kagi-plugin.toml");
//! ```
//!
//! The host parses arguments from the manifest before the plugin runs, attaches
//! credentials to requests the plugin makes through [`http`], and maps the
//! returned [`Error`] to the stderr prefix and exit code users know. Plugins never
//! see a token. See `sdk/README.md` for the whole guide.

pub mod answer;
pub mod answer_view;
pub mod args;
pub mod cache;
pub mod command;
pub mod credentials;
pub mod error;
pub mod files;
pub mod http;
pub mod multipart;
pub mod out;
pub mod output;
pub mod render;
pub mod settings;
#[cfg(feature = "html")]
pub mod settings_html;
pub mod stdin;
pub mod storage;
pub mod stream;
pub mod summarizer;
pub mod terminal;

pub use args::Invocation;
pub use command::{FromInvocation, Router};
pub use error::{Error, ErrorClass};
pub use kagi_manifest as manifest;
pub use kagi_protocol as protocol;
pub use output::{Output, OutputArgs};

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        world: "plugin",
        path: "../wit",
        pub_export_macro: true,
        export_macro_name: "__export_plugin_world",
        default_bindings_module: "kagi_plugin_sdk::bindings",
    });
}

/// A credential the host attaches: `Session`, `Api`, or `Translate` (the
/// session plus the translate service's session, which the host mints and
/// also puts into the body in place of
/// [`http::TRANSLATE_SESSION_PLACEHOLDER`]; for the `translate` service).
pub use bindings::kagi::plugin::types::Credential;

/// What a plugin implements: its [`Router`] (from command paths to handlers),
/// or, routing by hand, `run`.
pub trait Plugin {
    /// Runs one command invocation; by default through [`Plugin::router`].
    fn run(invocation: Invocation) -> Result<(), Error> {
        Self::router().run(&invocation)
    }

    /// The plugin's commands. [`export_plugin!`] adds a unit test that checks
    /// it against the manifest ([`Router::check`]).
    fn router() -> Router {
        Router::new()
    }
}

/// Glue between the generated export trait and a [`Plugin`]. Used by [`export_plugin!`].
#[doc(hidden)]
pub fn __run<P: Plugin>(
    invocation: bindings::exports::kagi::plugin::command::Invocation,
    manifest: &[u8],
) -> Result<Option<String>, bindings::exports::kagi::plugin::command::Error> {
    let mut invocation = Invocation::from_wit(invocation);
    // The typed accessors check names against the command's manifest entry.
    if let Some(manifest) = std::str::from_utf8(manifest)
        .ok()
        .and_then(|text| kagi_manifest::Manifest::parse(text).ok())
    {
        invocation = invocation.declared_by(&manifest);
    }
    let result = P::run(invocation);
    // Taken either way, so that a failed command never hands one over.
    let value = out::take_result();
    result.map(|()| value).map_err(Error::into_wit)
}

/// Builds the manifest section: a header the SDK stamps (API version and the
/// crate's version), the author's TOML, then the SDK's argument groups
/// (`arg-groups.toml`: `output`, `settings-import`, `answer-output`).
#[doc(hidden)]
pub const fn __manifest_len(package_version: &str, body: &[u8]) -> usize {
    HEADER_API.len()
        + kagi_manifest::API_VERSION.len()
        + HEADER_VERSION.len()
        + package_version.len()
        + HEADER_END.len()
        + body.len()
        + SDK_ARG_GROUPS.len()
}

/// Starts with a newline, so it follows a body without a final one.
const SDK_ARG_GROUPS: &[u8] = include_bytes!("arg-groups.toml");

const HEADER_API: &[u8] = b"api = \"";
const HEADER_VERSION: &[u8] = b"\"\npackage-version = \"";
const HEADER_END: &[u8] = b"\"\n";

#[doc(hidden)]
pub const fn __manifest_bytes<const N: usize>(package_version: &str, body: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    at = copy_into(&mut out, at, HEADER_API);
    at = copy_into(&mut out, at, kagi_manifest::API_VERSION.as_bytes());
    at = copy_into(&mut out, at, HEADER_VERSION);
    at = copy_into(&mut out, at, package_version.as_bytes());
    at = copy_into(&mut out, at, HEADER_END);
    at = copy_into(&mut out, at, body);
    at = copy_into(&mut out, at, SDK_ARG_GROUPS);
    assert!(at == N, "manifest length mismatch");
    out
}

const fn copy_into<const N: usize>(out: &mut [u8; N], mut at: usize, bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        out[at] = bytes[i];
        at += 1;
        i += 1;
    }
    at
}

/// Exports a [`Plugin`] and embeds its manifest.
///
/// `export_plugin!(MyPlugin, "kagi-plugin.toml")` reads the manifest relative to
/// the crate's `Cargo.toml`, stamps the API and crate versions into it, stores it in
/// the component's `kagi:manifest` custom section (the host reads it without
/// running the plugin) and adds a unit test that the manifest is valid.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty, $manifest:literal) => {
        const _: () = {
            const __BODY: &[u8] =
                include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $manifest));
            const __LEN: usize = $crate::__manifest_len(env!("CARGO_PKG_VERSION"), __BODY);
            #[cfg(target_arch = "wasm32")]
            #[unsafe(link_section = "kagi:manifest")]
            #[used]
            static __KAGI_MANIFEST: [u8; __LEN] =
                $crate::__manifest_bytes::<__LEN>(env!("CARGO_PKG_VERSION"), __BODY);

            // Natively (unit tests, clippy) there is no component to export,
            // but the plugin still counts as used.
            #[cfg(not(target_arch = "wasm32"))]
            const _: fn($crate::Invocation) -> Result<(), $crate::Error> =
                <$plugin as $crate::Plugin>::run;

            #[cfg(target_arch = "wasm32")]
            struct __KagiExport;
            #[cfg(target_arch = "wasm32")]
            impl $crate::bindings::exports::kagi::plugin::command::Guest for __KagiExport {
                fn run(
                    invocation: $crate::bindings::exports::kagi::plugin::command::Invocation,
                ) -> Result<Option<String>, $crate::bindings::exports::kagi::plugin::command::Error>
                {
                    $crate::__run::<$plugin>(invocation, &__KAGI_MANIFEST)
                }
            }
            #[cfg(target_arch = "wasm32")]
            $crate::bindings::__export_plugin_world!(__KagiExport);
        };

        /// The manifest exactly as the host will read it.
        #[cfg(test)]
        pub fn __kagi_manifest_text() -> String {
            const __BODY: &[u8] =
                include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $manifest));
            const __LEN: usize = $crate::__manifest_len(env!("CARGO_PKG_VERSION"), __BODY);
            const __BYTES: [u8; __LEN] =
                $crate::__manifest_bytes::<__LEN>(env!("CARGO_PKG_VERSION"), __BODY);
            String::from_utf8(__BYTES.to_vec()).expect("manifest is UTF-8")
        }

        /// An invocation of `command` as the host would build it from the
        /// manifest (its defaults filled in); panics on an undeclared name.
        #[cfg(test)]
        pub fn test_invocation(command: &[&str], args: &[(&str, &[&str])]) -> $crate::Invocation {
            $crate::Invocation::for_test(&__kagi_manifest_text(), command, args)
        }

        #[cfg(test)]
        #[test]
        fn kagi_manifest_is_valid() {
            if let Err(e) = $crate::manifest::Manifest::parse(&__kagi_manifest_text()) {
                panic!("{e}");
            }
        }

        /// Every route is a command of the manifest, every command has a
        /// route, and every route's arguments read from the manifest.
        #[cfg(test)]
        #[test]
        fn kagi_router_matches_the_manifest() {
            let router = <$plugin as $crate::Plugin>::router();
            if router.is_empty() {
                return; // routed by hand in `run`
            }
            let manifest = $crate::manifest::Manifest::parse(&__kagi_manifest_text()).unwrap();
            let problems = router.check(&manifest);
            assert!(problems.is_empty(), "{}", problems.join("\n"));
        }
    };
}
