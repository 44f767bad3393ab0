//! Local file commands: removers, movers, copiers, writers, readers,
//! archivers, `echo`/`printf`, and the fallback for unknown programs.

use super::transform::{Destination, emit, take_input};
use super::{Invocation, Nested, Outcome, read, request};
use crate::args::{self, Arg, Item, Spec};
use crate::{FileRef, Payload, Target, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let program = inv.program;
    Some(match program {
        "rm" | "unlink" | "shred" | "srm" => remove(inv, false),
        "rmdir" => remove(inv, true),
        "rimraf" => remove_trees(inv),
        "mv" => copy(inv, true),
        "cp" | "install" => copy(inv, false),
        "touch" | "mkdir" | "truncate" | "mkfifo" => create(inv),
        "chmod" | "chown" | "chgrp" | "chattr" | "setfacl" => change_mode(inv),
        "ln" => link(inv),
        "crontab" => crontab(inv),
        "tee" => tee(inv),
        "sponge" => sponge(inv),
        "dd" => dd(inv),
        "sed" | "gsed" => sed(inv),
        "awk" | "gawk" | "mawk" | "nawk" => awk(inv),
        "grep" | "egrep" | "fgrep" | "rg" | "ag" | "ack" => grep(inv),
        "jq" | "yq" => jq(inv),
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
    let skip = usize::from(!has_reference && !matches!(inv.program, "setfacl"));
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
    for file in args::positionals(&items) {
        if file.text != "-" {
            outcome.read(inv.path(&file.text), false);
        }
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
    let link_path = match (
        args::value(&items, &["-t", "--target-directory"]),
        positional.as_slice(),
    ) {
        (Some(dir), [target, ..]) => paths::resolve(
            &inv.path(&dir.text),
            inv.home,
            paths::basename(&target.text),
        ),
        (None, [target]) => inv.path(paths::basename(&target.text)),
        (None, [.., name]) => inv.path(&name.text),
        _ => return outcome,
    };
    // What the link leads to is what reading it reads: a symbolic link's
    // target is taken from the link's own directory.
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
            path: target,
            recursive: false,
        });
        outcome.contents.push((link_path.clone(), leads_to));
    }
    outcome.write(link_path, false);
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

fn sed(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "efl",
            long: &["expression", "file", "line-length"],
            stop_after: None,
        },
    );
    let in_place = items
        .iter()
        .any(|i| matches!(i, Item::Opt { name, .. } if name == "-i" || name == "--in-place"));
    let mut outcome = Outcome::default();
    for script in args::values(&items, &["-f", "--file"]) {
        outcome.read(inv.path(&script.text), false);
    }
    let explicit_script = args::has(&items, &["-e", "--expression", "-f", "--file"]);
    let mut positional = args::positionals(&items).into_iter();
    if in_place && !explicit_script {
        positional = positional
            .as_slice()
            .iter()
            .skip_while(|p| p.text.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .into_iter();
    }
    for file in positional.skip(usize::from(!explicit_script)) {
        let path = inv.path(&file.text);
        if in_place {
            outcome.write(path, false);
        } else {
            outcome.read(path, false);
        }
    }
    outcome
}

fn awk(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "fvFi",
            long: &["file", "assign", "field-separator", "include"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let program_files = args::values(&items, &["-f", "--file"]);
    for file in &program_files {
        outcome.read(inv.path(&file.text), false);
    }
    let in_place = args::values(&items, &["-i", "--include"])
        .iter()
        .any(|v| v.text == "inplace");
    for file in args::positionals(&items)
        .into_iter()
        .skip(usize::from(program_files.is_empty()))
    {
        if file.text.contains('=') {
            continue;
        }
        let path = inv.path(&file.text);
        if in_place {
            outcome.write(path, false);
        } else {
            outcome.read(path, false);
        }
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

fn jq(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter();
    let mut filter_seen = false;
    while let Some(word) = words.next() {
        match word.text.as_str() {
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
            _ => outcome.read(inv.path(&word.text), false),
        }
    }
    outcome
}

/// `find DIR... EXPR`: `-delete` and `-exec rm` delete the tree.
fn find(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let start_count = inv
        .args
        .iter()
        .take_while(|a| !a.text.starts_with('-') && a.text != "(" && a.text != "!")
        .count();
    let (starts, expression) = inv.args.split_at(start_count.min(inv.args.len()));
    let starts: Vec<String> = if starts.is_empty() {
        vec![inv.cwd.to_owned()]
    } else {
        starts.iter().map(|s| inv.path(&s.text)).collect()
    };
    let names = find_names(expression);
    let mut words = expression.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-delete" => find_delete(&starts, &names, &mut outcome),
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let command: Vec<&Arg> = words
                    .by_ref()
                    .take_while(|w| w.text != ";" && w.text != "+")
                    .collect();
                find_exec(&command, &starts, &names, &mut outcome);
            }
            "-fprint" | "-fprint0" | "-fprintf" | "-fls" => {
                if let Some(file) = words.next() {
                    outcome.write(inv.path(&file.text), false);
                }
            }
            _ => {}
        }
    }
    // With an `-exec` and no `-print`, what it prints is what the commands
    // it runs print (`find . -name '*.csv' -exec cat {} +`).
    let runs = expression
        .iter()
        .any(|w| matches!(w.text.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir"));
    let prints = expression.iter().any(|w| w.text.starts_with("-print"));
    if runs && !prints {
        return outcome;
    }
    // What it prints: under a `-name`, entries of that name (which `xargs`
    // may pass on); else paths nothing is known of.
    let mut printed = Payload::default();
    for entry in found_entries(&starts, &names)
        .iter()
        .filter(|_| !names.is_empty())
    {
        crate::flow::push_text(&mut printed, entry);
    }
    outcome.stdout = Some(printed);
    outcome
}

/// Each entry a find may yield: under a `-name`, an entry of that name
/// anywhere below each start (`certs/**/*.pem`, a glob the sensitive paths
/// are matched against), else the starts themselves.
fn found_entries(starts: &[String], names: &[String]) -> Vec<String> {
    starts
        .iter()
        .flat_map(|start| {
            if names.is_empty() {
                vec![start.clone()]
            } else {
                names
                    .iter()
                    .map(|name| format!("{}/**/{name}", start.trim_end_matches('/')))
                    .collect()
            }
        })
        .collect()
}

/// The names a find expression's tests narrow it to (`-name P`, `-iname
/// P`); empty when any test is negated (`! -name P`, `-not`): then it may
/// match everything.
fn find_names(expression: &[Arg]) -> Vec<String> {
    let mut names = Vec::new();
    let mut words = expression.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "!" | "-not" => return Vec::new(),
            "-name" | "-iname" => {
                if let Some(name) = words.next() {
                    names.push(name.text.clone());
                }
            }
            _ => {}
        }
    }
    names
}

/// What a find's delete removes: the trees it starts from, or only the
/// entries named as its tests name them.
fn find_delete(starts: &[String], names: &[String], outcome: &mut Outcome) {
    for start in starts {
        if names.is_empty() {
            outcome.delete(start.clone(), true);
        } else {
            outcome.effects.push(crate::Effect::DeleteNamed {
                root: start.clone(),
                names: names.to_vec(),
            });
        }
    }
}

fn find_exec(command: &[&Arg], starts: &[String], names: &[String], outcome: &mut Outcome) {
    let Some(program) = command.first() else {
        return;
    };
    if matches!(
        paths::basename(&program.text),
        "rm" | "shred" | "unlink" | "rmdir"
    ) {
        find_delete(starts, names, outcome);
        return;
    }
    // `{}` is each entry found.
    for entry in &found_entries(starts, names) {
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
const TAR_VALUE_LETTERS: &str = "fCTXbNgLK";

/// `tar`: create (`c`), append (`r`/`u`) or extract (`x`), old-style or dashed.
fn tar(inv: &Invocation<'_>) -> Outcome {
    let mut mode = ' ';
    let mut archive: Option<String> = None;
    let mut dir = inv.cwd.to_owned();
    let mut inputs: Vec<FileRef> = Vec::new();
    let mut outcome = Outcome::default();
    let mut pending: Vec<char> = Vec::new();
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
            let takes = matches!(name, "file" | "directory" | "files-from" | "exclude-from");
            let value = value.or_else(|| {
                if takes {
                    words.next().map(|(_, w)| w.text.clone())
                } else {
                    None
                }
            });
            match (name, value) {
                ("create", _) => mode = 'c',
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
            });
        }
    }
    tar_effects(mode, archive, dir, inputs, outcome)
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

fn zip(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
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
        flow::push_file(&mut contents, FileRef { path, recursive });
    }
    if archive.text == "-" {
        outcome.stdout = Some(contents);
    } else {
        let path = inv.path(&archive.text);
        outcome.contents.push((path.clone(), contents));
        outcome.write(path, false);
        outcome.stdout = Some(Payload::default());
    }
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

fn make(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
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
        },
    );
    let dir = args::values(&items, &["-C", "--directory"])
        .iter()
        .fold(inv.cwd.to_owned(), |dir, d| {
            paths::resolve(&dir, inv.home, &d.text)
        });
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-f", "--file", "--makefile"]) {
        outcome.read(paths::resolve(&dir, inv.home, &file.text), false);
    }
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
    let mut outcome = Outcome::default();
    for file in args::positionals(&items) {
        if file.text == "-" {
            continue;
        }
        if inv.program == "tr" {
            break;
        }
        outcome.read(inv.path(&file.text), recursive);
    }
    if inv.program == "sort"
        && let Some(out) = args::value(&items, &["-o", "--output"])
    {
        let path = inv.path(&out.text);
        outcome.write(path, false);
    }
    Some(outcome)
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
        if arg.text.starts_with('-') || !paths::looks_like_path(&arg.text) {
            continue;
        }
        outcome.effects.push(read(inv.path(&arg.text), false));
    }
    outcome
}

/// A command writ has no handler for that names a web server (`mytool
/// --token "$T" https://api.vendor.io/upload`, `--server=https://...`)
/// talks to it: the command's words go there as a GET's query would,
/// so a credential among them is sent to that host. What the tool then
/// does there is not known, so it is a read unless its words carry
/// something.
fn named_server(inv: &Invocation<'_>, outcome: &mut Outcome) {
    let server = inv.args.iter().find_map(|arg| {
        let text = arg
            .text
            .split_once('=')
            .filter(|(name, _)| name.starts_with('-'))
            .map_or(arg.text.as_str(), |(_, value)| value);
        (text.starts_with("https://") || text.starts_with("http://")).then_some(text)
    });
    let Some(server) = server else {
        return;
    };
    let mut payload = Payload::default();
    for arg in inv.args {
        if arg.text != server && !arg.text.ends_with(server) {
            flow::merge(&mut payload, &arg.payload());
        }
    }
    outcome.effects.push(super::request(
        inv.program,
        super::url(server),
        "GET",
        payload,
        false,
    ));
}

/// Options whose value, in a command writ has no handler for, is the
/// file it writes.
const OUTPUT_OPTIONS: &[&str] = &["-o", "--output", "--output-file", "--out", "--outfile"];
