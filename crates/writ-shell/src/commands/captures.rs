//! Packet captures and network scanners: the files they write
//! (`tcpdump -w FILE`, `tshark -w`, `nmap -oN FILE`, `-oA BASE`'s three
//! files, `masscan -oJ FILE`, `zmap -o`, `nuclei -o`, `ffuf -o`) are
//! writes, the captures and lists they read (`tcpdump -r FILE`, `nmap
//! -iL FILE`, `ffuf -w WORDLIST`) reads, and their targets (hosts,
//! ranges, filter expressions) no files at all. A web fuzzer's requests
//! are HTTP requests with the method and body it is given (`ffuf -X POST
//! -d 'user=admin&pass=FUZZ' -u URL`, `wfuzz -d`, `gobuster fuzz -m POST
//! -B BODY`), as curl's are; without them, GETs.

use super::{Invocation, Nested, Outcome, request, url};
use crate::args::{self, Item, Spec};
use crate::{Payload, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "tcpdump" => tcpdump(inv),
        "tshark" => tshark(inv),
        "dumpcap" => {
            let items = args::parse(
                inv.args,
                &Spec {
                    short: "aAbBcCfFikNswyZ",
                    long: &[
                        "interface",
                        "capture-comment",
                        "temp-dir",
                        "ifname",
                        "ifdescr",
                        "log-file",
                        "log-level",
                    ],
                    stop_after: None,
                },
            );
            let mut outcome = capture(inv, &items, &["-w"], &[]);
            for log in args::values(&items, &["--log-file"]) {
                write_file(inv, &mut outcome, &log.text, false);
            }
            outcome
        }
        "ngrep" => {
            let items = args::parse(
                inv.args,
                &Spec {
                    short: "AcdFInOsSPW",
                    long: &[],
                    stop_after: None,
                },
            );
            let mut outcome = capture(inv, &items, &["-O"], &["-I"]);
            for filter in args::values(&items, &["-F"]) {
                read_file(inv, &mut outcome, &filter.text);
            }
            outcome
        }
        "editcap" | "reordercap" | "text2pcap" => convert_capture(inv),
        "mergecap" => {
            let items = args::parse(
                inv.args,
                &Spec {
                    short: "wFIsT",
                    long: &[],
                    stop_after: None,
                },
            );
            let mut outcome = Outcome::default();
            let mut holds = Payload::default();
            for input in args::positionals(&items) {
                read_into(inv, &mut outcome, &mut holds, &input.text);
            }
            for output in args::values(&items, &["-w"]) {
                fill(inv, &mut outcome, &output.text, &holds);
            }
            outcome
        }
        "nmap" => {
            let mut outcome = report_options(inv, NMAP);
            nmap_http_put(inv, &mut outcome);
            outcome
        }
        "masscan" => report_options(inv, MASSCAN),
        "zmap" => zmap(inv),
        program => web_scanner(inv, scanner_table(program)?),
    })
}

/// Writes the file `text` names (nothing for `-`, standard output).
fn write_file(inv: &Invocation<'_>, outcome: &mut Outcome, text: &str, append: bool) {
    if text.is_empty() || text == "-" {
        return;
    }
    let path = inv.path(text);
    if !paths::is_special_device(&path) {
        outcome.write(path, append);
    }
}

/// Reads the file `text` names (nothing for `-`, standard input).
fn read_file(inv: &Invocation<'_>, outcome: &mut Outcome, text: &str) {
    if !text.is_empty() && text != "-" {
        outcome.read(inv.path(text), false);
    }
}

/// Reads a capture whose packets go into what the command writes: `-`
/// is standard input.
fn read_into(inv: &Invocation<'_>, outcome: &mut Outcome, holds: &mut Payload, text: &str) {
    if text == "-" {
        flow::merge(holds, inv.stdin);
    } else if !text.is_empty() {
        let path = inv.path(text);
        outcome.read(path.clone(), false);
        flow::merge(holds, &flow::file_payload(path, false));
    }
}

/// Writes a capture holding `holds`; `-` is standard output.
fn fill(inv: &Invocation<'_>, outcome: &mut Outcome, text: &str, holds: &Payload) {
    if text == "-" {
        outcome.stdout = Some(holds.clone());
        return;
    }
    write_file(inv, outcome, text, false);
    if !text.is_empty() && !holds.is_empty() {
        outcome.contents.push((inv.path(text), holds.clone()));
    }
    outcome.stdout.get_or_insert_with(Payload::default);
}

/// A capture tool: the `inputs` options' captures are read, and what it
/// writes to the `outputs` options' files holds their packets (or the
/// wire's, which no file holds).
fn capture(inv: &Invocation<'_>, items: &[Item<'_>], outputs: &[&str], inputs: &[&str]) -> Outcome {
    let mut outcome = Outcome::default();
    let mut holds = Payload::default();
    for input in args::values(items, inputs) {
        read_into(inv, &mut outcome, &mut holds, &input.text);
    }
    for output in args::values(items, outputs) {
        fill(inv, &mut outcome, &output.text, &holds);
    }
    outcome
}

/// `tcpdump [OPTIONS] [EXPRESSION]`: `-w FILE` writes the capture, `-r
/// FILE` reads one, `-F FILE` reads the filter and `-V FILE` a list of
/// captures; the expression names hosts and ports, not files. `-z CMD`
/// runs CMD on each finished capture file.
fn tcpdump(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "BcCEFGijmMQrsTVwWyzZ",
            long: &[
                "buffer-size",
                "count",
                "direction",
                "interface",
                "snapshot-length",
                "time-stamp-precision",
                "time-stamp-type",
                "relinquish-privileges",
                "print-sampling",
                "skip",
            ],
            stop_after: None,
        },
    );
    let mut outcome = capture(inv, &items, &["-w"], &["-r"]);
    for list in args::values(&items, &["-F", "-V"]) {
        read_file(inv, &mut outcome, &list.text);
    }
    if let (Some(command), Some(file)) = (
        args::value(&items, &["-z"]),
        args::value(&items, &["-w"]).filter(|f| f.text != "-"),
    ) {
        outcome.nested.push(Nested::Argv {
            argv: vec![command.clone(), file.clone()],
            env: Vec::new(),
            cwd: None,
        });
    }
    outcome
}

/// `tshark`: `-w FILE` writes the capture, `-r FILE` reads one; `-H`
/// (hosts), `-K` (keytab), `-X lua_script:FILE` and a `-o
/// tls.keylog_file:FILE` preference read files; `--export-objects
/// PROTO,DIR` writes the objects into DIR, `--log-file` and
/// `--export-tls-session-keys` their files. Filters are no files.
fn tshark(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "aAbBcCdeEfFHiKjJMNoOrRsStTUwWXyYz",
            long: &[
                "interface",
                "export-objects",
                "export-tls-session-keys",
                "temp-dir",
                "log-file",
                "log-level",
                "log-domains",
                "log-debug",
                "log-noisy",
                "log-fatal",
                "capture-comment",
                "disable-protocol",
                "enable-protocol",
                "enable-heuristic",
                "disable-heuristic",
                "elastic-mapping-filter",
                "compress",
                "hexdump",
            ],
            stop_after: None,
        },
    );
    let mut outcome = capture(inv, &items, &["-w"], &["-r"]);
    for file in args::values(&items, &["-H", "-K"]) {
        read_file(inv, &mut outcome, &file.text);
    }
    for extension in args::values(&items, &["-X"]) {
        if let Some(script) = extension.text.strip_prefix("lua_script:") {
            read_file(inv, &mut outcome, script);
        }
    }
    for preference in args::values(&items, &["-o"]) {
        if let Some((name, file)) = preference.text.split_once(':')
            && name.ends_with("keylog_file")
        {
            read_file(inv, &mut outcome, file);
        }
    }
    for export in args::values(&items, &["--export-objects"]) {
        if let Some((_, dir)) = export.text.split_once(',') {
            write_file(inv, &mut outcome, dir, false);
        }
    }
    for file in args::values(&items, &["--log-file", "--export-tls-session-keys"]) {
        write_file(inv, &mut outcome, &file.text, false);
    }
    outcome
}

/// `editcap IN OUT`, `reordercap IN OUT`, `text2pcap IN OUT`: OUT holds
/// what IN holds (`-` is standard input or output). editcap's
/// `--inject-secrets TYPE,FILE` puts FILE's secrets in it too.
fn convert_capture(inv: &Invocation<'_>) -> Outcome {
    let short = match inv.program {
        "editcap" => "aABcCDEFiIosStTw",
        "text2pcap" => "oFeimPsStTul46NErb",
        _ => "",
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short,
            long: &["inject-secrets", "seed", "compress"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let mut holds = Payload::default();
    let operands = args::positionals(&items);
    for secrets in args::values(&items, &["--inject-secrets"]) {
        if let Some((_, file)) = secrets.text.split_once(',') {
            read_into(inv, &mut outcome, &mut holds, file);
        }
    }
    if let Some(input) = operands.first() {
        read_into(inv, &mut outcome, &mut holds, &input.text);
    }
    if let Some(output) = operands.get(1) {
        fill(inv, &mut outcome, &output.text, &holds);
    }
    outcome
}

/// What a scanner's report or input option does with its value.
#[derive(Clone, Copy)]
enum Role {
    /// Writes the file.
    Write,
    /// Writes the base name with each suffix (`nmap -oA BASE`).
    WriteEach(&'static [&'static str]),
    /// Reads the file.
    Read,
}

/// nmap's report and input options (`-oN FILE`, `--oN=FILE`, `-oNFILE`).
const NMAP: &[(&str, Role)] = &[
    ("oN", Role::Write),
    ("oX", Role::Write),
    ("oS", Role::Write),
    ("oG", Role::Write),
    ("oM", Role::Write),
    ("oA", Role::WriteEach(&[".nmap", ".xml", ".gnmap"])),
    ("iL", Role::Read),
    ("excludefile", Role::Read),
    ("resume", Role::Read),
    ("script-args-file", Role::Read),
    ("servicedb", Role::Read),
    ("versiondb", Role::Read),
];

/// nmap's options that take a value, beyond its report and input files:
/// a word after one is no target.
const NMAP_VALUES: &[&str] = &[
    "-p",
    "--script",
    "--script-args",
    "-e",
    "-S",
    "-g",
    "--source-port",
    "--exclude",
    "--max-rate",
    "--min-rate",
    "--max-retries",
    "--host-timeout",
    "--scan-delay",
    "--top-ports",
    "--data",
    "--data-string",
    "--data-length",
    "--proxies",
    "--dns-servers",
    "-D",
    "--ttl",
    "--mtu",
];

/// nmap's `http-put` script (`--script http-put --script-args
/// 'http-put.url=/P,http-put.file=F'`) uploads the file `F` to `/P` on
/// each target, over HTTPS when the only port scanned is 443 or 8443, as
/// `curl -T F` to it would.
fn nmap_http_put(inv: &Invocation<'_>, outcome: &mut Outcome) {
    let mut scripts = String::new();
    let mut script_args = String::new();
    let mut ports = String::new();
    let mut targets = Vec::new();
    let mut iter = inv.args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (text, None),
        };
        let value = |iter: &mut std::slice::Iter<'_, super::Arg>| {
            attached
                .map(str::to_owned)
                .or_else(|| iter.next().map(|v| v.text.clone()))
        };
        match name {
            "--script" => scripts.push_str(&value(&mut iter).unwrap_or_default()),
            "--script-args" => script_args.push_str(&value(&mut iter).unwrap_or_default()),
            "-p" => ports = value(&mut iter).unwrap_or_default(),
            _ if let Some(list) = text.strip_prefix("-p").filter(|l| !l.is_empty()) => {
                ports = list.to_owned();
            }
            _ if NMAP_VALUES.contains(&name)
                || NMAP.iter().any(|(option, _)| {
                    name.strip_prefix('-')
                        .map(|n| n.strip_prefix('-').unwrap_or(n))
                        == Some(*option)
                }) =>
            {
                if attached.is_none() {
                    iter.next();
                }
            }
            _ if text.starts_with('-') => {}
            _ => targets.push(text.to_owned()),
        }
    }
    if !scripts.split(',').any(|s| s.trim() == "http-put") {
        return;
    }
    let setting = |key: &str| {
        script_args
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().trim_matches(['"', '\'']).to_owned())
    };
    let (Some(path), Some(file)) = (setting("http-put.url"), setting("http-put.file")) else {
        return;
    };
    let scheme = if matches!(ports.as_str(), "443" | "8443") {
        "https"
    } else {
        "http"
    };
    let mut payload = Payload::default();
    read_into(inv, outcome, &mut payload, &file);
    for target in targets {
        let host = target
            .split_once("://")
            .map_or(target.as_str(), |(_, rest)| rest);
        if !is_bare_host(host) {
            continue;
        }
        let address = format!("{scheme}://{host}/{}", path.trim_start_matches('/'));
        outcome.effects.push(request(
            inv.program,
            url(&address),
            "PUT",
            payload.clone(),
            false,
        ));
    }
}

/// masscan's report and input options.
const MASSCAN: &[(&str, Role)] = &[
    ("oX", Role::Write),
    ("oB", Role::Write),
    ("oG", Role::Write),
    ("oJ", Role::Write),
    ("oL", Role::Write),
    ("oD", Role::Write),
    ("oU", Role::Write),
    ("oH", Role::Write),
    ("output-filename", Role::Write),
    ("pcap", Role::Write),
    ("iL", Role::Read),
    ("includefile", Role::Read),
    ("excludefile", Role::Read),
    ("c", Role::Read),
    ("conf", Role::Read),
    ("resume", Role::Read),
    ("readscan", Role::Read),
    ("pcap-payloads", Role::Read),
    ("nmap-payloads", Role::Read),
];

/// nmap and masscan: only their report and input options name files,
/// with one or two dashes, the value after `=`, in the next word, or
/// (for the two-letter `-oX` kind) right after the name. Every other
/// word is a target, a port list or a setting. `--append-output` appends
/// to the reports.
fn report_options(inv: &Invocation<'_>, table: &[(&str, Role)]) -> Outcome {
    let mut outcome = Outcome::default();
    let append = inv.args.iter().any(|a| a.text == "--append-output");
    let mut iter = inv.args.iter();
    while let Some(arg) = iter.next() {
        let Some(bare) = arg
            .text
            .strip_prefix("--")
            .or_else(|| arg.text.strip_prefix('-'))
        else {
            continue;
        };
        let found = table.iter().find_map(|(name, role)| {
            if bare == *name {
                return Some((*role, iter.next().map(|v| v.text.clone())));
            }
            let rest = bare.strip_prefix(name)?;
            match rest.strip_prefix('=') {
                Some(value) => Some((*role, Some(value.to_owned()))),
                // Attached only to `-oN`-style names: `--resumex` is no `--resume`.
                None if name.len() == 2 && !rest.is_empty() => Some((*role, Some(rest.to_owned()))),
                None => None,
            }
        });
        let Some((role, Some(value))) = found else {
            continue;
        };
        match role {
            Role::Write => write_file(inv, &mut outcome, &value, append),
            Role::WriteEach(suffixes) => {
                for suffix in suffixes {
                    write_file(inv, &mut outcome, &format!("{value}{suffix}"), append);
                }
            }
            Role::Read => read_file(inv, &mut outcome, &value),
        }
    }
    outcome
}

/// `zmap [OPTIONS] [SUBNETS]`: `-o` writes the results, `-l`, `-L`, `-m`
/// and `-u` its log, log directory, metadata and status files; `-b`
/// (blocklist), `-w` (allowlist), `-I` (addresses) and `-C` (config)
/// are read.
fn zmap(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "BbCcefGiIlLMmNnOoPpRrSsTtuvwX",
            long: &[
                "output-file",
                "blocklist-file",
                "blacklist-file",
                "allowlist-file",
                "whitelist-file",
                "list-of-ips-file",
                "log-file",
                "log-directory",
                "metadata-file",
                "status-updates-file",
                "config",
                "bandwidth",
                "cooldown-time",
                "seed",
                "output-fields",
                "gateway-mac",
                "source-mac",
                "interface",
                "probe-module",
                "max-results",
                "max-targets",
                "output-module",
                "probes",
                "target-port",
                "target-ports",
                "rate",
                "source-ip",
                "source-port",
                "sender-threads",
                "max-runtime",
                "verbosity",
                "output-filter",
                "probe-args",
                "output-args",
                "shards",
                "shard",
                "max-sendto-failures",
                "min-hitrate",
                "notes",
                "user-metadata",
                "retries",
                "dedup-method",
                "dedup-window-size",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for file in args::values(
        &items,
        &[
            "-o",
            "--output-file",
            "-l",
            "--log-file",
            "-L",
            "--log-directory",
            "-m",
            "--metadata-file",
            "-u",
            "--status-updates-file",
        ],
    ) {
        write_file(inv, &mut outcome, &file.text, false);
    }
    for file in args::values(
        &items,
        &[
            "-b",
            "--blocklist-file",
            "--blacklist-file",
            "-w",
            "--allowlist-file",
            "--whitelist-file",
            "-I",
            "--list-of-ips-file",
            "-C",
            "--config",
        ],
    ) {
        read_file(inv, &mut outcome, &file.text);
    }
    outcome
}

/// A web or DNS scanner's file and target options, by name without
/// dashes (these tools take `-o`, `--o`, `-output` and `-o=FILE` alike).
struct Scanner {
    /// Report files or directories written.
    writes: &'static [&'static str],
    /// Target lists and configurations read.
    reads: &'static [&'static str],
    /// Word lists read, whose words go to the target.
    wordlists: &'static [&'static str],
    /// The target URL.
    targets: &'static [&'static str],
    /// Other options whose value is no target (proxies).
    skip: &'static [&'static str],
    /// An option whose value is a shell command the scanner runs for its
    /// input (`ffuf -input-cmd`).
    runs: &'static [&'static str],
    /// Options naming the HTTP method of its requests (`ffuf -X POST`).
    methods: &'static [&'static str],
    /// Options whose value is its requests' body (`ffuf -d DATA`).
    bodies: &'static [&'static str],
    /// A body makes the requests POSTs unless a method is named, as
    /// curl's `-d` does (ffuf, wfuzz); otherwise the method stays GET.
    body_posts: bool,
}

fn scanner_table(program: &str) -> Option<Scanner> {
    let scanner = |writes, reads, wordlists, targets, skip| Scanner {
        writes,
        reads,
        wordlists,
        targets,
        skip,
        runs: &[],
        methods: &[],
        bodies: &[],
        body_posts: false,
    };
    Some(match program {
        "nuclei" => scanner(
            &[
                "o",
                "output",
                "je",
                "jsonl-export",
                "json-export",
                "me",
                "markdown-export",
                "se",
                "sarif-export",
                "srd",
                "store-resp-dir",
                "elog",
                "error-log",
                "trace-log",
            ],
            &["l", "list", "config"],
            &[],
            &["u", "target"],
            &["p", "proxy"],
        ),
        "naabu" | "dnsx" | "katana" | "subfinder" => scanner(
            &[
                "o",
                "output",
                "oD",
                "output-dir",
                "srd",
                "store-response-dir",
                "elog",
            ],
            &["l", "list", "dL", "config"],
            &["w", "wordlist"],
            &["u"],
            &["proxy"],
        ),
        // `-X METHOD`, `-d|-data|-data-ascii|-data-binary BODY` (a body
        // makes a GET a POST).
        "ffuf" => Scanner {
            runs: &["input-cmd"],
            methods: &["X"],
            bodies: &["d", "data", "data-ascii", "data-binary"],
            body_posts: true,
            ..scanner(
                &["o", "od", "debug-log"],
                &["request", "config"],
                &["w"],
                &["u"],
                &["x", "replay-proxy"],
            )
        },
        // `wfuzz [-X METHOD] [-d POSTDATA] -w LIST URL`: `-f FILE,PRINTER`
        // and `--dump-recipe FILE` write.
        "wfuzz" => Scanner {
            methods: &["X"],
            bodies: &["d"],
            body_posts: true,
            ..scanner(&["f", "dump-recipe"], &["recipe"], &["w"], &["u"], &["p"])
        },
        // gobuster's `-m|--method` and `fuzz`'s `-B|--body`, feroxbuster's
        // `-m|--methods` and `--data`.
        "gobuster" | "feroxbuster" => Scanner {
            methods: &["m", "method", "methods"],
            bodies: &["B", "body", "data"],
            ..scanner(
                &["o", "output", "debug-log", "log"],
                &["resume-from", "l", "urls-file", "config"],
                &["w", "wordlist", "wordlists"],
                &["u", "url"],
                &["p", "proxy", "P", "replay-proxy"],
            )
        },
        // dirsearch's `-m|--http-method` and `-d|--data`.
        "dirsearch" => Scanner {
            methods: &["m", "http-method"],
            bodies: &["d", "data"],
            ..scanner(
                &["o", "output", "debug-log", "log"],
                &["resume-from", "l", "urls-file", "config", "data-file"],
                &["w", "wordlist", "wordlists"],
                &["u", "url"],
                &["p", "proxy", "P", "replay-proxy"],
            )
        },
        "nikto" => scanner(
            &["o", "output"],
            &["config"],
            &[],
            &["h", "host", "url"],
            &["useproxy"],
        ),
        "amass" => scanner(&["o", "json", "log"], &["df", "config"], &[], &[], &[]),
        _ => return None,
    })
}

/// A scanner's word list: ffuf's `PATH:KEYWORD`, dirsearch's comma list.
fn wordlist_paths(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(|part| match part.rsplit_once(':') {
            Some((path, keyword))
                if !path.is_empty()
                    && !keyword.is_empty()
                    && keyword.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
            {
                path
            }
            _ => part,
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// A web or DNS scanner: its reports are written, its lists read; the
/// URL it scans (its target option's, else the first URL operand) is sent
/// its other words (headers, data) and the words of its word lists, with
/// the method it is told ([`request_method`]), else a GET.
fn web_scanner(inv: &Invocation<'_>, table: Scanner) -> Outcome {
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let mut named: Option<String> = None;
    let mut operand: Option<String> = None;
    let mut method: Option<String> = None;
    let mut body = false;
    let known = |name: &str| {
        [
            table.writes,
            table.reads,
            table.wordlists,
            table.targets,
            table.skip,
            table.runs,
            table.methods,
            table.bodies,
        ]
        .iter()
        .any(|names| names.contains(&name))
    };
    let mut iter = inv.args.iter();
    while let Some(arg) = iter.next() {
        let Some(bare) = arg.text.strip_prefix('-') else {
            if operand.is_none() && is_web_url(&arg.text) {
                operand = Some(arg.text.clone());
            }
            continue;
        };
        let bare = bare.strip_prefix('-').unwrap_or(bare);
        let (name, value) = match bare.split_once('=') {
            Some((name, value)) => (name, value),
            None if known(bare) => match iter.next() {
                Some(value) => (bare, value.text.as_str()),
                None => continue,
            },
            None => continue,
        };
        if table.methods.contains(&name) {
            // feroxbuster's `-m GET -m POST`: every one named.
            let methods = method.get_or_insert_with(String::new);
            methods.push(',');
            methods.push_str(value);
        } else if table.bodies.contains(&name) {
            body = true;
        } else if table.writes.contains(&name) {
            // wfuzz's `-f FILE,PRINTER`.
            let file = if inv.program == "wfuzz" {
                value.split(',').next().unwrap_or(value)
            } else {
                value
            };
            write_file(inv, &mut outcome, file, false);
        } else if table.reads.contains(&name) {
            read_file(inv, &mut outcome, value);
        } else if table.wordlists.contains(&name) {
            for path in wordlist_paths(value) {
                read_into(inv, &mut outcome, &mut payload, path);
            }
        } else if table.targets.contains(&name)
            && let Some(target) = web_target(value)
        {
            named.get_or_insert(target);
        } else if table.runs.contains(&name) {
            outcome.nested.push(Nested::Script {
                text: value.to_owned(),
                what: format!("{} -{name}", inv.program),
            });
        }
    }
    let Some(server) = named.or(operand) else {
        return outcome;
    };
    for arg in inv.args {
        let names_server = arg.text.ends_with(&server)
            || web_target(&arg.text).is_some_and(|target| target == server);
        if !names_server {
            flow::merge(&mut payload, &arg.payload());
        }
    }
    let method = request_method(method.as_deref(), body && table.body_posts);
    outcome
        .effects
        .push(request(inv.program, url(&server), &method, payload, false));
    outcome
}

/// The method of a scanner's requests: the one it is told, in upper case
/// (the first of a list, feroxbuster's `-m GET,POST`, that changes
/// something, else the first), else POST when its body makes it one, else
/// GET.
fn request_method(named: Option<&str>, body_posts: bool) -> String {
    let methods: Vec<String> = named
        .unwrap_or_default()
        .split([',', ' '])
        // A method is a word (gobuster's `s3 -m 5` is a count).
        .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase)
        .collect();
    let reads = |m: &String| matches!(m.as_str(), "GET" | "HEAD" | "OPTIONS");
    if let Some(method) = methods.iter().find(|m| !reads(m)).or(methods.first()) {
        return method.clone();
    }
    if body_posts { "POST" } else { "GET" }.to_owned()
}

fn is_web_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// A target option's value as a URL: a URL as written, or a bare host
/// ([`is_bare_host`]), which the scanners probe over HTTPS.
fn web_target(value: &str) -> Option<String> {
    if is_web_url(value) {
        return Some(value.to_owned());
    }
    is_bare_host(value).then(|| format!("https://{value}"))
}

/// A host written bare, perhaps with a port or path (`api.example.com`,
/// `10.0.0.5:8443`, `host.example.com/path`): dotted labels of letters,
/// digits and `-`, the last with a letter (or four of them, an address).
fn is_bare_host(value: &str) -> bool {
    let host = value.split(['/', ':']).next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() > 1
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()) || labels.len() == 4)
}
