//! Office suites' file-sharing commands that the mail module does not
//! read: gogcli's (`gog`) Drive, Sheets and Docs commands, clients of
//! Google's APIs (`www.googleapis.com`, `sheets.googleapis.com`,
//! `docs.googleapis.com`). gog's Gmail and Calendar commands are
//! `mail/google.rs`'s.
//!
//! They report what the storage CLIs do (`gdrive files upload`, `aws s3
//! cp`): an upload is an `UPLOAD` request carrying the local file, a
//! download a `DOWNLOAD` and a write of `--out`, a sheet's new values a
//! request carrying them, a share with anyone an [`Effect::MakePublic`],
//! with a person or domain an [`Effect::GrantAccess`]. The account
//! (`--account`, `GOG_ACCOUNT`) is whose Drive it is, not a recipient.

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Payload, Resource, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "gog" => gog(inv),
        _ => None,
    }
}

/// Where Drive uploads go, and its files.
const DRIVE_UPLOADS: &str = "https://www.googleapis.com/upload/drive/v3/files";
const DRIVE_FILES: &str = "https://www.googleapis.com/drive/v3/files";
/// The Sheets and Docs APIs.
const SHEETS: &str = "https://sheets.googleapis.com/v4/spreadsheets";
const DOCS: &str = "https://docs.googleapis.com/v1/documents";

/// gog's options that take a value (global, Drive, Sheets and Docs).
const GOG_VALUES: &[&str] = &[
    "account",
    "client",
    "color",
    "parent",
    "name",
    "replace",
    "mime-type",
    "convert-to",
    "out",
    "format",
    "to",
    "email",
    "domain",
    "role",
    "permission-id",
    "values-json",
    "input",
    "insert",
    "copy-validation-from",
    "dimension",
    "render",
    "file",
    "sheets",
    "title",
    "max",
    "page",
    "query",
];

/// `gog [--account A] drive|sheets|docs ...`; `--dry-run` changes nothing.
/// Other commands (Gmail, Calendar, listings) are left to others.
fn gog(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "a",
            long: GOG_VALUES,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let handled = matches!(words.as_slice(), ["drive" | "sheets" | "docs", ..]);
    if !handled {
        return None;
    }
    if args::has(&items, &["--dry-run", "-n"]) {
        return Some(Outcome::default());
    }
    let operands = positional.get(2..).unwrap_or_default();
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.as_str());
    let mut outcome = Outcome::default();
    match (words.first().copied(), words.get(1).copied()) {
        (Some("drive"), Some(verb)) => drive(inv, &mut outcome, verb, operands, &value),
        (Some("sheets"), Some(verb)) => sheets(inv, &mut outcome, verb, operands, &items),
        (Some("docs"), Some(verb)) => docs(inv, &mut outcome, verb, operands, &value),
        _ => {}
    }
    Some(outcome)
}

/// `drive upload PATH [--parent ID] [--name N] [--replace ID]`, `drive
/// download ID [--out P]`, `drive share ID --to anyone|user|domain
/// [--email E] [--domain D] --role R`, `drive unshare ID`, `drive delete
/// ID`; `mkdir|rename|move|copy` change the Drive and send the names.
fn drive<'a>(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    verb: &str,
    operands: &[&Arg],
    value: &dyn Fn(&[&str]) -> Option<&'a str>,
) {
    let first = operands.first();
    let id = first.map_or("", |a| a.text.as_str());
    match verb {
        "upload" => {
            if let Some(source) = first {
                outcome.effects.push(request(
                    inv.program,
                    url(DRIVE_UPLOADS),
                    "UPLOAD",
                    local(inv, source),
                    false,
                ));
            }
        }
        "download" => download(
            inv,
            outcome,
            &format!("{DRIVE_FILES}/{id}"),
            value(&["--out"]),
        ),
        "share" => outcome.effects.push(drive_share(
            id,
            value(&["--to"]),
            value(&["--email", "--domain"]),
        )),
        "unshare" => outcome.effects.push(Effect::GrantAccess {
            resource: named(id),
            grantee: None,
        }),
        "delete" | "rm" | "trash" => outcome.effects.push(Effect::RemoteDelete {
            target: url(&format!("{DRIVE_FILES}/{id}")),
            recursive: true,
        }),
        "mkdir" | "rename" | "move" | "mv" | "copy" | "cp" => {
            let mut payload = Payload::default();
            for operand in operands {
                flow::merge(&mut payload, &operand.payload());
            }
            outcome.effects.push(request(
                inv.program,
                url(DRIVE_FILES),
                "POST",
                payload,
                false,
            ));
        }
        _ => {}
    }
}

/// A Drive share: `--to anyone` is a link anyone may open; `--to
/// user|group|domain` grants the `--email` address or `--domain` named.
fn drive_share(id: &str, to: Option<&str>, grantee: Option<&str>) -> Effect {
    let resource = named(id);
    let to = to.map(str::to_ascii_lowercase);
    match (to.as_deref(), grantee) {
        (Some("anyone"), _) => Effect::MakePublic { resource },
        (_, Some(grantee)) => Effect::GrantAccess {
            resource,
            grantee: Some(grantee.to_owned()),
        },
        (to, None) => Effect::GrantAccess {
            resource,
            grantee: to.map(str::to_owned),
        },
    }
}

/// `sheets update|append ID RANGE [VALUES] [--values-json J]` writes the
/// values to the sheet (an `append`'s rows, an `update`'s cells); `clear`
/// empties a range; `create TITLE` makes a spreadsheet; `export ID --out
/// P` downloads it. `get` and `metadata` read.
fn sheets(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    verb: &str,
    operands: &[&Arg],
    items: &[args::Item<'_>],
) {
    let id = operands.first().map_or("", |a| a.text.as_str());
    let range = operands.get(1).map_or("", |a| a.text.as_str());
    let (method, url_text) = match verb {
        "update" => ("PUT", format!("{SHEETS}/{id}/values/{range}")),
        "append" => ("POST", format!("{SHEETS}/{id}/values/{range}:append")),
        "clear" => ("POST", format!("{SHEETS}/{id}/values/{range}:clear")),
        "create" => ("POST", SHEETS.to_owned()),
        "export" => {
            let out = args::value(items, &["--out"]).map(|a| a.text.as_str());
            download(inv, outcome, &format!("{SHEETS}/{id}"), out);
            return;
        }
        _ => return,
    };
    let mut payload = Payload::default();
    let sent = match verb {
        "create" => operands,
        "clear" => &[][..],
        _ => operands.get(2..).unwrap_or_default(),
    };
    for text in sent
        .iter()
        .copied()
        .chain(args::values(items, &["--values-json", "--title"]))
    {
        flow::merge(&mut payload, &text.payload());
    }
    outcome
        .effects
        .push(request(inv.program, url(&url_text), method, payload, false));
}

/// `docs create TITLE [--file F]` makes a document of the title and the
/// file; `docs export ID --out P` downloads one. `cat` and `info` read.
fn docs<'a>(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    verb: &str,
    operands: &[&Arg],
    value: &dyn Fn(&[&str]) -> Option<&'a str>,
) {
    match verb {
        "create" => {
            let mut payload = Payload::default();
            for title in operands {
                flow::merge(&mut payload, &title.payload());
            }
            if let Some(file) = value(&["--file"]) {
                send_file(inv, &mut payload, file, false);
            }
            outcome
                .effects
                .push(request(inv.program, url(DOCS), "POST", payload, false));
        }
        "export" => {
            let id = operands.first().map_or("", |a| a.text.as_str());
            download(inv, outcome, &format!("{DOCS}/{id}"), value(&["--out"]));
        }
        _ => {}
    }
}

/// A download from `from`, written to `out` when the line names it.
fn download(inv: &Invocation<'_>, outcome: &mut Outcome, from: &str, out: Option<&str>) {
    outcome.effects.push(request(
        inv.program,
        url(from),
        "DOWNLOAD",
        Payload::default(),
        false,
    ));
    if let Some(out) = out.filter(|o| *o != "-") {
        outcome.write(inv.path(out), false);
    }
}

/// What uploading the file `source` carries ([`super::sync::sent_source`]).
fn local(inv: &Invocation<'_>, source: &Arg) -> Payload {
    super::sync::sent_source(inv, source, false)
}

/// The thing a share names, as written.
fn named(name: &str) -> Resource {
    Resource::Other {
        name: name.to_owned(),
    }
}
