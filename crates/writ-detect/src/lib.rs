//! Facts about strings, with no knowledge of actions or policy.
//!
//! - [`sensitivity`]: credential patterns, PII counts, Luhn, decoding of
//!   URL- and form-encoded text.
//! - [`destination`]: URLs, scp-style and git remotes, e-mail addresses,
//!   S3/GCS URIs, repositories, registrable domains (public suffix list).
//! - [`ownership`]: whose a destination is, given an organisation's facts.
//! - [`paths`]: lexical path normalisation and sensitive-path globs.
//!
//! Everything here is pure and deterministic.

pub mod destination;
pub mod ownership;
pub mod paths;
pub mod sensitivity;
