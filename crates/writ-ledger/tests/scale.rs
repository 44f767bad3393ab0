//! Scale check with 10^6 leaves (ignored by default; run with
//! `cargo test --release -p writ-ledger --test scale -- --ignored --nocapture`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use writ_ledger::Ledger;
use writ_ledger::merkle::{leaf_hash, verify_consistency, verify_inclusion};

#[test]
#[ignore = "slow: builds a 10^6-leaf ledger"]
fn million_leaves() {
    const N: u64 = 1_000_000;
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let path = dir.path().join("m.db");
    let mut l = Ledger::open(&path).unwrap();
    let t = Instant::now();
    let mut i = 0;
    while i < N {
        let items: Vec<Vec<u8>> = (i..(i + 4096).min(N))
            .map(|k| format!("receipt {k:020}").into_bytes())
            .collect();
        i += items.len() as u64;
        l.append_batch(&items).unwrap();
    }
    let build = t.elapsed();
    drop(l);
    let t = Instant::now();
    let l = Ledger::open(&path).unwrap();
    let open = t.elapsed();
    assert_eq!(l.size(), N);
    let root = l.current_root();
    let t = Instant::now();
    for k in 0..1000u64 {
        let idx = (k * 7919 * 131) % N;
        let p = l.inclusion_proof(idx, N).unwrap();
        let h = leaf_hash(format!("receipt {idx:020}").as_bytes());
        verify_inclusion(&h, idx, N, &p, &root).unwrap();
    }
    let incl = t.elapsed() / 1000;
    let t = Instant::now();
    for k in 1..=1000u64 {
        let old = (k * 999_331) % N + 1;
        let p = l.consistency_proof(old, N).unwrap();
        verify_consistency(old, N, &l.root(old).unwrap(), &root, &p).unwrap();
    }
    let cons = t.elapsed() / 1000;
    let db_size = std::fs::metadata(&path).unwrap().len()
        + std::fs::metadata(dir.path().join("m.db-wal")).map_or(0, |m| m.len());
    eprintln!(
        "1e6 leaves: build {build:?}, reopen {open:?}, inclusion proof+verify {incl:?}, \
         consistency proof+roots+verify {cons:?}, db {} MiB",
        db_size >> 20
    );
}
