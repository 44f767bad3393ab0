//! Table tests for CI/CD runs started from the command line: a job or
//! pipeline given a parameter that names an environment (`-p
//! ENVIRONMENT=production`, `--variables DEPLOY_ENV:production`) is a
//! deploy there (Jenkins' CLI, glab, Tekton, Argo Workflows, CircleCI,
//! Buildkite); Tekton and Argo runs are created in their cluster; a run
//! with no such parameter deploys nothing. Each case is a command line and
//! the exact effects `analyze` must report, run in `/home/dana/acme-web`
//! with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn deploy(program: &str, environment: &str, service: Option<&str>) -> Value {
    json!({"effect": "deploy", "program": program, "environment": environment, "service": service, "production": false})
}

#[test]
fn jenkins_cli_builds() {
    run_table(&[
        // Global options before the command (`-s URL`), the command's own
        // after it (`-s` is then "wait").
        (
            "java -jar jenkins-cli.jar -s https://jenkins.acme.io/ -auth @/home/dana/.jenkins/auth build folder/deploy -p ENVIRONMENT=production -p GIT_REF=v1 -s -v",
            json!([
                url_request(
                    "jenkins-cli",
                    "https://jenkins.acme.io/job/folder/job/deploy/buildWithParameters",
                    "POST",
                    payload(
                        &["ENVIRONMENT=production", "GIT_REF=v1"],
                        &[("/home/dana/.jenkins/auth", false)],
                        &[]
                    )
                ),
                deploy("jenkins", "production", Some("folder/deploy")),
            ]),
        ),
        // The token goes to the server named by `JENKINS_URL`.
        (
            "JENKINS_URL=https://ci.acme.io jenkins-cli -auth \"dana:$JENKINS_API_TOKEN\" build api -p DEPLOY_ENV=staging",
            json!([
                url_request(
                    "jenkins-cli",
                    "https://ci.acme.io/job/api/buildWithParameters",
                    "POST",
                    payload(
                        &["dana:$JENKINS_API_TOKEN", "DEPLOY_ENV=staging"],
                        &[],
                        &["JENKINS_API_TOKEN"]
                    )
                ),
                deploy("jenkins", "staging", Some("api")),
            ]),
        ),
        // No parameter: a plain build.
        (
            "java -Xmx256m -jar /opt/jenkins-cli-2.440.jar -s https://jenkins.acme.io build unit-tests -f",
            json!([url_request(
                "jenkins-cli",
                "https://jenkins.acme.io/job/unit-tests/build",
                "POST",
                empty()
            )]),
        ),
        // A framework's runtime mode is not an environment to deploy to.
        (
            "jenkins-cli -s https://jenkins.acme.io build web -p NODE_ENV=production",
            json!([url_request(
                "jenkins-cli",
                "https://jenkins.acme.io/job/web/buildWithParameters",
                "POST",
                payload(&["NODE_ENV=production"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn glab_pipeline_variables() {
    run_table(&[
        (
            "glab ci run -b main --variables-env DEPLOY_ENV:production -R https://gitlab.acme.io/web/api",
            json!([
                url_request(
                    "glab",
                    "https://gitlab.acme.io/api/v4/projects/web%2Fapi/pipeline",
                    "POST",
                    payload(&["DEPLOY_ENV:production"], &[], &[])
                ),
                deploy("glab", "production", Some("web/api")),
            ]),
        ),
        // A string slice: comma-separated `KEY:VALUE` pairs.
        (
            "glab pipeline run --variables RUN_TESTS:1,TARGET_ENVIRONMENT:prod -R gitlab.acme.io/web/api",
            json!([
                url_request(
                    "glab",
                    "https://gitlab.acme.io/api/v4/projects/web%2Fapi/pipeline",
                    "POST",
                    payload(&["RUN_TESTS:1,TARGET_ENVIRONMENT:prod"], &[], &[])
                ),
                deploy("glab", "prod", Some("gitlab.acme.io/web/api")),
            ]),
        ),
        (
            "glab ci run -b main --variables RUN_TESTS:1 -R https://gitlab.acme.io/web/api",
            json!([url_request(
                "glab",
                "https://gitlab.acme.io/api/v4/projects/web%2Fapi/pipeline",
                "POST",
                payload(&["RUN_TESTS:1"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn tekton_and_argo_runs_in_their_cluster() {
    run_table(&[
        (
            "tkn pipeline start deploy-payments --context gke-prod-west -n cd -p environment=production -p revision=v2 --use-param-defaults --showlog",
            json!([
                kubectl(
                    "create",
                    &["pipelinerun", "deploy-payments"],
                    Some("gke-prod-west"),
                    Some("cd"),
                    &[],
                    false,
                    false
                ),
                deploy("tkn", "production", Some("deploy-payments")),
            ]),
        ),
        // An array parameter's every value.
        (
            "tkn t start smoke -c staging --param env=qa,staging",
            json!([
                kubectl(
                    "create",
                    &["taskrun", "smoke"],
                    Some("staging"),
                    None,
                    &[],
                    false,
                    false
                ),
                deploy("tkn", "qa", Some("smoke")),
                deploy("tkn", "staging", Some("smoke")),
            ]),
        ),
        ("tkn pipeline start deploy -p env=prod --dry-run", json!([])),
        ("tkn pipeline list -n cd", json!([])),
        (
            "argo submit deploy.yaml -p env=prod --context prod-eks -n workflows --watch",
            json!([
                kubectl(
                    "create",
                    &["workflow"],
                    Some("prod-eks"),
                    Some("workflows"),
                    &[&at("deploy.yaml")],
                    false,
                    false
                ),
                deploy("argo", "prod", Some("deploy.yaml")),
            ]),
        ),
        (
            "argo submit --from workflowtemplate/release --parameter DEPLOY_ENV=staging",
            json!([
                kubectl(
                    "create",
                    &["workflow", "workflowtemplate/release"],
                    None,
                    None,
                    &[],
                    false,
                    false
                ),
                deploy("argo", "staging", Some("workflowtemplate/release")),
            ]),
        ),
        ("argo submit deploy.yaml -p env=prod --dry-run", json!([])),
    ]);
}

#[test]
fn vendor_ci_parameters() {
    run_table(&[
        (
            "circleci pipeline run acme 44n9 --parameters deploy_env=prod,notify=false",
            json!([
                url_request(
                    "circleci",
                    "https://circleci.com/api/v2/pipeline",
                    "POST",
                    payload(
                        &[
                            "pipeline",
                            "run",
                            "acme",
                            "44n9",
                            "--parameters",
                            "deploy_env=prod,notify=false"
                        ],
                        &[],
                        &[]
                    )
                ),
                deploy("circleci", "prod", Some("44n9")),
            ]),
        ),
        (
            "bk build create -p acme/web --env DEPLOY_ENV=production --env DEBUG=1",
            json!([
                url_request(
                    "bk",
                    "https://api.buildkite.com/v2/organizations/acme/pipelines/web/builds",
                    "POST",
                    // Repeated words are sent once.
                    payload(
                        &[
                            "build",
                            "create",
                            "-p",
                            "acme/web",
                            "--env",
                            "DEPLOY_ENV=production",
                            "DEBUG=1"
                        ],
                        &[],
                        &[]
                    )
                ),
                deploy("bk", "production", Some("acme/web")),
            ]),
        ),
    ]);
}

#[test]
fn workflow_inputs_named_like_environments() {
    run_table(&[
        (
            "gh workflow run deploy.yml -f DEPLOY_ENV=production",
            json!([deploy("gh", "production", Some("deploy.yml"))]),
        ),
        (
            "gh workflow run build.yml -f NODE_ENV=production",
            json!([]),
        ),
    ]);
}
