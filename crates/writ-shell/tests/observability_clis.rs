//! Observability and incident vendors' CLIs: what Datadog's `dog` and
//! `datadog-ci`, PagerDuty's `pd`, Opsgenie's `lamp`, New Relic's
//! `newrelic` and `sentry-cli` send to the vendor's API (or the server the
//! line names), and the commands that send nothing.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// A request whose payload is the command's arguments, as written.
fn carrying_args(program: &str, url: &str, method: &str, args: &[&str]) -> Value {
    url_request(program, url, method, payload(args, &[], &[]))
}

#[test]
fn dogshell_changes_are_requests_to_the_datadog_site() {
    run_table(&[
        (
            "dog monitor mute 48213377 --scope env:staging",
            json!([carrying_args(
                "dog",
                "https://api.datadoghq.com/api/v1/monitor",
                "POST",
                &["monitor", "mute", "48213377", "--scope", "env:staging"],
            )]),
        ),
        (
            "dog downtime delete 77",
            json!([carrying_args(
                "dog",
                "https://api.datadoghq.com/api/v1/downtime",
                "DELETE",
                &["downtime", "delete", "77"],
            )]),
        ),
        (
            "DD_SITE=datadoghq.eu dog event post Deployed done",
            json!([carrying_args(
                "dog",
                "https://api.datadoghq.eu/api/v1/event",
                "POST",
                &["event", "post", "Deployed", "done"],
            )]),
        ),
        (
            "dog --api_host https://dd.example.net service_check check app.ok web01 0",
            json!([carrying_args(
                "dog",
                "https://dd.example.net/api/v1/service_check",
                "POST",
                &[
                    "--api_host",
                    "https://dd.example.net",
                    "service_check",
                    "check",
                    "app.ok",
                    "web01",
                    "0",
                ],
            )]),
        ),
    ]);
}

#[test]
fn a_token_the_line_sets_goes_with_the_request() {
    let effects = effects("DD_API_KEY=$STOLEN dog metric post queue.depth 12");
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(effects[0]["payload"]["env"], json!(["STOLEN"]));
}

#[test]
fn dogshell_share_makes_the_board_public() {
    let effects = effects("dog screenboard share 4412");
    assert_eq!(
        request_lines(&effects),
        ["POST https://api.datadoghq.com/api/v1/screenboard"]
    );
    assert_eq!(
        access_effects("dog screenboard share 4412"),
        json!([make_public(
            json!({"kind": "other", "name": "dog screenboard share 4412"})
        )])
    );
}

#[test]
fn reads_and_other_programs_called_dog_send_nothing() {
    for command in [
        "dog monitor show 48213377",
        "dog monitor show_all",
        "dog search query host:web",
        "pd incident list --status triggered",
        "pd service show -i P1",
        "lamp listAlerts --query status:open",
        "newrelic nerdgraph query '{ actor { user { name } } }'",
        "sentry-cli releases list",
        "datadog-ci junit upload --dry-run report.xml",
    ] {
        assert_eq!(
            effects(command),
            Vec::<Value>::new(),
            "effects of: {command}"
        );
    }
    // ogham's `dog` is a DNS client: no Datadog request.
    assert!(request_lines(&effects("dog example.com MX")).is_empty());
}

#[test]
fn datadog_ci_uploads_send_their_files() {
    run_table(&[(
        "datadog-ci junit upload --service checkout reports/junit.xml",
        json!([url_request(
            "datadog-ci",
            "https://api.datadoghq.com/api/v2/junit",
            "POST",
            payload(
                &[
                    "junit",
                    "upload",
                    "--service",
                    "checkout",
                    "reports/junit.xml"
                ],
                &[(&at("reports/junit.xml"), true)],
                &[],
            ),
        )]),
    )]);
}

#[test]
fn pagerduty_incidents_and_events() {
    assert_eq!(
        request_lines(&effects(
            "pd incident create --title 'DB down' --service checkout"
        )),
        ["POST https://api.pagerduty.com/incident"]
    );
    assert_eq!(
        request_lines(&effects("pd incident:resolve -i Q2XK7ZV1M3AB9C")),
        ["POST https://api.pagerduty.com/incident"]
    );
    assert_eq!(
        request_lines(&effects("pd schedule override create -i P1 --start now")),
        ["POST https://api.pagerduty.com/schedule"]
    );
    assert_eq!(
        request_lines(&effects("pd event alert -r KEY --summary 'disk full'")),
        ["POST https://events.pagerduty.com/v2/enqueue"]
    );
}

#[test]
fn opsgenie_alerts_and_attachments() {
    assert_eq!(
        request_lines(&effects("lamp createAlert --message 'checkout 5xx'")),
        ["POST https://api.opsgenie.com/v2/createAlert"]
    );
    assert_eq!(
        request_lines(&effects(
            "opsgenie-lamp closeAlert --id 42 --apiUrl https://api.eu.opsgenie.com"
        )),
        ["POST https://api.eu.opsgenie.com/v2/closeAlert"]
    );
    let attach = effects("lamp attachFile --id 42 --filePath .env");
    assert_eq!(
        attach[0]["payload"]["files"],
        json!([{"path": at(".env"), "recursive": false}])
    );
}

#[test]
fn new_relic_mutations_and_regions() {
    assert_eq!(
        request_lines(&effects(
            "newrelic nerdgraph query 'mutation { tagging { x } }'"
        )),
        ["POST https://api.newrelic.com/graphql"]
    );
    assert_eq!(
        request_lines(&effects(
            "NEW_RELIC_REGION=EU newrelic apm deployment create --applicationId 1 --revision v2"
        )),
        ["POST https://api.eu.newrelic.com/graphql"]
    );
    assert_eq!(
        request_lines(&effects(
            "newrelic entity tags delete --guid ABC --tag env:prod --region eu"
        )),
        ["DELETE https://api.eu.newrelic.com/graphql"]
    );
}

#[test]
fn sentry_uploads_after_a_version_send_what_they_name() {
    run_table(&[
        (
            "sentry-cli releases files 1.0 upload-sourcemaps dist",
            json!([url_request(
                "sentry-cli",
                "https://sentry.io/",
                "POST",
                payload(
                    &["releases", "files", "1.0", "upload-sourcemaps", "dist"],
                    &[(&at("dist"), true)],
                    &[],
                ),
            )]),
        ),
        (
            "SENTRY_URL=https://sentry.corp.example sentry-cli releases files 2.1 upload-sourcemaps build/js",
            json!([url_request(
                "sentry-cli",
                "https://sentry.corp.example/",
                "POST",
                payload(
                    &["releases", "files", "2.1", "upload-sourcemaps", "build/js"],
                    &[(&at("build/js"), true)],
                    &[],
                ),
            )]),
        ),
    ]);
}

#[test]
fn sentry_deploys_events_and_check_ins() {
    assert_eq!(
        request_lines(&effects(
            "sentry-cli --url https://sentry.corp.example/ releases deploys 1.0 new -e prod"
        )),
        ["POST https://sentry.corp.example/"]
    );
    assert_eq!(
        request_lines(&effects("sentry-cli send-event -m hello")),
        ["POST https://sentry.io/"]
    );
    // An event goes to the project's DSN.
    assert_eq!(
        request_lines(&effects(
            "SENTRY_DSN=https://k@o1.ingest.example.io/7 sentry-cli send-event -m hello"
        )),
        ["POST https://o1.ingest.example.io"]
    );
    // `monitors run` runs its command and checks in.
    assert_eq!(
        kinds("sentry-cli monitors run nightly -- rm -rf build"),
        ["request", "delete"]
    );
    assert_eq!(
        effects("sentry-cli monitors run nightly -- rm -rf build")[1],
        delete(&at("build"), true)
    );
}
