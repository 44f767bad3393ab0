//! Cloud storage and registries: aws, gsutil, gcloud storage, s3cmd, s5cmd,
//! the MinIO client (mc), Backblaze's b2 (`b2.rs`); an S3 client given
//! another service's endpoint reaches that host ([`at_endpoint`]);
//! docker push, image copies (skopeo, crane, oras, regctl),
//! npm/cargo/gem/poetry/uv publish (and yarn's `npm publish`), twine upload
//! (read by [`super::publish::package`], where their configuration sends them).

use super::{Invocation, Outcome, request, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, FileRef, Payload, Resource, Target, flow};

mod b2;
mod cloudformation;
mod gcp_policy;
mod linode;
mod oci;
mod policy;

pub(crate) use policy::POLICY_OPTIONS;
pub use policy::{PolicyReach, reach as policy_reach};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let first = inv.args.first().map(|a| a.text.as_str());
    match (inv.program, first) {
        ("aws", _) => Some(aws(inv)),
        ("gsutil", _) => Some(gsutil(inv)),
        ("s3cmd", _) => Some(s3cmd(inv)),
        ("s5cmd", _) => Some(s5cmd(inv)),
        ("mc" | "mcli", _) => Some(minio_client(inv)),
        ("b2" | "backblaze-b2" | "b2v3" | "b2v4", _) => b2::b2(inv),
        ("gcloud", _) => gcloud(inv),
        ("bq", _) => bq(inv),
        ("az", _) => az(inv),
        ("linode-cli", Some("obj" | "object-storage")) => {
            linode::linode_objects(inv).or_else(|| infrastructure_provider(inv))
        }
        ("doctl" | "hcloud" | "linode-cli" | "vultr-cli", _) => infrastructure_provider(inv),
        ("oci", _) => oci::oci(inv),
        ("docker" | "podman" | "buildah" | "nerdctl", Some("push")) => Some(docker_push(inv)),
        ("docker" | "podman" | "nerdctl", Some("image"))
            if inv.args.get(1).is_some_and(|a| a.text == "push") =>
        {
            Some(docker_push(
                &inv.with_args(inv.args.get(1..).unwrap_or_default()),
            ))
        }
        ("docker" | "podman" | "buildah" | "nerdctl", Some("tag")) => Some(image_tag(inv, 1)),
        ("docker", Some("buildx"))
            if inv.args.get(1).is_some_and(|a| a.text == "imagetools")
                && inv.args.get(2).is_some_and(|a| a.text == "create") =>
        {
            Some(imagetools_create(inv))
        }
        ("docker" | "podman" | "nerdctl", Some("image"))
            if inv.args.get(1).is_some_and(|a| a.text == "tag") =>
        {
            Some(image_tag(inv, 2))
        }
        ("docker" | "podman" | "buildah" | "nerdctl" | "skopeo" | "oras", Some("login")) => {
            Some(registry_login(inv, 1))
        }
        ("helm" | "regctl", Some("registry")) | ("crane", Some("auth"))
            if inv.args.get(1).is_some_and(|a| a.text == "login") =>
        {
            Some(registry_login(inv, 2))
        }
        ("skopeo" | "crane" | "oras" | "regctl", Some(_)) => image_copy(inv),
        ("npm" | "pnpm" | "yarn", Some("view" | "info" | "show" | "v")) => {
            Some(registry_read(inv, "https://registry.npmjs.org"))
        }
        ("cargo", Some("info" | "search")) => {
            Some(registry_read(inv, "https://crates.io/api/v1/crates"))
        }
        ("pip" | "pip3", Some("download")) | ("pip" | "pip3", Some("index")) => {
            Some(registry_read(inv, "https://pypi.org/pypi"))
        }
        // Package uploads, where their configuration sends them.
        ("npm" | "pnpm" | "yarn" | "cargo" | "gem" | "poetry" | "twine" | "uv", _) => {
            super::publish::package(inv, &|_| None)
        }
        _ => None,
    }
}

const AWS_LONG: &[&str] = &[
    "alias",
    "name",
    "acl",
    "storage-class",
    "exclude",
    "include",
    "sse",
    "sse-c",
    "sse-c-key",
    "sse-kms-key-id",
    "content-type",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
    "metadata",
    "metadata-directive",
    "grants",
    "website-redirect",
    "expected-size",
    "source-region",
    "page-size",
    "profile",
    "region",
    "endpoint-url",
    "output",
    "query",
    "cli-read-timeout",
    "cli-connect-timeout",
    "cli-binary-format",
    "bucket",
    "key",
    "policy",
    "user-name",
    "role-name",
    "group-name",
    "policy-arn",
    "policy-name",
    "policy-document",
    "copy-source",
    "range",
    "if-match",
    "if-none-match",
    "if-modified-since",
    "if-unmodified-since",
    "part-number",
    "checksum-mode",
    "expected-bucket-owner",
    "sse-customer-algorithm",
    "sse-customer-key",
    "sse-customer-key-md5",
    "response-content-type",
    "response-content-disposition",
    "response-cache-control",
    "response-content-encoding",
    "response-content-language",
    "response-expires",
    "grant-read",
    "grant-full-control",
    "grant-read-acp",
    "grant-write",
    "grant-write-acp",
    "access-control-policy",
    "version-id",
    "body",
    "public-access-block-configuration",
    "function-name",
    "principal",
    "statement-id",
    "action",
    "source-arn",
    "group-id",
    "protocol",
    "port",
    "cidr",
    "ip-permissions",
    "source-group",
    "cli-input-json",
    "color",
    "ca-bundle",
    "from",
    "from-email-address",
    "to",
    "cc",
    "bcc",
    "subject",
    "text",
    "html",
    "destination",
    "message",
    "content",
    "source",
    "identity-store-id",
    "member-id",
    "membership-id",
    "instance-arn",
    "target-id",
    "target-type",
    "permission-set-arn",
    "principal-id",
    "principal-type",
    "application-arn",
    "managed-policy-arn",
    "customer-managed-policy-reference",
    "inline-policy",
    "permissions-boundary",
    "user-pool-id",
    "username",
    "snapshot-id",
    "image-id",
    "attribute",
    "operation-type",
    "group-names",
    "user-groups",
    "user-ids",
    "launch-permission",
    "create-volume-permission",
    "db-snapshot-identifier",
    "db-cluster-snapshot-identifier",
    "db-instance-identifier",
    "attribute-name",
    "values-to-add",
    "values-to-remove",
    "targets",
    "target-arn",
    "job-id",
    "resource",
    "permissions",
    "permissions-with-grant-option",
    "catalog-id",
    "entries",
    "data-lake-settings",
    "key-id",
    "grantee-principal",
    "grant-id",
    "operations",
    "resource-arns",
    "resource-arn",
    "resource-share-arn",
    "principals",
    "secret-id",
    "resource-policy",
    "repository-name",
    "policy-text",
    "policy-in-json",
    "topic-arn",
    "aws-account-id",
    "aws-account-ids",
    "action-name",
    "actions",
    "label",
    "queue-url",
    "assume-role-policy-document",
    "attributes",
    "attribute-value",
    "source-account",
    "principal-org-id",
    "organization-id",
    "function-url-auth-type",
    "layer-name",
    "version-number",
    "event-bus-name",
    "condition",
    "file-system-id",
    "vault-name",
    "account-id",
    "backup-vault-name",
    "domain-name",
    "access-policies",
    "domain",
    "repository",
    "container-name",
    "service-id",
    "add-allowed-principals",
    "remove-allowed-principals",
    "stack-name",
    "template-file",
];

/// A `s3://bucket/key` bucket resource.
fn bucket(scheme: &str, text: &str) -> Resource {
    let rest = text.split_once("://").map_or(text, |(_, r)| r);
    Resource::Bucket {
        scheme: scheme.to_owned(),
        name: rest.split('/').next().unwrap_or_default().to_owned(),
    }
}

/// A canned ACL that opens an object or bucket to anyone (S3's and GCS's
/// names, gsutil's and gcloud's spellings).
pub fn is_public_acl(acl: &str) -> bool {
    matches!(
        acl,
        "public-read"
            | "public-read-write"
            | "authenticated-read"
            | "publicRead"
            | "publicReadWrite"
            | "authenticatedRead"
    )
}

/// Text that grants to everyone: S3's `AllUsers`/`AuthenticatedUsers`
/// groups, GCS's `allUsers`/`allAuthenticatedUsers` and `all_users`
/// grantees, a bucket policy whose principal is `*`.
pub fn grants_everyone(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("/global/AllUsers")
        || compact.contains("/global/AuthenticatedUsers")
        || compact.contains("allUsers")
        || compact.contains("allAuthenticatedUsers")
        || compact.contains("all_users")
        || compact.contains("\"Principal\":\"*\"")
        || compact.contains("\"AWS\":\"*\"")
        || compact.contains("\"AWS\":[\"*\"")
}

/// `aws [global options] SERVICE COMMAND ...`; its S3 requests go where
/// its endpoint says ([`at_endpoint`]): `--endpoint-url`, else
/// `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`.
fn aws(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = aws_calls(inv);
    if let Some(endpoint) = aws_endpoint(inv) {
        at_endpoint(&mut outcome, endpoint);
    }
    outcome
}

/// The endpoint an `aws` command is given, in the CLI's order of precedence.
pub(in crate::commands) fn aws_endpoint<'a>(inv: &'a Invocation<'_>) -> Option<&'a str> {
    inv.args
        .iter()
        .position(|a| a.text == "--endpoint-url")
        .and_then(|i| inv.args.get(i + 1))
        .map(|a| a.text.as_str())
        .or_else(|| {
            inv.args
                .iter()
                .find_map(|a| a.text.strip_prefix("--endpoint-url="))
        })
        .or_else(|| {
            inv.env_value("AWS_ENDPOINT_URL_S3")
                .map(|a| a.text.as_str())
        })
        .or_else(|| inv.env_value("AWS_ENDPOINT_URL").map(|a| a.text.as_str()))
}

/// An S3 client pointed at another S3-compatible service (MinIO, R2,
/// Wasabi, a partner's store) by its endpoint: the buckets it names live on
/// that host, so its uploads and downloads go to `ENDPOINT/BUCKET/KEY`
/// (path style), and the host decides whose they are. A bucket's name says
/// whose it is only on AWS S3 itself (whose own endpoints change nothing):
/// anyone may name a bucket on their own server after the organisation's.
/// Deletes keep the bucket's name, so deleting a bucket the organisation
/// lists stays a destruction of it wherever it is served. Against an
/// emulator on this machine (LocalStack, a local MinIO) the calls never
/// leave it: only the local files it reads and writes remain.
pub(in crate::commands) fn at_endpoint(outcome: &mut Outcome, endpoint: &str) {
    if is_loopback_url(endpoint) {
        keep_local(outcome);
        return;
    }
    let Some(base) = endpoint_base(endpoint) else {
        return;
    };
    for effect in &mut outcome.effects {
        if let Effect::Request(request) = effect
            && let Target::Url { url } = &mut request.target
            && let Some(object) = url.strip_prefix("s3://")
        {
            *url = format!("{base}/{object}");
        }
    }
}

/// The base URL of an endpoint (a bare `host[:port]`, as s3cmd's `--host`
/// takes it, is HTTPS); `None` for AWS S3's own endpoints (regional, FIPS,
/// dual-stack, VPC), where a bucket is the S3 bucket of that name.
fn endpoint_base(endpoint: &str) -> Option<String> {
    let endpoint = endpoint.trim().trim_end_matches('/');
    if endpoint.is_empty() {
        return None;
    }
    let base = if endpoint.contains("://") {
        endpoint.to_owned()
    } else {
        format!("https://{endpoint}")
    };
    let authority = base
        .split_once("://")
        .map_or("", |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
        .split(':')
        .next()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let on_aws = host == "amazonaws.com"
        || host.ends_with(".amazonaws.com")
        || host.ends_with(".amazonaws.com.cn");
    (!on_aws).then_some(base)
}

/// An `aws` call given a policy document as `file://PATH` ([`POLICY_OPTIONS`])
/// whose file was written earlier on the line or by an earlier step, with
/// text that is known (`cat > trust.json <<EOF ... EOF`, a file tool's
/// write): the call is read again with the document in place of the
/// reference, so who it admits is judged as for an inline document. The
/// file is still read. Google Cloud's policy files, given to `gcloud ...
/// set-iam-policy` and `gsutil iam set`, are read by
/// [`gcp_policy::written_policy_file`].
pub(crate) fn written_policies(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &super::runners::Lookup<'_>,
) {
    if inv.program != "aws" {
        gcp_policy::written_policy_file(inv, outcome, text_of);
        return;
    }
    let mut args: Vec<Arg> = inv.args.to_vec();
    let mut substituted = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let text = args.get(index).map_or_else(String::new, |a| a.text.clone());
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (text.as_str(), None),
        };
        if !POLICY_OPTIONS.contains(&name) {
            index += 1;
            continue;
        }
        let (at, value) = match inline {
            Some(value) => (index, value.to_owned()),
            None => (
                index + 1,
                args.get(index + 1)
                    .map_or_else(String::new, |a| a.text.clone()),
            ),
        };
        if let Some(path) = value.strip_prefix("file://").map(|p| inv.path(p))
            && let Some(document) = text_of(&path)
            && let Some(arg) = args.get_mut(at)
        {
            *arg = Arg::literal(&match inline {
                Some(_) => format!("{name}={document}"),
                None => document,
            });
            substituted.push(path);
        }
        index = at + 1;
    }
    if substituted.is_empty() {
        return;
    }
    let again = aws(&inv.with_args(&args));
    outcome.effects = substituted
        .into_iter()
        .map(|path| super::read(path, false))
        .chain(again.effects)
        .collect();
}

/// Keeps only what a command against an emulator on this machine does
/// here: the files it reads (what it uploads among them), writes and
/// deletes.
fn keep_local(outcome: &mut Outcome) {
    let effects = std::mem::take(&mut outcome.effects);
    for effect in effects {
        match effect {
            Effect::Read { .. }
            | Effect::Write { .. }
            | Effect::Delete { .. }
            | Effect::DeleteNamed { .. } => outcome.effects.push(effect),
            // What it uploads it reads.
            Effect::Request(request) => {
                for file in request.payload.files {
                    outcome.effects.push(Effect::Read { file });
                }
            }
            _ => {}
        }
    }
}

/// Options of s5cmd (global and its commands') that take a value.
const S5CMD_LONG: &[&str] = &[
    "credentials-file",
    "endpoint-url",
    "log",
    "numworkers",
    "profile",
    "request-payer",
    "retry-count",
    "storage-class",
    "concurrency",
    "part-size",
    "sse",
    "sse-kms-key-id",
    "acl",
    "cache-control",
    "expires",
    "content-type",
    "content-encoding",
    "content-disposition",
    "metadata",
    "metadata-directive",
    "exclude",
    "include",
    "version-id",
    "source-region",
    "destination-region",
];

/// True when an object URL's key ends in a wildcard (`s3://b/*`,
/// `s3://b/logs/2020*`): s5cmd's wildcards match across `/`, so it names
/// every object under the prefix.
fn wildcard_prefix(text: &str) -> bool {
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    rest.contains('/') && rest.ends_with('*')
}

/// `s5cmd [global options] COMMAND [options] ARGS`: `cp`, `mv` and `sync`
/// copy as `aws s3` does (a local directory or wildcard is copied whole; a
/// remote wildcard names every object under its prefix), `--acl
/// public-read` opens what it uploads; `rm` deletes each object or
/// pattern (`s5cmd rm 's3://b/*'` every object), `rb` the bucket; `pipe`
/// uploads standard input and `cat` downloads. `--dry-run` does nothing;
/// an endpoint (`--endpoint-url`, `S3_ENDPOINT_URL`) moves the requests to
/// its host ([`at_endpoint`]).
fn s5cmd(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rcp",
            long: S5CMD_LONG,
            stop_after: None,
        },
    );
    if args::has(&items, &["--dry-run"]) {
        return Outcome::default();
    }
    let positional = args::positionals(&items);
    let Some((command, operands)) = positional.split_first() else {
        return Outcome::default();
    };
    let acl_public = args::value(&items, &["--acl"]).is_some_and(|a| is_public_acl(&a.text));
    let mut outcome = Outcome::default();
    match command.text.as_str() {
        verb @ ("cp" | "mv" | "sync") => {
            if let Some((destination, sources)) = operands.split_last() {
                for source in sources {
                    let copy = S3Copy {
                        program: "s5cmd",
                        command: verb,
                        recursive: !source.text.starts_with("s3://")
                            || wildcard_prefix(&source.text),
                        acl_public,
                    };
                    s3_copy(inv, &copy, source, destination, &mut outcome);
                }
            }
        }
        "rm" => {
            for target in operands.iter().filter(|t| t.text.starts_with("s3://")) {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&target.text),
                    recursive: wildcard_prefix(&target.text),
                });
            }
        }
        "rb" => {
            for target in operands.iter().filter(|t| t.text.starts_with("s3://")) {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&target.text),
                    recursive: true,
                });
            }
        }
        "pipe" => {
            if let Some(destination) = operands.first() {
                outcome.effects.push(request(
                    "s5cmd",
                    url(&destination.text),
                    "UPLOAD",
                    inv.stdin.clone(),
                    acl_public,
                ));
                if acl_public {
                    outcome.effects.push(Effect::MakePublic {
                        resource: bucket("s3", &destination.text),
                    });
                }
            }
        }
        "cat" => {
            for source in operands.iter().filter(|s| s.text.starts_with("s3://")) {
                outcome.effects.push(request(
                    "s5cmd",
                    url(&source.text),
                    "DOWNLOAD",
                    Payload::default(),
                    false,
                ));
            }
        }
        _ => {}
    }
    if let Some(endpoint) =
        args::value(&items, &["--endpoint-url"]).or_else(|| inv.env_value("S3_ENDPOINT_URL"))
    {
        at_endpoint(&mut outcome, &endpoint.text);
    }
    outcome
}

/// True when `url`'s host is this machine (`localhost`, `127.0.0.1`, `[::1]`).
pub(super) fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    crate::is_loopback_host(host)
}

fn aws_calls(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: AWS_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let service = positional
        .first()
        .map(|a| a.text.as_str())
        .unwrap_or_default();
    let command = positional
        .get(1)
        .map(|a| a.text.as_str())
        .unwrap_or_default();
    let operands: Vec<&Arg> = positional.iter().skip(2).copied().collect();
    let mut outcome = Outcome::default();
    // `aws s3 ... --dryrun` and `aws ec2 ... --dry-run` only show what
    // they would do.
    if args::has(&items, &["--dryrun", "--dry-run"]) {
        return outcome;
    }
    for (_, v) in args::options(&items) {
        for prefix in ["file://", "fileb://"] {
            if let Some(path) = v.text.strip_prefix(prefix) {
                outcome.read(inv.path(path), false);
            }
        }
    }
    match (service, command) {
        ("s3", "cp" | "mv" | "sync") => {
            if let [source, destination, ..] = operands.as_slice() {
                let copy = S3Copy {
                    program: "aws",
                    command,
                    recursive: command == "sync" || args::has(&items, &["--recursive"]),
                    acl_public: args::value(&items, &["--acl"])
                        .is_some_and(|a| is_public_acl(&a.text))
                        || args::value(&items, &["--grants"])
                            .is_some_and(|g| grants_everyone(&g.text)),
                };
                s3_copy(inv, &copy, source, destination, &mut outcome);
            }
        }
        ("s3", "rm") => {
            let recursive = args::has(&items, &["--recursive"]);
            for target in operands {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&target.text),
                    recursive,
                });
            }
        }
        ("s3", "rb") => {
            for target in operands {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&target.text),
                    recursive: true,
                });
            }
        }
        // The object's body goes to the bucket.
        ("s3api", "put-object" | "upload-part") => {
            if let Some(name) = args::value(&items, &["--bucket"]) {
                let key = args::value(&items, &["--key"]).map_or("", |k| k.text.as_str());
                let mut payload = Payload::default();
                if let Some(body) = args::value(&items, &["--body"]) {
                    super::send_file(inv, &mut payload, &body.text, false);
                }
                outcome.effects.push(request(
                    "aws",
                    url(&format!("s3://{}/{key}", name.text)),
                    "UPLOAD",
                    payload,
                    false,
                ));
            }
            s3api(command, &items, &mut outcome);
        }
        ("s3api", "get-object" | "delete-object" | "copy-object") => {
            object_call(inv, command, &items, &operands, &mut outcome);
            s3api(command, &items, &mut outcome);
        }
        // The API call behind `aws s3 rb`.
        ("s3api", "delete-bucket") => {
            if let Some(name) = args::value(&items, &["--bucket"]) {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&format!("s3://{}", name.text)),
                    recursive: true,
                });
            }
        }
        ("s3api", _) => s3api(command, &items, &mut outcome),
        ("iam", _) => iam(command, &items, &mut outcome),
        ("identitystore" | "sso-admin" | "cognito-idp", _) => {
            outcome
                .effects
                .extend(directory_grant(service, command, &items));
        }
        ("lambda", "add-permission" | "add-layer-version-permission")
        | ("events", "put-permission") => {
            principal_permission(service, command, &items, &mut outcome)
        }
        ("ec2", "authorize-security-group-ingress") => ingress(&items, &mut outcome),
        ("ec2", "modify-snapshot-attribute" | "modify-image-attribute")
        | ("rds", "modify-db-snapshot-attribute" | "modify-db-cluster-snapshot-attribute") => {
            outcome.effects.extend(image_permission(&items));
        }
        ("iot", "create-job" | "create-ota-update") | ("greengrassv2", "create-deployment") => {
            let job = args::value(&items, &["--job-id"]).map(|j| j.text.as_str());
            for group in thing_groups(inv.args) {
                outcome
                    .effects
                    .extend(super::deploy::environment_changes("aws", group, job));
            }
        }
        (
            "ses" | "sesv2",
            "send-email"
            | "send-templated-email"
            | "send-bulk-templated-email"
            | "send-bulk-email"
            | "send-raw-email",
        )
        | ("sns", "publish")
        | ("pinpoint", "send-messages" | "send-users-messages")
        | ("pinpoint-sms-voice-v2", "send-text-message" | "send-voice-message") => {
            ses_send(inv, &items, &operands, &mut outcome)
        }
        // Its context is the cluster's ARN, which ends in its name, or the alias.
        ("eks", "update-kubeconfig") => {
            if let Some(name) = args::value(&items, &["--alias"])
                .map(|a| a.text.clone())
                .or_else(|| {
                    args::value(&items, &["--name"])
                        .map(|n| format!("arn:aws:eks:cluster/{}", n.text))
                })
            {
                outcome.effects.push(super::infra::use_context(name));
            }
        }
        ("ecs", _) => super::orchestrators::aws_ecs(inv, command, &mut outcome),
        _ => outcome.effects.extend(
            resource_access(service, command, &items)
                .or_else(|| policy_attributes(service, command, &items)),
        ),
    }
    let profile = args::value(&items, &["--profile"])
        .or_else(|| inv.env_value("AWS_PROFILE"))
        .or_else(|| inv.env_value("AWS_DEFAULT_PROFILE"));
    let previews = service == "cloudformation" && cloudformation::previews(command, &items);
    // A stack's name is the environment it holds (`--stack-name ledger-prod`).
    if service == "cloudformation"
        && !previews
        && cloudformation::changes_stack(command)
        && let Some(stack) = args::value(&items, &["--stack-name"])
        && super::deploy::names_parts(&stack.text)
    {
        outcome.effects.extend(super::deploy::environment_changes(
            "aws",
            &stack.text,
            Some(&stack.text),
        ));
    }
    if let Some(profile) = profile
        && changes_account(service, command)
        && !previews
        && !changes_access(outcome.effects.iter())
    {
        outcome.effects.extend(super::deploy::environment_changes(
            "aws",
            &profile.text,
            None,
        ));
    }
    outcome
}

/// The object calls behind `aws s3 cp|rm`: `s3api get-object --bucket B
/// --key K OUTFILE` downloads the object into OUTFILE, `delete-object`
/// deletes it, `copy-object --copy-source SRC/KEY` writes a copy of SRC's
/// object at B/K.
fn object_call(
    inv: &Invocation<'_>,
    command: &str,
    items: &[Item],
    operands: &[&Arg],
    outcome: &mut Outcome,
) {
    let Some(name) = args::value(items, &["--bucket"]) else {
        return;
    };
    let key = args::value(items, &["--key"]).map_or("", |k| k.text.as_str());
    let object = format!("s3://{}/{key}", name.text);
    match command {
        "get-object" => {
            outcome.effects.push(request(
                "aws",
                url(&object),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
            if let Some(file) = operands.first().filter(|f| f.text != "-") {
                outcome.write(inv.path(&file.text), false);
            }
        }
        "delete-object" => outcome.effects.push(Effect::RemoteDelete {
            target: url(&object),
            recursive: false,
        }),
        _ => {
            let mut payload = Payload::default();
            if let Some(source) = args::value(items, &["--copy-source"]) {
                flow::push_text(&mut payload, &format!("s3://{}", source.text));
            }
            outcome
                .effects
                .push(request("aws", url(&object), "UPLOAD", payload, false));
        }
    }
}

/// An AWS CLI command that changes resources in the account its profile
/// names (`ec2 terminate-instances`, `route53 change-resource-record-sets`),
/// not the `s3` transfers, which are their own effects, nor commands that
/// set up this machine (`configure`, `eks update-kubeconfig`, logins).
fn changes_account(service: &str, command: &str) -> bool {
    !matches!(service, "s3" | "configure" | "sts" | "sso" | "sso-oidc")
        && command != "update-kubeconfig"
        && super::deploy::first_verb_changes([command]) == Some(true)
}

/// The thing groups an IoT job or deployment targets
/// (`arn:aws:iot:REGION:ACCOUNT:thinggroup/NAME`): the fleets it releases to.
fn thing_groups(words: &[Arg]) -> Vec<&str> {
    words
        .iter()
        .flat_map(|w| w.text.split(":thinggroup/").skip(1))
        .filter_map(|rest| rest.split([',', ' ', '"', '\'', ']']).next())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Who may use a machine image or snapshot: `aws ec2 modify-image-attribute
/// --launch-permission 'Add=[{Group=all}]'` (or `--operation-type add
/// --user-groups all`), `modify-snapshot-attribute
/// --create-volume-permission ...` (or `--group-names all`), and RDS's
/// `modify-db-snapshot-attribute --attribute-name restore --values-to-add
/// all`. Group `all` makes it public; account ids are given access.
fn image_permission(items: &[Item]) -> Option<Effect> {
    let value = |names: &[&str]| args::value(items, names).map(|v| v.text.as_str());
    let name = value(&[
        "--image-id",
        "--snapshot-id",
        "--db-snapshot-identifier",
        "--db-cluster-snapshot-identifier",
    ])
    .unwrap_or_default();
    let resource = Resource::Other {
        name: name.to_owned(),
    };
    let adds = value(&["--operation-type"]).is_some_and(|o| o.eq_ignore_ascii_case("add"));
    let mut grantees: Vec<String> = Vec::new();
    let mut public = false;
    if adds {
        public = args::values(items, &["--group-names", "--user-groups"])
            .iter()
            .any(|g| g.text.split(',').any(|g| g.trim() == "all"));
        grantees.extend(
            args::values(items, &["--user-ids"])
                .iter()
                .map(|u| u.text.clone()),
        );
    }
    for added in args::values(items, &["--values-to-add"]) {
        public |= added.text.split(',').any(|v| v.trim() == "all");
        grantees.push(added.text.clone());
    }
    // `Add=[{Group=all}]`, `{"Add":[{"Group":"all"}]}`: what follows `Add`,
    // up to `Remove`.
    for permission in args::values(
        items,
        &["--launch-permission", "--create-volume-permission"],
    ) {
        let compact: String = permission
            .text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .collect::<String>()
            .to_ascii_lowercase();
        let Some(at) = compact.find("add") else {
            continue;
        };
        let added = compact.get(at..).unwrap_or_default();
        let added = added
            .find("remove")
            .map_or(added, |end| added.get(..end).unwrap_or_default());
        public |= added.contains("group=all") || added.contains("group:all");
        if added.contains("userid") {
            grantees.push(permission.text.clone());
        }
    }
    if public {
        Some(Effect::MakePublic { resource })
    } else {
        (!grantees.is_empty()).then(|| Effect::GrantAccess {
            resource,
            grantee: Some(grantees.join(", ")),
        })
    }
}

/// `s3cmd COMMAND ...`: `put`/`sync`/`cp`/`mv`/`get` copy (the last operand
/// is the destination), `del`/`rm`/`rb` delete, `setacl --acl-public` and
/// `--acl-public` on a copy open objects to anyone. `--host HOST[:PORT]`
/// names the S3-compatible service the buckets are on ([`at_endpoint`]).
fn s3cmd(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "c",
            long: &[
                "config",
                "access_key",
                "secret_key",
                "region",
                "exclude",
                "include",
                "rexclude",
                "rinclude",
                "acl-grant",
                "acl-revoke",
                "mime-type",
                "storage-class",
                "encoding",
                "host",
                "host-bucket",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let Some((command, operands)) = positional.split_first() else {
        return Outcome::default();
    };
    let mut outcome = Outcome::default();
    let recursive = args::has(&items, &["-r", "--recursive"]);
    let acl_public = args::has(&items, &["-P", "--acl-public"])
        || args::values(&items, &["--acl-grant"])
            .iter()
            .any(|g| grants_everyone(&g.text));
    match command.text.as_str() {
        verb @ ("put" | "sync" | "cp" | "mv" | "get" | "modify") => {
            let Some((destination, sources)) = operands.split_last() else {
                return outcome;
            };
            let command = match verb {
                "put" | "get" | "modify" => "cp",
                other => other,
            };
            let copy = S3Copy {
                program: "aws",
                command,
                recursive: recursive || command == "sync",
                acl_public,
            };
            for source in sources {
                s3_copy(inv, &copy, source, destination, &mut outcome);
            }
        }
        "del" | "rm" | "rb" => {
            let whole = command.text == "rb";
            for target in operands {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&target.text),
                    recursive: recursive || whole,
                });
            }
        }
        "setacl" if acl_public => {
            for target in operands {
                outcome.effects.push(Effect::MakePublic {
                    resource: bucket("s3", &target.text),
                });
            }
        }
        _ => {}
    }
    if let Some(host) = args::value(&items, &["--host"]) {
        at_endpoint(&mut outcome, &host.text);
    }
    outcome
}

/// `aws ses send-email --to A [B...] --subject S --text T` (and
/// `--destination ToAddresses=A,CcAddresses=B`, `--message`, sesv2's
/// `--content`, the templated and bulk sends), `aws sns publish
/// --phone-number +1...`, Pinpoint's `send-messages` (its addresses map)
/// and SMS sends: a message to every address or phone number named.
fn ses_send(inv: &Invocation<'_>, items: &[Item], operands: &[&Arg], outcome: &mut Outcome) {
    let mut recipients: Vec<String> = Vec::new();
    let mut add = |text: &str| {
        for token in text.split([',', '=', ' ', '[', ']', '"', '\'', '{', '}', ':']) {
            let phone = token.starts_with('+')
                && token.len() > 7
                && token[1..].bytes().all(|b| b.is_ascii_digit());
            if (token.contains('@') || phone) && !recipients.iter().any(|r| r == token) {
                recipients.push(token.to_owned());
            }
        }
    };
    for value in args::values(
        items,
        &[
            "--to",
            "--cc",
            "--bcc",
            "--destination",
            "--destinations",
            "--bulk-email-entries",
            "--phone-number",
            "--destination-phone-number",
            "--message-request",
            "--send-users-message-request",
        ],
    ) {
        add(&value.text);
    }
    // `--to a@x b@y`: the further addresses are left as operands.
    for operand in operands {
        add(&operand.text);
    }
    let mut payload = Payload::default();
    for value in args::values(
        items,
        &[
            "--subject",
            "--text",
            "--html",
            "--message",
            "--content",
            "--template-data",
            "--default-template-data",
            "--message-body",
            "--message-request",
        ],
    ) {
        if let Some(path) = value.text.strip_prefix("file://") {
            flow::push_file(
                &mut payload,
                FileRef {
                    path: inv.path(path),
                    recursive: false,
                    excludes: Vec::new(),
                },
            );
        } else {
            flow::merge(&mut payload, &value.payload());
        }
    }
    if !recipients.is_empty() {
        outcome.effects.push(Effect::Message(crate::Message {
            program: "aws ses".to_owned(),
            recipients,
            payload,
        }));
    }
}

/// How an S3 copy runs: `cp`, `mv` (the source goes) or `sync`.
struct S3Copy<'a> {
    /// The program its requests are reported as.
    program: &'a str,
    command: &'a str,
    recursive: bool,
    /// The objects are made readable by anyone.
    acl_public: bool,
}

/// An S3 copy from `source` to `destination` (`aws s3 cp|mv|sync`,
/// `s3cmd put|get|sync|cp|mv`, `s5cmd cp|mv|sync`); either side may be
/// local. A move between buckets keeps every object at its new address:
/// an upload there, not a destruction of the source.
fn s3_copy(
    inv: &Invocation<'_>,
    copy: &S3Copy<'_>,
    source: &Arg,
    destination: &Arg,
    outcome: &mut Outcome,
) {
    // `sync --delete` prunes what the source lacks: an upload that replaces
    // the prefix, not a delete of the bucket (`rb`, `rm --recursive`).
    let &S3Copy {
        program,
        command,
        recursive,
        acl_public,
    } = copy;
    let remote = |text: &str| text.starts_with("s3://");
    match (remote(&source.text), remote(&destination.text)) {
        (false, true) => {
            let mut payload = Payload::default();
            if source.text != "-" {
                flow::push_file(
                    &mut payload,
                    FileRef {
                        path: inv.path(&source.text),
                        recursive,
                        excludes: Vec::new(),
                    },
                );
            }
            flow::merge(&mut payload, &source.expansions());
            outcome.effects.push(request(
                program,
                url(&destination.text),
                "UPLOAD",
                payload,
                acl_public,
            ));
            if command == "mv" {
                outcome.delete(inv.path(&source.text), recursive);
            }
        }
        (true, false) => {
            outcome.effects.push(request(
                program,
                url(&source.text),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
            if command == "mv" {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&source.text),
                    recursive,
                });
            }
            if destination.text != "-" {
                outcome.write(inv.path(&destination.text), false);
            }
        }
        (true, true) => {
            let mut payload = Payload::default();
            flow::push_text(&mut payload, &source.text);
            outcome.effects.push(request(
                program,
                url(&destination.text),
                "UPLOAD",
                payload,
                acl_public,
            ));
        }
        (false, false) => {}
    }
    if acl_public && remote(&destination.text) {
        outcome.effects.push(Effect::MakePublic {
            resource: bucket("s3", &destination.text),
        });
    }
}

fn s3api(command: &str, items: &[Item], outcome: &mut Outcome) {
    let Some(name) = args::value(items, &["--bucket"]) else {
        return;
    };
    let resource = bucket("s3", &name.text);
    let public = match command {
        "put-bucket-acl" | "put-object-acl" | "put-object" | "copy-object" | "create-bucket" => {
            args::value(items, &["--acl"]).is_some_and(|a| is_public_acl(&a.text))
                || args::values(
                    items,
                    &[
                        "--grant-read",
                        "--grant-full-control",
                        "--grant-write",
                        "--grant-read-acp",
                        "--access-control-policy",
                    ],
                )
                .iter()
                .any(|g| grants_everyone(&g.text))
        }
        "put-bucket-policy" => {
            args::value(items, &["--policy"]).is_some_and(|p| policy::opens_to_everyone(&p.text))
        }
        "delete-public-access-block" => true,
        "put-public-access-block" => args::value(items, &["--public-access-block-configuration"])
            .is_some_and(|c| {
                c.text.replace(' ', "").contains("BlockPublicPolicy=false")
                    || c.text
                        .replace(' ', "")
                        .contains("\"BlockPublicPolicy\":false")
            }),
        _ => false,
    };
    if public {
        outcome.effects.push(Effect::MakePublic { resource });
        return;
    }
    // Not public, but still a change of who may do what with the bucket.
    let grantee = match command {
        // The accounts and roles it names are given access.
        "put-bucket-policy" => Some(
            args::value(items, &["--policy"])
                .and_then(|p| policy::reach(&p.text))
                .and_then(|r| r.grantee()),
        ),
        "put-bucket-acl" | "put-object-acl" => {
            let grants: Vec<String> = args::values(
                items,
                &[
                    "--grant-read",
                    "--grant-full-control",
                    "--grant-write",
                    "--grant-write-acp",
                    "--grant-read-acp",
                ],
            )
            .iter()
            .map(|g| g.text.clone())
            .collect();
            (!grants.is_empty()).then(|| Some(grants.join(", ")))
        }
        _ => None,
    };
    if let Some(grantee) = grantee {
        outcome
            .effects
            .push(Effect::GrantAccess { resource, grantee });
    }
}

/// Group membership and permission-set assignments in AWS's directories:
/// `aws identitystore create-group-membership|delete-group-membership
/// --group-id G --member-id UserId=U` (or `--membership-id`), `aws
/// sso-admin create-account-assignment|delete-account-assignment
/// --target-id ACCOUNT --permission-set-arn P --principal-id U` (and an
/// application's `create-application-assignment`), and Cognito's
/// `admin-add-user-to-group|admin-remove-user-from-group --user-pool-id P
/// --username U --group-name G`: each changes what the member may do. A
/// permission set's policies ([`PERMISSION_SET_CHANGES`]) change what
/// everyone assigned it may do, in every account it is provisioned to.
fn directory_grant(service: &str, command: &str, items: &[Item]) -> Option<Effect> {
    let value = |names: &[&str]| args::value(items, names).map(|a| a.text.clone());
    let (resource, grantee) = match (service, command) {
        ("sso-admin", _) if PERMISSION_SET_CHANGES.contains(&command) => (
            value(&["--permission-set-arn"]).map(|p| format!("permission set {p}")),
            None,
        ),
        ("sso-admin", "create-application-assignment" | "delete-application-assignment") => (
            value(&["--application-arn"]).map(|a| format!("application {a}")),
            value(&["--principal-id"]),
        ),
        ("identitystore", "create-group-membership" | "delete-group-membership") => (
            value(&["--group-id"])
                .or_else(|| value(&["--membership-id"]).map(|m| format!("membership {m}")))
                .map(|g| format!("identitystore group {g}")),
            value(&["--member-id"]),
        ),
        ("sso-admin", "create-account-assignment" | "delete-account-assignment") => (
            value(&["--target-id"]).map(|t| format!("aws account {t}")),
            value(&["--principal-id"]),
        ),
        ("cognito-idp", "admin-add-user-to-group" | "admin-remove-user-from-group") => (
            value(&["--group-name"]).map(|g| {
                let pool = value(&["--user-pool-id"]).unwrap_or_default();
                format!("cognito group {pool}/{g}")
            }),
            value(&["--username"]),
        ),
        _ => return None,
    };
    Some(Effect::GrantAccess {
        resource: Resource::Other {
            name: resource.unwrap_or_else(|| format!("aws {service}")),
        },
        grantee,
    })
}

/// `aws sso-admin` calls that change what a permission set allows (its
/// managed, customer-managed and inline policies and its permissions
/// boundary) or push it to the accounts it is assigned in
/// (`provision-permission-set`).
const PERMISSION_SET_CHANGES: &[&str] = &[
    "attach-managed-policy-to-permission-set",
    "detach-managed-policy-from-permission-set",
    "attach-customer-managed-policy-reference-to-permission-set",
    "detach-customer-managed-policy-reference-from-permission-set",
    "put-inline-policy-to-permission-set",
    "delete-inline-policy-from-permission-set",
    "put-permissions-boundary-to-permission-set",
    "delete-permissions-boundary-from-permission-set",
    "provision-permission-set",
];

/// How an AWS call beyond IAM changes who may use a resource.
struct ResourceAccess {
    service: &'static str,
    command: &'static str,
    /// Options naming the resource.
    resource: &'static [&'static str],
    /// Options naming who is given (or loses) access.
    grantee: &'static [&'static str],
    /// Options holding the resource policy or grant entries that say who.
    policy: &'static [&'static str],
}

const fn access(
    service: &'static str,
    command: &'static str,
    resource: &'static [&'static str],
    grantee: &'static [&'static str],
    policy: &'static [&'static str],
) -> ResourceAccess {
    ResourceAccess {
        service,
        command,
        resource,
        grantee,
        policy,
    }
}

/// Lake Formation's grants and revokes (and its administrators), KMS
/// grants and key policies, RAM shares, and the resource policies of
/// secrets, ECR repositories, Glue catalogs, SNS topics and SQS queues.
const AWS_RESOURCE_ACCESS: &[ResourceAccess] = &[
    access(
        "lakeformation",
        "grant-permissions",
        &["--resource"],
        &["--principal"],
        &[],
    ),
    access(
        "lakeformation",
        "revoke-permissions",
        &["--resource"],
        &["--principal"],
        &[],
    ),
    access(
        "lakeformation",
        "batch-grant-permissions",
        &["--catalog-id"],
        &[],
        &["--entries"],
    ),
    access(
        "lakeformation",
        "batch-revoke-permissions",
        &["--catalog-id"],
        &[],
        &["--entries"],
    ),
    access(
        "lakeformation",
        "put-data-lake-settings",
        &["--catalog-id"],
        &[],
        &["--data-lake-settings"],
    ),
    access(
        "kms",
        "create-grant",
        &["--key-id"],
        &["--grantee-principal"],
        &[],
    ),
    access("kms", "revoke-grant", &["--key-id"], &["--grant-id"], &[]),
    access("kms", "retire-grant", &["--key-id"], &["--grant-id"], &[]),
    access("kms", "put-key-policy", &["--key-id"], &[], &["--policy"]),
    access(
        "ram",
        "create-resource-share",
        &["--resource-arns", "--name"],
        &["--principals"],
        &[],
    ),
    access(
        "ram",
        "associate-resource-share",
        &["--resource-share-arn"],
        &["--principals"],
        &[],
    ),
    access(
        "ram",
        "disassociate-resource-share",
        &["--resource-share-arn"],
        &["--principals"],
        &[],
    ),
    access(
        "secretsmanager",
        "put-resource-policy",
        &["--secret-id"],
        &[],
        &["--resource-policy"],
    ),
    access(
        "ecr",
        "set-repository-policy",
        &["--repository-name"],
        &[],
        &["--policy-text"],
    ),
    access(
        "glue",
        "put-resource-policy",
        &["--resource-arn"],
        &[],
        &["--policy-in-json"],
    ),
    access(
        "sns",
        "add-permission",
        &["--topic-arn"],
        &["--aws-account-id"],
        &[],
    ),
    access(
        "sns",
        "remove-permission",
        &["--topic-arn"],
        &["--label"],
        &[],
    ),
    access(
        "sqs",
        "add-permission",
        &["--queue-url"],
        &["--aws-account-ids"],
        &[],
    ),
    access(
        "sqs",
        "remove-permission",
        &["--queue-url"],
        &["--label"],
        &[],
    ),
    access(
        "logs",
        "put-resource-policy",
        &["--policy-name"],
        &[],
        &["--policy-document"],
    ),
    access(
        "efs",
        "put-file-system-policy",
        &["--file-system-id"],
        &[],
        &["--policy"],
    ),
    access(
        "glacier",
        "set-vault-access-policy",
        &["--vault-name"],
        &[],
        &["--policy"],
    ),
    access(
        "backup",
        "put-backup-vault-access-policy",
        &["--backup-vault-name"],
        &[],
        &["--policy"],
    ),
    access(
        "s3control",
        "put-access-point-policy",
        &["--name"],
        &[],
        &["--policy"],
    ),
    access(
        "codeartifact",
        "put-repository-permissions-policy",
        &["--repository", "--domain"],
        &[],
        &["--policy-document"],
    ),
    access(
        "codeartifact",
        "put-domain-permissions-policy",
        &["--domain"],
        &[],
        &["--policy-document"],
    ),
    access("ecr", "put-registry-policy", &[], &[], &["--policy-text"]),
    access(
        "ecr-public",
        "set-repository-policy",
        &["--repository-name"],
        &[],
        &["--policy-text"],
    ),
    access(
        "mediastore",
        "put-container-policy",
        &["--container-name"],
        &[],
        &["--policy"],
    ),
    access(
        "ec2",
        "modify-vpc-endpoint-service-permissions",
        &["--service-id"],
        &["--add-allowed-principals", "--remove-allowed-principals"],
        &[],
    ),
];

/// The access change an [`AWS_RESOURCE_ACCESS`] call makes. A grantee `*`
/// or a policy that names everyone (`"Principal":"*"`, [`grants_everyone`])
/// makes the resource public, unless the policy has a condition (the
/// documented way to admit only an organisation's accounts); Lake
/// Formation's `DataLakePrincipalIdentifier=ARN` names the principal ARN.
fn resource_access(service: &str, command: &str, items: &[Item]) -> Option<Effect> {
    let call = AWS_RESOURCE_ACCESS
        .iter()
        .find(|a| a.service == service && a.command == command)?;
    let resource = Resource::Other {
        name: args::value(items, call.resource).map_or_else(
            || format!("aws {service}"),
            |r| format!("{service} {}", r.text),
        ),
    };
    let grantee = args::value(items, call.grantee).map(|g| {
        g.text
            .strip_prefix("DataLakePrincipalIdentifier=")
            .unwrap_or(&g.text)
            .to_owned()
    });
    let takes_away = ["revoke", "retire", "batch-revoke", "remove", "disassociate"]
        .iter()
        .any(|verb| command.starts_with(verb))
        || args::has(items, &["--remove-allowed-principals"]);
    let policies = args::values(items, call.policy);
    let everyone = grantee.as_deref().is_some_and(names_every_account)
        || policies.iter().any(|p| policy::opens_to_everyone(&p.text));
    // Without an option that names who, the accounts the policy names.
    let grantee = grantee.or_else(|| {
        policies
            .iter()
            .find_map(|p| policy::reach(&p.text).and_then(|r| r.grantee()))
    });
    Some(if everyone && !takes_away {
        Effect::MakePublic { resource }
    } else {
        Effect::GrantAccess { resource, grantee }
    })
}

/// A principal list (`*`, `'["*"]'`, `arn:aws:iam::*:root`, accounts
/// separated by commas) that names every AWS account.
fn names_every_account(text: &str) -> bool {
    text.split(|c: char| c == ',' || c == '[' || c == ']' || c == '"' || c.is_whitespace())
        .any(|p| p == "*" || p.split(':').nth(4).is_some_and(|a| a.contains('*')))
}

/// Calls that add a statement for one principal to a resource policy:
/// `aws lambda add-permission` (who may invoke the function), `aws lambda
/// add-layer-version-permission` (who may use the layer), `aws events
/// put-permission` (who may put events on the bus, or a whole `--policy`).
/// `--principal '*'` lets anyone, unless an option narrows it to an
/// organisation, an account or a source (`--principal-org-id`,
/// `--organization-id`, `--source-account`, `--source-arn`, `--condition`).
fn principal_permission(service: &str, command: &str, items: &[Item], outcome: &mut Outcome) {
    let resource = Resource::Other {
        name: match (service, command) {
            ("lambda", "add-permission") => format!(
                "lambda:{}",
                args::value(items, &["--function-name"]).map_or("", |f| f.text.as_str())
            ),
            ("lambda", _) => format!(
                "lambda layer {}",
                args::value(items, &["--layer-name"]).map_or("", |f| f.text.as_str())
            ),
            _ => format!(
                "events {}",
                args::value(items, &["--event-bus-name"]).map_or("default", |f| f.text.as_str())
            ),
        },
    };
    let narrowed = args::has(
        items,
        &[
            "--principal-org-id",
            "--organization-id",
            "--source-account",
            "--source-arn",
            "--condition",
        ],
    );
    let principal = args::value(items, &["--principal"]).map(|p| p.text.clone());
    let document = args::value(items, &["--policy"]);
    let everyone = (principal.as_deref() == Some("*") && !narrowed)
        || document.is_some_and(|p| policy::opens_to_everyone(&p.text));
    if everyone {
        outcome.effects.push(Effect::MakePublic { resource });
        return;
    }
    let grantee = principal.or_else(|| {
        document
            .and_then(|p| policy::reach(&p.text))
            .and_then(|r| r.grantee())
    });
    outcome
        .effects
        .push(Effect::GrantAccess { resource, grantee });
}

/// Calls that set a resource's policy among other attributes, an access
/// change only when a policy is among them: `aws sqs set-queue-attributes
/// --attributes '{"Policy":"..."}'` (and `create-queue`), `aws sns
/// set-topic-attributes --attribute-name Policy --attribute-value DOC`
/// (and `create-topic --attributes`), `aws kms create-key --policy`, and
/// OpenSearch's `--access-policies`. A policy that admits everyone makes
/// the resource public; setting one otherwise changes who may use it
/// (the accounts it names are given access), and creating a resource with
/// one gives access only to the accounts it names.
fn policy_attributes(service: &str, command: &str, items: &[Item]) -> Option<Effect> {
    let (resource, documents) = match (service, command) {
        ("sqs", "set-queue-attributes" | "create-queue") => (
            args::value(items, &["--queue-url", "--queue-name"]),
            args::values(items, &["--attributes"]),
        ),
        ("sns", "create-topic") => (
            args::value(items, &["--name"]),
            args::values(items, &["--attributes"]),
        ),
        ("sns", "set-topic-attributes") => {
            let name = args::value(items, &["--attribute-name"])?;
            if !name.text.eq_ignore_ascii_case("policy") {
                return None;
            }
            (
                args::value(items, &["--topic-arn"]),
                args::values(items, &["--attribute-value"]),
            )
        }
        ("kms", "create-key") => (None, args::values(items, &["--policy"])),
        (
            "opensearch" | "es",
            "create-domain"
            | "update-domain-config"
            | "create-elasticsearch-domain"
            | "update-elasticsearch-domain-config",
        ) => (
            args::value(items, &["--domain-name"]),
            args::values(items, &["--access-policies"]),
        ),
        _ => return None,
    };
    let documents: Vec<&Arg> = documents
        .into_iter()
        .filter(|d| policy::carries_policy(&d.text))
        .collect();
    if documents.is_empty() {
        return None;
    }
    let resource = Resource::Other {
        name: resource.map_or_else(
            || format!("aws {service}"),
            |r| format!("{service} {}", r.text),
        ),
    };
    if documents.iter().any(|d| policy::opens_to_everyone(&d.text)) {
        return Some(Effect::MakePublic { resource });
    }
    let grantee = documents
        .iter()
        .find_map(|d| policy::reach(&d.text).and_then(|r| r.grantee()));
    let sets = command.starts_with("set-") || command.starts_with("update-");
    (sets || grantee.is_some()).then_some(Effect::GrantAccess { resource, grantee })
}

/// `aws ec2 authorize-security-group-ingress`: opens the group's
/// instances to a network; to every address (`0.0.0.0/0`, `::/0`), to
/// anyone.
fn ingress(items: &[Item], outcome: &mut Outcome) {
    let group = args::value(items, &["--group-id", "--group-name"])
        .map_or_else(String::new, |g| g.text.clone());
    let resource = Resource::Other {
        name: format!("security-group:{group}"),
    };
    let mut sources: Vec<String> = args::values(items, &["--cidr", "--source-group"])
        .iter()
        .map(|c| c.text.clone())
        .collect();
    let permissions = args::values(items, &["--ip-permissions"]);
    let world = |text: &str| text.contains("0.0.0.0/0") || text.contains("::/0");
    if sources.iter().any(|c| world(c)) || permissions.iter().any(|p| world(&p.text)) {
        outcome.effects.push(Effect::MakePublic { resource });
        return;
    }
    sources.extend(permissions.iter().map(|p| p.text.clone()));
    outcome.effects.push(Effect::GrantAccess {
        resource,
        grantee: (!sources.is_empty()).then(|| sources.join(", ")),
    });
}

/// IAM actions that change what a principal may do, by their API names,
/// with the parameter that names what is granted (or taken away: a
/// detached policy or a left group changes access too).
const IAM_GRANTS: &[(&str, Option<&str>)] = &[
    ("AttachUserPolicy", Some("PolicyArn")),
    ("AttachRolePolicy", Some("PolicyArn")),
    ("AttachGroupPolicy", Some("PolicyArn")),
    ("PutUserPolicy", Some("PolicyName")),
    ("PutRolePolicy", Some("PolicyName")),
    ("PutGroupPolicy", Some("PolicyName")),
    ("AddUserToGroup", Some("GroupName")),
    ("RemoveUserFromGroup", Some("GroupName")),
    ("DetachUserPolicy", Some("PolicyArn")),
    ("DetachRolePolicy", Some("PolicyArn")),
    ("DetachGroupPolicy", Some("PolicyArn")),
    ("DeleteUserPolicy", Some("PolicyName")),
    ("DeleteRolePolicy", Some("PolicyName")),
    ("DeleteGroupPolicy", Some("PolicyName")),
    ("CreateAccessKey", None),
    ("CreateLoginProfile", None),
    ("UpdateAssumeRolePolicy", None),
];

/// IAM actions that set a role's trust policy (who may assume it), with
/// the parameter that holds the document.
const IAM_TRUST: &[(&str, &str)] = &[
    ("UpdateAssumeRolePolicy", "PolicyDocument"),
    ("CreateRole", "AssumeRolePolicyDocument"),
];

/// IAM actions that change what a managed policy allows, and so the access
/// of every principal it is attached to: a version made the default.
const IAM_POLICY_VERSIONS: &[&str] = &["CreatePolicyVersion", "SetDefaultPolicyVersion"];

/// The grant an IAM call makes, from its API action name (`AttachUserPolicy`)
/// and its parameters looked up by API name (`UserName`): the resource is
/// the principal whose access changes, the grantee what it is given (a
/// policy ARN or name, or a group). A new default version of a managed
/// policy (`CreatePolicyVersion` with `SetAsDefault=true`,
/// `SetDefaultPolicyVersion`) changes the policy itself, for whoever holds
/// it; a version not made the default changes nothing yet. A trust policy
/// ([`IAM_TRUST`]) that lets any AWS principal assume the role makes it
/// public; one naming accounts or roles gives them the role; a new role
/// trusted only by services or identity providers grants no one. The
/// CLI's `attach-user-policy --user-name` is the same call spelled in kebab
/// case ([`kebab`]).
pub fn iam_grant<'v>(action: &str, param: impl Fn(&str) -> Option<&'v str>) -> Option<Effect> {
    if let Some((_, document)) = IAM_TRUST.iter().find(|(name, _)| *name == action) {
        let role = Resource::Principal {
            name: param("RoleName").unwrap_or_default().to_owned(),
        };
        let reach = param(document).and_then(policy::reach);
        match reach {
            Some(reach) if reach.everyone => return Some(Effect::MakePublic { resource: role }),
            Some(reach) if !reach.principals.is_empty() => {
                return Some(Effect::GrantAccess {
                    resource: role,
                    grantee: reach.grantee(),
                });
            }
            _ if action == "CreateRole" => return None,
            _ => {}
        }
    }
    if IAM_POLICY_VERSIONS.contains(&action) {
        let made_default = action == "SetDefaultPolicyVersion"
            || param("SetAsDefault").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        return made_default.then(|| Effect::GrantAccess {
            resource: Resource::Other {
                name: param("PolicyArn").unwrap_or_default().to_owned(),
            },
            grantee: None,
        });
    }
    let (action, granted_by) = IAM_GRANTS.iter().find(|(name, _)| *name == action)?;
    let principal = if matches!(*action, "AddUserToGroup" | "RemoveUserFromGroup") {
        param("UserName")
    } else {
        ["UserName", "RoleName", "GroupName"]
            .iter()
            .find_map(|key| param(key))
    };
    Some(Effect::GrantAccess {
        resource: Resource::Principal {
            name: principal.unwrap_or_default().to_owned(),
        },
        grantee: granted_by.and_then(&param).map(str::to_owned),
    })
}

/// An AWS API name as the CLI spells it: `AttachUserPolicy` →
/// `attach-user-policy`, `PolicyArn` → `policy-arn`.
fn kebab(api_name: &str) -> String {
    let mut out = String::with_capacity(api_name.len() + 4);
    for (i, c) in api_name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `aws iam COMMAND --param value ...`: [`iam_grant`] with the CLI's names;
/// a boolean flag (`--set-as-default`) is the parameter `true`.
fn iam(command: &str, items: &[Item], outcome: &mut Outcome) {
    let Some(action) = IAM_GRANTS
        .iter()
        .map(|(name, _)| *name)
        .chain(IAM_POLICY_VERSIONS.iter().copied())
        .chain(IAM_TRUST.iter().map(|(name, _)| *name))
        .find(|name| kebab(name) == command)
    else {
        return;
    };
    let param = |key: &str| {
        let option = format!("--{}", kebab(key));
        args::value(items, &[option.as_str()])
            .map(|a| a.text.as_str())
            .or_else(|| args::has(items, &[option.as_str()]).then_some("true"))
    };
    outcome.effects.extend(iam_grant(action, param));
}

/// `npm view PKG`, `cargo info PKG`, `pip download PKG`: a read of what a
/// public registry says of a package (its readme and metadata are
/// whoever published it's text).
fn registry_read(inv: &Invocation<'_>, registry: &str) -> Outcome {
    let package = inv
        .args
        .iter()
        .skip(1)
        .find(|a| !a.text.starts_with('-') && a.text != "versions")
        .map(|a| a.text.clone())
        .unwrap_or_default();
    Outcome::default().effect(request(
        inv.program,
        url(&format!("{registry}/{package}")),
        "GET",
        Payload::default(),
        false,
    ))
}

/// `bq extract [--flags] TABLE gs://BUCKET/PATH...`: BigQuery writes the
/// table to the bucket, an upload of what the table holds. `bq
/// add-iam-policy-binding --member=M --role=R TABLE` (and `remove-`,
/// `set-iam-policy`) changes who may read the table or dataset, as gcloud's
/// bindings do ([`iam_binding`]). `bq update --source FILE DATASET`
/// replaces the dataset's metadata with the file's, its access list
/// (`access`) included: a change of who may read it ([`dataset_update`]).
fn bq(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "project_id",
                "dataset_id",
                "location",
                "destination_format",
                "compression",
                "field_delimiter",
                "format",
                "member",
                "role",
                "source",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    if positional
        .first()
        .is_some_and(|verb| verb.text.ends_with("-policy-binding") || verb.text == "set-iam-policy")
    {
        let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
        return iam_binding(&items, &words);
    }
    if let [verb, identifier, ..] = positional.as_slice()
        && verb.text == "update"
    {
        return dataset_update(&items, &identifier.text);
    }
    let [verb, _table, destinations @ ..] = positional.as_slice() else {
        return None;
    };
    if verb.text != "extract" {
        return None;
    }
    let mut outcome = Outcome::default();
    for destination in destinations.iter().filter(|d| d.text.starts_with("gs://")) {
        outcome.effects.push(request(
            "bq",
            url(&destination.text),
            "UPLOAD",
            Payload::default(),
            false,
        ));
    }
    Some(outcome)
}

/// `bq update --source FILE [-d] [PROJECT:]DATASET`: the file is the
/// dataset's new metadata, whose `access` entries say who may read and
/// change it, so the update is an access change (whoever the file grants).
/// A table's, view's or model's update (`-t`, `--view`, `-m`, or an
/// identifier `DATASET.TABLE`: a dataset's name has no dot) changes its
/// schema or options, not access; so does a dataset's without `--source`
/// (`--description`, `--default_table_expiration`).
fn dataset_update(items: &[Item<'_>], identifier: &str) -> Option<Outcome> {
    let other_resource = args::has(
        items,
        &[
            "-t",
            "--table",
            "--view",
            "--materialized_view",
            "-m",
            "--model",
            "--reservation",
            "--capacity_commitment",
            "--connection",
            "--transfer_config",
        ],
    );
    let dataset = identifier.rsplit(':').next().unwrap_or(identifier);
    if other_resource || dataset.contains('.') || !args::has(items, &["--source"]) {
        return None;
    }
    Some(Outcome::default().effect(Effect::GrantAccess {
        resource: Resource::Other {
            name: identifier.to_owned(),
        },
        grantee: None,
    }))
}

/// `gsutil [-m] [-h h] COMMAND ...`.
fn gsutil(inv: &Invocation<'_>) -> Outcome {
    let Some((command, operands)) = gsutil_command_args(inv.args) else {
        return Outcome::default();
    };
    let mut outcome = gsutil_command(&inv.with_args(operands), &command.text);
    // A service account key named by a boto setting (`-o
    // Credentials:gs_service_key_file=F`) is read.
    let global = inv
        .args
        .get(..inv.args.len().saturating_sub(operands.len() + 1))
        .unwrap_or_default();
    let settings = global.iter().zip(global.iter().skip(1));
    for (_, setting) in settings.filter(|(option, _)| option.text == "-o") {
        if let Some((key, file)) = setting.text.split_once('=')
            && key
                .trim()
                .eq_ignore_ascii_case("Credentials:gs_service_key_file")
        {
            outcome.read(inv.path(file.trim()), false);
        }
    }
    outcome
}

/// gsutil's command word and its operands, after the global options
/// (`-m`, `-o SETTING`, `-h HEADER`, `-u PROJECT`, `-i ACCOUNT`).
fn gsutil_command_args(args: &[Arg]) -> Option<(&Arg, &[Arg])> {
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        match first.text.as_str() {
            "-o" | "-h" | "-u" | "-i" => rest = tail.get(1..).unwrap_or_default(),
            text if text.starts_with('-') => rest = tail,
            _ => break,
        }
    }
    rest.split_first()
}

/// What `gsutil COMMAND OPERANDS` does: copies, removals, access changes;
/// `signurl [-u] KEYFILE URL...` reads the key file it signs with (none
/// with `-u`, which signs with the current account).
fn gsutil_command(inv: &Invocation<'_>, command: &str) -> Outcome {
    let operands = inv.args;
    match command {
        "signurl" => {
            let items = args::parse(
                operands,
                &Spec {
                    short: "cdmprb",
                    long: &[],
                    stop_after: None,
                },
            );
            let mut outcome = Outcome {
                stdout: Some(Payload::default()),
                ..Outcome::default()
            };
            if !args::has(&items, &["-u", "--use-service-account"])
                && let Some(key) = args::positionals(&items).first()
            {
                outcome.read(inv.path(&key.text), false);
            }
            outcome
        }
        "cp" | "mv" | "rsync" => gs_copy(inv, command, "gsutil"),
        "rm" => gs_remove(inv),
        "rb" => {
            let mut outcome = Outcome::default();
            for target in operands.iter().filter(|o| o.text.starts_with("gs://")) {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&target.text),
                    recursive: true,
                });
            }
            outcome
        }
        "acl" | "defacl" | "iam" => gs_access(operands),
        _ => Outcome::default(),
    }
}

fn gs_copy(inv: &Invocation<'_>, command: &str, program: &str) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "azhpxIs",
            long: &[
                "predefined-acl",
                "content-type",
                "cache-control",
                "storage-class",
                "exclude",
            ],
            stop_after: None,
        },
    );
    let recursive = args::has(&items, &["-r", "-R", "--recursive"]) || command == "rsync";
    let acl = args::value(&items, &["-a", "--predefined-acl"]).map(|a| a.text.clone());
    let public = acl.as_deref().is_some_and(is_public_acl);
    let positional = args::positionals(&items);
    let mut outcome = Outcome::default();
    let Some((destination, sources)) = positional.split_last() else {
        return outcome;
    };
    let remote = |t: &str| t.starts_with("gs://") || t.starts_with("s3://");
    if remote(&destination.text) {
        let mut payload = Payload::default();
        for source in sources {
            if remote(&source.text) {
                flow::push_text(&mut payload, &source.text);
            } else if source.text != "-" {
                flow::push_file(
                    &mut payload,
                    FileRef {
                        path: inv.path(&source.text),
                        recursive,
                        excludes: Vec::new(),
                    },
                );
            }
        }
        outcome.effects.push(request(
            program,
            url(&destination.text),
            "UPLOAD",
            payload,
            public,
        ));
        if public {
            outcome.effects.push(Effect::MakePublic {
                resource: bucket("gs", &destination.text),
            });
        }
    } else {
        for source in sources.iter().filter(|s| remote(&s.text)) {
            outcome.effects.push(request(
                program,
                url(&source.text),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
        }
        if destination.text != "-" {
            outcome.write(inv.path(&destination.text), false);
        }
    }
    // A move between buckets keeps what it moves at the destination; from
    // a bucket to this machine, it leaves the bucket.
    if command == "mv" {
        let to_bucket = remote(&destination.text);
        for source in sources {
            if !remote(&source.text) {
                outcome.delete(inv.path(&source.text), recursive);
            } else if !to_bucket {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&source.text),
                    recursive,
                });
            }
        }
    }
    outcome
}

fn gs_remove(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let recursive = args::has(&items, &["-r", "-R", "--recursive"]);
    let mut outcome = Outcome::default();
    for target in args::positionals(&items) {
        let recursive = recursive || target.text.ends_with("/**") || target.text.ends_with("/*");
        outcome.effects.push(Effect::RemoteDelete {
            target: url(&target.text),
            recursive,
        });
    }
    outcome
}

/// Who may use the buckets and objects gsutil's access commands name:
/// `acl|defacl ch -u|-g|-p ENTITY:PERM... -d ENTITY... URL...`, `iam ch
/// [-d MEMBER] MEMBER:ROLE... URL...` and `acl|defacl|iam set FILE|CANNED
/// URL...` (which replaces them; a policy file written earlier is read by
/// [`gcp_policy::written_policy_file`]). A grant to `AllUsers` or
/// `allAuthenticatedUsers`, or a public canned ACL, makes them public; a
/// removal (`-d`) never does. `get` only reads.
fn gs_access(operands: &[Arg]) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((verb, rest)) = operands.split_first() else {
        return outcome;
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "ugpde",
            long: &["etag"],
            stop_after: None,
        },
    );
    let (urls, words): (Vec<&Arg>, Vec<&Arg>) = args::positionals(&items)
        .into_iter()
        .partition(|o| o.text.starts_with("gs://"));
    let text = |list: Vec<&Arg>| -> Vec<String> { list.iter().map(|a| a.text.clone()).collect() };
    let (public, grantees) = match verb.text.as_str() {
        "ch" => {
            let added: Vec<String> = text(args::values(&items, &["-u", "-g", "-p"]))
                .into_iter()
                .chain(text(words))
                .collect();
            let everyone = added.iter().any(|grant| {
                let entity = grant.split(':').next().unwrap_or_default();
                entity.eq_ignore_ascii_case("allUsers")
                    || entity.eq_ignore_ascii_case("allAuthenticatedUsers")
            });
            let removed = text(args::values(&items, &["-d"]));
            (everyone, added.into_iter().chain(removed).collect())
        }
        "set" => (
            words.first().is_some_and(|acl| is_public_acl(&acl.text)),
            Vec::new(),
        ),
        _ => return outcome,
    };
    for target in urls {
        let resource = bucket("gs", &target.text);
        if public {
            outcome.effects.push(Effect::MakePublic { resource });
        } else if grantees.is_empty() {
            outcome.effects.push(Effect::GrantAccess {
                resource,
                grantee: None,
            });
        } else {
            for grantee in &grantees {
                outcome.effects.push(Effect::GrantAccess {
                    resource: resource.clone(),
                    grantee: Some(grantee.clone()),
                });
            }
        }
    }
    outcome
}

/// gcloud's options that take a value as the next word.
const GCLOUD_VALUED: &[&str] = &[
    "project",
    "account",
    "configuration",
    "member",
    "role",
    "format",
    "impersonate-service-account",
    "group-email",
    "member-email",
    "roles",
    "add-roles",
    "remove-roles",
    "update-roles-params",
    "zone",
    "region",
    "image",
    "network",
    "source-ranges",
    "source-tags",
    "source-service-accounts",
    "direction",
    "action",
    "allow",
    "rules",
    "predefined-acl",
    "predefined-default-object-acl",
    "add-acl-grant",
    "remove-acl-grant",
    "add-default-object-acl-grant",
    "remove-default-object-acl-grant",
    "acl-file",
    "default-object-acl-file",
    "private-key-file",
    "private-key-password",
    "key-file",
    "cred-file",
    "credential-file-override",
    "access-token-file",
    "duration",
    "http-verb",
    "headers",
    "query-params",
    "location",
    "keyring",
    "folder",
    "organization",
    "condition",
    "condition-from-file",
];

/// gcloud's words parsed: options (those of [`GCLOUD_VALUED`] with their
/// values) and positionals, the command groups first.
fn gcloud_items(args: &[Arg]) -> Vec<Item<'_>> {
    args::parse(
        args,
        &Spec {
            short: "",
            long: GCLOUD_VALUED,
            stop_after: None,
        },
    )
}

/// `gcloud storage cp|mv|rsync|rm`, `gcloud storage buckets
/// add-iam-policy-binding`, the IAM bindings of the rest ([`iam_binding`]),
/// and `gcloud identity groups memberships add|delete|modify-membership-roles
/// --group-email G --member-email M` (who is in a group, and as what).
fn gcloud(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = gcloud_items(inv.args);
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let handled = gcloud_command(inv, &items, &words).map(|mut outcome| {
        // Credentials for the call, read from a file.
        for file in args::values(
            &items,
            &["--credential-file-override", "--access-token-file"],
        ) {
            outcome.read(inv.path(&file.text), false);
        }
        outcome
    });
    let mut effects: Vec<Effect> = firewall_exposure(&items, &words).into_iter().collect();
    let project = project_operand(&positional)
        .or_else(|| args::value(&items, &["--project"]))
        .or_else(|| inv.env_value("CLOUDSDK_CORE_PROJECT"));
    if let Some(project) = project
        && changes_project(&words)
        && !changes_access(handled.iter().flat_map(|o| &o.effects).chain(&effects))
    {
        effects.extend(super::deploy::environment_changes(
            "gcloud",
            &project.text,
            None,
        ));
    }
    if effects.is_empty() {
        return handled;
    }
    let mut outcome = handled.unwrap_or_default();
    outcome.effects.extend(effects);
    Some(outcome)
}

/// The project `gcloud projects VERB PROJECT_ID` changes (`delete`,
/// `undelete`, `update`, `move`): the project itself, named as an operand,
/// whatever `--project` (then only the project billed for the call) says.
/// `projects create` makes a project that is no environment yet.
fn project_operand<'a>(positional: &[&'a Arg]) -> Option<&'a Arg> {
    let at = match positional.first().map(|a| a.text.as_str()) {
        Some("alpha" | "beta" | "preview") => 1,
        _ => 0,
    };
    let group = positional.get(at)?;
    let verb = positional.get(at + 1)?;
    (group.text == "projects"
        && verb.text != "create"
        && super::deploy::first_verb_changes([verb.text.as_str()]) == Some(true))
    .then(|| positional.get(at + 2).copied())
    .flatten()
}

/// True when `effects` change who may use something: an access change is
/// its own kind of change (approved by whoever approves access), not a
/// release to the environment the command names.
fn changes_access<'a>(mut effects: impl Iterator<Item = &'a Effect>) -> bool {
    effects.any(|e| matches!(e, Effect::GrantAccess { .. } | Effect::MakePublic { .. }))
}

/// gcloud's groups that set up this machine, not the project.
const GCLOUD_LOCAL_GROUPS: &[&str] = &[
    "config",
    "auth",
    "components",
    "init",
    "info",
    "help",
    "topic",
    "survey",
    "feedback",
    "version",
    "cheat-sheet",
];

/// A gcloud command that changes resources in its project: the first
/// verb after the service group (`run deploy`, `compute instances delete`,
/// `sql instances patch`), not a read (`describe`, `list`, `get-credentials`)
/// nor a command that sets up this machine (`config set`).
fn changes_project(words: &[&str]) -> bool {
    let words = match words {
        ["alpha" | "beta" | "preview", rest @ ..] => rest,
        _ => words,
    };
    match words {
        [group, rest @ ..] if !GCLOUD_LOCAL_GROUPS.contains(group) => {
            super::deploy::first_verb_changes(rest.iter().copied()) == Some(true)
        }
        _ => false,
    }
}

/// Source ranges that stand for every address: IPv4's and IPv6's default
/// routes, and the wildcards and service tags clouds use for them
/// (Azure's `*`, `Internet`, `Any`).
fn is_world_source(source: &str) -> bool {
    let source = source.trim().trim_matches(['"', '\'', '[', ']']);
    matches!(source, "0.0.0.0/0" | "::/0" | "*")
        || source.eq_ignore_ascii_case("internet")
        || source.eq_ignore_ascii_case("any")
}

/// `gcloud compute firewall-rules create|update NAME
/// --source-ranges=0.0.0.0/0`: an ingress rule that lets any address in. A
/// rule created with no source (`--source-ranges`, `--source-tags`,
/// `--source-service-accounts`) admits `0.0.0.0/0`, gcloud's documented
/// default; egress rules and `--action=DENY` let nobody in.
fn firewall_exposure(items: &[Item<'_>], words: &[&str]) -> Option<Effect> {
    let at = words.iter().position(|w| *w == "firewall-rules")?;
    let verb = *words.get(at + 1)?;
    if verb != "create" && verb != "update" {
        return None;
    }
    let option = |name: &str| args::value(items, &[name]).map(|v| v.text.to_ascii_lowercase());
    if option("--direction").is_some_and(|d| d == "egress" || d == "out")
        || option("--action").is_some_and(|a| a == "deny")
    {
        return None;
    }
    let ranges = args::values(items, &["--source-ranges"]);
    let open = if ranges.is_empty() {
        verb == "create" && !args::has(items, &["--source-tags", "--source-service-accounts"])
    } else {
        ranges
            .iter()
            .any(|r| r.text.split(',').any(is_world_source))
    };
    open.then(|| Effect::MakePublic {
        resource: Resource::Other {
            name: format!(
                "firewall-rule:{}",
                words.get(at + 2).copied().unwrap_or_default()
            ),
        },
    })
}

/// The values an az option takes, which may be several words
/// (`--source-address-prefixes 10.0.0.0/8 Internet`) or `--name=VALUE`.
fn az_values<'a>(words: &'a [Arg], names: &[&str]) -> Vec<&'a str> {
    let mut values = Vec::new();
    let mut taking = false;
    for word in words {
        let text = word.text.as_str();
        if text.starts_with('-') {
            taking = names.contains(&text);
            if let Some((name, value)) = text.split_once('=')
                && names.contains(&name)
            {
                values.extend(value.split([' ', ',']).filter(|v| !v.is_empty()));
            }
        } else if taking {
            values.push(text);
        }
    }
    values
}

/// az's groups that set up this machine, not a subscription.
const AZ_LOCAL_GROUPS: &[&str] = &[
    "account",
    "login",
    "logout",
    "config",
    "configure",
    "extension",
    "upgrade",
    "version",
    "cloud",
    "feedback",
    "find",
    "interactive",
    "init",
    "self-test",
    "bicep",
];

/// `az GROUP... VERB ... --subscription S`: a change (`az group delete`,
/// `az vm create`) in subscription S; an NSG rule that lets any address in
/// (`az network nsg rule create|update --source-address-prefixes
/// '*'|Internet|0.0.0.0/0`; a rule created with no source admits `*`, az's
/// default, as does `az vm open-port`) makes what it guards public. The
/// first handler that answers is the only one asked, so what az's other
/// handlers make of the line ([`super::access`]'s access changes,
/// [`super::remotes`]' storage uploads) is asked for here.
fn az(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "gno",
            long: &[
                "subscription",
                "resource-group",
                "name",
                "nsg-name",
                "access",
                "direction",
                "priority",
                "protocol",
                "output",
                "query",
                "slot",
                "target-slot",
                "src-path",
                "src",
                "type",
                "target-path",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let value = |names: &[&str]| args::value(&items, names).map(|v| v.text.as_str());
    let mut effects = Vec::new();
    // An App Service release: to the slot it names, else the app's
    // production slot (`az webapp deploy`, `up`, `deployment source
    // config-zip`); a slot swap releases into its target slot.
    let slot = match words.as_slice() {
        ["webapp" | "functionapp", "deploy" | "up", ..]
        | [
            "webapp" | "functionapp",
            "deployment",
            "source",
            "config-zip",
            ..,
        ] => Some(value(&["--slot", "-s"])),
        ["webapp" | "functionapp", "deployment", "slot", "swap", ..] => {
            Some(value(&["--target-slot"]))
        }
        _ => None,
    };
    if let Some(slot) = slot {
        let service = value(&["--name", "-n"]).map(str::to_owned);
        let environment = match slot {
            Some(slot) => Some(slot.to_owned()),
            None => non_production_app(&items),
        };
        effects.push(Effect::Deploy(crate::Deploy {
            program: "az".to_owned(),
            production: environment.is_none(),
            environment: environment.unwrap_or_else(|| "production".to_owned()),
            service,
        }));
    }
    let exposed = match words.as_slice() {
        ["network", "nsg", "rule", verb @ ("create" | "update"), ..] => {
            let allows = value(&["--access"]).is_none_or(|a| a.eq_ignore_ascii_case("allow"));
            let inbound = value(&["--direction"]).is_none_or(|d| d.eq_ignore_ascii_case("inbound"));
            let sources = az_values(
                inv.args,
                &["--source-address-prefixes", "--source-address-prefix"],
            );
            let open = if sources.is_empty() {
                *verb == "create"
            } else {
                sources.iter().any(|s| is_world_source(s))
            };
            (allows && inbound && open).then(|| {
                format!(
                    "nsg-rule:{}/{}",
                    value(&["--nsg-name"]).unwrap_or_default(),
                    value(&["--name", "-n"]).unwrap_or_default()
                )
            })
        }
        ["vm", "open-port", ..] => Some(format!(
            "vm:{}",
            value(&["--name", "-n"]).unwrap_or_default()
        )),
        _ => None,
    };
    if let Some(name) = exposed {
        effects.push(Effect::MakePublic {
            resource: Resource::Other { name },
        });
    }
    let changes = match words.as_slice() {
        [group, rest @ ..] if !AZ_LOCAL_GROUPS.contains(group) => {
            super::deploy::first_verb_changes(rest.iter().copied()) == Some(true)
        }
        _ => false,
    };
    let subscription = value(&["--subscription"]).filter(|_| changes);
    if effects.is_empty() && subscription.is_none() {
        return None;
    }
    let others = super::access::handle(inv).or_else(|| super::remotes::handle(inv));
    if let Some(subscription) = subscription
        && !changes_access(others.iter().flat_map(|o| &o.effects).chain(&effects))
    {
        effects.extend(super::deploy::environment_changes("az", subscription, None));
    }
    if effects.is_empty() {
        return others;
    }
    let mut outcome = others.unwrap_or_else(|| super::files::unknown(inv));
    outcome.effects.extend(effects);
    Some(outcome)
}

/// The environment an App Service release with no slot goes to when the
/// line says the app is not production's: Azure calls an app's default
/// slot "production" whatever the app is, so a release to `brindle-portal-dev`
/// in resource group `rg-portal-dev` of subscription `dev` is dev's. The
/// first of the subscription, resource group and app names that marks a
/// non-production environment ([`super::deploy::names_non_production`]),
/// unless another of them marks production (`-g rg-prod -n portal-test`
/// stays the production slot). `None`: the app's production slot.
fn non_production_app(items: &[Item<'_>]) -> Option<String> {
    let names: Vec<&str> = ["--subscription", "--resource-group", "-g", "--name", "-n"]
        .iter()
        .filter_map(|option| args::value(items, &[option]))
        .map(|v| v.text.as_str())
        .collect();
    if names.iter().any(|n| super::deploy::names_production(n)) {
        return None;
    }
    names
        .into_iter()
        .find(|n| super::deploy::names_non_production(n))
        .map(str::to_owned)
}

/// Infrastructure providers' own CLIs (`doctl`, `hcloud`, `linode-cli`,
/// `vultr-cli`): a change (`doctl compute droplet delete ID`) is one to the
/// organisation's own infrastructure, as `aws ec2 terminate-instances` is,
/// not data sent to a third party. It is made in the account the global
/// `--context C` names (anywhere on the line; `HCLOUD_CONTEXT` for
/// hcloud). A firewall rule that lets any address in makes what it guards
/// public. Commands that set up this machine (`doctl auth`, `hcloud
/// context`) change nothing there; reads are left to [`super::platforms`].
fn infrastructure_provider(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tuco",
            long: &[
                "context",
                "access-token",
                "api-url",
                "config",
                "output",
                "format",
                "inbound-rules",
                "outbound-rules",
                "source-ips",
                "direction",
                "protocol",
                "port",
                "region",
                "size",
                "image",
                "tag-name",
                "name",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let changes = match words.as_slice() {
        [
            "auth" | "context" | "completion" | "version" | "help" | "configure",
            ..,
        ] => {
            return Some(Outcome::default());
        }
        [_, rest @ ..] => super::deploy::first_verb_changes(rest.iter().copied()) == Some(true),
        [] => false,
    };
    if !changes {
        return None;
    }
    let mut outcome = Outcome::default();
    let world = |text: &str| text.contains("0.0.0.0/0") || text.contains("::/0");
    let firewall = words.iter().position(|w| *w == "firewall");
    let inbound_open = args::values(&items, &["--inbound-rules"])
        .iter()
        .any(|r| world(&r.text))
        || (args::value(&items, &["--direction"]).is_some_and(|d| d.text == "in")
            && args::values(&items, &["--source-ips"])
                .iter()
                .any(|s| world(&s.text)));
    if let Some(at) = firewall
        && inbound_open
    {
        let name = args::value(&items, &["--name"])
            .map(|n| n.text.as_str())
            .or_else(|| words.get(at + 2).copied())
            .unwrap_or_default();
        outcome.effects.push(Effect::MakePublic {
            resource: Resource::Other {
                name: format!("{} firewall {name}", inv.program),
            },
        });
    }
    let context = args::value(&items, &["--context"]).or_else(|| match inv.program {
        "hcloud" => inv.env_value("HCLOUD_CONTEXT"),
        _ => None,
    });
    if let Some(context) = context {
        outcome.effects.extend(super::deploy::environment_changes(
            inv.program,
            &context.text,
            None,
        ));
    }
    Some(outcome)
}

/// What the gcloud command itself does, beside the project it changes.
fn gcloud_command(inv: &Invocation<'_>, items: &[Item<'_>], words: &[&str]) -> Option<Outcome> {
    match words {
        // Its context is `gke_PROJECT_LOCATION_NAME`.
        ["container", "clusters", "get-credentials", name, ..] => {
            Some(Outcome::default().effect(super::infra::use_context(format!("gke_{name}"))))
        }
        ["storage", "cp" | "mv" | "rsync", ..] => {
            let rest: Vec<Arg> = inv
                .args
                .iter()
                .skip_while(|a| !matches!(a.text.as_str(), "cp" | "mv" | "rsync"))
                .skip(1)
                .cloned()
                .collect();
            let command = words.get(1).copied().unwrap_or("cp");
            Some(gs_copy(&inv.with_args(&rest), command, "gcloud"))
        }
        ["storage", "rm", ..] => {
            let rest: Vec<Arg> = inv
                .args
                .iter()
                .skip_while(|a| a.text != "rm")
                .skip(1)
                .cloned()
                .collect();
            Some(gs_remove(&inv.with_args(&rest)))
        }
        ["storage", "buckets", "delete", targets @ ..] => {
            let mut outcome = Outcome::default();
            for target in targets {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(target),
                    recursive: true,
                });
            }
            Some(outcome)
        }
        [
            "storage",
            "buckets" | "objects",
            "add-iam-policy-binding",
            target,
            ..,
        ] => {
            let member = args::value(items, &["--member"])
                .map(|m| m.text.clone())
                .unwrap_or_default();
            let resource = bucket("gs", target);
            let effect = if member == "allUsers" || member == "allAuthenticatedUsers" {
                Effect::MakePublic { resource }
            } else {
                Effect::GrantAccess {
                    resource,
                    grantee: Some(member),
                }
            };
            Some(Outcome::default().effect(effect))
        }
        [
            "storage",
            "buckets" | "objects",
            "update" | "create",
            targets @ ..,
        ] => storage_acl(items, targets),
        ["identity", "groups", "memberships", verb, ..]
            if matches!(*verb, "add" | "delete" | "modify-membership-roles") =>
        {
            let group =
                args::value(items, &["--group-email"]).map_or_else(String::new, |g| g.text.clone());
            Some(Outcome::default().effect(Effect::GrantAccess {
                resource: Resource::Other {
                    name: format!("google group {group}"),
                },
                grantee: args::value(items, &["--member-email"]).map(|m| m.text.clone()),
            }))
        }
        ["storage", "sign-url", ..]
        | ["alpha" | "beta", "storage", "sign-url", ..]
        | ["auth", "activate-service-account" | "login", ..] => {
            Some(key_file_reads(inv, items, GCLOUD_KEY_FILES))
        }
        _ => iam_binding(items, words),
    }
}

/// gcloud's options that name a service account's key or a credential
/// file the command reads: `storage sign-url --private-key-file`, `auth
/// activate-service-account --key-file`, `auth login --cred-file`.
const GCLOUD_KEY_FILES: &[&str] = &["--private-key-file", "--key-file", "--cred-file"];

/// The key files a signing or login command reads (the values of
/// `options`): the session has then read what they hold. What the
/// command prints (a signed URL, an account's name) is not the key.
fn key_file_reads(inv: &Invocation<'_>, items: &[Item<'_>], options: &[&str]) -> Outcome {
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    for file in args::values(items, options) {
        outcome.read(inv.path(&file.text), false);
    }
    outcome
}

/// ACL options of `gcloud storage buckets|objects update|create`.
const GCLOUD_ACL_OPTIONS: &[&str] = &[
    "--predefined-acl",
    "--predefined-default-object-acl",
    "--add-acl-grant",
    "--remove-acl-grant",
    "--add-default-object-acl-grant",
    "--remove-default-object-acl-grant",
    "--acl-file",
    "--default-object-acl-file",
    "--clear-acl",
    "--clear-default-object-acl",
];

/// `gcloud storage objects|buckets update|create gs://... --predefined-acl=publicRead`
/// (or `authenticatedRead`, the default object ACL's, `--add-acl-grant
/// entity=allUsers,role=READER`) makes the objects or bucket public; any
/// other ACL option (a grant to a user, a removed grant, an ACL file, a
/// private canned ACL) changes who may read them. `None` for an update of
/// something else (`--content-type`).
fn storage_acl(items: &[Item<'_>], targets: &[&str]) -> Option<Outcome> {
    if !args::has(items, GCLOUD_ACL_OPTIONS) {
        return None;
    }
    let values = |names: &[&str]| -> Vec<String> {
        args::values(items, names)
            .iter()
            .map(|v| v.text.clone())
            .collect()
    };
    let added = values(&["--add-acl-grant", "--add-default-object-acl-grant"]);
    let public = values(&["--predefined-acl", "--predefined-default-object-acl"])
        .iter()
        .any(|acl| is_public_acl(acl))
        || added.iter().any(|grant| {
            // Entity names are read without regard to case (`AllUsers`).
            grants_everyone(grant)
                || grant.split(',').any(|field| {
                    field.strip_prefix("entity=").is_some_and(|entity| {
                        entity.eq_ignore_ascii_case("allUsers")
                            || entity.eq_ignore_ascii_case("allAuthenticatedUsers")
                    })
                })
        });
    let grantees: Vec<String> = added
        .iter()
        .chain(&values(&[
            "--remove-acl-grant",
            "--remove-default-object-acl-grant",
        ]))
        .map(|grant| {
            grant
                .split(',')
                .find_map(|field| field.strip_prefix("entity="))
                .unwrap_or(grant)
                .to_owned()
        })
        .collect();
    let mut outcome = Outcome::default();
    for target in targets.iter().filter(|t| t.starts_with("gs://")) {
        let resource = bucket("gs", target);
        outcome.effects.push(if public {
            Effect::MakePublic { resource }
        } else {
            Effect::GrantAccess {
                resource,
                grantee: (!grantees.is_empty()).then(|| grantees.join(", ")),
            }
        });
    }
    Some(outcome)
}

/// `gcloud GROUP... add-iam-policy-binding|remove-iam-policy-binding
/// RESOURCE --member=M --role=R` and `set-iam-policy RESOURCE FILE` on
/// projects, folders, organisations, service accounts, secrets and the
/// rest: changes who may use the resource (`allUsers` or
/// `allAuthenticatedUsers` makes it public).
fn iam_binding(items: &[Item<'_>], words: &[&str]) -> Option<Outcome> {
    let at = words.iter().position(|w| {
        matches!(
            *w,
            "add-iam-policy-binding"
                | "remove-iam-policy-binding"
                | "set-iam-policy"
                | "add-invoker-policy-binding"
                | "remove-invoker-policy-binding"
        )
    })?;
    let resource = iam_resource(words.get(at + 1).copied().unwrap_or_default());
    let member = args::value(items, &["--member"]).map(|m| m.text.clone());
    let everyone = member
        .as_deref()
        .is_some_and(|m| m == "allUsers" || m == "allAuthenticatedUsers");
    let adds = words.get(at).is_some_and(|w| w.starts_with("add-"));
    let effect = if everyone && adds {
        Effect::MakePublic { resource }
    } else {
        Effect::GrantAccess {
            resource,
            grantee: member,
        }
    };
    Some(Outcome::default().effect(effect))
}

/// The resource an IAM command names: a bucket for `gs://B`, else the
/// name as written (a project, a service, a secret).
fn iam_resource(name: &str) -> Resource {
    if name.starts_with("gs://") {
        bucket("gs", name)
    } else {
        Resource::Other {
            name: name.to_owned(),
        }
    }
}

/// `docker push IMAGE` (and podman, nerdctl, `buildah push IMAGE
/// [DESTINATION]`): an upload of the image to its registry, or to
/// DESTINATION's when it is a registry (`docker://REF`; other transports,
/// `dir:`, `oci:`, archives, are local), carrying the credentials given
/// for it (`--creds USER:PASS`).
fn docker_push(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args.get(1..).unwrap_or_default(),
        &Spec {
            short: "f",
            long: &[
                "authfile",
                "creds",
                "cert-dir",
                "format",
                "digestfile",
                "sign-by",
                "sign-by-sigstore",
                "sign-by-sigstore-private-key",
                "sign-passphrase-file",
                "compression-format",
                "compression-level",
                "encryption-key",
                "retry",
                "retry-delay",
                "platform",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let image = match positional.as_slice() {
        [_, destination, ..] if inv.program != "docker" => {
            let text = destination.text.as_str();
            match text.strip_prefix("docker://") {
                Some(reference) => Some(reference),
                None if text.contains(':') && !text.contains('/') => None,
                None if [
                    "dir:",
                    "oci:",
                    "oci-archive:",
                    "docker-archive:",
                    "containers-storage:",
                ]
                .iter()
                .any(|t| text.starts_with(t)) =>
                {
                    None
                }
                None => Some(text),
            }
        }
        [image, ..] => Some(image.text.as_str()),
        [] => None,
    };
    let mut outcome = Outcome::default();
    if let Some(image) = image {
        let credentials = option_payload(&items, &["--creds"]);
        outcome
            .effects
            .push(image_upload(inv.program, image, credentials));
    }
    // What the local image carries, if the line built it, goes with it.
    if let Some(local) = positional.first() {
        outcome.images.push(super::ImageStep::Pushed {
            image: image_reference(&local.text),
        });
    }
    outcome
}

/// `docker tag SOURCE TARGET` (`docker image tag`, podman and buildah's
/// `tag SOURCE TARGET...`): each TARGET names the same image.
fn image_tag(inv: &Invocation<'_>, skip: usize) -> Outcome {
    let words: Vec<&Arg> = inv
        .args
        .get(skip..)
        .unwrap_or_default()
        .iter()
        .filter(|a| !a.text.starts_with('-'))
        .collect();
    let mut outcome = Outcome::default();
    if let Some((source, targets)) = words.split_first() {
        for target in targets {
            outcome.images.push(super::ImageStep::Tagged {
                source: image_reference(&source.text),
                target: image_reference(&target.text),
            });
        }
    }
    outcome
}

/// An image reference in one form, so the same image written two ways is
/// one: its registry (Docker Hub's `docker.io` when none is named), path
/// (`library/NAME` for Docker Hub's official images) and tag (`latest`
/// when neither a tag nor a digest is given).
pub(super) fn image_reference(text: &str) -> String {
    let text = text.strip_prefix("docker://").unwrap_or(text);
    let (name, digest) = match text.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (text, None),
    };
    let (registry, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first, rest)
        }
        _ => ("docker.io", name),
    };
    let registry = match registry {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io",
        other => other,
    };
    let mut reference = if registry == "docker.io" && !path.contains('/') {
        format!("{registry}/library/{path}")
    } else {
        format!("{registry}/{path}")
    };
    let tagged = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains(':'));
    match digest {
        Some(digest) => {
            reference.push('@');
            reference.push_str(digest);
        }
        None if !tagged => reference.push_str(":latest"),
        None => {}
    }
    reference
}

/// `docker login [-u U] [-p P | --password-stdin] [SERVER]` (and podman,
/// buildah, nerdctl, skopeo, oras, `helm registry login`, `crane auth
/// login`, `regctl registry login` with its `--pass` and `--pass-stdin`):
/// the password or token given on the line or standard input goes to the
/// registry (Docker Hub when none is named).
fn registry_login(inv: &Invocation<'_>, skip: usize) -> Outcome {
    let items = args::parse(
        inv.args.get(skip..).unwrap_or_default(),
        &Spec {
            short: "up",
            long: &[
                "username",
                "password",
                "user",
                "pass",
                "identity-token",
                "authfile",
                "config",
                "registry-config",
                "cert-dir",
            ],
            stop_after: None,
        },
    );
    let mut payload = option_payload(&items, &["-p", "--password", "--pass", "--identity-token"]);
    if args::has(
        &items,
        &["--password-stdin", "--pass-stdin", "--identity-token-stdin"],
    ) {
        flow::merge(&mut payload, inv.stdin);
    }
    // Prompted for, or taken from a credential helper: nothing on the line.
    if payload == Payload::default() {
        return Outcome::default();
    }
    let server = args::positionals(&items)
        .first()
        .map_or("registry-1.docker.io", |s| s.text.as_str());
    Outcome::default().effect(request(
        inv.program,
        registry_host(server),
        "POST",
        payload,
        false,
    ))
}

/// A registry named by its server (`ghcr.io`, `https://r.example:5000/v2/`)
/// or an image reference in it, as a host.
fn registry_host(server: &str) -> Target {
    let server = server.strip_prefix("docker://").unwrap_or(server);
    let server = server
        .strip_prefix("https://")
        .or_else(|| server.strip_prefix("http://"))
        .unwrap_or(server);
    let authority = server.split('/').next().unwrap_or(server);
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h.to_owned(), p.parse().ok()),
        None => (authority.to_owned(), None),
    };
    Target::Host {
        user: None,
        host,
        port,
        path: None,
    }
}

/// What the values of the options `names` carry (credentials given on
/// the line: `--creds USER:$TOKEN`).
fn option_payload(items: &[Item<'_>], names: &[&str]) -> Payload {
    let mut payload = Payload::default();
    for value in args::values(items, names) {
        flow::merge(&mut payload, &value.payload());
    }
    payload
}

/// An upload of `image` (`registry/path:tag`, Docker Hub when the first
/// part names no host) to its registry, carrying `payload` beside its name.
pub(super) fn image_upload(program: &str, image: &str, mut payload: Payload) -> Effect {
    let (registry, path) = match image.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first.to_owned(), rest.to_owned())
        }
        _ => ("docker.io".to_owned(), image.to_owned()),
    };
    let (host, port) = match registry.split_once(':') {
        Some((h, p)) => (h.to_owned(), p.parse().ok()),
        None => (registry, None),
    };
    flow::push_text(&mut payload, image);
    let target = Target::Host {
        user: None,
        host,
        port,
        path: Some(path),
    };
    request(program, target, "UPLOAD", payload, false)
}

/// `docker buildx imagetools create -t TAG... SOURCE...`: a manifest made
/// from the sources is pushed to each tag (`--dry-run` prints it).
fn imagetools_create(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args.get(3..).unwrap_or_default(),
        &Spec {
            short: "tf",
            long: &["tag", "file", "annotation", "builder", "progress"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["--dry-run"]) {
        return outcome;
    }
    for tag in args::values(&items, &["-t", "--tag"]) {
        outcome
            .effects
            .push(image_upload(inv.program, &tag.text, Payload::default()));
    }
    outcome
}

/// An image reference without its tag or digest: its repository.
fn image_repository(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rfind(':') {
        Some(colon) if !without_digest[colon..].contains('/') => &without_digest[..colon],
        _ => without_digest,
    }
}

/// Registry-to-registry image tools: `skopeo copy|sync SRC DST`, `crane
/// push TARBALL REF`, `crane copy|cp SRC DST`, `oras push REF FILE...`,
/// `oras copy|cp SRC DST`, `regctl image copy SRC DST`. Each uploads to the
/// destination's registry, with the credentials given for it
/// (`--dest-creds USER:PASS`, `--to-password`, oras's `-p`); `oras push`
/// sends the files it names. Credentials given for the source
/// (`--src-creds`, `--from-password`), or for the one image `skopeo
/// inspect --creds` reads, go to its registry with the pull.
fn image_copy(inv: &Invocation<'_>) -> Option<Outcome> {
    let spec = Spec {
        short: "uapf",
        long: &[
            "src-creds",
            "dest-creds",
            "creds",
            "src-username",
            "src-password",
            "dest-username",
            "dest-password",
            "authfile",
            "src-authfile",
            "dest-authfile",
            "format",
            "src-cert-dir",
            "dest-cert-dir",
            "override-os",
            "override-arch",
            "override-variant",
            "sign-by",
            "retry-times",
            "multi-arch",
            "src",
            "dest",
            "platform",
            "username",
            "password",
            "from-username",
            "from-password",
            "to-username",
            "to-password",
            "artifact-type",
            "annotation",
            "annotation-file",
            "config",
            "concurrency",
            "registry-config",
            "from-registry-config",
            "to-registry-config",
            "image-parallel-copies",
            "src-registry-token",
            "dest-registry-token",
        ],
        stop_after: None,
    };
    let (verb_at, verb) = match (inv.program, inv.args.first().map(|a| a.text.as_str())) {
        ("regctl", Some("image")) => (1, inv.args.get(1).map(|a| a.text.as_str())),
        (_, verb) => (0, verb),
    };
    let items = args::parse(inv.args.get(verb_at + 1..).unwrap_or_default(), &spec);
    let positional = args::positionals(&items);
    let registry_ref = |text: &str| -> Option<String> {
        match inv.program {
            // Transports other than `docker://` are local (`dir:`, `oci:`, archives).
            "skopeo" => text.strip_prefix("docker://").map(str::to_owned),
            _ => Some(text.to_owned()),
        }
    };
    let destination_credentials = option_payload(
        &items,
        &[
            "--dest-creds",
            "--dest-password",
            "--dest-registry-token",
            "--to-password",
            "--creds",
            "-p",
            "--password",
        ],
    );
    let source_credentials = option_payload(
        &items,
        &[
            "--src-creds",
            "--src-password",
            "--src-registry-token",
            "--from-password",
        ],
    );
    let upload = |image: &str| image_upload(inv.program, image, destination_credentials.clone());
    let verb = verb?;
    let copies = matches!(
        (inv.program, verb),
        ("skopeo", "copy") | ("crane" | "oras", "copy" | "cp") | ("regctl", "copy")
    );
    let uploads = match (inv.program, verb) {
        _ if copies => positional
            .last()
            .filter(|_| positional.len() >= 2)
            .and_then(|destination| registry_ref(&destination.text))
            .map(|image| upload(&image)),
        ("skopeo", "sync") => positional
            .last()
            .filter(|_| args::value(&items, &["--dest"]).is_some_and(|d| d.text == "docker"))
            .map(|destination| upload(&destination.text)),
        ("crane", "push") => positional.get(1).map(|image| upload(&image.text)),
        // `crane tag IMAGE TAG` points TAG of IMAGE's repository at it.
        ("crane", "tag") => match positional.as_slice() {
            [image, tag, ..] => Some(upload(&format!(
                "{}:{}",
                image_repository(&image.text),
                tag.text
            ))),
            _ => None,
        },
        ("oras", "push") => positional.split_first().map(|(image, files)| {
            let mut payload = destination_credentials.clone();
            for file in files {
                // `file:media/type` names its media type after a colon.
                let path = file
                    .text
                    .split_once(':')
                    .map_or(file.text.as_str(), |(p, _)| p);
                flow::push_file(
                    &mut payload,
                    FileRef {
                        path: inv.path(path),
                        recursive: false,
                        excludes: Vec::new(),
                    },
                );
            }
            image_upload(inv.program, &image.text, payload)
        }),
        ("skopeo", "inspect" | "list-tags") => None,
        _ => return None,
    };
    // The registry a pull with credentials reads from.
    let (pulled, pull_credentials) = match (inv.program, verb) {
        ("skopeo", "inspect" | "list-tags") => (positional.first(), &destination_credentials),
        _ if copies || verb == "sync" => (positional.first(), &source_credentials),
        _ => (None, &source_credentials),
    };
    let mut outcome = Outcome::default();
    outcome.effects.extend(uploads);
    if let Some(source) = pulled.and_then(|s| registry_ref(&s.text))
        && *pull_credentials != Payload::default()
    {
        outcome.effects.push(request(
            inv.program,
            registry_host(&registry_of(&source)),
            "GET",
            pull_credentials.clone(),
            false,
        ));
    }
    Some(outcome)
}

/// The registry an image reference names (Docker Hub when its first part
/// names no host).
fn registry_of(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            first.to_owned()
        }
        _ => "docker.io".to_owned(),
    }
}

/// The MinIO client's aliases that exist before any `mc alias set`.
const MC_DEFAULT_ALIASES: &[&str] = &["s3", "gcs", "play", "local"];

/// `mc [FLAGS] COMMAND ARGS`: a path `ALIAS/BUCKET/KEY` names an object on
/// the server ALIAS stands for, as `s3://BUCKET/KEY` does (buckets are
/// known by name). `cp`, `mv`, `mirror` and `put` copy as `aws s3` does,
/// `rm` and `rb` delete, `anonymous set public|download|upload` (and the
/// older `policy set`) opens a bucket or prefix to anyone. A source is
/// remote when its first part is an alias (the defaults, or one `mc alias
/// set` earlier on the line names); the destination is remote unless it
/// is written as a local path or a remote source is copied to a
/// non-alias.
fn minio_client(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "config-dir",
                "attr",
                "tags",
                "storage-class",
                "encrypt-key",
                "encrypt-s3",
                "older-than",
                "newer-than",
                "limit-upload",
                "limit-download",
                "exclude",
                "rewind",
                "version-id",
            ],
            stop_after: None,
        },
    );
    let words = args::positionals(&items);
    let mut aliases: Vec<String> = MC_DEFAULT_ALIASES.iter().map(|a| (*a).to_owned()).collect();
    aliases.extend(
        inv.args
            .windows(3)
            .filter(|w| w[0].text == "alias" && w[1].text == "set")
            .map(|w| w[2].text.clone()),
    );
    let is_alias_path = |text: &str| {
        text.split_once('/')
            .is_some_and(|(alias, rest)| !rest.is_empty() && aliases.iter().any(|a| a == alias))
    };
    let as_s3 = |word: &Arg| {
        let mut arg = word.clone();
        let rest = word.text.split_once('/').map_or("", |(_, r)| r);
        arg.text = format!("s3://{rest}");
        arg
    };
    let Some((command, operands)) = words.split_first() else {
        return Outcome::default();
    };
    let mut outcome = Outcome::default();
    let recursive = args::has(&items, &["--recursive", "-r"]);
    match command.text.as_str() {
        verb @ ("cp" | "mv" | "mirror" | "put" | "get") => {
            let Some((destination, sources)) = operands.split_last() else {
                return outcome;
            };
            let any_remote_source = sources.iter().any(|s| is_alias_path(&s.text));
            let written_local = destination.text.starts_with(['/', '.', '~'])
                || (verb == "get" && !is_alias_path(&destination.text));
            let remote_destination = is_alias_path(&destination.text)
                || (!written_local && !any_remote_source && verb != "get");
            let destination = if remote_destination {
                as_s3(destination)
            } else {
                (*destination).clone()
            };
            let command = match verb {
                "mirror" => "sync",
                "mv" => "mv",
                _ => "cp",
            };
            for source in sources {
                let remote_source = is_alias_path(&source.text);
                let source = if remote_source {
                    as_s3(source)
                } else {
                    (*source).clone()
                };
                let copy = S3Copy {
                    program: "mc",
                    command,
                    recursive: recursive || verb == "mirror",
                    acl_public: false,
                };
                s3_copy(inv, &copy, &source, &destination, &mut outcome);
            }
        }
        "rm" | "rb" => {
            // `rb` removes a server's bucket, whatever its alias.
            let remote =
                |t: &Arg| is_alias_path(&t.text) || (command.text == "rb" && t.text.contains('/'));
            for target in operands.iter().filter(|t| remote(t)) {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&as_s3(target).text),
                    recursive: recursive || command.text == "rb",
                });
            }
        }
        "anonymous" | "policy" => {
            let opens = matches!(
                operands
                    .iter()
                    .map(|a| a.text.as_str())
                    .collect::<Vec<_>>()
                    .as_slice(),
                ["set", "public" | "download" | "upload", ..]
            );
            if opens {
                // Only a server's buckets have an anonymous policy.
                for target in operands.iter().skip(2).filter(|t| t.text.contains('/')) {
                    outcome.effects.push(Effect::MakePublic {
                        resource: bucket("s3", &as_s3(target).text),
                    });
                }
            }
        }
        _ => {}
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_prefixes_name_everything_below() {
        for text in [
            "s3://b/*",
            "s3://b/logs/*",
            "s3://b/logs/2020*",
            "s3://b/**",
        ] {
            assert!(wildcard_prefix(text), "{text}");
        }
        for text in ["s3://b/one.txt", "s3://b/*.log", "s3://b/logs/", "s3://b*"] {
            assert!(!wildcard_prefix(text), "{text}");
        }
    }

    #[test]
    fn policy_versions_change_access_only_as_the_default() {
        let param = |set: Option<&'static str>| {
            move |key: &str| match key {
                "PolicyArn" => Some("arn:aws:iam::1:policy/P"),
                "SetAsDefault" => set,
                _ => None,
            }
        };
        assert!(iam_grant("CreatePolicyVersion", param(Some("true"))).is_some());
        assert!(iam_grant("CreatePolicyVersion", param(Some("false"))).is_none());
        assert!(iam_grant("CreatePolicyVersion", param(None)).is_none());
        assert!(iam_grant("SetDefaultPolicyVersion", param(None)).is_some());
    }

    #[test]
    fn world_sources() {
        for source in [
            "0.0.0.0/0",
            "::/0",
            "*",
            "'*'",
            "Internet",
            "any",
            "[0.0.0.0/0]",
        ] {
            assert!(is_world_source(source), "{source}");
        }
        for source in [
            "10.0.0.0/8",
            "VirtualNetwork",
            "AzureLoadBalancer",
            "0.0.0.0/8",
            "",
        ] {
            assert!(!is_world_source(source), "{source}");
        }
    }

    #[test]
    fn az_options_take_several_words() {
        let words: Vec<Arg> = "network nsg rule create --source-address-prefixes 10.0.0.0/8 Internet --priority 100 --source-address-prefix=a,b"
            .split(' ')
            .map(Arg::literal)
            .collect();
        assert_eq!(
            az_values(
                &words,
                &["--source-address-prefixes", "--source-address-prefix"]
            ),
            ["10.0.0.0/8", "Internet", "a", "b"]
        );
        assert!(az_values(&words, &["--name"]).is_empty());
    }
}
