//! The directories a listing command lists: `ls` (and GNU `dir`/`vdir`,
//! `exa`/`eza`/`lsd`, and cmd's `dir`, which the cmd reading runs as
//! `ls` with its `/s` switches), `tree`, and `find` (whose handler asks
//! [`find_listings`]). What such a command prints names the entries in
//! them, which an earlier step's output lets the session know of.

use crate::args::{self, Arg, Item, Spec};
use crate::commands::Invocation;
use crate::{Effect, Listing};

/// The listings of `ls`-like programs and `tree`, as [`Effect::List`]s.
pub(super) fn listings(inv: &Invocation<'_>) -> Vec<Effect> {
    let (dirs, recursive) = match inv.program {
        "ls" | "dir" | "vdir" => ls(inv),
        "exa" | "eza" | "lsd" => exa(inv),
        "tree" => tree(inv),
        _ => return Vec::new(),
    };
    listed(inv, dirs, recursive)
}

/// `find START... EXPR`: each start is listed, to the depth `-maxdepth`
/// gives (none below 1), unless the expression runs commands or deletes,
/// when what it prints is not the entries.
pub(super) fn find_listings(inv: &Invocation<'_>, starts: &[String]) -> Vec<Effect> {
    let acts = inv.args.iter().any(|a| {
        matches!(
            a.text.as_str(),
            "-exec" | "-execdir" | "-ok" | "-okdir" | "-delete"
        )
    });
    if acts {
        return Vec::new();
    }
    let depth = inv
        .args
        .windows(2)
        .rev()
        .find(|pair| pair[0].text == "-maxdepth")
        .and_then(|pair| pair[1].text.parse::<u32>().ok());
    if depth == Some(0) {
        return Vec::new();
    }
    starts
        .iter()
        .filter(|start| !super::super::is_glob(start))
        .map(|dir| {
            Effect::List(Listing {
                dir: dir.clone(),
                recursive: depth.is_none_or(|d| d > 1),
                package: false,
            })
        })
        .collect()
}

/// `Listing`s of `dirs` (as written; the working directory when none is
/// given), skipping globs and expansions whose value is unknown.
fn listed(inv: &Invocation<'_>, dirs: Vec<&Arg>, recursive: Option<bool>) -> Vec<Effect> {
    let Some(recursive) = recursive else {
        return Vec::new();
    };
    if dirs.is_empty() {
        return vec![Effect::List(Listing {
            dir: inv.cwd.to_owned(),
            recursive,
            package: false,
        })];
    }
    dirs.into_iter()
        .filter(|arg| !arg.dynamic && !arg.text.is_empty() && !super::super::is_glob(&arg.text))
        .map(|arg| {
            Effect::List(Listing {
                dir: inv.path(&arg.text),
                recursive,
                package: false,
            })
        })
        .collect()
}

/// A switch of cmd's `dir` or `tree` (`/s`, `/b`, `/a:h`, `/o-d`, `/f`),
/// which the cmd reading passes on as a word: a letter of theirs and
/// what it may take, never a path (`/srv`, `/opt` are paths).
fn cmd_switch(text: &str) -> bool {
    let Some(body) = text.strip_prefix('/') else {
        return false;
    };
    let lower = body.to_ascii_lowercase();
    let mut chars = lower.chars();
    let Some(letter) = chars.next() else {
        return false;
    };
    let rest: String = chars.collect();
    let rest = rest.strip_prefix(':').unwrap_or(&rest);
    let takes = |allowed: &str| rest.chars().all(|c| c == '-' || allowed.contains(c));
    match letter {
        'b' | 'c' | 'd' | 'l' | 'n' | 'p' | 'q' | 'r' | 's' | 'w' | 'x' | '4' | 'f' => {
            rest.is_empty()
        }
        'a' => takes("drhaslio"),
        'o' => takes("nsedg"),
        't' => takes("caw"),
        _ => false,
    }
}

/// `ls [OPTIONS] [PATH...]`: `None` with `-d` (the paths themselves, not
/// their entries); recursive with `-R`/`--recursive` (or cmd's `/s`).
fn ls<'a>(inv: &Invocation<'a>) -> (Vec<&'a Arg>, Option<bool>) {
    const SPEC: Spec<'static> = Spec {
        short: "ITw",
        long: &[
            "ignore",
            "hide",
            "width",
            "tabsize",
            "format",
            "sort",
            "time",
            "time-style",
            "color",
            "block-size",
            "indicator-style",
            "quoting-style",
        ],
        stop_after: None,
    };
    let mut recursive = false;
    let mut itself = false;
    let mut dirs = Vec::new();
    for item in args::parse(inv.args, &SPEC) {
        match item {
            Item::Opt { name, .. } => match name.as_ref() {
                "-R" | "--recursive" => recursive = true,
                "-d" | "--directory" => itself = true,
                _ => {}
            },
            Item::Pos(arg) if cmd_switch(&arg.text) => {
                if arg.text.eq_ignore_ascii_case("/s") {
                    recursive = true;
                }
            }
            Item::Pos(arg) => dirs.push(arg),
        }
    }
    (dirs, (!itself).then_some(recursive))
}

/// `exa`/`eza`/`lsd [OPTIONS] [PATH...]`: recursive with `-R`,
/// `--recurse`, `-T` or `--tree`; `None` with `-d`.
fn exa<'a>(inv: &Invocation<'a>) -> (Vec<&'a Arg>, Option<bool>) {
    const SPEC: Spec<'static> = Spec {
        short: "LIst",
        long: &[
            "level",
            "ignore-glob",
            "sort",
            "time",
            "time-style",
            "color",
            "colour",
            "group-directories-first",
            "depth",
        ],
        stop_after: None,
    };
    let mut recursive = false;
    let mut itself = false;
    let mut dirs = Vec::new();
    for item in args::parse(inv.args, &SPEC) {
        match item {
            Item::Opt { name, .. } => match name.as_ref() {
                "-R" | "--recurse" | "-T" | "--tree" => recursive = true,
                "-d" | "--list-dirs" | "--directory-only" => itself = true,
                _ => {}
            },
            Item::Pos(arg) => dirs.push(arg),
        }
    }
    (dirs, (!itself).then_some(recursive))
}

/// `tree [OPTIONS] [DIR...]` (and Windows' `tree [DIR] /f /a`):
/// recursive unless `-L 1`; `None` when it prints into a file (`-o F`).
fn tree<'a>(inv: &Invocation<'a>) -> (Vec<&'a Arg>, Option<bool>) {
    const SPEC: Spec<'static> = Spec {
        short: "LPIoHT",
        long: &[
            "charset",
            "filelimit",
            "timefmt",
            "sort",
            "hintro",
            "houtro",
            "infile",
        ],
        stop_after: None,
    };
    let mut depth: Option<u32> = None;
    let mut into_file = false;
    let mut dirs = Vec::new();
    for item in args::parse(inv.args, &SPEC) {
        match item {
            Item::Opt { name, value } => match name.as_ref() {
                "-L" => depth = value.and_then(|v| v.text.parse().ok()),
                "-o" => into_file = true,
                _ => {}
            },
            Item::Pos(arg) if cmd_switch(&arg.text) => {}
            Item::Pos(arg) => dirs.push(arg),
        }
    }
    let recursive = depth.is_none_or(|d| d > 1);
    (dirs, (!into_file).then_some(recursive))
}

#[cfg(test)]
mod tests {
    use super::cmd_switch;

    #[test]
    fn cmd_switches_are_not_paths() {
        for switch in [
            "/s", "/S", "/b", "/a", "/a:h", "/ah", "/a-d", "/o:n", "/o-d", "/f", "/tc",
        ] {
            assert!(cmd_switch(switch), "{switch}");
        }
        for path in [
            "/srv", "/opt", "/bin", "/home", "/etc", "/tmp", "/", "/data", "deploy",
        ] {
            assert!(!cmd_switch(path), "{path}");
        }
    }
}
