//! `writ`: the firewall AI agents' actions pass through.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
mod approvals_cmd;
mod bench;

use writ::defaults::{default_data_dir, load_engine, load_policy};
use writ::error::{CliError, parse_json, read_text};
use writ::eval::{self, Mode};
use writ::gate::{Caller, Gate};
use writ::hook::Agent;
use writ::{policy_cmd, proof_cmd};
use writ_core::engine::{GuardInput, Lanes};
use writ_core::{Approval, Runtime, SessionState, detect, normalize};
use writ_store::Store;

/// mimalloc instead of the system allocator: a guard on a command line
/// never seen before makes ~250 small allocations, and with glibc's malloc
/// they cost about a third of its instructions and most of its latency
/// tail (docs/decision-core.md, "Speed").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "writ",
    version,
    about = "The firewall AI agents' actions pass through"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decide one action: read a native event, print the decision as JSON.
    Guard(GuardArgs),
    /// Replay a conformance corpus through the decision path and report.
    Eval(EvalArgs),
    /// Check, test or show policy packs.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Manage the signing key of a store.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The Merkle log: checkpoints and proofs.
    Log {
        #[command(subcommand)]
        command: LogCommand,
    },
    /// Export proof bundles.
    Proof {
        #[command(subcommand)]
        command: ProofCommand,
    },
    /// Run the control plane: HTTP API, approvals page, proofs, metrics.
    Serve {
        /// Address to listen on (default 127.0.0.1:7766, loopback only).
        #[arg(long)]
        listen: Option<String>,
        /// Data directory (default: $WRIT_DATA_DIR, or .writ).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// Deployment facts (default: built-in facts and the current directory).
        #[arg(long)]
        deployment: Option<PathBuf>,
        /// `enforce`, `advisory` (release with warnings) or `shadow` (decide and record, release everything).
        #[arg(long, default_value = "enforce", value_parser = writ_server::cli::parse_mode)]
        mode: writ_server::Mode,
        /// Export a span per checkpoint to this OTLP/HTTP collector, e.g.
        /// http://localhost:4318 (default: $OTEL_EXPORTER_OTLP_ENDPOINT, else off).
        #[arg(long, value_name = "URL")]
        otlp_endpoint: Option<String>,
        /// `http/protobuf` or `http/json` (default: $OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf).
        #[arg(long, value_name = "PROTOCOL")]
        otlp_protocol: Option<String>,
    },
    /// Guard an MCP server's tool calls (stdio wrapper or Streamable HTTP gateway).
    McpProxy(writ_mcp::McpProxyArgs),
    /// Bearer tokens for `writ serve`.
    Tokens {
        #[command(subcommand)]
        command: TokensCommand,
    },
    /// Answer a coding agent's hook: reads its JSON on stdin.
    Hook {
        #[arg(value_enum)]
        agent: Agent,
        /// Deployment facts (default: built-in facts and the current directory).
        #[arg(long)]
        deployment: Option<PathBuf>,
        /// Directory of .cedar policies (default: the shipped pack).
        #[arg(long)]
        policy: Option<PathBuf>,
        /// Decide through a running `writ serve` (agent token in WRIT_TOKEN)
        /// instead of the embedded store; its deployment and policy apply.
        #[arg(long, value_name = "URL", conflicts_with_all = ["deployment", "policy"])]
        server: Option<String>,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Add writ's hooks to an agent's settings (merging, never clobbering).
    Install {
        #[arg(value_enum)]
        agent: Agent,
        /// Install for the user (~/.claude, ~/.codex) instead of the current project.
        #[arg(long)]
        user: bool,
        /// Deployment file the hook should use.
        #[arg(long)]
        deployment: Option<PathBuf>,
        /// Have the hook decide through this `writ serve` (token in WRIT_TOKEN).
        #[arg(long, value_name = "URL", conflicts_with = "deployment")]
        server: Option<String>,
    },
    /// Read what observed platforms did: decide and certify their tool spans.
    Ingest {
        #[command(subcommand)]
        command: IngestCommand,
    },
    /// Run the HTTP egress gateway: agents' outbound requests (HTTP_PROXY,
    /// HTTPS_PROXY) decided by writ before they leave.
    Proxy(writ_proxy::ProxyArgs),
    /// Actions waiting for approval: in the local store, or with --server in writ serve's queue.
    Approvals {
        #[command(subcommand)]
        command: ApprovalsCommand,
    },
    /// The embedded session store (writ.db).
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Measure writ: load on a real `writ serve`, or the decision path in process.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Verify proof bundles offline: signatures, digests, log inclusion, and a replay of each decision.
    Verify {
        /// Bundle files.
        #[arg(required = true)]
        bundles: Vec<PathBuf>,
        /// File of trusted vkeys, one a line (default: the store's ledger.vkey).
        #[arg(long)]
        key: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArg,
    },
}

#[derive(Subcommand)]
enum IngestCommand {
    /// OTLP/HTTP JSON traces: every `execute_tool` span becomes an
    /// `observe_only` certificate; spans whose route is not `allow` are
    /// reported as violations (here, in `/metrics` and in the proof).
    Otel {
        /// An OTLP/HTTP JSON export request (`-` for stdin).
        file: Option<PathBuf>,
        /// Receive OTLP/HTTP JSON on this address (`POST /v1/traces`) instead.
        #[arg(long, conflicts_with = "file")]
        listen: Option<String>,
        /// A running `writ serve` (agent token in WRIT_TOKEN); default: an embedded one.
        #[arg(long, value_name = "URL")]
        server: Option<String>,
        /// Data directory of the embedded control plane (default: $WRIT_DATA_DIR, or .writ).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// Deployment facts of the embedded control plane.
        #[arg(long)]
        deployment: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Load a real `writ serve` over keep-alive HTTP/1.1 connections, then
    /// SIGKILL it and check that nothing it acknowledged was lost.
    Serve {
        /// `guard`, `lifecycle` (guard, then outcome) or `health` (GET /healthz).
        #[arg(long, value_enum, default_value = "guard")]
        scenario: bench::Scenario,
        /// Concurrent connections, each sending one request at a time.
        #[arg(long, value_name = "N", default_value_t = 32)]
        connections: usize,
        /// Seconds of load.
        #[arg(long, value_name = "SECS", default_value_t = 15)]
        duration: u64,
        /// Worker threads of the load generator.
        #[arg(long, value_name = "N", default_value_t = 2)]
        threads: usize,
        /// The server's data directory (default: a fresh temporary one).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Time the decision path of `writ guard` in process, call by call.
    Guard {
        /// A conformance corpus (`cases/`, `deployments/`) whose events to
        /// decide (default: a built-in Bash, MCP and HTTP event).
        #[arg(long, value_name = "DIR")]
        corpus: Option<PathBuf>,
        /// Calls in all, round-robin over the events.
        #[arg(long, value_name = "N", default_value_t = 2000)]
        calls: usize,
        /// Deployment facts for the built-in events.
        #[arg(long, conflicts_with = "corpus")]
        deployment: Option<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TokensCommand {
    /// Print a new token (stored hashed; shown once).
    Create {
        /// `agent`, `approver`, `auditor` or `admin`.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: String,
        /// Jurisdictions an approver may approve in (repeatable).
        #[arg(long = "jurisdiction")]
        jurisdictions: Vec<String>,
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// List principals and roles (never the tokens).
    List {
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Revoke a principal's tokens.
    Revoke {
        name: String,
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ApprovalsCommand {
    /// Pending requests (all with --all); with --server, the server's queue.
    List {
        #[arg(long, conflicts_with = "server")]
        all: bool,
        #[command(flatten)]
        server: ServerArg,
        #[command(flatten)]
        store: StoreArg,
    },
    /// One request in full; with --server, an action with its facts and reasons.
    Show {
        /// The id (a unique prefix of a pending one will do).
        id: String,
        #[command(flatten)]
        server: ServerArg,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Approve a request: the identical call is then released once.
    #[command(alias = "grant")]
    Approve {
        /// The id (a unique prefix of a pending one will do).
        id: String,
        /// Who approves (must be listed for the rule's jurisdiction in the
        /// deployment); with --server, the token's principal approves.
        #[arg(long, required_unless_present = "server", conflicts_with = "server")]
        approver: Option<String>,
        /// How long the approval stays valid, in minutes (default 60).
        #[arg(long, conflicts_with = "server")]
        minutes: Option<i64>,
        /// Deployment facts naming the approvers (default: built-in facts).
        #[arg(long, conflicts_with = "server")]
        deployment: Option<PathBuf>,
        /// Why, kept with the review (with --server).
        #[arg(long, requires = "server")]
        comment: Option<String>,
        #[command(flatten)]
        server: ServerArg,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Deny a request.
    Deny {
        /// The id (a unique prefix of a pending one will do).
        id: String,
        /// Why, kept with the review (with --server).
        #[arg(long, requires = "server")]
        comment: Option<String>,
        #[command(flatten)]
        server: ServerArg,
        #[command(flatten)]
        store: StoreArg,
    },
}

#[derive(clap::Args, Clone)]
struct ServerArg {
    /// Work the queue of this `writ serve` (an approver's token in WRIT_TOKEN)
    /// instead of the local store.
    #[arg(long, value_name = "URL", conflicts_with = "store")]
    server: Option<String>,
}

#[derive(clap::Args, Clone)]
struct StoreArg {
    /// The data directory: sessions (writ.db), the log (ledger.db) and its key
    /// (default: $WRIT_DATA_DIR, or .writ).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

impl StoreArg {
    fn dir(&self) -> PathBuf {
        self.store.clone().unwrap_or_else(default_data_dir)
    }
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Copy the WAL into the database and empty it; waits for processes
    /// using the store.
    Compact {
        #[command(flatten)]
        store: StoreArg,
    },
    /// Hold the store open while hooks use it, so each hook call finds the
    /// WAL's index ready, and checkpoint now and then (hooks start this in
    /// the background). Exits once idle, or at once if a keeper runs.
    Keep {
        #[command(flatten)]
        store: StoreArg,
        /// Seconds without a commit after which the keeper exits.
        #[arg(long, default_value_t = 300)]
        idle: u64,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Create the store's Ed25519 key pair (private key mode 0600); prints the vkey.
    Init {
        #[command(flatten)]
        store: StoreArg,
    },
}

#[derive(Subcommand)]
enum LogCommand {
    /// Print a signed checkpoint of the whole log (C2SP signed note).
    Checkpoint {
        #[command(flatten)]
        store: StoreArg,
    },
    /// Print the inclusion proof of a leaf.
    ProveInclusion {
        index: u64,
        /// Tree size (default: the log's size now).
        #[arg(long)]
        size: Option<u64>,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Print the consistency proof between two tree sizes.
    ProveConsistency {
        old: u64,
        new: u64,
        #[command(flatten)]
        store: StoreArg,
    },
}

#[derive(Subcommand)]
enum ProofCommand {
    /// Write proof bundles (one per action and one per session).
    Export {
        /// Every certified action.
        #[arg(long, conflicts_with = "action")]
        all: bool,
        /// One action, by id.
        #[arg(long, required_unless_present = "all")]
        action: Option<String>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        store: StoreArg,
    },
}

#[derive(clap::Args)]
struct GuardArgs {
    /// File holding the event (default: standard input).
    file: Option<PathBuf>,
    /// Native format of the event (default: detected from its shape).
    #[arg(long, value_parser = parse_runtime)]
    runtime: Option<Runtime>,
    /// Deployment facts (default: built-in facts and the current directory).
    #[arg(long)]
    deployment: Option<PathBuf>,
    /// Directory of .cedar policies (default: the shipped pack).
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Session id (default: the event's own, if it has one).
    #[arg(long)]
    session: Option<String>,
    /// Decide without reading or recording session state.
    #[arg(long)]
    no_session: bool,
    #[command(flatten)]
    store: StoreArg,
    /// JSON file of approval records to consider.
    #[arg(long)]
    approvals: Option<PathBuf>,
    /// Time of the action, RFC 3339 (default: now).
    #[arg(long)]
    now: Option<String>,
    /// The agent acting.
    #[arg(long, default_value = "agent")]
    agent: String,
    /// The user on whose behalf the agent acts.
    #[arg(long)]
    user: Option<String>,
    /// Print the decision on one line.
    #[arg(long)]
    compact: bool,
}

#[derive(clap::Args)]
struct EvalArgs {
    /// Corpus directory (`cases/`, `deployments/`).
    dir: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Switch a lane of facts off.
    #[arg(long, value_enum)]
    ablate: Option<Lane>,
    /// Run a baseline instead of the policy.
    #[arg(long, value_enum, conflicts_with = "ablate")]
    baseline: Option<Baseline>,
    /// Directory of .cedar policies (default: the shipped pack).
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Record sessions and every step's lifecycle (certificates, receipts)
    /// into this data directory instead of memory; creates its key if needed.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["ablate", "baseline"])]
    store: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Lane {
    Externality,
    Session,
    Basis,
}

#[derive(Clone, Copy, ValueEnum)]
enum Baseline {
    Static,
    Scalar,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Validate a directory of .cedar policies against writ's schema.
    Check { dir: PathBuf },
    /// Run policy test files.
    Test {
        files: Vec<PathBuf>,
        /// Directory of .cedar policies to test instead of the file's own.
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Print the shipped default pack and schema.
    Show,
}

fn parse_runtime(name: &str) -> Result<Runtime, String> {
    Runtime::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Runtime::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown runtime `{name}` (known: {})", names.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Guard(args) => guard(args),
        Command::Eval(args) => run_eval(args),
        Command::Policy { command } => policy(command),
        Command::Keys {
            command: KeysCommand::Init { store },
        } => {
            let dir = store.dir();
            ensure_dir(&dir).and_then(|()| {
                proof_cmd::keys_init(&dir)
                    .map(|v| v + "\n")
                    .map_err(CliError::Input)
            })
        }
        Command::Log { command } => log(command),
        Command::Serve {
            listen,
            data_dir,
            deployment,
            mode,
            otlp_endpoint,
            otlp_protocol,
        } => {
            let dir = data_dir.unwrap_or_else(default_data_dir);
            writ_server::cli::otlp_config(otlp_endpoint, otlp_protocol)
                .and_then(|otlp| writ_server::cli::serve_main(listen, dir, deployment, mode, otlp))
                .map(|()| String::new())
                .map_err(CliError::Input)
        }
        Command::McpProxy(args) => return writ_mcp::main(args),
        Command::Tokens { command } => {
            use writ_server::cli::TokensCommand as T;
            let (command, dir) = match command {
                TokensCommand::Create {
                    role,
                    name,
                    jurisdictions,
                    data_dir,
                } => (
                    T::Create {
                        role,
                        name,
                        jurisdictions,
                    },
                    data_dir,
                ),
                TokensCommand::List { data_dir } => (T::List, data_dir),
                TokensCommand::Revoke { name, data_dir } => (T::Revoke { name }, data_dir),
            };
            writ_server::cli::tokens_main(command, dir.unwrap_or_else(default_data_dir))
                .map(|s| if s.ends_with('\n') { s } else { s + "\n" })
                .map_err(CliError::Input)
        }
        Command::Hook {
            agent,
            server: Some(server),
            ..
        } => return hook_remote(agent, &server),
        Command::Hook {
            agent,
            deployment,
            policy,
            store,
            server: None,
        } => {
            return hook(
                agent,
                deployment.as_deref(),
                policy.as_deref(),
                &store.dir(),
            );
        }
        Command::Install {
            agent,
            user,
            deployment,
            server,
        } => install(agent, user, deployment.as_deref(), server.as_deref()),
        Command::Ingest {
            command:
                IngestCommand::Otel {
                    file,
                    listen,
                    server,
                    data_dir,
                    deployment,
                },
        } => writ::ingest::otel_main(writ::ingest::OtelIngest {
            file,
            listen,
            server,
            data_dir: data_dir.unwrap_or_else(default_data_dir),
            deployment,
        }),
        Command::Proxy(args) => writ_proxy::main(args, default_data_dir())
            .map(|()| String::new())
            .map_err(|e| {
                if e.is_usage() {
                    CliError::Input(e.to_string())
                } else {
                    CliError::Internal(e.to_string())
                }
            }),
        Command::Approvals { command } => approvals(command),
        Command::Proof {
            command:
                ProofCommand::Export {
                    all,
                    action,
                    out,
                    store,
                },
        } => {
            let action = if all { None } else { action };
            proof_cmd::proof_export(&store.dir(), action.as_deref(), &out)
                .map(|s| s + "\n")
                .map_err(CliError::Input)
        }
        Command::Store {
            command: StoreCommand::Compact { store },
        } => {
            let path = store.dir().join("writ.db");
            Store::compact(&path)
                .map(|()| format!("{}: WAL emptied into the database\n", path.display()))
                .map_err(|e| CliError::Internal(e.to_string()))
        }
        Command::Store {
            command: StoreCommand::Keep { store, idle },
        } => writ::keeper::run(&store.dir(), std::time::Duration::from_secs(idle))
            .map(|()| String::new()),
        Command::Bench { command } => match command {
            BenchCommand::Serve {
                scenario,
                connections,
                duration,
                threads,
                data_dir,
                json,
            } => bench::serve(bench::ServeOptions {
                scenario,
                connections,
                duration_secs: duration,
                threads,
                data_dir,
                json,
            }),
            BenchCommand::Guard {
                corpus,
                calls,
                deployment,
                json,
            } => bench::guard(bench::GuardOptions {
                corpus,
                calls,
                deployment,
                json,
            }),
        },
        Command::Verify {
            bundles,
            key,
            store,
        } => {
            let key = key.unwrap_or_else(|| store.dir().join(writ_ledger::keys::VKEY_FILE));
            match proof_cmd::verify(&bundles, &key) {
                Ok(report) => Ok(report + "\n"),
                Err((code, message)) => {
                    eprintln!("writ: {message}");
                    return ExitCode::from(code);
                }
            }
        }
    };
    match result {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe is not an error worth reporting.
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let CliError::Failed(report) = &e {
                print!("{report}");
            } else {
                eprintln!("writ: {e}");
            }
            e.exit_code()
        }
    }
}

/// `writ hook AGENT` on the embedded store: the store's keeper answers
/// when one runs ([`writ::keeper`]), else this process decides and then
/// starts a keeper for the calls to come.
fn hook(agent: Agent, deployment: Option<&Path>, policy: Option<&Path>, dir: &Path) -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        return writ::hook::HookAnswer::refuse(&format!("cannot read the hook input: {e}")).emit();
    }
    if let Some(answer) = writ::keeper::HookRequest::new(agent, deployment, policy, &input)
        .and_then(|request| writ::keeper::ask(dir, &request))
    {
        return answer.emit();
    }
    let answer = match load_engine(deployment, policy) {
        Err(e) => writ::hook::refuse_unconfigured(&e),
        Ok(engine) => writ::hook::handle(agent, &input, &engine, dir, OffsetDateTime::now_utc()),
    };
    let exit = answer.emit();
    let db = dir.join("writ.db");
    if db.exists() && !Store::keeper_running(&db) {
        keep_in_background(dir);
    }
    exit
}

/// Starts `writ store keep` on its own, after the call has answered (see
/// `Store::keep`): it holds none of the agent's pipes (the agent would
/// wait for them to close) and leaves the agent's process group. If it
/// cannot start, the next hook tries again; meanwhile hooks work as
/// before, only slower, and past a hard limit opening the store empties
/// the WAL inline.
fn keep_in_background(dir: &Path) {
    use std::os::unix::process::CommandExt;
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let _ = std::process::Command::new(exe)
        .args(["store", "keep", "--store"])
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn();
}

/// `writ hook AGENT --server URL`: the control plane decides (as `writ-hook`).
fn hook_remote(agent: Agent, server: &str) -> ExitCode {
    writ::hook::run_remote(agent, Some(server))
}

fn install(
    agent: Agent,
    user: bool,
    deployment: Option<&Path>,
    server: Option<&str>,
) -> Result<String, CliError> {
    let exe = std::env::current_exe()
        .map_err(|e| CliError::Internal(format!("cannot find writ's own path: {e}")))?;
    let base = if user {
        PathBuf::from(
            std::env::var_os("HOME")
                .ok_or_else(|| CliError::Input("HOME is not set".to_owned()))?,
        )
    } else {
        PathBuf::from(".")
    };
    let quote = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', r"'\''"));
    // The hook is `writ-hook` when it sits next to this binary: it answers
    // the same and starts in half the time.
    let slim = exe.with_file_name("writ-hook");
    let mut command = if slim.is_file() {
        quote(&slim)
    } else {
        format!("{} hook", quote(&exe))
    };
    command.push(' ');
    command.push_str(agent.name());
    if let Some(d) = deployment {
        let d = std::fs::canonicalize(d)
            .map_err(|e| CliError::Input(format!("`{}`: {e}", d.display())))?;
        command.push_str(&format!(" --deployment {}", quote(&d)));
    }
    if let Some(url) = server {
        let url =
            url::Url::parse(url).map_err(|e| CliError::Input(format!("--server `{url}`: {e}")))?;
        let url = url.as_str().trim_end_matches('/').replace('\'', r"'\''");
        command.push_str(&format!(" --server '{url}'"));
    }
    match agent {
        Agent::ClaudeCode => writ::install::claude_code(&base.join(".claude"), &command),
        Agent::Codex => writ::install::codex(&base.join(".codex"), &command),
    }
}

/// The server and request of an approvals command given `--server`.
fn remote_approvals(command: &ApprovalsCommand) -> Option<(String, approvals_cmd::Request)> {
    use approvals_cmd::Request;
    match command {
        ApprovalsCommand::List { server, .. } => server.server.clone().map(|s| (s, Request::List)),
        ApprovalsCommand::Show { id, server, .. } => {
            let id = id.clone();
            server.server.clone().map(|s| (s, Request::Show { id }))
        }
        ApprovalsCommand::Approve {
            id,
            comment,
            server,
            ..
        } => server.server.clone().map(|s| {
            let (id, comment) = (id.clone(), comment.clone().unwrap_or_default());
            (
                s,
                Request::Review {
                    id,
                    grant: true,
                    comment,
                },
            )
        }),
        ApprovalsCommand::Deny {
            id,
            comment,
            server,
            ..
        } => server.server.clone().map(|s| {
            let (id, comment) = (id.clone(), comment.clone().unwrap_or_default());
            (
                s,
                Request::Review {
                    id,
                    grant: false,
                    comment,
                },
            )
        }),
    }
}

fn approvals(command: ApprovalsCommand) -> Result<String, CliError> {
    if let Some((server, request)) = remote_approvals(&command) {
        return approvals_cmd::run(&server, request);
    }
    let not_found = |id: &str| {
        CliError::Input(format!(
            "no approval request `{id}` (or the prefix is ambiguous)"
        ))
    };
    match command {
        ApprovalsCommand::List { all, store, .. } => {
            let store = open_store(&store.dir())?;
            let mut out = String::new();
            for r in store.approval_requests(all)? {
                out.push_str(&format!(
                    "{}  {:<8}  {:<24}  needs {}  {}\n",
                    writ::hook::short(&r.id),
                    r.status,
                    r.tool,
                    r.jurisdictions.join("+"),
                    r.reasons.join(",")
                ));
            }
            Ok(if out.is_empty() {
                "no pending approval requests\n".to_owned()
            } else {
                out
            })
        }
        ApprovalsCommand::Show { id, store, .. } => {
            let store = open_store(&store.dir())?;
            let r = store.approval_request(&id)?.ok_or_else(|| not_found(&id))?;
            serde_json::to_string_pretty(&r)
                .map(|s| s + "\n")
                .map_err(|e| CliError::Internal(e.to_string()))
        }
        ApprovalsCommand::Approve {
            id,
            approver,
            minutes,
            deployment,
            store,
            ..
        } => {
            let approver = approver.ok_or_else(|| {
                CliError::Input("--approver is required without --server".to_owned())
            })?;
            let minutes = minutes.unwrap_or(60);
            if minutes <= 0 {
                return Err(CliError::Input(format!(
                    "--minutes must be positive, got `{minutes}`"
                )));
            }
            let mut store = open_store(&store.dir())?;
            let r = store.approval_request(&id)?.ok_or_else(|| not_found(&id))?;
            let engine = load_engine(deployment.as_deref(), None)?;
            for j in &r.jurisdictions {
                let listed = engine
                    .facts
                    .approvers
                    .get(j)
                    .is_some_and(|list| list.iter().any(|a| a.eq_ignore_ascii_case(&approver)));
                if !listed {
                    return Err(CliError::Input(format!(
                        "`{approver}` is not an approver for `{j}` in the deployment"
                    )));
                }
            }
            let now = OffsetDateTime::now_utc();
            let fmt = |t: OffsetDateTime| {
                t.format(&Rfc3339)
                    .map_err(|e| CliError::Internal(e.to_string()))
            };
            let approval = Approval {
                approver: approver.clone(),
                tool: r.tool.clone(),
                arguments: r.arguments.clone(),
                granted_at: fmt(now)?,
                expires_at: fmt(now + time::Duration::minutes(minutes))?,
            };
            store.grant(&r.id, &approval)?;
            Ok(format!(
                "granted {} for {} by {} until {}; the identical call is released once\n",
                writ::hook::short(&r.id),
                r.tool,
                approver,
                approval.expires_at
            ))
        }
        ApprovalsCommand::Deny { id, store, .. } => {
            let mut store = open_store(&store.dir())?;
            let r = store.approval_request(&id)?.ok_or_else(|| not_found(&id))?;
            store.deny(&r.id)?;
            Ok(format!("denied {}\n", writ::hook::short(&r.id)))
        }
    }
}

fn ensure_dir(dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::Input(format!("cannot create `{}`: {e}", dir.display())))
}

/// The session store of a data directory, created if needed.
fn open_store(dir: &Path) -> Result<Store, CliError> {
    ensure_dir(dir)?;
    Ok(Store::open(&dir.join("writ.db"))?)
}

fn log(command: LogCommand) -> Result<String, CliError> {
    let out = match command {
        LogCommand::Checkpoint { store } => proof_cmd::log_checkpoint(&store.dir()),
        LogCommand::ProveInclusion { index, size, store } => {
            let dir = store.dir();
            let size = match size {
                Some(n) => n,
                None => writ_ledger::Ledger::open(dir.join(proof_cmd::LEDGER_FILE))
                    .map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?
                    .size(),
            };
            proof_cmd::log_prove_inclusion(&dir, index, size)
        }
        LogCommand::ProveConsistency { old, new, store } => {
            proof_cmd::log_prove_consistency(&store.dir(), old, new)
        }
    };
    out.map(|s| if s.ends_with('\n') { s } else { s + "\n" })
        .map_err(CliError::Input)
}

fn guard(args: GuardArgs) -> Result<String, CliError> {
    let (source, text) = match &args.file {
        Some(path) => (path.display().to_string(), read_text(path)?),
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| CliError::Input(format!("cannot read standard input: {e}")))?;
            ("standard input".to_owned(), text)
        }
    };
    let event = parse_json(&source, &text)?;
    let runtime = match args.runtime {
        Some(r) => r,
        None => detect(&event).map_err(|e| CliError::Input(e.to_string()))?,
    };
    let envelope = normalize(runtime, &event).map_err(|e| CliError::Input(e.to_string()))?;
    let approvals: Vec<Approval> = match &args.approvals {
        Some(path) => {
            serde_json::from_value(parse_json(&path.display().to_string(), &read_text(path)?)?)
                .map_err(|e| {
                    CliError::Input(format!(
                        "`{}` is not a list of approvals: {e}",
                        path.display()
                    ))
                })?
        }
        None => Vec::new(),
    };
    let now = match &args.now {
        Some(s) => OffsetDateTime::parse(s, &Rfc3339)
            .map_err(|e| CliError::Input(format!("--now `{s}`: {e}")))?,
        None => OffsetDateTime::now_utc(),
    };
    let engine = load_engine(args.deployment.as_deref(), args.policy.as_deref())?;
    let caller = Caller {
        agent: &args.agent,
        user: args.user.as_deref(),
        now,
    };
    let session = args
        .session
        .clone()
        .or_else(|| envelope.session_id.clone())
        .filter(|_| !args.no_session);
    let decision = match session {
        Some(session) => {
            let mut store = open_store(&args.store.dir())?;
            Gate {
                engine: &engine,
                store: &mut store,
            }
            .handle(&session, &envelope, &approvals, caller)?
        }
        None => engine.guard(GuardInput {
            envelope: &envelope,
            session: &SessionState::default(),
            approvals: &approvals,
            now,
            agent: caller.agent,
            user: caller.user,
        }),
    };
    let json = if args.compact {
        serde_json::to_string(&decision)
    } else {
        serde_json::to_string_pretty(&decision)
    };
    json.map(|s| s + "\n")
        .map_err(|e| CliError::Internal(e.to_string()))
}

fn run_eval(args: EvalArgs) -> Result<String, CliError> {
    let policy = load_policy(args.policy.as_deref())?;
    let mode = match (args.ablate, args.baseline) {
        (_, Some(Baseline::Static)) => Mode::StaticBaseline,
        (_, Some(Baseline::Scalar)) => Mode::ScalarBaseline,
        (Some(Lane::Externality), None) => Mode::Policy(Lanes {
            externality: false,
            ..Lanes::default()
        }),
        (Some(Lane::Session), None) => Mode::Policy(Lanes {
            session: false,
            ..Lanes::default()
        }),
        (Some(Lane::Basis), None) => Mode::Policy(Lanes {
            basis: false,
            ..Lanes::default()
        }),
        (None, None) => Mode::Policy(Lanes::default()),
    };
    let (mut store, mut recording) = match &args.store {
        Some(dir) => {
            let store = open_store(dir)?;
            if !dir.join("ledger.vkey").exists() {
                proof_cmd::keys_init(dir).map_err(CliError::Input)?;
            }
            let signer = writ_lifecycle::Signer::load(dir)
                .map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
            let recorder =
                writ_lifecycle::Recorder::open(dir.join(proof_cmd::LEDGER_FILE), signer.clone())
                    .map_err(|e| CliError::Internal(format!("{}: {e}", dir.display())))?;
            (store, Some(eval::Recording::new(recorder, signer)))
        }
        None => (Store::in_memory()?, None),
    };
    let report = eval::run(&args.dir, &policy, mode, &mut store, recording.as_mut())?;
    if let Some(rec) = recording.as_mut() {
        let certified = rec.finish().map_err(CliError::Internal)?;
        eprintln!("writ: certified {certified} actions into the log");
    }
    let out = if args.json {
        serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .map_err(|e| CliError::Internal(e.to_string()))?
    } else {
        eval::table(&report)
    };
    let unreplayed: Vec<&str> = report.unreplayed().map(|c| c.id.as_str()).collect();
    if unreplayed.is_empty() {
        return Ok(out);
    }
    // The report still goes out whole; the exit status says the corpus
    // holds cases that could not be read (each counted as failed above).
    print!("{out}");
    Err(CliError::Input(format!(
        "{} of {} cases could not be replayed (counted as failed, route block): {}",
        unreplayed.len(),
        report.cases.len(),
        unreplayed.join(", ")
    )))
}

fn policy(command: PolicyCommand) -> Result<String, CliError> {
    match command {
        PolicyCommand::Check { dir } => policy_cmd::check(&dir).map(|s| s + "\n"),
        PolicyCommand::Test { files, policy } => {
            if files.is_empty() {
                return Err(CliError::Input(
                    "name at least one policy test file".to_owned(),
                ));
            }
            let mut out = String::new();
            for f in files {
                out.push_str(&policy_cmd::test(&f, policy.as_deref())?);
            }
            Ok(out)
        }
        PolicyCommand::Show => {
            let mut out = format!("// schema.cedarschema\n{}\n", writ_core::policy::SCHEMA);
            for (name, text) in writ_core::policy::DEFAULT_PACK {
                out.push_str(&format!("// {name}\n{text}\n"));
            }
            Ok(out)
        }
    }
}
