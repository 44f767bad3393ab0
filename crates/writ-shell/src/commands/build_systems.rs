//! Build systems that generate or describe their builds in files: CMake
//! (`cmake.rs`), Meson (`meson.rs`) and the Ninja files both generate, and
//! SCons (`scons.rs`).
//!
//! Installs write under their prefix: `cmake --install DIR [--prefix P]`,
//! `cmake --build DIR --target install`, `ninja -C DIR install`, `make
//! install` in a CMake build directory and `meson install -C DIR` write
//! into `P`, or the prefix the configure step set (`-DCMAKE_INSTALL_PREFIX=`,
//! `meson setup --prefix=`), as the build directory's cache records it, or
//! the build system's default `/usr/local`; `DESTDIR` (the environment's,
//! `make install DESTDIR=D`, `meson install --destdir D`) goes before it.
//! A configure step writes that cache (`CMakeCache.txt`, Meson's
//! `meson-info/intro-buildoptions.json`), with what the line set, so a
//! later step finds it.
//!
//! The commands a build runs are read from its files when their text is
//! known (written or read by an earlier step): a CMakeLists.txt's custom
//! targets and commands (`cmake --build B --target NAME`, `ninja -C B
//! NAME`, `make -C B NAME`) and `execute_process` at configure, and an
//! SConstruct's `Command` actions and aliases (`scons NAME`).

mod cmake;
mod meson;
mod scons;

use super::{Invocation, Lookup, Nested, Outcome};
use crate::Effect;
use crate::args::Arg;
use crate::paths;

/// Where CMake and Meson install when nothing sets a prefix.
const DEFAULT_PREFIX: &str = "/usr/local";

/// How many commands one build runs at most.
const MAX_JOBS: usize = 64;
/// How deep dependencies, subdirectories and variable references are followed.
const MAX_NESTING: usize = 16;

/// What the line alone says a build system's command does: a configure
/// step's cache, an install's prefix. `None` for anything else, which is
/// read as an unknown program is.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "cmake" => cmake::line(inv),
        "ninja" | "samu" => ninja_install(inv).map(|install| {
            let mut outcome = Outcome::default();
            outcome.write(install.path(DEFAULT_PREFIX), false);
            outcome
        }),
        "meson" | "muon" => meson::line(inv),
        _ => None,
    }
}

/// What a build runs by the files an earlier step wrote or read (`text_of`):
/// the prefix a build directory's cache gives its install, a CMake
/// project's custom commands, an SConstruct's actions.
pub(crate) fn known_files(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    match inv.program {
        "cmake" => cmake::known(inv, outcome, text_of),
        "ninja" | "samu" => generated_build(inv, outcome, text_of),
        "make" | "gmake" => cmake::make_in_build_dir(inv, outcome, text_of),
        "meson" | "muon" => meson::known(inv, outcome, text_of),
        "scons" | "scons.py" => {
            let jobs = scons::scons(inv, text_of);
            outcome.nested.extend(jobs.into_iter().take(MAX_JOBS));
        }
        _ => {}
    }
}

/// An install into a prefix, and the `DESTDIR` staged before it.
#[derive(Debug, Clone, Default)]
struct Install {
    /// Absolute directory, or empty.
    destdir: String,
}

impl Install {
    /// An install from `inv`, staged under its environment's `DESTDIR`.
    fn from_env(inv: &Invocation<'_>) -> Install {
        Install::staged(inv, inv.env_value("DESTDIR"))
    }

    /// An install staged under `destdir`, when one is given and not empty.
    fn staged(inv: &Invocation<'_>, destdir: Option<&Arg>) -> Install {
        Install {
            destdir: destdir
                .filter(|d| !d.text.is_empty())
                .map(|d| inv.path(&d.text))
                .unwrap_or_default(),
        }
    }

    /// The directory it writes for the absolute `prefix`.
    fn path(&self, prefix: &str) -> String {
        if self.destdir.is_empty() {
            return paths::normalize(prefix);
        }
        paths::normalize(&format!(
            "{}/{}",
            self.destdir.trim_end_matches('/'),
            prefix.trim_start_matches('/')
        ))
    }
}

/// Ninja's options that take a value.
const NINJA_VALUED: &[&str] = &["C", "f", "j", "k", "l", "d", "t", "w"];

/// `ninja [-C DIR] TARGET...`: the build directory and the targets, or
/// `None` for a dry run (`-n`) or a tool (`-t`).
fn ninja_targets(inv: &Invocation<'_>) -> Option<(String, Vec<String>)> {
    let items = crate::args::parse_valued(inv.args, NINJA_VALUED);
    if crate::args::has(&items, &["-n", "-t", "--version", "-h", "--help"]) {
        return None;
    }
    let dir = crate::args::values(&items, &["-C"])
        .iter()
        .fold(inv.cwd.to_owned(), |dir, d| {
            paths::resolve(&dir, inv.home, &d.text)
        });
    let targets = crate::args::positionals(&items)
        .iter()
        .map(|a| a.text.clone())
        .collect();
    Some((dir, targets))
}

/// `ninja [-C DIR] install`: an install staged under the environment's
/// `DESTDIR`.
fn ninja_install(inv: &Invocation<'_>) -> Option<Install> {
    let (_, targets) = ninja_targets(inv)?;
    targets
        .iter()
        .any(|t| t == "install")
        .then(|| Install::from_env(inv))
}

/// `ninja -C DIR TARGET...` in a directory CMake or Meson generated: its
/// install goes to the prefix the directory's cache records (in place of
/// the default [`handle`] assumed), and a CMake project's targets run
/// their custom commands.
fn generated_build(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some((dir, targets)) = ninja_targets(inv) else {
        return;
    };
    if let Some(install) = ninja_install(inv)
        && let Some(prefix) =
            cmake::cached_prefix(&dir, text_of).or_else(|| meson::configured_prefix(&dir, text_of))
    {
        replace_install(outcome, &install, &prefix);
    }
    cmake::build_targets(&dir, &targets, outcome, text_of);
}

/// Replaces the default prefix's write an install was given with `prefix`'s.
fn replace_install(outcome: &mut Outcome, install: &Install, prefix: &str) {
    let guessed = install.path(DEFAULT_PREFIX);
    outcome
        .effects
        .retain(|e| !matches!(e, Effect::Write { path, .. } if *path == guessed));
    outcome.write(install.path(prefix), false);
}

/// Shell text run by `sh -c` in `cwd`, as a build runs a command.
fn shell_job(text: String, cwd: &str) -> Nested {
    Nested::Argv {
        argv: vec![Arg::literal("sh"), Arg::literal("-c"), Arg::literal(&text)],
        env: Vec::new(),
        cwd: Some(cwd.to_owned()),
    }
}
