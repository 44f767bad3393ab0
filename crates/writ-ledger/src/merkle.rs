//! RFC 9162 (Certificate Transparency v2) Merkle tree hashing with SHA-256.
//!
//! Everything in this module is pure: no I/O and no store. Auditors can
//! verify inclusion and consistency proofs with nothing but a trusted root
//! (normally taken from a signed [checkpoint](crate::checkpoint)).
//!
//! * leaf hash: `SHA-256(0x00 || data)`
//! * interior node: `SHA-256(0x01 || left || right)`
//! * root of the empty tree: `SHA-256("")`
//!
//! The `*_from_leaf_hashes` generators are direct transcriptions of the
//! recursive definitions of RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and
//! §2.1.4.1 (PROOF / SUBPROOF). They take the whole leaf list, so they are
//! meant for small trees and as a reference; [`Ledger`](crate::Ledger)
//! produces identical proofs from stored subtree hashes in O(log² n).
//! The verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2 step by step.

use sha2::{Digest, Sha256};

/// A SHA-256 digest: a leaf hash, an interior node hash or a tree root.
pub type Hash = [u8; 32];

/// Length in bytes of a [`Hash`].
pub const HASH_LEN: usize = 32;

/// Errors from proof generation (in-memory) and proof verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf index is not inside the tree.
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange {
        /// Requested leaf index.
        index: u64,
        /// Tree size the proof is for.
        size: u64,
    },
    /// A consistency proof was requested or checked with `old > new`.
    #[error("old tree size {old} exceeds new tree size {new}")]
    SizeOrder {
        /// Older (smaller) tree size.
        old: u64,
        /// Newer (larger) tree size.
        new: u64,
    },
    /// The proof has more hashes than the tree shape allows.
    #[error("proof has too many hashes")]
    TooLong,
    /// The proof has fewer hashes than the tree shape requires.
    #[error("proof has too few hashes")]
    TooShort,
    /// The root recomputed from the proof is not the expected root.
    #[error("computed root does not match the expected root")]
    RootMismatch,
    /// The old root recomputed from a consistency proof is not the expected one.
    #[error("computed old root does not match the expected old root")]
    OldRootMismatch,
    /// Two equal-size trees have different roots.
    #[error("trees of equal size have different roots")]
    EqualSizeRootMismatch,
}

/// `SHA-256(0x00 || data)`: the RFC 9162 leaf hash.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`: the RFC 9162 interior node hash.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// `SHA-256("")`: the root of the empty tree.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Largest power of two strictly less than `n` (meaningful for `n >= 2`;
/// returns 1 for smaller `n` instead of panicking).
pub(crate) fn split_point(n: u64) -> u64 {
    let bits = 64 - n.saturating_sub(1).leading_zeros();
    1u64 << bits.saturating_sub(1)
}

/// Splits `hashes` at the RFC 9162 split point `k`.
fn split(hashes: &[Hash]) -> (u64, &[Hash], &[Hash]) {
    let n = hashes.len() as u64;
    let k = split_point(n);
    // k < n <= usize::MAX, so the conversion cannot fail; fall back to an
    // empty right side rather than panic.
    let (l, r) = hashes
        .split_at_checked(usize::try_from(k).unwrap_or(hashes.len()))
        .unwrap_or((hashes, &[]));
    (k, l, r)
}

/// MTH over a list of leaf hashes (RFC 9162 §2.1.1).
pub fn root_from_leaf_hashes(hashes: &[Hash]) -> Hash {
    match hashes {
        [] => empty_root(),
        [one] => *one,
        _ => {
            let (_, l, r) = split(hashes);
            node_hash(&root_from_leaf_hashes(l), &root_from_leaf_hashes(r))
        }
    }
}

/// MTH over a list of leaf data items.
pub fn root<T: AsRef<[u8]>>(leaves: &[T]) -> Hash {
    let hashes: Vec<Hash> = leaves.iter().map(|d| leaf_hash(d.as_ref())).collect();
    root_from_leaf_hashes(&hashes)
}

/// Inclusion proof `PATH(index, D[n])` for the tree whose leaf hashes are
/// `hashes` (RFC 9162 §2.1.3.1). Hashes are ordered from the leaf upwards.
pub fn inclusion_proof_from_leaf_hashes(
    hashes: &[Hash],
    index: u64,
) -> Result<Vec<Hash>, ProofError> {
    let size = hashes.len() as u64;
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let mut out = Vec::new();
    path_ref(index, hashes, &mut out);
    Ok(out)
}

fn path_ref(m: u64, hashes: &[Hash], out: &mut Vec<Hash>) {
    if hashes.len() <= 1 {
        return;
    }
    let (k, l, r) = split(hashes);
    if m < k {
        path_ref(m, l, out);
        out.push(root_from_leaf_hashes(r));
    } else {
        path_ref(m - k, r, out);
        out.push(root_from_leaf_hashes(l));
    }
}

/// Consistency proof `PROOF(old_size, D[n])` between the first `old_size`
/// leaves and all of `hashes` (RFC 9162 §2.1.4.1). Empty when
/// `old_size == 0` or `old_size == n`.
pub fn consistency_proof_from_leaf_hashes(
    hashes: &[Hash],
    old_size: u64,
) -> Result<Vec<Hash>, ProofError> {
    let new = hashes.len() as u64;
    if old_size > new {
        return Err(ProofError::SizeOrder { old: old_size, new });
    }
    let mut out = Vec::new();
    if old_size == 0 || old_size == new {
        return Ok(out);
    }
    subproof_ref(old_size, hashes, true, &mut out);
    Ok(out)
}

fn subproof_ref(m: u64, hashes: &[Hash], flag: bool, out: &mut Vec<Hash>) {
    let n = hashes.len() as u64;
    if m == n {
        if !flag {
            out.push(root_from_leaf_hashes(hashes));
        }
        return;
    }
    if n < 2 {
        // Unreachable for 0 < m < n; keeps the recursion total.
        return;
    }
    let (k, l, r) = split(hashes);
    if m <= k {
        subproof_ref(m, l, flag, out);
        out.push(root_from_leaf_hashes(r));
    } else {
        subproof_ref(m - k, r, false, out);
        out.push(root_from_leaf_hashes(l));
    }
}

/// Recomputes the root from an inclusion proof (RFC 9162 §2.1.3.2 steps
/// 1–4) and checks that the path length matches the tree shape.
pub fn root_from_inclusion_proof(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
) -> Result<Hash, ProofError> {
    // Step 1.
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    // Steps 2 and 3.
    let mut fn_ = index;
    let mut sn = size - 1;
    let mut r = *leaf_hash;
    // Step 4.
    for p in proof {
        if sn == 0 {
            return Err(ProofError::TooLong);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    // Step 5 (the sn part).
    if sn != 0 {
        return Err(ProofError::TooShort);
    }
    Ok(r)
}

/// Verifies that `leaf_hash` is the leaf at `index` in the tree of `size`
/// leaves whose root is `root` (RFC 9162 §2.1.3.2).
///
/// As in the RFC, `size` only shapes the path: a proof for size `n` can also
/// pass for another size whose path has the same shape *with the same root*.
/// Always take `size` and `root` together from one verified checkpoint
/// (e.g. [`Checkpoint::verify_inclusion`](crate::Checkpoint::verify_inclusion)).
pub fn verify_inclusion(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    let r = root_from_inclusion_proof(leaf_hash, index, size, proof)?;
    if !ct_eq(&r, root) {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Verifies that the tree of `old_size` leaves with root `old_root` is a
/// prefix of the tree of `new_size` leaves with root `new_root`
/// (RFC 9162 §2.1.4.2).
///
/// The RFC algorithm covers `0 < old_size < new_size`. The edge cases are
/// handled like the reference implementations: `old_size == new_size`
/// requires an empty proof and equal roots; `old_size == 0` requires an empty
/// proof (the empty tree is a prefix of every tree).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizeOrder {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(ProofError::TooLong);
        }
        if !ct_eq(old_root, new_root) {
            return Err(ProofError::EqualSizeRootMismatch);
        }
        return Ok(());
    }
    if old_size == 0 {
        if !proof.is_empty() {
            return Err(ProofError::TooLong);
        }
        return Ok(());
    }
    // Step 1.
    if proof.is_empty() {
        return Err(ProofError::TooShort);
    }
    // Step 2: if old_size is an exact power of 2, prepend old_root.
    let prefix = old_size.is_power_of_two().then_some(*old_root);
    let mut path = prefix.into_iter().chain(proof.iter().copied());
    // Step 3.
    let mut fn_ = old_size - 1;
    let mut sn = new_size - 1;
    // Step 4.
    if fn_ & 1 == 1 {
        while fn_ & 1 == 1 {
            fn_ >>= 1;
            sn >>= 1;
        }
    }
    // Step 5.
    let Some(first) = path.next() else {
        return Err(ProofError::TooShort);
    };
    let mut fr = first;
    let mut sr = first;
    // Step 6.
    for c in path {
        if sn == 0 {
            return Err(ProofError::TooLong);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(&c, &fr);
            sr = node_hash(&c, &sr);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, &c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    // Step 7.
    if sn != 0 {
        return Err(ProofError::TooShort);
    }
    if !ct_eq(&fr, old_root) {
        return Err(ProofError::OldRootMismatch);
    }
    if !ct_eq(&sr, new_root) {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Comparison without early exit (roots are public, but it costs nothing).
fn ct_eq(a: &Hash, b: &Hash) -> bool {
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Source of hashes of *perfect, aligned* subtrees: the node at `level`
/// and `index` covers leaves `[index << level, (index + 1) << level)`.
/// Level 0 is the leaf hash.
pub(crate) trait NodeSource {
    type Error;
    fn node(&mut self, level: u32, index: u64) -> Result<Hash, Self::Error>;
}

/// MTH(D[start:end]) assembled from perfect subtrees.
///
/// Valid for the ranges that occur in the RFC 9162 recursions: `start` is a
/// multiple of a power of two that is `>= end - start`. Then the range
/// decomposes, left to right, into perfect subtrees of strictly decreasing
/// size, and folding them from the right reproduces the MTH split at the
/// largest power of two below the size.
pub(crate) fn range_hash<S: NodeSource>(
    src: &mut S,
    start: u64,
    end: u64,
) -> Result<Option<Hash>, S::Error> {
    let mut nodes: Vec<Hash> = Vec::with_capacity(64);
    let mut pos = start;
    while pos < end {
        let remaining = end - pos;
        let max_by_len = 63 - remaining.leading_zeros();
        let max_by_align = if pos == 0 { 63 } else { pos.trailing_zeros() };
        let level = max_by_len.min(max_by_align);
        nodes.push(src.node(level, pos >> level)?);
        pos += 1u64 << level;
    }
    let mut it = nodes.into_iter().rev();
    let Some(mut acc) = it.next() else {
        return Ok(None);
    };
    for left in it {
        acc = node_hash(&left, &acc);
    }
    Ok(Some(acc))
}

/// Hash of the non-empty range `[start, end)`, or the empty-tree hash.
fn range_or_empty<S: NodeSource>(src: &mut S, start: u64, end: u64) -> Result<Hash, S::Error> {
    Ok(range_hash(src, start, end)?.unwrap_or_else(empty_root))
}

/// Tree root for `size` leaves from a node source.
pub(crate) fn root_from_source<S: NodeSource>(src: &mut S, size: u64) -> Result<Hash, S::Error> {
    range_or_empty(src, 0, size)
}

/// PATH(m, D[start:end]) from a node source. Caller ensures `m < end - start`.
pub(crate) fn path_from_source<S: NodeSource>(
    src: &mut S,
    m: u64,
    start: u64,
    end: u64,
    out: &mut Vec<Hash>,
) -> Result<(), S::Error> {
    let n = end - start;
    if n <= 1 {
        return Ok(());
    }
    let k = split_point(n);
    if m < k {
        path_from_source(src, m, start, start + k, out)?;
        out.push(range_or_empty(src, start + k, end)?);
    } else {
        path_from_source(src, m - k, start + k, end, out)?;
        out.push(range_or_empty(src, start, start + k)?);
    }
    Ok(())
}

/// SUBPROOF(m, D[start:end], flag) from a node source. Caller ensures
/// `0 < m <= end - start`.
pub(crate) fn subproof_from_source<S: NodeSource>(
    src: &mut S,
    m: u64,
    start: u64,
    end: u64,
    flag: bool,
    out: &mut Vec<Hash>,
) -> Result<(), S::Error> {
    let n = end - start;
    if m == n {
        if !flag {
            out.push(range_or_empty(src, start, end)?);
        }
        return Ok(());
    }
    if n < 2 {
        return Ok(());
    }
    let k = split_point(n);
    if m <= k {
        subproof_from_source(src, m, start, start + k, flag, out)?;
        out.push(range_or_empty(src, start + k, end)?);
    } else {
        subproof_from_source(src, m - k, start + k, end, false, out)?;
        out.push(range_or_empty(src, start, start + k)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In-memory node source over a leaf-hash list, for cross-checking.
    struct Mem<'a>(&'a [Hash]);
    impl NodeSource for Mem<'_> {
        type Error = ();
        fn node(&mut self, level: u32, index: u64) -> Result<Hash, ()> {
            let start = usize::try_from(index << level).map_err(|_| ())?;
            let end = start + (1usize << level);
            self.0.get(start..end).map(root_from_leaf_hashes).ok_or(())
        }
    }

    #[test]
    fn split_point_values() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(8), 4);
        assert_eq!(split_point(9), 8);
    }

    #[test]
    fn source_based_matches_reference() {
        for n in 0u64..48 {
            let hashes: Vec<Hash> = (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect();
            let mut src = Mem(&hashes);
            assert_eq!(
                root_from_source(&mut src, n),
                Ok(root_from_leaf_hashes(&hashes))
            );
            for m in 0..n {
                let mut out = Vec::new();
                path_from_source(&mut src, m, 0, n, &mut out).ok();
                assert_eq!(Ok(out), inclusion_proof_from_leaf_hashes(&hashes, m));
            }
            for m in 1..n {
                let mut out = Vec::new();
                subproof_from_source(&mut src, m, 0, n, true, &mut out).ok();
                assert_eq!(Ok(out), consistency_proof_from_leaf_hashes(&hashes, m));
            }
        }
    }
}
