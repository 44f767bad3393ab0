//! Artifact repositories and the credentials sent to them: JFrog CLI
//! downloads and searches carry the credentials they are given, vcpkg's
//! binary caches are written or read with their headers and SAS tokens,
//! Gradle's publishing tasks go to the repository their plugin fixes with
//! the credentials given as project properties, and Conan's remotes are
//! kept by name as rclone's and DVC's are.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::{RemoteLocation, Target, tool_remote_location};

/// A payload of the texts `text` that reference the variables `env`.
fn carrying(text: &[&str], env: &[&str]) -> Value {
    payload(text, &[], env)
}

#[test]
fn jfrog_downloads_and_searches_carry_their_credentials() {
    run_table(&[
        (
            "jf rt dl \"libs-release/com/acme/core/3.1.*/*.jar\" ./prev/ --url=https://acme.jfrog-cloud.example/artifactory --access-token=$ART_TOKEN --flat",
            json!([
                url_request(
                    "jf",
                    "https://acme.jfrog-cloud.example/artifactory/libs-release/com/acme/core/3.1.*/*.jar",
                    "DOWNLOAD",
                    carrying(&["$ART_TOKEN"], &["ART_TOKEN"])
                ),
                write(&at("prev")),
            ]),
        ),
        (
            "jfrog rt download libs/app.tgz --url https://art.example.net/artifactory --user ci --password \"$ART_PASS\"",
            json!([
                url_request(
                    "jfrog",
                    "https://art.example.net/artifactory/libs/app.tgz",
                    "DOWNLOAD",
                    carrying(&["ci", "$ART_PASS"], &["ART_PASS"])
                ),
                write(W),
            ]),
        ),
        // JFrog CLI v1's API key, and a credential in the environment.
        (
            "jfrog rt dl libs/a.zip out/ --url https://art.example.net/artifactory --apikey \"$KEY\"",
            json!([
                url_request(
                    "jfrog",
                    "https://art.example.net/artifactory/libs/a.zip",
                    "DOWNLOAD",
                    carrying(&["$KEY"], &["KEY"])
                ),
                write(&at("out")),
            ]),
        ),
        // A search presents its credentials to the server it searches.
        (
            "JF_ACCESS_TOKEN=$ART_TOKEN jf rt s \"libs/*.jar\" --url https://art.example.net/artifactory",
            json!([url_request(
                "jf",
                "https://art.example.net/artifactory/libs/*.jar",
                "GET",
                carrying(&["$ART_TOKEN"], &["ART_TOKEN"])
            )]),
        ),
        // Near misses: no credentials, no server, a dry run.
        (
            "jf rt s \"libs/*.jar\" --url https://art.example.net/artifactory",
            json!([]),
        ),
        (
            "jf rt dl libs/app.tgz --access-token $ART_TOKEN",
            json!([write(W)]),
        ),
        (
            "jf rt dl libs/app.tgz x/ --url https://art.example.net/artifactory --access-token $T --dry-run",
            json!([]),
        ),
        (
            "jf rt dl \"jcenter-cache/org/x/*.jar\" jars/ --url=https://repo.jfrog.org/artifactory --flat=true",
            json!([
                url_request(
                    "jf",
                    "https://repo.jfrog.org/artifactory/jcenter-cache/org/x/*.jar",
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("jars")),
            ]),
        ),
    ]);
}

#[test]
fn vcpkg_binary_caches_are_written_and_read_with_their_credentials() {
    run_table(&[
        // A written http source receives the packages, with its header.
        (
            "export VCPKG_BINARY_SOURCES=\"clear;http,https://cache.example.io/{name}/{version}/{sha},readwrite,Authorization: Bearer $GITHUB_TOKEN\" && ./vcpkg/vcpkg install --triplet x64-linux --x-manifest-root=cpp",
            json!([url_request(
                "vcpkg",
                "https://cache.example.io/{name}/{version}/{sha}",
                "UPLOAD",
                carrying(&["Authorization: Bearer $GITHUB_TOKEN"], &["GITHUB_TOKEN"])
            )]),
        ),
        // A read source still sends its header; the option works as the
        // variable does.
        (
            "vcpkg install zlib \"--binarysource=clear;http,https://cache.example.io/{sha}.zip,read,X-Key: $CACHE_KEY\"",
            json!([
                install("vcpkg", &["zlib"]),
                url_request(
                    "vcpkg",
                    "https://cache.example.io/{sha}.zip",
                    "GET",
                    carrying(&["X-Key: $CACHE_KEY"], &["CACHE_KEY"])
                ),
            ]),
        ),
        // Azure's SAS token goes with a read too.
        (
            "vcpkg ci --binarysource=\"x-azblob,https://acct.blob.core.windows.net/cache,$SAS\"",
            json!([url_request(
                "vcpkg",
                "https://acct.blob.core.windows.net/cache",
                "GET",
                carrying(&["$SAS"], &["SAS"])
            )]),
        ),
        // `clear` drops what came before; a bucket written is an upload.
        (
            "VCPKG_BINARY_SOURCES='http,https://old.example.io/{sha},readwrite;clear;x-aws,s3://acme-vcpkg/x64/,readwrite' vcpkg install",
            json!([url_request(
                "vcpkg",
                "s3://acme-vcpkg/x64/",
                "UPLOAD",
                empty()
            )]),
        ),
        // A backtick escapes a separator.
        (
            "VCPKG_BINARY_SOURCES='http,https://c.example.io/a`,b/{sha},write' vcpkg install",
            json!([url_request(
                "vcpkg",
                "https://c.example.io/a,b/{sha}",
                "UPLOAD",
                empty()
            )]),
        ),
        // Asset caching's Azure source, written.
        (
            "X_VCPKG_ASSET_SOURCES='x-azurl,https://acct.blob.core.windows.net/assets,,readwrite' vcpkg install",
            json!([url_request(
                "vcpkg",
                "https://acct.blob.core.windows.net/assets",
                "UPLOAD",
                empty()
            )]),
        ),
        // Near misses: local caches, a read source with nothing to send,
        // a command that builds nothing.
        (
            "VCPKG_BINARY_SOURCES='clear;files,/mnt/vcpkg-cache,readwrite' vcpkg install zlib",
            json!([install("vcpkg", &["zlib"])]),
        ),
        (
            "VCPKG_BINARY_SOURCES='clear;http,https://cache.example.io/{sha}' vcpkg install",
            json!([]),
        ),
        (
            "VCPKG_BINARY_SOURCES='clear;http,https://cache.example.io/{sha},readwrite' vcpkg list",
            json!([]),
        ),
    ]);
}

#[test]
fn gradle_publishing_goes_where_its_plugin_publishes() {
    let project = payload(&[], &[(W, false)], &[]);
    run_table(&[
        (
            "./gradlew :gradle-plugin:publishPlugins -Pgradle.publish.key=$GRADLE_PUBLISH_KEY -Pgradle.publish.secret=$GRADLE_PUBLISH_SECRET --no-configuration-cache",
            json!([public_request(
                "gradlew",
                "https://plugins.gradle.org",
                "UPLOAD",
                payload(
                    &["$GRADLE_PUBLISH_KEY", "$GRADLE_PUBLISH_SECRET"],
                    &[(W, false)],
                    &["GRADLE_PUBLISH_KEY", "GRADLE_PUBLISH_SECRET"]
                )
            )]),
        ),
        // The plugin's variables, and `-p` naming the project.
        (
            "GRADLE_PUBLISH_SECRET=$PORTAL_SECRET gradle -p plugin publishPlugins",
            json!([public_request(
                "gradle",
                "https://plugins.gradle.org",
                "UPLOAD",
                payload(
                    &["$PORTAL_SECRET"],
                    &[(&at("plugin"), false)],
                    &["PORTAL_SECRET"]
                )
            )]),
        ),
        // The Central Portal, with a credential from the environment; the
        // signing passphrase stays here.
        (
            "ORG_GRADLE_PROJECT_mavenCentralPassword=$CENTRAL_TOKEN ./gradlew publishAndReleaseToMavenCentral -PsigningInMemoryKeyPassword=$SIGNING_PASS",
            json!([public_request(
                "gradlew",
                "https://central.sonatype.com",
                "UPLOAD",
                payload(&["$CENTRAL_TOKEN"], &[(W, false)], &["CENTRAL_TOKEN"])
            )]),
        ),
        // Sonatype through gradle-nexus: one request for its tasks.
        (
            "./gradlew publishToSonatype closeAndReleaseSonatypeStagingRepository -P sonatypeUsername=ci --project-prop=sonatypePassword=$OSSRH_TOKEN",
            json!([public_request(
                "gradlew",
                "https://oss.sonatype.org/service/local/",
                "UPLOAD",
                payload(&["ci", "$OSSRH_TOKEN"], &[(W, false)], &["OSSRH_TOKEN"])
            )]),
        ),
        (
            "./gradlew publishAllPublicationsToMavenCentralRepository -Dorg.gradle.project.ossrhPassword=$P",
            json!([public_request(
                "gradlew",
                "https://central.sonatype.com",
                "UPLOAD",
                payload(&["$P"], &[(W, false)], &["P"])
            )]),
        ),
        (
            "./gradlew publishPlugins",
            json!([public_request(
                "gradlew",
                "https://plugins.gradle.org",
                "UPLOAD",
                project
            )]),
        ),
        // Near misses: the local repository, a repository only the build
        // files name, a dry run, a validation, an excluded task.
        (
            "./gradlew :core:publishToMavenLocal -x test --console=plain",
            json!([]),
        ),
        (
            "./gradlew --no-daemon publish -PnexusUser=ci -PnexusPassword=\"$NEXUS_PASSWORD\"",
            json!([]),
        ),
        (
            "./gradlew publishAllPublicationsToCorpNexusRepository -PcorpNexusPassword=$P",
            json!([]),
        ),
        ("./gradlew publishPlugins --dry-run", json!([])),
        ("./gradlew publishPlugins --validate-only", json!([])),
        ("./gradlew build -x publishPlugins", json!([])),
    ]);
}

/// A request to Conan's remote `name` that the line did not set.
fn conan_remote(name: &str) -> Value {
    json!({"kind": "tool_remote", "repo_dir": "/", "name": format!("conan:{name}")})
}

fn set_conan_remote(name: &str, url: &str) -> Value {
    json!({"effect": "git_remote", "repo_dir": "/", "name": format!("conan:{name}"), "url": url})
}

#[test]
fn conan_remotes_are_kept_by_name_and_uploads_go_to_them() {
    run_table(&[
        (
            "conan remote add partner https://conan.partner.example/api/conan/drops && conan upload \"geom/2.0.1#*\" -r partner --confirm",
            json!([
                set_conan_remote("partner", "https://conan.partner.example/api/conan/drops"),
                url_request(
                    "conan",
                    "https://conan.partner.example/api/conan/drops",
                    "UPLOAD",
                    carrying(&["geom/2.0.1#*"], &[])
                ),
            ]),
        ),
        // A remote set earlier in the session is resolved there.
        (
            "conan upload geom/2.0.1 --remote corp -c --only-recipe",
            json!([host_request(
                "conan",
                conan_remote("corp"),
                "UPLOAD",
                carrying(&["geom/2.0.1"], &[])
            )]),
        ),
        (
            "CONAN_PASSWORD=$CONAN_TOKEN conan upload 'geom/*' --remote=corp --confirm",
            json!([host_request(
                "conan",
                conan_remote("corp"),
                "UPLOAD",
                carrying(&["$CONAN_TOKEN", "geom/*"], &["CONAN_TOKEN"])
            )]),
        ),
        // Conan's own remote, unless the session moved it.
        (
            "conan upload geom/2.0.1 -r conancenter -c",
            json!([host_request(
                "conan",
                json!({"kind": "tool_remote", "repo_dir": "/", "name": "conan:conancenter", "unset": {"kind": "url", "url": "https://center2.conan.io"}}),
                "UPLOAD",
                carrying(&["geom/2.0.1"], &[])
            )]),
        ),
        // The password goes to the remote it logs in to.
        (
            "conan remote login corp ci-user -p \"$CONAN_PASS\"",
            json!([host_request(
                "conan",
                conan_remote("corp"),
                "POST",
                carrying(&["$CONAN_PASS", "ci-user"], &["CONAN_PASS"])
            )]),
        ),
        // Conan 1's `user`.
        (
            "conan user ci-user -r corp -p $CONAN_PASS",
            json!([host_request(
                "conan",
                conan_remote("corp"),
                "POST",
                carrying(&["$CONAN_PASS", "ci-user"], &["CONAN_PASS"])
            )]),
        ),
        // Moved, then removed: the upload names no destination it knows.
        (
            "conan remote update corp --url https://conan.acme.example/ && conan remote remove corp && conan upload g/1 -r corp -c",
            json!([
                set_conan_remote("corp", "https://conan.acme.example"),
                set_conan_remote("corp", ""),
                host_request(
                    "conan",
                    conan_remote("corp"),
                    "UPLOAD",
                    carrying(&["g/1"], &[])
                ),
            ]),
        ),
        // Near misses: a dry run, no remote, listings.
        ("conan upload g/1 -r corp --dry-run", json!([])),
        ("conan upload g/1 -c", json!([])),
        ("conan remote list", json!([])),
    ]);
}

#[test]
fn conan_installs_send_nothing() {
    for command in [
        "conan install cpp --lockfile=cpp/conan.lock --build=missing -s build_type=Release -of build/conan",
        "conan install . -r corp --build=missing",
    ] {
        let effects = effects_after(&[], command);
        let sends = effects
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["effect"] == "request")
            .count();
        assert_eq!(sends, 0, "{command}: {effects}");
    }
}

#[test]
fn a_removed_remote_leads_nowhere_known() {
    let target = Target::ToolRemote {
        repo_dir: "/".to_owned(),
        name: "conan:corp".to_owned(),
        path: None,
        unset: None,
    };
    let set = |url: &str| ("/".to_owned(), "conan:corp".to_owned(), url.to_owned());
    assert_eq!(
        tool_remote_location(&[set("https://conan.acme.example")], &target),
        Some(RemoteLocation::Url("https://conan.acme.example".to_owned()))
    );
    assert_eq!(
        tool_remote_location(&[set("https://conan.acme.example"), set("")], &target),
        None
    );
}
