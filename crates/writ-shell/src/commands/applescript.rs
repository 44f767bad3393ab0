//! AppleScript run by `osascript`: its `do shell script "..."` commands
//! are shell text run here, and what it tells Mail (or Outlook) and
//! Messages to send is a message to the recipients it names.

use super::{Invocation, Nested, Outcome, inline};
use crate::{Effect, Message, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    (inv.program == "osascript").then(|| osascript(inv))
}

/// `osascript [-l LANG] [-e LINE]... [FILE [ARG...]]`: the `-e` lines are
/// one script; without them the script is FILE, read.
fn osascript(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut lines: Vec<&str> = Vec::new();
    let mut file = None;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-e" => lines.extend(words.next().map(|w| w.text.as_str())),
            "-l" | "-s" => {
                words.next();
            }
            text if text.starts_with('-') && file.is_none() => {}
            _ => {
                file = Some(word);
                break;
            }
        }
    }
    if lines.is_empty() {
        match file {
            Some(file) => outcome.read(inv.path(&file.text), false),
            None if inv.has_stdin => outcome
                .opaque
                .push("osascript runs a script from standard input".to_owned()),
            None => {}
        }
        return outcome;
    }
    let script = lines.join("\n");
    for command in shell_scripts(&script) {
        outcome.nested.push(Nested::Script {
            text: command,
            what: "osascript do shell script".to_owned(),
        });
    }
    if let Some(message) = message(&script) {
        outcome.effects.push(Effect::Message(message));
    }
    inline::analyze(inv, &script, &mut outcome);
    outcome
        .opaque
        .push(format!("osascript runs inline code: {script}"));
    outcome
}

/// The commands of `do shell script "..."` (JXA: `doShellScript("...")`).
fn shell_scripts(script: &str) -> Vec<String> {
    ["do shell script", "doShellScript("]
        .iter()
        .flat_map(|marker| values_after(script, marker))
        .collect()
}

/// What the script sends: a Mail or Outlook message to every `address:"X"`
/// it makes, once it says `send`; a Messages `send "TEXT" to participant
/// "X"` (or `buddy`, `chat`). The payload is the script's strings.
fn message(script: &str) -> Option<Message> {
    let lower = script.to_ascii_lowercase();
    if !lower.contains("send") {
        return None;
    }
    let mut recipients = Vec::new();
    let mail = lower.contains("application \"mail\"")
        || lower.contains("application \"microsoft outlook\"");
    if mail {
        recipients.extend(values_after(script, "address:"));
    }
    if lower.contains("application \"messages\"") {
        for marker in ["participant", "buddy", "chat"] {
            recipients.extend(values_after(script, marker));
        }
    }
    if recipients.is_empty() {
        return None;
    }
    recipients.sort();
    recipients.dedup();
    let mut payload = Payload::default();
    let mut rest = script;
    while let Some(at) = rest.find('"') {
        let Some((text, after)) = string_literal(rest.get(at..).unwrap_or_default()) else {
            break;
        };
        if !recipients.contains(&text) {
            flow::push_text(&mut payload, &text);
        }
        rest = after;
    }
    Some(Message {
        program: "osascript".to_owned(),
        recipients,
        payload,
    })
}

/// The string literals that follow each `marker` (`address:"x"`,
/// `participant "x"`, `do shell script "x"`), ignoring the marker's case.
fn values_after(script: &str, marker: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = script;
    while let Some(at) = find_ignoring_case(rest, marker) {
        rest = rest.get(at + marker.len()..).unwrap_or_default();
        if let Some((text, after)) = string_literal(rest.trim_start()) {
            out.push(text);
            rest = after;
        }
    }
    out
}

/// The AppleScript string literal `text` starts with (`"a \"b\""`), and
/// the text after it.
fn string_literal(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => out.extend(chars.next().map(|(_, c)| c)),
            '"' => return Some((out, body.get(at + 1..).unwrap_or_default())),
            c => out.push(c),
        }
    }
    None
}

/// Where `needle` (ASCII) first occurs in `haystack`, ignoring case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}
