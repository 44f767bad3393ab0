//! writ's decision core.
//!
//! The path every action takes, whatever runtime it came through:
//!
//! 1. [`normalize`]: the native event becomes an [`Envelope`].
//! 2. [`interpret`]: the envelope becomes [`Effect`]s, by manifest,
//!    built-in meaning or MCP annotations (shell commands through
//!    `writ-shell`).
//! 3. [`derive`]: effects get ownership, sensitivity, production and
//!    session context: [`ActionFacts`].
//! 4. [`policy`]: Cedar rules over those facts fire; [`engine`] combines
//!    them with approvals into a [`Decision`].
//!
//! Architecture invariant: nothing in this crate reads a clock, a file, the
//! network or randomness. Time, deployment facts, policy text, session state
//! and approvals come in as values, so a decision can be replayed.

pub mod approval;
pub mod deployment;
pub mod derive;
pub mod effects;
pub mod engine;
pub mod envelope;
pub mod interpret;
pub mod links;
pub mod listing;
pub mod manifest;
pub mod normalize;
pub mod partial_view;
pub mod policy;
pub mod route;
pub mod session;
pub mod shown_state;
pub mod sql;
mod web_api;

pub use approval::Approval;
pub use deployment::{Deployment, DeploymentError, Facts};
pub use derive::ActionFacts;
pub use effects::Effect;
pub use engine::{Decision, Engine, GuardInput, Lanes};
pub use envelope::{Envelope, Family, Runtime};
pub use normalize::{NormalizeError, detect, normalize};
pub use policy::{PolicyError, PolicyPack};
pub use route::Route;
pub use session::{BasisItem, SessionState, StepRecord};
