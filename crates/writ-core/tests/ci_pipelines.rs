//! A CI job or pipeline started with a parameter naming a production
//! environment is a production change, whichever way it is started: a
//! CI CLI in a shell (Jenkins' CLI, glab, tkn, argo), or the CI server's
//! REST API from curl, the HTTP gateway or an SDK's HTTP tool (Jenkins'
//! `buildWithParameters`, GitLab's pipeline, trigger and job-play APIs,
//! CircleCI's pipelines, Buildkite's builds). A run with a non-production
//! environment, or none, stays allowed; a Tekton run in a production kube
//! context changes production whatever its parameters.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{function_call, quoted, shell};
use serde_json::{Value, json};
use writ_core::{Engine, Route, Runtime};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io", "circleci.com", "buildkite.com"],
    "org_repos": ["gitlab.acme.io/*"],
    "production": {"environments": ["production", "prod"],
                   "kube_contexts": ["gke-prod-west"]},
    "tools": {
        "http_request": {"kind": "http",
                         "args": {"method": "method", "url": "url", "body": "body",
                                  "headers": "headers"}}
    }
}"#;

fn engine() -> Engine {
    common::engine(DEPLOYMENT)
}

/// One `POST` in the three families: curl, the HTTP gateway, an SDK's
/// HTTP tool.
fn post(url: &str, body: &str) -> Vec<(Runtime, Value)> {
    let kind = if body.trim_start().starts_with(['{', '[']) {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let data = if body.is_empty() {
        String::new()
    } else {
        format!(" --data-raw {}", quoted(body))
    };
    vec![
        shell(&format!(
            "curl -sS -X POST {} -H 'Content-Type: {kind}'{data}",
            quoted(url)
        )),
        (
            Runtime::Http,
            json!({"method": "POST", "url": url, "headers": {"content-type": kind}, "body": body}),
        ),
        function_call(
            "http_request",
            json!({"method": "POST", "url": url, "headers": {"Content-Type": kind}, "body": body}),
        ),
    ]
}

fn check_posts(engine: &Engine, cases: &[(&str, &str)], route: Route, reasons: &[&str]) {
    for (url, body) in cases {
        common::assert_routes(engine, url, &post(url, body), route, reasons);
    }
}

fn check_shell(engine: &Engine, commands: &[&str], route: Route, reasons: &[&str]) {
    for command in commands {
        common::assert_routes(engine, command, &[shell(command)], route, reasons);
    }
}

#[test]
fn ci_apis_started_for_production_are_production_changes() {
    let engine = engine();
    let jenkins = "https://jenkins.acme.io/job/payments/job/deploy";
    let gitlab = "https://gitlab.acme.io/api/v4/projects/web%2Fapi";
    check_posts(
        &engine,
        &[
            (
                &format!("{jenkins}/buildWithParameters?ENVIRONMENT=production&GIT_REF=v2"),
                "",
            ),
            (
                &format!("{jenkins}/buildWithParameters"),
                "DEPLOY_ENV=prod&GIT_REF=v2",
            ),
            (
                &format!("{jenkins}/build"),
                r#"json={"parameter": [{"name": "environment", "value": "production"}]}"#,
            ),
            (
                &format!("{gitlab}/pipeline"),
                r#"{"ref": "main", "variables": [{"key": "DEPLOY_ENV", "value": "production"}]}"#,
            ),
            (
                &format!("{gitlab}/pipeline"),
                "ref=main&variables[][key]=DEPLOY_ENV&variables[][value]=production",
            ),
            (
                &format!("{gitlab}/trigger/pipeline"),
                "token=t&ref=main&variables[TARGET_ENVIRONMENT]=prod",
            ),
            (
                &format!("{gitlab}/jobs/88/play"),
                r#"{"job_variables_attributes": [{"key": "stage", "value": "production"}]}"#,
            ),
            (
                "https://circleci.com/api/v2/project/gh/acme/web/pipeline",
                r#"{"branch": "main", "parameters": {"deploy_env": "prod"}}"#,
            ),
            (
                "https://api.buildkite.com/v2/organizations/acme/pipelines/web/builds",
                r#"{"commit": "HEAD", "branch": "main", "env": {"DEPLOY_ENV": "production"}}"#,
            ),
        ],
        Route::RequireApproval,
        &["PROD_CHANGE"],
    );
}

#[test]
fn ci_apis_started_for_other_environments_stay_allowed() {
    let engine = engine();
    check_posts(
        &engine,
        &[
            (
                "https://jenkins.acme.io/job/deploy/buildWithParameters?ENVIRONMENT=staging",
                "",
            ),
            (
                "https://jenkins.acme.io/job/web/buildWithParameters?NODE_ENV=production",
                "",
            ),
            (
                "https://gitlab.acme.io/api/v4/projects/12/pipeline",
                r#"{"ref": "main", "variables": [{"key": "RUN_E2E", "value": "production"}]}"#,
            ),
            (
                "https://gitlab.acme.io/api/v4/projects/12/trigger/pipeline",
                "token=t&ref=main&variables[DEPLOY_ENV]=staging",
            ),
        ],
        Route::Allow,
        &[],
    );
}

#[test]
fn ci_clis_started_for_production_are_production_changes() {
    let engine = engine();
    check_shell(
        &engine,
        &[
            "java -jar jenkins-cli.jar -s https://jenkins.acme.io/ -auth @/home/dana/.jenkins/auth build deploy -p ENVIRONMENT=production -s",
            "glab ci run -b main --variables-env DEPLOY_ENV:production -R https://gitlab.acme.io/web/api",
            "tkn pipeline start deploy -n cd -p environment=production",
            // A production context, whatever the parameters.
            "tkn pipeline start build --context gke-prod-west -p environment=staging",
            "argo submit deploy.yaml -p env=prod",
            "gh workflow run deploy.yml -f TARGET_ENV=prod",
        ],
        Route::RequireApproval,
        &["PROD_CHANGE"],
    );
    check_shell(
        &engine,
        &[
            "java -jar jenkins-cli.jar -s https://jenkins.acme.io/ build deploy -p ENVIRONMENT=staging",
            "glab ci run -b main --variables DEPLOY_ENV:staging -R https://gitlab.acme.io/web/api",
            "tkn pipeline start build -n cd -p environment=dev",
            "tkn pipeline start deploy -p environment=production --dry-run",
        ],
        Route::Allow,
        &[],
    );
}
