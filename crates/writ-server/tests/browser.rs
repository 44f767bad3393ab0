//! The approvals page in a real headless Chromium, driven over WebDriver
//! (`chromedriver`): a reviewer signs in, sees a pending action, comments and
//! approves it, and the API then shows it released with that review.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test is
//! skipped with a message, unless `CI` is set: then it fails.
//! `WRIT_UPDATE_SCREENSHOT=1` rewrites `docs/img/approvals.png`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use fantoccini::{ClientBuilder, Locator};
use serde_json::json;
use writ_server::Mode;

const SCREENSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/img/approvals.png");
const UPDATE: &str = "WRIT_UPDATE_SCREENSHOT";

/// The first of `names` on `PATH`.
fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and its driver, or `None` when this machine has none (a failure under CI).
fn browser() -> Option<(PathBuf, PathBuf)> {
    let found =
        which(&["chromium", "chromium-browser", "google-chrome"]).zip(which(&["chromedriver"]));
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "skipped: chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
    }
    found
}

/// A `chromedriver` on a free loopback port; killed when dropped.
struct Driver {
    url: String,
    _child: tokio::process::Child,
}

async fn start_driver(driver: &PathBuf) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = tokio::process::Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Driver {
                url: format!("http://127.0.0.1:{port}"),
                _child: child,
            };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not listen on {port} within 10 s");
}

/// A payment through an OpenAI Agents function no manifest describes.
fn transfer() -> serde_json::Value {
    json!({"runtime": "openai-agents", "session_id": "session-7", "event": {"type": "function_call", "call_id": "c1",
        "name": "wire_transfer", "arguments": "{\"to\": \"DE89 3704 0044 0532 0130 00\", \"amount\": 12500}"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_approves_in_chromium_and_the_api_releases_the_action() {
    let Some((chromium, chromedriver)) = browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let mail = guard(&s, &t.agent, &email(1)).await;
    assert_eq!(mail["route"], "require_approval", "{mail}");
    let mail = id(&mail);
    let payment = id(&guard(&s, &t.agent, &transfer()).await);

    let driver = start_driver(&chromedriver).await;
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        json!({"binary": chromium, "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--window-size=1100,1300", "--force-device-scale-factor=1"]}),
    );
    let b = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap();

    // Sign in with the approver's token, as a person pastes it.
    b.goto(&s.url("/approvals")).await.unwrap();
    b.find(Locator::Css("input[name=token]"))
        .await
        .unwrap()
        .send_keys(&t.approver)
        .await
        .unwrap();
    b.find(Locator::Id("signin"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The queue shows both actions with what they do and why.
    let card = b
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id(&format!("action-{mail}")))
        .await
        .unwrap();
    let text = card.text().await.unwrap();
    assert!(
        text.contains("gmail/send_message") && text.contains("someone@example.net"),
        "{text}"
    );
    assert!(text.contains("UNKNOWN_TOOL"), "{text}");
    b.find(Locator::Id(&format!("action-{payment}")))
        .await
        .unwrap();
    let png = b.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    if std::env::var_os(UPDATE).is_some() {
        std::fs::create_dir_all(std::path::Path::new(SCREENSHOT).parent().unwrap()).unwrap();
        std::fs::write(SCREENSHOT, &png).unwrap();
    }

    // Comment and approve.
    let comment = "Known recipient; the agent drafts the weekly update.";
    b.find(Locator::Id(&format!("comment-{mail}")))
        .await
        .unwrap()
        .send_keys(comment)
        .await
        .unwrap();
    b.find(Locator::Id(&format!("approve-{mail}")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let flash = b
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id("flash"))
        .await
        .unwrap();
    assert_eq!(flash.text().await.unwrap(), format!("Approved {mail}"));
    assert!(
        b.find(Locator::Id(&format!("action-{mail}")))
            .await
            .is_err(),
        "an approved action leaves the queue"
    );
    b.close().await.unwrap();
    drop(driver);

    // The agent sees it released with the approver's name and comment.
    let (_, view) = s.get(Some(&t.agent), &format!("/v1/actions/{mail}")).await;
    assert_eq!(view["status"], "released", "{view}");
    assert_eq!(view["enforced_route"], "allow", "{view}");
    assert_eq!(view["released"], true);
    assert_eq!(view["reviews"][0]["by"], "alice@example.com");
    assert_eq!(view["reviews"][0]["decision"], "grant");
    assert_eq!(view["reviews"][0]["comment"], comment);
    let (_, other) = s
        .get(Some(&t.agent), &format!("/v1/actions/{payment}"))
        .await;
    assert_eq!(other["status"], "pending", "the other action still waits");
    s.stop().await;
}
