//! C2SP signed notes (`c2sp.org/signed-note`) with Ed25519 signatures.
//!
//! ```text
//! <text, ending in a newline>
//!
//! — <key name> <base64(4-byte big-endian key id || 64-byte signature)>
//! ```
//!
//! The signature covers the text including its final newline, but not the
//! blank separator line. The text is separated from the signatures by the
//! *last* blank line. Parsing and verification follow Go's
//! `golang.org/x/mod/sumdb/note.Open`: signatures from unknown keys are
//! ignored (reported as unverified), a failing signature from a known key
//! rejects the whole note, and a note with no verified signature is rejected.

use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::keys::{KeyPair, Verifier, is_valid_key_name};

/// The signature line prefix: em dash (U+2014) and a space.
pub const SIG_PREFIX: &str = "\u{2014} ";

/// Maximum number of signature lines accepted (as Go's reference).
pub const MAX_SIGNATURES: usize = 100;

/// Errors from signing, parsing and verifying signed notes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// The note is not syntactically a signed note.
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    /// The text to sign is not valid note text.
    #[error("invalid note text: {0}")]
    InvalidText(&'static str),
    /// A signature from a known key failed to verify.
    #[error("invalid signature for key {name}+{key_id:08x}")]
    InvalidSignature {
        /// Key name of the failing signature.
        name: String,
        /// Key ID of the failing signature.
        key_id: u32,
    },
    /// Two different verifiers share a name and key ID.
    #[error("ambiguous key {name}+{key_id:08x}")]
    AmbiguousKey {
        /// Shared key name.
        name: String,
        /// Shared key ID.
        key_id: u32,
    },
    /// No signature from any of the given verifiers was found.
    #[error("note has no verifiable signatures")]
    NoVerifiedSignature,
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NoteSignature {
    /// Key name.
    pub name: String,
    /// Key ID (first 4 decoded bytes, big-endian).
    pub key_id: u32,
    /// The signature bytes after the key ID.
    pub signature: Vec<u8>,
}

impl NoteSignature {
    /// The signature line without its trailing newline.
    pub fn line(&self) -> String {
        let mut raw = Vec::with_capacity(4 + self.signature.len());
        raw.extend_from_slice(&self.key_id.to_be_bytes());
        raw.extend_from_slice(&self.signature);
        format!("{SIG_PREFIX}{} {}", self.name, B64.encode(raw))
    }
}

/// A parsed (not yet verified) signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The signed text, including its final newline.
    pub text: String,
    /// Signature lines in order of appearance.
    pub signatures: Vec<NoteSignature>,
}

/// A note with at least one signature verified by a trusted key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedNote {
    /// The signed text, including its final newline.
    pub text: String,
    /// Signatures verified by one of the given verifiers.
    pub verified: Vec<NoteSignature>,
    /// Signatures from keys not among the verifiers (ignored).
    pub unverified: Vec<NoteSignature>,
}

fn check_chars(s: &str) -> bool {
    !s.chars().any(|c| c < '\u{20}' && c != '\n')
}

/// Checks that `text` can be signed: non-empty, ends in a newline, no ASCII
/// control characters other than newline.
pub fn check_text(text: &str) -> Result<(), NoteError> {
    if text.is_empty() {
        return Err(NoteError::InvalidText("text is empty"));
    }
    if !text.ends_with('\n') {
        return Err(NoteError::InvalidText("text does not end in a newline"));
    }
    if !check_chars(text) {
        return Err(NoteError::InvalidText("text contains a control character"));
    }
    Ok(())
}

impl Note {
    /// Parses a signed note without verifying any signature.
    pub fn parse(msg: &[u8]) -> Result<Self, NoteError> {
        let msg = std::str::from_utf8(msg).map_err(|_| NoteError::Malformed("not utf-8"))?;
        if !check_chars(msg) {
            return Err(NoteError::Malformed("control character"));
        }
        let split = msg
            .rfind("\n\n")
            .ok_or(NoteError::Malformed("no signature block"))?;
        let (text, sigs) = (msg.get(..split + 1), msg.get(split + 2..));
        let (Some(text), Some(sigs)) = (text, sigs) else {
            return Err(NoteError::Malformed("no signature block"));
        };
        let Some(sigs) = sigs.strip_suffix('\n') else {
            return Err(NoteError::Malformed(
                "signature block does not end in a newline",
            ));
        };
        if sigs.is_empty() {
            return Err(NoteError::Malformed("no signature lines"));
        }
        let mut signatures = Vec::new();
        for line in sigs.split('\n') {
            if signatures.len() >= MAX_SIGNATURES {
                return Err(NoteError::Malformed("too many signatures"));
            }
            signatures.push(parse_sig_line(line)?);
        }
        Ok(Self {
            text: text.to_owned(),
            signatures,
        })
    }

    /// Serialises the note: text, blank line, signature lines.
    pub fn encode(&self) -> String {
        let mut out = self.text.clone();
        out.push('\n');
        for s in &self.signatures {
            out.push_str(&s.line());
            out.push('\n');
        }
        out
    }
}

fn parse_sig_line(line: &str) -> Result<NoteSignature, NoteError> {
    let rest = line.strip_prefix(SIG_PREFIX).ok_or(NoteError::Malformed(
        "signature line lacks the em dash prefix",
    ))?;
    let (name, b64) = rest
        .split_once(' ')
        .ok_or(NoteError::Malformed("signature line lacks a space"))?;
    if !is_valid_key_name(name) || b64.is_empty() {
        return Err(NoteError::Malformed("bad signature line"));
    }
    let raw = B64
        .decode(b64)
        .map_err(|_| NoteError::Malformed("signature is not base64"))?;
    let (id, sig) = raw
        .split_first_chunk::<4>()
        .ok_or(NoteError::Malformed("signature too short"))?;
    if sig.is_empty() {
        return Err(NoteError::Malformed("signature too short"));
    }
    Ok(NoteSignature {
        name: name.to_owned(),
        key_id: u32::from_be_bytes(*id),
        signature: sig.to_vec(),
    })
}

/// Signs `text` with each key and returns the encoded signed note.
pub fn sign_note(text: &str, keys: &[&KeyPair]) -> Result<String, NoteError> {
    check_text(text)?;
    if keys.is_empty() {
        return Err(NoteError::InvalidText("no signing key"));
    }
    let signatures = keys
        .iter()
        .map(|k| NoteSignature {
            name: k.name().to_owned(),
            key_id: k.key_id(),
            signature: k.sign(text.as_bytes()).to_bytes().to_vec(),
        })
        .collect();
    Ok(Note {
        text: text.to_owned(),
        signatures,
    }
    .encode())
}

/// Parses `msg` and verifies it against `verifiers` (several keys allowed,
/// e.g. the current and previous log keys during rotation).
///
/// A signature matches a verifier when both key name and key ID are equal.
/// Unknown signatures are ignored; a matching signature that does not verify
/// rejects the note; at least one matching signature must verify.
pub fn open_note(msg: &[u8], verifiers: &[Verifier]) -> Result<VerifiedNote, NoteError> {
    let note = Note::parse(msg)?;
    let mut verified = Vec::new();
    let mut unverified = Vec::new();
    let mut seen_known: HashSet<(String, u32)> = HashSet::new();
    let mut seen_unknown: HashSet<NoteSignature> = HashSet::new();
    for sig in note.signatures {
        let mut matching = verifiers
            .iter()
            .filter(|v| v.name() == sig.name && v.key_id() == sig.key_id);
        let Some(v) = matching.next() else {
            if seen_unknown.insert(sig.clone()) {
                unverified.push(sig);
            }
            continue;
        };
        if matching.any(|other| other.verifying_key() != v.verifying_key()) {
            return Err(NoteError::AmbiguousKey {
                name: sig.name,
                key_id: sig.key_id,
            });
        }
        if !seen_known.insert((sig.name.clone(), sig.key_id)) {
            continue;
        }
        if !v.verify(note.text.as_bytes(), &sig.signature) {
            return Err(NoteError::InvalidSignature {
                name: sig.name,
                key_id: sig.key_id,
            });
        }
        verified.push(sig);
    }
    if verified.is_empty() {
        return Err(NoteError::NoVerifiedSignature);
    }
    Ok(VerifiedNote {
        text: note.text,
        verified,
        unverified,
    })
}
