//! `LedgerOptions::autocheckpoint`: the WAL is checkpointed at the size
//! asked for, and the log reads back whole.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use writ_ledger::{Ledger, LedgerOptions, Synchronous};

fn wal_len(dir: &std::path::Path) -> u64 {
    std::fs::metadata(dir.join("log.db-wal"))
        .map(|m| m.len())
        .unwrap_or(0)
}

fn fill(autocheckpoint: Option<u32>) -> (u64, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let opts = LedgerOptions {
        synchronous: Synchronous::Normal,
        autocheckpoint,
        ..LedgerOptions::default()
    };
    let mut ledger = Ledger::open_with(dir.path().join("log.db"), opts).unwrap();
    let entry = vec![b'x'; 2048];
    for _ in 0..600 {
        ledger.append(&entry).unwrap();
    }
    let wal = wal_len(dir.path());
    drop(ledger);
    let reopened = Ledger::open(dir.path().join("log.db")).unwrap();
    assert_eq!(reopened.size(), 600);
    (wal, dir)
}

#[test]
fn a_small_autocheckpoint_keeps_the_wal_small() {
    let (small, _a) = fill(Some(32));
    let (default, _b) = fill(None);
    // 32 pages of 4 KiB, plus the commit that crossed the line.
    assert!(small < 64 * 4096 + 65536, "{small}");
    assert!(default > 2 * small, "default {default}, small {small}");
}
