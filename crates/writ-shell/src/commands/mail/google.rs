//! The Google Workspace CLIs' mail and calendar commands.
//!
//! - `gog` (gogcli): `gog [--account A] gmail send --to A,B [--cc] [--bcc]
//!   --subject S --body T|--body-file F|- [--body-html H] [--attach F]...`
//!   sends a message (the account is `--account` or `GOG_ACCOUNT`: the
//!   sender, not a recipient); `--reply-all` adds the original message's
//!   people, whom the line does not name; `gmail drafts send ID` sends a
//!   draft whose recipients are not known here; `calendar create|update
//!   CAL --attendees A,B` invites the attendees. `--dry-run` sends nothing.
//! - `gws`: `gws gmail send|+send --to ... --subject --body --attach`, the
//!   same, and nothing with `--dry-run`.
//! - `gam` (GAM and GAMADV-XTD3): `gam sendemail [recipient|to] RCPTS
//!   [from U] [cc R] [bcc R] subject S (message T|file F)... (attach F)*`,
//!   and `gam user U sendemail recipient|to R ...` from U, or `gam user U
//!   sendemail from F ...` to U; `gam calendar CAL add|update|delete
//!   acl[s] ROLE user|group|domain X|default` changes who may see a
//!   calendar (`default`, everyone: public). GAM's access changes to Drive
//!   files, groups and mailboxes are `access.rs`'s.

use super::{addresses, attach, message, to_unnamed_recipients};
use crate::args::{self, Arg, Spec};
use crate::commands::{Invocation, Outcome};
use crate::{Effect, Message, Payload, Resource, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "gog" => Some(gog(inv)),
        "gws" => Some(gws(inv)),
        "gam" => gam(inv),
        _ => None,
    }
}

/// gog's options that take a value (global and per command).
const GOG_VALUES: &[&str] = &[
    "account",
    "client",
    "color",
    "to",
    "cc",
    "bcc",
    "subject",
    "body",
    "body-html",
    "body-file",
    "attach",
    "from",
    "reply-to",
    "reply-to-message-id",
    "in-reply-to",
    "thread-id",
    "summary",
    "description",
    "location",
    "attendees",
    "calendar",
    "max",
    "limit",
    "page",
    "query",
    "event-color",
    "visibility",
    "transparency",
    "send-updates",
    "scope",
    "original-start",
    "source-url",
    "source-title",
    "attachment",
    "private-prop",
    "shared-prop",
    "fields",
];

fn gog(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "a",
            long: GOG_VALUES,
            stop_after: None,
        },
    );
    if args::has(&items, &["--dry-run", "-n"]) {
        return Outcome::default();
    }
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    match words.as_slice() {
        ["gmail", "send", ..] => gmail_send(inv, &items),
        ["gmail", "drafts" | "draft", "send", ..] => to_unnamed_recipients(inv, Payload::default()),
        ["calendar", "create" | "update", ..] => invitation(inv, &items),
        _ => Outcome::default(),
    }
}

/// A Gmail send from `gog`/`gws` flags: `--to`/`--cc`/`--bcc` (each a
/// comma-separated list), `--subject`, `--body`/`--body-html`, the body
/// file `--body-file` (`-` is standard input) and `--attach` files
/// (repeated, or comma-separated).
fn gmail_send(inv: &Invocation<'_>, items: &[args::Item<'_>]) -> Outcome {
    let mut payload = Payload::default();
    for text in args::values(items, &["--subject", "--body", "--body-html"]) {
        flow::merge(&mut payload, &text.payload());
    }
    for file in args::values(items, &["--body-file"]) {
        if file.text == "-" {
            flow::merge(&mut payload, inv.stdin);
        } else {
            attach(inv, &mut payload, file);
        }
    }
    for files in args::values(items, &["--attach", "--attachment"]) {
        for file in files.text.split(',').filter(|f| !f.trim().is_empty()) {
            attach(inv, &mut payload, &files.with_text(file.trim()));
        }
    }
    let recipients = addresses(args::values(items, &["--to", "--cc", "--bcc"]));
    let mut outcome = message(inv, recipients.clone(), payload.clone());
    if recipients.is_empty() || args::has(items, &["--reply-all"]) {
        // The original message's people, whom the line does not name.
        outcome.effects.push(Effect::Message(Message {
            program: inv.program.to_owned(),
            recipients: Vec::new(),
            payload,
        }));
    }
    outcome
}

/// `gog calendar create|update CAL [EVENT] --attendees A,B --summary S
/// --description D --location L`: Calendar e-mails the invitation to the
/// attendees, with what the event says.
fn invitation(inv: &Invocation<'_>, items: &[args::Item<'_>]) -> Outcome {
    let mut payload = Payload::default();
    for text in args::values(items, &["--summary", "--description", "--location"]) {
        flow::merge(&mut payload, &text.payload());
    }
    let attendees = addresses(args::values(items, &["--attendees"]));
    message(inv, attendees, payload)
}

/// `gws gmail send|+send ...`: the flags of [`gmail_send`]; `--dry-run`
/// only prints the request.
fn gws(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: GOG_VALUES,
            stop_after: None,
        },
    );
    if args::has(&items, &["--dry-run"]) {
        return Outcome::default();
    }
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    match words.as_slice() {
        ["gmail", "send" | "+send", ..] => gmail_send(inv, &items),
        _ => Outcome::default(),
    }
}

/// GAM's entity words before a per-user command (`gam user U sendemail`).
const GAM_USER_ENTITIES: &[&str] = &["user", "users", "group", "group_users", "ou", "ous"];

fn gam(inv: &Invocation<'_>) -> Option<Outcome> {
    let lower: Vec<String> = inv
        .args
        .iter()
        .map(|a| a.text.to_ascii_lowercase())
        .collect();
    let word = |at: usize| lower.get(at).map_or("", String::as_str);
    let per_user = GAM_USER_ENTITIES.contains(&word(0));
    if word(0) == "sendemail" {
        return Some(gam_sendemail(inv, inv.args.get(1..)?, None));
    }
    if per_user && word(2) == "sendemail" {
        return Some(gam_sendemail(inv, inv.args.get(3..)?, inv.args.get(1)));
    }
    // `gam calendar CAL add acls ROLE SCOPE`.
    if matches!(word(0), "calendar" | "calendars") {
        let from = if matches!(word(3), "acl" | "acls") {
            4
        } else {
            3
        };
        return gam_calendar_acl(inv.args.get(1)?, word(2), &lower, inv.args, from);
    }
    // `gam user U add calendaracls CAL ROLE SCOPE`.
    if per_user && matches!(word(3), "calendaracl" | "calendaracls") {
        return gam_calendar_acl(inv.args.get(4)?, word(2), &lower, inv.args, 5);
    }
    None
}

/// GAM's `<MessageContent>` keywords and SMTP header options that take a
/// value, beside `subject`.
const GAM_TEXT: &[&str] = &[
    "subject",
    "message",
    "textmessage",
    "htmlmessage",
    "replyto",
    "header",
    "replace",
];

/// `gam [user U] sendemail ...` as GAM's `doSendEmail` reads it: the
/// recipients after `recipient|recipients|to` (or, for users sending
/// `from` someone, the users themselves), `cc` and `bcc` lists; the
/// subject, message text, message files, attachments, tag replacements
/// and headers are what it carries.
fn gam_sendemail(inv: &Invocation<'_>, words: &[Arg], users: Option<&Arg>) -> Outcome {
    let mut recipients = Vec::new();
    let mut payload = Payload::default();
    let mut words = words.iter().peekable();
    let keyword = |w: &Arg| w.text.to_ascii_lowercase();
    match (users, words.peek().map(|w| keyword(w))) {
        (_, Some(k)) if matches!(k.as_str(), "recipient" | "recipients" | "to") => {
            words.next();
            recipients.extend(words.next().map(gam_addresses).unwrap_or_default());
        }
        (None, Some(_)) => recipients.extend(words.next().map(gam_addresses).unwrap_or_default()),
        (Some(users), Some(k)) if k == "from" => {
            words.next();
            words.next();
            recipients.extend(gam_addresses(users));
        }
        // GAM refuses the command: neither recipients nor a sender.
        _ => return Outcome::default(),
    }
    while let Some(word) = words.next() {
        let key = keyword(word);
        match key.as_str() {
            "cc" | "bcc" => recipients.extend(words.next().map(gam_addresses).unwrap_or_default()),
            "file" | "textfile" | "htmlfile" | "attach" | "embedimage" => {
                if let Some(file) = words.next() {
                    attach(inv, &mut payload, file);
                }
            }
            "replaceregex" => {
                for value in words.by_ref().take(4) {
                    flow::merge(&mut payload, &value.payload());
                }
            }
            "header" | "replace" => {
                for value in words.by_ref().take(2) {
                    flow::merge(&mut payload, &value.payload());
                }
            }
            _ if GAM_TEXT.contains(&key.as_str()) => {
                if let Some(value) = words.next() {
                    flow::merge(&mut payload, &value.payload());
                }
            }
            // Values that are addresses, ids or settings, not content.
            "from" | "mailbox" | "newuser" | "threadid" | "charset" | "gdoc" | "ghtml"
            | "gcsdoc" | "gcshtml" | "firstname" | "givenname" | "lastname" | "familyname"
            | "password" | "notifypassword" => {
                let value = words.next();
                if matches!(key.as_str(), "password" | "notifypassword")
                    && let Some(value) = value
                {
                    flow::merge(&mut payload, &value.payload());
                }
            }
            _ => {}
        }
    }
    if recipients.is_empty() {
        return to_unnamed_recipients(inv, payload);
    }
    message(inv, recipients, payload)
}

/// A GAM recipient list: addresses separated by commas or spaces.
fn gam_addresses(word: &Arg) -> Vec<String> {
    word.text
        .split([',', ' '])
        .flat_map(|part| addresses([&word.with_text(part)]))
        .collect()
}

/// GAM's calendar ACL roles.
const GAM_ROLES: &[&str] = &[
    "editor",
    "freebusy",
    "freebusyreader",
    "owner",
    "read",
    "reader",
    "writer",
    "none",
];

/// A calendar ACL change (`verb` is `add`, `update` or `delete`; its
/// `[ROLE] SCOPE` start at `from`): the scope is `user|group E`, `domain
/// [D]`, `default`, their `type:value` forms or a bare address.
/// `default` opened to any role is public; everything else changes that
/// grantee's access.
fn gam_calendar_acl(
    calendar: &Arg,
    verb: &str,
    lower: &[String],
    args: &[Arg],
    from: usize,
) -> Option<Outcome> {
    if !matches!(verb, "add" | "create" | "update" | "delete" | "del") {
        return None;
    }
    let word = |i: usize| lower.get(i).map_or("", String::as_str);
    let original = |i: usize| args.get(i).map(|a| a.text.clone());
    let mut at = from;
    let role = GAM_ROLES.contains(&word(at)).then(|| word(at));
    if role.is_some() {
        at += 1;
    }
    let (kind, value) = match word(at).split_once(':') {
        Some((kind, _)) => (
            kind.to_owned(),
            original(at).and_then(|t| t.split_once(':').map(|(_, v)| v.to_owned())),
        ),
        None if word(at).contains('@') => ("user".to_owned(), original(at)),
        None => (word(at).to_owned(), original(at + 1)),
    };
    let resource = Resource::Other {
        name: format!("google calendar {}", calendar.text),
    };
    let opens = !matches!(verb, "delete" | "del") && role != Some("none");
    let grantee = match kind.as_str() {
        "default" if opens => {
            return Some(Outcome::default().effect(Effect::MakePublic { resource }));
        }
        "default" => None,
        "user" | "group" => value,
        "domain" => value.filter(|d| d.contains('.')),
        _ => return None,
    };
    Some(Outcome::default().effect(Effect::GrantAccess { resource, grantee }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gam_recipient_lists_split_on_commas_and_spaces() {
        let word = Arg::literal("a@x.com,b@y.com c@z.com");
        assert_eq!(gam_addresses(&word), ["a@x.com", "b@y.com", "c@z.com"]);
    }
}
