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

/// What the SDK's build-time macro records of a manifest: each command's
/// path with its arguments' names and defaults.
#[doc(hidden)]
pub type DeclaredTable = &'static [DeclaredEntry];
#[doc(hidden)]
pub type DeclaredEntry = (
    &'static [&'static str],
    &'static [(&'static str, Option<&'static str>)],
);

#[doc(hidden)]
pub use kagi_plugin_sdk_macros::plugin_manifest as __plugin_manifest;

/// Glue between the generated export trait and a [`Plugin`]. Used by [`export_plugin!`].
#[doc(hidden)]
pub fn __run<P: Plugin>(
    invocation: bindings::exports::kagi::plugin::command::Invocation,
    declared: Option<DeclaredTable>,
) -> Result<Option<String>, bindings::exports::kagi::plugin::command::Error> {
    let mut invocation = Invocation::from_wit(invocation);
    // The typed accessors check names against the command's manifest entry.
    if let Some(table) = declared {
        invocation = invocation.declared_in(table);
    }
    let result = P::run(invocation);
    // Taken either way, so that a failed command never hands one over.
    let value = out::take_result();
    result.map(|()| value).map_err(Error::into_wit)
}

/// Exports a [`Plugin`] and embeds its manifest.
///
/// `export_plugin!(MyPlugin, "kagi-plugin.toml")` reads the manifest relative to
/// the crate's `Cargo.toml` when the plugin is compiled, stamps the API and crate
/// versions into it (`kagi_manifest::stamped`), stores it in the component's
/// `kagi:manifest` custom section (the host reads it without running the plugin)
/// next to a table of each command's argument names and defaults (so the plugin
/// never parses TOML at run time), and adds a unit test that the manifest is valid.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty, $manifest:literal) => {
        // `__KAGI_MANIFEST` (the custom section) and `__KAGI_DECLARED`.
        $crate::__plugin_manifest!($manifest);

        const _: () = {
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
                    $crate::__run::<$plugin>(invocation, __KAGI_DECLARED)
                }
            }
            #[cfg(target_arch = "wasm32")]
            $crate::bindings::__export_plugin_world!(__KagiExport);
        };

        /// The manifest exactly as the host will read it.
        #[cfg(test)]
        pub fn __kagi_manifest_text() -> String {
            String::from_utf8(__KAGI_MANIFEST.to_vec()).expect("manifest is UTF-8")
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
            let manifest = match $crate::manifest::Manifest::parse(&__kagi_manifest_text()) {
                Ok(manifest) => manifest,
                Err(e) => panic!("{e}"),
            };
            // What the plugin checks names against at run time, built when
            // it was compiled, says what the manifest says.
            assert_eq!(
                __KAGI_DECLARED,
                Some($crate::args::declared_table(&manifest).as_slice())
            );
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
