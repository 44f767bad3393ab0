//! Shared test helpers.

pub mod lines;
