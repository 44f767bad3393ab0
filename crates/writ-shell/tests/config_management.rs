//! Configuration management and fleet tools: parallel-ssh's copy tools
//! send local files to each host, `puppet apply` does what its manifest's
//! resources say, `knife ssh` runs its command on the nodes, and `knife
//! acl` changes access on the Chef server.

use serde_json::json;

use crate::common::*;

fn grant(resource: &str, grantee: &str) -> serde_json::Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

#[test]
fn parallel_ssh_copies_send_files_to_each_host() {
    run_table(&[
        (
            "pscp.pssh -H lab.example.net -l root -x '-p 2202' .vault_pass /root/fleet/.vault_pass",
            json!([host_request(
                "pscp",
                host(
                    Some("root"),
                    "lab.example.net",
                    Some(2202),
                    Some("/root/fleet/.vault_pass")
                ),
                "UPLOAD",
                payload(&[], &[(&at(".vault_pass"), false)], &[]),
            )]),
        ),
        (
            "parallel-scp -H 'ops@a.example.net b.example.net:2200' -r conf /etc/app",
            json!([
                host_request(
                    "pscp",
                    host(Some("ops"), "a.example.net", None, Some("/etc/app")),
                    "UPLOAD",
                    payload(&[], &[(&at("conf"), true)], &[]),
                ),
                host_request(
                    "pscp",
                    host(None, "b.example.net", Some(2200), Some("/etc/app")),
                    "UPLOAD",
                    payload(&[], &[(&at("conf"), true)], &[]),
                ),
            ]),
        ),
        (
            "prsync -a -H web1.example.net dist/ /srv/www",
            json!([host_request(
                "prsync",
                host(None, "web1.example.net", None, Some("/srv/www")),
                "UPLOAD",
                payload(&[], &[(&at("dist"), true)], &[]),
            )]),
        ),
        (
            "pslurp -H web1.example.net -L logs /var/log/syslog syslog",
            json!([
                host_request(
                    "pslurp",
                    host(None, "web1.example.net", None, Some("/var/log/syslog")),
                    "DOWNLOAD",
                    empty(),
                ),
                write(&at("logs/web1.example.net/syslog")),
            ]),
        ),
        // Hosts from a file are not known: the file is read.
        (
            "pscp -h hosts.txt app.conf /etc/app.conf",
            json!([read(&at("hosts.txt"))]),
        ),
        // PuTTY's pscp is scp.
        (
            "pscp -P 2222 notes.txt ops@files.example.net:/tmp/",
            json!([host_request(
                "pscp",
                host(Some("ops"), "files.example.net", Some(2222), Some("/tmp/")),
                "UPLOAD",
                payload(&[], &[(&at("notes.txt"), false)], &[]),
            )]),
        ),
    ]);
}

#[test]
fn pnuke_kills_on_each_host() {
    check("pnuke -H web1.example.net java", json!([stop("java")]));
}

#[test]
fn puppet_apply_does_what_its_resources_say() {
    run_table(&[
        (
            "sudo puppet apply --detailed-exitcodes -e \"file { '/home/dana/acme-web/.claude/settings.json': ensure => absent }\"",
            json!([delete(&at(".claude/settings.json"), false)]),
        ),
        (
            "puppet apply -e \"file { '/etc/motd': content => 'hi' }\"",
            json!([write("/etc/motd")]),
        ),
        (
            "puppet apply -e \"file { 'motd': path => '/etc/motd', ensure => file, source => '/home/dana/.ssh/id_rsa' }\"",
            json!([read("/home/dana/.ssh/id_rsa"), write("/etc/motd")]),
        ),
        (
            "puppet apply -e \"exec { 'wipe': command => 'rm -rf /srv/data', path => '/bin' }\"",
            json!([delete("/srv/data", true)]),
        ),
        (
            "puppet apply -e \"package { ['nginx', 'jq']: ensure => installed }\"",
            json!([install("puppet", &["nginx"]), install("puppet", &["jq"])]),
        ),
        (
            "puppet apply -e \"service { 'nginx': ensure => stopped }\"",
            json!([stop("nginx")]),
        ),
        (
            "puppet resource file /etc/motd ensure=absent",
            json!([delete("/etc/motd", false)]),
        ),
        // Near misses: a dry run, a read of a resource, a class body.
        (
            "puppet apply --noop -e \"file { '/etc/motd': ensure => absent }\"",
            json!([]),
        ),
        ("puppet resource file /etc/motd", json!([])),
        ("puppet agent -t --noop", json!([])),
    ]);
}

#[test]
fn puppet_apply_reads_a_manifest_written_earlier() {
    let written = [text_file(
        &at("site.pp"),
        "node default {\n  file { '/home/dana/acme-web/.claude/settings.json':\n    ensure => absent,\n  }\n}\n",
    )];
    assert_eq!(
        effects_after(&written, "puppet apply site.pp"),
        json!([
            read(&at("site.pp")),
            delete(&at(".claude/settings.json"), false)
        ])
    );
}

#[test]
fn knife_ssh_runs_its_command_on_the_nodes() {
    run_table(&[
        (
            "knife ssh 'name:dbadm01*' \"mysql -h db.prd.example.net -u ops -e 'UPDATE t SET a=1 WHERE id=2;'\" -x ravi",
            json!([sql(
                "mysql",
                Some("db.prd.example.net"),
                None,
                Some("UPDATE t SET a=1 WHERE id=2;"),
                &[],
            )]),
        ),
        (
            "knife ssh -m 'web1.example.net' 'uptime' -x ops",
            json!([host_request(
                "knife",
                host(Some("ops"), "web1.example.net", None, None),
                "EXEC",
                payload(&["uptime"], &[], &[]),
            )]),
        ),
        ("knife ssh 'role:web' interactive", json!([])),
    ]);
}

#[test]
fn knife_acl_and_groups_change_access() {
    run_table(&[
        (
            "knife acl add user jo-contractor nodes web01.example.net read,update",
            json!([grant("chef nodes/web01.example.net", "jo-contractor")]),
        ),
        (
            "knife acl bulk add group contractors nodes 'web.*' read -y",
            json!([grant("chef nodes/web.*", "contractors")]),
        ),
        (
            "knife group add user jo admins",
            json!([grant("chef groups/admins", "jo")]),
        ),
        (
            "knife org user add acme jo --admin",
            json!([grant("chef organization acme", "jo")]),
        ),
        // Reads change nothing.
        ("knife acl show nodes web01", json!([])),
        ("knife node list", json!([])),
        (
            "knife data bag show creds db --secret-file ~/.chef/secret",
            json!([read("/home/dana/.chef/secret")]),
        ),
    ]);
}
