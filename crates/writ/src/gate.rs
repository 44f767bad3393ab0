//! The live decision path: the engine plus the session store.
//!
//! `writ guard` and `writ eval` both go through [`Gate`]: a tool call is
//! decided with [`Gate::before`] and closed with [`Gate::after`], exactly as
//! a hook calls them around a real tool.

use time::OffsetDateTime;
use writ_core::engine::GuardInput;
use writ_core::envelope::Phase;
use writ_core::{Approval, BasisItem, Decision, Engine, Envelope, Route, StepRecord};
use writ_store::{Store, StoreError};

/// Who acts, and when.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub agent: &'a str,
    pub user: Option<&'a str>,
    pub now: OffsetDateTime,
}

/// The engine and the store, together.
pub struct Gate<'a> {
    pub engine: &'a Engine,
    pub store: &'a mut Store,
}

impl Gate<'_> {
    /// Adds basis items (instructions, retrieved text) to a session.
    pub fn add_basis(&mut self, session: &str, basis: &[BasisItem]) -> Result<(), StoreError> {
        if !basis.is_empty() {
            self.store.update_session(session, |s| s.add_basis(basis))?;
        }
        Ok(())
    }

    /// Decides a tool call before it runs. A block, or the use of an
    /// approval, is recorded in the session at once.
    pub fn before(
        &mut self,
        session: &str,
        envelope: &Envelope,
        approvals: &[Approval],
        caller: Caller<'_>,
    ) -> Result<Decision, StoreError> {
        let state = self.store.session(session)?;
        let decision = self.engine.guard(GuardInput {
            envelope,
            session: &state,
            approvals,
            now: caller.now,
            agent: caller.agent,
            user: caller.user,
        });
        let immediate = (decision.route == Route::Block || !decision.approvals_used.is_empty())
            .then(|| StepRecord {
                blocked: decision.route == Route::Block,
                ran: false,
                approvals_used: decision.approvals_used.clone(),
                ..StepRecord::default()
            });
        self.store.record_decision(
            session,
            envelope.call_id.as_deref(),
            &decision,
            immediate.as_ref(),
        )?;
        Ok(decision)
    }

    /// Closes a tool call with its outcome: `ran` is false when it was
    /// refused or failed; `output` is the text it produced.
    pub fn after(
        &mut self,
        session: &str,
        envelope: &Envelope,
        decision: &Decision,
        ran: bool,
        output: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut step = self.engine.step_record(decision, ran, output);
        // Blocks and approvals were recorded when the call was decided.
        step.blocked = false;
        step.approvals_used.clear();
        self.store
            .close_step(session, envelope.call_id.as_deref(), &step)?;
        Ok(())
    }

    /// Handles one event the way a hook does: a `Post` event closes its call
    /// (re-deriving its facts, which are pure), anything else is decided.
    pub fn handle(
        &mut self,
        session: &str,
        envelope: &Envelope,
        approvals: &[Approval],
        caller: Caller<'_>,
    ) -> Result<Decision, StoreError> {
        if envelope.phase != Phase::Post {
            return self.before(session, envelope, approvals, caller);
        }
        let state = self.store.session(session)?;
        let decision = self.engine.guard(GuardInput {
            envelope,
            session: &state,
            approvals: &[],
            now: caller.now,
            agent: caller.agent,
            user: caller.user,
        });
        self.after(
            session,
            envelope,
            &decision,
            true,
            envelope.output.as_deref(),
        )?;
        Ok(decision)
    }
}
