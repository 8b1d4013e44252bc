//! A test plugin for the inputs a user names: it reports the files the host
//! handed it (what it can see of them) and posts them as multipart/form-data
//! to the destination the user named, or to a URL it was not granted.

use kagi_plugin_sdk::files::NamedFile;
use kagi_plugin_sdk::http::{Method, Request};
use kagi_plugin_sdk::multipart::Part;
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out};

struct Courier;

impl Plugin for Courier {
    fn run(inv: Invocation) -> Result<(), Error> {
        let files = inv.files("attach");
        let mut seen = Vec::new();
        for f in &files {
            let mut entry = serde_json::json!({
                "name": f.name,
                "content_type": f.content_type,
                "size": f.size,
            });
            if inv.flag("read") {
                entry["content"] = String::from_utf8_lossy(&f.read()?).into();
            }
            seen.push(entry);
        }
        let report = serde_json::json!({ "attach": inv.values("attach"), "files": seen });

        // Sent before anything is printed, so a refused send prints nothing.
        let status = match inv.value("to").or(inv.value("via")) {
            Some(target) => Some(send(&inv, target, &files)?),
            None => None,
        };
        out::println(&report.to_string());
        if let Some(status) = status {
            out::println(&format!("HTTP {status}"));
        }
        Ok(())
    }
}

/// Posts the files (and `--note`, `--blob`) as multipart/form-data.
fn send(inv: &Invocation, target: &str, files: &[&NamedFile]) -> Result<u16, Error> {
    let mut parts = Vec::new();
    if let Some(note) = inv.value("note") {
        parts.push(Part::text("note", note));
    }
    parts.extend(files.iter().map(|f| Part::file("attach", f)));
    if let Some(blob) = inv.value("blob") {
        parts.push(Part::bytes(
            "blob",
            "blob.bin",
            "application/octet-stream",
            blob.as_bytes().to_vec(),
        ));
    }
    let mut request = Request::url(Method::Post, target).multipart(parts);
    if inv.flag("with-credential") {
        request = request.credential(Credential::Session);
    }
    Ok(request.send()?.status())
}

export_plugin!(Courier, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::files::NamedFile;
    use kagi_plugin_sdk::multipart::Part;

    #[test]
    fn a_test_file_goes_as_its_bytes_with_its_name() {
        let file = NamedFile::for_test("attach", "a.txt", "text/plain", b"hi");
        let part = Part::file("attach", &file);
        assert_eq!(part.filename(), Some("a.txt"));
        assert_eq!(part.data(), Some(&b"hi"[..]));
        assert_eq!(file.read().unwrap(), b"hi");
    }
}
