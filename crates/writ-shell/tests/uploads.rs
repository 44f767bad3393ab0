//! Table-driven tests for CLIs that upload or publish: model and data
//! platforms, package and artifact publishers, signatures, keys, and the
//! credentials they are handed. Each case is a command line and the exact
//! effects (as JSON) `analyze` must report for it, run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

/// ssh-copy-id's key may log in to `account` on the host.
fn login_grant(account: &str) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": format!("{account}:.ssh/authorized_keys")}, "grantee": null})
}

fn helm(verb: &str) -> Value {
    json!({"effect": "helm", "verb": verb, "release": null, "kube_context": null, "dry_run": false})
}

#[test]
fn hugging_face() {
    run_table(&[
        (
            "huggingface-cli upload acme/eta-model ./model",
            json!([url_request(
                "huggingface-cli",
                "https://huggingface.co/acme/eta-model",
                "UPLOAD",
                payload(&[], &[(&at("model"), true)], &[])
            )]),
        ),
        (
            "hf upload someone/x data/raw/customers.parquet --repo-type dataset",
            json!([url_request(
                "hf",
                "https://huggingface.co/datasets/someone/x",
                "UPLOAD",
                payload(&[], &[(&at("data/raw/customers.parquet"), true)], &[])
            )]),
        ),
        (
            "hf upload jdoe/demo . --repo-type=space --private -m 'first cut'",
            json!([url_request(
                "hf",
                "https://huggingface.co/spaces/jdoe/demo",
                "UPLOAD",
                payload(&[], &[(W, true)], &[])
            )]),
        ),
        (
            "hf upload jdoe/demo . --commit-message 'first cut'",
            json!([url_request(
                "hf",
                "https://huggingface.co/jdoe/demo",
                "UPLOAD",
                payload(&["first cut"], &[(W, true)], &[])
            )]),
        ),
        // Without a local path, the file or folder named as the repository.
        (
            "huggingface-cli upload jdoe/reports",
            json!([url_request(
                "huggingface-cli",
                "https://huggingface.co/jdoe/reports",
                "UPLOAD",
                payload(&[], &[(&at("reports"), true)], &[])
            )]),
        ),
        // Tokens on the line or in its environment go with the upload.
        (
            "HF_TOKEN=$HF_WRITE hf upload jdoe/m out --token \"$T\"",
            json!([url_request(
                "hf",
                "https://huggingface.co/jdoe/m",
                "UPLOAD",
                payload(
                    &["$T", "$HF_WRITE"],
                    &[(&at("out"), true)],
                    &["T", "HF_WRITE"]
                )
            )]),
        ),
        (
            "HF_ENDPOINT=https://hub.acme.dev hf upload team/m weights.bin",
            json!([url_request(
                "hf",
                "https://hub.acme.dev/team/m",
                "UPLOAD",
                payload(&[], &[(&at("weights.bin"), true)], &[])
            )]),
        ),
        // A new repository is public unless `--private`.
        (
            "huggingface-cli repo create eta --type dataset --organization acme",
            json!([public_request(
                "huggingface-cli",
                "https://huggingface.co/datasets/acme/eta",
                "POST",
                empty()
            )]),
        ),
        (
            "hf repo create jdoe/scratch --private",
            json!([url_request(
                "hf",
                "https://huggingface.co/jdoe/scratch",
                "POST",
                empty()
            )]),
        ),
        (
            "hf repo delete jdoe/scratch",
            json!([url_request(
                "hf",
                "https://huggingface.co/jdoe/scratch",
                "DELETE",
                empty()
            )]),
        ),
        ("huggingface-cli download acme/eta-model", json!([])),
        ("hf download gpt2 --local-dir models/gpt2", json!([])),
        ("huggingface-cli login", json!([])),
        ("hf auth whoami", json!([])),
    ]);
}

#[test]
fn kaggle() {
    run_table(&[
        (
            "kaggle datasets create -p ./export --public",
            json!([public_request(
                "kaggle",
                "https://www.kaggle.com",
                "UPLOAD",
                payload(&[], &[(&at("export"), true)], &[])
            )]),
        ),
        (
            "kaggle datasets create -p data",
            json!([url_request(
                "kaggle",
                "https://www.kaggle.com",
                "UPLOAD",
                payload(&[], &[(&at("data"), true)], &[])
            )]),
        ),
        (
            "kaggle datasets version -p data -m 'weekly refresh' -r zip",
            json!([url_request(
                "kaggle",
                "https://www.kaggle.com",
                "UPLOAD",
                payload(&["weekly refresh"], &[(&at("data"), true)], &[])
            )]),
        ),
        (
            "kaggle kernels push -p notebooks/eda -t 600",
            json!([url_request(
                "kaggle",
                "https://www.kaggle.com",
                "UPLOAD",
                payload(&[], &[(&at("notebooks/eda"), true)], &[])
            )]),
        ),
        // Without `-p`, the working directory; `d` is `datasets`.
        (
            "kaggle d create -u",
            json!([public_request(
                "kaggle",
                "https://www.kaggle.com",
                "UPLOAD",
                payload(&[], &[(W, true)], &[])
            )]),
        ),
        (
            "kaggle models instances versions create acme/eta/pytorch/v1 -p weights -n retrained",
            json!([url_request(
                "kaggle",
                "https://www.kaggle.com",
                "UPLOAD",
                payload(&["retrained"], &[(&at("weights"), true)], &[])
            )]),
        ),
        (
            "kaggle competitions submit -c titanic -f submission.csv -m first",
            json!([url_request(
                "kaggle",
                "https://www.kaggle.com",
                "UPLOAD",
                payload(&["first"], &[(&at("submission.csv"), false)], &[])
            )]),
        ),
        (
            "KAGGLE_KEY=$KAGGLE_SECRET kaggle kernels push",
            json!([url_request(
                "kaggle",
                "https://www.kaggle.com",
                "UPLOAD",
                payload(&["$KAGGLE_SECRET"], &[(W, true)], &["KAGGLE_SECRET"])
            )]),
        ),
        ("kaggle datasets list -s titanic", json!([])),
        ("kaggle datasets download -d zillow/zecon", json!([])),
        ("kaggle kernels pull jdoe/eda -p notebooks", json!([])),
        ("kaggle competitions list", json!([])),
    ]);
}

#[test]
fn weights_and_biases() {
    run_table(&[
        (
            "wandb sync ./wandb/offline-run-20270301",
            json!([url_request(
                "wandb",
                "https://api.wandb.ai",
                "UPLOAD",
                payload(&[], &[(&at("wandb/offline-run-20270301"), true)], &[])
            )]),
        ),
        (
            "wandb sync --sync-all",
            json!([url_request(
                "wandb",
                "https://api.wandb.ai",
                "UPLOAD",
                payload(&[], &[(&at("wandb"), true)], &[])
            )]),
        ),
        (
            "WANDB_BASE_URL=https://wandb.acme.io wandb artifact put -n eval-set -t dataset data/eval.csv",
            json!([url_request(
                "wandb",
                "https://wandb.acme.io",
                "UPLOAD",
                payload(&[], &[(&at("data/eval.csv"), true)], &[])
            )]),
        ),
        (
            "export WANDB_API_KEY=$WB_KEY; wandb sync -p demo runs/1",
            json!([url_request(
                "wandb",
                "https://api.wandb.ai",
                "UPLOAD",
                payload(&["$WB_KEY"], &[(&at("runs/1"), true)], &["WB_KEY"])
            )]),
        ),
        ("wandb login", json!([])),
        ("wandb offline", json!([])),
        ("wandb artifact get acme/proj/eval-set:v3", json!([])),
    ]);
}

#[test]
fn mlflow() {
    run_table(&[
        (
            "MLFLOW_TRACKING_URI=https://mlflow.example.net mlflow artifacts log-artifact --local-file report.html --run-id 4f2a",
            json!([url_request(
                "mlflow",
                "https://mlflow.example.net",
                "UPLOAD",
                payload(&[], &[(&at("report.html"), false)], &[])
            )]),
        ),
        (
            "mlflow artifacts log-artifacts -l outputs -r 4f2a --tracking-uri http://10.0.0.5:5000",
            json!([url_request(
                "mlflow",
                "http://10.0.0.5:5000",
                "UPLOAD",
                payload(&[], &[(&at("outputs"), true)], &[])
            )]),
        ),
        (
            "export MLFLOW_TRACKING_URI=https://mlflow.example.net; mlflow run . -P alpha=0.5",
            json!([url_request(
                "mlflow",
                "https://mlflow.example.net",
                "POST",
                payload(&["alpha=0.5"], &[], &[])
            )]),
        ),
        (
            "MLFLOW_TRACKING_URI=http://mlflow:5000 mlflow experiments create -n churn",
            json!([url_request(
                "mlflow",
                "http://mlflow:5000",
                "POST",
                payload(&["churn"], &[], &[])
            )]),
        ),
        // No tracking server, or a local store: nothing leaves.
        (
            "mlflow artifacts log-artifact --local-file report.html",
            json!([]),
        ),
        ("MLFLOW_TRACKING_URI=./mlruns mlflow run .", json!([])),
        (
            "MLFLOW_TRACKING_URI=databricks mlflow artifacts log-artifacts -l out",
            json!([]),
        ),
        ("mlflow ui", json!([])),
        ("mlflow server --host 0.0.0.0 --port 5000", json!([])),
        (
            "MLFLOW_TRACKING_URI=https://mlflow.example.net mlflow artifacts download -r 4f2a",
            json!([]),
        ),
    ]);
}

#[test]
fn papermill() {
    run_table(&[
        (
            "papermill a.ipynb out.ipynb",
            json!([read(&at("a.ipynb")), write(&at("out.ipynb"))]),
        ),
        (
            "papermill report.ipynb s3://acme-reports/run1/report.ipynb -p region eu",
            json!([
                read(&at("report.ipynb")),
                url_request(
                    "papermill",
                    "s3://acme-reports/run1/report.ipynb",
                    "UPLOAD",
                    payload(&["region", "eu"], &[(&at("report.ipynb"), false)], &[])
                )
            ]),
        ),
        (
            "papermill in.ipynb gs://scratch/out.ipynb -f params.yaml -k python3",
            json!([
                read(&at("in.ipynb")),
                read(&at("params.yaml")),
                url_request(
                    "papermill",
                    "gs://scratch/out.ipynb",
                    "UPLOAD",
                    payload(
                        &[],
                        &[(&at("in.ipynb"), false), (&at("params.yaml"), false)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "papermill in.ipynb abfs://nb@acme.dfs.core.windows.net/out.ipynb --parameters_yaml='{a: 1}'",
            json!([
                read(&at("in.ipynb")),
                url_request(
                    "papermill",
                    "abfs://nb@acme.dfs.core.windows.net/out.ipynb",
                    "UPLOAD",
                    payload(&["{a: 1}"], &[(&at("in.ipynb"), false)], &[])
                )
            ]),
        ),
        (
            "papermill s3://acme-reports/tpl.ipynb out.ipynb",
            json!([
                url_request(
                    "papermill",
                    "s3://acme-reports/tpl.ipynb",
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("out.ipynb"))
            ]),
        ),
    ]);
}

#[test]
fn python_and_ruby_publishers() {
    run_table(&[
        (
            "uv publish",
            json!([public_request(
                "uv",
                "https://upload.pypi.org/legacy/",
                "UPLOAD",
                payload(&[], &[(&at("dist/*"), false)], &[])
            )]),
        ),
        (
            "uv publish --token \"$PYPI_TOKEN\" dist/acme-1.0.whl",
            json!([public_request(
                "uv",
                "https://upload.pypi.org/legacy/",
                "UPLOAD",
                payload(
                    &["$PYPI_TOKEN"],
                    &[(&at("dist/acme-1.0.whl"), false)],
                    &["PYPI_TOKEN"]
                )
            )]),
        ),
        (
            "uv publish --publish-url https://pypi.acme.io/legacy/ -u ci -p \"$PASS\"",
            json!([url_request(
                "uv",
                "https://pypi.acme.io/legacy/",
                "UPLOAD",
                payload(&["ci", "$PASS"], &[(&at("dist/*"), false)], &["PASS"])
            )]),
        ),
        (
            "UV_PUBLISH_TOKEN=$PYPI_TOKEN uv publish",
            json!([public_request(
                "uv",
                "https://upload.pypi.org/legacy/",
                "UPLOAD",
                payload(&["$PYPI_TOKEN"], &[(&at("dist/*"), false)], &["PYPI_TOKEN"])
            )]),
        ),
        // An index named in the project's configuration: where is unknown.
        ("uv publish --index internal", json!([])),
        ("uv publish --dry-run", json!([])),
        (
            "twine upload -u __token__ -p \"$PYPI_TOKEN\" dist/*",
            json!([public_request(
                "twine",
                "https://upload.pypi.org/legacy/",
                "UPLOAD",
                payload(
                    &["__token__", "$PYPI_TOKEN"],
                    &[(&at("dist/*"), false)],
                    &["PYPI_TOKEN"]
                )
            )]),
        ),
        (
            "twine upload --password=$TOKEN -r testpypi dist/*",
            json!([url_request(
                "twine",
                "https://test.pypi.org/legacy/",
                "UPLOAD",
                payload(&["$TOKEN"], &[(&at("dist/*"), false)], &["TOKEN"])
            )]),
        ),
        (
            "TWINE_PASSWORD=$PYPI_TOKEN twine upload dist/*",
            json!([public_request(
                "twine",
                "https://upload.pypi.org/legacy/",
                "UPLOAD",
                payload(&["$PYPI_TOKEN"], &[(&at("dist/*"), false)], &["PYPI_TOKEN"])
            )]),
        ),
        (
            "poetry publish -u ci -p \"$REPO_PASS\"",
            json!([public_request(
                "poetry",
                "https://upload.pypi.org/legacy/",
                "UPLOAD",
                payload(&["ci", "$REPO_PASS"], &[(W, false)], &["REPO_PASS"])
            )]),
        ),
        (
            "gem push acme-1.0.gem --host https://gems.acme.io",
            json!([url_request(
                "gem",
                "https://gems.acme.io",
                "UPLOAD",
                payload(&[], &[(&at("acme-1.0.gem"), false)], &[])
            )]),
        ),
        (
            "GEM_HOST_API_KEY=$RUBYGEMS_KEY gem push acme-1.0.gem",
            json!([public_request(
                "gem",
                "https://rubygems.org",
                "UPLOAD",
                payload(
                    &["$RUBYGEMS_KEY"],
                    &[(&at("acme-1.0.gem"), false)],
                    &["RUBYGEMS_KEY"]
                )
            )]),
        ),
        (
            "cargo publish --token \"$CRATES_TOKEN\"",
            json!([public_request(
                "cargo",
                "https://crates.io",
                "UPLOAD",
                payload(&["$CRATES_TOKEN"], &[(W, false)], &["CRATES_TOKEN"])
            )]),
        ),
        // `-p` is cargo's `--package`, not a credential.
        (
            "cargo publish -p acme-core",
            json!([public_request(
                "cargo",
                "https://crates.io",
                "UPLOAD",
                payload(&[], &[(W, false)], &[])
            )]),
        ),
    ]);
}

#[test]
fn npm_registry_changes() {
    run_table(&[
        (
            "npm unpublish left-pad@1.3.0",
            json!([url_request(
                "npm",
                "https://registry.npmjs.org/left-pad",
                "DELETE",
                payload(&["left-pad@1.3.0"], &[], &[])
            )]),
        ),
        (
            "npm deprecate @acme/ui@\"<2\" \"use v2\"",
            json!([url_request(
                "npm",
                "https://registry.npmjs.org/@acme/ui",
                "PUT",
                payload(&["@acme/ui@<2", "use v2"], &[], &[])
            )]),
        ),
        (
            "npm dist-tag add @acme/ui@2.0.0 latest --registry https://npm.acme.io/",
            json!([url_request(
                "npm",
                "https://npm.acme.io/@acme/ui",
                "PUT",
                payload(&["@acme/ui@2.0.0", "latest"], &[], &[])
            )]),
        ),
        (
            "npm dist-tag rm left-pad beta --otp 123456",
            json!([url_request(
                "npm",
                "https://registry.npmjs.org/left-pad",
                "DELETE",
                payload(&["123456", "left-pad", "beta"], &[], &[])
            )]),
        ),
        (
            "npm owner add mallory @acme/ui",
            json!([
                {"effect": "grant_access", "resource": {"kind": "other", "name": "npm package @acme/ui"}, "grantee": "mallory"},
                url_request(
                    "npm",
                    "https://registry.npmjs.org/@acme/ui",
                    "PUT",
                    payload(&["mallory", "@acme/ui"], &[], &[])
                )
            ]),
        ),
        (
            "npm publish --//registry.npmjs.org/:_authToken=$NPM_PUBLISH",
            json!([public_request(
                "npm",
                "https://registry.npmjs.org",
                "UPLOAD",
                payload(&["$NPM_PUBLISH"], &[(W, false)], &["NPM_PUBLISH"])
            )]),
        ),
        (
            "yarn npm publish --access public",
            json!([public_request(
                "yarn",
                "https://registry.yarnpkg.com",
                "UPLOAD",
                payload(&[], &[(W, false)], &[])
            )]),
        ),
        (
            "yarn npm tag add @acme/ui@2.0.0 next",
            json!([url_request(
                "yarn",
                "https://registry.yarnpkg.com/@acme/ui",
                "PUT",
                payload(&["@acme/ui@2.0.0", "next"], &[], &[])
            )]),
        ),
        ("npm pack", json!([])),
        ("npm dist-tag ls left-pad", json!([])),
        ("npm owner ls @acme/ui", json!([])),
        ("yarn npm info react", json!([])),
    ]);
}

#[test]
fn charts_images_and_signatures() {
    run_table(&[
        (
            "helm push chart-1.0.tgz oci://ghcr.io/jdoe/charts",
            json!([
                helm("push"),
                host_request(
                    "helm",
                    host(None, "ghcr.io", None, Some("jdoe/charts")),
                    "UPLOAD",
                    payload(&[], &[(&at("chart-1.0.tgz"), false)], &[])
                )
            ]),
        ),
        (
            "helm push chart.tgz oci://localhost:5000/charts --username u --password \"$REG_PASS\"",
            json!([
                helm("push"),
                host_request(
                    "helm",
                    host(None, "localhost", Some(5000), Some("charts")),
                    "UPLOAD",
                    payload(
                        &["u", "$REG_PASS"],
                        &[(&at("chart.tgz"), false)],
                        &["REG_PASS"]
                    )
                )
            ]),
        ),
        (
            "helm repo add acme https://charts.acme.io/ --username ci --password \"$HELM_PASS\"",
            json!([
                helm("repo"),
                url_request(
                    "helm",
                    "https://charts.acme.io/index.yaml",
                    "GET",
                    payload(&["ci", "$HELM_PASS"], &[], &["HELM_PASS"])
                )
            ]),
        ),
        (
            "helm cm-push web/ https://cm.acme.io --access-token \"$CM_TOKEN\"",
            json!([
                helm("cm-push"),
                url_request(
                    "helm",
                    "https://cm.acme.io",
                    "UPLOAD",
                    payload(&["$CM_TOKEN"], &[(&at("web"), false)], &["CM_TOKEN"])
                )
            ]),
        ),
        (
            "helm pull oci://ghcr.io/acme/charts/web --version 1.2.0",
            json!([helm("pull")]),
        ),
        (
            "cosign sign --key cosign.key ghcr.io/jdoe/api:1",
            json!([host_request(
                "cosign",
                host(None, "ghcr.io", None, Some("jdoe/api:1")),
                "UPLOAD",
                payload(&["ghcr.io/jdoe/api:1"], &[], &[])
            )]),
        ),
        (
            "cosign sign -y -a env=prod --registry-password \"$REG\" ghcr.io/acme/api@sha256:abc",
            json!([host_request(
                "cosign",
                host(None, "ghcr.io", None, Some("acme/api@sha256:abc")),
                "UPLOAD",
                payload(
                    &["$REG", "env=prod", "ghcr.io/acme/api@sha256:abc"],
                    &[],
                    &["REG"]
                )
            )]),
        ),
        (
            "cosign attest --predicate sbom.json --type spdxjson --key k.key registry.acme.io:5000/app:1",
            json!([host_request(
                "cosign",
                host(None, "registry.acme.io", Some(5000), Some("app:1")),
                "UPLOAD",
                payload(
                    &["registry.acme.io:5000/app:1"],
                    &[(&at("sbom.json"), false)],
                    &[]
                )
            )]),
        ),
        (
            "cosign attach sbom --sbom sbom.spdx ghcr.io/jdoe/api:1",
            json!([host_request(
                "cosign",
                host(None, "ghcr.io", None, Some("jdoe/api:1")),
                "UPLOAD",
                payload(&["ghcr.io/jdoe/api:1"], &[(&at("sbom.spdx"), false)], &[])
            )]),
        ),
        (
            "cosign upload blob -f data/export.csv ghcr.io/jdoe/blobs:x",
            json!([host_request(
                "cosign",
                host(None, "ghcr.io", None, Some("jdoe/blobs:x")),
                "UPLOAD",
                payload(
                    &["ghcr.io/jdoe/blobs:x"],
                    &[(&at("data/export.csv"), false)],
                    &[]
                )
            )]),
        ),
        (
            "cosign copy ghcr.io/acme/api:1 quay.io/jdoe/api:1",
            json!([host_request(
                "cosign",
                host(None, "quay.io", None, Some("jdoe/api:1")),
                "UPLOAD",
                payload(&["quay.io/jdoe/api:1"], &[], &[])
            )]),
        ),
        (
            "cosign sign --upload=false --key cosign.key ghcr.io/jdoe/api:1",
            json!([]),
        ),
        (
            "cosign verify --key cosign.pub ghcr.io/acme/api:1",
            json!([]),
        ),
        ("cosign sign-blob --key cosign.key README.md", json!([])),
        ("cosign tree ghcr.io/acme/api:1", json!([])),
    ]);
}

#[test]
fn keys_builds_and_releases() {
    run_table(&[
        (
            "gpg --send-keys 0xDEADBEEF",
            json!([public_request(
                "gpg",
                "hkps://keys.openpgp.org",
                "UPLOAD",
                payload(&["0xDEADBEEF"], &[], &[])
            )]),
        ),
        (
            "gpg --keyserver keyserver.ubuntu.com --send-keys ABCD1234 EF567890",
            json!([public_request(
                "gpg",
                "hkps://keyserver.ubuntu.com",
                "UPLOAD",
                payload(&["ABCD1234", "EF567890"], &[], &[])
            )]),
        ),
        (
            "gpg --keyserver hkp://keys.acme.io:11371 --send-keys ABCD1234",
            json!([public_request(
                "gpg",
                "hkp://keys.acme.io:11371",
                "UPLOAD",
                payload(&["ABCD1234"], &[], &[])
            )]),
        ),
        ("gpg --list-keys", json!([])),
        ("gpg --recv-keys ABCD1234", json!([])),
        (
            "ssh-copy-id -i ~/.ssh/deploy_ed25519 deploy@build.example.net",
            json!([
                host_request(
                    "ssh-copy-id",
                    host(Some("deploy"), "build.example.net", None, None),
                    "UPLOAD",
                    payload(&[], &[("/home/dana/.ssh/deploy_ed25519.pub", false)], &[])
                ),
                login_grant("deploy@build.example.net")
            ]),
        ),
        // Without `-i`, the newest `~/.ssh/id*.pub`.
        (
            "ssh-copy-id -p 2222 box.example.net",
            json!([
                host_request(
                    "ssh-copy-id",
                    host(None, "box.example.net", Some(2222), None),
                    "UPLOAD",
                    payload(&[], &[("/home/dana/.ssh/id*.pub", false)], &[])
                ),
                login_grant("box.example.net")
            ]),
        ),
        (
            "ssh-copy-id -i ~/.ssh/id_rsa.pub ssh://root@10.0.0.9:2200",
            json!([
                host_request(
                    "ssh-copy-id",
                    host(Some("root"), "10.0.0.9", Some(2200), None),
                    "UPLOAD",
                    payload(&[], &[("/home/dana/.ssh/id_rsa.pub", false)], &[])
                ),
                login_grant("root@10.0.0.9")
            ]),
        ),
        ("ssh-copy-id -n box.example.net", json!([])),
        (
            "mvn deploy -DaltDeploymentRepository=snap::https://repo.example.net/maven",
            json!([url_request(
                "mvn",
                "https://repo.example.net/maven",
                "UPLOAD",
                payload(&[], &[(W, false)], &[])
            )]),
        ),
        (
            "mvn -B clean deploy -f api/pom.xml -DaltDeploymentRepository=rel::default::https://nexus.acme.io/repository/releases",
            json!([url_request(
                "mvn",
                "https://nexus.acme.io/repository/releases",
                "UPLOAD",
                payload(&[], &[(&at("api"), false)], &[])
            )]),
        ),
        (
            "mvn deploy:deploy-file -Dfile=target/app.jar -DpomFile=pom.xml -Durl=https://repo.example.net/releases -DrepositoryId=ext",
            json!([url_request(
                "mvn",
                "https://repo.example.net/releases",
                "UPLOAD",
                payload(
                    &[],
                    &[(&at("target/app.jar"), false), (&at("pom.xml"), false)],
                    &[]
                )
            )]),
        ),
        // The POM's own repository, or a local one: where is not on the line.
        ("mvn deploy", json!([])),
        (
            "mvn deploy -DaltDeploymentRepository=local::file:///tmp/repo",
            json!([]),
        ),
        ("mvn -q package", json!([])),
        ("./gradlew publish", json!([])),
        ("gradle publish", json!([])),
        (
            "goreleaser release --clean",
            json!([origin_request(
                "goreleaser",
                "UPLOAD",
                payload(&[], &[(&at("dist"), true)], &[])
            )]),
        ),
        (
            "GITHUB_TOKEN=$GH_PAT goreleaser release",
            json!([origin_request(
                "goreleaser",
                "UPLOAD",
                payload(&["$GH_PAT"], &[(&at("dist"), true)], &["GH_PAT"])
            )]),
        ),
        ("goreleaser release --snapshot --clean", json!([])),
        ("goreleaser release --skip=publish,sign", json!([])),
        ("goreleaser build --single-target", json!([])),
        ("goreleaser check", json!([])),
    ]);
}
