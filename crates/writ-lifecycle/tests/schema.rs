#![allow(clippy::unwrap_used)]

//! The committed JSON Schema of the certificate predicate must be the one
//! the code generates. Regenerate with `WRIT_UPDATE_SCHEMA=1 cargo test -p writ-lifecycle --test schema`.

use std::path::PathBuf;

#[test]
fn committed_schema_matches_generated() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas/action-certificate.schema.json");
    let generated = writ_lifecycle::schema_json();
    if std::env::var_os("WRIT_UPDATE_SCHEMA").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/action-certificate.schema.json is stale: rerun with WRIT_UPDATE_SCHEMA=1"
    );
}
