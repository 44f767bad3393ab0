//! Facts about an action: effects placed in the organisation's world.
//!
//! [`derive`] gives every destination its ownership, every payload its
//! sensitivity, checks writes against the workspace and governance paths,
//! recognises production targets and protected things, consults the session
//! (dry runs, what it read, what untrusted text it saw) and sums it all up in
//! [`ActionFacts`], which the policy reads.

use std::collections::BTreeSet;

use serde::Serialize;
use writ_detect::destination::{Destination, domain_matches, parse_destination, parse_email};
use writ_detect::ownership::Ownership;
use writ_detect::paths::is_within;
use writ_detect::sensitivity::{Sensitivity, scan_text};

use crate::deployment::Facts;
use crate::effects::{Channel, Effect, Payload, Send};
use crate::envelope::{Envelope, Runtime};
use crate::interpret::Interpretation;
use crate::manifest::ToolKind;
use crate::session::{SessionState, account_identifier, mentions, mentions_account, mentions_host};
use crate::sql::{SqlClass, classify_sql};

/// A destination data goes to, placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Egress {
    pub channel: Channel,
    pub target: String,
    /// `None` for a loopback destination, which is not external.
    pub host: Option<String>,
    pub ownership: Ownership,
    pub sensitivity: Sensitivity,
    /// Why the payload has its sensitivity (`credential:aws_access_key_id`, `file:/x/.env`, `env:GITHUB_TOKEN`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The payload holds confidential data, whatever else it holds: a
    /// secret payload may also carry a confidential file or e-mail list,
    /// and the rules for confidential data fire for it too.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub holds_confidential: bool,
    /// Counts for `EXTERNAL_WRITE` (not a message, payment, deploy, share or query).
    pub generic: bool,
    /// The destination is named in untrusted text the session saw and in no trusted text.
    pub untrusted_only: bool,
}

/// How sensitive a payload is: its highest level, why, and whether it
/// holds confidential data besides (a secret payload may).
struct Assessed {
    level: Sensitivity,
    evidence: Vec<String>,
    holds_confidential: bool,
}

/// The PCAA externality context of an action: ten fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Externality {
    /// `none`, `filesystem`, `network`, `email`, `chat`, `repository`, `object_store`,
    /// `database`, `payment`, `deployment`, `infrastructure`, `package_registry`, `process`.
    pub destination_type: &'static str,
    /// Who can see the result: `private`, `org`, `external` or `public`.
    pub visibility: &'static str,
    /// Weakest ownership among destinations (`local` when nothing leaves).
    pub ownership: &'static str,
    /// Whose tenant the destination lives in: `none`, `org`, `partner` or `foreign`.
    pub tenant_provenance: &'static str,
    /// Whose account acts: `delegated_user` (on behalf of a named user) or `agent`.
    pub account_provenance: &'static str,
    /// Which client issued the call: the runtime, and the MCP server when there is one.
    pub client_provenance: String,
    pub external_write: bool,
    /// Strongest sensitivity of what leaves.
    pub sensitive_payload: &'static str,
    /// `reversible`, `compensable` or `irreversible`.
    pub reversibility: &'static str,
    pub enforceability: &'static str,
}

/// Everything the policy reads about one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionFacts {
    pub tool: String,
    pub tool_kind: Option<&'static str>,
    /// Where the tool's meaning came from.
    pub meaning: &'static str,
    pub effects: Vec<Effect>,
    /// External writes, with ownership and sensitivity.
    pub egress: Vec<Egress>,
    /// Sensitivity labels of what the action reads.
    pub read_labels: BTreeSet<String>,
    /// The action's output (when it runs) is untrusted text.
    pub untrusted_output: bool,
    /// Protected things destroyed: `filesystem`, `protected_branch`, `production_database`,
    /// `org_bucket`, `production_cluster`, `production_infrastructure`.
    pub destroys: BTreeSet<&'static str>,
    /// Production changes: `deploy`, `kubernetes`, `terraform`, `helm`, `database_write`.
    pub production_changes: BTreeSet<&'static str>,
    /// Applies outside production with no successful dry run: `terraform`, `kubernetes`, `helm`.
    pub unsimulated_applies: BTreeSet<&'static str>,
    /// Dry runs this action performs (recorded in the session when it succeeds).
    pub dry_runs: Vec<String>,
    /// Repositories it clones, `(directory, source URL)` (recorded in the
    /// session when it succeeds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub clones: Vec<(String, String)>,
    /// Remotes it sets, `(repository directory, name, URL)` (recorded in
    /// the session when it succeeds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remotes: Vec<(String, String, String)>,
    /// Settings it writes that move pushes, `(scope, key, value)`
    /// (recorded in the session when it succeeds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub url_settings: Vec<(String, String, String)>,
    /// The Kubernetes context it leaves current (recorded in the session
    /// when it succeeds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kube_context: Option<String>,
    /// Branches it checks out, `(repository directory, branch)` (recorded
    /// in the session when it succeeds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<(String, String)>,
    /// Symbolic links it makes or removes, `(link, target)` (recorded in
    /// the session when it succeeds; [`crate::links`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<(String, String)>,
    /// Files it writes or deletes and what each then holds (recorded in the
    /// session when it succeeds; not reported: a file tool's content is
    /// its own argument).
    #[serde(skip)]
    pub written: Vec<writ_shell::WrittenFile>,
    /// A file whose whole text the action's output is (a read tool's): the
    /// session knows it once the action has run. Not reported.
    #[serde(skip)]
    pub read_whole: Option<String>,
    /// Directories it lists: what its output shows of them, the session
    /// knows they hold once the action has run. Not reported.
    #[serde(skip)]
    pub listings: Vec<writ_shell::Listing>,
    /// Pushes to org repositories: `protected` (to a protected branch), `force` (forced, to another branch).
    pub pushes: BTreeSet<&'static str>,
    pub package_installs: Vec<String>,
    /// A resource of the organisation is made public, or a non-org principal
    /// gets access to a confidential or secret resource.
    pub public_exposure: bool,
    /// Someone's roles or access change.
    pub grants_access: bool,
    /// Governance tampering: `write` (of a governance path), `stop_firewall`.
    pub governance: BTreeSet<&'static str>,
    /// Files written outside the workspace and `/tmp`.
    pub outside_workspace_writes: Vec<String>,
    /// Ownership of every message recipient.
    pub message_recipients: BTreeSet<&'static str>,
    /// Largest payment, in cents; `None` when there is no payment.
    pub payment_max_cents: Option<i64>,
    /// A payment whose amount cannot be read.
    pub payment_unreadable: bool,
    /// The shell command could not be parsed.
    pub unparsed_command: bool,
    pub externality: Externality,
}

/// Who acts and through what.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user: Option<&'a str>,
}

/// Derives the facts of `envelope` (interpreted as `interpretation`) in `facts` and `session`.
pub fn derive(
    envelope: &Envelope,
    interpretation: Interpretation,
    facts: &Facts,
    session: &SessionState,
    actor: Actor<'_>,
) -> ActionFacts {
    let mut d = Deriver {
        facts,
        session,
        out: empty_facts(envelope, &interpretation),
        labelled: Vec::new(),
    };
    for effect in &interpretation.effects {
        d.effect(effect);
    }
    // What a third-party MCP tool returns is untrusted: a tool of an MCP
    // server (`server/tool`, in any runtime) that the deployment gives no
    // meaning, unless it says its world is closed (`openWorldHint: false`;
    // MCP's default is open).
    let open_world = envelope
        .annotations
        .as_ref()
        .and_then(|a| a.open_world_hint);
    let third_party_mcp = matches!(interpretation.meaning, "annotations" | "none")
        && (envelope.runtime == Runtime::Mcp || envelope.tool.contains('/'));
    // A tool nothing describes (no manifest, no built-in meaning) in any
    // runtime: where its answer comes from is not known, so it is not trusted.
    let undescribed = interpretation.meaning == "none";
    // A shell or file tool's answer comes from what it did (a fetch's
    // effects make it untrusted), whatever world its server claims.
    let judged_by_effects = interpretation.meaning != "none"
        && matches!(
            interpretation.kind,
            Some(ToolKind::Shell | ToolKind::FileRead | ToolKind::FileWrite)
        );
    // A tool the deployment or writ describes (a manifest's payment or
    // message tool) is the organisation's own, not a third party's: what
    // it answers is judged by what it did, whatever world it claims.
    let described = matches!(interpretation.meaning, "manifest" | "builtin");
    let claims_open_world = open_world == Some(true) && !judged_by_effects && !described;
    // A read-only tool named for searching or browsing the web (LangChain's
    // `tavily_search_results_json`, `web_search`, `brave_search`) reads
    // pages anyone writes: an external read, whatever its manifest.
    let reads_the_web =
        interpretation.kind == Some(ToolKind::ReadOnly) && names_web_reading(&envelope.tool);
    if claims_open_world
        || reads_the_web
        || ((third_party_mcp || undescribed) && open_world != Some(false))
    {
        d.out.untrusted_output = true;
    }
    let mut out = d.out;
    out.effects = interpretation.effects;
    out.externality = externality(envelope, &out, actor);
    out
}

fn empty_facts(envelope: &Envelope, interpretation: &Interpretation) -> ActionFacts {
    ActionFacts {
        tool: envelope.tool.clone(),
        tool_kind: interpretation.kind.map(|k| k.as_str()),
        meaning: interpretation.meaning,
        effects: Vec::new(),
        egress: Vec::new(),
        read_labels: BTreeSet::new(),
        untrusted_output: false,
        destroys: BTreeSet::new(),
        production_changes: BTreeSet::new(),
        unsimulated_applies: BTreeSet::new(),
        dry_runs: Vec::new(),
        clones: interpretation.clones.clone(),
        remotes: interpretation.remotes.clone(),
        url_settings: interpretation.url_settings.clone(),
        kube_context: interpretation.kube_context.clone(),
        branches: interpretation.branches.clone(),
        links: interpretation.links.clone(),
        written: interpretation.written.clone(),
        read_whole: interpretation.read_whole.clone(),
        listings: interpretation.listings.clone(),
        pushes: BTreeSet::new(),
        package_installs: Vec::new(),
        public_exposure: false,
        grants_access: false,
        governance: BTreeSet::new(),
        outside_workspace_writes: Vec::new(),
        message_recipients: BTreeSet::new(),
        payment_max_cents: None,
        payment_unreadable: false,
        unparsed_command: interpretation.unparsed.is_some(),
        externality: Externality {
            destination_type: "none",
            visibility: "private",
            ownership: "local",
            tenant_provenance: "none",
            account_provenance: "agent",
            client_provenance: String::new(),
            external_write: false,
            sensitive_payload: "none",
            reversibility: "reversible",
            enforceability: envelope.family.enforceability().as_str(),
        },
    }
}

struct Deriver<'a> {
    facts: &'a Facts,
    session: &'a SessionState,
    out: ActionFacts,
    /// Sensitive-path labels already computed in this derivation, by path
    /// and recursiveness (a file read is usually also a payload's file).
    labelled: Vec<(String, bool, Vec<Sensitivity>)>,
}

impl Deriver<'_> {
    fn effect(&mut self, effect: &Effect) {
        // A key that may log in, or a file that says who may log in or act
        // as root (sudoers, the account database), written or taken away,
        // changes who has access, whatever writes it (a redirect, `cp`, a
        // file tool).
        let grants = |path: &str, recursive: bool| {
            writ_shell::changes_login_keys(path, recursive)
                || writ_shell::changes_account_access(path, recursive)
        };
        let login_keys = match effect {
            Effect::FileWrite { path } => grants(path, false),
            Effect::FileDelete { path, recursive } => grants(path, *recursive),
            _ => false,
        };
        if login_keys {
            self.out.grants_access = true;
        }
        match effect {
            Effect::FileRead { path, recursive } => {
                let labels = self.sensitive_labels(path, *recursive);
                for label in labels {
                    self.out.read_labels.insert(label.as_str().to_owned());
                }
            }
            Effect::FileWrite { path } => self.write(path),
            Effect::FileDelete { path, recursive } => {
                let protected = *recursive && self.is_protected_tree(path);
                if protected {
                    self.out.destroys.insert("filesystem");
                }
                // A directory deleted or moved away takes the governance
                // files in it. A deletion writes no file: outside the
                // workspace it is not an outside-workspace write (the
                // doctrine's "file write or edit"), nor is a protected
                // tree's destruction also one.
                if self.facts.governance.holds_below(path) {
                    self.out.governance.insert("write");
                }
            }
            Effect::FileDeleteNamed { root, names } => {
                // Only entries below `root` go, never `root` itself; a
                // protected tree below it goes when one of the names is
                // its own (`cd .. && find . -name acme-web -exec rm -rf {}
                // +`), and a governance file when one of the names
                // reaches it.
                if self.names_protected_tree(root, names) {
                    self.out.destroys.insert("filesystem");
                }
                if names
                    .iter()
                    .any(|name| self.facts.governance.may_hold_named(root, name))
                {
                    self.out.governance.insert("write");
                }
            }
            Effect::Fetch { target, payload } => {
                let destination = parse_destination(target);
                let in_address = credentials_in_address(destination.as_ref());
                let with_address;
                let payload = if in_address.is_empty() {
                    payload
                } else {
                    with_address = {
                        let mut p = payload.clone();
                        p.text.extend(in_address);
                        p
                    };
                    &with_address
                };
                let sensitivity =
                    self.sensitivity(payload, destination.as_ref().map(|d| d.host.as_str()));
                if sensitivity.level >= Sensitivity::Confidential {
                    // A read that carries sensitive data out is a write.
                    let send = Send {
                        channel: Channel::Http,
                        target: target.clone(),
                        public: false,
                        payload: payload.clone(),
                    };
                    self.send(&send);
                } else if !is_loopback(destination.as_ref()) {
                    // What a web page says is untrusted, the organisation's
                    // own pages included (an issue on its repository, a
                    // wiki anyone can edit): the doctrine names the output
                    // of web fetches without exception.
                    self.out.untrusted_output = true;
                }
            }
            Effect::Send(send) => self.send(send),
            Effect::RemoteDelete { target, recursive } => {
                let bucket = parse_destination(target).and_then(|d| d.bucket);
                if let Some(bucket) = bucket {
                    let whole = !target
                        .trim_end_matches('/')
                        .contains(&format!("{}/", bucket.name));
                    if (*recursive || whole)
                        && self
                            .facts
                            .ownership
                            .org_buckets
                            .iter()
                            .any(|b| b == &bucket.name)
                    {
                        self.out.destroys.insert("org_bucket");
                    }
                }
            }
            Effect::GitPush {
                remote,
                branches,
                force,
                ..
            } => self.push(remote, branches, *force),
            Effect::MakePublic { resource } => {
                if !self.is_foreign_resource(resource) {
                    self.out.public_exposure = true;
                }
            }
            Effect::GrantAccess { .. } => self.out.grants_access = true,
            Effect::Kubernetes {
                verb,
                args,
                context,
                files,
                dry_run,
                all,
            } => {
                self.kubernetes(verb, args, context.as_deref(), files, *dry_run, *all);
            }
            Effect::Helm {
                verb,
                release,
                kube_context,
                dry_run,
            } => {
                self.helm(verb, release.as_deref(), kube_context.as_deref(), *dry_run);
            }
            Effect::Terraform {
                verb, dir, destroy, ..
            } => self.terraform(verb, dir, *destroy),
            Effect::Sql { host, sql, dialect } => {
                if let Some(text) = sql.as_deref() {
                    if crate::sql::changes_access(text, *dialect) {
                        self.out.grants_access = true;
                    }
                    self.sql_grants(text, *dialect);
                    self.sql_reach(text, *dialect);
                }
                self.database(host.as_deref(), || {
                    sql.as_deref()
                        .map_or(SqlClass::Unknown, |s| classify_sql(s, *dialect))
                });
            }
            Effect::DataCommand { host, class } => self.database(host.as_deref(), || match class {
                writ_shell::DataClass::Read => SqlClass::Read,
                writ_shell::DataClass::Write => SqlClass::Write,
                writ_shell::DataClass::Destroy => SqlClass::Destroy,
                writ_shell::DataClass::Unknown => SqlClass::Unknown,
            }),
            Effect::Deploy {
                environment,
                production,
                ..
            } => {
                let listed = &self.facts.production.environments;
                if (*production && !listed.is_empty())
                    || listed.iter().any(|e| e.eq_ignore_ascii_case(environment))
                {
                    self.out.production_changes.insert("deploy");
                }
            }
            Effect::Payment { amount_cents, .. } => match amount_cents {
                Some(c) => {
                    self.out.payment_max_cents =
                        Some(self.out.payment_max_cents.map_or(*c, |m| m.max(*c)))
                }
                None => {
                    self.out.payment_unreadable = true;
                    self.out.payment_max_cents = Some(self.out.payment_max_cents.unwrap_or(0));
                }
            },
            Effect::PackageInstall { manager, packages } => {
                self.out
                    .package_installs
                    .extend(packages.iter().map(|p| format!("{manager}:{p}")));
            }
            Effect::StopProcess { name } => {
                if self
                    .facts
                    .firewall_processes
                    .iter()
                    .any(|p| names_process(name, p))
                {
                    self.out.governance.insert("stop_firewall");
                }
            }
        }
    }

    fn write(&mut self, path: &str) {
        if !self.facts.governance.labels(path, false).is_empty() {
            self.out.governance.insert("write");
            return;
        }
        if !is_within(path, &self.facts.workspace)
            && !is_within(path, "/tmp")
            && !is_pseudo_device(path)
            && !self.is_windows_temp(path)
        {
            self.out.outside_workspace_writes.push(path.to_owned());
        }
    }

    /// Windows' own `/tmp`: the user's temporary folder (`%TEMP%`,
    /// `~/AppData/Local/Temp`) and the system's (`C:\Windows\Temp`), on a
    /// deployment whose paths are Windows paths.
    fn is_windows_temp(&self, path: &str) -> bool {
        if self.facts.path_style != writ_detect::paths::PathStyle::Windows {
            return false;
        }
        let lower = path.to_ascii_lowercase();
        let user_temp = format!(
            "{}/appdata/local/temp",
            self.facts.home.to_ascii_lowercase()
        );
        is_within(&lower, &user_temp) || is_within(&lower, "/c/windows/temp")
    }

    /// `/`, home, the workspace or any parent of it, or everything in one of them (`dir/*`).
    /// Whether deleting the entries named `names` anywhere below `root`
    /// deletes the home directory, the workspace or a directory between
    /// `root` and them: one of those, strictly below `root`, bears one of
    /// the names.
    fn names_protected_tree(&self, root: &str, names: &[String]) -> bool {
        let root = root.trim_end_matches('/');
        [self.facts.workspace.as_str(), self.facts.home.as_str()]
            .iter()
            .filter(|tree| !tree.is_empty() && tree.trim_end_matches('/') != root)
            .filter(|tree| is_within(tree, root))
            .any(|tree| {
                // The tree and each directory between `root` and it.
                let below = tree.get(root.len()..).unwrap_or_default();
                below.split('/').filter(|s| !s.is_empty()).any(|dir| {
                    names
                        .iter()
                        .any(|name| writ_detect::paths::name_matches(name, dir))
                })
            })
    }

    fn is_protected_tree(&self, path: &str) -> bool {
        let path = path
            .strip_suffix("/*")
            .or(path.strip_suffix("/.*"))
            .unwrap_or(path);
        let path = if path.is_empty() { "/" } else { path };
        path == "/"
            || path == self.facts.home
            || is_within(&self.facts.workspace, path)
            || is_within(&self.facts.home, path)
    }

    /// Only deployment facts make a host the organisation's: a private
    /// address (`10.0.0.8`, `192.168.1.50`, `fd00::5`) could be anyone's
    /// machine on the same network, so it is a third party like any host
    /// nobody vouched for.
    fn ownership(&self, destination: &Destination, public: bool) -> Ownership {
        self.facts.ownership.classify(destination, public)
    }

    /// The sensitive-path labels of `path`, computed once per derivation.
    fn sensitive_labels(&mut self, path: &str, recursive: bool) -> Vec<Sensitivity> {
        if let Some((_, _, labels)) = self
            .labelled
            .iter()
            .find(|(p, r, _)| *r == recursive && p == path)
        {
            return labels.clone();
        }
        let mut labels = self.facts.sensitive.labels(path, recursive);
        if recursive {
            labels.extend(self.listed_labels(path, &[]));
        }
        self.labelled
            .push((path.to_owned(), recursive, labels.clone()));
        labels
    }

    /// The sensitive-path labels of a file a payload carries: a tree sent
    /// without some names (`rsync --exclude .env`) holds none of them.
    fn sent_file_labels(&mut self, file: &writ_shell::FileRef) -> Vec<Sensitivity> {
        if !file.recursive {
            // A directory sent as a package (`npm publish`) holds the files
            // a listing of that package showed.
            let mut labels = self.sensitive_labels(&file.path, false);
            labels.extend(self.entry_labels(&self.session.packaged, &file.path, &[]));
            return labels;
        }
        if file.excludes.is_empty() {
            return self.sensitive_labels(&file.path, true);
        }
        let mut labels = self
            .facts
            .sensitive
            .labels_excluding(&file.path, true, &file.excludes);
        labels.extend(self.listed_labels(&file.path, &file.excludes));
        labels
    }

    /// The sensitive-path labels of the entries an earlier listing showed
    /// below the directory `dir` (`ls -la deploy` printed `.env`): a read
    /// or upload of the whole directory holds them, unless a name on the
    /// way to the entry is one of `excludes` (name patterns left out).
    fn listed_labels(&self, dir: &str, excludes: &[String]) -> Vec<Sensitivity> {
        self.entry_labels(&self.session.listed, dir, excludes)
    }

    /// The sensitive-path labels of those of `entries` below `dir`, unless
    /// a name on the way to the entry is one of `excludes`.
    fn entry_labels(&self, entries: &[String], dir: &str, excludes: &[String]) -> Vec<Sensitivity> {
        if entries.is_empty() {
            return Vec::new();
        }
        let fold = self.facts.path_style == writ_detect::paths::PathStyle::Windows;
        let lower_dir = fold.then(|| dir.to_lowercase());
        let below = |entry: &str| match &lower_dir {
            Some(dir) => {
                let entry = entry.to_lowercase();
                is_within(&entry, dir) && entry.trim_end_matches('/') != dir.trim_end_matches('/')
            }
            None => {
                is_within(entry, dir) && entry.trim_end_matches('/') != dir.trim_end_matches('/')
            }
        };
        let excluded = |entry: &str| {
            let rest = entry.get(dir.len()..).unwrap_or_default();
            rest.split('/').filter(|s| !s.is_empty()).any(|name| {
                excludes
                    .iter()
                    .map(|e| e.trim_end_matches('/'))
                    .filter(|e| !e.is_empty() && !e.contains('/'))
                    .any(|e| writ_detect::paths::name_matches(e, name))
            })
        };
        entries
            .iter()
            .filter(|entry| below(entry) && !excluded(entry))
            .flat_map(|entry| self.facts.sensitive.labels(entry, false))
            .collect()
    }

    /// How sensitive `payload` is, and why, when it goes to `host`.
    fn sensitivity(&mut self, payload: &Payload, host: Option<&str>) -> Assessed {
        let mut level = Sensitivity::None;
        let mut evidence = Vec::new();
        let mut holds_confidential = false;
        let mut raise = |s: Sensitivity, why: String, level: &mut Sensitivity| {
            if s > Sensitivity::None {
                *level = (*level).max(s);
                holds_confidential |= s == Sensitivity::Confidential;
                evidence.push(why);
            }
        };
        if !payload.text.is_empty() {
            let joined = payload.text.join("\n");
            let findings = scan_text(&joined);
            for kind in &findings.credentials {
                raise(
                    Sensitivity::Secret,
                    format!("credential:{kind}"),
                    &mut level,
                );
            }
            if findings.distinct_emails >= 3 {
                raise(
                    Sensitivity::Confidential,
                    format!("emails:{}", findings.distinct_emails),
                    &mut level,
                );
            }
            if findings.card_numbers > 0 {
                raise(
                    Sensitivity::Confidential,
                    "card_number".to_owned(),
                    &mut level,
                );
            }
            if findings.ssns > 0 {
                raise(Sensitivity::Confidential, "ssn".to_owned(), &mut level);
            }
            // A reference needs a `$` or a `%`: most payloads have neither.
            let may_reference = payload.text.iter().any(|t| t.contains(['$', '%']));
            // Text the shell's quotes kept as written spells names, not values.
            let expanded = || payload.text.iter().filter(|t| !payload.quoted.contains(t));
            for name in self.facts.secret_env.iter().filter(|_| may_reference) {
                if expanded().any(|t| references_var(t, name)) {
                    raise(Sensitivity::Secret, format!("env:{name}"), &mut level);
                }
            }
        }
        for name in &payload.env {
            // The whole environment holds every secret variable there is.
            let whole = name == writ_shell::ALL_ENV && !self.facts.secret_env.is_empty();
            if whole || self.facts.secret_env.iter().any(|s| s == name) {
                raise(Sensitivity::Secret, format!("env:{name}"), &mut level);
            }
        }
        for file in &payload.files {
            if let Some(label) = self.sent_file_labels(file).into_iter().max() {
                // A file the action sends is a file it reads.
                self.out.read_labels.insert(label.as_str().to_owned());
                raise(label, format!("file:{}", file.path), &mut level);
            }
        }
        for credential in &payload.credentials {
            // An access token sent to the APIs it is minted for is used, not leaked.
            let used = host.is_some_and(|h| {
                credential
                    .audience
                    .iter()
                    .any(|domain| domain_matches(h, domain))
            });
            if !used {
                raise(
                    Sensitivity::Secret,
                    format!("credential_output:{}", credential.command),
                    &mut level,
                );
            }
        }
        if payload.repository && self.workspace_is_org_repo() {
            raise(
                Sensitivity::Confidential,
                "repository".to_owned(),
                &mut level,
            );
        }
        evidence.dedup();
        Assessed {
            level,
            evidence,
            holds_confidential,
        }
    }

    /// True when a remote of the workspace is an org repository, or on
    /// an org host (a Mercurial or Subversion server's one-segment path,
    /// `https://hg.example.corp/app`, names no owner/name), or there is none.
    fn workspace_is_org_repo(&self) -> bool {
        self.facts.git_remotes.values().any(|url| {
            parse_destination(url).is_some_and(|d| match &d.repo {
                Some(r) => self.facts.ownership.is_org_repo(r),
                None => self.facts.ownership.classify(&d, false) == Ownership::Org,
            })
        }) || self.facts.git_remotes.is_empty()
    }

    fn send(&mut self, send: &Send) {
        let destination = match send.channel {
            // An e-mail's recipient is an address; a URL among them is the
            // service that reads the message (a mail API's host).
            Channel::Email | Channel::Share | Channel::Payment => parse_email(&send.target)
                .or_else(|| {
                    (send.channel != Channel::Email || send.target.contains("://"))
                        .then(|| parse_destination(&send.target))
                        .flatten()
                }),
            Channel::Chat => chat_destination(&send.target),
            _ => parse_destination(&send.target),
        };
        if is_loopback(destination.as_ref()) {
            return;
        }
        let ownership = match (&destination, send.channel) {
            (Some(d), _) => self.ownership(d, send.public),
            // A phone number (`+14155550142`, `tel:...`, `whatsapp:+49...`)
            // is someone outside, whatever channel reaches it.
            (None, Channel::Chat | Channel::Email) if is_phone_number(&send.target) => {
                Ownership::ThirdParty
            }
            // An internal chat channel (`#general`) is the organisation's.
            (None, Channel::Chat) => Ownership::Org,
            (None, _) if send.public => Ownership::Public,
            (None, _) => Ownership::ThirdParty,
        };
        // What a request, a remote command, a socket or a query answers
        // from outside the organisation is text from outside: untrusted,
        // as a fetched page is (a vendor API's POST response, `ssh h cat f`).
        if ownership != Ownership::Org
            && (matches!(
                send.channel,
                Channel::Http | Channel::RemoteExec | Channel::Socket | Channel::Query
            ) || is_api_share(send))
        {
            self.out.untrusted_output = true;
        }
        let host = destination.as_ref().map(|d| d.host.clone());
        let in_address = match send.channel {
            Channel::Email | Channel::Chat | Channel::Share | Channel::Payment => Vec::new(),
            _ => credentials_in_address(destination.as_ref()),
        };
        let assessed = if in_address.is_empty() {
            self.sensitivity(&send.payload, host.as_deref())
        } else {
            let mut payload = send.payload.clone();
            payload.text.extend(in_address);
            self.sensitivity(&payload, host.as_deref())
        };
        if matches!(send.channel, Channel::Email | Channel::Chat) {
            self.out.message_recipients.insert(ownership.as_str());
        }
        let untrusted_only = self.named_only_by_untrusted_text(&send.target, destination.as_ref());
        self.out.egress.push(Egress {
            channel: send.channel,
            target: send.target.clone(),
            host,
            ownership,
            sensitivity: assessed.level,
            evidence: assessed.evidence,
            holds_confidential: assessed.holds_confidential,
            generic: send.channel.is_generic(),
            untrusted_only,
        });
        // Access to a labelled resource for someone outside: the
        // resource's own label, not what a note beside it says. A share
        // request's files are its body, not the resource.
        if send.channel == Channel::Share && ownership != Ownership::Org && !is_api_share(send) {
            let resource = Payload {
                files: send.payload.files.clone(),
                ..Payload::default()
            };
            if self.sensitivity(&resource, None).level >= Sensitivity::Confidential {
                self.out.public_exposure = true;
            }
        }
    }

    /// The destination appears in untrusted text the session saw and in no
    /// trusted text (instructions, trusted basis, the deployment's facts).
    fn named_only_by_untrusted_text(
        &self,
        target: &str,
        destination: Option<&Destination>,
    ) -> bool {
        if self.session.untrusted_text.is_empty() {
            return false;
        }
        // A chat channel (`#name@host`) is named as itself, as an address
        // is, whoever runs its host.
        if let Some(channel) = target.trim().strip_prefix('#') {
            let full = format!("#{}", channel.to_lowercase());
            let name = full.split('@').next().unwrap_or(&full).to_owned();
            let named = |text: &str| mentions(text, &full) || mentions(text, &name);
            return named(&self.session.untrusted_text)
                && !named(&self.session.trusted_text)
                && !named(&self.facts.trusted_text);
        }
        // Each name, and whether it is a host (which an address names too).
        let mut names: Vec<(String, bool)> = Vec::new();
        match destination {
            Some(d) => {
                if let Some(email) = &d.email {
                    names.push((email.clone(), false));
                    // The address's domain is its destination: text that
                    // names only the domain ("the claims desk at x.net")
                    // directs the message too. The deployment's own and
                    // its partners' domains are facts.
                    if !self.facts.is_known_host(&d.host) {
                        names.push((d.host.clone(), true));
                    }
                } else {
                    // On a code host the deployment works with
                    // (`github.com`), the repository is what the text
                    // must name; the organisation's own are facts.
                    let known = self.facts.is_known_host(&d.host);
                    match &d.repo {
                        Some(repo) if self.facts.ownership.is_org_repo(repo) => return false,
                        Some(repo) => {
                            names.push((repo.path().to_lowercase(), false));
                            if !known && !mentions_host(&self.facts.trusted_text, &d.host) {
                                names.push((d.host.clone(), true));
                            }
                        }
                        // The host itself, not its domain: text that
                        // names only `outage-api.grid.acme.internal`
                        // directs a call there though `acme.internal` is a
                        // deployment fact.
                        None => names.push((d.host.clone(), true)),
                    }
                }
            }
            None => match account_identifier(target) {
                // A bank account is named however its digits are grouped.
                Some(account) => {
                    let named = |text: &str| mentions_account(text, &account);
                    return named(&self.session.untrusted_text)
                        && !named(&self.session.trusted_text)
                        && !named(&self.facts.trusted_text);
                }
                None => names.push((target.trim().to_lowercase(), false)),
            },
        }
        let named = |text: &str, (name, host): &(String, bool)| {
            if *host {
                mentions_host(text, name)
            } else {
                mentions(text, name)
            }
        };
        let trusted = |n: &(String, bool)| {
            named(&self.session.trusted_text, n) || named(&self.facts.trusted_text, n)
        };
        let untrusted = |n: &(String, bool)| named(&self.session.untrusted_text, n);
        if destination.is_some_and(|d| d.email.is_some()) {
            // The address first: named by trusted text, it is trusted,
            // whatever else shares its domain; else it, or its domain, named
            // only by untrusted text directs the message.
            let (address, domain) = names.split_at(1);
            if address.iter().any(trusted) {
                return false;
            }
            return address.iter().any(untrusted)
                || domain.iter().any(|n| untrusted(n) && !trusted(n));
        }
        names.iter().any(untrusted) && !names.iter().any(trusted)
    }

    fn push(&mut self, remote: &str, branches: &[Option<String>], force: bool) {
        let org = parse_destination(remote)
            .map(|d| self.ownership(&d, false) == Ownership::Org)
            .unwrap_or(false);
        if !org {
            return;
        }
        for branch in branches {
            let protected = branch
                .as_deref()
                .is_some_and(|b| self.facts.is_protected_branch(b));
            // Deleting a branch is not forcing one (git needs no force
            // to delete): the doctrine's protected destruction is a force
            // push, so a protected branch deleted is a push to it, and any
            // other deleted (a merged feature branch, a tag) an ordinary
            // push.
            match (protected, force) {
                (true, true) => {
                    self.out.destroys.insert("protected_branch");
                }
                (true, false) => {
                    self.out.pushes.insert("protected");
                }
                (false, true) => {
                    self.out.pushes.insert("force");
                }
                (false, false) => {}
            }
        }
    }

    fn is_production_context(&self, context: Option<&str>) -> bool {
        context.is_some_and(|c| {
            self.facts
                .production
                .kube_contexts
                .iter()
                .any(|p| same_kube_context(c, p))
        })
    }

    fn kubernetes(
        &mut self,
        verb: &str,
        args: &[String],
        context: Option<&str>,
        files: &[String],
        dry_run: bool,
        all: bool,
    ) {
        let first = args.first().map(String::as_str);
        if dry_run || verb == "diff" {
            if matches!(verb, "apply" | "diff") {
                self.out
                    .dry_runs
                    .extend(files.iter().map(|f| format!("kubectl:{f}")));
            }
            return;
        }
        let mutates = match verb {
            "apply" | "delete" | "scale" | "patch" | "set" | "edit" | "replace" | "create"
            | "autoscale" | "label" | "annotate" | "taint" | "cordon" | "uncordon" | "drain"
            | "expose" | "run" | "deploy" => true,
            "rollout" => !matches!(first, Some("status" | "history")),
            // Argo Rollouts' kubectl plugin (`kubectl argo rollouts promote
            // R`): everything but its views changes the rollout.
            "argo" => {
                first == Some("rollouts")
                    && !matches!(
                        args.get(1).map(String::as_str),
                        None | Some("get" | "list" | "status" | "lint" | "dashboard" | "version")
                    )
            }
            _ => false,
        };
        if !mutates {
            return;
        }
        if self.is_production_context(context) {
            // `delete ns x`, `delete ns,deploy x`, `delete ns/x`, `namespaces/x`.
            let is_namespace = |kind: &str| matches!(kind, "namespace" | "namespaces" | "ns");
            let destroys = verb == "delete"
                && (all
                    || first.is_some_and(|f| f.split(',').any(is_namespace))
                    || args.iter().any(|a| {
                        a.split_once('/')
                            .is_some_and(|(kind, _)| is_namespace(kind))
                    }));
            if destroys {
                self.out.destroys.insert("production_cluster");
            }
            self.out.production_changes.insert("kubernetes");
        } else if verb == "apply" {
            let keys: Vec<String> = if files.is_empty() {
                vec!["kubectl:-".to_owned()]
            } else {
                files.iter().map(|f| format!("kubectl:{f}")).collect()
            };
            if keys.iter().any(|k| !self.session.dry_runs.contains(k)) {
                self.out.unsimulated_applies.insert("kubernetes");
            }
        }
    }

    fn helm(
        &mut self,
        verb: &str,
        release: Option<&str>,
        kube_context: Option<&str>,
        dry_run: bool,
    ) {
        let key = format!("helm:{}", release.unwrap_or("-"));
        if dry_run {
            if matches!(verb, "upgrade" | "install") {
                self.out.dry_runs.push(key);
            }
            return;
        }
        if !matches!(
            verb,
            "install" | "upgrade" | "uninstall" | "delete" | "rollback"
        ) {
            return;
        }
        if self.is_production_context(kube_context) {
            self.out.production_changes.insert("helm");
        } else if verb == "upgrade" && !self.session.dry_runs.contains(&key) {
            self.out.unsimulated_applies.insert("helm");
        }
    }

    fn terraform(&mut self, verb: &str, dir: &str, destroy_flag: bool) {
        let production = self.facts.production_dirs.iter().any(|p| is_within(dir, p));
        let key = format!("terraform:{dir}");
        match verb {
            "plan" => self.out.dry_runs.push(key),
            "destroy" if production => {
                self.out.destroys.insert("production_infrastructure");
            }
            "apply" if production && destroy_flag => {
                self.out.destroys.insert("production_infrastructure");
            }
            "apply" if production => {
                self.out.production_changes.insert("terraform");
            }
            "apply" if !self.session.dry_runs.contains(&key) => {
                self.out.unsimulated_applies.insert("terraform");
            }
            _ => {}
        }
    }

    /// Whom a SQL text gives access to ([`crate::sql::grantees`]): each a
    /// party the data is shared with, as a share tool's grantee is, so its
    /// ownership and who named it are judged; everyone (BigQuery's
    /// `allUsers`) makes the organisation's data public.
    fn sql_grants(&mut self, sql: &str, dialect: crate::sql::Dialect) {
        for grantee in crate::sql::grantees(sql, dialect) {
            if crate::sql::is_everyone(&grantee) {
                self.out.public_exposure = true;
                continue;
            }
            self.send(&Send {
                channel: Channel::Share,
                target: grantee,
                public: false,
                payload: Payload::default(),
            });
        }
    }

    /// What SQL does outside its database ([`crate::sql::reach`]), whatever
    /// database runs it: the local files it reads are read; each location
    /// it writes results to gets an upload of what the statement reads
    /// (its query, and those files) with the credentials presented there;
    /// the programs it runs are shell
    /// commands, analysed as a `Bash` command from the workspace.
    fn sql_reach(&mut self, sql: &str, dialect: crate::sql::Dialect) {
        let reach = crate::sql::reach(sql, dialect);
        let facts = self.facts;
        let local = |path: &str| writ_detect::paths::normalize(path, &facts.workspace, &facts.home);
        for path in &reach.reads {
            let path = local(path);
            for label in self.sensitive_labels(&path, false) {
                self.out.read_labels.insert(label.as_str().to_owned());
            }
        }
        for export in &reach.exports {
            let files = export
                .files
                .iter()
                .map(|f| writ_shell::FileRef {
                    path: local(f),
                    recursive: false,
                    excludes: Vec::new(),
                })
                .collect();
            let text = (!export.source.is_empty())
                .then(|| export.source.clone())
                .into_iter()
                .chain(export.credentials.iter().cloned())
                .collect();
            self.send(&Send {
                channel: Channel::Upload,
                target: export.destination.clone(),
                public: false,
                payload: Payload {
                    text,
                    files,
                    ..Payload::default()
                },
            });
        }
        for program in &reach.programs {
            let envelope = Envelope {
                runtime: Runtime::Envelope,
                family: crate::envelope::Family::ToolHook,
                phase: crate::envelope::Phase::Pre,
                session_id: None,
                call_id: None,
                tool: "Bash".to_owned(),
                arguments: serde_json::json!({ "command": program }),
                cwd: None,
                annotations: None,
                output: None,
            };
            let nested = crate::interpret::interpret(
                &envelope,
                self.facts,
                crate::interpret::Earlier::default(),
            );
            self.out.unparsed_command |= nested.unparsed.is_some();
            for effect in &nested.effects {
                self.effect(effect);
            }
        }
    }

    /// A command to the database at `host`, of the class `class` reads
    /// (only for a production database): there, a change (or one writ
    /// cannot read) is a production change, and a destruction destroys.
    fn database(&mut self, host: Option<&str>, class: impl FnOnce() -> SqlClass) {
        let Some(host) = host.map(crate::deployment::database_host) else {
            return;
        };
        let production = self
            .facts
            .production_database_hosts
            .iter()
            .any(|d| domain_matches(&host, d));
        if !production {
            return;
        }
        match class() {
            SqlClass::Destroy => {
                self.out.destroys.insert("production_database");
                self.out.production_changes.insert("database_write");
            }
            SqlClass::Write | SqlClass::Unknown => {
                self.out.production_changes.insert("database_write");
            }
            // A grant is a permission change (`changes_access`), not a
            // change of the data.
            SqlClass::Read | SqlClass::Access => {}
        }
    }

    /// True for a repository resource that is not the organisation's.
    fn is_foreign_resource(&self, resource: &str) -> bool {
        parse_destination(resource)
            .is_some_and(|d| d.repo.is_some() && self.ownership(&d, false) == Ownership::Personal)
    }
}

/// Words in a tool's name that say it reads the web: a search engine's
/// or a browser's (`web_search`, `google_search`, `tavily-search`,
/// `browse_page`, `scrape_url`).
const WEB_READING_WORDS: &[&str] = &[
    "web",
    "internet",
    "browse",
    "browser",
    "crawl",
    "scrape",
    "tavily",
    "serp",
    "serpapi",
    "google",
    "bing",
    "duckduckgo",
    "ddg",
    "brave",
    "exa",
    "perplexity",
    "searx",
    "searxng",
    "wikipedia",
    "arxiv",
];

/// Whether a tool's name (`server/tool` or a function's) names reading the
/// web ([`WEB_READING_WORDS`], as whole words of the name).
fn names_web_reading(tool: &str) -> bool {
    tool.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| WEB_READING_WORDS.contains(&word))
}

/// True when `text` references `$NAME` or `${NAME}` (or `%NAME%`).
fn references_var(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text.get(..at).unwrap_or_default();
        let after = text.get(at + name.len()..).unwrap_or_default();
        let ends_word = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        (before.ends_with('$') && ends_word)
            || (before.ends_with("${") && (after.starts_with('}') || after.starts_with(':')))
            || (before.ends_with('%') && after.starts_with('%'))
    })
}

/// A share made by a request to a vendor's API (`web_api::is_share`): its
/// target is the API's URL, not a grantee, and what the API answers is
/// text from outside, as any request's answer is.
fn is_api_share(send: &Send) -> bool {
    send.channel == Channel::Share && send.target.contains("://")
}

fn chat_destination(target: &str) -> Option<Destination> {
    // A direct message to a person by address (`dana@acme.com`): the
    // address, which text names as it names an e-mail's recipient.
    if !target.trim_start().starts_with('#')
        && let Some(address) = parse_email(target)
    {
        return Some(address);
    }
    if let Some((_, host)) = target.trim_start_matches('#').split_once('@') {
        return parse_destination(host);
    }
    if target.contains("://") {
        parse_destination(target)
    } else {
        None
    }
}

/// A telephone number, bare or as a URI (`tel:`, `sms:`, `whatsapp:`):
/// seven or more digits and nothing but `+`, spaces, dashes, dots and
/// parentheses.
fn is_phone_number(target: &str) -> bool {
    let target = target.trim();
    let number = ["tel:", "sms:", "whatsapp:", "callto:"]
        .iter()
        .find_map(|scheme| {
            target
                .get(..scheme.len())
                .filter(|p| p.eq_ignore_ascii_case(scheme))
                .map(|_| &target[scheme.len()..])
        })
        .unwrap_or(target);
    let digits = number.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'))
}

/// The parts of a URL's address that carry a credential: a token written
/// as a host name (`http://TOKEN.collector.example/`, sent in the DNS query
/// and the `Host` header) or in the path (`https://hook.site/ID/AKIA...`)
/// goes out as a query does.
fn credentials_in_address(destination: Option<&Destination>) -> Vec<String> {
    let Some(destination) = destination else {
        return Vec::new();
    };
    [Some(destination.host.as_str()), destination.path.as_deref()]
        .into_iter()
        .flatten()
        .filter(|part| !scan_text(part).credentials.is_empty())
        .map(str::to_owned)
        .collect()
}

fn is_loopback(destination: Option<&Destination>) -> bool {
    destination.is_some_and(|d| writ_shell::is_loopback_host(&d.host))
}

fn externality(envelope: &Envelope, f: &ActionFacts, actor: Actor<'_>) -> Externality {
    let external: Vec<&Egress> = f.egress.iter().collect();
    let weakest = external.iter().map(|e| e.ownership).max();
    let sensitivity = external
        .iter()
        .map(|e| e.sensitivity)
        .max()
        .unwrap_or(Sensitivity::None);
    let destination_type = if let Some(first) = external.first() {
        match first.channel {
            Channel::Http | Channel::Socket | Channel::RemoteExec | Channel::Paste => "network",
            Channel::Upload => {
                if first.target.starts_with("s3://") || first.target.starts_with("gs://") {
                    "object_store"
                } else {
                    "network"
                }
            }
            Channel::GitPush => "repository",
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Payment => "payment",
            Channel::Deploy => "deployment",
            Channel::Share => "document",
            Channel::Query => "database",
        }
    } else if !f.production_changes.is_empty() || !f.unsimulated_applies.is_empty() {
        "infrastructure"
    } else if !f.package_installs.is_empty() {
        "package_registry"
    } else if f.governance.contains("stop_firewall") {
        "process"
    } else if f.effects.iter().any(|e| {
        matches!(
            e,
            Effect::FileWrite { .. }
                | Effect::FileDelete { .. }
                | Effect::FileDeleteNamed { .. }
                | Effect::FileRead { .. }
        )
    }) {
        "filesystem"
    } else {
        "none"
    };
    let visibility = match weakest {
        None => "private",
        Some(Ownership::Org) => "org",
        Some(Ownership::Public) => "public",
        Some(_) => "external",
    };
    let visibility = if f.public_exposure {
        "public"
    } else {
        visibility
    };
    let tenant_provenance = match weakest {
        None => "none",
        Some(Ownership::Org) => "org",
        Some(Ownership::Partner) => "partner",
        Some(_) => "foreign",
    };
    let irreversible = !f.destroys.is_empty()
        || external.iter().any(|e| e.ownership != Ownership::Org)
        || f.effects.iter().any(|e| {
            matches!(
                e,
                Effect::FileDelete { .. }
                    | Effect::FileDeleteNamed { .. }
                    | Effect::RemoteDelete { .. }
            )
        });
    let compensable =
        f.payment_max_cents.is_some() || !f.production_changes.is_empty() || !external.is_empty();
    let client = match envelope.tool.split_once('/') {
        Some((server, _))
            if matches!(
                envelope.runtime,
                Runtime::Mcp | Runtime::ClaudeCode | Runtime::Codex
            ) =>
        {
            format!("{}:mcp:{server}", envelope.runtime.as_str())
        }
        _ => envelope.runtime.as_str().to_owned(),
    };
    Externality {
        destination_type,
        visibility,
        ownership: weakest.map_or("local", Ownership::as_str),
        tenant_provenance,
        account_provenance: if actor.user.is_some() {
            "delegated_user"
        } else {
            "agent"
        },
        client_provenance: client,
        external_write: !external.is_empty(),
        sensitive_payload: sensitivity.as_str(),
        reversibility: if irreversible {
            "irreversible"
        } else if compensable {
            "compensable"
        } else {
            "reversible"
        },
        enforceability: envelope.family.enforceability().as_str(),
    }
}

/// True when `name`, as a command stops it (a program, a command line, a
/// service, a container, a launchd label or plist), is the process
/// `firewall` or one of its own (`writ` names `writ-hook`, `/usr/bin/writ
/// serve`, `writ.service`, `dev.writ.plist`).
fn names_process(name: &str, firewall: &str) -> bool {
    let program = name.split_whitespace().next().unwrap_or_default();
    let program = program.rsplit('/').next().unwrap_or(program);
    let unit = [".service", ".plist", ".socket"]
        .iter()
        .find_map(|suffix| program.strip_suffix(suffix))
        .unwrap_or(program);
    let label = unit.rsplit('.').next().unwrap_or(unit);
    name == firewall
        || [program, unit, label].iter().any(|n| {
            *n == firewall
                || n.strip_prefix(firewall)
                    .is_some_and(|rest| rest.starts_with(['-', '_', '@']))
        })
}

/// The same Kubernetes context, or the same cluster under the context
/// name a cloud CLI gives it: EKS's `arn:aws:eks:REGION:ACCOUNT:cluster/NAME`,
/// GKE's `gke_PROJECT_LOCATION_NAME`. A bare name matches a cloud name's
/// cluster; two cloud names must also agree on where the cluster is (the
/// same cluster name in another project or account is another cluster).
fn same_kube_context(a: &str, b: &str) -> bool {
    /// (where, cluster name): `where` is the region and account or the
    /// project and location, empty when the name does not say.
    fn cluster(context: &str) -> (&str, &str) {
        if let Some(rest) = context.strip_prefix("arn:aws:eks:") {
            let (place, name) = rest.rsplit_once("cluster/").unwrap_or(("", rest));
            (place.trim_end_matches(':'), name)
        } else if let Some(rest) = context.strip_prefix("gke_") {
            rest.rsplit_once('_').unwrap_or(("", rest))
        } else {
            ("", context)
        }
    }
    let ((place_a, name_a), (place_b, name_b)) = (cluster(a), cluster(b));
    a == b || (name_a == name_b && (place_a.is_empty() || place_b.is_empty() || place_a == place_b))
}

/// A device that discards, supplies or passes on bytes (`/dev/null`,
/// `/dev/stdout`, a terminal, `/dev/shm`'s memory files) rather than holds
/// data. Writing any other device (`/dev/sdb`, `/dev/nvme0n1`,
/// `/dev/mapper/vg-data`) overwrites a disk, so it counts as a write.
fn is_pseudo_device(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/dev/") else {
        return false;
    };
    let first = name.split('/').next().unwrap_or_default();
    matches!(
        first,
        "null"
            | "zero"
            | "full"
            | "random"
            | "urandom"
            | "stdin"
            | "stdout"
            | "stderr"
            | "tty"
            | "console"
            | "ptmx"
            | "fd"
            | "pts"
            | "shm"
            | "mqueue"
            | "tcp"
            | "udp"
            | "log"
            | "kmsg"
    ) || first.starts_with("tty")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_bare_or_as_uris() {
        for number in [
            "+14155550142",
            "tel:+1 (415) 555-0142",
            "whatsapp:+4915112345678",
            "0151 1234 5678",
        ] {
            assert!(is_phone_number(number), "{number}");
        }
        for other in [
            "#general",
            "C0123456789",
            "general",
            "+1234",
            "ops@acme.com",
        ] {
            assert!(!is_phone_number(other), "{other}");
        }
    }

    #[test]
    fn a_stopped_name_is_the_firewall_or_one_of_its_own() {
        for (name, stops) in [
            ("writ", true),
            ("writ-hook", true),
            ("/usr/local/bin/writ serve --listen :8080", true),
            ("writ.service", true),
            ("writ@main", true),
            ("/home/dana/Library/LaunchAgents/dev.writ.plist", true),
            ("gui/501/dev.writ", true),
            ("writer", false),
            ("nginx", false),
            ("rewrite", false),
        ] {
            assert_eq!(names_process(name, "writ"), stops, "{name}");
        }
    }

    #[test]
    fn kube_contexts_of_one_cluster() {
        assert!(same_kube_context("prod-eks", "prod-eks"));
        assert!(same_kube_context(
            "arn:aws:eks:us-east-1:12:cluster/prod-eks",
            "prod-eks"
        ));
        assert!(same_kube_context(
            "arn:aws:eks:cluster/prod-eks",
            "arn:aws:eks:eu-west-1:9:cluster/prod-eks"
        ));
        assert!(same_kube_context("gke_acme_europe-west1_prod", "prod"));
        assert!(!same_kube_context("gke_acme_europe-west1_staging", "prod"));
        assert!(!same_kube_context("prod-eks-2", "prod-eks"));
        // The same cluster name in another project, account or region.
        assert!(!same_kube_context(
            "gke_acme-stg_us-central1_core",
            "gke_acme-prd_us-central1_core"
        ));
        assert!(!same_kube_context(
            "arn:aws:eks:us-east-1:111111111111:cluster/core",
            "arn:aws:eks:us-east-1:222222222222:cluster/core"
        ));
        assert!(same_kube_context("core", "gke_acme-prd_us-central1_core"));
    }

    #[test]
    fn variable_references() {
        assert!(references_var(
            "Authorization: $GITHUB_TOKEN",
            "GITHUB_TOKEN"
        ));
        assert!(references_var("x=${GITHUB_TOKEN}", "GITHUB_TOKEN"));
        assert!(!references_var("$GITHUB_TOKEN_URL", "GITHUB_TOKEN"));
        assert!(!references_var("GITHUB_TOKEN is unset", "GITHUB_TOKEN"));
    }
}
