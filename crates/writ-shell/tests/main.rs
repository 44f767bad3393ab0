//! writ-shell's integration tests as one binary: one link instead of one
//! per file keeps the test build small and fast. Each module is a table of
//! command lines and the effects `analyze` must report for them.

mod common;
mod support;

mod access;
mod access_and_exposure;
mod accounts;
mod agent_configs;
mod analytics_tools;
mod analyze;
mod app_admin_and_launchd;
mod app_stores;
mod apple_events;
mod argv_lists;
mod artifact_repos;
mod baas_and_fuzzers;
mod backup_tools;
mod bash_functions_round_two;
mod bash_scripts_round_two;
mod branch_values;
mod broker_admin;
mod broker_sdks;
mod brokers;
mod browsers;
mod builders_and_runners;
mod chain;
mod chat_clis;
mod ci_pipelines;
mod cli_sql;
mod client_configs;
mod clients;
mod clients_and_tunnels;
mod clipboards_and_recordings;
mod cloud_lifecycle;
mod cloud_targets;
mod cmake_and_scons;
mod cmd_loops;
mod cmd_round_five;
mod cmd_round_four;
mod cmd_round_three;
mod cmd_round_two;
mod compiled_file_reads;
mod config_management;
mod container_images;
mod containers_and_plugins;
mod copies_and_rest_calls;
mod credentials;
mod dataflow;
mod db_clients_in_tools;
mod decoded_inline;
mod decoders;
mod deferred_and_runners;
mod descriptors;
mod dev_environments;
mod devices_and_hypervisors;
mod directory_services;
mod disks_and_captures;
mod document_and_graph_databases;
mod dotnet_and_jvm_programs;
mod dvc_and_rclone;
mod editors_and_multiplexers;
mod environment_managers;
mod expansions;
mod framework_consoles;
mod function_environment;
mod gcp_policies;
mod gdal;
mod gh_repo_selection;
mod git_aliases;
mod git_commands;
mod go_and_rust_programs;
mod gpu_clouds;
mod gradle_and_maven_tasks;
mod grants_and_policies;
mod hidden_text;
mod inline_round_eight;
mod inline_round_five;
mod inline_round_seven;
mod inline_round_six;
mod inline_transfers;
mod inline_uploads;
mod interactive_programs;
mod interpreters;
mod jq_and_curl_config;
mod js_programs;
mod js_runtimes;
mod jvm_languages;
mod known_file_text;
mod kube_manifest_grants;
mod l10n_and_builds;
mod languages_and_posts;
mod languages_round_nine;
mod listings;
mod lolbins;
mod macos;
mod mail_clients;
mod make_includes;
mod media_deploys;
mod migration_files;
mod migration_targets;
mod mobile_releases;
mod model_clis;
mod models_logs_keys;
mod mounts;
mod nesting;
mod netops;
mod node_scripts;
mod notebooks;
mod notifications;
mod object_storage;
mod observability_clis;
mod office_and_feeds;
mod openers_and_osascript;
mod options_and_arrays;
mod orchestrators;
mod other_languages;
mod other_vcs;
mod own_deploy_tooling;
mod patches_and_inline;
mod powershell;
mod powershell_round_eight;
mod powershell_round_eleven;
mod powershell_round_four;
mod powershell_round_nine;
mod powershell_round_seven;
mod powershell_round_six;
mod powershell_round_sixteen;
mod powershell_round_ten;
mod powershell_round_twelve;
mod powershell_splatting;
mod previews_and_linked;
mod printing_and_lua;
mod programs_that_run_programs;
mod pytest_conftest;
mod python_scripts;
mod python_scripts_round_two;
mod quoted_text;
mod r_and_pandas;
mod read_and_namerefs;
mod registry_changes;
mod registry_config;
mod remote_execution;
mod repository_admin;
mod repository_root;
mod research_and_search;
mod research_transfers;
mod restores;
mod ruby_and_perl_programs;
mod ruby_php_scripts;
mod runners_round_five;
mod runners_round_four;
mod runners_round_three;
mod runners_round_two;
mod saas_clis;
mod saas_sdks;
mod sbt_publish;
mod scripts_round_four;
mod scripts_round_three;
mod sdk_bucket_changes;
mod sdk_calls_round_two;
mod sdk_mail;
mod sdk_object_deletes;
mod sdk_payments_and_messages;
mod sdk_storage_and_ai;
mod sdk_uploads;
mod servers_and_defaults;
mod session_scripts;
mod shell_idioms;
mod shell_idioms_six;
mod site_publishers;
mod sources_and_launchers;
mod split_chunks;
mod sql_clients;
mod sql_exports;
mod ssh_alias_remotes;
mod ssh_config;
mod store_admin;
mod sync_tools;
mod tcl_and_expect;
mod tenant_admin;
mod transfer_batches;
mod transforms;
mod tree_excludes;
mod unknown_programs;
mod uploads;
mod vendor_and_media;
mod vendored_parser;
mod wallets;
mod warehouse_sharing;
mod windows;
mod windows_interop;
mod windows_mixed_shells;
mod windows_round_three;
mod workspaces_and_reporters;
mod written_files;
mod zsh_and_fish;

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
