//! Kafka's administration tools (`kafka-topics`, `kafka-consumer-groups`,
//! `kafka-configs`, `kafka-delete-records`, `kafka-reassign-partitions`,
//! `kafka-leader-election`, `kafka-transactions`, `kafka-features`, ...),
//! with or without `.sh`.
//!
//! A mode that changes the cluster is a request that sends to the first
//! bootstrap broker (`--bootstrap-server`, `--bootstrap-controller`; a
//! legacy `--zookeeper` ensemble otherwise): what it changes (the files it
//! sends, such as `--offset-json-file` or `--reassignment-json-file`, and
//! the `--add-config` values) and what it logs in with (the
//! `--command-config` file, `--command-property` values). Listing,
//! describing, planning (`--reset-offsets` without `--execute`, `--dry-run`,
//! `--generate`, `--verify`) change nothing: a read that carries only the
//! credentials, as a console consumer's does.

use super::super::dataflow::{Direction, broker, broker_request, client_property};
use super::super::{Invocation, Outcome, send_file};
use crate::args::{self, Item, Spec};
use crate::{Payload, flow};

/// The admin tools' options that take a value (joptsimple's and
/// argparse4j's; a name takes a value in every tool that has it).
const ADMIN_LONG: &[&str] = &[
    "bootstrap-server",
    "bootstrap-servers",
    "bootstrap-controller",
    "zookeeper",
    "command-config",
    "command-property",
    "admin.config",
    "config-file",
    "topic",
    "topic-id",
    "topic-list",
    "partitions",
    "partition",
    "replication-factor",
    "replica-assignment",
    "config",
    "delete-config",
    "add-config",
    "add-config-file",
    "entity-type",
    "entity-name",
    "user",
    "client",
    "ip",
    "broker",
    "broker-logger",
    "client-metrics",
    "group",
    "type",
    "to-offset",
    "shift-by",
    "to-datetime",
    "by-duration",
    "from-file",
    "timeout",
    "offset-json-file",
    "reassignment-json-file",
    "topics-to-move-json-file",
    "broker-list",
    "throttle",
    "replica-alter-log-dirs-throttle",
    "election-type",
    "path-to-json-file",
    "transactional-id",
    "producer-id",
    "producer-epoch",
    "coordinator-epoch",
    "start-offset",
    "broker-id",
    "max-transaction-timeout",
    "feature",
    "release-version",
    "metadata",
    "controller-id",
    "controller-directory-id",
    "application-id",
    "input-topics",
    "intermediate-topics",
    "internal-topics",
    "name",
    "metrics",
    "interval",
    "match",
    "time",
];

/// Client configuration files: the credentials the tool logs in with
/// (`kafka-leader-election` calls it `--admin.config`, the Streams reset
/// tool `--config-file`).
const CONFIG_FILES: &[&str] = &["--command-config", "--admin.config", "--config-file"];

/// Files whose content is the change the tool makes at the cluster.
const CHANGE_FILES: &[&str] = &[
    "--offset-json-file",
    "--reassignment-json-file",
    "--path-to-json-file",
    "--add-config-file",
    "--from-file",
];

/// `program` is the name without a `.sh`; `None` for a program that is
/// not one of Kafka's admin tools.
pub(super) fn handle(inv: &Invocation<'_>, program: &str) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: ADMIN_LONG,
            stop_after: None,
        },
    );
    let changes = changes_cluster(program, &items)?;
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut named = None;
    for property in args::values(&items, &["--command-property"]) {
        if let Some(brokers) = client_property(property, &mut payload) {
            named.get_or_insert(brokers);
        }
    }
    for config in args::values(&items, CONFIG_FILES) {
        outcome.read(inv.path(&config.text), false);
        send_file(inv, &mut payload, &config.text, false);
    }
    for file in args::values(&items, CHANGE_FILES) {
        outcome.read(inv.path(&file.text), false);
        if changes {
            send_file(inv, &mut payload, &file.text, false);
        }
    }
    let direction = if changes {
        for value in args::values(&items, &["--add-config", "--config"]) {
            flow::merge(&mut payload, &value.payload());
        }
        Direction::Send
    } else {
        Direction::Receive
    };
    if let Some(brokers) = bootstrap(&items).or(named) {
        outcome
            .effects
            .extend(broker_request(inv, broker(&brokers), direction, payload));
    }
    Some(outcome)
}

/// Whether the line's mode changes the cluster, per the tool's
/// documentation; `None` for a program that is not an admin tool.
fn changes_cluster(program: &str, items: &[Item<'_>]) -> Option<bool> {
    let has = |names: &[&str]| args::has(items, names);
    let positionals = args::positionals(items);
    // argparse4j tools (`kafka-transactions`, `kafka-features`,
    // `kafka-metadata-quorum`) take a subcommand after their options.
    let subcommand = positionals.first().map_or("", |w| w.text.as_str());
    Some(match program {
        "kafka-topics" => has(&["--create", "--delete", "--alter"]),
        "kafka-consumer-groups" | "kafka-share-groups" | "kafka-streams-groups" => {
            has(&["--delete", "--delete-offsets"])
                || (has(&["--reset-offsets"]) && has(&["--execute"]) && !has(&["--dry-run"]))
        }
        "kafka-configs" => has(&["--alter"]),
        "kafka-client-metrics" => has(&["--alter", "--delete"]),
        "kafka-delete-records" | "kafka-leader-election" | "kafka-preferred-replica-election" => {
            true
        }
        "kafka-reassign-partitions" => has(&["--execute", "--cancel"]),
        "kafka-transactions" => matches!(subcommand, "abort" | "force-terminate"),
        "kafka-features" => {
            matches!(subcommand, "upgrade" | "downgrade" | "disable") && !has(&["--dry-run"])
        }
        "kafka-metadata-quorum" => matches!(subcommand, "add-controller" | "remove-controller"),
        "kafka-streams-application-reset" => !has(&["--dry-run"]),
        "kafka-log-dirs" | "kafka-broker-api-versions" | "kafka-get-offsets" | "kafka-groups" => {
            false
        }
        _ => return None,
    })
}

/// The brokers (or controllers) the tool connects to; a ZooKeeper
/// ensemble's connection string without its chroot path.
fn bootstrap(items: &[Item<'_>]) -> Option<String> {
    if let Some(servers) = args::value(
        items,
        &[
            "--bootstrap-server",
            "--bootstrap-servers",
            "--bootstrap-controller",
        ],
    ) {
        return Some(servers.text.clone());
    }
    let ensemble = args::value(items, &["--zookeeper"])?;
    let hosts = ensemble.text.split('/').next().unwrap_or_default();
    (!hosts.is_empty()).then(|| hosts.to_owned())
}
