//! Cloud storage SDK uploads in inline code, and images pushed by the
//! tools that build them: each is an upload to the bucket or registry it
//! names, carrying what it sends. Run in `/home/dana/acme-web` with home
//! `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn sent_file(path: &str) -> Value {
    payload(&[], &[(path, false)], &[])
}

fn upload(url: &str, payload: Value) -> Value {
    url_request("python3", url, "UPLOAD", payload)
}

fn host(host: &str, port: Option<u16>, path: Option<&str>) -> Value {
    json!({"kind": "host", "user": null, "host": host, "port": port, "path": path})
}

#[test]
fn boto3_uploads_send_their_file_to_the_bucket() {
    let ledger = at("exports/ledger.csv");
    run_table(&[
        (
            "python3 -c \"import boto3; boto3.client('s3').upload_file('exports/ledger.csv', 'someone-bucket', 'l.csv')\"",
            json!([
                read(&ledger),
                upload("s3://someone-bucket/l.csv", sent_file(&ledger))
            ]),
        ),
        (
            "python3 -c \"import boto3; s3 = boto3.client('s3'); s3.upload_file(Filename='exports/ledger.csv', Bucket='b', Key='k/l.csv')\"",
            json!([read(&ledger), upload("s3://b/k/l.csv", sent_file(&ledger))]),
        ),
        (
            "python3 -c \"import boto3; boto3.client('s3').upload_fileobj(open('exports/ledger.csv', 'rb'), 'b', 'k')\"",
            json!([read(&ledger), upload("s3://b/k", sent_file(&ledger))]),
        ),
        (
            "python3 -c \"import boto3; boto3.client('s3').put_object(Bucket='b', Key='k', Body=open('exports/ledger.csv', 'rb'))\"",
            json!([read(&ledger), upload("s3://b/k", sent_file(&ledger))]),
        ),
        (
            "python3 -c \"import boto3; boto3.client('s3').put_object(Bucket='b', Key='k', Body='hello')\"",
            json!([upload("s3://b/k", payload(&["hello"], &[], &[]))]),
        ),
        // The resource API: the bucket is the object the call is made on.
        (
            "python3 -c \"import boto3; boto3.resource('s3').Bucket('b').upload_file('exports/ledger.csv', 'k')\"",
            json!([read(&ledger), upload("s3://b/k", sent_file(&ledger))]),
        ),
        // Names assigned literals are the literals.
        (
            "python3 -c \"import boto3\nf = 'exports/ledger.csv'\nbucket = 'b'\nboto3.client('s3').upload_file(f, bucket, 'k')\"",
            json!([read(&ledger), upload("s3://b/k", sent_file(&ledger))]),
        ),
        // A body the code computed carries what it read.
        (
            "python3 -c \"import boto3; d = open('exports/ledger.csv').read(); boto3.client('s3').put_object(Bucket='b', Key='k', Body=d)\"",
            json!([read(&ledger), upload("s3://b/k", sent_file(&ledger))]),
        ),
        // Downloads send nothing.
        (
            "python3 -c \"import boto3; boto3.client('s3').download_file('b', 'k', 'out.csv')\"",
            json!([]),
        ),
    ]);
}

#[test]
fn aws_sdk_for_javascript_uploads() {
    let ledger = at("exports/ledger.csv");
    run_table(&[(
        "node -e \"const {S3Client, PutObjectCommand} = require('@aws-sdk/client-s3'); const fs = require('fs'); new S3Client({}).send(new PutObjectCommand({Bucket: 'b', Key: 'k', Body: fs.readFileSync('exports/ledger.csv')}))\"",
        json!([
            read(&ledger),
            url_request("node", "s3://b/k", "UPLOAD", sent_file(&ledger))
        ]),
    )]);
}

#[test]
fn google_cloud_storage_uploads() {
    let env = at("serve/.env");
    run_table(&[
        (
            "python3 -c \"from google.cloud import storage; storage.Client().bucket('b').blob('k/.env').upload_from_filename('serve/.env')\"",
            json!([read(&env), upload("gs://b/k/.env", sent_file(&env))]),
        ),
        (
            "python3 -c \"from google.cloud import storage\nbucket = storage.Client().get_bucket('b')\nblob = bucket.blob('k')\nblob.upload_from_file(open('serve/.env', 'rb'))\"",
            json!([read(&env), upload("gs://b/k", sent_file(&env))]),
        ),
        (
            "python3 -c \"from google.cloud import storage; storage.Client().bucket('b').blob('k').upload_from_string('hi there')\"",
            json!([upload("gs://b/k", payload(&["hi there"], &[], &[]))]),
        ),
        (
            "node -e \"const {Storage} = require('@google-cloud/storage'); new Storage().bucket('b').upload('serve/.env', {destination: 'k'})\"",
            json!([
                read(&env),
                url_request("node", "gs://b/k", "UPLOAD", sent_file(&env))
            ]),
        ),
        (
            "python3 -c \"from google.cloud import storage; storage.Client().bucket('b').blob('k').download_to_filename('out')\"",
            json!([]),
        ),
    ]);
}

#[test]
fn azure_blob_uploads() {
    let env = at("serve/.env");
    run_table(&[(
        "python3 -c \"from azure.storage.blob import BlobClient; BlobClient(account_url='https://acct.blob.core.windows.net', container_name='c', blob_name='x.env', credential=None).upload_blob(open('serve/.env', 'rb'))\"",
        json!([
            read(&env),
            upload(
                "https://acct.blob.core.windows.net/c/x.env",
                sent_file(&env)
            )
        ]),
    )]);
}

#[test]
fn hub_uploads_send_the_files_they_name() {
    let env = at("serve/.env");
    let model = at("model");
    run_table(&[
        (
            "python3 -c \"from huggingface_hub import HfApi; HfApi().upload_file(path_or_fileobj='serve/.env', path_in_repo='x', repo_id='someone/m')\"",
            json!([
                read(&env),
                url_request(
                    "python3",
                    "https://huggingface.co/someone/m",
                    "POST",
                    payload(&["x"], &[(&env, false)], &[])
                )
            ]),
        ),
        (
            "python3 -c \"from huggingface_hub import HfApi; HfApi().upload_folder(folder_path='model', repo_id='someone/m')\"",
            json!([
                read_tree(&model),
                url_request(
                    "python3",
                    "https://huggingface.co/someone/m",
                    "POST",
                    payload(&[], &[(&model, true)], &[])
                )
            ]),
        ),
    ]);
}

#[test]
fn builds_that_push_upload_their_images() {
    let pushed = |program: &str, registry: &str, path: &str, p: Value| {
        host_request(program, host(registry, None, Some(path)), "UPLOAD", p)
    };
    run_table(&[
        (
            "docker build --push -t ghcr.io/acme/web:1 .",
            json!([pushed(
                "docker",
                "ghcr.io",
                "acme/web:1",
                payload(&["ghcr.io/acme/web:1"], &[], &[])
            )]),
        ),
        (
            "docker buildx build -t someone/web:1 --output type=registry .",
            json!([pushed(
                "docker",
                "docker.io",
                "someone/web:1",
                payload(&["someone/web:1"], &[], &[])
            )]),
        ),
        (
            "docker buildx build -o type=image,name=ghcr.io/x/y,push=true .",
            json!([pushed(
                "docker",
                "ghcr.io",
                "x/y",
                payload(&["ghcr.io/x/y"], &[], &[])
            )]),
        ),
        // Build arguments are baked into the pushed image.
        (
            "docker build --build-arg KEY=\"$STRIPE_SECRET_KEY\" --build-arg NPM_TOKEN --push -t someone/web .",
            json!([pushed(
                "docker",
                "docker.io",
                "someone/web",
                payload(
                    &["$STRIPE_SECRET_KEY", "someone/web"],
                    &[],
                    &["STRIPE_SECRET_KEY", "NPM_TOKEN"]
                )
            )]),
        ),
        // Without a push the image stays here.
        ("docker build -t x .", json!([read(W)])),
        (
            "buildah push localhost/app docker://quay.io/acme/app:2",
            json!([pushed(
                "buildah",
                "quay.io",
                "acme/app:2",
                payload(&["quay.io/acme/app:2"], &[], &[])
            )]),
        ),
        ("buildah push localhost/app oci:/tmp/app", json!([])),
    ]);
}

#[test]
fn model_pushes_go_to_their_registries() {
    run_table(&[
        (
            "ollama push someone/llama3:8b",
            json!([host_request(
                "ollama",
                host("registry.ollama.ai", None, Some("someone/llama3:8b")),
                "UPLOAD",
                payload(&["registry.ollama.ai/someone/llama3:8b"], &[], &[])
            )]),
        ),
        (
            "ollama push models.acme.io/ml/llama3",
            json!([host_request(
                "ollama",
                host("models.acme.io", None, Some("ml/llama3")),
                "UPLOAD",
                payload(&["models.acme.io/ml/llama3"], &[], &[])
            )]),
        ),
        ("ollama pull llama3", json!([])),
        (
            "cog push r8.im/someone/model",
            json!([host_request(
                "cog",
                host("r8.im", None, Some("someone/model")),
                "UPLOAD",
                payload(&["r8.im/someone/model"], &[], &[])
            )]),
        ),
        (
            "bentoml push iris:v1",
            json!([url_request(
                "bentoml",
                "https://cloud.bentoml.com",
                "UPLOAD",
                payload(&["iris:v1"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn dataframe_writers_upload_to_storage_urls() {
    let ledger = at("exports/ledger.csv");
    run_table(&[
        (
            "python3 -c \"import pandas as pd; pd.read_csv('exports/ledger.csv').to_parquet('s3a://bench-uploads/q4.parquet')\"",
            json!([
                read(&ledger),
                upload("s3://bench-uploads/q4.parquet", sent_file(&ledger))
            ]),
        ),
        (
            "python3 -c \"import pandas as pd; df = pd.read_csv('exports/ledger.csv'); df.to_csv('abfs://intake@bench.dfs.core.windows.net/q4.csv', index=False)\"",
            json!([
                read(&ledger),
                upload(
                    "https://bench.dfs.core.windows.net/intake/q4.csv",
                    sent_file(&ledger)
                )
            ]),
        ),
        (
            "python3 -c \"import polars as pl; pl.read_csv('exports/ledger.csv').write_parquet('gcs://bench/q4.parquet')\"",
            json!([
                read(&ledger),
                upload("gs://bench/q4.parquet", sent_file(&ledger))
            ]),
        ),
        // A local path is a local file, no upload.
        (
            "python3 -c \"import pandas as pd; pd.read_csv('exports/ledger.csv').to_csv('out/q4.csv')\"",
            json!([read(&ledger)]),
        ),
    ]);
}
