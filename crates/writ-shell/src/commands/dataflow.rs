//! Clients of data platforms that move data off this machine: Kafka
//! producers (`kcat -P`, `kafka-console-producer`, the Avro and Protobuf
//! producers, `confluent kafka topic produce`) send their input to the
//! broker they name, and Hadoop file system copies (`hdfs dfs -put`,
//! `hadoop fs -copyFromLocal`, `hadoop distcp`) write to the file system
//! their destination names (`s3a://bucket/...` is that S3 bucket). Jobs
//! submitted to a remote cluster (`spark-submit --master spark://H:P`,
//! `flink run -m H:P`) run there with the code and settings they ship.
//!
//! A client's configuration goes to its broker too: the properties it is
//! given (`kcat -X sasl.password=$P`, `--producer-property`, a `-F` or
//! `--command-config` file) hold the credentials it logs in with, so a
//! consumer that reads nothing out still sends them.
//!
//! Message brokers' own clients (NATS, Redpanda's `rpk`, RabbitMQ, AMQP,
//! Pulsar), Kafka's admin tools and the access grants of Kafka's and
//! RabbitMQ's tools are in `brokers.rs`.

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Spec};
use crate::{Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let program = inv.program.trim_end_matches(".sh");
    match program {
        "kcat" | "kafkacat" => kcat(inv),
        "kafka-console-producer"
        | "kafka-avro-console-producer"
        | "kafka-protobuf-console-producer"
        | "kafka-json-schema-console-producer"
        | "kafka-verifiable-producer" => console_client(inv, Direction::Send),
        "kafka-console-consumer"
        | "kafka-avro-console-consumer"
        | "kafka-protobuf-console-consumer"
        | "kafka-json-schema-console-consumer"
        | "kafka-verifiable-consumer"
        | "kafka-console-share-consumer" => console_client(inv, Direction::Receive),
        "confluent" => confluent_produce(inv),
        "hdfs" | "hadoop" => hadoop(inv),
        "spark-submit" | "spark-shell" | "pyspark" | "spark-sql" | "sparkR" => spark(inv),
        "flink" => flink(inv),
        _ => super::brokers::handle(inv, program),
    }
}

/// Whether a client sends messages to its broker or reads from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Send,
    Receive,
}

/// The request a broker client makes: a producer sends what it is given;
/// a consumer is reported only when it carries something out (the
/// credentials it logs in with), as a read that sends them.
pub(super) fn broker_request(
    inv: &Invocation<'_>,
    target: Target,
    direction: Direction,
    payload: Payload,
) -> Option<crate::Effect> {
    match direction {
        Direction::Send => Some(request(inv.program, target, "SEND", payload, false)),
        Direction::Receive if payload.is_empty() => None,
        Direction::Receive => Some(request(inv.program, target, "DOWNLOAD", payload, false)),
    }
}

/// Property keys that name the brokers: librdkafka's and the Java
/// client's, and rpk's `-X brokers=`.
const BROKER_KEYS: &[&str] = &["bootstrap.servers", "metadata.broker.list", "brokers"];

/// A client property `KEY=VALUE` (librdkafka's `-X`, the Java client's
/// `--producer-property`, rpk's `-X`, Spark's and Flink's `--conf`/`-D`):
/// its value is sent with the client's connection, credentials
/// (`sasl.password`, `sasl.jaas.config`, `pass`) most of all, except a
/// local file's location (TLS keys and stores, keytabs), which stays here.
/// Returns the brokers a broker key names.
pub(super) fn client_property(arg: &Arg, payload: &mut Payload) -> Option<String> {
    let (key, value) = arg.text.split_once('=')?;
    let key = key.trim();
    if BROKER_KEYS.contains(&key) {
        flow::merge(payload, &arg.expansions());
        return Some(value.to_owned());
    }
    let last = key.rsplit('.').next().unwrap_or(key);
    let local_file = key.ends_with(".location")
        || key.ends_with("keytab")
        || (key.contains("tls.") && matches!(last, "ca" | "cert" | "key"));
    if !local_file {
        flow::merge(payload, &arg.payload());
    }
    None
}

/// `kcat -P -b BROKERS -t TOPIC [FILE...]`: in producer mode each file (or
/// else standard input, which the walk adds) is sent to the first broker,
/// with the `-X` properties and the `-F` configuration file's, which carry
/// the credentials. Without `-P` or `-C` kcat produces when its input is
/// not a terminal. Consuming, listing and querying read, sending only the
/// credentials.
fn kcat(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "btpkKDHXFocsrGdmfz",
            long: &[],
            stop_after: None,
        },
    );
    let direction = if args::has(&items, &["-P"]) {
        Direction::Send
    } else if args::has(&items, &["-C", "-G", "-L", "-Q"]) || !inv.has_stdin {
        Direction::Receive
    } else {
        Direction::Send
    };
    let mut payload = Payload::default();
    let mut brokers = args::value(&items, &["-b"]).map(|b| b.text.clone());
    for property in args::values(&items, &["-X"]) {
        if let Some(named) = client_property(property, &mut payload) {
            brokers.get_or_insert(named);
        }
    }
    let brokers = brokers.or_else(|| inv.env_value("KAFKA_BROKERS").map(|b| b.text.clone()))?;
    if direction == Direction::Send {
        for file in args::positionals(&items) {
            send_file(inv, &mut payload, &file.text, false);
        }
        for header in args::values(&items, &["-H", "-k"]) {
            flow::merge(&mut payload, &header.payload());
        }
    }
    let mut outcome = Outcome::default();
    for config in args::values(&items, &["-F"]) {
        outcome.read(inv.path(&config.text), false);
        send_file(inv, &mut payload, &config.text, false);
    }
    outcome
        .effects
        .extend(broker_request(inv, broker(&brokers), direction, payload));
    Some(outcome)
}

/// The Kafka console clients' options that take a value (producers',
/// consumers', and the Confluent Schema Registry variants').
const CONSOLE_LONG: &[&str] = &[
    "bootstrap-server",
    "broker-list",
    "topic",
    "property",
    "producer-property",
    "consumer-property",
    "command-property",
    "reader-property",
    "formatter-property",
    "producer.config",
    "consumer.config",
    "command-config",
    "reader-config",
    "formatter-config",
    "line-reader",
    "formatter",
    "compression-codec",
    "batch-size",
    "timeout",
    "timeout-ms",
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
    "group",
    "partition",
    "offset",
    "isolation-level",
    "include",
    "whitelist",
    "key-deserializer",
    "value-deserializer",
];

/// `kafka-console-producer --bootstrap-server|--broker-list B --topic T`:
/// what it reads on standard input goes to the first broker; a console
/// consumer reads from it. Either sends its client properties
/// (`--producer-property`, `--consumer-property`, `--command-property`)
/// and the configuration files it logs in with (`--producer.config`,
/// `--consumer.config`, `--command-config`).
fn console_client(inv: &Invocation<'_>, direction: Direction) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: CONSOLE_LONG,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut named = None;
    for property in args::values(
        &items,
        &[
            "--producer-property",
            "--consumer-property",
            "--command-property",
        ],
    ) {
        if let Some(brokers) = client_property(property, &mut payload) {
            named.get_or_insert(brokers);
        }
    }
    if direction == Direction::Send {
        // Reader properties (`parse.key=true`) shape the messages sent.
        for property in args::values(&items, &["--property", "--reader-property"]) {
            flow::merge(&mut payload, &property.payload());
        }
    }
    for config in args::values(
        &items,
        &["--producer.config", "--consumer.config", "--command-config"],
    ) {
        outcome.read(inv.path(&config.text), false);
        send_file(inv, &mut payload, &config.text, false);
    }
    let brokers = args::value(&items, &["--bootstrap-server", "--broker-list"])
        .map(|b| b.text.clone())
        .or(named)?;
    outcome
        .effects
        .extend(broker_request(inv, broker(&brokers), direction, payload));
    Some(outcome)
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
pub(super) fn broker(list: &str) -> Target {
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

/// `spark-submit`'s options that take a value (`SparkSubmitOptionParser`),
/// with the shells' and `spark-sql`'s (`-e`, `-f`, `-i`, `--hiveconf`).
const SPARK_LONG: &[&str] = &[
    "master",
    "remote",
    "deploy-mode",
    "class",
    "name",
    "jars",
    "packages",
    "exclude-packages",
    "repositories",
    "py-files",
    "files",
    "archives",
    "conf",
    "properties-file",
    "driver-memory",
    "driver-java-options",
    "driver-library-path",
    "driver-class-path",
    "executor-memory",
    "proxy-user",
    "driver-cores",
    "total-executor-cores",
    "executor-cores",
    "num-executors",
    "principal",
    "keytab",
    "queue",
    "kill",
    "status",
    "hiveconf",
    "hivevar",
    "define",
    "database",
];

/// `spark-submit --master URL [options] APP [ARGS]` (and `spark-shell`,
/// `pyspark`, `spark-sql`, `sparkR`): with a master on another host
/// (`spark://H:P`, `k8s://https://H`, `mesos://H:P`, Spark Connect's
/// `--remote sc://H`) the job runs there, so the application and the files
/// it ships (`--jars`, `--py-files`, `--files`, `--archives`, a
/// `--keytab`), its settings (`--conf`, a `--properties-file`, whose
/// credentials it uses there) and its arguments go to that host. A local
/// or YARN master (`local[*]`, `yarn`: the cluster the Hadoop configuration
/// names) names no host here. `--kill` and `--status` act on a submission
/// there.
fn spark(inv: &Invocation<'_>) -> Option<Outcome> {
    let submit = inv.program == "spark-submit";
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cefiId",
            long: SPARK_LONG,
            // The application ends spark-submit's options; its own follow.
            stop_after: submit.then_some(1),
        },
    );
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut master = None;
    for conf in args::values(&items, &["--conf", "-c"]) {
        match conf.text.split_once('=') {
            Some(("spark.master" | "spark.remote", value)) => master = Some(value.to_owned()),
            _ => flow::merge(&mut payload, &conf.payload()),
        }
    }
    let master = args::value(&items, &["--remote"])
        .or_else(|| args::value(&items, &["--master"]))
        .map(|m| m.text.clone())
        .or(master)
        .or_else(|| inv.env_value("SPARK_REMOTE").map(|m| m.text.clone()))
        .or_else(|| inv.env_value("MASTER").map(|m| m.text.clone()))?;
    let target = spark_master(&master, &mut payload)?;
    for file in args::values(&items, &["--properties-file"]) {
        outcome.read(inv.path(&file.text), false);
        send_file(inv, &mut payload, &file.text, false);
    }
    for list in args::values(&items, &["--jars", "--py-files", "--files", "--archives"]) {
        for entry in list.text.split(',') {
            // `data.zip#alias`: the archive, unpacked under the alias.
            shipped(inv, &mut payload, entry.split('#').next().unwrap_or(entry));
        }
        flow::merge(&mut payload, &list.expansions());
    }
    for file in args::values(&items, &["--keytab", "-f", "-i", "-I"]) {
        shipped(inv, &mut payload, &file.text);
    }
    for text in args::values(
        &items,
        &[
            "--driver-java-options",
            "-e",
            "--hiveconf",
            "--hivevar",
            "--define",
            "-d",
            "--kill",
        ],
    ) {
        flow::merge(&mut payload, &text.payload());
    }
    let positionals = args::positionals(&items);
    if let Some((app, rest)) = positionals.split_first().filter(|_| submit) {
        shipped(inv, &mut payload, &app.text);
        for arg in rest {
            flow::merge(&mut payload, &arg.payload());
        }
    }
    let method = if args::has(&items, &["--status"]) {
        "DOWNLOAD"
    } else {
        "EXEC"
    };
    Some(outcome.effect(request(inv.program, target, method, payload, false)))
}

/// A file a job ships: a local one's contents, or a remote one's URL
/// (`s3a://b/app.jar`, `hdfs:///libs/x.jar`, `local:/opt/app.jar`, which
/// the cluster fetches itself).
fn shipped(inv: &Invocation<'_>, payload: &mut Payload, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    match text.split_once(':') {
        Some((scheme, _))
            if scheme.len() > 1 && scheme.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            match text.strip_prefix("file://") {
                Some(local) => send_file(inv, payload, local, false),
                None => flow::push_text(payload, text),
            }
        }
        _ => send_file(inv, payload, text, false),
    }
}

/// Where a Spark master URL runs jobs: `spark://H:P[,H2:P2]`,
/// `mesos://H:P`, `k8s://https://H:P` (`k8s://H:P` is HTTPS), Spark
/// Connect's `sc://H:P/;token=T` (the token goes with every request).
/// `None` for `local[...]`, `local-cluster[...]`, `yarn` and a Mesos
/// master found through ZooKeeper's local ensemble.
fn spark_master(master: &str, payload: &mut Payload) -> Option<Target> {
    if let Some(api) = master.strip_prefix("k8s://") {
        return Some(if api.contains("://") {
            url(api)
        } else {
            url(&format!("https://{api}"))
        });
    }
    let (scheme, rest) = master.split_once("://")?;
    let rest = rest.strip_prefix("zk://").unwrap_or(rest);
    match scheme {
        "spark" | "mesos" | "sc" => {
            let (authority, params) = rest.split_once('/').unwrap_or((rest, ""));
            if let Some(params) = params.strip_prefix(';') {
                flow::push_text(payload, params);
            }
            let host = broker(authority);
            match &host {
                Target::Host { host, .. } if host.is_empty() => None,
                _ => Some(host),
            }
        }
        _ => None,
    }
}

/// `flink run`'s options that take a value (`CliFrontendParser`), written
/// as whole words (`-py`, `-pyfs`); `-Dkey=value` may be one word.
const FLINK_VALUES: &[&str] = &[
    "-m",
    "--jobmanager",
    "-t",
    "--target",
    "-c",
    "--class",
    "-C",
    "--classpath",
    "-p",
    "--parallelism",
    "-py",
    "--python",
    "-pyfs",
    "--pyFiles",
    "-pym",
    "--pyModule",
    "-pyarch",
    "--pyArchives",
    "-pyreq",
    "--pyRequirements",
    "-pyexec",
    "--pyExecutable",
    "-pyclientexec",
    "--pyClientExecutable",
    "-s",
    "--fromSavepoint",
    "-rm",
    "--restoreMode",
    "-j",
    "--jarfile",
    "-e",
    "--executor",
    "-z",
    "--zookeeperNamespace",
    "-yid",
    "--yarnapplicationId",
    "-D",
    "--savepointPath",
    "-type",
    "--type",
];

/// `flink run -m HOST:PORT [options] JAR [ARGS]` (`run-application`, and
/// `-D rest.address=H` / `jobmanager.rpc.address`): the job, its files
/// (`-py`, `--pyFiles`, `-j`), its `-D` settings and arguments go to that
/// JobManager, which runs it; `cancel`, `stop` and `savepoint` change a job
/// there. `-m yarn-cluster` and a target from the configuration file name
/// no host here; `list` and `info` read.
fn flink(inv: &Invocation<'_>) -> Option<Outcome> {
    let (action, rest) = inv.args.split_first()?;
    let action = action.text.as_str();
    if !matches!(
        action,
        "run" | "run-application" | "cancel" | "stop" | "savepoint"
    ) {
        return None;
    }
    // Each option's name, value and the word that holds the value.
    let mut options: Vec<(&str, String, &Arg)> = Vec::new();
    let mut positionals: Vec<&Arg> = Vec::new();
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if !positionals.is_empty() || !text.starts_with('-') || text == "-" {
            positionals.push(word);
            continue;
        }
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => match text.strip_prefix("-D").filter(|v| !v.is_empty()) {
                Some(value) => ("-D", Some(value)),
                None => (text, None),
            },
        };
        let Some(name) = FLINK_VALUES.iter().find(|n| **n == name) else {
            continue;
        };
        match attached {
            Some(value) => options.push((name, value.to_owned(), word)),
            None => {
                if let Some(value) = words.next() {
                    options.push((name, value.text.clone(), value));
                }
            }
        }
    }
    let mut payload = Payload::default();
    let mut jobmanager = None;
    let mut rest_host = None;
    let mut rest_port = None;
    for (name, value, word) in &options {
        let value = value.clone();
        match *name {
            "-m" | "--jobmanager" => jobmanager = Some(value),
            "-D" => match value.split_once('=') {
                Some(("rest.address" | "jobmanager.rpc.address", host)) => {
                    rest_host = Some(host.to_owned());
                }
                Some(("rest.port", port)) => rest_port = Some(port.to_owned()),
                _ => {
                    flow::merge(&mut payload, &word.expansions());
                    flow::push_text(&mut payload, &value);
                }
            },
            "-py" | "--python" | "-j" | "--jarfile" | "-pyreq" | "--pyRequirements" => {
                shipped(inv, &mut payload, value.split('#').next().unwrap_or(&value));
            }
            "-pyfs" | "--pyFiles" | "-pyarch" | "--pyArchives" => {
                for entry in value.split(',') {
                    shipped(inv, &mut payload, entry.split('#').next().unwrap_or(entry));
                }
            }
            "-C" | "--classpath" | "-c" | "--class" | "-pym" | "--pyModule" => {
                flow::push_text(&mut payload, &value);
            }
            _ => {}
        }
    }
    let address = jobmanager.or_else(|| {
        rest_host.map(|host| match rest_port {
            Some(port) => format!("{host}:{port}"),
            None => host,
        })
    })?;
    let address = address
        .split_once("://")
        .map_or(address.as_str(), |(_, rest)| rest)
        .trim_end_matches('/');
    if address.is_empty() || matches!(address, "yarn-cluster" | "local") {
        return None;
    }
    let submits = matches!(action, "run" | "run-application");
    let python = options
        .iter()
        .any(|(name, _, _)| matches!(*name, "-py" | "--python" | "-pym" | "--pyModule"));
    for (at, arg) in positionals.iter().enumerate() {
        if submits && at == 0 && !python {
            shipped(inv, &mut payload, &arg.text);
        } else {
            flow::merge(&mut payload, &arg.payload());
        }
    }
    Some(Outcome::default().effect(request(
        inv.program,
        broker(address),
        "EXEC",
        payload,
        false,
    )))
}
