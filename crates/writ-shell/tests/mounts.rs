//! Network file systems mounted here are noted as remotes of their mount
//! point (`mount:`), leading to the server's directory; unmounting notes
//! the directory as local again. Mounting sends nothing by itself. Run
//! in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

fn mounted(dir: &str, url: &str) -> Value {
    json!({"effect": "git_remote", "repo_dir": dir, "name": "mount:", "url": url})
}

#[test]
fn mounts_note_the_server_directory_at_their_mount_point() {
    run_table(&[
        (
            "sshfs -o reconnect,idmap=user dana@nas.example.net:/volume1/backup /tmp/nas",
            json!([mounted(
                "/tmp/nas",
                "sftp://dana@nas.example.net/volume1/backup"
            )]),
        ),
        // The port, from `-p` or `-o port=`; the login's home when no
        // directory is named; a relative mount point.
        (
            "sshfs -p 2222 box.example.net: mnt",
            json!([mounted(&at("mnt"), "sftp://box.example.net:2222/")]),
        ),
        (
            "sshfs box.example.net:srv /tmp/b -o port=2200",
            json!([mounted("/tmp/b", "sftp://box.example.net:2200/srv")]),
        ),
        (
            "mount -t nfs4 files.example.net:/exports/team /mnt/team",
            json!([mounted("/mnt/team", "nfs://files.example.net/exports/team")]),
        ),
        (
            "mount.nfs 10.0.0.5:/data /mnt/d",
            json!([mounted("/mnt/d", "nfs://10.0.0.5/data")]),
        ),
        // An SMB share: the login goes to the host, and the share is mounted.
        (
            "mount -t cifs //fs.example.net/team /mnt/t -o username=dana",
            json!([
                mounted("/mnt/t", "smb://fs.example.net/team"),
                host_request(
                    "mount",
                    host(None, "fs.example.net", None, Some("/team")),
                    "CONNECT",
                    empty()
                ),
            ]),
        ),
        // Buckets: the prefix after `:` (s3fs, goofys) or `--prefix`,
        // `--only-dir`; options before.
        (
            "s3fs drop-bucket:/in /mnt/s3 -o passwd_file=/home/dana/.passwd-s3fs",
            json!([mounted("/mnt/s3", "s3://drop-bucket/in/")]),
        ),
        (
            "mount-s3 --prefix logs/ --region eu-west-1 team-bucket /mnt/logs",
            json!([mounted("/mnt/logs", "s3://team-bucket/logs/")]),
        ),
        (
            "gcsfuse --implicit-dirs --only-dir exports team-gcs /mnt/g",
            json!([mounted("/mnt/g", "gs://team-gcs/exports/")]),
        ),
        (
            "goofys team-bucket /mnt/b",
            json!([mounted("/mnt/b", "s3://team-bucket/")]),
        ),
        // rclone: a remote of the configuration is noted by its name, for
        // the session to resolve; one the line describes, where it leads.
        (
            "rclone mount gdrive:backup /mnt/gd --daemon",
            json!([mounted("/mnt/gd", "rclone:gdrive:backup")]),
        ),
        (
            "rclone mount :sftp,host=box.example.net,user=dana:/in /mnt/box",
            json!([mounted("/mnt/box", "sftp://dana@box.example.net/in")]),
        ),
        (
            "rclone mount s3:team-bucket/logs /mnt/logs",
            json!([mounted("/mnt/logs", "s3://team-bucket/logs")]),
        ),
    ]);
}

#[test]
fn unmounting_makes_the_directory_local_again() {
    run_table(&[
        ("fusermount -u /tmp/nas", json!([mounted("/tmp/nas", "")])),
        ("fusermount3 -uz /tmp/nas", json!([mounted("/tmp/nas", "")])),
        ("umount -l /mnt/team", json!([mounted("/mnt/team", "")])),
        // A device, a share, or fusermount without -u: no mount point.
        ("umount /dev/sdb1", json!([])),
        ("fusermount -V", json!([])),
    ]);
}
