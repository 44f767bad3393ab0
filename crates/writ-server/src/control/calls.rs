//! Hook-style callers: a retry of an approved call, and a post-call event.
//!
//! A coding agent's hook is a new process per event and keeps no state: it
//! asks before a call, the call needs approval, a reviewer grants it in
//! writ, and the agent retries the identical call. The retry finds the
//! approved action ([`Core::claim_approved`]) and uses it, once. The hook's
//! post-call event carries the output, not the action id: it finds its
//! action by the call id ([`Core::released_for_call`]) and closes it.

use serde_json::Value;
use writ_core::Envelope;

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
        db::session_actions(&self.db, session, SEARCH)?
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

/// Adds the action fields of `record` (id, status, enforced route, release token, ...) to a decision's JSON.
pub(crate) fn merge_view(out: &mut Value, record: &Record) {
    let view = record.view(true);
    if let (Some(o), Some(v)) = (out.as_object_mut(), view.as_object()) {
        for key in [
            "action_id",
            "status",
            "decided",
            "enforced_route",
            "released",
            "mode",
            "session_id",
            "required_jurisdictions",
            "release_token",
        ] {
            o.insert(key.to_owned(), v.get(key).cloned().unwrap_or(Value::Null));
        }
    }
}
