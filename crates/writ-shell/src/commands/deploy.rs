//! Releases to hosted environments: the deploy commands of hosting
//! platforms and deploy tools, each reporting a [`Deploy`] to the
//! environment it names (`production` for a platform's own production
//! flag, such as `vercel --prod`), and the targets of build tools and
//! monorepo task runners whose names say they deploy (`bazel run
//! //deploy:prod`, `nx deploy api -c production`, `earthly --push +deploy
//! --ENV=production`), to the environment their configuration or build
//! arguments name. Smart-contract deploy tools (Hardhat, Truffle, Anchor)
//! deploy to the network or cluster they name ([`contracts`]). Firebase's
//! and Supabase's global options and projects are [`baas`]'s. fastlane's
//! actions, tools and lanes (store releases to a track, beta uploads) are
//! [`fastlane`]'s. An
//! organisation's own scripts, recipes and CLIs named as deploys are read
//! by their names in [`tooling`].

pub(super) mod baas;
mod contracts;
pub(super) mod fastlane;
pub(super) mod tooling;

use super::{Invocation, Outcome};
use crate::args::{self, Arg, Item, Spec};
use crate::{Deploy, Effect};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut outcome = release(inv)?;
    if let Some(sent) = credentials_sent(inv) {
        outcome.effects.push(sent);
    }
    Some(outcome)
}

/// Options of hosting CLIs whose value is a credential the CLI presents
/// to its vendor (`vercel --token "$VERCEL_TOKEN"`, `netlify deploy --auth
/// T`, `fly deploy --access-token T`).
const CREDENTIAL_OPTIONS: &[&str] = &[
    "token",
    "auth",
    "access-token",
    "api-token",
    "auth-token",
    "api-key",
];

/// A release by a vendor's CLI given a credential on its command line
/// sends that credential to the vendor's API host: a request on the
/// deploy channel (an external write for the block rules, not a generic
/// one), so a secret token reaches a third party as it does through
/// `heroku ... --token` or curl's `Authorization` header.
fn credentials_sent(inv: &Invocation<'_>) -> Option<Effect> {
    let host = super::platforms::api_host(inv.program)?;
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: CREDENTIAL_OPTIONS,
            stop_after: None,
        },
    );
    let mut payload = crate::Payload::default();
    for (_, value) in args::options(&items).filter(|(name, _)| {
        name.strip_prefix("--")
            .is_some_and(|n| CREDENTIAL_OPTIONS.contains(&n))
    }) {
        crate::flow::merge(&mut payload, &value.payload());
    }
    (!payload.is_empty()).then(|| {
        super::request(
            inv.program,
            super::url(&format!("https://{host}/")),
            "DEPLOY",
            payload,
            false,
        )
    })
}

/// A hosting or secrets CLI's command that uploads a local file into the
/// settings of a deployed site or app: the variables it defines go to the
/// vendor, so the request carries the file's contents.
struct SettingsUpload {
    program: &'static str,
    /// The subcommand, split on `:` and spaces (`env:import`, `secrets upload`).
    command: &'static [&'static str],
    /// Options that take a value (without dashes; one letter for a short one).
    values: &'static [&'static str],
    /// Options whose value is the file; without them, the first word after
    /// the subcommand is.
    file_options: &'static [&'static str],
    /// The file sent when none is named.
    default: Option<&'static str>,
}

const SETTINGS_UPLOADS: &[SettingsUpload] = &[
    // `netlify env:import .env [--replace-existing] [--filter SITE]`.
    SettingsUpload {
        program: "netlify",
        command: &["env", "import"],
        values: &["filter", "site", "auth", "context", "scope"],
        file_options: &[],
        default: None,
    },
    // `doppler secrets upload FILE [-p PROJECT -c CONFIG]`.
    SettingsUpload {
        program: "doppler",
        command: &["secrets", "upload"],
        values: &[
            "p",
            "project",
            "c",
            "config",
            "token",
            "config-dir",
            "api-host",
        ],
        file_options: &[],
        default: None,
    },
    // `wrangler secret bulk FILE [--env E] [--name WORKER]` (a JSON or
    // `.env` file; standard input without one).
    SettingsUpload {
        program: "wrangler",
        command: &["secret", "bulk"],
        values: &["e", "env", "name", "c", "config"],
        file_options: &[],
        default: None,
    },
    SettingsUpload {
        program: "wrangler",
        command: &["versions", "secret", "bulk"],
        values: &["e", "env", "name", "c", "config", "message", "tag"],
        file_options: &[],
        default: None,
    },
    // `supabase secrets set --env-file supabase/.env`.
    SettingsUpload {
        program: "supabase",
        command: &["secrets", "set"],
        values: &["env-file", "project-ref", "workdir"],
        file_options: &["--env-file"],
        default: None,
    },
    // `firebase functions:secrets:set NAME --data-file FILE`.
    SettingsUpload {
        program: "firebase",
        command: &["functions", "secrets", "set"],
        values: &["data-file", "project", "P"],
        file_options: &["--data-file"],
        default: None,
    },
    // The heroku-config plugin: `heroku config:push [-f FILE]`, `.env`
    // unless told.
    SettingsUpload {
        program: "heroku",
        command: &["config", "push"],
        values: &["f", "file", "a", "app", "r", "remote"],
        file_options: &["-f", "--file"],
        default: Some(".env"),
    },
];

/// The local files a [`SETTINGS_UPLOADS`] command sends (as the words it
/// was given; none when it reads standard input), `None` for any other
/// command. `words` are the subcommand's words as the platform handler
/// reads them: lower case, split on `:`.
pub(super) fn settings_files(inv: &Invocation<'_>, words: &[String]) -> Option<Vec<String>> {
    let upload = SETTINGS_UPLOADS
        .iter()
        .find(|u| u.program == inv.program && words.starts_with_words(u.command))?;
    let items = args::parse_valued(inv.args, upload.values);
    let named: Vec<String> = if upload.file_options.is_empty() {
        // The first word after the subcommand's own.
        let mut rest = upload.command.iter();
        args::positionals(&items)
            .into_iter()
            .skip_while(|word| {
                word.text.split(':').all(|part| {
                    rest.next()
                        .is_some_and(|expected| part.eq_ignore_ascii_case(expected))
                })
            })
            .take(1)
            .map(|word| word.text.clone())
            .collect()
    } else {
        args::values(&items, upload.file_options)
            .into_iter()
            .map(|file| file.text.clone())
            .collect()
    };
    Some(if named.is_empty() {
        upload.default.map(str::to_owned).into_iter().collect()
    } else {
        named
    })
}

/// `words.starts_with_words(["env", "import"])`: the subcommand begins
/// with these words.
trait StartsWithWords {
    fn starts_with_words(&self, expected: &[&str]) -> bool;
}

impl StartsWithWords for [String] {
    fn starts_with_words(&self, expected: &[&str]) -> bool {
        self.len() >= expected.len() && self.iter().zip(expected).all(|(w, e)| w == e)
    }
}

/// The release itself: a [`Deploy`] to the environment the command names.
fn release(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "ansible-playbook" => return ansible_playbook(inv.args),
        "skaffold" => return skaffold(inv.args),
        "fly" | "flyctl" => return fly(inv),
        "cdk" => return cdk(inv),
        "nx" => return nx(inv.args),
        "earthly" => return earthly(inv),
        "hardhat" | "hh" | "truffle" | "anchor" => return contracts::release(inv),
        "fastlane" => return fastlane::handle(inv),
        _ => {}
    }
    let deploy = match inv.program {
        "firebase" => firebase(inv.args),
        "supabase" => supabase(inv.args),
        "eas" => eas(inv.args),
        "gradle" | "gradlew" => gradle_play(inv.args),
        "vercel" => vercel(inv.args),
        "netlify" => netlify(inv.args),
        "serverless" | "sls" => serverless(inv.args),
        "wrangler" => wrangler(inv.args),
        "railway" => railway(inv.args),
        "pulumi" => pulumi(inv.args),
        "eb" => beanstalk(inv.args),
        "kamal" => kamal(inv.args),
        "helmfile" => helmfile(inv.args),
        "sam" => sam(inv.args),
        // Capistrano and Deployer: `cap STAGE deploy`, `dep deploy STAGE`.
        "cap" => stage_then_verb(inv.args, "deploy"),
        "dep" => verb_then_stage(inv.args, "deploy"),
        "copilot" => named_environment(inv.args, "e"),
        _ => named_environment(inv.args, ""),
    }?;
    if previews(inv.program, inv.args) {
        // The release is built and checked, or proposed, not made.
        return Some(Outcome::default());
    }
    let mut outcome = Outcome::default();
    if inv.program == "sam"
        && let Some(stack) = deploy.1.as_ref().filter(|s| names_parts(s))
    {
        outcome
            .effects
            .extend(environment_changes(inv.program, stack, Some(stack)));
    }
    outcome.effects.insert(
        0,
        Effect::Deploy(Deploy {
            program: inv.program.to_owned(),
            production: deploy.0 == PRODUCTION,
            environment: deploy.0,
            service: deploy.1,
        }),
    );
    Some(outcome)
}

/// `bazel run //deploy:prod` (and buck, pants, please): a build tool
/// running a target whose package or name says it deploys is a release to
/// the environments its label names ([`environment_changes`]: `prod` of
/// `//deploy:prod`, `staging` of `//services/api/deploy:staging`). Any
/// other target, and `build`/`test`, is the build's own business. The
/// build tools' own handler (`builds.rs`) asks.
pub(super) fn build_run_target(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut words = inv.args.iter().filter(|a| !a.text.starts_with('-'));
    if words.next()?.text != "run" {
        return None;
    }
    let label = words.next()?.text.as_str();
    let label = label
        .strip_prefix('@')
        .map_or(label, |l| l.split_once("//").map_or(l, |(_, rest)| rest));
    let label = label.trim_start_matches('/');
    if !names_deploy(label) {
        return None;
    }
    Some(Outcome {
        effects: environment_changes(inv.program, label, None),
        ..Outcome::default()
    })
}

/// True when a task, target or recipe name says it deploys: one of its
/// words is `deploy` (`deploy`, `deploy-prod`, `//deploy:prod`).
fn names_deploy(name: &str) -> bool {
    name_words(name).any(|w| w.eq_ignore_ascii_case("deploy"))
}

/// The deploys of a task runner's target that deploys ([`names_deploy`]):
/// to the environment the run's configuration names (`-c production`),
/// else to those the target's own name names ([`environment_changes`]:
/// `prod` of `deploy-prod`); one for each project it runs.
fn target_deploys(
    program: &str,
    target: &str,
    configuration: Option<&str>,
    projects: &[String],
) -> Vec<Effect> {
    if !names_deploy(target) {
        return Vec::new();
    }
    let environment = configuration.filter(|c| !c.is_empty()).unwrap_or(target);
    if projects.is_empty() {
        return environment_changes(program, environment, None);
    }
    projects
        .iter()
        .flat_map(|project| environment_changes(program, environment, Some(project)))
        .collect()
}

/// Nx's own commands; any other first word is a target it runs on the
/// project that follows (`nx deploy api`).
const NX_COMMANDS: &[&str] = &[
    "add",
    "affected",
    "connect",
    "connect-to-nx-cloud",
    "daemon",
    "exec",
    "format",
    "format:check",
    "format:write",
    "g",
    "generate",
    "graph",
    "help",
    "import",
    "init",
    "list",
    "login",
    "logout",
    "mcp",
    "migrate",
    "new",
    "release",
    "repair",
    "report",
    "reset",
    "run",
    "run-many",
    "show",
    "sync",
    "sync:check",
    "view-logs",
    "watch",
];

/// What an Nx command line runs: targets, projects, a configuration, and
/// the words that are not options.
#[derive(Default)]
struct NxRun {
    targets: Vec<String>,
    projects: Vec<String>,
    configuration: Option<String>,
    words: Vec<String>,
    dry_run: bool,
}

/// Nx's options as yargs reads them: `-t`/`--targets` and
/// `-p`/`--projects` take every word up to the next option (and commas
/// separate names too), `-c`/`--configuration` one; what follows `--`
/// goes to the executor.
fn nx_run(words: &[Arg]) -> NxRun {
    let mut run = NxRun::default();
    let mut list: Option<bool> = None;
    let mut single = false;
    for word in words {
        let text = word.text.as_str();
        if text == "--" {
            break;
        }
        if let Some(option) = text.strip_prefix('-') {
            let (name, value) = option
                .trim_start_matches('-')
                .split_once('=')
                .map_or((option.trim_start_matches('-'), None), |(n, v)| {
                    (n, Some(v))
                });
            list = None;
            single = false;
            match name {
                "t" | "target" | "targets" => list = Some(true),
                "p" | "projects" | "project" => list = Some(false),
                "c" | "configuration" => single = true,
                "dry-run" | "dryRun" => run.dry_run = true,
                _ => {}
            }
            if let Some(value) = value {
                nx_value(&mut run, list, single, value);
                list = None;
                single = false;
            }
            continue;
        }
        if single || list.is_some() {
            nx_value(&mut run, list, single, text);
            single = false;
            continue;
        }
        run.words.push(text.to_owned());
    }
    run
}

/// Adds an option's value to what the run names.
fn nx_value(run: &mut NxRun, list: Option<bool>, single: bool, value: &str) {
    let names = value
        .split(',')
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    match list {
        Some(true) => run.targets.extend(names),
        Some(false) => run.projects.extend(names),
        None if single => run.configuration = Some(value.to_owned()),
        None => {}
    }
}

/// `nx run-many|affected -t deploy [-p api web] [-c production]`, `nx run
/// PROJECT:deploy[:CONFIGURATION]`, `nx PROJECT:deploy`, `nx deploy
/// PROJECT [-c|--configuration production]`: a target that deploys
/// ([`target_deploys`]) is a release to the environment its configuration
/// names. Other targets build, test or lint.
fn nx(words: &[Arg]) -> Option<Outcome> {
    let mut run = nx_run(words);
    let first = run.words.first().cloned()?;
    let mut named_configuration = None;
    match first.as_str() {
        "run-many" | "affected" => {}
        command if command.starts_with("affected:") => {
            run.targets
                .extend(command.strip_prefix("affected:").map(str::to_owned));
        }
        "run" => {
            let spec = run.words.get(1).cloned().unwrap_or_default();
            named_configuration = nx_spec(&spec, &mut run);
        }
        spec if spec.contains(':') && !NX_COMMANDS.contains(&spec) => {
            named_configuration = nx_spec(spec, &mut run);
        }
        target if !NX_COMMANDS.contains(&target) => {
            run.targets.push(target.to_owned());
            run.projects.extend(run.words.get(1).cloned());
        }
        _ => return None,
    }
    if run.dry_run {
        return None;
    }
    let configuration = run.configuration.clone().or(named_configuration);
    let effects: Vec<Effect> = run
        .targets
        .iter()
        .flat_map(|target| target_deploys("nx", target, configuration.as_deref(), &run.projects))
        .collect();
    (!effects.is_empty()).then_some(Outcome {
        effects,
        ..Outcome::default()
    })
}

/// `PROJECT:TARGET[:CONFIGURATION]`: adds the project and target to
/// `run`, and gives the configuration it names.
fn nx_spec(spec: &str, run: &mut NxRun) -> Option<String> {
    let mut parts = spec.splitn(3, ':');
    let project = parts.next().filter(|p| !p.is_empty())?;
    let target = parts.next().filter(|t| !t.is_empty())?;
    run.projects.push(project.to_owned());
    run.targets.push(target.to_owned());
    parts.next().map(str::to_owned)
}

/// Earthly's options that take a value, before the target.
const EARTHLY_VALUES: &[&str] = &[
    "build-arg",
    "secret",
    "s",
    "secret-file",
    "platform",
    "remote-cache",
    "config",
    "buildkit-host",
    "org",
    "project",
    "satellite",
    "sat",
    "buildkit-image",
    "cache-from",
    "env-file-path",
    "arg-file-path",
    "secret-file-path",
    "git-username",
    "git-password",
    "ssh-auth-sock",
    "tlscert",
    "tlskey",
];

/// `earthly [--push] [options] TARGET [--ARG=VALUE ...]`: its options,
/// the target reference (`+deploy`, `./svc+deploy`), and its build
/// arguments (`--ENV=production` after the target, `--build-arg K=V`
/// before it) as `(key, value)`.
pub(super) struct EarthlyRun<'a> {
    /// Earthly's own options, before the target.
    pub options: Vec<Item<'a>>,
    pub target: Option<&'a str>,
    pub build_args: Vec<(String, String)>,
}

/// Reads an Earthly command line ([`EarthlyRun`]).
pub(super) fn earthly_run(words: &[Arg]) -> EarthlyRun<'_> {
    let at = target_position(words);
    let (before, after) = words.split_at(at.unwrap_or(words.len()));
    let options = args::parse(
        before,
        &Spec {
            short: "s",
            long: EARTHLY_VALUES,
            stop_after: None,
        },
    );
    let mut build_args: Vec<(String, String)> = args::values(&options, &["--build-arg"])
        .into_iter()
        .filter_map(|pair| pair.text.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut rest = after.iter().skip(1).peekable();
    while let Some(word) = rest.next() {
        let Some(option) = word.text.strip_prefix("--") else {
            continue;
        };
        let pair = match option.split_once('=') {
            Some((k, v)) => Some((k.to_owned(), v.to_owned())),
            None => rest
                .next_if(|next| !next.text.starts_with("--"))
                .map(|value| (option.to_owned(), value.text.clone())),
        };
        build_args.extend(pair);
    }
    EarthlyRun {
        options,
        target: at.and_then(|i| words.get(i)).map(|w| w.text.as_str()),
        build_args,
    }
}

/// Where Earthly's target reference stands: the first word that is no
/// option nor an option's value and names a target (`+name`).
fn target_position(words: &[Arg]) -> Option<usize> {
    let mut skip = false;
    for (at, word) in words.iter().enumerate() {
        let text = word.text.as_str();
        if skip {
            skip = false;
            continue;
        }
        if let Some(name) = text.strip_prefix("--") {
            skip = !name.contains('=') && EARTHLY_VALUES.contains(&name);
            continue;
        }
        if text.starts_with('-') {
            skip = text == "-s";
            continue;
        }
        if text.contains('+') {
            return Some(at);
        }
    }
    None
}

/// `earthly --push +deploy --ENV=production`: a target that deploys
/// ([`names_deploy`]) run with `--push` (or `EARTHLY_PUSH=true`), which
/// is what runs its `RUN --push` steps, is a release to the environment a
/// build argument names (`ENV`, `STAGE`, `DEPLOY_ENV`:
/// [`super::is_environment_parameter`]), else those its name names.
/// Without `--push` those steps do not run.
fn earthly(inv: &Invocation<'_>) -> Option<Outcome> {
    let run = earthly_run(inv.args);
    let pushes = args::has(&run.options, &["--push"])
        || inv
            .env_value("EARTHLY_PUSH")
            .is_some_and(|v| matches!(v.text.as_str(), "true" | "1"));
    let target = run.target?.rsplit('+').next()?;
    if !pushes {
        return None;
    }
    let environment = run
        .build_args
        .iter()
        .find(|(key, _)| super::is_environment_parameter(key))
        .map(|(_, value)| value.as_str());
    let effects = target_deploys("earthly", target, environment, &[]);
    (!effects.is_empty()).then_some(Outcome {
        effects,
        ..Outcome::default()
    })
}

/// `ansible-playbook -i INVENTORY [--limit HOSTS] [-e env=E] PLAYBOOK`: a
/// run against the environments the inventory's path, the host limit and
/// the extra variables name (`inventories/production/hosts.yml`,
/// `--limit prod`); one deploy for each name, which the organisation's
/// list of production environments sorts. `--check` and the listing
/// options change nothing.
fn ansible_playbook(words: &[Arg]) -> Option<Outcome> {
    let items = args::parse(
        words,
        &Spec {
            short: "ielutkKfMT",
            long: &[
                "inventory",
                "inventory-file",
                "extra-vars",
                "limit",
                "user",
                "tags",
                "skip-tags",
                "forks",
                "vault-password-file",
                "vault-id",
                "private-key",
                "connection",
                "timeout",
                "start-at-task",
                "become-user",
                "module-path",
            ],
            stop_after: None,
        },
    );
    let dry = [
        "-C",
        "--check",
        "--syntax-check",
        "--list-hosts",
        "--list-tasks",
        "--list-tags",
    ];
    if args::has(&items, &dry) {
        return Some(Outcome::default());
    }
    let mut names: Vec<String> = Vec::new();
    for inventory in args::values(&items, &["-i", "--inventory", "--inventory-file"]) {
        for segment in inventory.text.split(['/', ',']) {
            let stem = segment.split('.').next().unwrap_or(segment);
            names.push(stem.to_owned());
        }
    }
    for limit in args::values(&items, &["-l", "--limit"]) {
        names.extend(limit.text.split([',', ':']).map(str::to_owned));
    }
    for vars in args::values(&items, &["-e", "--extra-vars"]) {
        for pair in vars.text.split_whitespace() {
            if let Some(value) = environment_setting(pair) {
                names.push(value.to_owned());
            }
        }
    }
    let playbook = args::positionals(&items).first().map(|p| p.text.clone());
    names.retain(|n| !n.is_empty() && n != "." && n != "..");
    names.dedup();
    let mut outcome = Outcome::default();
    for environment in names {
        outcome.effects.push(Effect::Deploy(Deploy {
            program: "ansible-playbook".to_owned(),
            production: false,
            environment,
            service: playbook.clone(),
        }));
    }
    Some(outcome)
}

/// Any other CLI whose subcommand deploys to an environment it names:
/// `copilot svc deploy --env live`, `X deploy --stage prd`, `X release
/// --environment prod`; `short` is the CLI's own short option for it
/// (copilot's `-e`), if it has one.
fn named_environment(words: &[Arg], short: &'static str) -> Option<Target> {
    let deploys = args::leading(words)
        .into_iter()
        .any(|w| matches!(w, "deploy" | "release" | "promote"));
    if !deploys {
        return None;
    }
    let names = [
        "--env",
        "--environment",
        "--stage",
        "--target-env",
        "--env-name",
    ];
    let items = args::parse(
        words,
        &Spec {
            short,
            long: &["env", "environment", "stage", "target-env", "env-name"],
            stop_after: None,
        },
    );
    let short_names: Vec<String> = short.chars().map(|c| format!("-{c}")).collect();
    let environment = args::values(&items, &names)
        .into_iter()
        .chain(args::values(
            &items,
            &short_names.iter().map(String::as_str).collect::<Vec<_>>(),
        ))
        .next()?
        .text
        .clone();
    Some((environment, None))
}

/// Options by which a deploy tool builds and checks a release without
/// making it.
const DRY_RUNS: &[&str] = &["--dry-run", "--dryrun", "--dry_run"];

/// Options by which one deploy tool only proposes its release for review:
/// `sam deploy --no-execute-changeset` creates the CloudFormation change
/// set and leaves it unexecuted, as `terraform plan` leaves its plan.
const PREVIEW_OPTIONS: &[(&str, &str)] = &[("sam", "--no-execute-changeset")];

/// True when a release command is a dry run or a preview of `program`'s,
/// which changes nothing where it would release.
fn previews(program: &str, words: &[Arg]) -> bool {
    words.iter().any(|word| {
        DRY_RUNS.contains(&word.text.as_str())
            || PREVIEW_OPTIONS
                .iter()
                .any(|(name, option)| *name == program && word.text == *option)
    })
}

/// `firebase [GLOBAL OPTIONS] deploy [--only ...] [--project|-P ALIAS]`:
/// the project alias names the environment (`-P prod`), wherever it
/// stands; without one, the default project, which the command does not
/// name.
fn firebase(words: &[Arg]) -> Option<Target> {
    let command = baas::after_globals("firebase", words).first()?;
    if !matches!(command.text.as_str(), "deploy" | "hosting:channel:deploy") {
        return None;
    }
    let project = baas::project("firebase", words)?;
    let items = args::parse(
        words,
        &Spec {
            short: "Pmc",
            long: &[
                "project", "only", "except", "message", "config", "expires", "account", "token",
            ],
            stop_after: None,
        },
    );
    Some((project, text(args::value(&items, &["--only"]))))
}

/// `supabase [GLOBAL OPTIONS] functions deploy [NAME ...] --project-ref
/// REF`: Edge Functions released to project REF, the environment. Without
/// `--project-ref` they go to the linked project, which the line does
/// not name.
fn supabase(words: &[Arg]) -> Option<Target> {
    let command = baas::after_globals("supabase", words);
    let [group, verb, rest @ ..] = command else {
        return None;
    };
    if group.text != "functions" || verb.text != "deploy" {
        return None;
    }
    let project = baas::project("supabase", words)?;
    let items = args::parse(
        rest,
        &Spec {
            short: "",
            long: &["project-ref", "import-map", "workdir", "jobs", "profile"],
            stop_after: None,
        },
    );
    let name = args::positionals(&items).first().map(|n| n.text.clone());
    Some((project, name))
}

/// `eas update --branch|--channel NAME`: an over-the-air update published
/// to the apps that follow that branch or channel.
fn eas(words: &[Arg]) -> Option<Target> {
    let items = options_after(
        words,
        &["update"],
        &Spec {
            short: "mp",
            long: &["branch", "channel", "message", "platform", "group"],
            stop_after: None,
        },
    )?;
    let environment = text(args::value(&items, &["--channel", "--branch"]))?;
    Some((environment, None))
}

/// Gradle Play Publisher's tasks (`./gradlew :app:publishReleaseBundle
/// --track beta`, `publishApk`, `publishApps`, `promoteReleaseArtifact
/// --promote-track production`): a release to that Google Play track, the
/// plugin's `internal` track unless one is named.
fn gradle_play(words: &[Arg]) -> Option<Target> {
    let releases = words.iter().any(|w| {
        let task = w.text.rsplit(':').next().unwrap_or_default();
        let publishes = task.strip_prefix("publish").is_some_and(|rest| {
            rest.ends_with("Bundle") || rest.ends_with("Apk") || rest.ends_with("Apps")
        });
        let promotes = task.starts_with("promote") && task.ends_with("Artifact");
        !w.text.starts_with('-') && (publishes || promotes)
    });
    if !releases {
        return None;
    }
    let items = args::parse(
        words,
        &Spec {
            short: "",
            long: &[
                "track",
                "promote-track",
                "from-track",
                "release-status",
                "user-fraction",
            ],
            stop_after: None,
        },
    );
    let track = text(args::value(&items, &["--promote-track"]))
        .or_else(|| text(args::value(&items, &["--track"])))
        .unwrap_or_else(|| "internal".to_owned());
    Some((track, None))
}

/// `skaffold run|deploy|apply [--kube-context C]`: the manifests are
/// applied in that context, as `kubectl apply` would (`--dry-run`, `render`
/// and `build` change nothing in the cluster).
fn skaffold(words: &[Arg]) -> Option<Outcome> {
    let items = options_after(
        words,
        &["run", "deploy", "apply", "dev"],
        &Spec {
            short: "pfnt",
            long: &[
                "kube-context",
                "profile",
                "filename",
                "namespace",
                "tag",
                "default-repo",
                "build-artifacts",
                "kubeconfig",
            ],
            stop_after: None,
        },
    )?;
    let verb = words.first().map(|w| w.text.clone()).unwrap_or_default();
    Some(Outcome::default().effect(Effect::Kubectl(crate::Kubectl {
        // A deploy tool's apply (not `kubectl apply -f F`, which a dry run
        // of the same files must precede outside production).
        verb: "deploy".to_owned(),
        args: vec![format!("skaffold {verb}")],
        context: text(args::value(&items, &["--kube-context"])),
        namespace: text(args::value(&items, &["--namespace", "-n"])),
        files: Vec::new(),
        dry_run: args::has(&items, &["--dry-run", "--render-only"]),
        all: false,
    })))
}

/// The options of `words` when its first word is one of `verbs` (the
/// subcommand that deploys).
fn options_after<'a>(words: &'a [Arg], verbs: &[&str], spec: &Spec<'_>) -> Option<Vec<Item<'a>>> {
    let first = words.first()?;
    verbs
        .contains(&first.text.as_str())
        .then(|| args::parse(words, spec))
}

/// An environment and the service, when the command names one.
type Target = (String, Option<String>);

const PRODUCTION: &str = "production";

fn text(arg: Option<&Arg>) -> Option<String> {
    arg.map(|a| a.text.clone()).filter(|t| !t.is_empty())
}

/// `vercel [deploy] [PATH] [--prod] [--target ENV]`: a deploy unless the
/// first word is another subcommand (`env`, `logs`, `pull`, ...);
/// `vercel promote URL` promotes to production.
fn vercel(words: &[Arg]) -> Option<Target> {
    let items = args::parse(
        words,
        &Spec {
            short: "AeSbmt",
            long: &[
                "target",
                "scope",
                "token",
                "env",
                "build-env",
                "meta",
                "regions",
                "cwd",
                "local-config",
                "global-config",
                "archive",
            ],
            stop_after: None,
        },
    );
    let first = args::positionals(&items).first().map(|a| a.text.clone());
    let environment = if args::has(&items, &["--prod", "--production"]) {
        PRODUCTION.to_owned()
    } else if let Some(target) = text(args::value(&items, &["--target"])) {
        target
    } else if first.as_deref() == Some("promote") {
        PRODUCTION.to_owned()
    } else {
        "preview".to_owned()
    };
    match first.as_deref() {
        None | Some("deploy" | "promote") => Some((environment, None)),
        Some(word) if word.starts_with(['.', '/', '~']) => Some((environment, None)),
        Some(_) => None,
    }
}

/// `netlify deploy [--prod] [--site ID]`; a draft deploy otherwise.
fn netlify(words: &[Arg]) -> Option<Target> {
    let items = options_after(
        words,
        &["deploy"],
        &Spec {
            short: "das",
            long: &[
                "dir",
                "alias",
                "site",
                "functions",
                "message",
                "auth",
                "filter",
            ],
            stop_after: None,
        },
    )?;
    let environment = if args::has(&items, &["--prod", "--prodIfUnlocked", "-p"]) {
        PRODUCTION
    } else {
        "draft"
    };
    Some((
        environment.to_owned(),
        text(args::value(&items, &["--site", "-s"])),
    ))
}

/// `serverless deploy [function -f NAME] [--stage|-s STAGE]` (stage `dev`
/// unless given).
fn serverless(words: &[Arg]) -> Option<Target> {
    let items = options_after(
        words,
        &["deploy"],
        &Spec {
            short: "srfcp",
            long: &[
                "stage",
                "region",
                "function",
                "config",
                "package",
                "aws-profile",
            ],
            stop_after: None,
        },
    )?;
    let stage = text(args::value(&items, &["--stage", "-s"])).unwrap_or_else(|| "dev".into());
    Some((stage, text(args::value(&items, &["--function", "-f"]))))
}

/// `wrangler deploy|publish [--env|-e ENV] [--name NAME]`: without an
/// environment, the Worker's top-level one, which is its production.
fn wrangler(words: &[Arg]) -> Option<Target> {
    let items = options_after(
        words,
        &["deploy", "publish"],
        &Spec {
            short: "ec",
            long: &[
                "env",
                "name",
                "config",
                "compatibility-date",
                "var",
                "define",
                "route",
            ],
            stop_after: None,
        },
    )?;
    let environment =
        text(args::value(&items, &["--env", "-e"])).unwrap_or_else(|| PRODUCTION.to_owned());
    Some((environment, text(args::value(&items, &["--name"]))))
}

/// `railway up|redeploy [--environment|-e ENV] [--service|-s NAME]`.
fn railway(words: &[Arg]) -> Option<Target> {
    let items = options_after(
        words,
        &["up", "redeploy"],
        &Spec {
            short: "es",
            long: &["environment", "service"],
            stop_after: None,
        },
    )?;
    Some((
        text(args::value(&items, &["--environment", "-e"])).unwrap_or_default(),
        text(args::value(&items, &["--service", "-s"])),
    ))
}

/// `pulumi up|update|destroy [--stack|-s ORG/PROJECT/STACK]`: the stack's
/// own name (its last segment) is the environment.
fn pulumi(words: &[Arg]) -> Option<Target> {
    let items = options_after(
        words,
        &["up", "update", "destroy"],
        &Spec {
            short: "sCm",
            long: &["stack", "cwd", "message", "config", "target", "parallel"],
            stop_after: None,
        },
    )?;
    let stack = text(args::value(&items, &["--stack", "-s"])).unwrap_or_default();
    let name = stack.rsplit('/').next().unwrap_or_default().to_owned();
    Some((name, None))
}

/// `helmfile [-e|--environment ENV] apply|sync|deploy`: the releases of
/// that environment (`default` unless named) are upgraded.
fn helmfile(words: &[Arg]) -> Option<Target> {
    let items = args::parse(
        words,
        &Spec {
            short: "efl",
            long: &[
                "environment",
                "file",
                "selector",
                "kube-context",
                "namespace",
                "state-values-set",
            ],
            stop_after: None,
        },
    );
    let verb = args::positionals(&items).first().map(|a| a.text.clone())?;
    if !matches!(verb.as_str(), "apply" | "sync" | "deploy" | "destroy") {
        return None;
    }
    let environment =
        text(args::value(&items, &["--environment", "-e"])).unwrap_or_else(|| "default".into());
    Some((environment, None))
}

/// `sam deploy [--config-env ENV] [--stack-name NAME]` (AWS SAM): a
/// release to the configuration environment, and to the environment the
/// stack's name holds (`ledger-live`).
fn sam(words: &[Arg]) -> Option<Target> {
    let items = options_after(
        words,
        &["deploy", "sync"],
        &Spec {
            short: "t",
            long: &[
                "config-env",
                "config-file",
                "stack-name",
                "template-file",
                "template",
                "region",
                "profile",
                "s3-bucket",
                "parameter-overrides",
                "capabilities",
            ],
            stop_after: None,
        },
    )?;
    Some((
        text(args::value(&items, &["--config-env"])).unwrap_or_else(|| "default".into()),
        text(args::value(&items, &["--stack-name"])),
    ))
}

/// `eb deploy [ENVIRONMENT]`.
fn beanstalk(words: &[Arg]) -> Option<Target> {
    if words.first().is_none_or(|w| w.text != "deploy") {
        return None;
    }
    let items = args::parse(
        words.get(1..).unwrap_or_default(),
        &Spec {
            short: "lmp",
            long: &[
                "label", "message", "profile", "region", "modules", "timeout",
            ],
            stop_after: None,
        },
    );
    Some((
        text(args::positionals(&items).first().copied()).unwrap_or_default(),
        None,
    ))
}

/// `kamal deploy [-d DESTINATION]`.
fn kamal(words: &[Arg]) -> Option<Target> {
    let items = options_after(
        words,
        &["deploy", "redeploy", "rollback"],
        &Spec {
            short: "dcr",
            long: &["destination", "config-file", "roles", "hosts", "version"],
            stop_after: None,
        },
    )?;
    Some((
        text(args::value(&items, &["--destination", "-d"])).unwrap_or_default(),
        None,
    ))
}

/// `cap STAGE deploy[:task]`.
fn stage_then_verb(words: &[Arg], verb: &str) -> Option<Target> {
    let positional = args::words(words);
    match positional.as_slice() {
        [stage, task, ..] if task.split(':').next() == Some(verb) => {
            Some(((*stage).to_owned(), None))
        }
        _ => None,
    }
}

/// `dep deploy STAGE`.
fn verb_then_stage(words: &[Arg], verb: &str) -> Option<Target> {
    let positional = args::words(words);
    match positional.as_slice() {
        [task, rest @ ..] if *task == verb => {
            Some((rest.first().copied().unwrap_or_default().to_owned(), None))
        }
        _ => None,
    }
}

/// The value of a `KEY=VALUE` setting whose key names a target environment
/// (`env=prod`, `stage=prod`): ansible's extra variables, CDK's context.
fn environment_setting(pair: &str) -> Option<&str> {
    let (key, value) = pair.split_once('=')?;
    ["env", "environment", "stage", "target_env", "targetEnv"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
        .then_some(value)
}

/// Verbs by which a cloud or orchestration CLI changes what it acts on,
/// whole or as the first word of a kebab-case command
/// (`terminate-instances`, `change-resource-record-sets`, `power-off`).
const CHANGE_VERBS: &[&str] = &[
    "add",
    "apply",
    "associate",
    "attach",
    "authorize",
    "cancel",
    "change",
    "create",
    "delete",
    "deploy",
    "deregister",
    "destroy",
    "detach",
    "disable",
    "disassociate",
    "dispatch",
    "drain",
    "enable",
    "execute",
    "failover",
    "import",
    "launch",
    "modify",
    "patch",
    "power",
    "poweroff",
    "promote",
    "purge",
    "put",
    "reboot",
    "redeploy",
    "register",
    "release",
    "remove",
    "replace",
    "reset",
    "resize",
    "restart",
    "restore",
    "resume",
    "revert",
    "revoke",
    "rollback",
    "run",
    "scale",
    "set",
    "shutdown",
    "start",
    "stop",
    "suspend",
    "swap",
    "sync",
    "terminate",
    "undeploy",
    "update",
    "upgrade",
    "write",
];

/// Verbs by which such a CLI only looks, or previews a change.
const READ_VERBS: &[&str] = &[
    "describe", "diff", "export", "get", "history", "info", "inspect", "list", "logs", "ls",
    "plan", "preview", "read", "search", "show", "status", "tail", "validate", "wait", "watch",
];

/// Whether the first of `words` that is a verb changes something (`Some(true)`
/// for `delete` in `compute instances delete NAME`, `Some(false)` for
/// `describe-instances`), `None` when none is a verb.
pub(super) fn first_verb_changes<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<bool> {
    words.into_iter().find_map(|word| {
        let head = word.split('-').next().unwrap_or(word);
        if CHANGE_VERBS.contains(&head) {
            Some(true)
        } else if READ_VERBS.contains(&head) {
            Some(false)
        } else {
            None
        }
    })
}

/// Characters that separate the words of an app, project or account name.
const NAME_SEPARATORS: [char; 5] = ['-', '_', '.', '/', ':'];

/// Words by which a name marks an environment that is not production
/// (`ledger-dev`, `brindle-prod-sandbox`, `qa2`'s `qa` is not split off).
/// `non` is `non-prod`'s first word. A replica, a mirror or a canary of
/// production is production still, so those words are not here.
const NON_PRODUCTION_WORDS: &[&str] = &[
    "dev",
    "devel",
    "develop",
    "development",
    "test",
    "testing",
    "tst",
    "staging",
    "stage",
    "stg",
    "qa",
    "uat",
    "sandbox",
    "sbx",
    "preview",
    "demo",
    "nonprod",
    "non",
    "scratch",
    "local",
];

/// Words by which a name marks production, whatever the organisation's
/// own list calls it.
const PRODUCTION_WORDS: &[&str] = &["prod", "production", "prd", "live"];

/// The words of a name (`rg-portal-dev` is `rg`, `portal`, `dev`).
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(NAME_SEPARATORS).filter(|w| !w.is_empty())
}

/// True when a word of `name` marks an environment that is not production
/// (`--subscription dev`, `-g rg-portal-dev`, `brindle-prod-sandbox`).
pub(super) fn names_non_production(name: &str) -> bool {
    name_words(name).any(|w| {
        NON_PRODUCTION_WORDS
            .iter()
            .any(|n| n.eq_ignore_ascii_case(w))
    })
}

/// True when a word of `name` marks production by a common name (`prod`,
/// `live`), and no word marks it otherwise.
pub(super) fn names_production(name: &str) -> bool {
    !names_non_production(name)
        && name_words(name).any(|w| PRODUCTION_WORDS.iter().any(|p| p.eq_ignore_ascii_case(w)))
}

/// True when a resource's name is made of parts (`ledger-prod`,
/// `LedgerStack_live`), one of which may be the environment it is in.
pub(super) fn names_parts(name: &str) -> bool {
    name.trim_matches(NAME_SEPARATORS).contains(NAME_SEPARATORS)
}

/// A change made in the environment a CLI's selector names (gcloud's
/// `--project`, aws's `--profile`, nomad's `-namespace`, doctl's
/// `--context`, an Argo CD or Fly app): a [`Deploy`] to the name and one to
/// each of its words (app `ledger-prod` is `ledger` in `prod`), which the
/// organisation's list of production environments sorts, as it sorts the
/// names in an ansible inventory's path. A name one of whose words marks
/// an environment that is not production ([`names_non_production`]:
/// `brindle-prod-sandbox`, `prod-staging`) names that environment, whose
/// other words only say whose it is (the sandbox of `brindle-prod`): it is
/// reported whole, never as its words, so it is production only when the
/// organisation lists the whole name.
pub(super) fn environment_changes(
    program: &str,
    selector: &str,
    service: Option<&str>,
) -> Vec<Effect> {
    let selector = selector.trim();
    if selector.is_empty() {
        return Vec::new();
    }
    let mut names = vec![selector];
    if selector.contains(NAME_SEPARATORS) && !names_non_production(selector) {
        for word in selector.split(NAME_SEPARATORS) {
            if !word.is_empty() && !names.contains(&word) {
                names.push(word);
            }
        }
    }
    names
        .into_iter()
        .map(|environment| {
            Effect::Deploy(Deploy {
                program: program.to_owned(),
                environment: environment.to_owned(),
                service: service.map(str::to_owned),
                production: false,
            })
        })
        .collect()
}

/// `fly|flyctl deploy [-a|--app APP]`, `fly scale count|vm|memory ... -a
/// APP`, `fly [apps] destroy APP`, `fly machine destroy ID -a APP`: a
/// release to, or a change of, app APP, whose name names its environment
/// ([`environment_changes`]). Without `--app` the app is `fly.toml`'s,
/// which the line does not name. Other subcommands are the vendor API
/// calls [`super::platforms`] reads.
fn fly(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "acei",
            long: &[
                "app",
                "config",
                "image",
                "env",
                "region",
                "strategy",
                "dockerfile",
                "build-arg",
                "build-target",
                "label",
                "image-label",
                "primary-region",
                "vm-size",
                "vm-memory",
                "vm-cpus",
                "vm-cpu-kind",
                "process-group",
                "wait-timeout",
                "org",
                "signal",
                "timeout",
                "file-local",
                "file-literal",
                "file-secret",
            ],
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let destroy_at = words.iter().take(2).position(|w| *w == "destroy");
    let changes = match words.as_slice() {
        ["deploy", ..] => true,
        ["scale", kind, ..] => matches!(*kind, "count" | "vm" | "memory"),
        _ => destroy_at.is_some(),
    };
    if !changes {
        return None;
    }
    if args::has(&items, &["--build-only"]) || args::has(&items, DRY_RUNS) {
        return Some(Outcome::default());
    }
    // `fly apps destroy APP`, `fly destroy APP`: the app is the operand.
    let operand = destroy_at
        .filter(|at| *at == 0 || words.first() == Some(&"apps"))
        .and_then(|at| words.get(at + 1).copied());
    let app = text(args::value(&items, &["--app", "-a"])).or(operand.map(str::to_owned));
    let mut outcome = Outcome::default();
    if let Some(app) = app {
        outcome
            .effects
            .extend(environment_changes(inv.program, &app, Some(&app)));
    }
    Some(outcome)
}

/// `cdk deploy|destroy [STACKS] [-c|--context KEY=VALUE] [--profile P]`:
/// a release to the environment a context setting names (`-c stage=prod`,
/// `env=prod`), to the account of the AWS profile, and to the environments
/// the stacks it names hold (`LedgerStack-prod`).
fn cdk(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = options_after(
        inv.args,
        &["deploy", "destroy"],
        &Spec {
            short: "cao",
            long: &[
                "context",
                "profile",
                "app",
                "output",
                "require-approval",
                "role-arn",
                "parameters",
                "outputs-file",
                "toolkit-stack-name",
                "concurrency",
                "method",
                "change-set-name",
                "progress",
                "notification-arns",
                "tags",
                "build-exclude",
            ],
            stop_after: None,
        },
    )?;
    if cdk_prepares_only(&items) {
        return Some(Outcome::default());
    }
    let mut names: Vec<&str> = args::values(&items, &["-c", "--context"])
        .iter()
        .filter_map(|setting| environment_setting(&setting.text))
        .collect();
    names.extend(args::value(&items, &["--profile"]).map(|p| p.text.as_str()));
    // The stacks it names hold environments too (`LedgerStack-prod`).
    names.extend(
        args::positionals(&items)
            .iter()
            .skip(1)
            .map(|s| s.text.as_str())
            .filter(|s| names_parts(s)),
    );
    if names.is_empty() {
        return None;
    }
    let mut outcome = Outcome::default();
    for name in names {
        outcome
            .effects
            .extend(environment_changes("cdk", name, None));
    }
    Some(outcome)
}

/// `cdk deploy --method=prepare-change-set` (and the older `--no-execute`,
/// `--execute=false`): the stacks' change sets are created for review and
/// none is executed, a preview as `cdk diff` is.
fn cdk_prepares_only(items: &[Item<'_>]) -> bool {
    args::value(items, &["--method"]).is_some_and(|m| m.text == "prepare-change-set")
        || args::has(items, &["--no-execute"])
        || args::value(items, &["--execute"]).is_some_and(|e| e.text == "false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_verb_decides() {
        for (words, expected) in [
            (&["compute", "instances", "delete", "list"][..], Some(true)),
            (&["terminate-instances"][..], Some(true)),
            (&["change-resource-record-sets"][..], Some(true)),
            (&["droplet-action", "power-off"][..], Some(true)),
            (&["describe-instances"][..], Some(false)),
            (&["services", "list", "delete-me"][..], Some(false)),
            (&["clusters", "get-credentials", "prod"][..], Some(false)),
            (&["members"][..], None),
        ] {
            assert_eq!(
                first_verb_changes(words.iter().copied()),
                expected,
                "{words:?}"
            );
        }
    }

    #[test]
    fn a_selector_names_its_words_as_environments() {
        let names = |selector: &str| -> Vec<String> {
            environment_changes("x", selector, None)
                .into_iter()
                .filter_map(|e| match e {
                    Effect::Deploy(d) => Some(d.environment),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(names("prod"), ["prod"]);
        assert_eq!(names("ledger-prod"), ["ledger-prod", "ledger", "prod"]);
        assert_eq!(
            names("argocd/web_live"),
            ["argocd/web_live", "argocd", "web", "live"]
        );
        assert_eq!(names("prod-api-prod"), ["prod-api-prod", "prod", "api"]);
        // A word that marks a non-production environment names it whole.
        assert_eq!(names("brindle-prod-sandbox"), ["brindle-prod-sandbox"]);
        assert_eq!(names("non-prod"), ["non-prod"]);
        assert_eq!(
            names("production-replica"),
            ["production-replica", "production", "replica"]
        );
        assert!(names(" ").is_empty());
    }

    #[test]
    fn names_that_mark_their_environment() {
        assert!(names_non_production("rg-portal-dev"));
        assert!(names_non_production("Staging"));
        assert!(!names_non_production("devops-prod"));
        assert!(names_production("ledger-prod"));
        assert!(!names_production("prod-sandbox"));
        assert!(!names_production("portal"));
    }

    #[test]
    fn environment_settings() {
        assert_eq!(environment_setting("stage=prod"), Some("prod"));
        assert_eq!(environment_setting("ENV=live"), Some("live"));
        assert_eq!(environment_setting("bucket=prod"), None);
        assert_eq!(environment_setting("stage"), None);
    }
}
