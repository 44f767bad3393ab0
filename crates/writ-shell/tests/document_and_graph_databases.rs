//! What clients of databases without SQL do to the data, classed as SQL
//! is (read, write, destroy): MongoDB's shell and tools, ClickHouse's
//! local files and exports, the InfluxDB CLI, cypher-shell, arangosh,
//! Couchbase's cbq and etcdctl; and the passwords their connection
//! strings carry to the server.

#![allow(clippy::panic)]

use crate::common;
use common::*;

use serde_json::{Value, json};

fn data(client: &str, host: Option<&str>, command: Option<&str>, class: &str) -> Value {
    json!({"effect": "data_command", "client": client, "host": host, "command": command, "class": class})
}

fn with_files(mut effect: Value, files: &[&str]) -> Value {
    effect["files"] = json!(files);
    effect
}

#[test]
fn mongo_shell_code_is_classed_by_the_methods_it_calls() {
    run_table(&[
        // `updatedAt` is a field, not `update`.
        (
            "mongosh 'mongodb://m1.prod.x:27017/ledger?tls=true' --quiet --json=relaxed --eval 'db.payouts.find({ state: \"stuck\" }, { updatedAt: 1 }).sort({ updatedAt: 1 }).limit(20).toArray()'",
            json!([data(
                "mongosh",
                Some("m1.prod.x"),
                Some(
                    "db.payouts.find({ state: \"stuck\" }, { updatedAt: 1 }).sort({ updatedAt: 1 }).limit(20).toArray()"
                ),
                "read"
            )]),
        ),
        (
            "mongosh mongodb://m1.prod.x/app --eval 'db.events.deleteMany({ status: \"delivered\" })'",
            json!([data(
                "mongosh",
                Some("m1.prod.x"),
                Some("db.events.deleteMany({ status: \"delivered\" })"),
                "write"
            )]),
        ),
        (
            "mongosh mongodb://m1.prod.x/app --eval 'db.events.remove({})'",
            json!([data(
                "mongosh",
                Some("m1.prod.x"),
                Some("db.events.remove({})"),
                "destroy"
            )]),
        ),
        // A method named inside a string does not run.
        (
            "mongosh mongodb://m1.prod.x/app --eval 'db.audit.find({ note: \"db.dropDatabase()\" })'",
            json!([data(
                "mongosh",
                Some("m1.prod.x"),
                Some("db.audit.find({ note: \"db.dropDatabase()\" })"),
                "read"
            )]),
        ),
        // The legacy shell's `host/db` address.
        (
            "mongo m1.prod.x:27017/app --eval 'db.c.createIndex({a: 1})'",
            json!([data(
                "mongo",
                Some("m1.prod.x"),
                Some("db.c.createIndex({a: 1})"),
                "write"
            )]),
        ),
    ]);
}

#[test]
fn a_script_written_earlier_is_classed_by_its_code() {
    let path = at("scripts/reset.js");
    let script = text_file(
        &path,
        "const ff = db.getSiblingDB(\"flags\");\nprintjson(ff.stats());\nff.dropDatabase();\n",
    );
    let effects = effects_after(
        &[script],
        "mongosh --tls --file scripts/reset.js mongodb://m0.prod.x:27017/admin",
    );
    assert_eq!(
        effects,
        json!([with_files(
            data(
                "mongosh",
                Some("m0.prod.x"),
                Some(
                    "const ff = db.getSiblingDB(\"flags\");\nprintjson(ff.stats());\nff.dropDatabase();\n"
                ),
                "destroy"
            ),
            &[&path]
        )])
    );
    // A script that only reads is a read.
    let report = text_file(&path, "printjson(db.orders.countDocuments({}))");
    let effects = effects_after(&[report], "mongosh m0.prod.x/app scripts/reset.js");
    assert_eq!(effects[0]["class"], json!("read"));
    // One not written in the session stays unknown.
    let effects = effects_after(&[], "mongosh m0.prod.x/app scripts/reset.js");
    assert_eq!(effects[0]["class"], json!("unknown"));
    // A Cypher file alike.
    let cypher = at("wipe.cypher");
    let effects = effects_after(
        &[text_file(&cypher, "MATCH (n) DETACH DELETE n;")],
        "cypher-shell -a neo4j://g.prod.x -f wipe.cypher",
    );
    assert_eq!(effects[0]["class"], json!("destroy"));
}

#[test]
fn mongo_tools_send_the_password_of_their_connection_string() {
    let archive = at("backups/l.archive.gz");
    run_table(&[
        (
            "mongorestore --uri \"mongodb+srv://admin:${MONGO_PW}@c0.h4.mongodb.net/?w=majority\" --gzip --archive=backups/l.archive.gz",
            json!([{"effect": "data_command", "client": "mongorestore", "host": "c0.h4.mongodb.net",
                    "command": null, "files": [archive], "class": "write",
                    "login": payload(&["${MONGO_PW}"], &[], &["MONGO_PW"])}]),
        ),
        // A dump reads the server into a local archive.
        (
            "mongodump --uri=mongodb://m1.prod.x:27017 --db=ledger --gzip --archive=backups/l.archive.gz",
            json!([
                write(&archive),
                data("mongodump", Some("m1.prod.x"), None, "read")
            ]),
        ),
        (
            "mongoexport --uri mongodb://m1.prod.x/crm -c customers -o exports/c.json",
            json!([
                write(&at("exports/c.json")),
                data("mongoexport", Some("m1.prod.x"), None, "read")
            ]),
        ),
        (
            "mongosh mongodb://m1.prod.x/app -u ops -p \"$PW\" --eval 'db.c.findOne()'",
            json!([{"effect": "data_command", "client": "mongosh", "host": "m1.prod.x",
                    "command": "db.c.findOne()", "class": "read",
                    "login": payload(&["$PW"], &[], &["PW"])}]),
        ),
    ]);
}

#[test]
fn clickhouse_outfiles_infiles_and_exports() {
    let home_file = "/home/dana/Documents/q4.csv.gz";
    let query =
        format!("SELECT 1 INTO OUTFILE '{home_file}' COMPRESSION 'gzip' FORMAT CSVWithNames");
    check(
        &format!("clickhouse-client -h ch.prod.x --secure -q \"{query}\""),
        json!([
            sql(
                "clickhouse-client",
                Some("ch.prod.x"),
                None,
                Some(&query),
                &[]
            ),
            write(home_file)
        ]),
    );
    // `FROM INFILE` sends a local file's rows to the server.
    let insert = "INSERT INTO t FROM INFILE 'rows.csv' FORMAT CSV";
    check(
        &format!("clickhouse-client -h ch.prod.x -q \"{insert}\""),
        json!([
            sql(
                "clickhouse-client",
                Some("ch.prod.x"),
                None,
                Some(insert),
                &[&at("rows.csv")]
            ),
            read(&at("rows.csv"))
        ]),
    );
    // clickhouse-local reads `file()` here and uploads what it selects.
    let export = "INSERT INTO FUNCTION s3('https://lab.s3.amazonaws.com/c.parquet', 'Parquet') SELECT * FROM file('exports/c.csv', 'CSVWithNames')";
    let csv = at("exports/c.csv");
    check(
        &format!("clickhouse-local --query \"{export}\""),
        json!([
            sql("clickhouse-local", None, None, Some(export), &[&csv]),
            read(&csv),
            url_request(
                "clickhouse-local",
                "https://lab.s3.amazonaws.com/c.parquet",
                "UPLOAD",
                payload(&[export], &[(&csv, false)], &[])
            )
        ]),
    );
    // A server's `remote()` sends the rows to that host.
    let remote = "INSERT INTO FUNCTION remote('ch.other.net:9000', db.t) SELECT * FROM events";
    check(
        &format!("clickhouse-client -h ch.prod.x -q \"{remote}\""),
        json!([
            sql(
                "clickhouse-client",
                Some("ch.prod.x"),
                None,
                Some(remote),
                &[]
            ),
            host_request(
                "clickhouse-client",
                host(None, "ch.other.net", Some(9000), None),
                "UPLOAD",
                payload(&[remote], &[], &[])
            )
        ]),
    );
}

#[test]
fn clickhouse_near_misses() {
    // A server's `file()` is the server's file; MySQL's `INTO OUTFILE`
    // writes on the server.
    run_table(&[
        (
            "clickhouse-client -h ch.prod.x -q \"SELECT * FROM file('c.csv')\"",
            json!([sql(
                "clickhouse-client",
                Some("ch.prod.x"),
                None,
                Some("SELECT * FROM file('c.csv')"),
                &[]
            )]),
        ),
        (
            "mysql -h db.x -e \"SELECT * FROM t INTO OUTFILE '/tmp/t.csv'\"",
            json!([sql(
                "mysql",
                Some("db.x"),
                None,
                Some("SELECT * FROM t INTO OUTFILE '/tmp/t.csv'"),
                &[]
            )]),
        ),
    ]);
}

#[test]
fn influx_commands_are_classed() {
    run_table(&[
        (
            "influx delete --host https://influx.prod.x:8086 --org o --bucket b --start 2026-11-01T00:00:00Z --stop 2026-11-02T00:00:00Z --predicate '_measurement=\"battery\"'",
            json!([data(
                "influx",
                Some("influx.prod.x"),
                Some("_measurement=\"battery\""),
                "write"
            )]),
        ),
        (
            "influx delete --host https://influx.prod.x:8086 --bucket b --start 2026-11-01T00:00:00Z --stop 2026-11-02T00:00:00Z",
            json!([data("influx", Some("influx.prod.x"), None, "destroy")]),
        ),
        (
            "INFLUX_HOST=https://influx.prod.x:8086 INFLUX_ORG=o influx bucket delete -n iot",
            json!([data("influx", Some("influx.prod.x"), None, "destroy")]),
        ),
        (
            "influx bucket list --host https://influx.prod.x:8086",
            json!([data("influx", Some("influx.prod.x"), None, "read")]),
        ),
        (
            "influx query --host https://influx.prod.x:8086 -o o --raw 'from(bucket: \"b\") |> range(start: -1h)'",
            json!([data(
                "influx",
                Some("influx.prod.x"),
                Some("from(bucket: \"b\") |> range(start: -1h)"),
                "read"
            )]),
        ),
        (
            "influx write --host https://eu.cloud2.influxdata.com -t \"$TOKEN\" --bucket s 'lag,svc=a value=42i'",
            json!([{"effect": "data_command", "client": "influx", "host": "eu.cloud2.influxdata.com",
                    "command": "lag,svc=a value=42i", "class": "write",
                    "login": payload(&["$TOKEN"], &[], &["TOKEN"])}]),
        ),
        (
            "influx -host influx1.prod.x -database iot -execute 'DROP MEASUREMENT cpu'",
            json!([data(
                "influx",
                Some("influx1.prod.x"),
                Some("DROP MEASUREMENT cpu"),
                "destroy"
            )]),
        ),
        ("influx version", json!([])),
    ]);
}

#[test]
fn graph_and_document_shells_are_classed() {
    run_table(&[
        (
            "cypher-shell -a neo4j+s://g.prod.x:7687 -u neo4j -p \"$NEO4J_PASSWORD\" -d recs --format plain \"MATCH (n) DETACH DELETE n;\"",
            json!([{"effect": "data_command", "client": "cypher-shell", "host": "g.prod.x",
                    "command": "MATCH (n) DETACH DELETE n;", "class": "destroy",
                    "login": payload(&["$NEO4J_PASSWORD"], &[], &["NEO4J_PASSWORD"])}]),
        ),
        (
            "echo 'MATCH (u:User) WHERE u.stale DETACH DELETE u;' | cypher-shell --address neo4j://g.stg.x:7687 --non-interactive",
            json!([data(
                "cypher-shell",
                Some("g.stg.x"),
                Some("MATCH (u:User) WHERE u.stale DETACH DELETE u;"),
                "write"
            )]),
        ),
        (
            "cypher-shell -a neo4j://g.prod.x 'MATCH (p:Product) RETURN p.name LIMIT 5'",
            json!([data(
                "cypher-shell",
                Some("g.prod.x"),
                Some("MATCH (p:Product) RETURN p.name LIMIT 5"),
                "read"
            )]),
        ),
        (
            "arangosh --server.endpoint ssl://a.prod.x:8529 --server.database catalog --javascript.execute-string 'db._truncate(\"prices\");'",
            json!([data(
                "arangosh",
                Some("a.prod.x"),
                Some("db._truncate(\"prices\");"),
                "destroy"
            )]),
        ),
        (
            "arangosh --server.endpoint=tcp://a.prod.x:8529 --quiet --javascript.execute-string 'print(db.prices.count())'",
            json!([data(
                "arangosh",
                Some("a.prod.x"),
                Some("print(db.prices.count())"),
                "read"
            )]),
        ),
        (
            "arangorestore --server.endpoint ssl://a.prod.x:8529 --input-directory dump/catalog --overwrite false",
            json!([with_files(
                data("arangorestore", Some("a.prod.x"), None, "write"),
                &[&at("dump/catalog")]
            )]),
        ),
        (
            "cbq -e couchbases://cb.prod.x -u Administrator -p \"$CB_PASSWORD\" -q -s 'DELETE FROM `loyalty`.`_default`.`points`;'",
            json!([with_login(
                sql(
                    "cbq",
                    Some("cb.prod.x"),
                    Some("couchbases://cb.prod.x"),
                    Some("DELETE FROM `loyalty`.`_default`.`points`;"),
                    &[]
                ),
                payload(&["$CB_PASSWORD"], &[], &["CB_PASSWORD"])
            )]),
        ),
    ]);
}

#[test]
fn etcd_deletes_of_everything_destroy() {
    let endpoints = "--endpoints=https://etcd-0.prod.x:2379,https://etcd-1.prod.x:2379";
    let cases = [
        (
            format!("ETCDCTL_API=3 etcdctl {endpoints} --cacert=/etc/pki/ca.pem del \"\" --prefix"),
            json!([data(
                "etcdctl",
                Some("etcd-0.prod.x"),
                Some("del "),
                "destroy"
            )]),
        ),
        (
            format!("etcdctl {endpoints} del /flags/beta"),
            json!([data(
                "etcdctl",
                Some("etcd-0.prod.x"),
                Some("del /flags/beta"),
                "write"
            )]),
        ),
        (
            format!("etcdctl {endpoints} del --prefix /flags/"),
            json!([data(
                "etcdctl",
                Some("etcd-0.prod.x"),
                Some("del /flags/"),
                "write"
            )]),
        ),
        (
            "etcdctl --endpoints https://etcd-0.prod.x:2379 get /flags/ --prefix --keys-only"
                .to_owned(),
            json!([data(
                "etcdctl",
                Some("etcd-0.prod.x"),
                Some("get /flags/"),
                "read"
            )]),
        ),
        (
            "ETCDCTL_ENDPOINTS=https://etcd-0.prod.x:2379 etcdctl put /flags/beta on".to_owned(),
            json!([data(
                "etcdctl",
                Some("etcd-0.prod.x"),
                Some("put /flags/beta on"),
                "write"
            )]),
        ),
        (
            "etcdctl --endpoints https://etcd-0.prod.x:2379 snapshot save /tmp/etcd.db".to_owned(),
            json!([
                write("/tmp/etcd.db"),
                data(
                    "etcdctl",
                    Some("etcd-0.prod.x"),
                    Some("snapshot save /tmp/etcd.db"),
                    "read"
                )
            ]),
        ),
        (
            "ETCDCTL_API=2 etcdctl --endpoints https://etcd-0.prod.x:2379 rm -r /".to_owned(),
            json!([data(
                "etcdctl",
                Some("etcd-0.prod.x"),
                Some("rm /"),
                "destroy"
            )]),
        ),
    ];
    for (command, expected) in cases {
        check(&command, expected);
    }
}
