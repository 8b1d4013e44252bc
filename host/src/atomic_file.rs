//! Replacing a file atomically: write a temporary file beside it, then
//! rename it over the target, so readers see the old or the new contents,
//! never a mix, and a crash leaves no half-written file.

use std::io::Write;
use std::path::Path;

/// Writes `parts`, in order, as the new contents of `path` (creating its folder).
pub fn write(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = path.parent().expect("files live in a folder");
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    for part in parts {
        tmp.write_all(part)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
