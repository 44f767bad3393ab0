//! Files read through a loop's variable: `for p in ["a.csv", "b.csv"]:
//! open(p, "rb")`, a comprehension's `[open(p, "rb") for p in
//! map(pathlib.Path, "a.csv")]`, `p.read_bytes()`, JavaScript's `for
//! (const p of ["a.csv"]) readFileSync(p)`. The paths are the loop's
//! written-out items (argparse options such as `--attach` are written in
//! as the literals the command line gives them), each a file the code
//! reads, as `open("a.csv")` is.
//!
//! Only loops over literals (and `map(F, ...)`, `sorted(...)`, `list(...)`
//! of them) are read: a loop over a listing (`os.listdir("d")`) reads the
//! directory's entries, not the directory.

use super::storage::{is_ident, literal_at, matching, top_level_split};
use super::{Literal, READ_CALLS, called_with, writing_mode};

/// Calls that keep the items they are given (`map(F, items)`'s are F's
/// of them).
const ITEM_KEEPERS: &[&str] = &["map(", "sorted(", "list(", "set(", "tuple(", "reversed("];

/// Methods of a path object that read its file.
const READ_METHODS: &[&str] = &[".read_bytes(", ".read_text(", ".open("];

/// The files `code` reads through loop variables, each with the index of
/// the literal that names it.
pub(super) fn files(code: &str, literals: &[Literal]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (name, iter_start, iter_end) in loops(code, literals) {
        if !reads_name(code, literals, &name) {
            continue;
        }
        for index in items(code, literals, iter_start, iter_end) {
            if let Some(literal) = literals.get(index)
                && !literal.text.is_empty()
                && !literal.text.contains("://")
                && !found.iter().any(|(i, _)| *i == index)
            {
                found.push((index, literal.text.clone()));
            }
        }
    }
    found
}

/// Each loop's variable and where its iterable is: Python's `for NAME in
/// ITER` (a statement or a comprehension) and JavaScript's `for (const
/// NAME of ITER)`.
fn loops(code: &str, literals: &[Literal]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("for ") {
        let outside = literals.iter().all(|l| !(l.start <= at && at < l.end));
        let whole = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_ident(c));
        if !outside || !whole {
            continue;
        }
        let rest = code.get(at + 4..).unwrap_or_default();
        let (rest, javascript) = match rest.trim_start().strip_prefix('(') {
            Some(inner) => (inner.trim_start(), true),
            None => (rest.trim_start(), false),
        };
        let rest = ["const ", "let ", "var "]
            .iter()
            .find_map(|k| rest.strip_prefix(k))
            .unwrap_or(rest)
            .trim_start();
        let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        if name.is_empty() {
            continue;
        }
        let after_name = rest.get(name.len()..).unwrap_or_default();
        let keyword = if javascript { " of " } else { " in " };
        if !after_name.starts_with(keyword) {
            continue;
        }
        let iter_start = code.len() - after_name.len() + keyword.len();
        let iter_end = iterable_end(code, literals, iter_start, javascript);
        out.push((name, iter_start, iter_end));
    }
    out
}

/// Where an iterable starting at `start` ends: at the loop header's `:`
/// or `)`, a comprehension's closing bracket or `if`, or the line's end.
fn iterable_end(code: &str, literals: &[Literal], start: usize, javascript: bool) -> usize {
    let bytes = code.as_bytes();
    let mut pos = start;
    while let Some(&byte) = bytes.get(pos) {
        if let Some((_, literal)) = literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => match matching(code, literals, pos) {
                Some(close) => {
                    pos = close + 1;
                    continue;
                }
                None => return pos,
            },
            b')' | b']' | b'}' | b'\n' => return pos,
            b':' if !javascript => return pos,
            b' ' if code.get(pos..).is_some_and(|r| r.starts_with(" if ")) => return pos,
            _ => {}
        }
        pos += 1;
    }
    pos
}

/// The literals an iterable holds when it is only literals: one, a list
/// or tuple of them, or those kept by [`ITEM_KEEPERS`].
fn items(code: &str, literals: &[Literal], start: usize, end: usize) -> Vec<usize> {
    let text = code.get(start..end).unwrap_or_default();
    let lead = text.len() - text.trim_start().len();
    let (start, end) = (start + lead, start + text.trim_end().len());
    let text = code.get(start..end).unwrap_or_default();
    if let Some((index, literal)) = literal_at(literals, start) {
        return if literal.end == end {
            vec![index]
        } else {
            Vec::new()
        };
    }
    if let Some(keeper) = ITEM_KEEPERS.iter().find(|k| text.starts_with(**k)) {
        let open = start + keeper.len() - 1;
        if matching(code, literals, open) != Some(end - 1) {
            return Vec::new();
        }
        // `map(F, ITEMS)`: the items are the last argument.
        let Some(arguments) = top_level_split(code, literals, open + 1..end - 1) else {
            return Vec::new();
        };
        let last = match (keeper.starts_with("map"), arguments.as_slice()) {
            (true, [_, (at, _)]) | (false, [(at, _)]) => *at,
            _ => return Vec::new(),
        };
        return items(code, literals, last, end - 1);
    }
    if text.starts_with(['[', '(']) && matching(code, literals, start) == Some(end - 1) {
        let inside: Vec<usize> = literals
            .iter()
            .enumerate()
            .filter(|(_, l)| l.start > start && l.end < end)
            .map(|(i, _)| i)
            .collect();
        // Only literals and the commas between them.
        let mut rest = code.get(start + 1..end - 1).unwrap_or_default().to_owned();
        for index in inside.iter().rev() {
            if let Some(l) = literals.get(*index) {
                rest.replace_range(l.start - start - 1..l.end - start - 1, "");
            }
        }
        let only_literals = rest.chars().all(|c| c == ',' || c.is_whitespace());
        return if only_literals { inside } else { Vec::new() };
    }
    Vec::new()
}

/// True when the code reads a file through `name`: `open(name, ...)`,
/// `Path(name)`, `readFileSync(name)`, `name.read_bytes()`; not a mode
/// that writes (`open(name, "w")`).
fn reads_name(code: &str, literals: &[Literal], name: &str) -> bool {
    code.match_indices(name).any(|(at, _)| {
        let inside_literal = literals.iter().any(|l| l.start <= at && at < l.end);
        let before = code.get(..at).unwrap_or_default();
        let after = code.get(at + name.len()..).unwrap_or_default();
        let whole = before
            .chars()
            .next_back()
            .is_none_or(|c| !(is_ident(c) || c == '.'))
            && after.chars().next().is_none_or(|c| !is_ident(c));
        if inside_literal || !whole {
            return false;
        }
        let argument = after.trim_start();
        let called = called_with(before, READ_CALLS).is_some()
            && (argument.starts_with(')')
                || argument
                    .strip_prefix(',')
                    .is_some_and(|mode| writing_mode(mode).is_none()));
        let method = READ_METHODS.iter().any(|m| after.starts_with(m))
            && after
                .strip_prefix(".open(")
                .is_none_or(|mode| writing_mode(mode).is_none());
        called || method
    })
}

#[cfg(test)]
mod tests {
    use super::super::literals;
    use super::*;

    fn read(code: &str) -> Vec<String> {
        files(code, &literals(code))
            .into_iter()
            .map(|(_, f)| f)
            .collect()
    }

    #[test]
    fn loops_over_written_paths_read_them() {
        assert_eq!(
            read("files = [(\"attachment\", open(p, \"rb\")) for p in 'exports/a.csv']"),
            ["exports/a.csv"]
        );
        assert_eq!(
            read("for p in map(pathlib.Path, ['a.csv', 'b.csv']):\n    x(p.read_bytes())\n"),
            ["a.csv", "b.csv"]
        );
        assert_eq!(
            read("for (const f of ['a.pdf']) { att.push(fs.readFileSync(f)); }"),
            ["a.pdf"]
        );
    }

    #[test]
    fn other_loops_read_nothing() {
        // Written, listed, or not used as a file.
        assert!(read("for p in ['a.csv']:\n    open(p, 'w').write('x')\n").is_empty());
        assert!(read("for p in os.listdir('d'):\n    open(p)\n").is_empty());
        assert!(read("for n in ['a', 'b']:\n    print(n)\n").is_empty());
    }
}
