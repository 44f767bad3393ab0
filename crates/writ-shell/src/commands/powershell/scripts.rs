//! A `.ps1` script an earlier step wrote, run by `pwsh|powershell -File
//! F ARGS` (or `& .\F ARGS`, which [`to_bash`] reads as that): its text
//! runs as PowerShell, with its `param(...)` block bound as PowerShell
//! binds a script's parameters (by name, by any unambiguous prefix, by
//! position; switches; each default for the rest; common parameters such
//! as `-WhatIf` are not its own: `binding.rs`), and `$PSScriptRoot` and
//! `$PSCommandPath` set to where it is.

use super::blocks::indexed_args;
use super::statements::statements;
use super::{binding, command_code, path_text, script_file, to_bash};
use crate::args::Arg;
use crate::commands::{Invocation, Nested};

/// A parameter a script's `param(...)` block declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Param {
    /// As written (`Name`).
    pub(super) name: String,
    pub(super) switch: bool,
    /// The default value's PowerShell text.
    pub(super) default: Option<String>,
}

/// The job running the script `pwsh -File F ARGS` runs, when an earlier
/// step wrote F (`text_of` gives a written file's text).
pub(crate) fn written_script_jobs(
    inv: &Invocation<'_>,
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<Nested> {
    let Some((script, arguments)) = script_file(inv) else {
        return dot_sourced_jobs(inv, text_of);
    };
    let path = inv.path(&path_text(&script.text));
    let Some(text) = text_of(&path) else {
        return Vec::new();
    };
    vec![Nested::Script {
        text: to_bash(&with_arguments(&text, arguments, &path)),
        what: format!("{} {path}", inv.program),
    }]
}

/// The job running `pwsh -Command TEXT` when TEXT dot-sources (`.
/// ./tools/Fleet.ps1`) or imports (`Import-Module ./Fleet.psm1`) scripts
/// an earlier step wrote: their text, then TEXT, run as one script, so the
/// functions they define are defined where TEXT calls them (the functions
/// pass, `functions.rs`, runs each call's body).
fn dot_sourced_jobs(inv: &Invocation<'_>, text_of: &dyn Fn(&str) -> Option<String>) -> Vec<Nested> {
    let Some(code) = command_code(inv) else {
        return Vec::new();
    };
    let loaded: Vec<(String, String)> = loaded_scripts(&code)
        .into_iter()
        .filter_map(|script| {
            let path = inv.path(&path_text(&script));
            text_of(&path).map(|text| (path, text))
        })
        .collect();
    if loaded.is_empty() {
        return Vec::new();
    }
    let what = loaded
        .iter()
        .map(|(path, _)| path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut text: String = loaded.iter().map(|(_, text)| format!("{text}\n")).collect();
    text.push_str(&code);
    vec![Nested::Script {
        text: to_bash(&text),
        what: format!("{} -Command with {what}", inv.program),
    }]
}

/// The script files `code` dot-sources (`. ./x.ps1`) or imports by path
/// (`Import-Module ./x.psm1`), as written.
fn loaded_scripts(code: &str) -> Vec<String> {
    let is_script = |word: &str| {
        let lower = word.to_ascii_lowercase();
        lower.ends_with(".ps1") || lower.ends_with(".psm1")
    };
    statements(code)
        .into_iter()
        .filter_map(|(start, end)| {
            let statement = code.get(start..end)?;
            let mut words = statement.split_whitespace();
            let first = words.next()?.to_ascii_lowercase();
            let script = match first.as_str() {
                "." => words.next()?,
                "import-module" | "ipmo" => words.find(|w| !w.starts_with('-'))?,
                _ => return None,
            };
            let script = script.trim_matches(|c| c == '\'' || c == '"');
            is_script(script).then(|| script.to_owned())
        })
        .collect()
}

/// The script's text with its parameters bound to `arguments`: its
/// `param(...)` block replaced by one assignment per parameter that is
/// given or has a default, `$args` assigned what no parameter takes, and
/// its `$PSCmdlet.ShouldProcess(...)` calls the constant they return
/// ([`binding::decided`]).
fn with_arguments(text: &str, arguments: &[Arg], path: &str) -> String {
    let directory = path.rsplit_once('/').map_or("/", |(dir, _)| dir);
    let mut bound = format!(
        "$PSScriptRoot = {}\n$PSCommandPath = {}\n",
        quoted(directory),
        quoted(path)
    );
    let (start, end, params) = param_block(text).unwrap_or((0, 0, Vec::new()));
    let words: Vec<&str> = arguments.iter().map(|a| a.text.as_str()).collect();
    let binding = binding::bind(&params, &words, quoted);
    bound.push_str(text.get(..start).unwrap_or_default());
    for (param, value) in params.iter().zip(binding.values) {
        if let Some(value) = value.or_else(|| param.default.clone()) {
            bound.push_str(&format!("${} = {value}\n", param.name));
        }
    }
    let mut body = binding::decided(text.get(end..).unwrap_or_default(), binding.what_if);
    if !binding.rest.is_empty() {
        bound.push_str(&format!("$args = @({})\n", binding.rest.join(", ")));
        // `$args[N]` is the one value.
        body = indexed_args(&body, |index| binding.rest.get(index).cloned());
    }
    bound.push_str(&body);
    bound
}

/// A PowerShell single-quoted string of `text`.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The parameter `-name` names: its exact name, or the one it is a
/// prefix of.
pub(super) fn param_index(params: &[Param], name: &str) -> Option<usize> {
    if let Some(at) = params
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(name))
    {
        return Some(at);
    }
    let mut prefixed = params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.name.to_ascii_lowercase().starts_with(name));
    match (prefixed.next(), prefixed.next()) {
        (Some((at, _)), None) => Some(at),
        _ => None,
    }
}

/// The script's `param(...)` block (after comments, `#Requires` lines and
/// attributes such as `[CmdletBinding()]`): where it starts and ends, and
/// the parameters it declares.
pub(super) fn param_block(text: &str) -> Option<(usize, usize, Vec<Param>)> {
    let mut at = 0usize;
    loop {
        let rest = text.get(at..)?;
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("<#") {
            at += trimmed.find("#>")? + 2;
        } else if trimmed.starts_with('#') {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if trimmed.starts_with('[') {
            at += closing(trimmed)?;
        } else {
            break;
        }
    }
    let rest = text.get(at..)?;
    if !rest.get(..5)?.eq_ignore_ascii_case("param") {
        return None;
    }
    let after = rest.get(5..)?;
    let open = 5 + after.len() - after.trim_start().len();
    if !rest.get(open..)?.starts_with('(') {
        return None;
    }
    let length = open + closing(rest.get(open..)?)?;
    let inner = rest.get(open + 1..length - 1)?;
    let params = split_top_level(inner)
        .iter()
        .filter_map(|item| declared(item))
        .collect();
    Some((at, at + length, params))
}

/// Just past the bracket closing the one `text` starts with (brackets of
/// every kind nest; quoted text is skipped).
fn closing(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// `text` split at its commas outside brackets and quotes.
pub(super) fn split_top_level(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0usize;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                items.push(text.get(start..at).unwrap_or_default());
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(text.get(start..).unwrap_or_default());
    items
}

/// One parameter declaration: `[attributes][type]$Name [= default]`.
pub(super) fn declared(item: &str) -> Option<Param> {
    let mut rest = item.trim();
    let mut switch = false;
    while rest.starts_with('[') {
        let end = closing(rest)?;
        switch |= rest.get(..end)?.eq_ignore_ascii_case("[switch]");
        rest = rest.get(end..)?.trim_start();
    }
    let rest = rest.strip_prefix('$')?;
    let length = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = rest.get(..length)?;
    let default = rest
        .get(length..)?
        .trim_start()
        .strip_prefix('=')
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    (!name.is_empty()).then(|| Param {
        name: name.to_owned(),
        switch,
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Arg> {
        line.split_whitespace().map(Arg::literal).collect()
    }

    #[test]
    fn reads_the_param_block() {
        let text = "#Requires -Modules ActiveDirectory\n<# help #>\n[CmdletBinding()]\nparam(\n  [Parameter(Mandatory=$true)][string]$Name = 'svc',\n  [switch]$Force,\n  [int]$Count = (1 + 2)\n)\nNew-ADUser -Name $Name\n";
        let (start, end, params) = param_block(text).expect("a param block");
        assert!(
            text.get(start..end)
                .is_some_and(|b| b.starts_with("param(") && b.ends_with(')'))
        );
        assert_eq!(
            params,
            vec![
                Param {
                    name: "Name".to_owned(),
                    switch: false,
                    default: Some("'svc'".to_owned())
                },
                Param {
                    name: "Force".to_owned(),
                    switch: true,
                    default: None
                },
                Param {
                    name: "Count".to_owned(),
                    switch: false,
                    default: Some("(1 + 2)".to_owned())
                },
            ]
        );
        assert_eq!(param_block("Get-Date\nparam($x)"), None);
    }

    #[test]
    fn binds_arguments_as_powershell_does() {
        let text = "param([string]$Name = 'svc', [switch]$Force, $Path)\nbody";
        let bound = with_arguments(text, &words("-Na other -F C:\\x"), "/c/s/x.ps1");
        assert_eq!(
            bound,
            "$PSScriptRoot = '/c/s'\n$PSCommandPath = '/c/s/x.ps1'\n$Name = 'other'\n$Force = $true\n$Path = 'C:\\x'\n\nbody"
        );
        let defaults = with_arguments(text, &[], "/c/s/x.ps1");
        assert!(defaults.contains("$Name = 'svc'\n") && !defaults.contains("$Force"));
        let positional = with_arguments(text, &words("a b"), "/x.ps1");
        assert!(positional.contains("$Name = 'a'\n") && positional.contains("$Path = 'b'\n"));
    }
}
