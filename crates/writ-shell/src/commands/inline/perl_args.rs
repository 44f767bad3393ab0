//! A Perl script's Getopt::Long options, written into its code as the
//! values its command line gives them.
//!
//! `GetOptions("context=s" => \$context, "dry-run!" => \my $dry, ...)`
//! binds each option's spec to a scalar. Read from the words the script
//! is run with (`--context prod-eu`, `--context=prod-eu`, `-context X`,
//! `--dry-run`, `--no-dry-run`), each scalar then holds the value given
//! (`1` for a flag, `0` for a negated one, the count of an incremented
//! `+` one), or, when the option is absent, the value it was declared
//! with (`my ($ctx, $ns) = ("", "billing");`, `my $ns = "billing";`; none,
//! `\my $x`: undefined, written as `""`). Each read of it after the call
//! (`system("kubectl", "--context", $context, ...)`, `"deployment/$dep"`)
//! is written as that value ([`super::perl_loops`]'s substitution), and
//! the loops and process calls it makes known are read again.
//!
//! Only certain values are written in: a command line whose words are not
//! all known, an option word no spec names exactly (Getopt::Long takes
//! unique abbreviations), a list or hash option, or a scalar the code
//! assigns again after the call keeps its reads.

use super::perl_loops::substituted;
use super::rb_args::words_of;
use super::storage::{arguments, in_literal, literal_at};
use super::{Invocation, Literal, literals};

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;

/// The call that parses the options.
const PARSE_CALL: &str = "GetOptions(";

/// What an option takes, from its spec's suffix.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    /// No suffix: a flag (`1` when given).
    Flag,
    /// `!`: a flag that `--no-NAME` (`--noNAME`) sets to `0`.
    Negatable,
    /// `+`: a count of how often it is given.
    Count,
    /// `=s`, `=i`, `=f`: a value, always.
    Value,
    /// `:s`, `:i`: a value when one follows that is no option.
    Optional,
}

/// One option: its names, what it takes and the scalar it sets.
struct Spec {
    names: Vec<String>,
    takes: Takes,
    variable: String,
}

/// `code` (given on the command line as `original`) with its Getopt::Long
/// options' reads written as the values its words give them; `None` when
/// nothing changes.
pub(super) fn bound(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    if !inv.program.starts_with("perl") || code.len() > MAX_CODE {
        return None;
    }
    let at = inv
        .args
        .iter()
        .position(|a| a.text == original || a.text == "-")?;
    let mut words = words_of(inv.args.get(at + 1..).unwrap_or_default())?;
    // `perl -e CODE -- --opt`: perl takes the `--` that ends its own switches.
    if words.first().is_some_and(|w| w == "--") {
        words.remove(0);
    }
    let bound = with_options(code, &words)?;
    super::perl_loops::unrolled(&bound, inv.program).or(Some(bound))
}

/// `code` with the reads of its options' scalars after its `GetOptions`
/// call written as the values `words` give them.
fn with_options(code: &str, words: &[String]) -> Option<String> {
    let literals = literals(code);
    let call = code
        .match_indices(PARSE_CALL)
        .map(|(at, _)| at)
        .find(|at| !in_literal(&literals, *at) && whole_name(code, *at))?;
    let open = call + PARSE_CALL.len() - 1;
    let (items, after) = arguments(code, &literals, open)?;
    let mut specs = Vec::new();
    for item in &items {
        let spec_text = item.key.as_deref()?;
        let value = code.get(item.start..item.end)?.trim();
        specs.push(spec(spec_text, value)?);
    }
    let given = given_values(&specs, words)?;
    let tail = code.get(after..)?;
    let mut rewritten = tail.to_owned();
    let mut changed = false;
    for (spec, value) in specs.iter().zip(given) {
        let value = match value {
            Some(value) => value,
            None => match declared(code, &literals, &spec.variable, call) {
                Some(value) => value,
                None => continue,
            },
        };
        if assigned_after(tail, &spec.variable) {
            continue;
        }
        let next = substituted(&rewritten, &spec.variable, &value);
        changed |= next != rewritten;
        rewritten = next;
    }
    changed.then(|| format!("{}{rewritten}", code.get(..after).unwrap_or_default()))
}

/// True when no name goes on before `at` (`GetOptions(`, not
/// `MyGetOptions(` or `->GetOptions(` on another object).
fn whole_name(code: &str, at: usize) -> bool {
    code.get(..at)
        .and_then(|head| head.chars().next_back())
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '>' | '$')))
}

/// The option that `text` (`"context|c=s"`) specifies, bound to the
/// scalar `value` refers to (`\$context`, `\my $context`); `None` for a
/// list, hash or code destination.
fn spec(text: &str, value: &str) -> Option<Spec> {
    let reference = value.strip_prefix('\\')?.trim_start();
    let reference = reference
        .strip_prefix("my ")
        .unwrap_or(reference)
        .trim_start();
    let variable = reference.strip_prefix('$')?;
    if variable.is_empty()
        || !variable
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let split = text.find(['=', ':', '!', '+']).unwrap_or(text.len());
    let (names, suffix) = text.split_at(split);
    let takes = match suffix {
        "" => Takes::Flag,
        "!" => Takes::Negatable,
        "+" => Takes::Count,
        "=s" | "=i" | "=f" | "=o" => Takes::Value,
        ":s" | ":i" | ":f" | ":o" => Takes::Optional,
        _ => return None,
    };
    let names: Vec<String> = names
        .split('|')
        .filter(|n| !n.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    (!names.is_empty()).then(|| Spec {
        names,
        takes,
        variable: variable.to_owned(),
    })
}

/// The value each of `specs` is given by `words`, `None` for one absent;
/// `None` when a word is an option no spec names exactly, or one that
/// needs a value lacks it.
fn given_values(specs: &[Spec], words: &[String]) -> Option<Vec<Option<String>>> {
    let mut values: Vec<Option<String>> = specs.iter().map(|_| None).collect();
    let mut index = 0;
    while let Some(word) = words.get(index) {
        index += 1;
        if word == "--" {
            break;
        }
        let Some(option) = word
            .strip_prefix("--")
            .or_else(|| word.strip_prefix('-'))
            .filter(|o| !o.is_empty())
        else {
            continue;
        };
        let (name, joined) = match option.split_once('=') {
            Some((name, value)) => (name.to_ascii_lowercase(), Some(value.to_owned())),
            None => (option.to_ascii_lowercase(), None),
        };
        let named = specs.iter().position(|s| s.names.contains(&name));
        let negated = named.is_none().then(|| {
            let base = name
                .strip_prefix("no-")
                .or_else(|| name.strip_prefix("no"))?;
            specs
                .iter()
                .position(|s| s.takes == Takes::Negatable && s.names.iter().any(|n| n == base))
        });
        let (at, negated) = match (named, negated.flatten()) {
            (Some(at), _) => (at, false),
            (None, Some(at)) => (at, true),
            (None, None) => return None,
        };
        let spec = specs.get(at)?;
        let value = match spec.takes {
            Takes::Flag | Takes::Negatable if joined.is_none() => {
                if negated { "0" } else { "1" }.to_owned()
            }
            Takes::Count if joined.is_none() => {
                let count = values
                    .get(at)
                    .cloned()
                    .flatten()
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(0);
                (count + 1).to_string()
            }
            Takes::Value => match joined {
                Some(value) => value,
                None => {
                    let value = words.get(index)?.clone();
                    index += 1;
                    value
                }
            },
            Takes::Optional => match joined {
                Some(value) => value,
                None => match words.get(index).filter(|w| !w.starts_with('-')) {
                    Some(value) => {
                        index += 1;
                        value.clone()
                    }
                    None => String::new(),
                },
            },
            _ => return None,
        };
        if let Some(slot) = values.get_mut(at) {
            *slot = Some(value);
        }
    }
    Some(values)
}

/// The value scalar `variable` is declared with before `before`: the
/// literal of `my $x = "v";`, its place in `my ($a, $x) = ("u", "v");`,
/// `""` for `my $x;`, `\my $x` (undefined). `None` when it is declared
/// otherwise, or not seen.
fn declared(code: &str, literals: &[Literal], variable: &str, before: usize) -> Option<String> {
    let head = code.get(..before)?;
    let sigiled = format!("${variable}");
    let found = head.match_indices(&sigiled).map(|(at, _)| at).find(|at| {
        !in_literal(literals, *at)
            && head
                .get(at + sigiled.len()..)
                .and_then(|r| r.chars().next())
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
            && head.get(..*at).and_then(declaration_start).is_some()
    });
    let Some(at) = found else {
        // `GetOptions("x=s" => \my $x)`: declared undefined.
        return code
            .get(before..)?
            .contains(&format!("\\my {sigiled}"))
            .then(String::new);
    };
    let start = code.get(..at).and_then(declaration_start)?;
    let declarator = code.get(start..at)?;
    let end = at + sigiled.len();
    if let Some(list_at) = declarator.find('(') {
        // `my ($a, $x) = (...)`: the item at the same place.
        let open = start + list_at;
        let names_end = code.get(open..)?.find(')')? + open;
        let names: Vec<&str> = code
            .get(open + 1..names_end)?
            .split(',')
            .map(str::trim)
            .collect();
        let place = names.iter().position(|n| *n == sigiled)?;
        let rest = code.get(names_end + 1..)?;
        let value = rest.trim_start().strip_prefix('=')?;
        if value.starts_with(['=', '~']) {
            return None;
        }
        let value_at = code.len() - value.trim_start().len();
        if !code.get(value_at..)?.starts_with('(') {
            return None;
        }
        let (items, _) = arguments(code, literals, value_at)?;
        if items.len() != names.len() {
            return None;
        }
        let item = items.get(place)?;
        return literal_value(literals, item.start, item.end);
    }
    let rest = code.get(end..)?.trim_start();
    if rest.starts_with(';') {
        return Some(String::new());
    }
    let value = rest.strip_prefix('=')?;
    if value.starts_with(['=', '~']) {
        return None;
    }
    let value_at = code.len() - value.trim_start().len();
    let (_, literal) = literal_at(literals, value_at)?;
    let after = code.get(literal.end..)?.trim_start();
    (after.starts_with(';') && !literal.backtick).then(|| literal.text.clone())
}

/// Where the declaration that the code `head` ends inside starts: `my `,
/// `our ` or `my (` with names before (`my ($a, `); `None` when it ends
/// in no declaration.
fn declaration_start(head: &str) -> Option<usize> {
    let statement = head.rfind([';', '\n', '{', '}']).map_or(0, |i| i + 1);
    let line = head.get(statement..)?;
    let lead = line.len() - line.trim_start().len();
    let line = line.trim_start();
    let declares = ["my ", "my(", "our ", "our("]
        .iter()
        .any(|d| line.starts_with(d));
    let inside = line.trim_end();
    let plain = ["my", "our"].contains(&inside);
    let listed = inside.contains('(') && !inside.contains(')') && !inside.contains('=');
    (declares && (plain || listed)).then_some(statement + lead)
}

/// The text of the literal spanning exactly `start..end`.
fn literal_value(literals: &[Literal], start: usize, end: usize) -> Option<String> {
    let (_, literal) = literal_at(literals, start)?;
    (literal.end == end && !literal.backtick).then(|| literal.text.clone())
}

/// True when `code` assigns scalar `variable` (`$x = ...`, `$x ||= ...`,
/// `$x .= ...`, `$x =~ s/.../.../`, `chomp($x)`).
fn assigned_after(code: &str, variable: &str) -> bool {
    let sigiled = format!("${variable}");
    code.match_indices(&sigiled).any(|(at, _)| {
        let rest = code.get(at + sigiled.len()..).unwrap_or_default();
        if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            return false;
        }
        let head = code.get(..at).unwrap_or_default().trim_end();
        if head.ends_with("chomp(") || head.ends_with("chop(") || head.ends_with("chomp") {
            return true;
        }
        let rest = rest.trim_start();
        let op_end = rest
            .find(|c: char| !"=.|/&+-*~<>!".contains(c))
            .unwrap_or(rest.len());
        let op = rest.get(..op_end).unwrap_or_default();
        match op {
            "=~" => {
                let target = rest.get(2..).unwrap_or_default().trim_start();
                ["s", "tr", "y"].iter().any(|q| {
                    target
                        .strip_prefix(q)
                        .and_then(|t| t.chars().next())
                        .is_some_and(|c| c.is_ascii_punctuation() || c == ' ')
                })
            }
            "==" | "=>" | "" | "!=" | "!~" | "<=" | ">=" | "<=>" | "<" | ">" | "." | "||"
            | "&&" | "//" | "+" | "-" | "*" | "/" => false,
            _ => op.ends_with('=') || op == "++" || op == "--",
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn options_and_defaults_are_written_in() {
        let code = "my ($c, $ns) = (\"\", \"billing\");\nGetOptions(\"context=s\" => \\$c, \"namespace=s\" => \\$ns, \"dry-run!\" => \\my $dry);\nsystem(\"kubectl\", \"--context\", $c, \"-n\", $ns, \"x/$c\") unless $dry;";
        let out = with_options(code, &words(&["--context", "prod-eu", "--no-dry-run"]));
        let out = out.unwrap_or_default();
        assert!(
            out.ends_with(
                "system(\"kubectl\", \"--context\", \"prod-eu\", \"-n\", \"billing\", \"x/prod-eu\") unless \"0\";"
            ),
            "{out}"
        );
    }

    #[test]
    fn abbreviations_and_reassigned_scalars_keep_their_reads() {
        let code = "my $c = \"dev\";\nGetOptions(\"context=s\" => \\$c);\nsystem(\"k\", $c);";
        assert_eq!(with_options(code, &words(&["--ctx", "prod"])), None);
        let code =
            "my $c = \"dev\";\nGetOptions(\"context=s\" => \\$c);\n$c = lc $c;\nsystem(\"k\", $c);";
        assert_eq!(with_options(code, &words(&["--context", "prod"])), None);
    }
}
