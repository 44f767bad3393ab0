//! JavaScript a script has a browser run in a page: Safari's `do
//! JavaScript "CODE" in TAB` (JXA `Safari.doJavaScript(CODE, {in: TAB})`)
//! and Chrome's (Edge's, Brave's, ...) `execute TAB javascript "CODE"`
//! (JXA `tab.execute({javascript: CODE})`). The page's requests go out as
//! inline code's do (`fetch(URL, {method, body})`, `XMLHttpRequest`'s
//! `open("POST", URL)`, `location = URL`), read by the inline reader;
//! `navigator.sendBeacon(URL, DATA)` always posts.

use super::super::{Invocation, Outcome, inline};
use super::values_after;
use crate::{Effect, Payload, Request, Target, flow};

/// The words a script hands page code after.
const MARKERS: &[&str] = &["javascript", "javascript(", "javascript:"];

/// Adds the requests of the page code the script runs; what the words
/// that gave the script expand to (`carried`) goes with each send.
pub(super) fn page_requests(
    inv: &Invocation<'_>,
    script: &str,
    carried: &Payload,
    outcome: &mut Outcome,
) {
    for code in MARKERS.iter().flat_map(|m| values_after(script, m)) {
        let mut page = Outcome::default();
        inline::analyze(inv, &code, &mut page);
        for effect in page.effects {
            outcome.effects.push(sent(effect, &code, carried));
        }
    }
}

/// A page request as it goes out: a beacon's GET is a POST, and a send
/// carries `carried`.
fn sent(mut effect: Effect, code: &str, carried: &Payload) -> Effect {
    if let Effect::Request(Request {
        target: Target::Url { url },
        method,
        payload,
        ..
    }) = &mut effect
    {
        if method == "GET" && beacons_to(code, url) {
            "POST".clone_into(method);
        }
        if method != "GET" {
            flow::merge(payload, carried);
        }
    }
    effect
}

/// True when `code` calls `sendBeacon` with `url` first.
fn beacons_to(code: &str, url: &str) -> bool {
    code.match_indices("sendBeacon(").any(|(at, call)| {
        code.get(at + call.len()..)
            .map(str::trim_start)
            .and_then(|rest| rest.get(1..))
            .is_some_and(|rest| rest.starts_with(url))
    })
}
