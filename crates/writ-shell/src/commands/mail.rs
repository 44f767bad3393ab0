//! E-mail from the command line: `mail`/`mailx`/`s-nail`, `mutt`/`neomutt`,
//! `sendmail`/`msmtp`/`ssmtp`, `swaks`. Each reports one [`Message`] to its
//! recipients, carrying the subject, the body (standard input, or the file
//! or text the command names) and the attachments.

use super::{Invocation, Outcome, printed_lines, send_file};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Message, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "mail" | "mailx" | "s-nail" | "bsd-mailx" | "nail" => mailx(inv),
        "mutt" | "neomutt" => mutt(inv),
        "sendmail" | "msmtp" | "ssmtp" | "esmtp" => sendmail(inv),
        "swaks" => swaks(inv),
        _ => return None,
    })
}

/// `mail [-s SUBJECT] [-c CC] [-b BCC] [-a|-A FILE] [-r FROM] RCPT...`, the
/// body on standard input. (`-a` attaches in BSD mailx and s-nail, and adds
/// a header in GNU mailutils: either way its value is sent.) `-f`, `-H`,
/// `-e` and `-u` read mailboxes and send nothing.
fn mailx(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "scbaArSqTMu",
            long: &[
                "subject",
                "cc",
                "bcc",
                "attach",
                "append",
                "return-address",
                "content-type",
                "content-filename",
                "from",
                "set",
            ],
            stop_after: None,
        },
    );
    if args::has(&items, &["-f", "--file", "-H", "-e", "-u", "--headers"]) {
        return Outcome::default();
    }
    let mut payload = inv.stdin.clone();
    for subject in args::values(&items, &["-s", "--subject", "--append"]) {
        flow::merge(&mut payload, &subject.payload());
    }
    for file in args::values(&items, &["-a", "-A", "--attach", "-q"]) {
        attach(inv, &mut payload, file);
    }
    let mut recipients = addresses(args::positionals(&items));
    recipients.extend(addresses(args::values(
        &items,
        &["-c", "-b", "--cc", "--bcc"],
    )));
    message(inv, recipients, payload)
}

/// `mutt [-s SUBJECT] [-c CC] [-b BCC] [-i FILE] [-a FILE... --] RCPT...`:
/// `-a` takes every word up to `--`; the recipients follow.
fn mutt(inv: &Invocation<'_>) -> Outcome {
    let mut payload = inv.stdin.clone();
    let mut recipients = Vec::new();
    let mut words = inv.args.iter();
    let mut attaching = false;
    let mut only_recipients = false;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if only_recipients {
            recipients.extend(addresses([word]));
            continue;
        }
        match text {
            "--" => only_recipients = true,
            "-a" => attaching = true,
            "-s" | "-c" | "-b" | "-i" | "-H" | "-F" | "-e" | "-f" | "-m" => {
                attaching = false;
                let Some(value) = words.next() else { break };
                match text {
                    "-s" => flow::merge(&mut payload, &value.payload()),
                    "-c" | "-b" => recipients.extend(addresses([value])),
                    "-i" | "-H" => attach(inv, &mut payload, value),
                    // `-f` opens a mailbox to read: nothing is sent.
                    "-f" => return Outcome::default(),
                    _ => {}
                }
            }
            _ if text.starts_with('-') => attaching = false,
            _ if attaching => attach(inv, &mut payload, word),
            _ => recipients.extend(addresses([word])),
        }
    }
    message(inv, recipients, payload)
}

/// `sendmail [-t] [-f FROM] [-F NAME] [-oi] RCPT...` (and msmtp, ssmtp):
/// the message, headers and body, on standard input. With `-t` (`msmtp
/// --read-recipients`) the recipients are its `To:`, `Cc:` and `Bcc:`
/// headers, read from the text when it is on the command line.
fn sendmail(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "fFBNRVCOXLraq",
            long: &[
                "from",
                "account",
                "host",
                "port",
                "file",
                "auth",
                "user",
                "passwordeval",
                "tls-trust-file",
                "domain",
                "logfile",
            ],
            stop_after: None,
        },
    );
    let payload = inv.stdin.clone();
    let mut recipients = addresses(args::positionals(&items));
    if args::has(&items, &["-t", "--read-recipients"]) {
        let named = header_recipients(&payload.text);
        if named.is_empty() && recipients.is_empty() {
            return to_unnamed_recipients(inv, payload);
        }
        recipients.extend(named);
    }
    message(inv, recipients, payload)
}

/// `swaks --to RCPT[,RCPT] [--cc ...] [--bcc ...] [--body TEXT|@FILE]
/// [--attach FILE|@FILE] [--header H] [--data TEXT|@FILE]`.
fn swaks(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tfsp",
            long: &[
                "to",
                "cc",
                "bcc",
                "from",
                "server",
                "port",
                "body",
                "attach",
                "attach-type",
                "attach-name",
                "header",
                "add-header",
                "data",
                "auth-user",
                "auth-password",
                "helo",
                "ehlo",
            ],
            stop_after: None,
        },
    );
    let mut payload = inv.stdin.clone();
    for value in args::values(&items, &["--body", "--data", "--header", "--add-header"]) {
        match value.text.strip_prefix('@') {
            Some(file) => attach(inv, &mut payload, &value.with_text(file)),
            None => flow::merge(&mut payload, &value.payload()),
        }
    }
    for file in args::values(&items, &["--attach"]) {
        let path = file.text.strip_prefix('@').unwrap_or(&file.text);
        attach(inv, &mut payload, &file.with_text(path));
    }
    // `--h-Subject: text` style headers are sent as they are.
    for item in &items {
        if let Item::Opt { name, value } = item
            && name.starts_with("--h-")
        {
            flow::push_text(&mut payload, name);
            if let Some(value) = value {
                flow::merge(&mut payload, &value.payload());
            }
        }
    }
    let recipients = addresses(args::values(&items, &["-t", "--to", "--cc", "--bcc"]));
    message(inv, recipients, payload)
}

/// Sends a file's contents (`-` is standard input, already in the payload).
fn attach(inv: &Invocation<'_>, payload: &mut Payload, file: &Arg) {
    if file.text.is_empty() || file.text == "-" {
        return;
    }
    flow::merge(payload, &file.expansions());
    send_file(inv, payload, &file.text, false);
}

/// Addresses in words that may hold several (`a@x.com,b@y.com`) or a
/// display name (`Bob <bob@x.com>`).
fn addresses<'a>(words: impl IntoIterator<Item = &'a Arg>) -> Vec<String> {
    words
        .into_iter()
        .flat_map(|word| split_addresses(&word.text))
        .collect()
}

fn split_addresses(text: &str) -> Vec<String> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            match (part.rfind('<'), part.rfind('>')) {
                (Some(open), Some(close)) if open < close => {
                    part.get(open + 1..close).unwrap_or_default().trim()
                }
                _ => part,
            }
        })
        .filter(|address| !address.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `To:`, `Cc:` and `Bcc:` header addresses in message text.
fn header_recipients(texts: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for text in texts {
        let text = printed_lines(text);
        for line in text.lines() {
            // Headers end at the first empty line.
            if line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && matches!(
                    name.trim().to_ascii_lowercase().as_str(),
                    "to" | "cc" | "bcc"
                )
            {
                out.extend(split_addresses(value));
            }
        }
    }
    out
}

/// `git send-email [--to A] [--cc B] [--bcc C] PATCH...|REVISIONS`: the
/// patches (files, or commits it formats itself) are the repository's
/// code, mailed to the recipients.
pub(super) fn git_send_email(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "to",
                "cc",
                "bcc",
                "from",
                "subject",
                "in-reply-to",
                "smtp-server",
                "smtp-server-port",
                "smtp-user",
                "smtp-pass",
                "smtp-encryption",
                "smtp-domain",
                "identity",
                "to-cmd",
                "cc-cmd",
                "sender",
                "reply-to",
                "annotate",
                "compose-encoding",
                "transfer-encoding",
                "8bit-encoding",
            ],
            stop_after: None,
        },
    );
    let mut payload = Payload {
        repository: true,
        ..Payload::default()
    };
    for subject in args::values(&items, &["--subject"]) {
        flow::merge(&mut payload, &subject.payload());
    }
    for patch in args::positionals(&items) {
        if !patch.text.starts_with('-') {
            attach(inv, &mut payload, patch);
        }
    }
    let recipients = addresses(args::values(&items, &["--to", "--cc", "--bcc"]));
    message(inv, recipients, payload)
}

/// The message to `recipients`; none named means the program reads mail
/// (`mail`, `mutt` alone) or asks for them: nothing is sent.
fn message(inv: &Invocation<'_>, recipients: Vec<String>, payload: Payload) -> Outcome {
    let mut outcome = Outcome::default();
    if !recipients.is_empty() {
        outcome.effects.push(Effect::Message(Message {
            program: inv.program.to_owned(),
            recipients,
            payload,
        }));
    }
    outcome
}

/// A message whose recipients are in its own headers, which the command
/// line does not show (`sendmail -t < message.eml`): sent, to recipients
/// nobody can check.
fn to_unnamed_recipients(inv: &Invocation<'_>, payload: Payload) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.opaque.push(format!(
        "{} sends mail to recipients the command line does not name",
        inv.program
    ));
    outcome.effects.push(Effect::Message(Message {
        program: inv.program.to_owned(),
        recipients: Vec::new(),
        payload,
    }));
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_on_commas_and_drop_display_names() {
        assert_eq!(
            split_addresses("a@x.com, Bob Smith <bob@y.org>,,"),
            ["a@x.com", "bob@y.org"]
        );
    }

    #[test]
    fn header_recipients_stop_at_the_body() {
        let text =
            "Subject: hi\nTo: a@x.com\ncc: b@y.com, c@z.com\n\nTo: not@header.com\n".to_owned();
        assert_eq!(
            header_recipients(&[text]),
            ["a@x.com", "b@y.com", "c@z.com"]
        );
    }
}
