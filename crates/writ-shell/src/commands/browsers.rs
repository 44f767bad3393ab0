//! Browsers run from the command line: headless Chromium, Chrome, Edge
//! and Firefox (`chromium --headless --screenshot=F URL`), wkhtmltopdf and
//! wkhtmltoimage, and Playwright's CLI (`playwright screenshot URL F`).
//! Each loads its pages, a GET whose query carries what a curl GET's would
//! (`...?token=$T` sends the token), and writes the files it renders; a
//! local page it opens is read, and what it renders carries that file.

use super::{Invocation, Outcome, request, url};
use crate::args::{self, Arg, Spec};
use crate::{Payload, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        p if CHROMIUMS.contains(&p) => Some(chromium(inv)),
        p if FIREFOXES.contains(&p) => Some(firefox(inv)),
        "wkhtmltopdf" | "wkhtmltoimage" => Some(wkhtml(inv)),
        "playwright" => playwright(inv),
        _ => None,
    }
}

/// Chromium and the browsers built on it, by the names their launchers
/// have (lowercased: macOS's `.../MacOS/Google Chrome` is `google chrome`).
const CHROMIUMS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "chrome",
    "chrome-headless-shell",
    "headless_shell",
    "google-chrome",
    "google-chrome-stable",
    "google-chrome-beta",
    "google-chrome-unstable",
    "google-chrome-canary",
    "google chrome",
    "google chrome canary",
    "msedge",
    "microsoft-edge",
    "microsoft-edge-stable",
    "microsoft-edge-beta",
    "microsoft-edge-dev",
    "microsoft edge",
    "brave",
    "brave-browser",
    "brave browser",
    "vivaldi",
];

const FIREFOXES: &[&str] = &[
    "firefox",
    "firefox-esr",
    "firefox-bin",
    "firefox-nightly",
    "firefox-developer-edition",
    "librewolf",
];

/// Extensions of documents a browser opens from disk: a word ending in one
/// is a file, not a host (`report.html`, but `example.com`).
const DOCUMENTS: &[&str] = &[
    "html", "htm", "xhtml", "mhtml", "mht", "svg", "xml", "pdf", "txt", "md", "json", "png", "jpg",
    "jpeg", "gif", "webp",
];

/// What a browser operand names: a page on the web, a local file, or
/// something that is neither (`about:blank`, `data:...`).
pub(super) enum Page {
    Web(String),
    File(String),
    Other,
}

/// A browser's operand as the browser reads it: a URL with its scheme, a
/// `file://` URL or a path, a bare host (`example.com/x`, `localhost:3000`)
/// taken as `http://`.
pub(super) fn page(text: &str) -> Page {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Page::Web(text.to_owned());
    }
    if let Some(path) = lower.strip_prefix("file://").map(|_| &text[7..]) {
        return Page::File(path.to_owned());
    }
    if text.contains("://")
        || text == "-"
        || lower.starts_with("about:")
        || lower.starts_with("data:")
    {
        return Page::Other;
    }
    if text.starts_with(['/', '.', '~']) || text.is_empty() {
        return Page::File(text.to_owned());
    }
    let first = text.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = match first.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            (host, true)
        }
        _ => (first, false),
    };
    let tld = host
        .rsplit_once('.')
        .map(|(_, tld)| tld.to_ascii_lowercase());
    let web = host == "localhost"
        || port
        || tld.is_some_and(|tld| {
            tld.len() >= 2
                && tld.bytes().all(|b| b.is_ascii_alphabetic())
                && !DOCUMENTS.contains(&tld.as_str())
        });
    if web {
        Page::Web(format!("http://{text}"))
    } else {
        Page::File(text.to_owned())
    }
}

/// What loading a page sends beyond its URL: its query string (the text
/// after `?`) and the word's expansions, as a curl GET sends them.
fn query_payload(word: &Arg) -> Payload {
    let mut payload = word.expansions();
    if let Some((_, query)) = word.text.split_once('?') {
        flow::push_text(&mut payload, query.split('#').next().unwrap_or_default());
    }
    payload
}

/// The GET that loads the web page `target`, which `word` names: it
/// carries the word's query and expansions (`open URL`, `chromium URL`).
pub(super) fn page_get(inv: &Invocation<'_>, word: &Arg, target: &str) -> crate::Effect {
    request(inv.program, url(target), "GET", query_payload(word), false)
}

/// The pages a browser loads, and what it renders: GETs of the web pages
/// carrying their queries and `sent` (credentials and headers it is
/// given), reads of the local ones, and each output file filled with the
/// local pages.
fn load_pages(inv: &Invocation<'_>, pages: &[&Arg], sent: &Payload, method: &str) -> Outcome {
    let mut outcome = Outcome::default();
    for word in pages {
        match page(&word.text) {
            Page::Web(target) => {
                let mut payload = query_payload(word);
                flow::merge(&mut payload, sent);
                outcome
                    .effects
                    .push(request(inv.program, url(&target), method, payload, false));
            }
            Page::File(path) => outcome.read(inv.path(&path), false),
            Page::Other => {}
        }
    }
    outcome
}

/// Adds the files a browser renders into: written, carrying the local
/// pages it read (and standard input, for a page `-`).
fn rendered(inv: &Invocation<'_>, outcome: &mut Outcome, outputs: Vec<String>, stdin: bool) {
    let mut carries = if stdin {
        inv.stdin.clone()
    } else {
        Payload::default()
    };
    for effect in &outcome.effects {
        if let crate::Effect::Read { file } = effect {
            flow::push_file(&mut carries, file.clone());
        }
    }
    for output in outputs {
        let path = inv.path(&output);
        outcome.write(path.clone(), false);
        if carries != Payload::default() {
            outcome.contents.push((path, carries.clone()));
        }
    }
}

/// Chromium's switches are `--name` or `--name=value` (one dash too), never
/// a value in the next word, so every other word is a page:
/// `--screenshot[=F]` (default `screenshot.png`) and `--print-to-pdf[=F]`
/// (`output.pdf`) write into the working directory, `--dump-dom` prints,
/// `--app=URL` is a page, and `--user-data-dir=D` and `--disk-cache-dir=D`
/// hold the profile the browser writes.
fn chromium(inv: &Invocation<'_>) -> Outcome {
    let mut pages = Vec::new();
    let mut app = Vec::new();
    let mut outputs = Vec::new();
    let mut state = Vec::new();
    let mut only_pages = false;
    for word in inv.args {
        let text = word.text.as_str();
        if only_pages || !text.starts_with('-') || text == "-" {
            pages.push(word);
            continue;
        }
        if text == "--" {
            only_pages = true;
            continue;
        }
        let switch = text.trim_start_matches('-');
        let (name, value) = match switch.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (switch, None),
        };
        match (name, value) {
            ("screenshot", value) => {
                outputs.push(value.unwrap_or("screenshot.png").to_owned());
            }
            ("print-to-pdf", value) => outputs.push(value.unwrap_or("output.pdf").to_owned()),
            ("app", Some(value)) => app.push(word.with_text(value)),
            ("user-data-dir" | "disk-cache-dir", Some(dir)) if !dir.is_empty() => {
                state.push(dir.to_owned());
            }
            _ => {}
        }
    }
    let mut all: Vec<&Arg> = app.iter().collect();
    all.extend(pages);
    let mut outcome = load_pages(inv, &all, &Payload::default(), "GET");
    rendered(inv, &mut outcome, outputs, false);
    for dir in state {
        outcome.write(inv.path(&dir), false);
    }
    outcome
}

/// Firefox takes `-name` or `--name`, some with a value in the next word:
/// `--screenshot [F]` (the next word when it is an image file name, else
/// `screenshot.png`), `--profile D` (the profile it writes), `-P NAME`,
/// `--window-size W,H`, `--search TERM`, `--remote-debugging-port
/// [PORT]`; `--new-tab URL`, `--new-window URL`,
/// `--private-window URL` and `--url URL` name pages.
fn firefox(inv: &Invocation<'_>) -> Outcome {
    let mut pages = Vec::new();
    let mut outputs = Vec::new();
    let mut state = Vec::new();
    let mut words = inv.args.iter().peekable();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if !text.starts_with('-') || text == "-" {
            pages.push(word.clone());
            continue;
        }
        let switch = text.trim_start_matches('-');
        let (name, value) = match switch.split_once('=') {
            Some((name, value)) => (name.to_ascii_lowercase(), Some(word.with_text(value))),
            None => (switch.to_ascii_lowercase(), None),
        };
        match name.as_str() {
            "screenshot" => {
                let next = value.or_else(|| {
                    words
                        .next_if(|next| {
                            !next.text.starts_with('-')
                                && !next.text.contains("://")
                                && paths::has_file_extension(&next.text)
                                && ["png", "jpg", "jpeg"].iter().any(|ext| {
                                    next.text.to_ascii_lowercase().ends_with(&format!(".{ext}"))
                                })
                        })
                        .cloned()
                });
                outputs.push(next.map_or_else(|| "screenshot.png".to_owned(), |v| v.text));
            }
            "profile" => {
                if let Some(dir) = value.or_else(|| words.next().cloned()) {
                    state.push(dir.text);
                }
            }
            "p" | "window-size" | "search" if value.is_none() => {
                words.next();
            }
            "remote-debugging-port" | "start-debugger-server" if value.is_none() => {
                words.next_if(|next| next.text.bytes().all(|b| b.is_ascii_digit()));
            }
            "new-tab" | "new-window" | "private-window" | "url" => {
                if let Some(target) =
                    value.or_else(|| words.next_if(|next| !next.text.starts_with('-')).cloned())
                {
                    pages.push(target);
                }
            }
            _ => {}
        }
    }
    let pages: Vec<&Arg> = pages.iter().collect();
    let mut outcome = load_pages(inv, &pages, &Payload::default(), "GET");
    rendered(inv, &mut outcome, outputs, false);
    for dir in state {
        outcome.write(inv.path(&dir), false);
    }
    outcome
}

/// wkhtmltopdf's and wkhtmltoimage's options that take one value.
const WKHTML_ONE: &[&str] = &[
    "-s",
    "--page-size",
    "--page-height",
    "--page-width",
    "-O",
    "--orientation",
    "-T",
    "--margin-top",
    "-B",
    "--margin-bottom",
    "-L",
    "--margin-left",
    "-R",
    "--margin-right",
    "--title",
    "-d",
    "--dpi",
    "--image-dpi",
    "--image-quality",
    "--outline-depth",
    "--copies",
    "--zoom",
    "--javascript-delay",
    "--window-status",
    "--encoding",
    "--user-style-sheet",
    "--header-html",
    "--footer-html",
    "--header-center",
    "--header-left",
    "--header-right",
    "--footer-center",
    "--footer-left",
    "--footer-right",
    "--header-font-name",
    "--header-font-size",
    "--footer-font-name",
    "--footer-font-size",
    "--header-spacing",
    "--footer-spacing",
    "--minimum-font-size",
    "--viewport-size",
    "--load-error-handling",
    "--load-media-error-handling",
    "-p",
    "--proxy",
    "--bypass-proxy-for",
    "--run-script",
    "--cache-dir",
    "--allow",
    "--xsl-style-sheet",
    "--toc-header-text",
    "--toc-level-indentation",
    "--toc-text-size-shrink",
    "--dump-outline",
    "--dump-default-toc-xsl",
    "--log-level",
    "--checkbox-svg",
    "--checkbox-checked-svg",
    "--radiobutton-svg",
    "--radiobutton-checked-svg",
    "--page-offset",
    "-f",
    "--format",
    "--width",
    "--height",
    "--crop-h",
    "--crop-w",
    "--crop-x",
    "--crop-y",
    "--quality",
    "--username",
    "--password",
    "--cookie-jar",
];

/// wkhtmltopdf's options that take two values (`--post NAME VALUE`).
const WKHTML_TWO: &[&str] = &[
    "--cookie",
    "--custom-header",
    "--post",
    "--post-file",
    "--replace",
];

/// `wkhtmltopdf [OPTIONS] PAGE... OUT` (wkhtmltoimage: one page): the
/// pages are loaded, the last word is the file written (`-` is standard
/// output). `--post NAME VALUE` and `--post-file NAME FILE` make every
/// load a POST carrying them; `--username`, `--password`, `--cookie` and
/// `--custom-header` values go to every page.
fn wkhtml(inv: &Invocation<'_>) -> Outcome {
    let mut positionals: Vec<&Arg> = Vec::new();
    let mut sent = Payload::default();
    let mut post = false;
    let mut extra = Outcome::default();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(word.with_text(value))),
            _ => (text, None),
        };
        if WKHTML_TWO.contains(&name) {
            let first = inline.or_else(|| words.next().cloned());
            let second = words.next();
            match name {
                "--post-file" => {
                    post = true;
                    if let Some(file) = second {
                        extra.read(inv.path(&file.text), false);
                        super::send_file(inv, &mut sent, &file.text, false);
                    }
                }
                "--replace" => {}
                _ => {
                    post |= name == "--post";
                    for value in first.iter().chain(second) {
                        flow::merge(&mut sent, &value.payload());
                    }
                }
            }
        } else if WKHTML_ONE.contains(&name) {
            let value = inline.or_else(|| words.next().cloned());
            if let Some(value) = value {
                match name {
                    "--username" | "--password" => flow::merge(&mut sent, &value.payload()),
                    "--cookie-jar" => {
                        extra.read(inv.path(&value.text), false);
                        extra.write(inv.path(&value.text), false);
                    }
                    "--user-style-sheet" | "--xsl-style-sheet" => {
                        extra.read(inv.path(&value.text), false);
                    }
                    "--header-html" | "--footer-html" => extra_page(inv, &value, &mut extra),
                    _ => {}
                }
            }
        } else if text.starts_with('-') && text != "-" {
            // A switch without a value.
        } else if !matches!(text, "toc" | "cover" | "page") {
            positionals.push(word);
        }
    }
    let output = positionals.pop().filter(|out| out.text != "-");
    let method = if post { "POST" } else { "GET" };
    let mut outcome = load_pages(inv, &positionals, &sent, method);
    for effect in extra.effects {
        outcome.effects.push(effect);
    }
    let stdin = positionals.iter().any(|p| p.text == "-");
    let outputs = output.map(|o| o.text.clone()).into_iter().collect();
    rendered(inv, &mut outcome, outputs, stdin);
    outcome
}

/// A header or footer page (`--header-html URL|FILE`): loaded, or read.
fn extra_page(inv: &Invocation<'_>, value: &Arg, outcome: &mut Outcome) {
    match page(&value.text) {
        Page::Web(target) => outcome.effects.push(page_get(inv, value, &target)),
        Page::File(path) => outcome.read(inv.path(&path), false),
        Page::Other => {}
    }
}

/// Playwright's CLI options that take a value.
const PLAYWRIGHT_VALUES: &[&str] = &[
    "b",
    "browser",
    "channel",
    "color-scheme",
    "device",
    "geolocation",
    "lang",
    "load-storage",
    "proxy-server",
    "proxy-bypass",
    "save-har",
    "save-har-glob",
    "save-storage",
    "timezone",
    "timeout",
    "user-agent",
    "user-data-dir",
    "viewport-size",
    "wait-for-selector",
    "wait-for-timeout",
    "paper-format",
    "o",
    "output",
    "target",
    "test-id-attribute",
];

/// `playwright screenshot URL FILE`, `playwright pdf URL FILE`: the page
/// loaded and the file written; `open`, `codegen` and the browser
/// shortcuts (`cr`, `ff`, `wk`) load their page (codegen writes its
/// `-o` script). `--load-storage F` sends the cookies and tokens F holds
/// to the page; `--save-storage`, `--save-har` and `--user-data-dir`
/// are written. Other subcommands (`install`, `test`) are left to the
/// general reading.
fn playwright(inv: &Invocation<'_>) -> Option<Outcome> {
    let (sub, rest) = inv.args.split_first()?;
    let renders = match sub.text.as_str() {
        "screenshot" | "pdf" => true,
        "open" | "codegen" | "cr" | "ff" | "wk" => false,
        _ => return None,
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "bo",
            long: PLAYWRIGHT_VALUES,
            stop_after: None,
        },
    );
    let mut sent = Payload::default();
    let mut extra = Outcome::default();
    for (name, value) in args::options(&items) {
        match name {
            "--load-storage" => {
                extra.read(inv.path(&value.text), false);
                super::send_file(inv, &mut sent, &value.text, false);
            }
            "--save-storage" | "--save-har" | "--user-data-dir" | "-o" | "--output" => {
                extra.write(inv.path(&value.text), false);
            }
            "--user-agent" => flow::merge(&mut sent, &value.payload()),
            _ => {}
        }
    }
    let mut positionals = args::positionals(&items);
    let output = if renders && positionals.len() >= 2 {
        positionals.pop()
    } else {
        None
    };
    let mut outcome = load_pages(inv, &positionals, &sent, "GET");
    outcome.effects.extend(extra.effects);
    let outputs = output.map(|o| o.text.clone()).into_iter().collect();
    rendered(inv, &mut outcome, outputs, false);
    Some(outcome)
}
