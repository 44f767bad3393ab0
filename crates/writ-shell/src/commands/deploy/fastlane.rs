//! fastlane: what its actions send, whichever way they are run. An
//! action is run by `fastlane run ACTION key:value ...`, by its tool's
//! command (`fastlane pilot upload --ipa App.ipa`, `fastlane supply
//! --track beta`), or by a lane of a Fastfile (`fastlane ios beta`) that
//! calls it (`upload_to_testflight(ipa: "build/App.ipa")`). [`ACTIONS`]
//! says what each sends and where: a store release is a deploy to the
//! track it names (`supply`, `deliver`); a beta upload or a distribution
//! is a request to its service's host carrying the files its parameters
//! name (`pilot`, `firebase_app_distribution`, `appcenter_upload`, `s3`);
//! `push_to_git_remote` pushes as git does. Building, signing and
//! versioning actions (`build_app`, `match`, `increment_build_number`)
//! send nothing.
//!
//! A lane runs when the Fastfile that defines it was written earlier
//! ([`written_lanes`]): the lane's actions, the lanes it calls by name and
//! the `before_all`/`after_all` blocks around it, and its Ruby code (`sh
//! "..."`, `system`, backticks) as `ruby -e`, in the `fastlane` directory
//! as fastlane runs it (actions' paths are the project's, one up). With
//! no known Fastfile a lane is read by its name ([`named_lane`], for
//! `tooling`), as an organisation's deploy tooling is.

use super::super::runners::find_file;
use super::super::{Invocation, Lookup, Nested, Outcome, request, url};
use super::PRODUCTION;
use crate::args::Arg;
use crate::{Deploy, Effect, FileRef, Payload, Resource, flow, paths};

/// How deep lanes calling lanes are followed.
const MAX_NESTING: usize = 16;
/// How many lanes one command runs at most.
const MAX_LANES: usize = 64;

/// What an action does with what it is given.
enum Does {
    /// Uploads to a service: the URL a `server` parameter gives, else
    /// `default` (none: the action sends nothing without one).
    Upload {
        default: Option<&'static str>,
        server: &'static [&'static str],
    },
    /// Releases to a store's track: the first of `track`'s parameters
    /// given, else `default` (fastlane's own default).
    Release {
        track: &'static [&'static str],
        default: &'static str,
    },
    /// Uploads to the S3 bucket its `bucket` parameter names, under its
    /// `path`; an `acl` that opens it makes what it uploads public.
    S3,
    /// Pushes to a git remote, tags (`push_git_tags`) or a branch.
    GitPush { tags_only: bool },
    /// Runs its `command` parameter as shell (`sh`).
    Shell,
}

/// A fastlane action (or tool).
struct Action {
    /// Its name and aliases.
    names: &'static [&'static str],
    does: Does,
    /// Parameters whose value is a file it sends (a list sends each).
    files: &'static [&'static str],
    /// Parameters whose value is a credential file read locally to sign
    /// a token, which is not sent.
    local: &'static [&'static str],
}

const APP_STORE_CONNECT: &str = "https://api.appstoreconnect.apple.com";

const ACTIONS: &[Action] = &[
    // TestFlight: the build, and the testers a file lists.
    Action {
        names: &["upload_to_testflight", "pilot", "testflight"],
        does: Does::Upload {
            default: Some(APP_STORE_CONNECT),
            server: &[],
        },
        files: &["ipa", "pkg", "testers_file_path"],
        local: &["api_key_path"],
    },
    // The App Store: a release to its production.
    Action {
        names: &["upload_to_app_store", "deliver", "appstore"],
        does: Does::Release {
            track: &[],
            default: PRODUCTION,
        },
        files: &["ipa", "pkg"],
        local: &["api_key_path"],
    },
    // Google Play: a release to the track given (promoted to, when it is),
    // production unless told.
    Action {
        names: &["upload_to_play_store", "supply"],
        does: Does::Release {
            track: &["track_promote_to", "track"],
            default: PRODUCTION,
        },
        files: &["apk", "aab", "apk_paths", "aab_paths", "mapping"],
        local: &["json_key"],
    },
    Action {
        names: &["upload_to_play_store_internal_app_sharing"],
        does: Does::Upload {
            default: Some("https://androidpublisher.googleapis.com"),
            server: &[],
        },
        files: &["apk", "aab"],
        local: &["json_key"],
    },
    // Firebase App Distribution: the build, the release notes and the
    // testers' and groups' files.
    Action {
        names: &["firebase_app_distribution"],
        does: Does::Upload {
            default: Some("https://firebaseappdistribution.googleapis.com"),
            server: &[],
        },
        files: &[
            "ipa_path",
            "apk_path",
            "android_artifact_path",
            "testers_file",
            "groups_file",
            "release_notes_file",
            "test_devices_file",
        ],
        local: &["service_credentials_file", "googleservice_info_plist_path"],
    },
    Action {
        names: &["firebase_app_distribution_add_testers"],
        does: Does::Upload {
            default: Some("https://firebaseappdistribution.googleapis.com"),
            server: &[],
        },
        files: &["file"],
        local: &["service_credentials_file"],
    },
    Action {
        names: &["appcenter_upload"],
        does: Does::Upload {
            default: Some("https://api.appcenter.ms"),
            server: &[],
        },
        files: &["file", "ipa", "apk", "aab", "dsym", "mapping"],
        local: &[],
    },
    Action {
        names: &["upload_symbols_to_crashlytics"],
        does: Does::Upload {
            default: Some("https://firebasecrashlytics.googleapis.com"),
            server: &[],
        },
        files: &["dsym_path", "dsym_paths"],
        local: &["gsp_path"],
    },
    Action {
        names: &[
            "sentry_upload_dsym",
            "sentry_upload_dif",
            "sentry_debug_files_upload",
        ],
        does: Does::Upload {
            default: Some("https://sentry.io"),
            server: &["url"],
        },
        files: &["dsym_path", "dsym_paths", "path", "paths"],
        local: &[],
    },
    // Repository managers at the endpoint given.
    Action {
        names: &["nexus_upload", "artifactory"],
        does: Does::Upload {
            default: None,
            server: &["endpoint"],
        },
        files: &["file"],
        local: &[],
    },
    Action {
        names: &["s3", "aws_s3"],
        does: Does::S3,
        files: &["ipa", "dsym", "apk", "aab", "files", "upload_metadata"],
        local: &[],
    },
    Action {
        names: &["push_to_git_remote"],
        does: Does::GitPush { tags_only: false },
        files: &[],
        local: &[],
    },
    Action {
        names: &["push_git_tags"],
        does: Does::GitPush { tags_only: true },
        files: &[],
        local: &[],
    },
    Action {
        names: &["sh"],
        does: Does::Shell,
        files: &[],
        local: &[],
    },
];

/// A tool's subcommands that only read or set up locally (`fastlane pilot
/// list`, `fastlane deliver download_metadata`).
const TOOL_READS: &[&str] = &[
    "list",
    "builds",
    "find",
    "export",
    "init",
    "download_metadata",
    "download_screenshots",
    "generate_summary",
    "help",
];

/// fastlane's own commands, which are no lanes.
const COMMANDS: &[&str] = &[
    "run",
    "init",
    "lanes",
    "list",
    "docs",
    "action",
    "actions",
    "env",
    "help",
    "new_action",
    "update_fastlane",
    "enable_auto_complete",
    "add_plugin",
    "install_plugins",
    "update_plugins",
    "new_plugin",
    "search_plugins",
    "socket_server",
];

/// The platforms fastlane knows before a Fastfile names others.
const PLATFORMS: &[&str] = &["ios", "android", "mac"];

/// fastlane's options that take a value.
const VALUE_OPTIONS: &[&str] = &["--env"];

/// A parameter's value: a word (a string, a symbol, an environment
/// variable, an expression whose value is not known) or a file's contents
/// (`File.read("../notes.txt")`, read from where the Ruby code runs).
#[derive(Debug, Clone)]
enum Value {
    Word(Arg),
    File(String),
}

/// An action's parameters: `(name, value)`, the name `None` for a
/// positional one.
type Params = Vec<(Option<String>, Value)>;

/// Where an action runs: the project's directory, which its paths are
/// relative to, and the directory its Ruby code runs in.
struct Dirs {
    project: String,
    code: String,
}

/// `fastlane run ACTION key:value ...` and `fastlane TOOL [SUBCOMMAND]
/// --key value ...`: what the action does. `None` for a lane, or an
/// action this module does not know.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = positionals(inv.args);
    let mut at = 0;
    if words
        .first()
        .is_some_and(|w| PLATFORMS.contains(&w.text.as_str()))
    {
        at = 1;
    }
    let first = words.get(at)?;
    let dirs = Dirs {
        project: inv.cwd.to_owned(),
        code: inv.cwd.to_owned(),
    };
    if first.text == "run" {
        let name = words.get(at + 1)?;
        let action = action(&name.text)?;
        let params: Params = words
            .iter()
            .skip(at + 2)
            .filter_map(|word| {
                let (key, value) = word.text.split_once(':')?;
                Some((Some(key.to_owned()), Value::Word(word.with_text(value))))
            })
            .collect();
        return Some(run_action(inv, action, &params, &dirs));
    }
    let action = action(&first.text)?;
    // The tool's subcommand, when it names one.
    let subcommand = words
        .get(at + 1)
        .filter(|w| !w.text.contains(':'))
        .map(|w| w.text.as_str());
    if subcommand.is_some_and(|s| TOOL_READS.contains(&s)) {
        return Some(Outcome::default());
    }
    Some(run_action(inv, action, &tool_options(inv.args), &dirs))
}

/// The lane `fastlane [PLATFORM] LANE [key:value ...]` names when no
/// Fastfile is known, and the words it is given (`key:value` as
/// `key=value`, and `--env ENV`): `None` for fastlane's own commands and
/// its tools.
pub(super) fn named_lane(args: &[Arg]) -> Option<(String, Vec<String>)> {
    let (_, lane) = lane_named(args, &[])?;
    if COMMANDS.contains(&lane.as_str()) || action(&lane).is_some() {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if VALUE_OPTIONS.contains(&arg.text.as_str()) {
            words.push(arg.text.clone());
            words.extend(iter.next().map(|v| v.text.clone()));
        } else if let Some((key, value)) = arg.text.split_once(':')
            && !arg.text.starts_with('-')
        {
            words.push(format!("{key}={value}"));
        }
    }
    Some((lane, words))
}

/// `fastlane [PLATFORM] LANE` when the Fastfile was written earlier (in
/// `fastlane/` or `.fastlane/` of the directory it runs in, or there):
/// what the lane, the lanes it calls and the blocks around it do, in
/// place of the guess its name gave.
pub(in crate::commands) fn written_lanes(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    if inv.program != "fastlane" {
        return;
    }
    let Some((dir, path, text)) = find_file(
        inv.cwd,
        &["fastlane/Fastfile", ".fastlane/Fastfile", "Fastfile"],
        false,
        text_of,
    ) else {
        return;
    };
    let fastfile = Fastfile::read(&text);
    let platforms = fastfile.platforms();
    let platforms: Vec<&str> = platforms.iter().map(String::as_str).collect();
    let Some((platform, name)) = lane_named(inv.args, &platforms) else {
        return;
    };
    if COMMANDS.contains(&name.as_str()) {
        return;
    }
    let platform = platform.or_else(|| fastfile.default_platform.clone());
    let Some(lane) = fastfile.lane(platform.as_deref(), &name) else {
        return;
    };
    let code = super::super::runners::parent(&path);
    let dirs = Dirs {
        project: if code == dir { dir } else { parent_dir(&code) },
        code,
    };
    let lane_platform = lane.platform.clone();
    let mut bodies: Vec<&Block> = fastfile.hooks("before_all", lane_platform.as_deref());
    let mut seen: Vec<usize> = Vec::new();
    fastfile.called_lanes(lane, 0, &mut seen);
    bodies.extend(seen.iter().filter_map(|at| fastfile.blocks.get(*at)));
    bodies.extend(fastfile.hooks("after_all", lane_platform.as_deref()));
    super::tooling::forget_guesses(inv, outcome);
    for block in bodies {
        let body = block.body(&text);
        outcome.nested.push(Nested::Argv {
            argv: vec![Arg::literal("ruby"), Arg::literal("-e"), Arg::literal(body)],
            env: Vec::new(),
            cwd: Some(dirs.code.clone()),
        });
        for (action, params) in calls(&text, &fastfile.masked, block.body_range()) {
            // `sh "..."` runs as the Ruby job's.
            if matches!(action.does, Does::Shell)
                && !params.iter().any(|(k, _)| k.as_deref() == Some("command"))
            {
                continue;
            }
            let done = run_action(inv, action, &params, &dirs);
            outcome.effects.extend(done.effects);
            outcome.nested.extend(done.nested);
        }
    }
}

/// The directory above `dir`.
fn parent_dir(dir: &str) -> String {
    super::super::runners::parent(dir)
}

/// The action (or tool) called `name`.
fn action(name: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|a| a.names.contains(&name))
}

/// The words of fastlane's line that are not options or their values.
fn positionals(args: &[Arg]) -> Vec<&Arg> {
    let mut words = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if VALUE_OPTIONS.contains(&arg.text.as_str()) {
            iter.next();
        } else if !arg.text.starts_with('-') {
            words.push(arg);
        }
    }
    words
}

/// `(platform, lane)` of `fastlane [PLATFORM] LANE [key:value ...]`:
/// the first word is a platform when one of `platforms` (or fastlane's
/// own) and a lane follows it.
fn lane_named(args: &[Arg], platforms: &[&str]) -> Option<(Option<String>, String)> {
    let words: Vec<&str> = positionals(args)
        .into_iter()
        .map(|w| w.text.as_str())
        .filter(|w| !w.contains(':'))
        .collect();
    match words.as_slice() {
        [platform, lane, ..] if platforms.contains(platform) || PLATFORMS.contains(platform) => {
            Some((Some((*platform).to_owned()), (*lane).to_owned()))
        }
        [lane, ..] => Some((None, (*lane).to_owned())),
        [] => None,
    }
}

/// A tool's `--key value` and `--key=value` options as parameters (a
/// flag alone is `true`; `-` in a name is `_`).
fn tool_options(args: &[Arg]) -> Params {
    let mut params = Params::new();
    let mut at = 0;
    while let Some(arg) = args.get(at) {
        at += 1;
        let Some(name) = arg.text.strip_prefix("--") else {
            continue;
        };
        let (name, value) = match name.split_once('=') {
            Some((name, value)) => (name, arg.with_text(value)),
            None => match args.get(at).filter(|next| !next.text.starts_with('-')) {
                Some(next) => {
                    at += 1;
                    (name, next.clone())
                }
                None => (name, Arg::literal("true")),
            },
        };
        params.push((Some(name.replace('-', "_")), Value::Word(value)));
    }
    params
}

/// The parameter `name`'s values (each item of a list).
fn param<'p>(params: &'p Params, names: &[&str]) -> Vec<&'p Value> {
    params
        .iter()
        .filter(|(key, _)| key.as_deref().is_some_and(|k| names.contains(&k)))
        .map(|(_, value)| value)
        .collect()
}

/// The known text of the first of `names` given.
fn word(params: &Params, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        param(params, &[name])
            .into_iter()
            .find_map(|value| match value {
                Value::Word(arg) if !arg.dynamic && !arg.text.is_empty() => Some(arg.text.clone()),
                _ => None,
            })
    })
}

/// True when the flag `name` is given as true (or `default` when not given).
fn flag(params: &Params, name: &str, default: bool) -> bool {
    word(params, &[name]).map_or(default, |v| v == "true")
}

/// What running `action` with `params` sends: its request (or deploy,
/// or push) carrying the files it uploads and what else it is given.
fn run_action(inv: &Invocation<'_>, action: &Action, params: &Params, dirs: &Dirs) -> Outcome {
    let mut outcome = Outcome::default();
    match &action.does {
        Does::Release { track, default } => {
            let environment = word(params, track).unwrap_or_else(|| (*default).to_owned());
            outcome.effects.push(Effect::Deploy(Deploy {
                program: inv.program.to_owned(),
                production: environment == PRODUCTION,
                environment,
                service: None,
            }));
        }
        Does::Upload { default, server } => {
            let destination = word(params, server)
                .filter(|s| s.contains("://"))
                .or_else(|| default.map(str::to_owned));
            if let Some(destination) = destination {
                outcome.effects.push(request(
                    inv.program,
                    url(&destination),
                    "POST",
                    payload(inv, action, params, dirs),
                    false,
                ));
            }
        }
        Does::S3 => {
            if let Some(bucket) = word(params, &["bucket"]) {
                let path = word(params, &["path"]).unwrap_or_default();
                let public = word(params, &["acl"])
                    .is_some_and(|acl| crate::is_public_acl(&acl.replace('_', "-")));
                outcome.effects.push(request(
                    inv.program,
                    url(&format!("s3://{bucket}/{}", path.trim_start_matches('/'))),
                    "UPLOAD",
                    payload(inv, action, params, dirs),
                    public,
                ));
                if public {
                    outcome.effects.push(Effect::MakePublic {
                        resource: Resource::Bucket {
                            scheme: "s3".to_owned(),
                            name: bucket,
                        },
                    });
                }
            }
        }
        Does::GitPush { tags_only } => {
            outcome.nested.push(Nested::Argv {
                argv: git_push(params, *tags_only),
                env: Vec::new(),
                cwd: Some(dirs.project.clone()),
            });
        }
        Does::Shell => {
            for value in param(params, &["command"]) {
                if let Value::Word(command) = value {
                    outcome.nested.push(Nested::Argv {
                        argv: vec![Arg::literal("sh"), Arg::literal("-c"), command.clone()],
                        env: Vec::new(),
                        cwd: Some(dirs.code.clone()),
                    });
                }
            }
        }
    }
    outcome
}

/// The `git push` a push action runs: to its `remote` (`origin`), its
/// `local_branch[:remote_branch]` (the current branch when not named) or
/// its `tag` (every tag: `push_git_tags`, and `push_to_git_remote`
/// unless `tags: false`), with `--force`/`--force-with-lease` when told.
fn git_push(params: &Params, tags_only: bool) -> Vec<Arg> {
    let mut argv = vec![Arg::literal("git"), Arg::literal("push")];
    if flag(params, "force", false) {
        argv.push(Arg::literal("--force"));
    }
    if flag(params, "force_with_lease", false) {
        argv.push(Arg::literal("--force-with-lease"));
    }
    let tag = word(params, &["tag"]);
    if tag.is_none() && (tags_only || flag(params, "tags", true)) {
        argv.push(Arg::literal("--tags"));
    }
    argv.push(Arg::literal(
        &word(params, &["remote"]).unwrap_or_else(|| "origin".to_owned()),
    ));
    if let Some(tag) = tag {
        argv.push(Arg::literal(&format!("refs/tags/{tag}")));
    } else if !tags_only {
        let local = word(params, &["local_branch"]);
        match (local, word(params, &["remote_branch"])) {
            (Some(local), Some(remote)) => argv.push(Arg::literal(&format!("{local}:{remote}"))),
            (Some(local), None) => argv.push(Arg::literal(&local)),
            (None, Some(remote)) => argv.push(Arg::literal(&format!("HEAD:{remote}"))),
            (None, None) => {}
        }
    }
    argv
}

/// What an upload action sends: the files its file parameters name
/// (relative to the project), the files Ruby reads for it (relative to
/// where its code runs), and its other parameters as `key=value` text
/// with what their expansions carry. Credential files it only reads to
/// sign a token stay home.
fn payload(inv: &Invocation<'_>, action: &Action, params: &Params, dirs: &Dirs) -> Payload {
    let mut payload = Payload::default();
    for (key, value) in params {
        let key = key.as_deref().unwrap_or_default();
        if action.local.contains(&key) {
            continue;
        }
        match value {
            Value::File(path) => flow::push_file(
                &mut payload,
                FileRef {
                    path: paths::resolve(&dirs.code, inv.home, path),
                    recursive: false,
                    excludes: Vec::new(),
                },
            ),
            Value::Word(arg) if action.files.contains(&key) => {
                if !arg.dynamic {
                    for file in arg.text.split(',').filter(|f| !f.trim().is_empty()) {
                        flow::push_file(
                            &mut payload,
                            FileRef {
                                path: paths::resolve(&dirs.project, inv.home, file.trim()),
                                recursive: false,
                                excludes: Vec::new(),
                            },
                        );
                    }
                }
                flow::merge(&mut payload, &arg.expansions());
            }
            Value::Word(arg) => {
                flow::merge(&mut payload, &arg.expansions());
                if !key.is_empty() {
                    flow::push_text(&mut payload, &format!("{key}={}", arg.text));
                }
            }
        }
    }
    payload
}

// --------------------------------------------------------------- Fastfile

/// A `do ... end` block of a Fastfile: what its line says before `do`
/// (`lane :beta`, `platform :ios`, `before_all`), where its body is, and
/// the block it is in.
#[derive(Debug)]
struct Block {
    head: String,
    body: (usize, usize),
    parent: Option<usize>,
}

impl Block {
    fn body<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.body.0..self.body.1).unwrap_or_default()
    }

    fn body_range(&self) -> (usize, usize) {
        self.body
    }

    /// The head's first word, and the name its argument gives (`lane
    /// :beta` is `("lane", "beta")`).
    fn kind(&self) -> (&str, Option<String>) {
        let head = self.head.trim();
        let (word, rest) = head
            .split_once(|c: char| c.is_whitespace() || c == '(')
            .unwrap_or((head, ""));
        (word, symbol(rest))
    }
}

/// A Fastfile's blocks and default platform, with its masked text.
struct Fastfile {
    blocks: Vec<Block>,
    default_platform: Option<String>,
    masked: String,
}

/// A lane, by its block.
struct Lane {
    at: usize,
    platform: Option<String>,
}

impl Fastfile {
    fn read(text: &str) -> Fastfile {
        let masked = masked(text);
        let blocks = blocks(text, &masked);
        let default_platform = identifiers(&masked)
            .find(|(_, w)| *w == "default_platform")
            .and_then(|(at, w)| text.get(at + w.len()..))
            .and_then(symbol);
        Fastfile {
            blocks,
            default_platform,
            masked,
        }
    }

    /// The platform a block is in (`platform :ios do ... end`).
    fn platform_of(&self, at: usize) -> Option<String> {
        let mut parent = self.blocks.get(at)?.parent;
        while let Some(p) = parent {
            let block = self.blocks.get(p)?;
            if let ("platform", name) = block.kind() {
                return name;
            }
            parent = block.parent;
        }
        None
    }

    /// The platforms its `platform :NAME do` blocks name.
    fn platforms(&self) -> Vec<String> {
        self.blocks
            .iter()
            .filter_map(|b| match b.kind() {
                ("platform", name) => name,
                _ => None,
            })
            .collect()
    }

    /// The lane `name` of `platform`, else one outside every platform,
    /// else any lane of that name.
    fn lane(&self, platform: Option<&str>, name: &str) -> Option<Lane> {
        let lanes: Vec<Lane> = self
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                let (word, lane) = b.kind();
                matches!(word, "lane" | "private_lane") && lane.as_deref() == Some(name)
            })
            .map(|(at, _)| Lane {
                at,
                platform: self.platform_of(at),
            })
            .collect();
        let position = lanes
            .iter()
            .position(|l| l.platform.as_deref() == platform && platform.is_some())
            .or_else(|| lanes.iter().position(|l| l.platform.is_none()))
            .or_else(|| (!lanes.is_empty()).then_some(0))?;
        lanes.into_iter().nth(position)
    }

    /// The `kind` blocks (`before_all`) of `platform` and outside every
    /// platform.
    fn hooks(&self, kind: &str, platform: Option<&str>) -> Vec<&Block> {
        self.blocks
            .iter()
            .enumerate()
            .filter(|(at, b)| {
                b.kind().0 == kind && {
                    let of = self.platform_of(*at);
                    of.is_none() || of.as_deref() == platform
                }
            })
            .map(|(_, b)| b)
            .collect()
    }

    /// `lane` and the lanes its body calls by name, each once, in `seen`.
    fn called_lanes(&self, lane: Lane, depth: usize, seen: &mut Vec<usize>) {
        if depth > MAX_NESTING || seen.len() >= MAX_LANES || seen.contains(&lane.at) {
            return;
        }
        seen.push(lane.at);
        let Some(block) = self.blocks.get(lane.at) else {
            return;
        };
        let (from, to) = block.body_range();
        let body = self.masked.get(from..to).unwrap_or_default();
        for (at, name) in identifiers(body) {
            if !is_call(body, at, name) {
                continue;
            }
            if let Some(called) = self.lane(lane.platform.as_deref(), name) {
                self.called_lanes(called, depth + 1, seen);
            }
        }
    }
}

/// The name a symbol or string argument gives (`:beta`, `(:ios)`, `"beta"`).
fn symbol(text: &str) -> Option<String> {
    let text = text.trim_start().trim_start_matches('(').trim_start();
    let text = text.trim_start_matches([':', '"', '\'']);
    let name: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Ruby's keywords that open a block closed by `end` when they begin a
/// statement (`if` after an expression is a modifier).
const OPENERS: &[&str] = &[
    "if", "unless", "while", "until", "case", "begin", "def", "class", "module", "for",
];

/// The identifiers of masked text, with their offsets.
fn identifiers(masked: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = masked.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let start = at;
            let c = bytes.get(at).copied().unwrap_or_default();
            if c.is_ascii_alphabetic() || c == b'_' {
                while bytes
                    .get(at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    at += 1;
                }
                if bytes.get(at).is_some_and(|b| matches!(b, b'?' | b'!')) {
                    at += 1;
                }
                // Part of a number or a longer name (`2fa`).
                let glued = start > 0
                    && bytes
                        .get(start - 1)
                        .is_some_and(|b| b.is_ascii_alphanumeric());
                if !glued {
                    return Some((start, masked.get(start..at).unwrap_or_default()));
                }
            } else {
                at += 1;
            }
        }
        None
    })
}

/// The byte before `at` that is not a space or tab.
fn before(masked: &str, at: usize) -> Option<u8> {
    masked
        .as_bytes()
        .get(..at)?
        .iter()
        .rev()
        .find(|b| !matches!(b, b' ' | b'\t'))
        .copied()
}

/// The byte after the word at `at` that is not a space or tab.
fn after(masked: &str, at: usize, word: &str) -> Option<u8> {
    masked
        .as_bytes()
        .get(at + word.len()..)?
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t'))
        .copied()
}

/// True when the word at `at` is a method's name (`x.end`), a symbol
/// (`:end`), a variable (`@x`) or a hash key (`if:`), not code of its own.
fn is_attribute(masked: &str, at: usize, word: &str) -> bool {
    let previous = at.checked_sub(1).and_then(|p| masked.as_bytes().get(p));
    let next = masked.as_bytes().get(at + word.len());
    let next_next = masked.as_bytes().get(at + word.len() + 1);
    matches!(previous, Some(b'.' | b':' | b'@' | b'$'))
        || (next == Some(&b':') && next_next != Some(&b':'))
}

/// True when the identifier at `at` is called: code of its own, not
/// assigned to (`build = 1`) or a variable's receiver (`s3.put_object`,
/// `s3[:key]`).
fn is_call(masked: &str, at: usize, word: &str) -> bool {
    if is_attribute(masked, at, word) || OPENERS.contains(&word) {
        return false;
    }
    let next = masked.get(at + word.len()..).unwrap_or_default();
    let receiver = next.starts_with(['.', '[']) && !next.starts_with("..");
    let rest = next.trim_start();
    let assigned = rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>");
    !assigned && !receiver
}

/// The `do ... end` blocks of Ruby code, with the keyword blocks counted
/// so each `end` closes its own.
fn blocks(text: &str, masked: &str) -> Vec<Block> {
    // Open blocks: `Some(index into blocks)` for a `do`, `None` for a keyword's.
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    // Where the statement a `do` ends began: after a newline, `;`, `do` or `end`.
    let mut statement = 0;
    // A loop keyword whose own `do` may follow on its line.
    let mut loop_line: Option<usize> = None;
    for (at, word) in identifiers(masked) {
        let line_start = masked
            .get(..at)
            .and_then(|t| t.rfind(['\n', ';']))
            .map_or(0, |p| p + 1);
        statement = statement.max(line_start);
        if is_attribute(masked, at, word) {
            continue;
        }
        match word {
            "do" => {
                if loop_line.is_some_and(|l| l == line_start) {
                    loop_line = None;
                    continue;
                }
                let mut body_start = at + 2;
                let rest = masked.get(body_start..).unwrap_or_default();
                let trimmed = rest.trim_start_matches([' ', '\t']);
                if let Some(params) = trimmed.strip_prefix('|')
                    && let Some(close) = params.find('|')
                {
                    body_start += rest.len() - params.len() + close + 1;
                }
                let parent = open.iter().rev().find_map(|o| *o);
                blocks.push(Block {
                    head: text.get(statement..at).unwrap_or_default().to_owned(),
                    body: (body_start, body_start),
                    parent,
                });
                open.push(Some(blocks.len() - 1));
                statement = body_start;
            }
            "end" => {
                if let Some(Some(index)) = open.pop()
                    && let Some(block) = blocks.get_mut(index)
                {
                    block.body.1 = at.max(block.body.0);
                }
                statement = at + 3;
            }
            _ if OPENERS.contains(&word) => {
                let starts = matches!(word, "begin" | "def" | "class" | "module" | "case")
                    || matches!(
                        before(masked, at),
                        None | Some(b'\n' | b';' | b'=' | b'(' | b'[' | b',' | b'{' | b'|')
                    );
                // `class << self`, `def x = 1` aside, a keyword opens a block.
                if starts && after(masked, at, word) != Some(b'=') {
                    open.push(None);
                    if matches!(word, "while" | "until" | "for") {
                        loop_line = Some(line_start);
                    }
                }
            }
            _ => {}
        }
    }
    blocks
}

/// The actions a body (`range` of the text) calls, with their parameters.
fn calls(text: &str, masked: &str, range: (usize, usize)) -> Vec<(&'static Action, Params)> {
    let body = masked.get(range.0..range.1).unwrap_or_default();
    let mut found = Vec::new();
    for (at, name) in identifiers(body) {
        let Some(action) = action(name) else {
            continue;
        };
        if !is_call(body, at, name) {
            continue;
        }
        let from = range.0 + at + name.len();
        let (start, end) = arguments(masked, from);
        found.push((action, parameters(text, masked, start, end)));
    }
    found
}

/// Where a call's arguments are, after its name at `from`: inside its
/// parentheses, or to the end of its statement (a line, unless it ends
/// in `,` or `\`; a `;`; a modifier `if`/`unless`; a block's `do`/`end`).
fn arguments(masked: &str, from: usize) -> (usize, usize) {
    let bytes = masked.as_bytes();
    let mut at = from;
    while bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        at += 1;
    }
    if bytes.get(at) == Some(&b'(') {
        let close = matching(bytes, at).unwrap_or(bytes.len());
        return (at + 1, close);
    }
    let start = at;
    let mut depth = 0i32;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth < 0 {
                    break;
                }
            }
            b';' if depth == 0 => break,
            b'\n' if depth == 0 => {
                let line = masked.get(start..at).unwrap_or_default().trim_end();
                if !(line.ends_with(',') || line.ends_with('\\')) {
                    break;
                }
            }
            _ if depth == 0 && b.is_ascii_alphabetic() => {
                let word: String = masked
                    .get(at..)
                    .unwrap_or_default()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let previous = at.checked_sub(1).and_then(|p| bytes.get(p));
                let standalone =
                    previous.is_none_or(|p| !(p.is_ascii_alphanumeric() || *p == b'_'));
                if standalone && matches!(word.as_str(), "if" | "unless" | "do" | "end") {
                    break;
                }
                at += word.len().max(1);
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    (start, at)
}

/// The offset of the bracket closing the one at `open`, in masked text.
fn matching(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (at, b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The parts of `start..end` between its top-level commas.
fn split_commas(masked: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut from = start;
    for (at, b) in masked.as_bytes().iter().enumerate().take(end).skip(start) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                parts.push((from, at));
                from = at + 1;
            }
            _ => {}
        }
    }
    parts.push((from, end));
    parts
}

/// The parameters of a call's arguments (`key: value`, `:key => value`,
/// or positional), each value read by [`values`].
fn parameters(text: &str, masked: &str, start: usize, end: usize) -> Params {
    let mut params = Params::new();
    for (from, to) in split_commas(masked, start, end) {
        let part = masked.get(from..to).unwrap_or_default();
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim_start();
        let key_len: usize = trimmed
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let keyed = key_len > 0
            && trimmed.as_bytes().get(key_len) == Some(&b':')
            && trimmed.as_bytes().get(key_len + 1) != Some(&b':');
        let (key, value_from) = if keyed {
            (
                trimmed.get(..key_len).map(str::to_owned),
                from + lead + key_len + 1,
            )
        } else if let Some(arrow) = part.find("=>") {
            let key = text.get(from..from + arrow).unwrap_or_default().trim();
            let key = key.trim_start_matches(':').trim_matches(['"', '\'']);
            (Some(key.to_owned()), from + arrow + 2)
        } else {
            (None, from)
        };
        let value = text.get(value_from..to).unwrap_or_default();
        for value in values(value) {
            params.push((key.clone(), value));
        }
    }
    params
}

/// What a Ruby expression given as a parameter is: a string's text (its
/// `#{ENV["X"]}` interpolations as the variable), a symbol's or a
/// literal's, an environment variable (`ENV["X"]`, `ENV.fetch("X")`), a
/// file's contents (`File.read("x")`), each item of a list; else a word
/// whose value is not known.
fn values(expression: &str) -> Vec<Value> {
    let expression = expression.trim();
    if let Some(inner) = expression
        .strip_prefix('[')
        .and_then(|e| e.strip_suffix(']'))
    {
        let masked = masked(inner);
        return split_commas(&masked, 0, masked.len())
            .into_iter()
            .flat_map(|(from, to)| values(inner.get(from..to).unwrap_or_default()))
            .collect();
    }
    if let Some(name) = env_read(expression) {
        return vec![Value::Word(Arg {
            text: format!("${name}"),
            env: vec![name],
            dynamic: true,
            ..Arg::default()
        })];
    }
    for reader in ["File.read(", "IO.read(", "File.binread(", "File.open("] {
        if let Some(rest) = expression.strip_prefix(reader)
            && let Some(path) = string_literal(rest.split(')').next().unwrap_or_default())
        {
            return vec![Value::File(path)];
        }
    }
    if let Some(text) = string_literal(expression) {
        return vec![Value::Word(interpolated(&text))];
    }
    let literal = expression.strip_prefix(':').unwrap_or(expression);
    let plain = !literal.is_empty()
        && literal
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    let mut arg = Arg::literal(literal);
    arg.dynamic = !plain;
    vec![Value::Word(arg)]
}

/// The variable `ENV["X"]`, `ENV['X']` or `ENV.fetch("X"...)` reads.
fn env_read(expression: &str) -> Option<String> {
    let rest = expression
        .strip_prefix("ENV[")
        .or_else(|| expression.strip_prefix("ENV.fetch("))?;
    let name = rest.trim_start().trim_start_matches(['"', '\'']);
    let name: String = name
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The text of a whole string literal (`"x"`, `'x'`).
fn string_literal(expression: &str) -> Option<String> {
    let expression = expression.trim();
    let quote = expression
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\''))?;
    let inner = expression.get(1..)?.strip_suffix(quote)?;
    // One literal: its masked text has no quote but its own two.
    let masked = masked(expression);
    let whole = masked
        .get(1..masked.len().saturating_sub(1))
        .is_some_and(|m| !m.contains(quote));
    whole.then(|| inner.to_owned())
}

/// A double-quoted string's text as a word: each `#{...}` is the
/// variable it reads (`#{ENV["TOKEN"]}`), or a value not known.
fn interpolated(text: &str) -> Arg {
    let mut arg = Arg::literal(text);
    let mut rest = text;
    let mut out = String::new();
    while let Some(open) = rest.find("#{") {
        out.push_str(rest.get(..open).unwrap_or_default());
        let inner = rest.get(open + 2..).unwrap_or_default();
        let close = inner.find('}').unwrap_or(inner.len());
        let code = inner.get(..close).unwrap_or_default();
        arg.dynamic = true;
        match env_read(code.trim()) {
            Some(name) => {
                out.push('$');
                out.push_str(&name);
                arg.env.push(name);
            }
            None => {
                out.push_str("#{");
                out.push_str(code);
                out.push('}');
            }
        }
        rest = inner.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    arg.text = out;
    arg
}

/// Ruby text with what is not code blanked, offsets kept: the contents
/// of strings (their quotes stay), `%w[...]`-style literals, comments,
/// here-documents' bodies and `=begin`/`=end` blocks.
fn masked(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in out.iter_mut().take(to).skip(from) {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let line_end = |from: usize| {
        bytes
            .iter()
            .skip(from)
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |p| from + p)
    };
    let mut heredocs: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(&c) = bytes.get(at) {
        let line_start = at == 0 || bytes.get(at - 1) == Some(&b'\n');
        match c {
            b'\n' => {
                at += 1;
                for terminator in std::mem::take(&mut heredocs) {
                    while at < bytes.len() {
                        let end = line_end(at);
                        let done = text.get(at..end).is_some_and(|l| l.trim() == terminator);
                        if !done {
                            blank(&mut out, at, end);
                        }
                        at = end + 1;
                        if done {
                            break;
                        }
                    }
                }
            }
            b'=' if line_start && text.get(at..).is_some_and(|t| t.starts_with("=begin")) => {
                let end = text
                    .get(at..)
                    .and_then(|t| t.find("\n=end"))
                    .map_or(bytes.len(), |p| line_end(at + p + 1));
                blank(&mut out, at, end);
                at = end;
            }
            b'#' => {
                let end = line_end(at);
                blank(&mut out, at, end);
                at = end;
            }
            b'"' | b'\'' | b'`' => {
                let end = string_end(bytes, at + 1, c);
                blank(&mut out, at + 1, end);
                at = end + 1;
            }
            b'%' if percent_literal(bytes, at).is_some() => {
                let (open, close) = percent_literal(bytes, at).unwrap_or_default();
                let end = bytes
                    .iter()
                    .skip(open + 1)
                    .position(|b| *b == close)
                    .map_or(bytes.len(), |p| open + 1 + p);
                blank(&mut out, open + 1, end);
                at = end + 1;
            }
            b'<' if text.get(at..).is_some_and(|t| t.starts_with("<<")) => {
                match heredoc(text.get(at + 2..).unwrap_or_default()) {
                    Some((terminator, length)) => {
                        heredocs.push(terminator);
                        at += 2 + length;
                    }
                    None => at += 2,
                }
            }
            _ => at += 1,
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The offset of the quote closing a string opened before `from`, past
/// backslash escapes and `#{...}` interpolations.
fn string_end(bytes: &[u8], from: usize, quote: u8) -> usize {
    let mut at = from;
    while let Some(&b) = bytes.get(at) {
        if b == b'\\' {
            at += 2;
            continue;
        }
        if b == quote {
            return at;
        }
        if quote != b'\'' && b == b'#' && bytes.get(at + 1) == Some(&b'{') {
            at = matching(bytes, at + 1).map_or(bytes.len(), |close| close + 1);
            continue;
        }
        at += 1;
    }
    bytes.len()
}

/// `%w[`, `%q(`, `%(`...: the offset of the opening bracket and the byte
/// that closes it.
fn percent_literal(bytes: &[u8], at: usize) -> Option<(usize, u8)> {
    let mut open = at + 1;
    if bytes
        .get(open)
        .is_some_and(|b| matches!(b, b'w' | b'W' | b'q' | b'Q' | b'i' | b'I' | b'x'))
    {
        open += 1;
    }
    let close = match bytes.get(open)? {
        b'(' => b')',
        b'[' => b']',
        b'{' => b'}',
        b'<' => b'>',
        _ => return None,
    };
    Some((open, close))
}

/// A here-document's terminator after `<<` (`~EOS`, `-EOS`, `'EOS'`) and
/// how many bytes name it; `None` when `<<` is an operator (`a << b`).
fn heredoc(rest: &str) -> Option<(String, usize)> {
    let flag = rest.starts_with(['~', '-']);
    let name = rest.get(usize::from(flag)..)?;
    let quote = name.chars().next().filter(|q| matches!(q, '"' | '\''));
    let name = if quote.is_some() {
        name.get(1..)?
    } else {
        name
    };
    let terminator: String = name
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if terminator.is_empty()
        || (quote.is_none() && !terminator.starts_with(|c: char| c.is_ascii_uppercase()))
    {
        return None;
    }
    let length = usize::from(flag) + terminator.len() + 2 * usize::from(quote.is_some());
    Some((terminator, length))
}
