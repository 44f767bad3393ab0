//! Model and data platforms: Hugging Face (`huggingface-cli`, `hf`),
//! Kaggle, Weights & Biases, MLflow, and papermill, whose output notebook
//! may be written to a bucket. Each upload is a send of what it names to
//! the platform's host (or the one its environment points it at), with
//! the credentials it is given ([`super::publish::credentials`]).
//! Their other commands (downloads, listings, logins) send nothing, and
//! their arguments name remote things, not local files: nothing is
//! reported for them.

use super::publish::credentials;
use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Payload, Resource, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "huggingface-cli" | "hf" => hugging_face(inv),
        "kaggle" => kaggle(inv),
        "wandb" => wandb(inv),
        "mlflow" => mlflow(inv),
        "papermill" => papermill(inv),
        "ollama" | "cog" | "bentoml" => model_push(inv),
        "databricks" => databricks(inv),
        _ => None,
    }
}

/// Long options of the Databricks CLIs (the Go `databricks` and the
/// legacy Python one) that take a value.
const DATABRICKS_VALUES: &[&str] = &[
    "profile",
    "output",
    "target",
    "log-level",
    "log-file",
    "log-format",
    "json",
    "json-file",
    "name",
    "securable-type",
    "securable-full-name",
    "comment",
    "owner",
    "new-name",
    "sharing-code",
    "authentication-type",
    "expiration-time",
    "existing-token-expire-in-seconds",
    "ip-access-list",
    "principal",
    "var",
    "file",
    "content",
    "format",
    "language",
    "string-value",
    "bytes-value",
    "scope",
    "key",
];

/// The Databricks CLI's access changes, each an [`Effect::GrantAccess`]
/// per principal that gains access (one without a grantee when access is
/// only taken away or the principals cannot be read): Delta Sharing's
/// `shares update-permissions SHARE --json '{"changes": [{"principal": P,
/// "add": [...]}]}'`, Unity Catalog's `grants update TYPE NAME --json ...`
/// (and the legacy CLI's `unity-catalog shares update-permissions --name
/// SHARE` and `unity-catalog permissions update --securable-type T
/// --securable-full-name N`), a new Delta Sharing recipient (`recipients
/// create NAME`: an identity data is shared with), and a recipient's
/// token or settings changed; a workspace object's access list
/// (`permissions set|update TYPE ID`, `clusters|jobs|... set-permissions|
/// update-permissions ID --json '{"access_control_list": [{"user_name":
/// U, ...}]}'`), an account's workspace assignment, users, groups and
/// service principals changed, and the same changes through `databricks
/// api post|patch|put .../permissions`. `databricks account ...` is the
/// account console's. Its other commands are left to the handlers after
/// this one.
fn databricks(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pot",
            long: DATABRICKS_VALUES,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let mut words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    if words.first() == Some(&"account") {
        words.remove(0);
    }
    if let Some(outcome) = databricks_workspace(inv, &items, &words) {
        return Some(outcome);
    }
    let option = |names: &[&str]| args::value(&items, names).map(|a| a.text.as_str());
    // An inline body; `@file` names a file the line does not show.
    let body = option(&["--json"])
        .filter(|j| !j.starts_with('@'))
        .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok());
    let named = |kind: &str, name: Option<&str>| format!("{kind} {}", name.unwrap_or_default());
    let (resource, grantees) = match words.as_slice() {
        ["shares", "update-permissions", share, ..] => {
            (named("share", Some(share)), uc_changes(body.as_ref()))
        }
        ["unity-catalog", "shares", "update-permissions", ..] => (
            named("share", option(&["--name"])),
            uc_changes(body.as_ref()),
        ),
        ["grants", "update", kind, name, ..] => {
            (named(kind, Some(name)), uc_changes(body.as_ref()))
        }
        ["unity-catalog", "permissions", "update", ..] => (
            named(
                option(&["--securable-type"]).unwrap_or("securable"),
                option(&["--securable-full-name"]),
            ),
            uc_changes(body.as_ref()),
        ),
        ["recipients", "create", name, ..] => (
            named("recipient", Some(name)),
            vec![Some((*name).to_owned())],
        ),
        ["unity-catalog", "recipients", "create", ..] => {
            let name = option(&["--name"]);
            (named("recipient", name), vec![name.map(str::to_owned)])
        }
        ["recipients", "update" | "delete" | "rotate-token", name, ..] => {
            (named("recipient", Some(name)), vec![None])
        }
        [
            "unity-catalog",
            "recipients",
            "update" | "delete" | "rotate-token",
            ..,
        ] => (named("recipient", option(&["--name"])), vec![None]),
        ["permissions", "set" | "update", kind, id, ..] => {
            (named(kind, Some(id)), access_list(body.as_ref()))
        }
        [group, "set-permissions" | "update-permissions", id, ..] => {
            (named(group, Some(id)), access_list(body.as_ref()))
        }
        ["workspace-assignment", "update", workspace, principal, ..] => (
            named("workspace", Some(workspace)),
            vec![Some((*principal).to_owned())],
        ),
        [
            kind @ ("groups" | "users" | "service-principals"),
            "create" | "patch" | "update" | "delete",
            rest @ ..,
        ] => (named(kind, rest.first().copied()), vec![None]),
        ["api", "post" | "patch" | "put", path, ..] if path.ends_with("/permissions") => {
            let mut grantees = uc_changes(body.as_ref());
            if grantees == [None] {
                grantees = access_list(body.as_ref());
            }
            ((*path).to_owned(), grantees)
        }
        _ => return None,
    };
    let mut outcome = Outcome::default();
    for grantee in grantees {
        let effect = Effect::GrantAccess {
            resource: Resource::Other {
                name: resource.clone(),
            },
            grantee,
        };
        if !outcome.effects.contains(&effect) {
            outcome.effects.push(effect);
        }
    }
    Some(outcome)
}

/// The Databricks CLI's sends to a workspace and its releases: `fs cp
/// LOCAL dbfs:/...` (and `-r` for a tree) uploads LOCAL, `fs cp dbfs:/...
/// LOCAL` writes LOCAL; `workspace import PATH --file F` (the legacy
/// CLI's `workspace import F PATH`) and `workspace import-dir DIR PATH`
/// send F and DIR; `secrets put-secret SCOPE KEY --string-value V` (and
/// the legacy `secrets put`) sends V. The workspace is `DATABRICKS_HOST`;
/// one a `--profile` names is not known from the line, and nothing is
/// reported. `bundle deploy -t TARGET` is a release to the environment
/// TARGET (`bundle validate`, `bundle summary` only read).
fn databricks_workspace(
    inv: &Invocation<'_>,
    items: &[args::Item],
    words: &[&str],
) -> Option<Outcome> {
    if let ["bundle", "deploy", ..] = words {
        let target = args::value(items, &["-t", "--target"])?;
        return Some(Outcome::default().effect(Effect::Deploy(crate::Deploy {
            program: inv.program.to_owned(),
            environment: target.text.clone(),
            service: None,
            production: false,
        })));
    }
    let remote = |text: &str| text.starts_with("dbfs:") || text.starts_with("/Volumes/");
    let mut outcome = Outcome::default();
    let mut payload = credentials(inv, items, &[]);
    let recursive = args::has(items, &["-r", "--recursive"]);
    match words {
        ["fs", "cp", from, to, ..] if remote(to) && !remote(from) => {
            outcome.read(inv.path(from), recursive);
            send_file(inv, &mut payload, from, recursive);
        }
        ["fs", "cp", from, to, ..] if remote(from) && !remote(to) => {
            outcome.write(inv.path(to), false);
            return Some(outcome);
        }
        ["workspace", "import", from, _, ..] => send_file(inv, &mut payload, from, false),
        ["workspace", "import", ..] => {
            if let Some(file) = args::value(items, &["--file"]) {
                send_file(inv, &mut payload, &file.text, false);
            }
            if let Some(content) = args::value(items, &["--content"]) {
                flow::merge(&mut payload, &content.payload());
            }
        }
        ["workspace", "import-dir", from, ..] => send_file(inv, &mut payload, from, true),
        ["secrets", "put-secret" | "put", ..] => {
            let value = args::value(items, &["--string-value", "--bytes-value"])?;
            flow::merge(&mut payload, &value.payload());
        }
        _ => return None,
    }
    let Some(host) = env_text(inv, "DATABRICKS_HOST") else {
        return Some(outcome);
    };
    outcome
        .effects
        .push(request(inv.program, url(host), "UPLOAD", payload, false));
    Some(outcome)
}

/// The principals a Unity Catalog permissions change (`{"changes":
/// [{"principal": P, "add": [...], "remove": [...]}]}`) gives privileges
/// to; `[None]` when it only takes them away or cannot be read.
fn uc_changes(body: Option<&serde_json::Value>) -> Vec<Option<String>> {
    let changes = body
        .and_then(|b| b.get("changes"))
        .and_then(serde_json::Value::as_array);
    let gains: Vec<Option<String>> = changes
        .into_iter()
        .flatten()
        .filter(|c| {
            c.get("add")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|a| !a.is_empty())
        })
        .filter_map(|c| c.get("principal").and_then(serde_json::Value::as_str))
        .map(|p| Some(p.to_owned()))
        .collect();
    if gains.is_empty() { vec![None] } else { gains }
}

/// The principals of a workspace object's access list (`{"access_control_list":
/// [{"user_name"|"group_name"|"service_principal_name": N, "permission_level":
/// L}]}`); `[None]` when there are none or it cannot be read.
fn access_list(body: Option<&serde_json::Value>) -> Vec<Option<String>> {
    let entries = body
        .and_then(|b| b.get("access_control_list"))
        .and_then(serde_json::Value::as_array);
    let names: Vec<Option<String>> = entries
        .into_iter()
        .flatten()
        .filter_map(|e| {
            ["user_name", "group_name", "service_principal_name"]
                .iter()
                .find_map(|k| e.get(*k).and_then(serde_json::Value::as_str))
        })
        .map(|n| Some(n.to_owned()))
        .collect();
    if names.is_empty() { vec![None] } else { names }
}

/// Model images pushed to their registries: `ollama push [HOST/]NS/NAME[:TAG]`
/// (to `registry.ollama.ai` unless the name starts with a host), `cog push
/// [IMAGE]` (IMAGE, `r8.im/OWNER/MODEL`; without one, the image `cog.yaml`
/// names, on `r8.im`), `bentoml push NAME:TAG` and `bentoml models push
/// NAME:TAG` (to BentoCloud). Their other commands are not reported.
fn model_push(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ft",
            long: &[
                "file",
                "secret",
                "progress",
                "openapi-schema",
                "threads",
                "context",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let effect = match (inv.program, words.as_slice()) {
        ("ollama", ["push", name, ..]) => {
            let first = name.split('/').next().unwrap_or_default();
            let hosted = name.contains('/')
                && (first.contains('.') || first.contains(':') || first == "localhost");
            let image = if hosted {
                (*name).to_owned()
            } else {
                format!("registry.ollama.ai/{name}")
            };
            super::cloud::image_upload(inv.program, &image, Payload::default())
        }
        ("cog", ["push", image, ..]) => {
            super::cloud::image_upload(inv.program, image, Payload::default())
        }
        ("cog", ["push"]) => request(
            inv.program,
            crate::Target::Host {
                user: None,
                host: "r8.im".to_owned(),
                port: None,
                path: None,
            },
            "UPLOAD",
            Payload::default(),
            false,
        ),
        ("bentoml", ["push", name, ..] | ["models", "push", name, ..]) => {
            let mut payload = Payload::default();
            flow::push_text(&mut payload, name);
            request(
                inv.program,
                url("https://cloud.bentoml.com"),
                "UPLOAD",
                payload,
                false,
            )
        }
        _ => return None,
    };
    Some(Outcome::default().effect(effect))
}

/// An environment variable's value (`NAME=value` on the line, or exported
/// before it) when it is set and not empty.
fn env_text<'a>(inv: &'a Invocation<'_>, name: &str) -> Option<&'a str> {
    inv.env_value(name)
        .map(|v| v.text.as_str())
        .filter(|v| !v.is_empty())
}

/// `huggingface-cli|hf upload REPO_ID [LOCAL_PATH [PATH_IN_REPO]]
/// [--repo-type dataset|model|space]` (and `upload-large-folder`) sends
/// LOCAL_PATH, a file or a tree, to the repository (without LOCAL_PATH, the
/// local file or folder named as the repository is); `repo create NAME`
/// creates one, public unless `--private`; `repo delete NAME` deletes it;
/// `repo settings NAME --public` makes it public (`repos` is the same).
/// The hub is `HF_ENDPOINT` when the environment sets it.
fn hugging_face(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "repo-type",
                "repo_type",
                "type",
                "revision",
                "include",
                "exclude",
                "delete",
                "commit-message",
                "commit_message",
                "commit-description",
                "commit_description",
                "every",
                "token",
                "organization",
                "space-sdk",
                "space_sdk",
                "num-workers",
                "resource-group-id",
                "local-dir",
                "cache-dir",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let hub = env_text(inv, "HF_ENDPOINT")
        .unwrap_or("https://huggingface.co")
        .trim_end_matches('/');
    let kind = match args::value(&items, &["--repo-type", "--repo_type", "--type"])
        .map(|t| t.text.as_str())
    {
        Some("dataset" | "datasets") => "datasets/",
        Some("space" | "spaces") => "spaces/",
        _ => "",
    };
    let repository = |name: &str| format!("{hub}/{kind}{name}");
    let mut payload = credentials(inv, &items, &["--token"]);
    let private = args::has(&items, &["--private"]);
    let effect = match words.as_slice() {
        ["upload" | "upload-large-folder", repo, ..] => {
            for message in args::values(
                &items,
                &[
                    "--commit-message",
                    "--commit_message",
                    "--commit-description",
                    "--commit_description",
                ],
            ) {
                flow::merge(&mut payload, &message.payload());
            }
            match positional.get(2) {
                Some(local) => {
                    flow::merge(&mut payload, &local.expansions());
                    send_file(inv, &mut payload, &local.text, true);
                }
                None => {
                    let name = repo.rsplit('/').next().unwrap_or(repo);
                    send_file(inv, &mut payload, name, true);
                }
            }
            request(
                inv.program,
                url(&repository(repo)),
                "UPLOAD",
                payload,
                false,
            )
        }
        ["repo" | "repos", "settings", name, ..] => {
            return Some(hf_settings(&items, &repository(name)));
        }
        ["repo" | "repos", "create", name, ..] => {
            let name = match args::value(&items, &["--organization"]) {
                Some(org) if !name.contains('/') => format!("{}/{name}", org.text),
                _ => (*name).to_owned(),
            };
            request(
                inv.program,
                url(&repository(&name)),
                "POST",
                payload,
                !private,
            )
        }
        ["repo" | "repos", "delete", name, ..] => request(
            inv.program,
            url(&repository(name)),
            "DELETE",
            payload,
            false,
        ),
        _ => return Some(Outcome::default()),
    };
    Some(Outcome::default().effect(effect))
}

/// `hf repos settings REPO --public` (`--no-private`, `--private false`)
/// makes the repository public; other settings are not reported.
fn hf_settings(items: &[args::Item<'_>], repository: &str) -> Outcome {
    let private_off = args::values(items, &["--private"])
        .iter()
        .any(|v| matches!(v.text.to_ascii_lowercase().as_str(), "false" | "0" | "no"));
    if !private_off && !args::has(items, &["--public", "--no-private"]) {
        return Outcome::default();
    }
    Outcome::default().effect(Effect::MakePublic {
        resource: Resource::Other {
            name: repository.to_owned(),
        },
    })
}

/// `kaggle datasets create|version -p DIR`, `kaggle kernels push -p DIR`,
/// `kaggle models [instances [versions]] create|update -p DIR` send DIR
/// (the working directory without `-p`) with what is in it; `kaggle
/// competitions submit -f FILE` sends FILE. A dataset created with
/// `-u`/`--public` is public. Commands may be abbreviated (`kaggle d
/// create`).
fn kaggle(inv: &Invocation<'_>) -> Option<Outcome> {
    let group = args::leading(inv.args).first().copied().unwrap_or_default();
    let group = match group {
        "datasets" | "d" => "datasets",
        "kernels" | "k" => "kernels",
        "competitions" | "c" => "competitions",
        "models" | "m" => "models",
        _ => return Some(Outcome::default()),
    };
    let items = args::parse(
        inv.args,
        &Spec {
            // `-t` is `--timeout` for kernels, `--keep-tabular` for datasets.
            short: if group == "kernels" { "pt" } else { "pmrcfn" },
            long: &[
                "path",
                "message",
                "dir-mode",
                "competition",
                "file",
                "timeout",
                "version-notes",
                "sandbox",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let sends_dir = match (group, words.get(1..).unwrap_or_default()) {
        ("datasets", ["create" | "version", ..]) | ("kernels", ["push", ..]) => true,
        ("models", ["instances", "versions", verb, ..] | ["instances", verb, ..] | [verb, ..]) => {
            matches!(*verb, "create" | "update")
        }
        ("competitions", ["submit", ..]) => false,
        _ => return Some(Outcome::default()),
    };
    let mut payload = credentials(inv, &items, &[]);
    for message in args::values(&items, &["-m", "--message", "-n", "--version-notes"]) {
        flow::merge(&mut payload, &message.payload());
    }
    if sends_dir {
        let dir = args::value(&items, &["-p", "--path"]).map_or(".", |p| p.text.as_str());
        send_file(inv, &mut payload, dir, true);
    } else {
        let file = args::value(&items, &["-f", "--file"])?;
        send_file(inv, &mut payload, &file.text, false);
    }
    let public = group == "datasets"
        && words.get(1) == Some(&"create")
        && args::has(&items, &["-u", "--public"]);
    Some(Outcome::default().effect(request(
        inv.program,
        url("https://www.kaggle.com"),
        "UPLOAD",
        payload,
        public,
    )))
}

/// `wandb sync [PATH...]` (the `./wandb` runs without a path) and `wandb
/// artifact put PATH` send what they name to W&B: `WANDB_BASE_URL` from
/// the environment, or `https://api.wandb.ai`.
fn wandb(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pendta",
            long: &[
                "project",
                "entity",
                "id",
                "job_type",
                "include-globs",
                "exclude-globs",
                "clean-old-hours",
                "name",
                "description",
                "type",
                "alias",
                "policy",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let paths: Vec<&str> = match words.as_slice() {
        ["sync"] => vec!["wandb"],
        ["sync", paths @ ..] => paths.to_vec(),
        ["artifact", "put", paths @ ..] if !paths.is_empty() => paths.to_vec(),
        _ => return Some(Outcome::default()),
    };
    let mut payload = credentials(inv, &items, &[]);
    for path in paths {
        send_file(inv, &mut payload, path, true);
    }
    let base = env_text(inv, "WANDB_BASE_URL").unwrap_or("https://api.wandb.ai");
    Some(Outcome::default().effect(request(inv.program, url(base), "UPLOAD", payload, false)))
}

/// `mlflow artifacts log-artifact --local-file F`, `mlflow artifacts
/// log-artifacts --local-dir D`, `mlflow run URI [-P k=v]...`, and `mlflow
/// experiments|runs` changes go to the tracking server: `--tracking-uri`
/// or `MLFLOW_TRACKING_URI` when it is an http(s) URL. A local store
/// (unset, a path, `file:`) or one the line cannot place (`databricks`)
/// is nothing sent.
fn mlflow(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "lraPeAvbcnx",
            long: &[
                "local-file",
                "local-dir",
                "run-id",
                "artifact-path",
                "artifact-uri",
                "tracking-uri",
                "entry-point",
                "version",
                "param-list",
                "docker-args",
                "experiment-name",
                "experiment-id",
                "backend",
                "backend-config",
                "env-manager",
                "storage-dir",
                "run-name",
                "artifact-location",
                "new-name",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let mut payload = credentials(inv, &items, &[]);
    let method = match words.as_slice() {
        ["artifacts", "log-artifact", ..] => {
            let file = args::value(&items, &["-l", "--local-file"])?;
            send_file(inv, &mut payload, &file.text, false);
            "UPLOAD"
        }
        ["artifacts", "log-artifacts", ..] => {
            let dir = args::value(&items, &["-l", "--local-dir"])?;
            send_file(inv, &mut payload, &dir.text, true);
            "UPLOAD"
        }
        ["run", ..] => {
            for param in args::values(&items, &["-P", "--param-list"]) {
                flow::merge(&mut payload, &param.payload());
            }
            "POST"
        }
        [
            "experiments",
            "create" | "delete" | "rename" | "restore",
            ..,
        ]
        | ["runs", "delete" | "restore", ..] => {
            for (_, value) in args::options(&items) {
                flow::merge(&mut payload, &value.payload());
            }
            "POST"
        }
        _ => return Some(Outcome::default()),
    };
    let server = args::value(&items, &["--tracking-uri"])
        .map(|t| t.text.as_str())
        .or_else(|| env_text(inv, "MLFLOW_TRACKING_URI"))
        .filter(|t| t.starts_with("http://") || t.starts_with("https://"));
    let Some(server) = server else {
        return Some(Outcome::default());
    };
    Some(Outcome::default().effect(request(inv.program, url(server), method, payload, false)))
}

/// papermill options that take one value.
const PAPERMILL_ONE: &[&str] = &[
    "-f",
    "--parameters_file",
    "--parameters-file",
    "-y",
    "--parameters_yaml",
    "--parameters-yaml",
    "-b",
    "--parameters_base64",
    "--parameters-base64",
    "-k",
    "--kernel",
    "-l",
    "--language",
    "--cwd",
    "--engine",
    "--autosave-cell-every",
    "--start-timeout",
    "--execution-timeout",
    "--stdout-file",
    "--stderr-file",
    "--log-level",
];

/// papermill options that take a name and a value.
const PAPERMILL_TWO: &[&str] = &[
    "-p",
    "--parameters",
    "-r",
    "--parameters_raw",
    "--parameters-raw",
];

/// `papermill IN [OUT] [-p NAME VALUE]... [-f params.yaml]`: runs IN and
/// writes the executed notebook, which holds IN and the parameters, to
/// OUT. A local OUT is a file written; a remote one (`s3://`, `gs://`,
/// `abfs://`, `https://`, ...) is an upload of it there, as `aws s3 cp`'s
/// is. A remote IN is a download.
fn papermill(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut operands: Vec<&Arg> = Vec::new();
    let mut options: Vec<(&str, Arg)> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if let Some((name, value)) = text.split_once('=').filter(|(n, _)| n.starts_with("--")) {
            options.push((name, word.with_text(value)));
        } else if PAPERMILL_TWO.contains(&text) {
            for value in words.by_ref().take(2) {
                options.push((text, value.clone()));
            }
        } else if PAPERMILL_ONE.contains(&text) {
            if let Some(value) = words.next() {
                options.push((text, value.clone()));
            }
        } else if !text.starts_with('-') || text == "-" {
            operands.push(word);
        }
    }
    let option = |names: &[&str]| -> Vec<&Arg> {
        options
            .iter()
            .filter(|(n, _)| names.contains(n))
            .map(|(_, v)| v)
            .collect()
    };
    let (input, output) = match operands.as_slice() {
        [input, output, ..] => (*input, Some(*output)),
        [input] => (*input, None),
        [] => return None,
    };
    let remote = |text: &str| text.contains("://") && !text.starts_with("file://");
    let mut outcome = Outcome::default();
    let mut notebook = Payload::default();
    if remote(&input.text) {
        outcome.effects.push(request(
            inv.program,
            url(&input.text),
            "DOWNLOAD",
            Payload::default(),
            false,
        ));
        flow::push_text(&mut notebook, &input.text);
    } else if input.text != "-" {
        outcome.read(inv.path(&input.text), false);
        send_file(inv, &mut notebook, &input.text, false);
    }
    for file in option(&["-f", "--parameters_file", "--parameters-file"]) {
        outcome.read(inv.path(&file.text), false);
        send_file(inv, &mut notebook, &file.text, false);
    }
    for value in option(&[
        "-p",
        "--parameters",
        "-r",
        "--parameters_raw",
        "--parameters-raw",
        "-y",
        "--parameters_yaml",
        "--parameters-yaml",
        "-b",
        "--parameters_base64",
        "--parameters-base64",
    ]) {
        flow::merge(&mut notebook, &value.payload());
    }
    for log in option(&["--stdout-file", "--stderr-file"]) {
        outcome.write(inv.path(&log.text), false);
    }
    match output.map(|o| o.text.as_str()) {
        Some(out) if remote(out) => {
            outcome
                .effects
                .push(request(inv.program, url(out), "UPLOAD", notebook, false));
        }
        Some(out) if out != "-" => outcome.write(inv.path(out), false),
        _ => {}
    }
    Some(outcome)
}
