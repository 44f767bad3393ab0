//! Analytics tools that take data to a database or a platform: csvkit's
//! `csvsql --db URL` (the statements it runs there, with the CSV files'
//! rows under `--insert`) and `sql2csv`, DuckDB's MotherDuck databases
//! (`duckdb md:NAME`, MotherDuck's service logged in with its token), and
//! `datasette publish`, an upload of the databases to a hosting platform
//! that serves them to anyone.

#![allow(clippy::panic)]

use crate::common;
use common::*;

use serde_json::json;

const CUSTOMERS: &str = "/home/dana/acme-web/data/customers.csv";

#[test]
fn csvsql_runs_its_statements_at_the_database_its_url_names() {
    let neon = "postgresql://ravi:hunter22@ep-pine.us-east-2.aws.neon.tech/scratch?sslmode=require";
    run_table(&[
        (
            &format!(
                "csvsql --db '{neon}' --tables customers --insert --create-if-not-exists data/customers.csv"
            ),
            json!([
                read(CUSTOMERS),
                sql(
                    "csvsql",
                    Some("ep-pine.us-east-2.aws.neon.tech"),
                    Some(neon),
                    Some(
                        "CREATE TABLE IF NOT EXISTS customers (); INSERT INTO customers VALUES ()"
                    ),
                    &[CUSTOMERS]
                )
            ]),
        ),
        // `--overwrite` drops the table first; the hooks run around the rows.
        (
            "csvsql --db postgresql://etl@db.x/w --insert --overwrite --before-insert 'SET x = 1' --after-insert 'ANALYZE rates' data/rates.csv",
            json!([
                read("/home/dana/acme-web/data/rates.csv"),
                sql(
                    "csvsql",
                    Some("db.x"),
                    Some("postgresql://etl@db.x/w"),
                    Some(
                        "DROP TABLE IF EXISTS rates; CREATE TABLE rates (); SET x = 1; INSERT INTO rates VALUES (); ANALYZE rates"
                    ),
                    &["/home/dana/acme-web/data/rates.csv"]
                )
            ]),
        ),
        // Without `--insert` only the tables are created: no rows leave.
        (
            "csvsql --db mysql+pymysql://u@db.x/w data/a.csv data/b.tsv",
            json!([
                read("/home/dana/acme-web/data/a.csv"),
                read("/home/dana/acme-web/data/b.tsv"),
                sql(
                    "csvsql",
                    Some("db.x"),
                    Some("mysql+pymysql://u@db.x/w"),
                    Some("CREATE TABLE a (); CREATE TABLE b ()"),
                    &[]
                )
            ]),
        ),
        // argparse's abbreviations, and queries after the rows.
        (
            "csvsql --db=postgresql://u@db.x/w --ins --no-create --table t --query 'SELECT count(*) FROM t' data/a.csv",
            json!([
                read("/home/dana/acme-web/data/a.csv"),
                sql(
                    "csvsql",
                    Some("db.x"),
                    Some("postgresql://u@db.x/w"),
                    Some("INSERT INTO t VALUES (); SELECT count(*) FROM t"),
                    &["/home/dana/acme-web/data/a.csv"]
                )
            ]),
        ),
        // Rows on standard input.
        (
            "cat data/customers.csv | csvsql --db postgresql://u@db.x/w --insert",
            json!([
                read(CUSTOMERS),
                sql(
                    "csvsql",
                    Some("db.x"),
                    Some("postgresql://u@db.x/w"),
                    Some("CREATE TABLE stdin (); INSERT INTO stdin VALUES ()"),
                    &[CUSTOMERS]
                )
            ]),
        ),
        // libpq's password variable logs in.
        (
            "PGPASSWORD=$PW csvsql --db postgresql://u@db.x/w --insert --no-create data/a.csv",
            json!([
                read("/home/dana/acme-web/data/a.csv"),
                with_login(
                    sql(
                        "csvsql",
                        Some("db.x"),
                        Some("postgresql://u@db.x/w"),
                        Some("INSERT INTO a VALUES ()"),
                        &["/home/dana/acme-web/data/a.csv"]
                    ),
                    payload(&["$PW"], &[], &["PW"])
                )
            ]),
        ),
        // A SQLite URL is a file here.
        (
            "csvsql --db sqlite:///local.db --insert data/a.csv",
            json!([
                read("/home/dana/acme-web/data/a.csv"),
                sql(
                    "csvsql",
                    None,
                    Some("/home/dana/acme-web/local.db"),
                    Some("CREATE TABLE a (); INSERT INTO a VALUES ()"),
                    &["/home/dana/acme-web/data/a.csv"]
                )
            ]),
        ),
        (
            "sql2csv --db mysql://u@db.x/w --query 'SELECT * FROM t'",
            json!([sql(
                "sql2csv",
                Some("db.x"),
                Some("mysql://u@db.x/w"),
                Some("SELECT * FROM t"),
                &[]
            )]),
        ),
        (
            "sql2csv --db mysql://u@db.x/w q.sql",
            json!([sql(
                "sql2csv",
                Some("db.x"),
                Some("mysql://u@db.x/w"),
                None,
                &["/home/dana/acme-web/q.sql"]
            )]),
        ),
    ]);
}

#[test]
fn csvsql_without_a_database_only_reads_its_files() {
    run_table(&[
        ("csvsql data/customers.csv", json!([read(CUSTOMERS)])),
        (
            "csvsql -i postgresql --tables c data/customers.csv",
            json!([read(CUSTOMERS)]),
        ),
        (
            "csvsql --query 'SELECT count(*) FROM customers' data/customers.csv",
            json!([read(CUSTOMERS)]),
        ),
        // `--null-value` takes every word up to the next option.
        (
            "csvsql --null-value NA N/A --db postgresql://u@db.x/w --insert data/a.csv",
            json!([
                read("/home/dana/acme-web/data/a.csv"),
                sql(
                    "csvsql",
                    Some("db.x"),
                    Some("postgresql://u@db.x/w"),
                    Some("CREATE TABLE a (); INSERT INTO a VALUES ()"),
                    &["/home/dana/acme-web/data/a.csv"]
                )
            ]),
        ),
        ("sql2csv --query 'SELECT 1'", json!([])),
    ]);
}

#[test]
fn a_motherduck_database_is_a_server_logged_in_with_its_token() {
    run_table(&[
        (
            "duckdb md:sandbox -c 'SELECT 1'",
            json!([sql(
                "duckdb",
                Some("api.motherduck.com"),
                Some("md:sandbox"),
                Some("SELECT 1"),
                &[]
            )]),
        ),
        (
            "MOTHERDUCK_TOKEN=$T duckdb motherduck:sandbox -c 'SELECT 1'",
            json!([with_login(
                sql(
                    "duckdb",
                    Some("api.motherduck.com"),
                    Some("motherduck:sandbox"),
                    Some("SELECT 1"),
                    &[]
                ),
                payload(&["$T"], &[], &["T"])
            )]),
        ),
        (
            "duckdb \"md:sandbox?motherduck_token=$T\" -c 'SELECT 1'",
            json!([with_login(
                sql(
                    "duckdb",
                    Some("api.motherduck.com"),
                    Some("md:sandbox?motherduck_token=$T"),
                    Some("SELECT 1"),
                    &[]
                ),
                payload(&["$T"], &[], &["T"])
            )]),
        ),
        // A local database file, and SQLite's shell.
        (
            "duckdb analytics.duckdb -c 'SELECT 1'",
            json!([sql(
                "duckdb",
                None,
                Some("/home/dana/acme-web/analytics.duckdb"),
                Some("SELECT 1"),
                &[]
            )]),
        ),
        (
            "sqlite3 md:x 'SELECT 1'",
            json!([sql("sqlite3", None, Some("md:x"), Some("SELECT 1"), &[])]),
        ),
    ]);
}

#[test]
fn datasette_publish_uploads_what_it_bundles_to_a_public_platform() {
    let db = "/home/dana/acme-web/data/crm.sqlite";
    run_table(&[
        (
            "datasette publish cloudrun data/crm.sqlite --service=crm --title 'CRM' --install=datasette-vega",
            json!([
                read(db),
                public_request(
                    "datasette",
                    "https://cloudbuild.googleapis.com/",
                    "UPLOAD",
                    payload(&[], &[(db, false)], &[])
                )
            ]),
        ),
        (
            "datasette publish heroku -n crm -m meta.json --template-dir templates --static assets:static --plugin-secret datasette-auth-github client_secret \"$GH_SECRET\" data/crm.sqlite",
            json!([
                read(db),
                read("/home/dana/acme-web/meta.json"),
                read_tree("/home/dana/acme-web/templates"),
                read_tree("/home/dana/acme-web/static"),
                public_request(
                    "datasette",
                    "https://api.heroku.com/",
                    "UPLOAD",
                    payload(
                        &["$GH_SECRET"],
                        &[
                            (db, false),
                            ("/home/dana/acme-web/meta.json", false),
                            ("/home/dana/acme-web/templates", true),
                            ("/home/dana/acme-web/static", true)
                        ],
                        &["GH_SECRET"]
                    )
                )
            ]),
        ),
        (
            "datasette publish fly data/crm.sqlite --app crm --setting max_returned_rows 2000 --spatialite",
            json!([
                read(db),
                public_request(
                    "datasette",
                    "https://api.fly.io/",
                    "UPLOAD",
                    payload(&[], &[(db, false)], &[])
                )
            ]),
        ),
        // The app written out here instead, and a Docker image built here.
        (
            "datasette publish vercel data/crm.sqlite --project crm --generate-dir out/app",
            json!([read(db), write("/home/dana/acme-web/out/app")]),
        ),
        (
            "datasette package data/crm.sqlite -t crm:latest",
            json!([read(db)]),
        ),
    ]);
}
