//! Home directory spellings the path evaluator ([`crate::commands::pathexpr`])
//! does not read, made into the ones it does, before inline code is read:
//! - a lookup of the home directory interpolated at the start of a
//!   double-quoted string (Perl's `"$ENV{HOME}/.ssh/id_rsa"`, Ruby's
//!   `"#{ENV['HOME']}/x"` and `"#{Dir.home}/x"`, Julia's
//!   `"$(homedir())/x"`, PHP's `"{$_SERVER['HOME']}/x"`, Groovy's and
//!   Kotlin's `"${System.getenv('HOME')}/x"`): `"~/.ssh/id_rsa"`;
//! - a call that only expands or normalises the one path literal it is
//!   given (Julia's and Python's imported `expanduser("~/x")`, `abspath`,
//!   Elixir's `Path.expand`): the literal itself, so that the call around
//!   it (`open(expanduser("~/.aws/credentials"))`) takes it;
//! - Julia's `joinpath(a, b)` as the `path.join(a, b)` the evaluator joins.
//!
//! Only code outside string literals is rewritten, and only wrappers whose
//! value is the same file.

use super::storage::in_literal;
use super::{Literal, literals};

/// Lookups of the home directory as they are interpolated in a
/// double-quoted string, after its opening quote.
const HOME_INTERPOLATIONS: &[&str] = &[
    // Perl.
    "$ENV{HOME}",
    "$ENV{'HOME'}",
    "${ENV{HOME}}",
    // Ruby.
    "#{ENV['HOME']}",
    "#{ENV[\"HOME\"]}",
    "#{ENV.fetch('HOME')}",
    "#{ENV.fetch(\"HOME\")}",
    "#{Dir.home}",
    "#{Dir.home()}",
    // Julia.
    "$(homedir())",
    "$(ENV[\"HOME\"])",
    // PHP.
    "{$_SERVER['HOME']}",
    "{$_ENV['HOME']}",
    "$_SERVER[HOME]",
    "$_ENV[HOME]",
    // Groovy, Kotlin, Scala (`s"..."`).
    "${System.getenv('HOME')}",
    "${System.getenv(\"HOME\")}",
    "${System.getProperty('user.home')}",
    "${System.getProperty(\"user.home\")}",
    "${sys.env(\"HOME\")}",
    "${sys.props(\"user.home\")}",
];

/// Calls that expand or normalise one path and return it: the same file.
/// A dotted name is matched whole; a bare one must not follow a `.`
/// (`os.path.expanduser` is the evaluator's own).
const PATH_WRAPPERS: &[&str] = &[
    "expanduser",
    "abspath",
    "normpath",
    "realpath",
    "Path.expand",
    "Path.absname",
    "expandTilde",
    "expand_path",
    "homedir.Expand",
];

/// Path functions spelled otherwise in a language, and the spelling the
/// evaluator joins.
const JOIN_ALIASES: &[(&str, &str)] = &[("joinpath(", "path.join(")];

/// `code` with its home spellings rewritten; `None` when there are none.
pub(super) fn plain(code: &str) -> Option<String> {
    let mut out = interpolated(code);
    for (from, to) in JOIN_ALIASES {
        if let Some(renamed) = renamed_calls(out.as_deref().unwrap_or(code), from, to) {
            out = Some(renamed);
        }
    }
    // A wrapper around a wrapper (`abspath(expanduser("~/x"))`), inner first.
    for _ in 0..MAX_NESTED_WRAPPERS {
        match unwrapped(out.as_deref().unwrap_or(code)) {
            Some(unwrapped) => out = Some(unwrapped),
            None => break,
        }
    }
    out
}

/// How many wrappers around one literal are taken off.
const MAX_NESTED_WRAPPERS: usize = 3;

/// `code` with each home lookup that opens a double-quoted string
/// replaced by `~`.
fn interpolated(code: &str) -> Option<String> {
    let mut out: Option<String> = None;
    for form in HOME_INTERPOLATIONS {
        let opened = format!("\"{form}");
        let text = out.as_deref().unwrap_or(code);
        if text.contains(&opened) {
            out = Some(text.replace(&opened, "\"~"));
        }
    }
    out
}

/// True when `code` at `at` starts a whole name: not inside a longer
/// name, and not an attribute (`x.name`).
fn starts_name(code: &str, at: usize) -> bool {
    code.get(..at)
        .and_then(|b| b.chars().next_back())
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | ':')))
}

/// `code` with each call of `from` (a whole name, outside literals)
/// renamed `to`; `None` when it has none.
pub(in crate::commands) fn renamed_calls(code: &str, from: &str, to: &str) -> Option<String> {
    let literals = literals(code);
    let found: Vec<usize> = code
        .match_indices(from)
        .map(|(at, _)| at)
        .filter(|at| starts_name(code, *at) && !in_literal(&literals, *at))
        .collect();
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    for at in found {
        out.push_str(code.get(copied..at).unwrap_or_default());
        out.push_str(to);
        copied = at + from.len();
    }
    out.push_str(code.get(copied..).unwrap_or_default());
    Some(out)
}

/// `code` with each wrapper call around a single literal
/// (`expanduser("~/x")`) replaced by the literal.
fn unwrapped(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut spans: Vec<(usize, usize, &Literal)> = Vec::new();
    for wrapper in PATH_WRAPPERS {
        for (at, _) in code.match_indices(wrapper) {
            if !starts_name(code, at) || in_literal(&literals, at) {
                continue;
            }
            let after_name = code.get(at + wrapper.len()..).unwrap_or_default();
            let Some(inside) = after_name.trim_start().strip_prefix('(') else {
                continue;
            };
            let open_len = after_name.len() - inside.len();
            let arg_at = at + wrapper.len() + open_len + (inside.len() - inside.trim_start().len());
            let Some(literal) = literals.iter().find(|l| l.start == arg_at && !l.backtick) else {
                continue;
            };
            let rest = code.get(literal.end..).unwrap_or_default();
            let Some(tail) = rest.trim_start().strip_prefix(')') else {
                continue;
            };
            let close_end = code.len() - tail.len();
            spans.push((at, close_end, literal));
        }
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|(at, _, _)| *at);
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    for (at, end, literal) in spans {
        if at < copied {
            continue;
        }
        out.push_str(code.get(copied..at).unwrap_or_default());
        out.push_str(code.get(literal.start..literal.end).unwrap_or_default());
        copied = end;
    }
    out.push_str(code.get(copied..).unwrap_or_default());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_or_same(code: &str) -> String {
        plain(code).unwrap_or_else(|| code.to_owned())
    }

    #[test]
    fn interpolated_home_lookups_become_tilde() {
        assert_eq!(
            plain_or_same(r#"open my $fh, "<", "$ENV{HOME}/.ssh/id_ed25519";"#),
            r#"open my $fh, "<", "~/.ssh/id_ed25519";"#
        );
        assert_eq!(
            plain_or_same(r##"File.read("#{Dir.home}/.netrc")"##),
            r#"File.read("~/.netrc")"#
        );
        assert_eq!(
            plain_or_same(r#"read("$(ENV["HOME"])/.aws/credentials", String)"#),
            r#"read("~/.aws/credentials", String)"#
        );
        // Single quotes do not interpolate; elsewhere in a string it is no path.
        assert_eq!(
            plain_or_same(r#"print '$ENV{HOME}/x'; print "dir: $ENV{HOME}""#),
            r#"print '$ENV{HOME}/x'; print "dir: $ENV{HOME}""#
        );
    }

    #[test]
    fn wrappers_around_one_literal_are_the_literal() {
        assert_eq!(
            plain_or_same(r#"open(expanduser("~/.aws/credentials"))"#),
            r#"open("~/.aws/credentials")"#
        );
        assert_eq!(
            plain_or_same(r#"read(abspath(expanduser("~/.x")), String)"#),
            r#"read("~/.x", String)"#
        );
        // The evaluator's own, a method, an argument that is not one
        // literal, and a name in a string stay.
        for code in [
            "open(os.path.expanduser('~/.x'))",
            "open(myexpanduser('~/.x'))",
            "open(expanduser(p))",
            "print('expanduser(\"~\")')",
        ] {
            assert_eq!(plain_or_same(code), code);
        }
    }

    #[test]
    fn julia_joins_are_the_evaluators() {
        assert_eq!(
            plain_or_same(r#"read(joinpath(homedir(), ".ssh", "id_rsa"))"#),
            r#"read(path.join(homedir(), ".ssh", "id_rsa"))"#
        );
        assert_eq!(plain_or_same("x.joinpath('a')"), "x.joinpath('a')");
    }
}
