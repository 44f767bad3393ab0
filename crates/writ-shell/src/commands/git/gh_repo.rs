//! The repository a `gh` command acts on, picked as the GitHub CLI picks
//! it (its manual, `gh help environment` and `--repo`): the `-R/--repo
//! [HOST/]OWNER/REPO` option (or a URL), else the `GH_REPO` variable in
//! the same forms (set on the command, exported earlier on the line),
//! else the working directory's git remote. `GH_HOST` is the host of an
//! `OWNER/REPO` that names none. Every `gh` subcommand reads its
//! repository here, so a host prefix or `GH_REPO` moves them all alike.

use super::super::Invocation;
use crate::args::Arg;

/// The host gh talks to when nothing names another.
const DEFAULT_HOST: &str = "github.com";

/// Command groups whose `-R/--repo` filters results (`gh search issues
/// --repo O/R`, `gh codespace list -R O/R`) instead of choosing the
/// repository the command acts on.
const REPO_FILTER_GROUPS: &[&str] = &["search", "codespace", "cs"];

/// A repository gh names: `OWNER/REPO`, `HOST/OWNER/REPO`, an `https://`
/// URL or a `git@HOST:OWNER/REPO` address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::commands) struct GithubRepo {
    pub host: String,
    pub owner: String,
    pub name: String,
}

impl GithubRepo {
    /// `text` as gh reads a repository; `OWNER/REPO` is on `default_host`.
    pub(in crate::commands) fn parse(text: &str, default_host: &str) -> Option<GithubRepo> {
        let text = text.trim().trim_end_matches('/');
        let text = text.strip_suffix(".git").unwrap_or(text);
        let (host, path) = if let Some((_, rest)) = text.split_once("://") {
            let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
            rest.split_once('/')?
        } else if let Some(rest) = text.strip_prefix("git@") {
            rest.split_once(':')?
        } else {
            match text.split('/').count() {
                3 => text.split_once('/')?,
                2 => (default_host, text),
                _ => return None,
            }
        };
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        let (owner, name) = (parts.next()?, parts.next()?);
        Some(GithubRepo {
            host: host.to_ascii_lowercase(),
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    /// `OWNER/REPO`.
    pub(in crate::commands) fn slug(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// The repository's web address, `https://HOST/OWNER/REPO`.
    pub(in crate::commands) fn url(&self) -> String {
        format!("https://{}/{}/{}", self.host, self.owner, self.name)
    }

    /// Where a request about the repository goes: on github.com, its REST
    /// path `repos/OWNER/REPO/TAIL`; on a GitHub Enterprise Server, the
    /// repository's own address, which names the repository on that host
    /// as its `api/v3/repos/...` path does not to a destination reading.
    pub(in crate::commands) fn api(&self, tail: &str) -> String {
        if self.host != DEFAULT_HOST {
            return self.url();
        }
        let tail = tail.trim_matches('/');
        let base = format!("{}/repos/{}/{}", super::GITHUB_API, self.owner, self.name);
        if tail.is_empty() {
            base
        } else {
            format!("{base}/{tail}")
        }
    }
}

/// What a `gh` command line says about its repository.
#[derive(Debug)]
pub(in crate::commands) struct RepoSelection {
    /// The arguments without `-R/--repo` and its value.
    pub args: Vec<Arg>,
    /// The repository `-R/--repo` or `GH_REPO` names; `None`: the
    /// working directory's.
    pub repo: Option<GithubRepo>,
    /// The host `GH_HOST` names, else github.com.
    pub host: String,
}

impl RepoSelection {
    /// Reads `-R/--repo` (wherever it stands before `--`: `gh secret -R
    /// O/R set X` too), `GH_REPO` and `GH_HOST` from a `gh` invocation.
    pub(in crate::commands) fn read(inv: &Invocation<'_>) -> RepoSelection {
        let host = env_text(inv, "GH_HOST").unwrap_or(DEFAULT_HOST).to_owned();
        let group = inv.args.first().map(|a| a.text.as_str());
        let (args, option) = if group.is_some_and(|g| REPO_FILTER_GROUPS.contains(&g)) {
            (inv.args.to_vec(), None)
        } else {
            split_repo_option(inv.args)
        };
        let repo = option
            .or_else(|| env_text(inv, "GH_REPO").map(str::to_owned))
            .and_then(|text| GithubRepo::parse(&text, &host));
        RepoSelection { args, repo, host }
    }

    /// The REST address of `endpoint` on the selected host:
    /// `https://api.github.com/ENDPOINT`, or a GitHub Enterprise Server's
    /// `https://HOST/api/v3/ENDPOINT`.
    pub(in crate::commands) fn api_url(&self, endpoint: &str) -> String {
        api_url(&self.host, endpoint)
    }
}

/// The REST address of `endpoint` on `host` (github.com's API host, or a
/// GitHub Enterprise Server's `/api/v3/`).
pub(in crate::commands) fn api_url(host: &str, endpoint: &str) -> String {
    let endpoint = endpoint.trim_start_matches('/');
    if host == DEFAULT_HOST {
        format!("{}/{endpoint}", super::GITHUB_API)
    } else {
        format!("https://{host}/api/v3/{endpoint}")
    }
}

/// An environment variable's value when it is set and not empty.
fn env_text<'a>(inv: &'a Invocation<'_>, name: &str) -> Option<&'a str> {
    inv.env_value(name)
        .map(|v| v.text.trim())
        .filter(|v| !v.is_empty())
}

/// `args` without `-R X`, `-RX`, `--repo X` and `--repo=X` (before `--`),
/// and the last such value.
fn split_repo_option(args: &[Arg]) -> (Vec<Arg>, Option<String>) {
    let mut kept = Vec::with_capacity(args.len());
    let mut repo = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if text == "--" {
            kept.push(arg.clone());
            kept.extend(iter.cloned());
            break;
        }
        if text == "-R" || text == "--repo" {
            repo = iter.next().map(|v| v.text.clone());
        } else if let Some(value) = text
            .strip_prefix("--repo=")
            .or_else(|| text.strip_prefix("-R").filter(|v| !v.is_empty()))
        {
            repo = Some(value.to_owned());
        } else {
            kept.push(arg.clone());
        }
    }
    (kept, repo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_forms() {
        let repo = |host: &str, owner: &str, name: &str| {
            Some(GithubRepo {
                host: host.to_owned(),
                owner: owner.to_owned(),
                name: name.to_owned(),
            })
        };
        for (text, default_host, expected) in [
            ("o/r", "github.com", repo("github.com", "o", "r")),
            ("o/r", "ghe.corp.com", repo("ghe.corp.com", "o", "r")),
            (
                "GitHub.com/o/r",
                "ghe.corp.com",
                repo("github.com", "o", "r"),
            ),
            (
                "https://github.com/o/r.git",
                "x",
                repo("github.com", "o", "r"),
            ),
            (
                "git@ghe.corp.com:o/r.git",
                "x",
                repo("ghe.corp.com", "o", "r"),
            ),
            ("r", "github.com", None),
            ("a/b/c/d", "github.com", None),
        ] {
            assert_eq!(GithubRepo::parse(text, default_host), expected, "{text}");
        }
    }

    #[test]
    fn repo_option_forms() {
        let args = |words: &[&str]| -> Vec<Arg> { words.iter().map(|w| Arg::literal(w)).collect() };
        for (words, rest, repo) in [
            (
                &["secret", "-R", "o/r", "set", "X"][..],
                &["secret", "set", "X"][..],
                Some("o/r"),
            ),
            (&["pr", "list", "--repo=o/r"], &["pr", "list"], Some("o/r")),
            (&["pr", "list", "-Ro/r"], &["pr", "list"], Some("o/r")),
            (
                &["repo", "fork", "--", "-R", "x"],
                &["repo", "fork", "--", "-R", "x"],
                None,
            ),
        ] {
            let (kept, found) = split_repo_option(&args(words));
            let kept: Vec<&str> = kept.iter().map(|a| a.text.as_str()).collect();
            assert_eq!(
                (kept.as_slice(), found.as_deref()),
                (rest, repo),
                "{words:?}"
            );
        }
    }
}
