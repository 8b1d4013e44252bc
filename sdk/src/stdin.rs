//! Standard input, for plugins whose manifest declares `stdin = true`.

use crate::Error;
use crate::bindings::kagi::plugin::stdin as wit;

/// The whole of stdin as text.
pub fn read_to_string() -> Result<String, Error> {
    let bytes = wit::read_all().map_err(read_error)?;
    String::from_utf8(bytes).map_err(|_| Error::config("stdin is not valid UTF-8"))
}

/// One line, or `None` at end of input.
pub fn read_line() -> Result<Option<String>, Error> {
    wit::read_line().map_err(read_error)
}

/// A failed read; the host reports an interrupt (Ctrl-C) as `interrupted`.
pub(crate) fn read_error(message: String) -> Error {
    if message == "interrupted" {
        Error::interrupted()
    } else {
        Error::config(format!("failed to read stdin: {message}"))
    }
}

/// Trimmed, non-blank lines of stdin.
pub fn lines() -> Result<Vec<String>, Error> {
    Ok(read_to_string()?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}
