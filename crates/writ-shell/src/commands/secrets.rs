//! Commands whose output is a credential: CLIs that print long-lived keys
//! and tokens (`gh auth token`, `glab config get token`, `aws configure
//! get aws_secret_access_key`, `aws iam create-access-key`) or what a
//! secret store holds (`vault kv get`, `op read`, `pass show`, Secrets
//! Manager, Key Vault, Kubernetes secrets). Their standard output carries the command as a credential, so
//! sending it (`gh auth token | curl -d @- ...`) sends a secret.
//!
//! Short-lived access tokens minted for a provider's own APIs (`gcloud
//! auth print-access-token`, `az account get-access-token`, `aws ecr
//! get-login-password`) are credentials too, but sending one to that
//! provider is how it is used (`-H "Authorization: Bearer $(gcloud auth
//! print-access-token)" https://storage.googleapis.com/...`): each carries
//! the domains it is minted for, and is secret anywhere else. `sops -d`
//! (`sops decrypt`) prints the secrets a file holds.
//!
//! `sops exec-env FILE CMD` and `sops exec-file FILE CMD` ([`sops_exec`])
//! run CMD through a shell with the file's decrypted values: in its
//! environment, or in a temporary file that stands for `{}`.

use super::{Invocation, Nested, Outcome};
use crate::{Credential, Payload};

/// `sops exec-env [OPTIONS] FILE CMD` runs CMD through a shell with FILE's
/// decrypted values in its environment; `sops exec-file [OPTIONS] FILE
/// 'CMD {}'` with `{}` replaced by a temporary file holding them, read here
/// as FILE itself, so what CMD does with it carries what FILE holds. The
/// file is read either way. Other sops commands are left alone.
pub(super) fn sops_exec(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program != "sops" {
        return None;
    }
    // sops' global options that take a value, then the command's own.
    const VALUES: &[&str] = &[
        "--config",
        "--user",
        "--filename",
        "--input-type",
        "--output-type",
        "--kms",
        "--pgp",
        "--age",
        "--gcp-kms",
        "--azure-kv",
        "--hc-vault-transit",
        "--aws-profile",
        "--keyservice",
    ];
    let mut words = Vec::new();
    let mut args = inv.args.iter();
    while let Some(arg) = args.next() {
        let text = arg.text.as_str();
        if text.starts_with('-') && text.len() > 1 {
            if VALUES.contains(&text) {
                args.next();
            }
            continue;
        }
        words.push(arg);
    }
    let (command, file, script) = match words.as_slice() {
        [command, file, script, ..] => (command.text.as_str(), file, script),
        _ => return None,
    };
    let text = match command {
        "exec-env" => script.text.clone(),
        "exec-file" => script
            .text
            .replace("{}", &super::words::quote(&inv.path(&file.text))),
        _ => return None,
    };
    let mut outcome = Outcome::default();
    outcome.read(inv.path(&file.text), false);
    outcome.nested.push(Nested::Script {
        text,
        what: format!("sops {command}"),
    });
    Some(outcome)
}

/// The output of `inv` when it prints a credential.
pub(super) fn printed(inv: &Invocation<'_>) -> Option<Payload> {
    let words = subcommand_words(inv);
    let has_flag = |flag: &str| inv.args.iter().any(|a| a.text == flag);
    let credential = match (inv.program, words.as_slice()) {
        ("gh", ["auth", "token", ..])
        | ("gcloud", ["secrets", "versions", "access", ..])
        | (
            "aws",
            [
                "sts",
                "get-session-token" | "assume-role" | "get-federation-token",
                ..,
            ],
        )
        | ("aws", ["secretsmanager", "get-secret-value", ..])
        | ("aws", ["iam", "create-access-key", ..])
        | ("az", ["keyvault", "secret", "show" | "download", ..])
        | ("kubectl" | "oc", ["create", "token", ..])
        | ("kubectl" | "oc", ["get", "secret" | "secrets", ..])
        | ("vault", ["read" | "login", ..])
        | ("vault", ["kv", "get", ..])
        | ("vault", ["token", "create", ..])
        | ("op", ["read", ..])
        | ("op", ["item", "get", ..])
        | ("bw", ["get", "password" | "item" | "totp", ..])
        | ("pass", ["show", ..])
        | ("doppler", ["secrets", ..])
        | ("heroku", ["auth:token", ..])
        | ("npm", ["token", "create", ..])
        | ("git", ["credential", "fill", ..])
        | ("docker-credential-desktop" | "docker-credential-osxkeychain", ["get", ..]) => true,
        ("aws", ["configure", "get", key, ..]) => {
            key.contains("secret") || key.contains("session_token") || key.contains("key_id")
        }
        (
            "aws",
            [
                "ssm",
                "get-parameter" | "get-parameters" | "get-parameters-by-path",
                ..,
            ],
        ) => has_flag("--with-decryption"),
        // `security find-generic-password -w` prints the password itself.
        ("security", ["find-generic-password" | "find-internet-password", ..]) => {
            has_flag("-w") || has_flag("-g")
        }
        ("glab", ["config", "get", "token", ..]) => true,
        ("sops", words) => {
            words.first() == Some(&"decrypt")
                || ((has_flag("-d") || has_flag("--decrypt"))
                    && !has_flag("-i")
                    && !has_flag("--in-place"))
        }
        ("glab", ["auth", "status", ..]) => has_flag("-t") || has_flag("--show-token"),
        // `pass NAME` shows the entry.
        ("pass", [name]) => !matches!(*name, "ls" | "list" | "find" | "search" | "init"),
        _ => false,
    };
    let audience: &[&str] = if credential {
        &[]
    } else {
        access_token_audience(inv.program, &words)?
    };
    Some(Payload {
        credentials: vec![Credential {
            command: command_line(inv),
            audience: audience.iter().map(|d| (*d).to_owned()).collect(),
        }],
        ..Payload::default()
    })
}

/// kubectl's (and OpenShift's `oc`'s) global options that take a value.
const KUBE_VALUE_OPTIONS: &[&str] = &[
    "--context",
    "-n",
    "--namespace",
    "--kubeconfig",
    "--cluster",
    "--user",
    "-s",
    "--server",
    "--token",
    "--as",
    "-o",
    "--output",
    "-l",
    "--selector",
];

/// Global options that take a value, by program: they may stand before
/// the subcommand (`kubectl --context prod get secret x`), and their value
/// is not a word of it.
const GLOBAL_VALUE_OPTIONS: &[(&str, &[&str])] = &[
    ("kubectl", KUBE_VALUE_OPTIONS),
    ("oc", KUBE_VALUE_OPTIONS),
    (
        "aws",
        &[
            "--profile",
            "--region",
            "--output",
            "--endpoint-url",
            "--query",
        ],
    ),
    (
        "gcloud",
        &[
            "--project",
            "--account",
            "--configuration",
            "--format",
            "--impersonate-service-account",
        ],
    ),
    ("az", &["--subscription", "-o", "--output", "--query"]),
    ("op", &["--account", "--vault", "--format", "--session"]),
    ("gh", &["-R", "--repo", "--hostname"]),
    ("glab", &["-R", "--repo"]),
    ("doppler", &["-p", "--project", "-c", "--config", "--token"]),
    ("vault", &["-address", "-namespace", "-format", "-mount"]),
];

/// The command's words without its options, nor the values of the global
/// options [`GLOBAL_VALUE_OPTIONS`] knows to take one.
fn subcommand_words<'a>(inv: &Invocation<'a>) -> Vec<&'a str> {
    let valued = GLOBAL_VALUE_OPTIONS
        .iter()
        .find(|(program, _)| *program == inv.program)
        .map_or(&[][..], |(_, options)| *options);
    let mut words = Vec::new();
    let mut args = inv.args.iter();
    while let Some(arg) = args.next() {
        let text = arg.text.as_str();
        if text.starts_with('-') {
            if valued.contains(&text) {
                args.next();
            }
        } else {
            words.push(text);
        }
    }
    words
}

/// The domains a short-lived access token printed by `program` is minted
/// for, when the command prints one.
fn access_token_audience(program: &str, words: &[&str]) -> Option<&'static [&'static str]> {
    const GOOGLE: &[&str] = &["googleapis.com", "google.com", "gcr.io", "pkg.dev"];
    const AZURE: &[&str] = &[
        "azure.com",
        "azure.net",
        "windows.net",
        "microsoft.com",
        "azurecr.io",
    ];
    const AWS: &[&str] = &["amazonaws.com"];
    match (program, words) {
        (
            "gcloud",
            ["auth", "print-access-token" | "print-identity-token", ..]
            | ["auth", "application-default", "print-access-token", ..],
        ) => Some(GOOGLE),
        ("az", ["account", "get-access-token", ..]) => Some(AZURE),
        (
            "aws",
            ["ecr", "get-login-password", ..]
            | ["ecr-public", "get-login-password", ..]
            | ["codeartifact", "get-authorization-token", ..]
            | ["eks", "get-token", ..],
        ) => Some(AWS),
        _ => None,
    }
}

/// The command as written, for the decision's evidence.
fn command_line(inv: &Invocation<'_>) -> String {
    let mut words = vec![inv.program.to_owned()];
    words.extend(inv.args.iter().map(|a| a.text.clone()));
    words.join(" ")
}
