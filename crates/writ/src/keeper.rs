//! The keeper of an embedded store (`writ store keep`), which also answers
//! hook calls.
//!
//! A coding agent runs `writ hook` as a new process for every tool call.
//! On its own, each such process loads the policy pack (Cedar's parser
//! compiles its lexer and parses every file), opens the store and decides:
//! most of a call's time. The keeper is already running beside the store
//! (the first hook call starts it, [`writ_store::KeeperLock::keep`]), so it
//! also listens on a Unix socket in a directory only its user can enter
//! (`writ.keeper.d/hook.sock`, mode 0700), with the pack parsed and the
//! store open. A hook call sends it the event with what shapes the
//! decision (its working directory, `$HOME`, `--deployment` and
//! `--policy`), and the keeper answers exactly as the call would have
//! ([`crate::hook::handle_in`] with an engine built from the same sources,
//! read again for every call, so a changed policy or deployment file
//! applies at once).
//!
//! No keeper (none runs, or it is another build of writ): the call decides
//! by itself. Once the request is sent, though, the keeper may have acted,
//! so a keeper that fails to answer is a refusal. A keeper going idle stops
//! listening (removes the socket) and answers what already reached it
//! before it exits.

use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use writ_core::Engine;
use writ_store::{KeeperLock, Store};

use crate::defaults::EngineSources;
use crate::error::CliError;
use crate::hook::{Agent, HookAnswer};

/// The directory (mode 0700) that holds the keeper's socket, in the store's.
const SOCKET_DIR: &str = "writ.keeper.d";
const SOCKET: &str = "hook.sock";
/// How long a hook waits for the keeper's answer: longer than the store's
/// busy timeout (10 s), which the keeper may wait through as a hook would.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the keeper waits for a request once connected.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest request the keeper reads.
const MAX_REQUEST_BYTES: u64 = 16 << 20;
/// Engines kept for different sources (working directories, packs).
const ENGINES_KEPT: usize = 4;
/// Calls after which the keeper checkpoints (a few megabytes of WAL) even
/// if [`writ_store::KEEP_CHECKPOINT_EVERY`] has not passed: a checkpoint
/// holds up the call that arrives during it, so back-to-back calls meet
/// one rarely.
const CHECKPOINT_AFTER_CALLS: u32 = 128;

/// Where the keeper of the store in `dir` listens.
pub fn socket_path(dir: &Path) -> PathBuf {
    dir.join(SOCKET_DIR).join(SOCKET)
}

/// One hook call, as sent to the keeper.
#[derive(Debug, Serialize, Deserialize)]
pub struct HookRequest {
    /// [`build_id`] of the sender: a keeper of another build does not answer.
    pub build: String,
    pub agent: Agent,
    pub cwd: PathBuf,
    pub home: Option<String>,
    /// `--deployment` and `--policy`, made absolute against `cwd`.
    pub deployment: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    /// The agent's event, as read on stdin.
    pub input: String,
}

impl HookRequest {
    /// The request for this process's hook call; `None` when its working
    /// directory cannot be read (the call then decides by itself, and
    /// fails there as it would anyway).
    pub fn new(
        agent: Agent,
        deployment: Option<&Path>,
        policy: Option<&Path>,
        input: &str,
    ) -> Option<HookRequest> {
        HookRequest::for_build(build_id()?, agent, deployment, policy, input)
    }

    /// The same, from a process that is not `writ` itself (`writ-hook`):
    /// `build` is [`build_id_of`] the `writ` that the keeper runs.
    pub fn for_build(
        build: String,
        agent: Agent,
        deployment: Option<&Path>,
        policy: Option<&Path>,
        input: &str,
    ) -> Option<HookRequest> {
        let cwd = std::env::current_dir().ok()?;
        Some(HookRequest {
            build,
            agent,
            deployment: deployment.map(|p| cwd.join(p)),
            policy: policy.map(|p| cwd.join(p)),
            home: std::env::var("HOME").ok(),
            cwd,
            input: input.to_owned(),
        })
    }
}

/// The keeper's reply.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
enum Reply {
    Answer {
        stdout: String,
        stderr: String,
        exit: u8,
    },
    /// The keeper is another build of writ; it stops, and the call decides
    /// by itself.
    OtherBuild,
}

/// Which build of writ this process is: its executable's path, size and
/// modification time. A keeper left running by an older writ has another.
pub fn build_id() -> Option<String> {
    build_id_of(&std::env::current_exe().ok()?)
}

/// [`build_id`] of the executable at `exe`.
pub fn build_id_of(exe: &Path) -> Option<String> {
    let meta = std::fs::metadata(exe).ok()?;
    Some(format!(
        "{} {} {}.{}",
        exe.display(),
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec()
    ))
}

/// Has the keeper of the store in `dir` answer `request`. `None` when no
/// keeper answers (none listens, or it is another build): the caller
/// decides by itself.
pub fn ask(dir: &Path, request: &HookRequest) -> Option<HookAnswer> {
    let stream = UnixStream::connect(socket_path(dir)).ok()?;
    match exchange(stream, request) {
        Ok(Reply::Answer {
            stdout,
            stderr,
            exit,
        }) => Some(HookAnswer {
            stdout,
            stderr,
            exit,
        }),
        Ok(Reply::OtherBuild) => None,
        Err(e) => Some(HookAnswer::refuse(&format!(
            "the store's keeper took the call but did not answer ({e}), so it is refused"
        ))),
    }
}

fn exchange(mut stream: UnixStream, request: &HookRequest) -> std::io::Result<Reply> {
    stream.set_read_timeout(Some(ANSWER_TIMEOUT))?;
    stream.set_write_timeout(Some(ANSWER_TIMEOUT))?;
    serde_json::to_writer(&mut stream, request).map_err(std::io::Error::other)?;
    stream.shutdown(std::net::Shutdown::Write)?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply)?;
    serde_json::from_slice(&reply).map_err(std::io::Error::other)
}

/// `writ store keep`: keeps the store in `dir` ([`KeeperLock::keep`]) and
/// answers hook calls meanwhile, until it has been idle for `idle`. Returns
/// at once when another keeper holds the store. Without a socket (a path
/// too long for one, say) it only keeps the store.
pub fn run(dir: &Path, idle: Duration) -> Result<(), CliError> {
    let db = dir.join("writ.db");
    let internal = |e: writ_store::StoreError| CliError::Internal(e.to_string());
    let Some(lock) = KeeperLock::take(&db).map_err(internal)? else {
        return Ok(());
    };
    let Ok(listener) = listen(dir) else {
        return lock.keep(idle, || false, true).map_err(internal);
    };
    let stop = Arc::new(AtomicBool::new(false));
    let server = {
        let (dir, stop) = (dir.to_owned(), Arc::clone(&stop));
        std::thread::Builder::new()
            .name("writ-keeper-hooks".to_owned())
            // The main thread's stack: deciding walks nested text (`writ_shell`'s
            // nesting limits are measured against it).
            .stack_size(8 << 20)
            .spawn(move || serve(&listener, &dir, &stop))
            .map_err(|e| CliError::Internal(format!("cannot start the hook server: {e}")))?
    };
    // The server checkpoints between its commits; the loop watches for idleness.
    let kept = lock.keep(idle, || stop.load(Ordering::SeqCst), false);
    stop.store(true, Ordering::SeqCst);
    // Wakes the server from `accept` (a connection that asks nothing) and
    // waits for it to answer what is waiting. With the socket gone (the
    // store's directory removed, or the server stopped by itself) nothing
    // can be waiting, and the process's end stops the server.
    if UnixStream::connect(socket_path(dir)).is_ok() {
        let _ = server.join();
    }
    kept.map_err(internal)
}

/// Binds the socket in a directory made afresh with mode 0700, so only
/// this user can connect.
fn listen(dir: &Path) -> std::io::Result<UnixListener> {
    let socket_dir = dir.join(SOCKET_DIR);
    // A socket left by a keeper that died, and its directory, whoever made it.
    match std::fs::remove_dir_all(&socket_dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::DirBuilder::new().mode(0o700).create(&socket_dir)?;
    UnixListener::bind(socket_path(dir))
}

/// Answers hook calls until `stop`, checkpointing between them; then stops
/// listening and answers the calls already waiting.
fn serve(listener: &UnixListener, dir: &Path, stop: &AtomicBool) {
    let mut keeper = Answerer {
        dir: dir.to_owned(),
        build: build_id(),
        store: None,
        uncheckpointed: 0,
        last_checkpoint: Instant::now(),
        engines: Vec::new(),
    };
    for stream in listener.incoming() {
        match stream.map(|stream| keeper.serve(stream)) {
            Ok(Served::Answered) => keeper.checkpoint_if_due(),
            Ok(Served::OtherBuild) => stop.store(true, Ordering::SeqCst),
            Ok(Served::Nothing) | Err(_) => {}
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    let _ = std::fs::remove_file(socket_path(dir));
    if listener.set_nonblocking(true).is_ok() {
        while let Ok((stream, _)) = listener.accept() {
            if stream.set_nonblocking(false).is_ok() {
                keeper.serve(stream);
            }
        }
    }
}

enum Served {
    Answered,
    OtherBuild,
    Nothing,
}

/// The keeper's side of a hook call: the open store and recent engines.
struct Answerer {
    dir: PathBuf,
    /// [`build_id`] of the keeper, taken when it starts: a request from
    /// another build (or from this path rebuilt since) does not match.
    build: Option<String>,
    store: Option<Store>,
    /// Calls answered since the last checkpoint, and when that was.
    uncheckpointed: u32,
    last_checkpoint: Instant,
    /// Most recently used first.
    engines: Vec<(EngineSources, Engine)>,
}

impl Answerer {
    /// Checkpoints and starts the WAL over right after answering a call,
    /// at most every [`writ_store::KEEP_CHECKPOINT_EVERY`] (or after
    /// [`CHECKPOINT_AFTER_CALLS`]), so that no call pays for it. A failure
    /// is left for the next time: hooks' commits do not depend on it.
    fn checkpoint_if_due(&mut self) {
        self.uncheckpointed += 1;
        if self.uncheckpointed < CHECKPOINT_AFTER_CALLS
            && self.last_checkpoint.elapsed() < writ_store::KEEP_CHECKPOINT_EVERY
        {
            return;
        }
        if let Some(store) = &self.store {
            let _ = store.checkpoint_and_start_over(1);
        }
        self.uncheckpointed = 0;
        self.last_checkpoint = Instant::now();
    }

    fn serve(&mut self, mut stream: UnixStream) -> Served {
        let mut request = Vec::new();
        let read = stream
            .set_read_timeout(Some(REQUEST_TIMEOUT))
            .and_then(|()| {
                (&mut stream)
                    .take(MAX_REQUEST_BYTES)
                    .read_to_end(&mut request)
            });
        if read.is_err() || request.is_empty() {
            return Served::Nothing;
        }
        let (reply, served) = match serde_json::from_slice::<HookRequest>(&request) {
            Err(e) => (
                answer(HookAnswer::refuse(&format!(
                    "the store's keeper got a request it cannot read: {e}"
                ))),
                Served::Answered,
            ),
            Ok(request) if Some(&request.build) != self.build.as_ref() => {
                (Reply::OtherBuild, Served::OtherBuild)
            }
            Ok(request) => (answer(self.answer(&request)), Served::Answered),
        };
        if let Ok(bytes) = serde_json::to_vec(&reply) {
            let _ = stream.write_all(&bytes);
        }
        served
    }

    /// What `writ hook` would have answered in the request's process, on
    /// the keeper's open store.
    fn answer(&mut self, request: &HookRequest) -> HookAnswer {
        if let Err(e) = self.engine(request) {
            return crate::hook::refuse_unconfigured(&e);
        }
        if self.store.is_none() {
            self.store = Store::open(&self.dir.join("writ.db")).ok();
        }
        let engine = &self.engines[0].1;
        let (agent, input) = (request.agent, request.input.as_str());
        let now = OffsetDateTime::now_utc();
        match self.store.as_mut() {
            Some(store) => crate::hook::handle_in(agent, input, engine, store, now),
            // Opening it again refuses the call with the reason, as the call would.
            None => crate::hook::handle(agent, input, engine, &self.dir, now),
        }
    }

    /// Moves an engine for the request's sources to the front of
    /// `engines`, building one if none matches.
    fn engine(&mut self, request: &HookRequest) -> Result<(), CliError> {
        let sources = EngineSources::read(
            &request.cwd,
            request.home.as_deref(),
            request.deployment.as_deref(),
            request.policy.as_deref(),
        )?;
        let found = self.engines.iter().position(|(s, _)| *s == sources);
        let entry = match found {
            Some(i) => self.engines.remove(i),
            None => {
                let engine = sources.build()?;
                (sources, engine)
            }
        };
        self.engines.insert(0, entry);
        self.engines.truncate(ENGINES_KEPT);
        Ok(())
    }
}

fn answer(a: HookAnswer) -> Reply {
    Reply::Answer {
        stdout: a.stdout,
        stderr: a.stderr,
        exit: a.exit,
    }
}

/// `writ-hook AGENT` on the embedded store in `dir`: the store's keeper
/// answers when one runs; otherwise `writ hook AGENT` (the `writ` next to
/// this executable) decides, and starts a keeper for the next calls. Either
/// way the answer is `writ hook`'s, for a fraction of its start-up.
pub fn run_slim(
    agent: Agent,
    deployment: Option<&Path>,
    policy: Option<&Path>,
    dir: &Path,
) -> std::process::ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        return HookAnswer::refuse(&format!("cannot read the hook input: {e}")).emit();
    }
    let writ = match std::env::current_exe() {
        Ok(exe) => exe.with_file_name("writ"),
        Err(e) => {
            return HookAnswer::refuse(&format!("cannot find writ next to writ-hook: {e}")).emit();
        }
    };
    if let Some(answer) = build_id_of(&writ)
        .and_then(|build| HookRequest::for_build(build, agent, deployment, policy, &input))
        .and_then(|request| ask(dir, &request))
    {
        return answer.emit();
    }
    let mut command = std::process::Command::new(&writ);
    command.args(["hook", agent.name()]);
    if let Some(d) = deployment {
        command.arg("--deployment").arg(d);
    }
    if let Some(p) = policy {
        command.arg("--policy").arg(p);
    }
    command.arg("--store").arg(dir);
    match decide_in(command, &input) {
        Ok(code) => std::process::ExitCode::from(code),
        Err(e) => HookAnswer::refuse(&format!(
            "cannot run `{}` to decide, so the call is refused: {e}",
            writ.display()
        ))
        .emit(),
    }
}

/// Runs `command` (a `writ hook`) with `input` on its stdin and this
/// process's stdout and stderr; its exit code, 2 (refuse) if a signal
/// ended it.
fn decide_in(mut command: std::process::Command, input: &str) -> std::io::Result<u8> {
    let mut child = command.stdin(std::process::Stdio::piped()).spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes())?;
    }
    let status = child.wait()?;
    Ok(status
        .code()
        .and_then(|c| u8::try_from(c).ok())
        .unwrap_or(2))
}
