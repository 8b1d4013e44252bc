//! Where the test plugins and the SDK's example are, built for wasm32-wasip2
//! by this crate's build script: `kagi_test_NAME.wasm` for
//! `tests/plugins/NAME`, and `kagi_example_top_result.wasm`.

/// The directory holding the built `.wasm` files.
pub const DIR: &str = env!("KAGI_TEST_PLUGIN_DIR");
