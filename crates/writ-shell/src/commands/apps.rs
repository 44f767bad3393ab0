//! Application admin CLIs that change who may do what inside an
//! application: Keycloak's `kcadm.sh`, WordPress's `wp`, Drupal's `drush`,
//! Nextcloud's `occ`, Magento's `bin/magento` and Laravel admin panels'
//! `artisan` commands. A role, capability, permission or group change,
//! and a new, unlocked or removed account (an account is access), is an
//! [`Effect::GrantAccess`] on the application, its grantee the user, group
//! or role that gains or loses. Their other commands are left to the
//! handlers after this one. The PHP ones run as scripts of `php` too
//! ([`php_script`]).

use super::{Invocation, Outcome};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Resource};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "kcadm.sh" | "kcadm" | "kcadm.bat" => kcadm(inv),
        "wp" | "wp-cli" | "wp-cli.phar" => wp(inv),
        "drush" | "drush.php" => drush(inv),
        "occ" => occ(inv),
        "magento" => magento(inv),
        "artisan" => artisan(inv),
        _ => None,
    }
}

/// The admin CLIs above that are PHP scripts, by file name.
const PHP_APPS: &[&str] = &[
    "wp",
    "wp-cli.phar",
    "drush",
    "drush.php",
    "occ",
    "magento",
    "artisan",
];

/// An admin CLI run as a script of `php` (`php bin/magento
/// admin:user:create ...`, `php occ user:add ...`, `php -d
/// memory_limit=-1 vendor/bin/drush urol ...`): the access change its
/// command makes, beside what the interpreter does with the script.
pub(super) fn php_script(inv: &Invocation<'_>) -> Option<Outcome> {
    if !is_php(inv.program) {
        return None;
    }
    let (script, rest) = php_script_args(inv.args)?;
    let name = script.rsplit(['/', '\\']).next().unwrap_or(script);
    if !PHP_APPS.contains(&name) {
        return None;
    }
    let change = handle(&Invocation {
        program: name,
        args: rest,
        ..*inv
    })?;
    let mut outcome = super::wrappers::handle(inv).unwrap_or_default();
    outcome.effects.extend(change.effects);
    Some(outcome)
}

/// `php`, or a versioned one (`php8.2`, `php82`).
fn is_php(program: &str) -> bool {
    program
        .strip_prefix("php")
        .is_some_and(|version| version.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// php's options that take a value (`-d foo=bar`, `-c php.ini`).
const PHP_VALUES: &[&str] = &[
    "-c",
    "-d",
    "-z",
    "-t",
    "--php-ini",
    "--define",
    "--zend-extension",
    "--docroot",
];

/// php's options that run code of their own, not a script.
const PHP_CODE: &[&str] = &[
    "-r",
    "-B",
    "-R",
    "-F",
    "-E",
    "-a",
    "-S",
    "--run",
    "--process-begin",
    "--process-code",
    "--process-file",
    "--process-end",
    "--interactive",
    "--server",
];

/// The script php runs and its arguments: `php [OPTIONS] [-f] SCRIPT
/// [--] ARGS...`.
fn php_script_args(args: &[Arg]) -> Option<(&str, &[Arg])> {
    let mut at = 0;
    while let Some(word) = args.get(at).map(|a| a.text.as_str()) {
        if word == "-f" || word == "--file" {
            let script = args.get(at + 1)?;
            return Some((&script.text, args.get(at + 2..).unwrap_or_default()));
        }
        if word == "--" || PHP_CODE.iter().any(|code| word.starts_with(code)) {
            return None;
        }
        if PHP_VALUES.contains(&word) {
            at += 2;
        } else if word.starts_with('-') && word.len() > 1 {
            // A switch, or an option with its value attached (`-dX=1`).
            at += 1;
        } else {
            return Some((word, args.get(at + 1..).unwrap_or_default()));
        }
    }
    None
}

/// The change of access to `resource` (as written) for `grantee`.
fn access_change(resource: String, grantee: Option<String>) -> Outcome {
    Outcome::default().effect(Effect::GrantAccess {
        resource: Resource::Other { name: resource },
        grantee,
    })
}

/// Joins names given as several words (`--rolename a --rolename b`).
fn joined(names: &[&str]) -> Option<String> {
    (!names.is_empty()).then(|| names.join(", "))
}

/// Long options of kcadm that take a value.
const KCADM_LONG: &[&str] = &[
    "target-realm",
    "realm",
    "server",
    "user",
    "password",
    "secret",
    "client",
    "keystore",
    "storepass",
    "keypass",
    "alias",
    "truststore",
    "trustpass",
    "config",
    "token",
    "set",
    "delete",
    "file",
    "body",
    "fields",
    "query",
    "offset",
    "limit",
    "format",
    "uusername",
    "uid",
    "gname",
    "gpath",
    "gid",
    "rname",
    "rid",
    "cclientid",
    "cid",
    "rolename",
    "roleid",
    "username",
    "new-password",
];

/// Keycloak's admin CLI: `kcadm.sh add-roles|remove-roles -r REALM
/// --uusername U|--uid ID|--gname G|--gpath P|--gid ID|--rname COMPOSITE
/// [--cclientid C|--cid ID] --rolename R...` gives roles to (or takes them
/// from) a user, a group or a composite role; `create|update|delete`
/// on an endpoint that maps roles or groups (`users/ID/role-mappings/...`,
/// `groups/ID/role-mappings/...`, `users/ID/groups/GID`, `.../composites`,
/// `.../scope-mappings/...`) does the same through the REST path, and
/// `create users -s username=U` makes an account. Its other commands
/// change no access; their operands are endpoints, and only `-f FILE` is
/// a file read.
fn kcadm(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rsdfbqFa",
            long: KCADM_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (verb, operands) = positional.split_first()?;
    let value = |names: &[&str]| args::value(&items, names).map(|v| v.text.as_str());
    let realm = value(&["-r", "--target-realm"]).unwrap_or("the realm");
    let change = match verb.text.as_str() {
        "add-roles" | "remove-roles" => {
            let roles: Vec<&str> = args::values(&items, &["--rolename", "--roleid"])
                .iter()
                .map(|r| r.text.as_str())
                .collect();
            let client = value(&["--cclientid", "--cid"])
                .map_or_else(String::new, |c| format!(" client {c}"));
            let roles = joined(&roles).unwrap_or_else(|| "roles".to_owned());
            let grantee = value(&["--uusername", "--uid"])
                .map(|u| format!("user {u}"))
                .or_else(|| value(&["--gname", "--gpath", "--gid"]).map(|g| format!("group {g}")))
                .or_else(|| value(&["--rname", "--rid"]).map(|r| format!("role {r}")));
            Some(access_change(
                format!("keycloak realm {realm}{client} role {roles}"),
                grantee,
            ))
        }
        "create" | "update" | "delete" => operands.first().and_then(|endpoint| {
            kcadm_endpoint(
                &items,
                verb.text.as_str(),
                endpoint.text.trim_matches('/'),
                realm,
            )
        }),
        _ => None,
    };
    // Its operands are REST endpoints, not files; `-f FILE` is the body.
    let mut outcome = change.unwrap_or_default();
    for file in args::values(&items, &["-f", "--file"]) {
        if file.text != "-" {
            outcome.read(inv.path(&file.text), false);
        }
    }
    Some(outcome)
}

/// What a kcadm REST call on `endpoint` (relative to the realm, or
/// `realms/NAME/...`) does to access, if anything.
fn kcadm_endpoint(items: &[Item<'_>], verb: &str, endpoint: &str, realm: &str) -> Option<Outcome> {
    let segments: Vec<&str> = endpoint.split('/').filter(|s| !s.is_empty()).collect();
    let (realm, segments) = match segments.as_slice() {
        ["realms", name, rest @ ..] => (*name, rest),
        rest => (realm, rest),
    };
    let resource = |what: &str| format!("keycloak realm {realm} {what}");
    match segments {
        [kind @ ("users" | "groups"), id, "role-mappings", rest @ ..] => Some(access_change(
            resource(&format!("role mappings {}", rest.join("/"))),
            Some(format!("{} {id}", kind.trim_end_matches('s'))),
        )),
        ["users", id, "groups", group] if verb != "create" => Some(access_change(
            resource(&format!("group {group}")),
            Some(format!("user {id}")),
        )),
        [.., "composites"] | [.., "composites", "realm" | "clients"] => Some(access_change(
            resource(&format!("composite {}", segments.join("/"))),
            None,
        )),
        [owner @ .., "scope-mappings", _] | [owner @ .., "scope-mappings", _, _] => {
            Some(access_change(
                resource(&format!("scope mappings {}", segments.join("/"))),
                Some(owner.join("/")),
            ))
        }
        ["users"] if verb == "create" => {
            let username = args::values(items, &["-s", "--set"])
                .iter()
                .find_map(|s| s.text.strip_prefix("username="))
                .map(str::to_owned);
            Some(access_change(resource("account"), username))
        }
        _ => None,
    }
}

/// WordPress's `wp` (its options are `--name=value`): `wp user
/// set-role|add-role|remove-role USER [ROLE...]`, `wp user
/// add-cap|remove-cap USER CAP`, `wp user create LOGIN EMAIL [--role=R]`,
/// `wp user update USER... --role=R`, `wp user delete USER...`, `wp user
/// import-csv FILE` (accounts with the roles the file gives), `wp user
/// application-password create USER NAME` (a credential for the account),
/// `wp super-admin add|remove USER...` and `wp cap add|remove ROLE CAP...`
/// (every holder of the role).
fn wp(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &Spec::default());
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let role = args::value(&items, &["--role"]).map(|r| r.text.as_str());
    let role_resource =
        |role: Option<&str>| format!("wordpress role {}", role.unwrap_or("(the default role)"));
    let outcome = match words.as_slice() {
        [
            "user",
            "set-role" | "add-role" | "remove-role",
            user,
            roles @ ..,
        ] => access_change(
            role_resource(joined(roles).as_deref()),
            Some((*user).to_owned()),
        ),
        ["user", "add-cap" | "remove-cap", user, caps @ ..] => access_change(
            format!("wordpress capability {}", caps.join(", ")),
            Some((*user).to_owned()),
        ),
        ["user", "create", login, rest @ ..] => access_change(
            role_resource(role),
            Some(rest.first().unwrap_or(login).to_string()),
        ),
        ["user", "update", users @ ..] if role.is_some() && !users.is_empty() => {
            access_change(role_resource(role), joined(users))
        }
        ["user", "delete", users @ ..] if !users.is_empty() => {
            access_change("wordpress accounts".to_owned(), joined(users))
        }
        ["user", "import-csv", file, ..] => {
            let mut outcome = access_change(
                "wordpress accounts".to_owned(),
                Some(format!("the users listed in {file}")),
            );
            outcome.read(inv.path(file), false);
            outcome
        }
        [
            "user",
            "application-password" | "app-password",
            "create",
            user,
            ..,
        ] => access_change(
            "wordpress application password".to_owned(),
            Some((*user).to_owned()),
        ),
        ["super-admin", "add" | "remove", users @ ..] if !users.is_empty() => {
            access_change("wordpress network (super admin)".to_owned(), joined(users))
        }
        ["cap", "add" | "remove", role, caps @ ..] => access_change(
            format!("wordpress capability {}", caps.join(", ")),
            Some(format!("role {role}")),
        ),
        _ => return None,
    };
    Some(outcome)
}

/// Drupal's `drush` (after an optional `@site` alias): `user:role:add|remove
/// ROLE [NAMES] [--uid=..|--mail=..]` (`urol`, `urrol`), `role:perm:add|remove
/// ROLE PERMS` (`rap`, `rmp`: every holder of the role), `user:create NAME
/// [--mail=M]` (`ucrt`), and `user:block|unblock|cancel NAMES`.
fn drush(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "le",
            long: &["uri", "root", "env", "uid", "mail", "password"],
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .filter(|w| !w.starts_with('@'))
        .collect();
    let value = |names: &[&str]| args::value(&items, names).map(|v| v.text.clone());
    let users = |names: &[&str]| {
        joined(names)
            .or_else(|| value(&["--uid"]).map(|u| format!("uid {u}")))
            .or_else(|| value(&["--mail"]))
    };
    let outcome = match words.as_slice() {
        [
            "user:role:add" | "urol" | "user-add-role" | "user:role:remove" | "urrol"
            | "user-remove-role",
            role,
            names @ ..,
        ] => access_change(format!("drupal role {role}"), users(names)),
        [
            "role:perm:add" | "rap" | "role-add-perm" | "role:perm:remove" | "rmp"
            | "role-remove-perm",
            role,
            permissions @ ..,
        ] => access_change(
            format!("drupal permissions {}", permissions.join(", ")),
            Some(format!("role {role}")),
        ),
        ["user:create" | "ucrt" | "user-create", name, ..] => access_change(
            "drupal account".to_owned(),
            value(&["--mail"]).or_else(|| Some((*name).to_owned())),
        ),
        [
            "user:block" | "ublk" | "user-block" | "user:unblock" | "uublk" | "user-unblock"
            | "user:cancel" | "ucan" | "user-cancel",
            names @ ..,
        ] => access_change("drupal accounts".to_owned(), users(names)),
        _ => return None,
    };
    Some(outcome)
}

/// Nextcloud's `occ`: `group:adduser|removeuser GROUP USER`, `user:add
/// [-g GROUP] UID` (an account, in those groups), and `user:delete|enable|
/// disable UID`.
fn occ(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "g",
            long: &["group", "display-name", "email"],
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let outcome = match words.as_slice() {
        ["group:adduser" | "group:removeuser", group, user, ..] => {
            access_change(format!("nextcloud group {group}"), Some((*user).to_owned()))
        }
        ["user:add", uid, ..] => {
            let groups: Vec<&str> = args::values(&items, &["-g", "--group"])
                .iter()
                .map(|g| g.text.as_str())
                .collect();
            access_change(
                joined(&groups).map_or_else(
                    || "nextcloud account".to_owned(),
                    |g| format!("nextcloud group {g}"),
                ),
                Some((*uid).to_owned()),
            )
        }
        ["user:delete" | "user:enable" | "user:disable", uid, ..] => {
            access_change("nextcloud account".to_owned(), Some((*uid).to_owned()))
        }
        _ => return None,
    };
    Some(outcome)
}

/// Long options of `bin/magento`'s access commands that take a value.
const MAGENTO_LONG: &[&str] = &[
    "admin-user",
    "admin-password",
    "admin-email",
    "admin-firstname",
    "admin-lastname",
    "magento-init-params",
];

/// Magento 2's `bin/magento` (Symfony console: `--name=value` or `--name
/// value`): `admin:user:create --admin-user=U --admin-email=E ...` makes
/// an administrator account, `admin:user:unlock USER...` lets locked ones
/// in again, and `security:tfa:reset USER PROVIDER` and
/// `security:tfa:google:set-secret USER SECRET` change the second factor
/// an administrator logs in with. Customer accounts, configuration and
/// caches (`customer:...`, `config:set`, `cache:flush`) are not access to
/// the admin.
fn magento(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: MAGENTO_LONG,
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let value = |name: &str| args::value(&items, &[name]).map(|v| v.text.clone());
    let outcome = match words.as_slice() {
        ["admin:user:create", ..] => access_change(
            "magento admin".to_owned(),
            value("--admin-email").or_else(|| value("--admin-user")),
        ),
        ["admin:user:unlock", users @ ..] => {
            access_change("magento admin".to_owned(), joined(users))
        }
        ["security:tfa:reset", user, providers @ ..] => access_change(
            format!("magento admin two-factor {}", providers.join(", ")),
            Some((*user).to_owned()),
        ),
        ["security:tfa:google:set-secret", user, ..] => access_change(
            "magento admin two-factor google".to_owned(),
            Some((*user).to_owned()),
        ),
        _ => return None,
    };
    Some(outcome)
}

/// Laravel admin panels' `artisan` commands that make an account able to
/// log in to the panel: Filament's `make:filament-user [--name=N]
/// [--email=E] [--password=P] [--panel=P]` and Nova's `nova:user` (which
/// asks for the account's details).
fn artisan(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["name", "email", "password", "panel", "env"],
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let value = |name: &str| args::value(&items, &[name]).map(|v| v.text.clone());
    let outcome = match words.as_slice() {
        ["make:filament-user", ..] => access_change(
            value("--panel").map_or_else(
                || "filament panel".to_owned(),
                |panel| format!("filament panel {panel}"),
            ),
            value("--email").or_else(|| value("--name")),
        ),
        ["nova:user", ..] => access_change("nova admin".to_owned(), None),
        _ => return None,
    };
    Some(outcome)
}
