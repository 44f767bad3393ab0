//! `read`: variables set from the first line (or `-d DELIM` record) of
//! standard input or of descriptor `-u FD`, split on `IFS`; `-a NAME`
//! sets an indexed array of the fields. Input the line fixes (a
//! here-string, a heredoc) gives the values it holds, so `read -r -a
//! hosts <<< "a b"; for h in "${hosts[@]}"` runs with each host; other
//! input gives values that are unknown and carry what the input carries.
//! In a pipeline the builtin runs in a subshell, so the values are lost
//! there, as in bash.

use super::mapfile::builtin_options;
use super::{Analyzer, Array, Scope, ifs, split_fields};
use crate::Payload;
use crate::args::Arg;

/// Options that take a value.
const VALUE_LETTERS: &str = "adinNptu";

/// What `read`'s options ask for.
#[derive(Debug, Default)]
struct Options {
    /// `-a NAME`: the fields go into this array.
    array: Option<String>,
    /// `-d DELIM`: the record ends at DELIM (`''` is NUL), not at a newline.
    delimiter: Option<char>,
    /// `-u FD`: read descriptor FD instead of standard input.
    fd: Option<String>,
    /// The variables' names (`REPLY` when none is given).
    names: Vec<String>,
}

impl Options {
    fn parse(args: &[Arg]) -> Self {
        let (values, names) = builtin_options(args, VALUE_LETTERS);
        let mut options = Self {
            names,
            ..Self::default()
        };
        for (letter, value) in values {
            match letter {
                'a' => options.array = Some(value),
                'd' => options.delimiter = Some(value.chars().next().unwrap_or('\0')),
                'u' => options.fd = Some(value),
                _ => {}
            }
        }
        options
    }
}

impl Analyzer<'_> {
    /// `read [-ers] [-a ARRAY] [-d DELIM] [-i TEXT] [-n N] [-N N] [-p
    /// PROMPT] [-t TIMEOUT] [-u FD] [NAME...]`.
    /// `separators` is the `IFS` given for this command alone.
    pub(super) fn read_builtin(
        &mut self,
        args: &[Arg],
        separators: Option<&str>,
        scope: &mut Scope,
        stdin: Option<&Payload>,
    ) {
        let options = Options::parse(args);
        let separators = separators.unwrap_or_else(|| ifs(scope)).to_owned();
        let input = match &options.fd {
            Some(fd) => self.descriptor_input(fd, scope),
            None => stdin.cloned(),
        };
        let input = input.unwrap_or_default();
        let carried = Payload {
            text: Vec::new(),
            ..input.clone()
        };
        let record = (!input.text.is_empty()).then(|| {
            let text = input.text.join("\n");
            let delimiter = options.delimiter.unwrap_or('\n');
            text.split(delimiter).next().unwrap_or_default().to_owned()
        });
        let value = |text: String| Arg {
            text,
            dynamic: !carried.is_empty(),
            prov: carried.clone(),
            ..Arg::default()
        };
        let unknown = |name: &str| Arg {
            text: format!("${name}"),
            dynamic: true,
            prov: input.clone(),
            ..Arg::default()
        };
        if let Some(name) = &options.array {
            let elements = match &record {
                Some(record) => split_fields(record, &separators)
                    .into_iter()
                    .map(value)
                    .collect(),
                None => vec![unknown(name)],
            };
            let array = Array {
                elements,
                keys: None,
            };
            self.assign(scope, name, array.joined());
            if let Some(var) = scope.vars.get_mut(name) {
                var.array = Some(array);
            }
            return;
        }
        let names = if options.names.is_empty() {
            vec!["REPLY".to_owned()]
        } else {
            options.names
        };
        let Some(record) = record else {
            for name in &names {
                self.assign(scope, name, unknown(name));
            }
            return;
        };
        // `REPLY` alone keeps the whole line; otherwise each name takes a
        // field and the last takes the rest of the line.
        let fields = if names.len() == 1 {
            vec![
                record
                    .trim_matches(|c: char| separators.contains(c) && c.is_whitespace())
                    .to_owned(),
            ]
        } else {
            split_fields(&record, &separators)
        };
        let last = names.len().saturating_sub(1);
        for (at, name) in names.iter().enumerate() {
            let text = if at == last {
                fields
                    .get(at..)
                    .map(|rest| rest.join(" "))
                    .unwrap_or_default()
            } else {
                fields.get(at).cloned().unwrap_or_default()
            };
            self.assign(scope, name, value(text));
        }
    }
}
