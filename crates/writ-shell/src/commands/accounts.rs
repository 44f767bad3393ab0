//! Who may log in to this machine, as whom, and who may act as root: the
//! local account database and the files that grant privileges, and the
//! commands that change them.
//!
//! [`changes_account_access`] says which files hold such grants, so that a
//! write or delete of one is an access change whatever writes it (a
//! redirect, `tee`, `cp`, `install`, a file tool, a command on another
//! host). The commands are each an [`Effect::GrantAccess`] on the account
//! or group they change (`account NAME`, `group NAME`, `group NAME member
//! USER`), beside writes of the database files they rewrite:
//!
//! - shadow-utils and Debian's wrappers: `useradd`, `usermod`, `userdel`,
//!   `groupadd`, `groupmod`, `groupdel`, `gpasswd`, `groupmems`,
//!   `adduser`/`addgroup`, `deluser`/`delgroup` (BusyBox's and Fedora's
//!   alike), `passwd LOGIN`, `chpasswd`, `chgpasswd`, `newusers`, `chage`;
//! - the editors of the files: `visudo`, `vipw`, `vigr`, `sudoedit`;
//! - macOS's directory service: `dseditgroup`, `dscl`, `sysadminctl`;
//! - FreeBSD's `pw`.
//!
//! A local account is not an address anyone outside can be reached at, so
//! the grantee is left empty and the account is named in the resource.
//! Taking access away changes it as giving does (a removal from a group, a
//! lock, a deletion): the doctrine's "granting or changing". Their
//! read-only forms (`visudo -c`, `passwd -S`, `chage -l`, `groupmems -l`,
//! `dscl . -read`, `pw usershow`) change nothing.

use super::{Invocation, Outcome};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Resource};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "useradd" => Some(useradd(inv)),
        "usermod" => Some(usermod(inv)),
        "userdel" => Some(userdel(inv)),
        "groupadd" | "groupdel" | "groupmod" => Some(group_tool(inv)),
        "gpasswd" => Some(gpasswd(inv)),
        "groupmems" => Some(groupmems(inv)),
        "adduser" | "addgroup" => Some(adduser(inv)),
        "deluser" | "delgroup" => Some(deluser(inv)),
        "passwd" => Some(passwd(inv)),
        "chpasswd" | "chgpasswd" | "newusers" => Some(batch(inv)),
        "chage" => Some(chage(inv)),
        "visudo" => Some(visudo(inv)),
        "vipw" | "vigr" => Some(vipw(inv)),
        "sudoedit" => Some(sudoedit(inv)),
        "dseditgroup" => Some(dseditgroup(inv)),
        "dscl" => Some(dscl(inv)),
        "sysadminctl" => Some(sysadminctl(inv)),
        "pw" => Some(pw(inv)),
        _ => None,
    }
}

/// Files that each say, for the whole machine, who may log in, as whom,
/// or who may act as another account: the account and group databases
/// (Linux's and the BSDs' `master.passwd`), sudo's and doas's rules, PAM's
/// configuration and its access tables (`access.conf`, `time.conf`,
/// `group.conf`, which grants groups at login; BSD's `login.access`), the
/// terminals root may log in on, sshd's configuration (`AllowUsers`,
/// `PermitRootLogin`, `AuthorizedKeysFile`), the host-trust lists that let
/// other hosts' users in without a password, and the lists of who may
/// schedule jobs. `/etc/subuid` and `/etc/subgid` are left out: the ranges
/// they give act only inside a user namespace. Backups (`/etc/passwd-`)
/// are read by nothing.
const ACCESS_FILES: &[&str] = &[
    "/etc/passwd",
    "/etc/shadow",
    "/etc/group",
    "/etc/gshadow",
    "/etc/master.passwd",
    "/etc/sudoers",
    "/usr/local/etc/sudoers",
    "/etc/doas.conf",
    "/usr/local/etc/doas.conf",
    "/etc/pam.conf",
    "/etc/security/access.conf",
    "/etc/security/time.conf",
    "/etc/security/group.conf",
    "/etc/login.access",
    "/etc/securetty",
    "/etc/ssh/sshd_config",
    "/etc/hosts.equiv",
    "/etc/shosts.equiv",
    "/etc/cron.allow",
    "/etc/cron.deny",
    "/etc/at.allow",
    "/etc/at.deny",
];

/// Directories whose every file is such a grant: sudo's drop-ins, PAM's
/// per-service stacks, polkit's rules and local authority (which actions
/// which users and groups may take as root, and who counts as an
/// administrator), sshd's drop-ins, and macOS's local directory node (its
/// users' and groups' records).
const ACCESS_DIRS: &[&str] = &[
    "/etc/sudoers.d",
    "/usr/local/etc/sudoers.d",
    "/etc/pam.d",
    "/etc/polkit-1/rules.d",
    "/usr/share/polkit-1/rules.d",
    "/etc/polkit-1/localauthority",
    "/etc/polkit-1/localauthority.conf.d",
    "/var/lib/polkit-1/localauthority",
    "/etc/ssh/sshd_config.d",
    "/var/db/dslocal/nodes",
];

/// Files that, in a user's home, name who else may log in as that user:
/// rsh's and ssh's host-based trust lists and Kerberos's principals. Like
/// `authorized_keys` (`changes_login_keys`), any file of the name counts.
const LOGIN_GRANT_NAMES: &[&str] = &[".rhosts", ".shosts", ".k5login", ".k5users"];

/// Whether writing or deleting `path` (absolute) changes who may log in to
/// this machine, as whom, or who may act as root: one of
/// [`ACCESS_FILES`], a file in (or the whole of) one of [`ACCESS_DIRS`],
/// or a [`LOGIN_GRANT_NAMES`] file anywhere. macOS's `/private/etc` is
/// `/etc`. A recursive delete also counts when it removes a directory
/// that holds one of them (`rm -rf /etc/polkit-1`), below the top level:
/// the whole of `/etc` or `/` is another harm, judged as such.
pub fn changes_account_access(path: &str, recursive: bool) -> bool {
    let path = normal(path);
    let path = path
        .strip_prefix("/private")
        .filter(|rest| rest.starts_with("/etc/") || rest.starts_with("/var/"))
        .unwrap_or(&path);
    let path = path
        .strip_suffix("/*")
        .or_else(|| path.strip_suffix("/.*"))
        .unwrap_or(path);
    let last = path.rsplit('/').next().unwrap_or_default();
    let under = |path: &str, dir: &str| {
        path.strip_prefix(dir)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    ACCESS_FILES.contains(&path)
        || ACCESS_DIRS.iter().any(|dir| under(path, dir))
        || LOGIN_GRANT_NAMES.contains(&last)
        || (recursive
            && path.matches('/').count() >= 2
            && ACCESS_FILES
                .iter()
                .chain(ACCESS_DIRS)
                .any(|entry| under(entry, path)))
}

/// `path` with its `.` and `..` steps and repeated slashes removed.
fn normal(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

const PASSWD: &str = "/etc/passwd";
const SHADOW: &str = "/etc/shadow";
const GROUP: &str = "/etc/group";
const GSHADOW: &str = "/etc/gshadow";

/// What an account command changes: the resources whose access changes
/// and the database files it rewrites, under `root` (`-R CHROOT`,
/// `-P PREFIX`) when it works on another system's files.
#[derive(Default)]
struct Change {
    resources: Vec<String>,
    files: Vec<&'static str>,
    root: Option<String>,
}

impl Change {
    fn account(&mut self, name: &str) {
        self.resources.push(format!("account {name}"));
    }

    fn group(&mut self, name: &str) {
        self.resources.push(format!("group {name}"));
    }

    /// `user` joins or leaves each group of a comma-separated list.
    fn members(&mut self, groups: &str, user: &str) {
        for group in list(groups) {
            self.resources.push(format!("group {group} member {user}"));
        }
    }

    fn files(&mut self, files: &[&'static str]) {
        self.files.extend_from_slice(files);
    }

    fn outcome(self, inv: &Invocation<'_>) -> Outcome {
        let mut outcome = Outcome::default();
        let mut seen: Vec<&str> = Vec::new();
        for name in &self.resources {
            if !seen.contains(&name.as_str()) {
                seen.push(name);
                outcome.effects.push(Effect::GrantAccess {
                    resource: Resource::Other { name: name.clone() },
                    grantee: None,
                });
            }
        }
        let root = self
            .root
            .as_deref()
            .map(|r| inv.path(r).trim_end_matches('/').to_owned());
        let mut written: Vec<&str> = Vec::new();
        for file in self.files {
            if !written.contains(&file) {
                written.push(file);
                outcome.write(
                    root.as_deref()
                        .map_or_else(|| file.to_owned(), |r| format!("{r}{file}")),
                    false,
                );
            }
        }
        outcome
    }
}

/// The names of a comma-separated list (`docker,sudo`).
fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|n| !n.is_empty())
}

/// The other root a shadow-utils command works in: `-R CHROOT` or `-P
/// PREFIX`, both of which hold the files as `ROOT/etc/...`.
fn other_root(items: &[Item<'_>]) -> Option<String> {
    args::value(items, &["-R", "--root", "-P", "--prefix"]).map(|a| a.text.clone())
}

/// `-h`/`--help`: the command only prints its usage.
fn is_help(items: &[Item<'_>]) -> bool {
    args::has(items, &["-h", "--help"])
}

/// The last positional word (a login or group name).
fn last_name<'a>(items: &[Item<'a>]) -> Option<&'a Arg> {
    args::positionals(items).into_iter().next_back()
}

const USERADD: Spec<'static> = Spec {
    short: "bcdefgGkKpRPsuZ",
    long: &[
        "base-dir",
        "comment",
        "home-dir",
        "expiredate",
        "inactive",
        "gid",
        "groups",
        "skel",
        "key",
        "password",
        "root",
        "prefix",
        "shell",
        "uid",
        "selinux-user",
        "selinux-range",
    ],
    stop_after: None,
};

/// `useradd [options] LOGIN`: a new login, in its primary group (`-g`) and
/// the groups of `-G`. `useradd -D [options]` only changes the defaults
/// for later accounts (`/etc/default/useradd`), which grants no one
/// anything.
fn useradd(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &USERADD);
    if is_help(&items) {
        return Outcome::default();
    }
    if args::has(&items, &["-D", "--defaults"]) {
        let mut outcome = Outcome::default();
        if args::options(&items).next().is_some() {
            outcome.write("/etc/default/useradd".to_owned(), false);
        }
        return outcome;
    }
    let Some(login) = last_name(&items) else {
        return Outcome::default();
    };
    let mut change = Change {
        root: other_root(&items),
        ..Change::default()
    };
    change.account(&login.text);
    for groups in args::values(&items, &["-g", "--gid", "-G", "--groups"]) {
        change.members(&groups.text, &login.text);
    }
    change.files(&[PASSWD, SHADOW, GROUP, GSHADOW]);
    change.outcome(inv)
}

const USERMOD: Spec<'static> = Spec {
    short: "cdefgGlpPRsuZvVwW",
    long: &[
        "comment",
        "home",
        "expiredate",
        "inactive",
        "gid",
        "groups",
        "login",
        "password",
        "prefix",
        "root",
        "shell",
        "uid",
        "selinux-user",
        "selinux-range",
        "add-subuids",
        "del-subuids",
        "add-subgids",
        "del-subgids",
    ],
    stop_after: None,
};

/// `usermod [options] LOGIN`: `-G GROUPS` (with `-a`, added to them; with
/// `-r`, removed; alone, exactly them) and `-g GROUP` change its groups;
/// every other option changes the account's entry itself: its password or
/// lock (`-p`, `-L`, `-U`, `-e`, `-f`: whether it may log in), its uid
/// (`-u 0 -o` is root), shell, name, home or comment. The account
/// database is what says who may log in and as whom, so each is a change
/// of the account.
fn usermod(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &USERMOD);
    let Some(login) = last_name(&items).filter(|_| !is_help(&items)) else {
        return Outcome::default();
    };
    let login = login.text.as_str();
    let mut change = Change {
        root: other_root(&items),
        ..Change::default()
    };
    for item in &items {
        let Item::Opt { name, value } = item else {
            continue;
        };
        let value = value.as_deref().map_or("", |v| v.text.as_str());
        match name.as_ref() {
            "-G" | "--groups" => {
                change.members(value, login);
                change.files(&[GROUP, GSHADOW]);
            }
            "-g" | "--gid" => {
                change.members(value, login);
                change.files(&[PASSWD]);
            }
            // How `-G` applies, and options that change nothing alone.
            "-a" | "--append" | "-r" | "--remove" | "-b" | "--badname" | "--badnames" | "-R"
            | "--root" | "-P" | "--prefix" | "-m" | "--move-home" => {}
            "-p" | "--password" | "-L" | "--lock" | "-U" | "--unlock" | "-e" | "--expiredate"
            | "-f" | "--inactive" => {
                change.account(login);
                change.files(&[SHADOW]);
            }
            "-l" | "--login" => {
                change.account(login);
                change.files(&[PASSWD, SHADOW, GROUP, GSHADOW]);
            }
            "-v" | "--add-subuids" | "-V" | "--del-subuids" => {
                change.account(login);
                change.files(&["/etc/subuid"]);
            }
            "-w" | "--add-subgids" | "-W" | "--del-subgids" => {
                change.account(login);
                change.files(&["/etc/subgid"]);
            }
            "-Z" | "--selinux-user" | "--selinux-range" => change.account(login),
            _ => {
                change.account(login);
                change.files(&[PASSWD]);
            }
        }
    }
    change.outcome(inv)
}

/// `userdel [-r] [-f] LOGIN`: the login goes; `-r` (`--remove`) also
/// removes its home directory, by default `/home/LOGIN` (`/root` for
/// root).
fn userdel(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "RP",
            long: &["root", "prefix"],
            stop_after: None,
        },
    );
    let Some(login) = last_name(&items).filter(|_| !is_help(&items)) else {
        return Outcome::default();
    };
    let root = other_root(&items);
    let mut change = Change {
        root: root.clone(),
        ..Change::default()
    };
    change.account(&login.text);
    change.files(&[PASSWD, SHADOW, GROUP, GSHADOW]);
    let mut outcome = change.outcome(inv);
    if args::has(&items, &["-r", "--remove"]) {
        remove_home(inv, &mut outcome, root.as_deref(), &login.text);
    }
    outcome
}

/// Deletes the default home directory of `login` (under `root`).
fn remove_home(inv: &Invocation<'_>, outcome: &mut Outcome, root: Option<&str>, login: &str) {
    if login.contains('/') || login.starts_with('$') {
        return;
    }
    let home = if login == "root" {
        "/root".to_owned()
    } else {
        format!("/home/{login}")
    };
    let root = root.map_or_else(String::new, |r| {
        inv.path(r).trim_end_matches('/').to_owned()
    });
    outcome.delete(format!("{root}{home}"), true);
}

/// `groupadd [-U USERS] GROUP`, `groupmod [-n NEW] [-g GID] [-U USERS]
/// GROUP`, `groupdel GROUP`: a group, a role on the machine, made,
/// changed or removed (its members lose what it gave them); `-U` adds
/// members.
fn group_tool(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "gKpnRPU",
            long: &[
                "gid", "key", "password", "new-name", "root", "prefix", "users",
            ],
            stop_after: None,
        },
    );
    let Some(group) = last_name(&items).filter(|_| !is_help(&items)) else {
        return Outcome::default();
    };
    let mut change = Change {
        root: other_root(&items),
        ..Change::default()
    };
    change.group(&group.text);
    for users in args::values(&items, &["-U", "--users"]) {
        for user in list(&users.text) {
            change.members(&group.text, user);
        }
    }
    change.files(&[GROUP, GSHADOW]);
    change.outcome(inv)
}

/// `gpasswd -a USER GROUP` / `-d USER` (a member added or removed), `-M
/// USERS` (the members set), `-A USERS` (the group's administrators, who
/// may add members themselves), `-r`/`-R` or no option (the group's
/// password, which lets whoever knows it join with `newgrp`).
fn gpasswd(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "adMAQ",
            long: &["add", "delete", "members", "administrators", "root"],
            stop_after: None,
        },
    );
    let Some(group) = last_name(&items).filter(|_| !is_help(&items)) else {
        return Outcome::default();
    };
    let group = group.text.as_str();
    let mut change = Change {
        root: args::value(&items, &["-Q", "--root"]).map(|a| a.text.clone()),
        ..Change::default()
    };
    let mut named = false;
    for (name, value) in args::options(&items) {
        match name {
            "-a" | "--add" | "-d" | "--delete" | "-M" | "--members" => {
                named = true;
                for user in list(&value.text) {
                    change.members(group, user);
                }
            }
            "-A" | "--administrators" => {
                named = true;
                for user in list(&value.text) {
                    change
                        .resources
                        .push(format!("group {group} administrator {user}"));
                }
            }
            _ => {}
        }
    }
    if !named {
        change.group(group);
    }
    change.files(&[GROUP, GSHADOW]);
    change.outcome(inv)
}

/// `groupmems [-g GROUP] -a USER | -d USER | -p`: members of GROUP (by
/// default the caller's own group) added, removed or all purged; `-l`
/// lists them.
fn groupmems(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "adgR",
            long: &["add", "delete", "group", "root"],
            stop_after: None,
        },
    );
    if is_help(&items) || args::has(&items, &["-l", "--list"]) {
        return Outcome::default();
    }
    let group = args::value(&items, &["-g", "--group"]).map_or("(own)", |a| a.text.as_str());
    let mut change = Change {
        root: args::value(&items, &["-R", "--root"]).map(|a| a.text.clone()),
        ..Change::default()
    };
    for user in args::values(&items, &["-a", "--add", "-d", "--delete"]) {
        change.members(group, &user.text);
    }
    if args::has(&items, &["-p", "--purge"]) {
        change.group(group);
    }
    if change.resources.is_empty() {
        return Outcome::default();
    }
    change.files(&[GROUP, GSHADOW]);
    change.outcome(inv)
}

/// Options of Debian's `adduser`/`deluser`, BusyBox's and Fedora's (which
/// is `useradd`) that take a value.
const ADDUSER: Spec<'static> = Spec {
    short: "bcdefgGhkKpRPsuZ",
    long: &[
        "home",
        "shell",
        "uid",
        "gid",
        "ingroup",
        "firstuid",
        "lastuid",
        "firstgid",
        "lastgid",
        "gecos",
        "comment",
        "conf",
        "key",
        "backup-to",
        "groups",
        "home-dir",
        "password",
        "root",
        "prefix",
    ],
    stop_after: None,
};

/// `adduser USER GROUP` and `addgroup USER GROUP` add an existing user to
/// a group; `addgroup GROUP` and `adduser --group GROUP` make a group;
/// `adduser USER` makes a login, in the groups of `--ingroup` or `-G`
/// (BusyBox's and Fedora's primary and supplementary groups).
fn adduser(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &ADDUSER);
    if args::has(&items, &["--help", "--version"]) {
        return Outcome::default();
    }
    let names = args::positionals(&items);
    let mut change = Change {
        root: other_root(&items),
        ..Change::default()
    };
    match names.as_slice() {
        [user, group] => {
            change.members(&group.text, &user.text);
            change.files(&[GROUP, GSHADOW]);
        }
        // `adduser --system --group NAME` makes a login and its group.
        [group]
            if inv.program == "addgroup"
                || (args::has(&items, &["--group"]) && !args::has(&items, &["--system"])) =>
        {
            change.group(&group.text);
            change.files(&[GROUP, GSHADOW]);
        }
        [user] => {
            change.account(&user.text);
            if args::has(&items, &["--group"]) {
                change.group(&user.text);
            }
            for groups in args::values(&items, &["--ingroup", "-G", "--groups"]) {
                change.members(&groups.text, &user.text);
            }
            change.files(&[PASSWD, SHADOW, GROUP, GSHADOW]);
        }
        _ => return Outcome::default(),
    }
    change.outcome(inv)
}

/// `deluser USER GROUP` and `delgroup USER GROUP` take a user out of a
/// group; `delgroup GROUP` and `deluser --group GROUP` remove a group;
/// `deluser USER` removes a login, and its home with `--remove-home` or
/// `--remove-all-files`.
fn deluser(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &ADDUSER);
    if args::has(&items, &["--help", "--version"]) {
        return Outcome::default();
    }
    let names = args::positionals(&items);
    let mut change = Change::default();
    let mut home = None;
    match names.as_slice() {
        [user, group] => {
            change.members(&group.text, &user.text);
            change.files(&[GROUP, GSHADOW]);
        }
        [group] if inv.program == "delgroup" || args::has(&items, &["--group"]) => {
            change.group(&group.text);
            change.files(&[GROUP, GSHADOW]);
        }
        [user] => {
            change.account(&user.text);
            change.files(&[PASSWD, SHADOW, GROUP, GSHADOW]);
            if args::has(&items, &["--remove-home", "--remove-all-files"]) {
                home = Some(user.text.clone());
            }
        }
        _ => return Outcome::default(),
    }
    let mut outcome = change.outcome(inv);
    if let Some(user) = home {
        remove_home(inv, &mut outcome, None, &user);
    }
    outcome
}

/// `passwd [options] LOGIN`: another account's password set, deleted
/// (`-d`: anyone may log in), locked, unlocked or expired. `passwd` alone
/// changes the caller's own password, which changes no one's access, and
/// `-S`/`--status` only reports.
fn passwd(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "nxwirRP",
            long: &[
                "mindays",
                "maxdays",
                "warndays",
                "inactive",
                "repository",
                "root",
                "prefix",
            ],
            stop_after: None,
        },
    );
    shadow_change(inv, &items, &["-S", "--status"])
}

/// One account's entry in the shadow file changes (its password or
/// expiry), unless the call shows help or only reports (`reports`).
fn shadow_change(inv: &Invocation<'_>, items: &[Item<'_>], reports: &[&str]) -> Outcome {
    if is_help(items) || args::has(items, reports) {
        return Outcome::default();
    }
    let Some(login) = last_name(items) else {
        return Outcome::default();
    };
    let mut change = Change {
        root: other_root(items),
        ..Change::default()
    };
    change.account(&login.text);
    change.files(&[SHADOW]);
    change.outcome(inv)
}

/// `chpasswd` and `newusers` read `NAME:PASSWORD...` lines from standard
/// input (`newusers` from a file too), `chgpasswd` `GROUP:PASSWORD` lines:
/// each names an account (or group) whose password is set, `newusers`
/// makes them. The names come from the lines the command line gives;
/// `accounts` (`groups`) when they are not known.
fn batch(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "csRP",
            long: &["crypt-method", "sha-rounds", "root", "prefix"],
            stop_after: None,
        },
    );
    if is_help(&items) {
        return Outcome::default();
    }
    let groups = inv.program == "chgpasswd";
    let mut change = Change {
        root: other_root(&items),
        ..Change::default()
    };
    let names: Vec<&str> = inv
        .stdin
        .text
        .iter()
        .flat_map(|text| text.lines())
        .filter_map(|line| line.split_once(':').map(|(name, _)| name.trim()))
        .filter(|name| !name.is_empty())
        .collect();
    for name in &names {
        if groups {
            change.group(name);
        } else {
            change.account(name);
        }
    }
    if names.is_empty() {
        change
            .resources
            .push(if groups { "groups" } else { "accounts" }.to_owned());
    }
    change.files(match inv.program {
        "chgpasswd" => &[GSHADOW],
        "newusers" => &[PASSWD, SHADOW, GROUP, GSHADOW],
        _ => &[SHADOW],
    });
    let mut outcome = change.outcome(inv);
    if inv.program == "newusers" {
        for file in args::positionals(&items) {
            outcome.read(inv.path(&file.text), false);
        }
    }
    outcome
}

/// `chage [options] LOGIN`: when the account's password and the account
/// itself expire (`-E -1` revives an expired one); `-l` only lists.
fn chage(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "dEImMWRP",
            long: &[
                "lastday",
                "expiredate",
                "inactive",
                "mindays",
                "maxdays",
                "warndays",
                "root",
                "prefix",
            ],
            stop_after: None,
        },
    );
    shadow_change(inv, &items, &["-l", "--list"])
}

/// `visudo [-f FILE]` edits sudo's rules (`/etc/sudoers`, or FILE): a
/// write of the file, judged by where it is ([`changes_account_access`]).
/// `-c` only checks them (a read); `-x OUT` exports them as JSON to OUT.
fn visudo(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "fx",
            long: &["file", "export"],
            stop_after: None,
        },
    );
    let file = args::value(&items, &["-f", "--file"])
        .map_or_else(|| "/etc/sudoers".to_owned(), |f| inv.path(&f.text));
    let mut outcome = Outcome::default();
    if is_help(&items) || args::has(&items, &["-V", "--version"]) {
        return outcome;
    }
    if args::has(&items, &["-c", "--check"]) {
        outcome.read(file, false);
        return outcome;
    }
    if let Some(out) = args::value(&items, &["-x", "--export"]) {
        outcome.read(file, false);
        if out.text != "-" {
            outcome.write(inv.path(&out.text), false);
        }
        return outcome;
    }
    outcome.write(file, false);
    outcome
}

/// `vipw` edits `/etc/passwd` (`-s`: `/etc/shadow`), `vigr` (or `vipw
/// -g`) `/etc/group` (`-s`: `/etc/gshadow`), under `-R CHROOT`.
fn vipw(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "R",
            long: &["root"],
            stop_after: None,
        },
    );
    if is_help(&items) {
        return Outcome::default();
    }
    let group = inv.program == "vigr" || args::has(&items, &["-g", "--group"]);
    let shadow = args::has(&items, &["-s", "--shadow"]);
    let file = match (group, shadow) {
        (true, true) => GSHADOW,
        (true, false) => GROUP,
        (false, true) => SHADOW,
        (false, false) => PASSWD,
    };
    let change = Change {
        files: vec![file],
        root: args::value(&items, &["-R", "--root"]).map(|a| a.text.clone()),
        ..Change::default()
    };
    change.outcome(inv)
}

/// `sudoedit [options] FILE...` (`sudo -e`): each file edited as another
/// user.
fn sudoedit(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "CDghpRTUu",
            long: &[
                "close-from",
                "chdir",
                "group",
                "host",
                "prompt",
                "chroot",
                "command-timeout",
                "other-user",
                "user",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for file in args::positionals(&items) {
        outcome.write(inv.path(&file.text), false);
    }
    outcome
}

/// macOS's local directory node, where `dscl .`, `dseditgroup` and
/// `sysadminctl` keep users' and groups' records.
const DSLOCAL: &str = "/var/db/dslocal/nodes/Default";

/// Whether a directory node named on a macOS command line is the local
/// one (whose records are files here).
fn local_node(node: &str) -> bool {
    matches!(node, "." | "localhost" | "/Local/Default")
}

/// `dseditgroup -o edit -a USER|-d USER [-t user|group] GROUP`: a member
/// added to or removed from a group; `-o create|delete GROUP`: a group
/// made or removed. `-o read` and `-o checkmember` only look. The records
/// are the local node's unless `-n` names another.
fn dseditgroup(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "oadtnuPTigrkcsm",
            long: &[],
            stop_after: None,
        },
    );
    let op = args::value(&items, &["-o"]).map_or("", |a| a.text.as_str());
    let Some(group) = last_name(&items) else {
        return Outcome::default();
    };
    let mut change = Change::default();
    match op {
        "edit" => {
            for user in args::values(&items, &["-a", "-d"]) {
                change.members(&group.text, &user.text);
            }
            if change.resources.is_empty() {
                change.group(&group.text);
            }
        }
        "create" | "delete" => change.group(&group.text),
        _ => return Outcome::default(),
    }
    let mut outcome = change.outcome(inv);
    if args::value(&items, &["-n"]).is_none_or(|n| local_node(&n.text)) {
        outcome.write(format!("{DSLOCAL}/groups/{}.plist", group.text), false);
    }
    outcome
}

/// `dscl [options] NODE -create|-append|-merge|-delete|-change|-passwd
/// /Users/NAME|/Groups/NAME [KEY [VALUE...]]`: an account or group record
/// changed; `GroupMembership` (or `GroupMembers`) values on a group are
/// its members. `-read`, `-list`, `-search` and the like only look.
fn dscl(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "uPf",
            long: &[],
            stop_after: Some(1),
        },
    );
    let words = args::positionals(&items);
    let Some((node, rest)) = words.split_first() else {
        return Outcome::default();
    };
    let Some((command, rest)) = rest.split_first() else {
        return Outcome::default();
    };
    let command = command.text.trim_start_matches('-').to_ascii_lowercase();
    if !matches!(
        command.as_str(),
        "create"
            | "createpl"
            | "append"
            | "appendpl"
            | "merge"
            | "mergepl"
            | "delete"
            | "deletepl"
            | "change"
            | "changei"
            | "passwd"
    ) {
        return Outcome::default();
    }
    let Some(record) = rest.first() else {
        return Outcome::default();
    };
    let mut steps = record.text.rsplit('/').filter(|s| !s.is_empty());
    let (Some(name), Some(kind)) = (steps.next(), steps.next()) else {
        return Outcome::default();
    };
    let mut change = Change::default();
    let kind = if kind.eq_ignore_ascii_case("groups") {
        let key = rest.get(1).map(|k| k.text.as_str());
        let members: Vec<&Arg> = rest.iter().skip(2).copied().collect();
        if matches!(key, Some("GroupMembership" | "GroupMembers")) && !members.is_empty() {
            for member in members {
                change.members(name, &member.text);
            }
        } else {
            change.group(name);
        }
        "groups"
    } else if kind.eq_ignore_ascii_case("users") {
        change.account(name);
        "users"
    } else {
        return Outcome::default();
    };
    let mut outcome = change.outcome(inv);
    if local_node(&node.text) {
        outcome.write(format!("{DSLOCAL}/{kind}/{name}.plist"), false);
    }
    outcome
}

/// `sysadminctl -addUser NAME [-admin]` (a login, an administrator with
/// `-admin`), `-deleteUser NAME`, `-resetPasswordFor NAME`,
/// `-secureTokenOn|-secureTokenOff NAME` (who may unlock the disk),
/// `-guestAccount on|off`, `-afpGuestAccess|-smbGuestAccess on|off` and
/// `-autologin set|off` (a login without a password). `-adminUser` and
/// `-adminPassword` only authenticate the change; the `status` forms look.
fn sysadminctl(inv: &Invocation<'_>) -> Outcome {
    let value = |name: &str| {
        inv.args
            .iter()
            .position(|a| a.text.eq_ignore_ascii_case(name))
            .and_then(|at| inv.args.get(at + 1))
            .map(|a| a.text.as_str())
    };
    let switched = |name: &str| value(name).is_some_and(|v| v != "status");
    let mut change = Change::default();
    let mut records: Vec<String> = Vec::new();
    if let Some(user) = value("-addUser") {
        change.account(user);
        records.push(format!("users/{user}"));
        if inv.args.iter().any(|a| a.text == "-admin") {
            change.members("admin", user);
            records.push("groups/admin".to_owned());
        }
    }
    for option in [
        "-deleteUser",
        "-resetPasswordFor",
        "-secureTokenOn",
        "-secureTokenOff",
    ] {
        if let Some(user) = value(option) {
            change.account(user);
            records.push(format!("users/{user}"));
        }
    }
    if switched("-guestAccount") {
        change.account("Guest");
        records.push("users/Guest".to_owned());
    }
    for option in ["-afpGuestAccess", "-smbGuestAccess"] {
        if switched(option) {
            change.resources.push("guest file sharing".to_owned());
        }
    }
    if switched("-autologin") {
        change.resources.push(
            value("-userName").map_or_else(|| "autologin".to_owned(), |u| format!("autologin {u}")),
        );
    }
    let mut outcome = change.outcome(inv);
    for record in records {
        outcome.write(format!("{DSLOCAL}/{record}.plist"), false);
    }
    outcome
}

/// FreeBSD's `pw [-V ETCDIR] [-R ROOT] SUBCOMMAND [NAME] [options]`:
/// `useradd`/`usermod`/`userdel`/`lock`/`unlock` change a login (`-G`
/// lists its groups), `groupadd`/`groupmod`/`groupdel` a group (`-m`
/// adds members, `-M` sets them, `-d` removes them). `usershow`,
/// `groupshow` and `*next` only look. Also written `pw user add`.
fn pw(inv: &Invocation<'_>) -> Outcome {
    let mut words = inv.args;
    let mut root: Option<String> = None;
    let mut etc = "/etc".to_owned();
    while let [flag, value, rest @ ..] = words {
        match flag.text.as_str() {
            "-V" => etc = inv.path(&value.text),
            "-R" => root = Some(value.text.clone()),
            _ => break,
        }
        words = rest;
    }
    let (subcommand, words) = match words {
        [noun, verb, rest @ ..] if matches!(noun.text.as_str(), "user" | "group") => {
            (format!("{}{}", noun.text, verb.text), rest)
        }
        [sub, rest @ ..] => (sub.text.clone(), rest),
        [] => return Outcome::default(),
    };
    let (group, verb) = match subcommand.as_str() {
        "useradd" | "adduser" => (false, "add"),
        "usermod" | "moduser" => (false, "mod"),
        "userdel" | "deluser" => (false, "del"),
        "lock" | "unlock" => (false, "lock"),
        "groupadd" | "addgroup" => (true, "add"),
        "groupmod" | "modgroup" => (true, "mod"),
        "groupdel" | "delgroup" => (true, "del"),
        _ => return Outcome::default(),
    };
    let items = args::parse(
        words,
        &Spec {
            short: if group {
                "CnglhHMmdVRy"
            } else {
                "CnucdepgGLkMshHwlVRyb"
            },
            long: &[],
            stop_after: None,
        },
    );
    let name = args::value(&items, &["-n"])
        .or_else(|| args::positionals(&items).into_iter().next())
        .map(|a| a.text.clone());
    let Some(name) = name else {
        return Outcome::default();
    };
    if let Some(r) = args::value(&items, &["-R"]) {
        root = Some(r.text.clone());
    }
    if let Some(v) = args::value(&items, &["-V"]) {
        etc = inv.path(&v.text);
    }
    let mut change = Change::default();
    if group {
        change.group(&name);
        for members in args::values(&items, &["-m", "-M", "-d"]) {
            for user in list(&members.text) {
                change.members(&name, user);
            }
        }
    } else {
        change.account(&name);
        if verb != "lock" && verb != "del" {
            for groups in args::values(&items, &["-G"]) {
                change.members(&groups.text, &name);
            }
        }
    }
    let mut outcome = change.outcome(inv);
    let root = root.map_or_else(String::new, |r| {
        inv.path(&r).trim_end_matches('/').to_owned()
    });
    let etc = etc.trim_end_matches('/');
    let files: &[&str] = if group {
        &["group"]
    } else if verb == "del" || change_groups(&items) {
        &["master.passwd", "passwd", "group"]
    } else {
        &["master.passwd", "passwd"]
    };
    for file in files {
        outcome.write(format!("{root}{etc}/{file}"), false);
    }
    if !group && verb == "del" && args::has(&items, &["-r"]) {
        remove_home(inv, &mut outcome, None, &name);
    }
    outcome
}

/// Whether a `pw` user command names the login's groups.
fn change_groups(items: &[Item<'_>]) -> bool {
    args::has(items, &["-G"])
}
