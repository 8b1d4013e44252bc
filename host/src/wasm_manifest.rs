//! Reads a plugin's manifest out of its `.wasm` file without running it.
//!
//! The SDK stores the manifest in a custom section of the plugin's core module,
//! which the component embeds; wasmparser walks nested modules to find it.
//! This file is also compiled into `build.rs`, which embeds built-in manifests.

/// The contents of the first custom section called `name`, at any nesting depth.
pub fn custom_section(wasm: &[u8], name: &str) -> Result<Option<Vec<u8>>, String> {
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("not a valid WebAssembly file: {e}"))? {
            wasmparser::Payload::CustomSection(reader) if reader.name() == name => {
                return Ok(Some(reader.data().to_vec()));
            }
            _ => {}
        }
    }
    Ok(None)
}

/// The manifest text of a plugin component.
pub fn manifest_text(wasm: &[u8]) -> Result<String, String> {
    if !wasmparser::Parser::is_component(wasm) {
        return Err("is not a WebAssembly component (build it for wasm32-wasip2)".to_string());
    }
    let bytes = custom_section(wasm, "kagi:manifest")?.ok_or_else(|| {
        "has no kagi:manifest section (build it with kagi-plugin-sdk's export_plugin!)".to_string()
    })?;
    String::from_utf8(bytes).map_err(|_| "has a manifest that is not UTF-8".to_string())
}

/// The names a component imports at its top level (what the host must provide).
pub fn component_imports(wasm: &[u8]) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("is not a valid WebAssembly file: {e}"))? {
            wasmparser::Payload::ModuleSection { .. }
            | wasmparser::Payload::ComponentSection { .. } => depth += 1,
            wasmparser::Payload::End(_) => depth = depth.saturating_sub(1),
            wasmparser::Payload::ComponentImportSection(reader) if depth == 0 => {
                for import in reader {
                    let import = import.map_err(|e| format!("has a bad import section: {e}"))?;
                    names.push(import.name.name.to_string());
                }
            }
            _ => {}
        }
    }
    Ok(names)
}
