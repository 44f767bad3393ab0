//! `yq`, the YAML processor, in both of its common forms: mikefarah's Go
//! `yq [eval|e|eval-all|ea] [FLAGS] EXPR [FILE...]` and kislyuk's jq
//! wrapper `yq [OPTIONS] FILTER [FILE...]`. `-i` (`--inplace`,
//! `--in-place`) writes the result back to each file; otherwise the files
//! are read.

use super::super::{Invocation, Outcome};
use crate::args::{self, Arg, Spec};

/// Options of either yq that take a value.
const YQ_OPTIONS: Spec<'static> = Spec {
    short: "opI",
    long: &[
        "output-format",
        "input-format",
        "indent",
        "expression",
        "split-exp",
        "from-file",
        "front-matter",
        "arg",
        "argjson",
        "rawfile",
        "slurpfile",
        "xml-attribute-prefix",
        "xml-content-name",
        "csv-separator",
        "properties-separator",
        "width",
    ],
    stop_after: None,
};

/// mikefarah's subcommands.
const SUBCOMMANDS: &[&str] = &["eval", "e", "eval-all", "ea"];

/// `yq ... EXPR FILE...`: reads FILE, or with `-i` writes it.
pub(super) fn yq(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &YQ_OPTIONS);
    let in_place = args::has(&items, &["-i", "--inplace", "--in-place"])
        || args::values(&items, &["--inplace"])
            .iter()
            .any(|v| v.text != "false");
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["--from-file", "--rawfile", "--slurpfile"]) {
        outcome.read(inv.path(&file.text), false);
    }
    let mut operands = args::positionals(&items);
    if operands
        .first()
        .is_some_and(|o| SUBCOMMANDS.contains(&o.text.as_str()))
    {
        operands.remove(0);
    }
    let expression_given = args::has(&items, &["--expression", "--from-file"]);
    for file in files(&operands, expression_given) {
        let path = inv.path(&file.text);
        if in_place {
            outcome.write(path, false);
        } else {
            outcome.read(path, false);
        }
    }
    outcome
}

/// The operands that are files: those after the expression, or a lone
/// operand that names a file rather than an expression (`yq config.yaml`
/// prints it).
fn files<'a>(operands: &[&'a Arg], expression_given: bool) -> Vec<&'a Arg> {
    match operands {
        _ if expression_given => operands.to_vec(),
        [only] if names_file(&only.text) => vec![*only],
        [_expression, files @ ..] => files.to_vec(),
        [] => Vec::new(),
    }
}

/// True for an operand written as a path: with a directory or a data
/// file's extension, and none of an expression's operators.
fn names_file(text: &str) -> bool {
    if text.contains(|c: char| c.is_whitespace() || "|=()[]\"',".contains(c)) {
        return false;
    }
    let extension = text.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    text.contains('/')
        || extension.is_some_and(|e| {
            matches!(
                e.as_str(),
                "yaml" | "yml" | "json" | "xml" | "toml" | "properties" | "csv" | "tsv" | "ini"
            )
        })
}
