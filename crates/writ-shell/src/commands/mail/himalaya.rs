//! himalaya (v1), the Pimalaya mail CLI: `himalaya [-a ACCOUNT] GROUP
//! VERB ...`. `message send` sends a raw message and `template send` an
//! MML template, each read from standard input (or, with none, from the
//! words after the verb): the recipients are its `To:`, `Cc:` and `Bcc:`
//! headers, the rest is what it says, and an MML part with a `filename`
//! attaches that file. `template write|reply|forward` print a template
//! for a later `template send`: the headers given with `-H` and the body
//! words, with nothing known of the message replied to or forwarded.
//! `message write|reply|forward|mailto|edit` open an editor and send only
//! when the user says so; reading, listing and moving mail send nothing.

use super::{attach, header_recipients, message, to_unnamed_recipients, without_header_addresses};
use crate::args::Arg;
use crate::commands::{Invocation, Outcome};
use crate::{Payload, flow};

/// Options that take a value, of himalaya and of its subcommands.
const VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--config",
    "-o",
    "--output",
    "-a",
    "--account",
    "-f",
    "--folder",
    "-H",
    "--header",
    "-b",
    "--backend",
    "-s",
    "--page-size",
    "-p",
    "--page",
    "-w",
    "--max-width",
    "-d",
    "--downloads-dir",
    "--log-level",
];

/// The words of a himalaya line: its positionals in order (group, verb,
/// then the verb's words) and the `KEY:VAL` headers of `-H`.
#[derive(Debug, Default)]
struct Words<'a> {
    positionals: Vec<&'a Arg>,
    headers: Vec<Arg>,
}

fn words(args: &[Arg]) -> Words<'_> {
    let mut out = Words::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if text == "--" {
            out.positionals.extend(iter.by_ref());
            break;
        }
        if !text.starts_with('-') || text == "-" {
            out.positionals.push(arg);
            continue;
        }
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (text, None),
        };
        // `-Hvalue`: a short option with its value in the same word.
        let (name, attached) = match (attached, name.get(..2)) {
            (None, Some(short)) if !name.starts_with("--") && name.len() > 2 => {
                (short, name.get(2..))
            }
            _ => (name, attached),
        };
        if !VALUE_OPTIONS.contains(&name) {
            continue;
        }
        let value = match attached {
            Some(value) => Some(arg.with_text(value)),
            None => iter.next().cloned(),
        };
        if matches!(name, "-H" | "--header")
            && let Some(value) = value
        {
            out.headers.push(value);
        }
    }
    out
}

pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    let words = words(inv.args);
    let word = |at: usize| words.positionals.get(at).map_or("", |a| a.text.as_str());
    let rest = words.positionals.get(2..).unwrap_or_default();
    match (word(0), word(1)) {
        ("message" | "messages" | "msgs" | "msg", "send") => send(inv, rest, false),
        ("template" | "templates" | "tpls" | "tpl", "send") => send(inv, rest, true),
        (
            "template" | "templates" | "tpls" | "tpl",
            "write" | "add" | "create" | "new" | "compose",
        ) => printed_template(&words.headers, rest),
        ("template" | "templates" | "tpls" | "tpl", "reply" | "forward" | "fwd") => {
            printed_template(&words.headers, rest.get(1..).unwrap_or_default())
        }
        // Everything else reads, lists, moves or edits mail in the user's
        // own mailboxes, or opens an editor: what it prints is the
        // mailbox's, which is not known here.
        _ => Outcome {
            stdout: Some(Payload::default()),
            ..Outcome::default()
        },
    }
}

/// `message send` / `template send`: the message on standard input, or
/// the words after the verb joined by spaces when there is none.
fn send(inv: &Invocation<'_>, words: &[&Arg], mml: bool) -> Outcome {
    let mut payload = if inv.has_stdin || words.is_empty() {
        inv.stdin.clone()
    } else {
        joined(words)
    };
    let recipients = header_recipients(&payload.text);
    if mml {
        let files: Vec<String> = payload.text.iter().flat_map(|t| mml_files(t)).collect();
        for file in files {
            attach(inv, &mut payload, &Arg::literal(&file));
        }
    }
    for text in &mut payload.text {
        *text = without_header_addresses(text);
    }
    if recipients.is_empty() {
        return to_unnamed_recipients(inv, payload);
    }
    message(inv, recipients, payload)
}

/// Words as one text, joined by spaces, with what their expansions carry.
fn joined(words: &[&Arg]) -> Payload {
    let mut payload = Payload::default();
    for word in words {
        flow::merge(&mut payload, &word.expansions());
    }
    let text: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    flow::push_text(&mut payload, &text.join(" "));
    payload
}

/// A template printed for a later `template send`: the `-H` headers as
/// header lines, then the body words. What the message replied to or
/// forwarded holds is the mailbox's, not known here.
fn printed_template(headers: &[Arg], body: &[&Arg]) -> Outcome {
    let mut payload = Payload::default();
    let mut lines = Vec::new();
    for header in headers {
        flow::merge(&mut payload, &header.expansions());
        if let Some((name, value)) = header.text.split_once(':') {
            lines.push(format!("{}: {}", name.trim(), value.trim()));
        }
    }
    for word in body {
        flow::merge(&mut payload, &word.expansions());
    }
    let body: Vec<&str> = body.iter().map(|w| w.text.as_str()).collect();
    flow::push_text(
        &mut payload,
        &format!("{}\n\n{}", lines.join("\n"), body.join(" ")),
    );
    Outcome {
        stdout: Some(payload),
        ..Outcome::default()
    }
}

/// The files an MML template's parts attach: the `filename` of each
/// `<#part ...>` tag (`<#part filename=~/a.pdf>`, `filename="b c.pdf"`).
fn mml_files(text: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<#part") {
        let tag = rest.get(at + "<#part".len()..).unwrap_or_default();
        let (attributes, after) = tag_attributes(tag);
        files.extend(
            attributes
                .into_iter()
                .filter(|(name, value)| name == "filename" && !value.is_empty())
                .map(|(_, value)| value),
        );
        rest = after;
    }
    files
}

/// The `name=value` attributes of an MML tag, up to its closing `>`
/// (values may be double-quoted, with `\"` inside), and the text after it.
fn tag_attributes(tag: &str) -> (Vec<(String, String)>, &str) {
    let mut attributes = Vec::new();
    let mut chars = tag.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let Some(&(start, first)) = chars.peek() else {
            return (attributes, "");
        };
        if first == '>' {
            return (attributes, tag.get(start + 1..).unwrap_or_default());
        }
        let mut name = String::new();
        while let Some((_, c)) =
            chars.next_if(|(_, c)| !matches!(c, '=' | '>') && !c.is_whitespace())
        {
            name.push(c);
        }
        if chars.next_if(|(_, c)| *c == '=').is_none() {
            continue;
        }
        let mut value = String::new();
        if chars.next_if(|(_, c)| *c == '"').is_some() {
            while let Some((_, c)) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next().map(|(_, c)| c)),
                    c => value.push(c),
                }
            }
        } else {
            while let Some((_, c)) = chars.next_if(|(_, c)| *c != '>' && !c.is_whitespace()) {
                value.push(c);
            }
        }
        attributes.push((name.to_ascii_lowercase(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mml_parts_name_the_files_they_attach() {
        let text = "Hi\n<#part filename=/a/b.pdf><#/part>\n\
                    <#part type=text/plain filename=\"~/x y.txt\" disposition=attachment>\n\
                    <#part type=text/html>inline<#/part>";
        assert_eq!(mml_files(text), ["/a/b.pdf", "~/x y.txt"]);
    }
}
