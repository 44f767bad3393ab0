//! Provenance: what a stream or a word carries, as a [`Payload`], and
//! the text a transformer makes of text the line fixes (`decode`).

mod decode;

use crate::{FileRef, Payload};

pub(crate) use decode::{
    Escapes, echo_output, is_text_transformer, printf_output, transformed_stdout, unescape,
};

/// Adds everything in `from` to `into`, without duplicates.
pub(crate) fn merge(into: &mut Payload, from: &Payload) {
    for text in &from.text {
        push_text(into, text);
    }
    for file in &from.files {
        push_file(into, file.clone());
    }
    for name in &from.env {
        push_env(into, name);
    }
    for credential in &from.credentials {
        if !into.credentials.contains(credential) {
            into.credentials.push(credential.clone());
        }
    }
    into.repository |= from.repository;
    for text in &from.quoted {
        push_quoted(into, text);
    }
}

/// Adds text the shell's quotes kept as written, marked
/// ([`Payload::quoted`]) when it spells a `$` that is not an expansion.
pub(crate) fn push_quoted(into: &mut Payload, text: &str) {
    push_text(into, text);
    if text.contains('$') && !into.quoted.iter().any(|t| t == text) {
        into.quoted.push(text.to_owned());
    }
}

/// Adds literal text, skipping empty and duplicate entries.
pub(crate) fn push_text(into: &mut Payload, text: &str) {
    if !text.is_empty() && !into.text.iter().any(|t| t == text) {
        into.text.push(text.to_owned());
    }
}

/// Adds a file; a recursive reference absorbs a plain one to the same path.
pub(crate) fn push_file(into: &mut Payload, file: FileRef) {
    // A process's environment, as a file (`/proc/self/environ`).
    if file.path.starts_with("/proc/") && file.path.ends_with("/environ") {
        push_env(into, crate::ALL_ENV);
    }
    if let Some(existing) = into.files.iter_mut().find(|f| f.path == file.path) {
        existing.recursive |= file.recursive;
    } else {
        into.files.push(file);
    }
}

/// Adds an environment variable name.
pub(crate) fn push_env(into: &mut Payload, name: &str) {
    if !name.is_empty() && !into.env.iter().any(|n| n == name) {
        into.env.push(name.to_owned());
    }
}

/// A payload holding one file.
pub(crate) fn file_payload(path: String, recursive: bool) -> Payload {
    let mut payload = Payload::default();
    push_file(
        &mut payload,
        FileRef {
            path,
            recursive,
            excludes: Vec::new(),
        },
    );
    payload
}

/// Decodes base64 into UTF-8 text: the standard alphabet (and with
/// `url_safe_too` the URL's `-_` as well), padded or not, whitespace
/// ignored. `None` for anything else, or bytes that are not text.
pub fn decode_base64_text(text: &str, url_safe_too: bool) -> Option<String> {
    String::from_utf8(decode_base64(text, url_safe_too)?).ok()
}

/// Decodes base64 as [`decode_base64_text`] reads it, into bytes (text
/// in another encoding, such as PowerShell's UTF-16 `-EncodedCommand`).
pub(crate) fn decode_base64(text: &str, url_safe_too: bool) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const STANDARD: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let standard: String = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| match c {
            '-' if url_safe_too => '+',
            '_' if url_safe_too => '/',
            c => c,
        })
        .collect();
    STANDARD.decode(standard).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64_text() {
        assert_eq!(
            decode_base64_text("Y3VybA==", false).as_deref(),
            Some("curl")
        );
        assert_eq!(
            decode_base64_text("Y3Vy\nbA", false).as_deref(),
            Some("curl")
        );
        assert_eq!(
            decode_base64_text("Z2l0IHB1c2g=", false).as_deref(),
            Some("git push")
        );
        assert_eq!(decode_base64_text("not base64!", false), None);
        assert_eq!(decode_base64_text("/w==", false), None, "not UTF-8");
    }
}
