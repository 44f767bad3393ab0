//! Directory services' command-line clients: OpenLDAP's (`ldapmodify`,
//! `ldapadd`, `ldapdelete`, `ldapmodrdn`, `ldappasswd`, `ldapsearch`,
//! `ldapcompare`, `ldapwhoami`, `ldapexop`), Samba's `samba-tool` and
//! `net rpc|ads|sam`, FreeIPA's `ipa` and MIT Kerberos' `kadmin`.
//!
//! A client that reaches a server (`-H URI`, `-h HOST -p PORT`, `-S
//! SERVER`) reports a request there carrying what it sends: the bind
//! secret (`-w`, the file of `-y`, `-U user%pass`, `--password`), the
//! LDIF or the DNs it is given, its filter. A change is `SEND`, a read
//! `GET`; a dry run (`-n`) sends nothing and changes nothing.
//!
//! Who may do what is the directory's to say, so its changes are
//! [`Effect::GrantAccess`]es: an LDIF record that adds, replaces or
//! deletes a membership (`member`, `uniqueMember`, `memberUid`,
//! `roleOccupant`; `memberOf`, `nsRoleDN` on the member's own entry) or
//! an access rule (`olcAccess`, `aci`, `olcRootDN`, `olcAuthzRegexp`);
//! `samba-tool group addmembers|removemembers`, its account lifecycle,
//! ACLs and delegations; `net rpc group addmem|delmem`, `net rpc rights
//! grant|revoke`; `ipa` membership, role, rule and account commands;
//! `kadmin` principal changes. Each names its member as the grantee (a
//! DN by its first value: `uid=ann,ou=people,...` is `ann`), or none when
//! the change has no one member.

use super::{Invocation, Outcome, printed_lines, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Payload, Resource, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "samba-tool" => Some(samba_tool(inv)),
        "net" => net(inv),
        "ipa" => Some(ipa(inv)),
        "kadmin" | "kadmin.local" => Some(kadmin(inv)),
        program => ldap_tool(program).map(|tool| ldap(inv, &tool)),
    }
}

/// A change of `resource`'s access for `grantee`.
fn grant(resource: String, grantee: Option<String>) -> Effect {
    Effect::GrantAccess {
        resource: Resource::Other { name: resource },
        grantee: grantee.filter(|g| !g.is_empty()),
    }
}

/// The names of a comma-separated list (`m.okafor,svc-veeam`).
fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|n| !n.is_empty())
}

/// Who a member value names: a DN by its first value
/// (`uid=m.okafor,ou=people,dc=x` is `m.okafor`), a name as it is.
fn member_name(value: &str) -> String {
    let value = value.trim();
    let first = value.split(',').next().unwrap_or(value);
    match first.split_once('=') {
        Some((attribute, name))
            if !attribute.is_empty()
                && attribute
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') =>
        {
            name.trim().to_owned()
        }
        _ => value.to_owned(),
    }
}

// ------------------------------------------------------------- OpenLDAP

/// What an OpenLDAP client is: the short options that take a value, and
/// what it does at the server.
struct LdapTool {
    values: &'static str,
    /// It changes entries (`SEND`), rather than reading them (`GET`).
    changes: bool,
    /// Its input is LDIF change records (`ldapmodify`, `ldapadd`).
    ldif: bool,
    /// It reads what it sends from standard input when `-f` names no file.
    reads_stdin: bool,
}

/// Options every client takes a value for: `-H URI`, `-h HOST`, `-p PORT`,
/// `-D BINDDN`, `-w PASS`, `-y PASSFILE`, SASL's `-Y -X -U -R -O`, `-d`,
/// `-e`/`-E` extensions, `-o OPT`, `-P VERSION`.
const LDAP_COMMON: &str = "HhpDwyYXUROdeEoP";

fn ldap_tool(program: &str) -> Option<LdapTool> {
    let tool = |values: &'static str, changes: bool, reads_stdin: bool| LdapTool {
        values,
        changes,
        ldif: false,
        reads_stdin,
    };
    Some(match program {
        "ldapmodify" | "ldapadd" => LdapTool {
            values: "HhpDwyYXUROdeEoPfS",
            changes: true,
            ldif: true,
            reads_stdin: true,
        },
        "ldapdelete" => tool("HhpDwyYXUROdeEoPfz", true, true),
        "ldapmodrdn" => tool("HhpDwyYXUROdeEoPfs", true, true),
        "ldappasswd" => tool("HhpDwyYXUROdeEoPastT", true, false),
        "ldapsearch" => tool("HhpDwyYXUROdeEoPfbsaSzlFT", false, false),
        "ldapcompare" => tool("HhpDwyYXUROdeEoPz", false, false),
        "ldapwhoami" => tool(LDAP_COMMON, false, false),
        "ldapexop" => tool(LDAP_COMMON, true, false),
        _ => return None,
    })
}

/// An OpenLDAP client: the files it reads and writes, the access its
/// LDIF changes, and the request it makes to each server it names.
fn ldap(inv: &Invocation<'_>, tool: &LdapTool) -> Outcome {
    let items = ldap_items(inv, tool);
    let (_, secret_files) = ldap_secrets(inv.program);
    let input_files = ldap_input_files(&items);
    let mut outcome = Outcome::default();
    for file in args::values(&items, secret_files)
        .iter()
        .chain(&input_files)
    {
        outcome.read(inv.path(&file.text), false);
    }
    // `ldapmodify -S FILE` writes the records it skipped there.
    if tool.ldif {
        for skipped in args::values(&items, &["-S"]) {
            outcome.write(inv.path(&skipped.text), false);
        }
    }
    // `-n`: shows what it would do; it neither connects nor changes.
    if args::has(&items, &["-n"]) {
        return outcome;
    }
    let from_stdin = tool.reads_stdin && input_files.is_empty() && inv.has_stdin;
    if tool.ldif && from_stdin {
        for text in &inv.stdin.text {
            push_unique(&mut outcome.effects, ldif_changes(text));
        }
    }
    let payload = ldap_payload(inv, &items, from_stdin);
    let method = if ldap_changes_entries(inv.program, tool, &items) {
        "SEND"
    } else {
        "GET"
    };
    for target in ldap_servers(inv, &items) {
        outcome
            .effects
            .push(request(inv.program, target, method, payload.clone(), false));
    }
    outcome
}

fn ldap_items<'a>(inv: &Invocation<'a>, tool: &LdapTool) -> Vec<Item<'a>> {
    args::parse(
        inv.args,
        &Spec {
            short: tool.values,
            long: &[],
            stop_after: None,
        },
    )
}

/// The options whose values a client sends as secrets, and those that
/// name files holding them: `-w PASS`, `-y FILE`; `ldappasswd`'s old and
/// new passwords (`-a`, `-s`) and their files (`-t`, `-T`).
fn ldap_secrets(program: &str) -> (&'static [&'static str], &'static [&'static str]) {
    if program == "ldappasswd" {
        (&["-w", "-a", "-s"], &["-y", "-t", "-T"])
    } else {
        (&["-w"], &["-y"])
    }
}

/// The files of `-f` (LDIF, DNs, filters); `-` is standard input.
fn ldap_input_files<'a>(items: &'a [Item<'_>]) -> Vec<&'a Arg> {
    args::values(items, &["-f"])
        .into_iter()
        .filter(|f| f.text != "-")
        .collect()
}

/// Whether a client changes entries rather than reading them
/// (`ldapexop whoami` only reads).
fn ldap_changes_entries(program: &str, tool: &LdapTool, items: &[Item<'_>]) -> bool {
    tool.changes
        && !(program == "ldapexop"
            && args::positionals(items)
                .first()
                .is_some_and(|p| p.text.eq_ignore_ascii_case("whoami")))
}

/// What a client sends its server: its secrets, its input files or
/// standard input, and its arguments (DNs, a filter, attributes).
fn ldap_payload(inv: &Invocation<'_>, items: &[Item<'_>], from_stdin: bool) -> Payload {
    let (passwords, secret_files) = ldap_secrets(inv.program);
    let mut payload = Payload::default();
    for password in args::values(items, passwords) {
        flow::merge(&mut payload, &password.payload());
    }
    for file in args::values(items, secret_files)
        .iter()
        .chain(&ldap_input_files(items))
    {
        send_file(inv, &mut payload, &file.text, false);
    }
    if from_stdin {
        flow::merge(&mut payload, inv.stdin);
    }
    for word in args::positionals(items) {
        flow::merge(&mut payload, &word.payload());
    }
    payload
}

/// The servers a client reaches: each URI of `-H` (a list, by spaces or
/// commas; `ldapi://` is a local socket), else `-h HOST [-p PORT]`, else
/// the `LDAPURI`/`LDAPHOST` variables set for it. A client that names
/// none uses its configured server.
fn ldap_servers(inv: &Invocation<'_>, items: &[Item<'_>]) -> Vec<Target> {
    let uris: Vec<String> = args::values(items, &["-H"])
        .iter()
        .map(|a| a.text.clone())
        .chain(inv.env_value("LDAPURI").map(|a| a.text.clone()))
        .collect();
    let from_uris: Vec<Target> = uris
        .iter()
        .flat_map(|text| text.split([' ', ',', '\t', '\n']))
        .filter(|uri| !uri.is_empty() && !uri.to_ascii_lowercase().starts_with("ldapi:"))
        .map(url)
        .collect();
    if !uris.is_empty() {
        return from_uris;
    }
    let host = args::value(items, &["-h"]).or_else(|| inv.env_value("LDAPHOST"));
    let port = args::value(items, &["-p"]).or_else(|| inv.env_value("LDAPPORT"));
    host.map(|host| Target::Host {
        user: None,
        host: host.text.clone(),
        port: port.and_then(|p| p.text.parse().ok()),
        path: None,
    })
    .into_iter()
    .collect()
}

/// Adds effects not already there.
fn push_unique(effects: &mut Vec<Effect>, more: Vec<Effect>) {
    for effect in more {
        if !effects.contains(&effect) {
            effects.push(effect);
        }
    }
}

/// Attributes whose values are an entry's members: a grant of the entry
/// (a group, a role) to each.
const MEMBER_ATTRIBUTES: &[&str] = &["member", "uniquemember", "memberuid", "roleoccupant"];

/// Attributes whose values are the groups or roles the entry itself is
/// in.
const MEMBER_OF_ATTRIBUTES: &[&str] = &["memberof", "nsroledn"];

/// Attributes that say who may do what in the directory: OpenLDAP's
/// access rules, its superuser and its identity mappings, and the ACIs
/// of 389 Directory Server and its kin. A dynamic group's `memberURL`
/// decides its members by a filter.
const ACCESS_ATTRIBUTES: &[&str] = &[
    "olcaccess",
    "aci",
    "olcrootdn",
    "olcauthzregexp",
    "memberurl",
];

/// The access changes of LDIF text: each record's membership and access
/// rule values that it adds, replaces or deletes. A record without a
/// `changetype` adds an entry (`ldapadd`, `ldapmodify -a`) or replaces
/// the attributes it lists: either way it sets its values.
fn ldif_changes(text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for record in ldif_records(&printed_lines(text)) {
        let Some(dn) = record
            .iter()
            .find_map(|(name, value)| name.eq_ignore_ascii_case("dn").then(|| value.clone()))
        else {
            continue;
        };
        for (attribute, value) in changed_values(&record) {
            push_unique(&mut effects, attribute_change(&dn, &attribute, value));
        }
    }
    effects
}

/// One LDIF line as `(attribute, value)`, lower-case attribute without
/// its options (`member;range=0-9`).
type LdifLine = (String, String);

/// The records of LDIF text: continuation lines joined, comments and
/// `version:` left out, records split at blank lines.
fn ldif_records(text: &str) -> Vec<Vec<LdifLine>> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(rest) = line.strip_prefix(' ')
            && let Some(last) = lines.last_mut()
            && !last.is_empty()
        {
            last.push_str(rest);
            continue;
        }
        lines.push(line.to_owned());
    }
    let mut records = Vec::new();
    let mut record: Vec<LdifLine> = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            if !record.is_empty() {
                records.push(std::mem::take(&mut record));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line == "-" {
            record.push(("-".to_owned(), String::new()));
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.split(';').next().unwrap_or(name).trim();
        // `attr:: base64` and `attr:< URL` keep their marker in the value.
        let value = value.strip_prefix(' ').unwrap_or(value).trim_end();
        if !name.eq_ignore_ascii_case("version") {
            record.push((name.to_ascii_lowercase(), value.to_owned()));
        }
    }
    if !record.is_empty() {
        records.push(record);
    }
    records
}

/// The attribute values a record sets or removes, as `(attribute,
/// value)`; `None` for a `delete: ATTR` that removes every value.
fn changed_values(record: &[LdifLine]) -> Vec<(String, Option<String>)> {
    let changetype = record
        .iter()
        .find(|(name, _)| name == "changetype")
        .map(|(_, value)| value.to_ascii_lowercase());
    let mut changed = Vec::new();
    match changetype.as_deref() {
        Some("modify") => {
            let mut current: Option<(String, bool)> = None;
            for (name, value) in record {
                match name.as_str() {
                    "add" | "replace" | "delete" | "increment" => {
                        let attribute = value.trim().to_ascii_lowercase();
                        let attribute = attribute.split(';').next().unwrap_or("").to_owned();
                        current = Some((attribute, false));
                    }
                    "-" => {
                        if let Some((attribute, false)) = current.take() {
                            changed.push((attribute, None));
                        }
                    }
                    _ => {
                        if let Some((attribute, seen)) = current.as_mut()
                            && attribute == name
                        {
                            *seen = true;
                            changed.push((name.clone(), Some(value.clone())));
                        }
                    }
                }
            }
            if let Some((attribute, false)) = current {
                changed.push((attribute, None));
            }
        }
        None | Some("add") => {
            for (name, value) in record {
                if !matches!(name.as_str(), "dn" | "changetype" | "control" | "-") {
                    changed.push((name.clone(), Some(value.clone())));
                }
            }
        }
        // `delete`, `modrdn`, `moddn`: no attribute changes.
        Some(_) => {}
    }
    changed
}

/// The access change of one attribute value of the entry `dn`.
fn attribute_change(dn: &str, attribute: &str, value: Option<String>) -> Vec<Effect> {
    let attribute = attribute.to_ascii_lowercase();
    if MEMBER_ATTRIBUTES.contains(&attribute.as_str()) {
        return vec![grant(
            format!("ldap group {dn}"),
            value.map(|v| member_name(&v)),
        )];
    }
    if MEMBER_OF_ATTRIBUTES.contains(&attribute.as_str()) {
        let resource = value.map_or_else(
            || format!("ldap groups of {dn}"),
            |group| format!("ldap group {}", group.trim()),
        );
        return vec![grant(resource, Some(member_name(dn)))];
    }
    if ACCESS_ATTRIBUTES.contains(&attribute.as_str()) {
        return vec![grant(format!("ldap access {dn}"), None)];
    }
    Vec::new()
}

/// An LDAP client's LDIF given as a file written earlier (`ldapmodify -f
/// change.ldif`, `ldapadd < users.ldif`): the access its records change,
/// as for LDIF on standard input. A file whose text is not known changes
/// what it changes unseen.
pub(crate) fn written_ldif(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &dyn Fn(&str) -> Option<String>,
) {
    let Some(tool) = ldap_tool(inv.program).filter(|t| t.ldif) else {
        return;
    };
    let items = ldap_items(inv, &tool);
    if args::has(&items, &["-n"]) {
        return;
    }
    let mut paths: Vec<String> = ldap_input_files(&items)
        .iter()
        .map(|f| inv.path(&f.text))
        .collect();
    if paths.is_empty() {
        paths.extend(inv.stdin.files.iter().map(|f| f.path.clone()));
    }
    for path in paths {
        if let Some(text) = text_of(&path) {
            push_unique(&mut outcome.effects, ldif_changes(&text));
        }
    }
}

// ----------------------------------------------------------- samba-tool

/// `samba-tool` options that take a value when written apart from it.
const SAMBA_TOOL_LONG: &[&str] = &[
    "URL",
    "username",
    "password",
    "realm",
    "workgroup",
    "configfile",
    "debuglevel",
    "kerberos",
    "use-kerberos",
    "use-krb5-ccache",
    "ipaddress",
    "option",
    "simple-bind-dn",
    "member-base-dn",
    "object-type",
    "groupou",
    "userou",
    "surname",
    "given-name",
    "initials",
    "description",
    "mail-address",
    "internet-address",
    "telephone-number",
    "physical-delivery-office",
    "job-title",
    "department",
    "company",
    "profile-path",
    "script-path",
    "home-drive",
    "home-directory",
    "uid",
    "uid-number",
    "gid-number",
    "gecos",
    "login-shell",
    "nis-domain",
    "unix-home",
    "newpassword",
    "filter",
    "days",
    "objectdn",
    "trusteedn",
    "sddl",
    "car",
    "action",
    "group-scope",
    "group-type",
];

/// `samba-tool`: the access its subcommand changes
/// ([`samba_tool_changes`]), and a request to the directory of `-H
/// ldap://DC` with the credentials of `-U user%pass` and `--password`;
/// without `-H` it works on this host's database.
fn samba_tool(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "HUWsdk",
            long: SAMBA_TOOL_LONG,
            stop_after: None,
        },
    );
    let changes = samba_tool_changes(&items);
    let servers: Vec<Target> = args::values(&items, &["-H", "--URL"])
        .iter()
        .filter(|server| {
            let lower = server.text.to_ascii_lowercase();
            lower.starts_with("ldap://") || lower.starts_with("ldaps://")
        })
        .map(|server| url(&server.text))
        .collect();
    let login = login(&items, &["-U", "--username", "--password"]);
    let mut effects = login_requests(inv.program, servers, &login, !changes.is_empty());
    effects.extend(changes);
    Outcome {
        effects,
        ..Outcome::default()
    }
}

/// `samba-tool` subcommands that change access: group membership (`group
/// addmembers|removemembers GROUP M1,M2`, `group delete GROUP`), account
/// lifecycle (`user create|add|delete|enable|disable|unlock USER`), ACLs
/// (`dsacl set|delete --objectdn=DN --trusteedn=DN`) and Kerberos
/// delegation (`delegation add-service|for-any-protocol|... ACCOUNT`).
fn samba_tool_changes(items: &[Item<'_>]) -> Vec<Effect> {
    let words: Vec<&str> = args::positionals(items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let value = |name: &str| args::value(items, &[name]).map(|a| a.text.clone());
    match words.as_slice() {
        ["group", "addmembers" | "removemembers", group, members, ..] => list(members)
            .map(|member| {
                grant(
                    format!("active directory group {group}"),
                    Some(member.to_owned()),
                )
            })
            .collect(),
        ["group", "delete", group, ..] => {
            vec![grant(format!("active directory group {group}"), None)]
        }
        [
            "user",
            "create" | "add" | "delete" | "enable" | "disable" | "unlock",
            rest @ ..,
        ] => {
            let account = rest.first().map_or_else(String::new, |a| format!(" {a}"));
            vec![grant(format!("active directory account{account}"), None)]
        }
        ["dsacl", "set" | "delete", ..] => {
            let object = value("--objectdn").map_or_else(String::new, |dn| format!(" {dn}"));
            vec![grant(
                format!("active directory acl{object}"),
                value("--trusteedn").map(|dn| member_name(&dn)),
            )]
        }
        ["delegation", verb, account, ..] if *verb != "show" => {
            vec![grant(
                format!("active directory delegation {account}"),
                None,
            )]
        }
        _ => Vec::new(),
    }
}

/// What the credential options of `names` send to log in.
fn login(items: &[Item<'_>], names: &[&str]) -> Payload {
    let mut login = Payload::default();
    for credential in args::values(items, names) {
        flow::merge(&mut login, &credential.payload());
    }
    login
}

/// A client's request to each of its servers, carrying its login: a
/// `SEND` when it changes something, else a `GET`.
fn login_requests(
    program: &str,
    servers: Vec<Target>,
    login: &Payload,
    changes: bool,
) -> Vec<Effect> {
    let method = if changes { "SEND" } else { "GET" };
    servers
        .into_iter()
        .map(|server| request(program, server, method, login.clone(), false))
        .collect()
}

/// A host target, its port after a colon or given apart.
fn host_target(text: &str, port: Option<u16>) -> Target {
    let (host, port) = match text.rsplit_once(':') {
        Some((host, given)) if given.parse::<u16>().is_ok() => (host, given.parse().ok()),
        _ => (text, port),
    };
    Target::Host {
        user: None,
        host: host.to_owned(),
        port,
        path: None,
    }
}

// ------------------------------------------------------------ Samba net

/// Samba's `net` options that take a value when written apart from it.
const NET_LONG: &[&str] = &[
    "user",
    "ipaddress",
    "port",
    "netbiosname",
    "workgroup",
    "server",
    "comment",
    "maxusers",
    "flags",
    "timeout",
    "container",
    "configfile",
    "debuglevel",
    "option",
    "password",
];

/// `net rpc|ads|sam ...`, Samba's: the access it changes
/// ([`net_changes`]), and a request to the server of `-S SERVER` or `-I
/// ADDRESS` with the credentials of `-U user%pass`. Windows' own `net` is
/// [`super::windows`]'s.
fn net(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "UIpnWSCMFtcsdo",
            long: NET_LONG,
            stop_after: None,
        },
    );
    let words: Vec<String> = args::positionals(&items)
        .iter()
        .map(|a| a.text.clone())
        .collect();
    let scope = words.first()?.to_ascii_lowercase();
    if !matches!(scope.as_str(), "rpc" | "ads" | "sam") {
        return None;
    }
    let changes = net_changes(&scope, &words);
    let port = args::value(&items, &["-p", "--port"]).and_then(|p| p.text.parse().ok());
    let servers: Vec<Target> = args::value(&items, &["-S", "--server", "-I", "--ipaddress"])
        .map(|server| host_target(&server.text, port))
        .into_iter()
        .collect();
    let login = login(&items, &["-U", "--user", "--password"]);
    let mut effects = login_requests("net", servers, &login, !changes.is_empty());
    effects.extend(changes);
    Some(Outcome {
        effects,
        ..Outcome::default()
    })
}

/// What `net rpc|ads|sam` changes: `group addmem|delmem GROUP MEMBER`
/// (`sam`'s groups are this host's, and `net sam addmem|delmem` too),
/// `group delete GROUP`, `user add|delete NAME`, `rights grant|revoke
/// PRINCIPAL PRIVILEGE...`. Its subcommands are read in any case.
fn net_changes(scope: &str, words: &[String]) -> Vec<Effect> {
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let word = |at: usize| words.get(at).cloned().unwrap_or_default();
    let group_kind = if scope == "sam" {
        "local group"
    } else {
        "active directory group"
    };
    match lower.get(1..).unwrap_or_default() {
        ["group", "addmem" | "delmem", ..] => {
            vec![grant(format!("{group_kind} {}", word(3)), Some(word(4)))]
        }
        ["addmem" | "delmem", ..] if scope == "sam" => {
            vec![grant(format!("{group_kind} {}", word(2)), Some(word(3)))]
        }
        ["group", "delete", ..] => vec![grant(format!("{group_kind} {}", word(3)), None)],
        ["user", "add" | "delete", ..] => {
            vec![grant(format!("active directory account {}", word(3)), None)]
        }
        ["rights", "grant" | "revoke", ..] => {
            let privileges = words.get(4..).unwrap_or_default().join(" ");
            vec![grant(format!("privileges {privileges}"), Some(word(3)))]
        }
        _ => Vec::new(),
    }
}

// ------------------------------------------------------------- FreeIPA

/// `ipa` options that take a value when written apart from it.
const IPA_LONG: &[&str] = &[
    "users",
    "groups",
    "hosts",
    "hostgroups",
    "services",
    "external",
    "idoverrideusers",
    "privileges",
    "permissions",
    "sizelimit",
    "timelimit",
    "first",
    "last",
    "cn",
    "desc",
    "shell",
    "email",
    "config",
    "in-groups",
    "not-in-groups",
];

/// Options naming the members a membership command adds or removes.
const IPA_MEMBERS: &[&str] = &[
    "--users",
    "--groups",
    "--hosts",
    "--hostgroups",
    "--services",
    "--external",
    "--idoverrideusers",
];

/// What an `ipa OBJECT-VERB` command changes the access of, if it does.
fn ipa_changes(command: &str) -> Option<&'static str> {
    let (object, verb) = command.split_once('-')?;
    let reads = verb.ends_with("find") || verb.ends_with("show");
    let member = matches!(
        verb,
        "add-member" | "remove-member" | "add-member-manager" | "remove-member-manager"
    );
    Some(match object {
        "group" if member || verb == "del" => "ipa group",
        "netgroup" if member || verb == "del" => "ipa netgroup",
        "role" if member || matches!(verb, "add-privilege" | "remove-privilege" | "del") => {
            "ipa role"
        }
        "privilege" if member || matches!(verb, "add-permission" | "remove-permission" | "del") => {
            "ipa privilege"
        }
        "permission" if !reads => "ipa permission",
        "hbacrule" if !reads => "ipa hbac rule",
        "sudorule" if !reads => "ipa sudo rule",
        "selinuxusermap" if !reads => "ipa selinux user map",
        "caacl" if !reads => "ipa ca acl",
        "automember" if !reads => "ipa automember",
        "selfservice" | "delegation" if matches!(verb, "add" | "mod" | "del") => "ipa access rule",
        "user" | "stageuser"
            if matches!(
                verb,
                "add" | "del" | "enable" | "disable" | "undel" | "unlock" | "activate"
            ) =>
        {
            "ipa user"
        }
        "host" | "service"
            if verb.starts_with("allow-")
                || verb.starts_with("disallow-")
                || matches!(verb, "add-managedby" | "remove-managedby") =>
        {
            if object == "host" {
                "ipa host"
            } else {
                "ipa service"
            }
        }
        _ => return None,
    })
}

/// `ipa [-e K=V] COMMAND [KEY] [--option=VALUE...]`: membership
/// (`group-add-member admins --users=U --groups=G`), roles and
/// privileges, HBAC and sudo rules, permissions and self-service rules,
/// automember rules, accounts' lifecycle and who may fetch a host's or
/// service's keys ([`ipa_changes`]). Each member named is a grantee. The
/// rest reads (`*-find`, `*-show`).
fn ipa(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ec",
            long: IPA_LONG,
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let mut outcome = Outcome::default();
    let Some((command, rest)) = positionals.split_first() else {
        return outcome;
    };
    let Some(what) = ipa_changes(&command.text.to_ascii_lowercase()) else {
        return outcome;
    };
    let resource = match rest.first() {
        Some(key) => format!("{what} {}", key.text),
        None => what.to_owned(),
    };
    let members: Vec<String> = args::values(&items, IPA_MEMBERS)
        .iter()
        .flat_map(|value| list(&value.text).map(str::to_owned).collect::<Vec<_>>())
        .collect();
    if members.is_empty() {
        outcome.effects.push(grant(resource.clone(), None));
    }
    for member in members {
        outcome.effects.push(grant(resource.clone(), Some(member)));
    }
    outcome
}

// -------------------------------------------------------------- kadmin

/// `kadmin [-p PRINC] [-k] [-t KEYTAB] [-w PASS] [-s SERVER] [-q QUERY]`
/// (and `kadmin.local`), its queries from `-q` or standard input: adding,
/// deleting, changing or renaming a principal changes that account
/// (`addprinc`, `delprinc`, `modprinc`, `renprinc`), and `ktadd`/`xst`,
/// `ktremove` write the keytab of `-k` (`/etc/krb5.keytab` by default).
/// The keytab of `-t` is read; `-s SERVER` is reached with `-w`'s
/// password.
fn kadmin(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rpqtcwsxed",
            long: &[],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for keytab in args::values(&items, &["-t"]) {
        outcome.read(inv.path(&keytab.text), false);
    }
    let mut queries: Vec<String> = args::values(&items, &["-q"])
        .iter()
        .map(|q| q.text.clone())
        .collect();
    if queries.is_empty() && inv.has_stdin {
        queries.extend(inv.stdin.text.iter().map(|t| printed_lines(t)));
    }
    let mut changes = false;
    for query in queries.iter().flat_map(|q| q.lines()) {
        changes |= kadmin_query(inv, query, &mut outcome);
    }
    let servers: Vec<Target> = args::value(&items, &["-s"])
        .map(|server| host_target(&server.text, None))
        .into_iter()
        .collect();
    let login = login(&items, &["-w"]);
    outcome
        .effects
        .extend(login_requests(inv.program, servers, &login, changes));
    outcome
}

/// One kadmin query's effects; true when it changes something.
fn kadmin_query(inv: &Invocation<'_>, query: &str, outcome: &mut Outcome) -> bool {
    let words: Vec<&str> = query.split_whitespace().collect();
    let Some((command, rest)) = words.split_first() else {
        return false;
    };
    match *command {
        "add_principal" | "addprinc" | "ank" | "delete_principal" | "delprinc"
        | "modify_principal" | "modprinc" | "rename_principal" | "renprinc" => {
            if let Some(principal) = rest.iter().rev().find(|w| !w.starts_with(['-', '+'])) {
                outcome
                    .effects
                    .push(grant(format!("kerberos principal {principal}"), None));
            }
            true
        }
        "ktadd" | "xst" | "ktremove" | "ktrem" => {
            let keytab = rest
                .iter()
                .position(|w| *w == "-k")
                .and_then(|at| rest.get(at + 1))
                .map_or("/etc/krb5.keytab", |k| {
                    k.strip_prefix("FILE:")
                        .or_else(|| k.strip_prefix("WRFILE:"))
                        .unwrap_or(k)
                });
            outcome.write(inv.path(keytab), false);
            true
        }
        _ => false,
    }
}
