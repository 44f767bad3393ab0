//! Crash test: a writer process is killed with SIGKILL at random moments;
//! every index it acknowledged must survive, with the right data, and the
//! log must keep producing checkpoints and proofs that verify and that are
//! consistent with the checkpoints taken after earlier crashes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use writ_ledger::merkle::leaf_hash;
use writ_ledger::{Checkpoint, KeyPair, Ledger, verify_checkpoint};

const ROUNDS: usize = 25;
const BUDGET: Duration = Duration::from_secs(20);
const ORIGIN: &str = "writ.test/crash";

/// Must match `payload` in `src/bin/ledger-crash-writer.rs`.
fn payload(i: u64) -> Vec<u8> {
    format!(
        "{{\"receipt\":{i},\"pad\":\"{}\"}}",
        "x".repeat((i % 37) as usize)
    )
    .into_bytes()
}

#[test]
fn sigkill_never_loses_acknowledged_appends() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let key = KeyPair::generate(ORIGIN).unwrap();
    let trusted = [key.verifier()];
    let mut rng = rand::thread_rng();
    let started = Instant::now();

    let mut acked: Vec<u64> = Vec::new();
    let mut checkpoints: Vec<(Checkpoint, String)> = Vec::new();
    let mut rounds_with_acks = 0;
    let mut rounds = 0;

    for round in 0..ROUNDS {
        if started.elapsed() > BUDGET && rounds >= 10 {
            break;
        }
        rounds += 1;
        let mut child = Command::new(env!("CARGO_BIN_EXE_ledger-crash-writer"))
            .arg(&db)
            .arg("64")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.read_to_end(&mut buf);
            buf
        });
        // Random moment: sometimes during startup / open, mostly mid-stream.
        let wait = if round % 5 == 0 {
            rng.gen_range(0..8)
        } else {
            rng.gen_range(10..120)
        };
        std::thread::sleep(Duration::from_millis(wait));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        assert!(!status.success(), "writer exited by itself: {status}");
        let out = reader.join().unwrap();

        // Only complete lines are acknowledgements.
        let text = String::from_utf8(out).unwrap();
        let complete = text.rfind('\n').map_or("", |p| &text[..p]);
        let new_acks: Vec<u64> = complete
            .lines()
            .map(|l| l.parse().unwrap_or_else(|_| panic!("bad ack line {l:?}")))
            .collect();
        if let (Some(&first), Some(&prev)) = (new_acks.first(), acked.last()) {
            assert!(first > prev, "acks went backwards: {first} after {prev}");
        }
        assert!(new_acks.windows(2).all(|w| w[1] == w[0] + 1));
        if !new_acks.is_empty() {
            rounds_with_acks += 1;
        }
        acked.extend_from_slice(&new_acks);

        // Reopen and check.
        let ledger = Ledger::open(&db).unwrap();
        let size = ledger.size();
        if let Some(&last) = acked.last() {
            assert!(
                size > last,
                "round {round}: size {size} but index {last} was acked"
            );
        }
        for &i in &acked {
            assert_eq!(ledger.leaf(i).unwrap(), payload(i), "acked entry {i}");
        }
        // Committed-but-unacked entries are fine, but must be well-formed.
        for i in acked.last().map_or(0, |l| l + 1)..size {
            assert_eq!(ledger.leaf(i).unwrap(), payload(i), "entry {i}");
        }

        // Fresh signed checkpoint, verified as an auditor would.
        let signed = ledger.checkpoint(ORIGIN).sign(&key).unwrap();
        let cp = verify_checkpoint(signed.as_bytes(), &trusted)
            .unwrap()
            .checkpoint;
        assert_eq!(cp.size, size);

        // Inclusion proofs: first, last and random acked entries.
        let mut probes: Vec<u64> = Vec::new();
        probes.extend(acked.first());
        probes.extend(acked.last());
        probes.extend(new_acks.first());
        for _ in 0..20 {
            if !acked.is_empty() {
                probes.push(acked[rng.gen_range(0..acked.len())]);
            }
        }
        for i in probes {
            let proof = ledger.inclusion_proof(i, cp.size).unwrap();
            cp.verify_inclusion(&leaf_hash(&payload(i)), i, &proof)
                .unwrap();
        }

        // Consistency with every earlier round's checkpoint (re-verified from
        // its signed text).
        for (old, old_signed) in &checkpoints {
            let old_v = verify_checkpoint(old_signed.as_bytes(), &trusted)
                .unwrap()
                .checkpoint;
            assert_eq!(&old_v, old);
            let proof = ledger.consistency_proof(old.size, cp.size).unwrap();
            cp.verify_consistency_from(old, &proof).unwrap();
        }
        checkpoints.push((cp, signed));
        drop(ledger);
    }

    let ledger = Ledger::open(&db).unwrap();
    ledger.verify_integrity().unwrap();
    eprintln!(
        "crash test: {rounds} rounds, {rounds_with_acks} with acks, {} acked, final size {}, {:?}",
        acked.len(),
        ledger.size(),
        started.elapsed()
    );
    assert!(rounds_with_acks >= 5, "writer rarely got to commit");
    assert!(!acked.is_empty());
}
