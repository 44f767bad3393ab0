//! C2SP `tlog-checkpoint`: a signed note whose text is
//!
//! ```text
//! <origin>
//! <tree size, decimal, no leading zeros>
//! <base64 root hash>
//! [extension lines, each non-empty]
//! ```

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::keys::{KeyPair, Verifier};
use crate::merkle::{Hash, ProofError, verify_consistency, verify_inclusion};
use crate::note::{NoteError, VerifiedNote, open_note, sign_note};

/// Errors from parsing or verifying checkpoints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The signed note itself is malformed or does not verify.
    #[error("checkpoint note: {0}")]
    Note(#[from] NoteError),
    /// The note text is not a valid checkpoint body.
    #[error("malformed checkpoint: {0}")]
    Malformed(&'static str),
    /// The checkpoint's origin is not the expected one.
    #[error("checkpoint origin {found:?} is not the expected {expected:?}")]
    WrongOrigin {
        /// Origin line found in the checkpoint.
        found: String,
        /// Origin the caller expected.
        expected: String,
    },
    /// A proof checked against the checkpoint failed.
    #[error("proof against checkpoint: {0}")]
    Proof(#[from] ProofError),
}

/// An (unsigned) tree head in checkpoint form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Log identity, e.g. `writ.example/ledger`.
    pub origin: String,
    /// Number of leaves.
    pub size: u64,
    /// RFC 9162 root hash at `size`.
    pub root: Hash,
    /// Optional extension lines (not recommended by the spec).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: &str, size: u64, root: Hash) -> Self {
        Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The note text: `<origin>\n<size>\n<base64 root>\n` plus extensions.
    pub fn body(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    /// Parses a checkpoint body (the note text).
    pub fn parse_body(text: &str) -> Result<Self, CheckpointError> {
        let Some(text) = text.strip_suffix('\n') else {
            return Err(CheckpointError::Malformed("text does not end in a newline"));
        };
        let mut lines = text.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::Malformed("fewer than three lines"));
        };
        if origin.is_empty() {
            return Err(CheckpointError::Malformed("empty origin"));
        }
        let size = parse_size(size).ok_or(CheckpointError::Malformed("bad tree size"))?;
        let root: Hash = B64
            .decode(root)
            .ok()
            .and_then(|r| r.try_into().ok())
            .ok_or(CheckpointError::Malformed("bad root hash"))?;
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(CheckpointError::Malformed("empty extension line"));
        }
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// Signs the checkpoint, returning the signed note text.
    pub fn sign(&self, key: &KeyPair) -> Result<String, CheckpointError> {
        self.sign_with(&[key])
    }

    /// Signs the checkpoint with several keys (e.g. during key rotation).
    pub fn sign_with(&self, keys: &[&KeyPair]) -> Result<String, CheckpointError> {
        if self.origin.is_empty() || self.origin.contains('\n') {
            return Err(CheckpointError::Malformed("bad origin"));
        }
        if self
            .extensions
            .iter()
            .any(|e| e.is_empty() || e.contains('\n'))
        {
            return Err(CheckpointError::Malformed("bad extension line"));
        }
        Ok(sign_note(&self.body(), keys)?)
    }

    /// Verifies that `leaf_hash` is at `index` in this tree.
    pub fn verify_inclusion(
        &self,
        leaf_hash: &Hash,
        index: u64,
        proof: &[Hash],
    ) -> Result<(), CheckpointError> {
        Ok(verify_inclusion(
            leaf_hash, index, self.size, proof, &self.root,
        )?)
    }

    /// Verifies that `older` is a prefix of this tree.
    pub fn verify_consistency_from(
        &self,
        older: &Checkpoint,
        proof: &[Hash],
    ) -> Result<(), CheckpointError> {
        Ok(verify_consistency(
            older.size,
            self.size,
            &older.root,
            &self.root,
            proof,
        )?)
    }
}

fn parse_size(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

/// A checkpoint whose note verified against trusted keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheckpoint {
    /// The parsed tree head.
    pub checkpoint: Checkpoint,
    /// The verified note (which keys signed it).
    pub note: VerifiedNote,
}

/// Verifies a signed checkpoint against one or more trusted keys and parses
/// its body. Pass the old and new keys during rotation: a checkpoint signed
/// by any one of them verifies.
pub fn verify_checkpoint(
    msg: &[u8],
    verifiers: &[Verifier],
) -> Result<VerifiedCheckpoint, CheckpointError> {
    let note = open_note(msg, verifiers)?;
    let checkpoint = Checkpoint::parse_body(&note.text)?;
    Ok(VerifiedCheckpoint { checkpoint, note })
}

/// Like [`verify_checkpoint`], also requiring a given origin line.
pub fn verify_checkpoint_for_origin(
    msg: &[u8],
    origin: &str,
    verifiers: &[Verifier],
) -> Result<VerifiedCheckpoint, CheckpointError> {
    let v = verify_checkpoint(msg, verifiers)?;
    if v.checkpoint.origin != origin {
        return Err(CheckpointError::WrongOrigin {
            found: v.checkpoint.origin,
            expected: origin.to_owned(),
        });
    }
    Ok(v)
}
