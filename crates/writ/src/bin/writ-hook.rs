//! `writ-hook AGENT [--server URL]`: `writ hook AGENT` in a binary of its own.
//!
//! A coding agent starts a new process for every hook call, so the cost of
//! starting one is paid on every tool call. This binary links only what a
//! hook needs when something else decides: through `writ serve` (the
//! event's normalisation, a blocking HTTP client and the agent's answer),
//! or on the embedded store through its keeper (`writ::keeper`), falling
//! back to running `writ hook` when no keeper runs. So it starts in about
//! half the time of `writ`, whose start-up maps and relocates the whole
//! product. It answers exactly as `writ hook AGENT` does; `writ install
//! AGENT` configures it when it sits next to `writ`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use writ::hook::{Agent, run_remote};

#[derive(Parser)]
#[command(
    name = "writ-hook",
    version,
    about = "Answer a coding agent's hook: through writ serve (--server, token in WRIT_TOKEN) or on the embedded store"
)]
struct Cli {
    #[arg(value_enum)]
    agent: Agent,
    /// The `writ serve` to decide through (default: $WRIT_SERVER; without
    /// either, the embedded store decides).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// Deployment facts (embedded store only).
    #[arg(long, conflicts_with = "server")]
    deployment: Option<PathBuf>,
    /// Directory of .cedar policies (embedded store only).
    #[arg(long, conflicts_with = "server")]
    policy: Option<PathBuf>,
    /// The data directory (default: $WRIT_DATA_DIR, or .writ).
    #[arg(long, value_name = "DIR", conflicts_with = "server")]
    store: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let server = cli.server.or_else(|| std::env::var("WRIT_SERVER").ok());
    if server.is_some() {
        return run_remote(cli.agent, server.as_deref());
    }
    let dir = cli.store.unwrap_or_else(writ::defaults::default_data_dir);
    writ::keeper::run_slim(
        cli.agent,
        cli.deployment.as_deref(),
        cli.policy.as_deref(),
        &dir,
    )
}
