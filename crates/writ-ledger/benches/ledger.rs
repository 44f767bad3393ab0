//! Ledger benchmarks.
//!
//! * `append/full/<batch>`: receipts/s with `synchronous=FULL` (the default)
//!   for batch sizes 1, 64, 512; one fsync per batch.
//! * `append/normal/<batch>`: same with `synchronous=NORMAL`, for comparison.
//! * `verify_inclusion`: pure RFC 9162 inclusion-proof verification in a
//!   2^17-leaf tree (what an auditor does per receipt).
//! * `prove/*`: proof generation from the store, and checkpoint signing and
//!   verification.
//!
//! The database lives under `CARGO_TARGET_TMPDIR` (override with
//! `LEDGER_BENCH_DIR`) so fsync hits a real file system, not tmpfs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::Rng;
use writ_ledger::merkle::{Hash, leaf_hash, verify_inclusion};
use writ_ledger::{KeyPair, Ledger, LedgerOptions, Synchronous, verify_checkpoint};

fn bench_dir() -> tempfile::TempDir {
    let base = std::env::var_os("LEDGER_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")));
    std::fs::create_dir_all(&base).unwrap();
    tempfile::tempdir_in(base).unwrap()
}

/// A receipt-sized payload (~300 bytes of JSON).
fn receipt(i: u64) -> Vec<u8> {
    format!(
        "{{\"v\":1,\"seq\":{i},\"action\":\"shell.exec\",\"decision\":\"allow\",\
         \"policy\":\"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\
         \"input\":\"sha256:{i:064x}\",\"time\":\"2025-01-01T00:00:00Z\",\
         \"agent\":\"agent-7\",\"reason\":\"matched rule allow-read-only\"}}"
    )
    .into_bytes()
}

fn append(c: &mut Criterion) {
    let mut g = c.benchmark_group("append");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (label, sync) in [("full", Synchronous::Full), ("normal", Synchronous::Normal)] {
        for batch in [1u64, 64, 512] {
            let dir = bench_dir();
            let mut l = Ledger::open_with(
                dir.path().join("a.db"),
                LedgerOptions {
                    synchronous: sync,
                    ..LedgerOptions::default()
                },
            )
            .unwrap();
            let mut next = 0u64;
            g.throughput(Throughput::Elements(batch));
            g.bench_with_input(BenchmarkId::new(label, batch), &batch, |b, &batch| {
                b.iter_batched(
                    || {
                        let items: Vec<Vec<u8>> = (next..next + batch).map(receipt).collect();
                        next += batch;
                        items
                    },
                    |items| black_box(l.append_batch(&items).unwrap()),
                    criterion::BatchSize::PerIteration,
                );
            });
        }
    }
    g.finish();
}

const TREE: u64 = 1 << 17;

fn big_ledger() -> (tempfile::TempDir, Ledger) {
    let dir = bench_dir();
    let mut l = Ledger::open(dir.path().join("p.db")).unwrap();
    let mut i = 0;
    while i < TREE {
        let items: Vec<Vec<u8>> = (i..(i + 4096).min(TREE)).map(receipt).collect();
        i += items.len() as u64;
        l.append_batch(&items).unwrap();
    }
    // One more so the tree is not perfect (proofs include a partial subtree).
    l.append(&receipt(TREE)).unwrap();
    (dir, l)
}

fn proofs(c: &mut Criterion) {
    let (_dir, l) = big_ledger();
    let size = l.size();
    let root = l.current_root();
    let mut rng = rand::thread_rng();
    let cases: Vec<(u64, Hash, Vec<Hash>)> = (0..1024)
        .map(|_| {
            let i = rng.gen_range(0..size);
            (
                i,
                leaf_hash(&receipt(i)),
                l.inclusion_proof(i, size).unwrap(),
            )
        })
        .collect();

    let mut g = c.benchmark_group("proofs");
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));

    let mut k = 0usize;
    g.bench_function("verify_inclusion", |b| {
        b.iter(|| {
            let (i, h, p) = &cases[k % cases.len()];
            k += 1;
            verify_inclusion(h, *i, size, p, &root).unwrap();
        })
    });
    g.bench_function("inclusion_proof_from_store", |b| {
        b.iter(|| {
            let i = rng.gen_range(0..size);
            black_box(l.inclusion_proof(i, size).unwrap())
        })
    });
    g.bench_function("consistency_proof_from_store", |b| {
        b.iter(|| {
            let old = rng.gen_range(1..size);
            black_box(l.consistency_proof(old, size).unwrap())
        })
    });
    g.bench_function("root_at_past_size", |b| {
        b.iter(|| {
            let n = rng.gen_range(1..size);
            black_box(l.root(n).unwrap())
        })
    });
    let key = KeyPair::generate("writ.bench/ledger").unwrap();
    let trusted = [key.verifier()];
    g.bench_function("checkpoint_sign", |b| {
        b.iter(|| black_box(l.checkpoint("writ.bench/ledger").sign(&key).unwrap()))
    });
    let signed = l.checkpoint("writ.bench/ledger").sign(&key).unwrap();
    g.bench_function("checkpoint_verify", |b| {
        b.iter(|| black_box(verify_checkpoint(signed.as_bytes(), &trusted).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, append, proofs);
criterion_main!(benches);
