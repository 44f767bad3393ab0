//! `writ bench`: a real `writ serve` under load, killed and counted; the
//! decision path timed over the shared corpus; bad flags refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn writ_bench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_writ"))
        .arg("bench")
        .args(args)
        .output()
        .unwrap()
}

/// The report of a run that must exit 0, as JSON.
fn report(args: &[&str]) -> Value {
    let out = writ_bench(args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn count(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

#[test]
fn lifecycle_load_loses_nothing_acknowledged() {
    let r = report(&[
        "serve",
        "--scenario",
        "lifecycle",
        "--connections",
        "4",
        "--duration",
        "2",
        "--json",
    ]);
    assert_eq!(r["scenario"], "lifecycle");
    assert!(r["requests_per_s"].as_f64().unwrap() > 0.0, "{r}");
    let guards = count(&r["acknowledged"]["guards"]);
    let outcomes = count(&r["acknowledged"]["outcomes"]);
    assert!(guards > 0 && outcomes > 0, "{r}");
    let after = &r["after_sigkill"];
    assert!(count(&after["actions"]) >= guards, "{r}");
    assert!(count(&after["closed"]) >= outcomes, "{r}");
    assert!(count(&after["log_leaves"]) > 0, "{r}");
    assert_eq!(count(&after["receipts_past_log"]), 0, "{r}");
    // Each acknowledged action was looked up by its id.
    assert_eq!(count(&after["missing_actions"]), 0, "{r}");
    assert_eq!(count(&after["unclosed_actions"]), 0, "{r}");
    assert_eq!(r["nothing_lost"], true, "{r}");
    let latency = &r["latency_ms"];
    assert!(latency["p50"].as_f64().unwrap() <= latency["max"].as_f64().unwrap());
}

#[test]
fn health_load_answers() {
    let r = report(&["serve", "--scenario", "health", "--duration", "1", "--json"]);
    assert!(count(&r["requests"]) > 0, "{r}");
    assert_eq!(count(&r["errors"]["total"]), 0, "{r}");
    assert_eq!(r["after_sigkill"], Value::Null, "{r}");
}

#[test]
fn bad_flags_exit_2_naming_the_flag() {
    for (args, flag) in [
        (&["serve", "--connections", "0"][..], "--connections"),
        (&["serve", "--duration", "0"][..], "--duration"),
        (&["serve", "--scenario", "nope"][..], "--scenario"),
        (&["guard", "--calls", "0"][..], "--calls"),
    ] {
        let out = writ_bench(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
    }
}

#[test]
fn guard_bench_covers_every_runtime_of_the_corpus() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/public");
    let mut runtimes = BTreeSet::new();
    for entry in std::fs::read_dir(corpus.join("cases")).unwrap() {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        runtimes.insert(case["runtime"].as_str().unwrap().to_owned());
    }
    assert!(!runtimes.is_empty());
    let r = report(&[
        "guard",
        "--corpus",
        corpus.to_str().unwrap(),
        "--calls",
        "200",
        "--json",
    ]);
    let reported: BTreeSet<String> = r["runtimes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["runtime"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reported, runtimes, "{r}");
    for figures in r["runtimes"].as_array().unwrap().iter().chain([&r["all"]]) {
        let latency = &figures["latency_us"];
        let (p50, p99) = (
            latency["p50"].as_f64().unwrap(),
            latency["p99"].as_f64().unwrap(),
        );
        assert!(p50 > 0.0 && p50 <= p99, "{figures}");
        assert!(figures["calls_per_s"].as_f64().unwrap() > 0.0, "{figures}");
    }
    assert!(count(&r["all"]["calls"]) >= 200, "{r}");
    assert_eq!(r["unreadable"], serde_json::json!([]), "{r}");
}
