//! The GitLab CLI (`glab`) and what GitLab's REST API does to access,
//! whoever calls it.
//!
//! glab acts on the project of the working directory's `origin` remote
//! unless `-R/--repo` names another (`OWNER/REPO`, `GROUP/SUB/REPO`,
//! `HOST/OWNER/REPO`, or a URL). Its host is `$GITLAB_HOST` (or `$GL_HOST`),
//! else gitlab.com. Calls to a named project go to
//! `https://HOST/api/v4/projects/GROUP%2FREPO/...`, which names the project
//! (`writ_detect` reads it back), so its ownership is judged as a git
//! remote's would be.

use super::git::{ApiCall, SIGNED_IN_OWNER, clone_from, current_repository, repository_copy};
use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Payload, Resource, Target, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    (inv.program == "glab").then(|| glab(inv))
}

fn glab(inv: &Invocation<'_>) -> Outcome {
    let words = args::words(inv.args);
    let rest = inv.args.get(2..).unwrap_or_default();
    match words.as_slice() {
        ["api", ..] => api(inv, inv.args.get(1..).unwrap_or_default()),
        ["repo" | "project", "create" | "new", ..] => repo_create(inv, rest),
        ["repo" | "project", "clone", ..] => repo_clone(inv, rest, true),
        ["repo" | "project", "fork", ..] => repo_fork(inv, rest),
        ["snippet", "create" | "new", ..] => snippet_create(inv, rest),
        [
            "mr" | "issue",
            "create" | "new" | "note" | "comment" | "update",
            ..,
        ] => {
            let noun = words.first().copied().unwrap_or_default();
            let verb = words.get(1).copied().unwrap_or_default();
            issue_or_mr(inv, noun, verb, rest)
        }
        ["release", "create" | "upload", ..] => release(inv, rest),
        ["variable" | "var", "set" | "update" | "new", ..] => variable_set(inv, rest),
        ["repo" | "project", "edit" | "update", ..] => repo_edit(inv, rest),
        ["repo" | "project", "members", verb @ ("add" | "remove"), ..] => {
            let verb = *verb;
            repo_members(inv, verb, inv.args.get(3..).unwrap_or_default())
        }
        ["repo" | "project", "transfer", ..] => repo_transfer(inv, rest),
        ["deploy-key", "add" | "delete", ..] => {
            let deletes = words.get(1) == Some(&"delete");
            deploy_key(inv, deletes, rest)
        }
        [
            "ci" | "pipe" | "pipeline",
            verb @ ("run" | "create" | "run-trig"),
            ..,
        ] => {
            let tail = if *verb == "run-trig" {
                "trigger/pipeline"
            } else {
                "pipeline"
            };
            pipeline_run(inv, tail, rest)
        }
        ["schedule", "create" | "update", ..] => pipeline_run(inv, "pipeline_schedules", rest),
        _ => Outcome::default(),
    }
}

/// Options of the glab commands that change a project, taking a value.
const GLAB_PROJECT_LONG: &[&str] = &[
    "repo",
    "visibility",
    "description",
    "defaultBranch",
    "username",
    "user-id",
    "role",
    "role-id",
    "expires-at",
    "target-namespace",
    "title",
    "branch",
    "variables",
    "variables-env",
    "variables-file",
    "variables-from",
    "input",
    "token",
    "variable",
    "cron",
    "cronTimeZone",
    "ref",
];

/// The project a command names as its operand or with `-R`, or the
/// working directory's: as a resource whose access changes.
fn project_resource(inv: &Invocation<'_>, items: &[Item<'_>]) -> Resource {
    let project = args::positionals(items)
        .first()
        .and_then(|p| Project::parse(inv, &p.text))
        .or_else(|| named_project(inv, items));
    match project {
        Some(p) => Resource::Repo {
            host: p.host,
            slug: Some(p.path),
        },
        None => Resource::Repo {
            host: default_host(inv),
            slug: None,
        },
    }
}

fn parse_project_command<'a>(rest: &'a [Arg]) -> Vec<Item<'a>> {
    args::parse(
        rest,
        &Spec {
            short: "Rdruetbfi",
            long: GLAB_PROJECT_LONG,
            stop_after: None,
        },
    )
}

/// `glab repo edit|update [PROJECT] --visibility public|internal`: the
/// GitLab twin of `gh repo edit --visibility`, the project made public or
/// opened to every signed-in user of its instance ([`visibility_change`]).
fn repo_edit(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = parse_project_command(rest);
    let visibility = if args::has(&items, &["--public"]) {
        Some("public".to_owned())
    } else {
        args::value(&items, &["--visibility"]).map(|v| v.text.to_ascii_lowercase())
    };
    Outcome {
        effects: visibility_change(project_resource(inv, &items), visibility.as_deref()),
        ..Outcome::default()
    }
}

/// What setting a GitLab project's visibility does to access: `public`
/// makes it public; `internal` lets every signed-in user of the instance
/// (external users aside) read it, a grant short of public; `private`
/// takes access away, no grant.
fn visibility_change(resource: Resource, visibility: Option<&str>) -> Vec<Effect> {
    match visibility {
        Some("public") => vec![Effect::MakePublic { resource }],
        Some("internal") => vec![Effect::GrantAccess {
            resource,
            grantee: Some("every signed-in user (internal visibility)".to_owned()),
        }],
        _ => Vec::new(),
    }
}

/// `glab repo members add|remove --username U|--user-id ID [--role R]
/// [-R PROJECT]`: who may use the project, and as what.
fn repo_members(inv: &Invocation<'_>, verb: &str, rest: &[Arg]) -> Outcome {
    let items = parse_project_command(rest);
    let user = args::value(&items, &["--username", "-u", "--user-id"])
        .map_or_else(|| "a member".to_owned(), |u| u.text.clone());
    let grantee = match args::value(&items, &["-r", "--role", "--role-id"]) {
        Some(role) if verb == "add" => format!("{user} as {}", role.text),
        _ => user,
    };
    Outcome::default().effect(Effect::GrantAccess {
        resource: project_resource(inv, &items),
        grantee: Some(grantee),
    })
}

/// `glab repo transfer PROJECT --target-namespace NS`: the project moves
/// to the namespace, whose members get it, and its contents with it
/// ([`project_copy`]).
fn repo_transfer(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = parse_project_command(rest);
    let namespace = args::value(&items, &["-t", "--target-namespace"]).map(|n| n.text.clone());
    let resource = project_resource(inv, &items);
    let copy = namespace
        .as_deref()
        .and_then(|ns| project_copy(inv.cwd, &resource, ns, None));
    let mut outcome = Outcome::default().effect(Effect::GrantAccess {
        resource,
        grantee: namespace.map(|n| format!("namespace {n}")),
    });
    outcome.effects.extend(copy);
    outcome
}

/// `glab repo fork [PROJECT] [-n NAME] [-p PATH]`: GitLab copies the
/// project (with none, the working directory's) into the signed-in user's
/// namespace, as `PATH` (else the project's own path): it is read, as
/// `glab repo clone` reads it, and its contents copied ([`project_copy`]).
fn repo_fork(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "np",
            long: &["name", "path"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let mut outcome = match positional.first() {
        Some(source) => repo_clone(inv, std::slice::from_ref(*source), false),
        None => Outcome::default(),
    };
    let resource = match positional.first() {
        Some(source) => match Project::parse(inv, &source.text) {
            Some(p) => Resource::Repo {
                host: p.host,
                slug: Some(p.path),
            },
            None => return outcome,
        },
        None => Resource::Repo {
            host: default_host(inv),
            slug: None,
        },
    };
    let path = args::value(&items, &["-p", "--path"]).map(|p| p.text.as_str());
    outcome
        .effects
        .extend(project_copy(inv.cwd, &resource, SIGNED_IN_OWNER, path));
    outcome
}

/// A copy of the project `resource` (its slug `None`: the repository in
/// `cwd`) into the namespace `namespace` of its host, as `new_path` (else
/// its own last segment): see `git::repository_copy`. A numeric namespace
/// is an id, which names no owner to judge: `None`.
fn project_copy(
    cwd: &str,
    resource: &Resource,
    namespace: &str,
    new_path: Option<&str>,
) -> Option<Effect> {
    let Resource::Repo { host, slug } = resource else {
        return None;
    };
    let namespace = project_path(namespace.trim_matches('/'));
    if namespace.is_empty() || namespace.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let own = slug
        .as_deref()
        .map_or_else(|| paths::basename(cwd), paths::basename);
    let name = new_path.filter(|p| !p.is_empty()).unwrap_or(own);
    let source = slug.as_deref().map(|slug| format!("https://{host}/{slug}"));
    Some(repository_copy(
        cwd,
        source,
        format!("https://{host}/{namespace}/{name}.git"),
    ))
}

/// `glab deploy-key add [KEY_FILE] -t TITLE [--can-push] [-R PROJECT]`: a
/// key that may read (with `--can-push`, push to) the project, as `gh repo
/// deploy-key add` grants; `glab deploy-key delete ID` takes one away.
fn deploy_key(inv: &Invocation<'_>, deletes: bool, rest: &[Arg]) -> Outcome {
    let items = parse_project_command(rest);
    let resource = named_project(inv, &items).map_or_else(
        || Resource::Repo {
            host: default_host(inv),
            slug: None,
        },
        |p| Resource::Repo {
            host: p.host,
            slug: Some(p.path),
        },
    );
    let grantee = if deletes {
        format!(
            "deploy key {}",
            args::positionals(&items)
                .first()
                .map_or("", |id| id.text.as_str())
        )
    } else {
        let push = if args::has(&items, &["-c", "--can-push"]) {
            "push "
        } else {
            ""
        };
        args::value(&items, &["-t", "--title"]).map_or_else(
            || format!("a {push}deploy key"),
            |t| format!("{push}deploy key {}", t.text),
        )
    };
    Outcome::default().effect(Effect::GrantAccess {
        resource,
        grantee: Some(grantee),
    })
}

/// `glab ci run [-b REF] [--variables K:V] [--variables-env K:V]
/// [--variables-file K:FILE] [-f VARS.json] [-i K:V] [-R PROJECT]` (and
/// `ci run-trig -t TOKEN`, `schedule create|update --variable K:V`): a
/// pipeline of the project, created with those variables, whose values
/// (and the files named, and a trigger token) go to the project's host as
/// `glab variable set` sends a variable's.
fn pipeline_run(inv: &Invocation<'_>, tail: &str, rest: &[Arg]) -> Outcome {
    let items = parse_project_command(rest);
    let mut payload = Payload::default();
    for value in args::values(
        &items,
        &[
            "--variables",
            "--variables-env",
            "--variable",
            "-i",
            "--input",
            "-t",
            "--token",
        ],
    ) {
        flow::merge(&mut payload, &value.payload());
    }
    for value in args::values(&items, &["--variables-file"]) {
        let file = value.text.split_once(':').map_or("", |(_, file)| file);
        if !file.is_empty() {
            send_file(inv, &mut payload, file, false);
        }
    }
    if let Some(file) = args::value(&items, &["-f", "--variables-from"]) {
        send_file(inv, &mut payload, &file.text, false);
    }
    let target = named_project(inv, &items).map_or_else(current_repository, |p| p.api(tail));
    Outcome::default().effect(request("glab", target, "POST", payload, false))
}

/// The GitLab host glab talks to when nothing names one.
fn default_host(inv: &Invocation<'_>) -> String {
    ["GITLAB_HOST", "GL_HOST"]
        .iter()
        .find_map(|name| inv.env_value(name))
        .map(|v| host_only(&v.text))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "gitlab.com".to_owned())
}

/// `https://gitlab.example.com/` -> `gitlab.example.com`.
fn host_only(text: &str) -> String {
    let text = text.split_once("://").map_or(text, |(_, rest)| rest);
    text.split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A project named by `-R`: its host and `GROUP/REPO` path.
struct Project {
    host: String,
    path: String,
}

impl Project {
    /// Reads `-R`'s value: a URL or git URL, `HOST/OWNER/REPO` (a first
    /// part with a dot is a host, as glab reads it), or a path on the
    /// default host.
    fn parse(inv: &Invocation<'_>, text: &str) -> Option<Project> {
        let text = text.trim().trim_end_matches('/');
        let text = text.strip_suffix(".git").unwrap_or(text);
        let (host, path) = if let Some((_, rest)) = text.split_once("://") {
            let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
            rest.split_once('/')?
        } else if let Some(rest) = text.strip_prefix("git@") {
            rest.split_once(':')?
        } else {
            match text.split_once('/') {
                Some((first, rest)) if first.contains('.') && rest.contains('/') => (first, rest),
                _ => return Some(Project::on(default_host(inv), text)),
            }
        };
        Some(Project::on(host_only(host), path))
    }

    fn on(host: String, path: &str) -> Project {
        Project {
            host,
            path: path.trim_matches('/').to_owned(),
        }
    }

    /// `https://HOST/api/v4/projects/GROUP%2FREPO/TAIL`.
    fn api(&self, tail: &str) -> Target {
        let id = self.path.replace('/', "%2F");
        url(&format!(
            "https://{}/api/v4/projects/{id}/{tail}",
            self.host
        ))
    }
}

/// The project `-R/--repo` names among `items`, or `None` for the
/// working directory's.
fn named_project(inv: &Invocation<'_>, items: &[Item<'_>]) -> Option<Project> {
    args::value(items, &["-R", "--repo"]).and_then(|r| Project::parse(inv, &r.text))
}

/// `glab api ENDPOINT [-X M] [-f k=v] [-F k=v] [--input f] [--hostname H]`:
/// as `gh api`, against `https://HOST/api/v4/`. `:fullpath`, `:id` and
/// `:repo` in the endpoint stand for the working directory's project.
fn api(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let Some(call) = ApiCall::parse(inv, rest) else {
        return Outcome::default();
    };
    let endpoint = &call.endpoint;
    let host = call
        .hostname
        .as_deref()
        .map_or_else(|| default_host(inv), host_only);
    let current = endpoint
        .split(['/', '?'])
        .any(|part| matches!(part, ":fullpath" | ":id" | ":repo"));
    let target = if endpoint.contains("://") {
        url(endpoint)
    } else if current {
        current_repository()
    } else {
        url(&format!("https://{host}/api/v4/{endpoint}"))
    };
    let path = endpoint
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once("/api/v4/"))
        .map_or(endpoint.as_str(), |(_, path)| path);
    let access = access_changes(&host, path, &call.method, &call.fields, inv.cwd);
    let mut outcome =
        Outcome::default().effect(request("glab", target, &call.method, call.payload, false));
    outcome.effects.extend(access);
    outcome
}

/// What a GitLab REST call does to access, whoever makes it (`glab api`,
/// curl, an HTTP gateway). `endpoint` is the path after `/api/v4/` on
/// `host`, `fields` the body's `key=value` pairs:
/// - `PUT projects/ID` with `visibility=public` makes the project public;
/// - `POST projects/ID/members` (`user_id`/`username`), `PUT
///   projects/ID/members/USER`, `POST projects/ID/share` (`group_id`),
///   `POST projects/ID/invitations` (`email`) and `POST
///   projects/ID/deploy_keys` grant access to it; the same member, share
///   and invitation calls on `groups/ID` grant access to the group, and
///   `DELETE` of a member or a share takes it away (a change of access
///   too);
/// - any change of `projects/ID/protected_branches`, `protected_tags` or
///   `protected_environments` (or a group's) changes who may push or
///   deploy there: access to the project, granted to no one in particular;
/// - `PUT projects/ID` with `visibility=internal` opens the project to
///   every signed-in user of the instance;
/// - `PUT projects/ID/transfer` (to `namespace`, whose members get it) and
///   `POST projects/ID/fork` (into `namespace_path` or `namespace`, else
///   the signed-in user's) copy the project's contents there
///   ([`project_copy`]).
pub fn gitlab_access_changes(
    host: &str,
    endpoint: &str,
    method: &str,
    fields: &[String],
) -> Vec<Effect> {
    access_changes(host, endpoint, method, fields, "")
}

/// [`gitlab_access_changes`] for a call made in `cwd`, whose project
/// `:id` and `:fullpath` name (`""`: no working directory).
fn access_changes(
    host: &str,
    endpoint: &str,
    method: &str,
    fields: &[String],
    cwd: &str,
) -> Vec<Effect> {
    let path = endpoint
        .trim_start_matches('/')
        .split('?')
        .next()
        .unwrap_or_default();
    let field = |key: &str| {
        fields.iter().find_map(|f| {
            let (k, v) = f.split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_owned())
        })
    };
    let parts: Vec<&str> = path.split('/').collect();
    let grant = |resource: Resource, grantee: Option<String>| {
        vec![Effect::GrantAccess { resource, grantee }]
    };
    let writes = matches!(method, "POST" | "PUT");
    let changes = matches!(method, "POST" | "PUT" | "PATCH" | "DELETE");
    let holder = |kind: &str, id: &str| {
        if kind == "groups" {
            group(host, id)
        } else {
            project(host, id)
        }
    };
    match parts.as_slice() {
        ["projects", id] if method == "PUT" => visibility_change(
            project(host, id),
            field("visibility")
                .map(|v| v.to_ascii_lowercase())
                .as_deref(),
        ),
        ["projects", id, "transfer"] if method == "PUT" => {
            let Some(namespace) = field("namespace") else {
                return Vec::new();
            };
            let resource = project(host, id);
            let copy = project_copy(cwd, &resource, &namespace, None);
            let mut effects = grant(resource, Some(format!("namespace {namespace}")));
            effects.extend(copy);
            effects
        }
        ["projects", id, "fork"] if method == "POST" => {
            // `namespace_id` is a number, naming no owner to judge.
            let namespace = match field("namespace_path").or_else(|| field("namespace")) {
                Some(namespace) => namespace,
                None if field("namespace_id").is_some() => return Vec::new(),
                None => SIGNED_IN_OWNER.to_owned(),
            };
            project_copy(
                cwd,
                &project(host, id),
                &namespace,
                field("path").as_deref(),
            )
            .into_iter()
            .collect()
        }
        ["projects", id, "members"] if method == "POST" => grant(
            project(host, id),
            field("username").or_else(|| field("user_id")),
        ),
        ["projects", id, "members", user] if writes => {
            grant(project(host, id), Some((*user).to_owned()))
        }
        ["projects", id, "share"] if method == "POST" => grant(
            project(host, id),
            field("group_id").map(|g| format!("group {g}")),
        ),
        ["projects", id, "deploy_keys", ..] if method == "POST" => grant(
            project(host, id),
            Some(
                field("title")
                    .map_or_else(|| "a deploy key".to_owned(), |t| format!("deploy key {t}")),
            ),
        ),
        ["groups", id, "members"] if method == "POST" => grant(
            group(host, id),
            field("username").or_else(|| field("user_id")),
        ),
        ["groups", id, "members", user] if writes => {
            grant(group(host, id), Some((*user).to_owned()))
        }
        ["groups", id, "share"] if method == "POST" => grant(
            group(host, id),
            field("group_id").map(|g| format!("group {g}")),
        ),
        [kind @ ("projects" | "groups"), id, "invitations"] if method == "POST" => grant(
            holder(kind, id),
            field("email").or_else(|| field("user_id")),
        ),
        [kind @ ("projects" | "groups"), id, "members", user] if method == "DELETE" => {
            grant(holder(kind, id), Some((*user).to_owned()))
        }
        [kind @ ("projects" | "groups"), id, "share", other] if method == "DELETE" => {
            grant(holder(kind, id), Some(format!("group {other}")))
        }
        [
            kind @ ("projects" | "groups"),
            id,
            "protected_branches" | "protected_tags" | "protected_environments",
            ..,
        ] if changes => grant(holder(kind, id), None),
        _ => Vec::new(),
    }
}

/// The project an API path's id names: a path (`acme%2Fweb`), the working
/// directory's (`:fullpath`, `:id`), or a number, which is kept as it is.
fn project(host: &str, id: &str) -> Resource {
    if id.starts_with(':') {
        return Resource::Repo {
            host: host.to_owned(),
            slug: None,
        };
    }
    Resource::Repo {
        host: host.to_owned(),
        slug: Some(project_path(id)),
    }
}

fn group(host: &str, id: &str) -> Resource {
    Resource::Other {
        name: format!("{host}/{}", project_path(id)),
    }
}

/// A project id as a path: `acme%2Fweb` -> `acme/web`.
fn project_path(id: &str) -> String {
    id.replace("%2F", "/").replace("%2f", "/")
}

/// `glab repo create [PATH] [--public|-P] [--internal] [--private]`.
fn repo_create(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "ndgts",
            long: &[
                "name",
                "description",
                "group",
                "tag",
                "defaultBranch",
                "remoteName",
            ],
            stop_after: None,
        },
    );
    let name = args::positionals(&items)
        .first()
        .map(|a| a.text.clone())
        .or_else(|| args::value(&items, &["-n", "--name"]).map(|a| a.text.clone()))
        .unwrap_or_default();
    let name = match args::value(&items, &["-g", "--group"]) {
        Some(group) if !name.contains('/') => format!("{}/{name}", group.text),
        _ => name,
    };
    let public = args::has(&items, &["-P", "--public"]);
    let target = match Project::parse(inv, &name) {
        Some(p) => format!("https://{}/{}", p.host, p.path),
        None => format!("https://{}", default_host(inv)),
    };
    Outcome::default().effect(request(
        "glab",
        url(target.trim_end_matches('/')),
        "POST",
        Payload::default(),
        public,
    ))
}

/// `glab repo clone PROJECT [DIR]` (a download from the project into
/// `DIR`) and `glab repo fork PROJECT`.
fn repo_clone(inv: &Invocation<'_>, rest: &[Arg], clones: bool) -> Outcome {
    let items = args::parse(rest, &Spec::default());
    let positional = args::positionals(&items);
    let Some(p) = positional
        .first()
        .and_then(|a| Project::parse(inv, &a.text))
    else {
        return Outcome::default();
    };
    let source = format!("https://{}/{}", p.host, p.path);
    let dir = clones.then(|| positional.get(1).copied());
    clone_from("glab", inv, &source, dir)
}

/// `glab snippet create [FILE...] [-t T] [-d D] [-f NAME] [-v public] [-p]`:
/// the files (or standard input) posted as a snippet of the project, or of
/// the user with `--personal`; `--visibility public` publishes it.
fn snippet_create(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "dftvR",
            long: &["description", "filename", "title", "visibility", "repo"],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    for file in args::positionals(&items) {
        send_file(inv, &mut payload, &file.text, false);
        flow::merge(&mut payload, &file.expansions());
    }
    for key in [["-t", "--title"], ["-d", "--description"]] {
        if let Some(text) = args::value(&items, &key) {
            flow::merge(&mut payload, &text.payload());
        }
    }
    if inv.has_stdin {
        flow::merge(&mut payload, inv.stdin);
    }
    let public = args::value(&items, &["-v", "--visibility"]).is_some_and(|v| v.text == "public");
    if args::has(&items, &["-p", "--personal"]) {
        let target = url(&format!("https://{}/-/snippets", default_host(inv)));
        return Outcome::default().effect(request("glab", target, "POST", payload, public));
    }
    let project = named_project(inv, &items);
    let target = project
        .as_ref()
        .map_or_else(current_repository, |p| p.api("snippets"));
    let mut outcome = Outcome::default().effect(request("glab", target, "POST", payload, public));
    // A public snippet in a project publishes what it holds from there, as
    // an upload with a public ACL does from a bucket.
    if public {
        outcome.effects.push(Effect::MakePublic {
            resource: Resource::Repo {
                host: project
                    .as_ref()
                    .map_or_else(|| default_host(inv), |p| p.host.clone()),
                slug: project.map(|p| p.path),
            },
        });
    }
    outcome
}

/// `glab mr|issue create|note|update`: the title, description or note
/// posted to the project.
fn issue_or_mr(inv: &Invocation<'_>, noun: &str, verb: &str, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "tdmRabl",
            long: &[
                "title",
                "description",
                "message",
                "repo",
                "assignee",
                "target-branch",
                "source-branch",
                "label",
                "milestone",
                "reviewer",
            ],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    for key in [
        ["-t", "--title"],
        ["-d", "--description"],
        ["-m", "--message"],
    ] {
        if let Some(text) = args::value(&items, &key) {
            flow::merge(&mut payload, &text.payload());
        }
    }
    let collection = if noun == "mr" {
        "merge_requests"
    } else {
        "issues"
    };
    let target = named_project(inv, &items).map_or_else(current_repository, |p| {
        p.api(&match (verb, args::positionals(&items).first()) {
            ("note" | "comment", Some(n)) => format!("{collection}/{}/notes", n.text),
            _ => collection.to_owned(),
        })
    });
    let method = if verb == "update" { "PUT" } else { "POST" };
    Outcome::default().effect(request("glab", target, method, payload, false))
}

/// `glab release create|upload TAG [FILE...]`: the files uploaded to the
/// project's release.
fn release(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "nNFR",
            long: &["name", "notes", "notes-file", "ref", "repo", "milestone"],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    for file in args::positionals(&items).into_iter().skip(1) {
        let path = file.text.split('#').next().unwrap_or_default();
        send_file(inv, &mut payload, path, false);
    }
    if let Some(notes) = args::value(&items, &["-N", "--notes"]) {
        flow::merge(&mut payload, &notes.payload());
    }
    if let Some(file) = args::value(&items, &["-F", "--notes-file"]) {
        send_file(inv, &mut payload, &file.text, false);
    }
    let target = named_project(inv, &items).map_or_else(current_repository, |p| p.api("releases"));
    Outcome::default().effect(request("glab", target, "UPLOAD", payload, false))
}

/// `glab variable set KEY [VALUE] [-v VALUE]`: a CI/CD variable stored in
/// the project (or `-g GROUP`), its value from the arguments or standard
/// input.
fn variable_set(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "vtgsR",
            long: &["value", "type", "group", "scope", "repo", "description"],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    for value in args::positionals(&items).into_iter().skip(1) {
        flow::merge(&mut payload, &value.payload());
    }
    if let Some(value) = args::value(&items, &["-v", "--value"]) {
        flow::merge(&mut payload, &value.payload());
    }
    if inv.has_stdin {
        flow::merge(&mut payload, inv.stdin);
    }
    let target = match args::value(&items, &["-g", "--group"]) {
        Some(group) => url(&format!(
            "https://{}/api/v4/groups/{}/variables",
            default_host(inv),
            group.text.replace('/', "%2F")
        )),
        None => named_project(inv, &items).map_or_else(current_repository, |p| p.api("variables")),
    };
    Outcome::default().effect(request("glab", target, "POST", payload, false))
}
