//! Backend-as-a-service CLIs, Firebase's and Supabase's: their global
//! options, which may come before the subcommand (`firebase --project P
//! deploy`, `supabase --workdir . functions deploy`), the project a
//! command acts on (`--project|-P`, `--project-ref`), and the commands
//! that reach only the local emulators or stack, nothing at the vendor:
//! `supabase start|stop|status`, a command given `--local`, a Firebase
//! command whose service's emulator a `*_EMULATOR_HOST` variable names
//! on this machine, or a `demo-` project, which Firebase serves only
//! from its emulators.

use crate::args::{self, Arg, Spec};
use crate::commands::Invocation;

/// Options of `program` that take a value, its global ones and the common
/// ones of its subcommands, without dashes (one letter for a short one).
fn value_options(program: &str) -> Option<&'static [&'static str]> {
    Some(match program {
        "firebase" => &[
            "P",
            "project",
            "account",
            "token",
            "c",
            "config",
            "only",
            "except",
            "m",
            "message",
            "expires",
            "data-file",
            "instance",
            "database",
            "site",
            "import",
            "export-on-exit",
        ],
        "supabase" => &[
            "workdir",
            "network-id",
            "o",
            "output",
            "dns-resolver",
            "profile",
            "project-ref",
            "db-url",
            "env-file",
            "import-map",
            "p",
            "password",
            "s",
            "schema",
            "version",
            "f",
            "file",
            "level",
            "x",
            "exclude",
            "jobs",
        ],
        _ => return None,
    })
}

/// The [`Spec`] of `program`'s options that take a value.
fn spec(program: &str) -> Option<(String, Vec<&'static str>)> {
    let options = value_options(program)?;
    let short = options.iter().filter(|o| o.len() == 1).copied().collect();
    let long = options.iter().filter(|o| o.len() > 1).copied().collect();
    Some((short, long))
}

/// The arguments after the global options that precede a Firebase or
/// Supabase subcommand (`deploy --only hosting` of `firebase --project P
/// deploy --only hosting`); any other program's arguments as they are.
pub(in crate::commands) fn after_globals<'a>(program: &str, words: &'a [Arg]) -> &'a [Arg] {
    let Some(options) = value_options(program) else {
        return words;
    };
    let mut at = 0;
    while let Some(word) = words.get(at).map(|w| w.text.as_str()) {
        if word == "--" {
            return words.get(at + 1..).unwrap_or_default();
        }
        let Some(name) = word.strip_prefix("--").or_else(|| word.strip_prefix('-')) else {
            break;
        };
        let takes_value = !name.contains('=') && options.contains(&name);
        at += if takes_value { 2 } else { 1 };
    }
    words.get(at..).unwrap_or_default()
}

/// The project a Firebase or Supabase command names (`--project|-P`,
/// `--project-ref`; the last one wins), wherever it stands.
pub(in crate::commands) fn project(program: &str, words: &[Arg]) -> Option<String> {
    let (short, long) = spec(program)?;
    let items = args::parse(
        words,
        &Spec {
            short: &short,
            long: &long,
            stop_after: None,
        },
    );
    args::value(&items, &["--project", "-P", "--project-ref"])
        .map(|p| p.text.clone())
        .filter(|p| !p.is_empty())
}

/// Firebase's emulator variables, by the first word of the commands that
/// talk to that emulator when it is set (`firestore:delete` and
/// `FIRESTORE_EMULATOR_HOST`).
const FIREBASE_EMULATORS: &[(&str, &str)] = &[
    ("firestore", "FIRESTORE_EMULATOR_HOST"),
    ("database", "FIREBASE_DATABASE_EMULATOR_HOST"),
    ("auth", "FIREBASE_AUTH_EMULATOR_HOST"),
    ("storage", "FIREBASE_STORAGE_EMULATOR_HOST"),
    ("pubsub", "PUBSUB_EMULATOR_HOST"),
];

/// Supabase subcommands that act on the local development stack only.
const SUPABASE_LOCAL: &[&[&str]] = &[
    &["start"],
    &["stop"],
    &["status"],
    &["init"],
    &["db", "start"],
    &["functions", "serve"],
    &["functions", "new"],
    &["migration", "new"],
];

/// True when a Firebase or Supabase command reaches only what runs on this
/// machine (the emulators, the local stack): nothing at the vendor.
/// `words` are its subcommand's words, lower case, split on `:`.
pub(in crate::commands) fn stays_local(inv: &Invocation<'_>, words: &[String]) -> bool {
    match inv.program {
        "firebase" => {
            let emulated = words.first().is_some_and(|service| {
                FIREBASE_EMULATORS.iter().any(|(name, variable)| {
                    name == service
                        && inv
                            .env_value(variable)
                            .is_some_and(|host| is_loopback(&host.text))
                })
            });
            let demo = project(inv.program, inv.args).is_some_and(|p| p.starts_with("demo-"));
            emulated || demo || words.first().is_some_and(|w| w == "emulators")
        }
        "supabase" => {
            let local_command = SUPABASE_LOCAL.iter().any(|command| {
                words.len() >= command.len() && words.iter().zip(*command).all(|(w, c)| w == c)
            });
            local_command || inv.args.iter().any(|a| a.text == "--local")
        }
        _ => false,
    }
}

/// True when `host_port` (`127.0.0.1:8080`, `localhost:9099`,
/// `[::1]:8080`) names this machine.
fn is_loopback(host_port: &str) -> bool {
    let host = match host_port.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host_port.rsplit_once(':').map_or(host_port, |(h, _)| h),
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host == "0.0.0.0"
        || host.starts_with("127.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "127.0.0.1:8080",
            "localhost:9099",
            "[::1]:8080",
            "localhost",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "10.0.0.5:8080",
            "emulator.example.com:8080",
            "127example.com",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
