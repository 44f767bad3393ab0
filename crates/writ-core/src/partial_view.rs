//! Steps that print a part of one file: what the session learns of it.
//!
//! `jq '.scripts' package.json` prints the value at a path of a JSON file,
//! `just --show NAME` one recipe of the justfile, `grep -n -A3 RE F` the
//! lines around a match, `sed -n 'A,Bp' F` (or `'/re/,/re/p'`), `head`
//! and `tail` the lines of a range. Once such a step has run, the session
//! holds that part as a partial view of the file
//! ([`writ_shell::WrittenFile::partial`]): a task runner may find the
//! target it runs there, and nothing takes it for the whole file.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use writ_shell::WrittenFile;

use crate::Effect;

/// The part of one file a step's output shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownPart {
    /// Absolute normalised path of the file.
    pub path: String,
    pub shape: Shape,
}

/// How the output stands for the part of the file it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// The JSON value at these keys (`jq '.a.b'`): the file holds
    /// `{"a": {"b": OUTPUT}}`.
    Json(Vec<String>),
    /// Lines of the file as they are.
    Lines,
    /// Lines of the file grep printed around its matches, its groups apart
    /// by `--`; `numbered`: each prefixed with its number (`N:` for a
    /// match, `N-` for context: `grep -n`).
    Grep { numbered: bool },
}

/// The words of a line that is one literal command
/// ([`writ_shell::literal_commands`]): no list, pipe, redirection of its
/// output, expansion or glob, so what it prints is simply the file's part.
fn plain_words(command: &str) -> Option<Vec<String>> {
    match writ_shell::literal_commands(command)?.as_slice() {
        [only] => Some(only.words.clone()),
        _ => None,
    }
}

/// The keys of a plain jq path filter (`.scripts`, `.a.b`, `.["a-b"]`
/// is not one); no keys for a projection of top-level keys (`{name,
/// version, publishConfig}`), whose output holds them where the file
/// does; `None` for any other filter.
fn jq_path(filter: &str) -> Option<Vec<String>> {
    if let Some(inner) = filter
        .trim()
        .strip_prefix('{')
        .and_then(|f| f.strip_suffix('}'))
    {
        let plain_keys = inner.split(',').map(str::trim).all(|key| {
            !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        return plain_keys.then(Vec::new);
    }
    let rest = filter.strip_prefix('.')?;
    let keys: Vec<String> = rest.split('.').map(str::to_owned).collect();
    keys.iter()
        .all(|key| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .then_some(keys)
}

/// True for a `sed -n` script that prints one range of lines
/// (`'10,40p'`, `'/fn x/,/^}/p'`, `'5p'`).
fn sed_prints_range(script: &str) -> bool {
    let Some(range) = script.strip_suffix('p') else {
        return false;
    };
    let address = |a: &str| {
        let number = !a.is_empty() && a.chars().all(|c| c.is_ascii_digit());
        let pattern = a
            .strip_prefix('/')
            .and_then(|rest| rest.strip_suffix('/'))
            .is_some_and(|re| !re.is_empty() && !re.contains('/'));
        number || a == "$" || pattern
    };
    match range.split_once(',') {
        Some((from, to)) => address(from) && address(to),
        None => address(range),
    }
}

/// The part of one file that `command` prints, when it is one of the
/// commands this module knows and its one effect (as the line resolved
/// it) is the read of that file; `justfile` is the justfile `just --show`
/// reads from `cwd` (an absolute directory).
pub fn shown_part(command: &str, effects: &[Effect], cwd: &str) -> Option<ShownPart> {
    let words = plain_words(command)?;
    let (program, args) = words.split_first()?;
    let read = || match effects {
        [
            Effect::FileRead {
                path,
                recursive: false,
            },
        ] => Some(path.clone()),
        _ => None,
    };
    let options: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| a.starts_with('-'))
        .collect();
    let operands: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let shape = match program.as_str() {
        "jq" if options.is_empty() && operands.len() == 2 => {
            Shape::Json(jq_path(operands.first()?)?)
        }
        "just"
            if options.len() == 1
                && operands.len() == 1
                && matches!(options[..], ["--show" | "-s"]) =>
        {
            return Some(ShownPart {
                path: format!("{}/justfile", cwd.trim_end_matches('/')),
                shape: Shape::Lines,
            });
        }
        "grep" | "egrep" => {
            let context = options.iter().all(|o| {
                o.trim_start_matches('-').chars().all(|c| {
                    matches!(c, 'n' | 'A' | 'B' | 'C' | 'E' | 'F' | 'i' | 'w') || c.is_ascii_digit()
                })
            });
            let shows_context = options
                .iter()
                .any(|o| o.contains(['A', 'B', 'C']) && !o.starts_with("--"));
            if !context || !shows_context || operands.len() != 3 && operands.len() != 2 {
                return None;
            }
            // `-A3` joins its count; `-A 3` leaves it a word of its own.
            Shape::Grep {
                numbered: options.iter().any(|o| o.contains('n')),
            }
        }
        "sed"
            if options == ["-n"] && operands.len() == 2 && sed_prints_range(operands.first()?) =>
        {
            Shape::Lines
        }
        "head" | "tail" if operands.len() <= 2 => {
            let counted = options.iter().all(|o| {
                *o == "-n"
                    || o.strip_prefix("-n")
                        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
                    || o.trim_start_matches('-')
                        .chars()
                        .all(|c| c.is_ascii_digit())
            });
            if !counted {
                return None;
            }
            Shape::Lines
        }
        _ => return None,
    };
    Some(ShownPart {
        path: read()?,
        shape,
    })
}

/// Lines grep printed, without the `--` between its groups and, when
/// `numbered`, the numbers `-n` put before them (`12:` for a match, `12-`
/// for context); `None` when a line is not in that form.
fn grep_lines(output: &str, numbered: bool) -> Option<String> {
    let mut lines = Vec::new();
    for line in output.lines() {
        if line == "--" {
            continue;
        }
        if !numbered {
            lines.push(line);
            continue;
        }
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let rest = line.get(digits..)?;
        let text = rest.strip_prefix(':').or_else(|| rest.strip_prefix('-'));
        match text {
            Some(text) if digits > 0 => lines.push(text),
            _ => return None,
        }
    }
    Some(lines.join("\n"))
}

/// What the session knows of the file once the step printed `output`: a
/// partial view of it, or `None` when the output does not show what the
/// shape says (not JSON, grep lines without their numbers, empty).
pub fn partial_view(part: &ShownPart, output: &str) -> Option<WrittenFile> {
    if output.trim().is_empty() || output.len() > crate::interpret::MAX_READ_TEXT {
        return None;
    }
    let text = match &part.shape {
        Shape::Json(keys) => {
            let mut value: Value = serde_json::from_str(output).ok()?;
            if value.is_null() {
                return None;
            }
            for key in keys.iter().rev() {
                let mut object = serde_json::Map::new();
                object.insert(key.clone(), value);
                value = Value::Object(object);
            }
            serde_json::to_string_pretty(&value).ok()?
        }
        Shape::Lines => output.to_owned(),
        Shape::Grep { numbered } => grep_lines(output, *numbered)?,
    };
    Some(WrittenFile::partial_view(part.path.clone(), text))
}
