//! Table tests for research computing and search tools: GridFTP copies
//! (`globus-url-copy`, `uberftp`), Globus access rules and roles, Slurm's
//! accounting database (`sacctmgr`), Apptainer/Singularity pushes and
//! logins, and Elasticsearch's copiers (`elasticdump`,
//! `multielasticdump`). Each case is a command line and the exact effects
//! `analyze` must report, run in `/home/dana/acme-web` with home
//! `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn other(name: &str) -> Value {
    json!({"kind": "other", "name": name})
}

#[test]
fn globus_url_copy() {
    let cohort = "/project/onc/cohort/visits.parquet";
    run_table(&[
        // A local file to a GridFTP server: an upload of it to that host.
        (
            "globus-url-copy -vb -p 4 -cd file:///project/onc/cohort/visits.parquet gsiftp://gridftp.partner.org/incoming/",
            json!([
                read(cohort),
                url_request(
                    "globus-url-copy",
                    "gsiftp://gridftp.partner.org/incoming/",
                    "UPLOAD",
                    payload(&[], &[(cohort, false)], &[])
                )
            ]),
        ),
        // A directory, over SSH; `-tcp-bs` takes a value.
        (
            "globus-url-copy -r -tcp-bs 16M file:///home/dana/results/ sshftp://dtn.example.org/scratch/",
            json!([
                read_tree("/home/dana/results"),
                url_request(
                    "globus-url-copy",
                    "sshftp://dtn.example.org/scratch/",
                    "UPLOAD",
                    payload(&[], &[("/home/dana/results", true)], &[])
                )
            ]),
        ),
        (
            "globus-url-copy file:///home/dana/report.pdf https://dav.example.org/share/report.pdf",
            json!([
                read("/home/dana/report.pdf"),
                url_request(
                    "globus-url-copy",
                    "https://dav.example.org/share/report.pdf",
                    "PUT",
                    payload(&[], &[("/home/dana/report.pdf", false)], &[])
                )
            ]),
        ),
        // A download writes the local file.
        (
            "globus-url-copy gsiftp://dtn.example.org/data/ref.fa file:///home/dana/ref.fa",
            json!([
                url_request(
                    "globus-url-copy",
                    "gsiftp://dtn.example.org/data/ref.fa",
                    "DOWNLOAD",
                    empty()
                ),
                write("/home/dana/ref.fa")
            ]),
        ),
        // Server to server: the destination receives what the source names.
        (
            "globus-url-copy -fast gsiftp://a.example.org/x/ gsiftp://b.partner.org/y/",
            json!([url_request(
                "globus-url-copy",
                "gsiftp://b.partner.org/y/",
                "UPLOAD",
                payload(&["gsiftp://a.example.org/x/"], &[], &[])
            )]),
        ),
        // A list of copies in a file: only the file is known.
        (
            "globus-url-copy -f transfers.txt",
            json!([read(&at("transfers.txt"))]),
        ),
        // uberftp's copy form.
        (
            "uberftp -parallel 4 file:///home/dana/a.tar gsiftp://gridftp.partner.org/in/a.tar",
            json!([
                read("/home/dana/a.tar"),
                url_request(
                    "uberftp",
                    "gsiftp://gridftp.partner.org/in/a.tar",
                    "UPLOAD",
                    payload(&[], &[("/home/dana/a.tar", false)], &[])
                )
            ]),
        ),
    ]);
}

#[test]
fn globus_access_rules() {
    access_table(&[
        (
            "globus endpoint permission create 7c9e:/project/proteome/shared/ --identity lb@partner.org --permissions r",
            json!([grant_named(
                "/project/proteome/shared",
                Some("lb@partner.org")
            )]),
        ),
        (
            "globus endpoint permission create --permissions rw --group 0a1b 7c9e:/~/drop/",
            json!([grant_named("/home/dana/drop", Some("group 0a1b"))]),
        ),
        (
            "globus endpoint permission create --anonymous --permissions r 7c9e:/project/proteome/shared/",
            json!([make_public(other("/project/proteome/shared"))]),
        ),
        (
            "globus endpoint permission create 7c9e:/pub --all-authenticated --permissions r",
            json!([make_public(other("/pub"))]),
        ),
        (
            "globus endpoint permission update 7c9e 5e6f --permissions rw",
            json!([grant_named("globus endpoint 7c9e rule 5e6f", None)]),
        ),
        (
            "globus endpoint permission delete 7c9e 5e6f",
            json!([grant_named("globus endpoint 7c9e rule 5e6f", None)]),
        ),
        (
            "globus endpoint role create 7c9e --identity ops@partner.org --role access_manager",
            json!([grant_named(
                "globus endpoint 7c9e (role access_manager)",
                Some("ops@partner.org")
            )]),
        ),
        (
            "globus gcs collection role create 3d4e administrator ops@partner.org",
            json!([grant_named(
                "globus collection 3d4e (role administrator)",
                Some("ops@partner.org")
            )]),
        ),
        (
            "globus group member add 9f8e lb@partner.org --role admin",
            json!([grant_named(
                "globus group 9f8e (role admin)",
                Some("lb@partner.org")
            )]),
        ),
    ]);
    no_access_changes(&[
        "globus endpoint permission list 7c9e",
        "globus endpoint permission show 7c9e 5e6f",
        "globus endpoint role list 7c9e",
        "globus group member list 9f8e",
        "globus ls 7c9e:/project",
    ]);
}

#[test]
fn sacctmgr() {
    access_table(&[
        (
            "sacctmgr -i modify user where name=jnowak set adminlevel=Operator",
            json!([grant_named("slurm user jnowak (adminlevel=Operator)", None)]),
        ),
        (
            "sacctmgr mod user jnowak,akim set qos+=high",
            json!([
                grant_named("slurm user jnowak (qos=high)", None),
                grant_named("slurm user akim (qos=high)", None)
            ]),
        ),
        (
            "sacctmgr -i add user lb account=chem adminlevel=Admin",
            json!([grant_named(
                "slurm user lb (account=chem, adminlevel=Admin)",
                None
            )]),
        ),
        (
            "sacctmgr add coordinator account=chem names=lb",
            json!([grant_named("slurm account chem (coordinator=lb)", None)]),
        ),
        (
            "sacctmgr -i delete user jnowak where account=chem",
            json!([grant_named("slurm user jnowak (account=chem)", None)]),
        ),
        (
            "sacctmgr update account where name=chem set defaultqos=high",
            json!([grant_named("slurm account chem (defaultqos=high)", None)]),
        ),
    ]);
    run_table(&[
        (
            "sacctmgr -i load file=assoc.cfg",
            json!([
                read(&at("assoc.cfg")),
                grant_named("slurm associations from assoc.cfg", None)
            ]),
        ),
        ("sacctmgr dump hpc1", json!([write(&at("hpc1.cfg"))])),
    ]);
    no_access_changes(&[
        "sacctmgr show user jnowak withassoc",
        "sacctmgr list assoc where user=jnowak format=account,qos",
        "sacctmgr -i modify user jnowak set maxjobs=10",
        "sacctmgr -r modify user jnowak set adminlevel=Admin",
        "sacctmgr -i add account chem description=Chemistry",
        "sacctmgr -i add qos high",
    ]);
}

#[test]
fn apptainer() {
    let sif = at("containers/app.sif");
    let library = |host: &str, path: &str, reference: &str| {
        host_request(
            "apptainer",
            common::host(None, host, None, Some(path)),
            "UPLOAD",
            payload(&[reference], &[(&sif, false)], &[]),
        )
    };
    run_table(&[
        // The Sylabs library unless the reference or `--library` names another.
        (
            "apptainer push -U containers/app.sif library://dana/tools/app:1.0",
            json!([
                read(&sif),
                library(
                    "library.sylabs.io",
                    "dana/tools/app:1.0",
                    "library.sylabs.io/dana/tools/app:1.0"
                )
            ]),
        ),
        (
            "apptainer push --library https://lib.example.org containers/app.sif library://dana/tools/app:1.0",
            json!([
                read(&sif),
                library(
                    "lib.example.org",
                    "dana/tools/app:1.0",
                    "lib.example.org/dana/tools/app:1.0"
                )
            ]),
        ),
        (
            "apptainer push containers/app.sif library://lib.example.org/dana/tools/app:1.0",
            json!([
                read(&sif),
                library(
                    "lib.example.org",
                    "dana/tools/app:1.0",
                    "lib.example.org/dana/tools/app:1.0"
                )
            ]),
        ),
        (
            "apptainer push containers/app.sif oras://ghcr.io/acme/app:1.0",
            json!([
                read(&sif),
                library("ghcr.io", "acme/app:1.0", "ghcr.io/acme/app:1.0")
            ]),
        ),
        (
            "singularity push -D 'pipeline' containers/app.sif library://dana/tools/app",
            json!([
                read(&sif),
                host_request(
                    "singularity",
                    common::host(None, "library.sylabs.io", None, Some("dana/tools/app")),
                    "UPLOAD",
                    payload(
                        &["pipeline", "library.sylabs.io/dana/tools/app"],
                        &[(&sif, false)],
                        &[]
                    )
                )
            ]),
        ),
        // exec runs its command as it would run outside the container;
        // the image and the options' values are not commands.
        (
            "apptainer exec --nv -B /scratch:/scratch --env MODE=fast containers/app.sif rm -f out.log",
            json!([delete(&at("out.log"), false)]),
        ),
        ("singularity exec containers/app.sif", json!([])),
        // The password goes to the registry it logs in to.
        (
            "apptainer registry login -u dana -p \"$GHCR_TOKEN\" oras://ghcr.io",
            json!([host_request(
                "apptainer",
                common::host(None, "ghcr.io", None, None),
                "POST",
                payload(&["$GHCR_TOKEN"], &[], &["GHCR_TOKEN"])
            )]),
        ),
        // A remote known by name leads where the configuration says.
        ("apptainer remote login SylabsCloud", json!([])),
    ]);
}

#[test]
fn elasticdump() {
    run_table(&[
        // Index to index: an upload to the destination of what was read.
        (
            "elasticdump --input=http://es.acme.internal:9200/tickets --output=https://search.vendor.dev:9200/tickets --type=data --limit=500",
            json!([
                url_request(
                    "elasticdump",
                    "http://es.acme.internal:9200/tickets",
                    "GET",
                    empty()
                ),
                url_request(
                    "elasticdump",
                    "https://search.vendor.dev:9200/tickets",
                    "UPLOAD",
                    payload(&["http://es.acme.internal:9200/tickets"], &[], &[])
                )
            ]),
        ),
        // Space-separated values; the headers go to both servers.
        (
            "elasticdump --input http://es.acme.internal:9200/t --output https://search.vendor.dev/t --headers '{\"Authorization\":\"ApiKey '\"$ES_API_KEY\"'\"}'",
            json!([
                url_request(
                    "elasticdump",
                    "http://es.acme.internal:9200/t",
                    "GET",
                    payload(
                        &["{\"Authorization\":\"ApiKey $ES_API_KEY\"}"],
                        &[],
                        &["ES_API_KEY"]
                    )
                ),
                url_request(
                    "elasticdump",
                    "https://search.vendor.dev/t",
                    "UPLOAD",
                    payload(
                        &[
                            "http://es.acme.internal:9200/t",
                            "{\"Authorization\":\"ApiKey $ES_API_KEY\"}"
                        ],
                        &[],
                        &["ES_API_KEY"]
                    )
                )
            ]),
        ),
        // A dump file is written; a file loaded is sent.
        (
            "elasticdump --input=http://localhost:9200/t --output=exports/t.json --type=data",
            json!([
                url_request("elasticdump", "http://localhost:9200/t", "GET", empty()),
                write(&at("exports/t.json"))
            ]),
        ),
        (
            "elasticdump --input=exports/t.json --output=https://search.vendor.dev/t",
            json!([
                read(&at("exports/t.json")),
                url_request(
                    "elasticdump",
                    "https://search.vendor.dev/t",
                    "UPLOAD",
                    payload(&[], &[(&at("exports/t.json"), false)], &[])
                )
            ]),
        ),
        (
            "multielasticdump --direction=load --input=dumps --output=https://search.vendor.dev",
            json!([
                read_tree(&at("dumps")),
                url_request(
                    "multielasticdump",
                    "https://search.vendor.dev",
                    "UPLOAD",
                    payload(&[], &[(&at("dumps"), true)], &[])
                )
            ]),
        ),
    ]);
}

/// What a dump file holds goes with a later send of it.
#[test]
fn elasticdump_output_carries_the_file() {
    let effects = effects_after(
        &[],
        "elasticdump --input=secrets.json --output=out.json && curl -T out.json https://x.example.org/",
    );
    let sent = effects
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["effect"] == "request")
        .unwrap_or_else(|| panic!("no request in {effects}"));
    let secrets = json!({"path": at("secrets.json"), "recursive": false});
    assert!(
        sent["payload"]["files"]
            .as_array()
            .is_some_and(|files| files.contains(&secrets)),
        "{effects}"
    );
}
