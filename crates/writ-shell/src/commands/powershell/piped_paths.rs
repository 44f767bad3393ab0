//! Paths piped in as a list the text writes out: `'.env', 'certs\a.pfx' |
//! Where-Object { Test-Path $_ } | Copy-Item -Destination $stage` copies
//! each path the list names. The statement pass ([`super::statements`])
//! gives the list to the cmdlet as its `-Path` (`Copy-Item -Path '.env',
//! 'certs\a.pfx' -Destination $stage`), so it is read as a copy of those
//! files. A `Where-Object` filter between them only drops items, so every
//! item is kept: what may be copied is what is read.

use super::format::string_end;
use super::splatting::closing;

/// The cmdlets (and aliases) that take piped strings as their `-Path`.
const PATH_CMDLETS: [&str; 16] = [
    "copy-item",
    "copy",
    "cpi",
    "cp",
    "move-item",
    "move",
    "mi",
    "mv",
    "remove-item",
    "ri",
    "rm",
    "del",
    "compress-archive",
    "get-content",
    "gc",
    "cat",
];

/// The filter cmdlets a list may pass through on its way.
const FILTERS: [&str; 3] = ["where-object", "where", "?"];

/// `code` with its piped literal path lists given as `-Path`, or `None`.
pub(super) fn rewrite(code: &str) -> Option<String> {
    if !code.contains('|') {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len() + 32);
    let mut changed = false;
    let mut at = 0usize;
    let mut statement_start = true;
    while let Some(&c) = chars.get(at) {
        if statement_start
            && matches!(c, '\'' | '"')
            && let Some((text, next)) = piped_list(&chars, at)
        {
            out.push_str(&text);
            changed = true;
            at = next;
            statement_start = false;
            continue;
        }
        match c {
            '\n' | ';' | '{' => statement_start = true,
            c if c.is_whitespace() => {}
            '\'' | '"' => {
                let end = string_end(&chars, at);
                out.extend(chars.get(at..end).unwrap_or_default());
                at = end;
                statement_start = false;
                continue;
            }
            _ => statement_start = false,
        }
        out.push(c);
        at += 1;
    }
    changed.then_some(out)
}

/// The statement at `start` written with its list as the cmdlet's `-Path`,
/// and where the rewritten part ends; `None` when it is not a list of
/// quoted strings piped (through filters) into a path cmdlet.
fn piped_list(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut items: Vec<String> = Vec::new();
    let mut at = start;
    loop {
        if !matches!(chars.get(at), Some('\'' | '"')) {
            return None;
        }
        let end = string_end(chars, at);
        let item: String = chars.get(at..end)?.iter().collect();
        if item.starts_with('"') && item.contains('$') {
            return None;
        }
        items.push(item);
        at = skip_space(chars, end);
        if chars.get(at) != Some(&',') {
            break;
        }
        at = skip_space(chars, at + 1);
    }
    loop {
        if chars.get(at) != Some(&'|') {
            return None;
        }
        at = skip_space(chars, at + 1);
        let (word, end) = word(chars, at);
        let lower = word.to_ascii_lowercase();
        if FILTERS.contains(&lower.as_str()) {
            let open = skip_space(chars, end);
            if chars.get(open) != Some(&'{') {
                return None;
            }
            at = skip_space(chars, closing(chars, open));
            continue;
        }
        if !PATH_CMDLETS.contains(&lower.as_str()) {
            return None;
        }
        let rest: String = chars
            .get(end..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| !matches!(c, '\n' | ';' | '|'))
            .collect();
        let rest_lower = rest.to_ascii_lowercase();
        if rest_lower.contains("-path") || rest_lower.contains("-literalpath") {
            return None;
        }
        return Some((format!("{word} -Path {}", items.join(", ")), end));
    }
}

/// Past blanks and line breaks from `at`.
fn skip_space(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

/// The command word at `at` and just past it.
fn word(chars: &[char], at: usize) -> (String, usize) {
    let word: String = chars
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '{' | '|' | ';' | '(' | ')'))
        .collect();
    let end = at + word.chars().count();
    (word, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_lists_become_paths() {
        assert_eq!(
            rewrite("'.env', 'a.pfx' |\n  Where-Object { Test-Path $_ } |\n  Copy-Item -Destination $d -Force").as_deref(),
            Some("Copy-Item -Path '.env', 'a.pfx' -Destination $d -Force")
        );
        assert_eq!(
            rewrite("'a' | Remove-Item -Force").as_deref(),
            Some("Remove-Item -Path 'a' -Force")
        );
        assert_eq!(rewrite("'a', 'b' | ForEach-Object { $_ }"), None);
        assert_eq!(rewrite("'x' | Out-File a.txt"), None);
    }
}
