//! E-mail from the command line: `mail`/`mailx`/`s-nail`, `mutt`/`neomutt`,
//! `sendmail`/`msmtp`/`ssmtp`, `swaks`, and the mail clients of
//! `mail/`: himalaya ([`himalaya`]), mblaze ([`mblaze`]), notmuch
//! ([`notmuch`]) and the Google Workspace CLIs `gog`, `gws` and `gam`
//! ([`google`]). Each reports one [`Message`] to its recipients, carrying
//! the subject, the body (standard input, or the file or text the command
//! names) and the attachments: not the addresses of the headers that
//! route it, which are where it goes. Each program's options are read as
//! it reads them (swaks' are Perl's Getopt::Long's).

mod google;
mod himalaya;
mod mblaze;
mod notmuch;

use super::{Invocation, Nested, Outcome, printed_lines, send_file};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Message, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "mail" | "mailx" | "s-nail" | "bsd-mailx" | "nail" => mailx(inv),
        "mutt" | "neomutt" => mutt(inv),
        "sendmail" | "msmtp" | "ssmtp" | "esmtp" => sendmail(inv),
        "swaks" => swaks(inv),
        "himalaya" => himalaya::handle(inv),
        "notmuch" => notmuch::handle(inv),
        "gog" | "gws" | "gam" => return google::handle(inv),
        _ => return mblaze::handle(inv),
    })
}

/// `mail [-s SUBJECT] [-c CC] [-b BCC] [-a|-A FILE] [-r FROM] RCPT...`, the
/// body on standard input. (`-a` attaches in BSD mailx and s-nail, and adds
/// a header in GNU mailutils: either way its value is sent.) `-f`, `-H`,
/// `-e` and `-u` read mailboxes and send nothing. With `-~` (or `-#`) the
/// body's tilde escapes are read ([`tilde_escapes`]).
fn mailx(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "scbaArSqTMu",
            long: &[
                "subject",
                "cc",
                "bcc",
                "attach",
                "append",
                "return-address",
                "content-type",
                "content-filename",
                "from",
                "set",
            ],
            stop_after: None,
        },
    );
    if args::has(&items, &["-f", "--file", "-H", "-e", "-u", "--headers"]) {
        return Outcome::default();
    }
    let mut payload = inv.stdin.clone();
    for subject in args::values(&items, &["-s", "--subject", "--append"]) {
        flow::merge(&mut payload, &subject.payload());
    }
    for file in args::values(&items, &["-a", "-A", "--attach", "-q"]) {
        attach(inv, &mut payload, file);
    }
    let mut recipients = addresses(args::positionals(&items));
    recipients.extend(addresses(args::values(
        &items,
        &["-c", "-b", "--cc", "--bcc"],
    )));
    if !args::has(&items, &["-~", "-#"]) {
        return message(inv, recipients, payload);
    }
    let body = printed_lines(&inv.stdin.text.join("\n"));
    let escapes = tilde_escapes(&body);
    let mut outcome = Outcome::default();
    for command in escapes.commands {
        outcome.nested.push(Nested::Script {
            text: command,
            what: format!("{} tilde escape", inv.program),
        });
    }
    for file in &escapes.written {
        outcome.write(inv.path(file), false);
    }
    if escapes.aborted {
        return outcome;
    }
    for file in &escapes.read {
        send_file(inv, &mut payload, file, false);
    }
    recipients.extend(escapes.recipients);
    outcome
        .effects
        .extend(message(inv, recipients, payload).effects);
    outcome
}

/// What a message's tilde escapes do (s-nail and Heirloom mailx read them
/// from standard input with `-~`, or `-#`): `~!CMD` and `~|CMD` run a
/// command, `~r`/`~<`/`~R FILE` and `~@ FILE...` put a file in the message
/// (`~r !CMD` a command's output), `~w FILE` writes the message to a file,
/// `~t`/`~c`/`~b ADDR...` add recipients, and `~x`/`~q` abandon the
/// message. `~~` starts a line of text.
#[derive(Debug, Default, PartialEq)]
struct TildeEscapes {
    commands: Vec<String>,
    read: Vec<String>,
    written: Vec<String>,
    recipients: Vec<String>,
    aborted: bool,
}

fn tilde_escapes(body: &str) -> TildeEscapes {
    let mut escapes = TildeEscapes::default();
    for line in body.lines() {
        let Some(escape) = line.strip_prefix('~') else {
            continue;
        };
        let mut chars = escape.chars();
        let Some(verb) = chars.next() else {
            continue;
        };
        let rest = chars.as_str().trim();
        match verb {
            '!' | '|' if !rest.is_empty() => escapes.commands.push(rest.to_owned()),
            'r' | '<' | 'R' => match rest.strip_prefix('!') {
                Some(command) => escapes.commands.push(command.trim().to_owned()),
                None if !rest.is_empty() => escapes.read.push(rest.to_owned()),
                None => {}
            },
            '@' => escapes
                .read
                .extend(rest.split_whitespace().map(str::to_owned)),
            'w' if !rest.is_empty() => escapes.written.push(rest.to_owned()),
            't' | 'c' | 'b' => escapes.recipients.extend(split_addresses(rest)),
            'x' | 'q' => {
                escapes.aborted = true;
                break;
            }
            '.' => break,
            _ => {}
        }
    }
    escapes
}

/// `mutt [-s SUBJECT] [-c CC] [-b BCC] [-i FILE] [-a FILE... --] RCPT...`:
/// `-a` takes every word up to `--`; the recipients follow.
fn mutt(inv: &Invocation<'_>) -> Outcome {
    let mut payload = inv.stdin.clone();
    let mut recipients = Vec::new();
    let mut words = inv.args.iter();
    let mut attaching = false;
    let mut only_recipients = false;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if only_recipients {
            recipients.extend(addresses([word]));
            continue;
        }
        match text {
            "--" => only_recipients = true,
            "-a" => attaching = true,
            "-s" | "-c" | "-b" | "-i" | "-H" | "-F" | "-e" | "-f" | "-m" => {
                attaching = false;
                let Some(value) = words.next() else { break };
                match text {
                    "-s" => flow::merge(&mut payload, &value.payload()),
                    "-c" | "-b" => recipients.extend(addresses([value])),
                    "-i" | "-H" => attach(inv, &mut payload, value),
                    // `-f` opens a mailbox to read: nothing is sent.
                    "-f" => return Outcome::default(),
                    _ => {}
                }
            }
            _ if text.starts_with('-') => attaching = false,
            _ if attaching => attach(inv, &mut payload, word),
            _ => recipients.extend(addresses([word])),
        }
    }
    message(inv, recipients, payload)
}

/// `sendmail [-t] [-f FROM] [-F NAME] [-oi] RCPT...` (and msmtp, ssmtp):
/// the message, headers and body, on standard input. With `-t` (`msmtp
/// --read-recipients`) the recipients are its `To:`, `Cc:` and `Bcc:`
/// headers, read from the text when it is on the command line. What the
/// recipients read is the subject and the body: the addresses of the
/// headers that route the message are not its content.
fn sendmail(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "fFBNRVCOXLraq",
            long: &[
                "from",
                "account",
                "host",
                "port",
                "file",
                "auth",
                "user",
                "passwordeval",
                "tls-trust-file",
                "domain",
                "logfile",
            ],
            stop_after: None,
        },
    );
    let mut payload = inv.stdin.clone();
    let mut recipients = addresses(args::positionals(&items));
    if args::has(&items, &["-t", "--read-recipients"]) {
        let named = header_recipients(&payload.text);
        if named.is_empty() && recipients.is_empty() {
            return to_unnamed_recipients(inv, payload);
        }
        recipients.extend(named);
    }
    for text in &mut payload.text {
        *text = without_header_addresses(text);
    }
    message(inv, recipients, payload)
}

/// How a swaks option takes its argument: Getopt::Long's suffixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    /// No suffix: a switch.
    Nothing,
    /// `:s`: the next word, unless that is an option (`-x`) or `--`.
    Optional,
    /// `=s`: the next word, whatever it is.
    Required,
    /// `:i`: the next word when it is a number.
    Number,
}

/// One of swaks' options: its full name first, then its aliases; `list`
/// when each use adds a value instead of replacing the last.
#[derive(Debug)]
struct SwaksOption {
    names: &'static [&'static str],
    takes: Takes,
    list: bool,
}

const fn opt(names: &'static [&'static str], takes: Takes) -> SwaksOption {
    SwaksOption {
        names,
        takes,
        list: false,
    }
}

const fn listed(names: &'static [&'static str], takes: Takes) -> SwaksOption {
    SwaksOption {
        names,
        takes,
        list: true,
    }
}

/// swaks' option table (its `get_option_struct`).
const SWAKS_OPTIONS: &[SwaksOption] = &[
    opt(&["config"], Takes::Optional),
    opt(&["from", "f"], Takes::Optional),
    opt(&["to", "t"], Takes::Optional),
    opt(&["cc"], Takes::Optional),
    opt(&["bcc"], Takes::Optional),
    opt(&["helo", "ehlo", "lhlo", "h"], Takes::Optional),
    opt(&["server", "s"], Takes::Optional),
    opt(&["4"], Takes::Nothing),
    opt(&["6"], Takes::Nothing),
    opt(&["copy-routing"], Takes::Optional),
    opt(&["port", "p"], Takes::Optional),
    opt(&["protocol"], Takes::Required),
    opt(&["data", "d"], Takes::Optional),
    opt(&["dump-as-body", "dab"], Takes::Optional),
    opt(&["dump-as-body-shows-password", "dabsp"], Takes::Nothing),
    opt(&["timeout"], Takes::Optional),
    opt(&["quit-after", "quit", "q"], Takes::Required),
    opt(&["drop-after", "drop", "da"], Takes::Required),
    opt(&["drop-after-send", "das"], Takes::Required),
    opt(&["suppress-data", "n"], Takes::Nothing),
    opt(&["auth", "a"], Takes::Optional),
    opt(&["auth-user", "au"], Takes::Optional),
    opt(&["auth-password", "ap"], Takes::Optional),
    opt(&["auth-map", "am"], Takes::Required),
    opt(&["auth-extra", "ae"], Takes::Required),
    opt(&["auth-hide-password", "ahp"], Takes::Optional),
    opt(&["auth-plaintext", "apt"], Takes::Nothing),
    opt(&["auth-optional", "ao"], Takes::Optional),
    opt(&["auth-optional-strict", "aos"], Takes::Optional),
    opt(&["support"], Takes::Nothing),
    opt(&["local-interface", "li"], Takes::Optional),
    opt(&["local-port", "lport", "lp"], Takes::Optional),
    opt(&["tls"], Takes::Nothing),
    opt(&["tls-optional", "tlso"], Takes::Nothing),
    opt(&["tls-optional-strict", "tlsos"], Takes::Nothing),
    opt(&["tls-on-connect", "tlsc"], Takes::Nothing),
    opt(&["tls-cert"], Takes::Required),
    opt(&["tls-key"], Takes::Required),
    opt(&["tls-chain"], Takes::Required),
    opt(&["tls-protocol", "tlsp"], Takes::Required),
    opt(&["tls-cipher"], Takes::Required),
    opt(&["tls-get-peer-cert"], Takes::Optional),
    opt(&["tls-get-peer-chain"], Takes::Optional),
    opt(&["tls-sni"], Takes::Required),
    opt(&["tls-verify"], Takes::Nothing),
    opt(&["tls-verify-ca"], Takes::Nothing),
    opt(&["tls-verify-host"], Takes::Nothing),
    opt(&["tls-verify-target"], Takes::Required),
    opt(&["tls-ca-path"], Takes::Required),
    opt(&["silent", "S"], Takes::Number),
    opt(&["no-strip-from", "nsf"], Takes::Nothing),
    opt(&["no-hints", "nth"], Takes::Nothing),
    opt(&["no-send-hints", "nsh"], Takes::Nothing),
    opt(&["no-receive-hints", "nrh"], Takes::Nothing),
    opt(&["no-info-hints", "nih"], Takes::Nothing),
    opt(&["hide-receive", "hr"], Takes::Nothing),
    opt(&["hide-send", "hs"], Takes::Nothing),
    opt(&["protect-prompt", "pp"], Takes::Nothing),
    opt(&["hide-informational", "hi"], Takes::Nothing),
    opt(&["hide-all", "ha"], Takes::Nothing),
    opt(&["show-time-lapse", "stl"], Takes::Optional),
    opt(&["version"], Takes::Nothing),
    opt(&["help"], Takes::Nothing),
    opt(&["no-data-fixup", "ndf"], Takes::Nothing),
    opt(&["show-raw-text", "raw"], Takes::Nothing),
    opt(&["output", "output-file"], Takes::Required),
    opt(&["output-file-stdout"], Takes::Required),
    opt(&["output-file-stderr"], Takes::Required),
    opt(&["pipe"], Takes::Optional),
    opt(&["socket"], Takes::Optional),
    opt(&["body"], Takes::Optional),
    listed(&["attach-name"], Takes::Optional),
    listed(&["attach-type"], Takes::Optional),
    listed(&["attach"], Takes::Optional),
    listed(&["attach-body"], Takes::Optional),
    listed(&["add-header", "ah"], Takes::Optional),
    listed(&["header"], Takes::Optional),
    opt(&["dump"], Takes::Optional),
    opt(&["dump-mail"], Takes::Nothing),
    opt(&["pipeline"], Takes::Nothing),
    opt(&["prdr"], Takes::Nothing),
    opt(&["force-getpwuid"], Takes::Nothing),
    listed(&["xclient"], Takes::Optional),
    opt(&["xclient-name"], Takes::Optional),
    opt(&["xclient-addr"], Takes::Optional),
    opt(&["xclient-port"], Takes::Optional),
    opt(&["xclient-proto"], Takes::Optional),
    opt(&["xclient-destaddr"], Takes::Optional),
    opt(&["xclient-destport"], Takes::Optional),
    opt(&["xclient-helo"], Takes::Optional),
    opt(&["xclient-login"], Takes::Optional),
    opt(&["xclient-reverse-name"], Takes::Optional),
    listed(&["xclient-delim"], Takes::Nothing),
    opt(&["xclient-optional"], Takes::Nothing),
    opt(&["xclient-optional-strict"], Takes::Nothing),
    opt(&["xclient-before-starttls"], Takes::Nothing),
    opt(&["xclient-no-verify"], Takes::Nothing),
    opt(&["proxy"], Takes::Optional),
    opt(&["proxy-version"], Takes::Optional),
    opt(&["proxy-family"], Takes::Optional),
    opt(&["proxy-command"], Takes::Optional),
    opt(&["proxy-protocol"], Takes::Optional),
    opt(&["proxy-source"], Takes::Optional),
    opt(&["proxy-source-port"], Takes::Optional),
    opt(&["proxy-dest"], Takes::Optional),
    opt(&["proxy-dest-port"], Takes::Optional),
    opt(&["trigger-deprecation"], Takes::Optional),
];

/// One use of a swaks option: `--no-NAME` (`negated`) takes back what
/// earlier uses gave.
#[derive(Debug)]
struct SwaksUse {
    option: &'static SwaksOption,
    value: Option<Arg>,
    negated: bool,
}

/// swaks' options as swaks reads them: its `SWAKS_OPT_NAME` variables
/// first, then the words, each through Getopt::Long's rules, which it
/// uses without bundling: one dash or two (`-tls` is `--tls`, not `-t
/// ls`), any unambiguous abbreviation (`--att` is not one), `--no-NAME`.
/// Words it would refuse (an unknown option, a stray word) are skipped,
/// so the rest is still read.
fn swaks_uses(inv: &Invocation<'_>) -> Vec<SwaksUse> {
    let mut from_env = Vec::new();
    for (name, value) in inv.env {
        if let Some(option) = name.strip_prefix("SWAKS_OPT_") {
            from_env.push(value.with_text(&format!("--{}", option.replace('_', "-"))));
            if !value.text.is_empty() && value.text != "<>" {
                from_env.push(value.clone());
            }
        }
    }
    let mut uses = swaks_read(swaks_words(&from_env));
    uses.extend(swaks_read(swaks_words(inv.args)));
    uses
}

/// The words as swaks rewrites them before parsing: `-opt=value` split in
/// two, and `--h-NAME VALUE` (`--header-NAME`) made `--header "NAME:
/// VALUE"`.
fn swaks_words(words: &[Arg]) -> Vec<Arg> {
    let mut out: Vec<Arg> = words.to_vec();
    let mut at = 0;
    while at < out.len() {
        let word = out.get(at).cloned().unwrap_or_default();
        if let Some((name, value)) = word.text.split_once('=')
            && name.len() > 1
            && name.starts_with('-')
        {
            out.insert(at + 1, word.with_text(value));
            if let Some(slot) = out.get_mut(at) {
                *slot = word.with_text(name);
            }
        }
        let text = out.get(at).map(|w| w.text.clone()).unwrap_or_default();
        if let Some(header) = header_option(&text) {
            if let Some(slot) = out.get_mut(at) {
                slot.text = "--header".to_owned();
            }
            match out.get_mut(at + 1) {
                Some(next) => next.text = format!("{header}: {}", next.text),
                None => out.push(Arg::literal(&format!("{header}: "))),
            }
        } else if is_no_header_option(&text)
            && let Some(slot) = out.get_mut(at)
        {
            slot.text = "--no-header".to_owned();
        }
        at += 1;
    }
    out
}

/// The header a `--h-NAME`/`--header-NAME` word names.
fn header_option(text: &str) -> Option<&str> {
    let body = text.strip_prefix("--").or_else(|| text.strip_prefix('-'))?;
    let name = body
        .strip_prefix("header-")
        .or_else(|| body.strip_prefix("h-"))?;
    let name = name.strip_suffix(':').unwrap_or(name);
    (!name.is_empty() && !name.contains(':')).then_some(name)
}

/// `--no-h-NAME`, `--no-header-NAME`: every header option taken back.
fn is_no_header_option(text: &str) -> bool {
    let body = text
        .strip_prefix("--")
        .or_else(|| text.strip_prefix('-'))
        .unwrap_or_default();
    body.starts_with("no-h-") || body.starts_with("no-header-")
}

/// Whether Getopt::Long reads a word as an option rather than a value.
fn is_option_word(text: &str) -> bool {
    text.len() > 1 && text.starts_with('-')
}

/// Reads rewritten words into option uses.
fn swaks_read(words: Vec<Arg>) -> Vec<SwaksUse> {
    let mut uses = Vec::new();
    let mut words = words.into_iter().peekable();
    while let Some(word) = words.next() {
        if word.text == "--" {
            break;
        }
        let Some(written) = word
            .text
            .strip_prefix("--")
            .or_else(|| word.text.strip_prefix('-'))
            .filter(|name| !name.is_empty())
        else {
            continue;
        };
        let Some((option, negated)) = swaks_option(written) else {
            continue;
        };
        let value = if negated {
            None
        } else {
            match option.takes {
                Takes::Nothing => None,
                Takes::Required => words.next(),
                Takes::Optional => {
                    words.next_if(|next| next.text != "--" && !is_option_word(&next.text))
                }
                Takes::Number => words.next_if(|next| {
                    !next.text.is_empty() && next.text.chars().all(|c| c.is_ascii_digit())
                }),
            }
        };
        uses.push(SwaksUse {
            option,
            value,
            negated,
        });
    }
    uses
}

/// The option a written name stands for, and whether it is its `no-`
/// form: an exact name first, else the one option every name it begins
/// belongs to.
fn swaks_option(written: &str) -> Option<(&'static SwaksOption, bool)> {
    let forms = || {
        SWAKS_OPTIONS.iter().flat_map(|option| {
            option
                .names
                .iter()
                .map(move |name| (option, false, (*name).to_owned()))
                .chain(
                    option
                        .names
                        .iter()
                        .map(move |name| (option, true, format!("no-{name}"))),
                )
        })
    };
    if let Some((option, negated, _)) = forms().find(|(_, _, name)| name == written) {
        return Some((option, negated));
    }
    let mut hits: Vec<(&'static SwaksOption, bool)> = Vec::new();
    for (option, negated, name) in forms() {
        if name.starts_with(written)
            && !hits
                .iter()
                .any(|(o, n)| std::ptr::eq(*o, option) && *n == negated)
        {
            hits.push((option, negated));
        }
    }
    match hits.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// The values an option holds after every use: the last one's, or every
/// one's for a list; `--no-NAME` clears them.
fn swaks_values<'a>(uses: &'a [SwaksUse], name: &str) -> Vec<&'a Arg> {
    let mut values = Vec::new();
    for used in uses
        .iter()
        .filter(|u| u.option.names.first() == Some(&name))
    {
        if used.negated || !used.option.list {
            values.clear();
        }
        if let Some(value) = &used.value {
            values.push(value);
        }
    }
    values
}

/// Whether an option is in force after every use.
fn swaks_given(uses: &[SwaksUse], name: &str) -> bool {
    uses.iter()
        .rev()
        .find(|u| u.option.names.first() == Some(&name))
        .is_some_and(|u| !u.negated)
}

/// `swaks --to RCPT[,RCPT] [--cc ...] [--bcc ...] [--body TEXT|@FILE]
/// [--attach FILE|@FILE] [--header H] [--data TEXT|@FILE]`, its options
/// read as swaks reads them ([`swaks_uses`]). Nothing is sent when it
/// only prints (`--help`, `--version`, `--support`, `--dump`,
/// `--dump-mail`) or stops before the message (`--quit-after`, a
/// `--drop-after` other than `dot`).
fn swaks(inv: &Invocation<'_>) -> Outcome {
    let uses = swaks_uses(inv);
    let prints = [
        "help",
        "version",
        "support",
        "dump",
        "dump-mail",
        "quit-after",
    ]
    .iter()
    .any(|name| swaks_given(&uses, name));
    let dropped = ["drop-after", "drop-after-send"].iter().any(|name| {
        swaks_values(&uses, name)
            .iter()
            .any(|v| !v.text.eq_ignore_ascii_case("dot"))
    });
    if prints || dropped {
        return Outcome::default();
    }
    let mut payload = inv.stdin.clone();
    for name in ["body", "data", "header", "add-header"] {
        for value in swaks_values(&uses, name) {
            match value.text.strip_prefix('@') {
                Some(file) => attach(inv, &mut payload, &value.with_text(file)),
                None => flow::merge(
                    &mut payload,
                    &value
                        .with_text(&without_header_addresses(&value.text))
                        .payload(),
                ),
            }
        }
    }
    for name in ["attach", "attach-body"] {
        for file in swaks_values(&uses, name) {
            let path = file.text.strip_prefix('@').unwrap_or(&file.text);
            attach(inv, &mut payload, &file.with_text(path));
        }
    }
    // The dump it then mails shows the password.
    if swaks_given(&uses, "dump-as-body-shows-password") {
        for password in swaks_values(&uses, "auth-password") {
            flow::merge(&mut payload, &password.payload());
        }
    }
    let recipients = addresses(
        ["to", "cc", "bcc"]
            .iter()
            .flat_map(|name| swaks_values(&uses, name)),
    );
    message(inv, recipients, payload)
}

/// Sends a file's contents (`-` is standard input, already in the payload).
fn attach(inv: &Invocation<'_>, payload: &mut Payload, file: &Arg) {
    if file.text.is_empty() || file.text == "-" {
        return;
    }
    flow::merge(payload, &file.expansions());
    send_file(inv, payload, &file.text, false);
}

/// Addresses in words that may hold several (`a@x.com,b@y.com`) or a
/// display name (`Bob <bob@x.com>`).
fn addresses<'a>(words: impl IntoIterator<Item = &'a Arg>) -> Vec<String> {
    words
        .into_iter()
        .flat_map(|word| split_addresses(&word.text))
        .collect()
}

/// The addresses of a comma-separated list, each without its display
/// name (`Ann <ann@x.io>, bob@y.io`).
pub(super) fn split_addresses(text: &str) -> Vec<String> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            match (part.rfind('<'), part.rfind('>')) {
                (Some(open), Some(close)) if open < close => {
                    part.get(open + 1..close).unwrap_or_default().trim()
                }
                _ => part,
            }
        })
        .filter(|address| !address.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `To:`, `Cc:` and `Bcc:` header addresses in message text.
fn header_recipients(texts: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for text in texts {
        let text = printed_lines(text);
        for line in text.lines() {
            // Headers end at the first empty line.
            if line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && matches!(
                    name.trim().to_ascii_lowercase().as_str(),
                    "to" | "cc" | "bcc"
                )
            {
                out.extend(split_addresses(value));
            }
        }
    }
    out
}

/// Headers whose addresses say where a message goes or who sent it.
const ROUTING_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "sender",
    "reply-to",
    "return-path",
    "resent-from",
    "resent-sender",
    "resent-to",
    "resent-cc",
    "resent-bcc",
    "delivered-to",
    "errors-to",
    "disposition-notification-to",
];

/// Message text without the addresses of its routing headers (`From:`,
/// `To:`, `Cc:`, ...): they are where it goes, which the recipients
/// judge, not what it says. The header block ends at the first line that
/// is not a header; a routing header left with no words is dropped, and
/// text with none is returned as it was.
fn without_header_addresses(text: &str) -> String {
    let message = printed_lines(text);
    let mut kept: Vec<String> = Vec::with_capacity(message.lines().count());
    let mut in_headers = true;
    let mut routing = false;
    let mut changed = false;
    for line in message.split('\n') {
        if in_headers {
            let continued = line.starts_with([' ', '\t']) && !kept.is_empty();
            let header = if continued { None } else { header_line(line) };
            if let Some((name, _)) = header {
                routing = ROUTING_HEADERS.contains(&name.to_ascii_lowercase().as_str());
            } else if !continued {
                in_headers = false;
            }
            if in_headers && routing {
                changed = true;
                let (name, value) = header.unwrap_or(("", line));
                let rest = without_addresses(value);
                if rest.chars().any(char::is_alphanumeric) {
                    kept.push(if name.is_empty() {
                        rest
                    } else {
                        format!("{name}:{rest}")
                    });
                }
                continue;
            }
        }
        kept.push(line.to_owned());
    }
    if changed {
        kept.join("\n")
    } else {
        text.to_owned()
    }
}

/// A `Name: value` header line, split at its colon.
fn header_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic());
    valid.then_some((name, value))
}

/// Text with its e-mail addresses removed (display names stay).
fn without_addresses(text: &str) -> String {
    let separator = |c: char| c.is_whitespace() || ",;<>\"()".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if separator(c) {
            if !word.contains('@') {
                out.push_str(&word);
            }
            word.clear();
            out.push(c);
        } else {
            word.push(c);
        }
    }
    if !word.contains('@') {
        out.push_str(&word);
    }
    out
}

/// `git send-email [--to A] [--cc B] [--bcc C] PATCH...|REVISIONS`: the
/// patches (files, or commits it formats itself) are the repository's
/// code, mailed to the recipients.
pub(super) fn git_send_email(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "to",
                "cc",
                "bcc",
                "from",
                "subject",
                "in-reply-to",
                "smtp-server",
                "smtp-server-port",
                "smtp-user",
                "smtp-pass",
                "smtp-encryption",
                "smtp-domain",
                "identity",
                "to-cmd",
                "cc-cmd",
                "sender",
                "reply-to",
                "annotate",
                "compose-encoding",
                "transfer-encoding",
                "8bit-encoding",
            ],
            stop_after: None,
        },
    );
    let mut payload = Payload {
        repository: true,
        ..Payload::default()
    };
    for subject in args::values(&items, &["--subject"]) {
        flow::merge(&mut payload, &subject.payload());
    }
    for patch in args::positionals(&items) {
        if !patch.text.starts_with('-') {
            attach(inv, &mut payload, patch);
        }
    }
    let recipients = addresses(args::values(&items, &["--to", "--cc", "--bcc"]));
    message(inv, recipients, payload)
}

/// The message to `recipients`; none named means the program reads mail
/// (`mail`, `mutt` alone) or asks for them: nothing is sent.
fn message(inv: &Invocation<'_>, recipients: Vec<String>, payload: Payload) -> Outcome {
    let mut outcome = Outcome::default();
    if !recipients.is_empty() {
        outcome.effects.push(Effect::Message(Message {
            program: inv.program.to_owned(),
            recipients,
            payload,
        }));
    }
    outcome
}

/// A message whose recipients are in its own headers, which the command
/// line does not show (`sendmail -t < message.eml`): sent, to recipients
/// nobody can check.
fn to_unnamed_recipients(inv: &Invocation<'_>, payload: Payload) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.opaque.push(format!(
        "{} sends mail to recipients the command line does not name",
        inv.program
    ));
    outcome.effects.push(Effect::Message(Message {
        program: inv.program.to_owned(),
        recipients: Vec::new(),
        payload,
    }));
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_on_commas_and_drop_display_names() {
        assert_eq!(
            split_addresses("a@x.com, Bob Smith <bob@y.org>,,"),
            ["a@x.com", "bob@y.org"]
        );
    }

    #[test]
    fn tilde_escapes_run_read_write_address_and_abandon() {
        let escapes = tilde_escapes(
            "hello\n~!git push origin main\n~r .env\n~< !date\n~@ a.pdf b.csv\n\
             ~w copy.txt\n~c c@x.com, d@y.org\n~~r not-a-file\n~.\n~r after-end",
        );
        assert_eq!(
            escapes,
            TildeEscapes {
                commands: vec!["git push origin main".into(), "date".into()],
                read: vec![".env".into(), "a.pdf".into(), "b.csv".into()],
                written: vec!["copy.txt".into()],
                recipients: vec!["c@x.com".into(), "d@y.org".into()],
                aborted: false,
            }
        );
        let abandoned = tilde_escapes("~r secret\n~x\n~!rm -rf x");
        assert!(abandoned.aborted);
        assert!(abandoned.commands.is_empty());
    }

    #[test]
    fn header_recipients_stop_at_the_body() {
        let text =
            "Subject: hi\nTo: a@x.com\ncc: b@y.com, c@z.com\n\nTo: not@header.com\n".to_owned();
        assert_eq!(
            header_recipients(&[text]),
            ["a@x.com", "b@y.com", "c@z.com"]
        );
    }
}
