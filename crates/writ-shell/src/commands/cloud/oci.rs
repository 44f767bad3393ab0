//! Oracle Cloud's CLI, `oci [GLOBAL OPTIONS] SERVICE RESOURCE... VERB
//! --option VALUE ...`: every parameter is an option, so the command is the
//! words before the first option, and an option's value is the word after
//! it (or after `=`).
//!
//! - Object Storage (`os`): `object put|bulk-upload` upload, `object
//!   get|bulk-download` download, `object delete|bulk-delete` and `bucket
//!   delete` delete, as `aws s3` does. A bucket is known by its name,
//!   written `s3://BUCKET/OBJECT` as the S3-compatible API addresses it, so
//!   the organisation's bucket list sorts it.
//! - A bucket created or updated with `--public-access-type ObjectRead` or
//!   `ObjectReadWithoutList` is readable by anyone; a pre-authenticated
//!   request (`os preauth-request create`) is a link anyone who holds it
//!   may use, as `rclone link` makes: both make the bucket public.
//! - IAM policies (`iam policy create|update --statements JSON`): an
//!   `Allow any-user ...` statement opens what it names to anyone; any
//!   other statement grants its subject (`group contractors`) access;
//!   deleting a policy, or changing a group's members, changes access too.
//! - Any other change (`compute instance terminate`), not a transfer, is
//!   made in the environment the profile names (`--profile prod`, `OCI_CLI_PROFILE`),
//!   as aws's `--profile` is.

use super::super::{Invocation, Outcome};
use super::{S3Copy, bucket, s3_copy};
use crate::args::Arg;
use crate::{Effect, Resource};

/// Global options that take a value, which may come before the command.
const GLOBAL_VALUES: &[&str] = &[
    "--config-file",
    "--profile",
    "--cli-rc-file",
    "--defaults-file",
    "--region",
    "--endpoint",
    "--cert-bundle",
    "--output",
    "--query",
    "--auth",
    "--auth-purpose",
    "--connection-timeout",
    "--read-timeout",
    "--max-retries",
    "--generate-param-json-input",
    "--from-json",
    "--opc-request-id",
    "--opc-client-request-id",
];

/// Command groups that set up this machine's CLI, not the tenancy.
const LOCAL_GROUPS: &[&str] = &["setup", "session", "raw-request", "help"];

/// The command's words: the service, its resources and the verb
/// (`os`, `bucket`, `update`), after any global options.
fn command_words(args: &[Arg]) -> Vec<&str> {
    let mut words = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let text = arg.text.as_str();
        if text.starts_with('-') {
            if !words.is_empty() {
                break;
            }
            if GLOBAL_VALUES.contains(&text) {
                rest.next();
            }
            continue;
        }
        words.push(text);
    }
    words
}

/// The value of option `name` (`--bucket-name B`, `--bucket-name=B`), the
/// last when it is given twice.
fn option<'a>(args: &'a [Arg], names: &[&str]) -> Option<&'a Arg> {
    let mut found = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if names.contains(&arg.text.as_str()) {
            found = iter.next().or(found);
        } else if let Some((name, _)) = arg.text.split_once('=')
            && names.contains(&name)
        {
            found = Some(arg);
        }
    }
    found
}

/// The value of `--NAME VALUE` or `--NAME=VALUE` as an argument of its own.
fn option_arg(args: &[Arg], names: &[&str]) -> Option<Arg> {
    let arg = option(args, names)?;
    Some(match arg.text.split_once('=') {
        Some((name, value)) if names.contains(&name) => arg.with_text(value),
        _ => arg.clone(),
    })
}

/// True when `flag` is given.
fn has(args: &[Arg], flag: &str) -> bool {
    args.iter().any(|a| a.text == flag)
}

/// `oci ...`; `None` for a command that neither moves data, changes
/// access nor changes anything in a named environment, which is left to
/// the generic reading of an unknown program.
pub(in crate::commands) fn oci(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = command_words(inv.args);
    if words.first().is_none_or(|w| LOCAL_GROUPS.contains(w)) {
        return None;
    }
    let value = |names: &[&str]| option_arg(inv.args, names);
    let bucket_name = value(&["--bucket-name", "-bn"]);
    let mut outcome = Outcome::default();
    let mut transfers = false;
    match words.as_slice() {
        ["os", "object", verb @ ("put" | "bulk-upload")] => {
            if let Some(name) = bucket_name {
                transfers = true;
                let (source, recursive) = if *verb == "put" {
                    (value(&["--file", "-f"]), false)
                } else {
                    (value(&["--src-dir"]), true)
                };
                let key = value(&["--name", "--object-prefix"]).map_or_else(
                    || {
                        source
                            .as_ref()
                            .filter(|_| !recursive)
                            .and_then(|s| s.text.rsplit('/').next().map(str::to_owned))
                            .unwrap_or_default()
                    },
                    |k| k.text,
                );
                let destination = name.with_text(&format!("s3://{}/{key}", name.text));
                if let Some(source) = source {
                    let copy = S3Copy {
                        program: "oci",
                        command: "cp",
                        recursive,
                        acl_public: false,
                    };
                    s3_copy(inv, &copy, &source, &destination, &mut outcome);
                }
            }
        }
        ["os", "object", verb @ ("get" | "bulk-download")] => {
            if let Some(name) = bucket_name {
                transfers = true;
                let (object, local, recursive) = if *verb == "get" {
                    (
                        value(&["--name", "--object-name"]),
                        value(&["--file", "-f"]),
                        false,
                    )
                } else {
                    (value(&["--prefix"]), value(&["--download-dir"]), true)
                };
                let key = object.map(|o| o.text).unwrap_or_default();
                let source = name.with_text(&format!("s3://{}/{key}", name.text));
                if let Some(local) = local {
                    let copy = S3Copy {
                        program: "oci",
                        command: "cp",
                        recursive,
                        acl_public: false,
                    };
                    s3_copy(inv, &copy, &source, &local, &mut outcome);
                }
            }
        }
        ["os", "object", verb @ ("delete" | "bulk-delete")] => {
            if let Some(name) = bucket_name {
                transfers = true;
                let recursive = *verb == "bulk-delete";
                let key = value(&["--object-name", "--name", "--prefix"])
                    .map(|o| o.text)
                    .unwrap_or_default();
                outcome.effects.push(Effect::RemoteDelete {
                    target: super::super::url(&format!("s3://{}/{key}", name.text)),
                    recursive,
                });
            }
        }
        ["os", "bucket", "delete"] => {
            if let Some(name) = bucket_name.or_else(|| value(&["--name"])) {
                transfers = true;
                outcome.effects.push(Effect::RemoteDelete {
                    target: super::super::url(&format!("s3://{}", name.text)),
                    recursive: true,
                });
            }
        }
        ["os", "bucket", "create" | "update"] => {
            let public = value(&["--public-access-type"])
                .is_some_and(|t| t.text.to_ascii_lowercase().starts_with("objectread"));
            if public {
                let name = bucket_name.or_else(|| value(&["--name"]));
                outcome.effects.push(Effect::MakePublic {
                    resource: bucket("s3", &name.map(|n| n.text).unwrap_or_default()),
                });
            }
        }
        ["os", "preauth-request", "create"] => {
            outcome.effects.push(Effect::MakePublic {
                resource: bucket("s3", &bucket_name.map(|n| n.text).unwrap_or_default()),
            });
        }
        ["iam", "policy", verb @ ("create" | "update" | "delete")] => {
            let policy = value(&["--name", "--policy-id"]).map_or_else(String::new, |n| n.text);
            let resource = Resource::Other {
                name: format!("oci policy {policy}"),
            };
            let statements = value(&["--statements"]).map(|s| s.text);
            match statements.as_deref().map(policy_subjects) {
                Some(subjects) if *verb != "delete" => {
                    if subjects.everyone {
                        outcome.effects.push(Effect::MakePublic {
                            resource: resource.clone(),
                        });
                    }
                    if !subjects.everyone || !subjects.grantees.is_empty() {
                        outcome.effects.push(Effect::GrantAccess {
                            resource,
                            grantee: (!subjects.grantees.is_empty())
                                .then(|| subjects.grantees.join(", ")),
                        });
                    }
                }
                _ => outcome.effects.push(Effect::GrantAccess {
                    resource,
                    grantee: None,
                }),
            }
        }
        ["iam", "group", "add-user" | "remove-user"] => {
            let group = value(&["--group-id"]).map_or_else(String::new, |g| g.text);
            outcome.effects.push(Effect::GrantAccess {
                resource: Resource::Other {
                    name: format!("oci group {group}"),
                },
                grantee: value(&["--user-id"]).map(|u| u.text),
            });
        }
        _ => {}
    }
    let access = outcome
        .effects
        .iter()
        .any(|e| matches!(e, Effect::GrantAccess { .. } | Effect::MakePublic { .. }));
    let profile =
        option_arg(inv.args, &["--profile"]).or_else(|| inv.env_value("OCI_CLI_PROFILE").cloned());
    let changes = super::super::deploy::first_verb_changes(words.iter().skip(1).copied())
        == Some(true)
        || words.last().is_some_and(|w| *w == "action");
    // Object transfers and deletes are their own effects, as `aws s3`'s are.
    if let Some(profile) = profile
        && changes
        && !access
        && !transfers
        && !has(inv.args, "--dry-run")
    {
        outcome
            .effects
            .extend(super::super::deploy::environment_changes(
                "oci",
                &profile.text,
                None,
            ));
    }
    if outcome.effects.is_empty() && !transfers {
        return None;
    }
    if !transfers {
        // The files the command reads: a parameter given as `file://PATH`
        // (`--statements file://policy.json`, `--from-json
        // file://launch.json`) and the value of a file option (`--file`,
        // `--ssh-authorized-keys-file`). Other values are OCIDs and names.
        let mut read = Outcome::default();
        let mut previous: Option<&str> = None;
        for arg in inv.args {
            let (name, value) = match arg.text.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (Some(name), value),
                _ => (previous, arg.text.as_str()),
            };
            let file_option = name.is_some_and(|n| n == "--file" || n.ends_with("-file"));
            if let Some(path) = value.strip_prefix("file://") {
                read.read(inv.path(path), false);
            } else if file_option && !value.starts_with('-') && value != "-" {
                read.read(inv.path(value), false);
            }
            previous = arg.text.starts_with("--").then_some(arg.text.as_str());
        }
        read.effects.extend(outcome.effects);
        return Some(read);
    }
    Some(outcome)
}

/// Who the statements of an OCI policy admit.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Subjects {
    /// An `Allow any-user ...` statement: anyone.
    pub everyone: bool,
    /// The other subjects of `Allow`, `Endorse` and `Admit` statements
    /// (`group contractors`, `dynamic-group ci`, `any-group`), as written.
    pub grantees: Vec<String>,
}

/// The subjects of `--statements`: a JSON list of statements, or the
/// statements as text when it is not one. A statement is `Allow|Endorse|
/// Admit SUBJECT to ...`; `Define` names a tenancy and grants nothing.
pub(super) fn policy_subjects(text: &str) -> Subjects {
    let statements: Vec<String> = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        Ok(serde_json::Value::String(one)) => vec![one],
        _ => text
            .split(['\n', ','])
            .map(|s| s.trim_matches(|c: char| c.is_whitespace() || "[]\"'".contains(c)))
            .map(str::to_owned)
            .collect(),
    };
    let mut subjects = Subjects::default();
    for statement in &statements {
        let words: Vec<&str> = statement.split_whitespace().collect();
        let Some((verb, rest)) = words.split_first() else {
            continue;
        };
        if !["allow", "endorse", "admit"].contains(&verb.to_ascii_lowercase().as_str()) {
            continue;
        }
        let subject: Vec<&str> = rest
            .iter()
            .take_while(|w| !w.eq_ignore_ascii_case("to"))
            .copied()
            .collect();
        if subject.is_empty() {
            continue;
        }
        if subject
            .first()
            .is_some_and(|s| s.eq_ignore_ascii_case("any-user"))
        {
            subjects.everyone = true;
        } else {
            let grantee = subject.join(" ");
            if !subjects.grantees.contains(&grantee) {
                subjects.grantees.push(grantee);
            }
        }
    }
    subjects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_name_their_subjects() {
        let s = policy_subjects(
            r#"["Allow group contractors to manage object-family in compartment ledger", "Allow any-user to read objects in compartment web where target.bucket.name='site'"]"#,
        );
        assert!(s.everyone);
        assert_eq!(s.grantees, ["group contractors"]);
        let s = policy_subjects("Allow dynamic-group ci to use secret-family in tenancy");
        assert!(!s.everyone);
        assert_eq!(s.grantees, ["dynamic-group ci"]);
        let s = policy_subjects(r#"["Define tenancy Partner as ocid1.tenancy.oc1..x"]"#);
        assert_eq!(s, Subjects::default());
    }
}
