//! Payload sensitivity detectors.

use serde::Serialize;

/// How sensitive a payload is; ordered weakest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    #[default]
    None,
    Internal,
    Confidential,
    Secret,
}

impl Sensitivity {
    /// The lower-case name used in policy and JSON (`none`, `internal`, `confidential`, `secret`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::None => "none",
            Sensitivity::Internal => "internal",
            Sensitivity::Confidential => "confidential",
            Sensitivity::Secret => "secret",
        }
    }

    /// Parses a label as written in a deployment (`secret`, `confidential`, `internal`, `none`).
    pub fn parse(label: &str) -> Option<Sensitivity> {
        match label {
            "none" => Some(Sensitivity::None),
            "internal" => Some(Sensitivity::Internal),
            "confidential" => Some(Sensitivity::Confidential),
            "secret" => Some(Sensitivity::Secret),
            _ => None,
        }
    }
}

/// What the detectors found in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TextFindings {
    /// Kinds of credentials found, each once, in a stable order
    /// (`aws_access_key_id`, `private_key`, `github_token`, `slack_token`, `stripe_live_key`).
    pub credentials: Vec<&'static str>,
    /// Number of distinct e-mail addresses (case-insensitive).
    pub distinct_emails: usize,
    /// Number of Luhn-valid card numbers (13 to 19 digits, spaces or dashes allowed between groups).
    pub card_numbers: usize,
    /// Number of US SSNs (`\d{3}-\d{2}-\d{4}`, not part of a longer digit run).
    pub ssns: usize,
}

impl TextFindings {
    /// `secret` if any credential; `confidential` if 3 or more distinct
    /// e-mail addresses, a card number or an SSN; else `none`.
    pub fn sensitivity(&self) -> Sensitivity {
        todo!()
    }
}

/// Scans `text` as sent and, where it is URL- or form-encoded
/// (`%XX`, `+` for space), after decoding; merges what both views find.
pub fn scan_text(text: &str) -> TextFindings {
    let _ = text;
    todo!()
}

/// Shorthand for `scan_text(text).sensitivity()`.
pub fn classify_text(text: &str) -> Sensitivity {
    scan_text(text).sensitivity()
}

/// True when `digits` (ASCII digits only) passes the Luhn check.
pub fn luhn_valid(digits: &str) -> bool {
    let _ = digits;
    todo!()
}

/// Distinct e-mail addresses in `text`, lower-cased, in order of first appearance.
pub fn email_addresses(text: &str) -> Vec<String> {
    let _ = text;
    todo!()
}
