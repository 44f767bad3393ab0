//! `xargs`: the commands it builds from its input, read as GNU and BSD
//! xargs read it (blank-separated words with quotes, `-0`/`--null` and
//! `-d DELIM` items, `-I` lines), grouped by `-n`, `-L` and `-I` into
//! one command line or several. The splitting is shared with GNU
//! `parallel`'s argument sources.

use super::{Invocation, Outcome, run_argv};
use crate::args::Arg;
use crate::commands::words::{self, Backslash};
use crate::{Payload, flow};

/// At most this many items are read, and this many commands built.
const MAX_ITEMS: usize = 32;
const MAX_COMMANDS: usize = 8;

/// Short options that take a value (BSD's `-J`, `-R`, `-S` too).
const VALUE_LETTERS: &str = "adEILnPsJRS";
/// Short options whose value, if any, is attached (`-i{}`, `-l2`, `-eEND`).
const ATTACHED_LETTERS: &str = "eil";
/// Long options that take a value, separate or after `=`; the others
/// (`--eof`, `--replace`, `--max-lines`) take one only after `=`.
const VALUE_LONG: &[&str] = &[
    "arg-file",
    "delimiter",
    "max-args",
    "max-procs",
    "max-chars",
    "process-slot-var",
];

/// The options that decide what xargs reads and the commands it builds.
#[derive(Debug, Default)]
struct Options {
    /// `-a FILE`: items come from FILE, not standard input.
    arg_file: Option<Arg>,
    /// `-0`, `-d DELIM`: items end at this character, quotes not special.
    delimiter: Option<char>,
    /// `-E STR`: input ends at the item STR (blank-separated input only).
    eof: Option<String>,
    /// `-I STR`: one command per input line, STR replaced by it.
    replace: Option<String>,
    /// `-n N`: at most N items per command.
    max_args: Option<usize>,
    /// `-L N`: at most N input lines per command.
    max_lines: Option<usize>,
    /// `-r`: no command at all when there is no item.
    no_run_if_empty: bool,
}

impl Options {
    /// Records option `name` (a letter, or a long name) with its value.
    fn set(&mut self, name: &str, value: Option<&Arg>) {
        let text = value.map(|v| v.text.as_str());
        let number = || text.and_then(|t| t.trim().parse::<usize>().ok());
        match name {
            "a" | "arg-file" => self.arg_file = value.cloned(),
            "0" | "null" => self.delimiter = Some('\0'),
            "d" | "delimiter" => self.delimiter = text.and_then(delimiter),
            "E" | "e" | "eof" => self.eof = text.filter(|t| !t.is_empty()).map(str::to_owned),
            "I" => self.replace = text.map(str::to_owned),
            "i" | "replace" => {
                self.replace = Some(text.filter(|t| !t.is_empty()).unwrap_or("{}").to_owned());
            }
            "n" | "max-args" => self.max_args = number().filter(|n| *n > 0),
            "L" => self.max_lines = number().filter(|n| *n > 0),
            "l" | "max-lines" => self.max_lines = Some(number().unwrap_or(1).max(1)),
            "r" | "no-run-if-empty" => self.no_run_if_empty = true,
            _ => {}
        }
    }
}

/// A `-d` delimiter: one character, or an escape (`\n`, `\t`, `\0`,
/// `\x00`, `\012`) as GNU xargs reads it.
fn delimiter(text: &str) -> Option<char> {
    let (decoded, _) = flow::unescape(text, flow::Escapes::PrintfFormat);
    decoded.chars().next()
}

/// Reads xargs's options: them, and where the command starts.
fn options(args: &[Arg]) -> (Options, usize) {
    let mut options = Options::default();
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        let text = arg.text.as_str();
        index += 1;
        if text == "--" {
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) => options.set(name, Some(&arg.with_text(value))),
                None if VALUE_LONG.contains(&long) => {
                    options.set(long, args.get(index));
                    index += 1;
                }
                None => options.set(long, None),
            }
            continue;
        }
        if text.len() < 2 || !text.starts_with('-') {
            index -= 1;
            break;
        }
        index += short_cluster(text, arg, args.get(index), &mut options);
    }
    (options, index)
}

/// Reads one cluster of short options (`-0tr`, `-n1`, `-I{}`, `-i`):
/// how many of the following arguments it took as a value (0 or 1).
fn short_cluster(text: &str, arg: &Arg, next: Option<&Arg>, options: &mut Options) -> usize {
    let body = text.get(1..).unwrap_or_default();
    for (at, letter) in body.char_indices() {
        let attached = body.get(at + letter.len_utf8()..).unwrap_or_default();
        let name = letter.to_string();
        if VALUE_LETTERS.contains(letter) {
            if attached.is_empty() {
                options.set(&name, next);
                return 1;
            }
            options.set(&name, Some(&arg.with_text(attached)));
            return 0;
        }
        if ATTACHED_LETTERS.contains(letter) {
            let value = (!attached.is_empty()).then(|| arg.with_text(attached));
            options.set(&name, value.as_ref());
            return 0;
        }
        options.set(&name, None);
    }
    0
}

/// What xargs reads: text the line fixes, or a word that stands for input
/// whose text is unknown and carries what it holds.
enum Input {
    /// The text, and what else the input carries (files, variables).
    Known(String, Payload),
    Unknown(Arg),
    Nothing,
}

/// `xargs [OPTIONS] CMD...`: CMD run with the items of standard input (or
/// of `-a FILE`) as further arguments, or in place of `-I`'s string; no
/// CMD is `echo`. Input whose text is unknown is one word that carries it.
pub(super) fn xargs(inv: &Invocation<'_>) -> Outcome {
    let (options, start) = options(inv.args);
    let mut outcome = Outcome::default();
    let mut argv: Vec<Arg> = inv.args.get(start..).unwrap_or_default().to_vec();
    if argv.is_empty() {
        argv.push(Arg::literal("echo"));
    }
    let input = match &options.arg_file {
        Some(file) if file.text != "-" => {
            outcome.read(inv.path(&file.text), false);
            match known_file_text(file) {
                Some(text) => Input::Known(text, Payload::default()),
                None => Input::Unknown(file_words(inv, file)),
            }
        }
        _ => stdin_input(inv),
    };
    let commands = match input {
        Input::Known(text, carried) => {
            commands(&argv, &records(&text, &options), &options, &carried)
        }
        Input::Unknown(word) => vec![with_unknown(argv, word, options.replace.as_deref())],
        Input::Nothing => vec![argv],
    };
    for command in commands {
        outcome.nested.extend(run_argv(command, None).nested);
    }
    outcome
}

/// Standard input as xargs reads it: its text when known (and what else
/// it carries); else, when it carries files or variables, one word that
/// stands for it.
fn stdin_input(inv: &Invocation<'_>) -> Input {
    if !inv.stdin.text.is_empty() {
        let carried = Payload {
            text: Vec::new(),
            ..inv.stdin.clone()
        };
        return Input::Known(inv.stdin.text.join("\n"), carried);
    }
    if inv.has_stdin && !inv.stdin.is_empty() {
        return Input::Unknown(Arg {
            text: "$(cat)".to_owned(),
            prov: inv.stdin.clone(),
            substitutions: vec!["cat".to_owned()],
            dynamic: true,
            ..Arg::default()
        });
    }
    Input::Nothing
}

/// The command run over input whose text is unknown: the word that stands
/// for it in place of `-I`'s string, or after the command.
fn with_unknown(mut argv: Vec<Arg>, word: Arg, replace: Option<&str>) -> Vec<Arg> {
    match replace {
        Some(token) => {
            for arg in argv.iter_mut().filter(|a| a.text.contains(token)) {
                flow::merge(&mut arg.prov, &word.prov);
                arg.dynamic = true;
            }
        }
        None => argv.push(word),
    }
    argv
}

/// The input's records, each the items one line gives (blank-separated
/// words; with `-I`, the line itself) or, with `-0`/`-d`, one item.
fn records(text: &str, options: &Options) -> Vec<Vec<String>> {
    if let Some(delimiter) = options.delimiter {
        return split_items(text, delimiter)
            .into_iter()
            .take(MAX_ITEMS)
            .map(|item| vec![item])
            .collect();
    }
    let mut records = Vec::new();
    let mut count = 0;
    for line in text.lines() {
        let items = if options.replace.is_some() {
            let line = line.trim_start();
            if line.is_empty() {
                Vec::new()
            } else {
                vec![unquote_line(line)]
            }
        } else {
            words::split(line, Backslash::OutsideQuotes)
        };
        if let Some(end) = items
            .iter()
            .position(|item| options.eof.as_deref() == Some(item.as_str()))
        {
            records.push(items.into_iter().take(end).collect());
            break;
        }
        count += items.len();
        if !items.is_empty() {
            records.push(items);
        }
        if count >= MAX_ITEMS {
            break;
        }
    }
    records.retain(|r: &Vec<String>| !r.is_empty());
    records
}

/// The items of text whose items end at `delimiter` (`-0`, `-d`, and
/// parallel's `--null`): every item, an empty last one left out.
pub(super) fn split_items(text: &str, delimiter: char) -> Vec<String> {
    let mut items: Vec<String> = text.split(delimiter).map(str::to_owned).collect();
    if items.last().is_some_and(String::is_empty) {
        items.pop();
    }
    items.retain(|item| !(delimiter == '\n' && item.trim().is_empty()));
    items
}

/// A line as one `-I` item: its quotes and backslashes removed.
fn unquote_line(line: &str) -> String {
    let mut item = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => item.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => item.extend(chars.next()),
            (None, c) => item.push(c),
        }
    }
    item
}

/// The command lines xargs builds from `records`: one per record with
/// `-I`, one per `-L` lines or `-n` items, else one with every item;
/// without items, the command alone (none with `-r`). Each item carries
/// what the input carries besides its text.
fn commands(
    argv: &[Arg],
    records: &[Vec<String>],
    options: &Options,
    carried: &Payload,
) -> Vec<Vec<Arg>> {
    let item_arg = |text: &str| Arg {
        text: text.to_owned(),
        prov: carried.clone(),
        dynamic: !carried.is_empty(),
        ..Arg::default()
    };
    if records.is_empty() {
        return if options.no_run_if_empty {
            Vec::new()
        } else {
            vec![argv.to_vec()]
        };
    }
    if let Some(token) = &options.replace {
        return records
            .iter()
            .take(MAX_COMMANDS)
            .map(|record| {
                let item = item_arg(&record.join(" "));
                argv.iter()
                    .map(|a| {
                        if !a.text.contains(token.as_str()) {
                            return a.clone();
                        }
                        let mut replaced = a.with_text(&a.text.replace(token.as_str(), &item.text));
                        flow::merge(&mut replaced.prov, &item.prov);
                        replaced.dynamic |= item.dynamic;
                        replaced
                    })
                    .collect()
            })
            .collect();
    }
    let groups: Vec<Vec<&String>> = match (options.max_lines, options.max_args) {
        (Some(lines), _) => records
            .chunks(lines)
            .map(|chunk| chunk.iter().flatten().collect())
            .collect(),
        (None, Some(count)) => {
            let items: Vec<&String> = records.iter().flatten().collect();
            items.chunks(count).map(<[&String]>::to_vec).collect()
        }
        (None, None) => vec![records.iter().flatten().collect()],
    };
    groups
        .into_iter()
        .take(MAX_COMMANDS)
        .map(|group| {
            let mut command = argv.to_vec();
            command.extend(group.into_iter().map(|item| item_arg(item)));
            command
        })
        .collect()
}

/// The text of a file argument when the line fixes it: a process
/// substitution whose command prints known text and nothing else
/// (`<(ls GLOB)`, `<(find DIR -name GLOB)`, `<(printf '%s\n' a b)`).
pub(super) fn known_file_text(file: &Arg) -> Option<String> {
    let prov = &file.prov;
    let only_text = prov.files.is_empty()
        && prov.env.is_empty()
        && prov.credentials.is_empty()
        && !prov.repository;
    (file.text.starts_with("/dev/fd/")
        && !file.substitutions.is_empty()
        && only_text
        && !prov.text.is_empty())
    .then(|| prov.text.join("\n"))
}

/// The words `xargs -a FILE` reads from FILE, as one word whose text is
/// unknown and which carries the file (what `$(cat FILE)` would be).
pub(super) fn file_words(inv: &Invocation<'_>, file: &Arg) -> Arg {
    let read = format!("cat {}", file.text);
    let mut prov = file.expansions();
    flow::push_file(
        &mut prov,
        crate::FileRef {
            path: inv.path(&file.text),
            recursive: false,
            excludes: Vec::new(),
        },
    );
    Arg {
        text: format!("$({read})"),
        prov,
        substitutions: vec![read],
        dynamic: true,
        ..Arg::default()
    }
}
