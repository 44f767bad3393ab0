//! Hook-style callers: a retry of an approved call, and a post-call event.
//!
//! A coding agent's hook is a new process per event and keeps no state: it
//! asks before a call, the call needs approval, a reviewer grants it in
//! writ, and the agent retries the identical call. The retry finds the
//! approved action ([`Core::claim_approved`]) and uses it, once. The hook's
//! post-call event carries the output, not the action id: it finds its
//! action by the call id ([`Core::released_for_call`]) and closes it.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
#[cfg(test)]
use serde_json::json;
use writ_core::Envelope;
use writ_lifecycle::Signer;

use super::{Core, Record, Status, Step};
use crate::db;
use crate::error::Problem;
use crate::tokens::Principal;

/// How many of a session's latest actions are searched.
const SEARCH: i64 = 64;

/// The identity of a call for approvals: its tool and canonical arguments.
fn call_key(envelope: &Envelope) -> Vec<u8> {
    writ_core::approval::canonical_json(
        &serde_json::json!({"tool": envelope.tool, "arguments": envelope.arguments}),
    )
}

impl Core {
    fn session_records(&self, session: &str) -> Result<Vec<Record>, Problem> {
        db::session_actions(self.db(), session, SEARCH)?
            .into_iter()
            .map(|text| {
                serde_json::from_str::<Record>(&text)
                    .map_err(|e| Problem::internal(format!("a stored action is unreadable: {e}")))
            })
            .map(|r| r.map(|r| self.live_or(r)))
            .collect()
    }

    /// The freshest copy of a record: the live one if cached.
    fn live_or(&self, record: Record) -> Record {
        self.live
            .get(&record.id)
            .map(|l| l.record.clone())
            .unwrap_or(record)
    }

    /// Claims, for the identical call of `envelope`, an action of the same
    /// session and principal that a reviewer approved and nothing has used
    /// yet. The claim is recorded, so an approval serves one retry.
    pub(crate) fn claim_approved(
        &mut self,
        p: &Principal,
        session: &str,
        envelope: &Envelope,
    ) -> Result<Option<Record>, Problem> {
        let key = call_key(envelope);
        let twin = self.session_records(session)?.into_iter().find(|r| {
            r.principal == p.name
                && r.status == Status::Released
                && r.claimed_call.is_none()
                && r.steps.iter().any(|s| matches!(s, Step::Grant { .. }))
                && call_key(&r.input.envelope) == key
        });
        let Some(twin) = twin else {
            return Ok(None);
        };
        let call = envelope.call_id.clone().unwrap_or_default();
        self.mutate(&twin.id, |_, live, _| {
            live.record.claimed_call = Some(call);
            Ok(())
        })
        .map(Some)
    }

    /// The released, unclosed action of this session and principal that a
    /// post-call event of `envelope` closes: the one guarded with its call
    /// id, or the approved one a retry with that call id claimed.
    pub(crate) fn released_for_call(
        &self,
        p: &Principal,
        session: &str,
        envelope: &Envelope,
    ) -> Result<Option<Record>, Problem> {
        let Some(call) = envelope.call_id.as_deref() else {
            return Ok(None);
        };
        Ok(self.session_records(session)?.into_iter().find(|r| {
            r.principal == p.name
                && r.status == Status::Released
                && (r.claimed_call.as_deref() == Some(call)
                    || (r.claimed_call.is_none()
                        && r.input.envelope.call_id.as_deref() == Some(call)))
        }))
    }
}

/// A guard's answer: the decision's JSON, then the action's fields (id,
/// status, enforced route, release token, ...); a field the decision has
/// too keeps its place. The decision is shared with the live action, so
/// answering copies none of it.
#[derive(Debug, Clone)]
pub struct Answer {
    decision: Arc<Value>,
    fields: Vec<(&'static str, Value)>,
}

impl Answer {
    pub(crate) fn new(decision: Arc<Value>) -> Answer {
        Answer {
            decision,
            fields: Vec::new(),
        }
    }

    /// Sets `key` (replacing what the answer had there).
    pub(crate) fn set(&mut self, key: &'static str, value: Value) {
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.fields.push((key, value)),
        }
    }

    /// Adds the action fields of `record`; without a signer, a release
    /// token still to be signed is left for the caller ([`Record::headline`]).
    pub(crate) fn merge_view(
        &mut self,
        record: &Record,
        signer: Option<&Signer>,
    ) -> Result<(), Problem> {
        for (key, value) in record.headline(signer)? {
            self.set(key, value);
        }
        Ok(())
    }

    fn field(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A decision is always an object; anything else is answered as it is.
        let Some(object) = self.decision.as_object() else {
            return self.decision.serialize(serializer);
        };
        let added = self
            .fields
            .iter()
            .filter(|(k, _)| !object.contains_key(*k))
            .count();
        let mut map = serializer.serialize_map(Some(object.len() + added))?;
        for (key, value) in object {
            map.serialize_entry(key, self.field(key).unwrap_or(value))?;
        }
        for (key, value) in &self.fields {
            if !object.contains_key(*key) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// A released action as `writ serve` stored it.
    const STORED: &str = include_str!("testdata/released_action.json");

    #[test]
    fn the_headline_is_the_views_fields_in_every_status_and_mode() {
        let stored: Record = serde_json::from_str(STORED).unwrap();
        let signer = Signer::generate("test").unwrap();
        // As stored before claims were kept (a token), and as now (claims).
        let token = stored.release_token.clone().unwrap();
        let mut with_claims = stored.clone();
        with_claims.release_token = None;
        with_claims.release_claims = Some(writ_proof::inspect_release_unverified(&token).unwrap());
        let statuses = [
            "pending",
            "released",
            "denied",
            "expired",
            "closed",
            "blocked",
            "needs_simulation",
        ];
        for base in [&stored, &with_claims] {
            for (status, route) in statuses
                .into_iter()
                .flat_map(|s| ["allow", "require_approval", "block"].map(|r| (s, r)))
            {
                for mode in ["enforce", "advisory", "shadow"] {
                    for (session, required) in [(None, vec![]), (Some("s"), vec!["security"])] {
                        let mut record = base.clone();
                        record.status = serde_json::from_value(json!(status)).unwrap();
                        record.mode = serde_json::from_value(json!(mode)).unwrap();
                        std::sync::Arc::make_mut(&mut record.decision)["route"] = json!(route);
                        record.session = session.map(str::to_owned);
                        record.required = required.iter().map(|j| j.to_string()).collect();
                        if status == "pending" {
                            record.release_token = None;
                            record.release_claims = None;
                        }
                        let view = record.view(Some(&signer)).unwrap();
                        let mut answer = Answer::new(Arc::new(json!({"route": "allow"})));
                        answer.merge_view(&record, Some(&signer)).unwrap();
                        let out = serde_json::to_value(&answer).unwrap();
                        for (key, value) in record.headline(Some(&signer)).unwrap() {
                            assert_eq!(
                                Some(&value),
                                view.get(key),
                                "{key} ({status}, {route}, {mode})"
                            );
                            assert_eq!(Some(&value), out.get(key), "{key}");
                        }
                        assert_eq!(out["route"], "allow");
                    }
                }
            }
        }
    }

    #[test]
    fn an_answer_is_the_decision_then_its_fields_as_merging_into_a_copy_gives() {
        let decision = Arc::new(json!({"route": "allow", "mode": "x", "reasons": []}));
        let mut answer = Answer::new(Arc::clone(&decision));
        let fields = [
            ("action_id", json!("act_1")),
            ("mode", json!("enforce")),
            ("action_id", json!("act_2")),
        ];
        let mut copy = (*decision).clone();
        for (key, value) in fields {
            answer.set(key, value.clone());
            copy.as_object_mut().unwrap().insert(key.to_owned(), value);
        }
        let text = serde_json::to_string(&answer).unwrap();
        assert_eq!(
            text,
            r#"{"route":"allow","mode":"enforce","reasons":[],"action_id":"act_2"}"#
        );
        assert_eq!(text, serde_json::to_string(&copy).unwrap());
        // The shared decision itself is untouched.
        assert_eq!(decision["mode"], "x");
    }

    #[test]
    fn a_token_kept_as_claims_is_signed_by_whoever_shows_it() {
        let stored: Record = serde_json::from_str(STORED).unwrap();
        let signer = Signer::generate("test").unwrap();
        let claims =
            writ_proof::inspect_release_unverified(stored.release_token.as_ref().unwrap()).unwrap();
        let mut record = stored.clone();
        record.release_token = None;
        record.release_claims = Some(claims.clone());
        let signed = record.release_token(&signer).unwrap().unwrap();
        // Deterministic, and verifiable with the signer's key.
        assert_eq!(record.release_token(&signer).unwrap().unwrap(), signed);
        assert_eq!(
            writ_proof::inspect_release_unverified(&signed).unwrap(),
            claims
        );
        // Without a signer the headline leaves the token to the caller.
        let headline = record.headline(None).unwrap();
        let token = headline.iter().find(|(k, _)| *k == "release_token");
        assert_eq!(token.map(|(_, v)| v), Some(&Value::Null));
        // A view for someone not shown the token holds none.
        assert_eq!(record.view(None).unwrap()["release_token"], Value::Null);
        assert_eq!(
            record.view(Some(&signer)).unwrap()["release_token"],
            json!(signed)
        );
    }
}
