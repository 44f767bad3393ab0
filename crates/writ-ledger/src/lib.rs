//! # writ-ledger: the append-only, verifiable receipt log
//!
//! Every receipt writ produces is appended to a Merkle log. An auditor who
//! holds only the log's public key (a C2SP *vkey*) can check, offline, that
//! a receipt is in the log and that the log was only ever appended to.
//!
//! ## Format
//!
//! * **Tree**: RFC 9162 (Certificate Transparency v2) Merkle tree over
//!   SHA-256. Leaf hash `SHA-256(0x00 || data)`, interior node
//!   `SHA-256(0x01 || left || right)`, empty tree `SHA-256("")`. Inclusion
//!   proofs (§2.1.3) and consistency proofs (§2.1.4) are the RFC's, so any
//!   CT / transparency-dev / sigsum verifier accepts them. See [`merkle`].
//! * **Checkpoints**: C2SP `tlog-checkpoint` bodies
//!   `<origin>\n<size>\n<base64 root>\n`, signed as C2SP `signed-note`s
//!   with Ed25519: signature line `— <key name> <base64(key id || sig)>`,
//!   key id = `SHA-256(name || 0x0A || 0x01 || pubkey)[:4]`. Keys use the
//!   `golang.org/x/mod/sumdb/note` vkey/skey encodings, and notes signed by
//!   Go's reference implementation verify here (tested). See [`note`],
//!   [`checkpoint`], [`keys`].
//!
//! ## Storage and durability
//!
//! [`Ledger`] keeps one SQLite file (WAL journal) with three tables:
//! `leaves(idx, hash, data)`, `nodes(level, idx, hash)` holding every
//! complete perfect subtree, and `meta`. A leaf and the subtree nodes it
//! completes are inserted in the same transaction, so the stored tree is
//! always whole. Any root or proof for any past size is assembled from
//! O(log n) stored subtrees per proof hash (O(log² n) reads worst case);
//! nothing is re-hashed from the leaves, which keeps 10⁶-leaf logs cheap.
//! The in-memory *frontier* (the perfect subtrees covering the whole log)
//! makes appends write-only and the current root free. `UPDATE` and
//! `DELETE` on the log tables are rejected by triggers.
//!
//! **Durability choice: `journal_mode=WAL` with `synchronous=FULL`.** With
//! WAL, `synchronous=NORMAL` only fsyncs at checkpoints, so a commit is
//! safe against a crash of the process but the last commits can vanish on
//! power loss or kernel crash. Receipts are audit evidence and callers are
//! told an append is durable once it returns, so the default is `FULL`:
//! every commit fsyncs the WAL before `append`/`append_batch` return. The
//! cost is one fsync per commit; [`Ledger::append_batch`] amortises it by
//! committing a whole batch in one transaction (group commit), which is how
//! the 10k receipts/s target is met. [`Synchronous::Normal`] is available
//! through [`Ledger::open_with`] for callers that accept losing the tail on
//! power loss. An acknowledged (committed) append is never lost on process
//! crash in either mode; the crash test kills a writer with SIGKILL
//! repeatedly and checks exactly that.
//!
//! ## API sketch
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use writ_ledger::{KeyPair, Ledger, verify_checkpoint, merkle};
//!
//! let key = KeyPair::generate("writ.example/ledger")?;
//! let mut log = Ledger::open("/var/lib/writ/ledger.db")?;
//! let i = log.append(b"receipt 1")?;
//! let _range = log.append_batch(&[b"receipt 2".to_vec(), b"receipt 3".to_vec()])?;
//!
//! let signed = log.checkpoint(key.name()).sign(&key)?;
//!
//! // Auditor side: only the vkey string is needed.
//! let verifier = writ_ledger::Verifier::from_vkey(&key.vkey())?;
//! let cp = verify_checkpoint(signed.as_bytes(), &[verifier])?.checkpoint;
//! let proof = log.inclusion_proof(i, cp.size)?;
//! merkle::verify_inclusion(&merkle::leaf_hash(b"receipt 1"), i, cp.size, &proof, &cp.root)?;
//! # Ok(()) }
//! ```
//!
//! Errors: [`merkle::ProofError`], [`LedgerError`], [`NoteError`],
//! [`CheckpointError`], [`KeyError`] — one per operation family.

pub mod checkpoint;
pub mod keys;
pub mod merkle;
pub mod note;
mod store;

pub use checkpoint::{
    Checkpoint, CheckpointError, VerifiedCheckpoint, verify_checkpoint,
    verify_checkpoint_for_origin,
};
pub use ed25519_dalek;
pub use keys::{KeyError, KeyPair, Verifier};
pub use merkle::{Hash, ProofError};
pub use note::{Note, NoteError, NoteSignature, VerifiedNote, open_note, sign_note};
pub use store::{DEFAULT_LOCK_WAIT, LEDGER_FILE, Ledger, LedgerError, LedgerOptions, Synchronous};
