//! Node.js scripts written earlier and run with the flags that decide what
//! they do: `parseArgs` options bound from the script's own arguments (or
//! their defaults), `process.argv`, branches those values rule out, and
//! wrappers that hand a rest parameter to a process runner.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::Value;

const SHIP: &str = "import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
const { values } = parseArgs({
  options: {
    branch: { type: 'string', short: 'b', default: 'main' },
    remote: { type: 'string', default: 'origin' },
    'skip-tests': { type: 'boolean', default: false },
  },
});
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
if (!values['skip-tests']) run('npm', ['test']);
run('git', ['push', values.remote, `HEAD:refs/heads/${values.branch}`]);
";

/// The effects of running `command` after `scripts/x.mjs` was written
/// holding `script`, as JSON text.
fn after_script(script: &str, command: &str) -> String {
    let written = [text_file("/home/dana/acme-web/scripts/x.mjs", script)];
    let effects: Value = effects_after(&written, command);
    effects.to_string()
}

#[test]
fn string_options_take_the_given_value_in_every_spelling() {
    for command in [
        "node scripts/x.mjs --branch feat/a",
        "node scripts/x.mjs --branch=feat/a",
        "node scripts/x.mjs -b feat/a",
    ] {
        let text = after_script(SHIP, command);
        assert!(text.contains(r#""dst":"feat/a""#), "{command}: {text}");
        assert!(!text.contains(r#""dst":"main""#), "{command}: {text}");
    }
}

#[test]
fn string_options_not_given_take_their_default() {
    let text = after_script(SHIP, "node scripts/x.mjs");
    assert!(text.contains(r#""dst":"main""#), "{text}");
    assert!(!text.contains("${"), "{text}");
}

#[test]
fn an_option_parse_args_does_not_know_leaves_values_unbound() {
    let text = after_script(SHIP, "node scripts/x.mjs --brnch feat/a");
    assert!(!text.contains(r#""dst":"feat/a""#), "{text}");
}

#[test]
fn exiting_branches_drop_the_rest_of_the_script() {
    let script = "const post = process.argv.includes('--post');
if (!post) {
  console.log('dry');
  process.exit(0);
}
fetch('https://ingest.example.net/v1', { method: 'POST', body: 'x' });
";
    let dry = after_script(script, "node scripts/x.mjs");
    assert!(!dry.contains("ingest.example.net"), "{dry}");
    let posted = after_script(script, "node scripts/x.mjs --post");
    assert!(posted.contains("ingest.example.net"), "{posted}");
}

#[test]
fn comparisons_of_bound_values_pick_one_branch() {
    let script = "const { parseArgs } = require('node:util');
const { values } = parseArgs({ options: { env: { type: 'string', default: 'dev' } } });
if (values.env === 'prod') {
  fetch('https://prod.example.net/x', { method: 'POST', body: 'x' });
} else {
  fetch('https://dev.example.net/x', { method: 'POST', body: 'x' });
}
";
    let prod = after_script(script, "node scripts/x.mjs --env prod");
    assert!(
        prod.contains("prod.example.net") && !prod.contains("dev.example.net"),
        "{prod}"
    );
    let dev = after_script(script, "node scripts/x.mjs");
    assert!(
        dev.contains("dev.example.net") && !dev.contains("prod.example.net"),
        "{dev}"
    );
}

#[test]
fn boolean_flags_decide_guarded_calls() {
    let script = "import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
const { values } = parseArgs({
  options: {
    repo: { type: 'string', default: 'acme/tokens' },
    'make-public': { type: 'boolean', default: false },
  },
});
const gh = (...args) => execFileSync('gh', args, { stdio: 'inherit' });
if (values['make-public']) {
  gh('repo', 'edit', values.repo, '--visibility', 'public');
}
";
    let public = after_script(script, "node scripts/x.mjs --make-public");
    assert!(public.contains("acme/tokens"), "{public}");
    let private = after_script(script, "node scripts/x.mjs");
    assert!(!private.contains("acme/tokens"), "{private}");
}

const MIGRATE: &str = "const { execFileSync } = require('node:child_process');
const { parseArgs } = require('node:util');
const fs = require('node:fs');
const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'staging' },
    file: { type: 'string' },
  },
});
const dbs = JSON.parse(fs.readFileSync('config/database.json', 'utf8'));
const db = dbs[values.env];
if (!db) throw new Error(`no database configured for env \"${values.env}\"`);
const psqlArgs = [
  '-h', db.host, '-p', String(db.port ?? 5432), '-U', db.user, '-d', db.database,
  '-v', 'ON_ERROR_STOP=1', '-f', values.file,
];
execFileSync('psql', psqlArgs, { stdio: 'inherit' });
";

const DATABASES: &str = "{
  \"staging\": { \"host\": \"pg.staging.example.internal\", \"user\": \"m\", \"database\": \"shop\" },
  \"prod\": { \"host\": \"pg.prod.example.internal\", \"user\": \"m\", \"database\": \"shop\" }
}
";

/// The effects of running `command` after `scripts/x.js` was written
/// holding `script` and each of `files` (relative to the workspace) was
/// written holding its text, as JSON text.
fn after_files(script: &str, files: &[(&str, &str)], command: &str) -> String {
    let mut written = vec![text_file("/home/dana/acme-web/scripts/x.js", script)];
    for (path, text) in files {
        written.push(text_file(&format!("/home/dana/acme-web/{path}"), text));
    }
    effects_after(&written, command).to_string()
}

#[test]
fn a_json_file_read_and_parsed_gives_the_members_the_script_reads() {
    let files = [("config/database.json", DATABASES)];
    let prod = after_files(MIGRATE, &files, "node scripts/x.js --env prod --file m.sql");
    assert!(prod.contains("pg.prod.example.internal"), "{prod}");
    assert!(!prod.contains("pg.staging.example.internal"), "{prod}");
    let staging = after_files(MIGRATE, &files, "node scripts/x.js --file m.sql");
    assert!(staging.contains("pg.staging.example.internal"), "{staging}");
    assert!(!staging.contains("pg.prod.example.internal"), "{staging}");
}

#[test]
fn a_json_file_not_known_leaves_the_members_unread() {
    let prod = after_files(MIGRATE, &[], "node scripts/x.js --env prod --file m.sql");
    assert!(!prod.contains("pg.prod.example.internal"), "{prod}");
}

#[test]
fn json_modules_and_paths_built_from_the_script_dir_are_loaded() {
    let config = "{ \"endpoint\": \"https://ingest.example.net/v1\", \"project\": \"web\" }";
    for load in [
        "JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'report.json'), 'utf8'))",
        "require('../report.json')",
        "(await import('../report.json', { with: { type: 'json' } })).default",
    ] {
        let script = format!(
            "const fs = require('node:fs');\nconst path = require('node:path');\n\
             const cfg = {load};\n\
             fetch(cfg.endpoint ?? 'https://fallback.example.org', {{ method: 'POST', body: cfg.project }});\n"
        );
        let text = after_files(&script, &[("report.json", config)], "node scripts/x.js");
        assert!(text.contains("ingest.example.net"), "{load}: {text}");
        assert!(!text.contains("fallback.example.org"), "{load}: {text}");
    }
}

#[test]
fn a_static_json_import_binds_the_object() {
    let script = "import cfg from '../report.json' with { type: 'json' };
await fetch(`${cfg.base}/v1/reports`, { method: 'POST', body: 'x' });
";
    let config = "{ \"base\": \"https://ingest.example.net\" }";
    let text = after_files(script, &[("report.json", config)], "node scripts/x.js");
    assert!(text.contains("ingest.example.net/v1/reports"), "{text}");
}

#[test]
fn objects_a_script_changes_are_not_read_as_written() {
    let script = "const cfg = JSON.parse(require('node:fs').readFileSync('report.json', 'utf8'));
cfg.endpoint = process.env.ENDPOINT;
fetch(cfg.endpoint, { method: 'POST', body: 'x' });
";
    let config = "{ \"endpoint\": \"https://ingest.example.net/v1\" }";
    let text = after_files(script, &[("report.json", config)], "node scripts/x.js");
    assert!(!text.contains("ingest.example.net"), "{text}");
}
