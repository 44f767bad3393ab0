//! TypeScript runners built on Node: `tsx`, `ts-node` (and its
//! `ts-node-esm`, `ts-node-script`, `ts-node-transpile-only` entry points)
//! and `esno`. Each runs JavaScript as Node does once the types are
//! stripped: `tsx -e CODE` / `ts-node --eval CODE` / `-p CODE` is inline
//! code read as `node -e CODE`; `tsx FILE` / `ts-node FILE` (and `tsx
//! watch FILE`) runs a script, read; code on standard input is read as
//! Node's. `npx tsx -e CODE` reaches here through the package runner.
//!
//! Bun's `bun run FILE` runs that script, read as `bun FILE` is; `bun run
//! NAME` (no script file) runs the project's script or executable of that
//! name, as `npm run NAME` does.
//!
//! zx's `zx FILE ARGS` (and `npx zx FILE ARGS`) runs a script on Node with
//! zx's globals loaded (`$`, `argv`): it is the `node
//! --import=zx/globals FILE ARGS` it amounts to, so the script the session
//! wrote is read as Node's, with zx's own reads ([`super::zx`]); `zx
//! --eval CODE` and code on standard input likewise.

use super::super::{Invocation, Nested, Outcome};
use crate::args::Arg;

/// The runner programs this reads.
fn is_runner(program: &str) -> bool {
    matches!(
        program,
        "tsx"
            | "ts-node"
            | "ts-node-esm"
            | "ts-node-script"
            | "ts-node-transpile-only"
            | "ts-node-cwd"
            | "esno"
    )
}

/// Options that take the next word as their value (tsx's and Node's
/// `--tsconfig`, `--import`, `-r`; ts-node's `-P` project, `-C` compiler,
/// `-O` compiler options, `-I` ignore, `-D` ignored diagnostics).
const VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
    "--tsconfig",
    "--env-file",
    "--conditions",
    "-C",
    "--compiler",
    "-P",
    "--project",
    "-O",
    "--compiler-options",
    "-I",
    "--ignore",
    "-D",
    "--ignore-diagnostics",
    "--cwd",
    "--dir",
    "--scope-dir",
    "--compiler-host",
    "--inspect-port",
];

/// Options whose value is the code to run.
const CODE_OPTIONS: &[&str] = &["-e", "--eval", "-p", "--print"];

/// What a TypeScript runner's command line does; `None` for any other
/// program.
pub(in crate::commands) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program == "bun" {
        return bun_run(inv);
    }
    if inv.program == "zx" {
        return Some(zx(inv));
    }
    if !is_runner(inv.program) {
        return None;
    }
    let program = inv.program;
    // The code runs on Node: read as Node's.
    let node = Invocation {
        program: "node",
        ..*inv
    };
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter().peekable();
    let mut first = true;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let code = if CODE_OPTIONS.contains(&text) {
            Some(words.next().map(|w| w.text.clone()).unwrap_or_default())
        } else {
            ["--eval=", "--print="]
                .iter()
                .find_map(|prefix| text.strip_prefix(prefix))
                .map(str::to_owned)
        };
        if let Some(code) = code {
            super::analyze(&node, &code, &mut outcome);
            outcome
                .opaque
                .push(format!("{program} runs inline code: {code}"));
            return Some(outcome);
        }
        if text == "--" {
            first = false;
            continue;
        }
        if text.starts_with('-') {
            if VALUE_OPTIONS.contains(&text) {
                words.next();
            }
            continue;
        }
        // `tsx watch FILE`: the subcommand, then the script.
        if first && program == "tsx" && text == "watch" && words.peek().is_some() {
            first = false;
            continue;
        }
        if word.text == "/dev/fd/63" || !word.substitutions.is_empty() {
            outcome.opaque.push(format!(
                "{program} runs the output of: {}",
                word.substitutions.join("; ")
            ));
        } else {
            outcome.read(inv.path(&word.text), false);
        }
        return Some(outcome);
    }
    if inv.has_stdin {
        if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
            super::analyze(&node, &inv.stdin.text.join("\n"), &mut outcome);
        }
        outcome
            .opaque
            .push(format!("{program} runs code from standard input"));
    }
    Some(outcome)
}

/// zx's options that take the next word as their value (unless written
/// `--name=value`).
const ZX_VALUE_OPTIONS: &[&str] = &[
    "--shell",
    "--prefix",
    "--postfix",
    "--cwd",
    "--ext",
    "--registry",
    "--env",
    "--prefer-local",
];

/// `zx [OPTIONS] FILE ARGS` as `node --import=zx/globals FILE ARGS`; `zx
/// --eval CODE ARGS` as `node --import=zx/globals -e CODE ARGS`; code on
/// standard input read as zx's.
fn zx(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut argv = vec![
        Arg::literal("node"),
        Arg::literal(super::zx::GLOBALS_IMPORT),
    ];
    let mut words = inv.args.iter().enumerate();
    while let Some((index, word)) = words.next() {
        let text = word.text.as_str();
        // `-e CODE`, `--eval CODE`, `--eval=CODE`: node's `-e`, then the rest.
        let attached = text.strip_prefix("--eval=");
        if matches!(text, "-e" | "--eval") || attached.is_some() {
            argv.push(Arg::literal("-e"));
            argv.extend(attached.map(Arg::literal));
            argv.extend(
                inv.args
                    .get(index + 1..)
                    .unwrap_or_default()
                    .iter()
                    .cloned(),
            );
            break;
        }
        if text.starts_with('-') {
            if ZX_VALUE_OPTIONS.contains(&text) {
                words.next();
            }
            continue;
        }
        argv.extend(inv.args.get(index..).unwrap_or_default().iter().cloned());
        break;
    }
    if argv.len() > 2 {
        outcome.nested.push(Nested::Argv {
            argv,
            env: Vec::new(),
            cwd: None,
        });
        return outcome;
    }
    if inv.has_stdin {
        if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
            let node = Invocation {
                program: "node",
                args: argv.get(1..).unwrap_or_default(),
                ..*inv
            };
            super::analyze(&node, &inv.stdin.text.join("\n"), &mut outcome);
        }
        outcome
            .opaque
            .push("zx runs code from standard input".to_owned());
    }
    outcome
}

/// Bun's options that take the next word as their value.
const BUN_VALUE_OPTIONS: &[&str] = &[
    "--cwd",
    "-c",
    "--config",
    "-r",
    "--preload",
    "--require",
    "--import",
    "--env-file",
    "--tsconfig-override",
    "--filter",
    "-F",
    "--shell",
    "--elide-lines",
];

/// `bun [OPTIONS] run [OPTIONS] TARGET ARGS`; `None` for any other Bun
/// command (inline code and scripts are read with Node's).
fn bun_run(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut words = inv.args.iter().enumerate();
    let mut seen_run = false;
    while let Some((index, word)) = words.next() {
        let text = word.text.as_str();
        if CODE_OPTIONS.contains(&text) {
            if !seen_run {
                return None;
            }
            // `bun run -e CODE`: how a script the session wrote is re-read.
            let code = words
                .next()
                .map(|(_, w)| w.text.clone())
                .unwrap_or_default();
            let mut outcome = Outcome::default();
            super::analyze(inv, &code, &mut outcome);
            outcome.opaque.push(format!("bun runs inline code: {code}"));
            return Some(outcome);
        }
        if text.starts_with('-') {
            if BUN_VALUE_OPTIONS.contains(&text) {
                words.next();
            }
            continue;
        }
        if !seen_run {
            if text != "run" {
                return None;
            }
            seen_run = true;
            continue;
        }
        let mut outcome = Outcome::default();
        if !word.substitutions.is_empty() {
            outcome.opaque.push(format!(
                "bun runs the output of: {}",
                word.substitutions.join("; ")
            ));
        } else if is_script_file(text) {
            outcome.read(inv.path(text), false);
        } else {
            // A package.json script or a project executable, as `npm run`.
            let argv: Vec<Arg> = inv.args.get(index..).unwrap_or_default().to_vec();
            outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: None,
            });
        }
        return Some(outcome);
    }
    // `bun run` alone lists the scripts.
    seen_run.then(Outcome::default)
}

/// A word Bun runs as a file rather than a script name: a path, or a
/// name with a JavaScript or TypeScript extension.
fn is_script_file(text: &str) -> bool {
    text.contains('/')
        || text.rsplit_once('.').is_some_and(|(_, ext)| {
            matches!(
                ext,
                "ts" | "tsx" | "mts" | "cts" | "js" | "jsx" | "mjs" | "cjs"
            )
        })
}
