//! Compose files as YAML (read with `yaml-rust2`): the first document, as
//! a tree whose scalars are all text, with `<<` merge keys applied (the
//! parser resolves anchors and aliases, not merges). A file that does not
//! parse is no document: it is known only as far as it is read, never
//! guessed.

use yaml_rust2::{Yaml as Node, YamlLoader};

/// A YAML node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Yaml {
    Null,
    Scalar(String),
    Seq(Vec<Yaml>),
    /// Entries in order; a later duplicate key is ignored by [`Yaml::get`].
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// The value of `key` in a mapping.
    pub(super) fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar's text.
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Yaml::Scalar(text) => Some(text),
            _ => None,
        }
    }
}

/// Parses the first document of `text`; `Null` when it holds none or does
/// not parse.
pub(super) fn parse(text: &str) -> Yaml {
    YamlLoader::load_from_str(text)
        .ok()
        .and_then(|documents| documents.into_iter().next())
        .map_or(Yaml::Null, |document| convert(&document, 0))
}

/// Nesting deeper than this is not followed (a hostile file's aliases
/// could otherwise expand without bound).
const MAX_DEPTH: usize = 64;

fn convert(node: &Node, depth: usize) -> Yaml {
    if depth > MAX_DEPTH {
        return Yaml::Null;
    }
    match node {
        Node::Array(items) => Yaml::Seq(items.iter().map(|i| convert(i, depth + 1)).collect()),
        Node::Hash(entries) => {
            let mut map: Vec<(String, Yaml)> = Vec::new();
            let mut merged: Vec<(String, Yaml)> = Vec::new();
            for (key, value) in entries {
                let Some(key) = scalar(key) else { continue };
                if key == "<<" {
                    // `<<: *base` or `<<: [*a, *b]`: the first listed wins.
                    let sources: Vec<&Node> = match value {
                        Node::Array(items) => items.iter().collect(),
                        other => vec![other],
                    };
                    for source in sources {
                        if let Yaml::Map(entries) = convert(source, depth + 1) {
                            for (k, v) in entries {
                                if !merged.iter().any(|(m, _)| *m == k) {
                                    merged.push((k, v));
                                }
                            }
                        }
                    }
                } else if !map.iter().any(|(k, _)| *k == key) {
                    map.push((key, convert(value, depth + 1)));
                }
            }
            // Keys the mapping sets itself override merged ones.
            for (k, v) in merged {
                if !map.iter().any(|(m, _)| *m == k) {
                    map.push((k, v));
                }
            }
            Yaml::Map(map)
        }
        Node::Null | Node::BadValue | Node::Alias(_) => Yaml::Null,
        other => scalar(other).map_or(Yaml::Null, Yaml::Scalar),
    }
}

/// A scalar node's text as written (numbers and booleans too).
fn scalar(node: &Node) -> Option<String> {
    match node {
        Node::String(text) | Node::Real(text) => Some(text.clone()),
        Node::Integer(n) => Some(n.to_string()),
        Node::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}
