//! Programs a build tool builds from a project and runs at once: `dotnet
//! run` and `swift run`.
//!
//! `dotnet run [--project PATH] [OPTIONS] [-- ARGS]` builds the project in
//! `PATH` (a directory, or its `.csproj`; the working directory without
//! one) and runs it with `ARGS`: its code starts in the project's entry
//! file, `Program.cs` by convention (or a file named for the project),
//! whose top-level statements read `args`. `dotnet run F.cs [-- ARGS]`
//! (.NET 10's file-based programs) runs `F.cs` itself.
//!
//! `swift run [OPTIONS] [PRODUCT] [-- ARGS]` builds the package in the
//! working directory (or `--package-path`) and runs its product, whose
//! code starts in `Sources/PRODUCT/main.swift` (or a file named for it);
//! without a product, the one named for the package's directory.
//!
//! [`handle`] reads the project and leaves a note naming it; once the
//! session's written files are known, [`written_entries`] reads the entry
//! files an earlier step wrote as the program's code, given `ARGS`.

use super::super::{Invocation, Lookup, Outcome};
use crate::args::Arg;

/// `dotnet run`'s options whose next word is a value.
const DOTNET_VALUES: &[&str] = &[
    "-c",
    "--configuration",
    "-f",
    "--framework",
    "-r",
    "--runtime",
    "-a",
    "--arch",
    "--os",
    "-v",
    "--verbosity",
    "-lp",
    "--launch-profile",
    "-e",
    "--environment",
];

/// `dotnet run`'s options whose next word is the project.
const DOTNET_PROJECT: &[&str] = &["--project", "-p"];

/// `dotnet run`'s options whose next word is the program's file.
const DOTNET_FILE: &[&str] = &["--file"];

/// Project files that stand for their directory.
const PROJECT_FILES: &[&str] = &[".csproj", ".fsproj", ".vbproj"];

/// `swift run`'s options whose next word is a value.
const SWIFT_VALUES: &[&str] = &[
    "-c",
    "--configuration",
    "--build-path",
    "--scratch-path",
    "--cache-path",
    "--config-path",
    "--security-path",
    "--swift-sdk",
    "--triple",
    "--sdk",
    "--toolchain",
    "--jobs",
    "-j",
    "-Xswiftc",
    "-Xcc",
    "-Xlinker",
    "-Xcxx",
];

/// `swift run`'s option whose next word is the package's directory.
const SWIFT_PACKAGE: &[&str] = &["--package-path"];

/// The program a `dotnet run` or `swift run` line runs.
enum Entry {
    /// A project directory, and the name its entry file may have besides
    /// the conventional one.
    Project { dir: String, name: String },
    /// A code file run on its own (`dotnet run app.cs`).
    File(String),
}

/// What one build tool's `run` line looks like.
struct Tool {
    program: &'static str,
    values: &'static [&'static str],
    project: &'static [&'static str],
    file: &'static [&'static str],
    /// The conventional entry file's name in the project's directory.
    entry: &'static str,
    /// The extension of a code file given in place of a project.
    extension: &'static str,
}

const DOTNET: Tool = Tool {
    program: "dotnet",
    values: DOTNET_VALUES,
    project: DOTNET_PROJECT,
    file: DOTNET_FILE,
    entry: "Program.cs",
    extension: ".cs",
};

const SWIFT: Tool = Tool {
    program: "swift",
    values: SWIFT_VALUES,
    project: SWIFT_PACKAGE,
    file: &[],
    entry: "main.swift",
    extension: ".swift",
};

/// The note left for a project whose entry files are not known yet.
fn project_note(program: &str, dir: &str) -> String {
    format!("{program} run builds and runs the project in {dir}")
}

/// The note a runner's script leaves (`PROGRAM runs the code of PATH`),
/// which [`super::written_scripts`] and the interpreters' own reader
/// (`super::super::languages`) read the file for.
fn script_note(program: &str, path: &str) -> String {
    super::note(program, path)
}

/// The tool `inv` is, when it runs a project (`dotnet run`, `swift run`).
fn tool(inv: &Invocation<'_>) -> Option<&'static Tool> {
    let tool = match inv.program {
        "dotnet" => &DOTNET,
        "swift" => &SWIFT,
        _ => return None,
    };
    (inv.args.first()?.text == "run").then_some(tool)
}

/// The program a `run` line runs, and where its own arguments start.
fn entry(inv: &Invocation<'_>, tool: &Tool) -> (Entry, usize) {
    let args = inv.args;
    let mut project: Option<String> = None;
    let mut product: Option<String> = None;
    let mut at = 1;
    while let Some(word) = args.get(at).map(|a| a.text.as_str()) {
        at += 1;
        if word == "--" {
            break;
        }
        let (name, attached) = match word.split_once('=') {
            Some((name, value)) if name.starts_with('-') => (name, Some(value.to_owned())),
            _ => (word, None),
        };
        let value = |at: &mut usize| {
            attached.clone().or_else(|| {
                let next = args.get(*at).map(|a| a.text.clone());
                *at += 1;
                next
            })
        };
        if tool.project.contains(&name) {
            project = value(&mut at);
        } else if tool.file.contains(&name) {
            if let Some(file) = value(&mut at) {
                return (Entry::File(inv.path(&file)), past_dashes(args, at));
            }
        } else if tool.values.contains(&name) {
            value(&mut at);
        } else if word.starts_with('-') {
            continue;
        } else if word.ends_with(tool.extension) {
            return (Entry::File(inv.path(word)), past_dashes(args, at));
        } else if tool.program == "swift" && product.is_none() {
            // `swift run PRODUCT ARGS`: the words after the product are its.
            product = Some(word.to_owned());
            break;
        } else {
            // `dotnet run` passes on the words it does not know.
            at -= 1;
            break;
        }
    }
    let dir = match project {
        Some(path) => {
            let path = inv.path(&path);
            match PROJECT_FILES.iter().any(|ext| path.ends_with(ext)) {
                true => path
                    .rsplit_once('/')
                    .map_or(path.clone(), |(dir, _)| dir.to_owned()),
                false => path,
            }
        }
        None => inv.cwd.trim_end_matches('/').to_owned(),
    };
    let base = dir.rsplit('/').next().unwrap_or_default().to_owned();
    let entry = match tool.program {
        "swift" => {
            let name = product.unwrap_or(base);
            Entry::Project {
                dir: format!("{dir}/Sources/{name}"),
                name,
            }
        }
        _ => Entry::Project { dir, name: base },
    };
    (entry, at)
}

/// `at`, or past the `--` there (`dotnet run app.cs -- ARGS`).
fn past_dashes(args: &[Arg], at: usize) -> usize {
    match args.get(at) {
        Some(word) if word.text == "--" => at + 1,
        _ => at,
    }
}

/// What a `dotnet run` or `swift run` line visibly does: what an unknown
/// program given its words does (the paths among them read), and the
/// project (or the file) it runs, noted for [`written_entries`].
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let tool = tool(inv)?;
    let mut outcome = super::super::files::unknown(inv);
    match entry(inv, tool).0 {
        Entry::File(path) => {
            if !outcome.effects.iter().any(|e| is_read_of(e, &path)) {
                outcome.read(path.clone(), false);
            }
            outcome.opaque.push(script_note(tool.program, &path));
        }
        Entry::Project { dir, .. } => {
            outcome.opaque.push(project_note(tool.program, &dir));
        }
    }
    Some(outcome)
}

/// True when `effect` reads the file at `path`.
fn is_read_of(effect: &crate::Effect, path: &str) -> bool {
    matches!(effect, crate::Effect::Read { file } if file.path == path)
}

/// The entry files of the project a `run` line builds: the conventional
/// one, then the one named for the project (`Tool/Tool.cs`).
fn entry_files(tool: &Tool, dir: &str, name: &str) -> Vec<String> {
    let mut files = vec![format!("{dir}/{}", tool.entry)];
    if !name.is_empty() {
        files.push(format!("{dir}/{name}{}", tool.extension));
    }
    files
}

/// The entry files of the project (or the file) a `dotnet run` or `swift
/// run` line runs that an earlier step wrote, read as the program's code
/// run with the line's own arguments. A Swift file is handed on as a
/// script `swift` runs (a note the interpreters' reader reads, with
/// Swift's own syntax), its arguments found after its `--`.
pub(super) fn written_entries(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some(tool) = tool(inv) else {
        return;
    };
    let (entry, from) = entry(inv, tool);
    // [`handle`] read a file run on its own already.
    let (files, read) = match entry {
        Entry::File(path) => (vec![path], true),
        Entry::Project { dir, name } => {
            let note = project_note(tool.program, &dir);
            let files: Vec<String> = entry_files(tool, &dir, &name)
                .into_iter()
                .filter(|file| text_of(file).is_some())
                .collect();
            if !files.is_empty() {
                outcome.opaque.retain(|line| *line != note);
            }
            (files, false)
        }
    };
    let words: &[Arg] = inv.args.get(from..).unwrap_or_default();
    for file in files {
        let Some(text) = text_of(&file) else {
            continue;
        };
        if !read {
            outcome.read(file.clone(), false);
        }
        let note = script_note(tool.program, &file);
        if tool.program == "swift" {
            if !outcome.opaque.contains(&note) {
                outcome.opaque.push(note);
            }
            continue;
        }
        outcome.opaque.retain(|line| *line != note);
        super::run_program(inv, tool.program, &text, words, outcome);
    }
}
