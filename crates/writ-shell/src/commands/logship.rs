//! Log shippers' command-line pipelines: Fluent Bit (`fluent-bit`,
//! `td-agent-bit`). `-i PLUGIN` adds an input, `-o PLUGIN` an output and
//! `-F PLUGIN` a filter, and each `-p KEY=VALUE` sets a property of the
//! last of them. What the inputs read (`tail`'s `path` globs, `head`'s
//! `file`, the systemd journal, standard input, `exec`'s command) goes to
//! every output: a request to the host its properties name (`http`,
//! `forward`, `es`, `splunk`, `loki`, ...: their defaults are this
//! machine), an S3 bucket, a vendor's intake, or a file (`file`); `stdout`
//! and `null` send nothing. An output written as a URL (`-o
//! http://host:port/uri`) names its host, port and path.

use super::{Invocation, Nested, Outcome, read, request, url};
use crate::{Effect, Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "fluent-bit" | "td-agent-bit" | "fluentbit" => Some(fluent_bit(inv)),
        _ => None,
    }
}

/// What a section of the pipeline is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Input,
    Output,
    Filter,
}

/// One plugin of the pipeline with its properties (keys in lower case).
struct Section {
    kind: Kind,
    plugin: String,
    properties: Vec<(String, String)>,
}

impl Section {
    fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }
}

/// Fluent Bit's options that take a value and set no section.
const VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--config",
    "-f",
    "--flush",
    "-m",
    "--match",
    "-t",
    "--tag",
    "-R",
    "--parser",
    "-e",
    "--plugin",
    "-l",
    "--log_file",
    "-P",
    "--port",
    "-L",
    "--listen",
    "-b",
    "--storage_path",
    "-s",
    "--coro_stack_size",
    "-T",
    "--sp-task",
];

fn fluent_bit(inv: &Invocation<'_>) -> Outcome {
    let mut sections: Vec<Section> = Vec::new();
    let mut outcome = Outcome::default();
    let mut args = inv.args.iter();
    while let Some(arg) = args.next() {
        let (name, attached) = match arg.text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.text.as_str(), None),
        };
        let kind = match name {
            "-i" | "--input" => Some(Kind::Input),
            "-o" | "--output" => Some(Kind::Output),
            "-F" | "--filter" => Some(Kind::Filter),
            _ => None,
        };
        let takes_value =
            kind.is_some() || matches!(name, "-p" | "--prop") || VALUE_OPTIONS.contains(&name);
        if !takes_value {
            continue;
        }
        let Some(value) = attached.or_else(|| args.next().map(|a| a.text.clone())) else {
            break;
        };
        match (kind, name) {
            (Some(kind), _) => sections.push(section(kind, &value)),
            (None, "-p" | "--prop") => {
                if let (Some(last), Some((key, v))) = (sections.last_mut(), value.split_once('=')) {
                    last.properties
                        .push((key.trim().to_ascii_lowercase(), v.trim().to_owned()));
                }
            }
            (None, "-c" | "--config" | "-R" | "--parser") => outcome.read(inv.path(&value), false),
            (None, "-l" | "--log_file") => outcome.write(inv.path(&value), false),
            _ => {}
        }
    }
    let mut carried = Payload::default();
    for input in sections.iter().filter(|s| s.kind == Kind::Input) {
        read_input(inv, input, &mut outcome, &mut carried);
    }
    for output in sections.iter().filter(|s| s.kind == Kind::Output) {
        send_output(inv, output, &mut outcome, &carried);
    }
    outcome
}

/// A section from `-i`/`-o`/`-F`'s value: a plugin's name, or for an
/// output a URL (`http://host:port/uri`) whose parts are its properties.
fn section(kind: Kind, value: &str) -> Section {
    let mut section = Section {
        kind,
        plugin: value.trim().to_ascii_lowercase(),
        properties: Vec::new(),
    };
    if let Some((plugin, rest)) = value.split_once("://") {
        section.plugin = plugin.to_ascii_lowercase();
        let (hostport, uri) = match rest.split_once('/') {
            Some((hostport, path)) => (hostport, Some(format!("/{path}"))),
            None => (rest, None),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => (host, Some(port)),
            _ => (hostport, None),
        };
        if !host.is_empty() {
            section
                .properties
                .push(("host".to_owned(), host.to_owned()));
        }
        if let Some(port) = port {
            section
                .properties
                .push(("port".to_owned(), port.to_owned()));
        }
        if let Some(uri) = uri {
            section.properties.push(("uri".to_owned(), uri));
        }
    }
    section
}

/// What an input reads: its files are read and carried to the outputs.
fn read_input(inv: &Invocation<'_>, input: &Section, outcome: &mut Outcome, carried: &mut Payload) {
    let mut files: Vec<(String, bool)> = Vec::new();
    match input.plugin.as_str() {
        "tail" => {
            for path in input.property("path").unwrap_or_default().split(',') {
                files.push((path.trim().to_owned(), false));
            }
        }
        "head" => files.extend(input.property("file").map(|f| (f.to_owned(), false))),
        "systemd" => files.push((
            input
                .property("path")
                .unwrap_or("/var/log/journal")
                .to_owned(),
            true,
        )),
        "stdin" => flow::merge(carried, inv.stdin),
        "exec" => {
            if let Some(command) = input.property("command") {
                outcome.nested.push(Nested::Script {
                    text: command.to_owned(),
                    what: "fluent-bit exec input".to_owned(),
                });
                outcome.nested_output_sent = true;
            }
        }
        _ => {}
    }
    for (path, recursive) in files.into_iter().filter(|(p, _)| !p.is_empty()) {
        let path = inv.path(&path);
        outcome.effects.push(read(path.clone(), recursive));
        flow::merge(carried, &flow::file_payload(path, recursive));
    }
}

/// Where an output plugin sends, by its properties and defaults.
fn output_target(output: &Section) -> Option<Target> {
    let host = |default: &str| output.property("host").unwrap_or(default).to_owned();
    let tls = output
        .property("tls")
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "on" | "true" | "yes" | "1"));
    let web = |default_host: &str, default_port: &str, default_uri: &str, tls: bool| {
        let scheme = if tls { "https" } else { "http" };
        let port = output.property("port").unwrap_or(default_port);
        let uri = output.property("uri").unwrap_or(default_uri);
        let uri = if uri.starts_with('/') {
            uri.to_owned()
        } else {
            format!("/{uri}")
        };
        url(&format!("{scheme}://{}:{port}{uri}", host(default_host)))
    };
    let region = output.property("region").unwrap_or("us-east-1");
    Some(match output.plugin.as_str() {
        "stdout" | "null" | "counter" | "flowcounter" | "file" | "exit" => return None,
        "http" => web("127.0.0.1", "80", "/", tls),
        "es" | "elasticsearch" | "opensearch" => web("127.0.0.1", "9200", "/_bulk", tls),
        "splunk" => web("127.0.0.1", "8088", "/services/collector/event", tls),
        "loki" => web("127.0.0.1", "3100", "/loki/api/v1/push", tls),
        "opentelemetry" => web("127.0.0.1", "80", "/v1/logs", tls),
        "influxdb" => web("127.0.0.1", "8086", "/write", tls),
        "prometheus_remote_write" => web("127.0.0.1", "80", "/", tls),
        "datadog" => web(
            "http-intake.logs.datadoghq.com",
            "443",
            "/api/v2/logs",
            true,
        ),
        "logdna" => web("logs.logdna.com", "443", "/logs/ingest", true),
        "newrelic" => url(output
            .property("base_uri")
            .unwrap_or("https://log-api.newrelic.com/log/v1")),
        "s3" => match (output.property("endpoint"), output.property("bucket")) {
            (Some(endpoint), Some(bucket)) => {
                url(&format!("{}/{bucket}", endpoint.trim_end_matches('/')))
            }
            (None, Some(bucket)) => url(&format!("s3://{bucket}/")),
            (Some(endpoint), None) => url(endpoint),
            (None, None) => return None,
        },
        "cloudwatch_logs" => url(&format!("https://logs.{region}.amazonaws.com")),
        "kinesis_firehose" => url(&format!("https://firehose.{region}.amazonaws.com")),
        "kinesis_streams" => url(&format!("https://kinesis.{region}.amazonaws.com")),
        "stackdriver" => url("https://logging.googleapis.com"),
        "bigquery" => url("https://bigquery.googleapis.com"),
        "azure" => url(&format!(
            "https://{}.ods.opinsights.azure.com",
            output.property("customer_id")?
        )),
        "azure_blob" => url(&format!(
            "https://{}.blob.core.windows.net",
            output.property("account_name")?
        )),
        "kafka" => host_target(output.property("brokers")?.split(',').next()?, 9092),
        "forward" => host_target(&host("127.0.0.1"), port(output, 24224)),
        "tcp" | "syslog" | "gelf" | "nats" => host_target(&host("127.0.0.1"), port(output, 0)),
        // Another plugin sends where its `host` says, if it says.
        _ => web(output.property("host")?, "80", "/", tls),
    })
}

fn port(output: &Section, default: u16) -> u16 {
    output
        .property("port")
        .and_then(|p| p.parse().ok())
        .unwrap_or(default)
}

/// A host (and port) reached without a URL; `host:port` names its own port.
fn host_target(text: &str, default_port: u16) -> Target {
    let (host, port) = match text.trim().rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => (host, port.parse().ok()),
        _ => (text.trim(), (default_port != 0).then_some(default_port)),
    };
    Target::Host {
        user: None,
        host: host.to_owned(),
        port,
        path: None,
    }
}

/// An output: a `file` output writes, the others send what the inputs carry.
fn send_output(inv: &Invocation<'_>, output: &Section, outcome: &mut Outcome, carried: &Payload) {
    if output.plugin == "file" {
        let file = match (output.property("path"), output.property("file")) {
            (Some(dir), Some(name)) => format!("{}/{name}", dir.trim_end_matches('/')),
            (Some(dir), None) => dir.to_owned(),
            (None, Some(name)) => name.to_owned(),
            (None, None) => return,
        };
        outcome.effects.push(Effect::Write {
            path: inv.path(&file),
            append: true,
        });
        return;
    }
    if let Some(target) = output_target(output) {
        let method = match target {
            Target::Host { .. } => "SEND",
            _ => "POST",
        };
        outcome
            .effects
            .push(request(inv.program, target, method, carried.clone(), false));
    }
}
