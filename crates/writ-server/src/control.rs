//! The control plane's core: the session store, the lifecycle of every
//! action, the log, and what is persisted so a restart loses nothing the
//! API acknowledged.
//!
//! An action is persisted as its guard inputs plus the steps applied to it
//! (event sourcing): signatures are deterministic (Ed25519), so replaying
//! the steps rebuilds the same [`Action`] with the same receipts. The
//! leaf index of every receipt in the log is persisted with it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;
use writ_core::envelope::{Enforceability, Phase};
use writ_core::{
    Approval, Decision, Deployment, Envelope, GuardInput, PolicyPack, Route, Runtime, SessionState,
    StepRecord, detect, normalize,
};
use writ_ledger::Ledger;
use writ_lifecycle::release_nonce::Nonce;
use writ_lifecycle::{
    Action, CertifiedAction, Check, Closure, Context, GrantBody, LifecycleError, Outcome, Recorder,
    Signer, sign_release,
};
use writ_proof::{ReleaseClaims, SignedReceipt};
use writ_store::SessionTables;

use crate::Mode;
use crate::db;

mod calls;
pub use calls::Answer;
mod live;
use crate::error::Problem;
use crate::tokens::{self, Principal, Role};

/// Where an action is, as the API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for approval.
    Pending,
    /// Released: the agent may run it.
    Released,
    /// Routed to block.
    Blocked,
    /// Routed to simulate_first: dry-run, then guard again.
    NeedsSimulation,
    /// An approver denied it.
    Denied,
    /// Its outcome is recorded.
    Closed,
    /// Nobody reviewed it in time.
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Released => "released",
            Status::Blocked => "blocked",
            Status::NeedsSimulation => "needs_simulation",
            Status::Denied => "denied",
            Status::Closed => "closed",
            Status::Expired => "expired",
        }
    }
}

/// A lifecycle step after guard, as persisted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Open,
    Request {
        jurisdiction: String,
    },
    Assumption {
        kind: String,
        value: Value,
    },
    Grant {
        receipt: SignedReceipt,
        now: String,
    },
    Deny {
        receipt: SignedReceipt,
        now: String,
    },
    Release {
        now: String,
        ttl: i64,
        nonce: String,
    },
    Outcome {
        closure: Closure,
        result: Value,
        evidence: Vec<Value>,
        checks: Vec<CheckInput>,
    },
}

/// An expectation checked against an observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CheckInput {
    FileDigest {
        path: String,
        expected: String,
        #[serde(default)]
        observed: Option<String>,
    },
    HttpStatus {
        url: String,
        expected: u16,
        #[serde(default)]
        observed: Option<u16>,
    },
    RemoteRef {
        reference: String,
        expected: String,
        #[serde(default)]
        observed: Option<String>,
    },
    ToolError {
        tool: String,
        expected: bool,
        #[serde(default)]
        observed: Option<bool>,
    },
}

impl CheckInput {
    fn check(&self) -> Check {
        match self.clone() {
            CheckInput::FileDigest {
                path,
                expected,
                observed,
            } => Check::FileDigest {
                path,
                expected,
                observed,
            },
            CheckInput::HttpStatus {
                url,
                expected,
                observed,
            } => Check::HttpStatus {
                url,
                expected,
                observed,
            },
            CheckInput::RemoteRef {
                reference,
                expected,
                observed,
            } => Check::RemoteRef {
                reference,
                expected,
                observed,
            },
            CheckInput::ToolError {
                tool,
                expected,
                observed,
            } => Check::ToolError {
                tool,
                expected,
                observed,
            },
        }
    }
}

/// What a decision read besides the context.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GuardRecord {
    pub envelope: Envelope,
    pub session: SessionState,
    pub now: String,
    pub agent: String,
    pub user: Option<String>,
}

/// An approver's grant or denial, with the comment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Review {
    pub by: String,
    pub decision: String,
    pub jurisdictions: Vec<String>,
    pub comment: String,
    pub at: String,
}

/// What a guard did to an action, for its spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// A new action was opened.
    Opened,
    /// The retry of an approved call used that action.
    Claimed,
    /// A post event closed its call's action.
    Closed,
}

/// The answer of `POST /v1/guard`, and what it touched.
#[derive(Debug)]
pub struct GuardAnswer {
    /// The response body.
    pub out: Answer,
    pub decision: Decision,
    /// When the engine had decided (the guard checkpoint's end).
    pub decided_at: std::time::SystemTime,
    /// The action the guard opened (only with telemetry on), claimed or
    /// closed.
    pub touched: Option<(Touch, Record)>,
    /// Claims of the release the guard made, whose token the caller signs
    /// into `out` ([`GuardAnswer::sign_release`]); the core thread does
    /// not spend its time on the signature.
    pub release: Option<ReleaseClaims>,
}

impl GuardAnswer {
    /// Puts the release token of the guard's release into `out`.
    pub fn sign_release(&mut self, signer: &Signer) -> Result<(), Problem> {
        if let Some(claims) = &self.release {
            let token = sign_release(claims, signer).map_err(unsigned)?;
            self.out.set("release_token", Value::String(token));
        }
        Ok(())
    }
}

/// The persisted form of one action.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub created_at: String,
    pub session: Option<String>,
    /// Name of the principal that guarded it.
    pub principal: String,
    pub ctx: String,
    pub mode: Mode,
    pub status: Status,
    pub input: GuardRecord,
    /// The decision, as `writ guard` prints it (shared with the live
    /// action's certificate, which records the same JSON).
    pub decision: Arc<Value>,
    pub required: Vec<String>,
    pub steps: Vec<Step>,
    pub leaves: Vec<Option<u64>>,
    pub certificate_leaf: Option<u64>,
    /// `sha256:` of the certificate's log entry (its DSSE envelope, canonical).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_digest: Option<String>,
    /// W3C `traceparent` of the guard's span: later checkpoints join its trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
    pub reviews: Vec<Review>,
    /// The release token, as servers stored it before they kept
    /// `release_claims` instead (see [`Record::release_token`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_token: Option<String>,
    /// Claims of the action's release; its token is them signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_claims: Option<ReleaseClaims>,
    /// Outcome of an action that ran without a release (shadow or advisory mode).
    pub unreleased_outcome: Option<Value>,
    /// Call id of the retry that used this approved action (an approval serves one call).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_call: Option<String>,
}

impl Record {
    pub fn route(&self) -> Route {
        self.decision
            .get("route")
            .and_then(Value::as_str)
            .and_then(Route::parse)
            .unwrap_or(Route::Block)
    }

    /// What the caller must do now, given the deployment mode.
    pub fn enforced_route(&self) -> &'static str {
        let route = self.route();
        let approved = self.steps.iter().any(|s| matches!(s, Step::Grant { .. }));
        let enforced = match (self.status, route) {
            (_, r) if r.releases() => r.as_str(),
            (Status::Released, _) | (Status::Closed, _) if approved => "allow",
            (Status::Denied, _) | (Status::Expired, _) => "block",
            (_, r) => r.as_str(),
        };
        match self.mode {
            Mode::Enforce => enforced,
            Mode::Shadow => "allow",
            Mode::Advisory if enforced == "allow" => "allow",
            Mode::Advisory => "warn",
        }
    }

    /// The release token: the stored one, or the release's claims signed
    /// by `signer` (the same token each time: Ed25519 is deterministic).
    pub fn release_token(&self, signer: &Signer) -> Result<Option<String>, Problem> {
        if let Some(token) = &self.release_token {
            return Ok(Some(token.clone()));
        }
        self.release_claims
            .as_ref()
            .map(|claims| sign_release(claims, signer).map_err(unsigned))
            .transpose()
    }

    /// The API view as JSON. With a signer it holds the release token.
    pub fn view(&self, signer: Option<&Signer>) -> Result<Value, Problem> {
        Ok(json!(self.action_view(signer)?))
    }

    /// The fields of [`Record::view`] (with the release token) that a
    /// guard's answer carries beside its decision, built without the rest
    /// of the view (its copies of the decision and the arguments). Without
    /// a signer the token of `release_claims` is left for the caller to
    /// sign ([`GuardAnswer::release`]).
    pub fn headline(&self, signer: Option<&Signer>) -> Result<[(&'static str, Value); 9], Problem> {
        let token = match signer {
            Some(signer) => self.release_token(signer)?,
            None => self.release_token.clone(),
        };
        let enforced = self.enforced_route();
        Ok([
            ("action_id", Value::String(self.id.clone())),
            ("status", json!(self.status)),
            ("decided", Value::Bool(self.decided())),
            ("enforced_route", Value::from(enforced)),
            ("released", Value::Bool(releases(enforced))),
            ("mode", json!(self.mode)),
            ("session_id", json!(self.session)),
            ("required_jurisdictions", json!(self.required)),
            ("release_token", json!(token)),
        ])
    }

    /// Whether the action is decided (no approval pending).
    fn decided(&self) -> bool {
        self.status != Status::Pending
    }

    /// The API view. With a signer it holds the release token.
    pub fn action_view(&self, signer: Option<&Signer>) -> Result<ActionView, Problem> {
        let enforced = self.enforced_route();
        let release_token = match signer {
            Some(signer) => self.release_token(signer)?,
            None => None,
        };
        Ok(ActionView {
            action_id: self.id.clone(),
            status: self.status,
            decided: self.decided(),
            route: self.route().as_str(),
            enforced_route: enforced,
            released: releases(enforced),
            mode: self.mode,
            tool: self.input.envelope.tool.clone(),
            summary: crate::words::what(&self.input.envelope.tool, &self.input.envelope.arguments)
                .text(&self.principal),
            runtime: self.input.envelope.runtime.as_str(),
            session_id: self.session.clone(),
            principal: self.principal.clone(),
            user: self.input.user.clone(),
            created_at: self.created_at.clone(),
            reasons: self.decision.get("reasons").cloned().unwrap_or(Value::Null),
            required_jurisdictions: self.required.clone(),
            reviews: self.reviews.clone(),
            release_token,
            certified: self.certificate_leaf.is_some(),
            certificate_leaf: self.certificate_leaf,
            certificate_digest: self.certificate_digest.clone(),
            receipts: self.leaves.len(),
            arguments: self.input.envelope.arguments.clone(),
            decision: (*self.decision).clone(),
        })
    }
}

/// Whether an enforced route lets the call run.
fn releases(enforced: &str) -> bool {
    enforced == "allow" || enforced == "warn"
}

/// One action as the API shows it (`GET /v1/actions/{id}` and the answers
/// of every later checkpoint).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionView {
    /// `act_` and hex digits.
    #[schema(example = "act_3f2a9c0d")]
    pub action_id: String,
    pub status: Status,
    /// False while the action waits for review.
    pub decided: bool,
    /// The policy's route: `allow`, `warn`, `simulate_first`, `require_approval` or `block`.
    #[schema(value_type = String, example = "require_approval")]
    pub route: &'static str,
    /// What the caller must do now, given reviews and the deployment mode.
    #[schema(value_type = String, example = "allow")]
    pub enforced_route: &'static str,
    /// True when the agent may run the action now.
    pub released: bool,
    pub mode: Mode,
    /// The normalised tool name, e.g. `Bash` or `gmail/send_message`.
    pub tool: String,
    /// What it does, in plain words.
    #[schema(
        example = "build-bot wants to use `gmail/send_message` to send to `someone@example.net`"
    )]
    pub summary: String,
    #[schema(value_type = String, example = "mcp")]
    pub runtime: &'static str,
    pub session_id: Option<String>,
    /// The agent that guarded it.
    pub principal: String,
    /// The user on whose behalf the agent acts.
    pub user: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// Reason codes of the fired rules, strongest first.
    #[schema(value_type = Vec<String>)]
    pub reasons: Value,
    /// Jurisdictions an approver must hold to review it.
    pub required_jurisdictions: Vec<String>,
    pub reviews: Vec<Review>,
    /// The release token (only for the agent that guarded it, or an admin).
    pub release_token: Option<String>,
    /// True once its certificate is in the log.
    pub certified: bool,
    pub certificate_leaf: Option<u64>,
    /// `sha256:` of the certificate's log entry, once certified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_digest: Option<String>,
    /// Receipts recorded so far.
    pub receipts: usize,
    /// The tool call's arguments.
    #[schema(value_type = Object)]
    pub arguments: Value,
    /// The whole decision, as `writ guard` prints it (facts, fired rules, policy digest).
    #[schema(value_type = Object)]
    pub decision: Value,
}

/// Body of `POST /v1/guard`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardRequest {
    /// A runtime name (`claude-code`, `codex`, `mcp`, `openai-agents`, `http`, `otel`, `envelope`); detected when absent.
    #[serde(default)]
    pub runtime: Option<String>,
    /// The runtime's native event (hook JSON, MCP `tools/call`, ...), or an envelope.
    #[schema(value_type = Object)]
    pub event: Value,
    /// The agent session (1 to 256 characters); else the event's own.
    #[serde(default)]
    pub session_id: Option<String>,
    /// The user on whose behalf the agent acts.
    #[serde(default)]
    pub user: Option<String>,
}

/// Body of `POST /v1/actions/{id}/assumptions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssumptionRequest {
    /// What is assumed, e.g. `target_exists`.
    pub kind: String,
    /// Any JSON value.
    #[schema(value_type = Object)]
    pub value: Value,
}

/// `grant` or `deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Grant,
    Deny,
}

/// Body of `POST /v1/actions/{id}/approvals`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub decision: Verdict,
    /// Why (kept with the review, at most 4000 characters).
    #[serde(default)]
    pub comment: String,
}

/// Body of `POST /v1/actions/{id}/outcome`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// `completed`, `failed` or `not_run`.
    #[schema(value_type = String, example = "completed")]
    pub closure: Closure,
    /// What the tool returned (any JSON).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub result: Value,
    /// Evidence of what happened (any JSON values).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub evidence: Vec<Value>,
    /// The tool's output text (folded into the session: labels, untrusted text).
    #[serde(default)]
    pub output: Option<String>,
    #[serde(default)]
    pub checks: Vec<CheckInput>,
}

struct Live {
    action: Action,
    record: Record,
    certified: Option<CertifiedAction>,
}

/// Longest comment kept with a review.
const MAX_COMMENT: usize = 4000;
/// Live actions kept in memory (older ones rebuild from the database).
const MAX_LIVE: usize = 4096;

/// Settings of the core.
#[derive(Debug, Clone)]
pub struct CoreConfig {
    pub mode: Mode,
    pub release_ttl: i64,
    pub grant_ttl: i64,
    /// Seconds a pending action waits for review before it expires.
    pub approval_timeout: i64,
}

pub struct Core {
    pub config: CoreConfig,
    base: Deployment,
    policy: PolicyPack,
    policy_version: String,
    signer: Signer,
    contexts: HashMap<String, Arc<Context>>,
    current: Option<(BTreeMap<String, Vec<String>>, String)>,
    /// The proof log, whose database also holds the server's tables
    /// (`db`) and the session tables: one transaction and one WAL for all.
    recorder: Recorder,
    live: live::LiveCache<Live>,
}

fn rfc(t: OffsetDateTime) -> Result<String, Problem> {
    t.format(&Rfc3339).map_err(|e| {
        Problem::internal(format!(
            "the system clock reads a time RFC 3339 cannot write: {e}"
        ))
    })
}

fn lifecycle(e: LifecycleError) -> Problem {
    Problem::conflict("lifecycle", e.to_string())
}

/// A release whose claims could not be signed (never expected: the
/// lifecycle refused bad claims before releasing).
fn unsigned(e: LifecycleError) -> Problem {
    Problem::internal(format!("cannot sign the release token: {e}"))
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, Problem> {
    serde_json::to_value(value).map_err(|e| Problem::internal(format!("cannot serialise: {e}")))
}

fn to_text<T: Serialize>(value: &T) -> Result<String, Problem> {
    serde_json::to_string(value).map_err(|e| Problem::internal(format!("cannot serialise: {e}")))
}

fn parse_time(text: &str) -> Result<OffsetDateTime, LifecycleError> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| LifecycleError::Time(format!("`{text}`: {e}")))
}

/// Applies one step to an action; a release returns its claims, which
/// [`Record::release_token`] signs.
fn apply(
    action: &mut Action,
    step: &Step,
    ctx: &Context,
) -> Result<Option<ReleaseClaims>, LifecycleError> {
    match step {
        Step::Open => {
            action.open()?;
        }
        Step::Request { jurisdiction } => action.request_approval(jurisdiction)?,
        Step::Assumption { kind, value } => action.record_assumption(kind, value.clone())?,
        Step::Grant { receipt, now } => {
            action.grant(ctx, receipt.clone(), parse_time(now)?, &mut BTreeSet::new())?
        }
        Step::Deny { receipt, now } => action.deny(ctx, receipt.clone(), parse_time(now)?)?,
        Step::Release { now, ttl, nonce } => {
            let nonce: Nonce = nonce.parse().map_err(|_| LifecycleError::Serialize {
                what: "nonce",
                reason: format!("`{nonce}` is not a nonce"),
            })?;
            return Ok(Some(action.release_unsigned(
                ctx,
                parse_time(now)?,
                *ttl,
                nonce,
            )?));
        }
        Step::Outcome {
            closure,
            result,
            evidence,
            checks,
        } => {
            action.outcome(Outcome {
                closure: *closure,
                result: result.clone(),
                evidence: evidence.clone(),
                checks: checks.iter().map(CheckInput::check).collect(),
            })?;
        }
    }
    Ok(None)
}

/// Reads one certified action back from the log (a scan: the lifecycle
/// crate has no reader for a single certificate).
/// `sha256:` of a certificate's log entry.
fn certificate_digest(certified: &CertifiedAction) -> Result<String, Problem> {
    let leaf = writ_lifecycle::recorder::certificate_leaf(&certified.envelope)
        .map_err(|e| Problem::internal(format!("cannot encode the certificate: {e}")))?;
    Ok(format!("sha256:{}", hex::encode(Sha256::digest(&leaf))))
}

fn load_certified(ledger: &Ledger, index: u64) -> Result<CertifiedAction, Problem> {
    writ_lifecycle::certified_actions(ledger)?
        .into_iter()
        .find(|c| c.certificate_leaf == index)
        .ok_or_else(|| Problem::internal(format!("no certificate at log leaf {index}")))
}

/// Notes, in `leaves`, where the receipts at `positions` landed in the log
/// (the recorder set their leaves on the action when it appended them).
fn locate(
    action: &Action,
    positions: &[usize],
    leaves: &mut Vec<Option<u64>>,
) -> Result<(), Problem> {
    leaves.resize(action.receipts().len(), None);
    for &position in positions {
        let leaf = action
            .leaves()
            .get(position)
            .copied()
            .flatten()
            .ok_or_else(|| Problem::internal("a logged receipt has no leaf in the log"))?;
        if let Some(slot) = leaves.get_mut(position) {
            *slot = Some(leaf);
        }
    }
    Ok(())
}

impl Core {
    pub fn new(
        config: CoreConfig,
        base: Deployment,
        policy: PolicyPack,
        signer: Signer,
        recorder: Recorder,
    ) -> Core {
        let policy_version = format!(
            "sha256:{}",
            policy
                .digest
                .trim_start_matches("sha256:")
                .get(..16)
                .unwrap_or_default()
        );
        Core {
            config,
            base,
            policy,
            policy_version,
            signer,
            contexts: HashMap::new(),
            current: None,
            recorder,
            live: live::LiveCache::new(MAX_LIVE),
        }
    }

    /// The server's database: the proof log's connection, which also holds
    /// the server's tables (`db`) and the session tables.
    fn db(&self) -> &Connection {
        self.recorder.ledger().connection()
    }

    /// The session tables, in the server's database.
    fn sessions(&self) -> SessionTables<'_> {
        SessionTables::on(self.db())
    }

    /// Commits stop checkpointing the WAL; once it has `pages` pages,
    /// [`Core::checkpoint_due`] has a checkpoint thread copy them while the
    /// core goes on, and at twice that copies what is left itself (so the
    /// WAL starts over), after a batch's answers are on their way rather
    /// than inside its commit (see [`writ_sqlite::DeferredCheckpoint`]).
    pub fn defer_checkpoints(&mut self, pages: u32) -> Result<(), Problem> {
        self.recorder
            .ledger_mut()
            .defer_checkpoints(pages)
            .map_err(|e| Problem::internal(format!("database: {e}")))
    }

    /// Starts or runs the WAL's checkpoint if it is due. A checkpoint that
    /// fails loses nothing (the WAL keeps the frames), so it is reported,
    /// not fatal.
    pub fn checkpoint_due(&mut self) {
        if let Err(e) = self.recorder.ledger().checkpoint_if_due() {
            eprintln!("writ serve: database checkpoint failed: {e}");
        }
    }

    /// Opens a batch: every change of the requests run until
    /// [`Core::commit_batch`] joins one transaction, receipts, action
    /// records and sessions alike.
    pub fn begin_batch(&mut self) -> Result<(), Problem> {
        self.recorder
            .ledger()
            .begin_batch()
            .map_err(|e| Problem::internal(format!("database: {e}")))
    }

    /// Commits the open batch: its receipts, action records and session
    /// changes land together or not at all.
    pub fn commit_batch(&mut self) -> Result<(), Problem> {
        self.recorder
            .ledger()
            .commit_batch()
            .map_err(|e| Problem::internal(format!("database: {e}")))
    }

    /// Rolls back whatever of the batch is still open and forgets what is
    /// held in memory (live actions and contexts may cite what was rolled
    /// back; they are read again from the database).
    pub fn rollback_batch(&mut self) {
        let _ = self.recorder.ledger_mut().rollback_batch();
        self.live.clear();
        self.contexts.clear();
        self.current = None;
    }

    pub fn ledger_size(&self) -> u64 {
        self.recorder.ledger().size()
    }

    pub fn pending_count(&mut self) -> Result<i64, Problem> {
        self.expire()?;
        Ok(db::count_status(self.db(), Status::Pending.as_str())?)
    }

    /// A signed checkpoint of the whole log.
    pub fn checkpoint(&self) -> Result<String, Problem> {
        let pair = self.signer.pair();
        self.recorder
            .ledger()
            .checkpoint(pair.name())
            .sign(pair)
            .map_err(|e| Problem::internal(format!("cannot sign checkpoint: {e}")))
    }

    /// The log's public key (what `writ verify --key` wants).
    pub fn vkey(&self) -> String {
        self.signer.pair().vkey()
    }

    fn approver_keys(&self) -> Vec<(String, writ_proof::VerifyingKey)> {
        vec![(self.signer.keyid().to_owned(), self.signer.verifying_key())]
    }

    /// The context for the approvers the tokens name now (built and stored on change).
    fn current_context(&mut self) -> Result<Arc<Context>, Problem> {
        let approvers = tokens::approvers(self.db())?;
        if let Some((known, id)) = &self.current
            && *known == approvers
            && let Some(ctx) = self.contexts.get(id)
        {
            return Ok(ctx.clone());
        }
        let mut deployment = self.base.clone();
        let mut merged = deployment.approvers.clone().unwrap_or_default();
        for (j, names) in &approvers {
            let list = merged.entry(j.clone()).or_default();
            for n in names {
                if !list.iter().any(|x| x.eq_ignore_ascii_case(n)) {
                    list.push(n.clone());
                }
            }
        }
        deployment.approvers = Some(merged);
        let deployment_text = to_text(&deployment)?;
        let policy_text = to_text(&self.policy.sources)?;
        let id = format!(
            "ctx_{}",
            hex::encode(Sha256::digest(
                format!("{deployment_text}\n{}", self.policy.digest).as_bytes()
            ))
            .get(..32)
            .unwrap_or_default()
        );
        let ctx = match self.contexts.get(&id) {
            Some(ctx) => ctx.clone(),
            None => {
                let ctx = Context::new(
                    &deployment,
                    self.policy.clone(),
                    self.policy_version.clone(),
                    self.approver_keys(),
                )
                .map_err(|e| Problem::internal(format!("context: {e}")))?;
                db::put_context(
                    self.db(),
                    &id,
                    &deployment_text,
                    &policy_text,
                    &self.policy_version,
                )?;
                let ctx = Arc::new(ctx);
                self.contexts.insert(id.clone(), ctx.clone());
                ctx
            }
        };
        self.current = Some((approvers, id));
        Ok(ctx)
    }

    fn context(&mut self, id: &str) -> Result<Arc<Context>, Problem> {
        if let Some(ctx) = self.contexts.get(id) {
            return Ok(ctx.clone());
        }
        let (deployment, policy, version) = db::context(self.db(), id)?
            .ok_or_else(|| Problem::internal(format!("context `{id}` is not stored")))?;
        let deployment: Deployment = serde_json::from_str(&deployment)
            .map_err(|e| Problem::internal(format!("stored context `{id}`: {e}")))?;
        let sources: Vec<(String, String)> = serde_json::from_str(&policy)
            .map_err(|e| Problem::internal(format!("stored context `{id}`: {e}")))?;
        let policy = PolicyPack::load(sources)
            .map_err(|e| Problem::internal(format!("stored context `{id}`: {e}")))?;
        let ctx = Arc::new(
            Context::new(&deployment, policy, version, self.approver_keys())
                .map_err(|e| Problem::internal(format!("stored context `{id}`: {e}")))?,
        );
        self.contexts.insert(id.to_owned(), ctx.clone());
        Ok(ctx)
    }

    fn guard_input<'a>(record: &'a GuardRecord, now: OffsetDateTime) -> GuardInput<'a> {
        GuardInput {
            envelope: &record.envelope,
            session: &record.session,
            approvals: &[],
            now,
            agent: &record.agent,
            user: record.user.as_deref(),
        }
    }

    /// Rebuilds an action from its record.
    fn rebuild(&mut self, record: Record) -> Result<Live, Problem> {
        let ctx = self.context(&record.ctx)?;
        let now = parse_time(&record.input.now).map_err(|e| Problem::internal(e.to_string()))?;
        let mut action = Action::guard(&ctx, Core::guard_input(&record.input, now))
            .map_err(|e| Problem::internal(format!("rebuilding {}: {e}", record.id)))?;
        if action.id() != record.id {
            return Err(Problem::internal(format!(
                "rebuilding {} gave action {}",
                record.id,
                action.id()
            )));
        }
        for step in &record.steps {
            apply(&mut action, step, &ctx)
                .map_err(|e| Problem::internal(format!("rebuilding {}: {e}", record.id)))?;
        }
        // A leaf counts only if the log holds exactly this receipt there: a
        // receipt logged in an older format is logged again at the next step.
        let ledger = self.recorder.ledger();
        for (position, leaf) in record.leaves.iter().enumerate() {
            let (Some(leaf), Some(receipt)) = (leaf, action.receipts().get(position)) else {
                continue;
            };
            let bytes = writ_lifecycle::recorder::receipt_leaf(receipt)
                .map_err(|e| Problem::internal(format!("rebuilding {}: {e}", record.id)))?;
            if ledger.leaf(*leaf).ok().as_deref() == Some(bytes.as_slice()) {
                action.set_leaf(position, *leaf);
            }
        }
        let certified = match record.certificate_leaf {
            Some(index) => Some(load_certified(self.recorder.ledger(), index)?),
            None => None,
        };
        Ok(Live {
            action,
            record,
            certified,
        })
    }

    fn record(&self, id: &str) -> Result<Record, Problem> {
        if let Some(live) = self.live.get(id) {
            return Ok(live.record.clone());
        }
        let text = db::action(self.db(), id)?
            .ok_or_else(|| Problem::not_found(format!("no action `{id}`")))?;
        serde_json::from_str(&text)
            .map_err(|e| Problem::internal(format!("stored action `{id}`: {e}")))
    }

    fn take_live(&mut self, id: &str) -> Result<Live, Problem> {
        if let Some(live) = self.live.remove(id) {
            return Ok(live);
        }
        let record = self.record(id)?;
        self.rebuild(record)
    }

    fn put_live(&mut self, live: Live) {
        if live.record.status == Status::Closed {
            return;
        }
        self.live.insert(live.record.id.clone(), live);
    }

    /// Appends the action's unlogged receipts to the log and notes their leaves.
    fn log(&mut self, action: &mut Action, record: &mut Record) -> Result<(), Problem> {
        let positions: Vec<usize> = action.unlogged().map(|(i, _)| i).collect();
        self.recorder.log(&mut [&mut *action])?;
        locate(action, &positions, &mut record.leaves)
    }

    fn save(&self, record: &Record) -> Result<(), Problem> {
        db::update_action(
            self.db(),
            &record.id,
            record.status.as_str(),
            &to_text(record)?,
        )?;
        Ok(())
    }

    /// Marks pending actions older than the approval timeout as expired.
    pub fn expire(&mut self) -> Result<usize, Problem> {
        let cutoff = OffsetDateTime::now_utc() - Duration::seconds(self.config.approval_timeout);
        let mut expired = 0;
        for mut record in self.records(db::actions_with_status(
            self.db(),
            Status::Pending.as_str(),
            10_000,
        )?)? {
            let created =
                parse_time(&record.created_at).map_err(|e| Problem::internal(e.to_string()))?;
            if created >= cutoff {
                continue;
            }
            record.status = Status::Expired;
            self.save(&record)?;
            if let Some(live) = self.live.get_mut(&record.id) {
                live.record.status = Status::Expired;
            }
            expired += 1;
        }
        Ok(expired)
    }

    fn owner_or_admin(p: &Principal, record: &Record) -> Result<(), Problem> {
        if p.role == Role::Admin || (p.role == Role::Agent && p.name == record.principal) {
            return Ok(());
        }
        Err(Problem::forbidden(
            "not_owner",
            format!("`{}` did not guard action {}", p.name, record.id),
        ))
    }

    /// `POST /v1/guard`. `trace` is the `traceparent` of the guard's span
    /// when telemetry is on; only then does the answer carry a copy of the
    /// action it opened (for the spans).
    pub fn guard(
        &mut self,
        p: &Principal,
        req: GuardRequest,
        trace: Option<String>,
    ) -> Result<GuardAnswer, Problem> {
        let spans = trace.is_some();
        let runtime = match &req.runtime {
            Some(name) => Runtime::parse(name).ok_or_else(|| {
                Problem::bad_request(format!(
                    "unknown runtime `{name}`; one of: {}",
                    Runtime::ALL.map(Runtime::as_str).join(", ")
                ))
            })?,
            None => detect(&req.event).map_err(|e| Problem::bad_request(e.to_string()))?,
        };
        let envelope =
            normalize(runtime, &req.event).map_err(|e| Problem::bad_request(e.to_string()))?;
        let session = req
            .session_id
            .clone()
            .or_else(|| envelope.session_id.clone());
        if session
            .as_ref()
            .is_some_and(|s| s.is_empty() || s.len() > 256)
        {
            return Err(Problem::bad_request(
                "`session_id` must be 1 to 256 characters",
            ));
        }
        let now = OffsetDateTime::now_utc();
        let ctx = self.current_context()?;
        let state = match &session {
            Some(s) => self.sessions().session(s)?,
            None => SessionState::default(),
        };
        let input = GuardRecord {
            envelope,
            session: state,
            now: rfc(now)?,
            agent: p.name.clone(),
            user: req.user.clone(),
        };
        let decision = ctx.engine.guard(Core::guard_input(&input, now));
        let decided_at = std::time::SystemTime::now();
        if input.envelope.phase != Phase::Post
            && decision.route == Route::RequireApproval
            && let Some(s) = &session
            && let Some(approved) = self.claim_approved(p, s, &input.envelope)?
        {
            // The retry of a call a reviewer approved: it uses that action
            // (whose record holds the decision; the session changes when
            // the call closes).
            let mut out = Answer::new(Arc::new(to_json(&decision)?));
            out.merge_view(&approved, Some(&self.signer))?;
            return Ok(GuardAnswer {
                out,
                decision,
                decided_at,
                touched: Some((Touch::Claimed, approved)),
                release: None,
            });
        }
        if input.envelope.phase == Phase::Post {
            // Closes its call, as a hook's post event does (Gate::handle):
            // the released action guarded for this call gets its outcome
            // and certificate; without one, the session step is closed.
            let mut out = Answer::new(Arc::new(to_json(&decision)?));
            let mut touched = None;
            let released = match &session {
                Some(s) => self.released_for_call(p, s, &input.envelope)?,
                None => None,
            };
            if let Some(record) = released {
                let closed = self.outcome(
                    p,
                    &record.id,
                    OutcomeRequest {
                        closure: Closure::Completed,
                        result: json!({}),
                        evidence: Vec::new(),
                        output: input.envelope.output.clone(),
                        checks: Vec::new(),
                    },
                )?;
                out.merge_view(&closed, Some(&self.signer))?;
                out.set("certified", json!(closed.certificate_leaf.is_some()));
                touched = Some((Touch::Closed, closed));
            } else if let Some(s) = &session {
                let mut step =
                    ctx.engine
                        .step_record(&decision, true, input.envelope.output.as_deref());
                step.blocked = false;
                step.approvals_used.clear();
                self.sessions().record_step(s, &step)?;
            }
            out.set("closed", Value::Bool(true));
            out.set("mode", json!(self.config.mode.as_str()));
            return Ok(GuardAnswer {
                out,
                decision,
                decided_at,
                touched,
                release: None,
            });
        }
        // Decided once, above: the action records that decision.
        let mut action = Action::from_decision(&ctx, Core::guard_input(&input, now), &decision)
            .map_err(|e| Problem::internal(e.to_string()))?;
        // The record and the answer share the action's decision JSON.
        let decision_json = action.decision_json().clone();
        let mut out = Answer::new(Arc::clone(&decision_json));
        let mut steps = vec![Step::Open];
        apply(&mut action, &Step::Open, &ctx).map_err(lifecycle)?;
        let required = action.required_jurisdictions().to_vec();
        let mut release = None;
        let status = match decision.route {
            Route::Allow | Route::Warn => {
                let step = Step::Release {
                    now: rfc(now)?,
                    ttl: self.config.release_ttl,
                    nonce: Nonce::random().to_string(),
                };
                release = apply(&mut action, &step, &ctx).map_err(lifecycle)?;
                steps.push(step);
                Status::Released
            }
            Route::RequireApproval => {
                for j in &required {
                    let step = Step::Request {
                        jurisdiction: j.clone(),
                    };
                    apply(&mut action, &step, &ctx).map_err(lifecycle)?;
                    steps.push(step);
                }
                Status::Pending
            }
            Route::Block => Status::Blocked,
            Route::SimulateFirst => Status::NeedsSimulation,
        };
        if let Some(s) = &session
            && decision.route == Route::Block
        {
            // As Gate::before: a block is recorded in the session at once.
            self.sessions().record_step(
                s,
                &StepRecord {
                    blocked: true,
                    ran: false,
                    ..StepRecord::default()
                },
            )?;
        }
        let ctx_id = self
            .current
            .as_ref()
            .map(|(_, id)| id.clone())
            .unwrap_or_default();
        let mut record = Record {
            id: action.id().to_owned(),
            created_at: input.now.clone(),
            session: session.clone(),
            principal: p.name.clone(),
            ctx: ctx_id,
            mode: self.config.mode,
            status,
            input,
            decision: decision_json,
            required,
            steps,
            leaves: Vec::new(),
            certificate_leaf: None,
            certificate_digest: None,
            trace,
            reviews: Vec::new(),
            release_token: None,
            release_claims: release.clone(),
            unreleased_outcome: None,
            claimed_call: None,
        };
        self.log(&mut action, &mut record)?;
        db::insert_action(
            self.db(),
            &record.id,
            record.status.as_str(),
            record.session.as_deref(),
            &record.principal,
            &record.created_at,
            &to_text(&record)?,
        )?;
        // The token of the release is signed by the caller, off this thread.
        out.merge_view(&record, None)?;
        let opened = spans.then(|| (Touch::Opened, record.clone()));
        self.put_live(Live {
            action,
            record,
            certified: None,
        });
        Ok(GuardAnswer {
            out,
            decision,
            decided_at,
            touched: opened,
            release,
        })
    }

    /// `GET /v1/actions/{id}`.
    pub fn view(&mut self, p: &Principal, id: &str) -> Result<Record, Problem> {
        self.expire()?;
        let record = self.record(id)?;
        if p.role == Role::Agent && p.name != record.principal {
            return Err(Problem::forbidden(
                "not_owner",
                format!("`{}` did not guard action {id}", p.name),
            ));
        }
        Ok(record)
    }

    /// `POST /v1/actions/{id}/assumptions`.
    pub fn assumption(
        &mut self,
        p: &Principal,
        id: &str,
        req: AssumptionRequest,
    ) -> Result<Record, Problem> {
        if req.kind.is_empty() || req.kind.len() > 128 {
            return Err(Problem::bad_request("`kind` must be 1 to 128 characters"));
        }
        let record = self.record(id)?;
        Core::owner_or_admin(p, &record)?;
        let step = Step::Assumption {
            kind: req.kind,
            value: req.value,
        };
        self.mutate(id, |_, live, ctx| {
            apply(&mut live.action, &step, ctx).map_err(lifecycle)?;
            live.record.steps.push(step);
            Ok(())
        })
    }

    /// Applies `change` to a copy of the live action; on success logs,
    /// persists and keeps it.
    fn mutate(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut Core, &mut Live, &Context) -> Result<(), Problem>,
    ) -> Result<Record, Problem> {
        let original = self.take_live(id)?;
        let ctx = self.context(&original.record.ctx)?;
        let mut live = Live {
            action: original.action.clone(),
            record: original.record.clone(),
            certified: original.certified.clone(),
        };
        match change(self, &mut live, &ctx) {
            Ok(()) => {}
            Err(e) => {
                self.put_live(original);
                return Err(e);
            }
        }
        let Live {
            mut action,
            mut record,
            certified,
        } = live;
        // On failure the log may hold receipts the record does not list; the
        // live copy is dropped and rebuilt from the database next time.
        self.log(&mut action, &mut record)
            .and_then(|()| self.save(&record))?;
        let out = record.clone();
        self.put_live(Live {
            action,
            record,
            certified,
        });
        Ok(out)
    }

    /// `POST /v1/actions/{id}/approvals`.
    pub fn review(
        &mut self,
        p: &Principal,
        id: &str,
        req: ReviewRequest,
    ) -> Result<Record, Problem> {
        if !p.role.approves() {
            return Err(Problem::forbidden(
                "not_an_approver",
                format!("a `{}` cannot approve or deny", p.role.as_str()),
            ));
        }
        if req.comment.chars().count() > MAX_COMMENT {
            return Err(Problem::bad_request(format!(
                "`comment` is longer than {MAX_COMMENT} characters"
            )));
        }
        self.expire()?;
        let record = self.record(id)?;
        if record.principal.eq_ignore_ascii_case(&p.name) {
            return Err(Problem::forbidden(
                "self_approval",
                format!("`{}` cannot approve or deny its own action", p.name),
            ));
        }
        if record.status != Status::Pending {
            return Err(Problem::conflict(
                "not_pending",
                format!(
                    "action {id} is {}, not waiting for approval",
                    record.status.as_str()
                ),
            ));
        }
        let jurisdictions: Vec<String> = record
            .required
            .iter()
            .filter(|j| p.jurisdictions.contains(j))
            .cloned()
            .collect();
        if jurisdictions.is_empty() {
            return Err(Problem::forbidden(
                "wrong_jurisdiction",
                format!(
                    "`{}` approves in {:?}; action {id} needs {:?}",
                    p.name, p.jurisdictions, record.required
                ),
            ));
        }
        let ctx = self.context(&record.ctx)?;
        for j in &jurisdictions {
            let listed = ctx
                .engine
                .facts
                .approvers
                .get(j)
                .is_some_and(|l| l.iter().any(|a| a.eq_ignore_ascii_case(&p.name)));
            if !listed {
                return Err(Problem::conflict(
                    "approver_too_new",
                    format!(
                        "`{}` was not an approver in `{j}` when action {id} was decided; guard it again",
                        p.name
                    ),
                ));
            }
        }
        let deny = req.decision == Verdict::Deny;
        let now = OffsetDateTime::now_utc();
        let granted_at = rfc(now)?;
        let expires_at = rfc(now + Duration::seconds(self.config.grant_ttl))?;
        let release_ttl = self.config.release_ttl;
        let approved = self.mutate(id, |core, live, ctx| {
            let mut steps = Vec::new();
            if !req.comment.is_empty() {
                steps.push(Step::Assumption {
                    kind: "review_comment".to_owned(),
                    value: json!({
                        "by": p.name,
                        "decision": if deny { "deny" } else { "grant" },
                        "comment": req.comment,
                    }),
                });
            }
            for j in &jurisdictions {
                let body: GrantBody = live.action.grant_body(&p.name, j, &granted_at, &expires_at);
                let receipt = body.sign(deny, &core.signer).map_err(lifecycle)?;
                steps.push(if deny {
                    Step::Deny {
                        receipt,
                        now: granted_at.clone(),
                    }
                } else {
                    Step::Grant {
                        receipt,
                        now: granted_at.clone(),
                    }
                });
            }
            for step in &steps {
                apply(&mut live.action, step, ctx).map_err(lifecycle)?;
            }
            live.record.steps.extend(steps);
            live.record.reviews.push(Review {
                by: p.name.clone(),
                decision: if deny { "deny" } else { "grant" }.to_owned(),
                jurisdictions: jurisdictions.clone(),
                comment: req.comment.clone(),
                at: granted_at.clone(),
            });
            if deny {
                live.record.status = Status::Denied;
                return Ok(());
            }
            let granted: BTreeSet<&str> = live
                .record
                .reviews
                .iter()
                .filter(|r| r.decision == "grant")
                .flat_map(|r| r.jurisdictions.iter().map(String::as_str))
                .collect();
            if live
                .record
                .required
                .iter()
                .all(|j| granted.contains(j.as_str()))
            {
                let step = Step::Release {
                    now: granted_at.clone(),
                    ttl: release_ttl,
                    nonce: Nonce::random().to_string(),
                };
                let released = apply(&mut live.action, &step, ctx).map_err(lifecycle)?;
                live.record.steps.push(step);
                live.record.release_claims = released;
                live.record.status = Status::Released;
            }
            Ok(())
        })?;
        if approved.status == Status::Released
            && let Some(session) = &approved.session
        {
            // As Gate::before with the approvals: their use is recorded at once.
            let approvals = grants_of(&approved);
            let now = parse_time(&granted_at).map_err(|e| Problem::internal(e.to_string()))?;
            let mut input = Core::guard_input(&approved.input, now);
            input.approvals = &approvals;
            let decision = ctx.engine.guard(input);
            if !decision.approvals_used.is_empty() {
                self.sessions().record_step(
                    session,
                    &StepRecord {
                        approvals_used: decision.approvals_used.clone(),
                        ..StepRecord::default()
                    },
                )?;
            }
        }
        Ok(approved)
    }

    /// `POST /v1/actions/{id}/outcome`: records it, certifies the action and folds it into the session.
    pub fn outcome(
        &mut self,
        p: &Principal,
        id: &str,
        req: OutcomeRequest,
    ) -> Result<Record, Problem> {
        let record = self.record(id)?;
        Core::owner_or_admin(p, &record)?;
        if record.status == Status::Closed {
            return Err(Problem::conflict(
                "closed",
                format!("action {id} already has an outcome"),
            ));
        }
        let observe_only =
            record.input.envelope.family.enforceability() == Enforceability::ObserveOnly;
        let unreleased = req.closure.ran()
            && !observe_only
            && record.status != Status::Released
            && record.mode != Mode::Enforce;
        let ctx = self.context(&record.ctx)?;
        let closed = if unreleased {
            // Shadow and advisory modes let it run; the lifecycle cannot
            // certify a run that was never released, so it stays uncertified.
            self.mutate(id, |_, live, _| {
                live.record.unreleased_outcome = Some(json!({
                    "closure": req.closure.as_str(),
                    "result": req.result,
                    "evidence": req.evidence,
                }));
                live.record.status = Status::Closed;
                Ok(())
            })?
        } else {
            let step = Step::Outcome {
                closure: req.closure,
                result: req.result.clone(),
                evidence: req.evidence.clone(),
                checks: req.checks.clone(),
            };
            let mut live = self.take_live(id)?;
            let mut action = live.action.clone();
            if let Err(e) = apply(&mut action, &step, &ctx) {
                self.put_live(live);
                return Err(lifecycle(e));
            }
            let positions: Vec<usize> = action.unlogged().map(|(i, _)| i).collect();
            let certified = self
                .recorder
                .certify(&mut [&mut action])?
                .into_iter()
                .next()
                .ok_or_else(|| Problem::internal("certification produced nothing"))?;
            let mut record = live.record.clone();
            locate(&action, &positions, &mut record.leaves)?;
            record.steps.push(step);
            record.certificate_leaf = Some(certified.certificate_leaf);
            record.certificate_digest = Some(certificate_digest(&certified)?);
            record.status = Status::Closed;
            self.save(&record)?;
            live.action = action;
            live.record = record.clone();
            live.certified = Some(certified);
            self.put_live(live);
            record
        };
        if let Some(session) = &closed.session {
            let now =
                parse_time(&closed.input.now).map_err(|e| Problem::internal(e.to_string()))?;
            let decision = ctx.engine.guard(Core::guard_input(&closed.input, now));
            let mut step =
                ctx.engine
                    .step_record(&decision, req.closure.ran(), req.output.as_deref());
            step.blocked = false;
            step.approvals_used.clear();
            self.sessions().record_step(session, &step)?;
        }
        Ok(closed)
    }

    /// `GET /v1/actions/{id}/proof`: a proof bundle for one certified action.
    pub fn proof(&mut self, p: &Principal, id: &str) -> Result<Value, Problem> {
        let record = self.view(p, id)?;
        let Some(index) = record.certificate_leaf else {
            return Err(Problem::conflict(
                "not_certified",
                format!(
                    "action {id} is {} and has no certificate yet (it gets one with its outcome)",
                    record.status.as_str()
                ),
            ));
        };
        let certified = match self.live.get(id).and_then(|l| l.certified.clone()) {
            Some(c) => c,
            None => load_certified(self.recorder.ledger(), index)?,
        };
        Ok(self.recorder.bundle(&[certified])?)
    }

    /// Pending actions, oldest first.
    pub fn pending(&mut self, limit: i64) -> Result<Vec<Record>, Problem> {
        self.expire()?;
        self.records(db::actions_with_status(
            self.db(),
            Status::Pending.as_str(),
            limit,
        )?)
    }

    /// A session's latest actions, newest first.
    pub fn session_actions(&self, session: &str, limit: i64) -> Result<Vec<Record>, Problem> {
        self.records(db::session_actions(self.db(), session, limit)?)
    }

    fn records(&self, texts: Vec<String>) -> Result<Vec<Record>, Problem> {
        texts
            .iter()
            .map(|t| {
                serde_json::from_str(t)
                    .map_err(|e| Problem::internal(format!("stored action: {e}")))
            })
            .collect()
    }
}

/// The writ-core approvals the grants of a record amount to.
fn grants_of(record: &Record) -> Vec<Approval> {
    record
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Grant { receipt, .. } => {
                serde_json::from_value::<GrantBody>(receipt.receipt.body.clone()).ok()
            }
            _ => None,
        })
        .map(|g| Approval {
            approver: g.approver,
            tool: record.input.envelope.tool.clone(),
            arguments: record.input.envelope.arguments.clone(),
            granted_at: g.granted_at,
            expires_at: g.expires_at,
        })
        .collect()
}
