//! The Salesforce CLI (`sf`, and the older `sfdx`) where it changes who
//! may do what in an org:
//!
//! - `sf org assign permset|permsetlicense --name N... [--on-behalf-of
//!   U...] [--target-org O]` (and the older `sfdx
//!   force:user:permset:assign|permsetlicense:assign --permsetname N
//!   --onbehalfof U --targetusername O`): the permission sets or licences
//!   given to the users, else to the org's signed-in user;
//! - `sf org create user [username=U profileName=P permsets=...]` (`sfdx
//!   force:user:create`): a new account in the org;
//! - `sf org generate password [--on-behalf-of U]` (`sfdx
//!   force:user:password:generate`): the account's password reset, as
//!   `passwd` changes an account's access;
//! - `sf data create|update|upsert|delete record --sobject S` (`sfdx
//!   force:data:record:*`) of the objects that hold access: permission
//!   set, licence and group assignments, the permission sets and
//!   profiles' own permissions, records' shares (`AccountShare`,
//!   `Invoice__Share`), and a user's profile, role or activation.
//!
//! Each is an [`crate::Effect::GrantAccess`] on the org's permission set,
//! account or object, its grantee the user who gains or loses, as the
//! other admin CLIs here report them. The rest of the CLI (deploys,
//! queries, listings) is left to the handlers after this one.

use super::{Invocation, Outcome, access_change};
use crate::args::{self, Item, Spec};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let topics = topics(inv);
    let items = args::parse(
        inv.args,
        &Spec {
            short: SF_VALUES,
            long: SF_LONG,
            stop_after: None,
        },
    );
    let topics: Vec<&str> = topics.iter().map(String::as_str).collect();
    let change = match topics.as_slice() {
        ["org", "assign", kind @ ("permset" | "permsetlicense")]
        | [
            "force",
            "user",
            kind @ ("permset" | "permsetlicense"),
            "assign",
        ] => assignment(&items, kind),
        ["org", "create", "user"] | ["force", "user", "create"] => new_user(&items),
        ["org", "generate", "password"] | ["force", "user", "password", "generate"] => {
            password(&items)
        }
        ["data", "create" | "update" | "upsert" | "delete", "record"]
        | [
            "force",
            "data",
            "record",
            "create" | "update" | "upsert" | "delete",
        ] => record_change(&items)?,
        _ => return None,
    };
    Some(Outcome::default().effect(change))
}

/// Short options of these commands that take a value: `-n` name, `-b`
/// on behalf of, `-o` target org, `-u` the older target org, `-s`
/// sobject, `-v` values, `-w` where, `-i` record id, `-f` definition
/// file, `-a` alias.
const SF_VALUES: &str = "nbousvwifa";

/// Long options of these commands that take a value.
const SF_LONG: &[&str] = &[
    "name",
    "perm-set-name",
    "permsetname",
    "on-behalf-of",
    "onbehalfof",
    "target-org",
    "targetusername",
    "target-dev-hub",
    "api-version",
    "sobject",
    "sobjecttype",
    "values",
    "where",
    "record-id",
    "sobjectid",
    "definition-file",
    "definitionfile",
    "set-alias",
    "setalias",
    "length",
    "complexity",
    "loglevel",
    "flags-dir",
];

/// The command's topics and its verb: the words before its first option,
/// each split on `:` (`force:user:permset:assign`, `org assign permset`),
/// lower-case.
fn topics(inv: &Invocation<'_>) -> Vec<String> {
    args::leading(inv.args)
        .iter()
        .flat_map(|word| word.split(':'))
        .filter(|word| !word.is_empty() && !word.contains('='))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The org the command acts in: `--target-org`/`-o` (the older
/// `--targetusername`/`-u`; before the CLI became `sf`, `-o` named the
/// users the command acts for, which now only the long options do), else
/// the CLI's default org.
fn org(items: &[Item<'_>]) -> String {
    args::value(items, &["--target-org", "-o", "--targetusername", "-u"])
        .map_or_else(|| "default org".to_owned(), |o| format!("org {}", o.text))
}

/// The users named `on behalf of`: `--on-behalf-of`/`-b` (repeatable,
/// comma-separated), the older `--onbehalfof`; `None`: the org's
/// signed-in user.
fn on_behalf_of(items: &[Item<'_>]) -> Option<String> {
    let users: Vec<&str> = args::values(items, &["--on-behalf-of", "-b", "--onbehalfof"])
        .into_iter()
        .flat_map(|v| v.text.split(','))
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect();
    (!users.is_empty()).then(|| users.join(", "))
}

/// `sf org assign permset|permsetlicense`: the named permission sets (or
/// licences) given to the users.
fn assignment(items: &[Item<'_>], kind: &str) -> crate::Effect {
    let names: Vec<&str> =
        args::values(items, &["--name", "-n", "--perm-set-name", "--permsetname"])
            .into_iter()
            .flat_map(|v| v.text.split(','))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
    let what = if kind == "permsetlicense" {
        "permission set license"
    } else {
        "permission set"
    };
    let resource = if names.is_empty() {
        format!("salesforce {} {what}", org(items))
    } else {
        format!("salesforce {} {what} {}", org(items), names.join(", "))
    };
    access_change(
        resource,
        Some(on_behalf_of(items).unwrap_or_else(|| "the org's signed-in user".to_owned())),
    )
}

/// `sf org create user [KEY=VALUE...]`: a new account in the org, with
/// the profile and permission sets its arguments (or definition file) say.
fn new_user(items: &[Item<'_>]) -> crate::Effect {
    let settings: Vec<(&str, &str)> = args::positionals(items)
        .into_iter()
        .filter_map(|a| a.text.split_once('='))
        .collect();
    let setting = |key: &str| {
        settings
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| *v)
    };
    let user = setting("username")
        .or_else(|| setting("email"))
        .map_or_else(|| "a new user".to_owned(), str::to_owned);
    let granted: Vec<String> = ["profileName", "permsets"]
        .iter()
        .filter_map(|key| setting(key).map(|v| format!("{key} {v}")))
        .collect();
    let grantee = if granted.is_empty() {
        user
    } else {
        format!("{user} ({})", granted.join(", "))
    };
    access_change(format!("salesforce {} users", org(items)), Some(grantee))
}

/// `sf org generate password`: the account's password reset.
fn password(items: &[Item<'_>]) -> crate::Effect {
    access_change(
        format!("salesforce {} user password", org(items)),
        Some(on_behalf_of(items).unwrap_or_else(|| "the org's signed-in user".to_owned())),
    )
}

/// Objects whose records are grants: assignments of permission sets,
/// licences and group members, the permissions of permission sets and
/// profiles, and access to setup entities.
const ACCESS_OBJECTS: &[&str] = &[
    "permissionsetassignment",
    "permissionsetlicenseassign",
    "permissionsetgroupcomponent",
    "permissionset",
    "profile",
    "objectpermissions",
    "fieldpermissions",
    "setupentityaccess",
    "groupmember",
    "userpackagelicense",
    "userterritory2association",
];

/// Fields of a `User` record that decide what the user may do.
const USER_ACCESS_FIELDS: &[&str] = &["profileid", "userroleid", "isactive", "userpermissions"];

/// Fields naming who an access record is for.
const GRANTEE_FIELDS: &[&str] = &["assigneeid", "userorgroupid", "userid", "parentid"];

/// `sf data create|update|upsert|delete record --sobject S --values
/// "K=V ..."`: a grant when `S` holds access ([`ACCESS_OBJECTS`], a
/// record's share, `AccountShare` or `Invoice__Share`) or the record is a
/// user whose profile, role, permissions or activation it sets; `None`
/// for any other record.
fn record_change(items: &[Item<'_>]) -> Option<crate::Effect> {
    let object = args::value(items, &["--sobject", "--sobjecttype", "-s"])?
        .text
        .to_ascii_lowercase();
    let values = args::value(items, &["--values", "-v"]).map_or("", |v| v.text.as_str());
    let fields: Vec<(String, &str)> = values
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim_matches(['\'', '"'])))
        .collect();
    let record = || {
        args::value(items, &["--record-id", "--sobjectid", "-i"])
            .or_else(|| args::value(items, &["--where", "-w"]))
            .map(|r| r.text.clone())
    };
    let grants = ACCESS_OBJECTS.contains(&object.as_str())
        || object.ends_with("share")
        || (object == "user"
            && fields.iter().any(|(k, _)| {
                USER_ACCESS_FIELDS
                    .iter()
                    .any(|f| k == f || k.starts_with(f))
            }));
    if !grants {
        return None;
    }
    let grantee = GRANTEE_FIELDS
        .iter()
        .find_map(|f| {
            fields
                .iter()
                .find(|(k, _)| k == f)
                .map(|(_, v)| (*v).to_owned())
        })
        .or_else(|| (object == "user").then(record).flatten());
    Some(access_change(
        format!("salesforce {} {object}", org(items)),
        grantee,
    ))
}
