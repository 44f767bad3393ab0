//! GPU clouds' CLIs, each a client of its vendor's API: Modal (`modal`,
//! api.modal.com), RunPod (`runpodctl`, api.runpod.io), Vast.ai
//! (`vastai`, console.vast.ai) and SkyPilot (`sky`, the cloud it
//! launches on). What a command gives the vendor is a send to it: the
//! secrets, environment values and start-up commands a new secret,
//! pod, instance or task carries, and the files it uploads. Their reads
//! and listings (`modal app list`, `sky status`, `vastai search offers`,
//! `runpodctl get pod`) send nothing, and nothing is reported for them.
//! A SkyPilot task file written earlier adds its `envs`, and its
//! `file_mounts`' local sources go to the cluster or the bucket they name
//! (`written`).

use yaml_rust2::{Yaml, YamlLoader};

use super::{Invocation, Lookup, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "modal" => Some(modal(inv)),
        "runpodctl" => Some(runpod(inv)),
        "vastai" => Some(vast(inv)),
        "sky" => Some(sky(inv)),
        _ => None,
    }
}

/// The positional words of a parsed line.
fn words<'a>(items: &'a [Item<'_>]) -> Vec<&'a str> {
    args::positionals(items)
        .into_iter()
        .map(|a| a.text.as_str())
        .collect()
}

/// Adds every value of the options `names` to `payload`.
fn merge_values(payload: &mut Payload, items: &[Item<'_>], names: &[&str]) {
    for value in args::values(items, names) {
        flow::merge(payload, &value.payload());
    }
}

/// One request to `host` carrying `payload`, after the reads in `outcome`.
fn send(inv: &Invocation<'_>, mut outcome: Outcome, target: Target, payload: Payload) -> Outcome {
    outcome
        .effects
        .push(request(inv.program, target, "UPLOAD", payload, false));
    outcome
}

/// Reads `path` (a file or a tree) and adds it to `payload`.
fn upload(inv: &Invocation<'_>, outcome: &mut Outcome, payload: &mut Payload, path: &Arg) {
    flow::merge(payload, &path.expansions());
    outcome.read(inv.path(&path.text), true);
    send_file(inv, payload, &path.text, true);
}

/// `modal secret create [-e ENV] NAME [KEY=VALUE...] [--from-dotenv F]
/// [--from-json F]` sends the values and files; `modal volume put VOL
/// LOCAL [REMOTE]` (and `modal nfs put`) uploads LOCAL.
fn modal(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "e",
            long: &["env", "from-dotenv", "from-json", "name", "tag"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let host = url("https://api.modal.com");
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    match words(&items).as_slice() {
        ["secret", "create", _, ..] => {
            for value in positional.iter().skip(3) {
                flow::merge(&mut payload, &value.payload());
            }
            for file in args::values(&items, &["--from-dotenv", "--from-json"]) {
                outcome.read(inv.path(&file.text), false);
                send_file(inv, &mut payload, &file.text, false);
            }
        }
        ["volume" | "nfs", "put", _, _, ..] => {
            if let Some(local) = positional.get(3) {
                upload(inv, &mut outcome, &mut payload, local);
            }
        }
        _ => return outcome,
    }
    send(inv, outcome, host, payload)
}

/// `runpodctl send FILE...` hands the files to RunPod's relay for
/// whoever holds the code; `runpodctl create pod|pods --env K=V --args A`
/// gives the pod's environment and arguments to RunPod.
fn runpod(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "env",
                "args",
                "code",
                "name",
                "gpuType",
                "imageName",
                "ports",
                "templateId",
                "networkVolumeId",
                "volumePath",
                "volumeSize",
                "containerDiskSize",
                "gpuCount",
                "podCount",
                "mem",
                "vcpu",
                "cost",
                "dataCenterId",
                "apiKey",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    match words(&items).as_slice() {
        ["send", ..] => {
            for file in positional.iter().skip(1) {
                upload(inv, &mut outcome, &mut payload, file);
            }
        }
        ["create", "pod" | "pods", ..] => merge_values(&mut payload, &items, &["--env", "--args"]),
        _ => return outcome,
    }
    send(inv, outcome, url("https://api.runpod.io"), payload)
}

/// `vastai create instance|template|... --env '-e K=V -p P' --onstart-cmd
/// C --onstart F --args A` gives the environment, the start-up commands
/// and file to Vast.ai; `vastai copy [local:]SRC [C.]ID:DST` uploads SRC
/// to the instance (the reverse writes DST here).
fn vast(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "env",
                "onstart-cmd",
                "onstart",
                "args",
                "image",
                "disk",
                "label",
                "template_hash",
                "login",
                "price",
                "api-key",
                "identity",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    match words(&items).as_slice() {
        ["create", ..] => {
            merge_values(
                &mut payload,
                &items,
                &["--env", "--onstart-cmd", "--args", "--login"],
            );
            for file in args::values(&items, &["--onstart"]) {
                outcome.read(inv.path(&file.text), false);
                send_file(inv, &mut payload, &file.text, false);
            }
        }
        ["copy" | "scp", from, to, ..] => match (vast_local(from), vast_local(to)) {
            (Some(local), None) => {
                let mut arg = positional.get(1).map(|a| (*a).clone()).unwrap_or_default();
                local.clone_into(&mut arg.text);
                upload(inv, &mut outcome, &mut payload, &arg);
            }
            (None, Some(local)) => {
                outcome.write(inv.path(local), false);
                return outcome;
            }
            _ => return outcome,
        },
        _ => return outcome,
    }
    send(inv, outcome, url("https://console.vast.ai"), payload)
}

/// The local path of a `vastai copy` location: `local:PATH`, or a path
/// with no `ID:` (`C.ID:`) instance before it.
fn vast_local(location: &str) -> Option<&str> {
    if let Some(path) = location.strip_prefix("local:") {
        return Some(path);
    }
    match location.split_once(':') {
        Some((instance, _))
            if instance
                .trim_start_matches("C.")
                .chars()
                .all(|c| c.is_ascii_digit()) =>
        {
            None
        }
        _ => Some(location),
    }
}

/// Long options of SkyPilot's launching commands that take a value.
const SKY_VALUES: &[&str] = &[
    "cluster",
    "env",
    "env-file",
    "secret",
    "cloud",
    "region",
    "zone",
    "gpus",
    "instance-type",
    "num-nodes",
    "cpus",
    "memory",
    "disk-size",
    "disk-tier",
    "image-id",
    "idle-minutes-to-autostop",
    "name",
    "workdir",
    "ports",
    "service-name",
    "config",
];

/// The words of a SkyPilot command that run a task on a cluster.
fn sky_launches(words: &[&str]) -> bool {
    matches!(
        words,
        ["launch" | "exec", ..] | ["jobs" | "spot", "launch", ..] | ["serve", "up" | "update", ..]
    )
}

/// `sky launch|exec`, `sky jobs launch`, `sky serve up|update`: the
/// values of `--env K=V` and `--secret K=V` (a bare `K` is this
/// environment's value of K) and the `--env-file` go to the cluster;
/// `--dryrun` sends nothing.
fn sky(inv: &Invocation<'_>) -> Outcome {
    let items = sky_items(inv);
    let mut outcome = Outcome::default();
    if !sky_launches(&words(&items)) || args::has(&items, &["--dryrun", "--dry-run"]) {
        return outcome;
    }
    let mut payload = Payload::default();
    for value in args::values(&items, &["--env", "--secret"]) {
        flow::merge(&mut payload, &value.payload());
        if !value.text.contains('=') {
            flow::push_env(&mut payload, &value.text);
        }
    }
    for file in args::values(&items, &["--env-file"]) {
        outcome.read(inv.path(&file.text), false);
        send_file(inv, &mut payload, &file.text, false);
    }
    send(inv, outcome, sky_cluster(&items), payload)
}

fn sky_items<'a>(inv: &Invocation<'a>) -> Vec<Item<'a>> {
    args::parse(
        inv.args,
        &Spec {
            short: "cnt",
            long: SKY_VALUES,
            stop_after: None,
        },
    )
}

/// Where a SkyPilot task runs: the API host of the cloud `--cloud` names,
/// else the cluster itself (`sky://NAME`), on a cloud the line does not
/// say.
fn sky_cluster(items: &[Item<'_>]) -> Target {
    let cloud = args::value(items, &["--cloud"]).map(|c| c.text.to_ascii_lowercase());
    let host = match cloud.as_deref() {
        Some("aws") => "ec2.amazonaws.com",
        Some("gcp") => "compute.googleapis.com",
        Some("azure") => "management.azure.com",
        Some("lambda") => "cloud.lambdalabs.com",
        Some("runpod") => "api.runpod.io",
        Some("vast") => "console.vast.ai",
        Some("paperspace") => "api.paperspace.com",
        Some("fluidstack") => "platform.fluidstack.io",
        Some("do") => "api.digitalocean.com",
        Some("nebius") => "api.nebius.cloud",
        Some("oci") => "iaas.oraclecloud.com",
        _ => {
            let name =
                args::value(items, &["-c", "--cluster"]).map_or("cluster", |c| c.text.as_str());
            return url(&format!("sky://{name}"));
        }
    };
    url(&format!("https://{host}"))
}

/// A SkyPilot task file written earlier and launched: its `envs` go to
/// the cluster, and each `file_mounts` entry's local source is uploaded,
/// to the bucket it names (`{name: B, source: LOCAL, store: s3}`) or to
/// the cluster (`/remote: LOCAL`).
pub(crate) fn written(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if inv.program != "sky" {
        return;
    }
    let items = sky_items(inv);
    let words = words(&items);
    if !sky_launches(&words) || args::has(&items, &["--dryrun", "--dry-run"]) {
        return;
    }
    let skip = if matches!(words.first(), Some(&("launch" | "exec"))) {
        1
    } else {
        2
    };
    let Some(task) = words
        .iter()
        .skip(skip)
        .find(|w| w.ends_with(".yaml") || w.ends_with(".yml"))
        .and_then(|file| text_of(&inv.path(file)))
        .and_then(|text| YamlLoader::load_from_str(&text).ok())
        .and_then(|docs| docs.into_iter().next())
    else {
        return;
    };
    let cluster = sky_cluster(&items);
    let mut to_cluster = Payload::default();
    if let Yaml::Hash(envs) = &task["envs"] {
        for value in envs.values() {
            if let Some(text) = scalar(value) {
                flow::push_text(&mut to_cluster, &text);
            }
        }
    }
    if let Yaml::Hash(mounts) = &task["file_mounts"] {
        for mount in mounts.values() {
            mount_upload(inv, outcome, &mut to_cluster, mount);
        }
    }
    if !to_cluster.is_empty() {
        outcome
            .effects
            .push(request(inv.program, cluster, "UPLOAD", to_cluster, false));
    }
}

/// One `file_mounts` entry: a local path string goes to the cluster
/// (`to_cluster`); a storage entry's local sources go to its bucket.
fn mount_upload(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    to_cluster: &mut Payload,
    mount: &Yaml,
) {
    if let Some(source) = scalar(mount) {
        if is_local(&source) {
            outcome.read(inv.path(&source), true);
            send_file(inv, to_cluster, &source, true);
        }
        return;
    }
    let sources: Vec<String> = match &mount["source"] {
        Yaml::Array(list) => list.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    };
    let local: Vec<&String> = sources.iter().filter(|s| is_local(s)).collect();
    if local.is_empty() {
        return;
    }
    let mut payload = Payload::default();
    for source in local {
        outcome.read(inv.path(source), true);
        send_file(inv, &mut payload, source, true);
    }
    let target = match scalar(&mount["name"]) {
        Some(bucket) => {
            let store = scalar(&mount["store"]).unwrap_or_else(|| "s3".to_owned());
            url(&format!("{}://{bucket}", store_scheme(&store)))
        }
        None => {
            flow::merge(to_cluster, &payload);
            return;
        }
    };
    outcome
        .effects
        .push(request(inv.program, target, "UPLOAD", payload, false));
}

/// The URL scheme of a SkyPilot storage `store`.
fn store_scheme(store: &str) -> &str {
    match store {
        "gcs" => "gs",
        "r2" => "r2",
        _ => "s3",
    }
}

/// A path on this machine, not a bucket or remote URL.
fn is_local(source: &str) -> bool {
    !source.contains("://")
}

/// A YAML scalar as text.
fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(n) => Some(n.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}
