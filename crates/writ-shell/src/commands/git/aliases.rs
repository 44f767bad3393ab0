//! git's aliases from its configuration files.
//!
//! `git NAME ARGS`, for a NAME that is no git command, runs the alias
//! NAME: `git VALUE ARGS`, or the shell command after a leading `!`.
//! Besides the line's own settings (`-c alias.NAME=VALUE`, read in
//! `git.rs`), git reads aliases from its configuration files: the
//! system's (`/etc/gitconfig`), the user's (`~/.config/git/config`,
//! `~/.gitconfig`) and the repository's (`.git/config`), each later one
//! overriding the one before. A file's text is known when the line or an
//! earlier step wrote it (`git config alias.pf 'push --force-with-lease'`
//! writes `[alias]` `pf = push --force-with-lease` into `.git/config`) or
//! an earlier step read it whole; an alias is then looked up there.
//!
//! The files are git's INI format: `[section]` (or `[section
//! "subsection"]`) headers, `name = value` lines, `#` and `;` comments;
//! names are compared without case; a value may be quoted, holds `\"`,
//! `\\`, `\n` and `\t` escapes, and goes on after a line ending in `\`.

use super::super::Lookup;
use crate::paths;

/// The value of the alias `name` that git, run in `dir`, reads from the
/// configuration files whose text is known: the last one set, the
/// repository's files overriding the user's and the system's.
pub(super) fn configured(
    dir: &str,
    home: &str,
    name: &str,
    text_of: &Lookup<'_>,
) -> Option<String> {
    let name = name.to_ascii_lowercase();
    config_files(dir, home)
        .iter()
        .filter_map(|path| text_of(path))
        .filter_map(|text| alias_value(&text, &name))
        .last()
}

/// The configuration files git reads in `dir`, lowest precedence first:
/// the system's, the user's, then the repository's, the `.git/config` of
/// the nearest directory up from `dir` (git stops at the first `.git`).
fn config_files(dir: &str, home: &str) -> Vec<String> {
    let mut files = vec![
        "/etc/gitconfig".to_owned(),
        paths::resolve(dir, home, "~/.config/git/config"),
        paths::resolve(dir, home, "~/.gitconfig"),
    ];
    let mut repository = Some(dir);
    while let Some(current) = repository {
        files.push(format!("{}/.git/config", current.trim_end_matches('/')));
        repository = parent(current);
    }
    // The nearest repository's file is read last, so it wins.
    let user = files.split_off(3);
    files.extend(user.into_iter().rev());
    files
}

/// The directory above `dir`, `None` at the root.
fn parent(dir: &str) -> Option<&str> {
    let trimmed = dir.trim_end_matches('/');
    if trimmed.is_empty() {
        return None;
    }
    match trimmed.rsplit_once('/') {
        Some(("", _)) => Some("/"),
        Some((up, _)) => Some(up),
        None => None,
    }
}

/// The last value `text` (a configuration file) gives `alias.NAME`.
fn alias_value(text: &str, name: &str) -> Option<String> {
    entries(text)
        .into_iter()
        .filter(|entry| entry.section == "alias" && entry.name == name)
        .filter_map(|entry| entry.value)
        .next_back()
}

/// The alias `name` set to `value`, as `git config` writes it into a file
/// that has no `[alias]` section yet.
pub(super) fn alias_entry(name: &str, value: &str) -> String {
    format!("[alias]\n\t{name} = {}", quoted(value))
}

/// `text` (a configuration file) without the alias `name`, or without any
/// alias when `name` is `None` (`git config --remove-section alias`).
pub(super) fn without_alias(text: &str, name: Option<&str>) -> String {
    let mut kept = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(header) = header(trimmed) {
            section = header;
            if name.is_none() && section == "alias" {
                continue;
            }
        } else if section == "alias" {
            let entry_name = entry_name(trimmed);
            let dropped = match name {
                None => true,
                Some(name) => entry_name.eq_ignore_ascii_case(name),
            };
            if dropped && !entry_name.is_empty() {
                continue;
            }
        }
        kept.push(line);
    }
    kept.join("\n")
}

/// A `section.name` setting of a configuration file; `value` is `None`
/// for a name alone (the boolean `true`).
#[derive(Debug, PartialEq)]
struct Entry {
    section: String,
    name: String,
    value: Option<String>,
}

/// The settings of a configuration file, in order; those of a section
/// with a subsection (`[remote "origin"]`) are under `section.subsection`.
fn entries(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with(['#', ';']) || trimmed.is_empty() {
            continue;
        }
        if let Some(header) = header(trimmed) {
            section = header;
            continue;
        }
        let name = entry_name(trimmed);
        if name.is_empty() {
            continue;
        }
        let rest = trimmed.get(name.len()..).unwrap_or_default().trim_start();
        let value = rest.strip_prefix('=').map(|raw| value(raw, &mut lines));
        entries.push(Entry {
            section: section.clone(),
            name: name.to_ascii_lowercase(),
            value,
        });
    }
    entries
}

/// A section header's name (`[alias]` is `alias`, `[remote "origin"]` is
/// `remote.origin`, `[url.base]` is `url.base`), the section's part
/// lower-cased as git compares it; `None` for another line.
fn header(line: &str) -> Option<String> {
    let inner = line.strip_prefix('[')?;
    let (inner, _) = inner.split_once(']')?;
    Some(match inner.split_once(char::is_whitespace) {
        Some((section, subsection)) => format!(
            "{}.{}",
            section.to_ascii_lowercase(),
            subsection.trim().trim_matches('"')
        ),
        None => inner.to_ascii_lowercase(),
    })
}

/// The setting's name a line starts with: letters, digits and `-`.
fn entry_name(line: &str) -> &str {
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(line.len());
    line.get(..end).unwrap_or_default()
}

/// A value as git reads it from `raw` (what follows `=`): quotes removed,
/// escapes read, a comment outside quotes dropped, spaces around it
/// trimmed (those inside quotes kept), and a line ending in `\` joined
/// with the next one from `more`.
fn value<'t>(raw: &'t str, more: &mut impl Iterator<Item = &'t str>) -> String {
    let mut out = String::new();
    // How long `out` is up to its last character from inside quotes or
    // an escape: trailing spaces after it are dropped.
    let mut kept = 0;
    let mut quoted = false;
    let mut line = raw.trim_start();
    loop {
        let mut chars = line.chars();
        let mut continued = false;
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    quoted = !quoted;
                    kept = out.len();
                }
                '\\' => match chars.next() {
                    None => continued = true,
                    Some(escaped) => {
                        out.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            'b' => '\u{8}',
                            other => other,
                        });
                        kept = out.len();
                    }
                },
                '#' | ';' if !quoted => break,
                c => {
                    out.push(c);
                    if quoted || !c.is_whitespace() {
                        kept = out.len();
                    }
                }
            }
        }
        if !continued {
            break;
        }
        match more.next() {
            Some(next) => line = next,
            None => break,
        }
    }
    out.truncate(kept);
    out
}

/// `value` as `git config` writes it: in double quotes when spaces around
/// it or a comment character would be lost otherwise, with `\`, `"`, a
/// line break and a tab escaped.
fn quoted(value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\t', "\\t");
    let needs_quotes = value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace)
        || value.contains(['#', ';']);
    if needs_quotes {
        format!("\"{escaped}\"")
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(files: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |path| {
            files
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, text)| (*text).to_owned())
        }
    }

    #[test]
    fn values_are_read_as_git_reads_them() {
        let text = "[core]\n\tbare = false\n[Alias]\n\tPF = push --force-with-lease # force\n\
                    \tq = \"!f() { git push -f \\\"$@\\\"; }; f\"\n\tlong = log \\\n  --oneline\n";
        assert_eq!(
            alias_value(text, "pf").as_deref(),
            Some("push --force-with-lease")
        );
        assert_eq!(
            alias_value(text, "q").as_deref(),
            Some("!f() { git push -f \"$@\"; }; f")
        );
        assert_eq!(
            alias_value(text, "long").as_deref(),
            Some("log   --oneline")
        );
        assert_eq!(alias_value(text, "bare"), None);
    }

    #[test]
    fn written_entries_read_back() {
        for value in [
            "push --force-with-lease",
            "!git push -f \"$@\"; echo done",
            " x ",
        ] {
            assert_eq!(
                alias_value(&alias_entry("a", value), "a").as_deref(),
                Some(value)
            );
        }
    }

    #[test]
    fn the_repository_overrides_the_user() {
        let files = lookup(&[
            ("/home/u/.gitconfig", "[alias]\n\tship = push origin main"),
            (
                "/home/u/src/app/.git/config",
                "[alias]\n\tship = push -f origin main",
            ),
        ]);
        assert_eq!(
            configured("/home/u/src/app/lib", "/home/u", "SHIP", &files).as_deref(),
            Some("push -f origin main")
        );
        assert_eq!(
            configured("/home/u/other", "/home/u", "ship", &files).as_deref(),
            Some("push origin main")
        );
    }

    #[test]
    fn removal_drops_the_alias() {
        let text = "[alias]\n\tpf = push -f\n\tst = status\n[user]\n\tname = x";
        assert_eq!(
            without_alias(text, Some("PF")),
            "[alias]\n\tst = status\n[user]\n\tname = x"
        );
        assert_eq!(without_alias(text, None), "[user]\n\tname = x");
    }
}
