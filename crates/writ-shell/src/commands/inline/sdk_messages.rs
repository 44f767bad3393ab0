//! Messages sent through vendors' SDKs rather than a mail library: SMS
//! through Twilio (`client.messages.create(to=..., from_=..., body=...)`,
//! Node's `client.messages.create({ to, body })`), chat posts through
//! Slack's (`WebClient(token=..., base_url=...).chat_postMessage(channel=
//! ..., text=...)`, Node's `web.chat.postMessage({ channel, text })`,
//! file uploads), and e-mail through SendGrid's (`Mail(from_email=...,
//! to_emails=..., subject=..., html_content=...)`, Node's `sgMail.send({
//! to, subject, text })`), Postmark's (`client.sendEmail({ To, Subject,
//! TextBody })`, postmarker's `emails.send(To=...)`) and Mailgun's
//! (`mg.messages.create(domain, { to, text })`).
//!
//! Each send is a [`crate::Message`], as the vendor's CLI or a mail
//! library's is, to the recipients its arguments name: phone numbers as
//! written, addresses, or a Slack channel on the workspace its client is
//! pointed at (`#NAME@HOST`, the host of `base_url`/`slackApiUrl`,
//! `slack.com` by default), as the chat CLIs name one. A send that names
//! nobody readably goes to the vendor's API, someone outside whom nobody
//! can check. It carries what it says (its arguments but the addressing
//! and the SDK's options: the body, subject, blocks, and the variables
//! they read), the files the code reads (attachments, a body read from a
//! file, files read through a loop's variable: [`super::loop_reads`]),
//! and what the script's own arguments written into it carry (`--body
//! "creds: $AWS_SECRET_ACCESS_KEY"`).

use super::sdk_values::{Value, Values, item_key};
use super::storage::{Item, arguments, is_ident};
use super::{Invocation, Literal, Outcome, READ_CALLS, called_with, env_reads, is_address};
use crate::{Effect, FileRef, Message, Payload, flow};

/// How a vendor names whom a message goes to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Addressing {
    /// As written (phone numbers, `whatsapp:+49...`), a list separated by
    /// commas.
    AsWritten,
    /// E-mail addresses, however written (`"Jo <jo@x.io>, al@y.io"`).
    Addresses,
    /// A Slack channel (`#ops`, `C0123`) or user (`@jo`) of the
    /// workspace the client is pointed at.
    Channel,
}

/// A vendor's SDK and its sends.
struct Provider {
    /// What code using the SDK writes (its package's name).
    marks: &'static [&'static str],
    /// Its send calls, by name (a method's name with what it is called on).
    calls: &'static [&'static str],
    /// Keys naming the recipients.
    to: &'static [&'static str],
    /// Calls whose literal arguments are more recipients (SendGrid's
    /// `To("a@x.io")`, `add_to(...)`).
    recipient_calls: &'static [&'static str],
    /// Keys that are not what the message says: the sender, the
    /// addressing, the SDK's options.
    not_content: &'static [&'static str],
    /// Keys whose value is a file sent (Slack's `file="report.pdf"`).
    files: &'static [&'static str],
    addressing: Addressing,
    /// Whom a send that names nobody readably goes to.
    unnamed: &'static str,
}

const PROVIDERS: &[Provider] = &[
    Provider {
        marks: &["twilio"],
        calls: &["messages.create"],
        to: &["to"],
        recipient_calls: &[],
        not_content: &[
            "to",
            "from_",
            "from",
            "messaging_service_sid",
            "messagingServiceSid",
            "status_callback",
            "statusCallback",
            "application_sid",
            "applicationSid",
            "author",
        ],
        files: &[],
        addressing: Addressing::AsWritten,
        unnamed: "https://api.twilio.com",
    },
    Provider {
        marks: &[
            "slack_sdk",
            "slack.web",
            "@slack/web-api",
            "slack_bolt",
            "@slack/bolt",
        ],
        calls: &[
            "chat_postMessage",
            "chat_postEphemeral",
            "chat_scheduleMessage",
            "chat_meMessage",
            "files_upload_v2",
            "files_upload",
            "chat.postMessage",
            "chat.postEphemeral",
            "chat.scheduleMessage",
            "chat.meMessage",
            "files.uploadV2",
            "files.upload",
        ],
        to: &["channel", "channel_id", "channels"],
        recipient_calls: &[],
        not_content: &[
            "channel",
            "channel_id",
            "channels",
            "token",
            "thread_ts",
            "unfurl_links",
            "unfurl_media",
            "mrkdwn",
            "as_user",
            "icon_emoji",
            "icon_url",
            "username",
            "link_names",
            "reply_broadcast",
            "parse",
            "post_at",
            "user",
            "filetype",
        ],
        files: &["file"],
        addressing: Addressing::Channel,
        unnamed: "https://slack.com/api",
    },
    Provider {
        marks: &["sendgrid"],
        calls: &["Mail", "send", "sendMultiple", "send_multiple"],
        to: &["to_emails", "to", "cc", "bcc"],
        recipient_calls: &["To", "Cc", "Bcc", "add_to", "add_cc", "add_bcc"],
        not_content: &[
            "from_email",
            "from",
            "reply_to",
            "replyTo",
            "to_emails",
            "to",
            "cc",
            "bcc",
            "is_multiple",
            "isMultiple",
        ],
        files: &[],
        addressing: Addressing::Addresses,
        unnamed: "https://api.sendgrid.com",
    },
    Provider {
        marks: &["postmark"],
        calls: &[
            "sendEmail",
            "sendEmailWithTemplate",
            "sendEmailBatch",
            "emails.send",
            "emails.send_with_template",
            "emails.send_batch",
        ],
        to: &["To", "Cc", "Bcc", "to", "cc", "bcc"],
        recipient_calls: &[],
        not_content: &[
            "From",
            "from",
            "ReplyTo",
            "reply_to",
            "To",
            "Cc",
            "Bcc",
            "to",
            "cc",
            "bcc",
            "MessageStream",
            "message_stream",
            "TrackOpens",
            "TrackLinks",
            "Tag",
        ],
        files: &[],
        addressing: Addressing::Addresses,
        unnamed: "https://api.postmarkapp.com",
    },
    Provider {
        marks: &["mailgun.js", "mailgun-js", "mailgun"],
        calls: &["messages.create"],
        to: &["to", "cc", "bcc"],
        recipient_calls: &[],
        not_content: &["from", "to", "cc", "bcc", "h:Reply-To"],
        files: &[],
        addressing: Addressing::Addresses,
        unnamed: "https://api.mailgun.net",
    },
];

/// Constructors of a Slack client and the keys of the API URL they are
/// given.
const SLACK_CLIENTS: &[&str] = &["WebClient", "AsyncWebClient"];
const SLACK_URL_KEYS: &[&str] = &["base_url", "slackApiUrl"];

/// Adds a message for each vendor SDK send in `code`.
pub(super) fn report(
    inv: &Invocation<'_>,
    original: &str,
    code: &str,
    literals: &[Literal],
    outcome: &mut Outcome,
) {
    let values = Values::new(inv, original, code, literals);
    let used = PROVIDERS
        .iter()
        .filter(|p| p.marks.iter().any(|mark| code.contains(mark)));
    for provider in used {
        let sends = sends(code, literals, provider, &values);
        if sends.is_empty() {
            continue;
        }
        let read = files_read(code, literals);
        let extra = extra_recipients(code, literals, provider);
        for send in sends {
            let mut recipients = send.recipients;
            for recipient in &extra {
                if !recipients.contains(recipient) {
                    recipients.push(recipient.clone());
                }
            }
            if recipients.is_empty() {
                recipients.push(provider.unnamed.to_owned());
            }
            let mut payload = send.payload;
            for file in read.iter().chain(&send.files) {
                flow::push_file(
                    &mut payload,
                    FileRef {
                        path: inv.path(file),
                        recursive: false,
                        excludes: Vec::new(),
                    },
                );
            }
            outcome.effects.push(Effect::Message(Message {
                program: inv.program.to_owned(),
                recipients,
                payload,
            }));
        }
    }
}

/// One send: whom it names and what it says.
struct Send {
    recipients: Vec<String>,
    payload: Payload,
    /// Files its arguments send by name.
    files: Vec<String>,
}

/// The sends `provider`'s calls in `code` make.
fn sends(code: &str, literals: &[Literal], provider: &Provider, values: &Values<'_>) -> Vec<Send> {
    let host = (provider.addressing == Addressing::Channel)
        .then(|| slack_host(code, literals, values))
        .flatten()
        .unwrap_or_else(|| "slack.com".to_owned());
    let mut out = Vec::new();
    for call in provider.calls {
        for open in call_opens(code, literals, call) {
            let Some((items, _)) = arguments(code, literals, open) else {
                continue;
            };
            let entries = entries(code, literals, open, &items, values);
            let keyed = entries.iter().any(|(key, _)| key.is_some());
            if !keyed {
                continue;
            }
            out.push(send(code, literals, provider, values, &entries, &host));
        }
    }
    out
}

/// A call's arguments as `(key, start, end)`, an argument that is a name
/// bound to an object (`sgMail.send(msg)`, `const msg = { to, ... }`)
/// read as its members.
fn entries(
    code: &str,
    literals: &[Literal],
    open: usize,
    items: &[Item],
    values: &Values<'_>,
) -> Vec<(Option<String>, Entry)> {
    let mut out = Vec::new();
    for item in items {
        let text = code.get(item.start..item.end).unwrap_or_default();
        let key = item_key(code, literals, open, item);
        let name = key.is_none() && !text.is_empty() && text.chars().all(is_ident);
        if name && let Some(Value::Map(members)) = values.of(item.start, item.end) {
            out.extend(
                members
                    .into_iter()
                    .map(|(key, value)| (Some(key), Entry::Known(value))),
            );
            continue;
        }
        out.push((key, Entry::At(item.start, item.end)));
    }
    out
}

/// An argument's value: where it is written, or already known.
enum Entry {
    At(usize, usize),
    Known(Value),
}

/// The send of one call's `entries`.
fn send(
    code: &str,
    literals: &[Literal],
    provider: &Provider,
    values: &Values<'_>,
    entries: &[(Option<String>, Entry)],
    host: &str,
) -> Send {
    let mut recipients = Vec::new();
    let mut payload = Payload::default();
    let mut files = Vec::new();
    let mut said: Vec<String> = Vec::new();
    for (key, entry) in entries {
        let value = match entry {
            Entry::Known(value) => Some(value.clone()),
            Entry::At(start, end) => values.of(*start, *end),
        };
        let key = key.as_deref().unwrap_or_default();
        if provider.to.contains(&key) {
            for text in value.iter().flat_map(Value::texts) {
                add_recipients(&mut recipients, text, provider.addressing, host);
            }
            continue;
        }
        if provider.files.contains(&key) {
            files.extend(value.iter().flat_map(Value::texts).map(str::to_owned));
            continue;
        }
        if provider.not_content.contains(&key) {
            continue;
        }
        match (value, entry) {
            (Some(value), _) => said.extend(value.texts().into_iter().map(str::to_owned)),
            (None, Entry::At(start, end)) => {
                // What it is made of: its literals but the files read
                // (sent as files), and the variables it reads.
                for literal in literals
                    .iter()
                    .filter(|l| l.start >= *start && l.end <= *end)
                {
                    let before = code.get(..literal.start).unwrap_or_default();
                    if called_with(before, READ_CALLS).is_none() {
                        said.push(literal.text.clone());
                    }
                }
                for name in env_reads(code.get(*start..*end).unwrap_or_default()) {
                    flow::push_env(&mut payload, &name);
                }
            }
            (None, Entry::Known(_)) => {}
        }
    }
    for text in &said {
        flow::push_text(&mut payload, text);
    }
    let texts: Vec<&str> = said.iter().map(String::as_str).collect();
    flow::merge(&mut payload, &values.expansions_in(&texts));
    Send {
        recipients,
        payload,
        files,
    }
}

/// Where each call of `name` in `code` opens its arguments: `name(`
/// called as a whole name (`client.messages.create(`, `Mail(`), outside
/// literals.
pub(super) fn call_opens(code: &str, literals: &[Literal], name: &str) -> Vec<usize> {
    let pattern = format!("{name}(");
    code.match_indices(&pattern)
        .filter(|(at, _)| {
            let whole = code
                .get(..*at)
                .and_then(|b| b.chars().next_back())
                .is_none_or(|c| !is_ident(c));
            whole && literals.iter().all(|l| !(l.start <= *at && *at < l.end))
        })
        .map(|(at, _)| at + name.len())
        .collect()
}

/// Adds the recipients `text` names, as `addressing` writes them.
fn add_recipients(all: &mut Vec<String>, text: &str, addressing: Addressing, host: &str) {
    let named: Vec<String> = match addressing {
        Addressing::AsWritten => text
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
        Addressing::Addresses => text
            .split([',', ';', ' ', '<', '>', '"', '\''])
            .filter(|word| is_address(word))
            .map(str::to_owned)
            .collect(),
        Addressing::Channel => text
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|channel| match channel.strip_prefix('@') {
                Some(user) => format!("{user}@{host}"),
                None => format!("#{}@{host}", channel.trim_start_matches('#')),
            })
            .collect(),
    };
    for recipient in named {
        if !all.contains(&recipient) {
            all.push(recipient);
        }
    }
}

/// The addresses `provider`'s recipient calls name anywhere in the code
/// (SendGrid's `To("a@x.io")`).
fn extra_recipients(code: &str, literals: &[Literal], provider: &Provider) -> Vec<String> {
    let mut found = Vec::new();
    for call in provider.recipient_calls {
        for open in call_opens(code, literals, call) {
            let Some((items, _)) = arguments(code, literals, open) else {
                continue;
            };
            let end = items.last().map_or(open, |i| i.end);
            for literal in literals.iter().filter(|l| l.start > open && l.end <= end) {
                add_recipients(&mut found, &literal.text, provider.addressing, "");
            }
        }
    }
    found
}

/// The host of the Slack API URL the code's client is given
/// (`WebClient(token=t, base_url="https://x.slack.com/api/")`, `new
/// WebClient(t, { slackApiUrl: ... })`), when it is known.
fn slack_host(code: &str, literals: &[Literal], values: &Values<'_>) -> Option<String> {
    SLACK_CLIENTS.iter().find_map(|client| {
        call_opens(code, literals, client)
            .into_iter()
            .find_map(|open| {
                let (items, _) = arguments(code, literals, open)?;
                let item = items.iter().find(|i| {
                    i.key
                        .as_deref()
                        .is_some_and(|k| SLACK_URL_KEYS.contains(&k))
                })?;
                let url = values.of(item.start, item.end)?;
                url_host(url.text()?)
            })
    })
}

/// The host of a URL (`https://x.slack.com/api/`: `x.slack.com`).
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The files the code reads by name (`open("f")`, `readFileSync("f")`,
/// and through a loop's variable), which a message it sends may carry
/// (its attachments, a body read from a file).
pub(super) fn files_read(code: &str, literals: &[Literal]) -> Vec<String> {
    let mut files: Vec<String> = literals
        .iter()
        .filter(|l| {
            let before = code.get(..l.start).unwrap_or_default();
            called_with(before, READ_CALLS).is_some()
                && !super::opened_to_write(code, l)
                && !super::is_url(&l.text)
                && !l.text.is_empty()
                && !l.backtick
        })
        .map(|l| l.text.clone())
        .collect();
    files.extend(
        super::loop_reads::files(code, literals)
            .into_iter()
            .map(|(_, f)| f),
    );
    files.dedup();
    files
}
