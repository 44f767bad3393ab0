//! Image builders that push (ko, pack, Jib) and CI runners that register
//! this machine with a forge (GitHub's `config.sh`, `gitlab-runner`).

use serde_json::{Value, json};

use crate::common::{
    W, at, host, host_request, kubectl, payload, read, run_table, url_request, write,
};

/// The upload of `image` to its registry, as `docker push` makes it.
fn image_push(program: &str, registry: &str, path: &str, image: &str) -> Value {
    host_request(
        program,
        host(None, registry, None, Some(path)),
        "UPLOAD",
        payload(&[image], &[], &[]),
    )
}

#[test]
fn ko_pushes_to_its_repository() {
    run_table(&[
        (
            "KO_DOCKER_REPO=docker.io/someone ko build --bare --tags=dev,latest ./cmd/x",
            json!([image_push(
                "ko",
                "docker.io",
                "someone:dev",
                "docker.io/someone:dev"
            )]),
        ),
        // A bare name is a Docker Hub account; exported, the variable holds.
        (
            "export KO_DOCKER_REPO=someone; ko build ./cmd/x ./cmd/y",
            json!([
                image_push("ko", "docker.io", "someone/x", "someone/x"),
                image_push("ko", "docker.io", "someone/y", "someone/y"),
            ]),
        ),
        (
            "KO_DOCKER_REPO=ghcr.io/o ko publish -B -t v1 ./cmd/x",
            json!([image_push("ko", "ghcr.io", "o/x:v1", "ghcr.io/o/x:v1")]),
        ),
        (
            "KO_DOCKER_REPO=registry.example.com:5000/team ko build -P github.com/o/r/cmd/x",
            json!([host_request(
                "ko",
                host(
                    None,
                    "registry.example.com",
                    Some(5000),
                    Some("team/github.com/o/r/cmd/x")
                ),
                "UPLOAD",
                payload(
                    &["registry.example.com:5000/team/github.com/o/r/cmd/x"],
                    &[],
                    &[]
                ),
            )]),
        ),
        // No import path: the working directory's package.
        (
            "KO_DOCKER_REPO=ghcr.io/o/app ko build --bare",
            json!([image_push("ko", "ghcr.io", "o/app", "ghcr.io/o/app")]),
        ),
        (
            "KO_DOCKER_REPO=ghcr.io/o ko resolve -f config/",
            json!([image_push("ko", "ghcr.io", "o", "ghcr.io/o")]),
        ),
    ]);
}

#[test]
fn ko_apply_also_applies_to_the_cluster() {
    run_table(&[
        (
            "KO_DOCKER_REPO=ghcr.io/o ko apply -f config/ --context prod-eu1 -n ns",
            json!([
                image_push("ko", "ghcr.io", "o", "ghcr.io/o"),
                kubectl(
                    "apply",
                    &[],
                    Some("prod-eu1"),
                    Some("ns"),
                    &[&at("config")],
                    false,
                    false
                ),
            ]),
        ),
        (
            "KO_DOCKER_REPO=ko.local ko create -R -f config/",
            json!([kubectl(
                "create",
                &[],
                None,
                None,
                &[&at("config")],
                false,
                false
            )]),
        ),
        (
            "ko delete -f config/",
            json!([kubectl(
                "delete",
                &[],
                None,
                None,
                &[&at("config")],
                false,
                false
            )]),
        ),
        (
            "KO_DOCKER_REPO=ghcr.io/o ko run ./cmd/x --context prod -- -v a",
            json!([
                image_push("ko", "ghcr.io", "o/x", "ghcr.io/o/x"),
                kubectl(
                    "run",
                    &["x", "-v", "a"],
                    Some("prod"),
                    None,
                    &[],
                    false,
                    false
                ),
            ]),
        ),
    ]);
}

#[test]
fn ko_builds_that_stay_here_push_nothing() {
    run_table(&[
        (
            "KO_DOCKER_REPO=ghcr.io/o ko build --local ./cmd/x",
            json!([read(&at("cmd/x"))]),
        ),
        (
            "KO_DOCKER_REPO=ghcr.io/o ko build -L ./cmd/x",
            json!([read(&at("cmd/x"))]),
        ),
        (
            "KO_DOCKER_REPO=ko.local ko build ./cmd/x",
            json!([read(&at("cmd/x"))]),
        ),
        (
            "KO_DOCKER_REPO=kind.local/app ko build --bare .",
            json!([read(W)]),
        ),
        (
            "KO_DOCKER_REPO=ghcr.io/o ko build --push=false --tarball out.tar ./cmd/x",
            json!([read(&at("cmd/x")), write(&at("out.tar"))]),
        ),
        // A module path is not a directory here.
        ("ko build --local github.com/o/r/cmd/x", json!([])),
        ("ko version", json!([])),
    ]);
}

#[test]
fn pack_publishes_only_when_told() {
    run_table(&[
        (
            "pack build docker.io/u/app --builder paketobuildpacks/builder-jammy-base --publish -t docker.io/u/app:v1",
            json!([
                image_push("pack", "docker.io", "u/app", "docker.io/u/app"),
                image_push("pack", "docker.io", "u/app:v1", "docker.io/u/app:v1"),
            ]),
        ),
        (
            "pack build ghcr.io/o/app --publish --cache-image ghcr.io/o/cache",
            json!([
                image_push("pack", "ghcr.io", "o/app", "ghcr.io/o/app"),
                image_push("pack", "ghcr.io", "o/cache", "ghcr.io/o/cache"),
            ]),
        ),
        (
            "pack builder create ghcr.io/o/builder --config builder.toml --publish",
            json!([image_push(
                "pack",
                "ghcr.io",
                "o/builder",
                "ghcr.io/o/builder"
            )]),
        ),
        // Into the local daemon: the build reads its source.
        ("pack build u/app --path ./svc", json!([read(&at("svc"))])),
        ("pack build u/app -B b", json!([read(W)])),
        (
            "pack buildpack package my-bp.cnb --config package.toml --format file",
            json!([write(&at("my-bp.cnb"))]),
        ),
        ("pack config default-builder b", json!([])),
    ]);
}

#[test]
fn jib_pushes_are_the_same_upload() {
    run_table(&[
        (
            "mvn compile jib:build -Dimage=docker.io/u/app",
            json!([image_push("mvn", "docker.io", "u/app", "docker.io/u/app")]),
        ),
        (
            "gradle jib --image=ghcr.io/o/app",
            json!([image_push("gradle", "ghcr.io", "o/app", "ghcr.io/o/app")]),
        ),
        ("gradle jibDockerBuild --image=ghcr.io/o/app", json!([])),
    ]);
}

#[test]
fn runners_register_with_their_forge() {
    run_table(&[
        (
            "cd /tmp/actions-runner && ./config.sh --unattended --ephemeral --url https://github.com/o/r --token T1 --name n --labels self-hosted,linux --work _work",
            json!([url_request(
                "config.sh",
                "https://github.com/o/r",
                "POST",
                payload(&["T1"], &[], &[])
            )]),
        ),
        (
            "./config.sh remove --url https://github.com/o --pat $GH_PAT",
            json!([url_request(
                "config.sh",
                "https://github.com/o",
                "DELETE",
                payload(&["$GH_PAT"], &[], &["GH_PAT"])
            )]),
        ),
        (
            "ACTIONS_RUNNER_INPUT_URL=https://github.com/o/r ACTIONS_RUNNER_INPUT_TOKEN=T2 ./config.sh --unattended",
            json!([url_request(
                "config.sh",
                "https://github.com/o/r",
                "POST",
                payload(&["T2"], &[], &[])
            )]),
        ),
        (
            "config.cmd --url https://github.com/o/r --token T1",
            json!([url_request(
                "config.cmd",
                "https://github.com/o/r",
                "POST",
                payload(&["T1"], &[], &[])
            )]),
        ),
        (
            "gitlab-runner register --non-interactive --url https://gitlab.com/ --registration-token GR1 --executor shell",
            json!([url_request(
                "gitlab-runner",
                "https://gitlab.com/",
                "POST",
                payload(&["GR1"], &[], &[])
            )]),
        ),
        (
            "CI_SERVER_URL=https://gitlab.example.com gitlab-runner register -n -t glrt-1 --executor docker",
            json!([url_request(
                "gitlab-runner",
                "https://gitlab.example.com",
                "POST",
                payload(&["glrt-1"], &[], &[])
            )]),
        ),
        (
            "gitlab-runner unregister --url https://gitlab.example.com --token glrt-x",
            json!([url_request(
                "gitlab-runner",
                "https://gitlab.example.com",
                "DELETE",
                payload(&["glrt-x"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn other_config_scripts_are_not_runners() {
    run_table(&[
        // A project's own configure script: no runner URL and token.
        (
            "./config.sh --prefix /usr/local",
            json!([read("/usr/local")]),
        ),
        ("gitlab-runner list", json!([])),
    ]);
}
