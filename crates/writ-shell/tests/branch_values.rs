//! Variables assigned in code that may not run (an `if` or `case` arm,
//! the pipelines after `&&`/`||`, a loop body) keep every value they may
//! have, and a command named by such a variable runs once per value (an
//! empty one leaves the next word as the command). Run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use writ_shell::analyze;

/// The paths `command` deletes, recursively or not.
fn deleted(command: &str) -> Vec<String> {
    effects(command)
        .iter()
        .filter(|e| e["effect"] == "delete" || e["effect"] == "remote_delete")
        .filter_map(|e| {
            e["path"]
                .as_str()
                .or_else(|| e["target"]["url"].as_str())
                .map(str::to_owned)
        })
        .collect()
}

/// The programs `command` runs, and what it could not follow.
fn programs_and_opaque(command: &str) -> (Vec<String>, Vec<String>) {
    let analysis = analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    (analysis.programs, analysis.opaque)
}

#[test]
fn getopts_dry_run_flag_not_given_runs_the_command() {
    // Without `-n` getopts sets nothing: DRY stays empty and the delete runs.
    let script = "cat > /tmp/prune.sh <<'EOF'\n#!/usr/bin/env bash\nDRY=\nwhile getopts \"n\" opt; do case $opt in n) DRY=echo ;; *) exit 2 ;; esac; done\n$DRY aws s3 rm s3://ledger-prod/ledgers/ --recursive\nEOF\nchmod +x /tmp/prune.sh && /tmp/prune.sh";
    assert_eq!(deleted(script), vec!["s3://ledger-prod/ledgers/"]);
    // With `-n` the loop is known to set DRY=echo: it only prints.
    assert_eq!(deleted(&format!("{script} -n")), Vec::<String>::new());
}

#[test]
fn and_or_assignment_may_not_run() {
    assert_eq!(
        deleted("DRY=; [ \"$1\" = -n ] && DRY=echo; $DRY rm -rf /srv/data"),
        vec!["/srv/data"]
    );
    assert_eq!(
        deleted("DRY=; [ \"$1\" = --apply ] || DRY=echo; $DRY rm -rf /srv/data"),
        vec!["/srv/data"]
    );
}

#[test]
fn if_without_else_keeps_the_value_before() {
    assert_eq!(
        deleted("RUN=; if [ -n \"$DRY_RUN\" ]; then RUN=echo; fi; $RUN rm -rf /srv/data"),
        vec!["/srv/data"]
    );
    // A case without `*)` may match no arm.
    assert_eq!(
        deleted("RUN=; case \"$1\" in -n) RUN=echo ;; esac; $RUN rm -rf /srv/data"),
        vec!["/srv/data"]
    );
}

#[test]
fn each_arm_may_give_the_value() {
    assert_eq!(
        deleted("case \"$1\" in prod) RUN= ;; *) RUN=echo ;; esac; $RUN rm -rf /srv/data"),
        vec!["/srv/data"]
    );
    assert_eq!(
        deleted(
            "if [ \"$MODE\" = apply ]; then RUN=; elif [ \"$MODE\" = plan ]; then RUN=echo; else RUN=printf; fi; $RUN rm -rf /srv/data"
        ),
        vec!["/srv/data"]
    );
}

#[test]
fn an_arm_after_fall_through_may_also_run_alone() {
    // `b)` runs after `a)` (RUN=echo) or alone (RUN empty).
    assert_eq!(
        deleted("RUN=; case \"$1\" in a) RUN=echo ;& b) $RUN rm -rf /srv/data ;; esac"),
        vec!["/srv/data"]
    );
    // `*)` also runs alone, with RUN still empty.
    assert_eq!(
        deleted("RUN=; case \"$1\" in a) RUN=echo ;& *) X=1 ;; esac; $RUN rm -rf /srv/data"),
        vec!["/srv/data"]
    );
}

#[test]
fn loop_body_may_not_run() {
    assert_eq!(
        deleted("RUN=echo; for f in $(ls); do RUN=; done; $RUN rm -rf /srv/data"),
        vec!["/srv/data"]
    );
    assert_eq!(
        deleted("RUN=echo; while read -r line; do RUN=; done < list.txt; $RUN rm -rf /srv/data"),
        vec!["/srv/data"]
    );
}

#[test]
fn a_value_fixed_on_every_path_prints_only() {
    // Benign: assigned `echo` definitely, or in both branches.
    assert_eq!(deleted("DRY=echo; $DRY rm -rf /"), Vec::<String>::new());
    assert_eq!(
        deleted("DRY=; if [ -n \"$1\" ]; then DRY=echo; else DRY=echo; fi; $DRY rm -rf /srv/data"),
        Vec::<String>::new()
    );
    assert_eq!(
        deleted("DRY=; case \"$1\" in -n) DRY=echo ;; *) DRY=echo ;; esac; $DRY rm -rf /srv/data"),
        Vec::<String>::new()
    );
    // A loop over known values runs its body.
    assert_eq!(
        deleted("DRY=; for m in plan; do DRY=echo; done; $DRY rm -rf /srv/data"),
        Vec::<String>::new()
    );
    let (programs, opaque) = programs_and_opaque("CMD=ls; $CMD -la");
    assert_eq!(programs, vec!["ls"]);
    assert!(opaque.is_empty(), "{opaque:?}");
}

#[test]
fn each_branch_starts_from_the_value_before_it() {
    // The else branch sees DRY=echo, not the then branch's empty value.
    assert_eq!(
        deleted("DRY=echo; if [ -n \"$1\" ]; then DRY=; else $DRY rm -rf /srv/data; fi"),
        Vec::<String>::new()
    );
    // After the `if`, DRY may be empty.
    assert_eq!(
        deleted("DRY=echo; if [ -n \"$1\" ]; then DRY=; fi; $DRY rm -rf /srv/data"),
        vec!["/srv/data"]
    );
}

#[test]
fn a_value_from_the_environment_stays_unknown() {
    // DRY unset before the `if`: the environment's value is unknown.
    let (programs, opaque) =
        programs_and_opaque("if [ -n \"$1\" ]; then DRY=echo; fi; $DRY rm -rf /srv/data");
    assert!(programs.contains(&"echo".to_owned()), "{programs:?}");
    assert_eq!(opaque, vec!["command name is an expansion: $DRY"]);
}

#[test]
fn too_many_values_keep_the_last_assigned() {
    // Five values are more than a command is walked for: the last one
    // assigned stands, as in a walk of the arms in sequence.
    assert_eq!(
        deleted(
            "case \"$1\" in a) R=rm ;; b) R=echo ;; c) R=printf ;; d) R=true ;; *) R=: ;; esac; $R -rf /srv/data"
        ),
        Vec::<String>::new()
    );
}
