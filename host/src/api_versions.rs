//! The plugin API versions this host speaks, and the frozen WIT they come
//! from. Each released version of `kagi:plugin` is frozen in
//! `wit/since_vX.Y.Z/` and never changes; `wit/plugin.wit` is the newest. The
//! host carries one binding per version (see `runtime::bindings` and `runtime::bindings_v0_1`)
//! and loads a plugin with the binding its stamped API version picks.

/// Every version the host carries a binding for, oldest first. The last one
/// is `kagi_manifest::API_VERSION`, the one the SDK stamps.
pub const API_VERSIONS: &[&str] = &["0.1.0", kagi_manifest::API_VERSION];

/// The binding that loads a plugin built for API `api`, if any.
pub fn api_binding(api: &str) -> Option<&'static str> {
    kagi_manifest::api_binding(api, API_VERSIONS)
}

/// The SHA-256 of every file under `wit/since_v*/`. Frozen WIT never changes:
/// plugins built against it run on every later host. To change the API, add a
/// new version instead.
#[cfg(test)]
const FROZEN_WIT: &[(&str, &str)] = &[(
    "since_v0.1.0/plugin.wit",
    "d399ddd5104f5644ccef8387575861d4b966ebe8260306a74af2c7fffd5bffb2",
)];

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};
    use std::path::Path;

    fn wit_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit")
    }

    /// Every file under `wit/since_v*/`, relative to `wit/`.
    fn frozen_files() -> Vec<String> {
        let mut files = Vec::new();
        for dir in std::fs::read_dir(wit_dir()).unwrap() {
            let dir = dir.unwrap().path();
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            if !dir.is_dir() || !name.starts_with("since_v") {
                continue;
            }
            for file in std::fs::read_dir(&dir).unwrap() {
                let file = file.unwrap().file_name().to_string_lossy().to_string();
                files.push(format!("{name}/{file}"));
            }
        }
        files.sort();
        files
    }

    #[test]
    fn a_frozen_wit_file_never_changes() {
        let files = frozen_files();
        assert!(!files.is_empty(), "no frozen WIT found under wit/since_v*/");
        for file in &files {
            let bytes = std::fs::read(wit_dir().join(file)).unwrap();
            let actual = hex::encode(Sha256::digest(&bytes));
            let expected = FROZEN_WIT.iter().find(|(f, _)| f == file).map(|(_, h)| *h);
            assert_eq!(
                expected,
                Some(actual.as_str()),
                "wit/{file} is frozen WIT and must never change (plugins built against it run on every later host): undo the change and add a new version in wit/plugin.wit instead (a newly frozen file gets its SHA-256 in api_versions.rs)"
            );
        }
        for (file, _) in FROZEN_WIT {
            assert!(
                files.iter().any(|f| f == file),
                "wit/{file} is frozen WIT and must never be removed"
            );
        }
    }

    #[test]
    fn every_carried_version_has_its_wit() {
        for version in API_VERSIONS {
            let frozen = wit_dir().join(format!("since_v{version}/plugin.wit"));
            let text = if *version == kagi_manifest::API_VERSION {
                std::fs::read_to_string(wit_dir().join("plugin.wit")).unwrap()
            } else {
                std::fs::read_to_string(&frozen).unwrap()
            };
            assert!(
                text.contains(&format!("package kagi:plugin@{version};")),
                "the WIT of {version} does not declare it"
            );
        }
    }

    #[test]
    fn a_manifest_naming_a_service_kagi_does_not_know_is_refused_at_load() {
        let text = format!(
            "api = \"{}\"\nname = \"demo\"\n[capabilities]\nservices = [\"kagi\", \"weather\"]\n[[commands]]\nname = \"demo\"\n",
            kagi_manifest::API_VERSION
        );
        let manifest = kagi_manifest::Manifest::parse(&text).unwrap();
        assert_eq!(
            crate::capabilities::check_api(&manifest)
                .unwrap_err()
                .to_string(),
            "plugin denied: plugin `demo` asks for the service `weather`, which this kagi does not know (it knows kagi, news, translate); update kagi or the plugin"
        );
        assert_eq!(
            crate::capabilities::Capability::parse("service:weather").unwrap_err(),
            "unknown service `weather` in `service:weather`; kagi knows the services kagi, news, translate"
        );
    }

    #[test]
    fn a_plugin_loads_with_the_binding_of_its_version() {
        assert_eq!(api_binding("0.1.0"), Some("0.1.0"));
        assert_eq!(
            api_binding(kagi_manifest::API_VERSION),
            Some(API_VERSIONS[1])
        );
        assert_eq!(api_binding("0.3.0"), None);
    }
}
