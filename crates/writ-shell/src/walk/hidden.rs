//! Shell text that holds values the walk does not know.
//!
//! `printf`/`echo` print their known text around an argument whose value
//! is unknown: `$(printf 'curl -X POST %s -d host=%s' URL "$(hostname)")`
//! is `curl -X POST URL -d host=$(hostname)`, the unknown part kept as
//! written (as a word keeps `$TOKEN`), so `sh -c`/`eval` of it runs the
//! request to URL ([`partly_printed`]).
//!
//! A shell given text made of such a value (`sh -c "$X"`, `eval "$(cat
//! f)"`, `bash -c "$(hostname)"`) runs commands nobody can see: a command
//! there whose name is the unknown value is reported as shell text that
//! cannot be read ([`crate::Analysis::unparsed`]), not merely opaque. The
//! known parts of partly known text (`sh -c "cd $DIR && make"`) still run.

use brush_parser::ast;

use super::{Analyzer, is_plain_word, quoted_literal};
use crate::commands::Nested;

impl Analyzer<'_> {
    /// Runs `job`, a command's nested work, as shell text made of values
    /// the walk does not know when `splices` says the command had such a
    /// word and the job is shell text.
    pub(super) fn run_spliced(
        &mut self,
        job: Nested,
        splices: bool,
        scope: &mut super::Scope,
        stdin: Option<&crate::Payload>,
    ) -> crate::Payload {
        let spliced = splices && is_shell_text(&job);
        self.spliced += usize::from(spliced);
        let out = self.run_nested(job, scope, stdin);
        self.spliced -= usize::from(spliced);
        out
    }

    /// A command whose name is a value the walk does not know: in shell
    /// text spliced from unknown values that is hidden shell text, which
    /// the analysis reports as not parsed; elsewhere it is only opaque.
    pub(super) fn unknown_command_name(&mut self, name: &str) {
        if self.spliced > 0 && !prints_environment_setup(name) {
            self.unparsed(format!("shell text hidden in a value not known: {name}"));
        }
        self.opaque(format!("command name is an expansion: {name}"));
    }
}

/// Programs whose output is shell text that only sets up the shell's
/// environment (variables, functions, completions, a prompt), written to
/// be `eval`ed: `eval "$(ssh-agent -s)"`, `eval "$(brew shellenv)"`,
/// `eval "$(pyenv init -)"`.
const ENVIRONMENT_SETUP: &[&str] = &[
    "ssh-agent",
    "gpg-agent",
    "keychain",
    "direnv",
    "brew",
    "pyenv",
    "pyenv-virtualenv",
    "rbenv",
    "nodenv",
    "jenv",
    "goenv",
    "plenv",
    "phpenv",
    "conda",
    "mamba",
    "micromamba",
    "mise",
    "rtx",
    "asdf",
    "fnm",
    "starship",
    "zoxide",
    "opam",
    "dircolors",
    "luarocks",
    "thefuck",
    "atuin",
    "oh-my-posh",
    "rustup",
    "minikube",
    "docker-machine",
    "op",
    "devbox",
    "pixi",
    "poetry",
];

/// Subcommands whose output is environment setup, of programs whose other
/// output is not (`aws configure export-credentials --format env`).
const ENVIRONMENT_SETUP_SUBCOMMANDS: &[(&str, &str)] = &[
    ("aws", "export-credentials"),
    ("nix", "print-dev-env"),
    ("gcloud", "print-env"),
];

/// Whether `name`, an unknown command name, is the output of one of the
/// [`ENVIRONMENT_SETUP`] programs (`$(ssh-agent -s)`, `` `brew shellenv` ``).
fn prints_environment_setup(name: &str) -> bool {
    name.strip_prefix("$(")
        .and_then(|rest| rest.strip_suffix(')'))
        .or_else(|| {
            name.strip_prefix('`')
                .and_then(|rest| rest.strip_suffix('`'))
        })
        .is_some_and(is_environment_setup)
}

/// Whether the command line `command` runs one of the
/// [`ENVIRONMENT_SETUP`] programs (`ssh-agent -s`,
/// `/opt/homebrew/bin/brew shellenv`), whose output `eval` only uses to
/// set the shell's environment up.
pub(crate) fn is_environment_setup(command: &str) -> bool {
    let mut words = command.split_whitespace();
    let Some(program) = words
        .next()
        .map(|program| program.rsplit('/').next().unwrap_or(program))
    else {
        return false;
    };
    ENVIRONMENT_SETUP.contains(&program)
        || words.any(|word| ENVIRONMENT_SETUP_SUBCOMMANDS.contains(&(program, word)))
}

/// Shell text a shell runs (`sh -c`, `eval`, `source`, `watch`), as
/// opposed to a command given as words.
fn is_shell_text(job: &Nested) -> bool {
    matches!(
        job,
        Nested::Script { .. } | Nested::InPlace { .. } | Nested::ShellScript { .. }
    )
}

/// What a substitution that is one `printf` or `echo` printed when some
/// argument's value is unknown: `printed`, the handler's output with those
/// values as written (`host=$(hostname)`). `None` when the format itself
/// is not fixed by the line (`printf "$F" ...`), for `printf -v`, or for a
/// backslash `echo` printed (shells' `echo`s differ on it).
pub(super) fn partly_printed(list: &ast::CompoundList, printed: &str) -> Option<String> {
    let [ast::CompoundListItem(and_or, _)] = list.0.as_slice() else {
        return None;
    };
    let [ast::Command::Simple(simple)] = and_or.first.seq.as_slice() else {
        return None;
    };
    if !and_or.additional.is_empty() || simple.prefix.is_some() {
        return None;
    }
    let program = simple.word_or_name.as_ref()?.value.as_str();
    let words: Vec<&str> = simple
        .suffix
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|item| match item {
            ast::CommandPrefixOrSuffixItem::Word(w) => Some(w.value.as_str()),
            _ => None,
        })
        .collect();
    match program {
        "printf" => {
            let format = match words.as_slice() {
                ["--", format, ..] => *format,
                [format, ..] if !format.starts_with('-') => *format,
                _ => return None,
            };
            if !is_plain_word(format) && quoted_literal(format).is_none() {
                return None;
            }
        }
        "echo" if printed.contains('\\') => return None,
        "echo" => {}
        _ => return None,
    }
    Some(printed.trim_end_matches('\n').to_owned())
}
