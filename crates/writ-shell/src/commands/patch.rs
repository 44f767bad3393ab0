//! Patches: Codex's `apply_patch` format (`*** Begin Patch` ... `*** End
//! Patch`), and unified or git diffs applied by `patch` and `git apply`.
//! A patch's text is seen when it is on the command line or on standard
//! input (a heredoc, a here-string, `echo ... |`, a file written earlier
//! on the line), or when it is a patch file whose text is known (written
//! on the line or by an earlier step: `git apply F`, `patch -i F`); any
//! other patch file is read, what it changes unknown.

use super::{Invocation, Lookup, Outcome};
use crate::args::{self, Spec};
use crate::{Payload, paths};

/// One file a patch changes, its path as the patch names it (relative to
/// the directory the patch is applied in, unless absolute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchChange {
    /// Created, changed, or the destination of a move.
    Write(String),
    /// Removed.
    Delete(String),
}

/// The files an `apply_patch` body changes: `*** Add File: P` and
/// `*** Update File: P` write `P`, `*** Move to: Q` writes `Q`, `*** Delete
/// File: P` removes `P`. A body that is a unified or git diff instead
/// names its files as `git apply` reads them (`a/` and `b/` dropped).
pub fn apply_patch_changes(patch: &str) -> Vec<PatchChange> {
    let changes = codex_patch_changes(patch);
    if !changes.is_empty() {
        return changes;
    }
    let prefixed = patch
        .lines()
        .any(|l| l.starts_with("--- a/") || l.starts_with("+++ b/"));
    let strip = Strip::Components(usize::from(prefixed));
    diff_changes(patch, strip, false)
}

fn codex_patch_changes(patch: &str) -> Vec<PatchChange> {
    let mut changes = Vec::new();
    for line in patch.lines() {
        let line = line.trim();
        if let Some(p) = line
            .strip_prefix("*** Add File: ")
            .or(line.strip_prefix("*** Update File: "))
            .or(line.strip_prefix("*** Move to: "))
        {
            changes.push(PatchChange::Write(p.trim().to_owned()));
        } else if let Some(p) = line.strip_prefix("*** Delete File: ") {
            changes.push(PatchChange::Delete(p.trim().to_owned()));
        }
    }
    changes
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "apply_patch" | "applypatch" => Some(apply_patch(inv)),
        "patch" | "gpatch" => Some(patch(inv, &|_| None)),
        _ => None,
    }
}

/// The text standard input carries, when it carries any.
fn stdin_text(inv: &Invocation<'_>) -> Option<String> {
    // `printf '...\\n...' | apply_patch`: its escapes are line breaks.
    (inv.has_stdin && !inv.stdin.text.is_empty())
        .then(|| super::printed_lines(&inv.stdin.text.join("\n")))
}

/// `apply_patch PATCH` or `apply_patch <<'EOF' ... EOF` (Codex's patch tool
/// run as a command).
fn apply_patch(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    let text = match inv.args.first() {
        Some(arg) => Some(arg.text.clone()),
        None => stdin_text(inv),
    };
    let changes = text.as_deref().map(apply_patch_changes).unwrap_or_default();
    if changes.is_empty() {
        outcome
            .opaque
            .push(format!("{} applies a patch writ cannot see", inv.program));
    }
    for change in changes {
        match change {
            PatchChange::Write(p) => outcome.write(inv.path(&p), false),
            PatchChange::Delete(p) => outcome.delete(inv.path(&p), false),
        }
    }
    outcome
}

/// How a diff's file names become paths.
#[derive(Debug, Clone, Copy)]
enum Strip {
    /// `-pN`: drop the first N components.
    Components(usize),
    /// No `-p` given to `patch`: the base name, except in a git diff,
    /// whose `a/` and `b/` prefixes are dropped.
    Default,
}

/// The files a unified (or git) diff changes, with its names stripped as
/// `strip` says; `reverse` (`-R`) applies it backwards. Names that cannot be
/// stripped so far are skipped, as `patch` skips them.
fn diff_changes(text: &str, strip: Strip, reverse: bool) -> Vec<PatchChange> {
    let git = text.lines().any(|l| l.starts_with("diff --git "));
    let strip_name = |name: &str| -> Option<String> {
        let name = clean_name(name);
        match strip {
            Strip::Components(n) => strip_components(&name, n),
            Strip::Default if git => strip_components(&name, 1),
            Strip::Default => Some(paths::basename(&name).to_owned()),
        }
    };
    let mut changes = Vec::new();
    let mut push = |change: PatchChange| {
        if !changes.contains(&change) {
            changes.push(change);
        }
    };
    // The `a/` and `b/` names of the current `diff --git` header.
    let mut header: Option<(String, String)> = None;
    let mut old: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("diff --git ") {
            header = rest
                .split_once(" b/")
                .map(|(a, b)| (a.to_owned(), format!("b/{b}")));
            old = None;
        } else if let Some(name) = line.strip_prefix("--- ") {
            old = Some(name.to_owned());
        } else if let Some(new) = line.strip_prefix("+++ ") {
            let Some(old_name) = old.take() else {
                continue;
            };
            let (from, to) = if reverse {
                (new.to_owned(), old_name)
            } else {
                (old_name, new.to_owned())
            };
            if is_dev_null(&to) {
                if let Some(p) = strip_name(&from) {
                    push(PatchChange::Delete(p));
                }
            } else if let Some(p) = strip_name(&to) {
                push(PatchChange::Write(p));
            }
        } else if let Some((a, b)) = &header {
            // Git's extended headers: a file created or removed without
            // hunks, and renames (their names carry no prefix).
            let (created, removed) = if reverse { (a, b) } else { (b, a) };
            if line.starts_with("new file mode") || line.starts_with("deleted file mode") {
                let creates = line.starts_with("new file mode") != reverse;
                let change = if creates {
                    strip_name(created).map(PatchChange::Write)
                } else {
                    strip_name(removed).map(PatchChange::Delete)
                };
                if let Some(change) = change {
                    push(change);
                }
            } else if let Some(name) = line
                .strip_prefix("rename from ")
                .or(line.strip_prefix("rename to "))
                .or(line.strip_prefix("copy to "))
            {
                let source = line.starts_with("rename from ");
                let name = clean_name(name);
                push(if source != reverse {
                    PatchChange::Delete(name)
                } else {
                    PatchChange::Write(name)
                });
            }
        }
    }
    changes
}

fn is_dev_null(name: &str) -> bool {
    clean_name(name) == "/dev/null"
}

/// A diff header's file name without its timestamp (after a tab) and quotes.
fn clean_name(name: &str) -> String {
    let name = name.split('\t').next().unwrap_or(name).trim();
    name.strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or(name)
        .to_owned()
}

/// `name` without its first `n` components (a run of slashes counts as
/// one), as `patch -pN` and `git apply -pN` read it.
fn strip_components(name: &str, n: usize) -> Option<String> {
    let mut rest = name;
    for _ in 0..n {
        let at = rest.find('/')?;
        rest = rest.get(at..)?.trim_start_matches('/');
    }
    (!rest.is_empty()).then(|| rest.to_owned())
}

/// A `-pN` value.
fn strip_value(text: &str) -> Option<Strip> {
    text.parse().ok().map(Strip::Components)
}

/// `patch [-pN] [-d DIR] [-R] [-i PATCHFILE] [-o OUT] [ORIGFILE [PATCHFILE]]`.
/// `patch` whose patch file's text `text_of` knows is read as that text;
/// `outcome` is replaced only then.
pub(crate) fn written_patches(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if !matches!(inv.program, "patch" | "gpatch") {
        return;
    }
    let known = std::cell::Cell::new(false);
    let again = patch(inv, &|path| {
        let text = text_of(path);
        known.set(known.get() || text.is_some());
        text
    });
    if known.get() {
        *outcome = again;
    }
}

fn patch(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pdioDrBFVYzxg",
            long: &[
                "strip",
                "directory",
                "input",
                "output",
                "ifdef",
                "reject-file",
                "prefix",
                "fuzz",
                "version-control",
                "basename-prefix",
                "suffix",
                "debug",
                "get",
                "quoting-style",
                "reject-format",
                "read-only",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let dir = args::value(&items, &["-d", "--directory"])
        .map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d.text));
    let at = |name: &str| paths::resolve(&dir, inv.home, name);
    let strip = args::value(&items, &["-p", "--strip"])
        .and_then(|v| strip_value(&v.text))
        .unwrap_or(Strip::Default);
    let reverse = args::has(&items, &["-R", "--reverse"]);
    let dry_run = args::has(&items, &["--dry-run"]);
    let positional = args::positionals(&items);
    let mut patch_file = args::value(&items, &["-i", "--input"]).or(positional.get(1).copied());
    if patch_file.is_some_and(|f| f.text == "-") {
        patch_file = None;
    }
    let text = match patch_file {
        Some(file) => {
            let path = at(&file.text);
            outcome.read(path.clone(), false);
            text_of(&path)
        }
        None => stdin_text(inv),
    };
    let changes = text
        .as_deref()
        .map(|t| diff_changes(t, strip, reverse))
        .unwrap_or_default();
    if dry_run {
        return outcome;
    }
    let output = args::value(&items, &["-o", "--output"]).filter(|o| o.text != "-");
    if let Some(out) = output {
        outcome.write(at(&out.text), false);
    } else if let Some(original) = positional.first() {
        outcome.write(at(&original.text), false);
    } else if changes.is_empty() {
        outcome
            .opaque
            .push("patch applies a diff writ cannot see".to_owned());
    } else {
        for change in changes {
            match change {
                PatchChange::Write(p) => outcome.write(at(&p), false),
                PatchChange::Delete(p) => outcome.delete(at(&p), false),
            }
        }
    }
    outcome
}

/// `git apply [-pN] [--directory=ROOT] [-R] [--check|--stat|--cached] [PATCH...]`
/// (run in `inv.cwd`, git's `-C` applied).
pub(super) fn git_apply(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pC",
            long: &[
                "directory",
                "include",
                "exclude",
                "whitespace",
                "build-fake-ancestor",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let strip = args::value(&items, &["-p"])
        .and_then(|v| strip_value(&v.text))
        .unwrap_or(Strip::Components(1));
    let reverse = args::has(&items, &["-R", "--reverse"]);
    let reports_only = args::has(&items, &["--check", "--stat", "--numstat", "--summary"])
        && !args::has(&items, &["--apply"]);
    let index_only = args::has(&items, &["--cached"]);
    let root = args::value(&items, &["--directory"]).map(|d| d.text.clone());
    let mut text = None;
    let files: Vec<_> = args::positionals(&items)
        .into_iter()
        .filter(|f| f.text != "-")
        .collect();
    let mut known = Vec::new();
    for file in &files {
        let path = inv.path(&file.text);
        known.extend(text_of(&path));
        outcome.read(path, false);
    }
    if files.is_empty() {
        text = stdin_text(inv);
    } else if known.len() == files.len() {
        text = Some(known.join("\n"));
    }
    if reports_only || index_only {
        return outcome;
    }
    let changes = text
        .as_deref()
        .map(|t| diff_changes(t, strip, reverse))
        .unwrap_or_default();
    if changes.is_empty() {
        outcome
            .opaque
            .push("git apply applies a diff writ cannot see".to_owned());
    }
    let at = |name: &str| match &root {
        Some(root) => inv.path(&format!("{}/{name}", root.trim_end_matches('/'))),
        None => inv.path(name),
    };
    for change in changes {
        match change {
            PatchChange::Write(p) => outcome.write(at(&p), false),
            PatchChange::Delete(p) => outcome.delete(at(&p), false),
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(p: &str) -> PatchChange {
        PatchChange::Write(p.to_owned())
    }

    fn d(p: &str) -> PatchChange {
        PatchChange::Delete(p.to_owned())
    }

    #[test]
    fn apply_patch_bodies_name_their_files() {
        let body = "*** Begin Patch\n*** Update File: a.rs\n*** Move to: b.rs\n@@\n-x\n+y\n*** Add File: c.txt\n+hi\n*** Delete File: d.txt\n*** End Patch\n";
        assert_eq!(
            apply_patch_changes(body),
            [w("a.rs"), w("b.rs"), w("c.txt"), d("d.txt")]
        );
    }

    #[test]
    fn an_apply_patch_body_may_be_a_unified_diff() {
        let diff = "--- a/src/fx.py\n+++ b/src/fx.py\n@@ -1 +1 @@\n-a\n+b\n";
        assert_eq!(apply_patch_changes(diff), vec![w("src/fx.py")]);
        let plain = "--- notes.txt\n+++ notes.txt\n@@ -1 +1 @@\n-a\n+b\n";
        assert_eq!(apply_patch_changes(plain), vec![w("notes.txt")]);
        assert_eq!(apply_patch_changes("no patch here"), vec![]);
    }

    #[test]
    fn unified_diffs_are_stripped_like_patch() {
        let diff = "--- a/src/x.rs\t2024-01-01\n+++ b/src/x.rs\t2024-01-02\n@@ -1 +1 @@\n-a\n+b\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n";
        assert_eq!(
            diff_changes(diff, Strip::Components(1), false),
            [w("src/x.rs"), d("old.txt")]
        );
        assert_eq!(
            diff_changes(diff, Strip::Components(0), false),
            [w("b/src/x.rs"), d("a/old.txt")]
        );
        assert_eq!(
            diff_changes(diff, Strip::Default, false),
            [w("x.rs"), d("old.txt")]
        );
        // Backwards, the removed file is created again.
        assert_eq!(
            diff_changes(diff, Strip::Components(1), true),
            [w("src/x.rs"), w("old.txt")]
        );
        assert_eq!(strip_components("a//b/c", 1), Some("b/c".to_owned()));
        assert_eq!(strip_components("/abs/c", 1), Some("abs/c".to_owned()));
        assert_eq!(strip_components("c", 1), None);
    }

    #[test]
    fn git_headers_name_files_without_hunks() {
        let diff = "diff --git a/empty b/empty\ndeleted file mode 100644\nindex e69de29..0000000\ndiff --git a/x.sh b/y.sh\nsimilarity index 100%\nrename from x.sh\nrename to y.sh\n";
        assert_eq!(
            diff_changes(diff, Strip::Default, false),
            [d("empty"), d("x.sh"), w("y.sh")]
        );
    }
}
