//! Object storage deletes made through SDKs in inline code: keys named one
//! by one (literals, templates, a loop over a list written out) delete
//! those objects only; keys taken from a listing of the bucket (a loop
//! over `list_objects_v2`, a paginator, `objects.all()`) delete what the
//! listing holds, as `aws s3 rm --recursive` does. Also: a Node.js
//! shorthand property (`{ Bucket }`) names its bound value, a database URI
//! built by concatenation reaches its host, and `node -e CODE WORD` reads
//! `WORD` as `process.argv[1]`.

use crate::common;
use common::*;
use serde_json::{Value, json};

/// The effects of `command` of the given kinds.
fn effects_of(command: &str, kinds: &[&str]) -> Vec<Value> {
    effects(command)
        .into_iter()
        .filter(|e| kinds.contains(&e["effect"].as_str().unwrap_or_default()))
        .collect()
}

fn deletes(command: &str) -> Vec<Value> {
    effects_of(command, &["remote_delete"])
}

#[test]
fn keys_named_one_by_one_delete_those_objects() {
    // A literal list, through the loop of a comprehension.
    assert_eq!(
        deletes(
            "python3 - <<'EOF'\nimport boto3\ns3 = boto3.client(\"s3\")\nkeys = [\"r/a.map\", \"r/b.map\"]\ns3.delete_objects(Bucket=\"assets\", Delete={\"Objects\": [{\"Key\": k} for k in keys], \"Quiet\": False})\nEOF"
        ),
        [
            remote_delete("s3://assets/r/a.map", false),
            remote_delete("s3://assets/r/b.map", false),
        ]
    );
    // A template key: one object each, named by the template.
    assert_eq!(
        deletes(
            "python3 -c \"import boto3; s3 = boto3.client('s3'); [s3.delete_object(Bucket='assets', Key=f'r/{n}.map') for n in ('a', 'b')]\""
        ),
        [remote_delete("s3://assets/r/{n}.map", false)]
    );
    // The resource API's object of a bucket.
    assert_eq!(
        deletes(
            "python3 - <<'PY'\nimport boto3\nb = boto3.resource(\"s3\").Bucket(\"assets\")\nfor name in (\"a\", \"b\"):\n    b.Object(f\"r/{name}.map\").delete()\nPY"
        ),
        [remote_delete("s3://assets/r/{name}.map", false)]
    );
    // JavaScript's template literal, over a list's `map`.
    assert_eq!(
        deletes(
            "node -e 'const { S3Client, DeleteObjectCommand } = require(\"@aws-sdk/client-s3\"); const s3 = new S3Client({}); Promise.all([\"a\", \"b\"].map(n => s3.send(new DeleteObjectCommand({ Bucket: \"assets\", Key: `r/${n}.map` }))))'"
        ),
        [remote_delete("s3://assets/r/${n}.map", false)]
    );
    // Keys the code reads from elsewhere, with no listing: the objects
    // they name.
    assert_eq!(
        deletes(
            "python3 - <<'EOF'\nimport boto3, json\ns3 = boto3.client('s3')\nfor k in json.load(open('stale.json')):\n    s3.delete_object(Bucket='assets', Key=k)\nEOF"
        ),
        [remote_delete("s3://assets/{k}", false)]
    );
}

#[test]
fn keys_from_a_listing_delete_what_it_lists() {
    // A paginator over the whole bucket, its pages' keys deleted.
    assert_eq!(
        deletes(
            "python3 - <<'PY'\nimport boto3\ns3 = boto3.client(\"s3\")\nfor page in s3.get_paginator(\"list_objects_v2\").paginate(Bucket=\"ml\"):\n    keys = [{\"Key\": o[\"Key\"]} for o in page.get(\"Contents\", [])]\n    if keys:\n        s3.delete_objects(Bucket=\"ml\", Delete={\"Objects\": keys, \"Quiet\": True})\nPY"
        ),
        [remote_delete("s3://ml", true)]
    );
    // One object at a time, from a listing with a prefix.
    assert_eq!(
        deletes(
            "python3 - <<'PY'\nimport boto3\ns3 = boto3.client('s3')\nfor o in s3.list_objects_v2(Bucket='ml', Prefix='tmp/')['Contents']:\n    s3.delete_object(Bucket='ml', Key=o['Key'])\nPY"
        ),
        [remote_delete("s3://ml/tmp/", true)]
    );
    // The resource API's listing, each object deleted by its key.
    assert_eq!(
        deletes(
            "python3 - <<'PY'\nimport boto3\nb = boto3.resource('s3').Bucket('ml')\nfor o in b.objects.all():\n    b.Object(o.key).delete()\nPY"
        ),
        [remote_delete("s3://ml", true)]
    );
    // A listing of another bucket says nothing of this one's keys.
    assert_eq!(
        deletes(
            "python3 - <<'PY'\nimport boto3\ns3 = boto3.client('s3')\nseen = s3.list_objects_v2(Bucket='index')\nfor k in wanted:\n    s3.delete_object(Bucket='ml', Key=k)\nPY"
        ),
        [remote_delete("s3://ml/{k}", false)]
    );
}

#[test]
fn javascript_shorthand_properties_name_their_bucket() {
    // Emptied page by page, then deleted.
    assert_eq!(
        deletes(
            "node --input-type=module -e 'import { S3Client, paginateListObjectsV2, DeleteObjectsCommand, DeleteBucketCommand } from \"@aws-sdk/client-s3\"; const s3 = new S3Client({}); const Bucket = \"ml\"; for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket })) { if (page.Contents?.length) await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: page.Contents.map(o => ({ Key: o.Key })) } })); } await s3.send(new DeleteBucketCommand({ Bucket }));'"
        ),
        [remote_delete("s3://ml", true)]
    );
    // Both the bucket and the key.
    assert_eq!(
        deletes(
            "node -e 'const Bucket = \"assets\"; const Key = \"r/a.map\"; s3.send(new DeleteObjectCommand({ Bucket, Key }))'"
        ),
        [remote_delete("s3://assets/r/a.map", false)]
    );
}

#[test]
fn a_concatenated_database_uri_reaches_its_host() {
    assert_eq!(
        effects_of(
            "python3 -c \"import os, psycopg2; c = psycopg2.connect('postgresql://svc:' + os.environ['DB_PW'] + '@ledger.prod.internal/ledger'); cur = c.cursor(); cur.execute(\\\"UPDATE invoices SET status='void' WHERE id=7\\\"); c.commit()\"",
            &["sql"]
        ),
        [sql(
            "python3",
            Some("ledger.prod.internal"),
            Some("postgresql://svc:{}@ledger.prod.internal/ledger"),
            Some("UPDATE invoices SET status='void' WHERE id=7"),
            &[]
        )]
    );
    // The host not written out: the URI is read as its literal says.
    let found = effects_of(
        "python3 -c \"import psycopg2; psycopg2.connect('postgresql://svc@' + host + '/db').cursor().execute('DELETE FROM t')\"",
        &["sql"],
    );
    assert_eq!(found.len(), 1);
    assert_ne!(found[0]["dsn"], json!("postgresql://svc@{}/db"));
}

#[test]
fn node_eval_code_reads_its_words_from_argv_one() {
    assert_eq!(
        effects_of(
            "node -e 'fetch(process.argv[1], { method: \"POST\", body: JSON.stringify({ content: \"hi\" }) })' 'https://hooks.example.com/x'",
            &["request"]
        ),
        [url_request(
            "node",
            "https://hooks.example.com/x",
            "POST",
            payload(&["POST", "hi"], &[], &[])
        )]
    );
    // `-p` too; the second word is `process.argv[2]`.
    assert_eq!(
        effects_of(
            "node -p 'fetch(process.argv[2], { method: \"POST\", body: process.argv[1] })' hello https://hooks.example.com/y",
            &["request"]
        ),
        [url_request(
            "node",
            "https://hooks.example.com/y",
            "POST",
            payload(&["POST", "hello"], &[], &[])
        )]
    );
}
