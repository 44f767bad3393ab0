//! AWS Tools for PowerShell's S3 transfers, read as the AWS CLI commands
//! that do the same, so they have the CLI's effects (`cloud.rs`):
//!
//! - `Write-S3Object -BucketName B -Key K -File F` is `aws s3 cp F
//!   s3://B/K`; `-Folder D -KeyPrefix P [-Recurse]` is `aws s3 cp D
//!   s3://B/P --recursive`; `-Content TEXT` uploads the text as the CLI
//!   uploads its standard input (`aws s3 cp - s3://B/K`). `-CannedACLName
//!   A` is `--acl A`,
//!   `-PublicReadOnly` `--acl public-read` and `-PublicReadWrite` `--acl
//!   public-read-write`; `-EndpointUrl` and `-Region` are the CLI's.
//! - `Read-S3Object -BucketName B -Key K -File F` is `aws s3 cp s3://B/K
//!   F` (`-KeyPrefix P -Folder D`: the prefix, recursively).
//! - `Remove-S3Bucket -BucketName B` is `aws s3 rb s3://B`, and with
//!   `-DeleteBucketContent` (which empties it first) `aws s3 rb s3://B
//!   --force`.
//! - `Remove-S3Object -BucketName B -Key K` is `aws s3 rm s3://B/K`, once
//!   for each key of `-KeyCollection`; `-KeyPrefix P` removes every
//!   object under P, as `aws s3 rm s3://B/P --recursive`.
//! - `Set-S3ACL -BucketName B -Key K -CannedACLName A` is `aws s3api
//!   put-object-acl --bucket B --key K --acl A`, and without a key `aws
//!   s3api put-bucket-acl --bucket B --acl A` (`-PublicReadOnly`,
//!   `-PublicReadWrite` as for `Write-S3Object`).

use super::{Bound, Cmdlet, bind, path_text};
use crate::args::Arg;
use crate::commands::{Invocation, Nested, Outcome};

const S3_OBJECT: Cmdlet = Cmdlet {
    values: &[
        "bucketname",
        "key",
        "file",
        "folder",
        "keyprefix",
        "content",
        "cannedaclname",
        "region",
        "endpointurl",
        "profilename",
        "contenttype",
        "storageclass",
        "serversideencryption",
        "metadata",
        "headercollection",
        "tagset",
        "searchpattern",
        "version",
        "accesskey",
        "secretkey",
        "sessiontoken",
        "credential",
    ],
    positional: 2,
    switches: &["recurse", "publicreadonly", "publicreadwrite"],
    aliases: &[
        ("filepath", "file"),
        ("directory", "folder"),
        ("prefix", "keyprefix"),
        ("text", "content"),
        ("acl", "cannedaclname"),
        ("cannedacl", "cannedaclname"),
        ("endpoint", "endpointurl"),
        ("profile", "profilename"),
        ("storedcredentials", "profilename"),
    ],
};

/// `Write-S3BucketPolicy [-BucketName] B [-Policy] JSON`.
const S3_POLICY: Cmdlet = Cmdlet {
    values: &[
        "bucketname",
        "policy",
        "contentmd5",
        "expectedbucketowner",
        "region",
        "endpointurl",
        "profilename",
        "accesskey",
        "secretkey",
        "sessiontoken",
        "credential",
    ],
    positional: 2,
    switches: &["confirmremoveselfbucketaccess", "force"],
    aliases: &[
        ("endpoint", "endpointurl"),
        ("profile", "profilename"),
        ("storedcredentials", "profilename"),
    ],
};

/// `Remove-S3Bucket` and `Remove-S3Object`.
const S3_REMOVE: Cmdlet = Cmdlet {
    values: &[
        "bucketname",
        "key",
        "keycollection",
        "keyprefix",
        "versionid",
        "region",
        "endpointurl",
        "profilename",
        "accesskey",
        "secretkey",
        "sessiontoken",
        "credential",
        "inputobject",
    ],
    positional: 2,
    switches: &["deletebucketcontent", "bypassgovernanceretention"],
    aliases: &[
        ("prefix", "keyprefix"),
        ("endpoint", "endpointurl"),
        ("profile", "profilename"),
        ("storedcredentials", "profilename"),
    ],
};

/// `Write-S3Object` and `Read-S3Object`, as `aws s3 cp`; `Remove-S3Bucket`
/// and `Remove-S3Object`, as `aws s3 rb` and `aws s3 rm`; `Set-S3ACL` as
/// `aws s3api put-object-acl`; `Write-S3BucketPolicy` as `aws s3api
/// put-bucket-policy`.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let upload = match inv.program {
        "write-s3object" => true,
        "read-s3object" => false,
        "remove-s3bucket" | "remove-s3object" => return Some(remove(inv)),
        // `Set-S3BucketACL` is how agents often spell it.
        "set-s3acl" | "set-s3bucketacl" => return Some(set_acl(inv)),
        "write-s3bucketpolicy" => return Some(bucket_policy(inv)),
        _ => return None,
    };
    let mut outcome = Outcome::default();
    let Some((bound, bucket)) = bucket_cmdlet(&S3_OBJECT, inv) else {
        return Some(outcome);
    };
    let folder = bound.value("folder");
    let file = bound.value("file");
    let key = bound
        .value("key")
        .or(bound.value("keyprefix"))
        .map(|k| k.with_text(unquoted(&k.text).trim_start_matches('/')))
        .or_else(|| {
            // Without a key, a file is stored under its name.
            file.filter(|_| upload).map(|f| {
                let path = path_text(&f.text);
                f.with_text(path.rsplit('/').next().unwrap_or_default())
            })
        })
        .unwrap_or_default();
    let mut object = bucket.clone();
    object.text = format!("s3://{}/{}", bucket.text, key.text);
    crate::flow::merge(&mut object.prov, &key.prov);
    object.env.extend(key.env.iter().cloned());
    let mut options = vec![];
    if folder.is_some() {
        options.push(Arg::literal("--recursive"));
    }
    options.extend(options_of(&bound));
    let local = folder.or(file).map(|l| l.with_text(&path_text(&l.text)));
    let mut argv = vec![Arg::literal("aws"), Arg::literal("s3"), Arg::literal("cp")];
    match (upload, local, bound.value("content")) {
        (true, Some(local), _) => argv.extend([local, object]),
        (false, Some(local), _) => argv.extend([object, local]),
        (true, None, Some(content)) => {
            // The text goes in as `aws s3 cp -` reads its standard input.
            let words: Vec<String> = options
                .iter()
                .map(|o| crate::commands::words::quote(&o.text))
                .collect();
            outcome.nested.push(Nested::ShellScript {
                text: format!(
                    "printf '%s' \"$1\" | aws s3 cp - \"$2\" {}",
                    words.join(" ")
                ),
                what: inv.program.to_owned(),
                args: vec![Arg::literal(inv.program), content.clone(), object],
                env: Vec::new(),
            });
            return Some(outcome);
        }
        _ => return Some(outcome),
    }
    argv.extend(options);
    outcome.nested.push(Nested::Argv {
        argv,
        env: Vec::new(),
        cwd: None,
    });
    Some(outcome)
}

/// `Remove-S3Bucket` as `aws s3 rb`, `Remove-S3Object` as `aws s3 rm`;
/// nothing with `-WhatIf`.
fn remove(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((bound, bucket_arg)) = bucket_cmdlet(&S3_REMOVE, inv) else {
        return outcome;
    };
    let bucket = bucket_arg.text.trim_end_matches('/').to_owned();
    let object = |key: &Arg, text: &str| {
        let mut url = bucket_arg.with_text(&format!(
            "s3://{bucket}/{}",
            unquoted(text).trim_start_matches('/')
        ));
        crate::flow::merge(&mut url.prov, &key.prov);
        url.env.extend(key.env.iter().cloned());
        url
    };
    let mut commands: Vec<Vec<Arg>> = Vec::new();
    if inv.program == "remove-s3bucket" {
        let mut argv = vec![bucket_arg.with_text(&format!("s3://{bucket}"))];
        if bound.switch("deletebucketcontent") {
            argv.push(Arg::literal("--force"));
        }
        commands.push(argv);
    } else {
        for key in bound.all("key") {
            commands.push(vec![object(key, &key.text)]);
        }
        for keys in bound.all("keycollection") {
            for key in super::list(keys) {
                commands.push(vec![object(keys, &key)]);
            }
        }
        for prefix in bound.all("keyprefix") {
            commands.push(vec![
                object(prefix, &prefix.text),
                Arg::literal("--recursive"),
            ]);
        }
    }
    let verb = if inv.program == "remove-s3bucket" {
        "rb"
    } else {
        "rm"
    };
    for target in commands {
        let mut argv = vec![Arg::literal("aws"), Arg::literal("s3"), Arg::literal(verb)];
        argv.extend(target);
        argv.extend(options_of(&bound));
        outcome.nested.push(Nested::Argv {
            argv,
            env: Vec::new(),
            cwd: None,
        });
    }
    outcome
}

/// `Set-S3ACL` as `aws s3api put-object-acl` (with `-Key`) or
/// `put-bucket-acl`; nothing with `-WhatIf`.
fn set_acl(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((bound, bucket)) = bucket_cmdlet(&S3_OBJECT, inv) else {
        return outcome;
    };
    let bucket = bucket.with_text(bucket.text.trim_end_matches('/'));
    let key = bound
        .value("key")
        .map(|k| k.with_text(unquoted(&k.text).trim_start_matches('/')));
    let verb = if key.is_some() {
        "put-object-acl"
    } else {
        "put-bucket-acl"
    };
    let mut argv = vec![
        Arg::literal("aws"),
        Arg::literal("s3api"),
        Arg::literal(verb),
        Arg::literal("--bucket"),
        bucket,
    ];
    if let Some(key) = key {
        argv.extend([Arg::literal("--key"), key]);
    }
    argv.extend(options_of(&bound));
    outcome.nested.push(Nested::Argv {
        argv,
        env: Vec::new(),
        cwd: None,
    });
    outcome
}

/// `Write-S3BucketPolicy` as `aws s3api put-bucket-policy`: a policy that
/// lets everyone in (`"Principal": "*"`) makes the bucket public.
fn bucket_policy(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((bound, bucket)) = bucket_cmdlet(&S3_POLICY, inv) else {
        return outcome;
    };
    let Some(policy) = bound.value("policy") else {
        return outcome;
    };
    let mut argv = vec![
        Arg::literal("aws"),
        Arg::literal("s3api"),
        Arg::literal("put-bucket-policy"),
        Arg::literal("--bucket"),
        bucket.with_text(bucket.text.trim_end_matches('/')),
        Arg::literal("--policy"),
        policy.with_text(unquoted(&policy.text)),
    ];
    argv.extend(options_of(&bound));
    outcome.nested.push(Nested::Argv {
        argv,
        env: Vec::new(),
        cwd: None,
    });
    outcome
}

/// The cmdlet's parameters and its `-BucketName` (unquoted, without
/// `s3://`); `None` with `-WhatIf` or without a bucket: nothing is done.
fn bucket_cmdlet(cmdlet: &Cmdlet, inv: &Invocation<'_>) -> Option<(Bound, Arg)> {
    let bound = bind(cmdlet, inv.args);
    if bound.switch("whatif") {
        return None;
    }
    let bucket = bound.value("bucketname")?;
    let bucket = bucket.with_text(unquoted(&bucket.text).trim_start_matches("s3://"));
    Some((bound, bucket))
}

/// The CLI options the cmdlet's parameters are.
fn options_of(bound: &Bound) -> Vec<Arg> {
    let mut options = Vec::new();
    let acl = bound
        .value("cannedaclname")
        .map(|a| canned_acl(unquoted(&a.text)))
        .or_else(|| {
            bound
                .switch("publicreadwrite")
                .then(|| "public-read-write".to_owned())
        })
        .or_else(|| {
            bound
                .switch("publicreadonly")
                .then(|| "public-read".to_owned())
        });
    if let Some(acl) = acl {
        options.push(Arg::literal("--acl"));
        options.push(Arg::literal(&acl));
    }
    for (parameter, option) in [("region", "--region"), ("endpointurl", "--endpoint-url")] {
        if let Some(value) = bound.value(parameter) {
            options.push(Arg::literal(option));
            options.push(value.with_text(unquoted(&value.text)));
        }
    }
    options
}

/// A canned ACL as the CLI names it: `public-read` as written, or the
/// SDK's `S3CannedACL` name (`PublicRead`, `[Amazon.S3.S3CannedACL]::PublicRead`).
fn canned_acl(text: &str) -> String {
    let name = text.rsplit([':', '.']).next().unwrap_or(text);
    if name.contains('-') {
        return name.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(name.len() + 4);
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && index > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn unquoted(text: &str) -> &str {
    text.trim().trim_matches(['\'', '"'])
}
