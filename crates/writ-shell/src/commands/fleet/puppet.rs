//! Puppet run here: `puppet apply -e CODE` / `puppet apply FILE.pp` (the
//! manifest's text when it is on the line or an earlier step wrote it),
//! `puppet resource TYPE TITLE attr=value...`, `puppet module install`,
//! and `puppet agent -t`, which applies the catalog the server compiles
//! for the environment it names. A manifest's resources are read from
//! the Puppet language: `file { 'PATH': ensure => absent }` deletes PATH,
//! any other `file` writes it (with its `content`, or the local file its
//! `source` names), `exec { 'NAME': command => '...' }` runs its command
//! (and its `onlyif`/`unless` tests) as shell text, `package` installs,
//! `service ... ensure => stopped` stops, `ssh_authorized_key` adds a key
//! to its user's `authorized_keys`. `--noop` changes nothing.

use super::super::{Invocation, Lookup, Nested, Outcome};
use super::shell;
use crate::args::{self, Arg, Spec};
use crate::{Deploy, Effect, PackageInstall, Payload, flow};

/// `puppet`'s options that take a value, over its subcommands.
const PUPPET_SPEC: Spec<'static> = Spec {
    short: "elm",
    long: &[
        "execute",
        "logdest",
        "modulepath",
        "environment",
        "catalog",
        "confdir",
        "vardir",
        "codedir",
        "hiera_config",
        "tags",
        "skip_tags",
        "server",
        "certname",
        "masterport",
        "serverport",
        "color",
        "target-dir",
        "version",
        "environmentpath",
        "basemodulepath",
        "manifest",
        "waitforcert",
        "splay",
        "splaylimit",
        "runinterval",
        "ca_server",
        "to_yaml",
    ],
    stop_after: None,
};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    puppet(inv, &|_| None)
}

/// `puppet apply FILE.pp` again with the text of a manifest an earlier
/// step wrote.
pub(crate) fn written_manifests(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if inv.program != "puppet" {
        return;
    }
    if let Some(again) = puppet(inv, text_of) {
        *outcome = again;
    }
}

/// The `puppet` subcommands that change this machine.
fn puppet(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &PUPPET_SPEC);
    let words = args::positionals(&items);
    let (verb, operands) = words.split_first()?;
    let noop = args::has(&items, &["--noop"]);
    let mut outcome = Outcome::default();
    match verb.text.as_str() {
        "apply" => {
            let mut manifests: Vec<(Arg, String)> = args::values(&items, &["-e", "--execute"])
                .into_iter()
                .map(|code| (code.clone(), code.text.clone()))
                .collect();
            if let Some(file) = operands.first() {
                let path = inv.path(&file.text);
                outcome.read(path.clone(), false);
                if let Some(text) = text_of(&path) {
                    manifests.push((Arg::default(), text));
                } else if !noop {
                    outcome
                        .opaque
                        .push(format!("puppet apply runs the manifest {path}"));
                }
            }
            if noop {
                return Some(outcome);
            }
            for (source, text) in &manifests {
                for resource in resources(text) {
                    apply(inv, &resource, source, &mut outcome);
                }
            }
        }
        "resource" => {
            let (kind, rest) = operands.split_first()?;
            let (title, settings) = rest.split_first()?;
            let attributes: Vec<(String, String)> = settings
                .iter()
                .filter_map(|s| s.text.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            if attributes.is_empty() || noop {
                return Some(outcome);
            }
            let resource = Resource {
                kind: kind.text.to_ascii_lowercase(),
                title: title.text.clone(),
                attributes,
            };
            apply(inv, &resource, title, &mut outcome);
        }
        "agent" => {
            let onetime = args::has(&items, &["-t", "--test", "--onetime"]);
            if noop || !onetime {
                return Some(outcome);
            }
            for environment in args::values(&items, &["--environment", "-E"]) {
                outcome.effects.push(Effect::Deploy(Deploy {
                    program: "puppet".to_owned(),
                    environment: environment.text.clone(),
                    service: None,
                    production: false,
                }));
            }
        }
        "module" => {
            if operands.first().is_some_and(|w| w.text == "install") {
                let packages: Vec<String> =
                    operands.iter().skip(1).map(|w| w.text.clone()).collect();
                if !packages.is_empty() {
                    outcome.effects.push(Effect::PackageInstall(PackageInstall {
                        manager: "puppet".to_owned(),
                        packages,
                        registry: None,
                    }));
                }
            }
        }
        _ => return None,
    }
    Some(outcome)
}

/// One resource declaration: its type, title and attributes (each value
/// as text; an array's items joined with spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Resource {
    kind: String,
    title: String,
    attributes: Vec<(String, String)>,
}

impl Resource {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What one resource does here; `source` is the word the manifest came
/// from, whose expansions its texts carry.
fn apply(inv: &Invocation<'_>, resource: &Resource, source: &Arg, outcome: &mut Outcome) {
    if resource.attribute("noop") == Some("true") {
        return;
    }
    let ensure = resource.attribute("ensure");
    match resource.kind.as_str() {
        "file" => {
            let path = resource.attribute("path").unwrap_or(&resource.title);
            if !path.starts_with('/') && !path.starts_with('~') {
                return;
            }
            let path = inv.path(path);
            if ensure == Some("absent") {
                outcome.delete(path, resource.attribute("force") == Some("true"));
                return;
            }
            let mut carries = Payload::default();
            if let Some(content) = resource.attribute("content") {
                flow::push_text(&mut carries, content);
                flow::merge(&mut carries, &source.expansions());
            }
            if let Some(local) = resource.attribute("source").and_then(local_source) {
                let local = inv.path(local);
                let recursive = resource.attribute("recurse") == Some("true");
                outcome.read(local.clone(), recursive);
                flow::push_file(
                    &mut carries,
                    crate::FileRef {
                        path: local,
                        recursive,
                        excludes: Vec::new(),
                    },
                );
            }
            outcome.contents.push((path.clone(), carries));
            outcome.write(path, false);
        }
        "exec" => {
            let command = resource.attribute("command").unwrap_or(&resource.title);
            let cwd = resource
                .attribute("cwd")
                .filter(|d| d.starts_with('/'))
                .map(str::to_owned);
            let tests = ["onlyif", "unless"]
                .into_iter()
                .filter_map(|name| resource.attribute(name));
            for text in std::iter::once(command).chain(tests) {
                outcome.nested.push(Nested::Argv {
                    argv: shell(&source.with_text(text)),
                    env: Vec::new(),
                    cwd: cwd.clone(),
                });
            }
        }
        "package" if !matches!(ensure, Some("absent" | "purged" | "disabled")) => {
            let name = resource.attribute("name").unwrap_or(&resource.title);
            outcome.effects.push(Effect::PackageInstall(PackageInstall {
                manager: resource
                    .attribute("provider")
                    .unwrap_or("puppet")
                    .to_owned(),
                packages: vec![name.to_owned()],
                registry: resource.attribute("source").map(str::to_owned),
            }));
        }
        "service" if matches!(ensure, Some("stopped" | "false")) => {
            let name = resource.attribute("name").unwrap_or(&resource.title);
            outcome.effects.push(Effect::StopProcess {
                name: name.to_owned(),
            });
        }
        "ssh_authorized_key" if ensure != Some("absent") => {
            let target = match (resource.attribute("target"), resource.attribute("user")) {
                (Some(target), _) => inv.path(target),
                (None, Some("root")) => "/root/.ssh/authorized_keys".to_owned(),
                (None, Some(user)) => format!("/home/{user}/.ssh/authorized_keys"),
                (None, None) => return,
            };
            outcome.write(target, true);
        }
        _ => {}
    }
}

/// The local path a `source` names (`/srv/x`, `file:///srv/x`); `puppet:`
/// URLs are the server's files.
fn local_source(source: &str) -> Option<&str> {
    if let Some(path) = source.strip_prefix("file://") {
        return Some(path);
    }
    source.starts_with('/').then_some(source)
}

/// A token of the Puppet language.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A bare word, variable or number.
    Word(String),
    /// A quoted string's text.
    Text(String),
    /// Punctuation: `{ } [ ] ( ) : ; , => + ...`.
    Punct(String),
}

/// The tokens of manifest text; comments dropped.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        if c.is_whitespace() {
            at += 1;
        } else if c == '#' {
            while chars.get(at).is_some_and(|&c| c != '\n') {
                at += 1;
            }
        } else if c == '/' && chars.get(at + 1) == Some(&'*') {
            at += 2;
            while at < chars.len() && !(chars[at] == '*' && chars.get(at + 1) == Some(&'/')) {
                at += 1;
            }
            at += 2;
        } else if c == '\'' || c == '"' {
            let (string, next) = quoted(&chars, at + 1, c);
            out.push(Token::Text(string));
            at = next;
        } else if c == '=' && chars.get(at + 1) == Some(&'>') {
            out.push(Token::Punct("=>".to_owned()));
            at += 2;
        } else if c.is_alphanumeric()
            || matches!(c, '_' | '$' | ':' | '-' | '.') && word_char_follows(&chars, at)
        {
            let start = at;
            while chars.get(at).is_some_and(|&c| {
                c.is_alphanumeric()
                    || matches!(c, '_' | '$' | '-' | '.')
                    || c == ':' && chars.get(at + 1) == Some(&':')
            }) {
                at += if chars[at] == ':' { 2 } else { 1 };
            }
            if at == start {
                at += 1;
            }
            out.push(Token::Word(chars[start..at].iter().collect()));
        } else {
            out.push(Token::Punct(c.to_string()));
            at += 1;
        }
    }
    out
}

/// True when the character at `at` starts a word (`$x`, `::x`), not
/// punctuation.
fn word_char_follows(chars: &[char], at: usize) -> bool {
    match chars.get(at) {
        Some(':') => chars.get(at + 1) == Some(&':'),
        Some('$' | '_') => true,
        Some('-' | '.') => chars.get(at + 1).is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// A quoted string from `at` (after its opening quote) and where it
/// ends: `\\` and `\'` escapes in single quotes, the usual ones in double.
fn quoted(chars: &[char], mut at: usize, quote: char) -> (String, usize) {
    let mut out = String::new();
    while let Some(&c) = chars.get(at) {
        at += 1;
        if c == quote {
            break;
        }
        if c == '\\'
            && let Some(&next) = chars.get(at)
        {
            let escaped = match (quote, next) {
                ('\'', '\\' | '\'') => Some(next),
                ('"', 'n') => Some('\n'),
                ('"', 't') => Some('\t'),
                ('"', '\\' | '"' | '$' | '\'') => Some(next),
                _ => None,
            };
            if let Some(escaped) = escaped {
                out.push(escaped);
                at += 1;
                continue;
            }
        }
        out.push(c);
    }
    (out, at)
}

/// The resource declarations in manifest text: `TYPE { TITLE: attr =>
/// value, ...; TITLE2: ... }`, a title a string or an array of them (one
/// resource each); in classes, defines and node blocks alike.
fn resources(text: &str) -> Vec<Resource> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        if let (Some(Token::Word(kind)), Some(Token::Punct(open))) =
            (tokens.get(at), tokens.get(at + 1))
            && open == "{"
            && is_type_name(kind)
            && let Some((bodies, next)) = bodies(&tokens, at + 2)
        {
            for (titles, attributes) in bodies {
                for title in titles {
                    found.push(Resource {
                        kind: kind.to_ascii_lowercase(),
                        title,
                        attributes: attributes.clone(),
                    });
                }
            }
            at = next;
            continue;
        }
        at += 1;
    }
    found
}

/// A resource type's name (`file`, `apt::source`), not a keyword.
fn is_type_name(word: &str) -> bool {
    !matches!(
        word,
        "class" | "define" | "node" | "if" | "else" | "elsif" | "unless" | "case" | "default"
    ) && word.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

/// The bodies of a declaration from `at` (after its `{`) to its `}`:
/// each body's titles and attributes; `None` when it is not one (a class
/// body, a hash).
#[allow(clippy::type_complexity)]
fn bodies(
    tokens: &[Token],
    mut at: usize,
) -> Option<(Vec<(Vec<String>, Vec<(String, String)>)>, usize)> {
    let mut out = Vec::new();
    loop {
        let (titles, next) = value(tokens, at)?;
        if tokens.get(next) != Some(&Token::Punct(":".to_owned())) {
            return None;
        }
        at = next + 1;
        let mut attributes = Vec::new();
        loop {
            match tokens.get(at) {
                Some(Token::Punct(p)) if p == "}" => {
                    out.push((titles, attributes));
                    return Some((out, at + 1));
                }
                Some(Token::Punct(p)) if p == ";" => {
                    at += 1;
                    if tokens.get(at) == Some(&Token::Punct("}".to_owned())) {
                        out.push((titles, attributes));
                        return Some((out, at + 1));
                    }
                    break;
                }
                Some(Token::Punct(p)) if p == "," => at += 1,
                Some(Token::Word(name))
                    if tokens.get(at + 1) == Some(&Token::Punct("=>".to_owned())) =>
                {
                    let (values, next) = value(tokens, at + 2)?;
                    attributes.push((name.clone(), values.join(" ")));
                    at = next;
                }
                _ => return None,
            }
        }
        out.push((titles, attributes));
    }
}

/// A value from `at`: a string, a word, or an array of them (nested
/// hashes and calls are skipped), and where it ends.
fn value(tokens: &[Token], at: usize) -> Option<(Vec<String>, usize)> {
    match tokens.get(at)? {
        Token::Text(text) | Token::Word(text) => Some((vec![text.clone()], at + 1)),
        Token::Punct(p) if p == "[" || p == "{" => {
            let close = if p == "[" { "]" } else { "}" };
            let mut items = Vec::new();
            let mut depth = 0usize;
            let mut next = at + 1;
            while let Some(token) = tokens.get(next) {
                next += 1;
                match token {
                    Token::Punct(p) if p == "[" || p == "{" => depth += 1,
                    Token::Punct(p) if (p == "]" || p == "}") && depth > 0 => depth -= 1,
                    Token::Punct(p) if p == close && depth == 0 => return Some((items, next)),
                    Token::Text(text) | Token::Word(text) if depth == 0 && p == "[" => {
                        items.push(text.clone());
                    }
                    _ => {}
                }
            }
            None
        }
        Token::Punct(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_resource_declarations() {
        let found = resources(
            "class x { file { '/a': ensure => absent; ['/b', \"/c\"]: content => 'hi', } \
             exec { 'run': command => \"/bin/echo 1\", cwd => '/tmp' } }",
        );
        let titles: Vec<(&str, &str)> = found
            .iter()
            .map(|r| (r.kind.as_str(), r.title.as_str()))
            .collect();
        assert_eq!(
            titles,
            [
                ("file", "/a"),
                ("file", "/b"),
                ("file", "/c"),
                ("exec", "run")
            ]
        );
        assert_eq!(found[0].attribute("ensure"), Some("absent"));
        assert_eq!(found[1].attribute("content"), Some("hi"));
        assert_eq!(found[3].attribute("command"), Some("/bin/echo 1"));
    }
}
