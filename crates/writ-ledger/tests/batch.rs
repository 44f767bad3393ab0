//! `Ledger::begin_batch`: appends join one transaction; a failed append
//! inside it appends nothing; commit makes them visible to other handles,
//! rollback forgets them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use writ_ledger::{Ledger, LedgerError};

#[test]
fn a_batch_commits_its_appends_together_and_a_failed_one_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut ledger = Ledger::open(&path).unwrap();
    ledger.append(b"before").unwrap();

    ledger.begin_batch().unwrap();
    assert_eq!(ledger.append(b"a").unwrap(), 1);
    let refused = ledger
        .append_batch_with(|_| Err::<Vec<Vec<u8>>, _>(LedgerError::Corrupt("refused".into())));
    assert!(refused.is_err());
    assert_eq!(
        ledger
            .append_batch(&[b"b".to_vec(), b"c".to_vec()])
            .unwrap(),
        2..4
    );
    // Not committed yet: another connection still sees the log before the batch.
    assert_eq!(leaves_seen_by_another_connection(&path), 1);
    ledger.commit_batch().unwrap();

    let other = Ledger::open(&path).unwrap();
    assert_eq!(other.size(), 4);
    assert_eq!(other.leaf(2).unwrap(), b"b");
    assert_eq!(other.current_root(), ledger.current_root());
    other.verify_integrity().unwrap();
}

#[test]
fn a_rolled_back_batch_leaves_the_log_and_the_handle_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut ledger = Ledger::open(&path).unwrap();
    ledger
        .append_batch(&[b"x".to_vec(), b"y".to_vec()])
        .unwrap();
    let root = ledger.current_root();

    ledger.begin_batch().unwrap();
    ledger
        .append_batch(&[b"gone".to_vec(), b"too".to_vec(), b"also".to_vec()])
        .unwrap();
    assert_eq!(ledger.size(), 5);
    ledger.rollback_batch().unwrap();

    assert_eq!(ledger.size(), 2);
    assert_eq!(ledger.current_root(), root);
    assert_eq!(ledger.append(b"z").unwrap(), 2);
    ledger.verify_integrity().unwrap();
    assert_eq!(Ledger::open(&path).unwrap().size(), 3);
}

fn leaves_seen_by_another_connection(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM leaves", [], |r| r.get(0))
        .unwrap()
}
