//! The build-time half of `kagi_plugin_sdk::export_plugin!`.
//!
//! A plugin's accessors check the argument names it reads against its
//! manifest. Parsing the manifest's TOML at run time put a TOML parser and
//! the manifest's validation into every plugin (about 400 KB of wasm each,
//! most of a small plugin) and cost a parse on every run. This macro reads
//! and parses the manifest when the plugin is compiled instead, and emits
//! what the plugin needs of it as static data:
//!
//! - `__KAGI_MANIFEST`: the stamped manifest (see `kagi_manifest::stamped`),
//!   in the component's `kagi:manifest` custom section, where the host reads
//!   it without running the plugin;
//! - `__KAGI_DECLARED`: each command's path with its arguments' names and
//!   defaults, or `None` when the manifest does not parse (a unit test that
//!   `export_plugin!` adds reports why; the host refuses such a plugin).

use kagi_manifest::Manifest;
use proc_macro::{Delimiter, Literal, TokenStream, TokenTree};
use std::path::Path;

/// `plugin_manifest!("kagi-plugin.toml")`, the path relative to the crate's
/// `Cargo.toml`. Emits the two statics above, at the call site.
#[proc_macro]
pub fn plugin_manifest(input: TokenStream) -> TokenStream {
    let code = match expand(input) {
        Ok(code) => code,
        Err(message) => format!("compile_error!({});", Literal::string(&message)),
    };
    code.parse().expect("the generated code is valid Rust")
}

fn expand(input: TokenStream) -> Result<String, String> {
    let file = file_name(input)?;
    let var = |name: &str| {
        std::env::var(name)
            .map_err(|_| format!("plugin_manifest!: {name} is not set (build with cargo)"))
    };
    let path = Path::new(&var("CARGO_MANIFEST_DIR")?).join(&file);
    let body = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read the manifest {}: {e}", path.display()))?;
    let text = kagi_manifest::stamped(&body, &var("CARGO_PKG_VERSION")?);
    let declared = match Manifest::parse(&text) {
        Ok(manifest) => {
            let entries: Vec<String> = manifest
                .declared_args()
                .iter()
                .map(|command| {
                    let path: Vec<String> = command
                        .path
                        .iter()
                        .map(|p| Literal::string(p).to_string())
                        .collect();
                    let args: Vec<String> = command
                        .args
                        .iter()
                        .map(|(name, default)| {
                            let default = match default {
                                Some(d) => format!("Some({})", Literal::string(d)),
                                None => "None".to_string(),
                            };
                            format!("({}, {default})", Literal::string(name))
                        })
                        .collect();
                    format!("(&[{}], &[{}])", path.join(", "), args.join(", "))
                })
                .collect();
            format!("Some(&[{}])", entries.join(", "))
        }
        Err(_) => "None".to_string(),
    };
    let path = path
        .to_str()
        .ok_or_else(|| format!("the manifest's path is not UTF-8: {}", path.display()))?;
    Ok(format!(
        r#"
        #[allow(dead_code)]
        #[cfg_attr(target_arch = "wasm32", unsafe(link_section = "kagi:manifest"), used)]
        static __KAGI_MANIFEST: [u8; {len}] = *{bytes};
        #[allow(dead_code)]
        static __KAGI_DECLARED: Option<&[(&[&str], &[(&str, Option<&str>)])]> = {declared};
        // The plugin is rebuilt when its manifest changes.
        const _: &[u8] = include_bytes!({path});
        "#,
        len = text.len(),
        bytes = Literal::byte_string(text.as_bytes()),
        path = Literal::string(path),
    ))
}

/// The one string literal the macro takes.
fn file_name(input: TokenStream) -> Result<String, String> {
    let usage = "usage: plugin_manifest!(\"kagi-plugin.toml\")";
    let mut tokens = input.into_iter();
    let literal = match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Literal(literal)), None) => literal,
        // A `$manifest:literal` of `export_plugin!` arrives wrapped in an
        // invisible group.
        (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::None => {
            return file_name(group.stream());
        }
        _ => return Err(usage.to_string()),
    };
    let quoted = literal.to_string();
    quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .filter(|s| !s.contains('\\'))
        .map(str::to_string)
        .ok_or_else(|| usage.to_string())
}
