//! The Supabase CLI's database commands against the linked project: the
//! remote project `supabase link` chose, which `--linked` names and
//! `db push`, `db dump`, `db pull`, `migration list|repair|fetch` use
//! unless told `--local` or `--db-url URL` (`db reset`, `db diff`, `db
//! lint`, `migration up|down` use the local stack unless told `--linked`).
//!
//! A command on the linked project is a request to the Supabase API
//! (a change, a destruction for `db reset`, or a read), and, when
//! `--project-ref REF` names the project, a change in that project (as
//! Supabase's other changes are, [`crate::commands::platforms`]) and a
//! command to its database, `db.REF.supabase.co`, classed as the
//! subcommand is: `db reset --linked` wipes it. A command given `--db-url`
//! is the migration runner's, to the database the URL names. `db dump -f
//! FILE` writes the dump into FILE wherever it comes from.

use super::{Connection, Runner, change, connection, data_command, verb_of};
use crate::args::{self, Arg, Spec};
use crate::commands::deploy::{baas, environment_changes};
use crate::commands::{Invocation, request, url};
use crate::{DataClass, Effect, Payload, flow};

/// The Supabase Management API, which the CLI calls for the linked project.
const API: &str = "https://api.supabase.com/";

/// Subcommands that use the linked project unless told `--local` or
/// `--db-url`; the others use the local stack unless told `--linked`.
const LINKED_BY_DEFAULT: &[&str] = &[
    "db push",
    "db dump",
    "db pull",
    "migration list",
    "migration repair",
    "migration fetch",
];

/// What a Supabase database command does to the linked project (nothing
/// when it acts on the local stack); `None` for another runner, for no
/// known subcommand, and for a command given the database's URL, which is
/// the runner's general case.
pub(super) fn linked(inv: &Invocation<'_>, runner: &Runner, words: &[Arg]) -> Option<Vec<Effect>> {
    if runner.names != ["supabase"] || connection(inv, words).is_some() {
        return None;
    }
    let (verb, listed) = verb_of(runner, words)?;
    if !uses_linked(verb, words) {
        return Some(Vec::new());
    }
    let class = match change(runner, words) {
        Some(class) => class,
        // A dry run of a change proposes it: nothing is changed.
        None if listed != DataClass::Read => return Some(Vec::new()),
        None => DataClass::Read,
    };
    let mut payload = Payload::default();
    for word in words {
        flow::merge(&mut payload, &word.payload());
    }
    let mut effects = vec![request(
        inv.program,
        url(API),
        method(class),
        payload,
        false,
    )];
    if let Some(project) = baas::project(inv.program, inv.args) {
        effects.push(data_command(
            inv.program,
            project_database(&project, words),
            class,
        ));
        if class != DataClass::Read {
            effects.extend(environment_changes(inv.program, &project, None));
        }
    }
    Some(effects)
}

/// True when the command acts on the linked project: told `--linked`, or
/// one that does by default and is not told `--local`.
fn uses_linked(verb: &str, words: &[Arg]) -> bool {
    let told = |flag: &str| {
        words.iter().any(|w| {
            w.text == flag
                || w.text
                    .strip_prefix(flag)
                    .is_some_and(|rest| rest == "=true")
        })
    };
    told("--linked") || (LINKED_BY_DEFAULT.contains(&verb) && !told("--local"))
}

/// The request method of a command of `class` at the vendor.
fn method(class: DataClass) -> &'static str {
    match class {
        DataClass::Read => "GET",
        DataClass::Destroy => "DELETE",
        DataClass::Write | DataClass::Unknown => "POST",
    }
}

/// The database of project REF, with the password `-p|--password` gives.
fn project_database(project: &str, words: &[Arg]) -> Connection {
    let items = args::parse(
        words,
        &Spec {
            short: "p",
            long: &["password"],
            stop_after: None,
        },
    );
    let mut login = Payload::default();
    if let Some(password) = args::value(&items, &["--password", "-p"]) {
        flow::merge(&mut login, &password.payload());
    }
    Connection {
        host: format!("db.{project}.supabase.co"),
        dsn: None,
        login,
    }
}

/// `supabase db dump -f|--file FILE`: the dump is written into FILE,
/// whichever database it comes from.
pub(super) fn dump_file(inv: &Invocation<'_>, runner: &Runner, words: &[Arg]) -> Option<Effect> {
    if runner.names != ["supabase"] || verb_of(runner, words)?.0 != "db dump" {
        return None;
    }
    let items = args::parse(
        words,
        &Spec {
            short: "fsxp",
            long: &["file", "schema", "exclude", "db-url", "password"],
            stop_after: None,
        },
    );
    let file = args::value(&items, &["--file", "-f"])?;
    Some(Effect::Write {
        path: inv.path(&file.text),
        append: false,
    })
}
