//! Conan, the C and C++ package manager, whose remotes are names in the
//! user's configuration: `conan remote add|update NAME URL` sets where
//! one leads (kept among the remotes set as the [`Target::ToolRemote`]
//! `conan:NAME`, so a later `conan upload -r NAME` resolves through the
//! line or the session as a `dvc push` does), `conan remote remove`
//! forgets it. `conan upload` sends packages to the remote it names and
//! `conan remote login` (Conan 1's `conan user -p`) sends the password;
//! the credentials in `CONAN_PASSWORD`/`CONAN_LOGIN_USERNAME` (and their
//! `_REMOTE` forms) go with each. A remote nothing set is Conan's own
//! `conancenter`, else no destination writ knows of. Installs and builds
//! fetch what the project needs: nothing is sent.

use super::super::publish::credentials;
use super::super::{Invocation, Outcome, request, url};
use crate::args::Arg;
use crate::{Effect, Payload, Target, flow};

/// Where Conan 2's predefined remote `conancenter` leads.
const CONAN_CENTER: &str = "https://center2.conan.io";

/// Options of the Conan commands read here that take a value as the next
/// word (Conan 2's and Conan 1's; argparse also takes `--name=value`).
const VALUE_OPTIONS: &[&str] = &[
    "-f",
    "--format",
    "--out-file",
    "-cc",
    "--core-conf",
    "-r",
    "--remote",
    "-l",
    "--list",
    "-m",
    "--metadata",
    "-q",
    "--query",
    "--package-query",
    "--package",
    "--retry",
    "--retry-wait",
    "-no",
    "--policy",
    "-j",
    "--json",
    "--url",
    "--index",
    "-i",
    "--insert",
    "-ap",
    "--allowed-packages",
    "-t",
    "--type",
];

/// Options whose value may be left out (argparse's `nargs='?'`): they
/// take the next word unless it is an option. `-p` is a password for
/// `remote login` and `user`, a package query for `upload`.
const OPTIONAL_VALUES: &[&str] = &["-p", "--password"];

/// Conan's output levels, the values `-v` may take as the next word.
const VERBOSITY: &[&str] = &[
    "quiet", "error", "warning", "notice", "status", "verbose", "debug", "v", "trace", "vv",
];

/// A Conan command's words: its positionals, and its options with their
/// values.
struct ConanLine<'a> {
    words: Vec<&'a Arg>,
    options: Vec<(String, Option<Arg>)>,
}

impl ConanLine<'_> {
    fn read(args: &[Arg]) -> ConanLine<'_> {
        let mut line = ConanLine {
            words: Vec::new(),
            options: Vec::new(),
        };
        let mut iter = args.iter().peekable();
        while let Some(word) = iter.next() {
            let text = word.text.as_str();
            if !text.starts_with('-') || text == "-" {
                line.words.push(word);
                continue;
            }
            if let Some((name, value)) = text.split_once('=').filter(|_| text.starts_with("--")) {
                line.options
                    .push((name.to_owned(), Some(word.with_text(value))));
                continue;
            }
            let takes_next = VALUE_OPTIONS.contains(&text)
                || (OPTIONAL_VALUES.contains(&text)
                    && iter.peek().is_some_and(|next| !next.text.starts_with('-')))
                || (text == "-v"
                    && iter
                        .peek()
                        .is_some_and(|next| VERBOSITY.contains(&next.text.as_str())));
            let value = if takes_next {
                iter.next().cloned()
            } else {
                None
            };
            line.options.push((text.to_owned(), value));
        }
        line
    }

    /// The last value of an option called one of `names`.
    fn value(&self, names: &[&str]) -> Option<&Arg> {
        self.options
            .iter()
            .rev()
            .find(|(name, _)| names.contains(&name.as_str()))
            .and_then(|(_, value)| value.as_ref())
    }

    fn has(&self, names: &[&str]) -> bool {
        self.options
            .iter()
            .any(|(name, _)| names.contains(&name.as_str()))
    }

    /// The positional words, as text.
    fn texts(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.text.as_str()).collect()
    }
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program != "conan" {
        return None;
    }
    let line = ConanLine::read(inv.args);
    let texts = line.texts();
    let outcome = match texts.as_slice() {
        ["remote", "add", name, location, ..] => note(inv, name, location),
        ["remote", "update", name, rest @ ..] => {
            // Conan 2's `--url URL`; Conan 1's `update NAME URL`.
            let location = line
                .value(&["--url"])
                .map(|u| u.text.as_str())
                .or_else(|| rest.first().copied());
            location.map_or_else(Outcome::default, |l| note(inv, name, l))
        }
        ["remote", "remove" | "rm", names @ ..] => forget(names),
        ["remote", "login" | "auth", name, user @ ..] => {
            login(inv, &line, name, user.first().copied())
        }
        // Conan 1: `conan user [NAME] -r REMOTE -p PASSWORD`.
        ["user", user @ ..] => match line.value(&["-r", "--remote"]) {
            Some(remote) => login(inv, &line, &remote.text, user.first().copied()),
            None => Outcome::default(),
        },
        ["upload", pattern @ ..] => upload(inv, &line, pattern),
        // Listing, enabling and disabling remotes change nothing remote.
        ["remote", ..] => Outcome::default(),
        _ => return None,
    };
    Some(outcome)
}

/// The name a remote of Conan's is kept under among the remotes set: one
/// no git remote can have. Conan's remotes are the user's, so they serve
/// every directory (`/`).
fn remote_key(name: &str) -> String {
    format!("conan:{name}")
}

/// The remote `name` as a destination: where the line or the session set
/// it to lead, else `conancenter`'s server for that name, else none.
fn remote_target(name: &str) -> Target {
    let unset = (name == "conancenter").then(|| Box::new(url(CONAN_CENTER)));
    Target::ToolRemote {
        repo_dir: "/".to_owned(),
        name: remote_key(name),
        path: None,
        unset,
    }
}

/// `NAME` leads to `location` from now on: a server's URL as written, a
/// path (a local recipes index) as the directory it names.
fn note(inv: &Invocation<'_>, name: &str, location: &str) -> Outcome {
    let url = if location.contains("://") {
        location.trim_end_matches('/').to_owned()
    } else {
        inv.path(location)
    };
    Outcome::default().effect(Effect::GitRemote {
        repo_dir: "/".to_owned(),
        name: remote_key(name),
        url,
    })
}

/// `conan remote remove NAME...`: each leads nowhere known from now on
/// (an empty location).
fn forget(names: &[&str]) -> Outcome {
    let mut outcome = Outcome::default();
    for name in names {
        outcome.effects.push(Effect::GitRemote {
            repo_dir: "/".to_owned(),
            name: remote_key(name),
            url: String::new(),
        });
    }
    outcome
}

/// `conan remote login NAME [USER] [-p PASSWORD]`: the user and password
/// (or those of its variables) go to the remote.
fn login(inv: &Invocation<'_>, line: &ConanLine<'_>, name: &str, user: Option<&str>) -> Outcome {
    let mut payload = credentials(inv, &[], &[]);
    if let Some(password) = line.value(&["-p", "--password"]) {
        flow::merge(&mut payload, &password.payload());
    }
    if let Some(user) = user {
        flow::push_text(&mut payload, user);
    }
    Outcome::default().effect(request(
        inv.program,
        remote_target(name),
        "POST",
        payload,
        false,
    ))
}

/// `conan upload PATTERN -r NAME`: the recipes and binaries the pattern
/// names, from Conan's cache, go to the remote with the credentials.
/// Conan 2 requires `-r`; Conan 1 without it uses the first remote of the
/// user's list, which the line does not show. `--dry-run` (Conan 1's
/// `--skip-upload`) sends nothing.
fn upload(inv: &Invocation<'_>, line: &ConanLine<'_>, pattern: &[&str]) -> Outcome {
    let Some(remote) = line.value(&["-r", "--remote"]) else {
        return Outcome::default();
    };
    if line.has(&["--dry-run", "--skip-upload"]) {
        return Outcome::default();
    }
    let mut payload: Payload = credentials(inv, &[], &[]);
    for reference in pattern {
        flow::push_text(&mut payload, reference);
    }
    Outcome::default().effect(request(
        inv.program,
        remote_target(&remote.text),
        "UPLOAD",
        payload,
        false,
    ))
}
