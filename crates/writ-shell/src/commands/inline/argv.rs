//! Commands inline code runs from an argument list rather than a command
//! line: Python's `subprocess.run(['git', 'push'])`, `os.execvp('git',
//! ['git', 'push'])`, `os.spawnlp(os.P_WAIT, 'git', 'git', 'push')`; Node's
//! `execFileSync('git', ['push'])`, `spawn(...)`; Ruby's `system('git',
//! 'push')`, `Open3.capture2(...)`; Perl's `system qw(git push)`, `exec
//! LIST`; PHP's `proc_open([...])`, `pcntl_exec(...)`.
//!
//! Each list element is one word of the command, exactly as written; an
//! element that is not a string literal (a variable, a call) is a word
//! whose value is unknown. The same calls given one string (`system("git
//! push")`, `subprocess.run("...", shell=True)`) run a shell command line.
//!
//! Python modules imported under another name (`import subprocess as s`,
//! `from os import execvp`) are read under their own names.

use super::env_reads;
use crate::args::Arg;

/// What a call runs.
pub(super) enum Job {
    /// A command, word by word.
    Argv(Vec<Arg>),
    /// A shell command line.
    Shell(String),
}

/// A call that runs a command, and the byte range of its arguments (the
/// literals there are the command's words, not data of the code).
pub(super) struct Run {
    pub(super) job: Job,
    pub(super) span: std::ops::Range<usize>,
}

/// How a call's arguments make the command.
#[derive(Clone, Copy)]
enum Shape {
    /// Argument N is the whole command as a list (`subprocess.run([...])`);
    /// given a string instead, a command line.
    List(usize),
    /// Argument N is the program, the list after it its arguments
    /// (`execFile('git', ['push'])`).
    ProgramThenList(usize),
    /// Argument N is the program, the list after it `argv[0]` and the
    /// arguments (`os.execvp('git', ['git', 'push'])`).
    ProgramThenArgv(usize),
    /// Argument N is the program, the arguments after it `argv[0]` and
    /// the arguments; with `true`, the last argument is an environment
    /// (`os.execle`).
    ProgramThenWords(usize, bool),
    /// The arguments are the words, when there are at least N of them;
    /// one string alone is a command line (Perl and Ruby `system`).
    Words(usize),
    /// Argument N is the program, the string after it its arguments as
    /// one line (.NET's `Process.Start("git", "push origin")`).
    ProgramThenLine(usize),
}

const PYTHON: &[(&str, Shape)] = &[
    ("subprocess.run", Shape::List(0)),
    ("subprocess.call", Shape::List(0)),
    ("subprocess.check_call", Shape::List(0)),
    ("subprocess.check_output", Shape::List(0)),
    ("subprocess.Popen", Shape::List(0)),
    ("subprocess.getoutput", Shape::List(0)),
    ("subprocess.getstatusoutput", Shape::List(0)),
    ("os.system", Shape::List(0)),
    ("os.popen", Shape::List(0)),
    ("pty.spawn", Shape::List(0)),
    ("os.execv", Shape::ProgramThenArgv(0)),
    ("os.execve", Shape::ProgramThenArgv(0)),
    ("os.execvp", Shape::ProgramThenArgv(0)),
    ("os.execvpe", Shape::ProgramThenArgv(0)),
    ("os.posix_spawn", Shape::ProgramThenArgv(0)),
    ("os.posix_spawnp", Shape::ProgramThenArgv(0)),
    ("os.spawnv", Shape::ProgramThenArgv(1)),
    ("os.spawnve", Shape::ProgramThenArgv(1)),
    ("os.spawnvp", Shape::ProgramThenArgv(1)),
    ("os.spawnvpe", Shape::ProgramThenArgv(1)),
    ("os.execl", Shape::ProgramThenWords(0, false)),
    ("os.execlp", Shape::ProgramThenWords(0, false)),
    ("os.execle", Shape::ProgramThenWords(0, true)),
    ("os.execlpe", Shape::ProgramThenWords(0, true)),
    ("os.spawnl", Shape::ProgramThenWords(1, false)),
    ("os.spawnlp", Shape::ProgramThenWords(1, false)),
    ("os.spawnle", Shape::ProgramThenWords(1, true)),
    ("os.spawnlpe", Shape::ProgramThenWords(1, true)),
    ("asyncio.create_subprocess_exec", Shape::Words(1)),
    ("asyncio.create_subprocess_shell", Shape::List(0)),
];

/// Node's, Bun's and Deno's calls, by method name (`cp.spawn`,
/// `require('child_process').spawn`, a destructured `spawn`).
const NODE: &[(&str, Shape)] = &[
    ("execFile", Shape::ProgramThenList(0)),
    ("execFileSync", Shape::ProgramThenList(0)),
    ("spawn", Shape::ProgramThenList(0)),
    ("spawnSync", Shape::ProgramThenList(0)),
    ("execa", Shape::ProgramThenList(0)),
    ("execaSync", Shape::ProgramThenList(0)),
];

/// Bun's and Deno's own process APIs: `Bun.spawn(['git', 'push'])` (or
/// `Bun.spawn({cmd: [...]})`), Deno's `Deno.run({cmd: [...]})` and `new
/// Deno.Command('git', {args: ['push']})`.
const RUNTIMES: &[(&str, Shape)] = &[
    ("Bun.spawn", Shape::List(0)),
    ("Bun.spawnSync", Shape::List(0)),
    ("Deno.run", Shape::List(0)),
    ("Deno.Command", Shape::ProgramThenList(0)),
];

/// Options that hold the whole command as a list when no list is given
/// positionally (Bun's and Deno's `{cmd: [...]}`, Python's `args=[...]`).
const COMMAND_OPTIONS: &[&str] = &["cmd", "args"];

/// Options that hold a program's arguments as a list (Deno's `{args:
/// [...]}`).
const ARGUMENT_OPTIONS: &[&str] = &["args"];

const RUBY: &[(&str, Shape)] = &[
    ("system", Shape::Words(2)),
    // Rake's `sh` (its `FileUtils` extension, in every Rakefile and task
    // file): `system`'s arguments.
    ("sh", Shape::Words(2)),
    ("exec", Shape::Words(2)),
    ("spawn", Shape::Words(2)),
    ("Kernel.system", Shape::Words(2)),
    ("Kernel.exec", Shape::Words(2)),
    ("Kernel.spawn", Shape::Words(2)),
    ("Process.spawn", Shape::Words(2)),
    ("Process.exec", Shape::Words(2)),
    ("Open3.capture2", Shape::Words(2)),
    ("Open3.capture2e", Shape::Words(2)),
    ("Open3.capture3", Shape::Words(2)),
    ("Open3.popen2", Shape::Words(2)),
    ("Open3.popen2e", Shape::Words(2)),
    ("Open3.popen3", Shape::Words(2)),
    ("IO.popen", Shape::List(0)),
];

const PERL: &[(&str, Shape)] = &[("system", Shape::Words(2)), ("exec", Shape::Words(2))];

const PHP: &[(&str, Shape)] = &[
    ("proc_open", Shape::List(0)),
    ("pcntl_exec", Shape::ProgramThenList(0)),
    ("Process", Shape::List(0)),
];

/// The JVM's (Java, Kotlin, Groovy, Scala) and .NET's calls:
/// `new ProcessBuilder("rm", "-rf", d)` (or a list), `Runtime.getRuntime()
/// .exec(...)`, `Process.Start("git", "push")`.
const JVM: &[(&str, Shape)] = &[
    ("ProcessBuilder", Shape::Words(1)),
    ("exec", Shape::List(0)),
    ("Process.Start", Shape::ProgramThenLine(0)),
    ("ProcessStartInfo", Shape::ProgramThenLine(0)),
    ("Process", Shape::List(0)),
];

/// Scala's and Groovy's sequences run by an operator after them
/// (`Seq("git", "push").!`, `List(...).!!`).
const JVM_SEQUENCES: &[&str] = &["Seq", "List"];

/// Constructors of lists and arrays in the JVM's and .NET's languages, and
/// the bracket that closes them.
const JVM_LISTS: &[(&str, u8)] = &[
    ("listOf(", b')'),
    ("mutableListOf(", b')'),
    ("arrayOf(", b')'),
    ("List.of(", b')'),
    ("Arrays.asList(", b')'),
    ("Seq(", b')'),
    ("List(", b')'),
    ("new String[]{", b'}'),
    ("new String[] {", b'}'),
    ("new string[]{", b'}'),
    ("new string[] {", b'}'),
    ("new[]{", b'}'),
    ("new[] {", b'}'),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Language {
    Python,
    Node,
    Ruby,
    Perl,
    Php,
    Jvm,
}

fn language(program: &str) -> Option<Language> {
    if program.starts_with("python") || program.starts_with("pypy") {
        Some(Language::Python)
    } else if matches!(program, "node" | "nodejs" | "bun" | "deno") {
        Some(Language::Node)
    } else if program.starts_with("ruby") {
        Some(Language::Ruby)
    } else if program.starts_with("perl") {
        Some(Language::Perl)
    } else if program.starts_with("php") {
        Some(Language::Php)
    } else if matches!(
        program,
        "jshell"
            | "kotlin"
            | "kotlinc"
            | "kotlinc-jvm"
            | "groovy"
            | "scala"
            | "scala-cli"
            | "scala3"
            | "dotnet"
            | "csi"
            | "pwsh"
            | "powershell"
    ) {
        Some(Language::Jvm)
    } else {
        None
    }
}

/// The calls in `code` that run a command from an argument list (or, for
/// the same calls, from one command-line string).
pub(super) fn runs(code: &str, program: &str) -> Vec<Run> {
    if super::clojure::is_clojure(program) {
        return super::clojure::runs(code);
    }
    let Some(language) = language(program) else {
        return Vec::new();
    };
    let imports = match language {
        Language::Python => python_imports(code),
        _ => Vec::new(),
    };
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\'' | b'"' | b'`' => at = string_end(code, at),
            b'[' if language == Language::Jvm => {
                // Groovy's `["git", "push"].execute()`.
                match split_args(code, at + 1, Some(b']')) {
                    Some((args, end))
                        if code
                            .get(end + 1..)
                            .is_some_and(|after| after.trim_start().starts_with(".execute(")) =>
                    {
                        found.extend(run(language, Shape::Words(1), &args, at + 1..end));
                        at = end.max(at + 1);
                    }
                    _ => at += 1,
                }
            }
            b'#' if !matches!(language, Language::Node | Language::Php | Language::Jvm) => {
                at = code
                    .get(at..)
                    .and_then(|rest| rest.find('\n'))
                    .map_or(code.len(), |n| at + n);
            }
            b'(' => {
                let name = call_name(code, at);
                match shape_of(language, name, &imports)
                    .and_then(|shape| {
                        let (args, end) = split_args(code, at + 1, Some(b')'))?;
                        Some((shape, args, end))
                    })
                    .or_else(|| {
                        // Scala's `Seq("git", "push").!`.
                        if language != Language::Jvm || !JVM_SEQUENCES.contains(&name) {
                            return None;
                        }
                        let (args, end) = split_args(code, at + 1, Some(b')'))?;
                        let after = code.get(end + 1..)?.trim_start();
                        after
                            .starts_with('!')
                            .then_some(())
                            .or_else(|| after.starts_with(".!").then_some(()))?;
                        Some((Shape::Words(1), args, end))
                    }) {
                    Some((shape, args, end)) => {
                        found.extend(run(language, shape, &args, at + 1..end));
                        at = end.max(at + 1);
                    }
                    None => at += 1,
                }
            }
            _ if matches!(language, Language::Perl | Language::Ruby)
                && byte.is_ascii_alphabetic()
                && at
                    .checked_sub(1)
                    .and_then(|b| bytes.get(b))
                    .is_none_or(|c| {
                        !is_name_byte(*c) && !matches!(*c, b'$' | b'@' | b'%' | b'&' | b'>')
                    }) =>
            {
                // A call without parentheses: `system 'git', 'push'`.
                let word_end = code
                    .get(at..)
                    .and_then(|rest| rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
                    .map_or(code.len(), |n| at + n);
                let word = code.get(at..word_end).unwrap_or_default();
                let after = code.get(word_end..).unwrap_or_default();
                let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
                let next = after.get(gap..).unwrap_or_default();
                let bare_list = gap > 0
                    && (next.starts_with(['\'', '"', '$', '@', '['])
                        || next.starts_with("qw")
                        || next.starts_with("%w"));
                let shape = bare_list
                    .then(|| shape_of(language, word, &imports))
                    .flatten();
                match shape.and_then(|shape| {
                    let (args, end) = split_args(code, word_end + gap, None)?;
                    Some((shape, args, end))
                }) {
                    Some((shape, args, end)) => {
                        found.extend(run(language, shape, &args, word_end..end));
                        at = end.max(word_end);
                    }
                    None => at = word_end,
                }
            }
            _ => at += 1,
        }
    }
    found
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Just past the string literal that starts at `start` (its quote).
fn string_end(code: &str, start: usize) -> usize {
    let bytes = code.as_bytes();
    let Some(&quote) = bytes.get(start) else {
        return code.len();
    };
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        if byte == b'\\' {
            at += 2;
        } else if byte == quote {
            return at + 1;
        } else {
            at += 1;
        }
    }
    code.len()
}

/// The dotted name before the `(` at `open`: `subprocess.run`, `s.run`.
fn call_name(code: &str, open: usize) -> &str {
    let head = code.get(..open).unwrap_or_default();
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '$')))
        .map_or(0, |at| at + 1);
    head.get(start..)
        .unwrap_or_default()
        .trim_start_matches(['.', ':'])
}

fn shape_of(language: Language, name: &str, imports: &[(String, String)]) -> Option<Shape> {
    if name.is_empty() {
        return None;
    }
    let find = |table: &[(&str, Shape)], name: &str| {
        table
            .iter()
            .find(|(call, _)| *call == name)
            .map(|(_, shape)| *shape)
    };
    match language {
        Language::Python => {
            let (head, tail) = name.split_once('.').unwrap_or((name, ""));
            match imports.iter().find(|(local, _)| local == head) {
                Some((_, module)) if tail.is_empty() => find(PYTHON, module),
                Some((_, module)) => find(PYTHON, &format!("{module}.{tail}")),
                None => find(PYTHON, name),
            }
        }
        Language::Node => find(RUNTIMES, name).or_else(|| {
            let method = name.rsplit('.').next().unwrap_or(name);
            find(NODE, method)
        }),
        Language::Ruby => find(RUBY, name.trim_start_matches("::")),
        Language::Perl => find(PERL, name.trim_start_matches("CORE::")),
        Language::Php => find(PHP, name.rsplit('\\').next().unwrap_or(name)),
        Language::Jvm => find(JVM, name.trim_start_matches("System.Diagnostics.")).or_else(|| {
            let method = name.rsplit('.').next().unwrap_or(name);
            (method != "exec" || name.ends_with("getRuntime().exec") || name == "exec")
                .then(|| find(JVM, method))
                .flatten()
        }),
    }
}

/// Python names bound by imports, as `(local name, what it names)`:
/// `import subprocess as s` binds `s` to `subprocess`; `from os import
/// execvp as x` binds `x` to `os.execvp`.
fn python_imports(code: &str) -> Vec<(String, String)> {
    let mut names = Vec::new();
    for statement in code.split([';', '\n']) {
        let statement = statement.trim();
        if let Some(list) = statement.strip_prefix("import ") {
            for item in list.split(',') {
                let mut parts = item.split_whitespace();
                if let (Some(module), Some("as"), Some(local)) =
                    (parts.next(), parts.next(), parts.next())
                {
                    names.push((local.to_owned(), module.to_owned()));
                }
            }
        } else if let Some(rest) = statement.strip_prefix("from ")
            && let Some((module, list)) = rest.split_once(" import ")
        {
            let list = list.trim().trim_start_matches('(').trim_end_matches(')');
            for item in list.split(',') {
                let mut parts = item.split_whitespace();
                let Some(name) = parts.next() else {
                    continue;
                };
                let local = match (parts.next(), parts.next()) {
                    (Some("as"), Some(local)) => local,
                    _ => name,
                };
                names.push((local.to_owned(), format!("{}.{name}", module.trim())));
            }
        }
    }
    names
}

/// The arguments from `start`, split at top-level commas, and where they
/// end: at `close` (a call's `)`, a list's `]`) or, without one, at the
/// end of the statement (`;`, a line end, `or die`, `if ...`). `None` when
/// `close` is never reached.
pub(super) fn split_args(
    code: &str,
    start: usize,
    close: Option<u8>,
) -> Option<(Vec<&str>, usize)> {
    let bytes = code.as_bytes();
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut piece_start = start;
    let mut at = start;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\'' | b'"' | b'`' => {
                at = string_end(code, at);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            b')' | b']' | b'}' => {
                if close.is_some_and(|c| c != byte) {
                    return None;
                }
                pieces.push(code.get(piece_start..at).unwrap_or_default());
                return Some((pieces, at));
            }
            b',' if depth == 0 => {
                pieces.push(code.get(piece_start..at).unwrap_or_default());
                piece_start = at + 1;
            }
            b';' | b'\n' if depth == 0 && close.is_none() => {
                pieces.push(code.get(piece_start..at).unwrap_or_default());
                return Some((pieces, at));
            }
            b' ' if depth == 0 && close.is_none() => {
                let rest = code.get(at..).unwrap_or_default();
                if [" or ", " and ", " if ", " unless ", " || ", " && ", " or\n"]
                    .iter()
                    .any(|end| rest.starts_with(end))
                {
                    pieces.push(code.get(piece_start..at).unwrap_or_default());
                    return Some((pieces, at));
                }
            }
            _ => {}
        }
        at += 1;
    }
    if close.is_some() {
        return None;
    }
    pieces.push(code.get(piece_start..).unwrap_or_default());
    Some((pieces, code.len()))
}

/// One word of a command: a literal's text, or an expression whose value
/// is unknown.
enum Word<'a> {
    Known(String),
    Unknown(&'a str),
}

/// One argument of a call.
enum Element<'a> {
    Word(Word<'a>),
    /// A list (`[...]`, a tuple, `qw(...)`, `%w[...]`), and whatever is
    /// added to it (`['git'] + args`).
    List(Vec<Word<'a>>),
    /// Keyword arguments and option hashes (`check=True`, `{shell: true}`,
    /// `chdir: 'x'`): not words.
    Options(&'a str),
}

fn element(piece: &str, language: Language) -> Option<Element<'_>> {
    let piece = piece.trim();
    if piece.is_empty() {
        return None;
    }
    if piece.starts_with('{') || is_keyword_argument(piece, language) {
        return Some(Element::Options(piece));
    }
    if let Some(words) = word_list(piece) {
        return Some(Element::List(words));
    }
    if language == Language::Jvm
        && let Some((prefix, close)) = JVM_LISTS.iter().find(|(p, _)| piece.starts_with(p))
    {
        let (inner, _) = split_args(piece, prefix.len(), Some(*close))?;
        return Some(Element::List(
            inner
                .into_iter()
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| word(item, language))
                .collect(),
        ));
    }
    // A list spread into the arguments (`*%w[git push]`, `*['git']`).
    if let Some(spread) = piece.strip_prefix('*').filter(|p| !p.starts_with('*'))
        && let Some(list @ Element::List(_)) = element(spread, language)
    {
        return Some(list);
    }
    let close = match piece.as_bytes().first() {
        Some(b'[') => b']',
        Some(b'(') if language == Language::Python => b')',
        _ => return Some(Element::Word(word(piece, language))),
    };
    let (inner, end) = split_args(piece, 1, Some(close))?;
    let mut words: Vec<Word<'_>> = inner
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| word(item, language))
        .collect();
    let rest = piece.get(end + 1..).unwrap_or_default().trim();
    if let Some(added) = rest.strip_prefix('+') {
        words.push(Word::Unknown(added.trim()));
    } else if !rest.is_empty() {
        return Some(Element::Word(Word::Unknown(piece)));
    }
    Some(Element::List(words))
}

/// `name=value` in Python, `name: value` and `:name => value` in Ruby.
fn is_keyword_argument(piece: &str, language: Language) -> bool {
    let name_len = piece
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(piece.len());
    let after = piece.get(name_len..).unwrap_or_default();
    match language {
        Language::Python => {
            name_len > 0
                && after.trim_start().starts_with('=')
                && !after.trim_start().starts_with("==")
        }
        Language::Ruby => {
            (name_len > 0 && after.starts_with(':') && !after.starts_with("::"))
                || (piece.starts_with(':') && piece.contains("=>"))
        }
        _ => false,
    }
}

/// Perl's `qw(a b c)` and Ruby's `%w[a b c]`: words split at whitespace.
fn word_list(piece: &str) -> Option<Vec<Word<'_>>> {
    let body = piece
        .strip_prefix("qw")
        .or_else(|| piece.strip_prefix("%w"))?
        .trim_start();
    let open = body.chars().next()?;
    let close = match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        c if c.is_ascii_punctuation() => c,
        _ => return None,
    };
    let inner = body.get(open.len_utf8()..)?;
    let end = inner.find(close)?;
    if !inner.get(end + 1..).unwrap_or_default().trim().is_empty() {
        return None;
    }
    Some(
        inner
            .get(..end)
            .unwrap_or_default()
            .split_whitespace()
            .map(|w| Word::Known(w.to_owned()))
            .collect(),
    )
}

/// Expressions whose value is the path of the interpreter running the
/// code (`sys.executable`, `process.execPath`, `$^X`, ...), by language,
/// and the program they name: `subprocess.run([sys.executable, '-m',
/// 'pip', ...])` runs `python3 -m pip`.
const INTERPRETERS: &[(Language, &str, &str)] = &[
    (Language::Python, "sys.executable", "python3"),
    (Language::Node, "process.execPath", "node"),
    (Language::Node, "process.argv[0]", "node"),
    (Language::Node, "process.argv0", "node"),
    (Language::Ruby, "RbConfig.ruby", "ruby"),
    (Language::Ruby, "Gem.ruby", "ruby"),
    (Language::Perl, "$^X", "perl"),
    (Language::Perl, "$EXECUTABLE_NAME", "perl"),
    (Language::Php, "PHP_BINARY", "php"),
];

/// A string literal's text, the interpreter for an expression that names
/// it ([`INTERPRETERS`]), or an unknown value for anything else (a name,
/// a call, concatenation, interpolation).
fn word(piece: &str, language: Language) -> Word<'_> {
    if let Some((_, _, program)) = INTERPRETERS
        .iter()
        .find(|(lang, expr, _)| *lang == language && piece == *expr)
    {
        return Word::Known((*program).to_owned());
    }
    // Python's raw, bytes and unicode prefixes (`f'...'` interpolates).
    let prefix = match language {
        Language::Python => piece
            .find(['\'', '"'])
            .filter(|at| {
                *at <= 2
                    && piece
                        .get(..*at)
                        .is_some_and(|p| p.chars().all(|c| "rRbBuU".contains(c)))
            })
            .unwrap_or(0),
        _ => 0,
    };
    let unquoted = piece.get(prefix..).unwrap_or(piece);
    let found = super::literals(unquoted);
    let [literal] = found.as_slice() else {
        return Word::Unknown(piece);
    };
    if literal.start != 0 || literal.end != unquoted.len() {
        return Word::Unknown(piece);
    }
    let double = unquoted.starts_with('"');
    let interpolates = match language {
        Language::Perl | Language::Php => double && literal.text.contains('$'),
        Language::Ruby => double && literal.text.contains("#{"),
        Language::Node => unquoted.starts_with('`') && literal.text.contains("${"),
        Language::Python => false,
        Language::Jvm => double && (literal.text.contains("${") || literal.text.contains('$')),
    };
    if interpolates || literal.backtick && language != Language::Node {
        return Word::Unknown(piece);
    }
    Word::Known(literal.text.clone())
}

/// The command a call with these arguments runs.
fn run(
    language: Language,
    shape: Shape,
    pieces: &[&str],
    span: std::ops::Range<usize>,
) -> Option<Run> {
    let elements: Vec<Element<'_>> = pieces
        .iter()
        .filter_map(|piece| element(piece, language))
        .collect();
    let options = || {
        elements.iter().filter_map(|e| match e {
            Element::Options(text) => Some(*text),
            _ => None,
        })
    };
    let mut positional = elements
        .iter()
        .filter(|e| !matches!(e, Element::Options(_)));
    let option_list = options()
        .find_map(|text| option_value(text, COMMAND_OPTIONS))
        .and_then(|value| element(value, language));
    let argument_list = options()
        .find_map(|text| option_value(text, ARGUMENT_OPTIONS))
        .and_then(|value| element(value, language));
    let job = match shape {
        Shape::List(n) => match positional
            .nth(n)
            .or(option_list.as_ref().filter(|_| n == 0))?
        {
            Element::List(words) if runs_shell(language, options()) => {
                // `Popen(['cmd line', ...], shell=True)`: the first item is
                // the command line.
                match words.first()? {
                    Word::Known(text) => Job::Shell(text.clone()),
                    Word::Unknown(_) => return None,
                }
            }
            Element::List(words) => Job::Argv(argv(None, words)?),
            Element::Word(Word::Known(text)) => Job::Shell(text.clone()),
            _ => return None,
        },
        Shape::ProgramThenList(n) => {
            let program = match positional.nth(n)? {
                Element::Word(word) => word,
                _ => return None,
            };
            let words = match positional.next().or(argument_list.as_ref()) {
                Some(Element::List(words)) => words.as_slice(),
                _ => &[],
            };
            let command = argv(Some(program), words)?;
            if runs_shell(language, options()) {
                // Node's `shell: true`: the words joined are a command line.
                Job::Shell(
                    command
                        .iter()
                        .map(|a| a.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            } else {
                Job::Argv(command)
            }
        }
        Shape::ProgramThenArgv(n) => {
            let program = match positional.nth(n)? {
                Element::Word(word) => word,
                _ => return None,
            };
            let words = match positional.next() {
                Some(Element::List(words)) => words.get(1..).unwrap_or_default(),
                _ => &[],
            };
            Job::Argv(argv(Some(program), words)?)
        }
        Shape::ProgramThenWords(n, environment_last) => {
            let program = match positional.nth(n)? {
                Element::Word(word) => word,
                _ => return None,
            };
            let mut rest: Vec<&Element<'_>> = positional.collect();
            if environment_last {
                rest.pop();
            }
            let words: Vec<&Word<'_>> = rest.iter().skip(1).flat_map(|e| flatten(e)).collect();
            let mut command = vec![program_arg(program)?];
            command.extend(words.into_iter().map(to_arg));
            Job::Argv(command)
        }
        Shape::ProgramThenLine(n) => {
            let program = match positional.nth(n)? {
                Element::Word(Word::Known(text)) => text.clone(),
                _ => return None,
            };
            match positional.next() {
                Some(Element::Word(Word::Known(line))) => Job::Shell(format!("{program} {line}")),
                Some(_) => return None,
                None => Job::Shell(program),
            }
        }
        Shape::Words(min) => {
            let words: Vec<&Word<'_>> = positional.flat_map(|e| flatten(e)).collect();
            match words.as_slice() {
                [Word::Known(text)] if min > 1 => Job::Shell(text.clone()),
                words if words.len() >= min => {
                    let (program, rest) = words.split_first()?;
                    let mut command = vec![program_arg(program)?];
                    command.extend(rest.iter().copied().map(to_arg));
                    Job::Argv(command)
                }
                _ => return None,
            }
        }
    };
    Some(Run { job, span })
}

/// The value of the first of `keys` in an options argument: an object's
/// `key: value` (`{cmd: [...]}`, `{'args': [...]}`) or a keyword argument
/// `key=value`.
fn option_value<'a>(options: &'a str, keys: &[&str]) -> Option<&'a str> {
    let entries = match options.strip_prefix('{') {
        Some(_) => split_args(options, 1, Some(b'}'))?.0,
        None => vec![options],
    };
    entries.into_iter().find_map(|entry| {
        let entry = entry.trim();
        keys.iter().find_map(|key| {
            let rest = [*key, &format!("'{key}'"), &format!("\"{key}\"")]
                .iter()
                .find_map(|name| entry.strip_prefix(name))?;
            let rest = rest.trim_start();
            rest.strip_prefix(':')
                .or_else(|| rest.strip_prefix('=').filter(|r| !r.starts_with('=')))
                .map(str::trim)
        })
    })
}

fn flatten<'e, 'a>(element: &'e Element<'a>) -> Vec<&'e Word<'a>> {
    match element {
        Element::Word(word) => vec![word],
        Element::List(words) => words.iter().collect(),
        Element::Options(_) => Vec::new(),
    }
}

/// Python's `shell=True`, Node's `{shell: true}` (or a shell's path).
fn runs_shell<'a>(language: Language, mut options: impl Iterator<Item = &'a str>) -> bool {
    options.any(|text| {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match language {
            Language::Python => compact == "shell=True",
            Language::Node => compact.split_once("shell:").is_some_and(|(_, value)| {
                !["false", "undefined", "null", "0"]
                    .iter()
                    .any(|no| value.starts_with(no))
            }),
            _ => false,
        }
    })
}

/// The command's words: the program (when the call names it apart from
/// the list) then the list. `None` when the program is unknown.
fn argv(program: Option<&Word<'_>>, words: &[Word<'_>]) -> Option<Vec<Arg>> {
    let mut all = program.into_iter().chain(words);
    let first = all.next()?;
    let mut command = vec![program_arg(first)?];
    command.extend(all.map(to_arg));
    Some(command)
}

/// The program a command runs: a literal (an unknown program is not
/// read).
fn program_arg(word: &Word<'_>) -> Option<Arg> {
    match word {
        Word::Known(text) if !text.is_empty() => Some(Arg::literal(text)),
        _ => None,
    }
}

/// A word as an argument; an unknown value is an expansion (`$name`), so
/// it is never read as a value it may not have.
fn to_arg(word: &Word<'_>) -> Arg {
    match word {
        Word::Known(text) => Arg::literal(text),
        Word::Unknown(expr) => Arg {
            text: if expr.starts_with('$') {
                (*expr).to_owned()
            } else {
                format!("${expr}")
            },
            env: env_reads(expr),
            dynamic: true,
            ..Arg::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(code: &str, program: &str) -> Vec<String> {
        runs(code, program)
            .into_iter()
            .map(|run| match run.job {
                Job::Argv(args) => args
                    .iter()
                    .map(|a| a.text.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
                Job::Shell(text) => format!("sh: {text}"),
            })
            .collect()
    }

    #[test]
    fn python_imports_bind_local_names() {
        assert_eq!(
            python_imports("import subprocess as s, os; from os import execvp as x, spawnlp"),
            [
                ("s".to_owned(), "subprocess".to_owned()),
                ("x".to_owned(), "os.execvp".to_owned()),
                ("spawnlp".to_owned(), "os.spawnlp".to_owned()),
            ]
        );
    }

    #[test]
    fn call_shapes_make_argv() {
        assert_eq!(
            texts(
                "import subprocess as s; s.run(['git','push', b], check=True)",
                "python3"
            ),
            ["git|push|$b"]
        );
        assert_eq!(
            texts("os.execvp('git', ['x', 'push'])", "python3"),
            ["git|push"]
        );
        assert_eq!(
            texts("os.spawnlp(os.P_WAIT, 'git', 'git', 'push')", "python3"),
            ["git|push"]
        );
        assert_eq!(
            texts("os.execle('/bin/rm', 'rm', 'x', env)", "python3"),
            ["/bin/rm|x"]
        );
        assert_eq!(
            texts("subprocess.run('ls -l', shell=True)", "python3"),
            ["sh: ls -l"]
        );
        assert_eq!(
            texts("subprocess.run([cmd, 'x'])", "python3"),
            Vec::<String>::new()
        );
        assert_eq!(
            texts(
                "require('child_process').execFileSync('git', ['push', '-f'])",
                "node"
            ),
            ["git|push|-f"]
        );
        assert_eq!(
            texts("cp.spawn('rm', ['-rf', 'x'], {shell: true})", "node"),
            ["sh: rm -rf x"]
        );
        assert_eq!(
            texts("system qw(git push -f) or die", "perl"),
            ["git|push|-f"]
        );
        assert_eq!(texts("system 'git', 'push', $b;", "perl"), ["git|push|$b"]);
        assert_eq!(texts("system(\"git $x\")", "perl"), Vec::<String>::new());
        assert_eq!(
            texts("system({'A'=>'1'}, 'git', 'push', chdir: 'x')", "ruby"),
            ["git|push"]
        );
        assert_eq!(texts("Open3.capture2('git', 'push')", "ruby"), ["git|push"]);
        assert_eq!(
            texts("mysystem('git', 'push')", "ruby"),
            Vec::<String>::new()
        );
        assert_eq!(
            texts("print('system', 'x')", "python3"),
            Vec::<String>::new()
        );
        assert_eq!(
            texts(
                "subprocess.check_call([sys.executable, '-m', 'pip', 'install', 'x'])",
                "python3"
            ),
            ["python3|-m|pip|install|x"]
        );
        assert_eq!(
            texts("execFileSync(process.execPath, ['x.js'])", "node"),
            ["node|x.js"]
        );
    }
}
