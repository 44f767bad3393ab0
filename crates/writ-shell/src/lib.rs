//! What a shell command line does, as far as the command line itself says.
//!
//! `analyze` parses a command with a real bash parser (`brush-parser`) and
//! walks every simple command it contains: pipelines, `&&`/`||`/`;` lists,
//! subshells, `$(...)` and backquote substitutions, `sh -c`/`bash -c`
//! nesting, wrappers (`sudo`, `env`, `nohup`, `timeout`, `xargs`, ...),
//! variable assignments and redirections. For each command it knows
//! (curl, wget, git, gh, scp, rsync, ssh, nc, aws, gsutil, kubectl, helm,
//! terraform, psql, mysql, rm, package managers, tar, zip, ...) it reads the
//! real flag syntax and reports [`Effect`]s.
//!
//! This crate knows nothing about any organisation: it says *what* is read,
//! written, sent and where, never whether that is allowed. It does no IO.

mod args;
mod commands;
mod effects;
mod flow;
mod paths;
mod walk;

pub use effects::*;

/// Where a command line runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellContext<'a> {
    /// Absolute working directory the command line starts in.
    pub cwd: &'a str,
    /// Absolute home directory: `~` and `$HOME` expand to it.
    pub home: &'a str,
}

/// Why a command line could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// The text is not valid bash.
    #[error("cannot parse shell command: {0}")]
    Syntax(String),
}

/// Lists what `command` does when run in `ctx`.
pub fn analyze(command: &str, ctx: &ShellContext<'_>) -> Result<Analysis, ShellError> {
    let options = brush_parser::ParserOptions::default();
    let program = walk::parse_program(command, &options)?;
    let home = paths::normalize(ctx.home);
    let mut analyzer = walk::Analyzer::new(&home);
    let mut scope = walk::Scope::new(ctx.cwd);
    analyzer.program(&program, &mut scope, None);
    Ok(analyzer.finish())
}
