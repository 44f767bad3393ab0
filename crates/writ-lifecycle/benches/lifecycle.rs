//! Throughput of the full lifecycle (guard, open, assumption, release,
//! outcome, signatures, certificate, durable group-committed append) and of
//! `verify_bundle`.
//!
//! `full_lifecycle_group_commit_1000_actions` runs every action's steps on
//! one thread, then certifies the 1,000 in one group commit.
//! `full_lifecycle_concurrent_1000_actions` models many agents: one caller
//! per core runs actions and certifies each run of `CHUNK` of them through
//! one [`ConcurrentRecorder`] (leaves reserved under its lock, certificates
//! signed outside it, batches appended in reservation order). As in `writ serve`,
//! the commit does not wait for the disk (`synchronous=NORMAL`); the
//! caller fsyncs the log's WAL after releasing the lock and only then
//! counts its actions as certified, so one caller's fsync overlaps the
//! others' work and nothing is counted before it is durable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The `writ` binary's allocator (`writ serve`, `writ eval --store` and
/// `writ verify` run with it), so the figures are what they do (delete
/// these two lines to measure with the system allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/workload.rs"]
mod workload;

use criterion::{BatchSize, Criterion, Throughput, criterion_group};
use workload::{context, envelopes, guard_input, run_actions};
use writ_core::{Envelope, SessionState};
use writ_ledger::{LedgerOptions, Synchronous};
use writ_lifecycle::{Action, ConcurrentRecorder, Context, Recorder, Signer, verify_bundle};
use writ_sqlite::WalFiles;

const BATCH: usize = 1000;
/// Actions a concurrent caller certifies per group commit. Smaller runs
/// leave less work for one core alone at the start and end of an
/// iteration (both callers sign at once, then one waits for the other's
/// append); 100 did best of 50, 100 and 250.
const CHUNK: usize = 100;
/// WAL pages after which a checkpoint thread copies the log's WAL into
/// the database, as `writ serve` does (`writ_sqlite::DeferredCheckpoint`).
const CHECKPOINT_PAGES: u32 = 1024;

fn run_batch(
    ctx: &Context,
    signer: &Signer,
    recorder: &mut Recorder,
    envs: &[Envelope],
) -> Vec<writ_lifecycle::CertifiedAction> {
    let mut actions = run_actions(ctx, signer, envs);
    let mut refs: Vec<&mut Action> = actions.iter_mut().collect();
    recorder.certify(&mut refs).unwrap()
}

/// A recorder whose commits leave the fsync to the caller, and its WAL.
fn group_commit_recorder(
    path: &std::path::Path,
    signer: &Signer,
) -> (ConcurrentRecorder, WalFiles) {
    let options = LedgerOptions {
        synchronous: Synchronous::Normal,
        ..LedgerOptions::default()
    };
    let mut recorder = Recorder::open_with(path, signer.clone(), options).unwrap();
    recorder
        .ledger_mut()
        .defer_checkpoints(CHECKPOINT_PAGES)
        .unwrap();
    let wal = recorder.ledger().wal_files();
    (ConcurrentRecorder::new(recorder), wal)
}

/// One caller per core, each running its share of `envs` in runs of
/// `CHUNK`, certifying each run through the shared `recorder` and making
/// it durable by an fsync of `wal` outside the lock.
fn run_concurrent(
    ctx: &Context,
    signer: &Signer,
    (recorder, wal): &(ConcurrentRecorder, WalFiles),
    envs: &[Envelope],
) -> usize {
    let callers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = envs.len().div_ceil(callers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = envs
            .chunks(share)
            .map(|mine| {
                scope.spawn(move || {
                    let mut certified = 0;
                    for run in mine.chunks(CHUNK) {
                        let mut actions = run_actions(ctx, signer, run);
                        let mut refs: Vec<&mut Action> = actions.iter_mut().collect();
                        let done = recorder.certify(&mut refs).unwrap();
                        recorder
                            .lock()
                            .unwrap()
                            .ledger()
                            .checkpoint_if_due()
                            .unwrap();
                        wal.sync().unwrap();
                        certified += done.len();
                    }
                    certified
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn lifecycle(c: &mut Criterion) {
    let ctx = context();
    let signer = Signer::from_seed("writ.bench/log", &[5u8; 32]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut recorder = Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let envs = envelopes(BATCH);
    let mut group = c.benchmark_group("lifecycle");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("guard_only_1000_actions", |b| {
        let session = SessionState::default();
        b.iter(|| {
            for env in &envs {
                std::hint::black_box(ctx.engine.guard(guard_input(env, &session)));
            }
        })
    });
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("from_decision_1000_actions", |b| {
        let session = SessionState::default();
        let decisions: Vec<_> = envs
            .iter()
            .map(|env| ctx.engine.guard(guard_input(env, &session)))
            .collect();
        b.iter(|| {
            for (env, decision) in envs.iter().zip(&decisions) {
                let input = guard_input(env, &session);
                std::hint::black_box(Action::from_decision(&ctx, input, decision).unwrap());
            }
        })
    });
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("full_lifecycle_group_commit_1000_actions", |b| {
        b.iter(|| run_batch(&ctx, &signer, &mut recorder, &envs))
    });
    group.throughput(Throughput::Elements(BATCH as u64));
    let shared = group_commit_recorder(&dir.path().join("concurrent.db"), &signer);
    group.bench_function("full_lifecycle_concurrent_1000_actions", |b| {
        b.iter(|| assert_eq!(run_concurrent(&ctx, &signer, &shared, &envs), BATCH))
    });
    group.finish();

    // verify_bundle: one session bundle of 200 actions (5 receipts each incl. the certificate).
    let certified = run_batch(&ctx, &signer, &mut recorder, &envs[..200]);
    let bundle = recorder.bundle(&certified).unwrap();
    let trusted = [signer.verifier()];
    let receipts = verify_bundle(&bundle, &trusted).unwrap().receipts;
    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.throughput(Throughput::Elements(receipts as u64));
    group.bench_function(
        format!("verify_bundle_200_actions_{receipts}_receipts"),
        |b| {
            // The caller owns the bundle: dropping it is not timed.
            b.iter_batched_ref(
                || bundle.clone(),
                |bundle| verify_bundle(bundle, &trusted).unwrap(),
                BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

/// Process CPU time (user + system) from `/proc/self/stat`, in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}

/// With `WRIT_BENCH_CPU=1`: CPU time per action and per receipt, which
/// load from other processes does not inflate the way it does wall time.
/// Throughput on `n` idle cores is at most `n / cpu time per item`.
fn cpu_report() {
    let ctx = context();
    let signer = Signer::from_seed("writ.bench/log", &[5u8; 32]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let shared = group_commit_recorder(&dir.path().join("concurrent.db"), &signer);
    let mut recorder = Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let envs = envelopes(BATCH);
    let rounds = 10;
    let measure = |what: &str, items: usize, f: &mut dyn FnMut()| {
        f();
        let (cpu, wall) = (cpu_seconds(), std::time::Instant::now());
        for _ in 0..rounds {
            f();
        }
        let cpu = (cpu_seconds() - cpu) / (rounds * items) as f64;
        let wall = wall.elapsed().as_secs_f64() / (rounds * items) as f64;
        println!(
            "cpu {what}: {:.1} us cpu/item, {:.0}/s per core, wall {:.0}/s",
            cpu * 1e6,
            1.0 / cpu,
            1.0 / wall
        );
    };
    measure("full_lifecycle_concurrent", BATCH, &mut || {
        assert_eq!(run_concurrent(&ctx, &signer, &shared, &envs), BATCH);
    });
    measure("full_lifecycle_group_commit", BATCH, &mut || {
        run_batch(&ctx, &signer, &mut recorder, &envs);
    });
    // Where an action's time goes, step by step, on one thread.
    let session = SessionState::default();
    let decisions: Vec<_> = envs
        .iter()
        .map(|env| ctx.engine.guard(guard_input(env, &session)))
        .collect();
    measure("  step: engine.guard (the decision)", BATCH, &mut || {
        for env in &envs {
            std::hint::black_box(ctx.engine.guard(guard_input(env, &session)));
        }
    });
    measure(
        "  step: Action::from_decision (recording it)",
        BATCH,
        &mut || {
            for (env, decision) in envs.iter().zip(&decisions) {
                let input = guard_input(env, &session);
                std::hint::black_box(Action::from_decision(&ctx, input, decision).unwrap());
            }
        },
    );
    measure(
        "  step: the rest (open, assumption, release, outcome)",
        BATCH,
        &mut || {
            std::hint::black_box(run_actions(&ctx, &signer, &envs));
        },
    );
    let certified = run_batch(&ctx, &signer, &mut recorder, &envs[..200]);
    let bundle = recorder.bundle(&certified).unwrap();
    let trusted = [signer.verifier()];
    let receipts = verify_bundle(&bundle, &trusted).unwrap().receipts;
    measure("verify_bundle (per receipt)", receipts, &mut || {
        verify_bundle(&bundle, &trusted).unwrap();
    });
}

criterion_group!(benches, lifecycle);

fn main() {
    if std::env::var_os("WRIT_BENCH_CPU").is_some() {
        cpu_report();
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
