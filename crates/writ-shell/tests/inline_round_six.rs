//! Inline code, sixth round: names interpolated into Ruby and Perl
//! strings, `ARGV`, JavaScript wrapper functions, script arguments,
//! Ruby's `Net::HTTP` verbs and Lua's `http.request{...}`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

fn force_push_to(dst: &str) -> Value {
    json!([{"effect": "git_push", "repo_dir": "/home/dana/acme-web", "remote": "origin", "refspecs": [refspec(Some("HEAD"), Some(dst), true, false)], "force": false, "all_refs": false, "cloned_from": null}])
}

#[test]
fn ruby_and_perl_strings_interpolate_names_bound_to_literals() {
    let ruby_push = r#"ruby -e 'target = ARGV.fetch(0, "main"); exec("git", "push", "origin", "+HEAD:refs/heads/#{target}")'"#;
    // `ARGV.fetch(0, default)`: the default without arguments, else the first.
    check(ruby_push, force_push_to("main"));
    check(&format!("{ruby_push} release"), force_push_to("release"));
    check(
        r#"ruby -e 'b = ARGV[0]; system("git", "push", "origin", "+HEAD:#{b}")' hotfix"#,
        force_push_to("hotfix"),
    );
    check(
        r#"perl -MFile::Path=make_path -e 'my $d = "$ENV{HOME}/.config/tool"; make_path($d); open(my $fh, ">", "$d/etl.yml") or die "open: $!"; close $fh'"#,
        json!([write("/home/dana/.config/tool/etl.yml")]),
    );
    check(
        r#"perl -e 'my $d = "out"; open(my $fh, ">", "${d}/x.txt")'"#,
        json!([write(&at("out/x.txt"))]),
    );
    // `File.basename` of a known path, and Ruby's binary read.
    let csv = at("data/exports/x.csv");
    check(
        r#"ruby -rnet/http -e 'path = "data/exports/x.csv"; uri = URI("https://transfer.sh/#{File.basename(path)}"); Net::HTTP.start(uri.host, uri.port, use_ssl: true) { |h| res = h.send_request("PUT", uri.path, File.binread(path), "Max-Days" => "3"); puts res.body }'"#,
        json!([
            read(&csv),
            url_request(
                "ruby",
                "https://transfer.sh/x.csv",
                "POST",
                payload(
                    &["data/exports/x.csv", "PUT", "Max-Days", "3"],
                    &[(&csv, false)],
                    &[]
                )
            )
        ]),
    );
    check(
        r#"perl -e 'my $d = $ARGV[0]; open(my $fh, ">", "$d/x.txt")' out"#,
        json!([write(&at("out/x.txt")), read(&at("out"))]),
    );
    // An element interpolated leaves the string as written.
    check(
        r#"perl -e 'my %h = (a => 1); my $d = "out"; open(my $fh, ">", "$h{a}/$d")'"#,
        json!([write(&at("$h{a}/$d"))]),
    );
}

#[test]
fn javascript_wrapper_functions_run_their_arguments_as_shell() {
    let lease = json!([{"effect": "git_push", "repo_dir": "/home/dana/acme-web", "remote": "origin", "refspecs": [refspec(Some("fix/x"), Some("fix/x"), false, false)], "force": true, "all_refs": false, "cloned_from": null}]);
    for code in [
        r#"const { execSync } = require("node:child_process"); const run = c => execSync(c, { stdio: "inherit" }); run("git push --force-with-lease origin fix/x")"#,
        r#"const cp = require("child_process"); function run(c) { return cp.execSync(c).toString() } run("git push --force-with-lease origin fix/x")"#,
        r#"const { execSync } = require("child_process"); const sh = (c) => { execSync(c) }; sh("git push --force-with-lease origin fix/x")"#,
    ] {
        check(&format!("node -e '{code}'"), lease.clone());
    }
    // A function whose body does more than one call is not a wrapper.
    check(
        r#"node -e 'const run = c => log(c) + execSync("ls"); run("git push --force origin x")'"#,
        json!([]),
    );
}

#[test]
fn a_perl_script_shifts_its_first_argument() {
    let script = "#!/usr/bin/env perl\n# Upload an export to the partner's drop.\nuse strict;\nuse File::Basename qw(basename);\nuse HTTP::Tiny;\n\nmy $file = shift or die \"usage: $0 FILE\\n\";\nopen(my $fh, '<', $file) or die \"open $file: $!\";\nmy $csv = do { local $/; <$fh> };\nclose $fh;\n\nmy $url = 'https://files.partner.example/inbound/' . basename($file);\nmy $res = HTTP::Tiny->new(timeout => 60)->request('PUT', $url, {\n    content => $csv,\n});\n";
    let written = [text_file(&at("scripts/push.pl"), script)];
    let csv = at("data/exports/x.csv");
    let found = effects_after(&written, "perl scripts/push.pl data/exports/x.csv");
    let found = found.as_array().cloned().unwrap_or_default();
    assert!(found.contains(&read(&csv)), "{found:?}");
    let request = found
        .iter()
        .find(|e| e["effect"] == "request")
        .unwrap_or_else(|| panic!("no request: {found:?}"));
    assert_eq!(
        request["target"]["url"],
        "https://files.partner.example/inbound/x.csv"
    );
    assert!(
        request["payload"]["files"]
            .as_array()
            .is_some_and(|files| files.iter().any(|f| f["path"] == csv.as_str())),
        "{request}"
    );
    // Without arguments `shift` is not known: the file is not named.
    let found = effects_after(&written, "perl scripts/push.pl");
    assert!(!found.to_string().contains("x.csv"), "{found}");
}

#[test]
fn http_clients_bound_to_a_host_write_the_paths_they_are_given() {
    let found = effects(
        r#"ruby -rnet/http -e 'h = { "Content-Type" => "application/json" }; http = Net::HTTP.new("sso.example.corp", 443); http.use_ssl = true; uid = JSON.parse(http.get("/admin/users?email=a@example.corp", h).body).first.fetch("id"); res = http.post("/admin/realms/r/users/#{uid}/role-mappings/realm", [role].to_json, h)'"#,
    );
    let urls: Vec<&str> = found
        .iter()
        .filter_map(|e| e["target"]["url"].as_str())
        .collect();
    assert_eq!(
        urls,
        ["https://sso.example.corp/admin/realms/r/users/{uid}/role-mappings/realm"]
    );
    // Python's `HTTPSConnection(h).request("PUT", "/x", body)`.
    let found = effects(
        r#"python3 -c 'import http.client; c = http.client.HTTPSConnection("api.example.io"); c.request("PUT", "/v1/items/7", body="{}")'"#,
    );
    let urls: Vec<&str> = found
        .iter()
        .filter_map(|e| e["target"]["url"].as_str())
        .collect();
    assert_eq!(urls, ["https://api.example.io/v1/items/7"]);
    // Only reads: the host's root, as before.
    let found = effects(
        r#"ruby -rnet/http -e 'http = Net::HTTP.new("api.example.io", 8443); puts http.get("/v1/items").body'"#,
    );
    let urls: Vec<&str> = found
        .iter()
        .filter_map(|e| e["target"]["url"].as_str())
        .collect();
    assert_eq!(urls, ["https://api.example.io:8443/"]);
}

#[test]
fn luasocket_table_requests_send_their_source() {
    let found = effects(
        r#"lua -e 'local http = require("socket.http"); local ltn12 = require("ltn12"); local body = "v=1&ts=" .. os.time(); local resp = {}; http.request{ url = "http://ingest.example.io/v1/points", method = "POST", source = ltn12.source.string(body), sink = ltn12.sink.table(resp) }'"#,
    );
    let request = found
        .iter()
        .find(|e| e["effect"] == "request")
        .unwrap_or_else(|| panic!("no request: {found:?}"));
    assert_eq!(
        request["target"]["url"],
        "http://ingest.example.io/v1/points"
    );
    assert_eq!(request["method"], "POST");
    check(
        r#"lua -e 'local http = require("socket.http"); http.request{ url = "https://api.example.io/x", source = ltn12.source.string("a=1") }'"#,
        json!([url_request(
            "lua",
            "https://api.example.io/x",
            "POST",
            payload(&["a=1"], &[], &[])
        )]),
    );
    // A table request without a body or a writing method only reads.
    let found = effects(
        r#"lua -e 'local http = require("socket.http"); http.request{ url = "https://api.example.io/x", sink = ltn12.sink.table(t) }'"#,
    );
    assert!(found.iter().all(|e| e["method"] != "POST"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|e| e["target"]["url"] == "https://api.example.io/x"),
        "{found:?}"
    );
}
