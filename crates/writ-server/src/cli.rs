//! Entry points for the `writ` command line (`writ serve`, `writ tokens`).

use std::path::PathBuf;

use crate::telemetry::{OtlpConfig, OtlpProtocol};
use crate::tokens::{Role, tokens_create, tokens_list, tokens_revoke};
use crate::{DEFAULT_LISTEN, Mode, ServeConfig, serve};

/// `writ serve [--listen ADDR] [--data-dir DIR] [--deployment FILE] [--mode MODE]`:
/// builds a tokio runtime and serves until Ctrl-C.
pub fn serve_main(
    listen: Option<String>,
    data_dir: PathBuf,
    deployment: Option<PathBuf>,
    mode: Mode,
    otlp: Option<OtlpConfig>,
) -> Result<(), String> {
    let listen = listen.unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    let addr = listen
        .parse()
        .map_err(|e| format!("--listen `{listen}`: {e}"))?;
    let mut config = ServeConfig::new(data_dir);
    config.listen = addr;
    config.deployment = deployment;
    config.mode = mode;
    config.otlp = otlp;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    // On a worker thread, not the main one: a connection it accepts then
    // starts on the same worker instead of waking another thread (one
    // wake-up less per request, which an idle VM's vCPU makes slow).
    let server = runtime.spawn(serve(config));
    runtime
        .block_on(server)
        .map_err(|e| format!("the server stopped: {e}"))?
        .map_err(|e| e.to_string())
}

/// A `writ tokens` subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokensCommand {
    /// Prints a new token for a principal.
    Create {
        role: String,
        name: String,
        jurisdictions: Vec<String>,
    },
    /// Lists principals (never their tokens).
    List,
    /// Revokes a principal's live token.
    Revoke { name: String },
}

/// Runs a `writ tokens` subcommand on a data directory; returns what to print.
pub fn tokens_main(command: TokensCommand, data_dir: PathBuf) -> Result<String, String> {
    match command {
        TokensCommand::Create {
            role,
            name,
            jurisdictions,
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                format!("unknown role `{role}`; one of: agent, approver, auditor, admin")
            })?;
            let token =
                tokens_create(&data_dir, role, &name, &jurisdictions).map_err(|e| e.to_string())?;
            Ok(format!("{token}\n"))
        }
        TokensCommand::List => {
            let mut out = String::new();
            for t in tokens_list(&data_dir).map_err(|e| e.to_string())? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    t.name,
                    t.role.as_str(),
                    if t.jurisdictions.is_empty() {
                        "-".to_owned()
                    } else {
                        t.jurisdictions.join(",")
                    },
                    t.fingerprint,
                    t.created_at,
                    t.revoked_at
                        .map(|r| format!("revoked {r}"))
                        .unwrap_or_else(|| "live".to_owned()),
                ));
            }
            Ok(out)
        }
        TokensCommand::Revoke { name } => {
            tokens_revoke(&data_dir, &name).map_err(|e| e.to_string())?;
            Ok(format!("revoked the token of `{name}`\n"))
        }
    }
}

/// The OTLP export `--otlp-endpoint`/`--otlp-protocol` ask for, or else
/// the `OTEL_EXPORTER_OTLP_*` variables; `None` when neither is set.
pub fn otlp_config(
    endpoint: Option<String>,
    protocol: Option<String>,
) -> Result<Option<OtlpConfig>, String> {
    let from_flag = match &protocol {
        Some(name) => Some(OtlpProtocol::parse(name).ok_or_else(|| {
            format!("--otlp-protocol `{name}` is not supported; one of: http/protobuf, http/json")
        })?),
        None => None,
    };
    let config = match endpoint {
        Some(url) => {
            OtlpConfig::traces_url(&url)?;
            Some(OtlpConfig {
                endpoint: Some(url),
                ..OtlpConfig::default()
            })
        }
        None => OtlpConfig::from_env()?,
    };
    Ok(config.map(|c| OtlpConfig {
        protocol: from_flag.unwrap_or(c.protocol),
        ..c
    }))
}

/// Parses a `--mode` value.
pub fn parse_mode(name: &str) -> Result<Mode, String> {
    Mode::parse(name)
        .ok_or_else(|| format!("unknown mode `{name}`; one of: shadow, advisory, enforce"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn tokens_create_list_revoke() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let create = |role: &str, name: &str, js: &[&str]| {
            tokens_main(
                TokensCommand::Create {
                    role: role.to_owned(),
                    name: name.to_owned(),
                    jurisdictions: js.iter().map(|j| (*j).to_owned()).collect(),
                },
                data.clone(),
            )
        };
        let token = create("approver", "alice", &["finance"]).unwrap();
        assert!(token.starts_with("writ_") && token.ends_with('\n'));
        assert!(
            create("approver", "bob", &[])
                .unwrap_err()
                .contains("--jurisdiction")
        );
        assert!(
            create("agent", "ci", &["finance"])
                .unwrap_err()
                .contains("jurisdictions")
        );
        assert!(
            create("root", "x", &[])
                .unwrap_err()
                .contains("unknown role `root`")
        );
        assert!(
            create("auditor", "alice", &[])
                .unwrap_err()
                .contains("already has a live token")
        );
        assert!(create("admin", "", &[]).is_err());
        let listed = tokens_main(TokensCommand::List, data.clone()).unwrap();
        assert!(listed.starts_with("alice\tapprover\tfinance\t"), "{listed}");
        assert!(listed.trim_end().ends_with("live"));
        tokens_main(
            TokensCommand::Revoke {
                name: "alice".into(),
            },
            data.clone(),
        )
        .unwrap();
        assert!(
            tokens_main(
                TokensCommand::Revoke {
                    name: "alice".into()
                },
                data.clone()
            )
            .is_err()
        );
        // A revoked principal may get a new token.
        create("approver", "alice", &["finance", "release"]).unwrap();
        let listed = tokens_main(TokensCommand::List, data).unwrap();
        assert_eq!(listed.lines().count(), 2);
        assert!(listed.contains("revoked "));
    }

    #[test]
    fn modes_and_listen_addresses_are_checked() {
        assert_eq!(parse_mode("shadow").unwrap(), Mode::Shadow);
        assert!(parse_mode("loud").unwrap_err().contains("unknown mode"));
        let dir = tempfile::tempdir().unwrap();
        let err = serve_main(
            Some("not an address".into()),
            dir.path().to_owned(),
            None,
            Mode::Enforce,
            None,
        )
        .unwrap_err();
        assert!(err.contains("--listen `not an address`"), "{err}");
        let json = otlp_config(
            Some("http://127.0.0.1:4318".into()),
            Some("http/json".into()),
        )
        .unwrap()
        .unwrap();
        assert_eq!(json.protocol, OtlpProtocol::Json);
        assert!(
            otlp_config(Some("collector:4318".into()), None)
                .unwrap_err()
                .contains("http:// or https://")
        );
        assert!(
            otlp_config(Some("http://c:4318".into()), Some("grpc".into()))
                .unwrap_err()
                .contains("--otlp-protocol `grpc`")
        );
    }
}
