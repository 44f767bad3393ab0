//! Who a Google Cloud IAM policy file admits. `gcloud GROUP...
//! set-iam-policy RESOURCE FILE` and `gsutil iam set FILE URL...` replace
//! the resource's policy with the file's: its `bindings`, each a role and
//! the `members` given it, in JSON or YAML (gcloud takes either, as
//! `get-iam-policy` prints them). When an earlier step or the line wrote
//! the file with text writ knows, the members are read: `allUsers` and
//! `allAuthenticatedUsers` make the resource public, the others are its
//! grantees. A file writ never saw stays a grant to no one known.

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

use super::{Invocation, Outcome};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Resource};

/// The members a policy's bindings admit.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PolicyMembers {
    /// A binding names `allUsers` or `allAuthenticatedUsers`: anyone.
    pub everyone: bool,
    /// The other members, as written (`user:x@y.com`,
    /// `serviceAccount:...`, `group:...`, `domain:...`, `principal://...`),
    /// each once. The project's own role holders (`projectOwner:P`, ...)
    /// and deleted principals are no one new, so they are not listed.
    pub members: Vec<String>,
}

/// The members `text`, a policy file, admits; `None` when it is neither
/// JSON nor YAML with bindings. A `setIamPolicy` request body
/// (`{"policy": {...}}`) is read through its policy.
pub(crate) fn members(text: &str) -> Option<PolicyMembers> {
    let document = serde_json::from_str::<Value>(text.trim())
        .ok()
        .or_else(|| yaml_document(text))?;
    let policy = document.get("policy").unwrap_or(&document);
    let bindings = policy.get("bindings")?.as_array()?;
    let mut out = PolicyMembers::default();
    for binding in bindings {
        let listed = binding.get("members").and_then(Value::as_array);
        for member in listed.into_iter().flatten().filter_map(Value::as_str) {
            out.admit(member.trim());
        }
    }
    Some(out)
}

impl PolicyMembers {
    fn admit(&mut self, member: &str) {
        if member.eq_ignore_ascii_case("allUsers")
            || member.eq_ignore_ascii_case("allAuthenticatedUsers")
        {
            self.everyone = true;
        } else if !member.is_empty()
            && !is_own_or_deleted(member)
            && !self.members.iter().any(|m| m == member)
        {
            self.members.push(member.to_owned());
        }
    }

    /// What replacing `resource`'s policy with these bindings does: makes
    /// it public, or grants each member (no one known when none is named).
    pub(crate) fn effects(&self, resource: &Resource) -> Vec<Effect> {
        if self.everyone {
            return vec![Effect::MakePublic {
                resource: resource.clone(),
            }];
        }
        if self.members.is_empty() {
            return vec![Effect::GrantAccess {
                resource: resource.clone(),
                grantee: None,
            }];
        }
        self.members
            .iter()
            .map(|member| Effect::GrantAccess {
                resource: resource.clone(),
                grantee: Some(member.clone()),
            })
            .collect()
    }
}

/// The project's convenience members (who holds its basic roles) and
/// principals deleted since the binding was made.
fn is_own_or_deleted(member: &str) -> bool {
    let kind = member.split(':').next().unwrap_or_default();
    ["projectOwner", "projectEditor", "projectViewer", "deleted"]
        .iter()
        .any(|own| kind.eq_ignore_ascii_case(own))
}

/// Nesting deeper than this is not followed (a hostile file's aliases
/// could otherwise expand without bound).
const MAX_DEPTH: usize = 32;

/// The first YAML document of `text` as JSON.
fn yaml_document(text: &str) -> Option<Value> {
    let documents = YamlLoader::load_from_str(text).ok()?;
    let value = yaml_value(documents.first()?, 0);
    value.is_object().then_some(value)
}

fn yaml_value(node: &Yaml, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match node {
        Yaml::Hash(entries) => Value::Object(
            entries
                .iter()
                .filter_map(|(key, value)| {
                    Some((key.as_str()?.to_owned(), yaml_value(value, depth + 1)))
                })
                .collect(),
        ),
        Yaml::Array(items) => {
            Value::Array(items.iter().map(|i| yaml_value(i, depth + 1)).collect())
        }
        Yaml::String(text) | Yaml::Real(text) => Value::String(text.clone()),
        Yaml::Integer(number) => Value::String(number.to_string()),
        Yaml::Boolean(flag) => Value::Bool(*flag),
        _ => Value::Null,
    }
}

/// A call that replaces resources' IAM policies with a policy file: the
/// resources and the file as written.
struct PolicyFileCall {
    resources: Vec<Resource>,
    file: String,
}

/// `gcloud GROUP... set-iam-policy RESOURCE FILE`: a bucket for a `gs://`
/// resource, else the resource as named.
fn gcloud_call(inv: &Invocation<'_>) -> Option<PolicyFileCall> {
    let items = super::gcloud_items(inv.args);
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let at = words.iter().position(|w| *w == "set-iam-policy")?;
    let resource = words.get(at + 1)?;
    Some(PolicyFileCall {
        resources: vec![super::iam_resource(resource)],
        file: (*words.get(at + 2)?).to_owned(),
    })
}

/// `gsutil [global options] iam set [-afRr] [-e ETAG] FILE URL...`.
fn gsutil_call(inv: &Invocation<'_>) -> Option<PolicyFileCall> {
    let (command, operands) = super::gsutil_command_args(inv.args)?;
    let (verb, rest) = operands.split_first()?;
    if command.text != "iam" || verb.text != "set" {
        return None;
    }
    let items = args::parse(
        rest,
        &Spec {
            short: "e",
            long: &["etag"],
            stop_after: None,
        },
    );
    let positional: Vec<&Arg> = args::positionals(&items);
    let (file, urls) = positional.split_first()?;
    Some(PolicyFileCall {
        resources: urls
            .iter()
            .filter(|u| u.text.starts_with("gs://"))
            .map(|u| super::bucket("gs", &u.text))
            .collect(),
        file: file.text.clone(),
    })
}

/// A policy file written earlier (on the line or by an earlier step),
/// with text that is known, given to `gcloud ... set-iam-policy` or
/// `gsutil iam set`: the call's access changes are those of the file's
/// members, and the file is read.
pub(crate) fn written_policy_file(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &super::super::runners::Lookup<'_>,
) {
    let call = match inv.program {
        "gcloud" => gcloud_call(inv),
        "gsutil" => gsutil_call(inv),
        _ => None,
    };
    let Some(call) = call else { return };
    let path = inv.path(&call.file);
    let Some(members) = text_of(&path).as_deref().and_then(members) else {
        return;
    };
    outcome
        .effects
        .retain(|e| !matches!(e, Effect::GrantAccess { .. } | Effect::MakePublic { .. }));
    outcome.effects.insert(0, super::super::read(path, false));
    for resource in &call.resources {
        outcome.effects.extend(members.effects(resource));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_of_json_and_yaml_policies() {
        let json = r#"{"bindings":[
            {"role":"roles/storage.legacyBucketOwner","members":["projectOwner:p"]},
            {"role":"roles/storage.objectViewer","members":["user:a@x.io","group:g@y.io","user:a@x.io"]}
        ],"etag":"CAE="}"#;
        assert_eq!(
            members(json),
            Some(PolicyMembers {
                everyone: false,
                members: vec!["user:a@x.io".to_owned(), "group:g@y.io".to_owned()],
            })
        );
        let yaml = "bindings:\n- members:\n  - allAuthenticatedUsers\n  role: roles/viewer\netag: BwX=\nversion: 1\n";
        assert!(members(yaml).is_some_and(|m| m.everyone));
        let body = r#"{"policy":{"bindings":[{"role":"r","members":["allUsers"]}]}}"#;
        assert!(members(body).is_some_and(|m| m.everyone));
    }

    #[test]
    fn files_that_are_no_policy() {
        assert_eq!(members("not a policy"), None);
        assert_eq!(members(r#"{"Statement":[]}"#), None);
        assert_eq!(
            members(r#"{"bindings":[{"role":"r","members":["deleted:user:x@y.io?uid=1"]}]}"#),
            Some(PolicyMembers::default())
        );
    }
}
