//! What a request to a well-known web API does besides sending its body:
//! a repository or a bucket made public, access granted, a bucket deleted,
//! a branch moved. The shell analysis knows these as commands (`gh api`,
//! `aws s3 rb`, `aws iam attach-user-policy`); a curl or an HTTP gateway
//! request to the same API means the same, so it routes the same.

use serde_json::Value;
use writ_shell::{Effect, Resource, Target};

/// The effects of `method` on `url` beyond the request itself, from the
/// request's texts: JSON bodies, form pairs, the query and `Name: value`
/// header lines.
pub(crate) fn api_effects(method: &str, url: &str, texts: &[String]) -> Vec<Effect> {
    let Some(request) = Request::parse(method, url) else {
        return Vec::new();
    };
    let Request {
        host,
        path,
        gitlab,
        bitbucket,
    } = request;
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut fields = fields(texts);
    fields.extend(query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k.to_owned(), v.to_owned())
    }));
    let pairs: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if host == "api.github.com" {
        return writ_shell::github_access_changes(path, method, &pairs);
    }
    if let Some(api_path) = gitlab {
        return writ_shell::gitlab_access_changes(&host, api_path, method, &pairs);
    }
    if let Some(api_path) = bitbucket {
        let api_path = api_path.split('?').next().unwrap_or_default();
        return bitbucket_access_changes(&host, api_path, method, &fields);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(effect) = directory(&segments, method, &fields) {
        return vec![effect];
    }
    let everyone_named = texts.iter().any(|t| writ_shell::grants_everyone(t));
    if let Some(effects) = storage(url, method, &segments, &fields, everyone_named) {
        return effects;
    }
    match host.as_str() {
        "www.googleapis.com" | "content.googleapis.com" | "admin.googleapis.com"
            if segments.first() == Some(&"admin") =>
        {
            google_admin(&segments, method, &fields)
        }
        "www.googleapis.com" | "content.googleapis.com" => drive(&segments, &fields),
        "cloudidentity.googleapis.com" => cloud_identity(&segments, method, &fields),
        "api.dropboxapi.com" => dropbox(&segments, &fields),
        "graph.microsoft.com" => graph(&segments, method, &fields, texts),
        "iam.amazonaws.com" => iam(&fields),
        "huggingface.co" => hub(&segments, &fields),
        _ => Vec::new(),
    }
}

/// Payment APIs: a host, the resources under it whose creation moves
/// money, and the field that holds the amount in minor units (cents).
const PAYMENT_APIS: &[(&str, &[&str], &str)] = &[(
    "api.stripe.com",
    &[
        "v1/refunds",
        "v1/payouts",
        "v1/transfers",
        "v1/charges",
        "v1/payment_intents",
        "v1/topups",
        "v1/credit_notes",
    ],
    "amount",
)];

/// A request that makes a payment or refund through a payment provider's
/// API (`POST https://api.stripe.com/v1/refunds` with `amount=4000`): its
/// amount in cents, `None` when the request does not say it.
pub(crate) fn payment(method: &str, url: &str, texts: &[String]) -> Option<Option<i64>> {
    if method != "POST" {
        return None;
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let (_, resources, amount_key) = PAYMENT_APIS.iter().find(|(h, _, _)| *h == host)?;
    resources
        .iter()
        .any(|r| path == *r || path.starts_with(&format!("{r}/")))
        .then_some(())?;
    let fields = fields(texts);
    Some(field(&fields, amount_key).and_then(|amount| amount.trim().parse::<i64>().ok()))
}

/// A state-changing request to one of the APIs this module knows.
struct Request<'u> {
    host: String,
    /// The path after the authority, with its query.
    path: &'u str,
    /// GitLab's API path after `/api/v4/`.
    gitlab: Option<&'u str>,
    /// Bitbucket's API path: Cloud's after `api.bitbucket.org/2.0/`,
    /// Server's and Data Center's after `/rest/api/1.0/`.
    bitbucket: Option<&'u str>,
}

impl<'u> Request<'u> {
    /// `None` for a read, or a URL of no API known here: most requests,
    /// answered before any body is read.
    fn parse(method: &str, url: &'u str) -> Option<Self> {
        if matches!(
            method,
            "GET" | "HEAD" | "OPTIONS" | "DOWNLOAD" | "LOOKUP" | "CONNECT"
        ) {
            return None;
        }
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        let gitlab = rest
            .split_once("/api/v4/")
            .filter(|(before, _)| !before.contains('/'))
            .map(|(_, api_path)| api_path);
        let bitbucket = if host == "api.bitbucket.org" {
            path.strip_prefix("2.0/")
        } else {
            path.strip_prefix("rest/api/1.0/")
        };
        let known = host == "api.github.com"
            || gitlab.is_some()
            || bitbucket.is_some()
            || is_storage_host(&host)
            || is_directory_path(method, path)
            || matches!(
                host.as_str(),
                "www.googleapis.com"
                    | "content.googleapis.com"
                    | "admin.googleapis.com"
                    | "cloudidentity.googleapis.com"
                    | "api.dropboxapi.com"
                    | "graph.microsoft.com"
                    | "iam.amazonaws.com"
                    | "huggingface.co"
            );
        known.then_some(Self {
            host,
            path,
            gitlab,
            bitbucket,
        })
    }
}

/// True when a request of `method` to `url` may mean more than a send
/// ([`api_effects`] has something to read).
pub(crate) fn may_change(method: &str, url: &str) -> bool {
    Request::parse(method, url).is_some()
}

/// Hosts of S3 and GCS (`BUCKET.s3.REGION.amazonaws.com`,
/// `storage.googleapis.com`, `BUCKET.storage.googleapis.com`).
fn is_storage_host(host: &str) -> bool {
    (host.ends_with(".amazonaws.com")
        && host
            .split('.')
            .any(|label| label == "s3" || label.starts_with("s3-")))
        || host == "storage.googleapis.com"
        || host == "storage.cloud.google.com"
        || host.ends_with(".storage.googleapis.com")
}

/// A body's fields as `(key, value)`: members of a JSON object (nested
/// objects too), `k=v` form pairs, and `Name: value` header lines (the
/// name lower-cased).
fn fields(texts: &[String]) -> Vec<(String, String)> {
    fn members(value: &Value, out: &mut Vec<(String, String)>) {
        if let Value::Object(map) = value {
            for (key, value) in map {
                match value {
                    Value::String(s) => out.push((key.clone(), s.clone())),
                    Value::Object(_) => {
                        out.push((key.clone(), value.to_string()));
                        members(value, out);
                    }
                    other => out.push((key.clone(), other.to_string())),
                }
            }
        }
    }
    let mut out = Vec::new();
    for text in texts {
        match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => members(&value, &mut out),
            _ => {
                for line in text.lines() {
                    if let Some((name, value)) = line.split_once(": ")
                        && !name.contains(['=', '&', ' '])
                    {
                        out.push((name.to_ascii_lowercase(), value.trim().to_owned()));
                        continue;
                    }
                    out.extend(line.split('&').filter_map(|pair| {
                        let (k, v) = pair.split_once('=')?;
                        Some((k.to_owned(), v.to_owned()))
                    }));
                }
            }
        }
    }
    out
}

fn field<'f>(fields: &'f [(String, String)], key: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Canned ACLs ([`writ_shell::is_public_acl`]) and GCS grantees that open
/// a resource to anyone.
fn is_public_acl(value: &str) -> bool {
    writ_shell::is_public_acl(value) || matches!(value, "allUsers" | "allAuthenticatedUsers")
}

/// S3 and GCS over HTTP: a public ACL (`x-amz-acl`/`x-goog-acl` header,
/// `predefinedAcl`, a grant or policy naming everyone) makes the bucket
/// public; `DELETE` of the bucket itself deletes it and its contents.
/// `None` when `url` names no bucket.
fn storage(
    url: &str,
    method: &str,
    segments: &[&str],
    fields: &[(String, String)],
    everyone_named: bool,
) -> Option<Vec<Effect>> {
    let bucket = writ_detect::destination::parse_destination(url)?.bucket?;
    let resource = Resource::Bucket {
        scheme: bucket.scheme.clone(),
        name: bucket.name.clone(),
    };
    // What follows the bucket in the path: the object key, or the JSON
    // API's `o/OBJECT`, `acl`, `iam`.
    let after: &[&str] = match segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case(&bucket.name))
    {
        Some(at) => &segments[at + 1..],
        None => segments,
    };
    let acl_public = ["x-amz-acl", "x-goog-acl", "predefinedAcl", "acl", "entity"]
        .iter()
        .any(|key| field(fields, key).is_some_and(is_public_acl));
    // A request that sets an ACL or a policy (`?acl`, `?policy`, the JSON
    // API's `acl`, `iam`): a grant in its body that names everyone counts.
    let sets_access = ["acl", "policy"]
        .iter()
        .any(|key| field(fields, key).is_some())
        || after
            .last()
            .is_some_and(|s| matches!(*s, "acl" | "iam" | "defaultObjectAcl"));
    let mut effects = Vec::new();
    if method == "DELETE" {
        let whole = after.is_empty();
        let target = if whole {
            format!("{}://{}", bucket.scheme, bucket.name)
        } else {
            format!("{}://{}/{}", bucket.scheme, bucket.name, after.join("/"))
        };
        effects.push(Effect::RemoteDelete {
            target: Target::Url { url: target },
            recursive: whole,
        });
    } else if acl_public || (sets_access && everyone_named) {
        effects.push(Effect::MakePublic { resource });
    }
    Some(effects)
}

/// Google Drive: `POST drive/v3/files/ID/permissions` shares the file, with
/// `type=anyone` with anyone.
fn drive(segments: &[&str], fields: &[(String, String)]) -> Vec<Effect> {
    let ["drive", _, "files", id, "permissions", ..] = segments else {
        return Vec::new();
    };
    let resource = Resource::Other {
        name: format!("drive file {id}"),
    };
    match field(fields, "type") {
        Some("anyone") => vec![Effect::MakePublic { resource }],
        kind => vec![Effect::GrantAccess {
            resource,
            grantee: field(fields, "emailAddress")
                .or_else(|| field(fields, "domain"))
                .or(kind)
                .map(str::to_owned),
        }],
    }
}

/// The Hugging Face Hub: `PUT api/KIND/OWNER/NAME/settings` with
/// `private: false` makes the repository public.
fn hub(segments: &[&str], fields: &[(String, String)]) -> Vec<Effect> {
    let [
        "api",
        "models" | "datasets" | "spaces",
        owner,
        name,
        "settings",
    ] = segments
    else {
        return Vec::new();
    };
    let public = field(fields, "private").is_some_and(|v| v.eq_ignore_ascii_case("false"))
        || field(fields, "visibility").is_some_and(|v| v.eq_ignore_ascii_case("public"));
    if !public {
        return Vec::new();
    }
    vec![Effect::MakePublic {
        resource: Resource::Repo {
            host: "huggingface.co".to_owned(),
            slug: Some(format!("{owner}/{name}")),
        },
    }]
}

/// Dropbox: a shared link is public unless its settings say otherwise;
/// adding members to a file or folder grants them access.
fn dropbox(segments: &[&str], fields: &[(String, String)]) -> Vec<Effect> {
    let path = field(fields, "path").unwrap_or("dropbox file").to_owned();
    match segments {
        [
            "2",
            "sharing",
            "create_shared_link_with_settings" | "create_shared_link",
        ] => {
            let restricted = ["requested_visibility", "audience", "access"]
                .iter()
                .filter_map(|key| field(fields, key))
                .any(|v| v.contains("team") || v.contains("password") || v.contains("no_one"));
            if restricted {
                Vec::new()
            } else {
                vec![Effect::MakePublic {
                    resource: Resource::Other { name: path },
                }]
            }
        }
        [
            "2",
            "sharing",
            "add_file_member" | "add_folder_member" | "share_folder",
        ] => {
            vec![Effect::GrantAccess {
                resource: Resource::Other { name: path },
                grantee: field(fields, "email").map(str::to_owned),
            }]
        }
        _ => Vec::new(),
    }
}

/// True when a `method` request to `path` (after the authority, query
/// included) has the shape of an identity provider's admin API that
/// [`directory`] reads, on any host (Okta tenants and Auth0 custom domains
/// live on the customer's own domain). Checked on every request: the
/// prefix first.
fn is_directory_path(method: &str, path: &str) -> bool {
    if !(path.starts_with("api/v1/") || path.starts_with("api/v2/")) {
        return false;
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    directory(&segments, method, &[]).is_some()
}

/// A grant of `resource` (as written) to `grantee`.
fn grant(resource: String, grantee: Option<String>) -> Effect {
    Effect::GrantAccess {
        resource: Resource::Other { name: resource },
        grantee,
    }
}

/// The first of `keys` that `fields` has, owned.
fn first_field(fields: &[(String, String)], keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|key| field(fields, key))
        .map(str::to_owned)
}

/// Identity providers' admin APIs, on whatever host serves them, by the
/// exact shape of their paths:
/// - Okta (`/api/v1/`): `PUT|DELETE groups/G/users/U` (group membership),
///   `POST users/U/roles` and `groups/G/roles` (admin roles, and their
///   removal or targets), `POST apps/A/users`, `apps/A/users/U`,
///   `apps/A/groups/G` (app assignments), and `groups/rules[/...]` (rules
///   that put users in groups);
/// - Auth0's Management API (`/api/v2/`): `users/U/roles|permissions`,
///   `roles/R/users|permissions`, `organizations/O/members[/U/roles]`.
///
/// Each changes someone's access, named in the path or the body. `None`
/// for any other path and for reads.
fn directory(segments: &[&str], method: &str, fields: &[(String, String)]) -> Option<Effect> {
    if !matches!(method, "POST" | "PUT" | "PATCH" | "DELETE") {
        return None;
    }
    let body = |keys: &[&str]| first_field(fields, keys);
    let owned = |s: &str| Some(s.to_owned());
    Some(match segments {
        // Okta.
        ["api", "v1", rest @ ..] => match rest {
            ["groups", "rules", ..] => grant(
                "okta group rules".to_owned(),
                body(&["groupIds", "name"]).or_else(|| rest.get(2).and_then(|r| owned(r))),
            ),
            ["groups", group, "users", user] if matches!(method, "PUT" | "DELETE") => {
                grant(format!("okta group {group}"), owned(user))
            }
            ["users" | "groups", who, "roles", rest @ ..] => {
                let role = body(&["type", "role"])
                    .or_else(|| rest.first().map(|r| (*r).to_owned()))
                    .map_or_else(String::new, |r| format!(" {r}"));
                let who = if segments.get(2) == Some(&"groups") {
                    format!("group {who}")
                } else {
                    (*who).to_owned()
                };
                grant(format!("okta admin role{role}"), Some(who))
            }
            ["apps", app, "users"] if method == "POST" => grant(
                format!("okta app {app}"),
                body(&["id", "userName", "email"]),
            ),
            ["apps", app, "users", user] => grant(format!("okta app {app}"), owned(user)),
            ["apps", app, "groups", group] => {
                grant(format!("okta app {app}"), Some(format!("group {group}")))
            }
            _ => return None,
        },
        // Auth0.
        ["api", "v2", rest @ ..] => match rest {
            ["users", user, "roles" | "permissions"] => grant(
                body(&["roles", "permissions"])
                    .map_or_else(|| "auth0 roles".to_owned(), |r| format!("auth0 roles {r}")),
                owned(user),
            ),
            ["roles", role, "users" | "permissions"] => grant(
                format!("auth0 role {role}"),
                body(&["users", "permissions"]),
            ),
            ["organizations", org, "members"] => {
                grant(format!("auth0 organization {org}"), body(&["members"]))
            }
            ["organizations", org, "members", user, "roles"] => {
                grant(format!("auth0 organization {org}"), owned(user))
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// A path segment with its `%40` (and other `%XX`) escapes undone.
fn unescape(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = segment.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Google's Admin SDK Directory API (`admin/directory/v1/`): a group's
/// members added, changed or removed (`groups/G/members[/M]`), a user
/// made an administrator (`users/U/makeAdmin`), an admin role assigned or
/// unassigned (`customer/C/roleassignments[/ID]`).
fn google_admin(segments: &[&str], method: &str, fields: &[(String, String)]) -> Vec<Effect> {
    let ["admin", "directory", "v1", rest @ ..] = segments else {
        return Vec::new();
    };
    let effect = match rest {
        ["groups", group, "members"] if method == "POST" => grant(
            format!("google group {}", unescape(group)),
            first_field(fields, &["email", "id"]),
        ),
        ["groups", group, "members", member] => grant(
            format!("google group {}", unescape(group)),
            Some(unescape(member)),
        ),
        ["users", user, "makeAdmin"] if method == "POST" => grant(
            "google workspace administrators".to_owned(),
            Some(unescape(user)),
        ),
        ["customer", _, "roleassignments", ..] => grant(
            first_field(fields, &["roleId"]).map_or_else(
                || "google workspace admin role".to_owned(),
                |r| format!("google workspace admin role {r}"),
            ),
            first_field(fields, &["assignedTo"]),
        ),
        _ => return Vec::new(),
    };
    vec![effect]
}

/// Cloud Identity: `POST v1/groups/G/memberships` adds a member to a group;
/// a change (`:modifyMembershipRoles`) or removal of a membership changes
/// access as well.
fn cloud_identity(segments: &[&str], method: &str, fields: &[(String, String)]) -> Vec<Effect> {
    let [_, "groups", group, "memberships", rest @ ..] = segments else {
        return Vec::new();
    };
    if rest.is_empty() && method != "POST" {
        return Vec::new();
    }
    let member = rest
        .first()
        .map(|m| unescape(m.split(':').next().unwrap_or(m)))
        .or_else(|| first_field(fields, &["id", "preferredMemberKey"]));
    vec![grant(format!("google group {}", unescape(group)), member)]
}

/// Microsoft Graph's directory: members and owners of a group (`POST
/// groups/G/members/$ref`, `DELETE groups/G/members/M/$ref`, `PATCH
/// groups/G` binding `members@odata.bind`), of a directory role
/// (`directoryRoles/R/members/$ref`), role assignments
/// (`roleManagement/directory/roleAssignments` and its schedule
/// requests), app role assignments (`servicePrincipals/S/appRoleAssignedTo`,
/// `users/U/appRoleAssignments`), delegated permission grants
/// (`oauth2PermissionGrants`) and guest invitations (`invitations`).
fn graph_directory(segments: &[&str], method: &str, fields: &[(String, String)]) -> Option<Effect> {
    // `$ref` may arrive escaped, or expanded away by a shell.
    let segments: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| !s.eq_ignore_ascii_case("$ref") && !s.eq_ignore_ascii_case("%24ref"))
        .collect();
    let ["v1.0" | "beta", rest @ ..] = segments.as_slice() else {
        return None;
    };
    let adds = method == "POST";
    let removes = method == "DELETE";
    // The object an `@odata.id` reference names: its last segment.
    let referenced = || {
        field(fields, "@odata.id").map(|r| {
            r.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(r)
                .to_owned()
        })
    };
    Some(match rest {
        ["groups", group, "members" | "owners"] if adds => {
            grant(format!("azure ad group {group}"), referenced())
        }
        ["groups", group, "members" | "owners", member] if removes => grant(
            format!("azure ad group {group}"),
            Some((*member).to_owned()),
        ),
        ["groups", group]
            if method == "PATCH"
                && (field(fields, "members@odata.bind").is_some()
                    || field(fields, "owners@odata.bind").is_some()) =>
        {
            grant(
                format!("azure ad group {group}"),
                first_field(fields, &["members@odata.bind", "owners@odata.bind"]),
            )
        }
        ["directoryRoles", role, "members"] if adds => {
            grant(format!("azure ad directory role {role}"), referenced())
        }
        ["directoryRoles", role, "members", member] if removes => grant(
            format!("azure ad directory role {role}"),
            Some((*member).to_owned()),
        ),
        [
            "roleManagement",
            _,
            "roleAssignments"
            | "roleAssignmentScheduleRequests"
            | "roleEligibilityScheduleRequests",
            rest @ ..,
        ] if (adds && rest.is_empty()) || (removes && rest.len() == 1) => grant(
            first_field(fields, &["roleDefinitionId"]).map_or_else(
                || "azure ad role".to_owned(),
                |r| format!("azure ad role {r}"),
            ),
            first_field(fields, &["principalId"]),
        ),
        [
            "servicePrincipals" | "users" | "groups",
            id,
            "appRoleAssignedTo" | "appRoleAssignments",
            rest @ ..,
        ] if (adds && rest.is_empty()) || (removes && rest.len() == 1) => grant(
            format!("azure ad app {}", field(fields, "resourceId").unwrap_or(id)),
            first_field(fields, &["principalId"]).or_else(|| Some((*id).to_owned())),
        ),
        ["oauth2PermissionGrants", ..] if adds || removes || method == "PATCH" => grant(
            format!(
                "azure ad app {}",
                field(fields, "resourceId").unwrap_or("permissions")
            ),
            first_field(fields, &["clientId", "principalId"]),
        ),
        ["invitations"] if adds => grant(
            "azure ad tenant".to_owned(),
            first_field(fields, &["invitedUserEmailAddress"]),
        ),
        _ => return None,
    })
}

/// Microsoft Graph: changes of directory membership and roles
/// ([`graph_directory`]); `createLink` with `scope: anonymous` makes a
/// drive item public; `invite` shares it with the people named.
fn graph(
    segments: &[&str],
    method: &str,
    fields: &[(String, String)],
    texts: &[String],
) -> Vec<Effect> {
    if let Some(effect) = graph_directory(segments, method, fields) {
        return vec![effect];
    }
    let Some(at) = segments.iter().position(|s| *s == "items") else {
        return Vec::new();
    };
    let resource = Resource::Other {
        name: format!("drive item {}", segments.get(at + 1).unwrap_or(&"")),
    };
    let compact: String = texts
        .join(" ")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match segments.last() {
        Some(&"createLink") if compact.contains("\"scope\":\"anonymous\"") => {
            vec![Effect::MakePublic { resource }]
        }
        Some(&"invite") => vec![Effect::GrantAccess {
            resource,
            grantee: None,
        }],
        _ => Vec::new(),
    }
}

/// Bitbucket's repository permissions and visibility, Cloud
/// (`repositories/WS/REPO`, `.../permissions-config/users|groups/WHO`,
/// `{"is_private": false}`) and Server (`projects/P/repos/R`,
/// `.../permissions/users|groups?name=WHO&permission=P`, `{"public":
/// true}`; a project's permissions cover its repositories).
fn bitbucket_access_changes(
    host: &str,
    api_path: &str,
    method: &str,
    fields: &[(String, String)],
) -> Vec<Effect> {
    let segments: Vec<&str> = api_path.split('/').filter(|s| !s.is_empty()).collect();
    let cloud = host == "api.bitbucket.org";
    let repo = |owner: &str, name: &str| Resource::Repo {
        host: if cloud { "bitbucket.org" } else { host }.to_owned(),
        slug: Some(format!("{owner}/{name}")),
    };
    let (resource, rest) = match segments.as_slice() {
        ["repositories", owner, name, rest @ ..] if cloud => (repo(owner, name), rest),
        ["projects", project, "repos", name, rest @ ..] if !cloud => (repo(project, name), rest),
        ["projects", project, rest @ ..] if !cloud => (repo(project, "*"), rest),
        _ => return Vec::new(),
    };
    let changes = matches!(method, "PUT" | "POST" | "PATCH");
    let is =
        |key: &str, value: &str| field(fields, key).is_some_and(|v| v.eq_ignore_ascii_case(value));
    match rest {
        [] if changes && (is("is_private", "false") || is("public", "true")) => {
            vec![Effect::MakePublic { resource }]
        }
        ["permissions-config", "users" | "groups", who] if changes => vec![Effect::GrantAccess {
            resource,
            grantee: Some((*who).to_owned()),
        }],
        ["permissions", "users" | "groups"] if changes => vec![Effect::GrantAccess {
            resource,
            grantee: field(fields, "name").map(str::to_owned),
        }],
        ["permissions", _, "all"] if changes && is("allow", "true") => vec![Effect::GrantAccess {
            resource,
            grantee: Some("all users".to_owned()),
        }],
        _ => Vec::new(),
    }
}

/// AWS IAM's query API (`Action=AttachUserPolicy&UserName=...`): the same
/// grants as `aws iam attach-user-policy` and its kin.
fn iam(fields: &[(String, String)]) -> Vec<Effect> {
    field(fields, "Action")
        .and_then(|action| writ_shell::iam_grant(action, |key| field(fields, key)))
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn payment_apis_read_the_amount_in_cents() {
        let url = "https://api.stripe.com/v1/refunds";
        assert_eq!(
            payment("POST", url, &texts(&["charge=ch_1&amount=50000"])),
            Some(Some(50000))
        );
        assert_eq!(
            payment("POST", url, &texts(&[r#"{"charge":"ch_1","amount":700}"#])),
            Some(Some(700))
        );
        // A full refund: the amount is not on the request.
        assert_eq!(payment("POST", url, &texts(&["charge=ch_1"])), Some(None));
        assert_eq!(
            payment(
                "POST",
                "https://api.stripe.com/v1/payment_intents/pi_1/confirm",
                &[]
            ),
            Some(None)
        );
        assert_eq!(payment("GET", url, &[]), None);
        assert_eq!(
            payment("POST", "https://api.stripe.com/v1/customers", &[]),
            None
        );
        assert_eq!(
            payment(
                "POST",
                "https://api.stripe.com.evil.example/v1/refunds",
                &[]
            ),
            None
        );
    }

    fn other(name: &str) -> Resource {
        Resource::Other {
            name: name.to_owned(),
        }
    }

    fn granted(name: &str, grantee: Option<&str>) -> Vec<Effect> {
        vec![Effect::GrantAccess {
            resource: other(name),
            grantee: grantee.map(str::to_owned),
        }]
    }

    #[test]
    fn identity_providers_on_any_host() {
        let okta = "https://id.globex.io/api/v1";
        assert_eq!(
            api_effects(
                "POST",
                &format!("{okta}/users/00u1/roles"),
                &texts(&[r#"{"type":"SUPER_ADMIN"}"#])
            ),
            granted("okta admin role SUPER_ADMIN", Some("00u1"))
        );
        assert_eq!(
            api_effects("PUT", &format!("{okta}/groups/00g1/users/00u1"), &[]),
            granted("okta group 00g1", Some("00u1"))
        );
        assert_eq!(
            api_effects("DELETE", &format!("{okta}/groups/00g1/users/00u1"), &[]),
            granted("okta group 00g1", Some("00u1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{okta}/apps/0oa1/users"),
                &texts(&[r#"{"id":"00u2","scope":"USER"}"#])
            ),
            granted("okta app 0oa1", Some("00u2"))
        );
        assert_eq!(
            api_effects("PUT", &format!("{okta}/apps/0oa1/groups/00g1"), &[]),
            granted("okta app 0oa1", Some("group 00g1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{okta}/groups/rules"),
                &texts(&[r#"{"name":"all-admins"}"#])
            ),
            granted("okta group rules", Some("all-admins"))
        );
        let auth0 = "https://acme.us.auth0.com/api/v2";
        assert_eq!(
            api_effects(
                "POST",
                &format!("{auth0}/users/auth0%7Cu1/roles"),
                &texts(&[r#"{"roles":["rol_1"]}"#])
            ),
            granted(r#"auth0 roles ["rol_1"]"#, Some("auth0%7Cu1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                "https://login.acme.io/api/v2/organizations/org_1/members",
                &texts(&[r#"{"members":["u2"]}"#])
            ),
            granted("auth0 organization org_1", Some(r#"["u2"]"#))
        );
        assert_eq!(
            api_effects("DELETE", &format!("{auth0}/roles/rol_1/users"), &[]).len(),
            1
        );
        // Reads, and other APIs' paths of other shapes, are no grant.
        for (method, url) in [
            ("GET", format!("{okta}/users/00u1/roles")),
            ("GET", format!("{okta}/groups/00g1/users/00u1")),
            ("POST", format!("{okta}/groups/00g1/users/00u1")),
            (
                "POST",
                "https://api.example.com/api/v1/users/42/profile".to_owned(),
            ),
            (
                "PATCH",
                "https://api.example.com/api/v1/users/42".to_owned(),
            ),
            ("POST", "https://api.example.com/api/v1/users".to_owned()),
            (
                "POST",
                "https://api.example.com/v1/users/42/roles".to_owned(),
            ),
            (
                "POST",
                "https://api.example.com/x/api/v1/users/42/roles".to_owned(),
            ),
            ("GET", format!("{auth0}/users/u1/roles")),
            ("POST", format!("{auth0}/users/u1")),
        ] {
            assert!(!may_change(method, &url), "{method} {url}");
            assert_eq!(api_effects(method, &url, &[]), Vec::new(), "{method} {url}");
        }
    }

    #[test]
    fn directory_membership_in_graph_and_google_admin() {
        let graph = "https://graph.microsoft.com/v1.0";
        let member =
            texts(&[r#"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/u1"}"#]);
        assert_eq!(
            api_effects("POST", &format!("{graph}/groups/g1/members/$ref"), &member),
            granted("azure ad group g1", Some("u1"))
        );
        assert_eq!(
            api_effects("POST", &format!("{graph}/groups/g1/owners/%24ref"), &member),
            granted("azure ad group g1", Some("u1"))
        );
        assert_eq!(
            api_effects("DELETE", &format!("{graph}/groups/g1/members/u1/$ref"), &[]),
            granted("azure ad group g1", Some("u1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                "https://graph.microsoft.com/beta/directoryRoles/r1/members/$ref",
                &member
            ),
            granted("azure ad directory role r1", Some("u1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{graph}/roleManagement/directory/roleAssignments"),
                &texts(&[
                    r#"{"principalId":"u1","roleDefinitionId":"62e90394","directoryScopeId":"/"}"#
                ])
            ),
            granted("azure ad role 62e90394", Some("u1"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{graph}/servicePrincipals/sp1/appRoleAssignedTo"),
                &texts(&[r#"{"principalId":"u1","resourceId":"sp1","appRoleId":"a1"}"#])
            ),
            granted("azure ad app sp1", Some("u1"))
        );
        for (method, url) in [
            ("GET", format!("{graph}/groups/g1/members")),
            ("PATCH", format!("{graph}/groups/g1")),
            ("POST", format!("{graph}/groups")),
        ] {
            assert_eq!(
                api_effects(method, &url, &member),
                Vec::new(),
                "{method} {url}"
            );
        }
        let admin = "https://admin.googleapis.com/admin/directory/v1";
        assert_eq!(
            api_effects(
                "POST",
                &format!("{admin}/groups/admins%40acme.com/members"),
                &texts(&[r#"{"email":"bob@gmail.com","role":"OWNER"}"#])
            ),
            granted("google group admins@acme.com", Some("bob@gmail.com"))
        );
        assert_eq!(
            api_effects(
                "DELETE",
                &format!("{admin}/groups/admins@acme.com/members/bob@acme.com"),
                &[]
            ),
            granted("google group admins@acme.com", Some("bob@acme.com"))
        );
        assert_eq!(
            api_effects(
                "POST",
                "https://www.googleapis.com/admin/directory/v1/users/bob@acme.com/makeAdmin",
                &texts(&[r#"{"status":true}"#])
            ),
            granted("google workspace administrators", Some("bob@acme.com"))
        );
        assert_eq!(
            api_effects(
                "POST",
                &format!("{admin}/customer/my_customer/roleassignments"),
                &texts(&[r#"{"roleId":"9","assignedTo":"u7","scopeType":"CUSTOMER"}"#])
            ),
            granted("google workspace admin role 9", Some("u7"))
        );
        assert_eq!(
            api_effects(
                "POST",
                "https://cloudidentity.googleapis.com/v1/groups/g9/memberships",
                &texts(&[
                    r#"{"preferredMemberKey":{"id":"bob@gmail.com"},"roles":[{"name":"MEMBER"}]}"#
                ])
            ),
            granted("google group g9", Some("bob@gmail.com"))
        );
        assert_eq!(
            api_effects("GET", &format!("{admin}/groups/g/members"), &[]),
            Vec::new()
        );
        assert_eq!(
            api_effects("POST", &format!("{admin}/users"), &texts(&[r#"{"x":1}"#])),
            Vec::new()
        );
    }

    #[test]
    fn github_org_settings() {
        assert_eq!(
            api_effects(
                "PATCH",
                "https://api.github.com/orgs/acme",
                &texts(&[r#"{"default_repository_permission":"write"}"#])
            ),
            granted(
                "github.com/acme",
                Some("all members (default_repository_permission=write)")
            )
        );
        assert_eq!(
            api_effects(
                "PATCH",
                "https://api.github.com/orgs/acme",
                &texts(&[r#"{"billing_email":"x@acme.com"}"#])
            ),
            Vec::new()
        );
    }
}
