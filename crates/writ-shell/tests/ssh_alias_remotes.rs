//! git reaches a remote whose URL goes over ssh (`git@gh-work:org/app.git`,
//! `ssh://git@mirror/org/app.git`) through ssh's configuration written or
//! read earlier (`~/.ssh/config`, or the `-F FILE` of `GIT_SSH_COMMAND`):
//! an alias's `HostName` is the host of the remotes git sets, the URLs it
//! pushes to, and those it clones and fetches from.

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::Value;
use writ_shell::WrittenFile;

const CONFIG: &str = "Include ~/.orbstack/ssh/config\n\nHost gh-work\n  HostName github.com\n  User git\n  IdentityFile ~/.ssh/id_work\n\nHost mirror m-*\n  HostName git.mirror.example\n  Port 2222\n\nHost self\n  HostName %h.corp.example\n\nHost *\n  ServerAliveInterval 30\n";

const SSH_CONFIG: &str = "/home/dana/.ssh/config";

/// The effects of `command` after `files` (absolute paths, with their
/// text) were written.
fn after(files: &[(&str, &str)], command: &str) -> Vec<Value> {
    let written: Vec<WrittenFile> = files
        .iter()
        .map(|(path, text)| text_file(path, text))
        .collect();
    effects_after(&written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The one value of `field` among the effects of `kind`.
fn only(effects: &[Value], kind: &str, field: &str) -> Value {
    let found = of_kind(effects, kind);
    assert_eq!(found.len(), 1, "{kind}: {effects:?}");
    found[0][field].clone()
}

#[test]
fn a_remote_set_through_an_alias_is_its_host() {
    for (command, url) in [
        (
            "git remote set-url origin git@gh-work:acme/web.git",
            "git@github.com:acme/web.git",
        ),
        (
            "git remote add backup ssh://git@mirror/acme/web.git",
            "ssh://git@git.mirror.example/acme/web.git",
        ),
        // A pattern's alias, and a port kept as the URL gives it.
        (
            "git remote add b2 git+ssh://m-eu:2200/acme/web.git",
            "git+ssh://git.mirror.example:2200/acme/web.git",
        ),
        // `%h` is the alias itself.
        (
            "git config remote.origin.url self:acme/web.git",
            "self.corp.example:acme/web.git",
        ),
    ] {
        let effects = after(&[(SSH_CONFIG, CONFIG)], command);
        assert_eq!(only(&effects, "git_remote", "url"), url, "{command}");
    }
}

#[test]
fn push_urls_and_pushed_urls_through_an_alias() {
    let files = [(SSH_CONFIG, CONFIG)];
    for command in [
        "git config remote.origin.pushurl git@mirror:me/web.git",
        "git remote set-url --push origin git@mirror:me/web.git",
    ] {
        let effects = after(&files, command);
        assert_eq!(
            only(&effects, "git_setting", "value"),
            "git@git.mirror.example:me/web.git",
            "{command}"
        );
    }
    for command in [
        "git push git@mirror:me/web.git main",
        "git remote add fork git@mirror:me/web.git && git push fork main",
    ] {
        let effects = after(&files, command);
        assert_eq!(
            only(&effects, "git_push", "remote"),
            "git@git.mirror.example:me/web.git",
            "{command}"
        );
    }
}

#[test]
fn clones_and_fetches_through_an_alias() {
    let files = [(SSH_CONFIG, CONFIG)];
    for (command, url) in [
        (
            "git clone git@gh-work:acme/web.git",
            "git@github.com:acme/web.git",
        ),
        (
            "git fetch ssh://mirror/acme/web.git",
            "ssh://git.mirror.example/acme/web.git",
        ),
    ] {
        let effects = after(&files, command);
        let target = only(&effects, "request", "target");
        assert_eq!(target["url"], url, "{command}");
    }
}

#[test]
fn git_ssh_command_names_the_configuration() {
    let other = "Host gh-work\n  HostName git.other.example\n";
    let files = [(SSH_CONFIG, CONFIG), ("/home/dana/work.conf", other)];
    let effects = after(
        &files,
        "GIT_SSH_COMMAND='ssh -F /home/dana/work.conf -i ~/.ssh/id_work' git clone git@gh-work:acme/web.git",
    );
    // git's own download, beside the ssh it runs to reach the host.
    let git: Vec<&Value> = effects
        .iter()
        .filter(|e| e["effect"] == "request" && e["program"] == "git")
        .collect();
    assert_eq!(git.len(), 1, "{effects:?}");
    assert_eq!(
        git[0]["target"]["url"],
        "git@git.other.example:acme/web.git"
    );
}

#[test]
fn other_urls_stay_as_written() {
    for (files, command, url) in [
        // The configuration not known.
        (
            &[][..],
            "git remote set-url origin git@gh-work:acme/web.git",
            "git@gh-work:acme/web.git",
        ),
        // A host no block renames (`Host *` names no `HostName`).
        (
            &[(SSH_CONFIG, CONFIG)][..],
            "git remote set-url origin git@gitlab.com:acme/web.git",
            "git@gitlab.com:acme/web.git",
        ),
        // Not over ssh: a web URL, a path.
        (
            &[(SSH_CONFIG, CONFIG)][..],
            "git remote set-url origin https://gh-work/acme/web.git",
            "https://gh-work/acme/web.git",
        ),
        (
            &[(SSH_CONFIG, CONFIG)][..],
            "git remote add local ./mirror:repo",
            "./mirror:repo",
        ),
    ] {
        let effects = after(files, command);
        assert_eq!(only(&effects, "git_remote", "url"), url, "{command}");
    }
}
