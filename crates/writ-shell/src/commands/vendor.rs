//! CI, artifact and publishing vendors' CLIs that send to a host the
//! command line does not name: the vendor's own, or the server an option
//! points them at. CircleCI (`circleci`), Buildkite (`bk`,
//! `buildkite-agent`), JFrog (`jf`, `jfrog`), Twitter's `twurl`,
//! Mastodon's `toot`,
//! Cloudinary (`cld`), `youtube-upload`, the OSF client (`osf`) and
//! Globus (`globus`); and test and reporting tools that upload their
//! results to the vendor's cloud: Lighthouse CI (`lhci`), Cypress Cloud
//! (`cypress run --record`), Chromatic (`chromatic`) and Percy (`percy`).
//! An upload is a send of the files it names; a command
//! that creates, triggers, sets or deletes something there is a request
//! carrying its arguments (and standard input, which the walk adds: a
//! secret piped to `circleci context store-secret`). Globus's access
//! rules, roles and group members are access changes instead (a rule for
//! anyone makes its path public). Listing, viewing, downloading and local
//! commands send nothing here.

use super::publish::credentials;
use super::{Invocation, Outcome, read, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, FileRef, Payload, Resource, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "circleci" => circleci(inv),
        "bk" => buildkite(inv),
        "buildkite-agent" => buildkite_agent(inv),
        "jf" | "jfrog" => jfrog(inv),
        "twurl" => twurl(inv),
        "toot" => toot(inv),
        "cld" => cloudinary(inv),
        "youtube-upload" => youtube_upload(inv),
        "osf" => osf(inv),
        "globus" => globus(inv),
        "lhci" => lighthouse_ci(inv),
        "cypress" => cypress(inv),
        "chromatic" => chromatic(inv),
        "percy" => percy(inv),
        _ => None,
    }
}

/// What every argument carries: a vendor call sends its arguments.
pub(super) fn arguments_payload(inv: &Invocation<'_>) -> Payload {
    let mut payload = Payload::default();
    for arg in inv.args {
        flow::merge(&mut payload, &arg.payload());
    }
    payload
}

/// The texts of the positional arguments among `items`.
pub(super) fn positional_words<'a>(items: &'a [Item<'a>]) -> Vec<&'a str> {
    args::positionals(items)
        .into_iter()
        .map(|a| a.text.as_str())
        .collect()
}

/// A base URL as given (`https://ci.example.com`, or a bare host), with
/// no trailing slash.
pub(super) fn base_url(text: &str) -> String {
    let text = text.trim().trim_end_matches('/');
    if text.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    }
}

/// CircleCI CLI options that take a value: the global `--host` and
/// `--token`, and those of its commands.
const CIRCLECI_VALUES: &[&str] = &[
    "host",
    "token",
    "org-id",
    "owner-id",
    "org-slug",
    "policy-base-url",
    "branch",
    "tag",
    "parameters",
    "definition-id",
    "pipeline-definition-id",
    "checkout-branch",
    "checkout-tag",
    "config-branch",
    "config-tag",
    "project-id",
    "resource-class",
    "description",
    "name",
    "context",
    "org",
    "vcs",
];

/// Words that start CircleCI commands which only run or configure the CLI
/// locally (`local execute`, `config validate`, `setup`, `update`: the
/// CLI's own update).
const CIRCLECI_LOCAL: &[&str] = &[
    "local",
    "build",
    "config",
    "setup",
    "update",
    "switch",
    "completion",
    "diagnostic",
    "help",
    "version",
    "info",
    "open",
    "follow",
];

/// Subcommands that change state at the CI vendor (`pipeline run`,
/// `trigger create`, `run cancel`, `runner resource-class delete`, ...).
const CI_CHANGES: &[&str] = &[
    "new",
    "create",
    "delete",
    "remove",
    "run",
    "trigger",
    "rerun",
    "retry",
    "rebuild",
    "cancel",
    "approve",
    "unblock",
    "stop",
    "pause",
    "resume",
    "purge",
    "add",
    "set",
    "update",
    "unlist",
    "rename",
    "import",
    "upload",
    "publish",
    "push",
    "promote",
    "increment",
];

/// `circleci [--host URL] [--token T] ...` calls CircleCI at `--host`
/// (or `CIRCLECI_CLI_HOST`; `https://circleci.com`): `context
/// store-secret [VCS ORG | --org-id ID] CONTEXT NAME` stores the value on
/// standard input as NAME (a PUT), `context remove-secret` deletes one,
/// `orb publish FILE ORB@VERSION` uploads FILE, `policy push DIR` the
/// policies in DIR; any other command that creates, runs, triggers or
/// deletes (`pipeline run`, `trigger create`, `context delete`) is a
/// request carrying its arguments. The token (`--token`,
/// `CIRCLECI_CLI_TOKEN`) goes with each.
fn circleci(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: CIRCLECI_VALUES,
            stop_after: None,
        },
    );
    let words = positional_words(&items);
    let first = *words.first()?;
    if CIRCLECI_LOCAL.contains(&first) {
        return None;
    }
    let host = args::value(&items, &["--host"])
        .map(|a| a.text.as_str())
        .or_else(|| inv.env_value("CIRCLECI_CLI_HOST").map(|v| v.text.as_str()))
        .filter(|h| !h.is_empty())
        .map_or_else(|| "https://circleci.com".to_owned(), base_url);
    let mut payload = credentials(inv, &items, &["--token"]);
    let (method, target) = match words.as_slice() {
        [
            "context",
            verb @ ("store-secret" | "remove-secret"),
            ..,
            context,
            name,
        ] => {
            flow::push_text(&mut payload, name);
            let method = if *verb == "store-secret" {
                "PUT"
            } else {
                "DELETE"
            };
            (
                method,
                format!("{host}/api/v2/context/{context}/environment-variable/{name}"),
            )
        }
        ["orb", "publish", file, ..] if !matches!(*file, "promote" | "increment") => {
            send_file(inv, &mut payload, file, false);
            ("UPLOAD", format!("{host}/graphql-unstable"))
        }
        ["policy", "push", dir, ..] => {
            send_file(inv, &mut payload, dir, true);
            ("UPLOAD", format!("{host}/api/v1/owner/policy"))
        }
        [group, rest @ ..] if rest.iter().take(2).any(|w| CI_CHANGES.contains(w)) => {
            flow::merge(&mut payload, &arguments_payload(inv));
            let deletes = rest
                .iter()
                .take(2)
                .any(|w| matches!(*w, "delete" | "remove"));
            let method = if deletes { "DELETE" } else { "POST" };
            (method, format!("{host}/api/v2/{group}"))
        }
        _ => return None,
    };
    Some(Outcome::default().effect(request(inv.program, url(&target), method, payload, false)))
}

/// Buildkite's REST API, which `bk` calls.
const BUILDKITE_API: &str = "https://api.buildkite.com/v2";

/// `bk` (the Buildkite CLI) calls Buildkite's API: `build new|create
/// --pipeline [ORG/]P` starts a build (its message, environment,
/// metadata and `--env-file` go with it), `api ENDPOINT [-X M] [-d DATA]`
/// makes the request it describes (a POST when it has data), and any
/// other command that creates, cancels, retries or sets something is a
/// request carrying its arguments. `BUILDKITE_API_TOKEN` goes with each.
fn buildkite(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pbcmaefMXdHo",
            long: &[
                "pipeline",
                "branch",
                "commit",
                "message",
                "author",
                "env",
                "env-file",
                "metadata",
                "org",
                "method",
                "data",
                "header",
                "output",
                "format",
                "cluster-id",
                "key",
                "value",
                "description",
                "repository",
                "team",
                "template",
                "build",
                "job",
            ],
            stop_after: None,
        },
    );
    let words = positional_words(&items);
    let mut payload = credentials(inv, &[], &[]);
    let (method, target) = match words.as_slice() {
        ["api", endpoint, ..] => {
            let data = args::values(&items, &["-d", "--data", "-H", "--header"]);
            for value in &data {
                flow::merge(&mut payload, &value.payload());
            }
            let method = match args::value(&items, &["-X", "--method"]) {
                Some(method) => method.text.to_ascii_uppercase(),
                None if data.is_empty() => "GET".to_owned(),
                None => "POST".to_owned(),
            };
            let endpoint = endpoint.trim_start_matches('/');
            let endpoint = endpoint.strip_prefix("v2/").unwrap_or(endpoint);
            (method, format!("{BUILDKITE_API}/{endpoint}"))
        }
        ["build", "new" | "create", ..] => {
            flow::merge(&mut payload, &arguments_payload(inv));
            if let Some(file) = args::value(&items, &["-f", "--env-file"]) {
                send_file(inv, &mut payload, &file.text, false);
            }
            let pipeline = args::value(&items, &["-p", "--pipeline"]).map(|p| p.text.as_str());
            let (org, pipeline) = match pipeline.and_then(|p| p.split_once('/')) {
                Some((org, pipeline)) => (Some(org), Some(pipeline)),
                None => (
                    args::value(&items, &["--org"]).map(|o| o.text.as_str()),
                    pipeline,
                ),
            };
            let target = match (org, pipeline) {
                (Some(org), Some(pipeline)) => {
                    format!("{BUILDKITE_API}/organizations/{org}/pipelines/{pipeline}/builds")
                }
                _ => format!("{BUILDKITE_API}/builds"),
            };
            ("POST".to_owned(), target)
        }
        [group, rest @ ..] if rest.first().is_some_and(|w| CI_CHANGES.contains(w)) => {
            flow::merge(&mut payload, &arguments_payload(inv));
            let method = if matches!(rest.first(), Some(&("delete" | "remove"))) {
                "DELETE"
            } else {
                "POST"
            };
            (method.to_owned(), format!("{BUILDKITE_API}/{group}"))
        }
        _ => return None,
    };
    Some(Outcome::default().effect(request(inv.program, url(&target), &method, payload, false)))
}

/// `buildkite-agent` on a CI machine talks to the agent API (`--endpoint`,
/// `BUILDKITE_AGENT_ENDPOINT`, or `https://agent.buildkite.com/v3`):
/// `artifact upload PATTERNS [DEST]` sends the files the `;`-separated
/// patterns name to DEST when it is a bucket or URL (`s3://`, `gs://`,
/// `rt://`, `https://`), else to Buildkite; `pipeline upload [FILE]` sends
/// FILE (or standard input); `meta-data set KEY [VALUE]` and `annotate
/// [BODY]` send their text (or standard input). The agent's token goes
/// with each.
fn buildkite_agent(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "job",
                "content-type",
                "agent-access-token",
                "endpoint",
                "log-level",
                "experiment",
                "profile",
                "redacted-vars",
                "trace-context-encoding",
                "delimiter",
                "context",
                "style",
                "priority",
                "replace",
                "format",
            ],
            stop_after: None,
        },
    );
    let words = positional_words(&items);
    let endpoint = args::value(&items, &["--endpoint"])
        .map(|a| a.text.as_str())
        .or_else(|| {
            inv.env_value("BUILDKITE_AGENT_ENDPOINT")
                .map(|v| v.text.as_str())
        })
        .filter(|e| !e.is_empty())
        .map_or_else(|| "https://agent.buildkite.com/v3".to_owned(), base_url);
    let mut payload = credentials(inv, &items, &["--agent-access-token"]);
    let (method, target) = match words.as_slice() {
        ["artifact", "upload", patterns, rest @ ..] => {
            for pattern in patterns.split(';').filter(|p| !p.is_empty()) {
                send_file(inv, &mut payload, pattern, false);
            }
            let target = match rest.first() {
                Some(dest) if dest.contains("://") => (*dest).to_owned(),
                _ => format!("{endpoint}/jobs/artifacts"),
            };
            ("UPLOAD", target)
        }
        ["pipeline", "upload", rest @ ..] => {
            if let Some(file) = rest.first() {
                // `--dry-run` prints the parsed pipeline and uploads nothing.
                if args::has(&items, &["--dry-run"]) {
                    return Some(Outcome::default().effect(read(inv.path(file), false)));
                }
                send_file(inv, &mut payload, file, false);
            } else if args::has(&items, &["--dry-run"]) {
                return Some(Outcome::default());
            }
            ("POST", format!("{endpoint}/jobs/pipelines"))
        }
        ["meta-data", "set", rest @ ..] | ["annotate", rest @ ..] => {
            for text in rest {
                flow::push_text(&mut payload, text);
            }
            for arg in args::positionals(&items) {
                flow::merge(&mut payload, &arg.expansions());
            }
            let path = if words.first() == Some(&"annotate") {
                "annotations"
            } else {
                "data/set"
            };
            ("POST", format!("{endpoint}/jobs/{path}"))
        }
        _ => return None,
    };
    Some(Outcome::default().effect(request(inv.program, url(&target), method, payload, false)))
}

/// JFrog CLI options that take a value (`--name value` or `--name=value`;
/// its booleans are written `--flat=true`).
const JFROG_VALUES: &[&str] = &[
    "url",
    "user",
    "password",
    "access-token",
    "apikey",
    "server-id",
    "spec",
    "spec-vars",
    "props",
    "target-props",
    "exclude-props",
    "exclusions",
    "build-name",
    "build-number",
    "module",
    "project",
    "threads",
    "retries",
    "retry-wait-time",
    "split-count",
    "min-split",
    "chunk-size",
    "sync-deletes",
    "archive",
    "deb",
    "format",
    "ssh-passphrase",
    "ssh-key-path",
    "client-cert-path",
    "client-cert-key-path",
    "sort-by",
    "sort-order",
    "limit",
    "offset",
    "bundle",
    "repo",
];

/// `jf rt` commands that configure the CLI or collect build-info here.
const JFROG_LOCAL: &[&str] = &[
    "c",
    "config",
    "use",
    "bce",
    "build-collect-env",
    "bag",
    "build-add-git",
    "bad",
    "build-add-dependencies",
    "bc",
    "build-clean",
];

/// The JFrog CLI's options whose value authenticates to the server.
const JFROG_CREDENTIALS: &[&str] = &["--access-token", "--password", "--user", "--apikey"];

/// `jf rt upload|u SOURCE TARGET --url URL` (and `jfrog rt ...`) sends
/// SOURCE, a path or pattern, recursively unless `--recursive=false`, to
/// the Artifactory at URL, with its properties and credentials
/// (`--access-token`, `--password`, `--user`, `--apikey`, and their
/// `JF_*` variables); `--spec FILE` reads the files to send from FILE,
/// which only the CLI reads. `rt download|dl SOURCE [TARGET]` writes
/// TARGET (the working directory) and fetches SOURCE with the
/// credentials; `rt delete|del` deletes at URL; copies, moves, property
/// changes and build publishing change things there; searches and other
/// reads given credentials present them to URL. Without `--url` the
/// server is one the user configured with `jf config add`, which the line
/// cannot place: the files read are reported, no request (as `p4` with no
/// server). `--dry-run` sends nothing.
fn jfrog(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: JFROG_VALUES,
            stop_after: None,
        },
    );
    let words = positional_words(&items);
    let (verb, operands) = match words.as_slice() {
        ["rt", verb, operands @ ..] => (*verb, operands),
        _ => return None,
    };
    let server = args::value(&items, &["--url"])
        .map(|u| u.text.trim_end_matches('/'))
        .filter(|u| !u.is_empty());
    let dry_run = args::has(&items, &["--dry-run"])
        && args::value(&items, &["--dry-run"]).is_none_or(|v| v.text != "false");
    let at = |path: &str| server.map(|s| format!("{s}/{}", path.trim_start_matches('/')));
    let mut outcome = Outcome::default();
    match verb {
        "u" | "upload" => {
            let recursive = args::value(&items, &["--recursive"]).is_none_or(|v| v.text != "false");
            let mut payload = credentials(inv, &items, JFROG_CREDENTIALS);
            for props in args::values(&items, &["--props", "--target-props"]) {
                flow::merge(&mut payload, &props.payload());
            }
            if let Some(spec) = args::value(&items, &["--spec"]) {
                outcome.read(inv.path(&spec.text), false);
            }
            let (source, target) = match operands {
                [source, target, ..] => (Some(*source), *target),
                [source] => (Some(*source), ""),
                [] => (None, ""),
            };
            if let Some(source) = source {
                send_file(inv, &mut payload, source, recursive);
                outcome.read(inv.path(source), recursive);
            }
            if let Some(target) = at(target).filter(|_| !dry_run) {
                outcome
                    .effects
                    .push(request(inv.program, url(&target), "UPLOAD", payload, false));
            }
        }
        "dl" | "download" => {
            let local = operands.get(1).copied().unwrap_or(".");
            if let Some(source) = operands.first().and_then(|s| at(s)).filter(|_| !dry_run) {
                outcome.effects.push(request(
                    inv.program,
                    url(&source),
                    "DOWNLOAD",
                    credentials(inv, &items, JFROG_CREDENTIALS),
                    false,
                ));
            }
            if !dry_run {
                outcome.write(inv.path(local), false);
            }
        }
        "del" | "delete" | "cp" | "copy" | "mv" | "move" | "sp" | "set-props" | "delp"
        | "delete-props" | "bp" | "build-publish" | "bpr" | "build-promote" | "bdi"
        | "build-discard" => {
            let method = if matches!(verb, "del" | "delete") {
                "DELETE"
            } else {
                "POST"
            };
            let mut payload = credentials(inv, &items, JFROG_CREDENTIALS);
            for operand in operands {
                flow::push_text(&mut payload, operand);
            }
            let path = operands.first().copied().unwrap_or_default();
            if let Some(target) = at(path).filter(|_| !dry_run) {
                outcome
                    .effects
                    .push(request(inv.program, url(&target), method, payload, false));
            }
        }
        _ if JFROG_LOCAL.contains(&verb) => {}
        // Searches and listings: their arguments name remote paths; the
        // credentials they are given go with them.
        _ => {
            let payload = credentials(inv, &items, JFROG_CREDENTIALS);
            if let Some(target) = at(operands.first().copied().unwrap_or_default())
                .filter(|_| !dry_run && payload != Payload::default())
            {
                outcome
                    .effects
                    .push(request(inv.program, url(&target), "GET", payload, false));
            }
        }
    }
    Some(outcome)
}

/// `toot` subcommands that post, or change what the account follows,
/// boosts, pins or deletes, on its Mastodon instance.
const TOOT_CHANGES: &[&str] = &[
    "post",
    "reply",
    "upload",
    "delete",
    "follow",
    "unfollow",
    "reblog",
    "unreblog",
    "favourite",
    "unfavourite",
    "pin",
    "unpin",
    "bookmark",
    "unbookmark",
    "mute",
    "unmute",
    "block",
    "unblock",
    "update_account",
];

/// `toot COMMAND [OPTIONS] [TEXT]`: Mastodon's CLI. A post (`post`,
/// `reply`, `upload`) sends its text, its media (`-m`/`--media`) and
/// standard input to the instance of the account `-u`/`--using
/// USER@INSTANCE` names, else of the account it logged in with (a host
/// the line does not name); it is public unless `--visibility` says
/// `unlisted`, `private` or `direct`. The other changes send their
/// arguments there; timelines, searches and the rest read.
fn toot(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "mvluspt",
            long: &[
                "media",
                "description",
                "thumbnail",
                "visibility",
                "language",
                "using",
                "spoiler-text",
                "reply-to",
                "scheduled-at",
                "scheduled-in",
                "content-type",
                "poll-option",
                "poll-expires-in",
                "editor",
            ],
            stop_after: None,
        },
    );
    let words = args::positionals(&items);
    let (command, rest) = words.split_first()?;
    if !TOOT_CHANGES.contains(&command.text.as_str()) {
        return Some(Outcome::default());
    }
    let mut payload = Payload::default();
    for word in rest {
        flow::merge(&mut payload, &word.payload());
    }
    for text in args::values(
        &items,
        &["--spoiler-text", "--description", "--poll-option"],
    ) {
        flow::merge(&mut payload, &text.payload());
    }
    for file in args::values(&items, &["-m", "--media", "--thumbnail"]) {
        send_file(inv, &mut payload, &file.text, false);
    }
    if command.text == "upload" {
        for file in rest {
            send_file(inv, &mut payload, &file.text, false);
        }
    }
    let host = args::value(&items, &["-u", "--using"])
        .and_then(|account| {
            account
                .text
                .rsplit_once('@')
                .map(|(_, host)| host.to_owned())
        })
        .unwrap_or_else(|| "mastodon-instance".to_owned());
    let posts = matches!(command.text.as_str(), "post" | "reply" | "upload");
    let public = posts
        && args::value(&items, &["-v", "--visibility"])
            .is_none_or(|v| v.text.eq_ignore_ascii_case("public"));
    Some(Outcome::default().effect(request(
        inv.program,
        url(&format!("https://{host}/api/v1/statuses")),
        "POST",
        payload,
        public,
    )))
}

/// `twurl [OPTIONS] PATH` is a request to Twitter's API (`-H HOST`,
/// default `api.twitter.com`; `-U` for plain HTTP): a POST when it sends
/// data (`-d`, `-r`, `-f FILE`), else `-X`'s method or a GET. It carries
/// its data, headers (`-A`), the uploaded file and the credentials it is
/// given. `authorize`, `accounts`, `alias` and `set` manage its own
/// configuration.
fn twurl(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "drAHXPfFcsaSup",
            long: &[
                "data",
                "raw-data",
                "header",
                "host",
                "request-method",
                "proxy",
                "file",
                "file-field",
                "consumer-key",
                "consumer-secret",
                "access-token",
                "token-secret",
                "username",
                "password",
                "timeout",
                "connection-timeout",
            ],
            stop_after: None,
        },
    );
    let words = positional_words(&items);
    let path = match words.as_slice() {
        [
            "authorize" | "accounts" | "alias" | "set" | "bearer_tokens" | "version",
            ..,
        ]
        | [] => {
            return Some(Outcome::default());
        }
        [path, ..] => *path,
    };
    let mut payload = credentials(
        inv,
        &items,
        &[
            "-c",
            "--consumer-key",
            "-s",
            "--consumer-secret",
            "-a",
            "--access-token",
            "-S",
            "--token-secret",
            "-p",
            "--password",
        ],
    );
    let data = args::values(
        &items,
        &["-d", "--data", "-r", "--raw-data", "-A", "--header"],
    );
    for value in &data {
        flow::merge(&mut payload, &value.payload());
    }
    let file = args::value(&items, &["-f", "--file"]);
    if let Some(file) = file {
        send_file(inv, &mut payload, &file.text, false);
    }
    let sends = file.is_some() || args::has(&items, &["-d", "--data", "-r", "--raw-data"]);
    let method = match args::value(&items, &["-X", "--request-method"]) {
        Some(method) => method.text.to_ascii_uppercase(),
        None if sends => "POST".to_owned(),
        None => "GET".to_owned(),
    };
    let host =
        args::value(&items, &["-H", "--host"]).map_or("api.twitter.com", |h| h.text.as_str());
    let base = if host.contains("://") {
        host.trim_end_matches('/').to_owned()
    } else if args::has(&items, &["-U", "--no-ssl"]) {
        format!("http://{host}")
    } else {
        format!("https://{host}")
    };
    let target = if path.contains("://") {
        path.to_owned()
    } else {
        format!("{base}/{}", path.trim_start_matches('/'))
    };
    Some(Outcome::default().effect(request(inv.program, url(&target), &method, payload, false)))
}

/// Cloudinary Upload and Admin API functions that change something
/// (`uploader destroy`, `admin delete_resources`, `admin update`).
fn cloudinary_changes(function: &str) -> bool {
    matches!(
        function,
        "destroy" | "rename" | "explicit" | "explode" | "text" | "create_archive" | "multi"
    ) || [
        "delete", "update", "create", "add", "remove", "replace", "restore", "rename",
    ]
    .iter()
    .any(|verb| function.starts_with(verb))
}

/// `cld [-c CLOUDINARY_URL | -C NAME] COMMAND ...` calls Cloudinary's API
/// (`api.cloudinary.com`, for the cloud the configuration names):
/// `uploader upload FILE`, `upload FILE` and `upload_dir DIR` send what
/// they name (a URL is fetched by Cloudinary, not read here), `sync --push
/// DIR FOLDER` sends DIR, and Upload and Admin functions that delete,
/// update, create or rename change it there. The configuration URL's
/// credentials (`-c`, `CLOUDINARY_URL`) go with each.
fn cloudinary(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cCfpt",
            long: &[
                "config",
                "config_saved",
                "folder",
                "preset",
                "transformation",
                "exclude_dir_name",
            ],
            stop_after: None,
        },
    );
    let words = positional_words(&items);
    let config = args::value(&items, &["-c", "--config"]);
    let env_config = inv.env_value("CLOUDINARY_URL");
    let cloud = config
        .or(env_config)
        .and_then(|c| c.text.rsplit_once('@'))
        .map(|(_, cloud)| cloud.trim_end_matches('/'))
        .filter(|c| !c.is_empty() && !c.contains('/'));
    let mut payload = credentials(inv, &items, &["-c", "--config"]);
    let send_local = |payload: &mut Payload, text: &str, recursive: bool| {
        if text.contains("://") {
            flow::push_text(payload, text);
        } else {
            send_file(inv, payload, text, recursive);
        }
    };
    let (method, function) = match words.as_slice() {
        ["uploader", "upload", file, params @ ..] | ["upload", file, params @ ..] => {
            send_local(&mut payload, file, false);
            for param in params {
                flow::push_text(&mut payload, param);
            }
            ("UPLOAD", "auto/upload")
        }
        ["upload_dir", rest @ ..] => {
            send_local(&mut payload, rest.first().copied().unwrap_or("."), true);
            ("UPLOAD", "auto/upload")
        }
        ["sync", local, ..] if args::has(&items, &["--push"]) => {
            send_local(&mut payload, local, true);
            ("UPLOAD", "auto/upload")
        }
        ["uploader" | "admin", function, params @ ..] if cloudinary_changes(function) => {
            for param in params {
                flow::push_text(&mut payload, param);
            }
            let method = if *function == "destroy" || function.starts_with("delete") {
                "DELETE"
            } else {
                "POST"
            };
            (method, "resources")
        }
        // Reads, URLs built locally: their arguments name remote assets.
        _ => return Some(Outcome::default()),
    };
    let target = match cloud {
        Some(cloud) => format!("https://api.cloudinary.com/v1_1/{cloud}/{function}"),
        None => format!("https://api.cloudinary.com/v1_1/{function}"),
    };
    Some(Outcome::default().effect(request(inv.program, url(&target), method, payload, false)))
}

/// `youtube-upload [OPTIONS] VIDEO...` (tokland's) uploads each VIDEO,
/// with `--thumbnail` and the title, description (`--description-file`)
/// and tags, to YouTube's upload API: public unless `--privacy` says
/// `unlisted` or `private`.
fn youtube_upload(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tcd",
            long: &[
                "title",
                "category",
                "description",
                "description-file",
                "tags",
                "privacy",
                "publish-at",
                "license",
                "location",
                "recording-date",
                "default-language",
                "default-audio-language",
                "thumbnail",
                "playlist",
                "title-template",
                "embeddable",
                "client-secrets",
                "credentials-file",
                "chunksize",
            ],
            stop_after: None,
        },
    );
    let videos = args::positionals(&items);
    if videos.is_empty() {
        return None;
    }
    let mut payload = Payload::default();
    for text in args::values(
        &items,
        &[
            "-t",
            "--title",
            "-d",
            "--description",
            "--tags",
            "--playlist",
        ],
    ) {
        flow::merge(&mut payload, &text.payload());
    }
    for file in args::values(&items, &["--thumbnail", "--description-file"]) {
        send_file(inv, &mut payload, &file.text, false);
    }
    for video in videos {
        flow::merge(&mut payload, &video.expansions());
        send_file(inv, &mut payload, &video.text, false);
    }
    let public = args::value(&items, &["--privacy"]).is_none_or(|p| p.text == "public");
    Some(Outcome::default().effect(request(
        inv.program,
        url("https://www.googleapis.com/upload/youtube/v3/videos"),
        "UPLOAD",
        payload,
        public,
    )))
}

/// The OSF's file service, where `osf` uploads and deletes.
const OSF_FILES: &str = "https://files.osf.io/v1/resources";

/// `osf [-u USER] [-p PROJECT] COMMAND` (osfclient) works on an OSF
/// project (`-p`, `OSF_PROJECT`): `upload [-r] SOURCE DESTINATION` sends
/// SOURCE (a tree with `-r`) to DESTINATION in the project's storage
/// (`osfstorage/` unless DESTINATION names another), `remove|rm TARGET`
/// deletes there, `fetch REMOTE [LOCAL]` and `clone [DIR]` write local
/// files. The password (`OSF_PASSWORD`) or token (`OSF_TOKEN`) goes with
/// each request.
fn osf(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "up",
            long: &["username", "project"],
            stop_after: None,
        },
    );
    let words = positional_words(&items);
    let project = args::value(&items, &["-p", "--project"])
        .or_else(|| inv.env_value("OSF_PROJECT"))
        .map_or("", |p| p.text.as_str());
    let remote = |path: &str| {
        let path = path.trim_start_matches('/');
        let (storage, path) = match path.split_once('/') {
            Some((storage, rest)) if OSF_STORAGES.contains(&storage) => (storage, rest),
            _ => ("osfstorage", path),
        };
        format!("{OSF_FILES}/{project}/providers/{storage}/{path}")
    };
    let mut payload = credentials(inv, &[], &[]);
    let mut outcome = Outcome::default();
    match words.as_slice() {
        ["upload", source, destination, ..] => {
            let recursive = args::has(&items, &["-r", "--recursive"]);
            send_file(inv, &mut payload, source, recursive);
            outcome.effects.push(request(
                inv.program,
                url(&remote(destination)),
                "UPLOAD",
                payload,
                false,
            ));
        }
        ["remove" | "rm", target, ..] => {
            outcome.effects.push(request(
                inv.program,
                url(&remote(target)),
                "DELETE",
                payload,
                false,
            ));
        }
        ["fetch", source, rest @ ..] => {
            let local = rest
                .first()
                .copied()
                .unwrap_or_else(|| paths::basename(source));
            outcome.write(inv.path(local), false);
        }
        ["clone", rest @ ..] => {
            let local = rest.first().copied().unwrap_or(project);
            outcome.write(inv.path(local), false);
        }
        _ => {}
    }
    Some(outcome)
}

/// Storage providers an OSF path may start with.
const OSF_STORAGES: &[&str] = &[
    "osfstorage",
    "github",
    "gitlab",
    "googledrive",
    "dropbox",
    "box",
    "figshare",
    "owncloud",
    "s3",
    "onedrive",
    "dataverse",
    "bitbucket",
];

/// Globus's transfer service, which every `globus` transfer goes through.
const GLOBUS_TRANSFER: &str = "https://transfer.api.globus.org/v0.10";

/// `ENDPOINT:PATH` as `(endpoint, path)`; an endpoint written as a
/// command substitution keeps its colons (`$(globus endpoint
/// local-id):~/data`).
fn endpoint_path(arg: &Arg) -> (&str, &str) {
    let text = arg.text.as_str();
    let skip = if text.starts_with("$(") {
        text.find(')').map_or(0, |end| end + 1)
    } else {
        0
    };
    let (head, tail) = text.split_at(skip.min(text.len()));
    match tail.split_once(':') {
        Some((rest, path)) => (text.get(..head.len() + rest.len()).unwrap_or(text), path),
        None => (text, ""),
    }
}

/// True when the endpoint is this machine's Globus Connect Personal one,
/// written as the command that prints its id (`$(globus endpoint
/// local-id)`).
fn is_local_endpoint(arg: &Arg) -> bool {
    arg.substitutions
        .iter()
        .any(|s| s.contains("globus") && s.contains("local-id"))
}

/// A path on this machine's Globus Connect Personal endpoint: absolute, or
/// under home (`~/x`, `/~/x`, a relative path).
fn local_endpoint_path(inv: &Invocation<'_>, path: &str) -> String {
    match path.strip_prefix("/~").or_else(|| path.strip_prefix('~')) {
        Some(rest) => paths::resolve(inv.home, inv.home, rest.trim_start_matches('/')),
        None => paths::resolve(inv.home, inv.home, path),
    }
}

/// Who a Globus rule or role is for: `--identity ID` (or
/// `--provision-identity`), `--group GID`; `None` for everyone
/// (`--anonymous`, `--all-authenticated`) or no one named.
fn globus_principal(items: &[Item<'_>]) -> Option<String> {
    args::value(items, &["--identity", "--provision-identity"])
        .map(|identity| identity.text.clone())
        .or_else(|| args::value(items, &["--group"]).map(|g| format!("group {}", g.text)))
}

/// A Globus access change named by its kind and id (`endpoint E rule R`).
fn globus_change(resource: String, grantee: Option<String>) -> Effect {
    Effect::GrantAccess {
        resource: Resource::Other { name: resource },
        grantee,
    }
}

/// Globus's access commands, each a change of who may reach what:
/// `endpoint permission create EP:PATH --permissions r|rw` gives the
/// principal (`--identity`, `--group`) access to PATH, or makes it public
/// (`--anonymous`, `--all-authenticated`: anyone with a Globus login);
/// `endpoint permission update|delete EP RULE` change or remove a rule;
/// `endpoint role create|delete`, `gcs collection|endpoint role
/// create|delete ID ROLE PRINCIPAL` a role on an endpoint or collection;
/// `group member add|invite|approve|remove GROUP USER` a group's members.
/// Empty for any other command.
fn globus_access(inv: &Invocation<'_>, items: &[Item<'_>], positional: &[&Arg]) -> Vec<Effect> {
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let role = args::value(items, &["--role"]).map(|r| r.text.clone());
    let with_role = |resource: String| match &role {
        Some(role) => format!("{resource} (role {role})"),
        None => resource,
    };
    let effect = match words.as_slice() {
        ["endpoint", "permission", "create", ..] => {
            let Some(target) = positional.get(3) else {
                return Vec::new();
            };
            let (endpoint, path) = endpoint_path(target);
            let resource = if path.is_empty() {
                format!("globus endpoint {endpoint}")
            } else {
                local_endpoint_path(inv, path)
            };
            if args::has(items, &["--anonymous", "--all-authenticated"]) {
                Effect::MakePublic {
                    resource: Resource::Other { name: resource },
                }
            } else {
                globus_change(resource, globus_principal(items))
            }
        }
        [
            "endpoint",
            "permission",
            "update" | "delete",
            endpoint,
            rule,
            ..,
        ] => globus_change(format!("globus endpoint {endpoint} rule {rule}"), None),
        ["endpoint", "role", "create", endpoint, ..] => globus_change(
            with_role(format!("globus endpoint {endpoint}")),
            globus_principal(items),
        ),
        ["endpoint", "role", "delete", endpoint, role_id, ..] => {
            globus_change(format!("globus endpoint {endpoint} role {role_id}"), None)
        }
        [
            "gcs",
            kind @ ("collection" | "endpoint"),
            "role",
            "create" | "delete",
            id,
            role,
            principal @ ..,
        ] => globus_change(
            format!("globus {kind} {id} (role {role})"),
            principal.first().map(|p| (*p).to_owned()),
        ),
        [
            "group",
            "member",
            "add" | "invite" | "approve" | "remove",
            group,
            user,
            ..,
        ] => globus_change(
            with_role(format!("globus group {group}")),
            Some((*user).to_owned()),
        ),
        _ => return Vec::new(),
    };
    vec![effect]
}

/// `globus transfer SOURCE_EP:PATH DEST_EP:PATH [-r] [--label L]` asks/// `globus transfer SOURCE_EP:PATH DEST_EP:PATH [-r] [--label L]` asks
/// Globus's transfer service to move the source files to the destination
/// endpoint, which no deployment fact places: a send to
/// `transfer.api.globus.org` carrying the paths and label, and the local
/// files when the source is this machine's own endpoint (`$(globus
/// endpoint local-id):PATH`); a transfer to this machine's endpoint
/// writes its path. `delete`/`rm` deletes at an endpoint, `mkdir` and
/// `rename` change one. `--dry-run` sends nothing.
fn globus(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "sF",
            long: &[
                "label",
                "batch",
                "sync-level",
                "submission-id",
                "deadline",
                "notify",
                "filter-rule",
                "include",
                "exclude",
                "external-checksum",
                "checksum-algorithm",
                "source-local-user",
                "destination-local-user",
                "perf-cc",
                "perf-p",
                "perf-pp",
                "perf-udt",
                "format",
                "jmespath",
                "jq",
                "map-http-status",
                "permissions",
                "identity",
                "provision-identity",
                "group",
                "role",
                "principal-type",
                "notify-email",
                "notify-message",
                "expiration-date",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let access = globus_access(inv, &items, &positional);
    if !access.is_empty() {
        let mut outcome = Outcome::default();
        outcome.effects.extend(access);
        return Some(outcome);
    }
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let mut payload = Payload::default();
    for label in args::values(&items, &["--label"]) {
        flow::merge(&mut payload, &label.payload());
    }
    let mut outcome = Outcome::default();
    let (method, path) = match (words.as_slice(), positional.as_slice()) {
        (["transfer", ..], [_, source, destination, ..]) => {
            if args::has(&items, &["--dry-run"]) {
                return Some(outcome);
            }
            let recursive = args::has(&items, &["-r", "--recursive"]);
            if let Some(batch) = args::value(&items, &["--batch"]) {
                outcome.read(inv.path(&batch.text), false);
            }
            let (_, source_path) = endpoint_path(source);
            let (_, destination_path) = endpoint_path(destination);
            let source_local = is_local_endpoint(source);
            if source_local && !source_path.is_empty() {
                let local = local_endpoint_path(inv, source_path);
                outcome.read(local.clone(), recursive);
                flow::push_file(
                    &mut payload,
                    FileRef {
                        path: local,
                        recursive,
                        excludes: Vec::new(),
                    },
                );
            } else {
                flow::push_text(&mut payload, &source.text);
            }
            if is_local_endpoint(destination) && !source_local {
                if !destination_path.is_empty() {
                    outcome.write(local_endpoint_path(inv, destination_path), false);
                }
                // What comes back is fetched; nothing local goes out.
                payload = Payload::default();
                ("DOWNLOAD", "transfer")
            } else {
                flow::push_text(&mut payload, &destination.text);
                ("UPLOAD", "transfer")
            }
        }
        (["delete" | "rm", ..], [_, target, ..]) => {
            flow::push_text(&mut payload, &target.text);
            ("DELETE", "delete")
        }
        (["mkdir" | "rename", ..], [_, target, ..]) => {
            flow::push_text(&mut payload, &target.text);
            ("POST", "operation")
        }
        // Listings, logins, task queries: their arguments name remote things.
        _ => return Some(outcome),
    };
    outcome.effects.push(request(
        inv.program,
        url(&format!("{GLOBUS_TRANSFER}/{path}")),
        method,
        payload,
        false,
    ));
    Some(outcome)
}

/// Where Lighthouse CI's `temporary-public-storage` target puts reports:
/// a public link anyone can open.
const LHCI_PUBLIC_STORAGE: &str =
    "https://us-central1-lighthouse-infrastructure.cloudfunctions.net/saveHtml";

/// The value of a Lighthouse CI option (`--serverBaseUrl=URL`, `--target
/// lhci`) after `prefix` (`--`, or `--upload.` for `autorun`), its name
/// compared as yargs does: `--server-base-url` is `--serverBaseUrl`.
fn lhci_option(args: &[Arg], prefix: &str, name: &str) -> Option<String> {
    let same = |written: &str| {
        written
            .chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .eq(name.chars().map(|c| c.to_ascii_lowercase()))
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let Some(option) = arg.text.strip_prefix(prefix) else {
            continue;
        };
        match option.split_once('=') {
            Some((written, value)) if same(written) => return Some(value.to_owned()),
            None if same(option) => return iter.next().map(|v| v.text.clone()),
            _ => {}
        }
    }
    None
}

/// `lhci upload [--target=T]` (and `lhci autorun --upload.target=T`):
/// the reports in `.lighthouseci/` and the build token go to a public link
/// (`temporary-public-storage`) or to the LHCI server `--serverBaseUrl`
/// names (`lhci`, the default); `filesystem` writes them locally.
fn lighthouse_ci(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    let prefix = match verb.text.as_str() {
        "upload" => "--",
        "autorun" => "--upload.",
        _ => return None,
    };
    let value = |name: &str| lhci_option(rest, prefix, name);
    let target = value("target").or_else(|| (verb.text == "upload").then(|| "lhci".to_owned()));
    let (destination, public) = match target.as_deref() {
        Some("temporary-public-storage") => (LHCI_PUBLIC_STORAGE.to_owned(), true),
        Some("lhci") => match value("serverBaseUrl") {
            Some(server) => (base_url(&server), false),
            // The server is in the configuration file.
            None => return Some(Outcome::default()),
        },
        _ => return Some(Outcome::default()),
    };
    let mut payload = arguments_payload(inv);
    flow::merge(&mut payload, &credentials(inv, &[], &[]));
    send_file(inv, &mut payload, ".lighthouseci", true);
    Some(Outcome::default().effect(request(
        inv.program,
        url(&destination),
        "POST",
        payload,
        public,
    )))
}

/// Cypress Cloud's API, where `cypress run --record` sends the run.
const CYPRESS_CLOUD: &str = "https://api.cypress.io/";

/// `cypress run` options that take a value.
const CYPRESS_RUN_SPEC: Spec<'static> = Spec {
    short: "bcCeokprsPt",
    long: &[
        "browser",
        "ci-build-id",
        "config",
        "config-file",
        "env",
        "group",
        "key",
        "port",
        "project",
        "reporter",
        "reporter-options",
        "spec",
        "tag",
        "testing-type",
        "auto-cancel-after-failures",
    ],
    stop_after: None,
};

/// `cypress run --record [--key K]` records the run (results, screenshots,
/// videos) in Cypress Cloud with its record key (`--key` or
/// `CYPRESS_RECORD_KEY`); without `--record` (or with `--record=false`) the
/// run stays local.
fn cypress(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    if verb.text != "run" {
        return None;
    }
    let items = args::parse(rest, &CYPRESS_RUN_SPEC);
    let records = items.iter().any(|item| match item {
        Item::Opt { name, value } => {
            name == "--record" && value.as_ref().is_none_or(|v| v.text != "false")
        }
        Item::Pos(_) => false,
    });
    let mut outcome = Outcome::default();
    if records {
        let mut payload = arguments_payload(inv);
        flow::merge(&mut payload, &credentials(inv, &[], &[]));
        outcome.effects.push(request(
            inv.program,
            url(CYPRESS_CLOUD),
            "POST",
            payload,
            false,
        ));
    }
    Some(outcome)
}

/// Chromatic's API, where the Storybook build is published.
const CHROMATIC_API: &str = "https://index.chromatic.com/";

/// `chromatic [--project-token T] [-d DIR]` builds the Storybook (or takes
/// the build in `-d`/`--storybook-build-dir`) and publishes it to
/// Chromatic with the project token (`-t`, `--project-token`,
/// `CHROMATIC_PROJECT_TOKEN`). `--dry-run` publishes nothing.
fn chromatic(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tbdoc",
            long: &[
                "project-token",
                "build-script-name",
                "build-command",
                "storybook-build-dir",
                "output-dir",
                "config-file",
                "branch-name",
                "patch-build",
                "storybook-base-dir",
                "storybook-config-dir",
                "repository-slug",
                "app-id",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["--dry-run", "--help", "-h", "--version"]) {
        return Some(outcome);
    }
    let mut payload = arguments_payload(inv);
    flow::merge(&mut payload, &credentials(inv, &[], &[]));
    for dir in args::values(&items, &["-d", "--storybook-build-dir"]) {
        send_file(inv, &mut payload, &dir.text, true);
    }
    outcome.effects.push(request(
        inv.program,
        url(CHROMATIC_API),
        "POST",
        payload,
        false,
    ));
    Some(outcome)
}

/// Percy's API.
const PERCY_API: &str = "https://percy.io/api/v1";

/// `percy exec [OPTIONS] -- CMD...` runs CMD (a nested command) and
/// uploads the snapshots it takes; `percy snapshot DIR|FILE|URL` and
/// `percy upload DIR` upload a static site or images. The token is
/// `PERCY_TOKEN`'s. `-d`/`--dry-run` uploads nothing.
fn percy(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    let runs_command = matches!(verb.text.as_str(), "exec" | "app:exec");
    if !runs_command && !matches!(verb.text.as_str(), "snapshot" | "upload") {
        return None;
    }
    let items = args::parse(
        rest,
        &Spec {
            short: "Pchtbfi",
            long: &[
                "port",
                "config",
                "allowed-hostname",
                "disallowed-hostname",
                "network-idle-timeout",
                "labels",
                "base-url",
                "include",
                "exclude",
                "files",
                "ignore",
            ],
            stop_after: runs_command.then_some(1),
        },
    );
    let positionals = args::positionals(&items);
    let mut outcome = Outcome::default();
    if runs_command && !positionals.is_empty() {
        outcome.nested.push(super::Nested::Argv {
            argv: positionals.iter().map(|a| (*a).clone()).collect(),
            env: Vec::new(),
            cwd: None,
        });
    }
    if args::has(&items, &["-d", "--dry-run"]) {
        return Some(outcome);
    }
    let mut payload = Payload::default();
    if runs_command {
        for (_, value) in args::options(&items) {
            flow::merge(&mut payload, &value.payload());
        }
    } else {
        for arg in rest {
            flow::merge(&mut payload, &arg.payload());
        }
        for source in positionals.iter().filter(|a| !a.text.contains("://")) {
            send_file(inv, &mut payload, &source.text, true);
        }
    }
    flow::merge(&mut payload, &credentials(inv, &[], &[]));
    outcome.effects.push(request(
        inv.program,
        url(&format!("{PERCY_API}/builds")),
        "POST",
        payload,
        false,
    ));
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_split_from_their_paths() {
        let plain = Arg::literal("5f1e2d3c-aaaa:/project/data/");
        assert_eq!(endpoint_path(&plain), ("5f1e2d3c-aaaa", "/project/data/"));
        let local = Arg::literal("$(globus endpoint local-id):~/data");
        assert_eq!(
            endpoint_path(&local),
            ("$(globus endpoint local-id)", "~/data")
        );
        let bare = Arg::literal("5f1e2d3c-aaaa");
        assert_eq!(endpoint_path(&bare), ("5f1e2d3c-aaaa", ""));
    }

    #[test]
    fn cloudinary_functions_that_change() {
        assert!(cloudinary_changes("destroy"));
        assert!(cloudinary_changes("delete_resources_by_tag"));
        assert!(!cloudinary_changes("resources"));
        assert!(!cloudinary_changes("usage"));
    }

    #[test]
    fn base_urls_get_a_scheme() {
        assert_eq!(base_url("ci.example.com/"), "https://ci.example.com");
        assert_eq!(base_url("http://ci.local"), "http://ci.local");
    }
}
