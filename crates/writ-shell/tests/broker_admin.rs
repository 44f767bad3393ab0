//! Brokers' administration tools: Kafka's admin tools send a change to the
//! cluster's first bootstrap broker (and only read when they list,
//! describe or plan), and Apache Pulsar's client, admin and perf tools
//! send messages, files and changes to the service URL's host.

use crate::common;
use common::*;
use serde_json::{Value, json};

fn broker(host: &str, port: Option<u16>) -> Value {
    json!({"kind": "host", "user": null, "host": host, "port": port, "path": null})
}

fn grant(resource: &str, grantee: &str) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

#[test]
fn kafka_admin_changes_send_to_the_first_bootstrap_broker() {
    let config = at("config/client.properties");
    let plan = at("plan.json");
    run_table(&[
        // Resetting a group's offsets with --execute changes the cluster,
        // with the credentials the configuration file holds.
        (
            "kafka-consumer-groups --command-config config/client.properties --reset-offsets --shift-by -500 --execute --group g --topic t --bootstrap-server k.partner.com:9093",
            json!([
                read(&config),
                host_request(
                    "kafka-consumer-groups",
                    broker("k.partner.com", Some(9093)),
                    "SEND",
                    payload(&[], &[(&config, false)], &[])
                )
            ]),
        ),
        // `.sh`, `--opt=value`, a list of brokers: the first one.
        (
            "kafka-topics.sh --bootstrap-server=k1.partner.com:9092,k2.partner.com:9092 --delete --topic t",
            json!([host_request(
                "kafka-topics.sh",
                broker("k1.partner.com", Some(9092)),
                "SEND",
                empty()
            )]),
        ),
        (
            "kafka-topics --bootstrap-server k.partner.com:9092 --create --topic t --partitions 3 --config retention.ms=1000",
            json!([host_request(
                "kafka-topics",
                broker("k.partner.com", Some(9092)),
                "SEND",
                payload(&["retention.ms=1000"], &[], &[])
            )]),
        ),
        // A user's SCRAM password set at the cluster is sent there.
        (
            "kafka-configs --bootstrap-server k.partner.com:9092 --alter --entity-type users --entity-name svc --add-config 'SCRAM-SHA-256=[password=s3cret]' --command-property sasl.password=$P",
            json!([host_request(
                "kafka-configs",
                broker("k.partner.com", Some(9092)),
                "SEND",
                payload(
                    &["sasl.password=$P", "SCRAM-SHA-256=[password=s3cret]"],
                    &[],
                    &["P"]
                )
            )]),
        ),
        (
            "kafka-configs --bootstrap-controller c.partner.com:9093 --alter --entity-type brokers --entity-default --add-config-file plan.json",
            json!([
                read(&plan),
                host_request(
                    "kafka-configs",
                    broker("c.partner.com", Some(9093)),
                    "SEND",
                    payload(&[], &[(&plan, false)], &[])
                )
            ]),
        ),
        (
            "kafka-delete-records --bootstrap-server k.partner.com:9092 --offset-json-file plan.json",
            json!([
                read(&plan),
                host_request(
                    "kafka-delete-records",
                    broker("k.partner.com", Some(9092)),
                    "SEND",
                    payload(&[], &[(&plan, false)], &[])
                )
            ]),
        ),
        (
            "kafka-reassign-partitions --bootstrap-server k.partner.com:9092 --reassignment-json-file plan.json --execute",
            json!([
                read(&plan),
                host_request(
                    "kafka-reassign-partitions",
                    broker("k.partner.com", Some(9092)),
                    "SEND",
                    payload(&[], &[(&plan, false)], &[])
                )
            ]),
        ),
        (
            "kafka-leader-election --bootstrap-server k.partner.com:9092 --admin.config config/client.properties --election-type preferred --all-topic-partitions",
            json!([
                read(&config),
                host_request(
                    "kafka-leader-election",
                    broker("k.partner.com", Some(9092)),
                    "SEND",
                    payload(&[], &[(&config, false)], &[])
                )
            ]),
        ),
        (
            "kafka-transactions --bootstrap-server k.partner.com:9092 abort --topic t --partition 0 --start-offset 100",
            json!([host_request(
                "kafka-transactions",
                broker("k.partner.com", Some(9092)),
                "SEND",
                empty()
            )]),
        ),
        (
            "kafka-features --bootstrap-server k.partner.com:9092 upgrade --metadata 3.7",
            json!([host_request(
                "kafka-features",
                broker("k.partner.com", Some(9092)),
                "SEND",
                empty()
            )]),
        ),
        (
            "kafka-consumer-groups --bootstrap-server k.partner.com:9092 --delete --group g",
            json!([host_request(
                "kafka-consumer-groups",
                broker("k.partner.com", Some(9092)),
                "SEND",
                empty()
            )]),
        ),
        // A legacy ZooKeeper ensemble, without its chroot path.
        (
            "kafka-topics --zookeeper zk1.partner.com:2181,zk2.partner.com:2181/kafka --alter --topic t --partitions 6",
            json!([host_request(
                "kafka-topics",
                broker("zk1.partner.com", Some(2181)),
                "SEND",
                empty()
            )]),
        ),
    ]);
}

#[test]
fn kafka_admin_reads_and_plans_change_nothing() {
    let config = at("config/client.properties");
    let plan = at("plan.json");
    // A read that carries the credentials it logs in with.
    let credentials_read = |program: &str| {
        json!([
            read(&config),
            host_request(
                program,
                broker("k.partner.com", Some(9093)),
                "DOWNLOAD",
                payload(&[], &[(&config, false)], &[])
            )
        ])
    };
    run_table(&[
        // Without --execute a reset only prints its plan.
        (
            "kafka-consumer-groups --bootstrap-server k.partner.com:9093 --group g --topic t --reset-offsets --to-earliest",
            json!([]),
        ),
        (
            "kafka-consumer-groups --bootstrap-server k.partner.com:9093 --command-config config/client.properties --group g --reset-offsets --to-datetime 2026-12-02T00:00:00.000 --dry-run",
            credentials_read("kafka-consumer-groups"),
        ),
        (
            "kafka-consumer-groups --bootstrap-server k.partner.com:9093 --command-config config/client.properties --list",
            credentials_read("kafka-consumer-groups"),
        ),
        (
            "kafka-consumer-groups --bootstrap-server k.partner.com:9093 --describe --group g --members",
            json!([]),
        ),
        (
            "kafka-topics.sh --bootstrap-server k.partner.com:9093 --describe --topic t",
            json!([]),
        ),
        (
            "kafka-configs --bootstrap-server k.partner.com:9093 --command-config config/client.properties --describe --entity-type topics --entity-name t",
            credentials_read("kafka-configs"),
        ),
        // --generate and --verify plan and check; the file is only read.
        (
            "kafka-reassign-partitions --bootstrap-server k.partner.com:9093 --reassignment-json-file plan.json --verify",
            json!([read(&plan)]),
        ),
        (
            "kafka-transactions --bootstrap-server k.partner.com:9093 list",
            json!([]),
        ),
        (
            "kafka-features --bootstrap-server k.partner.com:9093 downgrade --metadata 3.5 --dry-run",
            json!([]),
        ),
        // kafka-acls keeps its own meaning: a listing grants nothing.
        (
            "kafka-acls --bootstrap-server k.partner.com:9093 --list --topic t",
            json!([]),
        ),
    ]);
}

#[test]
fn pulsar_client_produce_sends_and_consume_reads() {
    let data = at("data/customers.csv");
    let token = "/home/dana/acme-web/config/pulsar.token";
    run_table(&[
        (
            "pulsar-client --url pulsar+ssl://pulsar.partner.com:6651 produce persistent://t/ns/topic -f data/customers.csv -k eu",
            json!([host_request(
                "pulsar-client",
                broker("pulsar.partner.com", Some(6651)),
                "SEND",
                payload(&["eu"], &[(&data, false)], &[])
            )]),
        ),
        // The token file named in the authentication parameters is read
        // and sent with the messages.
        (
            "pulsar-client --url pulsar://pulsar.partner.com:6650 --auth-plugin org.apache.pulsar.client.impl.auth.AuthenticationToken --auth-params file:///home/dana/acme-web/config/pulsar.token produce my-topic -m hello -n 5",
            json!([
                read(token),
                host_request(
                    "pulsar-client",
                    broker("pulsar.partner.com", Some(6650)),
                    "SEND",
                    payload(
                        &["file:///home/dana/acme-web/config/pulsar.token", "hello"],
                        &[(token, false)],
                        &[]
                    )
                )
            ]),
        ),
        // Comma-separated files, each sent.
        (
            "pulsar-client --url pulsar://p.partner.com:6650 produce t --files a.json,b.json",
            json!([host_request(
                "pulsar-client",
                broker("p.partner.com", Some(6650)),
                "SEND",
                payload(&[], &[(&at("a.json"), false), (&at("b.json"), false)], &[])
            )]),
        ),
        // Consuming reads; only credentials would go out.
        (
            "pulsar-client --url pulsar://p.partner.com:6650 consume t -s sub -n 10",
            json!([]),
        ),
        (
            "pulsar-client --url pulsar://p.partner.com:6650 --auth-params token:$PULSAR_TOKEN consume t -s sub",
            json!([host_request(
                "pulsar-client",
                broker("p.partner.com", Some(6650)),
                "DOWNLOAD",
                payload(&["token:$PULSAR_TOKEN"], &[], &["PULSAR_TOKEN"])
            )]),
        ),
        // Without --url the configuration file's service URL is used,
        // which the line does not show.
        ("pulsar-client produce t -m hello", json!([])),
    ]);
}

#[test]
fn pulsar_admin_changes_send_and_grants_change_access() {
    run_table(&[
        (
            "pulsar-admin --admin-url https://pulsar.partner.com:8443 topics reset-cursor persistent://t/ns/topic -s sub -t 10m",
            json!([host_request(
                "pulsar-admin",
                broker("pulsar.partner.com", Some(8443)),
                "SEND",
                payload(
                    &["persistent://t/ns/topic", "-s", "sub", "-t", "10m"],
                    &[],
                    &[]
                )
            )]),
        ),
        (
            "pulsar-admin --admin-url http://pulsar.partner.com:8080 namespaces delete t/ns",
            json!([host_request(
                "pulsar-admin",
                broker("pulsar.partner.com", Some(8080)),
                "SEND",
                payload(&["t/ns"], &[], &[])
            )]),
        ),
        // A function's package is uploaded.
        (
            "pulsar-admin --admin-url http://pulsar.partner.com:8080 functions create --jar fn.jar --name f",
            json!([host_request(
                "pulsar-admin",
                broker("pulsar.partner.com", Some(8080)),
                "SEND",
                payload(&["--name", "f"], &[(&at("fn.jar"), false)], &[])
            )]),
        ),
        (
            "pulsar-admin --admin-url http://pulsar.partner.com:8080 namespaces grant-permission t/ns --role partner-app --actions produce,consume",
            json!([grant(
                "pulsar namespace t/ns on pulsar.partner.com:8080",
                "partner-app"
            )]),
        ),
        (
            "pulsar-admin --admin-url http://pulsar.partner.com:8080 topics revoke-permission persistent://t/ns/x --role old-app",
            json!([grant(
                "pulsar topic persistent://t/ns/x on pulsar.partner.com:8080",
                "old-app"
            )]),
        ),
        (
            "pulsar-admin tenants create acme --admin-roles ops,partner --allowed-clusters c1",
            json!([
                grant("pulsar tenant acme", "ops"),
                grant("pulsar tenant acme", "partner")
            ]),
        ),
        // Listing and getting read.
        (
            "pulsar-admin --admin-url http://pulsar.partner.com:8080 topics list t/ns",
            json!([]),
        ),
        (
            "pulsar-admin --admin-url http://pulsar.partner.com:8080 namespaces get-retention t/ns",
            json!([]),
        ),
        (
            "pulsar-admin --admin-url http://pulsar.partner.com:8080 topics stats persistent://t/ns/x",
            json!([]),
        ),
        // Without --admin-url the configuration file's service is used.
        ("pulsar-admin topics delete persistent://t/ns/x", json!([])),
    ]);
}

#[test]
fn pulsar_perf_produce_sends() {
    run_table(&[
        (
            "pulsar-perf produce -u pulsar://p.partner.com:6650 -r 100 -f data/customers.csv my-topic",
            json!([host_request(
                "pulsar-perf",
                broker("p.partner.com", Some(6650)),
                "SEND",
                payload(&[], &[(&at("data/customers.csv"), false)], &[])
            )]),
        ),
        (
            "pulsar-perf consume -u pulsar://p.partner.com:6650 my-topic",
            json!([]),
        ),
    ]);
}
