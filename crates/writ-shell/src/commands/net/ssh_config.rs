//! ssh's configuration file written earlier (`~/.ssh/config`, or `-F FILE`
//! of ssh, scp, sftp and an rsync `-e 'ssh -F FILE'`): the `Host` block
//! whose pattern matches an alias gives the real destination (`HostName`,
//! `User`, `Port`), the variables whose values ssh sends (`SendEnv`), and
//! the `LocalCommand` it runs here when `PermitLocalCommand` is `yes`.
//! As in ssh, the first value found for a keyword wins and blocks apply in
//! file order; `Match` blocks are not evaluated.

use super::super::{Invocation, Nested, Outcome};
use super::Lookup;
use crate::args::{self, Arg, Spec};
use crate::{Effect, Target};

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

/// The configuration file the client reads: `-F FILE` (ssh, scp, sftp, or
/// the ssh of rsync's `-e`/`--rsh`), else `~/.ssh/config`.
fn config_path(inv: &Invocation<'_>) -> Option<String> {
    let given = match inv.program {
        "ssh" => option_f(inv.args, "bcDEeFIiJLlmOopQRSWwB", Some(1)),
        "scp" => option_f(inv.args, "cFiJloPSDX", None),
        "sftp" => option_f(inv.args, "BbcDFiJloPRSsX", None),
        "rsync" => rsync_config(inv.args),
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

/// `-F FILE` in rsync's remote shell (`-e "ssh -F FILE"`, `--rsh=...`).
fn rsync_config(words: &[Arg]) -> Option<String> {
    let rsh = words.iter().enumerate().find_map(|(i, word)| {
        if word.text == "-e" || word.text == "--rsh" {
            words.get(i + 1).map(|next| next.text.clone())
        } else {
            word.text.strip_prefix("--rsh=").map(str::to_owned)
        }
    })?;
    let mut parts = rsh.split_whitespace().skip(1);
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
