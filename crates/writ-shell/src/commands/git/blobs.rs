//! The files of the repository that git prints by name: `git show
//! REV:PATH` and `git cat-file -p REV:PATH` (or `blob`, `--textconv`,
//! `--filters`) print PATH as it is in REV (`:PATH` and `:N:PATH` as it is
//! in the index), and `git show REV -- PATH...` prints REV's change to
//! each PATH. What they print is that file's contents, labelled as the
//! file is: a committed `.env` is the `.env`. A path is the repository
//! root's (`REV:./PATH` the working directory's); the working directory
//! stands for the root, which the analysis does not know.

use super::super::Invocation;
use crate::args::Arg;

/// The files `git SUB ARGS` prints, as absolute paths; with
/// `summary_only` (`--stat`, `--name-only`), `git show` prints the changes
/// to its paths only as names.
pub(super) fn printed_files(inv: &Invocation<'_>, sub: &str, summary_only: bool) -> Vec<String> {
    let names = match sub {
        "show" => shown(inv.args, summary_only),
        "cat-file" => catted(inv.args),
        _ => Vec::new(),
    };
    names.into_iter().map(|name| inv.path(name)).collect()
}

/// True when `git show ARGS` prints more than named files: a commit, a
/// range, a tag, with no paths after `--` to limit its changes to.
pub(super) fn shows_revisions(args: &[Arg]) -> bool {
    let mut operands = args.iter().map(|a| a.text.as_str());
    let revisions = operands
        .by_ref()
        .take_while(|a| *a != "--")
        .any(|a| !a.starts_with('-') && object_path(a).is_none());
    revisions && operands.next().is_none()
}

/// `git show`'s `REV:PATH` operands and the paths after `--`.
fn shown(args: &[Arg], summary_only: bool) -> Vec<&str> {
    let mut names = Vec::new();
    let mut after_separator = false;
    for arg in args {
        let text = arg.text.as_str();
        if after_separator {
            if !summary_only {
                names.push(text);
            }
        } else if text == "--" {
            after_separator = true;
        } else if !text.starts_with('-') {
            names.extend(object_path(text));
        }
    }
    names
}

/// `git cat-file (-p | blob | --textconv | --filters) REV:PATH`; `-t`, `-s`
/// and `-e` print only an object's type, size or existence.
fn catted(args: &[Arg]) -> Vec<&str> {
    let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    let prints_contents = words.iter().any(|w| {
        matches!(
            *w,
            "-p" | "blob" | "--textconv" | "--filters" | "tree" | "commit" | "tag"
        )
    });
    if !prints_contents {
        return Vec::new();
    }
    words
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .filter_map(object_path)
        .collect()
}

/// The path of an object named `REV:PATH`, `:PATH` or `:N:PATH`; `None` for
/// another name or a tree (`REV:`), and for `:/TEXT` (a commit found by
/// its message).
fn object_path(name: &str) -> Option<&str> {
    let (rev, path) = name.split_once(':')?;
    if rev.contains("://") || path.starts_with("//") {
        return None;
    }
    let path = if rev.is_empty() {
        if path.starts_with('/') {
            return None;
        }
        // `:1:PATH`, the stage of a merge.
        path.strip_prefix(['0', '1', '2', '3'])
            .and_then(|p| p.strip_prefix(':'))
            .unwrap_or(path)
    } else {
        path
    };
    (!path.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::object_path;

    #[test]
    fn object_names_give_their_paths() {
        let cases = [
            ("HEAD:.env", Some(".env")),
            ("origin/main:config/secrets.yml", Some("config/secrets.yml")),
            ("HEAD~3:./app.py", Some("./app.py")),
            (":2:src/lib.rs", Some("src/lib.rs")),
            (":README.md", Some("README.md")),
            ("HEAD:", None),
            (":/fix the bug", None),
            ("v1.2.0", None),
            ("https://example.com/x", None),
        ];
        for (name, expected) in cases {
            assert_eq!(object_path(name), expected, "{name}");
        }
    }
}
