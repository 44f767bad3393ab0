//! Database restores as the statements and commands they run on the
//! server: `pg_restore -d` loads (and with `--clean` first drops) the
//! archive's tables, `mongorestore` writes (and with `--drop` first drops)
//! the dump's collections; the archive goes to the server. Run in
//! `/home/dana/acme-web`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn data(host: Option<&str>, files: &[&str], class: &str) -> Value {
    json!({"effect": "data_command", "client": "mongorestore", "host": host, "command": null, "files": files, "class": class})
}

#[test]
fn pg_restore_into_a_database_is_its_statements() {
    let dump = at("dumps/pos.dump");
    run_table(&[
        (
            "pg_restore -h db.prod.example -U dba -d pos --data-only -t gift_cards dumps/pos.dump",
            json!([sql(
                "pg_restore",
                Some("db.prod.example"),
                None,
                Some("COPY gift_cards FROM STDIN"),
                &[&dump]
            )]),
        ),
        // `--clean` drops each table it restores; with no `-t`, every table
        // of the archive.
        (
            "pg_restore --clean --if-exists -h db.prod.example -d pos dumps/pos.dump",
            json!([sql(
                "pg_restore",
                Some("db.prod.example"),
                None,
                Some("DROP TABLE IF EXISTS \"*\"; CREATE TABLE \"*\" (); COPY \"*\" FROM STDIN"),
                &[&dump]
            )]),
        ),
        (
            "pg_restore -s -C -d postgresql://dba@db.prod.example/postgres dumps/pos.dump",
            json!([sql(
                "pg_restore",
                Some("db.prod.example"),
                Some("postgresql://dba@db.prod.example/postgres"),
                Some("CREATE DATABASE \"*\"; CREATE TABLE \"*\" ()"),
                &[&dump]
            )]),
        ),
        (
            "PGHOST=db.prod.example pg_restore -c -d pos -I idx_a dumps/pos.dump",
            json!([sql(
                "pg_restore",
                Some("db.prod.example"),
                None,
                Some("DROP INDEX IF EXISTS idx_a; CREATE INDEX idx_a"),
                &[&dump]
            )]),
        ),
        // Without a database it writes the script out; `-l` lists.
        (
            "pg_restore -f out.sql dumps/pos.dump",
            json!([read(&dump), write(&at("out.sql"))]),
        ),
        ("pg_restore -l -d pos dumps/pos.dump", json!([read(&dump)])),
    ]);
}

#[test]
fn mongorestore_writes_the_dump_into_collections() {
    let archive = at("dumps/l.archive.gz");
    run_table(&[
        (
            "mongorestore --uri=\"mongodb://dba@m.prod.example:27017\" --nsInclude='l.r' --archive=dumps/l.archive.gz --gzip",
            json!([data(Some("m.prod.example"), &[&archive], "write")]),
        ),
        // `--drop` drops each collection first; a replica set's hosts.
        (
            "mongorestore --host rs0/m1.prod.example:27017,m2.prod.example --drop dumps/loyalty",
            json!([data(
                Some("m1.prod.example"),
                &[&at("dumps/loyalty")],
                "destroy"
            )]),
        ),
        (
            "mongorestore -h m.prod.example --dryRun",
            json!([data(Some("m.prod.example"), &[&at("dump")], "read")]),
        ),
        // The archive on standard input.
        (
            "mongorestore --archive --uri mongodb://m.prod.example < dumps/l.archive.gz",
            json!([
                read(&archive),
                data(Some("m.prod.example"), &[&archive], "write")
            ]),
        ),
    ]);
}
