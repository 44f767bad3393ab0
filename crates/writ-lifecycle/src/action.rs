//! One action's lifecycle as a checked state machine:
//! guard → open → assumptions → approval → release → outcome.
//!
//! Everything here is pure apart from signing: time, nonces and approvals
//! come in as values. Every step produces a [`LoggedReceipt`] kept in
//! [`Action::receipts`] until the [`crate::Recorder`] appends it to the log.
//! Only approval grants and denials are signed (by their approver); the
//! other receipts are logged unsigned and authenticated by the log's signed
//! checkpoint and the signed certificate, which lists each one's digest and
//! leaf index.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use writ_core::engine::Decision;
use writ_core::envelope::Enforceability;
use writ_core::{
    Approval, Deployment, Engine, Envelope, Facts, GuardInput, PolicyPack, Route, SessionState,
};
use writ_proof::{
    Digest, LoggedReceipt, Nonce, ReleaseClaims, SignedReceipt, VerifyingKey, issue_release_with,
};

use writ_proof::digest_json;

use crate::certificate::{
    ActionDigests, ApprovalEvent, ApprovedDecision, AssumptionRecord, CERTIFICATE_VERSION,
    Certificate, JoinKey, OutcomeRecord, Principal, ReceiptRef, RecordedDecision, ReleaseRecord,
    ReplayInputs,
};
use crate::inputs::{SharedCache, SharedInputs};
use crate::keys::Signer;
use crate::reconcile::{Check, reconcile};

/// Receipt kinds.
pub mod kind {
    pub const DECISION: &str = "decision";
    pub const ASSUMPTION: &str = "assumption";
    pub const APPROVAL_REQUEST: &str = "approval_request";
    pub const APPROVAL_GRANT: &str = "approval_grant";
    pub const APPROVAL_DENY: &str = "approval_deny";
    pub const RELEASE: &str = "release";
    pub const OUTCOME: &str = "outcome";
    /// A shared replay input (deployment or policy), logged once.
    pub const REPLAY_INPUT: &str = "replay_input";

    /// Whether an action's receipts of `kind` carry their author's
    /// signature: approvals, whose approver must be authenticated. Every
    /// other receipt of an action is logged unsigned. (Replay inputs,
    /// outside any action, are always signed.)
    pub fn is_signed(kind: &str) -> bool {
        matches!(kind, APPROVAL_GRANT | APPROVAL_DENY)
    }
}

/// Why an approval grant or denial is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    #[error("approval receipt does not verify: {0}")]
    Signature(writ_proof::ReceiptError),
    #[error("approval receipt is of kind `{found}`, expected `{expected}`")]
    WrongKind { expected: String, found: String },
    #[error("approval receipt body is malformed: {reason}")]
    Malformed { reason: String },
    #[error("jurisdiction `{jurisdiction}` is not one the action needs (needs: {required:?})")]
    JurisdictionNotRequired {
        jurisdiction: String,
        required: Vec<String>,
    },
    #[error(
        "approver `{approver}` is not listed under jurisdiction `{jurisdiction}` in the deployment's approvers"
    )]
    WrongJurisdiction {
        approver: String,
        jurisdiction: String,
    },
    #[error("action drifted since approval: arguments digest was {granted}, is now {actual}")]
    Drifted { granted: String, actual: String },
    #[error("approval is for action {granted}, not {actual}")]
    DifferentAction { granted: String, actual: String },
    #[error("approval is not valid before {granted_at} (now {now})")]
    NotYetValid { granted_at: String, now: String },
    #[error("approval expired at {expires_at} (now {now})")]
    Expired { expires_at: String, now: String },
    #[error("approval time `{value}` is not rfc 3339")]
    BadTime { value: String },
    #[error("approval {receipt} was already used")]
    AlreadyUsed { receipt: String },
}

/// An illegal transition or a failed step.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("action {action_id}: {step} before open")]
    NotOpen {
        action_id: String,
        step: &'static str,
    },
    #[error("outcome before open: action {action_id} was guarded but never opened")]
    OutcomeBeforeOpen { action_id: String },
    #[error("action {action_id} is already open")]
    AlreadyOpen { action_id: String },
    #[error("action {action_id} already has an outcome")]
    SecondOutcome { action_id: String },
    #[error("action {action_id}: {step} after the outcome")]
    AfterOutcome {
        action_id: String,
        step: &'static str,
    },
    #[error("action {action_id} is routed to block ({reasons:?}) and can never be released")]
    ReleaseBlocked {
        action_id: String,
        reasons: Vec<String>,
    },
    #[error(
        "action {action_id} is routed to simulate_first ({reasons:?}): run a dry run and decide again"
    )]
    ReleaseNeedsSimulation {
        action_id: String,
        reasons: Vec<String>,
    },
    #[error(
        "action {action_id} requires approval in {missing:?} and no covering grant was recorded"
    )]
    ReleaseWithoutApproval {
        action_id: String,
        missing: Vec<String>,
    },
    #[error("action {action_id} was denied by {approver}")]
    ReleaseDenied { action_id: String, approver: String },
    #[error(
        "action {action_id}: with the grants the decision is {route} ({reasons:?}), not a release"
    )]
    ApprovalNotAccepted {
        action_id: String,
        route: String,
        reasons: Vec<String>,
    },
    #[error("action {action_id} was already released")]
    AlreadyReleased { action_id: String },
    #[error("action {action_id} is routed to {route}: it needs no approval")]
    ApprovalNotRequired { action_id: String, route: String },
    #[error("action {action_id}: outcome says it ran but it was never released")]
    OutcomeWithoutRelease { action_id: String },
    #[error("action {action_id}: {count} receipts are not in the log yet")]
    NotLogged { action_id: String, count: usize },
    #[error("action {action_id} has no outcome yet")]
    NoOutcome { action_id: String },
    #[error(transparent)]
    Approval(#[from] ApprovalError),
    #[error("cannot canonicalise: {0}")]
    Canonical(#[from] writ_proof::CanonicalError),
    #[error("cannot make receipt: {0}")]
    Receipt(#[from] writ_proof::ReceiptError),
    #[error("cannot issue release token: {0}")]
    Release(#[from] writ_proof::ReleaseError),
    #[error("cannot sign certificate: {0}")]
    Statement(#[from] writ_proof::StatementError),
    #[error("deployment: {0}")]
    Deployment(#[from] writ_core::DeploymentError),
    #[error("policy: {0}")]
    Policy(#[from] writ_core::PolicyError),
    #[error("cannot serialise {what}: {reason}")]
    Serialize { what: &'static str, reason: String },
    #[error("time cannot be formatted: {0}")]
    Time(String),
}

/// The deployment, policy and keys actions are decided under.
#[derive(Debug, Clone)]
pub struct Context {
    pub engine: Engine,
    /// The deployment the engine's facts were compiled from (recorded for replay).
    pub deployment: Value,
    /// A version label of the policy pack (part of the join key).
    pub policy_version: String,
    /// Keys trusted to sign approval grants and denials.
    pub approver_keys: Vec<(String, VerifyingKey)>,
    /// Digests of `deployment` and the engine's policy sources, recomputed when they change.
    shared: SharedCache,
}

impl Context {
    /// Compiles `deployment` and wraps `policy`.
    pub fn new(
        deployment: &Deployment,
        policy: PolicyPack,
        policy_version: impl Into<String>,
        approver_keys: Vec<(String, VerifyingKey)>,
    ) -> Result<Context, LifecycleError> {
        let facts = Facts::compile(deployment)?;
        Ok(Context {
            engine: Engine::new(facts, policy),
            deployment: to_value("deployment", deployment)?,
            policy_version: policy_version.into(),
            approver_keys,
            shared: SharedCache::default(),
        })
    }

    /// The deployment and policy actions decided now record, with their digests.
    pub fn shared_inputs(&self) -> Result<Arc<SharedInputs>, LifecycleError> {
        self.shared
            .get(&self.deployment, &self.engine.policy.sources)
    }
}

/// Where an action is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Guarded,
    Open,
    Released,
    Closed,
}

/// How an action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Closure {
    Completed,
    Failed,
    NotRun,
}

impl Closure {
    pub fn as_str(self) -> &'static str {
        match self {
            Closure::Completed => "completed",
            Closure::Failed => "failed",
            Closure::NotRun => "not_run",
        }
    }

    /// True when the tool ran (successfully or not).
    pub fn ran(self) -> bool {
        self != Closure::NotRun
    }
}

/// What the runtime reports after the action.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub closure: Closure,
    pub result: Value,
    pub evidence: Vec<Value>,
    pub checks: Vec<Check>,
}

/// The body of an approval grant or denial, signed by the approver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    pub action_digest: String,
    pub arguments_digest: String,
    pub tool: String,
    pub principal: Principal,
    pub approver: String,
    pub jurisdiction: String,
    /// RFC 3339.
    pub granted_at: String,
    /// RFC 3339.
    pub expires_at: String,
}

impl GrantBody {
    /// Signs a grant (`approval_grant`) or, with `deny`, a denial.
    pub fn sign(&self, deny: bool, signer: &Signer) -> Result<SignedReceipt, LifecycleError> {
        let k = if deny {
            kind::APPROVAL_DENY
        } else {
            kind::APPROVAL_GRANT
        };
        let (receipt, _) =
            crate::jcs::sign_receipt_with(k, to_value("grant", self)?, signer.keyid(), |m| {
                signer.sign(m)
            })?;
        Ok(receipt)
    }
}

/// The release token of `claims`, signed by `signer`.
pub fn sign_release(claims: &ReleaseClaims, signer: &Signer) -> Result<String, LifecycleError> {
    Ok(issue_release_with(claims, |m| signer.sign(m))?)
}

/// A release: the token a gateway verifies, and its claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    pub token: String,
    pub claims: ReleaseClaims,
}

/// One action.
#[derive(Debug, Clone)]
pub struct Action {
    state: State,
    action_id: String,
    join: JoinKey,
    digests: ActionDigests,
    principal: Principal,
    inputs: Arc<ReplayInputs>,
    shared: Arc<SharedInputs>,
    decision: Arc<RecordedDecision>,
    route: Route,
    enforceability: Enforceability,
    required: Vec<String>,
    envelope: Envelope,
    session: SessionState,
    assumptions: Vec<AssumptionRecord>,
    approvals: Vec<ApprovalEvent>,
    grants: Vec<(GrantBody, String)>,
    denied_by: Option<String>,
    release: Option<ReleaseRecord>,
    outcome: Option<OutcomeRecord>,
    receipts: Vec<LoggedReceipt>,
    leaves: Vec<Option<u64>>,
    /// The log leaf of each receipt, kept from its making until it is logged.
    encoded: Vec<Option<Vec<u8>>>,
    /// Canonical JSON of the decision detail and of the envelope, written
    /// once when they were digested and reused by the certificate.
    canonical_detail: Vec<u8>,
    canonical_envelope: Vec<u8>,
}

/// Digest of `{"tool", "arguments", "principal"}`: what approvals and releases bind to.
pub fn action_digest(
    tool: &str,
    arguments: &Value,
    principal: &Principal,
) -> Result<Digest, LifecycleError> {
    Ok(digest_json(
        &json!({"tool": tool, "arguments": arguments, "principal": to_value("principal", principal)?}),
    )?)
}

pub(crate) fn to_value<T: Serialize>(
    what: &'static str,
    value: &T,
) -> Result<Value, LifecycleError> {
    serde_json::to_value(value).map_err(|e| LifecycleError::Serialize {
        what,
        reason: e.to_string(),
    })
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> Result<String, LifecycleError> {
    t.format(&Rfc3339)
        .map_err(|e| LifecycleError::Time(e.to_string()))
}

/// Receipt body of a decision, rebuilt identically by the verifier.
pub fn decision_body(
    action_id: &str,
    digests: &ActionDigests,
    join: &JoinKey,
    route: &str,
    reasons: &[String],
    detail: &Value,
) -> Result<Value, writ_proof::CanonicalError> {
    let decision_digest = digest_json(detail)?.to_string();
    Ok(decision_body_of(
        action_id,
        digests,
        join,
        route,
        reasons,
        decision_digest,
    ))
}

/// [`decision_body`] given the digest of the detail.
fn decision_body_of(
    action_id: &str,
    digests: &ActionDigests,
    join: &JoinKey,
    route: &str,
    reasons: &[String],
    decision_digest: String,
) -> Value {
    json!({
        "action_id": action_id,
        "action_digest": digests.action,
        "envelope_digest": digests.envelope,
        "join": {
            "session_id": join.session_id, "tool_call_id": join.tool_call_id,
            "arguments_digest": join.arguments_digest, "policy_digest": join.policy_digest,
            "policy_version": join.policy_version,
        },
        "route": route,
        "reasons": reasons,
        "decision_digest": decision_digest,
    })
}

/// Receipt body of an assumption.
pub fn assumption_body(action_id: &str, action: &str, kind: &str, value: &Value) -> Value {
    json!({"action_id": action_id, "action_digest": action, "kind": kind, "value": value})
}

/// Receipt body of an approval request.
pub fn request_body(action_id: &str, action: &str, jurisdiction: &str) -> Value {
    json!({"action_id": action_id, "action_digest": action, "jurisdiction": jurisdiction})
}

/// Receipt body of a release.
pub fn release_body(action_id: &str, claims: &Value, approved: Option<&ApprovedDecision>) -> Value {
    json!({"action_id": action_id, "claims": claims, "approved_route": approved.map(|a| a.route.clone())})
}

/// Receipt body of an outcome (the record without its own receipt digest).
pub fn outcome_body(action_id: &str, action: &str, o: &OutcomeRecord) -> Value {
    json!({
        "action_id": action_id, "action_digest": action, "closure": o.closure, "result": o.result,
        "evidence": o.evidence, "reconciliation": {
            "status": o.reconciliation.status,
            "checks": o.reconciliation.checks.iter().map(|c| json!({"kind": c.kind, "subject": c.subject, "expected": c.expected, "observed": c.observed, "status": c.status})).collect::<Vec<_>>(),
            "residue": o.reconciliation.residue,
        },
    })
}

impl Action {
    /// Checkpoint 1: decides the action and records the decision.
    pub fn guard(ctx: &Context, input: GuardInput<'_>) -> Result<Action, LifecycleError> {
        let decision = ctx.engine.guard(input);
        Action::from_decision(ctx, input, &decision)
    }

    /// Checkpoint 1 for a caller that has already decided `input` (to
    /// answer before opening an action, say): records `decision`, which
    /// must be what `ctx.engine.guard(input)` returned. Nothing trusts it
    /// blindly: verifying the certificate replays the decision from the
    /// recorded inputs and refuses one that differs.
    pub fn from_decision(
        ctx: &Context,
        input: GuardInput<'_>,
        decision: &Decision,
    ) -> Result<Action, LifecycleError> {
        let envelope = input.envelope;
        let principal = Principal {
            agent: input.agent.to_owned(),
            user: input.user.map(str::to_owned),
        };
        let envelope_value = to_value("envelope", envelope)?;
        let canonical_envelope = writ_proof::canonical_bytes(&envelope_value)?;
        let arguments = digest_json(&envelope.arguments)?.to_string();
        let digests = ActionDigests {
            action: action_digest(&envelope.tool, &envelope.arguments, &principal)?.to_string(),
            envelope: writ_proof::digest_bytes(&canonical_envelope).to_string(),
            arguments: arguments.clone(),
        };
        let join = JoinKey {
            session_id: envelope.session_id.clone(),
            tool_call_id: envelope.call_id.clone(),
            arguments_digest: arguments,
            policy_digest: ctx.engine.policy.digest.clone(),
            policy_version: ctx.policy_version.clone(),
        };
        let now = rfc3339(input.now)?;
        let action_id = format!(
            "act_{}",
            digest_json(
                &json!({"join": to_value("join", &join)?, "envelope": digests.envelope, "now": now})
            )?
            .hex()
            .get(..32)
            .unwrap_or_default()
        );
        let shared = ctx.shared_inputs()?;
        let inputs = ReplayInputs {
            envelope: envelope_value,
            deployment: shared.deployment_digest.clone(),
            policy: shared.policy_digest.clone(),
            session: to_value("session", input.session)?,
            approvals: input
                .approvals
                .iter()
                .map(|a| to_value("approval", a))
                .collect::<Result<_, _>>()?,
            now,
            agent: input.agent.to_owned(),
            user: input.user.map(str::to_owned),
        };
        let detail = Arc::new(to_value("decision", decision)?);
        let route = decision.route.as_str().to_owned();
        let canonical_detail = writ_proof::canonical_bytes(&detail)?;
        let body = decision_body_of(
            &action_id,
            &digests,
            &join,
            &route,
            &decision.reasons,
            writ_proof::digest_bytes(&canonical_detail).to_string(),
        );
        let (receipt, encoded) = crate::jcs::unsigned_receipt(kind::DECISION, body)?;
        let mut required: Vec<String> = decision
            .rules
            .iter()
            .filter(|r| r.route == Route::RequireApproval)
            .filter_map(|r| r.jurisdiction.clone())
            .collect();
        required.sort();
        required.dedup();
        Ok(Action {
            state: State::Guarded,
            action_id,
            join,
            digests,
            principal,
            inputs: Arc::new(inputs),
            shared,
            decision: Arc::new(RecordedDecision {
                route,
                reasons: decision.reasons.clone(),
                detail,
                receipt: receipt.digest.to_string(),
            }),
            route: decision.route,
            enforceability: decision.enforceability,
            required,
            envelope: envelope.clone(),
            session: input.session.clone(),
            assumptions: Vec::new(),
            approvals: Vec::new(),
            grants: Vec::new(),
            denied_by: None,
            release: None,
            outcome: None,
            receipts: vec![receipt.into()],
            leaves: vec![None],
            encoded: vec![Some(encoded)],
            canonical_detail,
            canonical_envelope,
        })
    }

    /// The decision's JSON, as `writ-core` serialises it: what the
    /// certificate records, shared rather than copied.
    pub fn decision_json(&self) -> &Arc<Value> {
        &self.decision.detail
    }

    /// Checkpoint 2: opens the action; returns its stable id.
    pub fn open(&mut self) -> Result<&str, LifecycleError> {
        match self.state {
            State::Guarded => {
                self.state = State::Open;
                Ok(&self.action_id)
            }
            State::Closed => Err(self.after_outcome("open")),
            _ => Err(LifecycleError::AlreadyOpen {
                action_id: self.action_id.clone(),
            }),
        }
    }

    fn after_outcome(&self, step: &'static str) -> LifecycleError {
        LifecycleError::AfterOutcome {
            action_id: self.action_id.clone(),
            step,
        }
    }

    fn require_open(&self, step: &'static str) -> Result<(), LifecycleError> {
        match self.state {
            State::Guarded => Err(LifecycleError::NotOpen {
                action_id: self.action_id.clone(),
                step,
            }),
            State::Closed => Err(self.after_outcome(step)),
            State::Open | State::Released => Ok(()),
        }
    }

    fn push_receipt(&mut self, receipt: LoggedReceipt) -> String {
        let digest = receipt.digest().to_string();
        self.receipts.push(receipt);
        self.leaves.push(None);
        self.encoded.push(None);
        digest
    }

    /// Appends an unsigned receipt of `kind`.
    fn log_receipt(&mut self, kind: &str, body: Value) -> Result<String, LifecycleError> {
        let (receipt, encoded) = crate::jcs::unsigned_receipt(kind, body)?;
        let digest = self.push_receipt(receipt.into());
        if let Some(slot) = self.encoded.last_mut() {
            *slot = Some(encoded);
        }
        Ok(digest)
    }

    /// Checkpoint 3: records something the action relies on (a file digest,
    /// an environment fact, a prior output, ...).
    pub fn record_assumption(&mut self, kind: &str, value: Value) -> Result<(), LifecycleError> {
        self.require_open("assumption")?;
        let body = assumption_body(&self.action_id, &self.digests.action, kind, &value);
        let digest = self.log_receipt(kind::ASSUMPTION, body)?;
        self.assumptions.push(AssumptionRecord {
            kind: kind.to_owned(),
            value,
            receipt: digest,
        });
        Ok(())
    }

    fn require_approval_route(&self) -> Result<(), LifecycleError> {
        if self.route != Route::RequireApproval {
            return Err(LifecycleError::ApprovalNotRequired {
                action_id: self.action_id.clone(),
                route: self.route.as_str().to_owned(),
            });
        }
        Ok(())
    }

    /// Checkpoint 4a: asks for approval in `jurisdiction`.
    pub fn request_approval(&mut self, jurisdiction: &str) -> Result<(), LifecycleError> {
        self.require_open("approval request")?;
        self.require_approval_route()?;
        self.check_jurisdiction(jurisdiction)?;
        let body = request_body(&self.action_id, &self.digests.action, jurisdiction);
        let digest = self.log_receipt(kind::APPROVAL_REQUEST, body)?;
        self.approvals.push(ApprovalEvent {
            event: "request".to_owned(),
            jurisdiction: jurisdiction.to_owned(),
            approver: None,
            receipt: digest,
        });
        Ok(())
    }

    fn check_jurisdiction(&self, jurisdiction: &str) -> Result<(), ApprovalError> {
        if !self.required.iter().any(|j| j == jurisdiction) {
            return Err(ApprovalError::JurisdictionNotRequired {
                jurisdiction: jurisdiction.to_owned(),
                required: self.required.clone(),
            });
        }
        Ok(())
    }

    /// A grant body for this action (for approvers' tools and tests).
    pub fn grant_body(
        &self,
        approver: &str,
        jurisdiction: &str,
        granted_at: &str,
        expires_at: &str,
    ) -> GrantBody {
        GrantBody {
            action_digest: self.digests.action.clone(),
            arguments_digest: self.digests.arguments.clone(),
            tool: self.envelope.tool.clone(),
            principal: self.principal.clone(),
            approver: approver.to_owned(),
            jurisdiction: jurisdiction.to_owned(),
            granted_at: granted_at.to_owned(),
            expires_at: expires_at.to_owned(),
        }
    }

    /// Checks an approver's signed grant or denial against this action.
    fn check_grant(
        &self,
        ctx: &Context,
        receipt: &SignedReceipt,
        expected_kind: &str,
        now: OffsetDateTime,
        used: &BTreeSet<String>,
    ) -> Result<GrantBody, ApprovalError> {
        receipt
            .verify_kind(expected_kind, &ctx.approver_keys)
            .map_err(|e| match e {
                writ_proof::ReceiptError::KindMismatch { expected, found } => {
                    ApprovalError::WrongKind { expected, found }
                }
                other => ApprovalError::Signature(other),
            })?;
        let body: GrantBody =
            serde_json::from_value(receipt.receipt.body.clone()).map_err(|e| {
                ApprovalError::Malformed {
                    reason: e.to_string(),
                }
            })?;
        self.check_jurisdiction(&body.jurisdiction)?;
        let listed = ctx
            .engine
            .facts
            .approvers
            .get(&body.jurisdiction)
            .is_some_and(|list| list.iter().any(|a| a.eq_ignore_ascii_case(&body.approver)));
        if !listed {
            return Err(ApprovalError::WrongJurisdiction {
                approver: body.approver,
                jurisdiction: body.jurisdiction,
            });
        }
        if body.action_digest != self.digests.action {
            if body.tool == self.envelope.tool
                && body.principal == self.principal
                && body.arguments_digest != self.digests.arguments
            {
                return Err(ApprovalError::Drifted {
                    granted: body.arguments_digest,
                    actual: self.digests.arguments.clone(),
                });
            }
            return Err(ApprovalError::DifferentAction {
                granted: body.action_digest,
                actual: self.digests.action.clone(),
            });
        }
        let parse = |value: &str| {
            OffsetDateTime::parse(value, &Rfc3339).map_err(|_| ApprovalError::BadTime {
                value: value.to_owned(),
            })
        };
        let shown = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
        if now < parse(&body.granted_at)? {
            return Err(ApprovalError::NotYetValid {
                granted_at: body.granted_at,
                now: shown(now),
            });
        }
        if now > parse(&body.expires_at)? {
            return Err(ApprovalError::Expired {
                expires_at: body.expires_at,
                now: shown(now),
            });
        }
        if used.contains(&receipt.digest.to_string()) {
            return Err(ApprovalError::AlreadyUsed {
                receipt: receipt.digest.to_string(),
            });
        }
        Ok(body)
    }

    /// Checkpoint 4b: accepts an approver's signed grant. `used` holds the
    /// digests of grants already used; the grant's digest is added to it.
    pub fn grant(
        &mut self,
        ctx: &Context,
        receipt: SignedReceipt,
        now: OffsetDateTime,
        used: &mut BTreeSet<String>,
    ) -> Result<(), LifecycleError> {
        self.require_open("approval grant")?;
        self.require_approval_route()?;
        let body = self.check_grant(ctx, &receipt, kind::APPROVAL_GRANT, now, used)?;
        used.insert(receipt.digest.to_string());
        let digest = self.push_receipt(receipt.into());
        self.approvals.push(ApprovalEvent {
            event: "grant".to_owned(),
            jurisdiction: body.jurisdiction.clone(),
            approver: Some(body.approver.clone()),
            receipt: digest.clone(),
        });
        self.grants.push((body, digest));
        Ok(())
    }

    /// Checkpoint 4c: records an approver's signed denial.
    pub fn deny(
        &mut self,
        ctx: &Context,
        receipt: SignedReceipt,
        now: OffsetDateTime,
    ) -> Result<(), LifecycleError> {
        self.require_open("approval denial")?;
        self.require_approval_route()?;
        let body = self.check_grant(ctx, &receipt, kind::APPROVAL_DENY, now, &BTreeSet::new())?;
        let digest = self.push_receipt(receipt.into());
        self.approvals.push(ApprovalEvent {
            event: "deny".to_owned(),
            jurisdiction: body.jurisdiction.clone(),
            approver: Some(body.approver.clone()),
            receipt: digest,
        });
        self.denied_by = Some(body.approver);
        Ok(())
    }

    /// The approvals, in writ-core form, the grants amount to.
    fn core_approvals(&self) -> Vec<Approval> {
        self.grants
            .iter()
            .map(|(g, _)| Approval {
                approver: g.approver.clone(),
                tool: self.envelope.tool.clone(),
                arguments: self.envelope.arguments.clone(),
                granted_at: g.granted_at.clone(),
                expires_at: g.expires_at.clone(),
            })
            .collect()
    }

    /// Releases the action: issues a single-use release token valid for
    /// `ttl_seconds` from `now`. Refused for `block` and `simulate_first`,
    /// and for `require_approval` without a grant covering every
    /// jurisdiction (the decision is re-run with the grants and must release).
    pub fn release(
        &mut self,
        ctx: &Context,
        now: OffsetDateTime,
        ttl_seconds: i64,
        nonce: Nonce,
        signer: &Signer,
    ) -> Result<Released, LifecycleError> {
        let claims = self.release_unsigned(ctx, now, ttl_seconds, nonce)?;
        let token = sign_release(&claims, signer)?;
        Ok(Released { token, claims })
    }

    /// Checkpoint 4 without the token's signature: releases the action
    /// and logs the release receipt, and returns the claims the token
    /// carries. [`sign_release`] makes the token from them, where and when
    /// the caller likes: Ed25519 signatures are deterministic, so the
    /// token is the same whoever signs the claims with this key.
    pub fn release_unsigned(
        &mut self,
        ctx: &Context,
        now: OffsetDateTime,
        ttl_seconds: i64,
        nonce: Nonce,
    ) -> Result<ReleaseClaims, LifecycleError> {
        self.require_open("release")?;
        let action_id = self.action_id.clone();
        if self.state == State::Released {
            return Err(LifecycleError::AlreadyReleased { action_id });
        }
        let reasons = self.decision.reasons.clone();
        let approved = match self.route {
            Route::Block => return Err(LifecycleError::ReleaseBlocked { action_id, reasons }),
            Route::SimulateFirst => {
                return Err(LifecycleError::ReleaseNeedsSimulation { action_id, reasons });
            }
            Route::Allow | Route::Warn => None,
            Route::RequireApproval => {
                if let Some(approver) = self.denied_by.clone() {
                    return Err(LifecycleError::ReleaseDenied {
                        action_id,
                        approver,
                    });
                }
                let missing: Vec<String> = self
                    .required
                    .iter()
                    .filter(|j| !self.grants.iter().any(|(g, _)| &g.jurisdiction == *j))
                    .cloned()
                    .collect();
                if !missing.is_empty() || self.grants.is_empty() {
                    return Err(LifecycleError::ReleaseWithoutApproval { action_id, missing });
                }
                let approvals = self.core_approvals();
                let decision = ctx.engine.guard(GuardInput {
                    envelope: &self.envelope,
                    session: &self.session,
                    approvals: &approvals,
                    now,
                    agent: &self.principal.agent,
                    user: self.principal.user.as_deref(),
                });
                if !decision.route.releases() {
                    return Err(LifecycleError::ApprovalNotAccepted {
                        action_id,
                        route: decision.route.as_str().to_owned(),
                        reasons: decision.reasons,
                    });
                }
                Some(ApprovedDecision {
                    approvals: approvals
                        .iter()
                        .map(|a| to_value("approval", a))
                        .collect::<Result<_, _>>()?,
                    now: rfc3339(now)?,
                    route: decision.route.as_str().to_owned(),
                    reasons: decision.reasons,
                })
            }
        };
        let parse = |d: &str| {
            d.parse::<Digest>().map_err(|e| LifecycleError::Serialize {
                what: "digest",
                reason: e.to_string(),
            })
        };
        let issued_at = now.unix_timestamp();
        let claims = ReleaseClaims {
            action_digest: parse(&self.digests.action)?,
            arguments_digest: parse(&self.digests.arguments)?,
            policy_digest: parse(&self.join.policy_digest)?,
            nonce,
            issued_at,
            expires_at: issued_at.saturating_add(ttl_seconds.max(1)),
        };
        claims.check_window()?;
        let claims_value = to_value("claims", &claims)?;
        let body = release_body(&self.action_id, &claims_value, approved.as_ref());
        let digest = self.log_receipt(kind::RELEASE, body)?;
        self.release = Some(ReleaseRecord {
            claims: claims_value,
            approved_decision: approved,
            receipt: digest,
        });
        self.state = State::Released;
        Ok(claims)
    }

    /// Checkpoint 5: records the outcome and reconciles it.
    pub fn outcome(&mut self, outcome: Outcome) -> Result<&OutcomeRecord, LifecycleError> {
        let action_id = self.action_id.clone();
        match self.state {
            State::Guarded => return Err(LifecycleError::OutcomeBeforeOpen { action_id }),
            State::Closed => return Err(LifecycleError::SecondOutcome { action_id }),
            State::Open
                if outcome.closure.ran() && self.enforceability != Enforceability::ObserveOnly =>
            {
                return Err(LifecycleError::OutcomeWithoutRelease { action_id });
            }
            State::Open | State::Released => {}
        }
        let reconciliation = reconcile(
            &outcome.checks,
            &self.decision.detail,
            outcome.closure.ran(),
        );
        let mut record = OutcomeRecord {
            closure: outcome.closure.as_str().to_owned(),
            result: outcome.result,
            evidence: outcome.evidence,
            reconciliation,
            receipt: String::new(),
        };
        let body = outcome_body(&self.action_id, &self.digests.action, &record);
        record.receipt = self.log_receipt(kind::OUTCOME, body)?;
        self.state = State::Closed;
        Ok(self.outcome.insert(record))
    }

    pub fn state(&self) -> State {
        self.state
    }

    pub fn id(&self) -> &str {
        &self.action_id
    }

    pub fn route(&self) -> Route {
        self.route
    }

    pub fn reasons(&self) -> &[String] {
        &self.decision.reasons
    }

    pub fn join_key(&self) -> &JoinKey {
        &self.join
    }

    pub fn digests(&self) -> &ActionDigests {
        &self.digests
    }

    /// Jurisdictions whose approval the action needs.
    pub fn required_jurisdictions(&self) -> &[String] {
        &self.required
    }

    /// The deployment and policy the decision read (the certificate records their digests).
    pub fn shared_inputs(&self) -> &Arc<SharedInputs> {
        &self.shared
    }

    /// Every receipt so far, in order.
    pub fn receipts(&self) -> &[LoggedReceipt] {
        &self.receipts
    }

    /// Receipts not yet in the log, with their positions.
    pub fn unlogged(&self) -> impl Iterator<Item = (usize, &LoggedReceipt)> {
        self.receipts
            .iter()
            .enumerate()
            .filter(|(i, _)| self.leaves.get(*i).is_some_and(Option::is_none))
    }

    /// The log leaf of each receipt, in order (`None`: not logged yet).
    pub fn leaves(&self) -> &[Option<u64>] {
        &self.leaves
    }

    /// Records that receipt `position` is at leaf `leaf`.
    pub fn set_leaf(&mut self, position: usize, leaf: u64) {
        if let Some(slot) = self.leaves.get_mut(position) {
            *slot = Some(leaf);
        }
        if let Some(slot) = self.encoded.get_mut(position) {
            *slot = None;
        }
    }

    /// Forgets the leaf of receipt `position` (its batch was not committed).
    pub(crate) fn clear_leaf(&mut self, position: usize) {
        if let Some(slot) = self.leaves.get_mut(position) {
            *slot = None;
        }
    }

    /// The log leaf of receipt `position`, moved out of the signing cache
    /// when it is there.
    pub(crate) fn take_leaf_bytes(
        &mut self,
        position: usize,
    ) -> Result<Vec<u8>, writ_proof::CanonicalError> {
        match self.encoded.get_mut(position).and_then(Option::take) {
            Some(bytes) => Ok(bytes),
            None => self.leaf_bytes(position),
        }
    }

    /// The log leaf (canonical JSON) of receipt `position`.
    pub(crate) fn leaf_bytes(
        &self,
        position: usize,
    ) -> Result<Vec<u8>, writ_proof::CanonicalError> {
        match self.encoded.get(position) {
            Some(Some(bytes)) => Ok(bytes.clone()),
            _ => match self.receipts.get(position) {
                Some(r) => crate::recorder::receipt_leaf(r),
                None => Ok(Vec::new()),
            },
        }
    }

    /// The canonical JSON of the decision detail and of the envelope, as
    /// the certificate records them.
    pub(crate) fn canonical_parts(&self) -> crate::recorder::Fragments<'_> {
        crate::recorder::Fragments {
            detail: Some(&self.canonical_detail),
            envelope: Some(&self.canonical_envelope),
        }
    }

    /// The certificate: requires an outcome and every receipt in the log.
    pub fn certificate(&self, log_origin: &str) -> Result<Certificate, LifecycleError> {
        let Some(outcome) = self.outcome.clone() else {
            return Err(LifecycleError::NoOutcome {
                action_id: self.action_id.clone(),
            });
        };
        let missing = self.leaves.iter().filter(|l| l.is_none()).count();
        let mut receipts = Vec::with_capacity(self.receipts.len());
        for (r, leaf) in self.receipts.iter().zip(&self.leaves) {
            let Some(leaf_index) = *leaf else {
                return Err(LifecycleError::NotLogged {
                    action_id: self.action_id.clone(),
                    count: missing,
                });
            };
            receipts.push(ReceiptRef {
                kind: r.kind().to_owned(),
                digest: r.digest().to_string(),
                leaf_index,
            });
        }
        Ok(Certificate {
            version: CERTIFICATE_VERSION,
            action_id: self.action_id.clone(),
            join: self.join.clone(),
            digests: self.digests.clone(),
            principal: self.principal.clone(),
            inputs: self.inputs.clone(),
            decision: self.decision.clone(),
            assumptions: self.assumptions.clone(),
            approvals: self.approvals.clone(),
            release: self.release.clone(),
            outcome,
            receipts,
            log_origin: log_origin.to_owned(),
        })
    }
}
