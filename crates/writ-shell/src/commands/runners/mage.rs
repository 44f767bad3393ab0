//! `mage [OPTIONS] TARGET [ARGS...]...`: the Go targets of a magefile
//! (`magefile.go` or `mage.go` in the directory, `-d DIR`, or the
//! `magefiles/` directory's usual files) when its text is known.
//!
//! A target is an exported function (`func Build() error`) or a method of
//! a namespace type (`type Deploy mg.Namespace`, `func (Deploy) Prod(tag
//! string) error`, named `deploy:prod`), matched case-insensitively as
//! mage matches them; a `context.Context` parameter takes no argument,
//! each other parameter the next word of the command line, in order.
//! With no target named, `var Default = X` names it.
//!
//! A target's body is read in order for what it runs: `sh.Run`, `RunV`,
//! `Output`, `RunWith`, `RunWithV`, `OutputWith` (the environment map
//! first) and `sh.Exec` (environment and two writers first), and
//! `exec.Command(...)`, each an argv in the directory mage runs in;
//! `mg.Deps(A, NS.B)`, `mg.SerialDeps`, `mg.CtxDeps` and `mg.F(T,
//! args...)` run those targets first, each once; a call of another
//! function of the file runs its body with its arguments bound. Go string
//! expressions are evaluated where their parts are known: literals, `+`,
//! the parameters and locals (`x := ...`, `var x = ...`), package-level
//! constants, `filepath.Join`, `fmt.Sprintf`'s `%s`/`%v`/`%d`, string
//! slices (`[]string{...}`, `append`, `args...`), and `os.Getenv("X")` as
//! the variable `$X`. Both branches of an `if` are read: what may run
//! is listed. `-l`, `-h`, `-init`, `-clean`, `-version` and `-compile`
//! run no target.

use std::collections::{HashMap, HashSet};

use super::source_text::{
    comment_end, is_ident_byte, literal_end, matching, split_top, string_value,
};
use super::{Lookup, MAX_JOBS, MAX_NESTING, find_file};
use crate::args::Arg;
use crate::commands::{Invocation, Nested};
use crate::flow;

/// The files mage reads targets from, in a directory.
const MAGEFILES: &[&str] = &[
    "magefile.go",
    "mage.go",
    "magefiles/magefile.go",
    "magefiles/mage.go",
    "magefiles/main.go",
];

/// mage's options that take a value.
const VALUED: &[&str] = &[
    "-d", "-w", "-t", "-gocmd", "-goos", "-goarch", "-ldflags", "-compile",
];

/// Options after which no target runs.
const RUN_NOTHING: &[&str] = &[
    "-l", "-h", "-help", "-init", "-clean", "-version", "-compile",
];

/// Calls that run a command: name, and how many leading arguments are
/// not words of it (an environment map, writers, a context).
const COMMAND_CALLS: &[(&str, usize)] = &[
    ("sh.Run", 0),
    ("sh.RunV", 0),
    ("sh.Output", 0),
    ("sh.RunWith", 1),
    ("sh.RunWithV", 1),
    ("sh.OutputWith", 1),
    ("sh.Exec", 3),
    ("exec.Command", 0),
    ("exec.CommandContext", 1),
];

/// Calls that run targets first: name, and how many leading arguments
/// are no targets (a context).
const DEPS_CALLS: &[(&str, usize)] = &[
    ("mg.Deps", 0),
    ("mg.SerialDeps", 0),
    ("mg.CtxDeps", 1),
    ("mg.SerialCtxDeps", 1),
];

/// A Go function of the magefile.
#[derive(Debug)]
struct Function {
    /// The namespace type of a method (`Deploy`), `None` for a function.
    namespace: Option<String>,
    name: String,
    /// Parameters: name and type.
    params: Vec<(String, String)>,
    body: String,
}

impl Function {
    /// The parameters a command line gives words to.
    fn word_params(&self) -> impl Iterator<Item = &(String, String)> {
        self.params.iter().filter(|(_, ty)| !ty.contains("Context"))
    }

    /// True when mage runs it as `name` (`ns:target`, any case).
    fn is_target(&self, name: &str) -> bool {
        let exported = self.name.starts_with(|c: char| c.is_ascii_uppercase());
        let full = match &self.namespace {
            Some(ns) => format!("{ns}:{}", self.name),
            None => self.name.clone(),
        };
        exported && full.eq_ignore_ascii_case(name)
    }
}

/// A value of a Go expression.
#[derive(Debug, Clone)]
enum Value {
    Str(Arg),
    List(Vec<Arg>),
}

/// A magefile's functions and package-level string values.
struct Magefile {
    functions: Vec<Function>,
    globals: HashMap<String, Value>,
    /// The directory the targets run in.
    workdir: String,
}

/// The jobs of `inv`, a `mage` command line, from the magefile known.
pub(super) fn mage(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let mut dir = inv.cwd.to_owned();
    let mut workdir = None;
    let mut words = inv.args.iter();
    let mut positionals: Vec<&Arg> = Vec::new();
    while let Some(arg) = words.next() {
        let text = arg.text.as_str();
        if !positionals.is_empty() || !text.starts_with('-') {
            positionals.push(arg);
            continue;
        }
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (text, None),
        };
        let name = name
            .strip_prefix('-')
            .filter(|n| n.starts_with('-'))
            .unwrap_or(name);
        if RUN_NOTHING.contains(&name) {
            return Vec::new();
        }
        if VALUED.contains(&name) {
            let value = inline.or_else(|| words.next().map(|v| v.text.clone()));
            match (name, value) {
                ("-d", Some(value)) => dir = inv.path(&value),
                ("-w", Some(value)) => workdir = Some(inv.path(&value)),
                _ => {}
            }
        }
    }
    let texts: Vec<String> = MAGEFILES
        .iter()
        .filter_map(|name| find_file(&dir, &[name], false, text_of).map(|(_, _, text)| text))
        .collect();
    if texts.is_empty() {
        return Vec::new();
    }
    let text = texts.join("\n");
    let magefile = Magefile {
        functions: functions(&text),
        globals: globals(&text),
        workdir: workdir.unwrap_or_else(|| inv.cwd.to_owned()),
    };
    let mut run = Run::default();
    let mut words = positionals.into_iter();
    let mut named_any = false;
    while let Some(word) = words.next() {
        let Some(target) = magefile.functions.iter().find(|f| f.is_target(&word.text)) else {
            break;
        };
        named_any = true;
        let args: Vec<Value> = target
            .word_params()
            .map_while(|_| words.next().map(|a| Value::Str(a.clone())))
            .collect();
        magefile.call(target, args, 0, &mut run);
    }
    if !named_any
        && let Some(Value::Str(default)) = magefile.globals.get("Default")
        && let Some(target) = magefile.reference(&default.text)
    {
        magefile.call(target, Vec::new(), 0, &mut run);
    }
    run.jobs
}

/// What the targets run so far.
#[derive(Default)]
struct Run {
    jobs: Vec<Nested>,
    /// Targets run by a dependency call, with their arguments: each runs once.
    done: HashSet<String>,
}

impl Magefile {
    /// The function a reference names: `Build`, `Docs.Build`,
    /// `Docs{}.Build`, the same name in another case.
    fn reference(&self, text: &str) -> Option<&Function> {
        let text = text.trim().replace("{}", "");
        let (namespace, name) = match text.rsplit_once('.') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, text.as_str()),
        };
        let matches = |f: &&Function, exact: bool| {
            let same = |a: &str, b: &str| {
                if exact {
                    a == b
                } else {
                    a.eq_ignore_ascii_case(b)
                }
            };
            same(&f.name, name)
                && match (&f.namespace, namespace) {
                    (Some(a), Some(b)) => same(a, b),
                    (None, None) => true,
                    _ => false,
                }
        };
        self.functions
            .iter()
            .find(|f| matches(f, true))
            .or_else(|| self.functions.iter().find(|f| matches(f, false)))
    }

    /// Runs `function` with `args` bound to its word parameters.
    fn call(&self, function: &Function, args: Vec<Value>, depth: usize, run: &mut Run) {
        if depth > MAX_NESTING || run.jobs.len() >= MAX_JOBS {
            return;
        }
        let mut locals = self.globals.clone();
        let mut args = args.into_iter();
        for (name, ty) in &function.params {
            if ty.contains("Context") {
                continue;
            }
            match args.next() {
                Some(value) => locals.insert(name.clone(), value),
                None => locals.insert(name.clone(), Value::Str(unknown(name))),
            };
        }
        self.walk(&function.body, &mut locals, depth, run);
    }

    /// Reads `body` in order: assignments, command calls, dependencies and
    /// calls of the file's functions.
    fn walk(&self, body: &str, locals: &mut HashMap<String, Value>, depth: usize, run: &mut Run) {
        let bytes = body.as_bytes();
        let mut at = 0;
        while at < bytes.len() && run.jobs.len() < MAX_JOBS {
            if let Some(end) = literal_end(body, at).or_else(|| comment_end(body, at)) {
                at = end;
                continue;
            }
            let starts_name = bytes
                .get(at)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                && (at == 0
                    || bytes
                        .get(at - 1)
                        .is_some_and(|b| !is_ident_byte(*b) && *b != b'.'));
            if !starts_name {
                at += 1;
                continue;
            }
            let mut end = at;
            // A dotted name, `NS{}.Target` included.
            loop {
                if bytes
                    .get(end)
                    .is_some_and(|b| is_ident_byte(*b) || *b == b'.')
                {
                    end += 1;
                } else if body.get(end..).is_some_and(|r| r.starts_with("{}.")) {
                    end += 2;
                } else {
                    break;
                }
            }
            let name = body.get(at..end).unwrap_or_default();
            let mut next = end;
            while bytes.get(next).is_some_and(|b| *b == b' ' || *b == b'\t') {
                next += 1;
            }
            let rest = body.get(next..).unwrap_or_default();
            if rest.starts_with(":=") || (rest.starts_with('=') && !rest.starts_with("==")) {
                let start = next + if rest.starts_with(":=") { 2 } else { 1 };
                let stop = statement_end(body, start);
                if let Some(value) = self.eval(body.get(start..stop).unwrap_or_default(), locals) {
                    locals.insert(name.to_owned(), value);
                }
                at = start;
                continue;
            }
            if rest.starts_with('(') {
                if let Some(close) = matching(body, next) {
                    let inside = body.get(next + 1..close).unwrap_or_default();
                    if self.run_call(name, inside, locals, depth, run) {
                        at = close + 1;
                        continue;
                    }
                }
                at = next + 1;
                continue;
            }
            at = end.max(at + 1);
        }
    }

    /// Runs the call `name(inside)` when it is one that runs something;
    /// false otherwise.
    fn run_call(
        &self,
        name: &str,
        inside: &str,
        locals: &HashMap<String, Value>,
        depth: usize,
        run: &mut Run,
    ) -> bool {
        let pieces = split_top(inside, ",");
        if let Some((_, skip)) = COMMAND_CALLS.iter().find(|(call, _)| *call == name) {
            let env = match (name, pieces.first()) {
                ("sh.RunWith" | "sh.RunWithV" | "sh.OutputWith" | "sh.Exec", Some(map)) => {
                    self.env_map(map, locals)
                }
                _ => Vec::new(),
            };
            let argv = self.words(pieces.get(*skip..).unwrap_or_default(), locals);
            if argv
                .first()
                .is_some_and(|program| !program.dynamic && !program.text.is_empty())
            {
                run.jobs.push(Nested::Argv {
                    argv,
                    env,
                    cwd: Some(self.workdir.clone()),
                });
            }
            return true;
        }
        if let Some((_, skip)) = DEPS_CALLS.iter().find(|(call, _)| *call == name) {
            for piece in pieces.iter().skip(*skip) {
                self.run_dependency(piece, locals, depth, run);
            }
            return true;
        }
        // A function of the file called directly (`Build()`, `tf(dir)`).
        let Some(function) = self
            .reference(name)
            .filter(|f| f.namespace.is_none() || name.contains('.'))
        else {
            return false;
        };
        let args = pieces
            .iter()
            .map(|p| {
                self.eval(p, locals)
                    .unwrap_or_else(|| Value::Str(unknown(p)))
            })
            .collect();
        self.call(function, args, depth + 1, run);
        true
    }

    /// Runs a dependency `T`, `NS.T` or `mg.F(T, args...)` once.
    fn run_dependency(
        &self,
        piece: &str,
        locals: &HashMap<String, Value>,
        depth: usize,
        run: &mut Run,
    ) {
        let (target, args) = match piece
            .strip_prefix("mg.F(")
            .and_then(|p| p.strip_suffix(')'))
        {
            Some(inside) => {
                let pieces = split_top(inside, ",");
                let Some((target, args)) = pieces.split_first() else {
                    return;
                };
                let args: Vec<Value> = args
                    .iter()
                    .map(|p| {
                        self.eval(p, locals)
                            .unwrap_or_else(|| Value::Str(unknown(p)))
                    })
                    .collect();
                (*target, args)
            }
            None => (piece, Vec::new()),
        };
        let Some(function) = self.reference(target) else {
            return;
        };
        let key = format!(
            "{:?}.{}{:?}",
            function.namespace,
            function.name,
            args_text(&args)
        );
        if run.done.insert(key) {
            self.call(function, args, depth + 1, run);
        }
    }

    /// The words of a command's arguments: each string, a slice's
    /// strings (`args...`), an unknown value as a dynamic word.
    fn words(&self, pieces: &[&str], locals: &HashMap<String, Value>) -> Vec<Arg> {
        let mut argv = Vec::new();
        for piece in pieces {
            let spread = piece.strip_suffix("...");
            match self.eval(spread.unwrap_or(piece), locals) {
                Some(Value::Str(arg)) => argv.push(arg),
                Some(Value::List(items)) => argv.extend(items),
                None if spread.is_some() => {}
                None => argv.push(unknown(piece)),
            }
        }
        argv
    }

    /// `map[string]string{"K": "v", ...}` as environment variables.
    fn env_map(&self, map: &str, locals: &HashMap<String, Value>) -> Vec<(String, Arg)> {
        let Some(open) = map.find('{') else {
            return Vec::new();
        };
        let Some(close) = matching(map, open) else {
            return Vec::new();
        };
        split_top(map.get(open + 1..close).unwrap_or_default(), ",")
            .into_iter()
            .filter_map(|entry| {
                let parts = split_top(entry, ":");
                let (key, value) = (parts.first()?, parts.get(1)?);
                let key = string_value(key)?;
                match self.eval(value, locals)? {
                    Value::Str(value) => Some((key, value)),
                    Value::List(_) => None,
                }
            })
            .collect()
    }

    /// The value of the Go expression `expr`, when its parts are known.
    fn eval(&self, expr: &str, locals: &HashMap<String, Value>) -> Option<Value> {
        let terms = split_top(expr.trim(), "+");
        if terms.len() > 1 {
            let mut out = Arg::default();
            for term in terms {
                match self.eval(term, locals)? {
                    Value::Str(part) => absorb(&mut out, &part),
                    Value::List(_) => return None,
                }
            }
            return Some(Value::Str(out));
        }
        let term = terms.first()?.trim();
        if let Some(text) = string_value(term) {
            return Some(Value::Str(Arg::literal(&text)));
        }
        if term.bytes().all(is_ident_byte) {
            return locals.get(term).cloned();
        }
        let open = term.find(['(', '{'])?;
        let close = matching(term, open)?;
        if close + 1 != term.len() {
            return None;
        }
        let head = term.get(..open).unwrap_or_default().trim();
        let inside = term.get(open + 1..close).unwrap_or_default();
        let args = || -> Option<Vec<Arg>> {
            split_top(inside, ",")
                .into_iter()
                .map(|p| match self.eval(p, locals)? {
                    Value::Str(arg) => Some(arg),
                    Value::List(_) => None,
                })
                .collect()
        };
        match head {
            "" | "string" => self.eval(inside, locals),
            "filepath.Join" | "path.Join" => Some(Value::Str(join(&args()?))),
            "fmt.Sprintf" => Some(Value::Str(sprintf(&args()?))),
            "os.Getenv" => {
                let name = string_value(inside)?;
                Some(Value::Str(Arg {
                    text: format!("${name}"),
                    env: vec![name],
                    dynamic: true,
                    ..Arg::default()
                }))
            }
            "[]string" => Some(Value::List(args()?)),
            "append" => {
                let pieces = split_top(inside, ",");
                let (first, rest) = pieces.split_first()?;
                let Some(Value::List(mut items)) = self.eval(first, locals) else {
                    return None;
                };
                items.extend(self.words(rest, locals));
                Some(Value::List(items))
            }
            _ => None,
        }
    }
}

/// The index where the statement that starts at `start` ends: a newline
/// or `;` outside brackets and literals.
fn statement_end(code: &str, start: usize) -> usize {
    let bytes = code.as_bytes();
    let mut at = start;
    while let Some(&byte) = bytes.get(at) {
        if let Some(end) = literal_end(code, at).or_else(|| comment_end(code, at)) {
            at = end;
            continue;
        }
        match byte {
            b'\n' | b';' => return at,
            b'(' | b'[' | b'{' => match matching(code, at) {
                Some(close) => at = close + 1,
                None => return code.len(),
            },
            _ => at += 1,
        }
    }
    code.len()
}

/// A word whose value is not known, written as the expression it is.
fn unknown(expr: &str) -> Arg {
    Arg {
        text: format!("${{{}}}", expr.trim()),
        dynamic: true,
        ..Arg::default()
    }
}

/// `part` appended to `into`: its text and what its expansions carry.
fn absorb(into: &mut Arg, part: &Arg) {
    into.text.push_str(&part.text);
    into.env.extend(part.env.iter().cloned());
    flow::merge(&mut into.prov, &part.prov);
    into.substitutions
        .extend(part.substitutions.iter().cloned());
    into.dynamic |= part.dynamic;
}

/// `filepath.Join(parts...)`: the non-empty parts joined by one `/`.
fn join(parts: &[Arg]) -> Arg {
    let mut out = Arg::default();
    for part in parts.iter().filter(|p| !p.text.is_empty()) {
        if !out.text.is_empty() && !out.text.ends_with('/') {
            out.text.push('/');
        }
        let mut piece = part.clone();
        if !out.text.is_empty() {
            piece.text = piece.text.trim_start_matches('/').to_owned();
        }
        absorb(&mut out, &piece);
    }
    out
}

/// `fmt.Sprintf(format, args...)`: each `%s`, `%v`, `%d` or `%q` filled
/// with the next argument, `%%` a `%`.
fn sprintf(args: &[Arg]) -> Arg {
    let Some((format, values)) = args.split_first() else {
        return Arg::default();
    };
    let mut out = Arg {
        text: String::new(),
        ..format.clone()
    };
    let mut values = values.iter();
    let mut chars = format.text.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.text.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.text.push('%'),
            Some(verb) if verb.is_ascii_alphabetic() => match values.next() {
                Some(value) => absorb(&mut out, value),
                None => out.text.push_str(&format!("%!{verb}(MISSING)")),
            },
            Some(other) => {
                out.text.push('%');
                out.text.push(other);
            }
            None => out.text.push('%'),
        }
    }
    out
}

/// Arguments as text, to tell a dependency's runs apart.
fn args_text(args: &[Value]) -> Vec<String> {
    args.iter()
        .map(|value| match value {
            Value::Str(arg) => arg.text.clone(),
            Value::List(items) => items
                .iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect()
}

/// The functions of Go source `code`: `func Name(params) T {` and
/// `func (RECV) Name(params) T {`, methods only of namespace types
/// (`type NS mg.Namespace`).
fn functions(code: &str) -> Vec<Function> {
    let namespaces: HashSet<&str> = code
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("type ")?;
            let (name, ty) = rest.split_once(char::is_whitespace)?;
            (ty.trim() == "mg.Namespace").then_some(name)
        })
        .collect();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = code.get(at..).and_then(|rest| rest.find("func ")) {
        let start = at + offset;
        at = start + 5;
        let line_start = start == 0 || code.get(..start).is_some_and(|b| b.ends_with('\n'));
        if !line_start {
            continue;
        }
        let mut rest = code.get(at..).unwrap_or_default().trim_start();
        let mut namespace = None;
        if rest.starts_with('(') {
            let Some(close) = matching(rest, 0) else {
                continue;
            };
            let receiver = rest.get(1..close).unwrap_or_default();
            let ty = receiver.split_whitespace().last().unwrap_or_default();
            let ty = ty.trim_start_matches('*');
            if !namespaces.contains(ty) {
                continue;
            }
            namespace = Some(ty.to_owned());
            rest = rest.get(close + 1..).unwrap_or_default().trim_start();
        }
        let name_len = rest.bytes().take_while(|b| is_ident_byte(*b)).count();
        let name = rest.get(..name_len).unwrap_or_default();
        let rest = rest.get(name_len..).unwrap_or_default();
        if name.is_empty() || !rest.starts_with('(') {
            continue;
        }
        let Some(close) = matching(rest, 0) else {
            continue;
        };
        let params = params(rest.get(1..close).unwrap_or_default());
        let after = rest.get(close..).unwrap_or_default();
        let Some(open) = after.find('{') else {
            continue;
        };
        let Some(end) = matching(after, open) else {
            continue;
        };
        found.push(Function {
            namespace,
            name: name.to_owned(),
            params,
            body: after.get(open + 1..end).unwrap_or_default().to_owned(),
        });
    }
    found
}

/// A parameter list's names and types (`a, b string` gives both `string`).
fn params(list: &str) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = Vec::new();
    let mut untyped = 0;
    for piece in split_top(list, ",") {
        match piece.split_once(char::is_whitespace) {
            Some((name, ty)) => {
                let ty = ty.trim().to_owned();
                let len = params.len();
                for (_, earlier) in params.iter_mut().skip(len - untyped) {
                    earlier.clone_from(&ty);
                }
                untyped = 0;
                params.push((name.to_owned(), ty));
            }
            None => {
                untyped += 1;
                params.push((piece.to_owned(), String::new()));
            }
        }
    }
    params
}

/// Package-level string constants and variables (`const X = "..."`, a
/// `const ( ... )` group, `var Default = Build`, the last as the name it
/// refers to).
fn globals(code: &str) -> HashMap<String, Value> {
    let mut globals = HashMap::new();
    let mut depth = 0usize;
    let mut in_group = false;
    for line in code.lines() {
        let trimmed = line.trim();
        if depth == 0 {
            let declaration = trimmed
                .strip_prefix("const ")
                .or_else(|| trimmed.strip_prefix("var "));
            let statement = match declaration {
                Some("(") => {
                    in_group = true;
                    None
                }
                Some(statement) => Some(statement),
                None if in_group && trimmed == ")" => {
                    in_group = false;
                    None
                }
                None if in_group => Some(trimmed),
                None => None,
            };
            if let Some((name, value)) = statement.and_then(|s| s.split_once('=')) {
                let name = name.split_whitespace().next().unwrap_or_default();
                let value = value.trim();
                let parsed = match string_value(value) {
                    Some(text) => Some(Value::Str(Arg::literal(&text))),
                    None if value.bytes().all(|b| is_ident_byte(b) || b == b'.') => {
                        Some(Value::Str(Arg::literal(value)))
                    }
                    None => None,
                };
                if let Some(parsed) = parsed.filter(|_| !name.is_empty()) {
                    globals.insert(name.to_owned(), parsed);
                }
            }
        }
        for byte in line.bytes() {
            match byte {
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    globals
}
