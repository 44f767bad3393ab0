//! Configuration files a Python script loads, when an earlier step wrote
//! them: `cfg = yaml.safe_load(args.config.read_text())` (or `json.loads`,
//! `json.load(open(...))`, `tomllib.load(...)`) of a file whose text is
//! known becomes `cfg = {"bucket": "b", ...}`, so the path evaluator
//! (`super::super::pathexpr`) reads `cfg["bucket"]` and `cfg.get("prefix",
//! "")` as the values the file holds.
//!
//! The file is named by a literal or by an expression the path evaluator
//! resolves (an argparse option given on the command line: `-c
//! config/job.yaml`), read by `.read_text()`, `open(...)` (with `.read()`
//! or handed to `json.load`), directly or through a name it was assigned
//! to (`text = path.read_text()`) or opened as (`with open(p) as f`).
//! JSON and YAML mappings are read (YAML with the workspace's YAML
//! reader, which reads JSON too), and flat TOML tables (`key = "value"`);
//! scalars become strings, mappings dicts, sequences lists.
//!
//! The walker calls [`with_loaded_configs`] when it runs a script written
//! earlier, with the files it knows.

use yaml_rust2::{Yaml, YamlLoader};

use super::{Invocation, Literal, literals, matching_bracket};
use crate::commands::Arg;

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;
/// How many loads are rewritten.
const MAX_LOADS: usize = 8;
/// How deep a loaded mapping nests.
const MAX_NESTING: usize = 4;

/// Calls that parse a configuration's text or open file into a mapping.
const LOADERS: &[&str] = &[
    "yaml.safe_load",
    "yaml.load",
    "yaml.full_load",
    "yaml.unsafe_load",
    "json.loads",
    "json.load",
    "tomllib.loads",
    "tomllib.load",
    "tomli.loads",
    "tomli.load",
    "toml.loads",
    "toml.load",
];

/// Methods that read an opened file or a path's text.
const READS: &[&str] = &[".read_text()", ".read_bytes()", ".read()", ".open()"];

/// Calls that open (or name) the file their first argument names.
const OPENS: &[&str] = &["open", "io.open", "Path", "pathlib.Path"];

/// A Python script's `code`, run with the arguments `rest`, with each load
/// of a configuration file whose text `text_of` knows (by absolute path)
/// written as the mapping it holds; `None` when there is none. The code
/// returned has the path evaluator's rewrites in it.
pub(crate) fn with_loaded_configs(
    inv: &Invocation<'_>,
    code: &str,
    rest: &[Arg],
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    if !inv.program.starts_with("python")
        || code.len() > MAX_CODE
        || !LOADERS.iter().any(|l| code.contains(l))
    {
        return None;
    }
    let words: Vec<String> = rest.iter().map(|a| a.text.clone()).collect();
    let resolved = super::super::pathexpr::resolve(code, inv.program, &words)
        .unwrap_or_else(|| code.to_owned());
    let literals = literals(&resolved);
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for (at, end, argument) in loads(&resolved, &literals) {
        if replacements.len() >= MAX_LOADS {
            break;
        }
        let Some(file) = file_loaded(&resolved, &literals, argument, at, 0) else {
            continue;
        };
        let Some(mapping) = text_of(&inv.path(&file)).and_then(|text| parsed(&text)) else {
            continue;
        };
        replacements.push((at, end, mapping));
    }
    super::storage::replaced(&resolved, replacements)
}

/// Each loader call in `code`: where it starts, just past its `)`, and its
/// first argument.
fn loads<'c>(code: &'c str, literals: &[Literal]) -> Vec<(usize, usize, &'c str)> {
    let mut out = Vec::new();
    for loader in LOADERS {
        for (at, _) in code.match_indices(&format!("{loader}(")) {
            let whole = code
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
            let inside = literals.iter().any(|l| l.start < at && at < l.end);
            let open = at + loader.len();
            let Some(close) = matching_bracket(code, literals, open).filter(|_| whole && !inside)
            else {
                continue;
            };
            let Some(argument) = code
                .get(open + 1..close)
                .map(|a| first_argument(a, code, literals))
            else {
                continue;
            };
            out.push((at, close + 1, argument));
        }
    }
    out.sort_by_key(|(at, _, _)| *at);
    out.dedup_by_key(|(at, _, _)| *at);
    out
}

/// The first argument in a call's arguments `text` (before a top-level
/// comma: `Loader=yaml.SafeLoader` is no file), trimmed.
fn first_argument<'t>(text: &'t str, code: &str, literals: &[Literal]) -> &'t str {
    let start = (text.as_ptr() as usize).saturating_sub(code.as_ptr() as usize);
    let mut level = 0usize;
    let mut pos = 0;
    while pos < text.len() {
        if let Some(literal) = literals.iter().find(|l| l.start == start + pos) {
            pos = literal.end.saturating_sub(start);
            continue;
        }
        match text.as_bytes().get(pos) {
            Some(b'(' | b'[' | b'{') => level += 1,
            Some(b')' | b']' | b'}') => level = level.saturating_sub(1),
            Some(b',') if level == 0 => return text.get(..pos).unwrap_or_default().trim(),
            _ => {}
        }
        pos += 1;
    }
    text.trim()
}

/// The text of `piece` when it is one string literal.
fn literal_text(code: &str, literals: &[Literal], piece: &str) -> Option<String> {
    let start = (piece.as_ptr() as usize).checked_sub(code.as_ptr() as usize)?;
    literals
        .iter()
        .find(|l| l.start == start && l.end == start + piece.len() && !l.backtick)
        .map(|l| l.text.clone())
}

/// The file `expr` (at `at`) reads: a literal, `open(LIT)`, `Path(LIT)`,
/// any of those with `.read_text()`/`.read()`, or a name assigned one of
/// them before `at` or opened as one (`with open(LIT) as f`).
fn file_loaded(
    code: &str,
    literals: &[Literal],
    expr: &str,
    at: usize,
    depth: usize,
) -> Option<String> {
    if depth > 2 {
        return None;
    }
    let mut expr = expr.trim();
    while let Some(read) = READS.iter().find(|r| expr.ends_with(**r)) {
        expr = expr.get(..expr.len() - read.len())?.trim_end();
    }
    if let Some(text) = literal_text(code, literals, expr) {
        return Some(text);
    }
    for call in OPENS {
        if let Some(inner) = expr
            .strip_prefix(call)
            .and_then(|r| r.trim_start().strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
        {
            return literal_text(code, literals, first_argument(inner, code, literals));
        }
    }
    if !expr.chars().all(|c| c.is_alphanumeric() || c == '_') || expr.is_empty() {
        return None;
    }
    // The name's last binding before the load.
    let before = code.get(..at)?;
    let (value, value_at) = before.lines().rev().find_map(|line| {
        let trimmed = line.trim();
        let start = (line.as_ptr() as usize).saturating_sub(code.as_ptr() as usize);
        if let Some(value) = trimmed
            .strip_prefix(expr)
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
            .filter(|r| !r.starts_with('='))
        {
            return Some((value.trim(), start));
        }
        let opened = trimmed.strip_prefix("with ")?;
        let (opener, name) = opened.rsplit_once(" as ")?;
        (name.trim_end_matches(':').trim() == expr).then(|| (opener.trim(), start))
    })?;
    file_loaded(code, literals, value, value_at, depth + 1)
}

/// A configuration's text as a Python dict literal: a JSON or YAML
/// mapping, else a flat TOML table; `None` when it is neither.
fn parsed(text: &str) -> Option<String> {
    let yaml = YamlLoader::load_from_str(text).ok();
    if let Some(Yaml::Hash(_)) = yaml.as_ref().and_then(|docs| docs.first()) {
        return yaml.as_ref()?.first().and_then(|doc| python_of(doc, 0));
    }
    toml_table(text)
}

/// A YAML (or JSON) value as Python source: mappings as dicts, sequences
/// as lists, scalars as strings; `None` for a null or one nested too
/// deep.
fn python_of(value: &Yaml, depth: usize) -> Option<String> {
    if depth > MAX_NESTING {
        return None;
    }
    match value {
        Yaml::Hash(hash) => {
            let entries: Vec<String> = hash
                .iter()
                .filter_map(|(key, value)| {
                    let key = scalar(key)?;
                    let value = python_of(value, depth + 1)?;
                    Some(format!("{}: {value}", quoted(&key)))
                })
                .collect();
            Some(format!("{{{}}}", entries.join(", ")))
        }
        Yaml::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .filter_map(|item| python_of(item, depth + 1))
                .collect();
            Some(format!("[{}]", items.join(", ")))
        }
        other => scalar(other).map(|text| quoted(&text)),
    }
}

/// A scalar's text.
fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(if *flag { "True" } else { "False" }.to_owned()),
        _ => None,
    }
}

/// `text` as a double-quoted Python string literal.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A TOML file's top-level `key = "value"` lines (before any `[table]`),
/// as a dict literal; `None` when it has none.
fn toml_table(text: &str) -> Option<String> {
    let mut entries = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']);
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        if key.is_empty() || key.starts_with('#') {
            continue;
        }
        entries.push(format!("{}: {}", quoted(key), quoted(value)));
    }
    (!entries.is_empty()).then(|| format!("{{{}}}", entries.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_yaml_becomes_a_dict_literal() {
        assert_eq!(
            parsed("# c\nsrc: exports\nbucket: 'b-1'\nport: 5\n").as_deref(),
            Some("{\"src\": \"exports\", \"bucket\": \"b-1\", \"port\": \"5\"}")
        );
        assert_eq!(
            parsed("{\"a\": {\"b\": \"c\"}}").as_deref(),
            Some("{\"a\": {\"b\": \"c\"}}")
        );
        assert_eq!(parsed("just text"), None);
    }

    #[test]
    fn the_file_is_found_through_a_name() {
        let code = "text = 'c.yaml'.read_text()\ncfg = yaml.safe_load(text)\n";
        let literals = literals(code);
        let found = loads(code, &literals);
        let [(at, _, argument)] = found.as_slice() else {
            panic!("one load: {}", found.len());
        };
        assert_eq!(
            file_loaded(code, &literals, argument, *at, 0).as_deref(),
            Some("c.yaml")
        );
    }
}
