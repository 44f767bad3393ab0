//! Version control systems other than git: Mercurial (`hg`, `hg.rs`),
//! Subversion (`svn`, `svn.rs`) and Fossil (`fossil`, `fossil.rs`). Each
//! sends the repository's changesets the way `git push` does (a
//! [`GitPush`](crate::GitPush) to the URL or path alias it names), writes
//! the repository's contents to files a later upload carries (`hg bundle`,
//! `svn export`, as `git bundle create` does), and sends the credentials
//! written into its URL or options to the server it talks to.

mod fossil;
mod hg;
mod svn;

use super::{Invocation, Outcome, request, url};
use crate::args::Arg;
use crate::{Effect, Payload, RefSpec, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "hg" | "chg" => Some(hg::hg(inv)),
        "svn" => Some(svn::svn(inv)),
        "fossil" => Some(fossil::fossil(inv)),
        _ => None,
    }
}

/// The repository's contents: what a push, a bundle or an export carries
/// (the organisation's code when the workspace is its repository).
fn repository_contents() -> Payload {
    Payload {
        repository: true,
        ..Payload::default()
    }
}

/// A push of the repository at `dir` to `remote` (a URL, or a name the
/// repository's settings or the deployment resolve), of the revisions
/// `revisions` names (none: the current branch), as `git push` is.
fn changesets_push(dir: &str, remote: &str, revisions: Vec<RefSpec>, force: bool) -> Effect {
    super::git::repository_push(dir, Some(remote), revisions, force)
}

/// A named revision (a branch, a bookmark) pushed as itself; `.`, the
/// working directory's revision, is the branch checked out.
fn revision(name: &str) -> RefSpec {
    if name == "." {
        return RefSpec {
            src: Some("HEAD".to_owned()),
            dst: None,
            force: false,
            delete: false,
        };
    }
    RefSpec {
        src: Some(name.to_owned()),
        dst: None,
        force: false,
        delete: false,
    }
}

/// What goes to the server `target` with every request besides the
/// repository: the credentials written into its URL
/// (`https://user:$TOKEN@host/...`) and those given as options
/// (`--password "$P"`), as a request of their own, the way `git push URL`
/// reports them. Nothing when there are none.
fn credentials_request(
    program: &str,
    target: &str,
    url_arg: Option<&Arg>,
    given: &[&Arg],
) -> Option<Effect> {
    let mut carried = url_arg.map(Arg::expansions).unwrap_or_default();
    for credential in given {
        flow::merge(&mut carried, &credential.payload());
    }
    (!carried.is_empty()).then(|| request(program, url(target), "POST", carried, false))
}

/// True for a URL a client reaches over the network (not `file://`, not a
/// path).
fn is_network_url(text: &str) -> bool {
    text.split_once("://")
        .is_some_and(|(scheme, _)| !scheme.eq_ignore_ascii_case("file") && !scheme.is_empty())
}

/// A download from `source` (clone, pull, checkout), carrying the
/// credentials its URL holds.
fn download(program: &str, source: &Arg, given: &[&Arg]) -> Vec<Effect> {
    let mut payload = source.expansions();
    for credential in given {
        flow::merge(&mut payload, &credential.payload());
    }
    vec![request(
        program,
        url(&source.text),
        "DOWNLOAD",
        payload,
        false,
    )]
}

/// A file (or directory) written at `path` holding the repository's
/// contents, so that a later upload of it carries them.
fn write_repository(outcome: &mut Outcome, path: String) {
    outcome.write(path.clone(), false);
    outcome.contents.push((path, repository_contents()));
}
