//! DVC, which versions data beside a git repository: `.dvc` files (and
//! `dvc.yaml` stages) in the repository track data kept in a cache, and
//! `dvc push` uploads that data to a remote whose URL `dvc remote add`
//! set. The remote is named in the repository's configuration, so a push
//! names it as a [`Target::ToolRemote`], resolved from the remotes the
//! line or the session set ([`crate::tool_remote_location`]). Its reads
//! (`pull`, `fetch`, `status`, `diff`, ...) change only the workspace;
//! `import-url`, `get` and `import` fetch from the URL they name.

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Spec};
use crate::{Effect, Payload, Target};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program != "dvc" {
        return None;
    }
    // Global options come before the command; `--cd DIR` runs it in DIR.
    let mut cwd = None;
    let mut rest = inv.args;
    while let Some((first, tail)) = rest.split_first() {
        match first.text.as_str() {
            "--cd" => {
                cwd = tail.first().map(|dir| inv.path(&dir.text));
                rest = tail.get(1..).unwrap_or_default();
            }
            text if text.starts_with('-') => rest = tail,
            _ => break,
        }
    }
    let (command, operands) = rest.split_first()?;
    let cwd = cwd.unwrap_or_else(|| inv.cwd.to_owned());
    let inv = Invocation {
        cwd: &cwd,
        args: operands,
        ..*inv
    };
    Some(match command.text.as_str() {
        "remote" => remote(&inv),
        "push" => push(&inv),
        "import-url" | "get-url" | "get" | "import" => download(&inv),
        // Reads of the remote into the cache and the workspace, and
        // comparisons: nothing leaves the machine.
        "pull" | "fetch" | "status" | "diff" | "checkout" | "ls" | "ls-url" | "list"
        | "list-url" | "data" | "params" | "metrics" | "plots" | "dag" | "version" | "doctor"
        | "config" | "cache" | "gc" => Outcome::default(),
        _ => return None,
    })
}

/// The name a remote of DVC's is kept under among the remotes set
/// (`None`: the default remote): one no git remote can have, as git
/// forbids `:` in a remote's name.
fn remote_key(name: Option<&str>) -> String {
    format!("dvc:{}", name.unwrap_or_default())
}

/// `dvc remote add [-d] [-f] [--global|--system|--project|--local] NAME
/// URL` and `dvc remote modify NAME url URL`: `NAME` is `URL` from now on
/// (`-d`: and so is the default remote). A remote of the user's or the
/// system's configuration (`--global`, `--system`) serves every
/// repository. A URL that is a path is the directory it names.
fn remote(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let positional = args::positionals(&items);
    let (name, location) = match positional.as_slice() {
        [verb, name, location, ..] if verb.text == "add" => (name, location),
        [verb, name, option, location, ..]
            if verb.text == "modify"
                && option.text == "url"
                && !args::has(&items, &["-u", "--unset"]) =>
        {
            (name, location)
        }
        _ => return Outcome::default(),
    };
    let repo_dir = if args::has(&items, &["--global", "--system"]) {
        "/".to_owned()
    } else {
        inv.cwd.to_owned()
    };
    let location = remote_location(inv, &location.text);
    let mut names = vec![remote_key(Some(&name.text))];
    if args::has(&items, &["-d", "--default"]) {
        names.push(remote_key(None));
    }
    let mut outcome = Outcome::default();
    for name in names {
        outcome.effects.push(Effect::GitRemote {
            repo_dir: repo_dir.clone(),
            name,
            url: location.clone(),
        });
    }
    outcome
}

/// Where a remote's URL leads: a store's URL as written, Google Drive's
/// folder (`gdrive://ID`) on Drive's host, a path as the absolute
/// directory it names.
fn remote_location(inv: &Invocation<'_>, location: &str) -> String {
    if let Some(folder) = location.strip_prefix("gdrive://") {
        return format!("https://drive.google.com/drive/folders/{folder}");
    }
    if location.contains("://") {
        return location.to_owned();
    }
    inv.path(location)
}

/// `dvc push [-r NAME] [-a|-T|-A] [TARGET...]`: the data the targets track
/// goes to the remote (`-r`, else the default). A `.dvc` file stands for
/// the data it tracks (`data/x.csv.dvc` sends `data/x.csv`), a data path
/// for itself; no target, a pipeline's file or stage (`dvc.yaml`,
/// `train`, `dvc.yaml:train`), or every branch's, tag's or commit's data
/// is the repository's tracked data.
fn push(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rj",
            long: &["remote", "jobs"],
            stop_after: None,
        },
    );
    let remote = args::value(&items, &["-r", "--remote"]).map(|r| r.text.as_str());
    let targets = args::positionals(&items);
    let everything = args::has(
        &items,
        &[
            "-a",
            "--all-branches",
            "-T",
            "--all-tags",
            "-A",
            "--all-commits",
        ],
    );
    let mut payload = Payload::default();
    if everything || targets.is_empty() || targets.iter().any(|t| is_pipeline(&t.text)) {
        payload.repository = true;
    }
    for target in targets.iter().filter(|t| !is_pipeline(&t.text)) {
        let data = target.text.strip_suffix(".dvc").unwrap_or(&target.text);
        send_file(inv, &mut payload, data, true);
    }
    Outcome::default().effect(request(
        "dvc",
        Target::ToolRemote {
            repo_dir: inv.cwd.to_owned(),
            name: remote_key(remote),
            path: None,
            unset: None,
        },
        "UPLOAD",
        payload,
        false,
    ))
}

/// A pipeline's file or stage, whose outputs the command line does not
/// show: `dvc.yaml`, `dvc.lock`, `dir/dvc.yaml:stage`. (A bare name is a
/// path: `dvc push models` sends the directory `models`.)
fn is_pipeline(target: &str) -> bool {
    let file = target.rsplit('/').next().unwrap_or(target);
    let file = file.split(':').next().unwrap_or(file);
    matches!(file, "dvc.yaml" | "dvc.lock")
}

/// `dvc import-url URL [OUT]`, `dvc get-url URL [OUT]`, `dvc get|import
/// REPO_URL PATH [-o OUT]`: a download from the URL (a repository's, for
/// `get` and `import`).
fn download(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "oj",
            long: &["out", "rev", "jobs", "fs-config", "config", "remote"],
            stop_after: None,
        },
    );
    let Some(source) = args::positionals(&items).first().copied() else {
        return Outcome::default();
    };
    // A local path or repository: nothing comes from the network.
    if !source.text.contains("://") && !source.text.contains('@') {
        return Outcome::default();
    }
    Outcome::default().effect(request(
        "dvc",
        url(&source.text),
        "DOWNLOAD",
        Payload::default(),
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_targets_are_told_from_data() {
        assert!(is_pipeline("dvc.yaml"));
        assert!(is_pipeline("sub/dvc.yaml:train"));
        assert!(!is_pipeline("data/x.csv.dvc"));
        assert!(!is_pipeline("models"));
        assert!(!is_pipeline("model.pkl"));
    }
}
