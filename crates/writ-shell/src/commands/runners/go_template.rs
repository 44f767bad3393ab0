//! The part of Go's `text/template` (with the sprig functions) that
//! Taskfiles use in their commands: `{{.NAME}}`, pipelines of functions
//! (`{{.PGHOST | default "localhost"}}`, `{{default "dev" .ENV | upper}}`),
//! quoted strings. Control actions (`{{if}}`, `{{range}}`, `{{end}}`) and
//! functions it does not know are empty, so both branches of an `if` show.

/// How many `|`-separated commands one action evaluates at most.
const MAX_COMMANDS: usize = 16;

/// `text` with each `{{ ... }}` action replaced by its value; `lookup`
/// gives a variable's value (`None` when unset, which is empty).
pub(super) fn expand(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 2..).unwrap_or_default();
        let Some(close) = after.find("}}") else {
            out.push_str(rest.get(open..).unwrap_or_default());
            return out;
        };
        // `{{- x -}}` trims the text around it; the action is `x`.
        let action = after.get(..close).unwrap_or_default();
        let action = action.strip_prefix("- ").unwrap_or(action);
        let action = action.strip_suffix(" -").unwrap_or(action);
        out.push_str(&pipeline(action, lookup));
        rest = after.get(close + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// A word of an action: a quoted string, a `.NAME` reference, a bare word
/// (a function's name, a number), or the `|` between commands.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(String),
    Field(String),
    Word(String),
    Pipe,
}

/// The value of a pipeline: each command's value is the last argument of
/// the next.
fn pipeline(action: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let tokens = tokens(action);
    let mut value: Option<String> = None;
    for command in tokens.split(|t| *t == Token::Pipe).take(MAX_COMMANDS) {
        value = Some(command_value(command, value, lookup));
    }
    value.unwrap_or_default()
}

/// One command of a pipeline: an operand, or a function given its
/// arguments and then the piped value.
fn command_value(
    command: &[Token],
    piped: Option<String>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> String {
    let operand = |token: &Token| match token {
        Token::Text(text) => text.clone(),
        Token::Field(name) => lookup(name).unwrap_or_default(),
        Token::Word(word) if word.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
            word.clone()
        }
        Token::Word(_) | Token::Pipe => String::new(),
    };
    let Some((first, rest)) = command.split_first() else {
        return piped.unwrap_or_default();
    };
    let Token::Word(function) = first else {
        return operand(first);
    };
    let mut args: Vec<String> = rest.iter().map(operand).collect();
    args.extend(piped);
    function_value(function, &args)
}

/// A function of the template language or of sprig, given its arguments.
fn function_value(function: &str, args: &[String]) -> String {
    let last = args.last().cloned().unwrap_or_default();
    let first = args.first().cloned().unwrap_or_default();
    match function {
        // `default D X`: X, or D when X is empty.
        "default" => match args {
            [fallback, value, ..] if value.is_empty() => fallback.clone(),
            [_, value, ..] => value.clone(),
            [fallback] => fallback.clone(),
            [] => String::new(),
        },
        "coalesce" => args
            .iter()
            .find(|a| !a.is_empty())
            .cloned()
            .unwrap_or_default(),
        "trim" => last.trim().to_owned(),
        "upper" => last.to_uppercase(),
        "lower" => last.to_lowercase(),
        "toString" | "print" | "println" | "html" | "js" | "urlquery" => args.concat(),
        "cat" => args.join(" "),
        "quote" => format!("\"{last}\""),
        "squote" => format!("'{last}'"),
        "trimPrefix" if args.len() >= 2 => last
            .strip_prefix(first.as_str())
            .unwrap_or(&last)
            .to_owned(),
        "trimSuffix" if args.len() >= 2 => last
            .strip_suffix(first.as_str())
            .unwrap_or(&last)
            .to_owned(),
        "replace" => match args {
            [old, new, text, ..] => text.replace(old.as_str(), new),
            _ => last,
        },
        "join" => match args {
            [separator, list, ..] => list.split_whitespace().collect::<Vec<_>>().join(separator),
            _ => last,
        },
        _ => String::new(),
    }
}

/// The tokens of an action: quoted strings (`"..."` with escapes, raw
/// `` `...` ``), `.NAME` references (`.` alone is the piped data, empty
/// here), `|`, bare words; parentheses are dropped.
fn tokens(action: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = action.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => tokens.push(Token::Pipe),
            '"' => {
                let mut text = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => text.push('\n'),
                            Some('t') => text.push('\t'),
                            Some(other) => text.push(other),
                            None => {}
                        },
                        c => text.push(c),
                    }
                }
                tokens.push(Token::Text(text));
            }
            '`' => {
                let text: String = chars.by_ref().take_while(|c| *c != '`').collect();
                tokens.push(Token::Text(text));
            }
            c if c.is_whitespace() || c == '(' || c == ')' => {}
            c => {
                let mut word = String::from(c);
                while let Some(&next) = chars.peek() {
                    if next.is_whitespace() || matches!(next, '|' | '(' | ')' | '"' | '`') {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                tokens.push(match word.strip_prefix('.') {
                    Some(name) => Token::Field(name.to_owned()),
                    None => Token::Word(word),
                });
            }
        }
    }
    tokens
}
