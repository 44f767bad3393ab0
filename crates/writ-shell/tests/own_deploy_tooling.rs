//! An organisation's own deploy tooling: scripts, task runners' targets,
//! package scripts and internal CLIs read by their names and the
//! environments their arguments name, and the near misses that deploy
//! nothing.

use serde_json::Value;
use writ_shell::WrittenFile;

use crate::common::{effects_after, text_file};

/// The environments of the deploys `command` makes after `written`.
fn deploys_after(written: &[WrittenFile], command: &str) -> Vec<String> {
    let effects = effects_after(written, command);
    effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["effect"] == "deploy")
        .filter_map(|e| e["environment"].as_str().map(str::to_owned))
        .collect()
}

fn deploys(command: &str) -> Vec<String> {
    deploys_after(&[], command)
}

#[test]
fn deploy_scripts_and_targets_deploy_to_the_environment_they_name() {
    for (command, environment) in [
        ("./scripts/deploy.sh production", "production"),
        ("bin/deploy prod", "prod"),
        ("./deploy-prod.sh", "prod"),
        ("python scripts/release.py --env live", "live"),
        ("python3 -m tools.deploy --environment=prod", "prod"),
        ("bash scripts/deploy.sh -e prod", "prod"),
        ("DEPLOY_ENV=prod ./scripts/deploy.sh", "prod"),
        ("STAGE=prod ./ship.sh", "prod"),
        ("make deploy ENV=prod", "prod"),
        ("make -C services/api deploy-prod", "prod"),
        ("make deploy prod", "prod"),
        ("just deploy prod", "prod"),
        ("task deploy -- --env production", "production"),
        ("task deploy ENV=prod", "prod"),
        ("npm run deploy:prod", "prod"),
        ("npm --prefix web run deploy -- --stage prod", "prod"),
        ("yarn deploy:production", "production"),
        ("pnpm run release -- --env prod", "prod"),
        ("pnpm --filter api deploy:prod", "prod"),
        ("rake deploy[production]", "production"),
        ("rake deploy RAILS_ENV=production", "production"),
        ("mina production deploy", "production"),
        ("fab -H prod-web-1 deploy", "prod"),
        ("invoke deploy --env prod", "prod"),
        ("./gradlew deployProd", "prod"),
        ("./gradlew :app:deployToProduction", "production"),
        ("./gradlew deploy -Penv=prod", "prod"),
        ("./rollout.sh live", "live"),
        ("globexctl --env=live rollout restart ledger", "live"),
        ("globexctl db migrate --env prod", "prod"),
        (
            "globexctl scale web --replicas 0 --environment prod",
            "prod",
        ),
        ("opsctl --stage prod rollback payments", "prod"),
    ] {
        let found = deploys(command);
        assert!(
            found.iter().any(|e| e == environment),
            "{command}: {found:?}"
        );
    }
}

#[test]
fn other_environments_are_named_as_they_are() {
    for (command, environment) in [
        ("./scripts/deploy.sh staging", "staging"),
        ("make deploy ENV=staging", "staging"),
        ("npm run deploy:staging", "staging"),
        ("./gradlew deployStaging", "staging"),
        ("globexctl --env=qa rollout restart ledger", "qa"),
    ] {
        // A package script is also tried as an executable of its name.
        let mut found = deploys(command);
        found.dedup();
        assert_eq!(found, [environment], "{command}");
    }
}

#[test]
fn near_misses_deploy_nothing() {
    for command in [
        // Reading verbs of an internal CLI.
        "globexctl --env prod status",
        "globexctl --env prod logs ledger",
        "globexctl --env prod get pods",
        "globexctl --env prod describe ledger",
        // A change verb with no environment, an environment with no verb.
        "globexctl rollout restart ledger",
        "globexctl --env prod ledger",
        // Another CLI's `-e` is not an environment.
        "opsctl -e prod rollback payments",
        // A package published to a registry.
        "./gradlew publishAndReleaseToMavenCentral -Penv=prod",
        "./gradlew closeAndReleaseStagingRepository -Penv=prod",
        // Rehearsals and help.
        "./scripts/deploy.sh production --dry-run",
        "make -n deploy ENV=prod",
        "rake -T deploy",
        "./deploy.sh --help",
        // Targets and scripts that build or test.
        "make test ENV=prod",
        "make build ENV=prod",
        "npm run build:prod",
        "npm run test -- --env prod",
        "./scripts/test.sh prod",
        "./gradlew assembleProdRelease",
        "yarn release-notes --env prod",
        "NODE_ENV=production npm run build",
        // A deploy that names no environment.
        "./scripts/deploy.sh",
        "npm run deploy",
        // pnpm's own `deploy` copies a package into a directory.
        "pnpm --filter api deploy prod-dir",
        // Programs writ knows, whose words only look alike.
        "cat scripts/deploy.sh",
        "vim deploy-prod.sh",
        "grep -r prod scripts/deploy.sh",
        "python -c 'print(1)' deploy prod",
    ] {
        assert_eq!(deploys(command), Vec::<String>::new(), "{command}");
    }
}

#[test]
fn a_known_definition_runs_instead_of_the_name() {
    let makefile = text_file("/home/dana/acme-web/Makefile", "deploy:\n\techo done\n");
    assert_eq!(
        deploys_after(&[makefile], "make deploy ENV=prod"),
        Vec::<String>::new()
    );
    let script = text_file("/home/dana/acme-web/scripts/deploy.sh", "echo \"$1\"\n");
    for command in ["bash scripts/deploy.sh prod", "./scripts/deploy.sh prod"] {
        assert_eq!(
            deploys_after(std::slice::from_ref(&script), command),
            Vec::<String>::new(),
            "{command}"
        );
    }
    let package = text_file(
        "/home/dana/acme-web/package.json",
        r#"{"scripts": {"deploy:prod": "echo ok"}}"#,
    );
    assert_eq!(
        deploys_after(&[package], "npm run deploy:prod"),
        Vec::<String>::new()
    );
    // What the known text does is still read: here, a real deploy.
    let deploying = text_file("/home/dana/acme-web/Makefile", "deploy:\n\tvercel --prod\n");
    let found: Vec<String> = deploys_after(&[deploying], "make deploy ENV=staging");
    assert_eq!(found, ["production"]);
}

#[test]
fn deploys_carry_their_program() {
    let effects: Value = effects_after(&[], "make deploy ENV=prod");
    assert_eq!(effects[0]["program"], "make");
    assert_eq!(effects[0]["production"], false);
}
