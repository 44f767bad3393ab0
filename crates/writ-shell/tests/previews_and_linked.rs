//! Previews that change nothing, stacks named for their environment, and
//! Supabase's linked project.
//!
//! A deploy tool told to propose its release for review makes none:
//! `sam deploy --no-execute-changeset`, `aws cloudformation deploy
//! --no-execute-changeset`, `aws cloudformation create-change-set`, `cdk
//! deploy --method=prepare-change-set`, as `cdk diff`, `sls package` and
//! `pulumi preview` already are; the same commands without the preview
//! option still release, also to the environment a stack's name holds
//! (`--stack-name ledger-prod`, `cdk deploy LedgerStack-prod`). Supabase's database commands on the linked
//! project (`--linked`, or `db push`/`db dump` by default) are requests to
//! the Supabase API, and, in the project `--project-ref` names, a change
//! there and a command to its database (`db reset --linked` a
//! destruction); `--local` and `db reset` without `--linked` stay on this
//! machine. Run in `/home/dana/acme-web`.

#![allow(clippy::panic)]

use serde_json::Value;

use crate::common::CTX;

/// Each effect of `command`, summed up in a line: `deploy ENV`, `request
/// METHOD URL`, `data CLASS HOST`, `write PATH`, or its kind.
fn summary(command: &str) -> Vec<String> {
    let analysis = writ_shell::analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    let Ok(Value::Array(effects)) = serde_json::to_value(&analysis.effects) else {
        panic!("{command}: no effects array");
    };
    effects.iter().map(line).collect()
}

fn line(effect: &Value) -> String {
    let text = |key: &str| effect[key].as_str().unwrap_or_default().to_owned();
    match effect["effect"].as_str().unwrap_or_default() {
        "deploy" => format!("deploy {}", text("environment")),
        "request" => format!(
            "request {} {}",
            text("method"),
            effect["target"]["url"].as_str().unwrap_or_default()
        ),
        "data_command" => format!("data {} {}", text("class"), text("host")),
        "write" => format!("write {}", text("path")),
        other => other.to_owned(),
    }
}

fn check(cases: &[(&str, &[&str])]) {
    for (command, expected) in cases {
        assert_eq!(summary(command), *expected, "effects of: {command}");
    }
}

/// The changes `command` makes elsewhere: its deploys, requests and
/// database commands (a preview may still read local files).
fn changes(command: &str) -> Vec<String> {
    summary(command)
        .into_iter()
        .filter(|l| {
            ["deploy ", "request ", "data "]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .collect()
}

#[test]
fn previews_release_nothing() {
    for command in [
        "sam deploy --no-execute-changeset --config-env prod",
        "sam deploy --config-env prod --no-execute-changeset --resolve-s3",
        "aws cloudformation deploy --no-execute-changeset --stack-name api --template-file t.yaml --profile prod",
        "aws cloudformation create-change-set --stack-name api --change-set-name c1 --template-body https://x/t.yaml --profile prod",
        "cdk deploy -c stage=prod --method=prepare-change-set",
        "cdk deploy -c stage=prod --method prepare-change-set",
        "cdk deploy -c stage=prod --no-execute",
        "cdk deploy -c stage=prod --execute=false",
        "cdk diff Api-prod -c stage=prod --fail",
        "cdk deploy Api-prod --method=prepare-change-set",
        "sam deploy --stack-name ledger-live --no-execute-changeset",
        "aws cloudformation describe-stacks --stack-name ledger-prod",
        "sls package --stage prod --package .serverless-prod",
        "pulumi preview --stack acme/api/prod",
    ] {
        assert!(
            changes(command).is_empty(),
            "{command}: {:?}",
            changes(command)
        );
    }
}

#[test]
fn the_same_commands_without_the_preview_release() {
    check(&[
        ("sam deploy --config-env prod", &["deploy prod"]),
        (
            "sam deploy --config-env prod --no-confirm-changeset",
            &["deploy prod"],
        ),
        (
            "aws cloudformation deploy --stack-name api --template-file t.yaml --profile prod",
            &["deploy prod"],
        ),
        (
            "aws cloudformation execute-change-set --stack-name api --change-set-name c1 --profile prod",
            &["deploy prod"],
        ),
        ("cdk deploy -c stage=prod", &["deploy prod"]),
        (
            "cdk deploy -c stage=prod --method=change-set",
            &["deploy prod"],
        ),
        ("sls deploy --stage prod", &["deploy prod"]),
        ("pulumi up --stack acme/api/prod --yes", &["deploy prod"]),
        // A stack's name made of parts holds the environment it is in.
        (
            "aws cloudformation deploy --stack-name ledger-prod --template-file t.yaml",
            &["deploy ledger-prod", "deploy ledger", "deploy prod"],
        ),
        (
            "sam deploy --stack-name ledger-live",
            &[
                "deploy default",
                "deploy ledger-live",
                "deploy ledger",
                "deploy live",
            ],
        ),
        (
            "cdk deploy LedgerStack-prod --require-approval never",
            &[
                "deploy LedgerStack-prod",
                "deploy LedgerStack",
                "deploy prod",
            ],
        ),
        // Another tool's option of that name is no preview of sam's.
        (
            "sls deploy --stage prod --no-execute-changeset",
            &["deploy prod"],
        ),
    ]);
}

const API: &str = "https://api.supabase.com/";

#[test]
fn supabase_linked_project_commands_reach_supabase() {
    let reset = format!("request DELETE {API}");
    let push = format!("request POST {API}");
    let read = format!("request GET {API}");
    check(&[
        ("supabase db reset --linked", &[reset.as_str()]),
        ("supabase db reset --linked=true", &[reset.as_str()]),
        (
            "supabase db reset --linked --project-ref abcdprod",
            &[
                reset.as_str(),
                "data destroy db.abcdprod.supabase.co",
                "deploy abcdprod",
            ],
        ),
        ("supabase db push", &[push.as_str()]),
        ("supabase db push --linked --include-all", &[push.as_str()]),
        (
            "supabase --workdir . db push --project-ref abcdprod",
            &[
                push.as_str(),
                "data write db.abcdprod.supabase.co",
                "deploy abcdprod",
            ],
        ),
        (
            "supabase migration repair 20240101 --status reverted",
            &[push.as_str()],
        ),
        ("supabase migration up --linked", &[push.as_str()]),
        ("supabase db dump --linked", &[read.as_str()]),
        (
            "supabase db dump --linked -f dump.sql",
            &["write /home/dana/acme-web/dump.sql", read.as_str()],
        ),
        ("supabase migration list", &[read.as_str()]),
        (
            "supabase db dump --project-ref abcdprod --data-only",
            &[read.as_str(), "data read db.abcdprod.supabase.co"],
        ),
    ]);
}

#[test]
fn supabase_local_and_url_commands_stay_where_they_are() {
    check(&[
        ("supabase db reset", &[]),
        ("supabase db reset --local", &[]),
        ("supabase db reset --linked=false", &[]),
        ("supabase db push --local", &[]),
        ("supabase db push --dry-run", &[]),
        ("supabase db diff", &[]),
        ("supabase migration up", &[]),
        ("supabase migration down --last 1", &[]),
        ("supabase db lint", &[]),
        (
            "supabase db dump --local -f dump.sql",
            &["write /home/dana/acme-web/dump.sql"],
        ),
        (
            "supabase db dump --db-url postgresql://postgres@db.example.com/postgres --file d.sql",
            &["write /home/dana/acme-web/d.sql"],
        ),
        (
            "supabase db reset --db-url postgresql://postgres@db.example.com:5432/postgres",
            &["data destroy db.example.com"],
        ),
        (
            "supabase db push --db-url postgresql://postgres@db.example.com:5432/postgres",
            &["data write db.example.com"],
        ),
    ]);
}
