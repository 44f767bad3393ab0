//! A step that printed a part of one file (`jq '.scripts' package.json`,
//! `just --show NAME`, `grep -n -A3 RE F`, `sed -n 'A,Bp' F`, `head -n N
//! F`) leaves the session a partial view of it: a task runner finds the
//! target it runs there, while nothing runs, sends or reads that part as
//! the whole file.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{Step, claude_tool, decide_after_steps, engine, shell};
use serde_json::{Value, json};
use writ_core::{Engine, Route, Runtime, SessionState};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io", "acme.internal"],
    "production": {"databases": ["pg.prod.acme.internal"]}
}"#;

/// What the runners' targets run: it destroys a production table.
const WIPE: &str = "psql -h pg.prod.acme.internal -c 'TRUNCATE payout_queue;'";

/// The route and reasons of `last` after `earlier`.
fn routed_after(
    engine: &Engine,
    earlier: &[Step<'_>],
    last: &(Runtime, Value),
) -> (Route, Vec<String>) {
    let decision = decide_after_steps(engine, earlier, last);
    (decision.route, decision.reasons)
}

fn destroys_production(got: &(Route, Vec<String>)) -> bool {
    got.0 == Route::Block && got.1.iter().any(|r| r == "DESTROY_PROTECTED")
}

/// `jq '.scripts' package.json`'s output: the scripts object.
fn scripts_json() -> String {
    serde_json::to_string_pretty(&json!({"build": "vite build", "wipe": WIPE})).unwrap()
}

#[test]
fn a_package_script_shown_by_jq_is_what_the_runner_runs() {
    let engine = engine(DEPLOYMENT);
    let scripts = scripts_json();
    let shown: Step<'_> = (shell("jq '.scripts' package.json"), true, Some(&scripts));
    for runner in ["npm run wipe", "pnpm run wipe", "bun run wipe"] {
        let last = shell(runner);
        let got = routed_after(&engine, std::slice::from_ref(&shown), &last);
        assert!(destroys_production(&got), "{runner}: {got:?}");
        // Nothing shown: the runner's target is not known.
        let unknown = routed_after(&engine, &[], &last);
        assert!(!destroys_production(&unknown), "{runner}: {unknown:?}");
    }
}

#[test]
fn a_projection_of_top_level_keys_shows_them_where_the_file_holds_them() {
    let engine = engine(DEPLOYMENT);
    let projected =
        serde_json::to_string_pretty(&json!({"name": "@acme/ui", "scripts": {"wipe": WIPE}}))
            .unwrap();
    let shown: Step<'_> = (
        shell("jq '{name, scripts}' package.json"),
        true,
        Some(&projected),
    );
    let got = routed_after(&engine, &[shown], &shell("npm run wipe"));
    assert!(destroys_production(&got), "{got:?}");
    // A projection that renames or computes keys is not the file's shape.
    let renamed: Step<'_> = (
        shell("jq '{n: .name, s: .scripts}' package.json"),
        true,
        Some(&projected),
    );
    let got = routed_after(&engine, &[renamed], &shell("npm run wipe"));
    assert!(!destroys_production(&got), "{got:?}");
}

#[test]
fn a_target_outside_the_part_shown_is_as_unknown_as_before() {
    let engine = engine(DEPLOYMENT);
    let scripts = scripts_json();
    let shown: Step<'_> = (shell("jq '.scripts' package.json"), true, Some(&scripts));
    for runner in ["npm run release", "bun run release", "just release"] {
        let last = shell(runner);
        assert_eq!(
            routed_after(&engine, std::slice::from_ref(&shown), &last),
            routed_after(&engine, &[], &last),
            "{runner}"
        );
    }
    // A step that did not run showed nothing.
    let refused: Step<'_> = (shell("jq '.scripts' package.json"), false, Some(&scripts));
    let last = shell("npm run wipe");
    assert!(!destroys_production(&routed_after(
        &engine,
        &[refused],
        &last
    )));
}

#[test]
fn a_recipe_shown_by_just_is_what_just_runs() {
    let engine = engine(DEPLOYMENT);
    let recipe = format!("# empty the payout queue\nwipe:\n    {WIPE}\n");
    let shown: Step<'_> = (shell("just --show wipe"), true, Some(&recipe));
    let got = routed_after(&engine, &[shown], &shell("just wipe"));
    assert!(destroys_production(&got), "{got:?}");
}

#[test]
fn a_poe_task_shown_by_grep_with_line_numbers_is_what_poe_runs() {
    let engine = engine(DEPLOYMENT);
    let lines = format!(
        "12:[tool.poe.tasks.wipe]\n13-help = \"empty the queue\"\n14-cmd = \"{}\"\n--\n40:[tool.poe.tasks.lint]\n41-cmd = \"ruff check .\"",
        WIPE.replace('\'', "")
    );
    let shown: Step<'_> = (
        shell("grep -n -A2 'tool.poe.tasks' pyproject.toml"),
        true,
        Some(&lines),
    );
    let got = routed_after(&engine, &[shown], &shell("poe wipe"));
    assert!(destroys_production(&got), "{got:?}");
}

#[test]
fn a_part_of_a_script_is_never_run_as_the_script() {
    let engine = engine(DEPLOYMENT);
    let head = format!("#!/bin/sh\n{WIPE}\n");
    let last = shell("bash ops/wipe.sh");
    let before = routed_after(&engine, &[], &last);
    for command in [
        "head -n 2 ops/wipe.sh",
        "sed -n '1,2p' ops/wipe.sh",
        "grep -n -A1 sh ops/wipe.sh",
    ] {
        let output = if command.starts_with("grep") {
            format!("1:#!/bin/sh\n2-{WIPE}")
        } else {
            head.clone()
        };
        let shown: Step<'_> = (shell(command), true, Some(&output));
        // The rest of the file may do anything: the part is not its text.
        assert_eq!(routed_after(&engine, &[shown], &last), before, "{command}");
    }
    // The same text shown whole is what the script runs.
    let whole: Step<'_> = (shell("cat ops/wipe.sh"), true, Some(&head));
    assert!(destroys_production(&routed_after(&engine, &[whole], &last)));
}

#[test]
fn a_part_of_an_xtask_source_that_names_the_task_is_what_it_runs() {
    let engine = engine(DEPLOYMENT);
    let function = format!(
        "fn wipe_queue() -> Result<()> {{\n    let sh = Shell::new()?;\n    cmd!(sh, \"{}\").run()?;\n    Ok(())\n}}\n",
        WIPE.replace('\'', "")
    );
    let shown: Step<'_> = (
        shell("sed -n '/fn wipe_queue/,/^}/p' xtask/src/main.rs"),
        true,
        Some(&function),
    );
    let last = shell("cargo xtask wipe-queue");
    let got = routed_after(&engine, std::slice::from_ref(&shown), &last);
    assert!(destroys_production(&got), "{got:?}");
    // Another task's code is not this one's.
    let other = shell("cargo xtask release");
    assert_eq!(
        routed_after(&engine, &[shown], &other),
        routed_after(&engine, &[], &other)
    );
}

#[test]
fn partial_views_are_kept_apart_from_whole_texts_in_the_session() {
    let engine = engine(DEPLOYMENT);
    let decide = |session: &SessionState, event: &(Runtime, Value)| {
        let envelope = writ_core::normalize(event.0, &event.1).unwrap();
        engine.guard(writ_core::GuardInput {
            envelope: &envelope,
            session,
            approvals: &[],
            now: time::OffsetDateTime::UNIX_EPOCH,
            agent: "agent",
            user: None,
        })
    };
    let path = "/home/dana/ws/package.json";
    let whole = r#"{"scripts": {"wipe": "true"}}"#;
    let scripts = scripts_json();
    let mut session = SessionState::default();
    let read = claude_tool("Read", json!({"file_path": path}));
    let decision = decide(&session, &read);
    session.record(&engine.step_record(&decision, true, Some(whole)));
    let state = serde_json::to_value(&session).unwrap();
    assert!(!state.to_string().contains("partial"), "{state}");
    // A part shown after the whole text adds nothing to it.
    let jq = shell("jq '.scripts' package.json");
    let decision = decide(&session, &jq);
    session.record(&engine.step_record(&decision, true, Some(&scripts)));
    let file = session.written.iter().find(|w| w.path == path).unwrap();
    assert!(!file.partial);
    assert_eq!(file.holds.text, vec![whole.to_owned()]);
    // Alone, it is held as a partial view: the JSON the file is known to hold.
    let mut session = SessionState::default();
    let decision = decide(&session, &jq);
    session.record(&engine.step_record(&decision, true, Some(&scripts)));
    let file = session.written.iter().find(|w| w.path == path).unwrap();
    assert!(file.partial);
    let held: Value = serde_json::from_str(&file.holds.text.join("\n")).unwrap();
    assert_eq!(held["scripts"]["wipe"], WIPE);
    // And it reads back as it was written.
    let text = serde_json::to_string(&session).unwrap();
    assert_eq!(
        serde_json::from_str::<SessionState>(&text).unwrap(),
        session
    );
}
