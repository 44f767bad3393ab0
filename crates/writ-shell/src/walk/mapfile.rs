//! `mapfile`/`readarray`: an indexed array set from the lines (or
//! `-d DELIM` records) of standard input or of descriptor `-u FD`. Input
//! the line fixes (a here-string, a heredoc, `< <(printf ...)`) gives one
//! element per line, so a loop over `"${NAME[@]}"` runs with each; other
//! input gives one element whose value is unknown and carries what the
//! input carries. In a pipeline the builtin runs in a subshell, so the
//! array is lost there, as in bash.

use super::{Analyzer, Array, MAX_LOOP_VALUES, Redirects, Scope, descriptor_path};
use crate::Payload;
use crate::args::Arg;

/// Options that take a value.
const VALUE_LETTERS: &str = "dnOsuCc";

/// What `mapfile`'s options ask for.
#[derive(Debug, Default)]
struct Options {
    /// `-d DELIM`: records end at DELIM (`''` is NUL), not at newlines.
    delimiter: Option<char>,
    /// `-n COUNT`: at most COUNT records (0: all).
    count: usize,
    /// `-O ORIGIN`: elements start at ORIGIN, earlier ones kept.
    origin: Option<usize>,
    /// `-s COUNT`: the first COUNT records are skipped.
    skip: usize,
    /// `-u FD`: read descriptor FD instead of standard input.
    fd: Option<String>,
    /// `-C CALLBACK`: evaluated every `-c QUANTUM` (5000) records.
    callback: Option<String>,
    quantum: usize,
    /// The array's name (`MAPFILE` when none is given).
    name: Option<String>,
}

impl Options {
    fn parse(args: &[Arg]) -> Self {
        let mut options = Self {
            quantum: 5000,
            ..Self::default()
        };
        let (values, names) = builtin_options(args, VALUE_LETTERS);
        for (letter, value) in values {
            options.set(letter, value);
        }
        options.name = names.into_iter().next();
        options
    }

    fn set(&mut self, letter: char, value: String) {
        let number = value.trim().parse::<usize>().ok();
        match letter {
            'd' => self.delimiter = Some(value.chars().next().unwrap_or('\0')),
            'n' => self.count = number.unwrap_or(0),
            'O' => self.origin = number,
            's' => self.skip = number.unwrap_or(0),
            'u' => self.fd = Some(value),
            'C' => self.callback = Some(value),
            'c' => self.quantum = number.filter(|n| *n > 0).unwrap_or(5000),
            _ => {}
        }
    }
}

/// A builtin's options as bash reads them: the values of the letters in
/// `value_letters` (attached, `-d,`, or the next word, `-d ,`) in order,
/// and the other words (after `--`, all of them).
pub(super) fn builtin_options(
    args: &[Arg],
    value_letters: &str,
) -> (Vec<(char, String)>, Vec<String>) {
    let mut values = Vec::new();
    let mut names = Vec::new();
    let mut words = args.iter();
    let mut only_names = false;
    while let Some(arg) = words.next() {
        let text = arg.text.as_str();
        if only_names || !text.starts_with('-') || text.len() < 2 {
            names.push(text.to_owned());
            continue;
        }
        if text == "--" {
            only_names = true;
            continue;
        }
        for (at, letter) in text.char_indices().skip(1) {
            if !value_letters.contains(letter) {
                continue;
            }
            let attached = text.get(at + letter.len_utf8()..).unwrap_or_default();
            let value = if attached.is_empty() {
                words.next().map(|a| a.text.clone()).unwrap_or_default()
            } else {
                attached.to_owned()
            };
            values.push((letter, value));
            break;
        }
    }
    (values, names)
}

impl Analyzer<'_> {
    /// `mapfile [-t] [-d DELIM] [-n COUNT] [-O ORIGIN] [-s COUNT] [-u FD]
    /// [-C CALLBACK [-c QUANTUM]] [NAME]` (and `readarray`).
    pub(super) fn mapfile(&mut self, args: &[Arg], scope: &mut Scope, stdin: Option<&Payload>) {
        let options = Options::parse(args);
        let name = options.name.clone().unwrap_or_else(|| "MAPFILE".to_owned());
        let input = match &options.fd {
            Some(fd) => self.descriptor_input(fd, scope),
            None => stdin.cloned(),
        };
        let mut array = match (options.origin, scope.vars.get(&name)) {
            (Some(origin), Some(var)) => {
                let mut kept = var.array.clone().unwrap_or_default();
                kept.elements.truncate(origin);
                kept.keys = None;
                kept
            }
            _ => Array::default(),
        };
        let records = input
            .as_ref()
            .map(|input| records(input, &options))
            .unwrap_or_default();
        if records.is_empty() {
            // Input whose lines are not known: one element that stands for
            // them and carries what the input carries.
            array.elements.push(Arg {
                text: format!("${{{name}[@]}}"),
                prov: input.unwrap_or_default(),
                dynamic: true,
                ..Arg::default()
            });
        } else {
            let carried = input.map(|input| Payload {
                text: Vec::new(),
                ..input
            });
            self.run_callback(&options, array.elements.len(), &records, scope);
            for record in records {
                let carried = carried.clone().unwrap_or_default();
                array.elements.push(Arg {
                    text: record,
                    dynamic: !carried.is_empty(),
                    prov: carried,
                    ..Arg::default()
                });
            }
        }
        self.assign(scope, &name, array.joined());
        if let Some(var) = scope.vars.get_mut(&name) {
            var.array = Some(array);
        }
    }

    /// What reading descriptor `fd` (`-u FD`) gives: the file it is open
    /// on, or a coprocess's output.
    pub(super) fn descriptor_input(&mut self, fd: &str, scope: &Scope) -> Option<Payload> {
        let path = descriptor_path(fd.parse().ok()?, scope, &Redirects::default())?;
        self.drain_coprocess(&path);
        Some(self.file_provenance(&path, false))
    }

    /// `-C CALLBACK`: evaluated, as `eval` would, with the index and the
    /// text of every QUANTUM-th record.
    fn run_callback(
        &mut self,
        options: &Options,
        first: usize,
        records: &[String],
        scope: &mut Scope,
    ) {
        let Some(callback) = &options.callback else {
            return;
        };
        let every = records
            .iter()
            .enumerate()
            .filter(|(at, _)| (at + 1) % options.quantum == 0)
            .take(MAX_LOOP_VALUES);
        for (at, record) in every {
            let text = format!(
                "{callback} {} '{}'",
                first + at,
                record.replace('\'', "'\\''")
            );
            self.script_in_place(&text, scope, None, "mapfile callback");
        }
    }
}

/// The records of input whose text is known, after `-s` and up to `-n`,
/// each without its delimiter. A record keeps no newline even without
/// `-t`: the name or path it holds is what later commands are judged by.
fn records(input: &Payload, options: &Options) -> Vec<String> {
    if input.text.is_empty() {
        return Vec::new();
    }
    let text = input.text.join("\n");
    let delimiter = options.delimiter.unwrap_or('\n');
    let mut records: Vec<&str> = text.split(delimiter).collect();
    if records.last().is_some_and(|r| r.is_empty()) {
        records.pop();
    }
    let count = if options.count == 0 {
        usize::MAX
    } else {
        options.count
    };
    records
        .into_iter()
        .skip(options.skip)
        .take(count.min(MAX_LOOP_VALUES * 4))
        .map(str::to_owned)
        .collect()
}
