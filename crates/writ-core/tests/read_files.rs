//! What a step showed whole is what the session knows the file holds: a
//! read tool's output (plain or numbered) and a bare `cat FILE`'s, the
//! latest knowledge of a path winning. A later line that sources the file
//! (`set -a; . prod.pgenv`) or runs it through a substitution (`sh -c
//! "$(cat F)"`) acts on that text.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{Step, claude_tool, decide_after_steps, engine, function_call, shell};
use serde_json::{Value, json};
use writ_core::{Engine, Route, Runtime};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io", "acme.internal"],
    "production": {"databases": ["pg.prod.acme.internal"]},
    "tools": {
        "write_file": {"kind": "file_write", "args": {"path": "path", "content": "content"}},
        "read_file": {"kind": "file_read", "args": {"path": "path"}}
    }
}"#;

const PROD_ENV: &str = "PGHOST=pg.prod.acme.internal\nPGPORT=5432\nPGDATABASE=core\n";
const STAGING_ENV: &str = "PGHOST=pg.staging.acme.internal\nPGPORT=5432\nPGDATABASE=core\n";
const ENV_PATH: &str = "/home/dana/ws/ops/db.pgenv";
const TRUNCATE: &str = "set -a; . ops/db.pgenv; set +a; psql -c 'TRUNCATE payout_queue;'";

fn read(path: &str) -> (Runtime, Value) {
    claude_tool("Read", json!({"file_path": path}))
}

fn write(path: &str, content: &str) -> (Runtime, Value) {
    claude_tool("Write", json!({"file_path": path, "content": content}))
}

/// The route and reasons of `last` after `earlier`.
fn routed_after(
    engine: &Engine,
    earlier: &[Step<'_>],
    last: &(Runtime, Value),
) -> (Route, Vec<String>) {
    let decision = decide_after_steps(engine, earlier, last);
    (decision.route, decision.reasons)
}

fn destroys_production(got: &(Route, Vec<String>)) -> bool {
    got.0 == Route::Block && got.1.iter().any(|r| r == "DESTROY_PROTECTED")
}

fn numbered(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| format!("{:>6}\t{line}\n", i + 1))
        .collect()
}

#[test]
fn a_settings_file_shown_whole_is_what_a_sourcing_line_connects_to() {
    let engine = engine(DEPLOYMENT);
    let last = shell(TRUNCATE);
    let numbered = numbered(PROD_ENV);
    let shown: [Step<'_>; 5] = [
        (read(ENV_PATH), true, Some(PROD_ENV)),
        (read(ENV_PATH), true, Some(numbered.as_str())),
        (
            function_call("read_file", json!({"path": "ops/db.pgenv"})),
            true,
            Some(PROD_ENV),
        ),
        (shell("cat ops/db.pgenv"), true, Some(PROD_ENV)),
        (
            shell("cat -- '/home/dana/ws/ops/db.pgenv'"),
            true,
            Some(PROD_ENV),
        ),
    ];
    for step in shown {
        let got = routed_after(&engine, std::slice::from_ref(&step), &last);
        assert!(destroys_production(&got), "{}: {got:?}", step.0.1);
    }
    // Without anything known of the file, the server is not known.
    assert!(!destroys_production(&routed_after(&engine, &[], &last)));
}

#[test]
fn output_that_is_not_the_whole_file_is_not_its_text() {
    let engine = engine(DEPLOYMENT);
    let last = shell(TRUNCATE);
    for step in [
        (shell("cat -n ops/db.pgenv"), true, Some(PROD_ENV)),
        (shell("cat ops/db.pgenv | head -1"), true, Some(PROD_ENV)),
        (
            shell("cat ops/db.pgenv ops/other.env"),
            true,
            Some(PROD_ENV),
        ),
        (shell("grep PG ops/db.pgenv"), true, Some(PROD_ENV)),
        (shell("cat ops/db.pgenv"), false, Some(PROD_ENV)),
        (
            claude_tool("Read", json!({"file_path": ENV_PATH, "limit": 1})),
            true,
            Some(PROD_ENV),
        ),
    ] {
        let got = routed_after(&engine, std::slice::from_ref(&step), &last);
        assert!(!destroys_production(&got), "{}: {got:?}", step.0.1);
    }
    // An output too long to keep.
    let long = format!("{PROD_ENV}#{}\n", "x".repeat(300 * 1024));
    let got = routed_after(&engine, &[(read(ENV_PATH), true, Some(&long))], &last);
    assert!(!destroys_production(&got), "{got:?}");
}

#[test]
fn the_latest_knowledge_of_a_file_wins() {
    let engine = engine(DEPLOYMENT);
    let last = shell(TRUNCATE);
    let read_prod: Step<'_> = (read(ENV_PATH), true, Some(PROD_ENV));
    let read_staging: Step<'_> = (shell("cat ops/db.pgenv"), true, Some(STAGING_ENV));
    let write_staging: Step<'_> = (write(ENV_PATH, STAGING_ENV), true, None);
    let write_prod: Step<'_> = (write(ENV_PATH, PROD_ENV), true, None);
    let cases: [(&[Step<'_>], bool); 4] = [
        (&[read_prod.clone(), write_staging.clone()], false),
        (&[write_staging, read_prod.clone()], true),
        (&[read_prod, read_staging.clone()], false),
        (&[read_staging, write_prod], true),
    ];
    for (earlier, production) in cases {
        let got = routed_after(&engine, earlier, &last);
        assert_eq!(destroys_production(&got), production, "{got:?}");
    }
}

#[test]
fn a_script_shown_whole_runs_through_a_substitution() {
    let engine = engine(DEPLOYMENT);
    let script = "#!/bin/sh\npsql -h pg.prod.acme.internal -c 'DROP TABLE payouts'\n";
    let shown: Step<'_> = (read("/home/dana/ws/bin/reset.sh"), true, Some(script));
    for last in [
        "sh -c \"$(cat bin/reset.sh)\"",
        "bash -c \"$(< bin/reset.sh)\"",
        "eval \"`cat bin/reset.sh`\"",
    ] {
        let got = routed_after(&engine, std::slice::from_ref(&shown), &shell(last));
        assert!(destroys_production(&got), "{last}: {got:?}");
        let unknown = routed_after(&engine, &[], &shell(last));
        assert!(!destroys_production(&unknown), "{last}: {unknown:?}");
    }
}
