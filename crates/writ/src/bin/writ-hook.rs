//! `writ-hook AGENT [--server URL]`: `writ hook AGENT --server URL` in a
//! binary of its own.
//!
//! A coding agent starts a new process for every hook call, so the cost of
//! starting one is paid on every tool call. This binary links only the
//! remote hook path (the event's normalisation, a blocking HTTP client and
//! the agent's answer), so it starts in about half the time of `writ`,
//! whose start-up maps and relocates the whole product. It answers exactly
//! as `writ hook AGENT --server URL` does; `writ install AGENT --server URL`
//! configures it when it sits next to `writ`.

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use writ::hook::{Agent, run_remote};

#[derive(Parser)]
#[command(
    name = "writ-hook",
    version,
    about = "Answer a coding agent's hook through writ serve (token in WRIT_TOKEN)"
)]
struct Cli {
    #[arg(value_enum)]
    agent: HookAgent,
    /// The `writ serve` to decide through (default: $WRIT_SERVER).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum HookAgent {
    ClaudeCode,
    Codex,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let agent = match cli.agent {
        HookAgent::ClaudeCode => Agent::ClaudeCode,
        HookAgent::Codex => Agent::Codex,
    };
    run_remote(agent, cli.server.as_deref())
}
