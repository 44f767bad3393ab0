//! JSON configuration files a Node.js script loads, when an earlier step
//! wrote (or read) them, and the members the script reads of them.
//!
//! [`with_loaded_json`] writes each load of a file whose text is known as
//! the object literal the file holds: `JSON.parse(fs.readFileSync(P,
//! 'utf8'))`, `JSON.parse(await readFile(P, 'utf8'))` (directly or through
//! a name the text was bound to), `require('./config/x.json')`, `await
//! import('./x.json', { with: { type: 'json' } })` (as `{"default": ...}`)
//! and `import cfg from './x.json' with { type: 'json' }` (as `const cfg =
//! ...`). `P` is a literal or a path the path evaluator
//! (`super::super::pathexpr`) builds (`path.join(__dirname, '..',
//! 'x.json')`); `require` and `import` paths are relative to the script,
//! file reads to the working directory.
//!
//! [`with_members_read`] then writes reads of an object literal bound once
//! by `const` (`dbs['prod'].host`, `cfg.endpoint ?? 'x'`,
//! `` `${cfg.host}` ``) as the values they read, so the literal analysis of
//! `inline` sees the host, the URL or the object a name is bound to
//! (`const db = dbs['prod']` binds `db` to that object in turn).

use serde_json::Value;

use super::storage::token_starts;
use super::{Invocation, Literal, literals, storage};
use crate::commands::Arg;

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;
/// How many loads are rewritten.
const MAX_LOADS: usize = 8;
/// How many times member reads are written in (each may bind a name to
/// an object read from another).
const MAX_PASSES: usize = 4;
/// How many members one read goes through.
const MAX_STEPS: usize = 8;
/// Programs that run JavaScript or TypeScript.
const JS_PROGRAMS: &[&str] = &["node", "nodejs", "deno", "bun", "tsx", "ts-node"];
/// Callees (by how their name ends) that read a file's text.
const FILE_READS: &[&str] = &[
    "readFileSync",
    "readFile",
    "readTextFileSync",
    "readTextFile",
];

/// A Node.js script's `code` (run from `script`, with the arguments
/// `rest`) with each load of a JSON file whose text `text_of` knows (by
/// absolute path) written as the object literal it holds; `None` when
/// there is none. The code returned has the path evaluator's rewrites in
/// it.
pub(crate) fn with_loaded_json(
    inv: &Invocation<'_>,
    code: &str,
    script: &str,
    rest: &[Arg],
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let name = inv.program.rsplit('/').next().unwrap_or(inv.program);
    if !JS_PROGRAMS.contains(&name)
        || code.len() > MAX_CODE
        || !["JSON.parse(", "require(", "import"]
            .iter()
            .any(|l| code.contains(l))
    {
        return None;
    }
    let words: Vec<String> = rest.iter().map(|a| a.text.clone()).collect();
    let resolved = super::super::pathexpr::resolve(code, inv.program, &words)
        .unwrap_or_else(|| code.to_owned());
    let literals = literals(&resolved);
    let script_dir = script.rsplit_once('/').map_or(".", |(dir, _)| dir);
    let object_of = |file: &str, from_script: bool| {
        let path = if from_script && !file.starts_with('/') {
            inv.path(&format!("{script_dir}/{file}"))
        } else {
            inv.path(file)
        };
        text_of(&path).and_then(|text| object_literal(&text))
    };
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for load in loads(&resolved, &literals) {
        if replacements.len() >= MAX_LOADS {
            break;
        }
        let Some(object) = object_of(&load.file, load.from_script) else {
            continue;
        };
        let text = match load.form {
            Form::Value => object,
            Form::Module => format!("({{\"default\": {object}}})"),
            Form::Binding(name) => format!("const {name} = {object};"),
        };
        replacements.push((load.start, load.end, text));
    }
    replacements.sort_by_key(|(start, _, _)| *start);
    replacements.dedup_by_key(|(start, _, _)| *start);
    spliced(&resolved, &replacements)
}

/// What a load is written as.
enum Form {
    /// The object itself (`JSON.parse(...)`, `require(...)`).
    Value,
    /// A module namespace whose `default` is the object (`await import()`).
    Module,
    /// A `const` binding of the name (`import cfg from ...`).
    Binding(String),
}

/// One load of a file: where its text starts and ends, the file, whether
/// the file is relative to the script, and what it is written as.
struct Load {
    start: usize,
    end: usize,
    file: String,
    from_script: bool,
    form: Form,
}

/// Every load of a JSON file in `code` whose file is a literal.
fn loads(code: &str, literals: &[Literal]) -> Vec<Load> {
    let mut out = Vec::new();
    for (at, call) in calls(code, literals, "JSON.parse") {
        let Some((open, close)) = call else { continue };
        let argument = first_argument(code, literals, open + 1, close);
        if let Some(file) = file_read(code, literals, argument, at, 0) {
            out.push(Load {
                start: at,
                end: close + 1,
                file,
                from_script: false,
                form: Form::Value,
            });
        }
    }
    for (at, call) in calls(code, literals, "require") {
        let Some((open, close)) = call else { continue };
        let argument = first_argument(code, literals, open + 1, close);
        if let Some(file) = json_module(code, literals, argument) {
            out.push(Load {
                start: at,
                end: close + 1,
                file,
                from_script: true,
                form: Form::Value,
            });
        }
    }
    for (at, call) in calls(code, literals, "import") {
        let Some((open, close)) = call else { continue };
        let argument = first_argument(code, literals, open + 1, close);
        let options = code.get(argument.1..close).unwrap_or_default();
        let Some(file) = json_module(code, literals, argument).filter(|_| options.contains("json"))
        else {
            continue;
        };
        let before = code.get(..at).unwrap_or_default().trim_end();
        let start = before
            .strip_suffix("await")
            .filter(|b| b.chars().next_back().is_none_or(|c| !storage::is_ident(c)))
            .map_or(at, str::len);
        // `(await import(...)).default` is the object itself.
        let paren = code.get(..start).unwrap_or_default().trim_end();
        let after = skip_space(code, close + 1);
        let default = paren.ends_with('(')
            && code
                .get(after..)
                .is_some_and(|r| r.starts_with(").default") && whole_name(r, 2, "default"));
        let (start, end, form) = if default {
            (paren.len() - 1, after + ").default".len(), Form::Value)
        } else {
            (start, close + 1, Form::Module)
        };
        out.push(Load {
            start,
            end,
            file,
            from_script: true,
            form,
        });
    }
    out.extend(static_imports(code, literals));
    out
}

/// Each call of `callee` in code (not in a literal, not a member of
/// another name): where it starts, and its parentheses.
fn calls(code: &str, literals: &[Literal], callee: &str) -> Vec<(usize, Option<(usize, usize)>)> {
    code.match_indices(callee)
        .filter(|(at, _)| token_starts(code, *at) && !inside_literal(literals, *at))
        .filter_map(|(at, _)| {
            let open = skip_space(code, at + callee.len());
            code.get(open..)?.starts_with('(').then(|| {
                let close = storage::matching(code, literals, open);
                (at, close.map(|close| (open, close)))
            })
        })
        .collect()
}

/// `import NAME from 'P' with { type: 'json' }` (or `assert`): the whole
/// statement, as a `const` binding of NAME.
fn static_imports(code: &str, literals: &[Literal]) -> Vec<Load> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("import ") {
        if !token_starts(code, at) || inside_literal(literals, at) {
            continue;
        }
        let Some(rest) = code.get(at + "import ".len()..) else {
            continue;
        };
        let Some((name, after)) = rest.split_once(" from ") else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(storage::is_ident) {
            continue;
        }
        let from = code.len() - after.len();
        let quote = skip_space(code, from);
        let Some((_, literal)) = storage::literal_at(literals, quote) else {
            continue;
        };
        let tail = code.get(literal.end..).unwrap_or_default();
        let line_end = tail.find(['\n', ';']).unwrap_or(tail.len());
        let options = tail.get(..line_end).unwrap_or_default();
        let typed =
            (options.contains("with") || options.contains("assert")) && options.contains("json");
        if !typed || !literal.text.ends_with(".json") || literal.backtick {
            continue;
        }
        let end = literal.end
            + line_end
            + usize::from(tail.get(line_end..).is_some_and(|t| t.starts_with(';')));
        out.push(Load {
            start: at,
            end,
            file: literal.text.clone(),
            from_script: true,
            form: Form::Binding(name.to_owned()),
        });
    }
    out
}

/// The file a `require` or `import` names: a `.json` literal that is a
/// path (`./x.json`, `../x.json`, `/x.json`), not a package.
fn json_module(code: &str, literals: &[Literal], argument: (usize, usize)) -> Option<String> {
    let text = literal_text(code, literals, argument)?;
    let path = text.starts_with("./") || text.starts_with("../") || text.starts_with('/');
    (path && text.ends_with(".json")).then_some(text)
}

/// The file whose text `argument` (at `at`) is: a read of a literal
/// (`fs.readFileSync(P, 'utf8')`, `await readFile(P)`, with
/// `.toString()`), or a name bound to one before `at`.
fn file_read(
    code: &str,
    literals: &[Literal],
    argument: (usize, usize),
    at: usize,
    depth: usize,
) -> Option<String> {
    if depth > 2 {
        return None;
    }
    let (mut start, mut end) = argument;
    let expr = code.get(start..end)?;
    let trimmed = expr.strip_suffix(".toString()").unwrap_or(expr);
    end = start + trimmed.len();
    let expr = code.get(start..end)?;
    if let Some(rest) = expr.strip_prefix("await") {
        start = skip_space(code, end - rest.len());
    }
    let expr = code.get(start..end)?;
    if expr.ends_with(')') {
        let open = start + expr.find('(')?;
        let callee = code.get(start..open)?.trim_end();
        let reads = FILE_READS.iter().any(|r| {
            callee == *r
                || callee.strip_suffix(r).is_some_and(|c| {
                    c.ends_with('.') && c.chars().all(|c| storage::is_ident(c) || c == '.')
                })
        });
        let close = storage::matching(code, literals, open)?;
        if !reads || close + 1 != end {
            return None;
        }
        let first = first_argument(code, literals, open + 1, close);
        return literal_text(code, literals, first);
    }
    if expr.is_empty() || !expr.chars().all(storage::is_ident) {
        return None;
    }
    // The name's binding before the load.
    let before = code.get(..at)?;
    let (value_start, value_end) = before.rmatch_indices(expr).find_map(|(pos, _)| {
        let declared = ["const ", "let ", "var "].iter().any(|k| {
            before
                .get(..pos)
                .is_some_and(|b| b.trim_end().ends_with(k.trim_end()))
        });
        let after = skip_space(code, pos + expr.len());
        let assigns = code
            .get(after..)
            .is_some_and(|r| r.starts_with('=') && !r.starts_with("=="));
        if !(declared && assigns && token_starts(code, pos)) {
            return None;
        }
        let value_start = skip_space(code, after + 1);
        let value_end = statement_end(code, literals, value_start)?;
        Some((value_start, value_end))
    })?;
    file_read(
        code,
        literals,
        (value_start, value_end),
        value_start,
        depth + 1,
    )
}

/// The first argument among a call's arguments between `start` and
/// `end`, trimmed: where it starts and ends.
fn first_argument(code: &str, literals: &[Literal], start: usize, end: usize) -> (usize, usize) {
    let mut pos = start;
    let mut stop = end;
    while pos < end {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match code.as_bytes().get(pos) {
            Some(b'(' | b'[' | b'{') => {
                pos = storage::matching(code, literals, pos).map_or(end, |c| c + 1);
                continue;
            }
            Some(b',') => {
                stop = pos;
                break;
            }
            _ => pos += 1,
        }
    }
    let text = code.get(start..stop).unwrap_or_default();
    let lead = text.len() - text.trim_start().len();
    (start + lead, start + text.trim_end().len())
}

/// Where the expression starting at `start` ends: before its `;`, line
/// end or closing bracket, past brackets it opens.
fn statement_end(code: &str, literals: &[Literal], start: usize) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut at = start;
    while let Some(&b) = bytes.get(at) {
        if let Some((_, literal)) = storage::literal_at(literals, at) {
            at = literal.end;
            continue;
        }
        match b {
            b'(' | b'[' | b'{' => at = storage::matching(code, literals, at)? + 1,
            b';' | b'\n' | b')' | b']' | b'}' | b',' => break,
            _ => at += 1,
        }
    }
    let text = code.get(start..at)?;
    Some(start + text.trim_end().len())
}

/// The text of the one (non-template) string literal between `start` and
/// `end`.
fn literal_text(code: &str, literals: &[Literal], (start, end): (usize, usize)) -> Option<String> {
    let (_, literal) = storage::literal_at(literals, start)?;
    let whole = literal.end == end && !literal.backtick;
    let plain = !literal.backtick || !code.get(start..end)?.contains("${");
    (whole || (literal.end == end && plain)).then(|| literal.text.clone())
}

/// A JSON text as a compact object (or array) literal; `None` for any
/// other text.
fn object_literal(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    value
        .is_object()
        .then(|| serde_json::to_string(&value).ok())
        .flatten()
}

/// `code` with each `(start, end, text)` of `replacements` (in order,
/// not overlapping) written in; `None` when there is none.
fn spliced(code: &str, replacements: &[(usize, usize, String)]) -> Option<String> {
    if replacements.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    for (start, end, text) in replacements {
        if *start < copied {
            continue;
        }
        out.push_str(code.get(copied..*start)?);
        out.push_str(text);
        copied = *end;
    }
    out.push_str(code.get(copied..)?);
    Some(out)
}

/// `code` with reads of members of the JSON-shaped object literals that
/// `const` binds once (and nothing assigns into) written as the values
/// they read; `None` when there is none.
pub(super) fn with_members_read(code: &str) -> Option<String> {
    if code.len() > MAX_CODE || !code.contains("const ") {
        return None;
    }
    let mut current: Option<String> = None;
    for _ in 0..MAX_PASSES {
        let now = current.as_deref().unwrap_or(code);
        match members_read_once(now) {
            Some(next) => current = Some(next),
            None => break,
        }
    }
    current
}

/// One pass of [`with_members_read`].
fn members_read_once(code: &str) -> Option<String> {
    let literals = literals(code);
    let objects = objects(code, &literals);
    if objects.is_empty() {
        return None;
    }
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for (name, declared_at, object) in &objects {
        for (at, _) in code.match_indices(name.as_str()) {
            if at == *declared_at || !token_starts(code, at) || !whole_name(code, at, name) {
                continue;
            }
            if let Some((_, literal)) = literals
                .iter()
                .enumerate()
                .find(|(_, l)| l.start < at && at < l.end)
            {
                if literal.backtick {
                    replacements.extend(interpolation(code, literal, at, name, object));
                }
                continue;
            }
            let Some((end, value)) = read(code, &literals, at + name.len(), object) else {
                continue;
            };
            let (end, text) = with_fallback(code, &literals, end, value);
            replacements.push(as_string(code, at, end, text));
        }
    }
    replacements.sort_by_key(|(start, _, _)| *start);
    spliced(code, &replacements)
}

/// The names `const` binds to a JSON-shaped object literal, once, that
/// nothing assigns into: each with where its name is declared and the
/// object.
fn objects(code: &str, literals: &[Literal]) -> Vec<(String, usize, Value)> {
    let mut out: Vec<(String, usize, Value)> = Vec::new();
    for (at, _) in code.match_indices("const ") {
        if !token_starts(code, at) || inside_literal(literals, at) {
            continue;
        }
        let name_at = skip_space(code, at + "const ".len());
        let rest = code.get(name_at..).unwrap_or_default();
        let len = rest
            .char_indices()
            .find(|(_, c)| !storage::is_ident(*c))
            .map_or(rest.len(), |(i, _)| i);
        let name = rest.get(..len).unwrap_or_default();
        let eq = skip_space(code, name_at + len);
        if name.is_empty()
            || !code
                .get(eq..)
                .is_some_and(|r| r.starts_with('=') && !r.starts_with("=="))
        {
            continue;
        }
        let open = skip_space(code, eq + 1);
        if !code.get(open..).is_some_and(|r| r.starts_with('{')) {
            continue;
        }
        let Some(close) = storage::matching(code, literals, open) else {
            continue;
        };
        let Some(value) = code
            .get(open..=close)
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
        else {
            continue;
        };
        out.push((name.to_owned(), name_at, value));
    }
    // A name declared more than once, or assigned into, is not certain.
    let names: Vec<String> = out.iter().map(|(n, _, _)| n.clone()).collect();
    out.retain(|(name, declared_at, _)| {
        names.iter().filter(|n| *n == name).count() == 1
            && !declared_elsewhere(code, literals, name, *declared_at)
            && !assigned_into(code, literals, name, *declared_at)
    });
    out
}

/// True when `name` is declared (`let`, `var`, a parameter aside) other
/// than at `declared_at`.
fn declared_elsewhere(code: &str, literals: &[Literal], name: &str, declared_at: usize) -> bool {
    code.match_indices(name).any(|(at, _)| {
        at != declared_at
            && whole_name(code, at, name)
            && !inside_literal(literals, at)
            && ["let", "var", "const", "function"].iter().any(|k| {
                code.get(..at).map(str::trim_end).is_some_and(|b| {
                    b.strip_suffix(k).is_some_and(|b| {
                        b.chars().next_back().is_none_or(|c| !storage::is_ident(c))
                    })
                })
            })
    })
}

/// True when code assigns to `name` or one of its members (`cfg.x = 1`,
/// `cfg[k] ??= v`, `Object.assign(cfg, ...)`, `delete cfg.x`) after its
/// declaration at `declared_at`.
fn assigned_into(code: &str, literals: &[Literal], name: &str, declared_at: usize) -> bool {
    code.match_indices(name).any(|(at, _)| {
        if at == declared_at
            || !token_starts(code, at)
            || !whole_name(code, at, name)
            || inside_literal(literals, at)
        {
            return false;
        }
        let before = code.get(..at).unwrap_or_default().trim_end();
        if before.ends_with("Object.assign(") || before.ends_with("delete") {
            return true;
        }
        let end = chain_end(code, literals, at + name.len());
        let after = code.get(skip_space(code, end)..).unwrap_or_default();
        let assigns = ["=", "+=", "-=", "??=", "||=", "&&=", "++", "--"]
            .iter()
            .any(|op| after.starts_with(op));
        assigns && !after.starts_with("==") && !after.starts_with("=>")
    })
}

/// Just past the member chain (`.a`, `?.a`, `[...]`) starting at `pos`.
fn chain_end(code: &str, literals: &[Literal], pos: usize) -> usize {
    let mut at = pos;
    loop {
        let rest = code.get(at..).unwrap_or_default();
        if let Some(member) = rest.strip_prefix("?.").or_else(|| rest.strip_prefix('.')) {
            let len = member
                .char_indices()
                .find(|(_, c)| !storage::is_ident(*c))
                .map_or(member.len(), |(i, _)| i);
            if len == 0 {
                return at;
            }
            at += rest.len() - member.len() + len;
        } else if rest.starts_with('[') {
            match storage::matching(code, literals, at) {
                Some(close) => at = close + 1,
                None => return at,
            }
        } else {
            return at;
        }
    }
}

/// A read of `object`'s members by the chain starting at `pos`: just past
/// the members it goes through, and the value (`None`: a member it does
/// not have, `undefined`). `None` when no member is read.
fn read(
    code: &str,
    literals: &[Literal],
    pos: usize,
    object: &Value,
) -> Option<(usize, Option<Value>)> {
    let mut at = pos;
    let mut value = object.clone();
    let mut steps = 0;
    while steps < MAX_STEPS && (value.is_object() || value.is_array()) {
        let rest = code.get(at..)?;
        let (key, next) =
            if let Some(member) = rest.strip_prefix("?.").or_else(|| rest.strip_prefix('.')) {
                let len = member
                    .char_indices()
                    .find(|(_, c)| !storage::is_ident(*c))
                    .map_or(member.len(), |(i, _)| i);
                let key = member.get(..len)?;
                if key.is_empty() || key.starts_with(|c: char| c.is_ascii_digit()) {
                    break;
                }
                (key.to_owned(), at + rest.len() - member.len() + len)
            } else if rest.starts_with('[') {
                let close = storage::matching(code, literals, at)?;
                let inner = code.get(at + 1..close)?.trim();
                let key = match storage::literal_at(literals, skip_space(code, at + 1)) {
                    Some((_, l)) if !l.backtick && code.get(l.start..l.end) == Some(inner) => {
                        l.text.clone()
                    }
                    _ if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) => {
                        inner.to_owned()
                    }
                    _ => break,
                };
                (key, close + 1)
            } else {
                break;
            };
        // A method of the object, not a member it holds.
        if code
            .get(next..)
            .is_some_and(|r| r.trim_start().starts_with('('))
        {
            break;
        }
        let member = match &value {
            Value::Object(map) => map.get(&key).cloned(),
            Value::Array(items) => match key.parse::<usize>() {
                Ok(index) => items.get(index).cloned(),
                // `.length` and other members every array has.
                Err(_) => break,
            },
            _ => None,
        };
        steps += 1;
        at = next;
        match member {
            Some(Value::Null) | None => return Some((at, None)),
            Some(member) => value = member,
        }
    }
    (steps > 0).then_some((at, Some(value)))
}

/// A value read, written as JavaScript, with a `?? X` or `|| X` after it
/// decided (`cfg.port ?? 5432`): just past what it stands for, and its
/// text.
pub(super) fn with_fallback(
    code: &str,
    literals: &[Literal],
    end: usize,
    value: Option<Value>,
) -> (usize, String) {
    let own = value
        .as_ref()
        .and_then(|v| serde_json::to_string(v).ok())
        .unwrap_or_else(|| "undefined".to_owned());
    let op_at = skip_space(code, end);
    let rest = code.get(op_at..).unwrap_or_default();
    let Some(op) = ["??", "||"].into_iter().find(|op| rest.starts_with(op)) else {
        return (end, own);
    };
    let operand_at = skip_space(code, op_at + op.len());
    let operand_end = match storage::literal_at(literals, operand_at) {
        Some((_, l)) if !l.backtick => l.end,
        _ => {
            let tail = code.get(operand_at..).unwrap_or_default();
            operand_at
                + tail
                    .char_indices()
                    .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '_'))
                    .map_or(tail.len(), |(i, _)| i)
        }
    };
    let follows = code
        .get(skip_space(code, operand_end)..)
        .unwrap_or_default();
    let simple = operand_end > operand_at
        && (follows.is_empty() || follows.starts_with([')', ',', ';', '\n', ']', '}']));
    if !simple {
        return (end, own);
    }
    let kept = match (op, &value) {
        ("??", Some(_)) => true,
        ("||", Some(v)) => truthy(v),
        _ => false,
    };
    if kept {
        (operand_end, own)
    } else {
        let operand = code.get(operand_at..operand_end).unwrap_or_default();
        (operand_end, operand.to_owned())
    }
}

/// A value read at `start..end`, written as `text`, with a `String(...)`
/// call around it written as the string it makes (`String(db.port ??
/// 5432)` is `"5432"`).
fn as_string(code: &str, start: usize, end: usize, text: String) -> (usize, usize, String) {
    let before = code.get(..start).unwrap_or_default().trim_end();
    let call = before.strip_suffix("String(").filter(|b| {
        b.chars()
            .next_back()
            .is_none_or(|c| !storage::is_ident(c) && c != '.')
    });
    let close = skip_space(code, end);
    let (Some(call), true) = (call, code.get(close..).is_some_and(|r| r.starts_with(')'))) else {
        return (start, end, text);
    };
    let string = if text.starts_with(['"', '\'']) {
        text
    } else if text.starts_with(['{', '[']) {
        return (start, end, text);
    } else {
        serde_json::to_string(&text).unwrap_or_else(|_| "\"\"".to_owned())
    };
    (call.len(), close + 1, string)
}

/// Whether a JSON value counts as true in JavaScript.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// The `${NAME.member}` hole of a template literal at `at` (the name's
/// start), written as the scalar text it reads.
fn interpolation(
    code: &str,
    literal: &Literal,
    at: usize,
    name: &str,
    object: &Value,
) -> Option<(usize, usize, String)> {
    let hole = at.checked_sub(2)?;
    if code.get(hole..at) != Some("${") {
        return None;
    }
    let close = hole + code.get(hole..literal.end)?.find('}')?;
    let inner = code.get(at..close)?;
    let inner_literals = literals(inner);
    let (end, value) = read(inner, &inner_literals, name.len(), object)?;
    if end != inner.trim_end().len() {
        return None;
    }
    let text = match value? {
        Value::String(s) => s,
        v @ (Value::Number(_) | Value::Bool(_)) => v.to_string(),
        _ => return None,
    };
    let escaped = text
        .replace('\\', "\\\\")
        .replace('`', "\\`")
        .replace("${", "\\${");
    Some((hole, close + 1, escaped))
}

/// True when `pos` is inside (or starts) a string literal.
fn inside_literal(literals: &[Literal], pos: usize) -> bool {
    literals.iter().any(|l| l.start <= pos && pos < l.end)
}

/// True when `name` at `pos` is not the start of a longer name.
fn whole_name(code: &str, pos: usize, name: &str) -> bool {
    code.get(pos + name.len()..)
        .and_then(|r| r.chars().next())
        .is_none_or(|c| !storage::is_ident(c))
}

/// `code` from `pos` past spaces.
fn skip_space(code: &str, pos: usize) -> usize {
    let rest = code.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_of_a_bound_object_are_read() {
        let code = "const dbs = {\"prod\": {\"host\": \"h\"}};\nconst db = dbs['prod'];\nrun(db.host, db.port ?? 5432, db.user || 'u');\n";
        let read = with_members_read(code).unwrap_or_default();
        assert!(read.contains("run(\"h\", 5432, 'u')"), "{read}");
    }

    #[test]
    fn objects_assigned_into_are_not_read() {
        let code = "const cfg = {\"a\": \"x\"};\ncfg.a = 'y';\nrun(cfg.a);\n";
        assert_eq!(with_members_read(code), None);
    }
}
