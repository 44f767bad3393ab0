//! Tunnels that publish a local service at a public host (ngrok,
//! cloudflared, localtunnel, tailscale funnel, bore, zrok, Dev Tunnels),
//! and the local servers whose content such a tunnel then carries out
//! (`python3 -m http.server`, `serve`, `php -S`, busybox `httpd`, ...).
//!
//! A tunnel is reported as a send to the provider's host (or the host it
//! is given): it opens an endpoint there and relays whatever the local
//! service answers. It notes the local port it publishes, and a server
//! started on the same line notes the port it serves and the directory
//! it serves from; the walk joins the two (`Outcome::publishes`,
//! `Outcome::serves`), so the tunnel's payload is that directory tree.
//! A tunnel that serves files itself (`ngrok http file:///dir`,
//! `tailscale funnel /dir`) carries them directly.

use super::{Invocation, Outcome, request, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{FileRef, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "ngrok" => ngrok(inv),
        "cloudflared" => cloudflared(inv),
        "lt" | "localtunnel" => localtunnel(inv),
        "tailscale" => tailscale(inv),
        "bore" => bore(inv),
        "zrok" => zrok(inv),
        "devtunnel" => devtunnel(inv),
        _ => None,
    }
}

/// Notes the local server `inv` starts, and the local ports an `ssh -R`
/// publishes on the remote host.
pub(super) fn note_ports(inv: &Invocation<'_>, outcome: &mut Outcome) {
    if let Some(served) = served(inv) {
        outcome.serves.push(served);
    }
    if inv.program == "ssh" {
        outcome.publishes.extend(ssh_remote_forwards(inv));
    }
}

/// What a tunnel publishes.
#[derive(Debug, PartialEq, Eq)]
enum Local {
    /// A service on this machine's port.
    Port(u16),
    /// Files it serves itself, a tree by absolute path.
    Tree(String),
    /// Something else (another host's service, a configured tunnel).
    Unknown,
}

/// A send to `public_url` that publishes `local`.
fn publish(program: &str, public_url: &str, public: bool, local: Local) -> Outcome {
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    match local {
        Local::Port(port) => outcome.publishes.push(port),
        Local::Tree(path) => flow::push_file(
            &mut payload,
            FileRef {
                path,
                recursive: true,
                excludes: Vec::new(),
            },
        ),
        Local::Unknown => {}
    }
    outcome
        .effects
        .push(request(program, url(public_url), "SEND", payload, public));
    outcome
}

/// True for a name of this machine.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.is_empty()
        || host.eq_ignore_ascii_case("localhost")
        || host == "0.0.0.0"
        || host == "::1"
        || host == "::"
        || host.starts_with("127.")
}

/// `host:port` (IPv6 in brackets), the port parsed.
fn split_host_port(text: &str) -> (&str, Option<u16>) {
    match text.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') || host.starts_with('[') => {
            (host, port.parse().ok())
        }
        _ => (text, None),
    }
}

/// The local service a tunnel's argument names: a port (`3000`), an
/// address (`localhost:3000`, `http://127.0.0.1:8080`), files
/// (`file:///srv/out`, a path), or another host's service.
fn local_service(inv: &Invocation<'_>, text: &str) -> Local {
    if let Ok(port) = text.parse::<u16>() {
        return Local::Port(port);
    }
    if let Some(path) = text.strip_prefix("file://") {
        return Local::Tree(inv.path(path));
    }
    if text.starts_with(['/', '~'])
        || text == "."
        || text.starts_with("./")
        || text.starts_with("../")
    {
        return Local::Tree(inv.path(text));
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => (String::new(), text),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = split_host_port(authority);
    let port = port.or(match scheme.as_str() {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    });
    match port {
        Some(port) if is_loopback(host) => Local::Port(port),
        _ => Local::Unknown,
    }
}

/// Long options of Go and Node CLIs, as `--name`; positionals may come
/// between them.
fn long_flags<'a>(words: &'a [Arg], values: &[&str]) -> Vec<Item<'a>> {
    args::long_options(words, values, args::OptionsEnd::DoubleDash, "--")
}

/// ngrok's options that take a value (v3, and v2's single-dash ones).
const NGROK_VALUES: &[&str] = &[
    "url",
    "domain",
    "subdomain",
    "hostname",
    "region",
    "authtoken",
    "api-key",
    "basic-auth",
    "auth",
    "oauth",
    "oauth-allow-domain",
    "oauth-allow-email",
    "oauth-scope",
    "oidc",
    "oidc-client-id",
    "oidc-client-secret",
    "oidc-scope",
    "oidc-allow-domain",
    "oidc-allow-email",
    "cidr-allow",
    "cidr-deny",
    "traffic-policy-file",
    "traffic-policy-url",
    "policy-file",
    "host-header",
    "scheme",
    "config",
    "log",
    "log-format",
    "log-level",
    "metadata",
    "description",
    "binding",
    "request-header-add",
    "request-header-remove",
    "response-header-add",
    "response-header-remove",
    "upstream-protocol",
    "verify-webhook",
    "verify-webhook-secret",
    "mutual-tls-cas",
    "ua-filter-allow",
    "ua-filter-deny",
    "app-protocol",
    "circuit-breaker",
    "remote-addr",
    "proxy-proto",
    "crt",
    "key",
    "terminate-at",
    "label",
    "bind-tls",
];

/// `ngrok http|tcp|tls ADDR [--url=HOST]` publishes ADDR (a port, an
/// address, or `file:///dir`, which ngrok serves itself) at HOST or a
/// random name under ngrok's domain (`--subdomain S`: `S.ngrok.io`;
/// `--remote-addr` for TCP); `ngrok start` and `ngrok tunnel` run
/// configured or labelled tunnels. An endpoint behind a login (`--oauth`,
/// `--basic-auth`, ...) is not open to anyone, but is still ngrok's.
fn ngrok(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = long_flags(inv.args, NGROK_VALUES);
    let positional = args::positionals(&items);
    let (kind, rest) = positional.split_first()?;
    let kind = kind.text.as_str();
    if !matches!(kind, "http" | "tcp" | "tls" | "start" | "tunnel") {
        return None;
    }
    let local = match (kind, rest.first()) {
        ("http" | "tcp" | "tls" | "tunnel", Some(address)) => local_service(inv, &address.text),
        _ => Local::Unknown,
    };
    let given = args::value(&items, &["--url", "--domain", "--hostname"])
        .map(|v| v.text.clone())
        .or_else(|| args::value(&items, &["--subdomain"]).map(|s| format!("{}.ngrok.io", s.text)))
        .or_else(|| args::value(&items, &["--remote-addr"]).map(|a| format!("tcp://{}", a.text)));
    let public_url = match given {
        Some(host) if host.contains("://") => host,
        Some(host) if kind == "tcp" => format!("tcp://{host}"),
        Some(host) => format!("https://{host}"),
        None if kind == "tcp" => "tcp://tcp.ngrok.io".to_owned(),
        None => "https://ngrok-free.app".to_owned(),
    };
    let restricted = args::has(
        &items,
        &[
            "--basic-auth",
            "--auth",
            "--oauth",
            "--oidc",
            "--cidr-allow",
            "--mutual-tls-cas",
        ],
    ) || args::value(&items, &["--binding"]).is_some_and(|b| b.text != "public");
    Some(publish("ngrok", &public_url, !restricted, local))
}

/// cloudflared's options that take a value.
const CLOUDFLARED_VALUES: &[&str] = &[
    "url",
    "hostname",
    "name",
    "config",
    "token",
    "token-file",
    "credentials-file",
    "cred-file",
    "credentials-contents",
    "origincert",
    "loglevel",
    "transport-loglevel",
    "logfile",
    "log-directory",
    "metrics",
    "protocol",
    "region",
    "edge-ip-version",
    "edge-bind-address",
    "pidfile",
    "lb-pool",
    "origin-ca-pool",
    "origin-server-name",
    "http-host-header",
    "proxy-address",
    "proxy-port",
    "unix-socket",
    "label",
    "tag",
    "ha-connections",
    "grace-period",
    "retries",
    "autoupdate-freq",
    "features",
    "connect-timeout",
    "tls-timeout",
    "icmpv4-src",
    "icmpv6-src",
    "service-op-ip",
];

/// `cloudflared tunnel --url URL` (or `cloudflared --url URL`) is a quick
/// tunnel: URL's service at a random name under trycloudflare.com, open
/// to anyone (with no `--url`, `localhost:8080`). `--hostname H` publishes
/// at H. `cloudflared tunnel run [NAME]` runs a named tunnel, whose
/// public names are set at Cloudflare: a send to Cloudflare's tunnel
/// domain. Its other subcommands (create, route, list, access, ...) are
/// not tunnels.
fn cloudflared(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = long_flags(inv.args, CLOUDFLARED_VALUES);
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|w| w.text.as_str()).collect();
    let (quick, named) = match words.as_slice() {
        ["tunnel"] => (true, false),
        ["tunnel", "run", ..] => (false, true),
        [] => (args::has(&items, &["--url", "--hello-world"]), false),
        _ => (false, false),
    };
    if !quick && !named {
        return None;
    }
    let service = args::value(&items, &["--url"]);
    let local = match service {
        Some(service) => local_service(inv, &service.text),
        None if quick && !args::has(&items, &["--hello-world", "--unix-socket"]) => {
            Local::Port(8080)
        }
        None => Local::Unknown,
    };
    let (public_url, public) = match args::value(&items, &["--hostname"]) {
        Some(host) => (format!("https://{}", host.text), false),
        None if named => ("https://cfargotunnel.com".to_owned(), false),
        None => ("https://trycloudflare.com".to_owned(), true),
    };
    Some(publish("cloudflared", &public_url, public, local))
}

/// `lt --port N [--subdomain S] [--host URL] [--local-host H]`
/// (localtunnel) publishes H's port N at `S.loca.lt` (a random name when
/// no subdomain is asked for), or under the server `--host` names.
fn localtunnel(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "phsl",
            long: &[
                "port",
                "host",
                "subdomain",
                "local-host",
                "local-cert",
                "local-key",
                "local-ca",
            ],
            stop_after: None,
        },
    );
    let port = args::value(&items, &["-p", "--port"]).and_then(|p| p.text.parse::<u16>().ok());
    let local_host =
        args::value(&items, &["-l", "--local-host"]).map_or("localhost", |h| h.text.as_str());
    let local = match port {
        Some(port) if is_loopback(local_host) => Local::Port(port),
        _ => Local::Unknown,
    };
    let domain = match args::value(&items, &["-h", "--host"]) {
        Some(server) => {
            let rest = server
                .text
                .split_once("://")
                .map_or(server.text.as_str(), |(_, r)| r);
            let host = rest.split(['/', ':']).next().unwrap_or(rest);
            if host == "localtunnel.me" {
                "loca.lt"
            } else {
                host
            }
            .to_owned()
        }
        None => "loca.lt".to_owned(),
    };
    let public_url = match args::value(&items, &["-s", "--subdomain"]) {
        Some(sub) => format!("https://{}.{domain}", sub.text),
        None => format!("https://{domain}"),
    };
    Some(publish(inv.program, &public_url, true, local))
}

/// `tailscale funnel [--bg] [--https=443] [--set-path=/p] TARGET`
/// publishes TARGET (a port, a local URL, a directory or file, or
/// `text:...`) on the internet at the machine's name under ts.net; the
/// older `tailscale funnel 443 on` opens what `tailscale serve` set up.
/// `off`, `reset` and `status` publish nothing; `tailscale serve` is for
/// the tailnet only.
fn tailscale(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = long_flags(
        inv.args,
        &[
            "https",
            "tcp",
            "tls-terminated-tcp",
            "set-path",
            "socket",
            "http",
        ],
    );
    let positional = args::positionals(&items);
    let at = positional.iter().position(|w| w.text == "funnel")?;
    let rest = positional.get(at + 1..).unwrap_or_default();
    if rest
        .iter()
        .any(|w| matches!(w.text.as_str(), "off" | "reset" | "status"))
    {
        return Some(Outcome::default());
    }
    let local = match rest {
        [_, on] if on.text == "on" => Local::Unknown,
        [target, ..] if target.text.starts_with("text:") => Local::Unknown,
        [target, ..] => local_service(inv, &target.text),
        [] => return Some(Outcome::default()),
    };
    let mut outcome = publish("tailscale", "https://ts.net", true, local);
    if let Some(target) = rest.first()
        && let Some(text) = target.text.strip_prefix("text:")
    {
        for effect in &mut outcome.effects {
            if let crate::Effect::Request(request) = effect {
                flow::push_text(&mut request.payload, text);
                flow::merge(&mut request.payload, &target.expansions());
            }
        }
    }
    Some(outcome)
}

/// `bore local PORT --to HOST [--port P] [--local-host H]` publishes H's
/// PORT on HOST (`BORE_SERVER` when `--to` is not given).
fn bore(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tlps",
            long: &["to", "local-host", "port", "secret"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (verb, rest) = positional.split_first()?;
    if verb.text != "local" {
        return Some(Outcome::default());
    }
    let server = args::value(&items, &["-t", "--to"])
        .or_else(|| inv.env_value("BORE_SERVER"))
        .map_or("bore.pub", |s| s.text.as_str());
    let local_host =
        args::value(&items, &["-l", "--local-host"]).map_or("localhost", |h| h.text.as_str());
    let local = match rest.first().and_then(|p| p.text.parse::<u16>().ok()) {
        Some(port) if is_loopback(local_host) => Local::Port(port),
        _ => Local::Unknown,
    };
    let public_url = match args::value(&items, &["-p", "--port"]) {
        Some(port) => format!("tcp://{server}:{}", port.text),
        None => format!("tcp://{server}"),
    };
    Some(publish("bore", &public_url, true, local))
}

/// `zrok share public|private TARGET [--backend-mode web|drive|proxy]`
/// publishes TARGET through zrok (a public share at share.zrok.io, a
/// private one for zrok's users); the `web` and `drive` backends serve
/// TARGET's files themselves. `zrok share reserved NAME` runs a reserved
/// share.
fn zrok(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = long_flags(
        inv.args,
        &[
            "backend-mode",
            "basic-auth",
            "frontend",
            "oauth-provider",
            "oauth-email-domains",
            "oauth-check-interval",
            "override-endpoint",
            "unique-name",
            "share-token",
        ],
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|w| w.text.as_str()).collect();
    let (mode, target) = match words.as_slice() {
        [
            "share",
            mode @ ("public" | "private" | "reserved"),
            rest @ ..,
        ] => (*mode, rest.first()),
        _ => return None,
    };
    let files = args::value(&items, &["--backend-mode"])
        .is_some_and(|m| matches!(m.text.as_str(), "web" | "drive" | "caddy"));
    let local = match target {
        Some(target) if mode != "reserved" && files => Local::Tree(inv.path(target)),
        Some(target) if mode != "reserved" => local_service(inv, target),
        _ => Local::Unknown,
    };
    let restricted = mode == "private" || args::has(&items, &["--basic-auth", "--oauth-provider"]);
    Some(publish("zrok", "https://share.zrok.io", !restricted, local))
}

/// `devtunnel host [-p PORT...] [--allow-anonymous]` (Microsoft Dev
/// Tunnels) publishes the ports under devtunnels.ms; without
/// `--allow-anonymous` a login is needed to reach them.
fn devtunnel(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pe",
            long: &[
                "port-numbers",
                "protocol",
                "expiration",
                "description",
                "tags",
                "host-header",
                "origin-header",
            ],
            stop_after: None,
        },
    );
    if args::positionals(&items)
        .first()
        .is_none_or(|w| w.text != "host")
    {
        return None;
    }
    let public = args::has(&items, &["-a", "--allow-anonymous"]);
    let ports: Vec<u16> = args::values(&items, &["-p", "--port-numbers"])
        .into_iter()
        .flat_map(|v| {
            v.text
                .split([',', ' '])
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u16>>()
        })
        .collect();
    let mut outcome = publish("devtunnel", "https://devtunnels.ms", public, Local::Unknown);
    outcome.publishes = ports;
    Some(outcome)
}

/// The local ports an `ssh -R [BIND:]PORT:HOST:HOSTPORT` (or `-o
/// RemoteForward=...`) publishes on the remote host: HOSTPORT when HOST
/// is this machine.
fn ssh_remote_forwards(inv: &Invocation<'_>) -> Vec<u16> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "bcDEeFIiJLlmOopQRSWwB",
            stop_after: Some(1),
            ..Spec::default()
        },
    );
    let mut ports = Vec::new();
    for (name, value) in args::options(&items) {
        let spec = match name {
            "-R" => value.text.as_str(),
            "-o" => {
                let text = value.text.trim();
                let Some(rest) = text
                    .get(..13)
                    .filter(|k| k.eq_ignore_ascii_case("remoteforward"))
                    .and_then(|_| text.get(13..))
                else {
                    continue;
                };
                rest.trim_start_matches(['=', ' '])
            }
            _ => continue,
        };
        // `RemoteForward 8080 localhost:3000` separates the ports with a space.
        let spec = spec.replace(' ', ":");
        let (front, port) = split_host_port(&spec);
        let Some(port) = port else { continue };
        let host = if front.ends_with(']') {
            front.rfind('[').map_or(front, |at| &front[at..])
        } else {
            front.rsplit(':').next().unwrap_or(front)
        };
        // `-R 8080` alone is a SOCKS proxy, not a local service.
        if front.contains(':') && is_loopback(host) {
            ports.push(port);
        }
    }
    ports
}

/// The local server `inv` starts, if any: its port and what it serves.
fn served(inv: &Invocation<'_>) -> Option<(u16, Payload)> {
    let (port, dir) = match inv.program {
        "http.server" => {
            // `python3 -m http.server [PORT] [-d DIR] [-b ADDR]`.
            let items = spec_items(inv, "dbp", &["directory", "bind", "protocol"]);
            let port = first_port(&items).unwrap_or(8000);
            (
                port,
                args::value(&items, &["-d", "--directory"]).map(|d| d.text.clone()),
            )
        }
        // Python 2's `-m SimpleHTTPServer [PORT]` (names are matched lowercased).
        "simplehttpserver" => (
            inv.args
                .first()
                .and_then(|p| p.text.parse().ok())
                .unwrap_or(8000),
            None,
        ),
        "serve" => {
            // `serve [DIR] [-l PORT|tcp://HOST:PORT] [-p PORT]` (Vercel's).
            let items = spec_items(
                inv,
                "lpc",
                &[
                    "listen", "port", "config", "ssl-cert", "ssl-key", "ssl-pass",
                ],
            );
            let port = args::value(&items, &["-l", "--listen", "-p", "--port"])
                .map_or(Some(3000), |l| listen_port(&l.text))?;
            (port, first_word(&items))
        }
        "http-server" => {
            let items = spec_items(
                inv,
                "paecCKPt",
                &[
                    "port", "ext", "cert", "key", "proxy", "username", "password", "timeout",
                ],
            );
            let port = args::value(&items, &["-p", "--port"])
                .map_or(Some(8080), |p| p.text.parse().ok())?;
            (port, first_word(&items))
        }
        "live-server" => {
            let items = spec_items(
                inv,
                "",
                &[
                    "port",
                    "host",
                    "open",
                    "watch",
                    "ignore",
                    "entry-file",
                    "mount",
                    "proxy",
                    "htpasswd",
                    "middleware",
                    "wait",
                ],
            );
            let port =
                args::value(&items, &["--port"]).map_or(Some(8080), |p| p.text.parse().ok())?;
            (port, first_word(&items))
        }
        "miniserve" | "dufs" => {
            let items = spec_items(
                inv,
                "piacdtb",
                &[
                    "port",
                    "interfaces",
                    "auth",
                    "auth-file",
                    "title",
                    "header",
                    "route-prefix",
                    "color-scheme",
                    "color-scheme-dark",
                    "tls-cert",
                    "tls-key",
                    "index",
                    "bind",
                    "config",
                ],
            );
            let default = if inv.program == "dufs" { 5000 } else { 8080 };
            let port = args::value(&items, &["-p", "--port"])
                .map_or(Some(default), |p| p.text.parse().ok())?;
            (port, first_word(&items))
        }
        "updog" => {
            let items = spec_items(inv, "dp", &["directory", "port", "password"]);
            let port = args::value(&items, &["-p", "--port"])
                .map_or(Some(9090), |p| p.text.parse().ok())?;
            (
                port,
                args::value(&items, &["-d", "--directory"]).map(|d| d.text.clone()),
            )
        }
        "darkhttpd" => {
            let items = spec_items(
                inv,
                "",
                &[
                    "port",
                    "addr",
                    "maxconn",
                    "log",
                    "index",
                    "mimetypes",
                    "default-mimetype",
                    "uid",
                    "gid",
                    "pidfile",
                    "auth",
                ],
            );
            let port =
                args::value(&items, &["--port"]).map_or(Some(8080), |p| p.text.parse().ok())?;
            (port, first_word(&items))
        }
        "httpd" => {
            // busybox's: `httpd [-f] -p [IP:]PORT -h HOME`; Apache's takes neither.
            let items = spec_items(inv, "purhcmed", &[]);
            let port = args::value(&items, &["-p"]);
            let home = args::value(&items, &["-h"]);
            if port.is_none() && home.is_none() {
                return None;
            }
            let port = port.map_or(Some(80), |p| listen_port(&p.text))?;
            (port, home.map(|h| h.text.clone()))
        }
        "caddy" => {
            if inv.args.first().is_none_or(|w| w.text != "file-server") {
                return None;
            }
            let items = spec_items(inv, "rld", &["root", "listen", "domain"]);
            let port = args::value(&items, &["-l", "--listen"])
                .map_or(Some(80), |l| listen_port(&l.text))?;
            (
                port,
                args::value(&items, &["-r", "--root"]).map(|r| r.text.clone()),
            )
        }
        program if is_php(program) => {
            // `php -S ADDR:PORT [-t DOCROOT]`.
            let items = spec_items(inv, "Stcdfrz", &[]);
            let address = args::value(&items, &["-S"])?;
            let port = split_host_port(&address.text).1?;
            (port, args::value(&items, &["-t"]).map(|t| t.text.clone()))
        }
        program if program.starts_with("ruby") => ruby_httpd(inv)?,
        _ => return None,
    };
    let root = dir.map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d));
    Some((port, flow::file_payload(root, true)))
}

fn spec_items<'a>(inv: &Invocation<'a>, short: &str, long: &[&str]) -> Vec<Item<'a>> {
    args::parse(
        inv.args,
        &Spec {
            short,
            long,
            stop_after: None,
        },
    )
}

/// The first positional that is a port.
fn first_port(items: &[Item<'_>]) -> Option<u16> {
    args::positionals(items)
        .into_iter()
        .find_map(|w| w.text.parse().ok())
}

/// The first positional, a directory to serve.
fn first_word(items: &[Item<'_>]) -> Option<String> {
    args::positionals(items).first().map(|w| w.text.clone())
}

/// The port of a listen address: `8080`, `:8080`, `0.0.0.0:8080`,
/// `tcp://host:8080`; none for a socket or a pipe.
fn listen_port(text: &str) -> Option<u16> {
    let rest = text.split_once("://").map_or(text, |(_, r)| r);
    rest.parse()
        .ok()
        .or_else(|| split_host_port(rest.trim_end_matches('/')).1)
}

fn is_php(program: &str) -> bool {
    program
        .strip_prefix("php")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `ruby -run -e httpd [DIR] [-p PORT]` (un.rb's web server, port 8080).
fn ruby_httpd(inv: &Invocation<'_>) -> Option<(u16, Option<String>)> {
    let words: Vec<&str> = inv.args.iter().map(|a| a.text.as_str()).collect();
    if !words.iter().any(|w| *w == "-run" || *w == "-rub") {
        return None;
    }
    let at = words.iter().position(|w| *w == "-ehttpd").or_else(|| {
        words
            .windows(2)
            .position(|pair| pair == ["-e", "httpd"])
            .map(|i| i + 1)
    })?;
    let mut port = 8080;
    let mut dir = None;
    let mut rest = words.get(at + 1..).unwrap_or_default().iter();
    while let Some(word) = rest.next() {
        if *word == "-p" || *word == "--port" {
            port = rest.next().and_then(|p| p.parse().ok())?;
        } else if let Some(p) = word
            .strip_prefix("--port=")
            .or_else(|| word.strip_prefix("-p"))
        {
            port = p.parse().ok()?;
        } else if !word.starts_with('-') && dir.is_none() {
            dir = Some((*word).to_owned());
        }
    }
    Some((port, dir))
}
