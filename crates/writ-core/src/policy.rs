//! Policy in Cedar: loading, validation and evaluation over derived facts.
//!
//! Every rule is a Cedar `forbid` that matches when the rule fires, with
//! annotations: `@reason` (the stable code), `@route` (`warn`,
//! `simulate_first`, `require_approval`, `block`), `@jurisdiction` for
//! approval rules, and optionally `@unless` naming a reason code or
//! `route:ROUTE` whose firing makes this rule stand down. A `permit` with no
//! conditions releases what no rule forbids. One Cedar request evaluates
//! every rule at once; the forbids Cedar reports as determining are the rules
//! that fired.

use std::collections::BTreeMap;
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, Entity, EntityId, EntityTypeName,
    EntityUid, Policy, PolicyId, PolicySet, Request, RestrictedExpression, Schema, ValidationMode,
    Validator,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::derive::ActionFacts;
use crate::envelope::Envelope;
use crate::route::Route;
use crate::session::SessionState;

/// The shipped Cedar schema.
pub const SCHEMA: &str = include_str!("../../../policy/schema.cedarschema");

/// The shipped default pack, file name and text, in evaluation order.
pub const DEFAULT_PACK: &[(&str, &str)] = &[
    (
        "block.cedar",
        include_str!("../../../policy/default/block.cedar"),
    ),
    (
        "approval.cedar",
        include_str!("../../../policy/default/approval.cedar"),
    ),
    (
        "simulate.cedar",
        include_str!("../../../policy/default/simulate.cedar"),
    ),
    (
        "warn.cedar",
        include_str!("../../../policy/default/warn.cedar"),
    ),
    (
        "release.cedar",
        include_str!("../../../policy/default/release.cedar"),
    ),
];

/// A policy pack that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("cannot parse `{file}`: {message}")]
    Parse { file: String, message: String },
    #[error("policy `{policy}` in `{file}` does not match the schema: {message}")]
    Invalid {
        file: String,
        policy: String,
        message: String,
    },
    #[error("policy `{policy}` in `{file}`: {message}")]
    Annotation {
        file: String,
        policy: String,
        message: String,
    },
    #[error("two policies are named `{0}`")]
    Duplicate(String),
    #[error("the schema cannot be parsed: {0}")]
    Schema(String),
}

/// What a rule means, from its annotations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: String,
    pub reason: String,
    pub route: Route,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unless: Option<String>,
    pub description: String,
    pub file: String,
}

/// A loaded, validated policy pack.
#[derive(Debug, Clone)]
pub struct PolicyPack {
    set: PolicySet,
    rules: BTreeMap<String, Rule>,
    /// `sha256:` digest of the pack's files, names and texts, in order.
    pub digest: String,
    /// Every file name and text, in order (kept so proofs can replay them).
    pub sources: Vec<(String, String)>,
    agent_type: EntityTypeName,
    tool_type: EntityTypeName,
    action: EntityUid,
}

/// The rules that fired for one action, or why evaluation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub fired: Vec<Rule>,
    /// Evaluation errors (each makes the decision fail closed).
    pub errors: Vec<String>,
}

impl PolicyPack {
    /// The shipped default pack.
    pub fn default_pack() -> Result<PolicyPack, PolicyError> {
        PolicyPack::load(
            DEFAULT_PACK
                .iter()
                .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
                .collect(),
        )
    }

    /// Loads, validates against [`SCHEMA`] and indexes `sources` (file name, text).
    pub fn load(sources: Vec<(String, String)>) -> Result<PolicyPack, PolicyError> {
        let (schema, _) =
            Schema::from_cedarschema_str(SCHEMA).map_err(|e| PolicyError::Schema(e.to_string()))?;
        let mut set = PolicySet::new();
        let mut rules = BTreeMap::new();
        let mut hasher = Sha256::new();
        for (file, text) in &sources {
            hasher.update((file.len() as u64).to_be_bytes());
            hasher.update(file.as_bytes());
            hasher.update((text.len() as u64).to_be_bytes());
            hasher.update(text.as_bytes());
            let parsed = PolicySet::from_str(text).map_err(|e| PolicyError::Parse {
                file: file.clone(),
                message: format!("{e:?}").replace('\n', " "),
            })?;
            for policy in parsed.policies() {
                let id = policy
                    .annotation("id")
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{file}:{}", policy.id()));
                let renamed: Policy = policy.new_id(PolicyId::new(&id));
                if let Some(rule) = rule_of(&renamed, &id, file)? {
                    rules.insert(id.clone(), rule);
                }
                set.add(renamed)
                    .map_err(|_| PolicyError::Duplicate(id.clone()))?;
            }
        }
        let validation = Validator::new(schema).validate(&set, ValidationMode::Strict);
        if let Some(error) = validation.validation_errors().next() {
            let policy = error.policy_id().to_string();
            let file = rules
                .get(&policy)
                .map(|r| r.file.clone())
                .unwrap_or_default();
            return Err(PolicyError::Invalid {
                file,
                policy,
                message: error.to_string(),
            });
        }
        let parse_type = |name: &str| {
            EntityTypeName::from_str(name).map_err(|e| PolicyError::Schema(e.to_string()))
        };
        let action =
            EntityUid::from_type_name_and_id(parse_type("Writ::Action")?, EntityId::new("invoke"));
        Ok(PolicyPack {
            set,
            rules,
            digest: format!("sha256:{}", hex::encode(hasher.finalize())),
            sources,
            agent_type: parse_type("Writ::Agent")?,
            tool_type: parse_type("Writ::Tool")?,
            action,
        })
    }

    /// Every rule of the pack.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.values()
    }

    /// Evaluates every rule against one action.
    pub fn evaluate(
        &self,
        envelope: &Envelope,
        agent: &str,
        user: Option<&str>,
        facts: &ActionFacts,
        session: &SessionState,
        payment_limit_cents: i64,
    ) -> Evaluation {
        let fail = |message: String| Evaluation {
            fired: Vec::new(),
            errors: vec![message],
        };
        let context = match build_context(envelope, facts, session, payment_limit_cents) {
            Ok(c) => c,
            Err(e) => return fail(format!("cannot build the policy context: {e}")),
        };
        let principal =
            EntityUid::from_type_name_and_id(self.agent_type.clone(), EntityId::new(agent));
        let resource =
            EntityUid::from_type_name_and_id(self.tool_type.clone(), EntityId::new(&envelope.tool));
        let entities = match entities(principal.clone(), resource.clone(), user, facts.tool_kind) {
            Ok(e) => e,
            Err(e) => return fail(format!("cannot build the policy entities: {e}")),
        };
        let request = match Request::new(principal, self.action.clone(), resource, context, None) {
            Ok(r) => r,
            Err(e) => return fail(format!("cannot build the policy request: {e}")),
        };
        let response = Authorizer::new().is_authorized(&request, &self.set, &entities);
        let errors: Vec<String> = response
            .diagnostics()
            .errors()
            .map(ToString::to_string)
            .collect();
        let mut fired = Vec::new();
        if response.decision() == CedarDecision::Deny {
            for id in response.diagnostics().reason() {
                if let Some(rule) = self.rules.get(AsRef::<str>::as_ref(id)) {
                    fired.push(rule.clone());
                }
            }
        }
        Evaluation { fired, errors }
    }
}

/// Reads a forbid policy's annotations; permits carry no rule.
fn rule_of(policy: &Policy, id: &str, file: &str) -> Result<Option<Rule>, PolicyError> {
    if policy.effect() == cedar_policy::Effect::Permit {
        return Ok(None);
    }
    let missing = |what: &str| PolicyError::Annotation {
        file: file.to_owned(),
        policy: id.to_owned(),
        message: format!("a forbid rule needs @{what}"),
    };
    let reason = policy
        .annotation("reason")
        .ok_or_else(|| missing("reason"))?
        .to_owned();
    let route_text = policy.annotation("route").ok_or_else(|| missing("route"))?;
    let route = Route::parse(route_text)
        .filter(|r| *r != Route::Allow)
        .ok_or_else(|| PolicyError::Annotation {
            file: file.to_owned(),
            policy: id.to_owned(),
            message: format!(
                "@route(\"{route_text}\") is not warn, simulate_first, require_approval or block"
            ),
        })?;
    let jurisdiction = policy.annotation("jurisdiction").map(str::to_owned);
    if route == Route::RequireApproval && jurisdiction.is_none() {
        return Err(missing("jurisdiction"));
    }
    Ok(Some(Rule {
        id: id.to_owned(),
        reason,
        route,
        jurisdiction,
        unless: policy.annotation("unless").map(str::to_owned),
        description: policy
            .annotation("description")
            .unwrap_or_default()
            .to_owned(),
        file: file.to_owned(),
    }))
}

fn entities(
    principal: EntityUid,
    resource: EntityUid,
    user: Option<&str>,
    kind: Option<&str>,
) -> Result<Entities, String> {
    let agent = Entity::new(
        principal,
        [(
            "user".to_owned(),
            RestrictedExpression::new_string(user.unwrap_or_default().to_owned()),
        )]
        .into(),
        Default::default(),
    )
    .map_err(|e| e.to_string())?;
    let tool = Entity::new(
        resource,
        [(
            "kind".to_owned(),
            RestrictedExpression::new_string(kind.unwrap_or("unknown").to_owned()),
        )]
        .into(),
        Default::default(),
    )
    .map_err(|e| e.to_string())?;
    Entities::from_entities([agent, tool], None).map_err(|e| e.to_string())
}

fn string(s: &str) -> RestrictedExpression {
    RestrictedExpression::new_string(s.to_owned())
}

fn set<'a>(items: impl IntoIterator<Item = &'a str>) -> RestrictedExpression {
    RestrictedExpression::new_set(items.into_iter().map(string))
}

fn record(fields: Vec<(&str, RestrictedExpression)>) -> Result<RestrictedExpression, String> {
    RestrictedExpression::new_record(fields.into_iter().map(|(k, v)| (k.to_owned(), v)))
        .map_err(|e| e.to_string())
}

fn egress_record<'a>(
    items: impl Iterator<Item = &'a crate::derive::Egress> + Clone,
) -> Result<RestrictedExpression, String> {
    use writ_detect::sensitivity::Sensitivity as S;
    let by = |level: Option<S>| {
        let mut names: Vec<&str> = items
            .clone()
            .filter(|e| level.is_none_or(|l| e.sensitivity == l))
            .map(|e| e.ownership.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        set(names)
    };
    record(vec![
        ("any", by(None)),
        ("none", by(Some(S::None))),
        ("internal", by(Some(S::Internal))),
        ("confidential", by(Some(S::Confidential))),
        ("secret", by(Some(S::Secret))),
    ])
}

fn build_context(
    envelope: &Envelope,
    f: &ActionFacts,
    session: &SessionState,
    payment_limit_cents: i64,
) -> Result<Context, String> {
    let x = &f.externality;
    let pairs = vec![
        (
            "runtime",
            record(vec![
                ("name", string(envelope.runtime.as_str())),
                ("family", string(envelope.family.as_str())),
            ])?,
        ),
        (
            "tool",
            record(vec![
                ("name", string(&envelope.tool)),
                ("kind", string(f.tool_kind.unwrap_or("unknown"))),
                (
                    "known",
                    RestrictedExpression::new_bool(f.tool_kind.is_some()),
                ),
                (
                    "read_only",
                    RestrictedExpression::new_bool(f.tool_kind == Some("read_only")),
                ),
            ])?,
        ),
        ("egress", egress_record(f.egress.iter())?),
        (
            "generic_egress",
            egress_record(f.egress.iter().filter(|e| e.generic))?,
        ),
        (
            "message_recipients",
            set(f.message_recipients.iter().copied()),
        ),
        (
            "directed_by_untrusted",
            RestrictedExpression::new_bool(f.egress.iter().any(|e| e.untrusted_only)),
        ),
        ("destroys", set(f.destroys.iter().copied())),
        (
            "production_changes",
            set(f.production_changes.iter().copied()),
        ),
        (
            "unsimulated_applies",
            set(f.unsimulated_applies.iter().copied()),
        ),
        ("pushes", set(f.pushes.iter().copied())),
        (
            "package_installs",
            set(f.package_installs.iter().map(String::as_str)),
        ),
        (
            "public_exposure",
            RestrictedExpression::new_bool(f.public_exposure),
        ),
        (
            "grants_access",
            RestrictedExpression::new_bool(f.grants_access),
        ),
        ("governance", set(f.governance.iter().copied())),
        (
            "outside_workspace_writes",
            set(f.outside_workspace_writes.iter().map(String::as_str)),
        ),
        (
            "payment",
            record(vec![
                (
                    "present",
                    RestrictedExpression::new_bool(f.payment_max_cents.is_some()),
                ),
                (
                    "unreadable",
                    RestrictedExpression::new_bool(f.payment_unreadable),
                ),
                (
                    "max_cents",
                    RestrictedExpression::new_long(f.payment_max_cents.unwrap_or(0)),
                ),
            ])?,
        ),
        (
            "limits",
            record(vec![(
                "payment_cents",
                RestrictedExpression::new_long(payment_limit_cents),
            )])?,
        ),
        (
            "session",
            record(vec![
                (
                    "read_labels",
                    set(session.read_labels.iter().map(String::as_str)),
                ),
                (
                    "blocked",
                    RestrictedExpression::new_long(i64::from(session.blocked)),
                ),
                (
                    "steps",
                    RestrictedExpression::new_long(i64::from(session.steps)),
                ),
            ])?,
        ),
        (
            "unparsed_command",
            RestrictedExpression::new_bool(f.unparsed_command),
        ),
        (
            "externality",
            record(vec![
                ("destination_type", string(x.destination_type)),
                ("visibility", string(x.visibility)),
                ("ownership", string(x.ownership)),
                ("tenant_provenance", string(x.tenant_provenance)),
                ("account_provenance", string(x.account_provenance)),
                ("client_provenance", string(&x.client_provenance)),
                (
                    "external_write",
                    RestrictedExpression::new_bool(x.external_write),
                ),
                ("sensitive_payload", string(x.sensitive_payload)),
                ("reversibility", string(x.reversibility)),
                ("enforceability", string(x.enforceability)),
            ])?,
        ),
    ];
    Context::from_pairs(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pack_loads_and_names_every_rule() {
        let pack = PolicyPack::default_pack().unwrap();
        let reasons: Vec<&str> = pack.rules().map(|r| r.reason.as_str()).collect();
        for code in [
            "EXFIL_SECRET",
            "UNTRUSTED_DIRECTIVE",
            "TAINTED_EGRESS",
            "UNPLANNED_APPLY",
            "FORCE_PUSH",
        ] {
            assert!(reasons.contains(&code), "{code} missing");
        }
        assert!(pack.digest.starts_with("sha256:"));
    }

    #[test]
    fn schema_violations_are_reported_with_the_policy() {
        let bad = "@id(\"X\") @reason(\"X\") @route(\"warn\") forbid (principal, action, resource) when { context.no_such_fact };";
        let err = PolicyPack::load(vec![("bad.cedar".into(), bad.into())]).unwrap_err();
        assert!(
            matches!(err, PolicyError::Invalid { ref policy, .. } if policy == "X"),
            "{err}"
        );
    }

    #[test]
    fn approval_rules_need_a_jurisdiction() {
        let bad = "@id(\"X\") @reason(\"X\") @route(\"require_approval\") forbid (principal, action, resource);";
        let err = PolicyPack::load(vec![("bad.cedar".into(), bad.into())]).unwrap_err();
        assert!(err.to_string().contains("@jurisdiction"), "{err}");
    }
}
