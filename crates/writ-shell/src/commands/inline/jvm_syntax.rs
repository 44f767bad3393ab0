//! Kotlin's and Scala's own spellings of what the name evaluator
//! (`super::super::pathexpr`) reads in other languages: a `val NAME =
//! ...` declaration as `var NAME = ...` (the same length, so every other
//! offset stays), and (Scala) an interpolated string whose interpolations
//! are all written in (`s"gs://b/x.csv"`, once the loop or the arguments
//! that filled it are: [`super::jvm_loops`], [`super::compiled_args`]) as
//! the plain string it is. So a name bound to a path or a URL holds it
//! where it is used (`Seq("gcloud", "storage", "cp", f, target).!`).
//!
//! C# (`dotnet`, `csi`): its reads and writes of files spelled as the
//! ones the literal reader knows (`await File.ReadAllBytesAsync(p)` is
//! `File.ReadAllBytes(p)`, `new StreamReader(p)` opens `p` to read it),
//! and the strings it builds from known values (`Path.Combine(home,
//! ".ssh", "id_rsa")`, `$"{home}/.aws/credentials"`) as the literals they
//! are ([`crate::commands::languages::compiled_values`]).

use super::{literals, storage};
use crate::commands::languages::compiled_values::{self, Dialect};

/// C#'s file calls, and the spellings the literal reader knows for
/// them: asynchronous and line-by-line reads and writes, and readers and
/// writers opened on a path.
const CSHARP_FILE_CALLS: &[(&str, &str)] = &[
    ("File.ReadAllBytesAsync(", "File.ReadAllBytes("),
    ("File.ReadAllTextAsync(", "File.ReadAllText("),
    ("File.ReadAllLinesAsync(", "File.ReadAllLines("),
    ("File.ReadLinesAsync(", "File.ReadAllLines("),
    ("File.ReadLines(", "File.ReadAllLines("),
    ("File.OpenText(", "File.OpenRead("),
    ("new StreamReader(", "File.OpenRead("),
    ("File.WriteAllBytesAsync(", "File.WriteAllBytes("),
    ("File.WriteAllTextAsync(", "File.WriteAllText("),
    ("File.WriteAllLinesAsync(", "File.WriteAllText("),
    ("File.WriteAllLines(", "File.WriteAllText("),
    ("File.AppendAllTextAsync(", "File.AppendAllText("),
    ("File.AppendAllLinesAsync(", "File.AppendAllText("),
    ("File.AppendAllLines(", "File.AppendAllText("),
];

/// True for the programs whose code is C#.
fn is_csharp(program: &str) -> bool {
    matches!(program, "dotnet" | "csi" | "dotnet-script")
}

/// `code` in the spellings the name evaluator reads, or `None` when
/// nothing changes (or it is neither Kotlin, Scala nor C#).
pub(super) fn plain(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if is_csharp(name) {
        return csharp(code);
    }
    let scala = name.starts_with("scala");
    if !scala && !name.starts_with("kotlin") {
        return None;
    }
    let literals = literals(code);
    let mut replacements = Vec::new();
    for (at, _) in code.match_indices("val ") {
        let starts = code
            .get(..at)
            .and_then(|head| head.trim_end_matches([' ', '\t']).chars().next_back())
            .is_none_or(|c| matches!(c, '\n' | '\r' | ';' | '{' | '}' | '('));
        let inside = literals.iter().any(|l| l.start <= at && at < l.end);
        if starts && !inside {
            replacements.push((at, at + "val".len(), "var".to_owned()));
        }
    }
    if scala {
        for literal in &literals {
            let head = code.get(..literal.start).unwrap_or_default();
            let Some(prefix) = ["raw", "s", "f"].iter().find(|p| head.ends_with(**p)) else {
                continue;
            };
            let start = literal.start - prefix.len();
            let whole = code
                .get(..start)
                .and_then(|h| h.chars().next_back())
                .is_none_or(|c| !storage::is_ident(c) && c != '.');
            if whole && !literal.text.contains('$') && !literal.backtick {
                replacements.push((start, literal.start, String::new()));
            }
        }
    }
    storage::replaced(code, replacements)
}

/// C# `code` with its file calls in the spellings the literal reader
/// knows, and the strings it builds from known values written in.
fn csharp(code: &str) -> Option<String> {
    let mut out: Option<String> = None;
    for (from, to) in CSHARP_FILE_CALLS {
        let text = out.as_deref().unwrap_or(code);
        if let Some(renamed) = super::renamed_calls(text, from, to) {
            out = Some(renamed);
        }
    }
    let text = out.as_deref().unwrap_or(code);
    compiled_values::plain(text, Dialect::CSharp).or(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_and_finished_interpolations_are_plain() {
        assert_eq!(
            plain("val t = s\"gs://b/x\"\nSeq(\"cp\", t).!", "scala-cli").as_deref(),
            Some("var t = \"gs://b/x\"\nSeq(\"cp\", t).!")
        );
        assert_eq!(
            plain("val t = s\"a/$x\"", "scala").as_deref(),
            Some("var t = s\"a/$x\"")
        );
        assert_eq!(plain("val t = 1", "python3"), None);
    }

    #[test]
    fn csharp_file_calls_are_the_known_spellings() {
        assert_eq!(
            plain(
                "var b = await File.ReadAllBytesAsync(\"a.csv\");\nusing var r = new StreamReader(\"b.txt\");",
                "dotnet"
            )
            .as_deref(),
            Some("var b = await File.ReadAllBytes(\"a.csv\");\nusing var r = File.OpenRead(\"b.txt\");")
        );
    }
}
