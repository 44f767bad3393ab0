//! What git runs because of its settings and its environment.
//!
//! git reads settings from the line (`-c KEY=VALUE`, `--config-env
//! KEY=VAR`, clone's own `-c`) and from its environment
//! (`GIT_CONFIG_COUNT` with `GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`,
//! `GIT_CONFIG_PARAMETERS`), and several settings and variables name a
//! command that git hands to the shell when the subcommand needs it: the
//! ssh command of a remote reached over ssh, credential helpers, the
//! pager, the editor, the file system monitor, external diff and merge
//! programs, clean and smudge filters, upload-pack's hooks, and the
//! `ext::` transport's command. Each is a nested command, so what it reads
//! and sends is analysed as the line's own; a fetch or push whose settings
//! redirect the remote (`remote.NAME.url`, `url.BASE.insteadOf`) goes
//! where they send it.

use super::super::{Invocation, Nested, Outcome};
use super::{
    CLONE_VALUE_OPTIONS, FETCH_VALUE_OPTIONS, PUSH_VALUE_OPTIONS, is_remote_name, split_alias,
    url_matches, urls,
};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, PushSettings, Target};

/// One setting, `section[.subsection].name`: section and name lower-cased
/// (git compares them so), the subsection as written.
#[derive(Debug)]
struct Entry {
    section: String,
    subsection: Option<String>,
    name: String,
    value: Arg,
}

/// The settings a git command line and its environment give, in the order
/// git reads them: the last value of a key wins.
#[derive(Debug, Default)]
pub(super) struct Config {
    entries: Vec<Entry>,
}

/// How many `GIT_CONFIG_KEY_n` pairs are read.
const MAX_ENV_PAIRS: usize = 64;

impl Config {
    /// The environment's settings: the `GIT_CONFIG_COUNT` pairs, then
    /// `GIT_CONFIG_PARAMETERS` (`'key'='value' ...`, where git passes its
    /// `-c` settings on to the git commands it runs).
    pub(super) fn from_env(inv: &Invocation<'_>) -> Config {
        let mut config = Config::default();
        let count = inv
            .env_value("GIT_CONFIG_COUNT")
            .and_then(|count| count.text.trim().parse::<usize>().ok())
            .unwrap_or(0);
        for n in 0..count.min(MAX_ENV_PAIRS) {
            if let (Some(key), Some(value)) = (
                inv.env_value(&format!("GIT_CONFIG_KEY_{n}")),
                inv.env_value(&format!("GIT_CONFIG_VALUE_{n}")),
            ) {
                config.push(&key.text, value.clone());
            }
        }
        if let Some(parameters) = inv.env_value("GIT_CONFIG_PARAMETERS") {
            for pair in split_alias(&parameters.text) {
                config.push_assignment(&parameters.with_text(&pair));
            }
        }
        config
    }

    /// `-c KEY=VALUE`; `-c KEY` alone is the boolean `true`.
    pub(super) fn push_assignment(&mut self, arg: &Arg) {
        match arg.text.split_once('=') {
            Some((key, value)) => self.push(key, arg.with_text(value)),
            None => self.push(&arg.text, arg.with_text("true")),
        }
    }

    /// `--config-env=KEY=VAR`: the value is the variable's, unknown when
    /// the line does not set it.
    pub(super) fn push_from_env(&mut self, arg: &Arg, inv: &Invocation<'_>) {
        let Some((key, var)) = arg.text.split_once('=') else {
            return;
        };
        let value = inv.env_value(var).cloned().unwrap_or_else(|| Arg {
            text: format!("${var}"),
            env: vec![var.to_owned()],
            dynamic: true,
            ..Arg::default()
        });
        self.push(key, value);
    }

    /// `git clone -c KEY=VALUE` (`--config`): settings of the new
    /// repository, in effect before it fetches.
    pub(super) fn push_clone_options(&mut self, args: &[Arg]) {
        let items = args::parse(
            args,
            &Spec {
                short: "objuc",
                long: CLONE_VALUE_OPTIONS,
                stop_after: None,
            },
        );
        for value in args::values(&items, &["-c", "--config"]) {
            self.push_assignment(value);
        }
    }

    fn push(&mut self, key: &str, value: Arg) {
        let Some((section, rest)) = key.split_once('.') else {
            return;
        };
        let (subsection, name) = match rest.rsplit_once('.') {
            Some((subsection, name)) => (Some(subsection.to_owned()), name),
            None => (None, rest),
        };
        self.entries.push(Entry {
            section: section.to_ascii_lowercase(),
            subsection,
            name: name.to_ascii_lowercase(),
            value,
        });
    }

    /// Every value of `section[.*].name` with its subsection, in order.
    pub(super) fn all<'c>(
        &'c self,
        section: &'static str,
        name: &'static str,
    ) -> impl Iterator<Item = (Option<&'c str>, &'c Arg)> + 'c {
        self.entries
            .iter()
            .filter(move |e| e.section == section && e.name == name)
            .map(|e| (e.subsection.as_deref(), &e.value))
    }

    /// The value of `section[.subsection].name`, the last one given.
    fn get(&self, section: &str, subsection: Option<&str>, name: &str) -> Option<&Arg> {
        self.entries
            .iter()
            .rev()
            .find(|e| {
                e.section == section && e.name == name && e.subsection.as_deref() == subsection
            })
            .map(|e| &e.value)
    }

    /// `alias.NAME` (alias names ignore case).
    pub(super) fn alias(&self, name: &str) -> Option<&Arg> {
        self.get("alias", None, &name.to_ascii_lowercase())
    }

    /// The URL the settings make of a remote as written (a name or a
    /// URL), when they change it ([`urls::resolve_remote`]).
    fn remote_url(&self, remote: &str, push: bool) -> Option<String> {
        urls::resolve_remote(remote, push, &self.url_settings(), |_| None)
            .filter(|url| url != remote)
    }

    /// The settings that move a remote (`url.BASE.insteadOf`,
    /// `url.BASE.pushInsteadOf`, `remote.NAME.url`, `remote.NAME.pushurl`),
    /// as `(key, value)` in the order given, keys as git compares them.
    pub(super) fn url_settings(&self) -> Vec<(String, String)> {
        self.entries
            .iter()
            .filter(|e| {
                matches!(
                    (e.section.as_str(), e.name.as_str()),
                    ("url", "insteadof" | "pushinsteadof") | ("remote", "url" | "pushurl")
                ) && e.subsection.is_some()
            })
            .map(|e| {
                let sub = e.subsection.as_deref().unwrap_or_default();
                (
                    format!("{}.{sub}.{}", e.section, e.name),
                    e.value.text.clone(),
                )
            })
            .collect()
    }
}

/// Whether git pages its output: `-p`/`--paginate` forces the pager and
/// `-P`/`--no-pager` turns it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Paging {
    Default,
    Forced,
    Off,
}

/// A fetch, pull or clone from a remote the settings redirect goes where
/// they send it. A push keeps the settings ([`PushSettings`]): where it
/// goes is decided once the line's and the session's settings and the
/// remote's URL are known, in git's one pass (`carry_remotes`, and
/// writ-core for the session's).
pub(super) fn resolve_remotes(config: &Config, sub: &str, outcome: &mut Outcome) {
    let settings = config.url_settings();
    if settings.is_empty() {
        return;
    }
    for effect in &mut outcome.effects {
        match effect {
            Effect::GitPush(push) => {
                let remote = push.remote.clone().unwrap_or_else(|| "origin".to_owned());
                push.settings = Some(PushSettings {
                    remote,
                    url: None,
                    entries: settings.clone(),
                });
            }
            Effect::Request(request) if request.program == "git" => {
                let written = match &request.target {
                    Target::Url { url } => url,
                    Target::Remote { name } => name,
                    _ => continue,
                };
                if let Some(url) = config.remote_url(written, sub == "push") {
                    request.target = Target::Url { url };
                }
            }
            _ => {}
        }
    }
}

/// Adds the commands git runs for `sub` (its arguments in `inv`) because
/// of its settings, its environment and the commands its options name.
pub(super) fn run(
    inv: &Invocation<'_>,
    sub: &str,
    config: &Config,
    paging: Paging,
    outcome: &mut Outcome,
) {
    let jobs = &mut outcome.nested;
    if remote_commands(inv, sub, config, jobs) {
        // What a credential helper prints (`password=...`) git sends to
        // the remote with its requests.
        outcome.nested_output_sent = true;
    }
    jobs.extend(pager(inv, sub, config, paging));
    editors(inv, sub, config, jobs);
    jobs.extend(fsmonitor(sub, config));
    diff_programs(inv, sub, config, jobs);
    filters(sub, config, jobs);
    option_commands(inv, sub, jobs);
}

/// A command git runs through the shell, as `sh -c 'COMMAND "$@"'
/// COMMAND ARGS...`: the arguments follow its text, and a `#` in it
/// comments them out.
fn shell(command: &Arg, args: &[&str], what: &str) -> Nested {
    let text = if args.is_empty() {
        command.text.clone()
    } else {
        format!("{} {}", command.text, positional_words(args.len()))
    };
    let mut positional = vec![command.clone()];
    positional.extend(args.iter().map(|a| Arg::literal(a)));
    Nested::ShellScript {
        text,
        what: format!("git's {what}"),
        args: positional,
        env: Vec::new(),
    }
}

/// `"${1}" "${2}" ... "${n}"`: the positional parameters one by one,
/// each its own word with what it carries (which `"$@"` stands for).
pub(super) fn positional_words(n: usize) -> String {
    (1..=n)
        .map(|i| format!("\"${{{i}}}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where git looks for a command, first match first.
#[derive(Debug, Clone, Copy)]
enum Source {
    Env(&'static str),
    Key(&'static str, &'static str),
}

/// The first of `chain` that is set and not empty, and its name.
fn lookup<'a>(
    inv: &'a Invocation<'_>,
    config: &'a Config,
    chain: &[Source],
) -> Option<(&'a Arg, String)> {
    chain
        .iter()
        .find_map(|source| match *source {
            Source::Env(name) => inv.env_value(name).map(|v| (v, name.to_owned())),
            Source::Key(section, name) => config
                .get(section, None, name)
                .map(|v| (v, format!("{section}.{name}"))),
        })
        .filter(|(value, _)| !value.text.trim().is_empty())
}

/// A git boolean, `None` for any other text (a command).
fn git_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Some(true),
        "false" | "no" | "off" | "0" | "" => Some(false),
        _ => None,
    }
}

fn parse<'a>(inv: &Invocation<'a>, short: &str, long: &[&str]) -> Vec<Item<'a>> {
    args::parse(
        inv.args,
        &Spec {
            short,
            long,
            stop_after: None,
        },
    )
}

// ---- remotes --------------------------------------------------------------

/// How git reaches a remote, which decides what it runs to get there.
#[derive(Debug, PartialEq, Eq)]
enum Transport {
    /// `ssh://[user@]host/...` or `[user@]host:path`: `[user@]host`.
    Ssh(String),
    /// `http(s)://`, `ftp(s)://`.
    Http,
    /// `git://`.
    Daemon,
    /// A path or `file://`.
    Local(String),
    /// `ext::COMMAND`.
    Ext(String),
    /// Another remote helper (`fd::`, `persistent-https://`).
    Helper,
    /// A remote by name whose URL the line does not show.
    Unknown,
}

fn transport(remote: &str) -> Transport {
    if let Some(command) = remote.strip_prefix("ext::") {
        return Transport::Ext(command.to_owned());
    }
    if let Some((scheme, rest)) = remote.split_once("://") {
        let authority = rest.split('/').next().unwrap_or_default();
        // `host:port`, unless the colon is an IPv6 address's.
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
            _ => authority,
        };
        return match scheme.to_ascii_lowercase().as_str() {
            "ssh" | "git+ssh" | "ssh+git" => Transport::Ssh(host.to_owned()),
            "http" | "https" | "ftp" | "ftps" => Transport::Http,
            "git" => Transport::Daemon,
            "file" => Transport::Local(rest.to_owned()),
            _ => Transport::Helper,
        };
    }
    if remote.contains("::") {
        return Transport::Helper;
    }
    if is_remote_name(remote) {
        return Transport::Unknown;
    }
    match remote.split_once(':') {
        Some((host, _)) if !host.is_empty() && !host.contains('/') => {
            Transport::Ssh(host.to_owned())
        }
        _ => Transport::Local(remote.to_owned()),
    }
}

/// The remotes `sub` talks to, as written; `None` for one the line does
/// not name (a bare `git pull`, `git submodule update`, submodules a
/// `--recurse-submodules` reaches).
fn contacted_remotes(inv: &Invocation<'_>, sub: &str) -> Vec<Option<String>> {
    let first = |items: &[Item<'_>]| args::positionals(items).first().map(|r| r.text.clone());
    let nth =
        |items: &[Item<'_>], n: usize| args::positionals(items).get(n).map(|r| r.text.clone());
    let mut remotes = match sub {
        "fetch" | "pull" | "ls-remote" | "fetch-pack" => {
            let items = parse(inv, "oj", FETCH_VALUE_OPTIONS);
            if args::has(&items, &["--all", "--multiple"]) {
                vec![None]
            } else {
                vec![first(&items)]
            }
        }
        "push" | "send-pack" => {
            let items = parse(inv, "o", PUSH_VALUE_OPTIONS);
            let repo = args::value(&items, &["--repo"]).map(|r| r.text.clone());
            vec![repo.or_else(|| first(&items))]
        }
        "clone" => first(&parse(inv, "objuc", CLONE_VALUE_OPTIONS))
            .into_iter()
            .map(Some)
            .collect(),
        "archive" => args::value(&parse(inv, "o", ARCHIVE_VALUE_OPTIONS), &["--remote"])
            .map(|r| vec![Some(r.text.clone())])
            .unwrap_or_default(),
        "remote" => {
            let items = parse(inv, "tm", &["track", "master", "mirror"]);
            let verb = first(&items).unwrap_or_default();
            match verb.as_str() {
                "add" if args::has(&items, &["-f", "--fetch"]) => vec![nth(&items, 2)],
                "update" => vec![None],
                "show" if !args::has(&items, &["-n"]) => vec![nth(&items, 1)],
                "prune" | "set-head" => vec![nth(&items, 1)],
                _ => Vec::new(),
            }
        }
        "submodule" => {
            let items = parse(inv, "bj", &["branch", "name", "reference", "depth", "jobs"]);
            match first(&items).as_deref() {
                Some("add") => vec![nth(&items, 1)],
                Some("update") => vec![None],
                _ => Vec::new(),
            }
        }
        "lfs" | "subtree" => {
            let items = parse(inv, "Pm", &["prefix", "message", "branch", "onto"]);
            match first(&items).as_deref() {
                Some("push" | "pull" | "fetch" | "add" | "merge") => vec![nth(&items, 1)],
                _ => Vec::new(),
            }
        }
        "request-pull" => vec![nth(&parse(inv, "", &[]), 1)],
        _ => Vec::new(),
    };
    let recurses = inv.args.iter().any(|a| {
        let text = a.text.as_str();
        (text.starts_with("--recurse-submodules") && text != "--recurse-submodules=no")
            || (sub == "clone" && text == "--recursive")
    });
    if recurses {
        remotes.push(None);
    }
    remotes
}

/// `git archive`'s long options that take a value.
const ARCHIVE_VALUE_OPTIONS: &[&str] = &["remote", "exec", "format", "output", "prefix"];

/// What git runs to reach the remotes `sub` talks to: the ssh command
/// (`GIT_SSH_COMMAND`, then `core.sshCommand`, then `GIT_SSH`) for one
/// over ssh, with its `[user@]host` (the remote's own git command it also
/// appends is the transport the fetch or push reports); credential
/// helpers for one over HTTP; the command of an `ext::` URL when the
/// `ext` transport is allowed; the upload-pack or receive-pack command
/// (`--upload-pack`, `remote.NAME.uploadpack`, ...) and
/// `uploadpack.packObjectsHook` for a repository on this machine. A
/// remote by name whose URL the line does not show may be any of these.
/// True when credential helpers run.
fn remote_commands(
    inv: &Invocation<'_>,
    sub: &str,
    config: &Config,
    jobs: &mut Vec<Nested>,
) -> bool {
    let remotes = contacted_remotes(inv, sub);
    let push = matches!(sub, "push" | "send-pack");
    let resolved: Vec<(Option<String>, String, Transport)> = remotes
        .iter()
        .map(|remote| {
            let written = remote.as_deref().unwrap_or("origin");
            let url = config
                .remote_url(written, push)
                .unwrap_or_else(|| written.to_owned());
            let transport = transport(&url);
            (remote.clone(), url, transport)
        })
        .collect();
    if let Some((_, _, transport)) = resolved
        .iter()
        .find(|(_, _, t)| matches!(t, Transport::Ssh(_) | Transport::Unknown))
    {
        let chain = [
            Source::Env("GIT_SSH_COMMAND"),
            Source::Key("core", "sshcommand"),
            Source::Env("GIT_SSH"),
        ];
        if let Some((command, what)) = lookup(inv, config, &chain) {
            let host = match transport {
                Transport::Ssh(host) => vec![host.as_str()],
                _ => Vec::new(),
            };
            jobs.push(shell(command, &host, &what));
        }
    }
    let http: Vec<Option<&str>> = resolved
        .iter()
        .filter_map(|(_, url, t)| match t {
            Transport::Http => Some(Some(url.as_str())),
            Transport::Unknown => Some(None),
            _ => None,
        })
        .collect();
    let helpers = !http.is_empty() && credential_helpers(config, &http, jobs);
    for (_, _, transport) in &resolved {
        if let Transport::Ext(command) = transport
            && ext_allowed(inv, config)
        {
            let service = if push {
                "git-receive-pack"
            } else {
                "git-upload-pack"
            };
            jobs.push(Nested::Argv {
                argv: ext_words(command, service)
                    .iter()
                    .map(|w| Arg::literal(w))
                    .collect(),
                env: Vec::new(),
                cwd: None,
            });
        }
    }
    for (written, _, transport) in &resolved {
        let path = match transport {
            Transport::Local(path) => Some(path.as_str()),
            Transport::Unknown => None,
            _ => continue,
        };
        pack_commands(inv, sub, config, written.as_deref(), path, jobs);
    }
    helpers
}

/// The credential helpers git asks for a password for `remotes` (a URL,
/// or `None` for one the line does not show): every `credential.helper`
/// and `credential.URL.helper` whose URL matches, an empty value clearing
/// those before it. `!COMMAND` and an absolute path are shell commands,
/// another NAME is `git credential-NAME`; git appends the operation.
/// True when any runs.
fn credential_helpers(config: &Config, remotes: &[Option<&str>], jobs: &mut Vec<Nested>) -> bool {
    let mut helpers: Vec<&Arg> = Vec::new();
    for (scope, helper) in config.all("credential", "helper") {
        let applies = scope.is_none_or(|scope| {
            remotes
                .iter()
                .any(|remote| remote.is_none_or(|url| url_matches(scope, url)))
        });
        if !applies {
            continue;
        }
        if helper.text.trim().is_empty() {
            helpers.clear();
        } else {
            helpers.push(helper);
        }
    }
    let any = !helpers.is_empty();
    for helper in helpers {
        let text = helper.text.trim();
        let command = match text.strip_prefix('!') {
            Some(command) => command.to_owned(),
            None if text.starts_with('/') => text.to_owned(),
            None => format!("git credential-{text}"),
        };
        jobs.push(shell(
            &helper.with_text(&format!("{command} get")),
            &[],
            "credential.helper",
        ));
    }
    any
}

/// True when git may use the `ext::` transport: `GIT_ALLOW_PROTOCOL`
/// lists it, or else `protocol.ext.allow` (or `protocol.allow`) is
/// `always`, or `user` for a command the user runs. By default it may not.
fn ext_allowed(inv: &Invocation<'_>, config: &Config) -> bool {
    if let Some(list) = inv.env_value("GIT_ALLOW_PROTOCOL") {
        return list.text.split(':').any(|p| p == "ext");
    }
    let policy = config
        .get("protocol", Some("ext"), "allow")
        .or_else(|| config.get("protocol", None, "allow"))
        .map(|p| p.text.trim().to_ascii_lowercase());
    match policy.as_deref() {
        Some("always") => true,
        Some("user") => inv
            .env_value("GIT_PROTOCOL_FROM_USER")
            .is_none_or(|v| v.text != "0"),
        _ => false,
    }
}

/// The words of an `ext::` command as git runs them (no shell): split at
/// spaces, `% ` a space, `%%` a percent sign, `%S` the service
/// (`git-upload-pack`), `%s` it without `git-`, and a word starting with
/// `%G` or `%V` git's own (dropped). git gives quotes no meaning, but a
/// quoted word is taken whole: the command as its writer meant it.
fn ext_words(command: &str, service: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut started = false;
    let mut quote: Option<char> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '%') => match chars.next() {
                Some('S') => word.push_str(service),
                Some('s') => word.push_str(service.trim_start_matches("git-")),
                Some(other) => word.push(other),
                None => {}
            },
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, ' ') => {
                if started {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
                continue;
            }
            (None, c) => word.push(c),
        }
        started = true;
    }
    if started {
        words.push(word);
    }
    words.retain(|w| !w.starts_with("%G") && !w.starts_with("%V"));
    words
}

/// The commands git runs on this machine to serve a fetch or push from
/// a repository here (`path`, or `None` for a remote the line does not
/// show): `--upload-pack CMD` (clone's `-u`), `--receive-pack CMD`
/// (push's `--exec`), `remote.NAME.uploadpack|receivepack`, run by the
/// shell with the path appended, and `uploadpack.packObjectsHook`, run
/// with the `git pack-objects ...` command it replaces (not for a plain
/// path clone, which copies the objects instead).
fn pack_commands(
    inv: &Invocation<'_>,
    sub: &str,
    config: &Config,
    remote: Option<&str>,
    path: Option<&str>,
    jobs: &mut Vec<Nested>,
) {
    let push = matches!(sub, "push" | "send-pack");
    let (options, key): (&[&str], &str) = match sub {
        "push" | "send-pack" => (&["--receive-pack", "--exec"], "receivepack"),
        "archive" => (&["--exec"], "uploadarchive"),
        _ => (&["--upload-pack", "-u"], "uploadpack"),
    };
    let items = match sub {
        "clone" => parse(inv, "objuc", CLONE_VALUE_OPTIONS),
        "push" | "send-pack" => parse(inv, "o", PUSH_VALUE_OPTIONS),
        "archive" => parse(inv, "o", ARCHIVE_VALUE_OPTIONS),
        _ => parse(inv, "oj", FETCH_VALUE_OPTIONS),
    };
    let given = args::value(&items, options).or_else(|| {
        remote
            .filter(|r| is_remote_name(r))
            .and_then(|name| config.get("remote", Some(name), key))
    });
    let path_arg: Vec<&str> = path.into_iter().collect();
    if let Some(command) = given.filter(|c| !c.text.trim().is_empty()) {
        jobs.push(shell(command, &path_arg, key));
    }
    let copies = sub == "clone"
        && path.is_some()
        && remote.is_some_and(|r| !r.starts_with("file://"))
        && !args::has(&items, &["--no-local"]);
    if !push
        && !matches!(sub, "ls-remote" | "archive")
        && !copies
        && let Some(hook) = config.get("uploadpack", None, "packobjectshook")
    {
        jobs.push(shell(
            hook,
            &["git", "pack-objects", "--revs", "--thin", "--stdout"],
            "uploadpack.packObjectsHook",
        ));
    }
}

// ---- pager ----------------------------------------------------------------

/// git's commands that page what they print by default.
const PAGED: &[&str] = &[
    "annotate",
    "blame",
    "diff",
    "grep",
    "log",
    "range-diff",
    "reflog",
    "shortlog",
    "show",
    "whatchanged",
];

/// True when `sub` pages by default: the commands in [`PAGED`], `git
/// branch` and `git tag` when they list, `git stash list|show`.
fn pages_by_default(inv: &Invocation<'_>, sub: &str) -> bool {
    let operands = args::words(inv.args);
    match sub {
        "diff" => !inv.args.iter().any(|a| a.text == "--quiet"),
        "branch" | "tag" => {
            operands.is_empty()
                || inv.args.iter().any(|a| {
                    matches!(
                        a.text.as_str(),
                        "-l" | "--list" | "-a" | "-r" | "-v" | "-vv"
                    )
                })
        }
        "stash" => matches!(operands.first(), Some(&("list" | "show"))),
        _ => PAGED.contains(&sub),
    }
}

/// The pager git pipes its output into: `GIT_PAGER`, then `pager.SUB`
/// when it names a command, then `core.pager`, then `PAGER` (`cat` or
/// nothing: no pager), for a command that pages (`pager.SUB` true or
/// false says whether it does; `-p` forces it, `-P` turns it off). git
/// pages only to a terminal, which an agent's runtime may give it. The
/// pager reads what git prints: `git -C DIR --no-pager SUB ARGS | PAGER`.
fn pager(inv: &Invocation<'_>, sub: &str, config: &Config, paging: Paging) -> Option<Nested> {
    let per_command = config.get("pager", None, &sub.to_ascii_lowercase());
    let pages = match (paging, per_command.map(|p| git_bool(&p.text))) {
        (Paging::Off, _) => false,
        (Paging::Forced, _) => true,
        (Paging::Default, Some(Some(pages))) => pages,
        (Paging::Default, Some(None)) => true,
        (Paging::Default, None) => pages_by_default(inv, sub),
    };
    if !pages {
        return None;
    }
    let named = per_command.filter(|p| git_bool(&p.text).is_none());
    let (command, what) = match (inv.env_value("GIT_PAGER"), named) {
        (Some(command), _) => (command, "GIT_PAGER".to_owned()),
        (None, Some(command)) => (command, format!("pager.{sub}")),
        (None, None) => lookup(
            inv,
            config,
            &[Source::Key("core", "pager"), Source::Env("PAGER")],
        )?,
    };
    if matches!(command.text.trim(), "" | "cat") {
        return None;
    }
    // Run again in git's own directory (`git -C DIR`), the last word.
    let mut args = vec![command.clone(), Arg::literal(sub)];
    args.extend(inv.args.iter().cloned());
    args.push(Arg::literal(inv.cwd));
    Some(Nested::ShellScript {
        text: format!(
            "git -C \"${{{}}}\" --no-pager {} | sh -c \"$0\"",
            inv.args.len() + 2,
            positional_words(inv.args.len() + 1)
        ),
        what: format!("git's {what}"),
        args,
        env: Vec::new(),
    })
}

// ---- editors --------------------------------------------------------------

/// Where git finds its editor: `GIT_EDITOR`, `core.editor`, `VISUAL`,
/// `EDITOR`.
const EDITOR: &[Source] = &[
    Source::Env("GIT_EDITOR"),
    Source::Key("core", "editor"),
    Source::Env("VISUAL"),
    Source::Env("EDITOR"),
];

/// Where `git rebase -i` finds the editor of its to-do list, before the
/// editor's own.
const SEQUENCE_EDITOR: &[Source] = &[
    Source::Env("GIT_SEQUENCE_EDITOR"),
    Source::Key("sequence", "editor"),
];

/// The editors git opens for `sub`, each run by the shell with the file
/// it edits: a commit or tag whose message the line does not give, a
/// merge, pull or revert that makes a commit (unless `--no-edit`; git
/// asks only on a terminal), `rebase -i`'s to-do list (the sequence
/// editor, and the editor for the messages it rewords), `git notes`,
/// `git config --edit`, `git add --edit`, `git branch --edit-description`
/// and the `--edit` of other commands.
fn editors(inv: &Invocation<'_>, sub: &str, config: &Config, jobs: &mut Vec<Nested>) {
    let Some((file, sequence)) = edited_file(inv, sub) else {
        return;
    };
    let path = inv.path(file);
    let editor = lookup(inv, config, EDITOR);
    let mut chosen = Vec::new();
    if sequence {
        chosen.extend(lookup(inv, config, SEQUENCE_EDITOR));
    }
    chosen.extend(editor);
    for (command, what) in chosen {
        if command.text.trim() != ":" {
            jobs.push(shell(command, &[path.as_str()], &what));
        }
    }
}

/// The file git opens in the editor for `sub`, and whether it is
/// `rebase -i`'s to-do list; `None` when it opens none.
fn edited_file(inv: &Invocation<'_>, sub: &str) -> Option<(&'static str, bool)> {
    let items = match sub {
        "commit" => parse(
            inv,
            "mFCct",
            &[
                "message",
                "file",
                "reuse-message",
                "reedit-message",
                "fixup",
                "squash",
                "author",
                "date",
                "cleanup",
                "template",
                "trailer",
                "pathspec-from-file",
            ],
        ),
        "tag" => parse(
            inv,
            "mFu",
            &["message", "file", "local-user", "cleanup", "sort", "format"],
        ),
        "merge" | "pull" | "revert" | "cherry-pick" => parse(
            inv,
            "msSXFoj",
            &[
                "message",
                "file",
                "strategy",
                "strategy-option",
                "cleanup",
                "into-name",
            ],
        ),
        "notes" => parse(
            inv,
            "mFCc",
            &["message", "file", "reuse-message", "reedit-message", "ref"],
        ),
        "rebase" => parse(inv, "sXx", &["strategy", "strategy-option", "exec", "onto"]),
        _ => parse(inv, "", &[]),
    };
    let has = |names: &[&str]| args::has(&items, names);
    let edit = has(&["-e", "--edit"]);
    let message = has(&["-m", "--message", "-F", "--file"]);
    let file = match sub {
        "commit" => {
            let fixup = args::value(&items, &["--fixup"])
                .is_some_and(|f| !f.text.starts_with("amend:") && !f.text.starts_with("reword:"));
            let given = message || fixup || has(&["-C", "--reuse-message", "--no-edit"]);
            let runs = !has(&["--dry-run"]) && (edit || has(&["-c", "--reedit-message"]) || !given);
            runs.then_some(".git/COMMIT_EDITMSG")
        }
        "tag" => {
            let annotated = has(&["-a", "--annotate", "-s", "--sign", "-u", "--local-user"]);
            let listing = has(&["-l", "--list", "-d", "--delete", "-v", "--verify"]);
            (!listing && (edit || (annotated && !message))).then_some(".git/TAG_EDITMSG")
        }
        "merge" | "pull" | "revert" => {
            let no_edit = has(&[
                "--no-edit",
                "--ff-only",
                "--squash",
                "--no-commit",
                "-n",
                "--abort",
                "--quit",
                "--skip",
                "--rebase",
                "-r",
            ]);
            let autoedit_off = inv
                .env_value("GIT_MERGE_AUTOEDIT")
                .is_some_and(|v| git_bool(&v.text) == Some(false));
            (edit || (!no_edit && !autoedit_off)).then_some(".git/MERGE_MSG")
        }
        "cherry-pick" => edit.then_some(".git/COMMIT_EDITMSG"),
        "rebase" => {
            let interactive = has(&["-i", "--interactive", "--edit-todo"]);
            return interactive.then_some((".git/rebase-merge/git-rebase-todo", true));
        }
        "notes" => {
            let verb = args::positionals(&items).first().map(|v| v.text.as_str());
            let edits = match verb {
                Some("edit") => true,
                Some("add" | "append") => !message && !has(&["-C", "--reuse-message"]),
                _ => false,
            };
            edits.then_some(".git/NOTES_EDITMSG")
        }
        "config" => {
            let verb = args::positionals(&items).first().map(|v| v.text.as_str());
            (edit || verb == Some("edit")).then_some(".git/config")
        }
        "add" => edit.then_some(".git/ADD_EDIT.patch"),
        "branch" => has(&["--edit-description"]).then_some(".git/EDIT_DESCRIPTION"),
        "send-email" => has(&["--compose", "--annotate"]).then_some(".git/.gitsendemail.msg"),
        _ => None,
    };
    file.map(|f| (f, false))
}

// ---- index, diff and filters ----------------------------------------------

/// git's commands that refresh the index from the working tree, and so
/// ask the file system monitor what changed (sorted).
const REFRESHES_INDEX: &[&str] = &[
    "add",
    "am",
    "checkout",
    "cherry-pick",
    "clean",
    "commit",
    "describe",
    "diff",
    "ls-files",
    "merge",
    "mv",
    "pull",
    "rebase",
    "reset",
    "restore",
    "revert",
    "rm",
    "stash",
    "status",
    "switch",
    "update-index",
];

/// `core.fsmonitor` set to a command (not a boolean, which means git's
/// own daemon or none): the hook git runs by the shell before it reads
/// the working tree.
fn fsmonitor(sub: &str, config: &Config) -> Option<Nested> {
    let hook = config.get("core", None, "fsmonitor")?;
    let runs = git_bool(&hook.text).is_none() && REFRESHES_INDEX.binary_search(&sub).is_ok();
    runs.then(|| shell(hook, &[], "core.fsmonitor"))
}

/// The diff programs git runs by the shell: `GIT_EXTERNAL_DIFF` or
/// `diff.external` and the drivers' `diff.DRIVER.command` for `git diff`
/// (for `log`, `show` and the others only with `--ext-diff`), the
/// drivers' `diff.DRIVER.textconv` wherever a diff or blame is shown,
/// and the tool commands of `git difftool` and `git mergetool`
/// (`difftool.TOOL.cmd`, `mergetool.TOOL.cmd`: the tool chosen by
/// `--tool` or `diff.tool`/`merge.tool`, any when none is).
fn diff_programs(inv: &Invocation<'_>, sub: &str, config: &Config, jobs: &mut Vec<Nested>) {
    let has = |flag: &str| inv.args.iter().any(|a| a.text == flag);
    let shows_diff = matches!(
        sub,
        "diff" | "show" | "log" | "whatchanged" | "format-patch"
    );
    let external = match sub {
        "diff" => !has("--no-ext-diff"),
        _ => shows_diff && has("--ext-diff"),
    };
    if external {
        let chain = [
            Source::Env("GIT_EXTERNAL_DIFF"),
            Source::Key("diff", "external"),
        ];
        if let Some((command, what)) = lookup(inv, config, &chain) {
            jobs.push(shell(command, &[], &what));
        }
        for (driver, command) in config.all("diff", "command") {
            if driver.is_some() {
                jobs.push(shell(command, &[], "diff driver command"));
            }
        }
    }
    if (shows_diff || matches!(sub, "blame" | "annotate")) && !has("--no-textconv") {
        for (driver, command) in config.all("diff", "textconv") {
            if driver.is_some() {
                jobs.push(shell(command, &[], "diff driver textconv"));
            }
        }
    }
    let (section, chosen_by) = match sub {
        "difftool" => ("difftool", [("diff", "tool"), ("merge", "tool")]),
        "mergetool" => ("mergetool", [("merge", "tool"), ("merge", "tool")]),
        _ => return,
    };
    let items = parse(inv, "txX", &["tool", "extcmd", "gui-tool"]);
    let tool = args::value(&items, &["-t", "--tool"])
        .map(|t| t.text.clone())
        .or_else(|| {
            chosen_by
                .iter()
                .find_map(|(s, n)| config.get(s, None, n).map(|t| t.text.clone()))
        });
    for (name, command) in config.all(section, "cmd") {
        if name.is_some() && (tool.is_none() || name == tool.as_deref()) {
            jobs.push(shell(command, &[], &format!("{section} command")));
        }
    }
}

/// git's commands that put files into the index or the working tree, and
/// so run the clean and smudge filters of the files' attributes (sorted).
const FILTERS_FILES: &[&str] = &[
    "add",
    "am",
    "apply",
    "checkout",
    "cherry-pick",
    "clone",
    "commit",
    "diff",
    "merge",
    "pull",
    "rebase",
    "reset",
    "restore",
    "revert",
    "stash",
    "status",
    "switch",
    "worktree",
];

/// `filter.NAME.clean|smudge|process` given on the line: the filter git
/// runs by the shell for files whose attributes name it (which the line
/// does not show, so for any command that filters files).
fn filters(sub: &str, config: &Config, jobs: &mut Vec<Nested>) {
    if FILTERS_FILES.binary_search(&sub).is_err() {
        return;
    }
    for name in ["clean", "smudge", "process"] {
        for (driver, command) in config.all("filter", name) {
            if driver.is_some() && !command.text.trim().is_empty() {
                jobs.push(shell(command, &[], &format!("filter {name} command")));
            }
        }
    }
}

// ---- commands named by options --------------------------------------------

/// Commands a subcommand's own options name: `rebase --exec CMD` (`-x`),
/// `bisect run CMD ARGS...`, `submodule foreach CMD` (one word: shell
/// text), `filter-branch --tree-filter CMD` and its other filters,
/// `difftool --extcmd CMD` (`-x`) and `grep --open-files-in-pager=CMD`
/// (`-OCMD`).
fn option_commands(inv: &Invocation<'_>, sub: &str, jobs: &mut Vec<Nested>) {
    let (short, long, names): (&str, &[&str], &[&str]) = match sub {
        "rebase" => (
            "xsX",
            &["exec", "onto", "strategy", "strategy-option"],
            &["-x", "--exec"],
        ),
        "difftool" => ("xtX", &["extcmd", "tool"], &["-x", "--extcmd"]),
        "filter-branch" => (
            "d",
            FILTER_BRANCH_FILTERS,
            &[
                "--env-filter",
                "--tree-filter",
                "--index-filter",
                "--parent-filter",
                "--msg-filter",
                "--commit-filter",
                "--tag-name-filter",
            ],
        ),
        "grep" => ("", &[], &["--open-files-in-pager"]),
        "bisect" | "submodule" => return argv_commands(inv, sub, jobs),
        _ => return,
    };
    let items = parse(inv, short, long);
    for command in args::values(&items, names) {
        jobs.push(shell(command, &[], &format!("{sub} option")));
    }
    if sub == "grep"
        && let Some(command) = inv.args.iter().find_map(|a| {
            a.text
                .strip_prefix("-O")
                .filter(|c| !c.is_empty())
                .map(|c| a.with_text(c))
        })
    {
        jobs.push(shell(&command, &[], "grep -O"));
    }
}

/// `git filter-branch`'s options that take a value.
const FILTER_BRANCH_FILTERS: &[&str] = &[
    "env-filter",
    "tree-filter",
    "index-filter",
    "parent-filter",
    "msg-filter",
    "commit-filter",
    "tag-name-filter",
    "subdirectory-filter",
    "setup",
    "original",
    "state-branch",
];

/// `git bisect run CMD ARGS...` runs the command at each step; `git
/// submodule [--quiet] foreach [--recursive] CMD...` in each submodule, by
/// the shell when it is one word.
fn argv_commands(inv: &Invocation<'_>, sub: &str, jobs: &mut Vec<Nested>) {
    let verb = if sub == "bisect" { "run" } else { "foreach" };
    let Some(at) = inv.args.iter().position(|a| a.text == verb) else {
        return;
    };
    let command: Vec<Arg> = inv
        .args
        .iter()
        .skip(at + 1)
        .skip_while(|a| sub == "submodule" && a.text.starts_with('-'))
        .cloned()
        .collect();
    match command.as_slice() {
        [] => {}
        [script] if sub == "submodule" => jobs.push(shell(script, &[], "submodule foreach")),
        _ => jobs.push(Nested::Argv {
            argv: command,
            env: Vec::new(),
            cwd: None,
        }),
    }
}
