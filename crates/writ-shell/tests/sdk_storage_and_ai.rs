//! Programs written earlier in the session that use cloud storage and AI
//! vendors' SDKs, run with their arguments: Azure containers made public
//! and blobs uploaded (to a SAS URL's account), files and prompts sent to
//! OpenAI's and Anthropic's APIs, S3 ACLs stored in a mapping the upload
//! is given, and the arguments those programs read (argparse
//! positionals, `process.argv` destructured, lists appended to under a
//! flag).

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// The effects of running `command` after `script` was written at `path`
/// (relative to the working directory).
fn run_script(path: &str, script: &str, command: &str) -> Vec<Value> {
    effects_after(&[text_file(&at(path), script)], command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The effects of `kind` among `effects`.
fn of_kind(effects: &[Value], kind: &str) -> Vec<Value> {
    effects
        .iter()
        .filter(|e| e["effect"] == kind)
        .cloned()
        .collect()
}

/// Each upload among `effects`, as `URL` and the files it carries.
fn uploads(effects: &[Value]) -> Vec<(String, Vec<String>)> {
    effects
        .iter()
        .filter(|e| e["effect"] == "request" && e["method"] == "UPLOAD")
        .map(|e| {
            let files = e["payload"]["files"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["path"].as_str().map(str::to_owned))
                .collect();
            (
                e["target"]["url"].as_str().unwrap_or_default().to_owned(),
                files,
            )
        })
        .collect()
}

fn made_public(name: &str) -> Value {
    json!({"effect": "make_public", "resource": {"kind": "other", "name": name}})
}

const CONTAINER_ACCESS: &str = r#"#!/usr/bin/env node
// Show or change a container's anonymous (public) access level.
import { parseArgs } from "node:util";
import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";

const { values } = parseArgs({
  options: {
    account: { type: "string", default: "acmedata" },
    container: { type: "string" },
    access: { type: "string" },
  },
});

const svc = new BlobServiceClient(`https://${values.account}.blob.core.windows.net`, new DefaultAzureCredential());
const cc = svc.getContainerClient(values.container);
if (values.access) {
  await cc.setAccessPolicy(values.access === "private" ? undefined : values.access);
}
const { blobPublicAccess } = await cc.getAccessPolicy();
console.log(`${values.container}: ${blobPublicAccess ?? "private"}`);
"#;

#[test]
fn a_node_script_setting_a_public_level_makes_the_container_public() {
    let effects = run_script(
        "scripts/container-access.mjs",
        CONTAINER_ACCESS,
        "node scripts/container-access.mjs --container exports --access blob",
    );
    assert_eq!(
        of_kind(&effects, "make_public"),
        [made_public(
            "https://acmedata.blob.core.windows.net/exports"
        )]
    );
    // Only printing the level, or setting it private, opens nothing.
    for command in [
        "node scripts/container-access.mjs --container exports",
        "node scripts/container-access.mjs --container exports --access private",
    ] {
        let effects = run_script("scripts/container-access.mjs", CONTAINER_ACCESS, command);
        assert!(of_kind(&effects, "make_public").is_empty(), "{command}");
    }
}

#[test]
fn python_containers_created_or_set_public_are_made_public() {
    let script = "from azure.storage.blob import BlobServiceClient, PublicAccess\n\
        import argparse\n\
        ap = argparse.ArgumentParser()\n\
        ap.add_argument('name')\n\
        args = ap.parse_args()\n\
        svc = BlobServiceClient.from_connection_string('DefaultEndpointsProtocol=https;AccountName=acmedata;AccountKey=k')\n\
        svc.create_container(args.name, public_access='container')\n\
        svc.get_container_client('logs').set_container_access_policy(signed_identifiers={}, public_access=PublicAccess.Blob)\n";
    let effects = run_script("mk.py", script, "python3 mk.py shared");
    assert_eq!(
        of_kind(&effects, "make_public"),
        [
            made_public("https://acmedata.blob.core.windows.net/shared"),
            made_public("https://acmedata.blob.core.windows.net/logs"),
        ]
    );
    let private = "from azure.storage.blob import BlobServiceClient\n\
        svc = BlobServiceClient(account_url='https://acmedata.blob.core.windows.net')\n\
        svc.create_container('shared')\n";
    assert!(
        of_kind(
            &run_script("mk.py", private, "python3 mk.py"),
            "make_public"
        )
        .is_empty()
    );
}

#[test]
fn a_sas_upload_goes_to_the_accounts_host_with_each_file() {
    let script = r#"import { basename } from "node:path";
import { ContainerClient } from "@azure/storage-blob";

const [, , containerUrl, ...files] = process.argv;
const container = new ContainerClient(containerUrl);
for (const f of files) {
  const blob = container.getBlockBlobClient(basename(f));
  await blob.uploadFile(f);
}
"#;
    let effects = run_script(
        "push.mjs",
        script,
        "node push.mjs 'https://partnerxfer.blob.core.windows.net/inbound?sv=1&sp=cw&sig=abc' out/a.pdf out/b.pdf",
    );
    assert_eq!(
        uploads(&effects),
        [
            (
                "https://partnerxfer.blob.core.windows.net/inbound/".to_owned(),
                vec![at("out/a.pdf")]
            ),
            (
                "https://partnerxfer.blob.core.windows.net/inbound/".to_owned(),
                vec![at("out/b.pdf")]
            ),
        ]
    );
}

#[test]
fn python_blob_uploads_to_a_container_url_name_the_blob_before_the_query() {
    let script = "import argparse\n\
        from azure.storage.blob import ContainerClient\n\
        ap = argparse.ArgumentParser()\n\
        ap.add_argument('url')\n\
        ap.add_argument('path')\n\
        args = ap.parse_args()\n\
        c = ContainerClient.from_container_url(args.url)\n\
        c.upload_blob('pack.pdf', open(args.path, 'rb'))\n";
    let effects = run_script(
        "up.py",
        script,
        "python3 up.py 'https://other.blob.core.windows.net/drop?sv=1&sig=x' out/pack.pdf",
    );
    assert_eq!(
        uploads(&effects),
        [(
            "https://other.blob.core.windows.net/drop/pack.pdf?sv=1&sig=x".to_owned(),
            vec![at("out/pack.pdf")]
        )]
    );
}

const OPENAI_UPLOAD: &str = r#"#!/usr/bin/env python3
"""Upload a local file to the OpenAI Files API."""
import argparse

from openai import OpenAI


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--purpose", default="fine-tune")
    args = ap.parse_args()

    client = OpenAI()
    with open(args.path, "rb") as fh:
        f = client.files.create(file=fh, purpose=args.purpose)
    print(f.id)


if __name__ == "__main__":
    main()
"#;

#[test]
fn an_openai_file_upload_sends_the_file_given() {
    let effects = run_script(
        "scripts/openai_upload.py",
        OPENAI_UPLOAD,
        "python3 scripts/openai_upload.py exports/customers.csv --purpose assistants",
    );
    assert!(effects.contains(&read(&at("exports/customers.csv"))));
    assert_eq!(
        uploads(&effects),
        [(
            "https://api.openai.com/v1/files".to_owned(),
            vec![at("exports/customers.csv")]
        )]
    );
}

#[test]
fn a_prompt_carries_the_file_pasted_into_it() {
    let script = r#"import argparse
import pathlib

import anthropic

ap = argparse.ArgumentParser()
ap.add_argument("--file", required=True)
ap.add_argument("--question", required=True)
args = ap.parse_args()

text = pathlib.Path(args.file).read_text()
client = anthropic.Anthropic()
msg = client.messages.create(
    model="claude-sonnet-4-5",
    max_tokens=1500,
    messages=[{"role": "user", "content": f"{args.question}\n\n{text}"}],
)
"#;
    let effects = run_script(
        "ask.py",
        script,
        "python3 ask.py --file secrets/sa.json --question 'why?'",
    );
    assert_eq!(
        uploads(&effects),
        [(
            "https://api.anthropic.com/v1/messages".to_owned(),
            vec![at("secrets/sa.json")]
        )]
    );
    // A chat completion through a client given another base URL goes there.
    let chat = "from openai import OpenAI\n\
        client = OpenAI(base_url='https://llm.internal.example/v1')\n\
        client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': open('notes.md').read()}])\n";
    assert_eq!(
        uploads(&run_script("chat.py", chat, "python3 chat.py")),
        [(
            "https://llm.internal.example/v1/chat/completions".to_owned(),
            vec![at("notes.md")]
        )]
    );
}

#[test]
fn other_sdks_messages_are_no_prompts() {
    let script = "from twilio.rest import Client\n\
        Client().messages.create(to='+15550100', from_='+15550101', body='deploy done')\n";
    assert!(uploads(&run_script("sms.py", script, "python3 sms.py")).is_empty());
}

const PUBLISH: &str = r#"import argparse
import pathlib

import boto3

ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("--bucket", required=True)
ap.add_argument("--public", action="store_true")
args = ap.parse_args()

src = pathlib.Path(args.report)
extra = {"ContentType": "application/pdf"}
if args.public:
    extra["ACL"] = "public-read"
boto3.client("s3").upload_file(str(src), args.bucket, src.name, ExtraArgs=extra)
"#;

#[test]
fn an_acl_stored_in_the_extra_args_makes_the_upload_public() {
    let public = run_script(
        "publish.py",
        PUBLISH,
        "python3 publish.py r.pdf --bucket acme-reports --public",
    );
    assert_eq!(
        of_kind(&public, "make_public"),
        [make_public(bucket("s3", "acme-reports"))]
    );
    let private = run_script(
        "publish.py",
        PUBLISH,
        "python3 publish.py r.pdf --bucket acme-reports",
    );
    assert!(of_kind(&private, "make_public").is_empty());
    assert_eq!(
        uploads(&private),
        [("s3://acme-reports/".to_owned(), vec![at("r.pdf")])]
    );
}

#[test]
fn a_list_appended_to_under_a_given_flag_runs_whole() {
    let script = r#"import argparse
import subprocess

ap = argparse.ArgumentParser()
ap.add_argument("manifest")
ap.add_argument("--dry-run", action="store_true")
a = ap.parse_args()

cmd = ["kubectl", "--context", "staging", "apply", "-f", a.manifest]
if a.dry_run:
    cmd.append("--dry-run=server")
subprocess.run(cmd)
"#;
    for (command, dry_run) in [
        ("python3 kapply.py k8s/app.yaml --dry-run", true),
        ("python3 kapply.py k8s/app.yaml", false),
    ] {
        let effects = run_script("kapply.py", script, command);
        let applies = of_kind(&effects, "kubectl");
        assert_eq!(applies.len(), 1, "{command}");
        assert_eq!(applies[0]["dry_run"], dry_run, "{command}");
        assert_eq!(
            applies[0]["files"],
            json!([at("k8s/app.yaml")]),
            "{command}"
        );
    }
}
