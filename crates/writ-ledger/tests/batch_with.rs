//! `Ledger::append_batch_with`: items built from the first index they get,
//! all or nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use writ_ledger::{Ledger, LedgerError};

#[derive(Debug)]
enum Failure {
    Ledger,
    Refused,
}

impl From<LedgerError> for Failure {
    fn from(_: LedgerError) -> Self {
        Failure::Ledger
    }
}

#[test]
fn items_see_their_first_index_and_failures_append_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("l.db")).unwrap();
    ledger
        .append_batch(&[b"a".to_vec(), b"b".to_vec()])
        .unwrap();

    let range = ledger
        .append_batch_with(|start| {
            Ok::<_, Failure>(vec![
                format!("first at {start}").into_bytes(),
                format!("refers to {start}").into_bytes(),
            ])
        })
        .unwrap();
    assert_eq!(range, 2..4);
    assert_eq!(ledger.leaf(2).unwrap(), b"first at 2");
    assert_eq!(ledger.leaf(3).unwrap(), b"refers to 2");
    let root = ledger.current_root();

    let err = ledger
        .append_batch_with(|_| Err::<Vec<Vec<u8>>, _>(Failure::Refused))
        .unwrap_err();
    assert!(matches!(err, Failure::Refused));
    assert_eq!(ledger.size(), 4);
    assert_eq!(ledger.current_root(), root);
    ledger.verify_integrity().unwrap();

    // Another handle sees the same log and continues it at the right index.
    let mut other = Ledger::open(dir.path().join("l.db")).unwrap();
    assert_eq!(other.size(), 4);
    let range = other
        .append_batch_with(|start| Ok::<_, Failure>(vec![start.to_string().into_bytes()]))
        .unwrap();
    assert_eq!(range, 4..5);
    let range = ledger
        .append_batch_with(|start| Ok::<_, Failure>(vec![start.to_string().into_bytes()]))
        .unwrap();
    assert_eq!(range, 5..6);
    assert_eq!(ledger.leaf(5).unwrap(), b"5");
    ledger.verify_integrity().unwrap();
}
