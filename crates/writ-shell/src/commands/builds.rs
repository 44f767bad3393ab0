//! Build tools that send what they build to another host: a remote cache,
//! a remote executor or a build event service. Bazel (`bazel`,
//! `bazelisk`: `--remote_cache`, `--remote_executor`, `--bes_backend`,
//! `--experimental_remote_downloader`, with the headers each carries,
//! from the line and from the `.bazelrc` files written earlier, `--config`
//! expanded), Pants (`--remote-store-address` with `--remote-cache-write`
//! or `--remote-execution`), sccache as the compiler wrapper of a build
//! (`RUSTC_WRAPPER=sccache cargo build`, `CC="sccache gcc" make`, with its
//! storage from `SCCACHE_BUCKET`, `SCCACHE_ENDPOINT`, `SCCACHE_REDIS`,
//! `SCCACHE_GCS_BUCKET`, ...), Turborepo's remote cache (`--api`,
//! `--token`, `TURBO_TOKEN`) and Earthly's (`--remote-cache` with
//! `--push`). A cache that is written is an upload to its host; one only
//! read is a fetch, carrying the headers a read sends too. What the build
//! uploads is its own output, so the request carries the credentials and
//! headers given for the host, not the repository. The build tools'
//! `run` of a deploy target is a release (`deploy.rs`).

use super::deploy::{build_run_target, earthly_run};
use super::words::{self, Backslash};
use super::{Invocation, Outcome, request, url};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Payload, flow, paths};

pub(crate) use crate::commands::Lookup;

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "bazel" | "bazelisk" => Some(bazel(inv, &[])),
        "pants" => {
            let mut outcome = build_run_target(inv).unwrap_or_default();
            outcome.effects.extend(pants(inv));
            (!outcome.effects.is_empty()).then_some(outcome)
        }
        "buck" | "buck2" | "plz" | "please" => build_run_target(inv),
        _ => None,
    }
}

/// The remote caches a build run by any program writes through its
/// compiler wrapper or its own cache options (sccache, Turborepo,
/// Earthly), beside what its handler found.
pub(super) fn added(inv: &Invocation<'_>) -> Vec<Effect> {
    match inv.program {
        "turbo" => turbo(inv).into_iter().collect(),
        "earthly" => earthly_cache(inv).into_iter().collect(),
        _ if sccache_wraps(inv) => sccache(inv).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A Bazel command whose `.bazelrc` files were written earlier: its
/// remote options are those the files give the command (and the configs
/// `--config` names), then the line's own, as Bazel reads them.
pub(crate) fn configured(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if !matches!(inv.program, "bazel" | "bazelisk") {
        return;
    }
    let Some(line) = bazel_line(inv.args) else {
        return;
    };
    let lines = rc_lines(inv, &line.startup, text_of);
    if lines.is_empty() {
        return;
    }
    let without = bazel(inv, &[]).effects;
    let with = bazel(inv, &lines).effects;
    if with != without {
        outcome.effects.retain(|effect| !without.contains(effect));
        outcome.effects.extend(with);
    }
}

// ------------------------------------------------------------------ Bazel

/// A Bazel command line: its startup options, its command, and the
/// command's options and targets (up to `--`, after which the words go to
/// the program `run` runs).
struct BazelLine<'a> {
    startup: Vec<&'a Arg>,
    command: &'a str,
    options: Vec<&'a Arg>,
}

/// Bazel's startup options that take their value as the next word.
const BAZEL_STARTUP_VALUES: &[&str] = &[
    "--bazelrc",
    "--output_base",
    "--output_user_root",
    "--install_base",
    "--server_javabase",
    "--host_jvm_args",
    "--max_idle_secs",
    "--io_nice_level",
    "--connect_timeout_secs",
    "--local_startup_timeout_secs",
    "--digest_function",
    "--failure_detail_out",
];

fn bazel_line(words: &[Arg]) -> Option<BazelLine<'_>> {
    let mut startup = Vec::new();
    let mut rest = words.iter();
    let command = loop {
        let word = rest.next()?;
        if !word.text.starts_with('-') {
            break word.text.as_str();
        }
        startup.push(word);
        if BAZEL_STARTUP_VALUES.contains(&word.text.as_str()) {
            startup.extend(rest.next());
        }
    };
    let options = rest.take_while(|w| w.text != "--").collect();
    Some(BazelLine {
        startup,
        command,
        options,
    })
}

/// Bazel's commands that build, and so read and write the remote cache
/// and run actions on the remote executor.
const BAZEL_BUILDS: &[&str] = &["build", "test", "run", "coverage", "mobile-install"];

/// Bazel's commands that publish no build events.
const BAZEL_SILENT: &[&str] = &["version", "help", "shutdown", "license"];

/// Where a Bazel command sends, from its options (`rc` first, then the
/// line's, the last of a single-valued option winning).
#[derive(Default)]
struct BazelRemotes {
    cache: Option<String>,
    executor: Option<String>,
    bes: Option<String>,
    downloader: Option<String>,
    /// `--remote_upload_local_results` (on unless turned off).
    no_upload: bool,
    /// Headers for every remote service, and for each one's own.
    headers: Payload,
    cache_headers: Payload,
    exec_headers: Payload,
    bes_headers: Payload,
    downloader_headers: Payload,
    /// What the build event stream publishes: the command's options.
    options: Payload,
}

impl BazelRemotes {
    fn read(options: &[Arg]) -> Self {
        let mut remotes = Self::default();
        let mut words = options.iter();
        while let Some(word) = words.next() {
            flow::merge(&mut remotes.options, &word.payload());
            let Some(option) = word.text.strip_prefix("--") else {
                continue;
            };
            let (name, value) = match option.split_once('=') {
                Some((name, value)) => (name, Some(word.with_text(value))),
                None if BAZEL_REMOTE_VALUES.contains(&option) => (option, words.next().cloned()),
                None => (option, None),
            };
            remotes.set(name, value);
        }
        remotes
    }

    fn set(&mut self, name: &str, value: Option<Arg>) {
        let text = value.as_ref().map(|v| v.text.clone());
        let carried = value.as_ref().map(Arg::payload).unwrap_or_default();
        match name {
            "remote_cache" => self.cache = text,
            "remote_executor" => self.executor = text,
            "bes_backend" => self.bes = text,
            "experimental_remote_downloader" => self.downloader = text,
            "remote_header" => flow::merge(&mut self.headers, &carried),
            "remote_cache_header" => flow::merge(&mut self.cache_headers, &carried),
            "remote_exec_header" => flow::merge(&mut self.exec_headers, &carried),
            "bes_header" => flow::merge(&mut self.bes_headers, &carried),
            "remote_downloader_header" => flow::merge(&mut self.downloader_headers, &carried),
            "remote_upload_local_results" => {
                self.no_upload = text.is_some_and(|t| matches!(t.as_str(), "false" | "0" | "no"));
            }
            "noremote_upload_local_results" => self.no_upload = true,
            _ => {}
        }
    }

    /// The headers sent to one service: every service's, then its own.
    fn headers_with(&self, own: &Payload) -> Payload {
        let mut payload = self.headers.clone();
        flow::merge(&mut payload, own);
        payload
    }
}

/// Bazel's remote options that take a value (`--remote_cache URL` as well
/// as `--remote_cache=URL`).
const BAZEL_REMOTE_VALUES: &[&str] = &[
    "remote_cache",
    "remote_executor",
    "bes_backend",
    "experimental_remote_downloader",
    "remote_header",
    "remote_cache_header",
    "remote_exec_header",
    "bes_header",
    "remote_downloader_header",
    "config",
];

/// `bazel [startup options] COMMAND [options] [targets]`: a build (`build`,
/// `test`, `run`, `coverage`) with `--remote_executor` uploads its actions'
/// inputs there, with `--remote_cache` (the executor when none) uploads
/// its outputs (a read only with `--noremote_upload_local_results`);
/// `--bes_backend` receives the invocation's events, its options among
/// them; `--experimental_remote_downloader` is asked for the external
/// files. Each carries `--remote_header` and its own headers. `rc` are
/// the options `.bazelrc` files give the command, before the line's. What
/// `run` passes its program after `--` is read as an unknown program's
/// words are.
fn bazel(inv: &Invocation<'_>, rc: &[Arg]) -> Outcome {
    let mut outcome = build_run_target(inv).unwrap_or_default();
    let Some(line) = bazel_line(inv.args) else {
        return outcome;
    };
    if line.command == "run"
        && let Some(at) = inv.args.iter().position(|a| a.text == "--")
    {
        // The program run gets the words after `--`: read as any
        // program's are.
        let passed = inv.args.get(at + 1..).unwrap_or_default();
        let run = super::files::unknown(&inv.with_args(passed));
        outcome.effects.extend(run.effects);
    }
    let mut options: Vec<Arg> = rc.to_vec();
    options.extend(line.options.iter().map(|&a| a.clone()));
    let remotes = BazelRemotes::read(&options);
    let builds = BAZEL_BUILDS.contains(&line.command);
    let executor = remotes.executor.as_deref().and_then(remote_url);
    let cache = remotes
        .cache
        .as_deref()
        .and_then(remote_url)
        .or_else(|| executor.clone());
    let mut send = |target: &str, method: &str, payload: Payload| {
        outcome
            .effects
            .push(request(inv.program, url(target), method, payload, false));
    };
    if builds && let Some(executor) = &executor {
        send(
            executor,
            "UPLOAD",
            remotes.headers_with(&remotes.exec_headers),
        );
    }
    if builds && let Some(cache) = cache.as_ref().filter(|c| Some(*c) != executor.as_ref()) {
        let method = if remotes.no_upload && executor.is_none() {
            "GET"
        } else {
            "UPLOAD"
        };
        send(cache, method, remotes.headers_with(&remotes.cache_headers));
    }
    if !BAZEL_SILENT.contains(&line.command)
        && let Some(bes) = remotes.bes.as_deref().and_then(remote_url)
    {
        let mut payload = remotes.headers_with(&remotes.bes_headers);
        flow::merge(&mut payload, &remotes.options);
        send(&bes, "UPLOAD", payload);
    }
    if let Some(downloader) = remotes.downloader.as_deref().and_then(remote_url) {
        send(
            &downloader,
            "GET",
            remotes.headers_with(&remotes.downloader_headers),
        );
    }
    outcome
}

/// A remote service's address as a URL: as written when it has a scheme,
/// `grpcs://` (Bazel's default) before a bare `host:port`; `None` for none
/// (an empty value turns the service off) or a local socket (`unix:`).
fn remote_url(address: &str) -> Option<String> {
    let address = address.trim();
    if address.is_empty() || address.starts_with("unix:") {
        return None;
    }
    Some(if address.contains("://") {
        address.to_owned()
    } else {
        format!("grpcs://{address}")
    })
}

// ------------------------------------------------------------- .bazelrc

/// How many rc files, imports and nested configs are followed at most.
const MAX_RC_DEPTH: usize = 8;

/// One line of a `.bazelrc`: the command it applies to, the config it
/// belongs to (`build:ci`), and its options.
struct RcLine {
    command: String,
    config: Option<String>,
    options: Vec<String>,
}

/// The options the known `.bazelrc` files give `inv`'s command, in the
/// order Bazel applies them, with the `--config` options of those files
/// and of the line expanded. Empty when no rc file is known.
fn rc_lines(inv: &Invocation<'_>, startup: &[&Arg], text_of: &Lookup<'_>) -> Vec<Arg> {
    let Some(line) = bazel_line(inv.args) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for path in rc_files(inv, startup) {
        read_rc(&path, &workspace_of(&path), text_of, 0, &mut lines);
    }
    if lines.is_empty() {
        return Vec::new();
    }
    let commands = inherited_commands(line.command);
    let mut options = Vec::new();
    for command in &commands {
        for rc in lines
            .iter()
            .filter(|l| l.command == *command && l.config.is_none())
        {
            expand(&rc.options, &lines, &commands, 0, &mut options);
        }
    }
    // The line's own `--config=NAME` options bring in their rc lines.
    let own: Vec<String> = line.options.iter().map(|a| a.text.clone()).collect();
    let mut from_line = Vec::new();
    expand(&own, &lines, &commands, 0, &mut from_line);
    options.extend(from_line.into_iter().filter(|o| !own.contains(o)));
    options.iter().map(|o| Arg::literal(o)).collect()
}

/// The rc files Bazel reads, in order: the system's, the workspace's (a
/// `.bazelrc` in the working directory or above it, the nearest last, as
/// the workspace root is not known), the user's, then
/// each `--bazelrc` (`/dev/null` ends the list), each unless turned off.
fn rc_files(inv: &Invocation<'_>, startup: &[&Arg]) -> Vec<String> {
    let off = |name: &str| startup.iter().any(|a| a.text == name);
    let mut files = Vec::new();
    if !off("--nosystem_rc") {
        files.push("/etc/bazel.bazelrc".to_owned());
    }
    if !off("--noworkspace_rc") {
        let mut dir = inv.cwd.to_owned();
        let mut workspace = Vec::new();
        for _ in 0..MAX_RC_DEPTH * 4 {
            // The home directory's is the user's rc file, below.
            if dir != inv.home {
                workspace.push(paths::resolve(&dir, inv.home, ".bazelrc"));
            }
            match dir.rsplit_once('/') {
                Some(("", _)) | None => break,
                Some((parent, _)) => dir = parent.to_owned(),
            }
        }
        files.extend(workspace.into_iter().rev());
    }
    if !off("--nohome_rc") {
        files.push(paths::resolve(inv.cwd, inv.home, "~/.bazelrc"));
    }
    let mut words = startup.iter();
    while let Some(word) = words.next() {
        let value = match word.text.strip_prefix("--bazelrc=") {
            Some(value) => Some(value.to_owned()),
            None if word.text == "--bazelrc" => words.next().map(|v| v.text.clone()),
            None => None,
        };
        match value.as_deref() {
            Some("/dev/null") => break,
            Some(path) => files.push(inv.path(path)),
            None => {}
        }
    }
    files
}

/// The directory of the workspace an rc file belongs to (its own).
fn workspace_of(path: &str) -> String {
    path.rsplit_once('/')
        .map_or("/", |(dir, _)| if dir.is_empty() { "/" } else { dir })
        .to_owned()
}

/// Reads an rc file's lines into `out`, following its `import` and
/// `try-import` lines (`%workspace%` is the workspace's directory).
fn read_rc(path: &str, workspace: &str, text_of: &Lookup<'_>, depth: usize, out: &mut Vec<RcLine>) {
    if depth > MAX_RC_DEPTH {
        return;
    }
    let Some(text) = text_of(path) else {
        return;
    };
    let joined = text.replace("\\\n", " ");
    for line in joined.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = words::split(line, Backslash::Posix).into_iter();
        let Some(first) = words.next() else {
            continue;
        };
        let options: Vec<String> = words.take_while(|w| !w.starts_with('#')).collect();
        if matches!(first.as_str(), "import" | "try-import") {
            if let Some(target) = options.first() {
                let target = target.replace("%workspace%", workspace);
                let target = paths::resolve(workspace, "/", &target);
                read_rc(&target, workspace, text_of, depth + 1, out);
            }
            continue;
        }
        let (command, config) = match first.split_once(':') {
            Some((command, config)) => (command.to_owned(), Some(config.to_owned())),
            None => (first, None),
        };
        out.push(RcLine {
            command,
            config,
            options,
        });
    }
}

/// The rc commands whose lines apply to `command`, in the order Bazel
/// applies them: `common` (and `always`) first, then the commands it
/// inherits from (`test` inherits `build`'s options, `coverage` `test`'s).
fn inherited_commands(command: &str) -> Vec<&str> {
    let chain: &[&str] = match command {
        "test" => &["build", "test"],
        "coverage" => &["build", "test", "coverage"],
        "run" | "mobile-install" | "cquery" | "aquery" | "info" | "clean" | "print_action" => {
            &["build"]
        }
        _ => &[],
    };
    let mut commands = vec!["always", "common"];
    commands.extend(chain);
    if !commands.contains(&command) {
        commands.push(command);
    }
    commands
}

/// Adds `options` to `out`, each `--config=NAME` (or `--config NAME`)
/// replaced by the options of the `COMMAND:NAME` lines that apply.
fn expand(
    options: &[String],
    lines: &[RcLine],
    commands: &[&str],
    depth: usize,
    out: &mut Vec<String>,
) {
    let mut words = options.iter();
    while let Some(option) = words.next() {
        let config = match option.strip_prefix("--config=") {
            Some(name) => Some(name.to_owned()),
            None if option == "--config" => words.next().cloned(),
            None => None,
        };
        let Some(config) = config else {
            out.push(option.clone());
            continue;
        };
        if depth >= MAX_RC_DEPTH {
            continue;
        }
        for command in commands {
            for rc in lines
                .iter()
                .filter(|l| l.command == *command && l.config.as_deref() == Some(&config))
            {
                expand(&rc.options, lines, commands, depth + 1, out);
            }
        }
    }
}

// ------------------------------------------------------------------ Pants

/// Pants goals that only look at the build graph, running nothing.
const PANTS_LOOKS: &[&str] = &[
    "help",
    "help-all",
    "help-advanced",
    "version",
    "list",
    "peek",
    "roots",
    "paths",
    "filedeps",
    "dependencies",
    "dependents",
    "filter",
];

/// `pants [--remote-store-address=URL] [--remote-cache-write]
/// [--remote-execution] GOAL ...` (each option also as its `PANTS_...`
/// variable): processes it runs are uploaded to the remote store when it
/// writes the remote cache or executes remotely (at
/// `--remote-execution-address`, the store's address unless given), with
/// `--remote-store-headers` and `--remote-execution-headers`.
fn pants(inv: &Invocation<'_>) -> Vec<Effect> {
    let looks = args::words(inv.args)
        .first()
        .is_none_or(|goal| PANTS_LOOKS.contains(goal));
    if looks {
        return Vec::new();
    }
    let store = pants_value(inv, "remote-store-address").and_then(|a| remote_url(&a.text));
    let execution = pants_switch(inv, "remote-execution");
    let executor = pants_value(inv, "remote-execution-address")
        .and_then(|a| remote_url(&a.text))
        .or_else(|| store.clone())
        .filter(|_| execution);
    let mut effects = Vec::new();
    let headers = |name: &str| {
        pants_value(inv, name)
            .map(|value| value.payload())
            .unwrap_or_default()
    };
    if let Some(executor) = &executor {
        effects.push(request(
            inv.program,
            url(executor),
            "UPLOAD",
            headers("remote-execution-headers"),
            false,
        ));
    }
    let writes = pants_switch(inv, "remote-cache-write");
    let reads = pants_switch(inv, "remote-cache-read");
    if let Some(store) = store.filter(|s| Some(s) != executor.as_ref()) {
        let method = match (writes, reads) {
            (true, _) => "UPLOAD",
            (false, true) => "GET",
            (false, false) => return effects,
        };
        effects.push(request(
            inv.program,
            url(&store),
            method,
            headers("remote-store-headers"),
            false,
        ));
    }
    effects
}

/// A Pants option's value: the line's last `--NAME=V` (or `--NAME V`),
/// else its `PANTS_NAME` variable.
fn pants_value(inv: &Invocation<'_>, name: &str) -> Option<Arg> {
    let long = format!("--{name}");
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[name],
            stop_after: None,
        },
    );
    args::values(&items, &[long.as_str()])
        .last()
        .map(|&value| value.clone())
        .or_else(|| inv.env_value(&pants_variable(name)).cloned())
}

/// A Pants switch: `--NAME` or `--NAME=true` on, `--no-NAME` or
/// `--NAME=false` off, else its `PANTS_NAME` variable; off unless set.
fn pants_switch(inv: &Invocation<'_>, name: &str) -> bool {
    let on = format!("--{name}");
    let off = format!("--no-{name}");
    let from_line = inv.args.iter().rev().find_map(|arg| {
        let text = arg.text.as_str();
        if text == on {
            Some(true)
        } else if text == off {
            Some(false)
        } else {
            text.strip_prefix(&on)
                .and_then(|rest| rest.strip_prefix('='))
                .map(is_true)
        }
    });
    from_line.unwrap_or_else(|| {
        inv.env_value(&pants_variable(name))
            .is_some_and(|v| is_true(&v.text))
    })
}

/// `remote-cache-write` is `PANTS_REMOTE_CACHE_WRITE`.
fn pants_variable(name: &str) -> String {
    format!("PANTS_{}", name.replace('-', "_").to_ascii_uppercase())
}

fn is_true(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

// ---------------------------------------------------------------- sccache

/// True when `inv` compiles through sccache: cargo's building commands
/// with `RUSTC_WRAPPER` (or `CARGO_BUILD_RUSTC_WRAPPER`, `--config
/// build.rustc-wrapper=...`) or a C compiler variable (`CC`, `CXX`) that
/// runs sccache, make with such a compiler (in its environment or its
/// `CC=...` arguments), and `sccache COMPILER ...` itself.
fn sccache_wraps(inv: &Invocation<'_>) -> bool {
    match inv.program {
        "cargo" => {
            cargo_builds(inv.args)
                && (wrapper_variable(inv, &["RUSTC_WRAPPER", "CARGO_BUILD_RUSTC_WRAPPER"])
                    || c_wrapped(inv)
                    || inv.args.iter().any(|a| {
                        a.text.starts_with("build.rustc-wrapper=")
                            && is_sccache(a.text.split_once('=').map_or("", |(_, v)| v))
                    }))
        }
        "make" | "gmake" => c_wrapped(inv),
        "sccache" => inv.args.first().is_some_and(|a| !a.text.starts_with('-')),
        _ => false,
    }
}

/// The compiler variables a C or C++ build runs.
const C_COMPILER_VARIABLES: &[&str] = &["CC", "CXX", "OBJC", "OBJCXX"];

/// A C compiler variable, in the environment or a make `NAME=VALUE`
/// argument, that runs sccache.
fn c_wrapped(inv: &Invocation<'_>) -> bool {
    wrapper_variable(inv, C_COMPILER_VARIABLES)
        || inv.args.iter().any(|a| {
            a.text.split_once('=').is_some_and(|(name, value)| {
                C_COMPILER_VARIABLES.contains(&name) && is_sccache(value)
            })
        })
}

fn wrapper_variable(inv: &Invocation<'_>, names: &[&str]) -> bool {
    names
        .iter()
        .any(|name| inv.env_value(name).is_some_and(|v| is_sccache(&v.text)))
}

/// A command whose first word is sccache (`sccache`, `/usr/bin/sccache`,
/// `sccache gcc`).
fn is_sccache(command: &str) -> bool {
    let first = command
        .trim_matches(['"', '\''])
        .split_whitespace()
        .next()
        .unwrap_or_default();
    paths::basename(first) == "sccache"
}

/// Cargo's commands that compile.
const CARGO_BUILDS: &[&str] = &[
    "build", "b", "test", "t", "check", "c", "run", "r", "bench", "install", "doc", "d", "clippy",
    "rustc", "rustdoc", "fix", "nextest", "llvm-cov",
];

/// Whether a cargo line's command compiles (`cargo +nightly build`).
fn cargo_builds(words: &[Arg]) -> bool {
    let items = args::parse(
        words,
        &Spec {
            short: "ZCjpF",
            long: &[
                "config",
                "color",
                "manifest-path",
                "target-dir",
                "package",
                "jobs",
                "features",
                "target",
                "profile",
                "message-format",
                "exclude",
                "bin",
                "example",
                "test",
                "bench",
            ],
            stop_after: None,
        },
    );
    args::positionals(&items)
        .into_iter()
        .find(|w| !w.text.starts_with('+'))
        .is_some_and(|w| CARGO_BUILDS.contains(&w.text.as_str()))
}

/// sccache's storage, from its variables, in the order sccache chooses
/// one: the URL it sends to, and whether it writes there.
fn sccache_storage(inv: &Invocation<'_>) -> Option<(String, bool)> {
    let var = |name: &str| {
        inv.env_value(name)
            .map(|v| v.text.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let read_only = |name: &str| var(name).is_some_and(|m| m.eq_ignore_ascii_case("READ_ONLY"));
    let prefixed = |base: String, prefix: Option<String>| match prefix {
        Some(prefix) => format!("{}/{}", base, prefix.trim_matches('/')),
        None => base,
    };
    if let Some(bucket) = var("SCCACHE_BUCKET") {
        let base = match var("SCCACHE_ENDPOINT") {
            Some(endpoint) => {
                let secure = var("SCCACHE_S3_USE_SSL").is_none_or(|v| is_true(&v));
                let scheme = if secure { "https" } else { "http" };
                format!("{}/{bucket}", with_scheme(&endpoint, scheme))
            }
            None => format!("s3://{bucket}"),
        };
        let anonymous = var("SCCACHE_S3_NO_CREDENTIALS").is_some_and(|v| is_true(&v));
        return Some((prefixed(base, var("SCCACHE_S3_KEY_PREFIX")), !anonymous));
    }
    if let Some(endpoint) = var("SCCACHE_REDIS")
        .or_else(|| var("SCCACHE_REDIS_ENDPOINT"))
        .or_else(|| {
            var("SCCACHE_REDIS_CLUSTER_ENDPOINTS")
                .and_then(|list| list.split(',').next().map(str::to_owned))
        })
    {
        return Some((with_scheme(&endpoint, "redis"), true));
    }
    if let Some(endpoint) = var("SCCACHE_MEMCACHED").or_else(|| var("SCCACHE_MEMCACHED_ENDPOINT")) {
        return Some((with_scheme(&endpoint, "tcp"), true));
    }
    if let Some(bucket) = var("SCCACHE_GCS_BUCKET") {
        let base = prefixed(format!("gs://{bucket}"), var("SCCACHE_GCS_KEY_PREFIX"));
        return Some((base, !read_only("SCCACHE_GCS_RW_MODE")));
    }
    if let Some(connection) = var("SCCACHE_AZURE_CONNECTION_STRING") {
        let container = var("SCCACHE_AZURE_BLOB_CONTAINER").unwrap_or_default();
        return azure_blob_endpoint(&connection).map(|e| (format!("{e}/{container}"), true));
    }
    if let Some(endpoint) = var("SCCACHE_WEBDAV_ENDPOINT") {
        let base = prefixed(
            with_scheme(&endpoint, "https"),
            var("SCCACHE_WEBDAV_KEY_PREFIX"),
        );
        return Some((base, true));
    }
    for (bucket, endpoint) in [
        ("SCCACHE_OSS_BUCKET", "SCCACHE_OSS_ENDPOINT"),
        ("SCCACHE_COS_BUCKET", "SCCACHE_COS_ENDPOINT"),
    ] {
        if let (Some(bucket), Some(endpoint)) = (var(bucket), var(endpoint)) {
            return Some((
                format!("{}/{bucket}", with_scheme(&endpoint, "https")),
                true,
            ));
        }
    }
    None
}

/// `address` with `scheme` before it unless it has one.
fn with_scheme(address: &str, scheme: &str) -> String {
    let address = address.trim_end_matches('/');
    if address.contains("://") {
        address.to_owned()
    } else {
        format!("{scheme}://{address}")
    }
}

/// The blob endpoint an Azure storage connection string names
/// (`BlobEndpoint=...`, else `https://ACCOUNT.blob.core.windows.net`).
fn azure_blob_endpoint(connection: &str) -> Option<String> {
    let field = |name: &str| {
        connection.split(';').find_map(|part| {
            part.split_once('=')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
        })
    };
    if let Some(endpoint) = field("BlobEndpoint") {
        return Some(endpoint.trim_end_matches('/').to_owned());
    }
    let account = field("AccountName")?;
    let suffix = field("EndpointSuffix").unwrap_or_else(|| "core.windows.net".to_owned());
    Some(format!("https://{account}.blob.{suffix}"))
}

/// Variables whose values sccache sends to its storage as they are.
const SCCACHE_CREDENTIALS: &[&str] = &[
    "SCCACHE_REDIS_PASSWORD",
    "SCCACHE_MEMCACHED_PASSWORD",
    "SCCACHE_WEBDAV_PASSWORD",
    "SCCACHE_WEBDAV_TOKEN",
];

/// A build through sccache stores what it compiles in sccache's storage
/// ([`sccache_storage`]): an upload there, or a read when the storage is
/// read-only. A local disk cache (no storage variable) sends nothing.
fn sccache(inv: &Invocation<'_>) -> Option<Effect> {
    let (target, writes) = sccache_storage(inv)?;
    let mut payload = Payload::default();
    for name in SCCACHE_CREDENTIALS {
        if let Some(value) = inv.env_value(name) {
            flow::merge(&mut payload, &value.payload());
        }
    }
    let method = if writes { "UPLOAD" } else { "GET" };
    Some(request("sccache", url(&target), method, payload, false))
}

// ---------------------------------------------------------------- Turbo

/// Turborepo's commands that run no tasks.
const TURBO_COMMANDS: &[&str] = &[
    "bin",
    "boundaries",
    "completion",
    "daemon",
    "devtools",
    "gen",
    "generate",
    "info",
    "link",
    "login",
    "logout",
    "ls",
    "prune",
    "query",
    "scan",
    "telemetry",
    "unlink",
];

/// `turbo run TASKS [--api URL] [--token T] [--team SLUG]` (and `turbo
/// TASK`, `turbo watch`): with a token (`--token`, `TURBO_TOKEN`) the
/// remote cache at `--api` (`TURBO_API`; Vercel's unless given) receives
/// each task's outputs, with the token; `--remote-cache-read-only`, or a
/// `--cache` (`TURBO_CACHE`) whose `remote:` part has no `w`, only reads
/// it; a dry run runs nothing.
fn turbo(inv: &Invocation<'_>) -> Option<Effect> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "F",
            long: &[
                "api",
                "token",
                "team",
                "cache",
                "cache-dir",
                "filter",
                "concurrency",
                "output-logs",
                "log-order",
                "log-prefix",
                "env-mode",
                "cwd",
                "profile",
                "heap",
                "ui",
                "login",
                "affected",
            ],
            stop_after: None,
        },
    );
    let first = args::positionals(&items).first().map(|a| a.text.as_str())?;
    if TURBO_COMMANDS.contains(&first) || args::has(&items, &["--dry", "--dry-run"]) {
        return None;
    }
    let token = args::value(&items, &["--token"]).or_else(|| inv.env_value("TURBO_TOKEN"))?;
    let cache = args::value(&items, &["--cache"])
        .or_else(|| inv.env_value("TURBO_CACHE"))
        .map(|c| c.text.clone());
    let remote = match &cache {
        Some(cache) => cache
            .split(',')
            .find_map(|part| part.trim().strip_prefix("remote:"))
            .map(str::to_owned),
        None => Some("rw".to_owned()),
    };
    let remote = remote.filter(|mode| mode.contains('r') || mode.contains('w'))?;
    let read_only = !remote.contains('w')
        || args::has(&items, &["--remote-cache-read-only"])
        || inv
            .env_value("TURBO_REMOTE_CACHE_READ_ONLY")
            .is_some_and(|v| is_true(&v.text));
    let api = args::value(&items, &["--api"])
        .or_else(|| inv.env_value("TURBO_API"))
        .map_or("https://vercel.com/api", |a| a.text.as_str());
    let mut payload = token.payload();
    if let Some(team) = args::value(&items, &["--team"]).or_else(|| inv.env_value("TURBO_TEAM")) {
        flow::merge(&mut payload, &team.payload());
    }
    let method = if read_only { "GET" } else { "UPLOAD" };
    let target = format!("{}/v8/artifacts", with_scheme(api, "https"));
    Some(request(inv.program, url(&target), method, payload, false))
}

// --------------------------------------------------------------- Earthly

/// `earthly --push --remote-cache=REF +TARGET` (or `EARTHLY_REMOTE_CACHE`,
/// `EARTHLY_PUSH`): the cache image is pushed to REF's registry. Without
/// `--push` the cache is only read.
fn earthly_cache(inv: &Invocation<'_>) -> Option<Effect> {
    let run = earthly_run(inv.args);
    let pushes = args::has(&run.options, &["--push"])
        || inv
            .env_value("EARTHLY_PUSH")
            .is_some_and(|v| is_true(&v.text));
    let reference = args::value(&run.options, &["--remote-cache"])
        .or_else(|| inv.env_value("EARTHLY_REMOTE_CACHE"))
        .map(|r| r.text.as_str())
        .filter(|r| !r.is_empty())?;
    pushes.then(|| super::cloud::image_upload(inv.program, reference, Payload::default()))
}
