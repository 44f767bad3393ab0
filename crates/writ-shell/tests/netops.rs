//! Network-operations clients that reach a host: TFTP, SNMP, NETCONF,
//! nsupdate, BMC CLIs, remote syslog, expect, ansible ad-hoc and ACME/CA
//! clients.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

fn to(program: &str, name: &str, port: Option<u16>, method: &str, sent: Value) -> Value {
    host_request(program, host(None, name, port, None), method, sent)
}

fn text(words: &[&str]) -> Value {
    payload(words, &[], &[])
}

fn deploy(program: &str, environment: &str) -> Value {
    json!({"effect": "deploy", "program": program, "environment": environment, "service": null, "production": false})
}

#[test]
fn tftp_transfers() {
    run_table(&[
        (
            "tftp 198.51.100.77 -m binary -c put backups/r1.cfg r1.cfg",
            json!([to(
                "tftp",
                "198.51.100.77",
                None,
                "UPLOAD",
                payload(&[], &[(&at("backups/r1.cfg"), false)], &[])
            )]),
        ),
        (
            // tftp-hpa's -v is verbose, a flag: the host is the word after -m's mode.
            "tftp -v -m binary tftp01.example.net -c put backups/r1.cfg r1.cfg",
            json!([to(
                "tftp",
                "tftp01.example.net",
                None,
                "UPLOAD",
                payload(&[], &[(&at("backups/r1.cfg"), false)], &[])
            )]),
        ),
        (
            "tftp -p -l backups/r1.cfg -r r1.cfg 198.51.100.77 69",
            json!([to(
                "tftp",
                "198.51.100.77",
                Some(69),
                "UPLOAD",
                payload(&[], &[(&at("backups/r1.cfg"), false)], &[])
            )]),
        ),
        (
            "atftp --put --local-file a.cfg --remote-file b.cfg tftp.example.net",
            json!([to(
                "atftp",
                "tftp.example.net",
                None,
                "UPLOAD",
                payload(&[], &[(&at("a.cfg"), false)], &[])
            )]),
        ),
        (
            "tftp 10.1.1.1 -c get configs/r1.cfg",
            json!([
                to("tftp", "10.1.1.1", None, "DOWNLOAD", empty()),
                write(&at("r1.cfg"))
            ]),
        ),
        (
            "tftp -g -l out.bin -r fw.bin 10.1.1.1",
            json!([
                to("tftp", "10.1.1.1", None, "DOWNLOAD", empty()),
                write(&at("out.bin"))
            ]),
        ),
        (
            "tftp 10.1.1.1 <<'EOF'\nbinary\nput a.cfg\nquit\nEOF",
            json!([to(
                "tftp",
                "10.1.1.1",
                None,
                "UPLOAD",
                payload(&["binary\nput a.cfg\nquit"], &[(&at("a.cfg"), false)], &[])
            )]),
        ),
        // No command: nothing moves.
        ("tftp 10.1.1.1", json!([])),
    ]);
}

#[test]
fn snmp_requests() {
    run_table(&[
        (
            "snmpset -v2c -c \"$SNMP_RW\" cpe.example.net SNMPv2-MIB::sysContact.0 s noc@x.net",
            json!([to(
                "snmpset",
                "cpe.example.net",
                None,
                "SEND",
                payload(
                    &["$SNMP_RW", "SNMPv2-MIB::sysContact.0", "s", "noc@x.net"],
                    &[],
                    &["SNMP_RW"]
                )
            )]),
        ),
        (
            "snmpget -v2c -c public udp:192.0.2.1:161 sysDescr.0",
            json!([to(
                "snmpget",
                "192.0.2.1",
                Some(161),
                "GET",
                text(&["public"])
            )]),
        ),
        (
            "snmpwalk -v3 -l authPriv -u ops -a SHA -A \"$AUTH\" -x AES -X \"$PRIV\" tcp:[2001:db8::1]:1161 system",
            json!([to(
                "snmpwalk",
                "2001:db8::1",
                Some(1161),
                "GET",
                payload(&["ops", "$AUTH", "$PRIV"], &[], &["AUTH", "PRIV"])
            )]),
        ),
        ("snmpget -v2c", json!([])),
    ]);
}

#[test]
fn netconf_console() {
    run_table(&[
        (
            "netconf-console2 --host=pe1.example.no --port=830 -u netops --edit-config=netconf/x.xml",
            json!([to(
                "netconf-console2",
                "pe1.example.no",
                Some(830),
                "SEND",
                payload(&[], &[(&at("netconf/x.xml"), false)], &[])
            )]),
        ),
        (
            "netconf-console --host pe1.example.no -p \"$NC_PASS\" --get-config -x /interfaces",
            json!([to(
                "netconf-console",
                "pe1.example.no",
                None,
                "GET",
                payload(&["$NC_PASS"], &[], &["NC_PASS"])
            )]),
        ),
        (
            "netconf-console2 --rpc rpcs/reboot.xml",
            json!([to(
                "netconf-console2",
                "localhost",
                None,
                "SEND",
                payload(&[], &[(&at("rpcs/reboot.xml"), false)], &[])
            )]),
        ),
    ]);
}

#[test]
fn nsupdate_server() {
    run_table(&[
        (
            "nsupdate -k tsig/k.key <<'EOF'\nserver ns2.dnshost.example 5353\nzone z.example\nupdate add a.z.example 300 A 192.0.2.1\nsend\nEOF",
            json!([to(
                "nsupdate",
                "ns2.dnshost.example",
                Some(5353),
                "SEND",
                text(&[
                    "update add a.z.example 300 A 192.0.2.1",
                    "server ns2.dnshost.example 5353\nzone z.example\nupdate add a.z.example 300 A 192.0.2.1\nsend"
                ])
            )]),
        ),
        // Without a server line: the zone's primary.
        (
            "printf 'zone z.example\\nupdate delete a.z.example A\\nsend\\n' | nsupdate",
            json!([to(
                "nsupdate",
                "z.example",
                None,
                "SEND",
                text(&[
                    "update delete a.z.example A",
                    "zone z.example\nupdate delete a.z.example A\nsend\n"
                ])
            )]),
        ),
        // Local mode and reads of the key: no network, no key sent.
        ("nsupdate -l <<<'update add a.z 60 A 192.0.2.1'", json!([])),
        // A file of commands cannot be seen into.
        (
            "nsupdate -k k.key changes.txt",
            json!([read(&at("changes.txt"))]),
        ),
    ]);
}

#[test]
fn bmc_clients() {
    run_table(&[
        (
            "ipmitool -I lanplus -H 203.0.113.60 -U admin -P calvin chassis power off",
            json!([to(
                "ipmitool",
                "203.0.113.60",
                None,
                "SEND",
                text(&["calvin", "chassis", "power", "off"])
            )]),
        ),
        (
            "ipmitool -I lanplus -H bmc1 -U admin -E bmc reset cold",
            json!([to(
                "ipmitool",
                "bmc1",
                None,
                "SEND",
                payload(&["bmc", "reset", "cold"], &[], &["IPMI_PASSWORD"])
            )]),
        ),
        (
            "ipmitool -I lanplus -H bmc1 -U admin -P pw chassis status",
            json!([to("ipmitool", "bmc1", None, "GET", text(&["pw"]))]),
        ),
        (
            "ipmitool -H bmc1 -P pw sdr list",
            json!([to("ipmitool", "bmc1", None, "GET", text(&["pw"]))]),
        ),
        // The local BMC.
        ("ipmitool chassis power cycle", json!([])),
        (
            "racadm -r idrac1.example.net -u root -p pw serveraction powerdown",
            json!([to(
                "racadm",
                "idrac1.example.net",
                None,
                "SEND",
                text(&["pw", "serveraction", "powerdown"])
            )]),
        ),
        (
            "racadm -r idrac1.example.net -u root -p pw getsysinfo",
            json!([to(
                "racadm",
                "idrac1.example.net",
                None,
                "GET",
                text(&["pw"])
            )]),
        ),
        (
            "redfishtool -r 10.0.0.9 -u root -p pw Systems reset GracefulRestart",
            json!([to(
                "redfishtool",
                "10.0.0.9",
                None,
                "SEND",
                text(&["pw", "Systems", "reset", "GracefulRestart"])
            )]),
        ),
    ]);
}

#[test]
fn remote_syslog() {
    run_table(&[
        (
            "logger -n 203.0.113.80 -P 514 -T 'change applied'",
            json!([to(
                "logger",
                "203.0.113.80",
                Some(514),
                "SEND",
                text(&["change applied"])
            )]),
        ),
        (
            "logger --server logs.example.net -f vpn/wg0.conf",
            json!([to(
                "logger",
                "logs.example.net",
                None,
                "SEND",
                payload(&[], &[(&at("vpn/wg0.conf"), false)], &[])
            )]),
        ),
        // Logged on this machine.
        ("logger -t app started", json!([])),
        ("logger -f notes.txt", json!([read(&at("notes.txt"))])),
    ]);
}

#[test]
fn expect_spawns() {
    run_table(&[
        (
            "expect -c 'spawn telnet 203.0.113.9; expect \"Password:\"; send \"cisco\\r\"; send \"conf t\\r\"; interact'",
            json!([to(
                "telnet",
                "203.0.113.9",
                None,
                "SEND",
                text(&["cisco", "conf t"])
            )]),
        ),
        (
            "expect -c 'spawn ssh admin@r1.example.net\nexpect assword:\nsend \"$env(RTR_PASS)\\r\"'",
            json!([host_request(
                "ssh",
                host(Some("admin"), "r1.example.net", None, None),
                "EXEC",
                payload(&["$env(RTR_PASS)"], &[], &["RTR_PASS"])
            )]),
        ),
        ("expect login.exp r1", json!([read(&at("login.exp"))])),
    ]);
}

#[test]
fn ansible_ad_hoc() {
    run_table(&[
        (
            "ansible all -i 'cpe-1.example.no,' -m cisco.ios.ios_config -a \"lines='shutdown'\"",
            json!([to(
                "ansible",
                "cpe-1.example.no",
                None,
                "SEND",
                text(&["lines='shutdown'"])
            )]),
        ),
        (
            "ansible r1.example.no,r2.example.no -i 'r1.example.no,r2.example.no,r3.example.no' -m ping",
            json!([
                to("ansible", "r1.example.no", None, "GET", empty()),
                to("ansible", "r2.example.no", None, "GET", empty())
            ]),
        ),
        (
            "ansible all -i 'h1.example.net,' -m copy -a 'src=backups/r1.cfg dest=/tmp/r1.cfg'",
            json!([to(
                "ansible",
                "h1.example.net",
                None,
                "SEND",
                payload(
                    &["src=backups/r1.cfg dest=/tmp/r1.cfg"],
                    &[(&at("backups/r1.cfg"), true)],
                    &[]
                )
            )]),
        ),
        (
            "ansible localhost -m ansible.builtin.uri -a 'url=https://api.example.io/v1/x method=POST body_format=json body={\"title\":\"done\"}'",
            json!([url_request(
                "ansible",
                "https://api.example.io/v1/x",
                "POST",
                text(&["{\"title\":\"done\"}"])
            )]),
        ),
        (
            "ansible localhost -m uri -a 'url=https://api.example.io/health'",
            json!([url_request(
                "ansible",
                "https://api.example.io/health",
                "GET",
                empty()
            )]),
        ),
        // Check mode changes nothing.
        (
            "ansible all -i 'h1,' -m service -a 'name=x state=stopped' --check",
            json!([]),
        ),
        // A file inventory: the environments it names, as ansible-playbook's.
        (
            "ansible web -i inventories/prod/hosts -m service -a 'name=nginx state=restarted'",
            json!([
                deploy("ansible", "inventories"),
                deploy("ansible", "prod"),
                deploy("ansible", "hosts"),
                deploy("ansible", "web")
            ]),
        ),
    ]);
}

#[test]
fn acme_and_ca_clients() {
    run_table(&[
        (
            "certbot revoke --cert-path /etc/letsencrypt/live/v/cert.pem --server https://acme-v02.api.letsencrypt.org/directory",
            json!([url_request(
                "certbot",
                "https://acme-v02.api.letsencrypt.org/directory",
                "POST",
                payload(&[], &[("/etc/letsencrypt/live/v/cert.pem", false)], &[])
            )]),
        ),
        (
            "certbot certonly --standalone -d vpn.example.net",
            json!([url_request(
                "certbot",
                "https://acme-v02.api.letsencrypt.org/directory",
                "POST",
                text(&["vpn.example.net"])
            )]),
        ),
        (
            "certbot renew --dry-run",
            json!([url_request(
                "certbot",
                "https://acme-staging-v02.api.letsencrypt.org/directory",
                "GET",
                empty()
            )]),
        ),
        ("certbot certificates", json!([])),
        (
            "acme.sh --issue --dns dns_nsupdate -d vpn.example.net --server letsencrypt",
            json!([url_request(
                "acme.sh",
                "https://acme-v02.api.letsencrypt.org/directory",
                "POST",
                text(&["vpn.example.net"])
            )]),
        ),
        (
            "acme.sh --issue -d vpn.example.net -w /var/www",
            json!([url_request(
                "acme.sh",
                "https://acme.zerossl.com/v2/DV90",
                "POST",
                text(&["vpn.example.net"])
            )]),
        ),
        ("acme.sh --list", json!([])),
        (
            "step ca certificate vpn.example.net certs/vpn.crt certs/vpn.key --ca-url https://ca.example.com --root certs/root.crt",
            json!([
                write(&at("certs/vpn.crt")),
                write(&at("certs/vpn.key")),
                url_request(
                    "step",
                    "https://ca.example.com",
                    "POST",
                    text(&["vpn.example.net"])
                )
            ]),
        ),
        (
            "step ca revoke 1234 --ca-url https://ca.example.com",
            json!([url_request(
                "step",
                "https://ca.example.com",
                "POST",
                text(&["1234"])
            )]),
        ),
        (
            "step ca health --ca-url https://ca.example.com --root certs/root.crt",
            json!([url_request(
                "step",
                "https://ca.example.com",
                "GET",
                empty()
            )]),
        ),
        // Issued offline: no CA is reached.
        (
            "step ca certificate x certs/x.crt certs/x.key --offline",
            json!([write(&at("certs/x.crt")), write(&at("certs/x.key"))]),
        ),
    ]);
}
