//! JVM, .NET and Clojure script runners, by their command lines: `jshell`
//! (scripts, or code on standard input with `-`), `kotlin`/`kotlinc` (`-e
//! CODE`, `-script F.kts`), `scala`/`scala-cli` (`-e CODE`), `dotnet
//! script` (`eval CODE`, `F.csx`), `csi` (C# scripts and code on standard
//! input), babashka `bb` (`-e CODE`, a file) and `clojure`/`clj` (`-M -e
//! CODE`, `-M F.clj`). Inline code is read by [`super::inline`]; a script
//! file is read.

use super::{Invocation, Outcome, inline};
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
                outcome.read(inv.path(&file), false);
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
            outcome.read(inv.path(text), false);
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

/// Reads inline code the runner is given.
fn run_code(inv: &Invocation<'_>, code: &str, outcome: &mut Outcome) {
    inline::analyze(inv, code, outcome);
    outcome
        .opaque
        .push(format!("{} runs inline code: {code}", inv.program));
}
