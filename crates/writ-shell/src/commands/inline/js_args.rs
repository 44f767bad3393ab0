//! The values a Node.js script's own command line gives the names it reads
//! its options from, and the branches those values rule out.
//!
//! `const { values } = parseArgs({ options: { branch: { type: 'string',
//! short: 'b', default: 'main' }, 'skip-tests': { type: 'boolean' } } })`
//! binds `values.branch` (and `values['branch']`) to what `--branch X`,
//! `--branch=X` or `-b X` gives, else its `default` (else `undefined`),
//! and a boolean option to whether it is given. `process.argv[2]` is the
//! script's first argument and `process.argv.includes('--post')` whether
//! that word is one. Each such read is written as the literal it is
//! (inside a template literal, `${values.branch}` as its text), so the
//! literal analysis of `inline` sees the branch pushed. Reads of members
//! of object literals `const` binds (configuration files loaded as them)
//! are then written as the values they read ([`super::js_config`]), with
//! the option values in (`dbs[values.env].host`).
//!
//! Conditions made of those literals (`if (!values['skip-tests'])`, `if
//! (values.env === 'prod')`, with `!`, `&&`, `||` and `===`/`!==`/`==`/
//! `!=`) then decide the branch that runs, as [`super::py_branches`] does
//! for Python: the branch that cannot run is blanked (its text replaced by
//! spaces, so every other offset stays), and so is the rest of the
//! enclosing block after a branch that surely runs and ends the script or
//! function (`process.exit(0)`, `return`, `throw`).
//!
//! yargs' and commander's options are read the same way
//! ([`super::js_cli`]): `argv.target` of `const argv = yargs(...).option(
//! 'target', {...}).parseSync()`, `opts.dryRun` of `program.option(
//! '--dry-run')` read through `const opts = program.opts()`.
//!
//! Deno's `Deno.args` (the script's words) and Bun's `Bun.argv` (its
//! whole command line) are read as the `process.argv` reads they are
//! (`Deno.args[0]` as `process.argv[2]`, `const [file, dest] = Deno.args`
//! as `... = process.argv.slice(2)`), destructuring included
//! ([`super::positionals`]).
//!
//! Only certain values are written in: an argument whose text is not
//! known, a word that looks like an option `parseArgs` was not told of
//! (or combined short flags, `-ab`) leaves the options unbound, and a
//! condition with any other part keeps both branches.

use super::{
    Invocation, Literal, argv_index, js_cli, js_config, literals, positionals, storage, zx,
};
use storage::token_starts;

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;
/// How many options are read.
const MAX_OPTIONS: usize = 64;
/// How deep conditions nest (`!(a && (b || c))`).
const MAX_DEPTH: usize = 8;
/// Programs that run JavaScript or TypeScript.
const JS_PROGRAMS: &[&str] = &["node", "nodejs", "deno", "bun", "tsx", "ts-node"];

/// A value the command line gives.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    Text(String),
    Flag(bool),
    Undefined,
}

/// An option a parser is told of: its long spelling (`--name`), whether
/// it is a flag, its one-letter spelling and its default.
pub(super) struct OptionSpec {
    pub(super) name: String,
    pub(super) boolean: bool,
    pub(super) short: Option<String>,
    pub(super) default: Option<Value>,
}

/// A command-line parser's options and the names its values are read
/// through (`values`, `argv`, `opts`, `program.opts()`); `camel`: each
/// dashed option is read camel-cased too (`dryRun` for `--dry-run`).
pub(super) struct CliParser {
    pub(super) holders: Vec<String>,
    pub(super) options: Vec<OptionSpec>,
    pub(super) camel: bool,
}

/// `code` with the reads of its command line written as their values and
/// the branches those values rule out blanked; `None` when nothing
/// changes. `original` is the code as given on the command line (its
/// arguments follow it).
pub(super) fn bound(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    let name = inv.program.rsplit('/').next().unwrap_or(inv.program);
    if !JS_PROGRAMS.contains(&name) || code.len() > MAX_CODE {
        return None;
    }
    // Shorthand properties written out, whatever the command line says.
    let expanded = expand_shorthand(code);
    let code = expanded.as_deref().unwrap_or(code);
    let Some(at) = inv.args.iter().position(|a| a.text == original) else {
        return expanded;
    };
    let rest = inv.args.get(at + 1..).unwrap_or_default();
    let first_word = if evaluates(inv, at) { 1 } else { 2 };
    // Arguments not known bind nothing, but members may still be read.
    let dynamic = rest.iter().any(|a| a.dynamic);
    // Deno's and Bun's reads of the command line, as Node's, and their
    // destructuring bound.
    let runtime = runtime_argv(name, code);
    let positioned = runtime
        .as_deref()
        .and_then(|text| positionals::bound(inv, original, text))
        .or(runtime);
    // Declarations of several names (as a destructuring is bound), one
    // name each.
    let prepared = split_declarations(positioned.as_deref().unwrap_or(code)).or(positioned);
    let code = prepared.as_deref().unwrap_or(code);
    let substituted = if dynamic {
        None
    } else {
        let words: Vec<String> = rest.iter().map(|a| a.text.clone()).collect();
        let zx = zx::runs_zx(inv, code);
        substitute(code, &words, first_word, zx)
    };
    let code_now = substituted.as_deref().unwrap_or(code);
    // Members of object literals (configuration files loaded as them:
    // `super::js_config`), read with the values now written in.
    let read = js_config::with_members_read(code_now);
    if dynamic && read.is_none() {
        return prepared.or(expanded);
    }
    let code_now = read.as_deref().unwrap_or(code_now);
    let pruned = prune(code_now);
    pruned.or(read).or(substituted).or(prepared).or(expanded)
}

/// True when Node runs the code at argument `at` as `-e CODE` or `-p
/// CODE`, which have no script: their words start at `process.argv[1]`
/// (a script's at `process.argv[2]`). A script file whose text is known is
/// handed here as `-e TEXT` too, so the code must have been written on
/// the command line: single-quoted there, or one line.
fn evaluates(inv: &Invocation<'_>, at: usize) -> bool {
    let flag = at.checked_sub(1).and_then(|i| inv.args.get(i));
    let typed = inv
        .args
        .get(at)
        .is_some_and(|code| code.quoted || !code.text.trim_end().contains('\n'));
    matches!(inv.program, "node" | "nodejs") && flag.is_some_and(|f| is_eval_flag(&f.text)) && typed
}

/// True for Node's flags that take the code to run (`-e`, `--eval`, `-p`,
/// `--print`, combined `-pe`).
fn is_eval_flag(word: &str) -> bool {
    matches!(word, "--eval" | "--print")
        || word
            .strip_prefix('-')
            .is_some_and(|f| !f.is_empty() && f.chars().all(|c| c == 'e' || c == 'p'))
}

/// `code` with each shorthand property of its object literals (`{ Bucket,
/// Key: k }`) written out (`{ Bucket: Bucket, Key: k }`), the form the
/// path evaluator reads (it writes a bound name as its value, and a
/// shorthand's name is also its key); `None` when there is none. A `{`
/// opens an object literal (or a pattern, where the long form means the
/// same) after `(`, `,`, `=`, `:`, `[`, `?` or `return`; its entries
/// are split at commas, and one that is a bare name is a shorthand. A
/// block (`if (x) { y }`, `=> { y }`) is none.
fn expand_shorthand(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut replacements = Vec::new();
    for (open, _) in code.match_indices('{') {
        if storage::in_literal(&literals, open) {
            continue;
        }
        let before = code.get(..open).unwrap_or_default().trim_end();
        // Not a declaration's pattern either (`const { values } =
        // parseArgs(...)`): its readers take it as written.
        let opens_object = before.ends_with(['(', ',', ':', '[', '?'])
            || (before.ends_with('=') && !before.ends_with("=>"))
            || (before.ends_with("return") && token_starts(before, before.len() - "return".len()));
        if !opens_object {
            continue;
        }
        let Some(close) = storage::matching(code, &literals, open) else {
            continue;
        };
        let mut pos = open + 1;
        while pos < close {
            let Some(end) = next_entry(code, &literals, pos, close) else {
                break;
            };
            let entry = code.get(pos..end).unwrap_or_default();
            let name = entry.trim();
            let is_name = !name.is_empty()
                && name.chars().all(storage::is_ident)
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && !entry.contains(';');
            if is_name {
                let at = pos + entry.find(name).unwrap_or_default();
                replacements.push((at, at + name.len(), format!("{name}: {name}")));
            }
            pos = end + 1;
        }
    }
    storage::replaced(code, replacements)
}

/// `code` with each declaration of several names (`const a = "x", b =
/// "y";`, as [`positionals`] writes a destructuring) written as one
/// declaration per name (`const a = "x"; const b = "y";`), the form the
/// path evaluator reads; `None` when there is none.
fn split_declarations(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut replacements = Vec::new();
    for keyword in ["const ", "let ", "var "] {
        for (at, _) in code.match_indices(keyword) {
            if !token_starts(code, at) || literals.iter().any(|l| l.start <= at && at < l.end) {
                continue;
            }
            let start = at + keyword.len();
            let Some(end) = declaration_end(code, &literals, start) else {
                continue;
            };
            let Some(text) = code.get(start..end) else {
                continue;
            };
            let mut declarators = Vec::new();
            let mut piece = start;
            while piece < end {
                let Some(piece_end) = next_entry(code, &literals, piece, end) else {
                    break;
                };
                declarators.push(code.get(piece..piece_end).unwrap_or_default().trim());
                piece = piece_end + 1;
            }
            let simple = declarators.iter().all(|d| {
                d.split_once('=').is_some_and(|(name, value)| {
                    let name = name.trim();
                    !name.is_empty()
                        && name.chars().all(storage::is_ident)
                        && !value.trim().is_empty()
                        && !value.starts_with(['=', '>'])
                })
            });
            if declarators.len() < 2 || !simple || text.trim().is_empty() {
                continue;
            }
            let joined = declarators.join(&format!("; {keyword}"));
            replacements.push((start, end, joined));
        }
    }
    storage::replaced(code, replacements)
}

/// Where the declaration whose names start at `start` ends: its `;`, or
/// the end of a line that does not go on (after `,` or `=`).
fn declaration_end(code: &str, literals: &[Literal], start: usize) -> Option<usize> {
    storage::statement_end_where(code, literals, start, |line_end| {
        code.get(start..line_end)
            .is_some_and(|before| before.trim_end().ends_with([',', '=']))
    })
}

/// The command-line reads of Deno's and Bun's own objects, as Node's:
/// Deno's `Deno.args` holds the script's words (`Deno.args[0]` is
/// `process.argv[2]`; the whole is `process.argv.slice(2)`, and whether
/// it includes a word is whether the command line does), Bun's `Bun.argv`
/// is `process.argv`. `None` when the code reads neither.
fn runtime_argv(program: &str, code: &str) -> Option<String> {
    let reads: &[(&str, bool)] = match program {
        "deno" => &[("Deno.args", true)],
        "bun" => &[("Bun.argv", false)],
        _ => return None,
    };
    let literals = literals(code);
    let mut replacements = Vec::new();
    for (read, words_only) in reads {
        for (at, _) in code.match_indices(read) {
            let end = at + read.len();
            let whole = token_starts(code, at)
                && code
                    .get(end..)
                    .and_then(|r| r.chars().next())
                    .is_none_or(|c| !storage::is_ident(c));
            if !whole || literals.iter().any(|l| l.start <= at && at < l.end) {
                continue;
            }
            let rest = code.get(end..).unwrap_or_default();
            let index = rest
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .and_then(|(n, _)| n.trim().parse::<usize>().ok().map(|i| (i, n.len() + 2)));
            let (with, until) = match index {
                Some((index, len)) if *words_only => {
                    (format!("process.argv[{}]", index + 2), end + len)
                }
                _ if *words_only && !rest.starts_with(".includes(") => {
                    ("process.argv.slice(2)".to_owned(), end)
                }
                _ => ("process.argv".to_owned(), end),
            };
            replacements.push((at, until, with));
        }
    }
    storage::replaced(code, replacements)
}

/// `code` with its reads of options and `process.argv` written as values;
/// `zx`: the code is a zx script, whose global `argv` holds its options.
fn substitute(code: &str, words: &[String], first_word: usize, zx: bool) -> Option<String> {
    let literals = literals(code);
    let mut reads: Vec<(String, Value)> = Vec::new();
    let mut parsers = js_cli::parsers(code, &literals);
    if zx && let Some(parser) = zx::argv_parser(code, &literals, words) {
        parsers.push(parser);
    }
    if let Some((holder, options)) = parse_args(code, &literals) {
        parsers.push(CliParser {
            holders: vec![holder],
            options,
            camel: false,
        });
    }
    for parser in parsers {
        let Some(values) = given(&parser.options, words) else {
            continue;
        };
        for (option, value) in parser.options.iter().zip(values) {
            for holder in &parser.holders {
                reads.extend(option_reads(holder, &option.name, parser.camel, &value));
            }
        }
    }
    if code.contains("process.argv") {
        // The word after an option looked up (`argv[argv.indexOf('-x') + 1]`).
        reads.extend(argv_index::reads(code, &literals, words));
        for (index, word) in words.iter().enumerate().take(MAX_OPTIONS) {
            reads.push((
                format!("process.argv[{}]", index + first_word),
                Value::Text(word.clone()),
            ));
        }
        for literal in code
            .match_indices("process.argv.includes(")
            .filter_map(|(at, m)| literals.iter().find(|l| l.start == at + m.len()))
        {
            let closes = code.get(literal.end..).is_some_and(|r| r.starts_with(')'));
            if closes {
                let given = words.contains(&literal.text);
                let quoted = code.get(literal.start..literal.end).unwrap_or_default();
                reads.push((
                    format!("process.argv.includes({quoted})"),
                    Value::Flag(given),
                ));
            }
        }
    }
    if reads.is_empty() {
        return None;
    }
    write_reads(code, &literals, &reads)
}

/// The reads of option `name`'s value through `holder`, each with it:
/// `holder.name` (camel-cased too with `camel`), `holder['name']`.
fn option_reads(holder: &str, name: &str, camel: bool, value: &Value) -> Vec<(String, Value)> {
    let mut reads = Vec::new();
    if name.chars().all(storage::is_ident) {
        reads.push((format!("{holder}.{name}"), value.clone()));
    }
    if camel && name.contains('-') {
        reads.push((format!("{holder}.{}", camel_case(name)), value.clone()));
    }
    reads.push((format!("{holder}['{name}']"), value.clone()));
    reads.push((format!("{holder}[\"{name}\"]"), value.clone()));
    reads
}

/// `dry-run` as `dryRun`.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The name `parseArgs`' values are read through (`values` for `const {
/// values } = parseArgs(...)`, `opts` for `{ values: opts }`, `args.values`
/// for `const args = parseArgs(...)`) and the options it is told of.
fn parse_args(code: &str, literals: &[Literal]) -> Option<(String, Vec<OptionSpec>)> {
    let (call, _) = code
        .match_indices("parseArgs(")
        .find(|(at, _)| storage::literal_at(literals, *at).is_none() && token_starts(code, *at))?;
    let open = call + "parseArgs".len();
    let close = storage::matching(code, literals, open)?;
    let before = code.get(..call)?.trim_end().strip_suffix('=')?.trim_end();
    let holder = if let Some(pattern) = before.strip_suffix('}') {
        let brace = pattern.rfind('{')?;
        let inner = pattern.get(brace + 1..)?;
        let entry = inner
            .split(',')
            .map(str::trim)
            .find(|e| e.starts_with("values"))?;
        match entry.split_once(':') {
            Some((_, alias)) => alias.trim().to_owned(),
            None => "values".to_owned(),
        }
    } else {
        let name_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !storage::is_ident(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let name = before.get(name_start..)?;
        format!("{name}.values")
    };
    if holder.is_empty() || !holder.chars().all(|c| storage::is_ident(c) || c == '.') {
        return None;
    }
    let body = code.get(open..=close)?;
    let options_at = open + body.find("options")?;
    let brace = options_at + code.get(options_at..)?.find('{')?;
    let brace_end = storage::matching(code, literals, brace)?;
    let mut options = Vec::new();
    let mut pos = brace + 1;
    while pos < brace_end && options.len() < MAX_OPTIONS {
        let entry_end = next_entry(code, literals, pos, brace_end)?;
        if let Some(option) = option_spec(code, literals, pos, entry_end) {
            options.push(option);
        } else if !code.get(pos..entry_end)?.trim().is_empty() {
            return None;
        }
        pos = entry_end + 1;
    }
    (!options.is_empty()).then_some((holder, options))
}

/// Where the entry of an object literal starting at `pos` ends (its `,` or
/// the object's closing brace at `end`).
pub(super) fn next_entry(
    code: &str,
    literals: &[Literal],
    pos: usize,
    end: usize,
) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut at = pos;
    while at < end {
        if let Some((_, literal)) = storage::literal_at(literals, at) {
            at = literal.end;
            continue;
        }
        match bytes.get(at)? {
            b'{' | b'[' | b'(' => at = storage::matching(code, literals, at)? + 1,
            b',' => return Some(at),
            _ => at += 1,
        }
    }
    Some(end)
}

/// One option's entry, `name: { type: 'string', short: 'b', default: 'x' }`.
fn option_spec(code: &str, literals: &[Literal], start: usize, end: usize) -> Option<OptionSpec> {
    let entry = code.get(start..end)?;
    let colon = start + entry.find(':')?;
    let key = code.get(start..colon)?.trim();
    let name = key.trim_matches(|c| c == '\'' || c == '"').to_owned();
    if name.is_empty() || name.contains(['\'', '"', ' ']) {
        return None;
    }
    let brace = colon + code.get(colon..end)?.find('{')?;
    let fields = object_fields(code, literals, brace)?;
    let field = |k: &str| field(&fields, k);
    let boolean = match field("type")? {
        Value::Text(t) if t == "boolean" => true,
        Value::Text(t) if t == "string" => false,
        _ => return None,
    };
    // Options given more than once are arrays: not read.
    if field("multiple").is_some_and(|m| m != Value::Flag(false)) {
        return None;
    }
    let short = match field("short") {
        Some(Value::Text(s)) => Some(s),
        Some(_) => return None,
        None => None,
    };
    let default = match field("default") {
        Some(Value::Undefined) => return None,
        other => other,
    };
    Some(OptionSpec {
        name,
        boolean,
        short,
        default,
    })
}

/// The fields of the object literal whose `{` is at `brace`, each with
/// its value: a string literal, `true` or `false`; anything else is
/// `Undefined`.
pub(super) fn object_fields(
    code: &str,
    literals: &[Literal],
    brace: usize,
) -> Option<Vec<(String, Value)>> {
    let brace_end = storage::matching(code, literals, brace)?;
    let mut fields: Vec<(String, Value)> = Vec::new();
    let mut pos = brace + 1;
    while pos < brace_end {
        let field_end = next_entry(code, literals, pos, brace_end)?;
        let field = code.get(pos..field_end)?;
        if let Some((key, value)) = field.split_once(':') {
            let value = value.trim();
            let value = match value {
                "true" => Value::Flag(true),
                "false" => Value::Flag(false),
                _ => literals
                    .iter()
                    .find(|l| {
                        code.get(l.start..l.end) == Some(value)
                            && l.start >= pos
                            && l.end <= field_end
                    })
                    .filter(|l| !l.backtick)
                    .map_or(Value::Undefined, |l| Value::Text(l.text.clone())),
            };
            let key = key.trim().trim_matches(|c| c == '\'' || c == '"');
            fields.push((key.to_owned(), value));
        }
        pos = field_end + 1;
    }
    Some(fields)
}

/// The value of field `key` among `fields`.
pub(super) fn field(fields: &[(String, Value)], key: &str) -> Option<Value> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

/// The value of each option that `words` give, in order; `None` when a
/// word may be an option not read.
fn given(options: &[OptionSpec], words: &[String]) -> Option<Vec<Value>> {
    let mut values: Vec<Option<Value>> = vec![None; options.len()];
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if word == "--" {
            break;
        }
        let Some(flag) = word.strip_prefix('-') else {
            continue;
        };
        if flag.is_empty() {
            continue;
        }
        let (spelling, inline) = match word.split_once('=') {
            Some((s, v)) if word.starts_with("--") => (s, Some(v.to_owned())),
            _ => (word.as_str(), None),
        };
        let index = options.iter().position(|o| {
            spelling.strip_prefix("--") == Some(o.name.as_str())
                || o.short
                    .as_deref()
                    .is_some_and(|s| spelling.strip_prefix('-') == Some(s))
        })?;
        let option = options.get(index)?;
        let value = if option.boolean {
            if inline.is_some() {
                return None;
            }
            Value::Flag(true)
        } else {
            match inline {
                Some(v) => Value::Text(v),
                None => Value::Text(iter.next()?.clone()),
            }
        };
        *values.get_mut(index)? = Some(value);
    }
    Some(
        values
            .into_iter()
            .zip(options)
            .map(|(v, o)| v.or_else(|| o.default.clone()).unwrap_or(Value::Undefined))
            .collect(),
    )
}

/// `code` with each of `reads` written as its value: a JavaScript literal
/// in code, the text itself where a template literal interpolates it
/// alone (`${values.branch}`).
fn write_reads(code: &str, literals: &[Literal], reads: &[(String, Value)]) -> Option<String> {
    let mut out = String::with_capacity(code.len());
    let mut pos = 0;
    let mut changed = false;
    while pos < code.len() {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            let text = code.get(literal.start..literal.end)?;
            if literal.backtick {
                let (written, any) = interpolated(text, reads);
                changed |= any;
                out.push_str(&written);
            } else {
                out.push_str(text);
            }
            pos = literal.end;
            continue;
        }
        let found = token_starts(code, pos)
            .then(|| {
                reads.iter().find(|(read, _)| {
                    code.get(pos..)
                        .is_some_and(|r| r.starts_with(read.as_str()))
                        && code
                            .get(pos + read.len()..)
                            .and_then(|r| r.chars().next())
                            .is_none_or(|c| !storage::is_ident(c))
                })
            })
            .flatten();
        if let Some((read, value)) = found {
            // A `?? X` or `|| X` after the read, decided by its value.
            let end = pos + read.len();
            let (until, decided) = js_config::with_fallback(code, literals, end, as_json(value));
            if until == end {
                out.push_str(&rendered(value));
            } else {
                out.push_str(&decided);
            }
            pos = until;
            changed = true;
            continue;
        }
        let c = code.get(pos..)?.chars().next()?;
        out.push(c);
        pos += c.len_utf8();
    }
    changed.then_some(out)
}

/// A template literal's text with each `${READ}` of `reads` written as the
/// text it is; whether any was.
fn interpolated(text: &str, reads: &[(String, Value)]) -> (String, bool) {
    let mut out = text.to_owned();
    let mut any = false;
    for (read, value) in reads {
        let hole = format!("${{{read}}}");
        if out.contains(&hole) {
            let with = match value {
                Value::Text(t) => t
                    .replace('\\', "\\\\")
                    .replace('`', "\\`")
                    .replace("${", "\\${"),
                Value::Flag(b) => b.to_string(),
                Value::Undefined => "undefined".to_owned(),
            };
            out = out.replace(&hole, &with);
            any = true;
        }
    }
    (out, any)
}

/// A value as the JSON value it reads as (`undefined`: none).
fn as_json(value: &Value) -> Option<serde_json::Value> {
    match value {
        Value::Text(t) => Some(serde_json::Value::String(t.clone())),
        Value::Flag(b) => Some(serde_json::Value::Bool(*b)),
        Value::Undefined => None,
    }
}

/// A value as a JavaScript literal.
fn rendered(value: &Value) -> String {
    match value {
        Value::Text(t) => format!(
            "'{}'",
            t.replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace('\n', "\\n")
        ),
        Value::Flag(b) => b.to_string(),
        Value::Undefined => "undefined".to_owned(),
    }
}

/// `code` with the branches of `if` statements whose conditions are
/// certain blanked; `None` when none is.
fn prune(code: &str) -> Option<String> {
    let literals = literals(code);
    let constants = constants(code, &literals);
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    while let Some(found) = code.get(pos..).and_then(|r| r.find("if")) {
        let at = pos + found;
        pos = at + 2;
        if blanks.iter().any(|(s, e)| *s <= at && at < *e)
            || storage::literal_at(&literals, at).is_some()
            || literals.iter().any(|l| l.start < at && at < l.end)
            || !token_starts(code, at)
        {
            continue;
        }
        let open = skip_space(code, at + 2);
        if !code.get(open..).is_some_and(|r| r.starts_with('(')) {
            continue;
        }
        let Some(close) = storage::matching(code, &literals, open) else {
            continue;
        };
        let Some(condition) = code.get(open + 1..close) else {
            continue;
        };
        let Some(holds) = evaluate(condition, &constants).map(|v| truthy(&v)) else {
            continue;
        };
        let then_start = skip_space(code, close + 1);
        let Some(then_end) = statement_end(code, &literals, then_start) else {
            continue;
        };
        let after = skip_space(code, then_end);
        let has_else = code.get(after..).is_some_and(|r| r.starts_with("else"))
            && code
                .get(after + 4..)
                .and_then(|r| r.chars().next())
                .is_none_or(|c| !storage::is_ident(c));
        let else_end = if has_else {
            statement_end(code, &literals, skip_space(code, after + 4))
        } else {
            None
        };
        if has_else && else_end.is_none() {
            continue;
        }
        if holds {
            if let Some(end) = else_end {
                blanks.push((then_end, end));
            }
            let body = code.get(then_start..then_end).unwrap_or_default();
            if ends_run(body) {
                let from = else_end.unwrap_or(then_end);
                blanks.push((from, block_end(code, &literals, from)));
            }
        } else if has_else {
            blanks.push((at, after + 4));
        } else {
            blanks.push((at, then_end));
        }
    }
    if blanks.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    for (i, c) in code.char_indices() {
        if c != '\n' && blanks.iter().any(|(s, e)| *s <= i && i < *e) {
            out.push_str(&" ".repeat(c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// The names `const` binds once to a literal value (`const post = false;`,
/// written in by [`substitute`]).
fn constants(code: &str, literals: &[Literal]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("const ") {
        if !token_starts(code, at) || literals.iter().any(|l| l.start <= at && at < l.end) {
            continue;
        }
        let Some(rest) = code.get(at + "const ".len()..) else {
            continue;
        };
        let Some((name, value)) = rest.split_once('=') else {
            continue;
        };
        let name = name.trim();
        let value = value.split(['\n', ';']).next().unwrap_or_default().trim();
        if name.is_empty() || !name.chars().all(storage::is_ident) || value.starts_with(['=', '>'])
        {
            continue;
        }
        if let Some([Token::Value(v)]) = tokens(value).as_deref() {
            out.push((name.to_owned(), v.clone()));
        }
    }
    // A name bound in more than one scope is not certain.
    let names: Vec<String> = out.iter().map(|(n, _)| n.clone()).collect();
    out.retain(|(n, _)| names.iter().filter(|m| *m == n).count() == 1);
    out
}

/// True when a branch's text ends the script or its function.
fn ends_run(body: &str) -> bool {
    ["process.exit(", "return", "throw "]
        .iter()
        .any(|w| body.contains(w))
}

/// `code` from `pos` past spaces.
fn skip_space(code: &str, pos: usize) -> usize {
    let rest = code.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

/// Just past the statement at `start`: a `{...}` block, an `if` with its
/// `else`, or a simple statement up to its `;` or line end.
fn statement_end(code: &str, literals: &[Literal], start: usize) -> Option<usize> {
    let rest = code.get(start..)?;
    if rest.starts_with('{') {
        return Some(storage::matching(code, literals, start)? + 1);
    }
    if rest.starts_with("if")
        && rest
            .get(2..)
            .is_some_and(|r| r.trim_start().starts_with('('))
    {
        let open = skip_space(code, start + 2);
        let close = storage::matching(code, literals, open)?;
        let then_end = statement_end(code, literals, skip_space(code, close + 1))?;
        let after = skip_space(code, then_end);
        if code.get(after..).is_some_and(|r| r.starts_with("else")) {
            return statement_end(code, literals, skip_space(code, after + 4));
        }
        return Some(then_end);
    }
    let bytes = code.as_bytes();
    let mut at = start;
    while let Some(&b) = bytes.get(at) {
        if let Some((_, literal)) = storage::literal_at(literals, at) {
            at = literal.end;
            continue;
        }
        match b {
            b'(' | b'[' | b'{' => at = storage::matching(code, literals, at)? + 1,
            b';' => return Some(at + 1),
            b'\n' | b'}' => return Some(at),
            _ => at += 1,
        }
    }
    Some(code.len())
}

/// Where the block enclosing `pos` closes (the end of the code at the top).
fn block_end(code: &str, literals: &[Literal], pos: usize) -> usize {
    let bytes = code.as_bytes();
    let mut at = pos;
    while let Some(&b) = bytes.get(at) {
        if let Some((_, literal)) = storage::literal_at(literals, at) {
            at = literal.end;
            continue;
        }
        match b {
            b'(' | b'[' | b'{' => match storage::matching(code, literals, at) {
                Some(close) => at = close + 1,
                None => return code.len(),
            },
            b'}' | b')' | b']' => return at,
            _ => at += 1,
        }
    }
    code.len()
}

/// Whether a value counts as true in a condition.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Text(t) => !t.is_empty(),
        Value::Flag(b) => *b,
        Value::Undefined => false,
    }
}

/// The value of a condition made only of literals, `!`, `&&`, `||`,
/// comparisons and parentheses; `None` for any other.
fn evaluate(condition: &str, constants: &[(String, Value)]) -> Option<Value> {
    let tokens = tokens_with(condition, constants)?;
    let mut parser = Parser { tokens, at: 0 };
    let value = parser.or(0)?;
    (parser.at == parser.tokens.len()).then_some(value)
}

/// A piece of a condition.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Value(Value),
    Op(&'static str),
}

/// The pieces of `text`; `None` at anything else.
fn tokens(text: &str) -> Option<Vec<Token>> {
    tokens_with(text, &[])
}

/// The pieces of `text`, with the names `constants` binds as their values.
fn tokens_with(text: &str, constants: &[(String, Value)]) -> Option<Vec<Token>> {
    const OPS: &[&str] = &["===", "!==", "==", "!=", "&&", "||", "!", "(", ")"];
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) {
            out.push(Token::Op(op));
            rest = rest.get(op.len()..)?;
        } else if rest.starts_with(['\'', '"']) {
            let quote = rest.chars().next()?;
            let close = rest.get(1..)?.find(quote)? + 1;
            let text = rest.get(1..close)?;
            if text.contains('\\') {
                return None;
            }
            out.push(Token::Value(Value::Text(text.to_owned())));
            rest = rest.get(close + 1..)?;
        } else {
            let len = rest
                .char_indices()
                .find(|(_, c)| !storage::is_ident(*c))
                .map_or(rest.len(), |(i, _)| i);
            let value = match rest.get(..len)? {
                "true" => Value::Flag(true),
                "false" => Value::Flag(false),
                "undefined" | "null" => Value::Undefined,
                name => constants
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())?,
            };
            out.push(Token::Value(value));
            rest = rest.get(len..)?;
        }
        rest = rest.trim_start();
    }
    Some(out)
}

/// A reader of a condition's pieces.
struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn eat(&mut self, op: &str) -> bool {
        let here = matches!(self.tokens.get(self.at), Some(Token::Op(o)) if *o == op);
        if here {
            self.at += 1;
        }
        here
    }

    fn or(&mut self, depth: usize) -> Option<Value> {
        let mut value = self.and(depth)?;
        while self.eat("||") {
            let right = self.and(depth)?;
            value = Value::Flag(truthy(&value) || truthy(&right));
        }
        Some(value)
    }

    fn and(&mut self, depth: usize) -> Option<Value> {
        let mut value = self.compare(depth)?;
        while self.eat("&&") {
            let right = self.compare(depth)?;
            value = Value::Flag(truthy(&value) && truthy(&right));
        }
        Some(value)
    }

    fn compare(&mut self, depth: usize) -> Option<Value> {
        let left = self.unary(depth)?;
        for (op, equal) in [("===", true), ("==", true), ("!==", false), ("!=", false)] {
            if self.eat(op) {
                let right = self.unary(depth)?;
                return Some(Value::Flag((left == right) == equal));
            }
        }
        Some(left)
    }

    fn unary(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.eat("!") {
            let value = self.unary(depth + 1)?;
            return Some(Value::Flag(!truthy(&value)));
        }
        if self.eat("(") {
            let value = self.or(depth + 1)?;
            return self.eat(")").then_some(value);
        }
        let token = self.tokens.get(self.at)?.clone();
        self.at += 1;
        match token {
            Token::Value(v) => Some(v),
            Token::Op(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_of_literals() {
        assert_eq!(evaluate("!false", &[]), Some(Value::Flag(true)));
        assert_eq!(evaluate("'prod' === 'prod'", &[]), Some(Value::Flag(true)));
        assert_eq!(
            evaluate("!(true && 'a' !== 'a')", &[]),
            Some(Value::Flag(true))
        );
        assert_eq!(evaluate("x === 'prod'", &[]), None);
        let post = [("post".to_owned(), Value::Flag(false))];
        assert_eq!(evaluate("!post", &post), Some(Value::Flag(true)));
    }
}
