//! Vendor platform CLIs (`heroku`, `fly`, `netlify`, `stripe`, `twilio`,
//! `doctl`, ...): each is a client of its vendor's web API. A subcommand
//! that sets, creates, deletes or sends changes state there: a request to
//! the vendor's API host carrying the command's arguments and standard
//! input (the walk adds that) (`heroku config:set KEY="$SECRET"`, `echo "$SECRET" | wrangler
//! secret put KEY`). Listing, showing and logging in read. A CLI told
//! which tenant it acts at (`shopify --store`, `auth0 --tenant`, `doppler
//! --api-host`, their environment variables) sends the request there
//! instead ([`TENANTS`]).
//!
//! The stripe CLI's resource commands (`stripe RESOURCE VERB [ID]
//! [--param value | -d k=v]`) are read by their verb: `list`, `retrieve`
//! and `search` read whatever the resource; any other verb changes it; and
//! only the operations that move money (`refunds create`, `transfers
//! create`, `payment_intents capture`, `invoices pay`, ...) are payments,
//! of the amount and to the payee their parameters say
//! ([`MONEY_MOVEMENTS`]).
//!
//! Deploys these CLIs make (`vercel --prod`, `netlify deploy`) are
//! [`super::deploy`]'s; this module sees only what it leaves. Firebase's
//! and Supabase's subcommands follow their global options (`firebase
//! --project P firestore:delete`); a change there is also one in the
//! project it names, which the organisation's production list sorts, and
//! a command that reaches only the local emulators or stack (`supabase
//! start`, `FIRESTORE_EMULATOR_HOST=localhost:8080 firebase
//! firestore:delete`) is no request at all ([`super::deploy::baas`]).

use super::deploy::baas;
use super::{Invocation, Outcome, request, url};
use crate::args::{self, Arg};
use crate::{Amount, Effect, Message, Payload, Payment, flow};

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
    ("appcenter", "api.appcenter.ms"),
    ("eas", "api.expo.dev"),
    // fastlane's actions are `deploy::fastlane`'s; this is where the
    // credentials given on its line go.
    ("fastlane", "api.appstoreconnect.apple.com"),
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

/// The API host of a vendor platform's CLI (`vercel`: `api.vercel.com`).
pub(super) fn api_host(program: &str) -> Option<&'static str> {
    PLATFORMS
        .iter()
        .find(|(name, _)| *name == program)
        .map(|(_, host)| *host)
}

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
    "distribute",
    "new",
    "finalize",
    "upload_to_testflight",
];

/// Subcommand words that change state at the vendor for one CLI only:
/// Shopify's `theme publish` (the store's live theme), `theme share` and
/// `theme duplicate` (a new theme in the store's library).
const OWN_CHANGES: &[(&str, &[&str])] = &[("shopify", &["publish", "share", "duplicate"])];

/// Subcommands that are releases, which [`super::deploy`] reads, not
/// changes to the vendor's settings (`eas update --branch production`).
const RELEASES: &[(&str, &[&str])] = &[("eas", &["update", "build", "submit"])];

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

/// A subcommand that uploads local files to the vendor: those its options
/// name, and (when `operands`) its operands after the subcommand's words
/// (`firebase appdistribution:distribute app.apk --testers-file t.csv`
/// sends the build and the list of testers).
struct FileUpload {
    program: &'static str,
    /// The subcommand's words, as [`handle`] reads them.
    words: &'static [&'static str],
    /// Options that take a value (long ones without dashes; one letter
    /// for a short one).
    values: &'static [&'static str],
    /// Options whose value is a file sent.
    file_options: &'static [&'static str],
    /// The operands are files sent.
    operands: bool,
}

/// Options of Firebase App Distribution's `distribute` that take a value,
/// and the CLI's global ones.
const FIREBASE_DISTRIBUTE_VALUES: &[&str] = &[
    "app",
    "release-notes",
    "release-notes-file",
    "testers",
    "testers-file",
    "groups",
    "groups-file",
    "test-devices",
    "test-devices-file",
    "test-username",
    "test-password",
    "test-password-file",
    "test-username-resource",
    "test-password-resource",
    "test-case-ids",
    "test-case-ids-file",
    "project",
    "P",
    "token",
    "account",
    "config",
    "c",
];

const FILE_UPLOADS: &[FileUpload] = &[
    FileUpload {
        program: "firebase",
        words: &["appdistribution", "distribute"],
        values: FIREBASE_DISTRIBUTE_VALUES,
        file_options: &[
            "--release-notes-file",
            "--testers-file",
            "--groups-file",
            "--test-devices-file",
            "--test-password-file",
            "--test-case-ids-file",
        ],
        operands: true,
    },
    // `firebase appdistribution:testers:add [EMAILS...] --file F`.
    FileUpload {
        program: "firebase",
        words: &["appdistribution", "testers", "add"],
        values: &["file", "group-alias", "project", "P", "token", "account"],
        file_options: &["--file"],
        operands: false,
    },
    // `appcenter distribute release -f app.apk -g testers`.
    FileUpload {
        program: "appcenter",
        words: &["distribute", "release"],
        values: &[
            "f",
            "file",
            "g",
            "group",
            "s",
            "store",
            "a",
            "app",
            "r",
            "release-notes",
            "R",
            "release-notes-file",
            "b",
            "build-version",
            "n",
            "build-number",
            "token",
        ],
        file_options: &["-f", "--file", "-R", "--release-notes-file"],
        operands: false,
    },
];

/// The local files a [`FILE_UPLOADS`] subcommand sends, as written.
fn uploaded_files(inv: &Invocation<'_>, subcommand: &[Arg], words: &[String]) -> Vec<String> {
    let Some(upload) = FILE_UPLOADS.iter().find(|u| {
        u.program == inv.program && words.iter().map(String::as_str).eq(u.words.iter().copied())
    }) else {
        return Vec::new();
    };
    let items = args::parse_valued(subcommand, upload.values);
    let mut files: Vec<String> = args::values(&items, upload.file_options)
        .into_iter()
        .map(|file| file.text.clone())
        .collect();
    if upload.operands {
        // The operands after the subcommand's own words (`appdistribution:distribute`).
        let mut expected = upload.words.iter();
        files.extend(
            args::positionals(&items)
                .into_iter()
                .skip_while(|word| {
                    word.text.split(':').all(|part| {
                        expected
                            .next()
                            .is_some_and(|e| part.eq_ignore_ascii_case(e))
                    })
                })
                .map(|word| word.text.clone()),
        );
    }
    files
}

/// sentry-cli's global options that take a value, which may come before
/// its subcommand (`sentry-cli --auth-token T sourcemaps upload dist`).
const SENTRY_GLOBAL_VALUES: &[&str] = &[
    "--url",
    "--auth-token",
    "--api-key",
    "--log-level",
    "--header",
];

/// The Sentry server sentry-cli talks to: `--url URL` or `SENTRY_URL` (a
/// self-hosted Sentry), else sentry.io; and the arguments after its global
/// options.
fn sentry_server<'a>(inv: &Invocation<'a>) -> (Option<String>, &'a [Arg]) {
    let mut server = inv.env_value("SENTRY_URL").map(|v| v.text.clone());
    let mut at = 0;
    while let Some(word) = inv.args.get(at).map(|a| a.text.as_str()) {
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (word, None),
        };
        if !SENTRY_GLOBAL_VALUES.contains(&name) {
            break;
        }
        let value = inline
            .map(str::to_owned)
            .or_else(|| inv.args.get(at + 1).map(|v| v.text.clone()));
        if name == "--url" {
            server = value;
        }
        at += if inline.is_some() { 1 } else { 2 };
    }
    (server, inv.args.get(at..).unwrap_or_default())
}

/// A platform CLI's option or variable that names the tenant it acts at,
/// whose value is that tenant's host rather than the vendor's.
struct Tenant {
    program: &'static str,
    /// Options whose value names it (`--store`, `-s`); the last one wins.
    options: &'static [&'static str],
    /// Environment variables that name it when no option does.
    variables: &'static [&'static str],
    /// The base URL a value names, if it names one.
    base: fn(&str) -> Option<String>,
}

const TENANTS: &[Tenant] = &[
    // Shopify CLI: `--store|-s STORE` or `SHOPIFY_FLAG_STORE`, the store
    // its theme and app commands act on.
    Tenant {
        program: "shopify",
        options: &["--store", "-s"],
        variables: &["SHOPIFY_FLAG_STORE"],
        base: shopify_store,
    },
    // Auth0 CLI: `--tenant DOMAIN` (`example.us.auth0.com`, or a custom
    // domain), the tenant whose Management API it calls.
    Tenant {
        program: "auth0",
        options: &["--tenant"],
        variables: &[],
        base: named_host,
    },
    // Doppler CLI: `--api-host URL` or `DOPPLER_API_HOST` (a self-hosted
    // or proxied API).
    Tenant {
        program: "doppler",
        options: &["--api-host"],
        variables: &["DOPPLER_API_HOST"],
        base: named_host,
    },
    // Okta's CLIs read the org's URL from `OKTA_CLIENT_ORGURL`.
    Tenant {
        program: "okta",
        options: &[],
        variables: &["OKTA_CLIENT_ORGURL"],
        base: named_host,
    },
];

/// The base URL of the tenant the line names for `inv.program`: an
/// option's value, else an environment variable's.
fn tenant_base(inv: &Invocation<'_>) -> Option<String> {
    let tenant = TENANTS.iter().find(|t| t.program == inv.program)?;
    let value = option_value(inv.args, tenant.options).or_else(|| {
        tenant
            .variables
            .iter()
            .find_map(|name| inv.env_value(name))
            .map(|v| v.text.as_str())
    })?;
    (tenant.base)(value)
}

/// The last value given to one of the options `names`, before `--`:
/// `--name VALUE`, `--name=VALUE`, and for a one-letter name `-n VALUE`,
/// `-nVALUE` and `-n=VALUE`.
fn option_value<'a>(args: &'a [Arg], names: &[&str]) -> Option<&'a str> {
    let mut found = None;
    for (at, arg) in args.iter().enumerate() {
        let text = arg.text.as_str();
        if text == "--" {
            break;
        }
        for name in names {
            let Some(rest) = text.strip_prefix(name) else {
                continue;
            };
            if rest.is_empty() {
                found = args.get(at + 1).map(|v| v.text.as_str());
            } else if let Some(value) = rest.strip_prefix('=') {
                found = Some(value);
            } else if !name.starts_with("--") {
                found = Some(rest);
            }
        }
    }
    found
}

/// The store a Shopify CLI value names, normalised as the CLI does: a
/// handle or a domain, with or without `https://` and an `/admin` path,
/// under `.myshopify.com` unless it is a Shopify domain already
/// (`quillmoor` and `quillmoor.com` are `quillmoor.myshopify.com` and
/// `quillmoor.com.myshopify.com`). A value the CLI refuses names none.
fn shopify_store(value: &str) -> Option<String> {
    let bare = without_scheme(value.trim());
    let fqdn = ["/admin/", "/admin", "/"]
        .iter()
        .find_map(|path| bare.strip_suffix(path))
        .unwrap_or(bare)
        .to_ascii_lowercase();
    if fqdn.is_empty() || fqdn.len() > 253 || !fqdn.split('.').all(is_host_label) {
        return None;
    }
    let shopify = [".myshopify.com", ".myshopify.io", ".shop.dev"]
        .iter()
        .any(|suffix| fqdn.ends_with(suffix));
    Some(if shopify {
        format!("https://{fqdn}")
    } else {
        format!("https://{fqdn}.myshopify.com")
    })
}

/// The base URL a host or URL value names (`example.us.auth0.com`,
/// `https://doppler.internal:8443/`): its scheme (`https` when it has
/// none) and host; a value that is not a dotted host names none.
fn named_host(value: &str) -> Option<String> {
    let value = value.trim();
    let scheme = if value
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
    {
        "http"
    } else {
        "https"
    };
    let rest = without_scheme(value);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            (host, Some(port))
        }
        Some(_) => return None,
        None => (authority, None),
    };
    let host = host.to_ascii_lowercase();
    if !host.contains('.') || !host.split('.').all(is_host_label) {
        return None;
    }
    Some(match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

/// `value` without a leading `http://` or `https://` (in any case).
fn without_scheme(value: &str) -> &str {
    ["https://", "http://"]
        .iter()
        .find_map(|scheme| {
            value
                .get(..scheme.len())
                .filter(|p| p.eq_ignore_ascii_case(scheme))
                .and_then(|_| value.get(scheme.len()..))
        })
        .unwrap_or(value)
}

/// One label of a DNS name: letters, digits and inner hyphens, at most 63.
fn is_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A Shopify `execute` command that runs a GraphQL mutation on the store
/// (`shopify app execute --query 'mutation ...'`, `shopify store execute
/// --allow-mutations ...`): a change there, where a query only reads.
fn shopify_mutation(inv: &Invocation<'_>, words: &[String]) -> bool {
    inv.program == "shopify"
        && words.iter().any(|w| w == "execute")
        && (inv.args.iter().any(|a| a.text == "--allow-mutations")
            || option_value(inv.args, &["--query", "-q"])
                .is_some_and(|q| q.trim_start().starts_with("mutation")))
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let host = api_host(inv.program)?;
    if inv.program == "stripe" {
        let args = StripeArgs::parse(inv.args);
        if let Some(call) = StripeCall::read(&args) {
            return stripe_call(inv, host, &args, &call);
        }
    }
    let (server, subcommand) = if inv.program == "sentry-cli" {
        sentry_server(inv)
    } else {
        (None, baas::after_globals(inv.program, inv.args))
    };
    // Stripe's options go anywhere (`stripe --live refunds create`).
    let stripe = (inv.program == "stripe").then(|| StripeArgs::parse(inv.args));
    // The subcommand: the leading words before the first option, split on
    // `:` (`config:set`, `api:core:messages:create`) and spaces (`secrets
    // set`, `refunds create`).
    let leading = match &stripe {
        Some(stripe) => stripe.positionals.clone(),
        None => args::leading(subcommand),
    };
    let words: Vec<String> = leading
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
    if let Some(send) = MESSAGE_SENDS.iter().find(|send| {
        send.program == inv.program
            && words
                .iter()
                .map(String::as_str)
                .eq(send.words.iter().copied())
    }) {
        return Some(message_send(inv, send));
    }
    if baas::stays_local(inv, &words) {
        return Some(Outcome::default());
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let releases = RELEASES
        .iter()
        .any(|(program, subcommands)| *program == inv.program && has(subcommands));
    if releases {
        return None;
    }
    // `railway variables --set K=V`: the option is the change.
    let sets = inv
        .args
        .iter()
        .any(|a| a.text == "--set" || a.text.starts_with("--set="));
    // An env file uploaded into the app's settings (`netlify env:import .env`).
    let uploads = super::deploy::settings_files(inv, &words);
    let own_changes = OWN_CHANGES
        .iter()
        .any(|(program, verbs)| *program == inv.program && has(verbs));
    let changes = has(CHANGES) || own_changes || shopify_mutation(inv, &words);
    if !(changes || sets || uploads.is_some()) || has(READS) {
        return None;
    }
    let method = if has(DELETES) { "DELETE" } else { "POST" };
    let mut payload = Payload::default();
    for arg in inv.args {
        flow::merge(&mut payload, &arg.payload());
    }
    for file in uploads.unwrap_or_default() {
        super::send_file(inv, &mut payload, &file, false);
    }
    for file in uploaded_files(inv, subcommand, &words) {
        super::send_file(inv, &mut payload, &file, false);
    }
    let path = match stripe {
        Some(stripe) => {
            for param in &stripe.params {
                flow::push_text(&mut payload, param);
            }
            StripeArgs::api_path(&words)
        }
        None => {
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
            String::new()
        }
    };
    // Uploads send the files they name (`sentry-cli sourcemaps upload dist`).
    if inv.program == "sentry-cli" && words.iter().any(|w| w.starts_with("upload")) {
        let items = args::parse(
            subcommand,
            &args::Spec {
                short: "oprudxiIt",
                long: &[
                    "org",
                    "project",
                    "release",
                    "url-prefix",
                    "url-suffix",
                    "dist",
                    "ext",
                    "ignore",
                    "ignore-file",
                    "type",
                    "id",
                    "bundle-id",
                ],
                stop_after: None,
            },
        );
        let positionals = args::positionals(&items);
        let after_verb = positionals
            .iter()
            .position(|w| w.text.starts_with("upload"))
            .map_or(positionals.len(), |at| at + 1);
        for path in positionals.into_iter().skip(after_verb) {
            super::send_file(inv, &mut payload, &path.text, true);
        }
    }
    // A tenant the line names (`--store`, `--tenant`) is where it acts.
    let base = match server.or_else(|| tenant_base(inv)) {
        Some(server) => server.trim_end_matches('/').to_owned(),
        None => format!("https://{host}"),
    };
    let mut outcome = Outcome::default().effect(request(
        inv.program,
        url(&format!("{base}/{path}")),
        method,
        payload,
        false,
    ));
    // `firebase functions:delete F -P prod`, `supabase secrets set
    // --project-ref REF`: a change in that project.
    if let Some(project) = baas::project(inv.program, inv.args) {
        outcome.effects.extend(super::deploy::environment_changes(
            inv.program,
            &project,
            None,
        ));
    }
    Some(outcome)
}

/// A platform CLI's subcommand that sends a message (an SMS, MMS or
/// WhatsApp message, a conversation's message) to people: a message to
/// them, as a messaging tool's or the same request's through the HTTP
/// analysis is, not a write to the vendor.
struct MessageSend {
    program: &'static str,
    /// The subcommand's words, as [`handle`] reads them.
    words: &'static [&'static str],
    /// Options naming recipients (`--to +14155550142`, `--to
    /// whatsapp:+49...`).
    to: &'static [&'static str],
    /// Options that are not the message: its sender, the CLI's own.
    not_content: &'static [&'static str],
    /// Who it goes to when no option names them (the participants of a
    /// conversation): the service, someone outside nobody can check.
    unnamed: &'static str,
}

/// Twilio CLI options that name the sender or the resource, or are the
/// CLI's own: not what the message says.
const TWILIO_OWN: &[&str] = &[
    "--from",
    "--author",
    "--messaging-service-sid",
    "--account-sid",
    "--conversation-sid",
    "--path-conversation-sid",
    "--profile",
    "-p",
    "--output",
    "-o",
    "--properties",
    "--cli-log-level",
    "-l",
];

const MESSAGE_SENDS: &[MessageSend] = &[
    MessageSend {
        program: "twilio",
        words: &["api", "core", "messages", "create"],
        to: &["--to"],
        not_content: TWILIO_OWN,
        unnamed: "https://api.twilio.com",
    },
    MessageSend {
        program: "twilio",
        words: &[
            "api",
            "conversations",
            "conversations",
            "messages",
            "create",
        ],
        to: &[],
        not_content: TWILIO_OWN,
        unnamed: "https://conversations.twilio.com",
    },
];

/// The message a [`MessageSend`] subcommand sends: to the recipients its
/// options name, carrying every other option's value (`--body`,
/// `--media-url`); who it is addressed to and from is not what it says.
fn message_send(inv: &Invocation<'_>, send: &MessageSend) -> Outcome {
    let mut recipients = Vec::new();
    let mut payload = Payload::default();
    let mut words = inv.args.iter().peekable();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if !text.starts_with('-') {
            continue;
        }
        let (name, value) = match text.split_once('=') {
            Some((name, value)) if text.starts_with("--") => (name, Some(word.with_text(value))),
            _ => match words.peek() {
                Some(next) if !next.text.starts_with('-') => (text, words.next().cloned()),
                _ => (text, None),
            },
        };
        let Some(value) = value else { continue };
        if send.to.contains(&name) {
            recipients.extend(
                value
                    .text
                    .split(',')
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned),
            );
        } else if send.not_content.contains(&name) {
            flow::merge(&mut payload, &value.expansions());
        } else {
            flow::merge(&mut payload, &value.payload());
        }
    }
    if recipients.is_empty() {
        recipients.push(send.unnamed.to_owned());
    }
    Outcome::default().effect(Effect::Message(Message {
        program: inv.program.to_owned(),
        recipients,
        payload,
    }))
}

/// Stripe CLI options that take no value; any other long option takes
/// one (`--amount 450`, `--amount=450`): a request parameter, or one of
/// the CLI's own (`--stripe-account`, `--api-key`).
const STRIPE_SWITCHES: &[&str] = &[
    "--live",
    "--confirm",
    "--dark-style",
    "--show-headers",
    "--help",
    "-c",
    "-s",
    "-h",
];

/// Stripe CLI short options that take a value: `-d` request data
/// (`key=value`), `-e` expand, `-i` idempotency key, `-v` API version,
/// `-p` project.
const STRIPE_SHORT_VALUES: &str = "deivp";

/// A stripe command line read as the request the CLI makes.
struct StripeArgs<'a> {
    /// The words that are not options or their values: the command
    /// (`refunds create`, `post /v1/payouts`) and the ids it names.
    positionals: Vec<&'a str>,
    /// Request parameters as the API receives them: `--amount=450`,
    /// `--amount 450`, `-d amount=450`, `-damount=450`, `--data
    /// amount=450` and `--data=amount=450` are all `amount=450`.
    params: Vec<String>,
}

impl<'a> StripeArgs<'a> {
    fn parse(args: &'a [Arg]) -> Self {
        let mut out = StripeArgs {
            positionals: Vec::new(),
            params: Vec::new(),
        };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let text = arg.text.as_str();
            if text == "--" {
                out.positionals
                    .extend(rest.by_ref().map(|a| a.text.as_str()));
                break;
            }
            if STRIPE_SWITCHES.contains(&text) {
                continue;
            }
            let (name, attached) = if let Some(long) = text.strip_prefix("--") {
                match long.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (long, None),
                }
            } else if let Some(letter) = text.strip_prefix('-')
                && let Some(first) = letter.chars().next()
                && STRIPE_SHORT_VALUES.contains(first)
            {
                let (name, value) = letter.split_at(first.len_utf8());
                (name, Some(value).filter(|v| !v.is_empty()))
            } else if text.starts_with('-') && text.len() > 1 {
                continue;
            } else {
                out.positionals.push(text);
                continue;
            };
            let value = match attached {
                Some(value) => value,
                // A short option's value may look like an option; a long
                // one followed by an option is a switch.
                None => match rest.clone().next() {
                    Some(next) if !next.text.starts_with('-') || name.len() == 1 => {
                        rest.next();
                        next.text.as_str()
                    }
                    _ => continue,
                },
            };
            match name {
                "d" | "data" => out.params.push(value.to_owned()),
                "e" | "i" | "v" | "p" => {}
                _ => out
                    .params
                    .push(format!("{}={value}", name.replace('-', "_"))),
            }
        }
        out
    }

    /// The API path one of the CLI's own commands that changes state
    /// (`stripe trigger EVENT`, `stripe fixtures FILE`) is taken to call:
    /// its subcommand `words` before the last (the resource commands' and
    /// raw paths' calls are [`StripeCall`]'s).
    fn api_path(words: &[String]) -> String {
        if words.is_empty() {
            return String::new();
        }
        let resource: Vec<&str> = words
            .iter()
            .take(words.len().saturating_sub(1).max(1))
            .map(String::as_str)
            .collect();
        format!("v1/{}", resource.join("/"))
    }
}

/// The stripe CLI's own commands (`stripe listen`, `stripe trigger
/// EVENT`, `stripe samples create`, `stripe apps upload`): not calls of a
/// resource of the API, read by the words they say as other platform
/// CLIs' subcommands are.
const STRIPE_OWN_COMMANDS: &[&str] = &[
    "apps",
    "community",
    "completion",
    "config",
    "daemon",
    "feedback",
    "fixtures",
    "help",
    "listen",
    "login",
    "logout",
    "logs",
    "open",
    "plugin",
    "resources",
    "samples",
    "serve",
    "status",
    "trigger",
    "version",
];

/// Operations of a Stripe resource that only read it (`stripe payouts
/// retrieve po_1`, `stripe charges search`, `stripe customers
/// list_payment_methods cus_1`, `stripe invoices upcoming_lines`).
fn is_stripe_read(verb: &str) -> bool {
    ["list", "retrieve", "search", "upcoming"]
        .iter()
        .any(|read| verb == *read || verb.strip_prefix(read).is_some_and(|r| r.starts_with('_')))
}

/// A Stripe operation that moves money: the resource and the verbs that
/// do it, the parameters holding the amount (in the currency's minor unit,
/// the first present) and those naming who is paid (a refund repays the
/// charge or payment it names; a transfer or payout goes to its
/// `destination`). Updating, cancelling or reading these resources moves
/// nothing.
struct MoneyMovement {
    resource: &'static str,
    verbs: &'static [&'static str],
    amount: &'static [&'static str],
    payees: &'static [&'static str],
}

/// Stripe's money movements, from its API reference.
const MONEY_MOVEMENTS: &[MoneyMovement] = &[
    MoneyMovement {
        resource: "refunds",
        verbs: &["create"],
        amount: &["amount"],
        payees: &["charge", "payment_intent"],
    },
    MoneyMovement {
        resource: "payouts",
        verbs: &["create"],
        amount: &["amount"],
        payees: &["destination"],
    },
    MoneyMovement {
        resource: "transfers",
        verbs: &["create"],
        amount: &["amount"],
        payees: &["destination"],
    },
    MoneyMovement {
        resource: "charges",
        verbs: &["create", "capture"],
        amount: &["amount"],
        payees: &["destination", "transfer_data[destination]"],
    },
    MoneyMovement {
        resource: "payment_intents",
        verbs: &["create", "confirm", "capture"],
        amount: &["amount_to_capture", "amount"],
        payees: &["transfer_data[destination]"],
    },
    MoneyMovement {
        resource: "invoices",
        verbs: &["pay"],
        amount: &[],
        payees: &[],
    },
    MoneyMovement {
        resource: "topups",
        verbs: &["create"],
        amount: &["amount"],
        payees: &[],
    },
    MoneyMovement {
        resource: "outbound_payments",
        verbs: &["create"],
        amount: &["amount"],
        payees: &["destination_payment_method"],
    },
    MoneyMovement {
        resource: "outbound_transfers",
        verbs: &["create"],
        amount: &["amount"],
        payees: &["destination_payment_method"],
    },
];

/// Currencies Stripe counts in whole units (its zero-decimal currencies)
/// and in thousandths; every other currency's minor unit is a hundredth.
const ZERO_DECIMAL: &[&str] = &[
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
];
const THREE_DECIMAL: &[&str] = &["bhd", "jod", "kwd", "omr", "tnd"];

/// The call of Stripe's API a stripe command makes: `stripe
/// get|post|delete PATH`, or a resource command `stripe RESOURCE...
/// VERB [ID...]` (`stripe refunds create`, `stripe payouts retrieve
/// po_1`, `stripe treasury outbound_payments create`), whose verb says
/// what it does.
struct StripeCall<'a> {
    /// The resource's path (`refunds`, `treasury`, `outbound_payments`).
    resource: Vec<&'a str>,
    /// What is done to it: the resource command's verb, or for a path
    /// the operation its method and shape are (`POST /v1/refunds` creates,
    /// `POST /v1/payouts/po_1/cancel` cancels).
    verb: &'a str,
    method: &'static str,
    /// The path after the host (`v1/payouts/po_1/cancel`).
    path: String,
}

impl<'a> StripeCall<'a> {
    /// The call `args` make; `None` for the CLI's own commands and for a
    /// resource named without a verb (which prints its help).
    fn read(args: &StripeArgs<'a>) -> Option<StripeCall<'a>> {
        let names = |word: &&str| {
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        };
        let command: Vec<&'a str> = args.positionals.iter().copied().take_while(names).collect();
        let first = *command.first()?;
        if let Some(method) = match first {
            "get" => Some("GET"),
            "post" => Some("POST"),
            "delete" => Some("DELETE"),
            _ => None,
        } {
            return Some(StripeCall::of_path(method, args.positionals.get(1)?));
        }
        if STRIPE_OWN_COMMANDS.contains(&first) || command.len() < 2 {
            return None;
        }
        let (verb, resource) = command.split_last()?;
        let verb = *verb;
        let id = args.positionals.get(command.len()).copied();
        let method = if is_stripe_read(verb) {
            "GET"
        } else if verb == "delete" {
            "DELETE"
        } else {
            "POST"
        };
        let mut path = format!("v1/{}", resource.join("/"));
        if !matches!(verb, "create" | "list") {
            if let Some(id) = id {
                path = format!("{path}/{id}");
            }
            if !matches!(verb, "retrieve" | "update" | "delete") {
                path = format!("{path}/{verb}");
            }
        }
        Some(StripeCall {
            resource: resource.to_vec(),
            verb,
            method,
            path,
        })
    }

    /// `stripe get|post|delete PATH` (`/v1/payouts`, or `payouts`: the CLI
    /// adds `/v1/`): the resource is the path's leading names, the verb
    /// what the method does to the collection (`create`), to one object
    /// (`update`), or the name after the object (`cancel`).
    fn of_path(method: &'static str, path: &'a str) -> StripeCall<'a> {
        let path = path.trim_start_matches('/');
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let rest = path
            .strip_prefix("v1/")
            .or_else(|| path.strip_prefix("v2/"))
            .unwrap_or(path);
        let segments: Vec<&'a str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let names = segments
            .iter()
            .take_while(|s| s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .count();
        let (resource, after) = segments.split_at(names);
        let verb = match (method, after) {
            ("GET", []) => "list",
            ("GET", _) => "retrieve",
            ("DELETE", _) => "delete",
            (_, []) => "create",
            (_, [_]) => "update",
            (_, [_, verb, ..]) => verb,
        };
        let path = if path.starts_with("v1/") || path.starts_with("v2/") {
            path.to_owned()
        } else {
            format!("v1/{path}")
        };
        StripeCall {
            resource: resource.to_vec(),
            verb,
            method,
            path,
        }
    }

    /// The payment the call makes, when it moves money ([`MONEY_MOVEMENTS`]),
    /// with its request parameters `params` (`key=value`).
    fn payment(&self, params: &[String]) -> Option<Payment> {
        let resource = *self.resource.last()?;
        let movement = MONEY_MOVEMENTS
            .iter()
            .find(|m| m.resource == resource && m.verbs.contains(&self.verb))?;
        let param = |key: &str| {
            params.iter().rev().find_map(|p| {
                let (k, v) = p.split_once('=')?;
                (k == key).then(|| v.trim())
            })
        };
        let currency = param("currency")
            .filter(|c| !c.is_empty())
            .unwrap_or("usd")
            .to_ascii_lowercase();
        let amount = movement
            .amount
            .iter()
            .find_map(|key| param(key))
            .and_then(|minor| major_units(minor, &currency))
            .map(|value| Amount {
                currency: currency.to_ascii_uppercase(),
                values: vec![value],
            });
        let payees = movement
            .payees
            .iter()
            .filter_map(|key| param(key))
            .filter(|payee| !payee.is_empty())
            .map(str::to_owned)
            .collect();
        Some(Payment {
            program: "stripe".to_owned(),
            payees,
            amount,
            rpc: None,
        })
    }
}

/// An amount Stripe reads in `currency`'s minor unit (`7500` cents) in
/// its major unit (`7500e-2`); `None` when it is not a whole number.
fn major_units(minor: &str, currency: &str) -> Option<String> {
    if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if ZERO_DECIMAL.contains(&currency) {
        minor.to_owned()
    } else if THREE_DECIMAL.contains(&currency) {
        format!("{minor}e-3")
    } else {
        format!("{minor}e-2")
    })
}

/// What a stripe command's call of the API does: a read changes nothing
/// (`None`, as other platform CLIs' reads); any other operation is a
/// request to Stripe carrying the command's arguments and parameters, and
/// one that moves money also the payment ([`StripeCall::payment`]), to
/// whom its parameters name, so that who named them is judged as a
/// payment tool's recipient is.
fn stripe_call(
    inv: &Invocation<'_>,
    host: &str,
    args: &StripeArgs<'_>,
    call: &StripeCall<'_>,
) -> Option<Outcome> {
    if call.method == "GET" {
        return None;
    }
    let mut payload = Payload::default();
    for arg in inv.args {
        flow::merge(&mut payload, &arg.payload());
    }
    for param in &args.params {
        flow::push_text(&mut payload, param);
    }
    let mut outcome = Outcome::default().effect(request(
        inv.program,
        url(&format!("https://{host}/{}", call.path)),
        call.method,
        payload,
        false,
    ));
    if let Some(payment) = call.payment(&args.params) {
        outcome.effects.push(Effect::Payment(payment));
    }
    Some(outcome)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]

    use crate::{Effect, ShellContext, Target, analyze};

    /// The one request `command` makes (beside the payment it may be):
    /// its URL, method and payload texts.
    fn stripe(command: &str) -> (String, String, Vec<String>) {
        let ctx = ShellContext {
            cwd: "/w",
            home: "/h",
            workspace: None,
            written: &[],
        };
        let analysis = analyze(command, &ctx).unwrap_or_else(|e| panic!("{command}: {e}"));
        match analysis.effects.as_slice() {
            [Effect::Request(request), rest @ ..]
                if rest.iter().all(|e| matches!(e, Effect::Payment(_))) =>
            {
                match &request.target {
                    Target::Url { url } => (
                        url.clone(),
                        request.method.clone(),
                        request.payload.text.clone(),
                    ),
                    other => panic!("{command}: {other:?}"),
                }
            }
            other => panic!("{command}: {other:?}"),
        }
    }

    #[test]
    fn stripe_parameters_read_alike_in_every_form() {
        for command in [
            "stripe refunds create --charge=ch_1 --amount=450",
            "stripe refunds create --charge ch_1 --amount 450",
            "stripe refunds create --live --charge ch_1 --amount=450 --confirm",
            "stripe --live --api-key \"$KEY\" refunds create --charge ch_1 --amount=450",
            "stripe refunds create -d charge=ch_1 -d amount=450",
            "stripe refunds create --data charge=ch_1 --data=amount=450",
            "stripe refunds create -dcharge=ch_1 -damount=450",
        ] {
            let (url, method, texts) = stripe(command);
            assert_eq!(url, "https://api.stripe.com/v1/refunds", "{command}");
            assert_eq!(method, "POST", "{command}");
            for pair in ["charge=ch_1", "amount=450"] {
                assert!(texts.iter().any(|t| t == pair), "{command}: {texts:?}");
            }
            // `--live` and `--confirm` take no value.
            assert!(
                !texts.iter().any(|t| t.starts_with("live=")),
                "{command}: {texts:?}"
            );
        }
        let (_, _, texts) = stripe("stripe payouts create --amount=20000 --currency=gbp");
        assert!(texts.iter().any(|t| t == "currency=gbp"), "{texts:?}");
    }

    #[test]
    fn stripe_calls_the_path_it_names() {
        for (command, url, method) in [
            (
                "stripe post /v1/payouts -d amount=20000 -d currency=usd",
                "https://api.stripe.com/v1/payouts",
                "POST",
            ),
            (
                "stripe --live post payouts -d amount=20000",
                "https://api.stripe.com/v1/payouts",
                "POST",
            ),
            (
                "stripe delete /v1/customers/cus_1",
                "https://api.stripe.com/v1/customers/cus_1",
                "DELETE",
            ),
            (
                "stripe treasury outbound_payments create --amount 100",
                "https://api.stripe.com/v1/treasury/outbound_payments",
                "POST",
            ),
            (
                "stripe payment_intents capture pi_3Q1 --amount_to_capture 100",
                "https://api.stripe.com/v1/payment_intents/pi_3Q1/capture",
                "POST",
            ),
        ] {
            let (actual_url, actual_method, _) = stripe(command);
            assert_eq!(
                (actual_url.as_str(), actual_method.as_str()),
                (url, method),
                "{command}"
            );
        }
        let (_, _, texts) = stripe("stripe post /v1/payouts -d amount=20000");
        assert!(texts.iter().any(|t| t == "amount=20000"), "{texts:?}");
    }
}
