//! Files inline code deletes by listing them: a pattern or a directory
//! listed (`glob.glob('d/*.log')`, `Path('d').glob('*.log')`,
//! `os.listdir('d')`, Perl's `glob "d/*"` and `<d/*>`, Ruby's `Dir[...]`,
//! `readdirSync('d')`) in code that deletes what a name holds (`for f in
//! ...: os.remove(f)`, `unlink glob(...)`, `File.delete(*Dir.glob(...))`,
//! `p.unlink()`). What is deleted is every file the listing yields: the
//! pattern, or everything in the directory.

use super::storage::is_ident;
use super::{DELETE_CALLS, Literal, Removes, called_with, recursive_option};

/// Calls whose first string argument is a pattern of the files they list.
const PATTERN_CALLS: &[&str] = &[
    "glob.glob",
    "glob.iglob",
    "glob",
    "rglob",
    "Dir.glob",
    "Dir",
    "globSync",
    "glob.sync",
    "fg.sync",
    "fastGlob.sync",
];

/// Calls whose first string argument is a directory whose entries they
/// list.
const DIRECTORY_CALLS: &[&str] = &[
    "os.listdir",
    "os.scandir",
    "listdir",
    "scandir",
    "readdirSync",
    "fs.readdir",
    "Dir.children",
    "Dir.entries",
    "Dir.each_child",
    "Dir.foreach",
];

/// The files listed, as patterns, with the literals that name them.
fn listings(code: &str, literals: &[Literal], program: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (index, literal) in literals.iter().enumerate() {
        let before = code.get(..literal.start).unwrap_or_default();
        let after = code.get(literal.end..).unwrap_or_default().trim_start();
        if called_with(before, PATTERN_CALLS).is_some() {
            // `Path('d').glob('*.log')`: the pattern is the receiver's.
            let call = before.trim_end().trim_end_matches('(').trim_end();
            let deep = call.ends_with("rglob");
            let receiver = call
                .strip_suffix("rglob")
                .or_else(|| call.strip_suffix("glob"))
                .and_then(|c| c.strip_suffix('.'))
                .and_then(|c| c.strip_suffix(')'))
                .map(str::trim_end)
                .and_then(|c| literals.iter().find(|l| l.end == c.len()));
            let pattern = match receiver {
                Some(dir) if deep => {
                    format!("{}/**/{}", dir.text.trim_end_matches('/'), literal.text)
                }
                Some(dir) => format!("{}/{}", dir.text.trim_end_matches('/'), literal.text),
                None => literal.text.clone(),
            };
            out.push((pattern, index));
        } else if called_with(before, DIRECTORY_CALLS).is_some()
            || (after.starts_with(')') && after[1..].trim_start().starts_with(".iterdir("))
            || (program.starts_with("perl") && perl_opendir(before))
        {
            out.push((format!("{}/*", literal.text.trim_end_matches('/')), index));
        }
    }
    out
}

/// Perl's `opendir(my $dh, "d")`, `opendir DH, "d"`: the literal after
/// the handle.
fn perl_opendir(before: &str) -> bool {
    let Some(rest) = before.trim_end().strip_suffix(',') else {
        return false;
    };
    let rest = rest.trim_end().trim_end_matches(|c: char| is_ident(c));
    let rest = rest.trim_end();
    let rest = rest.strip_suffix("my").unwrap_or(rest).trim_end();
    let rest = rest.strip_suffix('(').unwrap_or(rest).trim_end();
    rest.strip_suffix("opendir")
        .is_some_and(|head| head.chars().last().is_none_or(|c| !is_ident(c)))
}

/// Perl's glob operator, `<d/*.log>` (not `<STDIN>`, `<$fh>` or a
/// comparison): its patterns.
fn perl_glob_operators(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices('<') {
        let Some(rest) = code.get(at + 1..) else {
            continue;
        };
        let Some(close) = rest.find('>') else {
            continue;
        };
        let inner = &rest[..close];
        // A term starts here: after an operator, or a function's name
        // (`unlink <d/*>`), not after a value (`$n <3`, `f() <`).
        let head = code[..at].trim_end();
        let word = head
            .rsplit(|c: char| !(is_ident(c) || matches!(c, '@' | '%')))
            .next()
            .unwrap_or_default();
        let operand = match head.chars().last() {
            None => true,
            Some(c) if is_ident(c) => {
                !word.starts_with(['$', '@', '%'])
                    && !word.starts_with(|c: char| c.is_ascii_digit())
            }
            Some(c) => !matches!(c, ')' | ']' | '}' | '<'),
        };
        if operand
            && !inner.is_empty()
            && !inner.contains(char::is_whitespace)
            && !inner.starts_with(['$', '<', '='])
            && inner.contains(['*', '?', '['])
        {
            out.push(inner.to_owned());
        }
    }
    out
}

/// Calls of a delete function on something other than a string literal
/// (`os.remove(f)`, `unlink $_`, `unlink glob(...)`, `p.unlink()`): what
/// they delete is what the code listed. `Some(true)` when one removes
/// whole trees.
fn deletes_listed(code: &str) -> Option<bool> {
    let mut found = None;
    for (name, removes) in DELETE_CALLS {
        for (at, _) in code.match_indices(name) {
            let head = &code[..at];
            if head.chars().last().is_some_and(is_ident) {
                continue;
            }
            let rest = &code[at + name.len()..];
            if rest.chars().next().is_some_and(is_ident) {
                continue;
            }
            // `Path('f').unlink()`: a literal's own file.
            if head
                .strip_suffix('.')
                .map(str::trim_end)
                .is_some_and(|h| h.ends_with("')") || h.ends_with("\")"))
            {
                continue;
            }
            let argument = rest.trim_start();
            let argument = argument.strip_prefix('(').unwrap_or(argument).trim_start();
            let argument = argument.trim_start_matches('*').trim_start();
            if argument.starts_with(['\'', '"']) {
                continue;
            }
            let tree = match removes {
                Removes::Entry => false,
                Removes::Tree => true,
                Removes::TreeIfRecursive => recursive_option(code, at + name.len() + 1),
            };
            found = Some(found.unwrap_or(false) || tree);
        }
    }
    found
}

/// The patterns the code deletes by listing them, whether whole trees go,
/// and the literals that name them.
pub(super) fn deleted(
    code: &str,
    literals: &[Literal],
    program: &str,
) -> (Vec<String>, bool, Vec<usize>) {
    let Some(recursive) = deletes_listed(code) else {
        return (Vec::new(), false, Vec::new());
    };
    let mut patterns = Vec::new();
    let mut used = Vec::new();
    for (pattern, index) in listings(code, literals, program) {
        patterns.push(pattern);
        used.push(index);
    }
    if program.starts_with("perl") {
        patterns.extend(perl_glob_operators(code));
    }
    (patterns, recursive, used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn patterns(code: &str, program: &str) -> Vec<String> {
        deleted(code, &literals(code), program).0
    }

    #[test]
    fn listed_files_deleted_by_name() {
        assert_eq!(
            patterns("my $n = unlink glob(\"d/*.log\");", "perl"),
            ["d/*.log"]
        );
        assert_eq!(patterns("unlink <d/*.log>;", "perl"), ["d/*.log"]);
        assert_eq!(patterns("unlink(<d/*.log>);", "perl"), ["d/*.log"]);
        assert_eq!(
            patterns("for f in glob.glob('d/*.log'): os.remove(f)", "python3"),
            ["d/*.log"]
        );
        assert_eq!(
            patterns("[p.unlink() for p in Path('d').glob('*.log')]", "python3"),
            ["d/*.log"]
        );
        assert_eq!(
            patterns(
                "for f in os.listdir('d'): os.remove(os.path.join('d', f))",
                "python3"
            ),
            ["d/*"]
        );
        // Listed but deleted by a literal of its own, or not at all.
        assert!(patterns("print(glob.glob('d/*')); os.remove('x')", "python3").is_empty());
        assert!(patterns("print(glob.glob('d/*'))", "python3").is_empty());
        assert!(patterns("while (<STDIN>) { unlink $_ if $a <3 }", "perl").is_empty());
        assert!(patterns("unlink $f if $n <$m*2>1;", "perl").is_empty());
    }
}
