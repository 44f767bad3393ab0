//! A migration run applies the migration files earlier steps wrote into
//! the runner's migration directory: it sends the statements of their up
//! parts to its database (`flyway migrate` after writing
//! `db/migration/V44__drop.sql` is that `DROP TABLE` on its connection),
//! code migrations read as the SQL their destructive operations run
//! (`drop_table :t` is `DROP TABLE t`). A down migration is not run by an
//! up one. The online schema change tools send the `ALTER TABLE` they
//! make, and only when told to execute it.

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::{Value, json};

const PG: &str = "pg.example.net";

/// The SQL effects of `command` after earlier steps wrote `files`.
fn applied(files: &[(&str, &str)], command: &str) -> Vec<Value> {
    of_kind(&after_files(files, command), "sql")
}

fn sent(client: &str, text: &str) -> Value {
    sql(client, Some(PG), None, Some(text), &[])
}

#[test]
fn flyway_applies_the_versioned_files_of_its_locations() {
    let drop = "-- superseded by payouts\nDROP TABLE IF EXISTS payouts_legacy;\n";
    let url = format!("-url=jdbc:postgresql://{PG}:5432/core");
    // `-locations=filesystem:DIR`.
    let found = after_files(
        &[("db/migration/V44__drop_payouts_legacy.sql", drop)],
        &format!("flyway {url} -locations=filesystem:db/migration migrate"),
    );
    assert_eq!(
        found,
        vec![
            json!({"effect": "data_command", "client": "flyway", "host": PG, "command": null, "class": "write"}),
            sent(
                "flyway",
                "-- superseded by payouts\nDROP TABLE IF EXISTS payouts_legacy"
            ),
        ]
    );
    // Its default locations, and those its configuration names.
    assert_eq!(
        applied(
            &[("sql/V2__drop.sql", "DROP TABLE a;")],
            &format!("flyway {url} migrate")
        ),
        vec![sent("flyway", "DROP TABLE a")]
    );
    assert_eq!(
        applied(
            &[
                ("flyway.conf", "flyway.locations=filesystem:schema/pg\n"),
                ("schema/pg/V3__drop.sql", "DROP TABLE b;"),
            ],
            &format!("flyway {url} migrate")
        ),
        vec![sent("flyway", "DROP TABLE b")]
    );
    // An undo migration, a file elsewhere, a read: nothing applied.
    for (path, command) in [
        ("db/migration/U44__undo.sql", "migrate"),
        ("notes/V44__drop.sql", "migrate"),
        ("db/migration/V44__drop.sql", "info"),
    ] {
        let command = format!("flyway {url} -locations=filesystem:db/migration {command}");
        assert_eq!(applied(&[(path, drop)], &command), Vec::<Value>::new());
    }
}

#[test]
fn sql_runners_apply_the_up_part_of_their_files() {
    let dsn = format!("postgres://app@{PG}:5432/app?sslmode=disable");
    // golang-migrate: `.up.sql` files, never `.down.sql`.
    let files = [
        ("db/migrations/000044_drop.up.sql", "DROP TABLE legacy;"),
        ("db/migrations/000044_drop.down.sql", "DROP TABLE restored;"),
    ];
    for command in [
        format!("migrate -path db/migrations -database '{dsn}' up"),
        format!("migrate -source file://db/migrations -database '{dsn}' up"),
    ] {
        assert_eq!(
            applied(&files, &command),
            vec![sent("migrate", "DROP TABLE legacy")],
            "{command}"
        );
    }
    assert_eq!(
        applied(
            &files,
            &format!("migrate -path db/migrations -database '{dsn}' down 1")
        ),
        Vec::<Value>::new()
    );
    // goose: the part after `-- +goose Up`.
    let goose = "-- +goose Up\nALTER TABLE payouts DROP COLUMN state;\n-- +goose Down\nDROP TABLE payouts;\n";
    assert_eq!(
        applied(
            &[("sql/00044_drop_state.sql", goose)],
            &format!("goose -dir sql postgres '{dsn}' up")
        ),
        vec![sent("goose", "ALTER TABLE payouts DROP COLUMN state")]
    );
    // dbmate: `db/migrations`, the part after `-- migrate:up`.
    let dbmate =
        "-- migrate:up\nDROP TABLE legacy;\n\n-- migrate:down\nCREATE TABLE legacy (id int);\n";
    assert_eq!(
        applied(
            &[("db/migrations/20260101_drop.sql", dbmate)],
            &format!("dbmate --url '{dsn}' up")
        ),
        vec![sent("dbmate", "DROP TABLE legacy")]
    );
    // Prisma: each migration's `migration.sql`.
    assert_eq!(
        applied(
            &[(
                "prisma/migrations/20260101_drop/migration.sql",
                "DROP TABLE \"Legacy\";"
            )],
            &format!("DATABASE_URL='{dsn}' npx prisma migrate deploy")
        ),
        vec![sent("prisma", "DROP TABLE \"Legacy\"")]
    );
    // sqitch: `deploy/`, not `revert/`.
    assert_eq!(
        applied(
            &[
                (
                    "deploy/drop_legacy.sql",
                    "BEGIN; DROP TABLE legacy; COMMIT;"
                ),
                ("revert/drop_legacy.sql", "CREATE TABLE legacy (id int);"),
            ],
            &format!("sqitch deploy db:pg://app@{PG}/app")
        ),
        vec![sent("sqitch", "BEGIN; DROP TABLE legacy; COMMIT")]
    );
}

#[test]
fn liquibase_applies_its_changelog() {
    let url = format!("--url=jdbc:postgresql://{PG}:5432/app");
    let formatted = "--liquibase formatted sql\n--changeset dana:44\nDROP TABLE legacy;\n--rollback CREATE TABLE legacy (id int);\n";
    assert_eq!(
        applied(
            &[("db/changelog.sql", formatted)],
            &format!("liquibase {url} --changelog-file=db/changelog.sql update")
        ),
        vec![sent(
            "liquibase",
            "--liquibase formatted sql\n--changeset dana:44\nDROP TABLE legacy"
        )]
    );
    // An XML changelog's changes, and the formatted SQL it includes.
    let xml = "<databaseChangeLog>\n  <include file=\"changes/044.sql\" relativeToChangelogFile=\"true\"/>\n  <changeSet id=\"45\" author=\"dana\">\n    <dropColumn tableName=\"payouts\" columnName=\"state\"/>\n  </changeSet>\n</databaseChangeLog>\n";
    let found = applied(
        &[
            ("liquibase.properties", "changeLogFile: db/master.xml\n"),
            ("db/master.xml", xml),
            ("db/changes/044.sql", formatted),
        ],
        &format!("liquibase {url} update"),
    );
    let text = found
        .first()
        .map(|e| e["sql"].as_str().unwrap_or_default().to_owned());
    let text = text.unwrap_or_default();
    assert!(
        text.contains("ALTER TABLE payouts DROP COLUMN state")
            && text.contains("DROP TABLE legacy"),
        "{found:?}"
    );
}

#[test]
fn code_migrations_run_their_destructive_operations_as_sql() {
    let dsn = format!("postgres://app@{PG}/app");
    let rails = "class DropLegacy < ActiveRecord::Migration[7.1]\n  def up\n    drop_table :payouts_legacy\n    remove_column :payouts, :state\n  end\n\n  def down\n    create_table :payouts_legacy\n  end\nend\n";
    assert_eq!(
        applied(
            &[("db/migrate/20260101000000_drop_legacy.rb", rails)],
            &format!("DATABASE_URL={dsn} RAILS_ENV=production bin/rails db:migrate")
        ),
        vec![sent(
            "rails",
            "DROP TABLE payouts_legacy;\nALTER TABLE payouts DROP COLUMN state"
        )]
    );
    // A `def down` alone is not what `db:migrate` runs.
    let down_only = "class X < ActiveRecord::Migration[7.1]\n  def up\n    add_column :payouts, :note, :text\n  end\n  def down\n    remove_column :payouts, :note\n  end\nend\n";
    assert_eq!(
        applied(
            &[("db/migrate/20260102_note.rb", down_only)],
            &format!("DATABASE_URL={dsn} rails db:migrate")
        ),
        Vec::<Value>::new()
    );
    let alembic = "def upgrade():\n    op.drop_column(\"payouts\", \"state\")\n    op.execute(\"DROP TABLE legacy\")\n\n\ndef downgrade():\n    op.drop_table(\"payouts\")\n";
    assert_eq!(
        applied(
            &[("alembic/versions/44_drop.py", alembic)],
            &format!("alembic -x db_url={dsn} upgrade head")
        ),
        vec![sent(
            "alembic",
            "ALTER TABLE payouts DROP COLUMN state;\nDROP TABLE legacy"
        )]
    );
    let django = "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.DeleteModel(name=\"PayoutLegacy\"),\n        migrations.RemoveField(model_name=\"payout\", name=\"state\"),\n    ]\n";
    assert_eq!(
        applied(
            &[("payouts/migrations/0044_drop.py", django)],
            &format!("DATABASE_URL={dsn} python manage.py migrate")
        ),
        vec![sent(
            "manage.py",
            "DROP TABLE payouts_payoutlegacy;\nALTER TABLE payouts_payout DROP COLUMN state"
        )]
    );
    // Another app's migrations are not what `migrate ledger` runs.
    assert_eq!(
        applied(
            &[("payouts/migrations/0044_drop.py", django)],
            &format!("DATABASE_URL={dsn} python manage.py migrate ledger")
        ),
        Vec::<Value>::new()
    );
    let knex = "exports.up = (knex) => knex.schema.dropTableIfExists('legacy');\nexports.down = (knex) => knex.schema.dropTable('payouts');\n";
    assert_eq!(
        applied(
            &[("migrations/20260101_drop.js", knex)],
            &format!("npx knex migrate:latest --connection {dsn}")
        ),
        vec![sent("knex", "DROP TABLE legacy")]
    );
}

#[test]
fn without_written_files_a_run_is_its_change_alone() {
    let found = after_files(
        &[("README.md", "notes")],
        &format!("flyway -url=jdbc:postgresql://{PG}/core migrate"),
    );
    assert_eq!(of_kind(&found, "sql"), Vec::<Value>::new());
    assert_eq!(of_kind(&found, "data_command").len(), 1);
}

#[test]
fn online_schema_changes_alter_the_table_they_name() {
    let host = "mysql-ledger.prod.example.net";
    run_table(&[
        (
            "pt-online-schema-change --alter \"ADD COLUMN settled_at DATETIME(6) NULL\" D=ledger,t=payouts,h=mysql-ledger.prod.example.net,u=ptosc,p=$PTOSC_PW --execute",
            json!([with_login(
                sql(
                    "pt-online-schema-change",
                    Some(host),
                    Some("D=ledger,t=payouts,h=mysql-ledger.prod.example.net,u=ptosc,p=$PTOSC_PW"),
                    Some("ALTER TABLE ledger.payouts ADD COLUMN settled_at DATETIME(6) NULL"),
                    &[]
                ),
                payload(&["$PTOSC_PW"], &[], &["PTOSC_PW"])
            )]),
        ),
        (
            "gh-ost --host=mysql-ledger.prod.example.net --database=ledger --table=payouts --alter=\"DROP COLUMN state\" --allow-on-master --execute",
            json!([sql(
                "gh-ost",
                Some(host),
                None,
                Some("ALTER TABLE ledger.payouts DROP COLUMN state"),
                &[]
            )]),
        ),
        // A dry run, or gh-ost's check without `--execute`: nothing changes.
        (
            "pt-online-schema-change --alter 'DROP COLUMN state' D=ledger,t=payouts,h=mysql-ledger.prod.example.net --dry-run",
            json!([]),
        ),
        (
            "pt-online-schema-change --alter 'DROP COLUMN state' D=ledger,t=payouts,h=mysql-ledger.prod.example.net --dry-run --execute",
            json!([]),
        ),
        (
            "gh-ost --host mysql-ledger.prod.example.net --database ledger --table payouts --alter 'DROP COLUMN state'",
            json!([]),
        ),
    ]);
}
