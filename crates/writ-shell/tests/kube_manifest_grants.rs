//! `kubectl apply|create|replace` of RBAC manifests: a `RoleBinding` or
//! `ClusterRoleBinding` gives its subjects its role's access, as `kubectl
//! create rolebinding` does, beside the apply's own `kubectl` effect.

use crate::common::*;
use serde_json::{Value, json};

const CONTRACTOR_BINDING: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: contractor-view
  namespace: payments
subjects:
  - kind: User
    name: dev.contractor@gmail.com
    apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: view
  apiGroup: rbac.authorization.k8s.io
";

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
";

/// The access effects among the effects of `command` after `files` were written.
fn grants_after(files: &[(&str, &str)], command: &str) -> Vec<Value> {
    let found = after_files(files, command);
    let mut grants = of_kind(&found, "grant_access");
    grants.extend(of_kind(&found, "make_public"));
    grants
}

#[test]
fn a_written_binding_applied_grants_its_subjects_beside_the_apply() {
    let found = after_files(
        &[("deploy/prod/rbac.yaml", CONTRACTOR_BINDING)],
        "kubectl apply -f deploy/prod/rbac.yaml --context prod-core",
    );
    assert_eq!(
        of_kind(&found, "grant_access"),
        vec![grant_named(
            "rolebinding/contractor-view",
            Some("dev.contractor@gmail.com")
        )]
    );
    let applies = of_kind(&found, "kubectl");
    assert_eq!(applies.len(), 1, "{found:?}");
    assert_eq!(applies[0]["verb"], "apply");
    assert_eq!(applies[0]["context"], "prod-core");
}

#[test]
fn create_and_replace_grant_as_apply_does() {
    for verb in ["create", "replace", "apply --server-side"] {
        assert_eq!(
            grants_after(
                &[("rbac.yaml", CONTRACTOR_BINDING)],
                &format!("kubectl {verb} -f rbac.yaml")
            ),
            vec![grant_named(
                "rolebinding/contractor-view",
                Some("dev.contractor@gmail.com")
            )],
            "{verb}"
        );
    }
}

#[test]
fn every_document_and_list_item_is_read() {
    let text = format!(
        "{DEPLOYMENT}---
kind: ClusterRoleBinding
metadata:
  name: ops-admin
subjects:
- kind: Group
  name: ops
- kind: ServiceAccount
  name: deployer
  namespace: ci
roleRef:
  kind: ClusterRole
  name: cluster-admin
---
apiVersion: v1
kind: List
items:
- kind: RoleBinding
  metadata:
    name: bot-edit
    namespace: jobs
  subjects:
  - kind: ServiceAccount
    name: bot
  roleRef:
    kind: ClusterRole
    name: edit
"
    );
    assert_eq!(
        grants_after(&[("all.yaml", &text)], "kubectl apply -f all.yaml"),
        vec![
            grant_named("clusterrolebinding/ops-admin", Some("ops, ci:deployer")),
            grant_named("rolebinding/bot-edit", Some("jobs:bot")),
        ]
    );
}

#[test]
fn a_json_manifest_is_read() {
    let text = r#"{
	"apiVersion": "rbac.authorization.k8s.io/v1",
	"kind": "ClusterRoleBinding",
	"metadata": {"name": "auditors"},
	"subjects": [{"kind": "User", "name": "auditor@partner.io"}],
	"roleRef": {"kind": "ClusterRole", "name": "view"}
}"#;
    assert_eq!(
        grants_after(&[("crb.json", text)], "kubectl create -f crb.json"),
        vec![grant_named(
            "clusterrolebinding/auditors",
            Some("auditor@partner.io")
        )]
    );
}

#[test]
fn binding_everyone_makes_the_access_public() {
    let text = "kind: ClusterRoleBinding
metadata:
  name: open
subjects:
- kind: Group
  name: system:unauthenticated
roleRef:
  kind: ClusterRole
  name: view
";
    assert_eq!(
        grants_after(&[("open.yaml", text)], "kubectl apply -f open.yaml"),
        vec![make_public(
            json!({"kind": "other", "name": "clusterrolebinding/open"})
        )]
    );
}

#[test]
fn a_directory_gives_its_manifests_and_only_below_with_recursive() {
    let files = [
        ("k8s/rbac.yaml", CONTRACTOR_BINDING),
        ("k8s/app.yaml", DEPLOYMENT),
        (
            "k8s/nested/more.yml",
            "kind: RoleBinding\nmetadata:\n  name: deep\nsubjects:\n- kind: User\n  name: carol\n",
        ),
        (
            "k8s/notes.txt",
            "kind: RoleBinding\nmetadata:\n  name: ignored\nsubjects:\n- kind: User\n  name: mallory\n",
        ),
    ];
    assert_eq!(
        grants_after(&files, "kubectl apply -f k8s/"),
        vec![grant_named(
            "rolebinding/contractor-view",
            Some("dev.contractor@gmail.com")
        )]
    );
    assert_eq!(
        grants_after(&files, "kubectl apply -R -f k8s"),
        vec![
            grant_named("rolebinding/deep", Some("carol")),
            grant_named(
                "rolebinding/contractor-view",
                Some("dev.contractor@gmail.com")
            ),
        ]
    );
}

#[test]
fn a_kustomization_gives_the_resources_it_lists() {
    let files = [
        (
            "overlays/prod/kustomization.yaml",
            "resources:\n- rbac.yaml\n- ../../base\n",
        ),
        ("overlays/prod/rbac.yaml", CONTRACTOR_BINDING),
        ("base/kustomization.yaml", "resources:\n- sa-binding.yaml\n"),
        (
            "base/sa-binding.yaml",
            "kind: RoleBinding\nmetadata:\n  name: runner\n  namespace: ci\nsubjects:\n- kind: ServiceAccount\n  name: runner\n",
        ),
    ];
    assert_eq!(
        grants_after(&files, "kubectl apply -k overlays/prod"),
        vec![
            grant_named(
                "rolebinding/contractor-view",
                Some("dev.contractor@gmail.com")
            ),
            grant_named("rolebinding/runner", Some("ci:runner")),
        ]
    );
}

#[test]
fn a_manifest_on_standard_input_is_read() {
    let command = "kubectl apply --context prod-core -f - <<'EOF'
kind: RoleBinding
metadata:
  name: eve-admin
  namespace: payments
subjects:
- kind: User
  name: eve@example.org
roleRef:
  kind: ClusterRole
  name: admin
EOF";
    assert_eq!(
        access_effects(command),
        json!([grant_named(
            "rolebinding/eve-admin",
            Some("eve@example.org")
        )])
    );
}

#[test]
fn dry_runs_diffs_reads_and_other_kinds_grant_nothing() {
    let files = [
        ("rbac.yaml", CONTRACTOR_BINDING),
        ("app.yaml", DEPLOYMENT),
        ("broken.yaml", "kind: RoleBinding\nsubjects: [\n"),
    ];
    for command in [
        "kubectl apply --dry-run=client -f rbac.yaml",
        "kubectl create --dry-run -f rbac.yaml -o yaml",
        "kubectl diff -f rbac.yaml",
        "kubectl get -f rbac.yaml",
        "kubectl delete -f rbac.yaml",
        "kubectl apply -f app.yaml",
        "kubectl apply -f broken.yaml",
        "kubectl apply -f unknown.yaml",
    ] {
        assert_eq!(
            grants_after(&files, command),
            Vec::<Value>::new(),
            "{command}"
        );
    }
    let on_stdin = format!("kubectl apply --dry-run=server -f - <<'EOF'\n{CONTRACTOR_BINDING}EOF");
    assert_eq!(access_effects(&on_stdin), json!([]));
}

#[test]
fn a_written_file_piped_or_redirected_to_standard_input_is_read() {
    for command in [
        "cat rbac.yaml | kubectl apply -f -",
        "kubectl create -f - < rbac.yaml",
    ] {
        assert_eq!(
            grants_after(&[("rbac.yaml", CONTRACTOR_BINDING)], command),
            vec![grant_named(
                "rolebinding/contractor-view",
                Some("dev.contractor@gmail.com")
            )],
            "{command}"
        );
    }
}
