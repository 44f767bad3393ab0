//! File-transfer sessions: `sftp`, `ftp`, `lftp` and `smbclient` run a
//! list of commands against a host. The commands come from the line
//! (`lftp -c`/`-e`, `smbclient -c`), from standard input (a heredoc, a
//! here-string, a pipe, `sftp -b -`) or from a batch file written earlier
//! (`sftp -b FILE`, `lftp -f FILE` and its `source FILE`, Windows' `ftp
//! -s:FILE`). The session keeps its local directory (`lcd`): what `put`,
//! `mput`, `reput`, `append`, `send` and lftp's `mirror -R` send is read
//! from there, and what `get`, `mget`, `reget`, `recv`, `newer`, `pget`
//! and `mirror` fetch is written there. lftp's `open` moves the session
//! to another host, with the login it gives; `!CMD` runs a local shell
//! command. A batch file whose text is not known, or an interactive
//! session, is reported as a send to the host.

use super::super::words::{self, Backslash};
use super::super::{Invocation, Nested, Outcome, printed_lines, request, send_file, url};
use super::{Location, Lookup, host_target, location, send_text, user_host};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, FileRef, Payload, Target, flow, paths};

/// How deep lftp's `source`, `open -e` and `queue` may nest commands.
const MAX_DEPTH: usize = 8;

/// The client that runs a session: its options and how it reads its commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    Sftp,
    Ftp,
    Lftp,
    Smb,
}

impl Client {
    fn of(program: &str) -> Option<Client> {
        Some(match program {
            "sftp" => Client::Sftp,
            "ftp" => Client::Ftp,
            "lftp" => Client::Lftp,
            "smbclient" => Client::Smb,
            _ => return None,
        })
    }

    /// The client's options that take a value: OpenSSH sftp's; ftp's
    /// (tnftp's `-P PORT`, `-u URL`, `-o OUT`; Windows' `-s:FILE`); lftp's
    /// `-c`, `-e`, `-f`, `-p`, `-u`; smbclient's.
    fn spec(self) -> Spec<'static> {
        match self {
            Client::Sftp => Spec {
                short: "BbcDFiJloPRSsX",
                ..Spec::default()
            },
            Client::Ftp => Spec {
                short: "NoPqrsTuxwb",
                ..Spec::default()
            },
            Client::Lftp => Spec {
                short: "cefpu",
                long: &["user", "password", "rcfile"],
                stop_after: None,
            },
            Client::Smb => Spec {
                short: "RMILmTDcbtpdslAUWniO",
                long: SMB_LONG,
                stop_after: None,
            },
        }
    }

    /// What a backslash in the session's commands is: a character of a
    /// Windows path to smbclient, an escape to the others.
    fn backslash(self) -> Backslash {
        match self {
            Client::Smb => Backslash::Literal,
            Client::Sftp | Client::Ftp | Client::Lftp => Backslash::OutsideQuotes,
        }
    }

    /// The port the line gives: `sftp -P N` (`-o Port=N`), `ftp HOST
    /// PORT` (tnftp's `-P N`), `lftp -p N`, `smbclient -p N`.
    fn port(self, items: &[Item<'_>], positional: &[&Arg]) -> Option<u16> {
        let number = |arg: &Arg| arg.text.parse().ok();
        match self {
            Client::Sftp => args::value(items, &["-P"]).and_then(number).or_else(|| {
                args::values(items, &["-o"])
                    .into_iter()
                    .find_map(|option| ssh_option_port(&option.text))
            }),
            Client::Ftp => args::value(items, &["-P"])
                .and_then(number)
                .or_else(|| positional.get(1).and_then(|p| number(p))),
            Client::Lftp | Client::Smb => args::value(items, &["-p", "--port"]).and_then(number),
        }
    }
}

const SMB_LONG: &[&str] = &[
    "name-resolve",
    "message",
    "ip-address",
    "list",
    "max-protocol",
    "tar",
    "directory",
    "command",
    "send-buffer",
    "timeout",
    "port",
    "debuglevel",
    "configfile",
    "log-basename",
    "authentication-file",
    "user",
    "workgroup",
    "netbiosname",
    "scope",
    "socket-options",
    "password",
];

/// `Port=N` (or `Port N`) of an ssh `-o` option.
fn ssh_option_port(option: &str) -> Option<u16> {
    let (key, value) = option.split_once(['=', ' '])?;
    key.trim()
        .eq_ignore_ascii_case("port")
        .then(|| value.trim().parse().ok())
        .flatten()
}

/// The host a site names, as the clients write it: a URL (`sftp://host/dir`,
/// `ftp://user:PASS@host`), `[user@]host[:path]`, or `//host/share`.
fn site_target(text: &str, port: Option<u16>) -> Target {
    if let Some((scheme, rest)) = text.split_once("://") {
        let authority = rest.split('/').next().unwrap_or(rest);
        return url(&format!("{scheme}://{authority}"));
    }
    let text = text.trim_start_matches(['/', '\\']);
    let text = text.split(['/', '\\']).next().unwrap_or(text);
    match location(text, port) {
        Location::Remote(target) => target,
        Location::Local => {
            let (user, host) = user_host(text);
            host_target(user, host, port, None)
        }
    }
}

/// sftp's retrieve form, `sftp [user@]host:path [local]`, as the `get`
/// command it is; `None` for a session (`sftp host`, `sftp host:dir/`
/// opens the directory).
fn retrieve_form(client: Client, positional: &[&Arg]) -> Option<String> {
    if client != Client::Sftp {
        return None;
    }
    let site = positional.first()?;
    if site.text.contains("://") {
        return None;
    }
    let (_, remote) = site.text.split_once(':')?;
    if remote.is_empty() || remote.ends_with('/') {
        return None;
    }
    let local = positional.get(1).map_or("", |local| local.text.as_str());
    Some(format!("get {remote} {local}").trim_end().to_owned())
}

/// Where a session's commands come from.
enum Commands {
    /// Their text; `written` when it is a file an earlier command wrote.
    Known { text: String, written: bool },
    /// Commands writ cannot see, and why.
    Unseen(String),
}

/// The session's commands: `sftp -b FILE` (`-b -` is standard input),
/// Windows' `ftp -s:FILE`, `lftp -c CMDS`, `lftp -f FILE`, `lftp -e CMDS`
/// followed by standard input, `smbclient -c CMDS`, else standard input.
fn commands(
    inv: &Invocation<'_>,
    client: Client,
    items: &[Item<'_>],
    text_of: &Lookup<'_>,
) -> Commands {
    let stdin = (!inv.stdin.text.is_empty()).then(|| printed_lines(&inv.stdin.text.join("\n")));
    let file = |name: &str| match text_of(&inv.path(name)) {
        Some(text) => Commands::Known {
            text,
            written: true,
        },
        None => Commands::Unseen(format!(
            "{} runs the commands in {name}, which writ cannot see",
            inv.program
        )),
    };
    let inline = |text: Option<String>| match text {
        Some(text) => Commands::Known {
            text,
            written: false,
        },
        None => Commands::Unseen(format!(
            "{} runs commands writ cannot see (a batch file or a session)",
            inv.program
        )),
    };
    match client {
        Client::Sftp => match args::value(items, &["-b"]) {
            Some(batch) if batch.text != "-" => file(&batch.text),
            _ => inline(stdin),
        },
        Client::Ftp => match args::value(items, &["-s"]).and_then(|s| s.text.strip_prefix(':')) {
            Some(script) => file(script),
            None => inline(stdin),
        },
        Client::Lftp => {
            if let Some(text) = args::value(items, &["-c"]) {
                return inline(Some(printed_lines(&text.text)));
            }
            if let Some(script) = args::value(items, &["-f"]) {
                return file(&script.text);
            }
            let first = args::value(items, &["-e"]).map(|e| printed_lines(&e.text));
            match (first, stdin) {
                (Some(first), Some(rest)) => inline(Some(format!("{first}\n{rest}"))),
                (first, rest) => inline(first.or(rest)),
            }
        }
        Client::Smb => match args::value(items, &["-c", "--command"]) {
            Some(text) => inline(Some(printed_lines(&text.text))),
            None => inline(stdin),
        },
    }
}

/// The login the line gives, which goes to the host: `lftp -u USER,PASS`
/// (`--user U --password P`), `smbclient -U USER%PASS` (a password after
/// the share, `-A FILE`).
fn line_login(
    inv: &Invocation<'_>,
    client: Client,
    items: &[Item<'_>],
    positional: &[&Arg],
) -> Payload {
    let mut login = Payload::default();
    match client {
        Client::Lftp => {
            for value in args::values(items, &["-u", "--user", "--password"]) {
                send_text(&mut login, value);
            }
        }
        Client::Smb => {
            for value in args::values(items, &["-U", "--user", "--password"]) {
                send_text(&mut login, value);
            }
            if args::value(items, &["-T", "--tar"]).is_none() {
                for password in positional.iter().skip(1) {
                    send_text(&mut login, password);
                }
            }
            for file in args::values(items, &["-A", "--authentication-file"]) {
                send_file(inv, &mut login, &file.text, false);
            }
        }
        Client::Sftp | Client::Ftp => {}
    }
    login
}

/// A session of `sftp`, `ftp`, `lftp` or `smbclient` ([`session`]).
pub(super) fn batch_transfer(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Outcome {
    session(inv, text_of).map_or_else(Outcome::default, |(outcome, _)| outcome)
}

/// The session again, once files written earlier are known: `Some` when
/// its commands came from one of them.
pub(super) fn from_written(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    session(inv, text_of).and_then(|(outcome, written)| written.then_some(outcome))
}

/// What the session does, and whether it read a file written earlier.
fn session(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<(Outcome, bool)> {
    let client = Client::of(inv.program)?;
    let items = args::parse(inv.args, &client.spec());
    let positional = args::positionals(&items);
    if client == Client::Ftp
        && let Some(destination) = args::value(&items, &["-u"])
    {
        return Some((ftp_upload(inv, destination, &positional), false));
    }
    let port = client.port(&items, &positional);
    let site = positional.first().map(|site| site_target(&site.text, port));
    let mut session = Session::new(inv, client, text_of);
    session.pending_login = line_login(inv, client, &items, &positional);
    if let Some(site) = &site {
        session.open_host(site.clone());
    }
    // smbclient's tar mode (`-Tc FILE`, `-Tx FILE`) runs no commands.
    if client == Client::Smb && session.smb_tar(&items, &positional) {
        return Some((session.finish(), false));
    }
    if let Some(get) = retrieve_form(client, &positional) {
        // `sftp host:path [local]` fetches the file and runs no commands.
        session.run(&get, 0);
        return Some((session.finish(), false));
    }
    match commands(inv, client, &items, text_of) {
        Commands::Known { text, written } => {
            session.used_written |= written;
            session.run(&text, 0);
        }
        Commands::Unseen(what) => session.unseen(what),
    }
    let written = session.used_written;
    Some((session.finish(), written))
}

/// tnftp's `ftp -u URL FILE...`: the files are uploaded to URL.
fn ftp_upload(inv: &Invocation<'_>, destination: &Arg, files: &[&Arg]) -> Outcome {
    let mut sent = Payload::default();
    for file in files {
        send_file(inv, &mut sent, &file.text, false);
        flow::merge(&mut sent, &file.expansions());
    }
    let mut outcome = Outcome::default();
    outcome.effects.push(request(
        inv.program,
        site_target(&destination.text, None),
        "UPLOAD",
        sent,
        false,
    ));
    outcome
}

/// One host a session reaches, and what it does there.
#[derive(Debug)]
struct Host {
    target: Target,
    /// The files it sends there.
    sent: Payload,
    /// The login it gives there.
    login: Payload,
    fetched: bool,
    /// Whether it deletes there (`mirror -R --delete`).
    deletes: bool,
    /// What the session sends there without saying which files (a batch
    /// file or a session writ cannot see).
    unseen: Option<Payload>,
}

/// A session being read command by command.
struct Session<'s, 'a> {
    inv: &'s Invocation<'a>,
    client: Client,
    text_of: &'s Lookup<'s>,
    /// The local directory transfers read from and write to (`lcd`).
    local: String,
    /// smbclient's `recurse`: `mput` and `mget` descend into directories.
    recurse: bool,
    hosts: Vec<Host>,
    /// The host now open, by index into `hosts`.
    open: Option<usize>,
    /// The line's login, for the first host the session opens.
    pending_login: Payload,
    writes: Vec<String>,
    /// Local paths it deletes, and whether with what they hold.
    local_deletes: Vec<(String, bool)>,
    nested: Vec<Nested>,
    opaque: Vec<String>,
    /// Whether the commands came from a file written earlier.
    used_written: bool,
    /// Set by `bye`, `quit` or `exit`: nothing after it runs.
    closed: bool,
}

impl<'s, 'a> Session<'s, 'a> {
    fn new(inv: &'s Invocation<'a>, client: Client, text_of: &'s Lookup<'s>) -> Self {
        Session {
            inv,
            client,
            text_of,
            local: inv.cwd.to_owned(),
            recurse: false,
            hosts: Vec::new(),
            open: None,
            pending_login: Payload::default(),
            writes: Vec::new(),
            local_deletes: Vec::new(),
            nested: Vec::new(),
            opaque: Vec::new(),
            used_written: false,
            closed: false,
        }
    }

    /// A path as the session's local directory resolves it.
    fn local_path(&self, text: &str) -> String {
        paths::resolve(&self.local, self.inv.home, text)
    }

    /// The index of `target` among the session's hosts, added if new.
    fn host(&mut self, target: Target) -> usize {
        if let Some(index) = self.hosts.iter().position(|h| h.target == target) {
            return index;
        }
        let login = std::mem::take(&mut self.pending_login);
        self.hosts.push(Host {
            target,
            sent: Payload::default(),
            login,
            fetched: false,
            deletes: false,
            unseen: None,
        });
        self.hosts.len() - 1
    }

    /// Makes `target` the host the following commands act on.
    fn open_host(&mut self, target: Target) -> usize {
        let index = self.host(target);
        self.open = Some(index);
        index
    }

    /// Commands writ cannot see: a send of standard input to the host.
    fn unseen(&mut self, what: String) {
        self.opaque.push(what);
        if let Some(index) = self.open
            && let Some(host) = self.hosts.get_mut(index)
        {
            host.unseen = Some(self.inv.stdin.clone());
        }
    }

    /// Runs a script: its lines, and the commands `;` separates on them.
    fn run(&mut self, text: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for statement in statements(text) {
            if self.closed {
                return;
            }
            self.statement(statement, depth);
        }
    }

    /// One command: a prefix `-` (ignore errors) or `@` (quiet) is
    /// dropped; `!CMD` runs CMD in a local shell.
    fn statement(&mut self, statement: &str, depth: usize) {
        let statement = statement.trim().trim_start_matches(['-', '@']).trim_start();
        if let Some(command) = statement.strip_prefix('!') {
            if !command.trim().is_empty() {
                self.nested.push(Nested::Script {
                    text: command.to_owned(),
                    what: format!("{} local command", self.inv.program),
                });
            }
            return;
        }
        let words = words::split(statement, self.client.backslash());
        self.command(&words, depth);
    }

    fn command(&mut self, words: &[String], depth: usize) {
        let Some((verb, operands)) = words.split_first() else {
            return;
        };
        match verb.to_ascii_lowercase().as_str() {
            "lcd" | "lchdir" => {
                let dir = operands.first().map_or("~", String::as_str);
                self.local = self.local_path(dir);
            }
            verb @ ("put" | "send" | "append" | "reput" | "mput") => self.put(verb, operands),
            verb @ ("get" | "recv" | "reget" | "newer" | "mget" | "pget" | "get1") => {
                self.get(verb, operands);
            }
            "mirror" => self.mirror(operands),
            "open" => self.open(operands, depth),
            "user" => self.login_text(operands),
            "source" => self.source(operands, depth),
            // lftp's prefixes that run the command after their options.
            "queue" | "glob" | "command" => {
                let rest: Vec<String> = operands
                    .iter()
                    .skip_while(|w| w.starts_with('-'))
                    .cloned()
                    .collect();
                self.command(&rest, depth + 1);
            }
            "recurse" => {
                self.recurse = match operands.first().map(|w| w.to_ascii_lowercase()) {
                    Some(word) if word == "on" => true,
                    Some(word) if word == "off" => false,
                    _ => !self.recurse,
                }
            }
            "tar" if self.client == Client::Smb => self.tar_command(operands),
            "bye" | "quit" | "exit" => self.closed = true,
            _ => {}
        }
    }

    /// Adds a local file to what the open host is sent.
    fn send(&mut self, file: &str, recursive: bool) {
        let path = self.local_path(file);
        if let Some(host) = self.open.and_then(|i| self.hosts.get_mut(i)) {
            flow::push_file(
                &mut host.sent,
                FileRef {
                    path,
                    recursive,
                    excludes: Vec::new(),
                },
            );
        }
    }

    /// Marks the open host as one the session downloads from.
    fn fetch(&mut self) {
        if let Some(host) = self.open.and_then(|i| self.hosts.get_mut(i)) {
            host.fetched = true;
        }
    }

    /// `put LOCAL [REMOTE]` (`send`, `append`, `reput`), `mput FILE...`;
    /// lftp's `put [-O BASE] FILE... [-o REMOTE]` sends each file, and
    /// `-E` deletes it once sent. sftp's `put -r` sends a tree, as
    /// smbclient's `mput` does under `recurse`.
    fn put(&mut self, verb: &str, operands: &[String]) {
        let argv: Vec<Arg> = operands.iter().map(|w| Arg::literal(w)).collect();
        let lftp = self.client == Client::Lftp;
        let items = args::parse(
            &argv,
            &Spec {
                short: if lftp { "OoP" } else { "" },
                ..Spec::default()
            },
        );
        let every = verb == "mput" || lftp;
        let recursive = (self.client == Client::Sftp && args::has(&items, &["-r", "-R"]))
            || (self.client == Client::Smb && verb == "mput" && self.recurse);
        let files: Vec<String> = args::positionals(&items)
            .into_iter()
            .take(if every { usize::MAX } else { 1 })
            .map(|a| a.text.clone())
            .collect();
        for file in &files {
            self.send(file, recursive);
        }
        if lftp && args::has(&items, &["-E"]) && self.open.is_some() {
            let deleted: Vec<(String, bool)> =
                files.iter().map(|f| (self.local_path(f), false)).collect();
            self.local_deletes.extend(deleted);
        }
    }

    /// `get REMOTE [LOCAL]` (`recv`, `reget`, `newer`), `mget NAME...`;
    /// lftp's `get [-O BASE] REMOTE... [-o LOCAL]` (`pget`, `get1`): each
    /// file is written to LOCAL, or its name under the local directory.
    fn get(&mut self, verb: &str, operands: &[String]) {
        let argv: Vec<Arg> = operands.iter().map(|w| Arg::literal(w)).collect();
        let lftp = self.client == Client::Lftp;
        let items = args::parse(
            &argv,
            &Spec {
                short: if lftp { "OoPn" } else { "" },
                ..Spec::default()
            },
        );
        let mut pairs: Vec<(&str, Option<&str>)> = Vec::new();
        for item in &items {
            match item {
                Item::Pos(word) if lftp || verb == "mget" || pairs.is_empty() => {
                    pairs.push((&word.text, None));
                }
                Item::Pos(word) => {
                    if let Some(pair) = pairs.last_mut().filter(|p| p.1.is_none()) {
                        pair.1 = Some(&word.text);
                    }
                }
                Item::Opt {
                    name,
                    value: Some(value),
                } if name == "-o" => {
                    if let Some(pair) = pairs.last_mut() {
                        pair.1 = Some(&value.text);
                    }
                }
                Item::Opt { .. } => {}
            }
        }
        if pairs.is_empty() {
            return;
        }
        self.fetch();
        let base = args::value(&items, &["-O"]).map(|b| b.text.as_str());
        if base.is_some_and(|b| b.contains("://")) {
            return;
        }
        let dir = base.map_or_else(|| self.local.clone(), |b| self.local_path(b));
        for (remote, local) in pairs {
            let name = local.unwrap_or_else(|| remote_name(remote));
            self.writes.push(paths::resolve(&dir, self.inv.home, name));
        }
    }

    /// lftp's `mirror [OPTS] [SOURCE [TARGET]]` ([`Mirror`]).
    fn mirror(&mut self, operands: &[String]) {
        let argv: Vec<Arg> = operands.iter().map(|w| Arg::literal(w)).collect();
        let items = args::parse(
            &argv,
            &Spec {
                short: "NixIXfFO",
                long: MIRROR_LONG,
                stop_after: None,
            },
        );
        let mirror = Mirror::read(&items);
        if let Some(script) = &mirror.script {
            if script != "-" {
                let path = self.local_path(script);
                self.writes.push(path);
            }
            return;
        }
        // A URL source or target is that host for this mirror only.
        let open = self.open;
        if mirror.reverse {
            self.mirror_up(&mirror);
        } else {
            self.mirror_down(&mirror);
        }
        self.open = open;
    }

    /// `mirror -R`: the local SOURCE (else the local directory) goes to
    /// TARGET's host, a URL, or the open host.
    fn mirror_up(&mut self, mirror: &Mirror) {
        let remote = mirror.target.as_deref().or(mirror.base.as_deref());
        if let Some(remote) = remote.filter(|r| r.contains("://")) {
            self.open_host(site_target(remote, None));
        }
        if self.open.is_none() {
            return;
        }
        let sources = if mirror.sources.is_empty() {
            vec![".".to_owned()]
        } else {
            mirror.sources.clone()
        };
        for source in &sources {
            self.send(source, mirror.recursive);
        }
        if mirror.remove_source {
            let deleted: Vec<(String, bool)> =
                sources.iter().map(|s| (self.local_path(s), true)).collect();
            self.local_deletes.extend(deleted);
        }
        if mirror.delete
            && let Some(host) = self.open.and_then(|i| self.hosts.get_mut(i))
        {
            host.deletes = true;
        }
    }

    /// `mirror`: the remote SOURCE (a URL's host, or the open host) is
    /// written to TARGET, else its name under the local directory; a
    /// TARGET ending in `/` gets the source's name appended.
    fn mirror_down(&mut self, mirror: &Mirror) {
        if let Some(source) = mirror.sources.iter().find(|s| s.contains("://")) {
            self.open_host(site_target(source, None));
        }
        if self.open.is_none() {
            return;
        }
        self.fetch();
        let source_name = mirror.sources.first().map(|s| remote_name(s));
        let dir = match &mirror.base {
            Some(base) if base.contains("://") => return,
            Some(base) => self.local_path(base),
            None => self.local.clone(),
        };
        let resolve = |name: &str| paths::resolve(&dir, self.inv.home, name);
        let target = match (&mirror.target, source_name) {
            (Some(target), Some(name)) if target.ends_with('/') && target != "/" => {
                resolve(&format!("{target}{name}"))
            }
            (Some(target), _) => resolve(target),
            (None, Some(name)) => resolve(name),
            (None, None) => dir.clone(),
        };
        if mirror.delete {
            self.local_deletes.push((target.clone(), true));
        }
        if mirror.remove_source
            && let Some(host) = self.open.and_then(|i| self.hosts.get_mut(i))
        {
            host.deletes = true;
        }
        self.writes.push(target);
    }

    /// `open [-u USER[,PASS]] [-p PORT] [-e CMDS] SITE` (lftp), `open HOST
    /// [PORT]` (ftp): the commands after it act on SITE, which is given
    /// the login; lftp runs `-e`'s commands there.
    fn open(&mut self, operands: &[String], depth: usize) {
        let argv: Vec<Arg> = operands.iter().map(|w| Arg::literal(w)).collect();
        let items = args::parse(
            &argv,
            &Spec {
                short: "eupsS",
                long: &["user", "password"],
                stop_after: None,
            },
        );
        let positional = args::positionals(&items);
        let Some(site) = positional.first() else {
            return;
        };
        let port = args::value(&items, &["-p"])
            .or_else(|| positional.get(1).copied())
            .and_then(|p| p.text.parse().ok());
        let index = self.open_host(site_target(&site.text, port));
        if let Some(host) = self.hosts.get_mut(index) {
            for value in args::values(&items, &["-u", "--user", "--password"]) {
                send_text(&mut host.login, value);
            }
        }
        if let Some(commands) = args::value(&items, &["-e"]) {
            let text = commands.text.clone();
            self.run(&text, depth + 1);
        }
    }

    /// `user NAME [PASSWORD [ACCOUNT]]`: the login goes to the open host.
    fn login_text(&mut self, operands: &[String]) {
        if let Some(host) = self.open.and_then(|i| self.hosts.get_mut(i))
            && !operands.is_empty()
        {
            flow::push_text(&mut host.login, &operands.join(" "));
        }
    }

    /// lftp's `source FILE`: the commands in FILE, when it was written
    /// earlier.
    fn source(&mut self, operands: &[String], depth: usize) {
        let Some(file) = operands.iter().find(|w| !w.starts_with('-')) else {
            return;
        };
        if operands.iter().any(|w| w == "-e") {
            return;
        }
        let path = self.local_path(file);
        match (self.text_of)(&path) {
            Some(text) => {
                self.used_written = true;
                self.run(&text, depth + 1);
            }
            None => self.opaque.push(format!(
                "lftp runs the commands in {file}, which writ cannot see"
            )),
        }
    }

    /// smbclient's `tar c FILE` writes the share's files into FILE;
    /// `tar x FILE` sends FILE's files to the share.
    fn tar_command(&mut self, operands: &[String]) {
        let (Some(mode), Some(file)) = (operands.first(), operands.get(1)) else {
            return;
        };
        self.tar(mode, file);
    }

    /// smbclient's `-T c|x[FLAGS] FILE` on the line, as [`Self::tar_command`];
    /// false when the line has none.
    fn smb_tar(&mut self, items: &[Item<'_>], positional: &[&Arg]) -> bool {
        let Some(mode) = args::value(items, &["-T", "--tar"]) else {
            return false;
        };
        if let Some(file) = positional.get(1) {
            self.tar(&mode.text, &file.text);
        }
        true
    }

    fn tar(&mut self, mode: &str, file: &str) {
        if mode.starts_with('c') {
            self.fetch();
            if file != "-" {
                let path = self.local_path(file);
                self.writes.push(path);
            }
        } else if mode.starts_with('x') {
            self.send(file, false);
        }
    }

    /// The session's effects: per host, a download, a delete and an
    /// upload (the login goes with each; a session that transfers nothing
    /// still logs in), then the local writes, deletes and commands.
    fn finish(self) -> Outcome {
        let mut outcome = Outcome::default();
        let program = self.inv.program;
        for host in self.hosts {
            let mut requests = 0;
            if host.fetched {
                outcome.effects.push(request(
                    program,
                    host.target.clone(),
                    "DOWNLOAD",
                    host.login.clone(),
                    false,
                ));
                requests += 1;
            }
            if host.deletes {
                outcome.effects.push(Effect::RemoteDelete {
                    target: host.target.clone(),
                    recursive: true,
                });
            }
            let unseen = host.unseen.is_some();
            let mut sent = host.unseen.unwrap_or_default();
            flow::merge(&mut sent, &host.sent);
            if unseen || sent != Payload::default() {
                flow::merge(&mut sent, &host.login);
                outcome
                    .effects
                    .push(request(program, host.target.clone(), "UPLOAD", sent, false));
                requests += 1;
            }
            if requests == 0 && host.login != Payload::default() {
                outcome
                    .effects
                    .push(request(program, host.target, "DOWNLOAD", host.login, false));
            }
        }
        for path in self.writes {
            outcome.write(path, false);
        }
        for (path, recursive) in self.local_deletes {
            outcome.delete(path, recursive);
        }
        outcome.nested = self.nested;
        outcome.opaque = self.opaque;
        outcome
    }
}

/// lftp's `mirror` options that take a value (`--parallel[=N]` and
/// `--verbose[=N]` take one only after `=`).
const MIRROR_LONG: &[&str] = &[
    "newer-than",
    "older-than",
    "size-range",
    "include",
    "exclude",
    "include-glob",
    "exclude-glob",
    "include-rx-from",
    "exclude-rx-from",
    "include-glob-from",
    "exclude-glob-from",
    "file",
    "directory",
    "target-directory",
    "log",
    "script",
    "on-change",
    "max-errors",
    "recursion",
];

/// What one `mirror` command asks for.
#[derive(Debug, Default)]
struct Mirror {
    /// `-R`: local to remote.
    reverse: bool,
    /// Not `-r` (`--no-recursion`).
    recursive: bool,
    /// `-e` (`--delete`): the target loses what the source lacks.
    delete: bool,
    /// `--Remove-source-files`, `--Remove-source-dirs`, `--Move`.
    remove_source: bool,
    /// SOURCE, or the `-f FILE` / `-F DIR` groups.
    sources: Vec<String>,
    target: Option<String>,
    /// `-O DIR`: the target's base directory or URL.
    base: Option<String>,
    /// `--script=FILE` (`--dry-run` and `--just-print` are `-`): the
    /// commands are written, not run.
    script: Option<String>,
}

impl Mirror {
    fn read(items: &[Item<'_>]) -> Mirror {
        let text = |arg: &Arg| arg.text.clone();
        let mut sources: Vec<String> = args::values(items, &["-f", "--file", "-F", "--directory"])
            .into_iter()
            .map(text)
            .collect();
        let mut positional = args::positionals(items).into_iter().map(text);
        if sources.is_empty() {
            sources.extend(positional.next());
        }
        let script = args::value(items, &["--script"])
            .map(text)
            .or_else(|| args::has(items, &["--dry-run", "--just-print"]).then(|| "-".to_owned()));
        Mirror {
            reverse: args::has(items, &["-R", "--reverse"]),
            recursive: !args::has(items, &["-r", "--no-recursion"]),
            delete: args::has(items, &["-e", "--delete", "--delete-first"]),
            remove_source: args::has(
                items,
                &["--Remove-source-files", "--Remove-source-dirs", "--Move"],
            ),
            sources,
            target: positional.next(),
            base: args::value(items, &["-O", "--target-directory"]).map(text),
            script,
        }
    }
}

/// The name a remote path is saved under: its last part (smbclient's
/// paths use `\\`).
fn remote_name(remote: &str) -> &str {
    let trimmed = remote.trim_end_matches(['/', '\\']);
    let name = trimmed.rsplit(['/', '\\']).next().unwrap_or(trimmed);
    if name.is_empty() { remote } else { name }
}

/// A script's commands: its lines, split at `;`, `&&` and `||` outside
/// quotes.
fn statements(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let width = match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                continue;
            }
            (Some(_), '\n') => {
                quote = None;
                1
            }
            (Some(_), _) => continue,
            (None, '\'' | '"') => {
                quote = Some(c);
                continue;
            }
            (None, '\n' | ';') => 1,
            (None, '&' | '|') if chars.peek().is_some_and(|(_, next)| *next == c) => {
                chars.next();
                2
            }
            (None, _) => continue,
        };
        out.push(&text[start..index]);
        start = index + width;
    }
    out.push(&text[start..]);
    out
}
