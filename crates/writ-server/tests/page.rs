//! The approvals page, driven over HTTP as a browser would (form posts and a cookie).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use reqwest::StatusCode;
use writ_server::Mode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_signs_in_sees_the_action_and_approves_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let earlier = id(&guard(&s, &t.agent, &listing_in("session-1")).await);
    let action = id(&guard(&s, &t.agent, &email(1)).await);
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let login = browser.get(s.url("/approvals")).send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let html = login.text().await.unwrap();
    assert!(html.contains("Sign in") && !html.contains(&action));

    let refused = browser
        .post(s.url("/approvals/login"))
        .form(&[("token", t.agent.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::UNAUTHORIZED,
        "agents do not review"
    );

    let signed = browser
        .post(s.url("/approvals/login"))
        .form(&[("token", t.approver.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let cookie = signed.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));

    let html = browser
        .get(s.url("/approvals"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("id='action-{action}'")), "{html}");
    assert!(html.contains(
        "agent-a wants to use <code>gmail/send_message</code> to send to <code>someone@example.net</code>"
    ));
    assert!(
        html.contains("someone@example.net"),
        "the arguments are shown"
    );
    assert!(html.contains("UNKNOWN_TOOL"), "the reasons are shown");
    assert!(
        html.contains(&earlier) || html.contains("<code>Bash</code>"),
        "the session's recent actions are shown"
    );
    assert!(html.contains(&format!("id='approve-{action}'")));
    assert!(html.contains("setInterval"), "the page refreshes itself");

    // The page's cookie is not an API credential.
    let api = browser
        .get(s.url(&format!("/v1/actions/{action}")))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);

    let fragment = browser
        .get(s.url("/approvals/queue"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fragment.starts_with("<div id=queue data-version="));

    let approved = browser
        .post(s.url(&format!("/approvals/{action}")))
        .form(&[
            ("decision", "grant"),
            ("comment", "looks fine <b>really</b>"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let (_, seen) = s
        .get(Some(&t.agent), &format!("/v1/actions/{action}"))
        .await;
    assert_eq!(seen["status"], "released");
    assert_eq!(seen["enforced_route"], "allow");
    assert_eq!(seen["reviews"][0]["by"], "alice@example.com");
    assert_eq!(seen["reviews"][0]["comment"], "looks fine <b>really</b>");

    let html = browser
        .get(s.url("/approvals?msg=Approved"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Nothing is waiting for approval."));

    // A second click is refused with a readable page, not a panic.
    let again = browser
        .post(s.url(&format!("/approvals/{action}")))
        .form(&[("decision", "deny"), ("comment", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("not waiting for approval")
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_escapes_what_agents_send() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let mut event = email(7);
    event["event"]["request"]["params"]["arguments"]["to"] =
        serde_json::json!("<script>alert(1)</script>@example.net");
    guard(&s, &t.agent, &event).await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let html = browser
        .post(s.url("/approvals/login"))
        .form(&[("token", t.auditor.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("Read only (auditor)."));
    s.stop().await;
}
