//! Datasette's commands that take SQLite databases elsewhere. `datasette
//! publish cloudrun|heroku|vercel|fly DB...` uploads the databases, with
//! the metadata file, template, plugin and static directories and the
//! secrets it is given, to that platform, which serves them to anyone;
//! `--generate-dir DIR` only writes the app there. `datasette package`
//! builds a Docker image here: it reads what it bundles. `datasette
//! [serve] DB` serves on this machine and is left to the generic reading
//! of its paths.

use super::super::{Invocation, Outcome, request, send_file, url};
use crate::Payload;
use crate::args::Arg;
use crate::flow;

/// Publishers and the API each uploads through. A plugin's publisher not
/// listed here uploads to a platform of its own name.
const PUBLISHERS: &[(&str, &str)] = &[
    // `gcloud builds submit`, then `gcloud run deploy --allow-unauthenticated`.
    ("cloudrun", "cloudbuild.googleapis.com"),
    ("heroku", "api.heroku.com"),
    ("vercel", "api.vercel.com"),
    ("now", "api.vercel.com"),
    ("fly", "api.fly.io"),
];

/// Options of `publish` and `package` and how many values each takes.
const VALUES: &[(&str, usize)] = &[
    ("-m", 1),
    ("--metadata", 1),
    ("--extra-options", 1),
    ("--branch", 1),
    ("--template-dir", 1),
    ("--plugins-dir", 1),
    ("--static", 1),
    ("--install", 1),
    ("--plugin-secret", 3),
    ("--version-note", 1),
    ("--secret", 1),
    ("--title", 1),
    ("--license", 1),
    ("--license_url", 1),
    ("--source", 1),
    ("--source_url", 1),
    ("--about", 1),
    ("--about_url", 1),
    ("-n", 1),
    ("--name", 1),
    ("--service", 1),
    ("--memory", 1),
    ("--cpu", 1),
    ("--timeout", 1),
    ("--apt-get-install", 1),
    ("--max-instances", 1),
    ("--min-instances", 1),
    ("--artifact-repository", 1),
    ("--artifact-region", 1),
    ("--artifact-project", 1),
    ("--region", 1),
    ("--project", 1),
    ("--scope", 1),
    ("--token", 1),
    ("--alias", 1),
    ("--generate-dir", 1),
    ("--vercel-json", 1),
    ("--app", 1),
    ("--org", 1),
    ("--create-volume", 1),
    ("--create-db", 1),
    ("--setting", 2),
    ("-t", 1),
    ("--tag", 1),
    ("--port", 1),
];

/// Options whose values are sent as secrets to the platform, which keeps
/// them as the app's settings (`--plugin-secret PLUGIN SETTING VALUE`,
/// `--secret`), or presented to its API (`--token`).
const SECRET_OPTIONS: &[&str] = &["--plugin-secret", "--secret", "--token"];

/// Options naming a file the build includes.
const FILE_OPTIONS: &[&str] = &["-m", "--metadata", "--vercel-json"];

/// Options naming a directory the build includes.
const DIRECTORY_OPTIONS: &[&str] = &["--template-dir", "--plugins-dir"];

/// `datasette publish PUBLISHER ...` and `datasette package ...`; `None`
/// for its other commands.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let (command, rest) = inv.args.split_first()?;
    match command.text.as_str() {
        "publish" => {
            let (publisher, options) = rest.split_first()?;
            Some(publish(inv, &publisher.text, options))
        }
        "package" => Some(bundle(inv, &parse(rest)).0),
        _ => None,
    }
}

/// An upload of the bundle to the publisher's platform, served publicly;
/// with `--generate-dir`, only the app written to that directory.
fn publish(inv: &Invocation<'_>, publisher: &str, words: &[Arg]) -> Outcome {
    let parsed = parse(words);
    let (mut outcome, payload) = bundle(inv, &parsed);
    if let Some(dir) = values(&parsed, &["--generate-dir"]).first() {
        outcome.write(inv.path(&dir.text), false);
        return outcome;
    }
    let host = PUBLISHERS
        .iter()
        .find(|(name, _)| *name == publisher)
        .map_or(publisher, |(_, host)| host);
    outcome.effect(request(
        "datasette",
        url(&format!("https://{host}/")),
        "UPLOAD",
        payload,
        true,
    ))
}

/// What a build bundles: the databases, the metadata file, the template,
/// plugin and static directories (each read), and the secrets it is
/// given.
fn bundle(inv: &Invocation<'_>, parsed: &[Word<'_>]) -> (Outcome, Payload) {
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut include = |path: &str, recursive: bool| {
        outcome.read(inv.path(path), recursive);
        send_file(inv, &mut payload, path, recursive);
    };
    for word in parsed {
        if let Word::Database(database) = word {
            include(&database.text, false);
        }
    }
    for file in values(parsed, FILE_OPTIONS) {
        include(&file.text, false);
    }
    for dir in values(parsed, DIRECTORY_OPTIONS) {
        include(&dir.text, true);
    }
    for mount in values(parsed, &["--static"]) {
        let dir = mount
            .text
            .split_once(':')
            .map_or(mount.text.as_str(), |(_, d)| d);
        include(dir, true);
    }
    for word in parsed {
        // The last value of `--plugin-secret PLUGIN SETTING VALUE` is the
        // secret.
        if let Word::Option { name, values } = word
            && SECRET_OPTIONS.contains(&name.as_str())
            && let Some(secret) = values.last()
        {
            flow::merge(&mut payload, &secret.payload());
        }
    }
    (outcome, payload)
}

/// A word of `publish` or `package`: a database, or an option with its
/// values.
enum Word<'a> {
    Database(&'a Arg),
    Option { name: String, values: Vec<Arg> },
}

/// The words as databases and options with their values ([`VALUES`];
/// `--opt=value` gives the first). An option not listed is a flag.
fn parse(words: &[Arg]) -> Vec<Word<'_>> {
    let mut parsed = Vec::new();
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        let text = word.text.as_str();
        if !text.starts_with('-') || text == "-" {
            parsed.push(Word::Database(word));
            continue;
        }
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) => (name, Some(word.with_text(value))),
            None => (text, None),
        };
        let count = VALUES
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, c)| *c);
        let mut values: Vec<Arg> = attached.into_iter().collect();
        while values.len() < count {
            let Some(value) = rest.next() else {
                break;
            };
            values.push(value.clone());
        }
        parsed.push(Word::Option {
            name: name.to_owned(),
            values,
        });
    }
    parsed
}

/// The first value of each option of `names`.
fn values<'p>(parsed: &'p [Word<'_>], names: &[&str]) -> Vec<&'p Arg> {
    parsed
        .iter()
        .filter_map(|word| match word {
            Word::Option { name, values } if names.contains(&name.as_str()) => values.first(),
            _ => None,
        })
        .collect()
}
