//! A pass over PowerShell text, statement by statement, before it is
//! rewritten into shell text: state a statement leaves that later ones
//! use without naming it becomes text the cmdlet handlers read.
//!
//! - Outlook's COM object model (`outlook.rs`): a mail item assembled
//!   property by property and sent with `$m.Send()` becomes the
//!   `Send-MailMessage` that sends the same mail.
//! - PnP PowerShell's current connection (`pnp.rs`): a PnP cmdlet after
//!   `Connect-PnPOnline -Url SITE` acts on SITE, so it is given the
//!   connection as its `-Connection` parameter.
//! - .NET's web clients (`dotnet.rs`): `$wc.UploadFile(u, 'PUT', f)` on a
//!   `System.Net.WebClient` becomes the `Invoke-WebRequest` that sends
//!   the same request.
//! - Statements whose output is assigned (`captures.rs`): `$jobs =
//!   foreach (...) { ... }` and `$t = switch ($x) { ... }` assign the
//!   subexpression `$( ... )` the statement is.
//! - Loops over literal lists (`loops.rs`): `'a', 'b' | ForEach-Object {
//!   ... }` runs its block once per item, `$_` bound to it.
//! - Splatting (`splatting.rs`): `& git @a` and `Invoke-RestMethod @p`
//!   are given the array's items or the hashtable's `-Key value` pairs.
//! - The caller's variables in script blocks (`$using:name` is `$name`).
//! - Commands as hashtable values (`table_commands.rs`): `@{ code =
//!   Get-Content .env -Raw }` holds the command's output, as `(Get-Content
//!   .env -Raw)` does.
//! - Items' properties (`items.rs`): `$f = Get-Item ./x.csv` then
//!   `$f.FullName` is the path text `'./x.csv'`.
//! - Environment reads (`environment.rs`): `[Environment]::
//!   GetEnvironmentVariable('K')` and `(Get-Item Env:K).Value` are the
//!   `$env:K` they read.
//! - Functions (`functions.rs`): a call of a function the text defines
//!   runs its body there, its parameters bound to the call's arguments.
//! - Constant conditions (`conditions.rs`): `if ($false) { ... }` runs
//!   nothing (a `$PSCmdlet.ShouldProcess(...)` under `-WhatIf` is
//!   `$false`), and `if ($true) { A } else { B }` runs A only.
//! - Hashtable indexes (`indexes.rs`): `$t = @{ prod = 'aks-prod' }` then
//!   `$t[$Environment]`, `$Environment` holding `'prod'`, is `'aks-prod'`.
//! - `Join-Path`, `Resolve-Path` and `Convert-Path` (`joins.rs`):
//!   `(Join-Path $HOME .writ)` is the string `"$HOME/.writ"` it returns.
//! - The format operator (`format.rs`): `'v{0}.{1}' -f 2026, 11` is the
//!   string `"v2026.11"` it returns.
//! - .NET's `UriBuilder` (`uris.rs`): `$b.Uri` after its parts are set
//!   (`$b.Query = "t=$env:T"`) is the URL string they make.
//! - Paths piped in as a written list (`piped_paths.rs`): `'.env', 'a' |
//!   Where-Object {...} | Copy-Item -Destination D` copies each of them.
//! - Strings built by expression (`strings.rs`): `$u = 'https://h/?k=' +
//!   $env:T` then `-Uri $u` is given the string its value is.

use super::continuation::line_continues;
use super::{
    captures, conditions, dotnet, environment, format, functions, indexes, items, joins, loops,
    outlook, piped_paths, pnp, splatting, strings, table_commands, uris,
};

/// `code` with `$using:name` written `$name` ([`loops::without_using_scope`]),
/// or `None` when it has none: a script block sent to a remote session, a
/// job or a parallel loop carries the caller's values.
fn using_scope(code: &str) -> Option<String> {
    code.to_ascii_lowercase()
        .contains("$using:")
        .then(|| loops::without_using_scope(code))
}

/// A statement: where it starts and ends in the text.
pub(super) type Span = (usize, usize);

/// `code` with the statements the passes replace replaced.
pub(super) fn rewrite(code: &str) -> String {
    let mut expanded = None;
    for pass in [
        using_scope,
        table_commands::rewrite,
        items::rewrite,
        environment::rewrite,
        format::rewrite,
        uris::rewrite,
        piped_paths::rewrite,
        functions::rewrite,
        conditions::rewrite,
        dotnet::rewrite,
        captures::rewrite,
        loops::rewrite,
        splatting::rewrite,
        indexes::rewrite,
        joins::rewrite,
        strings::rewrite,
    ] {
        if let Some(text) = pass(expanded.as_deref().unwrap_or(code)) {
            expanded = Some(text);
        }
    }
    let code = expanded.as_deref().unwrap_or(code);
    let lower = code.to_ascii_lowercase();
    let outlook = lower.contains("outlook.application");
    let pnp = lower.contains("connect-pnponline");
    if !outlook && !pnp {
        return code.to_owned();
    }
    let spans = statements(code);
    let mut replacements: Vec<(Span, String)> = Vec::new();
    if outlook {
        replacements.extend(outlook::replacements(code, &spans));
    }
    if pnp {
        replacements.extend(pnp::replacements(code, &spans));
    }
    replacements.sort_by_key(|((start, _), _)| *start);
    let mut out = String::with_capacity(code.len() + 64);
    let mut kept = 0usize;
    for ((start, end), text) in replacements {
        if start < kept {
            continue;
        }
        out.push_str(code.get(kept..start).unwrap_or_default());
        out.push_str(&text);
        kept = end;
    }
    out.push_str(code.get(kept..).unwrap_or_default());
    out
}

/// The statements of `code`: split at `;`, line ends and braces outside
/// quotes and parentheses, trimmed, empty ones left out. A line break
/// inside a pipeline (after a trailing `|`, before a leading one) does
/// not end its statement.
pub(super) fn statements(code: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0usize;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (at, c) in code.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some('"'), '`') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '`') => escaped = true,
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            // A pipeline that goes on with the next line is one statement.
            (None, '\n')
                if line_continues(
                    code.get(start..at).unwrap_or_default(),
                    code.get(at + 1..).unwrap_or_default(),
                ) => {}
            (None, ';' | '\n' | '{' | '}') if depth == 0 => {
                push_trimmed(code, start, at, &mut spans);
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    push_trimmed(code, start, code.len(), &mut spans);
    spans
}

fn push_trimmed(code: &str, start: usize, end: usize, spans: &mut Vec<Span>) {
    let text = code.get(start..end).unwrap_or_default();
    let leading = text.len() - text.trim_start().len();
    let trailing = text.len() - text.trim_end().len();
    if leading + trailing < text.len() {
        spans.push((start + leading, end - trailing));
    }
}

/// A statement without what only discards its value: `[void]`, `$null =`
/// before it, `| Out-Null` after it.
pub(super) fn discarded(statement: &str) -> &str {
    let mut text = statement.trim();
    if text.len() >= 6
        && text
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("[void]"))
    {
        text = text.get(6..).unwrap_or_default().trim_start();
    }
    if let Some((target, value)) = assignment(text)
        && target.eq_ignore_ascii_case("$null")
    {
        text = value;
    }
    if let Some((value, sink)) = text.rsplit_once('|')
        && sink.trim().eq_ignore_ascii_case("out-null")
    {
        text = value.trim_end();
    }
    text
}

/// `TARGET = VALUE` (not `==`), the target a variable or a property of
/// one (`$m.To`).
pub(super) fn assignment(statement: &str) -> Option<(&str, &str)> {
    let (target, value) = statement.split_once('=')?;
    let target = target.trim();
    let value = value.trim();
    let is_target = target.starts_with('$')
        && target.len() > 1
        && target
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':'));
    (is_target && !value.starts_with('=') && !value.is_empty()).then_some((target, value))
}

/// The arguments of a method call written `NAME(ARGS)` at the end of
/// `text`, split at top-level commas.
pub(super) fn call_arguments<'a>(text: &'a str, method: &str) -> Option<Vec<&'a str>> {
    let lower = text.to_ascii_lowercase();
    let open = lower.find(&format!("{}(", method.to_ascii_lowercase()))? + method.len();
    let inner = text.get(open + 1..)?.strip_suffix(')')?;
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0usize;
    for (at, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '{' | '[') => depth += 1,
            (None, ')' | '}' | ']') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                items.push(inner.get(start..at).unwrap_or_default().trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(inner.get(start..).unwrap_or_default().trim());
    items.retain(|item| !item.is_empty());
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_split_outside_quotes_and_parentheses() {
        let code = "$a = 'x; y'; $b.Add(\"p;q\")\nif ($c) { $d.Send() }";
        let texts: Vec<&str> = statements(code)
            .into_iter()
            .filter_map(|(s, e)| code.get(s..e))
            .collect();
        assert_eq!(
            texts,
            ["$a = 'x; y'", "$b.Add(\"p;q\")", "if ($c)", "$d.Send()"]
        );
    }

    #[test]
    fn discarded_values_and_call_arguments() {
        assert_eq!(
            discarded("[void]$m.Recipients.Add('a')"),
            "$m.Recipients.Add('a')"
        );
        assert_eq!(
            discarded("$null = $m.Attachments.Add('f')"),
            "$m.Attachments.Add('f')"
        );
        assert_eq!(
            discarded("$m.Recipients.Add('a') | Out-Null"),
            "$m.Recipients.Add('a')"
        );
        assert_eq!(
            call_arguments("$m.Attachments.Add('C:\\a, b.txt', 1, (f 2, 3))", "add"),
            Some(vec!["'C:\\a, b.txt'", "1", "(f 2, 3)"])
        );
        assert_eq!(assignment("$m.To = 'a@b'"), Some(("$m.To", "'a@b'")));
        assert_eq!(assignment("$a -eq 1"), None);
    }
}
