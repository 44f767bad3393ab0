//! Model CLIs: each sends its prompt, with the files and the standard input
//! it is given, to the model's provider: Simon Willison's `llm`, the
//! providers' API CLIs (`openai api ...`, Anthropic's `ant`), `aichat`,
//! `sgpt`, charmbracelet's `mods`, `fabric`, Google's `gemini -p`, and
//! `ollama run` (to the server `OLLAMA_HOST` names), and coding agents run
//! for one task ([`agents`]: `claude -p`, `codex exec`, `aider`).
//!
//! A prompt is a request to the provider's API, as `curl` to it is, so the
//! same data routes alike whichever form sends it. The provider follows
//! from the model (`-m claude-...` is Anthropic's API) or the vendor a
//! command names (`aichat -m claude:...`, `mods -a anthropic`); a model
//! writ cannot place goes where these tools send one by default, OpenAI's
//! API. A model that runs on this machine (a `gguf` or `mlx` plugin's)
//! sends nothing; Ollama's go to its server, which is local unless
//! `OLLAMA_HOST` says otherwise. Commands that manage keys, logs, models
//! or templates send nothing and are not reported.

mod agents;

use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::Arg;
use crate::{Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "llm" => Some(llm(inv)),
        "openai" => Some(openai(inv)),
        "ant" => anthropic(inv),
        "aichat" => Some(aichat(inv)),
        "sgpt" | "shell-gpt" => Some(sgpt(inv)),
        "mods" => Some(mods(inv)),
        "fabric" | "fabric-ai" => Some(fabric(inv)),
        "gemini" => Some(gemini(inv)),
        "ollama" => ollama(inv),
        "claude" => agents::claude(inv),
        "codex" => agents::codex(inv),
        "aider" => Some(agents::aider(inv)),
        _ => None,
    }
}

/// A model provider's API.
struct Provider {
    /// Names tools give the vendor (`mods -a anthropic`, `aichat -m claude:M`).
    vendors: &'static [&'static str],
    /// How its model names start (lower case).
    models: &'static [&'static str],
    /// Where a prompt goes.
    chat: &'static str,
    /// Where text to embed goes.
    embed: &'static str,
}

/// OpenAI's API: where a model no other provider claims goes.
const OPENAI: Provider = Provider {
    vendors: &["openai"],
    models: &[
        "gpt",
        "chatgpt",
        "o1",
        "o3",
        "o4",
        "4o",
        "4.1",
        "3.5",
        "davinci",
        "babbage",
        "ada",
        "3-small",
        "3-large",
        "text-embedding",
        "dall-e",
        "openai/",
    ],
    chat: "https://api.openai.com/v1/chat/completions",
    embed: "https://api.openai.com/v1/embeddings",
};

/// Hosted providers, by vendor name and model prefix; OpenRouter first, as
/// its model names carry another provider's (`openrouter/anthropic/...`).
const PROVIDERS: &[Provider] = &[
    Provider {
        vendors: &["openrouter"],
        models: &["openrouter/"],
        chat: "https://openrouter.ai/api/v1/chat/completions",
        embed: "https://openrouter.ai/api/v1/embeddings",
    },
    OPENAI,
    Provider {
        vendors: &["anthropic", "claude"],
        models: &["claude", "anthropic/"],
        chat: "https://api.anthropic.com/v1/messages",
        embed: "https://api.anthropic.com/v1/messages",
    },
    Provider {
        vendors: &["gemini", "google", "googleai"],
        models: &["gemini", "gemma", "google/", "text-embedding-004"],
        chat: "https://generativelanguage.googleapis.com/v1beta/models",
        embed: "https://generativelanguage.googleapis.com/v1beta/models",
    },
    Provider {
        vendors: &["vertexai", "vertex"],
        models: &["vertex/"],
        chat: "https://aiplatform.googleapis.com/v1",
        embed: "https://aiplatform.googleapis.com/v1",
    },
    // Amazon Bedrock's model ids name their vendor first (`anthropic.`,
    // `meta.`; `us.` for a cross-region profile), in the SDK's default
    // region unless the plugin is told another.
    Provider {
        vendors: &["bedrock"],
        models: &[
            "bedrock",
            "anthropic.",
            "amazon.",
            "meta.",
            "mistral.",
            "cohere.",
            "ai21.",
            "us.",
            "eu.",
            "apac.",
        ],
        chat: "https://bedrock-runtime.us-east-1.amazonaws.com/model",
        embed: "https://bedrock-runtime.us-east-1.amazonaws.com/model",
    },
    Provider {
        vendors: &["mistral"],
        models: &[
            "mistral",
            "codestral",
            "pixtral",
            "ministral",
            "magistral",
            "devstral",
            "open-mistral",
            "open-mixtral",
        ],
        chat: "https://api.mistral.ai/v1/chat/completions",
        embed: "https://api.mistral.ai/v1/embeddings",
    },
    Provider {
        vendors: &["groq"],
        models: &["groq/", "groq-"],
        chat: "https://api.groq.com/openai/v1/chat/completions",
        embed: "https://api.groq.com/openai/v1/embeddings",
    },
    Provider {
        vendors: &["deepseek"],
        models: &["deepseek"],
        chat: "https://api.deepseek.com/chat/completions",
        embed: "https://api.deepseek.com/embeddings",
    },
    Provider {
        vendors: &["cohere"],
        models: &[
            "command-r",
            "command-a",
            "cohere/",
            "embed-english",
            "embed-multilingual",
        ],
        chat: "https://api.cohere.com/v2/chat",
        embed: "https://api.cohere.com/v2/embed",
    },
    Provider {
        vendors: &["xai", "grok"],
        models: &["grok", "xai/"],
        chat: "https://api.x.ai/v1/chat/completions",
        embed: "https://api.x.ai/v1/embeddings",
    },
    Provider {
        vendors: &["perplexity"],
        models: &["sonar", "perplexity/"],
        chat: "https://api.perplexity.ai/chat/completions",
        embed: "https://api.perplexity.ai/embeddings",
    },
];

/// Models that run in this process, on this machine (the `gguf`, `mlx`,
/// `gpt4all`, `llamafile`, `sentence-transformers` and `clip` plugins,
/// the test models), and vendors that are local servers.
const LOCAL: &str = "gguf mlx gpt4all llamafile llama-cpp llamacpp llama.cpp \
    sentence-transformers clip markov echo mlc lmstudio lm-studio localai";

/// Where a model runs.
#[derive(Clone, Copy)]
enum Backend {
    /// A hosted provider's API.
    Api(&'static Provider),
    /// An Ollama server ([`ollama_url`]).
    Ollama,
    /// This machine: nothing leaves it.
    Local,
}

/// What a prompt is for: which of a provider's endpoints it goes to.
#[derive(Clone, Copy)]
enum Use {
    Chat,
    Embed,
}

/// The backend of a model name, `None` when writ cannot place it.
fn model_backend(model: &str) -> Option<Backend> {
    let name = model.trim().to_ascii_lowercase();
    if name.is_empty() || name.contains('$') {
        return None;
    }
    if name.starts_with("openrouter/") {
        return PROVIDERS.first().map(Backend::Api);
    }
    if name.starts_with("ollama") {
        return Some(Backend::Ollama);
    }
    if LOCAL.split_whitespace().any(|p| name.starts_with(p)) {
        return Some(Backend::Local);
    }
    // Ollama names its models with a tag (`llama3.1:8b`, `mistral:latest`),
    // and the plugins that reach it (llm-ollama) keep those names; Bedrock's
    // ids end in a version number (`anthropic.claude-3-haiku-...-v1:0`).
    if name
        .split_once(':')
        .is_some_and(|(_, tag)| !tag.is_empty() && !tag.chars().all(|c| c.is_ascii_digit()))
    {
        return Some(Backend::Ollama);
    }
    PROVIDERS
        .iter()
        .find(|p| p.models.iter().any(|m| name.starts_with(m)))
        .map(Backend::Api)
}

/// The backend a vendor name stands for (`mods -a NAME`, `fabric -V NAME`,
/// `aichat -m NAME:MODEL`).
fn vendor_backend(vendor: &str) -> Option<Backend> {
    let name = vendor.trim().to_ascii_lowercase();
    if name == "ollama" {
        return Some(Backend::Ollama);
    }
    if listed(LOCAL, &name) {
        return Some(Backend::Local);
    }
    PROVIDERS
        .iter()
        .find(|p| p.vendors.contains(&name.as_str()))
        .map(Backend::Api)
}

/// The request that sends `payload` to `backend`; a model on this machine
/// only reads the files it is given.
fn prompt_request(
    inv: &Invocation<'_>,
    backend: Backend,
    purpose: Use,
    payload: Payload,
) -> Vec<crate::Effect> {
    let target = match (backend, purpose) {
        (Backend::Api(provider), Use::Chat) => provider.chat.to_owned(),
        (Backend::Api(provider), Use::Embed) => provider.embed.to_owned(),
        (Backend::Ollama, Use::Chat) => ollama_url(inv, "api/chat"),
        (Backend::Ollama, Use::Embed) => ollama_url(inv, "api/embed"),
        (Backend::Local, _) => {
            return payload
                .files
                .into_iter()
                .map(|file| super::read(file.path, file.recursive))
                .collect();
        }
    };
    vec![request(inv.program, url(&target), "POST", payload, false)]
}

/// An environment variable's value when it is set and not empty.
fn env_text<'a>(inv: &'a Invocation<'_>, name: &str) -> Option<&'a str> {
    inv.env_value(name)
        .map(|v| v.text.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// `PATH` on the Ollama server `OLLAMA_HOST` names, as Ollama's clients
/// read it: `[scheme://]host[:port]`, http and port 11434 by default (80
/// and 443 for an explicit http or https without a port), this machine
/// when unset.
fn ollama_url(inv: &Invocation<'_>, path: &str) -> String {
    let setting = env_text(inv, "OLLAMA_HOST")
        .unwrap_or("127.0.0.1:11434")
        .trim();
    let (scheme, rest, default_port) = match setting.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => ("https", rest, "443"),
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => ("http", rest, "80"),
        Some((scheme, rest)) => (scheme, rest, "11434"),
        None => ("http", setting, "11434"),
    };
    let hostport = rest.split('/').next().unwrap_or_default();
    let has_port = match hostport.rsplit_once(':') {
        // `[::1]:11434`, `host:11434`; a bare IPv6 address has no port.
        Some((host, port)) => {
            !port.is_empty()
                && port.chars().all(|c| c.is_ascii_digit())
                && (!host.contains(':') || host.ends_with(']'))
        }
        None => false,
    };
    // The scheme's own port goes unwritten.
    let port = match default_port {
        "443" | "80" => String::new(),
        port => format!(":{port}"),
    };
    let hostport = match (hostport, has_port) {
        ("", _) => format!("127.0.0.1{port}"),
        (h, true) => h.to_owned(),
        (h, false) if h.contains(':') && !h.starts_with('[') => format!("[{h}]{port}"),
        (h, false) => format!("{h}{port}"),
    };
    format!("{scheme}://{hostport}/{path}")
}

/// How many words an option takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    Flag,
    One,
    /// Two (click's `type=(str, str)`: `llm -o KEY VALUE`).
    Two,
    /// The next word unless it is an option (clap's `num_args = 0..=1`:
    /// `aichat -s [SESSION]`).
    Optional,
    /// Every word up to the next option (yargs' arrays).
    Many,
}

/// A command's arguments as options with their values and positionals, by
/// the GNU conventions these CLIs share: options anywhere before `--`,
/// `--name=value`, `-xVALUE` and short flags clustered (`-nu`). An option
/// `takes` does not know is a flag.
struct Parsed<'a> {
    options: Vec<(String, Vec<Arg>)>,
    positionals: Vec<&'a Arg>,
}

impl Parsed<'_> {
    /// The values of every option called one of `names`, in order.
    fn values(&self, names: &[&str]) -> impl Iterator<Item = &[Arg]> {
        self.options
            .iter()
            .filter(move |(n, _)| names.contains(&n.as_str()))
            .map(|(_, v)| v.as_slice())
    }

    /// The first value of the last option called one of `names`.
    fn value(&self, names: &[&str]) -> Option<&Arg> {
        self.values(names).filter_map(<[Arg]>::first).last()
    }

    fn has(&self, names: &[&str]) -> bool {
        self.options
            .iter()
            .any(|(n, _)| names.contains(&n.as_str()))
    }

    /// True when an option among the space-separated `names` is present.
    fn has_listed(&self, names: &str) -> bool {
        self.options.iter().any(|(n, _)| listed(names, n))
    }

    /// The words of the line, the prompt most model CLIs send.
    fn words(&self) -> Payload {
        let mut payload = Payload::default();
        for word in &self.positionals {
            add_text(&mut payload, word);
        }
        payload
    }
}

/// A chat with `backend` sending `payload` and standard input.
fn chat(inv: &Invocation<'_>, backend: Backend, mut payload: Payload) -> Outcome {
    flow::merge(&mut payload, inv.stdin);
    let mut outcome = Outcome::default();
    outcome
        .effects
        .extend(prompt_request(inv, backend, Use::Chat, payload));
    outcome
}

/// True when `name` is one of the space-separated `names`.
fn listed(names: &str, name: &str) -> bool {
    names.split_whitespace().any(|n| n == name)
}

/// [`Takes::One`] for the options among the space-separated `names`.
fn one_of(names: &str, name: &str) -> Takes {
    if listed(names, name) {
        Takes::One
    } else {
        Takes::Flag
    }
}

fn parse<'a>(args: &'a [Arg], takes: impl Fn(&str) -> Takes) -> Parsed<'a> {
    let mut parsed = Parsed {
        options: Vec::new(),
        positionals: Vec::new(),
    };
    let mut iter = args.iter().peekable();
    let mut only_positionals = false;
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if only_positionals || text == "-" || !text.starts_with('-') {
            parsed.positionals.push(arg);
            continue;
        }
        if text == "--" {
            only_positionals = true;
            continue;
        }
        if text.starts_with("--") {
            let (name, attached) = match text.split_once('=') {
                Some((name, value)) => (name, Some(arg.with_text(value))),
                None => (text, None),
            };
            let values = take(takes(name), attached, &mut iter);
            parsed.options.push((name.to_owned(), values));
            continue;
        }
        let body = text.get(1..).unwrap_or_default();
        for (at, letter) in body.char_indices() {
            let name = format!("-{letter}");
            let kind = takes(&name);
            if kind == Takes::Flag {
                parsed.options.push((name, Vec::new()));
                continue;
            }
            let rest = body.get(at + letter.len_utf8()..).unwrap_or_default();
            let attached = (!rest.is_empty()).then(|| arg.with_text(rest));
            let values = take(kind, attached, &mut iter);
            parsed.options.push((name, values));
            break;
        }
    }
    parsed
}

/// The values an option of kind `kind` takes: `attached` (`--name=value`)
/// and the words after it.
fn take<'a>(
    kind: Takes,
    attached: Option<Arg>,
    rest: &mut std::iter::Peekable<impl Iterator<Item = &'a Arg>>,
) -> Vec<Arg> {
    let mut values: Vec<Arg> = attached.into_iter().collect();
    let wanted = match kind {
        Takes::Flag => 0,
        Takes::One | Takes::Optional => 1,
        Takes::Two => 2,
        Takes::Many => usize::MAX,
    };
    while values.len() < wanted {
        let next_is_option = rest
            .peek()
            .is_none_or(|a| a.text.starts_with('-') && a.text != "-");
        if matches!(kind, Takes::Optional | Takes::Many) && next_is_option {
            break;
        }
        match rest.next() {
            Some(arg) => values.push(arg.clone()),
            None => break,
        }
    }
    values
}

/// Adds what a word sends as text: the word and its expansions.
fn add_text(payload: &mut Payload, arg: &Arg) {
    flow::merge(payload, &arg.payload());
}

/// Adds a file the command reads and sends: `-` is standard input; a URL
/// is fetched by the tool or the provider, so only its text is sent.
fn add_file(inv: &Invocation<'_>, payload: &mut Payload, arg: &Arg, recursive: bool) {
    if arg.text == "-" {
        flow::merge(payload, inv.stdin);
    } else if arg.text.contains("://") {
        add_text(payload, arg);
    } else if !arg.text.is_empty() {
        flow::merge(payload, &arg.expansions());
        send_file(inv, payload, &arg.text, recursive);
    }
}

/// The options of `llm`'s prompt commands (`prompt`, `chat`) that take values.
fn llm_prompt_takes(name: &str) -> Takes {
    match name {
        "-o" | "--option" | "-p" | "--param" | "--at" | "--attachment-type" => Takes::Two,
        "-s" | "--system" | "-m" | "--model" | "-t" | "--template" | "-a" | "--attachment"
        | "-f" | "--fragment" | "--sf" | "--system-fragment" | "-T" | "--tool" | "--functions"
        | "-q" | "--query" | "-d" | "--database" | "--cid" | "--conversation" | "--key"
        | "--save" | "--schema" | "--schema-multi" | "--cl" | "--chain-limit" => Takes::One,
        _ => Takes::Flag,
    }
}

/// The options of `llm`'s embedding commands (`embed`, `embed-multi`,
/// `similar`) that take values: `-c` is content here, `-f` a format.
fn llm_embed_takes(name: &str) -> Takes {
    match name {
        "--files" | "--attach" => Takes::Two,
        "-i" | "--input" | "-m" | "--model" | "-d" | "--database" | "-c" | "--content"
        | "--metadata" | "-f" | "--format" | "--sql" | "--batch-size" | "--prefix"
        | "--encoding" | "-n" | "--number" => Takes::One,
        _ => Takes::Flag,
    }
}

/// `llm` subcommands (and plugins' command groups) that manage keys, logs,
/// models, templates and plugins on this machine: nothing is sent.
const LLM_LOCAL: &str = "keys logs models templates schemas tools aliases fragments plugins \
    embed-models collections openai anthropic gemini mistral openrouter ollama gguf mlx gpt4all \
    llamafile clip sentence-transformers uninstall --version --help";

/// Simon Willison's `llm`. Its default command, `prompt` (also `chat`
/// and the plugins' `cmd` and `jq`), sends the prompt, the system prompt
/// (`-s`), fragments (`-f`, `--sf`: a file, a URL, or `-` for standard
/// input), attachments (`-a`, `--at PATH TYPE`), template parameters and
/// standard input to the model's provider (`-m`, a `-q` search term,
/// `LLM_MODEL`, else the default, OpenAI's). `--save` only writes a
/// template. `embed` and `similar` send their content (`-c`, `-i FILE`,
/// standard input) and `embed-multi` its input file and `--files DIR
/// GLOB` trees to the embedding model's provider. `install` and `python`
/// run pip and Python in llm's environment.
fn llm(inv: &Invocation<'_>) -> Outcome {
    let first = inv
        .args
        .first()
        .map(|a| a.text.as_str())
        .unwrap_or_default();
    let (command, rest) = match first {
        "prompt" | "chat" | "cmd" | "jq" | "embed" | "embed-multi" | "similar" | "install"
        | "python" => (first, inv.args.get(1..).unwrap_or_default()),
        _ if listed(LLM_LOCAL, first) => return Outcome::default(),
        // Anything else is the default command's (`llm 'prompt'`, `llm -m M`).
        _ => ("prompt", inv.args),
    };
    let mut outcome = Outcome::default();
    match command {
        "install" => {
            let mut argv = vec![Arg::literal("pip"), Arg::literal("install")];
            argv.extend(rest.iter().cloned());
            outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: None,
            });
            return outcome;
        }
        "python" => {
            let mut argv = vec![Arg::literal("python")];
            argv.extend(rest.iter().cloned());
            outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: None,
            });
            return outcome;
        }
        _ => {}
    }
    let embeds = matches!(command, "embed" | "embed-multi" | "similar");
    let parsed = parse(
        rest,
        if embeds {
            llm_embed_takes
        } else {
            llm_prompt_takes
        },
    );
    let model = parsed
        .value(&["-m", "--model"])
        .map(|m| model_backend(&m.text))
        .or_else(|| {
            parsed
                .values(&["-q", "--query"])
                .flatten()
                .find_map(|q| model_backend(&q.text))
                .map(Some)
        })
        // `LLM_MODEL` is the default chat model, not the embedding one.
        .or_else(|| {
            env_text(inv, "LLM_MODEL")
                .filter(|_| !embeds)
                .map(model_backend)
        })
        .flatten()
        .unwrap_or(Backend::Api(&OPENAI));
    let mut payload = Payload::default();
    let effect = match command {
        "embed" | "similar" => {
            // `similar COLLECTION ID` compares a stored embedding: nothing to embed.
            let content = parsed.values(&["-c", "--content"]).flatten();
            let inputs: Vec<&Arg> = parsed.values(&["-i", "--input"]).flatten().collect();
            let mut any = false;
            for text in content {
                any = true;
                add_text(&mut payload, text);
            }
            for input in &inputs {
                any = true;
                add_file(inv, &mut payload, input, false);
            }
            if !any && command == "embed" && inv.has_stdin {
                any = true;
                flow::merge(&mut payload, inv.stdin);
            }
            if !any {
                return outcome;
            }
            prompt_request(inv, model, Use::Embed, payload)
        }
        "embed-multi" => {
            // `embed-multi COLLECTION [INPUT]`: a CSV, TSV or JSON file, `-` for stdin.
            if let Some(input) = parsed.positionals.get(1) {
                add_file(inv, &mut payload, input, false);
            }
            for files in parsed.values(&["--files"]) {
                if let Some(dir) = files.first() {
                    add_file(inv, &mut payload, dir, true);
                }
            }
            // `--sql` reads rows from the database and the ones it attaches.
            if parsed.has(&["--sql"]) {
                for database in parsed.values(&["-d", "--database"]).flatten() {
                    add_file(inv, &mut payload, database, false);
                }
                for attach in parsed.values(&["--attach"]) {
                    if let Some(file) = attach.get(1) {
                        add_file(inv, &mut payload, file, false);
                    }
                }
            }
            prompt_request(inv, model, Use::Embed, payload)
        }
        _ => {
            if parsed.has(&["--save"]) {
                return outcome;
            }
            for word in &parsed.positionals {
                add_text(&mut payload, word);
            }
            for (name, values) in &parsed.options {
                match name.as_str() {
                    "-s" | "--system" | "--key" | "--schema" | "--schema-multi" => {
                        values.iter().for_each(|v| add_text(&mut payload, v));
                    }
                    "-f" | "--fragment" | "--sf" | "--system-fragment" => {
                        for value in values {
                            fragment(inv, &mut payload, value);
                        }
                    }
                    "-a" | "--attachment" | "--at" | "--attachment-type" => {
                        if let Some(file) = values.first() {
                            add_file(inv, &mut payload, file, false);
                        }
                    }
                    "-p" | "--param" => {
                        if let Some(value) = values.get(1) {
                            add_text(&mut payload, value);
                        }
                    }
                    // A template given as a file rather than by name.
                    "-t" | "--template" => {
                        if let Some(file) = values.first().filter(|t| is_yaml_file(&t.text)) {
                            add_file(inv, &mut payload, file, false);
                        }
                    }
                    _ => {}
                }
            }
            flow::merge(&mut payload, inv.stdin);
            prompt_request(inv, model, Use::Chat, payload)
        }
    };
    outcome.effects.extend(effect);
    outcome
}

/// True for a template named by its file (`-t ./review.yaml`).
fn is_yaml_file(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// An `llm` fragment: `-` (standard input), a URL, a plugin's
/// `PREFIX:ARGUMENT` (`github:simonw/llm`, text the plugin resolves) or a
/// file; a stored fragment's alias or hash names nothing on disk and is
/// read as a file that is not there.
fn fragment(inv: &Invocation<'_>, payload: &mut Payload, value: &Arg) {
    let text = value.text.as_str();
    let plugin = text.split_once(':').is_some_and(|(prefix, _)| {
        prefix.len() > 1
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    });
    if plugin && !text.contains("://") {
        add_text(payload, value);
    } else {
        add_file(inv, payload, value, false);
    }
}

/// The `openai` CLI (the Python SDK's): `openai [GLOBAL] api
/// RESOURCE.METHOD [OPTIONS]` is a request to the API at `-b/--api-base`
/// (or `OPENAI_BASE_URL`) under the resource's path: `files.create -f
/// FILE` uploads FILE, `chat.completions.create -g ROLE TEXT` sends each
/// message, `completions.create -p` and `images.generate -p` their
/// prompt, `audio.*.create -f` and `images.edit -I/-M` their files,
/// `fine_tuning.jobs.create -F ID` the IDs of files uploaded before.
/// Listings and retrievals send nothing; the `tools` commands are local.
fn openai(inv: &Invocation<'_>) -> Outcome {
    let global = |name: &str| match name {
        "-b" | "--api-base" | "-k" | "--api-key" | "-p" | "--proxy" | "-o" | "--organization"
        | "-t" | "--api-type" | "--api-version" | "--azure-endpoint" | "--azure-ad-token" => {
            Takes::One
        }
        _ => Takes::Flag,
    };
    // The global options come before the command group.
    let mut api = 0;
    while let Some(arg) = inv.args.get(api) {
        if !arg.text.starts_with('-') {
            break;
        }
        let with_value = global(&arg.text) == Takes::One && !arg.text.contains('=');
        api += if with_value { 2 } else { 1 };
    }
    if inv.args.get(api).is_none_or(|a| a.text != "api") {
        return Outcome::default();
    }
    let globals = parse(inv.args.get(..api).unwrap_or_default(), global);
    let rest = inv.args.get(api + 1..).unwrap_or_default();
    let Some((method, options)) = rest.split_first() else {
        return Outcome::default();
    };
    let method = method.text.as_str();
    let Some((resource, verb)) = method.rsplit_once('.') else {
        return Outcome::default();
    };
    let http = match verb {
        "list" | "retrieve" | "list_events" | "content" | "download" => {
            return Outcome::default();
        }
        "delete" => "DELETE",
        _ => "POST",
    };
    let takes = |name: &str| match name {
        "-g" | "--message" => Takes::Two,
        "--stream" | "--echo" => Takes::Flag,
        _ => Takes::One,
    };
    let parsed = parse(options, takes);
    let mut payload = Payload::default();
    for (name, values) in &parsed.options {
        let file = match (resource, name.as_str()) {
            (_, "-g" | "--message") => {
                if let Some(content) = values.get(1) {
                    add_text(&mut payload, content);
                }
                continue;
            }
            ("files" | "audio.transcriptions" | "audio.translations", "-f" | "--file")
            | ("images", "-I" | "--image" | "-M" | "--mask") => true,
            (
                _,
                "-p" | "--prompt" | "--suffix" | "-F" | "--training-file" | "-V"
                | "--validation-file" | "-H" | "--hyperparameters" | "-i" | "--id",
            ) if resource != "files" || name != "-p" => false,
            _ => continue,
        };
        for value in values {
            if file {
                add_file(inv, &mut payload, value, false);
            } else {
                add_text(&mut payload, value);
            }
        }
    }
    for key in globals
        .values(&["-k", "--api-key", "--azure-ad-token"])
        .flatten()
    {
        add_text(&mut payload, key);
    }
    let base = globals
        .value(&["-b", "--api-base", "--azure-endpoint"])
        .map(|b| b.text.clone())
        .or_else(|| env_text(inv, "OPENAI_BASE_URL").map(str::to_owned))
        .unwrap_or_else(|| "https://api.openai.com/v1".to_owned());
    let path = resource.replace('.', "/");
    let target = format!("{}/{path}", base.trim_end_matches('/'));
    Outcome::default().effect(request(inv.program, url(&target), http, payload, false))
}

/// Anthropic's `ant` CLI: `ant RESOURCE[:SUB] ACTION [FLAGS]` is a request
/// to the Claude API (`--base-url` or `ANTHROPIC_BASE_URL`), its body the
/// flags' values and the YAML or JSON piped in, where `@PATH` in a value
/// inlines that file. Listings and retrievals send nothing. Apache Ant,
/// also `ant`, names build targets, not API resources: it is not read.
fn anthropic(inv: &Invocation<'_>) -> Option<Outcome> {
    let takes = |name: &str| match name {
        "-r" | "--raw-output" | "--debug" | "-h" | "--help" | "--version" => Takes::Flag,
        _ => Takes::One,
    };
    let parsed = parse(inv.args, takes);
    let (resource, action) = match parsed.positionals.as_slice() {
        [resource, action, ..] => (resource.text.as_str(), action.text.as_str()),
        _ => return None,
    };
    let base = resource
        .split(':')
        .find(|s| *s != "beta")
        .unwrap_or_default();
    let api = resource.starts_with("beta:")
        || matches!(
            base,
            "messages" | "models" | "completions" | "files" | "skills"
        );
    if !api {
        return None;
    }
    if matches!(action, "list" | "retrieve" | "results" | "download") {
        return Some(Outcome::default());
    }
    let mut payload = Payload::default();
    for (name, values) in &parsed.options {
        if matches!(
            name.as_str(),
            "--base-url" | "--format" | "--transform" | "--profile"
        ) {
            continue;
        }
        for value in values {
            add_text(&mut payload, value);
            for path in inlined_files(&value.text) {
                send_file(inv, &mut payload, path, false);
            }
        }
    }
    flow::merge(&mut payload, inv.stdin);
    let base = parsed
        .value(&["--base-url"])
        .map(|b| b.text.clone())
        .or_else(|| env_text(inv, "ANTHROPIC_BASE_URL").map(str::to_owned))
        .unwrap_or_else(|| "https://api.anthropic.com".to_owned());
    let path = resource
        .split(':')
        .filter(|s| *s != "beta")
        .collect::<Vec<_>>()
        .join("/");
    let target = format!("{}/v1/{path}", base.trim_end_matches('/'));
    let method = if matches!(action, "delete" | "archive") {
        "DELETE"
    } else {
        "POST"
    };
    Some(Outcome::default().effect(request(inv.program, url(&target), method, payload, false)))
}

/// The files a value inlines with `@PATH` (a word that starts with `@`,
/// within quotes, braces or brackets).
fn inlined_files(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '{' | '}' | '[' | ']'))
        .filter_map(|word| word.strip_prefix('@'))
        .filter(|path| !path.is_empty() && !path.contains('@'))
}

/// sigoden's `aichat [OPTIONS] [TEXT]...`: the text, `--prompt` (the
/// system prompt), `-f` files (a directory's tree, or a URL aichat
/// fetches) and standard input go to the client `-m CLIENT:MODEL` names.
/// `--dry-run`, `--info`, the listings and `--serve` send nothing.
fn aichat(inv: &Invocation<'_>) -> Outcome {
    let takes = |name: &str| match name {
        "-m" | "--model" | "--prompt" | "-r" | "--role" | "-a" | "--agent" | "--rag"
        | "--macro" | "-f" | "--file" => Takes::One,
        "--agent-variable" => Takes::Two,
        "-s" | "--session" | "--serve" => Takes::Optional,
        _ => Takes::Flag,
    };
    let parsed = parse(inv.args, takes);
    let local = parsed
        .options
        .iter()
        .any(|(name, _)| name.starts_with("--list-"))
        || parsed.has_listed("--dry-run --info --serve --sync-models -h --help -V --version");
    if local {
        return Outcome::default();
    }
    let backend = match parsed.value(&["-m", "--model"]) {
        Some(model) => match model.text.split_once(':') {
            Some((client, name)) => vendor_backend(client).or_else(|| model_backend(name)),
            None => vendor_backend(&model.text).or_else(|| model_backend(&model.text)),
        },
        None => None,
    }
    .unwrap_or(Backend::Api(&OPENAI));
    let mut payload = parsed.words();
    for value in parsed.values(&["--prompt"]).flatten() {
        add_text(&mut payload, value);
    }
    for file in parsed.values(&["-f", "--file"]).flatten() {
        add_file(inv, &mut payload, file, true);
    }
    chat(inv, backend, payload)
}

/// `sgpt`/`shell-gpt [OPTIONS] [PROMPT]`: the prompt and standard input
/// go to OpenAI's API or the one `API_BASE_URL` (or `OPENAI_BASE_URL`)
/// names. Showing and listing chats and roles sends nothing.
fn sgpt(inv: &Invocation<'_>) -> Outcome {
    const VALUES: &str = "--model --temperature --top-p --chat --repl --show-chat --role \
        --create-role --show-role";
    const LOCAL: &str = "--show-chat --list-chats -lc --list-roles -lr --show-role \
        --create-role --install-integration --install-functions --version --help";
    let parsed = parse(inv.args, |name| one_of(VALUES, name));
    if parsed.has_listed(LOCAL) {
        return Outcome::default();
    }
    let mut payload = parsed.words();
    flow::merge(&mut payload, inv.stdin);
    let base = ["API_BASE_URL", "OPENAI_BASE_URL"]
        .iter()
        .find_map(|name| env_text(inv, name).filter(|v| *v != "default"))
        .map(|base| format!("{}/chat/completions", base.trim_end_matches('/')));
    let target = base.unwrap_or_else(|| OPENAI.chat.to_owned());
    Outcome::default().effect(request(inv.program, url(&target), "POST", payload, false))
}

/// charmbracelet's `mods [OPTIONS] [PREFIX TERM]`: the words and standard
/// input go to the API `-a/--api` names, else the model's provider
/// (OpenAI's by default). Listing, showing and deleting conversations and
/// the settings commands send nothing.
fn mods(inv: &Invocation<'_>) -> Outcome {
    const VALUES: &str = "-m --model -a --api --format-as -P --prompt -c --continue -t --title \
        -d --delete -s --show --delete-older-than --max-retries --max-tokens --word-wrap --temp \
        --stop --topp --topk --fanciness --status-text -x --http-proxy --theme -R --role \
        --mcp-disable --mcp-timeout";
    const LOCAL: &str = "-l --list -d --delete -s --show -S --show-last --delete-older-than \
        --settings --dirs --reset-settings --list-roles --mcp-list --mcp-list-tools -v \
        --version -h --help";
    let parsed = parse(inv.args, |name| one_of(VALUES, name));
    if parsed.has_listed(LOCAL) {
        return Outcome::default();
    }
    let backend = parsed
        .value(&["-a", "--api"])
        .and_then(|api| vendor_backend(&api.text))
        .or_else(|| {
            parsed
                .value(&["-m", "--model"])
                .and_then(|m| model_backend(&m.text))
        })
        .unwrap_or(Backend::Api(&OPENAI));
    chat(inv, backend, parsed.words())
}

/// Daniel Miessler's `fabric`: the message, the pattern's variables,
/// `-a` attachments and standard input go to the vendor `-V` names, else
/// the model's (`-m`), else OpenAI's; `-o FILE` writes the answer. The
/// listings, setup, updates, `--dry-run` and `--serve` send nothing.
fn fabric(inv: &Invocation<'_>) -> Outcome {
    const VALUES: &str = "-p --pattern -v --variable -C --context --session -a --attachment \
        -t --temperature -T --topp -P --presencepenalty -F --frequencypenalty -m --model \
        -V --vendor --modelContextLength -o --output --output-session -n --latest \
        -d --changeDefaultModel -y --youtube -g --language -u --scrape_url \
        -q --scrape_question -e --seed -w --wipecontext -W --wipesession --printcontext \
        --printsession --address --api-key --config --addextension --rmextension --strategy \
        --search-location --image-file --image-size --image-quality --image-compression \
        --image-background --voice --think-start-tag --think-end-tag --thinking \
        --notification-command --shell-complete-list";
    const LOCAL: &str = "-l --listpatterns -L --listmodels -x --listcontexts -X \
        --listsessions -U --updatepatterns -S --setup -d --changeDefaultModel -w \
        --wipecontext -W --wipesession --printcontext --printsession --dry-run --serve \
        --serveOllama --version --listextensions --liststrategies --listvendors \
        --list-gemini-voices -h --help";
    let parsed = parse(inv.args, |name| one_of(VALUES, name));
    let local = parsed.has_listed(LOCAL);
    if local {
        return Outcome::default();
    }
    let backend = parsed
        .value(&["-V", "--vendor"])
        .and_then(|v| vendor_backend(&v.text))
        .or_else(|| {
            parsed
                .value(&["-m", "--model"])
                .and_then(|m| model_backend(&m.text))
        })
        .unwrap_or(Backend::Api(&OPENAI));
    let mut payload = Payload::default();
    let mut outcome = Outcome::default();
    for word in &parsed.positionals {
        add_text(&mut payload, word);
    }
    for (name, values) in &parsed.options {
        match name.as_str() {
            "-v" | "--variable" | "--api-key" => {
                values.iter().for_each(|v| add_text(&mut payload, v));
            }
            "-a" | "--attachment" => values
                .iter()
                .for_each(|v| add_file(inv, &mut payload, v, false)),
            "-o" | "--output" => values
                .iter()
                .for_each(|v| outcome.write(inv.path(&v.text), false)),
            _ => {}
        }
    }
    flow::merge(&mut payload, inv.stdin);
    outcome
        .effects
        .extend(prompt_request(inv, backend, Use::Chat, payload));
    outcome
}

/// Google's `gemini` CLI run with a prompt (`-p`, `-i`, or the query as
/// words): the prompt, the files and directories it names with `@PATH`,
/// the whole working directory with `-a/--all-files`, and standard input
/// go to the Gemini API (`GOOGLE_GEMINI_BASE_URL`; Vertex AI when
/// `GOOGLE_GENAI_USE_VERTEXAI` is true). Without a prompt it is an
/// interactive session whose input is not on the line; its `mcp` and
/// `extensions` commands are local.
fn gemini(inv: &Invocation<'_>) -> Outcome {
    let takes = |name: &str| match name {
        "-m"
        | "--model"
        | "-p"
        | "--prompt"
        | "-i"
        | "--prompt-interactive"
        | "--sandbox-image"
        | "--approval-mode"
        | "--telemetry-target"
        | "--telemetry-otlp-endpoint"
        | "--telemetry-otlp-protocol"
        | "--telemetry-outfile"
        | "-o"
        | "--output-format"
        | "--proxy"
        | "-r"
        | "--resume" => Takes::One,
        "-e"
        | "--extensions"
        | "--include-directories"
        | "--allowed-mcp-server-names"
        | "--allowed-tools" => Takes::Many,
        _ => Takes::Flag,
    };
    let parsed = parse(inv.args, takes);
    if matches!(
        parsed.positionals.first().map(|a| a.text.as_str()),
        Some("mcp" | "extensions" | "extension")
    ) || parsed.has(&["-v", "--version", "-h", "--help", "-l", "--list-extensions"])
    {
        return Outcome::default();
    }
    let prompts: Vec<&Arg> = parsed
        .values(&["-p", "--prompt", "-i", "--prompt-interactive"])
        .flatten()
        .chain(parsed.positionals.iter().copied())
        .collect();
    if prompts.is_empty() && !inv.has_stdin {
        return Outcome::default();
    }
    let mut payload = Payload::default();
    for prompt in &prompts {
        add_text(&mut payload, prompt);
        for path in prompt
            .text
            .split_whitespace()
            .filter_map(|w| w.strip_prefix('@'))
        {
            let path = path.trim_end_matches(['.', ',', ';', ')', '?', '!']);
            if !path.is_empty() {
                let last = path
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(path);
                send_file(inv, &mut payload, path, !last.contains('.'));
            }
        }
    }
    if parsed.has(&["-a", "--all-files"]) {
        send_file(inv, &mut payload, ".", true);
    }
    flow::merge(&mut payload, inv.stdin);
    let vertex = env_text(inv, "GOOGLE_GENAI_USE_VERTEXAI")
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    let target = match env_text(inv, "GOOGLE_GEMINI_BASE_URL") {
        Some(base) => base.to_owned(),
        None if vertex => "https://aiplatform.googleapis.com/v1".to_owned(),
        None => "https://generativelanguage.googleapis.com/v1beta/models".to_owned(),
    };
    Outcome::default().effect(request(inv.program, url(&target), "POST", payload, false))
}

/// `ollama run MODEL [PROMPT...]` sends the prompt, standard input and the
/// images the prompt names by path (`./x.png`, `/tmp/y.jpg`) to the
/// server `OLLAMA_HOST` names ([`ollama_url`]); `ollama create NAME -f
/// MODELFILE` sends the Modelfile (`./Modelfile` by default). Its other
/// commands are left to the model registries' module (`ollama push`).
fn ollama(inv: &Invocation<'_>) -> Option<Outcome> {
    let takes = |name: &str| match name {
        "--format" | "--keepalive" | "--dimensions" | "-f" | "--file" | "-q" | "--quantize"
        | "--width" | "--height" | "--steps" => Takes::One,
        _ => Takes::Flag,
    };
    let parsed = parse(inv.args, takes);
    let (verb, rest) = parsed.positionals.split_first()?;
    let mut payload = Payload::default();
    let path = match verb.text.as_str() {
        "run" => {
            for word in rest.iter().skip(1) {
                add_text(&mut payload, word);
                for image in word.text.split_whitespace().filter(|w| is_image_path(w)) {
                    send_file(inv, &mut payload, image, false);
                }
            }
            flow::merge(&mut payload, inv.stdin);
            "api/chat"
        }
        "create" => {
            let file = parsed.value(&["-f", "--file"]);
            match file {
                Some(file) => add_file(inv, &mut payload, file, false),
                None => send_file(inv, &mut payload, "Modelfile", false),
            }
            "api/create"
        }
        _ => return None,
    };
    let target = ollama_url(inv, path);
    Some(Outcome::default().effect(request(inv.program, url(&target), "POST", payload, false)))
}

/// A word of an Ollama prompt its CLI reads as an image to attach: a path
/// from `./` or `/` ending in `.jpg`, `.jpeg`, `.png` or `.webp`.
fn is_image_path(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    (lower.starts_with("./") || lower.starts_with('/'))
        && [".jpg", ".jpeg", ".png", ".webp"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}
