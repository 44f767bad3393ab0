//! Script blocks given as values (`ForEach-Object { ... }`, `Start-Job
//! -ScriptBlock { ... }`, `$b = { ... }`): [`to_bash`] keeps each one as a
//! single word holding its PowerShell text, braces and all, and the
//! cmdlets that run a block run that text as PowerShell, so the cmdlets
//! inside it are read as top-level ones are. A block given arguments
//! (`Start-Job { param($t) ... } -ArgumentList $env:TOKEN`) runs with its
//! `param(...)` bound to them in order, and `$args` to the rest.

use super::scripts::param_block;
use super::splatting::unquoted;
use super::{join_args, param_word, to_bash};
use crate::args::Arg;
use crate::commands::{Invocation, Nested, Outcome};

/// The PowerShell text of a script block written as a value (`{ ... }`),
/// without its braces.
pub(super) fn body(word: &Arg) -> Option<&str> {
    word.text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
}

/// A job that runs a script block's `code` here.
pub(super) fn local_job(code: &str, what: &str) -> Nested {
    Nested::Script {
        text: to_bash(code),
        what: what.to_owned(),
    }
}

/// A job that runs a script block's `code` here with `arguments` (its
/// `-ArgumentList`): the block's `param(...)` takes them in order (a
/// parameter left over takes its default), and `$args` the rest.
pub(super) fn job_with_arguments(code: &str, arguments: &[Arg], what: &str) -> Nested {
    if arguments.is_empty() {
        return local_job(code, what);
    }
    let mut rest = arguments.iter();
    let mut env: Vec<(String, Arg)> = Vec::new();
    let mut text = String::new();
    let body = match param_block(code) {
        Some((_, end, params)) => {
            for param in params {
                match rest.next() {
                    Some(value) => env.push((param.name, value.clone())),
                    None => {
                        if let Some(default) = param.default {
                            text.push_str(&format!("${} = {default}\n", param.name));
                        }
                    }
                }
            }
            // Before the block stand only attributes and comments.
            code.get(end..).unwrap_or_default().to_owned()
        }
        None => code.to_owned(),
    };
    let unbound: Vec<Arg> = rest.cloned().collect();
    if !unbound.is_empty() {
        env.push(("args".to_owned(), join_args(&unbound)));
    }
    // `$args[N]` is the one item.
    for (index, value) in unbound.iter().enumerate() {
        env.push((format!("__arg{index}"), value.clone()));
    }
    let body = indexed_args(&body, |index| {
        (index < unbound.len()).then(|| format!("${{__arg{index}}}"))
    });
    text.push_str(&body);
    Nested::ShellScript {
        text: to_bash(&text),
        what: what.to_owned(),
        args: vec![Arg::literal(what)],
        env,
    }
}

/// `code` with each `$args[N]` outside quotes written as what `item(N)`
/// gives (left as it is where that is `None`).
pub(super) fn indexed_args(code: &str, item: impl Fn(usize) -> Option<String>) -> String {
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    let mut out = String::with_capacity(code.len());
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        let word: String = chars.get(at..at + 6).unwrap_or_default().iter().collect();
        if c == '$'
            && outside.get(at).copied().unwrap_or(false)
            && word.eq_ignore_ascii_case("$args[")
        {
            let digits: String = chars
                .get(at + 6..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let close = at + 6 + digits.len();
            let index = digits.parse::<usize>().ok();
            if chars.get(close) == Some(&']')
                && let Some(text) = index.and_then(&item)
            {
                out.push_str(&text);
                at = close + 1;
                continue;
            }
        }
        out.push(c);
        at += 1;
    }
    out
}

/// The items of a `-ArgumentList` (`-Args`, any prefix from `-Arg`) among
/// `args`: the words of its comma list, each item a value of its own
/// carrying what its word carries.
pub(super) fn argument_list(args: &[Arg]) -> Vec<Arg> {
    let mut items = Vec::new();
    let mut words = args.iter().peekable();
    while let Some(word) = words.next() {
        let Some((name, attached)) = param_word(&word.text) else {
            continue;
        };
        if !(name == "args" || (name.len() >= 3 && "argumentlist".starts_with(&name))) {
            continue;
        }
        let mut current = match attached {
            Some(text) if !text.is_empty() => word.with_text(text),
            _ => match words.next() {
                Some(next) => next.clone(),
                None => break,
            },
        };
        loop {
            let text = current.text.trim();
            let text = text
                .strip_prefix("@(")
                .and_then(|t| t.strip_suffix(')'))
                .unwrap_or(text);
            for item in text.split(',') {
                let item = item.trim().trim_matches(['\'', '"']);
                if !item.is_empty() {
                    items.push(current.with_text(item));
                }
            }
            let continues = current.text.trim_end().ends_with(',')
                || words.peek().is_some_and(|next| next.text.starts_with(','));
            match words.next_if(|_| continues) {
                Some(next) => current = next.clone(),
                None => break,
            }
        }
    }
    items
}

/// The properties of a file or directory that are its path.
const PATH_PROPERTIES: &[&str] = &["fullname", "pspath", "path"];

/// A block's `code` with `$_`/`$PSItem` bound to an item at `path`: the
/// item itself and its path properties (`$_.FullName`) become the path,
/// quoted outside strings; other properties (`$_.Length`) are left.
fn bind_path(code: &str, path: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len() + path.len());
    let mut quote: Option<char> = None;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (Some('\''), _) => {}
            (_, '$') => {
                let name = super::word_at(&chars, at + 1);
                if name == "_" || name.eq_ignore_ascii_case("psitem") {
                    let mut end = at + 1 + name.chars().count();
                    let bound = if chars.get(end) == Some(&'.') {
                        let property = super::word_at(&chars, end + 1);
                        let lower = property.to_ascii_lowercase();
                        PATH_PROPERTIES.contains(&lower.as_str()).then(|| {
                            end += 1 + property.chars().count();
                        })
                    } else {
                        Some(())
                    };
                    if bound.is_some() {
                        // `$($_.FullName)`, `($_)`: the value alone.
                        if chars.get(end) == Some(&')') && out.ends_with('(') {
                            out.pop();
                            if out.ends_with('$') {
                                out.pop();
                            }
                            end += 1;
                        }
                        if quote.is_some() {
                            out.push_str(path);
                        } else {
                            out.push('\'');
                            out.push_str(&path.replace('\'', "''"));
                            out.push('\'');
                        }
                        at = end;
                        continue;
                    }
                }
            }
            _ => {}
        }
        out.push(c);
        at += 1;
    }
    out
}

/// Cmdlets that run the script blocks they are given, here: the pipeline
/// cmdlets (`ForEach-Object`'s `-Begin`, `-Process`, `-End` and
/// `-Parallel` blocks, `Where-Object`'s filter), background and timed
/// runs, and event actions.
const RUNNERS: &[&str] = &[
    "foreach-object",
    "%",
    "where-object",
    "where",
    "?",
    "start-job",
    "sajb",
    "start-threadjob",
    "measure-command",
    "register-objectevent",
    "register-engineevent",
    "register-wmievent",
    "register-cimindicationevent",
    "register-scheduledjob",
    "trace-command",
];

/// `ForEach-Object { ... }` and the other [`RUNNERS`]: each block given
/// runs here, with the pipeline's input.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if !RUNNERS.contains(&inv.program) {
        return None;
    }
    let mut outcome = Outcome::default();
    let what = format!("{} script block", inv.program);
    let arguments = argument_list(inv.args);
    // Files and directories piped in (`Get-ChildItem d | ForEach-Object {
    // Remove-Item $_.FullName }`): the block runs once for each, `$_` its
    // path.
    let items = if matches!(inv.program, "foreach-object" | "%") {
        super::piped_items(inv)
    } else {
        Vec::new()
    };
    for code in inv.args.iter().filter_map(body) {
        if items.is_empty() {
            outcome
                .nested
                .push(job_with_arguments(code, &arguments, &what));
        }
        // The block is given the item as `$_`; the commands in it do not
        // read the pipeline.
        for (path, _) in &items {
            let job = match job_with_arguments(&bind_path(code, path), &arguments, &what) {
                Nested::Script { text, what } => Nested::Script {
                    text: format!("{{ {text}\n}} </dev/null"),
                    what,
                },
                Nested::ShellScript {
                    text,
                    what,
                    args,
                    env,
                } => Nested::ShellScript {
                    text: format!("{{ {text}\n}} </dev/null"),
                    what,
                    args,
                    env,
                },
                other => other,
            };
            outcome.nested.push(job);
        }
    }
    // A filter passes on what it is given, not what its block prints.
    if matches!(inv.program, "where-object" | "where" | "?") {
        outcome.stdout = Some(inv.stdin.clone());
    }
    Some(outcome)
}
