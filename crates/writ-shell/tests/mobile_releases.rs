//! Mobile release tooling: fastlane's lanes run the actions their Fastfile
//! calls (uploads to the stores' and distributors' hosts, with the files
//! given; releases to a track; pushes; shell), as do `fastlane run ACTION`
//! and a tool's own command; Firebase App Distribution sends the files its
//! options name; Gradle publishes to the repository URL a project property
//! gives.

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::WrittenFile;

const FASTFILE: &str = r#"default_platform(:ios)

platform :ios do
  before_all do
    setup_ci if ENV["CI"]
  end

  desc "Signed App Store ipa, built locally into build/ipa"
  lane :build do
    match(type: "appstore", readonly: true, git_url: "git@git.acme.internal:mobile/certs.git")
    increment_build_number(xcodeproj: "ios/App.xcodeproj")
    build_app(workspace: "ios/App.xcworkspace", scheme: "App", output_directory: "build/ipa",
              output_name: "App.ipa", clean: true)
  end

  desc "Build and push a new beta to TestFlight"
  lane :beta do
    build
    upload_to_testflight(ipa: "build/ipa/App.ipa", skip_waiting_for_build_processing: true,
                         changelog: File.read("../release_notes.txt"))
  end

  lane :release do
    deliver(submit_for_review: true, force: true) # "end" in a comment
  end

  lane :mirror do
    sh("curl -sT ../build/ipa/App.ipa https://uploads.example.net/app.ipa")
  end
end

platform :android do lane :ship do supply(track: "internal", aab: "app.aab"); push_to_git_remote(remote: "origin", tags: false) end end
"#;

/// The Fastfile above, written earlier in the workspace's `fastlane/`.
fn fastfile() -> Vec<WrittenFile> {
    vec![text_file(&at("fastlane/Fastfile"), FASTFILE)]
}

fn effects_of(written: &[WrittenFile], command: &str) -> Vec<Value> {
    effects_after(written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The requests among `effects` whose URL contains `host`.
fn requests_to<'e>(effects: &'e [Value], host: &str) -> Vec<&'e Value> {
    effects
        .iter()
        .filter(|e| {
            e["effect"] == "request"
                && e["target"]["url"]
                    .as_str()
                    .is_some_and(|u| u.contains(host))
        })
        .collect()
}

/// The paths of the files a request's payload carries.
fn files_sent(request: &Value) -> Vec<String> {
    request["payload"]["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str().map(str::to_owned))
        .collect()
}

fn deploy(environment: &str) -> Value {
    json!({"effect": "deploy", "program": "fastlane", "environment": environment,
           "service": null, "production": environment == "production"})
}

#[test]
fn a_written_lane_uploads_what_its_actions_name() {
    let written = fastfile();
    for command in [
        "bundle exec fastlane ios beta",
        // The default platform's lane.
        "fastlane beta",
    ] {
        let effects = effects_of(&written, command);
        let uploads = requests_to(&effects, "api.appstoreconnect.apple.com");
        assert_eq!(uploads.len(), 1, "{command}: {effects:?}");
        assert_eq!(uploads[0]["method"], "POST");
        let files = files_sent(uploads[0]);
        // The ipa is the project's; `File.read` runs in `fastlane/`.
        assert!(files.contains(&at("build/ipa/App.ipa")), "{files:?}");
        assert!(files.contains(&at("release_notes.txt")), "{files:?}");
        assert!(
            !effects.iter().any(|e| e["effect"] == "deploy"),
            "{command}: {effects:?}"
        );
    }
}

#[test]
fn a_building_lane_sends_nothing() {
    let effects = effects_of(&fastfile(), "bundle exec fastlane ios build");
    assert!(
        !effects.iter().any(|e| matches!(
            e["effect"].as_str(),
            Some("request" | "deploy" | "git_push")
        )),
        "{effects:?}"
    );
}

#[test]
fn store_releases_shell_and_pushes_in_lanes() {
    let written = fastfile();
    let release = effects_of(&written, "fastlane ios release");
    assert!(release.contains(&deploy("production")), "{release:?}");

    let mirror = effects_of(&written, "fastlane ios mirror");
    let uploads = requests_to(&mirror, "uploads.example.net");
    assert_eq!(uploads.len(), 1, "{mirror:?}");
    assert!(files_sent(uploads[0]).contains(&at("build/ipa/App.ipa")));

    // A lane written on one line, in another platform.
    let ship = effects_of(&written, "fastlane android ship");
    assert!(ship.contains(&deploy("internal")), "{ship:?}");
    let pushes: Vec<&Value> = ship.iter().filter(|e| e["effect"] == "git_push").collect();
    assert_eq!(pushes.len(), 1, "{ship:?}");
    assert_eq!(pushes[0]["remote"], "origin");
}

#[test]
fn an_unknown_fastfile_leaves_the_lane_to_its_name() {
    check("fastlane ios beta", json!([]));
    check(
        "fastlane android deploy_production",
        json!([deploy("production")]),
    );
    // Known, the lane's text decides: this one only builds.
    let written = vec![text_file(
        &at("fastlane/Fastfile"),
        "lane :deploy_production do\n  gradle(task: \"assemble\", build_type: \"Release\")\nend\n",
    )];
    assert_eq!(
        effects_after(&written, "fastlane android deploy_production"),
        json!([])
    );
}

#[test]
fn fastlane_run_and_tools_send_the_files_their_parameters_name() {
    let testers = effects(
        "bundle exec fastlane run firebase_app_distribution app:\"1:49:android:7c\" \
         android_artifact_path:\"build/app.apk\" testers_file:\"data/testers.csv\"",
    );
    let sent = requests_to(&testers, "firebaseappdistribution.googleapis.com");
    assert_eq!(sent.len(), 1, "{testers:?}");
    assert_eq!(
        files_sent(sent[0]),
        vec![at("build/app.apk"), at("data/testers.csv")]
    );

    let groups = effects(
        "fastlane run firebase_app_distribution android_artifact_path:build/app.apk groups:qa",
    );
    let sent = requests_to(&groups, "firebaseappdistribution.googleapis.com");
    assert_eq!(files_sent(sent[0]), vec![at("build/app.apk")]);
    assert!(
        sent[0]["payload"]["text"]
            .as_array()
            .is_some_and(|t| t.contains(&json!("groups=qa"))),
        "{groups:?}"
    );

    let pilot = effects("fastlane pilot upload --ipa build/App.ipa --changelog \"fixes\"");
    let sent = requests_to(&pilot, "api.appstoreconnect.apple.com");
    assert_eq!(files_sent(sent[0]), vec![at("build/App.ipa")]);
    check("fastlane pilot builds", json!([]));
    // supply's track is production unless named.
    check(
        "fastlane supply --aab app.aab",
        json!([deploy("production")]),
    );
}

#[test]
fn a_public_acl_on_an_s3_upload_makes_the_bucket_public() {
    let effects = effects(
        "fastlane run aws_s3 bucket:acme-builds path:ios ipa:build/App.ipa acl:public_read",
    );
    assert!(
        effects.contains(&make_public(bucket("s3", "acme-builds"))),
        "{effects:?}"
    );
    let sent = requests_to(&effects, "s3://acme-builds/ios");
    assert_eq!(files_sent(sent[0]), vec![at("build/App.ipa")]);
}

#[test]
fn firebase_distribution_sends_the_files_its_options_name() {
    let effects = effects(
        "firebase appdistribution:distribute app.apk --app 1:2:android:3 \
         --testers-file data/testers.csv --release-notes-file notes.txt",
    );
    let sent = requests_to(&effects, "firebase.googleapis.com");
    assert_eq!(sent.len(), 1, "{effects:?}");
    let files = files_sent(sent[0]);
    for file in ["app.apk", "data/testers.csv", "notes.txt"] {
        assert!(files.contains(&at(file)), "{file}: {files:?}");
    }
    let groups = self::effects("firebase appdistribution:distribute app.apk --groups qa");
    let sent = requests_to(&groups, "firebase.googleapis.com");
    assert_eq!(files_sent(sent[0]), vec![at("app.apk")]);
    let added = self::effects("firebase appdistribution:testers:add --file emails.txt");
    let sent = requests_to(&added, "firebase.googleapis.com");
    assert_eq!(files_sent(sent[0]), vec![at("emails.txt")]);
}

#[test]
fn gradle_publishes_to_the_repository_url_a_property_gives() {
    let project = at("android");
    check(
        "./gradlew -p android :sdk:publishReleasePublicationToPartnerRepository \
         -PpartnerUrl=https://maven.partner.example/releases -PdocsUrl=https://docs.example/ -Pversion=1",
        json!([url_request(
            "gradlew",
            "https://maven.partner.example/releases",
            "UPLOAD",
            payload(&[], &[(&project, false)], &[])
        )]),
    );
    // No property names the repository: every URL one gives.
    check(
        "./gradlew publish -PrepoUrl=https://nexus.corp.example/releases -PrepoPassword=\"$NEXUS_PASSWORD\"",
        json!([url_request(
            "gradlew",
            "https://nexus.corp.example/releases",
            "UPLOAD",
            payload(&["$NEXUS_PASSWORD"], &[(W, false)], &["NEXUS_PASSWORD"])
        )]),
    );
    // The local repository is no upload.
    let local =
        effects("./gradlew publishToMavenLocal -PrepoUrl=https://nexus.corp.example/releases");
    assert!(!local.iter().any(|e| e["method"] == "UPLOAD"), "{local:?}");
    check(
        "./gradlew publishAllPublicationsToCorpRepository -Pversion=2",
        json!([]),
    );
}

#[test]
fn a_variable_named_like_an_action_is_no_call() {
    let written = vec![text_file(
        &at("fastlane/Fastfile"),
        "lane :tidy do\n  s3 = Aws::S3::Client.new(region: \"eu-west-1\")\n  s3.list_objects(bucket: \"acme-builds\")\nend\n",
    )];
    let effects = effects_of(&written, "fastlane tidy");
    assert!(
        !effects
            .iter()
            .any(|e| e["program"] == "fastlane" && e["effect"] == "request"),
        "{effects:?}"
    );
}
