//! The I/O runtime: the async runtime and the HTTP client the host makes
//! requests with. It sits with the other services, below the plugin runtime,
//! so a host command that makes a request (`auth check`, the setup) needs no
//! wasm engine and no plugin context.

use crate::error::{Error, Result};
use crate::net::{Bases, Net};
use std::future::Future;
use std::sync::{Arc, OnceLock};

pub struct IoRuntime {
    rt: tokio::runtime::Runtime,
    net: OnceLock<Result<Arc<Net>>>,
}

impl IoRuntime {
    pub fn new() -> Result<IoRuntime> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the I/O runtime: {e}")))?;
        Ok(IoRuntime {
            rt,
            net: OnceLock::new(),
        })
    }

    /// The HTTP client, created on first use (so the base-URL variables are
    /// read only by a run that makes a request).
    pub fn net(&self) -> Result<Arc<Net>> {
        self.net
            .get_or_init(|| {
                let _guard = self.rt.enter();
                Net::new(Bases::from_env()?).map(Arc::new)
            })
            .clone()
    }

    /// Runs `future` to completion on this runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.rt.block_on(future)
    }
}
