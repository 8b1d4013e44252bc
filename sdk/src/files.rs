//! Files the user named on the command line: arguments the manifest types as
//! `file` (e.g. `--attach PATH`). The host read them before the plugin ran,
//! within its size limits; a plugin sees each file's name (never its path),
//! its guessed MIME type and its size, reads its content on demand, or sends it
//! in a multipart body without copying it (see [`crate::multipart::Part::file`]).

use crate::Error;
use crate::bindings::exports::kagi::plugin::command::NamedFile as WitNamedFile;

/// One file the user named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedFile {
    /// Its index in the invocation's files, which the host knows it by.
    pub(crate) index: u32,
    /// The argument it was given with (its manifest name).
    pub arg: String,
    /// Its name without directories, e.g. `notes.pdf`.
    pub name: String,
    /// Its MIME type, guessed from the name.
    pub content_type: String,
    pub size: u64,
    /// The content, for files made by [`NamedFile::for_test`].
    pub(crate) test_content: Option<Vec<u8>>,
}

impl NamedFile {
    pub(crate) fn from_wit(index: usize, f: WitNamedFile) -> NamedFile {
        NamedFile {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            arg: f.arg,
            name: f.name,
            content_type: f.content_type,
            size: f.size,
            test_content: None,
        }
    }

    /// A file for a plugin's unit tests (see [`crate::Invocation::with_file`]).
    pub fn for_test(arg: &str, name: &str, content_type: &str, content: &[u8]) -> NamedFile {
        NamedFile {
            index: 0,
            arg: arg.to_string(),
            name: name.to_string(),
            content_type: content_type.to_string(),
            size: content.len() as u64,
            test_content: Some(content.to_vec()),
        }
    }

    /// The file's content, from the host.
    pub fn read(&self) -> Result<Vec<u8>, Error> {
        if let Some(content) = &self.test_content {
            return Ok(content.clone());
        }
        read_from_host(self.index)
    }

    /// Which file the host sends for a multipart part.
    pub(crate) fn index(&self) -> u32 {
        self.index
    }
}

fn read_from_host(index: u32) -> Result<Vec<u8>, Error> {
    crate::bindings::kagi::plugin::files::read(index).map_err(Error::internal)
}

/// Replaces the content of the file the user named with the `output-file`
/// argument `arg` (e.g. `--export PATH`), creating it if absent. The host
/// writes it: only a regular file, at most 32 MiB; the plugin never sees
/// the path. An argument the user did not give is an error.
pub fn write_output(arg: &str, content: &[u8]) -> Result<(), Error> {
    crate::bindings::kagi::plugin::files::write(arg, content).map_err(Error::config)
}
