//! Clients of device and plant protocols that reach a broker, server or
//! board by host: MQTT publishers and subscribers (mosquitto's clients,
//! HiveMQ's and MQTT.js's `mqtt`, `mqttx`), the OPC UA tools of
//! python-opcua and asyncua (`uaread`, `uawrite`, `uacall`, ...), Modbus
//! pollers (`mbpoll`, `modpoll`) and `esptool` flashing a board through a
//! serial port served over the network (`rfc2217://`, `socket://`).
//!
//! Publishing, writing a tag or register, calling a method and flashing
//! change state at that host: each is a request that carries what it
//! sends (the message, the value, the firmware file) and the credentials
//! it is given. Subscribing and reading are reads from that host, whose
//! output comes from outside when the host does. A device on a local
//! serial port is no network destination.

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Spec};
use crate::{Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "mosquitto_pub" | "mosquitto_rr" => mqtt_client(inv, MOSQUITTO, Direction::Send),
        "mosquitto_sub" => mqtt_client(inv, MOSQUITTO, Direction::Receive),
        "mqtt" | "mqttx" => mqtt_cli(inv),
        "uaread" | "uals" | "uabrowse" | "uasubscribe" | "uahistoryread" | "uadiscover"
        | "uageneratestructs" => opcua(inv, Direction::Receive),
        "uawrite" | "uacall" | "uaclient" => opcua(inv, Direction::Send),
        "mbpoll" | "modpoll" => modbus(inv),
        "esptool" | "esptool.py" => esptool(inv),
        _ => None,
    }
}

/// Whether a client changes state at its host or only reads from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Send,
    Receive,
}

impl Direction {
    /// The request method: a protocol message that changes state is sent
    /// as over a socket; a read is a download.
    fn method(self) -> &'static str {
        match self {
            Direction::Send => "SEND",
            Direction::Receive => "DOWNLOAD",
        }
    }
}

/// What an MQTT client's option does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The broker's host name.
    Host,
    /// The broker's port.
    Port,
    /// `mqtt[s]|ws[s]://[user[:password]@]host[:port]/topic` (mosquitto's `-L`).
    Url,
    /// `mqtt`, `mqtts`, `ws`, `wss`: the transport (MQTT.js's and MQTTX's `-l`).
    Scheme,
    /// Text sent to the broker: topic, message, will, properties, user
    /// name, password.
    Sent,
    /// A password the option may take or prompt for (HiveMQ's `-pw`): its
    /// value when one follows.
    MaybeSent,
    /// A file whose contents are sent (the message, a password file).
    SentFile,
    /// Names the environment variable whose value is the password
    /// (HiveMQ's `-pw:env`, `MQTT_CLI_PW` when no name follows).
    SentEnv,
    /// A local TLS file or key: the connection is TLS; nothing is sent.
    Tls,
    /// A local socket path instead of a host.
    Unix,
    /// A local file the client writes what it receives to.
    Output,
    /// A value that matters to nothing here (QoS, client id, keepalive).
    Value,
    /// mosquitto's `-D COMMAND IDENTIFIER VALUE` (`user-property` has a
    /// name and a value): a property sent with the packet.
    Property,
}

/// mosquitto_pub's, mosquitto_sub's and mosquitto_rr's options that take a
/// value (`client/client_shared.c`). Options are whole words, never clusters.
const MOSQUITTO: &[(&str, Role)] = &[
    ("-h", Role::Host),
    ("--host", Role::Host),
    ("-p", Role::Port),
    ("--port", Role::Port),
    ("-L", Role::Url),
    ("--url", Role::Url),
    ("--unix", Role::Unix),
    ("-t", Role::Sent),
    ("--topic", Role::Sent),
    ("-m", Role::Sent),
    ("--message", Role::Sent),
    ("-f", Role::SentFile),
    ("--file", Role::SentFile),
    ("-u", Role::Sent),
    ("--username", Role::Sent),
    ("-P", Role::Sent),
    ("--pw", Role::Sent),
    ("-e", Role::Sent),
    ("-U", Role::Sent),
    ("--unsubscribe", Role::Sent),
    ("--will-topic", Role::Sent),
    ("--will-payload", Role::Sent),
    ("--psk-identity", Role::Sent),
    ("-D", Role::Property),
    ("--property", Role::Property),
    ("--cafile", Role::Tls),
    ("--capath", Role::Tls),
    ("--cert", Role::Tls),
    ("--key", Role::Tls),
    ("--psk", Role::Tls),
    ("--ciphers", Role::Value),
    ("--tls-version", Role::Value),
    ("--tls-alpn", Role::Value),
    ("--tls-engine", Role::Value),
    ("--tls-engine-kpass-sha1", Role::Value),
    ("--tls-keylog", Role::Value),
    ("--keyform", Role::Value),
    ("--proxy", Role::Value),
    ("-A", Role::Value),
    ("-C", Role::Value),
    ("-F", Role::Value),
    ("-i", Role::Value),
    ("--id", Role::Value),
    ("-I", Role::Value),
    ("--id-prefix", Role::Value),
    ("-k", Role::Value),
    ("--keepalive", Role::Value),
    ("-M", Role::Value),
    ("-o", Role::Value),
    ("-q", Role::Value),
    ("--qos", Role::Value),
    ("--repeat", Role::Value),
    ("--repeat-delay", Role::Value),
    ("--random-filter", Role::Value),
    ("-T", Role::Value),
    ("--filter-out", Role::Value),
    ("-V", Role::Value),
    ("--protocol-version", Role::Value),
    ("-W", Role::Value),
    ("--will-qos", Role::Value),
    ("-x", Role::Value),
];

/// `mqtt pub|sub`: HiveMQ's MQTT CLI (`-pw`, `-m:file`, `-up`) and MQTT.js's
/// (`mqtt publish [options] TOPIC [MESSAGE]`, `-P`, `-C PROTOCOL`).
const MQTT_CLI: &[(&str, Role)] = &[
    ("-h", Role::Host),
    ("--host", Role::Host),
    ("--hostname", Role::Host),
    ("-p", Role::Port),
    ("--port", Role::Port),
    ("-C", Role::Scheme),
    ("-l", Role::Scheme),
    ("--protocol", Role::Scheme),
    ("-t", Role::Sent),
    ("--topic", Role::Sent),
    ("-m", Role::Sent),
    ("--message", Role::Sent),
    ("-m:file", Role::SentFile),
    ("--message-file", Role::SentFile),
    ("-u", Role::Sent),
    ("--user", Role::Sent),
    ("--username", Role::Sent),
    ("-P", Role::Sent),
    ("--password", Role::Sent),
    ("-pw", Role::MaybeSent),
    ("-pw:env", Role::SentEnv),
    ("-pw:file", Role::SentFile),
    ("-up", Role::Sent),
    ("--userProperty", Role::Sent),
    ("-Cup", Role::Sent),
    ("--connectUserProperty", Role::Sent),
    ("-rt", Role::Sent),
    ("--responseTopic", Role::Sent),
    ("-cd", Role::Sent),
    ("--correlationData", Role::Sent),
    ("-Wt", Role::Sent),
    ("--willTopic", Role::Sent),
    ("--will-topic", Role::Sent),
    ("-Wm", Role::Sent),
    ("--willMessage", Role::Sent),
    ("--will-payload", Role::Sent),
    ("--cafile", Role::Tls),
    ("--ca", Role::Tls),
    ("--cert", Role::Tls),
    ("--key", Role::Tls),
    ("-of", Role::Output),
    ("--outputToFile", Role::Output),
    ("-i", Role::Value),
    ("--identifier", Role::Value),
    ("--client-id", Role::Value),
    ("-ip", Role::Value),
    ("--identifierPrefix", Role::Value),
    ("-V", Role::Value),
    ("--mqttVersion", Role::Value),
    ("-k", Role::Value),
    ("--keepAlive", Role::Value),
    ("-q", Role::Value),
    ("--qos", Role::Value),
    ("-e", Role::Value),
    ("--messageExpiryInterval", Role::Value),
    ("-se", Role::Value),
    ("--sessionExpiryInterval", Role::Value),
    ("-ct", Role::Value),
    ("--contentType", Role::Value),
    ("-pf", Role::Value),
    ("--payloadFormatIndicator", Role::Value),
    ("--will-qos", Role::Value),
];

/// MQTTX's CLI (`mqttx pub|sub|conn`, `mqttx bench pub|sub|conn`, `mqttx
/// simulate`).
const MQTTX: &[(&str, Role)] = &[
    ("-h", Role::Host),
    ("--hostname", Role::Host),
    ("-p", Role::Port),
    ("--port", Role::Port),
    ("-l", Role::Scheme),
    ("--protocol", Role::Scheme),
    ("-t", Role::Sent),
    ("--topic", Role::Sent),
    ("-m", Role::Sent),
    ("--message", Role::Sent),
    ("--file-read", Role::SentFile),
    ("-u", Role::Sent),
    ("--username", Role::Sent),
    ("-P", Role::Sent),
    ("--password", Role::Sent),
    ("-up", Role::Sent),
    ("--user-properties", Role::Sent),
    ("-rt", Role::Sent),
    ("--response-topic", Role::Sent),
    ("-cd", Role::Sent),
    ("--correlation-data", Role::Sent),
    ("-Wt", Role::Sent),
    ("--will-topic", Role::Sent),
    ("-Wm", Role::Sent),
    ("--will-message", Role::Sent),
    ("--ca", Role::Tls),
    ("--cert", Role::Tls),
    ("--key", Role::Tls),
    ("--file-write", Role::Output),
    ("--file-save", Role::Output),
    ("-i", Role::Value),
    ("--client-id", Role::Value),
    ("-V", Role::Value),
    ("--mqtt-version", Role::Value),
    ("-k", Role::Value),
    ("--keepalive", Role::Value),
    ("-q", Role::Value),
    ("--qos", Role::Value),
    ("-c", Role::Value),
    ("--count", Role::Value),
    ("-sc", Role::Value),
    ("--scenario", Role::Value),
    ("-f", Role::Value),
    ("--file", Role::Value),
    ("--path", Role::Value),
    ("-se", Role::Value),
    ("-e", Role::Value),
    ("-ct", Role::Value),
    ("-pf", Role::Value),
    ("--config", Role::Value),
];

/// What an MQTT client's options say about its connection.
#[derive(Debug, Default)]
struct Connection<'a> {
    host: Option<String>,
    port: Option<u16>,
    /// The transport as a URL scheme (`mqtts` when TLS files are given).
    scheme: Option<String>,
    /// Connected through a local socket (`--unix PATH`).
    unix: bool,
    payload: Payload,
    outputs: Vec<String>,
    positionals: Vec<&'a Arg>,
}

/// Reads an MQTT client's options following `table`.
fn connection<'a>(inv: &Invocation<'_>, args: &'a [Arg], table: &[(&str, Role)]) -> Connection<'a> {
    let mut conn = Connection::default();
    let mut words = args.iter().peekable();
    let mut only_positionals = false;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if only_positionals || text.len() < 2 || !text.starts_with('-') {
            conn.positionals.push(word);
            continue;
        }
        if text == "--" {
            only_positionals = true;
            continue;
        }
        // `--host=broker` (picocli, kingpin, minimist).
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if text.starts_with("--") => (name, Some(word.with_text(value))),
            _ => (text, None),
        };
        let Some(role) = table.iter().find(|(n, _)| *n == name).map(|(_, r)| *r) else {
            continue;
        };
        let optional = matches!(role, Role::MaybeSent | Role::SentEnv);
        let value = match attached {
            Some(value) => Some(value),
            None if optional && words.peek().is_none_or(|w| w.text.starts_with('-')) => None,
            None => words.next().cloned(),
        };
        match (role, value) {
            (Role::Host, Some(v)) => {
                flow::merge(&mut conn.payload, &v.expansions());
                conn.host = Some(v.text);
            }
            (Role::Port, Some(v)) => conn.port = v.text.parse().ok(),
            (Role::Url, Some(v)) => broker_url(&v, &mut conn),
            (Role::Scheme, Some(v)) => conn.scheme = Some(v.text.to_ascii_lowercase()),
            (Role::Sent | Role::MaybeSent, Some(v)) => flow::merge(&mut conn.payload, &v.payload()),
            (Role::SentFile, Some(v)) => {
                flow::merge(&mut conn.payload, &v.expansions());
                send_file(inv, &mut conn.payload, &v.text, false);
            }
            (Role::SentEnv, value) => {
                let name = value.map_or_else(|| "MQTT_CLI_PW".to_owned(), |v| v.text);
                flow::push_env(&mut conn.payload, &name);
            }
            (Role::Tls, Some(_)) => {
                conn.scheme.get_or_insert_with(|| "mqtts".to_owned());
            }
            (Role::Unix, Some(_)) => conn.unix = true,
            (Role::Output, Some(v)) => conn.outputs.push(inv.path(&v.text)),
            (Role::Property, Some(_command)) => {
                // COMMAND IDENTIFIER VALUE, or COMMAND user-property NAME VALUE.
                let identifier = words.next();
                let count = if identifier.is_some_and(|i| i.text == "user-property") {
                    2
                } else {
                    1
                };
                for _ in 0..count {
                    if let Some(value) = words.next() {
                        flow::merge(&mut conn.payload, &value.payload());
                    }
                }
            }
            _ => {}
        }
    }
    conn
}

/// `scheme://[user[:password]@]host[:port]/topic`: the broker, and the
/// credentials and topic sent to it.
fn broker_url(arg: &Arg, conn: &mut Connection<'_>) {
    flow::merge(&mut conn.payload, &arg.expansions());
    let Some((scheme, rest)) = arg.text.split_once("://") else {
        return;
    };
    conn.scheme = Some(scheme.to_ascii_lowercase());
    let (authority, topic) = rest.split_once('/').unwrap_or((rest, ""));
    flow::push_text(&mut conn.payload, topic);
    let hostport = match authority.rsplit_once('@') {
        Some((credentials, hostport)) => {
            for part in credentials.splitn(2, ':') {
                flow::push_text(&mut conn.payload, part);
            }
            hostport
        }
        None => authority,
    };
    let (host, port) = split_port(hostport);
    conn.host = Some(host.to_owned());
    conn.port = port;
}

/// `host:port` (`[v6]:port`) into the host and the port, when it has one.
fn split_port(text: &str) -> (&str, Option<u16>) {
    match text.rsplit_once(':') {
        Some((host, port))
            if port.parse::<u16>().is_ok() && (!host.contains(':') || host.ends_with(']')) =>
        {
            (host, port.parse().ok())
        }
        _ => (text, None),
    }
}

/// `scheme://host[:port]`, bracketing an IPv6 host.
fn endpoint(scheme: &str, host: &str, port: Option<u16>) -> String {
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    }
}

/// The request an MQTT client makes to its broker (`localhost` unless the
/// line names one), and the files it writes what it receives to.
fn broker_request(inv: &Invocation<'_>, conn: Connection<'_>, direction: Direction) -> Outcome {
    let mut outcome = Outcome::default();
    for path in conn.outputs {
        outcome.write(path, false);
    }
    if conn.unix {
        return outcome;
    }
    let scheme = conn.scheme.as_deref().unwrap_or("mqtt");
    let host = conn.host.as_deref().unwrap_or("localhost");
    outcome.effects.push(request(
        inv.program,
        url(&endpoint(scheme, host, conn.port)),
        direction.method(),
        conn.payload,
        false,
    ));
    outcome
}

/// mosquitto_pub (publishes; `-s`/`-l` send standard input, which every
/// request carries), mosquitto_rr (publishes a request and waits for the
/// answer) and mosquitto_sub (reads what the broker delivers).
fn mqtt_client(
    inv: &Invocation<'_>,
    table: &[(&str, Role)],
    direction: Direction,
) -> Option<Outcome> {
    if inv
        .args
        .iter()
        .any(|a| matches!(a.text.as_str(), "--help" | "--version"))
    {
        return Some(Outcome::default());
    }
    let conn = connection(inv, inv.args, table);
    Some(broker_request(inv, conn, direction))
}

/// `mqtt pub|publish|sub|subscribe ...` (HiveMQ, MQTT.js) and `mqttx
/// pub|sub|conn|simulate`, `mqttx bench pub|sub|conn`. MQTT.js takes the
/// topic and message as words after the options.
fn mqtt_cli(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    let (verb, rest) = match (inv.program, verb.text.as_str()) {
        ("mqttx", "bench") => {
            let (inner, rest) = rest.split_first()?;
            (inner.text.as_str(), rest)
        }
        (_, verb) => (verb, rest),
    };
    let direction = match (inv.program, verb) {
        (_, "pub" | "publish") | ("mqttx", "simulate") => Direction::Send,
        (_, "sub" | "subscribe") | ("mqttx", "conn") => Direction::Receive,
        _ => return None,
    };
    let table = if inv.program == "mqttx" {
        MQTTX
    } else {
        MQTT_CLI
    };
    let mut conn = connection(inv, rest, table);
    for word in std::mem::take(&mut conn.positionals) {
        flow::merge(&mut conn.payload, &word.payload());
    }
    Some(broker_request(inv, conn, direction))
}

/// The options of python-opcua's and asyncua's command line tools that
/// take a value (`asyncua/tools.py`).
const OPCUA_LONG: &[&str] = &[
    "url",
    "verbose",
    "timeout",
    "nodeid",
    "path",
    "namespace",
    "security",
    "user",
    "password",
    "attribute",
    "datatype",
    "list",
    "array",
    "method",
    "eventtype",
    "limit",
    "starttime",
    "endtime",
    "certificate",
    "private_key",
    "depth",
    "output",
];

/// `uawrite|uacall -u opc.tcp://HOST:PORT -n NODE VALUE` write a node's
/// attribute or call its method; `uaclient` opens a session that can do
/// either; `uaread`, `uals`, `uasubscribe`, `uahistoryread`, `uadiscover`
/// read. The server is `-u`/`--url` (`opc.tcp://localhost:4840` by
/// default, the scheme added when missing); what is written, the node
/// and `--user`/`--password` are sent. The `--security` certificate and
/// key are local.
fn opcua(inv: &Invocation<'_>, direction: Direction) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            // uadiscover's `-n` is `--network`, a flag.
            short: if inv.program == "uadiscover" {
                "uv"
            } else {
                "uvnpiatlmckdo"
            },
            long: OPCUA_LONG,
            stop_after: None,
        },
    );
    if args::has(&items, &["-h", "--help"]) {
        return Some(Outcome::default());
    }
    let mut payload = Payload::default();
    let server = args::value(&items, &["-u", "--url"]);
    let address = server.map_or("opc.tcp://localhost:4840", |s| s.text.as_str());
    let address = if address.contains("://") {
        address.to_owned()
    } else {
        format!("opc.tcp://{address}")
    };
    if let Some(server) = server {
        flow::merge(&mut payload, &server.expansions());
    }
    for value in args::values(&items, &["--user", "--password"]) {
        flow::merge(&mut payload, &value.payload());
    }
    let mut outcome = Outcome::default();
    if direction == Direction::Send {
        for value in args::values(
            &items,
            &["-n", "--nodeid", "-p", "--path", "-m", "--method"],
        ) {
            flow::merge(&mut payload, &value.payload());
        }
        for value in args::positionals(&items) {
            flow::merge(&mut payload, &value.payload());
        }
    }
    if let Some(output) = args::value(&items, &["-o", "--output"]) {
        outcome.write(inv.path(&output.text), false);
    }
    outcome.effects.push(request(
        inv.program,
        url(&address),
        direction.method(),
        payload,
        false,
    ));
    Some(outcome)
}

/// `mbpoll [options] DEVICE|HOST [WRITEVALUES...]` and modpoll's same
/// shape: with values after the host they are written to its registers
/// or coils, else its registers are read. `-m rtu|ascii` and a device
/// path (`/dev/ttyUSB0`, `COM3`) mean a local serial line; `-m tcp|udp|enc`
/// (the default for a host) reach HOST at `-p PORT`.
fn modbus(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "macrtlopbdsP4",
            long: &[],
            stop_after: None,
        },
    );
    if args::has(&items, &["-h", "-V"]) {
        return Some(Outcome::default());
    }
    let positional = args::positionals(&items);
    let (device, values) = positional.split_first()?;
    let mode = args::value(&items, &["-m"]).map(|m| m.text.to_ascii_lowercase());
    let text = device.text.as_str();
    let serial_device = text.starts_with('/')
        || text.contains('\\')
        || text.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("com"));
    if serial_device || matches!(mode.as_deref(), Some("rtu" | "ascii")) {
        return Some(Outcome::default());
    }
    let port = args::value(&items, &["-p"]).and_then(|p| p.text.parse().ok());
    let direction = if values.is_empty() {
        Direction::Receive
    } else {
        Direction::Send
    };
    let mut payload = device.expansions();
    for value in values {
        flow::merge(&mut payload, &value.payload());
    }
    let target = Target::Host {
        user: None,
        host: text.to_owned(),
        port,
        path: None,
    };
    Some(Outcome::default().effect(request(
        inv.program,
        target,
        direction.method(),
        payload,
        false,
    )))
}

/// esptool's options before its command that take a value.
const ESPTOOL_GLOBAL: &[&str] = &[
    "--chip",
    "-c",
    "--port",
    "-p",
    "--baud",
    "-b",
    "--before",
    "--after",
    "--connect-attempts",
    "--port-filter",
    "--override-vddsdio",
];

/// write_flash's options that take a value.
const ESPTOOL_WRITE_FLASH: &[&str] = &[
    "--flash_freq",
    "--flash-freq",
    "-ff",
    "--flash_mode",
    "--flash-mode",
    "-fm",
    "--flash_size",
    "--flash-size",
    "-fs",
    "--spi-connection",
    "-sc",
];

/// `esptool.py --port rfc2217://HOST:PORT|socket://HOST:PORT COMMAND ...`:
/// the board sits behind a serial port served over the network, so the
/// command goes to HOST. `write_flash ADDR FILE...` and `load_ram FILE`
/// send those files; `erase_flash`, `erase_region`, `write_mem` and `run`
/// change the board; the other commands read it (`read_flash ADDR SIZE
/// FILE` writes FILE here). v5's dashed names (`write-flash`) are the same
/// commands. A local port is no network destination (left to the generic
/// reading of arguments).
fn esptool(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut port: Option<&Arg> = None;
    let mut words = inv.args.iter();
    let mut command: Option<String> = None;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if text.starts_with("--") => (name, Some(value)),
            _ => (text, None),
        };
        if ESPTOOL_GLOBAL.contains(&name) {
            let value = match attached {
                Some(_) => Some(word),
                None => words.next(),
            };
            if matches!(name, "--port" | "-p") {
                port = value;
            }
        } else if !text.starts_with('-') {
            command = Some(text.replace('-', "_"));
            break;
        }
    }
    let port = port?;
    let address = port
        .text
        .split_once('=')
        .filter(|_| port.text.starts_with("--"))
        .map_or(port.text.as_str(), |(_, v)| v);
    let remote = ["rfc2217://", "socket://"]
        .iter()
        .any(|scheme| address.starts_with(scheme));
    if !remote {
        return None;
    }
    let rest: Vec<&Arg> = words.collect();
    let mut payload = port.expansions();
    let mut outcome = Outcome::default();
    let method = match command.as_deref()? {
        "write_flash" | "load_ram" => {
            let mut skip_value = false;
            for arg in &rest {
                let text = arg.text.as_str();
                if skip_value {
                    skip_value = false;
                } else if ESPTOOL_WRITE_FLASH.contains(&text) {
                    skip_value = true;
                } else if !text.starts_with('-') && !is_address(text) {
                    send_file(inv, &mut payload, text, false);
                }
            }
            "UPLOAD"
        }
        "erase_flash" | "erase_region" | "write_mem" | "run" | "write_flash_status" => "SEND",
        "read_flash" | "dump_mem" => {
            if let Some(file) = rest.iter().rfind(|a| !a.text.starts_with('-')) {
                outcome.write(inv.path(&file.text), false);
            }
            "DOWNLOAD"
        }
        // Local work on image files; the port is not used.
        "merge_bin" | "image_info" | "elf2image" | "version" => return None,
        _ => "DOWNLOAD",
    };
    outcome
        .effects
        .push(request(inv.program, url(address), method, payload, false));
    Some(outcome)
}

/// A flash address or size (`0x10000`, `4096`), not a file name.
fn is_address(text: &str) -> bool {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .map_or_else(
            || text.bytes().all(|b| b.is_ascii_digit()),
            |hex| hex.bytes().all(|b| b.is_ascii_hexdigit()),
        );
    !text.is_empty() && digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_ports() {
        assert_eq!(split_port("broker:8883"), ("broker", Some(8883)));
        assert_eq!(split_port("broker"), ("broker", None));
        assert_eq!(split_port("[::1]:1883"), ("[::1]", Some(1883)));
        assert_eq!(split_port("::1"), ("::1", None));
    }

    #[test]
    fn builds_endpoints() {
        assert_eq!(endpoint("mqtt", "b.example", None), "mqtt://b.example");
        assert_eq!(endpoint("mqtts", "::1", Some(8883)), "mqtts://[::1]:8883");
    }

    #[test]
    fn tells_addresses_from_files() {
        assert!(is_address("0x10000"));
        assert!(is_address("4096"));
        assert!(!is_address("0xfw.bin"));
        assert!(!is_address("build/app.bin"));
        assert!(!is_address(""));
    }
}
