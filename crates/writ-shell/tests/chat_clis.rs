//! Table tests for team chat CLIs (slackcat, the CLI for Microsoft 365,
//! matrix-commander, zulip-send, mmctl): a post is a message to the
//! people, users or channels it names, on the server the line names,
//! carrying its text and the files it sends; role and membership changes
//! are grants. Each case is a command line and the exact effects
//! `analyze` must report, run in `/home/dana/acme-web` with home
//! `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn message(program: &str, recipients: &[&str], payload: Value) -> Value {
    json!({"effect": "message", "program": program, "recipients": recipients, "payload": payload})
}

#[test]
fn slackcat_uploads_to_a_slack_channel_or_user() {
    run_table(&[
        // Standard input, uploaded under a name, to a channel on slack.com.
        (
            "cat .env | slackcat --channel ext-partner --filename staging.env",
            json!([
                read(&at(".env")),
                message(
                    "slackcat",
                    &["#ext-partner@slack.com"],
                    payload(&["staging.env"], &[(&at(".env"), false)], &[])
                )
            ]),
        ),
        // A file named on the line is sent, not standard input; `@U` is a
        // direct message.
        (
            "slackcat -c @bob --comment 'weekly numbers' report.csv",
            json!([message(
                "slackcat",
                &["bob@slack.com"],
                payload(&["weekly numbers"], &[(&at("report.csv"), false)], &[])
            )]),
        ),
        // No channel: the one its configuration names, through Slack's API.
        (
            "slackcat build.log",
            json!([message(
                "slackcat",
                &["https://slack.com/api"],
                payload(&[], &[(&at("build.log"), false)], &[])
            )]),
        ),
        // A trial run and the channel list send nothing.
        ("slackcat --noop -c general notes.txt", json!([])),
        ("slackcat --list", json!([])),
    ]);
}

#[test]
fn m365_mail_and_teams_messages_go_to_their_recipients() {
    run_table(&[
        // Every address of `--to`, `--cc` and `--bcc`, comma-separated;
        // the subject, the body and the attachments sent.
        (
            "m365 outlook mail send --to ops@partner.com,b@x.org --cc c@acme.io --subject 'Key rotation' --bodyContents 'Moving to Ed25519' --attachment report.pdf",
            json!([message(
                "m365",
                &["ops@partner.com", "b@x.org", "c@acme.io"],
                payload(
                    &["Key rotation", "Moving to Ed25519"],
                    &[(&at("report.pdf"), false)],
                    &[]
                )
            )]),
        ),
        // `@FILE` is the file the CLI loads the value from.
        (
            "m365 outlook mail send --to a@x.com --subject Hi --bodyContents @body.html",
            json!([message(
                "m365",
                &["a@x.com"],
                payload(&["Hi"], &[(&at("body.html"), false)], &[])
            )]),
        ),
        // A Teams chat with the people named by address.
        (
            "m365 teams chat message send --userEmails k@brightforge.com,m@acme.io --message 'SOW draft in review'",
            json!([message(
                "m365",
                &["k@brightforge.com", "m@acme.io"],
                payload(&["SOW draft in review"], &[], &[])
            )]),
        ),
        // A channel of a team of the login's tenant: the channel as written.
        (
            "m365 teams message send --teamId T1 --channelId general --message standup",
            json!([message(
                "m365",
                &["#general"],
                payload(&["standup"], &[], &[])
            )]),
        ),
        // Reading mail sends nothing.
        ("m365 outlook mail list", json!([])),
    ]);
}

#[test]
fn matrix_commander_posts_to_rooms_and_users() {
    run_table(&[
        // `@USER:SERVER` is a user on that homeserver.
        (
            "matrix-commander --user '@tobias:matrix.org' -m 'Thanks for the fix'",
            json!([message(
                "matrix-commander",
                &["tobias@matrix.org"],
                payload(&["Thanks for the fix"], &[], &[])
            )]),
        ),
        // `-r` takes every room up to the next option; a room alias or id
        // is on its server; files go with the text.
        (
            "matrix-commander -r '#data:matrix.acme.io' '!x:matrix.acme.io' -m 'ETL OK' -f out.csv",
            json!([message(
                "matrix-commander",
                &["#data@matrix.acme.io", "!x@matrix.acme.io"],
                payload(&["ETL OK"], &[(&at("out.csv"), false)], &[])
            )]),
        ),
        // Standard input with nothing else to send is the message, to the
        // room its credentials name.
        (
            "cat .env | matrix-commander",
            json!([
                read(&at(".env")),
                message(
                    "matrix-commander",
                    &[],
                    payload(&[], &[(&at(".env"), false)], &[])
                )
            ]),
        ),
        // Listening posts nothing.
        (
            "cat .env | matrix-commander --listen once",
            json!([read(&at(".env"))]),
        ),
        // An invitation is access to the room for the user.
        (
            "matrix-commander --room-invite '#ops:m.acme.io' --user '@eve:evil.org'",
            json!([grant_named(
                "matrix room #ops:m.acme.io",
                Some("eve@evil.org")
            )]),
        ),
    ]);
}

#[test]
fn zulip_send_messages_addresses_and_streams() {
    run_table(&[
        // A private message to an address, whatever server carries it.
        (
            "zulip-send --site https://zulip.acme.io priya@gmail.com -m 'Access ends Friday'",
            json!([message(
                "zulip-send",
                &["priya@gmail.com"],
                payload(&["Access ends Friday"], &[], &[])
            )]),
        ),
        // A stream is a channel on `--site`'s host.
        (
            "zulip-send --site https://zulip.acme.io/ --stream infra --subject 'TLS' --message 'Rotated'",
            json!([message(
                "zulip-send",
                &["#infra@zulip.acme.io"],
                payload(&["Rotated", "TLS"], &[], &[])
            )]),
        ),
        // The server from `ZULIP_SITE`; without `-m` standard input is sent.
        (
            "ZULIP_SITE=https://chat.acme.io zulip-send -s ops -S deploy < notes.txt",
            json!([
                read(&at("notes.txt")),
                message(
                    "zulip-send",
                    &["#ops@chat.acme.io"],
                    payload(&["deploy"], &[(&at("notes.txt"), false)], &[])
                )
            ]),
        ),
    ]);
}

#[test]
fn mmctl_posts_and_changes_of_access() {
    run_table(&[
        (
            "mmctl roles system_admin jkowalski",
            json!([grant_named(
                "mattermost role system_admin",
                Some("jkowalski")
            )]),
        ),
        (
            "mmctl channel users add acme:town-square alice bob",
            json!([
                grant_named("mattermost channel acme:town-square", Some("alice")),
                grant_named("mattermost channel acme:town-square", Some("bob"))
            ]),
        ),
        (
            "mmctl permissions role assign system_manager carol",
            json!([grant_named("mattermost role system_manager", Some("carol"))]),
        ),
        // An invitation mails the address and lets it into the team.
        (
            "mmctl user invite eve@evil.org acme",
            json!([
                message("mmctl", &["eve@evil.org"], empty()),
                grant_named("mattermost team acme", Some("eve@evil.org"))
            ]),
        ),
        // A post to a channel of the server it is logged in to.
        (
            "mmctl post create acme:release --message 'v2.14 is out'",
            json!([message(
                "mmctl",
                &["#release"],
                payload(&["v2.14 is out"], &[], &[])
            )]),
        ),
        ("mmctl post list acme:release", json!([])),
    ]);
}
