//! Replay inputs many actions share: the deployment and the policy files.
//!
//! They are content-addressed by the `sha256:` digest of their RFC 8785
//! canonical JSON. Certificates reference them by that digest; the
//! [`crate::Recorder`] logs each one once as a signed `replay_input`
//! receipt whose body is `{"role", "digest", "value"}`, and proof bundles
//! carry each one once in `evidence.inputs`, keyed by the digest.

use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use writ_proof::{SignedReceipt, digest_bytes};

use writ_proof::canonical_bytes;

use crate::action::LifecycleError;
use crate::certificate::PolicySource;

/// The roles a replay input plays.
pub mod role {
    pub const DEPLOYMENT: &str = "deployment";
    pub const POLICY: &str = "policy";
}

/// The body of a `replay_input` receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputBody {
    /// [`role::DEPLOYMENT`] or [`role::POLICY`].
    pub role: String,
    /// `sha256:` of the canonical `value`.
    pub digest: String,
    pub value: Value,
}

/// The deployment and policy of a [`crate::Context`], with their digests.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedInputs {
    pub deployment: Value,
    pub deployment_digest: String,
    /// The policy files as the engine holds them.
    pub policy_sources: Vec<(String, String)>,
    /// The policy files as JSON: `[{"name", "text"}]`.
    pub policy: Value,
    pub policy_digest: String,
}

fn digest_of(what: &'static str, value: &Value) -> Result<String, LifecycleError> {
    let bytes = canonical_bytes(value).map_err(|e| LifecycleError::Serialize {
        what,
        reason: e.to_string(),
    })?;
    Ok(digest_bytes(&bytes).to_string())
}

/// The policy files as JSON: `[{"name", "text"}]`, in order.
pub fn policy_value(sources: &[(String, String)]) -> Result<Value, LifecycleError> {
    let files: Vec<PolicySource> = sources
        .iter()
        .map(|(name, text)| PolicySource {
            name: name.clone(),
            text: text.clone(),
        })
        .collect();
    crate::action::to_value("policy", &files)
}

impl SharedInputs {
    pub fn new(deployment: &Value, sources: &[(String, String)]) -> Result<Self, LifecycleError> {
        let policy = policy_value(sources)?;
        Ok(SharedInputs {
            deployment_digest: digest_of("deployment", deployment)?,
            deployment: deployment.clone(),
            policy_sources: sources.to_vec(),
            policy_digest: digest_of("policy", &policy)?,
            policy,
        })
    }

    /// Whether these are the digests of `deployment` and `sources`.
    fn matches(&self, deployment: &Value, sources: &[(String, String)]) -> bool {
        self.policy_sources == sources && self.deployment == *deployment
    }

    /// `(role, digest, value)` of each input.
    pub fn each(&self) -> [(&'static str, &str, &Value); 2] {
        [
            (
                role::DEPLOYMENT,
                self.deployment_digest.as_str(),
                &self.deployment,
            ),
            (role::POLICY, self.policy_digest.as_str(), &self.policy),
        ]
    }
}

/// Receipt body of a replay input.
pub fn input_body(role: &str, digest: &str, value: &Value) -> Value {
    json!({"role": role, "digest": digest, "value": value})
}

/// Memo of the [`SharedInputs`] of a context's current deployment and
/// policy: recomputed whenever either changes.
#[derive(Debug, Clone, Default)]
pub(crate) struct SharedCache(Arc<Mutex<Option<Arc<SharedInputs>>>>);

impl SharedCache {
    pub(crate) fn get(
        &self,
        deployment: &Value,
        sources: &[(String, String)],
    ) -> Result<Arc<SharedInputs>, LifecycleError> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(shared) = slot.as_ref()
            && shared.matches(deployment, sources)
        {
            return Ok(Arc::clone(shared));
        }
        let shared = Arc::new(SharedInputs::new(deployment, sources)?);
        *slot = Some(Arc::clone(&shared));
        Ok(shared)
    }
}

/// A replay input in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedInput {
    pub role: String,
    /// `sha256:` of the canonical value (not of the receipt).
    pub digest: String,
    /// The signed `replay_input` receipt carrying the value.
    pub receipt: SignedReceipt,
    pub leaf_index: u64,
}
