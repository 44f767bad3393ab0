//! The IO edge: appends receipts and certificates to the writ-ledger log
//! (one transaction per batch: group commit) and exports proof bundles.

use std::path::Path;

use serde_json::Value;
use writ_ledger::{Ledger, LedgerError, LedgerOptions};
use writ_proof::{CanonicalError, SignedReceipt, Statement, canonical_bytes_of, digest_json};

use crate::action::{Action, LifecycleError};
use crate::bundle::{BundleError, Exported, build_bundle};
use crate::certificate::Certificate;
use crate::keys::Signer;

/// Why recording failed.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("ledger: {0}")]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error("cannot canonicalise: {0}")]
    Canonical(#[from] CanonicalError),
    #[error(transparent)]
    Bundle(#[from] BundleError),
    #[error("leaf {index} is not a writ receipt or certificate: {reason}")]
    UnknownLeaf { index: u64, reason: String },
    #[error("no certificate for action `{0}` in the log")]
    UnknownAction(String),
}

/// A finished action: its signed certificate and receipts.
#[derive(Debug, Clone)]
pub struct CertifiedAction {
    pub certificate: Certificate,
    /// DSSE envelope of the in-toto statement.
    pub envelope: writ_proof::Envelope,
    pub receipts: Vec<SignedReceipt>,
    /// Leaf index of the certificate itself.
    pub certificate_leaf: u64,
}

/// The bytes a receipt is logged as: its RFC 8785 canonical JSON.
pub fn receipt_leaf(receipt: &SignedReceipt) -> Result<Vec<u8>, CanonicalError> {
    canonical_bytes_of(receipt)
}

/// The bytes a certificate is logged as: the canonical JSON of its DSSE envelope.
pub fn certificate_leaf(envelope: &writ_proof::Envelope) -> Result<Vec<u8>, CanonicalError> {
    canonical_bytes_of(envelope)
}

/// Signs a certificate as an in-toto statement in a DSSE envelope.
pub fn sign_certificate(
    certificate: &Certificate,
    signer: &Signer,
) -> Result<writ_proof::Envelope, LifecycleError> {
    let predicate = crate::action::to_value("certificate", certificate)?;
    let digest =
        certificate
            .digests
            .action
            .parse()
            .map_err(
                |e: writ_proof::DigestParseError| LifecycleError::Serialize {
                    what: "action digest",
                    reason: e.to_string(),
                },
            )?;
    let statement =
        Statement::action_certificate(certificate.action_id.clone(), &digest, predicate);
    Ok(statement.sign(signer.keyid(), signer.signing_key())?)
}

/// The log, its signer and origin.
pub struct Recorder {
    ledger: Ledger,
    signer: Signer,
    origin: String,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("origin", &self.origin)
            .field("size", &self.ledger.size())
            .finish()
    }
}

impl Recorder {
    /// Opens the log at `path` (durable: `synchronous=FULL`). The origin is the signer's key name.
    pub fn open(path: impl AsRef<Path>, signer: Signer) -> Result<Recorder, RecordError> {
        Recorder::open_with(path, signer, LedgerOptions::default())
    }

    pub fn open_with(
        path: impl AsRef<Path>,
        signer: Signer,
        options: LedgerOptions,
    ) -> Result<Recorder, RecordError> {
        let ledger = Ledger::open_with(path, options)?;
        let origin = signer.pair().name().to_owned();
        Ok(Recorder {
            ledger,
            signer,
            origin,
        })
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Appends every receipt not yet logged of `actions` in one transaction.
    pub fn log(&mut self, actions: &mut [&mut Action]) -> Result<(), RecordError> {
        let mut items = Vec::new();
        let mut places = Vec::new();
        for (a, action) in actions.iter().enumerate() {
            for (position, receipt) in action.unlogged() {
                items.push(receipt_leaf(receipt)?);
                places.push((a, position));
            }
        }
        if items.is_empty() {
            return Ok(());
        }
        let range = self.ledger.append_batch(&items)?;
        for ((a, position), leaf) in places.into_iter().zip(range) {
            if let Some(action) = actions.get_mut(a) {
                action.set_leaf(position, leaf);
            }
        }
        Ok(())
    }

    /// Logs pending receipts, then builds, signs and logs the certificates
    /// of `actions` (which must all have an outcome): two transactions for
    /// the whole batch.
    pub fn certify(
        &mut self,
        actions: &mut [&mut Action],
    ) -> Result<Vec<CertifiedAction>, RecordError> {
        self.log(actions)?;
        let mut out = Vec::with_capacity(actions.len());
        let mut items = Vec::with_capacity(actions.len());
        for action in actions.iter() {
            let certificate = action.certificate(&self.origin)?;
            let envelope = sign_certificate(&certificate, &self.signer)?;
            items.push(certificate_leaf(&envelope)?);
            out.push(CertifiedAction {
                certificate,
                envelope,
                receipts: action.receipts().to_vec(),
                certificate_leaf: 0,
            });
        }
        let range = self.ledger.append_batch(&items)?;
        for (c, leaf) in out.iter_mut().zip(range) {
            c.certificate_leaf = leaf;
        }
        Ok(out)
    }

    /// A proof bundle for `actions`, against a fresh signed checkpoint.
    pub fn bundle(&self, actions: &[CertifiedAction]) -> Result<Value, RecordError> {
        Ok(build_bundle(&self.ledger, &self.signer, actions)?)
    }

    /// Every certified action in the log, read back from the leaves.
    pub fn certified_actions(&self) -> Result<Vec<CertifiedAction>, RecordError> {
        certified_actions(&self.ledger)
    }
}

/// Reads every certified action back from a log.
pub fn certified_actions(ledger: &Ledger) -> Result<Vec<CertifiedAction>, RecordError> {
    let mut out = Vec::new();
    for index in 0..ledger.size() {
        let data = ledger.leaf(index)?;
        let value: Value = serde_json::from_slice(&data).map_err(|e| RecordError::UnknownLeaf {
            index,
            reason: e.to_string(),
        })?;
        if value.get("payloadType").is_none() {
            continue;
        }
        let envelope =
            writ_proof::Envelope::from_json(&data).map_err(|e| RecordError::UnknownLeaf {
                index,
                reason: e.to_string(),
            })?;
        let payload = envelope
            .payload_bytes()
            .map_err(|e| RecordError::UnknownLeaf {
                index,
                reason: e.to_string(),
            })?;
        let statement: Statement =
            serde_json::from_slice(&payload).map_err(|e| RecordError::UnknownLeaf {
                index,
                reason: e.to_string(),
            })?;
        let certificate: Certificate =
            serde_json::from_value(statement.predicate).map_err(|e| RecordError::UnknownLeaf {
                index,
                reason: e.to_string(),
            })?;
        let mut receipts = Vec::with_capacity(certificate.receipts.len());
        for r in &certificate.receipts {
            let bytes = ledger.leaf(r.leaf_index)?;
            let receipt =
                SignedReceipt::from_json(&bytes).map_err(|e| RecordError::UnknownLeaf {
                    index: r.leaf_index,
                    reason: e.to_string(),
                })?;
            receipts.push(receipt);
        }
        out.push(CertifiedAction {
            certificate,
            envelope,
            receipts,
            certificate_leaf: index,
        });
    }
    Ok(out)
}

/// Writes one bundle per action and one per session into `out_dir`.
pub fn export_bundles(
    ledger: &Ledger,
    signer: &Signer,
    actions: &[CertifiedAction],
    out_dir: &Path,
) -> Result<Vec<Exported>, RecordError> {
    crate::bundle::export(ledger, signer, actions, out_dir).map_err(RecordError::from)
}

/// Digest of a JSON value (re-exported for callers building manifests).
pub fn json_digest(value: &Value) -> Result<String, CanonicalError> {
    Ok(digest_json(value)?.to_string())
}
