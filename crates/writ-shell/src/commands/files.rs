//! Local file commands: removers, movers, copiers, writers, readers,
//! archivers, `echo`/`printf`, and the fallback for unknown programs;
//! sed and awk with what their scripts run, write and read (`sed.rs`,
//! `awk.rs`), `setfacl`'s grants (`acl.rs`), `yq -i` (`yq.rs`), macOS's
//! `ditto` (`ditto.rs`) and what `jq` prints (`jq.rs`).

mod acl;
mod awk;
mod ditto;
mod jq;
mod listing;
mod sed;
mod yq;

pub(super) use awk::written_program as written_awk_program;
pub(super) use sed::written_script as written_sed_script;

use super::transform::{Destination, emit, take_input};
use super::{Invocation, Nested, Outcome, read, request};
use crate::args::{self, Arg, Item, Spec};
use crate::{FileRef, Payload, Target, flow, paths};

/// A line editor's files (sed, awk): its program files are read, and its
/// input files read, or written back when it edits them in place.
fn editor_files(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    program_files: &[&Arg],
    files: &[&Arg],
    in_place: bool,
) {
    for file in program_files {
        outcome.read(inv.path(&file.text), false);
    }
    for file in files {
        let path = inv.path(&file.text);
        if in_place {
            outcome.write(path, false);
        } else if file.text != "-" {
            outcome.read(path, false);
        }
    }
}

/// The text of a line editor's program files (`-f FILE`) that were
/// written earlier, on the line or by an earlier step, joined; `None`
/// when none is known.
fn written_program_text(
    inv: &Invocation<'_>,
    program_files: &[&Arg],
    text_of: &super::Lookup<'_>,
) -> Option<String> {
    let texts: Vec<String> = program_files
        .iter()
        .filter_map(|f| text_of(&inv.path(&f.text)))
        .collect();
    (!texts.is_empty()).then(|| texts.join("\n"))
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let program = inv.program;
    Some(match program {
        "rm" | "unlink" | "shred" | "srm" => remove(inv, false),
        "rmdir" => remove(inv, true),
        "rimraf" => remove_trees(inv),
        "mv" => copy(inv, true),
        "cp" | "install" => copy(inv, false),
        "ditto" => ditto::ditto(inv),
        "touch" | "mkdir" | "truncate" | "mkfifo" => create(inv),
        "chmod" | "chown" | "chgrp" | "chattr" => change_mode(inv),
        "setfacl" => acl::setfacl(inv),
        "ln" => link(inv),
        "plutil" => plutil(inv),
        // `PlistBuddy`: command names are matched in lower case.
        "plistbuddy" => plist_buddy(inv),
        "crontab" => crontab(inv),
        "tee" => tee(inv),
        "sponge" => sponge(inv),
        "dd" => dd(inv),
        "sed" | "gsed" => sed::sed(inv),
        "awk" | "gawk" | "mawk" | "nawk" => awk::awk(inv),
        "grep" | "egrep" | "fgrep" | "rg" | "ag" | "ack" => grep(inv),
        "jq" | "gojq" | "jaq" => jq(inv),
        "yq" => yq::yq(inv),
        "find" => find(inv),
        "tar" | "bsdtar" | "gtar" => tar(inv),
        "zip" => zip(inv),
        "unzip" => unzip(inv),
        "gzip" | "gunzip" | "bzip2" | "bunzip2" | "xz" | "unxz" | "zstd" => compress(inv),
        "echo" | "printf" => echo(inv),
        "printenv" => printenv(inv),
        "openssl" => openssl(inv),
        "gpg" | "gpg2" => gpg(inv),
        "make" | "gmake" => make(inv),
        "ls" | "dir" | "vdir" | "du" | "stat" | "tree" | "exa" | "eza" | "lsd" | "realpath"
        | "readlink" | "basename" | "dirname" | "file" => names_only(inv),
        "[" | "test" | "true" | "false" | ":" | "sleep" | "exit" | "return" | "set" | "shift"
        | "read" | "wait" | "which" | "type" | "hash" | "alias" | "unalias" | "trap" | "umask"
        | "ulimit" | "shopt" | "break" | "continue" | "pwd" | "whoami" | "id" | "date"
        | "uname" | "hostname" | "clear" | "history" | "jobs" | "fg" | "bg" | "disown" => {
            Outcome::default()
        }
        _ => return reader(inv),
    })
}

/// `ls`, `du`, `stat`, `file` and the like look at names, sizes and types,
/// not contents: no file is read. What they print names the paths they
/// are given (which `xargs` may pass on).
fn names_only(inv: &Invocation<'_>) -> Outcome {
    let mut printed = Payload::default();
    for arg in inv.args.iter().filter(|a| !a.text.starts_with('-')) {
        crate::flow::push_text(&mut printed, &inv.path(&arg.text));
    }
    Outcome {
        stdout: Some(printed),
        // What `ls`, `dir` and `tree` print are the entries of what they list.
        effects: listing::listings(inv),
        ..Outcome::default()
    }
}

/// The user configuration file a tool's `config set` writes
/// (`aws configure set K V` writes `~/.aws/credentials` or `~/.aws/config`,
/// `npm config set` `~/.npmrc`): a write in the home directory, unless an
/// option keeps it in the project (`npm config set --location=project`,
/// `pip config --site`, `poetry config --local`).
pub(super) fn user_config_write(inv: &Invocation<'_>) -> Option<String> {
    // Asked of every command: most are none of these.
    if !matches!(
        inv.program,
        "aws" | "npm" | "pnpm" | "yarn" | "pip" | "pip3" | "poetry" | "defaults"
    ) {
        return None;
    }
    if inv.program == "defaults" {
        return macos_defaults_file(inv);
    }
    let words = args::leading(inv.args);
    let any = |flags: &[&str]| {
        inv.args.iter().any(|a| {
            flags
                .iter()
                .any(|f| a.text == *f || a.text.starts_with(&format!("{f}=")))
        })
    };
    let in_project = || {
        inv.args.windows(2).any(|pair| {
            (pair[0].text.starts_with("--location") || pair[0].text == "-L")
                && pair[1].text == "project"
        }) || inv.args.iter().any(|a| a.text == "--location=project")
    };
    let file = match (inv.program, words.as_slice()) {
        ("aws", ["configure", "set", key, ..]) => {
            let credential = [
                "aws_access_key_id",
                "aws_secret_access_key",
                "aws_session_token",
            ]
            .iter()
            .any(|k| key.ends_with(k));
            if credential {
                "~/.aws/credentials"
            } else {
                "~/.aws/config"
            }
        }
        ("aws", ["configure", "import", ..]) => "~/.aws/credentials",
        ("npm" | "pnpm", ["config", "set", ..] | ["set", ..]) if !in_project() => "~/.npmrc",
        ("yarn", ["config", "set", ..]) => "~/.yarnrc",
        ("pip" | "pip3", ["config", "set", ..]) if !any(&["--site"]) => "~/.config/pip/pip.conf",
        ("poetry", ["config", _, ..]) if !any(&["--local", "--list", "--unset"]) => {
            "~/.config/pypoetry/config.toml"
        }
        _ => return None,
    };
    Some(inv.path(file))
}

/// macOS' `plutil`: `-insert|-replace|-remove KEY ... FILE` and
/// `-convert FMT FILE` change the file in place, or write the `-o` file
/// instead (`-o -`: standard output); `-lint`, `-p`, `-extract` and the
/// like read it. The file is the last word.
fn plutil(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(file) = inv.args.last().filter(|a| !a.text.starts_with('-')) else {
        return outcome;
    };
    let path = inv.path(&file.text);
    let changes = inv.args.iter().any(|a| {
        matches!(
            a.text.as_str(),
            "-insert" | "-replace" | "-remove" | "-convert" | "-create"
        )
    });
    let output = inv
        .args
        .windows(2)
        .find(|pair| pair[0].text == "-o")
        .map(|pair| pair[1].text.as_str());
    match (changes, output) {
        (true, None) => outcome.write(path, false),
        (_, Some(out)) => {
            outcome.read(path, false);
            if out != "-" {
                outcome.write(inv.path(out), false);
            }
        }
        (false, None) => outcome.read(path, false),
    }
    outcome
}

/// macOS' `PlistBuddy [-x] -c COMMAND... FILE`: a command that sets,
/// adds, deletes, clears, merges, imports, copies or saves changes the
/// file; `Print` (and no command) reads it.
fn plist_buddy(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(file) = inv.args.last().filter(|a| !a.text.starts_with('-')) else {
        return outcome;
    };
    let path = inv.path(&file.text);
    let changes = inv.args.windows(2).any(|pair| {
        pair[0].text == "-c"
            && pair[1].text.split_whitespace().next().is_some_and(|verb| {
                [
                    "set", "add", "delete", "clear", "merge", "import", "copy", "save",
                ]
                .contains(&verb.to_ascii_lowercase().as_str())
            })
    });
    if changes {
        outcome.write(path, false);
    } else {
        outcome.read(path, false);
    }
    outcome
}

/// The preferences file macOS's `defaults [-currentHost] write|delete|
/// rename|import DOMAIN ...` changes: `~/Library/Preferences/DOMAIN.plist`
/// (`-g` is the global domain; `-currentHost` the `ByHost` folder), or the
/// file a domain given as a path names.
fn macos_defaults_file(inv: &Invocation<'_>) -> Option<String> {
    let mut words = inv.args.iter().map(|a| a.text.as_str());
    let mut by_host = false;
    let verb = loop {
        match words.next()? {
            "-currentHost" => by_host = true,
            "-host" => {
                words.next()?;
                by_host = true;
            }
            word => break word,
        }
    };
    if !matches!(verb, "write" | "delete" | "rename" | "import") {
        return None;
    }
    let domain = words.next()?;
    if domain.starts_with(['/', '~']) {
        let file = if domain.ends_with(".plist") {
            domain.to_owned()
        } else {
            format!("{domain}.plist")
        };
        return Some(inv.path(&file));
    }
    let name = match domain {
        "-g" | "-globalDomain" | "NSGlobalDomain" => ".GlobalPreferences",
        name => name,
    };
    let folder = if by_host {
        "~/Library/Preferences/ByHost"
    } else {
        "~/Library/Preferences"
    };
    Some(inv.path(&format!("{folder}/{name}.plist")))
}

fn has_short(items: &[Item], letters: &str) -> bool {
    letters
        .chars()
        .any(|c| args::has(items, &[format!("-{c}").as_str()]))
}

fn remove(inv: &Invocation<'_>, directory_only: bool) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ns",
            long: &["iterations", "size", "random-source"],
            stop_after: None,
        },
    );
    let recursive =
        !directory_only && (has_short(&items, "rR") || args::has(&items, &["--recursive"]));
    let mut outcome = Outcome::default();
    for path in args::positionals(&items) {
        outcome.delete(inv.path(&path.text), recursive);
    }
    outcome
}

/// `rimraf PATH...` (npm's `rm -rf`): each path's whole tree.
fn remove_trees(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let mut outcome = Outcome::default();
    for path in args::positionals(&items) {
        outcome.delete(inv.path(&path.text), true);
    }
    outcome
}

/// `cp`/`mv`/`install`: sources are read (or moved away), the destination written.
fn copy(inv: &Invocation<'_>, moving: bool) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tSmogZ",
            long: &[
                "target-directory",
                "suffix",
                "mode",
                "owner",
                "group",
                "backup",
                "sparse",
                "reflink",
                "preserve",
                "no-preserve",
                "context",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if inv.program == "install" && args::has(&items, &["-d", "--directory"]) {
        for dir in args::positionals(&items) {
            outcome.write(inv.path(&dir.text), false);
        }
        return outcome;
    }
    let recursive = has_short(&items, "rRa") || args::has(&items, &["--recursive", "--archive"]);
    let positional = args::positionals(&items);
    let (sources, destination, into_dir) = match args::value(&items, &["-t", "--target-directory"])
    {
        Some(dir) => (positional.as_slice(), dir, true),
        None => match positional.split_last() {
            Some((dest, sources)) => (
                sources,
                *dest,
                sources.len() > 1 || dest.text.ends_with('/'),
            ),
            None => return outcome,
        },
    };
    let sources: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
    let copy = Copy {
        recursive,
        moving,
        into_dir,
    };
    transfer(inv, &sources, &destination.text, &copy, &mut outcome);
    outcome
}

/// How [`transfer`] copies.
pub(super) struct Copy {
    /// Whole trees are copied (`cp -r`, `robocopy /E`).
    pub recursive: bool,
    /// The sources are moved away.
    pub moving: bool,
    /// Each source lands in the destination under its own name.
    pub into_dir: bool,
}

/// Copies or moves `sources` to `destination`, both as written: each
/// source is read (or moved away) and the destination written; a
/// destination on a file share (`\\host\share\dir`, `//host/share/dir`)
/// is an upload of the sources to that host, and a source on one a
/// download from it, as `scp` reports them.
pub(super) fn transfer(
    inv: &Invocation<'_>,
    sources: &[&str],
    destination: &str,
    copy: &Copy,
    outcome: &mut Outcome,
) {
    if sources.is_empty() {
        return;
    }
    let share = paths::file_share(destination);
    let destination_dir = inv.path(destination);
    let mut uploaded = Payload::default();
    for source in sources {
        let from_share = paths::file_share(source);
        let from = inv.path(source);
        match &from_share {
            Some(target) => outcome.effects.push(request(
                inv.program,
                target.clone(),
                "DOWNLOAD",
                Payload::default(),
                false,
            )),
            None if copy.moving => outcome.delete(from.clone(), false),
            None if share.is_none() => outcome.read(from.clone(), copy.recursive),
            None => {}
        }
        if share.is_some() {
            if from_share.is_none() {
                flow::push_file(
                    &mut uploaded,
                    FileRef {
                        path: from,
                        recursive: copy.recursive || copy.moving,
                        excludes: Vec::new(),
                    },
                );
            }
            continue;
        }
        let to = if copy.into_dir {
            let named = match &from_share {
                Some(Target::Host {
                    path: Some(remote), ..
                }) => remote.as_str(),
                _ => from.as_str(),
            };
            paths::resolve(&destination_dir, inv.home, paths::basename(named))
        } else {
            destination_dir.clone()
        };
        if from_share.is_none() {
            outcome.contents.push((
                to.clone(),
                flow::file_payload(from, copy.recursive || copy.moving),
            ));
        }
        outcome.write(to, false);
    }
    if let Some(target) = share {
        outcome
            .effects
            .push(request(inv.program, target, "UPLOAD", uploaded, false));
    }
}

fn create(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "dtrmsZ",
            long: &["date", "reference", "mode", "size", "context"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for path in args::positionals(&items) {
        outcome.write(inv.path(&path.text), false);
    }
    outcome
}

fn change_mode(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let has_reference = items
        .iter()
        .any(|i| matches!(i, Item::Opt { name, .. } if name == "--reference"));
    let skip = usize::from(!has_reference);
    let mut outcome = Outcome::default();
    for path in args::positionals(&items).into_iter().skip(skip) {
        outcome.write(inv.path(&path.text), false);
    }
    outcome
}

/// `crontab FILE`, `crontab -` (standard input), `crontab -e` and
/// `crontab -r` replace the user's crontab, a file in cron's spool
/// (`/var/spool/cron/crontabs/USER`; the user is `-u USER` or the home
/// folder's owner); `crontab -l` only prints it.
fn crontab(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "u",
            long: &[],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-l"]) {
        return outcome;
    }
    let user = args::value(&items, &["-u"])
        .map(|u| u.text.clone())
        .or_else(|| {
            std::path::Path::new(inv.home)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "root".to_owned());
    let files = args::positionals(&items);
    for file in &files {
        if file.text != "-" {
            outcome.read(inv.path(&file.text), false);
        }
    }
    // The table read from standard input (`crontab -`, or no file): its
    // jobs run as cron would run them; a file's, when its text is known,
    // through `runners`.
    let from_stdin = files.is_empty() || files.iter().any(|f| f.text == "-");
    if from_stdin && inv.has_stdin && !args::has(&items, &["-r", "-e", "-i", "-T"]) {
        outcome.nested.extend(super::runners::cron_jobs(
            &inv.stdin.text.join("\n"),
            inv.home,
        ));
    }
    outcome.write(format!("/var/spool/cron/crontabs/{user}"), false);
    outcome
}

fn link(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tS",
            long: &["target-directory", "suffix"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let mut outcome = Outcome::default();
    let inside = |dir: &str, target: &Arg| {
        paths::resolve(&inv.path(dir), inv.home, paths::basename(&target.text))
    };
    // The last name is a directory the link goes into when `-t` names
    // it, when several targets are linked, or when it ends with `/`
    // (`ln -s ~/dots/settings.json .claude/`).
    let link_path = match (
        args::value(&items, &["-t", "--target-directory"]),
        positional.as_slice(),
    ) {
        (Some(dir), [target, ..]) => inside(&dir.text, target),
        (None, [target]) => inv.path(paths::basename(&target.text)),
        (None, [target, rest @ .., name])
            if !rest.is_empty()
                || name.text.ends_with('/')
                || matches!(name.text.as_str(), "." | "..") =>
        {
            inside(&name.text, target)
        }
        (None, [.., name]) => inv.path(&name.text),
        _ => return outcome,
    };
    // What the link leads to is what reading it reads: a symbolic link's
    // target is taken from the link's own directory.
    let mut leads_to_path = None;
    if let [target, ..] = positional.as_slice() {
        let symbolic = args::has(&items, &["-s", "--symbolic"]);
        let base = if symbolic {
            link_path
                .rsplit_once('/')
                .map_or("/", |(dir, _)| dir)
                .to_owned()
        } else {
            inv.cwd.to_owned()
        };
        let target = paths::resolve(&base, inv.home, &target.text);
        let mut leads_to = Payload::default();
        leads_to.files.push(crate::FileRef {
            path: target.clone(),
            recursive: false,
            excludes: Vec::new(),
        });
        outcome.contents.push((link_path.clone(), leads_to));
        leads_to_path = Some(target);
    }
    outcome.write(link_path.clone(), false);
    // Later effects on the link are effects on its target, when both
    // names are known (a hard link is the same file, as good as one).
    let directory = args::value(&items, &["-t", "--target-directory"]);
    let known = !positional.iter().chain(&directory).any(|arg| arg.dynamic);
    if let Some(target) = leads_to_path.filter(|_| known) {
        outcome.effects.push(crate::Effect::Link {
            path: link_path,
            target,
        });
    }
    outcome
}

fn tee(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let append = args::has(&items, &["-a", "--append"]);
    let mut outcome = Outcome::default();
    for path in args::positionals(&items) {
        let path = inv.path(&path.text);
        outcome.contents.push((path.clone(), inv.stdin.clone()));
        outcome.write(path, append);
    }
    outcome.stdout = Some(inv.stdin.clone());
    outcome
}

/// `sponge [-a] FILE` (moreutils): soaks up standard input, then writes
/// (or with `-a` appends) it to FILE; without FILE it prints it.
fn sponge(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let append = args::has(&items, &["-a"]);
    let mut outcome = Outcome::default();
    match args::positionals(&items).first() {
        Some(file) => {
            let path = inv.path(&file.text);
            outcome.contents.push((path.clone(), inv.stdin.clone()));
            outcome.write(path, append);
            outcome.stdout = Some(Payload::default());
        }
        None => outcome.stdout = Some(inv.stdin.clone()),
    }
    outcome
}

fn dd(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut input = inv.stdin.clone();
    let mut output: Option<String> = None;
    for arg in inv.args {
        if let Some(file) = arg.text.strip_prefix("if=") {
            let path = inv.path(file);
            input = flow::file_payload(path.clone(), false);
            outcome.read(path, false);
        } else if let Some(file) = arg.text.strip_prefix("of=") {
            output = Some(inv.path(file));
        }
    }
    match output {
        Some(path) => {
            outcome.contents.push((path.clone(), input));
            outcome.write(path, false);
            outcome.stdout = Some(Payload::default());
        }
        None => outcome.stdout = Some(input),
    }
    outcome
}

fn grep(inv: &Invocation<'_>) -> Outcome {
    let (short, long): (&str, &[&str]) = if matches!(inv.program, "rg" | "ag" | "ack") {
        (
            "efgtTmABCMj",
            &[
                "regexp",
                "file",
                "glob",
                "type",
                "type-not",
                "max-count",
                "after-context",
                "before-context",
                "context",
                "max-columns",
                "threads",
                "color",
                "colors",
                "sort",
                "sortr",
                "type-add",
                "pre",
                "encoding",
                "max-depth",
                "ignore-file",
                "replace",
            ],
        )
    } else {
        (
            "efmABCdD",
            &[
                "regexp",
                "file",
                "max-count",
                "after-context",
                "before-context",
                "context",
                "include",
                "exclude",
                "exclude-dir",
                "exclude-from",
                "label",
                "color",
                "colour",
                "binary-files",
                "devices",
                "directories",
                "group-separator",
            ],
        )
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short,
            long,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-f", "--file"]) {
        outcome.read(inv.path(&file.text), false);
    }
    let recursive = matches!(inv.program, "rg" | "ag" | "ack")
        || has_short(&items, "rR")
        || args::has(&items, &["--recursive", "--dereference-recursive"]);
    let explicit_pattern = args::has(&items, &["-e", "--regexp", "-f", "--file"]);
    let files: Vec<&Arg> = args::positionals(&items)
        .into_iter()
        .skip(usize::from(!explicit_pattern))
        .collect();
    if files.is_empty() && recursive && !inv.has_stdin {
        outcome.read(inv.cwd.to_owned(), true);
    }
    for file in files {
        outcome.read(inv.path(&file.text), recursive);
    }
    outcome
}

/// jq reads its filter file, `--slurpfile`/`--rawfile` files and input
/// files, and prints the values of its `--arg`s; what it prints is computed
/// when the line fixes its filter and input (`jq.rs`).
fn jq(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter();
    let mut filter_seen = false;
    // After `--args`/`--jsonargs` operands are values, not files.
    let mut operands_are_values = false;
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "--args" | "--jsonargs" => operands_are_values = true,
            // Their values may be printed (`jq -n --arg f "$(base64 F)" '{f: $f}'`).
            "--arg" | "--argjson" => {
                words.next();
                if let Some(value) = words.next() {
                    crate::flow::merge(&mut outcome.prints, &value.payload());
                }
            }
            "--slurpfile" | "--rawfile" => {
                words.next();
                if let Some(file) = words.next() {
                    outcome.read(inv.path(&file.text), false);
                }
            }
            "-f" | "--from-file" => {
                filter_seen = true;
                if let Some(file) = words.next() {
                    outcome.read(inv.path(&file.text), false);
                }
            }
            "--indent" | "-L" | "--tab-width" => {
                words.next();
            }
            text if text.starts_with('-') && text.len() > 1 => {}
            _ if !filter_seen => filter_seen = true,
            _ if operands_are_values => {}
            _ => outcome.read(inv.path(&word.text), false),
        }
    }
    outcome.stdout = jq::stdout(inv);
    outcome
}

/// `find [-H|-L|-P] DIR... EXPR`: `-delete` and `-exec rm` delete what the
/// expression selects, `-exec CMD {} ;` runs CMD on it, `-print` prints it.
/// The expression is read as find reads it (`!`/`-not`, `-a`, `-o`, `,`,
/// parentheses), so each action applies to the entries the tests before it
/// select (`-name .env -not -path './node_modules/*' -exec ...` runs on
/// `.env` files).
fn find(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    // Options before the starts: `-H`, `-L`, `-P`, `-D LIST`, `-O3`.
    let mut args = inv.args;
    while let Some((first, rest)) = args.split_first() {
        match first.text.as_str() {
            "-H" | "-L" | "-P" => args = rest,
            "-D" => args = rest.get(1..).unwrap_or_default(),
            text if text.starts_with("-O") && text.len() > 2 => args = rest,
            _ => break,
        }
    }
    let start_count = args
        .iter()
        .take_while(|a| !a.text.starts_with('-') && a.text != "(" && a.text != "!")
        .count();
    let (starts, expression) = args.split_at(start_count.min(args.len()));
    let starts: Vec<Start> = if starts.is_empty() {
        vec![Start {
            given: ".".to_owned(),
            path: inv.cwd.to_owned(),
        }]
    } else {
        starts
            .iter()
            .map(|s| Start {
                given: s.text.clone(),
                path: inv.path(&s.text),
            })
            .collect()
    };
    let mut tokens = expression.iter().peekable();
    let tree = find_or(&mut tokens);
    let mut actions = Vec::new();
    let whole = find_visit(&tree, &None, &mut actions);
    let mut runs = false;
    let mut printed_selections = Vec::new();
    for (action, selection) in actions {
        match action {
            FindAction::Delete => find_delete(&starts, &selection, &mut outcome),
            FindAction::Exec(command) => {
                runs = true;
                find_exec(command, &starts, &selection, &mut outcome);
            }
            FindAction::Write(file) => outcome.write(inv.path(&file.text), false),
            FindAction::Print => printed_selections.push(selection),
        }
    }
    // Without an action (or only `-prune`), find prints what the whole
    // expression selects. With an `-exec` and no `-print`, what it prints
    // is what the commands it runs print (`find . -name '*.csv' -exec cat
    // {} +`).
    if !has_find_action(&tree) {
        printed_selections.push(whole);
    } else if runs && printed_selections.is_empty() {
        return outcome;
    }
    // What it prints: under a `-name` (or `-path`), entries of that name
    // (which `xargs` may pass on); else paths nothing is known of.
    let mut printed = Payload::default();
    for selection in printed_selections.iter().filter(|s| s.is_some()) {
        for entry in found_entries(&starts, selection) {
            crate::flow::push_text(&mut printed, &entry);
        }
    }
    outcome.stdout = Some(printed);
    let starts: Vec<String> = starts.into_iter().map(|s| s.path).collect();
    outcome.effects.extend(listing::find_listings(inv, &starts));
    outcome
}

/// A starting point of a find, as given (what `-path` patterns begin
/// with) and as an absolute path.
struct Start {
    given: String,
    path: String,
}

/// A test that narrows the entries a find selects.
#[derive(Debug, Clone)]
enum Select {
    /// `-name P`, `-iname P`: entries whose name matches P.
    Name(String),
    /// `-path P`, `-ipath P`, `-wholename P`: entries whose path, as find
    /// prints it (starting with the start as given), matches P.
    Path(String),
}

/// The entries an expression selects: `None` is any entry; else those any
/// one of the tests selects.
type Selection = Option<Vec<Select>>;

/// What a find expression does to the entries it selects.
enum FindAction<'a> {
    Delete,
    Exec(Vec<&'a Arg>),
    /// `-fprint FILE` and the like: writes FILE.
    Write(&'a Arg),
    /// `-print`, `-print0`, `-printf FMT`, `-ls`: prints them.
    Print,
}

/// A parsed find expression.
enum FindNode<'a> {
    Or(Vec<FindNode<'a>>),
    And(Vec<FindNode<'a>>),
    Not(Box<FindNode<'a>>),
    /// A test; `None` when it does not narrow by name or path.
    Test(Option<Select>),
    Action(FindAction<'a>),
}

type FindTokens<'a> = std::iter::Peekable<std::slice::Iter<'a, Arg>>;

/// `A -o B`, and `A , B` (both run; each one's actions apply to what its
/// own tests select, as they do under `-o`).
fn find_or<'a>(tokens: &mut FindTokens<'a>) -> FindNode<'a> {
    let mut branches = vec![find_and(tokens)];
    while let Some(word) = tokens.peek() {
        match word.text.as_str() {
            "-o" | "-or" | "," => {
                tokens.next();
                branches.push(find_and(tokens));
            }
            _ => break,
        }
    }
    match branches.len() {
        1 => branches.pop().unwrap_or(FindNode::Test(None)),
        _ => FindNode::Or(branches),
    }
}

/// `A -a B`, `A -and B`, `A B`.
fn find_and<'a>(tokens: &mut FindTokens<'a>) -> FindNode<'a> {
    let mut terms = Vec::new();
    while let Some(word) = tokens.peek() {
        match word.text.as_str() {
            "-o" | "-or" | "," | ")" => break,
            "-a" | "-and" => {
                tokens.next();
            }
            _ => terms.push(find_unary(tokens)),
        }
    }
    match terms.len() {
        1 => terms.pop().unwrap_or(FindNode::Test(None)),
        _ => FindNode::And(terms),
    }
}

/// `! A`, `-not A`, `( EXPR )`, or one primary with its arguments.
fn find_unary<'a>(tokens: &mut FindTokens<'a>) -> FindNode<'a> {
    let Some(word) = tokens.next() else {
        return FindNode::Test(None);
    };
    match word.text.as_str() {
        "!" | "-not" => FindNode::Not(Box::new(find_unary(tokens))),
        "(" => {
            let inner = find_or(tokens);
            if tokens.peek().is_some_and(|w| w.text == ")") {
                tokens.next();
            }
            inner
        }
        "-name" | "-iname" => FindNode::Test(tokens.next().map(|v| Select::Name(v.text.clone()))),
        "-path" | "-ipath" | "-wholename" | "-iwholename" => {
            FindNode::Test(tokens.next().map(|v| Select::Path(v.text.clone())))
        }
        "-delete" => FindNode::Action(FindAction::Delete),
        "-exec" | "-execdir" | "-ok" | "-okdir" => {
            let mut command = Vec::new();
            for word in tokens.by_ref() {
                if word.text == ";" || word.text == "+" {
                    break;
                }
                command.push(word);
            }
            FindNode::Action(FindAction::Exec(command))
        }
        "-fprint" | "-fprint0" | "-fls" => match tokens.next() {
            Some(file) => FindNode::Action(FindAction::Write(file)),
            None => FindNode::Test(None),
        },
        "-fprintf" => {
            let file = tokens.next();
            tokens.next();
            match file {
                Some(file) => FindNode::Action(FindAction::Write(file)),
                None => FindNode::Test(None),
            }
        }
        "-print" | "-print0" | "-ls" => FindNode::Action(FindAction::Print),
        "-printf" => {
            tokens.next();
            FindNode::Action(FindAction::Print)
        }
        text if FIND_VALUE_TESTS.contains(&text) || text.starts_with("-newer") => {
            tokens.next();
            FindNode::Test(None)
        }
        _ => FindNode::Test(None),
    }
}

/// Tests and options of find that take a value (whose value is no test).
const FIND_VALUE_TESTS: &[&str] = &[
    "-amin",
    "-anewer",
    "-atime",
    "-cmin",
    "-cnewer",
    "-context",
    "-ctime",
    "-files0-from",
    "-fstype",
    "-gid",
    "-group",
    "-ilname",
    "-inum",
    "-iregex",
    "-links",
    "-lname",
    "-maxdepth",
    "-mindepth",
    "-mmin",
    "-mtime",
    "-perm",
    "-regex",
    "-regextype",
    "-samefile",
    "-size",
    "-type",
    "-uid",
    "-used",
    "-user",
    "-xtype",
];

/// True when the expression has an action other than `-prune` (without
/// one, find prints what the whole expression selects).
fn has_find_action(node: &FindNode<'_>) -> bool {
    match node {
        FindNode::Or(nodes) | FindNode::And(nodes) => nodes.iter().any(has_find_action),
        FindNode::Not(inner) => has_find_action(inner),
        FindNode::Test(_) => false,
        FindNode::Action(_) => true,
    }
}

/// What `node` selects within `context` (the entries for which it is
/// true), adding each action with the entries it applies to: those the
/// tests before it in its `-a` chain select. A negated test selects
/// anything; a branch of `-o` adds what it selects.
fn find_visit<'n, 'a>(
    node: &'n FindNode<'a>,
    context: &Selection,
    actions: &mut Vec<(&'n FindAction<'a>, Selection)>,
) -> Selection {
    match node {
        FindNode::Or(branches) => {
            let mut any: Selection = Some(Vec::new());
            for branch in branches {
                let selected = find_visit(branch, context, actions);
                any = match (any, selected) {
                    (Some(mut all), Some(more)) => {
                        all.extend(more);
                        Some(all)
                    }
                    _ => None,
                };
            }
            any
        }
        FindNode::And(terms) => {
            let mut running = context.clone();
            for term in terms {
                running = find_visit(term, &running, actions);
            }
            running
        }
        FindNode::Not(inner) => {
            find_visit(inner, context, actions);
            context.clone()
        }
        FindNode::Test(None) => context.clone(),
        FindNode::Test(Some(select)) => match context {
            // Both hold: the earlier test stands for them, unless it
            // narrows by path and this one by name (deletes go by name).
            Some(tests)
                if tests.iter().all(|t| matches!(t, Select::Name(_)))
                    || matches!(select, Select::Path(_)) =>
            {
                Some(tests.clone())
            }
            _ => Some(vec![select.clone()]),
        },
        FindNode::Action(action) => {
            actions.push((action, context.clone()));
            context.clone()
        }
    }
}

/// Each entry a find may yield: under a `-name`, an entry of that name
/// anywhere below each start (`certs/**/*.pem`, a glob the sensitive paths
/// are matched against); under a `-path`, the path it names below the
/// start; else the starts themselves.
fn found_entries(starts: &[Start], selection: &Selection) -> Vec<String> {
    let mut entries = Vec::new();
    for start in starts {
        let root = start.path.trim_end_matches('/');
        match selection {
            None => entries.push(start.path.clone()),
            Some(tests) => {
                for test in tests {
                    entries.push(match test {
                        Select::Name(name) => format!("{root}/**/{name}"),
                        Select::Path(pattern) => path_entry(start, root, pattern),
                    });
                }
            }
        }
    }
    entries.dedup();
    entries
}

/// The entries a `-path` pattern names below a start: the pattern with the
/// start as given replaced by its absolute path (`./config/*.env`), or, for
/// a pattern that begins with a wildcard (`*/secrets/*`), anywhere below.
fn path_entry(start: &Start, root: &str, pattern: &str) -> String {
    let given = start.given.trim_end_matches('/');
    if let Some(rest) = pattern.strip_prefix(given)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return format!("{root}{rest}");
    }
    let rest = pattern.trim_start_matches(['*', '/']);
    if rest.is_empty() {
        return format!("{root}/**");
    }
    format!("{root}/**/{rest}")
}

/// What a find's delete removes: the trees it starts from, or only the
/// entries its tests select.
fn find_delete(starts: &[Start], selection: &Selection, outcome: &mut Outcome) {
    let names: Option<Vec<String>> = selection.as_ref().and_then(|tests| {
        tests
            .iter()
            .map(|t| match t {
                Select::Name(name) => Some(name.clone()),
                Select::Path(_) => None,
            })
            .collect()
    });
    for start in starts {
        match (selection, &names) {
            (None, _) => outcome.delete(start.path.clone(), true),
            (Some(_), Some(names)) => outcome.effects.push(crate::Effect::DeleteNamed {
                root: start.path.clone(),
                names: names.clone(),
            }),
            (Some(_), None) => {
                for entry in found_entries(std::slice::from_ref(start), selection) {
                    outcome.delete(entry, true);
                }
            }
        }
    }
}

fn find_exec(command: &[&Arg], starts: &[Start], selection: &Selection, outcome: &mut Outcome) {
    let Some(program) = command.first() else {
        return;
    };
    if matches!(
        paths::basename(&program.text),
        "rm" | "shred" | "unlink" | "rmdir"
    ) {
        find_delete(starts, selection, outcome);
        return;
    }
    // `{}` is each entry found.
    for entry in &found_entries(starts, selection) {
        let argv = command
            .iter()
            .map(|w| w.with_text(&w.text.replace("{}", entry)))
            .collect();
        outcome.nested.push(Nested::Argv {
            argv,
            env: Vec::new(),
            cwd: None,
        });
    }
}

/// Short tar option letters that take a value, in order.
const TAR_VALUE_LETTERS: &str = "fCTXbNgLKIF";

/// A command tar runs: a checkpoint's `exec=`, `--to-command`, the
/// compressor of `-I`/`--use-compress-program`, `--rsh-command`, a volume
/// script (`-F`/`--info-script`).
fn tar_runs(command: &str, outcome: &mut Outcome) {
    let command = command.trim_matches(['\'', '"']);
    if !command.is_empty() {
        outcome.nested.push(Nested::Script {
            text: command.to_owned(),
            what: "a command tar runs".to_owned(),
        });
    }
}

/// `tar`: create (`c`), append (`r`/`u`) or extract (`x`), old-style or
/// dashed; the commands it runs ([`tar_runs`]).
fn tar(inv: &Invocation<'_>) -> Outcome {
    let mut mode = ' ';
    let mut archive: Option<String> = None;
    let mut dir = inv.cwd.to_owned();
    let mut inputs: Vec<FileRef> = Vec::new();
    let mut outcome = Outcome::default();
    let mut pending: Vec<char> = Vec::new();
    let mut excludes: Vec<String> = Vec::new();
    let mut words = inv.args.iter().enumerate().peekable();
    while let Some((index, word)) = words.next() {
        let text = word.text.as_str();
        if let Some(letter) = pending.first().copied() {
            pending.remove(0);
            tar_value(inv, letter, text, &mut archive, &mut dir, &mut outcome);
            continue;
        }
        let old_style = index == 0
            && !text.starts_with('-')
            && !text.is_empty()
            && text.chars().all(|c| c.is_ascii_alphabetic());
        if let Some(long) = text.strip_prefix("--") {
            let (name, value) = long
                .split_once('=')
                .map_or((long, None), |(n, v)| (n, Some(v.to_owned())));
            let takes = matches!(
                name,
                "file"
                    | "directory"
                    | "files-from"
                    | "exclude"
                    | "exclude-from"
                    | "checkpoint-action"
                    | "to-command"
                    | "use-compress-program"
                    | "rsh-command"
                    | "info-script"
                    | "new-volume-script"
            );
            let value = value.or_else(|| {
                if takes {
                    words.next().map(|(_, w)| w.text.clone())
                } else {
                    None
                }
            });
            match (name, value) {
                ("create", _) => mode = 'c',
                ("exclude", Some(v)) => excludes.push(v),
                ("extract" | "get", _) => mode = 'x',
                ("append" | "update", _) => mode = 'r',
                ("list", _) => mode = 't',
                ("file", Some(v)) => tar_value(inv, 'f', &v, &mut archive, &mut dir, &mut outcome),
                ("directory", Some(v)) => {
                    tar_value(inv, 'C', &v, &mut archive, &mut dir, &mut outcome)
                }
                ("files-from", Some(v)) => {
                    tar_value(inv, 'T', &v, &mut archive, &mut dir, &mut outcome)
                }
                ("checkpoint-action", Some(v)) => {
                    if let Some(command) = v.strip_prefix("exec=") {
                        tar_runs(command, &mut outcome);
                    }
                }
                (
                    "to-command"
                    | "use-compress-program"
                    | "rsh-command"
                    | "info-script"
                    | "new-volume-script",
                    Some(v),
                ) => tar_runs(&v, &mut outcome),
                _ => {}
            }
        } else if old_style || (text.starts_with('-') && text.len() > 1) {
            let letters = text.trim_start_matches('-');
            for (offset, letter) in letters.char_indices() {
                if matches!(letter, 'c' | 'x' | 'r' | 'u' | 't') {
                    mode = if letter == 'u' { 'r' } else { letter };
                }
                if TAR_VALUE_LETTERS.contains(letter) {
                    let attached = letters.get(offset + 1..).unwrap_or_default();
                    if !old_style && !attached.is_empty() {
                        tar_value(inv, letter, attached, &mut archive, &mut dir, &mut outcome);
                        break;
                    }
                    pending.push(letter);
                }
            }
        } else {
            inputs.push(FileRef {
                path: paths::resolve(&dir, inv.home, text),
                recursive: true,
                excludes: Vec::new(),
            });
        }
    }
    let mut outcome = tar_effects(mode, archive, dir, inputs, outcome);
    outcome.exclude(&excludes);
    outcome
}

fn tar_value(
    inv: &Invocation<'_>,
    letter: char,
    value: &str,
    archive: &mut Option<String>,
    dir: &mut String,
    outcome: &mut Outcome,
) {
    match letter {
        'f' => {
            *archive = Some(if value == "-" {
                "-".to_owned()
            } else {
                paths::resolve(dir, inv.home, value)
            })
        }
        'C' => *dir = paths::resolve(dir, inv.home, value),
        'T' | 'X' => outcome.read(paths::resolve(dir, inv.home, value), false),
        'I' | 'F' => tar_runs(value, outcome),
        _ => {}
    }
}

fn tar_effects(
    mode: char,
    archive: Option<String>,
    dir: String,
    inputs: Vec<FileRef>,
    mut outcome: Outcome,
) -> Outcome {
    match mode {
        'c' | 'r' => {
            let mut contents = Payload::default();
            for input in inputs {
                outcome.read(input.path.clone(), true);
                // A repository's object store is the repository's contents.
                contents.repository |= paths::basename(input.path.trim_end_matches('/')) == ".git";
                flow::push_file(&mut contents, input);
            }
            match archive.filter(|a| a != "-") {
                Some(path) => {
                    outcome.contents.push((path.clone(), contents));
                    outcome.write(path, mode == 'r');
                    outcome.stdout = Some(Payload::default());
                }
                None => outcome.stdout = Some(contents),
            }
        }
        'x' => {
            if let Some(path) = archive.filter(|a| a != "-") {
                outcome.read(path, false);
            }
            outcome.write(dir, false);
        }
        _ => {
            if let Some(path) = archive.filter(|a| a != "-") {
                outcome.read(path, false);
            }
        }
    }
    outcome
}

/// zip's arguments without its `-x`/`-i` lists, and the names `-x` leaves
/// out. Each list runs to the next argument that starts with `-` (`zip -r
/// out.zip . -x '.env' '*.pem' -q`). With any `-i` list nothing counts as
/// left out: what it brings back is not compared.
fn zip_lists(args: &[Arg]) -> (Vec<Arg>, Vec<String>) {
    let mut rest = Vec::new();
    let mut excludes = Vec::new();
    let mut includes = false;
    let mut list: Option<bool> = None;
    for arg in args {
        let text = arg.text.as_str();
        if text.starts_with('-') && text.len() > 1 {
            list = None;
        }
        match (list, text) {
            (Some(true), _) => excludes.push(text.to_owned()),
            (Some(false), _) => {}
            (None, "-x" | "--exclude") => list = Some(true),
            (None, "-i" | "--include") => {
                includes = true;
                list = Some(false);
            }
            _ => rest.push(arg.clone()),
        }
    }
    if includes {
        excludes.clear();
    }
    (rest, excludes)
}

fn zip(inv: &Invocation<'_>) -> Outcome {
    let (args, excludes) = zip_lists(inv.args);
    let items = args::parse(
        &args,
        &Spec {
            short: "binxtPZ",
            long: &["password", "exclude", "include"],
            stop_after: None,
        },
    );
    let recursive = has_short(&items, "r") || args::has(&items, &["--recurse-paths"]);
    let positional = args::positionals(&items);
    let mut outcome = Outcome::default();
    let Some((archive, inputs)) = positional.split_first() else {
        return outcome;
    };
    let mut contents = Payload::default();
    for input in inputs {
        let path = inv.path(&input.text);
        outcome.read(path.clone(), recursive);
        contents.repository |= paths::basename(path.trim_end_matches('/')) == ".git";
        flow::push_file(
            &mut contents,
            FileRef {
                path,
                recursive,
                excludes: Vec::new(),
            },
        );
    }
    if archive.text == "-" {
        outcome.stdout = Some(contents);
    } else {
        let path = inv.path(&archive.text);
        outcome.contents.push((path.clone(), contents));
        outcome.write(path, false);
        outcome.stdout = Some(Payload::default());
    }
    outcome.exclude(&excludes);
    outcome
}

fn unzip(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "dPx",
            ..Spec::default()
        },
    );
    let mut outcome = Outcome::default();
    if let Some(archive) = args::positionals(&items).first() {
        outcome.read(inv.path(&archive.text), false);
    }
    let dir =
        args::value(&items, &["-d"]).map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d.text));
    if !args::has(&items, &["-l", "-p", "-t"]) {
        outcome.write(dir, false);
    }
    outcome
}

fn compress(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "S",
            long: &["suffix"],
            stop_after: None,
        },
    );
    let to_stdout = has_short(&items, "c") || args::has(&items, &["--stdout", "--to-stdout"]);
    let mut outcome = Outcome::default();
    for file in args::positionals(&items) {
        let path = inv.path(&file.text);
        outcome.read(path.clone(), false);
        if !to_stdout {
            let decompress = inv.program.contains("un") || has_short(&items, "d");
            let output = if decompress {
                path.rsplit_once('.')
                    .map_or_else(|| path.clone(), |(stem, _)| stem.to_owned())
            } else {
                format!("{path}.{}", compressed_extension(inv.program))
            };
            outcome
                .contents
                .push((output.clone(), flow::file_payload(path, false)));
            outcome.write(output, false);
        }
    }
    outcome
}

fn compressed_extension(program: &str) -> &'static str {
    match program {
        "bzip2" => "bz2",
        "xz" => "xz",
        "zstd" => "zst",
        _ => "gz",
    }
}

/// `echo`/`printf`: their arguments are the text they emit, escapes
/// decoded as bash does (`flow::printf_output`, `flow::echo_output`).
fn echo(inv: &Invocation<'_>) -> Outcome {
    let text: Vec<&str> = inv.args.iter().map(|w| w.text.as_str()).collect();
    let printed = if inv.program == "printf" {
        flow::printf_output(&text)
    } else {
        flow::echo_output(&text)
    };
    let mut stdout = Payload::default();
    flow::push_text(&mut stdout, &printed);
    for word in inv.args {
        flow::merge(&mut stdout, &word.expansions());
    }
    Outcome {
        stdout: Some(stdout),
        ..Outcome::default()
    }
}

fn printenv(inv: &Invocation<'_>) -> Outcome {
    let mut stdout = Payload::default();
    for name in inv.args.iter().filter(|a| !a.text.starts_with('-')) {
        flow::push_env(&mut stdout, &name.text);
    }
    if stdout.env.is_empty() {
        flow::push_env(&mut stdout, crate::ALL_ENV);
    }
    Outcome {
        stdout: Some(stdout),
        ..Outcome::default()
    }
}

/// openssl subcommands whose `-out` holds no copy of their input: digests,
/// signatures, verifications, generated keys and parameters, random bytes.
fn openssl_output_copies_input(subcommand: &str) -> bool {
    !(subcommand.starts_with("sha")
        || subcommand.starts_with("md")
        || subcommand.starts_with("gen")
        || matches!(
            subcommand,
            "dgst"
                | "rmd160"
                | "sm3"
                | "blake2b512"
                | "blake2s256"
                | "rand"
                | "verify"
                | "prime"
                | "speed"
                | "version"
                | "ecparam"
                | "dhparam"
                | "dsaparam"
                | "s_client"
                | "s_server"
                | "ocsp"
                | "passwd"
                | "errstr"
        ))
}

/// `openssl SUBCOMMAND [-in IN] [-out OUT] ...`: the files it is given are
/// read, and what it writes to `-out` (or prints) carries `-in` (standard
/// input without one): `enc`, `smime`/`cms -encrypt`, `base64`, key and
/// certificate conversions; `pkcs12 -export` also bundles the `-inkey`
/// key. A public key alone (`-pubout`) carries no secret.
fn openssl(inv: &Invocation<'_>) -> Outcome {
    let subcommand = inv.args.first().map_or("", |a| a.text.as_str());
    let mut outcome = Outcome::default();
    let mut carried = Payload::default();
    let mut named_input = false;
    let mut output: Option<&str> = None;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            flag @ ("-in" | "-inkey" | "-CAfile" | "-cert" | "-key" | "-kfile" | "-pass"
            | "-recip" | "-signer" | "-certfile") => {
                if let Some(file) = words.next() {
                    let text = file.text.strip_prefix("file:").unwrap_or(&file.text);
                    if flag == "-pass" && !file.text.starts_with("file:") {
                        continue;
                    }
                    let path = inv.path(text);
                    outcome.read(path.clone(), false);
                    if flag == "-in" || (flag == "-inkey" && subcommand == "pkcs12") {
                        named_input |= flag == "-in";
                        flow::push_file(
                            &mut carried,
                            FileRef {
                                path,
                                recursive: false,
                                excludes: Vec::new(),
                            },
                        );
                    }
                }
            }
            "-out" => output = words.next().map(|f| f.text.as_str()),
            "-connect" => {
                if let Some(address) = words.next() {
                    let (host, port) = address.text.rsplit_once(':').unwrap_or((&address.text, ""));
                    let target = Target::Host {
                        user: None,
                        host: host.to_owned(),
                        port: port.parse().ok(),
                        path: None,
                    };
                    outcome.effects.push(request(
                        "openssl",
                        target,
                        "SEND",
                        Payload::default(),
                        false,
                    ));
                }
            }
            _ => {}
        }
    }
    if !named_input {
        flow::merge(&mut carried, inv.stdin);
    }
    let copies =
        openssl_output_copies_input(subcommand) && !inv.args.iter().any(|a| a.text == "-pubout");
    match output {
        Some(file) if file != "-" => {
            let path = inv.path(file);
            if copies {
                outcome.contents.push((path.clone(), carried));
            }
            outcome.write(path, false);
            outcome.stdout = Some(Payload::default());
        }
        _ if copies => outcome.stdout = Some(carried),
        _ => {}
    }
    outcome
}

/// gpg's options that take a value.
pub(super) const GPG_SPEC: Spec<'static> = Spec {
    short: "roukRfz",
    long: &[
        "recipient",
        "hidden-recipient",
        "recipient-file",
        "hidden-recipient-file",
        "encrypt-to",
        "hidden-encrypt-to",
        "default-recipient",
        "output",
        "local-user",
        "homedir",
        "passphrase",
        "passphrase-file",
        "passphrase-fd",
        "default-key",
        "keyserver",
        "keyserver-options",
        "trust-model",
        "cipher-algo",
        "digest-algo",
        "compress-algo",
        "compress-level",
        "s2k-cipher-algo",
        "s2k-digest-algo",
        "s2k-mode",
        "s2k-count",
        "set-filename",
        "comment",
        "pinentry-mode",
        "status-fd",
        "command-fd",
        "logger-fd",
        "keyring",
        "secret-keyring",
        "trustdb-name",
    ],
    stop_after: None,
};

/// gpg commands whose arguments are key ids and names, not files.
const GPG_KEY_COMMANDS: &[&str] = &[
    "--export",
    "--export-secret-keys",
    "--export-secret-subkeys",
    "--export-ssh-key",
    "--recv-keys",
    "--send-keys",
    "--search-keys",
    "--refresh-keys",
    "--list-keys",
    "-k",
    "--list-secret-keys",
    "-K",
    "--fingerprint",
    "--delete-keys",
    "--delete-key",
    "--delete-secret-keys",
    "--delete-secret-and-public-keys",
    "--edit-key",
    "--sign-key",
    "--lsign-key",
    "--gen-key",
    "--generate-key",
    "--full-gen-key",
    "--full-generate-key",
    "--quick-gen-key",
    "--quick-generate-key",
    "--gen-revoke",
    "--generate-revocation",
    "--card-status",
];

/// What a gpg command makes of its files when no `--output` names where.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GpgMode {
    /// `-e`, `-c`, `-s`, `--store`: `FILE.gpg` (`FILE.asc` armored).
    Wrap,
    /// `--clearsign`: `FILE.asc`, the text signed in clear.
    ClearSign,
    /// `-b`: `FILE.sig` (`FILE.asc` armored), a signature alone.
    DetachSign,
    /// `--encrypt-files`: each file to `FILE.gpg`.
    WrapEach,
    /// `--decrypt-files`: each file to its name without `.gpg`/`.asc`.
    UnwrapEach,
    /// `-d`, and anything else: standard output.
    Print,
}

fn gpg_mode(items: &[Item<'_>]) -> GpgMode {
    if args::has(items, &["--encrypt-files"]) {
        GpgMode::WrapEach
    } else if args::has(items, &["--decrypt-files"]) {
        GpgMode::UnwrapEach
    } else if args::has(items, &["--clearsign", "--clear-sign"]) {
        GpgMode::ClearSign
    } else if args::has(items, &["-b", "--detach-sign", "--detach-sig"]) {
        GpgMode::DetachSign
    } else if args::has(
        items,
        &[
            "-e",
            "--encrypt",
            "-c",
            "--symmetric",
            "-s",
            "--sign",
            "--store",
        ],
    ) {
        GpgMode::Wrap
    } else {
        GpgMode::Print
    }
}

/// gpg: key commands (an export of secret keys reads the keyring, and its
/// output carries it); otherwise the files it is given are read and what
/// it writes carries them: to `--output` (`-` is standard output), else
/// `FILE.gpg`/`FILE.asc` beside each file for encryption and signing
/// (standard output for standard input), and standard output to decrypt.
fn gpg(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &GPG_SPEC);
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["--passphrase-file"]) {
        outcome.read(inv.path(&file.text), false);
    }
    let output = args::value(&items, &["-o", "--output"]).map(|o| o.text.as_str());
    if args::has(&items, GPG_KEY_COMMANDS) {
        let mut carried = Payload::default();
        if args::has(&items, &["--export-secret-keys", "--export-secret-subkeys"]) {
            let keyring = paths::resolve(inv.cwd, inv.home, "~/.gnupg");
            outcome.read(keyring.clone(), true);
            carried = flow::file_payload(keyring, true);
        }
        if let Some(file) = output.filter(|f| *f != "-") {
            emit(&mut outcome, Destination::File(inv.path(file)), carried);
        }
        return outcome;
    }
    let files: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|f| f.text.as_str())
        .collect();
    let mut carried = Payload::default();
    for file in &files {
        take_input(inv, &mut outcome, &mut carried, file, false);
    }
    if files.is_empty() {
        flow::merge(&mut carried, inv.stdin);
    }
    let mode = gpg_mode(&items);
    if mode == GpgMode::DetachSign {
        carried = Payload::default();
    }
    let armored = args::has(&items, &["-a", "--armor", "--armour"]);
    let suffix = match mode {
        GpgMode::ClearSign => "asc",
        _ if armored => "asc",
        GpgMode::DetachSign => "sig",
        _ => "gpg",
    };
    match (output, mode) {
        (Some(file), _) => emit(&mut outcome, Destination::named(inv, file), carried),
        (None, GpgMode::Print) => emit(&mut outcome, Destination::Stdout, carried),
        (None, _) if files.iter().all(|f| *f == "-") => {
            emit(&mut outcome, Destination::Stdout, carried);
        }
        (None, _) => {
            for file in files.iter().filter(|f| **f != "-") {
                let path = inv.path(file);
                let out = if mode == GpgMode::UnwrapEach {
                    [".gpg", ".pgp", ".asc"]
                        .iter()
                        .find_map(|s| path.strip_suffix(s))
                        .unwrap_or(&path)
                        .to_owned()
                } else {
                    format!("{path}.{suffix}")
                };
                let inner = if mode == GpgMode::DetachSign {
                    Payload::default()
                } else {
                    flow::file_payload(path, false)
                };
                emit(&mut outcome, Destination::File(out), inner);
            }
        }
    }
    outcome
}

/// make's options that take a value.
pub(super) const MAKE_OPTIONS: Spec<'static> = Spec {
    short: "CfIjlWo",
    long: &[
        "directory",
        "file",
        "makefile",
        "include-dir",
        "jobs",
        "load-average",
        "what-if",
        "old-file",
    ],
    stop_after: None,
};

fn make(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &MAKE_OPTIONS);
    let dir = args::values(&items, &["-C", "--directory"])
        .iter()
        .fold(inv.cwd.to_owned(), |dir, d| {
            paths::resolve(&dir, inv.home, &d.text)
        });
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-f", "--file", "--makefile"]) {
        if !matches!(file.text.as_str(), "-" | "/dev/stdin") {
            outcome.read(paths::resolve(&dir, inv.home, &file.text), false);
        }
    }
    // A makefile on standard input: its recipes run.
    outcome.nested = super::runners::stdin_makefile_jobs(inv);
    outcome
}

/// Programs whose positional arguments are files they read, and the short
/// options of theirs that take a value.
fn reader_spec(program: &str) -> Option<&'static str> {
    Some(match program {
        "cat" | "tac" | "nl" | "rev" | "bat" | "batcat" | "less" | "more" | "view" | "strings"
        | "md5sum" | "sha1sum" | "sha256sum" | "sha512sum" | "shasum" | "b2sum" | "cksum"
        | "zcat" | "bzcat" | "xzcat" | "zless" | "zmore" | "base32" | "hexdump" | "column"
        | "paste" | "fold" | "fmt" | "expand" | "unexpand" | "iconv" | "wc" | "diff" | "cmp"
        | "comm" | "colordiff" | "vimdiff" | "sdiff" | "pr" | "tr" | "look" => "ftwsjanNdeLIxX",
        "head" | "tail" => "nc",
        "base64" => "w",
        "xxd" => "cglso",
        "od" => "AtNjw",
        "sort" => "ktSTo",
        "uniq" => "fsw",
        "cut" => "dfbc",
        _ => return None,
    })
}

fn reader(inv: &Invocation<'_>) -> Option<Outcome> {
    let short = reader_spec(inv.program)?;
    let short = if matches!(
        inv.program,
        "cat"
            | "diff"
            | "wc"
            | "comm"
            | "cmp"
            | "less"
            | "more"
            | "tac"
            | "rev"
            | "md5sum"
            | "sha256sum"
            | "sha1sum"
            | "sha512sum"
    ) {
        ""
    } else {
        short
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short,
            long: &[
                "output",
                "files0-from",
                "field-separator",
                "key",
                "lines",
                "bytes",
                "delimiter",
                "fields",
            ],
            stop_after: None,
        },
    );
    let recursive = matches!(inv.program, "diff" | "colordiff")
        && (has_short(&items, "r") || args::has(&items, &["--recursive"]));
    if inv.program == "xxd"
        && let [input, output] = args::positionals(&items).as_slice()
    {
        return Some(xxd_to_file(inv, input, output));
    }
    let mut outcome = Outcome::default();
    for file in args::positionals(&items) {
        if file.text == "-" {
            continue;
        }
        if inv.program == "tr" {
            break;
        }
        outcome.read(inv.path(&file.text), recursive);
        if inv.program == "less"
            && let Some(text) = inv
                .env_value("LESSOPEN")
                .and_then(|open| less_preprocessor(&open.text, &inv.path(&file.text)))
        {
            outcome.nested.push(Nested::Script {
                text,
                what: "less's LESSOPEN preprocessor".to_owned(),
            });
        }
    }
    if inv.program == "sort"
        && let Some(out) = args::value(&items, &["-o", "--output"])
    {
        let path = inv.path(&out.text);
        outcome.write(path, false);
    }
    Some(outcome)
}

/// The command less runs on a file before showing it, from `LESSOPEN`:
/// `|CMD %s` (or `||`, `|-`) pipes CMD's output to less, a bare `CMD %s`
/// prints the name of a file to show instead; either way CMD runs, `%s`
/// the file's name.
fn less_preprocessor(lessopen: &str, path: &str) -> Option<String> {
    let command = lessopen.trim_start_matches('|').trim_start_matches('-');
    let command = command.trim();
    (!command.is_empty()).then(|| command.replace("%s", &super::words::quote(path)))
}

/// `xxd [OPTIONS] INFILE OUTFILE` (a dump, or with `-r` the bytes back):
/// OUTFILE is written and holds what INFILE held.
fn xxd_to_file(inv: &Invocation<'_>, input: &Arg, output: &Arg) -> Outcome {
    let mut outcome = Outcome::default();
    let mut carried = Payload::default();
    take_input(inv, &mut outcome, &mut carried, &input.text, false);
    let output = Destination::named(inv, &output.text);
    emit(&mut outcome, output, carried);
    outcome
}

/// Unknown programs: path-like arguments are reported as reads, the values
/// of output options as writes.
pub(super) fn unknown(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    named_server(inv, &mut outcome);
    let mut args = inv.args.iter();
    while let Some(arg) = args.next() {
        // An output option's value is a file the command writes
        // (`-o FILE`, `--output FILE`, `--out=FILE`, `ssh-keygen -f FILE`).
        let output = match arg.text.split_once('=') {
            Some((name, value)) if OUTPUT_OPTIONS.contains(&name) => Some(value.to_owned()),
            _ if OUTPUT_OPTIONS.contains(&arg.text.as_str())
                || (inv.program == "ssh-keygen" && arg.text == "-f") =>
            {
                args.next().map(|v| v.text.clone())
            }
            _ => None,
        };
        if let Some(path) = output {
            if paths::looks_like_path(&path) {
                outcome.write(inv.path(&path), false);
            }
            continue;
        }
        // `@FILE`, as `--data @FILE` or `--body=@FILE`: the file's contents.
        let text = at_file(&arg.text).unwrap_or(&arg.text);
        if text.starts_with('-') || !paths::looks_like_path(text) {
            continue;
        }
        outcome.effects.push(read(inv.path(text), false));
    }
    outcome
}

/// The file an `@FILE` word (`@FILE`, `--data=@FILE`) hands a command.
fn at_file(text: &str) -> Option<&str> {
    let file = match text.split_once("=@") {
        Some((name, file)) if name.starts_with('-') => file,
        _ => text.strip_prefix('@')?,
    };
    paths::looks_like_path(file).then_some(file)
}

/// Words that, in a command writ has no handler for, ask the server it
/// names to change something (`tool --server URL secret add ...`).
const CHANGE_WORDS: &[&str] = &[
    "add",
    "apply",
    "approve",
    "cancel",
    "create",
    "delete",
    "deploy",
    "destroy",
    "disable",
    "drop",
    "edit",
    "enable",
    "grant",
    "import",
    "invite",
    "kill",
    "merge",
    "new",
    "patch",
    "post",
    "publish",
    "push",
    "put",
    "register",
    "remove",
    "reset",
    "restart",
    "revoke",
    "rm",
    "rotate",
    "send",
    "set",
    "share",
    "start",
    "stop",
    "store",
    "submit",
    "trigger",
    "unregister",
    "update",
    "upload",
    "write",
];

/// A command writ has no handler for that names a web server (`mytool
/// --token "$T" https://api.vendor.io/upload`, `--server=https://...`)
/// talks to it: the command's words go there as a GET's query would,
/// so a credential among them is sent to that host. What the tool then
/// does there is not known: a read, unless the server is an option's
/// value (`--server URL`, the API it works against, not a file to fetch
/// as `vagrant box add URL`'s) and one of its words asks for a change
/// ([`CHANGE_WORDS`]). An `@FILE` word sends the file.
fn named_server(inv: &Invocation<'_>, outcome: &mut Outcome) {
    let server = inv.args.iter().enumerate().find_map(|(at, arg)| {
        let (text, option) = match arg.text.split_once('=') {
            Some((name, value)) if name.starts_with('-') => (value, true),
            _ => {
                let after_option = at
                    .checked_sub(1)
                    .and_then(|before| inv.args.get(before))
                    .is_some_and(|before| before.text.starts_with('-'));
                (arg.text.as_str(), after_option)
            }
        };
        (text.starts_with("https://") || text.starts_with("http://")).then_some((text, option))
    });
    let Some((server, option)) = server else {
        return;
    };
    let mut payload = Payload::default();
    for arg in inv.args {
        if arg.text != server && !arg.text.ends_with(server) {
            flow::merge(&mut payload, &arg.payload());
        }
        if let Some(file) = at_file(&arg.text) {
            super::send_file(inv, &mut payload, file, false);
        }
    }
    let changes = option
        && inv
            .args
            .iter()
            .any(|arg| CHANGE_WORDS.contains(&arg.text.as_str()));
    outcome.effects.push(super::request(
        inv.program,
        super::url(server),
        if changes { "POST" } else { "GET" },
        payload,
        false,
    ));
}

/// Options whose value, in a command writ has no handler for, is the
/// file it writes.
const OUTPUT_OPTIONS: &[&str] = &[
    "-o",
    "--output",
    "--output-file",
    "--out",
    "--outfile",
    "--out-file",
];
