//! Localization platforms' CLIs, which send a project's strings to the
//! platform's API and bring its translations back: Crowdin (`crowdin
//! upload|push [sources|translations]`, `crowdin file upload F`,
//! `download|pull`), Lokalise (`lokalise2 file upload --file F`, `file
//! download`), Transifex (`tx push [-s] [-t]`, `tx pull`) and Phrase
//! (`phrase push`, `phrase pull`, `phrase uploads create --file F`). An
//! upload sends the files it names, or those its configuration file lists
//! when that file was written earlier (`crowdin.yml`'s `files:` sources,
//! `.tx/config`'s `source_file` and `file_filter`, `.phrase.yml`'s
//! `push.sources`), with the token it is given, to the platform's API host
//! (or the one the line or the configuration names: `--base-url`,
//! `base_url`, `--hostname`, `host`). A download is a fetch that writes
//! the files the configuration's translation patterns name (the base
//! directory when none is known). Other commands that create, change or
//! delete something there are requests carrying their arguments; the rest
//! read. A dry run sends nothing.

use yaml_rust2::{Yaml, YamlLoader};

use super::vendor::base_url;
use super::{Invocation, Outcome, request, url};
use crate::args::{self, Item, Spec};
use crate::{FileRef, Payload, flow, paths};

pub(crate) use crate::commands::Lookup;

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    plan(inv, &|_| None)
}

/// A platform CLI whose configuration file was written earlier (on the
/// line or by an earlier step): what it sends and writes is what that file
/// lists, in place of what the line alone says.
pub(crate) fn configured(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let (Some(with), Some(without)) = (plan(inv, text_of), plan(inv, &|_| None)) else {
        return;
    };
    if with.effects != without.effects {
        outcome
            .effects
            .retain(|effect| !without.effects.contains(effect));
        outcome.effects.extend(with.effects);
    }
}

fn plan(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    match inv.program {
        "crowdin" => crowdin(inv, text_of),
        "lokalise2" => lokalise(inv),
        "tx" => transifex(inv, text_of),
        "phrase" | "phraseapp" => phrase(inv, text_of),
        _ => None,
    }
}

/// What a platform command does.
enum Action {
    /// Sends these files (absolute paths or patterns).
    Upload(Vec<String>),
    /// Brings files down and writes them here.
    Download(Vec<String>),
    /// Creates, changes or deletes something at the platform (the
    /// method), sending the command's arguments.
    Change(&'static str),
    /// Only looks.
    Read,
    /// Runs locally, writing these files (`crowdin init`).
    Local(Vec<String>),
}

/// The outcome of `action` against `endpoint`, its request carrying
/// `payload` (the credentials given) and what the action adds.
fn perform(inv: &Invocation<'_>, endpoint: &str, action: Action, mut payload: Payload) -> Outcome {
    let mut outcome = Outcome::default();
    let (method, writes) = match action {
        Action::Upload(files) => {
            for path in files {
                outcome.read(path.clone(), false);
                flow::push_file(
                    &mut payload,
                    FileRef {
                        path,
                        recursive: false,
                        excludes: Vec::new(),
                    },
                );
            }
            ("UPLOAD", Vec::new())
        }
        Action::Download(paths) => ("DOWNLOAD", paths),
        Action::Change(method) => {
            for arg in inv.args {
                flow::merge(&mut payload, &arg.payload());
            }
            (method, Vec::new())
        }
        Action::Read => ("GET", Vec::new()),
        Action::Local(paths) => {
            for path in paths {
                outcome.write(path, false);
            }
            return outcome;
        }
    };
    outcome
        .effects
        .push(request(inv.program, url(endpoint), method, payload, false));
    for path in writes {
        outcome.write(path, false);
    }
    outcome
}

/// Verbs of platform commands that change something there.
const CHANGE_VERBS: &[&str] = &[
    "add", "create", "update", "edit", "delete", "remove", "clone", "merge", "release", "restore",
    "empty", "upload", "import", "approve", "set", "lock", "unlock", "assign",
];

/// The method of a change by `verb`, `None` for a verb that only looks.
fn change_method(verb: &str) -> Option<&'static str> {
    match verb {
        "delete" | "remove" | "empty" => Some("DELETE"),
        _ if CHANGE_VERBS.contains(&verb) => Some("POST"),
        _ => None,
    }
}

/// A file pattern with the platform's placeholders (`%two_letters_code%`,
/// `<lang>`, `<locale_name>`) as globs, resolved against `base`
/// (a leading `/` too: patterns are relative to the project's base).
fn pattern_path(base: &str, pattern: &str) -> String {
    let mut glob = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        let close = match c {
            '%' => Some('%'),
            '<' => Some('>'),
            _ => None,
        };
        let placeholder = close.and_then(|close| {
            let inner = rest.get(1..)?;
            let end = inner.find(close)?;
            let name = inner.get(..end)?;
            let plain = !name.is_empty()
                && name
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-');
            plain.then_some((name.len() + 2, name == "original_path"))
        });
        match placeholder {
            Some((length, path)) => {
                glob.push_str(if path { "**" } else { "*" });
                rest = rest.get(length..).unwrap_or_default();
            }
            None => {
                glob.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or_default();
            }
        }
    }
    paths::resolve(base, "/", glob.trim_start_matches('/'))
}

/// The positional words among `items`.
fn words<'a>(items: &'a [Item<'a>]) -> Vec<&'a str> {
    args::positionals(items)
        .into_iter()
        .map(|a| a.text.as_str())
        .collect()
}

/// What the values of `options` carry.
fn values_payload(items: &[Item<'_>], options: &[&str]) -> Payload {
    let mut payload = Payload::default();
    for value in args::values(items, options) {
        flow::merge(&mut payload, &value.payload());
    }
    payload
}

/// What the variables `names` of the command's environment carry.
fn variables_payload(inv: &Invocation<'_>, names: &[&str]) -> Payload {
    let mut payload = Payload::default();
    for name in names {
        if let Some(value) = inv.env_value(name) {
            flow::merge(&mut payload, &value.payload());
        }
    }
    payload
}

/// The directory of a file's absolute path.
fn directory(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_owned(),
        Some((dir, _)) => dir.to_owned(),
    }
}

/// Configuration files larger than this are not read.
const MAX_CONFIG: usize = 256 * 1024;

/// The first document of a YAML file's text.
fn yaml(text: &str) -> Option<Yaml> {
    if text.len() > MAX_CONFIG {
        return None;
    }
    YamlLoader::load_from_str(text).ok()?.into_iter().next()
}

/// A YAML scalar's text (numbers too).
fn scalar(node: &Yaml) -> Option<String> {
    match node {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(n) => Some(n.to_string()),
        _ => None,
    }
    .filter(|t| !t.is_empty())
}

/// The scalars of a YAML list's entries at `key` (`files: - source: X`).
fn listed(list: &Yaml, key: &str) -> Vec<String> {
    list.as_vec()
        .map(|entries| entries.iter().filter_map(|e| scalar(&e[key])).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------- Crowdin

/// Crowdin CLI options that take a value.
const CROWDIN_VALUES: &[&str] = &[
    "config",
    "identity",
    "token",
    "project-id",
    "base-path",
    "base-url",
    "source",
    "translation",
    "dest",
    "branch",
    "language",
    "label",
    "excluded-language",
    "type",
    "parser-version",
    "context",
    "cleanup-mode",
    "directory",
    "file",
    "to",
    "format",
    "name",
    "title",
    "identifier",
    "text",
    "method",
    "engine-id",
    "ai-prompt",
];

/// A Crowdin project's settings, from the line and `crowdin.yml`.
struct CrowdinProject {
    base_url: String,
    base_path: String,
    sources: Vec<String>,
    translations: Vec<String>,
    credentials: Payload,
}

/// `crowdin upload [sources]` (`push`) sends the source files (`-s` or
/// the configuration's `files: - source:` patterns), `upload
/// translations` the translation files (`-t` or `translation:`), `file
/// upload F`, `glossary upload F`, `tm upload F` and `screenshot upload F`
/// the file F; `download [translations|sources]` (`pull`), `file download
/// F` and `bundle download` write what they bring down. The API is
/// `--base-url` (or the configuration's `base_url`, `base_url_env`;
/// `https://api.crowdin.com`), with the token (`-T`, `api_token`,
/// `api_token_env`). `--dryrun` sends nothing.
fn crowdin(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cTistbld",
            long: CROWDIN_VALUES,
            stop_after: None,
        },
    );
    let words = words(&items);
    if args::has(&items, &["--dryrun", "--dry-run"]) {
        return Some(Outcome::default());
    }
    let project = crowdin_project(inv, &items, text_of);
    let at = |path: &str| inv.path(path);
    let dest = args::value(&items, &["--dest", "-d"]).map(|d| project_file(&project, &d.text));
    let action = match words.as_slice() {
        ["upload" | "push"] | ["upload" | "push", "sources", ..] => {
            Action::Upload(project.sources.clone())
        }
        ["upload" | "push", "translations", ..] => Action::Upload(project.translations.clone()),
        ["download" | "pull"]
        | ["download" | "pull", "translations", ..]
        | ["bundle", "download", ..] => {
            Action::Download(written_or_base(&project, &project.translations))
        }
        ["download" | "pull", "sources", ..] => {
            Action::Download(written_or_base(&project, &project.sources))
        }
        [
            "file" | "glossary" | "tm" | "screenshot",
            "upload",
            file,
            ..,
        ] => Action::Upload(vec![at(file)]),
        ["file", "download", file, ..] => {
            Action::Download(vec![dest.unwrap_or_else(|| project_file(&project, file))])
        }
        ["init" | "generate", ..] => Action::Local(vec![at("crowdin.yml")]),
        ["config" | "help" | "version", ..] | [] => return Some(Outcome::default()),
        ["pre-translate", ..] => Action::Change("POST"),
        [_, verb, ..] if change_method(verb).is_some() => {
            Action::Change(change_method(verb).unwrap_or("POST"))
        }
        _ => Action::Read,
    };
    let endpoint = match action {
        Action::Upload(_) => format!("{}/api/v2/storages", project.base_url),
        _ => format!("{}/api/v2/projects", project.base_url),
    };
    Some(perform(inv, &endpoint, action, project.credentials))
}

/// A file of the project named on the line: relative to its base path.
fn project_file(project: &CrowdinProject, name: &str) -> String {
    pattern_path(&project.base_path, name)
}

/// The files a download writes: `patterns`, else the project's base.
fn written_or_base(project: &CrowdinProject, patterns: &[String]) -> Vec<String> {
    if patterns.is_empty() {
        vec![project.base_path.clone()]
    } else {
        patterns.to_vec()
    }
}

/// The project a Crowdin command acts on: the line's options over its
/// configuration file's (`-c FILE`, else `crowdin.yml` or `crowdin.yaml`
/// in the working directory), when that file is known.
fn crowdin_project(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    text_of: &Lookup<'_>,
) -> CrowdinProject {
    let named = args::value(items, &["--config", "-c"]).map(|c| inv.path(&c.text));
    let candidates = match named {
        Some(path) => vec![path],
        None => vec![inv.path("crowdin.yml"), inv.path("crowdin.yaml")],
    };
    let config = candidates
        .into_iter()
        .find_map(|path| text_of(&path).and_then(|t| yaml(&t)).map(|doc| (path, doc)));
    let config_dir = config
        .as_ref()
        .map_or_else(|| inv.cwd.to_owned(), |(path, _)| directory(path));
    let setting = |key: &str| -> Option<String> {
        let (_, doc) = config.as_ref()?;
        scalar(&doc[key]).or_else(|| {
            let variable = scalar(&doc[format!("{key}_env").as_str()])?;
            inv.env_value(&variable).map(|v| v.text.clone())
        })
    };
    let base_path = args::value(items, &["--base-path"])
        .map(|b| inv.path(&b.text))
        .or_else(|| setting("base_path").map(|b| paths::resolve(&config_dir, inv.home, &b)))
        .unwrap_or_else(|| config_dir.clone());
    let base_url = args::value(items, &["--base-url"])
        .map(|b| b.text.clone())
        .or_else(|| setting("base_url"))
        .map_or_else(|| "https://api.crowdin.com".to_owned(), |b| base_url(&b));
    let mut credentials = values_payload(items, &["--token", "-T"]);
    if let Some((_, doc)) = &config {
        if let Some(token) = scalar(&doc["api_token"]) {
            flow::push_text(&mut credentials, &token);
        }
        if let Some(variable) = scalar(&doc["api_token_env"]) {
            flow::push_env(&mut credentials, &variable);
            flow::merge(&mut credentials, &variables_payload(inv, &[&variable]));
        }
    }
    let patterns = |line: &[&str], key: &str| -> Vec<String> {
        let given = args::values(items, line);
        let texts: Vec<String> = if given.is_empty() {
            config
                .as_ref()
                .map(|(_, doc)| listed(&doc["files"], key))
                .unwrap_or_default()
        } else {
            given.iter().map(|g| g.text.clone()).collect()
        };
        texts.iter().map(|t| pattern_path(&base_path, t)).collect()
    };
    CrowdinProject {
        sources: patterns(&["--source", "-s"], "source"),
        translations: patterns(&["--translation", "-t"], "translation"),
        base_url,
        base_path,
        credentials,
    }
}

// --------------------------------------------------------------- Lokalise

/// Lokalise's API, which `lokalise2` calls.
const LOKALISE_API: &str = "https://api.lokalise.com/api2";

/// lokalise2 options that take a value.
const LOKALISE_VALUES: &[&str] = &[
    "token",
    "config",
    "project-id",
    "file",
    "data",
    "filename",
    "lang-iso",
    "tags",
    "format",
    "dest",
    "unzip-to",
    "directory-prefix",
    "bundle-structure",
    "filter-langs",
    "include-tags",
    "exclude-tags",
    "poll-timeout",
    "custom-translation-status-ids",
    "key-id",
    "key-name",
    "translation-id",
    "name",
    "description",
    "email",
    "url",
    "events",
    "languages",
    "branch-id",
    "process-id",
    "snapshot-id",
    "screenshot-id",
    "task-id",
    "team-id",
    "contributor-id",
    "json",
    "title",
];

/// `lokalise2 [--token T] file upload --project-id P --file F[,G]` sends
/// the files (or `--data`) to Lokalise's API with the token; `file
/// download` writes into `--unzip-to` (the working directory); any other
/// command that creates, updates or deletes sends its arguments.
fn lokalise(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "t",
            long: LOKALISE_VALUES,
            stop_after: None,
        },
    );
    let words = words(&items);
    let mut credentials = values_payload(&items, &["--token", "-t"]);
    let project = args::value(&items, &["--project-id"]).map(|p| p.text.clone());
    let endpoint = match &project {
        Some(project) => format!("{LOKALISE_API}/projects/{project}"),
        None => format!("{LOKALISE_API}/projects"),
    };
    let action = match words.as_slice() {
        ["file", "upload", ..] => {
            flow::merge(&mut credentials, &values_payload(&items, &["--data"]));
            let files = args::values(&items, &["--file"])
                .into_iter()
                .flat_map(|f| f.text.split(','))
                .filter(|f| !f.trim().is_empty())
                .map(|f| inv.path(f.trim()))
                .collect();
            Action::Upload(files)
        }
        ["file", "download", ..] => {
            let into = args::value(&items, &["--unzip-to"]).map_or(".", |u| u.text.as_str());
            Action::Download(vec![inv.path(into)])
        }
        [] | ["help" | "version" | "completion", ..] => return Some(Outcome::default()),
        [_, verb, ..] if change_method(verb).is_some() => {
            Action::Change(change_method(verb).unwrap_or("POST"))
        }
        _ => Action::Read,
    };
    Some(perform(inv, &endpoint, action, credentials))
}

// -------------------------------------------------------------- Transifex

/// Transifex's REST API, where the `tx` client sends unless told.
const TRANSIFEX_API: &str = "https://rest.api.transifex.com";

/// tx options that take a value.
const TX_VALUES: &[&str] = &[
    "hostname",
    "token",
    "config",
    "root-config",
    "cacert",
    "languages",
    "resources",
    "branch",
    "base",
    "mode",
    "minimum-perc",
    "workers",
    "content_encoding",
    "content-encoding",
];

/// A resource of `.tx/config`: its section name, source file and
/// translation files (`file_filter`, `trans.LANG`), relative to the
/// project's root.
struct TxResource {
    name: String,
    source: Option<String>,
    filter: Option<String>,
    overrides: Vec<(String, String)>,
}

/// `tx [--hostname H] [--token T] push [-s] [-t] [-l LANGS] [RESOURCE...]`
/// (the Transifex client) sends the source files (the default, or `-s`)
/// and with `-t` the translation files (`file_filter` with `<lang>` the
/// languages named, any without) of the resources in `.tx/config` (the
/// working directory's or a parent's, or `--config`), all or those named;
/// `tx pull` writes the translation files (and with `-s` the sources).
/// The API is `--hostname` (`https://rest.api.transifex.com`), with the
/// token (`--token`, `TX_TOKEN`).
fn transifex(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "lrbw",
            long: TX_VALUES,
            stop_after: None,
        },
    );
    let words = words(&items);
    let (command, named) = words.split_first()?;
    let host = args::value(&items, &["--hostname"])
        .map_or(TRANSIFEX_API.to_owned(), |h| base_url(&h.text));
    let mut credentials = values_payload(&items, &["--token"]);
    flow::merge(&mut credentials, &variables_payload(inv, &["TX_TOKEN"]));
    let (root, resources) = tx_config(inv, &items, text_of).unwrap_or_default();
    let mut wanted: Vec<String> = named.iter().map(|n| (*n).to_owned()).collect();
    wanted.extend(
        args::values(&items, &["--resources", "-r"])
            .into_iter()
            .flat_map(|r| r.text.split(',').map(str::to_owned)),
    );
    let resources: Vec<&TxResource> = resources
        .iter()
        .filter(|r| wanted.is_empty() || wanted.iter().any(|w| wildcard(w, &r.name)))
        .collect();
    let languages: Vec<String> = args::values(&items, &["--languages", "-l"])
        .into_iter()
        .flat_map(|l| l.text.split(',').map(|l| l.trim().to_owned()))
        .filter(|l| !l.is_empty())
        .collect();
    let translation = args::has(&items, &["-t", "--translation", "--translations"]);
    let source = args::has(&items, &["-s", "--source"]);
    let files = |sources: bool, translations: bool| -> Vec<String> {
        let mut files = Vec::new();
        for resource in &resources {
            if sources && let Some(file) = &resource.source {
                files.push(pattern_path(&root, file));
            }
            if translations {
                files.extend(tx_translations(resource, &languages, &root));
            }
        }
        files
    };
    let (action, path) = match *command {
        "push" => (
            Action::Upload(files(source || !translation, translation)),
            "resource_strings_async_uploads",
        ),
        "pull" => {
            let written = files(source, translation || !source);
            let written = if written.is_empty() && !root.is_empty() {
                vec![root.clone()]
            } else if written.is_empty() {
                vec![inv.cwd.to_owned()]
            } else {
                written
            };
            (
                Action::Download(written),
                "resource_translations_async_downloads",
            )
        }
        "delete" => (Action::Change("DELETE"), "resources"),
        "init" | "add" | "migrate" => (Action::Local(vec![inv.path(".tx/config")]), ""),
        "help" | "version" | "completion" => return Some(Outcome::default()),
        _ => (Action::Read, "resources"),
    };
    Some(perform(inv, &format!("{host}/{path}"), action, credentials))
}

/// The translation files of a resource for `languages` (any, when none).
fn tx_translations(resource: &TxResource, languages: &[String], root: &str) -> Vec<String> {
    let mut files = Vec::new();
    if let Some(filter) = &resource.filter {
        if languages.is_empty() {
            files.push(pattern_path(root, filter));
        } else {
            for language in languages {
                files.push(pattern_path(root, &filter.replace("<lang>", language)));
            }
        }
    }
    for (language, file) in &resource.overrides {
        if languages.is_empty() || languages.contains(language) {
            files.push(pattern_path(root, file));
        }
    }
    files
}

/// `pattern` with `*` for any text matches `name`.
fn wildcard(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => name.strip_prefix(head).is_some_and(|rest| {
            (0..=rest.len())
                .filter_map(|at| rest.get(at..))
                .any(|end| wildcard(tail, end))
        }),
    }
}

/// How many directories up `tx` looks for `.tx/config`.
const MAX_PARENTS: usize = 32;

/// The project root and resources of the `.tx/config` the command reads:
/// `--config FILE`, else the first `.tx/config` found from the working
/// directory up.
fn tx_config(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    text_of: &Lookup<'_>,
) -> Option<(String, Vec<TxResource>)> {
    let (path, text) = match args::value(items, &["--config"]) {
        Some(file) => {
            let path = inv.path(&file.text);
            let text = text_of(&path)?;
            (path, text)
        }
        None => {
            let mut dir = inv.cwd.to_owned();
            let mut found = None;
            for _ in 0..MAX_PARENTS {
                let path = paths::resolve(&dir, "/", ".tx/config");
                if let Some(text) = text_of(&path) {
                    found = Some((path, text));
                    break;
                }
                if dir == "/" {
                    break;
                }
                dir = directory(&dir);
            }
            found?
        }
    };
    let config_dir = directory(&path);
    let root = if config_dir.ends_with("/.tx") {
        directory(&config_dir)
    } else {
        config_dir
    };
    Some((root, tx_resources(&text)))
}

/// The resource sections of a `.tx/config` (INI) text.
fn tx_resources(text: &str) -> Vec<TxResource> {
    let mut resources: Vec<TxResource> = Vec::new();
    for line in text.lines().take(MAX_CONFIG) {
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            resources.push(TxResource {
                name: name.trim().to_owned(),
                source: None,
                filter: None,
                overrides: Vec::new(),
            });
            continue;
        }
        let (Some((key, value)), Some(resource)) = (line.split_once('='), resources.last_mut())
        else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim().to_owned());
        match key {
            "source_file" => resource.source = Some(value),
            "file_filter" => resource.filter = Some(value),
            _ => {
                if let Some(language) = key.strip_prefix("trans.") {
                    resource.overrides.push((language.to_owned(), value));
                }
            }
        }
    }
    resources.retain(|r| r.name != "main");
    resources
}

// ----------------------------------------------------------------- Phrase

/// Phrase's API, where `phrase` sends unless its configuration says.
const PHRASE_API: &str = "https://api.phrase.com/v2";

/// phrase options that take a value.
const PHRASE_VALUES: &[&str] = &[
    "access_token",
    "access-token",
    "username",
    "host",
    "config",
    "branch",
    "tag",
    "project_id",
    "project-id",
    "file",
    "locale_id",
    "locale-id",
    "file_format",
    "file-format",
    "data",
];

/// `phrase push [--config F] [--branch B]` sends the files the
/// configuration's `push: sources: - file:` patterns name, `phrase pull`
/// writes those its `pull: targets:` name, `phrase uploads create --file
/// F` sends F; any other command that creates, updates or deletes sends
/// its arguments. The configuration is `--config`, else `.phrase.yml` (or
/// the older `.phraseapp.yml`) in the working directory or the home
/// directory; the API is `--host`, `PHRASE_HOST` or its `host`
/// (`https://api.phrase.com/v2`), with the token (`--access_token`,
/// `PHRASE_ACCESS_TOKEN`, its `access_token`).
fn phrase(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tu",
            long: PHRASE_VALUES,
            stop_after: None,
        },
    );
    let words = words(&items);
    let config = phrase_config(inv, &items, text_of);
    let setting = |key: &str| config.as_ref().and_then(|c| scalar(&c[key]));
    let host = args::value(&items, &["--host"])
        .map(|h| h.text.clone())
        .or_else(|| inv.env_value("PHRASE_HOST").map(|h| h.text.clone()))
        .or_else(|| setting("host"))
        .map_or_else(|| PHRASE_API.to_owned(), |h| base_url(&h));
    let mut credentials = values_payload(&items, &["--access_token", "--access-token", "-t"]);
    flow::merge(
        &mut credentials,
        &variables_payload(inv, &["PHRASE_ACCESS_TOKEN", "PHRASEAPP_ACCESS_TOKEN"]),
    );
    if let Some(token) = setting("access_token") {
        flow::push_text(&mut credentials, &token);
    }
    let files = |section: &str, list: &str| -> Vec<String> {
        config
            .as_ref()
            .map(|c| listed(&c[section][list], "file"))
            .unwrap_or_default()
            .iter()
            .map(|f| pattern_path(inv.cwd, f))
            .collect()
    };
    let project = args::value(&items, &["--project_id", "--project-id"])
        .map(|p| p.text.clone())
        .or_else(|| setting("project_id"));
    let endpoint = match &project {
        Some(project) => format!("{host}/projects/{project}/uploads"),
        None => format!("{host}/projects"),
    };
    let action = match words.as_slice() {
        ["push", ..] => Action::Upload(files("push", "sources")),
        ["pull", ..] => {
            let targets = files("pull", "targets");
            Action::Download(if targets.is_empty() {
                vec![inv.cwd.to_owned()]
            } else {
                targets
            })
        }
        ["uploads", "create", ..] => Action::Upload(
            args::values(&items, &["--file"])
                .into_iter()
                .map(|f| inv.path(&f.text))
                .collect(),
        ),
        ["init", ..] => Action::Local(vec![inv.path(".phrase.yml")]),
        [] | ["help" | "version" | "completion" | "info", ..] => return Some(Outcome::default()),
        [_, verb, ..] if change_method(verb).is_some() => {
            Action::Change(change_method(verb).unwrap_or("POST"))
        }
        _ => Action::Read,
    };
    Some(perform(inv, &endpoint, action, credentials))
}

/// The `phrase:` section of the configuration the command reads.
fn phrase_config(inv: &Invocation<'_>, items: &[Item<'_>], text_of: &Lookup<'_>) -> Option<Yaml> {
    let candidates = match args::value(items, &["--config"]) {
        Some(file) => vec![inv.path(&file.text)],
        None => [".phrase.yml", ".phraseapp.yml", "~/.phrase.yml"]
            .iter()
            .map(|name| inv.path(name))
            .collect(),
    };
    let document = candidates
        .iter()
        .find_map(|path| text_of(path).and_then(|text| yaml(&text)))?;
    ["phrase", "phraseapp"]
        .iter()
        .map(|key| document[*key].clone())
        .find(|section| !section.is_badvalue())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_globs() {
        assert_eq!(
            pattern_path("/w", "/locales/%two_letters_code%/%original_file_name%"),
            "/w/locales/*/*"
        );
        assert_eq!(
            pattern_path("/w", "src/%original_path%/%file_name%.json"),
            "/w/src/**/*.json"
        );
        assert_eq!(
            pattern_path("/w", "./i18n/<lang>/app.po"),
            "/w/i18n/*/app.po"
        );
        assert_eq!(
            pattern_path("/w", "50% off/<x y>.txt"),
            "/w/50% off/<x y>.txt"
        );
    }

    #[test]
    fn resource_names_match_wildcards() {
        assert!(wildcard("o:acme:p:web:r:*", "o:acme:p:web:r:app"));
        assert!(wildcard("o:acme:p:web:r:app", "o:acme:p:web:r:app"));
        assert!(!wildcard("o:acme:p:web:r:app", "o:acme:p:web:r:docs"));
    }

    #[test]
    fn transifex_sections() {
        let resources = tx_resources(
            "[main]\nhost = https://app.transifex.com\n\n[o:acme:p:web:r:app]\nsource_file = locale/en.json\nfile_filter = locale/<lang>.json\ntrans.pt_BR = locale/pt-br.json\n",
        );
        assert_eq!(resources.len(), 1);
        let app = &resources[0];
        assert_eq!(app.source.as_deref(), Some("locale/en.json"));
        assert_eq!(app.filter.as_deref(), Some("locale/<lang>.json"));
        assert_eq!(
            app.overrides,
            vec![("pt_BR".to_owned(), "locale/pt-br.json".to_owned())]
        );
    }
}
