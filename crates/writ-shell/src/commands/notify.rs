//! Notification CLIs that send text and files to a chat service or a
//! phone: `telegram-send`, `apprise`, `signal-cli send`, `ntfy publish`.
//!
//! A chat or SMS message is a [`Message`] to its recipients, as an e-mail
//! from `mail` is, carrying its text and the files it attaches (a file
//! sent is read from). Recipients a command does not name (a chat set in
//! the tool's configuration) are the service's API host, someone outside
//! whom nobody can check. ntfy publishes to a topic on a server, not to a
//! person: a request to that server, as `curl` to it is. Team chat CLIs
//! (`slackcat`, `m365`, `matrix-commander`, `zulip-send`, `mmctl`) are
//! [`chat`]'s.

mod chat;

use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, OptionsEnd};
use crate::{Effect, Message, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "telegram-send" => Some(telegram_send(inv)),
        "apprise" => Some(apprise(inv)),
        "signal-cli" => signal_cli(inv),
        "ntfy" => ntfy(inv),
        _ => chat::handle(inv),
    }
}

/// A message from `inv.program` to `recipients`.
fn message(inv: &Invocation<'_>, recipients: Vec<String>, payload: Payload) -> Effect {
    Effect::Message(Message {
        program: inv.program.to_owned(),
        recipients,
        payload,
    })
}

/// Adds a file the command sends, with what its name's expansions carry.
fn attach(inv: &Invocation<'_>, payload: &mut Payload, file: &Arg) {
    if file.text.is_empty() || file.text == "-" {
        return;
    }
    flow::merge(payload, &file.expansions());
    send_file(inv, payload, &file.text, false);
}

/// What a `telegram-send` option's words are (argparse, `nargs="+"` for
/// the lists: every word up to the next option).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TelegramWords {
    /// Files sent (`--file`, `--image`, `--sticker`, `--animation`,
    /// `--video`, `--audio`).
    Files,
    /// Text sent (`--caption`, `--location`), as the messages are.
    Text,
    /// Words that send nothing (`--delete` ids).
    Ignored,
}

/// `telegram-send` long options: name, and the words it takes (`None`: a
/// single value or none, [`TELEGRAM_SINGLE`] says which).
const TELEGRAM_OPTIONS: &[(&str, Option<TelegramWords>)] = &[
    ("--file", Some(TelegramWords::Files)),
    ("--image", Some(TelegramWords::Files)),
    ("--sticker", Some(TelegramWords::Files)),
    ("--animation", Some(TelegramWords::Files)),
    ("--video", Some(TelegramWords::Files)),
    ("--audio", Some(TelegramWords::Files)),
    ("--caption", Some(TelegramWords::Text)),
    ("--location", Some(TelegramWords::Text)),
    ("--delete", Some(TelegramWords::Ignored)),
    ("--format", None),
    ("--config", None),
    ("--timeout", None),
    ("--stdin", None),
    ("--pre", None),
    ("--disable-web-page-preview", None),
    ("--silent", None),
    ("--configure", None),
    ("--configure-channel", None),
    ("--configure-group", None),
    ("--showids", None),
    ("--global-config", None),
    ("--file-manager", None),
    ("--clean", None),
    ("--version", None),
    ("--help", None),
];

/// `telegram-send` options that take exactly one value.
const TELEGRAM_SINGLE: &[&str] = &["--format", "--config", "--timeout"];

/// `telegram-send` options that set it up or tidy it, and send nothing
/// of the user's.
const TELEGRAM_SETUP: &[&str] = &[
    "--configure",
    "--configure-channel",
    "--configure-group",
    "--file-manager",
    "--clean",
    "--version",
    "--help",
];

/// A `telegram-send` long option by its name or an unambiguous prefix of
/// it (argparse accepts `--cap` for `--caption`).
fn telegram_option(name: &str) -> Option<&'static str> {
    if let Some((full, _)) = TELEGRAM_OPTIONS.iter().find(|(n, _)| *n == name) {
        return Some(full);
    }
    let mut matching = TELEGRAM_OPTIONS
        .iter()
        .filter(|(n, _)| name.len() > 2 && n.starts_with(name));
    match (matching.next(), matching.next()) {
        (Some((full, _)), None) => Some(full),
        _ => None,
    }
}

/// A `telegram-send` short option's long name.
fn telegram_short(letter: char) -> Option<&'static str> {
    Some(match letter {
        'f' => "--file",
        'i' => "--image",
        's' => "--sticker",
        'l' => "--location",
        'd' => "--delete",
        'c' => "--configure",
        'g' => "--global-config",
        'h' => "--help",
        _ => return None,
    })
}

/// `telegram-send [MESSAGE...] [--file F...] [--image F...] [--caption
/// C...] [--stdin] [--config CONF]`: messages and files to the chat its
/// configuration names, through Telegram's Bot API. Standard input is
/// sent only with `--stdin`.
fn telegram_send(inv: &Invocation<'_>) -> Outcome {
    let mut payload = Payload::default();
    let mut collecting: Option<TelegramWords> = None;
    let mut flags: Vec<&'static str> = Vec::new();
    let mut sends = false;
    let mut words = inv.args.iter();
    let mut only_positionals = false;
    // Adds one word an option or the message list takes.
    let take = |payload: &mut Payload, kind: Option<TelegramWords>, word: &Arg| match kind {
        Some(TelegramWords::Files) => {
            attach(inv, payload, word);
            true
        }
        Some(TelegramWords::Text) | None => {
            flow::merge(payload, &word.payload());
            true
        }
        Some(TelegramWords::Ignored) => false,
    };
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if only_positionals || !text.starts_with('-') || text == "-" {
            sends |= take(&mut payload, collecting, word);
            continue;
        }
        if text == "--" {
            only_positionals = true;
            collecting = None;
            continue;
        }
        // The option and a value written into the same word.
        let (name, attached) = if text.starts_with("--") {
            match text.split_once('=') {
                Some((name, value)) => (telegram_option(name), Some(value)),
                None => (telegram_option(text), None),
            }
        } else {
            let letter = text.chars().nth(1).unwrap_or('-');
            let rest = text.get(1 + letter.len_utf8()..).unwrap_or_default();
            (telegram_short(letter), Some(rest).filter(|r| !r.is_empty()))
        };
        let Some(name) = name else {
            collecting = None;
            continue;
        };
        let kind = TELEGRAM_OPTIONS
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, kind)| *kind);
        collecting = None;
        if let Some(kind) = kind {
            match attached {
                // `--file=a` takes that one word; what follows is a message.
                Some(value) => sends |= take(&mut payload, Some(kind), &word.with_text(value)),
                None => collecting = Some(kind),
            }
        } else if TELEGRAM_SINGLE.contains(&name) {
            if attached.is_none() {
                words.next();
            }
        } else {
            flags.push(name);
        }
    }
    if flags.iter().any(|f| TELEGRAM_SETUP.contains(f)) {
        return Outcome::default();
    }
    if flags.contains(&"--stdin") {
        flow::merge(&mut payload, inv.stdin);
        sends |= inv.has_stdin;
    }
    if !sends {
        return Outcome::default();
    }
    Outcome::default().effect(message(
        inv,
        vec!["https://api.telegram.org".to_owned()],
        payload,
    ))
}

/// Apprise options that take a value, by every name they have (click:
/// `-SPD` and `-Da` are names of their own, not clusters).
const APPRISE_VALUES: &[&str] = &[
    "-b",
    "--body",
    "-t",
    "--title",
    "-P",
    "--plugin-path",
    "-c",
    "--config",
    "-a",
    "--attach",
    "-n",
    "--notification-type",
    "-i",
    "--input-format",
    "-T",
    "--theme",
    "-g",
    "--tag",
    "-R",
    "--recursion-depth",
    "-S",
    "--storage-path",
    "-SPD",
    "--storage-prune-days",
    "-SUL",
    "--storage-uid-length",
    "-SM",
    "--storage-mode",
];

/// Apprise flags with names longer than one letter after a single dash.
const APPRISE_LONG_SHORT_FLAGS: &[&str] = &["-Da"];

/// Apprise options after which nothing is sent: a trial run, the service
/// list, the version, the help.
const APPRISE_NO_SEND: &[&str] = &[
    "-d",
    "--dry-run",
    "-l",
    "--details",
    "-V",
    "--version",
    "-h",
    "--help",
];

/// `apprise [-t TITLE] [-b BODY] [-a ATTACHMENT...] URL...`: the title,
/// the body (standard input when there is no `-b`) and the attachments
/// (local files, or URLs it downloads first) to every service URL
/// (`discord://ID/TOKEN`, `tgram://BOT/CHAT`, `mailto://...`), each a
/// message to the recipients that URL names ([`service_recipients`]).
/// With no URL the services are those of its configuration (`-c`, or
/// its default files) or `APPRISE_URLS`.
fn apprise(inv: &Invocation<'_>) -> Outcome {
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut words = inv.args.iter();
    let mut only_positionals = false;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if only_positionals || !text.starts_with('-') || text == "-" {
            items.push(Item::Pos(word));
            continue;
        }
        if text == "--" {
            only_positionals = true;
            continue;
        }
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if text.starts_with("--") => (name, Some(value)),
            _ => (text, None),
        };
        let named = |name: &str| -> Item<'_> {
            Item::Opt {
                name: std::borrow::Cow::Owned(name.to_owned()),
                value: None,
            }
        };
        if APPRISE_VALUES.contains(&name) || APPRISE_LONG_SHORT_FLAGS.contains(&name) {
            let value = if APPRISE_LONG_SHORT_FLAGS.contains(&name) {
                None
            } else if let Some(value) = attached {
                Some(std::borrow::Cow::Owned(word.with_text(value)))
            } else {
                words.next().map(std::borrow::Cow::Borrowed)
            };
            items.push(Item::Opt {
                name: std::borrow::Cow::Owned(name.to_owned()),
                value,
            });
            continue;
        }
        if text.starts_with("--") {
            items.push(named(name));
            continue;
        }
        // A cluster of one-letter options (`-vv`, `-bTEXT`).
        for (at, letter) in text.char_indices().skip(1) {
            let short = format!("-{letter}");
            if APPRISE_VALUES.contains(&short.as_str()) {
                let rest = text.get(at + letter.len_utf8()..).unwrap_or_default();
                let value = if rest.is_empty() {
                    words.next().map(std::borrow::Cow::Borrowed)
                } else {
                    Some(std::borrow::Cow::Owned(word.with_text(rest)))
                };
                items.push(Item::Opt {
                    name: std::borrow::Cow::Owned(short),
                    value,
                });
                break;
            }
            items.push(named(&short));
        }
    }
    let urls = args::positionals(&items);
    if args::has(&items, APPRISE_NO_SEND)
        || urls.first().is_some_and(|first| first.text == "storage")
    {
        return Outcome::default();
    }
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    for title in args::values(&items, &["-t", "--title"]) {
        flow::merge(&mut payload, &title.payload());
    }
    let bodies = args::values(&items, &["-b", "--body"]);
    if bodies.is_empty() {
        flow::merge(&mut payload, inv.stdin);
    }
    for body in bodies {
        flow::merge(&mut payload, &body.payload());
    }
    for attachment in args::values(&items, &["-a", "--attach"]) {
        let text = attachment.text.as_str();
        if let Some((scheme, _)) = text.split_once("://")
            && matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
        {
            // Downloaded, then sent: what the URL serves.
            outcome.effects.push(request(
                inv.program,
                url(text),
                "GET",
                attachment.expansions(),
                false,
            ));
            flow::merge(&mut payload, &attachment.payload());
        } else {
            let path = text.strip_prefix("file://").unwrap_or(text);
            attach(inv, &mut payload, &attachment.with_text(path));
        }
    }
    if urls.is_empty() {
        let from_env = inv
            .env_value("APPRISE_URLS")
            .filter(|v| !v.text.trim().is_empty());
        match from_env {
            Some(list) if args::values(&items, &["-c", "--config"]).is_empty() => {
                let mut sent = payload.clone();
                flow::merge(&mut sent, &list.expansions());
                let recipients = list
                    .text
                    .split([',', ' ', '\n'])
                    .filter(|u| !u.is_empty())
                    .flat_map(service_recipients)
                    .collect();
                outcome.effects.push(message(inv, recipients, sent));
            }
            _ => {
                outcome.opaque.push(format!(
                    "{} notifies the services its configuration names",
                    inv.program
                ));
                outcome.effects.push(message(inv, Vec::new(), payload));
            }
        }
        return outcome;
    }
    for target in urls {
        // The URL's own expansions (a token in `$VAR`) go to its service.
        let mut sent = payload.clone();
        flow::merge(&mut sent, &target.expansions());
        outcome
            .effects
            .push(message(inv, service_recipients(&target.text), sent));
    }
    outcome
}

/// Text with `%XX` escapes decoded (Apprise URLs escape `+` and `@` in
/// phone numbers and addresses).
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_owned(), |decoded| decoded.into_owned())
}

/// A telephone number as a messaging API takes it: `+` and at least 7
/// digits, or 10 digits without it.
fn is_phone(text: &str) -> bool {
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    digits >= if plus { 7 } else { 10 }
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | '(' | ')'))
}

/// An e-mail address: `local@domain.tld`.
fn is_address(text: &str) -> bool {
    text.split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
}

/// A chat id on `network` as a recipient: a number shaped like a phone
/// one as written, any other id (`@ops`, `12345`) as `ID@NETWORK` (as the
/// HTTP analysis of the same API names it).
fn chat_on(id: &str, network: &str) -> String {
    let digits = id.bytes().filter(u8::is_ascii_digit).count();
    if digits >= 7
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'+')
    {
        id.to_owned()
    } else {
        format!("{}@{network}", id.trim_start_matches(['@', '#']))
    }
}

/// The recipients an Apprise service URL names (its schemes and their
/// forms are Apprise's): a phone number, an address, a chat on the
/// service's network, or, when the URL names only a channel or a
/// webhook, the service's real API endpoint (`discord://ID/TOKEN` posts
/// to `https://discord.com/api/webhooks/ID/TOKEN`). A scheme it does not
/// know is the URL as written, a service at its authority.
pub(crate) fn service_recipients(text: &str) -> Vec<String> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return vec![text.to_owned()];
    };
    let scheme = scheme.to_ascii_lowercase();
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, authority),
    };
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decoded)
        .collect();
    // Query values named `names`, each a list (`to=a@x.com,b@y.com`).
    let query_list = |names: &[&str]| -> Vec<String> {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .filter(|(name, _)| names.contains(&name.to_ascii_lowercase().as_str()))
            .flat_map(|(_, value)| {
                percent_decoded(&value.replace('+', " "))
                    .split([',', ' '])
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let secure = |plain: &str| if scheme == plain { "http" } else { "https" };
    // Path segments that are phone numbers (or addresses), else `fallback`.
    let named_or = |keep: fn(&str) -> bool, skip: usize, fallback: &str| -> Vec<String> {
        let found: Vec<String> = segments
            .iter()
            .skip(skip)
            .chain(query_list(&["to"]).iter())
            .filter(|s| keep(s))
            .cloned()
            .collect();
        if found.is_empty() {
            vec![fallback.to_owned()]
        } else {
            found
        }
    };
    let first = segments.first().map_or("", String::as_str);
    match scheme.as_str() {
        "http" | "https" => vec![text.to_owned()],
        "json" | "jsons" | "xml" | "xmls" | "form" | "forms" => {
            let plain = scheme.trim_end_matches('s');
            vec![format!("{}://{host}/{path}", secure(plain))]
        }
        "discord" => vec![format!("https://discord.com/api/webhooks/{host}/{first}")],
        "guilded" => vec![format!("https://media.guilded.gg/webhooks/{host}/{first}")],
        "tgram" => {
            let mut chats: Vec<String> = segments.clone();
            chats.extend(query_list(&["to"]));
            if chats.is_empty() {
                vec!["https://api.telegram.org".to_owned()]
            } else {
                chats.iter().map(|id| chat_on(id, "telegram.org")).collect()
            }
        }
        "slack" => {
            // A bot token (`xoxb-...`) posts through the Web API; three
            // tokens are an incoming webhook.
            if host.starts_with("xox") {
                vec!["https://slack.com/api/chat.postMessage".to_owned()]
            } else {
                let tokens: Vec<&str> = std::iter::once(host)
                    .chain(segments.iter().map(String::as_str))
                    .take_while(|s| !s.starts_with(['#', '@']))
                    .take(3)
                    .collect();
                vec![format!(
                    "https://hooks.slack.com/services/{}",
                    tokens.join("/")
                )]
            }
        }
        "msteams" => {
            // `msteams://TEAM/A/B/C`: the team's own webhook host; the
            // older three-token form, Office's.
            if segments.len() >= 3 {
                vec![format!("https://{host}.webhook.office.com/webhookb2")]
            } else {
                vec!["https://outlook.office.com/webhook".to_owned()]
            }
        }
        "mailto" | "mailtos" => {
            let mut to: Vec<String> = segments.iter().filter(|s| is_address(s)).cloned().collect();
            to.extend(query_list(&["to", "cc", "bcc"]));
            if to.is_empty() {
                // No `to`: the account's own address.
                let user = userinfo
                    .map(|u| u.split(':').next().unwrap_or(u).to_owned())
                    .or_else(|| query_list(&["user"]).into_iter().next())
                    .map(|u| percent_decoded(&u));
                to.push(match user {
                    Some(user) if is_address(&user) => user,
                    Some(user) => format!("{user}@{host}"),
                    None => text.to_owned(),
                });
            }
            to
        }
        "twilio" => named_or(is_phone, 0, "https://api.twilio.com"),
        "sns" => named_or(is_phone, 0, "https://sns.amazonaws.com"),
        "whatsapp" => named_or(is_phone, 0, "https://graph.facebook.com"),
        "signal" | "signals" => {
            // `signal://HOST/FROM/TO...`: through the REST gateway at HOST.
            named_or(is_phone, 1, &format!("{}://{host}", secure("signal")))
        }
        "sendgrid" => named_or(is_address, 0, "https://api.sendgrid.com"),
        "mailgun" => named_or(is_address, 0, "https://api.mailgun.net"),
        "ses" => named_or(is_address, 0, "https://email.amazonaws.com"),
        "pover" => vec!["https://api.pushover.net".to_owned()],
        "pbul" => vec!["https://api.pushbullet.com".to_owned()],
        "ifttt" => vec!["https://maker.ifttt.com".to_owned()],
        "opsgenie" => vec!["https://api.opsgenie.com".to_owned()],
        "pagerduty" => vec!["https://events.pagerduty.com".to_owned()],
        "line" => vec!["https://api.line.me".to_owned()],
        "wxteams" | "webex" => vec!["https://api.ciscospark.com".to_owned()],
        "zulip" => {
            // `zulip://BOT@ORG/TOKEN`: ORG's zulipchat.com, or its own host.
            if host.contains('.') {
                vec![format!("https://{host}")]
            } else {
                vec![format!("https://{host}.zulipchat.com")]
            }
        }
        "ntfy" | "ntfys" => {
            // `ntfy://TOPIC` is on ntfy.sh; `ntfy://HOST/TOPIC` on HOST.
            if host.contains(['.', ':']) || host == "localhost" || userinfo.is_some() {
                vec![format!("{}://{host}/{path}", secure("ntfy"))]
            } else {
                vec![format!("https://ntfy.sh/{host}")]
            }
        }
        // Self-hosted services: the server the URL names.
        "gotify" | "gotifys" | "mmost" | "mmosts" | "rocket" | "rockets" | "matrix" | "matrixs"
        | "apprise" | "apprises" | "nctalk" | "nctalks" | "ncloud" | "nclouds" | "mastodon"
        | "mastodons" | "toot" | "toots" | "misskey" | "misskeys" => {
            let plain = scheme.trim_end_matches('s');
            let plain = if plain == "mmo" { "mmost" } else { plain };
            vec![format!("{}://{host}", secure(plain))]
        }
        _ => vec![text.to_owned()],
    }
}

/// signal-cli's global options that take a value.
const SIGNAL_GLOBAL_VALUES: &[&str] = &[
    "a",
    "account",
    "u",
    "username",
    "c",
    "config",
    "o",
    "output",
    "service-environment",
    "trust-new-identities",
    "log-file",
    "bus-name",
];

/// `send`'s options that take one value.
const SIGNAL_SEND_VALUES: &[&str] = &[
    "m",
    "message",
    "g",
    "group-id",
    "u",
    "username",
    "mention",
    "text-style",
    "quote-timestamp",
    "quote-author",
    "quote-message",
    "quote-mention",
    "quote-text-style",
    "quote-attachment",
    "preview-url",
    "preview-title",
    "preview-description",
    "preview-image",
    "sticker",
    "story-timestamp",
    "story-author",
    "edit-timestamp",
];

/// `signal-cli [-a ACCOUNT] send [-m TEXT] [-a FILE...] [-g GROUP]
/// RECIPIENT...`: a message to phone numbers, usernames (`-u`) or groups
/// (`-g`), the text from `-m` or standard input, the attachments read.
/// Other subcommands are not this module's.
fn signal_cli(inv: &Invocation<'_>) -> Option<Outcome> {
    let global = args::long_options(
        inv.args,
        SIGNAL_GLOBAL_VALUES,
        OptionsEnd::FirstPositional,
        "--",
    );
    let account = args::value(&global, &["--a", "--account", "--u", "--username"]);
    let at = global.iter().position(|i| matches!(i, Item::Pos(_)))?;
    let Some(Item::Pos(subcommand)) = global.get(at) else {
        return None;
    };
    if subcommand.text != "send" {
        return None;
    }
    // The words after `send`, where `-a` attaches every word up to the
    // next option (argparse4j's `nargs("*")`).
    let start = inv.args.iter().position(|a| std::ptr::eq(a, *subcommand))? + 1;
    let rest = inv.args.get(start..).unwrap_or_default();
    let mut payload = Payload::default();
    let mut recipients = Vec::new();
    let mut has_text = false;
    let mut from_stdin = false;
    let mut attaching = false;
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let Some(body) = text.strip_prefix('-').filter(|b| !b.is_empty()) else {
            if attaching {
                attach(inv, &mut payload, word);
                has_text = true;
            } else {
                recipients.push(word.text.clone());
            }
            continue;
        };
        attaching = false;
        let body = body.strip_prefix('-').unwrap_or(body);
        let (name, value) = match body.split_once('=') {
            Some((name, value)) => (name, Some(word.with_text(value))),
            None if SIGNAL_SEND_VALUES.contains(&body) => (body, words.next().cloned()),
            None => (body, None),
        };
        match (name, value) {
            ("a" | "attachment", Some(file)) => {
                attach(inv, &mut payload, &file);
                has_text = true;
            }
            ("a" | "attachment", None) => attaching = true,
            ("m" | "message", Some(text)) => {
                flow::merge(&mut payload, &text.payload());
                has_text = true;
            }
            ("g" | "group-id", Some(group)) => {
                recipients.push(format!("{}@signal.org", group.text));
            }
            ("u" | "username", Some(user)) => {
                recipients.push(chat_on(&user.text, "signal.org"));
            }
            ("note-to-self", _) => {
                recipients.push(account.map_or_else(String::new, |a| a.text.clone()));
            }
            ("message-from-stdin", _) => from_stdin = true,
            (
                "quote-message" | "preview-url" | "preview-title" | "preview-description",
                Some(text),
            ) => flow::merge(&mut payload, &text.payload()),
            ("preview-image" | "quote-attachment", Some(file)) => {
                attach(inv, &mut payload, &file);
            }
            _ => {}
        }
    }
    if from_stdin || !has_text {
        flow::merge(&mut payload, inv.stdin);
    }
    Some(Outcome::default().effect(message(inv, recipients, payload)))
}

/// ntfy's publish options that take a value (urfave/cli: `-x` or `--x`,
/// the value after `=` or as the next word).
const NTFY_VALUES: &[&str] = &[
    "c",
    "config",
    "t",
    "title",
    "m",
    "message",
    "p",
    "priority",
    "tags",
    "tag",
    "T",
    "delay",
    "at",
    "in",
    "D",
    "click",
    "U",
    "actions",
    "A",
    "attach",
    "a",
    "filename",
    "name",
    "n",
    "file",
    "f",
    "email",
    "mail",
    "e",
    "user",
    "u",
    "token",
    "k",
    "icon",
    "i",
    "wait-pid",
    "pid",
    "log-level",
    "log-file",
    "log-format",
    "sequence-id",
    "call",
];

/// `ntfy publish [OPTIONS] TOPIC [MESSAGE...]` (`pub`, `send`,
/// `trigger`): a request to the topic's server (`TOPIC` on ntfy.sh,
/// `HOST/TOPIC`, or a URL) carrying the message, the title and the file
/// it uploads (`--file F`; `-` is standard input); `--email ADDR` also
/// mails it to ADDR, and `--wait-cmd` runs the command after the topic
/// first. A server set only in its client configuration is not seen:
/// the topic is taken to be ntfy.sh's.
fn ntfy(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    if !matches!(verb.text.as_str(), "publish" | "pub" | "send" | "trigger") {
        return None;
    }
    let items = args::long_options(rest, NTFY_VALUES, OptionsEnd::FirstPositional, "--");
    let positionals = args::positionals(&items);
    let env_topic = args::has(&items, &["--env-topic", "--P"]);
    let (topic, words) = if env_topic {
        (
            inv.env_value("NTFY_TOPIC").map(|v| v.text.clone()),
            positionals.as_slice(),
        )
    } else {
        match positionals.split_first() {
            Some((topic, words)) => (Some(topic.text.clone()), words),
            None => (None, &[][..]),
        }
    };
    let topic = topic.unwrap_or_default();
    let target = if topic.contains("://") {
        topic
    } else if topic.contains('/') {
        format!("https://{topic}")
    } else {
        format!("https://ntfy.sh/{topic}")
    };
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let waits = args::has(&items, &["--wait-cmd", "--cmd", "--done"]);
    if waits && !words.is_empty() {
        outcome.nested.push(Nested::Argv {
            argv: words.iter().map(|w| (*w).clone()).collect(),
            env: Vec::new(),
            cwd: None,
        });
    } else {
        for word in words {
            flow::merge(&mut payload, &word.payload());
        }
    }
    for (name, value) in args::options(&items) {
        match name {
            "--t" | "--title" | "--m" | "--message" | "--tags" | "--tag" | "--T" | "--click"
            | "--U" | "--actions" | "--A" | "--attach" | "--a" => {
                flow::merge(&mut payload, &value.payload());
            }
            "--f" | "--file" => {
                if value.text == "-" {
                    flow::merge(&mut payload, inv.stdin);
                } else {
                    attach(inv, &mut payload, value);
                }
            }
            // Credentials go to the server with the message.
            "--u" | "--user" | "--k" | "--token" => {
                flow::merge(&mut payload, &value.expansions());
            }
            _ => {}
        }
    }
    let file = args::value(&items, &["--f", "--file"]).is_some();
    let emails: Vec<String> = args::values(&items, &["--e", "--email", "--mail"])
        .into_iter()
        .map(|a| a.text.clone())
        .filter(|a| !a.is_empty())
        .collect();
    if !emails.is_empty() {
        outcome.effects.push(message(inv, emails, payload.clone()));
    }
    outcome.effects.push(request(
        inv.program,
        url(&target),
        if file { "PUT" } else { "POST" },
        payload,
        false,
    ));
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apprise_urls_name_their_services_recipients() {
        for (url, expected) in [
            (
                "discord://1188402231/ZkQ7rT",
                vec!["https://discord.com/api/webhooks/1188402231/ZkQ7rT"],
            ),
            (
                "tgram://123:abc/-1001822334455/ops",
                vec!["-1001822334455", "ops@telegram.org"],
            ),
            ("tgram://123:abc", vec!["https://api.telegram.org"]),
            (
                "slack://T1/B2/C3/#general",
                vec!["https://hooks.slack.com/services/T1/B2/C3"],
            ),
            (
                "slack://bot@xoxb-123/#general",
                vec!["https://slack.com/api/chat.postMessage"],
            ),
            ("mailtos://me:pw@gmail.com", vec!["me@gmail.com"]),
            (
                "mailto://me:pw@gmail.com?to=a@x.com,b@y.org",
                vec!["a@x.com", "b@y.org"],
            ),
            (
                "twilio://AC1:tok@+18005550199/%2B14155550142",
                vec!["+14155550142"],
            ),
            (
                "json://hooks.example.com:8080/notify",
                vec!["http://hooks.example.com:8080/notify"],
            ),
            (
                "jsons://hooks.example.com/n",
                vec!["https://hooks.example.com/n"],
            ),
            ("ntfy://alerts", vec!["https://ntfy.sh/alerts"]),
            (
                "ntfys://ntfy.acme.internal/alerts",
                vec!["https://ntfy.acme.internal/alerts"],
            ),
            (
                "mmosts://mm.acme.internal/tok",
                vec!["https://mm.acme.internal"],
            ),
            (
                "https://discord.com/api/webhooks/1/x",
                vec!["https://discord.com/api/webhooks/1/x"],
            ),
        ] {
            assert_eq!(service_recipients(url), expected, "{url}");
        }
    }
}
