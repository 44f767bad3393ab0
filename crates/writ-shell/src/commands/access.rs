//! Who may do what, as the CLIs of directories and sharing tools change
//! it: group membership (`az ad group member add`, Azure DevOps security
//! groups, Google Workspace's `gam update group`), Azure Repos branch
//! policies, Drive ACLs, mail forwarding and delegation and accounts'
//! suspension through `gam`, `rclone link` (a link anyone can
//! open), and the general shape of a share with anyone or with a person
//! from any CLI (`gdrive permissions share ID --type anyone`). The
//! admin CLIs of Airflow, Superset and Flask-AppBuilder, and Grafana's
//! password reset, are `app_admin.rs`'s.
//!
//! Removing a member or a permission changes access as adding one does:
//! each is a [`Effect::GrantAccess`] with the member as its grantee.
//!
//! The same sharing CLIs' uploads are here too, as the storage CLIs report
//! them (an `UPLOAD` request carrying the file): Box's `files:upload`,
//! `folders:upload` and `files:versions:upload`, and `m365 spo file add`,
//! sent to the `--webUrl` site, whose host is the tenant.

mod app_admin;
mod salesforce;

use super::{Invocation, Outcome};
use crate::args::{self, Spec};
use crate::{Effect, Resource};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "az" => az(inv),
        "gam" => gam(inv),
        "rclone" => rclone_link(inv),
        "auth0" => auth0(inv),
        "box" => box_cli(inv),
        "m365" => m365(inv),
        "sf" | "sfdx" => salesforce::handle(inv),
        _ => app_admin::handle(inv),
    }
}

/// A grant of `resource` (as written) to `grantee`.
fn grant(resource: String, grantee: Option<String>) -> Outcome {
    Outcome::default().effect(access_change(resource, grantee))
}

/// The change of access to `resource` (as written) for `grantee`.
fn access_change(resource: String, grantee: Option<String>) -> Effect {
    Effect::GrantAccess {
        resource: Resource::Other { name: resource },
        grantee,
    }
}

const AZ_LONG: &[&str] = &[
    "group",
    "member-id",
    "owner-object-id",
    "id",
    "api",
    "api-permissions",
    "scope",
    "assignee",
    "assignee-object-id",
    "role",
    "resource-group",
    "subscription",
    "ids",
    "group-id",
    "subject",
    "token",
    "namespace-id",
    "org",
    "organization",
    "project",
    "repository-id",
    "branch",
    "policy-id",
    "output",
    "query",
    "name",
    "upn",
    "object-id",
    "spn",
    "hsm-name",
    "vault-name",
    "assignment-name",
    "principal-id",
    "role-definition-id",
    "account-name",
];

/// `az ad group member|owner add|remove --group G --member-id|--owner-object-id
/// ID`, `az ad app owner add|remove --id APP --owner-object-id ID`, `az ad
/// app permission add|grant|delete|admin-consent --id APP [--api API]`, `az
/// role assignment create|delete`, `az devops security group membership
/// add|remove --group-id G --member-id M`, `az devops security permission
/// update|reset`, `az repos policy ... create|update|delete` (branch
/// policies: who may complete a merge into a branch), a Key Vault's access
/// policy (`az keyvault set-policy|delete-policy --name V --upn U|--spn
/// S|--object-id O`), and a data-plane role assignment of any service
/// (`az keyvault role assignment create --hsm-name H --assignee A`, `az
/// cosmosdb sql role assignment create --principal-id P`). The rest of
/// `az` is [`super::remotes`]'s.
fn az(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "gopn",
            long: AZ_LONG,
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.clone());
    let named = |names: &[&str], what: &str| {
        value(names).map_or_else(|| what.to_owned(), |v| format!("{what} {v}"))
    };
    Some(match words.as_slice() {
        ["ad", "group", "member" | "owner", "add" | "remove", ..] => grant(
            named(&["--group", "-g"], "azure ad group"),
            value(&["--member-id", "--owner-object-id"]),
        ),
        ["ad", "app" | "sp", "owner", "add" | "remove", ..] => grant(
            named(&["--id"], "azure ad app"),
            value(&["--owner-object-id"]),
        ),
        [
            "ad",
            "app" | "sp",
            "permission",
            "add" | "grant" | "delete" | "admin-consent",
            ..,
        ] => grant(named(&["--id"], "azure ad app"), value(&["--api"])),
        ["keyvault", "set-policy" | "delete-policy", ..] => grant(
            named(&["--name", "-n"], "key vault"),
            value(&["--upn", "--spn", "--object-id"]),
        ),
        [service, rest @ ..]
            if *service != "role"
                && rest.windows(3).any(|w| {
                    matches!(w, ["role", "assignment", "create" | "update" | "delete"])
                }) =>
        {
            let scope = value(&["--hsm-name"])
                .or_else(|| value(&["--account-name"]))
                .or_else(|| value(&["--vault-name"]))
                .or_else(|| value(&["--scope"]))
                .unwrap_or_default();
            grant(
                format!("azure {service} {scope}").trim_end().to_owned(),
                value(&["--assignee", "--assignee-object-id", "--principal-id"]),
            )
        }
        ["role", "assignment", "create" | "delete", ..] => grant(
            value(&["--scope"])
                .or_else(|| value(&["--resource-group", "-g"]))
                .or_else(|| value(&["--subscription"]))
                .or_else(|| value(&["--ids"]))
                .unwrap_or_else(|| "the subscription".to_owned()),
            value(&["--assignee", "--assignee-object-id"]),
        ),
        [
            "devops",
            "security",
            "group",
            "membership",
            "add" | "remove",
            ..,
        ] => grant(
            named(&["--group-id"], "azure devops group"),
            value(&["--member-id"]),
        ),
        [
            "devops",
            "security",
            "permission",
            "update" | "reset" | "reset-all",
            ..,
        ] => grant(
            named(&["--token"], "azure devops permission"),
            value(&["--subject"]),
        ),
        ["repos", "policy", rest @ ..]
            if rest
                .iter()
                .any(|w| matches!(*w, "create" | "update" | "delete")) =>
        {
            let repository = value(&["--repository-id"])
                .or_else(|| value(&["--id", "--policy-id"]).map(|id| format!("policy {id}")))
                .unwrap_or_else(|| "the project's repositories".to_owned());
            let branch = value(&["--branch"]).map_or_else(String::new, |b| format!(" {b}"));
            grant(format!("azure repos {repository}{branch}"), None)
        }
        _ => return None,
    })
}

/// GAM keywords that may stand among a group update's members.
const GAM_MEMBER_WORDS: &[&str] = &[
    "member",
    "members",
    "manager",
    "managers",
    "owner",
    "owners",
    "user",
    "users",
    "group",
    "groups",
    "notsuspended",
    "suspended",
    "preview",
];

/// Google Workspace's GAM: `gam update group|cigroup G
/// add|remove|delete|update|sync|clear [member|manager|owner] [user] EMAIL...`
/// changes who is in the group; `gam user U add|create drivefileacl FILE
/// anyone|user E|group E|domain D [role R]` shares a Drive file (with
/// `anyone`, publicly), `update|delete drivefileacl` changes a share;
/// accounts' lifecycle ([`gam_account`]) and mail forwarding and
/// delegation ([`gam_mail`]) change access too.
fn gam(inv: &Invocation<'_>) -> Option<Outcome> {
    let words: Vec<String> = inv
        .args
        .iter()
        .map(|a| a.text.to_ascii_lowercase())
        .collect();
    let original = |at: usize| inv.args.get(at).map(|a| a.text.clone());
    // `gam create admin USER ROLE customer|org_unit OU`: an admin role for
    // USER; `gam delete admin ID` takes one away.
    match words.as_slice() {
        [create, admin, _, role, ..] if create == "create" && admin == "admin" => {
            return Some(grant(format!("google admin role {role}"), original(2)));
        }
        [delete, admin, _, ..] if delete == "delete" && admin == "admin" => {
            return Some(grant(
                "google admin role assignment".to_owned(),
                original(2),
            ));
        }
        _ => {}
    }
    if let Some(outcome) = gam_account(&words, &original) {
        return Some(outcome);
    }
    if let Some(outcome) = gam_mail(&words, &original) {
        return Some(outcome);
    }
    if let [update, kind, _, action, rest @ ..] = words.as_slice()
        && update == "update"
        && matches!(kind.as_str(), "group" | "groups" | "cigroup" | "cigroups")
        && matches!(
            action.as_str(),
            "add" | "remove" | "delete" | "update" | "sync" | "clear"
        )
    {
        let members: Vec<String> = rest
            .iter()
            .enumerate()
            .filter(|(_, w)| !GAM_MEMBER_WORDS.contains(&w.as_str()))
            .filter_map(|(i, _)| original(i + 4))
            .collect();
        let group = original(2).unwrap_or_default();
        return Some(grant(
            format!("google group {group}"),
            (!members.is_empty()).then(|| members.join(", ")),
        ));
    }
    let at = words.iter().position(|w| w == "drivefileacl")?;
    let verb = words.get(at.checked_sub(1)?)?;
    if !matches!(verb.as_str(), "add" | "create" | "update" | "delete") {
        return None;
    }
    let file = original(at + 1).unwrap_or_default();
    let resource = Resource::Other {
        name: format!("drive file {file}"),
    };
    let kind = words.get(at + 2).map_or("", String::as_str);
    let adds = matches!(verb.as_str(), "add" | "create");
    let effect = if adds && matches!(kind, "anyone" | "anyonewithlink") {
        Effect::MakePublic { resource }
    } else {
        let grantee = match kind {
            "user" | "group" | "domain" => original(at + 3),
            _ => original(at + 2),
        };
        Effect::GrantAccess { resource, grantee }
    };
    Some(Outcome::default().effect(effect))
}

/// GAM's values for on and off (`<TrueValues>`, `<FalseValues>`).
const GAM_BOOLEAN: &[&str] = &[
    "on", "true", "yes", "enabled", "enable", "1", "off", "false", "no", "disabled", "disable", "0",
];

/// Attributes of `gam update user` that change whether or how the account
/// may be used: suspension, archiving, super-admin rights.
const GAM_ACCOUNT_ATTRIBUTES: &[&str] = &["suspended", "archived", "admin", "isadmin"];

/// A Google Workspace account's lifecycle, which changes its owner's
/// access to everything the organisation gave it: `gam update user|users
/// U ... suspended|archived on|off` (and `admin on|off`, super-admin
/// rights), `gam create|delete|undelete user U`, `gam suspend|unsuspend
/// users U`, and per user `gam user U suspend|unsuspend|signout|
/// deprovision` (signing out and deprovisioning revoke its sessions,
/// tokens and app passwords). The account is the organisation's, so there
/// is no outside grantee: the account is named in the resource.
fn gam_account(words: &[String], original: &dyn Fn(usize) -> Option<String>) -> Option<Outcome> {
    let account = |at: usize| {
        let user = original(at).unwrap_or_default();
        grant(format!("google workspace account {user}"), None)
    };
    let is_users = |w: &String| matches!(w.as_str(), "user" | "users");
    match words {
        [update, kind, _, rest @ ..]
            if update == "update"
                && is_users(kind)
                && rest.windows(2).any(|w| {
                    GAM_ACCOUNT_ATTRIBUTES.contains(&w[0].as_str())
                        && GAM_BOOLEAN.contains(&w[1].as_str())
                }) =>
        {
            Some(account(2))
        }
        [verb, kind, _, ..]
            if matches!(
                verb.as_str(),
                "create" | "delete" | "del" | "undelete" | "suspend" | "unsuspend"
            ) && is_users(kind) =>
        {
            Some(account(2))
        }
        [kind, _, verb, ..]
            if is_users(kind)
                && matches!(
                    verb.as_str(),
                    "suspend" | "unsuspend" | "signout" | "deprovision"
                ) =>
        {
            Some(account(1))
        }
        _ => None,
    }
}

/// What the GAM entity before a per-user command names (`user U`, `users
/// U1,U2`, `group G`, `ou /Sales`, `all users`), as written, and where the
/// command after it starts.
fn gam_entity(
    words: &[String],
    original: &dyn Fn(usize) -> Option<String>,
) -> Option<(String, usize)> {
    let kind = words.first()?.as_str();
    if kind == "all" {
        return Some((format!("all {}", original(1)?), 2));
    }
    let entity = matches!(
        kind,
        "user"
            | "users"
            | "group"
            | "groups"
            | "group_users"
            | "ou"
            | "ous"
            | "ou_and_children"
            | "ous_and_children"
            | "domain"
            | "domains"
            | "cigroup"
            | "cigroups"
            | "license"
            | "licenses"
            | "file"
            | "csvfile"
            | "query"
            | "queries"
    );
    entity.then(|| Some((original(1)?, 2))).flatten()
}

/// Gmail settings that let someone else read or send a mailbox's mail:
/// `gam user U add|create forwardingaddress ADDR` and `forward on ADDR
/// [keep|archive|delete|markread]` send its mail to ADDR; `delegate to
/// ADDR` and `add delegate ADDR` let ADDR open it. Each is a grant of the
/// mailbox whose grantee is ADDR, so ADDR's party and who named it are
/// judged as a share's grantee is. Removing a forwarding address or a
/// delegate, and `forward off`, change access too. `add|update sendas
/// ADDR` lets the user send as ADDR: a change of the mailbox's access
/// that names no one outside.
fn gam_mail(words: &[String], original: &dyn Fn(usize) -> Option<String>) -> Option<Outcome> {
    let (owner, start) = gam_entity(words, original)?;
    let rest = words.get(start..)?;
    let mailbox = format!("gmail mailbox {owner}");
    let changes = |w: &str| {
        matches!(
            w,
            "add" | "create" | "delete" | "del" | "remove" | "update" | "to"
        )
    };
    // The addresses from `at` on, past an entity keyword (`delegate to
    // user X`), up to the first option word.
    let addresses = |at: usize| -> Vec<String> {
        let mut at = start + at;
        if words
            .get(at)
            .is_some_and(|w| matches!(w.as_str(), "user" | "users"))
        {
            at += 1;
        }
        words
            .iter()
            .enumerate()
            .skip(at)
            .take_while(|(_, w)| w.contains('@') || w.contains(','))
            .filter_map(|(i, _)| original(i))
            .flat_map(|text| {
                text.split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let grants = |grantees: Vec<String>| {
        let mut outcome = Outcome::default();
        if grantees.is_empty() {
            outcome.effects.push(access_change(mailbox.clone(), None));
        }
        for grantee in grantees {
            outcome
                .effects
                .push(access_change(mailbox.clone(), Some(grantee)));
        }
        outcome
    };
    let word = |at: usize| rest.get(at).map_or("", String::as_str);
    match (word(0), word(1)) {
        (verb, "forwardingaddress" | "forwardingaddresses") if changes(verb) => {
            Some(grants(addresses(2)))
        }
        ("forward", on) if GAM_BOOLEAN.contains(&on) => Some(grants(addresses(2))),
        ("delegate" | "delegates", "to") => Some(grants(addresses(2))),
        (verb, "delegate" | "delegates") if changes(verb) => Some(grants(addresses(2))),
        (verb, "sendas") if changes(verb) => Some(grant(
            format!("gmail send-as {} of {owner}", original(start + 2)?),
            None,
        )),
        ("sendas", _) => Some(grant(
            format!("gmail send-as {} of {owner}", original(start + 1)?),
            None,
        )),
        _ => None,
    }
}

/// Auth0's CLI: `auth0 users roles assign|remove USER --roles R`, `auth0
/// roles permissions add|remove ROLE --api-id A --permissions P`, `auth0
/// orgs members add|remove ORG --members M`. The request to Auth0 is
/// [`super::platforms`]'s, as for the rest of `auth0`.
fn auth0(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rpam",
            long: &[
                "roles",
                "permissions",
                "api-id",
                "members",
                "member",
                "tenant",
                "number",
            ],
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.clone());
    let effect = match words.as_slice() {
        [
            "users",
            "roles",
            "assign" | "add" | "remove" | "rm",
            user,
            ..,
        ] => access_change(
            value(&["--roles", "-r"])
                .map_or_else(|| "auth0 roles".to_owned(), |r| format!("auth0 roles {r}")),
            Some((*user).to_owned()),
        ),
        ["roles", "permissions", "add" | "remove" | "rm", role, ..] => access_change(
            format!("auth0 role {role}"),
            value(&["--permissions", "-p"]),
        ),
        ["orgs", "members", "add" | "remove" | "rm", org, ..] => access_change(
            format!("auth0 organization {org}"),
            value(&["--members", "--member", "-m"]),
        ),
        _ => return None,
    };
    Some(
        super::platforms::handle(inv)
            .unwrap_or_default()
            .effect(effect),
    )
}

/// Link access levels that let anyone with the link in.
const OPEN_LINK: &[&str] = &["open", "anonymous", "anyone", "public", "anyonewithlink"];

/// Box's CLI (`box TOPIC:VERB`): `folders|files:collaborations:add ID
/// --role R --login EMAIL` and `collaborations:create|update|delete ID`
/// change who may open a file or folder; `shared-links:create ID
/// file|folder --access open` and `files|folders:share ID --access open`
/// make it public (`--access company` or `collaborators` shares it with
/// fewer: a change of access still), `shared-links:delete` and
/// `files|folders:unshare` take the link away.
fn box_cli(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "role",
                "login",
                "user-id",
                "group-id",
                "access",
                "password",
                "unshared-at",
                "vanity-name",
                "as-user",
                "token",
                "fields",
                "parent-id",
                "name",
                "description",
                "content-created-at",
                "content-modified-at",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let topic: Vec<String> = positional
        .first()?
        .text
        .split(':')
        .map(str::to_ascii_lowercase)
        .collect();
    let topic: Vec<&str> = topic.iter().map(String::as_str).collect();
    let operand = |at: usize| positional.get(at).map(|a| a.text.clone());
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.clone());
    let id = operand(1).unwrap_or_default();
    if let Some(upload) = box_upload(inv, &topic, &positional) {
        return Some(Outcome::default().effect(upload));
    }
    let effect = match topic.as_slice() {
        [
            kind @ ("files" | "folders"),
            "collaborations",
            "add" | "create",
        ] => access_change(
            format!("box {} {id}", kind.trim_end_matches('s')),
            value(&["--login", "--user-id", "--group-id"]),
        ),
        [
            "collaborations",
            "create" | "add" | "update" | "delete" | "remove",
        ] => access_change(
            format!("box collaboration {id}"),
            value(&["--login", "--user-id", "--group-id"]),
        ),
        ["shared-links", verb @ ("create" | "update" | "delete")]
        | [_, verb @ ("share" | "unshare")] => {
            let kind = match topic.first() {
                Some(&"files") => "file".to_owned(),
                Some(&"folders") => "folder".to_owned(),
                _ => operand(2).unwrap_or_else(|| "item".to_owned()),
            };
            let resource = Resource::Other {
                name: format!("box {kind} {id}"),
            };
            let access = value(&["--access"]);
            let open = access
                .as_deref()
                .is_some_and(|a| OPEN_LINK.contains(&a.to_ascii_lowercase().as_str()));
            if open && !matches!(*verb, "delete" | "unshare") {
                Effect::MakePublic { resource }
            } else {
                Effect::GrantAccess {
                    resource,
                    grantee: Some(access.map_or_else(
                        || "whoever the shared link admits".to_owned(),
                        |a| format!("shared link ({a})"),
                    )),
                }
            }
        }
        _ => return None,
    };
    Some(Outcome::default().effect(effect))
}

/// Box's upload host.
const BOX_UPLOAD: &str = "https://upload.box.com/api/2.0/files/content";

/// `box files:upload PATH [--parent-id ID]`, `box folders:upload PATH`
/// (the folder's tree) and `box files:versions:upload ID PATH` send the
/// local file to Box, as `rclone copy FILE box:` does.
fn box_upload(inv: &Invocation<'_>, topic: &[&str], positional: &[&args::Arg]) -> Option<Effect> {
    let (source, recursive) = match topic {
        ["files", "upload"] => (positional.get(1)?, false),
        ["folders", "upload"] => (positional.get(1)?, true),
        ["files", "versions", "upload"] => (positional.get(2)?, false),
        _ => return None,
    };
    Some(upload_request(inv, BOX_UPLOAD, source, recursive))
}

/// An `UPLOAD` request to `target` carrying the local `source` (`-`,
/// standard input) and what its expansions carry.
fn upload_request(
    inv: &Invocation<'_>,
    target: &str,
    source: &args::Arg,
    recursive: bool,
) -> Effect {
    let mut payload = crate::Payload::default();
    if source.text == "-" {
        crate::flow::merge(&mut payload, inv.stdin);
    } else {
        crate::flow::merge(&mut payload, &source.expansions());
        super::send_file(inv, &mut payload, &source.text, recursive);
    }
    super::request(inv.program, super::url(target), "UPLOAD", payload, false)
}

/// Long options of the CLI for Microsoft 365 that take a value.
const M365_LONG: &[&str] = &[
    "fileUrl",
    "fileId",
    "folderUrl",
    "webUrl",
    "url",
    "type",
    "scope",
    "expirationDateTime",
    "id",
    "ids",
    "groupId",
    "groupName",
    "groupDisplayName",
    "teamId",
    "teamName",
    "userId",
    "userIds",
    "userName",
    "userNames",
    "emails",
    "role",
    "principalId",
    "upn",
    "roleDefinitionId",
    "roleDefinitionName",
    "listTitle",
    "listId",
    "listItemId",
    "appId",
    "appDisplayName",
    "resource",
    "scopes",
    "output",
    "query",
    "userPrincipalName",
    "accountEnabled",
    "folder",
    "path",
    "contentType",
    "checkInComment",
];

/// The CLI for Microsoft 365: `m365 spo file|folder sharinglink add|set
/// --fileUrl U --scope anonymous` makes the file public (`--scope
/// organization` or `users` shares it more narrowly: a change of access);
/// `m365 entra|aad group|o365group|m365group user|member add|remove|set`
/// and `m365 teams user|member add|remove` change a group's members; `m365
/// spo ... roleassignment add|remove` and `m365 entra approleassignment
/// add|remove` grant or take away roles; `m365 entra user add|remove`
/// and `set --accountEnabled` change an account's own access.
fn m365(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ioq",
            long: M365_LONG,
            stop_after: None,
        },
    );
    let words = args::lowercase_positionals(&items);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.clone());
    let named = |names: &[&str], what: &str| {
        value(names).map_or_else(|| what.to_owned(), |v| format!("{what} {v}"))
    };
    let changes = |verb: &str| matches!(verb, "add" | "remove" | "set" | "grant" | "revoke");
    if let ["spo", "file", "add", ..] = words.as_slice() {
        return m365_file_add(inv);
    }
    let effect = match words.as_slice() {
        ["spo", kind @ ("file" | "folder"), "sharinglink", verb, ..] if changes(verb) => {
            let resource = Resource::Other {
                name: named(
                    &["--fileUrl", "--fileId", "--folderUrl", "--id", "--url"],
                    &format!("sharepoint {kind}"),
                ),
            };
            let scope = value(&["--scope"]);
            let open = scope
                .as_deref()
                .is_some_and(|s| OPEN_LINK.contains(&s.to_ascii_lowercase().as_str()));
            if open && *verb != "remove" {
                Effect::MakePublic { resource }
            } else {
                Effect::GrantAccess {
                    resource,
                    grantee: Some(scope.map_or_else(
                        || "a sharing link".to_owned(),
                        |s| format!("sharing link ({s})"),
                    )),
                }
            }
        }
        [
            "entra" | "aad",
            "group" | "o365group" | "m365group",
            "user" | "member" | "owner",
            verb,
            ..,
        ]
        | ["teams", "user" | "member" | "owner", verb, ..]
            if changes(verb) =>
        {
            access_change(
                named(
                    &[
                        "--groupId",
                        "--groupName",
                        "--groupDisplayName",
                        "--teamId",
                        "--teamName",
                        "--id",
                        "-i",
                    ],
                    "azure ad group",
                ),
                value(&[
                    "--userNames",
                    "--userName",
                    "--userIds",
                    "--userId",
                    "--ids",
                    "--emails",
                ]),
            )
        }
        ["spo", kind, "roleassignment", verb, ..] if changes(verb) => access_change(
            named(
                &["--webUrl", "--url", "--listTitle", "--listId"],
                &format!("sharepoint {kind}"),
            ),
            value(&["--principalId", "--upn", "--groupName", "--userName"]),
        ),
        // An account created, removed, enabled or disabled: its owner's
        // access to everything the organisation gave it.
        ["entra" | "aad", "user", verb, ..]
            if matches!(*verb, "add" | "remove")
                || (*verb == "set" && value(&["--accountEnabled"]).is_some()) =>
        {
            access_change(
                named(
                    &["--id", "-i", "--userName", "--userPrincipalName"],
                    "entra user",
                ),
                None,
            )
        }
        ["entra" | "aad", "approleassignment", verb, ..] if changes(verb) => access_change(
            named(&["--resource"], "azure ad app"),
            value(&["--appId", "--appDisplayName", "--appObjectId"]),
        ),
        _ => return None,
    };
    Some(Outcome::default().effect(effect))
}

/// `m365 spo file add --webUrl|-u SITE --folder|-f F --path|-p FILE`
/// uploads FILE to the site's folder.
fn m365_file_add(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ufpioq",
            long: M365_LONG,
            stop_after: None,
        },
    );
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.clone());
    let source = args::value(&items, &["--path", "-p"])?;
    let folder = sharepoint_folder(value(&["--webUrl", "-u"]), value(&["--folder", "-f"]));
    Some(Outcome::default().effect(upload_request(inv, &folder, source, false)))
}

/// The SharePoint folder a file is added to: `--webUrl`'s site and
/// `--folder` below it. The site's host is the tenant, whose owner the
/// deployment judges; without `--webUrl` (which the CLI requires) the
/// tenant is unknown: SharePoint's own host, which no deployment owns.
fn sharepoint_folder(site: Option<String>, folder: Option<String>) -> String {
    let site = site.unwrap_or_else(|| "https://sharepoint.com".to_owned());
    match folder {
        Some(folder) => format!(
            "{}/{}",
            site.trim_end_matches('/'),
            // A library's name has spaces (`Shared Documents`): encoded
            // as the URL the CLI requests.
            folder.trim_start_matches('/').replace(' ', "%20")
        ),
        None => site,
    }
}

/// `rclone link REMOTE:PATH`: a link to the file that anyone who has it can
/// open; `--unlink` takes such a link away (a change of access still).
fn rclone_link(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["expire", "config", "log-file", "log-level"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let [verb, target, ..] = positional.as_slice() else {
        return None;
    };
    if verb.text != "link" {
        return None;
    }
    let resource = Resource::Other {
        name: target.text.clone(),
    };
    let effect = if args::has(&items, &["--unlink"]) {
        Effect::GrantAccess {
            resource,
            grantee: Some("anyone with the link".to_owned()),
        }
    } else {
        Effect::MakePublic { resource }
    };
    Some(Outcome::default().effect(effect))
}

/// Words of a command's leading positionals that name sharing or
/// permissions (`gdrive permissions share`, `xyz acl add`).
const SHARE_WORDS: &[&str] = &[
    "share",
    "sharing",
    "permission",
    "permissions",
    "perms",
    "acl",
    "acls",
    "grant",
    "publish",
    "link",
    "links",
    "sharelink",
    "sharinglink",
    "sharing-link",
    "shared-link",
    "shared-links",
];

/// Options that set who a share or link admits (`--scope anonymous`,
/// `--access open`, `--link-type public`).
const LINK_SCOPE_OPTIONS: &[&str] = &[
    "--scope",
    "--access",
    "--type",
    "--link-type",
    "--visibility",
    "--audience",
];

/// Verbs that only read what is shared: such a command changes nothing.
const READ_WORDS: &[&str] = &[
    "list", "ls", "get", "show", "describe", "view", "info", "check", "test", "search", "status",
    "export", "download",
];

/// Verbs that take a share away: still a change of someone's access.
const REMOVE_WORDS: &[&str] = &[
    "revoke",
    "remove",
    "rm",
    "delete",
    "del",
    "unshare",
    "unpublish",
    "deny",
    "disable",
];

/// Other verbs that may stand between the sharing words and the thing
/// shared (`acl add FILE`).
const ACTION_WORDS: &[&str] = &[
    "add", "create", "new", "set", "update", "edit", "change", "ch", "modify", "enable", "invite",
    "insert",
];

/// Values that name everyone as the grantee (`--type anyone`).
const EVERYONE: &[&str] = &[
    "anyone",
    "anyonewithlink",
    "anyone_with_link",
    "anyone-with-link",
    "everyone",
    "allusers",
    "allauthenticatedusers",
];

/// Flags that share with everyone.
const EVERYONE_FLAGS: &[&str] = &["--anyone", "--anyone-with-link", "--everyone"];

/// Options that name the person, group or domain a share is for.
const GRANTEE_OPTIONS: &[&str] = &[
    "--email",
    "--email-address",
    "--emailAddress",
    "--user",
    "--member",
    "--grantee",
    "--share-with",
    "--domain",
    "--principal",
];

/// Options of sharing CLIs that take a value.
const SHARE_LONG: &[&str] = &[
    "type",
    "role",
    "email",
    "email-address",
    "emailAddress",
    "domain",
    "user",
    "member",
    "grantee",
    "share-with",
    "principal",
    "scope",
    "audience",
    "access",
    "expiration",
    "expires",
    "expire",
    "message",
    "config",
    "account",
    "profile",
    "format",
    "output",
    "permission",
    "with",
    "drive",
    "service-account",
    "link-type",
    "visibility",
];

fn is_everyone(text: &str) -> bool {
    EVERYONE.contains(&text.to_ascii_lowercase().as_str()) || super::grants_everyone(text)
}

/// A share through a CLI that says nothing else of access: a sharing,
/// permission or link word among its first positionals (`gdrive
/// permissions share ID`, `tool share ID`, `tool link create ID`), then
/// `--type anyone` (or `--type=anyone`, `--anyone`, a grantee `allUsers`,
/// a link scope `--scope anonymous`, `--access open`, `--visibility
/// public`, except on a publishing verb) makes the thing named after the
/// verbs public; a grantee option (`--email E`, `--domain D`) grants E access; a
/// removing verb (`revoke`, `unshare`) changes access. A reading verb
/// (`permissions list`) does neither. Only for programs no handler knows:
/// those say what they change themselves (and `grep share` is no share).
pub(super) fn shared(inv: &Invocation<'_>) -> Option<Effect> {
    // Most commands name no sharing word: answered before parsing.
    let lower = |text: &str| text.to_ascii_lowercase();
    if !inv
        .args
        .iter()
        .any(|a| lower(&a.text).split(':').any(|w| SHARE_WORDS.contains(&w)))
    {
        return None;
    }
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: SHARE_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    // An oclif-style `TOPIC:VERB` subcommand (`files:share ID`) is its
    // words; `offset` maps a word back to its positional.
    let mut words: Vec<String> = Vec::with_capacity(positional.len());
    let mut offset = 0;
    for (i, arg) in positional.iter().enumerate() {
        let text = lower(&arg.text);
        if i == 0 && text.contains(':') && !text.contains('/') {
            let parts: Vec<String> = text.split(':').map(str::to_owned).collect();
            offset = parts.len() - 1;
            words.extend(parts);
        } else {
            words.push(text);
        }
    }
    let first = words
        .iter()
        .take(3)
        .position(|w| SHARE_WORDS.contains(&w.as_str()))?;
    if words
        .iter()
        .take(first)
        .any(|w| READ_WORDS.contains(&w.as_str()))
    {
        return None;
    }
    let mut at = first;
    let mut removes = false;
    let mut publishes_only = true;
    while let Some(word) = words.get(at).map(String::as_str) {
        if READ_WORDS.contains(&word) {
            return None;
        }
        if REMOVE_WORDS.contains(&word) {
            removes = true;
        } else if SHARE_WORDS.contains(&word) {
            publishes_only &= word == "publish";
        } else if !ACTION_WORDS.contains(&word) {
            break;
        }
        at += 1;
    }
    // A link anyone may open (`--scope anonymous`, `--access open`); a
    // package published `--access public` is no share.
    let open_link = !publishes_only
        && args::options(&items).any(|(name, v)| {
            LINK_SCOPE_OPTIONS.contains(&name)
                && OPEN_LINK.contains(&v.text.to_ascii_lowercase().as_str())
        });
    let everyone = open_link
        || args::has(&items, EVERYONE_FLAGS)
        || args::options(&items).any(|(_, v)| is_everyone(&v.text))
        || words
            .iter()
            .skip(at + 1)
            .any(|w| EVERYONE.contains(&w.as_str()));
    // Publishing names no person: only `--anyone` and its kin make it a share.
    let grantee = args::value(&items, GRANTEE_OPTIONS)
        .filter(|_| !publishes_only)
        .map(|g| g.text.clone());
    if !everyone && grantee.is_none() {
        return None;
    }
    let name = positional.get(at.max(offset) - offset).map_or_else(
        || format!("{} {}", inv.program, args::leading(inv.args).join(" ")),
        |a| a.text.clone(),
    );
    let resource = Resource::Other { name };
    Some(if everyone && !removes {
        Effect::MakePublic { resource }
    } else {
        Effect::GrantAccess {
            resource,
            grantee: grantee.or_else(|| Some("anyone".to_owned())),
        }
    })
}
