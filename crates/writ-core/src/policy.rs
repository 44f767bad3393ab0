//! Policy in Cedar: loading, validation and evaluation over derived facts.
//!
//! Every rule is a Cedar `forbid` that matches when the rule fires, with
//! annotations: `@reason` (the stable code), `@route` (`warn`,
//! `simulate_first`, `require_approval`, `block`), `@jurisdiction` for
//! approval rules, and optionally `@unless` naming a reason code or
//! `route:ROUTE` whose firing makes this rule stand down, and optionally
//! `@mode("shadow")`: the rule is evaluated and reported but does not
//! decide, so a new rule can be watched before it enforces. A `permit` with no
//! conditions releases what no rule forbids. One Cedar request evaluates
//! every rule at once; the forbids Cedar reports as determining are the rules
//! that fired.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, Hasher};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

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

/// The shipped Cedar schema, as people read and edit it.
pub const SCHEMA: &str = include_str!("../../../policy/schema.cedarschema");

/// The same schema in Cedar's JSON form, generated from [`SCHEMA`] and
/// committed (a test fails when they drift): it loads several times faster,
/// which matters to a hook that starts a process per tool call.
pub const SCHEMA_JSON: &str = include_str!("../../../policy/schema.cedarschema.json");

/// Parses the shipped schema from its JSON form.
fn shipped_schema() -> Result<Schema, PolicyError> {
    Schema::from_json_str(SCHEMA_JSON).map_err(|e| PolicyError::Schema(e.to_string()))
}

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
    /// `@mode("shadow")`: reported when it fires, never deciding.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shadow: bool,
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
    /// The top-level context attributes some policy reads, as a bit set
    /// over [`CONTEXT`] (bit `i` is `CONTEXT[i]`; all when [`context_reads`]
    /// cannot tell).
    wanted: u32,
    /// Evaluations by the exact values given to Cedar (shared by clones).
    memo: Option<Arc<Mutex<Memo>>>,
}

/// Most evaluations remembered; the memo is emptied when it is full.
const MEMO_LIMIT: usize = 4096;

/// Evaluations by request key ([`Inputs::key`]: an injective byte encoding
/// of the request). Keys are hashed with [`FastHash`]: the memo is bounded,
/// so a crafted collision costs comparisons, never a wrong answer (a hit
/// needs an equal key).
type Memo = HashMap<Box<[u8]>, Arc<Evaluation>, FastHash>;

fn new_memo() -> Arc<Mutex<Memo>> {
    Arc::new(Mutex::new(HashMap::with_hasher(FastHash)))
}

/// A multiply-rotate hasher (FxHash's mixing, eight bytes at a time, with a
/// final fold): SipHash costs more than the rest of a memo hit.
#[derive(Debug, Clone, Copy, Default)]
struct FastHash;

impl BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

struct FastHasher(u64);

const FAST_K: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(FAST_K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // Fold the high bits down: hashbrown takes its bucket from the low bits.
        let h = u128::from(self.0).wrapping_mul(u128::from(FAST_K));
        (h as u64) ^ ((h >> 64) as u64)
    }
}

/// Everything a Cedar request is built from, borrowed from the action:
/// equal [`Inputs::key`]s give equal requests.
struct Inputs<'a> {
    agent: &'a str,
    user: Option<&'a str>,
    tool: &'a str,
    kind: Option<&'static str>,
    context: Vec<(&'static str, Val<'a>)>,
}

impl Inputs<'_> {
    /// The memo key: every value in order, each self-delimiting (a tag, and
    /// a length before every string and list), so two different requests
    /// never share a key. Attribute and field names are left out: for one
    /// pack they are the same, in the same order, in every request
    /// ([`context_values`] adds them unconditionally, and which top-level
    /// attributes it adds depends on the pack alone).
    fn key(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        put_str(&mut out, self.agent);
        put_opt_str(&mut out, self.user);
        put_str(&mut out, self.tool);
        put_opt_str(&mut out, self.kind);
        put_fields(&mut out, &self.context);
        out
    }
}

/// LEB128: seven bits a byte, the high bit set on all but the last.
fn put_len(out: &mut Vec<u8>, len: usize) {
    let mut n = len as u64;
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// A tag (0 absent, 1 present), then the string when present.
fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
        None => out.push(0),
    }
}

fn put_fields(out: &mut Vec<u8>, fields: &[(&'static str, Val<'_>)]) {
    put_len(out, fields.len());
    for (_, value) in fields {
        value.put(out);
    }
}

/// A context value, turned into a Cedar expression only on a memo miss.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Val<'a> {
    Str(&'a str),
    Bool(bool),
    Long(i64),
    /// Sorted, without duplicates.
    Set(Vec<&'a str>),
    Record(Vec<(&'static str, Val<'a>)>),
}

impl<'a> Val<'a> {
    fn set(items: impl IntoIterator<Item = &'a str>) -> Val<'a> {
        let mut v: Vec<&str> = items.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        Val::Set(v)
    }

    fn str(s: &'a str) -> Val<'a> {
        Val::Str(s)
    }

    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Val::Str(s) => {
                out.push(b's');
                put_str(out, s);
            }
            Val::Bool(b) => out.extend_from_slice(&[b'b', u8::from(*b)]),
            Val::Long(n) => {
                out.push(b'l');
                out.extend_from_slice(&n.to_le_bytes());
            }
            Val::Set(items) => {
                out.push(b'S');
                put_len(out, items.len());
                for item in items {
                    put_str(out, item);
                }
            }
            Val::Record(fields) => {
                out.push(b'r');
                put_fields(out, fields);
            }
        }
    }

    fn expression(&self) -> Result<RestrictedExpression, String> {
        Ok(match self {
            Val::Str(s) => RestrictedExpression::new_string((*s).to_owned()),
            Val::Bool(b) => RestrictedExpression::new_bool(*b),
            Val::Long(n) => RestrictedExpression::new_long(*n),
            Val::Set(items) => RestrictedExpression::new_set(
                items
                    .iter()
                    .map(|s| RestrictedExpression::new_string((*s).to_owned())),
            ),
            Val::Record(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                for (k, v) in fields {
                    out.push(((*k).to_owned(), v.expression()?));
                }
                RestrictedExpression::new_record(out).map_err(|e| e.to_string())?
            }
        })
    }
}

/// The shipped pack's files, name and text.
fn default_sources() -> Vec<(String, String)> {
    DEFAULT_PACK
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect()
}

/// Strict validation against the shipped schema; the first error names its policy.
fn validate_set(set: &PolicySet, rules: &BTreeMap<String, Rule>) -> Result<(), PolicyError> {
    let validation = Validator::new(shipped_schema()?).validate(set, ValidationMode::Strict);
    match validation.validation_errors().next() {
        None => Ok(()),
        Some(error) => {
            let policy = error.policy_id().to_string();
            let file = rules
                .get(&policy)
                .map(|r| r.file.clone())
                .unwrap_or_default();
            Err(PolicyError::Invalid {
                file,
                policy,
                message: error.to_string(),
            })
        }
    }
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
    ///
    /// Its text and the schema are compiled into writ, so whether it
    /// validates is a property of the build, checked by a test
    /// (`shipped_pack_validates_against_the_schema`), and it is not validated
    /// again here: parsing the schema and validating were 7 of the 16 million
    /// instructions of loading it, which a hook process does on every tool
    /// call. Validation only rejects packs; it changes no decision of a pack
    /// that passes it. Packs from files ([`PolicyPack::load`]) are validated.
    pub fn default_pack() -> Result<PolicyPack, PolicyError> {
        PolicyPack::build(default_sources(), false)
    }

    /// Loads, validates against [`SCHEMA`] and indexes `sources` (file name, text).
    pub fn load(sources: Vec<(String, String)>) -> Result<PolicyPack, PolicyError> {
        PolicyPack::build(sources, true)
    }

    fn build(sources: Vec<(String, String)>, validate: bool) -> Result<PolicyPack, PolicyError> {
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
                let id = annotation(policy, "id")
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
        if validate {
            validate_set(&set, &rules)?;
        }
        let reads = context_reads(sources.iter().map(|(_, text)| text.as_str()));
        let wanted = CONTEXT
            .iter()
            .enumerate()
            .filter(|(_, name)| reads.as_ref().is_none_or(|r| r.contains(**name)))
            .fold(0, |bits, (i, _)| bits | (1 << i));
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
            wanted,
            memo: Some(new_memo()),
        })
    }

    /// Turns remembering evaluations off (to measure cold evaluation) or on.
    pub fn set_memo(&mut self, enabled: bool) {
        self.memo = enabled.then(new_memo);
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
        Evaluation::clone(&self.evaluate_shared(
            envelope,
            agent,
            user,
            facts,
            session,
            payment_limit_cents,
        ))
    }

    /// [`PolicyPack::evaluate`], shared with the memo instead of copied.
    pub(crate) fn evaluate_shared(
        &self,
        envelope: &Envelope,
        agent: &str,
        user: Option<&str>,
        facts: &ActionFacts,
        session: &SessionState,
        payment_limit_cents: i64,
    ) -> Arc<Evaluation> {
        let request = Inputs {
            agent,
            user,
            tool: &envelope.tool,
            kind: facts.tool_kind,
            context: context_values(envelope, facts, session, payment_limit_cents, self.wanted),
        };
        let Some(memo) = &self.memo else {
            return Arc::new(self.evaluate_facts(&request));
        };
        let key = request.key();
        if let Ok(memo) = memo.lock()
            && let Some(hit) = memo.get(key.as_slice())
        {
            return Arc::clone(hit);
        }
        let evaluation = Arc::new(self.evaluate_facts(&request));
        if let Ok(mut memo) = memo.lock() {
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(key.into_boxed_slice(), Arc::clone(&evaluation));
        }
        evaluation
    }

    fn evaluate_facts(&self, key: &Inputs<'_>) -> Evaluation {
        let fail = |message: String| Evaluation {
            fired: Vec::new(),
            errors: vec![message],
        };
        let mut pairs = Vec::with_capacity(key.context.len());
        for (name, value) in &key.context {
            match value.expression() {
                Ok(e) => pairs.push(((*name).to_owned(), e)),
                Err(e) => return fail(format!("cannot build the policy context: {e}")),
            }
        }
        let context = match Context::from_pairs(pairs) {
            Ok(c) => c,
            Err(e) => return fail(format!("cannot build the policy context: {e}")),
        };
        let principal =
            EntityUid::from_type_name_and_id(self.agent_type.clone(), EntityId::new(key.agent));
        let resource =
            EntityUid::from_type_name_and_id(self.tool_type.clone(), EntityId::new(key.tool));
        let entities = match entities(principal.clone(), resource.clone(), key.user, key.kind) {
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

/// The top-level context attributes `texts` read as `context.NAME`; `None`
/// when some policy reads the context another way (`context["x"]`,
/// `context has x`, the whole record), so every attribute is needed.
fn context_reads<'a>(texts: impl Iterator<Item = &'a str>) -> Option<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for text in texts {
        for (at, _) in text.match_indices("context") {
            let before = text.get(..at).and_then(|t| t.chars().next_back());
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let rest = text.get(at + "context".len()..).unwrap_or_default();
            if rest
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let name: String = rest
                .strip_prefix('.')?
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                return None;
            }
            names.insert(name);
        }
    }
    Some(names)
}

/// An annotation's value. `Policy::annotation` parses the key with Cedar's
/// grammar on every call, which dominated loading a pack; the iterator
/// does not.
fn annotation<'a>(policy: &'a Policy, key: &str) -> Option<&'a str> {
    policy
        .annotations()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
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
    let reason = annotation(policy, "reason")
        .ok_or_else(|| missing("reason"))?
        .to_owned();
    let route_text = annotation(policy, "route").ok_or_else(|| missing("route"))?;
    let route = Route::parse(route_text)
        .filter(|r| *r != Route::Allow)
        .ok_or_else(|| PolicyError::Annotation {
            file: file.to_owned(),
            policy: id.to_owned(),
            message: format!(
                "@route(\"{route_text}\") is not warn, simulate_first, require_approval or block"
            ),
        })?;
    let jurisdiction = annotation(policy, "jurisdiction").map(str::to_owned);
    if route == Route::RequireApproval && jurisdiction.is_none() {
        return Err(missing("jurisdiction"));
    }
    let shadow = match annotation(policy, "mode") {
        None | Some("enforce") => false,
        Some("shadow") => true,
        Some(other) => {
            return Err(PolicyError::Annotation {
                file: file.to_owned(),
                policy: id.to_owned(),
                message: format!("@mode(\"{other}\") is not enforce or shadow"),
            });
        }
    };
    Ok(Some(Rule {
        id: id.to_owned(),
        reason,
        route,
        jurisdiction,
        unless: annotation(policy, "unless").map(str::to_owned),
        shadow,
        description: annotation(policy, "description")
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

fn egress_record<'a>(items: impl Iterator<Item = &'a crate::derive::Egress> + Clone) -> Val<'a> {
    use writ_detect::sensitivity::Sensitivity as S;
    // A payload is counted at its highest level, and also as confidential
    // when it holds confidential data besides a secret.
    let by = |level: Option<S>| {
        Val::set(
            items
                .clone()
                .filter(|e| {
                    level.is_none_or(|l| {
                        e.sensitivity == l || (l == S::Confidential && e.holds_confidential)
                    })
                })
                .map(|e| e.ownership.as_str()),
        )
    };
    Val::Record(vec![
        ("any", by(None)),
        ("none", by(Some(S::None))),
        ("internal", by(Some(S::Internal))),
        ("confidential", by(Some(S::Confidential))),
        ("secret", by(Some(S::Secret))),
    ])
}

/// The top-level context attributes, in the order [`context_values`] adds them.
const CONTEXT: [&str; 20] = [
    "runtime",
    "tool",
    "egress",
    "generic_egress",
    "message_recipients",
    "directed_by_untrusted",
    "destroys",
    "production_changes",
    "unsimulated_applies",
    "pushes",
    "package_installs",
    "public_exposure",
    "grants_access",
    "governance",
    "outside_workspace_writes",
    "payment",
    "limits",
    "session",
    "unparsed_command",
    "externality",
];

/// The context attributes of the schema that `wanted` names: bit `i` is
/// [`CONTEXT`]`[i]`.
fn context_values<'a>(
    envelope: &'a Envelope,
    f: &'a ActionFacts,
    session: &'a SessionState,
    payment_limit_cents: i64,
    wanted: u32,
) -> Vec<(&'static str, Val<'a>)> {
    let mut out: Vec<(&'static str, Val<'a>)> = Vec::with_capacity(CONTEXT.len());
    let mut at = 0;
    let mut add = |name: &'static str, value: &dyn Fn() -> Val<'a>| {
        if wanted & (1 << at) != 0 {
            out.push((name, value()));
        }
        at += 1;
    };
    add("runtime", &|| {
        Val::Record(vec![
            ("name", Val::str(envelope.runtime.as_str())),
            ("family", Val::str(envelope.family.as_str())),
        ])
    });
    add("tool", &|| {
        Val::Record(vec![
            ("name", Val::str(&envelope.tool)),
            ("kind", Val::str(f.tool_kind.unwrap_or("unknown"))),
            ("known", Val::Bool(f.tool_kind.is_some())),
            ("read_only", Val::Bool(f.tool_kind == Some("read_only"))),
        ])
    });
    add("egress", &|| egress_record(f.egress.iter()));
    add("generic_egress", &|| {
        egress_record(f.egress.iter().filter(|e| e.generic))
    });
    add("message_recipients", &|| {
        Val::set(f.message_recipients.iter().copied())
    });
    add("directed_by_untrusted", &|| {
        Val::Bool(f.egress.iter().any(|e| e.untrusted_only))
    });
    add("destroys", &|| Val::set(f.destroys.iter().copied()));
    add("production_changes", &|| {
        Val::set(f.production_changes.iter().copied())
    });
    add("unsimulated_applies", &|| {
        Val::set(f.unsimulated_applies.iter().copied())
    });
    add("pushes", &|| Val::set(f.pushes.iter().copied()));
    add("package_installs", &|| {
        Val::set(f.package_installs.iter().map(String::as_str))
    });
    add("public_exposure", &|| Val::Bool(f.public_exposure));
    add("grants_access", &|| Val::Bool(f.grants_access));
    add("governance", &|| Val::set(f.governance.iter().copied()));
    add("outside_workspace_writes", &|| {
        Val::set(f.outside_workspace_writes.iter().map(String::as_str))
    });
    add("payment", &|| {
        Val::Record(vec![
            ("present", Val::Bool(f.payment_max_cents.is_some())),
            ("unreadable", Val::Bool(f.payment_unreadable)),
            ("max_cents", Val::Long(f.payment_max_cents.unwrap_or(0))),
        ])
    });
    add("limits", &|| {
        Val::Record(vec![("payment_cents", Val::Long(payment_limit_cents))])
    });
    add("session", &|| {
        Val::Record(vec![
            (
                "read_labels",
                Val::set(session.read_labels.iter().map(String::as_str)),
            ),
            ("blocked", Val::Long(i64::from(session.blocked))),
            ("steps", Val::Long(i64::from(session.steps))),
        ])
    });
    add("unparsed_command", &|| Val::Bool(f.unparsed_command));
    add("externality", &|| {
        let x = &f.externality;
        Val::Record(vec![
            ("destination_type", Val::str(x.destination_type)),
            ("visibility", Val::str(x.visibility)),
            ("ownership", Val::str(x.ownership)),
            ("tenant_provenance", Val::str(x.tenant_provenance)),
            ("account_provenance", Val::str(x.account_provenance)),
            ("client_provenance", Val::str(&x.client_provenance)),
            ("external_write", Val::Bool(x.external_write)),
            ("sensitive_payload", Val::str(x.sensitive_payload)),
            ("reversibility", Val::str(x.reversibility)),
            ("enforceability", Val::str(x.enforceability)),
        ])
    });
    out
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

    /// `default_pack` skips validation on the strength of this test.
    #[test]
    fn shipped_pack_validates_against_the_schema() {
        let validated = PolicyPack::load(default_sources()).unwrap();
        let shipped = PolicyPack::default_pack().unwrap();
        assert_eq!(validated.digest, shipped.digest);
        assert_eq!(validated.rules, shipped.rules);
        assert_eq!(validated.wanted, shipped.wanted);
        assert_eq!(validated.set.to_json().ok(), shipped.set.to_json().ok());
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

    #[test]
    fn context_reads_finds_dotted_attributes_and_gives_up_on_others() {
        let reads = context_reads(
            ["when { context.egress.secret.contains(\"x\") && context.tool.known }"].into_iter(),
        );
        assert_eq!(reads, Some(["egress".to_owned(), "tool".to_owned()].into()));
        assert_eq!(
            context_reads(["when { context has egress }"].into_iter()),
            None
        );
        assert_eq!(
            context_reads(["when { context[\"egress\"] == 1 }"].into_iter()),
            None
        );
        assert_eq!(
            context_reads(["when { my_context.x }"].into_iter()),
            Some(BTreeSet::new())
        );
    }

    #[test]
    fn the_default_pack_builds_only_what_it_reads() {
        let pack = PolicyPack::default_pack().unwrap();
        let reads = default_reads();
        assert!(reads.contains("egress") && reads.contains("session"));
        assert!(!reads.contains("externality"), "{reads:?}");
        let bit = |name: &str| 1u32 << CONTEXT.iter().position(|n| *n == name).unwrap();
        assert_ne!(pack.wanted & bit("egress"), 0);
        assert_eq!(pack.wanted & bit("externality"), 0);
    }

    fn default_reads() -> BTreeSet<String> {
        context_reads(DEFAULT_PACK.iter().map(|(_, text)| *text)).unwrap()
    }

    /// Requests that a plain concatenation of their texts would confuse get
    /// different memo keys.
    #[test]
    fn memo_keys_tell_apart_every_request() {
        let inputs = |agent, user, tool, context| Inputs {
            agent,
            user,
            tool,
            kind: None,
            context,
        };
        let one = |name, value| vec![(name, value)];
        let requests = [
            inputs("ab", None, "c", vec![]),
            inputs("a", None, "bc", vec![]),
            inputs("a", Some(""), "bc", vec![]),
            inputs("a", None, "bc", one("x", Val::set(["a", "b"]))),
            inputs("a", None, "bc", one("x", Val::set(["ab"]))),
            inputs("a", None, "bc", one("x", Val::set(["a", "b", "a"]))),
            inputs("a", None, "bc", one("x", Val::str("ab"))),
            inputs("a", None, "bc", one("x", Val::Bool(true))),
            inputs("a", None, "bc", one("x", Val::Bool(false))),
            inputs("a", None, "bc", one("x", Val::Long(1))),
            inputs(
                "a",
                None,
                "bc",
                one("x", Val::Record(vec![("y", Val::Long(1))])),
            ),
            inputs(
                "a",
                None,
                "bc",
                vec![("x", Val::Long(1)), ("y", Val::Long(1))],
            ),
        ];
        let keys: Vec<Vec<u8>> = requests.iter().map(Inputs::key).collect();
        // Equal values (a set's order and duplicates do not count) share a key.
        assert_eq!(keys[3], keys[5]);
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate() {
                if i != j && !matches!((i, j), (3, 5) | (5, 3)) {
                    assert_ne!(a, b, "requests {i} and {j} share a key");
                }
            }
        }
        assert_eq!(
            inputs("a", None, "b", one("x", Val::set(["b", "a"]))).key(),
            inputs("a", None, "b", one("x", Val::set(["a", "b"]))).key()
        );
    }

    /// `CONTEXT` lists what `context_values` adds, in order, and the
    /// pack's bit set names exactly the attributes its policies read.
    #[test]
    fn the_context_bit_set_follows_the_attributes() {
        use crate::derive::{Actor, derive};
        let envelope = crate::normalize(
            crate::Runtime::Http,
            &serde_json::json!({"method": "POST", "url": "https://a.example/x", "body": "hi"}),
        )
        .unwrap();
        let deployment = crate::Deployment::from_json(r#"{"workspace": "/w", "home": "/h"}"#)
            .unwrap()
            .over(crate::Deployment::builtin());
        let facts = crate::Facts::compile(&deployment).unwrap();
        let interpretation =
            crate::interpret::interpret(&envelope, &facts, crate::interpret::Earlier::default());
        let session = SessionState::default();
        let action = derive(
            &envelope,
            interpretation,
            &facts,
            &session,
            Actor { user: None },
        );
        let names = |wanted| -> Vec<&str> {
            context_values(&envelope, &action, &session, 0, wanted)
                .iter()
                .map(|(n, _)| *n)
                .collect()
        };
        assert_eq!(names(u32::MAX), CONTEXT);
        let pack = PolicyPack::default_pack().unwrap();
        let reads = default_reads();
        assert!(
            reads.iter().all(|r| CONTEXT.contains(&r.as_str())),
            "{reads:?}"
        );
        let built = names(pack.wanted);
        assert_eq!(built.len(), reads.len());
        assert!(built.iter().all(|n| reads.contains(*n)), "{built:?}");
    }

    /// The committed JSON schema is exactly the text schema converted.
    #[test]
    fn json_schema_matches_the_text_schema() {
        let fragment = cedar_policy::SchemaFragment::from_cedarschema_str(SCHEMA)
            .unwrap()
            .0;
        let generated: serde_json::Value =
            serde_json::from_str(&fragment.to_json_string().unwrap()).unwrap();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../policy/schema.cedarschema.json"
        );
        if std::env::var_os("WRIT_UPDATE_SCHEMA").is_some() {
            std::fs::write(
                path,
                serde_json::to_string_pretty(&generated).unwrap() + "\n",
            )
            .unwrap();
        }
        let committed: serde_json::Value = serde_json::from_str(SCHEMA_JSON).unwrap();
        assert_eq!(
            committed, generated,
            "policy/schema.cedarschema.json drifted: run with WRIT_UPDATE_SCHEMA=1"
        );
    }
}
