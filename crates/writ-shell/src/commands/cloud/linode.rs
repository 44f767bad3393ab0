//! Linode's (Akamai's) Object Storage through `linode-cli`: the `obj`
//! plugin, an S3 client (`put FILE... BUCKET`, `get BUCKET OBJECT [FILE]`,
//! `del BUCKET OBJECT`, `rb BUCKET`, `setacl --acl-public BUCKET
//! [OBJECT]`, `ws-create BUCKET`, which sets the bucket `public-read`
//! first), and the API's `object-storage` commands given a canned `--acl`.
//! A bucket is known by its name, written `s3://BUCKET/OBJECT` as the
//! S3-compatible API addresses it.

use super::super::{Invocation, Outcome, url};
use super::{S3Copy, bucket, is_public_acl, s3_copy};
use crate::Effect;
use crate::args::{self, Spec};

/// The `obj` plugin's options that take a value (its own and the ones it
/// inherits from the CLI).
const OBJ_VALUES: &[&str] = &[
    "cluster",
    "chunk-size",
    "ws-index",
    "ws-error",
    "as-user",
    "page",
    "page-size",
    "expiry",
    "config",
];

/// `linode-cli obj ...` and `linode-cli object-storage ... --acl ACL`;
/// `None` for the other commands, which are changes to the account's
/// infrastructure or reads of its API.
pub(in crate::commands) fn linode_objects(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.args.first().map(|a| a.text.as_str()) {
        Some("obj") => obj(inv),
        Some("object-storage") => object_storage_acl(inv),
        _ => None,
    }
}

fn obj(inv: &Invocation<'_>) -> Option<Outcome> {
    let rest = inv.args.get(1..).unwrap_or_default();
    let items = args::parse(
        rest,
        &Spec {
            short: "",
            long: OBJ_VALUES,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (command, operands) = positional.split_first()?;
    let mut outcome = Outcome::default();
    let copy = |acl_public| S3Copy {
        program: "linode-cli",
        command: "cp",
        recursive: false,
        acl_public,
    };
    match command.text.as_str() {
        "put" => {
            let (destination, files) = operands.split_last()?;
            let destination =
                destination.with_text(&format!("s3://{}/", destination.text.trim_matches('/')));
            let public = args::has(&items, &["--acl-public"]);
            for file in files {
                s3_copy(inv, &copy(public), file, &destination, &mut outcome);
            }
        }
        "get" => {
            let [name, object, local @ ..] = operands else {
                return None;
            };
            let source = object.with_text(&format!("s3://{}/{}", name.text, object.text));
            let local = local.first().map_or_else(
                || object.with_text(object.text.rsplit('/').next().unwrap_or_default()),
                |l| (*l).clone(),
            );
            s3_copy(inv, &copy(false), &source, &local, &mut outcome);
        }
        "del" => {
            let [name, object, ..] = operands else {
                return None;
            };
            outcome.effects.push(Effect::RemoteDelete {
                target: url(&format!("s3://{}/{}", name.text, object.text)),
                recursive: false,
            });
        }
        "rb" => {
            for name in operands {
                outcome.effects.push(Effect::RemoteDelete {
                    target: url(&format!("s3://{}", name.text)),
                    recursive: true,
                });
            }
        }
        // `--acl-private` closes what was open.
        "setacl" => {
            let name = operands.first()?;
            if args::has(&items, &["--acl-public"]) {
                outcome.effects.push(Effect::MakePublic {
                    resource: bucket("s3", &name.text),
                });
            }
        }
        "ws-create" => {
            let name = operands.first()?;
            outcome.effects.push(Effect::MakePublic {
                resource: bucket("s3", &name.text),
            });
        }
        _ => return None,
    }
    Some(outcome)
}

/// `linode-cli object-storage buckets create --label B --acl public-read`,
/// `object-storage object-acl-update CLUSTER BUCKET --acl public-read
/// --name OBJECT`, `bucket-access-update CLUSTER BUCKET --acl ...`: a canned
/// ACL that opens the bucket or object to anyone makes the bucket public.
fn object_storage_acl(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["acl", "label", "cluster", "region", "name", "as-user"],
            stop_after: None,
        },
    );
    let acl = args::value(&items, &["--acl"])?;
    if !is_public_acl(&acl.text) {
        return None;
    }
    let positional = args::positionals(&items);
    let name = args::value(&items, &["--label"])
        .map(|l| l.text.as_str())
        .or_else(|| positional.get(3).map(|a| a.text.as_str()))
        .unwrap_or_default();
    Some(Outcome::default().effect(Effect::MakePublic {
        resource: bucket("s3", name),
    }))
}
