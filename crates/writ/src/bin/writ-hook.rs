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

use clap::Parser;
use writ::hook::{Agent, run_remote};

#[derive(Parser)]
#[command(
    name = "writ-hook",
    version,
    about = "Answer a coding agent's hook through writ serve (token in WRIT_TOKEN)"
)]
struct Cli {
    #[arg(value_enum)]
    agent: Agent,
    /// The `writ serve` to decide through (default: $WRIT_SERVER).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    run_remote(cli.agent, cli.server.as_deref())
}
