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
