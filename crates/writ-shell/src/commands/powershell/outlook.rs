//! Outlook's COM object model: `$ol = New-Object -ComObject
//! Outlook.Application; $m = $ol.CreateItem(0)`, then the item's
//! recipients (`$m.To`, `.CC`, `.BCC`, `$m.Recipients.Add(A)`), subject,
//! body (`.Body`, `.HTMLBody`) and attachments (`$m.Attachments.Add(F)`),
//! and `$m.Send()` sends it. The statement that sends becomes the
//! `Send-MailMessage` that sends the same mail, so the message, its
//! recipients and what it carries are read as that cmdlet's are.

use super::statements::{Span, assignment, call_arguments, discarded};

/// What a mail item was given before it is sent: each value as written
/// (a string, a variable, an expression).
#[derive(Debug, Default, Clone)]
struct MailItem {
    to: Vec<String>,
    cc: Vec<String>,
    bcc: Vec<String>,
    subject: Vec<String>,
    body: Vec<String>,
    attachments: Vec<String>,
}

/// The Outlook objects the statements so far hold, by variable.
#[derive(Default)]
struct Objects {
    applications: Vec<String>,
    items: Vec<(String, MailItem)>,
}

impl Objects {
    fn item(&mut self, variable: &str) -> Option<&mut MailItem> {
        self.items
            .iter_mut()
            .rev()
            .find(|(name, _)| name.eq_ignore_ascii_case(variable))
            .map(|(_, item)| item)
    }

    fn is_application(&self, receiver: &str) -> bool {
        let lower = receiver.to_ascii_lowercase();
        lower.contains("outlook.application")
            || self
                .applications
                .iter()
                .any(|app| lower.starts_with(&app.to_ascii_lowercase()))
    }
}

/// The `Send-MailMessage` statements that stand for `$m.Send()` calls.
pub(super) fn replacements(code: &str, spans: &[Span]) -> Vec<(Span, String)> {
    let mut objects = Objects::default();
    let mut out = Vec::new();
    for span in spans {
        let Some(text) = code.get(span.0..span.1) else {
            continue;
        };
        if let Some(command) = statement(&mut objects, discarded(text)) {
            out.push((*span, command));
        }
    }
    out
}

/// Reads one statement into `objects`; for a send, the command that
/// stands for it.
fn statement(objects: &mut Objects, text: &str) -> Option<String> {
    if let Some((target, value)) = assignment(text) {
        match target.split_once('.') {
            None => assign_variable(objects, target, value),
            Some((variable, property)) => {
                let item = objects.item(variable)?;
                let values = match property.to_ascii_lowercase().as_str() {
                    "to" => &mut item.to,
                    "cc" => &mut item.cc,
                    "bcc" => &mut item.bcc,
                    "subject" => &mut item.subject,
                    "body" | "htmlbody" | "rtfbody" => &mut item.body,
                    _ => return None,
                };
                values.push(value.to_owned());
            }
        }
        return None;
    }
    let (variable, member) = text.split_once('.')?;
    let lower = member.to_ascii_lowercase();
    let item = objects.item(variable)?;
    if lower.starts_with("recipients.add(") {
        item.to.extend(first_argument(member, "add"));
    } else if lower.starts_with("attachments.add(") {
        item.attachments.extend(first_argument(member, "add"));
    } else if lower.replace(' ', "") == "send()" {
        return send_command(item);
    }
    None
}

/// `$v = ...`: an Outlook application, a new mail item, or a recipient
/// added (`$r = $m.Recipients.Add(A)`).
fn assign_variable(objects: &mut Objects, variable: &str, value: &str) {
    let lower = value.to_ascii_lowercase();
    if lower.contains("outlook.application") && !lower.contains(".createitem(") {
        objects.applications.push(variable.to_owned());
        return;
    }
    if let Some(at) = lower.find(".createitem(") {
        if objects.is_application(value.get(..at).unwrap_or_default()) {
            objects
                .items
                .push((variable.to_owned(), MailItem::default()));
        }
        return;
    }
    if let Some((receiver, member)) = value.split_once('.')
        && member.to_ascii_lowercase().starts_with("recipients.add(")
        && let Some(item) = objects.item(receiver)
    {
        item.to.extend(first_argument(member, "add"));
    }
}

fn first_argument(member: &str, method: &str) -> Option<String> {
    call_arguments(member, method)?
        .first()
        .map(|argument| (*argument).to_owned())
}

/// The `Send-MailMessage` that sends `item`; `None` without recipients.
fn send_command(item: &MailItem) -> Option<String> {
    let mut command = String::from("Send-MailMessage");
    let mut any = false;
    for (parameter, values) in [("-To", &item.to), ("-Cc", &item.cc), ("-Bcc", &item.bcc)] {
        let recipients: Vec<String> = values.iter().flat_map(|v| recipients(v)).collect();
        if !recipients.is_empty() {
            any = true;
            command.push_str(&format!(" {parameter} {}", recipients.join(",")));
        }
    }
    if !any {
        return None;
    }
    for (parameter, values) in [
        ("-Subject", &item.subject),
        ("-Body", &item.body),
        ("-Attachments", &item.attachments),
    ] {
        for value in values {
            command.push_str(&format!(" {parameter} {}", one_value(value)));
        }
    }
    Some(command)
}

/// The recipients a value names: a string's addresses, which Outlook
/// separates with `;`, or the value itself.
fn recipients(value: &str) -> Vec<String> {
    match literal(value) {
        Some(text) => text
            .split([';', ','])
            .map(str::trim)
            .filter(|address| !address.is_empty())
            .map(|address| format!("'{}'", address.replace('\'', "''")))
            .collect(),
        None => vec![one_value(value)],
    }
}

/// The text of a string without expansions (`'a'`, `"a"` with no `$`).
fn literal(value: &str) -> Option<&str> {
    let value = value.trim();
    let inner = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .or_else(|| {
            value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .filter(|v| !v.contains(['$', '`']))
        })?;
    (!inner.contains(['\'', '"'])).then_some(inner)
}

/// A value as one argument: a string or variable as written, anything
/// else in parentheses.
fn one_value(value: &str) -> String {
    let value = value.trim();
    let quoted = value.len() >= 2
        && ((value.starts_with('\'') && value.ends_with('\''))
            || (value.starts_with('"') && value.ends_with('"')));
    let simple = quoted
        || (value.starts_with('(') && value.ends_with(')'))
        || !value.contains(char::is_whitespace);
    if simple {
        value.to_owned()
    } else {
        format!("({value})")
    }
}

#[cfg(test)]
mod tests {
    use super::super::statements::{rewrite, statements};
    use super::*;

    #[test]
    fn a_sent_item_becomes_send_mailmessage() {
        let code = "$o = New-Object -ComObject Outlook.Application; $m = $o.CreateItem(0); \
                    $m.To = \"a@x.com; b@y.com\"; $m.Recipients.Add('c@z.com') | Out-Null; \
                    $m.Subject = 'Hi'; $m.HTMLBody = \"<p>$body</p>\"; \
                    [void]$m.Attachments.Add(\"C:\\f\\a.xlsx\"); $m.Send()";
        let sent = replacements(code, &statements(code));
        assert_eq!(
            sent.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>(),
            [
                "Send-MailMessage -To 'a@x.com','b@y.com','c@z.com' -Subject 'Hi' \
              -Body \"<p>$body</p>\" -Attachments \"C:\\f\\a.xlsx\""
            ]
        );
        assert!(rewrite(code).ends_with("-Attachments \"C:\\f\\a.xlsx\""));
    }

    #[test]
    fn drafts_and_other_objects_send_nothing() {
        for code in [
            "$o = New-Object -ComObject Outlook.Application; $m = $o.CreateItem(0); $m.To = 'a@x.com'; $m.Save()",
            "$o = New-Object -ComObject Outlook.Application; $m = $o.CreateItem(0); $m.Send()",
            "$w = New-Object -ComObject Word.Application; $m = $w.CreateItem(0); $m.To = 'a@x.com'; $m.Send()",
        ] {
            assert!(replacements(code, &statements(code)).is_empty(), "{code}");
        }
    }
}
