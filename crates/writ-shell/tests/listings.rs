//! Directory listings: the directories `ls`, GNU and cmd's `dir`,
//! PowerShell's `Get-ChildItem` (`gci`, `ls`, `dir`), `find` and `tree`
//! list, and whether recursively, are reported in `Analysis::listings`
//! (never among the effects), so a session can learn what their output
//! shows. Commands that only look at a path itself (`ls -d`), print into
//! a file (`tree -o`), or run or delete what they find list nothing.

#![allow(clippy::panic)]

use crate::common::CTX;
use writ_shell::{Listing, ShellContext, analyze};

/// A Windows machine, in Git Bash's form.
const WIN: ShellContext<'static> = ShellContext {
    cwd: "/c/Users/dana/acme-web",
    home: "/c/Users/dana",
    workspace: Some("/c/Users/dana/acme-web"),
    written: &[],
};

fn listings_in(ctx: &ShellContext<'_>, command: &str) -> Vec<(String, bool)> {
    let analysis = analyze(command, ctx).unwrap_or_else(|e| panic!("{command}: {e}"));
    assert!(
        !serde_json::to_string(&analysis.effects)
            .unwrap_or_default()
            .contains("\"list\""),
        "{command}: a listing among the effects"
    );
    analysis
        .listings
        .into_iter()
        .map(|Listing { dir, recursive, .. }| (dir, recursive))
        .collect()
}

fn check(ctx: &ShellContext<'_>, cases: &[(&str, &[(&str, bool)])]) {
    for (command, expected) in cases {
        let expected: Vec<(String, bool)> = expected
            .iter()
            .map(|(dir, recursive)| ((*dir).to_owned(), *recursive))
            .collect();
        assert_eq!(listings_in(ctx, command), expected, "{command}");
    }
}

const WS: &str = "/home/dana/acme-web";
const DEPLOY: &str = "/home/dana/acme-web/deploy";

#[test]
fn ls_and_dir_list_their_directories() {
    check(
        &CTX,
        &[
            ("ls", &[(WS, false)]),
            ("ls -la deploy", &[(DEPLOY, false)]),
            ("ls -la deploy/", &[(DEPLOY, false)]),
            ("ls -R deploy", &[(DEPLOY, true)]),
            ("ls --recursive -a deploy", &[(DEPLOY, true)]),
            ("ls -laR ~/.ssh", &[("/home/dana/.ssh", true)]),
            (
                "ls -la deploy src",
                &[(DEPLOY, false), ("/home/dana/acme-web/src", false)],
            ),
            ("ls -I '*.log' -la deploy", &[(DEPLOY, false)]),
            ("ls --color=never -la deploy", &[(DEPLOY, false)]),
            ("cd deploy && ls -A", &[(DEPLOY, false)]),
            ("dir deploy", &[(DEPLOY, false)]),
            ("vdir deploy", &[(DEPLOY, false)]),
            ("eza -la --tree deploy", &[(DEPLOY, true)]),
            ("ls -la deploy | grep env", &[(DEPLOY, false)]),
            ("sudo ls -la /root", &[("/root", false)]),
        ],
    );
}

#[test]
fn find_and_tree_list_recursively_to_their_depth() {
    check(
        &CTX,
        &[
            ("find deploy", &[(DEPLOY, true)]),
            ("find deploy -maxdepth 2", &[(DEPLOY, true)]),
            ("find deploy -maxdepth 1 -type f", &[(DEPLOY, false)]),
            ("find . -name '*.env'", &[(WS, true)]),
            ("find", &[(WS, true)]),
            ("find deploy -ls", &[(DEPLOY, true)]),
            ("tree -a deploy", &[(DEPLOY, true)]),
            ("tree -L 1 deploy", &[(DEPLOY, false)]),
            ("tree -a -L 3 deploy", &[(DEPLOY, true)]),
            ("tree", &[(WS, true)]),
        ],
    );
}

#[test]
fn what_only_looks_at_a_path_or_acts_on_entries_lists_nothing() {
    check(
        &CTX,
        &[
            ("ls -ld deploy", &[]),
            ("ls -d */", &[]),
            ("ls deploy/*.yml", &[]),
            ("stat deploy", &[]),
            ("du -sh deploy", &[]),
            ("find deploy -maxdepth 0", &[]),
            ("find deploy -name '*.pyc' -delete", &[]),
            ("find deploy -type f -exec cat {} +", &[]),
            ("tree -a -o tree.txt deploy", &[]),
            ("ls \"$DIR\"", &[]),
            ("cat deploy/.env", &[]),
        ],
    );
}

#[test]
fn powershell_get_childitem_lists_its_paths() {
    check(
        &CTX,
        &[
            (
                "pwsh -NoProfile -Command 'Get-ChildItem -Path deploy -Force | Select-Object Mode, LastWriteTime, Length, Name | Format-Table -AutoSize'",
                &[(DEPLOY, false)],
            ),
            (
                "pwsh -Command 'Get-ChildItem deploy -Recurse -Force'",
                &[(DEPLOY, true)],
            ),
            (
                "pwsh -Command 'Get-ChildItem -Path deploy -Depth 2'",
                &[(DEPLOY, true)],
            ),
            ("pwsh -Command 'gci -Force deploy'", &[(DEPLOY, false)]),
            ("pwsh -Command 'ls deploy'", &[(DEPLOY, false)]),
            ("pwsh -Command 'dir -Recurse deploy'", &[(DEPLOY, true)]),
            ("pwsh -Command 'Get-ChildItem'", &[(WS, false)]),
            (
                "pwsh -Command 'Get-ChildItem -Path deploy -Filter *.env'",
                &[(DEPLOY, false)],
            ),
            ("pwsh -Command 'Get-Item deploy'", &[]),
        ],
    );
}

#[test]
fn windows_lines_list_in_the_machine_s_paths() {
    let deploy = "/c/Users/dana/acme-web/deploy";
    check(
        &WIN,
        &[
            ("Get-ChildItem -Path deploy\\ -Force", &[(deploy, false)]),
            (
                "Get-ChildItem -Recurse C:\\Users\\dana\\acme-web\\deploy",
                &[(deploy, true)],
            ),
            ("cmd /c dir /a deploy", &[(deploy, false)]),
            ("cmd /c dir /s /b deploy", &[(deploy, true)]),
            ("cmd /c \"dir /a:h /o-d deploy\"", &[(deploy, false)]),
            ("cmd /c tree /f /a deploy", &[(deploy, true)]),
        ],
    );
}

#[test]
fn package_dry_runs_list_the_package_they_would_build() {
    let package = |command: &str| -> Vec<(String, bool)> {
        analyze(command, &CTX)
            .unwrap_or_else(|e| panic!("{command}: {e}"))
            .listings
            .into_iter()
            .map(|l| (l.dir, l.package))
            .collect()
    };
    let sdk = "/home/dana/acme-web/packages/sdk".to_owned();
    assert_eq!(
        package("cd packages/sdk && npm pack --dry-run"),
        [(sdk.clone(), true)]
    );
    assert_eq!(
        package("npm publish ./packages/sdk --dry-run"),
        [(sdk, true)]
    );
    assert_eq!(
        package("cargo package --list"),
        [("/home/dana/acme-web".to_owned(), true)]
    );
    // Packing for real, a registry's package, or a publish: no listing.
    assert!(package("npm pack").is_empty());
    assert!(package("npm pack lodash --dry-run").is_empty());
    assert!(package("npm publish --access public").is_empty());
}
