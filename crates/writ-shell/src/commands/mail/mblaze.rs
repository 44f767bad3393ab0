//! mblaze, the Maildir tools: `mcom`, `mrep`, `mfwd` and `mbnc` compose
//! and send; `mshow`, `mscan`, `mhdr` and the other readers read the
//! message files they are given.
//!
//! The composers take headers as options (`mcom -to a@x -cc b@y -subject
//! S -body FILE`, any option of two or more letters is a header; words
//! after it are its values, and `mcom`'s first words are `To:`), `-send`
//! to send without the editor and `-r` to resume a draft. What the message
//! carries is its headers but the routing ones, the `-body` files, the
//! `-attach` files and, for a reply, forward or bounce, the messages it
//! quotes. A message argument is a file path or a sequence reference
//! (`.`, `+`, `5:10`: mmsg(7)), whose file is not known here.

use super::{ROUTING_HEADERS, addresses, attach, message};
use crate::args::Arg;
use crate::commands::{Invocation, Outcome};
use crate::{Effect, Message, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "mcom" | "mrep" | "mfwd" | "mbnc" => Some(compose(inv)),
        "mshow" | "mless" | "mscan" | "mhdr" | "maddr" | "mexport" | "magrep" | "mpick"
        | "mthread" | "msort" | "mquote" | "msed" => Some(read(inv)),
        // Sequences, listings, flags and filters: they name or move the
        // user's own message files, or transform standard input.
        "mseq" | "mlist" | "mdirs" | "mflag" | "mflow" | "mmime" | "minc" | "mrefile"
        | "mdeliver" | "mgenmid" | "mdate" | "museragent" | "mcolor" | "mmkdir" => {
            Some(Outcome::default())
        }
        _ => None,
    }
}

/// Short options of the readers that take a value (`mshow -A TYPES -h
/// HEADERS`, `mscan -f FORMAT`, `mpick -t TEST`, `magrep -m MAX`).
fn value_options(program: &str) -> &'static [&'static str] {
    match program {
        "mshow" => &["-A", "-h"],
        "mscan" => &["-f"],
        "mhdr" | "maddr" => &["-h"],
        "mpick" => &["-t"],
        "magrep" => &["-m"],
        _ => &[],
    }
}

/// Whether a message argument is a file (`~/Mail/INBOX/cur/1:2,S`,
/// `./snd.0`) rather than a sequence reference (`.`, `+`, `5:10`).
fn is_message_file(text: &str) -> bool {
    !text.starts_with('-') && (text.contains('/') || text.starts_with('~'))
}

/// A reader: every message file it is given is read. `magrep`'s and
/// `msed`'s first word is its pattern or script, not a message.
fn read(inv: &Invocation<'_>) -> Outcome {
    let takes_value = value_options(inv.program);
    let mut outcome = Outcome::default();
    let mut skip_first = matches!(inv.program, "magrep" | "msed");
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if takes_value.contains(&text) {
            words.next();
            continue;
        }
        if text.starts_with('-') {
            continue;
        }
        if std::mem::take(&mut skip_first) {
            continue;
        }
        if is_message_file(text) {
            outcome.read(inv.path(text), false);
        }
    }
    outcome
}

/// What a composer's words say: its headers (lower-cased name, value) in
/// order, the messages it replies to, forwards or bounces, and whether it
/// sends at once (`-send`) or resumes a draft (`mcom -r [DRAFT]`).
#[derive(Debug, Default)]
struct Draft<'a> {
    headers: Vec<(String, &'a Arg)>,
    messages: Vec<&'a Arg>,
    send: bool,
    resumed: Option<Option<&'a Arg>>,
    invalid: bool,
}

/// Reads a composer's words as its script does: `mcom` starts with `To:`
/// values and `--` returns to them; the others stop at `--` or at a word
/// no header takes, which starts the messages.
fn draft<'a>(program: &str, args: &'a [Arg]) -> Draft<'a> {
    let composing = program == "mcom";
    let mut out = Draft::default();
    let mut header = composing.then(|| "to".to_owned());
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        match text {
            "--" if composing => header = Some("to".to_owned()),
            "--" => {
                out.messages.extend(words.by_ref());
                break;
            }
            "-r" if composing => out.resumed = Some(words.next()),
            // `mfwd -r` forwards as text rather than attachments: the same
            // content either way.
            "-r" if program == "mfwd" => {}
            "-send" => out.send = true,
            "-noquote" if program == "mrep" => {}
            _ if text.starts_with('-') && text.chars().count() >= 3 => {
                header = text.get(1..).map(str::to_ascii_lowercase);
            }
            _ if text.starts_with('-') => {
                out.invalid = true;
                break;
            }
            _ => match &header {
                Some(name) => out.headers.push((name.clone(), word)),
                None => {
                    out.messages.push(word);
                    out.messages.extend(words.by_ref());
                    break;
                }
            },
        }
    }
    out
}

/// `mcom`, `mrep`, `mfwd`, `mbnc`: the message to the `-to`, `-cc` and
/// `-bcc` values (a bounce: `-resent-to`, `-resent-cc`); a reply also
/// goes to whoever wrote the message replied to, whom the line does not
/// name. A resumed draft holds its own recipients: sent with `-send` to
/// recipients nobody can check, else left in the editor.
fn compose(inv: &Invocation<'_>) -> Outcome {
    let draft = draft(inv.program, inv.args);
    if draft.invalid {
        return Outcome::default();
    }
    let mut payload = Payload::default();
    if let Some(resumed) = draft.resumed {
        if !draft.send {
            return Outcome::default();
        }
        if let Some(file) = resumed {
            attach(inv, &mut payload, file);
        }
        return super::to_unnamed_recipients(inv, payload);
    }
    let recipient_headers: &[&str] = if inv.program == "mbnc" {
        &["resent-to", "resent-cc"]
    } else {
        &["to", "cc", "bcc"]
    };
    let mut recipients = Vec::new();
    for (name, value) in &draft.headers {
        match name.as_str() {
            name if recipient_headers.contains(&name) => recipients.extend(addresses([*value])),
            "body" | "attach" => attach(inv, &mut payload, value),
            name if ROUTING_HEADERS.contains(&name) => {}
            _ => flow::merge(&mut payload, &value.payload()),
        }
    }
    for quoted in &draft.messages {
        if is_message_file(&quoted.text) {
            attach(inv, &mut payload, quoted);
        }
    }
    let mut outcome = message(inv, recipients, payload.clone());
    if inv.program == "mrep" {
        // The author of the message replied to, whom the line does not name.
        outcome.effects.push(Effect::Message(Message {
            program: inv.program.to_owned(),
            recipients: Vec::new(),
            payload,
        }));
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &[&str]) -> Vec<Arg> {
        line.iter().map(|w| Arg::literal(w)).collect()
    }

    #[test]
    fn mcom_reads_headers_and_recipients_as_its_script_does() {
        let args = words(&[
            "a@x.com", "-cc", "b@y.com", "c@z.com", "-send", "--", "d@w.com",
        ]);
        let draft = draft("mcom", &args);
        let headers: Vec<(&str, &str)> = draft
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.text.as_str()))
            .collect();
        assert_eq!(
            headers,
            [
                ("to", "a@x.com"),
                ("cc", "b@y.com"),
                ("cc", "c@z.com"),
                ("to", "d@w.com")
            ]
        );
        assert!(draft.send);
    }

    #[test]
    fn mfwd_takes_messages_after_its_headers() {
        let args = words(&["-to", "a@x.com", "--", "~/Mail/INBOX/cur/1:2,S", "."]);
        let forward = draft("mfwd", &args);
        assert_eq!(forward.headers.len(), 1);
        assert_eq!(forward.messages.len(), 2);
        assert!(draft("mrep", &words(&["-x"])).invalid);
    }
}
