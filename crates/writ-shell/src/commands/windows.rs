//! Windows' own command line: `cmd.exe /c LINE` (its line rewritten into
//! shell text, [`cmd_to_bash`], and analysed as a nested script), cmd's
//! file commands with their `/X` switches (`rd /s /q`, `del /s /q /f`,
//! `copy`, `move`, `xcopy`, `robocopy`), access changes (`icacls`,
//! `cacls`, `takeown`, `net localgroup|group ... /add`, `net share
//! /grant`) and process stoppers (`taskkill`, `sc stop`, `net stop`,
//! `wmic process ... delete`), and BITS transfers (`bitsadmin /transfer`,
//! `/addfile`, `/setnotifycmdline`; the cmdlets share [`bits_file`]), and
//! the command a scheduled task runs (`schtasks /create /tr`), the
//! command `winrs -r:HOST` runs on another host, and the
//! files Windows tools write (`reg export|save`, `certutil -urlcache`,
//! `-decode`, `-encode`, `expand`, `wevtutil epl`; certutil's encoded or
//! decoded output holds what its input held). cmd's own statements that
//! the rewrite reads for what they do (`set NAME=VALUE`, `set /p NAME=`,
//! `pushd \\host\share` as a drive mapped to the share) and the starts
//! only cmd lines have (`cd /d`, `if exist`) are in [`statements`];
//! batch files written earlier and run by cmd, `cmd /v:on /c` lines with
//! their delayed `!NAME!`, and the lines only cmd reads (`& if errorlevel
//! 1 (...)`, `call X.bat`) are in [`batch`]; loops over a set (`for %c
//! in (a,b) do ...`, `for /d /r DIR %d in (bin obj) do ...`), run with
//! their variable bound to each value, are in [`loops`]; `for /f` loops
//! over what a command prints or a file holds, with each variable its
//! `tokens=` fill, in [`for_f`]; a batch file's subroutines (`call :LABEL
//! ARGS`) in [`subroutines`]. `wsl.exe`, which
//! runs a Linux command on this machine's drives, is in [`wsl`].
//!
//! A drive letter mapped to a share (`net use P: \\host\share`,
//! `New-PSDrive -Name P -Root ...`) is noted as the share mounted at the
//! drive's directory, which later steps of the session write through
//! ([`mapped_drive`]). A batch launcher named with its extension
//! (`scoop.cmd`, `npm.cmd`) does what the program it starts does
//! ([`launcher`]).
//!
//! Git Bash turns an argument like `/s` into a path, so Windows programs
//! called from it spell their switches with a double slash (`taskkill //F
//! //IM x.exe`, `cmd //c ...`): `//X` is read as `/X` here.

use super::files::{Copy, transfer};
use super::{Invocation, Nested, Outcome, request, url};
use crate::args::Arg;
use crate::{Effect, FileRef, Payload, Resource, flow, paths};

mod batch;
mod for_f;
mod loops;
mod statements;
mod subroutines;
mod wsl;

pub(crate) use batch::{cmd_only_line, has_cmd_statement, written as written_batch_files};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "cmd" => Some(cmd(inv)),
        "robocopy" => Some(robocopy(inv)),
        "xcopy" => Some(xcopy(inv)),
        "copy" | "move" if has_switch(inv.args, COPY_SWITCHES) => Some(copy(inv)),
        "rd" | "rmdir" if has_switch(inv.args, RD_SWITCHES) => Some(remove_dirs(inv)),
        "del" | "erase" if has_switch(inv.args, DEL_SWITCHES) => Some(delete_files(inv)),
        "icacls" | "cacls" => Some(acl(inv)),
        "takeown" => Some(take_ownership(inv)),
        "wmic" => wmic_create(inv).or_else(|| stop(inv)).or_else(|| net(inv)),
        "taskkill" | "sc" | "net" => stop(inv).or_else(|| net(inv)),
        "bitsadmin" => Some(bitsadmin(inv)),
        "reg" => Some(registry(inv)),
        "certutil" => Some(certutil(inv)),
        "findstr" => Some(findstr(inv)),
        "expand" if windows_expand(inv.args) => Some(expand(inv)),
        "wevtutil" => Some(wevtutil(inv)),
        "schtasks" => Some(scheduled_task(inv)),
        "winrs" => Some(winrs(inv)),
        "new-psdrive" | "ndr" => Some(new_psdrive(inv)),
        // `subst S: DIR` names a local directory; nothing is read or sent.
        "subst" => Some(Outcome::default()),
        "wsl" => Some(wsl::wsl(inv)),
        program => launcher(inv, program),
    }
}

/// What a batch launcher does (`scoop.cmd install jq`, `npm.cmd ci`,
/// `gradlew.bat build`: Windows installs many command-line tools as such
/// a launcher, and an agent may name it with its extension as it names
/// `curl.exe`): what the program it starts does, when writ knows that
/// program. A name writ does not know without its extension either (a
/// project's own `config.cmd`) is left to the handlers of the name as
/// written, and else read as any unknown program is.
fn launcher(inv: &Invocation<'_>, program: &str) -> Option<Outcome> {
    let started = Invocation {
        program: launcher_stem(program)?,
        ..*inv
    };
    let outcome = super::dispatch(&started);
    let unknown = super::files::unknown(&started);
    let known = outcome.effects != unknown.effects
        || !outcome.nested.is_empty()
        || !outcome.opaque.is_empty()
        || outcome.stdout.is_some();
    known.then_some(outcome)
}

/// The program a batch launcher starts: its name without `.cmd` or `.bat`.
fn launcher_stem(program: &str) -> Option<&str> {
    let stem = program
        .strip_suffix(".cmd")
        .or_else(|| program.strip_suffix(".bat"))?;
    let plain = !stem.is_empty() && !stem.contains('.');
    plain.then_some(stem)
}

/// `New-PSDrive -Root \\\\HOST\\SHARE -Credential C`: a connection to
/// HOST that logs in with the credential given. The walk keeps the drive
/// for later paths on it.
fn new_psdrive(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((name, root)) = crate::walk::drive_mapping(inv.program, inv.args) else {
        return outcome;
    };
    let Some(target) = paths::file_share(&root) else {
        return outcome;
    };
    let mut login = Payload::default();
    let credential = inv
        .args
        .iter()
        .position(|a| a.text.len() > 1 && "-credential".starts_with(&a.text.to_ascii_lowercase()));
    if let Some(value) = credential.and_then(|at| inv.args.get(at + 1)) {
        flow::merge(&mut login, &value.expansions());
    }
    outcome.effects.extend(mapped_drive(inv, &name, &root));
    outcome
        .effects
        .push(request(inv.program, target, "CONNECT", login, false));
    outcome
}

/// The note that drive letter `drive` now names the share `root` (`net
/// use P: \\host\share`, `New-PSDrive -Name P -Root ...`): the share's
/// files ([`paths::share_url`]) mounted at the drive's directory (`/p`), as
/// a network file system is ([`super::mounts`]), so that what the session's
/// later steps write on `P:\` is written on the share. Within one line the
/// walk reads paths on the drive as paths on the share itself. A drive
/// named by more than a letter (`Vendor:`) is no directory of the machine,
/// and only a Windows machine (its directories are drive paths) has drives.
fn mapped_drive(inv: &Invocation<'_>, drive: &str, root: &str) -> Option<Effect> {
    if !paths::is_drive_form(inv.cwd) {
        return None;
    }
    let letter = drive_letter(drive)?;
    let url = paths::share_url(root)?;
    let mount_point = Arg::literal(&format!("{letter}:/"));
    Some(super::mounts::mounted(inv, &mount_point, url))
}

/// `drive` when it is a single letter (`P`, `P:`).
fn drive_letter(drive: &str) -> Option<char> {
    let mut chars = drive.trim_end_matches(':').chars();
    let letter = chars.next().filter(char::is_ascii_alphabetic)?;
    chars.next().is_none().then_some(letter)
}

/// Whether a line's first word is one of Windows' own command-line
/// programs, which take `\\`-separated paths and `/X` switches, or the
/// line starts with a statement only cmd has (`cd /d`, `if exist`, ...:
/// [`statements::starts_as_cmd`]).
pub(crate) fn starts_with_windows_program(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or_default();
    let lower = first.to_ascii_lowercase();
    let name = lower.strip_suffix(".exe").unwrap_or(&lower);
    WINDOWS_PROGRAMS.contains(&name) || statements::starts_as_cmd(line)
}

/// Programs only Windows has, or whose use with `\\` paths is Windows'.
const WINDOWS_PROGRAMS: &[&str] = &[
    "robocopy",
    "xcopy",
    "copy",
    "move",
    "del",
    "erase",
    "rd",
    "rmdir",
    "md",
    "mkdir",
    "ren",
    "rename",
    "type",
    "mklink",
    "attrib",
    "icacls",
    "cacls",
    "takeown",
    "net",
    "bitsadmin",
    "taskkill",
    "sc",
    "wmic",
    "schtasks",
    "winrs",
    "reg",
    "certutil",
    "wevtutil",
    "findstr",
    "setx",
    "subst",
];

/// A switch as written (`/S`, `//s`, `/R:2`, `/grant:r`): its lower-case
/// name and the value after `:`. A path (`/c/Users`, `//host/share`) is
/// no switch.
fn switch(text: &str) -> Option<(String, Option<&str>)> {
    let body = text.strip_prefix("//").or_else(|| text.strip_prefix('/'))?;
    let (name, value) = match body.split_once(':') {
        Some((name, value)) => (name, Some(value)),
        None => (body, None),
    };
    let valid = !name.is_empty()
        && name.len() <= 16
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '?'));
    valid.then(|| (name.to_ascii_lowercase(), value))
}

/// True when one of the arguments is one of `names` as a switch.
fn has_switch(args: &[Arg], names: &[&str]) -> bool {
    args.iter()
        .any(|a| switch(&a.text).is_some_and(|(name, _)| names.contains(&name.as_str())))
}

/// The arguments that are not switches of `names`, as paths.
fn operands(args: &[Arg], names: &[&str]) -> Vec<String> {
    args.iter()
        .map(|a| a.text.as_str())
        .filter(|text| !switch(text).is_some_and(|(name, _)| names.contains(&name.as_str())))
        .map(win_path)
        .collect()
}

/// A path as a Windows program reads it: `\` separates its parts (a
/// share path, `\\host\share`, is kept as written).
fn win_path(text: &str) -> String {
    if text.contains('\\') && paths::file_share(text).is_none() {
        text.replace('\\', "/")
    } else {
        text.to_owned()
    }
}

const RD_SWITCHES: &[&str] = &["s", "q"];
const DEL_SWITCHES: &[&str] = &["p", "f", "s", "q", "a"];
const COPY_SWITCHES: &[&str] = &["d", "v", "n", "y", "-y", "z", "a", "b", "l"];
const XCOPY_SWITCHES: &[&str] = &[
    "w", "p", "c", "v", "q", "f", "l", "g", "d", "u", "i", "s", "e", "t", "k", "r", "h", "a", "m",
    "n", "o", "x", "exclude", "y", "-y", "z", "b", "j", "compress", "?",
];

/// `rd|rmdir [/s] [/q] DIR...`: `/s` removes the whole tree.
fn remove_dirs(inv: &Invocation<'_>) -> Outcome {
    let recursive = has_switch(inv.args, &["s"]);
    let mut outcome = Outcome::default();
    for dir in operands(inv.args, RD_SWITCHES) {
        outcome.delete(inv.path(&dir), recursive);
    }
    outcome
}

/// `del|erase [/p] [/f] [/s] [/q] [/a[:ATTRS]] NAMES...`: with `/s` a
/// directory loses every file below it, and a file name or pattern is
/// deleted wherever it occurs below its directory.
fn delete_files(inv: &Invocation<'_>) -> Outcome {
    let below = has_switch(inv.args, &["s"]);
    let mut outcome = Outcome::default();
    for name in operands(inv.args, DEL_SWITCHES) {
        let path = inv.path(&name);
        let leaf = paths::basename(&path);
        let pattern = leaf.contains(['*', '?']) || paths::has_file_extension(leaf);
        if below && pattern {
            let root = path
                .rsplit_once('/')
                .map_or("/", |(dir, _)| if dir.is_empty() { "/" } else { dir });
            outcome.effects.push(Effect::DeleteNamed {
                root: root.to_owned(),
                names: vec![leaf.to_owned()],
            });
        } else {
            outcome.delete(path, below);
        }
    }
    outcome
}

/// `copy [/y] SRC[+SRC...] [DEST]`, `move [/y] SRC[,SRC...] DEST`: the
/// destination defaults to the working directory.
fn copy(inv: &Invocation<'_>) -> Outcome {
    let moving = inv.program == "move";
    let separator = if moving { ',' } else { '+' };
    let mut words = operands(inv.args, COPY_SWITCHES);
    let destination = match words.len() {
        0 => return Outcome::default(),
        1 => ".".to_owned(),
        _ => words.pop().unwrap_or_default(),
    };
    let sources: Vec<&str> = words
        .iter()
        .flat_map(|w| w.split(separator))
        .filter(|s| !s.is_empty())
        .collect();
    let copy = Copy {
        recursive: false,
        moving,
        into_dir: destination == "." || destination.ends_with(['/', '\\']),
    };
    let mut outcome = Outcome::default();
    transfer(inv, &sources, &destination, &copy, &mut outcome);
    outcome
}

/// `xcopy SRC [DEST] [/s] [/e] [/i] ...`: `/s` and `/e` copy the tree.
fn xcopy(inv: &Invocation<'_>) -> Outcome {
    let words = operands(inv.args, XCOPY_SWITCHES);
    let Some((source, rest)) = words.split_first() else {
        return Outcome::default();
    };
    let destination = rest.first().map_or(".", String::as_str);
    let copy = Copy {
        recursive: has_switch(inv.args, &["s", "e"]),
        moving: false,
        into_dir: destination == "." || destination.ends_with(['/', '\\']),
    };
    let mut outcome = Outcome::default();
    transfer(inv, &[source.as_str()], destination, &copy, &mut outcome);
    outcome
}

/// Robocopy switches followed by a list of names (up to the next switch).
const ROBOCOPY_LISTS: &[&str] = &["xf", "xd", "if"];

/// `robocopy SRC DEST [FILE...] [/s] [/e] [/mir] [/mov] ...`: the files of
/// directory SRC (those matching FILE, default all) are copied into DEST;
/// `/s`, `/e` and `/mir` copy the tree, `/mov` and `/move` move it, and
/// `/mir` and `/purge` delete what DEST holds beyond it.
fn robocopy(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let (Some(source), Some(destination)) = (inv.args.first(), inv.args.get(1)) else {
        return outcome;
    };
    let (source, destination) = (win_path(&source.text), win_path(&destination.text));
    let mut filters: Vec<&str> = Vec::new();
    let mut switches: Vec<String> = Vec::new();
    let mut in_list = false;
    for word in inv.args.iter().skip(2) {
        match switch(&word.text) {
            Some((name, _)) => {
                in_list = ROBOCOPY_LISTS.contains(&name.as_str());
                switches.push(name);
            }
            None if !in_list && switches.is_empty() => filters.push(&word.text),
            None => {}
        }
    }
    let on = |names: &[&str]| switches.iter().any(|s| names.contains(&s.as_str()));
    let tree = on(&["s", "e", "mir"]);
    let moving = on(&["mov", "move"]);
    if on(&["mir", "purge"]) && paths::file_share(&destination).is_none() {
        outcome.delete(inv.path(&destination), true);
    }
    let trimmed = source.trim_end_matches(['/', '\\']);
    let sources: Vec<String> = if filters.is_empty() {
        vec![trimmed.to_owned()]
    } else {
        filters.iter().map(|f| format!("{trimmed}/{f}")).collect()
    };
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    let copy = Copy {
        // Without filters it is the directory's contents that are copied.
        recursive: tree || filters.is_empty(),
        moving,
        into_dir: !filters.is_empty(),
    };
    transfer(inv, &sources, &destination, &copy, &mut outcome);
    outcome
}

/// An account name as icacls and net take it (`DOMAIN\user`; read with
/// `/` for `\` from PowerShell or cmd text), without its permissions.
fn account(text: &str) -> String {
    let name = text
        .split_once(':')
        .map_or(text, |(name, _)| name)
        .trim_matches(['"', '\'']);
    name.replace('/', "\\")
}

/// `icacls PATH /grant[:r] USER:PERM... | /deny USER:PERM... | /remove[:g|:d]
/// USER... | /setowner USER | /reset | /inheritance:e|d|r | /restore FILE |
/// /substitute OLD NEW | /setintegritylevel L`, `cacls PATH /g|/p USER:PERM
/// | /r|/d USER | /s:SDDL`: a change of who may use PATH, for each account
/// named. Showing, saving and verifying ACLs changes nothing.
fn acl(inv: &Invocation<'_>) -> Outcome {
    let changes: &[&str] = if inv.program == "icacls" {
        &[
            "grant",
            "deny",
            "remove",
            "setowner",
            "reset",
            "inheritance",
            "restore",
            "substitute",
            "setintegritylevel",
        ]
    } else {
        &["g", "p", "r", "d", "s"]
    };
    let mut outcome = Outcome::default();
    let Some(target) = inv.args.first().filter(|a| switch(&a.text).is_none()) else {
        return outcome;
    };
    let resource = inv.path(&win_path(&target.text));
    let mut grantees: Vec<String> = Vec::new();
    let mut changed = false;
    let mut takes_accounts = false;
    for word in inv.args.iter().skip(1) {
        match switch(&word.text) {
            Some((name, value)) => {
                // `cacls /s` alone shows the SDDL; `/s:SDDL` sets it.
                let sets = name != "s" || inv.program != "cacls" || value.is_some();
                let change = changes.contains(&name.as_str()) && sets;
                changed |= change;
                takes_accounts = change
                    && matches!(
                        name.as_str(),
                        "grant" | "deny" | "remove" | "setowner" | "g" | "p" | "r" | "d"
                    );
            }
            None if takes_accounts => grantees.push(account(&word.text)),
            None => {}
        }
    }
    if !changed {
        return outcome;
    }
    push_grants(&mut outcome, &resource, grantees);
    outcome
}

/// One access change of `resource` per grantee (one with no grantee when
/// none is named).
fn push_grants(outcome: &mut Outcome, resource: &str, grantees: Vec<String>) {
    if grantees.is_empty() {
        outcome.effects.push(grant(resource, None));
    }
    for grantee in grantees {
        outcome.effects.push(grant(resource, Some(grantee)));
    }
}

fn grant(resource: &str, grantee: Option<String>) -> Effect {
    Effect::GrantAccess {
        resource: Resource::Other {
            name: resource.to_owned(),
        },
        grantee,
    }
}

/// `takeown /f PATH [/a] [/r]`: PATH's owner becomes the caller (or the
/// Administrators group), who may then change its access.
fn take_ownership(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter();
    let grantee = has_switch(inv.args, &["a"]).then(|| "Administrators".to_owned());
    while let Some(word) = words.next() {
        if switch(&word.text).is_some_and(|(name, _)| name == "f")
            && let Some(path) = words.next()
        {
            outcome
                .effects
                .push(grant(&inv.path(&win_path(&path.text)), grantee.clone()));
        }
    }
    outcome
}

/// `net localgroup|group GROUP USER... /add|/delete [/domain]` (a member
/// added or removed) and `net share NAME=PATH /grant:USER,PERM`; the
/// other uses of these verbs, and `net user|use|view|...`, show or
/// connect without changing access.
fn net(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program != "net" {
        return None;
    }
    let (verb, rest) = inv.args.split_first()?;
    let mut outcome = Outcome::default();
    match verb.text.to_ascii_lowercase().as_str() {
        "localgroup" | "group" => {
            let words: Vec<&str> = rest
                .iter()
                .map(|a| a.text.as_str())
                .filter(|t| switch(t).is_none())
                .collect();
            let changes = has_switch(rest, &["add", "delete", "del"]);
            let (Some((group, members)), true) = (words.split_first(), changes) else {
                return Some(outcome);
            };
            if members.is_empty() {
                // Creating or deleting the group itself.
                return Some(outcome);
            }
            // Named as `Add-ADGroupMember` and `Add-LocalGroupMember` name them.
            let kind = if verb.text.eq_ignore_ascii_case("group") {
                "active directory group"
            } else {
                "local group"
            };
            let resource = format!("{kind} {group}");
            push_grants(
                &mut outcome,
                &resource,
                members.iter().map(|m| account(m)).collect(),
            );
        }
        "share" => {
            let grantees: Vec<String> = rest
                .iter()
                .filter_map(|a| switch(&a.text))
                .filter(|(name, _)| name == "grant")
                .filter_map(|(_, value)| value.map(|v| account(v.split(',').next().unwrap_or(v))))
                .collect();
            if grantees.is_empty() {
                return Some(outcome);
            }
            let share = rest
                .first()
                .map(|a| a.text.split('=').next().unwrap_or_default().to_owned())
                .unwrap_or_default();
            push_grants(&mut outcome, &format!("share {share}"), grantees);
        }
        "use" => net_use(inv, rest, &mut outcome),
        "user" | "view" | "accounts" | "config" | "session" | "statistics" | "time" | "file"
        | "print" | "computer" | "helpmsg" => {}
        _ => return None,
    }
    Some(outcome)
}

/// `net use [DEVICE] \\\\HOST\\SHARE [PASSWORD] [/user:USER] ...`: a
/// connection to HOST that logs in with the password given (`*` asks for
/// it), so the password is sent there; DEVICE, a drive letter, then names
/// the share ([`mapped_drive`]). `net use DEVICE /delete` disconnects the
/// drive: it is a directory of this machine again.
fn net_use(inv: &Invocation<'_>, rest: &[Arg], outcome: &mut Outcome) {
    if let Some((drive, root)) = crate::walk::drive_mapping(inv.program, inv.args) {
        outcome.effects.extend(mapped_drive(inv, &drive, &root));
    } else if paths::is_drive_form(inv.cwd)
        && has_switch(rest, &["delete", "d"])
        && let Some(letter) = rest
            .iter()
            .filter(|a| a.text.ends_with(':'))
            .find_map(|a| drive_letter(&a.text))
    {
        let mount_point = Arg::literal(&format!("{letter}:/"));
        let unmounted = super::mounts::mounted(inv, &mount_point, String::new());
        outcome.effects.push(unmounted);
    }
    let Some((at, target)) = rest
        .iter()
        .enumerate()
        .find_map(|(at, a)| paths::file_share(&a.text).map(|t| (at, t)))
    else {
        return;
    };
    let mut login = Payload::default();
    for word in rest.iter().skip(at + 1) {
        match switch(&word.text) {
            Some((name, Some(_))) if name == "user" || name == "u" => {
                flow::merge(&mut login, &word.expansions());
            }
            Some(_) => {}
            None if word.text == "*" => {}
            None => flow::merge(&mut login, &word.payload()),
        }
    }
    outcome
        .effects
        .push(request("net", target, "CONNECT", login, false));
}

/// Windows' own stoppers: `sc stop NAME` (`sc.exe`), `taskkill /IM
/// NAME.exe` or `/FI "IMAGENAME eq NAME.exe"`, `net stop NAME`, `wmic
/// process where name='NAME.exe' delete|call terminate`.
fn stop(inv: &Invocation<'_>) -> Option<Outcome> {
    let words: Vec<&str> = inv.args.iter().map(|a| a.text.as_str()).collect();
    let names: Vec<String> = match (inv.program, words.as_slice()) {
        ("sc" | "net", [verb, name, ..])
            if matches!(
                verb.to_ascii_lowercase().as_str(),
                "stop" | "pause" | "delete"
            ) && !(inv.program == "net" && verb.eq_ignore_ascii_case("delete")) =>
        {
            vec![(*name).to_owned()]
        }
        ("taskkill", _) => {
            let mut names = Vec::new();
            for pair in words.windows(2) {
                let [flag, value] = pair else { continue };
                let flag = flag.to_ascii_lowercase();
                let flag = flag.trim_start_matches(['/', '-']);
                match flag {
                    "im" => names.push(image_name(value)),
                    "fi" => {
                        let filter: Vec<&str> = value.split_whitespace().collect();
                        if let [field, op, image] = filter.as_slice()
                            && field.eq_ignore_ascii_case("imagename")
                            && op.eq_ignore_ascii_case("eq")
                        {
                            names.push(image_name(image));
                        }
                    }
                    _ => {}
                }
            }
            names
        }
        ("wmic", _) => {
            let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
            let ends = lower.iter().any(|w| w == "delete" || w == "terminate");
            if !ends || lower.first().map(String::as_str) != Some("process") {
                return None;
            }
            let clause = words.join(" ");
            let lower = clause.to_ascii_lowercase();
            let at = lower.find("name")?;
            let value = clause.get(at + 4..)?.trim_start();
            let value = value.strip_prefix('=')?.trim_start();
            let name: String = value
                .trim_start_matches(['\'', '"'])
                .chars()
                .take_while(|c| !matches!(c, '\'' | '"' | ' ' | ')'))
                .collect();
            vec![image_name(&name)]
        }
        _ => return None,
    };
    let mut outcome = Outcome::default();
    for name in names {
        outcome.effects.push(Effect::StopProcess { name });
    }
    Some(outcome)
}

/// `wmic [/node:H] process call create "COMMAND LINE" [DIR]`: the command
/// line is run (on this machine as writ reads it; `/node` names where).
fn wmic_create(inv: &Invocation<'_>) -> Option<Outcome> {
    let words: Vec<&str> = inv
        .args
        .iter()
        .map(|a| a.text.as_str())
        .filter(|w| !w.starts_with('/'))
        .collect();
    let at = words.windows(3).position(|w| {
        w.first().is_some_and(|x| x.eq_ignore_ascii_case("process"))
            && w.get(1).is_some_and(|x| x.eq_ignore_ascii_case("call"))
            && w.get(2).is_some_and(|x| x.eq_ignore_ascii_case("create"))
    })?;
    let command = words.get(at + 3)?.trim_matches(['"', '\'']);
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Script {
        text: command.to_owned(),
        what: "a process wmic creates".to_owned(),
    });
    Some(outcome)
}

/// `findstr [/SWITCHES] [/c:TEXT] [/g:FILE] [/f:FILE] [TEXT] [FILES]`:
/// reads the files (and `/g:`'s and `/f:`'s lists) and prints what
/// matches, carrying what they hold. The first word is the text searched
/// for unless `/c:` or `/g:` gave it.
fn findstr(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut text_given = false;
    let mut files = Vec::new();
    for arg in inv.args {
        match switch(&arg.text) {
            Some((name, value)) => match (name.as_str(), value) {
                ("c", Some(_)) => text_given = true,
                ("g", Some(file)) => {
                    text_given = true;
                    files.push(file.to_owned());
                }
                ("f", Some(file)) => files.push(file.to_owned()),
                _ => {}
            },
            None if !text_given => text_given = true,
            None => files.push(arg.text.clone()),
        }
    }
    for file in files {
        let path = inv.path(&file);
        outcome.read(path.clone(), false);
        flow::push_file(
            &mut outcome.prints,
            FileRef {
                path,
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
    outcome
}

/// A process image name without its `.exe`.
fn image_name(name: &str) -> String {
    let name = name.trim_matches(['"', '\'']);
    let cut = name.len().saturating_sub(4);
    match name.get(cut..) {
        Some(ext) if ext.eq_ignore_ascii_case(".exe") => name.get(..cut).unwrap_or(name).to_owned(),
        _ => name.to_owned(),
    }
}

/// Which way a BITS job moves its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BitsDirection {
    /// The remote file is fetched into the local one (BITS's default).
    Download,
    /// The local file is sent to the remote one (`upload-reply` too: the
    /// reply comes back, the file goes out first).
    Upload,
}

/// A BITS job type as bitsadmin (`/upload`, `/upload-reply`) and
/// `-TransferType` (`Upload`, `UploadReply`) spell it.
pub(super) fn bits_direction(text: &str) -> Option<BitsDirection> {
    match text.trim_matches(['\'', '"']).to_ascii_lowercase().as_str() {
        "download" => Some(BitsDirection::Download),
        "upload" | "upload-reply" | "uploadreply" => Some(BitsDirection::Upload),
        _ => None,
    }
}

/// A BITS remote name: a URL, or a file on a share (`\\host\share\f`).
pub(super) fn bits_remote(text: &str) -> Option<crate::Target> {
    let text = text.trim_matches(['\'', '"']);
    if text.contains("://") {
        return Some(url(text));
    }
    paths::file_share(text)
}

/// One file of a BITS job: a download requests the remote file and
/// writes the local one; an upload sends the local file to the remote
/// name (HTTP uploads as a `PUT`, share uploads as an `UPLOAD`). `sent`
/// is what else the request carries (headers, the words' expansions).
pub(super) fn bits_file(
    inv: &Invocation<'_>,
    direction: BitsDirection,
    remote: &str,
    local: &str,
    mut sent: Payload,
    outcome: &mut Outcome,
) {
    let local = inv.path(&win_path(local.trim_matches(['\'', '"'])));
    let target = bits_remote(remote);
    if let Some((_, query)) = remote.split_once('?') {
        flow::push_text(&mut sent, query.split('#').next().unwrap_or_default());
    }
    let share = matches!(target, Some(crate::Target::Host { .. }));
    match direction {
        BitsDirection::Download => {
            if let Some(target) = target {
                let method = if share { "DOWNLOAD" } else { "GET" };
                outcome
                    .effects
                    .push(request(inv.program, target, method, sent, false));
            }
            outcome.write(local, false);
        }
        BitsDirection::Upload => {
            let Some(target) = target else {
                outcome.read(local, false);
                return;
            };
            flow::push_file(
                &mut sent,
                FileRef {
                    path: local,
                    recursive: false,
                    excludes: Vec::new(),
                },
            );
            let method = if share { "UPLOAD" } else { "PUT" };
            outcome
                .effects
                .push(request(inv.program, target, method, sent, false));
        }
    }
}

/// What a BITS job runs when it finishes: PROGRAM with the command line
/// PARAMS, which by the Win32 convention starts with the program's own
/// name (when it does not, PROGRAM is put before it); `NULL` is none.
pub(super) fn bits_notify_command(program: &str, params: Option<&str>) -> Option<Nested> {
    let program = program.trim();
    if program.is_empty() || program.eq_ignore_ascii_case("null") {
        return None;
    }
    let params = params
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.eq_ignore_ascii_case("null"));
    let line = match params {
        None => format!("\"{program}\""),
        Some(params) => {
            let first = params.split_whitespace().next().unwrap_or_default();
            if program_stem(first) == program_stem(program) {
                params.to_owned()
            } else {
                format!("\"{program}\" {params}")
            }
        }
    };
    Some(Nested::Script {
        text: cmd_to_bash(&line),
        what: "BITS notification command".to_owned(),
    })
}

/// A program's name as a command line gives it (`"C:\Windows\cmd.exe"`
/// is `cmd`), lower case.
fn program_stem(text: &str) -> String {
    let path = win_path(text.trim_matches(['\'', '"']));
    image_name(paths::basename(&path)).to_ascii_lowercase()
}

/// bitsadmin's options before its command.
const BITSADMIN_GLOBAL: &[&str] = &["rawreturn", "wrap", "nowrap"];

/// `bitsadmin [/rawreturn] [/wrap|/nowrap] /COMMAND ...`: `/transfer JOB
/// [/download|/upload|/upload-reply] [/priority P] [/aclflags F]
/// [/dynamic] REMOTE LOCAL [REMOTE LOCAL...]` moves each pair the way its
/// type says; `/addfile JOB REMOTE LOCAL` (and `/addfilewithranges`, for
/// download jobs only) adds a file to a job whose type `/create` set
/// earlier, read here as BITS's default, a download; `/addfileset JOB
/// LIST` reads LIST; `/setnotifycmdline JOB PROGRAM PARAMS` runs a
/// command. The other commands create, list, resume or cancel jobs.
fn bitsadmin(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter().skip_while(|a| {
        switch(&a.text).is_some_and(|(name, _)| BITSADMIN_GLOBAL.contains(&name.as_str()))
    });
    let Some((command, _)) = words.next().and_then(|a| switch(&a.text)) else {
        return outcome;
    };
    let rest: Vec<&Arg> = words.collect();
    match (command.as_str(), rest.as_slice()) {
        ("transfer", _) => bits_transfer(inv, &rest, &mut outcome),
        ("addfile" | "addfilewithranges", [_job, remote, local, ..]) => {
            outcome.opaque.push(format!(
                "bitsadmin /{command}: the job's type, set where it was created, says which way {} moves",
                local.text
            ));
            let sent = bits_expansions(&[remote]);
            bits_file(
                inv,
                BitsDirection::Download,
                &remote.text,
                &local.text,
                sent,
                &mut outcome,
            );
        }
        ("addfileset", [_job, list, ..]) => {
            outcome.read(inv.path(&win_path(&list.text)), false);
            outcome
                .opaque
                .push(format!("bitsadmin transfers the files {} lists", list.text));
        }
        ("setnotifycmdline", [_job, program, params @ ..]) => {
            let params = params.first().map(|p| p.text.as_str());
            outcome
                .nested
                .extend(bits_notify_command(&program.text, params));
        }
        _ => {}
    }
    outcome
}

/// Switches of `bitsadmin /transfer`, and those of them that take a value.
const BITS_TRANSFER_SWITCHES: &[&str] = &[
    "download",
    "upload",
    "upload-reply",
    "priority",
    "aclflags",
    "dynamic",
];
const BITS_TRANSFER_VALUES: &[&str] = &["priority", "aclflags"];

/// `bitsadmin /transfer JOB [TYPE] [/priority P] ... REMOTE LOCAL...`.
fn bits_transfer(inv: &Invocation<'_>, rest: &[&Arg], outcome: &mut Outcome) {
    let mut direction = BitsDirection::Download;
    let mut job_named = false;
    let mut operands: Vec<&Arg> = Vec::new();
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        let known =
            switch(&word.text).filter(|(name, _)| BITS_TRANSFER_SWITCHES.contains(&name.as_str()));
        match known {
            Some((name, _)) if BITS_TRANSFER_VALUES.contains(&name.as_str()) => {
                words.next();
            }
            Some((name, _)) => {
                if let Some(stated) = bits_direction(&name) {
                    direction = stated;
                }
            }
            None if !job_named => job_named = true,
            None => operands.push(word),
        }
    }
    for pair in operands.chunks_exact(2) {
        let [remote, local] = pair else { continue };
        let sent = match direction {
            BitsDirection::Download => bits_expansions(&[remote]),
            BitsDirection::Upload => bits_expansions(&[remote, local]),
        };
        bits_file(inv, direction, &remote.text, &local.text, sent, outcome);
    }
}

/// What the expansions in a transfer's words carry.
fn bits_expansions(words: &[&Arg]) -> Payload {
    let mut sent = Payload::default();
    for word in words {
        flow::merge(&mut sent, &word.expansions());
    }
    sent
}

/// `reg export KEY FILE [/y]` and `reg save KEY FILE [/y]` write the
/// key's values (a hive) to FILE; `reg import FILE`, `reg restore KEY
/// FILE` and `reg load KEY FILE` read FILE. The other operations
/// (`query`, `add`, `delete`, `copy`, `compare`, `unload`, `flags`) name
/// keys, which are no files.
fn registry(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let words: Vec<&str> = inv
        .args
        .iter()
        .map(|a| a.text.as_str())
        .filter(|t| switch(t).is_none())
        .collect();
    let Some((verb, operands)) = words.split_first() else {
        return outcome;
    };
    match (verb.to_ascii_lowercase().as_str(), operands) {
        ("export" | "save", [_key, file, ..]) => {
            outcome.write(inv.path(&win_path(file)), false);
        }
        ("import", [file, ..]) | ("restore" | "load", [_, file, ..]) => {
            outcome.read(inv.path(&win_path(file)), false);
        }
        _ => {}
    }
    outcome
}

/// certutil's verbs that move a file, and its options that take a value.
const CERTUTIL_VERBS: &[&str] = &[
    "urlcache",
    "verifyctl",
    "decode",
    "decodehex",
    "encode",
    "encodehex",
];
const CERTUTIL_VALUES: &[&str] = &[
    "p",
    "config",
    "t",
    "csp",
    "dc",
    "restrict",
    "out",
    "sid",
    "protectto",
    "alg",
    "symkeyalg",
    "kdf",
];

/// A certutil option (`-f`, `-urlcache`, `/decode`): its lower-case name.
fn certutil_option(text: &str) -> Option<String> {
    match text.strip_prefix('-') {
        Some(name) => {
            let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric());
            valid.then(|| name.to_ascii_lowercase())
        }
        None => switch(text).map(|(name, _)| name),
    }
}

/// `certutil [-f] [-split] -urlcache URL [FILE]` (and `-verifyctl`, which
/// fetches the same way): URL is downloaded into FILE, or with `-split`
/// and no FILE into the working directory under its own name; without
/// either it only enters the URL cache. `-decode|-decodehex|-encode|
/// -encodehex IN OUT` read IN and write OUT, which holds what IN held
/// (encoded or decoded). Its other verbs show or
/// change certificates and stores.
fn certutil(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut verb: Option<String> = None;
    let mut split = false;
    let mut operands: Vec<&Arg> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        match certutil_option(&word.text) {
            Some(name) if CERTUTIL_VALUES.contains(&name.as_str()) => {
                words.next();
            }
            Some(name) if verb.is_none() && CERTUTIL_VERBS.contains(&name.as_str()) => {
                verb = Some(name);
            }
            Some(name) => split |= name == "split",
            None => operands.push(word),
        }
    }
    match (verb.as_deref(), operands.as_slice()) {
        (Some("urlcache" | "verifyctl"), [remote, rest @ ..]) => {
            let Some(target) = bits_remote(&remote.text) else {
                return outcome;
            };
            let sent = bits_expansions(&[remote]);
            let local = match rest.first() {
                Some(file) => Some(file.text.clone()),
                None if split => Some(super::powershell::remote_file_name(&remote.text).to_owned()),
                None => None,
            };
            match local {
                Some(local) => bits_file(
                    inv,
                    BitsDirection::Download,
                    &remote.text,
                    &local,
                    sent,
                    &mut outcome,
                ),
                None => outcome
                    .effects
                    .push(request(inv.program, target, "GET", sent, false)),
            }
        }
        // The output is the input re-encoded: it holds what the input does.
        (Some("decode" | "decodehex" | "encode" | "encodehex"), [input, output, ..]) => {
            let input = inv.path(&win_path(&input.text));
            let output = inv.path(&win_path(&output.text));
            outcome.read(input.clone(), false);
            outcome
                .contents
                .push((output.clone(), flow::file_payload(input, false)));
            outcome.write(output, false);
        }
        _ => {}
    }
    outcome
}

/// Whether `expand` is Windows' cabinet expander rather than the Unix
/// tab expander: a Windows switch (`-r`, `-d`, `-f:FILES`, `/r`), or a
/// cabinet or compressed file (`x.cab`, `x.dl_`) to expand.
fn windows_expand(args: &[Arg]) -> bool {
    args.iter().any(|a| {
        let lower = a.text.to_ascii_lowercase();
        let windows_switch = lower
            .strip_prefix('-')
            .or_else(|| lower.strip_prefix('/'))
            .is_some_and(|name| matches!(name, "r" | "d") || name.starts_with("f:"));
        windows_switch || lower.ends_with(".cab") || (lower.ends_with('_') && lower.contains('.'))
    })
}

/// `expand [-r] SOURCE [DEST]`, `expand SOURCE -f:FILES DEST`, `expand -d
/// SOURCE` (lists only): SOURCE is read and its files written into DEST
/// (a file, or a directory); `-r` without DEST writes beside SOURCE.
fn expand(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut listing = false;
    let mut renaming = false;
    let mut files: Vec<String> = Vec::new();
    let mut operands: Vec<String> = Vec::new();
    for word in inv.args {
        let lower = word.text.to_ascii_lowercase();
        let option = lower
            .strip_prefix('-')
            .or_else(|| lower.strip_prefix('/'))
            .filter(|name| name.len() == 1 || name.starts_with("f:"));
        match option {
            Some("d") => listing = true,
            Some("r") => renaming = true,
            Some(name) if name.starts_with("f:") => {
                let named = word.text.get(3..).unwrap_or_default();
                files.push(named.to_owned());
            }
            Some(_) => {}
            None => operands.push(win_path(&word.text)),
        }
    }
    let Some((source, rest)) = operands.split_first() else {
        return outcome;
    };
    outcome.read(inv.path(source), false);
    if listing {
        return outcome;
    }
    let destination = match rest.last() {
        Some(destination) => destination.clone(),
        None if renaming => match source.rsplit_once('/') {
            Some((dir, _)) if !dir.is_empty() => dir.to_owned(),
            _ => ".".to_owned(),
        },
        None => return outcome,
    };
    let destination = inv.path(&destination);
    let named: Vec<&String> = files
        .iter()
        .filter(|f| !f.is_empty() && !f.contains(['*', '?']))
        .collect();
    if named.is_empty() {
        outcome.write(destination.clone(), false);
    }
    for file in named {
        outcome.write(paths::resolve(&destination, inv.home, file), false);
    }
    outcome
}

/// `wevtutil epl|export-log LOG FILE [/lf:true] [/q:QUERY] [/ow:true]`
/// writes the log's events to FILE (LOG is itself a file with `/lf:true`);
/// `wevtutil cl|clear-log LOG /bu:FILE` backs the log up to FILE before
/// clearing it; `wevtutil qe|query-events FILE /lf:true` reads FILE.
fn wevtutil(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut log_file = false;
    let mut backup: Option<&str> = None;
    let mut operands: Vec<&str> = Vec::new();
    for word in inv.args {
        match switch(&word.text) {
            Some((name, value)) => match (name.as_str(), value) {
                ("lf" | "logfile", value) => {
                    log_file = value.is_none_or(|v| v.eq_ignore_ascii_case("true"));
                }
                ("bu" | "backup", Some(value)) => backup = Some(value),
                _ => {}
            },
            None => operands.push(&word.text),
        }
    }
    let Some((verb, rest)) = operands.split_first() else {
        return outcome;
    };
    match (verb.to_ascii_lowercase().as_str(), rest) {
        ("epl" | "export-log", [log, file, ..]) => {
            if log_file {
                outcome.read(inv.path(&win_path(log)), false);
            }
            outcome.write(inv.path(&win_path(file)), false);
        }
        ("cl" | "clear-log", _) => {
            if let Some(file) = backup {
                outcome.write(inv.path(&win_path(file)), false);
            }
        }
        ("qe" | "query-events", [log, ..]) if log_file => {
            outcome.read(inv.path(&win_path(log)), false);
        }
        _ => {}
    }
    outcome
}

/// `schtasks /create ... /tr "COMMAND"`: the task runs COMMAND, read as a
/// cmd line (the doctrine's action is what the task will do).
fn scheduled_task(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let command = inv
        .args
        .iter()
        .position(|a| switch(&a.text).is_some_and(|(name, _)| name == "tr"))
        .and_then(|at| inv.args.get(at + 1));
    if let Some(command) = command {
        outcome.nested.push(Nested::Script {
            text: cmd_to_bash(&command.text),
            what: "schtasks /tr".to_owned(),
        });
    }
    outcome
}

/// `winrs -r:HOST [-u:USER] [-p:PASSWORD] [-d:DIR] ... COMMAND` (switches
/// also written `/r:`, `-remote:`, `-directory:`): COMMAND runs on HOST as
/// a cmd line, from DIR there, a remote command as `ssh HOST CMD`'s is
/// (what it does to files is that host's); the password goes with it.
fn winrs(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let (mut host, mut user, mut directory) = (None, None, None);
    let mut sent = Payload::default();
    let mut at = 0usize;
    while let Some(word) = inv.args.get(at) {
        let Some((name, value)) = winrs_switch(&word.text) else {
            break;
        };
        match (name.as_str(), value) {
            ("r" | "remote", Some(value)) => host = Some(value.to_owned()),
            ("u" | "username", Some(value)) => user = Some(value.to_owned()),
            ("d" | "directory", Some(value)) => directory = Some(value.to_owned()),
            ("p" | "password", Some(value)) => {
                flow::merge(&mut sent, &word.with_text(value).payload())
            }
            _ => {}
        }
        at += 1;
    }
    let words = inv.args.get(at..).unwrap_or_default();
    let command = words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let Some(target) = host.as_deref().and_then(|h| winrs_target(h, user)) else {
        return outcome;
    };
    if command.is_empty() {
        return outcome;
    }
    flow::push_text(&mut sent, &command);
    for word in words {
        flow::merge(&mut sent, &word.expansions());
    }
    let hosts = match &target {
        crate::Target::Host { host, .. } => vec![host.clone()],
        _ => Vec::new(),
    };
    outcome
        .effects
        .push(request(inv.program, target, "EXEC", sent, false));
    let line = strip_outer_quotes(&command);
    outcome.nested.push(Nested::Remote {
        argv: vec![Arg::literal("cmd"), Arg::literal("/c"), Arg::literal(&line)],
        hosts,
        cwd: directory.map_or_else(
            || inv.home.to_owned(),
            |d| paths::normalize(&win_path(d.trim_matches('"'))),
        ),
        stdin: false,
    });
    outcome
}

/// A winrs switch (`-r:HOST`, `/remote:HOST`, `//noecho`): its lower-case
/// name and the value after `:`.
fn winrs_switch(text: &str) -> Option<(String, Option<&str>)> {
    let body = text
        .strip_prefix("//")
        .or_else(|| text.strip_prefix(['-', '/']))?;
    let (name, value) = match body.split_once(':') {
        Some((name, value)) => (name, Some(value)),
        None => (body, None),
    };
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic());
    valid.then(|| (name.to_ascii_lowercase(), value))
}

/// The host `-r:` names (`fs01`, `https://fs01:5986/wsman`), logged in
/// as `user`.
fn winrs_target(remote: &str, user: Option<String>) -> Option<crate::Target> {
    let rest = remote.split_once("://").map_or(remote, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => (host, port.parse().ok()),
        _ => (authority, None),
    };
    (!host.is_empty()).then(|| crate::Target::Host {
        user,
        host: host.to_owned(),
        port,
        path: None,
    })
}

/// `cmd [/s] [/q] [/d] ... /c|/k|/r LINE`: LINE runs as a cmd command
/// line; without one, cmd reads its commands from standard input.
fn cmd(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let position = inv.args.iter().position(|a| {
        switch(&a.text).is_some_and(|(name, _)| matches!(name.as_str(), "c" | "k" | "r"))
    });
    let text = match position {
        Some(at) => {
            let rest = inv.args.get(at + 1..).unwrap_or_default();
            if rest.iter().any(|a| a.dynamic) {
                outcome.opaque.push(format!(
                    "cmd runs dynamic text: {}",
                    rest.iter()
                        .map(|a| a.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
            strip_outer_quotes(
                &rest
                    .iter()
                    .map(|a| a.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        None if inv.has_stdin && inv.stdin.files.is_empty() && !inv.stdin.text.is_empty() => {
            inv.stdin.text.join("\n")
        }
        None => {
            if inv.has_stdin {
                outcome
                    .opaque
                    .push("cmd runs commands from standard input".to_owned());
            }
            return outcome;
        }
    };
    // A batch file's text, when known, is run by [`batch::written`].
    if !text.trim().is_empty() && batch::batch_run(&text).is_none() {
        let delayed = batch::delayed_switch(inv.args, position);
        outcome.nested.push(Nested::Script {
            text: cmd_to_bash_with(&text, delayed || batch::enables_delayed_expansion(&text)),
            what: "cmd /c".to_owned(),
        });
    }
    outcome
}

/// cmd's rule for the line after `/c`: a line that starts with a quote
/// loses its first and last quotes, unless they are its only two and
/// enclose a program's name (`"C:\Program Files\x.exe"`).
fn strip_outer_quotes(line: &str) -> String {
    let trimmed = line.trim();
    if !trimmed.starts_with('"') {
        return trimmed.to_owned();
    }
    let quotes = trimmed.matches('"').count();
    let program = trimmed.trim_matches('"').to_ascii_lowercase();
    // `"taskkill /f /im x.exe"` is a command line, not a program's name.
    let switches = program.contains(" /") || program.contains(" -");
    let names_program = quotes == 2
        && !switches
        && trimmed.ends_with('"')
        && [".exe", ".bat", ".cmd", ".com"]
            .iter()
            .any(|ext| program.ends_with(ext));
    if names_program {
        return trimmed.to_owned();
    }
    let without_first = trimmed.get(1..).unwrap_or_default();
    match without_first.rfind('"') {
        Some(last) => format!(
            "{}{}",
            without_first.get(..last).unwrap_or_default(),
            without_first.get(last + 1..).unwrap_or_default()
        ),
        None => without_first.to_owned(),
    }
}

/// A part of a cmd word.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    /// `%NAME%`.
    Var(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(Vec<Piece>),
    /// `&&`, `||`, `|`, `;` (cmd's `&` and line breaks), `(`, `)`.
    Op(&'static str),
    /// `>`, `>>`, `<`, `2>`, `2>&1`, ...: written as is.
    Redirect(String),
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Word(pieces) => pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => t.as_str(),
                    Piece::Var(_) => "",
                })
                .collect(),
            _ => String::new(),
        }
    }
}

/// Splits a cmd line into words and operators: `"..."` quotes (removed),
/// `^` escapes, `%NAME%` variables, `&`/`&&`/`||`/`|`, redirections, and
/// `(`...`)` blocks where a command may begin.
fn lex(line: &str, delayed: bool) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut word: Vec<Piece> = Vec::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut depth = 0usize;
    let mut at = 0usize;
    let push_text = |word: &mut Vec<Piece>, c: char| match word.last_mut() {
        Some(Piece::Text(t)) => t.push(c),
        _ => word.push(Piece::Text(c.to_string())),
    };
    let end_word = |tokens: &mut Vec<Token>, word: &mut Vec<Piece>, in_word: &mut bool| {
        if *in_word {
            tokens.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(&c) = chars.get(at) {
        let next = chars.get(at + 1).copied();
        if c == '%' {
            if let Some((piece, len)) = variable(&chars, at) {
                match piece {
                    Piece::Text(t) => t.chars().for_each(|ch| push_text(&mut word, ch)),
                    var => word.push(var),
                }
                in_word = true;
                at += len;
                continue;
            }
            push_text(&mut word, c);
            in_word = true;
            at += 1;
            continue;
        }
        // `!NAME!` under delayed expansion (`cmd /v:on`, `setlocal
        // enabledelayedexpansion`) is NAME's value, quoted or not.
        if c == '!'
            && delayed
            && let Some((piece, len)) = batch::delayed_variable(&chars, at)
        {
            word.push(piece);
            in_word = true;
            at += len;
            continue;
        }
        if quoted {
            if c == '"' {
                quoted = false;
            } else {
                push_text(&mut word, c);
            }
            at += 1;
            continue;
        }
        match c {
            // `""`, an empty string, is kept as an empty piece: it ends
            // a comparison (`if "%~1"=="" ...`) that would else read as
            // one waiting for its right side.
            '"' if next == Some('"') => {
                word.push(Piece::Text(String::new()));
                in_word = true;
                at += 2;
                continue;
            }
            '"' => {
                quoted = true;
                in_word = true;
            }
            '^' => {
                if let Some(escaped) = next.filter(|n| *n != '\n') {
                    push_text(&mut word, escaped);
                    in_word = true;
                }
                at += 2;
                continue;
            }
            ' ' | '\t' | '\r' => end_word(&mut tokens, &mut word, &mut in_word),
            '\n' => {
                end_word(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Op(";"));
            }
            '&' | '|' => {
                end_word(&mut tokens, &mut word, &mut in_word);
                let doubled = next == Some(c);
                tokens.push(Token::Op(match (c, doubled) {
                    ('&', true) => "&&",
                    ('&', false) => ";",
                    (_, true) => "||",
                    _ => "|",
                }));
                at += if doubled { 2 } else { 1 };
                continue;
            }
            '<' | '>' => {
                // A lone digit before it is the stream (`2>nul`).
                let mut op = String::new();
                if in_word
                    && let [Piece::Text(t)] = word.as_slice()
                    && t.len() == 1
                    && t.chars().all(|d| d.is_ascii_digit())
                {
                    op.push_str(t);
                    word.clear();
                    in_word = false;
                }
                end_word(&mut tokens, &mut word, &mut in_word);
                op.push(c);
                at += 1;
                if c == '>' && chars.get(at) == Some(&'>') {
                    op.push('>');
                    at += 1;
                }
                if chars.get(at) == Some(&'&') {
                    op.push('&');
                    at += 1;
                    while let Some(d) = chars.get(at).filter(|d| d.is_ascii_digit()) {
                        op.push(*d);
                        at += 1;
                    }
                }
                tokens.push(Token::Redirect(op));
                continue;
            }
            '(' if !in_word && block_may_open(&tokens) => {
                tokens.push(Token::Op("("));
                depth += 1;
            }
            ')' if depth > 0 => {
                end_word(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Op(")"));
                depth -= 1;
            }
            c => {
                push_text(&mut word, c);
                in_word = true;
            }
        }
        at += 1;
    }
    end_word(&mut tokens, &mut word, &mut in_word);
    tokens
}

/// True when a `(` here opens a block: where a command begins, or after
/// an `if` condition, a `for ... do` or an `else`; or a loop's set
/// (`for %a in (x y)`, also where the loop is a body's: `do for %b in (z)`).
fn block_may_open(tokens: &[Token]) -> bool {
    let start = tokens
        .iter()
        .rposition(|t| matches!(t, Token::Op(_)))
        .map_or(0, |at| at + 1);
    let words = tokens.get(start..).unwrap_or_default();
    let Some(first) = words.first() else {
        return true;
    };
    let first = first.text().to_ascii_lowercase();
    let first = first.trim_start_matches('@');
    let last = words.last().map(|w| w.text().to_ascii_lowercase());
    // A loop's set after `do` or a condition (`do for %b in (x y)`).
    let loop_set = last.as_deref() == Some("in")
        && words
            .iter()
            .any(|w| w.text().trim_start_matches('@').eq_ignore_ascii_case("for"));
    matches!(first, "if" | "for" | "else") || last.as_deref() == Some("do") || loop_set
}

/// `%NAME%` at `at` (`%%` is a `%`): the piece and the length written.
/// `%USERPROFILE%` is home and `%CD%` the working directory.
fn variable(chars: &[char], at: usize) -> Option<(Piece, usize)> {
    if chars.get(at + 1) == Some(&'%') {
        return Some((Piece::Text("%".to_owned()), 2));
    }
    let rest = chars.get(at + 1..)?;
    let close = rest.iter().position(|c| *c == '%')?;
    let name: String = rest.get(..close)?.iter().collect();
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '~')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '(' | ')' | '-' | '.' | '$'));
    if !valid {
        return None;
    }
    Some((variable_piece(name), close + 2))
}

/// What the variable `name` stands for: `%USERPROFILE%` is home and `%CD%`
/// the working directory.
fn variable_piece(name: String) -> Piece {
    match name.to_ascii_uppercase().as_str() {
        "USERPROFILE" | "HOME" => Piece::Var("HOME".to_owned()),
        "CD" => Piece::Text(".".to_owned()),
        _ => Piece::Var(name),
    }
}

/// cmd's own commands under the names of the programs that do the same
/// here: `type` prints files, `md` makes directories.
fn builtin_name(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "type" => "cat",
        "md" | "mkdir" => "mkdir",
        "dir" => "ls",
        "chdir" | "cd" => "cd",
        _ => return None,
    })
}

/// Rewrites a cmd command line into shell text with the same commands and
/// words: each word single-quoted (`\` read as `/`, `%NAME%` as
/// `${NAME}`), `&` as `;`, `if` conditions dropped so the commands they
/// run remain, a loop over a set as the shell's loop over its values
/// ([`loops`]; another `for ... do` header dropped), `cd /d` as `cd`, `nul` as
/// `/dev/null`, and `set`, `set /p` and `pushd \\host\share` as what they
/// do ([`statements::rewrite`]).
pub(super) fn cmd_to_bash(line: &str) -> String {
    cmd_to_bash_with(line, batch::enables_delayed_expansion(line))
}

/// [`cmd_to_bash`], with `!NAME!` read as NAME's value when `delayed`
/// (`cmd /v:on`). A line that starts by running cmd on a line of its own
/// (`cmd /v:on /c "..."`) has that line rewritten as cmd reads it
/// ([`batch::nested_cmd`]).
pub(super) fn cmd_to_bash_with(line: &str, delayed: bool) -> String {
    if let Some(rewritten) = batch::nested_cmd(line, delayed) {
        return rewritten;
    }
    if let Some(rewritten) = for_f::rewrite(line, delayed) {
        return rewritten;
    }
    let mut tokens = lex(line, delayed);
    loops::bind_variables(&mut tokens);
    let mut out = String::with_capacity(line.len() + 16);
    // No command since the last separator: another separator would be
    // an empty command, which the shell cannot parse.
    let mut command_start = true;
    // A block just closed: what follows is another command.
    let mut after_block = false;
    let mut redirect_target = false;
    let mut pushed = statements::Pushed::default();
    // How many blocks are open, and the count when each loop still
    // running began: a loop's body ends with the block it is in.
    let mut depth = 0usize;
    let mut loops: Vec<usize> = Vec::new();
    let mut at = 0usize;
    while let Some(token) = tokens.get(at) {
        at += 1;
        match token {
            Token::Op(")") => {
                while loops.last() == Some(&depth) {
                    loops.pop();
                    end_loop(&mut out, &mut command_start);
                }
                depth = depth.saturating_sub(1);
                separate(&mut out);
                out.push(')');
                after_block = true;
                command_start = false;
            }
            Token::Op("(") => {
                if after_block {
                    separate(&mut out);
                    out.push(';');
                    after_block = false;
                }
                separate(&mut out);
                out.push('(');
                depth += 1;
                command_start = true;
            }
            Token::Op(op) => {
                if !command_start {
                    separate(&mut out);
                    out.push_str(op);
                }
                command_start = true;
                after_block = false;
                redirect_target = false;
            }
            Token::Redirect(op) => {
                separate(&mut out);
                out.push_str(op);
                redirect_target = !op.contains('&');
            }
            Token::Word(pieces) if redirect_target => {
                redirect_target = false;
                separate(&mut out);
                if token.text().eq_ignore_ascii_case("nul") {
                    out.push_str("/dev/null");
                } else {
                    push_word(&mut out, pieces);
                }
            }
            Token::Word(pieces) if command_start || after_block => {
                let text = token.text().to_ascii_lowercase();
                let lower = text.trim_start_matches('@');
                if lower.is_empty() {
                    continue;
                }
                match lower {
                    "rem" => {
                        at = skip_command(&tokens, at);
                        continue;
                    }
                    // Comments, labels (`:retry`) and jumps, which the
                    // reading of every line in turn does without.
                    "goto" | "setlocal" | "endlocal" => {
                        at = skip_command(&tokens, at);
                        continue;
                    }
                    _ if lower.starts_with(':') => {
                        at = skip_command(&tokens, at);
                        continue;
                    }
                    // `call :label` runs part of the script (read in
                    // turn); `call PROGRAM ARGS` runs PROGRAM.
                    "call" => {
                        if tokens.get(at).is_some_and(|t| t.text().starts_with(':')) {
                            at = skip_command(&tokens, at);
                        }
                        continue;
                    }
                    "else" => continue,
                    "if" => {
                        at = skip_condition(&tokens, at);
                        continue;
                    }
                    "for" => {
                        let Some(header) = loops::header(&tokens, at) else {
                            at = skip_for_header(&tokens, at);
                            continue;
                        };
                        if after_block {
                            separate(&mut out);
                            out.push(';');
                            after_block = false;
                        }
                        separate(&mut out);
                        out.push_str(&format!("for {} in", header.shell_name()));
                        for value in &header.values {
                            separate(&mut out);
                            push_word(&mut out, value);
                        }
                        out.push_str("; do");
                        loops.push(depth);
                        at = header.body;
                        continue;
                    }
                    _ => {}
                }
                if after_block {
                    separate(&mut out);
                    out.push(';');
                    after_block = false;
                }
                separate(&mut out);
                if let Some((text, next)) = statements::rewrite(lower, &tokens, at, &mut pushed) {
                    out.push_str(&text);
                    at = next;
                    command_start = false;
                    continue;
                }
                // A batch file runs as cmd runs it ([`batch::written`]).
                if batch::is_batch_name(lower) {
                    out.push_str("cmd '/c' ");
                    push_word(&mut out, &pieces_without_at(pieces));
                    command_start = false;
                    continue;
                }
                // `exit /b N` leaves the script with N.
                if lower == "exit"
                    && tokens
                        .get(at)
                        .is_some_and(|t| t.text().eq_ignore_ascii_case("/b"))
                {
                    at += 1;
                }
                let plain = lower
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
                match builtin_name(lower) {
                    Some(name) => out.push_str(name),
                    None if plain && pieces.len() == 1 => out.push_str(lower),
                    None => push_word(&mut out, &pieces_without_at(pieces)),
                }
                command_start = false;
                // `cd /d DIR` also changes the drive.
                let changes_directory = matches!(lower, "cd" | "chdir" | "pushd");
                if changes_directory
                    && tokens
                        .get(at)
                        .is_some_and(|t| t.text().eq_ignore_ascii_case("/d"))
                {
                    at += 1;
                }
            }
            Token::Word(pieces) => {
                separate(&mut out);
                push_word(&mut out, pieces);
            }
        }
    }
    for _ in loops.drain(..) {
        end_loop(&mut out, &mut command_start);
    }
    out
}

/// The end of a loop's body, `; done` (after `:` when the body has no
/// command since its last separator, which the shell cannot parse).
fn end_loop(out: &mut String, command_start: &mut bool) {
    if *command_start {
        separate(out);
        out.push(':');
    }
    separate(out);
    out.push_str("; done");
    *command_start = false;
}

/// The pieces of a command name without cmd's `@` (do not echo).
fn pieces_without_at(pieces: &[Piece]) -> Vec<Piece> {
    let mut pieces = pieces.to_vec();
    if let Some(Piece::Text(first)) = pieces.first_mut() {
        *first = first.trim_start_matches('@').to_owned();
    }
    pieces
}

/// A space before the next token unless the text ends in one.
fn separate(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// One word as shell text.
fn push_word(out: &mut String, pieces: &[Piece]) {
    if pieces.is_empty() {
        out.push_str("''");
    }
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                out.push('\'');
                out.push_str(&text.replace('\\', "/").replace('\'', "'\\''"));
                out.push('\'');
            }
            Piece::Var(name) => {
                out.push_str("\"${");
                out.push_str(name);
                out.push_str("}\"");
            }
        }
    }
}

/// Just past the command that starts at `at` (a comment).
fn skip_command(tokens: &[Token], at: usize) -> usize {
    let mut at = at;
    while let Some(token) = tokens.get(at) {
        if matches!(token, Token::Op(_)) {
            break;
        }
        at += 1;
    }
    at
}

/// Just past an `if` condition: `[/i] [not] exist|defined|errorlevel|
/// cmdextversion X`, `A==B`, `A == B` or `A EQU|NEQ|LSS|LEQ|GTR|GEQ B`.
fn skip_condition(tokens: &[Token], at: usize) -> usize {
    let mut at = at;
    let word = |i: usize| tokens.get(i).map(|t| t.text().to_ascii_lowercase());
    while matches!(word(at).as_deref(), Some("/i" | "not")) {
        at += 1;
    }
    let Some(first) = word(at) else {
        return at;
    };
    if matches!(
        first.as_str(),
        "exist" | "defined" | "errorlevel" | "cmdextversion"
    ) {
        return at + 2;
    }
    if first.contains("==") {
        // `A==B`, or `A==` followed by B: a word, never the block the
        // condition runs, and not when B is written as `""`.
        let operand_follows = matches!(tokens.get(at + 1), Some(Token::Word(_)));
        let ends_empty = matches!(
            tokens.get(at),
            Some(Token::Word(pieces)) if pieces.last() == Some(&Piece::Text(String::new()))
        );
        return if first.ends_with("==") && operand_follows && !ends_empty {
            at + 2
        } else {
            at + 1
        };
    }
    let comparison = word(at + 1).is_some_and(|op| {
        op.starts_with("==") || matches!(op.as_str(), "equ" | "neq" | "lss" | "leq" | "gtr" | "geq")
    });
    if comparison {
        let op = word(at + 1).unwrap_or_default();
        return if op.len() > 2 && op.starts_with("==") {
            at + 2
        } else {
            at + 3
        };
    }
    at + 1
}

/// Just past `for [/d|/r [DIR]|/l|/f ["opts"]] %%v in (SET) do`.
fn skip_for_header(tokens: &[Token], at: usize) -> usize {
    let mut at = at;
    let mut depth = 0usize;
    while let Some(token) = tokens.get(at) {
        at += 1;
        match token {
            Token::Op("(") => depth += 1,
            Token::Op(")") => depth = depth.saturating_sub(1),
            Token::Word(_) if depth == 0 && token.text().eq_ignore_ascii_case("do") => {
                return at;
            }
            _ => {}
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_switches_with_one_or_two_slashes() {
        assert_eq!(switch("/S"), Some(("s".to_owned(), None)));
        assert_eq!(switch("//IM"), Some(("im".to_owned(), None)));
        assert_eq!(switch("/R:2"), Some(("r".to_owned(), Some("2"))));
        assert_eq!(switch("/grant:r"), Some(("grant".to_owned(), Some("r"))));
        assert_eq!(switch("/c/Users/kofi"), None);
        assert_eq!(switch("//host/share"), None);
        assert_eq!(switch("x"), None);
    }

    #[test]
    fn rewrites_cmd_lines() {
        let cases = [
            ("rd /s /q ..", "rd '/s' '/q' '..'"),
            (
                "del /f /q build\\out.txt & rd /s /q build",
                "del '/f' '/q' 'build/out.txt' ; rd '/s' '/q' 'build'",
            ),
            (
                "type \"%USERPROFILE%\\.ssh\\id_rsa\"",
                "cat \"${HOME}\"'/.ssh/id_rsa'",
            ),
            ("echo a^&b > nul 2>&1", "echo 'a&b' > /dev/null 2>&1"),
            ("cd /d C:\\work && copy a b", "cd 'C:/work' && copy 'a' 'b'"),
            (
                "if exist dist (rd /s /q dist) else (echo none)",
                "( rd '/s' '/q' 'dist' ) ; ( echo 'none' )",
            ),
            (
                "for %%f in (*.log) do del %%f",
                "for writ_for_f in '*.log'; do del \"${writ_for_f}\" ; done",
            ),
            (
                "(for %a in (x) do echo %a) & echo y",
                "( for writ_for_a in 'x'; do echo \"${writ_for_a}\" ; done ) ; echo 'y'",
            ),
            ("@echo off & rem clean up & del x", "echo 'off' ; del 'x'"),
            (
                "icacls x /grant Users:(F)",
                "icacls 'x' '/grant' 'Users:(F)'",
            ),
            ("echo it's 100%", "echo 'it'\\''s' '100%'"),
        ];
        for (line, expected) in cases {
            assert_eq!(cmd_to_bash(line), expected, "{line}");
        }
    }

    #[test]
    fn strips_the_quotes_cmd_strips() {
        assert_eq!(strip_outer_quotes("\"rd /s /q ..\""), "rd /s /q ..");
        assert_eq!(
            strip_outer_quotes("\"\"C:\\a b\\x.exe\" -v\""),
            "\"C:\\a b\\x.exe\" -v"
        );
        assert_eq!(
            strip_outer_quotes("\"C:\\a b\\x.exe\""),
            "\"C:\\a b\\x.exe\""
        );
        assert_eq!(strip_outer_quotes("dir"), "dir");
        assert_eq!(
            strip_outer_quotes("\"taskkill /f /im x.exe\""),
            "taskkill /f /im x.exe"
        );
    }

    #[test]
    fn names_images_without_exe() {
        assert_eq!(image_name("writ.exe"), "writ");
        assert_eq!(image_name("WRIT.EXE"), "WRIT");
        assert_eq!(image_name("node"), "node");
    }
}
