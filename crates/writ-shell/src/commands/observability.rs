//! Observability and incident vendors' CLIs, which send to the vendor's
//! API though the line names no host: Datadog's dogshell (`dog`) and CI
//! tool (`datadog-ci`), PagerDuty's `pd`, Opsgenie's `lamp`
//! (`opsgenie-lamp`), New Relic's `newrelic` and `sentry-cli`. Each is
//! read from one [`Vendor`] row: a command that creates, mutes, posts,
//! resolves or deletes something there (`dog monitor mute ID`, `pd incident
//! create`, `lamp createAlert`) is a request carrying its arguments and
//! the auth token the line gives it (an option, or a variable such as
//! `DD_API_KEY=...` set for it); an upload
//! (`sentry-cli sourcemaps upload dist`, `datadog-ci junit upload
//! report.xml`) also sends the files it names. The request goes to the
//! vendor's API, or the server or site the line names (`--api_host`,
//! `DD_SITE`, `--url`, `SENTRY_URL`, `--region eu`). Showing, listing,
//! querying and the CLI's own settings send nothing; a dry run neither.
//!
//! `sentry-cli`'s commands that name their verb first (`sourcemaps
//! upload`, `releases new`) are [`super::platforms`]'s, which runs before
//! this module; those it does not read (a verb after the release's
//! version, `send-event`, `monitors run`) are this module's.

use super::vendor::{arguments_payload, base_url, positional_words};
use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Payload, Resource, flow};

/// Where a line may point a CLI instead of its default API: an option's
/// value, else an environment variable's (the first of `variables` set).
struct Place {
    options: &'static [&'static str],
    variables: &'static [&'static str],
    /// The base URL a value names, if it names one.
    base: fn(&str) -> Option<String>,
}

/// How one vendor's CLI reads.
struct Vendor {
    programs: &'static [&'static str],
    /// The API's base URL when nothing on the line names another.
    api: &'static str,
    /// The request's path below the base URL; `{group}` is the command's
    /// first word as written, up to a `:` (`monitor`, `releases`,
    /// `createAlert`).
    path: &'static str,
    /// Command groups that go elsewhere, with that URL (PagerDuty's
    /// `event` goes to its Events API).
    routes: &'static [(&'static str, &'static str)],
    /// Where the line may point it instead ([`Place`]); the first found wins.
    places: &'static [Place],
    /// Short option letters and long option names that take a value.
    short: &'static str,
    values: &'static [&'static str],
    /// How many leading positionals spell the command (`releases files
    /// VERSION upload-sourcemaps`).
    depth: usize,
    /// The first words this CLI's commands start with, when another
    /// program shares its name (ogham's `dog` is a DNS client); empty
    /// when any word may.
    groups: &'static [&'static str],
    /// Words of commands that only read, or configure the CLI here.
    reads: &'static [&'static str],
    /// Words of commands that change something at the vendor.
    changes: &'static [&'static str],
    /// Of those, the words of deletions.
    deletes: &'static [&'static str],
    /// Words of uploads: the positionals after them are files sent.
    uploads: &'static [&'static str],
    /// Options whose value is a file sent (`--logfile`, `--filePath`).
    file_options: &'static [&'static str],
    /// Environment variables holding the token the CLI sends ([`tokens`]).
    tokens: &'static [&'static str],
    /// Options that make it send nothing.
    dry_run: &'static [&'static str],
    /// Words of commands that run the command after `--` (`sentry-cli
    /// monitors run SLUG -- CMD`, `datadog-ci trace -- CMD`).
    runs: &'static [&'static str],
    /// Words of commands that make what they name public (a dashboard's
    /// share link).
    shares: &'static [&'static str],
    /// The command group whose `query` runs a GraphQL document: a change
    /// when the document is a mutation, a read otherwise.
    graphql: Option<&'static str>,
    /// The command word that sends to the project's DSN, and the
    /// variable naming it (`sentry-cli send-event`, `SENTRY_DSN`).
    dsn: Option<(&'static str, &'static str)>,
}

/// Datadog's sites: `DD_SITE=datadoghq.eu` is `https://api.datadoghq.eu`.
fn datadog_site(site: &str) -> Option<String> {
    let site = site.trim().trim_end_matches('/');
    if site.contains("://") {
        return Some(base_url(site));
    }
    let site = site.strip_prefix("api.").unwrap_or(site);
    (site.contains('.') && !site.contains('/')).then(|| format!("https://api.{site}"))
}

/// A base URL or host as given.
fn given_url(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| base_url(text))
}

/// New Relic's region: `eu` is its EU API.
fn newrelic_region(region: &str) -> Option<String> {
    match region.trim().to_ascii_lowercase().as_str() {
        "eu" => Some("https://api.eu.newrelic.com".to_owned()),
        "us" => Some("https://api.newrelic.com".to_owned()),
        _ => None,
    }
}

/// Words of commands that read or configure the CLI, for most vendors.
const READS: &[&str] = &[
    "show",
    "list",
    "ls",
    "get",
    "count",
    "query",
    "search",
    "stream",
    "info",
    "view",
    "open",
    "describe",
    "explain",
    "help",
    "version",
    "login",
    "logout",
    "auth",
    "config",
    "configure",
    "profile",
    "profiles",
    "completion",
    "completions",
    "whoami",
    "validate",
    "find",
    "print",
    "propose",
    "inject",
    "resolve-sourcemap",
];

/// Words of commands that change something at an incident or monitoring
/// vendor.
const CHANGES: &[&str] = &[
    "post",
    "create",
    "new",
    "add",
    "update",
    "set",
    "replace",
    "edit",
    "delete",
    "remove",
    "detach",
    "mute",
    "unmute",
    "ack",
    "acknowledge",
    "unacknowledge",
    "resolve",
    "unresolve",
    "close",
    "snooze",
    "escalate",
    "reassign",
    "assign",
    "merge",
    "finalize",
    "archive",
    "restore",
    "enable",
    "disable",
    "trigger",
    "alert",
    "send",
    "upload",
    "push",
    "renotify",
    "take",
    "execute",
    "attach",
    "ping",
    "mark",
    "instrument",
    "uninstrument",
    "flare",
    "duplicate",
    "commits",
];

const DELETES: &[&str] = &["delete", "remove", "detach", "destroy"];

const VENDORS: &[Vendor] = &[
    // Datadog's dogshell: `dog [--api-key K] [--api_host URL] GROUP VERB ...`.
    Vendor {
        programs: &["dog", "dogshell"],
        api: "https://api.datadoghq.com",
        path: "api/v1/{group}",
        routes: &[],
        places: &[
            Place {
                options: &["--api_host"],
                variables: &["DATADOG_HOST"],
                base: given_url,
            },
            Place {
                options: &[],
                variables: &["DD_SITE", "DATADOG_SITE"],
                base: datadog_site,
            },
        ],
        short: "",
        values: &[
            "api-key",
            "application-key",
            "config",
            "timeout",
            "api_host",
            "name",
            "message",
            "tags",
            "options",
            "priority",
            "scope",
            "start",
            "end",
            "type",
            "query",
            "title",
            "description",
            "date_happened",
            "handle",
            "related_event_id",
            "host",
            "device",
            "aggregation_key",
            "alert_type",
            "source_type_name",
            "localhostname",
            "timestamp",
            "monitor_id",
            "recurrence",
            "timezone",
            "template_variables",
            "layout_type",
            "widgets",
            "notify_list",
        ],
        depth: 2,
        groups: &[
            "monitor",
            "event",
            "metric",
            "downtime",
            "dashboard",
            "dashboard_list",
            "timeboard",
            "screenboard",
            "service_check",
            "service_level_objective",
            "comment",
            "tag",
            "host",
            "hosts",
            "search",
        ],
        reads: &["show", "query", "search", "stream", "pull", "file"],
        changes: &[
            "post", "update", "delete", "mute", "unmute", "check", "add", "replace", "detach",
            "reply", "push", "share", "revoke",
        ],
        deletes: DELETES,
        uploads: &["push"],
        file_options: &[],
        tokens: &[
            "DATADOG_API_KEY",
            "DD_API_KEY",
            "DATADOG_APP_KEY",
            "DD_APP_KEY",
        ],
        dry_run: &[],
        runs: &[],
        shares: &["share"],
        graphql: None,
        dsn: None,
    },
    // Datadog's CI tool: `datadog-ci junit upload FILES`, `sourcemaps
    // upload DIR`, `synthetics run-tests`, `trace -- CMD`, ...
    Vendor {
        programs: &["datadog-ci"],
        api: "https://api.datadoghq.com",
        path: "api/v2/{group}",
        routes: &[],
        places: &[Place {
            options: &[],
            variables: &["DATADOG_SITE", "DD_SITE"],
            base: datadog_site,
        }],
        short: "",
        values: &[
            "service",
            "env",
            "tags",
            "release-version",
            "minified-path-prefix",
            "project-path",
            "repository-url",
            "max-concurrency",
            "report-tags",
            "report-metrics",
            "xpath-tag",
            "measures",
            "metrics",
            "level",
            "name",
            "config",
            "files",
            "public-id",
            "search",
            "tunnel",
            "function",
            "region",
            "flavor",
            "platform",
            "build-version",
            "bundle",
            "sourcemap",
            "dist",
            "logs",
            "format",
            "git-repository-url",
            "no-verify",
            "forward",
            "started-at",
            "finished-at",
            "version",
            "duration",
            "type",
            "include",
            "exclude",
        ],
        depth: 2,
        groups: &[],
        reads: &["help", "version", "validate"],
        changes: &[
            "upload",
            "run",
            "tests",
            "deploy",
            "instrument",
            "uninstrument",
            "flare",
            "tag",
            "metric",
            "measure",
            "trace",
            "mark",
            "correlate",
            "deployment",
            "codepush",
            "xcode",
            "gradle",
        ],
        deletes: &[],
        uploads: &["upload"],
        file_options: &[],
        tokens: &[
            "DATADOG_API_KEY",
            "DD_API_KEY",
            "DATADOG_APP_KEY",
            "DD_APP_KEY",
        ],
        dry_run: &["--dry-run", "--dryRun"],
        runs: &["trace"],
        shares: &[],
        graphql: None,
        dsn: None,
    },
    // PagerDuty's CLI: `pd incident create|ack|resolve`, `pd schedule
    // override create`, `pd event alert` (its Events API).
    Vendor {
        programs: &["pd", "pagerduty"],
        api: "https://api.pagerduty.com",
        path: "{group}",
        routes: &[("event", "https://events.pagerduty.com/v2/enqueue")],
        places: &[],
        short: "tSspuUiIkrEedDnbTFfNc",
        values: &[
            "title",
            "service",
            "service_id",
            "service_name",
            "escalation_policy",
            "escalation_policy_id",
            "details",
            "urgency",
            "priority",
            "user",
            "user_id",
            "email",
            "from",
            "ids",
            "incident_id",
            "routing_key",
            "summary",
            "source",
            "severity",
            "dedup_key",
            "start",
            "end",
            "schedule",
            "schedule_id",
            "name",
            "note",
            "description",
            "key",
            "keys",
            "token",
            "team",
            "team_id",
            "event_action",
            "action",
            "component",
            "group",
            "class",
            "custom_details",
            "timestamp",
            "delimiter",
            "json",
            "filter",
            "sort",
            "endpoint",
            "data",
            "header",
            "param",
        ],
        depth: 3,
        groups: &[],
        reads: READS,
        changes: CHANGES,
        deletes: DELETES,
        uploads: &[],
        file_options: &[],
        tokens: &["PAGERDUTY_TOKEN", "PD_TOKEN"],
        dry_run: &[],
        runs: &[],
        shares: &[],
        graphql: None,
        dsn: None,
    },
    // Opsgenie's `lamp COMMAND --option value ...` (`createAlert`,
    // `closeAlert`, `addNote`, `attachFile --filePath F`).
    Vendor {
        programs: &["lamp", "opsgenie-lamp"],
        api: "https://api.opsgenie.com",
        path: "v2/{group}",
        routes: &[],
        places: &[Place {
            options: &["--apiUrl"],
            variables: &[],
            base: given_url,
        }],
        short: "",
        values: &[
            "apiKey",
            "apiUrl",
            "config",
            "message",
            "alias",
            "description",
            "teams",
            "team",
            "recipients",
            "recipient",
            "actions",
            "action",
            "source",
            "tags",
            "entity",
            "user",
            "note",
            "priority",
            "details",
            "id",
            "identifier",
            "identifierType",
            "filePath",
            "fileName",
            "indexFile",
            "name",
            "owner",
            "endDate",
            "interval",
            "intervalUnit",
            "key",
            "keys",
            "value",
        ],
        depth: 1,
        groups: &[],
        reads: &["get", "list", "count", "help", "version"],
        changes: CHANGES,
        deletes: DELETES,
        uploads: &[],
        file_options: &["--filePath"],
        tokens: &["OPSGENIE_API_KEY"],
        dry_run: &[],
        runs: &[],
        shares: &[],
        graphql: None,
        dsn: None,
    },
    // New Relic's CLI: `newrelic nerdgraph query 'mutation {...}'`,
    // `entity tags create`, `apm deployment create`, `events post`.
    Vendor {
        programs: &["newrelic"],
        api: "https://api.newrelic.com",
        path: "graphql",
        routes: &[],
        places: &[Place {
            options: &["--region"],
            variables: &["NEW_RELIC_REGION"],
            base: newrelic_region,
        }],
        short: "apfgtrunedc",
        values: &[
            "accountId",
            "profile",
            "format",
            "region",
            "guid",
            "tag",
            "tags",
            "applicationId",
            "revision",
            "user",
            "description",
            "changelog",
            "commit",
            "deepLink",
            "groupId",
            "timestamp",
            "event",
            "name",
            "type",
            "domain",
            "entityType",
            "entityGuid",
            "variables",
            "version",
            "entitySearchQuery",
            "scopeAccountIds",
        ],
        depth: 3,
        groups: &[],
        reads: READS,
        changes: CHANGES,
        deletes: DELETES,
        uploads: &[],
        file_options: &[],
        tokens: &[
            "NEW_RELIC_API_KEY",
            "NEW_RELIC_INSIGHTS_INSERT_KEY",
            "NEW_RELIC_LICENSE_KEY",
        ],
        dry_run: &[],
        runs: &[],
        shares: &[],
        graphql: Some("nerdgraph"),
        dsn: None,
    },
    // `sentry-cli [--url URL] [--auth-token T] ...`, for the commands
    // `platforms` leaves: a release's files (`releases files VERSION
    // upload-sourcemaps DIR`), its deploys (`releases deploys VERSION
    // new`), events (`send-event`, to the DSN), issues and cron
    // check-ins (`monitors run SLUG -- CMD`). Requests go where
    // `platforms` sends its own (the server's root).
    Vendor {
        programs: &["sentry-cli"],
        api: "https://sentry.io",
        path: "",
        routes: &[],
        places: &[Place {
            options: &["--url"],
            variables: &["SENTRY_URL"],
            base: given_url,
        }],
        short: "oprudxiItemaVEl",
        values: &[
            "url",
            "auth-token",
            "api-key",
            "log-level",
            "header",
            "org",
            "project",
            "release",
            "url-prefix",
            "url-suffix",
            "dist",
            "ext",
            "ignore",
            "ignore-file",
            "type",
            "id",
            "bundle-id",
            "env",
            "environment",
            "name",
            "message",
            "message-arg",
            "extra",
            "tag",
            "user",
            "level",
            "logfile",
            "fingerprint",
            "platform",
            "commit",
            "started",
            "finished",
            "time",
            "schedule",
            "check-in-margin",
            "max-runtime",
            "timezone",
            "status",
            "strip-prefix",
            "symbol-maps",
            "derived-data",
            "include",
            "exclude",
        ],
        depth: 4,
        groups: &[],
        reads: &[
            "list",
            "info",
            "explain",
            "check",
            "find",
            "print",
            "propose",
            "inject",
            "login",
            "help",
            "completions",
            "bash",
            "hook",
            "update",
            "uninstall",
            "bundle",
        ],
        changes: &[
            "new",
            "finalize",
            "delete",
            "archive",
            "restore",
            "set",
            "commits",
            "upload",
            "send",
            "run",
            "mute",
            "resolve",
            "unresolve",
        ],
        deletes: &["delete"],
        uploads: &["upload", "send"],
        file_options: &["--logfile"],
        tokens: &["SENTRY_AUTH_TOKEN"],
        dry_run: &["--no-upload"],
        runs: &["monitors"],
        shares: &[],
        graphql: None,
        dsn: Some(("send", "SENTRY_DSN")),
    },
];

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let vendor = VENDORS.iter().find(|v| v.programs.contains(&inv.program))?;
    // What `--` ends is a command it runs, not its own arguments.
    let (own, ran) = args::split_double_dash(inv.args);
    let items = args::parse(
        own,
        &Spec {
            short: vendor.short,
            long: vendor.values,
            stop_after: None,
        },
    );
    let command = Command::read(&items, vendor.depth, vendor.uploads);
    let first = command.positional.first().copied()?;
    if !vendor.groups.is_empty() && !vendor.groups.contains(&first) {
        return None;
    }
    let has = |list: &[&str]| command.words.iter().any(|w| list.contains(&w.as_str()));
    let changes = match vendor.graphql {
        Some(group) if command.starts_with(&[group, "query"]) => is_mutation(&command.positional),
        _ => !has(vendor.reads) && has(vendor.changes),
    };
    if !changes || args::has(&items, vendor.dry_run) {
        return Some(Outcome::default());
    }
    let mut outcome = Outcome::default();
    let runs = has(vendor.runs) && !ran.is_empty();
    if runs {
        outcome.nested.push(Nested::Argv {
            argv: ran.to_vec(),
            env: Vec::new(),
            cwd: None,
        });
    }
    let mut payload = if runs {
        let mut payload = Payload::default();
        for arg in own {
            flow::merge(&mut payload, &arg.payload());
        }
        payload
    } else {
        arguments_payload(inv)
    };
    flow::merge(&mut payload, &tokens(inv, vendor.tokens));
    if let Some(at) = command.upload_at(vendor.uploads) {
        for file in command.positional.iter().skip(at + 1) {
            send_file(inv, &mut payload, file, true);
        }
    }
    for file in args::values(&items, vendor.file_options) {
        send_file(inv, &mut payload, &file.text, false);
    }
    let method = if has(vendor.deletes) {
        "DELETE"
    } else {
        "POST"
    };
    // An oclif topic written `incident:resolve` is the group `incident`.
    let group = first.split(':').next().unwrap_or(first);
    let target = target(inv, vendor, &items, &command, group);
    outcome
        .effects
        .push(request(inv.program, url(&target), method, payload, false));
    if has(vendor.shares) {
        outcome.effects.push(Effect::MakePublic {
            resource: Resource::Other {
                name: format!("{} {}", inv.program, command.positional.join(" ")),
            },
        });
    }
    Some(outcome)
}

/// The command a line runs: its leading positionals, and the words they
/// are made of ([`command_words`]) by positional.
struct Command<'a> {
    positional: Vec<&'a str>,
    /// Each of the first `depth` positionals' words (none for one that
    /// is not a command name: a version, an ID, a title).
    by_positional: Vec<Vec<String>>,
    words: Vec<String>,
}

impl<'a> Command<'a> {
    fn read(items: &'a [Item<'a>], depth: usize, uploads: &[&str]) -> Self {
        let positional = positional_words(items);
        let by_positional: Vec<Vec<String>> = positional
            .iter()
            .take(depth)
            .map(|word| command_words(word))
            .collect();
        // An upload's words end the command: what follows are its files.
        let mut words = Vec::new();
        for list in &by_positional {
            words.extend(list.iter().cloned());
            if list.iter().any(|w| uploads.contains(&w.as_str())) {
                break;
            }
        }
        Self {
            positional,
            by_positional,
            words,
        }
    }

    /// True when the command's words begin with `lead`.
    fn starts_with(&self, lead: &[&str]) -> bool {
        lead.len() <= self.words.len() && self.words.iter().zip(lead).all(|(w, l)| w == l)
    }

    /// The index of the positional that holds an upload word.
    fn upload_at(&self, uploads: &[&str]) -> Option<usize> {
        self.by_positional
            .iter()
            .position(|words| words.iter().any(|w| uploads.contains(&w.as_str())))
    }
}

/// The words a command name is made of, in lower case, split where the
/// CLI's spelling joins them (`upload-sourcemaps`, `show_all`,
/// `incident:create`, `createAlert`); none for a word that is not a
/// command name (`1.4.2`, `./dist`, `48213377`, `Deploy done`).
fn command_words(name: &str) -> Vec<String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '_' | ':'))
    {
        return Vec::new();
    }
    let mut words = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | ':') || (c.is_ascii_uppercase() && !current.is_empty()) {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            if !c.is_ascii_alphabetic() {
                continue;
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// True when the GraphQL document after `query` is a mutation.
fn is_mutation(positional: &[&str]) -> bool {
    positional
        .iter()
        .skip_while(|w| !w.eq_ignore_ascii_case("query"))
        .nth(1)
        .is_some_and(|document| {
            document
                .trim_start()
                .get(..8)
                .is_some_and(|lead| lead.eq_ignore_ascii_case("mutation"))
        })
}

/// The tokens the line hands the CLI in its environment (`DD_API_KEY=...
/// dog ...`): their values go with its requests. A token it finds in the
/// session's environment is not added by name: the CLI sends it to the
/// API it is issued for, as the vendor's own API client would.
fn tokens(inv: &Invocation<'_>, names: &[&str]) -> Payload {
    let mut payload = Payload::default();
    for value in names.iter().filter_map(|name| inv.env_value(name)) {
        flow::merge(&mut payload, &value.payload());
    }
    payload
}

/// Where the request goes: the project's DSN for a command that sends
/// to it, a group's own API, or the vendor's API at the server the line
/// names.
fn target(
    inv: &Invocation<'_>,
    vendor: &Vendor,
    items: &[Item<'_>],
    command: &Command<'_>,
    group: &str,
) -> String {
    if let Some((word, variable)) = vendor.dsn
        && command.words.iter().any(|w| w == word)
        && let Some(host) = inv.env_value(variable).and_then(|v| dsn_base(&v.text))
    {
        return host;
    }
    if let Some((_, route)) = vendor.routes.iter().find(|(g, _)| *g == group) {
        return (*route).to_owned();
    }
    let base = vendor
        .places
        .iter()
        .find_map(|place| named_base(inv, items, place))
        .unwrap_or_else(|| vendor.api.to_owned());
    format!("{base}/{}", vendor.path.replace("{group}", group))
}

/// The base URL a [`Place`] names on the line.
fn named_base(inv: &Invocation<'_>, items: &[Item<'_>], place: &Place) -> Option<String> {
    let given: Option<&Arg> = args::value(items, place.options)
        .or_else(|| place.variables.iter().find_map(|name| inv.env_value(name)));
    given.and_then(|value| (place.base)(&value.text))
}

/// The scheme and host of a DSN (`https://KEY@o1.ingest.sentry.io/42`).
fn dsn_base(dsn: &str) -> Option<String> {
    let (scheme, rest) = dsn.trim().split_once("://")?;
    let authority = rest.split('/').next()?;
    let host = authority.rsplit('@').next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_split_into_words() {
        assert_eq!(command_words("createAlert"), ["create", "alert"]);
        assert_eq!(command_words("upload-sourcemaps"), ["upload", "sourcemaps"]);
        assert_eq!(command_words("show_all"), ["show", "all"]);
        assert_eq!(command_words("incident:create"), ["incident", "create"]);
        assert!(command_words("1.0.3").is_empty());
        assert!(command_words("Deploy done").is_empty());
    }

    #[test]
    fn sites_and_dsns_name_hosts() {
        assert_eq!(
            datadog_site("datadoghq.eu").as_deref(),
            Some("https://api.datadoghq.eu")
        );
        assert_eq!(
            dsn_base("https://abc@o1.ingest.sentry.io/42").as_deref(),
            Some("https://o1.ingest.sentry.io")
        );
        assert_eq!(
            newrelic_region("EU").as_deref(),
            Some("https://api.eu.newrelic.com")
        );
    }
}
