//! A small driver for profiling (`valgrind --tool=callgrind`): runs the
//! bench's lifecycle for N actions in batches of 100, then verifies a bundle
//! of the last batch. `profile_lifecycle [actions] [lifecycle|verify|both]`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/workload.rs"]
mod workload;

use workload::{context, envelopes, run_actions};
use writ_lifecycle::{Action, Recorder, Signer, verify_bundle};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let mode = args.get(2).cloned().unwrap_or_else(|| "both".to_owned());
    let ctx = context();
    let signer = Signer::from_seed("writ.bench/log", &[5u8; 32]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut recorder = Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let envs = envelopes(n);
    let mut last = Vec::new();
    let start = std::time::Instant::now();
    for chunk in envs.chunks(100) {
        let mut actions = run_actions(&ctx, &signer, chunk);
        let mut refs: Vec<&mut Action> = actions.iter_mut().collect();
        last = recorder.certify(&mut refs).unwrap();
    }
    eprintln!("lifecycle: {n} actions in {:?}", start.elapsed());
    if std::env::var_os("SHOW_SIZES").is_some() {
        let c = serde_json::to_value(&last[0].certificate).unwrap();
        for (k, v) in c.as_object().unwrap() {
            eprintln!("certificate.{k}: {} bytes", v.to_string().len());
        }
        for (k, v) in c["inputs"].as_object().unwrap() {
            eprintln!("certificate.inputs.{k}: {} bytes", v.to_string().len());
        }
        for r in &last[0].receipts {
            eprintln!(
                "receipt {}: {} bytes",
                r.kind(),
                writ_lifecycle::recorder::receipt_leaf(r).unwrap().len()
            );
        }
        eprintln!("{}", c["decision"]);
    }
    if mode == "lifecycle" {
        return;
    }
    let bundle = recorder.bundle(&last).unwrap();
    let trusted = [signer.verifier()];
    let start = std::time::Instant::now();
    let rounds = if mode == "verify" { 5 } else { 1 };
    let mut receipts = 0;
    for _ in 0..rounds {
        receipts += verify_bundle(&bundle, &trusted).unwrap().receipts;
    }
    eprintln!("verify: {receipts} receipts in {:?}", start.elapsed());
}
