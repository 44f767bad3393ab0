//! Helper functions of the JVM's, .NET's and Go's languages that gather
//! their arguments and hand them to a process runner: Java's `static
//! void run(String... cmd) { new ProcessBuilder(cmd)... }`, Kotlin's `fun
//! git(vararg args: String) { ProcessBuilder("git", *args)... }`, C#'s
//! `static void Run(params string[] a) { Process.Start("git",
//! string.Join(" ", a)) }` and Go's `func run(args ...string) {
//! exec.Command(args[0], args[1:]...) }`. Each call of one
//! (`run("git", "push", "origin", "HEAD:main")`) is rewritten as the
//! runner call the function makes with the call's arguments where it puts
//! them (`new ProcessBuilder(new String[]{"git", "push", "origin",
//! "HEAD:main"})`), so that the literal analysis sees the command run.
//! This is [`super::forwarders`]' reading of Python's `def f(*args)`, for
//! these languages.
//!
//! Read: a function whose last parameter gathers the arguments (Java's
//! and Groovy's `String... NAME`, Kotlin's `vararg NAME: T`, C#'s `params
//! T[] NAME`, Go's `NAME ...T`) and whose body hands them, once, to a
//! process runner's call: spread (`*NAME`, `NAME...`, `NAME[0],
//! NAME[1:]...`), as the whole array (`ProcessBuilder(NAME)`), or joined
//! into one line (`string.Join(" ", NAME)`). Its leading parameters used
//! in that call take the call's leading arguments. A call with named
//! arguments or a spread of its own is left as written.

use std::ops::Range;

use super::storage::{in_literal, token_starts};
use super::{Literal, forwarders, literals, storage};

/// Code longer than this is not rewritten.
const MAX_CODE: usize = 64 * 1024;
/// How many wrapper functions are read.
const MAX_WRAPPERS: usize = 16;
/// How far after its parameters a function's body may start (a return
/// type, `throws ...`).
const MAX_SIGNATURE_TAIL: usize = 160;

/// Programs whose code is one of the JVM's or .NET's languages.
const JVM_PROGRAMS: &[&str] = &[
    "jshell",
    "kotlin",
    "kotlinc",
    "kotlinc-jvm",
    "groovy",
    "scala",
    "scala-cli",
    "scala3",
    "dotnet",
    "csi",
];

/// The process runners of the JVM's and .NET's languages, by the last
/// part of their name (`new ProcessBuilder(...)`,
/// `Runtime.getRuntime().exec(...)`, `Process.Start(...)`).
const JVM_RUNNERS: &[&str] = &["ProcessBuilder", "exec", "Start", "ProcessStartInfo"];

/// Go's process runners.
const GO_RUNNERS: &[&str] = &["exec.Command", "exec.CommandContext"];

/// Constructors of lists around a spread inside a runner's call
/// (`exec(arrayOf("git", *args))`).
const LIST_CONSTRUCTORS: &[&str] = &[
    "arrayOf",
    "listOf",
    "mutableListOf",
    "List.of",
    "Arrays.asList",
];

/// Calls that join an array into one line (`string.Join(" ", args)`).
const JOINS: &[&str] = &["string.Join", "String.Join", "String.join"];

/// The languages read here.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Jvm,
    Go,
}

/// How the runner's call takes the gathered arguments.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Gathered {
    /// Spread into the arguments or a list (`*args`, `args...`).
    Spread,
    /// The whole array as one argument (Java's `ProcessBuilder(cmd)`).
    Array,
    /// Joined into one line by the separator literal.
    Joined,
}

/// Where the gathered arguments go in the runner's call (the span that
/// stands for them), and how.
type Handoff = (Range<usize>, Gathered);

/// A piece of the runner's call text.
enum Piece {
    Text(String),
    /// The call's leading argument N.
    Fixed(usize),
    /// The call's other arguments.
    Rest(Gathered, String),
}

/// A function that hands its gathered arguments to a process runner.
struct Wrapper {
    name: String,
    /// How many leading parameters it takes before the gathered one.
    fixed: usize,
    /// The runner's call, in pieces.
    call: Vec<Piece>,
    /// The function's whole definition, whose text stays as written.
    span: Range<usize>,
}

/// `code` (of a JVM or .NET language, for `program`) with the calls of its
/// wrapper functions rewritten as the runner calls they make; `None` when
/// there is nothing to rewrite.
pub(super) fn expand_jvm(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !JVM_PROGRAMS.contains(&name) {
        return None;
    }
    expand(code, Syntax::Jvm)
}

/// Go `code` with the calls of its wrapper functions rewritten as the
/// `exec.Command` calls they make; `None` when there is nothing to
/// rewrite.
pub(in crate::commands) fn expand_go(code: &str) -> Option<String> {
    expand(code, Syntax::Go)
}

fn expand(code: &str, syntax: Syntax) -> Option<String> {
    if code.len() > MAX_CODE || !code.contains('(') {
        return None;
    }
    let literals = literals(code);
    let wrappers: Vec<Wrapper> = code
        .match_indices('(')
        .map(|(at, _)| at)
        .filter(|at| storage::literal_at(&literals, *at).is_none() && !in_literal(&literals, *at))
        .filter_map(|open| wrapper(code, &literals, open, syntax))
        .take(MAX_WRAPPERS)
        .collect();
    if wrappers.is_empty() {
        return None;
    }
    forwarders::rewrite_calls(code, &literals, |pos| {
        wrappers
            .iter()
            .filter(|w| !w.span.contains(&pos))
            .find_map(|w| call_site(code, &literals, w, pos, syntax))
    })
}

/// The name that ends at `end`.
fn name_before(code: &str, end: usize) -> &str {
    let head = code.get(..end).unwrap_or_default();
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| storage::is_ident(*c))
        .last()
        .map_or(end, |(i, _)| i);
    head.get(start..).unwrap_or_default()
}

/// The dotted callee that ends at `end` (`Process.Start`, `exec.Command`).
fn callee_before(code: &str, end: usize) -> (usize, &str) {
    let head = code.get(..end).unwrap_or_default();
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| storage::is_ident(*c) || *c == '.')
        .last()
        .map_or(end, |(i, _)| i);
    (start, head.get(start..).unwrap_or_default())
}

/// The gathered parameter's name in `param`, in `syntax`'s spellings.
fn gathered_name(param: &str, syntax: Syntax) -> Option<&str> {
    let param = param.trim();
    let name = match syntax {
        // Go's `args ...string`.
        Syntax::Go => {
            let (name, kind) = param.split_once(char::is_whitespace)?;
            kind.trim_start().starts_with("...").then_some(name)?
        }
        Syntax::Jvm => {
            if let Some(rest) = param.strip_prefix("vararg ") {
                // Kotlin's `vararg args: String`.
                rest.split(':').next()?.trim()
            } else if let Some(rest) = param.strip_prefix("params ") {
                // C#'s `params string[] args`.
                rest.rsplit(char::is_whitespace).next()?
            } else {
                // Java's and Groovy's `String... cmd`, `final String ...cmd`.
                let (kind, name) = param.rsplit_once("...")?;
                (!kind.trim().is_empty()).then_some(name.trim())?
            }
        }
    };
    (!name.is_empty() && name.chars().all(storage::is_ident)).then_some(name)
}

/// A leading parameter's name: Go's `dir string`, Kotlin's `dir: String`,
/// Java's and C#'s `String dir`.
fn fixed_name(param: &str, syntax: Syntax) -> Option<&str> {
    let param = param.trim();
    let name = match (syntax, param.split_once(':')) {
        (Syntax::Go, _) => param.split_whitespace().next()?,
        (Syntax::Jvm, Some((name, _))) => name.trim().trim_start_matches("val ").trim(),
        (Syntax::Jvm, None) => param.split_whitespace().next_back()?,
    };
    (!name.is_empty() && name.chars().all(storage::is_ident)).then_some(name)
}

/// Where the body of a function whose parameters close at `close`
/// starts and ends: a `{...}` block after an optional return type or
/// `throws` clause, or (Kotlin) `= EXPRESSION` to the line's end.
fn body(code: &str, literals: &[Literal], close: usize) -> Option<Range<usize>> {
    let after = close + 1;
    let rest = code.get(after..)?;
    let limit = rest.len().min(MAX_SIGNATURE_TAIL);
    let mut pos = after;
    while pos < after + limit {
        if storage::literal_at(literals, pos).is_some() {
            return None;
        }
        match code.as_bytes().get(pos)? {
            b'{' => return Some(pos..storage::matching(code, literals, pos)? + 1),
            b'=' => {
                let next = code.as_bytes().get(pos + 1);
                if matches!(next, Some(b'=' | b'>')) {
                    return None;
                }
                let line_end = code.get(pos..)?.find('\n').map_or(code.len(), |n| pos + n);
                return Some(pos + 1..line_end);
            }
            b';' | b'}' => return None,
            b'(' | b'[' => pos = storage::matching(code, literals, pos)? + 1,
            _ => pos += 1,
        }
    }
    None
}

/// The wrapper whose parameters open at `open`, when that is one.
fn wrapper(code: &str, literals: &[Literal], open: usize, syntax: Syntax) -> Option<Wrapper> {
    let name = name_before(code, open);
    let name_start = open - name.len();
    if name.is_empty() || !token_starts(code, name_start) {
        return None;
    }
    let close = storage::matching(code, literals, open)?;
    let params = storage::top_level_split(code, literals, open + 1..close)?;
    let ((_, last), leading) = params.split_last()?;
    let gathered = gathered_name(last, syntax)?;
    let fixed: Vec<&str> = leading
        .iter()
        .map(|(_, p)| fixed_name(p, syntax))
        .collect::<Option<_>>()?;
    let body = body(code, literals, close)?;
    let (call, uses) = runner_call(code, literals, gathered, body.clone(), syntax)?;
    let call = pieces(code, literals, call, &uses, &fixed)?;
    Some(Wrapper {
        name: name.to_owned(),
        fixed: fixed.len(),
        call,
        span: name_start..body.end,
    })
}

/// Each use of `name` in `range` as a whole name outside literals.
fn uses_of(code: &str, literals: &[Literal], name: &str, range: Range<usize>) -> Vec<usize> {
    let mut found = Vec::new();
    let mut pos = range.start;
    while pos < range.end {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        let rest = code.get(pos..).unwrap_or_default();
        if rest.starts_with(name)
            && token_starts(code, pos)
            && rest
                .get(name.len()..)
                .and_then(|r| r.chars().next())
                .is_none_or(|c| !storage::is_ident(c))
        {
            found.push(pos);
            pos += name.len();
            continue;
        }
        pos += rest.chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// The innermost call whose parentheses hold `at`, from `from`: where its
/// callee starts, the callee, and where its `(` and `)` are.
fn enclosing_call<'c>(
    code: &'c str,
    literals: &[Literal],
    from: usize,
    at: usize,
) -> Option<(usize, &'c str, usize, usize)> {
    let mut open = at;
    loop {
        open = code.get(from..open)?.rfind('(').map(|n| from + n)?;
        if in_literal(literals, open) {
            continue;
        }
        let close = storage::matching(code, literals, open)?;
        if close < at {
            continue;
        }
        let (start, callee) = callee_before(code, open);
        return Some((start, callee, open, close));
    }
}

/// True when `callee` is one of `syntax`'s process runners.
fn is_runner(callee: &str, syntax: Syntax) -> bool {
    match syntax {
        Syntax::Go => GO_RUNNERS.contains(&callee),
        Syntax::Jvm => {
            let last = callee.rsplit('.').next().unwrap_or(callee);
            // `Start` only as `Process.Start`.
            JVM_RUNNERS.contains(&last) && (last != "Start" || callee.ends_with("Process.Start"))
        }
    }
}

/// The runner call in `body` that takes the gathered `name`, and where
/// the gathered arguments go in it (their span and how), when there is
/// exactly one such place.
fn runner_call(
    code: &str,
    literals: &[Literal],
    name: &str,
    body: Range<usize>,
    syntax: Syntax,
) -> Option<(Range<usize>, Handoff)> {
    let mut found = Vec::new();
    for at in uses_of(code, literals, name, body.clone()) {
        let Some((span, gathered)) = gathered_use(code, literals, name, at, syntax) else {
            continue;
        };
        let Some((mut start, mut callee, open, mut close)) =
            enclosing_call(code, literals, body.start, span.start)
        else {
            continue;
        };
        // A list built around a spread is in the runner's call.
        if LIST_CONSTRUCTORS.contains(&callee) {
            let Some(outer) = enclosing_call(code, literals, body.start, open) else {
                continue;
            };
            (start, callee, _, close) = outer;
        }
        if is_runner(callee, syntax) {
            found.push((start..close + 1, (span, gathered)));
        }
    }
    match found.as_slice() {
        [_] => found.pop(),
        _ => None,
    }
}

/// How the use of the gathered `name` at `at` hands it on, and the span
/// that stands for the arguments: `*name` (Kotlin), `name...` and
/// `name[0], name[1:]...` (Go), `string.Join(SEP, name)`, or `name`
/// alone as a whole argument (Java's varargs).
fn gathered_use(
    code: &str,
    literals: &[Literal],
    name: &str,
    at: usize,
    syntax: Syntax,
) -> Option<Handoff> {
    let end = at + name.len();
    let before = code.get(..at)?.trim_end();
    let after = code.get(end..)?;
    let separated = |text: &str| text.ends_with(['(', ',']);
    let closes = |text: &str| text.trim_start().starts_with([')', ',']);
    match syntax {
        Syntax::Go => {
            if let Some(dots) = after.strip_prefix("...") {
                return (separated(before) && closes(dots))
                    .then_some((at..end + 3, Gathered::Spread));
            }
            // `name[0], name[1:]...`.
            let first = format!("{name}[0]");
            let rest = format!("{name}[1:]...");
            let tail = code.get(at..)?.strip_prefix(first.as_str())?;
            let gap = tail.trim_start().strip_prefix(',')?.trim_start();
            let lead = tail.len() - gap.len();
            let after_rest = gap.strip_prefix(rest.as_str())?;
            let span_end = at + first.len() + lead + rest.len();
            (separated(before) && closes(after_rest)).then_some((at..span_end, Gathered::Spread))
        }
        Syntax::Jvm => {
            if let Some(spread) = before.strip_suffix('*') {
                return (separated(spread.trim_end()) && closes(after))
                    .then_some((at - 1..end, Gathered::Spread));
            }
            if !(separated(before) && closes(after)) {
                return None;
            }
            let (_, callee, open, close) = enclosing_call(code, literals, 0, at)?;
            if JOINS.contains(&callee) {
                let args = storage::top_level_split(code, literals, open + 1..close)?;
                let [(sep_at, sep), (_, joined)] = args.as_slice() else {
                    return None;
                };
                let sep_start = sep_at + (sep.len() - sep.trim_start().len());
                let separator = storage::literal_at(literals, sep_start)
                    .filter(|(_, l)| l.end - l.start == sep.trim().len())?;
                let (callee_start, _) = callee_before(code, open);
                return (joined.trim() == name)
                    .then_some((callee_start..close + 1, Gathered::Joined))
                    .filter(|_| !separator.1.text.contains('"'));
            }
            Some((at..end, Gathered::Array))
        }
    }
}

/// The runner call's text in pieces: the gathered arguments' span, and
/// the leading parameters' uses, are holes.
fn pieces(
    code: &str,
    literals: &[Literal],
    call: Range<usize>,
    (span, gathered): &Handoff,
    fixed: &[&str],
) -> Option<Vec<Piece>> {
    let mut holes: Vec<(Range<usize>, Option<usize>)> = vec![(span.clone(), None)];
    for (index, name) in fixed.iter().enumerate() {
        for at in uses_of(code, literals, name, call.clone()) {
            if !span.contains(&at) {
                holes.push((at..at + name.len(), Some(index)));
            }
        }
    }
    holes.sort_by_key(|(range, _)| range.start);
    let mut out = Vec::new();
    let mut copied = call.start;
    for (range, fixed) in holes {
        out.push(Piece::Text(code.get(copied..range.start)?.to_owned()));
        out.push(match fixed {
            Some(index) => Piece::Fixed(index),
            None => {
                let separator = match gathered {
                    Gathered::Joined => joined_separator(code, literals, span.clone())?,
                    _ => String::new(),
                };
                Piece::Rest(*gathered, separator)
            }
        });
        copied = range.end;
    }
    out.push(Piece::Text(code.get(copied..call.end)?.to_owned()));
    Some(out)
}

/// The separator literal of the join call at `span`.
fn joined_separator(code: &str, literals: &[Literal], span: Range<usize>) -> Option<String> {
    let open = span.start + code.get(span.clone())?.find('(')?;
    literals
        .iter()
        .find(|l| l.start > open && l.end <= span.end)
        .map(|l| l.text.clone())
}

/// The call of `wrapper` at `pos`, when one is: the runner call it makes
/// with the call's arguments in place, and where the call ends.
fn call_site(
    code: &str,
    literals: &[Literal],
    wrapper: &Wrapper,
    pos: usize,
    syntax: Syntax,
) -> Option<(String, usize)> {
    if !token_starts(code, pos) {
        return None;
    }
    let open = pos + wrapper.name.len();
    if code.get(pos..open)? != wrapper.name || !code.get(open..)?.starts_with('(') {
        return None;
    }
    let close = storage::matching(code, literals, open)?;
    let arguments: Vec<String> = storage::top_level_split(code, literals, open + 1..close)?
        .into_iter()
        .map(|(_, a)| a.trim().to_owned())
        .collect();
    if arguments.len() < wrapper.fixed || arguments.iter().any(|a| named_or_spread(a, syntax)) {
        return None;
    }
    let (leading, rest) = arguments.split_at(wrapper.fixed);
    let mut text = String::new();
    for piece in &wrapper.call {
        match piece {
            Piece::Text(part) => text.push_str(part),
            Piece::Fixed(index) => text.push_str(leading.get(*index)?),
            Piece::Rest(gathered, separator) => {
                let words = rest.join(", ");
                match gathered {
                    Gathered::Spread if rest.is_empty() => {
                        let kept = text.trim_end().trim_end_matches(',').len();
                        text.truncate(kept);
                    }
                    Gathered::Spread => text.push_str(&words),
                    Gathered::Array => text.push_str(&format!("new String[]{{{words}}}")),
                    Gathered::Joined => text.push_str(&joined(rest, separator)?),
                }
            }
        }
    }
    Some((text, close + 1))
}

/// The call's arguments joined into one line literal (each must be a
/// string literal).
fn joined(rest: &[String], separator: &str) -> Option<String> {
    let texts: Vec<String> = rest
        .iter()
        .map(|argument| {
            let parsed = super::literals(argument);
            match parsed.as_slice() {
                [one] if one.start == 0 && one.end == argument.len() => Some(one.text.clone()),
                _ => None,
            }
        })
        .collect::<Option<_>>()?;
    let line = texts.join(separator);
    Some(format!(
        "\"{}\"",
        line.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// True when a call's argument is named (`name = v`, `name: v`) or a
/// spread of its own (`*xs`, `xs...`).
fn named_or_spread(argument: &str, syntax: Syntax) -> bool {
    if argument.starts_with('*') || argument.ends_with("...") {
        return true;
    }
    let head: String = argument
        .chars()
        .take_while(|c| storage::is_ident(*c))
        .collect();
    let after = argument.get(head.len()..).unwrap_or_default().trim_start();
    !head.is_empty()
        && syntax == Syntax::Jvm
        && ((after.starts_with('=') && !after.starts_with("=="))
            || (after.starts_with(':') && !after.starts_with("::")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jvm(code: &str) -> String {
        expand_jvm(code, "kotlinc").unwrap_or_else(|| code.to_owned())
    }

    fn go(code: &str) -> String {
        expand_go(code).unwrap_or_else(|| code.to_owned())
    }

    #[test]
    fn java_varargs_wrappers_become_their_runner_call() {
        let code = "static void run(String... cmd) throws Exception {\n  int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();\n  if (rc != 0) throw new IllegalStateException(String.join(\" \", cmd));\n}\nrun(\"git\", \"push\");";
        assert!(jvm(code).ends_with("\nProcessBuilder(new String[]{\"git\", \"push\"});"));
    }

    #[test]
    fn kotlin_spreads_and_leading_words_stay() {
        let code = "fun git(vararg args: String) {\n  ProcessBuilder(\"git\", *args).start()\n}\ngit(\"push\", \"-f\")\ngit()\n";
        let out = jvm(code);
        assert!(out.contains("\nProcessBuilder(\"git\", \"push\", \"-f\")\n"));
        assert!(out.ends_with("\nProcessBuilder(\"git\")\n"));
    }

    #[test]
    fn go_wrappers_take_leading_parameters_and_split_arguments() {
        let code = "func run(args ...string) {\n\tcmd := exec.Command(args[0], args[1:]...)\n}\nfunc main() {\n\trun(\"git\", \"push\")\n}\n";
        assert!(go(code).contains("\texec.Command(\"git\", \"push\")\n"));
        let code = "func sh(name string, args ...string) {\n\texec.Command(name, args...).Run()\n}\nsh(\"rm\", \"-rf\", d)\n";
        assert!(go(code).ends_with("\nexec.Command(\"rm\", \"-rf\", d)\n"));
    }

    #[test]
    fn csharp_joined_arguments_become_one_line() {
        let code = "static void Git(params string[] a) { Process.Start(\"git\", string.Join(\" \", a)).WaitForExit(); }\nGit(\"push\", \"origin\");";
        assert!(
            expand_jvm(code, "dotnet")
                .unwrap_or_default()
                .ends_with("Process.Start(\"git\", \"push origin\");")
        );
    }

    #[test]
    fn other_functions_and_calls_are_left_alone() {
        for code in [
            // No runner; two runner uses; a named argument; a spread.
            "fun f(vararg a: String) { println(*a) }\nf(\"x\")",
            "fun f(vararg a: String) { ProcessBuilder(*a); ProcessBuilder(\"x\", *a) }\nf(\"y\")",
            "fun f(vararg a: String) { ProcessBuilder(*a) }\nf(x = \"y\")",
            "fun f(vararg a: String) { ProcessBuilder(*a) }\nf(*xs)",
        ] {
            assert_eq!(jvm(code), code);
        }
        assert_eq!(
            expand_jvm(
                "fun f(vararg a: String) { ProcessBuilder(*a) }\nf(\"x\")",
                "python3"
            ),
            None
        );
    }
}
