//! `kagi:plugin/files`: the content of the files the user named, which the
//! host read before the plugin ran (see `runtime::named_files`), and the
//! output files it writes for the plugin (see `runtime::output_files`).

use super::WResult;
use crate::runtime::HostState;
use crate::runtime::bindings::kagi::plugin::files;

impl files::Host for HostState {
    fn read(&mut self, index: u32) -> WResult<Result<Vec<u8>, String>> {
        Ok(match self.files.get(index as usize) {
            Some(file) => Ok(file.data.to_vec()),
            None => Err(format!(
                "no file {index}: the user named {} file(s)",
                self.files.len()
            )),
        })
    }

    fn write(&mut self, arg: String, content: Vec<u8>) -> WResult<Result<(), String>> {
        Ok(match self.outputs.iter().find(|f| f.arg == arg) {
            Some(file) => file.write(&content),
            None => Err(format!(
                "no output file `{arg}`: the user named none with that argument"
            )),
        })
    }
}
