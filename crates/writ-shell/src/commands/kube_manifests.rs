//! The role bindings a Kubernetes manifest holds, when `kubectl|oc
//! apply|create|replace` sends it to a cluster: `-f FILE`, `-f DIR` (its
//! `.yaml`, `.yml` and `.json` files, below it too with `-R`), `-k DIR`
//! (the resources its kustomization lists) and `-f -` (a heredoc). A
//! `RoleBinding` or `ClusterRoleBinding` gives its `subjects` its
//! `roleRef`'s access, as `kubectl create rolebinding NAME --user U` does
//! ([`super::infra::binding_grant`]); the apply's own change stays the
//! `kubectl` effect, in the context the line names.
//!
//! A manifest is YAML (several documents split by `---`) or JSON (one
//! object or several in a row); `kind: List` (and `RoleBindingList`, ...)
//! holds its objects under `items`. Only text known to be the file's
//! (written on the line or by an earlier step) is read; a document that
//! does not parse is no object, never a guess.

use super::infra::{applied_manifests, binding_grant};
use super::{Invocation, Lookup, Outcome};
use crate::{Effect, paths};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

/// The known files under a directory, with their texts, by absolute path.
pub(crate) type Listing<'a> = dyn Fn(&str) -> Vec<(String, String)> + 'a;

/// The files `kubectl -f DIR` reads from a directory.
const MANIFEST_EXTENSIONS: &[&str] = &[".yaml", ".yml", ".json"];

/// The names kustomize looks for in a kustomization's directory.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// How deep kustomizations may name other kustomizations, and `List`s
/// hold other lists, before the rest is not read.
const MAX_NESTING: usize = 8;

/// Nesting of YAML deeper than this is not converted (a hostile file's
/// aliases could otherwise expand without bound).
const MAX_DEPTH: usize = 64;

/// The access changes of the role bindings in the manifest files an
/// apply sends whose texts are known (`text_of`; `files_under` lists a
/// directory's known files).
pub(crate) fn applied_grants(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
    files_under: &Listing<'_>,
) {
    let Some(applied) = applied_manifests(inv) else {
        return;
    };
    let mut texts: Vec<String> = Vec::new();
    // `cat rbac.yaml | kubectl apply -f -`: the files standard input
    // carries (its text alone is read where the line runs).
    if applied.stdin && inv.stdin_only_text().is_none() {
        texts.extend(
            inv.stdin
                .files
                .iter()
                .filter(|file| !file.recursive)
                .filter_map(|file| text_of(&file.path)),
        );
    }
    for path in &applied.files {
        match text_of(path) {
            Some(text) => texts.push(text),
            None => texts.extend(directory_manifests(path, applied.recursive, files_under)),
        }
    }
    for dir in &applied.kustomizations {
        kustomization_resources(inv, dir, text_of, 0, &mut texts);
    }
    for text in texts {
        for grant in manifest_grants(&text) {
            if !outcome.effects.contains(&grant) {
                outcome.effects.push(grant);
            }
        }
    }
}

/// The texts of the known manifest files in `dir` (and below it when
/// `recursive`), in the order of their paths.
fn directory_manifests(dir: &str, recursive: bool, files_under: &Listing<'_>) -> Vec<String> {
    let prefix = format!("{}/", dir.trim_end_matches('/'));
    files_under(dir)
        .into_iter()
        .filter(|(path, _)| {
            let Some(rest) = path.strip_prefix(&prefix) else {
                return false;
            };
            (recursive || !rest.contains('/'))
                && MANIFEST_EXTENSIONS.iter().any(|ext| rest.ends_with(ext))
        })
        .map(|(_, text)| text)
        .collect()
}

/// The texts of the resources the kustomization in `dir` lists
/// (`resources:`, and the older `bases:`): a file's text, or another
/// kustomization's resources for a directory.
fn kustomization_resources(
    inv: &Invocation<'_>,
    dir: &str,
    text_of: &Lookup<'_>,
    depth: usize,
    texts: &mut Vec<String>,
) {
    if depth > MAX_NESTING {
        return;
    }
    let dir = dir.trim_end_matches('/');
    let Some(kustomization) = KUSTOMIZATION_FILES
        .iter()
        .find_map(|name| text_of(&format!("{dir}/{name}")))
    else {
        return;
    };
    for document in documents(&kustomization) {
        for key in ["resources", "bases"] {
            let Some(entries) = document.get(key).and_then(Value::as_array) else {
                continue;
            };
            for entry in entries.iter().filter_map(Value::as_str) {
                if entry.contains("://") {
                    continue;
                }
                let path = paths::resolve(dir, inv.home, entry);
                match text_of(&path) {
                    Some(text) => texts.push(text),
                    None => kustomization_resources(inv, &path, text_of, depth + 1, texts),
                }
            }
        }
    }
}

/// The access changes of the role bindings `text` (a manifest) holds.
pub(super) fn manifest_grants(text: &str) -> Vec<Effect> {
    let mut objects = Vec::new();
    for document in documents(text) {
        flatten_lists(document, 0, &mut objects);
    }
    objects.iter().filter_map(binding).collect()
}

/// The documents of a manifest: JSON values in a row when it starts as
/// JSON, else YAML documents.
fn documents(text: &str) -> Vec<Value> {
    if text.trim_start().starts_with(['{', '[']) {
        return serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .map_while(Result::ok)
            .collect();
    }
    YamlLoader::load_from_str(text)
        .map(|documents| documents.iter().map(|d| to_json(d, 0)).collect())
        .unwrap_or_default()
}

/// A YAML node as the JSON value it stands for; keys that are not
/// scalars, and nesting past [`MAX_DEPTH`], are dropped.
fn to_json(node: &Yaml, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match node {
        Yaml::String(text) | Yaml::Real(text) => Value::String(text.clone()),
        Yaml::Integer(number) => Value::from(*number),
        Yaml::Boolean(flag) => Value::Bool(*flag),
        Yaml::Array(items) => Value::Array(items.iter().map(|i| to_json(i, depth + 1)).collect()),
        Yaml::Hash(entries) => Value::Object(
            entries
                .iter()
                .filter_map(|(key, value)| Some((scalar_key(key)?, to_json(value, depth + 1))))
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// A mapping key's text.
fn scalar_key(key: &Yaml) -> Option<String> {
    match key {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// The objects a document holds: itself, or a list's `items` (a JSON
/// array at the top is such a list too).
fn flatten_lists(document: Value, depth: usize, objects: &mut Vec<Value>) {
    if depth > MAX_NESTING {
        return;
    }
    let is_list = document
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|kind| kind.ends_with("List"));
    match document {
        Value::Array(items) => {
            for item in items {
                flatten_lists(item, depth + 1, objects);
            }
        }
        Value::Object(mut object) if is_list => {
            if let Some(Value::Array(items)) = object.remove("items") {
                for item in items {
                    flatten_lists(item, depth + 1, objects);
                }
            }
        }
        object @ Value::Object(_) => objects.push(object),
        _ => {}
    }
}

/// What a `RoleBinding` or `ClusterRoleBinding` object does: gives its
/// subjects (users and groups by name, service accounts as `NS:NAME`, in
/// the binding's namespace when the subject names none) its role.
fn binding(object: &Value) -> Option<Effect> {
    let kind = object.get("kind").and_then(Value::as_str)?;
    if kind != "RoleBinding" && kind != "ClusterRoleBinding" {
        return None;
    }
    let metadata = object.get("metadata");
    let field = |key: &str| metadata.and_then(|m| m.get(key)).and_then(Value::as_str);
    let name = field("name")
        .or_else(|| field("generateName"))
        .unwrap_or("*");
    let namespace = field("namespace");
    let subjects: Vec<String> = object
        .get("subjects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|subject| {
            let name = subject.get("name").and_then(Value::as_str)?;
            let service_account =
                subject.get("kind").and_then(Value::as_str) == Some("ServiceAccount");
            let account_namespace = subject
                .get("namespace")
                .and_then(Value::as_str)
                .or(namespace);
            Some(match account_namespace {
                Some(ns) if service_account => format!("{ns}:{name}"),
                _ => name.to_owned(),
            })
        })
        .collect();
    Some(binding_grant(
        format!("{}/{name}", kind.to_ascii_lowercase()),
        &subjects,
    ))
}
