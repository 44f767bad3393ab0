//! The action certificate: the predicate of the in-toto statement writ signs
//! for every finished action. Everything needed to check the action offline
//! is in it, including the inputs to replay its decision.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Version of the certificate format. Version 2 references the deployment
/// and the policy by digest instead of carrying them (see [`ReplayInputs`]).
/// Version 3: the receipts it lists are unsigned (but for approval grants
/// and denials); the certificate's signature and the log's signed
/// checkpoint authenticate them (see [`ReceiptRef`]).
pub const CERTIFICATE_VERSION: u32 = 3;

/// The action certificate (in-toto predicate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Always [`CERTIFICATE_VERSION`].
    pub version: u32,
    /// Stable id of the action (`act_` + 32 hex).
    pub action_id: String,
    pub join: JoinKey,
    pub digests: ActionDigests,
    pub principal: Principal,
    // `Arc`: shared with the action certified (serde writes the value).
    /// What the decision read, recorded so it can be replayed.
    pub inputs: Arc<ReplayInputs>,
    pub decision: Arc<RecordedDecision>,
    #[serde(default)]
    pub assumptions: Vec<AssumptionRecord>,
    #[serde(default)]
    pub approvals: Vec<ApprovalEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<ReleaseRecord>,
    pub outcome: OutcomeRecord,
    /// Every receipt of the action, in order, with its ledger leaf.
    pub receipts: Vec<ReceiptRef>,
    /// Origin line of the log the receipts are in.
    pub log_origin: String,
}

/// What joins an action across systems: the runtime's ids, the arguments and the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinKey {
    pub session_id: Option<String>,
    pub tool_call_id: Option<String>,
    /// `sha256:` of the RFC 8785 canonical arguments.
    pub arguments_digest: String,
    pub policy_digest: String,
    pub policy_version: String,
}

/// Digests identifying the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionDigests {
    /// Digest of `{"tool", "arguments", "principal"}`: what approvals and releases bind to.
    pub action: String,
    /// Digest of the canonical envelope.
    pub envelope: String,
    /// Digest of the canonical arguments.
    pub arguments: String,
}

/// Who acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    pub agent: String,
    pub user: Option<String>,
}

/// One policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicySource {
    pub name: String,
    pub text: String,
}

/// Everything `Engine::guard` read.
///
/// The deployment and the policy are shared by many actions, so they are
/// referenced by digest: each is logged once as a signed `replay_input`
/// receipt (body `{"role", "digest", "value"}`) and carried once per proof
/// bundle in `evidence.inputs`, keyed by that digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplayInputs {
    /// The action envelope.
    pub envelope: Value,
    /// `sha256:` of the RFC 8785 canonical deployment the facts were compiled from.
    pub deployment: String,
    /// `sha256:` of the RFC 8785 canonical policy files (`[{"name", "text"}]`, in order).
    pub policy: String,
    /// The session state before the decision.
    pub session: Value,
    /// Approvals presented to the decision.
    pub approvals: Vec<Value>,
    /// RFC 3339 time of the decision.
    pub now: String,
    pub agent: String,
    pub user: Option<String>,
}

/// The decision as it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordedDecision {
    pub route: String,
    pub reasons: Vec<String>,
    /// The full decision, as `writ-core` serialises it.
    // Shared: the server's record of the action holds the same JSON.
    pub detail: Arc<Value>,
    /// Digest of the decision receipt.
    pub receipt: String,
}

/// One recorded assumption (a file digest, an environment fact, a prior output, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssumptionRecord {
    pub kind: String,
    pub value: Value,
    pub receipt: String,
}

/// An approval step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalEvent {
    /// `request`, `grant` or `deny`.
    pub event: String,
    /// The jurisdiction concerned.
    pub jurisdiction: String,
    /// The approver (for grants and denials).
    pub approver: Option<String>,
    /// Digest of the receipt of this step (for a grant, the approver's signed receipt).
    pub receipt: String,
}

/// The release of an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRecord {
    /// The release token's claims.
    pub claims: Value,
    /// For approved actions: the decision re-run with the granted approvals.
    pub approved_decision: Option<ApprovedDecision>,
    pub receipt: String,
}

/// The decision re-run at release time with the approvals granted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovedDecision {
    /// Approvals (writ-core form) presented.
    pub approvals: Vec<Value>,
    /// RFC 3339 time of the release.
    pub now: String,
    pub route: String,
    pub reasons: Vec<String>,
}

/// How the action ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRecord {
    /// `completed`, `failed` or `not_run`.
    pub closure: String,
    pub result: Value,
    pub evidence: Vec<Value>,
    pub reconciliation: Reconciliation,
    pub receipt: String,
}

/// Expected against observed effects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reconciliation {
    /// `reconciled`, `drift`, `partial` or `unverifiable`.
    pub status: String,
    pub checks: Vec<CheckResult>,
    /// Irreversible effects left behind: `data_left_org`, `message_sent`,
    /// `money_moved`, `irreversible_change` or `none`.
    pub residue: Vec<String>,
}

/// One expectation checked against an observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckResult {
    /// `file_digest`, `http_status`, `remote_ref` or `tool_error`.
    pub kind: String,
    /// What is checked (a path, a URL, `remote:ref`, the tool).
    pub subject: String,
    pub expected: String,
    pub observed: Option<String>,
    /// `match`, `mismatch` or `unobserved`.
    pub status: String,
}

/// A receipt of the action and its place in the log. For an unsigned
/// receipt this entry is what authenticates it: a verifier accepts it only
/// if its recomputed digest is `digest` and its leaf bytes are proven
/// included at `leaf_index` under a trusted signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRef {
    pub kind: String,
    pub digest: String,
    pub leaf_index: u64,
}

/// The JSON Schema of the certificate predicate, pretty-printed with a final newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Certificate);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
