//! Deployment facts read from the machine for a writ nobody configured:
//! the working directory is the workspace, `$HOME` is home, the
//! repository's git remotes are the organisation's repositories and its
//! checked-out branch is known. Shared by the CLI and `writ serve`.

use std::collections::BTreeMap;
use std::path::Path;

use writ_core::Deployment;

/// Facts read from the working directory and the environment.
pub fn environment_deployment(cwd: &Path) -> Deployment {
    environment_deployment_at(cwd, std::env::var("HOME").ok().as_deref())
}

/// [`environment_deployment`] for a process whose working directory is
/// `cwd` and whose `$HOME` is `home`.
pub fn environment_deployment_at(cwd: &Path, home: Option<&str>) -> Deployment {
    let home = home.unwrap_or("/").to_owned();
    let remotes = git_remotes(cwd);
    let org_repos: Vec<String> = remotes
        .values()
        .filter_map(|url| writ_detect::destination::parse_destination(url).and_then(|d| d.repo))
        .map(|r| format!("{}/{}/*", r.host, r.owner))
        .collect();
    Deployment {
        workspace: Some(cwd.display().to_string()),
        home: Some(home),
        git_branch: git_branch(cwd),
        org_repos: (!org_repos.is_empty()).then_some(org_repos),
        git_remotes: (!remotes.is_empty()).then_some(remotes),
        ..Deployment::default()
    }
}

/// `[remote "NAME"] url = URL` entries of the repository's git config.
fn git_remotes(cwd: &Path) -> BTreeMap<String, String> {
    let mut remotes = BTreeMap::new();
    let Ok(config) = std::fs::read_to_string(cwd.join(".git/config")) else {
        return remotes;
    };
    let mut current: Option<String> = None;
    for line in config.lines().map(str::trim) {
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = section
                .strip_prefix("remote \"")
                .and_then(|r| r.strip_suffix('"'))
                .map(str::to_owned);
        } else if let (Some(name), Some((key, value))) = (&current, line.split_once('='))
            && key.trim() == "url"
        {
            remotes.insert(name.clone(), value.trim().to_owned());
        }
    }
    remotes
}

fn git_branch(cwd: &Path) -> Option<String> {
    let head = std::fs::read_to_string(cwd.join(".git/HEAD")).ok()?;
    head.trim()
        .strip_prefix("ref: refs/heads/")
        .map(str::to_owned)
}
