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
//! reader, which reads JSON too), and TOML documents with their tables
//! (`[prod]` with `host = "..."` is the entry `"prod": {"host": ...}`);
//! scalars become strings, mappings dicts, sequences lists.
//!
//! A load indexed by a key written out (`tomllib.loads(text)["prod"]`,
//! after the path evaluator gave `[args.env]` the option's value) is the
//! entry at that key alone. A helper that loads the file its parameter
//! names and returns the mapping (`def load_config(path): with open(path)
//! as fh: return yaml.safe_load(fh)`) is read at each call that names a
//! file (`cfg = load_config(args.config)`): the call becomes the mapping.
//!
//! The walker calls [`with_loaded_configs`] when it runs a script written
//! earlier, with the files it knows.

use yaml_rust2::{Yaml, YamlLoader};

use super::{Invocation, Literal, literals, matching_bracket};
use crate::commands::Arg;
use crate::commands::toml;

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
        let file = match file_loaded(&resolved, &literals, argument, at, 0) {
            Some(file) => file,
            None => {
                // A helper's load of the file its parameter names: each
                // call of the helper that names one.
                if let Some(helper) = helper_load(&resolved, &literals, argument, at) {
                    replacements.extend(helper_calls(&resolved, &literals, &helper, &|file| {
                        text_of(&inv.path(file)).and_then(|text| parsed(&text))
                    }));
                }
                continue;
            }
        };
        let Some(data) = text_of(&inv.path(&file)).and_then(|text| parsed(&text)) else {
            continue;
        };
        let (data, end) = indexed(&resolved, &literals, data, end);
        let Some(mapping) = python_source(&data, 0) else {
            continue;
        };
        replacements.push((at, end, mapping));
    }
    replacements.truncate(MAX_LOADS);
    super::storage::replaced(&resolved, replacements)
}

/// What a configuration file holds: text (every scalar), lists and
/// mappings in the file's order.
#[derive(Clone, Debug, PartialEq)]
enum Data {
    Text(String),
    List(Vec<Data>),
    Map(Vec<(String, Data)>),
}

/// A load that ends at `end` followed by keys written out (`[\"prod\"]`,
/// `["db"]["host"]`): the entry they lead to and where they end; the
/// whole data when no key follows or one is not in it.
fn indexed(code: &str, literals: &[Literal], data: Data, end: usize) -> (Data, usize) {
    let mut current = data;
    let mut at = end;
    loop {
        let Some(close) = code
            .get(at..)
            .filter(|rest| rest.starts_with('['))
            .and_then(|_| matching_bracket(code, literals, at))
        else {
            return (current, at);
        };
        let Some(key) = code
            .get(at + 1..close)
            .and_then(|inner| literal_text(code, literals, inner.trim()))
        else {
            return (current, at);
        };
        let Data::Map(entries) = &current else {
            return (current, at);
        };
        let Some(entry) = entries.iter().rev().find(|(k, _)| *k == key) else {
            return (current, at);
        };
        current = entry.1.clone();
        at = close + 1;
    }
}

/// A loader call inside a function whose file is one of the function's
/// parameters, and whose mapping the function returns: the function's
/// name and the parameter's position and name.
struct Helper {
    name: String,
    position: usize,
    parameter: String,
}

/// The helper whose load at `at` reads the file `argument` names, when
/// that is a parameter of the function holding it (directly, or through
/// `with open(param) as fh` / `fh = open(param)`) and the function
/// returns what is loaded (`return yaml.safe_load(fh)`, or the name it
/// assigns the load to).
fn helper_load(code: &str, literals: &[Literal], argument: &str, at: usize) -> Option<Helper> {
    let (def_at, name, parameters) = enclosing_def(code, at)?;
    let parameter = named_file(code, literals, argument, at, 0)?;
    let position = parameters.iter().position(|p| *p == parameter)?;
    // The load is returned.
    let line_start = code.get(..at)?.rfind('\n').map_or(0, |n| n + 1);
    let before = code.get(line_start..at)?.trim();
    let body_end = body_end(code, def_at);
    let body = code.get(at..body_end)?;
    let returned = before == "return"
        || before
            .strip_suffix('=')
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .is_some_and(|n| body.lines().any(|l| l.trim() == format!("return {n}")));
    returned.then_some(Helper {
        name,
        position,
        parameter,
    })
}

/// The bare name a loader's argument reads the file of (`path` in
/// `open(path)`, through a name opened as or assigned one: `with
/// open(path) as fh`), when no literal names it.
fn named_file(
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
    for call in OPENS {
        if let Some(inner) = expr
            .strip_prefix(call)
            .and_then(|r| r.trim_start().strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
        {
            expr = first_argument(inner, code, literals);
            break;
        }
    }
    if expr.is_empty() || !expr.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    // A name opened as, or assigned, another file expression before the
    // load, within the function.
    let (def_at, _, _) = enclosing_def(code, at)?;
    let before = code.get(def_at..at)?;
    let bound = last_binding(code, before, expr);
    match bound {
        Some((value, value_at)) => named_file(code, literals, value, value_at, depth + 1),
        None => Some(expr.to_owned()),
    }
}

/// The function whose body holds `at`: where its `def` line starts, its
/// name and its parameters' names, in order.
fn enclosing_def(code: &str, at: usize) -> Option<(usize, String, Vec<String>)> {
    let mut line_start = code.get(..at)?.rfind('\n').map_or(0, |n| n + 1);
    let mut indent = indent_of(code.get(line_start..)?);
    while line_start > 0 && indent > 0 {
        line_start = code.get(..line_start - 1)?.rfind('\n').map_or(0, |n| n + 1);
        let line = code.get(line_start..)?.lines().next().unwrap_or_default();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || indent_of(line) >= indent {
            continue;
        }
        indent = indent_of(line);
        let Some(signature) = trimmed
            .strip_prefix("def ")
            .or_else(|| trimmed.strip_prefix("async def "))
        else {
            continue;
        };
        let (name, rest) = signature.split_once('(')?;
        let parameters = rest.rsplit_once(')')?.0;
        let names = parameters
            .split(',')
            .map(|p| {
                p.split([':', '='])
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .filter(|p| !p.is_empty())
            .collect();
        return Some((line_start, name.trim().to_owned(), names));
    }
    None
}

/// Where the body of the function whose `def` line starts at `def_at`
/// ends: at the next statement indented no deeper than the `def`.
fn body_end(code: &str, def_at: usize) -> usize {
    let indent = indent_of(code.get(def_at..).unwrap_or_default());
    let mut at = def_at;
    let mut first = true;
    for line in code.get(def_at..).unwrap_or_default().split_inclusive('\n') {
        let trimmed = line.trim();
        if !first && !trimmed.is_empty() && !trimmed.starts_with('#') && indent_of(line) <= indent {
            return at;
        }
        first = false;
        at += line.len();
    }
    code.len()
}

/// The width of a line's leading spaces and tabs.
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Each call of `helper` that names, as its file, a literal whose
/// configuration `load` reads: the call (with the keys written after it)
/// as the mapping.
fn helper_calls(
    code: &str,
    literals: &[Literal],
    helper: &Helper,
    load: &dyn Fn(&str) -> Option<Data>,
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(&format!("{}(", helper.name)) {
        let whole = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        let inside = literals.iter().any(|l| l.start < at && at < l.end);
        // Its own `def` line is no call.
        let defined = code
            .get(..at)
            .is_some_and(|b| b.trim_end_matches([' ', '\t']).ends_with("def"));
        if !whole || inside || defined {
            continue;
        }
        let open = at + helper.name.len();
        let Some(close) = matching_bracket(code, literals, open) else {
            continue;
        };
        let Some(arguments) = code.get(open + 1..close) else {
            continue;
        };
        let pieces = top_level_pieces(arguments, code, literals);
        let keyword = pieces.iter().find_map(|piece| {
            let (key, value) = piece.split_once('=')?;
            (key.trim() == helper.parameter && !value.starts_with('=')).then(|| value.trim())
        });
        let given = keyword.or_else(|| {
            pieces
                .iter()
                .filter(|p| !p.contains('=') || literal_text(code, literals, p).is_some())
                .nth(helper.position)
                .copied()
        });
        let Some(file) = given.and_then(|piece| literal_text(code, literals, piece)) else {
            continue;
        };
        let Some(data) = load(&file) else {
            continue;
        };
        let (data, end) = indexed(code, literals, data, close + 1);
        if let Some(mapping) = python_source(&data, 0) {
            out.push((at, end, mapping));
        }
    }
    out
}

/// A call's arguments `text` split at top-level commas, trimmed.
fn top_level_pieces<'t>(text: &'t str, code: &str, literals: &[Literal]) -> Vec<&'t str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        let piece = first_argument(rest, code, literals);
        if !piece.is_empty() {
            pieces.push(piece);
        }
        let consumed =
            (piece.as_ptr() as usize + piece.len()).saturating_sub(rest.as_ptr() as usize);
        let Some(after) = rest
            .get(consumed..)
            .and_then(|r| r.trim_start().strip_prefix(','))
        else {
            return pieces;
        };
        rest = after;
    }
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
    let (value, value_at) = last_binding(code, before, expr)?;
    file_loaded(code, literals, value, value_at, depth + 1)
}

/// What a configuration's text holds: a JSON or YAML mapping, else a
/// TOML document with at least one key; `None` when it is neither.
fn parsed(text: &str) -> Option<Data> {
    let yaml = YamlLoader::load_from_str(text).ok();
    if let Some(doc @ Yaml::Hash(_)) = yaml.as_ref().and_then(|docs| docs.first()) {
        return yaml_data(doc, 0);
    }
    toml_data(text)
}

/// A YAML (or JSON) value: `None` for a null or one nested too deep.
fn yaml_data(value: &Yaml, depth: usize) -> Option<Data> {
    if depth > MAX_NESTING {
        return None;
    }
    match value {
        Yaml::Hash(hash) => Some(Data::Map(
            hash.iter()
                .filter_map(|(key, value)| Some((scalar(key)?, yaml_data(value, depth + 1)?)))
                .collect(),
        )),
        Yaml::Array(items) => Some(Data::List(
            items
                .iter()
                .filter_map(|item| yaml_data(item, depth + 1))
                .collect(),
        )),
        other => scalar(other).map(Data::Text),
    }
}

/// Data as Python source: mappings as dicts, lists as lists, text as
/// strings; `None` nested too deep.
fn python_source(data: &Data, depth: usize) -> Option<String> {
    if depth > MAX_NESTING {
        return None;
    }
    match data {
        Data::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .filter_map(|(key, value)| {
                    Some(format!(
                        "{}: {}",
                        quoted(key),
                        python_source(value, depth + 1)?
                    ))
                })
                .collect();
            Some(format!("{{{}}}", entries.join(", ")))
        }
        Data::List(items) => {
            let items: Vec<String> = items
                .iter()
                .filter_map(|item| python_source(item, depth + 1))
                .collect();
            Some(format!("[{}]", items.join(", ")))
        }
        Data::Text(text) => Some(quoted(text)),
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

/// A TOML document: its top-level keys, each with its value or the table
/// of the keys below it (`[prod]` then `host = "h"`); `None` when it has
/// no key.
fn toml_data(text: &str) -> Option<Data> {
    let document = toml::Document::parse(text);
    let keys = document.keys_below(&[]);
    let entries: Vec<(String, Data)> = keys
        .into_iter()
        .filter_map(|key| {
            let value = document.section(&[key.as_str()])?;
            Some((key, toml_value(&value, 0)?))
        })
        .collect();
    (!entries.is_empty()).then_some(Data::Map(entries))
}

/// A TOML value: a table's dotted keys nest (`a.b = 1` is `{"a": {"b":
/// "1"}}`); numbers, booleans and dates are their text.
fn toml_value(value: &toml::Value, depth: usize) -> Option<Data> {
    if depth > MAX_NESTING {
        return None;
    }
    match value {
        toml::Value::Str(text) | toml::Value::Other(text) => Some(Data::Text(text.clone())),
        toml::Value::Array(items) => Some(Data::List(
            items
                .iter()
                .filter_map(|item| toml_value(item, depth + 1))
                .collect(),
        )),
        toml::Value::Table(entries) => {
            let mut map: Vec<(String, Data)> = Vec::new();
            for (path, value) in entries {
                let Some((first, rest)) = path.split_first() else {
                    continue;
                };
                let inner = if rest.is_empty() {
                    toml_value(value, depth + 1)?
                } else {
                    toml_value(
                        &toml::Value::Table(vec![(rest.to_vec(), value.clone())]),
                        depth + 1,
                    )?
                };
                match (map.iter_mut().find(|(k, _)| k == first), inner) {
                    (Some((_, Data::Map(existing))), Data::Map(more)) => existing.extend(more),
                    (_, inner) => map.push((first.clone(), inner)),
                }
            }
            Some(Data::Map(map))
        }
    }
}

/// The last binding of the name `expr` in `before` (a part of `code`):
/// an assignment's value, or the opener of a `with OPENER as NAME:`, and
/// where its line starts in `code`.
fn last_binding<'a>(code: &str, before: &'a str, expr: &str) -> Option<(&'a str, usize)> {
    before.lines().rev().find_map(|line| {
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_yaml_becomes_a_dict_literal() {
        let source = |text: &str| parsed(text).and_then(|data| python_source(&data, 0));
        assert_eq!(
            source("# c\nsrc: exports\nbucket: 'b-1'\nport: 5\n").as_deref(),
            Some("{\"src\": \"exports\", \"bucket\": \"b-1\", \"port\": \"5\"}")
        );
        assert_eq!(
            source("{\"a\": {\"b\": \"c\"}}").as_deref(),
            Some("{\"a\": {\"b\": \"c\"}}")
        );
        assert_eq!(parsed("just text"), None);
    }

    #[test]
    fn toml_tables_become_nested_dicts() {
        let source = |text: &str| parsed(text).and_then(|data| python_source(&data, 0));
        assert_eq!(
            source("# c\nname = \"x\"\n[dev]\nhost = \"localhost\"\n[prod]\nhost = 'db.prod'\nport = 5432\n").as_deref(),
            Some("{\"name\": \"x\", \"dev\": {\"host\": \"localhost\"}, \"prod\": {\"host\": \"db.prod\", \"port\": \"5432\"}}")
        );
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
