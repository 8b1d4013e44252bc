//! The `kagi:plugin` interfaces as the host implements them. Every call that
//! reaches outside the sandbox asks `capabilities::Grants` first; a denial
//! stops the plugin (it does not get to probe).
//!
//! One file per interface of the newest API version; `v0_1.rs` maps the
//! older version's calls onto these.

mod body;
mod credentials;
mod files;
mod http;
mod stdin;
mod storage;
mod terminal;

pub use http::{PendingHandle, ResponseHandle};
pub use storage::LockHandle;
pub use terminal::ProgressHandle;

type WResult<T> = wasmtime::Result<T>;
