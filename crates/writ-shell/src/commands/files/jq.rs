//! What `jq` prints when the line fixes its filter and its input: `jq -n
//! FILTER` and `jq FILTER` reading standard input that is known text, with
//! `--arg`/`--argjson` values bound, evaluated by a real jq implementation
//! (jaq, `jq/run.rs`) once a static bound on its cost admits it
//! (`jq/bound.rs`). A value the line does not fix (`--arg sha "$(git
//! rev-parse HEAD)"`) is bound to the text that stands for it, as `echo`
//! would print it, and the output carries what that value carries; so
//! `jq -nc --arg sha "$(...)" '{ref: $sha, environment: "staging"}' | curl
//! --data @- ...` sends `{"ref":"$(git rev-parse HEAD)","environment":
//! "staging"}`. Anything else (a file operand, `-f`, an option not read
//! here, an error, a filter over the bound) leaves the output unknown.

mod bound;
mod run;

use super::super::Invocation;
use crate::args::Arg;
use crate::{Payload, flow};

/// How jq prints each value (`-r`, `-j`, `-c`, `--tab`, `--indent N`, `-S`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Format {
    /// Strings printed without quotes (`-r`, `-j`).
    pub raw: bool,
    /// No newline after each value (`-j`).
    pub joined: bool,
    /// The indentation of pretty output; `None` is compact (`-c`).
    pub indent: Option<String>,
    /// Object keys sorted (`-S`).
    pub sort_keys: bool,
}

/// A value bound to a `$NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    /// A string (`--arg`, `--args`, or the text standing for a value the
    /// line does not fix).
    Text(String),
    /// JSON text (`--argjson`, `--jsonargs`).
    Json(String),
}

/// The input jq reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Input {
    /// `-n`: one `null`.
    Null,
    /// Standard input's text: JSON values, or with `-R` lines of text;
    /// with `-s` all of them as one array (or one string).
    Text {
        text: String,
        raw: bool,
        slurp: bool,
    },
}

/// A jq run the line fixes: its filter, input, variables and format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Program {
    pub filter: String,
    pub input: Input,
    /// `$NAME` bindings, in order (a later one of a name wins).
    pub named: Vec<(String, Value)>,
    /// `$ARGS.positional` (`--args`, `--jsonargs`).
    pub positional: Vec<Value>,
    pub format: Format,
}

/// What jq prints, as a payload: the computed text, with what every value
/// bound to a variable and standard input carry (variables, files,
/// credentials). `None` when the text cannot be computed.
pub(super) fn stdout(inv: &Invocation<'_>) -> Option<Payload> {
    let (program, carried) = program(inv)?;
    let text = run::evaluate(&program)?;
    let mut printed = Payload::default();
    flow::push_text(&mut printed, &text);
    flow::merge(&mut printed, &carried);
    Some(printed)
}

/// The values options and positional words give, before they are bound.
#[derive(Default)]
struct Words<'a> {
    filter: Option<&'a Arg>,
    named: Vec<(&'a Arg, &'a Arg, bool)>,
    positional: Vec<(&'a Arg, bool)>,
    null_input: bool,
    raw_input: bool,
    slurp: bool,
}

/// Reads jq's command line into a program and what its bound values carry.
/// `None` for a file operand, a filter file, a dynamic filter, an option
/// not read here, or standard input that is not known text.
fn program(inv: &Invocation<'_>) -> Option<(Program, Payload)> {
    let mut words = Words::default();
    let mut format = Format {
        raw: false,
        joined: false,
        indent: Some("  ".to_owned()),
        sort_keys: false,
    };
    // After `--args`/`--jsonargs`, positional words are values, not files.
    let mut rest_are_values: Option<bool> = None;
    let mut options_done = false;
    let mut args = inv.args.iter();
    while let Some(word) = args.next() {
        let text = word.text.as_str();
        if options_done || !text.starts_with('-') || text == "-" {
            if words.filter.is_none() {
                words.filter = Some(word);
            } else {
                // A file operand: its text is not known here.
                words.positional.push((word, rest_are_values?));
            }
            continue;
        }
        if word.dynamic {
            return None;
        }
        match text {
            "--" => options_done = true,
            "--arg" | "--argjson" => {
                let name = args.next()?;
                let value = args.next()?;
                words.named.push((name, value, text == "--argjson"));
            }
            "--args" => rest_are_values = Some(false),
            "--jsonargs" => rest_are_values = Some(true),
            "--tab" => format.indent = Some("\t".to_owned()),
            "--indent" => {
                let width: usize = args.next()?.text.parse().ok()?;
                format.indent = (width > 0).then(|| " ".repeat(width.min(7)));
            }
            "--null-input" => words.null_input = true,
            "--raw-input" => words.raw_input = true,
            "--slurp" => words.slurp = true,
            "--raw-output" => format.raw = true,
            "--join-output" => (format.raw, format.joined) = (true, true),
            "--compact-output" => format.indent = None,
            "--sort-keys" => format.sort_keys = true,
            "--exit-status" | "--monochrome-output" | "--unbuffered" => {}
            _ if !text.starts_with("--") => {
                for letter in text.chars().skip(1) {
                    match letter {
                        'n' => words.null_input = true,
                        'R' => words.raw_input = true,
                        's' => words.slurp = true,
                        'r' => format.raw = true,
                        'j' => (format.raw, format.joined) = (true, true),
                        'c' => format.indent = None,
                        'S' => format.sort_keys = true,
                        'e' | 'M' => {}
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    }
    let filter = words.filter?;
    if filter.dynamic {
        return None;
    }
    let mut carried = Payload::default();
    let input = if words.null_input {
        Input::Null
    } else {
        Input::Text {
            text: known_stdin(inv, &mut carried)?,
            raw: words.raw_input,
            slurp: words.slurp,
        }
    };
    let mut named = Vec::new();
    for (name, value, json) in words.named {
        if name.dynamic {
            return None;
        }
        flow::merge(&mut carried, &value.expansions());
        named.push((name.text.clone(), bound_value(value, json)));
    }
    let mut positional = Vec::new();
    for (value, json) in words.positional {
        flow::merge(&mut carried, &value.expansions());
        positional.push(bound_value(value, json));
    }
    let program = Program {
        filter: filter.text.clone(),
        input,
        named,
        positional,
        format,
    };
    Some((program, carried))
}

/// A word's value: JSON text for `--argjson` when the line fixes it; else
/// its text, which for a value the line does not fix (`$(cmd)`, `$VAR`)
/// is the text standing for it.
fn bound_value(value: &Arg, json: bool) -> Value {
    if json && !value.dynamic {
        Value::Json(value.text.clone())
    } else {
        Value::Text(value.text.clone())
    }
}

/// The text standard input carries when it is one text: the variables and
/// credentials that ride with it (as placeholders in that text) are added
/// to `carried`; a file or repository content in it leaves it unknown.
fn known_stdin(inv: &Invocation<'_>, carried: &mut Payload) -> Option<String> {
    let stdin = inv.stdin;
    if !inv.has_stdin || !stdin.files.is_empty() || stdin.repository {
        return None;
    }
    let [text] = stdin.text.as_slice() else {
        return None;
    };
    let mut rest = stdin.clone();
    rest.text.clear();
    flow::merge(carried, &rest);
    Some(text.clone())
}
