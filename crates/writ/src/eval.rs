//! `writ eval`: replay a conformance corpus through the live decision path.
//!
//! Each case runs in a session of its own in a real store: basis items are
//! added, history steps are decided and closed with their outcomes through
//! [`Gate`], then the case's event is decided. Nothing here knows any case.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use writ_core::engine::GuardInput;
use writ_core::engine::Lanes;
use writ_core::{
    Approval, BasisItem, Decision, Deployment, Engine, Envelope, Facts, PolicyPack, Route, Runtime,
    normalize,
};
use writ_lifecycle::{Action, Closure, Context, Recorder, Signer};
use writ_proof::Nonce;
use writ_store::Store;

use crate::error::{CliError, parse_json, read_text};
use crate::gate::{Caller, Gate};

/// One corpus case (see `shared/eval/FORMAT.md`).
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    pub seed: String,
    pub family: String,
    pub runtime: String,
    pub deployment: String,
    pub now: String,
    #[serde(default)]
    pub principal: Principal,
    #[serde(default)]
    pub basis: Vec<BasisItem>,
    #[serde(default)]
    pub approvals: Vec<Approval>,
    #[serde(default)]
    pub history: Vec<HistoryStep>,
    pub event: Value,
    pub expect: Expect,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Principal {
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub agent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HistoryStep {
    pub event: Value,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Outcome {
    pub status: String,
    #[serde(default)]
    pub output: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Expect {
    pub route: Route,
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// Which decision procedure to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The policy, with some lanes possibly switched off.
    Policy(Lanes),
    /// A static allow/deny list by tool kind.
    StaticBaseline,
    /// A scalar risk score with thresholds.
    ScalarBaseline,
}

/// One case's result.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub id: String,
    #[serde(skip)]
    pub seed: String,
    pub family: String,
    pub expected: Route,
    pub got: Route,
    pub expected_reasons: Vec<String>,
    pub reasons: Vec<String>,
    pub enforceability: String,
    pub pass: bool,
    /// Why the case could not be replayed; such a case fails closed
    /// (`got` is `block`) and the rest of the corpus still runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Aggregate figures.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub cases: usize,
    pub passed: usize,
    pub exact_accuracy: f64,
    pub macro_f1: f64,
    pub block_recall: f64,
    pub family_consistency: f64,
    pub reason_recall: f64,
    /// Expected route → got route → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub cases: Vec<CaseResult>,
}

impl Report {
    /// The cases that could not be replayed.
    pub fn unreplayed(&self) -> impl Iterator<Item = &CaseResult> {
        self.cases.iter().filter(|c| c.error.is_some())
    }
}

/// Replays every case of the corpus at `dir`.
/// Proof recording for a replay: every step's lifecycle goes into a real
/// ledger, certified at the end.
pub struct Recording {
    pub recorder: Recorder,
    pub signer: Signer,
    contexts: BTreeMap<String, Context>,
    actions: Vec<Action>,
}

/// Actions certified per ledger batch.
const CERTIFY_BATCH: usize = 256;

impl Recording {
    pub fn new(recorder: Recorder, signer: Signer) -> Recording {
        Recording {
            recorder,
            signer,
            contexts: BTreeMap::new(),
            actions: Vec::new(),
        }
    }

    /// Certifies every recorded action; returns how many.
    pub fn finish(&mut self) -> Result<usize, String> {
        let mut total = 0;
        let mut actions = std::mem::take(&mut self.actions);
        for chunk in actions.chunks_mut(CERTIFY_BATCH) {
            let mut refs: Vec<&mut Action> = chunk.iter_mut().collect();
            total += self
                .recorder
                .certify(&mut refs)
                .map_err(|e| e.to_string())?
                .len();
        }
        Ok(total)
    }

    /// Runs one step's lifecycle: guard (with the session as the gate saw
    /// it), open, release when the route allows, outcome.
    fn step(
        &mut self,
        deployment: &str,
        input: GuardInput<'_>,
        gate_decision: &Decision,
        outcome: Option<(bool, &str)>,
    ) -> Result<(), String> {
        let ctx = self
            .contexts
            .get(deployment)
            .ok_or_else(|| format!("no proof context for `{deployment}`"))?;
        let signer = &self.signer;
        let mut action = Action::guard(ctx, input).map_err(|e| e.to_string())?;
        if action.route() != gate_decision.route {
            return Err(format!(
                "the lifecycle decided {} where the gate decided {}",
                action.route().as_str(),
                gate_decision.route.as_str()
            ));
        }
        action.open().map_err(|e| e.to_string())?;
        let released = action.route().releases()
            && action
                .release(ctx, input.now, 300, Nonce::random(), signer)
                .is_ok();
        let observed = input.envelope.family.enforceability()
            == writ_core::envelope::Enforceability::ObserveOnly;
        let outcome = match outcome {
            Some((ran, output)) if released || observed => writ_lifecycle::Outcome {
                closure: if ran {
                    Closure::Completed
                } else {
                    Closure::Failed
                },
                result: serde_json::json!({
                    "output_digest": writ_proof::digest_bytes(output.as_bytes()).to_string()
                }),
                evidence: Vec::new(),
                checks: Vec::new(),
            },
            _ => writ_lifecycle::Outcome {
                closure: Closure::NotRun,
                result: Value::Null,
                evidence: Vec::new(),
                checks: Vec::new(),
            },
        };
        action.outcome(outcome).map_err(|e| e.to_string())?;
        self.actions.push(action);
        Ok(())
    }
}

/// Replays every case of the corpus at `dir`, recording every step's
/// lifecycle when `recording` is given.
pub fn run(
    dir: &Path,
    policy: &PolicyPack,
    mode: Mode,
    store: &mut Store,
    mut recording: Option<&mut Recording>,
) -> Result<Report, CliError> {
    let cases = load_cases(dir)?;
    let mut engines: BTreeMap<String, Engine> = BTreeMap::new();
    let mut results = Vec::with_capacity(cases.len());
    for (file, case) in cases {
        if !engines.contains_key(&case.deployment) {
            let (engine, deployment) = load_deployment(dir, &case.deployment, policy, mode)?;
            if let Some(rec) = recording.as_deref_mut() {
                let ctx = Context::new(&deployment, policy.clone(), "default", Vec::new())
                    .map_err(|e| {
                        CliError::Input(format!("deployment `{}`: {e}", case.deployment))
                    })?;
                rec.contexts.insert(case.deployment.clone(), ctx);
            }
            engines.insert(case.deployment.clone(), engine);
        }
        let engine = engines.get(&case.deployment).ok_or_else(|| {
            CliError::Internal(format!("deployment `{}` vanished", case.deployment))
        })?;
        let decision = match replay(engine, store, &case, recording.as_deref_mut()) {
            Ok(decision) => decision,
            Err(e) => {
                results.push(CaseResult {
                    id: case.id.clone(),
                    seed: case.seed.clone(),
                    family: case.family.clone(),
                    expected: case.expect.route,
                    got: Route::Block,
                    expected_reasons: case.expect.reasons.clone(),
                    reasons: Vec::new(),
                    enforceability: String::new(),
                    pass: false,
                    error: Some(format!("{file}: {e}")),
                });
                continue;
            }
        };
        let (got, reasons) = match mode {
            Mode::Policy(_) => (decision.route, decision.reasons.clone()),
            Mode::StaticBaseline => (static_baseline(&decision), Vec::new()),
            Mode::ScalarBaseline => (scalar_baseline(&decision), Vec::new()),
        };
        let reasons_ok = case.expect.reasons.iter().all(|r| reasons.contains(r));
        results.push(CaseResult {
            id: case.id.clone(),
            seed: case.seed.clone(),
            family: case.family.clone(),
            expected: case.expect.route,
            got,
            expected_reasons: case.expect.reasons.clone(),
            reasons,
            enforceability: decision.enforceability.as_str().to_owned(),
            pass: got == case.expect.route && reasons_ok,
            error: None,
        });
    }
    Ok(Report {
        summary: summarize(&results),
        cases: results,
    })
}

/// The cases of a corpus (`cases/*.json`, in name order), each with its
/// file's name; ids must be unique.
pub fn load_cases(dir: &Path) -> Result<Vec<(String, Case)>, CliError> {
    let cases_dir = dir.join("cases");
    let entries = std::fs::read_dir(&cases_dir)
        .map_err(|e| CliError::Input(format!("cannot read `{}`: {e}", cases_dir.display())))?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(CliError::Input(format!(
            "`{}` holds no cases",
            cases_dir.display()
        )));
    }
    let mut cases = Vec::with_capacity(files.len());
    let mut ids = BTreeSet::new();
    for path in files {
        let name = path.display().to_string();
        let value = parse_json(&name, &read_text(&path)?)?;
        let case: Case = serde_json::from_value(value)
            .map_err(|e| CliError::Input(format!("`{name}` is not a valid case: {e}")))?;
        if !ids.insert(case.id.clone()) {
            return Err(CliError::Input(format!(
                "`{name}`: case id `{}` appears twice",
                case.id
            )));
        }
        cases.push((name, case));
    }
    Ok(cases)
}

/// A corpus deployment's engine (the file over the built-in facts, under
/// `policy` in `mode`) and the merged deployment.
pub fn load_deployment(
    dir: &Path,
    name: &str,
    policy: &PolicyPack,
    mode: Mode,
) -> Result<(Engine, Deployment), CliError> {
    let path = dir.join("deployments").join(format!("{name}.json"));
    let file = Deployment::from_json(&read_text(&path)?)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    let merged = file.over(Deployment::builtin());
    let facts =
        Facts::compile(&merged).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    let mut engine = Engine::new(facts, policy.clone());
    if let Mode::Policy(lanes) = mode {
        engine.lanes = lanes;
    }
    Ok((engine, merged))
}

/// Reads an event of a case in the case's runtime; an event that does not
/// fit it but has another runtime's shape (a corpus that mixed formats) is
/// read as that one, and said so on standard error.
fn normalize_in_case(
    runtime: Runtime,
    event: &Value,
    case: &str,
    place: &str,
) -> Result<Envelope, String> {
    let err = match normalize(runtime, event) {
        Ok(envelope) => return Ok(envelope),
        Err(e) => format!("{place}: {e}"),
    };
    match writ_core::normalize::detect(event) {
        Ok(shape) if shape != runtime => {
            let envelope = normalize(shape, event).map_err(|_| err)?;
            eprintln!(
                "writ: case `{case}`: {place} is not a `{}` event; read as `{}` by its shape",
                runtime.as_str(),
                shape.as_str()
            );
            Ok(envelope)
        }
        _ => Err(err),
    }
}

/// Runs one case through the gate and returns the decision for its event;
/// with a recording, every step's lifecycle is recorded too.
pub fn replay(
    engine: &Engine,
    store: &mut Store,
    case: &Case,
    mut recording: Option<&mut Recording>,
) -> Result<Decision, String> {
    let runtime = Runtime::parse(&case.runtime)
        .ok_or_else(|| format!("unknown runtime `{}`", case.runtime))?;
    let now = OffsetDateTime::parse(&case.now, &Rfc3339)
        .map_err(|e| format!("`now` is not RFC 3339: {e}"))?;
    let caller = Caller {
        agent: case.principal.agent.as_deref().unwrap_or("agent"),
        user: case.principal.user.as_deref(),
        now,
    };
    let session = format!("eval:{}", case.id);
    let mut gate = Gate { engine, store };
    gate.add_basis(&session, &case.basis)
        .map_err(|e| e.to_string())?;
    let mut record =
        |envelope: &Envelope,
         decision: &Decision,
         state: &writ_core::SessionState,
         outcome: Option<(bool, &str)>| match recording.as_deref_mut() {
            None => Ok(()),
            Some(rec) => {
                let input = GuardInput {
                    envelope,
                    session: state,
                    approvals: &case.approvals,
                    now,
                    agent: caller.agent,
                    user: caller.user,
                };
                rec.step(&case.deployment, input, decision, outcome)
            }
        };
    for (i, step) in case.history.iter().enumerate() {
        let envelope = normalize_in_case(
            runtime,
            &step.event,
            &case.id,
            &format!("history[{i}].event"),
        )?;
        let before = gate.store.session(&session).map_err(|e| e.to_string())?;
        let decision = gate
            .before(&session, &envelope, &case.approvals, caller)
            .map_err(|e| e.to_string())?;
        let ran = match step.outcome.status.as_str() {
            "ok" => true,
            "error" => false,
            other => {
                return Err(format!(
                    "history[{i}].outcome.status: `{other}` is not ok or error"
                ));
            }
        };
        record(
            &envelope,
            &decision,
            &before,
            Some((ran, step.outcome.output.as_str())),
        )
        .map_err(|e| format!("history[{i}]: {e}"))?;
        gate.after(
            &session,
            &envelope,
            &decision,
            ran,
            Some(&step.outcome.output),
        )
        .map_err(|e| e.to_string())?;
    }
    let envelope = normalize_in_case(runtime, &case.event, &case.id, "event")?;
    let before = gate.store.session(&session).map_err(|e| e.to_string())?;
    let decision = gate
        .before(&session, &envelope, &case.approvals, caller)
        .map_err(|e| e.to_string())?;
    record(&envelope, &decision, &before, None).map_err(|e| format!("event: {e}"))?;
    Ok(decision)
}

/// PCAA's static baseline: a fixed allow/deny list by tool kind, blind to
/// arguments, destinations and the session.
pub fn static_baseline(decision: &Decision) -> Route {
    match decision.facts.tool_kind {
        None => Route::RequireApproval,
        Some("email_send" | "message_send" | "payment" | "deploy" | "share" | "paste_create") => {
            Route::RequireApproval
        }
        Some(_) => Route::Allow,
    }
}

/// PCAA's scalar baseline: one risk score summed from the same facts, cut by thresholds.
pub fn scalar_baseline(decision: &Decision) -> Route {
    use writ_detect::ownership::Ownership;
    use writ_detect::sensitivity::Sensitivity;
    let f = &decision.facts;
    let mut score = 0u32;
    for e in &f.egress {
        score += match e.ownership {
            Ownership::Org => 0,
            Ownership::Partner => 2,
            _ => 3,
        };
        score += match e.sensitivity {
            Sensitivity::Secret => 5,
            Sensitivity::Confidential => 4,
            Sensitivity::Internal => 1,
            Sensitivity::None => 0,
        };
    }
    score += 6 * f.destroys.len() as u32;
    score += 4 * f.production_changes.len() as u32;
    score += 3 * f.unsimulated_applies.len() as u32;
    score += if f.governance.is_empty() { 0 } else { 6 };
    score += if f.public_exposure { 6 } else { 0 };
    score += if f.grants_access { 4 } else { 0 };
    score += if f.package_installs.is_empty() { 0 } else { 2 };
    score += if f.outside_workspace_writes.is_empty() {
        0
    } else {
        2
    };
    score += if f.tool_kind.is_none() { 4 } else { 0 };
    match score {
        0..=1 => Route::Allow,
        2..=3 => Route::Warn,
        4..=7 => Route::RequireApproval,
        _ => Route::Block,
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Computes the aggregate figures of `results`.
pub fn summarize(results: &[CaseResult]) -> Summary {
    let n = results.len();
    let exact = results.iter().filter(|r| r.got == r.expected).count();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for r in results {
        *confusion
            .entry(r.expected.as_str().to_owned())
            .or_default()
            .entry(r.got.as_str().to_owned())
            .or_default() += 1;
    }
    let labels: BTreeSet<Route> = results.iter().flat_map(|r| [r.expected, r.got]).collect();
    let f1s: Vec<f64> = labels
        .iter()
        .map(|&label| {
            let tp = results
                .iter()
                .filter(|r| r.expected == label && r.got == label)
                .count() as f64;
            let fp = results
                .iter()
                .filter(|r| r.expected != label && r.got == label)
                .count() as f64;
            let fn_ = results
                .iter()
                .filter(|r| r.expected == label && r.got != label)
                .count() as f64;
            if tp == 0.0 {
                0.0
            } else {
                2.0 * tp / (2.0 * tp + fp + fn_)
            }
        })
        .collect();
    let macro_f1 = if f1s.is_empty() {
        1.0
    } else {
        f1s.iter().sum::<f64>() / f1s.len() as f64
    };
    let blocks = results
        .iter()
        .filter(|r| r.expected == Route::Block)
        .count();
    let blocked = results
        .iter()
        .filter(|r| r.expected == Route::Block && r.got == Route::Block)
        .count();
    let mut seeds: BTreeMap<&str, BTreeSet<Route>> = BTreeMap::new();
    for r in results {
        seeds.entry(r.seed.as_str()).or_default().insert(r.got);
    }
    let consistent = seeds.values().filter(|routes| routes.len() == 1).count();
    let expected_reasons: usize = results.iter().map(|r| r.expected_reasons.len()).sum();
    let found: usize = results
        .iter()
        .map(|r| {
            r.expected_reasons
                .iter()
                .filter(|x| r.reasons.contains(x))
                .count()
        })
        .sum();
    Summary {
        cases: n,
        passed: results.iter().filter(|r| r.pass).count(),
        exact_accuracy: ratio(exact, n),
        macro_f1,
        block_recall: ratio(blocked, blocks),
        family_consistency: ratio(consistent, seeds.len()),
        reason_recall: ratio(found, expected_reasons),
        confusion,
    }
}

/// The human-readable report.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let width = report
        .cases
        .iter()
        .map(|c| c.id.len())
        .max()
        .unwrap_or(2)
        .max(4);
    out.push_str(&format!(
        "{:<width$}  {:<16}  {:<16}  {:<4}  reasons\n",
        "case", "expected", "got", "ok"
    ));
    for c in &report.cases {
        out.push_str(&format!(
            "{:<width$}  {:<16}  {:<16}  {:<4}  {}\n",
            c.id,
            c.expected.as_str(),
            c.got.as_str(),
            if c.pass { "yes" } else { "NO" },
            match &c.error {
                Some(e) => format!("not replayed: {e}"),
                None => c.reasons.join(","),
            }
        ));
    }
    let s = &report.summary;
    out.push_str(&format!(
        "\n{} cases, {} passed: exact accuracy {:.3}, macro F1 {:.3}, block recall {:.3}, family consistency {:.3}, reason recall {:.3}\n",
        s.cases, s.passed, s.exact_accuracy, s.macro_f1, s.block_recall, s.family_consistency, s.reason_recall
    ));
    out
}
