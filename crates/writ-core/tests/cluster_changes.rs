//! Which cluster a command changes, and whether it changes it.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{assert_routes, engine, shell};
use writ_core::Route;

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "production": {"kube_contexts": ["live-euw1", "gke_acme-live_us-central1_playout"]}
}"#;

#[test]
fn argo_rollouts_plugin_changes_in_production_need_approval() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "rollout change",
        &[
            shell("kubectl argo rollouts promote origin -n playout --context live-euw1"),
            shell("kubectl --context live-euw1 argo rollouts abort origin"),
            shell(
                "kubectl argo rollouts set image origin app=ghcr.io/acme/origin:2.4 --context live-euw1",
            ),
        ],
        Route::RequireApproval,
        &["PROD_CHANGE"],
    );
    assert_routes(
        &engine,
        "rollout views, or staging",
        &[
            shell("kubectl argo rollouts get rollout origin --watch --context live-euw1"),
            shell("kubectl argo rollouts list rollouts --context live-euw1"),
            shell("kubectl argo rollouts promote origin --context staging-euw1"),
        ],
        Route::Allow,
        &[],
    );
}

#[test]
fn a_gke_context_is_production_only_in_the_production_project() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "the production cluster",
        &[
            shell(
                "kubectl --context gke_acme-live_us-central1_playout scale deploy/x --replicas=0",
            ),
            shell("kubectl --context playout scale deploy/x --replicas=0"),
        ],
        Route::RequireApproval,
        &["PROD_CHANGE"],
    );
    assert_routes(
        &engine,
        "a cluster of the same name in another project",
        &[shell(
            "kubectl --context gke_acme-stg_us-central1_playout scale deploy/x --replicas=0",
        )],
        Route::Allow,
        &[],
    );
}
