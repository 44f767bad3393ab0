//! What a script has Finder or System Events do to files: `delete X` (JXA
//! `Finder.delete(X)`, `X.delete()`) and `move X to trash` put X in the
//! trash, moved away from where it was; `empty trash` (JXA
//! `Finder.empty()`) deletes what the trash holds; `move X to Y` and
//! `duplicate X to Y` (JXA `Finder.move(X, {to: Y})`) move or copy X into
//! folder Y. X and Y are `POSIX file "P"`, `file "HFS"`, `folder "HFS"`,
//! `alias "HFS"`, `disk item "P"`, JXA's `Path("P")` or
//! `diskItems.byName("P")`, or a variable the script set to one.

use super::super::files::{Copy, transfer};
use super::super::{Invocation, Outcome};
use super::{addresses_app, assigned, find_ignoring_case, is_jxa, posix_path, string_literal};

/// Finder and System Events, by name and bundle identifier.
const FILE_APPS: &[&str] = &[
    "finder",
    "system events",
    "com.apple.finder",
    "com.apple.systemevents",
];

/// Words that name an item before its path, longest first.
const ITEM_WORDS: &[&str] = &[
    "every item of",
    "items of",
    "the",
    "posix file",
    "document file",
    "disk item",
    "folder",
    "alias",
    "file",
    "item",
];

/// A file or folder a script names.
struct Item {
    path: String,
    /// Named as a folder (`folder "..."`, a path ending in `/`).
    folder: bool,
}

/// Adds the files the script's Finder and System Events commands delete,
/// move and copy.
pub(super) fn file_commands(inv: &Invocation<'_>, script: &str, outcome: &mut Outcome) {
    let lower = script.to_ascii_lowercase();
    if !addresses_app(&lower, FILE_APPS) {
        return;
    }
    let code = outside_strings(script);
    for (at, verb) in verbs(&code) {
        let rest = script.get(at + verb.len()..).unwrap_or_default();
        match verb {
            "delete" => deleted(inv, script, rest, outcome),
            "move" | "duplicate" => moved(inv, script, rest, verb == "move", outcome),
            _ => empty_trash(inv, outcome),
        }
    }
}

/// The script with its string literals blanked, so words inside them
/// (`display dialog "delete it?"`) are not commands; same byte offsets.
fn outside_strings(script: &str) -> String {
    let jxa = is_jxa(script);
    let mut out = String::with_capacity(script.len());
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        let quoted = c == '"' || (jxa && c == '\'');
        if let Some((_, after)) = quoted.then(|| string_literal(rest)).flatten() {
            let taken = rest.len() - after.len();
            out.extend(std::iter::repeat_n(' ', taken));
            rest = after;
        } else {
            out.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
        }
    }
    out
}

/// Where each command word starts in `code`, and the word: AppleScript's
/// `delete`, `move`, `duplicate`, `empty trash`, `empty the trash`; JXA's
/// `.delete(`, `.move(`, `.duplicate(`, `.empty(`.
fn verbs(code: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for verb in ["delete", "move", "duplicate", "empty"] {
        let mut from = 0;
        while let Some(at) = code
            .get(from..)
            .and_then(|rest| find_ignoring_case(rest, verb))
        {
            let start = from + at;
            from = start + verb.len();
            let before = code.get(..start).and_then(|b| b.chars().next_back());
            let after = code.get(from..).unwrap_or_default();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let called = before == Some('.') && after.starts_with('(');
            let spoken = before.is_none_or(|c| c.is_whitespace() || c == '(')
                && after.starts_with([' ', '\t'])
                && (verb != "empty" || empties_trash(after));
            if !called && !spoken {
                continue;
            }
            found.push((start, verb));
        }
    }
    found.sort_unstable();
    found
}

/// True when the words after `empty` are `trash` or `the trash`.
fn empties_trash(after: &str) -> bool {
    let words: Vec<String> = after
        .split_whitespace()
        .take(2)
        .map(str::to_ascii_lowercase)
        .collect();
    words.first().is_some_and(|w| w.starts_with("trash"))
        || (words.first().is_some_and(|w| w == "the")
            && words.get(1).is_some_and(|w| w.starts_with("trash")))
}

/// `delete X` or `move X to trash`: X is moved away. JXA's `.delete(X)`,
/// or `SPEC.delete()` on the item its statement names.
fn deleted(inv: &Invocation<'_>, script: &str, rest: &str, outcome: &mut Outcome) {
    let args = rest.trim_start();
    let item = match args.strip_prefix('(') {
        Some(inner) if inner.trim_start().starts_with(')') => {
            statement_item(script, script.len() - rest.len())
        }
        _ => item_ref(script, args, 3).map(|(item, _)| item),
    };
    if let Some(item) = item {
        outcome.delete(inv.path(&item.path), item.folder);
    }
}

/// The item the statement ending at `end` names, for `SPEC.delete()`:
/// `diskItems.byName("P").delete()`, `f.delete()`.
fn statement_item(script: &str, end: usize) -> Option<Item> {
    let before = script.get(..end)?;
    let start = before.rfind([';', '\n']).map_or(0, |at| at + 1);
    let statement = before.get(start..)?.trim_start();
    let statement = statement
        .find(" = ")
        .and_then(|at| statement.get(at + 3..))
        .unwrap_or(statement);
    item_ref(script, statement.trim_end_matches(".delete"), 3).map(|(item, _)| item)
}

/// `move X to Y`, `duplicate X to Y` (JXA `.move(X, {to: Y})`): X moved or
/// copied into folder Y; `move X to trash` deletes it.
fn moved(inv: &Invocation<'_>, script: &str, rest: &str, moving: bool, outcome: &mut Outcome) {
    let Some((item, after)) = item_ref(script, rest.trim_start(), 3) else {
        return;
    };
    let line = after.lines().next().unwrap_or_default();
    let Some(to) = find_word(line, "to") else {
        return;
    };
    let target = line
        .get(to + 2..)
        .unwrap_or_default()
        .trim_start_matches([':', ' ', '(']);
    if moving && is_trash(target) {
        outcome.delete(inv.path(&item.path), item.folder);
        return;
    }
    let Some((folder, _)) = item_ref(script, target, 3) else {
        return;
    };
    let copy = Copy {
        recursive: item.folder,
        moving,
        into_dir: true,
    };
    transfer(inv, &[item.path.as_str()], &folder.path, &copy, outcome);
}

/// True for the trash as a destination: `trash`, `the trash`, `(path to
/// trash)`, JXA's `Finder.trash`.
fn is_trash(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    let lower = lower.trim_start_matches(['(', ' ']);
    ["trash", "the trash", "path to trash", "path to the trash"]
        .iter()
        .any(|form| lower.starts_with(form))
        || lower
            .split(['}', ')', ','])
            .next()
            .is_some_and(|expr| expr.trim_end().ends_with(".trash"))
}

/// `empty trash`: what the trash holds is deleted for good.
fn empty_trash(inv: &Invocation<'_>, outcome: &mut Outcome) {
    outcome.delete(inv.path("~/.Trash"), true);
}

/// Where the word `word` first occurs in `text` (not inside another word).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| find_ignoring_case(t, word)) {
        let start = from + at;
        let end = start + word.len();
        let before = text.get(..start).and_then(|b| b.chars().next_back());
        let after = text.get(end..).and_then(|a| a.chars().next());
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        if !before.is_some_and(ident) && !after.is_some_and(ident) {
            return Some(start);
        }
        from = end;
    }
    None
}

/// The item an expression names, and the text after it: a string literal
/// behind the words that name an item (`POSIX file`, `folder`, ...) and
/// any calls or indexes (`Path(`, `diskItems.byName(`, `items[`), or a
/// variable the script set to one (followed at most `depth` times).
fn item_ref<'a>(script: &str, expr: &'a str, depth: u8) -> Option<(Item, &'a str)> {
    let mut text = expr.trim_start();
    let mut folder = false;
    loop {
        if let Some(rest) = text.strip_prefix(['(', '[']) {
            text = rest.trim_start();
            continue;
        }
        let word = ITEM_WORDS.iter().find(|word| {
            text.get(..word.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(word))
                && !text
                    .get(word.len()..)
                    .and_then(|a| a.chars().next())
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let Some(word) = word else { break };
        folder |= *word == "folder";
        text = text.get(word.len()..).unwrap_or_default().trim_start();
    }
    if let Some((literal, after)) = string_literal(text) {
        let path = posix_path(&literal);
        let folder = folder || path.ends_with('/');
        return Some((Item { path, folder }, after));
    }
    let name_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$'))
        .unwrap_or(text.len());
    let (name, after) = text.split_at(name_len);
    if name.is_empty() || depth == 0 {
        return None;
    }
    if after.starts_with(['(', '[']) {
        return item_ref(script, after, depth - 1);
    }
    let (item, _) = item_ref(script, assigned(script, name)?, depth - 1)?;
    Some((item, after))
}
