//! multipart/form-data bodies, built by the host: a plugin lists the parts
//! and the host picks the boundary and sets the Content-Type header. A file
//! the user named goes in by reference, so it need not pass through the plugin.

use crate::bindings::kagi::plugin::http as wit;
use crate::files::NamedFile;

/// One part of a multipart/form-data body.
#[derive(Debug, Clone)]
pub struct Part {
    pub(crate) inner: wit::Part,
}

impl Part {
    /// A plain text field.
    pub fn text(name: &str, value: &str) -> Part {
        Part::new(
            name,
            None,
            None,
            wit::PartData::Bytes(value.as_bytes().to_vec()),
        )
    }

    /// A field with its own Content-Type and no file name (e.g. a JSON
    /// `state` part).
    pub fn typed(name: &str, content_type: &str, data: Vec<u8>) -> Part {
        Part::new(name, None, Some(content_type), wit::PartData::Bytes(data))
    }

    /// Bytes sent as a file called `filename` of type `content_type`.
    pub fn bytes(name: &str, filename: &str, content_type: &str, data: Vec<u8>) -> Part {
        Part::new(
            name,
            Some(filename),
            Some(content_type),
            wit::PartData::Bytes(data),
        )
    }

    /// A file the user named, with its own name and guessed type; the host
    /// reads it in. (A file made with [`NamedFile::for_test`] goes as bytes.)
    pub fn file(name: &str, file: &NamedFile) -> Part {
        let data = match &file.test_content {
            Some(content) => wit::PartData::Bytes(content.clone()),
            None => wit::PartData::File(file.index()),
        };
        Part::new(name, Some(&file.name), Some(&file.content_type), data)
    }

    fn new(
        name: &str,
        filename: Option<&str>,
        content_type: Option<&str>,
        data: wit::PartData,
    ) -> Part {
        Part {
            inner: wit::Part {
                name: name.to_string(),
                filename: filename.map(str::to_string),
                content_type: content_type.map(str::to_string),
                data,
            },
        }
    }

    /// The field name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The file name sent with it, if any.
    pub fn filename(&self) -> Option<&str> {
        self.inner.filename.as_deref()
    }

    /// The bytes it carries, for unit tests (none for a file the host reads).
    pub fn data(&self) -> Option<&[u8]> {
        match &self.inner.data {
            wit::PartData::Bytes(b) => Some(b),
            wit::PartData::File(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::exports::kagi::plugin::command::NamedFile as WitNamedFile;

    #[test]
    fn a_file_the_host_holds_goes_by_reference_with_its_name_and_type() {
        let wit_file = WitNamedFile {
            arg: "attach".into(),
            name: "paper.pdf".into(),
            content_type: "application/pdf".into(),
            size: 9,
        };
        let file = NamedFile::from_wit(2, wit_file);
        let part = Part::file("upload", &file);
        assert!(matches!(part.inner.data, wit::PartData::File(2)));
        assert_eq!(part.name(), "upload");
        assert_eq!(part.filename(), Some("paper.pdf"));
        assert_eq!(part.inner.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(part.data(), None);

        let field = Part::text("note", "hi");
        assert_eq!((field.filename(), field.data()), (None, Some(&b"hi"[..])));
        assert_eq!(field.inner.content_type, None);
    }

    #[test]
    fn an_invocation_lists_the_files_of_each_argument() {
        let inv = crate::Invocation::new(&["send"], &[])
            .with_file(NamedFile::for_test("attach", "a.txt", "text/plain", b"a"))
            .with_file(NamedFile::for_test("cover", "c.png", "image/png", b"c"))
            .with_file(NamedFile::for_test("attach", "b.txt", "text/plain", b"b"));
        let names: Vec<&str> = inv
            .files("attach")
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, ["a.txt", "b.txt"]);
        assert!(inv.files("none").is_empty());
    }
}
