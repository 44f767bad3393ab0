//! `writ serve` killed with SIGKILL under concurrent load loses nothing it
//! acknowledged: every action a guard answered for is there after a
//! restart, every acknowledged outcome is closed and certified, and the
//! log still verifies. (Group commit acknowledges only after the fsync.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::Server;

fn listing(session: &str, n: usize) -> Value {
    json!({"runtime": "claude-code", "event": {
        "session_id": session, "transcript_path": "/tmp/t.jsonl", "cwd": "/tmp",
        "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": format!("ls -la /tmp/{n}")}, "tool_use_id": format!("toolu_{n}")}})
}

#[derive(Default)]
struct Acked {
    guarded: Vec<String>,
    closed: Vec<String>,
}

#[test]
fn acknowledged_actions_survive_sigkill_under_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), None);
    let agent = server.token("agent", "crash-agent", &[]);
    let acked = Arc::new(Mutex::new(Acked::default()));

    for round in 0..3 {
        let url = server.url.clone();
        let stop_at = Instant::now() + Duration::from_millis(700);
        let workers: Vec<_> = (0..6)
            .map(|w| {
                let (url, agent, acked) = (url.clone(), agent.clone(), acked.clone());
                std::thread::spawn(move || {
                    let http = reqwest::blocking::Client::builder()
                        .timeout(Duration::from_secs(5))
                        .build()
                        .unwrap();
                    let session = format!("crash-{round}-{w}");
                    for n in 0.. {
                        let Ok(r) = http
                            .post(format!("{url}/v1/guard"))
                            .bearer_auth(&agent)
                            .json(&listing(&session, n))
                            .send()
                        else {
                            return; // the server is gone
                        };
                        let Ok(v) = r.json::<Value>() else { return };
                        let Some(id) = v["action_id"].as_str().map(str::to_owned) else {
                            panic!("a guard without an action: {v}")
                        };
                        acked.lock().unwrap().guarded.push(id.clone());
                        if Instant::now() > stop_at {
                            // Keep the load on until the kill.
                            std::thread::sleep(Duration::from_millis(1));
                        }
                        let Ok(r) = http
                            .post(format!("{url}/v1/actions/{id}/outcome"))
                            .bearer_auth(&agent)
                            .json(&json!({"closure": "completed", "result": {"exit_code": 0}}))
                            .send()
                        else {
                            return;
                        };
                        if r.status() == 200 {
                            acked.lock().unwrap().closed.push(id);
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(400 + 150 * round as u64));
        server.kill();
        for w in workers {
            w.join().unwrap();
        }
        server = Server::start(dir.path(), None);
    }

    let acked = acked.lock().unwrap();
    assert!(
        acked.guarded.len() > 20,
        "too little load: {}",
        acked.guarded.len()
    );
    for id in &acked.guarded {
        let (status, v) = server.get(&agent, &format!("/v1/actions/{id}"));
        assert_eq!(status, 200, "acknowledged action {id} was lost: {v}");
        assert_eq!(v["route"], "allow");
    }
    for id in &acked.closed {
        let (_, v) = server.get(&agent, &format!("/v1/actions/{id}"));
        assert_eq!(
            v["status"], "closed",
            "acknowledged outcome of {id} was lost: {v}"
        );
        assert_eq!(v["certified"], true);
    }
    // The proofs of the last closed actions verify offline.
    for id in acked.closed.iter().rev().take(3) {
        let (status, bundle) = server.get(&agent, &format!("/v1/actions/{id}/proof"));
        assert_eq!(status, 200, "{bundle}");
        server.verify_offline(&bundle, &format!("{id}.json"));
    }
    // The log after three crashes still answers with a signed checkpoint.
    let (status, _) = server.get(&agent, "/v1/log/checkpoint");
    assert_eq!(status, 200);
}
