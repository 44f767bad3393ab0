//! Programs that hand a URL or a file to the desktop's default handler:
//! macOS `open`, `xdg-open`, `gio open`, `wslview` and the like, the
//! Debian browser alternatives (`sensible-browser`, `x-www-browser`),
//! Python's `webbrowser` module, cmd's `start` and Windows' `explorer`.
//! A web URL is loaded by the browser, a GET whose query carries what a
//! curl GET's would (`open "https://h/r?s=$SECRET"` sends the secret); a
//! file or an application opened stays on this machine (a file is read).

use super::browsers::{Page, page, page_get};
use super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Spec};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "open" => Some(macos_open(inv)),
        "xdg-open" | "gnome-open" | "gvfs-open" | "kde-open" | "kde-open5" | "kde-open6"
        | "exo-open" | "wslview" | "termux-open" | "termux-open-url" => Some(opener(inv)),
        "gio" | "kioclient" | "kioclient5" | "kioclient6" | "handlr" => subcommand_open(inv),
        "sensible-browser" | "x-www-browser" | "www-browser" | "gnome-www-browser" => {
            Some(browser_launcher(inv))
        }
        "webbrowser" => Some(browser_launcher(inv)),
        "start" => Some(cmd_start(inv)),
        "explorer" => Some(explorer(inv)),
        _ => None,
    }
}

/// What an opener does with one operand: a web page is loaded (a GET
/// carrying its query), a file is read by the application it opens in,
/// another scheme (`mailto:`, `vscode://`) goes to its own handler.
fn open_operand(inv: &Invocation<'_>, word: &Arg, outcome: &mut Outcome) {
    match opened(&word.text) {
        Page::Web(target) => outcome.effects.push(page_get(inv, word, &target)),
        Page::File(path) if !path.is_empty() && !word.dynamic => {
            outcome.read(inv.path(&path), false);
        }
        Page::File(_) | Page::Other => {}
    }
}

/// An opener's operand: a URL when it has a scheme (`https://`,
/// `file://`, `mailto:`), else a path. Unlike a browser's, a bare host
/// (`example.com`) is a file name to `open` and `xdg-open`.
fn opened(text: &str) -> Page {
    let Some((scheme, _)) = text.split_once(':') else {
        return Page::File(text.to_owned());
    };
    let is_scheme = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    match scheme.to_ascii_lowercase().as_str() {
        _ if !is_scheme => Page::File(text.to_owned()),
        "http" | "https" | "file" => page(text),
        _ => Page::Other,
    }
}

/// An opener's output: nothing it opens is printed.
fn quiet() -> Outcome {
    Outcome {
        stdout: Some(crate::Payload::default()),
        ..Outcome::default()
    }
}

/// macOS `open [-a APP | -b BUNDLE] [-u URL] [-e|-t|-f|-R|-W|-n|-g|-j|-h]
/// [--env V] [--stdin F] [--stdout F] [--stderr F] FILE|URL... [--args
/// ARG...]`: each operand is opened (`-h` names headers, not files); the
/// words after `--args` go to the application, which loads the web URLs
/// among them (`open -na "Google Chrome" --args --new-window URL`).
/// `--stdin F` is read by the application, `--stdout F` and `--stderr F`
/// written.
fn macos_open(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = quiet();
    let split = inv.args.iter().position(|a| a.text == "--args");
    let (own, app_args) = match split {
        Some(at) => (
            inv.args.get(..at).unwrap_or_default(),
            inv.args.get(at + 1..).unwrap_or_default(),
        ),
        None => (inv.args, &[][..]),
    };
    let items = args::parse(
        own,
        &Spec {
            short: "absu",
            long: &["env", "stdin", "stdout", "stderr", "arch"],
            stop_after: None,
        },
    );
    for (name, value) in args::options(&items) {
        match name {
            "-u" => open_operand(inv, value, &mut outcome),
            "--stdin" => outcome.read(inv.path(&value.text), false),
            "--stdout" | "--stderr" => outcome.write(inv.path(&value.text), false),
            _ => {}
        }
    }
    if !args::has(&items, &["-h", "--header"]) {
        for word in args::positionals(&items) {
            open_operand(inv, word, &mut outcome);
        }
    }
    for word in app_args {
        if let Page::Web(target) = opened(&word.text) {
            outcome.effects.push(page_get(inv, word, &target));
        }
    }
    outcome
}

/// `xdg-open FILE|URL` and its kin (`wslview`, `kde-open`, `exo-open
/// [--launch TYPE] [--working-directory DIR]`): every operand is opened.
fn opener(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = quiet();
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["launch", "working-directory"],
            stop_after: None,
        },
    );
    for word in args::positionals(&items) {
        open_operand(inv, word, &mut outcome);
    }
    outcome
}

/// `gio open URI...`, `kioclient exec URL`, `handlr open URL`: the
/// operands after the subcommand are opened; other subcommands are left
/// to the general reading.
fn subcommand_open(inv: &Invocation<'_>) -> Option<Outcome> {
    let (sub, rest) = inv.args.split_first()?;
    let opens = match inv.program {
        "gio" | "handlr" => sub.text == "open",
        _ => matches!(sub.text.as_str(), "exec" | "openURL"),
    };
    if !opens {
        return None;
    }
    let mut outcome = quiet();
    for word in rest.iter().filter(|w| !w.text.starts_with('-')) {
        open_operand(inv, word, &mut outcome);
    }
    Some(outcome)
}

/// A browser chosen by the system (`sensible-browser URL`, `python -m
/// webbrowser [-n|-t] URL`): each operand is a page, and a bare host is a
/// web page, as a browser reads it.
fn browser_launcher(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = quiet();
    for word in inv.args.iter().filter(|w| !w.text.starts_with('-')) {
        match page(&word.text) {
            Page::Web(target) => outcome.effects.push(page_get(inv, word, &target)),
            Page::File(path) if !path.is_empty() && !word.dynamic => {
                outcome.read(inv.path(&path), false);
            }
            Page::File(_) | Page::Other => {}
        }
    }
    outcome
}

/// cmd's `start ["TITLE"] [/D DIR] [/B] [/WAIT] [/MIN] ... TARGET
/// [ARGS]`: a URL is opened in the browser; a program runs with its
/// arguments. The title is the empty first word cmd's quoting leaves
/// (`start "" URL`); `/D`, `/NODE` and `/AFFINITY` take a value.
fn cmd_start(inv: &Invocation<'_>) -> Outcome {
    let mut words = inv.args.iter().skip_while(|w| w.text.is_empty()).peekable();
    while let Some(word) = words.next_if(|w| w.text.starts_with('/') && w.text.len() > 1) {
        let switch = word.text.to_ascii_lowercase();
        if matches!(switch.as_str(), "/d" | "/node" | "/affinity") {
            words.next();
        }
    }
    let Some(target) = words.next() else {
        return Outcome::default();
    };
    if let Page::Web(url) = opened(&target.text) {
        let mut outcome = quiet();
        outcome.effects.push(page_get(inv, target, &url));
        return outcome;
    }
    let mut argv = vec![target.clone()];
    argv.extend(words.cloned());
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Argv {
        argv,
        env: Vec::new(),
        cwd: None,
    });
    outcome
}

/// `explorer URL` opens the page in the default browser; a folder or
/// file it shows stays local.
fn explorer(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = quiet();
    for word in inv.args {
        if let Page::Web(target) = opened(&word.text) {
            outcome.effects.push(page_get(inv, word, &target));
        }
    }
    outcome
}
