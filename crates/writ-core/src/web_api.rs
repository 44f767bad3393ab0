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
    let everyone_named = texts.iter().any(|t| writ_shell::grants_everyone(t));
    if let Some(effects) = storage(url, method, &segments, &fields, everyone_named) {
        return effects;
    }
    match host.as_str() {
        "www.googleapis.com" | "content.googleapis.com" => drive(&segments, &fields),
        "api.dropboxapi.com" => dropbox(&segments, &fields),
        "graph.microsoft.com" => graph(&segments, texts),
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
            || matches!(
                host.as_str(),
                "www.googleapis.com"
                    | "content.googleapis.com"
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

/// Microsoft Graph: `createLink` with `scope: anonymous` makes a drive item
/// public; `invite` shares it with the people named.
fn graph(segments: &[&str], texts: &[String]) -> Vec<Effect> {
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
}
