//! GPU clouds' CLIs as clients of their vendors' APIs: what a new secret,
//! pod, instance or task gives the vendor, and the files they upload.
//! Their reads and listings report nothing.

use serde_json::{Value, json};

use crate::common::{
    effects_after, make_public, payload, read, read_tree, run_table, text_file, url_request, write,
};

const W: &str = "/home/dana/acme-web";

/// An upload by `program` to `url`.
fn upload(program: &str, url: &str, payload: Value) -> Value {
    url_request(program, url, "UPLOAD", payload)
}

#[test]
fn modal_secrets_and_volumes() {
    run_table(&[
        (
            "modal secret create hf-creds HF_TOKEN=$HF_TOKEN",
            json!([upload(
                "modal",
                "https://api.modal.com",
                payload(&["HF_TOKEN=$HF_TOKEN"], &[], &["HF_TOKEN"])
            )]),
        ),
        (
            "modal secret create -e dev app-env --force --from-dotenv .env",
            json!([
                read(&format!("{W}/.env")),
                upload(
                    "modal",
                    "https://api.modal.com",
                    payload(&[], &[(&format!("{W}/.env"), false)], &[])
                )
            ]),
        ),
        (
            "modal volume put --force vol data/c.jsonl /train/",
            json!([
                read_tree(&format!("{W}/data/c.jsonl")),
                upload(
                    "modal",
                    "https://api.modal.com",
                    payload(&[], &[(&format!("{W}/data/c.jsonl"), true)], &[])
                )
            ]),
        ),
        // Reads and listings.
        ("modal app list", json!([])),
        ("modal secret list", json!([])),
        ("modal volume get vol /train/x.jsonl", json!([])),
    ]);
}

#[test]
fn runpod_sends_and_pods() {
    run_table(&[
        (
            "runpodctl send out.tgz",
            json!([
                read_tree(&format!("{W}/out.tgz")),
                upload(
                    "runpodctl",
                    "https://api.runpod.io",
                    payload(&[], &[(&format!("{W}/out.tgz"), true)], &[])
                )
            ]),
        ),
        (
            "runpodctl create pod --name x --gpuType 'NVIDIA A40' --imageName img --env \"HF_TOKEN=$HF_TOKEN\"",
            json!([upload(
                "runpodctl",
                "https://api.runpod.io",
                payload(&["HF_TOKEN=$HF_TOKEN"], &[], &["HF_TOKEN"])
            )]),
        ),
        ("runpodctl get pod", json!([])),
        ("runpodctl receive 1234-word-word", json!([])),
    ]);
}

#[test]
fn vast_instances_and_copies() {
    run_table(&[
        (
            "vastai create instance 42 --image img --env '-e HF_TOKEN=x -p 8000:8000' --disk 80",
            json!([upload(
                "vastai",
                "https://console.vast.ai",
                payload(&["-e HF_TOKEN=x -p 8000:8000"], &[], &[])
            )]),
        ),
        (
            "vastai create instance 42 --onstart-cmd \"export K=$WANDB_API_KEY\"",
            json!([upload(
                "vastai",
                "https://console.vast.ai",
                payload(&["export K=$WANDB_API_KEY"], &[], &["WANDB_API_KEY"])
            )]),
        ),
        (
            "vastai copy local:data/c.csv C.42:/workspace/",
            json!([
                read_tree(&format!("{W}/data/c.csv")),
                upload(
                    "vastai",
                    "https://console.vast.ai",
                    payload(&[], &[(&format!("{W}/data/c.csv"), true)], &[])
                )
            ]),
        ),
        (
            "vastai copy 42:/workspace/out.csv local:out.csv",
            json!([write(&format!("{W}/out.csv"))]),
        ),
        ("vastai search offers 'gpu_name=RTX_4090'", json!([])),
        ("vastai show instances", json!([])),
    ]);
}

#[test]
fn sky_launches() {
    run_table(&[
        (
            "sky launch -c ft --cloud vast --env K=$WANDB_API_KEY task.yaml -y",
            json!([upload(
                "sky",
                "https://console.vast.ai",
                payload(&["K=$WANDB_API_KEY"], &[], &["WANDB_API_KEY"])
            )]),
        ),
        (
            "sky launch task.yaml --secret HF_TOKEN -c ft",
            json!([upload(
                "sky",
                "sky://ft",
                payload(&["HF_TOKEN"], &[], &["HF_TOKEN"])
            )]),
        ),
        (
            "sky jobs launch --env-file .env task.yaml",
            json!([
                read(&format!("{W}/.env")),
                upload(
                    "sky",
                    "sky://cluster",
                    payload(&[], &[(&format!("{W}/.env"), false)], &[])
                )
            ]),
        ),
        // A dry run provisions nothing; status and queues only read.
        ("sky launch --dryrun --env K=$HF_TOKEN task.yaml", json!([])),
        ("sky status", json!([])),
        ("sky queue ft", json!([])),
    ]);
}

#[test]
fn sky_task_file_written_earlier() {
    let task = text_file(
        &format!("{W}/sky/t.yaml"),
        "file_mounts:\n  /data:\n    name: other-bucket\n    source: ~/data/customers\n    store: s3\n  /cfg: ./configs\n  /ds: s3://public-data\n",
    );
    let effects = effects_after(&[task], "sky launch -c t sky/t.yaml -y");
    assert_eq!(
        effects,
        json!([
            upload("sky", "sky://t", payload(&[], &[], &[])),
            read_tree("/home/dana/data/customers"),
            url_request(
                "sky",
                "s3://other-bucket",
                "UPLOAD",
                payload(&[], &[("/home/dana/data/customers", true)], &[])
            ),
            read_tree(&format!("{W}/configs")),
            upload(
                "sky",
                "sky://t",
                payload(&[], &[(&format!("{W}/configs"), true)], &[])
            ),
        ])
    );
}

#[test]
fn hugging_face_repository_made_public() {
    let dataset =
        || make_public(json!({"kind": "other", "name": "https://huggingface.co/datasets/o/d"}));
    run_table(&[
        (
            "hf repos settings o/d --type dataset --public",
            json!([dataset()]),
        ),
        (
            "hf repos settings --repo-type=dataset --no-private o/d",
            json!([dataset()]),
        ),
        (
            "huggingface-cli repo settings o/d --repo-type dataset --private=false",
            json!([dataset()]),
        ),
        // Kept private, or another setting.
        ("hf repos settings o/d --type dataset --private", json!([])),
        ("hf repos settings o/d --gated manual", json!([])),
    ]);
}
