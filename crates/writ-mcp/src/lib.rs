//! `writ mcp-proxy`: an MCP gateway that guards every `tools/call`.
//!
//! The proxy is an MCP server to its client (the agent) and an MCP client
//! to the server it wraps. Everything passes through unchanged except
//! `tools/call`: the proxy lowers nothing itself, it sends the call as the
//! `mcp` runtime event to the control plane (`writ serve`, or one embedded
//! in this process) and applies the answer. A call is forwarded only when
//! writ released it; anything else, including writ being unreachable, is
//! answered with a tool error that says why (fail closed).
//!
//! - [`gate`]: the writ side (events, verdicts, refusal texts, `_meta`).
//! - [`proxy`]: the MCP side (rmcp services in both directions).
//! - [`http`]: the Streamable HTTP front and back end.

pub mod gate;
pub mod http;
pub mod proxy;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use gate::Gate;
use proxy::Upstream;

/// Where `--listen` defaults to: next to `writ serve` (7766) and `writ
/// proxy` (7767).
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7768";

/// Arguments of `writ mcp-proxy`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Guard an MCP server's tool calls: wrap a stdio server (-- CMD ARGS) or front a Streamable HTTP one (--upstream URL)"
)]
pub struct McpProxyArgs {
    /// A deployment file for the embedded control plane (ignored with --server).
    #[arg(long)]
    pub deployment: Option<PathBuf>,
    /// The upstream server's name for manifests and policy (default: its
    /// `serverInfo.name` from `initialize`).
    #[arg(long)]
    pub name: Option<String>,
    /// A running `writ serve` (token in $WRIT_TOKEN); without it the proxy
    /// starts an embedded control plane on --data-dir.
    #[arg(long)]
    pub server: Option<String>,
    /// Data directory of the embedded control plane (default $WRIT_DATA_DIR or .writ).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Seconds a call that needs approval is held before it is refused.
    #[arg(long, default_value_t = 300)]
    pub approval_timeout: u64,
    /// Front this Streamable HTTP MCP server instead of a stdio command.
    #[arg(long, conflicts_with = "command")]
    pub upstream: Option<String>,
    /// Where to serve Streamable HTTP with --upstream, at path /mcp
    /// (default 127.0.0.1:7768; loopback only; port 0 picks a free port,
    /// printed on stderr).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// The stdio MCP server to wrap, after `--`.
    #[arg(last = true, value_name = "CMD ARGS")]
    pub command: Vec<String>,
}

/// Why the proxy could not start.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The command line is incomplete or contradictory (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// Starting the control plane, the runtime or a listener failed (exit code 1).
    #[error("{0}")]
    Start(String),
}

/// Entry point of `writ mcp-proxy`: runs until the client disconnects or
/// the upstream server goes away.
pub fn main(args: McpProxyArgs) -> ExitCode {
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("writ mcp-proxy: {e}");
            match e {
                ProxyError::Usage(_) => ExitCode::from(2),
                ProxyError::Start(_) => ExitCode::from(1),
            }
        }
    }
}

/// What to connect to, validated from the arguments before any IO.
#[derive(Debug, Clone)]
enum Plan {
    Stdio {
        program: String,
        args: Vec<String>,
    },
    Http {
        upstream: String,
        listen: SocketAddr,
    },
}

/// Validates the arguments as pure data.
fn plan(args: &McpProxyArgs) -> Result<Plan, ProxyError> {
    if args.approval_timeout == 0 {
        return Err(ProxyError::Usage(
            "--approval-timeout must be at least 1 second".into(),
        ));
    }
    match (&args.upstream, args.command.split_first()) {
        (Some(url), None) => {
            check_upstream(url)?;
            let listen = args.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
            let listen: SocketAddr = listen.parse().map_err(|_| {
                ProxyError::Usage(format!(
                    "--listen `{listen}` is not an address like {DEFAULT_LISTEN}"
                ))
            })?;
            if !listen.ip().is_loopback() {
                return Err(ProxyError::Usage(format!(
                    "--listen `{listen}` must be a loopback address"
                )));
            }
            Ok(Plan::Http {
                upstream: url.clone(),
                listen,
            })
        }
        (None, Some(_)) if args.listen.is_some() => Err(ProxyError::Usage(
            "--listen goes with --upstream URL; a stdio server (-- CMD ARGS) is served on stdin/stdout".into(),
        )),
        (None, Some((program, rest))) => Ok(Plan::Stdio {
            program: program.clone(),
            args: rest.to_vec(),
        }),
        (Some(_), Some(_)) => Err(ProxyError::Usage(
            "give either --upstream URL or -- CMD ARGS, not both".into(),
        )),
        (None, None) => Err(ProxyError::Usage(
            "nothing to proxy: give the MCP server's command after `--` (e.g. `writ mcp-proxy -- npx -y @modelcontextprotocol/server-filesystem .`) or --upstream URL".into(),
        )),
    }
}

/// An upstream URL the proxy can reach: `http://HOST[:PORT]/PATH`. This
/// build has no TLS client, so `https://` is refused up front rather than
/// failing at the first client's `initialize`.
fn check_upstream(url: &str) -> Result<(), ProxyError> {
    let usage = |why: &str| {
        ProxyError::Usage(format!(
            "--upstream `{url}` {why} (e.g. http://127.0.0.1:8000/mcp)"
        ))
    };
    if url.starts_with("https://") {
        return Err(usage(
            "is https://, which this build cannot speak yet; give an http:// URL (a local TLS-terminating tunnel will do)",
        ));
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(usage("must be an http:// URL"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains(char::is_whitespace) || authority.contains('@') {
        return Err(usage("has no valid host"));
    }
    Ok(())
}

fn run(args: McpProxyArgs) -> Result<(), ProxyError> {
    let plan = plan(&args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ProxyError::Start(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        let gate = connect_writ(&args).await?;
        match plan {
            Plan::Stdio {
                program,
                args: rest,
            } => {
                let upstream = Upstream::Command {
                    program,
                    args: rest,
                };
                proxy::serve_stdio(upstream, args.name.clone(), gate).await
            }
            Plan::Http { upstream, listen } => {
                http::serve(upstream, listen, args.name.clone(), gate).await
            }
        }
    })
}

/// The control plane: `--server` with `$WRIT_TOKEN`, or an embedded one.
async fn connect_writ(args: &McpProxyArgs) -> Result<Gate, ProxyError> {
    let timeout = Duration::from_secs(args.approval_timeout);
    if let Some(server) = &args.server {
        let client = writ_client::Client::from_env(Some(server))
            .map_err(|e| ProxyError::Usage(e.to_string()))?;
        eprintln!(
            "writ mcp-proxy: deciding through {}; approvals page {}/approvals",
            client.base(),
            client.base()
        );
        return Ok(Gate::new(client, timeout));
    }
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(writ_server::default_data_dir);
    std::fs::create_dir_all(&data_dir).map_err(|e| {
        ProxyError::Start(format!(
            "cannot create the data directory `{}`: {e}",
            data_dir.display()
        ))
    })?;
    let mut config = writ_server::ServeConfig::new(&data_dir);
    config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    config.deployment = args.deployment.clone();
    let principal = format!("mcp-proxy:{}", args.name.as_deref().unwrap_or("upstream"));
    let embedded = writ_server::start_embedded(config, &principal)
        .await
        .map_err(|e| ProxyError::Start(format!("cannot start the embedded control plane: {e}")))?;
    eprintln!(
        "writ mcp-proxy: embedded control plane at {url} (data {dir}); approvals page {url}/approvals (approver token: writ tokens create --role approver --name YOU --data-dir {dir})",
        url = embedded.url,
        dir = data_dir.display()
    );
    let client = writ_client::Client::new(&embedded.url, &embedded.token)
        .map_err(|e| ProxyError::Start(e.to_string()))?;
    Ok(Gate::new(client, timeout))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: McpProxyArgs,
    }

    fn parse(argv: &[&str]) -> Result<Plan, String> {
        let cli = Cli::try_parse_from(std::iter::once("writ").chain(argv.iter().copied()))
            .map_err(|e| e.to_string())?;
        plan(&cli.args).map_err(|e| e.to_string())
    }

    #[test]
    fn stdio_command_after_double_dash() {
        let p = parse(&["--name", "mail", "--", "server", "--flag"]).unwrap();
        assert!(
            matches!(p, Plan::Stdio { program, args } if program == "server" && args == ["--flag"])
        );
    }

    #[test]
    fn nothing_to_proxy_is_an_error() {
        assert!(parse(&[]).unwrap_err().contains("nothing to proxy"));
    }

    #[test]
    fn http_listen_must_be_loopback() {
        let e = parse(&[
            "--upstream",
            "http://127.0.0.1:9/mcp",
            "--listen",
            "0.0.0.0:1",
        ]);
        assert!(e.unwrap_err().contains("loopback"));
        let e = parse(&["--upstream", "ftp://x"]);
        assert!(e.unwrap_err().contains("http://"));
    }

    #[test]
    fn http_upstream_and_default_listen() {
        let p = parse(&["--upstream", "http://127.0.0.1:9000/mcp"]).unwrap();
        assert!(
            matches!(p, Plan::Http { upstream, listen } if upstream == "http://127.0.0.1:9000/mcp" && listen.port() == 7768)
        );
        let p = parse(&[
            "--upstream",
            "http://localhost/mcp",
            "--listen",
            "127.0.0.1:0",
        ])
        .unwrap();
        assert!(matches!(p, Plan::Http { listen, .. } if listen.port() == 0));
    }

    #[test]
    fn bad_upstreams_are_usage_errors() {
        for (url, why) in [
            ("https://mcp.example.com/mcp", "https://"),
            ("http:///mcp", "no valid host"),
            ("http://user@host/mcp", "no valid host"),
            ("127.0.0.1:9000/mcp", "must be an http://"),
        ] {
            let e = parse(&["--upstream", url]).unwrap_err();
            assert!(e.contains(why), "{url}: {e}");
        }
        let e = parse(&["--upstream", "http://h/mcp", "--listen", "localhost:1"]).unwrap_err();
        assert!(e.contains("not an address"), "{e}");
    }

    #[test]
    fn upstream_and_a_command_conflict() {
        assert!(parse(&["--upstream", "http://h/mcp", "--", "server"]).is_err());
        let e = parse(&["--listen", "127.0.0.1:1", "--", "server"]).unwrap_err();
        assert!(e.contains("--listen goes with --upstream"), "{e}");
    }
}
