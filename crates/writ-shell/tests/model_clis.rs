//! Table tests for model CLIs (`llm`, `openai api`, `ant`, `aichat`,
//! `sgpt`, `mods`, `fabric`, `gemini`, `ollama run`): a prompt is a
//! request to the model's provider carrying the prompt, the files and the
//! standard input it is given; a model on this machine sends nothing. And
//! inline Hugging Face Hub code that makes a repository public. Each case
//! is a command line and the exact effects `analyze` must report, run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::json;

use crate::common;
use common::*;

const OPENAI_CHAT: &str = "https://api.openai.com/v1/chat/completions";
const ANTHROPIC: &str = "https://api.anthropic.com/v1/messages";

fn post(program: &str, url: &str, payload: serde_json::Value) -> serde_json::Value {
    url_request(program, url, "POST", payload)
}

#[test]
fn llm_prompts_go_to_the_models_provider() {
    run_table(&[
        // Fragments are files (or URLs, or a plugin's `prefix:argument`).
        (
            "llm -m gpt-4o-mini -f data/customers.csv -f github:simonw/llm 'Group these'",
            json!([post(
                "llm",
                OPENAI_CHAT,
                payload(
                    &["Group these", "github:simonw/llm"],
                    &[(&at("data/customers.csv"), false)],
                    &[]
                )
            )]),
        ),
        // Standard input and the system prompt; no model: OpenAI's default.
        (
            "cat .env | llm -s 'You are a devops expert' 'Why?'",
            json!([
                read(&at(".env")),
                post(
                    "llm",
                    OPENAI_CHAT,
                    payload(
                        &["Why?", "You are a devops expert"],
                        &[(&at(".env"), false)],
                        &[]
                    )
                )
            ]),
        ),
        // `-c` continues a conversation (a flag); Claude is Anthropic's.
        (
            "llm -c 'and then?' -m claude-3.5-sonnet -a shot.png --at notes.bin text/plain",
            json!([post(
                "llm",
                ANTHROPIC,
                payload(
                    &["and then?"],
                    &[(&at("shot.png"), false), (&at("notes.bin"), false)],
                    &[]
                )
            )]),
        ),
        // A template file, a template parameter's value, options that send nothing.
        (
            "llm -t ./review.yaml -p name Dana -o temperature 0.2 go",
            json!([post(
                "llm",
                OPENAI_CHAT,
                payload(&["go", "Dana"], &[(&at("review.yaml"), false)], &[])
            )]),
        ),
        // `-f -` is standard input.
        (
            "llm -m gemini-2.0-flash -f - 'summarise' < notes.txt",
            json!([
                read(&at("notes.txt")),
                post(
                    "llm",
                    "https://generativelanguage.googleapis.com/v1beta/models",
                    payload(&["summarise"], &[(&at("notes.txt"), false)], &[])
                )
            ]),
        ),
        (
            "LLM_MODEL=mistral-large llm 'hi'",
            json!([post(
                "llm",
                "https://api.mistral.ai/v1/chat/completions",
                payload(&["hi"], &[], &[])
            )]),
        ),
        // The chat command sends what the prompt command does.
        (
            "llm chat -m 4o -s 'be brief'",
            json!([post("llm", OPENAI_CHAT, payload(&["be brief"], &[], &[]))]),
        ),
    ]);
}

#[test]
fn llm_local_models_and_commands_send_nothing() {
    run_table(&[
        // A model in this process only reads what it is given.
        (
            "llm -m gguf/Mistral-7B 'describe' -a shot.png",
            json!([read(&at("shot.png"))]),
        ),
        ("llm -m mlx-community/Llama-3.2-3B 'hi'", json!([])),
        ("llm keys set openai --value sk-123", json!([])),
        ("llm logs -n 3", json!([])),
        ("llm models default gpt-4o", json!([])),
        // `--save` writes a template instead of prompting.
        ("llm --save brief -s 'be brief'", json!([])),
        // Comparing a stored embedding sends nothing.
        ("llm similar docs item-1", json!([])),
    ]);
}

#[test]
fn llm_ollama_models_go_to_ollama_host() {
    run_table(&[
        (
            "llm -m llama3.1:8b 'hi'",
            json!([post(
                "llm",
                "http://127.0.0.1:11434/api/chat",
                payload(&["hi"], &[], &[])
            )]),
        ),
        // A Bedrock id's `:0` is a version, not an Ollama tag.
        (
            "llm -m anthropic.claude-3-haiku-20240307-v1:0 'hi'",
            json!([post(
                "llm",
                "https://bedrock-runtime.us-east-1.amazonaws.com/model",
                payload(&["hi"], &[], &[])
            )]),
        ),
        (
            "OLLAMA_HOST=gpu.example.net llm -m llama3.1:8b 'hi'",
            json!([post(
                "llm",
                "http://gpu.example.net:11434/api/chat",
                payload(&["hi"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn llm_embeddings_send_their_content() {
    run_table(&[
        (
            "llm embed docs item-1 -i notes.txt -m 3-small",
            json!([post(
                "llm",
                "https://api.openai.com/v1/embeddings",
                payload(&[], &[(&at("notes.txt"), false)], &[])
            )]),
        ),
        (
            "llm embed docs item-2 -c 'some text'",
            json!([post(
                "llm",
                "https://api.openai.com/v1/embeddings",
                payload(&["some text"], &[], &[])
            )]),
        ),
        // `--files DIR GLOB`: the tree below DIR.
        (
            "llm embed-multi docs --files docs '*.md' -m mistral-embed",
            json!([post(
                "llm",
                "https://api.mistral.ai/v1/embeddings",
                payload(&[], &[(&at("docs"), true)], &[])
            )]),
        ),
        (
            "llm embed-multi docs rows.csv --store",
            json!([post(
                "llm",
                "https://api.openai.com/v1/embeddings",
                payload(&[], &[(&at("rows.csv"), false)], &[])
            )]),
        ),
        (
            "llm similar docs -c 'query'",
            json!([post(
                "llm",
                "https://api.openai.com/v1/embeddings",
                payload(&["query"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn llm_install_is_pip() {
    run_table(&[(
        "llm install llm-anthropic",
        json!([{"effect": "package_install", "manager": "pip", "packages": ["llm-anthropic"]}]),
    )]);
}

#[test]
fn openai_cli_requests() {
    run_table(&[
        (
            "openai api files.create -f data/tickets/train.jsonl -p fine-tune",
            json!([post(
                "openai",
                "https://api.openai.com/v1/files",
                payload(&[], &[(&at("data/tickets/train.jsonl"), false)], &[])
            )]),
        ),
        // Each message's content; the API base the global option names.
        (
            "openai -b https://llm.example.org/v1 api chat.completions.create -m gpt-4o -g user hello -g system terse",
            json!([post(
                "openai",
                "https://llm.example.org/v1/chat/completions",
                payload(&["hello", "terse"], &[], &[])
            )]),
        ),
        (
            "openai api fine_tuning.jobs.create -m gpt-4o-mini -F file-abc",
            json!([post(
                "openai",
                "https://api.openai.com/v1/fine_tuning/jobs",
                payload(&["file-abc"], &[], &[])
            )]),
        ),
        (
            "openai api audio.transcriptions.create -m whisper-1 -f call.mp3",
            json!([post(
                "openai",
                "https://api.openai.com/v1/audio/transcriptions",
                payload(&[], &[(&at("call.mp3"), false)], &[])
            )]),
        ),
        ("openai api files.list", json!([])),
        (
            "openai tools fine_tunes.prepare_data -f train.jsonl",
            json!([]),
        ),
    ]);
}

#[test]
fn anthropic_cli_requests() {
    run_table(&[
        // `@PATH` inlines a file into a value.
        (
            "ant messages create --model claude-opus-4-6 --max-tokens 1024 --message '{role: user, content: \"@notes.txt\"}'",
            json!([post(
                "ant",
                "https://api.anthropic.com/v1/messages",
                payload(
                    &[
                        "claude-opus-4-6",
                        "1024",
                        "{role: user, content: \"@notes.txt\"}"
                    ],
                    &[(&at("notes.txt"), false)],
                    &[]
                )
            )]),
        ),
        ("ant models list", json!([])),
        // Apache Ant's targets are not API resources.
        ("ant clean build", json!([])),
    ]);
}

#[test]
fn chat_clis_send_prompt_files_and_stdin() {
    run_table(&[
        // aichat: `-m CLIENT:MODEL`, `-f` a directory's tree.
        (
            "cat diff.txt | aichat -m claude:claude-3-5-sonnet -f src/ review",
            json!([
                read(&at("diff.txt")),
                post(
                    "aichat",
                    ANTHROPIC,
                    payload(
                        &["review"],
                        &[(&at("src"), true), (&at("diff.txt"), false)],
                        &[]
                    )
                )
            ]),
        ),
        // `-s` takes a session name only when one follows.
        (
            "aichat -s -m ollama:llama3 hello",
            json!([post(
                "aichat",
                "http://127.0.0.1:11434/api/chat",
                payload(&["hello"], &[], &[])
            )]),
        ),
        ("aichat --list-models", json!([])),
        (
            "cat .env | sgpt explain",
            json!([
                read(&at(".env")),
                post(
                    "sgpt",
                    OPENAI_CHAT,
                    payload(&["explain"], &[(&at(".env"), false)], &[])
                )
            ]),
        ),
        (
            "API_BASE_URL=https://llm.example.org/v1 sgpt --model gpt-4o hi",
            json!([post(
                "sgpt",
                "https://llm.example.org/v1/chat/completions",
                payload(&["hi"], &[], &[])
            )]),
        ),
        ("sgpt --list-chats", json!([])),
        (
            "cat notes.md | mods -a anthropic 'summarise this'",
            json!([
                read(&at("notes.md")),
                post(
                    "mods",
                    ANTHROPIC,
                    payload(&["summarise this"], &[(&at("notes.md"), false)], &[])
                )
            ]),
        ),
        ("mods -l", json!([])),
        // fabric: the pattern is not sent by name; `-o` writes the answer.
        (
            "cat report.txt | fabric -p summarize -o out.md",
            json!([
                read(&at("report.txt")),
                write(&at("out.md")),
                post(
                    "fabric",
                    OPENAI_CHAT,
                    payload(&[], &[(&at("report.txt"), false)], &[])
                )
            ]),
        ),
        ("fabric -l", json!([])),
    ]);
}

#[test]
fn gemini_prompts_send_the_paths_they_name() {
    run_table(&[
        (
            "gemini -p '@src/ @README.md summarise'",
            json!([post(
                "gemini",
                "https://generativelanguage.googleapis.com/v1beta/models",
                payload(
                    &["@src/ @README.md summarise"],
                    &[(&at("src"), true), (&at("README.md"), false)],
                    &[]
                )
            )]),
        ),
        // Interactive, and its own configuration: nothing on the line is sent.
        ("gemini -m gemini-2.5-pro", json!([])),
        ("gemini mcp add tools", json!([])),
    ]);
}

#[test]
fn ollama_run_goes_to_ollama_host() {
    run_table(&[
        (
            "ollama run llama3.1:8b \"$(cat data/customers.csv)\"",
            json!([
                read(&at("data/customers.csv")),
                post(
                    "ollama",
                    "http://127.0.0.1:11434/api/chat",
                    payload(
                        &["$(cat data/customers.csv)"],
                        &[(&at("data/customers.csv"), false)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "OLLAMA_HOST=https://ollama.gpu.example.net ollama run llama3.1:70b hi",
            json!([post(
                "ollama",
                "https://ollama.gpu.example.net/api/chat",
                payload(&["hi"], &[], &[])
            )]),
        ),
        // An image the prompt names by path is attached; standard input too.
        (
            "export OLLAMA_HOST=10.0.0.5:8080; cat notes.md | ollama run llava 'describe ./shot.png'",
            json!([
                read(&at("notes.md")),
                post(
                    "ollama",
                    "http://10.0.0.5:8080/api/chat",
                    payload(
                        &["describe ./shot.png"],
                        &[(&at("shot.png"), false), (&at("notes.md"), false)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "ollama create mine -f ./Modelfile",
            json!([post(
                "ollama",
                "http://127.0.0.1:11434/api/create",
                payload(&[], &[(&at("Modelfile"), false)], &[])
            )]),
        ),
        ("ollama list", json!([])),
    ]);
}

#[test]
fn hub_visibility_changes_make_repositories_public() {
    let repo = |slug: &str| json!({"kind": "repo", "host": "huggingface.co", "slug": slug});
    run_table(&[
        (
            "python -c \"from huggingface_hub import HfApi; HfApi().update_repo_settings(repo_id='acme/tickets', repo_type='dataset', private=False)\"",
            json!([make_public(repo("datasets/acme/tickets"))]),
        ),
        // `private` as the second argument; a model repository.
        (
            "python -c \"from huggingface_hub import update_repo_visibility as v; update_repo_visibility('acme/ranker', False)\"",
            json!([make_public(repo("acme/ranker"))]),
        ),
        // A repository id held in a name.
        (
            "python -c \"from huggingface_hub import HfApi; r = 'acme/demo'; HfApi().update_repo_settings(r, repo_type='space', private = False)\"",
            json!([make_public(repo("spaces/acme/demo"))]),
        ),
        // Made private, or only gated: nothing is exposed.
        (
            "python -c \"from huggingface_hub import HfApi; HfApi().update_repo_settings(repo_id='acme/tickets', private=True)\"",
            json!([]),
        ),
        (
            "python -c \"from huggingface_hub import HfApi; HfApi().update_repo_settings(repo_id='acme/tickets', gated='manual')\"",
            json!([]),
        ),
    ]);
}
