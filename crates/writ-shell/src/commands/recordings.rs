//! Terminal recordings, paste clients and screenshots. `asciinema upload
//! FILE` sends the recording to its server (`--server-url`,
//! `ASCIINEMA_SERVER_URL`, `ASCIINEMA_API_URL`, else asciinema.org), as
//! does `asciinema rec` with no file (asciinema 2 uploads what it
//! recorded) and `asciinema stream --remote`; `asciinema rec FILE` and
//! `ttyrec FILE` write the file, and both run the command they record
//! (`-c`/`--command`, ttyrec's `-e`). `pastebinit` sends its files (`-i`
//! or operands), else standard input, to a pastebin (`-b`, else
//! paste.debian.net). Screenshot tools (`scrot`, `grim`, `maim`,
//! ImageMagick's `import`, macOS's `screencapture`, `gnome-screenshot`,
//! `spectacle`) write their output file (a default one named from the
//! time when none is given, in the directory the tool saves to), print
//! the image with `-`, put it in the clipboard with their clipboard
//! option, and scrot runs its `--exec` command on the file.

use super::clipboard::{ClipboardStep, Selection};
use super::vendor::base_url;
use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "asciinema" => asciinema(inv),
        "ttyrec" => Some(ttyrec(inv)),
        "pastebinit" => Some(pastebinit(inv)),
        "scrot" => Some(scrot(inv)),
        "grim" => Some(grim(inv)),
        "maim" => Some(maim(inv)),
        "import" => Some(import(inv, inv.args)),
        "magick" => match inv.args.split_first() {
            Some((first, rest)) if first.text == "import" => Some(import(inv, rest)),
            _ => None,
        },
        "screencapture" => Some(screencapture(inv)),
        "gnome-screenshot" => Some(gnome_screenshot(inv)),
        "spectacle" => Some(spectacle(inv)),
        _ => None,
    }
}

/// asciinema's server when none is configured.
const ASCIINEMA_SERVER: &str = "https://asciinema.org";

/// asciinema's options that take a value, of every subcommand (2.x and 3.x).
const ASCIINEMA_VALUES: &[&str] = &[
    "command",
    "env",
    "title",
    "idle-time-limit",
    "cols",
    "rows",
    "server-url",
    "output-format",
    "rec-env",
    "window-size",
    "log-file",
    "output-file",
    "speed",
    "out-fmt",
    "format",
];

/// `asciinema rec|upload|stream|session ...`; the other subcommands
/// (`play`, `cat`, `convert`, `auth`) are left to the generic reading.
fn asciinema(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cetisof",
            long: ASCIINEMA_VALUES,
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let (subcommand, operands) = positionals.split_first()?;
    let server = args::value(&items, &["--server-url"])
        .or_else(|| inv.env_value("ASCIINEMA_SERVER_URL"))
        .or_else(|| inv.env_value("ASCIINEMA_API_URL"))
        .map_or_else(|| ASCIINEMA_SERVER.to_owned(), |s| base_url(&s.text));
    let mut outcome = Outcome::default();
    if let Some(command) = args::value(&items, &["-c", "--command"]) {
        outcome.nested.push(Nested::Script {
            text: command.text.clone(),
            what: format!("asciinema {} --command", subcommand.text),
        });
    }
    match subcommand.text.as_str() {
        "upload" => {
            let mut payload = Payload::default();
            for file in operands {
                outcome.read(inv.path(&file.text), false);
                send_file(inv, &mut payload, &file.text, false);
            }
            outcome
                .effects
                .push(request("asciinema", url(&server), "UPLOAD", payload, false));
        }
        "rec" => match operands.first() {
            Some(file) => {
                let append = args::has(&items, &["--append"]);
                outcome.write(inv.path(&file.text), append);
            }
            // asciinema 2 uploads a recording it was given no file for.
            None => upload_recording(&mut outcome, &server),
        },
        "stream" | "session" => {
            if let Some(file) = args::value(&items, &["-o", "--output-file"]) {
                outcome.write(inv.path(&file.text), false);
            }
            if let Some(remote) = stream_remote(&items) {
                let target = remote
                    .filter(|r| r.contains("://"))
                    .map_or_else(|| server.clone(), str::to_owned);
                upload_recording(&mut outcome, &target);
            }
        }
        _ => return None,
    }
    Some(outcome)
}

/// `asciinema stream|session -r [ID|URL]` (`--remote`,
/// `--stream-remote`): streams to the server, or to the URL given.
fn stream_remote<'a>(items: &'a [Item<'a>]) -> Option<Option<&'a str>> {
    let mut remote = None;
    let mut after_flag = false;
    for item in items {
        match item {
            Item::Opt { name, value } => {
                let (name, attached) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (name.as_ref(), None),
                };
                after_flag = matches!(name, "-r" | "--remote" | "--stream-remote");
                if after_flag {
                    let given = attached.or(value.as_ref().map(|v| v.text.as_str()));
                    remote = Some(given);
                }
            }
            // The flag's optional value, written as the next word.
            Item::Pos(word) if after_flag => {
                remote = Some(Some(word.text.as_str()));
                after_flag = false;
            }
            Item::Pos(_) => after_flag = false,
        }
    }
    remote
}

/// A recording sent to `server`: what the recorded command printed.
fn upload_recording(outcome: &mut Outcome, server: &str) {
    outcome.effects.push(request(
        "asciinema",
        url(server),
        "UPLOAD",
        Payload::default(),
        false,
    ));
    outcome.nested_output_sent = true;
}

/// `ttyrec [-a] [-e CMD] [FILE]`: records CMD (else a shell) into FILE
/// (`ttyrecord`), appending with `-a`.
fn ttyrec(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "e",
            long: &[],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if let Some(command) = args::value(&items, &["-e"]) {
        outcome.nested.push(Nested::Script {
            text: command.text.clone(),
            what: "ttyrec -e".to_owned(),
        });
    }
    let file = args::positionals(&items)
        .first()
        .map_or("ttyrecord", |f| f.text.as_str());
    outcome.write(inv.path(file), args::has(&items, &["-a"]));
    outcome
}

/// pastebinit's pastebin when the configuration names none: the one
/// Debian's package uses.
const PASTEBINIT_SERVER: &str = "https://paste.debian.net";

/// `pastebinit [-i FILE] [-b URL] [-t TITLE] [-a AUTHOR] [-u USER -p
/// PASSWORD] [FILE...]`: the files (`-i -` is standard input), else
/// standard input, go to the pastebin with the title, author and login;
/// `-E` prints the text too, `-l` only lists pastebins.
fn pastebinit(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ibatfjmPup",
            long: &[],
            stop_after: None,
        },
    );
    if args::has(&items, &["-l", "-h", "-v"]) {
        return Outcome::default();
    }
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let files: Vec<&Arg> = args::values(&items, &["-i"])
        .into_iter()
        .chain(args::positionals(&items))
        .collect();
    for file in &files {
        if file.text != "-" {
            outcome.read(inv.path(&file.text), false);
        }
        send_file(inv, &mut payload, &file.text, false);
    }
    for value in args::values(&items, &["-t", "-a", "-u", "-p", "-j"]) {
        flow::merge(&mut payload, &value.payload());
    }
    let server = args::value(&items, &["-b"])
        .map_or_else(|| PASTEBINIT_SERVER.to_owned(), |b| base_url(&b.text));
    outcome
        .effects
        .push(request("pastebinit", url(&server), "POST", payload, false));
    if !args::has(&items, &["-E"]) {
        outcome.stdout = Some(Payload::default());
    }
    outcome
}

/// Where a screenshot goes: a file, or standard output (`-`).
enum Shot {
    File(String),
    Stdout,
}

/// A screenshot written as `target` names it; an image format prefix
/// (`png:shot.png`, ImageMagick's) is no part of the path.
fn shot(target: &str) -> Shot {
    let path = match target.split_once(':') {
        Some((format, path))
            if format.len() > 1 && format.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            path
        }
        _ => target,
    };
    if path == "-" {
        Shot::Stdout
    } else {
        Shot::File(path.to_owned())
    }
}

/// The outcome of a screenshot written to `target` (a path as given):
/// the file written, or the image printed. The image's contents are not
/// known.
fn screenshot(inv: &Invocation<'_>, target: &str) -> Outcome {
    let mut outcome = Outcome::default();
    match shot(target) {
        Shot::File(path) => {
            outcome.write(inv.path(&path), false);
            outcome.stdout = Some(Payload::default());
        }
        Shot::Stdout => outcome.stdout = Some(Payload::default()),
    }
    outcome
}

/// A screenshot put in the clipboard, and no file.
fn to_clipboard() -> Outcome {
    Outcome {
        stdout: Some(Payload::default()),
        clipboard: vec![ClipboardStep::Copy {
            selection: Selection::Clipboard,
            payload: Payload::default(),
            append: false,
        }],
        ..Outcome::default()
    }
}

/// `scrot [OPTIONS] [FILE]` (or `-F FILE`): the screenshot goes to FILE,
/// else to a file named from the time in the working directory; `-e CMD`
/// runs CMD through a shell with `$f` the file's name (`$n` its base
/// name, `$$` a `$`); `-t` writes a thumbnail beside it.
fn scrot(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "aCDdeFlMqtwZ",
            long: &[
                "autoselect",
                "class",
                "display",
                "delay",
                "exec",
                "file",
                "line",
                "monitor",
                "quality",
                "thumb",
                "window",
                "compression",
                "format",
            ],
            stop_after: None,
        },
    );
    let file = args::value(&items, &["-F", "--file"])
        .or_else(|| args::positionals(&items).into_iter().next())
        .map_or("%Y-%m-%d-%H%M%S_$wx$h_scrot.png", |f| f.text.as_str());
    let mut outcome = screenshot(inv, file);
    if let Shot::File(path) = shot(file) {
        if args::has(&items, &["-t", "--thumb"]) {
            outcome.write(inv.path(&thumbnail_name(&path)), false);
        }
        if let Some(command) = args::value(&items, &["-e", "--exec"]) {
            outcome.nested.push(Nested::Script {
                text: scrot_command(&command.text, &path),
                what: "scrot --exec".to_owned(),
            });
        }
    }
    outcome
}

/// scrot's thumbnail beside `path`: `shot-thumb.png` for `shot.png`.
fn thumbnail_name(path: &str) -> String {
    let name_start = path.rfind('/').map_or(0, |at| at + 1);
    match path.rfind('.').filter(|dot| *dot > name_start) {
        Some(dot) => {
            let (stem, extension) = path.split_at(dot);
            format!("{stem}-thumb{extension}")
        }
        None => format!("{path}-thumb"),
    }
}

/// scrot's `--exec` text with its specifiers filled in as scrot does,
/// without quoting: `$f` the file, `$n` its name, `$$` a `$`.
fn scrot_command(command: &str, path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut text = String::with_capacity(command.len() + path.len());
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        if c != '$' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('f') => text.push_str(path),
            Some('n') => text.push_str(name),
            Some('$') => text.push('$'),
            Some(other) => {
                text.push('$');
                text.push(other);
            }
            None => text.push('$'),
        }
    }
    text
}

/// `grim [OPTIONS] [FILE]`: the screenshot goes to FILE (`-`: standard
/// output), else to a file named from the time in `GRIM_DEFAULT_DIR`,
/// else `XDG_PICTURES_DIR`, else the working directory.
fn grim(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "sgtqloT",
            long: &[],
            stop_after: None,
        },
    );
    match args::positionals(&items).first() {
        Some(file) => screenshot(inv, &file.text),
        None => {
            let dir = inv
                .env_value("GRIM_DEFAULT_DIR")
                .or_else(|| inv.env_value("XDG_PICTURES_DIR"))
                .map_or(".", |d| d.text.as_str());
            let file = format!("{}/%Y%m%d_%Hh%Mm%Ss_grim.png", dir.trim_end_matches('/'));
            screenshot(inv, &file)
        }
    }
}

/// `maim [OPTIONS] [FILE]`: the screenshot goes to FILE, else to standard
/// output.
fn maim(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "xfigwdmbptcr",
            long: &[
                "xdisplay",
                "format",
                "window",
                "geometry",
                "parent",
                "delay",
                "quality",
                "bordersize",
                "padding",
                "tolerance",
                "color",
                "shader",
            ],
            stop_after: None,
        },
    );
    let file = args::positionals(&items)
        .first()
        .map_or("-", |f| f.text.as_str());
    screenshot(inv, file)
}

/// ImageMagick `import` options that take a value (one dash, or `+`).
const IMPORT_VALUES: &[&str] = &[
    "window",
    "crop",
    "delay",
    "density",
    "depth",
    "display",
    "geometry",
    "quality",
    "resize",
    "rotate",
    "pause",
    "snaps",
    "colors",
    "colorspace",
    "comment",
    "compress",
    "define",
    "dispose",
    "encipher",
    "encoding",
    "endian",
    "filter",
    "format",
    "gravity",
    "interlace",
    "interpolate",
    "label",
    "page",
    "pointsize",
    "sampling-factor",
    "scene",
    "thumbnail",
    "transparent",
    "treedepth",
    "type",
    "virtual-pixel",
    "channel",
    "extract",
];

/// ImageMagick's `import [OPTIONS] FILE` (`magick import`): the last
/// word that is neither an option nor an option's value is the file
/// written.
fn import(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let mut file: Option<&str> = None;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let Some(name) = word.text.strip_prefix(['-', '+']).filter(|n| !n.is_empty()) else {
            file = Some(&word.text);
            continue;
        };
        if IMPORT_VALUES.contains(&name) {
            words.next();
        } else if matches!(name, "limit" | "set") {
            words.next();
            words.next();
        }
    }
    match file {
        Some(file) => screenshot(inv, file),
        None => Outcome::default(),
    }
}

/// macOS `screencapture [-ciCmwsWx...] [FILE...]`: one file per display
/// written; `-c` puts the image in the clipboard instead.
fn screencapture(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "DBJtTlRVG",
            long: &[],
            stop_after: None,
        },
    );
    if args::has(&items, &["-c"]) {
        return to_clipboard();
    }
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    for file in args::positionals(&items) {
        outcome.write(inv.path(&file.text), false);
    }
    outcome
}

/// `gnome-screenshot [-c] [-f FILE] ...`: the screenshot goes to FILE,
/// to the clipboard with `-c`, else to a file named from the time in
/// `~/Pictures`.
fn gnome_screenshot(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "def",
            long: &["delay", "border-effect", "file", "display"],
            stop_after: None,
        },
    );
    if let Some(file) = args::value(&items, &["-f", "--file"]) {
        return screenshot(inv, &file.text);
    }
    if args::has(&items, &["-c", "--clipboard"]) {
        return to_clipboard();
    }
    screenshot(inv, "~/Pictures/Screenshot from %Y-%m-%d %H-%M-%S.png")
}

/// KDE's `spectacle [-b] [-o FILE] [-c]`: the screenshot goes to FILE,
/// or to the clipboard with `-c`/`--clipboard`.
fn spectacle(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "od",
            long: &["output", "delay"],
            stop_after: None,
        },
    );
    if let Some(file) = args::value(&items, &["-o", "--output"]) {
        return screenshot(inv, &file.text);
    }
    if args::has(&items, &["-c", "--clipboard"]) {
        return to_clipboard();
    }
    Outcome::default()
}
