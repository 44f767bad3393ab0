//! Functions the text defines and then calls: `function Reset-Cache {
//! param([string]$Path) ... }` followed by `Reset-Cache -Path ~` runs the
//! function's body where it is called, with its parameters bound as
//! PowerShell binds them (by name, by any unambiguous prefix, by position,
//! switches, each default for the rest; what is left over is `$args`). A
//! function's parameters may be declared in its `param(...)` block or
//! after its name (`function f($a, $b) { ... }`); common parameters
//! (`-WhatIf`, `-Verbose`, ...) are not its own (`binding.rs`).
//!
//! The statement pass ([`super::statements`]) replaces each call with `& {
//! $Path = '~' ... BODY }`, so the commands inside run with the values they
//! are given; a function called this way is no longer run where it is
//! defined (defining one runs nothing). A function never called keeps its
//! body where it stands, as before, so what it would do is still read.
//! Functions called from a function's body are inlined there too, a few
//! levels deep.

use super::binding;
use super::blocks::indexed_args;
use super::scripts::{Param, declared, param_block, split_top_level};
use super::splatting::{closing, unquoted};

/// How deep calls inside inlined bodies are inlined in turn (recursion
/// stops here).
const DEEPEST: usize = 4;

/// The most text inlining may produce.
const LARGEST: usize = 256 * 1024;

/// A function the text defines.
#[derive(Debug, Clone)]
struct Function {
    /// Lower case, without a scope prefix (`global:`).
    name: String,
    params: Vec<Param>,
    /// Its body without the `param(...)` block.
    body: String,
    /// Where its definition starts and ends (characters).
    span: (usize, usize),
}

/// `code` with its functions' calls replaced by their bodies, or `None`.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if !lower.contains("function") && !lower.contains("filter") {
        return None;
    }
    inline(code, &[], 0)
}

/// `code` with the calls of its own functions and of `outer` ones inlined.
fn inline(code: &str, outer: &[Function], depth: usize) -> Option<String> {
    if depth > DEEPEST {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let mask = code_mask(&chars);
    let quotes = unquoted(&chars);
    let defined = definitions(&chars, &mask);
    if defined.is_empty() && outer.is_empty() {
        return None;
    }
    let inside_definition = |at: usize| defined.iter().any(|f| f.span.0 <= at && at < f.span.1);
    let mut out = String::with_capacity(code.len() * 2);
    let mut kept = 0usize;
    let mut called: Vec<usize> = Vec::new();
    let mut at = 0usize;
    while at < chars.len() {
        if !mask.get(at).copied().unwrap_or(false)
            || inside_definition(at)
            || !command_position(&chars, at)
        {
            at += 1;
            continue;
        }
        let word: String = chars
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '|' | ')' | '}' | '(' | '{'))
            .collect();
        let lower = word.to_ascii_lowercase();
        let length = word.chars().count();
        // The last definition before the call, else one visible from
        // outside.
        let own = defined
            .iter()
            .enumerate()
            .rev()
            .find(|(_, f)| f.name == lower && f.span.1 <= at);
        let function = match own {
            Some((index, f)) => Some((Some(index), f)),
            None => outer
                .iter()
                .rev()
                .find(|f| f.name == lower)
                .map(|f| (None, f)),
        };
        let Some((index, function)) = function.filter(|_| !word.is_empty()) else {
            at += length.max(1);
            continue;
        };
        let end = command_end(&chars, &quotes, at + length);
        let arguments: String = chars
            .get(at + length..end)
            .unwrap_or_default()
            .iter()
            .collect();
        let visible: Vec<Function> = outer
            .iter()
            .chain(defined.iter().filter(|f| f.span.1 <= at))
            .cloned()
            .collect();
        let body = bound_body(function, &arguments);
        let body = inline(&body, &visible, depth + 1).unwrap_or(body);
        let after_assignment = previous(&chars, at) == Some('=');
        let block = if previous(&chars, at) == Some('&') {
            format!("{{\n{}\n}}", body.trim())
        } else if after_assignment {
            format!("(& {{\n{}\n}})", body.trim())
        } else {
            format!("& {{\n{}\n}}", body.trim())
        };
        if out.len() + block.len() > LARGEST {
            return None;
        }
        out.extend(chars.get(kept..at).unwrap_or_default());
        out.push_str(&block);
        kept = end;
        at = end;
        if let Some(index) = index {
            called.push(index);
        }
    }
    if kept == 0 && called.is_empty() {
        return None;
    }
    out.extend(chars.get(kept..).unwrap_or_default());
    // The definitions of the functions called run nothing themselves.
    if called.is_empty() {
        return Some(out);
    }
    let text: String = out;
    let chars: Vec<char> = text.chars().collect();
    let mask = code_mask(&chars);
    let mut removed = String::with_capacity(text.len());
    let mut kept = 0usize;
    let names: Vec<&str> = called
        .iter()
        .filter_map(|i| defined.get(*i))
        .map(|f| f.name.as_str())
        .collect();
    for function in definitions(&chars, &mask) {
        if names.contains(&function.name.as_str()) && function.span.0 >= kept {
            removed.extend(chars.get(kept..function.span.0).unwrap_or_default());
            // The `;` that ended the definition goes with it.
            let mut end = function.span.1;
            while chars.get(end).is_some_and(|c| *c == ' ' || *c == '\t') {
                end += 1;
            }
            if chars.get(end) == Some(&';') {
                end += 1;
            }
            kept = end;
        }
    }
    removed.extend(chars.get(kept..).unwrap_or_default());
    Some(removed)
}

/// Which characters are code: outside quotes and comments.
fn code_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = unquoted(chars);
    let mut at = 0usize;
    while at < chars.len() {
        let outside = mask.get(at).copied().unwrap_or(false);
        let block = chars.get(at) == Some(&'<') && chars.get(at + 1) == Some(&'#');
        let line = chars.get(at) == Some(&'#')
            && (at == 0
                || chars
                    .get(at - 1)
                    .is_some_and(|c| c.is_whitespace() || *c == ';'));
        if outside && (block || line) {
            let end = if block {
                (at + 2..chars.len())
                    .find(|&i| chars.get(i) == Some(&'#') && chars.get(i + 1) == Some(&'>'))
                    .map_or(chars.len(), |i| i + 2)
            } else {
                (at..chars.len())
                    .find(|&i| chars.get(i) == Some(&'\n'))
                    .unwrap_or(chars.len())
            };
            for flag in mask.get_mut(at..end).unwrap_or_default() {
                *flag = false;
            }
            at = end;
            continue;
        }
        at += 1;
    }
    mask
}

/// The last character before `at` that is not a blank on the same line.
fn previous(chars: &[char], at: usize) -> Option<char> {
    chars
        .get(..at)
        .unwrap_or_default()
        .iter()
        .rev()
        .find(|c| **c != ' ' && **c != '\t')
        .copied()
}

/// Whether a command's name may start at `at`: at the start of a
/// statement, a pipeline's element, an assignment's value or a
/// parenthesised expression, or after the call operator.
fn command_position(chars: &[char], at: usize) -> bool {
    let word_start = at == 0
        || chars
            .get(at - 1)
            .is_some_and(|c| c.is_whitespace() || matches!(c, ';' | '{' | '}' | '(' | '|'));
    word_start
        && matches!(
            previous(chars, at),
            None | Some('\n' | ';' | '{' | '}' | '(' | '|' | '=' | '&')
        )
}

/// Where the command whose arguments start at `at` ends: a line end (not
/// continued by a backtick), `;`, `|`, `&&`/`||`, or a closing bracket it
/// did not open.
fn command_end(chars: &[char], outside: &[bool], mut at: usize) -> usize {
    let mut depth = 0usize;
    while let Some(&c) = chars.get(at) {
        if !outside.get(at).copied().unwrap_or(false) {
            at += 1;
            continue;
        }
        match c {
            '`' => at += 1,
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' if depth == 0 => return at,
            ')' | '}' | ']' => depth -= 1,
            '\n' | ';' | '|' | '&' if depth == 0 => return at,
            '#' if depth == 0 && chars.get(at - 1).is_some_and(|c| c.is_whitespace()) => {
                return at;
            }
            _ => {}
        }
        at += 1;
    }
    chars.len()
}

/// The functions `function NAME [(PARAMS)] { BODY }` (or `filter`) the
/// text defines, outside one another, in order.
fn definitions(chars: &[char], mask: &[bool]) -> Vec<Function> {
    let mut found = Vec::new();
    let mut at = 0usize;
    while at < chars.len() {
        let starts = mask.get(at).copied().unwrap_or(false)
            && matches!(previous(chars, at), None | Some('\n' | ';' | '{' | '}'))
            && (at == 0
                || chars
                    .get(at - 1)
                    .is_some_and(|c| c.is_whitespace() || *c == ';'));
        match starts.then(|| definition(chars, at)).flatten() {
            Some(function) => {
                at = function.span.1;
                found.push(function);
            }
            None => at += 1,
        }
    }
    found
}

/// The definition starting at `at`, if one does.
fn definition(chars: &[char], at: usize) -> Option<Function> {
    let keyword: String = chars
        .get(at..)?
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if !(keyword.eq_ignore_ascii_case("function") || keyword.eq_ignore_ascii_case("filter")) {
        return None;
    }
    let mut next = at + keyword.len();
    if !chars.get(next).is_some_and(|c| *c == ' ' || *c == '\t') {
        return None;
    }
    next = skip_blank(chars, next);
    let name: String = chars
        .get(next..)?
        .iter()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '(' | '{' | ';' | '}'))
        .collect();
    if name.is_empty() {
        return None;
    }
    next = skip_blank(chars, next + name.chars().count());
    let mut params = Vec::new();
    if chars.get(next) == Some(&'(') {
        let end = closing(chars, next);
        let inner: String = chars.get(next + 1..end.saturating_sub(1))?.iter().collect();
        params = split_top_level(&inner)
            .iter()
            .filter_map(|item| declared(item))
            .collect();
        next = skip_blank(chars, end);
    }
    if chars.get(next) != Some(&'{') {
        return None;
    }
    let end = closing(chars, next);
    let body: String = chars.get(next + 1..end.saturating_sub(1))?.iter().collect();
    let body = match param_block(&body) {
        // What stands before the block is only its attributes
        // (`[CmdletBinding()]`) and comments.
        Some((_, stop, declared)) if params.is_empty() => {
            params = declared;
            body.get(stop..).unwrap_or_default().to_owned()
        }
        _ => body,
    };
    let lower = name.to_ascii_lowercase();
    let name = ["global:", "script:", "local:", "private:", "function:"]
        .iter()
        .find_map(|scope| lower.strip_prefix(scope))
        .unwrap_or(&lower)
        .to_owned();
    Some(Function {
        name,
        params,
        body,
        span: (at, end),
    })
}

/// Where the functions `code` defines start and end (characters).
pub(super) fn definition_spans(code: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = code.chars().collect();
    let mask = code_mask(&chars);
    definitions(&chars, &mask)
        .into_iter()
        .map(|function| function.span)
        .collect()
}

/// Just past the blanks (line ends too) from `at`.
fn skip_blank(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

/// The function's body preceded by the assignments its call makes, its
/// `$PSCmdlet.ShouldProcess(...)` calls the constant they return
/// ([`binding::decided`]).
fn bound_body(function: &Function, arguments: &str) -> String {
    let words = argument_words(arguments);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let binding = binding::bind(&function.params, &words, value);
    let mut text = String::new();
    for (param, value) in function.params.iter().zip(binding.values) {
        if let Some(value) = value.or_else(|| param.default.clone()) {
            text.push_str(&format!("${} = {value}\n", param.name));
        }
    }
    let extra = binding.rest;
    if !extra.is_empty() {
        text.push_str(&format!("$args = @({})\n", extra.join(", ")));
    }
    // `$args[N]` is the one value.
    let body = indexed_args(function.body.trim(), |index| extra.get(index).cloned());
    text.push_str(&binding::decided(&body, binding.what_if));
    text
}

/// A call's arguments as PowerShell words: split at blanks outside quotes
/// and brackets, a comma list written with blanks (`a, b`) one word.
fn argument_words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mask = unquoted(&chars);
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for (at, &c) in chars.iter().enumerate() {
        let outside = mask.get(at).copied().unwrap_or(false);
        if outside {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let top = outside && depth == 0;
        if top && (c.is_whitespace() || c == '`') {
            // A word ending in `,` goes on past the blank.
            if !current.is_empty() && !current.ends_with(',') {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if top && c == ',' && current.is_empty() {
            // `a ,b`: the comma joins the next item to the last word.
            current = words.pop().unwrap_or_default();
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// An argument word as a PowerShell value: an expression as written, a
/// bare word (`~`, `C:\x`) as the string it is (`$` in it still expands).
fn value(word: &str) -> String {
    let items = split_top_level(word);
    let values: Vec<String> = items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| {
            let expression = item.starts_with(['\'', '"', '$', '(', '@', '[', '{'])
                || item.parse::<f64>().is_ok();
            if expression {
                item.to_owned()
            } else if item.contains('$') {
                format!("\"{item}\"")
            } else {
                format!("'{}'", item.replace('\'', "''"))
            }
        })
        .collect();
    values.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_run_the_body_with_parameters_bound() {
        let code = "function Reset-Cache {\n  [CmdletBinding()]\n  param([Parameter(Mandatory)][string]$Path, [switch]$Force, $Depth = 2)\n  Remove-Item -LiteralPath $Path -Recurse\n}\n\nReset-Cache -Path ~ -F";
        let text = rewrite(code).unwrap_or_default();
        assert!(!text.contains("function"), "{text}");
        assert!(
            text.contains("& {\n$Path = '~'\n$Force = $true\n$Depth = 2\n"),
            "{text}"
        );
        assert!(
            text.contains("Remove-Item -LiteralPath $Path -Recurse\n}"),
            "{text}"
        );
    }

    #[test]
    fn positional_inline_params_and_args() {
        let code = "function Send($u, $b) { irm -Method Post $u -Body $b }\nSend 'https://x.example' $env:TOKEN extra";
        let text = rewrite(code).unwrap_or_default();
        assert!(
            text.contains("$u = 'https://x.example'\n$b = $env:TOKEN\n$args = @('extra')"),
            "{text}"
        );
    }

    #[test]
    fn uncalled_functions_stay_and_quoted_names_are_not_calls() {
        assert_eq!(rewrite("function f { rm x }"), None);
        assert_eq!(rewrite("function f { rm x }\nWrite-Host 'f'"), None);
    }

    #[test]
    fn argument_words_join_comma_lists() {
        assert_eq!(
            argument_words(" -Names a, 'b c' ,d -Path (Get-Item x) "),
            ["-Names", "a,'b c',d", "-Path", "(Get-Item x)"]
        );
    }
}
