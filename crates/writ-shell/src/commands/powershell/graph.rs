//! `Invoke-MgGraphRequest` (Microsoft Graph PowerShell): a request to
//! Graph, its relative URIs (`v1.0/me`) on `graph.microsoft.com`, its
//! hashtable body sent as the JSON the cmdlet serialises it to, so the
//! request reads as the same call made with curl (`createLink` with
//! `scope = 'anonymous'`, `sendMail`, ...). The drive-item sharing cmdlets
//! (`New-MgDriveItemLink`, `New-MgDriveItemInvite`) are the `createLink`
//! and `invite` requests they make.

use super::{Cmdlet, bind, path_text, ps_expansions, ps_payload};
use crate::commands::{Invocation, Outcome, request, send_file, url};
use crate::flow;

const GRAPH_REQUEST: Cmdlet = Cmdlet {
    values: &[
        "method",
        "uri",
        "body",
        "headers",
        "outputfilepath",
        "inputfilepath",
        "contenttype",
        "sessionvariable",
        "responseheadersvariable",
        "statuscodevariable",
        "graphrequestsession",
        "useragent",
        "outputtype",
    ],
    positional: 3,
    switches: &[
        "inferoutputfilename",
        "skipheadervalidation",
        "skiphttperrorcheck",
        "break",
    ],
    aliases: &[
        ("sv", "sessionvariable"),
        ("rhv", "responseheadersvariable"),
    ],
};

/// The host relative Graph URIs go to.
const GRAPH: &str = "https://graph.microsoft.com";

/// `New-MgDriveItemLink` and `Invoke-MgInviteDriveItem` (`New-
/// MgDriveItemInvite`; and their user, group and site forms): the drive item's `createLink`/`invite` request,
/// its body the `-BodyParameter` hashtable's JSON or the `-Type`, `-Scope`
/// (and `-Recipients`, `-Roles`) parameters.
const DRIVE_ITEM_SHARE: Cmdlet = Cmdlet {
    values: &[
        "driveid",
        "driveitemid",
        "userid",
        "groupid",
        "siteid",
        "bodyparameter",
        "type",
        "scope",
        "password",
        "expirationdatetime",
        "recipients",
        "roles",
        "message",
    ],
    positional: 0,
    switches: &[
        "retaininheritedpermissions",
        "requiresignin",
        "sendinvitation",
    ],
    aliases: &[],
};

/// The Graph action a drive-item sharing cmdlet calls, by its name:
/// `new-mg[user|group|site]driveitemlink` is `createLink`,
/// `new-mg...driveiteminvite` and Graph SDK v2's
/// `invoke-mginvite[user|group|site]driveitem` are `invite`.
fn drive_item_action(program: &str) -> Option<&'static str> {
    let owned = |rest: &str| -> String {
        ["user", "group", "site"]
            .iter()
            .find_map(|owner| rest.strip_prefix(owner))
            .unwrap_or(rest)
            .to_owned()
    };
    if let Some(rest) = program.strip_prefix("invoke-mginvite") {
        return (owned(rest) == "driveitem").then_some("invite");
    }
    match owned(program.strip_prefix("new-mg")?).as_str() {
        "driveitemlink" => Some("createLink"),
        "driveiteminvite" => Some("invite"),
        _ => None,
    }
}

fn drive_item_share(inv: &Invocation<'_>, action: &str) -> Outcome {
    let bound = bind(&DRIVE_ITEM_SHARE, inv.args);
    let mut payload = crate::Payload::default();
    for body in bound.all("bodyparameter") {
        let json = hashtable_json(body.text.trim());
        flow::merge(
            &mut payload,
            &ps_payload(&body.with_text(json.as_deref().unwrap_or(&body.text))),
        );
    }
    let mut fields = serde_json::Map::new();
    for name in ["type", "scope"] {
        if let Some(value) = bound.value(name) {
            fields.insert(
                name.to_owned(),
                serde_json::Value::String(value.text.trim_matches(['\'', '"']).to_owned()),
            );
        }
    }
    if !fields.is_empty() {
        flow::push_text(&mut payload, &serde_json::Value::Object(fields).to_string());
    }
    for name in ["recipients", "roles", "message"] {
        for value in bound.all(name) {
            flow::merge(&mut payload, &ps_payload(value));
        }
    }
    let word = |name: &str| {
        bound.value(name).map_or_else(
            || name.to_owned(),
            |v| v.text.trim_matches(['\'', '"']).to_owned(),
        )
    };
    let address = format!(
        "{GRAPH}/v1.0/drives/{}/items/{}/{action}",
        word("driveid"),
        word("driveitemid")
    );
    let mut outcome = Outcome::default();
    outcome
        .effects
        .push(request(inv.program, url(&address), "POST", payload, false));
    outcome
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if let Some(action) = drive_item_action(inv.program) {
        return Some(drive_item_share(inv, action));
    }
    if inv.program != "invoke-mggraphrequest" {
        return None;
    }
    let bound = bind(&GRAPH_REQUEST, inv.args);
    let mut outcome = Outcome::default();
    // `Invoke-MgGraphRequest URI` (no method): the one positional word is
    // the URI.
    let method_word = bound.value("method");
    let (method_word, target) = match (method_word, bound.value("uri")) {
        (Some(m), None) if m.text.contains('/') => (None, Some(m)),
        (m, u) => (m, u),
    };
    let mut payload = crate::Payload::default();
    for body in bound.all("body") {
        let json = hashtable_json(body.text.trim());
        flow::merge(
            &mut payload,
            &ps_payload(&body.with_text(json.as_deref().unwrap_or(&body.text))),
        );
    }
    for headers in bound.all("headers") {
        flow::merge(&mut payload, &ps_payload(headers));
    }
    for file in bound.all("inputfilepath") {
        send_file(inv, &mut payload, &path_text(&file.text), false);
    }
    if let Some(out) = bound.value("outputfilepath") {
        outcome.write(inv.path(&path_text(&out.text)), false);
    }
    let method = method_word
        .map(|m| m.text.trim_matches(['\'', '"']).to_ascii_uppercase())
        .unwrap_or_else(|| "GET".to_owned());
    let Some(target) = target else {
        return Some(outcome);
    };
    let text = target.text.trim_matches(['\'', '"']);
    let address = if text.contains("://") {
        text.to_owned()
    } else {
        format!("{GRAPH}/{}", text.trim_start_matches('/'))
    };
    if let Some((_, query)) = text.split_once('?') {
        flow::push_text(&mut payload, query.split('#').next().unwrap_or_default());
    }
    ps_expansions(target, &mut payload);
    outcome.effects.push(request(
        "invoke-mggraphrequest",
        url(&address),
        &method,
        payload,
        false,
    ));
    Some(outcome)
}

/// A literal hashtable or array (`@{ type = 'view'; scope = 'anonymous'
/// }`, nested, with quoted strings, numbers and `$true`/`$false`/`$null`)
/// as the JSON it serialises to; `None` for any other text. A value that
/// is none of those (a variable, an expression) is kept as its text.
pub(super) fn hashtable_json(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let (value, end) = value_at(&chars, 0)?;
    let rest: String = chars.get(end..).unwrap_or_default().iter().collect();
    (rest.trim().is_empty()
        && matches!(
            value,
            serde_json::Value::Object(_) | serde_json::Value::Array(_)
        ))
    .then(|| value.to_string())
}

fn skip_space(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

/// The value starting at `at` (after spaces) and where it ends.
fn value_at(chars: &[char], at: usize) -> Option<(serde_json::Value, usize)> {
    use serde_json::Value;
    let at = skip_space(chars, at);
    match (chars.get(at), chars.get(at + 1)) {
        (Some('@'), Some('{')) => table(chars, at + 2),
        (Some('@'), Some('(')) => array(chars, at + 2),
        (Some('\'' | '"'), _) => {
            let (text, end) = quoted(chars, at)?;
            Some((Value::String(text), end))
        }
        _ => {
            // A bare word up to the entry's end: a constant, a number or
            // text kept as written.
            let mut end = at;
            while chars
                .get(end)
                .is_some_and(|c| !matches!(c, ';' | '\n' | '}' | ')' | ','))
            {
                end += 1;
            }
            let word: String = chars.get(at..end)?.iter().collect();
            let word = word.trim();
            if word.is_empty() {
                return None;
            }
            let value = match word.to_ascii_lowercase().as_str() {
                "$true" => Value::Bool(true),
                "$false" => Value::Bool(false),
                "$null" => Value::Null,
                _ => word
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::String(word.to_owned())),
            };
            Some((value, end))
        }
    }
}

/// A quoted string at `at` (`'it''s'`, `"a`"b"`) and where it ends.
fn quoted(chars: &[char], at: usize) -> Option<(String, usize)> {
    let q = *chars.get(at)?;
    let mut out = String::new();
    let mut at = at + 1;
    loop {
        match chars.get(at) {
            Some(&c) if c == q && chars.get(at + 1) == Some(&q) => {
                out.push(q);
                at += 2;
            }
            Some(&c) if c == q => return Some((out, at + 1)),
            Some('`') if q == '"' => {
                out.extend(chars.get(at + 1));
                at += 2;
            }
            Some(&c) => {
                out.push(c);
                at += 1;
            }
            None => return None,
        }
    }
}

/// A hashtable's entries after its `@{`, up to its `}`.
fn table(chars: &[char], mut at: usize) -> Option<(serde_json::Value, usize)> {
    let mut map = serde_json::Map::new();
    loop {
        at = skip_space(chars, at);
        match chars.get(at)? {
            '}' => return Some((serde_json::Value::Object(map), at + 1)),
            ';' => {
                at += 1;
                continue;
            }
            _ => {}
        }
        let (key, after) = match chars.get(at)? {
            '\'' | '"' => quoted(chars, at)?,
            _ => {
                let mut end = at;
                while chars
                    .get(end)
                    .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
                {
                    end += 1;
                }
                (chars.get(at..end)?.iter().collect(), end)
            }
        };
        if key.is_empty() {
            return None;
        }
        at = skip_space(chars, after);
        if chars.get(at) != Some(&'=') {
            return None;
        }
        let (value, end) = value_at(chars, at + 1)?;
        map.insert(key, value);
        at = end;
    }
}

/// An array's items after its `@(`, up to its `)`.
fn array(chars: &[char], mut at: usize) -> Option<(serde_json::Value, usize)> {
    let mut items = Vec::new();
    loop {
        at = skip_space(chars, at);
        match chars.get(at)? {
            ')' => return Some((serde_json::Value::Array(items), at + 1)),
            ',' | ';' => {
                at += 1;
                continue;
            }
            _ => {}
        }
        let (value, end) = value_at(chars, at)?;
        items.push(value);
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtables_as_json() {
        assert_eq!(
            hashtable_json("@{ type = 'view'; scope = \"anonymous\" }").as_deref(),
            Some("{\"type\":\"view\",\"scope\":\"anonymous\"}")
        );
        assert_eq!(
            hashtable_json("@{ a = @(@{ b = 'x' }, 2); c = $true }").as_deref(),
            Some("{\"a\":[{\"b\":\"x\"},2],\"c\":true}")
        );
        assert_eq!(hashtable_json("'text'"), None);
        assert_eq!(hashtable_json("@{ a = 'x'"), None);
    }
}
