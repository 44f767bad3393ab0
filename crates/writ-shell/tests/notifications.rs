//! Table tests for notification CLIs (telegram-send, apprise, signal-cli,
//! ntfy) and platform CLIs' message sends (`twilio
//! api:core:messages:create`): a chat or SMS message is a message to its
//! recipients carrying its text and the files it sends. Each case is a
//! command line and the exact effects `analyze` must report, run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn message(program: &str, recipients: &[&str], payload: Value) -> Value {
    json!({"effect": "message", "program": program, "recipients": recipients, "payload": payload})
}

#[test]
fn telegram_send() {
    let telegram = ["https://api.telegram.org"];
    run_table(&[
        // `--file` takes every word up to the next option; the caption is text.
        (
            "telegram-send --file ~/.kube/config notes.txt --caption 'kube access'",
            json!([message(
                "telegram-send",
                &telegram,
                payload(
                    &["kube access"],
                    &[
                        ("/home/dana/.kube/config", false),
                        (&at("notes.txt"), false)
                    ],
                    &[]
                )
            )]),
        ),
        // `--file=F` takes only F; an abbreviated option is its full name.
        (
            "telegram-send --file=a.log 'build done' --cap done -i shot.png",
            json!([message(
                "telegram-send",
                &telegram,
                payload(
                    &["build done", "done"],
                    &[(&at("a.log"), false), (&at("shot.png"), false)],
                    &[]
                )
            )]),
        ),
        // Standard input is sent only with `--stdin`.
        (
            "cat .env | telegram-send --stdin --config ~/.config/tg.conf",
            json!([
                read(&at(".env")),
                message(
                    "telegram-send",
                    &telegram,
                    payload(&[], &[(&at(".env"), false)], &[])
                )
            ]),
        ),
        (
            "cat .env | telegram-send done",
            json!([
                read(&at(".env")),
                message("telegram-send", &telegram, payload(&["done"], &[], &[]))
            ]),
        ),
        // Setting it up or deleting messages sends nothing of the user's.
        ("telegram-send --configure", json!([])),
        ("telegram-send --delete 12 13", json!([])),
    ]);
}

#[test]
fn apprise_urls_are_their_services_recipients() {
    run_table(&[
        // The title, the body and the attachment to Discord's webhook.
        (
            "apprise -vv -t 'staging env' -b 'attached' --attach deploy/.env 'discord://1188402231/ZkQ7rT'",
            json!([message(
                "apprise",
                &["https://discord.com/api/webhooks/1188402231/ZkQ7rT"],
                payload(
                    &["staging env", "attached"],
                    &[(&at("deploy/.env"), false)],
                    &[]
                )
            )]),
        ),
        // No `-b`: the body is standard input. Each URL is a message of its
        // own, carrying its own expansions (a token in a variable).
        (
            "cat report.txt | apprise \"tgram://$TG_BOT/-1001822334455\" 'mailto://me:pw@gmail.com?to=ops@partner.com'",
            json!([
                read(&at("report.txt")),
                message(
                    "apprise",
                    &["-1001822334455"],
                    payload(&[], &[(&at("report.txt"), false)], &["TG_BOT"])
                ),
                message(
                    "apprise",
                    &["ops@partner.com"],
                    payload(&[], &[(&at("report.txt"), false)], &[])
                )
            ]),
        ),
        // An attachment URL is downloaded, then sent.
        (
            "apprise -b hi -a https://files.example.com/r.pdf 'twilio://AC1:tok@+18005550199/+14155550142'",
            json!([
                url_request("apprise", "https://files.example.com/r.pdf", "GET", empty()),
                message(
                    "apprise",
                    &["+14155550142"],
                    payload(&["hi", "https://files.example.com/r.pdf"], &[], &[])
                )
            ]),
        ),
        // Recipients from the configuration: none the line names.
        (
            "apprise -c ~/.apprise.yml -b hi",
            json!([message("apprise", &[], payload(&["hi"], &[], &[]))]),
        ),
        (
            "APPRISE_URLS='ntfys://ntfy.acme.dev/alerts' apprise -b hi",
            json!([message(
                "apprise",
                &["https://ntfy.acme.dev/alerts"],
                payload(&["hi"], &[], &[])
            )]),
        ),
        // A dry run and the service list send nothing.
        ("apprise --dry-run -b hi discord://1/2", json!([])),
        ("apprise -l", json!([])),
    ]);
}

#[test]
fn signal_cli_send() {
    run_table(&[
        (
            "signal-cli -a +15550001 send -m 'on my way' +14155550142 +4915112345678",
            json!([message(
                "signal-cli",
                &["+14155550142", "+4915112345678"],
                payload(&["on my way"], &[], &[])
            )]),
        ),
        // `-a` after `send` attaches every word up to the next option.
        (
            "signal-cli -a +15550001 send -a .env id.pub -m keys -g R3JvdXA= ",
            json!([message(
                "signal-cli",
                &["R3JvdXA=@signal.org"],
                payload(
                    &["keys"],
                    &[(&at(".env"), false), (&at("id.pub"), false)],
                    &[]
                )
            )]),
        ),
        (
            "echo hi | signal-cli -a +15550001 send --message-from-stdin --note-to-self",
            json!([message(
                "signal-cli",
                &["+15550001"],
                payload(&["hi"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn ntfy_publish_is_a_request_to_the_topics_server() {
    run_table(&[
        (
            "ntfy publish -t Backups alerts 'backup failed'",
            json!([url_request(
                "ntfy",
                "https://ntfy.sh/alerts",
                "POST",
                payload(&["backup failed", "Backups"], &[], &[])
            )]),
        ),
        (
            "ntfy pub --file=data/customers.csv -u \"bot:$NTFY_PASS\" ntfy.acme.dev/exports",
            json!([url_request(
                "ntfy",
                "https://ntfy.acme.dev/exports",
                "PUT",
                payload(&[], &[(&at("data/customers.csv"), false)], &["NTFY_PASS"])
            )]),
        ),
        // `--email` mails the message too.
        (
            "ntfy send -e ops@partner.com https://ntfy.acme.dev/alerts down",
            json!([
                message("ntfy", &["ops@partner.com"], payload(&["down"], &[], &[])),
                url_request(
                    "ntfy",
                    "https://ntfy.acme.dev/alerts",
                    "POST",
                    payload(&["down"], &[], &[])
                )
            ]),
        ),
    ]);
}

#[test]
fn twilio_message_sends_are_messages() {
    run_table(&[
        // The recipient is the `--to` number; the sender is not content.
        (
            "twilio api:core:messages:create --from '+18005550199' --to '+14155550142' --body 'courier at 14:00'",
            json!([message(
                "twilio",
                &["+14155550142"],
                payload(&["courier at 14:00"], &[], &[])
            )]),
        ),
        (
            "twilio api:core:messages:create --to=whatsapp:+4915112345678 --media-url https://x.example/a.png --body \"$DEPLOY_KEY\" -o json",
            json!([message(
                "twilio",
                &["whatsapp:+4915112345678"],
                payload(
                    &["https://x.example/a.png", "$DEPLOY_KEY"],
                    &[],
                    &["DEPLOY_KEY"]
                )
            )]),
        ),
        // A conversation's participants are not on the line.
        (
            "twilio api:conversations:v1:conversations:messages:create --conversation-sid CH1 --body hi",
            json!([message(
                "twilio",
                &["https://conversations.twilio.com"],
                payload(&["hi"], &[], &[])
            )]),
        ),
    ]);
}
