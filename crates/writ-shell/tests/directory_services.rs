//! Directory services' clients (OpenLDAP, samba-tool, Samba's `net`,
//! FreeIPA, kadmin), PowerShell's `-WhatIf`, and mail senders read as
//! their programs read them (swaks' options, sendmail's headers).

use crate::common;

use common::*;
use serde_json::{Value, json};

fn message(program: &str, recipients: &[&str], payload: Value) -> Value {
    json!({"effect": "message", "program": program, "recipients": recipients, "payload": payload})
}

fn ldap_request(program: &str, url: &str, method: &str, payload: Value) -> Value {
    url_request(program, url, method, payload)
}

#[test]
fn ldif_membership_and_acl_changes_are_grants() {
    access_table(&[
        (
            "ldapmodify -x -H ldaps://ldap01.corp.example -D cn=admin -w \"$PW\" <<'EOF'\n\
             dn: cn=sysadmins,ou=groups,dc=corp,dc=example\nchangetype: modify\n\
             add: memberUid\nmemberUid: kfischer\nEOF",
            json!([grant_named(
                "ldap group cn=sysadmins,ou=groups,dc=corp,dc=example",
                Some("kfischer")
            )]),
        ),
        // `member` DNs name the member by their first value; a delete of
        // the whole attribute changes everyone's access.
        (
            "ldapmodify -Y EXTERNAL -H ldapi:/// <<'EOF'\n\
             dn: cn=admins,ou=groups,dc=x\nchangetype: modify\n\
             add: member\nmember: uid=ann,ou=people,dc=x\nmember: uid=bob,ou=people,dc=x\n-\n\
             delete: uniqueMember\n-\nreplace: description\ndescription: ops\nEOF",
            json!([
                grant_named("ldap group cn=admins,ou=groups,dc=x", Some("ann")),
                grant_named("ldap group cn=admins,ou=groups,dc=x", Some("bob")),
                grant_named("ldap group cn=admins,ou=groups,dc=x", None),
            ]),
        ),
        // An entry added with members, and `memberOf` on the member's own entry.
        (
            "ldapadd -x -H ldap://ds.corp.example -w \"$PW\" <<'EOF'\n\
             dn: cn=dba,ou=groups,dc=x\nobjectClass: groupOfNames\ncn: dba\n\
             member: cn=Jane Doe,ou=people,dc=x\n\n\
             dn: uid=carl,ou=people,dc=x\nchangetype: modify\nadd: memberOf\n\
             memberOf: cn=wheel,ou=groups,dc=x\nEOF",
            json!([
                grant_named("ldap group cn=dba,ou=groups,dc=x", Some("Jane Doe")),
                grant_named("ldap group cn=wheel,ou=groups,dc=x", Some("carl")),
            ]),
        ),
        // OpenLDAP's access rules, continued over a folded line.
        (
            "sudo ldapmodify -Q -Y EXTERNAL -H ldapi:/// <<'EOF'\n\
             dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\nadd: olcAccess\n\
             olcAccess: {0}to attrs=userPassword by dn.exact=\"uid=svc,dc=x\" read\n  by * none\nEOF",
            json!([grant_named(
                "ldap access olcDatabase={1}mdb,cn=config",
                None
            )]),
        ),
        (
            "printf 'dn: cn=ops,dc=x\\nchangetype: modify\\nadd: member\\nmember: uid=eve,dc=x\\n' | ldapmodify -H ldap://ds.x.example",
            json!([grant_named("ldap group cn=ops,dc=x", Some("eve"))]),
        ),
    ]);
}

#[test]
fn ldap_changes_that_grant_nothing_or_send_nothing() {
    no_access_changes(&[
        // Other attributes, reads, and dry runs.
        "ldapmodify -H ldaps://ds.x.example <<'EOF'\ndn: uid=ann,dc=x\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: +1 555 0100\n-\nreplace: title\ntitle: SRE\nEOF",
        "ldapmodify -n -H ldaps://ds.x.example <<'EOF'\ndn: cn=admins,dc=x\nchangetype: modify\nadd: member\nmember: uid=bob,dc=x\nEOF",
        "ldapsearch -LLL -x -H ldaps://ds.x.example -b ou=groups,dc=x '(cn=admins)' member",
        "ldapdelete -H ldap://ds.x.example uid=old,ou=people,dc=x",
        "ldapwhoami -Q -Y GSSAPI -H ldap://ds.x.example",
    ]);
    // A dry run reads its file and sends nothing.
    check(
        "ldapmodify -n -v -x -H ldaps://ds.x.example -w \"$PW\" -f changes/a.ldif",
        json!([read(&at("changes/a.ldif"))]),
    );
}

#[test]
fn ldap_clients_send_their_secret_and_input_to_the_server() {
    run_table(&[
        (
            "ldapsearch -LLL -x -H ldaps://trial.vendor.example -D uid=me,dc=x -w \"$LDAP_BIND_PW\" -b o=trial '(uid=*)' uid mail",
            json!([ldap_request(
                "ldapsearch",
                "ldaps://trial.vendor.example",
                "GET",
                payload(
                    &["$LDAP_BIND_PW", "(uid=*)", "uid", "mail"],
                    &[],
                    &["LDAP_BIND_PW"]
                )
            )]),
        ),
        (
            "ldapmodify -x -H ldaps://ldap.partner.example:636 -D uid=me,dc=p -y /home/dana/.config/p/bind.pw <<'EOF'\n\
             dn: uid=sync,dc=p\nchangetype: modify\nreplace: userPassword\nuserPassword: Kestrel-42\nEOF",
            json!([
                read("/home/dana/.config/p/bind.pw"),
                ldap_request(
                    "ldapmodify",
                    "ldaps://ldap.partner.example:636",
                    "SEND",
                    payload(
                        &[
                            "dn: uid=sync,dc=p\nchangetype: modify\nreplace: userPassword\nuserPassword: Kestrel-42"
                        ],
                        &[("/home/dana/.config/p/bind.pw", false)],
                        &[]
                    )
                )
            ]),
        ),
        // `-h HOST -p PORT` and several URIs.
        (
            "ldapdelete -h ds.x.example -p 389 -w pw uid=old,dc=x",
            json!([host_request(
                "ldapdelete",
                host(None, "ds.x.example", Some(389), None),
                "SEND",
                payload(&["pw", "uid=old,dc=x"], &[], &[])
            )]),
        ),
        (
            "ldapwhoami -x -H 'ldap://a.x.example ldap://b.x.example'",
            json!([
                ldap_request("ldapwhoami", "ldap://a.x.example", "GET", empty()),
                ldap_request("ldapwhoami", "ldap://b.x.example", "GET", empty())
            ]),
        ),
    ]);
}

#[test]
fn ldif_written_earlier_is_read_for_its_changes() {
    let written = [text_file(
        &at("changes/oncall.ldif"),
        "dn: cn=idm-admins,ou=groups,dc=x\nchangetype: modify\nadd: member\nmember: uid=m.okafor,ou=people,dc=x\n",
    )];
    let grant = grant_named("ldap group cn=idm-admins,ou=groups,dc=x", Some("m.okafor"));
    for command in [
        "ldapmodify -c -Q -Y GSSAPI -H ldaps://ds.x.example -f changes/oncall.ldif",
        "ldapmodify -Q -H ldaps://ds.x.example < changes/oncall.ldif",
    ] {
        let effects = effects_after(&written, command);
        assert!(
            effects.as_array().is_some_and(|e| e.contains(&grant)),
            "{command}: {effects}"
        );
    }
    // Written on the same line.
    let effects = access_effects(
        "cat > /tmp/g.ldif <<'EOF'\ndn: cn=ops,dc=x\nchangetype: modify\nadd: member\nmember: uid=zoe,dc=x\nEOF\nldapmodify -H ldap://ds.x.example -f /tmp/g.ldif",
    );
    assert_eq!(
        effects,
        json!([grant_named("ldap group cn=ops,dc=x", Some("zoe"))])
    );
    let effects = effects_after(
        &written,
        "ldapmodify -n -H ldaps://ds.x.example -f changes/oncall.ldif",
    );
    assert!(
        !effects.as_array().is_some_and(|e| e.contains(&grant)),
        "{effects}"
    );
}

#[test]
fn samba_net_ipa_and_kadmin_changes_are_grants() {
    access_table(&[
        (
            "samba-tool group addmembers \"Domain Admins\" m.okafor,svc-veeam -H ldap://dc01.x.example -U 'X\\Administrator' --password=\"$AD_PW\"",
            json!([
                grant_named("active directory group Domain Admins", Some("m.okafor")),
                grant_named("active directory group Domain Admins", Some("svc-veeam")),
            ]),
        ),
        (
            "sudo samba-tool user create j.l --random-password --given-name=Johan --surname Lind && sudo samba-tool group removemembers Helpdesk j.l",
            json!([
                grant_named("active directory account j.l", None),
                grant_named("active directory group Helpdesk", Some("j.l")),
            ]),
        ),
        (
            "net rpc group addmem \"Domain Admins\" b.k -S dc01.x.example -U 'X\\adm%'\"$AD_PW\"",
            json!([grant_named(
                "active directory group Domain Admins",
                Some("b.k")
            )]),
        ),
        (
            "net -S dc01 rpc rights grant 'X\\ops' SeBackupPrivilege",
            json!([grant_named("privileges SeBackupPrivilege", Some("X\\ops"))]),
        ),
        (
            "net sam addmem Administrators bob",
            json!([grant_named("local group Administrators", Some("bob"))]),
        ),
        (
            "ipa group-add-member admins --users=d.haddad --users=l.brandt",
            json!([
                grant_named("ipa group admins", Some("d.haddad")),
                grant_named("ipa group admins", Some("l.brandt")),
            ]),
        ),
        (
            "ipa role-add-member 'User Administrator' --users=l.brandt",
            json!([grant_named("ipa role User Administrator", Some("l.brandt"))]),
        ),
        (
            "ipa sudorule-add-user ops-all --groups ops",
            json!([grant_named("ipa sudo rule ops-all", Some("ops"))]),
        ),
        (
            "ipa hbacrule-enable allow_all",
            json!([grant_named("ipa hbac rule allow_all", None)]),
        ),
        (
            "kadmin -p admin/admin -q 'addprinc -randkey host/web01.x.example'",
            json!([grant_named("kerberos principal host/web01.x.example", None)]),
        ),
    ]);
    no_access_changes(&[
        "samba-tool group listmembers \"Domain Admins\" -H ldap://dc01.x.example --use-kerberos=required",
        "samba-tool user show m.okafor -H ldap://dc01.x.example --attributes=memberOf",
        "net rpc group members \"Domain Admins\" -S dc01 -U adm%pw",
        "net use Z: \\\\nas\\share",
        "ipa user-find --in-groups=admins --all --sizelimit=200",
        "ipa group-show admins",
        "ipa hbacrule-find",
        "kadmin -p p/admin -k -t build/p.keytab -q 'getprinc HTTP/wiki01.x.example'",
    ]);
}

#[test]
fn domain_clients_send_their_credentials_to_the_server() {
    run_table(&[
        (
            "samba-tool group listmembers admins -H ldaps://dc.vendor.example -U adm --password=\"$AD_PW\"",
            json!([ldap_request(
                "samba-tool",
                "ldaps://dc.vendor.example",
                "GET",
                payload(&["adm", "$AD_PW"], &[], &["AD_PW"])
            )]),
        ),
        (
            "net rpc user delete old -S dc.vendor.example -U 'adm%secret'",
            json!([
                host_request(
                    "net",
                    host(None, "dc.vendor.example", None, None),
                    "SEND",
                    payload(&["adm%secret"], &[], &[])
                ),
                grant_named("active directory account old", None),
            ]),
        ),
        (
            "kadmin.local -q 'ktadd -k /tmp/web.keytab HTTP/web'",
            json!([write("/tmp/web.keytab")]),
        ),
    ]);
}

#[test]
fn powershell_whatif_previews_without_changing() {
    no_access_changes(&[
        "pwsh -NoProfile -Command \"Add-ADGroupMember -Identity 'Enterprise Admins' -Members 't.nguyen' -Server dc01 -WhatIf\"",
        "pwsh -Command \"Remove-ADGroupMember -Identity Ops -Members bob -WhatIf:\\$true\"",
    ]);
    access_table(&[(
        "pwsh -Command \"Add-ADGroupMember -Identity Ops -Members bob -WhatIf:\\$false\"",
        json!([grant_named("active directory group Ops", Some("bob"))]),
    )]);
    check(
        "pwsh -Command \"Remove-Item -Recurse C:/build -WhatIf\"",
        json!([]),
    );
}

#[test]
fn swaks_reads_options_as_getopt_long_does() {
    run_table(&[
        // `-tls` is `--tls`, not `-t ls`.
        (
            "swaks --to team@x.example --server smtp.x.example -tls --auth LOGIN --auth-password \"$PW\" --header 'Subject: done' --body 'all good'",
            json!([message(
                "swaks",
                &["team@x.example"],
                payload(&["all good", "Subject: done"], &[], &[])
            )]),
        ),
        // Abbreviations, `-opt=value`, `--h-NAME`, and the last `--to`.
        (
            "swaks -to=old@x.example --to new@y.example --h-Subject hi --bod=@notes.txt",
            json!([message(
                "swaks",
                &["new@y.example"],
                payload(&["Subject: hi"], &[(&at("notes.txt"), false)], &[])
            )]),
        ),
        (
            "SWAKS_OPT_to=ops@z.example swaks -tlsc --body hi",
            json!([message(
                "swaks",
                &["ops@z.example"],
                payload(&["hi"], &[], &[])
            )]),
        ),
        // An optional value is not an option word.
        (
            "swaks --to a@x.example --body -tls",
            json!([message("swaks", &["a@x.example"], empty())]),
        ),
    ]);
    for command in [
        "swaks --to a@x.example --dump",
        "swaks --to a@x.example --quit-after rcpt --body hi",
        "swaks --to a@x.example --to --no-to",
    ] {
        check(command, json!([]));
    }
}

#[test]
fn sendmail_payload_leaves_out_the_routing_addresses() {
    run_table(&[
        (
            "/usr/sbin/sendmail -t -oi <<'EOF'\nFrom: me@x.example\nTo: team@x.example\nCc: Tam <tam@vendor.example>, ops@x.example\nSubject: moved\n\nWindow moves to Monday; write to a@b.example.\nEOF",
            json!([message(
                "sendmail",
                &["team@x.example", "tam@vendor.example", "ops@x.example"],
                payload(
                    &[
                        "Cc: Tam <>, \nSubject: moved\n\nWindow moves to Monday; write to a@b.example."
                    ],
                    &[],
                    &[]
                )
            )]),
        ),
        (
            "printf 'Subject: hi\\n\\nTo: a@b.example, c@d.example\\n' | sendmail x@y.example",
            json!([message(
                "sendmail",
                &["x@y.example"],
                payload(&["Subject: hi\n\nTo: a@b.example, c@d.example\n"], &[], &[])
            )]),
        ),
    ]);
}
