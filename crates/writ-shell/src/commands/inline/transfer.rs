//! File transfer and remote shell libraries in inline code: Python's
//! paramiko (`SSHClient().connect(h)`, `Transport((h, 22))`, then
//! `open_sftp().put(local, remote)` or `exec_command(cmd)`), pysftp,
//! fabric, asyncssh and ftplib (`FTP(h).storbinary('STOR x', open(f,
//! 'rb'))`), and the network-device libraries netmiko
//! (`ConnectHandler(host=h).send_config_set([...])`) and scrapli; Perl's Net::SFTP::Foreign, Net::FTP and Net::OpenSSH; Ruby's
//! Net::SFTP, Net::SCP, Net::SSH and Net::FTP; Node's ssh2,
//! ssh2-sftp-client and basic-ftp; PHP's `ftp_*` and `ssh2_*` functions.
//!
//! The host is the one the code connects to (the nearest connection call
//! before the transfer that names one). An upload sends its local file
//! there, as `scp f host:path` does; a download fetches from there and
//! writes its local file; a command run there is a remote exec, as `ssh
//! host cmd` is. Login secrets given to the connection (`password=`) are
//! the login, not data. A handle opened on a file earlier (`with open(f,
//! 'rb') as fh: ftp.storbinary('STOR x', fh)`) is that file; any other
//! object uploaded is what the code read.

use super::Literal;
use super::storage::{self, Body, is_ident, literal_at};

/// Markers of the libraries: without one, `put(`, `connect(` and the
/// others are some other library's calls.
const LIBRARIES: &[&str] = &[
    "paramiko",
    "pysftp",
    "fabric",
    "asyncssh",
    "ftplib",
    "Net::SFTP",
    "Net::FTP",
    "Net::OpenSSH",
    "Net::SCP",
    "Net::SSH",
    "ssh2",
    "basic-ftp",
    "ftp_connect",
    "ftp_ssl_connect",
    "phpseclib",
    "netmiko",
    "scrapli",
];

/// Where a call takes one of its values: a position, or keywords (Python's
/// `username=`, Ruby's `port:`, Perl's `user =>`, an options object's key).
type Place = (Option<usize>, &'static [&'static str]);

/// A call that opens a connection to a host.
struct Opens {
    name: &'static str,
    host: Place,
    user: Place,
    port: Place,
}

const NOWHERE: Place = (None, &[]);

const OPENS: &[Opens] = &[
    // paramiko's `SSHClient.connect(hostname, port, username)`, ftplib's
    // `connect(host, port)`, asyncssh, ssh2 and ssh2-sftp-client's
    // `connect({host, port, username})`, Net::SSH2's `connect(host, port)`.
    Opens {
        name: "connect",
        host: (Some(0), &["hostname", "host"]),
        user: (Some(2), &["username", "user"]),
        port: (Some(1), &["port"]),
    },
    // paramiko's `Transport((host, port))` or `Transport('host:port')`.
    Opens {
        name: "Transport",
        host: (Some(0), &[]),
        user: NOWHERE,
        port: NOWHERE,
    },
    // pysftp's `Connection(host, username=...)`, fabric's
    // `Connection('user@host:port')`.
    Opens {
        name: "Connection",
        host: (Some(0), &["host"]),
        user: (None, &["username", "user"]),
        port: (None, &["port"]),
    },
    // ftplib's `FTP(host, user, passwd)`.
    Opens {
        name: "FTP",
        host: (Some(0), &["host"]),
        user: (Some(1), &["user"]),
        port: NOWHERE,
    },
    Opens {
        name: "FTP_TLS",
        host: (Some(0), &["host"]),
        user: (Some(1), &["user"]),
        port: NOWHERE,
    },
    // basic-ftp's `client.access({host, user, port})`.
    Opens {
        name: "access",
        host: (None, &["host"]),
        user: (None, &["user"]),
        port: (None, &["port"]),
    },
    // netmiko's `ConnectHandler(device_type=..., host=h, username=u)`
    // (`ip=` in older releases), scrapli's `Scrapli(host=h)`.
    Opens {
        name: "ConnectHandler",
        host: (None, &["host", "ip"]),
        user: (None, &["username"]),
        port: (None, &["port"]),
    },
    Opens {
        name: "Scrapli",
        host: (None, &["host"]),
        user: (None, &["auth_username"]),
        port: (None, &["port"]),
    },
    Opens {
        name: "Net::SFTP::Foreign->new",
        host: (Some(0), &["host"]),
        user: (None, &["user"]),
        port: (None, &["port"]),
    },
    Opens {
        name: "Net::FTP->new",
        host: (Some(0), &["Host"]),
        user: NOWHERE,
        port: (None, &["Port"]),
    },
    Opens {
        name: "Net::OpenSSH->new",
        host: (Some(0), &["host"]),
        user: (None, &["user"]),
        port: (None, &["port"]),
    },
    // Ruby: `Net::SFTP.start(host, user, port: 22)`.
    Opens {
        name: "Net::SFTP.start",
        host: (Some(0), &[]),
        user: (Some(1), &[]),
        port: (None, &["port"]),
    },
    Opens {
        name: "Net::SSH.start",
        host: (Some(0), &[]),
        user: (Some(1), &[]),
        port: (None, &["port"]),
    },
    Opens {
        name: "Net::SCP.start",
        host: (Some(0), &[]),
        user: (Some(1), &[]),
        port: (None, &["port"]),
    },
    Opens {
        name: "Net::SCP.upload!",
        host: (Some(0), &[]),
        user: (Some(1), &[]),
        port: NOWHERE,
    },
    Opens {
        name: "Net::FTP.new",
        host: (Some(0), &[]),
        user: (None, &["username"]),
        port: (None, &["port"]),
    },
    Opens {
        name: "Net::FTP.open",
        host: (Some(0), &[]),
        user: (Some(1), &[]),
        port: NOWHERE,
    },
    // PHP: `ftp_connect(host, port)`, `ssh2_connect(host, port)`,
    // phpseclib's `new SFTP(host, port)`.
    Opens {
        name: "ftp_connect",
        host: (Some(0), &[]),
        user: NOWHERE,
        port: (Some(1), &[]),
    },
    Opens {
        name: "ftp_ssl_connect",
        host: (Some(0), &[]),
        user: NOWHERE,
        port: (Some(1), &[]),
    },
    Opens {
        name: "ssh2_connect",
        host: (Some(0), &[]),
        user: NOWHERE,
        port: (Some(1), &[]),
    },
    Opens {
        name: "SFTP",
        host: (Some(0), &[]),
        user: NOWHERE,
        port: (Some(1), &[]),
    },
    Opens {
        name: "SSH2",
        host: (Some(0), &[]),
        user: NOWHERE,
        port: (Some(1), &[]),
    },
];

/// Keywords that give a connection its login: not data sent.
const LOGIN_KEYS: &[&str] = &[
    "password",
    "passwd",
    "Password",
    "passphrase",
    "key_filename",
    "privateKey",
    "private_key",
    "key_path",
    "keys",
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Upload,
    Download,
    Exec,
}

/// A call that moves files over the connection, or runs a command there.
struct Moves {
    name: &'static str,
    kind: Kind,
    /// The local file (an upload's source, a download's destination); for
    /// an exec, the command.
    local: Place,
    remote: Place,
    recursive: bool,
    /// Called on an object (`sftp.put(`, `$ftp->put(`), not a function
    /// of the same name.
    method: bool,
    /// Only in code that uses one of these (`run` is fabric's, asyncssh's
    /// or Net::SSH's only there).
    needs: &'static [&'static str],
}

const fn up(name: &'static str, local: usize, remote: usize, recursive: bool) -> Moves {
    Moves {
        name,
        kind: Kind::Upload,
        local: (
            Some(local),
            &["localpath", "local", "local_path", "fl", "fp"],
        ),
        remote: (Some(remote), &["remotepath", "remote", "remote_path"]),
        recursive,
        method: true,
        needs: &[],
    }
}

const fn down(name: &'static str, remote: usize, local: usize, recursive: bool) -> Moves {
    Moves {
        name,
        kind: Kind::Download,
        local: (Some(local), &["localpath", "local", "local_path"]),
        remote: (Some(remote), &["remotepath", "remote", "remote_path"]),
        recursive,
        method: true,
        needs: &[],
    }
}

const fn exec(
    name: &'static str,
    at: usize,
    method: bool,
    needs: &'static [&'static str],
) -> Moves {
    Moves {
        name,
        kind: Kind::Exec,
        local: (Some(at), &["command", "cmd"]),
        remote: NOWHERE,
        recursive: false,
        method,
        needs,
    }
}

/// Specific forms first: a call matched once is not matched again.
const MOVES: &[Moves] = &[
    // Ruby's `Net::SCP.upload!(host, user, local, remote)`.
    Moves {
        method: false,
        ..up("Net::SCP.upload!", 2, 3, false)
    },
    Moves {
        method: false,
        ..down("Net::SCP.download!", 2, 3, false)
    },
    // paramiko, pysftp, fabric, Net::SFTP::Foreign, Net::FTP,
    // ssh2-sftp-client: `put(local, remote)`.
    up("put", 0, 1, false),
    up("putfo", 0, 1, false),
    up("put_r", 0, 1, true),
    up("put_d", 0, 1, true),
    up("fastPut", 0, 1, false),
    up("uploadDir", 0, 1, true),
    // basic-ftp.
    up("uploadFrom", 0, 1, false),
    up("appendFrom", 0, 1, false),
    up("uploadFromDir", 0, 1, true),
    // ftplib: `storbinary('STOR name', file)`.
    up("storbinary", 1, 0, false),
    up("storlines", 1, 0, false),
    // Net::OpenSSH.
    up("scp_put", 0, 1, false),
    up("rsync_put", 0, 1, true),
    up("sftp_put", 0, 1, false),
    // Ruby's Net::SFTP and Net::SCP sessions, Net::FTP.
    up("upload!", 0, 1, false),
    up("putbinaryfile", 0, 1, false),
    up("puttextfile", 0, 1, false),
    // PHP: `ftp_put($conn, remote, local)`, `ssh2_scp_send($conn, local,
    // remote)`.
    Moves {
        method: false,
        ..up("ftp_put", 2, 1, false)
    },
    Moves {
        method: false,
        ..up("ftp_append", 2, 1, false)
    },
    Moves {
        method: false,
        ..up("ssh2_scp_send", 1, 2, false)
    },
    down("getfo", 0, usize::MAX, false),
    down("get_r", 0, 1, true),
    down("get_d", 0, 1, true),
    down("fastGet", 0, 1, false),
    down("downloadDir", 0, 1, true),
    down("downloadTo", 1, 0, false),
    down("downloadToDir", 1, 0, true),
    down("retrbinary", 0, usize::MAX, false),
    down("retrlines", 0, usize::MAX, false),
    down("scp_get", 0, 1, false),
    down("rsync_get", 0, 1, true),
    down("download!", 0, 1, false),
    down("getbinaryfile", 0, 1, false),
    down("gettextfile", 0, 1, false),
    Moves {
        method: false,
        ..down("ftp_get", 2, 1, false)
    },
    Moves {
        method: false,
        ..down("ssh2_scp_recv", 1, 2, false)
    },
    exec("exec_command", 0, true, &[]),
    exec("exec!", 0, true, &[]),
    exec("exec", 0, true, &[]),
    exec("run", 0, true, &["fabric", "asyncssh", "Net::SSH"]),
    exec("sudo", 0, true, &["fabric"]),
    exec("capture", 0, true, &["Net::OpenSSH"]),
    exec("capture2", 0, true, &["Net::OpenSSH"]),
    exec("system", 0, true, &["Net::OpenSSH"]),
    exec("ssh2_exec", 1, false, &[]),
    // A network device's CLI: netmiko's `send_command(cmd)` and
    // `send_config_set([cmd, ...])`, scrapli's `send_command(s)` and
    // `send_config(s)`. A config file is sent to the device whole.
    Moves {
        local: (
            Some(0),
            &[
                "command_string",
                "config_commands",
                "command",
                "commands",
                "config",
                "configs",
            ],
        ),
        ..exec("send_command", 0, true, &["netmiko", "scrapli"])
    },
    Moves {
        local: (Some(0), &["command_string"]),
        ..exec("send_command_timing", 0, true, &["netmiko"])
    },
    Moves {
        local: (Some(0), &["config_commands"]),
        ..exec("send_config_set", 0, true, &["netmiko"])
    },
    Moves {
        local: (Some(0), &["commands"]),
        ..exec("send_commands", 0, true, &["scrapli"])
    },
    Moves {
        local: (Some(0), &["config"]),
        ..exec("send_config", 0, true, &["scrapli"])
    },
    Moves {
        local: (Some(0), &["configs"]),
        ..exec("send_configs", 0, true, &["scrapli"])
    },
    Moves {
        local: (Some(0), &["config_file"]),
        needs: &["netmiko"],
        ..up("send_config_from_file", 0, usize::MAX, false)
    },
];

/// Receivers whose `put(`, `exec(` or `run(` are not a transfer: HTTP
/// clients, regular expressions, process runners.
const OTHER_RECEIVERS: &[&str] = &[
    "requests",
    "httpx",
    "session",
    "axios",
    "subprocess",
    "asyncio",
    "re",
    "regex",
    "os",
];

/// The host a connection goes to.
#[derive(Clone)]
pub(super) struct Endpoint {
    pub(super) user: Option<String>,
    pub(super) host: String,
    pub(super) port: Option<u16>,
}

/// What the code does over a connection.
pub(super) enum Job {
    /// The local file, tree or data sent to the host's `remote` path.
    Upload {
        body: Body,
        remote: Option<String>,
        recursive: bool,
    },
    /// The host's `remote` fetched into `local`.
    Download {
        remote: Option<String>,
        local: Option<String>,
    },
    /// A command the host's shell runs.
    Exec(String),
}

pub(super) struct Transfer {
    pub(super) endpoint: Endpoint,
    pub(super) job: Job,
}

/// `[user@]host[:port]`, or an `sftp://`, `ssh://` or `ftp://` URL's.
fn endpoint(text: &str) -> Option<Endpoint> {
    let text = ["sftp://", "ssh://", "ftp://", "ftps://", "scp://"]
        .iter()
        .find_map(|s| text.strip_prefix(s))
        .map_or(text, |rest| rest.split('/').next().unwrap_or(rest));
    let (user, rest) = match text.rsplit_once('@') {
        Some((user, rest)) if !user.is_empty() && !user.contains([':', '/']) => {
            (Some(user.to_owned()), rest)
        }
        _ => (None, text),
    };
    let (host, port) = super::host_literal(rest, "(")?;
    Some(Endpoint { user, host, port })
}

/// A number written as the item (`22`), or a numeric literal (`'22'`).
fn number(code: &str, literals: &[Literal], start: usize, end: usize) -> Option<u16> {
    let text = code.get(start..end)?.trim();
    literal_at(literals, start)
        .filter(|(_, l)| l.end == end)
        .map_or(text, |(_, l)| l.text.as_str())
        .parse()
        .ok()
}

/// The endpoint a connection call names, and the literals it uses.
fn opened(
    code: &str,
    literals: &[Literal],
    opens: &Opens,
    open: usize,
) -> Option<(Endpoint, Vec<usize>)> {
    let mut args = storage::args_at(code, literals, open)?;
    let item = args.keyed(opens.host.1).or_else(|| {
        opens
            .host
            .0
            .and_then(|n| args.items.iter().filter(|i| i.key.is_none()).nth(n))
    })?;
    let (start, end) = (item.start, item.end);
    let mut used = Vec::new();
    // A tuple or list: `Transport(('h', 22))`, `connect(('h', 22))`.
    let mut found = if matches!(code.as_bytes().get(start), Some(b'(' | b'[')) {
        let (index, literal) = literals
            .iter()
            .enumerate()
            .find(|(_, l)| l.start > start && l.end < end)?;
        let mut endpoint = endpoint(&literal.text)?;
        used.push(index);
        let after = code
            .get(literal.end..end.saturating_sub(1))
            .unwrap_or_default();
        if let Some(port) = after.trim_start().strip_prefix(',') {
            endpoint.port = endpoint.port.or_else(|| port.trim().parse().ok());
        }
        endpoint
    } else {
        let (index, literal) = literal_at(literals, start).filter(|(_, l)| l.end == end)?;
        used.push(index);
        endpoint(&literal.text)?
    };
    if found.user.is_none()
        && let Some(user) = args.text(opens.user.1, opens.user.0)
    {
        found.user = Some(user);
    }
    if found.port.is_none()
        && let Some(item) = args.keyed(opens.port.1).or_else(|| {
            opens
                .port
                .0
                .and_then(|n| args.items.iter().filter(|i| i.key.is_none()).nth(n))
        })
    {
        found.port = number(code, literals, item.start, item.end);
    }
    for item in args
        .items
        .iter()
        .filter(|i| i.key.as_deref().is_some_and(|k| LOGIN_KEYS.contains(&k)))
    {
        if let Some((index, _)) = literal_at(literals, item.start) {
            used.push(index);
        }
    }
    used.append(&mut args.used);
    Some((found, used))
}

/// The receiver's name just before `.name(` or `->name(`, or `None` for
/// a function call.
fn receiver(code: &str, at: usize) -> Option<&str> {
    let before = code.get(..at)?;
    let before = before
        .strip_suffix('.')
        .or_else(|| before.strip_suffix("->"))?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c) || *c == '.')
        .last()
        .map_or(before.len(), |(i, _)| i);
    Some(before.get(start..).unwrap_or_default())
}

/// A remote path given as an FTP command (`'STOR name'`): the name.
fn ftp_argument(text: String) -> String {
    for verb in ["STOR ", "APPE ", "RETR ", "STOU "] {
        if let Some(name) = text.strip_prefix(verb) {
            return name.trim().to_owned();
        }
    }
    text
}

/// The transfers the code makes, and the literals they use.
pub(super) fn transfers(code: &str, literals: &[Literal]) -> (Vec<Transfer>, Vec<usize>) {
    let mut out = Vec::new();
    let mut used = Vec::new();
    if !LIBRARIES.iter().any(|l| code.contains(l)) {
        return (out, used);
    }
    // Every connection the code opens, by where it is.
    let mut endpoints: Vec<(usize, Endpoint)> = Vec::new();
    for opens in OPENS {
        let named = std::iter::once(opens.name).chain(storage::import_aliases(code, opens.name));
        for (at, open) in named.flat_map(|name| storage::calls(code, name)) {
            if let Some((endpoint, mut taken)) = opened(code, literals, opens, open) {
                endpoints.push((at, endpoint));
                used.append(&mut taken);
            }
        }
    }
    if endpoints.is_empty() {
        return (out, used);
    }
    endpoints.sort_by_key(|(at, _)| *at);
    let mut seen = Vec::new();
    for moves in MOVES {
        if !moves.needs.is_empty() && !moves.needs.iter().any(|n| code.contains(n)) {
            continue;
        }
        for (at, open) in storage::calls(code, moves.name) {
            if seen.contains(&open) {
                continue;
            }
            let named = receiver(code, at);
            if moves.method != named.is_some()
                || named.is_some_and(|r| {
                    OTHER_RECEIVERS.contains(&r)
                        || r.rsplit('.')
                            .next()
                            .is_some_and(|r| OTHER_RECEIVERS.contains(&r))
                })
            {
                continue;
            }
            let Some(mut args) = storage::args_at(code, literals, open) else {
                continue;
            };
            // The nearest connection before the call, else the first.
            let Some(endpoint) = endpoints
                .iter()
                .rev()
                .find(|(e, _)| *e < at)
                .or_else(|| endpoints.first())
                .map(|(_, e)| e.clone())
            else {
                continue;
            };
            let job = match moves.kind {
                Kind::Upload => {
                    let Some(body) = args.file(moves.local.1, moves.local.0) else {
                        continue;
                    };
                    if matches!(&body, Body::File(f) if super::is_url(f)) {
                        continue;
                    }
                    let remote = args.text(moves.remote.1, moves.remote.0).map(ftp_argument);
                    Job::Upload {
                        body,
                        remote,
                        recursive: moves.recursive,
                    }
                }
                Kind::Download => {
                    let remote = args.text(moves.remote.1, moves.remote.0).map(ftp_argument);
                    let local = args.text(moves.local.1, moves.local.0);
                    if remote.is_none() && local.is_none() {
                        continue;
                    }
                    Job::Download { remote, local }
                }
                Kind::Exec => {
                    let Some(command) = args
                        .text(moves.local.1, moves.local.0)
                        .or_else(|| args.lines(moves.local.1, moves.local.0))
                    else {
                        continue;
                    };
                    Job::Exec(command)
                }
            };
            seen.push(open);
            used.append(&mut args.used);
            out.push(Transfer { endpoint, job });
        }
    }
    (out, used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn found(code: &str) -> Vec<(String, Option<String>)> {
        transfers(code, &literals(code))
            .0
            .into_iter()
            .map(|t| {
                let what = match t.job {
                    Job::Upload {
                        body: Body::File(f),
                        ..
                    } => Some(f),
                    Job::Upload { .. } => None,
                    Job::Download { remote, .. } => remote,
                    Job::Exec(c) => Some(c),
                };
                (t.endpoint.host, what)
            })
            .collect()
    }

    #[test]
    fn uploads_go_to_the_host_connected_to() {
        assert_eq!(
            found(
                "import paramiko\nc = paramiko.SSHClient()\nc.connect('h.example.net', username='u')\nc.open_sftp().put('a.txt', 'b.txt')"
            ),
            [("h.example.net".to_owned(), Some("a.txt".to_owned()))]
        );
        assert_eq!(
            found(
                "import paramiko\nt = paramiko.Transport(('h.example.net', 22))\ns = paramiko.SFTPClient.from_transport(t)\ns.put('a', 'b')"
            ),
            [("h.example.net".to_owned(), Some("a".to_owned()))]
        );
        assert_eq!(
            found(
                "import ftplib\nf = ftplib.FTP('ftp.example.org')\nf.storbinary('STOR x', open('a.db', 'rb'))"
            ),
            [("ftp.example.org".to_owned(), Some("a.db".to_owned()))]
        );
        // No transfer library: someone else's `put`.
        assert!(found("q.connect('h.example.net'); q.put('a', 'b')").is_empty());
        // An HTTP client's `put` is not a transfer.
        assert!(found("import paramiko, requests\nparamiko.SSHClient().connect('h.example.net')\nrequests.put('https://x.example.com/', data='a')").is_empty());
    }

    #[test]
    fn network_device_libraries_run_their_commands_on_the_device() {
        let host = |h: &str, what: &str| (h.to_owned(), Some(what.to_owned()));
        assert_eq!(
            found(
                "from netmiko import ConnectHandler as C; c = C(device_type='cisco_ios', host='cpe1.example.org', username='admin', password='pw'); print(c.send_config_set(['ntp server 10.0.0.5', 'end'])); c.save_config()"
            ),
            [host("cpe1.example.org", "ntp server 10.0.0.5\nend")]
        );
        assert_eq!(
            found(
                "import netmiko\nd = netmiko.ConnectHandler(device_type='juniper', ip='10.1.1.1')\nd.send_command(command_string='show version')\nd.send_config_from_file(config_file='configs/edge.cfg')"
            ),
            [
                host("10.1.1.1", "show version"),
                host("10.1.1.1", "configs/edge.cfg")
            ]
        );
        assert_eq!(
            found(
                "from scrapli import Scrapli\nwith Scrapli(host='sw1.example.net', auth_username='u', platform='cisco_iosxe') as conn:\n    conn.send_configs(['interface Gi0/1', 'shutdown'])"
            ),
            [host("sw1.example.net", "interface Gi0/1\nshutdown")]
        );
        // An alias is an alias only where it is imported.
        assert!(
            found("import netmiko\nConnectHandler as C\nC(host='h.example.net').send_command('x')")
                .is_empty()
        );
    }
}
