//! Workspace package specs (`workspace:` versions, pnpm's `--workspace`,
//! `yarn workspace NAME add`), package runners, and test and reporting
//! tools that upload results to their vendor's cloud.

use crate::common;
use common::*;
use serde_json::json;

#[test]
fn workspace_packages_come_from_the_monorepo() {
    run_table(&[
        // A `workspace:` version resolves only to a local package.
        ("pnpm add @org/ui@workspace:*", json!([])),
        (
            "pnpm add @org/ui@workspace:^ @org/icons@workspace:~",
            json!([]),
        ),
        ("yarn add @org/ui@workspace:packages/ui", json!([])),
        ("npm install tool@file:../tool", json!([])),
        // A registry package beside a workspace one is still installed.
        (
            "pnpm add @org/ui@workspace:* lodash",
            json!([install("pnpm", &["lodash"])]),
        ),
        // pnpm's `--workspace` adds only packages found in the workspace.
        ("pnpm --filter web add @org/ui --workspace", json!([])),
        ("pnpm add --workspace @org/ui", json!([])),
        // pnpm's `-w` (`--workspace-root`) takes no value.
        ("pnpm add -w lodash", json!([install("pnpm", &["lodash"])])),
        (
            "pnpm --filter web add lodash",
            json!([install("pnpm", &["lodash"])]),
        ),
        ("pnpm -r add lodash", json!([install("pnpm", &["lodash"])])),
        // npm's `-w NAME` chooses where, not what.
        (
            "npm install lodash -w web",
            json!([install("npm", &["lodash"])]),
        ),
        (
            "npm i --workspace=web lodash",
            json!([install("npm", &["lodash"])]),
        ),
        // yarn's `-C` is `--caret`, not a directory.
        ("yarn add -C lodash", json!([install("yarn", &["lodash"])])),
    ]);
}

#[test]
fn yarn_workspace_commands_run_in_a_workspace() {
    run_table(&[
        (
            "yarn workspace @org/web add react-focus-lock@2.13.2",
            json!([install("yarn", &["react-focus-lock@2.13.2"])]),
        ),
        ("yarn workspace @org/web remove lodash", json!([])),
        ("yarn workspace @org/web add @org/ui@workspace:^", json!([])),
        (
            "yarn workspaces foreach -A --exclude @org/docs add -D vitest",
            json!([install("yarn", &["vitest"])]),
        ),
        // `-n`/`--dry-run` only lists the workspaces.
        ("yarn workspaces foreach -A -n add lodash", json!([])),
        // The command is analysed as any yarn command.
        (
            "yarn workspace @org/web dlx rimraf /",
            json!([install("yarn", &["rimraf"]), delete("/", true)]),
        ),
    ]);
}

#[test]
fn runners_install_only_when_told_to_fetch() {
    run_table(&[
        ("npx -y serve@14", json!([install("npx", &["serve@14"])])),
        ("pnpm dlx serve", json!([install("pnpm", &["serve"])])),
        (
            "npx -p @org/tool@2 tool build",
            json!([install("npx", &["@org/tool@2"])]),
        ),
        // Without `--yes`, npx runs the project's own tool, or asks first.
        (
            "npx @next/codemod@canary next-async-request-api ./src",
            json!([read(&at("src"))]),
        ),
        ("npx rimraf@5 dist", json!([delete(&at("dist"), true)])),
    ]);
}

#[test]
fn lighthouse_ci_uploads_where_its_target_says() {
    let reports = (&at(".lighthouseci")[..], true);
    run_table(&[
        (
            "lhci upload --target=temporary-public-storage",
            json!([public_request(
                "lhci",
                "https://us-central1-lighthouse-infrastructure.cloudfunctions.net/saveHtml",
                "POST",
                payload(
                    &["upload", "--target=temporary-public-storage"],
                    &[reports],
                    &[]
                )
            )]),
        ),
        (
            "pnpm exec lhci upload --target lhci --serverBaseUrl https://lhci.example.org/ --token T0K",
            json!([url_request(
                "lhci",
                "https://lhci.example.org",
                "POST",
                payload(
                    &[
                        "upload",
                        "--target",
                        "lhci",
                        "--serverBaseUrl",
                        "https://lhci.example.org/",
                        "--token",
                        "T0K"
                    ],
                    &[reports],
                    &[]
                )
            )]),
        ),
        (
            "lhci autorun --upload.target=temporary-public-storage",
            json!([public_request(
                "lhci",
                "https://us-central1-lighthouse-infrastructure.cloudfunctions.net/saveHtml",
                "POST",
                payload(
                    &["autorun", "--upload.target=temporary-public-storage"],
                    &[reports],
                    &[]
                )
            )]),
        ),
        // Local targets, and a server only the configuration file names.
        (
            "lhci upload --target=filesystem --outputDir=./lh",
            json!([]),
        ),
        ("lhci upload", json!([])),
        ("lhci autorun", json!([])),
    ]);
}

#[test]
fn recorded_cypress_runs_go_to_cypress_cloud() {
    run_table(&[
        (
            "npx cypress run --record --key K3Y --spec 'e2e/*.cy.ts'",
            json!([url_request(
                "cypress",
                "https://api.cypress.io/",
                "POST",
                payload(
                    &["run", "--record", "--key", "K3Y", "--spec", "e2e/*.cy.ts"],
                    &[],
                    &[]
                )
            )]),
        ),
        (
            "CYPRESS_RECORD_KEY=K3Y cypress run --record",
            json!([url_request(
                "cypress",
                "https://api.cypress.io/",
                "POST",
                payload(&["run", "--record", "K3Y"], &[], &[])
            )]),
        ),
        (
            "npx cypress run --browser chrome --spec e2e/a.cy.ts",
            json!([]),
        ),
        ("cypress run --record=false", json!([])),
        ("cypress open", json!([])),
    ]);
}

#[test]
fn chromatic_and_percy_publish_to_their_clouds() {
    run_table(&[
        (
            "npx chromatic --project-token chpt_1 -d storybook-static",
            json!([url_request(
                "chromatic",
                "https://index.chromatic.com/",
                "POST",
                payload(
                    &["--project-token", "chpt_1", "-d", "storybook-static"],
                    &[(&at("storybook-static"), true)],
                    &[]
                )
            )]),
        ),
        ("chromatic --dry-run", json!([])),
        (
            "percy exec -- curl -X POST https://x.example/a",
            json!([
                url_request("percy", "https://percy.io/api/v1/builds", "POST", empty()),
                url_request("curl", "https://x.example/a", "POST", empty())
            ]),
        ),
        (
            "percy snapshot ./public",
            json!([url_request(
                "percy",
                "https://percy.io/api/v1/builds",
                "POST",
                payload(&["./public"], &[(&at("public"), true)], &[])
            )]),
        ),
        (
            "percy upload ./shots",
            json!([url_request(
                "percy",
                "https://percy.io/api/v1/builds",
                "POST",
                payload(&["./shots"], &[(&at("shots"), true)], &[])
            )]),
        ),
        ("percy exec --dry-run -- npm test", json!([])),
    ]);
}

#[test]
fn sentry_uploads_send_their_files_to_its_server() {
    run_table(&[
        (
            "sentry-cli sourcemaps upload ./dist",
            json!([url_request(
                "sentry-cli",
                "https://sentry.io/",
                "POST",
                payload(
                    &["sourcemaps", "upload", "./dist"],
                    &[(&at("dist"), true)],
                    &[]
                )
            )]),
        ),
        (
            "sentry-cli --auth-token T0K debug-files upload --org acme build/",
            json!([url_request(
                "sentry-cli",
                "https://sentry.io/",
                "POST",
                payload(
                    &[
                        "--auth-token",
                        "T0K",
                        "debug-files",
                        "upload",
                        "--org",
                        "acme",
                        "build/",
                        "auth_token=T0K",
                        "org=acme"
                    ],
                    &[(&at("build"), true)],
                    &[]
                )
            )]),
        ),
        (
            "sentry-cli --url https://sentry.example.org/ releases new 1.2.0",
            json!([url_request(
                "sentry-cli",
                "https://sentry.example.org/",
                "POST",
                payload(
                    &[
                        "--url",
                        "https://sentry.example.org/",
                        "releases",
                        "new",
                        "1.2.0",
                        "url=https://sentry.example.org/"
                    ],
                    &[],
                    &[]
                )
            )]),
        ),
        ("sentry-cli releases list", json!([])),
    ]);
}
