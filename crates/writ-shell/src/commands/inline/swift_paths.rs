//! The files Swift code writes, reads and removes through Foundation, by
//! the paths it builds: the home directory
//! (`FileManager.default.homeDirectoryForCurrentUser`, `NSHomeDirectory()`,
//! `URL.homeDirectory`), URLs made of a path (`URL(fileURLWithPath:
//! "...")`), `("~/x" as NSString).expandingTildeInPath`, and the
//! components appended to them (`.appendingPathComponent(".config/x")`,
//! `.appending(path: "x")`), held in the names `let` and `var` bind.
//!
//! Where such a path is written (`text.write(to: url, ...)`,
//! `data.write(toFile: p)`, `FileManager.default.createFile(atPath: p,
//! ...)`), read (`String(contentsOf: url)`, `Data(contentsOf: url)`) or
//! removed (`FileManager.default.removeItem(at: url)`), the path is
//! written in as a string literal handed to the call the literal analysis
//! of [`super::analyze`] knows for that (`Files.write("~/.config/x")`,
//! `String(contentsOfFile: "...")`, `removeItem(atPath: "...")`), so a
//! write into the home directory is seen for what it is. A path built
//! from anything else is left as written.

use super::{Literal, literals, storage};

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;
/// How many names are bound.
const MAX_NAMES: usize = 64;

/// Expressions whose value is the home directory.
const HOMES: &[&str] = &[
    "FileManager.default.homeDirectoryForCurrentUser",
    "FileManager.default.homeDirectory(forUser: NSUserName())",
    "NSHomeDirectory()",
    "URL.homeDirectory",
    "URL(fileURLWithPath: NSHomeDirectory())",
];

/// Wrappers whose value is the path they are given.
const WRAPPERS: &[&str] = &[
    "URL(fileURLWithPath:",
    "URL(filePath:",
    "NSString(string:",
    "URL(string:",
];

/// Members that append a component they are given.
const APPENDS: &[&str] = &[
    ".appendingPathComponent(",
    ".appending(path:",
    ".appending(component:",
    ".appendingPathExtension(",
];

/// Members that keep the path as it is.
const SAME: &[&str] = &[
    ".path()",
    ".path(percentEncoded: false)",
    ".path",
    ".standardizedFileURL",
    ".standardized",
    ".absoluteURL",
    ".resolvingSymlinksInPath()",
    ".expandingTildeInPath",
];

/// Calls that write the path given after them, read it or remove it, and
/// the call the literal analysis knows for that.
const SITES: &[(&str, &str)] = &[
    (".write(to:", "Files.write("),
    (".write(toFile:", "Files.write("),
    ("createFile(atPath:", "Files.write("),
    ("FileHandle(forWritingTo:", "Files.write("),
    ("FileHandle(forWritingAtPath:", "Files.write("),
    ("String(contentsOf:", "String(contentsOfFile:"),
    ("Data(contentsOf:", "String(contentsOfFile:"),
    ("String(contentsOfFile:", "String(contentsOfFile:"),
    ("FileHandle(forReadingFrom:", "String(contentsOfFile:"),
    ("FileHandle(forReadingAtPath:", "String(contentsOfFile:"),
    ("removeItem(at:", "removeItem(atPath:"),
    ("removeItem(atPath:", "removeItem(atPath:"),
];

/// `code` with the paths its Foundation calls write, read and remove
/// written in as literals; `None` when there is none (or it is not
/// Swift).
pub(super) fn plain(code: &str, program: &str) -> Option<String> {
    if program.rsplit('/').next() != Some("swift") || code.len() > MAX_CODE {
        return None;
    }
    let literals = literals(code);
    let names = bindings(code, &literals);
    let mut replacements = Vec::new();
    for (site, call) in SITES {
        for (at, _) in code.match_indices(site) {
            if literals.iter().any(|l| l.start <= at && at < l.end) {
                continue;
            }
            let start = at + site.len();
            let end = argument_end(code, &literals, start);
            let Some(path) = code
                .get(start..end)
                .and_then(|expr| evaluate(expr, &literals, start, &names))
            else {
                continue;
            };
            let quoted = format!("\"{}\"", path.replace('\\', "\\\\").replace('"', "\\\""));
            let text = if site.starts_with('.') {
                // `x.write(to: P`: the value written, then the write.
                format!("{site} {call}{quoted})")
            } else {
                format!("{call} {quoted}")
            };
            replacements.push((at, end, text));
        }
    }
    storage::replaced(code, replacements)
}

/// Where the argument starting at `start` ends: its `,` or the call's `)`.
fn argument_end(code: &str, literals: &[Literal], start: usize) -> usize {
    let mut pos = start;
    while let Some(&byte) = code.as_bytes().get(pos) {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => match storage::matching(code, literals, pos) {
                Some(close) => pos = close + 1,
                None => return code.len(),
            },
            b',' | b')' | b']' | b'}' | b'\n' => return pos,
            _ => pos += 1,
        }
    }
    code.len()
}

/// The paths `let NAME = ...` and `var NAME = ...` bind, in order.
fn bindings(code: &str, literals: &[Literal]) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = Vec::new();
    for keyword in ["let ", "var "] {
        for (at, _) in code.match_indices(keyword) {
            if names.len() >= MAX_NAMES || literals.iter().any(|l| l.start <= at && at < l.end) {
                continue;
            }
            let starts = code
                .get(..at)
                .and_then(|h| h.trim_end_matches([' ', '\t']).chars().next_back())
                .is_none_or(|c| matches!(c, '\n' | '\r' | ';' | '{' | '}'));
            if !starts {
                continue;
            }
            let rest = code.get(at + keyword.len()..).unwrap_or_default();
            let name: String = rest.chars().take_while(|c| storage::is_ident(*c)).collect();
            let after = rest.get(name.len()..).unwrap_or_default();
            let Some(eq) = after.find('=') else {
                continue;
            };
            let typed = after.get(..eq).unwrap_or_default().trim();
            if name.is_empty() || !(typed.is_empty() || typed.starts_with(':')) {
                continue;
            }
            let start = at + keyword.len() + name.len() + eq + 1;
            let end = super::jvm_loops::statement_end(code, literals, start);
            let value = code
                .get(start..end)
                .and_then(|expr| evaluate(expr, literals, start, &names));
            if let Some(value) = value {
                names.retain(|(n, _)| *n != name);
                names.push((name, value));
            }
        }
    }
    names
}

/// The path the expression `expr` (at `offset` in the code) names, when
/// it is made only of what this module reads.
fn evaluate(
    expr: &str,
    literals: &[Literal],
    offset: usize,
    names: &[(String, String)],
) -> Option<String> {
    let lead = expr.len() - expr.trim_start().len();
    let trimmed = expr.trim();
    let trimmed = ["try? ", "try! ", "try "]
        .iter()
        .find_map(|t| trimmed.strip_prefix(t))
        .unwrap_or(trimmed);
    let start = offset + lead + (expr.trim_start().len() - trimmed.len());
    let (mut path, mut pos) = base(trimmed, literals, start, names)?;
    loop {
        let rest = trimmed.get(pos..)?;
        let gap = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        if rest.is_empty() {
            return Some(path);
        }
        if let Some(same) = SAME.iter().find(|m| {
            rest.starts_with(**m)
                && rest
                    .get(m.len()..)
                    .and_then(|r| r.chars().next())
                    .is_none_or(|c| !storage::is_ident(c) && c != '(')
        }) {
            pos += gap + same.len();
            continue;
        }
        let append = APPENDS.iter().find(|m| rest.starts_with(**m))?;
        let at = start + pos + gap + append.len();
        let inner = skip(trimmed, pos + gap + append.len());
        let literal = literals.iter().find(|l| l.start == start + inner)?;
        let open = start + pos + gap + append.find('(')?;
        let close = closing(trimmed, start, open)?;
        if literal.start < at {
            return None;
        }
        path = if *append == ".appendingPathExtension(" {
            format!("{path}.{}", literal.text)
        } else {
            format!("{}/{}", path.trim_end_matches('/'), literal.text)
        };
        pos = close - start + 1;
    }
}

/// Past the white space at `pos` in `text`.
fn skip(text: &str, pos: usize) -> usize {
    let rest = text.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

/// Where the parenthesis opened at `open` (in the code) closes, found in
/// `text`, which starts at `start` in the code.
fn closing(text: &str, start: usize, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in text.get(open - start..)?.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The path an expression starts with, and where that ends in `text`: the
/// home directory, a literal, a name bound to a path, or a wrapper of one.
fn base(
    text: &str,
    literals: &[Literal],
    start: usize,
    names: &[(String, String)],
) -> Option<(String, usize)> {
    if let Some(home) = HOMES.iter().find(|h| text.starts_with(**h)) {
        return Some(("~".to_owned(), home.len()));
    }
    if let Some(literal) = literals.iter().find(|l| l.start == start) {
        return Some((literal.text.clone(), literal.end - start));
    }
    // `("~/x" as NSString)`.
    if let Some(inner) = text.strip_prefix('(') {
        let literal = literals.iter().find(|l| l.start == start + 1)?;
        let rest = inner.get(literal.end - start - 1..)?.trim_start();
        let rest = rest.strip_prefix("as NSString")?.trim_start();
        rest.starts_with(')').then_some(())?;
        let end = text.len() - rest.len() + 1;
        return Some((literal.text.clone(), end));
    }
    if let Some(wrapper) = WRAPPERS.iter().find(|w| text.starts_with(**w)) {
        let open = start + wrapper.find('(')?;
        let close = closing(text, start, open)?;
        let inner_at = skip(text, wrapper.len());
        let inner = text.get(inner_at..close - start)?;
        let path = evaluate(inner, literals, start + inner_at, names)?;
        return Some((path, close - start + 1));
    }
    let name: String = text.chars().take_while(|c| storage::is_ident(*c)).collect();
    let (_, path) = names.iter().rev().find(|(n, _)| *n == name)?;
    Some((path.clone(), name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_written_under_the_home_directory() {
        let code = "let dir = FileManager.default.homeDirectoryForCurrentUser\n    .appendingPathComponent(\".config/x\", isDirectory: true)\nlet file = dir.appendingPathComponent(\"cli.toml\")\ntry toml.write(to: file, atomically: true, encoding: .utf8)\n";
        let out = plain(code, "swift").unwrap_or_default();
        assert!(
            out.contains("toml.write(to: Files.write(\"~/.config/x/cli.toml\"), atomically"),
            "{out}"
        );
    }

    #[test]
    fn reads_and_removes_take_their_paths() {
        let code = "let u = URL(fileURLWithPath: \"/etc/hosts\")\nlet s = try String(contentsOf: u)\ntry FileManager.default.removeItem(at: URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(\".cache\"))";
        let out = plain(code, "swift").unwrap_or_default();
        assert!(
            out.contains("String(contentsOfFile: \"/etc/hosts\")"),
            "{out}"
        );
        assert!(out.contains("removeItem(atPath: \"~/.cache\")"), "{out}");
    }

    #[test]
    fn unknown_paths_stay() {
        let code = "let f = URL(fileURLWithPath: CommandLine.arguments[1])\ntry d.write(to: f)";
        assert_eq!(plain(code, "swift"), None);
        assert_eq!(plain("x.write(to: \"a\")", "kotlinc"), None);
    }
}
