//! # writ-server: `writ serve`, the control plane
//!
//! One writ for many agents. Adapters and SDKs call the HTTP API
//! ([`router`]) for the five checkpoints of every action (guard,
//! assumptions, approvals, outcome, proof); reviewers use the approvals page
//! at `/approvals`; Prometheus scrapes `/metrics`.
//!
//! Decisions take the same path as `writ guard` (the engine plus the SQLite
//! session store, as `writ::gate::Gate` does), and every action's lifecycle
//! goes through `writ-lifecycle` into the Merkle log. The data directory
//! holds `ledger.db` (one SQLite file: the log, sessions, principals and
//! actions; see `db`), the log's key `ledger.skey`/`ledger.vkey`, and
//! `policy/`.

pub mod api;
pub mod cli;
pub mod control;
mod db;
mod durable;
pub mod error;
mod metrics;
pub mod openapi;
mod page;
pub mod telemetry;
pub mod tokens;
mod words;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use writ_core::{Deployment, PolicyPack};
use writ_lifecycle::{Recorder, Signer};

pub use api::router;
pub use error::{Problem, ServeError};
pub use tokens::{Role, TokenInfo, tokens_create, tokens_list, tokens_revoke};

use crate::control::{Core, CoreConfig};
use crate::durable::Worker;
use crate::error::Problem as P;
use crate::metrics::Metrics;
use crate::telemetry::{OtlpConfig, Telemetry};

/// Where `writ serve` listens unless told otherwise (loopback only).
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7766";
/// WAL pages after which a checkpoint thread copies a WAL into its
/// database, while the core thread goes on (at twice this the core thread
/// copies the rest itself, so the WAL starts over; see
/// `writ_sqlite::DeferredCheckpoint`). A checkpoint costs two fsyncs plus
/// the distinct pages it moves: pages every batch rewrites (the session's
/// row, the B-tree interiors) are moved once per checkpoint, so rarer
/// checkpoints do less work in all. Measured on the load test
/// (docs/control-plane.md), when the core thread still checkpointed:
/// 1,024 pages gave 15 % more guards/s and a lower p99 than 128, at one
/// connection too; 4,096 gave a few per cent more at 32 connections but a
/// longer pause at one.
const CHECKPOINT_PAGES: u32 = 1024;
/// Default limit of a request body.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;
/// Signed-note name of a new log key (as `writ keys init`).
pub use writ_ledger::keys::DEFAULT_KEY_NAME;

/// The data directory when none is given, for every writ command and
/// binary: `$WRIT_DATA_DIR`, or `.writ` in the working directory.
pub fn default_data_dir() -> std::path::PathBuf {
    std::env::var_os("WRIT_DATA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(".writ"))
}

/// How decisions are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Decide and record; release everything.
    Shadow,
    /// Release everything; what policy would stop is released as a warning.
    Advisory,
    /// Release only what policy releases.
    #[default]
    Enforce,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Shadow => "shadow",
            Mode::Advisory => "advisory",
            Mode::Enforce => "enforce",
        }
    }

    pub fn parse(name: &str) -> Option<Mode> {
        [Mode::Shadow, Mode::Advisory, Mode::Enforce]
            .into_iter()
            .find(|m| m.as_str() == name)
    }
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// A deployment file over the environment's facts and the built-in defaults.
    pub deployment: Option<PathBuf>,
    pub mode: Mode,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Lifetime of a release token, in seconds.
    pub release_ttl: i64,
    /// Lifetime of an approval grant, in seconds.
    pub grant_ttl: i64,
    /// Seconds a pending action waits for review before it expires.
    pub approval_timeout: i64,
    /// Export a span per checkpoint over OTLP/HTTP (off when `None`).
    pub otlp: Option<OtlpConfig>,
    /// How long a batch waits for the database's write lock while another
    /// process (a `writ tokens` command) holds it; past that, the batch's
    /// requests are refused (`503`, `database_unavailable`) and the server
    /// goes on.
    pub lock_wait: std::time::Duration,
}

impl ServeConfig {
    /// Defaults: loopback, enforce mode, 1 MiB bodies.
    pub fn new(data_dir: impl Into<PathBuf>) -> ServeConfig {
        ServeConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 7766)),
            data_dir: data_dir.into(),
            deployment: None,
            mode: Mode::Enforce,
            body_limit: DEFAULT_BODY_LIMIT,
            release_ttl: 300,
            grant_ttl: 900,
            approval_timeout: 3600,
            otlp: None,
            lock_wait: writ_ledger::DEFAULT_LOCK_WAIT,
        }
    }
}

pub(crate) struct Shared {
    /// The core thread, answering after group commit (see `durable`).
    pub core: Worker,
    pub auth: Mutex<rusqlite::Connection>,
    pub changes: watch::Sender<u64>,
    pub metrics: Metrics,
    pub telemetry: Telemetry,
    pub mode: Mode,
    pub body_limit: usize,
    /// The core's key: the request threads sign release tokens with it.
    pub signer: Signer,
}

/// The server's state: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) shared: Arc<Shared>,
}

fn write_file(path: &Path, text: &str) -> Result<(), ServeError> {
    std::fs::write(path, text).map_err(|source| ServeError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// The signer of a data directory, created on first use.
fn signer(dir: &Path) -> Result<Signer, ServeError> {
    let keys = |e: writ_lifecycle::KeysError| ServeError::Keys {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    if dir.join(writ_ledger::keys::SKEY_FILE).exists() {
        return Signer::load(dir).map_err(keys);
    }
    let signer = Signer::generate(DEFAULT_KEY_NAME).map_err(keys)?;
    signer.save(dir).map_err(keys)?;
    Ok(signer)
}

/// The policy pack in `dir/policy`, written from the shipped pack on first use.
fn policy(dir: &Path) -> Result<PolicyPack, ServeError> {
    let policy_dir = dir.join("policy");
    if !policy_dir.exists() {
        std::fs::create_dir_all(&policy_dir).map_err(|source| ServeError::CreateDir {
            path: policy_dir.display().to_string(),
            source,
        })?;
        let pack = PolicyPack::default_pack().map_err(|e| ServeError::Policy(e.to_string()))?;
        for (name, text) in &pack.sources {
            write_file(&policy_dir.join(name), text)?;
        }
    }
    let read = |e: std::io::Error| ServeError::Read {
        path: policy_dir.display().to_string(),
        message: e.to_string(),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&policy_dir)
        .map_err(read)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cedar"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ServeError::Policy(format!(
            "`{}` holds no .cedar files",
            policy_dir.display()
        )));
    }
    let mut sources = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| ServeError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        sources.push((name, text));
    }
    PolicyPack::load(sources).map_err(|e| ServeError::Policy(e.to_string()))
}

fn deployment(file: Option<&Path>) -> Result<Deployment, ServeError> {
    let cwd = std::env::current_dir().map_err(|e| ServeError::Read {
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    let base = writ_store::environment::environment_deployment(&cwd).over(Deployment::builtin());
    Ok(match file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| ServeError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            Deployment::from_json(&text)
                .map_err(|e| ServeError::Deployment(format!("{}: {e}", path.display())))?
                .over(base)
        }
        None => base,
    })
}

impl AppState {
    /// Opens the data directory, creating on first run its folder, key,
    /// database and policy.
    pub fn open(config: &ServeConfig) -> Result<AppState, ServeError> {
        let dir = &config.data_dir;
        // Creates the directory and the tables, carrying over an earlier
        // layout, before the log opens the file; then looks tokens up.
        let auth = db::open(dir)?;
        let signer = signer(dir)?;
        let policy = policy(dir)?;
        let deployment = deployment(config.deployment.as_deref())?;
        writ_core::Facts::compile(&deployment)
            .map_err(|e| ServeError::Deployment(e.to_string()))?;
        // Commits skip the fsync; the sync thread does it for many at once
        // before anything is acknowledged (see `durable`).
        let recorder = Recorder::open_with(
            dir.join(db::DATABASE),
            signer.clone(),
            writ_ledger::LedgerOptions {
                synchronous: writ_ledger::Synchronous::Normal,
                autocheckpoint: None,
                lock_wait: Some(config.lock_wait),
            },
        )?;
        let mut core = Core::new(
            CoreConfig {
                mode: config.mode,
                release_ttl: config.release_ttl,
                grant_ttl: config.grant_ttl,
                approval_timeout: config.approval_timeout,
            },
            deployment,
            policy,
            signer.clone(),
            recorder,
        );
        core.defer_checkpoints(CHECKPOINT_PAGES)
            .map_err(|p| ServeError::Internal(format!("checkpoints: {}", p.detail)))?;
        let core = Worker::start(core, [dir.join(db::DATABASE)]).map_err(ServeError::Serve)?;
        let telemetry = match &config.otlp {
            Some(otlp) => Telemetry::start(otlp).map_err(ServeError::Telemetry)?,
            None => Telemetry::default(),
        };
        let (changes, _) = watch::channel(0);
        Ok(AppState {
            shared: Arc::new(Shared {
                core,
                auth: Mutex::new(auth),
                changes,
                metrics: Metrics::default(),
                telemetry,
                mode: config.mode,
                body_limit: config.body_limit,
                signer,
            }),
        })
    }

    /// Runs `f` on the core thread; returns once what it (and everything
    /// before it) committed is on disk.
    pub(crate) async fn core<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Core) -> Result<T, P> + Send + 'static,
    ) -> Result<T, P> {
        self.shared.core.run(f).await
    }

    /// Tells waiters (long polls, the page) that something changed.
    pub(crate) fn changed(&self) {
        self.shared.changes.send_modify(|v| *v = v.wrapping_add(1));
    }
}

/// Serves on a bound listener until the future `shutdown` completes.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    use axum::serve::ListenerExt;
    let shared = state.shared.clone();
    // Answers are small and each waits for its request's durable round:
    // Nagle's algorithm would hold a reply's last segment for the peer's
    // delayed acknowledgement.
    let listener = listener.tap_io(|stream| {
        if let Err(e) = stream.set_nodelay(true) {
            eprintln!("writ serve: cannot set TCP_NODELAY on a connection: {e}");
        }
    });
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(ServeError::Serve);
    if shared.telemetry.enabled() {
        // Sends the spans still buffered; the exporter blocks.
        let _ = tokio::task::spawn_blocking(move || shared.telemetry.shutdown()).await;
    }
    served
}

/// `writ serve`: opens (or creates) the data directory, binds, prints where
/// the approval page is, and serves until Ctrl-C.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let state = AppState::open(&config)?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.listen.to_string(),
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "writ serve: warning: listening on {addr}, beyond this machine; put TLS in front of it"
        );
    }
    println!(
        "writ serve: listening on http://{addr} in {} mode, data in {}",
        config.mode.as_str(),
        config.data_dir.display()
    );
    println!("writ serve: approvals page at http://{addr}/approvals");
    if let Some(otlp) = &config.otlp {
        println!(
            "writ serve: exporting a span per checkpoint over OTLP to {}",
            otlp.endpoint
                .as_deref()
                .unwrap_or("the OTEL_EXPORTER_OTLP_* endpoint")
        );
    }
    serve_on(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// A control plane running inside another process (an adapter started
/// without `--server`): it serves on loopback until the process exits.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// A fresh agent token for the embedding adapter.
    pub token: String,
}

/// Starts a control plane on `config` (its `listen` port may be 0) in the
/// current tokio runtime, with a fresh agent token for `principal` (any
/// earlier token of that principal is revoked).
pub async fn start_embedded(config: ServeConfig, principal: &str) -> Result<Embedded, ServeError> {
    let state = AppState::open(&config)?;
    let token = {
        let conn = db::open(&config.data_dir)?;
        tokens::rotate(&conn, tokens::Role::Agent, principal)?
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.listen.to_string(),
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    tokio::spawn(serve_on(listener, state, std::future::pending()));
    Ok(Embedded {
        url: format!("http://{addr}"),
        token,
    })
}
