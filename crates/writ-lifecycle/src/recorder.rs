//! The IO edge: appends receipts and certificates to the writ-ledger log
//! (one transaction per batch: group commit) and exports proof bundles.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use writ_ledger::{Ledger, LedgerError, LedgerOptions};
use writ_proof::{
    ACTION_CERTIFICATE_PREDICATE_TYPE, CanonicalError, Envelope, IN_TOTO_PAYLOAD_TYPE,
    LoggedReceipt, STATEMENT_TYPE_V1, SignedReceipt, Statement,
};

use crate::action::{Action, LifecycleError, kind};
use crate::bundle::{BundleError, Exported, build_bundle};
use crate::certificate::Certificate;
use crate::inputs::{InputBody, LoggedInput, input_body};
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
    #[error(
        "certificate at leaf {index} references {role} `{digest}`, which is not in the log before it"
    )]
    MissingInput {
        index: u64,
        role: &'static str,
        digest: String,
    },
    #[error(
        "the batch reserved leaves {start}.. but the log has {size}: another writer appended first; nothing of the batch was logged"
    )]
    LogMoved { start: u64, size: u64 },
    #[error(
        "the batch reserved leaves {start}.. but an earlier batch failed or was abandoned, so those leaves are no longer its; nothing of the batch was logged"
    )]
    ReservationLost { start: u64 },
    #[error(
        "the batch reserved leaves {start}.. but the log ends at {size}: batches are appended in the order they reserved; nothing of the batch was logged"
    )]
    OutOfTurn { start: u64, size: u64 },
    #[error(
        "the batch reserved leaves {start}.. was committed without certificates signed for the actions it reserved; nothing of the batch was logged"
    )]
    Unsigned { start: u64 },
    #[error("a thread failed while holding the recorder")]
    Poisoned,
}

/// A finished action: its signed certificate and its receipts.
#[derive(Debug, Clone)]
pub struct CertifiedAction {
    pub certificate: Certificate,
    /// DSSE envelope of the in-toto statement.
    pub envelope: writ_proof::Envelope,
    pub receipts: Vec<LoggedReceipt>,
    /// Leaf index of the certificate itself.
    pub certificate_leaf: u64,
    /// The logged deployment and policy the certificate references, in that order.
    pub inputs: [Arc<LoggedInput>; 2],
}

/// The bytes a receipt is logged as: its RFC 8785 canonical JSON.
pub fn receipt_leaf(receipt: &LoggedReceipt) -> Result<Vec<u8>, CanonicalError> {
    crate::jcs::logged_leaf(receipt)
}

/// The bytes a certificate is logged as: the canonical JSON of its DSSE envelope.
pub fn certificate_leaf(envelope: &writ_proof::Envelope) -> Result<Vec<u8>, CanonicalError> {
    Ok(crate::jcs::envelope_leaf(envelope))
}

/// Canonical JSON already written for parts of a certificate: its
/// decision detail and its envelope (`None`: written from the certificate).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fragments<'a> {
    pub detail: Option<&'a [u8]>,
    pub envelope: Option<&'a [u8]>,
}

/// Signs a certificate as an in-toto statement in a DSSE envelope.
pub fn sign_certificate(
    certificate: &Certificate,
    signer: &Signer,
) -> Result<writ_proof::Envelope, LifecycleError> {
    sign_certificate_with(certificate, Fragments::default(), signer)
}

/// [`sign_certificate`] reusing `parts`, which must be the canonical JSON
/// of the certificate's detail and envelope.
pub(crate) fn sign_certificate_with(
    certificate: &Certificate,
    parts: Fragments<'_>,
    signer: &Signer,
) -> Result<writ_proof::Envelope, LifecycleError> {
    let payload = statement_bytes(certificate, parts)?;
    // What `Envelope::sign` builds, signed with the signer's expanded key.
    let signature = signer.sign(&writ_proof::pae(IN_TOTO_PAYLOAD_TYPE, &payload));
    let b64 = &base64::engine::general_purpose::STANDARD;
    Ok(Envelope {
        payload: base64::Engine::encode(b64, &payload),
        payload_type: IN_TOTO_PAYLOAD_TYPE.to_owned(),
        signatures: vec![writ_proof::EnvelopeSignature {
            keyid: Some(signer.keyid().to_owned()),
            sig: base64::Engine::encode(b64, signature.to_bytes()),
        }],
    })
}

/// The canonical JSON of `Statement::action_certificate(..)` for
/// `certificate`, written member by member in RFC 8785 order without
/// building the statement as a JSON tree.
fn statement_bytes(
    certificate: &Certificate,
    parts: Fragments<'_>,
) -> Result<Vec<u8>, LifecycleError> {
    let digest: writ_proof::Digest =
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
    let mut out = Vec::with_capacity(
        parts.detail.map_or(0, <[u8]>::len) + parts.envelope.map_or(0, <[u8]>::len) + 4096,
    );
    if write_statement(certificate, &digest, parts, &mut out)? {
        return Ok(out);
    }
    // A number RFC 8785 needs the general writer for: the slow path.
    let predicate = crate::action::to_value("certificate", certificate)?;
    let statement = serde_json::json!({
        "_type": STATEMENT_TYPE_V1,
        "subject": [{"name": certificate.action_id, "digest": {"sha256": digest.hex()}}],
        "predicateType": ACTION_CERTIFICATE_PREDICATE_TYPE,
        "predicate": predicate,
    });
    Ok(writ_proof::canonical_bytes(&statement)?)
}

/// Writes the statement; false if some number needs the general writer.
fn write_statement(
    c: &Certificate,
    digest: &writ_proof::Digest,
    parts: Fragments<'_>,
    out: &mut Vec<u8>,
) -> Result<bool, LifecycleError> {
    use writ_proof::{write_canonical as value, write_canonical_str as string};
    let part = |what: &'static str, v: &dyn erased::Ser, out: &mut Vec<u8>| v.write(what, out);
    let fragment = |bytes: Option<&[u8]>, v: &Value, out: &mut Vec<u8>| match bytes {
        Some(b) => {
            out.extend_from_slice(b);
            true
        }
        None => value(v, out),
    };
    out.extend_from_slice(b"{\"_type\":");
    string(STATEMENT_TYPE_V1, out);
    // Certificate members in RFC 8785 (code unit) order.
    out.extend_from_slice(b",\"predicate\":{\"action_id\":");
    string(&c.action_id, out);
    out.extend_from_slice(b",\"approvals\":");
    let mut ok = part("approvals", &c.approvals, out)?;
    out.extend_from_slice(b",\"assumptions\":");
    ok &= part("assumptions", &c.assumptions, out)?;
    out.extend_from_slice(b",\"decision\":{\"detail\":");
    ok &= fragment(parts.detail, &c.decision.detail, out);
    out.extend_from_slice(b",\"reasons\":");
    ok &= part("reasons", &c.decision.reasons, out)?;
    out.extend_from_slice(b",\"receipt\":");
    string(&c.decision.receipt, out);
    out.extend_from_slice(b",\"route\":");
    string(&c.decision.route, out);
    out.extend_from_slice(b"},\"digests\":");
    ok &= part("digests", &c.digests, out)?;
    let i = &c.inputs;
    out.extend_from_slice(b",\"inputs\":{\"agent\":");
    string(&i.agent, out);
    out.extend_from_slice(b",\"approvals\":");
    ok &= part("approvals", &i.approvals, out)?;
    out.extend_from_slice(b",\"deployment\":");
    string(&i.deployment, out);
    out.extend_from_slice(b",\"envelope\":");
    ok &= fragment(parts.envelope, &i.envelope, out);
    out.extend_from_slice(b",\"now\":");
    string(&i.now, out);
    out.extend_from_slice(b",\"policy\":");
    string(&i.policy, out);
    out.extend_from_slice(b",\"session\":");
    ok &= value(&i.session, out);
    out.extend_from_slice(b",\"user\":");
    ok &= part("user", &i.user, out)?;
    out.extend_from_slice(b"},\"join\":");
    ok &= part("join", &c.join, out)?;
    out.extend_from_slice(b",\"log_origin\":");
    string(&c.log_origin, out);
    out.extend_from_slice(b",\"outcome\":");
    ok &= part("outcome", &c.outcome, out)?;
    out.extend_from_slice(b",\"principal\":");
    ok &= part("principal", &c.principal, out)?;
    out.extend_from_slice(b",\"receipts\":");
    ok &= part("receipts", &c.receipts, out)?;
    if let Some(release) = &c.release {
        out.extend_from_slice(b",\"release\":");
        ok &= part("release", release, out)?;
    }
    out.extend_from_slice(b",\"version\":");
    out.extend_from_slice(c.version.to_string().as_bytes());
    out.extend_from_slice(b"},\"predicateType\":");
    string(ACTION_CERTIFICATE_PREDICATE_TYPE, out);
    out.extend_from_slice(b",\"subject\":[{\"digest\":{\"sha256\":");
    string(&digest.hex(), out);
    out.extend_from_slice(b"},\"name\":");
    string(&c.action_id, out);
    out.extend_from_slice(b"}]}");
    Ok(ok)
}

/// Serialisable parts of a certificate, behind one object-safe trait.
mod erased {
    use serde::Serialize;

    use crate::action::LifecycleError;

    pub(super) trait Ser {
        /// Appends the canonical JSON; false if a number needs the general writer.
        fn write(&self, what: &'static str, out: &mut Vec<u8>) -> Result<bool, LifecycleError>;
    }

    impl<T: Serialize> Ser for T {
        fn write(&self, what: &'static str, out: &mut Vec<u8>) -> Result<bool, LifecycleError> {
            let value = crate::action::to_value(what, self)?;
            Ok(writ_proof::write_canonical(&value, out))
        }
    }
}

/// [`sign_certificate`] through `writ_proof::Statement::sign` (for tests: the bytes must agree).
#[doc(hidden)]
pub fn sign_certificate_slow(
    certificate: &Certificate,
    signer: &Signer,
) -> Result<writ_proof::Envelope, LifecycleError> {
    let predicate = crate::action::to_value("certificate", certificate)?;
    let digest: writ_proof::Digest =
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

/// A replay input signed for the log: `(role, digest, receipt)`.
type NewInput = (&'static str, String, SignedReceipt);

/// Batches smaller than this are signed on the caller's thread: handing a
/// few signatures to the pool and back would cost more than it saves.
const PARALLEL_FROM: usize = 32;

/// Builds and signs the certificates of `actions`, with their log leaves,
/// in order; a large batch on rayon's pool of one thread per core (kept
/// between batches, so a batch spawns no thread and touches no fresh
/// memory).
#[allow(clippy::type_complexity)]
fn sign_certificates(
    origin: &str,
    signer: &Signer,
    actions: &[&mut Action],
    parallel: bool,
) -> Result<Vec<(Certificate, writ_proof::Envelope, Vec<u8>)>, RecordError> {
    use rayon::prelude::*;
    let sign = |action: &&mut Action| {
        let certificate = action.certificate(origin)?;
        let envelope = sign_certificate_with(&certificate, action.canonical_parts(), signer)?;
        let leaf = certificate_leaf(&envelope)?;
        Ok((certificate, envelope, leaf))
    };
    if !parallel || actions.len() < PARALLEL_FROM {
        return actions.iter().map(sign).collect();
    }
    actions.par_iter().with_min_len(16).map(sign).collect()
}

/// The log, its signer and origin.
pub struct Recorder {
    ledger: Ledger,
    signer: Signer,
    origin: String,
    /// Replay inputs this recorder logged (or reserved leaves for), by digest.
    inputs: HashMap<String, Arc<LoggedInput>>,
    /// Reserved batches: the leaf after the last, how many are not yet
    /// committed, and their generation (bumped when they are all dropped).
    reserved_end: u64,
    outstanding: usize,
    generation: u64,
}

/// Leaves reserved in the log for a batch of finished actions, before
/// their certificates are signed: [`Recorder::reserve`], then
/// [`Reservation::sign`] (no access to the recorder needed, so callers can
/// sign outside their lock), then [`Recorder::commit`], in the order the
/// batches reserved.
#[must_use = "a reservation must be committed or abandoned, or later batches wait for it"]
pub struct Reservation {
    generation: u64,
    /// The batch's first leaf.
    start: u64,
    /// Leaves of the new replay inputs, then of the actions' receipts.
    items: Vec<Vec<u8>>,
    /// Each receipt leaf's `(action, position)`.
    places: Vec<(usize, usize)>,
    /// One per action.
    certificates: usize,
    origin: String,
    signer: Signer,
    /// Whether [`Reservation::sign`] may use rayon's pool.
    parallel: bool,
    /// The signed certificates with their leaves, once [`Reservation::sign`] ran.
    signed: Option<Vec<(Certificate, writ_proof::Envelope, Vec<u8>)>>,
}

impl std::fmt::Debug for Reservation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reservation")
            .field("start", &self.start)
            .field("leaves", &self.leaves())
            .field("signed", &self.signed.is_some())
            .finish()
    }
}

impl Reservation {
    /// Signs on the calling thread only (its callers are the parallelism).
    pub fn on_this_thread(mut self) -> Reservation {
        self.parallel = false;
        self
    }

    /// The batch's first leaf.
    pub fn start(&self) -> u64 {
        self.start
    }

    /// How many leaves the batch appends: inputs, receipts and one certificate per action.
    pub fn leaves(&self) -> u64 {
        (self.items.len() + self.certificates) as u64
    }

    /// Builds and signs the certificates of `actions` (the slice given to
    /// [`Recorder::reserve`]): on every core for a large batch, unless
    /// [`Reservation::on_this_thread`].
    pub fn sign(&mut self, actions: &[&mut Action]) -> Result<(), RecordError> {
        self.signed = Some(sign_certificates(
            &self.origin,
            &self.signer,
            actions,
            self.parallel,
        )?);
        Ok(())
    }
}

/// A committed batch's signed certificates, each with its leaf and inputs.
type Committed = Vec<(
    Certificate,
    writ_proof::Envelope,
    u64,
    [Arc<LoggedInput>; 2],
)>;

/// The certified actions of a committed batch (their receipts copied from `actions`).
pub(crate) fn certified(actions: &[&mut Action], committed: Committed) -> Vec<CertifiedAction> {
    actions
        .iter()
        .zip(committed)
        .map(
            |(action, (certificate, envelope, certificate_leaf, inputs))| CertifiedAction {
                certificate,
                envelope,
                receipts: action.receipts().to_vec(),
                certificate_leaf,
                inputs,
            },
        )
        .collect()
}

fn clear_leaves(actions: &mut [&mut Action], places: &[(usize, usize)]) {
    for &(a, position) in places {
        if let Some(action) = actions.get_mut(a) {
            action.clear_leaf(position);
        }
    }
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
            reserved_end: ledger.size(),
            ledger,
            signer,
            origin,
            inputs: HashMap::new(),
            outstanding: 0,
            generation: 0,
        })
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The log, to open, commit or roll back a batch of appends.
    pub fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The leaves of every replay input this recorder has not logged yet
    /// (signed now), then of every receipt not yet logged of `actions`,
    /// with the new inputs and the receipts' places `(action, position)`.
    #[allow(clippy::type_complexity)]
    fn pending(
        &self,
        actions: &mut [&mut Action],
    ) -> Result<(Vec<Vec<u8>>, Vec<NewInput>, Vec<(usize, usize)>), RecordError> {
        let mut items = Vec::new();
        let mut new_inputs: Vec<NewInput> = Vec::new();
        for action in actions.iter() {
            for (role, digest, value) in action.shared_inputs().each() {
                if self.inputs.contains_key(digest) || new_inputs.iter().any(|n| n.1 == digest) {
                    continue;
                }
                let (receipt, leaf) = crate::jcs::sign_receipt_with(
                    kind::REPLAY_INPUT,
                    input_body(role, digest, value),
                    self.signer.keyid(),
                    |m| self.signer.sign(m),
                )
                .map_err(LifecycleError::from)?;
                items.push(leaf);
                new_inputs.push((role, digest.to_owned(), receipt));
            }
        }
        let mut places = Vec::new();
        for (a, action) in actions.iter_mut().enumerate() {
            let unlogged: Vec<usize> = action.unlogged().map(|(p, _)| p).collect();
            for position in unlogged {
                items.push(action.take_leaf_bytes(position)?);
                places.push((a, position));
            }
        }
        Ok((items, new_inputs, places))
    }

    /// Records the replay inputs logged from leaf `first` on.
    fn logged_inputs(&mut self, new_inputs: Vec<NewInput>, first: u64) {
        for ((role, digest, receipt), leaf_index) in new_inputs.into_iter().zip(first..) {
            let logged = LoggedInput {
                role: role.to_owned(),
                digest: digest.clone(),
                receipt,
                leaf_index,
            };
            self.inputs.insert(digest, Arc::new(logged));
        }
    }

    /// Appends every receipt not yet logged of `actions` in one
    /// transaction, preceded by any replay input (deployment, policy) this
    /// recorder has not logged yet.
    pub fn log(&mut self, actions: &mut [&mut Action]) -> Result<(), RecordError> {
        self.drop_reservations();
        let (items, new_inputs, places) = self.pending(actions)?;
        if items.is_empty() {
            return Ok(());
        }
        let range = self.ledger.append_batch(&items)?;
        let first = range.end - places.len() as u64;
        self.logged_inputs(new_inputs, range.start);
        for ((a, position), leaf) in places.into_iter().zip(first..) {
            if let Some(action) = actions.get_mut(a) {
                action.set_leaf(position, leaf);
            }
        }
        Ok(())
    }

    fn logged_input(
        &self,
        digest: &str,
        role: &'static str,
    ) -> Result<Arc<LoggedInput>, RecordError> {
        self.inputs
            .get(digest)
            .cloned()
            .ok_or_else(|| RecordError::MissingInput {
                index: self.ledger.size(),
                role,
                digest: digest.to_owned(),
            })
    }

    /// Logs pending receipts and the signed certificates of `actions`
    /// (which must all have an outcome) in one transaction for the whole
    /// batch: the receipts' leaf indices are known under the log's write
    /// lock, so the certificates are signed there (on every core) and
    /// appended after them. On failure nothing is logged.
    pub fn certify(
        &mut self,
        actions: &mut [&mut Action],
    ) -> Result<Vec<CertifiedAction>, RecordError> {
        self.drop_reservations();
        let (mut items, new_inputs, places) = self.pending(actions)?;
        let receipts_from = new_inputs.len() as u64;
        let (origin, signer) = (self.origin.as_str(), &self.signer);
        let mut signed = Vec::new();
        let appended = self.ledger.append_batch_with(|start| {
            for (&(a, position), leaf) in places.iter().zip(start + receipts_from..) {
                if let Some(action) = actions.get_mut(a) {
                    action.set_leaf(position, leaf);
                }
            }
            signed = sign_certificates(origin, signer, actions, true)?;
            items.extend(signed.iter_mut().map(|(_, _, leaf)| std::mem::take(leaf)));
            Ok::<_, RecordError>(items)
        });
        let range = match appended {
            Ok(range) => range,
            Err(e) => {
                clear_leaves(actions, &places);
                return Err(e);
            }
        };
        self.logged_inputs(new_inputs, range.start);
        let first_certificate = range.end - signed.len() as u64;
        let committed = self.committed(signed, first_certificate)?;
        Ok(certified(actions, committed))
    }

    /// Each signed certificate with its leaf (from `first` on) and the logged inputs it references.
    fn committed(
        &self,
        signed: Vec<(Certificate, writ_proof::Envelope, Vec<u8>)>,
        first: u64,
    ) -> Result<Committed, RecordError> {
        let mut out = Vec::with_capacity(signed.len());
        for ((certificate, envelope, _), leaf) in signed.into_iter().zip(first..) {
            let inputs = [
                self.logged_input(
                    &certificate.inputs.deployment,
                    crate::inputs::role::DEPLOYMENT,
                )?,
                self.logged_input(&certificate.inputs.policy, crate::inputs::role::POLICY)?,
            ];
            out.push((certificate, envelope, leaf, inputs));
        }
        Ok(out)
    }

    /// Reserves the next leaves of the log for `actions` (which must all
    /// have an outcome): their unlogged receipts get their leaf indices
    /// now, after any replay input not yet logged, and one leaf per
    /// certificate follows. Cheap: nothing is signed but a new replay
    /// input, nothing is written. The batch is then signed
    /// ([`Reservation::sign`]) and committed ([`Recorder::commit`]) in the
    /// order batches reserved; see [`crate::ConcurrentRecorder`].
    pub fn reserve(&mut self, actions: &mut [&mut Action]) -> Result<Reservation, RecordError> {
        let (items, new_inputs, places) = self.pending(actions)?;
        if self.outstanding == 0 {
            self.reserved_end = self.ledger.size();
        }
        let start = self.reserved_end;
        let receipts_from = start + new_inputs.len() as u64;
        self.logged_inputs(new_inputs, start);
        for (&(a, position), leaf) in places.iter().zip(receipts_from..) {
            if let Some(action) = actions.get_mut(a) {
                action.set_leaf(position, leaf);
            }
        }
        self.reserved_end = start + (items.len() + actions.len()) as u64;
        self.outstanding += 1;
        Ok(Reservation {
            generation: self.generation,
            start,
            items,
            places,
            certificates: actions.len(),
            origin: self.origin.clone(),
            signer: self.signer.clone(),
            parallel: true,
            signed: None,
        })
    }

    /// Whether `reservation` is the next batch to commit (false: an
    /// earlier one is still to commit); an error if it was lost.
    pub fn is_next(&self, reservation: &Reservation) -> Result<bool, RecordError> {
        if reservation.generation != self.generation {
            return Err(RecordError::ReservationLost {
                start: reservation.start,
            });
        }
        Ok(reservation.start == self.ledger.size())
    }

    /// Appends a signed batch in one transaction: its replay inputs and
    /// receipts, then its certificates. Only the next batch in reservation
    /// order commits; on any failure nothing of it is logged and every
    /// reservation still outstanding is dropped (their leaves would no
    /// longer follow on), so those batches fail too and must reserve
    /// again.
    pub fn commit(
        &mut self,
        reservation: Reservation,
        actions: &mut [&mut Action],
    ) -> Result<Vec<CertifiedAction>, RecordError> {
        let committed = self.commit_reserved(reservation, actions)?;
        Ok(certified(actions, committed))
    }

    /// [`Recorder::commit`] without copying the receipts into the result
    /// (so a caller holding a lock can do that after releasing it).
    pub(crate) fn commit_reserved(
        &mut self,
        reservation: Reservation,
        actions: &mut [&mut Action],
    ) -> Result<Committed, RecordError> {
        let Reservation {
            generation,
            start,
            mut items,
            places,
            signed,
            certificates: reserved_certificates,
            ..
        } = reservation;
        if generation != self.generation {
            clear_leaves(actions, &places);
            return Err(RecordError::ReservationLost { start });
        }
        let size = self.ledger.size();
        let signed_for_all = signed
            .as_ref()
            .is_some_and(|s| s.len() == reserved_certificates);
        let failure = if !signed_for_all {
            Some(RecordError::Unsigned { start })
        } else if start != size {
            Some(RecordError::OutOfTurn { start, size })
        } else {
            None
        };
        if let Some(e) = failure {
            clear_leaves(actions, &places);
            self.drop_reservations();
            return Err(e);
        }
        let mut signed = signed.unwrap_or_default();
        let certificates = signed.len() as u64;
        items.extend(signed.iter_mut().map(|(_, _, leaf)| std::mem::take(leaf)));
        let appended = self.ledger.append_batch_with(|size| {
            if size == start {
                Ok(items)
            } else {
                Err(RecordError::LogMoved { start, size })
            }
        });
        let range = match appended {
            Ok(range) => range,
            Err(e) => {
                clear_leaves(actions, &places);
                self.drop_reservations();
                return Err(e);
            }
        };
        self.outstanding = self.outstanding.saturating_sub(1);
        self.committed(signed, range.end - certificates)
    }

    /// Gives up `reservation` (its signing failed, say): its receipts
    /// lose their leaves, and since later batches' leaves would no longer
    /// follow on, every reservation still outstanding is dropped too.
    pub fn abandon(&mut self, reservation: Reservation, actions: &mut [&mut Action]) {
        clear_leaves(actions, &reservation.places);
        if reservation.generation == self.generation {
            self.drop_reservations();
        }
    }

    /// Drops every outstanding reservation: they can no longer commit, and
    /// the replay inputs they reserved leaves for count as unlogged again.
    fn drop_reservations(&mut self) {
        if self.outstanding == 0 {
            return;
        }
        let size = self.ledger.size();
        self.inputs.retain(|_, input| input.leaf_index < size);
        self.outstanding = 0;
        self.reserved_end = size;
        self.generation += 1;
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
    let mut inputs: HashMap<String, Arc<LoggedInput>> = HashMap::new();
    for index in 0..ledger.size() {
        let data = ledger.leaf(index)?;
        let value: Value = serde_json::from_slice(&data).map_err(|e| RecordError::UnknownLeaf {
            index,
            reason: e.to_string(),
        })?;
        if value.get("payloadType").is_none() {
            if value.pointer("/receipt/kind").and_then(Value::as_str) == Some(kind::REPLAY_INPUT) {
                let unknown = |reason: String| RecordError::UnknownLeaf { index, reason };
                let receipt: SignedReceipt =
                    serde_json::from_value(value).map_err(|e| unknown(e.to_string()))?;
                let body: InputBody = serde_json::from_value(receipt.receipt.body.clone())
                    .map_err(|e| unknown(e.to_string()))?;
                inputs.entry(body.digest.clone()).or_insert_with(|| {
                    Arc::new(LoggedInput {
                        role: body.role,
                        digest: body.digest,
                        receipt,
                        leaf_index: index,
                    })
                });
            }
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
            let receipt: LoggedReceipt =
                serde_json::from_slice(&bytes).map_err(|e| RecordError::UnknownLeaf {
                    index: r.leaf_index,
                    reason: e.to_string(),
                })?;
            receipts.push(receipt);
        }
        let input = |digest: &str, role: &'static str| {
            inputs
                .get(digest)
                .cloned()
                .ok_or_else(|| RecordError::MissingInput {
                    index,
                    role,
                    digest: digest.to_owned(),
                })
        };
        let inputs = [
            input(
                &certificate.inputs.deployment,
                crate::inputs::role::DEPLOYMENT,
            )?,
            input(&certificate.inputs.policy, crate::inputs::role::POLICY)?,
        ];
        out.push(CertifiedAction {
            certificate,
            envelope,
            receipts,
            certificate_leaf: index,
            inputs,
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
    Ok(writ_proof::digest_json(value)?.to_string())
}
