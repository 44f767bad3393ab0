//! .NET's web clients called from PowerShell: `System.Net.WebClient`
//! (`[System.Net.WebClient]::new()`, `New-Object Net.WebClient`) and
//! `System.Net.Http.HttpClient`, kept in a variable or called where they
//! are made (`(New-Object Net.WebClient).DownloadString(u)`). The
//! statement pass ([`super::statements`]) writes each request method
//! called on one out as the `Invoke-WebRequest` that sends the same
//! request, so the web cmdlet's handler reads it:
//!
//! - `UploadFile(url, [method,] path)`: the file sent (`-InFile`), by POST
//!   unless a method is given; `UploadString`, `UploadData`,
//!   `UploadValues`: the data sent (`-Body`).
//! - `DownloadFile(url, path)`: a download written to the path
//!   (`-OutFile`); `DownloadString`, `DownloadData`, `OpenRead`: a GET.
//! - HttpClient's `GetAsync`, `GetStringAsync`, ...: a GET;
//!   `PostAsync(url, content)`, `PutAsync`, `PatchAsync`: the content
//!   sent; `DeleteAsync(url)`: a DELETE.
//!
//! Headers set on a client variable before the call (`$wc.Headers.Add(k,
//! v)`, `$c.DefaultRequestHeaders.Add(k, v)`) go with its requests. An
//! `HttpContent` made from text or a file (`[System.Net.Http.StringContent]::new(x)`,
//! `StreamContent`, `ByteArrayContent`) is what it holds, and .NET's file
//! reads (`[System.IO.File]::ReadAllText(p)`, `ReadAllBytes`, `OpenRead`)
//! are `Get-Content p -Raw`. .NET's archive calls
//! (`[IO.Compression.ZipFile]::CreateFromDirectory(dir, zip)`,
//! `ExtractToDirectory`) are the `Compress-Archive`/`Expand-Archive` that
//! do the same, so the archive holds the directory's files, and its file
//! changes (`[IO.File]::Delete(p)`, `[IO.Directory]::Delete(p, $true)`,
//! `WriteAllText(p, v)`, `Copy(a, b)`, ...) the cmdlets that make them.

use super::splatting::{closing, split_top, unquoted};

/// The request a method of a client is: its method (`None`: what the
/// call names, else POST), and whether its second argument is data sent,
/// a file sent or a file written.
#[derive(Clone, Copy)]
enum Call {
    Upload { file: bool },
    Download { to_file: bool },
    Send(&'static str),
    Get,
    Delete,
}

/// The request a client method name is (without `Async`/`TaskAsync`).
fn call(method: &str) -> Option<Call> {
    let lower = method.to_ascii_lowercase();
    let base = lower
        .strip_suffix("taskasync")
        .or_else(|| lower.strip_suffix("async"))
        .unwrap_or(&lower);
    Some(match base {
        "uploadfile" => Call::Upload { file: true },
        "uploadstring" | "uploaddata" | "uploadvalues" => Call::Upload { file: false },
        "downloadfile" => Call::Download { to_file: true },
        "downloadstring" | "downloaddata" | "openread" => Call::Download { to_file: false },
        "get" | "getstring" | "getbytearray" | "getstream" => Call::Get,
        "post" => Call::Send("POST"),
        "put" => Call::Send("PUT"),
        "patch" => Call::Send("PATCH"),
        "delete" => Call::Delete,
        _ => return None,
    })
}

/// Whether an expression makes a web client.
fn makes_client(expression: &str) -> bool {
    let lower = expression.to_ascii_lowercase().replace(' ', "");
    let typed = lower.contains("net.webclient") || lower.contains("http.httpclient");
    typed && (lower.contains("::new(") || lower.contains("new-object"))
}

/// `code` with the web clients' requests written as `Invoke-WebRequest`,
/// or `None` when it calls none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    let files = lower.contains("system.io.file]::") || lower.contains("[io.file]::");
    let directories =
        lower.contains("system.io.directory]::") || lower.contains("[io.directory]::");
    let contents = lower.contains("content]::new(");
    let archives = lower.contains("zipfile]::");
    if !lower.contains("webclient")
        && !lower.contains("httpclient")
        && !files
        && !contents
        && !archives
        && !directories
    {
        return None;
    }
    let mut text = code.to_owned();
    if archives {
        for (method, cmdlet) in ZIP_CALLS {
            text = constructor_values(
                &text,
                |typed, rest| {
                    (typed.ends_with("compression.zipfile]") || typed == "[zipfile]")
                        && rest.starts_with(method)
                },
                |args| match args {
                    [from, to, ..] => {
                        Some(format!("({cmdlet} -Path {from} -DestinationPath {to})"))
                    }
                    _ => None,
                },
            );
        }
    }
    if files {
        text = constructor_values(
            &text,
            |typed, rest| {
                (typed.ends_with("[system.io.file]") || typed.ends_with("[io.file]"))
                    && FILE_READS.iter().any(|name| rest.starts_with(name))
            },
            |args| {
                args.first()
                    .map(|path| format!("(Get-Content {path} -Raw)"))
            },
        );
    }
    if files || directories {
        for (class, method, cmdlet) in FILE_CHANGES {
            text = constructor_values(
                &text,
                |typed, rest| {
                    (typed.ends_with(&format!("[system.io.{class}]"))
                        || typed.ends_with(&format!("[io.{class}]")))
                        && rest.starts_with(method)
                },
                |args| file_change(cmdlet, args),
            );
        }
    }
    if contents {
        text = constructor_values(
            &text,
            |typed, rest| {
                typed.contains("net.http.")
                    && CONTENTS.iter().any(|name| typed.ends_with(name))
                    && rest.starts_with("new(")
            },
            |args| {
                args.first().map(|value| match value.chars().next() {
                    Some('(' | '$' | '\'' | '"') => value.clone(),
                    _ => format!("({value})"),
                })
            },
        );
    }
    let requests = requests(&text);
    (requests != code).then_some(requests)
}

/// .NET's whole-file reads (`[System.IO.File]::NAME(`).
const FILE_READS: [&str; 4] = [
    "readalltext(",
    "readallbytes(",
    "readalllines(",
    "openread(",
];

/// .NET's static calls that change files (`[System.IO.CLASS]::METHOD(`)
/// and the cmdlet that makes the same change ([`file_change`]).
const FILE_CHANGES: [(&str, &str, &str); 10] = [
    ("file", "delete(", "Remove-Item"),
    ("directory", "delete(", "Remove-Item"),
    ("file", "writealltext(", "Set-Content"),
    ("file", "writeallbytes(", "Set-Content"),
    ("file", "writealllines(", "Set-Content"),
    ("file", "appendalltext(", "Add-Content"),
    ("file", "appendalllines(", "Add-Content"),
    ("file", "copy(", "Copy-Item"),
    ("file", "move(", "Move-Item"),
    ("directory", "move(", "Move-Item"),
];

/// The cmdlet call a .NET file change is, given its arguments:
/// `Delete(p[, recursive])` removes p (its tree when `recursive` is not
/// `$false`), `WriteAll*(p, v)`/`AppendAll*(p, v)` write v to p, and
/// `Copy(a, b)`/`Move(a, b)` copy or move a to b.
fn file_change(cmdlet: &str, args: &[String]) -> Option<String> {
    Some(match (cmdlet, args) {
        ("Remove-Item", [path]) => format!("(Remove-Item -LiteralPath {path})"),
        ("Remove-Item", [path, recursive]) => {
            let tree = !recursive.eq_ignore_ascii_case("$false");
            let switch = if tree { " -Recurse" } else { "" };
            format!("(Remove-Item -LiteralPath {path}{switch})")
        }
        ("Set-Content" | "Add-Content", [path, value, ..]) => {
            format!("({cmdlet} -LiteralPath {path} -Value {value})")
        }
        ("Copy-Item" | "Move-Item", [from, to, ..]) => {
            format!("({cmdlet} -LiteralPath {from} -Destination {to})")
        }
        _ => return None,
    })
}

/// .NET's whole-archive calls (`[System.IO.Compression.ZipFile]::NAME(`
/// with a source and a destination) and the cmdlet that does the same:
/// `CreateFromDirectory(dir, zip)` archives the directory's tree as
/// `Compress-Archive -Path dir -DestinationPath zip` does, and
/// `ExtractToDirectory(zip, dir)` unpacks as `Expand-Archive` does.
const ZIP_CALLS: [(&str, &str); 2] = [
    ("createfromdirectory(", "Compress-Archive"),
    ("extracttodirectory(", "Expand-Archive"),
];

/// HTTP content types made from a value (`[System.Net.Http.NAME]::new(`).
const CONTENTS: [&str; 3] = ["stringcontent]", "bytearraycontent]", "streamcontent]"];

/// Replaces each static call `[TYPE]::NAME(ARGS)` that `matches` (given
/// the lower-case `[TYPE]` and what follows its `::`) with what `value`
/// makes of its arguments.
fn constructor_values(
    code: &str,
    matches: impl Fn(&str, &str) -> bool,
    value: impl Fn(&[String]) -> Option<String>,
) -> String {
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    let mut out = String::with_capacity(code.len());
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if c == '[' && outside.get(at).copied().unwrap_or(false) {
            let close = closing(&chars, at);
            let typed: String = chars
                .get(at..close)
                .unwrap_or_default()
                .iter()
                .collect::<String>()
                .to_ascii_lowercase()
                .replace(' ', "");
            let rest: String = chars
                .get(close..)
                .unwrap_or_default()
                .iter()
                .take(32)
                .collect::<String>()
                .to_ascii_lowercase();
            let open = rest
                .strip_prefix("::")
                .filter(|r| matches(&typed, r))
                .and_then(|r| r.find('('))
                .map(|i| close + 2 + i);
            if let Some(open) = open {
                let end = closing(&chars, open);
                let inner: String = chars
                    .get(open + 1..end.saturating_sub(1))
                    .unwrap_or_default()
                    .iter()
                    .collect();
                if let Some(written) = value(&split_top(&inner, &[','])) {
                    out.push_str(&written);
                    at = end;
                    continue;
                }
            }
        }
        out.push(c);
        at += 1;
    }
    out
}

/// The text with every request method called on a web client written
/// as `(Invoke-WebRequest ...)`.
fn requests(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    let clients = client_variables(code);
    let mut out = String::with_capacity(code.len() + 64);
    let mut kept = 0usize;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if c != '.' || !outside.get(at).copied().unwrap_or(false) {
            at += 1;
            continue;
        }
        let method: String = chars
            .get(at + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let open = at + 1 + method.chars().count();
        let Some(kind) = call(&method).filter(|_| chars.get(open) == Some(&'(')) else {
            at += 1;
            continue;
        };
        let Some((start, receiver)) = receiver_before(&chars, at) else {
            at += 1;
            continue;
        };
        let variable = receiver.strip_prefix('$').map(str::to_ascii_lowercase);
        let client = match &variable {
            Some(name) => clients.iter().find(|(n, _)| n == name),
            None => None,
        };
        if start < kept || (client.is_none() && !makes_client(&receiver)) {
            at += 1;
            continue;
        }
        let end = closing(&chars, open);
        let inner: String = chars
            .get(open + 1..end.saturating_sub(1))
            .unwrap_or_default()
            .iter()
            .collect();
        let args = split_top(&inner, &[',']);
        let headers: Vec<&String> = client
            .map(|(_, headers)| {
                headers
                    .iter()
                    .filter(|(set, _)| *set < start)
                    .map(|(_, h)| h)
                    .collect()
            })
            .unwrap_or_default();
        let Some(request) = request(kind, &args, &headers) else {
            at += 1;
            continue;
        };
        out.extend(chars.get(kept..start).unwrap_or_default());
        out.push_str(&request);
        kept = end;
        at = end;
    }
    out.extend(chars.get(kept..).unwrap_or_default());
    out
}

/// The receiver of the method call whose `.` is at `dot`: a variable
/// (`$wc`), a parenthesised expression or a constructor call
/// (`[System.Net.WebClient]::new()`); where it starts and its text.
fn receiver_before(chars: &[char], dot: usize) -> Option<(usize, String)> {
    let last = dot.checked_sub(1)?;
    let start = match chars.get(last)? {
        ')' => {
            let open = matching_open(chars, last)?;
            let before: String = chars.get(..open)?.iter().collect();
            match before.to_ascii_lowercase().strip_suffix("::new") {
                Some(rest) if rest.ends_with(']') => {
                    let close = rest.chars().count().checked_sub(1)?;
                    matching_open(chars, close)?
                }
                _ => open,
            }
        }
        c if c.is_ascii_alphanumeric() || *c == '_' => {
            let mut start = last;
            while start > 0
                && chars
                    .get(start - 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                start -= 1;
            }
            let dollar = start.checked_sub(1)?;
            (chars.get(dollar) == Some(&'$')).then_some(dollar)?
        }
        _ => return None,
    };
    Some((start, chars.get(start..dot)?.iter().collect()))
}

/// The opening bracket of the one closing at `close` (quotes not
/// considered: receivers are short).
fn matching_open(chars: &[char], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = close;
    loop {
        match chars.get(at)? {
            ')' | ']' | '}' => depth += 1,
            '(' | '[' | '{' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
        at = at.checked_sub(1)?;
    }
}

/// The variables the text assigns a web client, lower case, with the
/// headers set on each (where each is set, its arguments as written).
fn client_variables(code: &str) -> Vec<(String, Vec<(usize, String)>)> {
    let mut clients: Vec<(String, Vec<(usize, String)>)> = Vec::new();
    for (start, end) in super::statements::statements(code) {
        let statement = code.get(start..end).unwrap_or_default();
        let text = super::statements::discarded(statement);
        if let Some((target, value)) = super::statements::assignment(text)
            && makes_client(value)
        {
            clients.push((
                target.trim_start_matches('$').to_ascii_lowercase(),
                Vec::new(),
            ));
            continue;
        }
        let lower = text.to_ascii_lowercase();
        for (name, headers) in &mut clients {
            let own = format!("${name}.");
            let Some(rest) = lower.strip_prefix(&own) else {
                continue;
            };
            if !(rest.starts_with("headers") || rest.starts_with("defaultrequestheaders")) {
                continue;
            }
            let set = text
                .find(['(', '[', '='])
                .and_then(|i| text.get(i..))
                .unwrap_or_default()
                .trim_start_matches(['(', '[', '=', ' '])
                .trim_end_matches(')');
            let set = set.replace("] =", ",").replace("]=", ",");
            headers.push((start, set));
        }
    }
    clients
}

/// The `Invoke-WebRequest` a client call is.
fn request(kind: Call, args: &[String], headers: &[&String]) -> Option<String> {
    let url = args.first()?;
    let mut words = vec![format!("Invoke-WebRequest -Uri {url}")];
    let with_method = |words: &mut Vec<String>, rest: &[String]| -> Option<String> {
        match rest {
            [method, value] => {
                words.push(format!("-Method {method}"));
                Some(value.clone())
            }
            [value] => {
                words.push("-Method POST".to_owned());
                Some(value.clone())
            }
            _ => None,
        }
    };
    let rest = args.get(1..).unwrap_or_default();
    match kind {
        Call::Upload { file } => {
            let value = with_method(&mut words, rest)?;
            let parameter = if file { "-InFile" } else { "-Body" };
            words.push(format!("{parameter} {value}"));
        }
        Call::Download { to_file } => {
            if to_file {
                words.push(format!("-OutFile {}", rest.first()?));
            }
        }
        Call::Get => {}
        Call::Delete => words.push("-Method DELETE".to_owned()),
        Call::Send(method) => {
            words.push(format!("-Method {method}"));
            if let Some(content) = rest.first() {
                words.push(format!("-Body {content}"));
            }
        }
    }
    if !headers.is_empty() {
        let items: Vec<&str> = headers.iter().map(|h| h.as_str()).collect();
        words.push(format!("-Headers @({})", items.join(", ")));
    }
    Some(format!("({})", words.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_calls_become_web_requests() {
        let code = "$wc = [System.Net.WebClient]::new()\n$wc.UploadFile('https://x/k', 'PUT', \"$HOME/k\") | Out-Null";
        assert_eq!(
            rewrite(code).as_deref(),
            Some(
                "$wc = [System.Net.WebClient]::new()\n(Invoke-WebRequest -Uri 'https://x/k' -Method 'PUT' -InFile \"$HOME/k\") | Out-Null"
            )
        );
        assert_eq!(
            rewrite("(New-Object Net.WebClient).DownloadFile('https://x/a', 'a.zip')").as_deref(),
            Some("(Invoke-WebRequest -Uri 'https://x/a' -OutFile 'a.zip')")
        );
        assert_eq!(
            rewrite("$b = [System.IO.File]::ReadAllBytes('C:\\k.pem')").as_deref(),
            Some("$b = (Get-Content 'C:\\k.pem' -Raw)")
        );
        assert_eq!(rewrite("$x.UploadFile('a', 'b')"), None);
    }
}
