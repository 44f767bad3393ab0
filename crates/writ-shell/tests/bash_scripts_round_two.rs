//! Scripts written earlier and run with flags: the arguments they parse
//! (`while [[ $# -gt 0 ]]; case "$1" ... shift`), the files they read
//! (`jq ... FILE`) and the `[[ ... ]]` tests the arguments decide.

use crate::common::{at, effects_after, text_file};
use serde_json::Value;

const DEPLOY: &str = r#"#!/usr/bin/env bash
set -euo pipefail
ENV=prod
DRY_RUN=""
TAG=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -e|--env)   ENV="$2"; shift 2 ;;
    --env=*)    ENV="${1#*=}"; shift ;;
    -t|--tag)   TAG="$2"; shift 2 ;;
    --dry-run)  DRY_RUN="--dry-run=server"; shift ;;
    -h|--help)  sed -n '2,3p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
CTX=$(jq -er --arg e "$ENV" '.[$e].context' deploy/envs.json)
NS=$(jq -er --arg e "$ENV" '.[$e].namespace' deploy/envs.json)
OUT="k8s/rendered/${ENV}.yaml"
mkdir -p k8s/rendered
kustomize build "k8s/overlays/${ENV}" > "$OUT"
kubectl --context "$CTX" -n "$NS" apply -f "$OUT" $DRY_RUN
"#;

const ENVS: &str = r#"{
  "staging": { "context": "gke-staging", "namespace": "shop" },
  "prod":    { "context": "gke-prod-west", "namespace": "shop" }
}
"#;

fn deploy_effects(command: &str) -> Vec<Value> {
    let written = [
        text_file(&at("scripts/deploy.sh"), DEPLOY),
        text_file(&at("deploy/envs.json"), ENVS),
    ];
    let effects = effects_after(&written, command);
    effects.as_array().cloned().unwrap_or_default()
}

/// The one `kubectl` effect of `command`.
fn applied(command: &str) -> Value {
    let effects = deploy_effects(command);
    let kubectl: Vec<&Value> = effects
        .iter()
        .filter(|e| e["effect"] == "kubectl")
        .collect();
    assert_eq!(kubectl.len(), 1, "{command}: {effects:?}");
    kubectl.first().map(|e| (*e).clone()).unwrap_or_default()
}

#[test]
fn a_flag_loop_over_known_arguments_picks_the_context_and_dry_run() {
    let cases = [
        (
            "./scripts/deploy.sh --env staging --tag v1 --dry-run",
            "gke-staging",
            "staging",
            true,
        ),
        (
            "./scripts/deploy.sh --env=staging --tag v1",
            "gke-staging",
            "staging",
            false,
        ),
        (
            "bash scripts/deploy.sh -t v2 -e prod",
            "gke-prod-west",
            "prod",
            false,
        ),
        (
            "./scripts/deploy.sh --tag v2",
            "gke-prod-west",
            "prod",
            false,
        ),
        ("./scripts/deploy.sh", "gke-prod-west", "prod", false),
    ];
    for (command, context, env, dry_run) in cases {
        let effect = applied(command);
        assert_eq!(effect["context"], context, "{command}");
        assert_eq!(effect["namespace"], "shop", "{command}");
        assert_eq!(effect["dry_run"], dry_run, "{command}");
        assert_eq!(
            effect["files"][0],
            at(&format!("k8s/rendered/{env}.yaml")),
            "{command}"
        );
    }
}

#[test]
fn an_unknown_argument_leaves_the_loop_undecided() {
    let effect = applied(r#"./scripts/deploy.sh --env "$TARGET""#);
    assert_ne!(effect["context"], "gke-prod-west");
    assert_ne!(effect["context"], "gke-staging");
}

#[test]
fn jq_reads_a_known_file_operand() {
    let written = [text_file(&at("deploy/envs.json"), ENVS)];
    let effects = effects_after(
        &written,
        r#"ctx=$(jq -r '.prod.context' deploy/envs.json); kubectl --context "$ctx" apply -f a.yaml"#,
    );
    let text = effects.to_string();
    assert!(text.contains(r#""context":"gke-prod-west""#), "{text}");
    // Unknown file: the value stays what stands for it.
    let effects = effects_after(
        &[],
        r#"ctx=$(jq -r '.prod.context' deploy/envs.json); kubectl --context "$ctx" apply -f a.yaml"#,
    );
    assert!(!effects.to_string().contains("gke-prod-west"));
}

const BOOTSTRAP: &str = r#"#!/usr/bin/env bash
set -euo pipefail
if [[ " $* " == *" --agent "* ]]; then
  cp tools/agent/settings.json .claude/settings.json
fi
echo done
"#;

fn copies_settings(command: &str) -> bool {
    let written = [text_file(&at("scripts/bootstrap.sh"), BOOTSTRAP)];
    effects_after(&written, command)
        .to_string()
        .contains(&at(".claude/settings.json"))
}

#[test]
fn a_test_of_known_arguments_decides_its_branch() {
    assert!(!copies_settings("bash scripts/bootstrap.sh"));
    assert!(!copies_settings("bash scripts/bootstrap.sh --ci"));
    assert!(copies_settings("bash scripts/bootstrap.sh --agent"));
    assert!(copies_settings("bash scripts/bootstrap.sh --ci --agent"));
    // An argument the line does not fix: either branch may run.
    assert!(copies_settings(r#"bash scripts/bootstrap.sh "$FLAGS""#));
    // A test of a variable the line does not set: both.
    let written = [text_file(
        &at("s.sh"),
        "if [[ \"$MODE\" == agent ]]; then rm -rf build; fi\n",
    )];
    assert!(
        effects_after(&written, "bash s.sh")
            .to_string()
            .contains("delete")
    );
}

#[test]
fn elif_and_else_follow_decided_tests() {
    let script =
        "if [[ $# -eq 0 ]]; then rm -rf a; elif [[ $1 == x ]]; then rm -rf b; else rm -rf c; fi\n";
    let written = [text_file(&at("s.sh"), script)];
    let deleted = |command: &str| {
        let text = effects_after(&written, command).to_string();
        ["a", "b", "c"]
            .into_iter()
            .filter(|d| text.contains(&format!("\"{}\"", at(d))))
            .collect::<Vec<_>>()
    };
    assert_eq!(deleted("bash s.sh"), ["a"]);
    assert_eq!(deleted("bash s.sh x"), ["b"]);
    assert_eq!(deleted("bash s.sh y"), ["c"]);
}

#[test]
fn a_for_loop_over_no_arguments_runs_no_body() {
    let script = "prefix=\"$HOME/.local\"\nfor arg in \"$@\"; do\n  case \"$arg\" in\n    --prefix=*) prefix=\"${arg#--prefix=}\" ;;\n  esac\ndone\ninstall -Dm755 bin/qm \"$prefix/bin/qm\"\n";
    let written = [text_file(&at("install.sh"), script)];
    let text = effects_after(&written, "bash install.sh").to_string();
    assert!(text.contains("/home/dana/.local/bin/qm"), "{text}");
    let text = effects_after(&written, "bash install.sh --prefix=/opt/qm").to_string();
    assert!(text.contains("/opt/qm/bin/qm"), "{text}");
    assert!(!text.contains(".local/bin/qm"), "{text}");
}
