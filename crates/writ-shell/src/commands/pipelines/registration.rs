//! CI runners that register this machine with a forge: the machine then
//! takes the jobs of the repository, group or instance it joined, which is
//! a change there (a write to it), made with the token the line gives.
//!
//! - GitHub Actions' self-hosted runner, `./config.sh` (`config.cmd` on
//!   Windows) with `--url URL` and `--token T` or `--pat T` (or their
//!   `ACTIONS_RUNNER_INPUT_URL`/`_TOKEN`/`_PAT` variables): registers with
//!   URL (`POST`); `remove` unregisters (`DELETE`), `--check` only tests
//!   the connection (`GET`). Many projects have a `config.sh` of their own,
//!   so one is the runner's only when it names both a URL and a token.
//! - `gitlab-runner register` (`--url`/`-u` or `CI_SERVER_URL`, with
//!   `--registration-token`/`-r`, `REGISTRATION_TOKEN`, or `--token`/`-t`,
//!   `CI_SERVER_TOKEN`) registers with that instance; `unregister --url
//!   --token` removes the runner there. A runner named only in the
//!   configuration file (`unregister --name N`, `--all-runners`) goes to a
//!   server the line does not name.

use super::super::{Invocation, Outcome, request, url};
use crate::args::{self, Arg, Spec};
use crate::{Payload, flow};

/// The GitHub runner's options that take a value.
const ACTIONS_RUNNER_VALUES: &[&str] = &[
    "url",
    "token",
    "pat",
    "name",
    "runnergroup",
    "labels",
    "work",
    "windowslogonaccount",
    "windowslogonpassword",
    "auth",
];

/// gitlab-runner's options that take a value (global and `register`'s).
const GITLAB_RUNNER_VALUES: &[&str] = &[
    "config",
    "log-level",
    "log-format",
    "url",
    "registration-token",
    "token",
    "name",
    "description",
    "executor",
    "tag-list",
    "docker-image",
    "template-config",
    "maintenance-note",
    "access-level",
    "maximum-timeout",
    "shell",
    "limit",
    "builds-dir",
    "cache-dir",
];

/// `config.sh` or `config.cmd` of the GitHub Actions runner.
pub(super) fn actions_runner_config(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: ACTIONS_RUNNER_VALUES,
            stop_after: None,
        },
    );
    let input = |option: &str, variable: &str| {
        args::value(&items, &[option])
            .or_else(|| inv.env_value(variable))
            .filter(|v| !v.text.is_empty())
    };
    let target = input("--url", "ACTIONS_RUNNER_INPUT_URL")?;
    let tokens: Vec<&Arg> = [
        input("--token", "ACTIONS_RUNNER_INPUT_TOKEN"),
        input("--pat", "ACTIONS_RUNNER_INPUT_PAT"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if tokens.is_empty() {
        return None;
    }
    let removes = args::positionals(&items)
        .first()
        .is_some_and(|verb| verb.text == "remove");
    let method = if removes {
        "DELETE"
    } else if args::has(&items, &["--check"]) {
        "GET"
    } else {
        "POST"
    };
    Some(registration(inv, &target.text, method, &tokens))
}

/// `gitlab-runner [GLOBAL OPTIONS] register|unregister ...`.
pub(super) fn gitlab_runner(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "curtl",
            long: GITLAB_RUNNER_VALUES,
            stop_after: None,
        },
    );
    let method = match args::positionals(&items).first()?.text.as_str() {
        "register" => "POST",
        "unregister" => "DELETE",
        _ => return None,
    };
    let value = |options: &[&str], variable: &str| {
        args::value(&items, options)
            .or_else(|| inv.env_value(variable))
            .filter(|v| !v.text.is_empty())
    };
    let target = value(&["--url", "-u"], "CI_SERVER_URL")?;
    let tokens: Vec<&Arg> = [
        value(&["--registration-token", "-r"], "REGISTRATION_TOKEN"),
        value(&["--token", "-t"], "CI_SERVER_TOKEN"),
    ]
    .into_iter()
    .flatten()
    .collect();
    Some(registration(inv, &target.text, method, &tokens))
}

/// A registration request to `target` carrying the tokens.
fn registration(inv: &Invocation<'_>, target: &str, method: &str, tokens: &[&Arg]) -> Outcome {
    let mut payload = Payload::default();
    for token in tokens {
        flow::merge(&mut payload, &token.payload());
    }
    Outcome::default().effect(request(inv.program, url(target), method, payload, false))
}
