//! # writ-proxy: `writ proxy`, the HTTP egress gateway
//!
//! A forward proxy for agents' outbound calls (`HTTP_PROXY`/`HTTPS_PROXY`).
//! Every request becomes the `http` runtime event and is decided by writ
//! (`POST /v1/guard` of `writ serve`, or of a control plane embedded in this
//! process) before anything leaves:
//!
//! - plain HTTP (`GET http://host/path`) is inspected in full (method, URL,
//!   headers, body up to `--max-body`) and forwarded only when released;
//! - `CONNECT host:port` is decided on the host alone (the content is TLS)
//!   and tunnelled only when released;
//! - anything else, and every request writ could not decide, is refused
//!   with an `application/problem+json` answer naming the reason.
//!
//! Each decided action is closed with its outcome (`completed` with the
//! upstream status, `failed`, or `not_run`), so it is certified in the log.

mod decide;
pub mod event;
pub mod problem;
mod proxy;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::decide::Decider;
use crate::proxy::{Proxy, handle};

/// Where `writ proxy` listens unless told otherwise (loopback only).
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7767";
/// Largest request body the proxy inspects, unless told otherwise.
pub const DEFAULT_MAX_BODY: usize = 1 << 20;

/// A response body of the proxy: its own answers or an upstream's.
pub type ProxyBody = http_body_util::combinators::BoxBody<Bytes, hyper::Error>;

/// `writ proxy`'s arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct ProxyArgs {
    /// Address to listen on (default 127.0.0.1:7767, loopback only).
    #[arg(long)]
    pub listen: Option<String>,
    /// A running `writ serve` (agent token in WRIT_TOKEN); default: an embedded one.
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// Data directory of the embedded control plane (default: $WRIT_DATA_DIR, or .writ).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Deployment facts of the embedded control plane.
    #[arg(long, value_name = "FILE")]
    pub deployment: Option<PathBuf>,
    /// Session the proxied requests belong to.
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Seconds to hold a request that needs approval, waiting for a reviewer
    /// (0: refuse at once, the action stays in the approval queue).
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub approval_timeout: u64,
    /// Largest request body inspected; larger bodies are refused (413).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    pub max_body: usize,
}

/// Why the proxy could not start.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// Bad arguments or configuration.
    #[error("{0}")]
    Usage(String),
    /// The control plane or the listener failed.
    #[error("{0}")]
    Start(String),
}

impl ProxyError {
    /// True when the user's input is at fault (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, ProxyError::Usage(_))
    }
}

/// Which control plane decides.
#[derive(Debug, Clone)]
pub enum Control {
    /// One started in this process on a data directory.
    Embedded {
        data_dir: PathBuf,
        deployment: Option<PathBuf>,
    },
    /// A running `writ serve`.
    Remote { url: String, token: String },
}

/// How to run a proxy.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Port 0 picks a free port.
    pub listen: SocketAddr,
    pub control: Control,
    pub session: Option<String>,
    pub approval_timeout: Duration,
    pub max_body: usize,
}

/// A proxy serving in the current tokio runtime.
#[derive(Debug, Clone)]
pub struct Running {
    /// Where agents send their requests.
    pub addr: SocketAddr,
    /// The control plane's base URL.
    pub control_url: String,
    /// True when the control plane runs in this process.
    pub embedded: bool,
}

/// Starts the control plane if embedded, binds, and serves in the background.
pub async fn start(settings: Settings) -> Result<Running, ProxyError> {
    let (client, embedded) = match &settings.control {
        Control::Embedded {
            data_dir,
            deployment,
        } => {
            let mut config = writ_server::ServeConfig::new(data_dir.clone());
            config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
            config.deployment = deployment.clone();
            // The event carries the body as JSON text: room for its escaping.
            config.body_limit = config.body_limit.max(settings.max_body.saturating_mul(8));
            let control = writ_server::start_embedded(config, "writ-proxy")
                .await
                .map_err(|e| ProxyError::Start(format!("embedded control plane: {e}")))?;
            let client = writ_client::Client::new(&control.url, &control.token)
                .map_err(|e| ProxyError::Start(e.to_string()))?;
            (client, true)
        }
        Control::Remote { url, token } => (
            writ_client::Client::new(url, token).map_err(|e| ProxyError::Usage(e.to_string()))?,
            false,
        ),
    };
    let listener = TcpListener::bind(settings.listen)
        .await
        .map_err(|e| ProxyError::Start(format!("cannot listen on `{}`: {e}", settings.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ProxyError::Start(e.to_string()))?;
    let control_url = client.base().to_owned();
    let decider = Decider {
        client,
        session: settings.session,
        approval_timeout: settings.approval_timeout,
    };
    let proxy = Arc::new(Proxy::new(decider, settings.max_body));
    tokio::spawn(serve(listener, proxy));
    Ok(Running {
        addr,
        control_url,
        embedded,
    })
}

/// Accepts agents' connections until the process ends.
async fn serve(listener: TcpListener, proxy: Arc<Proxy>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of descriptors and the like: wait, do not spin.
                eprintln!("writ proxy: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let proxy = proxy.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(proxy.clone(), request));
            // A connection error is the agent's connection ending; nothing to do.
            let _ = http1::Builder::new()
                .preserve_header_case(true)
                .title_case_headers(true)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

/// Resolves the command line against the environment: the listen address,
/// the control plane (`WRIT_TOKEN` for a remote one), the data directory.
pub fn settings(args: ProxyArgs, default_data_dir: PathBuf) -> Result<Settings, ProxyError> {
    let listen = args.listen.unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    let listen = listen
        .parse()
        .map_err(|e| ProxyError::Usage(format!("--listen `{listen}`: {e}")))?;
    if args.max_body == 0 {
        return Err(ProxyError::Usage(
            "--max-body must be at least 1".to_owned(),
        ));
    }
    if args
        .session
        .as_ref()
        .is_some_and(|s| s.is_empty() || s.len() > 256)
    {
        return Err(ProxyError::Usage(
            "--session must be 1 to 256 characters".to_owned(),
        ));
    }
    let control = match args.server {
        Some(url) => {
            if args.deployment.is_some() {
                return Err(ProxyError::Usage(
                    "--deployment configures the embedded control plane; give it to `writ serve` instead"
                        .to_owned(),
                ));
            }
            Control::Remote {
                url,
                token: std::env::var(writ_client::TOKEN_ENV).unwrap_or_default(),
            }
        }
        None => Control::Embedded {
            data_dir: args.data_dir.unwrap_or(default_data_dir),
            deployment: args.deployment,
        },
    };
    Ok(Settings {
        listen,
        control,
        session: args.session,
        approval_timeout: Duration::from_secs(args.approval_timeout),
        max_body: args.max_body,
    })
}

/// `writ proxy`: builds a tokio runtime, starts, prints where it listens,
/// and serves until Ctrl-C.
pub fn main(args: ProxyArgs, default_data_dir: PathBuf) -> Result<(), ProxyError> {
    let settings = settings(args, default_data_dir)?;
    let data_dir = match &settings.control {
        Control::Embedded { data_dir, .. } => Some(data_dir.clone()),
        Control::Remote { .. } => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ProxyError::Start(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let running = start(settings).await?;
        if !running.addr.ip().is_loopback() {
            eprintln!(
                "writ proxy: warning: listening on {}, beyond this machine, without authentication",
                running.addr
            );
        }
        println!(
            "writ proxy: listening on http://{} (set HTTP_PROXY and HTTPS_PROXY to it)",
            running.addr
        );
        match data_dir {
            Some(dir) => println!(
                "writ proxy: deciding with an embedded control plane at {}, data in {}",
                running.control_url,
                dir.display()
            ),
            None => println!(
                "writ proxy: deciding with writ serve at {}",
                running.control_url
            ),
        }
        println!(
            "writ proxy: approvals page at {}/approvals",
            running.control_url
        );
        let _ = tokio::signal::ctrl_c().await;
        Ok(())
    })
}
