//! Provenance: what a stream or a word carries, as a [`Payload`].

use crate::{FileRef, Payload};

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
    push_file(&mut payload, FileRef { path, recursive });
    payload
}
