//! Hugging Face Hub visibility changes in inline code:
//! `HfApi().update_repo_settings(repo_id=R, private=False)` and
//! `update_repo_visibility(R, private=False)` (or `False` as its second
//! argument; also the module-level functions) make an existing repository
//! public, as `gh repo edit --visibility public` does. The repository is
//! `huggingface.co/[datasets/|spaces/]OWNER/NAME` by its `repo_type`.
//!
//! `create_repo(..., private=False)` is not one: it creates a repository
//! (given `exist_ok=True` and an existing one, it leaves its visibility as
//! it was), so nothing of the organisation's is exposed by it.

use super::{Literal, is_repo_id};
use crate::{Effect, Resource};

/// The calls that change a repository's visibility, and the position of
/// `private` among their positional arguments.
const CALLS: &[(&str, Option<usize>)] = &[
    ("update_repo_settings", None),
    ("update_repo_visibility", Some(1)),
];

/// The repositories `code` makes public, and the literals those calls take.
pub(super) fn made_public(code: &str, literals: &[Literal]) -> (Vec<Effect>, Vec<usize>) {
    let mut effects = Vec::new();
    let mut used = Vec::new();
    for (name, private_at) in CALLS {
        for (at, _) in code.match_indices(name) {
            let whole = code
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            let after = code.get(at + name.len()..).unwrap_or_default();
            let trimmed = after.trim_start();
            if !whole || !trimmed.starts_with('(') {
                continue;
            }
            let open = at + name.len() + (after.len() - trimmed.len()) + 1;
            let args = arguments(code, open, literals);
            let inside: Vec<usize> = literals
                .iter()
                .enumerate()
                .filter(|(_, l)| l.start >= open && args.end.is_none_or(|end| l.end <= end))
                .map(|(index, _)| index)
                .collect();
            let public = args.words.iter().enumerate().any(|(index, word)| {
                let word: String = word.chars().filter(|c| !c.is_whitespace()).collect();
                word == "private=False" || (Some(index) == *private_at && word == "False")
            });
            // The repository id a settings call names is not an upload's.
            used.extend(inside.iter().copied());
            if !public {
                continue;
            }
            let keyed = |key: &str| {
                inside.iter().copied().find(|index| {
                    literals.get(*index).is_some_and(|l| {
                        let before = code.get(open..l.start).unwrap_or_default().trim_end();
                        before
                            .strip_suffix('=')
                            .is_some_and(|b| b.trim_end().ends_with(key))
                    })
                })
            };
            let repo = keyed("repo_id")
                .or_else(|| {
                    // The first argument, when it is a literal.
                    inside.first().copied().filter(|index| {
                        literals.get(*index).is_some_and(|l| {
                            code.get(open..l.start).is_some_and(|b| b.trim().is_empty())
                        })
                    })
                })
                .and_then(|index| literals.get(index))
                .or_else(|| {
                    // A name assigned earlier: the last repository id before the call.
                    literals
                        .iter()
                        .filter(|l| l.end <= at)
                        .rfind(|l| is_repo_id(&l.text))
                })
                .map(|l| l.text.clone())
                .filter(|text| is_repo_id(text));
            let kind = keyed("repo_type")
                .and_then(|index| literals.get(index))
                .map_or("", |l| match l.text.as_str() {
                    "dataset" | "datasets" => "datasets/",
                    "space" | "spaces" => "spaces/",
                    _ => "",
                });
            let resource = match repo {
                Some(repo) => Resource::Repo {
                    host: "huggingface.co".to_owned(),
                    slug: Some(format!("{kind}{repo}")),
                },
                // A repository held in a name the code does not show.
                None => Resource::Other {
                    name: format!("huggingface.co {name}"),
                },
            };
            effects.push(Effect::MakePublic { resource });
        }
    }
    (effects, used)
}

/// A call's arguments: the top-level words between its parentheses (with
/// string literals and nested brackets kept whole), and where it closes.
struct Arguments {
    words: Vec<String>,
    end: Option<usize>,
}

fn arguments(code: &str, open: usize, literals: &[Literal]) -> Arguments {
    let mut words = vec![String::new()];
    let mut depth = 0usize;
    let mut chars = code.get(open..).unwrap_or_default().char_indices();
    while let Some((offset, c)) = chars.next() {
        let at = open + offset;
        if let Some(literal) = literals.iter().find(|l| l.start == at) {
            // A literal is one piece of a word: its quotes and commas are
            // not the code's.
            let text = code.get(at..literal.end).unwrap_or_default();
            if let Some(word) = words.last_mut() {
                word.push_str(text);
            }
            for _ in text.chars().skip(1) {
                chars.next();
            }
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => {
                return Arguments {
                    words,
                    end: Some(at),
                };
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                words.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(word) = words.last_mut() {
            word.push(c);
        }
    }
    Arguments { words, end: None }
}
