//! Infrastructure tools: kubectl, helm (and what it sends to chart
//! repositories), terraform/tofu, and what Vault's writes do to access.

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Spec};
use crate::{Effect, Helm, Kubectl, Payload, Resource, Target, Terraform, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "kubectl" | "oc" => kubectl(inv),
        "kubectx" => kubectx(inv),
        "helm" => helm(inv),
        "terraform" | "tofu" | "terragrunt" => terraform(inv),
        "vault" => vault(inv)?,
        "flux" | "argocd" => gitops(inv)?,
        _ => return None,
    })
}

/// GitOps controllers acting on a cluster: `flux reconcile|suspend|resume|
/// delete ...` (in the current or `--context` context) and `argocd app
/// sync|rollback|set|patch|delete` with `--core` or `--kube-context`
/// (applied from here into that context) change the cluster as `kubectl
/// patch|delete` would. Argo CD is also a deploy tool: `argocd app
/// sync|rollback|delete|set|patch|create APP` releases the app, whose name
/// names its environment ([`super::deploy::environment_changes`]), whatever
/// cluster its server sends it to.
fn gitops(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "nplr",
            long: &[
                "context",
                "kube-context",
                "namespace",
                "kubeconfig",
                "server",
                "revision",
                "source",
                "timeout",
                "auth-token",
                "parameter",
                "selector",
                "project",
                "repo",
                "path",
                "dest-server",
                "dest-namespace",
                "resource",
                "label",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let mut outcome = Outcome::default();
    if let Some(request) = argocd_server_request(inv, &items, &words) {
        outcome.effects.push(request);
    }
    let verb = match (inv.program, words.as_slice()) {
        (
            "flux",
            [
                "reconcile" | "suspend" | "resume" | "create" | "install",
                ..,
            ],
        ) => "patch",
        ("flux", ["delete" | "uninstall", ..]) => "delete",
        ("argocd", ["app", "sync" | "rollback" | "set" | "patch" | "actions", ..]) => "patch",
        ("argocd", ["app", "delete", ..]) => "delete",
        ("argocd", ["app", "create", ..]) => "create",
        _ => return (!outcome.effects.is_empty()).then_some(outcome),
    };
    let dry_run = args::has(&items, &["--dry-run"]);
    if inv.program == "argocd" && !dry_run {
        // `sync` and `delete` take several apps; the others one, then
        // what to set (`rollback APP ID`).
        let apps = match words.as_slice() {
            [_, "sync" | "delete", apps @ ..] => apps,
            [_, "rollback" | "set" | "patch" | "create", app, ..] => std::slice::from_ref(app),
            _ => &[],
        };
        for app in apps {
            outcome
                .effects
                .extend(super::deploy::environment_changes("argocd", app, Some(app)));
        }
    }
    let context = args::value(&items, &["--context", "--kube-context"]).map(|c| c.text.clone());
    let in_cluster = inv.program == "flux" || context.is_some() || args::has(&items, &["--core"]);
    if in_cluster && verb != "create" {
        outcome.effects.push(Effect::Kubectl(Kubectl {
            verb: verb.to_owned(),
            args: words.iter().skip(1).map(|w| (*w).to_owned()).collect(),
            context,
            namespace: args::value(&items, &["-n", "--namespace"]).map(|n| n.text.clone()),
            files: Vec::new(),
            dry_run,
            all: false,
        }));
    }
    (!outcome.effects.is_empty()).then_some(outcome)
}

/// Subcommands of `argocd` that only read from its API server.
const ARGOCD_READS: &[&str] = &[
    "get",
    "list",
    "diff",
    "history",
    "logs",
    "manifests",
    "resources",
    "wait",
    "version",
    "context",
    "login",
    "logout",
    "completion",
    "help",
];

/// A change `argocd` sends to the API server it is given (`--server HOST`,
/// `ARGOCD_SERVER`), unless it runs in the cluster (`--core`): `repo
/// add`, `cluster add`, `app create|sync|set`, `account update-password`
/// and the like carry their arguments there, credentials included
/// (`repo add URL --password "$GITHUB_TOKEN"` gives that host the
/// token). Reads (`app get`, `repo list`) send nothing worth a request.
fn argocd_server_request(
    inv: &Invocation<'_>,
    items: &[args::Item<'_>],
    words: &[&str],
) -> Option<Effect> {
    if inv.program != "argocd" || args::has(items, &["--core"]) {
        return None;
    }
    let server = args::value(items, &["--server"]).or_else(|| inv.env_value("ARGOCD_SERVER"))?;
    let reads = words.iter().any(|w| ARGOCD_READS.contains(w));
    if reads || words.is_empty() {
        return None;
    }
    let host = server.text.trim_end_matches('/');
    let address = if host.contains("://") {
        host.to_owned()
    } else {
        format!("https://{host}")
    };
    Some(request(
        "argocd",
        url(&address),
        "POST",
        super::vendor::arguments_payload(inv),
        false,
    ))
}

/// `vault write PATH policies=...` on an auth method's users, groups or
/// roles (or an identity entity or group) changes what they may do, as
/// does `vault policy write|delete NAME`: access changes.
fn vault(inv: &Invocation<'_>) -> Option<Outcome> {
    let words: Vec<&str> = inv
        .args
        .iter()
        .filter(|a| !a.text.starts_with('-'))
        .map(|a| a.text.as_str())
        .collect();
    let grant = |resource: &str, grantee: Option<String>| {
        Outcome::default().effect(Effect::GrantAccess {
            resource: Resource::Other {
                name: format!("vault {resource}"),
            },
            grantee,
        })
    };
    match words.as_slice() {
        ["policy", "write" | "delete", name, ..] => Some(grant(&format!("policy {name}"), None)),
        ["write", path, pairs @ ..] => {
            let principal = path.starts_with("auth/")
                && ["/users/", "/groups/", "/role/", "/roles/", "/map/"]
                    .iter()
                    .any(|p| path.contains(p))
                || path.starts_with("identity/");
            let policies = pairs.iter().find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.ends_with("policies").then(|| value.to_owned())
            });
            (principal && policies.is_some()).then(|| grant(path, policies))
        }
        _ => None,
    }
}

const KUBECTL_LONG: &[&str] = &[
    "context",
    "namespace",
    "kubeconfig",
    "cluster",
    "user",
    "server",
    "token",
    "username",
    "password",
    "filename",
    "output",
    "selector",
    "replicas",
    "image",
    "container",
    "type",
    "port",
    "grace-period",
    "timeout",
    "field-selector",
    "patch",
    "kustomize",
    "as",
    "as-group",
    "request-timeout",
    "from-file",
    "from-literal",
    "from-env-file",
    "to-revision",
    "for",
    "field-manager",
    "sort-by",
    "tail",
    "since",
    "template",
    "env",
    "labels",
    "target-port",
    "subresource",
    "chunk-size",
    "cascade",
    "current-replicas",
    "resource-version",
    "overrides",
    "restart",
    "limits",
    "requests",
    "serviceaccount",
    "certificate-authority",
    "client-certificate",
    "client-key",
    "tls-server-name",
    "docker-server",
    "docker-username",
    "docker-password",
    "docker-email",
    "schedule",
    "min",
    "max",
    "cpu-percent",
    "name",
    "protocol",
    "external-ip",
    "session-affinity",
    "pod-running-timeout",
    "address",
    "local",
    "group",
    "clusterrole",
    "role",
    "verb",
    "resource",
    "resource-name",
];

fn kubectl(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "nfolcsLk",
            long: KUBECTL_LONG,
            stop_after: None,
        },
    );
    let mut positional = args::positionals(&items)
        .into_iter()
        .map(|a| a.text.clone());
    let Some(verb) = positional.next() else {
        return Outcome::default();
    };
    let args: Vec<String> = positional.collect();
    let grant = role_binding(&verb, &args, &items);
    let dry_run = is_dry_run(&items);
    let files = args::values(&items, &["-f", "--filename", "-k", "--kustomize"])
        .iter()
        .map(|f| {
            if f.text == "-" || f.text.contains("://") {
                f.text.clone()
            } else {
                inv.path(&f.text)
            }
        })
        .collect();
    let mut outcome = Outcome::default();
    outcome.effects.extend(grant);
    // `kubectl apply -f - <<EOF`: the bindings the manifest on standard
    // input holds (a file's are read where its text is known:
    // [`super::kube_manifests::applied_grants`]).
    if applied_manifests(inv).is_some_and(|m| m.stdin)
        && let Some(text) = inv.stdin_only_text()
    {
        outcome
            .effects
            .extend(super::kube_manifests::manifest_grants(&text));
    }
    outcome.effects.extend(api_server_credentials(
        inv,
        &items,
        &["-s", "--server"],
        &["--token", "--username", "--password"],
    ));
    // `kubectl exec|run|debug ... -- CMD`: the command runs in a pod, another
    // host: its writes are the pod's, but what it sends or changes elsewhere
    // is what it is, and a file it sends is matched by its path there (the
    // service account token under `/var/run/secrets`), as a remote
    // command's is.
    if matches!(verb.as_str(), "exec" | "run" | "debug")
        && let Some(at) = inv.args.iter().position(|a| a.text == "--")
    {
        let argv = inv.args.get(at + 1..).unwrap_or_default().to_vec();
        if !argv.is_empty() {
            outcome.nested.push(super::Nested::Remote {
                argv,
                hosts: Vec::new(),
                cwd: "/".to_owned(),
                stdin: args::has(&items, &["-i", "--stdin"]),
            });
        }
    }
    if let Some(names) = printed_names(&verb, &args, &items) {
        outcome.stdout = Some(names);
    }
    if verb == "cp" {
        copy_local_side(inv, &args, &mut outcome);
    }
    outcome.effect(Effect::Kubectl(Kubectl {
        verb,
        args,
        context: args::value(&items, &["--context"]).map(|c| c.text.clone()),
        namespace: args::value(&items, &["-n", "--namespace"]).map(|n| n.text.clone()),
        files,
        dry_run,
        // `--all` takes every object of the type; `-A` (`--all-namespaces`)
        // only widens where the names or selectors are looked for.
        all: items.iter().any(|item| match item {
            crate::args::Item::Opt { name, value } if name == "--all" => {
                value.as_ref().is_none_or(|v| v.text != "false")
            }
            _ => false,
        }),
    }))
}

/// `--dry-run` (`=client`, `=server`, bare) sends nothing to change;
/// `--dry-run=none` is a real run.
fn is_dry_run(items: &[args::Item<'_>]) -> bool {
    items.iter().any(|item| match item {
        crate::args::Item::Opt { name, value } if name == "--dry-run" => {
            value.as_ref().is_none_or(|v| v.text != "none")
        }
        _ => false,
    })
}

/// Where `kubectl apply|create|replace` takes the objects it sends to the
/// cluster from.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct AppliedManifests {
    /// `-f PATH` (a file or a directory), absolute; `-f a,b` is two.
    pub files: Vec<String>,
    /// `-k DIR`: a kustomization's directory, absolute.
    pub kustomizations: Vec<String>,
    /// `-R`: a directory's subdirectories are read too.
    pub recursive: bool,
    /// `-f -`: the manifest is standard input.
    pub stdin: bool,
}

/// The manifests a `kubectl|oc apply|create|replace` line sends to the
/// cluster; `None` for another verb, a `--dry-run`, or a line without
/// `-f`/`-k`. A URL is not read.
pub(super) fn applied_manifests(inv: &Invocation<'_>) -> Option<AppliedManifests> {
    if !matches!(inv.program, "kubectl" | "oc") {
        return None;
    }
    let items = args::parse(
        inv.args,
        &Spec {
            short: "nfolcsLk",
            long: KUBECTL_LONG,
            stop_after: None,
        },
    );
    let verb = args::positionals(&items).first().map(|a| a.text.clone())?;
    if !matches!(verb.as_str(), "apply" | "create" | "replace") || is_dry_run(&items) {
        return None;
    }
    let mut applied = AppliedManifests {
        recursive: args::has(&items, &["-R", "--recursive"]),
        ..AppliedManifests::default()
    };
    let names = |options: &[&str]| -> Vec<String> {
        args::values(&items, options)
            .iter()
            .flat_map(|value| value.text.split(','))
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect()
    };
    for name in names(&["-f", "--filename"]) {
        if name == "-" {
            applied.stdin = true;
        } else if !name.contains("://") {
            applied.files.push(inv.path(&name));
        }
    }
    for name in names(&["-k", "--kustomize"]) {
        if !name.contains("://") {
            applied.kustomizations.push(inv.path(&name));
        }
    }
    let any = applied.stdin || !applied.files.is_empty() || !applied.kustomizations.is_empty();
    any.then_some(applied)
}

/// `kubectl cp [NS/]POD:SRC DEST` writes DEST here; `kubectl cp SRC
/// [NS/]POD:DEST` reads SRC here. A pod's side is `POD:PATH`.
fn copy_local_side(inv: &Invocation<'_>, args: &[String], outcome: &mut Outcome) {
    let [from, to] = args else {
        return;
    };
    let in_pod = |spec: &str| spec.split_once(':').is_some_and(|(pod, _)| !pod.is_empty());
    match (in_pod(from), in_pod(to)) {
        (true, false) => outcome.write(inv.path(to), false),
        (false, true) => outcome.read(inv.path(from), true),
        _ => {}
    }
}

/// What `kubectl get TYPE[,TYPE] [NAME...] -o name` prints: `TYPE/NAME`
/// per object, so a later `| xargs kubectl delete` deletes objects of
/// those types (the names it lists are not known; `*` stands for them).
fn printed_names(verb: &str, args: &[String], items: &[args::Item<'_>]) -> Option<Payload> {
    let output = args::value(items, &["-o", "--output"])?;
    if verb != "get" || output.text != "name" {
        return None;
    }
    let (types, names) = args.split_first()?;
    let mut lines = Vec::new();
    for kind in types.split(',').filter(|k| !k.is_empty()) {
        if names.is_empty() {
            lines.push(format!("{kind}/*"));
        }
        for name in names {
            lines.push(format!("{kind}/{name}"));
        }
    }
    Some(Payload {
        text: vec![lines.join("\n")],
        ..Payload::default()
    })
}

/// The credentials a Kubernetes client is given on the line (`kubectl
/// --token T`, `--username U --password P`, `helm --kube-token T`) go to
/// the API server it names (`--server URL`, `helm --kube-apiserver URL`),
/// with every call it makes there. Without a server on the line they go to
/// the kubeconfig's cluster, which the line does not show. The change the
/// command makes is its own effect (not an external write: see the
/// doctrine), so the credentials are reported as sent with a read.
fn api_server_credentials(
    inv: &Invocation<'_>,
    items: &[args::Item<'_>],
    server_options: &[&str],
    credential_options: &[&str],
) -> Option<Effect> {
    let server = args::value(items, server_options)?;
    let payload = super::publish::credentials(inv, items, credential_options);
    if payload == crate::Payload::default() {
        return None;
    }
    let target = if server.text.contains("://") {
        server.text.clone()
    } else {
        format!("https://{}", server.text)
    };
    Some(request(inv.program, url(&target), "GET", payload, false))
}

/// Kubernetes subjects that stand for everyone.
const KUBERNETES_EVERYONE: &[&str] = &["system:anonymous", "system:unauthenticated"];

/// `kubectl create rolebinding|clusterrolebinding NAME --role|--clusterrole R
/// --user U --group G --serviceaccount NS:SA` and `kubectl set subject
/// KIND/NAME ...` give the subjects the role's access; binding it to
/// `system:anonymous` or `system:unauthenticated` opens it to anyone.
fn role_binding(verb: &str, args: &[String], items: &[args::Item<'_>]) -> Option<Effect> {
    let binding = match (verb, args) {
        ("create", [kind, name, ..]) if kind == "rolebinding" || kind == "clusterrolebinding" => {
            format!("{kind}/{name}")
        }
        ("set", [what, binding, ..]) if what == "subject" => binding.clone(),
        _ => return None,
    };
    let subjects: Vec<String> = args::values(items, &["--user", "--group", "--serviceaccount"])
        .iter()
        .map(|s| s.text.clone())
        .collect();
    Some(binding_grant(binding, &subjects))
}

/// What a role binding (`KIND/NAME`) that names `subjects` (users, groups,
/// `NS:SA` service accounts) does: gives them its role's access, or opens
/// it to anyone when one of them stands for everyone.
pub(super) fn binding_grant(binding: String, subjects: &[String]) -> Effect {
    let resource = Resource::Other { name: binding };
    if subjects
        .iter()
        .any(|s| KUBERNETES_EVERYONE.contains(&s.as_str()))
    {
        return Effect::MakePublic { resource };
    }
    Effect::GrantAccess {
        resource,
        grantee: (!subjects.is_empty()).then(|| subjects.join(", ")),
    }
}

/// `kubectx NAME` is `kubectl config use-context NAME`; `kubectx` alone
/// lists contexts, `kubectx -` goes back to one nobody can tell.
fn kubectx(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let Some(name) = args::positionals(&items).first().map(|a| a.text.clone()) else {
        return Outcome::default();
    };
    Outcome::default().effect(use_context(name))
}

/// `kubectl config use-context NAME`: what `kubectx NAME` does, and what
/// the cloud CLIs that write a cluster's credentials do (`aws eks
/// update-kubeconfig`, `gcloud container clusters get-credentials`, `az aks
/// get-credentials`).
pub(super) fn use_context(name: String) -> Effect {
    Effect::Kubectl(Kubectl {
        verb: "config".to_owned(),
        args: vec!["use-context".to_owned(), name],
        context: None,
        namespace: None,
        files: Vec::new(),
        dry_run: false,
        all: false,
    })
}

const HELM_LONG: &[&str] = &[
    "kube-context",
    "namespace",
    "kubeconfig",
    "values",
    "set",
    "set-string",
    "set-file",
    "set-json",
    "version",
    "repo",
    "timeout",
    "description",
    "post-renderer",
    "username",
    "password",
    "output",
    "history-max",
    "kube-apiserver",
    "kube-token",
    "kube-as-user",
    "registry-config",
    "repository-config",
    "repository-cache",
    "ca-file",
    "cert-file",
    "key-file",
    "name-template",
    "post-renderer-args",
    "access-token",
    "context-path",
];

fn helm(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "nfo",
            long: HELM_LONG,
            stop_after: None,
        },
    );
    let words = args::positionals(&items);
    let sent = helm_request(inv, &items, &words);
    let mut positional = words.into_iter();
    let Some(verb) = positional.next().map(|v| v.text.clone()) else {
        return Outcome::default();
    };
    let takes_release = matches!(
        verb.as_str(),
        "install"
            | "upgrade"
            | "uninstall"
            | "delete"
            | "del"
            | "un"
            | "rollback"
            | "status"
            | "history"
            | "test"
            | "template"
            | "get"
    );
    let mut rest = positional.map(|a| a.text.clone());
    let release = if !takes_release {
        None
    } else if verb == "get" {
        rest.nth(1)
    } else if verb == "install" && args::has(&items, &["--generate-name", "-g"]) {
        None
    } else {
        rest.next()
    };
    let dry_run = items.iter().any(|item| {
        matches!(item, crate::args::Item::Opt { name, value } if name == "--dry-run" && value.as_ref().is_none_or(|v| v.text != "none" && v.text != "false"))
    });
    let mut outcome = Outcome::default().effect(Effect::Helm(Helm {
        verb,
        release,
        // `--kube-context`, else helm's own variable for it.
        kube_context: args::value(&items, &["--kube-context"])
            .or_else(|| inv.env_value("HELM_KUBECONTEXT"))
            .map(|c| c.text.clone()),
        dry_run,
    }));
    outcome.effects.extend(sent);
    outcome.effects.extend(api_server_credentials(
        inv,
        &items,
        &["--kube-apiserver"],
        &["--kube-token"],
    ));
    outcome
}

/// What a helm command sends to a chart repository: `helm push CHART
/// oci://HOST/PATH` uploads the chart to that registry, `helm cm-push
/// CHART URL` (ChartMuseum) to URL, and `helm repo add NAME URL` fetches
/// URL's `index.yaml`. The credentials on the line (`--username`,
/// `--password`, `--access-token`) go with them.
fn helm_request(
    inv: &Invocation<'_>,
    items: &[args::Item<'_>],
    words: &[&args::Arg],
) -> Option<Effect> {
    let mut payload =
        super::publish::credentials(inv, items, &["--username", "--password", "--access-token"]);
    let texts: Vec<&str> = words.iter().map(|a| a.text.as_str()).collect();
    match texts.as_slice() {
        ["push", chart, remote, ..] => {
            let rest = remote.strip_prefix("oci://")?;
            let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
            let (host, port) = match authority.rsplit_once(':') {
                Some((h, p)) if p.parse::<u16>().is_ok() => (h, p.parse().ok()),
                _ => (authority, None),
            };
            send_file(inv, &mut payload, chart, false);
            let target = Target::Host {
                user: None,
                host: host.to_owned(),
                port,
                path: (!path.is_empty()).then(|| path.to_owned()),
            };
            Some(request("helm", target, "UPLOAD", payload, false))
        }
        ["cm-push", chart, repository, ..] if repository.contains("://") => {
            send_file(inv, &mut payload, chart, false);
            Some(request("helm", url(repository), "UPLOAD", payload, false))
        }
        ["repo", "add", _, repository, ..] if repository.contains("://") => {
            let index = format!("{}/index.yaml", repository.trim_end_matches('/'));
            Some(request("helm", url(&index), "GET", payload, false))
        }
        _ => None,
    }
}

/// Terraform options that take a separate value (`-var 'a=b'`).
const TERRAFORM_VALUE_OPTIONS: &[&str] = &[
    "-var",
    "-var-file",
    "-target",
    "-replace",
    "-state",
    "-state-out",
    "-backup",
    "-lock-timeout",
    "-parallelism",
    "-out",
    "-backend-config",
    "-plugin-dir",
    "-from-module",
];

/// The words Terraform adds to a `verb` command from the environment:
/// `TF_CLI_ARGS` and `TF_CLI_ARGS_<verb>` (`TF_CLI_ARGS_apply="-destroy"`).
fn extra_arguments<'a>(inv: &'a Invocation<'_>, verb: &str) -> impl Iterator<Item = &'a str> {
    let named = format!("TF_CLI_ARGS_{verb}");
    ["TF_CLI_ARGS", named.as_str()]
        .map(|name| inv.env_value(name).map(|v| v.text.as_str()))
        .into_iter()
        .flatten()
        .flat_map(str::split_whitespace)
}

fn terraform(inv: &Invocation<'_>) -> Outcome {
    let mut dir = inv.cwd.to_owned();
    let mut verb: Option<String> = None;
    let mut plan_file: Option<String> = None;
    let mut destroy = false;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let option = text.trim_start_matches('-');
        if text.starts_with('-') {
            let (name, value) = option
                .split_once('=')
                .map_or((option, None), |(n, v)| (n, Some(v)));
            match (name, value) {
                ("chdir", Some(value)) if verb.is_none() => {
                    dir = paths::resolve(&dir, inv.home, value)
                }
                // Terragrunt's working directory, old and new spelling.
                ("terragrunt-working-dir" | "working-dir", _) if inv.program == "terragrunt" => {
                    let value = value.or_else(|| words.next().map(|w| w.text.as_str()));
                    if let Some(value) = value {
                        dir = paths::resolve(&dir, inv.home, value);
                    }
                }
                ("destroy", _) => destroy = true,
                _ if value.is_none()
                    && TERRAFORM_VALUE_OPTIONS.contains(&format!("-{name}").as_str()) =>
                {
                    words.next();
                }
                _ => {}
            }
            continue;
        }
        match &verb {
            // `terragrunt run-all apply`, `terragrunt run [--all] apply`.
            Some(v) if inv.program == "terragrunt" && (v == "run-all" || v == "run") => {
                verb = Some(text.to_owned())
            }
            None => verb = Some(text.to_owned()),
            Some(v) if v == "apply" && plan_file.is_none() => {
                plan_file = Some(paths::resolve(&dir, inv.home, text))
            }
            _ => {}
        }
    }
    let Some(verb) = verb else {
        return Outcome::default();
    };
    destroy |= verb == "destroy" || extra_arguments(inv, &verb).any(|w| w == "-destroy");
    Outcome::default().effect(Effect::Terraform(Terraform {
        verb,
        dir,
        plan_file,
        destroy,
    }))
}
