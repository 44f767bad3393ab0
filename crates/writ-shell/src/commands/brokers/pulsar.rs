//! Apache Pulsar's command-line tools: `pulsar-client`, `pulsar-admin` and
//! `pulsar-perf`.
//!
//! `pulsar-client [--url URL] produce TOPIC -m MSG|-f FILE` sends its
//! messages, files, key and properties to the service URL's host, with the
//! authentication parameters it logs in with (a `file:///path` in them is a
//! token or key file, read and sent); `consume` reads, sending only those.
//! `pulsar-admin [--admin-url URL] NOUN VERB ...` is a request to the admin
//! service: a verb that changes what the cluster keeps (`create`,
//! `delete`, `set-*`, `reset-cursor`, `unload`, ...) sends its arguments
//! and the files it uploads; listing and getting read. Granting or revoking
//! a role's permission changes that role's access. Without a URL the tools
//! use their configuration file's, which the line does not show: no host
//! is known then.

use super::super::dataflow::Direction;
use super::super::{Invocation, Outcome, send_file};
use super::{grant, on_host, server_request, server_url, target_host};
use crate::args::{self, Arg, Item, OptionsEnd};
use crate::{Effect, Payload, flow};

/// `program` is the tool's name; `None` for another program.
pub(super) fn handle(inv: &Invocation<'_>, program: &str) -> Option<Outcome> {
    match program {
        "pulsar-client" => Some(client(inv)),
        "pulsar-admin" => Some(admin(inv)),
        "pulsar-perf" => Some(perf(inv)),
        _ => None,
    }
}

/// `pulsar-client`'s options that take a value: global, `produce`'s and
/// `consume`'s (JCommander and picocli: `-kvk` is one option).
const CLIENT_VALUES: &[&str] = &[
    "url",
    "proxy-url",
    "proxy-protocol",
    "auth-plugin",
    "auth-params",
    "listener-name",
    "tlsTrustCertsFilePath",
    "ml",
    "memory-limit",
    "m",
    "messages",
    "f",
    "files",
    "n",
    "num-produce",
    "r",
    "rate",
    "s",
    "separator",
    "p",
    "properties",
    "k",
    "key",
    "kvk",
    "key-value-key",
    "kvkf",
    "key-value-key-file",
    "vs",
    "value-schema",
    "ks",
    "key-schema",
    "kvet",
    "key-value-encoding-type",
    "ekn",
    "encryption-key-name",
    "ekv",
    "encryption-key-value",
    "subscription-name",
    "t",
    "subscription-type",
    "subscription-position",
    "subscription-mode",
    "num-messages",
    "q",
    "queue-size",
    "mc",
    "max_chunked_msg",
    "st",
    "schema-type",
    "start-timestamp",
];

/// `pulsar-client [--url URL] [--auth-plugin P --auth-params A] produce
/// TOPIC (-m MSG | -f FILE[,FILE])... [-k KEY] [-p K=V]` sends; `consume
/// TOPIC -s SUB` reads.
fn client(inv: &Invocation<'_>) -> Outcome {
    let items = args::long_options(inv.args, CLIENT_VALUES, OptionsEnd::DoubleDash, "--");
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    authentication(inv, &items, &mut outcome, &mut payload);
    let produces = args::positionals(&items)
        .first()
        .is_some_and(|w| w.text == "produce");
    let direction = if produces {
        for list in args::values(
            &items,
            &["--f", "--files", "--kvkf", "--key-value-key-file"],
        ) {
            for file in list.text.split(',').filter(|f| !f.is_empty()) {
                send_file(inv, &mut payload, file, false);
            }
        }
        for text in args::values(
            &items,
            &[
                "--m",
                "--messages",
                "--k",
                "--key",
                "--p",
                "--properties",
                "--kvk",
                "--key-value-key",
            ],
        ) {
            flow::merge(&mut payload, &text.payload());
        }
        Direction::Send
    } else {
        Direction::Receive
    };
    if let Some(service) = args::value(&items, &["--url"]) {
        outcome
            .effects
            .extend(server_request(inv, service, direction, payload));
    }
    outcome
}

/// The credentials a tool logs in with: `--auth-params` (`token:T`,
/// `file:///path/token`, `{"privateKey":"file:///key.json",...}`), each
/// `file://` path in them read and sent.
fn authentication(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    outcome: &mut Outcome,
    payload: &mut Payload,
) {
    for params in args::values(items, &["--auth-params"]) {
        flow::merge(payload, &params.payload());
        for path in file_urls(&params.text) {
            outcome.read(inv.path(path), false);
            send_file(inv, payload, path, false);
        }
    }
}

/// The paths of the `file://` URLs in `text`.
fn file_urls(text: &str) -> Vec<&str> {
    text.match_indices("file://")
        .filter_map(|(at, scheme)| text.get(at + scheme.len()..))
        .map(|rest| {
            let end = rest
                .find(|c: char| c == ',' || c == '"' || c == '}' || c.is_whitespace())
                .unwrap_or(rest.len());
            rest.get(..end).unwrap_or(rest)
        })
        .filter(|path| !path.is_empty())
        .collect()
}

/// `pulsar-admin`'s commands (`PulsarAdminTool`'s map): the first argument
/// that names one ends the global options.
const ADMIN_NOUNS: &[&str] = &[
    "clusters",
    "ns-isolation-policy",
    "brokers",
    "broker-stats",
    "tenants",
    "properties",
    "namespaces",
    "topics",
    "topicPolicies",
    "topic-policies",
    "schemas",
    "bookies",
    "persistent",
    "non-persistent",
    "resource-quotas",
    "resourcegroups",
    "proxy-stats",
    "functions",
    "functions-worker",
    "sources",
    "source",
    "sinks",
    "sink",
    "packages",
    "transactions",
    "documents",
];

/// `pulsar-admin`'s global options that take a value.
const ADMIN_GLOBAL_VALUES: &[&str] = &[
    "admin-url",
    "auth-plugin",
    "auth-params",
    "request-timeout",
    "tls-trust-cert-path",
    "tls-provider",
];

/// Options of `pulsar-admin` commands that name a file they upload:
/// functions', sources' and sinks' packages and configurations, a schema
/// (`schemas upload -f`), a package (`packages upload --path`), a trigger's
/// value.
const ADMIN_FILES: &[&str] = &[
    "--jar",
    "--py",
    "--go",
    "--archive",
    "--function-config-file",
    "--source-config-file",
    "--sink-config-file",
    "--filename",
    "--trigger-file",
    "--path",
];

/// `pulsar-admin [--admin-url URL] [--auth-params A] NOUN VERB ARGS`: a
/// verb that changes the cluster sends its arguments and files to the
/// admin service; a read sends only the credentials; a permission grant
/// or revocation changes each role's access.
fn admin(inv: &Invocation<'_>) -> Outcome {
    let noun_at = inv
        .args
        .iter()
        .position(|a| ADMIN_NOUNS.contains(&a.text.as_str()));
    let (globals, rest) = match noun_at {
        Some(at) => inv.args.split_at(at),
        None => (inv.args, &[][..]),
    };
    let items = args::long_options(globals, ADMIN_GLOBAL_VALUES, OptionsEnd::DoubleDash, "--");
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    authentication(inv, &items, &mut outcome, &mut payload);
    let mut words = rest.iter();
    let noun = words.next().map_or("", |w| w.text.as_str());
    let verb = words.next().map_or("", |w| w.text.as_str());
    let operands = words.as_slice();
    let service = args::value(&items, &["--admin-url"]);
    let host = service.map(|s| target_host(&server_url(&s.text, &mut Payload::default())));
    if let Some(grants) = permission_grants(noun, verb, operands, host.as_deref()) {
        outcome.effects.extend(grants);
        return outcome;
    }
    let direction = if admin_reads(noun, verb) {
        Direction::Receive
    } else {
        let schema_upload = noun == "schemas" && verb == "upload";
        command_payload(inv, operands, schema_upload, &mut payload);
        Direction::Send
    };
    if let Some(service) = service {
        outcome
            .effects
            .extend(server_request(inv, service, direction, payload));
    }
    outcome
}

/// Whether a `pulsar-admin` command only reads: the statistics nouns,
/// and verbs that list, get, look up, peek or report a status.
fn admin_reads(noun: &str, verb: &str) -> bool {
    const READ_PREFIXES: &[&str] = &[
        "list",
        "get",
        "stats",
        "partitioned-stats",
        "info",
        "examine",
        "peek",
        "lookup",
        "partitioned-lookup",
        "status",
        "query",
        "available",
        "version",
        "health",
    ];
    matches!(noun, "broker-stats" | "proxy-stats" | "documents" | "")
        || READ_PREFIXES.iter().any(|p| verb.starts_with(p))
        || verb.ends_with("-status")
        || matches!(
            verb,
            "" | "permissions"
                | "policies"
                | "topics"
                | "subscriptions"
                | "last-message-id"
                | "leader-broker"
                | "namespaces"
                | "brokers"
                | "broker"
                | "bundle-range"
                | "analyze-backlog"
                | "backlog-quota-check"
                | "racks-placement"
                | "compatibility"
                | "download"
                | "localrun"
        )
}

/// What a changing command sends: its operands and option values, and
/// the local files it uploads (a `function://`, `http://` or `builtin://`
/// package is the server's to fetch). `schemas upload` names its file
/// with `-f` too.
fn command_payload(
    inv: &Invocation<'_>,
    operands: &[Arg],
    schema_upload: bool,
    payload: &mut Payload,
) {
    let mut words = operands.iter();
    while let Some(word) = words.next() {
        let (name, attached) = match word.text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (word.text.as_str(), None),
        };
        let uploads = ADMIN_FILES.contains(&name) || (schema_upload && name == "-f");
        if !uploads {
            flow::merge(payload, &word.payload());
            continue;
        }
        let file = match attached {
            Some(value) => Some(word.with_text(value)),
            None => words.next().cloned(),
        };
        if let Some(file) = file {
            if file.text.contains("://") {
                flow::merge(payload, &file.payload());
            } else {
                send_file(inv, payload, &file.text, false);
            }
        }
    }
}

/// `namespaces|topics grant-permission|revoke-permission NAME --role R`
/// and the subscription variants (`--roles R1,R2`), `tenants create|update
/// NAME --admin-roles R1,R2`: each role's access to NAME changes.
fn permission_grants(
    noun: &str,
    verb: &str,
    operands: &[Arg],
    host: Option<&str>,
) -> Option<Vec<Effect>> {
    let (kind, role_options): (&str, &[&str]) = match (noun, verb) {
        (
            "namespaces" | "topics" | "persistent" | "non-persistent",
            "grant-permission"
            | "revoke-permission"
            | "grant-subscription-permission"
            | "revoke-subscription-permission",
        ) => (
            if noun == "namespaces" {
                "namespace"
            } else {
                "topic"
            },
            &["--role", "--roles"],
        ),
        ("tenants" | "properties", "create" | "update") => ("tenant", &["--admin-roles", "-r"]),
        _ => return None,
    };
    let items = args::parse(
        operands,
        &args::Spec {
            short: "rc",
            long: &[
                "role",
                "roles",
                "actions",
                "subscription",
                "admin-roles",
                "allowed-clusters",
            ],
            stop_after: None,
        },
    );
    let name = args::positionals(&items)
        .first()
        .map_or(String::new(), |w| w.text.clone());
    let resource = on_host(&format!("pulsar {kind} {name}"), host);
    let roles = args::values(&items, role_options);
    if roles.is_empty() && kind == "tenant" {
        // A tenant created or updated without admin roles grants nothing.
        return None;
    }
    let mut grants = Vec::new();
    for list in roles {
        for role in list
            .text
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            grants.push(grant(resource.clone(), role));
        }
    }
    Some(grants)
}

/// `pulsar-perf`'s options that take a value (`produce`'s and `consume`'s
/// that matter here, and the shared connection options).
const PERF_VALUES: &[&str] = &[
    "u",
    "service-url",
    "auth-plugin",
    "auth-params",
    "cf",
    "conf-file",
    "f",
    "payload-file",
    "payload-delimiter",
    "s",
    "size",
    "r",
    "rate",
    "m",
    "num-messages",
    "n",
    "num-producers",
    "t",
    "num-topic",
    "ss",
    "subscriptions",
    "st",
    "subscription-type",
    "time",
    "test-duration",
];

/// `pulsar-perf produce -u URL [-f PAYLOAD_FILE] TOPIC...` sends generated
/// messages (or the payload file's) to the service URL's host; `consume`
/// and `read` read. A `-cf` configuration file holds the credentials.
fn perf(inv: &Invocation<'_>) -> Outcome {
    let items = args::long_options(inv.args, PERF_VALUES, OptionsEnd::DoubleDash, "--");
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    authentication(inv, &items, &mut outcome, &mut payload);
    for config in args::values(&items, &["--cf", "--conf-file"]) {
        outcome.read(inv.path(&config.text), false);
        send_file(inv, &mut payload, &config.text, false);
    }
    let command = args::positionals(&items)
        .first()
        .map_or("", |w| w.text.as_str());
    let direction = match command {
        "produce" => {
            for file in args::values(&items, &["--f", "--payload-file"]) {
                send_file(inv, &mut payload, &file.text, false);
            }
            Direction::Send
        }
        "consume" | "read" => Direction::Receive,
        _ => return outcome,
    };
    if let Some(service) = args::value(&items, &["--u", "--service-url"]) {
        outcome
            .effects
            .extend(server_request(inv, service, direction, payload));
    }
    outcome
}
