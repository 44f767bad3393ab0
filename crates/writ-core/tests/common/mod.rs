//! What the engine's integration tests share: an engine on a deployment,
//! a decision on an event, and events in the runtimes' own shapes.

#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use serde_json::{Value, json};
use time::OffsetDateTime;
use writ_core::{
    Decision, Deployment, Engine, Facts, GuardInput, PolicyPack, Route, Runtime, SessionState,
    normalize,
};

/// An engine on `deployment` (JSON) and the default policy.
pub fn engine(deployment: &str) -> Engine {
    let deployment = Deployment::from_json(deployment).unwrap();
    Engine::new(
        Facts::compile(&deployment).unwrap(),
        PolicyPack::default_pack().unwrap(),
    )
}

/// The decision on one event, in an empty session.
pub fn decide(engine: &Engine, event: &(Runtime, Value)) -> Decision {
    decide_after(engine, &[], event)
}

/// The decision on `last` in a session whose `earlier` steps ran (`true`)
/// or were refused (`false`), in order.
pub fn decide_after(
    engine: &Engine,
    earlier: &[((Runtime, Value), bool)],
    last: &(Runtime, Value),
) -> Decision {
    let steps: Vec<Step<'_>> = earlier
        .iter()
        .map(|(event, ran)| (event.clone(), *ran, None))
        .collect();
    decide_after_steps(engine, &steps, last)
}

/// One earlier step: the event, whether it ran, and its output.
pub type Step<'a> = ((Runtime, Value), bool, Option<&'a str>);

/// The decision on `last` after `earlier` steps, each recorded with the
/// output it produced.
pub fn decide_after_steps(
    engine: &Engine,
    earlier: &[Step<'_>],
    last: &(Runtime, Value),
) -> Decision {
    let decide_in = |session: &SessionState, (runtime, event): &(Runtime, Value)| {
        let envelope = normalize(*runtime, event).unwrap_or_else(|e| panic!("{event}: {e}"));
        engine.guard(GuardInput {
            envelope: &envelope,
            session,
            approvals: &[],
            now: OffsetDateTime::UNIX_EPOCH,
            agent: "agent",
            user: None,
        })
    };
    let mut session = SessionState::default();
    for (step, ran, output) in earlier {
        let decision = decide_in(&session, step);
        session.record(&engine.step_record(&decision, *ran, *output));
    }
    decide_in(&session, last)
}

/// Shell commands that each ran, as [`decide_after`]'s earlier steps.
pub fn ran(commands: &[&str]) -> Vec<((Runtime, Value), bool)> {
    commands.iter().map(|c| (shell(c), true)).collect()
}

/// Asserts that every event routes to `route` with exactly `reasons`;
/// `what` names the events in a failure.
pub fn assert_routes(
    engine: &Engine,
    what: &str,
    events: &[(Runtime, Value)],
    route: Route,
    reasons: &[&str],
) {
    for event in events {
        let decision = decide(engine, event);
        assert_eq!(
            (decision.route, decision.reasons.clone()),
            (route, reasons.iter().map(|r| (*r).to_owned()).collect()),
            "{what}: {:?} {}",
            event.0,
            event.1
        );
    }
}

/// A Claude Code tool call from a hook, run in `/home/dana/ws`.
pub fn claude_tool(name: &str, input: Value) -> (Runtime, Value) {
    (
        Runtime::ClaudeCode,
        json!({"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": name,
               "tool_input": input, "cwd": "/home/dana/ws"}),
    )
}

/// A shell command from a Claude Code hook, run in `/home/dana/ws`.
pub fn shell(command: &str) -> (Runtime, Value) {
    claude_tool("Bash", json!({"command": command}))
}

/// Single-quoted for the shell.
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// One request as curl sends it from a shell and as the HTTP egress
/// gateway sees it, with the same headers and body.
pub fn curl_and_gateway(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Vec<(Runtime, Value)> {
    let mut line = format!("curl -sS -X {method} {}", quoted(url));
    for (name, value) in headers {
        line.push_str(&format!(" -H {}", quoted(&format!("{name}: {value}"))));
    }
    if !body.is_empty() {
        line.push_str(&format!(" --data-binary {}", quoted(body)));
    }
    let header_map: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(name, value)| ((*name).to_owned(), json!(value)))
        .collect();
    vec![
        shell(&line),
        (
            Runtime::Http,
            json!({"method": method, "url": url, "headers": header_map, "body": body}),
        ),
    ]
}

/// A POST through the HTTP egress gateway.
pub fn http_post(url: &str, headers: Value, body: &str) -> (Runtime, Value) {
    (
        Runtime::Http,
        json!({"method": "POST", "url": url, "headers": headers, "body": body}),
    )
}

/// An OpenAI Agents SDK function call.
pub fn function_call(name: &str, arguments: Value) -> (Runtime, Value) {
    (
        Runtime::OpenaiAgents,
        json!({"type": "function_call", "call_id": "c", "name": name,
               "arguments": arguments.to_string()}),
    )
}
