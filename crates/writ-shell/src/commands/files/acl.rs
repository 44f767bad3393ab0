//! `setfacl`: POSIX access control lists. Its ACL specs (`-m`, `--modify`,
//! `--set`, `-x`, `--remove`) are entries, not paths: an entry for a named
//! user or group (`u:NAME:rwX`, `d:g:NAME:rx`, `user:NAME:7`) that gives
//! any permission grants that user or group access to each path, a share
//! with them ([`Effect::GrantAccess`] with `user:NAME`/`group:NAME` as
//! its grantee). Removing entries (`-x`, `-X`, `-b`, `-k`), entries read
//! from a file (`-M`, `-X`, `--set-file`), an entry that gives a named one
//! nothing, and `--restore` change who may access the paths too, with no
//! one the data goes to. Each path's metadata is written, as `chmod`'s is;
//! `--test` only prints the lists.

use super::super::{Invocation, Outcome};
use crate::args::{self, Spec};
use crate::{Effect, Resource};

/// Options that take a value.
const SETFACL_OPTIONS: Spec<'static> = Spec {
    short: "mMxX",
    long: &[
        "modify",
        "modify-file",
        "remove",
        "remove-file",
        "set",
        "set-file",
        "restore",
    ],
    stop_after: None,
};

/// `setfacl [-bkndRLP] {-m|-x} SPEC | {-M|-X} FILE | --set SPEC ... PATH...`.
pub(super) fn setfacl(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &SETFACL_OPTIONS);
    if args::has(&items, &["--test"]) {
        // Prints the lists it would set, and changes none.
        return Outcome::default();
    }
    let paths: Vec<String> = args::positionals(&items)
        .into_iter()
        .map(|p| inv.path(&p.text))
        .collect();
    let mut grantees: Vec<Option<String>> = Vec::new();
    for spec in args::values(&items, &["-m", "--modify", "--set"]) {
        grantees.extend(named_grantees(&spec.text));
    }
    let removes = args::has(&items, &["-x", "--remove", "-b", "--remove-all"])
        || args::has(&items, &["-k", "--remove-default"]);
    let from_files = args::values(
        &items,
        &[
            "-M",
            "--modify-file",
            "-X",
            "--remove-file",
            "--set-file",
            "--restore",
        ],
    );
    if removes || !from_files.is_empty() {
        grantees.push(None);
    }
    grantees.dedup();
    let mut outcome = Outcome::default();
    for file in &from_files {
        if file.text != "-" {
            outcome.read(inv.path(&file.text), false);
        }
    }
    for path in &paths {
        outcome.write(path.clone(), false);
        for grantee in &grantees {
            outcome.effects.push(Effect::GrantAccess {
                resource: Resource::Other { name: path.clone() },
                grantee: grantee.clone(),
            });
        }
    }
    if paths.is_empty() && args::has(&items, &["--restore"]) {
        // The dump names the paths whose lists it restores.
        outcome.effects.push(Effect::GrantAccess {
            resource: Resource::Other {
                name: "access control lists restored by setfacl".to_owned(),
            },
            grantee: None,
        });
    }
    outcome
}

/// The grantee of each entry in `spec` that gives a named user or group
/// some permission (`user:NAME`, `group:NAME`); `None` for one that gives
/// a named one nothing (`u:NAME:---`), a change of access all the same.
fn named_grantees(spec: &str) -> Vec<Option<String>> {
    spec.split(|c: char| c == ',' || c.is_whitespace())
        .filter_map(named_entry)
        .collect()
}

/// One entry's grantee: `[d[efault]:]{u[ser]|g[roup]}:NAME[:PERMS]`.
fn named_entry(entry: &str) -> Option<Option<String>> {
    let entry = entry
        .strip_prefix("default:")
        .or_else(|| entry.strip_prefix("d:"))
        .unwrap_or(entry);
    let mut fields = entry.splitn(3, ':');
    let kind = match fields.next()? {
        "u" | "user" => "user",
        "g" | "group" => "group",
        _ => return None,
    };
    let name = fields.next().filter(|n| !n.is_empty())?;
    let permissions = fields.next().unwrap_or_default();
    let gives = permissions.chars().any(|c| "rwxX1234567".contains(c));
    Some(gives.then(|| format!("{kind}:{name}")))
}

#[cfg(test)]
mod tests {
    use super::named_grantees;

    #[test]
    fn entries_name_users_and_groups_given_permissions() {
        let cases: &[(&str, Vec<Option<&str>>)] = &[
            (
                "u:jnowak:rwX,d:u:jnowak:rwX",
                vec![Some("user:jnowak"), Some("user:jnowak")],
            ),
            ("group:lab:r-x", vec![Some("group:lab")]),
            ("default:user:ci:7", vec![Some("user:ci")]),
            ("u:bob:---", vec![None]),
            ("u::rwx,g::r-x,o::---,m::rwx", vec![]),
        ];
        for (spec, expected) in cases {
            let expected: Vec<Option<String>> =
                expected.iter().map(|g| g.map(str::to_owned)).collect();
            assert_eq!(&named_grantees(spec), &expected, "{spec}");
        }
    }
}
