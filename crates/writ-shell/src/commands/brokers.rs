//! Message brokers' own clients, and who may use a broker.
//!
//! Publishing is a send to the broker the line names: `nats pub|req`,
//! `nats kv put`, `nats obj put` (`--server`, `NATS_URL`), Redpanda's `rpk
//! topic produce` (`-X brokers=`, `--brokers`, `RPK_BROKERS`),
//! `rabbitmqadmin publish` (the management API at `-H`/`-P` or
//! `--base-uri`) and `amqp-publish` (`--server`, `--url`). Each carries its
//! message (an argument, a file, or else standard input, which the walk
//! adds) and the credentials it logs in with; a consumer that is given
//! credentials sends those.
//!
//! An access rule on a broker is a grant to its principal: Kafka's
//! `kafka-acls --add|--remove --allow-principal|--deny-principal`, `rpk
//! [security] acl create|delete`, rpk's users and role assignments,
//! `rabbitmqadmin declare|delete permission|topic_permission|user` and
//! `rabbitmqctl set_permissions|set_user_tags|add_user|...`. Each is an
//! [`Effect::GrantAccess`] whose grantee is that principal; taking access
//! away changes it as giving it does.
//!
//! Kafka's admin tools (`kafka_admin.rs`: `kafka-topics`,
//! `kafka-consumer-groups`, `kafka-configs`, ...) send a change to the
//! cluster's first bootstrap broker; Apache Pulsar's tools (`pulsar.rs`:
//! `pulsar-client`, `pulsar-admin`, `pulsar-perf`) send messages and
//! changes to the service URL's host.

mod kafka_admin;
mod pulsar;

use super::dataflow::{Direction, broker, broker_request, client_property};
use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, OptionsEnd, Spec};
use crate::{Effect, Payload, Resource, Target, flow};

/// `program` is the name without a `.sh` (`kafka-acls.sh`).
pub(super) fn handle(inv: &Invocation<'_>, program: &str) -> Option<Outcome> {
    match program {
        "kafka-acls" => kafka_acls(inv),
        "nats" => nats(inv),
        "rpk" => rpk(inv),
        "rabbitmqadmin" => rabbitmqadmin(inv),
        "rabbitmqctl" => rabbitmqctl(inv),
        "amqp-publish" => amqp_publish(inv),
        _ => kafka_admin::handle(inv, program).or_else(|| pulsar::handle(inv, program)),
    }
}

/// A change of `resource`'s access for `grantee`.
fn grant(resource: String, grantee: &str) -> Effect {
    Effect::GrantAccess {
        resource: Resource::Other { name: resource },
        grantee: (!grantee.is_empty()).then(|| grantee.to_owned()),
    }
}

/// `resource` on the broker `host`, when the line names it.
fn on_host(resource: &str, host: Option<&str>) -> String {
    match host {
        Some(host) => format!("{resource} on {host}"),
        None => resource.to_owned(),
    }
}

/// `kafka-acls` options that take a value (`AclCommand`).
const KAFKA_ACLS_LONG: &[&str] = &[
    "bootstrap-server",
    "bootstrap-controller",
    "command-config",
    "authorizer",
    "authorizer-properties",
    "topic",
    "group",
    "transactional-id",
    "delegation-token",
    "user-principal",
    "resource-pattern-type",
    "allow-principal",
    "deny-principal",
    "principal",
    "allow-host",
    "deny-host",
    "operation",
];

/// `kafka-acls --bootstrap-server B --add|--remove --allow-principal
/// User:X [--deny-principal P] --operation OP --topic T|--group G|--cluster
/// ...`: each principal's access to each resource named changes. `--list`
/// reads.
fn kafka_acls(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: KAFKA_ACLS_LONG,
            stop_after: None,
        },
    );
    if !args::has(&items, &["--add", "--remove"]) {
        return Some(Outcome::default());
    }
    let host = args::value(&items, &["--bootstrap-server", "--bootstrap-controller"])
        .map(|b| target_host(&broker(&b.text)));
    let mut resources: Vec<String> = Vec::new();
    for (option, kind) in [
        ("--topic", "topic"),
        ("--group", "group"),
        ("--transactional-id", "transactional-id"),
        ("--delegation-token", "delegation-token"),
        ("--user-principal", "user-principal"),
    ] {
        for value in args::values(&items, &[option]) {
            resources.push(format!("kafka {kind} {}", value.text));
        }
    }
    if args::has(&items, &["--cluster"]) || resources.is_empty() {
        resources.push("kafka cluster".to_owned());
    }
    let mut outcome = Outcome::default();
    for principal in args::values(&items, &["--allow-principal", "--deny-principal"]) {
        for resource in &resources {
            outcome
                .effects
                .push(grant(on_host(resource, host.as_deref()), &principal.text));
        }
    }
    Some(outcome)
}

/// The host (and port) of a host target, as text.
fn target_host(target: &Target) -> String {
    match target {
        Target::Host {
            host,
            port: Some(port),
            ..
        } => format!("{host}:{port}"),
        Target::Host { host, .. } => host.clone(),
        Target::Url { url } => url.clone(),
        Target::Remote { name } | Target::ToolRemote { name, .. } => name.clone(),
    }
}

/// natscli's options that take a value, global and per command (kingpin:
/// `--name value`, `--name=value`, anywhere on the line).
const NATS_VALUES: &[&str] = &[
    "s",
    "server",
    "user",
    "password",
    "token",
    "creds",
    "nkey",
    "jwt",
    "seed",
    "tlscert",
    "tlskey",
    "tlsca",
    "connection-name",
    "timeout",
    "context",
    "socks-proxy",
    "colors",
    "js-api-prefix",
    "js-event-prefix",
    "js-domain",
    "domain",
    "inbox-prefix",
    "H",
    "header",
    "count",
    "sleep",
    "r",
    "reply",
    "send-on",
    "replies",
    "wait",
    "name",
    "description",
    "ttl",
    "replicas",
    "history",
    "max-value-size",
    "max-bucket-size",
    "storage",
];

/// `nats [--server URL] pub SUBJECT [BODY]`, `nats request|req SUBJECT
/// [BODY]`, `nats kv put|create|update BUCKET KEY [VALUE]`, `nats obj put
/// BUCKET [FILE]`: the body, value or file (or else standard input) and
/// the headers go to the server (`--server`, `-s`, `NATS_URL`), with the
/// credentials given on the line (`--user`, `--password`, `--token`,
/// `NATS_PASSWORD`; a `--creds` or `--nkey` file signs locally). A server
/// only the selected context knows names no host here. Adding, editing,
/// purging or removing a bucket, stream or consumer changes the server;
/// other commands (subscribing, reading) send only the credentials.
fn nats(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::long_options(inv.args, NATS_VALUES, OptionsEnd::DoubleDash, "--");
    let words = args::positionals(&items);
    let verbs: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    // How many words name the command, and whether the first word after
    // them is the file sent (`obj put BUCKET FILE`) rather than text.
    let (direction, skip, file) = match verbs.as_slice() {
        ["pub" | "publish" | "request" | "req", ..] => (Direction::Send, 2, false),
        ["kv", "put" | "create" | "update", ..] => (Direction::Send, 4, false),
        ["obj" | "object", "put" | "add", ..] => (Direction::Send, 3, true),
        // Other changes to what the server keeps: buckets, streams and
        // consumers added, edited, purged or removed.
        [
            "kv" | "obj" | "object" | "stream" | "str" | "consumer" | "con",
            "add" | "create" | "new" | "edit" | "update" | "rm" | "del" | "delete" | "purge"
            | "seal" | "copy" | "cp",
            ..,
        ] => (Direction::Send, 2, false),
        _ => (Direction::Receive, usize::MAX, false),
    };
    let mut payload = Payload::default();
    let rest = words.get(skip..).unwrap_or_default();
    for (at, word) in rest.iter().enumerate() {
        if file && at == 0 {
            send_file(inv, &mut payload, &word.text, false);
        } else if !file {
            flow::merge(&mut payload, &word.payload());
        }
    }
    for value in args::values(
        &items,
        &[
            "--H",
            "--header",
            "--user",
            "--password",
            "--token",
            "--jwt",
        ],
    ) {
        flow::merge(&mut payload, &value.payload());
    }
    for (name, variable) in [("NATS_PASSWORD", "--password"), ("NATS_TOKEN", "--token")] {
        if !args::has(&items, &[variable])
            && let Some(value) = inv.env_value(name)
        {
            flow::merge(&mut payload, &value.payload());
        }
    }
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["--creds", "--nkey"]) {
        outcome.read(inv.path(&file.text), false);
    }
    let server = args::value(&items, &["--s", "--server"]).or_else(|| inv.env_value("NATS_URL"));
    if let Some(server) = server {
        outcome
            .effects
            .extend(server_request(inv, server, direction, payload));
    }
    Some(outcome)
}

/// The request a client makes to the server `server` names: its first
/// address, with the credentials the address carries and what its text
/// expands.
fn server_request(
    inv: &Invocation<'_>,
    server: &Arg,
    direction: Direction,
    mut payload: Payload,
) -> Option<Effect> {
    flow::merge(&mut payload, &server.expansions());
    let target = server_url(&server.text, &mut payload);
    broker_request(inv, target, direction, payload)
}

/// The first server of a list (`nats://u:p@h1:4222,nats://h2:4222`,
/// `tls://h:4222`, `amqp://u:p@h:5672/vhost`), its credentials sent.
pub(super) fn server_url(list: &str, payload: &mut Payload) -> Target {
    let first = list.split(',').next().unwrap_or_default().trim();
    let rest = first.split_once("://").map_or(first, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    let authority = match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            for part in credentials.splitn(2, ':') {
                flow::push_text(payload, part);
            }
            host
        }
        None => authority,
    };
    broker(authority)
}

/// rpk's options that take a value, global (`-X`, `--config`,
/// `--profile`, the older `--brokers`, `--user`, `--password`) and of the
/// commands read here (`topic produce`, `acl create|delete`, `security
/// user|role`).
const RPK_LONG: &[&str] = &[
    "config-opt",
    "config",
    "profile",
    "brokers",
    "user",
    "password",
    "sasl-mechanism",
    "tls-key",
    "tls-cert",
    "tls-truststore",
    "admin-api-urls",
    "key",
    "header",
    "partition",
    "format",
    "output-format",
    "compression",
    "acks",
    "delivery-timeout",
    "max-message-bytes",
    "schema-id",
    "schema-key-id",
    "schema-type",
    "schema-key-type",
    "allow-principal",
    "deny-principal",
    "allow-role",
    "deny-role",
    "allow-host",
    "deny-host",
    "operation",
    "topic",
    "group",
    "transactional-id",
    "resource-pattern-type",
    "registry-subject",
    "principal",
    "new-password",
    "mechanism",
    "offset",
    "num",
];

/// `rpk topic produce TOPIC` sends standard input, its `--key` and
/// `--header` values and its credentials (`-X user=`, `-X pass=`,
/// `--password`, `RPK_PASS`) to the brokers the line names (`-X
/// brokers=`, `--brokers`, `RPK_BROKERS`); a profile's brokers are not
/// known here. `rpk topic consume` sends the credentials only. `rpk
/// [security] acl create|delete` changes each principal's and role's
/// access; `rpk [security|acl] user create|delete NAME` and `rpk security
/// role assign|unassign ROLE --principal P` change the user's.
fn rpk(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "XkHpfoz",
            long: RPK_LONG,
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    let mut brokers = args::value(&items, &["--brokers"]).map(|b| b.text.clone());
    for property in args::values(&items, &["-X", "--config-opt"]) {
        if let Some(named) = client_property(property, &mut payload) {
            brokers = Some(named);
        }
    }
    for value in args::values(&items, &["--user", "--password"]) {
        flow::merge(&mut payload, &value.payload());
    }
    for name in ["RPK_USER", "RPK_PASS"] {
        if let Some(value) = inv.env_value(name) {
            flow::merge(&mut payload, &value.payload());
        }
    }
    let brokers = brokers.or_else(|| inv.env_value("RPK_BROKERS").map(|b| b.text.clone()));
    let host = brokers.as_deref().map(|b| target_host(&broker(b)));
    let positionals = args::positionals(&items);
    let words: Vec<&str> = positionals.iter().map(|w| w.text.as_str()).collect();
    let words = words.strip_prefix(&["security"]).unwrap_or(&words);
    let mut outcome = Outcome::default();
    match words {
        ["topic", verb @ ("produce" | "consume"), ..] => {
            let direction = if *verb == "produce" {
                for value in args::values(&items, &["-k", "--key", "-H", "--header"]) {
                    flow::merge(&mut payload, &value.payload());
                }
                Direction::Send
            } else {
                Direction::Receive
            };
            if let Some(brokers) = &brokers {
                outcome
                    .effects
                    .extend(broker_request(inv, broker(brokers), direction, payload));
            }
        }
        ["acl", "create" | "delete", ..] => {
            let resources = rpk_acl_resources(&items);
            for principal in args::values(
                &items,
                &[
                    "--allow-principal",
                    "--deny-principal",
                    "--allow-role",
                    "--deny-role",
                ],
            ) {
                for name in principal.text.split(',') {
                    for resource in &resources {
                        outcome
                            .effects
                            .push(grant(on_host(resource, host.as_deref()), name.trim()));
                    }
                }
            }
        }
        ["acl" | "user", "user" | "create" | "delete", ..] => {
            // `rpk acl user create NAME`, `rpk security user create NAME`.
            let at = usize::from(words.first() == Some(&"acl"));
            let verb = words.get(at + 1).copied().unwrap_or_default();
            if matches!(verb, "create" | "delete")
                && let Some(name) = words.get(at + 2)
            {
                outcome
                    .effects
                    .push(grant(on_host("redpanda users", host.as_deref()), name));
            }
        }
        ["role", "assign" | "unassign", role, ..] => {
            for principal in args::values(&items, &["--principal"]) {
                for name in principal.text.split(',') {
                    outcome.effects.push(grant(
                        on_host(&format!("redpanda role {role}"), host.as_deref()),
                        name.trim(),
                    ));
                }
            }
        }
        _ => {}
    }
    Some(outcome)
}

/// The resources an `rpk acl` command names (`--topic`, `--group`,
/// `--transactional-id`, `--registry-subject`, `--cluster`).
fn rpk_acl_resources(items: &[Item<'_>]) -> Vec<String> {
    let mut resources = Vec::new();
    for (option, kind) in [
        ("--topic", "topic"),
        ("--group", "group"),
        ("--transactional-id", "transactional-id"),
        ("--registry-subject", "subject"),
    ] {
        for value in args::values(items, &[option]) {
            for name in value.text.split(',') {
                resources.push(format!("redpanda {kind} {name}"));
            }
        }
    }
    if args::has(items, &["--cluster"]) || resources.is_empty() {
        resources.push("redpanda cluster".to_owned());
    }
    resources
}

/// rabbitmqadmin's options that take a value: its global options (the
/// Python tool's and rabbitmqadmin v2's, which share their letters) and
/// v2's command options (`declare permissions --user U --read R`).
const RABBITMQADMIN_LONG: &[&str] = &[
    "config",
    "node",
    "host",
    "port",
    "path-prefix",
    "base-uri",
    "vhost",
    "username",
    "password",
    "format",
    "sort",
    "depth",
    "ssl-key-file",
    "ssl-cert-file",
    "ssl-ca-cert-file",
    "tls-key-file",
    "tls-cert-file",
    "tls-ca-cert-file",
    "table-style",
    "request-timeout",
    "user",
    "name",
    "configure",
    "read",
    "write",
    "exchange",
    "routing-key",
    "payload",
    "payload-encoding",
    "properties",
    "tags",
    "password-hash",
    "hashing-algorithm",
    "destination",
    "destination-type",
    "source",
    "type",
    "durable",
    "auto-delete",
    "arguments",
    "queue",
    "count",
    "file",
];

/// `rabbitmqadmin [-H host] [-P port] [-U base-uri] [-u user] [-p pass]
/// [-V vhost] VERB OBJECT [key=value ...]` (v2: `VERB OBJECT --key value`)
/// talks to the management API (`http://localhost:15672` unless the line
/// says; a `-c` file's `-N` node is not known here). `publish` sends its
/// payload (or else standard input), routing key and properties;
/// `declare`, `delete`, `close`, `purge` and `import` change the broker,
/// with the credentials given. `declare|delete permission|permissions|
/// topic_permission|user` changes that user's access too.
fn rabbitmqadmin(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cNHPUVupfSdq",
            long: RABBITMQADMIN_LONG,
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let verb = positionals.first().map(|w| w.text.as_str())?;
    if !matches!(
        verb,
        "publish" | "declare" | "delete" | "close" | "purge" | "import"
    ) {
        return Some(rabbitmqadmin_read(inv, &items, verb, &positionals));
    }
    // The object (`declare queue`; `publish` has none in the Python tool,
    // `message` in v2), then `key=value` fields (v2: `--key value`).
    let object = positionals
        .get(1)
        .map(|w| w.text.as_str())
        .filter(|t| !t.contains('='))
        .unwrap_or_default();
    let mut fields: Vec<(String, &Arg)> = Vec::new();
    for word in positionals.get(1..).unwrap_or_default() {
        if let Some((key, _)) = word.text.split_once('=') {
            fields.push((key.replace('-', "_"), word));
        }
    }
    let field = |name: &str| -> Option<String> {
        fields
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .and_then(|(_, word)| word.text.split_once('=').map(|(_, v)| v.to_owned()))
            .or_else(|| {
                args::value(&items, &[&format!("--{}", name.replace('_', "-"))])
                    .map(|v| v.text.clone())
            })
    };
    let mut payload = Payload::default();
    let mut outcome = Outcome::default();
    for (_, word) in &fields {
        flow::merge(&mut payload, &word.payload());
    }
    for value in args::values(
        &items,
        &[
            "-u",
            "--username",
            "-p",
            "--password",
            "--payload",
            "--routing-key",
            "--properties",
            "--exchange",
            "--user",
            "--name",
            "--tags",
            "--configure",
            "--read",
            "--write",
        ],
    ) {
        flow::merge(&mut payload, &value.payload());
    }
    if verb == "import" {
        for file in positionals.get(1..).unwrap_or_default() {
            outcome.read(inv.path(&file.text), false);
            send_file(inv, &mut payload, &file.text, false);
        }
    }
    let base = management_api(&items);
    let host = base.as_deref().map(|b| {
        let rest = b.split_once("://").map_or(b, |(_, r)| r);
        rest.split('/').next().unwrap_or(rest).to_owned()
    });
    if matches!(
        object,
        "permission" | "permissions" | "topic_permission" | "topic_permissions" | "user"
    ) && matches!(verb, "declare" | "delete")
    {
        let user = if object == "user" {
            field("name")
        } else {
            field("user")
        };
        let vhost = field("vhost")
            .or_else(|| args::value(&items, &["-V", "--vhost"]).map(|v| v.text.clone()));
        let resource = match (object, vhost) {
            ("user", _) => "rabbitmq users".to_owned(),
            (_, Some(vhost)) => format!("rabbitmq vhost {vhost}"),
            (_, None) => "rabbitmq vhost /".to_owned(),
        };
        outcome.effects.push(grant(
            on_host(&resource, host.as_deref()),
            user.as_deref().unwrap_or_default(),
        ));
    }
    if let Some(base) = base {
        let method = match verb {
            "delete" => "DELETE",
            "declare" => "PUT",
            _ => "POST",
        };
        let endpoint = format!(
            "{}/api/{}",
            base.trim_end_matches('/'),
            api_path(verb, object)
        );
        outcome
            .effects
            .push(request(inv.program, url(&endpoint), method, payload, false));
    }
    Some(outcome)
}

/// A rabbitmqadmin command that only reads (`list`, `show`, `get`,
/// `export FILE`, which writes what it reads to FILE): a request only when
/// it carries the credentials it logs in with.
fn rabbitmqadmin_read(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    verb: &str,
    positionals: &[&Arg],
) -> Outcome {
    let mut outcome = Outcome::default();
    if verb == "export"
        && let Some(file) = positionals.get(1)
    {
        outcome.write(inv.path(&file.text), false);
    }
    let mut payload = Payload::default();
    for value in args::values(items, &["-u", "--username", "-p", "--password"]) {
        flow::merge(&mut payload, &value.payload());
    }
    if let Some(base) = management_api(items).filter(|_| !payload.is_empty()) {
        let endpoint = format!("{}/api/overview", base.trim_end_matches('/'));
        outcome
            .effects
            .push(request(inv.program, url(&endpoint), "GET", payload, false));
    }
    outcome
}

/// The management API's collection a command acts on.
fn api_path(verb: &str, object: &str) -> String {
    match verb {
        "publish" => "exchanges/publish".to_owned(),
        "import" => "definitions".to_owned(),
        "purge" => "queues/contents".to_owned(),
        _ if object.is_empty() => "definitions".to_owned(),
        _ => format!("{}s", object.trim_end_matches('s')),
    }
}

/// The management API's base URL: `--base-uri`, or `-H`/`-P` (`-s`/
/// `--ssl`, `--use-tls` for HTTPS), or `localhost:15672`; `None` when a
/// configuration file's node decides.
fn management_api(items: &[Item<'_>]) -> Option<String> {
    if let Some(base) = args::value(items, &["-U", "--base-uri"]) {
        return Some(base.text.clone());
    }
    let host = args::value(items, &["-H", "--host"]).map(|h| h.text.clone());
    if host.is_none() && args::has(items, &["-N", "--node", "-c", "--config"]) {
        return None;
    }
    let tls = args::has(items, &["-s", "--ssl", "--use-tls", "--tls"]);
    let scheme = if tls { "https" } else { "http" };
    let host = host.unwrap_or_else(|| "localhost".to_owned());
    let port = args::value(items, &["-P", "--port"]).map_or("15672", |p| p.text.as_str());
    Some(format!("{scheme}://{host}:{port}"))
}

/// `rabbitmqctl [-n NODE] COMMAND [-p VHOST] ARGS`: `set_permissions USER
/// CONF WRITE READ`, `clear_permissions USER`, the topic and global
/// variants, `set_user_tags USER TAG...`, `add_user USER [PASS]` and
/// `delete_user USER` change that user's access at the node (`rabbit@HOST`,
/// this machine's by default).
fn rabbitmqctl(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "nptc",
            long: &["node", "vhost", "timeout", "erlang-cookie"],
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let (command, rest) = positionals.split_first()?;
    let changes = matches!(
        command.text.as_str(),
        "set_permissions"
            | "clear_permissions"
            | "set_permissions_globally"
            | "set_topic_permissions"
            | "clear_topic_permissions"
            | "set_user_tags"
            | "add_user"
            | "delete_user"
    );
    let Some(user) = rest.first().filter(|_| changes) else {
        return Some(Outcome::default());
    };
    let node = args::value(&items, &["-n", "--node"]).map(|n| {
        let text = n.text.as_str();
        text.split_once('@')
            .map_or(text, |(_, host)| host)
            .to_owned()
    });
    let resource = match command.text.as_str() {
        "set_user_tags" | "add_user" | "delete_user" => "rabbitmq users".to_owned(),
        _ => {
            let vhost = args::value(&items, &["-p", "--vhost"]).map_or("/", |v| v.text.as_str());
            format!("rabbitmq vhost {vhost}")
        }
    };
    Some(Outcome::default().effect(grant(on_host(&resource, node.as_deref()), &user.text)))
}

/// `amqp-publish [-u URL | -s HOST[:PORT]] [-e EXCHANGE] [-r KEY] [-b
/// BODY] [--username U --password P]` (librabbitmq's tools): the body, or
/// else standard input, goes to the server (`localhost:5672` unless the
/// line says), with the credentials.
fn amqp_publish(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "usercEHb",
            long: &[
                "url",
                "server",
                "vhost",
                "username",
                "password",
                "exchange",
                "routing-key",
                "content-type",
                "content-encoding",
                "header",
                "body",
                "cacert",
                "key",
                "cert",
                "frame-size",
                "heartbeat",
            ],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    for value in args::values(
        &items,
        &[
            "-b",
            "--body",
            "-H",
            "--header",
            "-r",
            "--routing-key",
            "--username",
            "--password",
        ],
    ) {
        flow::merge(&mut payload, &value.payload());
    }
    let target = match args::value(&items, &["-u", "--url", "-s", "--server"]) {
        Some(server) => {
            flow::merge(&mut payload, &server.expansions());
            server_url(&server.text, &mut payload)
        }
        None => broker("localhost:5672"),
    };
    Some(Outcome::default().effect(request(inv.program, target, "SEND", payload, false)))
}
