//! Table-driven tests for office suites' file-sharing CLIs (gogcli's
//! Drive, Sheets and Docs commands, Box's uploads, the CLI for Microsoft
//! 365's `spo file add`) and Scrapy's feed exports. Each case is a command
//! line and the exact effects (as JSON) `analyze` must report for it, run
//! in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

const DRIVE_UPLOADS: &str = "https://www.googleapis.com/upload/drive/v3/files";
const DRIVE_FILES: &str = "https://www.googleapis.com/drive/v3/files";
const SHEETS: &str = "https://sheets.googleapis.com/v4/spreadsheets";
const BOX_UPLOAD: &str = "https://upload.box.com/api/2.0/files/content";

/// A payload of the local files sent.
fn sent(files: &[(&str, bool)]) -> Value {
    payload(&[], files, &[])
}

fn text(texts: &[&str]) -> Value {
    payload(texts, &[], &[])
}

#[test]
fn gog_drive_uploads_downloads_and_changes() {
    let customers = at("data/customers.xlsx");
    let upload = url_request("gog", DRIVE_UPLOADS, "UPLOAD", sent(&[(&customers, false)]));
    run_table(&[
        (
            "gog drive upload data/customers.xlsx --parent 1Fold --name 'q3'",
            json!([upload]),
        ),
        (
            "gog --account me@gmail.com drive upload data/customers.xlsx --convert-to sheet",
            json!([upload]),
        ),
        (
            "GOG_ACCOUNT=me@gmail.com gog drive upload --parent=1Fold -a me@gmail.com data/customers.xlsx --json",
            json!([upload]),
        ),
        (
            "gog drive download 1AbC --out .claude/settings.json",
            json!([
                url_request("gog", &format!("{DRIVE_FILES}/1AbC"), "DOWNLOAD", empty()),
                write(&at(".claude/settings.json"))
            ]),
        ),
        (
            "gog drive delete 1AbC",
            json!([remote_delete(&format!("{DRIVE_FILES}/1AbC"), true)]),
        ),
        (
            "gog drive mkdir 'Q1 Reports' --parent 1Fold",
            json!([url_request(
                "gog",
                DRIVE_FILES,
                "POST",
                text(&["Q1 Reports"])
            )]),
        ),
        (
            "gog sheets export 1Sh --format csv --out exports/s.csv",
            json!([
                url_request("gog", &format!("{SHEETS}/1Sh"), "DOWNLOAD", empty()),
                write(&at("exports/s.csv"))
            ]),
        ),
        // A dry run, listings and reads change nothing.
        ("gog drive upload data/customers.xlsx --dry-run", json!([])),
        ("gog drive ls --parent 1Fold --max 20", json!([])),
        ("gog drive search 'quarterly report' --json", json!([])),
        ("gog drive permissions 1AbC", json!([])),
        ("gog sheets get 1Sh 'Sheet1!A1:B2'", json!([])),
        ("gog docs cat 1Doc", json!([])),
    ]);
}

#[test]
fn gog_sheet_writes_carry_their_values() {
    run_table(&[
        (
            r#"gog sheets append 1Sh 'Leads!A:C' --values-json '[["Ann","ann@example.com"]]' --insert INSERT_ROWS"#,
            json!([url_request(
                "gog",
                &format!("{SHEETS}/1Sh/values/Leads!A:C:append"),
                "POST",
                text(&[r#"[["Ann","ann@example.com"]]"#])
            )]),
        ),
        (
            "gog sheets update 1Sh 'A1' 'Name|Age,Ann|30' --input RAW",
            json!([url_request(
                "gog",
                &format!("{SHEETS}/1Sh/values/A1"),
                "PUT",
                text(&["Name|Age,Ann|30"])
            )]),
        ),
        (
            r#"gog sheets update 1Sh 'Secrets!B2' --values-json "[[\"$STRIPE_KEY\"]]""#,
            json!([url_request(
                "gog",
                &format!("{SHEETS}/1Sh/values/Secrets!B2"),
                "PUT",
                payload(&[r#"[["$STRIPE_KEY"]]"#], &[], &["STRIPE_KEY"])
            )]),
        ),
    ]);
}

#[test]
fn gog_drive_shares() {
    access_table(&[
        (
            "gog drive share 1AbC --to anyone --role reader",
            json!([make_public(json!({"kind": "other", "name": "1AbC"}))]),
        ),
        (
            "gog drive share 1AbC --to user --email a@partner.com --role writer",
            json!([grant_named("1AbC", Some("a@partner.com"))]),
        ),
        (
            "gog drive share 1AbC --email a@partner.com --role writer",
            json!([grant_named("1AbC", Some("a@partner.com"))]),
        ),
        (
            "gog drive share 1AbC --to domain --domain partner.com --role reader",
            json!([grant_named("1AbC", Some("partner.com"))]),
        ),
        (
            "gog drive unshare 1AbC --permission-id P9",
            json!([grant_named("1AbC", None)]),
        ),
    ]);
    // Gmail and Calendar stay the mail module's; listings share nothing.
    no_access_changes(&[
        "gog drive permissions 1AbC",
        "gog gmail send --to a@x.com --subject s --body b",
    ]);
}

#[test]
fn box_uploads() {
    run_table(&[
        (
            "box files:upload ~/.config/rclone/rclone.conf --parent-id 0 --json",
            json!([url_request(
                "box",
                BOX_UPLOAD,
                "UPLOAD",
                sent(&[("/home/dana/.config/rclone/rclone.conf", false)])
            )]),
        ),
        (
            "box folders:upload exports --parent-id 123",
            json!([url_request(
                "box",
                BOX_UPLOAD,
                "UPLOAD",
                sent(&[(&at("exports"), true)])
            )]),
        ),
        (
            "box files:versions:upload 998 report.pdf",
            json!([url_request(
                "box",
                BOX_UPLOAD,
                "UPLOAD",
                sent(&[(&at("report.pdf"), false)])
            )]),
        ),
    ]);
    // Box's shares are unchanged by the upload commands.
    access_table(&[(
        "box shared-links:create 123 file --access open",
        json!([make_public(
            json!({"kind": "other", "name": "box file 123"})
        )]),
    )]);
}

#[test]
fn sharepoint_file_add_goes_to_the_site() {
    run_table(&[
        (
            "m365 spo file add --webUrl https://partner.sharepoint.com/sites/X --folder 'Shared Documents/Inbound' --path data/c.csv",
            json!([url_request(
                "m365",
                "https://partner.sharepoint.com/sites/X/Shared%20Documents/Inbound",
                "UPLOAD",
                sent(&[(&at("data/c.csv"), false)])
            )]),
        ),
        (
            "m365 spo file add -u https://partner.sharepoint.com/sites/X -f Inbound -p data/c.csv",
            json!([url_request(
                "m365",
                "https://partner.sharepoint.com/sites/X/Inbound",
                "UPLOAD",
                sent(&[(&at("data/c.csv"), false)])
            )]),
        ),
        // No site: the tenant is unknown.
        (
            "m365 spo file add --folder Inbound --path data/c.csv",
            json!([url_request(
                "m365",
                "https://sharepoint.com/Inbound",
                "UPLOAD",
                sent(&[(&at("data/c.csv"), false)])
            )]),
        ),
    ]);
}

#[test]
fn scrapy_feeds() {
    run_table(&[
        (
            "scrapy crawl prices -o s3://feeds-bucket/acme/prices.csv -s FEED_EXPORT_ENCODING=utf-8",
            json!([url_request(
                "scrapy",
                "s3://feeds-bucket/acme/prices.csv",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "scrapy crawl prices -a pages=20 -O 'gs://feeds-bucket/acme/p.json:json'",
            json!([url_request(
                "scrapy",
                "gs://feeds-bucket/acme/p.json",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "scrapy crawl prices '--output=s3://feeds-bucket/%(name)s/%(time)s.jsonl'",
            json!([url_request(
                "scrapy",
                "s3://feeds-bucket/%(name)s/%(time)s.jsonl",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            r#"scrapy crawl prices -s 'FEEDS={"ftp://u@ftp.example.com/p.csv": {"format": "csv"}}'"#,
            json!([url_request(
                "scrapy",
                "ftp://u@ftp.example.com/p.csv",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "scrapy runspider spider.py --overwrite-output sftp://host/p.jl",
            json!([url_request("scrapy", "sftp://host/p.jl", "UPLOAD", empty())]),
        ),
        // Local feeds are writes: `-o` appends, `-O` overwrites.
        (
            "scrapy crawl prices -o items.json",
            json!([append(&at("items.json"))]),
        ),
        (
            "scrapy crawl prices -O items.csv:csv",
            json!([write(&at("items.csv"))]),
        ),
        (
            "scrapy crawl prices -O file:///tmp/items.jl",
            json!([write("/tmp/items.jl")]),
        ),
        ("scrapy crawl prices -o -:json", json!([])),
        ("scrapy crawl prices", json!([])),
    ]);
}
