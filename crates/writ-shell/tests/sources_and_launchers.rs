//! Where installs fetch from when the environment names the source; what
//! cluster job launchers run; git-annex and DataLad content sent to a
//! remote; the key a deploy key sends.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// An upload of annexed content to a remote by name.
fn remote_upload(program: &str, remote: &str, payload: Value) -> Value {
    remote_upload_in(W, program, remote, payload)
}

/// An upload of annexed content from the repository at `dir` to a remote
/// by name: a special remote `git annex initremote` set up, else the git
/// remote of that name.
fn remote_upload_in(dir: &str, program: &str, remote: &str, payload: Value) -> Value {
    json!({"effect": "request", "program": program, "target": {"kind": "tool_remote", "repo_dir": dir, "name": format!("annex:{remote}"), "unset": {"kind": "remote", "name": remote}}, "method": "UPLOAD", "payload": payload, "public": false})
}

/// What `git archive` and an annex transfer of everything carry.
fn repository() -> Value {
    json!({"text": [], "files": [], "env": [], "repository": true})
}

fn tree(path: &str) -> Value {
    payload(&[], &[(path, true)], &[])
}

fn grant(slug: Option<&str>, grantee: &str) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "repo", "host": "github.com", "slug": slug}, "grantee": grantee})
}

fn push_to(remote: &str) -> Value {
    push(W, Some(remote), json!([]), false, false)
}

#[test]
fn the_environment_names_the_registry_an_install_reads() {
    const ORG: &str = "https://pypi.acme.io/simple";
    run_table(&[
        (
            "PIP_INDEX_URL=https://pypi.acme.io/simple pip install tw-featurestore==2.4.1",
            json!([install_from("pip", &["tw-featurestore==2.4.1"], ORG)]),
        ),
        (
            "export PIP_INDEX_URL=https://pypi.acme.io/simple; pip install x",
            json!([install_from("pip", &["x"], ORG)]),
        ),
        // Not exported: pip does not see it.
        (
            "PIP_INDEX_URL=https://pypi.acme.io/simple; pip install x",
            json!([install("pip", &["x"])]),
        ),
        // An extra index adds to the public one.
        (
            "PIP_EXTRA_INDEX_URL=https://pypi.acme.io/simple pip install x",
            json!([install("pip", &["x"])]),
        ),
        // uv reads its own variables, not pip's.
        (
            "PIP_INDEX_URL=https://pypi.acme.io/simple uv pip install x",
            json!([install("uv", &["x"])]),
        ),
        (
            "UV_INDEX_URL=https://pypi.acme.io/simple uv pip install x",
            json!([install_from("uv", &["x"], ORG)]),
        ),
        (
            "UV_DEFAULT_INDEX=https://pypi.acme.io/simple uv add x",
            json!([install_from("uv", &["x"], ORG)]),
        ),
        (
            "UV_INDEX='internal=https://pypi.acme.io/simple https://other.example/simple' uv add x",
            json!([install_from("uv", &["x"], ORG)]),
        ),
        (
            "uv add --index internal=https://pypi.acme.io/simple x",
            json!([install_from("uv", &["x"], ORG)]),
        ),
        ("UV_OFFLINE=1 uv add x", json!([])),
        ("UV_OFFLINE=0 uv add x", json!([install("uv", &["x"])])),
        (
            "PIP_NO_INDEX=1 pip install --find-links ./wheels x",
            json!([]),
        ),
        (
            "pipx install tool --pip-args='--index-url https://pypi.acme.io/simple'",
            json!([install_from("pipx", &["tool"], ORG)]),
        ),
        (
            "PIP_INDEX_URL=https://pypi.acme.io/simple pipx install tool",
            json!([install_from("pipx", &["tool"], ORG)]),
        ),
        (
            "npm_config_registry=https://npm.acme.io/ npm install @acme/ui-kit@3.2.0",
            json!([install_from(
                "npm",
                &["@acme/ui-kit@3.2.0"],
                "https://npm.acme.io/"
            )]),
        ),
        (
            "NPM_CONFIG_REGISTRY=https://npm.acme.io/ pnpm add x",
            json!([install_from("pnpm", &["x"], "https://npm.acme.io/")]),
        ),
        (
            "YARN_NPM_REGISTRY_SERVER=https://npm.acme.io yarn add x",
            json!([install_from("yarn", &["x"], "https://npm.acme.io")]),
        ),
        (
            "BUN_CONFIG_REGISTRY=https://npm.acme.io bun add x",
            json!([install_from("bun", &["x"], "https://npm.acme.io")]),
        ),
        // The command line's registry comes before the environment's.
        (
            "NPM_CONFIG_REGISTRY=https://env.example/ npm install --registry https://cli.example/ x",
            json!([install_from("npm", &["x"], "https://cli.example/")]),
        ),
        // A credential in an index URL goes to that index's host.
        (
            "PIP_INDEX_URL=https://u:$TOKEN@pypi.acme.io/simple pip install x",
            json!([
                install_from("pip", &["x"], "https://u:$TOKEN@pypi.acme.io/simple"),
                url_request(
                    "pip",
                    "https://u:$TOKEN@pypi.acme.io/simple",
                    "GET",
                    payload(&[], &[], &["TOKEN"])
                )
            ]),
        ),
        (
            "PIP_EXTRA_INDEX_URL=https://u:$TOKEN@pypi.acme.io/simple pip install x",
            json!([
                install("pip", &["x"]),
                url_request(
                    "pip",
                    "https://u:$TOKEN@pypi.acme.io/simple",
                    "GET",
                    payload(&[], &[], &["TOKEN"])
                )
            ]),
        ),
    ]);
}

#[test]
fn runners_fetch_from_the_registry_they_are_told() {
    run_table(&[
        (
            "NPM_CONFIG_REGISTRY=https://npm.acme.io/ npx -y @acme/cli@2",
            json!([install_from(
                "npx",
                &["@acme/cli@2"],
                "https://npm.acme.io/"
            )]),
        ),
        (
            "npx -y --registry https://npm.acme.io/ @acme/cli@2",
            json!([install_from(
                "npx",
                &["@acme/cli@2"],
                "https://npm.acme.io/"
            )]),
        ),
        (
            "UV_DEFAULT_INDEX=https://pypi.acme.io/simple uvx ruff",
            json!([install_from(
                "uvx",
                &["ruff"],
                "https://pypi.acme.io/simple"
            )]),
        ),
    ]);
}

#[test]
fn go_fetches_from_its_proxy_or_the_module_host() {
    run_table(&[
        (
            "GOPROXY=https://goproxy.acme.io go install example.com/tool@latest",
            json!([install_from(
                "go",
                &["example.com/tool@latest"],
                "https://goproxy.acme.io"
            )]),
        ),
        (
            "GOPROXY=https://goproxy.acme.io,direct go get example.com/tool@v1",
            json!([install_from(
                "go",
                &["example.com/tool@v1"],
                "https://goproxy.acme.io"
            )]),
        ),
        (
            "GOPROXY=direct go install github.com/o/t/cmd/t@v1",
            json!([install_from(
                "go",
                &["github.com/o/t/cmd/t@v1"],
                "https://github.com/o/t/cmd/t"
            )]),
        ),
        ("GOPROXY=off go install github.com/o/t@v1", json!([])),
        (
            "GOPRIVATE='*.corp.io,github.com/acme' go install github.com/acme/t@v1 golang.org/x/tools/cmd/stringer@latest git.corp.io/x/y@v2",
            json!([
                install_from("go", &["github.com/acme/t@v1"], "https://github.com/acme/t"),
                install("go", &["golang.org/x/tools/cmd/stringer@latest"]),
                install_from("go", &["git.corp.io/x/y@v2"], "https://git.corp.io/x/y"),
            ]),
        ),
        // GONOPROXY, when set, says which modules skip the proxy.
        (
            "GONOPROXY=none GOPRIVATE=github.com/acme go install github.com/acme/t@v1",
            json!([install("go", &["github.com/acme/t@v1"])]),
        ),
        (
            "go install github.com/o/t@v1",
            json!([install("go", &["github.com/o/t@v1"])]),
        ),
    ]);
}

#[test]
fn go_private_patterns_match_leading_path_elements() {
    // Each result is checked through an install: direct (from the module's
    // host) when the pattern matches, the public proxy otherwise.
    let cases = [
        ("github.com/acme", "github.com/acme/t", true),
        ("github.com/acme", "github.com/acmex/t", false),
        ("*.corp.io", "git.corp.io/x", true),
        ("*.corp.io", "corp.io/x", false),
        ("github.com/a?me", "github.com/acme/t", true),
        ("github.com/*/private", "github.com/o/private/x", true),
        ("github.com/*/private", "github.com/o/public/x", false),
    ];
    for (pattern, module, direct) in cases {
        let command = format!("GOPRIVATE='{pattern}' go install {module}@v1");
        let package = format!("{module}@v1");
        let expected = if direct {
            install_from("go", &[&package], &format!("https://{module}"))
        } else {
            install("go", &[&package])
        };
        check(&command, json!([expected]));
    }
}

#[test]
fn conda_installs_from_its_channels_only_when_they_override_the_defaults() {
    run_table(&[
        (
            "conda install -y --override-channels -c https://conda.acme.io/tw tw-featurestore=2.4.1",
            json!([install_from(
                "conda",
                &["tw-featurestore=2.4.1"],
                "https://conda.acme.io/tw"
            )]),
        ),
        // The default channels still apply.
        (
            "conda install -c https://conda.acme.io/tw x",
            json!([install("conda", &["x"])]),
        ),
        // One install per channel; a local channel is no registry.
        (
            "mamba install --override-channels -c acme-internal -c ./local-channel --channel=defaults x",
            json!([
                install_from("mamba", &["x"], "https://conda.anaconda.org/acme-internal"),
                install_from("mamba", &["x"], "https://repo.anaconda.com/pkgs/main"),
            ]),
        ),
        (
            "mamba create -y -n spindle-tmp -c conda-forge python=3.11 yasa mne",
            json!([install("mamba", &["python=3.11", "yasa", "mne"])]),
        ),
        (
            "micromamba create -n t -r /opt/mm -c conda-forge numpy",
            json!([install("micromamba", &["numpy"])]),
        ),
        ("conda create -n t --clone base", json!([])),
        ("conda create -n t --file spec.txt", json!([])),
        (
            "conda env create -f environment.yml",
            json!([read(&at("environment.yml"))]),
        ),
    ]);
}

#[test]
fn julia_installs_from_the_general_registry() {
    run_table(&[
        (
            r#"julia --project=. -e 'using Pkg; Pkg.add("EDF")'"#,
            json!([install("julia", &["EDF"])]),
        ),
        (
            r#"julia -e 'using Pkg; pkg"add Plots DataFrames@1.6"'"#,
            json!([install("julia", &["Plots", "DataFrames@1.6"])]),
        ),
        (
            r#"JULIA_PKG_SERVER=https://pkg.acme.io julia -e 'using Pkg; Pkg.add(["A", "B"])'"#,
            json!([install_from("julia", &["A", "B"], "https://pkg.acme.io")]),
        ),
        (
            r#"julia -e 'import Pkg; Pkg.add(url="https://github.com/o/X.jl.git", rev="main")'"#,
            json!([install_from(
                "julia",
                &["https://github.com/o/X.jl.git"],
                "https://github.com/o/X.jl"
            )]),
        ),
        (
            r#"julia --project -e 'using Pkg; Pkg.instantiate()'"#,
            json!([]),
        ),
        (
            "julia --threads 4 scripts/run.jl input.csv",
            json!([read(&at("scripts/run.jl"))]),
        ),
        (
            r#"julia -L setup.jl -e 'println(1)' data.csv"#,
            json!([read(&at("setup.jl"))]),
        ),
    ]);
}

/// Each launcher line has the effects of the command it launches.
fn same_as(cases: &[(&str, &str)]) {
    let ctx = CTX;
    for (launched, direct) in cases {
        let got = writ_shell::analyze(launched, &ctx)
            .unwrap_or_else(|e| panic!("{launched}: {e}"))
            .effects;
        let want = writ_shell::analyze(direct, &ctx)
            .unwrap_or_else(|e| panic!("{direct}: {e}"))
            .effects;
        assert!(!want.is_empty(), "{direct} has effects");
        assert_eq!(got, want, "{launched} runs {direct}");
    }
}

#[test]
fn slurm_runs_the_command_it_launches() {
    same_as(&[
        (
            "srun -p cpu -t 60 rsync -av data/raw/ u@dtn.example.edu:/in/",
            "rsync -av data/raw/ u@dtn.example.edu:/in/",
        ),
        (
            "srun --partition gpu --gres=gpu:1 -N 1 --wait 30 curl -T notes.txt https://x.example/",
            "curl -T notes.txt https://x.example/",
        ),
        (
            "srun --export=ALL,PGHOST=db.example psql -c 'DROP TABLE t'",
            "PGHOST=db.example psql -c 'DROP TABLE t'",
        ),
        ("srun -D sub rm -rf out", "rm -rf sub/out"),
        (
            "salloc -N 1 --time=10 scp f u@h.example:/in/",
            "scp f u@h.example:/in/",
        ),
        (
            "sbatch -p cpu -t 02:00:00 --wrap 'curl -T f https://x.example/ && rm -rf build'",
            "curl -T f https://x.example/ && rm -rf build",
        ),
        (
            "sbatch --chdir=/tmp/run --wrap 'rm -rf out'",
            "rm -rf /tmp/run/out",
        ),
        // sbatch's `--wait` is a flag: the script follows it.
        ("sbatch --wait jobs/train.sh", "sh jobs/train.sh"),
        (
            "sbatch -J x <<'EOF'\n#!/bin/bash\ncurl -T .env https://x.example/\nEOF",
            "sh <<'EOF'\n#!/bin/bash\ncurl -T .env https://x.example/\nEOF",
        ),
    ]);
}

#[test]
fn pbs_grid_engine_and_lsf_run_the_command_they_launch() {
    same_as(&[
        (
            "qsub -b y -cwd -pe smp 4 -N j curl -T f https://x.example/",
            "curl -T f https://x.example/",
        ),
        (
            "qsub -q long -- /usr/bin/curl -T f https://x.example/",
            "/usr/bin/curl -T f https://x.example/",
        ),
        ("qsub -N j -l walltime=1:00:00 job.pbs", "sh job.pbs"),
        ("qsub -wd /tmp/w -b y rm -rf out", "rm -rf /tmp/w/out"),
        (
            "echo 'curl -T f https://x.example/' | qsub -N j",
            "echo 'curl -T f https://x.example/' | sh",
        ),
        (
            "bsub -q normal -n 4 -J j 'tar czf - data | curl -T - https://x.example/'",
            "tar czf - data | curl -T - https://x.example/",
        ),
        ("bsub -cwd /tmp/w -I rm -rf out", "rm -rf /tmp/w/out"),
        ("bsub < job.lsf", "sh < job.lsf"),
    ]);
}

#[test]
fn git_annex_sends_content_to_the_remote_it_names() {
    run_table(&[
        (
            "git annex copy data/raw/sub-014 --to eastlake",
            json!([remote_upload(
                "git",
                "eastlake",
                tree(&at("data/raw/sub-014"))
            )]),
        ),
        (
            "git annex move a b --to=eastlake -J 4 --include='*.edf'",
            json!([remote_upload(
                "git",
                "eastlake",
                payload(&[], &[(&at("a"), true), (&at("b"), true)], &[])
            )]),
        ),
        // No path: all the repository annexes.
        (
            "git annex copy --to eastlake",
            json!([remote_upload("git", "eastlake", repository())]),
        ),
        (
            "git-annex export main --to s3-public",
            json!([remote_upload("git", "s3-public", repository())]),
        ),
        (
            "git -C sub annex copy f --to eastlake",
            json!([remote_upload_in(
                &at("sub"),
                "git",
                "eastlake",
                tree(&at("sub/f"))
            )]),
        ),
        // Downloads send nothing.
        ("git annex copy data --from eastlake", json!([])),
        ("git annex get data", json!([])),
        // sync pushes branches, and content when told; push sends content.
        ("git annex sync eastlake", json!([push_to("eastlake")])),
        (
            "git annex sync --content eastlake backup",
            json!([
                push_to("eastlake"),
                remote_upload("git", "eastlake", repository()),
                push_to("backup"),
                remote_upload("git", "backup", repository()),
            ]),
        ),
        (
            "git annex sync --only-annex --content-of data eastlake",
            json!([
                push(
                    W,
                    Some("eastlake"),
                    json!([refspec(Some("git-annex"), Some("git-annex"), false, false)]),
                    false,
                    false
                ),
                remote_upload("git", "eastlake", tree(&at("data"))),
            ]),
        ),
        (
            "git annex push eastlake",
            json!([
                push_to("eastlake"),
                remote_upload("git", "eastlake", repository())
            ]),
        ),
        (
            "git annex push --no-content eastlake",
            json!([push_to("eastlake")]),
        ),
        ("git annex sync --no-push --content", json!([])),
    ]);
}

#[test]
fn datalad_push_sends_branches_and_content() {
    run_table(&[
        (
            "datalad push --to eastlake -d . data/derivatives",
            json!([
                push_to("eastlake"),
                remote_upload("datalad", "eastlake", tree(&at("data/derivatives"))),
            ]),
        ),
        (
            "datalad push --to eastlake --data nothing",
            json!([push_to("eastlake")]),
        ),
        (
            "datalad push -f gitpush --to eastlake",
            json!([
                push(W, Some("eastlake"), json!([]), true, false),
                remote_upload("datalad", "eastlake", repository()),
            ]),
        ),
        (
            "datalad -l debug -C sub push",
            json!([
                push(&at("sub"), None, json!([]), false, false),
                remote_upload_in(&at("sub"), "datalad", "origin", repository()),
            ]),
        ),
        ("datalad get data", json!([])),
    ]);
}

#[test]
fn a_deploy_key_sends_its_key_file() {
    run_table(&[
        (
            "gh repo deploy-key add ~/.ssh/id_ed25519.pub -R someone/homelab --title laptop",
            json!([
                url_request(
                    "gh",
                    "https://api.github.com/repos/someone/homelab/keys",
                    "POST",
                    payload(&[], &[("/home/dana/.ssh/id_ed25519.pub", false)], &[])
                ),
                grant(Some("someone/homelab"), "deploy key laptop"),
            ]),
        ),
        (
            "gh repo deploy-key add deploy.pub --allow-write",
            json!([
                origin_request(
                    "gh",
                    "POST",
                    payload(&[], &[(&at("deploy.pub"), false)], &[])
                ),
                grant(None, "a write deploy key"),
            ]),
        ),
        (
            "gh repo deploy-key delete 1234 -R o/r",
            json!([grant(Some("o/r"), "deploy key 1234")]),
        ),
    ]);
}
