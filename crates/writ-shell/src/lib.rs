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
mod literal_line;
mod paths;
mod recent;
mod walk;

pub use commands::{
    PatchChange, PolicyReach, WORKFLOW_ENVIRONMENT_INPUTS, apply_patch_changes,
    changes_account_access, changes_login_keys, cypher_class, github_access_changes,
    gitlab_access_changes, grants_everyone, iam_grant, is_environment_parameter, is_public_acl,
    policy_reach, resolve_remote,
};
pub use effects::*;
pub use flow::decode_base64_text;
pub use literal_line::{LiteralCommand, literal_commands};

use serde::{Deserialize, Serialize};

/// True when `host` (a name or an address, IPv6 without brackets) is this
/// machine: `localhost` and names under it, `127.0.0.0/8`, `::1`, `0.0.0.0`.
pub fn is_loopback_host(host: &str) -> bool {
    let under_localhost = host
        .len()
        .checked_sub(".localhost".len())
        .and_then(|at| host.get(at..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(".localhost"));
    host.eq_ignore_ascii_case("localhost")
        || under_localhost
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
}

/// Where a command line runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellContext<'a> {
    /// Absolute working directory the command line starts in.
    pub cwd: &'a str,
    /// Absolute home directory: `~` and `$HOME` expand to it.
    pub home: &'a str,
    /// The deployment's workspace, the repository the agent works in,
    /// absolute: `git rev-parse --show-toplevel` run in it or below it
    /// prints it (`cd "$(git rev-parse --show-toplevel)/.."`). `None` when
    /// not known: that command's output is then unknown.
    pub workspace: Option<&'a str>,
    /// Files earlier steps of the session wrote, oldest first: a script
    /// one of them wrote runs as the code it holds (`python3 sync.py`),
    /// and an upload of one carries what it holds (an archive's sources).
    pub written: &'a [WrittenFile],
}

/// A file written by an earlier command, and what it holds: the text, files,
/// variables, credentials or repository contents that went into it, as a
/// payload that sends it would carry them. Text alone is the file's whole
/// text (a script a file tool wrote, a heredoc), which a shell or
/// interpreter given the file runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenFile {
    /// Absolute normalised path.
    pub path: String,
    /// What it holds; empty when that is not known (it was edited, filled
    /// from elsewhere or deleted), which hides what an earlier write put there.
    #[serde(default, skip_serializing_if = "Payload::is_empty")]
    pub holds: Payload,
    /// `holds` is a part of the file an earlier step showed (`jq
    /// '.scripts' package.json`, `just --show NAME`, `sed -n 'A,Bp' F`),
    /// not its whole text: only task runners look their target up in it,
    /// and nothing runs or sends it as the file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// How many written files a session remembers (the latest).
pub const WRITTEN_FILES: usize = 16;
/// The most text a remembered file holds, in bytes; the text of a larger
/// one is not kept (what else it holds is).
pub const WRITTEN_TEXT: usize = 16 * 1024;
/// The most files, variables or credentials a remembered file's payload lists.
const WRITTEN_ITEMS: usize = 64;

impl WrittenFile {
    /// `path` holding `holds`, bounded: text over [`WRITTEN_TEXT`] bytes is
    /// dropped, and each list keeps its first 64 items.
    pub fn new(path: String, mut holds: Payload) -> WrittenFile {
        if holds.text.iter().map(String::len).sum::<usize>() > WRITTEN_TEXT {
            holds.text.clear();
        }
        holds.files.truncate(WRITTEN_ITEMS);
        holds.env.truncate(WRITTEN_ITEMS);
        holds.credentials.truncate(WRITTEN_ITEMS);
        WrittenFile {
            path,
            holds,
            partial: false,
        }
    }

    /// `path` of which an earlier step showed the part `text` (see
    /// [`WrittenFile::partial`]), bounded as [`WrittenFile::new`] is.
    pub fn partial_view(path: String, text: String) -> WrittenFile {
        let holds = Payload {
            text: vec![text],
            ..Payload::default()
        };
        WrittenFile {
            partial: true,
            ..WrittenFile::new(path, holds)
        }
    }

    /// `path` with its contents unknown.
    pub fn unknown(path: String) -> WrittenFile {
        WrittenFile {
            path,
            holds: Payload::default(),
            partial: false,
        }
    }
}

/// Why a command line could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// The text is not valid bash.
    #[error("cannot parse shell command: {0}")]
    Syntax(String),
}

/// Lists what `command` does when run in `ctx`.
///
/// The results for the last 64 command lines (up to 8 KiB each) are
/// remembered by text and context: agents repeat commands.
pub fn analyze(command: &str, ctx: &ShellContext<'_>) -> Result<Analysis, ShellError> {
    recent::analysis(command, ctx, || analyze_now(command, ctx))
}

fn analyze_now(command: &str, ctx: &ShellContext<'_>) -> Result<Analysis, ShellError> {
    // A PowerShell script handed to a shell tool (`Invoke-RestMethod ...
    // -InFile src\app\secrets.json`): bash would drop its backslashes,
    // so it is read as the PowerShell it is. So is a line of Windows' own
    // programs (`robocopy C:\src \\nas\drop`), as cmd's or PowerShell's,
    // and, on a Windows machine, any line with a path bash would unescape
    // (`terraform -chdir=infra\staging plan`).
    let options = brush_parser::ParserOptions::default();
    let windows = paths::is_drive_form(ctx.cwd);
    let shell = windows_line(command).or_else(|| {
        if windows && starts_with_cmd_type(command) {
            return Some("cmd /c");
        }
        (windows && unquoted_path_backslash(command)).then_some(POWERSHELL)
    });
    let (program, nesting) = match shell {
        Some(shell) => walk::parse_line(&run_in(shell, command), &options)?,
        None => match walk::parse_line(command, &options) {
            Ok(parsed) => parsed,
            // A cmd line bash cannot parse (`msbuild & if errorlevel 1
            // (...)`), or on a Windows machine one that starts with cmd's
            // `if exist ...`, is read as cmd's.
            Err(error)
                if commands::has_cmd_statement(command)
                    || (windows && starts_with_cmd_if(command)) =>
            {
                walk::parse_line(&run_in("cmd /c", command), &options).map_err(|_| error)?
            }
            // PowerShell that bash cannot parse (`Invoke-RestMethod ...
            // -Body (@{a=1} | ConvertTo-Json)`) is read as PowerShell.
            Err(error)
                if starts_with_windows_word(command) || has_powershell_statement(command) =>
            {
                walk::parse_line(&run_in(POWERSHELL, command), &options).map_err(|_| error)?
            }
            // zsh or fish that bash cannot parse (`rm -- *.log(N)`,
            // `set -x A b; and make`) is read as that shell's.
            Err(error) => match commands::zsh_or_fish_line(command) {
                Some(shell) => {
                    walk::parse_line(&run_in(shell, command), &options).map_err(|_| error)?
                }
                None => return Err(error),
            },
        },
    };
    let home = paths::normalize(ctx.home);
    let workspace = ctx.workspace.map(paths::normalize);
    let mut analyzer = walk::Analyzer::new(&home, nesting).with_workspace(workspace.as_deref());
    analyzer.remember(ctx.written);
    let mut scope = walk::Scope::new(ctx.cwd);
    analyzer.program(&program, &mut scope, None);
    let mut analysis = analyzer.finish();
    analysis.kube_context = carry_kube_context(&mut analysis.effects);
    analysis.clones = carry_clone_source(&mut analysis.effects);
    (analysis.remotes, analysis.url_settings) = carry_remotes(&mut analysis.effects);
    analysis.branches = carry_branches(&mut analysis.effects);
    analysis.listings = effects::take_listings(&mut analysis.effects);
    Ok(analysis)
}

/// The Windows shell a command line handed to a shell tool is written for,
/// as the command that runs it: a line that starts a PowerShell statement
/// (a cmdlet, `$x = ...`) and uses PowerShell's own syntax (`@{a=1; b=2}`,
/// `@(...)`, `$env:X`) is PowerShell's, since bash would split the
/// hashtable at its `;` and read `$env:X` as `$env`; a line with a
/// backslash that starts with a PowerShell cmdlet is PowerShell's; one that
/// starts with one of Windows' own programs and has a backslash outside
/// single quotes is PowerShell's when it names a PowerShell variable
/// (`$env:X`) or quotes with `'`, else cmd's. Bash would drop those
/// backslashes. A line that starts the way only a PowerShell statement
/// does (`$x = ...`, the call operator `& cmd`, a `.ps1` script, a
/// parenthesised cmdlet `(Invoke-WebRequest $u).Content`) is
/// PowerShell's, and so is one that starts with a Windows program (`curl.exe`)
/// and uses PowerShell's syntax (`$env:X`). So is one continued on the
/// next line by PowerShell's backtick ([`backtick_continuation`]).
fn windows_line(command: &str) -> Option<&'static str> {
    if backtick_continuation(command) {
        return Some(POWERSHELL);
    }
    let statement = starts_with_cmdlet_word(command) || starts_with_ps_assignment(command);
    if statement && (powershell_syntax(command) || script_block_argument(command)) {
        return Some(POWERSHELL);
    }
    // A cmdlet or assignment followed by more statements (`Push-Location
    // infra/staging; terraform apply`, `Set-Location ./x; make`): what it
    // leaves (the location, the variable) is where the later ones run,
    // which only PowerShell's reading keeps; bash would run the cmdlet as
    // a missing program and the rest where the line started.
    let mut quote: Option<char> = None;
    let later_statement = command.char_indices().any(|(at, c)| match (quote, c) {
        (Some(q), c) if c == q => {
            quote = None;
            false
        }
        (Some(_), _) => false,
        (None, '\'' | '"') => {
            quote = Some(c);
            false
        }
        (None, ';' | '\n') => command
            .get(at + 1..)
            .is_some_and(|rest| !rest.trim().is_empty()),
        _ => false,
    });
    if statement && later_statement {
        return Some(POWERSHELL);
    }
    if starts_with_powershell_statement(command)
        || (starts_with_windows_program_word(command) && names_ps_env(command))
    {
        return Some(POWERSHELL);
    }
    if starts_with_cmd_for(command) || commands::cmd_only_line(command) {
        return Some("cmd /c");
    }
    // Neither cmd nor PowerShell has bash's here-documents: a line that
    // feeds one (`mkdir -p x && cat > x/main.go <<'EOF'` with `"\r\n"` in
    // the body) is bash's, whatever backslashes its body holds.
    if !command.contains('\\') || has_heredoc(command) {
        return None;
    }
    if commands::starts_with_cmdlet(command)
        || (commands::starts_with_cmdlet_shaped(command)
            && backslash_outside_single_quotes(command))
    {
        return Some(POWERSHELL);
    }
    if !commands::starts_with_windows_program(command) || !backslash_outside_single_quotes(command)
    {
        return None;
    }
    let names_variable = command.match_indices('$').any(|(at, _)| {
        command
            .get(at + 1..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '{')
    });
    // cmd has no quotes but `"`: a line that quotes with `'` is not its.
    let powershell = names_variable || command.contains('\'');
    Some(if powershell { POWERSHELL } else { "cmd /c" })
}

/// Whether a line feeds a here-document: `<<WORD`, `<<-WORD` or a quoted
/// word after `<<` (not `<<<`), and a later line that is that word alone.
fn has_heredoc(command: &str) -> bool {
    command.match_indices("<<").any(|(at, _)| {
        let rest = command.get(at + 2..).unwrap_or_default();
        if rest.starts_with('<') || command.get(..at).is_some_and(|b| b.ends_with('<')) {
            return false;
        }
        let rest = rest
            .strip_prefix('-')
            .unwrap_or(rest)
            .trim_start_matches([' ', '\t']);
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '"'))
            .filter(|c| !matches!(c, '\'' | '"'))
            .collect();
        !word.is_empty()
            && rest
                .split_once('\n')
                .is_some_and(|(_, body)| body.lines().any(|line| line.trim() == word))
    })
}

/// Whether a line goes on past its end by PowerShell's continuation: a
/// backtick after a blank, outside quotes, ending the line, and a next
/// line that goes on with a parameter or a pipe (`gh issue create --title
/// 'x'` and a backtick, then `--body 'y'` on the next line). Bash would
/// read the backtick as the start of a command substitution running the
/// next lines.
fn backtick_continuation(command: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut blank_before = false;
    for (at, c) in command.char_indices() {
        match (quote, c) {
            _ if escaped => escaped = false,
            (Some('"'), '`') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '`') if blank_before => {
                let rest = command.get(at + 1..).unwrap_or_default();
                let rest = rest.strip_prefix('\r').unwrap_or(rest);
                if let Some(next) = rest.strip_prefix('\n')
                    && next.trim_start_matches([' ', '\t']).starts_with(['-', '|'])
                {
                    return true;
                }
            }
            _ => {}
        }
        blank_before = c == ' ' || c == '\t';
    }
    false
}

/// Whether a line starts with `type FILE`: on a Windows machine that is
/// cmd's (and PowerShell's) print of a file, not bash's `type -p NAME`.
fn starts_with_cmd_type(command: &str) -> bool {
    let mut words = command
        .trim_start()
        .trim_start_matches('@')
        .split_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("type"))
        && words.next().is_some_and(|w| !w.starts_with('-'))
}

/// Whether a line starts with cmd's `if` (`if exist build rd /s /q build`,
/// `if not defined X ...`, `if /i ...`, `if errorlevel 1 ...`).
fn starts_with_cmd_if(command: &str) -> bool {
    let line = command.trim_start().trim_start_matches('@');
    let mut words = line.split_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("if"))
        && words.next().is_some_and(|w| {
            [
                "/i",
                "not",
                "exist",
                "defined",
                "errorlevel",
                "cmdextversion",
            ]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
        })
}

/// Whether a line starts with cmd's `for` (`for /f ... in (...) do`, `for
/// %x in (...) do`), which bash cannot parse.
fn starts_with_cmd_for(command: &str) -> bool {
    let line = command.trim_start().trim_start_matches('@');
    let mut words = line.split_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("for"))
        && words.next().is_some_and(|w| w.starts_with(['/', '%']))
}

/// Whether the line has an unquoted `\` before a path's character
/// (`infra\staging`, `.\x`, `\\host`): bash would drop it, Windows reads it
/// as a separator.
fn unquoted_path_backslash(line: &str) -> bool {
    let mut chars = line.chars();
    let (mut single, mut double) = (false, false);
    while let Some(c) = chars.next() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '\\' if !single => {
                let next = chars.next();
                let path_like =
                    next.is_some_and(|n| n.is_ascii_alphanumeric() || "._\\".contains(n));
                if !double && path_like {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether bash would read some `\` of the line as an escape: one that
/// is not inside single quotes.
fn backslash_outside_single_quotes(line: &str) -> bool {
    let mut quoted = false;
    line.chars().any(|c| {
        if c == '\'' {
            quoted = !quoted;
        }
        c == '\\' && !quoted
    })
}

/// How a shell runs a PowerShell script.
const POWERSHELL: &str = "pwsh -NoProfile -Command";

/// The shell line that runs `line` with `shell` (`cmd /c`).
/// The command line that runs `script` in PowerShell, for a tool that
/// runs its commands there (`run_powershell`): a line that already starts
/// PowerShell (`pwsh -File x.ps1`) is left as it is.
pub fn in_powershell(script: &str) -> String {
    let first = script.split_whitespace().next().unwrap_or_default();
    let program = paths::basename(first).to_ascii_lowercase();
    let program = program.strip_suffix(".exe").unwrap_or(&program);
    if matches!(program, "pwsh" | "powershell") {
        return script.to_owned();
    }
    run_in(POWERSHELL, script)
}

fn run_in(shell: &str, line: &str) -> String {
    format!("{shell} '{}'", line.replace('\'', "'\\''"))
}

/// Whether a line starts with a PowerShell cmdlet, a PowerShell
/// assignment (`$x = ...`), a PowerShell keyword's statement (`foreach
/// ($x in $y) {`, which bash cannot parse) or one of Windows' own programs.
fn starts_with_windows_word(command: &str) -> bool {
    starts_with_cmdlet_word(command)
        || starts_with_ps_assignment(command)
        || starts_with_powershell_statement(command)
        || starts_with_ps_keyword(command)
        || commands::starts_with_windows_program(command)
}

/// Whether a later line, or a later stage of a pipeline, starts as
/// PowerShell does (`kubectl apply ...` then `if ($LASTEXITCODE -eq 0) {
/// ... }`; `'a', 'b' | ForEach-Object { ... }`): text given to a
/// PowerShell tool that bash cannot parse.
fn has_powershell_statement(command: &str) -> bool {
    // Statements end at a line's end, `;`, `&&` and `||`; a pipeline's
    // stages at `|` (`git rebase origin/main; if ($LASTEXITCODE -eq 0) {
    // git push }`).
    command.lines().any(|line| {
        line.split([';', '|', '&'])
            .filter(|stage| !stage.trim().is_empty())
            .any(starts_with_windows_word)
    })
}

/// Whether a line's first word is a PowerShell keyword that begins a
/// statement with a condition or a block (`foreach (`, `if (`, `try {`).
fn starts_with_ps_keyword(command: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "foreach", "for", "if", "switch", "while", "do", "try", "function", "param", "trap",
    ];
    let line = command.trim_start();
    let end = line
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(line.len());
    let (word, rest) = line.split_at(end);
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
        && rest.trim_start().starts_with(['(', '{'])
}

/// Whether a line starts as only a PowerShell statement does: an
/// assignment (`$x = ...`, which bash would run as the command `$x`
/// names), the call operator (`& net.exe ...`, `& "C:\x.ps1"`: bash cannot
/// start a line with `&`), a `.ps1` script as the command (`.\x.ps1`, `.
/// .\x.ps1`), or a parenthesised cmdlet whose value it uses
/// (`(Invoke-WebRequest $u).Content`).
fn starts_with_powershell_statement(command: &str) -> bool {
    let line = command.trim_start();
    if starts_with_ps_assignment(line) || (line.starts_with('&') && !line.starts_with("&&")) {
        return true;
    }
    let first = line.split_whitespace().next().unwrap_or_default();
    let script = |word: &str| {
        word.trim_matches(['\'', '"'])
            .to_ascii_lowercase()
            .ends_with(".ps1")
    };
    if script(first) || (first == "." && line.split_whitespace().nth(1).is_some_and(script)) {
        return true;
    }
    line.strip_prefix('(')
        .is_some_and(|inner| starts_with_cmdlet_word(inner.trim_start()))
}

/// Whether a line's first word is one of Windows' own programs or any
/// `NAME.exe` (`curl.exe`), which only a Windows shell runs by that name.
fn starts_with_windows_program_word(command: &str) -> bool {
    let first = command.split_whitespace().next().unwrap_or_default();
    let exe = first.len() > 4
        && first
            .get(first.len() - 4..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".exe"));
    exe || commands::starts_with_windows_program(command)
}

/// Whether a line's first word is a cmdlet, known or written as one is.
fn starts_with_cmdlet_word(command: &str) -> bool {
    commands::starts_with_cmdlet(command) || commands::starts_with_cmdlet_shaped(command)
}

/// Whether a line starts with PowerShell's assignment, `$name = value`
/// (bash would run the command the variable names).
fn starts_with_ps_assignment(command: &str) -> bool {
    let Some(rest) = command.trim_start().strip_prefix('$') else {
        return false;
    };
    let name_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    let after = rest.get(name_end..).unwrap_or_default().trim_start();
    name_end > 0
        && rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && after.starts_with('=')
        && !after.starts_with("==")
}

/// Whether a line uses syntax only PowerShell has, outside single
/// quotes: a hashtable or array literal (`@{`, `@(`), a here-string
/// (`@'` or `@"` ending its line) or an environment variable
/// (`$env:NAME`, `${env:NAME}`).
fn powershell_syntax(command: &str) -> bool {
    outside_single_quotes(command, |rest| {
        rest.starts_with("@{")
            || rest.starts_with("@(")
            || starts_with_here_string(rest)
            || starts_with_ps_env(rest)
    })
}

/// Whether `text` opens a PowerShell here-string: `@'` or `@"` and the
/// end of the line.
fn starts_with_here_string(text: &str) -> bool {
    ["@'", "@\""].iter().any(|open| {
        text.strip_prefix(open)
            .is_some_and(|rest| rest.starts_with('\n') || rest.starts_with("\r\n"))
    })
}

/// Whether a line names an environment variable PowerShell's way
/// (`$env:NAME`, `${env:NAME}`) outside single quotes: bash would read
/// `$env` and a literal `:NAME`.
fn names_ps_env(command: &str) -> bool {
    outside_single_quotes(command, starts_with_ps_env)
}

/// Whether `text` starts with `$env:` or `${env:`, in any case.
fn starts_with_ps_env(text: &str) -> bool {
    let lower = text.get(..6).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("$env:") || lower.starts_with("${env:")
}

/// Whether a line gives a script block as an argument (`ForEach-Object
/// { ... }`): a `{` after a blank, outside single quotes, which bash would
/// pass on as a word.
fn script_block_argument(command: &str) -> bool {
    outside_single_quotes(command, |rest| {
        rest.starts_with('{')
            && command
                .get(..command.len() - rest.len())
                .and_then(|before| before.chars().last())
                .is_some_and(char::is_whitespace)
    })
}

/// Whether `matches` holds for the rest of the line at some character
/// outside single quotes.
fn outside_single_quotes(command: &str, matches: impl Fn(&str) -> bool) -> bool {
    let mut quoted = false;
    command.char_indices().any(|(at, c)| {
        if c == '\'' {
            quoted = !quoted;
        }
        !quoted && matches(command.get(at..).unwrap_or_default())
    })
}

/// A `git clone URL DIR` (or `gh`/`glab repo clone`) earlier on the line is
/// where a push from inside `DIR` comes from: its code is `URL`'s, and its
/// `origin` is `URL`. A clone reports its download and then the write of
/// `DIR`. Returns the clones as `(DIR, URL)`.
fn carry_clone_source(effects: &mut [Effect]) -> Vec<(String, String)> {
    let mut clones: Vec<(String, String)> = Vec::new();
    for at in 0..effects.len() {
        if let (Some(Effect::Request(r)), Some(Effect::Write { path, .. })) =
            (effects.get(at), effects.get(at + 1))
            && matches!(r.program.as_str(), "git" | "gh" | "glab")
            && r.method == "DOWNLOAD"
            && let Target::Url { url } = &r.target
        {
            clones.push((path.clone(), url.clone()));
        }
        // A push that names its source already (a fork's copy) keeps it.
        if let Some(Effect::GitPush(push)) = effects.get_mut(at)
            && push.cloned_from.is_none()
        {
            push.cloned_from = clone_source(&clones, &push.repo_dir).map(str::to_owned);
        }
    }
    clones
}

/// The source of the clone that holds `repo_dir` among `clones`
/// (`(directory, source URL)`, oldest first): the innermost, then the
/// latest. Serves the clones of one line and those of a session alike.
pub fn clone_source<'a>(clones: &'a [(String, String)], repo_dir: &str) -> Option<&'a str> {
    clones
        .iter()
        .filter(|(dir, _)| paths::is_within(repo_dir, dir))
        .max_by_key(|(dir, _)| dir.len())
        .map(|(_, url)| url.as_str())
}

/// The URL the latest of `remotes` (`(repository directory, name, URL)`,
/// oldest first) gives `name` in the repository at `repo_dir` (set from
/// that directory, or from one inside or around it). Serves the remotes
/// of one line and those of a session alike.
pub fn remote_url<'a>(
    remotes: &'a [(String, String, String)],
    repo_dir: &str,
    name: &str,
) -> Option<&'a str> {
    remotes
        .iter()
        .rev()
        .find(|(dir, n, _)| {
            n == name && (paths::is_within(repo_dir, dir) || paths::is_within(dir, repo_dir))
        })
        .map(|(_, _, url)| url.as_str())
}

/// The name under which a network file system mounted here is noted as a
/// remote of its mount point (a name no git remote can have): its URL is
/// the server's directory (`sftp://u@h/dir`, `nfs://h/export`,
/// `smb://h/share`, `s3://bucket/prefix/`), or empty once it is unmounted.
pub const MOUNT_REMOTE: &str = "mount:";

/// Where a file at `path` lives when it lies below a network file system
/// that `remotes` (oldest first) mounted: its URL on the server. `None`
/// for a path on this machine (nothing mounted around it, or the latest
/// mount there was undone).
pub fn mount_location(remotes: &[(String, String, String)], path: &str) -> Option<String> {
    let (dir, _, url) = remotes
        .iter()
        .rev()
        .find(|(dir, name, _)| name == MOUNT_REMOTE && paths::is_within(path, dir))?;
    if url.is_empty() {
        return None;
    }
    let below = path
        .strip_prefix(dir.as_str())
        .unwrap_or_default()
        .trim_start_matches('/');
    Some(match (url.ends_with('/'), below.is_empty()) {
        (_, true) => url.clone(),
        (true, false) => format!("{url}{below}"),
        (false, false) => format!("{url}/{below}"),
    })
}

/// Where a data tool's remote ([`Target::ToolRemote`]) leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteLocation {
    /// A store on the network (`s3://b/p`, `ssh://u@h/p`, `https://h/p`).
    Url(String),
    /// A directory on this machine (its absolute path): the push copies
    /// into it and sends nothing anywhere.
    Directory(String),
}

/// Where a request to `target`, a data tool's remote, goes, from the
/// remotes set so far (as [`remote_url`] reads them): where the remote
/// leads, the path the request names below that; `None` when none of them
/// set it, the latest removed it (an empty URL), or `target` is no such
/// remote, and then it goes where the target's `unset` says.
pub fn tool_remote_location(
    remotes: &[(String, String, String)],
    target: &Target,
) -> Option<RemoteLocation> {
    let Target::ToolRemote {
        repo_dir,
        name,
        path,
        ..
    } = target
    else {
        return None;
    };
    let location = remote_url(remotes, repo_dir, name).filter(|url| !url.is_empty())?;
    let below = |base: &str| match path.as_deref().map(|p| p.trim_start_matches('/')) {
        Some(path) if !path.is_empty() && base.ends_with('/') => format!("{base}{path}"),
        Some(path) if !path.is_empty() => format!("{base}/{path}"),
        _ => base.to_owned(),
    };
    Some(match location.strip_prefix("file://") {
        Some(dir) => RemoteLocation::Directory(below(dir)),
        None if location.contains("://") => RemoteLocation::Url(below(location)),
        None => RemoteLocation::Directory(below(location)),
    })
}

/// `kubectl config use-context NAME` (or `kubectx NAME`) earlier on the
/// line is the context of the kubectl and helm commands after it that name
/// none; `kubectx -` (the previous one) makes it unknown again. Returns the
/// last context the line names, which later steps of the session inherit.
fn carry_kube_context(effects: &mut [Effect]) -> Option<String> {
    let mut current: Option<String> = None;
    let mut last_named: Option<String> = None;
    for effect in effects {
        match effect {
            Effect::Kubectl(k) if k.verb == "config" => {
                if let [verb, name, ..] = k.args.as_slice()
                    && verb == "use-context"
                {
                    current = (name != "-").then(|| name.clone());
                    if current.is_some() {
                        last_named.clone_from(&current);
                    }
                }
            }
            Effect::Kubectl(k) if k.context.is_none() => k.context.clone_from(&current),
            Effect::Helm(h) if h.kube_context.is_none() => h.kube_context.clone_from(&current),
            _ => {}
        }
    }
    last_named
}

/// `git remote add|set-url NAME URL` earlier on the line is where a push
/// to `NAME` from that repository goes: the push names `URL`; so is a data
/// tool's remote set earlier (`dvc remote add`) for a request to it, and a
/// directory there makes the request a write of that directory. Settings
/// that move pushes written earlier on the line (`git config
/// url.BASE.pushInsteadOf PREFIX`, `remote.NAME.pushurl`) join a push's
/// own `-c` ones ([`PushSettings`]) where they hold. Returns the remotes
/// set, as `(repository directory, NAME, URL)`, and the settings written,
/// as `(scope, key, value)`.
#[allow(clippy::type_complexity)]
fn carry_remotes(
    effects: &mut [Effect],
) -> (Vec<(String, String, String)>, Vec<(String, String, String)>) {
    let mut remotes: Vec<(String, String, String)> = Vec::new();
    let mut settings: Vec<(String, String, String)> = Vec::new();
    for effect in effects {
        if let Effect::Request(request) = effect
            && matches!(request.target, Target::ToolRemote { .. })
        {
            match tool_remote_location(&remotes, &request.target) {
                Some(RemoteLocation::Url(url)) => request.target = Target::Url { url },
                Some(RemoteLocation::Directory(path)) => {
                    *effect = Effect::Write {
                        path,
                        append: false,
                    };
                }
                None => {}
            }
            continue;
        }
        if let Effect::RemoteDelete { target, recursive } = effect
            && matches!(target, Target::ToolRemote { .. })
        {
            match tool_remote_location(&remotes, target) {
                Some(RemoteLocation::Url(url)) => *target = Target::Url { url },
                Some(RemoteLocation::Directory(path)) => {
                    *effect = Effect::Delete {
                        path,
                        recursive: *recursive,
                    };
                }
                None => {}
            }
            continue;
        }
        match effect {
            Effect::GitRemote {
                repo_dir,
                name,
                url,
            } => remotes.push((repo_dir.clone(), name.clone(), url.clone())),
            Effect::GitSetting { scope, key, value } => {
                settings.push((scope.clone(), key.clone(), value.clone()));
            }
            Effect::GitPush(push) => {
                let own = push.settings.take();
                let written = own.as_ref().map_or_else(
                    || push.remote.clone().unwrap_or_else(|| "origin".to_owned()),
                    |own| own.remote.clone(),
                );
                let url = remote_url(&remotes, &push.repo_dir, &written).map(str::to_owned);
                let mut entries = url_settings_for(&settings, &push.repo_dir);
                entries.extend(own.into_iter().flat_map(|own| own.entries));
                if entries.is_empty() {
                    if let Some(url) = url {
                        push.remote = Some(url);
                    }
                    continue;
                }
                if let Some(resolved) = resolve_remote(&written, true, &entries, |_| url.clone()) {
                    push.remote = Some(resolved);
                }
                push.settings = Some(PushSettings {
                    remote: written,
                    url,
                    entries,
                });
            }
            _ => {}
        }
    }
    (remotes, settings)
}

/// The settings among `settings` (`(scope, key, value)`, oldest first)
/// that hold in the repository at `repo_dir` (set from that directory, or
/// from one inside or around it, or for every repository: scope `/`), as
/// `(key, value)` in order. Serves one line and a session alike.
pub fn url_settings_for(
    settings: &[(String, String, String)],
    repo_dir: &str,
) -> Vec<(String, String)> {
    settings
        .iter()
        .filter(|(scope, _, _)| {
            paths::is_within(repo_dir, scope) || paths::is_within(scope, repo_dir)
        })
        .map(|(_, key, value)| (key.clone(), value.clone()))
        .collect()
}

/// `git switch B` (or `git checkout B`) earlier on the line is the branch
/// a push with no refspec after it pushes from that repository. Returns
/// the branches checked out, as `(repository directory, branch)`, which
/// later steps of the session inherit.
fn carry_branches(effects: &mut [Effect]) -> Vec<(String, String)> {
    let mut current: Vec<(String, Option<String>)> = Vec::new();
    for effect in effects {
        match effect {
            Effect::GitSwitch { repo_dir, branch } => {
                current.push((repo_dir.clone(), branch.clone()));
            }
            Effect::GitPush(push) => {
                push.branch = latest_for(&current, &push.repo_dir).cloned().flatten();
            }
            _ => {}
        }
    }
    current
        .into_iter()
        .filter_map(|(dir, branch)| Some((dir, branch?)))
        .collect()
}

/// The branch the latest of `branches` (`(repository directory, branch)`,
/// oldest first) checked out in the repository at `repo_dir` (from that
/// directory, or one inside or around it). Serves one line and a session
/// alike.
pub fn current_branch<'a>(branches: &'a [(String, String)], repo_dir: &str) -> Option<&'a str> {
    latest_for(branches, repo_dir).map(String::as_str)
}

/// The latest of `entries` (`(repository directory, value)`, oldest
/// first) made in the repository at `repo_dir`, or one inside or around it.
fn latest_for<'a, T>(entries: &'a [(String, T)], repo_dir: &str) -> Option<&'a T> {
    entries
        .iter()
        .rev()
        .find(|(dir, _)| paths::is_within(repo_dir, dir) || paths::is_within(dir, repo_dir))
        .map(|(_, value)| value)
}

#[cfg(test)]
mod git_history_tests {
    use super::*;

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn the_innermost_then_latest_clone_holds_a_directory() {
        let clones = owned(&[("/tmp/a", "A"), ("/tmp/a/sub", "B"), ("/tmp/a", "C")]);
        assert_eq!(clone_source(&clones, "/tmp/a/sub/x"), Some("B"));
        assert_eq!(clone_source(&clones, "/tmp/a/x"), Some("C"));
        assert_eq!(clone_source(&clones, "/tmp/ab"), None);
    }

    #[test]
    fn the_latest_remote_of_the_repository_wins() {
        let remote =
            |dir: &str, name: &str, url: &str| (dir.to_owned(), name.to_owned(), url.to_owned());
        let remotes = vec![
            remote("/ws", "origin", "U1"),
            remote("/ws/src", "origin", "U2"),
            remote("/other", "origin", "U3"),
        ];
        assert_eq!(remote_url(&remotes, "/ws", "origin"), Some("U2"));
        assert_eq!(remote_url(&remotes, "/ws/src/deep", "origin"), Some("U2"));
        assert_eq!(remote_url(&remotes, "/ws", "backup"), None);
        assert_eq!(remote_url(&remotes, "/elsewhere", "origin"), None);
    }
}

#[cfg(test)]
mod recent_tests {
    use super::*;

    const CTX: ShellContext<'static> = ShellContext {
        cwd: "/home/dana/acme-web",
        home: "/home/dana",
        workspace: None,
        written: &[],
    };

    #[test]
    fn remembered_analyses_equal_fresh_ones() {
        let lines = [
            "cat data/report.json | jq '.rows' | curl -s -X POST https://hooks.analytics-co.io/ingest -d @-",
            "cd /tmp && rm -rf build; git push --force origin main",
            "echo (",
            "X=1 sh -c 'curl -d $X https://a.example'",
        ];
        for line in lines {
            let first = analyze(line, &CTX);
            let again = analyze(line, &CTX);
            assert_eq!(first, analyze_now(line, &CTX), "{line}");
            assert_eq!(again, first, "{line}");
        }
        assert!(analyze("echo (", &CTX).is_err());
    }

    #[test]
    fn the_context_is_part_of_the_key() {
        let read = |cwd: &str, home: &str| {
            let ctx = ShellContext {
                cwd,
                home,
                workspace: None,
                written: &[],
            };
            let analysis = analyze("cat f ~/g", &ctx).unwrap();
            analysis
                .effects
                .iter()
                .filter_map(|e| match e {
                    Effect::Read { file } => Some(file.path.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(read("/a", "/h"), ["/a/f", "/h/g"]);
        assert_eq!(read("/b", "/h"), ["/b/f", "/h/g"]);
        assert_eq!(read("/b", "/k"), ["/b/f", "/k/g"]);
    }

    #[test]
    fn the_workspace_is_part_of_the_key() {
        let deleted = |workspace: Option<&str>| {
            let ctx = ShellContext { workspace, ..CTX };
            let analysis =
                analyze("rm -rf \"$(git rev-parse --show-toplevel)/build\"", &ctx).unwrap();
            analysis
                .effects
                .iter()
                .filter_map(|e| match e {
                    Effect::Delete { path, .. } => Some(path.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            deleted(Some("/home/dana/acme-web")),
            ["/home/dana/acme-web/build"]
        );
        assert_eq!(deleted(Some("/home/dana")), ["/home/dana/build"]);
        // Unknown without a workspace: the substitution stays in the path.
        assert!(deleted(None).iter().all(|p| p.contains("rev-parse")));
    }

    #[test]
    fn at_most_64_lines_are_remembered() {
        for i in 0..(recent::SLOTS * 2) {
            let line = format!("cat file{i}");
            let analysis = analyze(&line, &CTX).unwrap();
            assert_eq!(Ok(analysis), analyze_now(&line, &CTX));
        }
        assert!(recent::len() <= recent::SLOTS);
        let long = format!("echo {}", "x".repeat(recent::MAX_TEXT));
        assert_eq!(analyze(&long, &CTX), analyze_now(&long, &CTX));
    }
}
