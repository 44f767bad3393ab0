//! CI/CD jobs and pipelines started from the command line. A run given a
//! parameter that names the environment it deploys to
//! ([`is_environment_parameter`]: `-p ENVIRONMENT=production`,
//! `--variables DEPLOY_ENV:production`) is a [`Deploy`] to that
//! environment, as `gh workflow run deploy.yml -f environment=E` is; the
//! organisation's list of production environments decides whether it is a
//! production change. A run with no such parameter (a build, a test run)
//! deploys nothing this reading can name.
//!
//! Jenkins' CLI (`java -jar jenkins-cli.jar ... build JOB -p K=V`), Tekton
//! (`tkn pipeline start`) and Argo Workflows (`argo submit`) are read here
//! whole; for glab, CircleCI and Buildkite, whose requests their own
//! modules read, [`added`] gives the deploys their runs' parameters name.
//! The same runs made through the vendors' REST APIs (curl, an HTTP
//! gateway) are read in `writ-core`'s `web_api`, with the same names.
//!
//! Runners that register this machine with a forge (GitHub's `config.sh`,
//! `gitlab-runner register`) are read in `registration.rs`.

mod registration;

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Spec};
use crate::{Deploy, Effect, Kubectl, Payload, flow};

/// Whether a CI parameter, variable or workflow input called `key` names
/// the environment a run deploys to: a workflow's own names
/// ([`super::WORKFLOW_ENVIRONMENT_INPUTS`]: `environment`, `env`, `stage`,
/// `target`, ...) and any name whose last word is `env` or `environment`
/// (`DEPLOY_ENV`, `TARGET_ENVIRONMENT`, `deployEnv`, `env_name`), ignoring
/// case. A framework's runtime mode (`NODE_ENV`, `RAILS_ENV`, ...) is not
/// one: a build asks for production assets with it, and deploys nothing.
pub fn is_environment_parameter(key: &str) -> bool {
    let words = key_words(key);
    let joined = words.join("_");
    if super::WORKFLOW_ENVIRONMENT_INPUTS.contains(&joined.as_str())
        || matches!(
            joined.as_str(),
            "targetenv" | "deployenv" | "env_name" | "environment_name" | "envname"
        )
    {
        return true;
    }
    if RUNTIME_MODES.contains(&joined.as_str()) {
        return false;
    }
    matches!(
        words.last().map(String::as_str),
        Some("env" | "environment")
    )
}

/// Variables by which a framework or runtime chooses its own mode of
/// running or building, not a place to deploy to.
const RUNTIME_MODES: &[&str] = &[
    "node_env",
    "babel_env",
    "rails_env",
    "rack_env",
    "flask_env",
    "mix_env",
    "aspnetcore_environment",
    "dotnet_environment",
];

/// `key`'s words, lower case: split at `_`, `-`, `.` and spaces, and where
/// a lower-case letter or digit meets an upper-case one (`deployEnv`).
fn key_words(key: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in key.trim().chars() {
        if matches!(c, '_' | '-' | '.' | ' ') {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A [`Deploy`] by `program` for each `(key, value)` whose key names an
/// environment, to the value (each of a comma-separated list's, when
/// `lists`: `-p env=staging,prod` of tkn's array parameters).
fn parameter_deploys<'a>(
    program: &str,
    service: Option<&str>,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    lists: bool,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    for (key, value) in pairs {
        if !is_environment_parameter(key) {
            continue;
        }
        let values: Vec<&str> = if lists {
            value.split(',').collect()
        } else {
            vec![value]
        };
        for environment in values.into_iter().map(str::trim).filter(|v| !v.is_empty()) {
            effects.push(Effect::Deploy(Deploy {
                program: program.to_owned(),
                environment: environment.to_owned(),
                service: service.map(str::to_owned),
                production: false,
            }));
        }
    }
    effects
}

/// The programs read here whole.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "jenkins-cli" => jenkins_cli(inv, inv.args),
        "java" => jenkins_jar(inv),
        "tkn" => tekton(inv),
        "argo" => argo_submit(inv),
        "config.sh" | "config.cmd" => registration::actions_runner_config(inv),
        "gitlab-runner" | "gitlab-ci-multi-runner" => registration::gitlab_runner(inv),
        _ => None,
    }
}

/// The deploys named by a run of a CI that another module reads:
/// `glab ci run|run-trig` (`--variables`, `--variables-env`, `--input`
/// `KEY:VALUE`), `circleci pipeline run --parameters K=V` and `bk build
/// create|new --env K=V`.
pub(super) fn added(inv: &Invocation<'_>) -> Vec<Effect> {
    match inv.program {
        "glab" => glab_run(inv),
        "circleci" => circleci_run(inv),
        "bk" => buildkite_build(inv),
        _ => Vec::new(),
    }
}

/// `java [OPTIONS] -jar jenkins-cli.jar ARGS`: Jenkins' CLI, named by the
/// jar Jenkins serves it as (`jenkins-cli.jar`, a versioned copy). Any
/// other jar is not known here.
fn jenkins_jar(inv: &Invocation<'_>) -> Option<Outcome> {
    let at = inv.args.iter().position(|a| a.text == "-jar")?;
    let jar = inv.args.get(at + 1)?;
    let name = jar.text.rsplit('/').next().unwrap_or_default();
    if !(name.starts_with("jenkins-cli") && name.ends_with(".jar")) {
        return None;
    }
    jenkins_cli(inv, inv.args.get(at + 2..).unwrap_or_default())
}

/// Jenkins CLI options before its command that take a value.
const JENKINS_VALUES: &[&str] = &["-s", "-i", "-p", "-user", "-logger", "-auth", "-bearer"];

/// Jenkins' CLI: `[-s URL] [-auth USER:TOKEN|@FILE] [-bearer T|@FILE] ...
/// build JOB [-p KEY=VALUE]... [-s] [-v] [-w] [-f]` asks the server (`-s`,
/// else `JENKINS_URL`) to build JOB (`folder/job` in a folder) with those
/// parameters: a `POST` to the job's `buildWithParameters` (`build` with
/// none) carrying them and the credentials, and a deploy to the
/// environment a parameter names. Other commands: [`jenkins_command`].
fn jenkins_cli(inv: &Invocation<'_>, words: &[Arg]) -> Option<Outcome> {
    let mut server = inv.env_value("JENKINS_URL").map(|v| v.text.clone());
    let mut payload = Payload::default();
    let mut at = 0;
    while let Some(word) = words.get(at) {
        let text = word.text.as_str();
        if !text.starts_with('-') {
            break;
        }
        if JENKINS_VALUES.contains(&text) {
            let value = words.get(at + 1);
            match (text, value) {
                ("-s", Some(v)) => server = Some(v.text.clone()),
                ("-auth" | "-bearer", Some(v)) => match v.text.strip_prefix('@') {
                    Some(file) => send_file(inv, &mut payload, file, false),
                    None => flow::merge(&mut payload, &v.payload()),
                },
                _ => {}
            }
            at += 2;
        } else {
            at += 1;
        }
    }
    let command = words.get(at)?.text.as_str();
    if command != "build" {
        return jenkins_command(inv, server, payload, command, words.get(at + 1..)?);
    }
    let items = args::parse(
        words.get(at + 1..).unwrap_or_default(),
        &Spec {
            short: "pr",
            long: &[],
            stop_after: None,
        },
    );
    let job = args::positionals(&items).first()?.text.clone();
    let parameters = args::values(&items, &["-p"]);
    for parameter in &parameters {
        flow::merge(&mut payload, &parameter.payload());
    }
    for name in ["JENKINS_USER_ID", "JENKINS_API_TOKEN"] {
        if let Some(value) = inv.env_value(name) {
            flow::merge(&mut payload, &value.payload());
        }
    }
    let mut outcome = Outcome::default();
    if let Some(server) = server.filter(|s| s.contains("://")) {
        let path: Vec<String> = job
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| format!("job/{s}"))
            .collect();
        let endpoint = if parameters.is_empty() {
            "build"
        } else {
            "buildWithParameters"
        };
        let target = format!(
            "{}/{}/{endpoint}",
            server.trim_end_matches('/'),
            path.join("/")
        );
        outcome
            .effects
            .push(request("jenkins-cli", url(&target), "POST", payload, false));
    }
    outcome.effects.extend(parameter_deploys(
        "jenkins",
        Some(&job),
        parameters.iter().filter_map(|p| p.text.split_once('=')),
        false,
    ));
    Some(outcome)
}

/// Jenkins CLI commands that only read (the rest change the server).
const JENKINS_READS: &[&str] = &[
    "help",
    "version",
    "who-am-i",
    "session-id",
    "list-jobs",
    "list-plugins",
    "list-changes",
    "list-credentials",
    "list-credentials-as-xml",
    "get-credentials-as-xml",
    "get-credentials-domain-as-xml",
    "get-job",
    "get-view",
    "get-node",
    "console",
];

/// A Jenkins CLI command other than `build` goes to the server's `/cli`
/// endpoint with the credentials: a read for the commands of
/// [`JENKINS_READS`], else a change carrying its words and standard input
/// (`groovy = < script.groovy`, `create-job NAME < config.xml`). Without a
/// server it is left to the reading of unknown programs.
fn jenkins_command(
    inv: &Invocation<'_>,
    server: Option<String>,
    mut payload: Payload,
    command: &str,
    rest: &[Arg],
) -> Option<Outcome> {
    let server = server.filter(|s| s.contains("://"))?;
    let target = format!("{}/cli", server.trim_end_matches('/'));
    let method = if JENKINS_READS.contains(&command) {
        "GET"
    } else {
        for word in rest {
            flow::merge(&mut payload, &word.payload());
        }
        if inv.has_stdin {
            flow::merge(&mut payload, inv.stdin);
        }
        "POST"
    };
    for name in ["JENKINS_USER_ID", "JENKINS_API_TOKEN"] {
        if let Some(value) = inv.env_value(name) {
            flow::merge(&mut payload, &value.payload());
        }
    }
    Some(Outcome::default().effect(request("jenkins-cli", url(&target), method, payload, false)))
}

/// `tkn pipeline|task|clustertask start NAME [-p KEY=VALUE]... [-n NS]
/// [-c|--context CTX]` (`p`, `t`, `ct` and `trigger` too): a PipelineRun
/// or TaskRun created in the cluster of CTX (else the current context),
/// which is a change there, and a deploy to the environment a parameter
/// names (an array parameter's every value). `--dry-run` only prints the
/// run.
fn tekton(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cknflLoprsw",
            long: &[
                "context",
                "kubeconfig",
                "namespace",
                "filename",
                "labels",
                "output",
                "param",
                "resource",
                "serviceaccount",
                "workspace",
                "prefix-name",
                "timeout",
                "pipeline-timeout",
                "tasks-timeout",
                "finally-timeout",
                "task-serviceaccount",
                "use-pipelinerun",
                "use-taskrun",
                "pod-template",
                "inputresource",
                "outputresource",
            ],
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let words: Vec<&str> = positionals.iter().map(|a| a.text.as_str()).collect();
    let (kind, name) = match words.as_slice() {
        [
            "pipeline" | "pipelines" | "p",
            "start" | "trigger",
            rest @ ..,
        ] => ("pipelinerun", rest.first().copied()),
        [
            "task" | "tasks" | "t" | "clustertask" | "clustertasks" | "ct",
            "start" | "trigger",
            rest @ ..,
        ] => ("taskrun", rest.first().copied()),
        _ => return None,
    };
    if args::has(&items, &["--dry-run"]) {
        return Some(Outcome::default());
    }
    let parameters = args::values(&items, &["-p", "--param"]);
    let mut outcome = Outcome::default().effect(Effect::Kubectl(Kubectl {
        verb: "create".to_owned(),
        args: std::iter::once(kind)
            .chain(name)
            .map(str::to_owned)
            .collect(),
        context: args::value(&items, &["-c", "--context"]).map(|c| c.text.clone()),
        namespace: args::value(&items, &["-n", "--namespace"]).map(|n| n.text.clone()),
        files: Vec::new(),
        dry_run: false,
        all: false,
    }));
    outcome.effects.extend(parameter_deploys(
        "tkn",
        name,
        parameters.iter().filter_map(|p| p.text.split_once('=')),
        true,
    ));
    Some(outcome)
}

/// `argo submit [FILE...] [--from KIND/NAME] [-p KEY=VALUE]... [-n NS]
/// [--context CTX]`: Argo Workflows creates the workflow in the cluster
/// of CTX (else the current context), a change there, and it deploys to
/// the environment a parameter names. `--dry-run` and `--server-dry-run`
/// create nothing.
fn argo_submit(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pflonsHa",
            long: &[
                "parameter",
                "parameter-file",
                "from",
                "entrypoint",
                "labels",
                "annotations",
                "output",
                "name",
                "generate-name",
                "namespace",
                "context",
                "cluster",
                "user",
                "kubeconfig",
                "serviceaccount",
                "argo-server",
                "argo-base-href",
                "header",
                "instanceid",
                "token",
                "priority",
                "scheduled-time",
                "node-field-selector",
                "request-timeout",
            ],
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    if positionals.first().map(|a| a.text.as_str()) != Some("submit") {
        return None;
    }
    if args::has(&items, &["--dry-run", "--server-dry-run"]) {
        return Some(Outcome::default());
    }
    let files: Vec<&Arg> = positionals.iter().skip(1).copied().collect();
    let from = args::value(&items, &["--from"]).map(|f| f.text.clone());
    let service = from
        .clone()
        .or_else(|| files.first().map(|f| f.text.clone()));
    let mut outcome = Outcome::default().effect(Effect::Kubectl(Kubectl {
        verb: "create".to_owned(),
        args: std::iter::once("workflow".to_owned())
            .chain(from.clone())
            .collect(),
        context: args::value(&items, &["--context"]).map(|c| c.text.clone()),
        namespace: args::value(&items, &["-n", "--namespace"]).map(|n| n.text.clone()),
        files: files
            .iter()
            .map(|f| {
                if f.text == "-" || f.text.contains("://") {
                    f.text.clone()
                } else {
                    inv.path(&f.text)
                }
            })
            .collect(),
        dry_run: false,
        all: false,
    }));
    let parameters = args::values(&items, &["-p", "--parameter"]);
    outcome.effects.extend(parameter_deploys(
        "argo",
        service.as_deref(),
        parameters.iter().filter_map(|p| p.text.split_once('=')),
        false,
    ));
    Some(outcome)
}

/// `glab ci|pipe|pipeline run|create|run-trig [-b REF] [--variables
/// K:V]... [--variables-env K:V]... [-i|--input K:V]... [-R PROJECT]`:
/// each option takes a comma-separated list (glab's string slices) of
/// `KEY:VALUE`. `--variables-file KEY:FILE` and `--variables-from FILE`
/// read their values from files this line does not show.
fn glab_run(inv: &Invocation<'_>) -> Vec<Effect> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "Rbfit",
            long: &[
                "repo",
                "branch",
                "variables",
                "variables-env",
                "variables-file",
                "variables-from",
                "input",
                "token",
            ],
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let words: Vec<&str> = positionals.iter().map(|a| a.text.as_str()).collect();
    if !matches!(
        words.as_slice(),
        [
            "ci" | "pipe" | "pipeline",
            "run" | "create" | "run-trig",
            ..
        ]
    ) {
        return Vec::new();
    }
    let project = args::value(&items, &["-R", "--repo"]).map(|r| {
        let text = r.text.trim_end_matches('/');
        let text = text.strip_suffix(".git").unwrap_or(text);
        // `https://HOST/GROUP/REPO` names the project by its path.
        match text.split_once("://") {
            Some((_, rest)) => rest.split_once('/').map_or(rest, |(_, p)| p).to_owned(),
            None => text.to_owned(),
        }
    });
    let values = args::values(&items, &["--variables", "--variables-env", "-i", "--input"]);
    parameter_deploys(
        "glab",
        project.as_deref(),
        values
            .iter()
            .flat_map(|v| v.text.split(','))
            .filter_map(|pair| pair.split_once(':').or_else(|| pair.split_once('='))),
        false,
    )
}

/// `circleci pipeline run|trigger ... --parameters K=V[,K2=V2]` (a
/// string-to-string map, repeatable) or `--parameters '{"K": "V"}'`.
fn circleci_run(inv: &Invocation<'_>) -> Vec<Effect> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "host",
                "token",
                "parameters",
                "pipeline-definition-id",
                "config-branch",
                "config-tag",
                "checkout-branch",
                "checkout-tag",
                "local-config-file",
                "branch",
                "tag",
            ],
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let words: Vec<&str> = positionals.iter().map(|a| a.text.as_str()).collect();
    let service = match words.as_slice() {
        ["pipeline", "run" | "trigger", rest @ ..] => rest.last().copied(),
        _ => return Vec::new(),
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for value in args::values(&items, &["--parameters"]) {
        let text = value.text.trim();
        if text.starts_with('{') {
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(text) {
                pairs.extend(map.into_iter().filter_map(|(k, v)| match v {
                    serde_json::Value::String(s) => Some((k, s)),
                    _ => None,
                }));
            }
            continue;
        }
        pairs.extend(text.split(',').filter_map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        }));
    }
    parameter_deploys(
        "circleci",
        service,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        false,
    )
}

/// `bk build create|new -p [ORG/]PIPELINE -e|--env K=V ...`: the build's
/// environment.
fn buildkite_build(inv: &Invocation<'_>) -> Vec<Effect> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pbcmaefM",
            long: &[
                "pipeline", "branch", "commit", "message", "author", "env", "env-file", "metadata",
                "org",
            ],
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let words: Vec<&str> = positionals.iter().map(|a| a.text.as_str()).collect();
    if !matches!(words.as_slice(), ["build", "create" | "new", ..]) {
        return Vec::new();
    }
    let pipeline = args::value(&items, &["-p", "--pipeline"]).map(|p| p.text.as_str());
    let values = args::values(&items, &["-e", "--env"]);
    parameter_deploys(
        "bk",
        pipeline,
        values.iter().filter_map(|v| v.text.split_once('=')),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_parameters() {
        for key in [
            "environment",
            "ENVIRONMENT",
            "env",
            "stage",
            "target",
            "target_env",
            "DEPLOY_ENV",
            "deployEnv",
            "TARGET_ENVIRONMENT",
            "deploy-environment",
            "env_name",
            "targetEnv",
        ] {
            assert!(is_environment_parameter(key), "{key}");
        }
        for key in [
            "GIT_REF",
            "revision",
            "NODE_ENV",
            "RAILS_ENV",
            "PYTHON_VENV",
            "environments_file",
            "envoy",
            "",
        ] {
            assert!(!is_environment_parameter(key), "{key}");
        }
    }

    #[test]
    fn words_of_keys() {
        assert_eq!(key_words("deployEnv"), ["deploy", "env"]);
        assert_eq!(key_words("DEPLOY_ENV"), ["deploy", "env"]);
        assert_eq!(
            key_words("ASPNETCORE_ENVIRONMENT"),
            ["aspnetcore", "environment"]
        );
        assert_eq!(key_words("v2Env"), ["v2", "env"]);
    }
}
