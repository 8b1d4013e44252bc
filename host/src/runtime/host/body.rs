//! Request bodies: raw bytes as the plugin gave them, or multipart/form-data
//! built by the host from the plugin's parts and the files the user named.

use crate::multipart;
use crate::runtime::HostState;
use crate::runtime::bindings::kagi::plugin::http;
use crate::runtime::named_files::NamedFile;

/// Everything of a body that the secret check must see, by where it is:
/// raw bytes; a multipart body's names and types, and each part's data
/// (the content of a file the user named included).
pub(super) fn body_places<'a>(
    body: Option<&'a http::Body>,
    files: &'a [NamedFile],
) -> Vec<(&'static str, &'a [u8])> {
    let mut places = Vec::new();
    match body {
        None => {}
        Some(http::Body::Bytes(bytes)) => places.push(("body", bytes.as_slice())),
        Some(http::Body::Multipart(parts)) => {
            for part in parts {
                places.push(("multipart part names", part.name.as_bytes()));
                if let Some(f) = &part.filename {
                    places.push(("multipart file names", f.as_bytes()));
                }
                if let Some(c) = &part.content_type {
                    places.push(("multipart content types", c.as_bytes()));
                }
                match &part.data {
                    http::PartData::Bytes(b) => places.push(("multipart body", b.as_slice())),
                    http::PartData::File(i) => {
                        if let Some(file) = files.get(*i as usize) {
                            places.push(("multipart body", &file.data));
                        }
                    }
                }
            }
        }
    }
    places
}

impl HostState {
    /// Takes the body out of `request` as the bytes to send. A multipart
    /// body is framed here and its Content-Type set by the host, replacing
    /// any the plugin gave.
    pub(super) fn outgoing_body(
        &self,
        request: &mut http::Request,
    ) -> Result<Option<Vec<u8>>, http::Error> {
        let parts = match request.body.take() {
            None => return Ok(None),
            Some(http::Body::Bytes(bytes)) => return Ok(Some(bytes)),
            Some(http::Body::Multipart(parts)) => parts,
        };
        let mut framed = Vec::with_capacity(parts.len());
        for part in &parts {
            framed.push(match &part.data {
                http::PartData::Bytes(data) => multipart::Part {
                    name: &part.name,
                    filename: part.filename.as_deref(),
                    content_type: part.content_type.as_deref(),
                    data,
                },
                http::PartData::File(i) => {
                    let file = self.files.get(*i as usize).ok_or_else(|| {
                        http::Error::Transport(format!(
                            "multipart part `{}` names file {i}, but the user named {} file(s)",
                            part.name,
                            self.files.len()
                        ))
                    })?;
                    multipart::Part {
                        name: &part.name,
                        filename: Some(part.filename.as_deref().unwrap_or(&file.name)),
                        content_type: Some(
                            part.content_type.as_deref().unwrap_or(&file.content_type),
                        ),
                        data: &file.data,
                    }
                }
            });
        }
        let body = multipart::encode(&framed);
        request
            .headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
        request
            .headers
            .push(("content-type".to_string(), body.content_type));
        Ok(Some(body.bytes))
    }
}
