//! Network clients: curl, wget, httpie, nc, telnet, socat, ssh, scp, rsync
//! (`net/rsync.rs`), file-transfer sessions (`net/session.rs`: sftp, ftp,
//! lftp, smbclient), and network mounts; curl's configuration files
//! (`net/curl_config.rs`).

mod curl_config;
mod rsync;
mod session;
mod ssh_config;

use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Payload, Target, flow, paths};

pub(crate) use crate::commands::Lookup;

/// A transfer whose commands or file list are in a file written earlier
/// (`sftp -b FILE`, `lftp -f FILE`, `rsync --files-from=FILE`) is read
/// again with that file's text, which the first reading did not have; an
/// ssh-based client's hosts are then resolved by an ssh configuration file
/// written earlier (`net/ssh_config.rs`). So is a curl request whose
/// options are in a configuration file written earlier (`curl -K FILE`).
pub(crate) fn written_transfer_lists(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    let again = match inv.program {
        "sftp" | "ftp" | "lftp" | "smbclient" => session::from_written(inv, text_of),
        "rsync" => rsync::from_written(inv, text_of),
        "curl" => curl_config::from_written(inv, text_of),
        _ => None,
    };
    if let Some(again) = again {
        *outcome = again;
    }
    ssh_config::apply(inv, outcome, text_of);
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "curl" => curl(inv),
        "wget" => wget(inv),
        "aria2c" | "axel" => downloader(inv),
        "http" | "https" | "xh" | "xhs" => httpie(inv),
        "nc" | "ncat" | "netcat" => nc(inv),
        "telnet" => telnet(inv),
        "socat" => socat(inv),
        "ssh" => ssh(inv),
        "scp" => scp(inv),
        "ascp" | "ascp4" => ascp(inv),
        "sftp" | "ftp" | "lftp" | "smbclient" => session::batch_transfer(inv, &|_| None),
        "rsync" => rsync::rsync(inv, &|_| None),
        "mount" | "mount.cifs" | "mount.smb3" | "mount.nfs" | "mount.nfs4" => return mount(inv),
        "dig" | "nslookup" | "host" | "drill" | "ping" | "ping6" | "traceroute" | "tracepath"
        | "mtr" | "whois" => name_lookups(inv),
        _ => return None,
    })
}

/// Adds a word sent as text.
fn send_text(payload: &mut Payload, word: &Arg) {
    flow::merge(payload, &word.payload());
}

/// Adds `word`'s expansions only (its text is a file name or a URL).
fn send_expansions(payload: &mut Payload, word: &Arg) {
    flow::merge(payload, &word.expansions());
}

/// A URL with a scheme (`example.com/x` means `http://example.com/x`).
fn with_scheme(text: &str, scheme: &str) -> String {
    if text.contains("://") {
        text.to_owned()
    } else {
        format!("{scheme}://{text}")
    }
}

/// Adds a URL's query string (the text after `?`) to a payload.
fn send_query(payload: &mut Payload, url_text: &str) {
    if let Some((_, query)) = url_text.split_once('?') {
        let query = query.split('#').next().unwrap_or_default();
        flow::push_text(payload, query);
    }
}

pub(super) const CURL_SHORT: &str = "dFHXTuoeAbcKmxUwrEyYzCDPQt";
pub(super) const CURL_LONG: &[&str] = &[
    "data",
    "data-ascii",
    "data-binary",
    "data-raw",
    "data-urlencode",
    "json",
    "form",
    "form-string",
    "header",
    "request",
    "upload-file",
    "user",
    "output",
    "url",
    "referer",
    "user-agent",
    "cookie",
    "cookie-jar",
    "config",
    "max-time",
    "connect-timeout",
    "proxy",
    "proxy-user",
    "write-out",
    "range",
    "cert",
    "key",
    "cacert",
    "capath",
    "retry",
    "retry-delay",
    "retry-max-time",
    "resolve",
    "connect-to",
    "interface",
    "limit-rate",
    "dump-header",
    "oauth2-bearer",
    "unix-socket",
    "abstract-unix-socket",
    "variable",
    "aws-sigv4",
    "output-dir",
    "trace",
    "trace-ascii",
    "stderr",
    "local-port",
    "max-filesize",
    "max-redirs",
    "noproxy",
    "pass",
    "pinnedpubkey",
    "proto",
    "proto-redir",
    "quote",
    "request-target",
    "socks5",
    "socks5-hostname",
    "mail-from",
    "mail-rcpt",
    "ciphers",
    "cert-type",
    "key-type",
    "proxy-header",
    "expect100-timeout",
    "keepalive-time",
    "dns-servers",
    "preproxy",
    "tls-max",
    "url-query",
];

/// Also curlie's requests, once its HTTPie-style items are curl options.
pub(super) fn curl(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: CURL_SHORT,
            long: CURL_LONG,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut urls: Vec<&Arg> = Vec::new();
    let mut recipients: Vec<String> = Vec::new();
    let (mut has_data, mut upload, mut head, mut get) = (false, false, false, false);
    let mut method: Option<String> = None;
    let mut remote_name = false;
    let mut saved = false;
    for item in &items {
        let Item::Opt { name, value } = item else {
            if let Item::Pos(word) = item {
                urls.push(word);
            }
            continue;
        };
        match (name.as_ref(), value) {
            ("-d" | "--data" | "--data-ascii" | "--data-binary" | "--json", Some(v)) => {
                has_data = true;
                curl_data(inv, &mut payload, v);
            }
            ("--data-raw" | "--form-string", Some(v)) => {
                has_data = true;
                send_text(&mut payload, v);
            }
            ("--data-urlencode", Some(v)) => {
                has_data = true;
                curl_urlencode(inv, &mut payload, v);
            }
            ("--url-query", Some(v)) => curl_urlencode(inv, &mut payload, v),
            ("-F" | "--form", Some(v)) => {
                has_data = true;
                curl_form(inv, &mut payload, v);
            }
            ("-T" | "--upload-file", Some(v)) => {
                upload = true;
                if v.text != "." {
                    send_file(inv, &mut payload, &v.text, false);
                }
                send_expansions(&mut payload, v);
            }
            ("-H" | "--header" | "--proxy-header", Some(v)) => match v.text.strip_prefix('@') {
                Some(file) => send_file(inv, &mut payload, file, false),
                None => send_text(&mut payload, v),
            },
            ("--mail-rcpt", Some(v)) => {
                recipients.push(v.text.trim_matches(['<', '>']).to_owned());
                send_text(&mut payload, v);
            }
            (
                "-u" | "--user" | "--oauth2-bearer" | "--mail-from" | "--variable" | "-A"
                | "--user-agent" | "-e" | "--referer",
                Some(v),
            ) => send_text(&mut payload, v),
            ("-b" | "--cookie", Some(v)) => {
                if v.text.contains('=') {
                    send_text(&mut payload, v);
                } else {
                    send_file(inv, &mut payload, &v.text, false);
                }
            }
            ("-X" | "--request", Some(v)) => method = Some(v.text.to_ascii_uppercase()),
            ("-I" | "--head", _) => head = true,
            ("-G" | "--get", _) => get = true,
            ("--url", Some(v)) => urls.push(v),
            (
                "-o" | "--output" | "-c" | "--cookie-jar" | "-D" | "--dump-header" | "--trace"
                | "--trace-ascii",
                Some(v),
            ) if v.text != "-" => {
                saved |= matches!(name.as_ref(), "-o" | "--output");
                outcome.write(inv.path(&v.text), false);
            }
            ("-O" | "--remote-name", _) => remote_name = true,
            ("-K" | "--config", Some(v)) => outcome.read(inv.path(&v.text), false),
            _ => {}
        }
    }
    let method = method.unwrap_or_else(|| {
        let verb = if head {
            "HEAD"
        } else if get {
            "GET"
        } else if upload {
            "PUT"
        } else if has_data {
            "POST"
        } else {
            "GET"
        };
        verb.to_owned()
    });
    // A path (`/dev/fd/63` of `curl <(cmd)`) has no host: curl rejects it.
    for word in urls.into_iter().filter(|w| !w.text.starts_with('/')) {
        let target = with_scheme(&word.text, "http");
        let mut sent = payload.clone();
        send_query(&mut sent, &word.text);
        send_expansions(&mut sent, word);
        let lower = target.to_ascii_lowercase();
        if (lower.starts_with("smtp://") || lower.starts_with("smtps://")) && !recipients.is_empty()
        {
            // Mail through an SMTP server: the message goes to its
            // recipients, whoever runs the relay.
            outcome.effects.push(Effect::Message(crate::Message {
                program: "curl".to_owned(),
                recipients: recipients.clone(),
                payload: sent,
            }));
            continue;
        }
        if remote_name {
            outcome.write(
                inv.path(url_file_name(&target).unwrap_or("index.html")),
                false,
            );
        }
        let effect = request("curl", url(&target), &method, sent, false);
        // A local file fetched (`file:///p`) is printed unless saved.
        if let Effect::Read { file } = &effect
            && !remote_name
            && !saved
        {
            flow::push_file(&mut outcome.prints, file.clone());
        }
        outcome.effects.push(effect);
    }
    outcome
}

/// `-d`: `@file`, `@-` (stdin) or text.
fn curl_data(inv: &Invocation<'_>, payload: &mut Payload, value: &Arg) {
    match value.text.strip_prefix('@') {
        Some(file) => {
            send_file(inv, payload, file, false);
            send_expansions(payload, value);
        }
        None => send_text(payload, value),
    }
}

/// `--data-urlencode`: `content`, `=content`, `name=content`, `@file`, `name@file`.
fn curl_urlencode(inv: &Invocation<'_>, payload: &mut Payload, value: &Arg) {
    let text = value.text.as_str();
    let at = text.find('@');
    let eq = text.find('=');
    match (at, eq) {
        (Some(a), Some(e)) if a < e => curl_urlencode_file(inv, payload, value, a),
        (Some(a), None) => curl_urlencode_file(inv, payload, value, a),
        _ => send_text(payload, value),
    }
}

fn curl_urlencode_file(inv: &Invocation<'_>, payload: &mut Payload, value: &Arg, at: usize) {
    let file = value.text.get(at + 1..).unwrap_or_default();
    send_file(inv, payload, file, false);
    send_expansions(payload, value);
}

/// `-F`: `name=@file;type=...`, `name=<file`, or `name=value`.
fn curl_form(inv: &Invocation<'_>, payload: &mut Payload, value: &Arg) {
    let content = value.text.split_once('=').map_or("", |(_, c)| c);
    let file = content
        .strip_prefix('@')
        .or_else(|| content.strip_prefix('<'));
    match file {
        Some(file) => {
            let file = file.split(';').next().unwrap_or_default();
            let file = file.trim_matches('"');
            send_file(inv, payload, file, false);
            send_expansions(payload, value);
        }
        None => send_text(payload, value),
    }
}

/// The last path segment of a URL, for `curl -O` and wget's default output.
fn url_file_name(target: &str) -> Option<&str> {
    let without_scheme = target.split_once("://").map_or(target, |(_, rest)| rest);
    let path = without_scheme.split(['?', '#']).next().unwrap_or_default();
    let (_, path) = path.split_once('/')?;
    path.rsplit('/').next().filter(|name| !name.is_empty())
}

const WGET_SHORT: &str = "OoaiPUtTwelARDIXQB";
const WGET_LONG: &[&str] = &[
    "post-data",
    "post-file",
    "body-data",
    "body-file",
    "method",
    "header",
    "user",
    "password",
    "http-user",
    "http-password",
    "output-document",
    "output-file",
    "append-output",
    "directory-prefix",
    "user-agent",
    "input-file",
    "tries",
    "timeout",
    "load-cookies",
    "save-cookies",
    "referer",
    "execute",
    "level",
    "accept",
    "reject",
    "domains",
    "include-directories",
    "exclude-directories",
    "quota",
    "base",
    "ftp-user",
    "ftp-password",
    "proxy-user",
    "proxy-password",
];

fn wget(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: WGET_SHORT,
            long: WGET_LONG,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut method: Option<String> = None;
    let mut has_body = false;
    let mut output: Option<&Arg> = None;
    let mut prefix: Option<&Arg> = None;
    for (name, v) in args::options(&items) {
        match name {
            "--post-data" | "--body-data" => {
                has_body = true;
                send_text(&mut payload, v);
            }
            "--post-file" | "--body-file" => {
                has_body = true;
                send_file(inv, &mut payload, &v.text, false);
                send_expansions(&mut payload, v);
            }
            "--header" | "--user" | "--password" | "--http-user" | "--http-password"
            | "--ftp-user" | "--ftp-password" => send_text(&mut payload, v),
            "--method" => method = Some(v.text.to_ascii_uppercase()),
            "-O" | "--output-document" => output = Some(v),
            "-P" | "--directory-prefix" => prefix = Some(v),
            "-o" | "--output-file" | "-a" | "--append-output" | "--save-cookies" => {
                outcome.write(inv.path(&v.text), false)
            }
            "-i" | "--input-file" | "--load-cookies" => outcome.read(inv.path(&v.text), false),
            _ => {}
        }
    }
    let method = method.unwrap_or_else(|| if has_body { "POST" } else { "GET" }.to_owned());
    for word in args::positionals(&items) {
        let target = with_scheme(&word.text, "http");
        match output {
            Some(out) if out.text == "-" => {}
            Some(out) => outcome.write(inv.path(&out.text), false),
            None => {
                let dir = prefix.map_or_else(|| inv.cwd.to_owned(), |p| inv.path(&p.text));
                let name = url_file_name(&target).unwrap_or("index.html");
                outcome.write(paths::resolve(&dir, inv.home, name), false);
            }
        }
        let mut sent = payload.clone();
        send_query(&mut sent, &word.text);
        send_expansions(&mut sent, word);
        outcome
            .effects
            .push(request("wget", url(&target), &method, sent, false));
    }
    outcome
}

/// Downloaders (`aria2c`, `axel`): a GET of each URL, whose headers and
/// credentials (`--header`, `--http-user`, `--http-passwd`) go with it,
/// into the output file or directory.
fn downloader(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "odHinsx",
            long: &[
                "header",
                "http-user",
                "http-passwd",
                "ftp-user",
                "ftp-passwd",
                "out",
                "output",
                "dir",
                "input-file",
                "max-connection-per-server",
                "split",
                "user-agent",
                "load-cookies",
                "referer",
                "checksum",
                "num-connections",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut dir = inv.cwd.to_owned();
    let mut output = None;
    for (name, v) in args::options(&items) {
        match name {
            "--header" | "-H" | "--http-user" | "--http-passwd" | "--ftp-user" | "--ftp-passwd" => {
                send_text(&mut payload, v)
            }
            "-o" | "--out" | "--output" => output = Some(v),
            "-d" | "--dir" => dir = inv.path(&v.text),
            "-i" | "--input-file" | "--load-cookies" => outcome.read(inv.path(&v.text), false),
            _ => {}
        }
    }
    for word in args::positionals(&items) {
        let target = with_scheme(&word.text, "http");
        let name = output
            .map(|o| o.text.as_str())
            .or_else(|| url_file_name(&target))
            .unwrap_or("index.html");
        outcome.write(paths::resolve(&dir, inv.home, name), false);
        let mut sent = payload.clone();
        send_query(&mut sent, &word.text);
        send_expansions(&mut sent, word);
        outcome
            .effects
            .push(request(inv.program, url(&target), "GET", sent, false));
    }
    outcome
}

const HTTPIE_SHORT: &str = "aAopsS";
const HTTPIE_LONG: &[&str] = &[
    "auth",
    "auth-type",
    "output",
    "session",
    "session-read-only",
    "print",
    "verify",
    "proxy",
    "cert",
    "cert-key",
    "pretty",
    "style",
    "format-options",
    "timeout",
    "max-redirects",
    "boundary",
    "default-scheme",
    "raw",
    "ssl",
    "ciphers",
];

/// httpie items, by separator; the earliest wins, then the longest.
const HTTPIE_SEPARATORS: &[&str] = &[":=@", "=@", "==", ":=", "@", "=", ":"];

fn httpie(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: HTTPIE_SHORT,
            long: HTTPIE_LONG,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut has_body = inv.has_stdin && !args::has(&items, &["-I", "--ignore-stdin"]);
    if let Some(raw) = args::value(&items, &["--raw"]) {
        has_body = true;
        send_text(&mut payload, raw);
    }
    if let Some(auth) = args::value(&items, &["-a", "--auth"]) {
        send_text(&mut payload, auth);
    }
    if let Some(out) = args::value(&items, &["-o", "--output"]) {
        outcome.write(inv.path(&out.text), false);
    }
    let mut positional = args::positionals(&items).into_iter().peekable();
    let explicit_method = positional
        .next_if(|w| !w.text.is_empty() && w.text.chars().all(|c| c.is_ascii_uppercase()))
        .map(|w| w.text.clone());
    let Some(target_word) = positional.next() else {
        return outcome;
    };
    for word in positional {
        has_body |= httpie_item(inv, &mut payload, word);
    }
    let scheme = if matches!(inv.program, "https" | "xhs") {
        "https"
    } else {
        "http"
    };
    let target = match target_word.text.strip_prefix(':') {
        Some(rest) => format!("{scheme}://localhost:{rest}"),
        None => with_scheme(&target_word.text, scheme),
    };
    send_query(&mut payload, &target_word.text);
    send_expansions(&mut payload, target_word);
    let method =
        explicit_method.unwrap_or_else(|| if has_body { "POST" } else { "GET" }.to_owned());
    outcome
        .effects
        .push(request(inv.program, url(&target), &method, payload, false));
    outcome
}

/// Adds one `key=value`-style item; true when it makes a request body.
fn httpie_item(inv: &Invocation<'_>, payload: &mut Payload, word: &Arg) -> bool {
    let text = word.text.as_str();
    if let Some(file) = text.strip_prefix('@') {
        send_file(inv, payload, file, false);
        return true;
    }
    let found = HTTPIE_SEPARATORS
        .iter()
        .filter_map(|sep| text.find(sep).map(|index| (index, *sep)))
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())));
    let Some((index, separator)) = found else {
        send_text(payload, word);
        return false;
    };
    match separator {
        ":=@" | "=@" | "@" => {
            let file = text.get(index + separator.len()..).unwrap_or_default();
            send_file(inv, payload, file, false);
            send_expansions(payload, word);
            true
        }
        "=" | ":=" => {
            send_text(payload, word);
            true
        }
        _ => {
            send_text(payload, word);
            false
        }
    }
}

/// A host target.
fn host_target(
    user: Option<String>,
    host: &str,
    port: Option<u16>,
    path: Option<String>,
) -> Target {
    Target::Host {
        user,
        host: host.to_owned(),
        port,
        path,
    }
}

fn nc(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "psiwqxXeIOTVWco",
        long: &[
            "exec",
            "sh-exec",
            "lua-exec",
            "source-port",
            "source",
            "wait",
            "idle-timeout",
            "proxy",
            "proxy-type",
            "proxy-auth",
            "output",
            "hex-dump",
            "allow",
            "deny",
            "allowfile",
            "denyfile",
            "max-conns",
        ],
        stop_after: None,
    };
    let items = args::parse(inv.args, &spec);
    let mut outcome = Outcome::default();
    if let Some(exec) = args::value(&items, &["-e", "-c", "--exec", "--sh-exec", "--lua-exec"]) {
        outcome.opaque.push(format!(
            "{} runs a program for the connection: {}",
            inv.program, exec.text
        ));
    }
    if let Some(out) = args::value(&items, &["-o", "--output"]) {
        outcome.write(inv.path(&out.text), false);
    }
    // Listening receives; `-z` only checks that the port answers.
    if args::has(&items, &["-l", "--listen", "-z", "--zero"]) {
        return outcome;
    }
    let positional = args::positionals(&items);
    if let Some(host) = positional.first() {
        let port = positional.get(1).and_then(|p| p.text.parse::<u16>().ok());
        let mut payload = Payload::default();
        send_expansions(&mut payload, host);
        outcome.effects.push(request(
            inv.program,
            host_target(None, &host.text, port, None),
            "SEND",
            payload,
            false,
        ));
    }
    outcome
}

fn telnet(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "lenbX",
            ..Spec::default()
        },
    );
    let positional = args::positionals(&items);
    let mut outcome = Outcome::default();
    if let Some(host) = positional.first() {
        let port = positional.get(1).and_then(|p| p.text.parse::<u16>().ok());
        outcome.effects.push(request(
            "telnet",
            host_target(None, &host.text, port, None),
            "SEND",
            Payload::default(),
            false,
        ));
    }
    outcome
}

/// socat address types that reach a host: `TYPE:HOST:PORT`.
const SOCAT_NETWORK_ADDRESSES: &[&str] = &[
    "TCP",
    "TCP4",
    "TCP6",
    "TCP-CONNECT",
    "TCP4-CONNECT",
    "TCP6-CONNECT",
    "OPENSSL",
    "OPENSSL-CONNECT",
    "SSL",
    "UDP",
    "UDP4",
    "UDP6",
    "UDP-SENDTO",
    "UDP-CONNECT",
    "UDP4-CONNECT",
    "UDP6-CONNECT",
    "UDP4-SENDTO",
    "UDP6-SENDTO",
    "UDP-DATAGRAM",
    "UDP4-DATAGRAM",
    "UDP6-DATAGRAM",
    "SCTP-CONNECT",
    "SCTP4-CONNECT",
    "SCTP6-CONNECT",
    "DCCP-CONNECT",
    "OPENSSL-DTLS-CLIENT",
    "DTLS",
    "SOCKS4",
    "SOCKS4A",
    "SOCKS5",
    "SOCKS5-CONNECT",
    "PROXY",
    "PROXY-CONNECT",
];

/// `socat ADDR ADDR`: network addresses are targets, file addresses payload.
fn socat(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "bTtl",
            ..Spec::default()
        },
    );
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut targets: Vec<Target> = Vec::new();
    for address in args::positionals(&items) {
        let text = address.text.as_str();
        let (kind, rest) = text.split_once(':').unwrap_or(("", text));
        let kind = kind.to_ascii_uppercase();
        let rest = rest.split(',').next().unwrap_or_default();
        match kind.as_str() {
            kind if SOCAT_NETWORK_ADDRESSES.contains(&kind) => {
                let (host, port) = rest.rsplit_once(':').unwrap_or((rest, ""));
                targets.push(host_target(None, host, port.parse().ok(), None));
            }
            "FILE" | "OPEN" | "GOPEN" | "CREATE" => send_file(inv, &mut payload, rest, false),
            "EXEC" | "SYSTEM" => outcome.opaque.push(format!("socat runs: {rest}")),
            "" if text.contains('/') => send_file(inv, &mut payload, text, false),
            _ => {}
        }
    }
    for target in targets {
        outcome
            .effects
            .push(request("socat", target, "SEND", payload.clone(), false));
    }
    outcome
}

/// `[user@]host`, split.
fn user_host(text: &str) -> (Option<String>, &str) {
    match text.rsplit_once('@') {
        Some((user, host)) => (Some(user.to_owned()), host),
        None => (None, text),
    }
}

/// `scheme://[user@]host[:port][/path]`.
fn parse_url_host(rest: &str) -> (Option<String>, String, Option<u16>, Option<String>) {
    let (authority, path) = match rest.split_once('/') {
        Some((a, p)) => (a, Some(format!("/{p}"))),
        None => (rest, None),
    };
    let (user, host_port) = user_host(authority);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()),
        None => (host_port, None),
    };
    (user, host.to_owned(), port, path)
}

fn ssh(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "bcDEeFIiJLlmOopQRSWwB",
        stop_after: Some(1),
        ..Spec::default()
    };
    let items = args::parse(inv.args, &spec);
    let mut outcome = Outcome::default();
    let positional = args::positionals(&items);
    let Some((destination, command)) = positional.split_first() else {
        return outcome;
    };
    let (mut user, host, mut port) = match destination.text.strip_prefix("ssh://") {
        Some(rest) => {
            let (user, host, port, _) = parse_url_host(rest);
            (user, host, port)
        }
        None => {
            let (user, host) = user_host(&destination.text);
            (user, host.to_owned(), None)
        }
    };
    if let Some(login) = args::value(&items, &["-l"]) {
        user = Some(login.text.clone());
    }
    if let Some(p) = args::value(&items, &["-p"]) {
        port = p.text.parse().ok();
    }
    let mut payload = Payload::default();
    for (name, v) in args::options(&items) {
        if matches!(name, "-L" | "-R" | "-D") {
            flow::push_text(&mut payload, &format!("{name} {}", v.text));
        }
    }
    for (keyword, text) in ssh_local_commands(&args::values(&items, &["-o"])) {
        outcome.nested.push(Nested::Script {
            text,
            what: format!("ssh {keyword}"),
        });
    }
    let remote: Vec<&str> = command.iter().map(|w| w.text.as_str()).collect();
    // A login with no remote command, no forwarded port and nothing piped
    // in (`ssh -T git@github.com`, the check that a key works) sends
    // nothing and runs nothing there: a connection, not a write.
    let login_only = remote.is_empty() && payload.text.is_empty() && !inv.has_stdin;
    flow::push_text(&mut payload, &remote.join(" "));
    for word in command {
        send_expansions(&mut payload, word);
    }
    outcome.effects.push(request(
        "ssh",
        host_target(user, &host, port, None),
        if login_only { "CONNECT" } else { "EXEC" },
        payload,
        false,
    ));
    // The remote command is shell text the host's shell runs, from the
    // login's home, reading what is piped to ssh; with no command, that
    // shell reads its script from standard input (`ssh host <<'EOF'`,
    // `ssh host < script.sh`). What it prints comes back as ssh's output.
    let argv = if !remote.is_empty() {
        vec![
            Arg::literal("sh"),
            Arg::literal("-c"),
            Arg::literal(&remote.join(" ")),
        ]
    } else if inv.has_stdin && !login_only {
        vec![Arg::literal("sh")]
    } else {
        return outcome;
    };
    outcome.nested.push(Nested::Remote {
        argv,
        hosts: vec![host],
        cwd: inv.home.to_owned(),
        stdin: true,
    });
    outcome
}

/// The commands ssh's `-o` options run on this machine: `ProxyCommand`,
/// and `LocalCommand` when `PermitLocalCommand` is `yes`. Keywords are
/// case-insensitive and end at `=` or a space; the first value given for
/// a keyword is the one ssh uses.
fn ssh_local_commands(options: &[&Arg]) -> Vec<(&'static str, String)> {
    let mut settings: Vec<(String, String)> = Vec::new();
    for option in options {
        let Some((keyword, value)) = option.text.trim_start().split_once(['=', ' ', '\t']) else {
            continue;
        };
        let keyword = keyword.to_ascii_lowercase();
        if !settings.iter().any(|(k, _)| *k == keyword) {
            let value = value.trim_start_matches(['=', ' ', '\t']).trim_end();
            settings.push((keyword, value.to_owned()));
        }
    }
    let setting = |name: &str| {
        settings
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut commands = Vec::new();
    if let Some(command) = setting("proxycommand").filter(|c| !c.eq_ignore_ascii_case("none")) {
        commands.push(("ProxyCommand", command));
    }
    let permitted = setting("permitlocalcommand").is_some_and(|v| v.eq_ignore_ascii_case("yes"));
    if let Some(command) = setting("localcommand").filter(|_| permitted) {
        commands.push(("LocalCommand", command));
    }
    commands
}

/// A remote location of scp/rsync: `[user@]host:path`, `host::module`, URLs.
#[derive(Debug)]
enum Location {
    Local,
    Remote(Target),
}

fn location(text: &str, port: Option<u16>) -> Location {
    for scheme in ["scp://", "sftp://", "ssh://"] {
        if let Some(rest) = text.strip_prefix(scheme) {
            let (user, host, url_port, path) = parse_url_host(rest);
            return Location::Remote(host_target(user, &host, url_port.or(port), path));
        }
    }
    if text.starts_with("rsync://") {
        return Location::Remote(url(text));
    }
    let Some((before, after)) = text.split_once(':') else {
        return Location::Local;
    };
    if before.is_empty() || before.contains('/') {
        return Location::Local;
    }
    let (user, host) = user_host(before);
    let path = after.strip_prefix(':').unwrap_or(after);
    let path = (!path.is_empty()).then(|| path.to_owned());
    Location::Remote(host_target(user, host, port, path))
}

/// A remote location as scp and rsync write it (`[user@]host:path`,
/// `sftp://...`); `None` for a local path.
pub(super) fn scp_remote(text: &str) -> Option<Target> {
    match location(text, None) {
        Location::Remote(target) => Some(target),
        Location::Local => None,
    }
}

/// `mount [-t cifs] //HOST/SHARE DIR -o username=U,password=P`
/// (`mount.cifs`, `mount.smb3`): a connection to HOST that logs in with
/// the options' password (or `user=U%P`, or a `credentials=FILE`), so
/// those are sent there. A mount of anything else is left to the walk.
fn mount(inv: &Invocation<'_>) -> Option<Outcome> {
    let spec = Spec {
        short: "toOLUT",
        long: &[
            "types", "options", "label", "uuid", "fstab", "target", "source",
        ],
        stop_after: None,
    };
    let items = args::parse(inv.args, &spec);
    let positionals = args::positionals(&items);
    let nfs = matches!(inv.program, "mount.nfs" | "mount.nfs4")
        || args::value(&items, &["-t", "--types"]).is_some_and(|t| t.text.starts_with("nfs"));
    if nfs {
        // `mount -t nfs HOST:/EXPORT DIR`: the export is mounted at DIR.
        let mut outcome = Outcome::default();
        if let [export, mount_point, ..] = positionals.as_slice()
            && let Some((host, path)) = export.text.split_once(':')
            && !host.is_empty()
        {
            let url = format!("nfs://{host}/{}", path.trim_start_matches('/'));
            outcome
                .effects
                .push(super::mounts::mounted(inv, mount_point, url));
        }
        return Some(outcome);
    }
    let (at, target) = positionals
        .iter()
        .enumerate()
        .find_map(|(i, a)| paths::file_share(&a.text).map(|t| (i, t)))?;
    let mut login = Payload::default();
    for options in args::values(&items, &["-o", "--options"]) {
        for option in options.text.split(',') {
            let (key, value) = option.split_once('=').unwrap_or((option, ""));
            match key {
                "password" | "pass" => flow::push_text(&mut login, value),
                "username" | "user" if value.contains('%') => flow::push_text(&mut login, value),
                "credentials" | "cred" => send_file(inv, &mut login, value, false),
                _ => {}
            }
        }
        send_expansions(&mut login, options);
    }
    let mut outcome = Outcome::default();
    if let (Some(mount_point), Target::Host { host, path, .. }) = (positionals.get(at + 1), &target)
    {
        let url = format!("smb://{host}{}", path.as_deref().unwrap_or("/"));
        outcome
            .effects
            .push(super::mounts::mounted(inv, mount_point, url));
    }
    outcome
        .effects
        .push(request(inv.program, target, "CONNECT", login, false));
    Some(outcome)
}

fn scp(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cFiJloPSDX",
            ..Spec::default()
        },
    );
    let recursive = args::has(&items, &["-r"]);
    let port = args::value(&items, &["-P"]).and_then(|p| p.text.parse().ok());
    transfer(
        inv,
        "scp",
        &args::positionals(&items),
        port,
        recursive,
        false,
    )
}

/// IBM Aspera's `ascp [OPTIONS] SOURCE... [USER@]HOST:PATH`: copies as
/// scp does (a remote source is fetched), always recursively; `-P` is the
/// SSH port, `--host`/`--user` name the remote side for bare paths.
fn ascp(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ilmkPOcCEfgGLRSuXZ",
            long: &[
                "host",
                "user",
                "mode",
                "file-list",
                "file-pair-list",
                "file-manifest",
                "file-manifest-path",
                "policy",
                "tags",
                "src-base",
                "overwrite",
                "save-before-overwrite",
                "preserve-file-owner-uid",
                "partial-file-suffix",
                "apply-local-docroot",
                "move-after-transfer",
                "proxy",
                "keepalive",
                "retry-timeout",
            ],
            stop_after: None,
        },
    );
    let port = args::value(&items, &["-P"]).and_then(|p| p.text.parse().ok());
    let mut outcome = Outcome::default();
    // `--file-list F`: the sources are listed in F.
    for list in args::values(&items, &["--file-list", "--file-pair-list"]) {
        outcome.read(inv.path(&list.text), false);
    }
    let host = args::value(&items, &["--host"]).map(|h| h.text.clone());
    let user = args::value(&items, &["--user"]).map(|u| u.text.clone());
    let mut positional: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    // `--host H --mode send SRC... DEST`: DEST is on H.
    if let Some(host) = host {
        let sends = args::value(&items, &["--mode"]).is_none_or(|m| m.text == "send");
        let remote = |arg: &Arg| {
            let at = user.as_ref().map(|u| format!("{u}@")).unwrap_or_default();
            arg.with_text(&format!("{at}{host}:{}", arg.text))
        };
        if sends {
            if let Some(last) = positional.last_mut() {
                *last = remote(last);
            }
        } else if let Some((_, sources)) = positional.split_last_mut() {
            for source in sources {
                *source = remote(source);
            }
        }
    }
    let refs: Vec<&Arg> = positional.iter().collect();
    let copied = transfer(inv, "ascp", &refs, port, true, false);
    outcome.effects.extend(copied.effects);
    outcome.contents.extend(copied.contents);
    outcome
}

/// Copies between local paths and remote locations (scp, rsync).
fn transfer(
    inv: &Invocation<'_>,
    program: &str,
    positional: &[&Arg],
    port: Option<u16>,
    recursive: bool,
    delete: bool,
) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((destination, sources)) = positional.split_last() else {
        return outcome;
    };
    let destination_location = location(&destination.text, port);
    let mut payload = Payload::default();
    for source in sources {
        match location(&source.text, port) {
            Location::Local => {
                send_file(inv, &mut payload, &source.text, recursive);
                send_expansions(&mut payload, source);
            }
            Location::Remote(target) => {
                outcome.effects.push(request(
                    program,
                    target,
                    "DOWNLOAD",
                    Payload::default(),
                    false,
                ));
            }
        }
    }
    match destination_location {
        Location::Remote(target) => {
            if delete {
                outcome.effects.push(Effect::RemoteDelete {
                    target: target.clone(),
                    recursive: true,
                });
            }
            outcome
                .effects
                .push(request(program, target, "UPLOAD", payload, false));
        }
        Location::Local => {
            let path = inv.path(&destination.text);
            for file in &payload.files {
                outcome.read(file.path.clone(), file.recursive);
            }
            if delete {
                outcome.delete(path.clone(), true);
            }
            outcome.contents.push((path.clone(), payload));
            outcome.write(path, false);
        }
    }
    outcome
}

/// `dig NAME`, `ping NAME`, ...: a name built from data (`dig $(base64
/// .env).x.io`) carries that data to whoever answers for the name, as a
/// query string does; a literal name sends nothing.
fn name_lookups(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    for name in inv
        .args
        .iter()
        .filter(|a| !a.text.starts_with(['-', '+', '@']))
    {
        let payload = name.payload();
        if payload.files.is_empty()
            && payload.env.is_empty()
            && payload.credentials.is_empty()
            && !name.dynamic
        {
            continue;
        }
        // The literal tail names the zone that receives the query.
        let zone_start = name
            .text
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .map_or(0, |i| i + 1);
        let zone = name.text[zone_start..].trim_start_matches(['.', '-']);
        let host = if zone.is_empty() { &name.text } else { zone };
        outcome.effects.push(request(
            inv.program,
            Target::Host {
                user: None,
                host: host.to_owned(),
                port: None,
                path: None,
            },
            "LOOKUP",
            payload,
            false,
        ));
    }
    outcome
}
