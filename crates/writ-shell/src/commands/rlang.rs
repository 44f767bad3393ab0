//! R: `Rscript -e CODE`, `R -e CODE` (`R -q -e`, `R --vanilla -e`), a
//! script (`Rscript f.R`, `R -f f.R`: read). Inline code is read for the
//! calls that install, send, delete, write and read:
//! - `install.packages("x")` / `install.packages(c("a","b"), repos=URL)`,
//!   `remotes::install_github("o/r")` (and `devtools::`, `pak::`),
//!   `BiocManager::install(...)`: package installs;
//! - `httr::POST(URL, body=list(f=upload_file("F")))` (and PUT, PATCH,
//!   DELETE, GET), an httr2 pipeline (`request(URL) |> req_body_file("F")
//!   |> req_perform()`), `download.file(URL, DEST)`: requests, whose
//!   sends carry the files the code reads and the variables it reads;
//! - `unlink("P", recursive=TRUE)`, `file.remove("P")`: deletes;
//! - `writeLines(x, "F")`, `cat(..., file="F")`, `write.csv(x, "F")`, ...:
//!   writes; `read.csv("F")`, `readLines("F")`, `source("F")`, ...: reads;
//! - `system("cmd")`: shell text, analysed as shell.

use super::{Invocation, Nested, Outcome, request, url};
use crate::{Effect, FileRef, PackageInstall, Payload, flow};

pub(crate) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if !matches!(inv.program, "rscript" | "r") {
        return None;
    }
    let mut outcome = Outcome::default();
    let mut code: Vec<String> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if text == "-e" || text == "--expr" {
            if let Some(next) = words.next() {
                code.push(next.text.clone());
            }
        } else if let Some(inline) = text.strip_prefix("--expr=") {
            code.push(inline.to_owned());
        } else if text == "-f" || text == "--file" {
            if let Some(file) = words.next() {
                outcome.read(inv.path(&file.text), false);
            }
            return Some(outcome);
        } else if let Some(file) = text.strip_prefix("--file=") {
            outcome.read(inv.path(file), false);
            return Some(outcome);
        } else if text == "CMD" {
            return Some(outcome);
        } else if text.starts_with('-') {
            continue;
        } else if code.is_empty() {
            outcome.read(inv.path(text), false);
            return Some(outcome);
        } else {
            break;
        }
    }
    if code.is_empty() && inv.has_stdin {
        if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
            code.push(inv.stdin.text.join("\n"));
        }
        outcome
            .opaque
            .push(format!("{} runs code from standard input", inv.program));
    }
    for text in &code {
        analyze(inv, text, &mut outcome);
        outcome
            .opaque
            .push(format!("{} runs inline code: {text}", inv.program));
    }
    Some(outcome)
}

/// One call in the code: its name (without `pkg::`) and its arguments as
/// `(name, text)`.
#[derive(Debug)]
struct Call {
    name: String,
    package: Option<String>,
    args: Vec<(Option<String>, String)>,
}

impl Call {
    /// The argument called `name`, or else the positional one at `index`.
    fn arg(&self, name: &str, index: usize) -> Option<&str> {
        if let Some((_, text)) = self.args.iter().find(|(n, _)| n.as_deref() == Some(name)) {
            return Some(text);
        }
        self.args
            .iter()
            .filter(|(n, _)| n.is_none())
            .nth(index)
            .map(|(_, t)| t.as_str())
    }
}

fn analyze(inv: &Invocation<'_>, code: &str, outcome: &mut Outcome) {
    let calls = calls(code);
    // What a send carries: files the code reads or uploads, variables it reads.
    let mut carried = Payload::default();
    for call in &calls {
        if call.name == "Sys.getenv"
            && let Some(name) = call.arg("x", 0).and_then(literal)
        {
            flow::push_env(&mut carried, &name);
        }
    }
    let mut requests: Vec<(String, String, Payload)> = Vec::new();
    for call in &calls {
        let name = call.name.as_str();
        match name {
            "install.packages" => {
                let packages = call.arg("pkgs", 0).map(strings).unwrap_or_default();
                let registry = call
                    .arg("repos", usize::MAX)
                    .and_then(|r| strings(r).into_iter().next())
                    .filter(|r| !r.contains("r-project.org") && !r.contains("rstudio.com"));
                install(outcome, "cran", packages, registry);
            }
            "install_github" | "install_gitlab" | "install_bitbucket" | "install_git" => {
                let host = match name {
                    "install_gitlab" => "https://gitlab.com/",
                    "install_bitbucket" => "https://bitbucket.org/",
                    "install_git" => "",
                    _ => "https://github.com/",
                };
                for repo in call.arg("repo", 0).map(strings).unwrap_or_default() {
                    let slug = repo.split(['@', '#']).next().unwrap_or(&repo).to_owned();
                    let registry = format!("{host}{slug}");
                    install(outcome, "remotes", vec![repo], Some(registry));
                }
            }
            "install_cran" | "pkg_install" | "pak" => {
                let packages = call.arg("pkgs", 0).map(strings).unwrap_or_default();
                install(outcome, "cran", packages, None);
            }
            "install" if call.package.as_deref() == Some("BiocManager") => {
                let packages = call.arg("pkgs", 0).map(strings).unwrap_or_default();
                install(outcome, "bioconductor", packages, None);
            }
            "unlink" | "file.remove" | "dir_delete" | "file_delete" => {
                let recursive = name == "dir_delete"
                    || call
                        .arg("recursive", usize::MAX)
                        .is_some_and(|v| matches!(v.trim(), "TRUE" | "T"));
                let targets: Vec<String> = if name == "file.remove" {
                    call.args
                        .iter()
                        .filter(|(n, _)| n.is_none())
                        .flat_map(|(_, t)| strings(t))
                        .collect()
                } else {
                    call.arg("x", 0).map(strings).unwrap_or_default()
                };
                for target in targets {
                    outcome.delete(inv.path(&target), recursive);
                }
            }
            "writeLines" | "write" | "write.csv" | "write.csv2" | "write.table" | "saveRDS"
            | "write_csv" | "write_tsv" | "write_rds" | "write_json" | "writeRDS" | "save"
            | "sink" | "cat" | "download.file" | "file.create" | "file.copy" | "dir.create"
            | "write_lines" => {
                let (arg, index) = match name {
                    "writeLines" => ("con", 1),
                    "cat" | "save" => ("file", usize::MAX),
                    "sink" | "file.create" | "dir.create" => ("file", 0),
                    "download.file" => ("destfile", 1),
                    "file.copy" => ("to", 1),
                    "write.table" | "write.csv" | "write.csv2" => ("file", 1),
                    "write_json" | "write_rds" | "saveRDS" => ("path", 1),
                    _ => ("file", 1),
                };
                let Some(target) = call.arg(arg, index).and_then(literal) else {
                    continue;
                };
                let path = inv.path(&target);
                if name == "file.copy"
                    && let Some(from) = call.arg("from", 0).and_then(literal)
                {
                    let from = inv.path(&from);
                    outcome.read(from.clone(), false);
                    flow::push_file(
                        &mut carried,
                        FileRef {
                            path: from.clone(),
                            recursive: false,
                        },
                    );
                    outcome
                        .contents
                        .push((path.clone(), flow::file_payload(from, false)));
                }
                if name == "download.file"
                    && let Some(source) = call.arg("url", 0).and_then(literal)
                {
                    requests.push((source, "GET".to_owned(), Payload::default()));
                }
                let append = call
                    .arg("append", usize::MAX)
                    .is_some_and(|v| matches!(v.trim(), "TRUE" | "T"));
                outcome.write(path, append);
            }
            "read.csv" | "read.csv2" | "read.table" | "read.delim" | "readLines" | "readRDS"
            | "read_csv" | "read_tsv" | "read_lines" | "read_file" | "read_rds" | "fromJSON"
            | "read_json" | "source" | "load" | "scan" | "fread" | "read_excel" | "file" => {
                let Some(target) = call
                    .arg("file", 0)
                    .or(call.arg("con", 0))
                    .or(call.arg("path", 0))
                    .and_then(literal)
                else {
                    continue;
                };
                if target.contains("://") {
                    requests.push((target, "GET".to_owned(), Payload::default()));
                    continue;
                }
                let path = inv.path(&target);
                flow::push_file(
                    &mut carried,
                    FileRef {
                        path: path.clone(),
                        recursive: false,
                    },
                );
                outcome.read(path, false);
            }
            "POST" | "PUT" | "PATCH" | "DELETE" | "GET" | "HEAD" | "VERB" => {
                let Some(target) = call.arg("url", 0).and_then(literal) else {
                    continue;
                };
                let mut payload = Payload::default();
                for (arg_name, text) in call.args.iter().skip(1) {
                    if arg_name.as_deref() == Some("url") {
                        continue;
                    }
                    send_argument(inv, text, &mut payload);
                }
                requests.push((target, name.to_owned(), payload));
            }
            "system" | "system2" | "shell" => {
                if let Some(command) = call.arg("command", 0).and_then(literal) {
                    let mut text = command;
                    if name == "system2"
                        && let Some(args) = call.arg("args", 1)
                    {
                        for word in strings(args) {
                            text.push(' ');
                            text.push_str(&word);
                        }
                    }
                    outcome.nested.push(Nested::Script {
                        text,
                        what: format!("{} system()", inv.program),
                    });
                }
            }
            _ => {}
        }
    }
    httr2(inv, &calls, &mut requests);
    for (target, method, mut payload) in requests {
        let sends = !matches!(method.as_str(), "GET" | "HEAD");
        if sends {
            flow::merge(&mut payload, &carried);
        }
        if let Some((_, query)) = target.split_once('?') {
            flow::push_text(&mut payload, query);
        }
        outcome
            .effects
            .push(request(inv.program, url(&target), &method, payload, false));
    }
}

/// An httr2 request: `request(URL)` with `req_body_*`, `req_method`,
/// `req_headers`, performed by `req_perform`.
fn httr2(inv: &Invocation<'_>, calls: &[Call], requests: &mut Vec<(String, String, Payload)>) {
    if !calls.iter().any(|c| c.name.starts_with("req_perform")) {
        return;
    }
    let Some(target) = calls
        .iter()
        .find(|c| c.name == "request")
        .and_then(|c| c.arg("base_url", 0))
        .and_then(literal)
    else {
        return;
    };
    let mut payload = Payload::default();
    let mut method: Option<String> = None;
    let mut body = false;
    for call in calls {
        match call.name.as_str() {
            "req_body_file" => {
                body = true;
                if let Some(file) = first_literal(call, "path") {
                    send_path(inv, &file, &mut payload);
                }
            }
            "req_body_raw" | "req_body_json" | "req_body_form" | "req_body_multipart" => {
                body = true;
                for (_, text) in call.args.iter().skip(1) {
                    send_argument(inv, text, &mut payload);
                }
            }
            "req_headers" | "req_auth_bearer_token" | "req_auth_basic" | "req_url_query" => {
                for (_, text) in call.args.iter().skip(1) {
                    send_argument(inv, text, &mut payload);
                }
            }
            "req_method" => {
                method = first_literal(call, "method").map(|m| m.to_ascii_uppercase());
            }
            _ => {}
        }
    }
    let method = method.unwrap_or_else(|| if body { "POST" } else { "GET" }.to_owned());
    requests.push((target, method, payload));
}

/// What an argument of a send carries: files it uploads
/// (`upload_file("F")`, `form_file`), variables it reads, its literals.
fn send_argument(inv: &Invocation<'_>, text: &str, payload: &mut Payload) {
    for call in calls(text) {
        match call.name.as_str() {
            "upload_file" | "form_file" | "curl_file" => {
                if let Some(file) = call.arg("path", 0).and_then(literal) {
                    send_path(inv, &file, payload);
                }
            }
            "Sys.getenv" => {
                if let Some(name) = call.arg("x", 0).and_then(literal) {
                    flow::push_env(payload, &name);
                }
            }
            _ => {}
        }
    }
    for literal in strings(text) {
        flow::push_text(payload, &literal);
    }
}

fn send_path(inv: &Invocation<'_>, file: &str, payload: &mut Payload) {
    flow::push_file(
        payload,
        FileRef {
            path: inv.path(file),
            recursive: false,
        },
    );
}

fn install(outcome: &mut Outcome, manager: &str, packages: Vec<String>, registry: Option<String>) {
    if packages.is_empty() {
        return;
    }
    outcome.effects.push(Effect::PackageInstall(PackageInstall {
        manager: manager.to_owned(),
        packages,
        registry,
    }));
}

/// The argument called `name`, or else the first positional one that is a
/// string literal (in a pipeline `x |> f("a")` the request is implicit).
fn first_literal(call: &Call, name: &str) -> Option<String> {
    if let Some(value) = call.arg(name, usize::MAX) {
        return literal(value);
    }
    call.args
        .iter()
        .filter(|(n, _)| n.is_none())
        .find_map(|(_, t)| literal(t))
}

/// The text of an argument that is one string literal.
fn literal(text: &str) -> Option<String> {
    let text = text.trim();
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(quote)).then(|| inner.to_owned())
}

/// Every string literal in `text`.
fn strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if matches!(c, '"' | '\'') {
            let mut literal = String::new();
            let mut escaped = false;
            for d in chars.by_ref() {
                if escaped {
                    literal.push(d);
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == c {
                    break;
                } else {
                    literal.push(d);
                }
            }
            out.push(literal);
        }
    }
    out
}

/// Every call in `code`, outer calls before the calls in their arguments.
fn calls(code: &str) -> Vec<Call> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut name = String::new();
    while let Some(&c) = chars.get(at) {
        match c {
            '"' | '\'' | '`' => {
                at = skip_string(&chars, at);
                name.clear();
                continue;
            }
            '#' => {
                while chars.get(at).is_some_and(|c| *c != '\n') {
                    at += 1;
                }
                name.clear();
                continue;
            }
            '(' if !name.is_empty() => {
                let (args, _) = arguments(&chars, at);
                let (package, bare) = match name.rsplit_once("::") {
                    Some((package, bare)) => (
                        Some(package.trim_end_matches(':').to_owned()),
                        bare.to_owned(),
                    ),
                    None => (None, name.clone()),
                };
                out.push(Call {
                    name: bare,
                    package,
                    args,
                });
                name.clear();
            }
            c if c.is_alphanumeric() || matches!(c, '.' | '_' | ':') => name.push(c),
            _ => name.clear(),
        }
        at += 1;
    }
    out
}

fn skip_string(chars: &[char], start: usize) -> usize {
    let quote = chars.get(start).copied();
    let mut at = start + 1;
    while let Some(&c) = chars.get(at) {
        if c == '\\' {
            at += 2;
            continue;
        }
        if Some(c) == quote {
            return at + 1;
        }
        at += 1;
    }
    chars.len()
}

/// The arguments of the call whose `(` is at `open`, split at top-level
/// commas, and just past its `)`.
fn arguments(chars: &[char], open: usize) -> (Vec<(Option<String>, String)>, usize) {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut at = open + 1;
    let finish = |current: &mut String, args: &mut Vec<(Option<String>, String)>| {
        let text = std::mem::take(current);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        match text.split_once('=') {
            Some((name, value))
                if !name.trim().is_empty()
                    && name
                        .trim()
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_'))
                    && !value.starts_with('=') =>
            {
                args.push((Some(name.trim().to_owned()), value.trim().to_owned()));
            }
            _ => args.push((None, text.to_owned())),
        }
    };
    while let Some(&c) = chars.get(at) {
        match c {
            '"' | '\'' | '`' => {
                let end = skip_string(chars, at);
                current.extend(chars.get(at..end).unwrap_or_default());
                at = end;
                continue;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => {
                finish(&mut current, &mut args);
                return (args, at + 1);
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                finish(&mut current, &mut args);
                at += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        at += 1;
    }
    finish(&mut current, &mut args);
    (args, chars.len())
}
