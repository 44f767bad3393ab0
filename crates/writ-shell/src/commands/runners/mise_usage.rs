//! The arguments of a mise task: declared by its `usage` spec (`arg
//! "<env>"`, `arg "[files]..."`, `flag "-f --force"`, `flag "--region
//! <region>" default="eu"`) or by the templates of its `run` text
//! (`{{arg(name="env")}}`, `{{option(name="region")}}`,
//! `{{flag(name="force")}}`). A task that declares any takes the line's
//! words as their values, not as words appended to its command: its run
//! text's templates (those, and `{{usage.env}}`) become the values, and
//! the task sees each as the variable `usage_NAME`.

use crate::args::Arg;

/// One declared argument or flag.
#[derive(Debug, Clone, Default)]
struct Declared {
    /// Its name (`env`, `force`).
    name: String,
    /// Its option words (`-f`, `--force`); none for a positional argument.
    options: Vec<String>,
    /// A flag that takes a value (`--region <region>`).
    takes_value: bool,
    default: Option<String>,
    /// A positional argument that takes every word left (`<files>...`).
    variadic: bool,
}

impl Declared {
    fn positional(&self) -> bool {
        self.options.is_empty()
    }
}

/// A task's declared arguments, in order.
#[derive(Debug, Default)]
pub(in crate::commands) struct Usage {
    declared: Vec<Declared>,
}

/// The values the line gives a task's arguments.
#[derive(Debug, Default)]
pub(in crate::commands) struct Bound {
    values: Vec<(String, String)>,
}

/// The arguments a task declares in its `usage` spec and in the templates
/// of its `run` texts.
pub(in crate::commands) fn usage(spec: Option<&str>, run: &[&str]) -> Usage {
    let mut usage = Usage::default();
    for statement in spec.unwrap_or_default().split(['\n', ';']) {
        usage.declared.extend(spec_statement(statement));
    }
    for text in run {
        for expression in templates(text) {
            let Some(call) = template_call(expression) else {
                continue;
            };
            if usage.declared.iter().any(|d| d.name == call.name) {
                continue;
            }
            usage.declared.push(call);
        }
    }
    usage
}

impl Usage {
    /// True when the task declares no argument: the line's words are then
    /// appended to its command.
    pub(in crate::commands) fn is_empty(&self) -> bool {
        self.declared.is_empty()
    }

    /// The values `words` give the declared arguments; one they leave out
    /// has its default (a flag without a value: `false`).
    pub(in crate::commands) fn bind(&self, words: &[Arg]) -> Bound {
        let mut values: Vec<(String, String)> = Vec::new();
        // A variadic argument's words add up; a flag given again wins.
        let mut set = |name: &str, value: String, adds: bool| match values
            .iter_mut()
            .find(|(n, _)| n == name)
        {
            Some((_, old)) if adds => {
                old.push(' ');
                old.push_str(&value);
            }
            Some((_, old)) => *old = value,
            None => values.push((name.to_owned(), value)),
        };
        let mut positional = self.declared.iter().filter(|d| d.positional()).peekable();
        let mut words = words.iter();
        let mut only_positional = false;
        while let Some(word) = words.next() {
            let text = word.text.as_str();
            if text == "--" && !only_positional {
                only_positional = true;
                continue;
            }
            if !only_positional && text.starts_with('-') && text != "-" {
                let (option, attached) = match text.split_once('=') {
                    Some((option, value)) => (option, Some(value.to_owned())),
                    None => (text, None),
                };
                let Some(flag) = self
                    .declared
                    .iter()
                    .find(|d| d.options.iter().any(|o| o == option))
                else {
                    continue;
                };
                let value = if flag.takes_value {
                    attached.or_else(|| words.next().map(|w| w.text.clone()))
                } else {
                    Some(attached.unwrap_or_else(|| "true".to_owned()))
                };
                if let Some(value) = value {
                    set(&flag.name, value, false);
                }
                continue;
            }
            let Some(arg) = positional.peek() else {
                continue;
            };
            set(&arg.name, text.to_owned(), arg.variadic);
            if !arg.variadic {
                positional.next();
            }
        }
        for declared in &self.declared {
            if values.iter().any(|(n, _)| *n == declared.name) {
                continue;
            }
            let default = declared.default.clone().unwrap_or_else(|| {
                if declared.positional() || declared.takes_value {
                    String::new()
                } else {
                    "false".to_owned()
                }
            });
            values.push((declared.name.clone(), default));
        }
        Bound { values }
    }
}

impl Bound {
    /// `text` with its argument templates replaced by their values; other
    /// templates are left as written.
    pub(in crate::commands) fn render(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            out.push_str(rest.get(..open).unwrap_or_default());
            let after = rest.get(open + 2..).unwrap_or_default();
            let Some(close) = after.find("}}") else {
                out.push_str(rest.get(open..).unwrap_or_default());
                return out;
            };
            let expression = after.get(..close).unwrap_or_default();
            match self.value_of(expression) {
                Some(value) => out.push_str(value),
                None => out.push_str(rest.get(open..open + 2 + close + 2).unwrap_or_default()),
            }
            rest = after.get(close + 2..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }

    /// The variables mise gives the task: `usage_NAME` for each argument.
    pub(in crate::commands) fn env(&self) -> Vec<(String, Arg)> {
        self.values
            .iter()
            .map(|(name, value)| {
                (
                    format!("usage_{}", name.replace('-', "_")),
                    Arg::literal(value),
                )
            })
            .collect()
    }

    /// The value a template expression stands for: `usage.NAME`,
    /// `arg(name="NAME")`, `option(...)`, `flag(...)`.
    fn value_of(&self, expression: &str) -> Option<&str> {
        let expression = expression.trim();
        let expression = expression.split('|').next().unwrap_or_default().trim();
        let name = match expression.strip_prefix("usage.") {
            Some(name) => name.to_owned(),
            None => template_call(expression)?.name,
        };
        self.values
            .iter()
            .find(|(n, _)| *n == name || n.replace('-', "_") == name)
            .map(|(_, value)| value.as_str())
    }
}

/// The `{{ ... }}` expressions of a text.
fn templates(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = rest.get(open + 2..).unwrap_or_default();
        let Some(close) = after.find("}}") else {
            break;
        };
        found.push(after.get(..close).unwrap_or_default());
        rest = after.get(close + 2..).unwrap_or_default();
    }
    found
}

/// What a template's `arg(...)`, `option(...)` or `flag(...)` call
/// declares.
fn template_call(expression: &str) -> Option<Declared> {
    let expression = expression.split('|').next().unwrap_or_default().trim();
    let (function, arguments) = expression.split_once('(')?;
    let arguments = arguments.trim_end().strip_suffix(')')?;
    let keyword = |key: &str| -> Option<String> {
        arguments.split(',').find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (name.trim() == key).then(|| unquoted(value.trim()))
        })
    };
    let name = keyword("name")?;
    let mut declared = Declared {
        default: keyword("default"),
        variadic: keyword("var").as_deref() == Some("true"),
        ..Declared::default()
    };
    match function.trim() {
        "arg" => {}
        "option" => {
            declared.options = vec![format!("--{name}")];
            declared.takes_value = true;
        }
        "flag" => declared.options = vec![format!("--{name}")],
        _ => return None,
    }
    declared.name = name;
    Some(declared)
}

/// One statement of a usage spec: `arg "<name>" ...` or `flag "-f --name
/// [<value>]" ...`; other statements declare no argument.
fn spec_statement(statement: &str) -> Option<Declared> {
    let statement = statement.trim();
    let (kind, rest) = statement.split_once(char::is_whitespace)?;
    let (pattern, properties) = quoted_first(rest.trim_start())?;
    let property = |key: &str| -> Option<String> {
        let at = properties.find(&format!("{key}="))?;
        let value = properties.get(at + key.len() + 1..)?;
        Some(match value.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or_default().to_owned(),
            None => value
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned(),
        })
    };
    let mut declared = Declared {
        default: property("default"),
        ..Declared::default()
    };
    match kind {
        "arg" => {
            let name = pattern.trim_matches(['<', '>', '[', ']', '.']);
            declared.variadic =
                pattern.ends_with("...") || property("var").as_deref() == Some("#true");
            declared.name = name.trim_matches(['<', '>', '[', ']']).to_owned();
        }
        "flag" | "option" => {
            for word in pattern.split_whitespace() {
                if word.starts_with('-') {
                    declared.options.push(word.trim_end_matches(',').to_owned());
                } else if word.starts_with(['<', '[']) {
                    declared.takes_value = true;
                }
            }
            let long = declared
                .options
                .iter()
                .find_map(|o| o.strip_prefix("--"))
                .or_else(|| declared.options.first().map(|o| o.trim_start_matches('-')))?;
            declared.name = long.to_owned();
            declared.takes_value |= kind == "option";
        }
        _ => return None,
    }
    (!declared.name.is_empty()).then_some(declared)
}

/// The first `"..."` of a text and what follows it.
fn quoted_first(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('"')?;
    let close = inner.find('"')?;
    Some((inner.get(..close)?, inner.get(close + 1..)?))
}

/// A template argument's text: a quoted string's, else as written.
fn unquoted(text: &str) -> String {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner.to_owned();
        }
    }
    text.to_owned()
}
