//! Database clients hidden inside other tools: a framework's database
//! shell (`manage.py dbshell`, `rails dbconsole`) runs psql, mysql or
//! sqlite3 on the connection its settings' URL names; a migration runner
//! given SQL to run (`liquibase execute-sql --sql`) sends that SQL; sqlmap
//! with `-d DSN` connects to the database itself.

use super::common::*;
use serde_json::json;

const PROD: &str = "pg.prod.example.internal";

#[test]
fn framework_shells_run_their_databases_client() {
    run_table(&[
        (
            "DATABASE_URL=postgres://admin@pg.prod.example.internal:5432/portal python manage.py dbshell --database default -- -c 'TRUNCATE TABLE django_session;'",
            json!([sql(
                "psql",
                Some(PROD),
                Some("postgresql://admin@pg.prod.example.internal:5432/portal"),
                Some("TRUNCATE TABLE django_session;"),
                &[]
            )]),
        ),
        (
            "export DATABASE_URL=postgis://u@pg.prod.example.internal/app; django-admin dbshell -- -c 'DELETE FROM t'",
            json!([sql(
                "psql",
                Some(PROD),
                Some("postgresql://u@pg.prod.example.internal/app"),
                Some("DELETE FROM t"),
                &[]
            )]),
        ),
        (
            "echo 'DELETE FROM t' | DATABASE_URL=mysql2://app:pw@db.example.internal:3306/shop bin/rails dbconsole",
            json!([with_login(
                sql(
                    "mysql",
                    Some("db.example.internal"),
                    None,
                    Some("DELETE FROM t"),
                    &[]
                ),
                payload(&["pw"], &[], &[])
            )]),
        ),
        (
            "echo 'DROP TABLE t' | DATABASE_URL=sqlite:////srv/app/db.sqlite3 python manage.py dbshell",
            json!([sql(
                "sqlite3",
                None,
                Some("/srv/app/db.sqlite3"),
                Some("DROP TABLE t"),
                &[]
            )]),
        ),
    ]);
}

#[test]
fn framework_shells_near_misses() {
    run_table(&[
        // Another alias than the default one the URL configures.
        (
            "DATABASE_URL=postgres://u@pg.prod.example.internal/app python manage.py dbshell --database replica -- -c 'DELETE FROM t'",
            json!([read("/home/dana/acme-web/manage.py")]),
        ),
        // No URL: the connection is not known from the line.
        (
            "python manage.py dbshell -- -c 'DELETE FROM t'",
            json!([read("/home/dana/acme-web/manage.py")]),
        ),
        // Rails does not pass words on to the client.
        (
            "DATABASE_URL=postgres://u@pg.prod.example.internal/app rails dbconsole -- -c 'DELETE FROM t'",
            json!([sql(
                "psql",
                Some(PROD),
                Some("postgresql://u@pg.prod.example.internal/app"),
                None,
                &[]
            )]),
        ),
    ]);
}

#[test]
fn runners_given_sql_send_it() {
    let dsn = "jdbc:postgresql://pg.prod.example.internal:5432/ledger";
    run_table(&[
        (
            "liquibase --url jdbc:postgresql://pg.prod.example.internal:5432/ledger --username migrator execute-sql --sql 'TRUNCATE TABLE databasechangeloglock'",
            json!([sql(
                "liquibase",
                Some(PROD),
                Some(dsn),
                Some("TRUNCATE TABLE databasechangeloglock"),
                &[]
            )]),
        ),
        (
            "LIQUIBASE_COMMAND_URL=jdbc:postgresql://pg.prod.example.internal:5432/ledger liquibase execute-sql --sql='truncate table x;'",
            json!([sql(
                "liquibase",
                Some(PROD),
                Some(dsn),
                Some("truncate table x;"),
                &[]
            )]),
        ),
        (
            "liquibase executeSql --url=jdbc:postgresql://pg.prod.example.internal:5432/ledger --sqlFile=wipe.sql",
            json!([sql(
                "liquibase",
                Some(PROD),
                Some(dsn),
                None,
                &["/home/dana/acme-web/wipe.sql"]
            )]),
        ),
        // No connection on the line: only the environment it changes.
        (
            "php bin/console dbal:run-sql 'DELETE FROM users' --env=prod",
            json!([{"effect": "deploy", "program": "console", "environment": "prod", "service": null, "production": false}]),
        ),
    ]);
}

#[test]
fn a_script_written_earlier_is_the_sql_a_runner_sends() {
    let written = [text_file(
        "/home/dana/acme-web/wipe.sql",
        "DROP TABLE orders;",
    )];
    let effects = effects_after(
        &written,
        "liquibase execute-sql --url=jdbc:postgresql://pg.prod.example.internal/l --sql-file wipe.sql",
    );
    assert_eq!(
        effects,
        json!([sql(
            "liquibase",
            Some(PROD),
            Some("jdbc:postgresql://pg.prod.example.internal/l"),
            Some("DROP TABLE orders;"),
            &["/home/dana/acme-web/wipe.sql"]
        )])
    );
}

#[test]
fn runner_near_misses() {
    run_table(&[
        // A migration, not SQL given to run: a command of the subcommand's class.
        (
            "liquibase --url=jdbc:postgresql://pg.prod.example.internal/l update",
            json!([{"effect": "data_command", "client": "liquibase", "host": PROD, "command": null, "class": "write"}]),
        ),
        // Alembic's `--sql` prints the migration's SQL: nothing runs.
        (
            "alembic -x db_url=postgresql://pg.prod.example.internal/l upgrade head --sql",
            json!([]),
        ),
    ]);
}

#[test]
fn sqlmap_direct_connections_and_targets() {
    let dsn = "postgresql://pentest:Kx9@pg.prod.example.internal:5432/shop";
    run_table(&[
        (
            "sqlmap -d \"postgresql://pentest:Kx9@pg.prod.example.internal:5432/shop\" --sql-query=\"DELETE FROM sessions\" --batch",
            json!([sql(
                "sqlmap",
                Some(PROD),
                Some(dsn),
                Some("DELETE FROM sessions"),
                &[]
            )]),
        ),
        (
            "sqlmap -d postgresql://pentest:Kx9@pg.prod.example.internal:5432/shop --sql-file drop.sql",
            json!([sql(
                "sqlmap",
                Some(PROD),
                Some(dsn),
                None,
                &["/home/dana/acme-web/drop.sql"]
            )]),
        ),
        (
            "sqlmap -d postgresql://pentest:Kx9@pg.prod.example.internal:5432/shop --dump -T users",
            json!([{"effect": "data_command", "client": "sqlmap", "host": PROD, "command": null, "class": "read", "login": payload(&["pentest:Kx9"], &[], &[])}]),
        ),
        (
            "sqlmap -d mysql://u:p@db.example.internal:3306/app --sql-query 'SELECT 1' --file-write shell.php --file-dest /var/www/shell.php",
            json!([
                sql(
                    "sqlmap",
                    Some("db.example.internal"),
                    Some("mysql://u:p@db.example.internal:3306/app"),
                    Some("SELECT 1"),
                    &[]
                ),
                read("/home/dana/acme-web/shell.php"),
                host_request(
                    "sqlmap",
                    host(
                        None,
                        "db.example.internal",
                        None,
                        Some("/var/www/shell.php")
                    ),
                    "UPLOAD",
                    payload(&[], &[("/home/dana/acme-web/shell.php", false)], &[])
                ),
            ]),
        ),
        (
            "sqlmap -u 'https://shop.example.com/item?id=1' --data 'id=1' --batch --dbs",
            json!([url_request(
                "sqlmap",
                "https://shop.example.com/item?id=1",
                "POST",
                payload(&["id=1"], &[], &[])
            )]),
        ),
        (
            "sqlmap -u 'https://shop.example.com/item?id=1' --batch",
            json!([url_request(
                "sqlmap",
                "https://shop.example.com/item?id=1",
                "GET",
                empty()
            )]),
        ),
    ]);
}
