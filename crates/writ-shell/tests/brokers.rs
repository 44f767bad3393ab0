//! Message brokers and data clusters: what a publisher, a submitted job and
//! a client's configuration send to the host the line names, and the
//! access grants of the brokers' tools.

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
fn client_properties_carry_credentials_to_the_broker() {
    let config = at("config/client.properties");
    run_table(&[
        (
            "echo hi | kcat -P -b k.partner.com:9094 -t t -X security.protocol=SASL_SSL -X sasl.password=\"$KAFKA_PASS\"",
            json!([host_request(
                "kcat",
                broker("k.partner.com", Some(9094)),
                "SEND",
                payload(
                    &[
                        "security.protocol=SASL_SSL",
                        "sasl.password=$KAFKA_PASS",
                        "hi"
                    ],
                    &[],
                    &["KAFKA_PASS"]
                )
            )]),
        ),
        // A TLS key's location stays here; the brokers may come from -X.
        (
            "kcat -P -X bootstrap.servers=k.partner.com:9094 -X ssl.key.location=k.pem -t t f.json",
            json!([host_request(
                "kcat",
                broker("k.partner.com", Some(9094)),
                "SEND",
                payload(&[], &[(&at("f.json"), false)], &[])
            )]),
        ),
        // A configuration file is read and its settings sent.
        (
            "kcat -C -b k.partner.com:9094 -t t -F config/client.properties",
            json!([
                read(&config),
                host_request(
                    "kcat",
                    broker("k.partner.com", Some(9094)),
                    "DOWNLOAD",
                    payload(&[], &[(&config, false)], &[])
                )
            ]),
        ),
        // A consumer that carries nothing out is not reported.
        ("kcat -C -b k.partner.com:9094 -t t", json!([])),
        // Without -P or -C kcat produces what it is given on standard input.
        (
            "echo hi | kcat -b k.partner.com:9094 -t t",
            json!([host_request(
                "kcat",
                broker("k.partner.com", Some(9094)),
                "SEND",
                payload(&["hi"], &[], &[])
            )]),
        ),
        (
            "kafka-console-consumer --bootstrap-server k.partner.com:9094 --topic t --consumer-property sasl.password=$P",
            json!([host_request(
                "kafka-console-consumer",
                broker("k.partner.com", Some(9094)),
                "DOWNLOAD",
                payload(&["sasl.password=$P"], &[], &["P"])
            )]),
        ),
        (
            "kafka-console-producer --bootstrap-server k.partner.com:9094 --topic t --command-config config/client.properties < /dev/null",
            json!([
                read(&config),
                host_request(
                    "kafka-console-producer",
                    broker("k.partner.com", Some(9094)),
                    "SEND",
                    payload(&[], &[(&config, false)], &[])
                )
            ]),
        ),
    ]);
}

#[test]
fn publishers_send_to_the_server_they_name() {
    let file = at("out/report.csv");
    run_table(&[
        (
            "nats --server tls://connect.ngs.global:4222 pub a.b '{\"x\":1}'",
            json!([host_request(
                "nats",
                broker("connect.ngs.global", Some(4222)),
                "SEND",
                payload(&["{\"x\":1}"], &[], &[])
            )]),
        ),
        (
            "nats pub a.b hi -H k:v --user bob --password \"$NP\" -s nats://n.vendor.io",
            json!([host_request(
                "nats",
                broker("n.vendor.io", None),
                "SEND",
                payload(&["hi", "k:v", "bob", "$NP"], &[], &["NP"])
            )]),
        ),
        (
            "NATS_URL=nats://u:pw@n.vendor.io:4222 nats obj put backups out/report.csv",
            json!([host_request(
                "nats",
                broker("n.vendor.io", Some(4222)),
                "SEND",
                payload(&["u", "pw"], &[(&file, false)], &[])
            )]),
        ),
        (
            "nats kv put cfg key value --server n.vendor.io:4222",
            json!([host_request(
                "nats",
                broker("n.vendor.io", Some(4222)),
                "SEND",
                payload(&["value"], &[], &[])
            )]),
        ),
        // Subscribing sends only credentials; a server no line names is unknown.
        ("nats sub a.b --server n.vendor.io", json!([])),
        (
            "nats sub a.b --server n.vendor.io --token \"$T\"",
            json!([host_request(
                "nats",
                broker("n.vendor.io", None),
                "DOWNLOAD",
                payload(&["$T"], &[], &["T"])
            )]),
        ),
        ("nats pub a.b hi", json!([])),
        (
            "echo '{}' | rpk topic produce t -X brokers=seed.partner.com:9092 -X pass=$RP -k id1",
            json!([host_request(
                "rpk",
                broker("seed.partner.com", Some(9092)),
                "SEND",
                payload(&["pass=$RP", "id1", "{}"], &[], &["RP"])
            )]),
        ),
        (
            "rpk topic produce t --brokers seed.partner.com:9092 < /dev/null",
            json!([host_request(
                "rpk",
                broker("seed.partner.com", Some(9092)),
                "CONNECT",
                empty()
            )]),
        ),
        (
            "rpk topic consume t -X brokers=seed.partner.com:9092",
            json!([]),
        ),
        (
            "rabbitmqadmin -H rabbit.vendor.io -u admin -p \"$RP\" publish exchange=amq.default routing_key=q payload=hello",
            json!([url_request(
                "rabbitmqadmin",
                "http://rabbit.vendor.io:15672/api/exchanges/publish",
                "POST",
                payload(
                    &[
                        "exchange=amq.default",
                        "routing_key=q",
                        "payload=hello",
                        "admin",
                        "$RP"
                    ],
                    &[],
                    &["RP"]
                )
            )]),
        ),
        (
            "amqp-publish --url amqp://u:p@rabbit.vendor.io:5672/ -r q -b hello",
            json!([host_request(
                "amqp-publish",
                broker("rabbit.vendor.io", Some(5672)),
                "SEND",
                payload(&["q", "hello", "u", "p"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn jobs_run_on_the_cluster_they_are_submitted_to() {
    let jar = at("jobs/app.jar");
    let deps = at("libs/dep.jar");
    run_table(&[
        (
            "spark-submit --master spark://m.vendor.io:7077 --conf spark.hadoop.fs.s3a.secret.key=$AWS_SECRET_ACCESS_KEY --jars libs/dep.jar,s3a://b/x.jar --class a.B jobs/app.jar --day 1",
            json!([host_request(
                "spark-submit",
                broker("m.vendor.io", Some(7077)),
                "EXEC",
                payload(
                    &[
                        "spark.hadoop.fs.s3a.secret.key=$AWS_SECRET_ACCESS_KEY",
                        "s3a://b/x.jar",
                        "--day",
                        "1"
                    ],
                    &[(&deps, false), (&jar, false)],
                    &["AWS_SECRET_ACCESS_KEY"]
                )
            )]),
        ),
        (
            "spark-submit --master k8s://k8s.vendor.io:6443 --deploy-mode cluster local:///opt/app.jar",
            json!([url_request(
                "spark-submit",
                "https://k8s.vendor.io:6443",
                "EXEC",
                payload(&["local:///opt/app.jar"], &[], &[])
            )]),
        ),
        // A local or YARN master names no host.
        (
            "spark-submit --master 'local[*]' jobs/app.jar",
            json!([read(&jar)]),
        ),
        (
            "spark-submit --master yarn jobs/app.jar",
            json!([read(&jar)]),
        ),
        (
            "flink run -m jm.vendor.io:8081 -Dstate.backend=rocksdb jobs/app.jar --in s3://x",
            json!([host_request(
                "flink",
                broker("jm.vendor.io", Some(8081)),
                "EXEC",
                payload(
                    &["state.backend=rocksdb", "--in", "s3://x"],
                    &[(&jar, false)],
                    &[]
                )
            )]),
        ),
        (
            "flink cancel -m jm.vendor.io:8081 7f3c2a91",
            json!([host_request(
                "flink",
                broker("jm.vendor.io", Some(8081)),
                "EXEC",
                payload(&["7f3c2a91"], &[], &[])
            )]),
        ),
        ("flink list -m jm.vendor.io:8081", json!([])),
    ]);
}

#[test]
fn broker_access_rules_grant_to_their_principal() {
    run_table(&[
        (
            "kafka-acls --bootstrap-server k1.corp.internal:9092 --add --allow-principal User:etl --operation Read --topic orders --group etl",
            json!([
                grant("kafka topic orders on k1.corp.internal:9092", "User:etl"),
                grant("kafka group etl on k1.corp.internal:9092", "User:etl"),
            ]),
        ),
        (
            "kafka-acls.sh --bootstrap-server k1:9092 --remove --deny-principal User:x --cluster",
            json!([grant("kafka cluster on k1:9092", "User:x")]),
        ),
        (
            "kafka-acls --bootstrap-server k1:9092 --list --topic orders",
            json!([]),
        ),
        (
            "rpk security acl create --allow-principal User:a,User:b --operation read --topic t",
            json!([
                grant("redpanda topic t", "User:a"),
                grant("redpanda topic t", "User:b"),
            ]),
        ),
        (
            "rpk acl user create bob -p secret -X brokers=r.corp.internal:9092",
            json!([grant("redpanda users on r.corp.internal:9092", "bob")]),
        ),
        (
            "rpk security role assign admin --principal alice",
            json!([grant("redpanda role admin", "alice")]),
        ),
        (
            "rabbitmqadmin -H rabbit.corp.internal declare permission vhost=partners user=bridge configure='^$' write='^$' read='.*'",
            json!([
                grant(
                    "rabbitmq vhost partners on rabbit.corp.internal:15672",
                    "bridge"
                ),
                url_request(
                    "rabbitmqadmin",
                    "http://rabbit.corp.internal:15672/api/permissions",
                    "PUT",
                    payload(
                        &[
                            "vhost=partners",
                            "user=bridge",
                            "configure=^$",
                            "write=^$",
                            "read=.*"
                        ],
                        &[],
                        &[]
                    )
                ),
            ]),
        ),
        (
            "rabbitmqctl -n rabbit@mq1 set_permissions -p partners bridge '.*' '.*' '.*'",
            json!([grant("rabbitmq vhost partners on mq1", "bridge")]),
        ),
        (
            "rabbitmqctl set_user_tags bob administrator",
            json!([grant("rabbitmq users", "bob")]),
        ),
        ("rabbitmqctl list_users", json!([])),
    ]);
}
