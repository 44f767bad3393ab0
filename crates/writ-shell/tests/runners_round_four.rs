//! Task runners, fourth round: a package manager's install runs the root
//! package's lifecycle scripts, a command aimed at a workspace package
//! (`pnpm --filter NAME`, `npm -w NAME`, `yarn workspace NAME`) runs in
//! that package's directory, Nx runs a project's `nx:run-commands`
//! target, a rake task's `ENV.fetch` reads the line's environment, and a
//! justfile recipe line continued with a backslash is one command.

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::{Value, json};
use writ_shell::WrittenFile;

/// The effects of `command` after `written`, as a list.
fn after(written: &[WrittenFile], command: &str) -> Vec<Value> {
    effects_after(written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

// --------------------------------------------------------------- installs

const ROOT_PACKAGE: &str = r#"{"name":"root","scripts":{"preinstall":"rm -rf cache","postinstall":"cp a .claude/settings.json","prepare":"touch prepared","dev":"vite"}}"#;

#[test]
fn a_project_install_runs_the_lifecycle_scripts_in_order() {
    let written = [text_file(&at("package.json"), ROOT_PACKAGE)];
    let expected = [
        delete(&at("cache"), true),
        read(&at("a")),
        write(&at(".claude/settings.json")),
        write(&at("prepared")),
    ];
    for command in [
        "pnpm install",
        "pnpm i",
        "npm install",
        "npm ci",
        "yarn",
        "yarn install",
    ] {
        assert_eq!(after(&written, command), expected, "{command}");
    }
}

#[test]
fn installing_named_packages_or_ignoring_scripts_runs_none_of_them() {
    let written = [text_file(&at("package.json"), ROOT_PACKAGE)];
    assert_eq!(
        after(&written, "npm install lodash"),
        [install("npm", &["lodash"])]
    );
    assert_eq!(
        after(&written, "pnpm install --ignore-scripts"),
        Vec::<Value>::new()
    );
}

// ------------------------------------------------------------- workspaces

const UI_PACKAGE: &str = r#"{"name":"@acme/ui-kit","scripts":{"build":"rm -rf dist"},"publishConfig":{"registry":"https://npm.acme.dev/"}}"#;

#[test]
fn a_filtered_publish_goes_to_the_package_registry() {
    let written = [
        text_file(&at("package.json"), ROOT_PACKAGE),
        text_file(&at("packages/ui-kit/package.json"), UI_PACKAGE),
    ];
    let effects = after(
        &written,
        "pnpm --filter @acme/ui-kit publish --no-git-checks",
    );
    assert_eq!(
        request_lines(&effects),
        ["UPLOAD https://npm.acme.dev/"],
        "{effects:?}"
    );
    assert_eq!(
        effects[0]["payload"]["files"][0]["path"],
        json!(at("packages/ui-kit"))
    );
}

#[test]
fn a_workspace_selector_runs_the_package_script() {
    let written = [
        text_file(&at("package.json"), ROOT_PACKAGE),
        text_file(&at("packages/ui-kit/package.json"), UI_PACKAGE),
    ];
    for command in [
        "pnpm --filter @acme/ui-kit build",
        "pnpm -F @acme/ui-kit run build",
        "pnpm --filter ./packages/ui-kit build",
        "pnpm -C packages/ui-kit build",
        "npm -w @acme/ui-kit run build",
        "npm --workspace=@acme/ui-kit run build",
        "yarn workspace @acme/ui-kit build",
    ] {
        assert_eq!(
            after(&written, command),
            [delete(&at("packages/ui-kit/dist"), true)],
            "{command}"
        );
    }
    // A package not known, or several, run no package's script.
    for command in [
        "pnpm --filter @acme/other build",
        "pnpm --filter @acme/ui-kit... build",
    ] {
        let effects = after(&written, command);
        assert!(
            !effects.iter().any(|e| e["effect"] == "delete"),
            "{command}: {effects:?}"
        );
    }
}

#[test]
fn workspace_patterns_of_the_root_are_searched() {
    let root = r#"{"name":"root","workspaces":["modules/*"]}"#;
    let written = [
        text_file(&at("package.json"), root),
        text_file(&at("modules/acme-ui-kit/package.json"), UI_PACKAGE),
    ];
    assert_eq!(
        after(&written, "pnpm --filter @acme/ui-kit build"),
        [delete(&at("modules/acme-ui-kit/dist"), true)]
    );
}

// --------------------------------------------------------------------- nx

const PROJECT: &str = r#"{"name":"web-e2e","targets":{"down":{"executor":"nx:run-commands","options":{"commands":["kubectl --context prod delete namespace pr-{args.pr}",{"command":"rm -rf tmp/{args.pr}"}]}},"clean":{"command":"rm -rf {projectRoot}/out"},"e2e":{"executor":"@nx/playwright:playwright"}}}"#;

#[test]
fn nx_runs_a_run_commands_target_with_its_arguments() {
    let written = [text_file(&at("apps/web-e2e/project.json"), PROJECT)];
    let expected = [
        kubectl(
            "delete",
            &["namespace", "pr-7"],
            Some("prod"),
            None,
            &[],
            false,
            false,
        ),
        delete(&at("tmp/7"), true),
    ];
    for command in [
        "pnpm nx run web-e2e:down --pr=7",
        "npx nx run web-e2e:down --pr 7",
        "nx run web-e2e:down --pr=7",
        "nx down web-e2e --pr=7",
        "yarn nx web-e2e:down --pr=7",
    ] {
        assert_eq!(after(&written, command), expected, "{command}");
    }
}

#[test]
fn nx_command_shorthand_and_other_executors() {
    let written = [text_file(&at("apps/web-e2e/project.json"), PROJECT)];
    assert_eq!(
        after(&written, "nx run web-e2e:clean"),
        [delete(&at("apps/web-e2e/out"), true)]
    );
    // A plugin's executor is not followed.
    assert_eq!(after(&written, "nx run web-e2e:e2e"), Vec::<Value>::new());
}

// ------------------------------------------------------------------- rake

const EVENTS_RAKE: &str = "namespace :events do\n  task :reset do\n    host = ENV.fetch(\"PGHOST\", \"localhost\")\n    db = ENV[\"PGDATABASE\"] || \"dev\"\n    sh \"psql -h #{host} -d #{db} -c 'TRUNCATE outbox'\"\n  end\nend\n";

/// The `sql` effects' hosts.
fn sql_hosts(effects: &[Value]) -> Vec<String> {
    effects
        .iter()
        .filter(|e| e["effect"] == "sql")
        .map(|e| e["host"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn rake_env_reads_see_the_line_environment() {
    let written = [text_file(&at("admin/lib/tasks/events.rake"), EVENTS_RAKE)];
    for command in [
        "cd admin && PGHOST=db.prod.acme.corp bundle exec rake events:reset",
        "cd admin && rake events:reset PGHOST=db.prod.acme.corp",
    ] {
        let effects = after(&written, command);
        assert_eq!(
            sql_hosts(&effects),
            ["db.prod.acme.corp"],
            "{command}: {effects:?}"
        );
    }
    // The fetch's default otherwise.
    let effects = after(&written, "cd admin && rake events:reset");
    assert_eq!(sql_hosts(&effects), ["localhost"], "{effects:?}");
}

// ------------------------------------------------------------------- just

#[test]
fn just_joins_lines_continued_with_a_backslash() {
    let justfile = "deploy env:\n    helm upgrade --install api ./chart --kube-context {{env}} \\\n      -f values-{{env}}.yaml --wait\n";
    let written = [text_file(&at("justfile"), justfile)];
    assert_eq!(
        after(&written, "just deploy prod"),
        [
            json!({"effect": "helm", "verb": "upgrade", "release": "api", "kube_context": "prod", "dry_run": false})
        ]
    );
}
