//! ssh's configuration file written earlier (`~/.ssh/config`, or `-F FILE`
//! of ssh, scp, sftp and an rsync `-e 'ssh -F FILE'`): the `Host` block
//! whose pattern matches an alias gives the real destination (`HostName`,
//! `User`, `Port`), the variables whose values ssh sends (`SendEnv`), and
//! the `LocalCommand` it runs here when `PermitLocalCommand` is `yes`.
//! As in ssh, the first value found for a keyword wins and blocks apply in
//! file order; `Match` blocks are not evaluated. git reaches the remotes
//! whose URLs go over ssh (`git@gh-work:org/app.git`, `ssh://gh-work/...`)
//! through the same file: their host is the alias's `HostName`.

use super::super::{Invocation, Nested, Outcome};
use super::Lookup;
use crate::args::{self, Arg, Spec};
use crate::{Effect, GitPush, Target};

/// What the configuration says about one alias.
#[derive(Debug, Default, PartialEq)]
pub(super) struct HostConfig {
    pub hostname: Option<String>,
    pub user: Option<String>,
    pub port: Option<u16>,
    pub local_command: Option<String>,
    pub send_env: Vec<String>,
}

/// Rewrites the hosts an ssh-based client reached through an alias of its
/// configuration file written earlier, and adds what that block sends and
/// runs here.
pub(super) fn apply(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some(path) = config_path(inv) else {
        return;
    };
    let Some(text) = text_of(&path) else {
        return;
    };
    if inv.program == "git" {
        git_urls(&text, outcome);
        return;
    }
    let mut local_commands = Vec::new();
    for effect in &mut outcome.effects {
        let target = match effect {
            Effect::Request(request) => {
                let Some(config) = resolved(&text, &request.target) else {
                    continue;
                };
                for name in &config.send_env {
                    if !request.payload.env.contains(name) {
                        request.payload.env.push(name.clone());
                    }
                }
                if let Some(command) = &config.local_command
                    && !local_commands.contains(command)
                {
                    local_commands.push(command.clone());
                }
                rewrite(&mut request.target, &config);
                continue;
            }
            Effect::RemoteDelete { target, .. } => target,
            _ => continue,
        };
        if let Some(config) = resolved(&text, target) {
            rewrite(target, &config);
        }
    }
    for nested in &mut outcome.nested {
        if let Nested::Remote { hosts, .. } = nested {
            for host in hosts.iter_mut() {
                if let Some(name) = parse(&text, host).hostname {
                    *host = name;
                }
            }
        }
    }
    for text in local_commands {
        outcome.nested.push(Nested::Script {
            text,
            what: "ssh LocalCommand".to_owned(),
        });
    }
}

/// Points the URLs of git's remotes that go over ssh to an alias of the
/// configuration at the alias's real host: the remotes and push URLs the
/// command sets, the URL it pushes to, and those it clones and fetches
/// from. Later pushes to the remotes it sets go there too.
fn git_urls(text: &str, outcome: &mut Outcome) {
    let resolve = |url: &mut String| {
        if let Some(resolved) = ssh_url_resolved(text, url) {
            *url = resolved;
        }
    };
    for effect in &mut outcome.effects {
        match effect {
            Effect::GitRemote { url, .. } => resolve(url),
            Effect::GitSetting { key, value, .. } if names_remote_url(key) => resolve(value),
            Effect::GitPush(push) => push_urls(push, &resolve),
            Effect::Request(request) if request.program == "git" => {
                if let Target::Url { url } = &mut request.target {
                    resolve(url);
                }
            }
            _ => {}
        }
    }
}

/// The URLs a push names itself: a URL as its remote, and the remote URLs
/// of the line's settings that move it.
fn push_urls(push: &mut GitPush, resolve: &impl Fn(&mut String)) {
    if let Some(remote) = &mut push.remote {
        resolve(remote);
    }
    if let Some(settings) = &mut push.settings {
        resolve(&mut settings.remote);
        if let Some(url) = &mut settings.url {
            resolve(url);
        }
        for (key, value) in &mut settings.entries {
            if names_remote_url(key) {
                resolve(value);
            }
        }
    }
}

/// A setting (as git compares its key) whose value is a remote's URL:
/// `remote.NAME.url`, `remote.NAME.pushurl`.
fn names_remote_url(key: &str) -> bool {
    key.starts_with("remote.") && (key.ends_with(".url") || key.ends_with(".pushurl"))
}

/// `url`, a git URL over ssh, with its host an alias whose block names
/// another `HostName`: the same URL naming that host. `None` for another
/// URL (a remote's name, `https://`, a path) or a host the file does not
/// rename.
fn ssh_url_resolved(text: &str, url: &str) -> Option<String> {
    let (before, host, after) = ssh_url_host(url)?;
    let hostname = parse(text, host).hostname?.replace("%h", host);
    (!hostname.eq_ignore_ascii_case(host)).then(|| format!("{before}{hostname}{after}"))
}

/// A git URL over ssh split around its host: `[user@]HOST:path` (scp's
/// form) or `ssh://[user@]HOST[:port]/path` (`git+ssh://`, `ssh+git://`).
fn ssh_url_host(url: &str) -> Option<(&str, &str, &str)> {
    let (authority_at, authority) = match url.split_once("://") {
        Some((scheme, rest)) => {
            if !matches!(scheme, "ssh" | "git+ssh" | "ssh+git") {
                return None;
            }
            (scheme.len() + 3, rest.split('/').next().unwrap_or(rest))
        }
        None => {
            let (authority, _) = url.split_once(':')?;
            // A path (`./x:y`, `/srv/a:b`), not a host.
            if authority.contains('/') {
                return None;
            }
            (0, authority)
        }
    };
    let user_len = authority.rfind('@').map_or(0, |at| at + 1);
    let host_and_port = authority.get(user_len..)?;
    let host = host_and_port.split(':').next().unwrap_or(host_and_port);
    // A drive letter (`C:\repo`) or a bracketed address is no alias.
    if host.len() < 2 || host.starts_with('[') {
        return None;
    }
    let start = authority_at + user_len;
    let end = start + host.len();
    Some((url.get(..start)?, url.get(start..end)?, url.get(end..)?))
}

/// The configuration's settings for a host target, when any apply.
fn resolved(text: &str, target: &Target) -> Option<HostConfig> {
    let Target::Host { host, .. } = target else {
        return None;
    };
    let config = parse(text, host);
    (config != HostConfig::default()).then_some(config)
}

/// Points `target` at the block's `HostName`, and fills the user and port
/// the command line left out.
fn rewrite(target: &mut Target, config: &HostConfig) {
    if let Target::Host {
        host, user, port, ..
    } = target
    {
        if let Some(name) = &config.hostname {
            *host = name.replace("%h", host);
        }
        if user.is_none() {
            user.clone_from(&config.user);
        }
        if port.is_none() {
            *port = config.port;
        }
    }
}

/// The configuration file the client reads: `-F FILE` (ssh, scp, sftp, the
/// ssh of rsync's `-e`/`--rsh`, or git's `GIT_SSH_COMMAND`), else
/// `~/.ssh/config`.
fn config_path(inv: &Invocation<'_>) -> Option<String> {
    let given = match inv.program {
        "ssh" => option_f(inv.args, "bcDEeFIiJLlmOopQRSWwB", Some(1)),
        "scp" => option_f(inv.args, "cFiJloPSDX", None),
        "sftp" => option_f(inv.args, "BbcDFiJloPRSsX", None),
        "rsync" => rsync_config(inv.args),
        "git" => git_ssh_config(inv),
        _ => return None,
    };
    match given {
        Some(file) if file == "none" => None,
        Some(file) => Some(inv.path(&file)),
        None => Some(format!("{}/.ssh/config", inv.home.trim_end_matches('/'))),
    }
}

fn option_f(words: &[Arg], short: &'static str, stop_after: Option<usize>) -> Option<String> {
    let items = args::parse(
        words,
        &Spec {
            short,
            stop_after,
            ..Spec::default()
        },
    );
    args::value(&items, &["-F"]).map(|file| file.text.clone())
}

/// `-F FILE` in the ssh command git runs (`GIT_SSH_COMMAND='ssh -F FILE'`).
fn git_ssh_config(inv: &Invocation<'_>) -> Option<String> {
    let command = inv.env_value("GIT_SSH_COMMAND")?;
    config_option(&command.text)
}

/// `-F FILE` in rsync's remote shell (`-e "ssh -F FILE"`, `--rsh=...`).
fn rsync_config(words: &[Arg]) -> Option<String> {
    let rsh = words.iter().enumerate().find_map(|(i, word)| {
        if word.text == "-e" || word.text == "--rsh" {
            words.get(i + 1).map(|next| next.text.clone())
        } else {
            word.text.strip_prefix("--rsh=").map(str::to_owned)
        }
    })?;
    config_option(&rsh)
}

/// `-F FILE` (or `-FFILE`) among the words of an ssh command line.
fn config_option(command: &str) -> Option<String> {
    let mut parts = command.split_whitespace().skip(1);
    while let Some(part) = parts.next() {
        if part == "-F" {
            return parts.next().map(str::to_owned);
        }
        if let Some(file) = part.strip_prefix("-F") {
            return Some(file.to_owned());
        }
    }
    None
}

/// The settings of every `Host` block matching `alias`, first value wins.
pub(super) fn parse(text: &str, alias: &str) -> HostConfig {
    let mut config = HostConfig::default();
    let mut permit_local_command: Option<bool> = None;
    let mut local_command: Option<String> = None;
    let mut applies = true;
    for line in text.lines() {
        let Some((keyword, value)) = keyword_value(line) else {
            continue;
        };
        match keyword.as_str() {
            "host" => applies = host_matches(value, alias),
            "match" => applies = value.trim().eq_ignore_ascii_case("all"),
            _ if !applies => {}
            "hostname" => first(&mut config.hostname, value),
            "user" => first(&mut config.user, value),
            "port" if config.port.is_none() => config.port = value.parse().ok(),
            "localcommand" => first(&mut local_command, value),
            "permitlocalcommand" if permit_local_command.is_none() => {
                permit_local_command = Some(value.eq_ignore_ascii_case("yes"));
            }
            "sendenv" => config.send_env.extend(
                value
                    .split_whitespace()
                    .filter(|name| !name.contains(['*', '?', '-']))
                    .map(str::to_owned),
            ),
            _ => {}
        }
    }
    if permit_local_command == Some(true) {
        config.local_command = local_command;
    }
    config
}

fn first(slot: &mut Option<String>, value: &str) {
    if slot.is_none() {
        *slot = Some(value.trim_matches('"').to_owned());
    }
}

/// A line's keyword (lower case) and value: `Keyword value`, `Keyword=value`.
fn keyword_value(line: &str) -> Option<(String, &str)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (keyword, value) = line.split_once(['=', ' ', '\t'])?;
    let value = value.trim_start_matches(['=', ' ', '\t']).trim_end();
    Some((keyword.to_ascii_lowercase(), value))
}

/// `Host` patterns: any positive match, and no `!negated` one.
fn host_matches(patterns: &str, alias: &str) -> bool {
    let mut matched = false;
    for pattern in patterns.split_whitespace() {
        match pattern.strip_prefix('!') {
            Some(negated) if glob(negated, alias) => return false,
            Some(_) => {}
            None => matched |= glob(pattern, alias),
        }
    }
    matched
}

/// ssh's patterns: `*` any run of characters, `?` one character.
fn glob(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let text: Vec<char> = text.to_ascii_lowercase().chars().collect();
    glob_chars(&pattern, &text)
}

fn glob_chars(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|skip| glob_chars(rest, &text[skip..])),
        Some((&c, rest)) => text
            .split_first()
            .is_some_and(|(&t, tail)| (c == '?' || c == t) && glob_chars(rest, tail)),
    }
}
