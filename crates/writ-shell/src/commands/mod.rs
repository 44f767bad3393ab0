//! Per-program knowledge: each module reads one family's real flag syntax
//! and reports [`Effect`]s.

mod access;
mod accounts;
pub use accounts::changes_account_access;
mod applescript;
mod apps;
mod backups;
pub(crate) use backups::configured as configured_backups;
pub(crate) use publish::configured as configured_registry;
mod batch;
mod brokers;
mod browsers;
mod build_systems;
mod builds;
pub(crate) use builds::configured as configured_build;
mod captures;
mod chain;
mod cli_sql;
mod client_configs;
pub(crate) use client_configs::configured as configured_clients;
mod clients;
mod clipboard;
mod consoles;
pub(crate) use clipboard::{ClipboardStep, Pasted, Selections};
mod cloud;
mod container;
pub(crate) use container::{compose_services, host_payload, to_host, written_dockerfile};

/// The text of a file by absolute path, when it is known: written on the
/// line or by an earlier step of the session.
pub(crate) type Lookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// The code files a handler noted as run (`opaque` lines `PREFIX PATH`)
/// whose text an earlier step wrote: each such note taken out, with the
/// path and the text, for the handler to read the code in its place.
pub(crate) fn noted_scripts(
    outcome: &mut Outcome,
    prefix: &str,
    text_of: &Lookup<'_>,
) -> Vec<(String, String)> {
    let known: Vec<(String, String)> = outcome
        .opaque
        .iter()
        .filter_map(|line| line.strip_prefix(prefix))
        .filter_map(|path| text_of(path).map(|text| (path.to_owned(), text)))
        .collect();
    outcome.opaque.retain(|line| {
        line.strip_prefix(prefix)
            .is_none_or(|path| !known.iter().any(|(p, _)| p == path))
    });
    known
}
pub(crate) use powershell::{starts_with_cmdlet, starts_with_cmdlet_shaped};
mod shells;
pub(crate) use shells::{fish_to_bash, zsh_or_fish_line, zsh_to_bash};
pub(crate) use windows::{
    cmd_only_line, has_cmd_statement, starts_with_windows_program, written_batch_files,
};
mod dataflow;
mod deploy;
mod devenvs;
mod devices;
mod directory;
pub(crate) use directory::written_ldif;
mod disks;
mod dvc;
mod editors;
pub(crate) use editors::written_scripts as written_editor_scripts;
mod files;
mod fleet;
pub(crate) use fleet::{remote_effects, written_manifests};
mod git;
pub(crate) use cloud::written_policies;
pub use cloud::{PolicyReach, grants_everyone, iam_grant, is_public_acl, policy_reach};
pub(crate) use git::configured_aliases as configured_git_aliases;
pub use git::{WORKFLOW_ENVIRONMENT_INPUTS, github_access_changes, resolve_remote};
pub use publish::changes_login_keys;
mod glab;
mod gpu_clouds;
pub use glab::gitlab_access_changes;
pub(crate) use gpu_clouds::written as written_gpu_tasks;
mod gdal;
mod hpc;
mod hypervisors;
mod image_builders;
pub(crate) use hypervisors::written_image_documents;
mod infra;
mod inline;
mod kube_manifests;
pub(crate) use kube_manifests::applied_grants as applied_kube_grants;
mod interactive;
pub(crate) use interactive::written_scripts as written_command_scripts;
mod iot;
mod julia;
mod jvm;
mod l10n;
pub(crate) use l10n::configured as configured_l10n;
mod languages;
pub(crate) use languages::{written_conftests, written_scripts as written_language_scripts};
mod llm;
mod logship;
mod lua;
pub(crate) use lua::written_scripts as written_lua_scripts;
mod mail;
mod media;
mod migrate;
pub(crate) use migrate::configured as configured_migration;
mod mlops;
mod mounts;
mod multiplexers;
mod net;
pub(crate) use net::written_transfer_lists;
mod netops;
mod nosql;
pub use nosql::cypher_class;
mod notebooks;
pub(crate) use notebooks::written as written_notebooks;
mod notify;
mod observability;
mod office;
mod openers;
mod orchestrators;
mod p4;
mod packages;
mod patch;
mod pathexpr;
pub(crate) use inline::with_loaded_configs;
pub(crate) use inline::with_loaded_json;
pub(crate) use inline::{with_loaded_php_configs, with_loaded_ruby_configs};
pub(crate) use pathexpr::with_script_path;
mod payments;
mod pipelines;
pub(crate) use patch::written_patches;
pub use patch::{PatchChange, apply_patch_changes};
pub use pipelines::is_environment_parameter;
mod platforms;
mod powershell;
mod printing;
mod process;
mod publish;
mod recordings;
mod remotes;
mod rlang;
mod runners;
pub(crate) use runners::run_recipes;
mod scrapy;
mod secrets;
mod signing;
mod sites;
mod sql;
pub(crate) use sql::written_scripts as written_sql_scripts;
mod sync;
mod tcl;
mod transform;
pub(crate) use transform::{is_glob, names_written_file};
mod toml;
mod top_level;
mod tunnels;
mod vcs;
mod vendor;
mod windows;
mod words;
mod wrappers;
pub(crate) use wrappers::written_env_scripts;

use crate::args::{self, Arg};
use crate::{Effect, FileRef, Payload, Request, Resource, Target, paths};

/// One program run with its expanded arguments.
#[derive(Debug)]
pub(crate) struct Invocation<'a> {
    /// Basename of the program.
    pub program: &'a str,
    pub args: &'a [Arg],
    /// Absolute working directory.
    pub cwd: &'a str,
    pub home: &'a str,
    /// `NAME=value` prefixes (`PGHOST=db psql`).
    pub env: &'a [(String, Arg)],
    /// What standard input carries.
    pub stdin: &'a Payload,
    /// True when standard input comes from a pipe, redirect, heredoc or here-string.
    pub has_stdin: bool,
}

impl Invocation<'_> {
    /// The text standard input carries when it is only text (`echo CODE
    /// |`, a heredoc, a pipe from `printf`): no file, variable, credential
    /// or repository content rides with it.
    pub(crate) fn stdin_only_text(&self) -> Option<String> {
        let stdin = self.stdin;
        let only_text = self.has_stdin
            && stdin.files.is_empty()
            && stdin.env.is_empty()
            && stdin.credentials.is_empty()
            && !stdin.repository
            && !stdin.text.is_empty();
        only_text.then(|| stdin.text.join("\n"))
    }

    /// An argument as an absolute path.
    pub(crate) fn path(&self, text: &str) -> String {
        paths::resolve(self.cwd, self.home, text)
    }

    /// A `NAME=value` prefix's value.
    pub(crate) fn env_value(&self, name: &str) -> Option<&Arg> {
        self.env.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The same invocation with other arguments (subcommands).
    pub(crate) fn with_args<'b>(&'b self, args: &'b [Arg]) -> Invocation<'b> {
        Invocation { args, ..*self }
    }
}

/// Something a wrapper runs.
#[derive(Debug)]
pub(crate) enum Nested {
    /// A command given as words (`sudo rm -rf x`).
    Argv {
        argv: Vec<Arg>,
        env: Vec<(String, Arg)>,
        /// A working directory for it (`env -C dir`).
        cwd: Option<String>,
    },
    /// Shell text (`sh -c '...'`, `watch '...'`); `what` names it for `opaque`.
    Script { text: String, what: String },
    /// Shell text run in the current shell (`eval`, `source FILE`), so
    /// what it assigns and exports stays set; the command substitutions
    /// the walk already ran read as the variables `bindings` set to their
    /// output (so they do not run twice).
    InPlace {
        text: String,
        what: String,
        bindings: Vec<(String, Arg)>,
    },
    /// Shell text a shell runs with arguments and an environment (`F=x sh
    /// -c 'curl -T "$1" ...' sh .env`): `args` are `$0`, `$1`, ...; `env`
    /// the variables its environment adds.
    ShellScript {
        text: String,
        what: String,
        args: Vec<Arg>,
        env: Vec<(String, Arg)>,
    },
    /// A command run on other hosts (`ssh HOST CMD`, `ansible -m shell`,
    /// `salt T cmd.run`, SSM, `az vm run-command`), from `cwd` there, in an
    /// environment of its own: what it does to files is the other host's,
    /// and a database client in it that names no server reaches the host
    /// it runs on (`fleet::remote_effects`). `hosts` are those hosts, when
    /// their names are known; `stdin` says whether it reads this command's
    /// standard input (ssh's does).
    Remote {
        argv: Vec<Arg>,
        hosts: Vec<String>,
        cwd: String,
        stdin: bool,
    },
    /// A command run in a container (`docker run IMAGE CMD...`), from
    /// `workdir` there; `mounts` are its bind mounts as `(host, container)`
    /// absolute paths, the only host files it can touch.
    Container {
        argv: Vec<Arg>,
        workdir: String,
        mounts: Vec<(String, String)>,
    },
}

/// What a handler found.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub effects: Vec<Effect>,
    /// What standard output carries; `None` means stdin plus the files read.
    pub stdout: Option<Payload>,
    /// What standard output carries besides stdin and the files read, when
    /// `stdout` is `None`: arguments the command prints (`jq --arg k "$(cat f)"`).
    pub prints: Payload,
    pub opaque: Vec<String>,
    /// Files this command fills, and with what (`tar czf out.tgz dir`).
    pub contents: Vec<(String, Payload)>,
    pub nested: Vec<Nested>,
    /// What the nested commands print is sent by this outcome's requests
    /// (inline code that runs `cat .env` and posts what it printed).
    pub nested_output_sent: bool,
    /// What the nested commands' connections also carry, and the programs
    /// whose requests carry it: a password a wrapper types in for them
    /// (`sshpass -p PASS ssh host` sends PASS to the host).
    pub nested_credential: Option<(Payload, &'static [&'static str])>,
    /// Container images this command builds, tags or pushes: the walk
    /// keeps what each image built on the line carries, so a later push
    /// of it sends that.
    pub images: Vec<ImageStep>,
    /// Local servers this command starts, by port, with what they answer
    /// with (`python3 -m http.server 8000 --directory out`: the tree `out`).
    pub serves: Vec<(u16, Payload)>,
    /// Local ports whose service this command's requests carry out (a
    /// tunnel, `ssh -R`): the walk adds what a server on the line serves
    /// there, whichever of the two comes first.
    pub publishes: Vec<u16>,
    /// What this command puts into the clipboard's selections or prints
    /// from them, in order: the walk keeps what each selection holds for
    /// the rest of the line ([`Selections`]).
    pub clipboard: Vec<ClipboardStep>,
}

/// A step in a container image's life on the line, by normalised
/// reference (`docker.io/library/app:latest`).
#[derive(Debug)]
pub(crate) enum ImageStep {
    /// Built as `image`, carrying what went into it (its build arguments'
    /// values).
    Built { image: String, carries: Payload },
    /// `docker tag SOURCE TARGET`: TARGET is the same image.
    Tagged { source: String, target: String },
    /// Pushed: this command's requests send what the image carries.
    Pushed { image: String },
}

impl Outcome {
    pub(crate) fn effect(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }

    pub(crate) fn read(&mut self, path: String, recursive: bool) {
        self.effects.push(read(path, recursive));
    }

    pub(crate) fn write(&mut self, path: String, append: bool) {
        self.effects.push(Effect::Write { path, append });
    }

    /// Leaves the name patterns `excludes` out of every tree this outcome
    /// reads, sends or copies into a file (`rsync --exclude .env`, `tar
    /// --exclude='*.pem'`).
    pub(crate) fn exclude(&mut self, excludes: &[String]) {
        if excludes.is_empty() {
            return;
        }
        let mark = |file: &mut FileRef| {
            if file.recursive {
                file.excludes.extend(excludes.iter().cloned());
            }
        };
        for effect in &mut self.effects {
            match effect {
                Effect::Read { file } => mark(file),
                Effect::Request(request) => request.payload.files.iter_mut().for_each(mark),
                _ => {}
            }
        }
        for (_, payload) in &mut self.contents {
            payload.files.iter_mut().for_each(mark);
        }
        self.prints.files.iter_mut().for_each(mark);
        if let Some(stdout) = &mut self.stdout {
            stdout.files.iter_mut().for_each(mark);
        }
    }

    /// Deletes `path`; a path the shell left as `ROOT/**/NAME` (`rm -rf
    /// ./**/__pycache__`, or what `find ROOT -name NAME | xargs rm`
    /// passes) removes only the entries called NAME below ROOT.
    pub(crate) fn delete(&mut self, path: String, recursive: bool) {
        if let Some((root, name)) = path.rsplit_once("/**/")
            && !name.contains('/')
            && !root.contains(['*', '?', '['])
            && !name.is_empty()
        {
            self.effects.push(Effect::DeleteNamed {
                root: root.to_owned(),
                names: vec![name.to_owned()],
            });
            return;
        }
        self.effects.push(Effect::Delete { path, recursive });
    }
}

/// Adds a file whose contents are sent to a payload (`-`, standard input,
/// is not a file).
pub(crate) fn send_file(inv: &Invocation<'_>, payload: &mut Payload, text: &str, recursive: bool) {
    if text == "-" {
        return;
    }
    crate::flow::push_file(
        payload,
        FileRef {
            path: inv.path(text),
            recursive,
            excludes: Vec::new(),
        },
    );
}

/// Text as `printf` (or `echo -e`) prints it, its `\n` and `\r\n` escapes
/// as line breaks: the analysis keeps their arguments as written, and a
/// command reading them line by line (mail headers, sftp commands) needs
/// the lines.
pub(crate) fn printed_lines(text: &str) -> String {
    text.replace("\\r\\n", "\n").replace("\\n", "\n")
}

/// A `Read` effect.
pub(crate) fn read(path: String, recursive: bool) -> Effect {
    Effect::Read {
        file: FileRef {
            path,
            recursive,
            excludes: Vec::new(),
        },
    }
}

/// A `Request` effect.
pub(crate) fn request(
    program: &str,
    target: Target,
    method: &str,
    payload: Payload,
    public: bool,
) -> Effect {
    // A `file://` URL of this machine is a local file: fetched, it is
    // read; sent to, it is written.
    if let Target::Url { url } = &target
        && let Some(path) = local_file_url(url)
    {
        return match method {
            "GET" | "HEAD" => Effect::Read {
                file: crate::FileRef {
                    path,
                    recursive: false,
                    excludes: Vec::new(),
                },
            },
            _ => Effect::Write {
                path,
                append: false,
            },
        };
    }
    Effect::Request(Request {
        program: program.to_owned(),
        target,
        method: method.to_owned(),
        payload,
        public,
    })
}

/// The path of a `file://` URL of this machine (`file:///p`,
/// `file://localhost/p`), percent-escapes decoded.
fn local_file_url(url: &str) -> Option<String> {
    let scheme = url.get(..7)?;
    if !scheme.eq_ignore_ascii_case("file://") {
        return None;
    }
    let rest = url.get(7..)?;
    let path = match rest.strip_prefix("localhost") {
        Some(path) => path,
        None => rest,
    };
    if !path.starts_with('/') {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    Some(
        percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// A URL target.
pub(crate) fn url(text: &str) -> Target {
    Target::Url {
        url: text.to_owned(),
    }
}

/// A command that creates or changes something with an option that makes
/// it public: `--visibility public` (`az devops project update --project P
/// --visibility public`, a forge CLI's `repo edit`), `--publicly-accessible`
/// (`aws rds modify-db-instance`, Redshift, DMS: reachable from the
/// internet), `--allow-unauthenticated` (`gcloud run deploy`, `gcloud
/// functions deploy`: anyone may call it). gh and glab say what they
/// change themselves.
fn made_public(inv: &Invocation<'_>) -> Option<Resource> {
    if matches!(inv.program, "gh" | "glab") {
        return None;
    }
    // Most commands have none of these options: answered before parsing.
    let public = inv
        .args
        .iter()
        .enumerate()
        .any(|(at, arg)| match arg.text.as_str() {
            "--publicly-accessible" | "--allow-unauthenticated" => true,
            "--visibility" => inv
                .args
                .get(at + 1)
                .is_some_and(|v| v.text.eq_ignore_ascii_case("public")),
            text => text
                .strip_prefix("--visibility=")
                .is_some_and(|v| v.eq_ignore_ascii_case("public")),
        });
    if !public {
        return None;
    }
    // The subcommand that creates or changes: a word, or the first word of
    // a kebab-case one (`modify-db-instance`).
    let changes = args::words(inv.args).iter().any(|w| {
        matches!(
            w.split('-').next().unwrap_or(w),
            "create"
                | "update"
                | "edit"
                | "set"
                | "change"
                | "modify"
                | "patch"
                | "new"
                | "deploy"
                | "restore"
        )
    });
    changes.then(|| Resource::Other {
        name: format!("{} {}", inv.program, args::leading(inv.args).join(" ")),
    })
}

/// Runs the handler for `inv.program`, and notes the local servers it
/// starts and the local ports it publishes.
pub(crate) fn dispatch(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = handlers(inv);
    tunnels::note_ports(inv, &mut outcome);
    outcome
}

/// The outcome of the handler for `inv.program`.
fn handlers(inv: &Invocation<'_>) -> Outcome {
    if let Some(outcome) = migrate::handle(inv)
        .or_else(|| consoles::handle(inv))
        .or_else(|| apps::php_script(inv))
        .or_else(|| applescript::handle(inv))
        .or_else(|| wrappers::handle(inv))
        .or_else(|| editors::handle(inv))
        .or_else(|| multiplexers::handle(inv))
        .or_else(|| batch::handle(inv))
        .or_else(|| container::handle(inv))
        .or_else(|| packages::plugin_install(inv))
    {
        let mut outcome = outcome;
        deploy::tooling::add(inv, true, &mut outcome);
        // What a runner passes a program built from the project (`go run
        // ./cmd/ledgerctl --dsn URL --exec SQL`).
        cli_sql::add(inv, true, &mut outcome);
        return outcome;
    }
    let handled = printing::handle(inv)
        .or_else(|| lua::handle(inv))
        .or_else(|| mounts::handle(inv))
        .or_else(|| net::handle(inv))
        .or_else(|| clients::handle(inv))
        .or_else(|| tunnels::handle(inv))
        .or_else(|| devenvs::handle(inv))
        .or_else(|| netops::handle(inv))
        .or_else(|| interactive::handle(inv))
        .or_else(|| fleet::handle(inv))
        .or_else(|| windows::handle(inv))
        .or_else(|| powershell::handle(inv))
        .or_else(|| git::handle(inv))
        .or_else(|| glab::handle(inv))
        .or_else(|| pipelines::handle(inv))
        .or_else(|| cloud::handle(inv))
        .or_else(|| image_builders::handle(inv))
        .or_else(|| office::handle(inv))
        .or_else(|| access::handle(inv))
        .or_else(|| accounts::handle(inv))
        .or_else(|| directory::handle(inv))
        .or_else(|| apps::handle(inv))
        .or_else(|| orchestrators::handle(inv))
        .or_else(|| infra::handle(inv))
        .or_else(|| sql::handle(inv))
        .or_else(|| nosql::handle(inv))
        .or_else(|| packages::handle(inv))
        .or_else(|| julia::handle(inv))
        .or_else(|| mail::handle(inv))
        .or_else(|| notify::handle(inv))
        .or_else(|| sites::handle(inv))
        .or_else(|| builds::handle(inv))
        .or_else(|| build_systems::handle(inv))
        .or_else(|| deploy::handle(inv))
        .or_else(|| platforms::handle(inv))
        .or_else(|| observability::handle(inv))
        .or_else(|| chain::handle(inv))
        .or_else(|| remotes::handle(inv))
        .or_else(|| backups::handle(inv))
        .or_else(|| sync::handle(inv))
        .or_else(|| publish::handle(inv))
        .or_else(|| iot::handle(inv))
        .or_else(|| p4::handle(inv))
        .or_else(|| vcs::handle(inv))
        .or_else(|| llm::handle(inv))
        .or_else(|| logship::handle(inv))
        .or_else(|| signing::handle(inv))
        .or_else(|| secrets::sops_exec(inv))
        .or_else(|| notebooks::handle(inv))
        .or_else(|| gpu_clouds::handle(inv))
        .or_else(|| mlops::handle(inv))
        .or_else(|| dvc::handle(inv))
        .or_else(|| dataflow::handle(inv))
        .or_else(|| scrapy::handle(inv))
        .or_else(|| media::handle(inv))
        .or_else(|| browsers::handle(inv))
        .or_else(|| openers::handle(inv))
        .or_else(|| l10n::handle(inv))
        .or_else(|| vendor::handle(inv))
        .or_else(|| clipboard::handle(inv))
        .or_else(|| recordings::handle(inv))
        .or_else(|| hpc::handle(inv))
        .or_else(|| devices::handle(inv))
        .or_else(|| hypervisors::handle(inv))
        .or_else(|| gdal::handle(inv))
        .or_else(|| process::handle(inv))
        .or_else(|| patch::handle(inv))
        .or_else(|| transform::handle(inv))
        .or_else(|| disks::handle(inv))
        .or_else(|| captures::handle(inv))
        .or_else(|| files::handle(inv));
    let known = handled.is_some();
    let config = files::user_config_write(inv);
    let mut outcome = match handled {
        Some(outcome) => outcome,
        // A setting's value is not a file.
        None if config.is_some() => Outcome::default(),
        None => {
            let mut outcome = files::unknown(inv);
            if let Some(payment) = payments::generic(inv) {
                outcome.effects.push(Effect::Payment(payment));
            }
            outcome
        }
    };
    if let Some(path) = config {
        outcome.write(path, false);
    }
    // An organisation's own CLI run with a database URL and a SQL
    // statement (`ledgerctl --dsn URL --exec "UPDATE ..."`, also as `go
    // run ./cmd/ledgerctl ...`): that statement run there.
    cli_sql::add(inv, known, &mut outcome);
    // A CI run's parameters name where it deploys (`glab ci run
    // --variables DEPLOY_ENV:production`), beside the request its module reads.
    outcome.effects.extend(pipelines::added(inv));
    // Jib's image pushes, beside what the build tool's own handler read.
    outcome.effects.extend(container::jib_pushes(inv));
    // The remote caches a build writes (sccache, Turborepo, Earthly).
    outcome.effects.extend(builds::added(inv));
    // An organisation's own deploy scripts, recipes and CLIs, by their names.
    deploy::tooling::add(inv, known, &mut outcome);
    if let Some(resource) = made_public(inv) {
        outcome.effects.push(Effect::MakePublic { resource });
    }
    if !known && let Some(share) = access::shared(inv) {
        outcome.effects.push(share);
    }
    if let Some(credential) = secrets::printed(inv) {
        outcome.stdout = Some(credential);
    }
    outcome
}
