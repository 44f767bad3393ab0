//! `writ policy check|test|show`.
//!
//! A policy test file is JSON: `{"deployment": PATH (relative to the test
//! file), "policy": DIR (optional), "tests": [{"name", "runtime", "event",
//! "session": {...} (optional SessionState), "approvals": [...], "now",
//! "expect": {"route", "reasons"}}]}`.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use writ_core::engine::GuardInput;
use writ_core::{
    Approval, Deployment, Engine, Facts, PolicyPack, Route, Runtime, SessionState, normalize,
};

use crate::defaults::{load_policy, read_policy_dir};
use crate::error::{CliError, parse_json, read_text};

/// Validates every `.cedar` file of `dir` against the schema; returns a summary line.
pub fn check(dir: &Path) -> Result<String, CliError> {
    let pack =
        PolicyPack::load(read_policy_dir(dir)?).map_err(|e| CliError::Input(e.to_string()))?;
    Ok(format!(
        "{}: {} rules valid, policy digest {}",
        dir.display(),
        pack.rules().count(),
        pack.digest
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    deployment: Option<PathBuf>,
    policy: Option<PathBuf>,
    tests: Vec<PolicyTest>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyTest {
    name: String,
    runtime: String,
    event: Value,
    #[serde(default)]
    session: SessionState,
    #[serde(default)]
    approvals: Vec<Approval>,
    #[serde(default)]
    now: Option<String>,
    expect: TestExpect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestExpect {
    route: Route,
    #[serde(default)]
    reasons: Vec<String>,
}

/// Runs the tests of one file; returns the report, or `Failed` with it.
pub fn test(file: &Path, policy_override: Option<&Path>) -> Result<String, CliError> {
    let name = file.display().to_string();
    let spec: TestFile = serde_json::from_value(parse_json(&name, &read_text(file)?)?)
        .map_err(|e| CliError::Input(format!("`{name}` is not a policy test file: {e}")))?;
    let base = file.parent().unwrap_or(Path::new("."));
    let deployment = match &spec.deployment {
        Some(p) => {
            let path = base.join(p);
            Deployment::from_json(&read_text(&path)?)
                .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?
        }
        None => Deployment {
            workspace: Some("/work".into()),
            home: Some("/home/user".into()),
            ..Deployment::default()
        },
    };
    let facts = Facts::compile(&deployment.over(Deployment::builtin()))
        .map_err(|e| CliError::Input(e.to_string()))?;
    let policy_dir = policy_override
        .map(Path::to_path_buf)
        .or(spec.policy.as_ref().map(|p| base.join(p)));
    let engine = Engine::new(facts, load_policy(policy_dir.as_deref())?);
    let mut report = String::new();
    let mut failures = 0;
    for (i, t) in spec.tests.iter().enumerate() {
        let runtime = Runtime::parse(&t.runtime).ok_or_else(|| {
            CliError::Input(format!("tests[{i}].runtime: unknown `{}`", t.runtime))
        })?;
        let envelope = normalize(runtime, &t.event)
            .map_err(|e| CliError::Input(format!("tests[{i}].event: {e}")))?;
        let now = match &t.now {
            Some(s) => OffsetDateTime::parse(s, &Rfc3339)
                .map_err(|e| CliError::Input(format!("tests[{i}].now: {e}")))?,
            None => OffsetDateTime::UNIX_EPOCH,
        };
        let d = engine.guard(GuardInput {
            envelope: &envelope,
            session: &t.session,
            approvals: &t.approvals,
            now,
            agent: "agent",
            user: None,
        });
        let ok =
            d.route == t.expect.route && t.expect.reasons.iter().all(|r| d.reasons.contains(r));
        if !ok {
            failures += 1;
        }
        report.push_str(&format!(
            "{} {}: expected {} {:?}, got {} {:?}\n",
            if ok { "ok  " } else { "FAIL" },
            t.name,
            t.expect.route.as_str(),
            t.expect.reasons,
            d.route.as_str(),
            d.reasons
        ));
    }
    report.push_str(&format!(
        "{} passed, {} failed\n",
        spec.tests.len() - failures,
        failures
    ));
    if failures > 0 {
        Err(CliError::Failed(report))
    } else {
        Ok(report)
    }
}
