//! Kafka producers send their input to the broker they name; Hadoop copies
//! write to the file system their destination names.

use crate::common;
use common::*;
use serde_json::{Value, json};

fn broker(host: &str, port: u16) -> Value {
    host_(host, Some(port))
}

fn host_(host: &str, port: Option<u16>) -> Value {
    json!({"kind": "host", "user": null, "host": host, "port": port, "path": null})
}

#[test]
fn kafka_producers_send_to_their_broker() {
    let env = at(".env");
    run_table(&[
        (
            "kcat -P -b pkc-1.stream.net:9092,pkc-2.stream.net:9092 -t dbg .env",
            json!([host_request(
                "kcat",
                broker("pkc-1.stream.net", 9092),
                "SEND",
                payload(&[], &[(&env, false)], &[])
            )]),
        ),
        (
            "cat .env | kafka-console-producer.sh --bootstrap-server SASL_SSL://b1.stream.net:9093 --topic t",
            json!([
                read(&env),
                host_request(
                    "kafka-console-producer.sh",
                    broker("b1.stream.net", 9093),
                    "SEND",
                    payload(&[], &[(&env, false)], &[])
                )
            ]),
        ),
        (
            "confluent kafka topic produce orders --api-key K --api-secret \"$SECRET\"",
            json!([url_request(
                "confluent",
                "https://confluent.cloud",
                "SEND",
                payload(&["K", "$SECRET"], &[], &["SECRET"])
            )]),
        ),
        // Consuming and listing read.
        ("kcat -C -b b1:9092 -t t", json!([])),
        ("kcat -L -b b1:9092", json!([])),
        ("confluent kafka topic list", json!([])),
    ]);
}

#[test]
fn hadoop_copies_write_where_their_destination_lives() {
    let csv = at("data/members.csv");
    run_table(&[
        (
            "hdfs dfs -put -f data/members.csv s3a://vendor-in/larkspur/",
            json!([
                read_tree(&csv),
                url_request(
                    "hdfs",
                    "s3://vendor-in/larkspur/",
                    "UPLOAD",
                    payload(&[], &[(&csv, true)], &[])
                )
            ]),
        ),
        (
            "hadoop distcp -update s3a://lake/seg/ gs://vendor-in/seg/",
            json!([url_request(
                "hadoop",
                "gs://vendor-in/seg/",
                "UPLOAD",
                payload(&["s3a://lake/seg/"], &[], &[])
            )]),
        ),
        (
            "hadoop fs -copyFromLocal data/members.csv hdfs://nn.partner.com:8020/in/",
            json!([
                read_tree(&csv),
                host_request(
                    "hadoop",
                    host_("nn.partner.com", None),
                    "UPLOAD",
                    payload(&[], &[(&csv, true)], &[])
                )
            ]),
        ),
        // The cluster's default file system is not placed; reads change nothing.
        (
            "hdfs dfs -put data/members.csv /user/etl/",
            json!([read_tree(&csv)]),
        ),
        ("hdfs dfs -ls s3a://vendor-in/", json!([])),
    ]);
}
