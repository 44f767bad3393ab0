//! Proof bundles and their offline verification.
//!
//! A bundle is one JSON object `{"summary", "evidence", "verification",
//! "manifest"}`. `evidence` holds, per action, the DSSE envelope of the
//! signed certificate, every receipt (unsigned but for approval grants and
//! denials, which carry their approver's signature), an RFC 9162 inclusion proof for each
//! receipt and for the certificate (the certificate's proof last), and one
//! C2SP signed checkpoint for the whole bundle. The deployment and policy
//! the certificates reference by digest are in `evidence.inputs`, once each,
//! keyed by that digest, as signed `replay_input` receipts with their own
//! inclusion proofs. `manifest` lists the
//! `sha256:` JCS digest of every component. [`verify_bundle`] checks all of
//! it with nothing but the trusted public keys, and replays every decision.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use writ_core::{
    Approval, Deployment, Engine, Envelope, Facts, GuardInput, PolicyPack, SessionState,
};
use writ_ledger::{Checkpoint, Ledger, LedgerError, Verifier, merkle, verify_checkpoint};
use writ_proof::{LoggedReceipt, SignedReceipt};

use writ_proof::digest_json;

use crate::action::{
    GrantBody, action_digest, assumption_body, decision_body, kind, outcome_body, release_body,
    request_body,
};
use crate::certificate::{CERTIFICATE_VERSION, Certificate, PolicySource, Principal};
use crate::inputs::{InputBody, role};
use crate::keys::{Signer, proof_keys};
use crate::reconcile::{residue_of, status_of};
use crate::recorder::{CertifiedAction, certificate_leaf};
use crate::strict::StrictKey;

/// Format name in every bundle summary.
/// Version 3: only approval grants and denials carry a receipt signature.
pub const BUNDLE_FORMAT: &str = "writ-proof-bundle/v3";

/// The verification steps, as written into every bundle.
pub const VERIFICATION_STEPS: &[&str] = &[
    "verify the signed checkpoint against the trusted log key",
    "verify each shared replay input (deployment, policy): its receipt's signature, that its value digests to its key, and its merkle inclusion",
    "verify each certificate envelope (dsse, in-toto statement v1, action-certificate predicate)",
    "verify each receipt's digest and match it to the certificate's receipt list; approval grants and denials must carry a valid approver signature, every other receipt must be unsigned",
    "verify the merkle inclusion of every receipt and certificate against the checkpoint",
    "recompute the envelope, arguments and action digests and the receipt bodies",
    "check the lifecycle, approvals, release claims and reconciliation",
    "recompute the summary, the verification section and the manifest",
    "replay the decision from the recorded deployment, policy, session, approvals and time",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub summary: Summary,
    pub evidence: Evidence,
    pub verification: Verification,
    pub manifest: Manifest,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub format: String,
    pub log_origin: String,
    pub checkpoint_size: u64,
    pub actions: Vec<ActionSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSummary {
    pub action_id: String,
    pub session_id: Option<String>,
    pub tool_call_id: Option<String>,
    pub tool: String,
    pub route: String,
    pub reasons: Vec<String>,
    pub released: bool,
    pub closure: String,
    pub reconciliation: String,
    pub residue: Vec<String>,
    pub receipts: usize,
    /// What the runtime let writ do (`pre_execution_gate`, `observe_only`, ...), from the signed decision.
    #[serde(default)]
    pub enforceability: String,
    /// An observed action whose route was not `allow`: policy would have stopped it.
    #[serde(default)]
    pub violation: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The C2SP signed-note checkpoint text.
    pub checkpoint: String,
    /// The deployments and policies the certificates reference, by digest of their value.
    pub inputs: BTreeMap<String, InputEvidence>,
    pub actions: Vec<ActionEvidence>,
}

/// A shared replay input: its signed `replay_input` receipt and its inclusion proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputEvidence {
    pub receipt: SignedReceipt,
    pub proof: InclusionProof,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionEvidence {
    pub certificate: writ_proof::Envelope,
    /// Unsigned, except approval grants and denials.
    pub receipts: Vec<LoggedReceipt>,
    /// One proof per receipt, in order, then the certificate's.
    pub proofs: Vec<InclusionProof>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    pub leaf_index: u64,
    /// Lowercase hex of each proof hash.
    pub hashes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    pub steps: Vec<String>,
    /// Key ids of every signature in the bundle.
    pub key_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub algorithm: String,
    pub components: BTreeMap<String, String>,
}

/// Why a bundle could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("ledger: {0}")]
    Ledger(#[from] LedgerError),
    #[error("cannot canonicalise: {0}")]
    Canonical(#[from] writ_proof::CanonicalError),
    #[error("cannot sign checkpoint: {0}")]
    Checkpoint(#[from] writ_ledger::CheckpointError),
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot serialise bundle: {0}")]
    Json(String),
}

/// Why a bundle does not verify. Every variant has its own exit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("bundle is malformed: {0}")]
    Malformed(String),
    #[error("no trusted keys were given")]
    NoTrustedKeys,
    #[error("checkpoint does not verify: {0}")]
    CheckpointInvalid(String),
    #[error("log origin is `{found}`, expected `{expected}`")]
    OriginMismatch { expected: String, found: String },
    #[error("action {index}: certificate does not verify: {reason}")]
    CertificateInvalid { index: usize, reason: String },
    #[error(
        "action {index}: statement subject {found} does not match the certificate's action {expected}"
    )]
    SubjectMismatch {
        index: usize,
        expected: String,
        found: String,
    },
    #[error(
        "action {action}: receipt list differs from the certificate's at position {position}: {reason}"
    )]
    ReceiptSetMismatch {
        action: String,
        position: usize,
        reason: String,
    },
    #[error("action {action}: receipt {position} ({kind}) does not verify: {reason}")]
    ReceiptInvalid {
        action: String,
        position: usize,
        kind: String,
        reason: String,
    },
    #[error(
        "action {action}: receipt {position} ({kind}) says something other than the certificate: {reason}"
    )]
    ReceiptContentMismatch {
        action: String,
        position: usize,
        kind: String,
        reason: String,
    },
    #[error(
        "action {action}: proof {position} is for leaf {found}, the certificate says {expected}"
    )]
    LeafIndexMismatch {
        action: String,
        position: usize,
        expected: u64,
        found: u64,
    },
    #[error("replay input {digest}: {reason}")]
    InputInvalid { digest: String, reason: String },
    #[error("action {action}: leaf {leaf_index} is not in the log at the checkpoint: {reason}")]
    InclusionFailed {
        action: String,
        leaf_index: u64,
        reason: String,
    },
    #[error("action {action}: {what} digest is recorded as {recorded}, computed {computed}")]
    DigestMismatch {
        action: String,
        what: String,
        recorded: String,
        computed: String,
    },
    #[error("action {action}: illegal lifecycle: {reason}")]
    LifecycleViolation { action: String, reason: String },
    #[error("action {action}: approval invalid: {reason}")]
    ApprovalInvalid { action: String, reason: String },
    #[error("action {action}: release claims do not match the action: {reason}")]
    ReleaseMismatch { action: String, reason: String },
    #[error("action {action}: reconciliation is recorded as {recorded}, recomputed {computed}")]
    ReconciliationMismatch {
        action: String,
        recorded: String,
        computed: String,
    },
    #[error("action {action}: cannot replay: {reason}")]
    ReplayUnavailable { action: String, reason: String },
    #[error(
        "action {action}: recorded policy digest {recorded}, the recorded sources digest to {computed}"
    )]
    PolicyDigestMismatch {
        action: String,
        recorded: String,
        computed: String,
    },
    /// `recorded` and `replayed` read `route [reasons]`.
    #[error("action {action}: {which} decision replays to {replayed}, recorded {recorded}")]
    ReplayMismatch {
        action: String,
        which: String,
        recorded: String,
        replayed: String,
    },
    #[error("action {action}: replayed decision differs from the recorded one in `{field}`")]
    ReplayDetailMismatch { action: String, field: String },
    #[error("summary differs from the evidence at `{field}`")]
    SummaryMismatch { field: String },
    #[error("verification section differs from the evidence")]
    VerificationMismatch,
    #[error("manifest component `{component}` is recorded as {recorded}, computed {computed}")]
    ManifestMismatch {
        component: String,
        recorded: String,
        computed: String,
    },
}

impl VerifyError {
    /// The process exit code for this failure (0 is success, 1 and 2 are
    /// left to the CLI for I/O and usage errors).
    pub fn exit_code(&self) -> u8 {
        match self {
            VerifyError::Malformed(_) => 10,
            VerifyError::NoTrustedKeys => 11,
            VerifyError::CheckpointInvalid(_) => 20,
            VerifyError::OriginMismatch { .. } => 21,
            VerifyError::CertificateInvalid { .. } => 22,
            VerifyError::SubjectMismatch { .. } => 23,
            VerifyError::ReceiptSetMismatch { .. } => 24,
            VerifyError::ReceiptInvalid { .. } => 25,
            VerifyError::ReceiptContentMismatch { .. } => 26,
            VerifyError::InputInvalid { .. } => 27,
            VerifyError::LeafIndexMismatch { .. } => 30,
            VerifyError::InclusionFailed { .. } => 31,
            VerifyError::DigestMismatch { .. } => 40,
            VerifyError::LifecycleViolation { .. } => 41,
            VerifyError::ApprovalInvalid { .. } => 42,
            VerifyError::ReleaseMismatch { .. } => 43,
            VerifyError::ReconciliationMismatch { .. } => 44,
            VerifyError::ReplayUnavailable { .. } => 50,
            VerifyError::PolicyDigestMismatch { .. } => 51,
            VerifyError::ReplayMismatch { .. } => 52,
            VerifyError::ReplayDetailMismatch { .. } => 53,
            VerifyError::SummaryMismatch { .. } => 60,
            VerifyError::VerificationMismatch => 61,
            VerifyError::ManifestMismatch { .. } => 62,
        }
    }
}

/// What a verified bundle holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub log_origin: String,
    pub checkpoint_size: u64,
    pub actions: Vec<String>,
    /// Receipts verified (certificates included).
    pub receipts: usize,
    /// Decisions replayed (approved re-decisions included).
    pub replayed: usize,
}

fn hex_hashes(hashes: &[merkle::Hash]) -> Vec<String> {
    hashes.iter().map(hex::encode).collect()
}

fn summary_of(certificate: &Certificate) -> ActionSummary {
    let detail = &certificate.decision.detail;
    let tool = certificate
        .inputs
        .envelope
        .get("tool")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    ActionSummary {
        action_id: certificate.action_id.clone(),
        session_id: certificate.join.session_id.clone(),
        tool_call_id: certificate.join.tool_call_id.clone(),
        tool,
        route: certificate.decision.route.clone(),
        reasons: certificate.decision.reasons.clone(),
        released: certificate.release.is_some(),
        closure: certificate.outcome.closure.clone(),
        reconciliation: certificate.outcome.reconciliation.status.clone(),
        residue: certificate.outcome.reconciliation.residue.clone(),
        receipts: certificate.receipts.len(),
        enforceability: detail
            .get("enforceability")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        violation: detail.get("violation").and_then(Value::as_bool) == Some(true),
    }
}

/// Key ids of an action's certificate and receipt signatures.
fn action_keyids(a: &ActionEvidence) -> impl Iterator<Item = String> + '_ {
    a.certificate
        .signatures
        .iter()
        .filter_map(|s| s.keyid.clone())
        .chain(
            a.receipts
                .iter()
                .filter_map(|r| r.keyid().map(str::to_owned)),
        )
}

fn verification_of(evidence: &Evidence) -> Verification {
    let mut key_ids: Vec<String> = evidence
        .inputs
        .values()
        .map(|i| i.receipt.keyid.clone())
        .collect();
    for a in &evidence.actions {
        key_ids.extend(action_keyids(a));
    }
    key_ids.sort();
    key_ids.dedup();
    Verification {
        steps: VERIFICATION_STEPS.iter().map(|s| (*s).to_owned()).collect(),
        key_ids,
    }
}

fn digest_of<T: Serialize>(value: &T) -> Result<String, writ_proof::CanonicalError> {
    let value =
        serde_json::to_value(value).map_err(|e| writ_proof::CanonicalError::Serialization {
            reason: e.to_string(),
        })?;
    Ok(digest_json(&value)?.to_string())
}

/// The `sha256:` of canonical bytes.
fn digest_text(bytes: &[u8]) -> String {
    writ_proof::digest_bytes(bytes).to_string()
}

/// The manifest's digest algorithm.
const MANIFEST_ALGORITHM: &str = "sha256-jcs";

/// `sha256:` of the canonical JSON of an inclusion proof
/// (`{"hashes", "leaf_index"}`), written directly.
fn proof_digest(p: &InclusionProof) -> Result<String, writ_proof::CanonicalError> {
    if p.leaf_index > 1 << 53 {
        return digest_of(p);
    }
    let mut out = Vec::with_capacity(24 + p.hashes.len() * 67);
    out.extend_from_slice(b"{\"hashes\":[");
    for (i, h) in p.hashes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        writ_proof::write_canonical_str(h, &mut out);
    }
    out.extend_from_slice(b"],\"leaf_index\":");
    out.extend_from_slice(p.leaf_index.to_string().as_bytes());
    out.push(b'}');
    Ok(digest_text(&out))
}

/// Manifest components of everything but the actions.
fn manifest_head(
    summary: &Summary,
    evidence: &Evidence,
    verification: &Verification,
) -> Result<BTreeMap<String, String>, writ_proof::CanonicalError> {
    let mut components = BTreeMap::new();
    components.insert("summary".to_owned(), digest_of(summary)?);
    components.insert("verification".to_owned(), digest_of(verification)?);
    components.insert(
        "evidence.checkpoint".to_owned(),
        digest_of(&evidence.checkpoint)?,
    );
    for (digest, input) in &evidence.inputs {
        components.insert(format!("evidence.inputs[{digest}]"), digest_of(input)?);
    }
    Ok(components)
}

/// Manifest components of action `i`, from the log leaves of its
/// certificate and receipts (in order).
fn action_components(
    i: usize,
    certificate_leaf: &[u8],
    receipt_leaves: impl Iterator<Item = impl AsRef<[u8]>>,
    proofs: &[InclusionProof],
) -> Result<Vec<(String, String)>, writ_proof::CanonicalError> {
    let mut out = Vec::with_capacity(2 * proofs.len() + 1);
    out.push((
        format!("evidence.actions[{i}].certificate"),
        digest_text(certificate_leaf),
    ));
    for (j, leaf) in receipt_leaves.enumerate() {
        out.push((
            format!("evidence.actions[{i}].receipts[{j}]"),
            digest_text(leaf.as_ref()),
        ));
    }
    for (j, p) in proofs.iter().enumerate() {
        out.push((
            format!("evidence.actions[{i}].proofs[{j}]"),
            proof_digest(p)?,
        ));
    }
    Ok(out)
}

fn manifest_of(
    summary: &Summary,
    evidence: &Evidence,
    verification: &Verification,
) -> Result<Manifest, writ_proof::CanonicalError> {
    let mut components = manifest_head(summary, evidence, verification)?;
    for (i, a) in evidence.actions.iter().enumerate() {
        let receipts = a
            .receipts
            .iter()
            .map(crate::recorder::receipt_leaf)
            .collect::<Result<Vec<_>, _>>()?;
        components.extend(action_components(
            i,
            &certificate_leaf(&a.certificate)?,
            receipts.iter(),
            &a.proofs,
        )?);
    }
    Ok(Manifest {
        algorithm: MANIFEST_ALGORITHM.to_owned(),
        components,
    })
}

/// Builds a bundle for `actions` from `ledger`, with a checkpoint of the
/// whole log signed now by `signer`.
pub fn build_bundle(
    ledger: &Ledger,
    signer: &Signer,
    actions: &[CertifiedAction],
) -> Result<Value, BundleError> {
    let origin = signer.pair().name().to_owned();
    let checkpoint = ledger.checkpoint(&origin);
    let size = checkpoint.size;
    let note = checkpoint.sign(signer.pair())?;
    let mut evidence = Evidence {
        checkpoint: note,
        inputs: BTreeMap::new(),
        actions: Vec::with_capacity(actions.len()),
    };
    for a in actions {
        for input in &a.inputs {
            if evidence.inputs.contains_key(&input.digest) {
                continue;
            }
            let proof = InclusionProof {
                leaf_index: input.leaf_index,
                hashes: hex_hashes(&ledger.inclusion_proof(input.leaf_index, size)?),
            };
            evidence.inputs.insert(
                input.digest.clone(),
                InputEvidence {
                    receipt: input.receipt.clone(),
                    proof,
                },
            );
        }
        let mut proofs = Vec::with_capacity(a.receipts.len() + 1);
        for r in &a.certificate.receipts {
            proofs.push(InclusionProof {
                leaf_index: r.leaf_index,
                hashes: hex_hashes(&ledger.inclusion_proof(r.leaf_index, size)?),
            });
        }
        proofs.push(InclusionProof {
            leaf_index: a.certificate_leaf,
            hashes: hex_hashes(&ledger.inclusion_proof(a.certificate_leaf, size)?),
        });
        evidence.actions.push(ActionEvidence {
            certificate: a.envelope.clone(),
            receipts: a.receipts.clone(),
            proofs,
        });
    }
    let summary = Summary {
        format: BUNDLE_FORMAT.to_owned(),
        log_origin: origin,
        checkpoint_size: size,
        actions: actions.iter().map(|a| summary_of(&a.certificate)).collect(),
    };
    let verification = verification_of(&evidence);
    let manifest = manifest_of(&summary, &evidence, &verification)?;
    serde_json::to_value(Bundle {
        summary,
        evidence,
        verification,
        manifest,
    })
    .map_err(|e| BundleError::Json(e.to_string()))
}

/// A file [`export`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub path: PathBuf,
    /// `action` or `session`.
    pub scope: String,
    pub actions: usize,
}

fn file_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes `actions/<action id>.json` for each action and
/// `sessions/<session id>.json` for each session into `out_dir`.
pub fn export(
    ledger: &Ledger,
    signer: &Signer,
    actions: &[CertifiedAction],
    out_dir: &Path,
) -> Result<Vec<Exported>, BundleError> {
    let write = |path: PathBuf, bundle: &Value| -> Result<PathBuf, BundleError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| BundleError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let text =
            serde_json::to_string_pretty(bundle).map_err(|e| BundleError::Json(e.to_string()))?;
        std::fs::write(&path, text + "\n").map_err(|source| BundleError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    };
    let mut out = Vec::new();
    let mut sessions: BTreeMap<String, Vec<CertifiedAction>> = BTreeMap::new();
    for a in actions {
        let bundle = build_bundle(ledger, signer, std::slice::from_ref(a))?;
        let path = write(
            out_dir
                .join("actions")
                .join(format!("{}.json", file_name(&a.certificate.action_id))),
            &bundle,
        )?;
        out.push(Exported {
            path,
            scope: "action".to_owned(),
            actions: 1,
        });
        let session = a
            .certificate
            .join
            .session_id
            .clone()
            .unwrap_or_else(|| "no-session".to_owned());
        sessions.entry(session).or_default().push(a.clone());
    }
    for (session, list) in sessions {
        let bundle = build_bundle(ledger, signer, &list)?;
        let path = write(
            out_dir
                .join("sessions")
                .join(format!("{}.json", file_name(&session))),
            &bundle,
        )?;
        out.push(Exported {
            path,
            scope: "session".to_owned(),
            actions: list.len(),
        });
    }
    Ok(out)
}

/// Engines rebuilt for replay, by (deployment digest, policy digest),
/// shared by the verification workers.
#[derive(Default)]
struct ReplayCache {
    engines: Mutex<HashMap<(String, String), Arc<ReplayEngine>>>,
}

/// An engine rebuilt from recorded inputs, with its policy digest.
type ReplayEngine = (Engine, String);

/// A verified shared replay input.
enum InputValue {
    Deployment(Box<Deployment>),
    Policy(Vec<(String, String)>),
}

struct VerifiedInput {
    value: InputValue,
    used: AtomicBool,
}

/// The bundle's verified replay inputs, by digest.
#[derive(Default)]
struct Inputs {
    by_digest: HashMap<String, VerifiedInput>,
}

impl Inputs {
    /// Checks every entry of `evidence.inputs`: receipt signature and kind,
    /// body digest equal to the key and to the digest of the value, role,
    /// value shape, inclusion at the checkpoint.
    fn verify(
        evidence: &BTreeMap<String, InputEvidence>,
        keys: &[(String, writ_proof::VerifyingKey)],
        checkpoint: &Checkpoint,
    ) -> Result<Inputs, VerifyError> {
        let mut inputs = Inputs::default();
        for (digest, e) in evidence {
            let invalid = |reason: String| VerifyError::InputInvalid {
                digest: digest.clone(),
                reason,
            };
            let bytes = crate::jcs::verify_receipt(&e.receipt, keys)
                .map_err(|e| invalid(format!("receipt: {e}")))?;
            if e.receipt.receipt.kind != kind::REPLAY_INPUT {
                return Err(invalid(format!(
                    "receipt is of kind `{}`",
                    e.receipt.receipt.kind
                )));
            }
            let body: InputBody = serde_json::from_value(e.receipt.receipt.body.clone())
                .map_err(|e| invalid(format!("receipt body: {e}")))?;
            if body.digest != *digest {
                return Err(invalid(format!("receipt is for {}", body.digest)));
            }
            let computed = digest_value(&body.value)?;
            if computed != *digest {
                return Err(invalid(format!("value digests to {computed}")));
            }
            let value = match body.role.as_str() {
                role::DEPLOYMENT => InputValue::Deployment(Box::new(
                    serde_json::from_value(body.value)
                        .map_err(|e| invalid(format!("deployment: {e}")))?,
                )),
                role::POLICY => {
                    let files: Vec<PolicySource> = serde_json::from_value(body.value)
                        .map_err(|e| invalid(format!("policy: {e}")))?;
                    InputValue::Policy(files.into_iter().map(|f| (f.name, f.text)).collect())
                }
                other => return Err(invalid(format!("unknown role `{other}`"))),
            };
            let hashes: Vec<merkle::Hash> = e
                .proof
                .hashes
                .iter()
                .map(|h| parse_hash(h))
                .collect::<Option<_>>()
                .ok_or_else(|| invalid("a proof hash is not 64 lowercase hex digits".to_owned()))?;
            checkpoint
                .verify_inclusion(&merkle::leaf_hash(&bytes), e.proof.leaf_index, &hashes)
                .map_err(|err| {
                    invalid(format!(
                        "leaf {} is not in the log at the checkpoint: {err}",
                        e.proof.leaf_index
                    ))
                })?;
            inputs.by_digest.insert(
                digest.clone(),
                VerifiedInput {
                    value,
                    used: AtomicBool::new(false),
                },
            );
        }
        Ok(inputs)
    }

    /// The deployment with `digest`, marked used.
    fn deployment(&self, action: &str, digest: &str) -> Result<&Deployment, VerifyError> {
        match self.by_digest.get(digest) {
            Some(VerifiedInput {
                value: InputValue::Deployment(d),
                used,
            }) => {
                used.store(true, AtomicOrdering::Relaxed);
                Ok(d)
            }
            _ => Err(VerifyError::InputInvalid {
                digest: digest.to_owned(),
                reason: format!(
                    "action {action} references it as its deployment, the bundle has no such deployment"
                ),
            }),
        }
    }

    /// The policy files with `digest`, marked used.
    fn policy(&self, action: &str, digest: &str) -> Result<&[(String, String)], VerifyError> {
        match self.by_digest.get(digest) {
            Some(VerifiedInput {
                value: InputValue::Policy(p),
                used,
            }) => {
                used.store(true, AtomicOrdering::Relaxed);
                Ok(p)
            }
            _ => Err(VerifyError::InputInvalid {
                digest: digest.to_owned(),
                reason: format!(
                    "action {action} references it as its policy, the bundle has no such policy"
                ),
            }),
        }
    }

    /// Refuses inputs no certificate references.
    fn all_used(&self) -> Result<(), VerifyError> {
        match self
            .by_digest
            .iter()
            .find(|(_, i)| !i.used.load(AtomicOrdering::Relaxed))
        {
            Some((digest, _)) => Err(VerifyError::InputInvalid {
                digest: digest.clone(),
                reason: "no certificate references it".to_owned(),
            }),
            None => Ok(()),
        }
    }
}

/// What a worker found for one action: its certificate, its manifest
/// components, and the outcome of replaying its decision (reported only
/// after every other check of the bundle passed).
struct VerifiedAction {
    certificate: Certificate,
    components: Vec<(String, String)>,
    /// Key ids of the certificate's and the receipts' signatures.
    keyids: Vec<String>,
    replayed: Result<usize, VerifyError>,
}

/// A worker's run: whether every action of it parsed, then each action
/// verified up to the first failure.
type WorkerResult = (
    Result<(), VerifyError>,
    Vec<Result<VerifiedAction, VerifyError>>,
);

/// The bundle without its per-action evidence (left empty), and that
/// evidence as JSON, for the workers to parse. `None` when the bundle has
/// no `evidence.actions` array (the caller then parses it whole, for the error).
fn split_bundle(bundle: &Value) -> Option<(Value, &[Value])> {
    let top = bundle.as_object()?;
    let evidence = top.get("evidence")?.as_object()?;
    let actions = evidence.get("actions")?.as_array()?;
    let mut head = serde_json::Map::with_capacity(top.len());
    for (k, v) in top {
        if k == "evidence" {
            let mut e = serde_json::Map::with_capacity(evidence.len());
            for (k, v) in evidence {
                let v = if k == "actions" {
                    Value::Array(Vec::new())
                } else {
                    v.clone()
                };
                e.insert(k.clone(), v);
            }
            head.insert(k.clone(), Value::Object(e));
        } else {
            head.insert(k.clone(), v.clone());
        }
    }
    Some((Value::Object(head), actions.as_slice()))
}

/// Parses action `index`'s evidence. A signature on a receipt of a kind
/// that is logged unsigned is a field this format does not have.
fn parse_action(index: usize, value: &Value) -> Result<ActionEvidence, VerifyError> {
    let evidence =
        ActionEvidence::deserialize(value).map_err(|e| VerifyError::Malformed(e.to_string()))?;
    for (position, r) in evidence.receipts.iter().enumerate() {
        if r.signed().is_some() && !kind::is_signed(r.kind()) {
            return Err(VerifyError::Malformed(format!(
                "action {index}: receipt {position} ({}) has unexpected fields `keyid` and `sig`: \
                 only approval grants and denials are signed in {BUNDLE_FORMAT}",
                r.kind()
            )));
        }
    }
    Ok(evidence)
}

/// The first action that does not parse, as [`VerifyError::Malformed`].
fn first_malformed(actions: &[Value]) -> Option<VerifyError> {
    actions
        .iter()
        .enumerate()
        .find_map(|(i, a)| parse_action(i, a).err())
}

/// Runs `work` over contiguous runs of `items` on every core; results in order.
fn on_every_core<T: Sync, R: Send>(
    items: &[T],
    min_per_worker: usize,
    work: impl Fn(usize, &[T]) -> R + Sync,
    failed: impl Fn() -> R,
) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len().div_ceil(min_per_worker))
        .max(1);
    if workers == 1 {
        return vec![work(0, items)];
    }
    let size = items.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(size)
            .enumerate()
            .map(|(c, chunk)| {
                let work = &work;
                scope.spawn(move || work(c * size, chunk))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| failed()))
            .collect()
    })
}

/// Verifies a bundle offline against trusted public keys (the log key and
/// any approver keys, as C2SP verifiers).
pub fn verify_bundle(bundle: &Value, trusted: &[Verifier]) -> Result<VerifyReport, VerifyError> {
    if trusted.is_empty() {
        return Err(VerifyError::NoTrustedKeys);
    }
    let Some((head, actions)) = split_bundle(bundle) else {
        Bundle::deserialize(bundle).map_err(|e| VerifyError::Malformed(e.to_string()))?;
        return Err(VerifyError::Malformed(
            "evidence.actions is not an array".to_owned(),
        ));
    };
    let parsed: Bundle =
        Bundle::deserialize(&head).map_err(|e| VerifyError::Malformed(e.to_string()))?;
    if parsed.summary.format != BUNDLE_FORMAT {
        return Err(VerifyError::Malformed(format!(
            "bundle format is `{}`, this verifier reads `{BUNDLE_FORMAT}`",
            parsed.summary.format
        )));
    }
    // A malformed action is reported before anything else, as when the
    // bundle was parsed whole; the workers parse the actions, so on an
    // early failure they are checked here first.
    let early = |e: VerifyError| first_malformed(actions).unwrap_or(e);
    let keys = proof_keys(trusted);
    let strict_keys: Vec<(String, StrictKey)> = keys
        .iter()
        .map(|(id, key)| (id.clone(), StrictKey::new(*key)))
        .collect();
    let checkpoint = verify_checkpoint(parsed.evidence.checkpoint.as_bytes(), trusted)
        .map_err(|e| early(VerifyError::CheckpointInvalid(e.to_string())))?
        .checkpoint;
    if checkpoint.origin != parsed.summary.log_origin {
        return Err(early(VerifyError::OriginMismatch {
            expected: checkpoint.origin.clone(),
            found: parsed.summary.log_origin.clone(),
        }));
    }
    let inputs = Inputs::verify(&parsed.evidence.inputs, &keys, &checkpoint).map_err(early)?;
    let engines = ReplayCache::default();
    let mut report = VerifyReport {
        log_origin: checkpoint.origin.clone(),
        checkpoint_size: checkpoint.size,
        actions: Vec::new(),
        receipts: parsed.evidence.inputs.len(),
        replayed: 0,
    };
    // Actions are independent until the summary: parsed, verified and
    // replayed on every core, each worker taking a contiguous run. A worker
    // parses its whole run first (a malformed action outranks every other
    // failure), then stops at its first failure, so the failure reported is
    // the first in bundle order; replay failures are kept for the end.
    let run = |offset: usize, chunk: &[Value]| -> WorkerResult {
        let parsed: Result<Vec<ActionEvidence>, VerifyError> = chunk
            .iter()
            .enumerate()
            .map(|(i, a)| parse_action(offset + i, a))
            .collect();
        let evidence = match parsed {
            Ok(e) => e,
            Err(e) => return (Err(e), Vec::new()),
        };
        let mut out = Vec::with_capacity(evidence.len());
        for (i, evidence) in evidence.iter().enumerate() {
            let verified = verify_action(
                offset + i,
                evidence,
                (&keys, &strict_keys),
                &checkpoint,
                &inputs,
            )
            .map(|(certificate, components)| {
                let replayed = replay(&certificate, &inputs, &engines);
                VerifiedAction {
                    certificate,
                    components,
                    keyids: action_keyids(evidence).collect(),
                    replayed,
                }
            });
            let failed = verified.is_err();
            out.push(verified);
            if failed {
                break;
            }
        }
        (Ok(()), out)
    };
    let results = on_every_core(actions, 8, run, || {
        (
            Err(VerifyError::Malformed(
                "verification worker failed".to_owned(),
            )),
            Vec::new(),
        )
    });
    let mut verified = Vec::with_capacity(actions.len());
    for (parse, _) in &results {
        parse.clone()?;
    }
    for (_, list) in results {
        for v in list {
            verified.push(v?);
        }
    }
    for v in &verified {
        report.receipts += v.certificate.receipts.len() + 1;
        report.actions.push(v.certificate.action_id.clone());
    }
    inputs.all_used()?;
    let summary = Summary {
        format: BUNDLE_FORMAT.to_owned(),
        log_origin: checkpoint.origin.clone(),
        checkpoint_size: checkpoint.size,
        actions: verified
            .iter()
            .map(|v| summary_of(&v.certificate))
            .collect(),
    };
    if summary != parsed.summary {
        let field = first_difference(&json!(parsed.summary), &json!(summary), "summary");
        return Err(VerifyError::SummaryMismatch { field });
    }
    let mut verification = verification_of(&parsed.evidence);
    for v in &mut verified {
        verification.key_ids.append(&mut v.keyids);
    }
    verification.key_ids.sort();
    verification.key_ids.dedup();
    if verification != parsed.verification {
        return Err(VerifyError::VerificationMismatch);
    }
    let mut components = manifest_head(&parsed.summary, &parsed.evidence, &parsed.verification)
        .map_err(|e| VerifyError::Malformed(e.to_string()))?;
    for v in &mut verified {
        components.extend(std::mem::take(&mut v.components));
    }
    let manifest = Manifest {
        algorithm: MANIFEST_ALGORITHM.to_owned(),
        components,
    };
    if manifest.algorithm != parsed.manifest.algorithm {
        return Err(VerifyError::ManifestMismatch {
            component: "algorithm".to_owned(),
            recorded: parsed.manifest.algorithm.clone(),
            computed: manifest.algorithm,
        });
    }
    for (component, computed) in &manifest.components {
        let recorded = parsed
            .manifest
            .components
            .get(component)
            .cloned()
            .unwrap_or_else(|| "(missing)".to_owned());
        if &recorded != computed {
            return Err(VerifyError::ManifestMismatch {
                component: component.clone(),
                recorded,
                computed: computed.clone(),
            });
        }
    }
    if let Some(extra) = parsed
        .manifest
        .components
        .keys()
        .find(|k| !manifest.components.contains_key(*k))
    {
        return Err(VerifyError::ManifestMismatch {
            component: extra.clone(),
            recorded: parsed
                .manifest
                .components
                .get(extra)
                .cloned()
                .unwrap_or_default(),
            computed: "(no such component)".to_owned(),
        });
    }
    // Last, as before the replays ran on the workers: the first replay failure.
    for v in verified {
        report.replayed += v.replayed?;
    }
    Ok(report)
}

/// The path of the first difference between two JSON values.
fn first_difference(a: &Value, b: &Value, path: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if v == w => {}
                    Some(w) => return first_difference(v, w, &format!("{path}.{k}")),
                    None => return format!("{path}.{k}"),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}"))
                .unwrap_or_else(|| path.to_owned())
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find(|(_, (v, w))| v != w)
            .map(|(i, (v, w))| first_difference(v, w, &format!("{path}[{i}]")))
            .unwrap_or_else(|| path.to_owned()),
        _ => path.to_owned(),
    }
}

fn parse_hash(hex_text: &str) -> Option<merkle::Hash> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(hex_text, &mut out).ok()?;
    (hex::encode(out) == hex_text).then_some(out)
}

/// The trusted keys, as given and prepared for receipt signatures.
type TrustedKeys<'a> = (
    &'a [(String, writ_proof::VerifyingKey)],
    &'a [(String, StrictKey)],
);

fn verify_action(
    index: usize,
    evidence: &ActionEvidence,
    (keys, strict_keys): TrustedKeys<'_>,
    checkpoint: &Checkpoint,
    inputs: &Inputs,
) -> Result<(Certificate, Vec<(String, String)>), VerifyError> {
    // 1. The certificate envelope, its statement parsed straight into a certificate.
    let invalid = |reason: String| VerifyError::CertificateInvalid { index, reason };
    let statement = open_certificate(&evidence.certificate, keys).map_err(invalid)?;
    let certificate = statement.predicate;
    let action = certificate.action_id.clone();
    let subject = statement
        .subject
        .first()
        .map(|s| (s.name.clone(), s.sha256()));
    let subject_digest = match subject {
        Some((name, Ok(d))) if name == action => d.to_string(),
        Some((name, _)) => name,
        None => String::new(),
    };
    if certificate.version != CERTIFICATE_VERSION {
        return Err(invalid(format!(
            "certificate version is {}, this verifier reads {CERTIFICATE_VERSION}",
            certificate.version
        )));
    }
    if subject_digest != certificate.digests.action || statement.subject.len() != 1 {
        return Err(VerifyError::SubjectMismatch {
            index,
            expected: certificate.digests.action.clone(),
            found: subject_digest,
        });
    }

    // 2. Receipts: the certificate's list; each digest; approvals' signatures.
    if evidence.receipts.len() != certificate.receipts.len() {
        return Err(VerifyError::ReceiptSetMismatch {
            action,
            position: evidence.receipts.len().min(certificate.receipts.len()),
            reason: format!(
                "{} receipts in the bundle, {} in the certificate",
                evidence.receipts.len(),
                certificate.receipts.len()
            ),
        });
    }
    let mut receipt_leaves: Vec<Vec<u8>> = Vec::with_capacity(evidence.receipts.len());
    for (position, (receipt, r)) in evidence
        .receipts
        .iter()
        .zip(&certificate.receipts)
        .enumerate()
    {
        let receipt_invalid = |reason: String| VerifyError::ReceiptInvalid {
            action: action.clone(),
            position,
            kind: receipt.kind().to_owned(),
            reason,
        };
        // Signed kinds must be signed by a trusted key; every other receipt
        // is unsigned (a signature on one is refused while parsing) and is
        // authenticated by the certificate's list and its inclusion below.
        let leaf = match receipt {
            LoggedReceipt::Signed(signed) => crate::jcs::verify_receipt_strict(signed, strict_keys)
                .map_err(|e| receipt_invalid(e.to_string()))?,
            LoggedReceipt::Unsigned(_) if kind::is_signed(receipt.kind()) => {
                return Err(receipt_invalid(format!(
                    "a {} receipt must carry its approver's signature and this one is unsigned",
                    receipt.kind()
                )));
            }
            LoggedReceipt::Unsigned(unsigned) => {
                crate::jcs::verify_unsigned(unsigned).map_err(|e| receipt_invalid(e.to_string()))?
            }
        };
        receipt_leaves.push(leaf);
        if receipt.kind() != r.kind || receipt.digest().to_string() != r.digest {
            return Err(VerifyError::ReceiptSetMismatch {
                action,
                position,
                reason: format!(
                    "bundle has {} {}, certificate lists {} {}",
                    receipt.kind(),
                    receipt.digest(),
                    r.kind,
                    r.digest
                ),
            });
        }
    }

    // 3. Inclusion of every receipt and of the certificate.
    if evidence.proofs.len() != evidence.receipts.len() + 1 {
        return Err(VerifyError::InclusionFailed {
            action,
            leaf_index: 0,
            reason: format!(
                "{} proofs for {} receipts and the certificate",
                evidence.proofs.len(),
                evidence.receipts.len()
            ),
        });
    }
    let mut leaves: Vec<(u64, Vec<u8>)> = Vec::with_capacity(evidence.proofs.len());
    for (position, (bytes, r)) in receipt_leaves
        .into_iter()
        .zip(&certificate.receipts)
        .enumerate()
    {
        let found = evidence
            .proofs
            .get(position)
            .map(|p| p.leaf_index)
            .unwrap_or_default();
        if found != r.leaf_index {
            return Err(VerifyError::LeafIndexMismatch {
                action,
                position,
                expected: r.leaf_index,
                found,
            });
        }
        leaves.push((r.leaf_index, bytes));
    }
    let certificate_bytes = certificate_leaf(&evidence.certificate)
        .map_err(|e| VerifyError::Malformed(e.to_string()))?;
    let certificate_index = evidence
        .proofs
        .last()
        .map(|p| p.leaf_index)
        .unwrap_or_default();
    if certificate
        .receipts
        .iter()
        .any(|r| r.leaf_index >= certificate_index)
    {
        return Err(VerifyError::LeafIndexMismatch {
            action,
            position: evidence.receipts.len(),
            expected: certificate
                .receipts
                .iter()
                .map(|r| r.leaf_index + 1)
                .max()
                .unwrap_or_default(),
            found: certificate_index,
        });
    }
    leaves.push((certificate_index, certificate_bytes));
    let components = action_components(
        index,
        leaves.last().map(|(_, b)| b.as_slice()).unwrap_or_default(),
        leaves.iter().take(evidence.receipts.len()).map(|(_, b)| b),
        &evidence.proofs,
    )
    .map_err(|e| VerifyError::Malformed(e.to_string()))?;
    for ((leaf_index, bytes), proof) in leaves.iter().zip(&evidence.proofs) {
        let hashes: Vec<merkle::Hash> = proof
            .hashes
            .iter()
            .map(|h| parse_hash(h))
            .collect::<Option<_>>()
            .ok_or_else(|| VerifyError::InclusionFailed {
                action: action.clone(),
                leaf_index: *leaf_index,
                reason: "a proof hash is not 64 lowercase hex digits".to_owned(),
            })?;
        checkpoint
            .verify_inclusion(&merkle::leaf_hash(bytes), *leaf_index, &hashes)
            .map_err(|e| VerifyError::InclusionFailed {
                action: action.clone(),
                leaf_index: *leaf_index,
                reason: e.to_string(),
            })?;
    }
    if certificate.log_origin != checkpoint.origin {
        return Err(VerifyError::OriginMismatch {
            expected: checkpoint.origin.clone(),
            found: certificate.log_origin.clone(),
        });
    }
    // 4. Digests and receipt bodies.
    check_digests(&certificate)?;
    check_receipts(&certificate, &evidence.receipts)?;

    // 5. Lifecycle, approvals, release, reconciliation.
    inputs.policy(&action, &certificate.inputs.policy)?;
    let deployment = inputs.deployment(&action, &certificate.inputs.deployment)?;
    check_lifecycle(&certificate, &evidence.receipts, deployment)?;

    Ok((certificate, components))
}

/// An in-toto statement whose predicate is an action certificate.
#[derive(Deserialize)]
struct CertificateStatement {
    #[serde(rename = "_type")]
    statement_type: String,
    subject: Vec<writ_proof::Subject>,
    #[serde(rename = "predicateType")]
    predicate_type: String,
    predicate: Certificate,
}

/// What `writ_proof::open_action_certificate` checks (every signature
/// strictly, payload type, statement type, subjects and their digests,
/// predicate type), with the predicate parsed from the payload bytes as a
/// [`Certificate`] directly instead of through a JSON tree.
fn open_certificate(
    envelope: &writ_proof::Envelope,
    keys: &[(String, writ_proof::VerifyingKey)],
) -> Result<CertificateStatement, String> {
    use writ_proof::StatementError;
    let verified = envelope
        .verify(writ_proof::IN_TOTO_PAYLOAD_TYPE, keys)
        .map_err(|e| StatementError::from(e).to_string())?;
    let statement: CertificateStatement =
        serde_json::from_slice(&verified.payload).map_err(|e| {
            StatementError::MalformedStatement {
                reason: e.to_string(),
            }
            .to_string()
        })?;
    if statement.statement_type != writ_proof::STATEMENT_TYPE_V1 {
        return Err(StatementError::WrongStatementType {
            found: statement.statement_type,
        }
        .to_string());
    }
    if statement.subject.is_empty() {
        return Err(StatementError::NoSubject.to_string());
    }
    for subject in &statement.subject {
        subject.sha256().map_err(|e| e.to_string())?;
    }
    if statement.predicate_type != writ_proof::ACTION_CERTIFICATE_PREDICATE_TYPE {
        return Err(StatementError::PredicateTypeMismatch {
            expected: writ_proof::ACTION_CERTIFICATE_PREDICATE_TYPE.to_owned(),
            found: statement.predicate_type,
        }
        .to_string());
    }
    Ok(statement)
}

fn digest_value(value: &Value) -> Result<String, VerifyError> {
    Ok(digest_json(value)
        .map_err(|e| VerifyError::Malformed(e.to_string()))?
        .to_string())
}

fn check_digests(c: &Certificate) -> Result<(), VerifyError> {
    let action = c.action_id.clone();
    let mismatch = |what: &str, recorded: &str, computed: String| {
        (recorded != computed).then(|| VerifyError::DigestMismatch {
            action: action.clone(),
            what: what.to_owned(),
            recorded: recorded.to_owned(),
            computed,
        })
    };
    let envelope = &c.inputs.envelope;
    let arguments = envelope.get("arguments").cloned().unwrap_or(Value::Null);
    let tool = envelope
        .get("tool")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let principal = Principal {
        agent: c.inputs.agent.clone(),
        user: c.inputs.user.clone(),
    };
    let computed_action = action_digest(tool, &arguments, &principal)
        .map_err(|e| VerifyError::Malformed(e.to_string()))?;
    let session = envelope
        .get("session_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let call = envelope
        .get("call_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let id_seed = json!({"join": serde_json::to_value(&c.join).unwrap_or(Value::Null), "envelope": c.digests.envelope, "now": c.inputs.now});
    let computed_id = format!(
        "act_{}",
        digest_value(&id_seed)?.get(7..39).unwrap_or_default()
    );
    let arguments_digest = digest_value(&arguments)?;
    let checks = [
        mismatch("envelope", &c.digests.envelope, digest_value(envelope)?),
        mismatch("arguments", &c.digests.arguments, arguments_digest.clone()),
        mismatch("join arguments", &c.join.arguments_digest, arguments_digest),
        mismatch("action", &c.digests.action, computed_action.to_string()),
        mismatch(
            "principal",
            &format!("{:?}", c.principal),
            format!("{principal:?}"),
        ),
        mismatch(
            "join session id",
            &format!("{:?}", c.join.session_id),
            format!("{session:?}"),
        ),
        mismatch(
            "join tool call id",
            &format!("{:?}", c.join.tool_call_id),
            format!("{call:?}"),
        ),
        mismatch("action id", &c.action_id, computed_id),
    ];
    match checks.into_iter().flatten().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn check_receipts(c: &Certificate, receipts: &[LoggedReceipt]) -> Result<(), VerifyError> {
    let action = c.action_id.clone();
    let content =
        |position: usize, kind: &str, reason: String| VerifyError::ReceiptContentMismatch {
            action: action.clone(),
            position,
            kind: kind.to_owned(),
            reason,
        };
    let find = |digest: &str| {
        receipts
            .iter()
            .position(|r| r.digest().to_string() == digest)
    };
    let expect = |digest: &str, kind: &str, body: Option<Value>| -> Result<usize, VerifyError> {
        let position = find(digest)
            .ok_or_else(|| content(0, kind, format!("no receipt {digest} in the bundle")))?;
        let receipt = receipts
            .get(position)
            .ok_or_else(|| content(position, kind, "missing".to_owned()))?;
        if receipt.kind() != kind {
            return Err(content(
                position,
                kind,
                format!("receipt {digest} is of kind {}", receipt.kind()),
            ));
        }
        let recorded = &receipt.receipt().body;
        if let Some(body) = body
            && *recorded != body
        {
            let field = first_difference(recorded, &body, "body");
            return Err(content(position, kind, format!("differs at `{field}`")));
        }
        Ok(position)
    };
    let mut used = vec![false; receipts.len()];
    let mut mark = |p: usize| {
        if let Some(u) = used.get_mut(p) {
            *u = true;
        }
    };
    let body = decision_body(
        &c.action_id,
        &c.digests,
        &c.join,
        &c.decision.route,
        &c.decision.reasons,
        &c.decision.detail,
    )
    .map_err(|e| VerifyError::Malformed(e.to_string()))?;
    let p = expect(&c.decision.receipt, kind::DECISION, Some(body))?;
    if p != 0 {
        return Err(content(
            p,
            kind::DECISION,
            "the decision is not the first receipt".to_owned(),
        ));
    }
    mark(p);
    for a in &c.assumptions {
        mark(expect(
            &a.receipt,
            kind::ASSUMPTION,
            Some(assumption_body(
                &c.action_id,
                &c.digests.action,
                &a.kind,
                &a.value,
            )),
        )?);
    }
    for e in &c.approvals {
        match e.event.as_str() {
            "request" => mark(expect(
                &e.receipt,
                kind::APPROVAL_REQUEST,
                Some(request_body(
                    &c.action_id,
                    &c.digests.action,
                    &e.jurisdiction,
                )),
            )?),
            "grant" => mark(expect(&e.receipt, kind::APPROVAL_GRANT, None)?),
            "deny" => mark(expect(&e.receipt, kind::APPROVAL_DENY, None)?),
            other => {
                return Err(VerifyError::LifecycleViolation {
                    action,
                    reason: format!("unknown approval event `{other}`"),
                });
            }
        }
    }
    if let Some(r) = &c.release {
        mark(expect(
            &r.receipt,
            kind::RELEASE,
            Some(release_body(
                &c.action_id,
                &r.claims,
                r.approved_decision.as_ref(),
            )),
        )?);
    }
    let p = expect(
        &c.outcome.receipt,
        kind::OUTCOME,
        Some(outcome_body(&c.action_id, &c.digests.action, &c.outcome)),
    )?;
    if p + 1 != receipts.len() {
        return Err(content(
            p,
            kind::OUTCOME,
            "the outcome is not the last receipt".to_owned(),
        ));
    }
    mark(p);
    if let Some(p) = used.iter().position(|u| !u) {
        let kind = receipts
            .get(p)
            .map(|r| r.kind().to_owned())
            .unwrap_or_default();
        return Err(content(
            p,
            &kind,
            "receipt is not referenced by the certificate".to_owned(),
        ));
    }
    Ok(())
}

fn parse_time(action: &str, value: &str) -> Result<OffsetDateTime, VerifyError> {
    OffsetDateTime::parse(value, &Rfc3339).map_err(|_| VerifyError::ReplayUnavailable {
        action: action.to_owned(),
        reason: format!("time `{value}` is not rfc 3339"),
    })
}

fn check_lifecycle(
    c: &Certificate,
    receipts: &[LoggedReceipt],
    deployment: &Deployment,
) -> Result<(), VerifyError> {
    let action = c.action_id.clone();
    let violation = |reason: String| VerifyError::LifecycleViolation {
        action: action.clone(),
        reason,
    };
    let route = c.decision.route.as_str();
    let ran = c.outcome.closure != "not_run";
    if !["completed", "failed", "not_run"].contains(&c.outcome.closure.as_str()) {
        return Err(violation(format!(
            "unknown closure `{}`",
            c.outcome.closure
        )));
    }
    let observe_only = c
        .decision
        .detail
        .get("enforceability")
        .and_then(Value::as_str)
        == Some("observe_only");
    if ran && c.release.is_none() && !observe_only {
        return Err(violation(
            "the outcome says the action ran but it was never released".to_owned(),
        ));
    }
    if (route != "require_approval") && !c.approvals.is_empty() {
        return Err(violation(format!(
            "approval steps recorded for a {route} action"
        )));
    }
    let required: Vec<String> = {
        let mut j: Vec<String> = c.decision.detail["rules"]
            .as_array()
            .map(|rules| {
                rules
                    .iter()
                    .filter(|r| r["route"] == "require_approval")
                    .filter_map(|r| r["jurisdiction"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        j.sort();
        j.dedup();
        j
    };
    let no_approvers = BTreeMap::new();
    let approvers = deployment.approvers.as_ref().unwrap_or(&no_approvers);
    let mut grants: Vec<GrantBody> = Vec::new();
    for e in &c.approvals {
        if !required.contains(&e.jurisdiction) {
            return Err(VerifyError::ApprovalInvalid {
                action,
                reason: format!("jurisdiction `{}` is not required", e.jurisdiction),
            });
        }
        if e.event == "request" {
            continue;
        }
        let receipt = receipts
            .iter()
            .find(|r| r.digest().to_string() == e.receipt);
        let body: GrantBody = receipt
            .and_then(|r| GrantBody::deserialize(&r.receipt().body).ok())
            .ok_or_else(|| VerifyError::ApprovalInvalid {
                action: action.clone(),
                reason: format!("{} receipt body is malformed", e.event),
            })?;
        let invalid = |reason: String| VerifyError::ApprovalInvalid {
            action: action.clone(),
            reason,
        };
        if body.action_digest != c.digests.action {
            return Err(invalid(format!(
                "{} is for action {}, not {}",
                e.event, body.action_digest, c.digests.action
            )));
        }
        if Some(&body.approver) != e.approver.as_ref() || body.jurisdiction != e.jurisdiction {
            return Err(invalid(format!(
                "{} receipt names {} in {}, the certificate {:?} in {}",
                e.event, body.approver, body.jurisdiction, e.approver, e.jurisdiction
            )));
        }
        let listed = approvers
            .get(&body.jurisdiction)
            .is_some_and(|l| l.iter().any(|a| a.eq_ignore_ascii_case(&body.approver)));
        if !listed {
            return Err(invalid(format!(
                "approver `{}` is not listed under `{}`",
                body.approver, body.jurisdiction
            )));
        }
        if e.event == "deny" && c.release.is_some() {
            return Err(violation(format!(
                "released although {} denied it",
                body.approver
            )));
        }
        if e.event == "grant" {
            grants.push(body);
        }
    }
    if let Some(release) = &c.release {
        match route {
            "allow" | "warn" => {
                if release.approved_decision.is_some() {
                    return Err(violation(
                        "an approved re-decision recorded for an action that needed none"
                            .to_owned(),
                    ));
                }
            }
            "require_approval" => {
                let Some(approved) = &release.approved_decision else {
                    return Err(violation(
                        "require_approval action released without an approved decision".to_owned(),
                    ));
                };
                if !required
                    .iter()
                    .all(|j| grants.iter().any(|g| &g.jurisdiction == j))
                {
                    return Err(violation(format!(
                        "release without a grant in every jurisdiction {required:?}"
                    )));
                }
                let expected: Vec<Value> = grants
                    .iter()
                    .map(|g| {
                        serde_json::to_value(Approval {
                            approver: g.approver.clone(),
                            tool: c.inputs.envelope["tool"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned(),
                            arguments: c.inputs.envelope["arguments"].clone(),
                            granted_at: g.granted_at.clone(),
                            expires_at: g.expires_at.clone(),
                        })
                        .unwrap_or(Value::Null)
                    })
                    .collect();
                if approved.approvals != expected {
                    return Err(VerifyError::ApprovalInvalid {
                        action,
                        reason: "the approvals presented at release are not the grants recorded"
                            .to_owned(),
                    });
                }
            }
            other => return Err(violation(format!("a {other} action was released"))),
        }
        let claims = &release.claims;
        let mismatch = |field: &str, expected: &str| {
            (claims.get(field).and_then(Value::as_str) != Some(expected)).then(|| {
                VerifyError::ReleaseMismatch {
                    action: c.action_id.clone(),
                    reason: format!(
                        "`{field}` is {}, expected {expected}",
                        claims.get(field).cloned().unwrap_or(Value::Null)
                    ),
                }
            })
        };
        for (field, expected) in [
            ("action_digest", &c.digests.action),
            ("arguments_digest", &c.digests.arguments),
            ("policy_digest", &c.join.policy_digest),
        ] {
            if let Some(e) = mismatch(field, expected) {
                return Err(e);
            }
        }
        serde_json::from_value::<writ_proof::ReleaseClaims>(claims.clone()).map_err(|e| {
            VerifyError::ReleaseMismatch {
                action: action.clone(),
                reason: format!("claims: {e}"),
            }
        })?;
    }
    // Reconciliation.
    let mut checks = c.outcome.reconciliation.checks.clone();
    for check in &mut checks {
        check.status = match &check.observed {
            None => "unobserved",
            Some(o) if *o == check.expected => "match",
            Some(_) => "mismatch",
        }
        .to_owned();
    }
    let status = status_of(&checks);
    let residue = residue_of(&c.decision.detail, ran);
    if checks != c.outcome.reconciliation.checks
        || status != c.outcome.reconciliation.status
        || residue != c.outcome.reconciliation.residue
    {
        return Err(VerifyError::ReconciliationMismatch {
            action,
            recorded: format!(
                "{} {:?}",
                c.outcome.reconciliation.status, c.outcome.reconciliation.residue
            ),
            computed: format!("{status} {residue:?}"),
        });
    }
    Ok(())
}

fn shown(route: &str, reasons: &[String]) -> String {
    format!("{route} [{}]", reasons.join(", "))
}

/// Replays the decision (and the approved re-decision); returns how many were replayed.
fn replay(c: &Certificate, inputs: &Inputs, cache: &ReplayCache) -> Result<usize, VerifyError> {
    let action = c.action_id.clone();
    let unavailable = |reason: String| VerifyError::ReplayUnavailable {
        action: action.clone(),
        reason,
    };
    let key = (c.inputs.deployment.clone(), c.inputs.policy.clone());
    let cached = {
        // Held while an engine is built: the other workers need it too.
        let mut engines = cache.engines.lock().unwrap_or_else(PoisonError::into_inner);
        match engines.get(&key) {
            Some(e) => Arc::clone(e),
            None => {
                let sources = inputs.policy(&action, &c.inputs.policy)?.to_vec();
                let deployment = inputs.deployment(&action, &c.inputs.deployment)?;
                let facts = Facts::compile(deployment)
                    .map_err(|e| unavailable(format!("deployment: {e}")))?;
                let pack =
                    PolicyPack::load(sources).map_err(|e| unavailable(format!("policy: {e}")))?;
                let digest = pack.digest.clone();
                let built = Arc::new((Engine::new(facts, pack), digest));
                engines.insert(key, Arc::clone(&built));
                built
            }
        }
    };
    let (engine, policy_digest) = &*cached;
    if *policy_digest != c.join.policy_digest {
        return Err(VerifyError::PolicyDigestMismatch {
            action,
            recorded: c.join.policy_digest.clone(),
            computed: policy_digest.clone(),
        });
    }
    let envelope = Envelope::deserialize(&c.inputs.envelope)
        .map_err(|e| unavailable(format!("envelope: {e}")))?;
    let session = SessionState::deserialize(&c.inputs.session)
        .map_err(|e| unavailable(format!("session: {e}")))?;
    let approvals: Vec<Approval> = c
        .inputs
        .approvals
        .iter()
        .map(Approval::deserialize)
        .collect::<Result<_, _>>()
        .map_err(|e| unavailable(format!("approvals: {e}")))?;
    let now = parse_time(&action, &c.inputs.now)?;
    let input = GuardInput {
        envelope: &envelope,
        session: &session,
        approvals: &approvals,
        now,
        agent: &c.inputs.agent,
        user: c.inputs.user.as_deref(),
    };
    let decision = engine.guard(input);
    if decision.route.as_str() != c.decision.route || decision.reasons != c.decision.reasons {
        return Err(VerifyError::ReplayMismatch {
            action,
            which: "recorded".to_owned(),
            recorded: shown(&c.decision.route, &c.decision.reasons),
            replayed: shown(decision.route.as_str(), &decision.reasons),
        });
    }
    let detail = serde_json::to_value(&decision).map_err(|e| unavailable(e.to_string()))?;
    if detail != *c.decision.detail {
        let field = first_difference(&c.decision.detail, &detail, "decision");
        return Err(VerifyError::ReplayDetailMismatch { action, field });
    }
    let mut replayed = 1;
    if let Some(approved) = c
        .release
        .as_ref()
        .and_then(|r| r.approved_decision.as_ref())
    {
        let approvals: Vec<Approval> = approved
            .approvals
            .iter()
            .map(|a| serde_json::from_value(a.clone()))
            .collect::<Result<_, _>>()
            .map_err(|e| unavailable(format!("approvals: {e}")))?;
        let now = parse_time(&action, &approved.now)?;
        let decision = engine.guard(GuardInput {
            approvals: &approvals,
            now,
            ..input
        });
        if decision.route.as_str() != approved.route
            || decision.reasons != approved.reasons
            || !decision.route.releases()
        {
            return Err(VerifyError::ReplayMismatch {
                action,
                which: "approved".to_owned(),
                recorded: shown(&approved.route, &approved.reasons),
                replayed: shown(decision.route.as_str(), &decision.reasons),
            });
        }
        replayed += 1;
    }
    Ok(replayed)
}
