//! The connection a migration runner reads from its configuration files
//! when none is on the line: Rails' `config/database.yml`, Sequelize's
//! `config/config.json`, a `knexfile.js`, Prisma's schema and `.env`,
//! `alembic.ini`, `flyway.conf`, `liquibase.properties`, TypeORM's
//! `ormconfig.json`, Laravel's and dbmate's `.env`.
//!
//! Only files written earlier (on the line or by an earlier step) are
//! known; the block of the environment the run uses is read (Rails'
//! `production:` for `RAILS_ENV=production`, else `development`), and a
//! value taken from a variable (`<%= ENV["DB_HOST"] %>`,
//! `process.env.DB_HOST`, `env("DATABASE_URL")`) is that variable's value
//! on the line, unknown when the line does not set it. Settings written
//! as code (Django's `settings.py`, Ecto's `config/prod.exs`) are not read.

use std::collections::HashMap;

use serde_json::Value as Json;

use super::{Connection, Runner, credentials, dsn_connection, environment, option_value};
use crate::args::Arg;
use crate::commands::Invocation;
use crate::commands::runners::find_file;
use crate::{Payload, flow, paths};

pub(super) use crate::commands::Lookup;

/// A setting in a configuration file.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Map(Vec<(String, Value)>),
    Text(String),
    /// The value of an environment variable (`<%= ENV["X"] %>`,
    /// `process.env.X`, `env("X")`, `${env.X}`).
    Env(String),
    Unknown,
}

impl Value {
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// How a variable a setting names is found: the line's environment, then
/// the `.env` files the runner loads.
struct Env<'a, 'i> {
    inv: &'a Invocation<'i>,
    dotenv: Vec<(String, String)>,
}

impl Env<'_, '_> {
    fn value(&self, name: &str) -> Option<Arg> {
        self.inv.env_value(name).cloned().or_else(|| {
            self.dotenv
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| setting(v))
        })
    }

    /// A setting's value as the run sees it.
    fn resolve(&self, value: &Value) -> Option<Arg> {
        match value {
            Value::Text(text) => Some(setting(text)),
            Value::Env(name) => self.value(name),
            Value::Map(_) | Value::Unknown => None,
        }
    }
}

/// A setting's text, with the variables it expands (`${PW}` in a `.env`
/// value, which dotenv and Prisma expand from the environment).
fn setting(text: &str) -> Arg {
    let mut arg = Arg::literal(text);
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        rest = rest.get(at + 1..).unwrap_or_default();
        let braced = rest.strip_prefix('{');
        let name: String = braced
            .unwrap_or(rest)
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let starts_well = name.chars().next().is_some_and(|c| !c.is_ascii_digit());
        if starts_well && !arg.env.contains(&name) {
            arg.env.push(name);
        }
    }
    arg
}

/// The connection `runner` reads from its configuration when the line
/// names none.
pub(super) fn connection(
    inv: &Invocation<'_>,
    runner: &Runner,
    program: &str,
    words: &[Arg],
    text_of: &Lookup<'_>,
) -> Option<Connection> {
    let named = environment(inv, runner, words);
    let env_name = named.as_deref().unwrap_or("development");
    let file = |names: &[&str], upward: bool| {
        find_file(inv.cwd, names, upward, text_of).map(|(_, path, text)| (path, text))
    };
    let given = |options: &[&str]| {
        option_value(words, options).and_then(|p| {
            let path = inv.path(p);
            text_of(&path).map(|text| (path, text))
        })
    };
    let plain = Env {
        inv,
        dotenv: Vec::new(),
    };
    match program {
        "rails" | "rake" => {
            let (_, text) = file(&["config/database.yml"], true)?;
            let root = yaml(&text);
            let block = root.get(env_name)?;
            // A multi-database block (`production: { primary: {...} }`)
            // migrates each; the primary names the main one.
            let block = if settings_keys(block) {
                block
            } else {
                block.get("primary").or_else(|| first_map(block))?
            };
            settings(&plain, block)
        }
        "sequelize" | "sequelize-cli" => {
            let (_, text) = given(&["config"]).or_else(|| file(&["config/config.json"], false))?;
            let root = json_value(&serde_json::from_str::<Json>(&text).ok()?);
            settings(&plain, root.get(env_name)?)
        }
        "knex" => settings(&plain, &knex_config(inv, runner, words, text_of)?),
        "typeorm" | "typeorm-ts-node-commonjs" | "typeorm-ts-node-esm" => {
            let (_, text) = file(&["ormconfig.json"], false)?;
            let root = serde_json::from_str::<Json>(&text).ok()?;
            let root = match &root {
                Json::Array(items) => items.first()?,
                other => other,
            };
            settings(&plain, &json_value(root))
        }
        "prisma" => prisma(inv, words, text_of),
        "dbmate" => {
            let env_file = option_value(words, &["env-file"]).unwrap_or(".env");
            let env = Env {
                inv,
                dotenv: dotenv(&text_of(&inv.path(env_file))?),
            };
            let variable = option_value(words, &["env", "e"]).unwrap_or("DATABASE_URL");
            dsn_connection(&env.value(variable)?)
        }
        "artisan" => {
            // Laravel loads `.env`, or `.env.ENV` when the environment is named.
            let dir = inv.cwd.to_owned();
            let named_file = named
                .as_deref()
                .and_then(|n| text_of(&paths::resolve(&dir, "/", &format!(".env.{n}"))));
            let text = named_file.or_else(|| text_of(&paths::resolve(&dir, "/", ".env")))?;
            let env = Env {
                inv,
                dotenv: dotenv(&text),
            };
            let block = Value::Map(vec![
                ("url".to_owned(), Value::Env("DB_URL".to_owned())),
                (
                    "database_url".to_owned(),
                    Value::Env("DATABASE_URL".to_owned()),
                ),
                ("host".to_owned(), Value::Env("DB_HOST".to_owned())),
                ("password".to_owned(), Value::Env("DB_PASSWORD".to_owned())),
            ]);
            settings(&env, &block)
        }
        "alembic" => {
            let (_, text) = alembic_ini(inv, words, text_of)?;
            let section = option_value(words, &["n", "name"]).unwrap_or("alembic");
            let url = ini(&text, Some(section), &["sqlalchemy.url"])?.replace("%%", "%");
            dsn_connection(&setting(&url))
        }
        "flyway" => {
            let text = flyway_conf(inv, words, text_of)?;
            let block = Value::Map(vec![
                (
                    "url".to_owned(),
                    placeholder(ini(&text, None, &["flyway.url"])?),
                ),
                (
                    "password".to_owned(),
                    ini(&text, None, &["flyway.password"]).map_or(Value::Unknown, placeholder),
                ),
            ]);
            settings(&plain, &block)
        }
        "liquibase" => {
            let text = liquibase_properties(inv, words, text_of)?;
            let url = ini(&text, None, &["url", "liquibase.command.url"])?;
            let password = ini(&text, None, &["password", "liquibase.command.password"]);
            let block = Value::Map(vec![
                ("url".to_owned(), placeholder(url)),
                (
                    "password".to_owned(),
                    password.map_or(Value::Unknown, placeholder),
                ),
            ]);
            settings(&plain, &block)
        }
        _ => None,
    }
}

/// The block of a knexfile (`--knexfile F`, else a `knexfile.js` here or
/// above) for the environment the run uses, or the whole file when it has
/// none.
pub(super) fn knex_config(
    inv: &Invocation<'_>,
    runner: &Runner,
    words: &[Arg],
    text_of: &Lookup<'_>,
) -> Option<Value> {
    let names = ["knexfile.js", "knexfile.ts", "knexfile.cjs", "knexfile.mjs"];
    let text = option_value(words, &["knexfile"])
        .and_then(|p| text_of(&inv.path(p)))
        .or_else(|| find_file(inv.cwd, &names, true, text_of).map(|(_, _, text)| text))?;
    let root = js_exports(&text)?;
    let named = environment(inv, runner, words);
    let env_name = named.as_deref().unwrap_or("development");
    Some(root.get(env_name).cloned().unwrap_or(root))
}

/// Alembic's configuration (`-c F`, else `alembic.ini` here): its path
/// and text.
pub(super) fn alembic_ini(
    inv: &Invocation<'_>,
    words: &[Arg],
    text_of: &Lookup<'_>,
) -> Option<(String, String)> {
    option_value(words, &["c", "config"])
        .map(|p| inv.path(p))
        .into_iter()
        .chain([inv.path("alembic.ini")])
        .find_map(|path| text_of(&path).map(|text| (path, text)))
}

/// The text of the Flyway configuration a run reads: the first of its
/// `-configFiles`, else `flyway.conf` (or `conf/flyway.conf`) here.
pub(super) fn flyway_conf(
    inv: &Invocation<'_>,
    words: &[Arg],
    text_of: &Lookup<'_>,
) -> Option<String> {
    option_value(words, &["configFiles"])
        .and_then(|files| text_of(&inv.path(files.split(',').next()?)))
        .or_else(|| {
            find_file(
                inv.cwd,
                &["flyway.conf", "conf/flyway.conf"],
                false,
                text_of,
            )
            .map(|(_, _, text)| text)
        })
}

/// The text of Liquibase's defaults file (`--defaults-file F`, else
/// `liquibase.properties` here).
pub(super) fn liquibase_properties(
    inv: &Invocation<'_>,
    words: &[Arg],
    text_of: &Lookup<'_>,
) -> Option<String> {
    option_value(words, &["defaults-file", "defaultsFile"])
        .and_then(|path| text_of(&inv.path(path)))
        .or_else(|| text_of(&inv.path("liquibase.properties")))
}

/// Prisma's datasource: the schema's `url` (or `directUrl`, which
/// migrations use), a literal or `env("NAME")`, whose value comes from the
/// line or the `.env` beside the project or the schema.
fn prisma(inv: &Invocation<'_>, words: &[Arg], text_of: &Lookup<'_>) -> Option<Connection> {
    let dir = inv.cwd.to_owned();
    let schema_path = option_value(words, &["schema"]).map_or_else(
        || {
            ["prisma/schema.prisma", "schema.prisma"]
                .iter()
                .map(|name| paths::resolve(&dir, "/", name))
                .find(|path| text_of(path).is_some())
                .unwrap_or_else(|| paths::resolve(&dir, "/", "prisma/schema.prisma"))
        },
        |path| inv.path(path),
    );
    let schema_dir = schema_path
        .rsplit_once('/')
        .map_or_else(|| dir.clone(), |(d, _)| d.to_owned());
    let mut dotenv_pairs = Vec::new();
    for env_dir in [&schema_dir, &dir] {
        if let Some(text) = text_of(&paths::resolve(env_dir, "/", ".env")) {
            dotenv_pairs.extend(dotenv(&text));
        }
    }
    let env = Env {
        inv,
        dotenv: dotenv_pairs,
    };
    let url = match text_of(&schema_path) {
        Some(schema) => {
            let block = datasource(&schema)?;
            block
                .iter()
                .find(|(k, _)| k == "directUrl")
                .or_else(|| block.iter().find(|(k, _)| k == "url"))
                .map(|(_, v)| v.clone())?
        }
        None => Value::Env("DATABASE_URL".to_owned()),
    };
    dsn_connection(&env.resolve(&url)?)
}

/// The `key = value` settings of a Prisma schema's `datasource` block.
fn datasource(schema: &str) -> Option<Vec<(String, Value)>> {
    let start = schema.find("datasource")?;
    let body = schema.get(start..)?;
    let open = body.find('{')?;
    let close = body.find('}')?;
    let inner = body.get(open + 1..close)?;
    Some(
        inner
            .lines()
            .filter_map(|line| {
                let line = line.split("//").next().unwrap_or_default();
                let (key, value) = line.split_once('=')?;
                let value = value.trim();
                let value = if let Some(rest) = value.strip_prefix("env(") {
                    Value::Env(unquote(rest.trim_end_matches(')').trim()).to_owned())
                } else {
                    Value::Text(unquote(value).to_owned())
                };
                Some((key.trim().to_owned(), value))
            })
            .collect(),
    )
}

/// Whether a block holds connection settings itself (not one block per
/// database).
fn settings_keys(block: &Value) -> bool {
    const KEYS: &[&str] = &["url", "host", "database", "adapter", "username", "password"];
    KEYS.iter().any(|k| block.get(k).is_some())
}

fn first_map(block: &Value) -> Option<&Value> {
    match block {
        Value::Map(entries) => entries
            .iter()
            .map(|(_, v)| v)
            .find(|v| matches!(v, Value::Map(_))),
        _ => None,
    }
}

/// The connection a block of settings names: a URL (`url`,
/// `connectionString`, Sequelize's `use_env_variable`, knex's string
/// `connection`), else a `host`, with the block's password.
fn settings(env: &Env<'_, '_>, block: &Value) -> Option<Connection> {
    if let Some(inner @ Value::Map(_)) = block.get("connection") {
        return settings(env, inner);
    }
    const URLS: &[&str] = &[
        "url",
        "uri",
        "connectionString",
        "connection_string",
        "database_url",
        "connection",
    ];
    let from_variable = block.get("use_env_variable").and_then(|v| match v {
        Value::Text(name) => env.value(name),
        _ => None,
    });
    let url = from_variable.or_else(|| {
        URLS.iter()
            .filter_map(|k| block.get(k))
            .find_map(|v| env.resolve(v))
    });
    let mut connection = match url.as_ref().and_then(dsn_connection) {
        Some(connection) => connection,
        None => {
            let host = ["host", "server", "hostname"]
                .iter()
                .filter_map(|k| block.get(k))
                .find_map(|v| env.resolve(v))?;
            let host = host.text.trim();
            if host.is_empty() {
                return None;
            }
            Connection {
                host: host.to_owned(),
                dsn: None,
                login: Payload::default(),
            }
        }
    };
    for key in ["password", "pass", "pwd"] {
        match block.get(key) {
            Some(Value::Env(name)) => match env.value(name) {
                Some(arg) => flow::merge(&mut connection.login, &arg.payload()),
                None => flow::push_env(&mut connection.login, name),
            },
            Some(Value::Text(text)) => flow::merge(&mut connection.login, &setting(text).payload()),
            _ => {}
        }
    }
    if let Some(url) = &url {
        flow::merge(&mut connection.login, &credentials(url));
    }
    Some(connection)
}

fn unquote(text: &str) -> &str {
    let text = text.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}

/// A value wholly a Flyway or Liquibase placeholder for a variable
/// (`${env.PW}`, `${PW}`) is that variable.
fn placeholder(text: String) -> Value {
    let name = text
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .map(|t| t.strip_prefix("env.").unwrap_or(t));
    match name {
        Some(name) if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            Value::Env(name.to_owned())
        }
        _ => Value::Text(text),
    }
}

/// `KEY=value` lines (`export KEY="value"`), as dotenv reads them.
pub(super) fn dotenv(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.starts_with('#') {
                return None;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, value) = line.split_once('=')?;
            let value = value.trim();
            let value = if value.starts_with(['"', '\'']) {
                unquote(value)
            } else {
                value.split(" #").next().unwrap_or_default().trim()
            };
            Some((key.trim().to_owned(), value.to_owned()))
        })
        .collect()
}

/// The first of `keys` in an INI or properties file (`key = value`, `key:
/// value`), in `section` when one is given.
pub(super) fn ini(text: &str, section: Option<&str>, keys: &[&str]) -> Option<String> {
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with(['#', ';']) || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(name.trim().to_owned());
            continue;
        }
        if section.is_some_and(|s| current.as_deref() != Some(s)) {
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            continue;
        };
        let (key, value) = line.split_at(split);
        let value = value.get(1..).unwrap_or_default();
        if keys.contains(&key.trim()) {
            return Some(value.trim().to_owned());
        }
    }
    None
}

fn json_value(json: &Json) -> Value {
    match json {
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), json_value(v)))
                .collect(),
        ),
        Json::String(s) => Value::Text(s.clone()),
        Json::Number(n) => Value::Text(n.to_string()),
        _ => Value::Unknown,
    }
}

// ---- YAML (the block mappings, anchors and merges database.yml uses) ----

struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// A YAML document's block mappings. Anchors (`&default`) and merge keys
/// (`<<: *default`) are followed; lists and flow collections are unknown;
/// ERB statement lines (`<% if ... %>`) are skipped and an ERB value is
/// the variable it reads (`<%= ENV["DB_HOST"] %>`), else unknown.
pub(super) fn yaml(text: &str) -> Value {
    let lines: Vec<Line<'_>> = text
        .lines()
        .filter_map(|raw| {
            let trimmed = raw.trim_start();
            let text = strip_comment(trimmed).trim_end();
            let skip = text.is_empty()
                || text.starts_with("<%")
                || text == "---"
                || text.starts_with("%YAML");
            (!skip).then_some(Line {
                indent: raw.len() - trimmed.len(),
                text,
            })
        })
        .collect();
    let mut anchors = HashMap::new();
    let mut at = 0;
    let indent = lines.first().map_or(0, |l| l.indent);
    block(&lines, &mut at, indent, &mut anchors)
}

fn block(
    lines: &[Line<'_>],
    at: &mut usize,
    indent: usize,
    anchors: &mut HashMap<String, Value>,
) -> Value {
    let mut explicit: Vec<(String, Value)> = Vec::new();
    let mut merged: Vec<(String, Value)> = Vec::new();
    while let Some(line) = lines.get(*at) {
        if line.indent < indent {
            break;
        }
        *at += 1;
        if line.indent > indent || line.text.starts_with('-') {
            // A list item, or what belongs to one.
            continue;
        }
        let Some((key, rest)) = split_key(line.text) else {
            continue;
        };
        let (anchor, rest) = match rest.strip_prefix('&') {
            Some(after) => {
                let (name, rest) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
                (Some(name.to_owned()), rest.trim())
            }
            None => (None, rest),
        };
        let value = if rest.is_empty() {
            match lines.get(*at) {
                Some(next) if next.indent > indent => block(lines, at, next.indent, anchors),
                _ => Value::Unknown,
            }
        } else if let Some(name) = rest.strip_prefix('*') {
            anchors.get(name.trim()).cloned().unwrap_or(Value::Unknown)
        } else {
            scalar(rest)
        };
        if let Some(anchor) = anchor {
            anchors.insert(anchor, value.clone());
        }
        if key == "<<" {
            if let Value::Map(entries) = value {
                merged.extend(entries);
            }
        } else if let Some(slot) = explicit.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            explicit.push((key, value));
        }
    }
    for (key, value) in merged {
        if !explicit.iter().any(|(k, _)| *k == key) {
            explicit.push((key, value));
        }
    }
    Value::Map(explicit)
}

/// `key: value` or `key:`, the key unquoted.
fn split_key(text: &str) -> Option<(String, &str)> {
    let bytes = text.as_bytes();
    let colon = (0..bytes.len()).find(|&i| {
        bytes.get(i) == Some(&b':') && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
    })?;
    let key = unquote(text.get(..colon)?).to_owned();
    Some((key, text.get(colon + 1..)?.trim()))
}

/// A `#` comment, outside quotes and ERB tags, removed.
fn strip_comment(text: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut erb = false;
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if erb => erb = !(previous == '%' && c == '>'),
            None if previous == '<' && c == '%' => erb = true,
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return text.get(..i).unwrap_or(text),
            None => {}
        }
        previous = c;
    }
    text
}

fn scalar(text: &str) -> Value {
    if text.contains("<%") {
        return erb_variable(text).map_or(Value::Unknown, Value::Env);
    }
    if text.starts_with(['{', '[', '|', '>', '!']) {
        return Value::Unknown;
    }
    Value::Text(unquote(text).to_owned())
}

/// The variable an ERB value reads (`<%= ENV["X"] %>`, `<%= ENV['X'] %>`,
/// `<%= ENV.fetch("X") { ... } %>`).
fn erb_variable(text: &str) -> Option<String> {
    let at = text.find("ENV")?;
    let rest = text.get(at + 3..)?;
    let rest = rest
        .strip_prefix(".fetch(")
        .or_else(|| rest.strip_prefix('['))?
        .trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let name = rest.get(1..)?.split(quote).next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

// ---- JavaScript object literals (knexfile.js) ----

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Str(String),
    /// An identifier, number or dotted name (`process.env.DB_URL`).
    Word(String),
    Punct(char),
}

fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while chars.get(i).is_some_and(|&c| c != '\n') {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars.get(i) == Some(&'*') && chars.get(i + 1) == Some(&'/'))
            {
                i += 1;
            }
            i += 2;
        } else if matches!(c, '"' | '\'' | '`') {
            let mut value = String::new();
            i += 1;
            while let Some(&d) = chars.get(i) {
                i += 1;
                if d == c {
                    break;
                }
                if d == '\\' {
                    if let Some(&e) = chars.get(i) {
                        value.push(e);
                        i += 1;
                    }
                    continue;
                }
                value.push(d);
            }
            // A template with substitutions is not a fixed string.
            if c == '`' && value.contains("${") {
                out.push(Token::Word("`template`".to_owned()));
            } else {
                out.push(Token::Str(value));
            }
        } else if c.is_alphanumeric() || matches!(c, '_' | '$' | '.') {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.'))
            {
                i += 1;
            }
            out.push(Token::Word(
                chars.get(start..i).unwrap_or_default().iter().collect(),
            ));
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// The object a module exports (`module.exports = {...}`, `export default
/// {...}`, or a `const NAME = {...}` one of those names).
fn js_exports(text: &str) -> Option<Value> {
    let tokens = tokens(text);
    let exported = tokens.windows(2).position(|w| {
        matches!(w, [Token::Word(a), Token::Punct('=')] if a == "module.exports")
            || matches!(w, [Token::Word(a), Token::Word(b)] if a == "export" && b == "default")
    })?;
    let mut at = exported + 2;
    if let Some(Token::Word(name)) = tokens.get(at) {
        // `const config = {...}; module.exports = config;`
        let name = name.clone();
        at = tokens.windows(3).position(
            |w| matches!(w, [Token::Word(n), Token::Punct('='), Token::Punct('{')] if *n == name),
        )? + 2;
    }
    match tokens.get(at) {
        Some(Token::Punct('{')) => Some(js_value(&tokens, &mut at)),
        _ => None,
    }
}

/// One value from `at`, which ends past it.
fn js_value(tokens: &[Token], at: &mut usize) -> Value {
    let value = match tokens.get(*at) {
        Some(Token::Punct('{')) => {
            *at += 1;
            let mut entries: Vec<(String, Value)> = Vec::new();
            loop {
                match tokens.get(*at) {
                    None => break,
                    Some(Token::Punct('}')) => {
                        *at += 1;
                        break;
                    }
                    Some(Token::Punct(',')) => *at += 1,
                    Some(Token::Word(key) | Token::Str(key))
                        if tokens.get(*at + 1) == Some(&Token::Punct(':')) =>
                    {
                        let key = key.clone();
                        *at += 2;
                        let value = js_value(tokens, at);
                        entries.retain(|(k, _)| *k != key);
                        entries.push((key, value));
                    }
                    // A spread, a shorthand or a method: skipped.
                    Some(_) => skip_to_delimiter(tokens, at),
                }
            }
            return Value::Map(entries);
        }
        Some(Token::Str(text)) => {
            *at += 1;
            Value::Text(text.clone())
        }
        Some(Token::Word(word)) => {
            *at += 1;
            if let Some(name) = word.strip_prefix("process.env.") {
                Value::Env(name.to_owned())
            } else if word == "process.env"
                && tokens.get(*at) == Some(&Token::Punct('['))
                && let Some(Token::Str(name)) = tokens.get(*at + 1)
                && tokens.get(*at + 2) == Some(&Token::Punct(']'))
            {
                *at += 3;
                Value::Env(name.clone())
            } else if word.chars().all(|c| c.is_ascii_digit()) {
                Value::Text(word.clone())
            } else {
                Value::Unknown
            }
        }
        _ => Value::Unknown,
    };
    // An expression goes on (`process.env.DB || 'localhost'`): not known.
    if matches!(tokens.get(*at), Some(Token::Punct(',' | '}')) | None) {
        value
    } else {
        skip_to_delimiter(tokens, at);
        Value::Unknown
    }
}

/// Past the rest of an entry: up to the `,` or `}` that ends it.
fn skip_to_delimiter(tokens: &[Token], at: &mut usize) {
    let mut depth = 0usize;
    while let Some(token) = tokens.get(*at) {
        match token {
            Token::Punct('{' | '(' | '[') => depth += 1,
            Token::Punct('}' | ')' | ']') if depth > 0 => depth -= 1,
            Token::Punct(',' | '}') if depth == 0 => return,
            _ => {}
        }
        *at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_follows_anchors_and_merges() {
        let doc = yaml(
            "default: &default\n  adapter: postgresql\n  host: localhost # local\n\nproduction:\n  <<: *default\n  host: \"db.prod\"\n  password: <%= ENV[\"PW\"] %>\n",
        );
        let production = doc.get("production");
        assert_eq!(
            production.and_then(|p| p.get("host")),
            Some(&Value::Text("db.prod".to_owned()))
        );
        assert_eq!(
            production.and_then(|p| p.get("adapter")),
            Some(&Value::Text("postgresql".to_owned()))
        );
        assert_eq!(
            production.and_then(|p| p.get("password")),
            Some(&Value::Env("PW".to_owned()))
        );
    }

    #[test]
    fn js_exports_read_env_blocks() {
        let root = js_exports(
            "// c\nmodule.exports = {\n  production: { client: 'pg', connection: { host: 'db.prod', password: process.env.PW, port: 5432 }, pool: { min: 2 } },\n  dev: { connection: process.env.DB || 'x' },\n};\n",
        );
        let connection = root
            .as_ref()
            .and_then(|r| r.get("production"))
            .and_then(|p| p.get("connection"));
        assert_eq!(
            connection.and_then(|c| c.get("password")),
            Some(&Value::Env("PW".to_owned()))
        );
        assert_eq!(
            root.as_ref()
                .and_then(|r| r.get("dev"))
                .and_then(|d| d.get("connection")),
            Some(&Value::Unknown)
        );
    }

    #[test]
    fn ini_and_dotenv() {
        assert_eq!(
            ini(
                "[alembic]\nscript_location = m\nsqlalchemy.url = postgresql://a@h/d\n",
                Some("alembic"),
                &["sqlalchemy.url"]
            ),
            Some("postgresql://a@h/d".to_owned())
        );
        assert_eq!(
            dotenv("# x\nexport DATABASE_URL=\"postgres://h/d\"\nA=b # c\n"),
            vec![
                ("DATABASE_URL".to_owned(), "postgres://h/d".to_owned()),
                ("A".to_owned(), "b".to_owned())
            ]
        );
    }
}
