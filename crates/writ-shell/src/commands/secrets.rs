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
//! the domains it is minted for, and is secret anywhere else.

use super::Invocation;
use crate::{Credential, Payload};

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
