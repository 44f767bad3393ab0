//! Request clients beside curl and HTTPie: `grpcurl` (gRPC calls and
//! reflection), WebSocket clients (`websocat`, `wscat`), `curlie`
//! (curl's options with HTTPie's request items), `az rest` (any Azure
//! or Microsoft Graph API call) and Elasticsearch's copiers
//! (`elasticdump`, `multielasticdump`: what they read from one index or
//! file they write to another).

use super::{Invocation, Nested, Outcome, net, request, send_file, url};
use crate::args::{self, Arg, Item, OptionsEnd, Spec};
use crate::{FileRef, Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "grpcurl" => grpcurl(inv),
        "websocat" => websocat(inv),
        "wscat" => wscat(inv),
        "curlie" => curlie(inv),
        "az" if inv.args.first().is_some_and(|a| a.text == "rest") => az_rest(inv),
        "elasticdump" | "multielasticdump" => elasticdump(inv),
        _ => return None,
    })
}

/// Options of Go's `flag` package, with one dash (`-rpc-header`).
fn go_flags<'a>(words: &'a [Arg], values: &[&str]) -> Vec<Item<'a>> {
    args::long_options(words, values, args::OptionsEnd::FirstPositional, "-")
}

/// A Go boolean flag: present, and not set to false (`-plaintext=false`).
fn go_bool(items: &[Item<'_>], name: &str) -> bool {
    items.iter().any(|item| match item {
        Item::Opt { name: n, value } if n == name => value
            .as_ref()
            .is_none_or(|v| !matches!(v.text.as_str(), "false" | "0" | "f" | "F" | "FALSE")),
        _ => false,
    })
}

/// grpcurl's flags that take a value.
const GRPCURL_VALUES: &[&str] = &[
    "H",
    "rpc-header",
    "reflect-header",
    "d",
    "format",
    "authority",
    "cacert",
    "cert",
    "key",
    "servername",
    "connect-timeout",
    "keepalive-time",
    "max-time",
    "max-msg-sz",
    "import-path",
    "proto",
    "protoset",
    "protoset-out",
    "proto-out-dir",
    "user-agent",
    "alts-handshaker-service",
    "alts-target-service-account",
];

/// `grpcurl [flags] HOST:PORT SERVICE/METHOD` calls the method: a POST to
/// the server (gRPC runs over HTTP/2 POSTs) carrying the headers (`-H`,
/// `-rpc-header`) and the request (`-d`; `-d @` reads standard input,
/// which the walk adds). `list` and `describe` ask the server's
/// reflection service, a read that still sends `-H` and
/// `-reflect-header`. With `-expand-headers` grpcurl itself fills
/// `${NAME}` in a header from its environment. Without an address
/// (`grpcurl -protoset x.pb list`) or on a Unix socket nothing leaves the
/// machine.
fn grpcurl(inv: &Invocation<'_>) -> Outcome {
    let items = go_flags(inv.args, GRPCURL_VALUES);
    let mut outcome = Outcome::default();
    // A `-proto` name is found under the first `-import-path` given.
    let import = args::values(&items, &["-import-path"])
        .first()
        .map(|dir| inv.path(&dir.text));
    for file in args::values(&items, &["-proto"]) {
        let path = match &import {
            Some(dir) if !file.text.starts_with(['/', '~']) => {
                crate::paths::resolve(dir, inv.home, &file.text)
            }
            _ => inv.path(&file.text),
        };
        outcome.read(path, false);
    }
    for file in args::values(&items, &["-protoset"]) {
        outcome.read(inv.path(&file.text), false);
    }
    for file in args::values(&items, &["-protoset-out", "-proto-out-dir"]) {
        outcome.write(inv.path(&file.text), false);
    }
    let positional = args::positionals(&items);
    let Some((address, rest)) = positional.split_first() else {
        return outcome;
    };
    let Some(verb) = rest.first() else {
        return outcome;
    };
    if matches!(address.text.as_str(), "list" | "describe")
        || address.text.starts_with("unix:")
        || address.text.starts_with('/')
        || go_bool(&items, "-unix")
    {
        return outcome;
    }
    let reflection = matches!(verb.text.as_str(), "list" | "describe");
    let expand = go_bool(&items, "-expand-headers");
    let mut payload = Payload::default();
    let headers: &[&str] = if reflection {
        &["-H", "-reflect-header"]
    } else {
        &["-H", "-rpc-header"]
    };
    for header in args::values(&items, headers) {
        flow::merge(&mut payload, &header.payload());
        if expand {
            for name in braced_variables(&header.text) {
                flow::push_env(&mut payload, name);
            }
        }
    }
    if !reflection
        && let Some(data) = args::value(&items, &["-d"])
        && data.text != "@"
    {
        flow::merge(&mut payload, &data.payload());
    }
    flow::merge(&mut payload, &address.expansions());
    let scheme = if go_bool(&items, "-plaintext") {
        "http"
    } else {
        "https"
    };
    let (target, method) = if reflection {
        (format!("{scheme}://{}", address.text), "GET")
    } else {
        flow::merge(&mut payload, &verb.expansions());
        let symbol = verb.text.trim_start_matches('/');
        (format!("{scheme}://{}/{symbol}", address.text), "POST")
    };
    outcome
        .effects
        .push(request("grpcurl", url(&target), method, payload, false));
    outcome
}

/// The names in `${NAME}` references of `text`.
fn braced_variables(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else { break };
        let name = after.get(..end).unwrap_or_default();
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            names.push(name);
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    names
}

/// websocat's long options that take a value.
const WEBSOCAT_LONG: &[&str] = &[
    "socks5",
    "socks5-destination",
    "socks5-user-pass",
    "socks5-bind-script",
    "autoreconnect-delay-millis",
    "basic-auth",
    "queue-len",
    "buffer-size",
    "byte-to-exit-on",
    "client-pkcs12-der",
    "client-pkcs12-passwd",
    "close-reason",
    "close-status-code",
    "crypto-key",
    "header",
    "request-header",
    "server-header",
    "header-to-env",
    "max-messages",
    "max-messages-rev",
    "max-parallel-conns",
    "max-sent-pings",
    "max-ws-frame-length",
    "max-ws-message-length",
    "origin",
    "pkcs12-der",
    "pkcs12-passwd",
    "preamble",
    "preamble-reverse",
    "protocol",
    "server-protocol",
    "request-method",
    "request-uri",
    "restrict-uri",
    "text-prefix",
    "binary-prefix",
    "tls-domain",
    "ua",
    "ws-c-uri",
    "ws-ping-interval",
    "ws-ping-timeout",
    "conncap",
];

/// One side of a websocat session.
enum Side {
    /// A server it connects to (`wss://...`, `tcp:HOST:PORT`).
    Remote(Target),
    /// Standard input and output (`-`, or the side left out).
    Stdio,
    /// Data it reads: `literal:TEXT`, `readfile:PATH`, or a command's
    /// output (`sh-c:CMD`, `exec:CMD`: `true` for those).
    Source(Payload, bool),
    /// Anything else: listeners, files it writes, ...
    Other,
}

/// `websocat [opts] [ADDR1] ADDR2` joins two addresses and copies each
/// one's data to the other (`-u`: only the first's to the second, `-U`:
/// only back). `websocat URL` joins standard input and output with URL,
/// so what is piped in is sent (`echo msg | websocat wss://h`); with
/// nothing to send it only connects. Headers (`-H`), `--basic-auth` and
/// `--preamble` go to the server too; a server mode (`-s PORT`,
/// `ws-l:`) sends nothing anywhere.
fn websocat(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "BHpPX",
            long: WEBSOCAT_LONG,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-s", "--server-mode"]) {
        return outcome;
    }
    let positional = args::positionals(&items);
    let words: Vec<&Arg> = match positional.as_slice() {
        [only] => vec![only],
        [first, second, ..] => vec![first, second],
        [] => return outcome,
    };
    let mut sides: Vec<Side> = words
        .iter()
        .map(|word| websocat_side(inv, word, &mut outcome))
        .collect();
    if sides.len() == 1 {
        sides.insert(0, Side::Stdio);
    }
    let mut handshake = Payload::default();
    for value in args::values(
        &items,
        &[
            "-H",
            "--header",
            "--request-header",
            "--basic-auth",
            "-p",
            "--preamble",
        ],
    ) {
        flow::merge(&mut handshake, &value.payload());
    }
    for word in &words {
        flow::merge(&mut handshake, &word.expansions());
    }
    let forward_only = args::has(&items, &["-u", "--unidirectional"]);
    let backward_only = args::has(&items, &["-U", "--unidirectional-reverse"]);
    for (at, side) in sides.iter().enumerate() {
        let Side::Remote(target) = side else { continue };
        let other = if at == 0 { 1 } else { 0 };
        // Data flows from the first address to the second unless `-U`,
        // and back unless `-u`.
        let flows = if other == 0 {
            !backward_only
        } else {
            !forward_only
        };
        let mut payload = handshake.clone();
        let mut sends = false;
        if flows {
            match sides.get(other) {
                Some(Side::Stdio) => sends = inv.has_stdin,
                Some(Side::Source(data, command)) => {
                    flow::merge(&mut payload, data);
                    sends = true;
                    outcome.nested_output_sent |= *command;
                }
                _ => {}
            }
        }
        if args::value(&items, &["-p", "--preamble"]).is_some() {
            sends = true;
        }
        let method = if sends { "SEND" } else { "CONNECT" };
        outcome
            .effects
            .push(request("websocat", target.clone(), method, payload, false));
    }
    outcome
}

/// What one websocat address is.
fn websocat_side(inv: &Invocation<'_>, word: &Arg, outcome: &mut Outcome) -> Side {
    let text = word.text.as_str();
    if matches!(text, "-" | "stdio:" | "inetd:") {
        return Side::Stdio;
    }
    // Overlays before the URL (`autoreconnect:wss://...`) keep its server.
    if let Some(at) = text.find("wss://").or_else(|| text.find("ws://")) {
        let prefix = text.get(..at).unwrap_or_default();
        if prefix.contains("-l:") || prefix.contains("-listen:") {
            return Side::Other;
        }
        return Side::Remote(url(text.get(at..).unwrap_or(text)));
    }
    let (kind, rest) = text.split_once(':').unwrap_or(("", text));
    match kind.to_ascii_lowercase().as_str() {
        "tcp" | "tcp-connect" | "connect-tcp" | "tcp4" | "tcp6" | "udp" | "udp-connect" => {
            let (host, port) = rest.rsplit_once(':').unwrap_or((rest, ""));
            Side::Remote(Target::Host {
                user: None,
                host: host.to_owned(),
                port: port.parse().ok(),
                path: None,
            })
        }
        "literal" => {
            let mut data = Payload::default();
            flow::push_text(&mut data, rest);
            flow::merge(&mut data, &word.expansions());
            Side::Source(data, false)
        }
        "readfile" | "open-async" | "open" => {
            let mut data = Payload::default();
            send_file(inv, &mut data, rest, false);
            flow::merge(&mut data, &word.expansions());
            Side::Source(data, false)
        }
        "sh-c" | "exec" | "cmd" => {
            if kind.eq_ignore_ascii_case("exec") {
                outcome.nested.push(Nested::Argv {
                    argv: rest.split_whitespace().map(Arg::literal).collect(),
                    env: Vec::new(),
                    cwd: None,
                });
            } else {
                outcome.nested.push(Nested::Script {
                    text: rest.to_owned(),
                    what: "websocat command address".to_owned(),
                });
            }
            Side::Source(Payload::default(), true)
        }
        "writefile" | "appendfile" => {
            outcome.write(inv.path(rest), kind.eq_ignore_ascii_case("appendfile"));
            Side::Other
        }
        _ => Side::Other,
    }
}

/// `wscat -c URL [-x MSG] [-H 'k: v'] [--auth user:pass]`: connects to
/// URL and sends `-x`'s message and the lines piped in; headers and the
/// login go with the handshake. `wscat -l PORT` listens.
fn wscat(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "lspocxwH",
            long: &[
                "listen",
                "subprotocol",
                "protocol",
                "origin",
                "host",
                "connect",
                "execute",
                "wait",
                "auth",
                "ca",
                "cert",
                "key",
                "proxy",
                "header",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let Some(target) = args::value(&items, &["-c", "--connect"]) else {
        return outcome;
    };
    let mut payload = Payload::default();
    for value in args::values(&items, &["-H", "--header", "--auth"]) {
        flow::merge(&mut payload, &value.payload());
    }
    let messages = args::values(&items, &["-x", "--execute"]);
    for message in &messages {
        flow::merge(&mut payload, &message.payload());
    }
    flow::merge(&mut payload, &target.expansions());
    let address = if target.text.contains("://") {
        target.text.clone()
    } else {
        format!("ws://{}", target.text)
    };
    let method = if messages.is_empty() && !inv.has_stdin {
        "CONNECT"
    } else {
        "SEND"
    };
    outcome
        .effects
        .push(request("wscat", url(&address), method, payload, false));
    outcome
}

/// curlie's methods (any case), before the URL.
const CURLIE_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"];

/// `curlie [CURL_OPTIONS] [METHOD] URL [ITEM...]` runs curl: the method
/// becomes `-X` (`HEAD`: `-I`), items `name:value` headers, `name==value`
/// query parameters and `name=value` / `name:=json` fields of a JSON body
/// (`-d`, so a POST), or form fields with `-F` (`-F name=@file` uploads
/// the file, as curl's own `-F`). Unlike HTTPie, a value starting with
/// `@` is text, not a file, and a word with no separator is another URL.
/// Standard input that is piped in is the body (`-d @-`) when no `-d` is
/// given. `--curl` only prints the curl command.
fn curlie(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: net::CURL_SHORT,
            long: net::CURL_LONG,
            stop_after: None,
        },
    );
    if args::has(&items, &["--curl"]) {
        return Outcome::default();
    }
    let form = args::has(&items, &["-F", "--form"]);
    let mut argv: Vec<Arg> = Vec::with_capacity(inv.args.len() + 2);
    for item in &items {
        if let Item::Opt { name, value } = item
            && name != "--pretty"
        {
            argv.push(Arg::literal(name));
            if let Some(value) = value {
                argv.push(value.as_ref().clone());
            }
        }
    }
    let mut positional = args::positionals(&items).into_iter().peekable();
    if let Some(method) = positional.next_if(|w| {
        let upper = w.text.to_ascii_uppercase();
        CURLIE_METHODS.contains(&upper.as_str()) || upper == "HEAD"
    }) {
        let upper = method.text.to_ascii_uppercase();
        if upper == "HEAD" {
            argv.push(Arg::literal("-I"));
        } else {
            argv.push(Arg::literal("-X"));
            argv.push(Arg::literal(&upper));
        }
    }
    let Some(target) = positional.next() else {
        return Outcome::default();
    };
    let mut has_data = args::has(&items, &["-d"]);
    for word in positional {
        let option = match curlie_item(&word.text) {
            Some(CurlieItem::Header) => "-H",
            Some(CurlieItem::Query) => "--url-query",
            Some(CurlieItem::Field) if form => "-F",
            Some(CurlieItem::Field | CurlieItem::Json) => {
                has_data = true;
                "--data-raw"
            }
            None => {
                argv.push(word.clone());
                continue;
            }
        };
        argv.push(Arg::literal(option));
        argv.push(word.clone());
    }
    if inv.has_stdin && !has_data {
        argv.push(Arg::literal("-d"));
        argv.push(Arg::literal("@-"));
    }
    // `:3000/x` is localhost's port 3000.
    let target = match target.text.strip_prefix(':') {
        Some(rest) => target.with_text(&format!("localhost:{rest}")),
        None => target.clone(),
    };
    argv.push(target);
    let mut outcome = net::curl(&inv.with_args(&argv));
    for effect in &mut outcome.effects {
        if let crate::Effect::Request(request) = effect {
            request.program = "curlie".to_owned();
        }
    }
    outcome
}

/// `az rest --method M --url U [--body B] [--headers K=V ...]
/// [--uri-parameters K=V ...]`: the request curl would make with those
/// parts (a `@file` body is read as curl's is), signed in with the
/// account's token. The method is GET unless given, body or not.
fn az_rest(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args.get(1..).unwrap_or_default(),
        &Spec {
            short: "mubh",
            long: &[
                "method",
                "url",
                "uri",
                "body",
                "headers",
                "uri-parameters",
                "url-parameters",
                "resource",
                "output",
                "query",
                "output-file",
                "subscription",
            ],
            stop_after: None,
        },
    );
    let Some(target) = args::value(&items, &["--url", "--uri", "-u"]) else {
        return Outcome::default();
    };
    let method = args::value(&items, &["--method", "-m"])
        .map_or_else(|| "GET".to_owned(), |m| m.text.to_ascii_uppercase());
    let mut argv = vec![Arg::literal("-X"), Arg::literal(&method)];
    if let Some(body) = args::value(&items, &["--body", "-b"]) {
        argv.push(Arg::literal("--data-binary"));
        argv.push(body.clone());
    }
    // Headers and parameters are `KEY=VALUE` words or one JSON object.
    for header in args::values(&items, &["--headers", "-h"]) {
        argv.push(Arg::literal("-H"));
        argv.push(match header.text.split_once('=') {
            Some((name, value)) if !header.text.starts_with('{') => {
                header.with_text(&format!("{name}: {value}"))
            }
            _ => header.clone(),
        });
    }
    for parameter in args::values(&items, &["--uri-parameters", "--url-parameters"]) {
        argv.push(Arg::literal("--url-query"));
        argv.push(parameter.clone());
    }
    argv.push(target.clone());
    let mut outcome = net::curl(&inv.with_args(&argv));
    for effect in &mut outcome.effects {
        if let crate::Effect::Request(request) = effect {
            request.program = "az".to_owned();
        }
    }
    outcome
}

/// elasticdump's options that take a value (minimist reads `--name V` and
/// `--name=V` alike; the others are flags).
const ELASTICDUMP_VALUES: &[&str] = &[
    "input",
    "output",
    "input-index",
    "output-index",
    "type",
    "limit",
    "size",
    "offset",
    "direction",
    "match",
    "order",
    "parallel",
    "interval",
    "searchBody",
    "searchBodyTemplate",
    "headers",
    "httpAuthFile",
    "params",
    "transform",
    "prefix",
    "suffix",
    "fileSize",
    "maxSockets",
    "timeout",
    "concurrency",
    "concurrencyInterval",
    "intervalCap",
    "throttleInterval",
    "scrollId",
    "scrollTime",
    "retryAttempts",
    "retryDelay",
    "retryDelayBase",
    "templateRegex",
    "inputTransport",
    "outputTransport",
    "inputSocksProxy",
    "inputSocksPort",
    "outputSocksProxy",
    "outputSocksPort",
    "input-cert",
    "input-key",
    "input-pass",
    "input-ca",
    "output-cert",
    "output-key",
    "output-pass",
    "output-ca",
    "awsAccessKeyId",
    "awsSecretAccessKey",
    "awsIniFileProfile",
    "awsIniFileName",
    "awsService",
    "awsRegion",
    "awsUrlRegex",
    "s3AccessKeyId",
    "s3SecretAccessKey",
    "s3Region",
    "s3Endpoint",
    "s3ACL",
    "s3StorageClass",
    "s3SSEKMSKeyId",
    "csvDelimiter",
    "csvConfigs",
    "csvCustomHeaders",
    "csvIdColumn",
    "csvIndexColumn",
    "csvTypeColumn",
    "csvParentColumn",
    "csvRoutingColumn",
    "big-int-fields",
    "versionType",
];

/// One side of an elasticdump copy.
enum DumpEnd {
    /// Standard input or output (`$`).
    Stdio,
    /// A server or bucket (`http(s)://HOST/INDEX`, `s3://B/K`).
    Remote(String),
    /// A file, or a directory of them (`multielasticdump`).
    Local(String),
}

fn dump_end(inv: &Invocation<'_>, text: &str) -> DumpEnd {
    if text == "$" {
        return DumpEnd::Stdio;
    }
    // `csv:///abs/file.csv` and `csv://./rel.csv` are files.
    if let Some(path) = text.strip_prefix("csv://") {
        return DumpEnd::Local(inv.path(path));
    }
    if text.contains("://") {
        DumpEnd::Remote(text.to_owned())
    } else {
        DumpEnd::Local(inv.path(text))
    }
}

/// `elasticdump --input=SRC --output=DST [OPTS]` (and `multielasticdump`,
/// whose local side is a directory of dumps): SRC is read, a server or
/// bucket with a `GET` carrying the credentials the line gives
/// (`--headers`, `--httpAuthFile`), a file from disk, `$` from standard
/// input; what was read goes to DST, a server or bucket as an upload to
/// its host (the records, with the same credentials), a file written
/// holding it, or `$` standard output.
fn elasticdump(inv: &Invocation<'_>) -> Outcome {
    let items = args::long_options(inv.args, ELASTICDUMP_VALUES, OptionsEnd::DoubleDash, "--");
    let mut outcome = Outcome::default();
    let recursive = inv.program == "multielasticdump";
    let mut login = Payload::default();
    for header in args::values(&items, &["--headers"]) {
        flow::merge(&mut login, &header.payload());
    }
    for file in args::values(&items, &["--httpAuthFile"]) {
        outcome.read(inv.path(&file.text), false);
        send_file(inv, &mut login, &file.text, false);
    }
    let mut carried = Payload::default();
    if let Some(input) = args::value(&items, &["--input"]) {
        flow::merge(&mut carried, &input.expansions());
        match dump_end(inv, &input.text) {
            DumpEnd::Stdio => flow::merge(&mut carried, inv.stdin),
            DumpEnd::Remote(source) => {
                let mut query = login.clone();
                for body in args::values(&items, &["--searchBody"]) {
                    flow::merge(&mut query, &body.payload());
                }
                outcome
                    .effects
                    .push(request(inv.program, url(&source), "GET", query, false));
                flow::push_text(&mut carried, &source);
            }
            DumpEnd::Local(path) => {
                outcome.read(path.clone(), recursive);
                flow::push_file(
                    &mut carried,
                    FileRef {
                        path,
                        recursive,
                        excludes: Vec::new(),
                    },
                );
            }
        }
    }
    let Some(output) = args::value(&items, &["--output"]) else {
        return outcome;
    };
    match dump_end(inv, &output.text) {
        DumpEnd::Stdio => outcome.stdout = Some(carried),
        DumpEnd::Remote(destination) => {
            let mut payload = carried;
            flow::merge(&mut payload, &login);
            flow::merge(&mut payload, &output.expansions());
            outcome.effects.push(request(
                inv.program,
                url(&destination),
                "UPLOAD",
                payload,
                false,
            ));
            outcome.stdout.get_or_insert_with(Payload::default);
        }
        DumpEnd::Local(path) => {
            outcome.contents.push((path.clone(), carried));
            outcome.write(path, false);
            outcome.stdout.get_or_insert_with(Payload::default);
        }
    }
    outcome
}

/// What a curlie item is, by its first `:` or `=`.
enum CurlieItem {
    Header,
    Json,
    Query,
    Field,
}

fn curlie_item(text: &str) -> Option<CurlieItem> {
    let at = text.find([':', '='])?;
    let next = text.as_bytes().get(at + 1).copied();
    Some(match (text.as_bytes().get(at).copied(), next) {
        (Some(b':'), Some(b'=')) => CurlieItem::Json,
        (Some(b':'), _) => CurlieItem::Header,
        (_, Some(b'=')) => CurlieItem::Query,
        _ => CurlieItem::Field,
    })
}
