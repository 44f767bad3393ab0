//! URLs built with .NET's `System.UriBuilder`: `$b =
//! [System.UriBuilder]::new('https', 'h')` (or `[UriBuilder]'https://h/x'`,
//! `New-Object System.UriBuilder(...)`), its parts set one by one (`$b.Path
//! = '/v1'`, `$b.Query = "token=$env:T"`), then `Invoke-RestMethod
//! $b.Uri`. The statement pass ([`super::statements`]) writes each later
//! use of the URL (`$b.Uri`, `$b.Uri.AbsoluteUri`, `$b.ToString()`) out
//! as the one double-quoted string it is, so the request is read with its
//! host and what its query carries. Only parts given as quoted strings
//! are read; a builder with a part given otherwise is left alone.

use super::format::{literal_inner, string_end};
use super::statements::{assignment, call_arguments, statements};

/// The parts of a URL a builder holds, each a double-quoted string's inner
/// text.
#[derive(Debug, Clone, Default)]
struct Builder {
    scheme: String,
    host: String,
    port: Option<String>,
    path: String,
    query: String,
    fragment: String,
}

impl Builder {
    /// The URL the builder's parts make.
    fn url(&self) -> String {
        let mut url = format!("{}://{}", self.scheme, self.host);
        if let Some(port) = &self.port {
            url.push(':');
            url.push_str(port);
        }
        if !self.path.is_empty() && !self.path.starts_with('/') {
            url.push('/');
        }
        url.push_str(&self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(self.query.trim_start_matches('?'));
        }
        if !self.fragment.is_empty() {
            url.push('#');
            url.push_str(self.fragment.trim_start_matches('#'));
        }
        url
    }
}

/// `code` with the uses of its URI builders written out, or `None` when
/// it has none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    if !code.to_ascii_lowercase().contains("uribuilder") {
        return None;
    }
    // Lower-case variable name -> the builder it holds (None: not known).
    let mut builders: Vec<(String, Option<Builder>)> = Vec::new();
    let mut replacements: Vec<((usize, usize), String)> = Vec::new();
    for (start, end) in statements(code) {
        let text = code.get(start..end).unwrap_or_default();
        if let Some((target, value)) = assignment(text) {
            let target = target.to_ascii_lowercase();
            if let Some(name) = target.strip_prefix('$').filter(|n| !n.contains('.')) {
                if value.to_ascii_lowercase().contains("uribuilder") {
                    builders.push((name.to_owned(), constructed(value)));
                    continue;
                }
                if builders.iter().any(|(n, _)| n == name) {
                    // Assigned something else: no longer the builder.
                    builders.push((name.to_owned(), None));
                }
            } else if let Some((name, property)) =
                target.strip_prefix('$').and_then(|t| t.split_once('.'))
                && let Some((_, builder)) = builders.iter_mut().rev().find(|(n, _)| n == name)
            {
                let part = string_value(value);
                if let Some(b) = builder.as_mut() {
                    match (property, part) {
                        ("scheme", Some(v)) => b.scheme = v,
                        ("host", Some(v)) => b.host = v,
                        ("port", _) => b.port = port(value),
                        ("path", Some(v)) => b.path = v,
                        ("query", Some(v)) => b.query = v,
                        ("fragment", Some(v)) => b.fragment = v,
                        _ => *builder = None,
                    }
                }
                continue;
            }
        }
        if let Some(written) = with_urls(text, &builders) {
            replacements.push(((start, end), written));
        }
    }
    if replacements.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(code.len() + 64);
    let mut kept = 0usize;
    for ((start, end), text) in replacements {
        out.push_str(code.get(kept..start).unwrap_or_default());
        out.push_str(&text);
        kept = end;
    }
    out.push_str(code.get(kept..).unwrap_or_default());
    Some(out)
}

/// The builder a constructor makes: `[UriBuilder]::new(URL)`,
/// `::new(SCHEME, HOST[, PORT[, PATH]])`, `[UriBuilder]'URL'`, `New-Object
/// System.UriBuilder(...)` / `-ArgumentList ...`.
fn constructed(value: &str) -> Option<Builder> {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let arguments: Vec<String> =
        if let Some(cast) = value.find(']').filter(|_| value.starts_with('[')) {
            let rest = value.get(cast + 1..)?.trim();
            if rest.starts_with(['\'', '"']) {
                vec![rest.to_owned()]
            } else {
                call_arguments(value, "::new")?
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            }
        } else if lower.starts_with("new-object") {
            match call_arguments(value, "uribuilder") {
                Some(arguments) => arguments.into_iter().map(str::to_owned).collect(),
                None => {
                    let list = lower.find("-argumentlist")? + "-argumentlist".len();
                    value
                        .get(list..)?
                        .split(',')
                        .map(|a| a.trim().to_owned())
                        .collect()
                }
            }
        } else {
            return None;
        };
    let parts: Vec<Option<String>> = arguments.iter().map(|a| string_value(a)).collect();
    match parts.as_slice() {
        [Some(url)] => parse(url),
        [Some(scheme), Some(host), rest @ ..] => {
            let port = arguments.get(2).and_then(|p| port(p));
            let path = match rest.get(1) {
                Some(Some(path)) => path.clone(),
                Some(None) => return None,
                None => String::new(),
            };
            Some(Builder {
                scheme: scheme.clone(),
                host: host.clone(),
                port,
                path,
                ..Builder::default()
            })
        }
        _ => None,
    }
}

/// A builder holding the parts of `url`.
fn parse(url: &str) -> Option<Builder> {
    let (scheme, rest) = url.split_once("://")?;
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    Some(Builder {
        scheme: scheme.to_owned(),
        host: authority.to_owned(),
        port: None,
        path: path.to_owned(),
        query: query.to_owned(),
        fragment: fragment.to_owned(),
    })
}

/// A port given as a number (`-1`, the scheme's default, is none).
fn port(value: &str) -> Option<String> {
    let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
    (!value.is_empty() && value.chars().all(|c| c.is_ascii_digit())).then(|| value.to_owned())
}

/// A quoted string (the whole value) as a double-quoted string's inner
/// text; `None` for any other value or one that runs a subexpression.
fn string_value(value: &str) -> Option<String> {
    let value = value.trim();
    let chars: Vec<char> = value.chars().collect();
    let quote = *chars.first().filter(|q| matches!(q, '\'' | '"'))?;
    if string_end(&chars, 0) != chars.len() {
        return None;
    }
    let inner = value.get(1..value.len() - 1)?;
    if quote == '\'' {
        return Some(literal_inner(&inner.replace("''", "'")));
    }
    (!inner.contains("$(")).then(|| inner.to_owned())
}

/// `statement` with its uses of known builders' URLs written out, or
/// `None` when it has none.
fn with_urls(statement: &str, builders: &[(String, Option<Builder>)]) -> Option<String> {
    const USES: [&str; 5] = [
        ".uri.absoluteuri",
        ".uri.tostring()",
        ".uri",
        ".tostring()",
        "",
    ];
    let chars: Vec<char> = statement.chars().collect();
    let mut out = String::with_capacity(statement.len() + 64);
    let mut changed = false;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        match c {
            '\'' | '"' => {
                let end = string_end(&chars, at);
                out.extend(chars.get(at..end).unwrap_or_default());
                at = end;
                continue;
            }
            '$' => {
                let name: String = chars
                    .get(at + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                    .collect();
                let end = at + 1 + name.chars().count();
                let rest: String = chars.get(end..).unwrap_or_default().iter().collect();
                let rest = rest.to_ascii_lowercase();
                let builder = builders
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == name.to_ascii_lowercase())
                    .and_then(|(_, b)| b.as_ref());
                let used = USES
                    .iter()
                    .filter(|u| !u.is_empty())
                    .find(|u| rest.starts_with(*u))
                    .filter(|u| {
                        // `$b.Uri.Host` and the like are not the URL.
                        let after = rest.get(u.len()..).unwrap_or_default();
                        !after.starts_with(|c: char| c == '.' || c.is_ascii_alphanumeric())
                    });
                if let (Some(builder), Some(used)) = (builder, used) {
                    out.push('"');
                    out.push_str(&builder.url());
                    out.push('"');
                    at = end + used.chars().count();
                    changed = true;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        at += 1;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_become_their_urls() {
        assert_eq!(
            rewrite("$b = [System.UriBuilder]::new('https', 'h.example')\n$b.Path = '/v1'\n$b.Query = \"t=$env:T\"\nInvoke-RestMethod -Uri $b.Uri").as_deref(),
            Some("$b = [System.UriBuilder]::new('https', 'h.example')\n$b.Path = '/v1'\n$b.Query = \"t=$env:T\"\nInvoke-RestMethod -Uri \"https://h.example/v1?t=$env:T\"")
        );
        assert_eq!(
            rewrite("$b = [UriBuilder]'https://h.example/x?a=1'\nirm $b.ToString()").as_deref(),
            Some("$b = [UriBuilder]'https://h.example/x?a=1'\nirm \"https://h.example/x?a=1\"")
        );
        assert_eq!(rewrite("$b = [UriBuilder]::new($u)\nirm $b.Uri"), None);
    }
}
