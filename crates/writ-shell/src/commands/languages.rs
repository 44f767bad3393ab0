//! Interpreters of less common languages: Elixir (`elixir`, `mix run`),
//! Erlang (`erl -eval`, `escript`), Haskell (`ghc -e`, `runghc`,
//! `stack runghc`), OCaml, Crystal, Nim, Zig, Racket, Guile, the Common
//! Lisps (`sbcl`, `ecl`, `ccl`), Swift, Dart, `rust-script` and `go run`.
//!
//! A table gives each program its code options (`-e CODE`, `--eval:CODE`),
//! the options that take a value, and its script argument. Code is read by
//! [`super::inline::analyze`] after the language's own syntax is made
//! plain ([`normalize`]) and the commands it runs are taken out
//! ([`calls::runs`]); a script file is read, and its text read as code
//! when an earlier step wrote it ([`written_scripts`]), as are the entry
//! files of a package directory `go run` is given (`go run ./cmd/tool`).
//! Go's own spellings of paths are made plain for the path evaluator
//! ([`golang`]). pytest runs the `conftest.py` files it loads ([`pytest`]).
//!
//! A Go or Rust program is read with its command line: `go run PKG ARGS`
//! and `cargo run [--bin NAME] -- ARGS` (the program by Cargo's
//! conventions: [`cargo`]) give the code's `flag` options ([`go_flags`])
//! and `std::env::args()` ([`rust_args`]) their values, the branches
//! those values rule out are dropped ([`braces`]), calls of its own
//! helpers are read as their bodies ([`helpers`]), and its database
//! library (`database/sql`, pgx, sqlx, tokio-postgres, ...) runs the SQL
//! it writes out against the server its DSN names.
//!
//! An Elixir script (`mix run f.exs ARGS`, `elixir f.exs ARGS`) is read
//! with its command line too: its `OptionParser` options take the values
//! the words give, and its `~w(...)` word lists are lists ([`elixir`]).

mod braces;
mod calls;
mod cargo;
pub(in crate::commands) mod compiled_values;
mod elixir;
mod go_flags;
mod golang;
mod helpers;
mod pytest;
mod rust_args;

pub(crate) use pytest::written_conftests;

use super::{Invocation, Lookup, Nested, Outcome};
use crate::args::Arg;

/// A language family: its calls and syntax.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Family {
    Elixir,
    Erlang,
    Lisp,
    Haskell,
    Ocaml,
    Crystal,
    Nim,
    Zig,
    Swift,
    Dart,
    Rust,
    Go,
}

/// What the words that are not options are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Positional {
    /// The first is a script file; the rest its arguments.
    Script,
    /// They are the code (`crystal eval CODE`).
    Code,
    /// Arguments of the runtime, not code.
    Nothing,
}

/// How one program takes code.
struct Spec {
    programs: &'static [&'static str],
    family: Family,
    /// Subcommands that run code, and what their words are; when not
    /// empty, another subcommand is not read here.
    subcommands: &'static [(&'static str, Positional)],
    /// Options whose next word is code.
    code: &'static [&'static str],
    /// Options that carry code joined (`--eval:CODE`, `--eval=CODE`).
    joined: &'static [&'static str],
    /// Options whose next word is a value, not code.
    values: &'static [&'static str],
    /// Options whose next word is a code file.
    scripts: &'static [&'static str],
    /// What the other words are (without a subcommand).
    positional: Positional,
    /// The extension a script must have (`go run f.go`; `dart run pkg` runs
    /// a package's executable).
    extension: Option<&'static str>,
    /// Options that read the code from standard input.
    stdin: &'static [&'static str],
    /// The words after the code option are the code's arguments (`guile -c`).
    code_ends: bool,
}

const NONE: &[&str] = &[];

const SPECS: &[Spec] = &[
    Spec {
        programs: &["elixir"],
        family: Family::Elixir,
        subcommands: &[],
        code: &["-e", "--eval"],
        joined: NONE,
        values: &[
            "-pa",
            "-pz",
            "--erl",
            "--name",
            "--sname",
            "--cookie",
            "--boot",
            "--vm-args",
        ],
        scripts: &["-r", "-pr"],
        positional: Positional::Script,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["mix"],
        family: Family::Elixir,
        subcommands: &[("run", Positional::Script)],
        code: &["-e", "--eval"],
        joined: NONE,
        values: &["-r", "--require", "-p", "--parallel-require"],
        scripts: NONE,
        positional: Positional::Nothing,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["erl"],
        family: Family::Erlang,
        subcommands: &[],
        code: &["-eval"],
        joined: NONE,
        values: &[
            "-pa",
            "-pz",
            "-sname",
            "-name",
            "-setcookie",
            "-config",
            "-boot",
            "-args_file",
        ],
        scripts: NONE,
        positional: Positional::Nothing,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["escript"],
        family: Family::Erlang,
        subcommands: &[],
        code: NONE,
        joined: NONE,
        values: NONE,
        scripts: NONE,
        positional: Positional::Script,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["ghc", "ghci"],
        family: Family::Haskell,
        subcommands: &[],
        code: &["-e"],
        joined: NONE,
        values: &["-o", "-package", "-outputdir", "-odir", "-hidir"],
        scripts: NONE,
        positional: Positional::Nothing,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["runghc", "runhaskell"],
        family: Family::Haskell,
        subcommands: &[],
        code: NONE,
        joined: NONE,
        values: &["-f"],
        scripts: NONE,
        positional: Positional::Script,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["stack"],
        family: Family::Haskell,
        subcommands: &[
            ("runghc", Positional::Script),
            ("runhaskell", Positional::Script),
            ("script", Positional::Script),
        ],
        code: NONE,
        joined: NONE,
        values: &["--resolver", "--stack-yaml", "--package", "--compiler"],
        scripts: NONE,
        positional: Positional::Nothing,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["ocaml"],
        family: Family::Ocaml,
        subcommands: &[],
        code: NONE,
        joined: NONE,
        values: &["-I", "-open", "-init", "-ppx"],
        scripts: NONE,
        positional: Positional::Script,
        extension: None,
        stdin: &["-stdin"],
        code_ends: false,
    },
    Spec {
        programs: &["crystal"],
        family: Family::Crystal,
        subcommands: &[("eval", Positional::Code), ("run", Positional::Script)],
        code: NONE,
        joined: NONE,
        values: &[
            "-D",
            "--define",
            "-o",
            "--output",
            "--target",
            "--link-flags",
        ],
        scripts: NONE,
        positional: Positional::Script,
        extension: Some(".cr"),
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["nim"],
        family: Family::Nim,
        subcommands: &[
            ("r", Positional::Script),
            ("run", Positional::Script),
            ("e", Positional::Script),
        ],
        code: NONE,
        joined: &["--eval:", "--eval="],
        values: NONE,
        scripts: NONE,
        positional: Positional::Nothing,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["zig"],
        family: Family::Zig,
        subcommands: &[("run", Positional::Script)],
        code: NONE,
        joined: NONE,
        values: &[
            "-O", "-target", "-I", "-L", "--dep", "-M", "-mcpu", "--name",
        ],
        scripts: NONE,
        positional: Positional::Nothing,
        extension: Some(".zig"),
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["racket"],
        family: Family::Lisp,
        subcommands: &[],
        code: &["-e", "--eval"],
        joined: NONE,
        values: &["-l", "--lib", "-I", "-S", "--search", "-X", "-W", "-p"],
        scripts: &[
            "-t",
            "--require",
            "-r",
            "--script",
            "-f",
            "--load",
            "-u",
            "--require-script",
        ],
        positional: Positional::Script,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["guile"],
        family: Family::Lisp,
        subcommands: &[],
        code: &["-c"],
        joined: NONE,
        values: &["-L", "-C", "-x", "-e", "--language", "--listen"],
        scripts: &["-s", "-l"],
        positional: Positional::Script,
        extension: None,
        stdin: NONE,
        code_ends: true,
    },
    Spec {
        programs: &["sbcl", "ccl", "ccl64", "ecl", "clisp"],
        family: Family::Lisp,
        subcommands: &[],
        code: &["--eval", "-eval", "-x"],
        joined: NONE,
        values: &[
            "--core",
            "--dynamic-space-size",
            "--control-stack-size",
            "--userinit",
            "--sysinit",
        ],
        scripts: &["--load", "--script", "-load", "-shell", "-l", "-i"],
        positional: Positional::Nothing,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["swift"],
        family: Family::Swift,
        subcommands: &[],
        code: &["-e"],
        joined: NONE,
        values: &[
            "-I",
            "-L",
            "-F",
            "-module-name",
            "-sdk",
            "-target",
            "-Xcc",
            "-Xlinker",
        ],
        scripts: NONE,
        positional: Positional::Script,
        extension: Some(".swift"),
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["dart"],
        family: Family::Dart,
        subcommands: &[("run", Positional::Script)],
        code: NONE,
        joined: NONE,
        values: &["--define", "-D", "--packages"],
        scripts: NONE,
        positional: Positional::Script,
        extension: Some(".dart"),
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["rust-script"],
        family: Family::Rust,
        subcommands: &[],
        code: &["-e", "--expr", "-l", "--loop"],
        joined: NONE,
        values: &["-d", "--dep", "--features", "--toolchain", "--base-path"],
        scripts: NONE,
        positional: Positional::Script,
        extension: None,
        stdin: NONE,
        code_ends: false,
    },
    Spec {
        programs: &["go"],
        family: Family::Go,
        subcommands: &[("run", Positional::Script)],
        code: NONE,
        joined: NONE,
        values: &[
            "-tags", "-exec", "-ldflags", "-gcflags", "-o", "-C", "-mod", "-p",
        ],
        scripts: NONE,
        positional: Positional::Nothing,
        extension: Some(".go"),
        stdin: NONE,
        code_ends: false,
    },
];

/// The spec of `program`.
fn spec(program: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.programs.contains(&program))
}

/// What an interpreter invocation runs: code, files, standard input.
enum Source {
    Code(String),
    Script(String),
    /// A package's directory (`go run ./cmd/tool`, `go run .`).
    Package(String),
    Stdin,
}

/// True when `family`'s runner takes a package directory for its script
/// and more code files after the first (`go run a.go b.go`).
fn runs_packages(family: Family) -> bool {
    family == Family::Go
}

/// A word that names a directory rather than a file: `.`, `..`, or a path
/// whose last part has no extension (`./cmd/envcheck`).
fn is_directory_word(word: &str) -> bool {
    let is_path = word == "." || word == ".." || word.starts_with(['.', '/']);
    let last = word
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    is_path && (matches!(last, "." | ".." | "") || !last.contains('.'))
}

/// The files of a package directory that hold its entry point by
/// convention: `main.go`, and the file named for the directory
/// (`cmd/envcheck/envcheck.go`).
fn package_entry_files(dir: &str) -> Vec<String> {
    let dir = dir.trim_end_matches('/');
    let base = dir.rsplit('/').next().unwrap_or_default();
    let mut files = vec![format!("{dir}/main.go")];
    if !base.is_empty() && base != "main" {
        files.push(format!("{dir}/{base}.go"));
    }
    files
}

/// What one of these interpreters runs, or `None` for another program
/// (or a subcommand that runs no code here: `mix test`, `dart pub`).
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let spec = spec(inv.program)?;
    let sources = sources(spec, inv)?;
    let mut outcome = Outcome::default();
    for source in sources {
        match source {
            Source::Code(code) => {
                run(inv, spec.family, &code, None, &mut outcome);
                outcome
                    .opaque
                    .push(format!("{} runs inline code: {code}", inv.program));
            }
            Source::Script(file) => {
                let path = inv.path(&file);
                outcome.read(path.clone(), false);
                outcome.opaque.push(note(inv.program, &path));
            }
            Source::Package(dir) => {
                let path = inv.path(&dir);
                outcome.read(path.clone(), false);
                outcome.opaque.push(package_note(inv.program, &path));
            }
            Source::Stdin => {
                if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
                    run(
                        inv,
                        spec.family,
                        &inv.stdin.text.join("\n"),
                        None,
                        &mut outcome,
                    );
                }
                outcome
                    .opaque
                    .push(format!("{} runs code from standard input", inv.program));
            }
        }
    }
    Some(outcome)
}

/// The code and files an invocation runs, by its spec; `None` when it
/// runs none this module reads.
fn sources(spec: &Spec, inv: &Invocation<'_>) -> Option<Vec<Source>> {
    let mut found = Vec::new();
    let mut positional = spec.positional;
    let mut words = inv.args.iter().map(|a| a.text.as_str()).peekable();
    let mut subcommand_seen = spec.subcommands.is_empty();
    let mut positionals: Vec<&str> = Vec::new();
    let mut after_dashes = false;
    while let Some(word) = words.next() {
        if !after_dashes && word == "--" {
            after_dashes = true;
            continue;
        }
        if !after_dashes && word.starts_with('-') && word.len() > 1 {
            if spec.code.contains(&word) {
                found.push(Source::Code(words.next().unwrap_or_default().to_owned()));
                if spec.code_ends {
                    return Some(found);
                }
            } else if let Some(code) = spec.joined.iter().find_map(|j| word.strip_prefix(j)) {
                found.push(Source::Code(code.to_owned()));
            } else if spec.scripts.contains(&word) {
                if let Some(file) = words.next() {
                    found.push(Source::Script(file.to_owned()));
                }
            } else if spec.values.contains(&word) {
                words.next();
            } else if spec.stdin.contains(&word) {
                found.push(Source::Stdin);
            }
            continue;
        }
        if !subcommand_seen {
            let (_, mode) = spec.subcommands.iter().find(|(name, _)| *name == word)?;
            positional = *mode;
            subcommand_seen = true;
            continue;
        }
        match positional {
            Positional::Script if positionals.is_empty() => {
                let file_like = match spec.extension {
                    Some(ext) => word.ends_with(ext),
                    None => true,
                };
                if !file_like {
                    if runs_packages(spec.family) && is_directory_word(word) {
                        found.push(Source::Package(word.to_owned()));
                        return Some(found);
                    }
                    return (!found.is_empty()).then_some(found);
                }
                if word == "-" {
                    found.push(Source::Stdin);
                } else {
                    found.push(Source::Script(word.to_owned()));
                }
                // More files of the same program (`go run a.go b.go`).
                if runs_packages(spec.family) {
                    while let Some(more) =
                        words.next_if(|w| spec.extension.is_some_and(|ext| w.ends_with(ext)))
                    {
                        found.push(Source::Script(more.to_owned()));
                    }
                }
                // The rest are the script's arguments.
                return Some(found);
            }
            Positional::Code => positionals.push(word),
            _ => {}
        }
    }
    if !subcommand_seen {
        // Code given by an option alone (`nim --eval:CODE`).
        return (!found.is_empty()).then_some(found);
    }
    if positional == Positional::Code {
        if positionals.is_empty() {
            found.push(Source::Stdin);
        } else {
            found.push(Source::Code(positionals.join(" ")));
        }
    }
    if found.is_empty() {
        // Code given on standard input (`ocaml < f.ml`, `racket < f.rkt`).
        if inv.has_stdin && positional == Positional::Script {
            found.push(Source::Stdin);
        } else {
            return None;
        }
    }
    Some(found)
}

/// The note left for a code file whose text is not known.
fn note(program: &str, path: &str) -> String {
    format!("{program} runs the code of {path}")
}

/// The note left for a package directory whose files are not known.
fn package_note(program: &str, dir: &str) -> String {
    format!("{program} runs the package in {dir}")
}

/// The code files these interpreters ran that an earlier step wrote, read
/// as the code they hold in place of the note [`handle`] left; for a
/// package directory, its entry files ([`package_entry_files`]) an
/// earlier step wrote. The JVM's and .NET's runners' scripts too
/// ([`super::jvm::written_scripts`]).
pub(crate) fn written_scripts(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    super::jvm::written_scripts(inv, outcome, text_of);
    written_cargo_program(inv, outcome, text_of);
    let Some(spec) = spec(inv.program) else {
        return;
    };
    let words = program_words(spec, inv);
    for (_, text) in super::noted_scripts(outcome, &note(inv.program, ""), text_of) {
        run(inv, spec.family, &text, words.as_deref(), outcome);
    }
    let prefix = package_note(inv.program, "");
    let packages: Vec<(String, Vec<String>)> = outcome
        .opaque
        .iter()
        .filter_map(|line| line.strip_prefix(&prefix))
        .map(|dir| {
            let texts = package_entry_files(dir)
                .iter()
                .filter_map(|file| text_of(file))
                .collect();
            (dir.to_owned(), texts)
        })
        .filter(|(_, texts): &(String, Vec<String>)| !texts.is_empty())
        .collect();
    outcome.opaque.retain(|line| {
        line.strip_prefix(&prefix)
            .is_none_or(|dir| !packages.iter().any(|(d, _)| d == dir))
    });
    for text in packages.iter().flat_map(|(_, texts)| texts) {
        run(inv, spec.family, text, words.as_deref(), outcome);
    }
}

/// The program `cargo run` (or an alias such as `cargo xtask`) builds,
/// when an earlier step wrote its source: read as the Rust code it holds
/// with the words after `--`, in place of the guesses made from the
/// line's words alone.
fn written_cargo_program(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some(program) = cargo::program(inv, text_of) else {
        return;
    };
    let Some(text) = program.files.iter().find_map(|file| text_of(file)) else {
        return;
    };
    let guessed = super::files::unknown(inv).effects;
    outcome.effects.retain(|effect| !guessed.contains(effect));
    super::deploy::tooling::forget_guesses(inv, outcome);
    run(inv, Family::Rust, &text, program.words.as_deref(), outcome);
}

/// The words a program run from a script or package gets (`go run ./cmd/x
/// -apply`, `rust-script f.rs a`, `mix run f.exs --since D`): those after
/// its operand; `None` when one is not known, or for other families.
fn program_words(spec: &Spec, inv: &Invocation<'_>) -> Option<Vec<String>> {
    if !matches!(spec.family, Family::Go | Family::Rust | Family::Elixir) {
        return None;
    }
    let mut words = inv.args.iter().peekable();
    if !spec.subcommands.is_empty() {
        // Up to the subcommand (`go run`).
        words.find(|a| spec.subcommands.iter().any(|(name, _)| *name == a.text))?;
    }
    // The runner's own options, then the operand (or `go run`'s files).
    while let Some(word) = words.next_if(|a| a.text.starts_with('-') && a.text != "--") {
        if spec.values.contains(&word.text.as_str()) {
            words.next();
        }
    }
    words.next_if(|a| a.text == "--");
    let operand = words.next()?;
    if runs_packages(spec.family) && operand.text.ends_with(".go") {
        while words.next_if(|a| a.text.ends_with(".go")).is_some() {}
    }
    let rest: Vec<&Arg> = words.collect();
    (!rest.iter().any(|a| a.dynamic)).then(|| rest.iter().map(|a| a.text.clone()).collect())
}

/// Go's and Rust's database libraries: code that uses one runs the SQL it
/// writes out.
const DATABASE_LIBRARIES: &[&str] = &[
    "sql.Open(",
    "sqlx.Open(",
    "sqlx.Connect(",
    "pgx.Connect(",
    "pgxpool.New(",
    "pgxpool.Connect(",
    "gorm.Open(",
    "sqlx::",
    "PgPool",
    "PgConnection",
    "MySqlPool",
    "tokio_postgres::",
    "postgres::Client",
    "diesel::",
    "sea_orm::",
    "mysql::Pool",
];

/// Reports the SQL Go or Rust `code` runs through a database library,
/// against the server its DSN (or the variable it reads, as the line
/// sets it) names, unless the reader found it already.
fn database(inv: &Invocation<'_>, family: Family, code: &str, outcome: &mut Outcome) {
    if !matches!(family, Family::Go | Family::Rust)
        || !DATABASE_LIBRARIES
            .iter()
            .any(|library| code.contains(library))
    {
        return;
    }
    let mut found = Outcome::default();
    super::inline::driver_sql(inv, code, &[], &mut found);
    for effect in found.effects {
        if !outcome.effects.contains(&effect) {
            outcome.effects.push(effect);
        }
    }
}

/// Go's or Rust's `code` with its command line's `words` written in, the
/// branches they rule out dropped and its helpers' calls copied out;
/// Elixir's with its options' values written in; as given for other
/// families.
fn bound(family: Family, code: &str, words: Option<&[String]>) -> String {
    let bind: fn(&str, &[String]) -> Option<String> = match family {
        Family::Go => go_flags::bound,
        Family::Rust => rust_args::bound,
        Family::Elixir => {
            return words
                .and_then(|words| elixir::bound(code, words))
                .unwrap_or_else(|| code.to_owned());
        }
        _ => return code.to_owned(),
    };
    let mut out = braces::blank_comments(code);
    if let Some(words) = words
        && let Some(bound) = bind(&out, words)
    {
        out = braces::pruned(&bound);
    }
    let out = go_flags::folded(&out);
    helpers::inlined(&out).unwrap_or(out)
}

/// Adds what `code` of `family` does to `outcome`: the commands it runs,
/// then the rest as inline code. `words`: the program's command line,
/// when it is known (a script's or package's, not inline code's).
fn run(
    inv: &Invocation<'_>,
    family: Family,
    code: &str,
    words: Option<&[String]>,
    outcome: &mut Outcome,
) {
    let code = bound(family, code, words);
    let code = normalize(family, &code);
    let (jobs, code) = calls::runs(&code, family);
    let what = format!("a command {} runs", inv.program);
    for job in jobs {
        match job {
            calls::Job::Argv(argv) => outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: None,
            }),
            calls::Job::Shell(text) => outcome.nested.push(Nested::Script {
                text,
                what: what.clone(),
            }),
        }
    }
    super::inline::analyze(inv, &code, outcome);
    database(inv, family, &code, outcome);
}

/// Wrappers that only expand a path literal they are given
/// (`Path.expand("~/x")`): the literal alone.
const PATH_WRAPPERS: &[&str] = &[
    "Path.expand(",
    "Path.absname(",
    "expandTilde(",
    "expand-user-path ",
    "(expand-user-path ",
    "NSString(string:",
];

/// `code` with the family's own string syntax made plain for the literal
/// reader: Elixir's sigils (`~c"..."`, `~w(...)` word lists) and `<>`, Lisp quotes, raw strings
/// (Swift's `#"..."#`, Rust's `r#"..."#`), Haskell's `"POST https://..."`
/// requests, and path wrappers around a literal.
fn normalize(family: Family, code: &str) -> String {
    let mut out = code.to_owned();
    match family {
        Family::Elixir => {
            if let Some(lists) = elixir::word_lists(&out) {
                out = lists;
            }
            for sigil in ["~c\"", "~s\"", "~S\"", "~C\"", "~c'", "~s'"] {
                let quote = if sigil.ends_with('\'') { "'" } else { "\"" };
                out = out.replace(sigil, quote);
            }
            out = out.replace(" <> ", " ++ ");
        }
        Family::Lisp => {
            // A quoted list is a list; other quotes mark symbols.
            out = lisp_unquote(&out);
        }
        Family::Swift => {
            out = out.replace("#\"", "\"").replace("\"#", "\"");
        }
        Family::Rust => {
            out = out.replace("r#\"", "\"").replace("\"#", "\"");
            out = rust_args::plain(&out);
        }
        Family::Go => out = golang::plain(&out),
        Family::Haskell => {
            for method in ["POST", "PUT", "PATCH", "DELETE"] {
                for scheme in ["https://", "http://"] {
                    let from = format!("\"{method} {scheme}");
                    if out.contains(&from) {
                        out = out.replace(&from, &format!("\"{scheme}"));
                        out.push_str(&format!("\n-- \"{method}\""));
                    }
                }
            }
        }
        _ => {}
    }
    unwrap_paths(&out)
}

/// `code` with each path wrapper around a single literal removed.
fn unwrap_paths(code: &str) -> String {
    let mut out = code.to_owned();
    for wrapper in PATH_WRAPPERS {
        let mut from = 0;
        while let Some(found) = out.get(from..).and_then(|rest| rest.find(wrapper)) {
            let at = from + found;
            let inner = at + wrapper.len();
            let rest = out.get(inner..).unwrap_or_default();
            let lead = rest.len() - rest.trim_start().len();
            let quote_at = inner + lead;
            let literal = super::inline::literals(out.get(quote_at..).unwrap_or_default())
                .into_iter()
                .next()
                .filter(|l| l.start == 0);
            let Some(literal) = literal else {
                from = inner;
                continue;
            };
            let end = quote_at + literal.end;
            let after = out.get(end..).unwrap_or_default();
            let gap = after.len() - after.trim_start().len();
            if after.trim_start().starts_with(')') {
                let text = out.get(quote_at..end).unwrap_or_default().to_owned();
                let close = end + gap + 1;
                out.replace_range(at..close, &text);
                from = at + text.len();
            } else {
                from = inner;
            }
        }
    }
    out
}

/// Lisp code with its quotes outside strings made plain: `'(...)` is
/// `(list ...)`, `'sym` is `sym`.
fn lisp_unquote(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '\'' | '`' if chars.peek() == Some(&'(') => {
                chars.next();
                out.push_str("(list ");
            }
            '\'' | '`' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
