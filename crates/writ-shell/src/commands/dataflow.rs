//! Clients of data platforms that move data off this machine: Kafka
//! producers (`kcat -P`, `kafka-console-producer`, the Avro and Protobuf
//! producers, `confluent kafka topic produce`) send their input to the
//! broker they name, and Hadoop file system copies (`hdfs dfs -put`,
//! `hadoop fs -copyFromLocal`, `hadoop distcp`) write to the file system
//! their destination names (`s3a://bucket/...` is that S3 bucket).

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Spec};
use crate::{Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let program = inv.program.trim_end_matches(".sh");
    match program {
        "kcat" | "kafkacat" => kcat(inv),
        "kafka-console-producer"
        | "kafka-avro-console-producer"
        | "kafka-protobuf-console-producer"
        | "kafka-json-schema-console-producer"
        | "kafka-verifiable-producer" => console_producer(inv),
        "confluent" => confluent_produce(inv),
        "hdfs" | "hadoop" => hadoop(inv),
        _ => None,
    }
}

/// `kcat -P -b BROKERS -t TOPIC [FILE...]`: in producer mode each file (or
/// else standard input, which the walk adds) is sent to the first broker.
/// Consuming, listing and querying read.
fn kcat(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "btpkKDHXFocsrGdmfTzJ",
            long: &[],
            stop_after: None,
        },
    );
    if !args::has(&items, &["-P"]) {
        return None;
    }
    let brokers = args::value(&items, &["-b"])
        .map(|b| b.text.clone())
        .or_else(|| inv.env_value("KAFKA_BROKERS").map(|b| b.text.clone()))?;
    let mut payload = Payload::default();
    for file in args::positionals(&items) {
        send_file(inv, &mut payload, &file.text, false);
    }
    for header in args::values(&items, &["-H", "-k"]) {
        flow::merge(&mut payload, &header.payload());
    }
    let mut outcome = Outcome::default();
    for config in args::values(&items, &["-F"]) {
        outcome.read(inv.path(&config.text), false);
    }
    Some(outcome.effect(request(
        inv.program,
        broker(&brokers),
        "SEND",
        payload,
        false,
    )))
}

/// `kafka-console-producer --bootstrap-server|--broker-list B --topic T`:
/// what it reads on standard input goes to the first broker.
fn console_producer(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "bootstrap-server",
                "broker-list",
                "topic",
                "property",
                "producer-property",
                "producer.config",
                "command-config",
                "reader-config",
                "line-reader",
                "compression-codec",
                "batch-size",
                "timeout",
                "request-required-acks",
                "message-send-max-retries",
                "retry-backoff-ms",
                "max-block-ms",
                "max-memory-bytes",
                "max-partition-memory-bytes",
                "metadata-expiry-ms",
                "socket-buffer-size",
                "request-timeout-ms",
                "max-messages",
                "throughput",
                "value-schema",
                "key-schema",
                "value-schema-id",
                "key-schema-id",
            ],
            stop_after: None,
        },
    );
    let brokers = args::value(&items, &["--bootstrap-server", "--broker-list"])?;
    let mut outcome = Outcome::default();
    for config in args::values(&items, &["--producer.config", "--command-config"]) {
        outcome.read(inv.path(&config.text), false);
    }
    let mut payload = Payload::default();
    for property in args::values(&items, &["--property", "--producer-property"]) {
        flow::merge(&mut payload, &property.payload());
    }
    Some(outcome.effect(request(
        inv.program,
        broker(&brokers.text),
        "SEND",
        payload,
        false,
    )))
}

/// `confluent kafka topic produce TOPIC [--bootstrap B]`: standard input
/// goes to the cluster, Confluent Cloud's unless `--bootstrap` names one.
fn confluent_produce(inv: &Invocation<'_>) -> Option<Outcome> {
    let words: Vec<&str> = inv.args.iter().map(|a| a.text.as_str()).collect();
    if !matches!(words.as_slice(), ["kafka", "topic", "produce", ..]) {
        return None;
    }
    let items = args::parse(
        inv.args.get(3..).unwrap_or_default(),
        &Spec {
            short: "",
            long: &[
                "bootstrap",
                "cluster",
                "environment",
                "api-key",
                "api-secret",
                "value-format",
                "key-format",
                "schema",
                "delimiter",
                "config-file",
                "config",
                "context",
            ],
            stop_after: None,
        },
    );
    let target = match args::value(&items, &["--bootstrap"]) {
        Some(brokers) => broker(&brokers.text),
        None => url("https://confluent.cloud"),
    };
    let mut payload = Payload::default();
    for secret in args::values(&items, &["--api-key", "--api-secret"]) {
        flow::merge(&mut payload, &secret.payload());
    }
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["--schema", "--config-file"]) {
        send_file(inv, &mut payload, &file.text, false);
        outcome.read(inv.path(&file.text), false);
    }
    Some(outcome.effect(request(inv.program, target, "SEND", payload, false)))
}

/// The first broker of a list (`h1:9092,h2:9092`, `SASL_SSL://h1:9092`).
fn broker(list: &str) -> Target {
    let first = list.split(',').next().unwrap_or_default().trim();
    let first = first.split_once("://").map_or(first, |(_, rest)| rest);
    let (host, port) = match first.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => (host, port.parse().ok()),
        _ => (first, None),
    };
    Target::Host {
        user: None,
        host: host.trim_matches(['[', ']']).to_owned(),
        port,
        path: None,
    }
}

/// `hdfs dfs|hadoop fs -put|-copyFromLocal|-moveFromLocal LOCAL... DEST`
/// and `hadoop distcp SRC... DEST`: what is copied goes to the file system
/// DEST names. A path without a scheme is the cluster's default file
/// system, which the line cannot place: only the local files are read, as
/// for any store the line does not name. Other verbs act inside the
/// cluster's file systems and change nothing here.
fn hadoop(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = match inv.args.split_first()? {
        (first, rest) if matches!(first.text.as_str(), "dfs" | "fs") => match rest.split_first() {
            Some((verb, rest)) => (verb.text.as_str(), rest),
            None => return Some(Outcome::default()),
        },
        (first, rest) if first.text == "distcp" => ("distcp", rest),
        _ => return None,
    };
    let mut outcome = Outcome::default();
    let operands: Vec<&str> = rest
        .iter()
        .map(|a| a.text.as_str())
        .filter(|t| !t.starts_with('-'))
        .collect();
    let Some((destination, sources)) = operands.split_last() else {
        return Some(outcome);
    };
    let mut payload = Payload::default();
    match verb {
        "-put" | "-copyFromLocal" | "-moveFromLocal" | "-appendToFile" => {
            for source in sources {
                outcome.read(inv.path(source), true);
                send_file(inv, &mut payload, source, true);
            }
        }
        "distcp" | "-cp" | "-mv" => {
            for source in sources {
                match source.strip_prefix("file://") {
                    Some(local) => send_file(inv, &mut payload, local, true),
                    None => flow::push_text(&mut payload, source),
                }
            }
        }
        _ => return Some(outcome),
    }
    if let Some(target) = file_system(destination) {
        outcome
            .effects
            .push(request(inv.program, target, "UPLOAD", payload, false));
    }
    Some(outcome)
}

/// Where a Hadoop path lives: an S3 or GCS bucket (`s3a://b/k` is
/// `s3://b/k`), an Azure storage account (`abfss://c@acct.dfs.core.windows.net/`),
/// or a name node (`hdfs://nn:8020/p`). `None` for a path of the default
/// file system or this machine's (`file://`).
fn file_system(text: &str) -> Option<Target> {
    let (scheme, rest) = text.split_once("://")?;
    match scheme {
        "s3a" | "s3n" | "s3" => Some(url(&format!("s3://{rest}"))),
        "gs" => Some(url(text)),
        "file" => None,
        _ => {
            let authority = rest.split('/').next().unwrap_or_default();
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let host = host.split(':').next().unwrap_or_default();
            (!host.is_empty()).then(|| Target::Host {
                user: None,
                host: host.to_owned(),
                port: None,
                path: None,
            })
        }
    }
}
