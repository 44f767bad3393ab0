//! What a SQL client logs in with, as the line gives it: password options
//! (MySQL's attached `-pSECRET`, `--password=`, `sqlcmd -P`), password
//! variables set for it (`PGPASSWORD=`, `MYSQL_PWD=`), a server option's
//! `user:password@`, and an ADO.NET connection string's `Password=`.
//! writ-core sends it to the client's server with the query.

#![allow(clippy::panic)]

use crate::common;
use common::*;

use serde_json::json;

#[test]
fn passwords_the_line_gives_a_client() {
    run_table(&[
        // An attached `-p` value is the password, not a cluster of options
        // (`-e` among its letters would read the rest as SQL).
        (
            "mysql -h db.x -u app -pmysecret -e 'DELETE FROM t WHERE id = 1'",
            json!([with_login(
                sql(
                    "mysql",
                    Some("db.x"),
                    None,
                    Some("DELETE FROM t WHERE id = 1"),
                    &[]
                ),
                payload(&["mysecret"], &[], &[])
            )]),
        ),
        (
            "mariadb --host=db.x --password=\"$DB_PASS\" -e 'SELECT 1'",
            json!([with_login(
                sql("mariadb", Some("db.x"), None, Some("SELECT 1"), &[]),
                payload(&["$DB_PASS"], &[], &["DB_PASS"])
            )]),
        ),
        (
            "MYSQL_PWD=$DB_PASS mysql -h db.x -e 'SELECT 1'",
            json!([with_login(
                sql("mysql", Some("db.x"), None, Some("SELECT 1"), &[]),
                payload(&["$DB_PASS"], &[], &["DB_PASS"])
            )]),
        ),
        (
            "PGPASSWORD=\"$PGPASSWORD\" psql -h db.x -c 'SELECT 1'",
            json!([with_login(
                sql("psql", Some("db.x"), None, Some("SELECT 1"), &[]),
                payload(&["$PGPASSWORD"], &[], &["PGPASSWORD"])
            )]),
        ),
        (
            "sqlcmd -S db.x -U sa -P \"$DB_PASS\" -Q 'SELECT 1'",
            json!([with_login(
                sql("sqlcmd", Some("db.x"), None, Some("SELECT 1"), &[]),
                payload(&["$DB_PASS"], &[], &["DB_PASS"])
            )]),
        ),
        (
            "clickhouse-client --host db.x --password hunter2 -q 'SELECT 1'",
            json!([with_login(
                sql(
                    "clickhouse-client",
                    Some("db.x"),
                    None,
                    Some("SELECT 1"),
                    &[]
                ),
                payload(&["hunter2"], &[], &[])
            )]),
        ),
        (
            "mysqlsh --uri root:$DB_PASS@db.x:3306 -e 'SELECT 1'",
            json!([with_login(
                sql("mysqlsh", Some("db.x"), None, Some("SELECT 1"), &[]),
                payload(&["root:$DB_PASS"], &[], &["DB_PASS"])
            )]),
        ),
        (
            "Invoke-Sqlcmd -ConnectionString 'Server=db.x;User Id=sa;Password=p4ss' -Query 'SELECT 1'",
            json!([with_login(
                sql("invoke-sqlcmd", Some("db.x"), None, Some("SELECT 1"), &[]),
                payload(&["p4ss"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn a_prompt_for_a_password_gives_none() {
    run_table(&[
        (
            "mysql -h db.x -p app -e 'SELECT 1'",
            json!([sql("mysql", Some("db.x"), None, Some("SELECT 1"), &[])]),
        ),
        (
            "mysql -h db.x --password -e 'SELECT 1'",
            json!([sql("mysql", Some("db.x"), None, Some("SELECT 1"), &[])]),
        ),
        (
            "psql -h db.x -W -c 'SELECT 1'",
            json!([sql("psql", Some("db.x"), None, Some("SELECT 1"), &[])]),
        ),
    ]);
}

#[test]
fn script_files_on_standard_input_and_cqlsh_operands() {
    run_table(&[
        // `-f -` reads the heredoc: its SQL is the statement run.
        (
            "psql -h db.prod.example.net -d core -f - <<'SQL'\nTRUNCATE TABLE claims;\nSQL",
            json!([sql(
                "psql",
                Some("db.prod.example.net"),
                None,
                Some("TRUNCATE TABLE claims;"),
                &[]
            )]),
        ),
        // cqlsh's server is its first operand.
        (
            "cqlsh cass.prod.example.net 9042 --ssl -e \"TRUNCATE ks.pings\"",
            json!([sql(
                "cqlsh",
                Some("cass.prod.example.net"),
                None,
                Some("TRUNCATE ks.pings"),
                &[]
            )]),
        ),
        (
            "cqlsh -u ops -p \"$CASS_PW\" cass.prod.example.net -f migrate.cql",
            json!([with_login(
                sql(
                    "cqlsh",
                    Some("cass.prod.example.net"),
                    None,
                    None,
                    &[&at("migrate.cql")]
                ),
                json!({"text": ["$CASS_PW"], "files": [], "env": ["CASS_PW"]})
            )]),
        ),
    ]);
}
