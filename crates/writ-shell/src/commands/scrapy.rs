//! Scrapy's feed exports: `scrapy crawl SPIDER` and `scrapy runspider
//! FILE` write the items they scrape to each feed URI of `-o|--output`
//! (append) and `-O|--overwrite-output` (overwrite), `URI[:FORMAT]`, and of
//! the `FEEDS` setting (`-s FEEDS='{"URI": {...}}'`, the older `-s
//! FEED_URI=URI`).
//!
//! A feed on a store (`s3://B/K`, `gs://B/K`, `ftp://`, `sftp://`,
//! `http(s)://`) uploads the items there: an `UPLOAD` request to the URI,
//! as `aws s3 cp` reports one, the bucket judged by the deployment's
//! lists. A plain path or `file://` URI writes the local file; `-` and
//! `stdout:` print. The URI's `%(name)s`/`%(time)s` placeholders stay as
//! written: the bucket is what decides ownership. Other subcommands are
//! left to the generic handling.

use super::{Invocation, Outcome, request, url};
use crate::Payload;
use crate::args::{self, Spec};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program != "scrapy" {
        return None;
    }
    let items = args::parse(
        inv.args,
        &Spec {
            short: "oOtasL",
            long: SCRAPY_VALUES,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    if !matches!(
        positional.first().map(|a| a.text.as_str()),
        Some("crawl" | "runspider")
    ) {
        return None;
    }
    let mut outcome = Outcome::default();
    for feed in feeds(&items) {
        write_feed(inv, &mut outcome, &feed);
    }
    if let Some(log) = args::value(&items, &["--logfile"]) {
        outcome.write(inv.path(&log.text), true);
    }
    Some(outcome)
}

/// Scrapy's options that take a value.
const SCRAPY_VALUES: &[&str] = &[
    "output",
    "overwrite-output",
    "output-format",
    "set",
    "logfile",
    "loglevel",
    "pidfile",
    "profile",
    "callback",
];

/// A feed: its URI, without a `:FORMAT` suffix, and whether items are
/// appended to what it holds (`-o`, a `FEEDS` entry without `"overwrite":
/// true`) or replace it (`-O`).
struct Feed {
    uri: String,
    append: bool,
}

/// The feeds of the options and settings.
fn feeds(items: &[args::Item<'_>]) -> Vec<Feed> {
    let mut feeds = Vec::new();
    for (name, value) in args::options(items) {
        let append = match name {
            "-o" | "--output" => true,
            "-O" | "--overwrite-output" => false,
            _ => continue,
        };
        feeds.push(Feed {
            uri: without_format(&value.text).to_owned(),
            append,
        });
    }
    for setting in args::values(items, &["-s", "--set"]) {
        match setting.text.split_once('=') {
            Some(("FEEDS", json)) => feeds.extend(feeds_setting(json)),
            Some(("FEED_URI", uri)) => feeds.push(Feed {
                uri: uri.to_owned(),
                append: true,
            }),
            _ => {}
        }
    }
    feeds
}

/// The feeds of a `FEEDS` setting given as JSON (a dict keyed by URI).
fn feeds_setting(json: &str) -> Vec<Feed> {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json)
        .map(|feeds| {
            feeds
                .iter()
                .map(|(uri, options)| Feed {
                    uri: uri.clone(),
                    append: options.get("overwrite") != Some(&serde_json::Value::Bool(true)),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `URI:FORMAT` without its format (`s3://b/k.json:json`); a URI's own
/// colons (`s3://`, `file:///x`) stay.
fn without_format(text: &str) -> &str {
    match text.rsplit_once(':') {
        Some((uri, format))
            if !uri.is_empty()
                && !format.is_empty()
                && format
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            uri
        }
        _ => text,
    }
}

/// Schemes of feed storages that send the items off the machine.
const REMOTE_SCHEMES: &[&str] = &["s3", "gs", "ftp", "sftp", "http", "https"];

/// The effect of writing the items to a feed.
fn write_feed(inv: &Invocation<'_>, outcome: &mut Outcome, feed: &Feed) {
    let uri = feed.uri.as_str();
    if uri == "-" || uri.starts_with("stdout:") {
        return;
    }
    if let Some(path) = uri.strip_prefix("file://") {
        outcome.write(inv.path(path), feed.append);
        return;
    }
    let remote = uri
        .split_once("://")
        .is_some_and(|(scheme, _)| REMOTE_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()));
    if remote {
        outcome.effects.push(request(
            inv.program,
            url(uri),
            "UPLOAD",
            Payload::default(),
            false,
        ));
    } else {
        outcome.write(inv.path(uri), feed.append);
    }
}
