//! A program writ has no handler for: its path-like words are read, an
//! output option's value is written, and a web server it names is where
//! its words go.

use crate::common;
use common::*;
use serde_json::json;

#[test]
fn a_named_server_receives_the_words() {
    run_table(&[
        (
            "mytool --token \"$FIREBASE_TOKEN\" https://api.vendor-x.io/upload",
            json!([url_request(
                "mytool",
                "https://api.vendor-x.io/upload",
                "GET",
                payload(&["--token", "$FIREBASE_TOKEN"], &[], &["FIREBASE_TOKEN"])
            )]),
        ),
        (
            "mytool --server=https://api.vendor-x.io --key k1",
            json!([url_request(
                "mytool",
                "https://api.vendor-x.io",
                "GET",
                payload(&["--key", "k1"], &[], &[])
            )]),
        ),
        // Without a server, words are only read where they name files.
        (
            "mytool --token abc build/out.bin",
            json!([read(&at("build/out.bin"))]),
        ),
        (
            "lighthouse https://example.com -o report.json",
            json!([
                url_request(
                    "lighthouse",
                    "https://example.com",
                    "GET",
                    payload(&["-o", "report.json"], &[], &[])
                ),
                write(&at("report.json"))
            ]),
        ),
    ]);
}
