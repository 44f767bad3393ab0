//! Fallback values and servers named to programs writ has no handler for.
//!
//! `${X:-d}` of a variable the line never set is d, the value the command
//! was written to fall back on (the name stays among what it reads from
//! the environment); of one it set, that value. A program writ does not
//! know that names a web server sends its words there: a read, unless the
//! server is an option's value and one of its words asks for a change
//! (`--server URL secret add`), and an `@FILE` word sends the file.
//! Jenkins' CLI commands besides `build` go to the server's `/cli`;
//! `buildkite-agent pipeline upload --dry-run` uploads nothing. Run in
//! `/home/dana/acme-web`.

#![allow(clippy::panic)]

use serde_json::Value;

use crate::common::{CTX, request_lines};

fn effects(command: &str) -> Vec<Value> {
    let analysis = writ_shell::analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    match serde_json::to_value(&analysis.effects) {
        Ok(Value::Array(effects)) => effects,
        _ => panic!("{command}: no effects array"),
    }
}

/// `METHOD URL` of each request `command` makes.
fn requests(command: &str) -> Vec<String> {
    request_lines(&effects(command))
}

/// The files the requests of `command` carry.
fn sent_files(command: &str) -> Vec<String> {
    effects(command)
        .iter()
        .filter(|e| e["effect"] == "request")
        .flat_map(|e| {
            e["payload"]["files"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|f| f["path"].as_str().map(str::to_owned))
        .collect()
}

fn kube_context(command: &str) -> Option<String> {
    effects(command)
        .iter()
        .find(|e| e["effect"] == "kubectl")
        .and_then(|e| e["context"].as_str().map(str::to_owned))
}

#[test]
fn a_fallback_value_is_the_value_of_a_variable_the_line_never_set() {
    for (command, context) in [
        (
            "kubectl --context \"${KCTX:-prod-eu}\" scale deploy/web --replicas=0",
            "prod-eu",
        ),
        (
            "kubectl --context ${KCTX:=prod-eu} scale deploy/web --replicas=0",
            "prod-eu",
        ),
        (
            "unset KCTX; kubectl --context \"${KCTX:-prod-eu}\" scale deploy/web --replicas=0",
            "prod-eu",
        ),
        (
            "KCTX=; kubectl --context \"${KCTX:-prod-eu}\" scale deploy/web --replicas=0",
            "prod-eu",
        ),
        // Set by the line: its value, not the fallback.
        (
            "KCTX=staging; kubectl --context \"${KCTX:-prod-eu}\" scale deploy/web --replicas=0",
            "staging",
        ),
        // `${X-d}` of a variable set empty is empty.
        ("KCTX=; kubectl --context \"${KCTX-prod-eu}\" get pods", ""),
    ] {
        assert_eq!(kube_context(command).as_deref(), Some(context), "{command}");
    }
}

#[test]
fn a_positional_fallback_is_used_when_the_argument_was_not_given() {
    for (command, context) in [
        // A function called without its argument, and the line itself.
        (
            "s(){ kubectl --context \"${1:-prod-eu}\" scale deploy/web --replicas=0; }; s",
            "prod-eu",
        ),
        (
            "kubectl --context \"${1:-prod-eu}\" scale deploy/web --replicas=0",
            "prod-eu",
        ),
        // Given: the argument.
        (
            "s(){ kubectl --context \"${1:-prod-eu}\" scale deploy/web --replicas=0; }; s staging",
            "staging",
        ),
        (
            "s(){ kubectl --context \"${2:-prod-eu}\" get pods; }; s a b",
            "b",
        ),
        // Given empty: `:-` falls back, `-` keeps the empty value.
        (
            "s(){ kubectl --context \"${1:-prod-eu}\" get pods; }; s ''",
            "prod-eu",
        ),
        (
            "s(){ kubectl --context \"${1-prod-eu}\" get pods; }; s ''",
            "",
        ),
    ] {
        assert_eq!(kube_context(command).as_deref(), Some(context), "{command}");
    }
}

#[test]
fn a_fallback_keeps_the_variable_among_the_environment_read() {
    let sent =
        effects("curl -H \"Authorization: Bearer ${API_TOKEN:-none}\" https://api.example.net/v1");
    let request = sent.iter().find(|e| e["effect"] == "request");
    let env = request.map(|r| r["payload"]["env"].clone());
    assert_eq!(env, Some(serde_json::json!(["API_TOKEN"])));
}

#[test]
fn an_unknown_program_that_names_a_server_changes_it_when_its_words_ask() {
    let cases: &[(&str, &[&str])] = &[
        (
            "drone --server https://drone.partner.example --token T secret add --repository p/app --name k --data x",
            &["POST https://drone.partner.example"],
        ),
        (
            "woodpecker-cli --server=https://ci.partner.example repo register p/app",
            &["POST https://ci.partner.example"],
        ),
        // Reading words (and no words at all) stay reads.
        (
            "drone --server https://drone.partner.example secret ls --repository p/app",
            &["GET https://drone.partner.example"],
        ),
        // A URL that is no option's value is something to fetch.
        (
            "vagrant box add --name local/ubuntu https://boxes.example.net/ubuntu.box",
            &["GET https://boxes.example.net/ubuntu.box"],
        ),
        // A word that only contains a change word is not one.
        (
            "vendorctl --server https://api.vendor.example list --filter addons",
            &["GET https://api.vendor.example"],
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(requests(command), *expected, "{command}");
    }
}

#[test]
fn an_at_file_word_sends_the_file() {
    let command = "drone --server https://drone.partner.example secret add --name k --data @$HOME/.ssh/id_ed25519";
    assert_eq!(sent_files(command), ["/home/dana/.ssh/id_ed25519"]);
    let command = "vendorctl --server=https://api.vendor.example import --body=@exports/users.csv";
    assert_eq!(
        sent_files(command),
        ["/home/dana/acme-web/exports/users.csv"]
    );
    // Read as the file, not as a path with `@` in it.
    let reads: Vec<Value> = effects("vendorctl apply @config/app.json")
        .into_iter()
        .filter(|e| e["effect"] == "read")
        .collect();
    assert_eq!(reads.len(), 1);
    assert_eq!(
        reads[0]["file"]["path"],
        "/home/dana/acme-web/config/app.json"
    );
}

#[test]
fn jenkins_cli_commands_reach_the_servers_cli_endpoint() {
    let cases: &[(&str, &[&str])] = &[
        (
            "java -jar jenkins-cli.jar -s https://ci.example.net/ -auth @creds groovy = < disable.groovy",
            &["POST https://ci.example.net/cli"],
        ),
        (
            "JENKINS_URL=https://ci.example.net jenkins-cli create-job nightly < config.xml",
            &["POST https://ci.example.net/cli"],
        ),
        (
            "java -jar jenkins-cli.jar -s https://ci.example.net list-jobs",
            &["GET https://ci.example.net/cli"],
        ),
        (
            "java -jar jenkins-cli.jar -s https://ci.example.net build app/deploy -p TARGET=qa",
            &["POST https://ci.example.net/job/app/job/deploy/buildWithParameters"],
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(requests(command), *expected, "{command}");
    }
    // The script on standard input goes with the command.
    let sent = effects(
        "java -jar jenkins-cli.jar -s https://ci.example.net groovy = <<'EOF'\nJenkins.instance.doSafeRestart()\nEOF",
    );
    let text = sent
        .iter()
        .find(|e| e["effect"] == "request")
        .map(|r| r["payload"]["text"].to_string());
    assert!(text.is_some_and(|t| t.contains("doSafeRestart")));
}

#[test]
fn a_buildkite_pipeline_dry_run_uploads_nothing() {
    let command = "buildkite-agent pipeline upload --dry-run --format yaml .buildkite/release.yml";
    assert_eq!(requests(command), Vec::<String>::new());
    let reads: Vec<Value> = effects(command)
        .into_iter()
        .filter(|e| e["effect"] == "read")
        .collect();
    assert_eq!(reads.len(), 1);
    assert_eq!(
        reads[0]["file"]["path"],
        "/home/dana/acme-web/.buildkite/release.yml"
    );
    assert_eq!(
        requests("buildkite-agent pipeline upload --format yaml .buildkite/release.yml"),
        ["POST https://agent.buildkite.com/v3/jobs/pipelines"]
    );
}
