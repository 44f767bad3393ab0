//! Inline code and build files, round three: PDO's and DBI's
//! driver-prefixed DSNs name the server their SQL goes to; Ruby's
//! `aws-sdk-s3` keyword arguments (`bucket:`, `key:`, `acl:`) read as
//! boto3's; Ruby's `%x(...)` and Perl's `qx{...}` run commands as
//! backticks do; Rake's `sh`; and rake tasks written earlier (a Rakefile
//! or `lib/tasks/*.rake`, with namespaces and prerequisites) run their
//! bodies.

use serde_json::Value;

use super::common::*;

/// True when `effects` hold one whose fields include `expected`'s.
fn has(effects: &[Value], expected: &Value) -> bool {
    effects.iter().any(|e| {
        expected
            .as_object()
            .is_some_and(|o| o.iter().all(|(k, v)| &e[k] == v))
    })
}

fn list(value: Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

#[test]
fn pdo_and_dbi_dsns_name_their_server() {
    let pdo = effects(
        r#"php -r '$db = new PDO("pgsql:host=pg.prod.example.internal;port=5432;dbname=billing", "admin", getenv("PGPASSWORD")); $db->exec("DROP TABLE invoices_bak");'"#,
    );
    assert!(has(
        &pdo,
        &sql(
            "php",
            Some("pg.prod.example.internal"),
            Some("postgresql://pg.prod.example.internal:5432/billing"),
            Some("DROP TABLE invoices_bak"),
            &[],
        )
    ));
    let mysql = effects(
        r#"php -r '$p = new PDO("mysql:host=db.example.com;dbname=shop", "u", "p"); $p->query("DELETE FROM carts");'"#,
    );
    assert!(has(
        &mysql,
        &serde_json::json!({"host": "db.example.com", "dsn": "mysql://db.example.com/shop"})
    ));
    let dbi = effects(
        r#"perl -MDBI -e 'my $d = DBI->connect("dbi:Pg:dbname=app;host=db.example.internal", "u", "p"); $d->do("TRUNCATE users");'"#,
    );
    assert!(has(
        &dbi,
        &serde_json::json!({"effect": "sql", "host": "db.example.internal", "sql": "TRUNCATE users"})
    ));
    // A local SQLite file is the database; an in-memory one reaches nothing.
    let file =
        effects(r#"php -r '$p = new PDO("sqlite:/srv/app/data.db"); $p->exec("DELETE FROM t");'"#);
    assert!(has(
        &file,
        &serde_json::json!({"effect": "sql", "host": null, "dsn": "/srv/app/data.db"})
    ));
    let memory =
        effects(r#"php -r '$p = new PDO("sqlite::memory:"); $p->exec("CREATE TABLE t (a int)");'"#);
    assert!(has(
        &memory,
        &serde_json::json!({"effect": "sql", "host": null, "dsn": null})
    ));
    // A string that only looks like `word:key=value` is no DSN.
    let note = effects(r#"php -r 'echo "note:host=x";'"#);
    assert!(!note.iter().any(|e| e["effect"] == "sql"));
}

#[test]
fn ruby_aws_sdk_keywords_are_read_as_boto3s() {
    let acl = effects(
        r#"ruby -raws-sdk-s3 -e 's3 = Aws::S3::Client.new(region: "us-east-1"); s3.put_object_acl(bucket: "static-site", key: "r/q3.html", acl: "public-read")'"#,
    );
    assert!(has(&acl, &make_public(bucket("s3", "static-site"))));
    let put = effects(
        r#"ruby -e 'Aws::S3::Client.new.put_object(bucket: "b1", key: "k.html", body: "hi", acl: "public-read")'"#,
    );
    assert!(has(
        &put,
        &serde_json::json!({"effect": "request", "target": {"kind": "url", "url": "s3://b1/k.html"}, "public": true})
    ));
    let deleted =
        effects(r#"ruby -e 'Aws::S3::Client.new.delete_object(bucket: "b2", key: "old.csv")'"#);
    assert!(has(&deleted, &remote_delete("s3://b2/old.csv", false)));
    // A private ACL, and GCS's camel-cased one on Ruby's `acl:`.
    let private = effects(
        r#"ruby -e 'Aws::S3::Client.new.put_object_acl(bucket: "b3", key: "k", acl: "private")'"#,
    );
    assert!(!private.iter().any(|e| e["effect"] == "make_public"));
    let gcs = effects(
        r#"ruby -e 'Google::Cloud::Storage.new.bucket("g1").create_file("a.txt", "a.txt", acl: "publicRead")'"#,
    );
    assert!(!has(&gcs, &make_public(bucket("s3", ""))));
}

#[test]
fn ruby_and_perl_command_literals_run_their_commands() {
    let ruby = effects(
        r#"ruby -e 'out = %x(kubectl --context staging apply -f k8s/worker.yaml 2>&1); puts out'"#,
    );
    assert_eq!(
        ruby,
        [kubectl(
            "apply",
            &[],
            Some("staging"),
            None,
            &[&at("k8s/worker.yaml")],
            false,
            false
        )]
    );
    let perl = kinds(r#"perl -e 'my $o = qx{git push origin main}; print $o'"#);
    assert_eq!(perl, ["git_push"]);
    // Text in a string, a Perl hash key and Ruby's modulo run nothing.
    assert!(effects(r#"ruby -e 'puts "%x(rm -rf /tmp/x)"'"#).is_empty());
    assert!(effects(r#"perl -e 'my %h; print $h{qx}'"#).is_empty());
    assert!(effects(r#"ruby -e 'n = 7; puts(n %x)'"#).is_empty());
}

#[test]
fn rakes_sh_runs_a_command() {
    let one = effects(
        r#"ruby -e 'sh %(psql -h pg.prod.example.internal -d ledger -c "TRUNCATE TABLE audit_events")'"#,
    );
    assert!(has(
        &one,
        &sql(
            "psql",
            Some("pg.prod.example.internal"),
            None,
            Some("TRUNCATE TABLE audit_events"),
            &[]
        )
    ));
    assert_eq!(
        kinds(r#"ruby -e 'sh "git", "push", "origin"'"#),
        ["git_push"]
    );
}

const AUDIT_RAKE: &str = "namespace :audit do\n  desc \"Reset audit events\"\n  task :reset do\n    sh %(psql -h pg.prod.example.internal -U admin -d ledger -c \"TRUNCATE TABLE audit_events\")\n  end\n\n  task :count do\n    puts 1\n  end\nend\n";

#[test]
fn rake_tasks_written_earlier_run_their_bodies() {
    let written = [text_file(&at("lib/tasks/audit.rake"), AUDIT_RAKE)];
    let truncate = sql(
        "psql",
        Some("pg.prod.example.internal"),
        None,
        Some("TRUNCATE TABLE audit_events"),
        &[],
    );
    let reset = list(effects_after(&written, "bundle exec rake audit:reset"));
    assert!(has(&reset, &truncate), "{reset:?}");
    let reset = list(effects_after(
        &written,
        "rake audit:reset RAILS_ENV=production",
    ));
    assert!(has(&reset, &truncate), "{reset:?}");
    // Another task of the file, a listing and a dry run run no SQL.
    for line in [
        "bundle exec rake audit:count",
        "rake -T audit",
        "rake -n audit:reset",
        "rake audit:other",
    ] {
        let found = list(effects_after(&written, line));
        assert!(
            !found.iter().any(|e| e["effect"] == "sql"),
            "{line}: {found:?}"
        );
    }
}

#[test]
fn rakefile_prerequisites_and_the_application_are_followed() {
    let rakefile = "import 'tasks/ops.rake'\n\ntask default: [:lint]\n\ntask :lint do\n  system('rubocop')\nend\n";
    let ops = "namespace :ops do\n  task :backup do\n    sh 'pg_dump -h db.example.internal app > /tmp/app.sql'\n  end\n\n  task :wipe, [:table] => [:environment, :backup] do |t, args|\n    ActiveRecord::Base.connection.execute(\"DELETE FROM sessions\")\n  end\nend\n";
    let written = [
        text_file(&at("Rakefile"), rakefile),
        text_file(&at("tasks/ops.rake"), ops),
    ];
    let wipe = list(effects_after(
        &written,
        "DATABASE_URL=postgres://app@db.example.internal/app rake ops:wipe[sessions]",
    ));
    // The prerequisite's dump, then the task's SQL at the application's
    // database.
    assert!(has(&wipe, &write("/tmp/app.sql")), "{wipe:?}");
    assert!(
        has(
            &wipe,
            &serde_json::json!({"effect": "sql", "host": "db.example.internal", "sql": "DELETE FROM sessions"})
        ),
        "{wipe:?}"
    );
    // No task named: the default one.
    let default = list(effects_after(&written, "rake"));
    assert!(!default.iter().any(|e| e["effect"] == "sql"), "{default:?}");
    assert!(!has(&default, &write("/tmp/app.sql")), "{default:?}");
}

/// Shell text that inline code runs (`sh "..."`, `system "..."`)
/// inherits the `NAME=value` prefixes of the interpreter's line, as the
/// child shell does.
#[test]
fn shell_text_run_by_inline_code_inherits_the_line_s_environment() {
    let line = r#"DATABASE_URL=postgres://ops@db.prod.example.internal/app ruby -e 'sh "psql $DATABASE_URL -c \"TRUNCATE TABLE t\""'"#;
    assert!(
        has(
            &effects(line),
            &serde_json::json!({"effect": "sql", "host": "db.prod.example.internal"})
        ),
        "{:?}",
        effects(line)
    );
    // Without the prefix the host is not known.
    let bare = r#"ruby -e 'sh "psql $DATABASE_URL -c \"TRUNCATE TABLE t\""'"#;
    assert!(!has(
        &effects(bare),
        &serde_json::json!({"host": "db.prod.example.internal"})
    ));
}
