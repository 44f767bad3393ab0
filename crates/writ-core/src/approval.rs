//! Approval records and whether one covers a rule that fired.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// An approval as a corpus or the approval store gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Who granted it (an address listed under a jurisdiction in `approvers`).
    pub approver: String,
    /// The tool's normalised name.
    pub tool: String,
    /// The arguments object exactly as the runtime passes it.
    pub arguments: Value,
    /// RFC 3339.
    pub granted_at: String,
    /// RFC 3339.
    pub expires_at: String,
}

/// Why an approval does not cover a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    WrongJurisdiction,
    DifferentAction,
    NotYetValid,
    Expired,
    AlreadyUsed,
    Malformed,
}

impl Approval {
    /// A stable id: `sha256:` of the canonical JSON of the record.
    pub fn id(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        format!(
            "sha256:{}",
            hex::encode(Sha256::digest(canonical_json(&value)))
        )
    }

    /// Checks this approval against one fired rule's jurisdiction.
    pub fn check(
        &self,
        approvers: &[String],
        tool: &str,
        canonical_arguments: &[u8],
        now: OffsetDateTime,
        used: bool,
    ) -> Result<(), Refusal> {
        if !approvers
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&self.approver))
        {
            return Err(Refusal::WrongJurisdiction);
        }
        if self.tool != tool || canonical_json(&self.arguments) != canonical_arguments {
            return Err(Refusal::DifferentAction);
        }
        let granted =
            OffsetDateTime::parse(&self.granted_at, &Rfc3339).map_err(|_| Refusal::Malformed)?;
        let expires =
            OffsetDateTime::parse(&self.expires_at, &Rfc3339).map_err(|_| Refusal::Malformed)?;
        if now < granted {
            return Err(Refusal::NotYetValid);
        }
        if now > expires {
            return Err(Refusal::Expired);
        }
        if used {
            return Err(Refusal::AlreadyUsed);
        }
        Ok(())
    }
}

/// RFC 8785 canonical JSON bytes of `value`.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    serde_json_canonicalizer::to_vec(value).unwrap_or_default()
}
