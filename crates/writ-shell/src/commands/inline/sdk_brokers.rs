//! Messages published through message brokers' client SDKs: Kafka's
//! (confluent-kafka's `Producer({"bootstrap.servers": ...}).produce(topic,
//! value=...)`, kafka-python's and aiokafka's `KafkaProducer(
//! bootstrap_servers=...).send(topic, value)`, kafkajs' `new Kafka({
//! brokers }).producer().send({ topic, messages })`), AMQP's (pika's
//! `BlockingConnection(URLParameters("amqp://..."))` and `basic_publish(
//! ..., body=...)`, aio-pika's, amqplib's `amqp.connect("amqp://...")` and
//! `sendToQueue`/`publish`), NATS' (`nats.connect("nats://...")`,
//! `connect({ servers })` and `publish(subject, data)`) and Redis'
//! (redis-py's `Redis(host=...)`/`from_url(...)`, node-redis' and
//! ioredis' clients, and `publish`, `xadd`, `lpush`, `set`, ...).
//!
//! One table says, per SDK, the packages code imports it as, the calls that
//! make a client (or its connection settings), the keys (or the first
//! argument) that name the broker, and the methods that publish. Each call
//! of a publishing method, in code that imports the SDK, after a client
//! that names its broker, is a send to that broker, as the brokers' own
//! CLIs' publishes are (`super::super::dataflow::broker_request`): it
//! carries what the call is given (its literals, the values of the names
//! it reads, the variables it reads, and what the script's own arguments
//! written into those carry, but not the topic, subject or queue it is
//! addressed to), the files the code reads (a value read from `.env`),
//! and the credentials the client logs in with (`sasl.password`,
//! `password=`, `PlainCredentials(...)`, a URL's user information). A
//! broker's first address is the one reached (`host:port`, a URL, a
//! list). Consuming (`subscribe`, `poll`, `get`) sends nothing; a broker
//! on this machine is one the policy keeps local.

use super::sdk_messages::{call_opens, files_read};
use super::sdk_saas::{bound_names, imports};
use super::sdk_values::{Value, Values, item_key};
use super::storage::{Item, arguments, in_literal, is_ident, token_starts};
use super::{ENV_LOOKUPS, Invocation, Literal, Outcome, READ_CALLS, called_with, env_reads};
use crate::commands::brokers::server_url;
use crate::commands::dataflow::{Direction, broker_request};
use crate::{Effect, FileRef, Payload, Target, flow};

/// A broker's client SDKs and the calls of them that publish.
struct Sdk {
    /// The packages code imports to use them (Python's module, npm's
    /// package).
    packages: &'static [&'static str],
    /// Calls that make a client or its connection settings.
    clients: &'static [&'static str],
    /// Keys of a client's settings that name the broker (or brokers).
    server_keys: &'static [&'static str],
    /// Whether a client's first argument may name the broker (a URL, a
    /// host, a list of them).
    positional_server: bool,
    /// Calls whose every argument is a credential (pika's
    /// `PlainCredentials("user", "pass")`).
    credential_calls: &'static [&'static str],
    /// Methods that publish, with how many of their first positional
    /// arguments address the message (topic, subject, exchange, queue,
    /// key) rather than say it.
    publishes: &'static [(&'static str, usize)],
}

/// Redis' commands that store or publish what they are given (redis-py's
/// and ioredis' names, node-redis' camel-case ones), after the key,
/// channel or stream they address.
const REDIS_WRITES: &[(&str, usize)] = &[
    ("publish", 1),
    ("spublish", 1),
    ("xadd", 1),
    ("lpush", 1),
    ("rpush", 1),
    ("lpushx", 1),
    ("rpushx", 1),
    ("set", 1),
    ("setex", 1),
    ("setnx", 1),
    ("psetex", 1),
    ("getset", 1),
    ("append", 1),
    ("hset", 1),
    ("hmset", 1),
    ("hsetnx", 1),
    ("sadd", 1),
    ("zadd", 1),
    ("mset", 0),
    ("msetnx", 0),
    ("sPublish", 1),
    ("xAdd", 1),
    ("lPush", 1),
    ("rPush", 1),
    ("setEx", 1),
    ("setNX", 1),
    ("hSet", 1),
    ("hSetNX", 1),
    ("sAdd", 1),
    ("zAdd", 1),
    ("mSet", 0),
];

const SDKS: &[Sdk] = &[
    // confluent-kafka (librdkafka's Python binding) and node-rdkafka.
    Sdk {
        packages: &["confluent_kafka", "node-rdkafka"],
        clients: &[
            "Producer",
            "SerializingProducer",
            "AvroProducer",
            "HighLevelProducer",
        ],
        server_keys: &["bootstrap.servers", "metadata.broker.list"],
        positional_server: false,
        credential_calls: &[],
        publishes: &[("produce", 1)],
    },
    // kafka-python and aiokafka.
    Sdk {
        packages: &["kafka", "aiokafka"],
        clients: &["KafkaProducer", "AIOKafkaProducer"],
        server_keys: &["bootstrap_servers"],
        positional_server: false,
        credential_calls: &[],
        publishes: &[("send", 1), ("send_and_wait", 1)],
    },
    // kafkajs, and Confluent's client with its KafkaJS-style API.
    Sdk {
        packages: &["kafkajs", "@confluentinc/kafka-javascript"],
        clients: &["Kafka"],
        server_keys: &["brokers", "bootstrap.servers"],
        positional_server: false,
        credential_calls: &[],
        publishes: &[("send", 0), ("sendBatch", 0)],
    },
    Sdk {
        packages: &["pika"],
        clients: &[
            "URLParameters",
            "ConnectionParameters",
            "BlockingConnection",
            "SelectConnection",
        ],
        server_keys: &["host", "url"],
        positional_server: true,
        credential_calls: &["PlainCredentials"],
        publishes: &[("basic_publish", 2)],
    },
    Sdk {
        packages: &["aio_pika"],
        clients: &["connect_robust", "connect"],
        server_keys: &["url", "host"],
        positional_server: true,
        credential_calls: &[],
        publishes: &[("publish", 0)],
    },
    Sdk {
        packages: &["amqplib", "amqp-connection-manager"],
        clients: &["connect"],
        server_keys: &["hostname", "url"],
        positional_server: true,
        credential_calls: &[],
        publishes: &[("sendToQueue", 1), ("publish", 2)],
    },
    // nats-py and nats.js.
    Sdk {
        packages: &[
            "nats",
            "nats.ws",
            "@nats-io/transport-node",
            "@nats-io/nats-core",
        ],
        clients: &["connect"],
        server_keys: &["servers", "url"],
        positional_server: true,
        credential_calls: &[],
        publishes: &[("publish", 1), ("request", 1)],
    },
    // redis-py and node-redis.
    Sdk {
        packages: &["redis"],
        clients: &[
            "Redis",
            "StrictRedis",
            "RedisCluster",
            "from_url",
            "createClient",
            "createCluster",
        ],
        server_keys: &["host", "url"],
        positional_server: true,
        credential_calls: &[],
        publishes: REDIS_WRITES,
    },
    Sdk {
        packages: &["ioredis"],
        clients: &["Redis", "Cluster"],
        server_keys: &["host", "url"],
        positional_server: true,
        credential_calls: &[],
        publishes: REDIS_WRITES,
    },
];

/// Keys of a publish's arguments that address the message, not say it.
const ADDRESS_KEYS: &[&str] = &[
    "topic",
    "subject",
    "exchange",
    "routing_key",
    "routingKey",
    "queue",
    "channel",
    "partition",
    "name",
];

/// Words in a client setting's key that make its value a credential
/// (`sasl.password`, `sasl_plain_password`, `password`, `token`,
/// `sasl.jaas.config`, `username`).
const CREDENTIAL_WORDS: &[&str] = &[
    "password", "passwd", "secret", "token", "jaas", "username", "api_key", "apikey",
];

/// Whole keys that are credentials (nats.js' `user`/`pass`, aio-pika's
/// `login`).
const CREDENTIAL_KEYS: &[&str] = &["user", "pass", "login", "auth"];

/// Adds a send to the broker for each call in `code` that publishes
/// through a broker SDK it imports.
pub(super) fn report(
    inv: &Invocation<'_>,
    original: &str,
    code: &str,
    literals: &[Literal],
    outcome: &mut Outcome,
) {
    let used: Vec<&Sdk> = SDKS
        .iter()
        .filter(|sdk| sdk.packages.iter().any(|p| imports(code, literals, p)))
        .collect();
    if used.is_empty() {
        return;
    }
    let values = Values::new(inv, original, code, literals);
    let read = files_read(code, literals);
    // Each publish's `(` with the client it goes through and its send.
    let mut sends: Vec<(usize, usize, Effect)> = Vec::new();
    for sdk in used {
        let clients = clients(code, literals, &values, sdk);
        for (open, addressing) in publishes(code, literals, sdk) {
            let before: Vec<&Client> = clients.iter().filter(|c| c.at < open).collect();
            let Some((client_at, server)) = before
                .iter()
                .rev()
                .find_map(|c| c.server.as_ref().map(|s| (c.at, s)))
            else {
                continue;
            };
            let mut payload = carried(code, literals, &values, open, addressing);
            for client in &before {
                flow::merge(&mut payload, &client.credentials);
            }
            for file in &read {
                flow::push_file(
                    &mut payload,
                    FileRef {
                        path: inv.path(file),
                        recursive: false,
                        excludes: Vec::new(),
                    },
                );
            }
            let target = server_url(server, &mut payload);
            if !names_host(&target) {
                continue;
            }
            if let Some(send) = broker_request(inv, target, Direction::Send, payload) {
                sends.push((open, client_at, send));
            }
        }
    }
    // A method two imported SDKs share (`publish`) goes through the
    // client made last before it.
    sends.sort_by_key(|(open, client_at, _)| (*open, std::cmp::Reverse(*client_at)));
    sends.dedup_by_key(|(open, _, _)| *open);
    outcome
        .effects
        .extend(sends.into_iter().map(|(_, _, send)| send));
}

/// A client (or its connection settings) made in the code.
struct Client {
    /// Where its call's `(` is.
    at: usize,
    /// The broker it names, as written (`h:9092`, `amqp://u:p@h/v`).
    server: Option<String>,
    /// The credentials it is given.
    credentials: Payload,
}

/// A setting a client is given: where its value is written, or its value
/// already known (a member of a mapping bound to a name).
enum Setting {
    At(usize, usize),
    Known(Value),
}

/// Every client of `sdk` the code makes, and each call of its credential
/// calls (as a client naming no broker), in order.
fn clients(code: &str, literals: &[Literal], values: &Values<'_>, sdk: &Sdk) -> Vec<Client> {
    let mut found = Vec::new();
    for client in sdk.clients {
        for open in call_opens(code, literals, client) {
            let Some((items, _)) = arguments(code, literals, open) else {
                continue;
            };
            let settings = settings(code, literals, values, open, &items, 0);
            let mut credentials = Payload::default();
            for (key, setting) in &settings {
                if key.as_deref().is_some_and(is_credential_key) {
                    credential(code, literals, values, setting, &mut credentials);
                }
            }
            let server = server(code, values, sdk, &settings, &mut credentials);
            found.push(Client {
                at: open,
                server,
                credentials,
            });
        }
    }
    for call in sdk.credential_calls {
        for open in call_opens(code, literals, call) {
            let Some((items, _)) = arguments(code, literals, open) else {
                continue;
            };
            let mut credentials = Payload::default();
            for item in &items {
                let setting = Setting::At(item.start, item.end);
                credential(code, literals, values, &setting, &mut credentials);
            }
            found.push(Client {
                at: open,
                server: None,
                credentials,
            });
        }
    }
    found.sort_by_key(|c| c.at);
    found
}

/// How deep mappings bound to names and spread into others are followed.
const MAX_SPREAD: usize = 4;

/// A client call's settings by key (`None` for a positional one), with a
/// mapping it is given by name or spread (`Producer(conf)`, `{**CONF,
/// ...}`, `{ ...base }`) read as its members: where they are written
/// when the name is bound to a mapping written out (so the variables an
/// unknown value reads are seen), else their values.
fn settings(
    code: &str,
    literals: &[Literal],
    values: &Values<'_>,
    open: usize,
    items: &[Item],
    depth: usize,
) -> Vec<(Option<String>, Setting)> {
    let mut out = Vec::new();
    for item in items {
        let key = item_key(code, literals, open, item);
        let text = code.get(item.start..item.end).unwrap_or_default();
        let spread = text.strip_prefix("**").or_else(|| text.strip_prefix("..."));
        if key.is_none() {
            let from = item.end - spread.map_or(text.len(), str::len);
            let name = code.get(from..item.end).unwrap_or_default();
            let written = (depth < MAX_SPREAD)
                .then(|| mapping_bound(code, literals, name, item.start))
                .flatten()
                .and_then(|brace| Some((brace, arguments(code, literals, brace)?.0)));
            if let Some((brace, members)) = written {
                out.extend(settings(code, literals, values, brace, &members, depth + 1));
                continue;
            }
            if let Some(Value::Map(members)) = values.of(from, item.end) {
                out.extend(
                    members
                        .into_iter()
                        .map(|(key, value)| (Some(key), Setting::Known(value))),
                );
                continue;
            }
            if spread.is_some() {
                continue;
            }
        }
        out.push((key, Setting::At(item.start, item.end)));
    }
    out
}

/// Where the `{` of the mapping the last assignment before `before`
/// binds `name` to is (`CONF = {`, `const conf = {`).
fn mapping_bound(code: &str, literals: &[Literal], name: &str, before: usize) -> Option<usize> {
    if name.is_empty() || !name.chars().all(is_ident) {
        return None;
    }
    let head = code.get(..before)?;
    head.match_indices(name)
        .filter(|(at, _)| token_starts(code, *at) && !in_literal(literals, *at))
        .filter_map(|(at, _)| {
            let after = code.get(at + name.len()..)?;
            let value = after.trim_start().strip_prefix('=')?;
            if value.starts_with(['=', '>']) {
                return None;
            }
            let brace = value.trim_start();
            brace.starts_with('{').then(|| code.len() - brace.len())
        })
        .filter(|brace| *brace < before)
        .last()
}

/// The broker a client's settings name (the first of a list), with the
/// port its `port` setting (or the positional argument after a host
/// given first) gives a bare host; the variables its address reads (an
/// f-string's password) are credentials.
fn server(
    code: &str,
    values: &Values<'_>,
    sdk: &Sdk,
    settings: &[(Option<String>, Setting)],
    credentials: &mut Payload,
) -> Option<String> {
    let keyed = settings
        .iter()
        .find(|(key, _)| key.as_deref().is_some_and(|k| sdk.server_keys.contains(&k)));
    let mut positionals = settings.iter().filter(|(key, _)| key.is_none());
    let (setting, port_setting) = match keyed {
        Some((_, setting)) => (setting, None),
        // `Redis("h", 6379)`, `ConnectionParameters("h", 5672)`.
        None if sdk.positional_server => {
            let (_, setting) = positionals.next()?;
            (setting, positionals.next().map(|(_, port)| port))
        }
        None => return None,
    };
    if let Setting::At(start, end) = setting {
        for name in env_reads(code.get(*start..*end).unwrap_or_default()) {
            flow::push_env(credentials, &name);
        }
    }
    let value = value_of(values, setting)?;
    let first = value.texts().first()?.trim().to_owned();
    let port = settings
        .iter()
        .find(|(key, _)| key.as_deref() == Some("port"))
        .map(|(_, setting)| setting)
        .or(port_setting)
        .and_then(|setting| value_of(values, setting))
        .and_then(|v| v.text().map(str::to_owned))
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let bare = !first.contains("://") && !first.contains([':', ',']);
    match port {
        Some(port) if bare => Some(format!("{first}:{port}")),
        _ => Some(first),
    }
}

/// The value of a setting, when it is known.
fn value_of(values: &Values<'_>, setting: &Setting) -> Option<Value> {
    match setting {
        Setting::Known(value) => Some(value.clone()),
        Setting::At(start, end) => values.of(*start, *end),
    }
}

/// True when a client setting's key makes its value a credential.
fn is_credential_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    let local_file = ["location", "file", "path"]
        .iter()
        .any(|end| key.ends_with(end));
    let last = key.rsplit(['.', '_']).next().unwrap_or(&key);
    !local_file
        && (CREDENTIAL_WORDS.iter().any(|word| key.contains(word))
            || CREDENTIAL_KEYS.contains(&last))
}

/// Adds what a credential setting holds: its value when known, else its
/// literals and the variables it reads.
fn credential(
    code: &str,
    literals: &[Literal],
    values: &Values<'_>,
    setting: &Setting,
    credentials: &mut Payload,
) {
    let mut said = Vec::new();
    content(code, literals, values, setting, &mut said, credentials);
    for text in &said {
        flow::push_text(credentials, text);
    }
}

/// Each call of one of `sdk`'s publishing methods (`x.produce(`, not a
/// function of that name): where its `(` is, and how many of its first
/// positional arguments address the message.
fn publishes(code: &str, literals: &[Literal], sdk: &Sdk) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (method, addressing) in sdk.publishes {
        for open in call_opens(code, literals, method) {
            let at = open - method.len();
            if code.get(..at).is_some_and(|before| before.ends_with('.')) {
                found.push((open, *addressing));
            }
        }
    }
    found.sort_unstable();
    found
}

/// What the publish whose `(` is at `open` carries: its arguments but
/// those that address it, and what the script's arguments written into
/// them carry.
fn carried(
    code: &str,
    literals: &[Literal],
    values: &Values<'_>,
    open: usize,
    addressing: usize,
) -> Payload {
    let mut payload = Payload::default();
    let Some((items, _)) = arguments(code, literals, open) else {
        return payload;
    };
    let mut said = Vec::new();
    let mut positional = 0;
    for item in &items {
        match item_key(code, literals, open, item) {
            Some(key) if ADDRESS_KEYS.contains(&key.as_str()) => continue,
            Some(_) => {}
            None => {
                positional += 1;
                if positional <= addressing {
                    continue;
                }
            }
        }
        let setting = Setting::At(item.start, item.end);
        content(code, literals, values, &setting, &mut said, &mut payload);
    }
    for text in &said {
        flow::push_text(&mut payload, text);
    }
    let texts: Vec<&str> = said.iter().map(String::as_str).collect();
    flow::merge(&mut payload, &values.expansions_in(&texts));
    payload
}

/// What a value says: its texts when it is known, else the literals in
/// it (but the files and variables they name) and the values of the
/// names it reads; the variables it reads go to `payload`.
fn content(
    code: &str,
    literals: &[Literal],
    values: &Values<'_>,
    setting: &Setting,
    said: &mut Vec<String>,
    payload: &mut Payload,
) {
    if let Some(value) = value_of(values, setting) {
        said.extend(value.texts().into_iter().map(str::to_owned));
        return;
    }
    let Setting::At(start, end) = *setting else {
        return;
    };
    for literal in literals.iter().filter(|l| l.start >= start && l.end <= end) {
        let before = code.get(..literal.start).unwrap_or_default();
        let names_input =
            called_with(before, READ_CALLS).is_some() || called_with(before, ENV_LOOKUPS).is_some();
        if !names_input && !literal.text.is_empty() {
            said.push(literal.text.clone());
        }
    }
    for (name_start, name_end) in bound_names(code, literals, start, end) {
        if let Some(value) = values.of(name_start, name_end) {
            said.extend(value.texts().into_iter().map(str::to_owned));
        }
    }
    for name in env_reads(code.get(start..end).unwrap_or_default()) {
        flow::push_env(payload, &name);
    }
}

/// True when a broker's address names a host (not a port alone, as
/// ioredis' `new Redis(6379, host)` starts).
fn names_host(target: &Target) -> bool {
    match target {
        Target::Host { host, .. } => {
            !host.is_empty()
                && !host.chars().all(|c| c.is_ascii_digit())
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_keys_are_told_from_file_locations() {
        assert!(is_credential_key("sasl.password"));
        assert!(is_credential_key("sasl_plain_password"));
        assert!(is_credential_key("pass"));
        assert!(is_credential_key("sasl.jaas.config"));
        assert!(!is_credential_key("ssl.key.password.location"));
        assert!(!is_credential_key("bootstrap.servers"));
        assert!(!is_credential_key("client.id"));
    }
}
