//! Chat CLIs that post to a team's chat or mail: `slackcat`, the CLI for
//! Microsoft 365 (`m365 outlook mail send`, `m365 teams ... message
//! send`), `matrix-commander`, `zulip-send` and Mattermost's `mmctl`.
//!
//! A post is a [`Message`] to the people it reaches: an address, a user
//! (`NAME@SERVER`) or a channel (`#CHANNEL@SERVER`) on the server the
//! command names; a channel on a server it does not name (one set in the
//! tool's login) is the channel as written, whose owner nobody can check.
//! Role, membership and invitation changes are [`Effect::GrantAccess`].

use super::super::{Invocation, Outcome};
use super::{attach, message};
use crate::args::{self, Arg, OptionsEnd, Spec};
use crate::{Effect, Payload, Resource, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "slackcat" => slackcat(inv),
        "m365" => m365(inv),
        "matrix-commander" => Some(matrix_commander(inv)),
        "zulip-send" => zulip_send(inv),
        "mmctl" => mmctl(inv),
        _ => None,
    }
}

/// How many words an argparse option takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arity {
    /// None.
    Flag,
    /// Exactly one.
    One,
    /// One or more: every word up to the next option (`nargs="+"`).
    Many,
    /// One if the next word is not an option (`nargs="?"`).
    Optional,
}

/// An argparse option: its long name, its one-letter name, its arity.
type OptionSpec = (&'static str, Option<char>, Arity);

/// An argparse command line: each option by its long name with the
/// words it took, and the positionals.
#[derive(Default)]
struct Parsed {
    options: Vec<(String, Vec<Arg>)>,
    positionals: Vec<Arg>,
}

impl Parsed {
    /// True when the option called `name` is present.
    fn has(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| n == name)
    }

    /// Every word the options called one of `names` took, in order.
    fn values(&self, names: &[&str]) -> Vec<&Arg> {
        self.options
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .flat_map(|(_, v)| v.iter())
            .collect()
    }
}

/// Reads `words` as Python's argparse does with `specs`: a long option
/// by its name or an unambiguous prefix of it, a value after `=` or as
/// the next words, clusters of one-letter options (`-wm TEXT`), and
/// positionals between the options. An option it does not know is kept
/// by its name, taking no value.
fn argparse(words: &[Arg], specs: &[OptionSpec]) -> Parsed {
    let mut parsed = Parsed::default();
    let mut at = 0;
    let is_option = |word: &Arg| word.text.len() > 1 && word.text.starts_with('-');
    // Takes the words an option of `arity` has after its name, with a
    // value written into the name's word first.
    let take = |at: &mut usize, arity: Arity, attached: Option<Arg>| -> Vec<Arg> {
        let mut values: Vec<Arg> = attached.into_iter().collect();
        match arity {
            Arity::Flag => {}
            Arity::One if values.is_empty() => {
                if let Some(word) = words.get(*at) {
                    values.push(word.clone());
                    *at += 1;
                }
            }
            Arity::One => {}
            Arity::Optional if values.is_empty() => {
                if let Some(word) = words.get(*at).filter(|w| !is_option(w)) {
                    values.push(word.clone());
                    *at += 1;
                }
            }
            Arity::Optional => {}
            Arity::Many => {
                while let Some(word) = words.get(*at).filter(|w| !is_option(w)) {
                    values.push(word.clone());
                    *at += 1;
                }
            }
        }
        values
    };
    while let Some(word) = words.get(at) {
        at += 1;
        let text = word.text.as_str();
        if text == "--" {
            parsed
                .positionals
                .extend(words.get(at..).unwrap_or_default().iter().cloned());
            break;
        }
        if !is_option(word) {
            parsed.positionals.push(word.clone());
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((name, value)) => (name, Some(word.with_text(value))),
                None => (long, None),
            };
            match long_spec(specs, name) {
                Some((full, _, arity)) => {
                    let values = take(&mut at, *arity, attached);
                    parsed.options.push(((*full).to_owned(), values));
                }
                None => parsed.options.push((name.to_owned(), Vec::new())),
            }
            continue;
        }
        // A cluster of one-letter options; the first that takes a value
        // takes the rest of the word, or the next words.
        let body = text.get(1..).unwrap_or_default();
        for (index, letter) in body.char_indices() {
            let Some((full, _, arity)) = specs.iter().find(|(_, s, _)| *s == Some(letter)) else {
                parsed.options.push((format!("-{letter}"), Vec::new()));
                continue;
            };
            if *arity == Arity::Flag {
                parsed.options.push(((*full).to_owned(), Vec::new()));
                continue;
            }
            let rest = body.get(index + letter.len_utf8()..).unwrap_or_default();
            let attached = (!rest.is_empty()).then(|| word.with_text(rest));
            let values = take(&mut at, *arity, attached);
            parsed.options.push(((*full).to_owned(), values));
            break;
        }
    }
    parsed
}

/// The option `name` (without dashes) names: itself, or the one option
/// it is an unambiguous prefix of.
fn long_spec<'a>(specs: &'a [OptionSpec], name: &str) -> Option<&'a OptionSpec> {
    if let Some(exact) = specs.iter().find(|(n, _, _)| *n == name) {
        return Some(exact);
    }
    let mut matching = specs
        .iter()
        .filter(|(n, _, _)| !name.is_empty() && n.starts_with(name));
    match (matching.next(), matching.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The host of a server URL (`https://chat.example.com/`), or of a bare
/// host name.
fn server_host(site: &str) -> Option<String> {
    let rest = site.split_once("://").map_or(site, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// A channel as a recipient: `#NAME@HOST` on a known server, `#NAME` as
/// written on an unknown one.
fn channel_on(name: &str, host: Option<&str>) -> String {
    let name = name.trim_start_matches('#');
    match host {
        Some(host) => format!("#{name}@{host}"),
        None => format!("#{name}"),
    }
}

/// Values separated by commas (`--to a@x.com,b@y.org`), each trimmed.
fn comma_list(values: &[&Arg]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.text.split([',', ';']))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// slackcat's options that take a value (urfave/cli: `-c` or `--channel`).
const SLACKCAT_VALUES: &[&str] = &[
    "c",
    "channel",
    "n",
    "filename",
    "filetype",
    "comment",
    "u",
    "username",
    "i",
    "iconemoji",
    "thread",
];

/// `slackcat [-c CHANNEL] [-n NAME] [--comment TEXT] [FILE]`: FILE, or
/// standard input, uploaded (or streamed with `-s`) to a channel (`#C`,
/// `C`) or a user (`@U`) of the Slack workspace its token is for, on
/// slack.com; with no `-c`, to the channel its configuration names, at
/// Slack's API. `--noop`, `--list` and `--configure` send nothing.
fn slackcat(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::long_options(inv.args, SLACKCAT_VALUES, OptionsEnd::FirstPositional, "--");
    if args::has(
        &items,
        &[
            "--noop",
            "--list",
            "--configure",
            "--help",
            "--h",
            "--version",
            "--v",
        ],
    ) {
        return Some(Outcome::default());
    }
    let mut payload = Payload::default();
    for text in args::values(&items, &["--comment", "--n", "--filename"]) {
        flow::merge(&mut payload, &text.payload());
    }
    let files = args::positionals(&items);
    if files.iter().all(|f| f.text == "-") {
        flow::merge(&mut payload, inv.stdin);
    }
    for file in files {
        attach(inv, &mut payload, file);
    }
    let recipients = match args::value(&items, &["--c", "--channel"]) {
        Some(channel) => match channel.text.strip_prefix('@') {
            Some(user) => vec![format!("{user}@slack.com")],
            None => vec![channel_on(&channel.text, Some("slack.com"))],
        },
        None => vec!["https://slack.com/api".to_owned()],
    };
    Some(Outcome::default().effect(message(inv, recipients, payload)))
}

/// The CLI for Microsoft 365's options that take a value, in the
/// commands read here (yargs: anywhere on the line).
const M365_VALUES: &[&str] = &[
    "to",
    "cc",
    "bcc",
    "subject",
    "bodyContents",
    "bodyContentType",
    "attachment",
    "sender",
    "mailbox",
    "importance",
    "saveToSentItems",
    "chatId",
    "userEmails",
    "chatName",
    "message",
    "contentType",
    "teamId",
    "teamName",
    "channelId",
    "channelName",
    "replyTo",
    "output",
    "query",
];

/// An m365 option's value as sent: the text, or for `@PATH` the file the
/// CLI loads it from.
fn m365_content(inv: &Invocation<'_>, payload: &mut Payload, value: &Arg) {
    match value.text.strip_prefix('@') {
        Some(path) if !path.is_empty() && !path.contains('@') => {
            attach(inv, payload, &value.with_text(path));
        }
        _ => flow::merge(payload, &value.payload()),
    }
}

/// `m365 outlook mail send --to A,B [--cc ..] [--bcc ..] --subject S
/// --bodyContents B [--attachment F...]`: an e-mail to those addresses.
/// `m365 teams chat message send --userEmails A,B | --chatId ID
/// --message M` and `m365 teams message send --teamId T --channelId C
/// --message M` (or `teams channel message send`): a chat message to the
/// people named, or to the chat or channel as written (its tenant is the
/// login's, not on the line). Other m365 commands are not this module's.
fn m365(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "moq",
            long: M365_VALUES,
            stop_after: None,
        },
    );
    let words = args::lowercase_positionals(&items);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut payload = Payload::default();
    let recipients = match words.as_slice() {
        ["outlook", "mail", "send", ..] => {
            for name in [&["--subject"][..], &["--bodyContents"]] {
                for value in args::values(&items, name) {
                    m365_content(inv, &mut payload, value);
                }
            }
            for file in args::values(&items, &["--attachment"]) {
                attach(inv, &mut payload, file);
            }
            comma_list(&args::values(&items, &["--to", "--cc", "--bcc"]))
        }
        ["teams", .., "message", "send"] => {
            for value in args::values(&items, &["--message", "-m"]) {
                m365_content(inv, &mut payload, value);
            }
            let mut recipients = comma_list(&args::values(&items, &["--userEmails"]));
            recipients.extend(
                args::values(&items, &["--chatId", "--chatName"])
                    .iter()
                    .map(|c| c.text.clone()),
            );
            recipients.extend(
                args::values(&items, &["--channelId", "--channelName"])
                    .iter()
                    .map(|c| channel_on(&c.text, None)),
            );
            recipients
        }
        _ => return None,
    };
    Some(Outcome::default().effect(message(inv, recipients, payload)))
}

/// matrix-commander's options (argparse), by long name, letter and
/// arity; those not listed take no value.
const MATRIX_OPTIONS: &[OptionSpec] = &[
    ("message", Some('m'), Arity::Many),
    ("file", Some('f'), Arity::Many),
    ("image", Some('i'), Arity::Many),
    ("audio", Some('a'), Arity::Many),
    ("event", Some('e'), Arity::Many),
    ("room", Some('r'), Arity::Many),
    ("user", Some('u'), Arity::Many),
    ("credentials", Some('c'), Arity::One),
    ("store", Some('s'), Arity::One),
    ("split", Some('p'), Arity::One),
    ("config", None, Arity::One),
    ("listen", Some('l'), Arity::Optional),
    ("tail", Some('t'), Arity::Optional),
    ("output", Some('o'), Arity::One),
    ("log-level", None, Arity::Many),
    ("separator", None, Arity::One),
    ("mime", None, Arity::One),
    ("room-invite", None, Arity::Many),
    ("room-ban", None, Arity::Many),
    ("room-unban", None, Arity::Many),
    ("room-kick", None, Arity::Many),
    ("room-join", None, Arity::Many),
    ("room-leave", None, Arity::Many),
    ("room-forget", None, Arity::Many),
    ("room-create", None, Arity::Many),
    ("room-dm-create", None, Arity::Many),
    ("download-media", None, Arity::Optional),
];

/// matrix-commander actions other than sending: with one of them and no
/// message or file, standard input is not posted.
const MATRIX_ACTIONS: &[&str] = &[
    "listen",
    "tail",
    "room-invite",
    "room-ban",
    "room-unban",
    "room-kick",
    "room-join",
    "room-leave",
    "room-forget",
    "room-create",
    "room-dm-create",
    "login",
    "logout",
    "verify",
    "devices",
    "joined-rooms",
    "joined-members",
    "get-room-info",
    "whoami",
    "version",
    "help",
    "manual",
    "usage",
    "download-media",
];

/// A Matrix id as a recipient: `@USER:SERVER` as `USER@SERVER`,
/// `#ALIAS:SERVER` as `#ALIAS@SERVER`, `!ID:SERVER` as `!ID@SERVER`; an
/// id without a server as written.
fn matrix_recipient(id: &str) -> String {
    let Some((name, server)) = id.split_once(':') else {
        return id.to_owned();
    };
    let name = name.strip_prefix('@').unwrap_or(name);
    format!("{name}@{server}")
}

/// `matrix-commander [-r ROOM...] [-u USER...] [-m TEXT...] [-f FILE...]
/// [-i IMAGE...] [-a AUDIO...]`: the texts and files (`-` is standard
/// input, as is a post with neither) to each room and each user named,
/// else to the room its credentials name. `--room-invite`,
/// `--room-kick`, `--room-ban` and `--room-unban` change the users'
/// access to those rooms.
fn matrix_commander(inv: &Invocation<'_>) -> Outcome {
    let parsed = argparse(inv.args, MATRIX_OPTIONS);
    let mut outcome = Outcome::default();
    let users: Vec<String> = parsed
        .values(&["user"])
        .iter()
        .map(|u| matrix_recipient(&u.text))
        .collect();
    for room in parsed.values(&["room-invite", "room-kick", "room-ban", "room-unban"]) {
        let resource = Resource::Other {
            name: format!("matrix room {}", room.text),
        };
        if users.is_empty() {
            outcome.effects.push(Effect::GrantAccess {
                resource: resource.clone(),
                grantee: None,
            });
        }
        for user in &users {
            outcome.effects.push(Effect::GrantAccess {
                resource: resource.clone(),
                grantee: Some(user.clone()),
            });
        }
    }
    let mut payload = Payload::default();
    let mut sends = false;
    let mut from_stdin = false;
    for text in parsed.values(&["message"]) {
        sends = true;
        if text.text == "-" {
            from_stdin = true;
        } else {
            flow::merge(&mut payload, &text.payload());
        }
    }
    for file in parsed.values(&["file", "image", "audio", "event"]) {
        sends = true;
        if file.text == "-" {
            from_stdin = true;
        } else {
            attach(inv, &mut payload, file);
        }
    }
    if !sends && inv.has_stdin && !MATRIX_ACTIONS.iter().any(|a| parsed.has(a)) {
        sends = true;
        from_stdin = true;
    }
    if from_stdin {
        flow::merge(&mut payload, inv.stdin);
    }
    if sends {
        let mut recipients: Vec<String> = parsed
            .values(&["room"])
            .iter()
            .map(|r| matrix_recipient(&r.text))
            .collect();
        recipients.extend(users);
        outcome.effects.push(message(inv, recipients, payload));
    }
    outcome
}

/// zulip-send's options (argparse, with the Zulip client's own).
const ZULIP_OPTIONS: &[OptionSpec] = &[
    ("message", Some('m'), Arity::One),
    ("stream", Some('s'), Arity::One),
    ("subject", Some('S'), Arity::One),
    ("site", None, Arity::One),
    ("api-key", None, Arity::One),
    ("user", None, Arity::One),
    ("config-file", Some('c'), Arity::One),
    ("client", None, Arity::One),
    ("cert-bundle", None, Arity::One),
    ("client-cert", None, Arity::One),
    ("client-cert-key", None, Arity::One),
    ("zulip-site", None, Arity::One),
    ("zulip-api-key", None, Arity::One),
    ("zulip-email", None, Arity::One),
    ("zulip-config-file", None, Arity::One),
    ("zulip-client", None, Arity::One),
    ("verbose", Some('v'), Arity::Flag),
    ("insecure", None, Arity::Flag),
    ("help", Some('h'), Arity::Flag),
];

/// `zulip-send [--site URL] [RECIPIENT...] [--stream S --subject T] [-m
/// TEXT]`: TEXT (standard input without `-m`) to each address named, or
/// to the stream on the server (`--site`, `ZULIP_SITE`; one set only in
/// its zuliprc is unknown). The API key goes to the server with it.
fn zulip_send(inv: &Invocation<'_>) -> Option<Outcome> {
    let parsed = argparse(inv.args, ZULIP_OPTIONS);
    if parsed.has("help") {
        return Some(Outcome::default());
    }
    let site = parsed
        .values(&["site", "zulip-site"])
        .last()
        .map(|s| s.text.clone())
        .or_else(|| inv.env_value("ZULIP_SITE").map(|s| s.text.clone()));
    let host = site.as_deref().and_then(server_host);
    let mut payload = Payload::default();
    let texts = parsed.values(&["message"]);
    if texts.is_empty() {
        flow::merge(&mut payload, inv.stdin);
    }
    for text in texts.iter().chain(parsed.values(&["subject"]).iter()) {
        flow::merge(&mut payload, &text.payload());
    }
    for key in parsed.values(&["api-key", "zulip-api-key"]) {
        flow::merge(&mut payload, &key.expansions());
    }
    let mut recipients: Vec<String> = parsed
        .positionals
        .iter()
        .map(|r| r.text.clone())
        .filter(|r| !r.is_empty())
        .collect();
    for stream in parsed.values(&["stream"]) {
        recipients.push(channel_on(&stream.text, host.as_deref()));
    }
    Some(Outcome::default().effect(message(inv, recipients, payload)))
}

/// mmctl's options that take a value (cobra: anywhere on the line), in
/// the commands read here and globally.
const MMCTL_VALUES: &[&str] = &[
    "message",
    "reply-to",
    "format",
    "config",
    "email",
    "username",
    "password",
    "firstname",
    "lastname",
    "nickname",
    "locale",
    "role",
    "roles",
    "insecure-tls-version",
    "team",
    "display-name",
    "name",
    "purpose",
    "header",
];

/// A change of who may do what on the Mattermost server: `what` (a role,
/// a team, a channel) for `grantee`.
fn mattermost_grant(what: String, grantee: Option<String>) -> Effect {
    Effect::GrantAccess {
        resource: Resource::Other {
            name: format!("mattermost {what}"),
        },
        grantee,
    }
}

/// One grant of `what` for each user named, or one for nobody named.
fn mattermost_grants(what: &str, users: &[&Arg]) -> Vec<Effect> {
    if users.is_empty() {
        return vec![mattermost_grant(what.to_owned(), None)];
    }
    users
        .iter()
        .map(|u| mattermost_grant(what.to_owned(), Some(u.text.clone())))
        .collect()
}

/// `mmctl post create TEAM:CHANNEL --message TEXT`: a message to that
/// channel of the server it is logged in to (not on the line). Changes
/// of access: `roles system_admin|member USER...`, `permissions role
/// assign|unassign ROLE USER...`, `permissions add|remove|reset ROLE`,
/// `channel|team users add|remove C USER...`, `user
/// create|invite|activate|deactivate|promote|demote ...` and any `user`
/// command given roles; `user invite EMAIL` also mails EMAIL. Other mmctl
/// commands are not this module's.
fn mmctl(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "m",
            long: MMCTL_VALUES,
            stop_after: None,
        },
    );
    let words = args::positionals(&items);
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let rest = |from: usize| -> Vec<&Arg> { words.get(from..).unwrap_or_default().to_vec() };
    let effects = match texts.as_slice() {
        ["post", "create", channel, ..] => {
            let mut payload = Payload::default();
            for text in args::values(&items, &["--message", "-m"]) {
                flow::merge(&mut payload, &text.payload());
            }
            let name = channel.rsplit(':').next().unwrap_or(channel);
            vec![message(inv, vec![channel_on(name, None)], payload)]
        }
        ["roles", role, ..] => mattermost_grants(&format!("role {role}"), &rest(2)),
        ["permissions", "role", "assign" | "unassign", role, ..] => {
            mattermost_grants(&format!("role {role}"), &rest(4))
        }
        ["permissions", "add" | "remove" | "reset", role, ..] => {
            vec![mattermost_grant(format!("role {role}"), None)]
        }
        [
            kind @ ("channel" | "team"),
            "users",
            "add" | "remove",
            target,
            ..,
        ] => mattermost_grants(&format!("{kind} {target}"), &rest(4)),
        ["user", "invite", email, teams @ ..] => {
            let mut effects = vec![message(inv, vec![(*email).to_owned()], Payload::default())];
            effects.extend(
                teams
                    .iter()
                    .map(|t| mattermost_grant(format!("team {t}"), Some((*email).to_owned()))),
            );
            effects
        }
        ["user", "create", ..] => {
            let who = args::value(&items, &["--email", "--username"]).map(|a| a.text.clone());
            let what = if args::has(&items, &["--system-admin"]) {
                "role system_admin"
            } else {
                "account"
            };
            vec![mattermost_grant(what.to_owned(), who)]
        }
        ["user", "activate" | "deactivate" | "promote" | "demote", ..] => {
            mattermost_grants("account", &rest(2))
        }
        ["user", ..] if args::has(&items, &["--role", "--roles", "--system-admin", "--guest"]) => {
            let role = args::value(&items, &["--role", "--roles"])
                .map_or_else(|| "roles".to_owned(), |r| format!("role {}", r.text));
            mattermost_grants(&role, &rest(2))
        }
        _ => return None,
    };
    Some(Outcome {
        effects,
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<Arg> {
        list.iter().map(|w| Arg::literal(w)).collect()
    }

    #[test]
    fn argparse_reads_lists_prefixes_and_clusters() {
        let parsed = argparse(
            &words(&[
                "-r",
                "a",
                "b",
                "--mess=hi",
                "-wm",
                "x",
                "y",
                "pos",
                "--",
                "-z",
            ]),
            MATRIX_OPTIONS,
        );
        let texts = |name: &str| -> Vec<String> {
            parsed
                .values(&[name])
                .iter()
                .map(|a| a.text.clone())
                .collect()
        };
        assert_eq!(texts("room"), ["a", "b"]);
        assert_eq!(texts("message"), ["hi", "x", "y", "pos"]);
        assert!(parsed.has("-w"));
        let positionals: Vec<&str> = parsed.positionals.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(positionals, ["-z"]);
    }

    #[test]
    fn matrix_ids_are_addresses_on_their_servers() {
        assert_eq!(matrix_recipient("@bob:matrix.org"), "bob@matrix.org");
        assert_eq!(matrix_recipient("#ops:m.example.com"), "#ops@m.example.com");
        assert_eq!(matrix_recipient("!abc:m.example.com"), "!abc@m.example.com");
        assert_eq!(matrix_recipient("!abc"), "!abc");
        assert_eq!(
            server_host("https://zulip.example.com/"),
            Some("zulip.example.com".to_owned())
        );
    }
}
