//! writ-core's integration tests as one binary: one link instead of one per
//! file keeps the test build small and fast.

mod common;

mod access_grants;
mod account_grants;
mod analytics_sql;
mod approvals;
mod cedar_lexer;
mod chain_payments;
mod ci_pipelines;
mod cluster_changes;
mod data_remotes;
mod destinations;
mod devenv_apis;
mod git_aliases;
mod http_semantics;
mod listed_entries;
mod message_apis;
mod migration_targets;
mod mixed_payloads;
mod mounted_file_systems;
mod named_deletes;
mod notification_clis;
mod package_listings;
mod partial_views;
mod payments;
mod powershell_tools;
mod push_rewrites;
mod quoted_payloads;
mod raw_shares;
mod rclone_remotes;
mod read_files;
mod refspec_force;
mod registry_changes;
mod repository_moves;
mod session_contents;
mod sql_dialects;
mod state_from_outputs;
mod storage_exposure;
mod symlinks;
mod tenant_admin;
mod tool_files;
mod vendor_clis;
mod wallet_payments;
mod warehouse_shares;
mod web_search_tools;
mod windows_paths;
mod written_files;

/// Every file under `tests/` is a module of this binary: a file left out of
/// the list above would never compile or run.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let listed = include_str!("main.rs");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(&dir).expect("tests directory") {
        let path = entry.expect("directory entry").path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let module = if path.is_dir() {
            path.join("mod.rs").exists()
        } else {
            path.extension().is_some_and(|e| e == "rs") && stem != "main"
        };
        if module {
            assert!(
                listed.contains(&format!("\nmod {stem};\n")),
                "{} is not declared in tests/main.rs",
                path.display()
            );
        }
    }
}
