//! `writ bench`: how fast writ answers, measured the way it runs.
//!
//! - `writ bench serve` starts a real `writ serve`, drives it from
//!   keep-alive HTTP/1.1 connections until a deadline, kills it with
//!   SIGKILL and counts its database against what it acknowledged: the job
//!   of `bench/load/run.sh`, without wrk, Lua or Python.
//! - `writ bench guard` times the path `writ guard` runs (normalise, derive,
//!   decide; no store) in this process, one call at a time.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use writ::defaults::load_engine;
use writ::error::CliError;
use writ::eval::{Mode, load_cases, load_deployment};
use writ_core::engine::{GuardInput, Lanes};
use writ_core::{Approval, Engine, PolicyPack, Runtime, SessionState, detect, normalize};

/// What `writ bench serve` sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// `POST /v1/guard` of an allowed Claude Code `ls`, each on its own path.
    Guard,
    /// The guard, then `POST /v1/actions/{id}/outcome`, which certifies it.
    Lifecycle,
    /// `GET /healthz`: the HTTP stack and the load generator alone.
    Health,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Guard => "guard",
            Scenario::Lifecycle => "lifecycle",
            Scenario::Health => "health",
        }
    }
}

/// `writ bench serve`'s flags.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub scenario: Scenario,
    pub connections: usize,
    pub duration_secs: u64,
    pub threads: usize,
    /// The server's data directory (default: a fresh temporary one).
    pub data_dir: Option<PathBuf>,
    pub json: bool,
}

/// `writ bench guard`'s flags.
#[derive(Debug, Clone)]
pub struct GuardOptions {
    /// A conformance corpus (`cases/`, `deployments/`); default: built-in events.
    pub corpus: Option<PathBuf>,
    pub calls: usize,
    /// Deployment facts for the built-in events (as `writ guard --deployment`).
    pub deployment: Option<PathBuf>,
    pub json: bool,
}

/// Refuses a count of zero, naming the flag.
fn at_least_one(flag: &str, value: u64) -> Result<(), CliError> {
    if value == 0 {
        return Err(CliError::Input(format!(
            "{flag} must be at least 1, got `0`"
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Figures shared by both benches.

/// The nearest-rank percentile of sorted values: the smallest value at
/// least `q` of them do not exceed (`q` in 0..=1); 0 when there are none.
pub fn percentile<T: Copy + Default>(sorted: &[T], q: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let rank = (sorted.len() as f64 * q).ceil() as usize;
    sorted
        .get(rank.clamp(1, sorted.len()) - 1)
        .copied()
        .unwrap_or_default()
}

/// A latency distribution, in the unit its field name says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    #[serde(rename = "p99.9")]
    pub p99_9: f64,
    pub max: f64,
}

impl Percentiles {
    /// From sorted raw values, each divided by `per_unit` (e.g. 1000 for µs to ms).
    pub fn of<T: Copy + Default + Into<f64>>(sorted: &[T], per_unit: f64) -> Percentiles {
        let at = |q: f64| percentile(sorted, q).into() / per_unit;
        Percentiles {
            p50: at(0.5),
            p90: at(0.9),
            p99: at(0.99),
            p99_9: at(0.999),
            max: at(1.0),
        }
    }
}

/// The machine a run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: Option<String>,
    /// The 1-minute load average when the run started.
    pub load_average_1m: Option<f64>,
}

impl Machine {
    fn now() -> Machine {
        let read = |path: &str| std::fs::read_to_string(path).ok();
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model: read("/proc/cpuinfo").and_then(|t| cpu_model(&t)),
            load_average_1m: read("/proc/loadavg").and_then(|t| load_average(&t)),
        }
    }

    fn describe(&self) -> String {
        let mut out = format!("{} CPUs", self.cpus);
        if let Some(model) = &self.cpu_model {
            out.push_str(&format!(" ({model})"));
        }
        if let Some(load) = self.load_average_1m {
            out.push_str(&format!(", load average {load:.2}"));
        }
        out
    }
}

/// The first `model name` of `/proc/cpuinfo`.
pub fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo
        .lines()
        .filter(|l| l.starts_with("model name"))
        .find_map(|l| l.split_once(':'))
        .map(|(_, model)| model.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|m| !m.is_empty())
}

/// The 1-minute load average of `/proc/loadavg`.
pub fn load_average(loadavg: &str) -> Option<f64> {
    loadavg.split_whitespace().next()?.parse().ok()
}

fn to_json<T: Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| CliError::Internal(e.to_string()))
}

// ---------------------------------------------------------------------------
// `writ bench serve`

/// The Claude Code event both load scenarios guard: an allowed `ls` on a
/// path of its own with a call id of its own (so no analysis is cached);
/// the body of `bench/load/guard.lua`.
pub fn guard_body(id: &str) -> String {
    json!({"runtime": "claude-code", "event": {
        "session_id": "load", "transcript_path": "/tmp/t.jsonl", "cwd": "/tmp",
        "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": format!("ls -la /tmp/{id} | wc -l")},
        "tool_use_id": format!("toolu_{id}")}})
    .to_string()
}

const OUTCOME_BODY: &str = r#"{"closure":"completed","result":{"exit_code":0}}"#;

/// What one connection saw.
#[derive(Debug, Default)]
struct Tally {
    /// Microseconds of every answered request.
    latencies_us: Vec<u32>,
    /// Non-2xx answers by status code.
    statuses: BTreeMap<u16, u64>,
    /// Failed connects, and connections lost before the deadline.
    connection_errors: u64,
    /// 2xx answers that acknowledged nothing (a guard without an action).
    unacknowledged: u64,
    /// Ids of the actions whose guard was acknowledged.
    guarded: Vec<String>,
    /// Ids of the actions whose outcome was acknowledged (certified).
    closed: Vec<String>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        for (status, n) in other.statuses {
            *self.statuses.entry(status).or_default() += n;
        }
        self.connection_errors += other.connection_errors;
        self.unacknowledged += other.unacknowledged;
        self.guarded.extend(other.guarded);
        self.closed.extend(other.closed);
    }
}

/// What every connection shares.
struct Load {
    addr: SocketAddr,
    host: HeaderValue,
    bearer: HeaderValue,
    scenario: Scenario,
    deadline: tokio::time::Instant,
}

impl Load {
    fn request(
        &self,
        method: Method,
        path: &str,
        body: Bytes,
    ) -> Result<Request<Full<Bytes>>, String> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, self.host.clone());
        if self.scenario != Scenario::Health {
            builder = builder
                .header(AUTHORIZATION, self.bearer.clone())
                .header(CONTENT_TYPE, "application/json");
        }
        builder.body(Full::new(body)).map_err(|e| e.to_string())
    }
}

/// The fields of a guard's answer the load reads.
#[derive(Deserialize)]
struct GuardAnswer {
    action_id: Option<String>,
    status: Option<String>,
}

/// The field of an outcome's answer the load reads.
#[derive(Deserialize)]
struct OutcomeAnswer {
    #[serde(default)]
    certified: bool,
}

/// The action a 200 guard answer acknowledged: any action for the guard
/// scenario, a released one for the lifecycle (its outcome comes next).
fn acknowledged_action(scenario: Scenario, body: &[u8]) -> Option<String> {
    let answer: GuardAnswer = serde_json::from_slice(body).ok()?;
    let id = answer.action_id?;
    match scenario {
        Scenario::Lifecycle if answer.status.as_deref() != Some("released") => None,
        _ => Some(id),
    }
}

/// The future that drives a client connection.
type Connection =
    hyper::client::conn::http1::Connection<TokioIo<tokio::net::TcpStream>, Full<Bytes>>;

/// A keep-alive HTTP/1.1 connection with TCP_NODELAY: its request handle
/// and the future that drives it.
async fn connect(addr: SocketAddr) -> Result<(SendRequest<Full<Bytes>>, Connection), String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())
}

/// Sends a request and reads its answer whole.
async fn exchange(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Bytes), hyper::Error> {
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

/// How a connection's run of requests ended.
enum Ended {
    Deadline,
    Broken,
}

/// One connection's state across reconnects.
struct Worker {
    index: usize,
    sent: u64,
    /// The released action whose outcome is to be sent next (lifecycle).
    pending_outcome: Option<String>,
    /// The action whose outcome is in flight.
    outcome_of: Option<String>,
    tally: Tally,
}

impl Worker {
    fn next_request(&mut self, load: &Load) -> Result<(Request<Full<Bytes>>, bool), String> {
        if let Some(id) = self.pending_outcome.take() {
            let path = format!("/v1/actions/{id}/outcome");
            self.outcome_of = Some(id);
            return Ok((
                load.request(
                    Method::POST,
                    &path,
                    Bytes::from_static(OUTCOME_BODY.as_bytes()),
                )?,
                true,
            ));
        }
        if load.scenario == Scenario::Health {
            return Ok((load.request(Method::GET, "/healthz", Bytes::new())?, false));
        }
        self.sent += 1;
        let body = guard_body(&format!("{}-{}", self.index, self.sent));
        Ok((
            load.request(Method::POST, "/v1/guard", Bytes::from(body))?,
            false,
        ))
    }

    /// Requests on one connection until the deadline, or until the
    /// connection fails or closes.
    async fn run(&mut self, load: &Load, mut sender: SendRequest<Full<Bytes>>) -> Ended {
        while tokio::time::Instant::now() < load.deadline {
            if sender.is_closed() {
                return Ended::Broken;
            }
            let Ok((request, is_outcome)) = self.next_request(load) else {
                return Ended::Broken;
            };
            let started = Instant::now();
            let answer = tokio::time::timeout_at(load.deadline, exchange(&mut sender, request));
            let (status, body) = match answer.await {
                Err(_) => return Ended::Deadline,
                Ok(Err(_)) => return Ended::Broken,
                Ok(Ok(answer)) => answer,
            };
            let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
            self.tally.latencies_us.push(micros);
            self.classify(load.scenario, is_outcome, status, &body);
        }
        Ended::Deadline
    }

    fn classify(&mut self, scenario: Scenario, is_outcome: bool, status: StatusCode, body: &[u8]) {
        if !status.is_success() {
            *self.tally.statuses.entry(status.as_u16()).or_default() += 1;
            return;
        }
        let acknowledged = status == StatusCode::OK
            && match (scenario, is_outcome) {
                (Scenario::Health, _) => true,
                (_, true) => {
                    let certified =
                        serde_json::from_slice::<OutcomeAnswer>(body).is_ok_and(|a| a.certified);
                    if let Some(id) = self.outcome_of.take().filter(|_| certified) {
                        self.tally.closed.push(id);
                    }
                    certified
                }
                (_, false) => match acknowledged_action(scenario, body) {
                    Some(id) => {
                        if scenario == Scenario::Lifecycle {
                            self.pending_outcome = Some(id.clone());
                        }
                        self.tally.guarded.push(id);
                        true
                    }
                    None => false,
                },
            };
        if !acknowledged {
            self.tally.unacknowledged += 1;
        }
    }
}

/// One connection's task: connects (again, after a failure) and sends
/// until the deadline. The connection is driven in this task too, so an
/// answer wakes the task that waits for it.
async fn connection_task(load: Arc<Load>, index: usize) -> Tally {
    let mut worker = Worker {
        index,
        sent: 0,
        pending_outcome: None,
        outcome_of: None,
        tally: Tally::default(),
    };
    while tokio::time::Instant::now() < load.deadline {
        let (sender, connection) = match connect(load.addr).await {
            Ok(c) => c,
            Err(_) => {
                worker.tally.connection_errors += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let ended = tokio::select! {
            ended = worker.run(&load, sender) => ended,
            _ = connection => Ended::Broken,
        };
        if let Ended::Deadline = ended {
            break;
        }
        // A connection lost before the deadline is one error; the outcome
        // it was to carry is not sent again (its guard still counts).
        worker.tally.connection_errors += 1;
        worker.pending_outcome = None;
    }
    worker.tally
}

/// `writ serve` as a child process; killed (SIGKILL) when dropped.
struct ServerProcess {
    child: Child,
    log: PathBuf,
}

impl ServerProcess {
    fn start(dir: &Path, addr: SocketAddr) -> Result<ServerProcess, CliError> {
        let exe = std::env::current_exe()
            .map_err(|e| CliError::Internal(format!("cannot find writ's own path: {e}")))?;
        let log = dir.join("bench-serve.log");
        let log_file = std::fs::File::create(&log)
            .map_err(|e| CliError::Internal(format!("cannot create `{}`: {e}", log.display())))?;
        let child = Command::new(exe)
            .arg("serve")
            .arg("--data-dir")
            .arg(dir)
            .arg("--listen")
            .arg(addr.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .map_err(|e| CliError::Internal(format!("cannot start `writ serve`: {e}")))?;
        Ok(ServerProcess { child, log })
    }

    /// Why the server is not answering, with the end of its log.
    fn failure(&mut self, what: &str) -> CliError {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(10).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        CliError::Internal(format!(
            "`writ serve` {what}; {}:\n{}",
            self.log.display(),
            tail.join("\n")
        ))
    }

    /// SIGKILL: the server gets no chance to flush or clean up.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits until `GET /healthz` answers 200.
async fn wait_healthy(addr: SocketAddr, server: &mut ServerProcess) -> Result<(), CliError> {
    let give_up = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            return Err(server.failure(&format!("exited ({status})")));
        }
        if let Ok((mut sender, connection)) = connect(addr).await {
            let driver = tokio::spawn(connection);
            let request = Request::get("/healthz")
                .header(HOST, addr.to_string())
                .body(Full::new(Bytes::new()))
                .map_err(|e| CliError::Internal(e.to_string()))?;
            let answer =
                tokio::time::timeout(Duration::from_secs(2), exchange(&mut sender, request)).await;
            driver.abort();
            if matches!(answer, Ok(Ok((StatusCode::OK, _)))) {
                return Ok(());
            }
        }
        if Instant::now() > give_up {
            return Err(server.failure("did not answer /healthz within 30 s"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A token for a new agent principal, made as `writ tokens create --role agent` makes it.
fn agent_token(dir: &Path) -> Result<String, CliError> {
    let stamp = OffsetDateTime::now_utc().unix_timestamp_nanos();
    let command = writ_server::cli::TokensCommand::Create {
        role: "agent".to_owned(),
        name: format!("bench-{}-{stamp}", std::process::id()),
        jurisdictions: Vec::new(),
    };
    writ_server::cli::tokens_main(command, dir.to_owned())
        .map(|token| token.trim().to_owned())
        .map_err(|e| CliError::Internal(format!("cannot create an agent token: {e}")))
}

/// A loopback port free a moment ago (bound, then released for the server).
fn free_port() -> Result<SocketAddr, CliError> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| CliError::Internal(format!("cannot find a free loopback port: {e}")))
}

/// What the server's database holds after SIGKILL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AfterKill {
    pub actions: u64,
    pub closed: u64,
    pub log_leaves: u64,
    /// Receipts of action records whose leaf index is past the log's size.
    pub receipts_past_log: u64,
    /// Acknowledged guards whose action is not in the database.
    pub missing_actions: u64,
    /// Acknowledged outcomes whose action is not closed.
    pub unclosed_actions: u64,
}

impl AfterKill {
    /// Whether it holds everything acknowledged: every guarded action, every
    /// closed one, and every receipt the records point to.
    pub fn holds(&self) -> bool {
        self.missing_actions == 0 && self.unclosed_actions == 0 && self.receipts_past_log == 0
    }
}

/// The receipts of one action record (its `leaves` and
/// `certificate_leaf`) whose index is not below `log_size`.
pub fn receipts_past_log(record: &Value, log_size: u64) -> u64 {
    let leaves = record
        .get("leaves")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    leaves
        .chain(record.get("certificate_leaf"))
        .filter_map(Value::as_u64)
        .filter(|&leaf| leaf >= log_size)
        .count() as u64
}

/// Counts `ledger.db` (opened read-only) as `bench/load/run.sh` does, and
/// looks up each acknowledged action by its id.
fn count_after_kill(
    db: &Path,
    guarded: &[String],
    closed: &[String],
) -> Result<AfterKill, CliError> {
    use rusqlite::{Connection, OpenFlags};
    let failed = |e: rusqlite::Error| CliError::Internal(format!("`{}`: {e}", db.display()));
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(failed)?;
    let count = |sql: &str| {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(failed)
    };
    let log_leaves = count("SELECT count(*) FROM leaves")?;
    let actions = count("SELECT count(*) FROM actions")?;
    let closed_count = count("SELECT count(*) FROM actions WHERE status = 'closed'")?;
    let mut statement = conn
        .prepare("SELECT id, status, record FROM actions")
        .map_err(failed)?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(failed)?;
    let mut past = 0;
    let mut status_of = std::collections::HashMap::new();
    for row in rows {
        let (id, status, text) = row.map_err(failed)?;
        let record: Value = serde_json::from_str(&text)
            .map_err(|e| CliError::Internal(format!("an action record is not JSON: {e}")))?;
        past += receipts_past_log(&record, log_leaves);
        status_of.insert(id, status);
    }
    let missing_actions = guarded
        .iter()
        .filter(|id| !status_of.contains_key(*id))
        .count();
    let unclosed_actions = closed
        .iter()
        .filter(|id| status_of.get(*id).is_none_or(|s| s != "closed"))
        .count();
    Ok(AfterKill {
        actions,
        closed: closed_count,
        log_leaves,
        receipts_past_log: past,
        missing_actions: missing_actions as u64,
        unclosed_actions: unclosed_actions as u64,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LoadErrors {
    pub total: u64,
    pub connection: u64,
    /// Non-2xx answers by status code.
    pub status: BTreeMap<String, u64>,
    /// 2xx answers that acknowledged nothing.
    pub unacknowledged: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Acknowledged {
    pub guards: u64,
    pub outcomes: u64,
}

/// `writ bench serve`'s report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServeReport {
    pub scenario: Scenario,
    pub connections: usize,
    pub threads: usize,
    pub duration_s: u64,
    /// Seconds from the first connection to the last task's end.
    pub elapsed_s: f64,
    pub machine: Machine,
    pub requests: u64,
    pub requests_per_s: f64,
    pub latency_ms: Percentiles,
    pub errors: LoadErrors,
    pub acknowledged: Acknowledged,
    /// The database counted after SIGKILL; `null` for `health`, which stores nothing.
    pub after_sigkill: Option<AfterKill>,
    /// Whether everything acknowledged survived; `null` when not checked.
    pub nothing_lost: Option<bool>,
}

impl ServeReport {
    fn new(
        options: &ServeOptions,
        machine: Machine,
        mut tally: Tally,
        elapsed: Duration,
        after_sigkill: Option<AfterKill>,
    ) -> ServeReport {
        tally.latencies_us.sort_unstable();
        let requests = tally.latencies_us.len() as u64;
        let elapsed_s = elapsed.as_secs_f64();
        let non_2xx: u64 = tally.statuses.values().sum();
        let acknowledged = Acknowledged {
            guards: tally.guarded.len() as u64,
            outcomes: tally.closed.len() as u64,
        };
        let nothing_lost = after_sigkill.as_ref().map(AfterKill::holds);
        ServeReport {
            scenario: options.scenario,
            connections: options.connections,
            threads: options.threads,
            duration_s: options.duration_secs,
            elapsed_s,
            machine,
            requests,
            requests_per_s: if elapsed_s > 0.0 {
                requests as f64 / elapsed_s
            } else {
                0.0
            },
            latency_ms: Percentiles::of(&tally.latencies_us, 1000.0),
            errors: LoadErrors {
                total: tally.connection_errors + non_2xx + tally.unacknowledged,
                connection: tally.connection_errors,
                status: tally
                    .statuses
                    .iter()
                    .map(|(code, n)| (code.to_string(), *n))
                    .collect(),
                unacknowledged: tally.unacknowledged,
            },
            acknowledged,
            after_sigkill,
            nothing_lost,
        }
    }

    /// The report as text, in `bench/load/run.sh`'s terms.
    pub fn text(&self) -> String {
        let l = &self.latency_ms;
        let e = &self.errors;
        let statuses: Vec<String> = e
            .status
            .iter()
            .map(|(code, n)| format!("{n}x{code}"))
            .collect();
        let mut out = format!(
            "scenario {}, {} connections, {} threads, {} s, on {}\n\
             {} requests in {:.2} s: {:.1} requests/s\n\
             latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms\n\
             errors: {} (connection {}, non-2xx {}{}, unacknowledged {})\n",
            self.scenario.name(),
            self.connections,
            self.threads,
            self.duration_s,
            self.machine.describe(),
            self.requests,
            self.elapsed_s,
            self.requests_per_s,
            l.p50,
            l.p90,
            l.p99,
            l.p99_9,
            l.max,
            e.total,
            e.connection,
            e.status.values().sum::<u64>(),
            if statuses.is_empty() {
                String::new()
            } else {
                format!(": {}", statuses.join(", "))
            },
            e.unacknowledged,
        );
        match &self.after_sigkill {
            None => {
                out.push_str("after SIGKILL: not checked (health acknowledges nothing durable)\n")
            }
            Some(a) => {
                out.push_str(&format!(
                    "acknowledged guards: {}\nacknowledged outcomes: {}\n\
                     after SIGKILL: {} actions ({} closed), {} log leaves, {} receipts pointing past the log; \
                     {} acknowledged guards without their action, {} acknowledged outcomes without a closed action\n",
                    self.acknowledged.guards,
                    self.acknowledged.outcomes,
                    a.actions,
                    a.closed,
                    a.log_leaves,
                    a.receipts_past_log,
                    a.missing_actions,
                    a.unclosed_actions
                ));
                out.push_str(&if self.nothing_lost == Some(true) {
                    "no acknowledged receipt lost\n".to_owned()
                } else {
                    format!(
                        "LOST: {} guards and {} outcomes were acknowledged\n",
                        self.acknowledged.guards, self.acknowledged.outcomes
                    )
                });
            }
        }
        out
    }
}

/// `writ bench serve`: exit 0 when nothing acknowledged was lost, 1 when
/// something was (the report still printed), 2 for bad flags.
pub fn serve(options: ServeOptions) -> Result<String, CliError> {
    at_least_one("--connections", options.connections as u64)?;
    at_least_one("--duration", options.duration_secs)?;
    at_least_one("--threads", options.threads as u64)?;
    let scratch;
    let dir = match &options.data_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Input(format!("--data-dir `{}`: {e}", dir.display())))?;
            dir.clone()
        }
        None => {
            scratch = tempfile::Builder::new()
                .prefix("writ-bench-")
                .tempdir()
                .map_err(|e| CliError::Internal(format!("cannot make a data directory: {e}")))?;
            scratch.path().to_owned()
        }
    };
    let token = agent_token(&dir)?;
    let addr = free_port()?;
    let machine = Machine::now();
    let mut server = ServerProcess::start(&dir, addr)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.threads)
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start the runtime: {e}")))?;
    let header =
        |text: String| HeaderValue::from_str(&text).map_err(|e| CliError::Internal(e.to_string()));
    let (host, bearer) = (
        header(addr.to_string())?,
        header(format!("Bearer {token}"))?,
    );
    let outcome = runtime.block_on(async {
        wait_healthy(addr, &mut server).await?;
        let started = tokio::time::Instant::now();
        let load = Arc::new(Load {
            addr,
            host,
            bearer,
            scenario: options.scenario,
            deadline: started + Duration::from_secs(options.duration_secs),
        });
        let tasks: Vec<_> = (0..options.connections)
            .map(|i| tokio::spawn(connection_task(load.clone(), i)))
            .collect();
        let mut tally = Tally::default();
        for task in tasks {
            match task.await {
                Ok(t) => tally.merge(t),
                Err(_) => tally.connection_errors += 1,
            }
        }
        Ok::<_, CliError>((tally, started.elapsed()))
    });
    server.kill();
    drop(runtime);
    let (tally, elapsed) = outcome?;
    let after_sigkill = match options.scenario {
        Scenario::Health => None,
        Scenario::Guard | Scenario::Lifecycle => Some(count_after_kill(
            &dir.join(writ_ledger::LEDGER_FILE),
            &tally.guarded,
            &tally.closed,
        )?),
    };
    let report = ServeReport::new(&options, machine, tally, elapsed, after_sigkill);
    let text = if options.json {
        to_json(&report)?
    } else {
        report.text()
    };
    if report.nothing_lost == Some(false) {
        return Err(CliError::Failed(text));
    }
    Ok(text)
}

// ---------------------------------------------------------------------------
// `writ bench guard`

/// One event `writ bench guard` decides, with what it is decided against.
struct Probe {
    /// The runtime it is reported under.
    label: String,
    /// The runtime its event is read as.
    runtime: Runtime,
    event: Value,
    engine: usize,
    now: OffsetDateTime,
    approvals: Vec<Approval>,
    agent: String,
    user: Option<String>,
}

impl Probe {
    /// The path `writ guard` takes with no session: normalise, derive, decide.
    fn decide(&self, engine: &Engine, session: &SessionState) -> Option<writ_core::Route> {
        let envelope = normalize(self.runtime, &self.event).ok()?;
        let decision = engine.guard(GuardInput {
            envelope: &envelope,
            session,
            approvals: &self.approvals,
            now: self.now,
            agent: &self.agent,
            user: self.user.as_deref(),
        });
        Some(decision.route)
    }
}

/// The events to decide and the engines they are decided by.
struct Probes {
    probes: Vec<Probe>,
    engines: Vec<Engine>,
    /// Corpus cases whose event could not be read.
    unreadable: Vec<String>,
    /// Where the events came from.
    source: String,
}

/// A Claude Code Bash pipeline, an MCP `tools/call` and an HTTP request
/// (the events of `writ-core`'s guard benchmarks).
fn builtin_probes(now: OffsetDateTime) -> Vec<Probe> {
    let events = [
        (
            Runtime::ClaudeCode,
            json!({"session_id": "s", "cwd": "/home/dana/acme-web", "hook_event_name": "PreToolUse", "tool_name": "Bash",
                   "tool_input": {"command": "cat data/report.json | jq '.rows' | curl -s -X POST https://hooks.analytics-co.io/ingest -H 'Content-Type: application/json' -d @-"}}),
        ),
        (
            Runtime::Mcp,
            json!({"server": {"name": "gmail"}, "tool": {"name": "send_message", "annotations": {"openWorldHint": true}},
                   "request": {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "send_message",
                   "arguments": {"to": "lee@brightmail.io", "subject": "Your order", "body": "Hi Lee, your order ships on Monday."}}}}),
        ),
        (
            Runtime::Http,
            json!({"method": "POST", "url": "https://api.acme.internal/v1/tickets", "headers": {"content-type": "application/json"},
                   "body": "{\"title\":\"Login fails on Safari\",\"priority\":\"p2\"}"}),
        ),
    ];
    events
        .into_iter()
        .map(|(runtime, event)| Probe {
            label: runtime.as_str().to_owned(),
            runtime,
            event,
            engine: 0,
            now,
            approvals: Vec::new(),
            agent: "agent".to_owned(),
            user: None,
        })
        .collect()
}

/// The corpus's events, each read in its case's runtime or else by its
/// shape (as `writ eval` reads them); cases read neither way are listed.
fn corpus_probes(dir: &Path) -> Result<Probes, CliError> {
    let policy = PolicyPack::default_pack().map_err(|e| CliError::Internal(e.to_string()))?;
    let mut engines = Vec::new();
    let mut engine_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut probes = Vec::new();
    let mut unreadable = Vec::new();
    for (_, case) in load_cases(dir).map_err(|e| match e {
        CliError::Input(m) => CliError::Input(format!("--corpus: {m}")),
        other => other,
    })? {
        let declared = Runtime::parse(&case.runtime);
        let runtime = match declared {
            Some(r) if normalize(r, &case.event).is_ok() => Some(r),
            _ => detect(&case.event)
                .ok()
                .filter(|&r| normalize(r, &case.event).is_ok()),
        };
        let (Some(runtime), Ok(now)) = (runtime, OffsetDateTime::parse(&case.now, &Rfc3339)) else {
            unreadable.push(case.id);
            continue;
        };
        let engine = match engine_of.get(&case.deployment) {
            Some(&i) => i,
            None => {
                let (engine, _) = load_deployment(
                    dir,
                    &case.deployment,
                    &policy,
                    Mode::Policy(Lanes::default()),
                )?;
                engines.push(engine);
                engine_of.insert(case.deployment.clone(), engines.len() - 1);
                engines.len() - 1
            }
        };
        probes.push(Probe {
            label: case.runtime,
            runtime,
            event: case.event,
            engine,
            now,
            approvals: case.approvals,
            agent: case.principal.agent.unwrap_or_else(|| "agent".to_owned()),
            user: case.principal.user,
        });
    }
    if probes.is_empty() {
        return Err(CliError::Input(format!(
            "--corpus: no case of `{}` could be read",
            dir.display()
        )));
    }
    Ok(Probes {
        probes,
        engines,
        unreadable,
        source: dir.display().to_string(),
    })
}

/// One runtime's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuntimeFigures {
    pub runtime: String,
    pub calls: usize,
    /// Calls a second on one thread: calls over their summed time.
    pub calls_per_s: f64,
    pub latency_us: Percentiles,
}

impl RuntimeFigures {
    /// From every call's nanoseconds.
    pub fn of(runtime: &str, mut nanos: Vec<u64>) -> RuntimeFigures {
        nanos.sort_unstable();
        let total: u64 = nanos.iter().sum();
        let as_f64: Vec<f64> = nanos.iter().map(|&n| n as f64).collect();
        RuntimeFigures {
            runtime: runtime.to_owned(),
            calls: nanos.len(),
            calls_per_s: if total > 0 {
                nanos.len() as f64 / (total as f64 / 1e9)
            } else {
                0.0
            },
            latency_us: Percentiles::of(&as_f64, 1000.0),
        }
    }

    fn row(&self) -> String {
        let l = &self.latency_us;
        format!(
            "{:<14} {:>7} {:>10.0} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}\n",
            self.runtime, self.calls, self.calls_per_s, l.p50, l.p90, l.p99, l.p99_9, l.max
        )
    }
}

/// `writ bench guard`'s report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuardReport {
    /// The corpus directory, or `built-in events`.
    pub events_from: String,
    pub events: usize,
    /// Corpus cases whose event could not be read (not timed).
    pub unreadable: Vec<String>,
    pub calls: usize,
    pub machine: Machine,
    pub runtimes: Vec<RuntimeFigures>,
    pub all: RuntimeFigures,
}

impl GuardReport {
    pub fn text(&self) -> String {
        let mut out = format!(
            "{} calls over {} events ({}; one untimed call of each first), one thread, on {}\n",
            self.calls,
            self.events,
            self.events_from,
            self.machine.describe()
        );
        if !self.unreadable.is_empty() {
            out.push_str(&format!(
                "not timed (event unreadable): {}\n",
                self.unreadable.join(", ")
            ));
        }
        out.push_str(&format!(
            "{:<14} {:>7} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
            "runtime", "calls", "calls/s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs"
        ));
        for figures in self.runtimes.iter().chain([&self.all]) {
            out.push_str(&figures.row());
        }
        out
    }
}

/// `writ bench guard`: each event decided round-robin, `calls` in all
/// (at least one each), every call timed alone.
pub fn guard(options: GuardOptions) -> Result<String, CliError> {
    at_least_one("--calls", options.calls as u64)?;
    let machine = Machine::now();
    let Probes {
        probes,
        engines,
        unreadable,
        source,
    } = match &options.corpus {
        Some(dir) => corpus_probes(dir)?,
        None => Probes {
            probes: builtin_probes(OffsetDateTime::now_utc()),
            engines: vec![load_engine(options.deployment.as_deref(), None)?],
            unreadable: Vec::new(),
            source: "built-in events".to_owned(),
        },
    };
    let session = SessionState::default();
    let decide = |probe: &Probe| {
        engines
            .get(probe.engine)
            .and_then(|engine| probe.decide(engine, &session))
    };
    for probe in &probes {
        std::hint::black_box(decide(probe));
    }
    let calls = options.calls.max(probes.len());
    let mut nanos: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for probe in probes.iter().cycle().take(calls) {
        let started = Instant::now();
        std::hint::black_box(decide(probe));
        let took = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        nanos.entry(&probe.label).or_default().push(took);
    }
    let all: Vec<u64> = nanos.values().flatten().copied().collect();
    let report = GuardReport {
        events_from: source,
        events: probes.len(),
        unreadable,
        calls,
        machine,
        runtimes: nanos
            .into_iter()
            .map(|(runtime, n)| RuntimeFigures::of(runtime, n))
            .collect(),
        all: RuntimeFigures::of("all", all),
    };
    if options.json {
        to_json(&report)
    } else {
        Ok(report.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_is_nearest_rank() {
        let values: Vec<u32> = (1..=1000).collect();
        assert_eq!(percentile(&values, 0.5), 500);
        assert_eq!(percentile(&values, 0.9), 900);
        assert_eq!(percentile(&values, 0.999), 999);
        assert_eq!(percentile(&values, 1.0), 1000);
        assert_eq!(percentile(&values, 0.0), 1);
        assert_eq!(percentile(&[7u32], 0.99), 7);
        assert_eq!(percentile::<u32>(&[], 0.5), 0);
    }

    #[test]
    fn percentiles_scale_to_the_unit() {
        let micros: Vec<u32> = vec![1000, 2000, 3000, 4000];
        let p = Percentiles::of(&micros, 1000.0);
        assert_eq!(p.p50, 2.0);
        assert_eq!(p.p99, 4.0);
        assert_eq!(p.max, 4.0);
        let json = serde_json::to_value(p).unwrap();
        assert_eq!(json["p99.9"], 4.0);
    }

    #[test]
    fn reads_the_machine_files() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)  CPU @ 2.20GHz\n";
        assert_eq!(
            cpu_model(cpuinfo).as_deref(),
            Some("Intel(R) Xeon(R) CPU @ 2.20GHz")
        );
        assert_eq!(cpu_model("processor: 0\n"), None);
        assert_eq!(load_average("0.52 0.58 0.59 1/467 12345\n"), Some(0.52));
        assert_eq!(load_average(""), None);
    }

    #[test]
    fn counts_receipts_past_the_log() {
        let record = json!({"leaves": [0, 3, null, 5], "certificate_leaf": 6});
        assert_eq!(receipts_past_log(&record, 7), 0);
        assert_eq!(receipts_past_log(&record, 5), 2);
        assert_eq!(receipts_past_log(&json!({"leaves": [1]}), 1), 1);
        assert_eq!(receipts_past_log(&json!({}), 0), 0);
    }

    #[test]
    fn nothing_lost_needs_every_count() {
        let after = AfterKill {
            actions: 10,
            closed: 4,
            log_leaves: 40,
            receipts_past_log: 0,
            missing_actions: 0,
            unclosed_actions: 0,
        };
        assert!(after.holds());
        for lost in [
            AfterKill {
                missing_actions: 1,
                ..after.clone()
            },
            AfterKill {
                unclosed_actions: 1,
                ..after.clone()
            },
            AfterKill {
                receipts_past_log: 1,
                ..after.clone()
            },
        ] {
            assert!(!lost.holds(), "{lost:?}");
        }
    }

    #[test]
    fn guard_bodies_are_the_lua_scripts() {
        let body: Value = serde_json::from_str(&guard_body("3-17")).unwrap();
        assert_eq!(body["runtime"], "claude-code");
        assert_eq!(body["event"]["session_id"], "load");
        assert_eq!(
            body["event"]["tool_input"]["command"],
            "ls -la /tmp/3-17 | wc -l"
        );
        assert_eq!(body["event"]["tool_use_id"], "toolu_3-17");
    }

    #[test]
    fn acknowledges_released_actions_for_the_lifecycle() {
        let released = br#"{"route":"allow","action_id":"act_1","status":"released"}"#;
        let pending = br#"{"action_id":"act_2","status":"pending"}"#;
        assert_eq!(
            acknowledged_action(Scenario::Lifecycle, released).as_deref(),
            Some("act_1")
        );
        assert_eq!(acknowledged_action(Scenario::Lifecycle, pending), None);
        assert_eq!(
            acknowledged_action(Scenario::Guard, pending).as_deref(),
            Some("act_2")
        );
        assert_eq!(acknowledged_action(Scenario::Guard, b"{}"), None);
        assert_eq!(acknowledged_action(Scenario::Guard, b"not json"), None);
    }

    fn machine() -> Machine {
        Machine {
            cpus: 2,
            cpu_model: Some("Test CPU".to_owned()),
            load_average_1m: Some(0.5),
        }
    }

    #[test]
    fn serve_report_says_what_was_lost() {
        let options = ServeOptions {
            scenario: Scenario::Lifecycle,
            connections: 4,
            duration_secs: 2,
            threads: 2,
            data_dir: None,
            json: false,
        };
        let tally = Tally {
            latencies_us: vec![3000, 1000, 2000, 4000],
            statuses: BTreeMap::from([(503, 2)]),
            connection_errors: 1,
            unacknowledged: 0,
            guarded: vec!["act_a".into(), "act_b".into(), "act_c".into()],
            closed: vec!["act_a".into()],
        };
        let after = AfterKill {
            actions: 2,
            closed: 1,
            log_leaves: 9,
            receipts_past_log: 0,
            missing_actions: 1,
            unclosed_actions: 0,
        };
        let report = ServeReport::new(
            &options,
            machine(),
            tally,
            Duration::from_secs(2),
            Some(after),
        );
        assert_eq!(report.requests, 4);
        assert_eq!(report.requests_per_s, 2.0);
        assert_eq!(report.errors.total, 3);
        assert_eq!(report.nothing_lost, Some(false));
        let text = report.text();
        assert!(text.contains("scenario lifecycle, 4 connections, 2 threads, 2 s, on 2 CPUs (Test CPU), load average 0.50"), "{text}");
        assert!(text.contains("latency p50 2.00 ms, p90 4.00 ms"), "{text}");
        assert!(
            text.contains("errors: 3 (connection 1, non-2xx 2: 2x503, unacknowledged 0)"),
            "{text}"
        );
        assert!(text.contains("after SIGKILL: 2 actions (1 closed), 9 log leaves, 0 receipts pointing past the log; 1 acknowledged guards without their action, 0 acknowledged outcomes without a closed action"), "{text}");
        assert!(
            text.contains("LOST: 3 guards and 1 outcomes were acknowledged"),
            "{text}"
        );
    }

    #[test]
    fn health_report_checks_no_durability() {
        let options = ServeOptions {
            scenario: Scenario::Health,
            connections: 1,
            duration_secs: 1,
            threads: 1,
            data_dir: None,
            json: true,
        };
        let report = ServeReport::new(&options, machine(), Tally::default(), Duration::ZERO, None);
        assert_eq!(report.requests_per_s, 0.0);
        assert_eq!(report.nothing_lost, None);
        assert!(report.text().contains("after SIGKILL: not checked"));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["scenario"], "health");
        assert_eq!(json["after_sigkill"], Value::Null);
    }

    #[test]
    fn runtime_figures_from_nanoseconds() {
        let figures = RuntimeFigures::of("mcp", vec![40_000, 10_000, 30_000, 20_000]);
        assert_eq!(figures.calls, 4);
        assert_eq!(figures.latency_us.p50, 20.0);
        assert_eq!(figures.latency_us.max, 40.0);
        assert_eq!(figures.calls_per_s, 4.0 / 100e-6);
        assert!(figures.row().starts_with("mcp "));
    }

    #[test]
    fn zero_counts_name_their_flag() {
        let err = at_least_one("--connections", 0).unwrap_err();
        assert!(matches!(&err, CliError::Input(m) if m.contains("--connections")));
        assert!(at_least_one("--connections", 1).is_ok());
    }
}
