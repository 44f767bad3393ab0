//! vcpkg's binary and asset caches: the sources `VCPKG_BINARY_SOURCES`
//! and `--binarysource=` name (and `X_VCPKG_ASSET_SOURCES`,
//! `--x-asset-sources=`, for the downloads it caches). A source is
//! `PROVIDER,ARGS...`, sources are separated by `;`, and a backtick
//! escapes the next character; `clear` drops the sources before it, the
//! variable's first, then the options' in order. A source that may be
//! written (`write`, `readwrite`) receives the packages a build makes, an
//! upload to it; one only read is fetched from. Either way the header
//! (`http,URL,RW,HEADER`) or SAS token (`x-azblob,URL,SAS,RW`) the source
//! is given goes with each request, so a read source is reported when it
//! carries one. Local caches (`files`, `default`) send nothing.

use super::super::{Invocation, request, url};
use crate::args::Arg;
use crate::{Effect, Payload, flow};

/// The commands that build ports, and so read and write the caches.
pub(super) const BUILDING: &[&str] = &["install", "ci", "upgrade", "x-set-installed", "build"];

/// The requests a building vcpkg command makes to its binary and asset
/// caches.
pub(super) fn cache_requests(inv: &Invocation<'_>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for (variable, option) in [
        ("VCPKG_BINARY_SOURCES", "--binarysource"),
        ("X_VCPKG_ASSET_SOURCES", "--x-asset-sources"),
    ] {
        let mut configured: Vec<Arg> = inv.env_value(variable).cloned().into_iter().collect();
        configured.extend(option_values(inv.args, option));
        let mut sources: Vec<(Vec<String>, &Arg)> = Vec::new();
        for word in &configured {
            for source in split_escaped(&word.text, ';', false) {
                let fields = split_escaped(&source, ',', true);
                match fields.first().map(|p| p.trim()) {
                    Some("clear") => sources.clear(),
                    Some("") | None => {}
                    Some(_) => sources.push((fields, word)),
                }
            }
        }
        effects.extend(
            sources
                .iter()
                .filter_map(|(fields, word)| source_request(inv, fields, word)),
        );
    }
    effects
}

/// The values of `option` (`--binarysource=S` or `--binarysource S`).
fn option_values(args: &[Arg], option: &str) -> Vec<Arg> {
    let mut values = Vec::new();
    let mut iter = args.iter();
    while let Some(word) = iter.next() {
        if word.text == option {
            values.extend(iter.next().cloned());
        } else if let Some(value) = word
            .text
            .strip_prefix(option)
            .and_then(|rest| rest.strip_prefix('='))
        {
            values.push(word.with_text(value));
        }
    }
    values
}

/// `text` split at each `separator` that no backtick escapes (empty parts
/// kept: a field's place matters), with the escapes removed when
/// `unescape` (the last split) or kept for the next.
fn split_escaped(text: &str, separator: char, unescape: bool) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '`' {
            if !unescape {
                current.push(c);
            }
            current.extend(chars.next());
        } else if c == separator {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
}

/// The request one source makes: its provider, where it leads, whether
/// it is written and what credential it is given.
fn source_request(inv: &Invocation<'_>, fields: &[String], word: &Arg) -> Option<Effect> {
    let field = |i: usize| fields.get(i).map(|f| f.trim());
    let (location, mode, credential) = match field(0)? {
        // `http,URL_TEMPLATE[,RW[,HEADER]]`.
        "http" => (field(1)?, field(2), field(3)),
        // `x-azblob,URL,SAS[,RW]`, the asset cache's `x-azurl,URL[,SAS[,RW]]`.
        "x-azblob" | "x-azurl" => (field(1)?, field(3), field(2)),
        // Buckets, and NuGet feeds on a server.
        "x-gcs" | "x-aws" | "x-cos" | "nuget" => (field(1)?, field(2), None),
        _ => return None,
    };
    if !location.contains("://") {
        return None;
    }
    let mut payload = Payload::default();
    if let Some(credential) = credential.filter(|c| !c.is_empty()) {
        flow::merge(&mut payload, &part_payload(word, credential));
    }
    let written = matches!(mode, Some("write" | "readwrite"));
    let method = if written {
        "UPLOAD"
    } else if payload != Payload::default() {
        "GET"
    } else {
        return None;
    };
    Some(request(inv.program, url(location), method, payload, false))
}

/// What a part of `word` carries: its text, the variables it references
/// and, when it expands anything, what the word's substitutions carry.
fn part_payload(word: &Arg, part: &str) -> Payload {
    let mut payload = Payload::default();
    flow::push_text(&mut payload, part);
    for name in &word.env {
        if part.contains(&format!("${name}")) || part.contains(&format!("${{{name}")) {
            flow::push_env(&mut payload, name);
        }
    }
    if part.contains('$') {
        flow::merge(&mut payload, &word.prov);
    }
    payload
}
