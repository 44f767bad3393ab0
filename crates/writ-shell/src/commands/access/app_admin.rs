//! The admin CLIs of Flask-AppBuilder applications and Grafana, which
//! create accounts and change their roles and permissions inside the
//! application:
//!
//! - Airflow's `airflow users create -u U -r ROLE ...`, `users
//!   add-role|remove-role -u U|-e E -r ROLE`, `users delete`, `users
//!   reset-password`, `users import FILE`, and `airflow roles
//!   add-perms|del-perms ROLE... -a ACTION... -r RESOURCE...`, `roles
//!   delete ROLE...`, `roles import FILE`;
//! - Flask-AppBuilder's commands as Superset and Flask run them
//!   (`superset fab create-admin|create-user --role R|reset-password|
//!   import-roles`, `flask fab ...`, the older `fabmanager ...`);
//! - `grafana-cli admin reset-admin-password` (and `grafana cli ...`).
//!
//! Each is an [`Effect::GrantAccess`] on the application's role or
//! account, its grantee the user or role that gains or loses; a password
//! reset changes the account's access as `passwd` does. Their listings
//! and exports change nothing (an export writes its file).

use super::{Invocation, Outcome, access_change};
use crate::args::{self, Arg, Item, Spec};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "airflow" => airflow(inv),
        "superset" => fab_group(inv, "superset", &Spec::default()),
        "flask" => fab_group(
            inv,
            "flask",
            &Spec {
                short: "Ae",
                long: &["app", "env-file"],
                stop_after: None,
            },
        ),
        "fabmanager" => fab(inv, "flask-appbuilder", inv.args),
        "grafana-cli" => grafana_cli(inv.args),
        "grafana" => match inv.args.split_first() {
            Some((cli, rest)) if cli.text == "cli" => grafana_cli(rest),
            _ => None,
        },
        _ => None,
    }
}

/// Airflow's options that take a value (its `users` and `roles` commands').
const AIRFLOW_VALUES: &str = "efluprao";
const AIRFLOW_LONG: &[&str] = &[
    "email",
    "firstname",
    "lastname",
    "username",
    "password",
    "role",
    "action",
    "resource",
    "output",
    "subdir",
];

/// `airflow users ...` and `airflow roles ...` (the FAB auth manager's
/// commands); Airflow's other commands are left to the handlers after
/// this one.
fn airflow(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: AIRFLOW_VALUES,
            long: AIRFLOW_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.clone());
    let user = || value(&["-u", "--username"]).or_else(|| value(&["-e", "--email"]));
    let role = || value(&["-r", "--role"]);
    Some(match words.as_slice() {
        ["users", "create" | "add-role" | "remove-role", ..] => access_change_outcome(
            role().map_or_else(
                || "airflow role".to_owned(),
                |r| format!("airflow role {r}"),
            ),
            user(),
        ),
        ["users", "delete" | "reset-password", ..] => {
            access_change_outcome("airflow account".to_owned(), user())
        }
        [kind @ ("users" | "roles"), "import", file, ..] => imported(inv, "airflow", kind, file),
        ["users" | "roles", "export", file, ..] => {
            let mut outcome = Outcome::default();
            outcome.write(inv.path(file), false);
            outcome
        }
        ["roles", "add-perms" | "del-perms", ..] => airflow_permissions(&items),
        ["roles", "delete", roles @ ..] if !roles.is_empty() => {
            access_change_outcome("airflow roles".to_owned(), Some(roles.join(", ")))
        }
        ["users" | "roles", ..] => Outcome::default(),
        _ => return None,
    })
}

/// `airflow roles add-perms|del-perms ROLE... -a ACTION... -r
/// RESOURCE...`: the words after `-a` or `-r` are its actions or
/// resources (each takes several), the ones before either the roles.
fn airflow_permissions(items: &[Item<'_>]) -> Outcome {
    let mut roles = Vec::new();
    let mut actions = Vec::new();
    let mut resources = Vec::new();
    let mut list: Option<&str> = None;
    let mut push = |list: Option<&str>, text: &str| match list {
        Some("action") => actions.push(text.to_owned()),
        Some("resource") => resources.push(text.to_owned()),
        _ => roles.push(text.to_owned()),
    };
    let mut words_seen = 0;
    for item in items {
        if words_seen < 2 {
            words_seen += usize::from(matches!(item, Item::Pos(_)));
            continue;
        }
        match item {
            Item::Opt { name, value } => {
                list = match name.as_ref() {
                    "-a" | "--action" => Some("action"),
                    "-r" | "--resource" => Some("resource"),
                    _ => None,
                };
                if let Some(value) = value {
                    push(list, &value.text);
                }
            }
            Item::Pos(arg) => push(list, &arg.text),
        }
    }
    let resource = if resources.is_empty() {
        "airflow permissions".to_owned()
    } else {
        format!("airflow {}", resources.join(", "))
    };
    let resource = if actions.is_empty() {
        resource
    } else {
        format!("{resource} ({})", actions.join(", "))
    };
    access_change_outcome(
        resource,
        (!roles.is_empty()).then(|| format!("role {}", roles.join(", "))),
    )
}

/// `PROGRAM [OPTIONS] fab COMMAND ...` (Superset's and Flask's command
/// group for Flask-AppBuilder).
fn fab_group(inv: &Invocation<'_>, app: &str, spec: &Spec<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            stop_after: Some(1),
            ..*spec
        },
    );
    let first = args::positionals(&items).first().map(|a| a.text.as_str())?;
    if first != "fab" {
        return None;
    }
    let at = inv.args.iter().position(|a| a.text == "fab")?;
    fab(inv, app, inv.args.get(at + 1..).unwrap_or_default())
}

/// Flask-AppBuilder's commands: `create-admin [--username U]` (an account
/// with the admin role), `create-user --role R --username U` (`Public`
/// unless told), `reset-password --username U`, `import-roles -p FILE`
/// (roles and their permissions from the file); listings and
/// `export-roles` change nothing.
fn fab(inv: &Invocation<'_>, app: &str, rest: &[Arg]) -> Option<Outcome> {
    let items = args::parse(
        rest,
        &Spec {
            short: "p",
            long: &[
                "username",
                "firstname",
                "lastname",
                "email",
                "password",
                "role",
                "path",
                "indent",
                "app",
            ],
            stop_after: None,
        },
    );
    let command = args::positionals(&items).first().map(|a| a.text.clone())?;
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.clone());
    let user = value(&["--username"]);
    Some(match command.as_str() {
        "create-admin" => access_change_outcome(format!("{app} role Admin"), user),
        "create-user" => {
            let role = value(&["--role"]).unwrap_or_else(|| "Public".to_owned());
            access_change_outcome(format!("{app} role {role}"), user)
        }
        "reset-password" => access_change_outcome(format!("{app} account"), user),
        "import-roles" => {
            let file = value(&["--path", "-p"])?;
            imported(inv, app, "roles", &file)
        }
        "export-roles" => {
            let mut outcome = Outcome::default();
            if let Some(file) = value(&["--path", "-p"]) {
                outcome.write(inv.path(&file), false);
            }
            outcome
        }
        _ => return None,
    })
}

/// Accounts or roles an import reads from `file` and sets up.
fn imported(inv: &Invocation<'_>, app: &str, kind: &str, file: &str) -> Outcome {
    let mut outcome = access_change_outcome(
        format!("{app} {kind}"),
        Some(format!("the {kind} listed in {file}")),
    );
    outcome.read(inv.path(file), false);
    outcome
}

/// `grafana-cli [--homepath H] [--config C] admin reset-admin-password
/// [--password-from-stdin] [PASSWORD]`: the admin account's password.
fn grafana_cli(rest: &[Arg]) -> Option<Outcome> {
    let items = args::parse(
        rest,
        &Spec {
            short: "",
            long: &[
                "homepath",
                "config",
                "configOverrides",
                "pluginsDir",
                "repo",
                "pluginUrl",
            ],
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    match words.as_slice() {
        ["admin", "reset-admin-password", ..] => Some(access_change_outcome(
            "grafana admin account".to_owned(),
            None,
        )),
        _ => None,
    }
}

fn access_change_outcome(resource: String, grantee: Option<String>) -> Outcome {
    Outcome::default().effect(access_change(resource, grantee))
}
