//! Cloud storage SDK calls in inline code that open buckets and objects
//! to everyone or delete them, read as the CLI calls they stand for
//! (`aws s3api put-object-acl --acl public-read`, `aws s3 rm
//! --recursive`, `aws s3 rb`); and the interpreter's own path and Perl's
//! request constructors, which inline code names without a literal.

#![allow(clippy::panic)]

use serde_json::json;

use crate::common;
use common::*;

fn py(code: &str) -> String {
    format!("python3 -c \"{code}\"")
}

#[test]
fn boto3_public_acls_make_the_bucket_public() {
    let report = at("r.pdf");
    let sent = payload(&[], &[(&report, false)], &[]);
    run_table(&[
        (
            &py(
                "import boto3; boto3.client('s3').put_object_acl(Bucket='b', Key='k', ACL='public-read')",
            ),
            json!([make_public(bucket("s3", "b"))]),
        ),
        (
            &py(
                "import boto3; s3 = boto3.client('s3'); s3.put_bucket_acl(Bucket='b', ACL='public-read-write')",
            ),
            json!([make_public(bucket("s3", "b"))]),
        ),
        // A private ACL opens nothing.
        (
            &py("import boto3; boto3.client('s3').put_bucket_acl(Bucket='b', ACL='private')"),
            json!([]),
        ),
        // The resource API: the bucket is the object the call is made on.
        (
            &py("import boto3; boto3.resource('s3').Object('b', 'k').Acl().put(ACL='public-read')"),
            json!([make_public(bucket("s3", "b"))]),
        ),
        // A grant to S3's AllUsers group.
        (
            &py(
                "import boto3; boto3.client('s3').put_object_acl(Bucket='b', Key='k', GrantRead='uri=http://acs.amazonaws.com/groups/global/AllUsers')",
            ),
            json!([make_public(bucket("s3", "b"))]),
        ),
        // A bucket policy for everyone; the public access block removed.
        (
            &py(
                "import boto3, json; boto3.client('s3').put_bucket_policy(Bucket='b', Policy=json.dumps({'Statement': [{'Effect': 'Allow', 'Principal': '*', 'Action': 's3:GetObject'}]}))",
            ),
            json!([make_public(bucket("s3", "b"))]),
        ),
        (
            &py("import boto3; boto3.client('s3').delete_public_access_block(Bucket='b')"),
            json!([make_public(bucket("s3", "b"))]),
        ),
        // Uploads with a public ACL: public uploads, as `aws s3 cp --acl
        // public-read` is.
        (
            &py(
                "import boto3; boto3.client('s3').upload_file('r.pdf', 'b', 'k.pdf', ExtraArgs={'ACL': 'public-read'})",
            ),
            json!([
                read(&report),
                public_request("python3", "s3://b/k.pdf", "UPLOAD", sent.clone()),
                make_public(bucket("s3", "b"))
            ]),
        ),
        (
            &py(
                "import boto3; boto3.client('s3').put_object(Bucket='b', Key='k', Body=open('r.pdf', 'rb'), ACL='public-read')",
            ),
            json!([
                read(&report),
                public_request("python3", "s3://b/k", "UPLOAD", sent.clone()),
                make_public(bucket("s3", "b"))
            ]),
        ),
        (
            "node -e \"const {S3Client, PutObjectAclCommand} = require('@aws-sdk/client-s3'); new S3Client({}).send(new PutObjectAclCommand({Bucket: 'b', Key: 'k', ACL: 'public-read'}))\"",
            json!([make_public(bucket("s3", "b"))]),
        ),
    ]);
}

#[test]
fn gcs_objects_and_buckets_made_public() {
    let report = at("r.pdf");
    run_table(&[
        (
            &py(
                "from google.cloud import storage; storage.Client().bucket('g').blob('k').make_public()",
            ),
            json!([make_public(bucket("gs", "g"))]),
        ),
        // Through the names the bucket and blob are held in.
        (
            &py(
                "from google.cloud import storage; c = storage.Client(); b = c.bucket('g'); blob = b.blob('k'); blob.acl.all().grant_read(); blob.acl.save()",
            ),
            json!([make_public(bucket("gs", "g"))]),
        ),
        (
            &py(
                "from google.cloud import storage; b = storage.Client().get_bucket('g'); b.make_public(recursive=True, future=True)",
            ),
            json!([make_public(bucket("gs", "g"))]),
        ),
        (
            &py(
                "from google.cloud import storage; storage.Client().bucket('g').blob('k').upload_from_filename('r.pdf', predefined_acl='publicRead')",
            ),
            json!([
                read(&report),
                public_request(
                    "python3",
                    "gs://g/k",
                    "UPLOAD",
                    payload(&[], &[(&report, false)], &[])
                ),
                make_public(bucket("gs", "g"))
            ]),
        ),
        (
            "node -e \"const {Storage} = require('@google-cloud/storage'); new Storage().bucket('g').file('k').makePublic()\"",
            json!([make_public(bucket("gs", "g"))]),
        ),
    ]);
}

#[test]
fn sdk_deletes_are_remote_deletes() {
    run_table(&[
        // Emptying a bucket through the resource API.
        (
            &py("import boto3; boto3.resource('s3').Bucket('b').objects.all().delete()"),
            json!([remote_delete("s3://b", true)]),
        ),
        (
            &py(
                "import boto3; b = boto3.resource('s3').Bucket('b'); b.objects.filter(Prefix='logs/').delete()",
            ),
            json!([remote_delete("s3://b/logs/", true)]),
        ),
        // Each object of a listing, deleted in a loop.
        (
            &py(
                "import boto3; b = boto3.resource('s3').Bucket('b')\nfor o in b.objects.all():\n    o.delete()",
            ),
            json!([remote_delete("s3://b", true)]),
        ),
        (
            &py("import boto3; boto3.resource('s3').Bucket('b').delete()"),
            json!([remote_delete("s3://b", true)]),
        ),
        (
            &py("import boto3; boto3.resource('s3').Object('b', 'k').delete()"),
            json!([remote_delete("s3://b/k", false)]),
        ),
        (
            &py("import boto3; boto3.client('s3').delete_bucket(Bucket='b')"),
            json!([remote_delete("s3://b", true)]),
        ),
        (
            &py("import boto3; boto3.client('s3').delete_object(Bucket='b', Key='a/x.csv')"),
            json!([remote_delete("s3://b/a/x.csv", false)]),
        ),
        // The keys listed, each; keys a listing computed: the bucket.
        (
            &py(
                "import boto3; boto3.client('s3').delete_objects(Bucket='b', Delete={'Objects': [{'Key': 'x'}, {'Key': 'y'}]})",
            ),
            json!([
                remote_delete("s3://b/x", false),
                remote_delete("s3://b/y", false)
            ]),
        ),
        (
            &py(
                "import boto3; c = boto3.client('s3'); keys = [{'Key': o['Key']} for o in c.list_objects_v2(Bucket='b')['Contents']]; c.delete_objects(Bucket='b', Delete={'Objects': keys})",
            ),
            json!([remote_delete("s3://b", true)]),
        ),
        (
            "node -e \"const {S3Client, DeleteBucketCommand} = require('@aws-sdk/client-s3'); new S3Client({}).send(new DeleteBucketCommand({Bucket: 'b'}))\"",
            json!([remote_delete("s3://b", true)]),
        ),
        // GCS.
        (
            &py(
                "from google.cloud import storage; b = storage.Client().get_bucket('g'); b.delete(force=True)",
            ),
            json!([remote_delete("gs://g", true)]),
        ),
        (
            &py(
                "from google.cloud import storage; blob = storage.Client().bucket('g').blob('k'); blob.delete()",
            ),
            json!([remote_delete("gs://g/k", false)]),
        ),
        (
            &py(
                "from google.cloud import storage; b = storage.Client().bucket('g')\nfor blob in b.list_blobs(prefix='tmp/'):\n    blob.delete()",
            ),
            json!([remote_delete("gs://g/tmp/", true)]),
        ),
        (
            "node -e \"const {Storage} = require('@google-cloud/storage'); new Storage().bucket('g').deleteFiles({prefix: 'p/'})\"",
            json!([remote_delete("gs://g/p/", true)]),
        ),
        // A local emulator's bucket is named by its URL there.
        (
            &py(
                "import boto3; boto3.client('s3', endpoint_url='http://localhost:4566').delete_bucket(Bucket='b')",
            ),
            json!([remote_delete("http://localhost:4566/b", true)]),
        ),
        // Other libraries' `objects.all().delete()` are not storage.
        (
            &py("from app.models import User; User.objects.all().delete()"),
            json!([]),
        ),
    ]);
}

#[test]
fn the_interpreters_own_path_is_the_interpreter() {
    run_table(&[
        (
            &py(
                "import subprocess, sys; subprocess.check_call([sys.executable, '-m', 'pip', 'install', 'polars==1.9.0'])",
            ),
            json!([install("pip", &["polars==1.9.0"])]),
        ),
        (
            "node -e \"require('child_process').execFileSync(process.execPath, ['-e', 'require(1)'])\"",
            json!([]),
        ),
    ]);
}

#[test]
fn perl_request_constructors_name_their_method() {
    let post = |url: &str, text: &[&str]| url_request("perl", url, "POST", payload(text, &[], &[]));
    run_table(&[
        (
            "perl -MLWP::UserAgent -MHTTP::Request::Common -e 'print LWP::UserAgent->new->request(POST \"https://x.example/v2/results\", Content => q(ok))->status_line'",
            json!([post("https://x.example/v2/results", &[])]),
        ),
        (
            "perl -MLWP::UserAgent -MHTTP::Request::Common -e 'LWP::UserAgent->new->request(PUT(\"https://x.example/a\", Content => \"d\"))'",
            json!([post("https://x.example/a", &["d"])]),
        ),
        (
            "perl -MLWP::UserAgent -e 'my $r = HTTP::Request->new(DELETE => \"https://x.example/a/1\"); LWP::UserAgent->new->request($r)'",
            json!([post("https://x.example/a/1", &[])]),
        ),
        // GET fetches; a method's name in a string is not a request.
        (
            "perl -MLWP::UserAgent -MHTTP::Request::Common -e 'LWP::UserAgent->new->request(GET \"https://x.example/a\")'",
            json!([url_request("perl", "https://x.example/a", "GET", empty())]),
        ),
        (
            "perl -MLWP::Simple -e 'print \"POST done\\n\"; getprint(\"https://x.example/a\")'",
            json!([url_request("perl", "https://x.example/a", "GET", empty())]),
        ),
    ]);
}
