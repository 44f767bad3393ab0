//! Programs that run other programs or code: `sudo`, `su` and `runuser`
//! (`users.rs`), `env`, `timeout`, `xargs`, `watch`, `sh -c`, `eval`,
//! `source`, a project's environment (`bundle exec`, `poetry run`, `uv
//! run`, ...), environment managers (`envs.rs`: nix, devbox, mise, direnv,
//! dev containers, ...), and interpreters with inline code.

mod envs;
mod users;
mod xargs;

pub(in crate::commands) use envs::codespace;
pub(crate) use envs::written_scripts as written_env_scripts;

use super::{Invocation, Nested, Outcome, inline, read};
use crate::args::{self, Arg, Spec};
use crate::{Payload, flow};
use xargs::{file_words, known_file_text, split_items};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if let Some(outcome) = envs::handle(inv)
        .or_else(|| project_runner(inv))
        .or_else(|| users::handle(inv))
    {
        return Some(outcome);
    }
    let outcome = match inv.program {
        "sudo" => sudo(inv),
        "doas" => skip_options(
            inv,
            Spec {
                short: "uC",
                stop_after: Some(0),
                ..Spec::default()
            },
        ),
        "nohup" | "builtin" | "chronic" | "unbuffer" => skip_options(
            inv,
            Spec {
                stop_after: Some(0),
                ..Spec::default()
            },
        ),
        "setsid" => skip_options(
            inv,
            Spec {
                stop_after: Some(0),
                ..Spec::default()
            },
        ),
        "time" => skip_options(
            inv,
            Spec {
                short: "fo",
                long: &["format", "output"],
                stop_after: Some(0),
            },
        ),
        "nice" => skip_options(
            inv,
            Spec {
                short: "n",
                long: &["adjustment"],
                stop_after: Some(0),
            },
        ),
        "ionice" => skip_options(
            inv,
            Spec {
                short: "cnpP",
                long: &["class", "classdata", "pid", "pgid"],
                stop_after: Some(0),
            },
        ),
        "stdbuf" => skip_options(
            inv,
            Spec {
                short: "ioe",
                long: &["input", "output", "error"],
                stop_after: Some(0),
            },
        ),
        "exec" => skip_options(
            inv,
            Spec {
                short: "a",
                stop_after: Some(0),
                ..Spec::default()
            },
        ),
        "command" => command(inv),
        // macOS' `arch [-arm64|-x86_64|-arch NAME]... [-e VAR=VALUE] CMD...`.
        "arch" => arch(inv),
        // `script -c CMD [FILE]`: runs CMD under a recorded terminal.
        "script" => command_option(
            inv,
            Spec {
                short: "cEIOBTm",
                long: &[
                    "command",
                    "echo",
                    "log-in",
                    "log-out",
                    "log-io",
                    "log-timing",
                    "logging-format",
                ],
                stop_after: None,
            },
            &["-c", "--command"],
        ),
        // `flock [options] FILE CMD...` or `flock FILE -c CMD`.
        "flock" => flock(inv),
        // Tracers and multi-call binaries run the command that follows.
        "strace" | "ltrace" => skip_options(
            inv,
            Spec {
                short: "eoOpPsSuXIbEa",
                long: &[
                    "output",
                    "trace",
                    "signal",
                    "attach",
                    "user",
                    "string-limit",
                    "env",
                ],
                stop_after: Some(0),
            },
        ),
        "busybox" | "toybox" => skip_options(
            inv,
            Spec {
                stop_after: Some(0),
                ..Spec::default()
            },
        ),
        "sshpass" => sshpass(inv),
        "timeout" => timeout(inv),
        "env" => env(inv),
        "xargs" => xargs::xargs(inv),
        "parallel" => parallel(inv),
        "watch" => watch(inv),
        "at" | "batch" => at(inv),
        "systemd-run" => systemd_run(inv),
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash" | "fish" => shell(inv),
        "eval" => eval(inv),
        "source" | "." => source(inv),
        "py" => py_launcher(inv),
        _ => return interpreter(inv),
    };
    Some(outcome)
}

/// pnpm's and yarn's own commands (any other first word runs a script or
/// an executable of the project).
const NODE_MANAGER_COMMANDS: &[&str] = &[
    "access",
    "add",
    "audit",
    "bin",
    "cache",
    "config",
    "create",
    "dedupe",
    "deploy",
    "deprecate",
    "dist-tag",
    "dlx",
    "unpublish",
    "doctor",
    "env",
    "explain",
    "fetch",
    "global",
    "help",
    "i",
    "import",
    "info",
    "init",
    "install",
    "licenses",
    "link",
    "list",
    "login",
    "logout",
    "ls",
    "node",
    "npm",
    "outdated",
    "owner",
    "pack",
    "patch",
    "patch-commit",
    "plugin",
    "prune",
    "publish",
    "rebuild",
    "remove",
    "rm",
    "root",
    "search",
    "server",
    "set",
    "setup",
    "stage",
    "store",
    "tag",
    "team",
    "test",
    "un",
    "uninstall",
    "unlink",
    "unplug",
    "up",
    "update",
    "upgrade",
    "version",
    "versions",
    "view",
    "why",
    "workspace",
    "workspaces",
    "constraints",
    "start",
    "t",
    "tst",
    "whoami",
];

/// `bundle exec CMD`, `poetry run CMD`, `pipenv run CMD`, `uv run CMD`,
/// `pdm|hatch|rye run CMD`, `rbenv|pyenv exec CMD`: the command runs in
/// the project's environment.
fn project_runner(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    let runs = match inv.program {
        "bundle" | "bundler" | "rbenv" | "pyenv" => verb.text == "exec",
        "poetry" | "pipenv" | "pdm" | "hatch" | "rye" | "uv" => verb.text == "run",
        "npm" => matches!(verb.text.as_str(), "exec" | "x" | "run" | "run-script"),
        "pnpm" | "yarn" => {
            // `pnpm exec prisma ...`, `yarn run knex ...`, and `pnpm prisma
            // ...`: a word that is not the manager's own command runs the
            // project's script or executable of that name.
            matches!(verb.text.as_str(), "exec" | "run")
                || !(verb.text.starts_with('-')
                    || NODE_MANAGER_COMMANDS.contains(&verb.text.as_str()))
        }
        _ => false,
    };
    if !runs {
        return None;
    }
    let rest = if matches!(inv.program, "pnpm" | "yarn")
        && !matches!(verb.text.as_str(), "exec" | "run")
    {
        inv.args
    } else {
        rest
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "pe",
            long: &[
                "with",
                "with-requirements",
                "python",
                "env-file",
                "project",
                "directory",
                "package",
                "group",
                "extra",
                "gemfile",
            ],
            stop_after: Some(0),
        },
    );
    let argv: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    let mut outcome = run_argv(argv, None);
    // `uv run --with PKG`: fetched from the registry for the run, as `uvx`;
    // `npm exec --yes -- PKG` or `--package PKG`: as `npx -y PKG`.
    let npm_fetches = inv.program == "npm"
        && matches!(verb.text.as_str(), "exec" | "x")
        && (args::has(&items, &["--yes", "-y"]) || args::has(&items, &["--package", "-p"]));
    let named = if npm_fetches {
        let packages = args::values(&items, &["--package", "-p"]);
        if packages.is_empty() {
            args::positionals(&items).into_iter().take(1).collect()
        } else {
            packages
        }
    } else {
        Vec::new()
    };
    let fetched: Vec<String> = args::values(&items, &["--with"])
        .into_iter()
        .chain(named)
        .flat_map(|w| w.text.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty() && !super::packages::is_local_or_url(p))
        .map(str::to_owned)
        .collect();
    if !fetched.is_empty() {
        outcome
            .effects
            .push(crate::Effect::PackageInstall(crate::PackageInstall {
                manager: inv.program.to_owned(),
                registry: None,
                packages: fetched,
            }));
    }
    Some(outcome)
}

/// `at [-q Q] [-f FILE] [-mMv] TIME` and `batch`: queue a job that runs
/// later, its shell text read from standard input (`echo CMD | at 02:00`,
/// `at now + 2 hours <<< CMD`) or from `-f FILE` (read here; its text,
/// when known, runs through `runners`). The job runs in the directory it
/// was queued from, and what it does counts as done now. `-l`, `-r`,
/// `-d` and `-c` queue nothing.
fn at(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &super::runners::at_spec());
    let mut outcome = Outcome::default();
    if super::runners::at_queues_nothing(&items) {
        return outcome;
    }
    let files = args::values(&items, &["-f"]);
    if files.is_empty() && inv.has_stdin {
        // The text the line gave (`echo CMD |`, `<<< CMD`) is the job; an
        // expansion in it is left for the job's shell. A file's is unknown.
        if inv.stdin.files.is_empty() && !inv.stdin.text.is_empty() {
            outcome.nested.push(Nested::Script {
                text: super::runners::detached(&inv.stdin.text.join("\n")),
                what: format!("{} job", inv.program),
            });
        } else {
            outcome
                .opaque
                .push(format!("{} queues a job from standard input", inv.program));
        }
    }
    for file in files {
        outcome.read(inv.path(&file.text), false);
    }
    outcome
}

/// systemd-run's options that take a value (`--unit NAME` or `--unit=NAME`).
const SYSTEMD_RUN_VALUES: &[&str] = &[
    "unit",
    "property",
    "description",
    "slice",
    "uid",
    "gid",
    "nice",
    "working-directory",
    "setenv",
    "on-active",
    "on-boot",
    "on-startup",
    "on-unit-active",
    "on-unit-inactive",
    "on-calendar",
    "timer-property",
    "path-property",
    "socket-property",
    "service-type",
    "host",
    "machine",
    "capsule",
    "expand-environment",
];

/// `systemd-run [OPTIONS] CMD ARGS...`: runs CMD as a transient service
/// or scope, now or on a timer (`--on-calendar=`, `--on-active=`), which
/// counts as running it now. `-E`/`--setenv NAME=VALUE` is its
/// environment; it runs in `--working-directory` (or `-p
/// WorkingDirectory=`), the caller's directory for `--scope` and
/// `--same-dir`, else the home folder of a `--user` service or `/`.
fn systemd_run(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "upEHMC",
            long: SYSTEMD_RUN_VALUES,
            stop_after: Some(0),
        },
    );
    let mut argv: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    let property_dir = args::values(&items, &["-p", "--property"])
        .into_iter()
        .find_map(|p| p.text.strip_prefix("WorkingDirectory=").map(str::to_owned));
    let cwd = args::value(&items, &["--working-directory"])
        .map(|d| d.text.clone())
        .or(property_dir)
        .map(|d| inv.path(d.trim_start_matches('-')))
        .unwrap_or_else(|| {
            if args::has(&items, &["--scope", "-d", "--same-dir"]) {
                inv.cwd.to_owned()
            } else if args::has(&items, &["--user"]) {
                inv.home.to_owned()
            } else {
                "/".to_owned()
            }
        });
    let mut env = Vec::new();
    for value in args::values(&items, &["-E", "--setenv"]) {
        if let Some((name, text)) = value.text.split_once('=') {
            env.push((name.to_owned(), value.with_text(text)));
        } else if let Some(inherited) = inv.env_value(&value.text) {
            env.push((value.text.clone(), inherited.clone()));
        }
    }
    if argv.is_empty() {
        return Outcome::default();
    }
    // `systemd-run --shell` alone is an interactive shell; with a
    // command it is the command.
    let mut outcome = run_argv(std::mem::take(&mut argv), Some(cwd));
    for job in &mut outcome.nested {
        if let Nested::Argv { env: inner, .. } = job {
            inner.extend(env.iter().cloned());
        }
    }
    outcome
}

/// A program that runs the shell text of one of its options (`su -c CMD`,
/// `script -c CMD`); without it, nothing visible.
fn command_option(inv: &Invocation<'_>, spec: Spec<'_>, names: &[&str]) -> Outcome {
    let items = args::parse(inv.args, &spec);
    let mut outcome = Outcome::default();
    if let Some(text) = args::value(&items, names) {
        outcome.nested.push(Nested::Script {
            text: text.text.clone(),
            what: format!("{} -c", inv.program),
        });
    }
    outcome
}

fn flock(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "wE",
        long: &["timeout", "wait", "conflict-exit-code"],
        stop_after: Some(1),
    };
    let items = args::parse(inv.args, &spec);
    // The first word is the lock file; then `-c CMD`, or the command.
    let rest: Vec<Arg> = args::positionals(&items)
        .into_iter()
        .skip(1)
        .cloned()
        .collect();
    match rest.as_slice() {
        [flag, text, ..] if flag.text == "-c" || flag.text == "--command" => {
            let mut outcome = Outcome::default();
            outcome.nested.push(Nested::Script {
                text: text.text.clone(),
                what: "flock -c".to_owned(),
            });
            outcome
        }
        _ => run_argv(rest, None),
    }
}

/// Programs that ask for an SSH (or FTP) password, which `sshpass` types in.
const PASSWORD_PROMPTERS: &[&str] = &[
    "ssh",
    "scp",
    "sftp",
    "rsync",
    "ssh-copy-id",
    "git",
    "lftp",
    "ftp",
    "autossh",
    "mosh",
];

/// `sshpass [-p PASS | -f FILE | -e[VAR] | -d FD] [-P PROMPT] [-v] CMD...`:
/// runs CMD and answers its password prompt, so the password goes
/// wherever CMD connects: `-p`'s text, `-f`'s file (read here), or the
/// value of `SSHPASS` (or `-eVAR`'s variable).
fn sshpass(inv: &Invocation<'_>) -> Outcome {
    let mut credential = Payload::default();
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter();
    let mut argv: Vec<Arg> = Vec::new();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if text == "--" {
            argv.extend(words.by_ref().cloned());
            break;
        }
        let Some(option) = text.strip_prefix('-').filter(|o| !o.is_empty()) else {
            argv.push(word.clone());
            argv.extend(words.by_ref().cloned());
            break;
        };
        let (letter, attached) = option.split_at(1);
        let value = |words: &mut std::slice::Iter<'_, Arg>| {
            if attached.is_empty() {
                words.next().cloned()
            } else {
                Some(word.with_text(attached))
            }
        };
        match letter {
            "p" => {
                if let Some(password) = value(&mut words) {
                    flow::merge(&mut credential, &password.payload());
                }
            }
            "f" => {
                if let Some(file) = value(&mut words) {
                    let path = inv.path(&file.text);
                    outcome.read(path.clone(), false);
                    flow::push_file(
                        &mut credential,
                        crate::FileRef {
                            path,
                            recursive: false,
                            excludes: Vec::new(),
                        },
                    );
                }
            }
            "e" => {
                let name = if attached.is_empty() {
                    "SSHPASS"
                } else {
                    attached
                };
                match inv.env_value(name) {
                    Some(value) => flow::merge(&mut credential, &value.payload()),
                    None => flow::push_env(&mut credential, name),
                }
            }
            "d" | "P" => {
                value(&mut words);
            }
            _ => {}
        }
    }
    let mut run = run_argv(argv, None);
    outcome.nested.append(&mut run.nested);
    if credential != Payload::default() {
        outcome.nested_credential = Some((credential, PASSWORD_PROMPTERS));
    }
    outcome
}

/// Runs the words after the wrapper's options as a command.
/// `arch`: its options are single-dash words (`-arm64`), `-arch NAME`,
/// `-e VAR=VALUE` (the command's environment) and `-d VAR`; the first
/// other word is the command it runs. Without one it prints the machine's
/// architecture.
fn arch(inv: &Invocation<'_>) -> Outcome {
    let mut env = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-arch" | "-d" => {
                words.next();
            }
            "-e" => {
                if let Some((name, value)) = words.next().and_then(|w| {
                    w.text
                        .split_once('=')
                        .map(|(n, v)| (n.to_owned(), w.with_text(v)))
                }) {
                    env.push((name, value));
                }
            }
            text if text.starts_with('-') => {}
            _ => {
                let argv: Vec<Arg> = std::iter::once(word).chain(words).cloned().collect();
                let mut outcome = run_argv(argv, None);
                for nested in &mut outcome.nested {
                    if let Nested::Argv { env: own, .. } = nested {
                        own.extend(env.iter().cloned());
                    }
                }
                return outcome;
            }
        }
    }
    Outcome::default()
}

fn skip_options(inv: &Invocation<'_>, spec: Spec<'_>) -> Outcome {
    let items = args::parse(inv.args, &spec);
    let argv: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    run_argv(argv, None)
}

/// A nested command whose leading `NAME=value` words are environment.
fn run_argv(argv: Vec<Arg>, cwd: Option<String>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut env = Vec::new();
    let mut words = argv.into_iter().peekable();
    while let Some(word) = words.next_if(|w| is_assignment(&w.text)) {
        if let Some((name, value)) = word.text.split_once('=') {
            env.push((name.to_owned(), word.with_text(value)));
        }
    }
    let argv: Vec<Arg> = words.collect();
    if !argv.is_empty() {
        outcome.nested.push(Nested::Argv { argv, env, cwd });
    }
    outcome
}

fn is_assignment(text: &str) -> bool {
    match text.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

fn sudo(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "ugpChDrtUTR",
        long: &[
            "user",
            "group",
            "prompt",
            "close-from",
            "host",
            "chdir",
            "role",
            "type",
            "other-user",
            "command-timeout",
            "chroot",
        ],
        stop_after: Some(0),
    };
    let items = args::parse(inv.args, &spec);
    let argv: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    if args::has(&items, &["-e", "--edit"]) {
        let mut outcome = Outcome::default();
        for file in &argv {
            outcome.write(inv.path(&file.text), false);
        }
        return outcome;
    }
    let cwd = args::value(&items, &["-D", "--chdir"]).map(|d| inv.path(&d.text));
    run_argv(argv, cwd)
}

fn command(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            stop_after: Some(0),
            ..Spec::default()
        },
    );
    if args::has(&items, &["-v", "-V"]) {
        return Outcome::default();
    }
    run_argv(
        args::positionals(&items).into_iter().cloned().collect(),
        None,
    )
}

fn timeout(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "sk",
        long: &["signal", "kill-after"],
        stop_after: Some(1),
    };
    let items = args::parse(inv.args, &spec);
    let argv: Vec<Arg> = args::positionals(&items)
        .into_iter()
        .skip(1)
        .cloned()
        .collect();
    run_argv(argv, None)
}

fn env(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "uCS",
        long: &["unset", "chdir", "split-string"],
        stop_after: Some(0),
    };
    let items = args::parse(inv.args, &spec);
    let cwd = args::value(&items, &["-C", "--chdir"]).map(|d| inv.path(&d.text));
    if let Some(split) = args::value(&items, &["-S", "--split-string"]) {
        let mut text = split.text.clone();
        for rest in args::positionals(&items) {
            text.push(' ');
            text.push_str(&rest.text);
        }
        let mut outcome = Outcome::default();
        outcome.nested.push(Nested::Script {
            text,
            what: "env -S".to_owned(),
        });
        return outcome;
    }
    let argv: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    let mut outcome = run_argv(argv, cwd);
    if outcome.nested.is_empty() {
        let mut stdout = crate::Payload::default();
        crate::flow::push_env(&mut stdout, crate::ALL_ENV);
        outcome.stdout = Some(stdout);
    }
    outcome
}

/// GNU `parallel [OPTIONS] CMD ... ::: ARGS ...` (`:::: FILE`, `-a FILE`,
/// or lines on standard input): runs CMD, a shell command line, once per
/// argument, with `{}` (`{.}`, `{/}`, `{//}`, `{/.}`, `{N}` for the Nth
/// input source, `-I STR`) replaced by it, or the argument appended when it
/// has none; several sources give every combination. Without CMD each
/// argument is a command line. With `--pipe` CMD reads the input instead.
/// moreutils' `parallel [-i] CMD... -- ARGS...` runs CMD per argument too.
fn parallel(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "adEIjPLnNsSCJ",
        long: &[
            "arg-file",
            "delimiter",
            "eof",
            "replace",
            "jobs",
            "max-procs",
            "max-lines",
            "max-args",
            "max-replace-args",
            "max-chars",
            "sshlogin",
            "sshloginfile",
            "slf",
            "colsep",
            "joblog",
            "results",
            "res",
            "tmpdir",
            "tempdir",
            "timeout",
            "delay",
            "retries",
            "tag-string",
            "tagstring",
            "env",
            "basefile",
            "bf",
            "transferfile",
            "tf",
            "return",
            "workdir",
            "wd",
            "memfree",
            "load",
            "halt",
            "halt-on-error",
            "termseq",
            "header",
            "block",
            "block-size",
            "recstart",
            "recend",
            "profile",
            "limit",
            "nice",
            "ssh",
            "sshdelay",
            "compress-program",
            "decompress-program",
            "group-by",
            "match",
            "id",
            "semaphorename",
            "rpl",
            "seqreplace",
            "extensionreplace",
            "basenamereplace",
            "dirnamereplace",
            "basenameextensionreplace",
            "trim",
        ],
        stop_after: Some(0),
    };
    let items = args::parse(inv.args, &spec);
    let mut outcome = Outcome::default();
    if args::has(&items, &["--dry-run"]) {
        return outcome;
    }
    let words: Vec<&Arg> = args::positionals(&items);
    let is_separator = |w: &&Arg| matches!(w.text.as_str(), ":::" | "::::" | ":::+" | "::::+");
    let command_end = words.iter().position(is_separator);
    let delimiter = parallel_delimiter(&items);
    let mut sources: Vec<Vec<Arg>> = Vec::new();
    for file in args::values(&items, &["-a", "--arg-file"]) {
        if file.text == "-" {
            sources.push(stdin_lines(inv, delimiter));
        } else {
            outcome.read(inv.path(&file.text), false);
            sources.push(file_items(inv, file, delimiter));
        }
    }
    let mut command: Vec<&Arg> = words
        .get(..command_end.unwrap_or(words.len()))
        .unwrap_or_default()
        .to_vec();
    let mut rest = words
        .get(command_end.unwrap_or(words.len())..)
        .unwrap_or_default();
    while let Some((separator, after)) = rest.split_first() {
        let end = after.iter().position(is_separator).unwrap_or(after.len());
        let (values, next) = after.split_at(end);
        let from_files = separator.text.starts_with("::::");
        let mut source = Vec::new();
        for value in values {
            if from_files && value.text != "-" {
                outcome.read(inv.path(&value.text), false);
                source.extend(file_items(inv, value, delimiter));
            } else if from_files {
                source.extend(stdin_lines(inv, delimiter));
            } else {
                source.push((*value).clone());
            }
        }
        // `:::+` pairs with the source before it rather than combining.
        match (separator.text.ends_with('+'), sources.last_mut()) {
            (true, Some(last)) if last.len() == source.len() => {}
            _ => sources.push(source),
        }
        rest = next;
    }
    // moreutils: `parallel [-i] CMD... -- ARG...`.
    if command_end.is_none()
        && let Some(split) = command.iter().position(|w| w.text == "--")
    {
        let after = command.split_off(split);
        sources.push(after.into_iter().skip(1).cloned().collect());
    }
    if args::has(&items, &["--pipe", "--pipepart"]) {
        if !command.is_empty() {
            outcome.nested.push(Nested::Script {
                text: join(&command.into_iter().cloned().collect::<Vec<_>>()),
                what: "parallel --pipe".to_owned(),
            });
        }
        return outcome;
    }
    if sources.is_empty() {
        let lines = stdin_lines(inv, delimiter);
        if !lines.is_empty() {
            sources.push(lines);
        }
    }
    let replace = args::value(&items, &["-I", "--replace"])
        .map_or_else(|| "{}".to_owned(), |r| r.text.clone());
    for (job, values) in combinations(&sources).into_iter().enumerate() {
        let mut positional = vec![Arg::literal("parallel")];
        let mut shown: Vec<String> = Vec::new();
        for value in &values {
            if value.dynamic || !value.prov.is_empty() {
                // Its text is not known: the job refers to it as `"$N"`,
                // which carries what it holds.
                positional.push(value.clone());
                shown.push(format!("\"${}\"", positional.len() - 1));
            } else {
                shown.push(shell_quote(&value.text));
            }
        }
        let text = if command.is_empty() {
            // Each argument is a command line of its own.
            values
                .iter()
                .map(|v| v.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            fill_template(&command, &replace, &values, &shown, job + 1)
        };
        if text.trim().is_empty() {
            continue;
        }
        outcome.nested.push(Nested::ShellScript {
            text,
            what: "parallel".to_owned(),
            args: positional,
            env: Vec::new(),
        });
    }
    outcome
}

/// Standard input as one argument whose text is not known, carrying what
/// it holds.
fn stdin_value(inv: &Invocation<'_>) -> Arg {
    Arg {
        text: "-".to_owned(),
        prov: inv.stdin.clone(),
        dynamic: true,
        ..Arg::default()
    }
}

/// The character parallel's inputs are split at: a newline, or a NUL
/// with `-0`/`--null`, or `-d DELIM`'s.
fn parallel_delimiter(items: &[args::Item<'_>]) -> char {
    if args::has(items, &["-0", "--null"]) {
        return '\0';
    }
    args::value(items, &["-d", "--delimiter"])
        .and_then(|d| {
            flow::unescape(&d.text, flow::Escapes::PrintfFormat)
                .0
                .chars()
                .next()
        })
        .unwrap_or('\n')
}

/// The arguments of text split at `delimiter`, each line trimmed.
fn source_values(text: &str, delimiter: char) -> Vec<Arg> {
    split_items(text, delimiter)
        .iter()
        .map(|item| if delimiter == '\n' { item.trim() } else { item })
        .filter(|item| !item.is_empty())
        .take(32)
        .map(Arg::literal)
        .collect()
}

/// The arguments an input file gives (`:::: FILE`, `-a FILE`): its lines
/// when the line fixes them (`:::: <(ls exports/*.csv)`), else one word
/// standing for them that carries the file.
fn file_items(inv: &Invocation<'_>, file: &Arg, delimiter: char) -> Vec<Arg> {
    match known_file_text(file) {
        Some(text) => source_values(&text, delimiter),
        None => vec![file_words(inv, file)],
    }
}

/// The lines standard input gives as arguments (`find ... | parallel`),
/// or one argument that carries it when they are not known; none when
/// nothing is known of it (the command then runs once, without one).
fn stdin_lines(inv: &Invocation<'_>, delimiter: char) -> Vec<Arg> {
    let lines = source_values(&inv.stdin.text.join("\n"), delimiter);
    if !lines.is_empty() {
        return lines;
    }
    if inv.has_stdin && !inv.stdin.is_empty() {
        return vec![stdin_value(inv)];
    }
    Vec::new()
}

/// Every combination of one value from each source, the first source
/// varying slowest (as parallel orders its jobs), at most 8 jobs.
fn combinations(sources: &[Vec<Arg>]) -> Vec<Vec<Arg>> {
    let mut jobs: Vec<Vec<Arg>> = vec![Vec::new()];
    for source in sources {
        let mut next = Vec::new();
        for job in &jobs {
            for value in source {
                let mut job = job.clone();
                job.push(value.clone());
                next.push(job);
                if next.len() >= 8 {
                    break;
                }
            }
        }
        jobs = next;
    }
    jobs
}

/// A literal argument as parallel quotes it into the command line.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:@%+=,~*?[]^".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The command line of one job: the template's words joined, each
/// replacement string (`{}`, `{.}`, `{/}`, `{//}`, `{/.}`, `{#}`, `{%}`,
/// and `{N}`, `{N.}`, ... for the Nth source) replaced, or the arguments
/// appended when it has none.
fn fill_template(
    command: &[&Arg],
    replace: &str,
    values: &[Arg],
    shown: &[String],
    job: usize,
) -> String {
    let template = command
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let all = shown.join(" ");
    let known = |n: usize, edit: &str| -> String {
        let (Some(value), Some(shown)) = (values.get(n), shown.get(n)) else {
            return String::new();
        };
        if value.dynamic || !value.prov.is_empty() || edit.is_empty() {
            return shown.clone();
        }
        shell_quote(&path_edit(&value.text, edit))
    };
    let mut text = String::new();
    let mut replaced = false;
    let mut rest = template.as_str();
    while !rest.is_empty() {
        if replace != "{}" && rest.starts_with(replace) {
            text.push_str(&all);
            rest = rest.get(replace.len()..).unwrap_or_default();
            replaced = true;
            continue;
        }
        if let Some(inner) = rest.strip_prefix('{')
            && let Some(close) = inner.find('}')
            && let Some(body) = inner.get(..close)
            && let Some(value) = replacement(body, values.len(), job, &known, &all)
        {
            text.push_str(&value);
            rest = inner.get(close + 1..).unwrap_or_default();
            replaced = true;
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            text.push(c);
        }
        rest = chars.as_str();
    }
    if !replaced && !all.is_empty() {
        text.push(' ');
        text.push_str(&all);
    }
    text
}

/// What one replacement string `{BODY}` stands for, `None` when it is none.
fn replacement(
    body: &str,
    sources: usize,
    job: usize,
    known: &dyn Fn(usize, &str) -> String,
    all: &str,
) -> Option<String> {
    match body {
        "#" => return Some(job.to_string()),
        "%" => return Some("1".to_owned()),
        "" if sources == 1 => return Some(known(0, "")),
        "" => return Some(all.to_owned()),
        _ => {}
    }
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    let (number, edit) = body.split_at(digits);
    if !matches!(edit, "" | "." | "/" | "//" | "/.") || (number.is_empty() && edit.is_empty()) {
        return None;
    }
    let index = match number.parse::<usize>() {
        Ok(n) if n >= 1 => n - 1,
        Ok(_) => return None,
        Err(_) => 0,
    };
    Some(known(index, edit))
}

/// A path with parallel's edit: `.` drops the extension, `/` keeps the
/// basename, `//` the directory, `/.` the basename without extension.
fn path_edit(text: &str, edit: &str) -> String {
    let base = text.rsplit('/').next().unwrap_or(text);
    let drop_extension = |t: &str| -> String {
        match t.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() && !stem.ends_with('/') => stem.to_owned(),
            _ => t.to_owned(),
        }
    };
    match edit {
        "." => drop_extension(text),
        "/" => base.to_owned(),
        "//" => match text.rsplit_once('/') {
            Some((dir, _)) if !dir.is_empty() => dir.to_owned(),
            Some(_) => "/".to_owned(),
            None => ".".to_owned(),
        },
        "/." => drop_extension(base),
        _ => text.to_owned(),
    }
}

/// `watch CMD...`: the words are joined and run by `sh -c`.
fn watch(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "nq",
        long: &["interval", "equexit"],
        stop_after: Some(0),
    };
    let items = args::parse(inv.args, &spec);
    let argv: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    if args::has(&items, &["-x", "--exec"]) {
        return run_argv(argv, None);
    }
    let text = join(&argv);
    let mut outcome = Outcome::default();
    if !text.is_empty() {
        outcome.nested.push(Nested::Script {
            text,
            what: "watch".to_owned(),
        });
    }
    outcome
}

fn join(words: &[Arg]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `sh -c '...'`, `bash script.sh`, `curl ... | bash`, `bash <<EOF`.
fn shell(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut inline = false;
    // `-s`: the script is standard input and every operand an argument.
    let mut from_stdin = false;
    let mut options_ended = false;
    let mut positional: Vec<&Arg> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if options_ended || !positional.is_empty() {
            positional.push(word);
        } else if text == "-o" || text == "+o" || text == "-O" || text == "+O" {
            words.next();
        } else if text == "--" || text == "-" {
            options_ended = true;
        } else if text.starts_with("--") {
            continue;
        } else if (text.starts_with('-') || text.starts_with('+')) && text.len() > 1 {
            inline |= text.contains('c');
            from_stdin |= text.starts_with('-') && text.contains('s');
        } else {
            positional.push(word);
        }
    }
    if from_stdin && !inline {
        stdin_script(inv, &mut outcome);
        return outcome;
    }
    match (inline, positional.first()) {
        (true, Some(script)) => {
            if script.dynamic {
                outcome.opaque.push(format!(
                    "{} -c runs dynamic text: {}",
                    inv.program, script.text
                ));
            }
            // zsh's and fish's text is read as the bash that does the same.
            let text = match inv.program {
                "zsh" => super::zsh_to_bash(&script.text),
                "fish" => super::fish_to_bash(&script.text),
                _ => script.text.clone(),
            };
            outcome.nested.push(Nested::ShellScript {
                text,
                what: format!("{} -c", inv.program),
                args: positional.iter().skip(1).map(|a| (*a).clone()).collect(),
                env: Vec::new(),
            });
        }
        (false, Some(file)) => read_script(inv, file, &mut outcome),
        _ => stdin_script(inv, &mut outcome),
    }
    outcome
}

fn read_script(inv: &Invocation<'_>, file: &Arg, outcome: &mut Outcome) {
    if file.text == "/dev/fd/63" || !file.substitutions.is_empty() {
        outcome.opaque.push(format!(
            "{} runs the output of: {}",
            inv.program,
            file.substitutions.join("; ")
        ));
    } else {
        outcome.read(inv.path(&file.text), false);
    }
}

/// A shell reading its script from standard input (text the line fixes,
/// with any arguments, is run by the walk: `known_script_operand`).
fn stdin_script(inv: &Invocation<'_>, outcome: &mut Outcome) {
    if !inv.has_stdin {
        return;
    }
    // Text the line wrote (`<<< "curl ... $TOKEN"`, `echo '...' |`) is
    // the script; an expansion in it (`$TOKEN`) is left in place, so the
    // script reads it as the shell does. A file's content is not known.
    let only_text = inv.stdin.files.is_empty() && !inv.stdin.text.is_empty();
    if only_text {
        outcome.nested.push(Nested::Script {
            text: inv.stdin.text.join("\n"),
            what: format!("{} script on stdin", inv.program),
        });
    } else {
        outcome
            .opaque
            .push(format!("{} runs a script from standard input", inv.program));
    }
}

/// `eval ARGS`: the words joined are run as shell text. An expansion the
/// walk could not resolve (`$TOKEN`, `$(hostname)`) stays in the text as
/// written, so the script expands it again: its value is unknown but where
/// it goes is not.
fn eval(inv: &Invocation<'_>) -> Outcome {
    let mut text = join(inv.args);
    let mut outcome = Outcome::default();
    outcome.opaque.push(format!("eval: {text}"));
    // `eval "$(ssh-agent -s)"`, `eval "$(brew shellenv)"`: the output of a
    // program that prints environment setup is evaluated to set the shell
    // up; the program runs (its own effects count), its text is not
    // hidden shell text.
    let setup_only = inv.args.iter().all(|arg| {
        !arg.substitutions.is_empty()
            && arg
                .substitutions
                .iter()
                .all(|inner| crate::walk::is_environment_setup(inner))
            && arg
                .substitutions
                .iter()
                .fold(arg.text.clone(), |rest, inner| {
                    rest.replace(&format!("$({inner})"), "")
                        .replace(&format!("`{inner}`"), "")
                })
                .trim()
                .is_empty()
    });
    if setup_only && !inv.args.is_empty() {
        return outcome;
    }
    let mut bindings = Vec::new();
    for arg in inv.args {
        for inner in &arg.substitutions {
            for source in [format!("$({inner})"), format!("`{inner}`")] {
                if text.contains(&source) {
                    let name = format!("__writ_substitution_{}", bindings.len());
                    text = text.replace(&source, &format!("\"${{{name}}}\""));
                    let output = Arg {
                        text: source,
                        env: Vec::new(),
                        substitutions: Vec::new(),
                        dynamic: true,
                        prov: arg.prov.clone(),
                        quoted: false,
                    };
                    bindings.push((name, output));
                }
            }
        }
    }
    outcome.nested.push(Nested::InPlace {
        text,
        what: "eval".to_owned(),
        bindings,
    });
    outcome
}

fn source(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    if let Some(file) = inv.args.first() {
        read_script(inv, file, &mut outcome);
    }
    outcome
}

/// Interpreters: inline code is opaque; a script argument is read.
fn interpreter(inv: &Invocation<'_>) -> Option<Outcome> {
    if let Some(outcome) = inline::typescript_runner(inv) {
        return Some(outcome);
    }
    if let Some(outcome) = super::jvm::handle(inv) {
        return Some(outcome);
    }
    if let Some(outcome) = super::languages::handle(inv) {
        return Some(outcome);
    }
    let program = inv.program;
    let (code_flags, value_flags): (&[&str], &str) = if program.starts_with("python") {
        (&["-c"], "WXm")
    } else if matches!(program, "node" | "nodejs")
        || (program == "bun" && !is_bun_package_command(inv))
    {
        (&["-e", "--eval", "-p", "--print"], "r")
    } else if program == "perl" {
        (&["-e", "-E"], "IM")
    } else if program == "ruby" {
        (&["-e"], "rIC")
    } else if program == "php" {
        (&["-r"], "dc")
    } else if program == "groovy" {
        (&["-e"], "D")
    } else if program == "osascript" {
        (&["-e"], "l")
    } else if matches!(program, "pwsh" | "powershell") {
        return Some(super::powershell::host(inv));
    } else if matches!(program, "rscript" | "r") {
        return super::rlang::handle(inv);
    } else if program == "deno" {
        // `deno add` / `deno install` fetch packages (the package handler).
        if inv
            .args
            .first()
            .is_some_and(|a| matches!(a.text.as_str(), "add" | "install" | "i"))
        {
            return None;
        }
        return Some(deno(inv));
    } else {
        return None;
    };
    if program.starts_with("python") && !is_python_name(program) {
        return None;
    }
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter().enumerate();
    while let Some((index, word)) = words.next() {
        let text = word.text.as_str();
        if let Some(flag) = code_flags.iter().find(|f| {
            text == **f
                || (f.len() == 2
                    && text.starts_with(**f)
                    && text.len() > 2
                    && !text.starts_with("--"))
        }) {
            let code = if text == *flag {
                words
                    .next()
                    .map(|(_, w)| w.text.clone())
                    .unwrap_or_default()
            } else {
                text.get(2..).unwrap_or_default().to_owned()
            };
            inline::analyze(inv, &code, &mut outcome);
            outcome
                .opaque
                .push(format!("{program} runs inline code: {code}"));
            if program == "perl" {
                perl_in_place(inv, &mut outcome);
            }
            return Some(outcome);
        }
        if program.starts_with("python") && text == "-m" {
            let rest = inv.args.get(index + 1..).unwrap_or_default();
            return Some(python_module(rest));
        }
        if perl_cluster_has_code(program, text) {
            let code = words
                .next()
                .map(|(_, w)| w.text.clone())
                .unwrap_or_default();
            inline::analyze(inv, &code, &mut outcome);
            outcome
                .opaque
                .push(format!("{program} runs inline code: {code}"));
            perl_in_place(inv, &mut outcome);
            return Some(outcome);
        }
        if text.starts_with('-') {
            let takes_value =
                text.len() == 2 && text.chars().nth(1).is_some_and(|c| value_flags.contains(c));
            if takes_value {
                words.next();
            }
            continue;
        }
        read_script(inv, word, &mut outcome);
        return Some(outcome);
    }
    if inv.has_stdin {
        if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
            let code = inv.stdin.text.join("\n");
            inline::analyze(inv, &code, &mut outcome);
        }
        outcome
            .opaque
            .push(format!("{program} runs code from standard input"));
    }
    Some(outcome)
}

/// The Python launcher (Windows' `py`, and python-launcher's on Unix):
/// `py [-3|-3.12|-3.12-64|-V:3.12] ARGS` runs that Python with ARGS, so
/// `py -m pip install X`, `py script.py` and `py -c CODE` are Python's.
fn py_launcher(inv: &Invocation<'_>) -> Outcome {
    let (python, args) = match inv.args.split_first() {
        Some((first, rest)) => match py_version(&first.text) {
            Some(version) => (format!("python{version}"), rest),
            None => ("python3".to_owned(), inv.args),
        },
        None => ("python3".to_owned(), inv.args),
    };
    let mut argv = vec![Arg::literal(&python)];
    argv.extend(args.iter().cloned());
    run_argv(argv, None)
}

/// The version a `py` selector names (`-3`, `-3.12`, `-3.12-32`, `-3.13t`,
/// `-V:3.12`): its number.
fn py_version(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("-V:")
        .or_else(|| text.strip_prefix("-v:"))
        .or_else(|| text.strip_prefix('-'))?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, tail) = rest.split_at(end);
    // `-0` and `-0p` list the installed versions.
    let selector = number.starts_with(|c: char| c.is_ascii_digit() && c != '0')
        && (tail.is_empty() || tail.starts_with(['-', 't']));
    selector.then_some(number)
}

/// `bun add|install|x ...` is a package manager, not the interpreter.
fn is_bun_package_command(inv: &Invocation<'_>) -> bool {
    inv.args.first().is_some_and(|a| {
        matches!(
            a.text.as_str(),
            "add" | "a" | "install" | "i" | "remove" | "update" | "x" | "publish"
        )
    })
}

fn is_python_name(program: &str) -> bool {
    program
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `perl -pi -e`: clusters that end in `e` take the code next. A switch
/// that takes the rest of its word (`-MFile::Path=remove_tree`, `-Ilib`)
/// is no cluster.
fn perl_cluster_has_code(program: &str, text: &str) -> bool {
    program == "perl"
        && text.starts_with('-')
        && !text.starts_with("--")
        && !["-M", "-m", "-I"]
            .iter()
            .any(|switch| text.starts_with(switch))
        && text.chars().skip(1).all(|c| c.is_ascii_alphanumeric())
        && (text.ends_with('e') || text.ends_with('E'))
        && text.len() > 2
}

/// `perl -i ... -e CODE files`: the files are edited in place.
fn perl_in_place(inv: &Invocation<'_>, outcome: &mut Outcome) {
    let in_place = inv
        .args
        .iter()
        .any(|a| a.text.starts_with('-') && !a.text.starts_with("--") && a.text.contains('i'));
    let mut after_code = false;
    for word in inv.args {
        if after_code && !word.text.starts_with('-') {
            let path = inv.path(&word.text);
            outcome.effects.push(if in_place {
                crate::Effect::Write {
                    path,
                    append: false,
                }
            } else {
                read(path, false)
            });
        }
        if word.text.starts_with('-') && (word.text.ends_with('e') || word.text.ends_with('E')) {
            after_code = false;
        } else if !after_code && !word.text.starts_with('-') {
            after_code = true;
        }
    }
}

/// `python -m pip ...` is pip, `python -m pytest ...` is pytest (which
/// runs the project's `conftest.py` files); other modules run library code.
fn python_module(rest: &[Arg]) -> Outcome {
    let mut outcome = Outcome::default();
    if let Some((module, args)) = rest.split_first() {
        let mut argv = vec![Arg::literal(&module.text)];
        argv.extend(args.iter().cloned());
        if matches!(
            module.text.as_str(),
            "pip" | "pip3" | "http.server" | "SimpleHTTPServer" | "twine" | "webbrowser" | "pytest"
        ) {
            outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: None,
            });
        }
    }
    outcome
}

/// Deno's long options that take their value as the next word (the
/// others take one only after `=`).
const DENO_VALUE_OPTIONS: &[&str] = &[
    "config",
    "import-map",
    "cert",
    "location",
    "seed",
    "ext",
    "log-level",
];

/// `deno eval CODE` and `deno run -` (code on standard input) run inline
/// JavaScript, read like `node -e`; `deno run FILE` (or Deno 2's `deno
/// FILE`) runs a script, read; a remote module is opaque.
fn deno(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cL",
            long: DENO_VALUE_OPTIONS,
            // `deno run FILE ARGS`, `deno eval CODE ARGS`: the rest are
            // the code's arguments.
            stop_after: Some(2),
        },
    );
    let positional = args::positionals(&items);
    let script = match positional.first().map(|a| a.text.as_str()) {
        Some("eval") => {
            let code = positional
                .get(1)
                .map(|a| a.text.clone())
                .unwrap_or_default();
            inline::analyze(inv, &code, &mut outcome);
            outcome
                .opaque
                .push(format!("deno runs inline code: {code}"));
            return outcome;
        }
        Some("run") => positional.get(1),
        Some(name) if is_deno_module(name) => positional.first(),
        _ => None,
    };
    match script {
        Some(script) if script.text == "-" => {
            if inv.has_stdin && inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
                inline::analyze(inv, &inv.stdin.text.join("\n"), &mut outcome);
            }
            outcome
                .opaque
                .push("deno runs code from standard input".to_owned());
        }
        Some(script) if script.text.contains("://") => outcome
            .opaque
            .push(format!("deno runs remote code: {}", script.text)),
        Some(script) => outcome.read(inv.path(&script.text), false),
        None => {}
    }
    outcome
}

/// A module Deno runs when named in place of a subcommand (`deno main.ts`).
fn is_deno_module(name: &str) -> bool {
    name.contains("://")
        || name.rsplit_once('.').is_some_and(|(_, ext)| {
            matches!(
                ext,
                "ts" | "tsx" | "mts" | "cts" | "js" | "jsx" | "mjs" | "cjs"
            )
        })
}
