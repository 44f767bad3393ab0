//! Go's spellings of paths and environment lookups, made the ones the
//! inline reader and its path evaluator know ([`plain`]):
//! - `home, _ := os.UserHomeDir()` (or `, err :=`, go-homedir's
//!   `homedir.Dir()`) is `home = os.homedir()`, the home directory;
//! - `p := expr` is `p = expr`, an assignment the evaluator follows;
//! - `filepath.Join(a, b)` and `path.Join(a, b)` are `path.join(a, b)`;
//! - `os.Getenv("X")` and `os.LookupEnv("X")` are `os.getenv("X")`, a
//!   variable read (and `HOME` the home directory);
//! - `http.MethodPost` (`Put`, `Patch`, `Delete`) is the method's name,
//!   a request that sends;
//! - import declarations are dropped: their package paths are no data;
//! - calls of helpers that hand their arguments to `exec.Command` (`func
//!   run(args ...string)`) are that call ([`wrappers_compiled`]).
//!
//! Only code outside string literals is rewritten.

use crate::commands::inline::{literals, wrappers_compiled};

/// Calls that return the home directory (and an error).
const HOME_CALLS: &[&str] = &["os.UserHomeDir()", "homedir.Dir()"];

/// Go's names for what the reader knows by another.
const RENAMES: &[(&str, &str)] = &[
    ("filepath.Join(", "path.join("),
    ("path.Join(", "path.join("),
    ("os.Getenv(", "os.getenv("),
    ("os.LookupEnv(", "os.getenv("),
    (" := ", " = "),
    // `http.NewRequest(http.MethodPost, url, body)` sends, as `"POST"` does.
    ("http.MethodPost", "\"POST\""),
    ("http.MethodPut", "\"PUT\""),
    ("http.MethodPatch", "\"PATCH\""),
    ("http.MethodDelete", "\"DELETE\""),
];

/// `code` with Go's spellings made plain.
pub(super) fn plain(code: &str) -> String {
    let mut out = without_imports(code);
    if let Some(expanded) = wrappers_compiled::expand_go(&out) {
        out = expanded;
    }
    for call in HOME_CALLS {
        out = home_assignments(&out, call);
    }
    for (from, to) in RENAMES {
        out = renamed(&out, from, to);
    }
    out
}

/// True when `at` is inside a string literal of `code`.
fn in_literal(code: &str, at: usize) -> bool {
    literals(code).iter().any(|l| l.start <= at && at < l.end)
}

/// `code` with each `from` outside literals, as a whole name, made `to`.
fn renamed(code: &str, from: &str, to: &str) -> String {
    let mut out = code.to_owned();
    let mut from_at = 0;
    while let Some(found) = out.get(from_at..).and_then(|rest| rest.find(from)) {
        let at = from_at + found;
        let whole = out
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
            || from.starts_with(' ');
        if whole && !in_literal(&out, at) {
            out.replace_range(at..at + from.len(), to);
            from_at = at + to.len();
        } else {
            from_at = at + from.len();
        }
    }
    out
}

/// `code` with `NAME, OTHER := CALL` (or `=`) made `NAME = os.homedir()`.
fn home_assignments(code: &str, call: &str) -> String {
    let mut out = code.to_owned();
    let mut from_at = 0;
    while let Some(found) = out.get(from_at..).and_then(|rest| rest.find(call)) {
        let at = from_at + found;
        let head = out.get(..at).unwrap_or_default();
        let statement = head.rfind(['\n', ';', '{']).map_or(0, |i| i + 1);
        let target = head.get(statement..).unwrap_or_default();
        let name = target
            .trim_end()
            .strip_suffix(":=")
            .or_else(|| target.trim_end().strip_suffix('='))
            .and_then(|names| names.split(',').next())
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'));
        match name {
            Some(name) => {
                let indent = target.len() - target.trim_start().len();
                let replacement = format!("{name} = os.homedir()");
                let start = statement + indent;
                out.replace_range(start..at + call.len(), &replacement);
                from_at = start + replacement.len();
            }
            None => from_at = at + call.len(),
        }
    }
    out
}

/// `code` without its import declarations (`import "fmt"`, `import (
/// ... )`).
fn without_imports(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut lines = code.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix("import") else {
            out.push_str(line);
            continue;
        };
        let rest = rest.trim_start();
        if rest.starts_with('(') {
            if !rest.contains(')') {
                for inner in lines.by_ref() {
                    if inner.contains(')') {
                        break;
                    }
                }
            }
            out.push('\n');
        } else if rest.starts_with('"')
            || rest
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| w.starts_with('"'))
        {
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_lookups_and_joins_are_plain() {
        let code = "import (\n\t\"os\"\n\t\"path/filepath\"\n)\n\nfunc main() {\n\thome, _ := os.UserHomeDir()\n\tb, err := os.ReadFile(filepath.Join(home, \".aws\", \"credentials\"))\n}\n";
        assert_eq!(
            plain(code),
            "\n\nfunc main() {\n\thome = os.homedir()\n\tb, err = os.ReadFile(path.join(home, \".aws\", \"credentials\"))\n}\n"
        );
        assert_eq!(
            plain("t := os.Getenv(\"TOKEN\")"),
            "t = os.getenv(\"TOKEN\")"
        );
        // Literals stay as written.
        assert_eq!(plain("fmt.Println(\"a := b\")"), "fmt.Println(\"a := b\")");
    }
}
