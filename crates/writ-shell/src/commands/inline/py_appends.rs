//! A Python list written out and then appended to, written whole: `cmd =
//! ["kubectl", "apply", "-f", path]` followed by `cmd.append("--dry-run=
//! server")` (or `cmd.extend([...])`, `cmd += [...]`), at the list's own
//! level or under an `if` whose condition is surely true (a flag the
//! command line gives: [`super::positionals`]), is the list with those
//! items, and the appends are blanked. The path evaluator leaves a list
//! changed after it is written alone, so the command it runs would not be
//! seen at all.
//!
//! A list changed in any other way (under a condition not known, in a
//! loop, by index, `insert`) is left as it is.

use super::storage::{is_ident, matching, replaced};
use super::{Literal, literals};

/// How many lists are folded.
const MAX_LISTS: usize = 16;

/// One line of the code: where it starts, its text without its line
/// break, and its indentation.
struct Line<'c> {
    start: usize,
    text: &'c str,
    indent: usize,
}

/// `code` with each list appended to under `known_true` conditions (or
/// none) written whole; `None` when there is none.
pub(super) fn folded(code: &str, known_true: &[String]) -> Option<String> {
    let literals = literals(code);
    let mut lines = Vec::new();
    let mut start = 0;
    for text in code.split('\n') {
        let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
        lines.push(Line {
            start,
            text,
            indent,
        });
        start += text.len() + 1;
    }
    let mut replacements = Vec::new();
    let mut lists = 0;
    for (index, line) in lines.iter().enumerate() {
        if lists >= MAX_LISTS {
            break;
        }
        let Some((name, open)) = list_assigned(code, line) else {
            continue;
        };
        let Some(close) = matching(code, &literals, open) else {
            continue;
        };
        // The statement ends with the list.
        let after = code.get(close + 1..).unwrap_or_default();
        let rest_of_line = after.split('\n').next().unwrap_or_default().trim();
        if !rest_of_line.is_empty() && !rest_of_line.starts_with('#') {
            continue;
        }
        let next = lines
            .iter()
            .skip(index + 1)
            .position(|l| l.start > close)
            .map_or(lines.len(), |p| p + index + 1);
        let body = lines.get(next..).unwrap_or_default();
        let Some(Appends { items, blanks }) =
            appends(code, &literals, body, name, line.indent, known_true)
        else {
            continue;
        };
        if items.is_empty() {
            continue;
        }
        lists += 1;
        let inside = code.get(open + 1..close).unwrap_or_default().trim_end();
        let separator = if inside.trim().is_empty() || inside.ends_with(',') {
            ""
        } else {
            ", "
        };
        replacements.push((close, close, format!("{separator}{}", items.join(", "))));
        for (from, to) in blanks {
            replacements.push((from, to, " ".repeat(to - from)));
        }
    }
    replaced(code, replacements)
}

/// The name a line assigns a list literal to (`cmd = [`), and where the
/// list opens.
fn list_assigned<'c>(code: &'c str, line: &Line<'c>) -> Option<(&'c str, usize)> {
    let text = line.text.get(line.indent..)?;
    let len = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    let name = text.get(..len)?;
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let rest = text.get(len..)?.trim_start();
    let value = rest.strip_prefix('=')?;
    if value.starts_with('=') {
        return None;
    }
    let value = value.trim_start();
    if !value.starts_with('[') {
        return None;
    }
    let open = line.start + line.text.len() - value.len();
    (code.as_bytes().get(open) == Some(&b'[')).then_some((name, open))
}

/// What is appended to a list: the items, as written, and where the
/// statements appending them are.
struct Appends {
    items: Vec<String>,
    blanks: Vec<(usize, usize)>,
}

/// The items appended to `name` in the lines after its list (at the
/// list's `indent` or in an `if` there whose condition is one of
/// `known_true`), and the statements that append them; `None` when the
/// list is changed in another way.
fn appends(
    code: &str,
    literals: &[Literal],
    body: &[Line<'_>],
    name: &str,
    indent: usize,
    known_true: &[String],
) -> Option<Appends> {
    let mut items = Vec::new();
    let mut blanks = Vec::new();
    // The indentation of the body of a surely-true `if` being read.
    let mut guarded: Option<usize> = None;
    for line in body {
        let text = line.text.get(line.indent..).unwrap_or_default().trim_end();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if line.indent < indent {
            break;
        }
        let at_level = line.indent == indent;
        if at_level {
            guarded = None;
        }
        if guarded == Some(usize::MAX) && line.indent > indent {
            guarded = Some(line.indent);
        }
        let in_guard = guarded == Some(line.indent);
        if (at_level || in_guard)
            && let Some(found) = appended(code, literals, line, text, name)
        {
            items.extend(found);
            blanks.push((
                line.start + line.indent,
                line.start + line.indent + text.len(),
            ));
            continue;
        }
        if at_level
            && let Some(condition) = text.strip_prefix("if ").and_then(|c| c.strip_suffix(':'))
            && known_true.iter().any(|known| known == condition.trim())
        {
            guarded = Some(usize::MAX);
            continue;
        }
        if at_level && reassigns(text, name) {
            break;
        }
        if changes(text, name) {
            return None;
        }
    }
    Some(Appends { items, blanks })
}

/// The items a statement appends to `name` (`name.append(x)`,
/// `name.extend([x, y])`, `name += [x]`), as written; `None` for any
/// other statement.
fn appended(
    code: &str,
    literals: &[Literal],
    line: &Line<'_>,
    text: &str,
    name: &str,
) -> Option<Vec<String>> {
    let rest = text.strip_prefix(name)?;
    let at = line.start + line.indent + name.len();
    let (open, whole_list) = if rest.starts_with(".append(") {
        (at + ".append".len(), false)
    } else if rest.starts_with(".extend([") {
        (at + ".extend(".len(), true)
    } else {
        let value = rest.trim_start().strip_prefix("+=")?.trim_start();
        if !value.starts_with('[') {
            return None;
        }
        (line.start + line.indent + text.len() - value.len(), true)
    };
    let close = matching(code, literals, open)?;
    // The statement is the append alone.
    let end = line.start + line.indent + text.len();
    let tail = code.get(close + 1..end)?.trim();
    let tail = if whole_list && rest.starts_with(".extend(") {
        tail.strip_prefix(')')?.trim()
    } else {
        tail
    };
    if !tail.is_empty() {
        return None;
    }
    let inside = code.get(open + 1..close)?.trim();
    if inside.is_empty() {
        return Some(Vec::new());
    }
    if whole_list {
        Some(vec![inside.trim_end_matches(',').trim().to_owned()])
    } else {
        Some(vec![inside.to_owned()])
    }
}

/// True when the statement assigns `name` anew (`name = ...`).
fn reassigns(text: &str, name: &str) -> bool {
    text.strip_prefix(name).is_some_and(|rest| {
        let rest = rest.trim_start();
        rest.starts_with('=') && !rest.starts_with("==")
    })
}

/// True when the statement may change the list `name` in place.
fn changes(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let whole = text
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_ident(c) && c != '.');
        let rest = text.get(at + name.len()..).unwrap_or_default();
        let method = [
            ".append(",
            ".extend(",
            ".insert(",
            ".pop(",
            ".remove(",
            ".clear(",
            ".sort(",
            ".reverse(",
        ]
        .iter()
        .any(|m| rest.starts_with(m));
        let operator = rest.trim_start().starts_with("+=");
        let stored = rest.starts_with('[')
            && rest
                .find(']')
                .and_then(|close| rest.get(close + 1..))
                .is_some_and(|after| {
                    let after = after.trim_start();
                    after.starts_with('=') && !after.starts_with("==")
                });
        whole && (method || operator || stored)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_under_known_flags_are_folded() {
        let code = "cmd = [\"kubectl\", \"apply\"]\nif a.dry_run:\n    cmd.append(\"--dry-run=server\")\nrun(cmd)\n";
        assert_eq!(
            folded(code, &["a.dry_run".to_owned()]),
            Some(format!(
                "cmd = [\"kubectl\", \"apply\", \"--dry-run=server\"]\nif a.dry_run:\n{}\nrun(cmd)\n",
                " ".repeat("    cmd.append(\"--dry-run=server\")".len())
            ))
        );
        let level = "cmd = ['git', 'push']\ncmd += ['--force']\nrun(cmd)";
        assert_eq!(
            folded(level, &[]).as_deref(),
            Some("cmd = ['git', 'push', '--force']\n                  \nrun(cmd)")
        );
    }

    #[test]
    fn lists_changed_otherwise_are_left_alone() {
        let unknown = "cmd = ['a']\nif x > 1:\n    cmd.append('b')\nrun(cmd)\n";
        assert_eq!(folded(unknown, &["a.dry_run".to_owned()]), None);
        let looped = "cmd = ['a']\nfor f in fs:\n    cmd.append(f)\n";
        assert_eq!(folded(looped, &[]), None);
    }
}
