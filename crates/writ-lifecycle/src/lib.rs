//! # writ-lifecycle: proof-carrying actions
//!
//! Every agent action passes five checkpoints, checked as a state machine
//! ([`Action`]): **guard** (the engine decides and the decision is
//! recorded), **open** (a stable action id), **assumptions** (anything the
//! action relies on), **approval** (request, grant, deny; grants are
//! approver-signed receipts bound to the action digest) and **outcome**
//! (result, evidence and a [`reconcile`]d comparison of expected with
//! observed effects). A released action gets a writ-proof release token a
//! gateway checks with `verify_release` and a [`SqliteNonceStore`].
//!
//! Every step yields a receipt, unsigned but for approval grants and
//! denials: the log's signed checkpoint and the certificate, which lists
//! each receipt's digest and leaf index, authenticate the others. The
//! [`Recorder`] appends them, with group commit, to the writ-ledger Merkle
//! log, then signs an
//! [`Certificate`] (an in-toto statement in a DSSE envelope) binding all of
//! it, including the inputs needed to replay the decision. [`verify_bundle`]
//! checks a proof bundle offline and replays every decision.
//!
//! IO happens only in [`Recorder`], [`SqliteNonceStore`], [`Signer::load`] /
//! [`Signer::save`] and [`bundle::export`]; the rest takes time, nonces and
//! approvals as values.

pub mod action;
/// Arbitrary JSON values for property tests, shared with `writ-proof`.
#[cfg(test)]
#[path = "../../writ-proof/src/arb_json.rs"]
mod arb_json;
pub mod bundle;
pub mod certificate;
pub mod concurrent;
pub mod inputs;
pub mod jcs;
pub mod keys;
pub mod nonce;
pub mod reconcile;
pub mod recorder;
pub mod strict;

pub use action::{
    Action, ApprovalError, Closure, Context, GrantBody, LifecycleError, Outcome, Released, State,
    action_digest, sign_release,
};
pub use bundle::{
    Bundle, BundleError, Exported, VerifyError, VerifyReport, build_bundle, export, verify_bundle,
};
pub use certificate::{Certificate, JoinKey, schema_json};
pub use concurrent::ConcurrentRecorder;
pub use inputs::{InputBody, LoggedInput, SharedInputs};
pub use keys::{KeysError, Signer, proof_keys};
pub use nonce::SqliteNonceStore;
pub use reconcile::{Check, reconcile};
/// The release-token nonce type, re-exported for callers without a writ-proof dependency.
pub mod release_nonce {
    pub use writ_proof::Nonce;
}
pub use recorder::{
    CertifiedAction, RecordError, Recorder, Reservation, certified_actions, sign_certificate,
};
