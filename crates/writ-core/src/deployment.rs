//! Deployment facts: what an organisation tells writ about itself.
//!
//! A deployment file (see `shared/eval/FORMAT.md`, "Deployment") is parsed
//! into [`Deployment`], merged over the built-in defaults
//! ([`Deployment::builtin`]) and compiled into [`Facts`], the form the
//! decision path reads. Detection lists (sensitive paths, secret variables,
//! public sharing sites, personal mail domains, governance paths) extend the
//! defaults; everything else in a file replaces them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use writ_detect::destination::domain_matches;
use writ_detect::ownership::OwnershipRules;
use writ_detect::paths::{GlobError, PathLabels, PathStyle, normalize, respell_within};
use writ_detect::sensitivity::Sensitivity;

use crate::manifest::Manifest;

/// A deployment as written in a file. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_repos: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_buckets: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_sharing: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_email_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected_branches: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_remotes: Option<BTreeMap<String, String>>,
    /// The branch checked out in the workspace, when known: a push that
    /// names no branch goes there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production: Option<Production>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_paths: Option<Vec<SensitivePath>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_env: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governance_paths: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvers: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<BTreeMap<String, Manifest>>,
    /// Names of the firewall's own processes and services (stopping one is
    /// governance tampering). Defaults to `writ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall_processes: Option<Vec<String>>,
}

/// Production targets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Production {
    #[serde(default)]
    pub environments: Vec<String>,
    #[serde(default)]
    pub kube_contexts: Vec<String>,
    #[serde(default)]
    pub terraform_dirs: Vec<String>,
    #[serde(default)]
    pub databases: Vec<String>,
}

/// A labelled glob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitivePath {
    pub glob: String,
    pub label: String,
}

/// Numeric limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_usd: Option<f64>,
}

/// A deployment file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeploymentError {
    /// Not JSON, or a field of the wrong shape.
    #[error("invalid deployment at `{path}`: {message}")]
    Shape { path: String, message: String },
    /// A value that parses but means nothing.
    #[error("invalid deployment at `{path}`: {message}")]
    Value { path: String, message: String },
}

impl Deployment {
    /// Parses deployment JSON, naming the field at fault on error.
    pub fn from_json(text: &str) -> Result<Deployment, DeploymentError> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| DeploymentError::Shape {
            path: display_path(&e.path().to_string()),
            message: e.inner().to_string(),
        })
    }

    /// The built-in facts used when no deployment file says otherwise:
    /// well-known secret locations, public paste and request-capture sites,
    /// personal mail domains, the agents' and writ's own governance files,
    /// `main`/`master` as protected branches. `workspace` and `home` are
    /// filled in by the caller from the environment.
    pub fn builtin() -> Deployment {
        let strings = |items: &[&str]| Some(items.iter().map(|s| (*s).to_owned()).collect());
        let secret = |glob: &str| SensitivePath {
            glob: glob.to_owned(),
            label: "secret".to_owned(),
        };
        Deployment {
            protected_branches: strings(&["main", "master"]),
            public_sharing: strings(BUILTIN_PUBLIC_SHARING),
            personal_email_domains: strings(BUILTIN_PERSONAL_EMAIL),
            sensitive_paths: Some(BUILTIN_SECRET_PATHS.iter().map(|g| secret(g)).collect()),
            secret_env: strings(BUILTIN_SECRET_ENV),
            governance_paths: strings(BUILTIN_GOVERNANCE),
            firewall_processes: strings(&["writ"]),
            ..Deployment::default()
        }
    }

    /// `self` laid over `base`: paste sites, personal mail domains,
    /// governance paths and firewall processes are concatenated; every other
    /// field of `self`, what is secret among them (`sensitive_paths`,
    /// `secret_env`: the doctrine's labels are the deployment's), replaces
    /// the base's.
    pub fn over(self, base: Deployment) -> Deployment {
        fn concat<T>(top: Option<Vec<T>>, base: Option<Vec<T>>) -> Option<Vec<T>> {
            match (top, base) {
                (Some(mut t), Some(b)) => {
                    t.extend(b);
                    Some(t)
                }
                (t, b) => t.or(b),
            }
        }
        Deployment {
            organization: self.organization.or(base.organization),
            workspace: self.workspace.or(base.workspace),
            home: self.home.or(base.home),
            org_domains: self.org_domains.or(base.org_domains),
            org_repos: self.org_repos.or(base.org_repos),
            org_buckets: self.org_buckets.or(base.org_buckets),
            partner_domains: self.partner_domains.or(base.partner_domains),
            public_sharing: concat(self.public_sharing, base.public_sharing),
            personal_email_domains: concat(
                self.personal_email_domains,
                base.personal_email_domains,
            ),
            protected_branches: self.protected_branches.or(base.protected_branches),
            git_remotes: self.git_remotes.or(base.git_remotes),
            git_branch: self.git_branch.or(base.git_branch),
            production: self.production.or(base.production),
            sensitive_paths: self.sensitive_paths.or(base.sensitive_paths),
            secret_env: self.secret_env.or(base.secret_env),
            governance_paths: concat(self.governance_paths, base.governance_paths),
            limits: self.limits.or(base.limits),
            approvers: self.approvers.or(base.approvers),
            tools: self.tools.or(base.tools),
            firewall_processes: concat(self.firewall_processes, base.firewall_processes),
        }
    }
}

const BUILTIN_PUBLIC_SHARING: &[&str] = &[
    "pastebin.com",
    "paste.ee",
    "hastebin.com",
    "dpaste.org",
    "dpaste.com",
    "termbin.com",
    "ix.io",
    "sprunge.us",
    "controlc.com",
    "rentry.co",
    "gist.github.com",
    "gist.githubusercontent.com",
    "transfer.sh",
    "file.io",
    "0x0.st",
    "catbox.moe",
    "litterbox.catbox.moe",
    "tmpfiles.org",
    "temp.sh",
    "bashupload.com",
    "wetransfer.com",
    "ngrok.io",
    "ngrok-free.app",
    "ngrok.app",
    "trycloudflare.com",
    "loca.lt",
    "serveo.net",
    "webhook.site",
    "requestbin.net",
    "requestbin.com",
    "pipedream.net",
    "beeceptor.com",
    "requestcatcher.com",
    "hookbin.com",
    "interact.sh",
    "oast.fun",
    "burpcollaborator.net",
];

const BUILTIN_PERSONAL_EMAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "gmx.com",
    "gmx.net",
    "mail.com",
    "yandex.com",
    "zoho.com",
    "tutanota.com",
    "fastmail.com",
];

const BUILTIN_SECRET_PATHS: &[&str] = &[
    "~/.ssh/**",
    "~/.aws/credentials",
    "~/.aws/config",
    "~/.config/gcloud/**",
    "~/.azure/**",
    "~/.kube/config",
    "~/.docker/config.json",
    "~/.netrc",
    "~/.npmrc",
    "~/.pypirc",
    "~/.git-credentials",
    "~/.gnupg/**",
    "~/.config/gh/hosts.yml",
    "~/.terraform.d/credentials.tfrc.json",
    "**/.env",
    "**/.env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "**/id_rsa",
    "**/id_ed25519",
    "**/id_ecdsa",
    "/etc/shadow",
];

const BUILTIN_SECRET_ENV: &[&str] = &[
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "GITLAB_TOKEN",
    "NPM_TOKEN",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "STRIPE_API_KEY",
    "STRIPE_SECRET_KEY",
    "SLACK_BOT_TOKEN",
    "DATABASE_URL",
    "GOOGLE_APPLICATION_CREDENTIALS",
];

const BUILTIN_GOVERNANCE: &[&str] = &[
    ".claude/settings.json",
    ".claude/settings.local.json",
    "~/.claude/settings.json",
    "~/.claude/settings.local.json",
    ".codex/config.toml",
    "~/.codex/config.toml",
    ".writ/**",
    "~/.writ/**",
];

/// The server host a database reference names, however it is written (a
/// `production.databases` entry, a tool's host argument): a host,
/// `host:port`, a URI (`postgres://user:pw@host:5432/db`,
/// `jdbc:mysql://...`, SQL Server's `jdbc:sqlserver://host:1433;databaseName=d`),
/// Oracle's `jdbc:oracle:thin:@//host:1521/svc`, a libpq conninfo string
/// (`host=h port=5432 dbname=d`) or an ADO.NET connection string
/// (`Server=tcp:host,1433;Database=d`); a reference that names no host is
/// kept whole.
pub(crate) fn database_host(reference: &str) -> String {
    let reference = reference.trim();
    connection_string_host(reference).unwrap_or_else(|| {
        writ_detect::destination::parse_destination(reference)
            .map_or_else(|| reference.to_ascii_lowercase(), |d| d.host)
    })
}

/// The host a connection string names: a URI, Oracle's thin form, a
/// libpq conninfo or an ADO.NET string. `None` for anything else (a bare
/// host, or a database name a client was given).
pub(crate) fn connection_string_host(reference: &str) -> Option<String> {
    let reference = reference.trim();
    let reference = reference.strip_prefix("jdbc:").unwrap_or(reference);
    if let Some(rest) = reference
        .strip_prefix("oracle:thin:")
        .and_then(|r| r.split_once('@'))
        .map(|(_, r)| r.trim_start_matches('/'))
    {
        let host = rest.split([':', '/']).next().unwrap_or(rest);
        return Some(host.to_ascii_lowercase());
    }
    let Some((_, rest)) = reference.split_once("://") else {
        return reference
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix("host="))
            .map(|host| host.trim_matches(['\'', '"']).to_ascii_lowercase())
            .or_else(|| connection_string_server(reference));
    };
    // SQL Server's JDBC properties follow the authority after `;`.
    let reference = if rest.contains(';') {
        reference.split(';').next().unwrap_or(reference)
    } else {
        reference
    };
    Some(
        writ_detect::destination::parse_destination(reference)
            .map_or_else(|| reference.to_ascii_lowercase(), |d| d.host),
    )
}

/// The server of an ADO.NET-style connection string (`Server=tcp:h,1433;
/// Database=d`, `Data Source=h\\SQLEXPRESS`, Npgsql's `Host=h;Port=5432`).
fn connection_string_server(text: &str) -> Option<String> {
    if !text.contains(';') {
        return None;
    }
    text.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let key = key.trim().to_ascii_lowercase();
        let names_server = matches!(
            key.as_str(),
            "server" | "data source" | "host" | "address" | "addr" | "network address"
        );
        let value = value.trim().trim_matches(['\'', '"']);
        let value = value.strip_prefix("tcp:").unwrap_or(value);
        let host = value.split([',', '\\', ':']).next().unwrap_or(value);
        (names_server && !host.is_empty()).then(|| host.to_ascii_lowercase())
    })
}

/// A deployment compiled for the decision path.
#[derive(Debug, Clone)]
pub struct Facts {
    pub organization: String,
    /// The workspace and the home, absolute and normalised, in the form
    /// [`PathStyle::local`] gives (`C:\Users\ana` is `/c/Users/ana`).
    pub workspace: String,
    pub home: String,
    /// How the deployment writes paths (Windows when its workspace or home
    /// is a Windows path), and so how an event's paths are read.
    pub path_style: PathStyle,
    pub ownership: OwnershipRules,
    pub protected_branches: Vec<String>,
    pub git_remotes: BTreeMap<String, String>,
    pub git_branch: Option<String>,
    pub production: Production,
    /// Production Terraform directories, absolute.
    pub production_dirs: Vec<String>,
    /// The hosts of `production.databases`, however each is written: a
    /// host, `host:port`, or a DSN (`postgres://user@host:5432/db`).
    pub production_database_hosts: Vec<String>,
    pub sensitive: PathLabels<Sensitivity>,
    pub secret_env: Vec<String>,
    pub governance: PathLabels<()>,
    pub payment_limit_cents: Option<i64>,
    pub approvers: BTreeMap<String, Vec<String>>,
    pub tools: BTreeMap<String, Manifest>,
    pub firewall_processes: Vec<String>,
    /// Lower-cased text of the facts that count as trusted instructions:
    /// the organisation's own and its partners' names, repositories,
    /// remotes, production targets and approvers.
    pub trusted_text: String,
}

impl Facts {
    /// Compiles `deployment`, which must name `workspace` and `home`.
    pub fn compile(deployment: &Deployment) -> Result<Facts, DeploymentError> {
        let value_error = |path: &str, message: String| DeploymentError::Value {
            path: path.to_owned(),
            message,
        };
        let workspace = deployment.workspace.clone().ok_or_else(|| {
            value_error(
                "workspace",
                "missing: the workspace directory is required".to_owned(),
            )
        })?;
        let home = deployment.home.clone().ok_or_else(|| {
            value_error("home", "missing: the home directory is required".to_owned())
        })?;
        let path_style = match (PathStyle::of(&workspace), PathStyle::of(&home)) {
            (PathStyle::Posix, PathStyle::Posix) => PathStyle::Posix,
            _ => PathStyle::Windows,
        };
        let absolute = |field: &str, path: &str| {
            let local = path_style.local(path.trim());
            if local.starts_with('/') {
                Ok(local.into_owned())
            } else {
                Err(value_error(
                    field,
                    format!("`{path}` is not an absolute path"),
                ))
            }
        };
        let home = normalize(&absolute("home", &home)?, "/", "/");
        let workspace = normalize(&absolute("workspace", &workspace)?, "/", &home);
        let list = |field: &Option<Vec<String>>| field.clone().unwrap_or_default();

        let mut sensitive_entries = Vec::new();
        for (i, entry) in deployment.sensitive_paths.iter().flatten().enumerate() {
            let label = Sensitivity::parse(&entry.label).ok_or_else(|| {
                value_error(
                    &format!("sensitive_paths[{i}].label"),
                    format!(
                        "unknown label `{}`: expected secret, confidential, internal or none",
                        entry.label
                    ),
                )
            })?;
            sensitive_entries.push((entry.glob.clone(), label));
        }
        let sensitive = PathLabels::for_style(&sensitive_entries, &workspace, &home, path_style)
            .map_err(|e| glob_error("sensitive_paths", &e))?;
        let governance_entries: Vec<(String, ())> = list(&deployment.governance_paths)
            .into_iter()
            .map(|g| (g, ()))
            .collect();
        let governance = PathLabels::for_style(&governance_entries, &workspace, &home, path_style)
            .map_err(|e| glob_error("governance_paths", &e))?;

        let payment_limit_cents = match deployment.limits.as_ref().and_then(|l| l.payment_usd) {
            Some(usd) if usd.is_finite() && usd >= 0.0 => Some(dollars_to_cents(usd)),
            Some(usd) => {
                return Err(value_error(
                    "limits.payment_usd",
                    format!("`{usd}` is not a non-negative amount"),
                ));
            }
            None => None,
        };

        let mut tools = BTreeMap::new();
        for (name, manifest) in deployment.tools.iter().flatten() {
            manifest
                .validate()
                .map_err(|message| value_error(&format!("tools.{name}"), message))?;
            tools.insert(name.clone(), manifest.clone());
        }

        let production = deployment.production.clone().unwrap_or_default();
        let production_dirs = production
            .terraform_dirs
            .iter()
            .map(|d| normalize(&path_style.local(d), &workspace, &home))
            .collect();
        let production_database_hosts = production
            .databases
            .iter()
            .map(|d| database_host(d))
            .collect();
        let ownership = OwnershipRules {
            org_domains: list(&deployment.org_domains),
            org_repos: list(&deployment.org_repos),
            org_buckets: list(&deployment.org_buckets),
            partner_domains: list(&deployment.partner_domains),
            public_sharing: list(&deployment.public_sharing),
            personal_email_domains: list(&deployment.personal_email_domains),
        };
        let approvers = deployment.approvers.clone().unwrap_or_default();
        let git_remotes = deployment.git_remotes.clone().unwrap_or_default();
        let trusted_text = trusted_text(&ownership, &git_remotes, &production, &approvers);
        Ok(Facts {
            organization: deployment
                .organization
                .clone()
                .unwrap_or_else(|| "local".to_owned()),
            workspace,
            home,
            path_style,
            ownership,
            protected_branches: list(&deployment.protected_branches),
            git_remotes,
            git_branch: deployment.git_branch.clone(),
            production,
            production_dirs,
            production_database_hosts,
            sensitive,
            secret_env: list(&deployment.secret_env),
            governance,
            payment_limit_cents,
            approvers,
            tools,
            firewall_processes: list(&deployment.firewall_processes),
            trusted_text,
        })
    }

    /// `path` as an event writes it, resolved from `base` (absolute,
    /// normalised) in the deployment's [`PathStyle`]: `~` and `$HOME` are
    /// the home, and a Windows path (`.writ\policy`, `C:\Users\Ana\x`) is
    /// read with `\` as a separator and spelt as the workspace and home are
    /// ([`Facts::respell`]).
    pub fn local_path(&self, path: &str, base: &str) -> String {
        let path = normalize(&self.path_style.local(path), base, &self.home);
        self.respell(path)
    }

    /// An absolute, normalised path inside the workspace or the home spelt
    /// as the deployment spells them, when names compare ignoring case
    /// (Windows): `/c/users/ANA/claims-portal/x` is within
    /// `/c/Users/ana/claims-portal`, and compared so everywhere after.
    pub fn respell(&self, path: String) -> String {
        if self.path_style == PathStyle::Posix {
            return path;
        }
        respell_within(&path, &self.workspace)
            .or_else(|| respell_within(&path, &self.home))
            .unwrap_or(path)
    }

    /// The manifest's kind for a tool name, if the deployment describes it.
    pub fn manifest(&self, tool: &str) -> Option<&Manifest> {
        self.tools.get(tool)
    }

    /// True when `host` is, or is under, an organisation or partner domain.
    pub fn is_known_host(&self, host: &str) -> bool {
        self.ownership
            .org_domains
            .iter()
            .chain(&self.ownership.partner_domains)
            .any(|d| domain_matches(host, d))
    }

    /// True when `branch` matches a `protected_branches` pattern.
    pub fn is_protected_branch(&self, branch: &str) -> bool {
        self.protected_branches
            .iter()
            .any(|pattern| branch_matches(pattern, branch))
    }
}

/// Matches a branch pattern where `*` stands for any run of characters.
fn branch_matches(pattern: &str, branch: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == branch,
        Some((prefix, rest)) => {
            branch.len() >= prefix.len() + rest.len()
                && branch.starts_with(prefix)
                && branch.get(prefix.len()..).is_some_and(|tail| {
                    if rest.contains('*') {
                        (0..=tail.len())
                            .any(|i| tail.get(i..).is_some_and(|t| branch_matches(rest, t)))
                    } else {
                        tail.ends_with(rest)
                    }
                })
        }
    }
}

/// Converts dollars to whole cents, rounding half away from zero.
pub fn dollars_to_cents(usd: f64) -> i64 {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "amounts are far below i64::MAX cents"
    )]
    let cents = (usd * 100.0).round() as i64;
    cents
}

fn glob_error(field: &str, e: &GlobError) -> DeploymentError {
    DeploymentError::Value {
        path: field.to_owned(),
        message: format!("invalid glob `{}`: {}", e.glob, e.message),
    }
}

fn trusted_text(
    ownership: &OwnershipRules,
    git_remotes: &BTreeMap<String, String>,
    production: &Production,
    approvers: &BTreeMap<String, Vec<String>>,
) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(ownership.org_domains.iter().map(String::as_str));
    parts.extend(ownership.org_repos.iter().map(String::as_str));
    parts.extend(ownership.org_buckets.iter().map(String::as_str));
    parts.extend(ownership.partner_domains.iter().map(String::as_str));
    parts.extend(git_remotes.values().map(String::as_str));
    parts.extend(production.databases.iter().map(String::as_str));
    parts.extend(approvers.values().flatten().map(String::as_str));
    parts.join("\n").to_lowercase()
}

/// Turns serde_path_to_error's `a.b[0]` into a display path; `.` is the root.
fn display_path(path: &str) -> String {
    if path == "." || path.is_empty() {
        "(root)".to_owned()
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_production_database_is_its_host_however_written() {
        for (entry, host) in [
            ("db.prod.acme.internal", "db.prod.acme.internal"),
            ("DB.Prod.acme.internal:5432", "db.prod.acme.internal"),
            (
                "postgres://app@db.prod.acme.internal:5432/app",
                "db.prod.acme.internal",
            ),
            ("app@db.prod.acme.internal/app", "db.prod.acme.internal"),
            ("10.0.4.7:3306", "10.0.4.7"),
            ("[fd00::7]:5432", "fd00::7"),
            ("fd00::7", "fd00::7"),
            (
                "jdbc:postgresql://db.prod.acme.internal:5432/core",
                "db.prod.acme.internal",
            ),
            (
                "host=db.prod.acme.internal port=5432 dbname=core",
                "db.prod.acme.internal",
            ),
            (
                "dbname=core host='DB.prod.acme.internal'",
                "db.prod.acme.internal",
            ),
            (
                "jdbc:sqlserver://mssql.prod.acme.internal:1433;databaseName=claims;encrypt=true",
                "mssql.prod.acme.internal",
            ),
            (
                "jdbc:oracle:thin:@//ora.prod.acme.internal:1521/ledger",
                "ora.prod.acme.internal",
            ),
            (
                "jdbc:oracle:thin:scott/tiger@ora.prod.acme.internal:1521:ORCL",
                "ora.prod.acme.internal",
            ),
            (
                "Server=tcp:mssql.prod.acme.internal,1433;Database=claims;User Id=u;Password=p;",
                "mssql.prod.acme.internal",
            ),
            (
                "Data Source=MSSQL.prod.acme.internal\\SQLEXPRESS;Initial Catalog=claims",
                "mssql.prod.acme.internal",
            ),
            (
                "Host=pg.prod.acme.internal;Port=5432;Database=core",
                "pg.prod.acme.internal",
            ),
        ] {
            assert_eq!(database_host(entry), host, "{entry}");
        }
    }

    #[test]
    fn branch_patterns() {
        assert!(branch_matches("main", "main"));
        assert!(!branch_matches("main", "main2"));
        assert!(branch_matches("release/*", "release/1.2"));
        assert!(!branch_matches("release/*", "releases/1.2"));
        assert!(branch_matches("*-stable", "v1-stable"));
    }

    #[test]
    fn unknown_field_names_its_path() {
        let err = Deployment::from_json(r#"{"production": {"enviroments": []}}"#).unwrap_err();
        assert!(err.to_string().contains("production"), "{err}");
        assert!(err.to_string().contains("enviroments"), "{err}");
    }

    #[test]
    fn bad_label_names_its_index() {
        let d = Deployment::from_json(
            r#"{"workspace": "/w", "home": "/h", "sensitive_paths": [{"glob": "a", "label": "secret"}, {"glob": "b", "label": "spicy"}]}"#,
        )
        .unwrap();
        let err = Facts::compile(&d).unwrap_err();
        assert!(
            err.to_string().contains("sensitive_paths[1].label"),
            "{err}"
        );
    }

    #[test]
    fn windows_paths_compile_to_git_bash_form() {
        let d = Deployment::from_json(
            r#"{"workspace": "C:\\Users\\ana\\claims-portal", "home": "c:/Users/ana/",
                "production": {"terraform_dirs": ["infra\\prd"]}}"#,
        )
        .unwrap();
        let facts = Facts::compile(&d).unwrap();
        assert_eq!(facts.path_style, PathStyle::Windows);
        assert_eq!(facts.workspace, "/c/Users/ana/claims-portal");
        assert_eq!(facts.home, "/c/Users/ana");
        assert_eq!(
            facts.production_dirs,
            ["/c/Users/ana/claims-portal/infra/prd"]
        );
        let base = facts.workspace.clone();
        for (path, local) in [
            (r"src\app.cs", "/c/Users/ana/claims-portal/src/app.cs"),
            (
                r"C:\USERS\Ana\Claims-Portal\.writ",
                "/c/Users/ana/claims-portal/.writ",
            ),
            (r"%UserProfile%\.azure", "/c/Users/ana/.azure"),
            (r"..\..\ana\x", "/c/Users/ana/x"),
            (r"D:\data", "/d/data"),
        ] {
            assert_eq!(facts.local_path(path, &base), local, "{path}");
        }
        let unc = Deployment::from_json(
            r#"{"workspace": "\\\\fs01\\home\\ana\\ws", "home": "\\\\fs01\\home\\ana"}"#,
        )
        .unwrap();
        assert_eq!(
            Facts::compile(&unc).unwrap().workspace,
            "/UNC/fs01/home/ana/ws"
        );
    }

    #[test]
    fn a_relative_or_empty_workspace_is_an_error_naming_it() {
        for (workspace, home, field) in [
            ("claims-portal", r"C:\\Users\\ana", "workspace"),
            ("", r"C:\\Users\\ana", "workspace"),
            ("C:claims-portal", r"C:\\Users\\ana", "workspace"),
            (r"C:\\Users\\ana\\ws", r"Users\\ana", "home"),
            (r"C:\\Users\\ana\\ws", "", "home"),
        ] {
            let d = Deployment::from_json(&format!(
                r#"{{"workspace": "{workspace}", "home": "{home}"}}"#
            ))
            .unwrap();
            let err = Facts::compile(&d).unwrap_err().to_string();
            assert!(err.contains(&format!("`{field}`")), "{err}");
            assert!(err.contains("not an absolute path"), "{err}");
        }
    }

    #[test]
    fn lists_extend_and_scalars_override() {
        let file = Deployment::from_json(
            r#"{"public_sharing": ["paste.example"], "protected_branches": ["trunk"]}"#,
        )
        .unwrap();
        let merged = file.over(Deployment::builtin());
        let sharing = merged.public_sharing.unwrap();
        assert!(sharing.contains(&"paste.example".to_owned()));
        assert!(sharing.contains(&"pastebin.com".to_owned()));
        assert_eq!(merged.protected_branches.unwrap(), vec!["trunk".to_owned()]);
    }

    #[test]
    fn what_is_secret_is_the_deployments_when_it_says() {
        let file = Deployment::from_json(
            r#"{"sensitive_paths": [{"glob": "config/credentials/*.yml", "label": "secret"}],
                "secret_env": ["QLN_DEPLOY_KEY"]}"#,
        )
        .unwrap();
        let merged = file.over(Deployment::builtin());
        let paths: Vec<String> = merged
            .sensitive_paths
            .unwrap()
            .into_iter()
            .map(|p| p.glob)
            .collect();
        assert_eq!(paths, ["config/credentials/*.yml"]);
        assert_eq!(merged.secret_env.unwrap(), ["QLN_DEPLOY_KEY"]);
        // Without them, the built-in ones stand.
        let bare = Deployment::from_json(r#"{"org_domains": ["x.io"]}"#).unwrap();
        let merged = bare.over(Deployment::builtin());
        assert!(
            merged
                .secret_env
                .unwrap()
                .contains(&"GITHUB_TOKEN".to_owned())
        );
    }
}
