//! Python scripts' values: names bound to literals (one by one or as a
//! tuple) and argparse options, interpolated into f-strings; the working
//! directory; functions that forward their arguments into a command; lists
//! spread into one.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// `code` run as `python - <<'PY' ... PY`.
fn script(code: &str) -> String {
    format!("python - <<'PY'\n{code}\nPY")
}

/// The first of `effects` of `kind`.
fn first_of(effects: &[Value], kind: &str) -> Value {
    effects
        .iter()
        .find(|e| e["effect"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("no {kind} in {effects:?}"))
}

#[test]
fn argparse_defaults_and_given_options_are_the_attributes_values() {
    let code = "import argparse, requests\nap = argparse.ArgumentParser()\nap.add_argument(\"-H\", \"--host\", default=\"metrics.corp.internal\")\nap.add_argument(\"--results\", default=\"out.json\")\nargs = ap.parse_args()\nrequests.post(f\"https://{args.host}/api/v1/push\", json={})";
    assert_eq!(
        request_lines(&effects(&script(code))),
        ["POST https://metrics.corp.internal/api/v1/push"]
    );
    // A written script given the option: the value given, in either form.
    let written = [text_file(&at("push.py"), code)];
    for given in [
        "--host collect.example.net",
        "--host=collect.example.net",
        "-Hcollect.example.net",
    ] {
        let found = effects_after(&written, &format!("python3 push.py {given}"));
        let found = found.as_array().cloned().unwrap_or_default();
        assert_eq!(
            request_lines(&found),
            ["POST https://collect.example.net/api/v1/push"],
            "{given}"
        );
    }
    // The interpreter's own `-c` is not the code's option `-c`.
    let command = "python3 -c \"import argparse, requests; ap = argparse.ArgumentParser(); ap.add_argument('-c', '--collector', default='c.corp.internal'); args = ap.parse_args(); requests.post(f'https://{args.collector}/x', json={})\"";
    assert_eq!(
        request_lines(&effects(command)),
        ["POST https://c.corp.internal/x"]
    );
    // An abbreviation argparse accepts: the value is not known.
    let found = effects_after(&written, "python3 push.py --ho collect.example.net");
    let found = found.as_array().cloned().unwrap_or_default();
    assert_eq!(
        request_lines(&found),
        ["POST https://{args.host}/api/v1/push"]
    );
}

#[test]
fn names_bound_to_literals_fill_f_strings() {
    // A tuple assignment binds each name.
    let code = "import os, requests\nowner, repo = \"acme\", \"web\"\nrequests.post(f\"https://api.github.com/repos/{owner}/{repo}/issues\", headers={\"Authorization\": f\"Bearer {os.environ['GITHUB_TOKEN']}\"}, json={})";
    assert_eq!(
        request_lines(&effects(&script(code))),
        ["POST https://api.github.com/repos/acme/web/issues"]
    );
    // A name whose value is not known stays in place, and what it reads
    // rides with the request.
    let code = "import os, requests\nbase = \"https://badges.example.dev\"\ntoken = os.environ[\"SVC_TOKEN\"]\nrequests.get(f\"{base}/v2/x.svg?token={token}\")";
    let found = effects(&script(code));
    let badge = found
        .iter()
        .find(|e| e["target"]["url"] == "https://badges.example.dev/v2/x.svg?token={token}")
        .unwrap_or_else(|| panic!("no badge request in {found:?}"));
    assert_eq!(badge["payload"]["env"], json!(["SVC_TOKEN"]));
    // Doubled braces are an f-string's literal braces.
    let code = "import requests\nhost = \"h.example.net\"\nrequests.post(f\"https://{host}/x?q={{a}}\", json={})";
    assert_eq!(
        request_lines(&effects(&script(code))),
        ["POST https://h.example.net/x?q={a}"]
    );
}

#[test]
fn the_working_directory_is_the_current_one() {
    for expression in ["os.getcwd()", "pathlib.Path.cwd()", "os.path.abspath('.')"] {
        let command = format!(
            "python3 -c \"import os, pathlib, shutil; root = {expression}; shutil.rmtree(root)\""
        );
        assert_eq!(effects(&command), [delete(W, true)], "{expression}");
    }
    assert_eq!(
        effects("python3 -c \"import pathlib, shutil; shutil.rmtree(pathlib.Path('/srv/app'))\""),
        [delete("/srv/app", true)]
    );
}

#[test]
fn forwarding_functions_run_their_command() {
    let code = "import subprocess\n\ndef git(*args):\n    return subprocess.run([\"git\", *args], check=True, capture_output=True).stdout\n\ngit(\"fetch\", \"origin\")\nprint(git(\"push\", \"--force-with-lease\", \"origin\", \"feat/x\"))";
    let found = effects(&script(code));
    let pushed = first_of(&found, "git_push");
    assert_eq!(pushed["force"], json!(true));
    assert_eq!(pushed["remote"], json!("origin"));
}

#[test]
fn lists_bound_to_names_are_spread_where_used() {
    let code = "import argparse, subprocess\nap = argparse.ArgumentParser()\nap.add_argument(\"--env\", default=\"staging\", choices=[\"dev\", \"staging\"])\nargs = ap.parse_args()\ntf = [\"terraform\", f\"-chdir=infra/envs/{args.env}\"]\nsubprocess.run([*tf, \"apply\", \"-auto-approve\"], check=True)";
    let found = effects(&script(code));
    assert_eq!(
        first_of(&found, "terraform"),
        terraform("apply", &at("infra/envs/staging"), None, false)
    );
}

#[test]
fn lists_changed_after_their_assignment_are_not_known() {
    let code = "import subprocess, sys\ncmd = [\"git\", \"push\"]\ncmd.append(\"--force\")\nsubprocess.run(cmd)";
    let found = effects(&script(code));
    assert!(
        !found
            .iter()
            .any(|e| e["effect"] == "git_push" && e["force"] == json!(false)),
        "{found:?}"
    );
}

#[test]
fn joins_write_in_their_known_start() {
    let code = "import os, requests\nbase = \"https://badges.example.dev\"\nrequests.get(base + \"/v2/x.svg?token=\" + os.environ[\"SVC_TOKEN\"])";
    let found = effects(&script(code));
    let badge = found
        .iter()
        .find(|e| e["target"]["url"] == "https://badges.example.dev/v2/x.svg?token=")
        .unwrap_or_else(|| panic!("no badge request in {found:?}"));
    assert_eq!(badge["payload"]["env"], json!(["SVC_TOKEN"]));
}
