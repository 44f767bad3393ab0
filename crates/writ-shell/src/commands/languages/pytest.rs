//! pytest's `conftest.py` files: pytest imports each one it finds before it
//! collects a test, so what a `conftest.py` written earlier does (its hooks,
//! `pytest_sessionfinish` included, and its module-level code) runs when
//! pytest runs. [`written_conftests`] runs each such file as `python3 FILE`
//! runs a written file.
//!
//! Which files pytest loads: the rootdir's `conftest.py` (the working
//! directory, or `--rootdir DIR`), and for each path argument (a test
//! file, `FILE::test`, or a directory; the rootdir when none is given) the
//! `conftest.py` of every directory from the rootdir down to that path's
//! directory. With no path argument (or the rootdir itself as one)
//! `tests/conftest.py` is taken too: the `testpaths` of the project's
//! configuration are not known here, and `tests` is where they most often
//! point. A directory argument's subdirectories are not listed (the files
//! written earlier are looked up by path, not enumerated).
//!
//! `--noconftest` loads none. `-p no:NAME` blocks a plugin by name; a
//! conftest is registered under its path, so no plugin name turns the
//! conftests off, and they still run.

use super::{Invocation, Lookup, Nested, Outcome};
use crate::args::{self, Arg, Spec};
use crate::paths;

/// Programs that are pytest (after `python -m pytest`, `uv run pytest`,
/// ... have become `pytest ARGS`).
const PYTEST: &[&str] = &["pytest", "py.test"];

/// pytest's (and its common plugins') options whose value is the next
/// word: that word is no test path.
const VALUE_OPTIONS: &[&str] = &[
    "rootdir",
    "confcutdir",
    "basetemp",
    "maxfail",
    "tb",
    "junitxml",
    "junit-xml",
    "junit-prefix",
    "cov",
    "cov-report",
    "cov-config",
    "cov-fail-under",
    "durations",
    "durations-min",
    "deselect",
    "ignore",
    "ignore-glob",
    "log-level",
    "log-file",
    "log-cli-level",
    "log-format",
    "timeout",
    "count",
    "repeat-scope",
    "reruns",
    "reruns-delay",
    "import-mode",
    "capture",
    "override-ini",
    "color",
    "numprocesses",
    "dist",
    "maxprocesses",
    "html",
    "json-report-file",
    "cache-show",
    "config-file",
    "inifile",
    "show-capture",
    "randomly-seed",
    "benchmark-save",
    "ds",
    "splits",
    "group",
];

/// Short options whose value is the next word (or the rest of the word).
const VALUE_SHORT: &str = "kmpcornW";

/// For `pytest ARGS`, the `conftest.py` files pytest loads whose text an
/// earlier step wrote: each runs as `python3 FILE` (its code read in the
/// file's place) with the line's `NAME=value` prefixes.
pub(crate) fn written_conftests(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if !PYTEST.contains(&inv.program) {
        return;
    }
    for path in loaded_conftests(inv) {
        if text_of(&path).is_none() {
            continue;
        }
        outcome.nested.push(Nested::Argv {
            argv: vec![Arg::literal("python3"), Arg::literal(&path)],
            env: Vec::new(),
            cwd: None,
        });
    }
}

/// The absolute paths of the `conftest.py` files `pytest ARGS` loads, the
/// rootdir's first, each once.
fn loaded_conftests(inv: &Invocation<'_>) -> Vec<String> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: VALUE_SHORT,
            long: VALUE_OPTIONS,
            stop_after: None,
        },
    );
    if args::has(&items, &["--noconftest"]) {
        return Vec::new();
    }
    let rootdir = match args::value(&items, &["--rootdir"]) {
        Some(dir) if !dir.dynamic => inv.path(&dir.text),
        _ => inv.cwd.to_owned(),
    };
    let mut dirs: Vec<String> = args::positionals(&items)
        .into_iter()
        .filter(|arg| !arg.dynamic)
        .map(|arg| test_dir(inv, &arg.text))
        .collect();
    // The whole rootdir, named or not (`pytest`, `pytest .`), collects
    // from `tests` (see the module's note on `testpaths`).
    if dirs.is_empty() || dirs.contains(&rootdir) {
        dirs.push(paths::resolve(&rootdir, inv.home, "tests"));
    }
    let mut conftests = vec![conftest_in(&rootdir)];
    for dir in dirs {
        for between in dirs_down_to(&rootdir, &dir) {
            let conftest = conftest_in(&between);
            if !conftests.contains(&conftest) {
                conftests.push(conftest);
            }
        }
    }
    conftests
}

/// The directory whose conftest chain a test path argument brings in: a
/// file's (`tests/test_x.py`, `tests/test_x.py::test_y`) own directory,
/// else the path itself, taken as a directory.
fn test_dir(inv: &Invocation<'_>, text: &str) -> String {
    let path = text.split("::").next().unwrap_or(text);
    let absolute = inv.path(path);
    if path.ends_with(".py") {
        match absolute.rsplit_once('/') {
            Some(("", _)) => "/".to_owned(),
            Some((parent, _)) => parent.to_owned(),
            None => absolute,
        }
    } else {
        absolute
    }
}

/// The directories from `root` (exclusive) down to `dir` (inclusive) when
/// `dir` is inside `root`; none when it is not.
fn dirs_down_to(root: &str, dir: &str) -> Vec<String> {
    let root = root.trim_end_matches('/');
    let Some(rest) = dir.strip_prefix(root) else {
        return Vec::new();
    };
    if !rest.is_empty() && !rest.starts_with('/') {
        return Vec::new();
    }
    let mut current = root.to_owned();
    rest.split('/')
        .filter(|part| !part.is_empty())
        .map(|part| {
            current = format!("{current}/{part}");
            current.clone()
        })
        .collect()
}

/// `DIR/conftest.py`.
fn conftest_in(dir: &str) -> String {
    format!("{}/conftest.py", dir.trim_end_matches('/'))
}
