//! PowerShell, round sixteen: a `.ps1` script an earlier step wrote runs
//! with its `param(...)` bound as PowerShell binds it, common parameters
//! (`-Confirm:$false`, `-Verbose`, `-ErrorAction Stop`) bound to none of
//! its own; `-WhatIf` makes `$PSCmdlet.ShouldProcess(...)` false, so what
//! it guards does not run; `if` statements whose conditions are constants
//! keep only the branch that runs; a hashtable indexed by a known key is
//! the value written for it.

#![allow(clippy::panic)]

use super::common::*;
use serde_json::Value;

const DEPLOY: &str = "[CmdletBinding(SupportsShouldProcess)]\nparam(\n    [ValidateSet('staging', 'prod')]\n    [string]$Environment = 'staging',\n\n    [Parameter(Mandatory)]\n    [string]$ImageTag,\n\n    [switch]$Wait\n)\n$ErrorActionPreference = 'Stop'\n$contexts = @{ staging = 'aks-stg-weu'; prod = 'aks-prod-weu' }\n$ctx = $contexts[$Environment]\n$image = \"ghcr.io/lumenfold/ledger-api:$ImageTag\"\n\nif ($PSCmdlet.ShouldProcess(\"deployment/ledger-api in $ctx\", \"set image $image\")) {\n    kubectl --context $ctx -n ledger set image deployment/ledger-api \"api=$image\"\n    if ($Wait) {\n        kubectl --context $ctx -n ledger rollout status deployment/ledger-api --timeout=5m\n    }\n}\n";

const PURGE: &str = "[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]\nparam(\n    [string]$Bucket = 'lumenfold-billing-exports',\n    [string]$Prefix = ''\n)\n$ErrorActionPreference = 'Stop'\n$target = \"s3://$Bucket/$Prefix\"\nif ($PSCmdlet.ShouldProcess($target, 'aws s3 rm --recursive')) {\n    aws s3 rm $target --recursive\n    if ($LASTEXITCODE -ne 0) { throw \"aws s3 rm failed with $LASTEXITCODE\" }\n}\n";

/// The effects of `command` of the kind `effect`, after an earlier step
/// wrote `text` at `relative`.
fn of_kind_after(relative: &str, text: &str, command: &str, effect: &str) -> Vec<Value> {
    let written = [text_file(&at(relative), text)];
    effects_after(&written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["effect"] == effect)
        .collect()
}

/// The contexts and verbs of the kubectl commands the deploy script runs
/// when `command` runs it.
fn deployed(command: &str) -> Vec<(String, String)> {
    of_kind_after("deploy/Deploy-Ledger.ps1", DEPLOY, command, "kubectl")
        .iter()
        .map(|e| {
            (
                e["context"].as_str().unwrap_or_default().to_owned(),
                e["verb"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The S3 URLs the purge script deletes when `command` runs it.
fn purged(command: &str) -> Vec<String> {
    of_kind_after("scripts/Purge-Exports.ps1", PURGE, command, "remote_delete")
        .iter()
        .map(|e| e["target"]["url"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn a_script_indexes_its_table_with_the_parameter_given() {
    let prod = pairs(&[("aks-prod-weu", "set"), ("aks-prod-weu", "rollout")]);
    for command in [
        "pwsh -NoProfile -File ./deploy/Deploy-Ledger.ps1 -Environment prod -ImageTag 2.4.1 -Wait",
        "pwsh -File ./deploy/Deploy-Ledger.ps1 -Env:prod -Image 2.4.1 -Wait -Verbose",
        "pwsh -File ./deploy/Deploy-Ledger.ps1 prod 2.4.1 -Wait -ErrorAction Stop",
        "pwsh -NoProfile -Command '& ./deploy/Deploy-Ledger.ps1 -ImageTag 2.4.1 -Environment PROD -Wait:$true'",
    ] {
        assert_eq!(deployed(command), prod, "{command}");
    }
    // The default.
    let staging = deployed("pwsh -File ./deploy/Deploy-Ledger.ps1 -ImageTag 2.4.1");
    assert!(
        !staging.is_empty() && staging.iter().all(|(context, _)| context == "aks-stg-weu"),
        "{staging:?}"
    );
    // With `-WhatIf` the guarded deployment does not run.
    assert_eq!(
        deployed("pwsh -File ./deploy/Deploy-Ledger.ps1 -Environment prod -ImageTag 2.4.1 -WhatIf"),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn common_parameters_are_not_the_scripts_own() {
    let bucket = vec!["s3://lumenfold-billing-exports/".to_owned()];
    for command in [
        "pwsh -NoProfile -NonInteractive -Command '& ./scripts/Purge-Exports.ps1 -Confirm:$false'",
        "pwsh -File ./scripts/Purge-Exports.ps1 -Confirm",
        "pwsh -File ./scripts/Purge-Exports.ps1 -ErrorAction Stop -Verbose",
        "pwsh -File ./scripts/Purge-Exports.ps1 -WhatIf:$false",
    ] {
        assert_eq!(purged(command), bucket, "{command}");
    }
    assert_eq!(
        purged("pwsh -File ./scripts/Purge-Exports.ps1 -Bucket other -Prefix logs/ -cf:$false"),
        ["s3://other/logs/"]
    );
    for command in [
        "pwsh -NoProfile -File ./scripts/Purge-Exports.ps1 -WhatIf",
        "pwsh -Command '& ./scripts/Purge-Exports.ps1 -Confirm:$false -WhatIf'",
        "pwsh -File ./scripts/Purge-Exports.ps1 -wi",
    ] {
        assert_eq!(purged(command), Vec::<String>::new(), "{command}");
    }
}

#[test]
fn should_process_guards_in_functions_and_early_returns() {
    let library = "function Remove-Exports {\n  [CmdletBinding(SupportsShouldProcess)]\n  param([string]$Bucket)\n  if (-not $PSCmdlet.ShouldProcess($Bucket)) {\n    Write-Warning 'skipped'\n    return\n  }\n  aws s3 rm \"s3://$Bucket\" --recursive\n}\n";
    let deleted = |command: &str| -> Vec<String> {
        of_kind_after("tools/Exports.ps1", library, command, "remote_delete")
            .iter()
            .map(|e| e["target"]["url"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    // The text dot-sourced also runs as written (its function bodies
    // with `$Bucket` unknown); the call binds `billing`.
    let billing = |urls: Vec<String>| urls.iter().any(|u| u.starts_with("s3://billing"));
    assert!(billing(deleted(
        "pwsh -Command '. ./tools/Exports.ps1; Remove-Exports -Bucket billing -Confirm:$false'"
    )));
    assert!(!billing(deleted(
        "pwsh -Command '. ./tools/Exports.ps1; Remove-Exports billing -WhatIf'"
    )));
    // A script run with `-WhatIf`: the functions it calls are told too.
    let script = format!("param([string]$Name)\n{library}Remove-Exports -Bucket $Name\n");
    let run = |command: &str| -> Vec<Value> {
        of_kind_after("scripts/Run.ps1", &script, command, "remote_delete")
    };
    let urls = |command: &str| -> Vec<String> {
        run(command)
            .iter()
            .map(|e| e["target"]["url"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(billing(urls("pwsh -File ./scripts/Run.ps1 billing")));
    assert!(!billing(urls(
        "pwsh -File ./scripts/Run.ps1 billing -WhatIf"
    )));
}

#[test]
fn constant_conditions_keep_the_branch_that_runs() {
    let run = |script: &str| -> Vec<String> {
        of_kind_after("s.ps1", script, "pwsh -File ./s.ps1", "delete")
            .iter()
            .map(|e| e["path"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(
        run("if ($false) { Remove-Item ./a -Recurse } else { Remove-Item ./b -Recurse }"),
        [at("b")]
    );
    assert_eq!(
        run("if ($Force -or $true) { Remove-Item ./a } elseif ($x) { Remove-Item ./b }"),
        [at("a")]
    );
    // An unknown condition keeps both branches.
    assert_eq!(
        run("if ($x) { Remove-Item ./a } else { Remove-Item ./b }"),
        [at("a"), at("b")]
    );
}

#[test]
fn a_table_indexed_by_a_known_key_is_its_value() {
    let script = "$ns = @{ Dev = 'team-dev'; Prod = 'team-prod' }\n$stage = 'prod'\nkubectl delete namespace $ns[$stage]\nkubectl --context $ns.Dev get pods\n$stage = Read-Host\nkubectl delete namespace $ns[$stage]";
    let namespaces: Vec<Vec<Value>> =
        of_kind_after("t.ps1", script, "pwsh -File ./t.ps1", "kubectl")
            .iter()
            .map(|e| e["args"].as_array().cloned().unwrap_or_default())
            .collect();
    assert_eq!(
        namespaces.first(),
        Some(&vec![Value::from("namespace"), Value::from("team-prod")])
    );
    let contexts: Vec<Value> = of_kind_after("t.ps1", script, "pwsh -File ./t.ps1", "kubectl")
        .iter()
        .map(|e| e["context"].clone())
        .collect();
    assert_eq!(contexts.get(1), Some(&Value::from("team-dev")));
    // A key read from input is not known: the index is not a namespace
    // the table names.
    assert_ne!(namespaces.get(2), namespaces.first());
}
