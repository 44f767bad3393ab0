//! JVM, .NET and Clojure script runners, by their command lines: `jshell`
//! (scripts, or code on standard input with `-`), `kotlin`/`kotlinc` (`-e
//! CODE`, `-script F.kts`), `scala`/`scala-cli` (`-e CODE`), `dotnet
//! script` (`eval CODE`, `F.csx`), `csi` (C# scripts and code on standard
//! input), babashka `bb` (`-e CODE`, a file) and `clojure`/`clj` (`-M -e
//! CODE`, `-M F.clj`), and Java's single-file programs (`java F.java`).
//! Inline code is read by [`super::inline`]; a script file is read, and
//! its text read as code when an earlier step wrote it
//! ([`written_scripts`]), given the words that follow it on the command
//! line as its own arguments (`java Tool.java --to x@y.io`: what the
//! program reads from `args` is known).
//!
//! Programs built from a project and run are read the same way: `dotnet
//! run [--project DIR] [OPTIONS] -- ARGS` runs the project's entry file
//! (`DIR/Program.cs`, top-level statements reading `args`), `dotnet run
//! F.cs` a file-based program, and `swift run [PRODUCT] [-- ARGS]` a
//! package's `Sources/PRODUCT/main.swift` ([`projects`]).

mod projects;

use super::{Invocation, Lookup, Outcome, inline};
use crate::args::Arg;

/// How one runner's command line is laid out.
struct Cli {
    /// Options whose next word is inline code.
    code: &'static [&'static str],
    /// Options whose next word is a value (not code, not a script).
    values: &'static [&'static str],
    /// Options whose next word is a script file.
    files: &'static [&'static str],
    /// Subcommands skipped before the options (`scala-cli run`).
    subcommands: &'static [&'static str],
}

const JSHELL: Cli = Cli {
    code: &[],
    values: &[
        "--class-path",
        "-cp",
        "-classpath",
        "--module-path",
        "--add-modules",
        "--add-exports",
        "--startup",
        "--feedback",
        "--execution",
    ],
    files: &[],
    subcommands: &[],
};

const KOTLIN: Cli = Cli {
    code: &["-e", "-expression"],
    values: &[
        "-cp",
        "-classpath",
        "-d",
        "-jvm-target",
        "-language-version",
        "-api-version",
        "-kotlin-home",
        "-module-name",
        "-jdk-home",
        "-howtorun",
        "-opt-in",
    ],
    files: &["-script"],
    subcommands: &[],
};

const SCALA: Cli = Cli {
    code: &[
        "-e",
        "--execute-script",
        "--script-snippet",
        "--execute-scala",
        "--scala-snippet",
    ],
    values: &[
        "--dep",
        "--dependency",
        "-d",
        "--scala",
        "-S",
        "--scala-version",
        "--jvm",
        "--java-opt",
        "-J",
        "--repository",
        "-r",
        "--main-class",
        "-M",
        "-cp",
        "--classpath",
        "--class-path",
        "--server",
        "--platform",
        "--workspace",
    ],
    files: &[],
    subcommands: &["run", "shebang"],
};

const DOTNET_SCRIPT: Cli = Cli {
    code: &["eval"],
    values: &[
        "-c",
        "--configuration",
        "-s",
        "--sources",
        "--verbosity",
        "--cache",
    ],
    files: &[],
    subcommands: &[],
};

const CSI: Cli = Cli {
    code: &[],
    values: &[],
    files: &[],
    subcommands: &[],
};

const BABASHKA: Cli = Cli {
    code: &["-e", "--eval"],
    values: &[
        "-cp",
        "--classpath",
        "--config",
        "--deps-root",
        "-m",
        "--main",
        "-x",
        "--exec",
        "--init",
    ],
    files: &["-f", "--file"],
    subcommands: &[],
};

const CLOJURE: Cli = Cli {
    code: &["-e", "--eval"],
    values: &[
        "-Sdeps",
        "-Scp",
        "-Sthreads",
        "-m",
        "--main",
        "-i",
        "--init",
    ],
    files: &[],
    subcommands: &[],
};

/// Options of `java` whose next word is a value, not the program.
const JAVA_VALUES: &[&str] = &[
    "-cp",
    "-classpath",
    "--class-path",
    "-p",
    "--module-path",
    "--upgrade-module-path",
    "--add-modules",
    "--add-exports",
    "--add-opens",
    "--add-reads",
    "--enable-native-access",
    "--source",
];

/// The program Java's code is read as: its calls are the JVM's.
const JAVA_CODE_READER: &str = "jshell";

/// The note left for a script file whose text is not known.
fn note(program: &str, path: &str) -> String {
    format!("{program} runs the code of {path}")
}

/// The source file `java` launches (`java [OPTIONS] F.java ARGS`), or
/// `None` for a class, a jar or a module it runs instead.
fn java_source(inv: &Invocation<'_>) -> Option<String> {
    if inv.program != "java" {
        return None;
    }
    let mut words = inv.args.iter().map(|a| a.text.as_str());
    while let Some(word) = words.next() {
        if JAVA_VALUES.contains(&word) {
            words.next();
            continue;
        }
        if word.starts_with('-') {
            // `-jar F`, `-m MODULE`: not a source file.
            if matches!(word, "-jar" | "-m" | "--module") {
                return None;
            }
            continue;
        }
        return word.ends_with(".java").then(|| word.to_owned());
    }
    None
}

/// The runner `inv` starts, with its arguments, or `None`.
fn runner<'a>(inv: &'a Invocation<'_>) -> Option<(&'static Cli, &'a [Arg])> {
    let cli = match inv.program {
        "jshell" => &JSHELL,
        "kotlin" | "kotlinc" | "kotlinc-jvm" => &KOTLIN,
        "scala" | "scala-cli" | "scala3" => &SCALA,
        "csi" => &CSI,
        "bb" => &BABASHKA,
        "clojure" | "clj" => &CLOJURE,
        "dotnet" => {
            let (first, rest) = inv.args.split_first()?;
            return (first.text == "script").then_some((&DOTNET_SCRIPT, rest));
        }
        _ => return None,
    };
    Some((cli, inv.args))
}

/// What one of these runners visibly does: its inline code or code on
/// standard input read as code, a script file read.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if let Some(outcome) = projects::handle(inv) {
        return Some(outcome);
    }
    if let Some(file) = java_source(inv) {
        let mut outcome = Outcome::default();
        read_script(inv, &file, &mut outcome);
        return Some(outcome);
    }
    let (cli, args) = runner(inv)?;
    let mut outcome = Outcome::default();
    let mut words = args.iter().peekable();
    let mut first = true;
    let mut dash = false;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if first && cli.subcommands.contains(&text) {
            first = false;
            continue;
        }
        first = false;
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if name.starts_with('-') => (name, Some(value)),
            _ => (text, None),
        };
        if cli.code.contains(&name) {
            let code = match attached {
                Some(value) => value.to_owned(),
                None => words.next().map(|w| w.text.clone()).unwrap_or_default(),
            };
            run_code(inv, &code, &mut outcome);
            continue;
        }
        if cli.files.contains(&name) {
            if let Some(file) = attached
                .map(str::to_owned)
                .or_else(|| words.next().map(|w| w.text.clone()))
            {
                read_script(inv, &file, &mut outcome);
            }
            return Some(outcome);
        }
        if cli.values.contains(&name) {
            if attached.is_none() {
                words.next();
            }
            continue;
        }
        if text == "-" {
            dash = true;
            continue;
        }
        if text.starts_with('-') {
            continue;
        }
        // The script, and the arguments it is given.
        if outcome.effects.is_empty() && outcome.nested.is_empty() && outcome.opaque.is_empty() {
            read_script(inv, text, &mut outcome);
        }
        return Some(outcome);
    }
    let wrote_code = !outcome.opaque.is_empty();
    if (dash || !wrote_code) && inv.has_stdin {
        if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
            let code = inv.stdin.text.join("\n");
            inline::analyze(inv, &code, &mut outcome);
        }
        outcome
            .opaque
            .push(format!("{} runs code from standard input", inv.program));
    }
    Some(outcome)
}

/// Reads the script file the runner is given, and notes it run for
/// [`written_scripts`].
fn read_script(inv: &Invocation<'_>, file: &str, outcome: &mut Outcome) {
    let path = inv.path(file);
    outcome.read(path.clone(), false);
    outcome.opaque.push(note(inv.program, &path));
}

/// The script files these runners ran that an earlier step wrote (`cat >
/// F.java <<EOF ... EOF; java F.java`), read as the code they hold in
/// place of the note [`handle`] left, given the words after them as their
/// arguments ([`script_words`]); and the entry files of the projects
/// `dotnet run` and `swift run` build ([`projects::written_entries`]).
pub(crate) fn written_scripts(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    projects::written_entries(inv, outcome, text_of);
    if runner(inv).is_none() && java_source(inv).is_none() {
        return;
    }
    let program = if inv.program == "java" {
        JAVA_CODE_READER
    } else {
        inv.program
    };
    for (path, text) in super::noted_scripts(outcome, &note(inv.program, ""), text_of) {
        let at = inv.args.iter().position(|a| inv.path(&a.text) == path);
        let words = at.map_or(&[][..], |at| script_words(inv.args, at + 1));
        run_program(inv, program, &text, words, outcome);
    }
}

/// The words a script given at `from` on is passed: those after a `--`
/// that follows it (`scala-cli run F.scala -- a b`, `dotnet script F.csx
/// -- a`), else all that follow it.
fn script_words(args: &[Arg], from: usize) -> &[Arg] {
    let rest = args.get(from..).unwrap_or_default();
    match rest.iter().position(|a| a.text == "--") {
        Some(dashes) => rest.get(dashes + 1..).unwrap_or_default(),
        None => rest,
    }
}

/// Reads the program `text` as `program`'s code run with `words` as its
/// command-line arguments: the code is handed over as the argument they
/// follow, as `-c CODE ARGS` hands it over, so that what the code reads
/// from its arguments is read as those words ([`inline::analyze`]).
fn run_program(
    inv: &Invocation<'_>,
    program: &str,
    text: &str,
    words: &[Arg],
    outcome: &mut Outcome,
) {
    let mut args = vec![Arg::literal(text)];
    args.extend(words.iter().cloned());
    let reader = Invocation {
        program,
        args: &args,
        ..*inv
    };
    inline::analyze(&reader, text, outcome);
}

/// Reads inline code the runner is given.
fn run_code(inv: &Invocation<'_>, code: &str, outcome: &mut Outcome) {
    inline::analyze(inv, code, outcome);
    outcome
        .opaque
        .push(format!("{} runs inline code: {code}", inv.program));
}
