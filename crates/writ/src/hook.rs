//! `writ hook claude-code|codex`: the coding agents' hook protocol.
//!
//! Each hook call is a new process: it reads one event on stdin, decides
//! through [`Gate`] against the embedded store, and answers in the agent's
//! terms:
//!
//! | route | Claude Code `PreToolUse` | Codex `PreToolUse` |
//! |---|---|---|
//! | allow, warn | no decision (the agent's own permissions apply); `allow` when a writ approval covered it | exit 0 |
//! | require_approval | `ask`, and an approval request is opened in writ | exit 2 (deny) with how to approve |
//! | simulate_first, block | `deny` with the reasons | exit 2 with the reasons |
//!
//! `PermissionRequest` gets `deny` for block and simulate_first, `allow`
//! when a writ approval covered the call, and no answer otherwise.
//! `PostToolUse` closes the call's outcome in the session. Any failure
//! (unreadable input, store down) denies: exit 2 with the reason on stderr.

use std::path::Path;

use serde_json::{Value, json};
use time::OffsetDateTime;
use writ_core::envelope::Phase;
use writ_core::{Decision, Engine, Envelope, Route, Runtime, normalize};
use writ_store::{ApprovalRequest, Store};

use crate::gate::{Caller, Gate};

/// Which agent's protocol to speak (`claude-code` or `codex` on the
/// command line).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Agent {
    ClaudeCode,
    Codex,
}

impl Agent {
    /// The agent's name, as the command line and the decision record spell it.
    pub fn name(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "claude-code",
            Agent::Codex => "codex",
        }
    }

    fn runtime(self) -> Runtime {
        match self {
            Agent::ClaudeCode => Runtime::ClaudeCode,
            Agent::Codex => Runtime::Codex,
        }
    }
}

/// What the hook process prints and exits with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookAnswer {
    pub stdout: String,
    pub stderr: String,
    pub exit: u8,
}

impl HookAnswer {
    fn silent() -> HookAnswer {
        HookAnswer {
            stdout: String::new(),
            stderr: String::new(),
            exit: 0,
        }
    }

    /// Exit 2 blocks the call in both agents; stderr is the reason shown.
    pub fn refuse(reason: &str) -> HookAnswer {
        HookAnswer {
            stdout: String::new(),
            stderr: format!("writ: {reason}\n"),
            exit: 2,
        }
    }

    /// Prints the answer and returns its exit code. An answer that cannot
    /// be written is a refusal: a `deny` lost on the way would otherwise
    /// be an exit 0 with no decision, and the call would run.
    pub fn emit(&self) -> std::process::ExitCode {
        use std::io::Write;
        let written = std::io::stdout()
            .write_all(self.stdout.as_bytes())
            .and_then(|()| std::io::stdout().flush());
        // Nobody may be reading stderr; its loss changes no decision.
        let _ = std::io::stderr().write_all(self.stderr.as_bytes());
        match written {
            Ok(()) => std::process::ExitCode::from(self.exit),
            Err(e) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "writ: cannot write the answer ({e}), so the call is refused"
                );
                std::process::ExitCode::from(2)
            }
        }
    }

    fn json(value: Value) -> HookAnswer {
        HookAnswer {
            stdout: format!("{value}\n"),
            stderr: String::new(),
            exit: 0,
        }
    }
}

/// Handles one hook event: `input` is the agent's JSON, `data_dir` the store.
pub fn handle(
    agent: Agent,
    input: &str,
    engine: &Engine,
    data_dir: &Path,
    now: OffsetDateTime,
) -> HookAnswer {
    let opened = std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create `{}`: {e}", data_dir.display()))
        .and_then(|()| Store::open(&data_dir.join("writ.db")).map_err(|e| e.to_string()));
    match opened {
        Ok(mut store) => handle_in(agent, input, engine, &mut store, now),
        Err(reason) => refuse_undecided(&reason),
    }
}

/// [`handle`] with the store open (the keeper's, `crate::keeper`).
pub fn handle_in(
    agent: Agent,
    input: &str,
    engine: &Engine,
    store: &mut Store,
    now: OffsetDateTime,
) -> HookAnswer {
    match decide(agent, input, engine, store, now) {
        Ok(answer) => answer,
        Err(reason) => refuse_undecided(&reason),
    }
}

/// The refusal of a call when writ's deployment or policy cannot be loaded.
pub fn refuse_unconfigured(error: &dyn std::fmt::Display) -> HookAnswer {
    HookAnswer::refuse(&format!("cannot load writ's configuration: {error}"))
}

/// The refusal of a call writ could not decide.
fn refuse_undecided(reason: &str) -> HookAnswer {
    HookAnswer::refuse(&format!("cannot decide, so the call is refused: {reason}"))
}

fn decide(
    agent: Agent,
    input: &str,
    engine: &Engine,
    store: &mut Store,
    now: OffsetDateTime,
) -> Result<HookAnswer, String> {
    let event: Value = serde_json::from_str(input)
        .map_err(|e| format!("the hook input is not valid JSON: {e}"))?;
    let envelope = normalize(agent.runtime(), &event).map_err(|e| e.to_string())?;
    let session = envelope
        .session_id
        .clone()
        .unwrap_or_else(|| "default".to_owned());
    let caller = Caller {
        agent: agent.name(),
        user: None,
        now,
    };

    if envelope.phase == Phase::Post {
        Gate { engine, store }
            .handle(&session, &envelope, &[], caller)
            .map_err(|e| e.to_string())?;
        return Ok(HookAnswer::silent());
    }

    let approvals = store
        .approvals_for(&envelope.tool)
        .map_err(|e| e.to_string())?;
    let mut decision = Gate {
        engine,
        store: &mut *store,
    }
    .before(&session, &envelope, &approvals, caller)
    .map_err(|e| e.to_string())?;
    let approved = !decision.approvals_used.is_empty();
    if approved {
        let used = store
            .use_approvals(&decision.approvals_used)
            .map_err(|e| e.to_string())?;
        if used < decision.approvals_used.len() {
            // Another call used the approval first: single use wins.
            decision.route = Route::RequireApproval;
        }
    }
    let request = if decision.route == Route::RequireApproval {
        let request = approval_request(&session, &envelope, &decision);
        store
            .request_approval(&request)
            .map_err(|e| e.to_string())?;
        Some(request)
    } else {
        None
    };
    Ok(answer(
        agent,
        envelope.phase,
        &decision,
        approved,
        request.as_ref(),
    ))
}

/// The whole of a hook process that decides through `writ serve` (server
/// URL from `server` or `$WRIT_SERVER`, token from `$WRIT_TOKEN`): reads
/// the event on stdin, prints the answer, and returns its exit code.
/// `writ hook AGENT --server URL` and the `writ-hook` binary both run it.
pub fn run_remote(agent: Agent, server: Option<&str>) -> std::process::ExitCode {
    use std::io::Read;
    let mut input = String::new();
    let answer = match (
        std::io::stdin().read_to_string(&mut input),
        writ_client::blocking::Client::from_env(server),
    ) {
        (Err(e), _) => HookAnswer::refuse(&format!("cannot read the hook input: {e}")),
        (_, Err(e)) => {
            HookAnswer::refuse(&format!("cannot reach writ, so the call is refused: {e}"))
        }
        (Ok(_), Ok(client)) => handle_remote(agent, &input, &client),
    };
    answer.emit()
}

/// Handles one hook event against a running `writ serve`: the server
/// decides, keeps the session and the approval queue, and certifies the
/// call when its post-call event arrives. Any failure refuses the call.
pub fn handle_remote(
    agent: Agent,
    input: &str,
    client: &writ_client::blocking::Client,
) -> HookAnswer {
    match decide_remote(agent, input, client) {
        Ok(answer) => answer,
        Err(reason) => {
            HookAnswer::refuse(&format!("cannot decide, so the call is refused: {reason}"))
        }
    }
}

fn decide_remote(
    agent: Agent,
    input: &str,
    client: &writ_client::blocking::Client,
) -> Result<HookAnswer, String> {
    let event: Value = serde_json::from_str(input)
        .map_err(|e| format!("the hook input is not valid JSON: {e}"))?;
    // Normalised here too, so bad input is named before any network call.
    let envelope = normalize(agent.runtime(), &event).map_err(|e| e.to_string())?;
    let guarded = client
        .guard(
            agent.runtime().as_str(),
            &event,
            envelope.session_id.as_deref(),
            None,
        )
        .map_err(|e| e.to_string())?;
    if envelope.phase == Phase::Post {
        return Ok(HookAnswer::silent());
    }
    let route = Route::parse(guarded.enforced_route())
        .ok_or_else(|| format!("the server answered route `{}`", guarded.enforced_route()))?;
    let approved = guarded.route() == Route::RequireApproval.as_str() && guarded.released();
    let description = guarded
        .0
        .pointer("/rules/0/description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // The action id lets the user (and an auditor) find it in writ.
    let why = match guarded.action_id() {
        Some(id) => format!("{description} (writ action {id})"),
        None => description.to_owned(),
    };
    let approve_hint = guarded.pending().then(|| {
        let id = guarded.action_id().unwrap_or("?");
        let needs = guarded
            .0
            .get("required_jurisdictions")
            .and_then(Value::as_array)
            .map(|js| js.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" and "))
            .unwrap_or_default();
        format!(
            "action {id} needs approval by {needs}: approve it at {}/approvals (or `writ approvals approve {id} --server {0}`), then retry",
            client.base()
        )
    });
    Ok(answer_verdict(
        agent,
        envelope.phase,
        Verdict {
            route: if approved { Route::Allow } else { route },
            reasons: guarded.reason_codes().join(", "),
            why,
            approved,
            approve_hint,
        },
    ))
}

/// What a hook's answer is made of, whichever path decided.
struct Verdict {
    route: Route,
    /// Reason codes, comma-separated.
    reasons: String,
    /// The strongest rule's description.
    why: String,
    /// A writ approval covered the call.
    approved: bool,
    /// How to approve it, when it waits for approval.
    approve_hint: Option<String>,
}

fn answer(
    agent: Agent,
    phase: Phase,
    d: &Decision,
    approved: bool,
    request: Option<&ApprovalRequest>,
) -> HookAnswer {
    let verdict = Verdict {
        route: d.route,
        reasons: d.reasons.join(", "),
        why: d
            .rules
            .first()
            .map(|r| r.description.clone())
            .unwrap_or_default(),
        approved,
        approve_hint: request.map(|r| {
            format!(
                "approval request {} needs {}: run `writ approvals grant {} --approver ADDRESS`, then retry",
                short(&r.id),
                r.jurisdictions.join(" and "),
                short(&r.id)
            )
        }),
    };
    answer_verdict(agent, phase, verdict)
}

fn answer_verdict(agent: Agent, phase: Phase, v: Verdict) -> HookAnswer {
    let Verdict {
        route,
        reasons,
        why,
        approved,
        approve_hint,
    } = v;
    match (agent, phase, route) {
        (_, _, Route::Allow | Route::Warn) if approved => match (agent, phase) {
            (Agent::ClaudeCode, Phase::PermissionRequest) => {
                permission_request(true, "approved in writ")
            }
            (Agent::ClaudeCode, _) => pre_tool_use("allow", &format!("writ: approved ({reasons})")),
            (Agent::Codex, _) => HookAnswer::silent(),
        },
        (_, _, Route::Allow) => HookAnswer::silent(),
        (_, _, Route::Warn) => HookAnswer {
            stderr: format!("writ: warning: {reasons}: {why}\n"),
            ..HookAnswer::silent()
        },
        (Agent::ClaudeCode, Phase::PermissionRequest, Route::RequireApproval) => {
            HookAnswer::silent()
        }
        (Agent::ClaudeCode, Phase::PermissionRequest, _) => permission_request(
            false,
            &format!("writ: {} ({reasons}): {why}", route.as_str()),
        ),
        (Agent::ClaudeCode, _, Route::RequireApproval) => pre_tool_use(
            "ask",
            &format!(
                "writ: needs approval ({reasons}): {why}. {}",
                approve_hint.unwrap_or_default()
            ),
        ),
        (Agent::ClaudeCode, _, Route::SimulateFirst) => pre_tool_use(
            "deny",
            &format!(
                "writ: simulate first ({reasons}): {why}. Run a successful dry run of the same change, then retry"
            ),
        ),
        (Agent::ClaudeCode, _, Route::Block) => {
            pre_tool_use("deny", &format!("writ: blocked ({reasons}): {why}"))
        }
        (Agent::Codex, _, Route::RequireApproval) => HookAnswer::refuse(&format!(
            "needs approval ({reasons}): {why}; {}",
            approve_hint.unwrap_or_default()
        )),
        (Agent::Codex, _, Route::SimulateFirst) => HookAnswer::refuse(&format!(
            "simulate first ({reasons}): {why}; run a successful dry run of the same change, then retry"
        )),
        (Agent::Codex, _, Route::Block) => {
            HookAnswer::refuse(&format!("blocked ({reasons}): {why}"))
        }
    }
}

fn pre_tool_use(decision: &str, reason: &str) -> HookAnswer {
    HookAnswer::json(json!({"hookSpecificOutput": {
        "hookEventName": "PreToolUse",
        "permissionDecision": decision,
        "permissionDecisionReason": reason,
    }}))
}

fn permission_request(allow: bool, message: &str) -> HookAnswer {
    HookAnswer::json(json!({"hookSpecificOutput": {
        "hookEventName": "PermissionRequest",
        "decision": {"behavior": if allow { "allow" } else { "deny" }, "message": message},
    }}))
}

/// The first 12 characters of a request id's hex, enough to name it.
pub fn short(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    hex.get(..12).unwrap_or(hex)
}

/// An approval request for a decision: its id is the digest of the tool
/// and canonical arguments, so the identical call finds it again.
pub fn approval_request(session: &str, envelope: &Envelope, d: &Decision) -> ApprovalRequest {
    let canonical = writ_core::approval::canonical_json(
        &json!({"tool": envelope.tool, "arguments": envelope.arguments}),
    );
    let digest = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&canonical))
    };
    let mut jurisdictions: Vec<String> = d
        .rules
        .iter()
        .filter(|r| r.route == Route::RequireApproval)
        .filter_map(|r| r.jurisdiction.clone())
        .collect();
    jurisdictions.sort();
    jurisdictions.dedup();
    ApprovalRequest {
        id: format!("sha256:{digest}"),
        session: session.to_owned(),
        tool: envelope.tool.clone(),
        arguments: envelope.arguments.clone(),
        jurisdictions,
        reasons: d.reasons.clone(),
        summary: summary(envelope, d),
        created_at: String::new(),
        status: "pending".to_owned(),
    }
}

/// What the action does, in plain words, for a reviewer.
pub fn summary(envelope: &Envelope, d: &Decision) -> String {
    let mut parts = Vec::new();
    if let Some(command) = envelope.arguments.get("command").and_then(Value::as_str) {
        parts.push(format!("runs `{command}`"));
    } else {
        parts.push(format!(
            "calls {} with {}",
            envelope.tool, envelope.arguments
        ));
    }
    for e in &d.facts.egress {
        parts.push(format!(
            "sends {} data over {} to {} ({})",
            e.sensitivity.as_str(),
            e.channel.as_str(),
            e.host.as_deref().unwrap_or(&e.target),
            e.ownership.as_str()
        ));
    }
    for rule in &d.rules {
        parts.push(format!("{}: {}", rule.reason, rule.description));
    }
    parts.join("; ")
}
