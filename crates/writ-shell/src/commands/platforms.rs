//! Vendor platform CLIs (`heroku`, `fly`, `netlify`, `stripe`, `twilio`,
//! `doctl`, ...): each is a client of its vendor's web API. A subcommand
//! that sets, creates, deletes or sends changes state there: a request to
//! the vendor's API host carrying the command's arguments and standard
//! input (the walk adds that) (`heroku config:set KEY="$SECRET"`, `echo "$SECRET" | wrangler
//! secret put KEY`). Listing, showing and logging in read.
//!
//! Deploys these CLIs make (`vercel --prod`, `netlify deploy`) are
//! [`super::deploy`]'s; this module sees only what it leaves.

use super::{Invocation, Outcome, request, url};
use crate::{Payload, args, flow};

/// Programs and the API host they talk to.
const PLATFORMS: &[(&str, &str)] = &[
    ("heroku", "api.heroku.com"),
    ("fly", "api.fly.io"),
    ("flyctl", "api.fly.io"),
    ("netlify", "api.netlify.com"),
    ("vercel", "api.vercel.com"),
    ("wrangler", "api.cloudflare.com"),
    ("railway", "backboard.railway.app"),
    ("render", "api.render.com"),
    ("stripe", "api.stripe.com"),
    ("twilio", "api.twilio.com"),
    ("doctl", "api.digitalocean.com"),
    ("linode-cli", "api.linode.com"),
    ("hcloud", "api.hetzner.cloud"),
    ("vultr-cli", "api.vultr.com"),
    ("supabase", "api.supabase.com"),
    ("firebase", "firebase.googleapis.com"),
    ("sentry-cli", "sentry.io"),
    ("doppler", "api.doppler.com"),
    ("pscale", "api.planetscale.com"),
    ("neonctl", "console.neon.tech"),
    ("turso", "api.turso.tech"),
    ("algolia", "api.algolia.com"),
    ("contentful", "api.contentful.com"),
    ("shopify", "shopify.com"),
    ("auth0", "auth0.com"),
    ("okta", "okta.com"),
];

/// Words of a subcommand that change state at the vendor.
const CHANGES: &[&str] = &[
    "set",
    "unset",
    "create",
    "add",
    "delete",
    "destroy",
    "remove",
    "rm",
    "update",
    "edit",
    "put",
    "post",
    "patch",
    "push",
    "send",
    "rollback",
    "restart",
    "scale",
    "import",
    "upload",
    "rotate",
    "revoke",
    "grant",
    "cancel",
    "refund",
    "refunds",
    "capture",
    "transfer",
    "transfers",
    "pay",
    "payouts",
    "approve",
    "promote",
    "attach",
    "detach",
    "resize",
    "reset",
    "purge",
    "invite",
    "disable",
    "enable",
    "suspend",
    "resume",
    "stop",
    "start",
    "reboot",
    "trigger",
    "release",
    "maintenance",
    "apply",
    "sync",
    "clone",
    "fork",
    "move",
    "rename",
    "upgrade",
    "downgrade",
    "transfer-ownership",
];

/// Words that only read, whatever else the subcommand says (`refunds
/// list`, `config:get`).
const READS: &[&str] = &[
    "list",
    "ls",
    "get",
    "show",
    "info",
    "view",
    "status",
    "logs",
    "log",
    "whoami",
    "describe",
    "open",
    "login",
    "logout",
    "version",
    "help",
    "inspect",
    "history",
    "search",
    "find",
    "tail",
    "watch",
    "dev",
    "listen",
    "completion",
    "diff",
    "plan",
    "validate",
    "check",
    "doctor",
];

/// Verbs that remove something (the request is a `DELETE`).
const DELETES: &[&str] = &["delete", "destroy", "remove", "rm", "purge"];

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let (_, host) = PLATFORMS.iter().find(|(name, _)| *name == inv.program)?;
    // The subcommand: the leading words before the first option, split on
    // `:` (`config:set`, `api:core:messages:create`) and spaces (`secrets
    // set`, `refunds create`).
    let words: Vec<String> = args::leading(inv.args)
        .into_iter()
        .take(3)
        .flat_map(|word| {
            word.split(':')
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .filter(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
        })
        .collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if !has(CHANGES) || has(READS) {
        return None;
    }
    let method = if has(DELETES) { "DELETE" } else { "POST" };
    let mut payload = Payload::default();
    for arg in inv.args {
        flow::merge(&mut payload, &arg.payload());
    }
    // `--amount 4000` as the API receives it, `amount=4000`.
    for pair in inv.args.windows(2) {
        if let [name, value] = pair
            && let Some(key) = name.text.strip_prefix("--")
            && !key.is_empty()
            && !key.contains('=')
            && !value.text.starts_with('-')
        {
            flow::push_text(
                &mut payload,
                &format!("{}={}", key.replace('-', "_"), value.text),
            );
        }
    }
    Some(Outcome::default().effect(request(
        inv.program,
        url(&format!("https://{host}/{}", api_path(inv.program, &words))),
        method,
        payload,
        false,
    )))
}

/// The API path a subcommand calls, where the CLI is a thin client of a
/// REST API whose resources it names (`stripe refunds create` posts to
/// `/v1/refunds`); empty otherwise.
fn api_path(program: &str, words: &[String]) -> String {
    match (program, words.first()) {
        ("stripe", Some(resource)) => format!("v1/{resource}"),
        _ => String::new(),
    }
}
