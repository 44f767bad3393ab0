//! Task runners, fifth round: Bun runs package.json's scripts (`bun run
//! NAME`, `bun NAME`, `--cwd`), Composer runs composer.json's scripts
//! (`run-script`, the shorthand, `@script`/`@php`/`@putenv`, the install
//! events), Invoke runs a tasks.py task as its Python with the line's
//! flags bound to its parameters, poe binds a task's declared `args`
//! instead of appending the words, and a mise task's `usage` spec (or
//! its `{{arg(...)}}` templates) takes the line's words as values.

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::Value;
use writ_shell::WrittenFile;

/// The effects of `command` after `written`, as a list.
fn after(written: &[WrittenFile], command: &str) -> Vec<Value> {
    effects_after(written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The kind of each effect of `command` after `written`.
fn kinds_after(written: &[WrittenFile], command: &str) -> Vec<String> {
    after(written, command)
        .iter()
        .map(|e| e["effect"].as_str().unwrap_or_default().to_owned())
        .collect()
}

// -------------------------------------------------------------------- bun

const WEB_PACKAGE: &str = r#"{
  "scripts": {
    "build": "vite build",
    "predeploy:assets": "rm -rf dist",
    "deploy:assets": "aws s3 sync dist/assets s3://web-assets/assets --acl public-read",
    "sync": "git rebase origin/main && git push --force-with-lease origin HEAD"
  }
}"#;

fn force_push_head() -> Value {
    push(
        W,
        Some("origin"),
        serde_json::json!([refspec(Some("HEAD"), None, false, false)]),
        true,
        false,
    )
}

#[test]
fn bun_runs_the_package_script_however_it_is_named() {
    let written = [text_file(&at("package.json"), WEB_PACKAGE)];
    for command in [
        "bun run sync",
        "bun run --silent sync",
        "bun sync",
        "bun --cwd=. run sync",
    ] {
        assert_eq!(after(&written, command), [force_push_head()], "{command}");
    }
}

#[test]
fn bun_finds_the_package_of_its_cwd_option_and_runs_the_pre_script() {
    let written = [text_file(&at("apps/web/package.json"), WEB_PACKAGE)];
    let expected = [
        delete(&at("apps/web/dist"), true),
        public_request(
            "aws",
            "s3://web-assets/assets",
            "UPLOAD",
            payload(&[], &[(&at("apps/web/dist/assets"), true)], &[]),
        ),
        make_public(bucket("s3", "web-assets")),
    ];
    for command in [
        "bun --cwd=apps/web run deploy:assets",
        "bun run --cwd apps/web deploy:assets",
        "cd apps/web && bun run deploy:assets",
    ] {
        assert_eq!(after(&written, command), expected, "{command}");
    }
}

#[test]
fn bun_files_its_own_commands_and_filters_run_no_script() {
    let package = r#"{"scripts":{"test":"rm -rf /tmp/cache","seed":"git push -f origin main"}}"#;
    let written = [text_file(&at("package.json"), package)];
    // `bun test` is Bun's test runner; a path is a file Bun runs.
    assert!(!kinds_after(&written, "bun test").contains(&"delete".to_owned()));
    assert!(!kinds_after(&written, "bun run ./seed").contains(&"git_push".to_owned()));
    assert!(!kinds_after(&written, "bun run --filter web seed").contains(&"git_push".to_owned()));
    // A script of the same name as a file's word is the script.
    assert_eq!(kinds_after(&written, "bun seed"), ["git_push"]);
}

// --------------------------------------------------------------- composer

const BILLING_COMPOSER: &str = r#"{
    "name": "acme/billing",
    "scripts": {
        "test": "phpunit -c phpunit.xml.dist",
        "license:check": "curl -fsS \"https://licensing.example.com/verify?key=$(grep ^LICENSE_KEY= .env | cut -d= -f2)\"",
        "reset": ["@putenv APP_ENV=test", "@php bin/console cache:clear", "App\\Setup::run", "rm -rf var/cache"],
        "ci": ["@test", "@reset"],
        "post-install-cmd": "cp .env.dist .env",
        "post-autoload-dump": "touch autoloaded"
    },
    "scripts-aliases": {"license:check": ["lic"]}
}"#;

fn license_request(dir: &str) -> Vec<Value> {
    let env_file = format!("{dir}/.env");
    let query = "key=$(grep ^LICENSE_KEY= .env | cut -d= -f2)";
    vec![
        read(&env_file),
        url_request(
            "curl",
            &format!("https://licensing.example.com/verify?{query}"),
            "GET",
            payload(&[query], &[(&env_file, false)], &[]),
        ),
    ]
}

#[test]
fn composer_runs_a_script_by_run_script_run_or_its_name() {
    let written = [text_file(
        &at("services/billing/composer.json"),
        BILLING_COMPOSER,
    )];
    let dir = at("services/billing");
    for command in [
        "cd services/billing && composer run-script license:check",
        "composer -d services/billing run license:check",
        "composer --working-dir=services/billing license:check",
        "composer --working-dir services/billing lic",
    ] {
        assert_eq!(after(&written, command), license_request(&dir), "{command}");
    }
}

#[test]
fn composer_script_lists_run_other_scripts_php_and_commands_but_no_callbacks() {
    let written = [text_file(&at("composer.json"), BILLING_COMPOSER)];
    assert_eq!(
        after(&written, "composer run-script ci"),
        [
            read(&at("phpunit.xml.dist")),
            read(&at("bin/console")),
            delete(&at("var/cache"), true),
        ]
    );
}

#[test]
fn composer_install_fires_its_events_unless_scripts_are_off() {
    let written = [text_file(&at("composer.json"), BILLING_COMPOSER)];
    // The autoload dump's events, then `post-install-cmd`.
    assert_eq!(
        after(&written, "composer install"),
        [
            write(&at("autoloaded")),
            read(&at(".env.dist")),
            write(&at(".env")),
        ]
    );
    assert_eq!(
        after(&written, "composer install --no-scripts"),
        Vec::<Value>::new()
    );
}

// ----------------------------------------------------------------- invoke

const TASKS_PY: &str = r#"from invoke import task

DB_USER = "platform"


@task
def build(c):
    c.run("rm -rf dist")


@task(help={"host": "database host"})
def reset_db(c, host="localhost"):
    """Drop and recreate the sessions table."""
    c.run(f'psql -h {host} -U {DB_USER} -c "DROP TABLE IF EXISTS sessions"')


@task(pre=[build])
def publish(ctx, bucket, public=False):
    ctx.run(f"aws s3 sync dist s3://{bucket}/")
    if public:
        ctx.run(f"aws s3api put-bucket-acl --bucket {bucket} --acl public-read")
"#;

fn drop_sessions(host: &str) -> Value {
    sql(
        "psql",
        Some(host),
        None,
        Some("DROP TABLE IF EXISTS sessions"),
        &[],
    )
}

#[test]
fn invoke_binds_a_task_flag_to_its_parameter() {
    let written = [text_file(&at("tasks.py"), TASKS_PY)];
    for command in [
        "inv reset-db --host db.prod.internal",
        "invoke reset-db --host=db.prod.internal",
        "inv reset-db -h db.prod.internal",
        "invoke reset_db --host db.prod.internal",
        "uv run inv reset-db --host db.prod.internal",
    ] {
        // The host is the task's, not a file the runner reads.
        assert_eq!(
            after(&written, command),
            [drop_sessions("db.prod.internal")],
            "{command}"
        );
    }
    assert_eq!(
        after(&written, "inv reset-db"),
        [drop_sessions("localhost")]
    );
}

#[test]
fn invoke_runs_pre_tasks_and_binds_positional_and_boolean_parameters() {
    let written = [text_file(&at("tasks.py"), TASKS_PY)];
    for command in [
        "inv publish web-assets --public",
        "inv publish --public web-assets",
    ] {
        let effects = after(&written, command);
        assert_eq!(
            effects.first(),
            Some(&delete(&at("dist"), true)),
            "{command}"
        );
        assert_eq!(
            request_lines(&effects),
            ["UPLOAD s3://web-assets/"],
            "{command}"
        );
        assert!(
            effects.contains(&make_public(bucket("s3", "web-assets"))),
            "{command}: {effects:?}"
        );
    }
    // Without the flag the parameter keeps its default; the branch it
    // guards is still read (the Python reader does not prune on it).
    let effects = after(&written, "inv publish web-assets");
    assert_eq!(request_lines(&effects), ["UPLOAD s3://web-assets/"]);
}

#[test]
fn invoke_finds_its_collection_upward_or_by_name_and_lists_run_nothing() {
    let written = [text_file(&at("ops.py"), TASKS_PY)];
    assert_eq!(
        after(&written, "inv -c ops reset-db --host db1"),
        [drop_sessions("db1")]
    );
    let written = [text_file(&at("tasks.py"), TASKS_PY)];
    assert_eq!(
        after(&written, "cd src/app && inv reset-db --host db1"),
        [drop_sessions("db1")]
    );
    assert_eq!(after(&written, "inv --list"), Vec::<Value>::new());
    assert_eq!(after(&written, "inv --dry reset-db"), Vec::<Value>::new());
}

// -------------------------------------------------------------------- poe

const POE_PYPROJECT: &str = r#"[tool.poe.tasks.upload-logs]
help = "POST the last log to the sink"
cmd = "curl -fsS -X POST --data-binary @build/pytest.log ${sink}"
args = [{ name = "sink", options = ["--sink", "-s"], default = "https://logs.acme.internal/ingest" }]

[tool.poe.tasks.fetch]
shell = "curl -fsS https://$host/status"

[tool.poe.tasks.fetch.args.host]
positional = true
default = "status.acme.internal"
"#;

fn log_upload(url: &str) -> Value {
    url_request(
        "curl",
        url,
        "POST",
        payload(&[], &[(&at("build/pytest.log"), false)], &[]),
    )
}

#[test]
fn poe_binds_declared_args_instead_of_appending_the_words() {
    let written = [text_file(&at("pyproject.toml"), POE_PYPROJECT)];
    for command in [
        "poe upload-logs --sink https://collect.example.dev/u/1",
        "poe upload-logs -s https://collect.example.dev/u/1",
        "uv run poe upload-logs --sink=https://collect.example.dev/u/1",
    ] {
        // The sink is the task's argument, not a server poe talks to.
        assert_eq!(
            after(&written, command),
            [log_upload("https://collect.example.dev/u/1")],
            "{command}"
        );
    }
    assert_eq!(
        after(&written, "poe upload-logs"),
        [log_upload("https://logs.acme.internal/ingest")]
    );
}

#[test]
fn poe_args_given_as_tables_reach_a_shell_task_as_variables() {
    let written = [text_file(&at("pyproject.toml"), POE_PYPROJECT)];
    assert_eq!(
        request_lines(&after(&written, "poe fetch status.example.org")),
        ["GET https://status.example.org/status"]
    );
    assert_eq!(
        request_lines(&after(&written, "poe fetch")),
        ["GET https://status.acme.internal/status"]
    );
}

// ------------------------------------------------------------------- mise

const MISE_TOML: &str = r#"[tasks."tf:destroy"]
description = "Tear down an environment"
usage = 'arg "<env>"'
run = "terraform -chdir=deploy/tf/{{usage.env}} destroy -auto-approve"

[tasks."tf:apply"]
run = "terraform -chdir=infra/{{arg(name='env')}} apply -auto-approve"

[tasks.plan]
usage = '''
flag "-e --env <env>" default="staging"
flag "--destroy"
'''
run = "terraform -chdir=infra/$usage_env plan"
"#;

#[test]
fn mise_binds_a_usage_arg_instead_of_appending_it() {
    let written = [text_file(&at("mise.toml"), MISE_TOML)];
    let expected = [terraform("destroy", &at("deploy/tf/prod"), None, true)];
    for command in [
        "mise run tf:destroy prod",
        "mise tf:destroy prod",
        "mise run tf:destroy -- prod",
    ] {
        assert_eq!(after(&written, command), expected, "{command}");
    }
}

#[test]
fn mise_reads_arguments_declared_by_templates_and_flags_with_defaults() {
    let written = [text_file(&at("mise.toml"), MISE_TOML)];
    assert_eq!(
        after(&written, "mise run tf:apply prod"),
        [terraform("apply", &at("infra/prod"), None, false)]
    );
    for command in ["mise run plan --env prod", "mise run plan -e prod"] {
        assert_eq!(
            after(&written, command),
            [terraform("plan", &at("infra/prod"), None, false)],
            "{command}"
        );
    }
    assert_eq!(
        after(&written, "mise run plan"),
        [terraform("plan", &at("infra/staging"), None, false)]
    );
}
