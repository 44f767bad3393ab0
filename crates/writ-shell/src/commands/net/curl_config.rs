//! curl's configuration files (`-K FILE`, `--config FILE`) written earlier
//! on the line or by an earlier step: the options they hold are read as if
//! given on the command line, so the request has the URL, method, headers
//! and data or form files they name (`url = "https://file.io"`, `form =
//! "file=@exports/payroll.csv"`). So are those of the default file curl
//! reads before any other unless its first argument is `-q`
//! (`--disable`): `$CURL_HOME/.curlrc`, `$XDG_CONFIG_HOME/curlrc` or
//! `~/.curlrc`, whose `header = "Authorization: ..."` rides on every
//! request (the first of them whose text the session knows).
//!
//! A file holds one option a line: `name = "value"`, `name: value`, `name
//! "value"`, `name value`, `--name value`, `-F value`, or a bare switch
//! (`silent`); `#` starts a comment line. A quoted value ends at its
//! closing quote (`\"`, `\\`, `\t`, `\n`, `\r` escapes); an unquoted one
//! at whitespace. Long names may drop their dashes, and then may be
//! followed by `=` or `:`.

use super::{CURL_LONG, CURL_SHORT, Invocation, Lookup, Outcome, curl};
use crate::args::{self, Arg, Spec};

/// How deep configuration files that name others (`config = "other"`)
/// are followed.
const MAX_INCLUDES: usize = 4;

/// The request again with the options of each configuration file whose
/// text is known put before the command line's own (which curl reads
/// after them, so they win). `None` when no configuration file is known.
pub(super) fn from_written(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    let mut options = Vec::new();
    let mut known = false;
    let default = default_config(inv, text_of);
    for path in default.into_iter().chain(config_paths(inv, inv.args)) {
        known |= config_options(inv, &path, text_of, MAX_INCLUDES, &mut options);
    }
    if !known {
        return None;
    }
    options.extend(inv.args.iter().cloned());
    Some(curl(&inv.with_args(&options)))
}

/// The default configuration file curl reads first, when the session
/// knows its text and the command does not turn it off (`-q` or
/// `--disable` as its first argument): curl looks in `$CURL_HOME`, then
/// `$XDG_CONFIG_HOME` (as `curlrc`), then the home directory, and reads
/// the first that exists; here, the first whose text is known.
fn default_config(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<String> {
    if inv
        .args
        .first()
        .is_some_and(|first| first.text == "-q" || first.text == "--disable")
    {
        return None;
    }
    let dir = |name: &str| {
        inv.env_value(name)
            .filter(|value| !value.dynamic && !value.text.is_empty())
            .map(|value| value.text.trim_end_matches('/').to_owned())
    };
    let candidates = [
        dir("CURL_HOME").map(|home| format!("{home}/.curlrc")),
        dir("XDG_CONFIG_HOME").map(|config| format!("{config}/curlrc")),
        Some("~/.curlrc".to_owned()),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|path| inv.path(&path))
        .find(|path| text_of(path).is_some())
}

/// The absolute paths `-K`/`--config` name among `args`.
fn config_paths(inv: &Invocation<'_>, args: &[Arg]) -> Vec<String> {
    let items = args::parse(
        args,
        &Spec {
            short: CURL_SHORT,
            long: CURL_LONG,
            stop_after: None,
        },
    );
    args::values(&items, &["-K", "--config"])
        .into_iter()
        .filter(|value| !value.dynamic && value.text != "-")
        .map(|value| inv.path(&value.text))
        .collect()
}

/// Adds the options the configuration file at `path` holds (and those of
/// the files it names in turn, up to `depth` deep); false when its text
/// is not known.
fn config_options(
    inv: &Invocation<'_>,
    path: &str,
    text_of: &Lookup<'_>,
    depth: usize,
    options: &mut Vec<Arg>,
) -> bool {
    let Some(text) = text_of(path) else {
        return false;
    };
    let words: Vec<Arg> = text
        .lines()
        .flat_map(line_words)
        .map(|word| Arg::literal(&word))
        .collect();
    if let Some(deeper) = depth.checked_sub(1) {
        for included in config_paths(inv, &words) {
            if included != path {
                config_options(inv, &included, text_of, deeper, options);
            }
        }
    }
    options.extend(words);
    true
}

/// One line of a configuration file as command-line words: the option with
/// its dashes, then its value when it has one.
fn line_words(line: &str) -> Vec<String> {
    let line = line.trim_start();
    if line.is_empty() || line.starts_with('#') {
        return Vec::new();
    }
    let dashed = line.starts_with('-');
    let name_end = line
        .find(|c: char| c.is_whitespace() || (!dashed && (c == '=' || c == ':')))
        .unwrap_or(line.len());
    let (name, rest) = line.split_at(name_end);
    let rest = rest.trim_start();
    let rest = if dashed {
        rest
    } else {
        rest.strip_prefix(['=', ':']).unwrap_or(rest).trim_start()
    };
    let option = if dashed {
        name.to_owned()
    } else if name.chars().count() == 1 {
        // A one-letter name is a short option.
        format!("-{name}")
    } else {
        format!("--{name}")
    };
    if rest.is_empty() || !takes_value(&option) {
        return vec![option];
    }
    vec![option, value(rest)]
}

/// True for a curl option that takes a value.
fn takes_value(option: &str) -> bool {
    match option.strip_prefix("--") {
        Some(long) => CURL_LONG.contains(&long),
        None => option
            .strip_prefix('-')
            .is_some_and(|short| short.len() == 1 && CURL_SHORT.contains(short)),
    }
}

/// A value: a quoted string with its escapes decoded, or the text up to
/// whitespace.
fn value(text: &str) -> String {
    let Some(quoted) = text.strip_prefix('"') else {
        return text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
    };
    let mut value = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('t') => value.push('\t'),
                Some('n') => value.push('\n'),
                Some('r') => value.push('\r'),
                Some('v') => value.push('\u{b}'),
                Some(other) => value.push(other),
                None => break,
            },
            c => value.push(c),
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_line_form() {
        let cases: &[(&str, &[&str])] = &[
            (
                r#"url = "https://file.io/?expires=1d""#,
                &["--url", "https://file.io/?expires=1d"],
            ),
            (r#"form="file=@a b.csv""#, &["--form", "file=@a b.csv"]),
            ("header: X-A: 1", &["--header", "X-A:"]),
            (r#"header "X-A: 1""#, &["--header", "X-A: 1"]),
            ("--data @body.json", &["--data", "@body.json"]),
            ("-X POST", &["-X", "POST"]),
            ("silent", &["--silent"]),
            ("  # a comment", &[]),
            (r#"data = "a\"b\\c""#, &["--data", r#"a"b\c"#]),
        ];
        for (line, words) in cases {
            assert_eq!(line_words(line), *words, "{line}");
        }
    }
}
