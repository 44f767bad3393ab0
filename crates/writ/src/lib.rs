//! The `writ` command line: glue between the pure decision core, the store
//! and the outside world (files, the clock, the environment).

pub mod defaults;
pub mod error;
pub mod eval;
pub mod gate;
pub mod hook;
pub mod ingest;
pub mod install;
pub mod keeper;
pub mod policy_cmd;
pub mod proof_cmd;
