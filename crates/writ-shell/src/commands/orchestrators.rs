//! Container orchestrators other than Kubernetes, as what they do at the
//! host they address.
//!
//! - Nomad and Consul talk to the API server of `-address` / `NOMAD_ADDR`
//!   and `-http-addr` / `CONSUL_HTTP_ADDR`: what a command puts there
//!   (`nomad var put P k=@FILE`, `consul kv put K @FILE`, a job file) is a
//!   request to that host carrying it; a change is also a change in the
//!   namespace or datacenter it names ([`environment_changes`]: the
//!   organisation's list of production environments sorts the names); ACL
//!   tokens, policies and roles are access changes; `nomad alloc exec` and
//!   `consul exec` run their command on another host.
//! - Docker Swarm: `stack`, `service`, `secret`, `config` and `node`
//!   commands change the swarm of the `--context` / `DOCKER_CONTEXT`
//!   named (an environment) and send what they create (a secret's file) to
//!   the daemon of `-H` / `DOCKER_HOST` when that is another host.
//! - AWS ECS: `aws ecs` changes in a `--cluster` (called from `cloud.rs`),
//!   `execute-command` running its command in a task; the `ecs` and
//!   `ecs-deploy` deploy tools.
//! - `machinectl copy-from` writes its local destination, `copy-to` reads
//!   its local source, `shell` runs a command in the machine.
//!
//! An address on this machine (the tools' defaults, a loopback URL, a
//! socket) is no request: only the local files read and written remain.

use std::borrow::Cow;

use super::deploy::{environment_changes, first_verb_changes, names_production};
use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, OptionsEnd, Spec};
use crate::{Effect, Payload, Resource, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "nomad" => Some(api_command(inv, &NOMAD)),
        "consul" => Some(api_command(inv, &CONSUL)),
        "docker" => swarm(inv),
        "ecs" => fabfuel_ecs(inv),
        "ecs-deploy" => ecs_deploy(inv),
        "machinectl" => Some(machinectl(inv)),
        _ => None,
    }
}

/// A Go CLI's command line (Nomad's, Consul's): the subcommand's words,
/// then its flags (`-name=V`, `-name V` for the flags that take a value,
/// one dash or two) and positionals.
struct GoCommand<'a> {
    words: Vec<&'a str>,
    items: Vec<Item<'a>>,
}

impl<'a> GoCommand<'a> {
    /// `args` read as a subcommand of `depth(leading words)` words, then
    /// flags; `end` says whether flags stop at the first positional (a
    /// command run elsewhere follows it) or may follow positionals.
    fn parse(
        args: &'a [Arg],
        depth: fn(&[&str]) -> usize,
        values: &[&str],
        end: OptionsEnd,
    ) -> Self {
        let leading = args::leading(args);
        let words: Vec<&str> = leading.iter().take(depth(&leading)).copied().collect();
        let rest = args.get(words.len()..).unwrap_or_default();
        GoCommand {
            items: args::long_options(rest, values, end, "-"),
            words,
        }
    }

    fn flag(&self, name: &str) -> Option<&Arg> {
        args::value(&self.items, &[name])
    }

    fn flags(&self, name: &str) -> Vec<&Arg> {
        args::values(&self.items, &[name])
    }

    fn has(&self, name: &str) -> bool {
        args::has(&self.items, &[name])
    }

    fn positionals(&self) -> Vec<&'a Arg> {
        args::positionals(&self.items)
    }

    /// The subcommand changes something (`job run`, `kv put`), by its
    /// first verb.
    fn changes(&self) -> bool {
        first_verb_changes(self.words.iter().copied()) == Some(true)
    }
}

/// An orchestrator's API server, as a base URL, when it is another host:
/// `address` as written, with `scheme` when it names none; `None` for this
/// machine (a loopback address, a Unix socket).
fn api_base(address: &str, scheme: &str) -> Option<String> {
    let address = address.trim().trim_end_matches('/');
    if address.is_empty() || address.starts_with('/') {
        return None;
    }
    let base = if address.contains("://") {
        address.to_owned()
    } else {
        format!("{scheme}://{address}")
    };
    let local = ["unix://", "npipe://", "fd://"]
        .iter()
        .any(|s| base.starts_with(s))
        || super::cloud::is_loopback_url(&base);
    (!local).then_some(base)
}

/// A data argument as the Go CLIs read it: `@FILE` is the file's
/// contents (read here), `-` standard input, anything else the text itself.
fn push_data(inv: &Invocation<'_>, outcome: &mut Outcome, payload: &mut Payload, data: &Arg) {
    if let Some(file) = data.text.strip_prefix('@') {
        outcome.read(inv.path(file), false);
        send_file(inv, payload, file, false);
        flow::merge(payload, &data.expansions());
    } else if data.text == "-" {
        if inv.has_stdin {
            flow::merge(payload, inv.stdin);
        }
    } else {
        flow::merge(payload, &data.payload());
    }
}

/// The credential the line gives a Go CLI for its server: a `-token`
/// flag's value, a token variable set for the command, a `-token-file`'s
/// contents (read here).
fn token(
    inv: &Invocation<'_>,
    cmd: &GoCommand<'_>,
    variable: &str,
    outcome: &mut Outcome,
) -> Payload {
    let mut payload = Payload::default();
    if let Some(value) = cmd.flag("-token").or_else(|| inv.env_value(variable)) {
        flow::merge(&mut payload, &value.payload());
    }
    if let Some(file) = cmd.flag("-token-file") {
        outcome.read(inv.path(&file.text), false);
        send_file(inv, &mut payload, &file.text, false);
    }
    payload
}

/// An access change made through an orchestrator's ACL system, to what
/// `names` name (a token's name, its policies).
fn acl_change(program: &str, words: &[&str], names: &[&str]) -> Effect {
    let mut resource = format!("{program} {}", words.join(" "));
    if !names.is_empty() {
        resource.push(' ');
        resource.push_str(&names.join(","));
    }
    Effect::GrantAccess {
        resource: Resource::Other { name: resource },
        grantee: None,
    }
}

/// True for an ACL subcommand that changes who may do what: creating,
/// changing or deleting tokens, policies, roles, binding rules and auth
/// methods, and bootstrapping the system.
fn changes_acl(words: &[&str]) -> bool {
    match words {
        ["acl", "bootstrap" | "set-agent-token"] => true,
        ["acl", kind, verb] => {
            matches!(
                *kind,
                "token" | "policy" | "role" | "binding-rule" | "auth-method"
            ) && matches!(*verb, "create" | "apply" | "update" | "delete" | "clone")
        }
        _ => false,
    }
}

/// A command a Go CLI runs on another host (`nomad alloc exec ALLOC CMD`,
/// `consul exec CMD`), from `/` there.
fn remote_command(argv: Vec<Arg>, stdin: bool) -> Nested {
    Nested::Remote {
        argv,
        hosts: Vec::new(),
        cwd: "/".to_owned(),
        stdin,
    }
}

/// The API call a command makes (method and path) and what it carries;
/// `None` when it makes none.
type ApiCall = fn(
    &Invocation<'_>,
    &GoCommand<'_>,
    &mut Outcome,
    &mut Payload,
) -> Option<(&'static str, String)>;

/// A Go CLI that talks to its server's HTTP API (Nomad, Consul).
struct ApiCli {
    program: &'static str,
    /// How many leading words name the subcommand.
    depth: fn(&[&str]) -> usize,
    /// Flags that take a separate value.
    values: &'static [&'static str],
    /// The subcommand runs a command elsewhere, after its own positionals.
    runs_elsewhere: fn(&[&str]) -> bool,
    /// The flag and the variable that name the server.
    address: (&'static str, &'static str),
    /// The scheme of an address that names none.
    scheme: fn(&Invocation<'_>) -> &'static str,
    /// The variable a token is given in.
    token: &'static str,
    /// The flag (and variable) that name where a change is made.
    selector: (&'static str, Option<&'static str>),
    call: ApiCall,
}

/// A command of `cli`: its call to the server, when that is another host;
/// a change is one in the environment its selector names.
fn api_command(inv: &Invocation<'_>, cli: &ApiCli) -> Outcome {
    let elsewhere = (cli.runs_elsewhere)(&args::leading(inv.args));
    let end = if elsewhere {
        OptionsEnd::FirstPositional
    } else {
        OptionsEnd::DoubleDash
    };
    let cmd = GoCommand::parse(inv.args, cli.depth, cli.values, end);
    let mut outcome = Outcome::default();
    let mut payload = token(inv, &cmd, cli.token, &mut outcome);
    let Some((method, path)) = (cli.call)(inv, &cmd, &mut outcome, &mut payload) else {
        return outcome;
    };
    let (flag, variable) = cli.address;
    let base = cmd
        .flag(flag)
        .or_else(|| inv.env_value(variable))
        .and_then(|a| api_base(&a.text, (cli.scheme)(inv)));
    if let Some(base) = &base {
        let target = url(&format!("{base}{path}"));
        let call = request(cli.program, target, method, payload, false);
        outcome.effects.push(call);
    }
    let (flag, variable) = cli.selector;
    let selector = cmd
        .flag(flag)
        .or_else(|| variable.and_then(|v| inv.env_value(v)));
    if cmd.changes() && !elsewhere {
        if let Some(selector) = selector {
            let changes = environment_changes(cli.program, &selector.text, None);
            outcome.effects.extend(changes);
        }
        // A server whose name says production (`nomad.prod.example.com`)
        // makes a change there one in production.
        if let Some(named) = base.as_deref().and_then(host_environment) {
            outcome
                .effects
                .extend(environment_changes(cli.program, &named, None));
        }
    }
    outcome
}

/// The part of a server's host name before its domain when it names
/// production by a common word (`nomad.prod` of
/// `nomad.prod.example.com`, `nomad-live`); `None` for any other name (a
/// name that names no environment says nothing) and for an address.
fn host_environment(base: &str) -> Option<String> {
    let host = super::sql::uri_host(base)?;
    if host.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let keep = match labels.len() {
        1 => 1,
        n => n.saturating_sub(2),
    };
    let named = labels.get(..keep)?.join(".");
    names_production(&named).then_some(named)
}

/// Nomad's subcommand groups, whose commands are two words (`job run`);
/// `acl` commands are three (`acl token create`).
const NOMAD_GROUPS: &[&str] = &[
    "job",
    "var",
    "alloc",
    "node",
    "node-pool",
    "namespace",
    "deployment",
    "volume",
    "eval",
    "quota",
    "sentinel",
    "service",
    "system",
    "server",
    "plugin",
    "recommendation",
    "scaling",
    "license",
    "operator",
    "tls",
];

fn nomad_depth(words: &[&str]) -> usize {
    match words {
        ["acl", "bootstrap", ..] => 2,
        ["acl", ..] => 3,
        [group, ..] if NOMAD_GROUPS.contains(group) => 2,
        _ => 1,
    }
}

/// Nomad's flags that take a separate value (the rest are booleans).
const NOMAD_VALUES: &[&str] = &[
    "address",
    "region",
    "namespace",
    "token",
    "ca-cert",
    "ca-path",
    "client-cert",
    "client-key",
    "tls-server-name",
    "var",
    "var-file",
    "check-index",
    "consul-token",
    "consul-namespace",
    "vault-token",
    "vault-namespace",
    "eval-priority",
    "task",
    "job",
    "group",
    "e",
    "deadline",
    "meta",
    "name",
    "type",
    "policy",
    "role-id",
    "role-name",
    "ttl",
    "description",
    "in",
    "out",
    "filter",
    "signal",
    "version",
    "node-pool",
    "idempotency-token",
    "id-prefix-template",
    "per-page",
    "page-token",
];

/// Nomad: its server is `-address` or `NOMAD_ADDR`, a change's
/// environment `-namespace` or `NOMAD_NAMESPACE`.
const NOMAD: ApiCli = ApiCli {
    program: "nomad",
    depth: nomad_depth,
    values: NOMAD_VALUES,
    runs_elsewhere: |words| matches!(words, ["alloc", "exec", ..] | ["exec", ..]),
    address: ("-address", "NOMAD_ADDR"),
    scheme: |_| "http",
    token: "NOMAD_TOKEN",
    selector: ("-namespace", Some("NOMAD_NAMESPACE")),
    call: nomad_call,
};

/// The API call a nomad command makes, and what it carries.
fn nomad_call(
    inv: &Invocation<'_>,
    cmd: &GoCommand<'_>,
    outcome: &mut Outcome,
    payload: &mut Payload,
) -> Option<(&'static str, String)> {
    let positionals = cmd.positionals();
    let first = positionals.first().map_or("", |a| a.text.as_str());
    Some(match cmd.words.as_slice() {
        ["job", "run" | "plan"] | ["run" | "plan"] => {
            job_files(inv, cmd, outcome, payload);
            if cmd.has("-output") {
                // Prints the job as JSON: nothing is submitted.
                return None;
            }
            match cmd.words.last() {
                // A dry run: the server plans the job it is sent and
                // changes nothing.
                Some(&"plan") => ("GET", "/v1/job/plan".to_owned()),
                _ => ("POST", "/v1/jobs".to_owned()),
            }
        }
        ["job", "stop"] | ["stop"] => ("DELETE", format!("/v1/job/{first}")),
        ["job", "dispatch"] => {
            if let Some(input) = positionals.get(1) {
                push_data(inv, outcome, payload, &as_file(input));
            }
            for meta in cmd.flags("-meta") {
                flow::merge(payload, &meta.payload());
            }
            ("POST", format!("/v1/job/{first}/dispatch"))
        }
        ["var", "put"] => {
            var_values(inv, &positionals, outcome, payload);
            ("PUT", format!("/v1/var/{}", var_path(first)))
        }
        ["var", "purge"] => ("DELETE", format!("/v1/var/{}", var_path(first))),
        ["alloc", "exec"] | ["exec"] => {
            // `-i` (standard input) is on unless `-i=false`.
            let stdin = cmd.flag("-i").is_none_or(|v| v.text != "false");
            let argv: Vec<Arg> = positionals.iter().skip(1).map(|a| (*a).clone()).collect();
            if !argv.is_empty() {
                outcome.nested.push(remote_command(argv, stdin));
            }
            ("POST", format!("/v1/client/allocation/{first}/exec"))
        }
        words if changes_acl(words) => {
            nomad_acl(inv, cmd, outcome, payload);
            ("POST", format!("/v1/{}", words.join("/")))
        }
        _ => generic_call(inv, cmd, "POST", outcome, payload),
    })
}

/// `nomad var put [flags] PATH|@SPEC|- [KEY=VALUE...]`: each value is
/// text, a file (`k=@FILE`) or standard input (`k=-`); a specification
/// comes from a file or standard input.
fn var_values(
    inv: &Invocation<'_>,
    positionals: &[&Arg],
    outcome: &mut Outcome,
    payload: &mut Payload,
) {
    for (at, data) in positionals.iter().enumerate() {
        match data.text.split_once('=') {
            Some((_, value)) if at > 0 => push_data(inv, outcome, payload, &data.with_text(value)),
            None if at == 0 && (data.text.starts_with('@') || data.text == "-") => {
                push_data(inv, outcome, payload, data)
            }
            _ => {}
        }
    }
}

/// `nomad acl token create -name N -policy P...`, `acl policy apply NAME
/// FILE` (its rules are the file's), and the other ACL changes.
fn nomad_acl(
    inv: &Invocation<'_>,
    cmd: &GoCommand<'_>,
    outcome: &mut Outcome,
    payload: &mut Payload,
) {
    let positionals = cmd.positionals();
    let policy_apply = cmd.words == ["acl", "policy", "apply"];
    let name = if policy_apply {
        positionals.first().map(|n| n.text.as_str())
    } else {
        cmd.flag("-name").map(|n| n.text.as_str())
    };
    let mut names: Vec<&str> = name.into_iter().collect();
    names.extend(cmd.flags("-policy").iter().map(|p| p.text.as_str()));
    outcome
        .effects
        .push(acl_change("nomad", &cmd.words, &names));
    if policy_apply && let Some(rules) = positionals.get(1) {
        push_data(inv, outcome, payload, &as_file(rules));
    }
}

/// Any other command: a change (`method`) sends the specification files it
/// names; anything else reads.
fn generic_call(
    inv: &Invocation<'_>,
    cmd: &GoCommand<'_>,
    method: &'static str,
    outcome: &mut Outcome,
    payload: &mut Payload,
) -> (&'static str, String) {
    let path = format!("/v1/{}", cmd.words.join("/"));
    if !cmd.changes() {
        return ("GET", path);
    }
    specification_files(inv, &cmd.positionals(), outcome, payload);
    (method, path)
}

/// The files a change sends as its specification (`nomad volume create
/// vol.hcl`, `nomad quota apply q.hcl`, `consul intention create -file
/// i.json`): its arguments named like files.
fn specification_files(
    inv: &Invocation<'_>,
    positionals: &[&Arg],
    outcome: &mut Outcome,
    payload: &mut Payload,
) {
    for file in positionals {
        if crate::paths::has_file_extension(&file.text) {
            push_data(inv, outcome, payload, &as_file(file));
        }
    }
}

/// An argument that names a file, or `-` for standard input, as a data
/// argument ([`push_data`]).
fn as_file(file: &Arg) -> Cow<'_, Arg> {
    if file.text == "-" {
        Cow::Borrowed(file)
    } else {
        Cow::Owned(file.with_text(&format!("@{}", file.text)))
    }
}

/// A variable's path in the API (`nomad/jobs/web`); none for a
/// specification file, whose path is inside it.
fn var_path(first: &str) -> &str {
    if first.starts_with('@') || first == "-" {
        ""
    } else {
        first.trim_start_matches('/')
    }
}

/// The job file of `job run|plan FILE` and its variable files (`-var-file`)
/// are read and sent; `-var` values are sent.
fn job_files(
    inv: &Invocation<'_>,
    cmd: &GoCommand<'_>,
    outcome: &mut Outcome,
    payload: &mut Payload,
) {
    let mut files: Vec<&Arg> = cmd.positionals().into_iter().take(1).collect();
    files.extend(cmd.flags("-var-file"));
    for file in files {
        push_data(inv, outcome, payload, &as_file(file));
    }
    for var in cmd.flags("-var") {
        flow::merge(payload, &var.payload());
    }
}

/// Consul's subcommand groups (`kv put`); `acl` commands are three words
/// (`acl token create`).
const CONSUL_GROUPS: &[&str] = &[
    "kv",
    "services",
    "catalog",
    "config",
    "snapshot",
    "intention",
    "connect",
    "operator",
    "peering",
    "resource",
    "namespace",
    "partition",
    "tls",
    "keyring",
    "license",
    "troubleshoot",
];

fn consul_depth(words: &[&str]) -> usize {
    match words {
        ["acl", "bootstrap" | "set-agent-token", ..] => 2,
        ["acl", ..] => 3,
        [group, ..] if CONSUL_GROUPS.contains(group) => 2,
        _ => 1,
    }
}

/// Consul's flags that take a separate value (the rest are booleans).
const CONSUL_VALUES: &[&str] = &[
    "http-addr",
    "token",
    "token-file",
    "datacenter",
    "namespace",
    "partition",
    "ca-file",
    "ca-path",
    "client-cert",
    "client-key",
    "tls-server-name",
    "flags",
    "cas",
    "modify-index",
    "session",
    "separator",
    "policy-name",
    "policy-id",
    "role-name",
    "role-id",
    "service-identity",
    "node-identity",
    "templated-policy",
    "description",
    "name",
    "rules",
    "node",
    "service",
    "tag",
    "prefix",
    "wait",
    "format",
    "expires-ttl",
    "accessor-id",
    "secret-id",
    "id",
];

/// Consul: its agent is `-http-addr` or `CONSUL_HTTP_ADDR` (https when
/// `CONSUL_HTTP_SSL` says so), a change's environment `-datacenter`.
const CONSUL: ApiCli = ApiCli {
    program: "consul",
    depth: consul_depth,
    values: CONSUL_VALUES,
    runs_elsewhere: |words| words.first() == Some(&"exec"),
    address: ("-http-addr", "CONSUL_HTTP_ADDR"),
    scheme: |inv| match inv.env_value("CONSUL_HTTP_SSL") {
        Some(v) if v.text.eq_ignore_ascii_case("true") || v.text == "1" => "https",
        _ => "http",
    },
    token: "CONSUL_HTTP_TOKEN",
    selector: ("-datacenter", None),
    call: consul_call,
};

/// The API call a consul command makes, and what it carries.
fn consul_call(
    inv: &Invocation<'_>,
    cmd: &GoCommand<'_>,
    outcome: &mut Outcome,
    payload: &mut Payload,
) -> Option<(&'static str, String)> {
    let positionals = cmd.positionals();
    let key = positionals
        .first()
        .map_or("", |k| k.text.trim_start_matches('/'));
    Some(match cmd.words.as_slice() {
        ["kv", "put"] => {
            if let Some(data) = positionals.get(1) {
                push_data(inv, outcome, payload, data);
            }
            ("PUT", format!("/v1/kv/{key}"))
        }
        ["kv", "import"] => {
            if let Some(data) = positionals.first() {
                push_data(inv, outcome, payload, data);
            }
            ("PUT", "/v1/txn".to_owned())
        }
        ["kv", "delete"] => ("DELETE", format!("/v1/kv/{key}")),
        ["services", "register"] | ["config", "write"] | ["snapshot", "restore"] => {
            for file in &positionals {
                push_data(inv, outcome, payload, &as_file(file));
            }
            ("PUT", format!("/v1/{}", cmd.words.join("/")))
        }
        ["snapshot", "save"] => {
            if let Some(file) = positionals.first() {
                outcome.write(inv.path(&file.text), false);
            }
            ("GET", "/v1/snapshot".to_owned())
        }
        ["exec"] => {
            let argv: Vec<Arg> = positionals.iter().map(|a| (*a).clone()).collect();
            if !argv.is_empty() {
                outcome.nested.push(remote_command(argv, false));
            }
            ("PUT", "/v1/event/fire/_rexec".to_owned())
        }
        words if changes_acl(words) => {
            let mut names: Vec<&str> = ["-name", "-policy-name", "-role-name"]
                .iter()
                .flat_map(|f| cmd.flags(f))
                .map(|n| n.text.as_str())
                .collect();
            names.dedup();
            outcome.effects.push(acl_change("consul", words, &names));
            if let Some(rules) = cmd.flag("-rules") {
                push_data(inv, outcome, payload, rules);
            }
            ("PUT", format!("/v1/{}", words.join("/")))
        }
        _ => generic_call(inv, cmd, "PUT", outcome, payload),
    })
}

/// The global options of docker, podman and nerdctl that take a value
/// (before the command).
const DOCKER_GLOBAL_VALUES: &[&str] = &[
    "-H",
    "--host",
    "-c",
    "--context",
    "--config",
    "-l",
    "--log-level",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
    // podman
    "--url",
    "--connection",
    "--identity",
    "--root",
    "--runroot",
    "--storage-driver",
    "--storage-opt",
    "--cgroup-manager",
    "--conmon",
    "--events-backend",
    "--hooks-dir",
    "--network-cmd-path",
    "--network-config-dir",
    "--runtime",
    "--runtime-flag",
    "--tmpdir",
    "--volumepath",
    "--module",
    "--ssh",
    "--imagestore",
    "--registries-conf",
    // nerdctl
    "-n",
    "--namespace",
    "-a",
    "--address",
    "--snapshotter",
    "--cni-path",
    "--cni-netconfpath",
    "--data-root",
    "--hosts-dir",
    "--host-gateway-ip",
];

/// Options of the swarm commands that take a value.
const SWARM_VALUES: &[&str] = &[
    "compose-file",
    "resolve-image",
    "orchestrator",
    "namespace",
    "kubeconfig",
    "driver",
    "label",
    "template-driver",
    "name",
    "replicas",
    "image",
    "env",
    "env-add",
    "env-rm",
    "env-file",
    "mount",
    "mount-add",
    "mount-rm",
    "secret",
    "secret-add",
    "secret-rm",
    "config",
    "config-add",
    "config-rm",
    "publish",
    "publish-add",
    "publish-rm",
    "network",
    "network-add",
    "network-rm",
    "constraint",
    "constraint-add",
    "constraint-rm",
    "label-add",
    "label-rm",
    "container-label",
    "container-label-add",
    "container-label-rm",
    "mode",
    "user",
    "workdir",
    "entrypoint",
    "hostname",
    "update-parallelism",
    "update-delay",
    "update-order",
    "update-failure-action",
    "rollback-parallelism",
    "limit-cpu",
    "limit-memory",
    "reserve-cpu",
    "reserve-memory",
    "restart-condition",
    "role",
    "availability",
    "args",
    "health-cmd",
];

/// The daemon and context a docker (podman, nerdctl) command line
/// addresses, and where its command starts: `-H`/`--host`, podman's
/// `--url`, or `DOCKER_HOST`/`CONTAINER_HOST`; `-c`/`--context`,
/// podman's `--connection`, or `DOCKER_CONTEXT`/`CONTAINER_CONNECTION`.
/// nerdctl's `-H`/`--address` is containerd's socket, on this machine.
pub(super) struct Daemon<'a> {
    /// The daemon's API base, when it is another machine.
    pub(super) host: Option<String>,
    /// A named context (not `default`): a daemon elsewhere.
    pub(super) context: Option<&'a str>,
    pub(super) command: &'a [Arg],
}

pub(super) fn docker_daemon<'a>(inv: &'a Invocation<'_>) -> Daemon<'a> {
    let mut host = None;
    let mut context = None;
    let mut at = 0;
    let nerdctl = inv.program == "nerdctl";
    while let Some(arg) = inv.args.get(at) {
        let text = arg.text.as_str();
        if !text.starts_with('-') || text == "--" {
            break;
        }
        let (name, value) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ if DOCKER_GLOBAL_VALUES.contains(&text) => {
                at += 1;
                (text, inv.args.get(at).map(|v| v.text.as_str()))
            }
            _ => (text, None),
        };
        match (name, value) {
            ("-H" | "--host" | "--url", Some(value)) if !nerdctl => host = Some(value),
            ("-c" | "--context" | "--connection", Some(value)) if !nerdctl => context = Some(value),
            _ => {}
        }
        at += 1;
    }
    let (host_variable, context_variable) = match inv.program {
        "podman" => ("CONTAINER_HOST", "CONTAINER_CONNECTION"),
        "nerdctl" => ("", ""),
        _ => ("DOCKER_HOST", "DOCKER_CONTEXT"),
    };
    let host = host
        .or_else(|| inv.env_value(host_variable).map(|h| h.text.as_str()))
        .and_then(|h| api_base(h, "tcp"));
    let context = context
        .or_else(|| inv.env_value(context_variable).map(|c| c.text.as_str()))
        .filter(|c| *c != "default");
    Daemon {
        host,
        context,
        command: inv.args.get(at..).unwrap_or_default(),
    }
}

/// `docker [-H HOST] [--context C] stack|service|secret|config|node ...`:
/// a change of the swarm in context C (an environment: a production
/// context is production), under the stack's or service's name, and a
/// request to the daemon's host when it is another machine, carrying what
/// the command creates there (a secret's or config's file, a stack's
/// compose files). Other docker commands are other modules' business.
fn swarm(inv: &Invocation<'_>) -> Option<Outcome> {
    let daemon = docker_daemon(inv);
    let (group, rest) = daemon.command.split_first()?;
    if !matches!(
        group.text.as_str(),
        "stack" | "service" | "secret" | "config" | "node"
    ) {
        return None;
    }
    let (verb, rest) = rest.split_first()?;
    let items = args::parse(
        rest,
        &Spec {
            short: "cdlen",
            long: SWARM_VALUES,
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let method = match (group.text.as_str(), verb.text.as_str()) {
        ("stack", "deploy" | "up") => {
            for file in args::values(&items, &["-c", "--compose-file"]) {
                push_data(inv, &mut outcome, &mut payload, &as_file(file));
            }
            "POST"
        }
        ("secret" | "config", "create") => {
            if let Some(file) = positionals.get(1) {
                push_data(inv, &mut outcome, &mut payload, &as_file(file));
            }
            "UPLOAD"
        }
        (_, "rm" | "remove" | "down") => "DELETE",
        (_, "create" | "update" | "scale" | "rollback" | "promote" | "demote") => "POST",
        _ => return Some(outcome),
    };
    let names: Vec<String> = match (group.text.as_str(), verb.text.as_str()) {
        ("service", "create") => args::value(&items, &["--name"])
            .map(|n| n.text.clone())
            .into_iter()
            .collect(),
        // `service scale web=3 api=2`.
        ("service", "scale") => positionals
            .iter()
            .map(|p| p.text.split('=').next().unwrap_or_default().to_owned())
            .collect(),
        ("stack", "deploy" | "up") => positionals
            .last()
            .map(|p| p.text.clone())
            .into_iter()
            .collect(),
        _ => positionals
            .first()
            .map(|p| p.text.clone())
            .into_iter()
            .collect(),
    };
    if let Some(host) = &daemon.host {
        outcome
            .effects
            .push(request("docker", url(host), method, payload, false));
    }
    if let Some(context) = daemon.context {
        for name in names
            .iter()
            .map(Some)
            .chain(names.is_empty().then_some(None))
        {
            outcome.effects.extend(environment_changes(
                "docker",
                context,
                name.map(String::as_str),
            ));
        }
    }
    // A stack's name names its environment, as an app's does.
    if group.text == "stack" {
        for name in &names {
            outcome
                .effects
                .extend(environment_changes("docker", name, Some(name)));
        }
    }
    Some(outcome)
}

/// The value of an AWS CLI option, `--name V` or `--name=V`.
fn aws_option<'a>(args: &'a [Arg], name: &str) -> Option<Cow<'a, Arg>> {
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word.text == name {
            return words.next().map(Cow::Borrowed);
        }
        if let Some(value) = word
            .text
            .strip_prefix(name)
            .and_then(|v| v.strip_prefix('='))
        {
            return Some(Cow::Owned(word.with_text(value)));
        }
    }
    None
}

/// A cluster's name from its name or ARN (`arn:aws:ecs:R:A:cluster/NAME`).
fn cluster_name(text: &str) -> &str {
    text.rsplit_once('/').map_or(text, |(_, name)| name)
}

/// `aws ecs COMMAND --cluster C [--service S]`: a command that changes
/// something (`update-service --force-new-deployment`, `run-task`,
/// `delete-service`) is a release to cluster C, whose name names its
/// environment; `execute-command --command CMD` runs CMD in the task, on
/// another host, and is what CMD does there, as `kubectl exec` is.
/// Without `--cluster` it is the default cluster, which names no
/// environment.
pub(super) fn aws_ecs(inv: &Invocation<'_>, command: &str, outcome: &mut Outcome) {
    if command == "execute-command" {
        if let Some(text) = aws_option(inv.args, "--command") {
            let argv = vec![Arg::literal("sh"), Arg::literal("-c"), text.into_owned()];
            let stdin = inv.args.iter().any(|a| a.text == "--interactive");
            outcome.nested.push(remote_command(argv, stdin));
        }
        return;
    }
    if first_verb_changes([command]) != Some(true) {
        return;
    }
    let Some(cluster) = aws_option(inv.args, "--cluster") else {
        return;
    };
    let service = aws_option(inv.args, "--service")
        .or_else(|| aws_option(inv.args, "--service-name"))
        .map(|s| cluster_name(&s.text).to_owned());
    outcome.effects.extend(environment_changes(
        "aws",
        cluster_name(&cluster.text),
        service.as_deref(),
    ));
}

/// fabfuel's `ecs deploy|redeploy|update|scale|run|cron CLUSTER SERVICE`:
/// a release to CLUSTER; `diff` only compares.
fn fabfuel_ecs(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = args::leading(inv.args);
    let [verb, cluster, service, ..] = words.as_slice() else {
        return None;
    };
    if !matches!(
        *verb,
        "deploy" | "redeploy" | "update" | "scale" | "run" | "cron"
    ) {
        return None;
    }
    Some(Outcome {
        effects: environment_changes("ecs", cluster_name(cluster), Some(service)),
        ..Outcome::default()
    })
}

/// `ecs-deploy -c CLUSTER -n SERVICE -i IMAGE`: a release to CLUSTER.
fn ecs_deploy(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cnditrkspmMD",
            long: &[
                "cluster",
                "service-name",
                "task-definition",
                "image",
                "timeout",
                "region",
                "profile",
                "aws-access-key",
                "aws-secret-key",
                "min",
                "max",
                "desired-count",
                "tag-env-var",
                "tag-only",
                "run-task",
            ],
            stop_after: None,
        },
    );
    let cluster = args::value(&items, &["-c", "--cluster"])?;
    let service = args::value(&items, &["-n", "--service-name"]).map(|s| s.text.as_str());
    Some(Outcome {
        effects: environment_changes("ecs-deploy", cluster_name(&cluster.text), service),
        ..Outcome::default()
    })
}

/// `machinectl [-H HOST] [-M M] VERB ...` (systemd): `copy-from MACHINE
/// SRC [DEST]` writes DEST here (SRC's own path when none is given) with
/// the machine's file, named by its path there; `copy-to MACHINE SRC
/// [DEST]` reads SRC here; `shell [USER@]MACHINE [CMD...]` runs CMD in the
/// machine (`.host` is this one); `import-*` read, `export-*` write their
/// files. With `-H` the local side is that host's, so nothing here changes.
fn machinectl(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "HMpEnos",
            long: &[
                "host",
                "machine",
                "property",
                "uid",
                "setenv",
                "lines",
                "output",
                "signal",
                "kill-whom",
                "verify",
                "format",
                "max-addresses",
            ],
            // Options end at the machine: what follows is the copy's
            // paths or the command `shell` runs.
            stop_after: Some(2),
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-H", "--host"]) {
        return outcome;
    }
    let positionals = args::positionals(&items);
    let Some((verb, operands)) = positionals.split_first() else {
        return outcome;
    };
    let operand = |at: usize| operands.get(at).map(|a| a.text.as_str());
    match verb.text.as_str() {
        "copy-from" => {
            if let Some(source) = operand(1) {
                let inside =
                    crate::paths::normalize(&format!("/{}", source.trim_start_matches('/')));
                let destination = inv.path(operand(2).unwrap_or(source));
                outcome.read(inside.clone(), true);
                outcome
                    .contents
                    .push((destination.clone(), flow::file_payload(inside, true)));
                outcome.write(destination, false);
            }
        }
        "copy-to" => {
            if let Some(source) = operand(1) {
                outcome.read(inv.path(source), true);
            }
        }
        "shell" => machine_shell(operands, &mut outcome),
        "import-tar" | "import-raw" | "import-fs" => {
            if let Some(file) = operand(0).filter(|f| *f != "-") {
                outcome.read(inv.path(file), verb.text == "import-fs");
            }
        }
        "export-tar" | "export-raw" => {
            if let Some(file) = operand(1).filter(|f| *f != "-") {
                outcome.write(inv.path(file), false);
            }
        }
        "pull-tar" | "pull-raw" => {
            if let Some(source) = operand(0) {
                outcome.effects.push(request(
                    "machinectl",
                    url(source),
                    "GET",
                    Payload::default(),
                    false,
                ));
            }
        }
        _ => {}
    }
    outcome
}

/// `machinectl shell [USER@]MACHINE [CMD ARGS...]`: CMD runs in the
/// machine, a container whose files are its own, or here for `.host`.
fn machine_shell(operands: &[&Arg], outcome: &mut Outcome) {
    let Some((machine, command)) = operands.split_first() else {
        return;
    };
    if command.is_empty() {
        return;
    }
    let argv: Vec<Arg> = command.iter().map(|a| (*a).clone()).collect();
    let name = machine
        .text
        .rsplit_once('@')
        .map_or(machine.text.as_str(), |(_, m)| m);
    outcome.nested.push(if name == ".host" {
        Nested::Argv {
            argv,
            env: Vec::new(),
            cwd: None,
        }
    } else {
        Nested::Container {
            argv,
            workdir: "/".to_owned(),
            mounts: Vec::new(),
        }
    });
}
