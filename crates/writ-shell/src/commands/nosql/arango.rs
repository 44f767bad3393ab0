//! ArangoDB's shell and tools. Their options are `--section.name VALUE`
//! (or `=VALUE`); the server is `--server.endpoint` (`tcp://`, `ssl://`,
//! `http+ssl://` ...). `arangosh` runs JavaScript from
//! `--javascript.execute-string`, `--javascript.execute FILE` or standard
//! input; `arangoimport` writes a file into a collection (`--overwrite
//! true` empties it first); `arangorestore` replaces the collections it
//! restores unless `--overwrite false`; `arangodump` and `arangoexport`
//! read the server into a local directory.

use super::super::{Invocation, Outcome};
use super::{endpoint_host, js, login, stdin_files, stdin_text};
use crate::args::Arg;
use crate::{DataClass, DataCommand, Effect};

pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    let options = Options::parse(inv.args);
    let mut outcome = Outcome::default();
    let (command, files, class) = match inv.program {
        "arangoimport" => {
            let files = options.paths(inv, "file");
            let files = if files.is_empty() {
                stdin_files(inv)
            } else {
                files
            };
            let class = if options.is_true("overwrite", false) {
                DataClass::Destroy
            } else {
                DataClass::Write
            };
            (None, files, class)
        }
        "arangorestore" => {
            let mut files = options.paths(inv, "input-directory");
            if files.is_empty() {
                files.push(inv.path("dump"));
            }
            let class = if options.is_true("overwrite", true) {
                DataClass::Destroy
            } else {
                DataClass::Write
            };
            (None, files, class)
        }
        "arangodump" | "arangoexport" => {
            let default = if inv.program == "arangodump" {
                "dump"
            } else {
                "export"
            };
            let out = options
                .value("output-directory")
                .map_or_else(|| inv.path(default), |d| inv.path(&d.text));
            outcome.write(out, false);
            (None, Vec::new(), DataClass::Read)
        }
        _ => shell(inv, &options),
    };
    let endpoint = options.value("server.endpoint");
    let passwords: Vec<&Arg> = options.value("server.password").into_iter().collect();
    outcome.effect(Effect::DataCommand(DataCommand {
        client: inv.program.to_owned(),
        host: endpoint.and_then(|e| endpoint_host(&e.text)),
        command,
        files,
        class,
        login: login(inv, &passwords, None, &["ARANGO_PASSWORD"]),
    }))
}

/// arangosh's code and script files, and their class (unknown for an
/// interactive shell, or until [`super::written_scripts`] reads a file).
fn shell(inv: &Invocation<'_>, options: &Options<'_>) -> (Option<String>, Vec<String>, DataClass) {
    let strings: Vec<String> = options
        .values("javascript.execute-string")
        .map(|c| c.text.clone())
        .collect();
    let code = if strings.is_empty() {
        stdin_text(inv)
    } else {
        Some(strings.join("\n"))
    };
    let mut files = stdin_files(inv);
    files.extend(options.paths(inv, "javascript.execute"));
    files.extend(options.paths(inv, "javascript.unit-tests"));
    let class = code
        .as_deref()
        .map_or(DataClass::Unknown, |c| js::class(c, js::Shell::Arango));
    (code, files, class)
}

/// `--name VALUE` and `--name=VALUE` options: every ArangoDB option takes
/// a value, which a switch may leave out (`--quiet`).
struct Options<'a> {
    pairs: Vec<(&'a str, Option<Arg>)>,
}

impl<'a> Options<'a> {
    fn parse(args: &'a [Arg]) -> Options<'a> {
        let mut pairs = Vec::new();
        let mut rest = args.iter().peekable();
        while let Some(arg) = rest.next() {
            let Some(body) = arg.text.strip_prefix("--") else {
                continue;
            };
            if let Some((name, value)) = body.split_once('=') {
                pairs.push((name, Some(arg.with_text(value))));
                continue;
            }
            let value = rest.next_if(|next| !next.text.starts_with("--")).cloned();
            pairs.push((body, value));
        }
        Options { pairs }
    }

    fn values(&self, name: &str) -> impl Iterator<Item = &Arg> {
        self.pairs
            .iter()
            .filter(move |(n, _)| *n == name)
            .filter_map(|(_, v)| v.as_ref())
    }

    fn value(&self, name: &str) -> Option<&Arg> {
        self.values(name).last()
    }

    fn paths(&self, inv: &Invocation<'_>, name: &str) -> Vec<String> {
        self.values(name).map(|v| inv.path(&v.text)).collect()
    }

    /// A boolean option's value: `default` when it is absent, true when it
    /// is given without one.
    fn is_true(&self, name: &str, default: bool) -> bool {
        match self.pairs.iter().rev().find(|(n, _)| *n == name) {
            None => default,
            Some((_, None)) => true,
            Some((_, Some(value))) => !matches!(
                value.text.to_ascii_lowercase().as_str(),
                "false" | "no" | "off" | "0"
            ),
        }
    }
}
