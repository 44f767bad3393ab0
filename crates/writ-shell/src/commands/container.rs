//! Commands run in a container: `docker run IMAGE CMD...`, `docker exec
//! CONTAINER CMD...` (and podman, nerdctl), `docker compose exec|run
//! SERVICE CMD...`, and the services `docker compose run|up` starts when
//! the compose file was written earlier (`compose_services`). The
//! container's command is analysed as a nested command. What it sends over the network is sent
//! from this machine's network as any command's is. Its file paths are the
//! container's: a path under a bind mount (`-v HOST:CTR`, `--mount
//! type=bind,source=HOST,target=CTR`) is the host path it maps to, and any
//! other path is inside the container: what it writes or deletes there
//! changes nothing of the host's, and what it reads or sends is the
//! container's own file, named by its path there (`/srv/app/.env`), as
//! `docker cp` names what it copies out. Image builds (`build.rs`) carry
//! their build arguments and, when the Dockerfile is known, the context
//! files it copies in (`dockerfile.rs`).

mod build;
mod dockerfile;
mod jib;
mod yaml;

pub(crate) use build::written_dockerfile;
pub(super) use jib::jib_pushes;

use super::words::{self, Backslash};
use super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Spec};
use crate::{Effect, FileRef, Payload, flow, paths};
use yaml::Yaml;

/// Options of `run`/`create`/`exec` that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "attach",
    "cpu-shares",
    "env",
    "hostname",
    "label",
    "memory",
    "publish",
    "user",
    "volume",
    "workdir",
    "name",
    "network",
    "net",
    "entrypoint",
    "env-file",
    "mount",
    "platform",
    "pull",
    "restart",
    "log-driver",
    "log-opt",
    "add-host",
    "device",
    "dns",
    "expose",
    "gpus",
    "ipc",
    "pid",
    "runtime",
    "shm-size",
    "tmpfs",
    "ulimit",
    "cap-add",
    "cap-drop",
    "security-opt",
    "stop-signal",
    "stop-timeout",
    "cpus",
    "memory-swap",
    "label-file",
    "volumes-from",
    "cidfile",
    "detach-keys",
    "health-cmd",
    "isolation",
    "userns",
    "uts",
    "link",
    "group-add",
];

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if let Some(outcome) = compose(inv).or_else(|| build::image_build(inv)) {
        return Some(outcome);
    }
    if !matches!(inv.program, "docker" | "podman" | "nerdctl") {
        return None;
    }
    // Global options first (`docker --log-level debug run ...`).
    let daemon = super::orchestrators::docker_daemon(inv);
    let (verb, rest) = match daemon.command {
        [container, verb, rest @ ..] if container.text == "container" => (verb, rest),
        [verb, rest @ ..] => (verb, rest),
        [] => return None,
    };
    let exec = match verb.text.as_str() {
        "run" => false,
        "exec" => true,
        "cp" => return Some(copy(inv, rest)),
        _ => return None,
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "acehlmpuvw",
            long: VALUE_OPTIONS,
            stop_after: Some(0),
        },
    );
    let mut words: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    if words.is_empty() {
        return Some(Outcome::default());
    }
    // The image (run) or the container (exec).
    let image = words.remove(0);
    if let Some(entrypoint) = args::value(&items, &["--entrypoint"]) {
        words.insert(0, entrypoint.clone());
    } else if let Some(program) = (!exec).then(|| entrypoint(&image.text)).flatten()
        && words.first().is_none_or(|w| w.text != program)
    {
        // A CLI's own image runs the CLI: its words are the CLI's
        // (`amazon/aws-cli s3 rb s3://b`).
        words.insert(0, image.with_text(program));
    } else if !exec && words.first().is_some_and(|w| w.text.starts_with('-')) {
        // Options first: the image's own entrypoint takes them, which a
        // single-tool image names (`curlimages/curl -s URL`).
        words.insert(0, image.with_text(image_program(&image.text)));
    }
    if words.is_empty() {
        return Some(Outcome::default());
    }
    let workdir = args::value(&items, &["-w", "--workdir"])
        .map_or_else(|| "/".to_owned(), |w| crate::paths::normalize(&w.text));
    let mut outcome = Outcome::default();
    if daemon.host.is_some() || daemon.context.is_some() {
        // A daemon on another machine runs it there (as `lxc exec
        // REMOTE:NAME` does): the command goes to that daemon, and its
        // mounts are that machine's paths, none of this one's.
        if let Some(host) = &daemon.host {
            let mut payload = Payload::default();
            let line: Vec<String> = words.iter().map(|w| words::quote(&w.text)).collect();
            flow::push_text(&mut payload, &line.join(" "));
            for word in &words {
                flow::merge(&mut payload, &word.expansions());
            }
            if args::has(&items, &["-i", "--interactive"]) && inv.has_stdin {
                flow::merge(&mut payload, inv.stdin);
            }
            outcome.effects.push(super::request(
                inv.program,
                super::url(host),
                "EXEC",
                payload,
                false,
            ));
        }
        outcome.nested.push(Nested::Container {
            argv: words,
            workdir,
            mounts: Vec::new(),
        });
        return Some(outcome);
    }
    let mut mounts: Vec<(String, String)> = Vec::new();
    if !exec {
        for volume in args::values(&items, &["-v", "--volume"]) {
            if let Some(mount) = volume_mount(inv, &volume.text) {
                mounts.push(mount);
            }
        }
        for mount in args::values(&items, &["--mount"]) {
            if let Some(mount) = bind_mount(inv, &mount.text) {
                mounts.push(mount);
            }
        }
    }
    outcome.nested.push(Nested::Container {
        argv: words,
        workdir,
        mounts,
    });
    Some(outcome)
}

/// `docker cp [OPTIONS] CONTAINER:SRC DEST|-` and `docker cp SRC|-
/// CONTAINER:DEST` (`container cp`, podman, nerdctl). A path in the
/// container is the container's own, named by its absolute path there
/// (a relative one is relative to its root), never a host path: what is
/// copied out is read there and lands in DEST, or goes to standard
/// output as a tar stream (`-`); what is copied in is read here and
/// stays in the container.
fn copy(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(rest, &Spec::default());
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    let [source, destination] = args::positionals(&items)[..] else {
        return outcome;
    };
    match (
        container_path(&source.text),
        container_path(&destination.text),
    ) {
        (Some(inside), None) => {
            outcome.read(inside.clone(), true);
            let copied = crate::flow::file_payload(inside.clone(), true);
            if destination.text == "-" {
                outcome.stdout = Some(copied);
                return outcome;
            }
            let into_dir =
                destination.text.ends_with('/') || matches!(destination.text.as_str(), "." | "..");
            let to = if into_dir {
                paths::resolve(
                    &inv.path(&destination.text),
                    inv.home,
                    paths::basename(&inside),
                )
            } else {
                inv.path(&destination.text)
            };
            outcome.contents.push((to.clone(), copied));
            outcome.write(to, false);
        }
        (None, Some(_)) if source.text != "-" => outcome.read(inv.path(&source.text), true),
        _ => {}
    }
    outcome
}

/// `CONTAINER:PATH` as the absolute path in the container; `None` for a
/// host path (which, holding a `:`, is written `./a:b` or `/a:b`).
fn container_path(text: &str) -> Option<String> {
    if text.starts_with(['/', '.', '~']) {
        return None;
    }
    let (container, path) = text.split_once(':')?;
    if container.is_empty() || container.contains('/') || path.starts_with('\\') {
        return None;
    }
    Some(paths::normalize(&format!("/{path}")))
}

/// Compose's options before its subcommand that take a value.
const COMPOSE_GLOBAL_VALUES: &[&str] = &[
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--profile",
    "--env-file",
    "--project-directory",
    "--ansi",
    "--progress",
    "--parallel",
];

/// Options of `compose run`/`compose exec` that take a value.
const COMPOSE_RUN_SPEC: Spec<'static> = Spec {
    short: "eluvwp",
    long: &[
        "env",
        "env-from-file",
        "index",
        "user",
        "workdir",
        "entrypoint",
        "label",
        "name",
        "publish",
        "pull",
        "volume",
        "cap-add",
        "cap-drop",
    ],
    stop_after: Some(0),
};

/// Options of `compose up`/`start`/`restart` that take a value.
const COMPOSE_UP_SPEC: Spec<'static> = Spec {
    short: "t",
    long: &[
        "scale",
        "timeout",
        "exit-code-from",
        "attach",
        "no-attach",
        "pull",
        "wait-timeout",
    ],
    stop_after: None,
};

/// A compose command line: the global options before its subcommand and
/// the words after it.
struct ComposeLine<'a> {
    /// `-f FILE` (`--file`), in order.
    files: Vec<Arg>,
    project_directory: Option<Arg>,
    profiles: Vec<Arg>,
    verb: &'a str,
    rest: &'a [Arg],
}

/// `docker compose ...` (and `docker-compose`, `podman compose`,
/// `podman-compose`, `nerdctl compose`) read up to its subcommand.
fn compose_line<'a>(inv: &Invocation<'a>) -> Option<ComposeLine<'a>> {
    let mut rest = match inv.program {
        "docker-compose" | "podman-compose" => inv.args,
        "docker" | "podman" | "nerdctl" => match inv.args.split_first() {
            Some((first, rest)) if first.text == "compose" => rest,
            _ => return None,
        },
        _ => return None,
    };
    let mut line = ComposeLine {
        files: Vec::new(),
        project_directory: None,
        profiles: Vec::new(),
        verb: "",
        rest: &[],
    };
    loop {
        let (first, after) = rest.split_first()?;
        let text = first.text.as_str();
        if !text.starts_with('-') {
            line.verb = text;
            line.rest = after;
            return Some(line);
        }
        // `--file=F` or `--file F`.
        let (name, value, after) = match text.split_once('=') {
            Some((name, value)) if text.starts_with("--") => {
                (name, Some(first.with_text(value)), after)
            }
            _ if COMPOSE_GLOBAL_VALUES.contains(&text) => (
                text,
                after.first().cloned(),
                after.get(1..).unwrap_or_default(),
            ),
            _ => (text, None, after),
        };
        if let Some(value) = value {
            match name {
                "-f" | "--file" => line.files.push(value),
                "--project-directory" => line.project_directory = Some(value),
                "--profile" => line.profiles.push(value),
                _ => {}
            }
        }
        rest = after;
    }
}

/// `docker compose [OPTIONS] exec [OPTIONS] SERVICE CMD...` and `... run
/// [OPTIONS] SERVICE [CMD...]`: CMD runs in the service's container, as
/// `docker exec` and `docker run` run theirs; `run`'s own `-v` bind mounts
/// are its host paths. Without CMD the service runs its own command,
/// which only the compose file says (`compose_services`, when the session
/// wrote it). Other subcommands are not commands run in a container:
/// `None`.
fn compose(inv: &Invocation<'_>) -> Option<Outcome> {
    let line = compose_line(inv)?;
    let exec = match line.verb {
        "exec" => true,
        "run" => false,
        _ => return None,
    };
    let items = args::parse(line.rest, &COMPOSE_RUN_SPEC);
    let mut words: Vec<Arg> = args::positionals(&items)
        .into_iter()
        .skip(1)
        .cloned()
        .collect();
    if let Some(entrypoint) = args::value(&items, &["--entrypoint"]) {
        words.insert(0, entrypoint.clone());
    }
    let mut outcome = Outcome::default();
    if words.is_empty() {
        return Some(outcome);
    }
    let mounts = if exec {
        Vec::new()
    } else {
        args::values(&items, &["-v", "--volume"])
            .into_iter()
            .filter_map(|volume| volume_mount(inv, &volume.text))
            .collect()
    };
    let workdir = args::value(&items, &["-w", "--workdir"])
        .map_or_else(|| "/".to_owned(), |w| crate::paths::normalize(&w.text));
    outcome.nested.push(Nested::Container {
        argv: words,
        workdir,
        mounts,
    });
    Some(outcome)
}

pub(crate) use crate::commands::Lookup;

/// The most services one compose command is read to start.
const MAX_SERVICES: usize = 32;

/// `docker compose run SERVICE [CMD...]`, `up [SERVICE...]`, `start` and
/// `restart`, when the compose file is one written earlier (`-f FILE`,
/// `COMPOSE_FILE`, else `compose.yaml`, `compose.yml`,
/// `docker-compose.yaml` or `docker-compose.yml` in the working directory,
/// with its `.override` file): each service started runs its
/// `entrypoint` and `command` (CMD and `--entrypoint` replacing them for
/// `run`) in its container, with its `environment`, bind-mounted
/// `volumes` and `working_dir`; the services it `depends_on` start first
/// (not with `--no-deps`). `up` without services starts those of no
/// profile, or of a profile it enables. A compose file whose text is not
/// known leaves the line as [`compose`] reads it.
pub(crate) fn compose_services(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some(line) = compose_line(inv) else {
        return;
    };
    if !matches!(line.verb, "run" | "up" | "start" | "restart") {
        return;
    }
    let Some(project) = Project::load(inv, &line, text_of) else {
        return;
    };
    let mut jobs = Vec::new();
    if line.verb == "run" {
        let items = args::parse(line.rest, &COMPOSE_RUN_SPEC);
        let positionals = args::positionals(&items);
        let Some((name, command)) = positionals.split_first() else {
            return;
        };
        if project.service(&name.text).is_none() {
            return;
        }
        if !args::has(&items, &["--no-deps"]) {
            for dependency in project.dependencies(&[name.text.as_str()]) {
                if dependency != name.text {
                    jobs.extend(project.job(&dependency, &Overrides::default()));
                }
            }
        }
        let overrides = Overrides {
            command: command.iter().map(|a| (*a).clone()).collect(),
            entrypoint: args::value(&items, &["--entrypoint"]).cloned(),
            env: args::values(&items, &["-e", "--env"])
                .into_iter()
                .filter_map(|e| {
                    let (name, value) = e.text.split_once('=')?;
                    Some((name.to_owned(), e.with_text(value)))
                })
                .collect(),
            mounts: args::values(&items, &["-v", "--volume"])
                .into_iter()
                .filter_map(|volume| volume_mount(inv, &volume.text))
                .collect(),
            workdir: args::value(&items, &["-w", "--workdir"])
                .map(|w| crate::paths::normalize(&w.text)),
        };
        jobs.extend(project.job(&name.text, &overrides));
        // This job, not `compose`'s, which knew nothing of the service.
        outcome
            .nested
            .retain(|job| !matches!(job, Nested::Container { .. }));
    } else {
        let items = args::parse(line.rest, &COMPOSE_UP_SPEC);
        let named: Vec<&str> = args::positionals(&items)
            .iter()
            .map(|a| a.text.as_str())
            .collect();
        let started = if named.is_empty() {
            project.default_services(&line, inv)
        } else {
            named.iter().map(|n| (*n).to_owned()).collect()
        };
        let started: Vec<&str> = started.iter().map(String::as_str).collect();
        let all = if args::has(&items, &["--no-deps"]) {
            started.iter().map(|s| (*s).to_owned()).collect()
        } else {
            project.dependencies(&started)
        };
        for name in all {
            jobs.extend(project.job(&name, &Overrides::default()));
        }
    }
    outcome.nested.extend(jobs.into_iter().take(MAX_SERVICES));
}

/// What `compose run` changes of a service.
#[derive(Default)]
struct Overrides {
    command: Vec<Arg>,
    entrypoint: Option<Arg>,
    env: Vec<(String, Arg)>,
    mounts: Vec<(String, String)>,
    workdir: Option<String>,
}

/// A compose project: its services (from every file given, later files
/// replacing what earlier ones set), and the directory its relative
/// paths are in.
struct Project {
    services: Vec<(String, Vec<(String, Yaml)>)>,
    directory: String,
    home: String,
}

impl Project {
    fn load(inv: &Invocation<'_>, line: &ComposeLine<'_>, text_of: &Lookup<'_>) -> Option<Project> {
        let mut texts: Vec<(String, String)> = Vec::new();
        let given: Vec<String> = if line.files.is_empty() {
            inv.env_value("COMPOSE_FILE")
                .map(|f| {
                    f.text
                        .split(':')
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        } else {
            line.files.iter().map(|f| f.text.clone()).collect()
        };
        if given.is_empty() {
            let found = [
                "compose.yaml",
                "compose.yml",
                "docker-compose.yaml",
                "docker-compose.yml",
            ]
            .iter()
            .map(|name| inv.path(name))
            .find_map(|path| Some((path.clone(), text_of(&path)?)))?;
            let (stem, _) = found.0.rsplit_once('.').unwrap_or((&found.0, ""));
            let overrides = ["yaml", "yml"]
                .iter()
                .map(|ext| format!("{stem}.override.{ext}"))
                .find_map(|path| Some((path.clone(), text_of(&path)?)));
            texts.push(found);
            texts.extend(overrides);
        } else {
            for file in &given {
                if file == "-" {
                    // The compose file on standard input.
                    if inv.has_stdin && inv.stdin.files.is_empty() && !inv.stdin.text.is_empty() {
                        texts.push((inv.path("-"), inv.stdin.text.join("\n")));
                    }
                    continue;
                }
                let path = inv.path(file);
                if let Some(text) = text_of(&path) {
                    texts.push((path, text));
                }
            }
        }
        let (first, _) = texts.first()?;
        let directory = line.project_directory.as_ref().map_or_else(
            || match first.rsplit_once('/') {
                Some(("", _)) | None => "/".to_owned(),
                Some((dir, _)) => dir.to_owned(),
            },
            |d| inv.path(&d.text),
        );
        let mut services: Vec<(String, Vec<(String, Yaml)>)> = Vec::new();
        for (_, text) in &texts {
            let Some(Yaml::Map(defined)) = yaml::parse(text).get("services").cloned() else {
                continue;
            };
            for (name, service) in defined {
                let Yaml::Map(keys) = service else {
                    continue;
                };
                match services.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, existing)) => {
                        for (key, value) in keys {
                            existing.retain(|(k, _)| *k != key);
                            existing.push((key, value));
                        }
                    }
                    None => services.push((name, keys)),
                }
            }
        }
        Some(Project {
            services,
            directory,
            home: inv.home.to_owned(),
        })
    }

    fn service(&self, name: &str) -> Option<&[(String, Yaml)]> {
        self.services
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, keys)| keys.as_slice())
    }

    fn key<'s>(&'s self, service: &'s [(String, Yaml)], key: &str) -> Option<&'s Yaml> {
        service.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The services `up` starts when it names none: those of no profile,
    /// and those of a profile `--profile` or `COMPOSE_PROFILES` enables.
    fn default_services(&self, line: &ComposeLine<'_>, inv: &Invocation<'_>) -> Vec<String> {
        let mut enabled: Vec<String> = line.profiles.iter().map(|p| p.text.clone()).collect();
        if let Some(profiles) = inv.env_value("COMPOSE_PROFILES") {
            enabled.extend(profiles.text.split(',').map(|p| p.trim().to_owned()));
        }
        self.services
            .iter()
            .filter(|(_, keys)| match self.key(keys, "profiles") {
                Some(Yaml::Seq(profiles)) => profiles.iter().any(|p| {
                    p.text()
                        .is_some_and(|p| enabled.iter().any(|e| e == p || e == "*"))
                }),
                _ => true,
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// `names` and the services they depend on, each once, dependencies
    /// first.
    fn dependencies(&self, names: &[&str]) -> Vec<String> {
        let mut order: Vec<String> = Vec::new();
        let mut visiting: Vec<String> = Vec::new();
        for name in names {
            self.visit(name, &mut visiting, &mut order);
        }
        order
    }

    fn visit(&self, name: &str, visiting: &mut Vec<String>, order: &mut Vec<String>) {
        if order.iter().any(|n| n == name)
            || visiting.iter().any(|n| n == name)
            || order.len() >= MAX_SERVICES
        {
            return;
        }
        visiting.push(name.to_owned());
        if let Some(service) = self.service(name) {
            let depends: Vec<String> = match self.key(service, "depends_on") {
                Some(Yaml::Seq(items)) => items
                    .iter()
                    .filter_map(|i| i.text().map(str::to_owned))
                    .collect(),
                Some(Yaml::Map(entries)) => entries.iter().map(|(k, _)| k.clone()).collect(),
                _ => Vec::new(),
            };
            for dependency in depends {
                self.visit(&dependency, visiting, order);
            }
        }
        visiting.pop();
        order.push(name.to_owned());
    }

    /// What starting service `name` runs: its entrypoint and command in
    /// its container; `None` when the file says neither (the image's own,
    /// unknown) or has no such service.
    fn job(&self, name: &str, overrides: &Overrides) -> Option<Nested> {
        let service = self.service(name)?;
        let mut argv: Vec<Arg> = match &overrides.entrypoint {
            Some(entrypoint) => vec![entrypoint.clone()],
            None => self
                .key(service, "entrypoint")
                .map(compose_words)
                .unwrap_or_default(),
        };
        let command = if overrides.command.is_empty() {
            self.key(service, "command")
                .map(compose_words)
                .unwrap_or_default()
        } else {
            overrides.command.clone()
        };
        // A CLI's own image runs the CLI (`amazon/aws-cli`), as for `docker run`.
        if argv.is_empty()
            && let Some(program) = self
                .key(service, "image")
                .and_then(Yaml::text)
                .and_then(entrypoint)
            && command.first().is_none_or(|w| w.text != program)
            && !command.is_empty()
        {
            argv.push(Arg::literal(program));
        }
        argv.extend(command);
        if argv.is_empty() {
            return None;
        }
        let mut env = self.environment(service);
        for (name, value) in &overrides.env {
            env.retain(|(n, _)| n != name);
            env.push((name.clone(), value.clone()));
        }
        if !env.is_empty() {
            let mut words = vec![Arg::literal("env")];
            words.extend(
                env.into_iter()
                    .map(|(name, value)| value.with_text(&format!("{name}={}", value.text))),
            );
            words.append(&mut argv);
            argv = words;
        }
        let mut mounts = self.mounts(service);
        mounts.extend(overrides.mounts.iter().cloned());
        let workdir = overrides.workdir.clone().unwrap_or_else(|| {
            self.key(service, "working_dir")
                .and_then(Yaml::text)
                .map_or_else(|| "/".to_owned(), crate::paths::normalize)
        });
        Some(Nested::Container {
            argv,
            workdir,
            mounts,
        })
    }

    /// A service's `environment` (a mapping, or a list of `NAME=value`): a
    /// name with no value passes on this shell's variable.
    fn environment(&self, service: &[(String, Yaml)]) -> Vec<(String, Arg)> {
        let passed = |name: &str| Arg {
            text: format!("${name}"),
            env: vec![name.to_owned()],
            dynamic: true,
            ..Arg::default()
        };
        let mut env: Vec<(String, Arg)> = Vec::new();
        let mut set = |name: String, value: Arg| {
            if is_env_name(&name) {
                env.retain(|(n, _)| *n != name);
                env.push((name, value));
            }
        };
        match self.key(service, "environment") {
            Some(Yaml::Map(entries)) => {
                for (name, value) in entries {
                    let value = match value {
                        Yaml::Scalar(text) => interpolated(text),
                        _ => passed(name),
                    };
                    set(name.clone(), value);
                }
            }
            Some(Yaml::Seq(items)) => {
                for item in items.iter().filter_map(Yaml::text) {
                    match item.split_once('=') {
                        Some((name, value)) => set(name.to_owned(), interpolated(value)),
                        None => set(item.to_owned(), passed(item)),
                    }
                }
            }
            _ => {}
        }
        env
    }

    /// A service's bind mounts: `HOST:CTR[:MODE]` with a path on the host
    /// (relative to the project directory), or `{type: bind, source,
    /// target}`.
    fn mounts(&self, service: &[(String, Yaml)]) -> Vec<(String, String)> {
        let host = |source: &str| -> Option<String> {
            let source = source
                .strip_prefix("${PWD}")
                .or_else(|| source.strip_prefix("$PWD"))
                .map_or_else(|| source.to_owned(), |rest| format!(".{rest}"));
            let is_path =
                source.starts_with('/') || source.starts_with('.') || source.starts_with('~');
            is_path.then(|| paths::resolve(&self.directory, &self.home, &source))
        };
        let Some(Yaml::Seq(volumes)) = self.key(service, "volumes") else {
            return Vec::new();
        };
        volumes
            .iter()
            .filter_map(|volume| match volume {
                Yaml::Scalar(text) => {
                    let mut parts = text.splitn(3, ':');
                    let source = parts.next()?;
                    let target = parts.next()?;
                    Some((host(source)?, crate::paths::normalize(target)))
                }
                Yaml::Map(_) => {
                    if volume.get("type").and_then(Yaml::text) != Some("bind") {
                        return None;
                    }
                    let source = volume.get("source").and_then(Yaml::text)?;
                    let target = volume.get("target").and_then(Yaml::text)?;
                    Some((host(source)?, crate::paths::normalize(target)))
                }
                _ => None,
            })
            .collect()
    }
}

/// A variable's name.
fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// A `command` or `entrypoint`: a list of words, or a string compose
/// splits as a shell would (quotes and backslashes, no expansions).
fn compose_words(value: &Yaml) -> Vec<Arg> {
    match value {
        Yaml::Seq(items) => items
            .iter()
            .filter_map(Yaml::text)
            .map(interpolated)
            .collect(),
        Yaml::Scalar(text) => words::split(text, Backslash::Posix)
            .iter()
            .map(|w| interpolated(w))
            .collect(),
        _ => Vec::new(),
    }
}

/// A value as compose interpolates it from this shell's environment:
/// `${NAME}`, `${NAME:-default}` and `$NAME` stay as written, the value
/// unknown and carrying the variable; `$$` is a `$`.
fn interpolated(text: &str) -> Arg {
    let mut out = String::new();
    let mut env: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('$') => {
                chars.next();
                out.push('$');
            }
            Some('{') => {
                out.push('$');
                let mut inner = String::new();
                for c in chars.by_ref() {
                    inner.push(c);
                    if c == '}' {
                        break;
                    }
                }
                let name: String = inner
                    .trim_start_matches('{')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if is_env_name(&name) && !env.contains(&name) {
                    env.push(name);
                }
                out.push_str(&inner);
            }
            Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
                out.push('$');
                let mut name = String::new();
                while let Some(c) = chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    name.push(c);
                }
                out.push_str(&name);
                if !env.contains(&name) {
                    env.push(name);
                }
            }
            _ => out.push('$'),
        }
    }
    Arg {
        text: out,
        dynamic: !env.is_empty(),
        env,
        ..Arg::default()
    }
}

/// `-v HOST:CTR[:opts]`: a bind mount when `HOST` is a path (a name is a
/// named volume, which holds nothing of the host's files).
fn volume_mount(inv: &Invocation<'_>, text: &str) -> Option<(String, String)> {
    let mut parts = text.splitn(3, ':');
    let host = parts.next()?;
    let target = parts.next()?;
    host_path(inv, host).map(|host| (host, crate::paths::normalize(target)))
}

/// `--mount type=bind,source=HOST,target=CTR`.
fn bind_mount(inv: &Invocation<'_>, text: &str) -> Option<(String, String)> {
    let mut kind = "volume";
    let (mut source, mut target) = (None, None);
    for pair in text.split(',') {
        match pair.split_once('=') {
            Some(("type", v)) => kind = v,
            Some(("source" | "src", v)) => source = Some(v),
            Some(("target" | "dst" | "destination", v)) => target = Some(v),
            _ => {}
        }
    }
    if kind != "bind" {
        return None;
    }
    Some((host_path(inv, source?)?, crate::paths::normalize(target?)))
}

/// Well-known images whose entrypoint is a CLI, by repository (registry,
/// tag and digest dropped): the arguments after the image are that CLI's.
const CLI_IMAGES: &[(&str, &str)] = &[
    ("amazon/aws-cli", "aws"),
    ("aws-cli/aws-cli", "aws"),
    ("alpine/helm", "helm"),
    ("bitnami/kubectl", "kubectl"),
    ("rancher/kubectl", "kubectl"),
    ("hashicorp/terraform", "terraform"),
    ("hashicorp/packer", "packer"),
    ("curlimages/curl", "curl"),
    ("alpine/curl", "curl"),
    ("alpine/git", "git"),
    ("rclone/rclone", "rclone"),
    ("minio/mc", "mc"),
    ("stripe/stripe-cli", "stripe"),
    ("mikefarah/yq", "yq"),
    ("stedolan/jq", "jq"),
    ("google/cloud-sdk", ""),
    ("opentofu/opentofu", "tofu"),
    ("fluxcd/flux-cli", "flux"),
    ("argoproj/argocd", ""),
];

/// The CLI a well-known image runs ([`CLI_IMAGES`]); `None` for any other
/// image, or one (such as `google/cloud-sdk`) whose command is given.
fn entrypoint(image: &str) -> Option<&'static str> {
    let name = image.split('@').next().unwrap_or(image);
    let mut segments: Vec<&str> = name.split('/').collect();
    // A registry is the first segment when it has a `.` or `:` or is localhost.
    if segments.len() > 1
        && segments
            .first()
            .is_some_and(|s| s.contains(['.', ':']) || *s == "localhost")
    {
        segments.remove(0);
    }
    let last = segments.pop()?;
    let last = last.split(':').next().unwrap_or(last);
    segments.push(last);
    let repository = segments.join("/");
    let repository = repository.strip_prefix("library/").unwrap_or(&repository);
    CLI_IMAGES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(repository))
        .map(|(_, program)| *program)
        .filter(|program| !program.is_empty())
}

/// The program a single-tool image runs: its name without registry,
/// namespace, tag or digest (`docker.io/curlimages/curl:8.5` -> `curl`).
fn image_program(image: &str) -> &str {
    let name = image.split('@').next().unwrap_or(image);
    let name = name.rsplit('/').next().unwrap_or(name);
    name.split(':').next().unwrap_or(name)
}

/// A mount's host side as an absolute path; `None` for a volume name.
fn host_path(inv: &Invocation<'_>, text: &str) -> Option<String> {
    for pwd in ["$(pwd)", "`pwd`", "${PWD}", "$PWD"] {
        if let Some(rest) = text.strip_prefix(pwd) {
            return Some(inv.path(&format!(".{rest}")));
        }
    }
    for home in ["${HOME}", "$HOME"] {
        if let Some(rest) = text.strip_prefix(home) {
            return Some(inv.path(&format!("~{rest}")));
        }
    }
    let is_path = text.starts_with('/') || text.starts_with('.') || text.starts_with('~');
    is_path.then(|| inv.path(text))
}

/// The host path a container path is, through the mounts (the innermost
/// mount that holds it); `None` inside the container.
fn host_side(path: &str, mounts: &[(String, String)]) -> Option<String> {
    mounts
        .iter()
        .filter(|(_, target)| crate::paths::is_within(path, target))
        .max_by_key(|(_, target)| target.len())
        .map(|(host, target)| {
            let rest = path
                .get(target.trim_end_matches('/').len()..)
                .unwrap_or_default();
            format!("{}{rest}", host.trim_end_matches('/'))
        })
}

/// A file a command in a container reads or sends, as the host sees it:
/// on a bind mount the host file it is; elsewhere the container's own,
/// named by its path there (a `.env` baked into the image is still a
/// `.env`), as a remote host's files are.
fn seen_from_host(file: FileRef, mounts: &[(String, String)]) -> FileRef {
    match host_side(&file.path, mounts) {
        Some(path) => FileRef {
            path,
            recursive: file.recursive,
            excludes: Vec::new(),
        },
        None => file,
    }
}

/// An effect of a command run in a container, as the host sees it: file
/// effects on a bind mount become the host paths; writes and deletes
/// elsewhere in the container are dropped (they change only the
/// container), reads kept with the container's path; what a request
/// sends is seen as [`host_payload`] sees it.
pub(crate) fn to_host(
    effect: Effect,
    mounts: &[(String, String)],
    piped: &[FileRef],
) -> Option<Effect> {
    Some(match effect {
        Effect::Read { file } => Effect::Read {
            file: seen_from_host(file, mounts),
        },
        Effect::Write { path, append } => Effect::Write {
            path: host_side(&path, mounts)?,
            append,
        },
        Effect::Delete { path, recursive } => Effect::Delete {
            path: host_side(&path, mounts)?,
            recursive,
        },
        Effect::DeleteNamed { root, names } => Effect::DeleteNamed {
            root: host_side(&root, mounts)?,
            names,
        },
        Effect::Request(mut request) => {
            request.payload = host_payload(request.payload, mounts, piped);
            Effect::Request(request)
        }
        other => other,
    })
}

/// A payload from inside a container with its files as the host sees
/// them ([`seen_from_host`]); the files the host `piped` in are the
/// host's as they are.
pub(crate) fn host_payload(
    mut payload: Payload,
    mounts: &[(String, String)],
    piped: &[FileRef],
) -> Payload {
    payload.files = payload
        .files
        .into_iter()
        .map(|file| {
            if piped.contains(&file) {
                file
            } else {
                seen_from_host(file, mounts)
            }
        })
        .collect();
    payload
}
