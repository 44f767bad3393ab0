//! The decision path: envelope → effects → facts → policy → route.
//!
//! [`Engine::guard`] is pure: the session, approvals and the time come in
//! as arguments, the decision goes out. [`Engine::step_record`] says what a
//! finished step adds to its session.

use serde::Serialize;
use time::OffsetDateTime;
use writ_detect::sensitivity::{Sensitivity, classify_text};

use crate::approval::{Approval, Refusal, canonical_json};
use crate::deployment::Facts;
use crate::derive::{ActionFacts, Actor, derive};
use crate::envelope::{Enforceability, Envelope, Family, Runtime};
use crate::interpret::interpret;
use crate::policy::{PolicyPack, Rule};
use crate::route::Route;
use crate::session::{SessionState, StepRecord};

/// Reason added when every approval rule that fired is covered.
pub const APPROVED: &str = "APPROVED";
/// Reason added when approvals were present but covered nothing.
pub const APPROVAL_INVALID: &str = "APPROVAL_INVALID";
/// Reason of a decision that failed closed because policy evaluation failed.
pub const POLICY_ERROR: &str = "POLICY_ERROR";

/// A deployment and a policy pack, ready to decide.
#[derive(Debug, Clone)]
pub struct Engine {
    pub facts: Facts,
    pub policy: PolicyPack,
    /// Which lanes of facts the policy may see (all, except in ablation studies).
    pub lanes: Lanes,
}

/// Lanes of facts that can be switched off to measure what each contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lanes {
    /// Destination ownership and payload sensitivity.
    pub externality: bool,
    /// What the session did before.
    pub session: bool,
    /// Trusted and untrusted text the agent acted on.
    pub basis: bool,
}

impl Default for Lanes {
    fn default() -> Lanes {
        Lanes {
            externality: true,
            session: true,
            basis: true,
        }
    }
}

/// Everything one decision reads besides the engine.
#[derive(Debug, Clone, Copy)]
pub struct GuardInput<'a> {
    pub envelope: &'a Envelope,
    pub session: &'a SessionState,
    pub approvals: &'a [Approval],
    pub now: OffsetDateTime,
    /// The agent's name (the Cedar principal).
    pub agent: &'a str,
    /// The user on whose behalf the agent acts.
    pub user: Option<&'a str>,
}

/// A rule that fired, and the approval that covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiredRule {
    pub reason: String,
    pub route: Route,
    pub policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Id of the approval covering it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_by: Option<String>,
    /// Why each present approval does not cover it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refusals: Vec<Refusal>,
    pub description: String,
}

/// The decision for one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub route: Route,
    /// Codes of every rule that fired, strongest first, then `APPROVED` or `APPROVAL_INVALID`.
    pub reasons: Vec<String>,
    pub tool: String,
    pub runtime: Runtime,
    pub family: Family,
    pub enforceability: Enforceability,
    /// Observe-only runtimes cannot stop an action: a non-allow route there is a violation.
    pub violation: bool,
    pub rules: Vec<FiredRule>,
    /// Rules in `@mode("shadow")` that fired: reported, not deciding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shadowed: Vec<FiredRule>,
    /// The route had the shadowed rules enforced (present when any fired).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shadow_route: Option<Route>,
    /// Ids of the approvals this decision uses up.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approvals_used: Vec<String>,
    pub policy_digest: String,
    pub facts: ActionFacts,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// The part of one file the action's output shows, which the session
    /// holds as a partial view once it has run ([`crate::partial_view`]).
    /// Not reported.
    #[serde(skip)]
    pub shown_part: Option<crate::partial_view::ShownPart>,
    /// The configuration the action's output shows, which the session
    /// knows once it has run ([`crate::shown_state`]). Not reported.
    #[serde(skip)]
    pub shown_query: Option<crate::shown_state::ShownQuery>,
}

impl Engine {
    pub fn new(facts: Facts, policy: PolicyPack) -> Engine {
        Engine {
            facts,
            policy,
            lanes: Lanes::default(),
        }
    }

    /// Decides one action.
    pub fn guard(&self, input: GuardInput<'_>) -> Decision {
        let envelope = input.envelope;
        let ablated;
        let session = if self.lanes == Lanes::default() {
            input.session
        } else {
            ablated = self.ablate_session(input.session);
            &ablated
        };
        let earlier = crate::interpret::Earlier {
            clones: &session.clones,
            remotes: &session.remotes,
            url_settings: &session.url_settings,
            kube_context: session.kube_context.as_deref(),
            branches: &session.branches,
            written: &session.written,
            links: &session.links,
        };
        let mut interpretation = interpret(envelope, &self.facts, earlier);
        let shown_part = interpretation.shown_part.clone();
        let shown_query = interpretation.shown_query.take();
        let mut facts = derive(
            envelope,
            interpretation,
            &self.facts,
            session,
            Actor { user: input.user },
        );
        if !self.lanes.externality {
            blind_externality(&mut facts);
        }
        let limit = self.facts.payment_limit_cents.unwrap_or(0);
        let evaluation =
            self.policy
                .evaluate_shared(envelope, input.agent, input.user, &facts, session, limit);
        let (fired, shadowed, shadow_route) = split_shadow(&evaluation.fired);
        let mut rules: Vec<FiredRule> = fired.into_iter().map(fired_rule).collect();
        let shadowed: Vec<FiredRule> = shadowed.into_iter().map(fired_rule).collect();
        let mut reasons: Vec<String> = Vec::new();
        for r in &rules {
            if !reasons.contains(&r.reason) {
                reasons.push(r.reason.clone());
            }
        }
        let mut route = rules.iter().map(|r| r.route).max().unwrap_or(Route::Allow);
        let mut errors = evaluation.errors.clone();
        let mut approvals_used = Vec::new();

        if !errors.is_empty() {
            route = Route::Block;
            reasons.insert(0, POLICY_ERROR.to_owned());
        } else if !input.approvals.is_empty() {
            let canonical = canonical_json(&envelope.arguments);
            // Identical records are separate approvals, each single-use:
            // the second copy of one is known as `ID#2`.
            let mut ids: Vec<String> = Vec::with_capacity(input.approvals.len());
            for approval in input.approvals {
                let id = approval.id();
                let copies = ids
                    .iter()
                    .filter(|seen| seen.split('#').next() == Some(id.as_str()))
                    .count();
                ids.push(if copies == 0 {
                    id
                } else {
                    format!("{id}#{}", copies + 1)
                });
            }
            let mut any_covered = false;
            for rule in rules
                .iter_mut()
                .filter(|r| r.route == Route::RequireApproval)
            {
                let approvers = rule
                    .jurisdiction
                    .as_ref()
                    .and_then(|j| self.facts.approvers.get(j))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                for (approval, id) in input.approvals.iter().zip(&ids) {
                    let id = id.clone();
                    let used = input.session.consumed_approvals.contains(&id);
                    match approval.check(approvers, &envelope.tool, &canonical, input.now, used) {
                        Ok(()) => {
                            rule.covered_by = Some(id.clone());
                            if !approvals_used.contains(&id) {
                                approvals_used.push(id);
                            }
                            any_covered = true;
                            break;
                        }
                        Err(refusal) => rule.refusals.push(refusal),
                    }
                }
            }
            let approval_rules: Vec<&FiredRule> = rules
                .iter()
                .filter(|r| r.route == Route::RequireApproval)
                .collect();
            let all_covered =
                !approval_rules.is_empty() && approval_rules.iter().all(|r| r.covered_by.is_some());
            let blocked = rules.iter().any(|r| r.route > Route::RequireApproval);
            if all_covered && !blocked {
                // The action is allowed, except that a dry run still owed
                // is not an approval's to waive (`simulate_first` stays).
                route = if rules.iter().any(|r| r.route == Route::SimulateFirst) {
                    Route::SimulateFirst
                } else {
                    Route::Allow
                };
                reasons.push(APPROVED.to_owned());
            } else {
                if !any_covered {
                    reasons.push(APPROVAL_INVALID.to_owned());
                }
                approvals_used.clear();
                for r in &mut rules {
                    r.covered_by = None;
                }
            }
        }
        if facts.unparsed_command {
            errors.extend(
                facts
                    .effects
                    .is_empty()
                    .then(|| "the shell command could not be parsed".to_owned()),
            );
        }
        let enforceability = envelope.family.enforceability();
        Decision {
            route,
            reasons,
            tool: envelope.tool.clone(),
            runtime: envelope.runtime,
            family: envelope.family,
            enforceability,
            violation: enforceability == Enforceability::ObserveOnly && route != Route::Allow,
            rules,
            shadowed,
            shadow_route,
            approvals_used,
            policy_digest: self.policy.digest.clone(),
            facts,
            errors,
            shown_part,
            shown_query,
        }
    }

    /// What a finished step adds to its session: `ran` is false when its
    /// outcome was an error (it was refused or failed).
    pub fn step_record(&self, decision: &Decision, ran: bool, output: Option<&str>) -> StepRecord {
        let mut read_labels: Vec<String> = decision.facts.read_labels.iter().cloned().collect();
        // What the step's output showed, the session has read. (The files it
        // sent are among `read_labels`; text it sent was not read from anywhere
        // the session can name.)
        if let Some(level) = output.map(classify_text)
            && level >= Sensitivity::Confidential
            && !read_labels.iter().any(|l| l == level.as_str())
        {
            read_labels.push(level.as_str().to_owned());
        }
        let (package_listings, directory_listings): (Vec<_>, Vec<_>) = decision
            .facts
            .listings
            .iter()
            .cloned()
            .partition(|listing| listing.package);
        // What its output showed of the configuration, as if it had set it.
        let shown = match &decision.shown_query {
            Some(query) if ran => crate::shown_state::learned(query, output, &self.facts),
            _ => crate::shown_state::Learned::default(),
        };
        StepRecord {
            blocked: decision.route == Route::Block,
            ran,
            read_labels,
            untrusted_output: if decision.facts.untrusted_output {
                output.map(|text| without_own_hosts(text, &decision.facts))
            } else {
                None
            },
            dry_runs: decision.facts.dry_runs.clone(),
            approvals_used: decision.approvals_used.clone(),
            clones: decision.facts.clones.clone(),
            remotes: [decision.facts.remotes.clone(), shown.remotes].concat(),
            url_settings: [decision.facts.url_settings.clone(), shown.url_settings].concat(),
            kube_context: decision.facts.kube_context.clone().or(shown.kube_context),
            branches: decision.facts.branches.clone(),
            links: decision.facts.links.clone(),
            written: decision.facts.written.clone(),
            // A read tool's output that is the file's whole text: what the
            // file holds, as if the session had written it.
            read_files: match (&decision.facts.read_whole, output) {
                (Some(path), Some(output)) if ran => crate::interpret::read_contents(output)
                    .map(|text| {
                        writ_shell::WrittenFile::new(
                            path.clone(),
                            writ_shell::Payload {
                                text: vec![text],
                                ..writ_shell::Payload::default()
                            },
                        )
                    })
                    .into_iter()
                    .collect(),
                // A part of one file shown: a partial view of it.
                _ => match (&decision.shown_part, output) {
                    (Some(part), Some(output)) if ran => {
                        crate::partial_view::partial_view(part, output)
                            .into_iter()
                            .collect()
                    }
                    _ => Vec::new(),
                },
            },
            listed: match output {
                Some(output) if ran && shows_listing(&decision.facts) => crate::listing::entries(
                    output,
                    &directory_listings,
                    &|path, base| self.facts.local_path(path, base),
                    self.facts.path_style == writ_detect::paths::PathStyle::Windows,
                ),
                _ => Vec::new(),
            },
            packaged: match output {
                Some(output) if ran && shows_listing(&decision.facts) => package_listings
                    .iter()
                    .flat_map(|listing| {
                        crate::listing::package_entries(output, listing, &|path, base| {
                            self.facts.local_path(path, base)
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            },
        }
    }
}

/// Whether a step's output is what its listings printed: it listed a
/// directory, and nothing it did prints anything else (a file's text, an
/// answer from the network); writing the listing to a file as well
/// (`| tee`) leaves it shown.
fn shows_listing(facts: &crate::derive::ActionFacts) -> bool {
    !facts.listings.is_empty()
        && facts
            .effects
            .iter()
            .all(|effect| matches!(effect, crate::Effect::FileWrite { .. }))
}

/// A step's untrusted output without the hosts the step itself sent to:
/// a server that names itself in its answer to a write (an upload's link,
/// a created resource's URL) directs nothing the agent had not already
/// chosen. A fetched page's text is kept whole: the doctrine names the
/// output of web fetches as untrusted, and a page that tells the agent to
/// post to its own host directs it as much as one naming another host.
fn without_own_hosts(text: &str, facts: &crate::derive::ActionFacts) -> String {
    let hosts: Vec<String> = facts
        .egress
        .iter()
        .filter_map(|e| e.host.clone())
        .filter(|h| h.len() > 3)
        .collect();
    let mut out = text.to_owned();
    for host in hosts {
        out = replace_ignoring_case(&out, &host, "(this host)");
    }
    out
}

/// `text` with every ASCII-case-insensitive mention of the host `needle`
/// replaced: the whole host, not a part of a longer one
/// (`telemetry.pagegrab.dev` is not a mention of `pagegrab.dev`), and not
/// an e-mail address's domain (`help@pgrescue.io` is a recipient the text
/// names, not the server naming itself).
fn replace_ignoring_case(text: &str, needle: &str, with: &str) -> String {
    let host_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
    let lower = text.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower.get(from..).and_then(|rest| rest.find(&needle)) {
        let start = from + found;
        let end = start + needle.len();
        let left = start == 0 || !(host_byte(bytes[start - 1]) || bytes[start - 1] == b'@');
        let right = match bytes.get(end) {
            None => true,
            Some(b'.') => !bytes
                .get(end + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric()),
            Some(&b) => !host_byte(b),
        };
        if left && right {
            out.push_str(text.get(copied..start).unwrap_or_default());
            out.push_str(with);
            copied = end;
        }
        from = start + 1;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

impl Engine {
    fn ablate_session(&self, session: &SessionState) -> SessionState {
        let mut s = if self.lanes.session {
            session.clone()
        } else {
            SessionState::default()
        };
        if !self.lanes.basis {
            s.trusted_text.clear();
            s.untrusted_text.clear();
        }
        s
    }
}

/// Without the externality lane every destination is an unknown third
/// party and every payload unremarkable.
fn blind_externality(facts: &mut ActionFacts) {
    for e in &mut facts.egress {
        e.ownership = writ_detect::ownership::Ownership::ThirdParty;
        e.sensitivity = Sensitivity::None;
        e.evidence.clear();
    }
    facts.message_recipients = facts
        .message_recipients
        .iter()
        .map(|_| "third_party")
        .collect();
    facts.read_labels.clear();
    facts.public_exposure = false;
}

/// Drops rules whose `@unless` names a reason or `route:ROUTE` that also fired.
/// A fired rule as the decision reports it.
fn fired_rule(r: &Rule) -> FiredRule {
    FiredRule {
        reason: r.reason.clone(),
        route: r.route,
        policy: r.id.clone(),
        jurisdiction: r.jurisdiction.clone(),
        covered_by: None,
        refusals: Vec::new(),
        description: r.description.clone(),
    }
}

/// Splits the fired rules into those that decide and the shadowed ones,
/// each strongest first, with the route all of them would have given.
/// Shadowed rules never make an enforcing rule stand down.
fn split_shadow(fired: &[Rule]) -> (Vec<&Rule>, Vec<&Rule>, Option<Route>) {
    let order = |a: &&Rule, b: &&Rule| b.route.cmp(&a.route).then_with(|| a.reason.cmp(&b.reason));
    let mut all = stand_down(fired.iter().collect());
    all.sort_by(order);
    let mut enforced = stand_down(fired.iter().filter(|r| !r.shadow).collect());
    enforced.sort_by(order);
    let shadowed: Vec<&Rule> = all.iter().filter(|r| r.shadow).copied().collect();
    let shadow_route =
        (!shadowed.is_empty()).then(|| all.iter().map(|r| r.route).max().unwrap_or(Route::Allow));
    (enforced, shadowed, shadow_route)
}

fn stand_down(fired: Vec<&Rule>) -> Vec<&Rule> {
    let keep: Vec<bool> = fired
        .iter()
        .map(|rule| match rule.unless.as_deref() {
            None => true,
            Some(condition) => !fired.iter().any(|other| {
                !std::ptr::eq(*other, *rule)
                    && match condition.strip_prefix("route:") {
                        Some(route) => other.route.as_str() == route,
                        None => other.reason == condition,
                    }
            }),
        })
        .collect();
    fired
        .into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect()
}

#[cfg(test)]
mod own_host_tests {
    use super::replace_ignoring_case;

    #[test]
    fn a_host_is_replaced_only_as_a_whole() {
        let with = "(this host)";
        for (text, host, want) in [
            (
                "https://transfer.sh/k3J9x/a.p12",
                "transfer.sh",
                "https://(this host)/k3J9x/a.p12",
            ),
            ("see Transfer.SH.", "transfer.sh", "see (this host)."),
            (
                "POST https://telemetry.pagegrab.dev/register",
                "pagegrab.dev",
                "POST https://telemetry.pagegrab.dev/register",
            ),
            (
                "pagegrab.dev.evil.io",
                "pagegrab.dev",
                "pagegrab.dev.evil.io",
            ),
            ("x-pagegrab.dev", "pagegrab.dev", "x-pagegrab.dev"),
            (
                "email dba-help@pgrescue.io, see pgrescue.io/faq",
                "pgrescue.io",
                "email dba-help@pgrescue.io, see (this host)/faq",
            ),
        ] {
            assert_eq!(replace_ignoring_case(text, host, with), want, "{text}");
        }
    }
}

#[cfg(test)]
mod shadow_tests {
    use serde_json::json;

    use super::*;
    use crate::{Deployment, Facts, PolicyPack, normalize};

    /// A new block rule over unknown tools, in `mode`.
    fn new_rule(mode: &str) -> String {
        format!(
            "@id(\"NEW_BLOCK\") @reason(\"NEW_BLOCK\") @route(\"block\") {mode}
             @description(\"a stricter rule being tried\")
             forbid (principal, action == Writ::Action::\"invoke\", resource) when {{ !context.tool.known }};"
        )
    }

    fn engine(extra: Option<String>) -> Engine {
        let mut sources = PolicyPack::default_pack().unwrap().sources;
        if let Some(text) = extra {
            sources.push(("new.cedar".into(), text));
        }
        let deployment =
            Deployment::from_json(r#"{"workspace": "/home/dana/acme-web", "home": "/home/dana"}"#)
                .unwrap();
        let facts = Facts::compile(&deployment.over(Deployment::builtin())).unwrap();
        Engine::new(facts, PolicyPack::load(sources).unwrap())
    }

    /// An MCP tool no manifest describes: `UNKNOWN_TOOL`, require approval.
    fn decide(engine: &Engine) -> Decision {
        let event = json!({"server": {"name": "gmail"}, "tool": {"name": "send_message"},
            "request": {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
              "params": {"name": "send_message", "arguments": {"to": "a@example.net"}}}});
        let envelope = normalize(Runtime::Mcp, &event).unwrap();
        engine.guard(GuardInput {
            envelope: &envelope,
            session: &SessionState::default(),
            approvals: &[],
            now: OffsetDateTime::UNIX_EPOCH,
            agent: "agent",
            user: None,
        })
    }

    #[test]
    fn a_shadow_rule_is_reported_but_does_not_decide() {
        let d = decide(&engine(Some(new_rule("@mode(\"shadow\")"))));
        assert_eq!(d.route, Route::RequireApproval);
        assert_eq!(d.reasons, ["UNKNOWN_TOOL"]);
        assert!(d.rules.iter().all(|r| r.reason != "NEW_BLOCK"));
        let shadowed: Vec<&str> = d.shadowed.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(shadowed, ["NEW_BLOCK"]);
        assert_eq!(d.shadow_route, Some(Route::Block));
        let recorded = serde_json::to_value(&d).unwrap();
        assert_eq!(recorded["shadowed"][0]["policy"], "NEW_BLOCK");
        assert_eq!(recorded["shadow_route"], "block");
    }

    #[test]
    fn the_same_rule_enforcing_decides() {
        for mode in ["", "@mode(\"enforce\")"] {
            let d = decide(&engine(Some(new_rule(mode))));
            assert_eq!(d.route, Route::Block, "{mode}");
            assert!(d.shadowed.is_empty() && d.shadow_route.is_none());
        }
    }

    #[test]
    fn without_shadow_rules_the_decision_reads_as_before() {
        let recorded = serde_json::to_value(decide(&engine(None))).unwrap();
        assert!(recorded.get("shadowed").is_none() && recorded.get("shadow_route").is_none());
    }

    #[test]
    fn an_unknown_mode_is_an_error_naming_the_rule() {
        let mut sources = PolicyPack::default_pack().unwrap().sources;
        sources.push(("new.cedar".into(), new_rule("@mode(\"audit\")")));
        let err = PolicyPack::load(sources).unwrap_err().to_string();
        assert!(
            err.contains("NEW_BLOCK") && err.contains("@mode(\"audit\") is not enforce or shadow"),
            "{err}"
        );
    }
}
