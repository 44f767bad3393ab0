//! AppleScript (and JavaScript for Automation) run by `osascript`,
//! whether the script is given as `-e` lines, on standard input (a
//! heredoc, a pipe) or as a file written earlier (which the walk hands
//! back as `-e` text): its `do shell script "..."` commands are shell
//! text run here, and what it tells Mail (or Outlook) and Messages to
//! send is a message to the recipients it names, carrying the files it
//! attaches. What it has Finder and System Events delete, move and copy
//! is read in [`finder`]; the JavaScript it has a browser run in a page,
//! in [`page_script`].

mod finder;
mod page_script;

use super::browsers::{Page, page, page_get};
use super::{Invocation, Nested, Outcome, inline};
use crate::args::Arg;
use crate::{Effect, FileRef, Message, Payload, Request, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    (inv.program == "osascript").then(|| osascript(inv))
}

/// `osascript [-l LANG] [-s FLAGS] [-e LINE]... [FILE|- [ARG...]]`: the
/// `-e` lines are one script; without them the script is FILE, read, or
/// standard input (no FILE, or `-`), run as the same code.
fn osascript(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut lines: Vec<&str> = Vec::new();
    let mut carried = Payload::default();
    let mut file = None;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-e" => {
                if let Some(line) = words.next() {
                    lines.push(&line.text);
                    flow::merge(&mut carried, &line.expansions());
                }
            }
            "-l" | "-s" => {
                words.next();
            }
            text if text.starts_with('-') && text != "-" => {}
            _ => {
                file = Some(word);
                break;
            }
        }
    }
    if !lines.is_empty() {
        run(inv, &lines.join("\n"), &carried, &mut outcome);
        return outcome;
    }
    if let Some(file) = file.filter(|f| f.text != "-") {
        outcome.read(inv.path(&file.text), false);
        return outcome;
    }
    match stdin_script(inv) {
        Some(script) => outcome.nested.push(script),
        None if inv.has_stdin => outcome
            .opaque
            .push("osascript runs a script from standard input".to_owned()),
        None => {}
    }
    outcome
}

/// A script on standard input that is text the line fixes (a heredoc,
/// `echo '...' |`), run as the same `-e` code with what its expansions
/// carry. Reading the script consumes the input, so neither the script's
/// requests nor its shell commands get it. `None` when standard input
/// holds a file's unknown contents.
fn stdin_script(inv: &Invocation<'_>) -> Option<Nested> {
    if !inv.has_stdin || !inv.stdin.files.is_empty() || inv.stdin.text.is_empty() {
        return None;
    }
    let script = Arg {
        prov: Payload {
            text: Vec::new(),
            ..inv.stdin.clone()
        },
        ..Arg::literal(&inv.stdin.text.join("\n"))
    };
    Some(Nested::ShellScript {
        text: "osascript -e \"$1\" </dev/null".to_owned(),
        what: "osascript script on stdin".to_owned(),
        args: vec![Arg::literal("osascript"), script],
        env: Vec::new(),
    })
}

/// What a script does: its shell commands run, the message it sends
/// (carrying `carried`, what the words that gave the script expand to),
/// and what its code visibly does.
fn run(inv: &Invocation<'_>, script: &str, carried: &Payload, outcome: &mut Outcome) {
    for command in shell_scripts(script) {
        outcome.nested.push(Nested::Script {
            text: command,
            what: "osascript do shell script".to_owned(),
        });
    }
    if let Some(message) = message(inv, script, carried) {
        outcome.effects.push(Effect::Message(message));
    }
    inline::analyze(inv, script, outcome);
    page_script::page_requests(inv, script, carried, outcome);
    finder::file_commands(inv, script, outcome);
    open_locations(inv, script, carried, outcome);
    outcome
        .opaque
        .push(format!("osascript runs inline code: {script}"));
}

/// `open location "URL"` (JXA: `openLocation("URL")`): the browser loads
/// the page, a GET carrying its query as `open URL`'s does (it replaces
/// the bare fetch the inline reading found for the URL).
fn open_locations(inv: &Invocation<'_>, script: &str, carried: &Payload, outcome: &mut Outcome) {
    let locations = ["open location", "openLocation("]
        .iter()
        .flat_map(|marker| values_after(script, marker));
    for location in locations {
        let Page::Web(target) = page(&location) else {
            continue;
        };
        outcome.effects.retain(|effect| !fetches(effect, &target));
        let word = Arg {
            prov: carried.clone(),
            ..Arg::literal(&location)
        };
        outcome.effects.push(page_get(inv, &word, &target));
    }
}

/// True for a GET of `url`.
fn fetches(effect: &Effect, url: &str) -> bool {
    matches!(effect, Effect::Request(Request { target: Target::Url { url: u }, method, .. })
        if u == url && method == "GET")
}

/// The commands of `do shell script "..."` (JXA: `doShellScript("...")`).
fn shell_scripts(script: &str) -> Vec<String> {
    ["do shell script", "doShellScript("]
        .iter()
        .flat_map(|marker| values_after(script, marker))
        .collect()
}

/// Mail applications by the names a script addresses them with, and
/// their bundle identifiers (`tell application id "com.apple.mail"`).
const MAIL_APPS: &[&str] = &[
    "mail",
    "microsoft outlook",
    "com.apple.mail",
    "com.microsoft.outlook",
];
/// Messages, by name and bundle identifiers.
const MESSAGES_APPS: &[&str] = &["messages", "com.apple.ichat", "com.apple.mobilesms"];

/// True when the (lowercased) script addresses one of `apps`: `tell
/// application "Mail"`, `tell app "Mail"`, `application id "..."`, JXA's
/// `Application("Mail")` or `Application('Mail')`.
fn addresses_app(lower: &str, apps: &[&str]) -> bool {
    apps.iter().any(|app| {
        [
            format!("application \"{app}\""),
            format!("app \"{app}\""),
            format!("application id \"{app}\""),
            format!("application(\"{app}\")"),
            format!("application('{app}')"),
        ]
        .iter()
        .any(|form| lower.contains(form.as_str()))
    })
}

/// The words before a Messages recipient: AppleScript's `participant
/// "X"` (`buddy`, `chat`, `... id "X"`, `whose handle is "X"`) and JXA's
/// `participants.whose({handle: "X"})`, `buddies.byName("X")`,
/// `chats.byId("X")`, `participants["X"]`.
const MESSAGES_RECIPIENTS: &[&str] = &[
    "participant",
    "buddy",
    "chat",
    "participant id",
    "buddy id",
    "chat id",
    "handle:",
    "handle is",
    "handle =",
    "handle ==",
    "byName(",
    "byId(",
    "participants[",
    "buddies[",
    "chats[",
];

/// What the script sends: a Mail or Outlook message to every `address:"X"`
/// it makes, once it says `send`; a Messages `send "TEXT" to participant
/// "X"` (or JXA `send(TEXT, {to: BUDDY})`, to one of
/// [`MESSAGES_RECIPIENTS`]). The payload is the script's strings, what
/// `carried` holds and the files it attaches.
fn message(inv: &Invocation<'_>, script: &str, carried: &Payload) -> Option<Message> {
    let lower = script.to_ascii_lowercase();
    if !lower.contains("send") {
        return None;
    }
    let mut recipients = Vec::new();
    if addresses_app(&lower, MAIL_APPS) {
        recipients.extend(values_after(script, "address:"));
    }
    if addresses_app(&lower, MESSAGES_APPS) {
        for marker in MESSAGES_RECIPIENTS {
            recipients.extend(values_after(script, marker));
        }
    }
    if recipients.is_empty() {
        return None;
    }
    recipients.sort();
    recipients.dedup();
    let mut payload = carried.clone();
    for text in strings(script) {
        if !recipients.contains(&text) {
            flow::push_text(&mut payload, &text);
        }
    }
    for path in attached_files(script) {
        flow::push_file(
            &mut payload,
            FileRef {
                path: inv.path(&path),
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
    Some(Message {
        program: "osascript".to_owned(),
        recipients,
        payload,
    })
}

/// The files a sending script names: `POSIX file "P"`, `alias "HFS"` and
/// JXA's `Path("P")`, `"P" as POSIX file`, and the `file name:` (Outlook's
/// `file:`, JXA's `fileName:`) of each attachment it makes, also through
/// a variable it set (`set f to POSIX file "P"`).
fn attached_files(script: &str) -> Vec<String> {
    let mut files: Vec<String> = ["posix file", "alias", "path("]
        .iter()
        .flat_map(|marker| values_after(script, marker))
        .collect();
    files.extend(coerced_to_files(script));
    for line in script.lines() {
        if find_ignoring_case(line, "attachment").is_some()
            && let Some(value) = file_property(line)
            && let Some(path) = file_value(script, value, 3)
        {
            files.push(path);
        }
    }
    let mut paths: Vec<String> = files.iter().map(|f| posix_path(f)).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// String literals the script turns into files: `"P" as POSIX file`,
/// `"HFS" as alias`.
fn coerced_to_files(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = script;
    while let Some(at) = rest.find('"') {
        let Some((text, after)) = string_literal(rest.get(at..).unwrap_or_default()) else {
            break;
        };
        let next = after.trim_start().to_ascii_lowercase();
        if next.starts_with("as posix file") || next.starts_with("as alias") {
            out.push(text);
        }
        rest = after;
    }
    out
}

/// The expression after an attachment's file property (`file name:X`,
/// `file:X`, `fileName: X`).
fn file_property(line: &str) -> Option<&str> {
    let mut rest = line;
    while let Some(at) = find_ignoring_case(rest, "file") {
        let after = rest.get(at + "file".len()..).unwrap_or_default();
        let name = after
            .strip_prefix(" name")
            .or_else(|| after.strip_prefix("Name"))
            .or_else(|| after.strip_prefix("name"))
            .unwrap_or(after);
        if let Some(value) = name.trim_start().strip_prefix(':') {
            return Some(value);
        }
        rest = after;
    }
    None
}

/// The file an expression names: a string literal, possibly wrapped in
/// `(`, `POSIX file`, `alias`, `file` or JXA's `Path(`, or a variable the
/// script set to one (followed at most `depth` times).
fn file_value(script: &str, expr: &str, depth: u8) -> Option<String> {
    let mut text = expr.trim_start();
    while let Some(rest) = ["(", "posix file", "alias", "file", "path("]
        .iter()
        .find(|prefix| {
            text.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        })
        .and_then(|prefix| text.get(prefix.len()..))
    {
        text = rest.trim_start();
    }
    if let Some((literal, _)) = string_literal(text) {
        return Some(literal);
    }
    let name: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() || depth == 0 {
        return None;
    }
    file_value(script, assigned(script, &name)?, depth - 1)
}

/// The expression a script assigns to `name`: AppleScript's `set NAME to
/// X`, JavaScript's `NAME = X`.
fn assigned<'a>(script: &'a str, name: &str) -> Option<&'a str> {
    for form in [format!("set {name} to "), format!("{name} = ")] {
        let mut rest = script;
        while let Some(at) = find_ignoring_case(rest, &form) {
            let before = rest.get(..at).and_then(|b| b.chars().next_back());
            let after = rest.get(at + form.len()..).unwrap_or_default();
            if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Some(after);
            }
            rest = after;
        }
    }
    None
}

/// A file as a POSIX path: an HFS path (`Macintosh HD:Users:mira:f.csv`)
/// is on the startup disk, or under `/Volumes` for another disk.
fn posix_path(text: &str) -> String {
    if text.starts_with(['/', '~']) || !text.contains(':') {
        return text.to_owned();
    }
    let mut parts = text.split(':');
    let volume = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
    let root = if volume == "Macintosh HD" {
        String::new()
    } else {
        format!("/Volumes/{volume}")
    };
    format!("{root}/{}", rest.join("/"))
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

/// True for JavaScript for Automation, which also quotes with `'`.
fn is_jxa(script: &str) -> bool {
    script.contains("Application(")
}

/// The script's string literals: AppleScript's `"..."`, and JXA's `'...'`
/// too.
fn strings(script: &str) -> Vec<String> {
    let quotes: &[char] = if is_jxa(script) { &['"', '\''] } else { &['"'] };
    let mut out = Vec::new();
    let mut rest = script;
    while let Some(at) = rest.find(quotes) {
        let Some((text, after)) = string_literal(rest.get(at..).unwrap_or_default()) else {
            break;
        };
        out.push(text);
        rest = after;
    }
    out
}

/// The string literal `text` starts with (`"a \\"b\\""`; JXA's `'a'` too),
/// and the text after it.
fn string_literal(text: &str) -> Option<(String, &str)> {
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let body = text.get(1..)?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => out.extend(chars.next().map(|(_, c)| c)),
            c if c == quote => return Some((out, body.get(at + 1..).unwrap_or_default())),
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
