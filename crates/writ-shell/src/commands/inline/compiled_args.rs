//! The values a JVM, .NET or Swift program's own command line gives the
//! expressions it reads its arguments through, written in as literals.
//!
//! A program run with words after it (`java Tool.java --to x@y.io`,
//! `dotnet run -- a.csv`, `kotlinc -script f.main.kts a.csv`, `swift f.swift
//! --profile p`) reads them:
//! - by index, from its argument array: C#'s top-level `args[0]`,
//!   `args.FirstOrDefault()`, `args.ElementAtOrDefault(1)`, Java's
//!   `main(String[] a)`'s `a[0]`, Kotlin's `args.getOrNull(0)` and
//!   `args.firstOrNull()`, Scala's `args(0)` and `args.head`, Swift's
//!   `CommandLine.arguments[1]` (its first word is the program) or an
//!   array bound to it;
//! - as the parameters of Scala's `@main def run(src: String, dest:
//!   String)`, in order;
//! - through a helper function that finds the word after an option's
//!   name (C#'s `string Arg(string name) => args.SkipWhile(a => a !=
//!   name).Skip(1).FirstOrDefault()`, Java's `static String arg(String[]
//!   a, String k) { ... return a[i + 1]; }`, Swift's `func value(_ flag:
//!   String, default def: String) -> String`): each call of it with the
//!   option's name written out (`Arg("--to")`) is the word after that
//!   option (`--to X`, `--to=X`), else the default the call or the
//!   function gives.
//!
//! Each such read is written as a string literal holding the word, and a
//! fallback for a missing word after it (`?: error("usage")`, `?? throw
//! ...`, Kotlin's `!!`) is dropped: the word is there. So the literal
//! analysis of [`super::analyze`] sees the file a program uploads or the
//! address it mails. A word whose text is not known (a variable) binds
//! nothing; a read of a word not given is left as written.

use super::{Invocation, Literal, literals, storage};
use storage::{in_literal, token_ends, token_starts};

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;
/// How many helper functions are read.
const MAX_HELPERS: usize = 8;
/// How far after its parameters a function's body may start (a return
/// type, `throws ...`).
const MAX_SIGNATURE_TAIL: usize = 160;

/// The languages read here.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Language {
    Java,
    Kotlin,
    Scala,
    CSharp,
    Swift,
    Groovy,
}

fn language(program: &str) -> Option<Language> {
    Some(match program.rsplit('/').next().unwrap_or(program) {
        "jshell" | "java" => Language::Java,
        "kotlin" | "kotlinc" | "kotlinc-jvm" => Language::Kotlin,
        "scala" | "scala-cli" | "scala3" => Language::Scala,
        "dotnet" | "csi" => Language::CSharp,
        "swift" => Language::Swift,
        "groovy" => Language::Groovy,
        _ => return None,
    })
}

/// An array the program's arguments are read from, and the index its
/// first argument has in it (Swift's `CommandLine.arguments[0]` is the
/// program itself).
struct Array {
    name: String,
    offset: usize,
}

/// Reads of an array by index, after its name: the text before the index
/// and after it (`[N]`), or a fixed index (`.first()`).
const INDEXED: &[(&str, &str)] = &[
    ("[", "]"),
    (".getOrNull(", ")"),
    (".elementAtOrNull(", ")"),
    (".ElementAtOrDefault(", ")"),
    (".ElementAt(", ")"),
    (".get(", ")"),
];

/// Reads of an array's first item.
const FIRST: &[&str] = &[
    ".firstOrNull()",
    ".first()",
    ".FirstOrDefault()",
    ".First()",
    ".headOption",
    ".head",
];

/// Fallbacks for a value that may be missing, which a known word makes
/// dead: Kotlin's `?:`, C#'s and Swift's `??`.
const FALLBACKS: &[&str] = &["?:", "??"];

/// Signs that a function reads the word after another (`args[i + 1]`,
/// `.Skip(1)`), in its body without white space.
const NEXT_WORD: &[&str] = &["+1]", "+1)", "Skip(1)", ".drop(1)", "dropFirst("];

/// `code` with the reads of its command-line arguments written as their
/// values; `None` when nothing changes. `original` is the code as given
/// to the program (its arguments follow it).
pub(super) fn bound(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    let language = language(inv.program)?;
    if code.len() > MAX_CODE {
        return None;
    }
    let words = words(inv, original, language)?;
    let literals = literals(code);
    let arrays = arrays(code, &literals, language);
    let mut replacements = Vec::new();
    index_reads(code, &literals, &arrays, &words, &mut replacements);
    helper_calls(code, &literals, &arrays, &words, &mut replacements);
    if language == Language::Scala {
        main_parameters(code, &literals, &words, &mut replacements);
    }
    storage::replaced(code, replacements)
}

/// The words the program is given: those after its code among the
/// invocation's arguments, or (Swift, whose script is read by its own
/// reader) those after its `.swift` file, or after `swift run`'s `--` or
/// product. `None` when one of them is not known.
fn words(inv: &Invocation<'_>, original: &str, language: Language) -> Option<Vec<String>> {
    let args = inv.args;
    let rest = match args.iter().position(|a| a.text == original) {
        Some(at) => args.get(at + 1..)?,
        None if language == Language::Swift => {
            if let Some(at) = args.iter().position(|a| a.text.ends_with(".swift")) {
                args.get(at + 1..)?
            } else if let Some(at) = args.iter().position(|a| a.text == "--") {
                args.get(at + 1..)?
            } else if args.first().is_some_and(|a| a.text == "run") {
                let product = args.iter().skip(1).position(|a| !a.text.starts_with('-'));
                product
                    .and_then(|at| args.get(at + 2..))
                    .unwrap_or_default()
            } else {
                return None;
            }
        }
        None => return None,
    };
    if rest.iter().any(|a| a.dynamic) {
        return None;
    }
    Some(rest.iter().map(|a| a.text.clone()).collect())
}

/// Each use of `name` in `code` from `from` on as a whole name, outside
/// literals.
fn uses(code: &str, literals: &[Literal], name: &str, from: usize) -> Vec<usize> {
    code.match_indices(name)
        .map(|(at, _)| at)
        .filter(|at| {
            *at >= from
                && !in_literal(literals, *at)
                && (name.contains('.') || token_starts(code, *at))
                && token_ends(code, at + name.len())
        })
        .collect()
}

/// The arrays the program reads its arguments from: `args` (C#'s
/// top-level statements, Kotlin's and Groovy's scripts, Scala's `App`),
/// the parameter of its `main`, Swift's `CommandLine.arguments`, C#'s
/// `Environment.GetCommandLineArgs()`, and the names bound to those.
fn arrays(code: &str, literals: &[Literal], language: Language) -> Vec<Array> {
    let mut found = Vec::new();
    match language {
        Language::Swift => found.push(Array {
            name: "CommandLine.arguments".to_owned(),
            offset: 1,
        }),
        Language::CSharp => {
            found.push(Array {
                name: "Environment.GetCommandLineArgs()".to_owned(),
                offset: 1,
            });
            found.push(array("args", 0));
        }
        Language::Java => {}
        _ => found.push(array("args", 0)),
    }
    for (at, _) in code.match_indices("ain(") {
        let start = at.saturating_sub(1);
        let name = code.get(start..at + 3).unwrap_or_default();
        if !matches!(name, "main" | "Main") || !token_starts(code, start) {
            continue;
        }
        let open = at + 3;
        let Some(close) = storage::matching(code, literals, open) else {
            continue;
        };
        let params = storage::top_level_split(code, literals, open + 1..close).unwrap_or_default();
        if let [(_, param)] = params.as_slice()
            && let Some(param) = parameter(param)
            && param.array
        {
            found.push(array(&param.name, 0));
        }
    }
    // Names bound to an argument array (`let args = CommandLine.arguments`).
    let mut bound = Vec::new();
    for source in &found {
        for at in uses(code, literals, &source.name, 0) {
            let before = code.get(..at).unwrap_or_default().trim_end();
            let Some(head) = before.strip_suffix('=') else {
                continue;
            };
            if head.ends_with(['=', '!', '<', '>']) {
                continue;
            }
            let after = code.get(at + source.name.len()..).unwrap_or_default();
            let (offset, ends) = match after.strip_prefix(".dropFirst()") {
                Some(rest) => (source.offset.saturating_sub(1), rest),
                None => (source.offset, after),
            };
            if !ends
                .trim_start_matches([' ', '\t'])
                .starts_with(['\n', ';', '\r'])
            {
                continue;
            }
            let name = last_name(head);
            if !name.is_empty() {
                bound.push(array(name, offset));
            }
        }
    }
    found.extend(bound);
    found
}

fn array(name: &str, offset: usize) -> Array {
    Array {
        name: name.to_owned(),
        offset,
    }
}

/// The name `text` ends with (after a type: `val x`, `String[] x`,
/// `let x: [String]`).
fn last_name(text: &str) -> &str {
    let text = text.trim_end();
    let text = match text.rsplit_once(':') {
        // `let args: [String]`: the name before the type.
        Some((head, kind)) if !kind.contains(['(', '=']) => head.trim_end(),
        _ => text,
    };
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| storage::is_ident(*c))
        .last()
        .map_or(text.len(), |(i, _)| i);
    text.get(start..).unwrap_or_default()
}

/// The index read at `at`, just after an array's name: the index and
/// where the read ends.
fn index_after(code: &str, at: usize) -> Option<(usize, usize)> {
    let rest = code.get(at..)?;
    for first in FIRST {
        if rest.starts_with(first) && token_ends(code, at + first.len()) {
            return Some((0, at + first.len()));
        }
    }
    for (open, close) in INDEXED {
        let Some(inner) = rest.strip_prefix(open) else {
            continue;
        };
        let digits = inner.chars().take_while(char::is_ascii_digit).count();
        let index = inner.get(..digits)?.parse().ok();
        if let Some(index) = index
            && inner.get(digits..)?.starts_with(close)
        {
            return Some((index, at + open.len() + digits + close.len()));
        }
    }
    None
}

/// Where the fallback after a value that ends at `end` ends (`?: error(
/// "usage")`, `?? throw new X()`, `!!`): the end of the expression it is
/// part of. `end` itself when there is none.
fn past_fallback(code: &str, literals: &[Literal], end: usize) -> usize {
    let rest = code.get(end..).unwrap_or_default();
    if rest.starts_with("!!") {
        return end + 2;
    }
    let gap = rest.len() - rest.trim_start().len();
    let after = rest.trim_start();
    if !FALLBACKS.iter().any(|f| after.starts_with(f)) {
        return end;
    }
    let mut pos = end + gap + 2;
    while let Some(&byte) = code.as_bytes().get(pos) {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => match storage::matching(code, literals, pos) {
                Some(close) => pos = close + 1,
                None => return end,
            },
            b')' | b']' | b'}' | b',' | b';' => break,
            b'\n' => {
                // The fallback goes on on a line that starts with an operator.
                let next = code.get(pos + 1..).unwrap_or_default().trim_start();
                if !next.starts_with(['.', '?', ':', '+', '|', '&']) {
                    break;
                }
                pos += 1;
            }
            _ => pos += 1,
        }
    }
    // Not past the white space before what ends it.
    let text = code.get(end..pos).unwrap_or_default();
    end + text.trim_end().len()
}

/// A string literal holding `text`.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The reads of the arguments by index, as the words they read.
fn index_reads(
    code: &str,
    literals: &[Literal],
    arrays: &[Array],
    words: &[String],
    out: &mut Vec<(usize, usize, String)>,
) {
    for source in arrays {
        for at in uses(code, literals, &source.name, 0) {
            let Some((index, end)) = index_after(code, at + source.name.len()) else {
                continue;
            };
            let Some(word) = index
                .checked_sub(source.offset)
                .and_then(|index| words.get(index))
            else {
                continue;
            };
            let end = past_fallback(code, literals, end);
            out.push((at, end, quoted(word)));
        }
    }
}

/// A function's parameter: its call-site label (Swift's `default def:
/// String` is labelled `default`; `_` none), its name, whether it holds an
/// array, and the default it is declared with.
struct Parameter {
    label: Option<String>,
    name: String,
    array: bool,
    default: Option<String>,
}

/// A parameter as each language declares it: `String[] a`, `string
/// name`, `name: String = "x"`, Swift's `_ flag: String` and `default
/// def: String`, Kotlin's `vararg`.
fn parameter(text: &str) -> Option<Parameter> {
    let text = text.trim();
    let (declared, default) = match text.split_once('=') {
        Some((head, value)) => (head.trim(), Some(value.trim())),
        None => (text, None),
    };
    let default = default.and_then(|value| {
        let found = literals(value);
        match found.as_slice() {
            [one] if one.start == 0 && one.end == value.len() => Some(one.text.clone()),
            _ => None,
        }
    });
    let (label, name, kind) = match declared.split_once(':') {
        Some((names, kind)) => {
            let mut parts = names
                .split_whitespace()
                .filter(|w| *w != "val" && *w != "var");
            let first = parts.next()?;
            match parts.next() {
                Some(name) => ((first != "_").then(|| first.to_owned()), name, kind),
                None => (Some(first.to_owned()), first, kind),
            }
        }
        None => {
            let (kind, name) = declared.rsplit_once(char::is_whitespace)?;
            (Some(name.to_owned()), name, kind)
        }
    };
    let name = name.trim().trim_start_matches("...");
    if name.is_empty() || !name.chars().all(storage::is_ident) {
        return None;
    }
    let array = kind.contains("[]")
        || kind.contains("...")
        || kind.contains("Array")
        || kind.trim_start().starts_with('[')
        || kind.contains("List<String>")
        || kind.contains("Seq[String]");
    Some(Parameter {
        label,
        name: name.to_owned(),
        array,
        default,
    })
}

/// A function that finds the word after an option's name.
struct Helper {
    name: String,
    /// Where its name is written in its definition.
    defined_at: usize,
    params: Vec<Parameter>,
    /// The parameter holding the option's name.
    flag: usize,
    /// A parameter holding the value when the option is not given.
    fallback: Option<usize>,
}

/// Where the body of a function whose parameters close at `close` starts
/// and ends: a `{...}` block after an optional return type or `throws`
/// clause, or an expression after `=>` or `=` to its `;` or its line's
/// end (the lines after, when they go on with an operator or are
/// indented under it).
fn body(code: &str, literals: &[Literal], close: usize) -> Option<std::ops::Range<usize>> {
    let after = close + 1;
    let limit = code.len().min(after + MAX_SIGNATURE_TAIL);
    let mut pos = after;
    while pos < limit {
        if storage::literal_at(literals, pos).is_some() {
            return None;
        }
        match code.as_bytes().get(pos)? {
            b'{' => return Some(pos..storage::matching(code, literals, pos)? + 1),
            b'=' => {
                let start = match code.as_bytes().get(pos + 1) {
                    Some(b'>') => pos + 2,
                    Some(b'=') => return None,
                    _ => pos + 1,
                };
                return Some(start..expression_end(code, literals, start));
            }
            b';' | b'}' => return None,
            b'(' | b'[' => pos = storage::matching(code, literals, pos)? + 1,
            _ => pos += 1,
        }
    }
    None
}

/// Where an expression body starting at `start` ends: its `;` at depth
/// zero, or the end of its last line (a line after it goes on when it
/// starts with an operator, or, after a line that ends with the `=`, when
/// it is indented).
fn expression_end(code: &str, literals: &[Literal], start: usize) -> usize {
    let mut pos = start;
    let opens_block = code
        .get(start..)
        .is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(['\n', '\r']));
    let mut seen_code = false;
    while let Some(&byte) = code.as_bytes().get(pos) {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            seen_code = true;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => match storage::matching(code, literals, pos) {
                Some(close) => pos = close + 1,
                None => return code.len(),
            },
            b';' | b')' | b']' | b'}' => return pos,
            b'\n' => {
                let next = code.get(pos + 1..).unwrap_or_default();
                let trimmed = next.trim_start();
                let indented = next.starts_with([' ', '\t']);
                let goes_on = trimmed.starts_with(['.', '?', ':', '+', '|', '&'])
                    || (opens_block && indented)
                    || !seen_code;
                if !goes_on {
                    return pos;
                }
                pos += 1;
            }
            b' ' | b'\t' | b'\r' => pos += 1,
            _ => {
                seen_code = true;
                pos += 1;
            }
        }
    }
    code.len()
}

/// The helper function whose parameters open at `open`, when that is
/// one: it reads an argument array (one of `arrays`, or its own array
/// parameter) for the word after the value of one of its parameters.
fn helper(code: &str, literals: &[Literal], arrays: &[Array], open: usize) -> Option<Helper> {
    let head = code.get(..open)?;
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| storage::is_ident(*c))
        .last()
        .map(|(i, _)| i)?;
    let name = head.get(start..)?;
    if name.is_empty() || !token_starts(code, start) || name.starts_with(char::is_numeric) {
        return None;
    }
    // A definition: a keyword or a type before its name.
    let before = head.get(..start)?.trim_end();
    if before.is_empty() || before.ends_with(['=', '(', ',', '.', '!', '&', '|', '?', ':', '+']) {
        return None;
    }
    let close = storage::matching(code, literals, open)?;
    let body = body(code, literals, close)?;
    let params: Vec<Parameter> = storage::top_level_split(code, literals, open + 1..close)?
        .iter()
        .map(|(_, p)| parameter(p))
        .collect::<Option<_>>()?;
    let text = code.get(body.clone())?;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !NEXT_WORD.iter().any(|sign| compact.contains(sign)) {
        return None;
    }
    let reads_array = params
        .iter()
        .any(|p| p.array && !uses(code, literals, &p.name, body.start).is_empty())
        || arrays.iter().any(|a| {
            uses(code, literals, &a.name, body.start)
                .iter()
                .any(|at| body.contains(at))
        });
    if !reads_array {
        return None;
    }
    let used = |p: &Parameter| {
        uses(code, literals, &p.name, body.start)
            .iter()
            .any(|at| body.contains(at))
    };
    let flag = params.iter().position(|p| !p.array && used(p))?;
    let fallback = params
        .iter()
        .enumerate()
        .skip(flag + 1)
        .find(|(_, p)| !p.array && used(p))
        .map(|(at, _)| at);
    Some(Helper {
        name: name.to_owned(),
        defined_at: start,
        params,
        flag,
        fallback,
    })
}

/// The word after the option `flag` among `words` (`--to X`, `--to=X`).
fn option_value<'w>(flag: &str, words: &'w [String]) -> Option<&'w str> {
    words.iter().enumerate().find_map(|(at, word)| {
        if word == flag {
            return words.get(at + 1).map(String::as_str);
        }
        word.strip_prefix(flag)?.strip_prefix('=')
    })
}

/// The calls of the helper functions the code defines, as the words they
/// find.
fn helper_calls(
    code: &str,
    literals: &[Literal],
    arrays: &[Array],
    words: &[String],
    out: &mut Vec<(usize, usize, String)>,
) {
    let helpers: Vec<Helper> = code
        .match_indices('(')
        .map(|(at, _)| at)
        .filter(|at| !in_literal(literals, *at))
        .filter_map(|open| helper(code, literals, arrays, open))
        .take(MAX_HELPERS)
        .collect();
    for helper in &helpers {
        for at in uses(code, literals, &helper.name, 0) {
            if at == helper.defined_at {
                continue;
            }
            let open = at + helper.name.len();
            if code.as_bytes().get(open) != Some(&b'(') {
                continue;
            }
            let Some(close) = storage::matching(code, literals, open) else {
                continue;
            };
            let Some(given) = call_arguments(code, literals, open, close, &helper.params) else {
                continue;
            };
            let Some(Some(flag)) = given.get(helper.flag) else {
                continue;
            };
            let fallback = helper.fallback.and_then(|at| {
                given
                    .get(at)
                    .cloned()
                    .flatten()
                    .or_else(|| helper.params.get(at)?.default.clone())
            });
            let Some(value) = option_value(flag, words).map(str::to_owned).or(fallback) else {
                continue;
            };
            let end = past_fallback(code, literals, close + 1);
            out.push((at, end, quoted(&value)));
        }
    }
}

/// The string literals a call passes each parameter (`None` for another
/// value or none), by position or by label (`default: "x"`, `name =
/// "x"`); `None` when an argument matches no parameter.
fn call_arguments(
    code: &str,
    literals: &[Literal],
    open: usize,
    close: usize,
    params: &[Parameter],
) -> Option<Vec<Option<String>>> {
    let mut given = vec![None; params.len()];
    let arguments = storage::top_level_split(code, literals, open + 1..close)?;
    for (position, (start, text)) in arguments.iter().enumerate() {
        let trimmed = text.trim();
        let lead = start + (text.len() - text.trim_start().len());
        let label: String = trimmed
            .chars()
            .take_while(|c| storage::is_ident(*c))
            .collect();
        let after = trimmed.get(label.len()..).unwrap_or_default().trim_start();
        let labelled = !label.is_empty()
            && ((after.starts_with(':') && !after.starts_with("::"))
                || (after.starts_with('=') && !after.starts_with("==")));
        let (slot, value_at) = if labelled {
            let slot = params
                .iter()
                .position(|p| p.label.as_deref() == Some(label.as_str()) || p.name == label)?;
            let value = after.get(1..).unwrap_or_default();
            let value_at = lead + (trimmed.len() - value.trim_start().len());
            (slot, value_at)
        } else {
            (position, lead)
        };
        let value = storage::literal_at(literals, value_at)
            .filter(|(_, l)| {
                code.get(l.end..close).is_some_and(|r| {
                    let r = r.trim_start();
                    r.is_empty() || r.starts_with(',')
                })
            })
            .map(|(_, l)| l.text.clone());
        *given.get_mut(slot)? = value;
    }
    Some(given)
}

/// Scala's `@main def NAME(a: String, b: String)`: its parameters are the
/// words, in order, written in where they are used (and inside the
/// interpolations of its strings, `s"${b}/x"`).
fn main_parameters(
    code: &str,
    literals: &[Literal],
    words: &[String],
    out: &mut Vec<(usize, usize, String)>,
) {
    let Some(at) = code.find("@main") else {
        return;
    };
    let Some(open) = code.get(at..).and_then(|r| r.find('(')).map(|n| at + n) else {
        return;
    };
    let Some(close) = storage::matching(code, literals, open) else {
        return;
    };
    let params = storage::top_level_split(code, literals, open + 1..close).unwrap_or_default();
    for (index, (_, text)) in params.iter().enumerate() {
        let Some(param) = parameter(text) else {
            return;
        };
        if param.array || text.contains('*') {
            return;
        }
        let Some(word) = words.get(index) else {
            continue;
        };
        for use_at in uses(code, literals, &param.name, close) {
            let after = code.get(use_at + param.name.len()..).unwrap_or_default();
            if after.trim_start().starts_with([':', '=']) && !after.trim_start().starts_with("==") {
                continue;
            }
            out.push((use_at, use_at + param.name.len(), quoted(word)));
        }
        interpolations(code, &param.name, word, close, out);
    }
}

/// The interpolations of `name` in a Scala or Kotlin string after `from`
/// (`$name`, `${name}`, and `${name.stripSuffix("/")}`), as `word`.
fn interpolations(
    code: &str,
    name: &str,
    word: &str,
    from: usize,
    out: &mut Vec<(usize, usize, String)>,
) {
    let escaped = word.replace('\\', "\\\\").replace('"', "\\\"");
    let plain = format!("${{{name}}}");
    for (at, _) in code.match_indices(&plain).filter(|(at, _)| *at >= from) {
        out.push((at, at + plain.len(), escaped.clone()));
    }
    for method in [".stripSuffix(", ".removeSuffix("] {
        let head = format!("${{{name}{method}");
        for (at, _) in code.match_indices(&head).filter(|(at, _)| *at >= from) {
            let rest = code.get(at + head.len()..).unwrap_or_default();
            let Some(suffix) = rest
                .strip_prefix('"')
                .and_then(|r| r.split_once("\")}"))
                .map(|(suffix, _)| suffix)
                .filter(|s| !s.contains(['"', '\n']))
            else {
                continue;
            };
            let end = at + head.len() + suffix.len() + 4;
            let value = escaped.strip_suffix(suffix).unwrap_or(&escaped);
            out.push((at, end, value.to_owned()));
        }
    }
    let bare = format!("${name}");
    for (at, _) in code.match_indices(&bare).filter(|(at, _)| *at >= from) {
        if token_ends(code, at + bare.len()) {
            out.push((at, at + bare.len(), escaped.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_of_each_language() {
        let p = parameter("String[] a").unwrap();
        assert!(p.array && p.name == "a");
        let p = parameter("_ flag: String").unwrap();
        assert!(!p.array && p.name == "flag" && p.label.is_none());
        let p = parameter("default def: String").unwrap();
        assert_eq!(
            (p.label.as_deref(), p.name.as_str()),
            (Some("default"), "def")
        );
        let p = parameter("name: String = \"x\"").unwrap();
        assert_eq!(p.default.as_deref(), Some("x"));
    }

    #[test]
    fn fallbacks_end_with_their_expression() {
        let code = "val p = Path.of(args[0] ?: error(\"usage\"))\n";
        let at = code.find("] ").unwrap_or_default() + 1;
        assert_eq!(
            code.get(..past_fallback(code, &literals(code), at)),
            Some("val p = Path.of(args[0] ?: error(\"usage\")")
        );
    }
}
