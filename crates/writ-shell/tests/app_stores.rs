//! Mobile release tooling: a release to a store track is a deploy to that
//! track; beta uploads, distributions and new releases at a vendor are
//! requests to the vendor's API.

use crate::common;
use common::*;
use serde_json::{Value, json};

fn deploy(program: &str, environment: &str) -> Value {
    let production = environment == "production";
    json!({"effect": "deploy", "program": program, "environment": environment, "service": null, "production": production})
}

#[test]
fn store_tracks_are_deploys() {
    run_table(&[
        (
            "./gradlew :app:publishReleaseBundle --track beta",
            json!([deploy("gradlew", "beta")]),
        ),
        ("gradle publishApk", json!([deploy("gradle", "internal")])),
        (
            "./gradlew promoteReleaseArtifact --from-track beta --promote-track production",
            json!([deploy("gradlew", "production")]),
        ),
        ("./gradlew assembleRelease publishToMavenLocal", json!([])),
    ]);
}

#[test]
fn beta_uploads_and_distributions_reach_the_vendor() {
    for (command, host) in [
        (
            "fastlane pilot upload --ipa build/App.ipa",
            "api.appstoreconnect.apple.com",
        ),
        (
            "fastlane run upload_to_testflight",
            "api.appstoreconnect.apple.com",
        ),
        (
            "firebase appdistribution:distribute app.apk --groups qa",
            "firebase.googleapis.com",
        ),
        ("sentry-cli releases new 1.2.3", "sentry.io"),
        (
            "appcenter distribute release -f app.apk -g testers",
            "api.appcenter.ms",
        ),
        (
            "eas env:create --environment production --name KEY --value \"$KEY\"",
            "api.expo.dev",
        ),
        (
            "eas secret:create --scope project --name K --value v",
            "api.expo.dev",
        ),
    ] {
        let analysis = writ_shell::analyze(command, &CTX).unwrap();
        let effects = serde_json::to_value(&analysis.effects).unwrap();
        let reaches = effects.as_array().unwrap().iter().any(|e| {
            e["effect"] == "request"
                && e["method"] == "POST"
                && e["target"]["url"]
                    .as_str()
                    .is_some_and(|u| u.contains(host))
        });
        assert!(reaches, "{command}: {effects}");
    }
    for command in [
        "fastlane pilot list",
        "sentry-cli releases list",
        "fastlane ios beta",
        "eas env:list --environment production",
    ] {
        let analysis = writ_shell::analyze(command, &CTX).unwrap();
        assert!(
            analysis.effects.is_empty(),
            "{command}: {:?}",
            analysis.effects
        );
    }
}

#[test]
fn expo_releases_stay_deploys() {
    check(
        "eas update --branch production --message fix",
        json!([deploy("eas", "production")]),
    );
}
