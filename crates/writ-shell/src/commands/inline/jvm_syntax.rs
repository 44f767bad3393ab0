//! Kotlin's and Scala's own spellings of what the name evaluator
//! (`super::super::pathexpr`) reads in other languages: a `val NAME =
//! ...` declaration as `var NAME = ...` (the same length, so every other
//! offset stays), and (Scala) an interpolated string whose interpolations
//! are all written in (`s"gs://b/x.csv"`, once the loop or the arguments
//! that filled it are: [`super::jvm_loops`], [`super::compiled_args`]) as
//! the plain string it is. So a name bound to a path or a URL holds it
//! where it is used (`Seq("gcloud", "storage", "cp", f, target).!`).

use super::{literals, storage};

/// `code` in the spellings the name evaluator reads, or `None` when
/// nothing changes (or it is neither Kotlin nor Scala).
pub(super) fn plain(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
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
}
