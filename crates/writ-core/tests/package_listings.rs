//! What a dry run of a package listed is what publishing it sends: after
//! `npm pack --dry-run` printed `.env` among the package's files, `npm
//! publish` from that directory sends the secret. A directory listing
//! (`ls -a`) does not say what the package holds (npm leaves out what
//! the ignore files name), and a listing of another package says nothing
//! of this one.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{Step, decide_after_steps, engine, shell};
use writ_core::Route;

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "sensitive_paths": [{"glob": "**/.env", "label": "secret"}]
}"#;

const PACK_OUTPUT: &str = "npm notice\nnpm notice \u{1f4e6}  @acme/sdk@2.14.0\nnpm notice Tarball Contents\nnpm notice 214B .env\nnpm notice 1.1kB README.md\nnpm notice 48.2kB dist/index.js\nnpm notice Tarball Details\nnpm notice name: @acme/sdk\nnpm notice total files: 3\n";

fn publish_after(step: &str, output: &str, publish: &str) -> (Route, Vec<String>) {
    let engine = engine(DEPLOYMENT);
    let steps: Vec<Step<'_>> = vec![(shell(step), true, Some(output))];
    let decision = decide_after_steps(&engine, &steps, &shell(publish));
    (decision.route, decision.reasons)
}

#[test]
fn a_package_whose_dry_run_listed_a_secret_sends_it_when_published() {
    let (route, reasons) = publish_after(
        "cd packages/sdk && npm pack --dry-run",
        PACK_OUTPUT,
        "cd packages/sdk && npm publish --access public",
    );
    assert_eq!(route, Route::Block, "{reasons:?}");
    assert!(reasons.contains(&"EXFIL_SECRET".to_owned()), "{reasons:?}");
    // `npm publish --dry-run` prints the same contents.
    let (route, _) = publish_after(
        "npm publish ./packages/sdk --dry-run",
        PACK_OUTPUT,
        "npm publish ./packages/sdk",
    );
    assert_eq!(route, Route::Block);
}

#[test]
fn a_listing_of_the_directory_or_of_another_package_says_nothing_of_what_is_published() {
    let (route, reasons) = publish_after(
        "ls -a packages/sdk",
        ".env\nREADME.md\ndist\npackage.json\n",
        "cd packages/sdk && npm publish --access public",
    );
    assert_ne!(route, Route::Block, "{reasons:?}");
    assert!(!reasons.contains(&"EXFIL_SECRET".to_owned()), "{reasons:?}");
    let (_, reasons) = publish_after(
        "cd packages/cli && npm pack --dry-run",
        PACK_OUTPUT,
        "cd packages/sdk && npm publish --access public",
    );
    assert!(!reasons.contains(&"EXFIL_SECRET".to_owned()), "{reasons:?}");
    // Without `.env` among the files, the same publish is not a secret's.
    let (_, reasons) = publish_after(
        "cd packages/sdk && npm pack --dry-run",
        &PACK_OUTPUT.replace("npm notice 214B .env\n", ""),
        "cd packages/sdk && npm publish --access public",
    );
    assert!(!reasons.contains(&"EXFIL_SECRET".to_owned()), "{reasons:?}");
}
