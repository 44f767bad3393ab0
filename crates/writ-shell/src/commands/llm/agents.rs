//! Coding agents' command lines run for one task: Claude Code's print mode
//! (`claude -p`), OpenAI's `codex exec`, and `aider` with the files it is
//! given. Each sends its prompt, the files it is told to include and
//! (Claude Code's, Codex's) standard input to its model's provider, as the
//! other model CLIs do; what the agent then does with its own tools is a
//! session of its own, not on this line.

use super::{
    Backend, OPENAI, Parsed, Takes, add_file, add_text, env_text, listed, model_backend, parse,
    prompt_request, vendor_backend,
};
use crate::commands::{Invocation, Outcome, request, url};
use crate::{Payload, flow};

/// Claude Code's subcommands, which manage it on this machine.
const CLAUDE_LOCAL: &str = "mcp config update doctor install migrate-installer setup-token \
    plugin plugins";

/// Claude Code's options that take a value.
const CLAUDE_VALUES: &str = "--output-format --input-format --model --fallback-model \
    --append-system-prompt --system-prompt --system-prompt-file --append-system-prompt-file \
    --max-turns --permission-mode --permission-prompt-tool --settings --session-id --agents \
    --agent --setting-sources --max-budget-usd --json-schema --plugin-dir --allowedTools \
    --allowed-tools --disallowedTools --disallowed-tools --tools --add-dir --mcp-config --betas";

/// `claude [OPTIONS] [PROMPT]`: with `-p/--print` (or a prompt, which an
/// interactive session sends first) the prompt, the system prompts given
/// as text or files, and standard input go to Anthropic's API
/// (`ANTHROPIC_BASE_URL`; Bedrock or Vertex AI when `CLAUDE_CODE_USE_BEDROCK`
/// or `CLAUDE_CODE_USE_VERTEX` is set). Its management subcommands are
/// left to the generic reading; a bare session sends nothing on the line.
pub(super) fn claude(inv: &Invocation<'_>) -> Option<Outcome> {
    let takes = |name: &str| match name {
        "-r" | "--resume" | "--debug" => Takes::Optional,
        _ if listed(CLAUDE_VALUES, name) => Takes::One,
        _ => Takes::Flag,
    };
    let parsed = parse(inv.args, takes);
    if let Some(first) = parsed.positionals.first()
        && listed(CLAUDE_LOCAL, &first.text)
    {
        return (first.text == "mcp").then(|| claude_mcp(inv)).flatten();
    }
    if parsed.has(&["-v", "--version", "-h", "--help"]) {
        return Some(Outcome::default());
    }
    let print = parsed.has(&["-p", "--print"]);
    if !print && parsed.positionals.is_empty() {
        return Some(Outcome::default());
    }
    let mut payload = parsed.words();
    for text in parsed
        .values(&["--system-prompt", "--append-system-prompt"])
        .flatten()
    {
        add_text(&mut payload, text);
    }
    for file in parsed
        .values(&["--system-prompt-file", "--append-system-prompt-file"])
        .flatten()
    {
        add_file(inv, &mut payload, file, false);
    }
    flow::merge(&mut payload, inv.stdin);
    let enabled = |name: &str| {
        env_text(inv, name).is_some_and(|v| !matches!(v.trim(), "0" | "false" | "FALSE"))
    };
    let cloud = if enabled("CLAUDE_CODE_USE_BEDROCK") {
        vendor_backend("bedrock")
    } else if enabled("CLAUDE_CODE_USE_VERTEX") {
        vendor_backend("vertex")
    } else {
        None
    };
    if let Some(backend) = cloud {
        let mut outcome = Outcome::default();
        outcome
            .effects
            .extend(prompt_request(inv, backend, super::Use::Chat, payload));
        return Some(outcome);
    }
    let base = env_text(inv, "ANTHROPIC_BASE_URL").unwrap_or("https://api.anthropic.com");
    let target = format!("{}/v1/messages", base.trim().trim_end_matches('/'));
    Some(Outcome::default().effect(request(inv.program, url(&target), "POST", payload, false)))
}

/// `claude mcp add|add-json|add-from-claude-desktop|remove NAME ... [-s
/// local|user|project]` records an MCP server in Claude Code's
/// configuration: the project's `.mcp.json` for the `project` scope, else
/// `~/.claude.json`. `list`, `get` and `serve` change nothing.
fn claude_mcp(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = after_subcommand(inv, "mcp")?;
    let verb = words.iter().find(|w| !w.text.starts_with('-'))?;
    if !matches!(
        verb.text.as_str(),
        "add" | "add-json" | "add-from-claude-desktop" | "remove"
    ) {
        return Some(Outcome::default());
    }
    let scope = option_value(words, "-s", "--scope");
    let path = match scope.as_deref() {
        Some("project") => inv.path(".mcp.json"),
        _ => inv.path("~/.claude.json"),
    };
    let mut outcome = Outcome::default();
    outcome.write(path, false);
    Some(outcome)
}

/// `codex mcp add|remove NAME ...` records an MCP server in Codex's
/// configuration, `config.toml` under `CODEX_HOME` (else `~/.codex`).
fn codex_mcp(inv: &Invocation<'_>) -> Outcome {
    let verb = after_subcommand(inv, "mcp")
        .and_then(|words| words.iter().find(|w| !w.text.starts_with('-')));
    let mut outcome = Outcome::default();
    if verb.is_some_and(|v| matches!(v.text.as_str(), "add" | "remove")) {
        let home = env_text(inv, "CODEX_HOME").unwrap_or("~/.codex");
        let config = format!("{}/config.toml", home.trim_end_matches('/'));
        outcome.write(inv.path(&config), false);
    }
    outcome
}

/// The words after the first `subcommand` word of the line.
fn after_subcommand<'a>(
    inv: &'a Invocation<'_>,
    subcommand: &str,
) -> Option<&'a [crate::args::Arg]> {
    let at = inv.args.iter().position(|a| a.text == subcommand)?;
    inv.args.get(at + 1..)
}

/// The value of `short VALUE`, `long VALUE` or `long=VALUE` among `words`.
fn option_value(words: &[crate::args::Arg], short: &str, long: &str) -> Option<String> {
    words.iter().enumerate().find_map(|(i, word)| {
        if word.text == short || word.text == long {
            return words.get(i + 1).map(|v| v.text.clone());
        }
        word.text
            .strip_prefix(long)
            .and_then(|rest| rest.strip_prefix('='))
            .map(str::to_owned)
    })
}

/// Codex's subcommands other than `exec`, which run locally or start
/// servers and sessions whose input is not on the line.
const CODEX_LOCAL: &str = "login logout mcp mcp-server app-server proto completion apply a \
    sandbox debug cloud features resume help";

/// Codex's options that take a value.
const CODEX_VALUES: &str = "-m --model -c --config -p --profile -s --sandbox -a \
    --ask-for-approval -C --cd -i --image --add-dir -o --output-last-message --output-schema \
    --color --local-provider";

/// OpenAI's `codex [exec|e] [OPTIONS] [PROMPT]`: the prompt (standard input
/// when it is `-` or absent, and piped input besides), the images (`-i`)
/// and the output schema (`--output-schema`) go to OpenAI's API, or to the
/// local Ollama server with `--oss`; `-o FILE` writes the last answer.
pub(super) fn codex(inv: &Invocation<'_>) -> Option<Outcome> {
    let parsed = parse(inv.args, |name| match name {
        _ if listed(CODEX_VALUES, name) => Takes::One,
        _ => Takes::Flag,
    });
    let mut prompts = parsed.positionals.as_slice();
    if let Some((first, rest)) = prompts.split_first() {
        match first.text.as_str() {
            "exec" | "e" => prompts = rest,
            "mcp" => return Some(codex_mcp(inv)),
            word if listed(CODEX_LOCAL, word) => return Some(Outcome::default()),
            _ => {}
        }
    }
    let exec = parsed.positionals.len() != prompts.len();
    if parsed.has(&["-V", "--version", "-h", "--help"]) || (!exec && prompts.is_empty()) {
        return Some(Outcome::default());
    }
    let mut payload = Payload::default();
    for prompt in prompts.iter().filter(|p| p.text != "-") {
        add_text(&mut payload, prompt);
    }
    for file in parsed
        .values(&["-i", "--image", "--output-schema"])
        .flatten()
    {
        for path in file.text.split(',').filter(|p| !p.is_empty()) {
            add_file(inv, &mut payload, &file.with_text(path), false);
        }
    }
    let mut outcome = Outcome::default();
    for file in parsed.values(&["-o", "--output-last-message"]).flatten() {
        outcome.write(inv.path(&file.text), false);
    }
    flow::merge(&mut payload, inv.stdin);
    let backend = if parsed.has(&["--oss"]) {
        Backend::Ollama
    } else {
        Backend::Api(&OPENAI)
    };
    outcome
        .effects
        .extend(prompt_request(inv, backend, super::Use::Chat, payload));
    Some(outcome)
}

/// aider's options that take a value.
const AIDER_VALUES: &str = "--model --weak-model --editor-model --editor-edit-format \
    --edit-format --chat-mode --openai-api-key --anthropic-api-key --openai-api-base \
    --openai-api-type --openai-api-version --openai-api-deployment-id --openai-organization-id \
    --set-env --api-key --list-models --models --model-settings-file --model-metadata-file \
    --alias --reasoning-effort --thinking-tokens --max-chat-history-tokens \
    --cache-keepalive-pings --map-tokens --map-refresh --map-multiplier-no-files \
    --input-history-file --chat-history-file --llm-history-file --user-input-color \
    --tool-output-color --tool-error-color --tool-warning-color --assistant-output-color \
    --completion-menu-color --completion-menu-bg-color --completion-menu-current-color \
    --completion-menu-current-bg-color --code-theme --aiderignore --commit-prompt --test-cmd \
    --lint-cmd --chat-language --commit-language --file --read --load --encoding \
    --line-endings -c --config --env-file -m --msg --message -f --message-file \
    --voice-format --voice-language --voice-input-device --timeout --editor \
    --shell-completions --notifications-command --analytics-log --analytics-posthog-host \
    --analytics-posthog-project-api-key";

/// aider's options that only print or set up on this machine.
const AIDER_LOCAL: &str = "-h --help --version --list-models --models --just-check-update \
    --check-update --upgrade --update --install-main-branch --shell-completions";

/// aider's model shortcuts (`--sonnet`, `--4o`) and aliases (`--model
/// sonnet`), by the vendor they choose.
const AIDER_SHORTCUTS: &[(&str, &str)] = &[
    ("sonnet", "anthropic"),
    ("opus", "anthropic"),
    ("haiku", "anthropic"),
    ("4o", "openai"),
    ("4", "openai"),
    ("4-turbo", "openai"),
    ("35turbo", "openai"),
    ("35-turbo", "openai"),
    ("3", "openai"),
    ("mini", "openai"),
    ("o1-mini", "openai"),
    ("o1-preview", "openai"),
    ("o3", "openai"),
    ("o3-mini", "openai"),
    ("o4-mini", "openai"),
    ("deepseek", "deepseek"),
    ("r1", "deepseek"),
    ("flash", "gemini"),
    ("gemini", "gemini"),
    ("gemini-exp", "gemini"),
    ("grok3", "xai"),
    ("optimus", "openrouter"),
    ("quasar", "openrouter"),
];

/// `aider [OPTIONS] [FILES...]`: the files it edits (positionals, `--file`)
/// and reads (`--read`), the message (`-m`, `--message-file`) and the keys
/// it is given go to the model's provider: `--model` (a name, an alias or
/// litellm's `vendor/model`), a shortcut (`--sonnet`, `--4o`), else
/// Anthropic's when `ANTHROPIC_API_KEY` is set and OpenAI's otherwise, or
/// `--openai-api-base`. The files it edits are written.
pub(super) fn aider(inv: &Invocation<'_>) -> Outcome {
    let parsed = parse(inv.args, |name| {
        if listed(AIDER_VALUES, name) {
            Takes::One
        } else {
            Takes::Flag
        }
    });
    if parsed.has_listed(AIDER_LOCAL) {
        return Outcome::default();
    }
    let mut payload = Payload::default();
    let mut outcome = Outcome::default();
    for (name, values) in &parsed.options {
        match name.as_str() {
            "-m"
            | "--msg"
            | "--message"
            | "--openai-api-key"
            | "--anthropic-api-key"
            | "--api-key"
            | "--set-env" => values.iter().for_each(|v| add_text(&mut payload, v)),
            "-f" | "--message-file" | "--read" => values
                .iter()
                .for_each(|v| add_file(inv, &mut payload, v, false)),
            "--file" => {
                for file in values {
                    add_file(inv, &mut payload, file, false);
                    outcome.write(inv.path(&file.text), false);
                }
            }
            _ => {}
        }
    }
    for file in &parsed.positionals {
        add_file(inv, &mut payload, file, false);
        outcome.write(inv.path(&file.text), false);
    }
    let backend = aider_target(inv, &parsed);
    let base = parsed
        .value(&["--openai-api-base"])
        .map(|b| b.text.as_str())
        .or_else(|| env_text(inv, "OPENAI_API_BASE"))
        .filter(|_| matches!(backend, Backend::Api(p) if p.chat == OPENAI.chat));
    match base {
        Some(base) => {
            let target = format!("{}/chat/completions", base.trim().trim_end_matches('/'));
            outcome
                .effects
                .push(request(inv.program, url(&target), "POST", payload, false));
        }
        None => outcome
            .effects
            .extend(prompt_request(inv, backend, super::Use::Chat, payload)),
    }
    outcome
}

/// The backend aider's options (or the keys in its environment) choose.
fn aider_target(inv: &Invocation<'_>, parsed: &Parsed<'_>) -> Backend {
    let shortcut = parsed.options.iter().rev().find_map(|(name, _)| {
        let name = name.trim_start_matches('-');
        AIDER_SHORTCUTS
            .iter()
            .find(|(alias, _)| *alias == name)
            .and_then(|(_, vendor)| vendor_backend(vendor))
    });
    let model = parsed.value(&["--model"]).and_then(|model| {
        let name = model.text.trim().to_ascii_lowercase();
        AIDER_SHORTCUTS
            .iter()
            .find(|(alias, _)| *alias == name)
            .and_then(|(_, vendor)| vendor_backend(vendor))
            .or_else(|| match name.split_once('/') {
                // litellm's `vendor/model`: `anthropic/claude-...`, `ollama_chat/llama3`.
                Some((vendor, _)) => vendor_backend(vendor.trim_end_matches("_chat"))
                    .or_else(|| model_backend(&name)),
                None => model_backend(&name),
            })
    });
    model
        .or(shortcut)
        .or_else(|| {
            env_text(inv, "ANTHROPIC_API_KEY")
                .is_some()
                .then(|| vendor_backend("anthropic"))
                .flatten()
        })
        .unwrap_or(Backend::Api(&OPENAI))
}
