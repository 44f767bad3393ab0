//! Printing and fax as what they send, and document converters that run
//! code.
//!
//! - The CUPS and BSD/LPRng clients (`lp`, `lpr`, `lpq`, `lpstat`,
//!   `cancel`, `lprm`, `lpadmin`, `cupsctl`) talk to a print server: the
//!   one `-h`/`-H SERVER[:PORT]` names (lpr's `-P QUEUE@HOST` too), else
//!   `CUPS_SERVER`, else this machine's scheduler. A job for a remote
//!   server uploads its files (or standard input) there, with its title
//!   and options; one for the local scheduler only reads them. Queries
//!   are GETs, cancels and administration changes at the server (a local
//!   `lpadmin`/`cupsctl` rewrites the scheduler's configuration file).
//! - `ipptool [-f FILE] URI TEST...` uploads FILE to the URI's host for
//!   tests that may print it; others only query it.
//! - HylaFAX's `sendfax -d NUMBER FILE...` is a message to the numbers,
//!   carrying the files, uploaded to the server `-h [modem@]HOST[:PORT]`
//!   (or `FAXSERVER`) names when that is another host.
//! - Text formatters (`enscript`, `a2ps`) write `-p`/`-o FILE`, print to
//!   standard output for `-`, and otherwise spool to a printer as `lpr`
//!   does; enscript's input filter (`-I CMD`) is a command it runs.
//! - Ghostscript's `-sOutputFile=%pipe%CMD` (`-o |CMD`) runs CMD with the
//!   rendered input files on its standard input.
//! - pandoc downloads URL inputs, runs `--filter PROGRAM`s with the
//!   document on their standard input, and runs Lua filters (`-L`,
//!   `--lua-filter`, a `.lua` `--filter`) as the code they hold, when it
//!   is known (`lua::written_scripts`).

use super::lua::{self, Document};
use super::{Invocation, Nested, Outcome, request, send_file, url, words};
use crate::args::{self, Arg, Item, Spec};
use crate::{Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "lp" => submit(inv, &LP),
        "lpr" => submit(inv, &LPR),
        "lpq" | "lpstat" => query(inv),
        "cancel" | "lprm" => cancel(inv),
        "lpadmin" | "cupsctl" => administer(inv),
        "ipptool" => ipptool(inv),
        "sendfax" => sendfax(inv),
        "enscript" => format_text(inv, &ENSCRIPT),
        "a2ps" => format_text(inv, &A2PS),
        "pandoc" => pandoc(inv)?,
        "gs" | "gsc" | "gswin64c" | "gswin32c" => ghostscript_pipe(inv)?,
        _ => return None,
    })
}

/// A spec whose value-taking options are these short letters.
fn short_options(letters: &'static str) -> Spec<'static> {
    Spec {
        short: letters,
        ..Spec::default()
    }
}

// ---------------------------------------------------------------------
// Print servers.

/// A print or fax server on another host.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Server {
    host: String,
    port: Option<u16>,
}

impl Server {
    /// `HOST[:PORT]`, `[V6]:PORT`, with CUPS's `/version=1.1` suffix;
    /// `None` for this machine: a domain socket's path, `localhost` or a
    /// loopback address.
    fn parse(text: &str) -> Option<Server> {
        let text = text.split("/version=").next().unwrap_or_default().trim();
        if text.is_empty() || text.starts_with('/') || text.starts_with('~') {
            return None;
        }
        let (host, port) = match text.strip_prefix('[') {
            Some(v6) => {
                let (address, after) = v6.split_once(']')?;
                (
                    address,
                    after.strip_prefix(':').and_then(|p| p.parse().ok()),
                )
            }
            None => match text.rsplit_once(':') {
                Some((host, port)) if !host.contains(':') => (host, port.parse().ok()),
                _ => (text, None),
            },
        };
        (!is_local_host(host)).then(|| Server {
            host: host.to_owned(),
            port,
        })
    }

    /// `SCHEME://HOST[:PORT]/PATH`.
    fn url(&self, scheme: &str, path: &str) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(port) => format!("{scheme}://{host}:{port}/{path}"),
            None => format!("{scheme}://{host}/{path}"),
        }
    }
}

/// This machine's names.
fn is_local_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    matches!(
        host.as_str(),
        "localhost" | "localhost.localdomain" | "ip6-localhost" | "::1" | "0.0.0.0"
    ) || host.starts_with("127.")
}

/// The server a CUPS client talks to: its option's, else `CUPS_SERVER`'s
/// (a prefix or exported); `None` for the local scheduler.
fn cups_server(inv: &Invocation<'_>, items: &[Item<'_>], option: &str) -> Option<Server> {
    let named = args::value(items, &[option]).or_else(|| inv.env_value("CUPS_SERVER"))?;
    Server::parse(&named.text)
}

/// A destination written `QUEUE@HOST` (LPRng and BSD lpr): the queue and
/// the server that holds it.
fn lpd_queue(text: &str) -> (&str, Option<Server>) {
    match text.rsplit_once('@') {
        Some((queue, host)) if !queue.is_empty() => (queue, Server::parse(host)),
        _ => (text, None),
    }
}

// ---------------------------------------------------------------------
// Jobs: `lp`, `lpr`.

/// How a spooler client writes its options.
struct Client {
    spec: Spec<'static>,
    /// The option naming the server.
    server: &'static str,
    /// The options naming the queue.
    queue: &'static [&'static str],
    /// Options whose values go to the server with the job (titles,
    /// `-o NAME=VALUE` job options).
    attributes: &'static [&'static str],
}

/// CUPS `lp [-d DEST] [-h SERVER[:PORT]] [-n N] [-o OPT] [-t TITLE] [-H
/// HANDLING] [-P PAGES] [-q PRI] [-U USER] [-i JOB] [FILE...]`.
const LP: Client = Client {
    spec: Spec {
        short: "dhinoqtHPU",
        long: &[],
        stop_after: None,
    },
    server: "-h",
    queue: &["-d"],
    attributes: &["-t", "-o"],
};

/// `lpr [-H SERVER[:PORT]] [-P DEST[@HOST]] [-# N] [-o OPT] [-C|-J|-T
/// TITLE] [-U USER] [FILE...]` (CUPS, BSD and LPRng's common options).
const LPR: Client = Client {
    spec: Spec {
        short: "HUP#oCJTwKZ",
        long: &[],
        stop_after: None,
    },
    server: "-H",
    queue: &["-P"],
    attributes: &["-C", "-J", "-T", "-o", "-Z"],
};

/// Where a job goes: a remote server's queue, or the local scheduler.
fn job_target(inv: &Invocation<'_>, items: &[Item<'_>], client: &Client) -> Option<Target> {
    let queue = args::value(items, client.queue)
        .map(|q| q.text.clone())
        .or_else(|| {
            ["LPDEST", "PRINTER"]
                .iter()
                .find_map(|v| inv.env_value(v).map(|a| a.text.clone()))
        });
    let (queue, lpd) = match &queue {
        Some(text) => {
            let (queue, server) = lpd_queue(text);
            (Some(queue.split('/').next().unwrap_or(queue)), server)
        }
        None => (None, None),
    };
    // A server named by its option or `CUPS_SERVER` wins over `QUEUE@HOST`.
    if let Some(server) = cups_server(inv, items, client.server) {
        let path = queue.map_or_else(String::new, |q| format!("printers/{q}"));
        return Some(url(&server.url("ipp", &path)));
    }
    let server = lpd?;
    Some(url(&server.url("lpd", queue.unwrap_or_default())))
}

/// `lp`/`lpr`: a job to a remote server uploads its files (standard input
/// when it names none) there; a local job reads them.
fn submit(inv: &Invocation<'_>, client: &Client) -> Outcome {
    let items = args::parse(inv.args, &client.spec);
    let files: Vec<&Arg> = args::positionals(&items);
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    let mut payload = Payload::default();
    for file in &files {
        if file.text == "-" {
            continue;
        }
        outcome.read(inv.path(&file.text), false);
        flow::merge(&mut payload, &file.expansions());
        send_file(inv, &mut payload, &file.text, false);
    }
    if let Some(target) = job_target(inv, &items, client) {
        for value in args::values(&items, client.attributes) {
            flow::merge(&mut payload, &value.payload());
        }
        outcome
            .effects
            .push(request(inv.program, target, "UPLOAD", payload, false));
    }
    outcome
}

// ---------------------------------------------------------------------
// Queries, cancels, administration.

/// `lpq [-h SERVER] [-P DEST]`, `lpstat [-h SERVER] ...`: a query of a
/// remote server is a GET; of the local scheduler, nothing leaves.
fn query(inv: &Invocation<'_>) -> Outcome {
    let (spec, queue_option) = match inv.program {
        "lpq" => ("hPU", "-P"),
        _ => ("hUW", ""),
    };
    let items = args::parse(inv.args, &short_options(spec));
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    let remote = cups_server(inv, &items, "-h")
        .or_else(|| args::value(&items, &[queue_option]).and_then(|q| lpd_queue(&q.text).1));
    if let Some(server) = remote {
        outcome.effects.push(request(
            inv.program,
            url(&server.url("ipp", "")),
            "GET",
            Payload::default(),
            false,
        ));
    }
    outcome
}

/// `cancel [-h SERVER] [-a] [-u USER] [JOB|DEST...]`, `lprm [-h SERVER]
/// [-P DEST] [JOB...]`: a change at a remote server.
fn cancel(inv: &Invocation<'_>) -> Outcome {
    let spec = if inv.program == "lprm" { "hPU" } else { "hUu" };
    let items = args::parse(inv.args, &short_options(spec));
    let remote = cups_server(inv, &items, "-h")
        .or_else(|| args::value(&items, &["-P"]).and_then(|q| lpd_queue(&q.text).1));
    let mut outcome = Outcome::default();
    if let Some(server) = remote {
        let mut payload = Payload::default();
        for job in args::positionals(&items) {
            flow::merge(&mut payload, &job.payload());
        }
        outcome.effects.push(request(
            inv.program,
            url(&server.url("ipp", "jobs")),
            "SEND",
            payload,
            false,
        ));
    }
    outcome
}

/// The scheduler's configuration files, which `lpadmin` and `cupsctl`
/// rewrite.
const PRINTERS_CONF: &str = "/etc/cups/printers.conf";
const CUPSD_CONF: &str = "/etc/cups/cupsd.conf";

/// `lpadmin [-h SERVER] -p|-x|-d|-c|-r ... [-P PPD] [-i INTERFACE] [-v
/// URI] ...` and `cupsctl [-h SERVER] [--[no-]SETTING] [NAME=VALUE]...`:
/// a change at a remote server (carrying the PPD or interface files and
/// the settings), or to the local scheduler's configuration. `cupsctl`
/// without settings only prints them.
fn administer(inv: &Invocation<'_>) -> Outcome {
    let lpadmin = inv.program == "lpadmin";
    let spec = if lpadmin { "hUpxdcrvmPioulDLR" } else { "hU" };
    let items = args::parse(inv.args, &short_options(spec));
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut changes = lpadmin;
    for file in args::values(&items, &["-P", "-i"]) {
        outcome.read(inv.path(&file.text), false);
        send_file(inv, &mut payload, &file.text, false);
    }
    for item in &items {
        match item {
            Item::Opt { name, value } if !matches!(name.as_ref(), "-h" | "-U" | "-E") => {
                changes |= name.starts_with("--");
                if let Some(value) = value {
                    flow::merge(&mut payload, &value.payload());
                }
            }
            Item::Pos(setting) => {
                changes = true;
                flow::merge(&mut payload, &setting.payload());
            }
            Item::Opt { .. } => {}
        }
    }
    if !changes {
        outcome.stdout = Some(Payload::default());
        return outcome;
    }
    match cups_server(inv, &items, "-h") {
        Some(server) => outcome.effects.push(request(
            inv.program,
            url(&server.url("ipp", "admin")),
            "SEND",
            payload,
            false,
        )),
        None => {
            let conf = if lpadmin { PRINTERS_CONF } else { CUPSD_CONF };
            outcome.write(conf.to_owned(), false);
        }
    }
    outcome
}

// ---------------------------------------------------------------------
// ipptool.

/// Test names that only ask the printer (`get-jobs.test`,
/// `validate-job.test`): the others may send the `-f` file.
const QUERY_TESTS: &[&str] = &["get-", "validate-", "identify-", "cancel-"];

/// `ipptool [-tvq...] [-d NAME=VALUE] [-f FILE] [-P PLIST] [-T SECS] [-V
/// VERSION] [-i SECS] [-n N] URI TEST...`.
fn ipptool(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "PTVdfin",
            long: &["ippserver"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome {
        stdout: Some(Payload::default()),
        ..Outcome::default()
    };
    let positional = args::positionals(&items);
    let file = args::value(&items, &["-f"]);
    if let Some(file) = file {
        outcome.read(inv.path(&file.text), false);
    }
    for report in args::values(&items, &["-P", "--ippserver"]) {
        outcome.write(inv.path(&report.text), false);
    }
    let Some((uri, tests)) = positional.split_first() else {
        return outcome;
    };
    for test in tests.iter().filter(|t| t.text.contains('/')) {
        outcome.read(inv.path(&test.text), false);
    }
    let remote = super::sql::uri_host(&uri.text).is_some_and(|host| !is_local_host(&host));
    if !remote {
        return outcome;
    }
    let prints = tests.iter().any(|test| {
        let name = crate::paths::basename(&test.text);
        !QUERY_TESTS.iter().any(|prefix| name.starts_with(prefix))
    });
    let effect = match file {
        Some(file) if prints => {
            let mut payload = Payload::default();
            flow::merge(&mut payload, &file.expansions());
            send_file(inv, &mut payload, &file.text, false);
            for variable in args::values(&items, &["-d"]) {
                flow::merge(&mut payload, &variable.payload());
            }
            request(inv.program, url(&uri.text), "UPLOAD", payload, false)
        }
        _ => request(
            inv.program,
            url(&uri.text),
            "GET",
            Payload::default(),
            false,
        ),
    };
    outcome.effects.push(effect);
    outcome
}

// ---------------------------------------------------------------------
// HylaFAX.

/// `sendfax [-d [NAME@]NUMBER]... [-h [MODEM@]HOST[:PORT]] [-c COMMENTS]
/// [-r REGARDING] [-x COMPANY] [-C COVER] [-z LIST] [FILE...]` (standard
/// input when no file is named): a fax to each number, through the
/// server.
fn sendfax(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &short_options("abBcCdfFhiIkMoOPrsStTUVWxXyYz"));
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let files = args::positionals(&items);
    for file in &files {
        outcome.read(inv.path(&file.text), false);
        flow::merge(&mut payload, &file.expansions());
        send_file(inv, &mut payload, &file.text, false);
    }
    if files.is_empty() {
        flow::merge(&mut payload, inv.stdin);
    }
    for file in args::values(&items, &["-C", "-z"]) {
        outcome.read(inv.path(&file.text), false);
    }
    // The cover page's text.
    for text in args::values(&items, &["-c", "-r", "-x", "-X"]) {
        flow::merge(&mut payload, &text.payload());
    }
    let numbers: Vec<String> = args::values(&items, &["-d"])
        .iter()
        .map(|d| d.text.rsplit('@').next().unwrap_or_default().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    let server = args::value(&items, &["-h"])
        .or_else(|| inv.env_value("FAXSERVER"))
        .and_then(|h| Server::parse(h.text.rsplit('@').next().unwrap_or_default()));
    if let Some(server) = server {
        let target = Target::Host {
            user: None,
            host: server.host,
            port: server.port,
            path: None,
        };
        outcome.effects.push(request(
            inv.program,
            target,
            "UPLOAD",
            payload.clone(),
            false,
        ));
    }
    outcome.effects.push(crate::Effect::Message(crate::Message {
        program: inv.program.to_owned(),
        recipients: numbers,
        payload,
    }));
    outcome
}

// ---------------------------------------------------------------------
// Text formatters.

/// How a text-to-PostScript formatter writes its options.
struct Formatter {
    spec: Spec<'static>,
    /// Options naming the output file (`-` for standard output).
    output: &'static [&'static str],
    /// Options naming the printer it spools to otherwise.
    printer: &'static [&'static str],
    /// Options whose value is a command each input is read through.
    filter: &'static [&'static str],
}

/// `enscript [-p|-o FILE] [-P|-d PRINTER] [-I FILTER] [FILE...]`.
const ENSCRIPT: Formatter = Formatter {
    spec: Spec {
        short: "#aAbdDfFiIJLMnNopPsStTUWX",
        long: &[
            "output",
            "printer",
            "font",
            "header-font",
            "title",
            "media",
            "pages",
            "copies",
            "filter",
            "header",
            "footer",
            "encoding",
            "style",
            "indent",
            "tabsize",
            "lines-per-page",
            "underlay",
            "baselineskip",
            "margins",
            "nup",
            "non-printable-format",
            "printer-options",
        ],
        stop_after: None,
    },
    output: &["-p", "-o", "--output"],
    printer: &["-P", "-d", "--printer"],
    filter: &["-I", "--filter"],
};

/// `a2ps [-o FILE] [-P PRINTER] [FILE...]`.
const A2PS: Formatter = Formatter {
    spec: Spec {
        short: "oPnAfLlTMsSXtD",
        long: &[
            "output",
            "printer",
            "copies",
            "title",
            "medium",
            "encoding",
            "font-size",
            "lines-per-page",
            "chars-per-line",
            "columns",
            "rows",
            "sides",
            "tabsize",
            "file-align",
            "define",
            "prologue",
            "left-title",
            "right-title",
            "center-title",
            "left-footer",
            "right-footer",
            "footer",
            "stdin",
            "non-printable-format",
        ],
        stop_after: None,
    },
    output: &["-o", "--output"],
    printer: &["-P", "--printer"],
    filter: &[],
};

/// A formatter: its inputs (standard input when none) go to the output
/// file, to standard output, or to a printer as `lpr` sends them.
fn format_text(inv: &Invocation<'_>, formatter: &Formatter) -> Outcome {
    let items = args::parse(inv.args, &formatter.spec);
    let inputs = args::positionals(&items);
    let mut outcome = Outcome::default();
    let mut carried = Payload::default();
    for input in &inputs {
        super::transform::take_input(inv, &mut outcome, &mut carried, &input.text, false);
    }
    if inputs.is_empty() {
        flow::merge(&mut carried, inv.stdin);
    }
    if let Some(filter) = args::value(&items, formatter.filter) {
        input_filter(inv, &filter.text, &inputs, &mut outcome);
    }
    let output = args::value(&items, formatter.output).map(|o| o.text.as_str());
    let destination = match output {
        Some(text) => super::transform::Destination::named(inv, text),
        None => {
            spool(
                inv,
                &items,
                formatter.printer,
                carried.clone(),
                &mut outcome,
            );
            super::transform::Destination::Nothing
        }
    };
    super::transform::emit(&mut outcome, destination, carried);
    outcome
}

/// enscript's `-I FILTER`: run for each input, `%s` its name (standard
/// input when it has none).
fn input_filter(inv: &Invocation<'_>, filter: &str, inputs: &[&Arg], outcome: &mut Outcome) {
    let runs: Vec<String> = if inputs.is_empty() {
        vec![filter.to_owned()]
    } else {
        inputs
            .iter()
            .map(|input| {
                let path = words::quote(&inv.path(&input.text));
                if filter.contains("%s") {
                    filter.replace("%s", &path)
                } else {
                    format!("{{ {filter}\n}} < {path}")
                }
            })
            .collect()
    };
    for text in runs {
        outcome.nested.push(Nested::Script {
            text,
            what: format!("{}'s input filter", inv.program),
        });
    }
}

/// A formatter's output spooled as `lpr -P PRINTER` sends it: to the
/// server `CUPS_SERVER` or `PRINTER@HOST` names, or the local scheduler.
fn spool(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    printer: &[&str],
    carried: Payload,
    outcome: &mut Outcome,
) {
    let queue = args::value(items, printer).map(|p| p.text.as_str());
    let remote = inv
        .env_value("CUPS_SERVER")
        .and_then(|s| Server::parse(&s.text))
        .map(|server| {
            let path = queue.map_or_else(String::new, |q| format!("printers/{}", lpd_queue(q).0));
            server.url("ipp", &path)
        })
        .or_else(|| {
            let (queue, server) = lpd_queue(queue?);
            server.map(|s| s.url("lpd", queue))
        });
    if let Some(target) = remote {
        outcome
            .effects
            .push(request(inv.program, url(&target), "UPLOAD", carried, false));
    }
}

// ---------------------------------------------------------------------
// Ghostscript's output pipe.

/// The command an output runs: `%pipe%CMD` or `|CMD`.
fn pipe_command(output: &str) -> Option<&str> {
    output
        .strip_prefix("%pipe%")
        .or_else(|| output.strip_prefix('|'))
        .map(str::trim_start)
        .filter(|command| !command.is_empty())
}

/// `gs ... -sOutputFile=%pipe%CMD FILE...` (`-o %pipe%CMD`, `|CMD`): what
/// Ghostscript does without the output, and CMD run with the files it
/// renders on its standard input. `None` when the output is no pipe.
fn ghostscript_pipe(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut output: Option<(usize, usize)> = None;
    let mut index = 0;
    while let Some(word) = inv.args.get(index) {
        let text = word.text.as_str();
        let taken = if text == "-o" || text == "-sOutputFile" {
            2
        } else if text.starts_with("-sOutputFile=") || (text.starts_with("-o") && text.len() > 2) {
            1
        } else {
            0
        };
        if taken > 0 {
            output = Some((index, taken));
        }
        index += taken.max(1);
    }
    let (at, taken) = output?;
    let word = inv.args.get(at + taken - 1)?.text.as_str();
    let value = if taken == 2 {
        word
    } else {
        word.strip_prefix("-sOutputFile=")
            .or_else(|| word.strip_prefix("-o"))
            .unwrap_or(word)
    };
    let command = pipe_command(value)?;
    let rest: Vec<Arg> = inv
        .args
        .iter()
        .enumerate()
        .filter(|(i, _)| !(at..at + taken).contains(i))
        .map(|(_, a)| a.clone())
        .collect();
    let mut outcome = super::transform::handle(&inv.with_args(&rest))?;
    let rendered = Document {
        files: outcome
            .effects
            .iter()
            .filter_map(|effect| match effect {
                crate::Effect::Read { file } => Some(file.path.clone()),
                _ => None,
            })
            .collect(),
    };
    outcome.nested.push(Nested::Script {
        text: rendered.feed(command),
        what: format!("{}'s output pipe", inv.program),
    });
    Some(outcome)
}

// ---------------------------------------------------------------------
// pandoc.

/// pandoc's options that take a value.
fn pandoc_items(args: &[Arg]) -> Vec<Item<'_>> {
    args::parse(
        args,
        &Spec {
            short: "frtwodMVDcHBAFTL",
            long: super::transform::PANDOC_VALUES,
            stop_after: None,
        },
    )
}

/// The document pandoc reads: its input files (standard input when it
/// names none, or only URLs).
fn pandoc_document(inv: &Invocation<'_>, items: &[Item<'_>]) -> Document {
    Document {
        files: args::positionals(items)
            .into_iter()
            .filter(|a| !a.text.contains("://") && a.text != "-")
            .map(|a| inv.path(&a.text))
            .collect(),
    }
}

/// A `--filter`'s value that is a Lua filter (pandoc reads `.lua` ones
/// as Lua).
fn is_lua_file(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".lua")
}

/// The Lua filters a pandoc command runs, as paths, with its document.
pub(super) fn pandoc_lua_filters(inv: &Invocation<'_>) -> Option<(Vec<String>, Document)> {
    if inv.program != "pandoc" {
        return None;
    }
    let items = pandoc_items(inv.args);
    let filters: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Opt {
                name,
                value: Some(value),
            } if matches!(name.as_ref(), "-L" | "--lua-filter")
                || (matches!(name.as_ref(), "-F" | "--filter") && is_lua_file(&value.text)) =>
            {
                Some(inv.path(&value.text))
            }
            _ => None,
        })
        .collect();
    (!filters.is_empty()).then(|| (filters, pandoc_document(inv, &items)))
}

/// The interpreter pandoc runs a JSON filter with, by its extension.
fn filter_interpreter(name: &str) -> Option<&'static str> {
    let (_, extension) = name.rsplit_once('.')?;
    Some(match extension.to_ascii_lowercase().as_str() {
        "py" => "python3",
        "hs" => "runhaskell",
        "js" => "node",
        "pl" => "perl",
        "php" => "php",
        "rb" => "ruby",
        "r" => "Rscript",
        _ => return None,
    })
}

/// pandoc: the converter's reading and writing, plus the URLs it
/// downloads (with its `--request-header`s), the JSON filters it runs
/// with the document on their standard input, and its Lua filters.
fn pandoc(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut outcome = super::transform::handle(inv)?;
    let items = pandoc_items(inv.args);
    let mut headers = Payload::default();
    for header in args::values(&items, &["--request-header"]) {
        flow::merge(&mut headers, &header.payload());
    }
    for input in args::positionals(&items) {
        if input.text.starts_with("http://") || input.text.starts_with("https://") {
            outcome.effects.push(request(
                inv.program,
                url(&input.text),
                "GET",
                headers.clone(),
                false,
            ));
        }
    }
    let document = pandoc_document(inv, &items);
    for filter in args::values(&items, &["-F", "--filter"]) {
        let name = filter.text.as_str();
        let path = inv.path(name);
        if is_lua_file(name) {
            outcome.read(path.clone(), false);
            continue;
        }
        let command = match filter_interpreter(name) {
            Some(interpreter) => format!("{interpreter} {}", words::quote(&path)),
            None if name.contains('/') => words::quote(&path),
            None => words::quote(name),
        };
        outcome.nested.push(Nested::Script {
            text: document.feed(&command),
            what: "a pandoc filter".to_owned(),
        });
    }
    if let Some((filters, _)) = pandoc_lua_filters(inv) {
        for path in filters {
            outcome.opaque.push(lua::ran_note(inv.program, &path));
        }
    }
    Some(outcome)
}
