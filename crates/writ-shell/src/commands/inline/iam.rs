//! IAM calls made through an AWS SDK, read as the `aws iam` commands they
//! stand for ([`crate::iam_grant`]): boto3's and Ruby's
//! `iam.attach_user_policy(UserName=..., PolicyArn=...)`, the JavaScript
//! SDK's `new AttachUserPolicyCommand({...})` and `iam.attachUserPolicy({...})`,
//! Go's `client.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{...})`,
//! .NET's `AttachUserPolicyAsync(...)`: each call's name is the API
//! action in the SDK's case, its parameters the literals given to keys
//! that are the API's parameter names in that case (`UserName=`,
//! `user_name:`, `UserName: aws.String("x")`).

use super::storage::{is_ident, matching};
use super::{Literal, value_of};
use crate::Effect;

/// Marks of code that uses an AWS SDK: calls named like IAM actions
/// elsewhere are not read.
const SDK_MARKS: &[&str] = &[
    "boto3",
    "botocore",
    "aws-sdk",
    "@aws-sdk/",
    "Aws::IAM",
    "Aws::",
    "aws_sdk_iam",
    "aws-sdk-go",
    "service/iam",
    "Amazon.IdentityManagement",
    "software.amazon.awssdk",
    "paws::iam",
];

/// Suffixes an SDK adds to an action's name (the JavaScript SDK's command
/// classes, .NET's and Go's variants).
const ACTION_SUFFIXES: &[&str] = &["Command", "Async", "WithContext", "Request"];

/// Wrappers an SDK puts around a parameter's value (Go's `aws.String`).
const VALUE_WRAPPERS: &[&str] = &["aws.String(", "String(", "ptr.String("];

/// The grants the code's IAM calls make.
pub(super) fn grants(code: &str, literals: &[Literal]) -> Vec<Effect> {
    if !SDK_MARKS.iter().any(|m| code.contains(m)) {
        return Vec::new();
    }
    let mut out: Vec<Effect> = Vec::new();
    for (open, _) in code.match_indices('(') {
        let enclosing = literals.partition_point(|l| l.start <= open);
        if enclosing
            .checked_sub(1)
            .and_then(|i| literals.get(i))
            .is_some_and(|l| open < l.end)
        {
            continue;
        }
        let head = code.get(..open).unwrap_or_default().trim_end();
        let name_len = head.len() - head.trim_end_matches(is_ident).len();
        let Some(name) = head.get(head.len() - name_len..).filter(|n| !n.is_empty()) else {
            continue;
        };
        let Some(action) = action_name(name) else {
            continue;
        };
        let close = matching(code, literals, open).unwrap_or(code.len());
        let params = parameters(code, literals, open, close);
        let param = |key: &str| {
            params
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.as_str())
        };
        if let Some(grant) = crate::iam_grant(&action, param)
            && !out.contains(&grant)
        {
            out.push(grant);
        }
    }
    out
}

/// The API action a call's name spells (`attach_user_policy`,
/// `attachUserPolicy`, `AttachUserPolicyCommand` are
/// `AttachUserPolicy`); `None` for a name that is no action's.
fn action_name(name: &str) -> Option<String> {
    let name = name.trim_start_matches('$');
    let base = ACTION_SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s).filter(|b| !b.is_empty()))
        .unwrap_or(name);
    let pascal = pascal_case(base);
    (pascal.len() > 3).then_some(pascal)
}

/// `snake_case`, `camelCase` or `PascalCase` as `PascalCase`.
fn pascal_case(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The literal values given to keys between `open` and `close`, each key
/// in `PascalCase` (`user_name: "x"` is `UserName`).
fn parameters(
    code: &str,
    literals: &[Literal],
    open: usize,
    close: usize,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for literal in literals
        .iter()
        .filter(|l| l.start > open && l.end <= close && !l.backtick)
    {
        let mut before = code.get(..literal.start).unwrap_or_default().trim_end();
        if let Some(unwrapped) = VALUE_WRAPPERS.iter().find_map(|w| before.strip_suffix(w)) {
            before = unwrapped.trim_end();
        }
        let Some(key) = key_before(before) else {
            continue;
        };
        let key = pascal_case(&key);
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, literal.text.clone()));
        }
    }
    out
}

/// The key a value follows (`UserName=`, `UserName:`, `'UserName' =>`,
/// `user_name:`).
fn key_before(before: &str) -> Option<String> {
    let head = ["=>", "=", ":"]
        .iter()
        .find_map(|sep| before.strip_suffix(sep))?;
    if head.ends_with([':', '=', '!', '<', '>']) {
        return None;
    }
    let head = head.trim_end().trim_end_matches(['\'', '"']);
    let len = head.len() - head.trim_end_matches(is_ident).len();
    let key = head.get(head.len() - len..)?;
    (!key.is_empty() && value_of(before, &[key])).then(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource;

    fn grants_of(code: &str) -> Vec<Effect> {
        grants(code, &super::super::literals(code))
    }

    fn grant(principal: &str, grantee: &str) -> Effect {
        Effect::GrantAccess {
            resource: Resource::Principal {
                name: principal.to_owned(),
            },
            grantee: Some(grantee.to_owned()),
        }
    }

    #[test]
    fn action_names_in_each_sdks_case() {
        for name in [
            "attach_user_policy",
            "attachUserPolicy",
            "AttachUserPolicyCommand",
            "AttachUserPolicyAsync",
            "AttachUserPolicy",
        ] {
            assert_eq!(action_name(name).as_deref(), Some("AttachUserPolicy"));
        }
    }

    #[test]
    fn sdk_calls_grant_as_the_cli_does() {
        let arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        for code in [
            "import boto3\niam = boto3.client('iam')\niam.attach_user_policy(UserName='ci', PolicyArn='arn:aws:iam::aws:policy/AdministratorAccess')",
            "import { IAMClient, AttachUserPolicyCommand } from '@aws-sdk/client-iam'; await c.send(new AttachUserPolicyCommand({ UserName: 'ci', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }))",
            "require 'aws-sdk-iam'; Aws::IAM::Client.new.attach_user_policy(user_name: 'ci', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess')",
            "import \"github.com/aws/aws-sdk-go-v2/service/iam\"\nc.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(\"ci\"), PolicyArn: aws.String(\"arn:aws:iam::aws:policy/AdministratorAccess\")})",
        ] {
            assert_eq!(grants_of(code), [grant("ci", arn)], "{code}");
        }
        assert_eq!(
            grants_of("boto3.client('iam').add_user_to_group(GroupName='admins', UserName='ci')"),
            [grant("ci", "admins")]
        );
        assert_eq!(
            grants_of(
                "boto3.client('iam').put_role_policy(RoleName='r', PolicyName='p', PolicyDocument=doc)"
            ),
            [grant("r", "p")]
        );
    }

    #[test]
    fn reads_and_other_code_grant_nothing() {
        assert!(
            grants_of(
                "import boto3\nboto3.client('iam').list_attached_user_policies(UserName='ci')"
            )
            .is_empty()
        );
        // Without an AWS SDK a name like an action's is someone else's.
        assert!(grants_of("add_user_to_group(user='ci', group='admins')").is_empty());
    }
}
