//! Who an AWS policy document lets in: resource policies (buckets,
//! queues, topics, keys, repositories, secrets, ...) and roles' trust
//! policies. A document is read as IAM evaluates it, statement by
//! statement, rather than searched for text, so a `Deny` to everyone (the
//! usual "TLS only" bucket statement) opens nothing and a principal in a
//! list counts as much as one alone.

use serde_json::Value;

/// The `aws` options whose value is a policy document (or an attribute
/// map that may hold one), which [`super::written_policies`] reads from a
/// `file://` file written earlier.
pub(crate) const POLICY_OPTIONS: &[&str] = &[
    "--policy",
    "--policy-document",
    "--assume-role-policy-document",
    "--policy-text",
    "--resource-policy",
    "--policy-in-json",
    "--attributes",
    "--attribute-value",
    "--access-policies",
];

/// The principals a policy document's `Allow` statements admit.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PolicyReach {
    /// An `Allow` statement admits every principal (`"Principal":"*"`,
    /// `{"AWS":"*"}`, `arn:aws:iam::*:root`, a `NotPrincipal`), and no
    /// condition narrows who may use it.
    pub everyone: bool,
    /// The AWS accounts, roles and users (and S3 canonical users) named
    /// by `Allow` statements: access given to them, whichever account they
    /// belong to. AWS services (`Service`) and identity providers
    /// (`Federated`) are not listed.
    pub principals: Vec<String>,
}

impl PolicyReach {
    /// The principals as one grantee, `None` when none is named.
    pub fn grantee(&self) -> Option<String> {
        (!self.principals.is_empty()).then(|| self.principals.join(", "))
    }
}

/// Who `text`, a policy document, admits; `None` when it is not JSON (a
/// `file://` reference, shorthand). A document wrapped in an attribute map
/// (`{"Policy":"{...}"}`, SQS's `--attributes` and Glacier's `--policy`)
/// is read through its `Policy` member.
pub fn reach(text: &str) -> Option<PolicyReach> {
    let document: Value = serde_json::from_str(text.trim()).ok()?;
    Some(document_reach(&document))
}

/// Whether `text` opens its resource to everyone: [`reach`] for a JSON
/// document; text that is not JSON (shorthand, a document quoted inside
/// another) is searched for a principal that is everyone
/// ([`super::grants_everyone`]), and any `Condition` in it counts as
/// narrowing.
pub(crate) fn opens_to_everyone(text: &str) -> bool {
    match reach(text) {
        Some(reach) => reach.everyone,
        None => {
            let text = text.replace("\\\"", "\"");
            super::grants_everyone(&text) && !text.contains("Condition")
        }
    }
}

/// Whether an attribute value holds a policy: a JSON document with
/// statements, an attribute map with a `Policy` member, or shorthand
/// `Policy=...`. A `file://` reference is not known to.
pub(crate) fn carries_policy(text: &str) -> bool {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(document) => {
            member(&document, "Policy").is_some() || member(&document, "Statement").is_some()
        }
        Err(_) => {
            !text.starts_with("file://") && (text.contains("Policy=") || text.contains("Statement"))
        }
    }
}

fn document_reach(document: &Value) -> PolicyReach {
    let mut out = PolicyReach::default();
    // `{"Policy": "<document as a string>"}`, or the document itself.
    if let Some(inner) = member(document, "Policy") {
        let inner = match inner {
            Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
            other => other.clone(),
        };
        return document_reach(&inner);
    }
    let statements = match member(document, "Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    for statement in statements {
        let allows = member(statement, "Effect")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("allow"));
        if !allows {
            continue;
        }
        let narrowed = member(statement, "Condition").is_some_and(narrows);
        if member(statement, "NotPrincipal").is_some() {
            // Allowed to every principal but those listed.
            out.everyone |= !narrowed;
            continue;
        }
        let Some(principal) = member(statement, "Principal") else {
            continue;
        };
        match principal {
            Value::String(p) if p == "*" => out.everyone |= !narrowed,
            Value::Object(kinds) => {
                for (kind, names) in kinds {
                    if !matches!(kind.to_ascii_lowercase().as_str(), "aws" | "canonicaluser") {
                        continue;
                    }
                    for name in strings(names) {
                        if is_any_account(name) {
                            out.everyone |= !narrowed;
                        } else if !out.principals.iter().any(|p| p == name) {
                            out.principals.push(name.to_owned());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A member of a JSON object, its name in any case (`Statement`,
/// `statement`): the CLI passes the text on, and IAM's own names are the
/// only ones a document holds.
fn member<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    value
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// A string or a list of strings.
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// `*`, or an ARN whose account is a wildcard (`arn:aws:iam::*:root`):
/// every AWS account.
fn is_any_account(principal: &str) -> bool {
    let principal = principal.trim();
    principal == "*"
        || principal
            .split(':')
            .nth(4)
            .is_some_and(|account| account.contains('*'))
}

/// Condition keys that say nothing of who the caller is: the request's
/// time, transport, region, client or MFA, and S3's request content. A
/// statement conditioned only on these still admits everyone (a public
/// bucket policy "only over TLS" is public); any other key (the caller's
/// organisation, account, ARN, source VPC or address, an external id, a
/// federated token's subject) narrows who.
const NON_NARROWING_CONDITION_KEYS: &[&str] = &[
    "aws:securetransport",
    "aws:currenttime",
    "aws:epochtime",
    "aws:requestedregion",
    "aws:useragent",
    "aws:referer",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:tokenissuetime",
    "aws:viaawsservice",
    "s3:tlsversion",
    "s3:signatureversion",
    "s3:signatureage",
    "s3:authtype",
    "s3:prefix",
    "s3:delimiter",
    "s3:max-keys",
    "s3:x-amz-acl",
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-content-sha256",
];

/// Whether a statement's `Condition` (`{"Operator": {"key": value}}`)
/// narrows who it admits: it has a key beyond
/// [`NON_NARROWING_CONDITION_KEYS`], or a shape not understood.
fn narrows(condition: &Value) -> bool {
    let Some(operators) = condition.as_object() else {
        return true;
    };
    operators.values().any(|keys| {
        keys.as_object().is_none_or(|keys| {
            keys.keys().any(|key| {
                !NON_NARROWING_CONDITION_KEYS.contains(&key.to_ascii_lowercase().as_str())
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn everyone(text: &str) -> bool {
        reach(text).is_some_and(|r| r.everyone)
    }

    #[test]
    fn principals_that_are_everyone() {
        assert!(everyone(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}"#
        ));
        assert!(everyone(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]}}}"#
        ));
        assert!(everyone(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"}}]}"#
        ));
        assert!(everyone(
            r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"}}]}"#
        ));
        // Only over TLS is still anyone.
        assert!(everyone(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#
        ));
        // An SQS attribute map holding the document as a string.
        assert!(everyone(
            r#"{"Policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]}"}"#
        ));
    }

    #[test]
    fn principals_that_are_not_everyone() {
        // A deny to everyone opens nothing.
        assert!(!everyone(
            r#"{"Statement":[{"Effect":"Deny","Principal":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#
        ));
        assert!(!everyone(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#
        ));
        assert!(!everyone(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"}}]}"#
        ));
        assert_eq!(reach("file://p.json"), None);
        assert_eq!(
            reach(
                r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["444455556666","arn:aws:iam::444455556666:role/ci"]}}]}"#
            )
            .and_then(|r| r.grantee()),
            Some("444455556666, arn:aws:iam::444455556666:role/ci".to_owned())
        );
    }

    #[test]
    fn attributes_that_hold_a_policy() {
        assert!(carries_policy(r#"{"Policy":"{}"}"#));
        assert!(carries_policy(r#"{"Statement":[]}"#));
        assert!(carries_policy("Policy={...}"));
        assert!(!carries_policy(r#"{"VisibilityTimeout":"60"}"#));
        assert!(!carries_policy("VisibilityTimeout=60"));
        assert!(!carries_policy("file://attributes.json"));
    }

    #[test]
    fn text_that_is_not_json() {
        assert!(opens_to_everyone(
            r#"Statement=[{Effect=Allow,"Principal":"*"}]"#
        ));
        assert!(!opens_to_everyone(
            r#"Statement=[{"Principal":"*",Condition={}}]"#
        ));
    }
}
