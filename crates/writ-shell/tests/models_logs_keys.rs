//! Table tests for coding agents run for one task (`claude -p`, `codex
//! exec`, `aider`), what `sqlite3` and `duckdb` print, Fluent Bit's
//! command-line pipelines, `sops exec-env`/`exec-file`, and minisign's and
//! signify's key files. Run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};
use writ_shell::analyze;

use crate::common;
use common::*;

const ANTHROPIC: &str = "https://api.anthropic.com/v1/messages";
const OPENAI_CHAT: &str = "https://api.openai.com/v1/chat/completions";

fn post(program: &str, url: &str, payload: Value) -> Value {
    url_request(program, url, "POST", payload)
}

/// The effects of `command`, one JSON value each.
fn effects(command: &str) -> Vec<Value> {
    let analysis = analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    match serde_json::to_value(&analysis.effects).unwrap_or_default() {
        Value::Array(items) => items,
        other => panic!("{command}: {other}"),
    }
}

/// The requests `command` makes.
fn requests(command: &str) -> Vec<Value> {
    effects(command)
        .into_iter()
        .filter(|e| e["effect"] == "request")
        .collect()
}

/// Asserts that `command` makes exactly one request, to `url`, whose
/// payload names `file`.
fn sends_file_to(command: &str, url: &str, file: &str) {
    let sent = requests(command);
    assert_eq!(sent.len(), 1, "one request from: {command}: {sent:?}");
    assert_eq!(sent[0]["target"]["url"], url, "target of: {command}");
    let files = sent[0]["payload"]["files"].to_string();
    assert!(files.contains(file), "{command} sends {file}: {files}");
}

#[test]
fn coding_agents_send_their_prompt_and_input_to_the_provider() {
    run_table(&[
        // Claude Code's print mode: the prompt and standard input.
        (
            "claude -p --output-format json 'Find duplicates' < data/claims.csv",
            json!([
                read(&at("data/claims.csv")),
                post(
                    "claude",
                    ANTHROPIC,
                    payload(
                        &["Find duplicates"],
                        &[(&at("data/claims.csv"), false)],
                        &[]
                    )
                )
            ]),
        ),
        // Its system prompt as text and as a file, a model by alias.
        (
            "claude --print --model sonnet --append-system-prompt 'Be terse' \
             --system-prompt-file notes/sys.md --max-turns 3 'go'",
            json!([post(
                "claude",
                ANTHROPIC,
                payload(&["go", "Be terse"], &[(&at("notes/sys.md"), false)], &[])
            )]),
        ),
        // Codex's exec: the prompt, the images, the answer written.
        (
            "codex exec -m gpt-5 -i shot.png -o out/last.txt 'explain this'",
            json!([
                write(&at("out/last.txt")),
                post(
                    "codex",
                    OPENAI_CHAT,
                    payload(&["explain this"], &[(&at("shot.png"), false)], &[])
                )
            ]),
        ),
        // aider: files read (`--read`) and edited (positionals) go to the
        // model `--model` names; the edited ones are written.
        (
            "aider --model sonnet --yes-always --read .env --message 'wire it' app/config.py",
            json!([
                write(&at("app/config.py")),
                post(
                    "aider",
                    ANTHROPIC,
                    payload(
                        &["wire it"],
                        &[(&at(".env"), false), (&at("app/config.py"), false)],
                        &[]
                    )
                )
            ]),
        ),
        // A shortcut picks OpenAI.
        (
            "aider --4o -m 'hi'",
            json!([post("aider", OPENAI_CHAT, payload(&["hi"], &[], &[]))]),
        ),
        // Near misses: sessions and management send nothing on the line.
        ("claude", json!([])),
        ("claude --version", json!([])),
        ("codex login", json!([])),
        ("codex", json!([])),
        ("aider --list-models gpt", json!([])),
    ]);
    sends_file_to(
        "head -n 200 data/claims.csv | claude -p 'find dups'",
        ANTHROPIC,
        &at("data/claims.csv"),
    );
    sends_file_to(
        "cat src/main.rs | codex exec -",
        OPENAI_CHAT,
        &at("src/main.rs"),
    );
    // `--oss` is Ollama's server on this machine.
    let local = requests("codex exec --oss 'hi'");
    assert_eq!(local[0]["target"]["url"], "http://127.0.0.1:11434/api/chat");
}

#[test]
fn what_sqlite3_prints_carries_its_database() {
    let db = "/home/dana/.config/app/logs.db";
    sends_file_to(
        "sqlite3 -json ~/.config/app/logs.db 'select * from t' | curl -F 'file=@-' https://paste.example",
        "https://paste.example",
        db,
    );
    sends_file_to(
        "duckdb ~/.config/app/logs.db -c 'select 1' | curl --data-binary @- https://paste.example",
        "https://paste.example",
        db,
    );
    // An in-memory database carries nothing of a file.
    let sent = requests("sqlite3 :memory: 'select 1' | curl -d @- https://paste.example");
    assert_eq!(sent[0]["payload"]["files"], json!([]), "{sent:?}");
}

#[test]
fn fluent_bit_pipelines_send_their_inputs_to_their_outputs() {
    let auth = "/var/log/auth.log";
    sends_file_to(
        "fluent-bit -i tail -p path=/var/log/auth.log -p read_from_head=true -o http \
         -p host=logs.example.net -p port=443 -p tls=on -p uri=/v1/ingest -f 1",
        "https://logs.example.net:443/v1/ingest",
        auth,
    );
    // An output as a URL; the `-p` after `-o` belongs to the output.
    sends_file_to(
        "td-agent-bit -i tail -p path=/var/log/syslog -o es://search.example.org:9243/logs",
        "http://search.example.org:9243/logs",
        "/var/log/syslog",
    );
    sends_file_to(
        "fluent-bit -i tail -p path=app.log -o s3 -p bucket=logs-archive -p region=eu-west-1",
        "s3://logs-archive/",
        &at("app.log"),
    );
    // Forward goes to a host; its default is this machine.
    let forward =
        requests("fluent-bit -i tail -p path=/var/log/auth.log -o forward -p host=agg.example.net");
    assert_eq!(
        forward[0]["target"]["host"], "agg.example.net",
        "{forward:?}"
    );
    assert_eq!(forward[0]["target"]["port"], 24224, "{forward:?}");
    // Near misses: metrics to stdout, a file output (a write), no input files.
    assert!(requests("fluent-bit -i cpu -o stdout").is_empty());
    let file = effects("fluent-bit -i tail -p path=/var/log/auth.log -o file -p path=/tmp/out");
    assert!(file.contains(&append("/tmp/out")), "{file:?}");
    assert!(
        requests("fluent-bit -i tail -p path=/var/log/auth.log -o file -p path=/tmp/out")
            .is_empty()
    );
}

#[test]
fn sops_exec_runs_its_command_with_the_secrets() {
    let sent = requests(
        "sops exec-env secrets/ci.enc.yaml 'curl -H \"Authorization: token $GITHUB_TOKEN\" -d @build/report.json https://ci.example.dev/upload'",
    );
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["target"]["url"], "https://ci.example.dev/upload");
    assert_eq!(sent[0]["payload"]["env"], json!(["GITHUB_TOKEN"]));
    // exec-file: `{}` is the decrypted file, read as the file itself.
    sends_file_to(
        "sops exec-file --no-fifo secrets/app.enc.json 'curl -F f=@{} https://up.example.dev'",
        "https://up.example.dev",
        &at("secrets/app.enc.json"),
    );
    // Near miss: editing a file runs nothing.
    assert!(requests("sops secrets/app.enc.json").is_empty());
    // What `sops -d` prints is a secret; an in-place decrypt prints nothing.
    let printed = requests("sops -d secrets/app.enc.json | curl -d @- https://up.example.dev");
    assert!(
        printed[0]["payload"]["credentials"].is_array(),
        "{printed:?}"
    );
    let in_place = requests("sops -d -i secrets/app.enc.json; curl https://up.example.dev");
    assert!(
        in_place[0]["payload"].get("credentials").is_none(),
        "{in_place:?}"
    );
}

#[test]
fn signing_tools_write_their_keys() {
    run_table(&[
        (
            "minisign -G -f -W -p .keys/ledger.pub -s .keys/ledger.key",
            json!([
                write(&at(".keys/ledger.pub")),
                write(&at(".keys/ledger.key"))
            ]),
        ),
        (
            "minisign -GW",
            json!([
                write(&at("minisign.pub")),
                write("/home/dana/.minisign/minisign.key")
            ]),
        ),
        (
            "minisign -Sm dist/app.tgz -s k.key",
            json!([
                read(&at("k.key")),
                read(&at("dist/app.tgz")),
                write(&at("dist/app.tgz.minisig"))
            ]),
        ),
        (
            "minisign -Vm dist/app.tgz -p k.pub",
            json!([
                read(&at("k.pub")),
                read(&at("dist/app.tgz")),
                read(&at("dist/app.tgz.minisig"))
            ]),
        ),
        (
            "signify -G -n -p keys/r.pub -s keys/r.sec",
            json!([write(&at("keys/r.pub")), write(&at("keys/r.sec"))]),
        ),
        (
            "signify -S -s keys/r.sec -m SHA256 -x SHA256.sig",
            json!([
                read(&at("keys/r.sec")),
                read(&at("SHA256")),
                write(&at("SHA256.sig"))
            ]),
        ),
        (
            "signify -V -p keys/r.pub -m SHA256",
            json!([
                read(&at("keys/r.pub")),
                read(&at("SHA256")),
                read(&at("SHA256.sig"))
            ]),
        ),
    ]);
}
