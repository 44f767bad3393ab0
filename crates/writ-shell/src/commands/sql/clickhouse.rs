//! What ClickHouse's clients do on this machine with the SQL they run:
//! `INTO OUTFILE 'f'` writes the result to a local file and `FROM INFILE
//! 'f'` sends a local file's rows to the server (both clients), and, in
//! `clickhouse-local`, whose server is in the process, `file('f')` reads a
//! local file. `INSERT INTO FUNCTION s3('url')|url('url')|remote('host')
//! ... SELECT ...` sends the rows selected to that bucket or host, with
//! the local files they come from (the SQL stands for the rows).

use super::meta::{Action, Split};
use crate::Target;

use super::tokens::{self, Lexicon, Token as Tok};

/// The table functions an `INSERT INTO FUNCTION` sends rows to another
/// store or server with.
const DESTINATIONS: &[&str] = &[
    "S3",
    "S3CLUSTER",
    "URL",
    "URLCLUSTER",
    "GCS",
    "HDFS",
    "AZUREBLOBSTORAGE",
    "REMOTE",
    "REMOTESECURE",
    "MYSQL",
    "POSTGRESQL",
    "MONGODB",
    "REDIS",
];

/// `text`'s SQL unchanged, with what it does here; `local` for
/// clickhouse-local.
pub(super) fn split(text: &str, local: bool) -> Split {
    let mut actions = Vec::new();
    for statement in statements(text) {
        statement_actions(&statement, text, local, &mut actions);
    }
    Split {
        sql: text.to_owned(),
        actions,
    }
}

fn statement_actions(tokens: &[Tok], text_given: &str, local: bool, actions: &mut Vec<Action>) {
    let word = |at: usize| match tokens.get(at) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let text = |at: usize| match tokens.get(at) {
        Some(Tok::Text(t)) => Some(t.clone()),
        _ => None,
    };
    let export = insert_function(tokens);
    let mut reads: Vec<String> = Vec::new();
    for at in 0..tokens.len() {
        match (word(at), word(at + 1)) {
            (Some("INTO"), Some("OUTFILE")) => {
                if let Some(path) = text(at + 2) {
                    let append = tokens
                        .get(at + 3..)
                        .unwrap_or_default()
                        .iter()
                        .take(4)
                        .any(|t| *t == Tok::Word("APPEND".to_owned()));
                    actions.push(Action::Write { path, append });
                }
            }
            (Some("FROM"), Some("INFILE")) => {
                if let Some(path) = text(at + 2) {
                    actions.push(Action::Data(path));
                }
            }
            (Some("FILE"), _) if local && tokens.get(at + 1) == Some(&Tok::Punct('(')) => {
                let Some(path) = text(at + 2) else {
                    continue;
                };
                if export.as_ref().is_some_and(|e| e.function == at) {
                    actions.push(Action::Write {
                        path,
                        append: false,
                    });
                } else {
                    reads.push(path.clone());
                    actions.push(Action::Data(path));
                }
            }
            _ => {}
        }
    }
    // writ-core reads a URL destination from the SQL itself; what it
    // cannot see there is the local files the rows come from, and a
    // destination named by host.
    if let Some(export) = export
        && let Some(target) = export.target
        && (!reads.is_empty() || matches!(target, Target::Host { .. }))
    {
        actions.push(Action::Upload {
            target,
            files: reads,
            source: text_given.to_owned(),
        });
    }
}

/// An `INSERT INTO [TABLE] FUNCTION NAME(...)`: where its function's
/// name is, and where the rows go (for the functions of [`DESTINATIONS`]).
struct Export {
    function: usize,
    target: Option<Target>,
}

fn insert_function(tokens: &[Tok]) -> Option<Export> {
    let words: Vec<&Tok> = tokens.iter().take(4).collect();
    let function = match words.as_slice() {
        [Tok::Word(i), Tok::Word(into), Tok::Word(f), ..]
            if i == "INSERT" && into == "INTO" && f == "FUNCTION" =>
        {
            3
        }
        [Tok::Word(i), Tok::Word(into), Tok::Word(t), Tok::Word(f)]
            if i == "INSERT" && into == "INTO" && t == "TABLE" && f == "FUNCTION" =>
        {
            4
        }
        _ => return None,
    };
    let Some(Tok::Word(name)) = tokens.get(function) else {
        return None;
    };
    let close = closing(tokens, function + 1);
    let arguments: Vec<&str> = tokens
        .get(function + 2..close)
        .unwrap_or_default()
        .iter()
        .filter_map(|t| match t {
            Tok::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let target = DESTINATIONS
        .contains(&name.as_str())
        .then(|| destination(&arguments))
        .flatten();
    Some(Export { function, target })
}

/// Where a destination function's arguments lead: the first URL, else
/// the first `host[:port]` (`remote('h:9000', db, t)`).
fn destination(arguments: &[&str]) -> Option<Target> {
    if let Some(url) = arguments.iter().find(|a| a.contains("://")) {
        return Some(crate::commands::url(url));
    }
    let address = arguments.first()?.split(',').next()?.trim();
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => {
            (host, port.parse::<u16>().ok())
        }
        _ => (address, None),
    };
    (!host.is_empty() && !host.contains(char::is_whitespace)).then(|| Target::Host {
        user: None,
        host: host.to_owned(),
        port,
        path: None,
    })
}

/// The index of the `)` closing the `(` at `open`.
fn closing(tokens: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    for (at, t) in tokens.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// ClickHouse SQL as statements of tokens: `'...'` strings (with `\`
/// escapes) as their values, `"..."` and `` `...` `` names and the
/// comments (`--`, `#`, `/* */`) left out.
fn statements(text: &str) -> Vec<Vec<Tok>> {
    tokens::statements(
        text,
        &Lexicon {
            line_comments: &["--", "#"],
            text_quotes: &['\''],
            punctuation: &['(', ')', ','],
            digit_words: true,
            parameter: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outfiles_infiles_and_exports() {
        let split = split(
            "SELECT 1 INTO OUTFILE '/tmp/a.csv' APPEND FORMAT CSV; INSERT INTO t FROM INFILE 'in.csv' FORMAT CSV",
            false,
        );
        assert_eq!(
            split.actions,
            vec![
                Action::Write {
                    path: "/tmp/a.csv".to_owned(),
                    append: true
                },
                Action::Data("in.csv".to_owned()),
            ]
        );
        let sql = "INSERT INTO FUNCTION s3('https://b.s3.amazonaws.com/k.parquet', 'Parquet') SELECT * FROM file('c.csv', 'CSV')";
        let split = super::split(sql, true);
        assert_eq!(
            split.actions,
            vec![
                Action::Data("c.csv".to_owned()),
                Action::Upload {
                    target: crate::commands::url("https://b.s3.amazonaws.com/k.parquet"),
                    files: vec!["c.csv".to_owned()],
                    source: sql.to_owned(),
                },
            ]
        );
        // A server's `file()` reads the server's files, not these.
        assert!(
            super::split("SELECT * FROM file('c.csv')", false)
                .actions
                .is_empty()
        );
    }
}
