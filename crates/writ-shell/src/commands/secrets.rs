//! Commands whose output is a credential: CLIs that print long-lived keys
//! and tokens (`gh auth token`, `glab config get token`, `aws configure
//! get aws_secret_access_key`, `aws iam create-access-key`) or what a
//! secret store holds (`vault kv get`, `op read`, `pass show`, Secrets
//! Manager, Key Vault, Kubernetes secrets). Their standard output carries the command as a credential, so
//! sending it (`gh auth token | curl -d @- ...`) sends a secret.
//!
//! Short-lived access tokens minted for the provider's own APIs (`gcloud
//! auth print-access-token`, `az account get-access-token`, `aws ecr
//! get-login-password`) are not counted: they are how those APIs are
//! called (`-H "Authorization: Bearer $(gcloud auth print-access-token)"`),
//! and their output matches none of the credential patterns.

use super::Invocation;
use crate::Payload;

/// The output of `inv` when it prints a credential.
pub(super) fn printed(inv: &Invocation<'_>) -> Option<Payload> {
    let words = crate::args::words(inv.args);
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
    credential.then(|| Payload {
        credentials: vec![command_line(inv)],
        ..Payload::default()
    })
}

/// The command as written, for the decision's evidence.
fn command_line(inv: &Invocation<'_>) -> String {
    let mut words = vec![inv.program.to_owned()];
    words.extend(inv.args.iter().map(|a| a.text.clone()));
    words.join(" ")
}
