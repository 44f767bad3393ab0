//! E-mail sent through a cloud provider's SDK rather than a mail library:
//! AWS SES through boto3 (`boto3.client("sesv2").send_email(...)`, or a
//! client bound to a name first, `ses = boto3.client("ses")`, and its
//! raw, templated and bulk sends), the AWS SDK for JavaScript (v3's
//! `client.send(new SendEmailCommand({...}))` on an `SESv2Client` or
//! `SESClient`, v2's `new AWS.SES().sendEmail(...)`), Ruby's
//! `Aws::SESV2::Client` and PHP's `SesClient`.
//!
//! Such a send is a message, as a mail library's is, carrying what a send
//! carries ([`super::analyze`] gathers that), to the addresses its
//! destination names: the values of `ToAddresses`, `CcAddresses`,
//! `BccAddresses` and a raw send's `Destinations`, in each SDK's spelling
//! (`to_addresses:` in Ruby). With none written there (a raw message
//! whose own `To:` header names them), it goes to every address the code
//! writes out but the sender's (`Source`, `FromEmailAddress`, a `From:`
//! header).
//!
//! So is a send through the mail libraries of compiled and JVM languages
//! ([`library_sends`]): Go's `net/smtp` (`smtp.SendMail(addr, auth, from,
//! []string{to}, msg)`) and gomail, JavaMail's `Transport.send(msg)`
//! (Java's, Kotlin's, Groovy's, Scala's), Spring's `JavaMailSender`,
//! Apache Commons Email, .NET's and MailKit's `SmtpClient` and Rust's
//! lettre: to every address the code writes out, as a Python or Node mail
//! library's is.
//!
//! The Ruby Mail gem's messages (`Mail.deliver do ... end`, `Mail.new`
//! then `deliver`) carry the files their `add_file` calls attach
//! ([`ruby_attachments_read`]).

use super::storage::{in_literal, literal_at, replaced, token_starts};
use super::{Literal, called_with, is_address, literals};

/// What code that sends mail through a compiled or JVM language's library
/// writes: its send calls, or a client only ever used to send.
const LIBRARY_SENDS: &[&str] = &[
    // Go's.
    "smtp.SendMail(",
    "gomail.",
    ".DialAndSend(",
    // The JVM's.
    "Transport.send(",
    "JavaMailSender",
    "org.apache.commons.mail",
    // .NET's (System.Net.Mail and MailKit).
    "SmtpClient",
    // Rust's.
    "lettre::",
    "SmtpTransport",
];

/// True when `code` sends mail through a compiled or JVM language's mail
/// library ([`LIBRARY_SENDS`]), or builds a Ruby Mail gem message and
/// delivers it (`m = Mail.new do ... end; m.deliver!`).
pub(super) fn library_sends(code: &str) -> bool {
    LIBRARY_SENDS.iter().any(|send| code.contains(send))
        || (code.contains("Mail.new") && code.contains(".deliver"))
}

/// What Ruby code that uses the Mail gem writes.
const RUBY_MAIL_MARKERS: &[&str] = &["Mail.deliver", "Mail.new", "Mail::Message"];

/// The Mail gem's call that attaches a file by its path (`add_file
/// "exports/x.csv"`, `mail.add_file("x.csv")`).
const RUBY_ATTACH_CALL: &str = "add_file";

/// Ruby `code` that uses the Mail gem with the path literal each
/// `add_file` call attaches written as the read of it the call makes
/// (`File.read("exports/x.csv")`), so the message carries the file;
/// `None` when there is none. `add_file filename: "n", content: data`
/// names no file read (its content is what the code read).
pub(super) fn ruby_attachments_read(code: &str) -> Option<String> {
    if !RUBY_MAIL_MARKERS.iter().any(|m| code.contains(m)) {
        return None;
    }
    let literals = literals(code);
    let mut replacements = Vec::new();
    for (at, _) in code.match_indices(RUBY_ATTACH_CALL) {
        let end = at + RUBY_ATTACH_CALL.len();
        let method = code.get(..at).is_some_and(|head| head.ends_with('.'));
        if in_literal(&literals, at) || !(token_starts(code, at) || method) {
            continue;
        }
        let rest = code.get(end..).unwrap_or_default();
        // `add_file "p"` or `add_file("p")`, not `add_file_x` or `add_files`.
        let Some(after) = rest
            .strip_prefix('(')
            .or_else(|| rest.starts_with([' ', '\t']).then_some(rest))
        else {
            continue;
        };
        let first = code.len() - after.trim_start().len();
        let Some((_, literal)) = literal_at(&literals, first) else {
            continue;
        };
        if literal.backtick || code.get(literal.end..).is_some_and(|r| r.starts_with(':')) {
            continue;
        }
        let text = code.get(literal.start..literal.end).unwrap_or_default();
        replacements.push((literal.start, literal.end, format!("File.read({text})")));
    }
    replaced(code, replacements)
}

/// Calls that send an e-mail through an SES client, in each SDK's
/// spelling (boto3's and Ruby's, JavaScript v2's and PHP's, JavaScript
/// v3's commands).
const SEND_CALLS: &[&str] = &[
    "send_email(",
    "send_raw_email(",
    "send_bulk_email(",
    "send_templated_email(",
    "send_bulk_templated_email(",
    "sendEmail(",
    "sendRawEmail(",
    "sendBulkEmail(",
    "sendTemplatedEmail(",
    "sendBulkTemplatedEmail(",
    "SendEmailCommand(",
    "SendRawEmailCommand(",
    "SendBulkEmailCommand(",
    "SendTemplatedEmailCommand(",
    "SendBulkTemplatedEmailCommand(",
];

/// SES clients named by their class (JavaScript's, Ruby's, PHP's).
const CLIENT_CLASSES: &[&str] = &[
    "SESClient",
    "SESv2Client",
    "AWS.SES",
    "Aws::SES::Client",
    "Aws::SESV2::Client",
    "SesClient",
    "SesV2Client",
];

/// The service names that make a generic client an SES one
/// (`boto3.client("sesv2")`, `session.client('ses')`).
const SERVICE_NAMES: &[&str] = &["ses", "sesv2"];

/// Keys whose values are a send's recipients, lowercased without `_`.
const DESTINATION_KEYS: &[&str] = &["toaddresses", "ccaddresses", "bccaddresses", "destinations"];

/// Keys whose values are the sender's own addresses, lowercased without
/// `_` (`Source=`, `FromEmailAddress=`, `msg["From"] = ...`).
const SENDER_KEYS: &[&str] = &[
    "source",
    "fromemailaddress",
    "from",
    "replytoaddresses",
    "returnpath",
    "feedbackforwardingemailaddress",
];

/// Header lines of a raw message that name the sender, lowercased.
const SENDER_HEADERS: &[&str] = &["from:", "sender:", "reply-to:", "return-path:"];

/// The recipients of the e-mail `code` sends through an SES client, or
/// `None` when it sends none.
pub(super) fn recipients(code: &str, literals: &[Literal]) -> Option<Vec<String>> {
    if !SEND_CALLS.iter().any(|call| code.contains(call)) || !has_client(code, literals) {
        return None;
    }
    let keys: Vec<Option<String>> = (0..literals.len())
        .map(|index| key_of(code, literals, index))
        .collect();
    let mut named = Vec::new();
    for (literal, key) in literals.iter().zip(&keys) {
        if key
            .as_deref()
            .is_some_and(|key| DESTINATION_KEYS.contains(&key))
        {
            add_addresses(&mut named, &literal.text);
        }
    }
    if named.is_empty() {
        for (literal, key) in literals.iter().zip(&keys) {
            if !key.as_deref().is_some_and(|key| SENDER_KEYS.contains(&key)) {
                let lines = literal.text.lines().filter(|line| {
                    let line = line.trim_start().to_ascii_lowercase();
                    !SENDER_HEADERS.iter().any(|h| line.starts_with(h))
                });
                for line in lines {
                    add_addresses(&mut named, line);
                }
            }
        }
    }
    Some(named)
}

/// True when the code makes an SES client: by its class, or by giving a
/// generic client SES's service name.
fn has_client(code: &str, literals: &[Literal]) -> bool {
    CLIENT_CLASSES.iter().any(|class| code.contains(class))
        || literals.iter().any(|literal| {
            SERVICE_NAMES.contains(&literal.text.as_str())
                && called_with(code.get(..literal.start).unwrap_or_default(), &["client"]).is_some()
        })
}

/// Adds each address `text` writes out (`"Jo <jo@x.io>, al@y.io"`) to
/// `all`, once.
fn add_addresses(all: &mut Vec<String>, text: &str) {
    let words = text.split([',', ';', ' ', '<', '>', '\t', '\r', '\n', ':', '"', '\'']);
    for word in words.filter(|word| is_address(word)) {
        if !all.iter().any(|seen| seen == word) {
            all.push(word.to_owned());
        }
    }
}

/// The key whose value holds literal `index`, lowercased without `_`:
/// the name it is assigned to directly (`Source="a"`, `Source: "a"`,
/// `'Source' => "a"`, `msg["From"] = "a"`) or that of the list it is an
/// item of (`ToAddresses=["a", "b"]`, `to_addresses: ["a"]`).
fn key_of(code: &str, literals: &[Literal], index: usize) -> Option<String> {
    let literal = literals.get(index)?;
    let head = code.get(..literal.start)?.trim_end();
    let head = match head.strip_suffix([',', '[']) {
        Some(_) => code.get(..list_open(code, literals, literal.start)?)?,
        None => head,
    };
    let head = head.trim_end();
    let head = ["=>", "=", ":"]
        .iter()
        .find_map(|sep| head.strip_suffix(sep))?
        .trim_end()
        .trim_end_matches(['"', '\'', ']', '[']);
    let name: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .filter(|c| *c != '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Where the list holding the item at `at` opens: the unclosed `[` before
/// it, brackets inside other literals skipped.
fn list_open(code: &str, literals: &[Literal], at: usize) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut pos = at;
    while pos > 0 {
        pos -= 1;
        if let Some(literal) = literals.iter().find(|l| l.start < pos && pos < l.end) {
            pos = literal.start;
            continue;
        }
        match bytes.get(pos) {
            Some(b']' | b')' | b'}') => depth += 1,
            Some(b'[') if depth == 0 => return Some(pos),
            Some(b'(' | b'{') if depth == 0 => return None,
            Some(b'[' | b'(' | b'{') => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::literals;
    use super::*;

    fn sent_to(code: &str) -> Option<Vec<String>> {
        recipients(code, &literals(code))
    }

    #[test]
    fn destination_keys_name_the_recipients() {
        assert_eq!(
            sent_to(
                r#"boto3.client("sesv2").send_email(FromEmailAddress="me@a.io", Destination={"ToAddresses": ["x@b.io", "y@b.io"], "BccAddresses": ["z@c.io"]})"#
            ),
            Some(vec!["x@b.io".into(), "y@b.io".into(), "z@c.io".into()])
        );
    }

    #[test]
    fn a_raw_message_goes_to_its_addresses_but_the_senders() {
        assert_eq!(
            sent_to(
                "ses = boto3.client('ses')\nses.send_raw_email(Source='me@a.io', RawMessage={'Data': 'From: me@a.io\\nTo: x@b.io\\n\\nhi'})"
            ),
            Some(vec!["x@b.io".into()])
        );
    }

    #[test]
    fn compiled_languages_mail_libraries_send() {
        assert!(library_sends(
            "smtp.SendMail(\"h:587\", auth, from, []string{\"x@b.io\"}, msg)"
        ));
        assert!(library_sends("Transport.send(message);"));
        assert!(library_sends(
            "using var c = new SmtpClient(\"h\"); c.Send(m);"
        ));
        assert!(!library_sends(
            "http.Post(\"https://h\", \"text/plain\", body)"
        ));
    }

    #[test]
    fn other_clients_and_other_sends_are_no_ses_mail() {
        assert_eq!(sent_to(r#"boto3.client("s3").send_email(x)"#), None);
        assert_eq!(sent_to(r#"mailer.send_email(to="x@b.io")"#), None);
        assert_eq!(sent_to(r#"boto3.client("ses").list_identities()"#), None);
    }
}
