//! Object stores other than AWS S3: S3 clients (aws, s5cmd, s3cmd) pointed
//! at another S3-compatible service by its endpoint reach that host, path
//! style, for uploads and downloads (deletes keep the bucket's name); and
//! Backblaze's `b2` tool, in its 3.x and 4.x forms, uploading to, reading,
//! deleting and opening `b2://` buckets.

use crate::common;
use common::*;
use serde_json::{Value, json};

/// An upload of the local file `path` (relative to the working directory).
fn upload(program: &str, url: &str, path: &str, recursive: bool) -> Value {
    url_request(
        program,
        url,
        "UPLOAD",
        payload(&[], &[(&at(path), recursive)], &[]),
    )
}

fn download(program: &str, url: &str) -> Value {
    url_request(program, url, "DOWNLOAD", empty())
}

#[test]
fn an_s3_endpoint_moves_transfers_to_its_host() {
    run_table(&[
        (
            "aws s3 cp data/c.csv s3://inbound/acme/c.csv --endpoint-url https://s3.partner.example --profile partner",
            json!([upload(
                "aws",
                "https://s3.partner.example/inbound/acme/c.csv",
                "data/c.csv",
                false
            )]),
        ),
        // A global option before the service, `=` form, a port and a
        // trailing slash.
        (
            "aws --endpoint-url=https://minio.acme.internal:9000/ s3 sync ./out s3://tiles/z12/",
            json!([upload(
                "aws",
                "https://minio.acme.internal:9000/tiles/z12/",
                "out",
                true
            )]),
        ),
        // The service's own variable, then the general one; the option
        // outranks both.
        (
            "AWS_ENDPOINT_URL_S3=https://acct.r2.cloudflarestorage.com aws s3 cp s3://b/k.csv ./k.csv",
            json!([
                download("aws", "https://acct.r2.cloudflarestorage.com/b/k.csv"),
                write(&at("k.csv")),
            ]),
        ),
        (
            "export AWS_ENDPOINT_URL=https://s3.wasabisys.com; aws s3 cp f.txt s3://b/f.txt",
            json!([upload(
                "aws",
                "https://s3.wasabisys.com/b/f.txt",
                "f.txt",
                false
            )]),
        ),
        (
            "AWS_ENDPOINT_URL=https://a.example aws s3 cp f.txt s3://b/ --endpoint-url https://b.example",
            json!([upload("aws", "https://b.example/b/", "f.txt", false)]),
        ),
        // The API calls behind them.
        (
            "aws s3api put-object --bucket b --key k.csv --body k.csv --endpoint-url https://s3.partner.example",
            json!([upload(
                "aws",
                "https://s3.partner.example/b/k.csv",
                "k.csv",
                false
            )]),
        ),
        (
            "aws s3api get-object --bucket b --key k.csv --range bytes=0-99 out.csv --endpoint-url https://s3.partner.example",
            json!([
                download("aws", "https://s3.partner.example/b/k.csv"),
                write(&at("out.csv")),
            ]),
        ),
        (
            "aws s3api copy-object --copy-source src/k.csv --bucket b --key k.csv --endpoint-url https://s3.partner.example",
            json!([url_request(
                "aws",
                "https://s3.partner.example/b/k.csv",
                "UPLOAD",
                payload(&["s3://src/k.csv"], &[], &[])
            )]),
        ),
        (
            "s5cmd --endpoint-url https://minio.acme.internal --numworkers 32 cp build/t.png s3://staging/t/",
            json!([upload(
                "s5cmd",
                "https://minio.acme.internal/staging/t/",
                "build/t.png",
                true
            )]),
        ),
        (
            "S3_ENDPOINT_URL=https://s3.partner.example s5cmd cat s3://b/notes.txt",
            json!([download("s5cmd", "https://s3.partner.example/b/notes.txt")]),
        ),
        // s3cmd's `--host` is a bare host and port.
        (
            "s3cmd --host=objects.partner.example:8443 put f.txt s3://b/f.txt",
            json!([upload(
                "aws",
                "https://objects.partner.example:8443/b/f.txt",
                "f.txt",
                false
            )]),
        ),
    ]);
}

#[test]
fn without_another_service_a_bucket_is_known_by_its_name() {
    run_table(&[
        (
            "aws s3 cp f.txt s3://b/f.txt",
            json!([upload("aws", "s3://b/f.txt", "f.txt", false)]),
        ),
        // AWS S3's own endpoints: regional, FIPS, VPC.
        (
            "aws s3 cp f.txt s3://b/f.txt --endpoint-url https://s3.eu-west-1.amazonaws.com",
            json!([upload("aws", "s3://b/f.txt", "f.txt", false)]),
        ),
        (
            "aws s3 cp f.txt s3://b/f.txt --endpoint-url https://bucket.vpce-0a1b-2c3d.s3.us-east-1.vpce.amazonaws.com",
            json!([upload("aws", "s3://b/f.txt", "f.txt", false)]),
        ),
        // An emulator on this machine keeps everything here.
        (
            "s5cmd --endpoint-url http://127.0.0.1:9000 cp f.txt s3://b/",
            json!([read_tree(&at("f.txt"))]),
        ),
        (
            "s3cmd --host localhost:9000 put f.txt s3://b/",
            json!([read(&at("f.txt"))]),
        ),
        // Deletes name the bucket: a bucket the organisation lists is its
        // own wherever it is served.
        (
            "aws --endpoint-url https://s3.acme.internal s3 rm s3://backups --recursive --quiet",
            json!([remote_delete("s3://backups", true)]),
        ),
        (
            "aws s3api delete-object --bucket b --key k.csv --endpoint-url https://s3.partner.example",
            json!([remote_delete("s3://b/k.csv", false)]),
        ),
        // Listing and signing reach no object.
        (
            "aws s3 ls s3://b --endpoint-url https://s3.partner.example",
            json!([]),
        ),
        (
            "aws s3 presign s3://b/k.csv --endpoint-url https://s3.partner.example",
            json!([]),
        ),
    ]);
}

#[test]
fn b2_uploads_send_the_local_file_to_the_bucket() {
    run_table(&[
        // 3.x's camelCase options take their values.
        (
            "b2 upload-file --noProgress --contentType text/plain ci-cache coverage/lcov.info ci/4471/lcov.info",
            json!([upload(
                "b2",
                "b2://ci-cache/ci/4471/lcov.info",
                "coverage/lcov.info",
                false
            )]),
        ),
        (
            "b2 upload-file --threads 4 --minPartSize=100000000 --sha1 da39a3ee backups db.dump nightly/db.dump",
            json!([upload(
                "b2",
                "b2://backups/nightly/db.dump",
                "db.dump",
                false
            )]),
        ),
        // 4.x's group and kebab-case; file info is stored with the file.
        (
            "b2 file upload --content-type application/gzip --info src=ci --no-progress rel dist/a.tgz v1/a.tgz",
            json!([url_request(
                "b2",
                "b2://rel/v1/a.tgz",
                "UPLOAD",
                payload(&["src=ci"], &[(&at("dist/a.tgz"), false)], &[])
            )]),
        ),
        (
            "backblaze-b2 upload-file bkt .env app/.env",
            json!([upload("b2", "b2://bkt/app/.env", ".env", false)]),
        ),
        // A folder synced to a bucket is uploaded whole, `--delete` or not.
        (
            "b2 sync --delete --keepDays 30 --excludeRegex '.*\\.tmp' ./public b2://site-assets/public",
            json!([upload("b2", "b2://site-assets/public", "public", true)]),
        ),
        (
            "b2 sync --compare-versions size --threads 8 out b2://bkt/out",
            json!([upload("b2", "b2://bkt/out", "out", true)]),
        ),
        (
            "b2 file server-side-copy b2://a/x.csv b2://b/x.csv",
            json!([url_request(
                "b2",
                "b2://b/x.csv",
                "UPLOAD",
                payload(&["b2://a/x.csv"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn b2_deletes_destroy_the_objects_and_all_public_opens_the_bucket() {
    run_table(&[
        (
            "b2 rm --recursive --versions b2://bkt/logs/",
            json!([remote_delete("b2://bkt/logs/", true)]),
        ),
        (
            "b2 rm -r b2://bkt",
            json!([remote_delete("b2://bkt", true)]),
        ),
        // 3.x: `rm BUCKET [FOLDER]`.
        (
            "b2 rm bkt logs",
            json!([remote_delete("b2://bkt/logs", false)]),
        ),
        (
            "b2 delete-file-version app/.env 4_z27c88f1d182b150646ff0b16_f1004ba650fe24e6b_d20250101",
            json!([remote_delete(
                "b2id://4_z27c88f1d182b150646ff0b16_f1004ba650fe24e6b_d20250101",
                false
            )]),
        ),
        (
            "b2 delete-bucket bkt",
            json!([remote_delete("b2://bkt", true)]),
        ),
        (
            "b2 bucket delete bkt",
            json!([remote_delete("b2://bkt", true)]),
        ),
        (
            "b2 update-bucket bkt allPublic",
            json!([make_public(bucket("b2", "bkt"))]),
        ),
        (
            "b2 bucket update --lifecycle-rules '[]' bkt allPublic",
            json!([make_public(bucket("b2", "bkt"))]),
        ),
        (
            "b2 create-bucket --bucketInfo '{\"a\":\"b\"}' site allPublic",
            json!([make_public(bucket("b2", "site"))]),
        ),
        // Near misses: private buckets, a dry run.
        ("b2 update-bucket bkt allPrivate", json!([])),
        ("b2 bucket create bkt allPrivate", json!([])),
        ("b2 rm --dry-run -r b2://bkt", json!([])),
        ("b2 sync --dryRun ./x b2://bkt/x", json!([])),
    ]);
}

#[test]
fn b2_downloads_read_the_objects_and_listings_do_nothing() {
    run_table(&[
        (
            "b2 download-file-by-name --noProgress bkt a/b.csv ./b.csv",
            json!([download("b2", "b2://bkt/a/b.csv"), write(&at("b.csv"))]),
        ),
        (
            "b2 file download --threads 4 b2://bkt/a.csv a.csv",
            json!([download("b2", "b2://bkt/a.csv"), write(&at("a.csv"))]),
        ),
        (
            "b2 download-file-by-id 4_zabc out.bin",
            json!([download("b2", "b2id://4_zabc"), write(&at("out.bin"))]),
        ),
        (
            "b2 sync b2://bkt/reports ./reports",
            json!([download("b2", "b2://bkt/reports"), write(&at("reports"))]),
        ),
        (
            "b2 cat b2://bkt/a.txt",
            json!([download("b2", "b2://bkt/a.txt")]),
        ),
        ("b2 ls --recursive --long b2://bkt", json!([])),
        ("b2 ls bkt logs", json!([])),
        (
            "b2 get-download-url-with-auth --duration 3600 bkt a.csv",
            json!([]),
        ),
        ("b2 file url --with-auth b2://bkt/a.csv", json!([])),
        ("b2 list-buckets", json!([])),
        ("b2 account authorize", json!([])),
    ]);
}

#[test]
fn b2_streams_standard_input() {
    run_table(&[(
        "cat secrets/db.env | b2 upload-unbound-stream --part-size 5000000 bkt - env/db.env",
        json!([
            read(&at("secrets/db.env")),
            url_request(
                "b2",
                "b2://bkt/env/db.env",
                "UPLOAD",
                payload(&[], &[(&at("secrets/db.env"), false)], &[])
            ),
        ]),
    )]);
}

/// Boost's build tool is also `b2`: its targets and properties are no
/// bucket's.
#[test]
fn boost_builds_are_not_b2_transfers() {
    for command in ["b2 -j4 toolset=gcc variant=release install", "b2 headers"] {
        let effects = effects_after(&[], command);
        let reaches = effects.as_array().into_iter().flatten().any(|e| {
            matches!(
                e.get("effect").and_then(Value::as_str),
                Some("request" | "remote_delete" | "make_public")
            )
        });
        assert!(!reaches, "{command}: {effects}");
    }
}
