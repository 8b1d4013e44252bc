//! `kagi:plugin/storage`: the plugin's private key-value store and locks.

use super::super::bindings::kagi::plugin::storage;
use super::super::{HostState, Stop};
use super::WResult;
use wasmtime::component::Resource;

pub struct LockHandle {
    _lock: crate::storage::StoreLock,
}

impl storage::Host for HostState {
    fn get(&mut self, key: String) -> WResult<Result<Option<Vec<u8>>, String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.get(&key))
    }

    fn set(&mut self, key: String, value: Vec<u8>) -> WResult<Result<(), String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.set(&key, &value))
    }

    fn append(&mut self, key: String, value: Vec<u8>) -> WResult<Result<(), String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.append(&key, &value))
    }

    fn delete(&mut self, key: String) -> WResult<Result<bool, String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.delete(&key))
    }

    fn keys(&mut self, prefix: String) -> WResult<Result<Vec<String>, String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        Ok(self.store.keys(&prefix))
    }

    fn acquire_lock(&mut self, name: String) -> WResult<Result<Resource<LockHandle>, String>> {
        self.grants.check_storage().map_err(Stop::Host)?;
        match self.store.lock(&name) {
            Ok(lock) => Ok(Ok(self.table().push(LockHandle { _lock: lock })?)),
            Err(e) => Ok(Err(e)),
        }
    }
}

impl storage::HostLock for HostState {
    fn drop(&mut self, r: Resource<LockHandle>) -> WResult<()> {
        self.table().delete(r)?;
        Ok(())
    }
}
