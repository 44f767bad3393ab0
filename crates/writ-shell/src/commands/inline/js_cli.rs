//! The options Node.js scripts declare with yargs and commander, for
//! [`super::js_args`] to write their values in:
//!
//! - yargs: `const argv = yargs(hideBin(process.argv)).option('target',
//!   { type: 'string', alias: 't', default: 'x' }).options({ dry: {
//!   type: 'boolean' } }).parseSync()` (or `.argv`, `.parse()`,
//!   `.parseAsync()`, `await` before it; `require('yargs')` called alike):
//!   read through `argv`.
//! - commander: `program.option('-t, --target <url>', 'where', 'x')`
//!   (and `.requiredOption`), read through `program.opts()` or a name
//!   bound to it (`const opts = program.opts()`, `program.parse().opts()`).
//!
//! An option whose type, spelling or default is not written out (a
//! custom parser, `--no-x`, `default: process.env.X`) leaves its parser
//! unread.

use super::Literal;
use super::js_args::{CliParser, OptionSpec, Value, field, next_entry, object_fields};
use super::storage::{is_ident, literal_at, matching, token_starts};

/// How many options a parser is read with.
const MAX_OPTIONS: usize = 64;

/// The yargs and commander parsers `code` declares.
pub(super) fn parsers(code: &str, literals: &[Literal]) -> Vec<CliParser> {
    let mut found = Vec::new();
    if let Some(parser) = yargs(code, literals) {
        found.push(parser);
    }
    if let Some(parser) = commander(code, literals) {
        found.push(parser);
    }
    found
}

/// True when `pos` is inside a string literal.
fn literal_in(literals: &[Literal], pos: usize) -> bool {
    literals.iter().any(|l| l.start <= pos && pos < l.end)
}

/// Past the spaces and line breaks from `pos`.
fn skip_space(code: &str, pos: usize) -> usize {
    let rest = code.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

/// The name a statement ending at `at` assigns (`const argv = `, `let
/// opts = await `).
pub(super) fn assigned_name(code: &str, at: usize) -> Option<String> {
    let head = code.get(..at)?.trim_end();
    let head = head.strip_suffix("await").unwrap_or(head).trim_end();
    let head = head.strip_suffix('=')?.trim_end();
    if head.ends_with(['=', '!', '<', '>']) {
        return None;
    }
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !is_ident(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let name = head.get(start..)?;
    let keyword = head.get(..start)?.trim_end();
    let declared = ["const", "let", "var"].iter().any(|k| keyword.ends_with(k));
    (declared && !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| name.to_owned())
}

/// yargs' chain, from `yargs(...)` (or `require('yargs')(...)`) to the
/// call or property that parses, assigned to a name.
fn yargs(code: &str, literals: &[Literal]) -> Option<CliParser> {
    let (start, after) = code.match_indices("yargs").find_map(|(at, m)| {
        let end = at + m.len();
        let whole = token_starts(code, at)
            && code
                .get(end..)
                .and_then(|r| r.chars().next())
                .is_some_and(|c| matches!(c, '(' | '.'));
        (whole && !literal_in(literals, at)).then_some((at, end))
    })?;
    let holder = assigned_name(code, start)?;
    let mut pos = after;
    if code.get(pos..)?.starts_with('(') {
        pos = matching(code, literals, pos)? + 1;
    }
    let mut options = Vec::new();
    loop {
        let dot = skip_space(code, pos);
        let method_at = code.get(dot..)?.strip_prefix('.').map(|_| dot + 1)?;
        let name_len = code
            .get(method_at..)?
            .find(|c: char| !is_ident(c))
            .unwrap_or(0);
        let method = code.get(method_at..method_at + name_len)?;
        let open = method_at + name_len;
        if method == "argv" {
            break;
        }
        if !code.get(open..)?.starts_with('(') {
            return None;
        }
        let close = matching(code, literals, open)?;
        match method {
            "option" => {
                let (_, literal) = literal_at(literals, skip_space(code, open + 1))?;
                let comma = skip_space(code, literal.end);
                let brace = code
                    .get(comma..)?
                    .strip_prefix(',')
                    .map(|_| skip_space(code, comma + 1))?;
                options.push(yargs_option(code, literals, &literal.text, brace)?);
            }
            "options" => {
                let brace = skip_space(code, open + 1);
                let end = matching(code, literals, brace)?;
                let mut at = brace + 1;
                while at < end {
                    let entry_end = next_entry(code, literals, at, end)?;
                    let entry = code.get(at..entry_end)?;
                    if let Some((key, _)) = entry.split_once(':') {
                        let name = key.trim().trim_matches(['\'', '"']);
                        let value = at + entry.find(':')? + 1;
                        options.push(yargs_option(code, literals, name, skip_space(code, value))?);
                    } else if !entry.trim().is_empty() {
                        return None;
                    }
                    at = entry_end + 1;
                }
            }
            "parse" | "parseSync" | "parseAsync" => break,
            _ => {}
        }
        if options.len() > MAX_OPTIONS {
            return None;
        }
        pos = close + 1;
    }
    (!options.is_empty()).then(|| CliParser {
        holders: vec![holder],
        options,
        camel: true,
    })
}

/// One yargs option, `name` with the object at `brace`: its `type` (else
/// its default's), its one-letter `alias`, its `default`.
fn yargs_option(code: &str, literals: &[Literal], name: &str, brace: usize) -> Option<OptionSpec> {
    if name.is_empty() || !code.get(brace..)?.starts_with('{') {
        return None;
    }
    let fields = object_fields(code, literals, brace)?;
    let default = field(&fields, "default");
    let boolean = match (field(&fields, "type"), &default) {
        (Some(Value::Text(t)), _) if t == "boolean" => true,
        (Some(Value::Text(t)), _) if t == "string" || t == "number" => false,
        (None, Some(Value::Flag(_))) => true,
        (None, Some(Value::Text(_))) => false,
        _ => return None,
    };
    if matches!(default, Some(Value::Undefined))
        || field(&fields, "array").is_some()
        || field(&fields, "count").is_some()
    {
        return None;
    }
    let short = match field(&fields, "alias") {
        Some(Value::Text(alias)) if alias.chars().count() == 1 => Some(alias),
        _ => None,
    };
    Some(OptionSpec {
        name: name.to_owned(),
        boolean,
        short,
        default,
    })
}

/// commander's `.option(FLAGS, DESCRIPTION, DEFAULT)` calls and the names
/// its `opts()` are read through.
fn commander(code: &str, literals: &[Literal]) -> Option<CliParser> {
    if !code.contains("commander") {
        return None;
    }
    let mut options = Vec::new();
    for call in [".option(", ".requiredOption("] {
        for (at, m) in code.match_indices(call) {
            if literal_in(literals, at) {
                continue;
            }
            let open = at + m.len() - 1;
            let close = matching(code, literals, open)?;
            let arguments = arguments(code, literals, open + 1, close)?;
            let Some(Some(flags)) = arguments.first() else {
                continue;
            };
            if !flags.starts_with('-') {
                continue;
            }
            let default = match arguments.get(2) {
                None => None,
                Some(Some(text)) => Some(Value::Text(text.clone())),
                Some(None) => return None,
            };
            options.push(commander_option(flags, default)?);
        }
    }
    if options.is_empty() || options.len() > MAX_OPTIONS {
        return None;
    }
    let mut holders = Vec::new();
    for (at, m) in code.match_indices(".opts()") {
        if literal_in(literals, at) {
            continue;
        }
        let object_start = code
            .get(..at)?
            .char_indices()
            .rev()
            .find(|(_, c)| !is_ident(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let object = code.get(object_start..at)?;
        if !object.is_empty() && token_starts(code, object_start) {
            holders.push(format!("{object}.opts()"));
        }
        // The statement that binds it: `const opts = program.parse().opts()`.
        let statement = code.get(..at)?.rfind(['\n', ';']).map_or(0, |n| n + 1);
        let rhs = code.get(statement..at)?;
        if let Some(equals) = rhs.find('=')
            && let Some(name) = assigned_name(code, statement + equals + 1)
        {
            let value = code.get(statement + equals + 1..at + m.len())?.trim();
            if value.chars().all(|c| is_ident(c) || "().,'\" ".contains(c)) {
                holders.push(name);
            }
        }
    }
    holders.dedup();
    (!holders.is_empty()).then_some(CliParser {
        holders,
        options,
        camel: true,
    })
}

/// The arguments between `start` and `end`: each a string literal's
/// text, or `None` for another expression.
fn arguments(
    code: &str,
    literals: &[Literal],
    start: usize,
    end: usize,
) -> Option<Vec<Option<String>>> {
    let mut out = Vec::new();
    let mut at = start;
    while at < end {
        let item_end = next_entry(code, literals, at, end)?;
        let item_start = skip_space(code, at);
        let text = code.get(item_start..item_end)?.trim_end();
        if !text.is_empty() {
            let literal = literal_at(literals, item_start)
                .map(|(_, l)| l)
                .filter(|l| l.end == item_start + text.len() && !l.backtick);
            out.push(literal.map(|l| l.text.clone()));
        }
        at = item_end + 1;
    }
    Some(out)
}

/// commander's flags, `-t, --target <url>` (`[url]` optional, none: a
/// flag): the long name, the letter, whether it takes a value.
fn commander_option(flags: &str, default: Option<Value>) -> Option<OptionSpec> {
    let mut name = None;
    let mut short = None;
    let mut value = false;
    for word in flags.split([',', ' ', '|']).filter(|w| !w.is_empty()) {
        if let Some(long) = word.strip_prefix("--") {
            if long.starts_with("no-") || name.is_some() {
                return None;
            }
            name = Some(long.to_owned());
        } else if let Some(letter) = word.strip_prefix('-') {
            short = Some(letter.to_owned());
        } else if word.starts_with(['<', '[']) {
            value = true;
        } else {
            return None;
        }
    }
    let name = name?;
    if name.is_empty() || !name.chars().all(|c| is_ident(c) || c == '-') {
        return None;
    }
    Some(OptionSpec {
        name,
        boolean: !value,
        short,
        default: if value { default } else { None },
    })
}

#[cfg(test)]
mod tests {
    use super::super::literals;
    use super::*;

    fn read(code: &str) -> Vec<(Vec<String>, Vec<String>)> {
        parsers(code, &literals(code))
            .into_iter()
            .map(|p| (p.holders, p.options.into_iter().map(|o| o.name).collect()))
            .collect()
    }

    #[test]
    fn yargs_and_commander_options() {
        assert_eq!(
            read(
                "const argv = yargs(hideBin(process.argv))\n  .option(\"target\", { type: \"string\", default: \"http://x\" })\n  .options({ 'dry-run': { type: 'boolean' } })\n  .parseSync();"
            ),
            [(
                vec!["argv".to_owned()],
                vec!["target".to_owned(), "dry-run".to_owned()]
            )]
        );
        assert_eq!(
            read(
                "const { program } = require('commander');\nprogram.option('-t, --target <url>', 'where', 'http://x').option('--dry-run');\nprogram.parse();\nconst opts = program.opts();"
            ),
            [(
                vec!["program.opts()".to_owned(), "opts".to_owned()],
                vec!["target".to_owned(), "dry-run".to_owned()]
            )]
        );
        // A default the code computes: not read.
        assert!(
            read("const a = yargs(x).option('t', {type: 'string', default: process.env.T}).argv")
                .is_empty()
        );
    }
}
