//! Known-answer tests: the 8-leaf tree used by Certificate Transparency
//! implementations (vectors from transparency-dev/merkle `proof/verify_test.go`,
//! originally from the C++ CT and Trillian code) and the worked examples of
//! RFC 6962 §2.1.3 / RFC 9162 §2.1.5.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use writ_ledger::Ledger;
use writ_ledger::merkle::{
    self, Hash, ProofError, consistency_proof_from_leaf_hashes, empty_root,
    inclusion_proof_from_leaf_hashes, leaf_hash, node_hash, verify_consistency, verify_inclusion,
};

fn h(s: &str) -> Hash {
    hex::decode(s).unwrap().try_into().unwrap()
}

fn leaves() -> Vec<Vec<u8>> {
    [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    .iter()
    .map(|s| hex::decode(s).unwrap())
    .collect()
}

const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (0-based leaf index, tree size, proof)
fn inclusion_vectors() -> Vec<(u64, u64, Vec<Hash>)> {
    vec![
        (
            0,
            8,
            vec![
                h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ],
        ),
        (
            5,
            8,
            vec![
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ],
        ),
        (
            2,
            3,
            vec![h(
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            )],
        ),
        (
            1,
            5,
            vec![
                h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            ],
        ),
        (0, 1, vec![]),
    ]
}

/// (old size, new size, proof)
fn consistency_vectors() -> Vec<(u64, u64, Vec<Hash>)> {
    vec![
        (1, 1, vec![]),
        (
            1,
            8,
            vec![
                h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ],
        ),
        (
            6,
            8,
            vec![
                h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ],
        ),
        (
            2,
            5,
            vec![
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            ],
        ),
        (
            6,
            7,
            vec![
                h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ],
        ),
    ]
}

fn ledger_with(leaves: &[Vec<u8>]) -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(dir.path().join("l.db")).unwrap();
    l.append_batch(leaves).unwrap();
    (dir, l)
}

#[test]
fn empty_tree_root() {
    assert_eq!(
        empty_root(),
        h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(merkle::root::<&[u8]>(&[]), empty_root());
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::open(dir.path().join("l.db")).unwrap();
    assert_eq!(l.size(), 0);
    assert_eq!(l.root(0).unwrap(), empty_root());
    assert_eq!(l.current_root(), empty_root());
}

#[test]
fn leaf_and_node_hash_domain_separation() {
    // SHA-256(0x00) and SHA-256(0x01 || 0^32 || 0^32), computed independently.
    assert_eq!(
        leaf_hash(b""),
        h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    );
    assert_ne!(leaf_hash(&[0u8; 64]), node_hash(&[0; 32], &[0; 32]));
}

#[test]
fn roots_for_sizes_1_to_8() {
    let leaves = leaves();
    let (_d, l) = ledger_with(&leaves);
    for (i, want) in ROOTS.iter().enumerate() {
        let n = i + 1;
        assert_eq!(merkle::root(&leaves[..n]), h(want), "reference root {n}");
        assert_eq!(l.root(n as u64).unwrap(), h(want), "ledger root {n}");
    }
    assert_eq!(l.current_root(), h(ROOTS[7]));
    // Incremental appends produce the same roots.
    let dir = tempfile::tempdir().unwrap();
    let mut inc = Ledger::open(dir.path().join("i.db")).unwrap();
    for (i, leaf) in leaves.iter().enumerate() {
        assert_eq!(inc.append(leaf).unwrap(), i as u64);
        assert_eq!(inc.current_root(), h(ROOTS[i]));
    }
    inc.verify_integrity().unwrap();
}

#[test]
fn known_inclusion_proofs() {
    let leaves = leaves();
    let hashes: Vec<Hash> = leaves.iter().map(|d| leaf_hash(d)).collect();
    let (_d, l) = ledger_with(&leaves);
    for (index, size, want) in inclusion_vectors() {
        let n = size as usize;
        assert_eq!(
            inclusion_proof_from_leaf_hashes(&hashes[..n], index).unwrap(),
            want,
            "reference proof {index}/{size}"
        );
        assert_eq!(l.inclusion_proof(index, size).unwrap(), want);
        let root = h(ROOTS[n - 1]);
        let lh = hashes[index as usize];
        verify_inclusion(&lh, index, size, &want, &root).unwrap();

        // Corruptions taken from the transparency-dev probes.
        let bad = |i: u64, s: u64, leaf: &Hash, proof: &[Hash], root: &Hash| {
            verify_inclusion(leaf, i, s, proof, root).is_err()
        };
        assert!(bad(index.wrapping_sub(1), size, &lh, &want, &root));
        assert!(bad(index + 1, size, &lh, &want, &root));
        assert!(bad(index ^ 2, size, &lh, &want, &root));
        assert!(bad(index, size * 2, &lh, &want, &root));
        assert!(bad(index, size / 2, &lh, &want, &root));
        assert!(bad(index, size, &leaf_hash(b"WrongLeaf"), &want, &root));
        assert!(bad(index, size, &lh, &want, &empty_root()));
        let mut longer = want.clone();
        longer.push(root);
        assert!(bad(index, size, &lh, &longer, &root));
        let mut front = vec![root];
        front.extend_from_slice(&want);
        assert!(bad(index, size, &lh, &front, &root));
        for k in 0..want.len() {
            let mut p = want.clone();
            p[k][0] ^= 8;
            assert!(bad(index, size, &lh, &p, &root), "flipped proof[{k}]");
        }
        if !want.is_empty() {
            assert!(bad(index, size, &lh, &want[..want.len() - 1], &root));
        }
    }
}

#[test]
fn known_consistency_proofs() {
    let leaves = leaves();
    let hashes: Vec<Hash> = leaves.iter().map(|d| leaf_hash(d)).collect();
    let (_d, l) = ledger_with(&leaves);
    for (old, new, want) in consistency_vectors() {
        assert_eq!(
            consistency_proof_from_leaf_hashes(&hashes[..new as usize], old).unwrap(),
            want,
            "reference proof {old}->{new}"
        );
        assert_eq!(l.consistency_proof(old, new).unwrap(), want);
        let r1 = h(ROOTS[old as usize - 1]);
        let r2 = h(ROOTS[new as usize - 1]);
        verify_consistency(old, new, &r1, &r2, &want).unwrap();
        if want.is_empty() {
            continue;
        }
        let bad = |o: u64, n: u64, a: &Hash, b: &Hash, p: &[Hash]| {
            verify_consistency(o, n, a, b, p).is_err()
        };
        assert!(bad(old - 1, new, &r1, &r2, &want));
        assert!(bad(old + 1, new, &r1, &r2, &want));
        assert!(bad(old ^ 2, new, &r1, &r2, &want));
        assert!(bad(old, new * 2, &r1, &r2, &want));
        assert!(bad(old, new / 2, &r1, &r2, &want));
        assert!(bad(old, new, &leaf_hash(b"WrongRoot"), &r2, &want));
        assert!(bad(old, new, &r1, &leaf_hash(b"WrongRoot"), &want));
        assert!(bad(old, new, &r2, &r1, &want));
        assert!(bad(old, new, &r1, &r2, &[]));
        for extra in [r1, r2] {
            let mut p = want.clone();
            p.push(extra);
            assert!(bad(old, new, &r1, &r2, &p));
            let mut p = vec![extra];
            p.extend_from_slice(&want);
            assert!(bad(old, new, &r1, &r2, &p));
        }
        assert!(bad(old, new, &r1, &r2, &want[..want.len() - 1]));
        for k in 0..want.len() {
            let mut p = want.clone();
            p[k][0] ^= 16;
            assert!(bad(old, new, &r1, &r2, &p), "flipped proof[{k}]");
        }
    }
}

#[test]
fn consistency_edge_cases() {
    let r1 = leaf_hash(b"don't care 1");
    let r2 = leaf_hash(b"don't care 2");
    let e = empty_root();
    // Sizes that are always consistent.
    assert!(verify_consistency(0, 0, &r1, &r1, &[]).is_ok());
    assert!(verify_consistency(0, 1, &r1, &r2, &[]).is_ok());
    assert!(verify_consistency(1, 1, &r2, &r2, &[]).is_ok());
    // Failures.
    assert!(verify_consistency(0, 0, &r1, &r2, &[]).is_err());
    assert!(verify_consistency(1, 1, &r1, &r2, &[]).is_err());
    assert_eq!(
        verify_consistency(1, 0, &r1, &r2, &[]),
        Err(ProofError::SizeOrder { old: 1, new: 0 })
    );
    assert!(verify_consistency(2, 1, &r1, &r2, &[]).is_err());
    assert!(verify_consistency(1, 2, &r1, &r2, &[]).is_err());
    assert!(verify_consistency(0, 0, &e, &e, &[e]).is_err());
    assert!(verify_consistency(0, 1, &e, &e, &[e]).is_err());
    assert!(verify_consistency(1, 1, &e, &e, &[e]).is_err());
    // Inclusion edge cases.
    assert!(verify_inclusion(&r1, 0, 0, &[], &e).is_err());
    assert!(verify_inclusion(&r1, 1, 0, &[], &e).is_err());
    assert!(verify_inclusion(&r1, 2, 1, &[], &r1).is_err());
    assert!(verify_inclusion(&r1, 0, 1, &[], &r1).is_ok());
    assert!(verify_inclusion(&r1, 0, 1, &[], &r2).is_err());
}

/// RFC 6962 §2.1.3 (= RFC 9162 §2.1.5) example: a tree with 7 leaves
/// d0..d6, its interior nodes named as in the RFC figure.
#[test]
fn rfc_worked_examples() {
    let data: Vec<Vec<u8>> = (0u8..7).map(|i| vec![b'd', i]).collect();
    let [a, b, c, d, e, f, j]: [Hash; 7] = data
        .iter()
        .map(|x| leaf_hash(x))
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let g = node_hash(&a, &b);
    let hh = node_hash(&c, &d);
    let i = node_hash(&e, &f);
    let k = node_hash(&g, &hh);
    let l = node_hash(&i, &j);
    let root = node_hash(&k, &l);

    let (_dir, ledger) = ledger_with(&data);
    assert_eq!(ledger.root(7).unwrap(), root);
    let hashes = [a, b, c, d, e, f, j];

    for (idx, want) in [
        (0u64, vec![b, hh, l]),
        (3, vec![c, g, l]),
        (4, vec![f, j, k]),
        (6, vec![i, k]),
    ] {
        assert_eq!(ledger.inclusion_proof(idx, 7).unwrap(), want, "d{idx}");
        assert_eq!(
            inclusion_proof_from_leaf_hashes(&hashes, idx).unwrap(),
            want
        );
        verify_inclusion(&hashes[idx as usize], idx, 7, &want, &root).unwrap();
    }

    // hash0 = MTH(d0..d2) = H(g, c): PROOF(3, D[7]) = [c, d, g, l].
    let hash0 = node_hash(&g, &c);
    // hash1 = MTH(d0..d3) = k: PROOF(4, D[7]) = [l].
    // hash2 = MTH(d0..d5) = H(k, i): PROOF(6, D[7]) = [i, j, k].
    let hash2 = node_hash(&k, &i);
    for (old, old_root, want) in [
        (3u64, hash0, vec![c, d, g, l]),
        (4, k, vec![l]),
        (6, hash2, vec![i, j, k]),
    ] {
        assert_eq!(ledger.root(old).unwrap(), old_root);
        assert_eq!(ledger.consistency_proof(old, 7).unwrap(), want, "{old}");
        assert_eq!(
            consistency_proof_from_leaf_hashes(&hashes, old).unwrap(),
            want
        );
        verify_consistency(old, 7, &old_root, &root, &want).unwrap();
    }
}

#[test]
fn store_argument_errors() {
    let (_d, l) = ledger_with(&leaves());
    assert!(l.inclusion_proof(8, 8).is_err());
    assert!(l.inclusion_proof(0, 9).is_err());
    assert!(l.consistency_proof(5, 4).is_err());
    assert!(l.consistency_proof(1, 9).is_err());
    assert!(l.root(9).is_err());
    assert!(l.leaf(8).is_err());
    assert_eq!(l.leaf(7).unwrap(), leaves()[7]);
    assert_eq!(l.consistency_proof(0, 8).unwrap(), Vec::<Hash>::new());
    assert_eq!(l.consistency_proof(8, 8).unwrap(), Vec::<Hash>::new());
}

#[test]
fn log_is_append_only_at_sql_level() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut l = Ledger::open(&path).unwrap();
    l.append_batch(&leaves()).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(
        conn.execute("UPDATE leaves SET data = x'00' WHERE idx = 1", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM leaves WHERE idx = 7", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM nodes", []).is_err());
    drop(conn);
    drop(l);
    let l = Ledger::open(&path).unwrap();
    assert_eq!(l.size(), 8);
    assert_eq!(l.current_root(), h(ROOTS[7]));
    l.verify_integrity().unwrap();
}

#[test]
fn two_handles_append_consistently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut a = Ledger::open(&path).unwrap();
    let mut b = Ledger::open(&path).unwrap();
    let all = leaves();
    for (i, leaf) in all.iter().enumerate() {
        let h = if i % 2 == 0 { &mut a } else { &mut b };
        assert_eq!(h.append(leaf).unwrap(), i as u64);
    }
    assert_eq!(b.current_root(), h(ROOTS[7]));
    assert_eq!(a.refresh().unwrap(), 8);
    assert_eq!(a.current_root(), h(ROOTS[7]));
    a.verify_integrity().unwrap();
}
